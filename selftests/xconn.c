// SPDX-License-Identifier: GPL-2.0
/*
 * xconn: drive TCP connections from test scripts, over Linux TCP or xtcp.
 *
 * Options first: --family inet|inet6|xtcp|N (default inet; xtcp is the number in
 * /sys/module/xtcp/parameters/family, else 25), --netns NAME (enter the
 * network namespace /run/netns/NAME first). Then one of:
 *
 *   xconn do OP...
 *         one socket; OPs run on it in order
 *   xconn server ADDR:PORT [-n N] [--backlog B] [--nonblock] [OP...]
 *         bind, listen, print "port=P" (port 0 picks one), then accept N
 *         connections (default 1), polling first with --nonblock, and run
 *         the OPs (default: recv) on each accepted socket before closing it
 *   xconn client ADDR:PORT [--bind [ADDR:]PORT] [--nonblock] [OP...]
 *         connect (with --nonblock: EINPROGRESS, poll, SO_ERROR, then back
 *         to blocking), then the OPs (default: send=1000 shutdown recv)
 *   xconn probe
 *         socket, bind 127.0.0.1:0, listen and a non-blocking connect to it;
 *         prints "OK" or the first call that failed and its errno
 *
 * OPs (each prints one line "OP RESULT" unless marked silent):
 *   ADDR is A.B.C.D, or [IPV6] with an optional %SCOPE_ID inside
 *   bind=ADDR:PORT      bind-short=ADDR:PORT   (address length 8)
 *   bind-unspec=ADDR:PORT (sin_family AF_UNSPEC)   bind-inet6 ([::]:5000)
 *   connect=ADDR:PORT   listen[=BACKLOG]       accept (the accepted socket
 *                       becomes the current one; prints the peer)
 *   send=K              K bytes of a fixed pattern; "bytes=K sha256=H"
 *   stream=K            K more bytes of one stream per process (the same
 *                       pattern, going on where the last stream= or
 *                       writes= stopped), in one send() call per 4 KiB;
 *                       "bytes=T sha256=H" of the whole stream so far,
 *                       which is what a peer's recv reports
 *   writes=N:K          the stream's next N * K bytes as N send() calls of
 *                       K bytes each, back to back; printed as stream=
 *   recv                read to EOF; "bytes=N sha256=H"
 *   shutdown[=rd|wr|rdwr]  close    linger0 (SO_LINGER {1, 0})
 *   nonblock  block     poll=in|out (10 s; prints the events seen)
 *   poll0=in|out        the same without waiting ("poll timeout": none)
 *   fill                the stream's next bytes in non-blocking 4 KiB
 *                       sends until one would block: "fill bytes=N"
 *   soerror             SO_ERROR   getsockname   getpeername
 *   new                 a new socket of the same family becomes current
 *   alarm=S  sleep=S    SIGALRM (no SA_RESTART) in S s; sleep (silent)
 *   time                milliseconds since the previous "time" (or start)
 *   now                 the clocks, to line up with captures and traces:
 *                       "now real=US mono=US" (CLOCK_REALTIME, as
 *                       tcpdump stamps; CLOCK_MONOTONIC, as trace_clock
 *                       mono), microseconds
 *   tcpopts             TCP_INFO's tcpi_options and tcpi_ca_state:
 *                       "tcpopts options=0xN ca_state=N"
 *   drain               wait (up to 10 s) until the peer acknowledged all
 *                       we sent (SIOCOUTQ 0): "drain OK" or "drain N" bytes
 *                       still unacknowledged
 *   wait                print "wait ready", then wait for a line on stdin
 *   set=NAME:VALUE      setsockopt; set-short=NAME:VALUE passes 2 bytes
 *   get=NAME            getsockopt; prints the value (an int, ms for the
 *                       timeouts, "on,secs" for linger, a string for
 *                       congestion)
 *                       NAMEs: nodelay cork maxseg keepidle keepintvl
 *                       keepcnt usertimeout congestion notsentlowat
 *                       ccinfo (TCP_CC_INFO: the length returned) (SOL_TCP), keepalive
 *                       rcvbuf rcvbufforce sndbuf rcvlowat rcvtimeo sndtimeo linger
 *                       error mark (SOL_SOCKET), tos ttl (SOL_IP), ipopts
 *                       (IP_OPTIONS, VALUE in hex; set only), v6only
 *                       tclass hops (SOL_IPV6: IPV6_TCLASS,
 *                       IPV6_UNICAST_HOPS), tcp.N ip.N ipv6.N
 *                       (option N of that level)
 *   ioctl=inq|outq|outqnsd  SIOCINQ (FIONREAD), SIOCOUTQ, SIOCOUTQNSD
 *   info                TCP_INFO: "info state=N ca_state=N ..." (see do_info)
 *   rtt                 TCP_INFO's estimates: "rtt srtt=US rttvar=US rto=US
 *                       retrans=N cwnd=N ssthresh=N" (cwnd and ssthresh
 *                       in segments)
 *   infolen=N           TCP_INFO into N bytes: prints the length returned
 *   read=N              read exactly N bytes (or to EOF); "bytes=N"
 *   filter=all|data|off SO_ATTACH_FILTER, a classic BPF program that drops
 *                       every segment (all) or those with payload (data);
 *                       off: SO_DETACH_FILTER
 *   errqueue            recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT): "errqueue
 *                       ERRNO origin=N type=N code=N info=N from=ADDR
 *                       to=ADDR" (the IP_RECVERR message: its errno, ICMP
 *                       type and code, the ICMP sender, the address the
 *                       quoted segment went to; IPV6_RECVERR's with IPv6
 *                       addresses in brackets) or the call's errno
 *
 * RESULT is "OK", the errno's name (ECONNREFUSED...), an address
 * ("AF_INET 10.0.0.1:5000"), poll events ("POLLOUT") or byte counts. Exit
 * status: 0, 1 if the socket or the server's setup failed, 2 on usage.
 * A run that lasts over 30 s is killed by SIGALRM (unless alarm= re-armed
 * it), so that a hung test does not hang the whole run.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "netns.h"
#include "sha256.h"
#include "xtcp_family.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define POLL_MS		10000
#define WATCHDOG_S	30
#define PATTERN_MOD	251	/* byte i of every stream is i % 251 */

static int family = AF_INET;
static int cur = -1;		/* the socket OPs act on */

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: xconn [--family inet|xtcp|N] [--netns NAME] do OP...\n"
		"       xconn [OPTIONS] server ADDR:PORT [-n N] [--backlog B] [--nonblock] [OP...]\n"
		"       xconn [OPTIONS] client ADDR:PORT [--bind [ADDR:]PORT] [--nonblock] [OP...]\n"
		"       xconn [OPTIONS] probe\n"
		"(the OPs are listed at the top of the source)\n");
	exit(2);
}

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

/* Print "OP OK" or "OP ERRNO" for a call's return value. */
static int result(const char *op, int ret)
{
	printf("%s %s\n", op, ret < 0 ? errname(errno) : "OK");
	return ret;
}

static int new_socket(void)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0) {
		printf("socket %s\n", errname(errno));
		exit(1);
	}
	return fd;
}

/* ADDR:PORT (see xaddr_parse), or a usage error. Return the length. */
static socklen_t parse_addr(const char *s, union xaddr *a)
{
	socklen_t len = xaddr_parse(s, a);

	if (!len) {
		fprintf(stderr, "xconn: bad address %s\n", s);
		bad_usage();
	}
	return len;
}

static const char *fmt_addr(const union xaddr *a, socklen_t len)
{
	static char out[96];
	char host[INET6_ADDRSTRLEN];

	if (a->sa.sa_family == AF_INET) {
		inet_ntop(AF_INET, &a->sin.sin_addr, host, sizeof(host));
		snprintf(out, sizeof(out), "AF_INET %s:%u", host,
			 ntohs(a->sin.sin_port));
	} else if (a->sa.sa_family == AF_INET6 && len >= sizeof(a->sin6)) {
		inet_ntop(AF_INET6, &a->sin6.sin6_addr, host, sizeof(host));
		snprintf(out, sizeof(out), "AF_INET6 [%s]:%u", host,
			 ntohs(a->sin6.sin6_port));
		if (a->sin6.sin6_scope_id)
			snprintf(out + strlen(out), sizeof(out) - strlen(out),
				 " scope=%u", a->sin6.sin6_scope_id);
	} else {
		snprintf(out, sizeof(out), "family=%u len=%u",
			 a->sa.sa_family, len);
	}
	return out;
}

static void do_name(const char *op, int peer)
{
	union xaddr sin = { 0 };
	socklen_t len = sizeof(sin);
	int ret;

	if (peer)
		ret = getpeername(cur, &sin.sa, &len);
	else
		ret = getsockname(cur, &sin.sa, &len);
	if (ret < 0)
		result(op, ret);
	else
		printf("%s %s\n", op, fmt_addr(&sin, len));
}

static void do_send(size_t k)
{
	unsigned char buf[4096];
	struct sha256 s;
	char hex[65];
	size_t done = 0, i, chunk;
	ssize_t n;

	sha256_init(&s);
	while (done < k) {
		chunk = k - done < sizeof(buf) ? k - done : sizeof(buf);
		for (i = 0; i < chunk; i++)
			buf[i] = (done + i) % PATTERN_MOD;
		n = send(cur, buf, chunk, MSG_NOSIGNAL);
		if (n < 0) {
			result("send", -1);
			return;
		}
		sha256_update(&s, buf, n);
		done += n;
	}
	sha256_hex(&s, hex);
	printf("send bytes=%zu sha256=%s\n", done, hex);
}

/*
 * One stream per process for stream= and writes=: its offset and the
 * digest of everything sent so far (a copy is finalized for printing).
 */
static struct sha256 stream_sha;
static size_t stream_off;

static void do_stream(const char *op, size_t n, size_t k)
{
	static unsigned char buf[65536];
	struct sha256 fin;
	char hex[65];
	size_t i, w, done, chunk;
	ssize_t r;

	if (!stream_off)
		sha256_init(&stream_sha);
	for (w = 0; w < n; w++) {
		for (done = 0; done < k; done += r) {
			chunk = k - done < sizeof(buf) ? k - done : sizeof(buf);
			for (i = 0; i < chunk; i++)
				buf[i] = (stream_off + i) % PATTERN_MOD;
			r = send(cur, buf, chunk, MSG_NOSIGNAL);
			if (r < 0) {
				result(op, -1);
				return;
			}
			sha256_update(&stream_sha, buf, r);
			stream_off += r;
		}
	}
	fin = stream_sha;
	sha256_hex(&fin, hex);
	printf("%s bytes=%zu sha256=%s\n", op, stream_off, hex);
}

/*
 * fill: the stream's next bytes, in 4 KiB send() calls with MSG_DONTWAIT,
 * until one would block (at most 64 MiB); "fill bytes=N" this time, or
 * the errno of a call that failed otherwise.
 */
static void do_fill(void)
{
	unsigned char buf[4096];
	size_t i, n = 0;
	ssize_t r;

	if (!stream_off)
		sha256_init(&stream_sha);
	while (n < (64u << 20)) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (stream_off + i) % PATTERN_MOD;
		r = send(cur, buf, sizeof(buf), MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r < 0 && errno == EAGAIN)
			break;
		if (r < 0) {
			result("fill", -1);
			return;
		}
		sha256_update(&stream_sha, buf, r);
		stream_off += r;
		n += r;
	}
	printf("fill bytes=%zu\n", n);
}

static void do_recv(void)
{
	unsigned char buf[4096];
	struct sha256 s;
	char hex[65];
	size_t total = 0;
	ssize_t n;

	sha256_init(&s);
	while ((n = recv(cur, buf, sizeof(buf), 0)) > 0) {
		sha256_update(&s, buf, n);
		total += n;
	}
	if (n < 0) {
		result("recv", -1);
		return;
	}
	sha256_hex(&s, hex);
	printf("recv bytes=%zu sha256=%s\n", total, hex);
}

/* Wait up to @ms for @what (in or out); print the events seen. */
static void do_poll(int fd, const char *what, int ms)
{
	static const struct { short bit; const char *name; } names[] = {
		{ POLLIN, "POLLIN" }, { POLLOUT, "POLLOUT" },
		{ POLLERR, "POLLERR" }, { POLLHUP, "POLLHUP" },
		{ POLLRDHUP, "POLLRDHUP" },
	};
	struct pollfd pfd = { .fd = fd };
	char out[80] = "";
	size_t i;
	int ret;

	if (!strcmp(what, "in"))
		pfd.events = POLLIN | POLLRDHUP;
	else if (!strcmp(what, "out"))
		pfd.events = POLLOUT;
	else
		bad_usage();
	ret = poll(&pfd, 1, ms);
	if (ret <= 0) {
		printf("poll %s\n", ret < 0 ? errname(errno) : "timeout");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (pfd.revents & names[i].bit)
			snprintf(out + strlen(out), sizeof(out) - strlen(out),
				 "%s%s", *out ? "|" : "", names[i].name);
	printf("poll %s\n", out);
}

/* Socket options by name: level, number, kind of value. */
enum opt_kind { OPT_INT, OPT_MS, OPT_LINGER, OPT_STR, OPT_HEX, OPT_LEN };

static const struct sockopt_name {
	const char *name;
	int level, opt;
	enum opt_kind kind;
} sockopt_names[] = {
	{ "nodelay", IPPROTO_TCP, TCP_NODELAY, OPT_INT },
	{ "cork", IPPROTO_TCP, TCP_CORK, OPT_INT },
	{ "maxseg", IPPROTO_TCP, TCP_MAXSEG, OPT_INT },
	{ "keepidle", IPPROTO_TCP, TCP_KEEPIDLE, OPT_INT },
	{ "keepintvl", IPPROTO_TCP, TCP_KEEPINTVL, OPT_INT },
	{ "keepcnt", IPPROTO_TCP, TCP_KEEPCNT, OPT_INT },
	{ "usertimeout", IPPROTO_TCP, TCP_USER_TIMEOUT, OPT_INT },
	{ "congestion", IPPROTO_TCP, TCP_CONGESTION, OPT_STR },
	{ "notsentlowat", IPPROTO_TCP, TCP_NOTSENT_LOWAT, OPT_INT },
	{ "ccinfo", IPPROTO_TCP, TCP_CC_INFO, OPT_LEN },
	{ "keepalive", SOL_SOCKET, SO_KEEPALIVE, OPT_INT },
	{ "rcvbuf", SOL_SOCKET, SO_RCVBUF, OPT_INT },
	{ "rcvbufforce", SOL_SOCKET, SO_RCVBUFFORCE, OPT_INT },
	{ "sndbuf", SOL_SOCKET, SO_SNDBUF, OPT_INT },
	{ "rcvlowat", SOL_SOCKET, SO_RCVLOWAT, OPT_INT },
	{ "rcvtimeo", SOL_SOCKET, SO_RCVTIMEO, OPT_MS },
	{ "sndtimeo", SOL_SOCKET, SO_SNDTIMEO, OPT_MS },
	{ "linger", SOL_SOCKET, SO_LINGER, OPT_LINGER },
	{ "error", SOL_SOCKET, SO_ERROR, OPT_INT },
	{ "mark", SOL_SOCKET, SO_MARK, OPT_INT },
	{ "tos", IPPROTO_IP, IP_TOS, OPT_INT },
	{ "ttl", IPPROTO_IP, IP_TTL, OPT_INT },
	{ "v6only", IPPROTO_IPV6, IPV6_V6ONLY, OPT_INT },
	{ "ipopts", IPPROTO_IP, IP_OPTIONS, OPT_HEX },
	{ "tclass", IPPROTO_IPV6, IPV6_TCLASS, OPT_INT },
	{ "hops", IPPROTO_IPV6, IPV6_UNICAST_HOPS, OPT_INT },
};

static struct sockopt_name find_sockopt(const char *name)
{
	struct sockopt_name o = { .kind = OPT_INT };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sockopt_names); i++)
		if (!strcmp(name, sockopt_names[i].name))
			return sockopt_names[i];
	if (!strncmp(name, "tcp.", 4))
		o.level = IPPROTO_TCP;
	else if (!strncmp(name, "ip.", 3))
		o.level = IPPROTO_IP;
	else if (!strncmp(name, "ipv6.", 5))
		o.level = IPPROTO_IPV6;
	else
		bad_usage();
	o.opt = atoi(strchr(name, '.') + 1);
	return o;
}

/* set=NAME:VALUE; with @len_override > 0, pass that optlen instead. */
static void do_set(const char *op, const char *arg, socklen_t len_override)
{
	char name[32];
	const char *colon = strchr(arg, ':');
	struct sockopt_name o;
	unsigned char hex[40];
	struct timeval tv;
	struct linger lg;
	const void *val;
	socklen_t len;
	unsigned int b;
	int v;

	if (!colon || colon - arg >= (long)sizeof(name))
		bad_usage();
	snprintf(name, sizeof(name), "%.*s", (int)(colon - arg), arg);
	o = find_sockopt(name);
	v = atoi(colon + 1);
	val = &v;
	len = sizeof(v);
	if (o.kind == OPT_MS) {
		tv.tv_sec = v / 1000;
		tv.tv_usec = v % 1000 * 1000;
		val = &tv;
		len = sizeof(tv);
	} else if (o.kind == OPT_LINGER) {
		lg.l_onoff = v;
		lg.l_linger = strchr(colon, ',') ? atoi(strchr(colon, ',') + 1) : 0;
		val = &lg;
		len = sizeof(lg);
	} else if (o.kind == OPT_STR) {
		val = colon + 1;
		len = strlen(colon + 1);
	} else if (o.kind == OPT_HEX) {
		for (len = 0; len < sizeof(hex) &&
		     sscanf(colon + 1 + 2 * len, "%2x", &b) == 1; len++)
			hex[len] = b;
		val = hex;
	}
	result(op, setsockopt(cur, o.level, o.opt, val,
			      len_override ? len_override : len));
}

static void do_get(const char *arg)
{
	struct sockopt_name o = find_sockopt(arg);
	union {
		int i;
		struct timeval tv;
		struct linger lg;
		char s[64];
	} u;
	socklen_t len = o.kind == OPT_STR || o.kind == OPT_LEN ?
			sizeof(u.s) - 1 :
			o.kind == OPT_MS ? sizeof(u.tv) :
			o.kind == OPT_LINGER ? sizeof(u.lg) : sizeof(u.i);

	memset(&u, 0, sizeof(u));
	if (getsockopt(cur, o.level, o.opt, &u, &len) < 0) {
		result("get", -1);
		return;
	}
	if (o.kind == OPT_STR)
		printf("get %s\n", u.s);
	else if (o.kind == OPT_LEN)
		printf("get len=%u\n", (unsigned int)len);
	else if (o.kind == OPT_MS)
		printf("get %ld\n", (long)(u.tv.tv_sec * 1000 +
					    u.tv.tv_usec / 1000));
	else if (o.kind == OPT_LINGER)
		printf("get %d,%d\n", u.lg.l_onoff, u.lg.l_linger);
	else
		printf("get %d\n", u.i);
}

static void do_ioctl(const char *arg)
{
	unsigned long req;
	int n;

	if (!strcmp(arg, "inq"))
		req = SIOCINQ;
	else if (!strcmp(arg, "outq"))
		req = SIOCOUTQ;
	else if (!strcmp(arg, "outqnsd"))
		req = SIOCOUTQNSD;
	else
		bad_usage();
	if (ioctl(cur, req, &n) < 0)
		result("ioctl", -1);
	else
		printf("ioctl %d\n", n);
}

/* The TCP_INFO fields xtcp fills, on one line. */
static void do_info(void)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(cur, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0) {
		result("info", -1);
		return;
	}
	printf("info state=%u retransmits=%u probes=%u backoff=%u",
	       ti.tcpi_state, ti.tcpi_retransmits, ti.tcpi_probes,
	       ti.tcpi_backoff);
	printf(" rto=%u snd_mss=%u rcv_mss=%u unacked=%u pmtu=%u advmss=%u",
	       ti.tcpi_rto, ti.tcpi_snd_mss, ti.tcpi_rcv_mss, ti.tcpi_unacked,
	       ti.tcpi_pmtu, ti.tcpi_advmss);
	printf(" snd_wnd=%u notsent=%u segs_in=%u len=%u\n", ti.tcpi_snd_wnd,
	       ti.tcpi_notsent_bytes, ti.tcpi_segs_in, len);
}

static void do_rtt(void)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(cur, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0) {
		result("rtt", -1);
		return;
	}
	printf("rtt srtt=%u rttvar=%u rto=%u retrans=%u cwnd=%u ssthresh=%u\n",
	       ti.tcpi_rtt, ti.tcpi_rttvar, ti.tcpi_rto, ti.tcpi_total_retrans,
	       ti.tcpi_snd_cwnd, ti.tcpi_snd_ssthresh);
}

/* TCP_INFO's options (TCPI_OPT_*) and congestion state. */
static void do_tcpopts(void)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(cur, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0) {
		result("tcpopts", -1);
		return;
	}
	printf("tcpopts options=0x%x ca_state=%u\n", ti.tcpi_options,
	       ti.tcpi_ca_state);
}

static void do_infolen(int want)
{
	unsigned char buf[1024];
	socklen_t len = want;

	if (getsockopt(cur, IPPROTO_TCP, TCP_INFO, buf, &len) < 0)
		result("infolen", -1);
	else
		printf("infolen %u\n", len);
}

/* Read exactly @k bytes, or to EOF. */
static void do_read(size_t k)
{
	unsigned char buf[4096];
	size_t total = 0;
	ssize_t n = 1;

	while (total < k && n > 0) {
		n = recv(cur, buf, k - total < sizeof(buf) ? k - total :
			 sizeof(buf), 0);
		if (n > 0)
			total += n;
	}
	if (n < 0)
		result("read", -1);
	else
		printf("read bytes=%zu\n", total);
}

/* Milliseconds since the previous call (the first call: since start). */
static long ms_since_last(void)
{
	static struct timespec last;
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - last.tv_sec) * 1000 +
	     (now.tv_nsec - last.tv_nsec) / 1000000;
	last = now;
	return ms;
}

static long long clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void do_errqueue(void)
{
	char ctl[512], buf[256];
	struct sockaddr_in6 to6;
	struct sockaddr_in *to = (struct sockaddr_in *)&to6;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = {
		.msg_name = &to6, .msg_namelen = sizeof(to6),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct sock_extended_err *ee = NULL;
	struct cmsghdr *cm;
	char from[INET6_ADDRSTRLEN + 2] = "-", dst[INET6_ADDRSTRLEN + 2] = "-";
	char a6[INET6_ADDRSTRLEN];
	unsigned int port = 0;

	if (recvmsg(cur, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
		printf("errqueue %s\n", errname(errno));
		return;
	}
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if ((cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR) ||
		    (cm->cmsg_level == SOL_IPV6 &&
		     cm->cmsg_type == IPV6_RECVERR))
			ee = (struct sock_extended_err *)CMSG_DATA(cm);
	if (!ee) {
		printf("errqueue no-IP_RECVERR-cmsg\n");
		return;
	}
	if (SO_EE_OFFENDER(ee)->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((struct sockaddr_in *)SO_EE_OFFENDER(ee))->sin_addr,
			  from, sizeof(from));
	if (SO_EE_OFFENDER(ee)->sa_family == AF_INET6) {
		inet_ntop(AF_INET6,
			  &((struct sockaddr_in6 *)SO_EE_OFFENDER(ee))->sin6_addr,
			  a6, sizeof(a6));
		snprintf(from, sizeof(from), "[%s]", a6);
	}
	if (msg.msg_namelen >= sizeof(*to) && to->sin_family == AF_INET) {
		inet_ntop(AF_INET, &to->sin_addr, dst, sizeof(dst));
		port = ntohs(to->sin_port);
	}
	if (msg.msg_namelen >= sizeof(to6) && to6.sin6_family == AF_INET6) {
		inet_ntop(AF_INET6, &to6.sin6_addr, a6, sizeof(a6));
		snprintf(dst, sizeof(dst), "[%s]", a6);
		port = ntohs(to6.sin6_port);
	}
	printf("errqueue %s origin=%u type=%u code=%u info=%u from=%s to=%s:%u\n",
	       errname(ee->ee_errno), ee->ee_origin, ee->ee_type, ee->ee_code,
	       ee->ee_info, from, dst, port);
}

static void do_drain(void)
{
	int n = 0, i;

	for (i = 0; i < 1000; i++) {
		if (ioctl(cur, SIOCOUTQ, &n) < 0) {
			result("drain", -1);
			return;
		}
		if (!n)
			break;
		usleep(10000);
	}
	if (n)
		printf("drain %d\n", n);
	else
		printf("drain OK\n");
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

static void sleep_s(double secs)
{
	struct timespec ts = {
		.tv_sec = (time_t)secs,
		.tv_nsec = (long)((secs - (time_t)secs) * 1e9),
	};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * A socket filter sees a TCP segment from its TCP header on (for Linux TCP
 * and xtcp alike): "data" keeps a segment only if its length is no more
 * than the header's (the data offset, byte 12, high nibble, in words).
 */
static void do_filter(const char *arg)
{
	static struct sock_filter all[] = {
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	static struct sock_filter data[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 12),
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 4),
		BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 2),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog;
	int dummy = 0;

	if (!strcmp(arg, "off")) {
		result("filter", setsockopt(cur, SOL_SOCKET, SO_DETACH_FILTER,
					    &dummy, sizeof(dummy)));
		return;
	}
	if (!strcmp(arg, "all")) {
		prog.len = ARRAY_SIZE(all);
		prog.filter = all;
	} else if (!strcmp(arg, "data")) {
		prog.len = ARRAY_SIZE(data);
		prog.filter = data;
	} else {
		bad_usage();
	}
	result("filter", setsockopt(cur, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
				    sizeof(prog)));
}

/* Run one OP on the current socket. */
static void run_op(const char *tok)
{
	char op[32];
	const char *arg = strchr(tok, '=');
	union xaddr sin;
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(5000),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct sigaction sa = { .sa_handler = on_alarm };
	socklen_t len;
	int fd, err, how;

	if ((arg ? arg - tok : (long)strlen(tok)) >= (long)sizeof(op))
		bad_usage();
	snprintf(op, sizeof(op), "%.*s", arg ? (int)(arg - tok) : 31, tok);
	if (arg)
		arg++;

	if (!strcmp(op, "bind") && arg) {
		len = parse_addr(arg, &sin);
		result(op, bind(cur, &sin.sa, len));
	} else if (!strcmp(op, "bind-short") && arg) {
		parse_addr(arg, &sin);
		result(op, bind(cur, &sin.sa, 8));
	} else if (!strcmp(op, "bind-unspec") && arg) {
		len = parse_addr(arg, &sin);
		sin.sa.sa_family = AF_UNSPEC;
		result(op, bind(cur, &sin.sa, len));
	} else if (!strcmp(op, "bind-inet6")) {
		result(op, bind(cur, (struct sockaddr *)&sin6, sizeof(sin6)));
	} else if (!strcmp(op, "connect") && arg) {
		len = parse_addr(arg, &sin);
		result(op, connect(cur, &sin.sa, len));
	} else if (!strcmp(op, "listen")) {
		result(op, listen(cur, arg ? atoi(arg) : 16));
	} else if (!strcmp(op, "accept")) {
		len = sizeof(sin);
		fd = accept(cur, &sin.sa, &len);
		if (fd < 0) {
			result(op, fd);
		} else {
			printf("accept %s\n", fmt_addr(&sin, len));
			cur = fd;
		}
	} else if (!strcmp(op, "send") && arg) {
		do_send(strtoul(arg, NULL, 10));
	} else if (!strcmp(op, "stream") && arg) {
		do_stream(op, 1, strtoul(arg, NULL, 10));
	} else if (!strcmp(op, "writes") && arg && strchr(arg, ':')) {
		do_stream("stream", strtoul(arg, NULL, 10),
			  strtoul(strchr(arg, ':') + 1, NULL, 10));
	} else if (!strcmp(op, "recv")) {
		do_recv();
	} else if (!strcmp(op, "shutdown")) {
		if (!arg || !strcmp(arg, "wr"))
			how = SHUT_WR;
		else if (!strcmp(arg, "rd"))
			how = SHUT_RD;
		else if (!strcmp(arg, "rdwr"))
			how = SHUT_RDWR;
		else
			bad_usage();
		result(op, shutdown(cur, how));
	} else if (!strcmp(op, "close")) {
		result(op, close(cur));
		cur = -1;
	} else if (!strcmp(op, "linger0")) {
		result(op, setsockopt(cur, SOL_SOCKET, SO_LINGER, &lg,
				      sizeof(lg)));
	} else if (!strcmp(op, "nonblock") || !strcmp(op, "block")) {
		set_nonblock(cur, op[0] == 'n');
		printf("%s OK\n", op);
	} else if (!strcmp(op, "poll") && arg) {
		do_poll(cur, arg, POLL_MS);
	} else if (!strcmp(op, "poll0") && arg) {
		do_poll(cur, arg, 0);
	} else if (!strcmp(op, "fill")) {
		do_fill();
	} else if (!strcmp(op, "soerror")) {
		len = sizeof(err);
		if (getsockopt(cur, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			result(op, -1);
		else
			printf("soerror %s\n", err ? errname(err) : "OK");
	} else if (!strcmp(op, "getsockname") || !strcmp(op, "getpeername")) {
		do_name(op, op[3] == 'p');
	} else if (!strcmp(op, "new")) {
		cur = new_socket();
		printf("new OK\n");
	} else if (!strcmp(op, "alarm") && arg) {
		sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: EINTR */
		alarm(atoi(arg));
	} else if (!strcmp(op, "sleep") && arg) {
		sleep_s(atof(arg));
	} else if (!strcmp(op, "now")) {
		printf("now real=%lld mono=%lld\n", clock_us(CLOCK_REALTIME),
		       clock_us(CLOCK_MONOTONIC));
	} else if (!strcmp(op, "drain")) {
		do_drain();
	} else if (!strcmp(op, "time")) {
		printf("time %ld\n", ms_since_last());
	} else if (!strcmp(op, "set") && arg) {
		do_set(op, arg, 0);
	} else if (!strcmp(op, "set-short") && arg) {
		do_set(op, arg, 2);
	} else if (!strcmp(op, "get") && arg) {
		do_get(arg);
	} else if (!strcmp(op, "ioctl") && arg) {
		do_ioctl(arg);
	} else if (!strcmp(op, "info")) {
		do_info();
	} else if (!strcmp(op, "rtt")) {
		do_rtt();
	} else if (!strcmp(op, "tcpopts")) {
		do_tcpopts();
	} else if (!strcmp(op, "infolen") && arg) {
		do_infolen(atoi(arg));
	} else if (!strcmp(op, "read") && arg) {
		do_read(strtoul(arg, NULL, 10));
	} else if (!strcmp(op, "filter") && arg) {
		do_filter(arg);
	} else if (!strcmp(op, "errqueue")) {
		do_errqueue();
	} else if (!strcmp(op, "wait")) {
		printf("wait ready\n");
		while (getchar() != '\n' && !feof(stdin))
			;
	} else {
		fprintf(stderr, "xconn: unknown op %s\n", tok);
		bad_usage();
	}
}

static void run_ops(char **ops, int n)
{
	for (int i = 0; i < n; i++)
		run_op(ops[i]);
}

static int server(int argc, char **argv)
{
	union xaddr sin;
	socklen_t len = sizeof(sin), alen;
	int lfd, count = 1, backlog = 16, nonblock = 0, i;

	if (argc < 1)
		bad_usage();
	alen = parse_addr(argv[0], &sin);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			count = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--backlog") && i + 1 < argc)
			backlog = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--nonblock"))
			nonblock = 1;
		else
			bad_usage();
	}
	lfd = new_socket();
	if (result("bind", bind(lfd, &sin.sa, alen)) ||
	    result("listen", listen(lfd, backlog)) ||
	    getsockname(lfd, &sin.sa, &len))
		return 1;
	/* sin_port and sin6_port are at the same place. */
	printf("port=%u\n", ntohs(sin.sin.sin_port));
	if (nonblock)
		set_nonblock(lfd, 1);
	while (count-- > 0) {
		if (nonblock)
			do_poll(lfd, "in", POLL_MS);
		cur = lfd;
		run_op("accept");
		if (cur == lfd)
			return 1;
		if (nonblock)
			set_nonblock(cur, 0);
		if (i < argc)
			run_ops(argv + i, argc - i);
		else
			run_op("recv");
		if (cur >= 0)
			close(cur);
	}
	close(lfd);
	return 0;
}

static int client(int argc, char **argv)
{
	union xaddr dst, src;
	socklen_t dlen, slen;
	int nonblock = 0, i;

	if (argc < 1)
		bad_usage();
	dlen = parse_addr(argv[0], &dst);
	cur = new_socket();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--bind") && i + 1 < argc) {
			slen = parse_addr(argv[++i], &src);
			if (result("bind", bind(cur, &src.sa, slen)))
				return 1;
		} else if (!strcmp(argv[i], "--nonblock")) {
			nonblock = 1;
		} else {
			bad_usage();
		}
	}
	if (nonblock) {
		set_nonblock(cur, 1);
		if (result("connect", connect(cur, &dst.sa, dlen)) &&
		    errno != EINPROGRESS)
			return 0;
		do_poll(cur, "out", POLL_MS);
		run_op("soerror");
		set_nonblock(cur, 0);
	} else if (result("connect", connect(cur, &dst.sa, dlen))) {
		return 0;
	}
	if (i < argc) {
		run_ops(argv + i, argc - i);
	} else {
		run_op("send=1000");
		run_op("shutdown");
		run_op("recv");
	}
	return 0;
}

/* Can this family do the connection lifecycle at all yet? */
static int probe(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sin);
	int lfd, fd;
	const char *call = "socket";

	lfd = socket(family, SOCK_STREAM, 0);
	if (lfd < 0)
		goto fail;
	call = "bind";
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)))
		goto fail;
	call = "listen";
	if (listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&sin, &len))
		goto fail;
	call = "socket";
	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto fail;
	call = "connect";
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) &&
	    errno != EINPROGRESS)
		goto fail;
	printf("OK\n");
	return 0;
fail:
	printf("%s %s\n", call, errname(errno));
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ms_since_last();
	alarm(WATCHDOG_S);
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "--netns"))
			enter_netns("xconn", argv[i + 1]);
		else if (strcmp(argv[i], "--family"))
			bad_usage();
		else
			family = xfamily_parse(argv[i + 1]);
		if (family < 0)
			bad_usage();
	}
	if (i >= argc)
		bad_usage();
	if (!strcmp(argv[i], "probe"))
		return probe();
	if (!strcmp(argv[i], "server"))
		return server(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "client"))
		return client(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "do") && i + 1 < argc) {
		cur = new_socket();
		run_ops(argv + i + 1, argc - i - 1);
		return 0;
	}
	bad_usage();
	return 2;
}
