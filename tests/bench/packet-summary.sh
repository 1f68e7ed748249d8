#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Summarise the "BENCH round=... config=... traffic=... ns_per_pkt=..."
# lines of `make bench-packet` (tests/bench/packet-guest.sh).
# Usage: packet-summary.sh RESULT_LOG [UNIT]
#   UNIT  what the guest's nanoseconds are: "TCG ns" (wall clock, the
#         default) or "instructions" (QEMU -icount shift=0)
# Per traffic kind: every round's ns/packet of A B C D E (ns_per_pkt, the
# fastest run of each measurement; configurations not run show "-"), the
# medians, the overheads B-A, C-A, D-A, E-A and the detectors' own E-C (of
# the medians) and the ratio (C-A)/(D-A), both
# of the medians and as the median of the per-round ratios (each round's
# A B C D ran back to back, so a per-round ratio cancels slow drifts).
set -euo pipefail
grep -h '^BENCH round=' "$1" | awk -v unit="${2:-TCG ns}" '
function med(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	k = f["traffic"]; c = f["config"]; r = f["round"]
	v[k, c, r] = f["ns_per_pkt"]
	w[k, c, r] = f["mean_ns"]
	if (!(k in seen)) { seen[k] = 1; kinds[++nk] = k }
	if (r > nr) nr = r
}
END {
	ncf = split("A B C D E S F", cf, " ")
	for (ki = 1; ki <= nk; ki++) {
		k = kinds[ki]
		printf "\ntraffic %s: %s per packet, each round\n", k, unit
		printf "%-6s", "round"
		for (ci = 1; ci <= ncf; ci++) printf " %8s", cf[ci]
		printf " %10s\n", "(C-A)/(D-A)"
		nrat = 0
		for (r = 1; r <= nr; r++) {
			printf "%-6s", r
			for (ci = 1; ci <= ncf; ci++) printf " %8s", ((k, cf[ci], r) in v) ? v[k, cf[ci], r] : "-"
			if ((k, "A", r) in v && (k, "C", r) in v && (k, "D", r) in v &&
			    v[k, "D", r] != v[k, "A", r]) {
				rat[++nrat] = (v[k, "C", r] - v[k, "A", r]) / (v[k, "D", r] - v[k, "A", r])
				printf " %10.2f", rat[nrat]
			}
			printf "\n"
		}
		for (ci = 1; ci <= ncf; ci++) {
			n = 0
			for (r = 1; r <= nr; r++) if ((k, cf[ci], r) in v) x[++n] = v[k, cf[ci], r]
			m[cf[ci]] = n ? med(x, n) : "-"
			delete x
		}
		printf "%-6s", "median"
		for (ci = 1; ci <= ncf; ci++) printf " %8s", m[cf[ci]]
		printf " %10s\n", nrat ? sprintf("%.2f", med(rat, nrat)) : "-"
		delete rat
		if (m["S"] != "-" && m["F"] != "-" && m["A"] == "-")
			printf "full table vs room (medians): F/S %.2f (goal <= 2)\n", m["F"] / m["S"]
		if (m["A"] == "-")
			continue
		printf "overhead per packet (medians, %s):", unit
		split("B nguard empty;C nguard policy;D nftables;E nguard policy+detectors", lab, ";")
		for (li = 1; li <= 4; li++) {
			c = substr(lab[li], 1, 1)
			if (m[c] != "-")
				printf " %s %s-A %d,", substr(lab[li], 3), c, m[c] - m["A"]
		}
		printf "\n"
		if (m["C"] != "-" && m["E"] != "-")
			printf "detectors (E-C, medians): %d %s per packet\n", m["E"] - m["C"], unit
		if (m["S"] != "-" && m["F"] != "-")
			printf "full table vs room (medians): F/S %.2f, (F-A)/(S-A) %s (goal F/S <= 2)\n",
				m["F"] / m["S"], m["A"] == "-" ? "-" : sprintf("%.2f", (m["F"] - m["A"]) / (m["S"] - m["A"]))
		if (m["C"] != "-" && m["D"] != "-" && m["D"] != m["A"])
			printf "ratio (C-A)/(D-A) of medians: %.2f (goal <= 0.7)\n",
				(m["C"] - m["A"]) / (m["D"] - m["A"])
		# Cross-check: the same from the mean of all runs of each measurement.
		for (ci = 1; ci <= ncf; ci++) {
			n = 0
			for (r = 1; r <= nr; r++) if ((k, cf[ci], r) in w && w[k, cf[ci], r] != "") x[++n] = w[k, cf[ci], r]
			mm[cf[ci]] = n ? med(x, n) : 0
			delete x
		}
		if (mm["C"] && mm["D"] && mm["D"] != mm["A"])
			printf "with mean_ns (all runs) instead of the fastest run: medians %d %d %d %d %d, ratio %.2f\n",
				mm["A"], mm["B"], mm["C"], mm["D"], mm["E"], (mm["C"] - mm["A"]) / (mm["D"] - mm["A"])
		if (mm["C"] && mm["E"])
			printf "detectors E-C with mean_ns: %d\n", mm["E"] - mm["C"]
	}
}'
