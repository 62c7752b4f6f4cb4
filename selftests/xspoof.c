// SPDX-License-Identifier: GPL-2.0
/*
 * xspoof: send TCP segments with forged source addresses, fast, for the
 * attack tests (listen_close.sh, timewait_race.sh). A raw socket with
 * IP_HDRINCL builds every IPv4 header itself, so nothing on this host has
 * to own the addresses, and no TCP stack here answers the replies; an
 * IPv6 raw socket of IPPROTO_RAW does the same for IPv6 headers.
 *
 *   xspoof syn DST:PORT NET COUNT
 *         COUNT SYNs (with an MSS option) to DST:PORT from random hosts of
 *         NET (a.b.0.0/16, or an IPv6 NET whose last 16 bits are drawn)
 *         and random ports and ISNs
 *   xspoof tuples FLAGS ROUNDS [DELTA]
 *         reads lines "SADDR:SPORT DADDR:DPORT SEQ" on stdin, then sends
 *         ROUNDS rounds of one segment with FLAGS (letters of FSRPA) per
 *         line, its sequence number SEQ + DELTA (default 0)
 *
 * An address is A.B.C.D or [IPV6] (xtcp_family.h), as pcap.py prints them.
 *
 * Prints "sent N in MS ms (R/s)". Exit status: 0, 1 on a socket error,
 * 2 on usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "xtcp_family.h"

/* The ends of a segment, both of one family, ports in host order. */
struct tuple {
	union xaddr src, dst;
	unsigned short sport, dport;
	unsigned int seq;
};

/* The raw sockets, IPv4's and IPv6's (-1 if it could not be opened). */
static int fd4 = -1, fd6 = -1;

static unsigned short csum_fold(unsigned int s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

static unsigned int csum_add(unsigned int s, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (p[i] << 8) | p[i + 1];
	if (len & 1)
		s += p[len - 1] << 8;
	return s;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * The IP header of @t's segment (@tcplen bytes of TCP) into @pkt, and the
 * checksum's pseudo-header into @ph; returns the IP header's length, the
 * pseudo-header's in *@phlen.
 */
static int ip_header(unsigned char *pkt, const struct tuple *t, int tcplen,
		     unsigned char *ph, size_t *phlen)
{
	struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt;
	struct iphdr *ip = (struct iphdr *)pkt;

	if (t->dst.sa.sa_family == AF_INET6) {
		ip6->ip6_flow = htonl(6 << 28);
		ip6->ip6_plen = htons(tcplen);
		ip6->ip6_nxt = IPPROTO_TCP;
		ip6->ip6_hlim = 64;
		ip6->ip6_src = t->src.sin6.sin6_addr;
		ip6->ip6_dst = t->dst.sin6.sin6_addr;
		memset(ph, 0, 40);
		memcpy(ph, &ip6->ip6_src, 32);
		ph[34] = tcplen >> 8;
		ph[35] = tcplen & 0xff;
		ph[39] = IPPROTO_TCP;
		*phlen = 40;
		return sizeof(*ip6);
	}
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(*ip) + tcplen);
	ip->id = htons(rand());
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->saddr = t->src.sin.sin_addr.s_addr;
	ip->daddr = t->dst.sin.sin_addr.s_addr;
	memcpy(ph, &ip->saddr, 4);
	memcpy(ph + 4, &ip->daddr, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	ph[10] = tcplen >> 8;
	ph[11] = tcplen & 0xff;
	*phlen = 12;
	return sizeof(*ip);
}

static int send_seg(const struct tuple *t, unsigned char flags, unsigned int ack)
{
	unsigned char pkt[96] = { 0 };
	int optlen = (flags & 0x02) ? 4 : 0;
	int tcplen = sizeof(struct tcphdr) + optlen;
	unsigned char ph[40];	/* the pseudo-header */
	union xaddr to = t->dst;
	struct tcphdr *th;
	unsigned char *opt;
	int iplen, fd;
	size_t phlen;

	iplen = ip_header(pkt, t, tcplen, ph, &phlen);
	th = (struct tcphdr *)(pkt + iplen);
	opt = (unsigned char *)(th + 1);

	fd = to.sa.sa_family == AF_INET6 ? fd6 : fd4;
	if (fd < 0) {
		fprintf(stderr, "xspoof: no raw socket for this family\n");
		return -1;
	}
	/* A raw socket's port is its protocol, or 0. */
	xaddr_set_port(&to, 0);
	th->source = htons(t->sport);
	th->dest = htons(t->dport);
	th->seq = htonl(t->seq);
	th->ack_seq = htonl(ack);
	th->doff = tcplen / 4;
	((unsigned char *)th)[13] = flags;
	th->window = htons(65535);
	if (optlen) {
		opt[0] = 2;	/* MSS 1460 */
		opt[1] = 4;
		opt[2] = 1460 >> 8;
		opt[3] = 1460 & 0xff;
	}
	th->check = htons(csum_fold(csum_add(csum_add(0, ph, phlen),
					     th, tcplen)));
	if (sendto(fd, pkt, iplen + tcplen, 0, &to.sa, xaddr_len(&to)) < 0 &&
	    errno != ENOBUFS && errno != EPERM) {
		perror("sendto");
		return -1;
	}
	return 0;
}

static unsigned char parse_flags(const char *s)
{
	static const char letters[] = "FSRPA";	/* bits 0 to 4 */
	unsigned char f = 0;

	for (; *s; s++) {
		const char *p = strchr(letters, *s);

		if (!p)
			return 0;
		f |= 1 << (p - letters);
	}
	return f;
}

static int parse_addr(const char *s, union xaddr *a, unsigned short *port)
{
	if (!xaddr_parse(s, a))
		return -1;
	*port = xaddr_port(a);
	return 0;
}

static void report(unsigned long n, double t0)
{
	double ms = now_ms() - t0;

	printf("sent %lu in %.0f ms (%.0f/s)\n", n, ms,
	       ms > 0 ? n * 1000.0 / ms : 0.0);
}

int main(int argc, char **argv)
{
	unsigned long n = 0, i, r;
	int one = 1;
	double t0;

	if (argc < 2)
		goto usage;
	fd4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd4 < 0 || setsockopt(fd4, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))) {
		perror("raw socket");
		return 1;
	}
	/* IPPROTO_RAW: the IPv6 header is ours too (IPV6_HDRINCL). */
	fd6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	srand(getpid() ^ time(NULL));
	t0 = now_ms();
	if (!strcmp(argv[1], "syn") && argc == 5) {
		unsigned long count = strtoul(argv[4], NULL, 10);
		struct tuple t;
		union xaddr net;

		if (parse_addr(argv[2], &t.dst, &t.dport) ||
		    !xaddr_host(argv[3], 0, &net) ||
		    net.sa.sa_family != t.dst.sa.sa_family)
			goto usage;
		t.src = net;
		for (i = 0; i < count; i++, n++) {
			unsigned int host = 1 + rand() % 65000;

			if (net.sa.sa_family == AF_INET6)
				t.src.sin6.sin6_addr.s6_addr16[7] = htons(host);
			else
				t.src.sin.sin_addr.s_addr =
					htonl((ntohl(net.sin.sin_addr.s_addr) &
					       0xffff0000) | host);
			t.sport = 1024 + rand() % 60000;
			t.seq = rand();
			if (send_seg(&t, 0x02, 0))
				return 1;
		}
	} else if (!strcmp(argv[1], "tuples") && (argc == 4 || argc == 5)) {
		unsigned char flags = parse_flags(argv[2]);
		unsigned long rounds = strtoul(argv[3], NULL, 10);
		unsigned int delta = argc == 5 ? strtoul(argv[4], NULL, 0) : 0;
		struct tuple *tv = NULL;
		size_t nt = 0, cap = 0;
		char a[64], b[64];
		unsigned long seq;

		if (!flags)
			goto usage;
		while (scanf("%63s %63s %lu", a, b, &seq) == 3) {
			if (nt == cap) {
				cap = cap ? 2 * cap : 64;
				tv = realloc(tv, cap * sizeof(*tv));
				if (!tv)
					return 1;
			}
			if (parse_addr(a, &tv[nt].src, &tv[nt].sport) ||
			    parse_addr(b, &tv[nt].dst, &tv[nt].dport) ||
			    tv[nt].src.sa.sa_family != tv[nt].dst.sa.sa_family)
				goto usage;
			tv[nt++].seq = seq + delta;
		}
		t0 = now_ms();
		for (r = 0; r < rounds; r++)
			for (i = 0; i < nt; i++, n++)
				if (send_seg(&tv[i], flags, 0))
					return 1;
		free(tv);
	} else {
		goto usage;
	}
	report(n, t0);
	return 0;
usage:
	fprintf(stderr, "usage: xspoof syn DST:PORT NET COUNT\n"
		"       xspoof tuples FLAGS ROUNDS [DELTA] <lines\n");
	return 2;
}
