// SPDX-License-Identifier: GPL-2.0-only
/*
 * Netfilter hooks. Each namespace that has a policy gets four hooks (see
 * ng_hooks_attach(); without a policy there are none, and no cost): IPv4
 * and IPv6 at PRE_ROUTING (everything that arrives, whether for this host
 * or to be forwarded) and at LOCAL_OUT (everything this host originates).
 * Every packet therefore passes exactly one nguard hook per namespace.
 *
 * Priority NG_HOOK_PRIORITY sits after defragmentation (-400) and the raw
 * table (-300) but before conntrack (-200), so later verdicts see whole
 * datagrams and packets nguard drops never cost a conntrack lookup.
 *
 * Loopback packets are judged once, at LOCAL_OUT, where the host sends
 * them; their second pass through PRE_ROUTING (on lo) is not counted.
 *
 * The hooks run under rcu_read_lock (netfilter core) in softirq or process
 * context. They count the packet and hand it to ng_enforce() (enforce.c)
 * for the verdict. A fresh module has no policy and no hooks, so it never
 * cuts a server off; a packet that races the return to pass-through sees
 * no policy and gets NF_ACCEPT.
 */
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include "enforce.h"
#include "hooks.h"
#include "nguard.h"
#include "packet.h"

#define NG_HOOK_PRIORITY (NF_IP_PRI_RAW + 50)

static unsigned int ng_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct ng_net *nn = ng_net(state->net);
	unsigned int segs;

	if (state->in && (state->in->flags & IFF_LOOPBACK))
		return NF_ACCEPT;
	segs = ng_skb_segs(skb);
	/* priv encodes the counter pair chosen at registration. */
	ng_stats_count(&nn->stats, (enum nguard_counter)(unsigned long)priv,
		       segs, skb->len);
	return ng_enforce(nn, skb, state->pf == NFPROTO_IPV4 ? 4 : 6, segs,
			  state);
}

#define NG_HOOK(pf_, hook_, cnt_) {			\
	.hook = ng_hook,				\
	.pf = (pf_),					\
	.hooknum = (hook_),				\
	.priority = NG_HOOK_PRIORITY,			\
	.priv = (void *)(unsigned long)(cnt_),		\
}

static const struct nf_hook_ops ng_hook_ops[] = {
	NG_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, NGUARD_CNT_IPV4_IN_PACKETS),
	NG_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_OUT, NGUARD_CNT_IPV4_OUT_PACKETS),
#if IS_ENABLED(CONFIG_IPV6)
	NG_HOOK(NFPROTO_IPV6, NF_INET_PRE_ROUTING, NGUARD_CNT_IPV6_IN_PACKETS),
	NG_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT, NGUARD_CNT_IPV6_OUT_PACKETS),
#endif
};

/*
 * Attached while the namespace has a policy: the first policy published
 * attaches them (with nf_defrag), the return to pass-through (flush,
 * rollback to none, namespace exit) detaches them.
 */

/* Whole datagrams at our hooks: nf_defrag runs at priority -400. */
static int ng_defrag_enable(struct net *net, struct ng_net *nn)
{
	int err = nf_defrag_ipv4_enable(net);

	if (err)
		return err;
	nn->defrag4 = true;
#if IS_ENABLED(CONFIG_IPV6)
	err = nf_defrag_ipv6_enable(net);
	if (err)
		return err;
	nn->defrag6 = true;
#endif
	return 0;
}

static void ng_defrag_disable(struct net *net, struct ng_net *nn)
{
	if (nn->defrag4)
		nf_defrag_ipv4_disable(net);
#if IS_ENABLED(CONFIG_IPV6)
	if (nn->defrag6)
		nf_defrag_ipv6_disable(net);
#endif
	nn->defrag4 = false;
	nn->defrag6 = false;
}

int ng_hooks_attach(struct ng_net *nn)
{
	int err;

	lockdep_assert_held(&nn->lock);
	if (nn->attached)
		return 0;
	err = ng_defrag_enable(nn->net, nn);
	if (!err)
		err = nf_register_net_hooks(nn->net, ng_hook_ops,
					    ARRAY_SIZE(ng_hook_ops));
	if (err) {
		ng_defrag_disable(nn->net, nn);
		return err;
	}
	nn->attached = true;
	return 0;
}

void ng_hooks_detach(struct ng_net *nn)
{
	lockdep_assert_held(&nn->lock);
	if (!nn->attached)
		return;
	nf_unregister_net_hooks(nn->net, ng_hook_ops, ARRAY_SIZE(ng_hook_ops));
	ng_defrag_disable(nn->net, nn);
	nn->attached = false;
}
