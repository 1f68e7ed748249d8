// SPDX-License-Identifier: GPL-2.0-only
/*
 * ng-nd-send: send ICMPv6 neighbour discovery messages with hop limit 255
 * to any address, routed like any packet: the attacker's tool of the
 * "routed ND" check (tests/integration/attacks.sh). The kernel fills in
 * the source address and the ICMPv6 checksum.
 *
 * Usage: ng-nd-send ns|na DST TARGET COUNT
 *   ns  neighbour solicitation (type 135) for TARGET
 *   na  neighbour advertisement (type 136, solicited + override) of TARGET
 * Sends COUNT messages 10 ms apart; prints how many were sent; exits 0
 * only if all were.
 */
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct {
		struct icmp6_hdr h;
		struct in6_addr target;
	} msg;
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	struct timespec gap = { 0, 10 * 1000 * 1000 };
	int fd, hops = 255, i, n, sent = 0;

	if (argc != 5 || (strcmp(argv[1], "ns") && strcmp(argv[1], "na")) ||
	    inet_pton(AF_INET6, argv[2], &dst.sin6_addr) != 1 ||
	    inet_pton(AF_INET6, argv[3], &msg.target) != 1 ||
	    (n = atoi(argv[4])) <= 0) {
		fprintf(stderr, "usage: ng-nd-send ns|na DST TARGET COUNT\n");
		return 2;
	}
	memset(&msg.h, 0, sizeof(msg.h));
	if (!strcmp(argv[1], "ns")) {
		msg.h.icmp6_type = ND_NEIGHBOR_SOLICIT;
	} else {
		msg.h.icmp6_type = ND_NEIGHBOR_ADVERT;
		msg.h.icmp6_data32[0] = htonl(0x60000000); /* S, O flags */
	}
	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops))) {
		perror("ng-nd-send: raw ICMPv6 socket");
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&dst,
			   sizeof(dst)) == (ssize_t)sizeof(msg))
			sent++;
		nanosleep(&gap, NULL);
	}
	printf("%d sent\n", sent);
	close(fd);
	return sent == n ? 0 : 1;
}
