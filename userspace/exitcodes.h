/* SPDX-License-Identifier: GPL-2.0-only */
/* nguardctl exit codes: the contract documented by `nguardctl help`. */
#ifndef NGUARDCTL_EXITCODES_H
#define NGUARDCTL_EXITCODES_H

enum ng_exit {
	NG_EXIT_OK = 0,		/* success */
	NG_EXIT_ERROR = 1,	/* kernel rejected the request, or netlink failed */
	NG_EXIT_USAGE = 2,	/* unknown command or option */
	NG_EXIT_NOMODULE = 3,	/* nguard.ko is not loaded */
	NG_EXIT_PERM = 4,	/* permission denied: CAP_NET_ADMIN needed */
};

#endif
