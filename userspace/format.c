// SPDX-License-Identifier: GPL-2.0-only
/*
 * Human-readable numbers: byte counts (IEC units), durations and times;
 * address prefixes. Every fraction is truncated, never rounded up, so a value never shows
 * in a unit it has not reached.
 */
#include <stdio.h>
#include <arpa/inet.h>
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

char *ng_fmt_secs(char *buf, size_t len, uint64_t secs)
{
	static const struct { uint64_t secs; char unit; } units[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' },
	};
	size_t i;

	for (i = 0; i + 1 < sizeof(units) / sizeof(units[0]); i++)
		if (secs >= units[i].secs)
			break;
	if (i + 1 == sizeof(units) / sizeof(units[0])) {
		snprintf(buf, len, "%llus", (unsigned long long)secs);
	} else if (secs % units[i].secs / units[i + 1].secs == 0) {
		snprintf(buf, len, "%llu%c", (unsigned long long)(secs / units[i].secs),
			 units[i].unit);
	} else {
		snprintf(buf, len, "%llu%c%llu%c", (unsigned long long)(secs / units[i].secs),
			 units[i].unit,
			 (unsigned long long)(secs % units[i].secs / units[i + 1].secs),
			 units[i + 1].unit);
	}
	return buf;
}

char *ng_fmt_iso(char *buf, size_t len, uint64_t ns, int ms)
{
	time_t t = (time_t)(ns / 1000000000u);
	struct tm tm;
	char s[32];

	if ((uint64_t)t != ns / 1000000000u || !gmtime_r(&t, &tm) ||
	    !strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "@%llu", (unsigned long long)ns);
		return buf;
	}
	if (ms)
		snprintf(buf, len, "%s.%03lluZ", s,
			 (unsigned long long)(ns % 1000000000u / 1000000u));
	else
		snprintf(buf, len, "%sZ", s);
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

char *ng_fmt_prefix(char *buf, size_t len, int fam, const void *a, uint8_t plen)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(fam, a, s, sizeof(s));
	snprintf(buf, len, "%s/%u", s, plen);
	return buf;
}
