// SPDX-License-Identifier: GPL-2.0-only
/*
 * nguard module entry: brings the subsystems up in dependency order and
 * tears them down in reverse. The per-netns part (hooks, counters, /proc)
 * comes first so that the netlink family, once visible, always finds
 * state for the caller's namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include "conntab.h"
#include "netlink.h"
#include "netns.h"
#include "policy.h"
#include "proc.h"
#include "txn_nl.h"
#include "version.h"

static int __init ng_init(void)
{
	int err;

	err = ng_conntab_module_init();
	if (err)
		goto err_ct;
	err = ng_policy_module_init();
	if (err)
		goto err_pol;
	err = ng_netns_register();
	if (err)
		goto err_netns;
	err = ng_proc_register();
	if (err)
		goto err_proc;
	err = ng_txn_nl_register();
	if (err)
		goto err_txn;
	err = ng_genl_register();
	if (err)
		goto err_genl;

	pr_info("loaded, version %s\n", NGUARD_VERSION);
	return 0;

err_genl:
	ng_txn_nl_unregister();
err_txn:
	ng_proc_unregister();
err_proc:
	ng_netns_unregister();
err_netns:
	ng_policy_module_exit();
err_pol:
	ng_conntab_module_exit();
err_ct:
	pr_err("failed to load: %d\n", err);
	return err;
}

static void __exit ng_exit(void)
{
	ng_genl_unregister();
	ng_txn_nl_unregister();
	ng_proc_unregister();
	ng_netns_unregister();
	/* Policies are freed by work items that live in this module. */
	ng_policy_module_exit();
	/* After every table is gone; it runs rcu_barrier() itself too. */
	ng_conntab_module_exit();
	pr_info("unloaded\n");
}

module_init(ng_init);
module_exit(ng_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nguard: network segmentation and anomaly guard");
MODULE_AUTHOR("nguard developers");
MODULE_VERSION(NGUARD_VERSION);
MODULE_ALIAS_GENL_FAMILY(NGUARD_GENL_NAME);
