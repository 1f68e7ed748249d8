// SPDX-License-Identifier: GPL-2.0-only
/*
 * Port lists: a token such as "22,80-90" split at commas, each item a
 * port or a range lo-hi (1..65535, lo <= hi), each handed to a callback
 * that builds whatever the statement holds (rule terms, a detector's
 * service). Errors point at the item's column.
 */
#include <string.h>
#include "parse_ctx.h"
#include "parse_ports.h"

bool ng_parse_port_list(struct ng_parser *ps, const struct ng_tok *t, ng_port_range_fn add,
			void *ctx)
{
	size_t pos = 0;

	for (;;) {
		const char *item = t->s + pos, *comma, *dash;
		size_t len = t->len - pos;
		unsigned int col = t->col + (unsigned int)pos;
		struct ng_tok it;
		uint64_t lo, hi;

		comma = memchr(item, ',', len);
		if (comma)
			len = (size_t)(comma - item);
		it.s = item;
		it.len = len;
		it.col = col;
		if (!len) {
			ng_err(ps, col, "empty port in list '%s'", NG_Q(t));
			return false;
		}
		dash = memchr(item, '-', len);
		if (dash) {
			size_t l1 = (size_t)(dash - item);

			if (ng_scan_uint(item, l1, 65535, &lo) ||
			    ng_scan_uint(dash + 1, len - l1 - 1, 65535, &hi) || !lo || !hi) {
				ng_err(ps, col, "bad port range '%s' (ports are 1..65535)", NG_Q(&it));
				return false;
			}
			if (lo > hi) {
				ng_err(ps, col, "bad port range '%s': %u is above %u", NG_Q(&it),
				       (unsigned int)lo, (unsigned int)hi);
				return false;
			}
		} else {
			if (ng_scan_uint(item, len, 65535, &lo) || !lo) {
				ng_err(ps, col, "bad port '%s' (ports are 1..65535)", NG_Q(&it));
				return false;
			}
			hi = lo;
		}
		if (!add(ps, &it, (uint16_t)lo, (uint16_t)hi, ctx))
			return false;
		if (!comma)
			return true;
		pos += len + 1;
	}
}
