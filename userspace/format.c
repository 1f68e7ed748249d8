// SPDX-License-Identifier: GPL-2.0-only
/*
 * Human-readable numbers: byte counts (IEC units), durations and times.
 * Every fraction is truncated, never rounded up, so a value never shows
 * in a unit it has not reached.
 */
#include <stdio.h>
#include <time.h>
#include "format.h"

char *ng_fmt_bytes(char *buf, size_t len, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned int u = 0;
	uint64_t whole = bytes, tenths;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	/* Find the unit, then compute one truncated decimal from the remainder. */
	while (whole >= 1024 * 1024 && u < 5) {
		whole >>= 10;
		u++;
	}
	tenths = (whole % 1024) * 10 / 1024;
	snprintf(buf, len, "%llu.%llu %s", (unsigned long long)(whole / 1024),
		 (unsigned long long)tenths, unit[u]);
	return buf;
}

char *ng_fmt_ns(char *buf, size_t len, uint64_t ns)
{
	static const char *const unit[] = { "us", "ms", "s" };
	uint64_t div = 1000;
	unsigned int u = 0;

	if (ns < 1000) {
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
		return buf;
	}
	while (u < 2 && ns / div >= 1000) {
		div *= 1000;
		u++;
	}
	snprintf(buf, len, "%llu.%llu %s", (unsigned long long)(ns / div),
		 (unsigned long long)(ns % div * 10 / div), unit[u]);
	return buf;
}

char *ng_fmt_ms(char *buf, size_t len, uint64_t ms)
{
	if (ms < 1000)
		snprintf(buf, len, "%llums", (unsigned long long)ms);
	else if (ms < 100000)
		snprintf(buf, len, "%llu.%llus", (unsigned long long)(ms / 1000),
			 (unsigned long long)(ms % 1000 / 100));
	else
		snprintf(buf, len, "%llus", (unsigned long long)(ms / 1000));
	return buf;
}

char *ng_fmt_utc(char *buf, size_t len, uint64_t secs)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if ((uint64_t)t != secs || t < 0 || !gmtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, len, "@%llu", (unsigned long long)secs);
	return buf;
}

int ng_digits(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}
