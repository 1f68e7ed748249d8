/* SPDX-License-Identifier: GPL-2.0-only */
/* A policy as JSON, for `nguardctl show --json`. */
#ifndef NGUARDCTL_POLICY_JSON_H
#define NGUARDCTL_POLICY_JSON_H

#include <stdint.h>
#include <json-c/json.h>
#include "policy.h"

/*
 * `show --json`: {"generation"} alone without a policy (@gen 0), else
 * also "mode", "default", the settings ("limit_conn" and "limit_source"
 * null without a limit), "segments", "rules", "detectors" and "exempt".
 */
json_object *ng_policy_json(const struct ng_policy *p, uint64_t gen);
/* [{"index","line","kind","from","to","action","block_secs",...,"text"}] */
json_object *ng_detectors_json(const struct ng_policy *p);
/* [{"index","line","segments":[NAME...],"prefixes":["ADDR/LEN"...],"text"}] */
json_object *ng_exempt_json(const struct ng_policy *p);

#endif
