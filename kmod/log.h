/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rate-limited logging for everything a packet can trigger: one token
 * bucket per network namespace. See log.c.
 */
#ifndef NGUARD_LOG_H
#define NGUARD_LOG_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

/* Defaults; the "log rate" policy statement will override them. */
#define NG_LOG_RATE	10	/* lines per second */
#define NG_LOG_BURST	20

struct ng_stats;

struct ng_log {
	spinlock_t lock;	/* only ever trylock'ed on the packet path */
	u64 tokens;		/* in ns of credit: one line costs NSEC/rate */
	u64 last;		/* ktime_get_ns() of the last refill */
	u32 rate;
	u32 burst;
	atomic_t suppressed;	/* since the last summary line */
	struct ng_stats *stats;
	u8 cnt_ok, cnt_suppressed;	/* enum nguard_counter */
	bool quiet;		/* no summary line: the caller reports */
	struct delayed_work report;
};

/*
 * Counts allowed lines in @cnt_ok and suppressed ones in @cnt_suppressed.
 * @quiet: no "N messages suppressed" line; ng_log_take_suppressed() tells.
 */
void ng_log_init(struct ng_log *l, struct ng_stats *stats, u8 cnt_ok,
		 u8 cnt_suppressed, bool quiet);
/* New rate (lines/s) and burst; 0 = default. Any context. */
void ng_log_set(struct ng_log *l, u32 rate, u32 burst);
/* Suppressed lines since the last call (quiet buckets). */
u32 ng_log_take_suppressed(struct ng_log *l);
/* Process context; no ng_log_allow() may run any more. */
void ng_log_exit(struct ng_log *l);
/*
 * May the caller print one line now? Counts the line or the suppression.
 * Any context; never spins.
 */
bool ng_log_allow(struct ng_log *l);

#endif /* NGUARD_LOG_H */
