# SPDX-License-Identifier: GPL-2.0-only
#
# nguard top-level Makefile.
#   make                 module (for the running kernel) + nguardctl
#   make demo            boot Debian's kernel in a VM and show nguard live
#   make check           all tests (see tests/check.sh); needs root for apt
#   make stress          stress campaigns on the debug kernel (tests/stress.sh)
#   make bench-apply     policy apply time vs nft -f (VM)
#   make bench-packet    per-packet overhead vs the equivalent nftables ruleset (VM)
#   make dkms-install    install the module on this server through DKMS
#   make dkms-uninstall  remove it again
#   make deb             Debian packages nguard-dkms and nguard into debs/ (DEBDIR)
#   make install         install nguardctl (PREFIX, DESTDIR)
#   make man             man/nguardctl.8 and man/nguard.conf.5 from their Markdown
#                        sources in Documentation/ (pandoc; the output is committed)
# The kernel build itself is described by ./Kbuild.

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr
DEBDIR ?= $(CURDIR)/debs

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

install:
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

# Man pages: Documentation/man/*.md -> $(MAN_OUT) (see Documentation/man/mkman.sh).
# nguard.conf(5) includes Documentation/policy-language.md. tests/lib/docs-check.sh
# fails when the committed pages are not what this produces.
MAN_OUT ?= man
MKMAN := Documentation/man/mkman.sh Documentation/man/man.lua dkms.conf

man: $(MAN_OUT)/nguardctl.8 $(MAN_OUT)/nguard.conf.5

$(MAN_OUT)/nguardctl.8: Documentation/man/nguardctl.8.md $(MKMAN)
	@mkdir -p $(@D)
	sh Documentation/man/mkman.sh $< $@ $(VERSION)

$(MAN_OUT)/nguard.conf.5: Documentation/man/nguard.conf.5.md Documentation/policy-language.md $(MKMAN)
	@mkdir -p $(@D)
	sh Documentation/man/mkman.sh $< $@ $(VERSION)

check:
	bash tests/check.sh

# Stress campaigns on the debug kernel (Documentation/reliability.md).
stress:
	bash tests/stress.sh

shell:
	bash tests/shell.sh

demo:
	bash tests/demo.sh

# Apply time of nguard vs nft -f for the same 100k-prefix ruleset, one VM.
bench-apply:
	bash tests/bench/apply-vm.sh

# Per-packet cost: bare, nguard empty, nguard with policy, equivalent nft, one VM.
bench-packet:
	bash tests/bench/packet-vm.sh

dkms-install:
	rm -rf /usr/src/nguard-$(VERSION)
	bash tests/lib/dkms-sources.sh /usr/src/nguard-$(VERSION)
	dkms add -m nguard -v $(VERSION)
	dkms build -m nguard -v $(VERSION) $(if $(KVER),-k $(KVER))
	dkms install -m nguard -v $(VERSION) $(if $(KVER),-k $(KVER))

dkms-uninstall:
	-dkms remove -m nguard -v $(VERSION) --all
	rm -rf /usr/src/nguard-$(VERSION)

# nguard-dkms (DKMS source, dh-dkms) and nguard (nguardctl, nguard.service);
# built in a copy of the tree, see Documentation/packaging.md.
deb:
	bash tests/lib/deb-build.sh $(DEBDIR)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	rm -rf tests/out debs

.PHONY: all module userspace install check stress shell demo bench-apply bench-packet man dkms-install dkms-uninstall deb clean
