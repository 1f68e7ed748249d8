/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Connection table: one bounded hash table of tracked connections per
 * network namespace, looked up without locks on the packet path. See the
 * theory of operation at the top of conntab.c.
 *
 * Contexts and locking
 * --------------------
 * ng_conntab_lookup(), ng_conntab_insert(), ng_conn_update(),
 * ng_conntab_delete() and ng_conntab_walk() are called under
 * rcu_read_lock() (the netfilter hooks hold it), in softirq or process
 * context (LOCAL_OUT is preemptible). They never sleep; insert allocates
 * with GFP_ATOMIC. A returned struct ng_conn stays valid (its memory, not
 * its membership in the table) until rcu_read_unlock().
 *
 * ng_conntab_create(), ng_conntab_destroy(), ng_conntab_set_max() and
 * ng_conntab_flush() sleep: process context only, never under RCU.
 *
 * Lifetime
 * --------
 * Module init: ng_conntab_module_init() before the first create.
 * Namespace exit: unregister the hooks (nf_unregister_net_hooks waits for
 * running hooks), remove /proc and netlink users, then
 * ng_conntab_destroy(): it stops the GC and hands every entry and the
 * table itself to call_rcu().
 * Module exit: after every table is destroyed, ng_conntab_module_exit()
 * runs rcu_barrier() (the RCU callbacks live in this module and free into
 * its cache) and then destroys the cache.
 *
 * Timeouts (seconds of inactivity; an entry expires when no packet was
 * seen in either direction for that long):
 *
 *   TCP SYN_SENT, SYN_RECV             60
 *   TCP ESTABLISHED                    7200 (nf_conntrack: 432000; a
 *                                      bounded table cannot hold idle
 *                                      connections for five days)
 *   TCP ESTABLISHED, no reply seen     60 (picked up mid-stream)
 *   TCP FIN_WAIT, CLOSING              120
 *   TCP CLOSE (RST seen)               10
 *   UDP / UDP-Lite, unreplied          30
 *   UDP / UDP-Lite, replied            180
 *   ICMP, ICMPv6                       30
 *   anything else                      600
 */
#ifndef NGUARD_CONNTAB_H
#define NGUARD_CONNTAB_H

#include <linux/bits.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include "srccount.h"

#define NG_CT_TIMEOUT_SYN		60
#define NG_CT_TIMEOUT_ESTABLISHED	7200
#define NG_CT_TIMEOUT_UNREPLIED_TCP	60
#define NG_CT_TIMEOUT_FIN		120
#define NG_CT_TIMEOUT_CLOSE		10
#define NG_CT_TIMEOUT_UDP		30
#define NG_CT_TIMEOUT_UDP_REPLIED	180
#define NG_CT_TIMEOUT_ICMP		30
#define NG_CT_TIMEOUT_OTHER		600

/* Limits for ng_conntab_create() / ng_conntab_set_max(); 0 = default. */
#define NG_CONNTAB_MIN_DEFAULT		4096
#define NG_CONNTAB_MAX_DEFAULT		BIT(20)
#define NG_CONNTAB_LIMIT		BIT(24)

/*
 * Lookup key. The two endpoints are stored in canonical order (endpoint 0
 * is the smaller of (address, port) compared bytewise), so both directions
 * of a connection build the same key; @dir says which endpoint sent the
 * packet the key was built from (1: endpoint 1). @dir and @zero are not
 * part of the identity: the hash and the comparison cover the first
 * NG_CONN_KEY_ID_LEN bytes only.
 */
struct ng_conn_key {
	union {
		struct {
			u8 addr[2][16];	/* IPv4 in the first 4 bytes */
			__be16 port[2];	/* ICMP: the echo identifier, twice */
			u8 family;	/* 4 or 6 */
			u8 proto;	/* IPPROTO_* */
			u8 dir;
			u8 zero;
		};
		u64 w[5];
	};
};

#define NG_CONN_KEY_ID_LEN	offsetof(struct ng_conn_key, dir)

/*
 * Build the key of a packet from @saddr:@sport to @daddr:@dport (4 or 16
 * byte addresses in network order, ports in network order). ICMP and
 * ICMPv6 echo pass the identifier as both ports. A connection whose two
 * endpoints are identical (same address and port) cannot tell its
 * directions apart: every packet counts as original.
 */
void ng_conn_key_init(struct ng_conn_key *k, u8 family, u8 proto,
		      const void *saddr, const void *daddr,
		      __be16 sport, __be16 dport);

/* TCP header flag bits, as in byte 13 of the header (tcp_flag_byte()). */
#define NG_TCP_FIN	0x01
#define NG_TCP_SYN	0x02
#define NG_TCP_RST	0x04
#define NG_TCP_ACK	0x10

/* TCP states (struct ng_conn.state); other protocols stay NG_TCP_NONE. */
enum ng_tcp_state {
	NG_TCP_NONE,
	NG_TCP_SYN_SENT,	/* SYN from the originator */
	NG_TCP_SYN_RECV,	/* SYN+ACK from the responder */
	NG_TCP_ESTABLISHED,	/* ACK from the originator after that */
	NG_TCP_FIN_WAIT,	/* FIN seen in one direction */
	NG_TCP_CLOSING,		/* FIN seen in both directions */
	NG_TCP_CLOSE,		/* RST seen */
	NG_TCP_NSTATES
};

/* struct ng_conn.flags */
#define NG_CONN_F_REPLIED	0x01	/* a packet in the reply direction */
#define NG_CONN_F_FIN_ORIG	0x02	/* FIN from the originator */
#define NG_CONN_F_FIN_REPLY	0x04	/* FIN from the responder */
#define NG_CONN_F_DEAD		0x80	/* unlinked, freed after a grace period */

/*
 * A tracked connection: 96 bytes on 64-bit, rate-limit state included.
 * Readers use READ_ONCE() on @state, @flags, @last, @pkts and the
 * buckets; the key never changes after insertion, the rule only when
 * ng_conntab_prune() re-judges the entry for a new policy (under its
 * bucket lock; readers may see either). @key.dir is the direction of the
 * first packet (the originator). Segments are not stored: they follow
 * from the addresses and the live policy, which the table's entries
 * always agree with (a new policy prunes the rest).
 */
struct ng_conn {
	struct hlist_node node;		/* bucket chain, RCU */
	union {
		struct ng_src *src;	/* "limit source" slot, or NULL */
		struct rcu_head rcu;	/* once unlinked */
	};
	struct ng_conn_key key;
	u8 state;			/* enum ng_tcp_state */
	u8 flags;			/* NG_CONN_F_* */
	u16 tb_pkts;			/* "limit conn" packet tokens, scaled */
	u32 last;			/* jiffies of the last packet */
	u32 rule;			/* rule that admitted it, or NG_RULE_NONE */
	u32 pkts[2];			/* original, reply; approximate, wraps */
	u32 tb_bytes;			/* "limit conn" byte tokens */
};

/* Per-CPU counters, folded by ng_conntab_stats(). */
enum ng_conntab_counter {
	NG_CT_CNT_INSERTS,		/* entries created */
	NG_CT_CNT_EVICT_EXPIRED,	/* expired entries evicted for room */
	NG_CT_CNT_EVICT_HALFOPEN,	/* TCP not established (or closing) */
	NG_CT_CNT_EVICT_IDLE,		/* idlest UDP / other */
	NG_CT_CNT_REFUSED_FULL,		/* insert refused: nothing evictable */
	NG_CT_CNT_REFUSED_CHAIN,	/* insert refused: bucket chain full */
	NG_CT_CNT_GC_FREED,		/* expired entries reaped (GC, lookup) */
	NG_CT_CNT_ALLOC_FAILED,		/* GFP_ATOMIC allocation failed */
	NG_CT_CNT_PRUNED,		/* removed by ng_conntab_prune() */
	NG_CT_CNT_MAX
};

struct ng_conntab_stats {
	u32 count;		/* entries in the table */
	u32 max;		/* current limit */
	u32 buckets;		/* hash buckets */
	u32 established;	/* established TCP, replied: never evicted */
	u32 sources;		/* sources holding counted connections */
	u64 cnt[NG_CT_CNT_MAX];
};

struct ng_conntab;

int ng_conntab_module_init(void);
void ng_conntab_module_exit(void);

/* Slab object size of one entry (kmem_cache_size()). */
unsigned int ng_conntab_entry_size(void);
/* Default limit: RAM / 16 KiB, clamped to [4096, 1M] entries. */
u32 ng_conntab_default_max(void);

/* @max 0 = ng_conntab_default_max(). NULL on failure or bad @max. */
struct ng_conntab *ng_conntab_create(u32 max, gfp_t gfp);
void ng_conntab_destroy(struct ng_conntab *t);

/*
 * Change the limit (0 = default; -EINVAL above NG_CONNTAB_LIMIT). When it
 * shrinks below the current count, entries are evicted at once in the
 * order of a full table (expired, TCP half-open/closing, UDP/other idlest
 * first); established TCP connections are kept even if they alone exceed
 * the new limit, and inserts are then refused until enough of them end.
 */
int ng_conntab_set_max(struct ng_conntab *t, u32 max);

/*
 * Find the connection of a packet whose key is @k; *@reply tells whether
 * the packet goes in the reply direction. Expired entries are reaped and
 * not returned. Under rcu_read_lock().
 */
struct ng_conn *ng_conntab_lookup(struct ng_conntab *t,
				  const struct ng_conn_key *k, bool *reply);

/*
 * Track a new connection whose first packet has key @k (so @k->dir is the
 * originator) and TCP flags @tcp_flags (ignored for other protocols);
 * its rate-limit buckets start full. With @src, the connection also takes
 * one of the at most @src_limit slots of that source ("limit source"),
 * given back when it leaves the table.
 * Under rcu_read_lock(). Returns 0 and the entry in *@out; -EEXIST with
 * the existing entry in *@out if another CPU inserted it first; -EDQUOT
 * when @src holds @src_limit connections; -ENOSPC when the table is full
 * and nothing may be evicted (refused_full) or the bucket chain is full
 * (refused_chain); -ENOMEM (also: no slot entry could be made).
 */
int ng_conntab_insert(struct ng_conntab *t, const struct ng_conn_key *k,
		      u32 rule, u8 tcp_flags, const struct ng_src_key *src,
		      u32 src_limit, struct ng_conn **out);

/* Connections @src holds against "limit source". Under rcu_read_lock(). */
u32 ng_conntab_src_held(struct ng_conntab *t, const struct ng_src_key *src);

/*
 * Account one more packet of @c: timestamp, packet counter, TCP state.
 * Lock-free unless the state changes. Returns NG_CONN_REOPEN when the
 * packet is a SYN that starts a new connection over a closed one (CLOSE or
 * CLOSING): the caller should ng_conntab_delete() @c and treat the packet
 * as the first of a new connection (judged again by the policy, in the
 * direction it really goes). Otherwise 0.
 */
#define NG_CONN_REOPEN	1
int ng_conn_update(struct ng_conntab *t, struct ng_conn *c, bool reply,
		   u8 tcp_flags);

/* Remove @c (idempotent). Under rcu_read_lock(). */
void ng_conntab_delete(struct ng_conntab *t, struct ng_conn *c);

/* Remove every entry. Process context. */
void ng_conntab_flush(struct ng_conntab *t);

/*
 * Re-examine every entry, e.g. for a new policy: @keep runs under the
 * entry's bucket lock with BH disabled (it must not sleep), may update
 * the entry's segments and rule with WRITE_ONCE(), and returns false to
 * remove the entry (counted as pruned). Process context. Returns the
 * number of entries removed.
 */
u32 ng_conntab_prune(struct ng_conntab *t,
		     bool (*keep)(struct ng_conn *c, void *arg), void *arg);

void ng_conntab_stats(const struct ng_conntab *t, struct ng_conntab_stats *out);
const char *ng_conntab_counter_name(unsigned int id);
const char *ng_conn_state_name(unsigned int state);

/* Seconds until @c expires if no further packet arrives (0: expired). */
u32 ng_conn_expires_in(const struct ng_conntab *t, const struct ng_conn *c);
/* Milliseconds since the last packet of @c. */
u32 ng_conn_idle_ms(const struct ng_conntab *t, const struct ng_conn *c);
/* The established, replied TCP connections that are never evicted. */
bool ng_conn_protected(const struct ng_conn *c);

/*
 * Dumps (/proc seq_file, netlink .dumpit): a resumable walk over the
 * buckets. Start with a zeroed iterator; under rcu_read_lock(), @fn is
 * called for each live entry from the cursor on. If @fn returns non-zero
 * the walk stops and the cursor stays on that entry (so a full netlink
 * message retries it next time); the value is returned. Returns 0 at the
 * end of the table, with it->bucket == NG_CONNTAB_ITER_END. Entries inserted
 * or removed during a dump that spans several calls may be missed or seen
 * twice, as with conntrack dumps, and a resize restarts the cursor's
 * meaning: dumps are snapshots of a moving table, not transactions.
 */
struct ng_conntab_iter {
	u32 bucket;		/* next bucket, or NG_CONNTAB_ITER_END */
	u32 skip;		/* entries of that bucket already reported */
};

#define NG_CONNTAB_ITER_END	U32_MAX

int ng_conntab_walk(struct ng_conntab *t, struct ng_conntab_iter *it,
		    int (*fn)(const struct ng_conn *c, void *arg), void *arg);

#endif /* NGUARD_CONNTAB_H */
