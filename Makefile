# SPDX-License-Identifier: GPL-2.0-only
#
# nguard top-level Makefile.
#   make                 module (for the running kernel) + nguardctl
#   make demo            boot Debian's kernel in a VM and show nguard live
#   make check           all tests (see tests/check.sh); needs root for apt
#   make dkms-install    install the module on this server through DKMS
#   make dkms-uninstall  remove it again
#   make install         install nguardctl (PREFIX, DESTDIR)
# The kernel build itself is described by ./Kbuild.

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

install:
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

check:
	bash tests/check.sh

shell:
	bash tests/shell.sh

demo:
	bash tests/demo.sh

# Apply time of nguard vs nft -f for the same 100k-prefix ruleset, one VM.
bench-apply:
	bash tests/bench/apply-vm.sh

dkms-install:
	rm -rf /usr/src/nguard-$(VERSION)
	bash tests/lib/dkms-sources.sh /usr/src/nguard-$(VERSION)
	dkms add -m nguard -v $(VERSION)
	dkms build -m nguard -v $(VERSION) $(if $(KVER),-k $(KVER))
	dkms install -m nguard -v $(VERSION) $(if $(KVER),-k $(KVER))

dkms-uninstall:
	-dkms remove -m nguard -v $(VERSION) --all
	rm -rf /usr/src/nguard-$(VERSION)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	rm -rf tests/out

.PHONY: all module userspace install check shell demo bench-apply dkms-install dkms-uninstall clean
