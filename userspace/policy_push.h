/* SPDX-License-Identifier: GPL-2.0-only */
/* Sending a policy to the kernel: one POLICY_BEGIN/ADD/COMMIT transaction. */
#ifndef NGUARDCTL_POLICY_PUSH_H
#define NGUARDCTL_POLICY_PUSH_H

#include <stdint.h>
#include <netlink/msg.h>
#include "nl.h"
#include "policy.h"

/* The settings attributes of the first POLICY_ADD chunk; -1 if @m is full. */
int ng_put_settings(struct nl_msg *m, const struct ng_policy *p);
/* Room one NGUARD_A_EXEMPT nest of @e needs in a message, at most. */
size_t ng_exempt_size(const struct ng_exempt *e);
/* One exempt line as a NGUARD_A_EXEMPT nest; -1 if @m is full. */
int ng_put_exempt(struct nl_msg *m, const struct ng_exempt *e);
int ng_policy_push(struct ng_nl *nl, const struct ng_policy *p, uint32_t confirm,
		   uint64_t *gen);

#endif
