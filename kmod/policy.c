// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy objects — theory of operation.
 *
 * A transaction fills a struct ng_policy_src (the policy as written:
 * segment names, prefixes, interfaces, rules with their source text),
 * growing its arrays as chunks arrive, in process context with
 * GFP_KERNEL_ACCOUNT so the memory is charged to the caller's cgroup.
 * Limits from uapi/nguard.h bound every array.
 *
 * Commit compiles the draft into a struct ng_policy: the longest-prefix
 * classifier (lpm.c) over all prefixes and the rule index (rules.c). The
 * compiled policy is immutable; it is published with one
 * rcu_assign_pointer and read under RCU. Readers that sleep (netlink
 * dumps) hold a kref; the last reference frees the policy after an RCU
 * grace period, so a packet that still sees the old pointer is safe.
 */
#include <linux/jhash.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "lpm.h"
#include "observe.h"
#include "policy.h"

#define NG_GFP GFP_KERNEL_ACCOUNT

/*
 * Grow the array whose pointer is at @arrp (items of @size bytes, capacity
 * *@cap) to hold @need items, never beyond @limit.
 */
static int ng_grow(void *arrp, u32 *cap, u32 need, size_t size, u32 limit)
{
	void **arr = arrp;
	u32 ncap;
	void *n;

	if (need <= *cap)
		return 0;
	if (need > limit)
		return -E2BIG;
	ncap = max_t(u32, need, min_t(u32, limit, max_t(u32, 16, *cap * 2)));
	n = kvmalloc_array(ncap, size, NG_GFP);
	if (!n)
		return -ENOMEM;
	if (*arr)
		memcpy(n, *arr, (size_t)*cap * size);
	kvfree(*arr);
	*arr = n;
	*cap = ncap;
	return 0;
}

/* IPv4 address bytes (network order, any alignment) to a host-order u32. */
static u32 ng_be32(const u8 *addr)
{
	__be32 v;

	memcpy(&v, addr, sizeof(v));
	return be32_to_cpu(v);
}

void ng_src_init(struct ng_policy_src *s)
{
	memset(s, 0, sizeof(*s));
	s->mode = NGUARD_MODE_ENFORCE;
	s->dflt = NGUARD_VERDICT_DENY;
}

void ng_src_free(struct ng_policy_src *s)
{
	u32 i;

	for (i = 0; i < s->nrules; i++)
		kfree(s->texts[i]);
	kvfree(s->names);
	kvfree(s->pfx);
	kvfree(s->ifaces);
	kvfree(s->rules);
	kvfree(s->lines);
	kvfree(s->texts);
	kvfree(s->matches);
	kvfree(s->exempt);
	memset(s, 0, sizeof(*s));
}

/* Segment names; id 0 is always the implicit "world". */
static int ng_src_grow_names(struct ng_policy_src *s, u32 need)
{
	bool fresh = !s->names;
	int err;

	err = ng_grow(&s->names, &s->seg_cap, need, sizeof(*s->names),
		      NGUARD_MAX_SEGMENTS + 1);
	if (!err && fresh)
		strscpy(s->names[0], "world", NGUARD_SEGMENT_NAME_MAX);
	return err;
}

int ng_src_add_segment(struct ng_policy_src *s, u16 id, const char *name)
{
	int err;

	if (id != s->nseg + 1 || !name[0] || !strcmp(name, "world"))
		return -EINVAL;
	err = ng_src_grow_names(s, id + 1);
	if (err)
		return err;
	strscpy(s->names[id], name, NGUARD_SEGMENT_NAME_MAX);
	s->nseg = id;
	return 0;
}

int ng_src_add_prefix(struct ng_policy_src *s, u16 seg, u8 family,
		      const u8 *addr, u8 plen)
{
	struct ng_pfx *p;
	int err;

	if (!seg || seg > s->nseg)
		return -EINVAL;
	if ((family == 4 && plen > 32) || (family == 6 && plen > 128) ||
	    (family != 4 && family != 6))
		return -EINVAL;
	err = ng_grow(&s->pfx, &s->pfx_cap, s->npfx + 1, sizeof(*s->pfx),
		      NGUARD_MAX_PREFIXES);
	if (err)
		return err;
	p = &s->pfx[s->npfx++];
	memset(p, 0, sizeof(*p));
	memcpy(p->addr, addr, family == 4 ? 4 : 16);
	p->plen = plen;
	p->family = family;
	p->seg = seg;
	return 0;
}

int ng_src_add_iface(struct ng_policy_src *s, u16 seg, const char *name)
{
	int err;

	if (!seg || seg > s->nseg || !name[0] || strlen(name) >= IFNAMSIZ)
		return -EINVAL;
	err = ng_grow(&s->ifaces, &s->iface_cap, s->nifaces + 1,
		      sizeof(*s->ifaces), NGUARD_MAX_IFACES);
	if (err)
		return err;
	strscpy(s->ifaces[s->nifaces].name, name, IFNAMSIZ);
	s->ifaces[s->nifaces++].seg = seg;
	return 0;
}

int ng_src_add_rule(struct ng_policy_src *s, const struct ng_rule *rule,
		    const struct nguard_match *m, u16 nmatch, u32 line,
		    const char *text)
{
	u32 cap = s->rule_cap;
	char *t;
	int err;

	if (nmatch > NGUARD_MAX_RULE_MATCHES)
		return -E2BIG;
	err = ng_grow(&s->matches, &s->match_cap, s->nmatches + nmatch,
		      sizeof(*s->matches), NGUARD_MAX_RULES * NGUARD_MAX_RULE_MATCHES);
	if (err)
		return err;
	/* rules, lines and texts share one capacity: grow them together. */
	if (s->nrules + 1 > cap) {
		u32 c1 = cap, c2 = cap;

		err = ng_grow(&s->lines, &c1, s->nrules + 1, sizeof(*s->lines),
			      NGUARD_MAX_RULES);
		if (!err)
			err = ng_grow(&s->texts, &c2, s->nrules + 1,
				      sizeof(*s->texts), NGUARD_MAX_RULES);
		if (!err)
			err = ng_grow(&s->rules, &s->rule_cap, s->nrules + 1,
				      sizeof(*s->rules), NGUARD_MAX_RULES);
		if (err)
			return err;
	}
	t = kstrdup(text ? text : "", NG_GFP);
	if (!t)
		return -ENOMEM;
	s->rules[s->nrules] = *rule;
	s->rules[s->nrules].nmatch = nmatch;
	s->rules[s->nrules].match_off = s->nmatches;
	memcpy(&s->matches[s->nmatches], m, sizeof(*m) * nmatch);
	s->nmatches += nmatch;
	s->lines[s->nrules] = line;
	s->texts[s->nrules] = t;
	s->nrules++;
	return 0;
}

static int ng_count_members(struct ng_policy *p)
{
	u32 i;

	p->counts = kvcalloc(p->src.nseg + 1, sizeof(*p->counts), NG_GFP);
	if (!p->counts)
		return -ENOMEM;
	for (i = 0; i < p->src.npfx; i++) {
		if (p->src.pfx[i].family == 4)
			p->counts[p->src.pfx[i].seg].v4++;
		else
			p->counts[p->src.pfx[i].seg].v6++;
	}
	for (i = 0; i < p->src.nifaces; i++)
		p->counts[p->src.ifaces[i].seg].ifaces++;
	return 0;
}

static int ng_build_lpm(struct ng_policy *p, const char **why)
{
	struct ng_lpm_builder *b = ng_lpm_builder_new();
	u32 i;
	int err = 0;

	if (!b)
		return -ENOMEM;
	for (i = 0; i < p->src.npfx && !err; i++) {
		const struct ng_pfx *x = &p->src.pfx[i];

		if (x->family == 4)
			err = ng_lpm_builder_add4(b, ng_be32(x->addr),
						  x->plen, x->seg);
		else
			err = ng_lpm_builder_add6(b, x->addr, x->plen, x->seg);
	}
	if (err == -EEXIST)
		*why = "the same prefix is listed in two segments";
	else if (err == -EINVAL)
		*why = "prefix with host bits set or bad length";
	if (!err) {
		p->lpm = ng_lpm_build(b);
		if (IS_ERR_OR_NULL(p->lpm)) {
			err = p->lpm ? PTR_ERR(p->lpm) : -ENOMEM;
			p->lpm = NULL;
		}
	}
	ng_lpm_builder_free(b);
	return err;
}

static void ng_hits_free(struct ng_policy *p)
{
	u32 i;

	if (!p->hits)
		return;
	for (i = 0; i < p->nhit_chunks; i++)
		free_percpu(p->hits[i]);
	kfree(p->hits);
	p->hits = NULL;
}

/* One counter per rule and one for the default, per CPU. */
static int ng_hits_alloc(struct ng_policy *p)
{
	u32 n = p->src.nrules + 1, i;

	p->nhit_chunks = DIV_ROUND_UP(n, NG_HITS_CHUNK);
	p->hits = kcalloc(p->nhit_chunks, sizeof(*p->hits), NG_GFP);
	if (!p->hits)
		return -ENOMEM;
	for (i = 0; i < p->nhit_chunks; i++) {
		p->hits[i] = __alloc_percpu_gfp(sizeof(u64) * NG_HITS_CHUNK,
						sizeof(u64), NG_GFP);
		if (!p->hits[i])
			return -ENOMEM;
	}
	return 0;
}

u64 ng_policy_hits(const struct ng_policy *p, u32 rule)
{
	u32 i = rule == NG_RULE_NONE ? p->src.nrules : rule;
	unsigned int cpu;
	u64 sum = 0;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(p->hits[i / NG_HITS_CHUNK],
					     cpu)[i % NG_HITS_CHUNK]);
	return sum;
}

static u32 ng_iface_hash(const char *name)
{
	return jhash(name, strnlen(name, IFNAMSIZ), 0);
}

/* Open-addressing index of the iface members by name. */
static int ng_build_ifaces(struct ng_policy *p, const char **why)
{
	u32 n = p->src.nifaces, size, i, h;

	if (!n)
		return 0;
	size = roundup_pow_of_two(2 * n);
	p->iface_slots = kvcalloc(size, sizeof(*p->iface_slots), NG_GFP);
	if (!p->iface_slots)
		return -ENOMEM;
	p->iface_mask = size - 1;
	for (i = 0; i < n; i++) {
		const char *name = p->src.ifaces[i].name;

		for (h = ng_iface_hash(name); ; h++) {
			u16 *slot = &p->iface_slots[h & p->iface_mask];

			if (!*slot) {
				*slot = i + 1;
				break;
			}
			if (!strncmp(p->src.ifaces[*slot - 1].name, name,
				     IFNAMSIZ)) {
				*why = "the same interface is listed twice";
				return -EEXIST;
			}
		}
	}
	return 0;
}

static u16 ng_iface_seg(const struct ng_policy *p, const struct net_device *dev)
{
	u32 h;

	for (h = ng_iface_hash(dev->name); ; h++) {
		u16 slot = p->iface_slots[h & p->iface_mask];

		if (!slot)
			return NGUARD_SEGMENT_WORLD;
		if (!strncmp(p->src.ifaces[slot - 1].name, dev->name, IFNAMSIZ))
			return p->src.ifaces[slot - 1].seg;
	}
}

static void ng_limit_compile(struct ng_limit_rt *rt,
			     const struct ng_conn_limit *l)
{
	memset(rt, 0, sizeof(*rt));
	if (l->rate) {
		rt->pkt_rate = l->rate;
		rt->pkt_scale = max_t(u32, U16_MAX / max_t(u32, l->burst, 1), 1);
		rt->pkt_cap = min_t(u32, l->burst, U16_MAX) * rt->pkt_scale;
	}
	if (l->bytes) {
		rt->byte_rate = l->bytes;
		rt->byte_cap = min_t(u64, l->bytes_burst ?: l->bytes, U32_MAX);
	}
	rt->on = rt->pkt_rate || rt->byte_rate;
}

int ng_src_add_exempt(struct ng_policy_src *s, const struct ng_exempt *e)
{
	int err;

	if (e->seg ? e->family :
	    (e->family == 4 ? e->plen > 32 : e->family != 6 || e->plen > 128))
		return -EINVAL;
	err = ng_grow(&s->exempt, &s->exempt_cap, s->nexempt + 1,
		      sizeof(*s->exempt), NGUARD_MAX_EXEMPT);
	if (err)
		return err;
	s->exempt[s->nexempt++] = *e;
	return 0;
}

/* Does @addr fall in the prefix @a/@plen? */
static bool ng_in_prefix(const u8 *addr, const u8 *a, u8 plen)
{
	u32 full = plen / 8, rest = plen % 8;

	if (memcmp(addr, a, full))
		return false;
	return !rest || !((addr[full] ^ a[full]) & (0xff << (8 - rest)));
}

bool ng_policy_exempt(const struct ng_policy *p, u8 family, const u8 *addr,
		      u16 seg)
{
	const struct ng_exempt *e;
	u32 i;

	for (i = 0; i < p->src.nexempt; i++) {
		e = &p->src.exempt[i];
		if (e->seg ? e->seg == seg :
		    e->family == family && ng_in_prefix(addr, e->addr, e->plen))
			return true;
	}
	return false;
}

static int ng_check_detectors(const struct ng_policy_src *s, const char **why)
{
	u32 i;

	for (i = 0; i < s->nexempt; i++) {
		if (s->exempt[i].seg > s->nseg) {
			*why = "an exempt statement names a segment that does not exist";
			return -EINVAL;
		}
	}

	for (i = 0; i < s->ndet; i++) {
		const struct ng_detector *d = &s->det[i];

		if ((d->from != NGUARD_SEGMENT_ANY && d->from > s->nseg) ||
		    (d->to != NGUARD_SEGMENT_ANY && d->to > s->nseg)) {
			*why = "a detector names a segment that does not exist";
			return -EINVAL;
		}
	}
	return 0;
}

struct ng_policy *ng_policy_compile(struct ng_policy_src *src, const char **why)
{
	u64 t0 = ktime_get_ns();
	struct ng_policy *p;
	int err;

	*why = NULL;
	p = kzalloc(sizeof(*p), NG_GFP);
	if (!p)
		return ERR_PTR(-ENOMEM);
	kref_init(&p->ref);
	p->src = *src;
	err = ng_src_grow_names(&p->src, 1);	/* a policy without segments */
	if (err)
		goto fail;
	err = ng_count_members(p);
	if (err)
		goto fail;
	err = ng_build_lpm(p, why);
	if (err)
		goto fail;
	err = ng_rules_build(&p->index, p->src.rules, p->src.nrules,
			     p->src.matches, p->src.nseg, NG_GFP);
	if (err) {
		if (err == -EINVAL)
			*why = "a rule names a segment that does not exist";
		goto fail;
	}
	err = ng_check_detectors(&p->src, why);
	if (!err)
		err = ng_build_ifaces(p, why);
	if (!err)
		err = ng_hits_alloc(p);
	if (!err && p->src.observe_max) {
		RCU_INIT_POINTER(p->obs, ng_obs_create(p->src.observe_max, NG_GFP));
		if (!rcu_access_pointer(p->obs))
			err = -ENOMEM;
	}
	if (err) {
		ng_rules_destroy(&p->index);
		goto fail;
	}
	ng_limit_compile(&p->limit, &p->src.limit);
	ng_src_init(src);	/* ownership moved into the policy */
	p->compile_ns = ktime_get_ns() - t0;
	return p;

fail:
	ng_obs_destroy(rcu_dereference_protected(p->obs, 1));
	ng_hits_free(p);
	kvfree(p->iface_slots);
	kvfree(p->counts);
	if (p->lpm)
		ng_lpm_free(p->lpm);
	/* The draft keeps its arrays; only what we added here is undone. */
	if (!src->names)
		kvfree(p->src.names);
	kfree(p);
	return ERR_PTR(err);
}

/*
 * Retired policies are freed by a work item after a grace period
 * (queue_rcu_work), in process context: a 100k-prefix policy is megabytes
 * of vmalloc'ed arrays, too much to free in an RCU callback (softirq).
 * The workqueue is the module's own so that unload can drain it.
 */
static struct workqueue_struct *ng_policy_wq;

int ng_policy_module_init(void)
{
	ng_policy_wq = alloc_workqueue("nguard_policy_free", WQ_UNBOUND, 0);
	return ng_policy_wq ? 0 : -ENOMEM;
}

void ng_policy_module_exit(void)
{
	rcu_barrier();	/* every queue_rcu_work() has queued its work */
	destroy_workqueue(ng_policy_wq);	/* ... and it has run */
	ng_policy_wq = NULL;
}

static void ng_policy_free_work(struct work_struct *work)
{
	struct ng_policy *p = container_of(to_rcu_work(work), struct ng_policy,
					   free_work);

	ng_obs_destroy(rcu_dereference_protected(p->obs, 1));
	ng_hits_free(p);
	kvfree(p->iface_slots);
	ng_rules_destroy(&p->index);
	ng_lpm_free(p->lpm);
	kvfree(p->counts);
	ng_src_free(&p->src);
	kfree(p);
}

static void ng_policy_release(struct kref *ref)
{
	struct ng_policy *p = container_of(ref, struct ng_policy, ref);

	INIT_RCU_WORK(&p->free_work, ng_policy_free_work);
	queue_rcu_work(ng_policy_wq, &p->free_work);
}

void ng_policy_put(struct ng_policy *p)
{
	if (p)
		kref_put(&p->ref, ng_policy_release);
}

bool ng_policy_tryget(struct ng_policy *p)
{
	return kref_get_unless_zero(&p->ref);
}

u16 ng_policy_classify(const struct ng_policy *p, u8 family, const u8 *addr)
{
	if (family == 4)
		return ng_lpm_lookup4(p->lpm, ng_be32(addr));
	return ng_lpm_lookup6(p->lpm, addr);
}

void ng_policy_judge(const struct ng_policy *p, u8 family, const u8 *saddr,
		     const u8 *daddr, u8 proto, u16 dport,
		     const struct net_device *in, const struct net_device *out,
		     struct ng_judgement *j)
{
	j->src_seg = ng_policy_classify(p, family, saddr);
	j->dst_seg = ng_policy_classify(p, family, daddr);
	if (p->iface_slots) {
		if (j->src_seg == NGUARD_SEGMENT_WORLD && in)
			j->src_seg = ng_iface_seg(p, in);
		if (j->dst_seg == NGUARD_SEGMENT_WORLD && out)
			j->dst_seg = ng_iface_seg(p, out);
	}
	j->rule = ng_rules_eval(&p->index, j->src_seg, j->dst_seg, proto, dport);
	j->verdict = j->rule == NG_RULE_NONE ? p->src.dflt :
		     p->src.rules[j->rule].action;
}
