/* SPDX-License-Identifier: GPL-2.0-only */
/* `nguardctl status`: what the module reports about this namespace. */
#ifndef NGUARDCTL_STATUS_H
#define NGUARDCTL_STATUS_H

#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include "counters.h"

struct ng_status {
	char version[32];
	uint64_t policy_gen;
	struct ng_counters counters;
};

int ng_status_parse(struct nl_msg *msg, struct ng_status *st);
json_object *ng_status_json(const struct ng_status *st);
void ng_status_print(FILE *f, const struct ng_status *st);
int cmd_status(int argc, char **argv);

#endif
