// SPDX-License-Identifier: GPL-2.0
/*
 * xcalls: the data calls and readiness of a TCP connection, over Linux TCP
 * or xtcp, as one line of results per case, so that a test compares what
 * xtcp does with what Linux TCP does for the same sequence of calls.
 *
 *   xcalls --client-ns NS --client-family F --server-ns NS
 *          --server-family F --addr ADDR --port P [CASE...]
 *
 * F is inet, inet6 or xtcp; ADDR is A.B.C.D or an IPv6 address. Listens
 * on ADDR:P in the server namespace (and uses P+1 for a second
 * listener, P+2 as a port nobody listens on), then for each CASE (default:
 * all) and each role connects a fresh pair of sockets from the client
 * namespace: the "tested" socket, whose calls the case looks at, is the
 * client in role "c" and the accepted socket in role "s"; the other one,
 * the "peer", sends, reads, shuts down or resets from a helper thread after
 * a short delay, so that the tested socket is really blocked or waiting
 * when the event happens. Prints
 *
 *   CASE ROLE RESULT...
 *
 * where RESULT is a few words: byte counts, errno names, poll masks
 * ("IN|OUT|RDNORM|WRNORM", "-" for none, "timeout" for an epoll_wait() that
 * saw nothing) and, for timed calls, "blocked" (it took at least 0.8 of the
 * timeout and under 10 s) or "early=MS"/"late=MS". Nothing here is a speed
 * assertion: delays only order events. Exit status 0, 1 if the setup
 * failed, 2 on usage. Each case is killed by SIGALRM after 20 s.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "xtcp_family.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define PATTERN_MOD	251	/* byte i of every stream is i % 251 */
#define CASE_TIMEOUT_S	20
#define IO_BYTES	60000
#define CHUNK		65536

static int cfam, sfam, cns = -1, sns = -1, lfd = -1;
static union xaddr srv;
static char role;		/* 'c' or 's' */
static pthread_t main_thread;
static sig_atomic_t sigpipes, sigusr1s;	/* counted by the handlers */

static void die(const char *what)
{
	printf("setup %s %s\n", what, strerrorname_np(errno) ?: "E?");
	exit(1);
}

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* "blocked" when a call meant to wait T ms took 0.8 T to 10 s. */
static const char *blocked(long ms, long t)
{
	static char out[32];

	if (ms >= t * 8 / 10 && ms < 10000)
		return "blocked";
	snprintf(out, sizeof(out), "%s=%ld", ms < t ? "early" : "late", ms);
	return out;
}

/* Names of the bits of a poll or epoll mask (the same values on Linux). */
static const char *mask_str(unsigned int m)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ POLLIN, "IN" }, { POLLPRI, "PRI" }, { POLLOUT, "OUT" },
		{ POLLERR, "ERR" }, { POLLHUP, "HUP" }, { POLLRDNORM, "RDNORM" },
		{ POLLRDBAND, "RDBAND" }, { POLLWRNORM, "WRNORM" },
		{ POLLWRBAND, "WRBAND" }, { POLLRDHUP, "RDHUP" },
	};
	static char bufs[8][96];
	static int next;
	char *out = bufs[next++ % 8];
	size_t i;

	*out = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (m & names[i].bit)
			snprintf(out + strlen(out), 96 - strlen(out), "%s%s",
				 *out ? "|" : "", names[i].name);
	if (!*out)
		snprintf(out, 96, "-");
	return out;
}

/* poll() asking for every event: the mask the socket reports now. */
static const char *poll_now(int fd, int timeout)
{
	struct pollfd pfd = {
		.fd = fd,
		.events = POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND |
			  POLLWRNORM | POLLWRBAND | POLLRDHUP,
	};
	int n = poll(&pfd, 1, timeout);

	if (n < 0)
		return errname(errno);
	return n ? mask_str(pfd.revents) : "-";
}

/* poll() for @events until they (or ERR/HUP) show, up to @timeout ms. */
static void poll_for(int fd, short events, int timeout)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	poll(&pfd, 1, timeout);
}

/*
 * epoll_wait() on @fd registered for @events: the events it returned,
 * "timeout", or an errno name.
 */
struct ep {
	int epfd, fd;
};

static void ep_add(struct ep *ep, int fd, unsigned int events)
{
	struct epoll_event ev = { .events = events };

	ep->fd = fd;
	ep->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ep->epfd < 0 || epoll_ctl(ep->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		die("epoll");
}

static const char *ep_wait(struct ep *ep, int timeout)
{
	struct epoll_event ev;
	int n;

	do {
		n = epoll_wait(ep->epfd, &ev, 1, timeout);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errname(errno);
	return n ? mask_str(ev.events) : "timeout";
}

static void ep_del(struct ep *ep)
{
	close(ep->epfd);
}

static void fill(unsigned char *buf, size_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (off + i) % PATTERN_MOD;
}

/* The offset of the first byte of @buf that breaks the pattern, or -1. */
static long check(const unsigned char *buf, size_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != (off + i) % PATTERN_MOD)
			return off + i;
	return -1;
}

static void set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
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

static int setopt_int(int fd, int opt, int val)
{
	return setsockopt(fd, SOL_SOCKET, opt, &val, sizeof(val));
}

static int getopt_int(int fd, int opt)
{
	socklen_t len = sizeof(int);
	int val;

	if (getsockopt(fd, SOL_SOCKET, opt, &val, &len) < 0)
		return -errno;
	return val;
}

static int set_timeo(int fd, int opt, long ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

static const char *soerror(int fd)
{
	int err = getopt_int(fd, SO_ERROR);

	if (err < 0)
		return errname(-err);
	return err ? errname(err) : "0";
}

/* ---- The peer's helper thread -------------------------------------- */

enum step_op { END, DELAY, SEND, SHUTWR, RST, DRAIN, SIGNAL, CONNECT };

struct step {
	enum step_op op;
	long arg;
};

struct later {
	pthread_t th;
	int fd;
	size_t sent;		/* stream offset of the next byte to send */
	long drained;		/* DRAIN: bytes read, or -(offset+1) if bad */
	union xaddr dst;	/* where CONNECT connects to */
	struct step steps[8];
};

static void *later_run(void *arg)
{
	struct later *l = arg;
	unsigned char *buf = malloc(CHUNK);
	struct linger lg = { 1, 0 };
	size_t n, want;
	ssize_t r;

	for (struct step *s = l->steps; s->op != END; s++) {
		switch (s->op) {
		case DELAY:
			nap_ms(s->arg);
			break;
		case SEND:
			for (want = s->arg; want; want -= r) {
				n = want < CHUNK ? want : CHUNK;
				fill(buf, l->sent, n);
				r = send(l->fd, buf, n, MSG_NOSIGNAL);
				if (r <= 0)
					break;
				l->sent += r;
			}
			break;
		case SHUTWR:
			shutdown(l->fd, SHUT_WR);
			break;
		case RST:
			setsockopt(l->fd, SOL_SOCKET, SO_LINGER, &lg,
				   sizeof(lg));
			close(l->fd);
			break;
		case DRAIN:
			l->drained = 0;
			while (l->drained < s->arg) {
				r = recv(l->fd, buf, CHUNK, 0);
				if (r <= 0)
					break;
				if (check(buf, l->drained, r) >= 0) {
					l->drained = -1 -
						check(buf, l->drained, r);
					break;
				}
				l->drained += r;
			}
			break;
		case SIGNAL:
			pthread_kill(main_thread, SIGUSR1);
			break;
		case CONNECT:
			connect(l->fd, &l->dst.sa, xaddr_len(&l->dst));
			break;
		case END:
			break;
		}
	}
	free(buf);
	return NULL;
}

static void later_start(struct later *l, int fd)
{
	l->fd = fd;
	if (pthread_create(&l->th, NULL, later_run, l))
		die("pthread_create");
}

static void later_join(struct later *l)
{
	pthread_join(l->th, NULL);
}

/* ---- The connection each case runs on ------------------------------ */

struct pair {
	int t, p;	/* tested socket, peer */
};

static int connect_pair(struct pair *pr)
{
	int c = socket_in(cns, cfam), a;

	if (connect(c, &srv.sa, xaddr_len(&srv)) < 0)
		die("connect");
	a = accept(lfd, NULL, NULL);
	if (a < 0)
		die("accept");
	pr->t = role == 'c' ? c : a;
	pr->p = role == 'c' ? a : c;
	return 0;
}

static void close_pair(struct pair *pr)
{
	if (pr->t >= 0)
		close(pr->t);
	if (pr->p >= 0)
		close(pr->p);
}

static char result[512];

static void out(const char *fmt, ...)
{
	size_t len = strlen(result);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(result + len, sizeof(result) - len, fmt, ap);
	va_end(ap);
}

/* A count or an errno name, as a word of the result. */
static void out_ret(ssize_t r)
{
	if (r < 0)
		out(" %s", errname(errno));
	else
		out(" %zd", r);
}

/* ---- Moving bytes: scatter/gather with odd boundaries -------------- */

static const size_t iov_sizes[] = { 1, 7, 1000, 4093, 3, 20011 };

enum io_call { IO_SEND, IO_WRITE, IO_SENDMSG, IO_WRITEV,
	       IO_RECV, IO_READ, IO_RECVMSG, IO_READV };

/* One call moving up to the iov's worth of bytes from or to @buf. */
static ssize_t io_once(int fd, enum io_call call, unsigned char *buf,
		       size_t n)
{
	struct iovec iov[ARRAY_SIZE(iov_sizes)];
	struct msghdr msg = { .msg_iov = iov };
	size_t left = n;
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(iov_sizes) && left; i++) {
		iov[i].iov_base = buf + (n - left);
		iov[i].iov_len = iov_sizes[i] < left ? iov_sizes[i] : left;
		left -= iov[i].iov_len;
	}
	msg.msg_iovlen = i;
	switch (call) {
	case IO_SEND:
		return send(fd, buf, n, 0);
	case IO_WRITE:
		return write(fd, buf, n);
	case IO_SENDMSG:
		return sendmsg(fd, &msg, 0);
	case IO_WRITEV:
		return writev(fd, iov, i);
	case IO_RECV:
		return recv(fd, buf, n, 0);
	case IO_READ:
		return read(fd, buf, n);
	case IO_RECVMSG:
		return recvmsg(fd, &msg, 0);
	case IO_READV:
		return readv(fd, iov, i);
	}
	return -1;
}

/*
 * IO_BYTES through the tested socket with @call, in pieces of the sizes
 * of iov_sizes (sum 25115, so that pieces straddle segments): the peer
 * checks or supplies the pattern. "bytes=N ok", or where it broke.
 */
static void case_io(struct pair *pr, enum io_call call)
{
	size_t total = 25115, done = 0;
	unsigned char *buf = malloc(total);
	struct later l = { 0 };
	int writing = call <= IO_WRITEV;
	long bad = -1;
	ssize_t r = 0;

	l.steps[0] = (struct step){ writing ? DRAIN : SEND, IO_BYTES };
	later_start(&l, pr->p);
	while (done < IO_BYTES) {
		size_t n = IO_BYTES - done < total ? IO_BYTES - done : total;

		if (writing)
			fill(buf, done, n);
		r = io_once(pr->t, call, buf, n);
		if (r <= 0)
			break;
		if (!writing && bad < 0)
			bad = check(buf, done, r);
		done += r;
	}
	if (writing) {
		shutdown(pr->t, SHUT_WR);
		later_join(&l);
		if (l.drained < 0)
			bad = -1 - l.drained;
		else
			done = l.drained;
	} else {
		later_join(&l);
	}
	if (r < 0)
		out("%s after %zu", errname(errno), done);
	else if (bad >= 0)
		out("bytes=%zu bad@%ld", done, bad);
	else
		out("bytes=%zu ok", done);
	free(buf);
}

static void case_send(struct pair *pr) { case_io(pr, IO_SEND); }
static void case_write(struct pair *pr) { case_io(pr, IO_WRITE); }
static void case_sendmsg(struct pair *pr) { case_io(pr, IO_SENDMSG); }
static void case_writev(struct pair *pr) { case_io(pr, IO_WRITEV); }
static void case_recv(struct pair *pr) { case_io(pr, IO_RECV); }
static void case_read(struct pair *pr) { case_io(pr, IO_READ); }
static void case_recvmsg(struct pair *pr) { case_io(pr, IO_RECVMSG); }
static void case_readv(struct pair *pr) { case_io(pr, IO_READV); }

/* ---- recv() flags -------------------------------------------------- */

/* Peek 50 of 100 twice, read 100, then nothing is left. */
static void case_peek(struct pair *pr)
{
	unsigned char a[100], b[100], c[200];
	struct later l = { .steps = { { SEND, 100 } } };
	ssize_t r;

	later_start(&l, pr->p);
	later_join(&l);
	poll_for(pr->t, POLLIN, 2000);
	r = recv(pr->t, a, 50, MSG_PEEK);
	out_ret(r);
	r = recv(pr->t, b, 50, MSG_PEEK);
	out_ret(r);
	out(" %s", r == 50 && !memcmp(a, b, 50) ? "same" : "differ");
	r = recv(pr->t, c, sizeof(c), 0);
	out_ret(r);
	out(" %s", r == 100 && !memcmp(a, c, 50) && check(c, 0, 100) < 0 ?
	    "same" : "differ");
	out_ret(recv(pr->t, c, sizeof(c), MSG_DONTWAIT | MSG_PEEK));
}

/* Three sends 50 ms apart: a peek sees all 30 bytes, then a read does. */
static void case_peek_multi(struct pair *pr)
{
	unsigned char a[100], b[100];
	struct later l = { .steps = {
		{ SEND, 10 }, { DELAY, 50 }, { SEND, 10 }, { DELAY, 50 },
		{ SEND, 10 } } };
	ssize_t r;

	later_start(&l, pr->p);
	later_join(&l);
	nap_ms(100);
	r = recv(pr->t, a, sizeof(a), MSG_PEEK);
	out_ret(r);
	r = recv(pr->t, b, sizeof(b), 0);
	out_ret(r);
	out(" %s", r == 30 && !memcmp(a, b, 30) && check(b, 0, 30) < 0 ?
	    "same" : "differ");
}

/* Nothing to read: MSG_DONTWAIT and O_NONBLOCK both say so at once. */
static void case_dontwait(struct pair *pr)
{
	char buf[10];

	out_ret(recv(pr->t, buf, sizeof(buf), MSG_DONTWAIT));
	set_nonblock(pr->t, 1);
	out_ret(read(pr->t, buf, sizeof(buf)));
	out_ret(recv(pr->t, buf, sizeof(buf), MSG_PEEK));
}

/* MSG_WAITALL for 3000 bytes sent as 3 x 1000, 100 ms apart. */
static void case_waitall(struct pair *pr)
{
	unsigned char buf[4000];
	struct later l = { .steps = {
		{ DELAY, 50 }, { SEND, 1000 }, { DELAY, 100 }, { SEND, 1000 },
		{ DELAY, 100 }, { SEND, 1000 } } };
	ssize_t r;

	later_start(&l, pr->p);
	r = recv(pr->t, buf, 3000, MSG_WAITALL);
	later_join(&l);
	out_ret(r);
	out(" %s", r == 3000 && check(buf, 0, 3000) < 0 ? "ok" : "bad");
}

/* MSG_WAITALL for 3000 bytes, but the peer sends 1000 and a FIN. */
static void case_waitall_eof(struct pair *pr)
{
	unsigned char buf[4000];
	struct later l = { .steps = {
		{ DELAY, 50 }, { SEND, 1000 }, { DELAY, 100 }, { SHUTWR } } };

	later_start(&l, pr->p);
	out_ret(recv(pr->t, buf, 3000, MSG_WAITALL));
	later_join(&l);
	out_ret(recv(pr->t, buf, 3000, MSG_WAITALL));
}

static void on_sigusr1(int sig)
{
	(void)sig;
	sigusr1s++;
}

/* MSG_WAITALL for 3000 bytes, 1000 arrive, then a signal interrupts. */
static void case_waitall_signal(struct pair *pr)
{
	unsigned char buf[4000];
	struct later l = { .steps = {
		{ DELAY, 50 }, { SEND, 1000 }, { DELAY, 200 }, { SIGNAL } } };

	later_start(&l, pr->p);
	out_ret(recv(pr->t, buf, 3000, MSG_WAITALL));
	later_join(&l);
	out(" signals=%d", sigusr1s);
}

/* Nothing arrives; a signal interrupts recv(), with and without WAITALL. */
static void case_recv_intr(struct pair *pr)
{
	char buf[100];
	struct later l = { .steps = { { DELAY, 200 }, { SIGNAL } } };

	later_start(&l, pr->p);
	out_ret(recv(pr->t, buf, sizeof(buf), MSG_WAITALL));
	later_join(&l);
	later_start(&l, pr->p);
	out_ret(recv(pr->t, buf, sizeof(buf), 0));
	later_join(&l);
}

/* ---- send() after the end: EPIPE, SIGPIPE, MSG_NOSIGNAL ------------ */

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void send_twice(struct pair *pr, int flags)
{
	ssize_t r;

	r = send(pr->t, "x", 1, flags);
	out_ret(r);
	out("/sigpipe=%d", sigpipes);
	r = send(pr->t, "x", 1, flags);
	out_ret(r);
	out("/sigpipe=%d", sigpipes);
}

static void case_shutwr_nosignal(struct pair *pr)
{
	shutdown(pr->t, SHUT_WR);
	send_twice(pr, MSG_NOSIGNAL);
}

static void case_shutwr_sigpipe(struct pair *pr)
{
	shutdown(pr->t, SHUT_WR);
	send_twice(pr, 0);
}

/* The peer aborts (SO_LINGER {1, 0}); the tested socket sees the RST. */
static void peer_resets(struct pair *pr)
{
	struct later l = { .steps = { { RST } } };

	later_start(&l, pr->p);
	later_join(&l);
	pr->p = -1;
	poll_for(pr->t, POLLERR, 2000);
}

static void case_reset_nosignal(struct pair *pr)
{
	peer_resets(pr);
	send_twice(pr, MSG_NOSIGNAL);
}

static void case_reset_sigpipe(struct pair *pr)
{
	peer_resets(pr);
	send_twice(pr, 0);
}

/* ---- Socket options ------------------------------------------------ */

/* SO_RCVTIMEO 500 ms, nothing arrives: EAGAIN after about that long. */
static void case_rcvtimeo(struct pair *pr)
{
	char buf[10];
	long t0;

	set_timeo(pr->t, SO_RCVTIMEO, 500);
	t0 = now_ms();
	out_ret(recv(pr->t, buf, sizeof(buf), 0));
	out(" %s", blocked(now_ms() - t0, 500));
}

/*
 * SO_SNDTIMEO 500 ms and a peer that does not read: 64 KB sends go through
 * until one fills the buffers; it waits the timeout and returns what it
 * queued ("short": a partial count, or EAGAIN if it queued nothing), and
 * so does the send after it. (Which of the two it is depends on timing
 * in Linux TCP too: ACKs may free room while the call waits.)
 */
static void case_sndtimeo(struct pair *pr)
{
	unsigned char *buf = calloc(1, CHUNK);
	long t0 = 0;
	ssize_t r = CHUNK;
	int i;

	set_timeo(pr->t, SO_SNDTIMEO, 500);
	for (i = 0; i < 1000 && r == CHUNK; i++) {
		t0 = now_ms();
		r = send(pr->t, buf, CHUNK, MSG_NOSIGNAL);
	}
	if (r == CHUNK)
		out(" never-full");
	else if (r > 0 || errno == EAGAIN)
		out(" short %s", blocked(now_ms() - t0, 500));
	else
		out(" %s", errname(errno));
	t0 = now_ms();
	r = send(pr->t, buf, CHUNK, MSG_NOSIGNAL);
	if ((r >= 0 && r < CHUNK) || (r < 0 && errno == EAGAIN))
		out(" short");
	else
		out_ret(r);
	out(" %s", blocked(now_ms() - t0, 500));
	free(buf);
}

/*
 * SO_RCVLOWAT 1000: 500 bytes do not make the socket readable (epoll times
 * out, poll shows no IN); 600 more do, and recv() returns all 1100. With
 * 500 bytes and SO_RCVTIMEO 300 ms, recv() waits for the rest, then
 * returns the 500.
 */
static void case_rcvlowat(struct pair *pr)
{
	unsigned char buf[4000];
	struct later l = { .steps = { { SEND, 500 } } };
	struct ep ep;
	long t0;

	out("%d", setopt_int(pr->t, SO_RCVLOWAT, 1000));
	ep_add(&ep, pr->t, EPOLLIN);
	later_start(&l, pr->p);
	later_join(&l);
	out(" %s", ep_wait(&ep, 300));
	out(" %s", poll_now(pr->t, 0));
	l.steps[0] = (struct step){ DELAY, 100 };
	l.steps[1] = (struct step){ SEND, 600 };
	later_start(&l, pr->p);
	out(" %s", ep_wait(&ep, 3000));
	later_join(&l);
	out_ret(recv(pr->t, buf, sizeof(buf), 0));
	l.steps[0] = (struct step){ SEND, 500 };
	l.steps[1] = (struct step){ END, 0 };
	later_start(&l, pr->p);
	later_join(&l);
	nap_ms(50);
	set_timeo(pr->t, SO_RCVTIMEO, 300);
	t0 = now_ms();
	out_ret(recv(pr->t, buf, sizeof(buf), 0));
	out(" %s", blocked(now_ms() - t0, 300));
	ep_del(&ep);
}

/* A fresh socket's SO_RCVBUF and SO_SNDBUF. */
static void case_buf_default(struct pair *pr)
{
	int fd = role == 'c' ? socket_in(cns, cfam) : socket_in(sns, sfam);

	(void)pr;
	out("rcvbuf=%d sndbuf=%d", getopt_int(fd, SO_RCVBUF),
	    getopt_int(fd, SO_SNDBUF));
	close(fd);
}

/* Setting SO_RCVBUF and SO_SNDBUF on a connection: getsockopt doubles. */
static void case_buf_set(struct pair *pr)
{
	out("%d", setopt_int(pr->t, SO_RCVBUF, 20000));
	out(" %d", setopt_int(pr->t, SO_SNDBUF, 30000));
	out(" rcvbuf=%d sndbuf=%d", getopt_int(pr->t, SO_RCVBUF),
	    getopt_int(pr->t, SO_SNDBUF));
}

/* ---- ioctl() ------------------------------------------------------- */

static void out_ioctl(int fd, unsigned long req)
{
	int val;

	if (ioctl(fd, req, &val) < 0)
		out(" %s", errname(errno));
	else
		out(" %d", val);
}

/* SIOCINQ (FIONREAD): 123 bytes, still 123 after the FIN, 0 once read. */
static void case_inq(struct pair *pr)
{
	char buf[200];
	struct later l = { .steps = { { SEND, 123 } } };

	out_ioctl(pr->t, SIOCINQ);
	later_start(&l, pr->p);
	later_join(&l);
	poll_for(pr->t, POLLIN, 2000);
	nap_ms(50);
	out_ioctl(pr->t, FIONREAD);
	l.steps[0] = (struct step){ SHUTWR, 0 };
	later_start(&l, pr->p);
	later_join(&l);
	poll_for(pr->t, POLLRDHUP, 2000);
	out_ioctl(pr->t, SIOCINQ);
	out_ret(recv(pr->t, buf, sizeof(buf), 0));
	out_ioctl(pr->t, SIOCINQ);
}

/*
 * SIOCOUTQ: 0 once 1000 bytes are acknowledged; with the peer not
 * reading and the buffers full, more than 0 and at most what was sent.
 */
static void case_outq(struct pair *pr)
{
	unsigned char *buf = calloc(1, CHUNK);
	long total = 0;
	ssize_t r;
	int val;

	out_ioctl(pr->t, SIOCOUTQ);
	send(pr->t, buf, 1000, 0);
	nap_ms(300);
	out_ioctl(pr->t, SIOCOUTQ);
	set_nonblock(pr->t, 1);
	while ((r = send(pr->t, buf, CHUNK, MSG_NOSIGNAL)) > 0)
		total += r;
	if (ioctl(pr->t, SIOCOUTQ, &val) < 0)
		out(" %s", errname(errno));
	else
		out(" %s", val > 0 && val <= total ? "positive" : "wrong");
	free(buf);
}

/* ---- Readiness ----------------------------------------------------- */

/* EPOLLIN: not before data, wakes a waiter when 10 bytes arrive. */
static void case_ep_in(struct pair *pr)
{
	struct later l = { .steps = { { DELAY, 100 }, { SEND, 10 } } };
	struct ep ep;

	ep_add(&ep, pr->t, EPOLLIN | EPOLLRDHUP);
	out("%s %s", poll_now(pr->t, 0), ep_wait(&ep, 0));
	later_start(&l, pr->p);
	out(" %s", ep_wait(&ep, 3000));
	later_join(&l);
	out(" %s", poll_now(pr->t, 0));
	ep_del(&ep);
}

/*
 * Send the pattern until EAGAIN, again after each pause for ACKs until a
 * round adds nothing: the buffers are full and stay so (the peer does
 * not read). The pause comes before the last try, so that the mask looked
 * at next is not one the ACKs of the last bytes are still changing.
 */
static long fill_sndbuf(int fd)
{
	unsigned char *buf = malloc(CHUNK);
	long total = 0, before;
	ssize_t r;
	int round;

	set_nonblock(fd, 1);
	for (round = 0; round < 20; round++) {
		before = total;
		for (;;) {
			fill(buf, total, CHUNK);
			r = send(fd, buf, CHUNK, MSG_NOSIGNAL);
			if (r <= 0)
				break;
			total += r;
		}
		if (round && total == before)
			break;
		nap_ms(200);
	}
	set_nonblock(fd, 0);
	free(buf);
	return total;
}

/*
 * EPOLLOUT: set while there is room; cleared once the buffers fill (the
 * peer does not read); set again, waking a waiter, as the peer drains.
 */
static void case_ep_out(struct pair *pr)
{
	struct later l = { .steps = { { DELAY, 100 }, { DRAIN, 0 } } };
	struct ep ep;
	long total;

	ep_add(&ep, pr->t, EPOLLOUT);
	out("%s", ep_wait(&ep, 0));
	total = fill_sndbuf(pr->t);
	out(" %s %s", poll_now(pr->t, 0), ep_wait(&ep, 0));
	l.steps[1].arg = total;
	later_start(&l, pr->p);
	out(" %s", ep_wait(&ep, 5000));
	later_join(&l);
	out(" drained=%s", l.drained == total ? "all" : "short");
	ep_del(&ep);
}

/*
 * An epoll waiter for EPOLLIN|EPOLLRDHUP while the peer does @op after
 * 100 ms: what woke it, then the mask.
 */
static void ep_peer_does(struct pair *pr, enum step_op op)
{
	struct later l = { .steps = { { DELAY, 100 }, { op, 0 } } };
	struct ep ep;

	ep_add(&ep, pr->t, EPOLLIN | EPOLLRDHUP);
	later_start(&l, pr->p);
	out(" %s", ep_wait(&ep, 3000));
	later_join(&l);
	if (op == RST)
		pr->p = -1;
	out(" %s", poll_now(pr->t, 0));
	ep_del(&ep);
}

/* The peer's FIN: EPOLLIN|EPOLLRDHUP wake a waiter; recv() says EOF. */
static void case_ep_rdhup(struct pair *pr)
{
	char buf[10];

	ep_peer_does(pr, SHUTWR);
	out_ret(recv(pr->t, buf, sizeof(buf), 0));
}

/*
 * The peer's RST: EPOLLERR|EPOLLHUP (and what else Linux sets) wake a
 * waiter, SO_ERROR is ECONNRESET once, then the mask and recv().
 */
static void case_ep_rst(struct pair *pr)
{
	char buf[10];

	ep_peer_does(pr, RST);
	out(" %s %s", soerror(pr->t), soerror(pr->t));
	out(" %s", poll_now(pr->t, 0));
	out_ret(recv(pr->t, buf, sizeof(buf), 0));
}

/* Both directions closed by FINs: EPOLLHUP. */
static void case_ep_hup(struct pair *pr)
{
	shutdown(pr->t, SHUT_WR);
	out("%s", poll_now(pr->t, 0));
	ep_peer_does(pr, SHUTWR);
}

/* shutdown(SHUT_RDWR) alone, the peer silent: the mask at once. */
static void case_ep_shutrdwr(struct pair *pr)
{
	shutdown(pr->t, SHUT_RDWR);
	out("%s", poll_now(pr->t, 0));
}

/* EPOLLET: one event per arrival, none in between. */
static void case_ep_et(struct pair *pr)
{
	struct later l = { .steps = { { DELAY, 100 }, { SEND, 10 } } };
	struct ep ep;

	ep_add(&ep, pr->t, EPOLLIN | EPOLLRDHUP | EPOLLET);
	later_start(&l, pr->p);
	out("%s", ep_wait(&ep, 3000));
	later_join(&l);
	out(" %s", ep_wait(&ep, 300));
	later_start(&l, pr->p);
	out(" %s", ep_wait(&ep, 3000));
	later_join(&l);
	out(" %s", ep_wait(&ep, 300));
	ep_del(&ep);
}

/*
 * A non-blocking connect(): the fresh socket's mask, EINPROGRESS, then
 * EPOLLOUT wakes a waiter once connected, and SO_ERROR is 0.
 */
static void case_ep_connect(struct pair *pr)
{
	int fd = socket_in(cns, cfam), a;
	struct ep ep;

	(void)pr;
	set_nonblock(fd, 1);
	out("%s", poll_now(fd, 0));
	out_ret(connect(fd, &srv.sa, xaddr_len(&srv)));
	ep_add(&ep, fd, EPOLLOUT);
	out(" %s %s", ep_wait(&ep, 3000), soerror(fd));
	out(" %s", poll_now(fd, 0));
	a = accept(lfd, NULL, NULL);
	if (a >= 0)
		close(a);
	ep_del(&ep);
	close(fd);
}

/* A non-blocking connect() to a port nobody listens on. */
static void case_ep_refused(struct pair *pr)
{
	union xaddr none = srv;
	int fd = socket_in(cns, cfam);
	struct ep ep;

	(void)pr;
	xaddr_set_port(&none, xaddr_port(&srv) + 2);
	set_nonblock(fd, 1);
	out_ret(connect(fd, &none.sa, xaddr_len(&none)));
	ep_add(&ep, fd, EPOLLOUT);
	out(" %s", ep_wait(&ep, 3000));
	out(" %s", poll_now(fd, 0));
	out(" %s", soerror(fd));
	out(" %s", poll_now(fd, 0));
	ep_del(&ep);
	close(fd);
}

/* A listener: not readable, then readable when a connection is ready. */
static void case_ep_listen(struct pair *pr)
{
	union xaddr sin = srv;
	struct later l = { .steps = { { DELAY, 100 }, { CONNECT } } };
	int l2 = socket_in(sns, sfam), c = socket_in(cns, cfam), a;
	struct ep ep;

	(void)pr;
	xaddr_set_port(&sin, xaddr_port(&srv) + 1);
	if (bind(l2, &sin.sa, xaddr_len(&sin)) < 0 ||
	    listen(l2, 4) < 0)
		die("listen 2");
	out("%s", poll_now(l2, 0));
	ep_add(&ep, l2, EPOLLIN);
	l.dst = sin;
	later_start(&l, c);
	out(" %s", ep_wait(&ep, 3000));
	later_join(&l);
	out(" %s", poll_now(l2, 0));
	a = accept(l2, NULL, NULL);
	out(" %s", a < 0 ? errname(errno) : "accepted");
	out(" %s", poll_now(l2, 0));
	if (a >= 0)
		close(a);
	ep_del(&ep);
	close(c);
	close(l2);
}

/*
 * A listener shut down, then listening again: the connection waiting in
 * its queue is reset, accept() says it listens no more, and the second
 * listen() takes a new connection (xtcp keeps the queues it allocated at
 * the first listen()).
 */
static void case_relisten(struct pair *pr)
{
	union xaddr sin = srv;
	int l2 = socket_in(sns, sfam), a;
	int c1 = socket_in(cns, cfam), c2 = socket_in(cns, cfam);
	char b;

	(void)pr;
	xaddr_set_port(&sin, xaddr_port(&srv) + 3);
	if (bind(l2, &sin.sa, xaddr_len(&sin)) < 0 || listen(l2, 4) < 0)
		die("listen 3");
	if (connect(c1, &sin.sa, xaddr_len(&sin)) < 0)
		die("connect 1");
	poll_for(l2, POLLIN, 3000);
	out("%s", shutdown(l2, SHUT_RDWR) < 0 ? errname(errno) : "shut");
	set_nonblock(l2, 1);
	a = accept(l2, NULL, NULL);
	out(" %s", a < 0 ? errname(errno) : "accepted");
	if (a >= 0)
		close(a);
	set_nonblock(l2, 0);
	poll_for(c1, POLLIN, 3000);
	out(" %s", recv(c1, &b, 1, MSG_DONTWAIT) < 0 ? errname(errno) : "data");
	out(" %s", listen(l2, 4) < 0 ? errname(errno) : "listening");
	out(" %s", connect(c2, &sin.sa, xaddr_len(&sin)) < 0 ?
	    errname(errno) : "connected");
	poll_for(l2, POLLIN, 3000);
	set_nonblock(l2, 1);
	a = accept(l2, NULL, NULL);
	out(" %s", a < 0 ? errname(errno) : "accepted");
	if (a >= 0)
		close(a);
	close(c1);
	close(c2);
	close(l2);
}

/* ---- The cases ----------------------------------------------------- */

static const struct {
	const char *name;
	void (*fn)(struct pair *pr);
	const char *roles;	/* the roles it runs in */
	int pair;		/* needs a connected pair */
} cases[] = {
	{ "send", case_send, "cs", 1 },
	{ "write", case_write, "cs", 1 },
	{ "sendmsg", case_sendmsg, "cs", 1 },
	{ "writev", case_writev, "cs", 1 },
	{ "recv", case_recv, "cs", 1 },
	{ "read", case_read, "cs", 1 },
	{ "recvmsg", case_recvmsg, "cs", 1 },
	{ "readv", case_readv, "cs", 1 },
	{ "peek", case_peek, "cs", 1 },
	{ "peek-multi", case_peek_multi, "cs", 1 },
	{ "dontwait", case_dontwait, "cs", 1 },
	{ "waitall", case_waitall, "cs", 1 },
	{ "waitall-eof", case_waitall_eof, "cs", 1 },
	{ "waitall-signal", case_waitall_signal, "cs", 1 },
	{ "recv-intr", case_recv_intr, "cs", 1 },
	{ "shutwr-nosignal", case_shutwr_nosignal, "cs", 1 },
	{ "shutwr-sigpipe", case_shutwr_sigpipe, "cs", 1 },
	{ "reset-nosignal", case_reset_nosignal, "cs", 1 },
	{ "reset-sigpipe", case_reset_sigpipe, "cs", 1 },
	{ "rcvtimeo", case_rcvtimeo, "cs", 1 },
	{ "sndtimeo", case_sndtimeo, "cs", 1 },
	{ "rcvlowat", case_rcvlowat, "cs", 1 },
	{ "buf-default", case_buf_default, "cs", 0 },
	{ "buf-set", case_buf_set, "cs", 1 },
	{ "inq", case_inq, "cs", 1 },
	{ "outq", case_outq, "cs", 1 },
	{ "ep-in", case_ep_in, "cs", 1 },
	{ "ep-out", case_ep_out, "cs", 1 },
	{ "ep-rdhup", case_ep_rdhup, "cs", 1 },
	{ "ep-rst", case_ep_rst, "cs", 1 },
	{ "ep-hup", case_ep_hup, "cs", 1 },
	{ "ep-shutrdwr", case_ep_shutrdwr, "cs", 1 },
	{ "ep-et", case_ep_et, "cs", 1 },
	{ "ep-connect", case_ep_connect, "c", 0 },
	{ "ep-refused", case_ep_refused, "c", 0 },
	{ "ep-listen", case_ep_listen, "s", 0 },
	{ "relisten", case_relisten, "s", 0 },
};

static void run_case(size_t i)
{
	struct pair pr = { -1, -1 };
	const char *r;

	for (r = cases[i].roles; *r; r++) {
		role = *r;
		sigpipes = 0;
		sigusr1s = 0;
		result[0] = '\0';
		alarm(CASE_TIMEOUT_S);
		if (cases[i].pair)
			connect_pair(&pr);
		cases[i].fn(&pr);
		close_pair(&pr);
		pr.t = -1;
		pr.p = -1;
		/* Each out() starts its word with a space: skip the first. */
		printf("%s %c %s\n", cases[i].name, role,
		       result + strspn(result, " "));
	}
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: xcalls --client-ns NS --client-family inet|inet6|xtcp\n"
		"              --server-ns NS --server-family inet|inet6|xtcp\n"
		"              --addr ADDR --port P [CASE...]\n");
	exit(2);
}

static int open_ns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s%s", strchr(name, '/') ? "" :
		 "/run/netns/", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("netns");
	return fd;
}

static int parse_family(const char *s)
{
	int fam = xfamily_parse(s);

	if (fam < 0)
		bad_usage();
	return fam;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigpipe };
	const char *addr = "";
	int i, one = 1, port = 0;
	size_t c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * Page faults inside send() and recv() copies run on a kernel stack
	 * already deep in the network stack; the debug UML kernel has been
	 * seen to overflow it there. Resident pages take no faults.
	 */
	mlockall(MCL_CURRENT | MCL_FUTURE);
	main_thread = pthread_self();
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
			addr = val;
		else if (!strcmp(opt, "--port"))
			port = atoi(val);
		else
			bad_usage();
	}
	if (cns < 0 || sns < 0 || !cfam || !sfam || !port ||
	    !xaddr_host(addr, port, &srv))
		bad_usage();

	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_sigusr1;	/* no SA_RESTART: calls see EINTR */
	sigaction(SIGUSR1, &sa, NULL);

	lfd = socket_in(sns, sfam);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, &srv.sa, xaddr_len(&srv)) < 0)
		die("bind");
	if (listen(lfd, 16) < 0)
		die("listen");

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		if (i < argc) {
			int j;

			for (j = i; j < argc; j++)
				if (!strcmp(argv[j], cases[c].name))
					break;
			if (j == argc)
				continue;
		}
		run_case(c);
	}
	close(lfd);
	return 0;
}
