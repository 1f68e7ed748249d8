// SPDX-License-Identifier: GPL-2.0-only
/* `nguardctl status [--json]`: the module's status (status.c), printed. */
#include "commands.h"
#include "exitcodes.h"
#include "nl.h"
#include "output.h"
#include "status.h"

int cmd_status(int argc, char **argv)
{
	struct ng_status st;
	struct ng_nl nl;
	bool json;
	int rc;

	rc = ng_parse_json_flag(argc, argv, "status", "option", &json);
	if (rc)
		return rc;
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	rc = ng_status_fetch(&nl, &st);
	ng_nl_close(&nl);
	if (rc)
		return rc;
	if (json)
		return ng_print_json(ng_status_json(&st));
	ng_status_print(stdout, &st);
	return NG_EXIT_OK;
}
