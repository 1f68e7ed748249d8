/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading the live policy back from the kernel (show, trace). */
#ifndef NGUARDCTL_SHOW_H
#define NGUARDCTL_SHOW_H

#include <stdint.h>
#include <netlink/attr.h>
#include "nl.h"
#include "policy.h"

/* Dump the live policy into @p (initialized here); *gen = 0 if none. */
int ng_policy_fetch(struct ng_nl *nl, struct ng_policy *p, uint64_t *gen);
/* Append the rule in a NGUARD_A_RULE-shaped nest to @p; -1 if malformed. */
int ng_rule_from_attr(struct ng_policy *p, struct nlattr *nest, uint32_t *index);


#endif
