// SPDX-License-Identifier: GPL-2.0-only
/*
 * Re-judging the namespace's state after a policy change — theory of
 * operation.
 *
 * A connection entry records the verdict of the policy that admitted it.
 * When a new policy is published (commit, confirm-timeout rollback,
 * flush), the namespace is brought in line with it, in process context
 * under the namespace's control lock: the detectors' tracker table and
 * the quarantine are sized for it (detect.c, quarantine.c), the log rates
 * follow it, and the connection table is re-judged:
 *
 *  - pass-through (no policy): nothing is tracked, every entry goes;
 *  - otherwise the limit follows "conns max" (lowering it evicts in the
 *    table's eviction order), then every entry is judged again by the new
 *    policy as its first packet was: entries the new policy allows keep
 *    flowing (their rule is updated), entries it denies are
 *    removed, so their next packet is judged and dropped. A monitor-mode
 *    policy removes nothing.
 *
 * Interface members cannot be re-judged: the entry does not remember the
 * interface its first packet used. An entry whose address falls in no
 * prefix of a policy that has interface members is therefore kept as it
 * is, its rule shown as "kept" (documented in
 * Documentation/policy-language.md).
 *
 * Between the pointer swap and the end of the walk, packets of a
 * connection the new policy denies may still pass; the walk takes about
 * a tenth of a second per million entries.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "conntab.h"
#include "detect.h"
#include "events.h"
#include "nguard.h"
#include "packet.h"
#include "policy.h"
#include "quarantine.h"
#include "rejudge.h"
#include "tracker.h"

static bool ng_rejudge_conn(struct ng_conn *c, void *arg)
{
	const struct ng_policy *p = arg;
	const struct ng_conn_key *k = &c->key;
	u8 o = k->dir, r = !k->dir;	/* originator, responder */
	struct ng_judgement j;
	u16 dport = 0;

	if (ng_proto_has_ports(k->proto))
		dport = ntohs(k->port[r]);
	ng_policy_judge(p, k->family, k->addr[o], k->addr[r], k->proto, dport,
			NULL, NULL, &j);
	if (p->iface_slots && (j.src_seg == NGUARD_SEGMENT_WORLD ||
			       j.dst_seg == NGUARD_SEGMENT_WORLD)) {
		/* Its old rule index means nothing in this policy. */
		WRITE_ONCE(c->rule, NG_RULE_KEPT);
		return true;
	}
	if (j.verdict != NGUARD_VERDICT_ALLOW &&
	    p->src.mode != NGUARD_MODE_MONITOR)
		return false;
	WRITE_ONCE(c->rule, j.rule);
	return true;
}

void ng_rejudge(struct ng_net *nn, struct ng_policy *pol,
		const struct ng_policy *old_pol)
{
	u32 rate = pol ? pol->src.log_rate : 0, burst = pol ? pol->src.log_burst : 0;
	struct ng_trk *old_trk, *old_blk;
	u32 n;

	lockdep_assert_held(&nn->lock);
	old_trk = ng_detect_policy_changed(nn, pol);
	old_blk = ng_quarantine_policy_changed(nn, pol);
	ng_log_set(&nn->log, rate, burst);
	ng_events_set_rate(nn, rate, burst);
	/*
	 * One grace period, and none when nothing needs it, for two reasons:
	 * packets may still use the detector tables the change retired; and a
	 * packet that still sees the old policy may be about to insert an
	 * entry the old policy allowed, which could land in a bucket the walk
	 * below has passed and outlive the change. (After a flush, late
	 * entries are harmless: nothing is looked up without a policy, and
	 * the next policy re-judges them. After pass-through there is no old
	 * policy and nothing was inserted: the first apply does not wait.)
	 */
	if ((nn->ct && pol && old_pol) || old_trk || old_blk)
		synchronize_rcu();
	ng_trk_destroy(old_trk);
	/* Carries the live blocks into a resized quarantine. */
	ng_quarantine_retired_free(nn, old_blk);
	if (!nn->ct)
		return;
	if (!pol) {
		ng_conntab_flush(nn->ct);
		return;
	}
	/* 0 = default; the limit was validated when the policy was added. */
	ng_conntab_set_max(nn->ct, pol->src.conns_max);
	n = ng_conntab_prune(nn->ct, ng_rejudge_conn, pol);
	if (n)
		pr_info("policy generation %llu: removed %u tracked connections it denies\n",
			pol->gen, n);
}
