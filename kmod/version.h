/* SPDX-License-Identifier: GPL-2.0-only */
/* Single source of the nguard release version (module and nguardctl). */
#ifndef NGUARD_VERSION_H
#define NGUARD_VERSION_H
#define NGUARD_VERSION "0.1.0"
#endif
