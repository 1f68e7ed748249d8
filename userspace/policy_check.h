/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks across the statements of a policy file, run once the parser has
 * read every line and resolved the segment names: repeated segment
 * members (dropped with a warning in the same segment, an error in two),
 * the uapi limits on prefixes and interfaces, exempt lines left empty,
 * segments without members, detectors that repeat or hide each other,
 * "limit source" above "conns max", and a missing "default".
 */
#ifndef NGUARDCTL_POLICY_CHECK_H
#define NGUARDCTL_POLICY_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "policy.h"

/* One segment member as written, for duplicate detection and limit checks. */
struct ng_member4 {
	uint32_t addr;
	uint8_t len;
	uint8_t dead;		/* a repetition the checks dropped */
	uint16_t seg;		/* index into policy segs */
	uint32_t idx;		/* index into the segment's array */
	unsigned int line, col;
};

struct ng_member6 {
	uint8_t addr[16];
	uint8_t len;
	uint8_t dead;
	uint16_t seg;
	uint32_t idx;
	unsigned int line, col;
};

struct ng_member_if {
	char name[NG_IFNAMSIZ];
	uint8_t dead;
	uint16_t seg;
	uint32_t idx;
	unsigned int line, col;
};

/* Where the parser found what the checks report on. */
struct ng_srcinfo {
	struct ng_member4 *r4;
	size_t n4, cap4;
	struct ng_member6 *r6;
	size_t n6, cap6;
	struct ng_member_if *rif;
	size_t nif, capif;
	unsigned int *seg_col;	/* column of each segment's first name */
	size_t cap_seg_col;
	unsigned int det_col[NGUARD_MAX_DETECTORS];	/* column of each detector's kind */
	unsigned int def_line, conns_line;	/* 0: no such statement */
	unsigned int limit_source_line, limit_source_col;
};

void ng_srcinfo_free(struct ng_srcinfo *src);

/*
 * Run the checks on @p, reporting through @rep; drops repeated members
 * and emptied exempt lines from @p. @errors: the diagnostics' error count
 * before the parse (with more, the checks that would mostly repeat an
 * earlier error are skipped).
 */
void ng_policy_check(struct ng_policy *p, struct ng_srcinfo *src,
		     struct ng_reporter *rep, unsigned int errors);

#endif
