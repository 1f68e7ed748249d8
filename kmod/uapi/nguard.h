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
 *     NGUARD_A_CONNTAB      NLA_NESTED      enum nguard_conntab_attr
 *     NGUARD_A_MODE         NLA_U8          live policy's mode (absent: none)
 *     NGUARD_A_POLICY_APPLIED NLA_U64       wall-clock seconds (Unix) of
 *                                           the live policy's commit
 *     NGUARD_A_POLICY_COMPILE_NS NLA_U64    its compile time, ns
 *
 * Policy transactions
 * -------------------
 * A policy of any size is applied atomically in a transaction bound to the
 * netlink socket that opened it; packets see the old policy or the new
 * one, never a mix. Only one transaction per namespace is open at a time.
 * If the socket closes before COMMIT or ABORT, the draft is freed.
 *
 * NGUARD_CMD_POLICY_BEGIN (doit): no attributes. Opens a draft; -EBUSY if
 *   another socket holds one. A second BEGIN on the same socket restarts.
 * NGUARD_CMD_POLICY_ADD (doit): any of
 *     NGUARD_A_MODE         NLA_U8   enum nguard_mode (default ENFORCE)
 *     NGUARD_A_DEFAULT      NLA_U8   enum nguard_verdict (default DENY)
 *     NGUARD_A_CONNS_MAX    NLA_U32  connection-table limit (0 = default)
 *     NGUARD_A_SEGMENT      nested enum nguard_segment_attr, repeatable.
 *         A new segment must use the next free id and carry its NAME;
 *         later chunks append PREFIX4/PREFIX6/IFACE members to any id.
 *     NGUARD_A_RULE         nested enum nguard_rule_attr, repeatable;
 *         rules are appended in order (first match wins).
 * NGUARD_CMD_POLICY_COMMIT (doit): optional NGUARD_A_CONFIRM_SECS (1..86400).
 *   Compiles the draft, publishes it and replies with NGUARD_A_POLICY_GEN.
 *   With CONFIRM_SECS the module restores the previous policy by itself
 *   unless NGUARD_CMD_POLICY_CONFIRM arrives in time.
 * NGUARD_CMD_POLICY_ABORT (doit): drops the draft.
 * NGUARD_CMD_POLICY_CONFIRM (doit): keeps the policy pending confirmation.
 * NGUARD_CMD_POLICY_FLUSH (doit): back to pass-through (no policy).
 * NGUARD_CMD_POLICY_GET (dump): the live policy as a sequence of messages:
 *   settings (POLICY_GEN, MODE, DEFAULT, CONNS_MAX, DEFAULT_HITS, and the
 *   anomaly settings the policy has),
 *   then NGUARD_A_SEGMENT chunks, then NGUARD_A_RULE entries with INDEX.
 *   Nothing when no policy is loaded.
 * NGUARD_CMD_TRACE (doit): NGUARD_A_TRACE with SRC, DST, PROTO, DPORT;
 *   the reply's NGUARD_A_TRACE adds both segments, the verdict and the
 *   deciding rule (absent when the default decides), and POLICY_GEN.
 * NGUARD_CMD_CONNS_GET (dump): one NGUARD_A_CONN nest per tracked
 *   connection of the namespace (enum nguard_conn_attr). A dump is a
 *   snapshot of a moving table: entries created or ended meanwhile may be
 *   missed or, rarely, reported twice.
 *
 * Rule hit counters: POLICY_GET reports NGUARD_RULE_A_HITS per rule and
 * NGUARD_A_DEFAULT_HITS in the settings message: the packets whose verdict
 * that rule (or the default) decided, i.e. first packets of connections
 * and dropped packets. Packets of tracked connections do not count.
 *
 * Packet path
 * -----------
 * With no policy every packet passes (PASS_NO_POLICY) and nothing is
 * tracked. With a policy, each packet is judged once per namespace: at
 * PRE_ROUTING (local-in and forwarded) or LOCAL_OUT (locally sent).
 * Loopback traffic and ICMPv6 neighbour discovery / MLD always pass
 * (PASS_LOCAL). A packet of a tracked connection, in either direction,
 * passes (PASS_ESTABLISHED), as does an ICMP error about one
 * (PASS_RELATED). Otherwise the policy decides; an allowed first packet
 * creates a connection entry (PASS_NEW; DROP_CONNS_FULL when the table
 * refuses it). A denied packet is dropped (DROP_POLICY) or, in monitor
 * mode, passed and tracked (PASS_MONITOR) so that a flow is reported
 * once, not per packet. A new policy re-judges every tracked connection:
 * the ones it denies are removed, so their next packet is judged again.
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

#include <linux/types.h>

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
#define NGUARD_MAX_CONNS	(16 * 1024 * 1024)	/* "conns max" */
#define NGUARD_SEGMENT_WORLD	0
#define NGUARD_SEGMENT_ANY	0xffff	/* "*" in a rule */

enum nguard_verdict {
	NGUARD_VERDICT_ALLOW = 1,
	NGUARD_VERDICT_DENY = 2,
};

enum nguard_mode {
	NGUARD_MODE_ENFORCE = 1,
	NGUARD_MODE_MONITOR = 2,	/* would-drops are counted and logged */
};

#define NGUARD_RULE_LOG		0x1	/* log the drops this rule decides */
#define NGUARD_MATCH_ANY_PROTO	0x1	/* term matches every protocol */

/*
 * One protocol/port term of a rule. A rule matches a packet if any of its
 * terms does (a rule without terms matches everything). Ports are
 * destination ports in host byte order; packets of protocols without
 * ports are matched as port 0, so such terms use 0..65535.
 */
struct nguard_match {
	__u8	proto;
	__u8	flags;		/* NGUARD_MATCH_* */
	__u16	port_lo;
	__u16	port_hi;
	__u16	pad;		/* must be zero */
};

enum nguard_cmd {
	NGUARD_CMD_UNSPEC,
	NGUARD_CMD_GET_STATUS,
	NGUARD_CMD_POLICY_BEGIN,
	NGUARD_CMD_POLICY_ADD,
	NGUARD_CMD_POLICY_COMMIT,
	NGUARD_CMD_POLICY_ABORT,
	NGUARD_CMD_POLICY_CONFIRM,
	NGUARD_CMD_POLICY_FLUSH,
	NGUARD_CMD_POLICY_GET,
	NGUARD_CMD_TRACE,
	NGUARD_CMD_CONNS_GET,
	NGUARD_CMD_BLOCKED_GET,
	NGUARD_CMD_UNBLOCK,
	NGUARD_CMD_EVENT,
	NGUARD_CMD_BLOCK,
	NGUARD_CMD_OBSERVED_GET,
	NGUARD_CMD_OBSERVED_CLEAR,

	__NGUARD_CMD_MAX
};

#define NGUARD_CMD_MAX (__NGUARD_CMD_MAX - 1)

enum nguard_attr {
	NGUARD_A_UNSPEC,
	NGUARD_A_PAD,
	NGUARD_A_VERSION,
	NGUARD_A_POLICY_GEN,
	NGUARD_A_STATS,
	NGUARD_A_MODE,
	NGUARD_A_DEFAULT,
	NGUARD_A_CONNS_MAX,
	NGUARD_A_SEGMENT,
	NGUARD_A_RULE,
	NGUARD_A_CONFIRM_SECS,
	NGUARD_A_TRACE,
	NGUARD_A_CONNTAB,
	NGUARD_A_CONN,
	NGUARD_A_POLICY_APPLIED,
	NGUARD_A_POLICY_COMPILE_NS,
	NGUARD_A_DEFAULT_HITS,
	NGUARD_A_LIMIT_CONN,
	NGUARD_A_DETECT,
	NGUARD_A_LOG_RATE,
	NGUARD_A_LOG_BURST,
	NGUARD_A_TRACKERS_MAX,
	NGUARD_A_BLOCKED_MAX,
	NGUARD_A_BLOCK,
	NGUARD_A_EVENT,
	NGUARD_A_EXEMPT,
	NGUARD_A_IPV6_SRC_PREFIX,
	NGUARD_A_LIMIT_SOURCE,
	NGUARD_A_OBSERVE_MAX,
	NGUARD_A_OBSERVED,

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
	/* Verdicts, in packets and bytes; both 0 while no policy is loaded. */
	NGUARD_CNT_ALLOWED_PACKETS,
	NGUARD_CNT_ALLOWED_BYTES,
	NGUARD_CNT_DROPPED_PACKETS,
	NGUARD_CNT_DROPPED_BYTES,
	/* Why a packet passed (packets). */
	NGUARD_CNT_PASS_NO_POLICY,	/* pass-through: no policy loaded */
	NGUARD_CNT_PASS_LOCAL,		/* loopback and ICMPv6 ND/MLD */
	NGUARD_CNT_PASS_ESTABLISHED,	/* packet of a tracked connection */
	NGUARD_CNT_PASS_RELATED,	/* ICMP error about a tracked one */
	NGUARD_CNT_PASS_NEW,		/* first packet, allowed by policy */
	NGUARD_CNT_PASS_MONITOR,	/* denied, but the mode is monitor */
	/* Why a packet was dropped (packets). */
	NGUARD_CNT_DROP_POLICY,		/* denied by a rule or the default */
	NGUARD_CNT_DROP_CONNS_FULL,	/* allowed, connection table full */
	NGUARD_CNT_DROP_INVALID,	/* truncated or malformed headers */
	/* Drop log (rate-limited, see "Logging"). */
	NGUARD_CNT_LOG_LINES,
	NGUARD_CNT_LOG_SUPPRESSED,
	/* Anomaly detection (packets). */
	NGUARD_CNT_DROP_BLOCKED,	/* source quarantined */
	NGUARD_CNT_DROP_ANOMALY,	/* a detector with action drop */
	NGUARD_CNT_DROP_RATELIMIT,	/* over the per-connection limit */
	NGUARD_CNT_ANOMALY_SYNFLOOD,	/* anomalies seen, any action */
	NGUARD_CNT_ANOMALY_PORTSCAN,
	NGUARD_CNT_ANOMALY_SWEEP,
	NGUARD_CNT_ANOMALY_TCPFLAGS,
	NGUARD_CNT_BLOCKS,		/* sources quarantined */
	NGUARD_CNT_BLOCKED_FULL,	/* quarantine refused: table full */
	NGUARD_CNT_TRACKER_EVICTIONS,	/* tracker slots taken over */
	NGUARD_CNT_EVENTS,		/* monitor events sent */
	NGUARD_CNT_EVENTS_SUPPRESSED,	/* over the log rate */
	/*
	 * A detector would have quarantined the source, but the source does
	 * not route back through the interface the packet came in on
	 * (strict reverse path: forged), or it is exempt.
	 */
	NGUARD_CNT_BLOCK_SPOOFED,
	NGUARD_CNT_BLOCK_EXEMPT,
	/* A new connection over "limit source" (packets). */
	NGUARD_CNT_DROP_SOURCE_LIMIT,
	NGUARD_CNT_ANOMALY_BRUTEFORCE,	/* anomalies seen, any action */
	/* A new flow "observe" had no room for (a key not in the table). */
	NGUARD_CNT_OBSERVE_OVERFLOW,

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
	NGUARD_STATS_A_ALLOWED_PACKETS,
	NGUARD_STATS_A_ALLOWED_BYTES,
	NGUARD_STATS_A_DROPPED_PACKETS,
	NGUARD_STATS_A_DROPPED_BYTES,
	NGUARD_STATS_A_PASS_NO_POLICY,
	NGUARD_STATS_A_PASS_LOCAL,
	NGUARD_STATS_A_PASS_ESTABLISHED,
	NGUARD_STATS_A_PASS_RELATED,
	NGUARD_STATS_A_PASS_NEW,
	NGUARD_STATS_A_PASS_MONITOR,
	NGUARD_STATS_A_DROP_POLICY,
	NGUARD_STATS_A_DROP_CONNS_FULL,
	NGUARD_STATS_A_DROP_INVALID,
	NGUARD_STATS_A_LOG_LINES,
	NGUARD_STATS_A_LOG_SUPPRESSED,
	NGUARD_STATS_A_DROP_BLOCKED,
	NGUARD_STATS_A_DROP_ANOMALY,
	NGUARD_STATS_A_DROP_RATELIMIT,
	NGUARD_STATS_A_ANOMALY_SYNFLOOD,
	NGUARD_STATS_A_ANOMALY_PORTSCAN,
	NGUARD_STATS_A_ANOMALY_SWEEP,
	NGUARD_STATS_A_ANOMALY_TCPFLAGS,
	NGUARD_STATS_A_BLOCKS,
	NGUARD_STATS_A_BLOCKED_FULL,
	NGUARD_STATS_A_TRACKER_EVICTIONS,
	NGUARD_STATS_A_EVENTS,
	NGUARD_STATS_A_EVENTS_SUPPRESSED,
	NGUARD_STATS_A_BLOCK_SPOOFED,
	NGUARD_STATS_A_BLOCK_EXEMPT,
	NGUARD_STATS_A_DROP_SOURCE_LIMIT,
	NGUARD_STATS_A_ANOMALY_BRUTEFORCE,
	NGUARD_STATS_A_OBSERVE_OVERFLOW,

	__NGUARD_STATS_A_MAX
};

#define NGUARD_STATS_A_MAX (__NGUARD_STATS_A_MAX - 1)
#define NGUARD_STATS_A_FIRST_COUNTER NGUARD_STATS_A_IPV4_IN_PACKETS

/* Prefix arrays: NGUARD_SEG_A_PREFIX4 / _PREFIX6 carry packed arrays. */
struct nguard_prefix4 {
	__be32	addr;
	__u8	plen;
	__u8	pad[3];		/* must be zero */
};

struct nguard_prefix6 {
	__u8	addr[16];
	__u8	plen;
	__u8	pad[3];		/* must be zero */
};

enum nguard_segment_attr {
	NGUARD_SEG_A_UNSPEC,
	NGUARD_SEG_A_ID,		/* NLA_U16, 1..NGUARD_MAX_SEGMENTS */
	NGUARD_SEG_A_NAME,		/* NLA_NUL_STRING */
	NGUARD_SEG_A_PREFIX4,		/* struct nguard_prefix4[] */
	NGUARD_SEG_A_PREFIX6,		/* struct nguard_prefix6[] */
	NGUARD_SEG_A_IFACE,		/* NLA_NUL_STRING, may repeat */

	__NGUARD_SEG_A_MAX
};

#define NGUARD_SEG_A_MAX (__NGUARD_SEG_A_MAX - 1)

enum nguard_rule_attr {
	NGUARD_RULE_A_UNSPEC,
	NGUARD_RULE_A_ACTION,		/* NLA_U8, enum nguard_verdict */
	NGUARD_RULE_A_SRC,		/* NLA_U16, segment id or ANY */
	NGUARD_RULE_A_DST,		/* NLA_U16 */
	NGUARD_RULE_A_FLAGS,		/* NLA_U32, NGUARD_RULE_* */
	NGUARD_RULE_A_LINE,		/* NLA_U32, source line, informational */
	NGUARD_RULE_A_TEXT,		/* NLA_NUL_STRING, source text */
	NGUARD_RULE_A_MATCHES,		/* struct nguard_match[] */
	NGUARD_RULE_A_INDEX,		/* NLA_U32, in dumps and traces */
	NGUARD_RULE_A_HITS,		/* NLA_U64, in dumps: packets decided */
	NGUARD_RULE_A_PAD,

	__NGUARD_RULE_A_MAX
};

#define NGUARD_RULE_A_MAX (__NGUARD_RULE_A_MAX - 1)
#define NGUARD_RULE_TEXT_MAX	1024

enum nguard_trace_attr {
	NGUARD_TRACE_A_UNSPEC,
	NGUARD_TRACE_A_SRC,		/* binary, 4 or 16 bytes, network order */
	NGUARD_TRACE_A_DST,		/* binary, same family as SRC */
	NGUARD_TRACE_A_PROTO,		/* NLA_U8 */
	NGUARD_TRACE_A_DPORT,		/* NLA_U16, host order */
	NGUARD_TRACE_A_SRC_SEG,		/* reply: NLA_U16 */
	NGUARD_TRACE_A_DST_SEG,		/* reply: NLA_U16 */
	NGUARD_TRACE_A_SRC_NAME,	/* reply: NLA_NUL_STRING */
	NGUARD_TRACE_A_DST_NAME,	/* reply: NLA_NUL_STRING */
	NGUARD_TRACE_A_VERDICT,		/* reply: NLA_U8 */
	NGUARD_TRACE_A_RULE,		/* reply: nested rule, absent = default */
	/* reply: NLA_U8 1 if SRC is exempt from quarantine, else absent */
	NGUARD_TRACE_A_SRC_EXEMPT,
	/*
	 * reply, only when the policy has "limit source": NLA_U32, the
	 * connections SRC (as its IPv6 source prefix) holds now, counted
	 * against the limit
	 */
	NGUARD_TRACE_A_SRC_CONNS,

	__NGUARD_TRACE_A_MAX
};

#define NGUARD_TRACE_A_MAX (__NGUARD_TRACE_A_MAX - 1)

/*
 * Nested NGUARD_A_CONNTAB (in GET_STATUS replies): the connection table.
 * Counters are NLA_U64, everything else NLA_U32.
 */
enum nguard_conntab_attr {
	NGUARD_CT_A_UNSPEC,
	NGUARD_CT_A_PAD,
	NGUARD_CT_A_COUNT,		/* entries now */
	NGUARD_CT_A_MAX_ENTRIES,	/* limit ("conns max") */
	NGUARD_CT_A_BUCKETS,		/* hash buckets now */
	NGUARD_CT_A_ESTABLISHED,	/* established + replied TCP */
	NGUARD_CT_A_ENTRY_SIZE,		/* bytes per entry (slab object) */
	NGUARD_CT_A_INSERTS,
	NGUARD_CT_A_EVICT_EXPIRED,
	NGUARD_CT_A_EVICT_HALFOPEN,
	NGUARD_CT_A_EVICT_IDLE,
	NGUARD_CT_A_REFUSED_FULL,
	NGUARD_CT_A_REFUSED_CHAIN,
	NGUARD_CT_A_GC_FREED,
	NGUARD_CT_A_ALLOC_FAILED,
	NGUARD_CT_A_PRUNED,		/* removed: a new policy denies them */
	/* Not counters: NLA_U32 again. */
	NGUARD_CT_A_SOURCES,		/* sources holding "limit source" slots */

	__NGUARD_CT_A_MAX
};

#define NGUARD_CT_A_MAX (__NGUARD_CT_A_MAX - 1)
#define NGUARD_CT_A_FIRST_COUNTER NGUARD_CT_A_INSERTS
#define NGUARD_CT_A_LAST_COUNTER NGUARD_CT_A_PRUNED

/* Connection states (NGUARD_CONN_A_STATE); non-TCP is always NONE. */
enum nguard_conn_state {
	NGUARD_CONN_NONE,
	NGUARD_CONN_SYN_SENT,
	NGUARD_CONN_SYN_RECV,
	NGUARD_CONN_ESTABLISHED,
	NGUARD_CONN_FIN_WAIT,
	NGUARD_CONN_CLOSING,
	NGUARD_CONN_CLOSE,
};

#define NGUARD_CONN_F_REPLIED	0x01	/* the responder has answered */

/*
 * Nested NGUARD_A_CONN, one per message of a CONNS_GET dump. Addresses
 * and ports are those of the packet that opened the connection
 * (originator -> responder).
 */
enum nguard_conn_attr {
	NGUARD_CONN_A_UNSPEC,
	NGUARD_CONN_A_PAD,
	NGUARD_CONN_A_FAMILY,		/* NLA_U8: 4 or 6 */
	NGUARD_CONN_A_PROTO,		/* NLA_U8 */
	NGUARD_CONN_A_SRC,		/* binary, 4 or 16 bytes */
	NGUARD_CONN_A_DST,
	NGUARD_CONN_A_SPORT,		/* NLA_U16, host order (ICMP: echo id) */
	NGUARD_CONN_A_DPORT,
	NGUARD_CONN_A_SRC_SEG,		/* NLA_U16 */
	NGUARD_CONN_A_DST_SEG,
	NGUARD_CONN_A_STATE,		/* NLA_U8, enum nguard_conn_state */
	NGUARD_CONN_A_FLAGS,		/* NLA_U8, NGUARD_CONN_F_* */
	/* NLA_U32 rule index; absent: default; NGUARD_CONN_RULE_KEPT below */
	NGUARD_CONN_A_RULE,
	NGUARD_CONN_A_PKTS_ORIG,	/* NLA_U32, wraps */
	NGUARD_CONN_A_PKTS_REPLY,
	NGUARD_CONN_A_IDLE_MS,		/* NLA_U32, since the last packet */
	NGUARD_CONN_A_EXPIRES,		/* NLA_U32, seconds left if idle */
	/* With "limit conn": tokens left in the connection's buckets. */
	NGUARD_CONN_A_LIMIT_PKTS,	/* NLA_U32 packets */
	NGUARD_CONN_A_LIMIT_BYTES,	/* NLA_U32 bytes */

	__NGUARD_CONN_A_MAX
};

#define NGUARD_CONN_A_MAX (__NGUARD_CONN_A_MAX - 1)

/*
 * NGUARD_CONN_A_RULE of a connection an earlier policy admitted and the
 * current one keeps without judging it: an address of it is in no prefix
 * and the policy has interface members, which a connection entry does not
 * record. No rule of the current policy decided it.
 */
#define NGUARD_CONN_RULE_KEPT	0xfffffffe

/*
 * Anomaly detection
 * -----------------
 * POLICY_ADD takes, besides the segmentation attributes:
 *   NGUARD_A_LIMIT_CONN   nested enum nguard_limit_attr: per-connection
 *                         token buckets (packets and/or bytes)
 *   NGUARD_A_DETECT       nested enum nguard_detect_attr, repeatable: one
 *                         detector each, evaluated in order
 *   NGUARD_A_LOG_RATE     NLA_U32 lines per second (1..10000; default 10)
 *   NGUARD_A_LOG_BURST    NLA_U32 (1..100000; default 20)
 *   NGUARD_A_TRACKERS_MAX NLA_U32 per-source/per-destination tracker slots
 *                         (0 = sized from RAM)
 *   NGUARD_A_BLOCKED_MAX  NLA_U32 quarantined sources (0 = default 65536)
 *   NGUARD_A_IPV6_SRC_PREFIX NLA_U8 48..128: the detectors and the
 *                         quarantine treat an IPv6 source as its prefix of
 *                         this length ("ipv6 source prefix N"; absent: 64,
 *                         since anyone with IPv6 owns at least a /64).
 *                         IPv4 sources are single addresses.
 *   NGUARD_A_LIMIT_SOURCE NLA_U32 1..NGUARD_MAX_CONNS ("limit source N"):
 *                         at most N tracked connections opened by one
 *                         source (IPv4 address, IPv6 prefix as above); a
 *                         new connection over it is dropped
 *                         (NGUARD_CNT_DROP_SOURCE_LIMIT; passed and
 *                         reported in monitor mode). Counted: connections
 *                         the policy admitted while a limit was set.
 *                         Absent: no limit.
 * The POLICY_GET settings message reports them back the same way (the
 * prefix length only when the policy set it).
 *
 * NGUARD_CMD_BLOCKED_GET (dump): one NGUARD_A_BLOCK nest per quarantined
 *   source (enum nguard_block_attr).
 * NGUARD_CMD_UNBLOCK (doit): NGUARD_A_BLOCK with NGUARD_BLOCK_A_ADDR, or
 *   with no attribute at all to lift every block; -ENOENT if not blocked.
 *   An IPv6 ADDR is taken as its prefix of NGUARD_BLOCK_A_PREFIX_LEN if
 *   given, else of the live policy's IPv6 source prefix length.
 *   NGUARD_BLOCK_A_SECS is refused.
 * NGUARD_CMD_BLOCK (doit): NGUARD_A_BLOCK with NGUARD_BLOCK_A_ADDR and
 *   NGUARD_BLOCK_A_SECS (1..NGUARD_MAX_BLOCK_SECS): quarantine the source
 *   by hand (reason NGUARD_DETECT_MANUAL) in the same table, with the same
 *   expiry, events and "blocked max" limit as a detector's block. Sources
 *   are keyed as the detectors key them: an IPv4 address is blocked alone
 *   (PREFIX_LEN, if given, must be 32), an IPv6 ADDR as its prefix of the
 *   live policy's IPv6 source prefix length (PREFIX_LEN, if given, must
 *   be that length). An already blocked source is extended if the new
 *   block ends later. Errors, each with an extended-ACK message:
 *   -EOPNOTSUPP no policy, or a policy without a quarantine (no detector
 *   with action block); -EINVAL a bad address or prefix length, or an
 *   exempt address; -ENOSPC the table is full (a live block is never
 *   displaced).
 *
 * Multicast group NGUARD_MCGRP_EVENTS (admin only): NGUARD_CMD_EVENT
 * messages, each with one NGUARD_A_EVENT nest (enum nguard_event_attr),
 * sent from the namespace where the event happened. Events are limited
 * like the log (a bucket of the policy's "log rate", separate from the
 * log's own); when events were held back, the next event carries their
 * number in NGUARD_EVENT_A_SUPPRESSED. Listening needs CAP_NET_ADMIN on
 * kernels that have GENL_MCAST_CAP_NET_ADMIN.
 */
#define NGUARD_MCGRP_EVENTS	"events"

enum nguard_detector {
	NGUARD_DETECT_SYNFLOOD = 1,
	NGUARD_DETECT_PORTSCAN,
	NGUARD_DETECT_SWEEP,
	NGUARD_DETECT_TCPFLAGS,
	NGUARD_DETECT_MANUAL,		/* blocks: added by hand (CMD_BLOCK) */
	NGUARD_DETECT_BRUTEFORCE,	/* new connections of a source to a service */
};

enum nguard_action {
	NGUARD_ACTION_LOG = 1,		/* count and report only */
	NGUARD_ACTION_DROP,		/* drop the offending packets */
	NGUARD_ACTION_BLOCK,		/* quarantine the source for BLOCK_SECS */
};

/*
 * Exemptions from quarantine ("exempt" statements)
 * ------------------------------------------------
 * POLICY_ADD also takes NGUARD_A_EXEMPT, nested enum nguard_exempt_attr,
 * repeatable: one nest per statement, each with any number of SEGMENT
 * attributes and PREFIX4/PREFIX6 arrays (at most NGUARD_MAX_EXEMPT
 * entries in all). A source in an exempt segment or prefix is never
 * quarantined, whatever a detector's action: a detector with action block
 * then only drops the packet that fired it. The POLICY_GET dump reports
 * them after the rules, one NGUARD_A_EXEMPT nest per entry (one SEGMENT,
 * or a PREFIX4/PREFIX6 array of one, and LINE): the entries of one
 * statement share its line, in order.
 */
#define NGUARD_MAX_EXEMPT	1024

enum nguard_exempt_attr {
	NGUARD_EXEMPT_A_UNSPEC,
	NGUARD_EXEMPT_A_SEGMENT,	/* NLA_U16 segment id (not world/any), may repeat */
	NGUARD_EXEMPT_A_PREFIX4,	/* struct nguard_prefix4[] */
	NGUARD_EXEMPT_A_PREFIX6,	/* struct nguard_prefix6[] */
	NGUARD_EXEMPT_A_LINE,		/* NLA_U32 source line */

	__NGUARD_EXEMPT_A_MAX
};

#define NGUARD_EXEMPT_A_MAX (__NGUARD_EXEMPT_A_MAX - 1)

#define NGUARD_MAX_DETECTORS	64
#define NGUARD_MAX_DETECT_PORTS	8	/* port ranges of one bruteforce */
#define NGUARD_BRUTEFORCE_HITS_MIN	2
#define NGUARD_BRUTEFORCE_HITS_MAX	65535
#define NGUARD_BRUTEFORCE_WINDOW_MIN_MS	1000
#define NGUARD_BRUTEFORCE_WINDOW_MAX_MS	3600000
#define NGUARD_MAX_BLOCK_SECS	(7 * 86400)
#define NGUARD_MAX_TRACKERS	(16 * 1024 * 1024)
#define NGUARD_MAX_BLOCKED	(1024 * 1024)

enum nguard_limit_attr {
	NGUARD_LIMIT_A_UNSPEC,
	NGUARD_LIMIT_A_PAD,
	NGUARD_LIMIT_A_RATE,		/* NLA_U32 packets/s, 0 = no limit */
	NGUARD_LIMIT_A_BURST,		/* NLA_U32 packets */
	NGUARD_LIMIT_A_BYTES,		/* NLA_U64 bytes/s, 0 = no limit */
	NGUARD_LIMIT_A_BYTES_BURST,	/* NLA_U64 bytes */

	__NGUARD_LIMIT_A_MAX
};

#define NGUARD_LIMIT_A_MAX (__NGUARD_LIMIT_A_MAX - 1)

enum nguard_detect_attr {
	NGUARD_DETECT_A_UNSPEC,
	NGUARD_DETECT_A_KIND,		/* NLA_U8 enum nguard_detector */
	NGUARD_DETECT_A_ACTION,		/* NLA_U8 enum nguard_action */
	NGUARD_DETECT_A_BLOCK_SECS,	/* NLA_U32, with ACTION_BLOCK */
	NGUARD_DETECT_A_FROM,		/* NLA_U16 segment or ANY (default) */
	NGUARD_DETECT_A_TO,		/* NLA_U16 segment or ANY (default) */
	NGUARD_DETECT_A_RATE,		/* NLA_U32 synflood: new conns/s */
	NGUARD_DETECT_A_BURST,		/* NLA_U32 synflood */
	NGUARD_DETECT_A_WEIGHT,		/* NLA_U32 portscan threshold */
	NGUARD_DETECT_A_WINDOW_MS,	/* NLA_U32 portscan, sweep */
	NGUARD_DETECT_A_HOSTS,		/* NLA_U32 sweep threshold */
	NGUARD_DETECT_A_LINE,		/* NLA_U32 source line */
	/*
	 * Bruteforce: the service, as struct nguard_match[] (1 to
	 * NGUARD_MAX_DETECT_PORTS terms, one protocol with ports, each
	 * port_lo..port_hi, flags 0), and the threshold, new connections
	 * within WINDOW_MS (NGUARD_BRUTEFORCE_HITS_MIN..MAX).
	 */
	NGUARD_DETECT_A_MATCHES,
	NGUARD_DETECT_A_HITS,		/* NLA_U32 */

	__NGUARD_DETECT_A_MAX
};

#define NGUARD_DETECT_A_MAX (__NGUARD_DETECT_A_MAX - 1)

enum nguard_block_attr {
	NGUARD_BLOCK_A_UNSPEC,
	NGUARD_BLOCK_A_ADDR,		/* binary, 4 or 16 bytes */
	NGUARD_BLOCK_A_KIND,		/* NLA_U8 enum nguard_detector */
	NGUARD_BLOCK_A_EXPIRES_MS,	/* NLA_U32 time left */
	NGUARD_BLOCK_A_SECS,		/* NLA_U32 the block's duration */
					/* (BLOCK: 1..NGUARD_MAX_BLOCK_SECS) */
	NGUARD_BLOCK_A_HITS,		/* NLA_U32 packets dropped since */
	/*
	 * NLA_U8: an IPv6 block covers ADDR/PREFIX_LEN (ADDR has its host
	 * bits cleared); absent for IPv4 (a single address).
	 */
	NGUARD_BLOCK_A_PREFIX_LEN,

	__NGUARD_BLOCK_A_MAX
};

#define NGUARD_BLOCK_A_MAX (__NGUARD_BLOCK_A_MAX - 1)

enum nguard_event_type {
	NGUARD_EVENT_ANOMALY = 1,	/* a detector fired */
	NGUARD_EVENT_BLOCK,		/* a source was quarantined */
	NGUARD_EVENT_UNBLOCK,		/* by hand */
	NGUARD_EVENT_EXPIRE,		/* a block ran out */
	NGUARD_EVENT_APPLY,		/* a policy was committed */
	NGUARD_EVENT_ROLLBACK,		/* an unconfirmed policy was undone */
	NGUARD_EVENT_FLUSH,		/* back to pass-through */
};

enum nguard_event_attr {
	NGUARD_EVENT_A_UNSPEC,
	NGUARD_EVENT_A_PAD,
	NGUARD_EVENT_A_TYPE,		/* NLA_U8 enum nguard_event_type */
	NGUARD_EVENT_A_KIND,		/* NLA_U8 enum nguard_detector */
	NGUARD_EVENT_A_ACTION,		/* NLA_U8 enum nguard_action */
	NGUARD_EVENT_A_SRC,		/* binary, 4 or 16 bytes */
	NGUARD_EVENT_A_DST,
	NGUARD_EVENT_A_PROTO,		/* NLA_U8 */
	NGUARD_EVENT_A_SPORT,		/* NLA_U16 */
	NGUARD_EVENT_A_DPORT,		/* NLA_U16 */
	NGUARD_EVENT_A_SRC_SEG,		/* NLA_U16 */
	NGUARD_EVENT_A_DST_SEG,		/* NLA_U16 */
	NGUARD_EVENT_A_COUNT,		/* NLA_U32 score, hosts, or rate seen */
	NGUARD_EVENT_A_BLOCK_SECS,	/* NLA_U32 */
	NGUARD_EVENT_A_POLICY_GEN,	/* NLA_U64 */
	NGUARD_EVENT_A_SUPPRESSED,	/* NLA_U32 events lost before this */
	NGUARD_EVENT_A_TIME,		/* NLA_U64 wall clock, ns */
	/*
	 * NLA_U8, IPv6 only: the source as the detectors and the quarantine
	 * see it is SRC's prefix of this length (block, unblock and expire
	 * events: SRC is that prefix, host bits cleared).
	 */
	NGUARD_EVENT_A_SRC_PREFIX_LEN,

	__NGUARD_EVENT_A_MAX
};

#define NGUARD_EVENT_A_MAX (__NGUARD_EVENT_A_MAX - 1)

/*
 * Observed flows ("observe" statement)
 * ------------------------------------
 * POLICY_ADD takes NGUARD_A_OBSERVE_MAX, NLA_U32 1..NGUARD_MAX_OBSERVE:
 * the policy keeps a summary of the flows it judged, at most that many
 * aggregates keyed by (source segment, destination segment, protocol,
 * destination port or ICMP type). Absent: no summary (the default). The
 * table belongs to the policy: a new apply starts an empty one (segment
 * ids and rule indexes are the policy's), a rollback returns to the
 * previous policy's. Fed by the packets the policy judges (first packets
 * of connections, every packet of a flow enforce mode denies), never by
 * packets of tracked connections. A new key that finds the table full is
 * not recorded and counts NGUARD_CNT_OBSERVE_OVERFLOW. Each aggregate
 * takes 112 bytes plus a 4-byte bucket head (buckets: @max rounded up to
 * a power of two). POLICY_GET reports NGUARD_A_OBSERVE_MAX back.
 *
 * NGUARD_CMD_OBSERVED_GET (dump): first a message with NGUARD_A_POLICY_GEN
 *   and, if the live policy observes, NGUARD_A_OBSERVE_MAX; then one
 *   NGUARD_A_OBSERVED nest (enum nguard_observed_attr) per aggregate.
 *   -EAGAIN if the table was cleared or replaced during the dump.
 * NGUARD_CMD_OBSERVED_CLEAR (doit): no attributes; empties the live
 *   policy's table. -EOPNOTSUPP when there is no policy or it does not
 *   observe.
 */
#define NGUARD_MAX_OBSERVE	(1024 * 1024)

#define NGUARD_OBS_F_MONITOR	0x1	/* denied, passed by monitor mode */

enum nguard_observed_attr {
	NGUARD_OBS_A_UNSPEC,
	NGUARD_OBS_A_PAD,
	NGUARD_OBS_A_SRC_SEG,		/* NLA_U16 */
	NGUARD_OBS_A_DST_SEG,		/* NLA_U16 */
	NGUARD_OBS_A_SRC_NAME,		/* NLA_NUL_STRING */
	NGUARD_OBS_A_DST_NAME,		/* NLA_NUL_STRING */
	NGUARD_OBS_A_PROTO,		/* NLA_U8 */
	NGUARD_OBS_A_PORT,		/* NLA_U16 dest. port, ICMP type, or 0 */
	NGUARD_OBS_A_VERDICT,		/* NLA_U8 enum nguard_verdict */
	NGUARD_OBS_A_RULE,		/* NLA_U32 rule index; absent: default */
	NGUARD_OBS_A_RULE_LINE,		/* NLA_U32 the rule's source line */
	NGUARD_OBS_A_FLAGS,		/* NLA_U8 NGUARD_OBS_F_* */
	NGUARD_OBS_A_CONNS,		/* NLA_U64 connections counted */
	NGUARD_OBS_A_FIRST,		/* NLA_U64 wall clock, Unix seconds */
	NGUARD_OBS_A_LAST,		/* NLA_U64 */
	NGUARD_OBS_A_EXAMPLE,		/* nested enum nguard_obs_example_attr, repeated */

	__NGUARD_OBS_A_MAX
};

#define NGUARD_OBS_A_MAX (__NGUARD_OBS_A_MAX - 1)

enum nguard_obs_example_attr {
	NGUARD_OBS_EX_A_UNSPEC,
	NGUARD_OBS_EX_A_SRC,		/* binary, 4 or 16 bytes */
	NGUARD_OBS_EX_A_DST,		/* binary, same family */

	__NGUARD_OBS_EX_A_MAX
};

#define NGUARD_OBS_EX_A_MAX (__NGUARD_OBS_EX_A_MAX - 1)

#endif /* _UAPI_LINUX_NGUARD_H */
