// SPDX-License-Identifier: GPL-2.0
/*
 * xbench: the load generator of "make bench". The same code runs over
 * Linux TCP and xtcp; only the family given to socket() differs.
 *
 *   xbench [--family inet|xtcp] MODE ADDR:PORT [ARG...]
 *
 *   bulk-server ADDR:PORT N      accept N connections, one thread each;
 *                                each reads to EOF and writes back the
 *                                byte count (8 bytes). Prints
 *                                "flows=N bytes=B"
 *   bulk-client ADDR:PORT N SECS N threads, one connection each, write
 *                                128 KB at a time for SECS seconds, then
 *                                shut down and read the server's count.
 *                                Prints "flows=N sent=S received=R secs=T
 *                                mbyte_s=X" (10^6 bytes per second, from
 *                                the first write to the last count),
 *                                and " cpu_ns_per_byte=C" with
 *                                XBENCH_CPU_FILE (below)
 *   rr-server ADDR:PORT          accept one connection, echo each byte
 *                                until EOF. Prints "transactions=N"
 *   rr-client ADDR:PORT SECS     one connection: write 1 byte, read 1
 *                                byte, repeat for SECS seconds. Prints
 *                                "transactions=N secs=T per_s=X p50_us=A
 *                                p99_us=B": the median and 99th
 *                                percentile of the transactions' times
 *   crr-server ADDR:PORT         for each connection: read 1 byte, write
 *                                1 byte, read to EOF, close; a request
 *                                byte 'q' ends it. Prints "transactions=N"
 *   crr-client ADDR:PORT SECS    for SECS seconds: socket, connect, write
 *                                1 byte, read 1 byte, close (the client
 *                                closes first); then sends 'q'. Prints
 *                                "transactions=N secs=T per_s=X"
 *   crr-tfo-server ADDR:PORT     crr-server with TCP Fast Open: the
 *                                listener sets TCP_FASTOPEN (4096)
 *   crr-tfo-client ADDR:PORT SECS crr-client with TCP Fast Open: socket,
 *                                sendto(MSG_FASTOPEN) of the request byte
 *                                (in the SYN once the server's cookie is
 *                                cached), read, close
 *   idle-server ADDR:PORT N      accept N connections, print "ready N",
 *                                hold them until killed
 *   idle-client ADDR:PORT N      open N connections (64 connects in
 *                                flight), print "ready N", hold them
 *                                until killed
 *
 * The idle sockets carry SO_LINGER {1, 0}: killing the holders resets the
 * connections, so that no TIME_WAIT entry outlives them to be freed in the
 * middle of the next memory measurement.
 *
 * XBENCH_CPU_FILE names a file holding a CPU time counter in nanoseconds
 * that something else keeps current: make bench's host side writes there
 * the CPU time of the test kernel's host process, rewriting it every few
 * milliseconds. bulk-client reads it when the timer starts and after the
 * last count, and divides the difference by the bytes received: the CPU
 * time the kernel spent on both ends of the transfer per byte.
 *
 * Servers print "listening" once they listen. SECS may have a fraction.
 * Exit status 0 only if every connection and transfer completed (for
 * bulk: every flow's count equals what was sent); 1 otherwise, 2 on
 * usage. xbench sets no socket options beyond SO_REUSEADDR on listeners
 * (and TCP_FASTOPEN in the crr-tfo modes) and has no timeout of its own:
 * the caller bounds a run that stalls.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "xtcp_family.h"

#define BULK_CHUNK	(128 * 1024)	/* as iperf3 writes */
#define MAX_FLOWS	64
#define CONNECTS_IN_FLIGHT 64

static int family = AF_INET;
static struct sockaddr_in addr;
static atomic_int stop;			/* set when SECS have passed */

static void die(const char *what)
{
	const char *name = strerrorname_np(errno);

	printf("error %s: %s\n", what, name ? name : "E?");
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_alarm(int sig)
{
	(void)sig;
	atomic_store(&stop, 1);
}

/*
 * Set "stop" after SECS seconds. A flag rather than a clock read in the
 * loops, so that a transaction costs the same system calls on both stacks;
 * SA_RESTART, so that a call the timer interrupts carries on.
 */
static void stop_after(double secs)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { 0 };

	sigaction(SIGALRM, &sa, NULL);
	it.it_value.tv_sec = (time_t)secs;
	it.it_value.tv_usec = (suseconds_t)((secs - (time_t)secs) * 1e6);
	if (!it.it_value.tv_sec && !it.it_value.tv_usec)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Room for N descriptors and some: idle mode holds 10,000 sockets. */
static void want_files(long n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur >= (rlim_t)n + 64)
		return;
	rl.rlim_cur = n + 64;
	if (rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
}

static void parse_addr(const char *s)
{
	char host[64];
	const char *colon = strrchr(s, ':');

	if (!colon || colon - s >= (int)sizeof(host)) {
		fprintf(stderr, "xbench: bad address %s\n", s);
		exit(2);
	}
	memcpy(host, s, colon - s);
	host[colon - s] = 0;
	addr.sin_family = AF_INET;
	addr.sin_port = htons(atoi(colon + 1));
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		fprintf(stderr, "xbench: bad address %s\n", s);
		exit(2);
	}
}

/* The crr-tfo modes: TCP Fast Open on the listener and the client. */
static int fastopen;

static int listener(void)
{
	int fd, one = 1, qlen = 4096;

	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("setsockopt");
	if (fastopen &&
	    setsockopt(fd, SOL_TCP, TCP_FASTOPEN, &qlen, sizeof(qlen)))
		die("TCP_FASTOPEN");
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
	if (listen(fd, 4096))
		die("listen");
	printf("listening\n");
	fflush(stdout);
	return fd;
}

static int connected(void)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("connect");
	return fd;
}

static int accepted(int ls)
{
	int fd = accept(ls, NULL, NULL);

	if (fd < 0)
		die("accept");
	return fd;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t w;

	while (len) {
		w = write(fd, p, len);
		if (w <= 0)
			return -1;
		p += w;
		len -= w;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t r;

	while (len) {
		r = read(fd, p, len);
		if (r <= 0)
			return -1;
		p += r;
		len -= r;
	}
	return 0;
}

struct flow {
	pthread_t thread;
	int fd;
	unsigned long long sent;
	unsigned long long received;	/* as the far end counted it */
	double start;
	double end;
	int err;			/* errno of a failed call, or -1 */
};

static void *bulk_sink(void *arg)
{
	struct flow *f = arg;
	char *buf = malloc(BULK_CHUNK);
	ssize_t r;

	while (buf && (r = read(f->fd, buf, BULK_CHUNK)) > 0)
		f->received += r;
	if (!buf || r < 0 ||
	    write_all(f->fd, &f->received, sizeof(f->received)))
		f->err = errno ? : -1;
	close(f->fd);
	free(buf);
	return NULL;
}

static int bulk_server(int n)
{
	static struct flow flows[MAX_FLOWS];
	unsigned long long bytes = 0;
	int ls = listener(), i, bad = 0;

	for (i = 0; i < n; i++) {
		flows[i].fd = accepted(ls);
		if (pthread_create(&flows[i].thread, NULL, bulk_sink, &flows[i]))
			die("pthread_create");
	}
	for (i = 0; i < n; i++) {
		pthread_join(flows[i].thread, NULL);
		bytes += flows[i].received;
		bad |= flows[i].err;
	}
	printf("flows=%d bytes=%llu\n", n, bytes);
	return bad ? 1 : 0;
}

static void *bulk_source(void *arg)
{
	struct flow *f = arg;
	char *buf = malloc(BULK_CHUNK);
	ssize_t w;

	if (!buf) {
		f->err = ENOMEM;
		return NULL;
	}
	memset(buf, 'x', BULK_CHUNK);
	f->start = now();
	/*
	 * One write at least: on a loaded host the timer may run out before
	 * a thread is first scheduled, and a run that sent nothing has no
	 * rate and no CPU per byte.
	 */
	do {
		w = write(f->fd, buf, BULK_CHUNK);
		if (w <= 0) {
			f->err = errno ? : -1;
			break;
		}
		f->sent += w;
	} while (!atomic_load(&stop));
	if (!f->err && (shutdown(f->fd, SHUT_WR) ||
			read_all(f->fd, &f->received, sizeof(f->received))))
		f->err = errno ? : -1;
	f->end = now();
	close(f->fd);
	free(buf);
	return NULL;
}

/*
 * The counter in XBENCH_CPU_FILE, or -1 without one. The writer replaces
 * the file whole (a rename), so a read sees one value or none at all.
 */
static double cpu_ns(void)
{
	const char *path = getenv("XBENCH_CPU_FILE");
	double v = -1;
	FILE *f;
	int i;

	for (i = 0; path && *path && i < 100 && v < 0; i++) {
		f = fopen(path, "r");
		if (f) {
			if (fscanf(f, "%lf", &v) != 1)
				v = -1;
			fclose(f);
		}
		if (v < 0)
			usleep(1000);
	}
	return v;
}

static int bulk_client(int n, double secs)
{
	static struct flow flows[MAX_FLOWS];
	unsigned long long sent = 0, received = 0;
	double start = 0, end = 0, cpu0, cpu1;
	int i, bad = 0;

	/* Every flow connects before any sends: the timer covers data only. */
	for (i = 0; i < n; i++)
		flows[i].fd = connected();
	cpu0 = cpu_ns();
	stop_after(secs);
	for (i = 0; i < n; i++)
		if (pthread_create(&flows[i].thread, NULL, bulk_source, &flows[i]))
			die("pthread_create");
	for (i = 0; i < n; i++) {
		struct flow *f = &flows[i];

		pthread_join(f->thread, NULL);
		sent += f->sent;
		received += f->received;
		if (f->err || f->received != f->sent)
			bad = 1;
		if (!i || f->start < start)
			start = f->start;
		if (f->end > end)
			end = f->end;
	}
	cpu1 = cpu_ns();
	printf("flows=%d sent=%llu received=%llu secs=%.3f mbyte_s=%.2f",
	       n, sent, received, end - start,
	       received / (end - start) / 1e6);
	if (cpu0 >= 0 && cpu1 >= cpu0 && received)
		printf(" cpu_ns_per_byte=%.3f", (cpu1 - cpu0) / received);
	printf("\n");
	return bad;
}

static int rr_server(void)
{
	int ls = listener(), fd = accepted(ls);
	unsigned long long n = 0;
	char c;

	while (read(fd, &c, 1) == 1) {
		if (write(fd, &c, 1) != 1)
			die("write");
		n++;
	}
	printf("transactions=%llu\n", n);
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * One clock read per transaction, its end being the next one's start:
 * the same extra call on both stacks. The times are kept (a few MB at
 * most) and sorted at the end; percentile P is the value at rank
 * ceil(P/100 * N).
 */
static int rr_client(double secs)
{
	int fd = connected();
	unsigned long long n = 0, cap = 0, i50, i99;
	double start, t, prev, *lat = NULL;
	char c = 'r';

	stop_after(secs);
	start = now();
	prev = start;
	while (!atomic_load(&stop)) {
		if (write(fd, &c, 1) != 1)
			die("write");
		if (read(fd, &c, 1) != 1)
			die("read");
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			lat = realloc(lat, cap * sizeof(*lat));
			if (!lat)
				die("realloc");
		}
		t = now();
		lat[n++] = t - prev;
		prev = t;
	}
	start = prev - start;
	close(fd);
	if (!n)
		die("no transaction");
	qsort(lat, n, sizeof(*lat), by_value);
	i50 = (n * 50 + 99) / 100 - 1;
	i99 = (n * 99 + 99) / 100 - 1;
	printf("transactions=%llu secs=%.3f per_s=%.1f p50_us=%.1f p99_us=%.1f\n",
	       n, start, n / start, lat[i50] * 1e6, lat[i99] * 1e6);
	free(lat);
	return 0;
}

static int crr_server(void)
{
	int ls = listener(), fd;
	unsigned long long n = 0;
	char c;

	for (;;) {
		fd = accepted(ls);
		if (read(fd, &c, 1) != 1)
			die("read");
		if (c == 'q')
			break;
		if (write(fd, &c, 1) != 1)
			die("write");
		while (read(fd, &c, 1) > 0)
			;
		close(fd);
		n++;
	}
	close(fd);
	printf("transactions=%llu\n", n);
	return 0;
}

/*
 * A new connection with its first byte @c: connect() and write(), or
 * with Fast Open one sendto(MSG_FASTOPEN), the byte in the SYN.
 */
static int crr_open(char c)
{
	int fd;

	if (!fastopen) {
		fd = connected();
		if (write(fd, &c, 1) != 1)
			die("write");
		return fd;
	}
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (sendto(fd, &c, 1, MSG_FASTOPEN, (struct sockaddr *)&addr,
		   sizeof(addr)) != 1)
		die("sendto");
	return fd;
}

static int crr_client(double secs)
{
	unsigned long long n = 0;
	double start;
	char c;
	int fd;

	stop_after(secs);
	start = now();
	while (!atomic_load(&stop)) {
		fd = crr_open('r');
		if (read(fd, &c, 1) != 1)
			die("read");
		close(fd);
		n++;
	}
	start = now() - start;
	fd = crr_open('q');
	close(fd);
	printf("transactions=%llu secs=%.3f per_s=%.1f\n", n, start, n / start);
	return 0;
}

static void abortive_close(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		die("setsockopt");
}

static void hold(int n)
{
	printf("ready %d\n", n);
	fflush(stdout);
	for (;;)
		pause();
}

static int idle_server(int n)
{
	int ls, i;

	want_files(n);
	ls = listener();
	for (i = 0; i < n; i++)
		abortive_close(accepted(ls));
	hold(n);
	return 0;
}

/*
 * Open N connections with up to CONNECTS_IN_FLIGHT non-blocking connects
 * outstanding, waiting for them in order: the handshakes overlap, and the
 * connections are left exactly as a blocking connect leaves them.
 */
static int idle_client(int n)
{
	int *fds = calloc(n, sizeof(*fds));
	int started = 0, done = 0, err;
	socklen_t len = sizeof(err);
	struct pollfd pfd;

	if (!fds)
		die("calloc");
	want_files(n);
	while (done < n) {
		while (started < n && started - done < CONNECTS_IN_FLIGHT) {
			fds[started] = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (fds[started] < 0)
				die("socket");
			if (connect(fds[started], (struct sockaddr *)&addr,
				    sizeof(addr)) && errno != EINPROGRESS)
				die("connect");
			started++;
		}
		pfd.fd = fds[done];
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 30000) != 1) {
			printf("error connect: no answer in 30 s\n");
			return 1;
		}
		if (getsockopt(fds[done], SOL_SOCKET, SO_ERROR, &err, &len))
			die("getsockopt");
		if (err) {
			errno = err;
			die("connect");
		}
		abortive_close(fds[done]);
		done++;
	}
	hold(n);
	return 0;
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: xbench [--family inet|xtcp] bulk-server ADDR:PORT N\n"
		"       xbench [--family inet|xtcp] bulk-client ADDR:PORT N SECS\n"
		"       xbench [--family inet|xtcp] rr-server|crr-server|crr-tfo-server ADDR:PORT\n"
		"       xbench [--family inet|xtcp] rr-client|crr-client|crr-tfo-client ADDR:PORT SECS\n"
		"       xbench [--family inet|xtcp] idle-server|idle-client ADDR:PORT N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode;
	double secs;
	int i = 1, n;

	if (argc > 2 && !strcmp(argv[1], "--family")) {
		if (!strcmp(argv[2], "xtcp"))
			family = xtcp_family();
		else if (strcmp(argv[2], "inet"))
			bad_usage();
		i = 3;
	}
	if (argc - i < 2)
		bad_usage();
	mode = argv[i];
	/* crr-tfo-*: crr-* with Fast Open. */
	if (!strncmp(mode, "crr-tfo-", 8)) {
		static char plain[16];

		fastopen = 1;
		snprintf(plain, sizeof(plain), "crr-%s", mode + 8);
		mode = plain;
	}
	parse_addr(argv[i + 1]);
	n = argc - i > 2 ? atoi(argv[i + 2]) : 0;
	secs = argc - i > 3 ? atof(argv[i + 3]) : 0;
	if (!strcmp(mode, "rr-client") || !strcmp(mode, "crr-client"))
		secs = argc - i > 2 ? atof(argv[i + 2]) : 0;
	/* Output goes to files the bench script polls: one line at a time. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A peer that resets shows as a failed write, not a dead process. */
	signal(SIGPIPE, SIG_IGN);

	if (!strcmp(mode, "bulk-server") && n > 0 && n <= MAX_FLOWS)
		return bulk_server(n);
	if (!strcmp(mode, "bulk-client") && n > 0 && n <= MAX_FLOWS && secs > 0)
		return bulk_client(n, secs);
	if (!strcmp(mode, "rr-server") && argc - i == 2)
		return rr_server();
	if (!strcmp(mode, "rr-client") && secs > 0)
		return rr_client(secs);
	if (!strcmp(mode, "crr-server") && argc - i == 2)
		return crr_server();
	if (!strcmp(mode, "crr-client") && secs > 0)
		return crr_client(secs);
	if (!strcmp(mode, "idle-server") && n > 0)
		return idle_server(n);
	if (!strcmp(mode, "idle-client") && n > 0)
		return idle_client(n);
	bad_usage();
	return 2;
}
