/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-source connection counts: how many tracked connections each source
 * holds, for "limit source N". Owned by the connection table (conntab.c),
 * which takes a slot for a connection it admits and gives it back when
 * the connection goes. See srccount.c.
 */
#ifndef NGUARD_SRCCOUNT_H
#define NGUARD_SRCCOUNT_H

#include <linux/rhashtable-types.h>
#include <linux/types.h>

/* A source as the policy sees it (IPv6: masked to its source prefix). */
struct ng_src_key {
	u8 addr[16];		/* IPv4 in the first 4 bytes, rest zero */
	u8 family;		/* 4 or 6 */
	u8 pad[3];		/* zero */
};

struct ng_src;

struct ng_srccount {
	struct rhashtable ht;
};

/* Process context. */
int ng_srccount_init(struct ng_srccount *sc);
/* Every slot must have been given back. Process context. */
void ng_srccount_destroy(struct ng_srccount *sc);

/*
 * Take one slot of @key's source if it holds fewer than @limit (>= 1).
 * The source's entry, ERR_PTR(-EDQUOT) at the limit, ERR_PTR(-ENOMEM)
 * (or another error of the hash table) if no entry could be made.
 * Under rcu_read_lock(), any context.
 */
struct ng_src *ng_src_get(struct ng_srccount *sc, const struct ng_src_key *key,
			  u32 limit);
/* Give back a slot taken by ng_src_get(). Any context. */
void ng_src_put(struct ng_srccount *sc, struct ng_src *s);

/* Slots @key's source holds now (0 if none). Under rcu_read_lock(). */
u32 ng_srccount_held(struct ng_srccount *sc, const struct ng_src_key *key);
/* Sources holding at least one slot (approximate while they change). */
u32 ng_srccount_sources(const struct ng_srccount *sc);

#endif /* NGUARD_SRCCOUNT_H */
