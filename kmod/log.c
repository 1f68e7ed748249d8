// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rate-limited logging — theory of operation.
 *
 * Every dmesg line a packet can cause goes through ng_log_allow() of its
 * namespace: a token bucket of @burst lines refilled at @rate lines per
 * second, kept as nanoseconds of credit so the refill is one subtraction
 * and one multiplication. The bucket is shared by the namespace's CPUs
 * but only ever spin_trylock'ed: a CPU that finds it busy counts its line
 * as suppressed instead of waiting, so an attacker cannot make CPUs spin
 * on it. Suppressed lines are summed in an atomic and reported by a
 * deferrable work at most once a second as
 *   nguard: N messages suppressed
 * which bounds the output of a namespace to burst + rate * t + t lines
 * over t seconds, whatever the traffic. Counters: log_lines,
 * log_suppressed. Monitor events use a second, "quiet" bucket of the
 * same rate: the number they lost travels in the next event instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/printk.h>
#include "log.h"
#include "stats.h"

#define NG_LOG_REPORT_DELAY	HZ

static void ng_log_report(struct work_struct *work)
{
	struct ng_log *l = container_of(to_delayed_work(work), struct ng_log,
					report);
	int n = atomic_xchg(&l->suppressed, 0);

	if (n > 0)
		pr_info("%d messages suppressed\n", n);
}

void ng_log_init(struct ng_log *l, struct ng_stats *stats, u8 cnt_ok,
		 u8 cnt_suppressed, bool quiet)
{
	spin_lock_init(&l->lock);
	l->rate = NG_LOG_RATE;
	l->burst = NG_LOG_BURST;
	l->tokens = (u64)l->burst * NSEC_PER_SEC / l->rate;
	l->last = ktime_get_ns();
	atomic_set(&l->suppressed, 0);
	l->stats = stats;
	l->cnt_ok = cnt_ok;
	l->cnt_suppressed = cnt_suppressed;
	l->quiet = quiet;
	INIT_DEFERRABLE_WORK(&l->report, ng_log_report);
}

void ng_log_set(struct ng_log *l, u32 rate, u32 burst)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->rate = rate ?: NG_LOG_RATE;
	l->burst = burst ?: NG_LOG_BURST;
	l->tokens = min_t(u64, l->tokens,
			  (u64)l->burst * (NSEC_PER_SEC / l->rate));
	spin_unlock_irqrestore(&l->lock, flags);
}

u32 ng_log_take_suppressed(struct ng_log *l)
{
	return atomic_xchg(&l->suppressed, 0);
}

void ng_log_exit(struct ng_log *l)
{
	cancel_delayed_work_sync(&l->report);
	if (!l->quiet)
		ng_log_report(&l->report.work);
}

bool ng_log_allow(struct ng_log *l)
{
	u64 now, cost, cap;
	unsigned long flags;
	bool ok = false;

	if (spin_trylock_irqsave(&l->lock, flags)) {
		now = ktime_get_ns();
		cost = NSEC_PER_SEC / l->rate;
		cap = cost * l->burst;
		l->tokens = min(l->tokens + (now - l->last), cap);
		l->last = now;
		if (l->tokens >= cost) {
			l->tokens -= cost;
			ok = true;
		}
		spin_unlock_irqrestore(&l->lock, flags);
	}
	if (ok) {
		ng_stats_inc(l->stats, l->cnt_ok);
		return true;
	}
	ng_stats_inc(l->stats, l->cnt_suppressed);
	if (atomic_inc_return(&l->suppressed) == 1 && !l->quiet)
		mod_delayed_work(system_power_efficient_wq, &l->report,
				 NG_LOG_REPORT_DELAY);
	return false;
}
