// SPDX-License-Identifier: GPL-2.0
/*
 * xsynflood: a SYN flood and the legitimate clients it is meant to stop,
 * for selftests/synflood.sh.
 *
 *   xsynflood flood DST PORT SECS [SRC16]
 *         send SYNs as fast as a raw socket takes them (64 per sendmmsg)
 *         for SECS seconds, each from a random address of SRC16.0.0/16
 *         (default 10.99) and a random port, with a random ISN and the
 *         options Linux puts in a SYN (MSS 1460, SACK permitted,
 *         timestamps, window scale 7).
 *         Prints "sent=N secs=T rate=R" (SYNs per second)
 *   xsynflood connect DST PORT SECS TIMEOUT_MS
 *         Linux TCP clients, one after another for SECS seconds: connect,
 *         write 1 byte, read 1 byte, close; each step may take at most
 *         TIMEOUT_MS or the connection counts as timed out. Prints
 *         "ok=N timeouts=T errors=E secs=S per_s=X" (X: ok per second),
 *         then "first_error=STEP:ERRNO" if there were errors
 *   xsynflood serve [--family inet|xtcp] ADDR PORT [BACKLOG]
 *         listen (backlog 128 by default), print "listening", then for
 *         each connection: read 1 byte, write it back, read to EOF, close;
 *         until killed
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "xtcp_family.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	const char *name = strerrorname_np(errno);

	printf("error %s: %s\n", what, name ? name : "E?");
	exit(1);
}

/* xorshift64*: fast, and the flood needs no better */
static __u64 rng_state;

static __u32 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (__u32)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static __u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __u32 csum_add(__u32 sum, const void *data, size_t len)
{
	const __u8 *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (__u32)p[len - 1] << 8;
	return sum;
}

static int parse_addr(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -1;
}

#define BATCH 64

struct syn {
	struct iphdr ip;
	struct tcphdr tcp;
	__u8 opts[20];
};

/* No padding: every part is a whole number of 32-bit words. */
static_assert(sizeof(struct syn) == 60, "struct syn is a 60-byte SYN");

static int flood(const char *dst, int port, double secs, const char *src16)
{
	static const __u8 opts[20] = {
		2, 4, 0x05, 0xb4,		/* MSS 1460 */
		4, 2,				/* SACK permitted */
		8, 10, 0, 0, 0, 0, 0, 0, 0, 0,	/* timestamps */
		1, 3, 3, 7,			/* NOP, window scale 7 */
	};
	static struct syn pkt[BATCH];
	struct sockaddr_in to = { .sin_family = AF_INET };
	static struct mmsghdr msg[BATCH];
	static struct iovec iov[BATCH];
	unsigned long long sent = 0;
	unsigned int a, b;
	double start, end;
	__u32 base, sum;
	int fd, i, n;

	if (parse_addr(dst, &to.sin_addr) || sscanf(src16, "%u.%u", &a, &b) != 2)
		return 2;
	base = (a << 24) | (b << 16);
	rng_state = (__u64)(now() * 1e6) ^ getpid();
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		die("socket");

	for (i = 0; i < BATCH; i++) {
		pkt[i].ip.version = 4;
		pkt[i].ip.ihl = 5;
		pkt[i].ip.ttl = 64;
		pkt[i].ip.protocol = IPPROTO_TCP;
		pkt[i].ip.tot_len = htons(sizeof(pkt[i]));
		pkt[i].ip.daddr = to.sin_addr.s_addr;
		pkt[i].tcp.dest = htons(port);
		pkt[i].tcp.doff = (sizeof(pkt[i].tcp) + sizeof(opts)) / 4;
		pkt[i].tcp.syn = 1;
		pkt[i].tcp.window = htons(64240);
		memcpy(pkt[i].opts, opts, sizeof(opts));
		iov[i].iov_base = &pkt[i];
		iov[i].iov_len = sizeof(pkt[i]);
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		msg[i].msg_hdr.msg_name = &to;
		msg[i].msg_hdr.msg_namelen = sizeof(to);
	}

	start = now();
	end = start + secs;
	while (now() < end) {
		/* a batch of SYNs per system call: those are what cost */
		for (i = 0; i < BATCH; i++) {
			struct syn *p = &pkt[i];
			__u32 src = base | (rnd() & 0xffff);
			__u32 tsval = rnd();

			if ((src & 0xff) == 0 || (src & 0xff) == 255)
				src ^= 1;
			p->ip.saddr = htonl(src);
			p->tcp.source = htons(1024 + rnd() % 60000);
			p->tcp.seq = htonl(rnd());
			memcpy(&p->opts[8], &tsval, 4);
			p->tcp.check = 0;
			/* pseudo-header, then the segment */
			sum = csum_add(0, &p->ip.saddr, 8);
			sum += IPPROTO_TCP + sizeof(p->tcp) + sizeof(opts);
			sum = csum_add(sum, &p->tcp, sizeof(p->tcp) + sizeof(opts));
			p->tcp.check = htons(csum_fold(sum));
		}
		n = sendmmsg(fd, msg, BATCH, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue;
			die("sendmmsg");
		}
		sent += n;
	}
	start = now() - start;
	printf("sent=%llu secs=%.3f rate=%.0f\n", sent, start, sent / start);
	return 0;
}

/* Wait for @ev on @fd for at most @ms: 1 if it came, 0 on timeout. */
static int wait_fd(int fd, short ev, int ms)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int r;

	do {
		r = poll(&p, 1, ms);
	} while (r < 0 && errno == EINTR);
	return r > 0;
}

/* The first error other than a timeout, and where it happened. */
static const char *first_error;

static void note_error(const char *where)
{
	static char buf[64];
	const char *name = strerrorname_np(errno);

	if (!first_error) {
		snprintf(buf, sizeof(buf), "%s:%s", where, name ? name : "E?");
		first_error = buf;
	}
}

/* One connection: 1 ok, 0 timed out, -1 another error. */
static int one_connection(const struct sockaddr_in *to, int ms)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), err = 0;
	socklen_t len = sizeof(err);
	struct linger lg = { 1, 0 };
	int ret = -1;
	char c = 'r';

	if (fd < 0)
		die("socket");
	/* no TIME_WAIT left behind to slow the next connect */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) &&
	    errno != EINPROGRESS) {
		note_error("connect");
		goto out;
	}
	if (!wait_fd(fd, POLLOUT, ms)) {
		ret = 0;
		goto out;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		ret = err == ETIMEDOUT ? 0 : -1;
		errno = err;
		if (ret)
			note_error("SO_ERROR");
		goto out;
	}
	if (write(fd, &c, 1) != 1) {
		note_error("write");
		goto out;
	}
	if (!wait_fd(fd, POLLIN, ms)) {
		ret = 0;
		goto out;
	}
	if (read(fd, &c, 1) != 1 || c != 'r') {
		note_error("read");
		goto out;
	}
	ret = 1;
out:
	close(fd);
	return ret;
}

static int clients(const char *dst, int port, double secs, int ms)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
	unsigned long long ok = 0, timeouts = 0, errors = 0;
	double start, end;
	int r;

	if (parse_addr(dst, &to.sin_addr))
		return 2;
	start = now();
	end = start + secs;
	while (now() < end) {
		r = one_connection(&to, ms);
		if (r > 0)
			ok++;
		else if (!r)
			timeouts++;
		else
			errors++;
	}
	start = now() - start;
	printf("ok=%llu timeouts=%llu errors=%llu secs=%.3f per_s=%.1f%s%s\n",
	       ok, timeouts, errors, start, ok / start,
	       first_error ? " first_error=" : "", first_error ?: "");
	return 0;
}

static int serve(int family, const char *addr, int port, int backlog)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int ls, fd, one = 1;
	char c;

	if (parse_addr(addr, &sa.sin_addr))
		return 2;
	ls = socket(family, SOCK_STREAM, 0);
	if (ls < 0)
		die("socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	if (listen(ls, backlog))
		die("listen");
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		fd = accept(ls, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		if (wait_fd(fd, POLLIN, 5000) && read(fd, &c, 1) == 1 &&
		    write(fd, &c, 1) == 1)
			while (wait_fd(fd, POLLIN, 5000) && read(fd, &c, 1) > 0)
				;
		close(fd);
	}
	return 0;
}

static int print_usage(void)
{
	fprintf(stderr,
		"usage: xsynflood flood DST PORT SECS [SRC16]\n"
		"       xsynflood connect DST PORT SECS TIMEOUT_MS\n"
		"       xsynflood serve [--family inet|xtcp] ADDR PORT [BACKLOG]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int family = AF_INET, i = 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return print_usage();
	if (!strcmp(argv[1], "flood") && (argc == 5 || argc == 6))
		return flood(argv[2], atoi(argv[3]), atof(argv[4]),
			     argc == 6 ? argv[5] : "10.99");
	if (!strcmp(argv[1], "connect") && argc == 6)
		return clients(argv[2], atoi(argv[3]), atof(argv[4]),
			       atoi(argv[5]));
	if (!strcmp(argv[1], "serve")) {
		if (argc > 3 && !strcmp(argv[2], "--family")) {
			family = !strcmp(argv[3], "xtcp") ? xtcp_family() :
				 AF_INET;
			i = 4;
		}
		if (argc - i == 2 || argc - i == 3)
			return serve(family, argv[i], atoi(argv[i + 1]),
				     argc - i == 3 ? atoi(argv[i + 2]) : 128);
	}
	return print_usage();
}
