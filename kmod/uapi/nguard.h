/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nguard generic netlink contract, shared by nguard.ko and nguardctl.
 *
 * Family
 * ------
 * Name NGUARD_GENL_NAME ("nguard"), version NGUARD_GENL_VERSION. The family
 * is network-namespace aware: every command acts on the namespace of the
 * socket that sends it, and each namespace has its own state.
 *
 * Every operation validates its attributes strictly against its own
 * policy: unknown attributes, wrong lengths and out-of-range values are
 * rejected with -EINVAL and an extended-ACK message naming the attribute.
 * Every operation requires CAP_NET_ADMIN in the initial user namespace
 * (GENL_ADMIN_PERM); unprivileged readers use /proc/net/nguard/stats.
 *
 * Commands
 * --------
 * NGUARD_CMD_GET_STATUS (doit)
 *   Request: no attributes.
 *   Reply (same command):
 *     NGUARD_A_VERSION      NLA_NUL_STRING  module version, e.g. "0.1.0"
 *     NGUARD_A_POLICY_GEN   NLA_U64         generation of the live policy;
 *                                           0 = no policy, pass-through
 *     NGUARD_A_STATS        NLA_NESTED      enum nguard_stats_attr
 *
 * Nested NGUARD_A_STATS
 * ---------------------
 * One NLA_U64 per counter, summed over all CPUs at the time of the request.
 * "in" counts packets that arrive at the namespace (netfilter PRE_ROUTING:
 * both local-in and forwarded traffic), "out" counts packets the namespace
 * itself sends (LOCAL_OUT). Each packet is counted once per namespace.
 * Bytes are the IP-layer length of each packet as seen at the hook; a GSO
 * super-packet counts as its number of segments and its total length.
 * NGUARD_STATS_A_PAD only pads 64-bit values and carries no data.
 * Counters are monotonic from module load (or namespace creation).
 */
#ifndef _UAPI_LINUX_NGUARD_H
#define _UAPI_LINUX_NGUARD_H

#define NGUARD_GENL_NAME	"nguard"
#define NGUARD_GENL_VERSION	1

/*
 * Policy limits, enforced by the module and checked early by nguardctl.
 * Segment ids are 16 bit: 0 is the implicit segment "world", 1..MAX are
 * the named segments in file order.
 */
#define NGUARD_SEGMENT_NAME_MAX	32	/* bytes including the NUL */
#define NGUARD_MAX_SEGMENTS	4096
#define NGUARD_MAX_PREFIXES	(4 * 1024 * 1024)	/* v4 + v6, all segments */
#define NGUARD_MAX_IFACES	1024	/* iface members, all segments */
#define NGUARD_MAX_RULES	262144
#define NGUARD_MAX_RULE_MATCHES	64	/* proto/port-range terms per rule */
#define NGUARD_SEGMENT_WORLD	0

enum nguard_cmd {
	NGUARD_CMD_UNSPEC,
	NGUARD_CMD_GET_STATUS,

	__NGUARD_CMD_MAX
};

#define NGUARD_CMD_MAX (__NGUARD_CMD_MAX - 1)

enum nguard_attr {
	NGUARD_A_UNSPEC,
	NGUARD_A_PAD,
	NGUARD_A_VERSION,
	NGUARD_A_POLICY_GEN,
	NGUARD_A_STATS,

	__NGUARD_A_MAX
};

#define NGUARD_A_MAX (__NGUARD_A_MAX - 1)

/*
 * Counter identifiers. NGUARD_STATS_A_<X> == NGUARD_CNT_<X> +
 * NGUARD_STATS_A_FIRST_COUNTER, so a counter's attribute type is derived
 * from its index and the two enums cannot drift apart.
 */
enum nguard_counter {
	NGUARD_CNT_IPV4_IN_PACKETS,
	NGUARD_CNT_IPV4_IN_BYTES,
	NGUARD_CNT_IPV4_OUT_PACKETS,
	NGUARD_CNT_IPV4_OUT_BYTES,
	NGUARD_CNT_IPV6_IN_PACKETS,
	NGUARD_CNT_IPV6_IN_BYTES,
	NGUARD_CNT_IPV6_OUT_PACKETS,
	NGUARD_CNT_IPV6_OUT_BYTES,

	__NGUARD_CNT_MAX
};

#define NGUARD_CNT_MAX __NGUARD_CNT_MAX

enum nguard_stats_attr {
	NGUARD_STATS_A_UNSPEC,
	NGUARD_STATS_A_PAD,
	NGUARD_STATS_A_IPV4_IN_PACKETS,
	NGUARD_STATS_A_IPV4_IN_BYTES,
	NGUARD_STATS_A_IPV4_OUT_PACKETS,
	NGUARD_STATS_A_IPV4_OUT_BYTES,
	NGUARD_STATS_A_IPV6_IN_PACKETS,
	NGUARD_STATS_A_IPV6_IN_BYTES,
	NGUARD_STATS_A_IPV6_OUT_PACKETS,
	NGUARD_STATS_A_IPV6_OUT_BYTES,

	__NGUARD_STATS_A_MAX
};

#define NGUARD_STATS_A_MAX (__NGUARD_STATS_A_MAX - 1)
#define NGUARD_STATS_A_FIRST_COUNTER NGUARD_STATS_A_IPV4_IN_PACKETS

#endif /* _UAPI_LINUX_NGUARD_H */
