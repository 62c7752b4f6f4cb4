// SPDX-License-Identifier: GPL-2.0
/*
 * xspoof: send TCP segments with forged source addresses, fast, for the
 * attack tests (listen_close.sh, timewait_race.sh). A raw socket with
 * IP_HDRINCL builds every IPv4 header itself, so nothing on this host has
 * to own the addresses, and no TCP stack here answers the replies.
 *
 *   xspoof syn DST:PORT NET COUNT
 *         COUNT SYNs (with an MSS option) to DST:PORT from random hosts of
 *         NET (a.b.0.0/16) and random ports and ISNs
 *   xspoof tuples FLAGS ROUNDS [DELTA]
 *         reads lines "SADDR:SPORT DADDR:DPORT SEQ" on stdin, then sends
 *         ROUNDS rounds of one segment with FLAGS (letters of FSRPA) per
 *         line, its sequence number SEQ + DELTA (default 0)
 *
 * Prints "sent N in MS ms (R/s)". Exit status: 0, 1 on a socket error,
 * 2 on usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct tuple {
	struct in_addr src, dst;
	unsigned short sport, dport;
	unsigned int seq;
};

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

static int send_seg(int fd, const struct tuple *t, unsigned char flags, unsigned int ack)
{
	unsigned char pkt[64] = { 0 };
	struct iphdr *ip = (struct iphdr *)pkt;
	struct tcphdr *th = (struct tcphdr *)(ip + 1);
	unsigned char *opt = (unsigned char *)(th + 1);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = t->dst };
	int optlen = (flags & 0x02) ? 4 : 0;
	int tcplen = sizeof(*th) + optlen;
	unsigned char ph[12];	/* the pseudo-header */

	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(*ip) + tcplen);
	ip->id = htons(rand());
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->saddr = t->src.s_addr;
	ip->daddr = t->dst.s_addr;
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
	memcpy(ph, &ip->saddr, 4);
	memcpy(ph + 4, &ip->daddr, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	ph[10] = tcplen >> 8;
	ph[11] = tcplen & 0xff;
	th->check = htons(csum_fold(csum_add(csum_add(0, ph, sizeof(ph)),
					     th, tcplen)));
	if (sendto(fd, pkt, sizeof(*ip) + tcplen, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0 && errno != ENOBUFS && errno != EPERM) {
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

static int parse_addr(const char *s, struct in_addr *a, unsigned short *port)
{
	char buf[64], *colon;

	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (!colon)
		return -1;
	*colon = 0;
	*port = atoi(colon + 1);
	return inet_pton(AF_INET, buf, a) == 1 ? 0 : -1;
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
	int fd, one = 1;
	double t0;

	if (argc < 2)
		goto usage;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))) {
		perror("raw socket");
		return 1;
	}
	srand(getpid() ^ time(NULL));
	t0 = now_ms();
	if (!strcmp(argv[1], "syn") && argc == 5) {
		struct in_addr net;
		unsigned long count = strtoul(argv[4], NULL, 10);
		struct tuple t;

		if (parse_addr(argv[2], &t.dst, &t.dport) ||
		    inet_pton(AF_INET, argv[3], &net) != 1)
			goto usage;
		for (i = 0; i < count; i++, n++) {
			unsigned int host = 1 + rand() % 65000;

			t.src.s_addr = htonl((ntohl(net.s_addr) & 0xffff0000) |
					     host);
			t.sport = 1024 + rand() % 60000;
			t.seq = rand();
			if (send_seg(fd, &t, 0x02, 0))
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
			    parse_addr(b, &tv[nt].dst, &tv[nt].dport))
				goto usage;
			tv[nt++].seq = seq + delta;
		}
		t0 = now_ms();
		for (r = 0; r < rounds; r++)
			for (i = 0; i < nt; i++, n++)
				if (send_seg(fd, &tv[i], flags, 0))
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
