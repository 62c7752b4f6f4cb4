// SPDX-License-Identifier: GPL-2.0
/*
 * xfastopen: TCP Fast Open (RFC 7413) through Linux's socket interface,
 * for selftests/fastopen.sh; FAMILY is inet, inet6 (Linux TCP) or xtcp.
 *
 *   xfastopen server FAMILY ADDR PORT QLEN N
 *         listen on ADDR:PORT with setsockopt(TCP_FASTOPEN, QLEN) (none if
 *         QLEN is negative), print "listening", then N times: accept,
 *         print "accept state=S" (TCP_INFO's state then: 3 is SYN_RECV,
 *         the handshake's ACK not yet in; then with " poll=in,out", what
 *         poll() says at once: "in", "out", both or "none"), read what
 *         came (at most 2 s),
 *         print "read=LEN data=TEXT syn_data=0|1" (TCPI_OPT_SYN_DATA),
 *         write "ok:TEXT" back, close; N negative: accept nothing, wait
 *         to be killed
 *   xfastopen client FAMILY ADDR PORT MODE TEXT
 *         MODE sendto: sendto(TEXT, MSG_FASTOPEN) on a new socket;
 *         nonblock: the same with MSG_DONTWAIT; connect:
 *         TCP_FASTOPEN_CONNECT, connect(), write(TEXT); plain: connect(),
 *         write(TEXT). Prints "connect=RET" (connect modes), "sent=RET"
 *         (RET -1 with the errno's name, e.g. "sent=-1 EOPNOTSUPP"), then
 *         "reply=TEXT syn_data=0|1" after reading the reply (at most 3 s)
 *   xfastopen errnos FAMILY ADDR PORT
 *         the errnos of misuse, one "NAME=RET" line each: sendto
 *         MSG_FASTOPEN on a connected socket, TCP_FASTOPEN_CONNECT after
 *         connect(), TCP_FASTOPEN_CONNECT 2, TCP_FASTOPEN on a connected
 *         socket, and getsockopt of TCP_FASTOPEN and TCP_FASTOPEN_CONNECT
 *   xfastopen flood SRC DST PORT N LEN
 *         N SYNs, each with LEN bytes of data and a Fast Open cookie
 *         request, from SRC (IPv4, need not be ours: IP_HDRINCL) and ports
 *         from 20000 up, through a raw socket. Prints "sent=N"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include "xtcp_family.h"

#ifndef TCPI_OPT_SYN_DATA
#define TCPI_OPT_SYN_DATA	32
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT	30
#endif

static int family;

static void die(const char *what)
{
	fprintf(stderr, "xfastopen: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* ADDR:PORT as a sockaddr of the family its text says. */
static socklen_t addr_parse(const char *addr, int port,
			    struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1)
			die("address");
		return sizeof(*sin6);
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
		die("address");
	return sizeof(*sin);
}

static int sock_new(const struct sockaddr_storage *ss)
{
	int fam = family;
	int fd;

	if (fam == AF_INET || fam == AF_INET6)
		fam = ss->ss_family;
	fd = socket(fam, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	return fd;
}

static void timeouts(int fd, int secs)
{
	struct timeval tv = { .tv_sec = secs };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void info(int fd, int *state, int *syn_data)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &len))
		die("TCP_INFO");
	*state = ti.tcpi_state;
	*syn_data = !!(ti.tcpi_options & TCPI_OPT_SYN_DATA);
}

/* What poll() says of @fd at once, as "in,out", "in", "out" or "none". */
static const char *poll_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	if (poll(&p, 1, 0) < 0)
		die("poll");
	switch (p.revents & (POLLIN | POLLOUT)) {
	case POLLIN | POLLOUT:
		return "in,out";
	case POLLIN:
		return "in";
	case POLLOUT:
		return "out";
	}
	return "none";
}

static void result(const char *name, long ret)
{
	if (ret < 0)
		printf("%s=-1 %s\n", name, strerrorname_np(errno));
	else
		printf("%s=%ld\n", name, ret);
	fflush(stdout);
}

static int server(const char *addr, int port, int qlen, int n)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_parse(addr, port, &ss);
	int fd = sock_new(&ss), one = 1, i;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	if (qlen >= 0 &&
	    setsockopt(fd, SOL_TCP, TCP_FASTOPEN, &qlen, sizeof(qlen)))
		die("TCP_FASTOPEN");
	if (listen(fd, 128))
		die("listen");
	printf("listening\n");
	fflush(stdout);
	if (n < 0)	/* accept nothing: children wait in the queue */
		for (;;)
			pause();
	for (i = 0; i < n; i++) {
		char buf[4096], out[4200];
		int c = accept(fd, NULL, NULL), state, syn_data;
		ssize_t r;

		if (c < 0)
			die("accept");
		info(c, &state, &syn_data);
		/* In SYN_RECV, a Fast Open child: readable and writable. */
		if (state == 3)
			printf("accept state=3 poll=%s\n", poll_now(c));
		else
			printf("accept state=%d\n", state);
		timeouts(c, 2);
		r = read(c, buf, sizeof(buf) - 1);
		buf[r > 0 ? r : 0] = 0;
		info(c, &state, &syn_data);
		printf("read=%zd data=%s syn_data=%d\n", r, buf, syn_data);
		fflush(stdout);
		snprintf(out, sizeof(out), "ok:%s", buf);
		if (write(c, out, strlen(out)) < 0)
			perror("write");
		close(c);
	}
	close(fd);
	return 0;
}

static int client(const char *addr, int port, const char *mode,
		  const char *text)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_parse(addr, port, &ss);
	int fd = sock_new(&ss), one = 1, state, syn_data;
	char buf[4096];
	ssize_t r;

	timeouts(fd, 3);
	if (!strcmp(mode, "sendto") || !strcmp(mode, "nonblock")) {
		r = sendto(fd, text, strlen(text), MSG_FASTOPEN |
			   (!strcmp(mode, "nonblock") ? MSG_DONTWAIT : 0),
			   (struct sockaddr *)&ss, len);
		result("sent", r);
		if (r < 0 && errno != EINPROGRESS)
			return 1;
		if (r < 0) {
			/* As a program would: wait, then send it all. */
			struct timeval tv = { 3, 0 };
			fd_set w;

			FD_ZERO(&w);
			FD_SET(fd, &w);
			select(fd + 1, NULL, &w, NULL, &tv);
			result("sent", write(fd, text, strlen(text)));
		}
	} else {
		if (!strcmp(mode, "connect"))
			result("setsockopt", setsockopt(fd, SOL_TCP,
							TCP_FASTOPEN_CONNECT,
							&one, sizeof(one)));
		r = connect(fd, (struct sockaddr *)&ss, len);
		result("connect", r);
		if (r)
			return 1;
		result("sent", write(fd, text, strlen(text)));
	}
	r = read(fd, buf, sizeof(buf) - 1);
	buf[r > 0 ? r : 0] = 0;
	info(fd, &state, &syn_data);
	printf("reply=%s syn_data=%d\n", r > 0 ? buf : "-", syn_data);
	close(fd);
	return 0;
}

static int errnos(const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_parse(addr, port, &ss);
	int fd = sock_new(&ss), val = 1;
	socklen_t vlen = sizeof(val);

	result("getsockopt_fastopen_connect_new",
	       getsockopt(fd, SOL_TCP, TCP_FASTOPEN_CONNECT, &val, &vlen) ?:
	       val);
	val = 2;
	result("fastopen_connect_2", setsockopt(fd, SOL_TCP,
						TCP_FASTOPEN_CONNECT, &val,
						sizeof(val)));
	if (connect(fd, (struct sockaddr *)&ss, len))
		die("connect");
	result("sendto_fastopen_connected",
	       sendto(fd, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&ss, len));
	val = 1;
	result("fastopen_connect_connected",
	       setsockopt(fd, SOL_TCP, TCP_FASTOPEN_CONNECT, &val,
			  sizeof(val)));
	result("fastopen_connected", setsockopt(fd, SOL_TCP, TCP_FASTOPEN,
						&val, sizeof(val)));
	close(fd);
	fd = sock_new(&ss);
	val = 5;
	setsockopt(fd, SOL_TCP, TCP_FASTOPEN, &val, sizeof(val));
	val = 0;
	vlen = sizeof(val);
	result("getsockopt_fastopen",
	       getsockopt(fd, SOL_TCP, TCP_FASTOPEN, &val, &vlen) ?: val);
	close(fd);
	return 0;
}

static uint16_t csum(const void *p, size_t n, uint32_t sum)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (b[i] << 8) | b[i + 1];
	if (n & 1)
		sum += b[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static int flood(const char *src, const char *dst, int port, int n, int dlen)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	unsigned char pkt[20 + 24 + 256];
	struct iphdr *ip = (struct iphdr *)pkt;
	struct tcphdr *th = (struct tcphdr *)(pkt + 20);
	unsigned char *opt = pkt + 40;
	int fd, one = 1, i, sent = 0, tlen;

	if (dlen < 0 || dlen > 256)
		dlen = 16;
	tlen = 24 + dlen;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one,
				 sizeof(one)))
		die("raw socket");
	inet_pton(AF_INET, dst, &to.sin_addr);
	for (i = 0; i < n; i++) {
		unsigned char pseudo[12 + 24 + 256];

		memset(pkt, 0, sizeof(pkt));
		ip->version = 4;
		ip->ihl = 5;
		ip->ttl = 64;
		ip->protocol = IPPROTO_TCP;
		ip->tot_len = htons(20 + tlen);
		inet_pton(AF_INET, src, &ip->saddr);
		ip->daddr = to.sin_addr.s_addr;
		th->source = htons(20000 + i);
		th->dest = htons(port);
		th->seq = htonl(0x10000000u + i * 4096);
		th->doff = 6;
		th->syn = 1;
		th->window = htons(64240);
		/* A cookie request: kind 34, length 2; two NOPs. */
		opt[0] = 34;
		opt[1] = 2;
		opt[2] = 1;
		opt[3] = 1;
		memset(pkt + 44, 'f', dlen);
		memcpy(pseudo, &ip->saddr, 4);
		memcpy(pseudo + 4, &ip->daddr, 4);
		pseudo[8] = 0;
		pseudo[9] = IPPROTO_TCP;
		pseudo[10] = tlen >> 8;
		pseudo[11] = tlen & 0xff;
		memcpy(pseudo + 12, th, tlen);
		th->check = htons(csum(pseudo, 12 + tlen, 0));
		if (sendto(fd, pkt, 20 + tlen, 0, (struct sockaddr *)&to,
			   sizeof(to)) == 20 + tlen)
			sent++;
	}
	printf("sent=%d\n", sent);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 7 && !strcmp(argv[1], "flood"))
		return flood(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]),
			     atoi(argv[6]));
	if (argc < 5)
		goto usage;
	family = xfamily_parse(argv[2]);
	if (family < 0)
		goto usage;
	if (!strcmp(argv[1], "server") && argc >= 7)
		return server(argv[3], atoi(argv[4]), atoi(argv[5]),
			      atoi(argv[6]));
	if (!strcmp(argv[1], "client") && argc >= 7)
		return client(argv[3], atoi(argv[4]), argv[5], argv[6]);
	if (!strcmp(argv[1], "errnos"))
		return errnos(argv[3], atoi(argv[4]));
usage:
	fprintf(stderr, "usage: see the comment at the top of xfastopen's source\n");
	return 2;
}
