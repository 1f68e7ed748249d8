/* SPDX-License-Identifier: GPL-2.0-only */
/* POLICY_ADD's attributes into a draft (policy_nl.c). */
#ifndef NGUARD_POLICY_NL_H
#define NGUARD_POLICY_NL_H

#include <net/genetlink.h>
#include "uapi/nguard.h"

struct ng_policy_src;

extern const struct nla_policy ng_add_policy[NGUARD_A_MAX + 1];

/* Parse one POLICY_ADD message into @d; extack says what is wrong. */
int ng_draft_add(struct ng_policy_src *d, struct genl_info *info);

#endif /* NGUARD_POLICY_NL_H */
