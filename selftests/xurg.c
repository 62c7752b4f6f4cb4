// SPDX-License-Identifier: GPL-2.0
/*
 * xurg: urgent data (MSG_OOB) between a client and a server, each on
 * Linux TCP or xtcp, for selftests/urgent.sh.
 *
 *   xurg --client-ns NS --client-family F --server-ns NS --server-family F
 *        --addr A --port P CASE...
 *
 * Each CASE runs on a fresh connection on its own port (P, P+1, ...): the
 * client sends, the accepted socket receives, and one line
 * "CASE result..." says what the receiver saw, in words that do not
 * depend on timing, so that xtcp's lines can be compared with Linux
 * TCP's:
 *
 *   oob     "hello", send("abcX", MSG_OOB), "world": SIGURG to the
 *           F_SETOWN owner, poll and epoll EPOLLPRI, SIOCATMARK before,
 *           at and after the mark, MSG_PEEK|MSG_OOB then MSG_OOB give X,
 *           then EINVAL; the stream reads "helloabc" (stopping at the
 *           mark), then "world"
 *   inline  the same with SO_OOBINLINE: recv(MSG_OOB) says EINVAL and X
 *           stays in the stream, after the mark
 *   none    no urgent data: recv(MSG_OOB) says EINVAL, no SIGURG, no
 *           EPOLLPRI, SIOCATMARK 0
 *   two     send("aX", MSG_OOB), send("bY", MSG_OOB) before the reader
 *           reads: the second pointer replaces the first, X stays in the
 *           stream, Y is the urgent byte
 *   big     send(100000 bytes, MSG_OOB): the last byte is urgent, the
 *           99999 before it arrive in order, intact
 *   replace "aX" with MSG_OOB, the reader reads up to the mark, then "bY"
 *           with MSG_OOB: X, never read out of band, leaves the stream
 *           all the same (the reader stood at its mark), Y is urgent
 *   only    the urgent byte alone: EPOLLPRI without EPOLLIN, before and
 *           after recv(MSG_OOB); a read finds nothing (EAGAIN)
 *
 *   xurg --server-ns NS --server-family F --addr A --port P hostile [inline]
 *
 * waits for one connection from a scripted peer (hostile.py urg), which
 * sends bytes i % 251 for i = 0, 1, ... with odd urgent pointers and a
 * FIN; once the FIN is in it prints "hostile oob=... sigurg=N
 * stream=intact|gap=K|bad bytes=N atmark=K|none": the urgent byte, and
 * whether the stream read is the pattern, or the pattern with byte K
 * left out.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "xtcp_family.h"

#ifndef POLLRDHUP
#define POLLRDHUP 0x2000
#endif

static int cfam, sfam, cns = -1, sns = -1;
static struct sockaddr_in srv;
static sig_atomic_t sigurgs;	/* counted by the handler */
static char result[1024];

static void die(const char *what)
{
	printf("setup %s %s\n", what, strerror(errno));
	exit(1);
}

static void on_sigurg(int sig)
{
	(void)sig;
	sigurgs++;
}

static void out(const char *fmt, ...)
{
	size_t len = strlen(result);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(result + len, sizeof(result) - len, fmt, ap);
	va_end(ap);
}

static const char *errname(int err)
{
	switch (err) {
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case ENOTCONN: return "ENOTCONN";
	case EINTR: return "EINTR";
	default: return strerror(err);
	}
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int open_ns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("netns");
	return fd;
}

static int parse_family(const char *s)
{
	return strcmp(s, "xtcp") ? AF_INET : xtcp_family();
}

static int socket_in(int ns, int fam)
{
	int fd;

	if (setns(ns, CLONE_NEWNET) < 0)
		die("setns");
	fd = socket(fam, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	return fd;
}

static int listen_on(void)
{
	int fd = socket_in(sns, sfam), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&srv, sizeof(srv)) < 0)
		die("bind");
	if (listen(fd, 4) < 0)
		die("listen");
	return fd;
}

/* The receiver: SIGURG to this process, SO_OOBINLINE if asked. */
static int accept_owned(int lfd, int inl)
{
	int a = accept(lfd, NULL, NULL);

	if (a < 0)
		die("accept");
	if (fcntl(a, F_SETOWN, getpid()) < 0)
		die("F_SETOWN");
	if (inl && setsockopt(a, SOL_SOCKET, SO_OOBINLINE, &inl, sizeof(inl)))
		die("SO_OOBINLINE");
	return a;
}

static void do_send(int fd, const void *buf, size_t len, int flags)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, flags);

		if (n <= 0)
			die("send");
		p += n;
		len -= n;
	}
}

static int atmark(int fd)
{
	int v = -1;

	if (ioctl(fd, SIOCATMARK, &v) < 0)
		return -errno;
	return v;
}

/* recv(MSG_OOB | @extra): the byte, or the errno's name. */
static void out_oob(const char *name, int fd, int extra)
{
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_OOB | MSG_DONTWAIT | extra);

	if (n == 1 && c > ' ' && c < 127)
		out(" %s=%c", name, c);
	else if (n == 1)
		out(" %s=\\x%02x", name, (unsigned char)c);
	else if (n == 0)
		out(" %s=0", name);
	else
		out(" %s=%s", name, errname(errno));
}

/* A normal read of what is there now: the bytes, or the errno's name. */
static void out_read(int fd)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	if (n < 0) {
		out(" read=%s", errname(errno));
		return;
	}
	buf[n] = 0;
	out(" read=%s", n ? buf : "EOF");
}

/* poll() for EPOLLPRI up to 3 s: "pri" or "nopri". */
static void out_pri(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLPRI };

	out(" %s", poll(&p, 1, ms) == 1 && (p.revents & POLLPRI) ?
	    "pri" : "nopri");
}

static void out_epri(int ep, int ms)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, ms);

	out(" %s", n == 1 && (ev.events & EPOLLPRI) ? "epri" : "noepri");
}

static int ep_for(int fd)
{
	struct epoll_event ev = { .events = EPOLLPRI };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		die("epoll");
	return ep;
}

static void case_oob(int c, int a)
{
	int ep = ep_for(a);

	do_send(c, "hello", 5, 0);
	nap_ms(50);
	do_send(c, "abcX", 4, MSG_OOB);
	out_epri(ep, 3000);
	out_pri(a, 3000);
	do_send(c, "world", 5, 0);
	nap_ms(300);	/* "world" arrives */
	out(" sigurg=%d atmark=%d", (int)sigurgs, atmark(a));
	out_oob("peek", a, MSG_PEEK);
	out_oob("oob", a, 0);
	out_oob("again", a, 0);
	out_read(a);
	out(" atmark=%d", atmark(a));
	out_read(a);
	out(" atmark=%d", atmark(a));
	out_pri(a, 0);
	close(ep);
}

static void case_none(int c, int a)
{
	int ep = ep_for(a);

	do_send(c, "plain", 5, 0);
	nap_ms(300);
	out(" sigurg=%d atmark=%d", (int)sigurgs, atmark(a));
	out_epri(ep, 0);
	out_pri(a, 0);
	out_oob("oob", a, 0);
	out_read(a);
	out_oob("after", a, 0);
	close(ep);
}

static void case_two(int c, int a)
{
	do_send(c, "aX", 2, MSG_OOB);
	nap_ms(50);
	do_send(c, "bY", 2, MSG_OOB);
	do_send(c, "z", 1, 0);
	nap_ms(300);
	out(" sigurg=%d", (int)sigurgs);
	out_oob("oob", a, 0);
	out_read(a);
	out(" atmark=%d", atmark(a));
	out_read(a);
}

/* A second pointer while the reader stands at the first mark. */
static void case_replace(int c, int a)
{
	do_send(c, "aX", 2, MSG_OOB);
	nap_ms(300);
	out_read(a);
	out(" atmark=%d", atmark(a));
	do_send(c, "bY", 2, MSG_OOB);
	do_send(c, "z", 1, 0);
	nap_ms(300);
	out(" sigurg=%d", (int)sigurgs);
	out_oob("oob", a, 0);
	out_read(a);
	out(" atmark=%d", atmark(a));
	out_read(a);
}

/* Only the urgent byte: EPOLLPRI without EPOLLIN, a read finds nothing. */
static void case_only(int c, int a)
{
	struct pollfd p = { .fd = a, .events = POLLIN | POLLPRI };

	do_send(c, "X", 1, MSG_OOB);
	nap_ms(300);
	poll(&p, 1, 0);
	out(" %s%s atmark=%d", p.revents & POLLIN ? "in" : "noin",
	    p.revents & POLLPRI ? "pri" : "nopri", atmark(a));
	out_oob("peek", a, MSG_PEEK);
	out_oob("oob", a, 0);
	poll(&p, 1, 0);
	out(" %s%s", p.revents & POLLIN ? "in" : "noin",
	    p.revents & POLLPRI ? "pri" : "nopri");
	out_read(a);
	out(" atmark=%d", atmark(a));
	do_send(c, "y", 1, 0);
	nap_ms(300);
	out_read(a);
}

#define BIG 100000

static void case_big(int c, int a)
{
	static unsigned char buf[BIG], got[BIG];
	size_t have = 0, i;
	int marks = 0, ok = 1;
	struct pollfd p;

	for (i = 0; i < BIG; i++)
		buf[i] = i % 251;
	do_send(c, buf, BIG, MSG_OOB);
	/* Read up to the mark, then the urgent byte. */
	while (have < BIG) {
		ssize_t n;

		if (atmark(a) == 1) {
			marks = 1;
			break;
		}
		p = (struct pollfd){ .fd = a, .events = POLLIN };
		if (poll(&p, 1, 5000) != 1)
			break;
		n = recv(a, got + have, BIG - have, MSG_DONTWAIT);
		if (n <= 0)
			break;
		have += n;
	}
	for (i = 0; i < have; i++)
		ok &= got[i] == buf[i];
	out(" bytes=%zu %s mark=%d sigurg=%s", have, ok ? "intact" : "bad",
	    marks, sigurgs ? "yes" : "no");
	out_pri(a, 0);
	{
		unsigned char b;
		ssize_t n = recv(a, &b, 1, MSG_OOB | MSG_DONTWAIT);

		out(" oob=%s", n == 1 && b == buf[BIG - 1] ? "last" :
		    n == 1 ? "wrong" : errname(errno));
	}
	out(" after=%s", recv(a, got, 1, MSG_DONTWAIT) < 0 ?
	    errname(errno) : "data");
}

static void run_case(const char *name)
{
	int lfd = listen_on(), c, a;

	c = socket_in(cns, cfam);
	if (connect(c, (struct sockaddr *)&srv, sizeof(srv)) < 0)
		die("connect");
	a = accept_owned(lfd, !strcmp(name, "inline"));
	sigurgs = 0;
	result[0] = 0;
	if (!strcmp(name, "oob"))
		case_oob(c, a);
	else if (!strcmp(name, "inline"))
		case_oob(c, a);
	else if (!strcmp(name, "none"))
		case_none(c, a);
	else if (!strcmp(name, "two"))
		case_two(c, a);
	else if (!strcmp(name, "big"))
		case_big(c, a);
	else if (!strcmp(name, "replace"))
		case_replace(c, a);
	else if (!strcmp(name, "only"))
		case_only(c, a);
	else
		out(" unknown");
	printf("%s%s\n", name, result);
	close(c);
	close(a);
	close(lfd);
	srv.sin_port = htons(ntohs(srv.sin_port) + 1);
}

/* The scripted peer's bytes: i % 251. */
static void hostile(int inl)
{
	static unsigned char got[65536];
	int lfd = listen_on(), a, mark = -1, i, gap = -1, bad = 0;
	struct pollfd p;
	size_t have = 0;

	printf("listening\n");
	a = accept_owned(lfd, inl);
	/* A pointer known before its byte: EAGAIN, not a wait. */
	p = (struct pollfd){ .fd = a, .events = POLLIN };
	poll(&p, 1, 10000);
	result[0] = 0;
	out_oob("early", a, 0);
	p = (struct pollfd){ .fd = a, .events = POLLRDHUP };
	for (i = 0; i < 100; i++) {
		if (poll(&p, 1, 100) == 1 && (p.revents & POLLRDHUP))
			break;
	}
	out_oob("oob", a, 0);
	out(" sigurg=%d", (int)sigurgs);
	for (;;) {
		ssize_t n;

		if (mark < 0 && atmark(a) == 1)
			mark = have;
		n = recv(a, got + have, sizeof(got) - have, MSG_DONTWAIT);
		if (n <= 0)
			break;
		have += n;
	}
	for (i = 0; i < (int)have; i++) {
		int want = (i + (gap >= 0)) % 251;

		if (got[i] == want)
			continue;
		if (gap < 0 && got[i] == (i + 1) % 251) {
			gap = i;
			continue;
		}
		bad = 1;
	}
	if (bad)
		out(" stream=bad");
	else if (gap >= 0)
		out(" stream=gap=%d", gap);
	else
		out(" stream=intact");
	out(" bytes=%zu", have);
	if (mark >= 0)
		out(" atmark=%d", mark);
	else
		out(" atmark=none");
	printf("%s%s\n", "hostile", result);
	close(a);
	close(lfd);
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: xurg --client-ns NS --client-family inet|xtcp\n"
		"            --server-ns NS --server-family inet|xtcp\n"
		"            --addr A.B.C.D --port P CASE...\n"
		"       xurg --server-ns NS --server-family inet|xtcp\n"
		"            --addr A.B.C.D --port P hostile [inline]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigurg };
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	srv.sin_family = AF_INET;
	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1];

		if (!strcmp(opt, "--client-ns"))
			cns = open_ns(val);
		else if (!strcmp(opt, "--server-ns"))
			sns = open_ns(val);
		else if (!strcmp(opt, "--client-family"))
			cfam = parse_family(val);
		else if (!strcmp(opt, "--server-family"))
			sfam = parse_family(val);
		else if (!strcmp(opt, "--addr"))
			inet_pton(AF_INET, val, &srv.sin_addr);
		else if (!strcmp(opt, "--port"))
			srv.sin_port = htons(atoi(val));
		else
			bad_usage();
	}
	if (sns < 0 || !sfam || !srv.sin_port || i >= argc)
		bad_usage();
	sigaction(SIGURG, &sa, NULL);	/* no SA_RESTART */
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(argv[i], "hostile")) {
		hostile(i + 1 < argc && !strcmp(argv[i + 1], "inline"));
		return 0;
	}
	if (cns < 0 || !cfam)
		bad_usage();
	for (; i < argc; i++)
		run_case(argv[i]);
	return 0;
}
