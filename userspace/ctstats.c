// SPDX-License-Identifier: GPL-2.0-only
/*
 * NGUARD_A_CONNTAB, the connection table's summary in GET_STATUS replies:
 * five NLA_U32 gauges (entries, limit, established, entry size, buckets),
 * NLA_U64 event counters from NGUARD_CT_A_FIRST_COUNTER to
 * NGUARD_CT_A_LAST_COUNTER, then the NLA_U32 gauge NGUARD_CT_A_SOURCES (sources
 * holding connections counted by "limit source"). Every attribute but
 * SOURCES is required, and each must have its exact size, so a module
 * built from another uapi header is reported, not misread; SOURCES may be
 * absent (a module that predates "limit source"). Counter names are the
 * lowercase attribute suffixes (NGUARD_CT_A_EVICT_IDLE -> "evict_idle").
 */
#include <string.h>
#include "ctstats.h"
#include "nl.h"

/* Indexed by attribute - NGUARD_CT_A_FIRST_COUNTER. */
#define CT(x) [NGUARD_CT_A_##x - NGUARD_CT_A_FIRST_COUNTER]

static const char *const names[] = {
	CT(INSERTS)		= "inserts",
	CT(EVICT_EXPIRED)	= "evict_expired",
	CT(EVICT_HALFOPEN)	= "evict_halfopen",
	CT(EVICT_IDLE)		= "evict_idle",
	CT(REFUSED_FULL)	= "refused_full",
	CT(REFUSED_CHAIN)	= "refused_chain",
	CT(GC_FREED)		= "gc_freed",
	CT(ALLOC_FAILED)	= "alloc_failed",
	CT(PRUNED)		= "pruned",
};

#undef CT

_Static_assert(sizeof(names) / sizeof(names[0]) == NG_CT_COUNTERS,
	       "every connection-table counter needs a name");
_Static_assert(NGUARD_CT_A_SOURCES == NGUARD_CT_A_LAST_COUNTER + 1 &&
	       NGUARD_CT_A_SOURCES == NGUARD_CT_A_MAX,
	       "a new connection-table attribute: a counter or a gauge?");

const char *ng_conntab_counter_name(unsigned int i)
{
	return i < NG_CT_COUNTERS ? names[i] : "unknown";
}

int ng_conntab_parse(const struct nlattr *nest, struct ng_conntab *out)
{
	struct nlattr *tb[NGUARD_CT_A_MAX + 1];
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (!nest || nla_parse_nested(tb, NGUARD_CT_A_MAX, (struct nlattr *)nest, NULL) < 0)
		return -1;
	if (ng_nla_u32(tb[NGUARD_CT_A_COUNT], &out->count) ||
	    ng_nla_u32(tb[NGUARD_CT_A_MAX_ENTRIES], &out->max) ||
	    ng_nla_u32(tb[NGUARD_CT_A_ESTABLISHED], &out->established) ||
	    ng_nla_u32(tb[NGUARD_CT_A_ENTRY_SIZE], &out->entry_size) ||
	    ng_nla_u32(tb[NGUARD_CT_A_BUCKETS], &out->buckets))
		return -1;
	for (i = 0; i < NG_CT_COUNTERS; i++)
		if (ng_nla_u64(tb[NGUARD_CT_A_FIRST_COUNTER + i], &out->cnt[i]))
			return -1;
	if (tb[NGUARD_CT_A_SOURCES]) {
		if (ng_nla_u32(tb[NGUARD_CT_A_SOURCES], &out->sources))
			return -1;
		out->has_sources = true;
	}
	return 0;
}

json_object *ng_conntab_json(const struct ng_conntab *ct)
{
	json_object *o = json_object_new_object();
	unsigned int i;

	json_object_object_add(o, "count", json_object_new_uint64(ct->count));
	json_object_object_add(o, "max", json_object_new_uint64(ct->max));
	json_object_object_add(o, "established", json_object_new_uint64(ct->established));
	json_object_object_add(o, "entry_size", json_object_new_uint64(ct->entry_size));
	json_object_object_add(o, "buckets", json_object_new_uint64(ct->buckets));
	json_object_object_add(o, "sources", ct->has_sources ?
			       json_object_new_uint64(ct->sources) : NULL);
	for (i = 0; i < NG_CT_COUNTERS; i++)
		json_object_object_add(o, names[i], json_object_new_uint64(ct->cnt[i]));
	return o;
}
