// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connection table over netlink: the NGUARD_A_CONNTAB summary of
 * GET_STATUS and the NGUARD_CMD_CONNS_GET dump (contract: uapi/nguard.h).
 *
 * The dump walks the table under rcu_read_lock with the table's resumable
 * iterator, kept in cb->args between calls: one message per connection,
 * and when the skb is full the walk stops on the entry that did not fit,
 * which the next call puts first. No lock is held between calls, so a
 * dump of a table under churn is a snapshot in the conntrack sense.
 */
#include <net/genetlink.h>
#include <net/sock.h>
#include "conns_nl.h"
#include "conntab.h"
#include "netlink.h"
#include "nguard.h"
#include "policy.h"
#include "rules.h"

int ng_put_conntab(struct sk_buff *skb, const struct ng_net *nn)
{
	struct ng_conntab_stats st;
	struct nlattr *nest;
	unsigned int i;

	BUILD_BUG_ON(NGUARD_CT_A_LAST_COUNTER - NGUARD_CT_A_FIRST_COUNTER + 1 !=
		     NG_CT_CNT_MAX);
	ng_conntab_stats(nn->ct, &st);
	nest = nla_nest_start(skb, NGUARD_A_CONNTAB);
	if (!nest ||
	    nla_put_u32(skb, NGUARD_CT_A_COUNT, st.count) ||
	    nla_put_u32(skb, NGUARD_CT_A_MAX_ENTRIES, st.max) ||
	    nla_put_u32(skb, NGUARD_CT_A_BUCKETS, st.buckets) ||
	    nla_put_u32(skb, NGUARD_CT_A_ESTABLISHED, st.established) ||
	    nla_put_u32(skb, NGUARD_CT_A_SOURCES, st.sources) ||
	    nla_put_u32(skb, NGUARD_CT_A_ENTRY_SIZE, ng_conntab_entry_size()))
		goto fail;
	for (i = 0; i < NG_CT_CNT_MAX; i++)
		if (nla_put_u64_64bit(skb, NGUARD_CT_A_FIRST_COUNTER + i,
				      st.cnt[i], NGUARD_CT_A_PAD))
			goto fail;
	nla_nest_end(skb, nest);
	return 0;
fail:
	if (nest)
		nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

size_t ng_conntab_nl_size(void)
{
	return nla_total_size(0) + 6 * nla_total_size(sizeof(u32)) +
	       NG_CT_CNT_MAX * nla_total_size_64bit(sizeof(u64));
}

struct ng_conns_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct ng_conntab *ct;
	const struct ng_policy *p;	/* live policy, under RCU */
};

static int ng_put_conn(const struct ng_conn *c, void *arg)
{
	struct ng_conns_dump *d = arg;
	const struct ng_conn_key *k = &c->key;
	u8 o = k->dir, r = !k->dir, alen = k->family == 4 ? 4 : 16;
	u32 rule = READ_ONCE(c->rule);
	struct nlattr *nest;
	void *hdr;

	BUILD_BUG_ON((int)NGUARD_CONN_CLOSE != (int)NG_TCP_CLOSE ||
		     (int)NGUARD_CONN_ESTABLISHED != (int)NG_TCP_ESTABLISHED);
	BUILD_BUG_ON(NGUARD_CONN_F_REPLIED != NG_CONN_F_REPLIED);
	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &ng_genl_family, NLM_F_MULTI,
			  NGUARD_CMD_CONNS_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(d->skb, NGUARD_A_CONN);
	if (!nest ||
	    nla_put_u8(d->skb, NGUARD_CONN_A_FAMILY, k->family) ||
	    nla_put_u8(d->skb, NGUARD_CONN_A_PROTO, k->proto) ||
	    nla_put(d->skb, NGUARD_CONN_A_SRC, alen, k->addr[o]) ||
	    nla_put(d->skb, NGUARD_CONN_A_DST, alen, k->addr[r]) ||
	    nla_put_u16(d->skb, NGUARD_CONN_A_SPORT, ntohs(k->port[o])) ||
	    nla_put_u16(d->skb, NGUARD_CONN_A_DPORT, ntohs(k->port[r])) ||
	    nla_put_u16(d->skb, NGUARD_CONN_A_SRC_SEG,
			d->p ? ng_policy_classify(d->p, k->family, k->addr[o]) : 0) ||
	    nla_put_u16(d->skb, NGUARD_CONN_A_DST_SEG,
			d->p ? ng_policy_classify(d->p, k->family, k->addr[r]) : 0) ||
	    (d->p && d->p->limit.pkt_rate &&
	     nla_put_u32(d->skb, NGUARD_CONN_A_LIMIT_PKTS,
			 ng_limit_pkts_left(&d->p->limit, c))) ||
	    (d->p && d->p->limit.byte_rate &&
	     nla_put_u32(d->skb, NGUARD_CONN_A_LIMIT_BYTES,
			 ng_limit_bytes_left(&d->p->limit, c))) ||
	    nla_put_u8(d->skb, NGUARD_CONN_A_STATE, READ_ONCE(c->state)) ||
	    nla_put_u8(d->skb, NGUARD_CONN_A_FLAGS,
		       READ_ONCE(c->flags) & NGUARD_CONN_F_REPLIED) ||
	    (rule != NG_RULE_NONE &&
	     nla_put_u32(d->skb, NGUARD_CONN_A_RULE, rule)) ||
	    nla_put_u32(d->skb, NGUARD_CONN_A_PKTS_ORIG,
			READ_ONCE(c->pkts[0])) ||
	    nla_put_u32(d->skb, NGUARD_CONN_A_PKTS_REPLY,
			READ_ONCE(c->pkts[1])) ||
	    nla_put_u32(d->skb, NGUARD_CONN_A_IDLE_MS,
			ng_conn_idle_ms(d->ct, c)) ||
	    nla_put_u32(d->skb, NGUARD_CONN_A_EXPIRES,
			ng_conn_expires_in(d->ct, c))) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(d->skb, nest);
	genlmsg_end(d->skb, hdr);
	return 0;
}

int ng_conns_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ng_net *nn = ng_net(sock_net(cb->skb->sk));
	struct ng_conns_dump d = { .skb = skb, .cb = cb, .ct = nn->ct };
	struct ng_conntab_iter it = {
		.bucket = cb->args[0],
		.skip = cb->args[1],
	};
	int len0 = skb->len, err;

	if (it.bucket == NG_CONNTAB_ITER_END)
		return 0;
	rcu_read_lock();
	d.p = rcu_dereference(nn->policy);
	err = ng_conntab_walk(nn->ct, &it, ng_put_conn, &d);
	rcu_read_unlock();
	cb->args[0] = it.bucket;
	cb->args[1] = it.skip;
	/* An entry that does not fit an empty message cannot happen. */
	if (err && skb->len == len0)
		return err;
	return skb->len;
}
