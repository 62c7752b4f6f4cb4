// SPDX-License-Identifier: GPL-2.0
/*
 * xstream: one connection, a long byte stream each way at once, checked.
 *
 *   xstream [OPTIONS] server inet|inet6|xtcp ADDR PORT
 *         listen on ADDR:PORT (port 0 picks one), print "listen port=P",
 *         accept one connection, then stream as below
 *   xstream [OPTIONS] client inet|inet6|xtcp ADDR PORT
 *         connect to ADDR:PORT, print "connect OK" (or the errno's name and
 *         exit 1), then stream as below
 *   xstream gen SEED BYTES
 *         write the first BYTES bytes of stream SEED to stdout, so that
 *         "xstream gen 1 1M | sha256sum" gives what a client sends
 *
 * Streaming is full duplex: a thread sends this side's stream (--bytes N
 * of stream --seed) and then shuts down its sending side, while the main
 * thread reads the peer's stream to EOF and compares every byte with
 * stream --peer-seed as it arrives. The client sends stream 1 and the
 * server stream 2 unless told otherwise. Then it prints:
 *
 *   sent bytes=N sha256=H                what this side sent
 *   recv bytes=N sha256=H check=C        what it received; C is "ok",
 *                                        "mismatch@OFFSET" (the first byte
 *                                        that differs) or "off" (--peer-seed
 *                                        none)
 *   rmem max=M rcvbuf=R                  the largest receive memory seen
 *                                        (SO_MEMINFO) and SO_RCVBUF
 *   time ms=T send_Bps=S recv_Bps=R      from connect/accept to the end;
 *                                        rates of each direction
 *
 * preceded by "error send ERRNO" or "error recv ERRNO" if a call failed.
 *
 * Options:
 *   --netns NAME     enter /run/netns/NAME (or a path) first
 *   --bytes N        bytes to send, suffix K, M or G for KiB, MiB, GiB
 *                    (default 1M)
 *   --seed S, --peer-seed S|none
 *   --rcvbuf N, --sndbuf N   SO_RCVBUF, SO_SNDBUF before connect/listen
 *   --slow-read MS   sleep MS milliseconds before each read, and read at
 *                    most --read-size bytes (default 1K with --slow-read,
 *                    else 64K): the receive buffer fills, the window closes
 *   --read-size N
 *   --stall MS       read nothing for MS milliseconds first
 *   --timeout S      give up after S seconds (default 120): print how far
 *                    each direction got and exit 3
 *
 * Exit status: 0 if everything was sent, EOF came and the check passed;
 * 1 on any failure; 2 on usage; 3 on timeout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "netns.h"
#include "sha256.h"
#include "xtcp_family.h"

#define SEND_CHUNK	65536

static int family = AF_INET;
static int sock = -1;
static unsigned long long send_bytes = 1 << 20;
static unsigned long long seed, peer_seed;
static int seed_set, peer_seed_set, check_off;
static int rcvbuf, sndbuf, slow_ms, stall_ms, read_size;
static unsigned int timeout_s = 120;

/* Progress, for the timeout's report. */
static atomic_ullong sent_so_far, recvd_so_far;
static atomic_int send_done;

/* What the sending thread hands back. */
static struct sha256 send_sha;
static int send_err;
static struct timespec send_end;

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: xstream [OPTIONS] server|client inet|inet6|xtcp ADDR PORT\n"
		"       xstream gen SEED BYTES\n"
		"(the options are listed at the top of the source)\n");
	exit(2);
}

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

/* "123", "64K", "64M", "1G". */
static unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10);

	switch (*end) {
	case 'K':
		n <<= 10;
		end++;
		break;
	case 'M':
		n <<= 20;
		end++;
		break;
	case 'G':
		n <<= 30;
		end++;
		break;
	}
	if (end == s || *end)
		bad_usage();
	return n;
}

/*
 * The streams: word i of stream SEED is SplitMix64's output mixing of
 * ((SEED << 32) + i + 1) * golden ratio, laid out little-endian, so that
 * any stretch of a stream can be made without what came before it.
 */
static unsigned long long stream_word(unsigned long long seed, unsigned long long i)
{
	unsigned long long z = ((seed << 32) + i + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Bytes [@off, @off + @n) of stream @seed into @p. */
static void stream_fill(unsigned long long seed, unsigned long long off, unsigned char *p,
			size_t n)
{
	unsigned long long w = stream_word(seed, off / 8);

	while (n--) {
		*p++ = w >> (8 * (off % 8));
		if (++off % 8 == 0)
			w = stream_word(seed, off / 8);
	}
}

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 +
	       (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* Bytes per second for @bytes moved in @ms. */
static unsigned long long rate(unsigned long long bytes, long ms)
{
	return ms > 0 ? bytes * 1000 / ms : 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Only async-signal-safe calls here: write(), and our own formatting. */
static char *put_u64(char *p, unsigned long long v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static void on_alarm(int sig)
{
	char msg[160], *p = msg;

	(void)sig;
	p = put_str(p, "timeout s=");
	p = put_u64(p, timeout_s);
	p = put_str(p, " sent=");
	p = put_u64(p, atomic_load(&sent_so_far));
	p = put_str(p, atomic_load(&send_done) ? " (all)" : " (not all)");
	p = put_str(p, " recv=");
	p = put_u64(p, atomic_load(&recvd_so_far));
	p = put_str(p, "\n");
	if (write(STDOUT_FILENO, msg, p - msg) < 0)
		_exit(3);
	_exit(3);
}

/* The sending thread: this side's stream, then shutdown(SHUT_WR). */
static void *sender(void *arg)
{
	static unsigned char buf[SEND_CHUNK];
	unsigned long long done = 0;
	size_t chunk;
	ssize_t n;

	(void)arg;
	sha256_init(&send_sha);
	while (done < send_bytes) {
		chunk = send_bytes - done < SEND_CHUNK ? send_bytes - done :
			SEND_CHUNK;
		stream_fill(seed, done, buf, chunk);
		n = send(sock, buf, chunk, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			send_err = errno;
			break;
		}
		sha256_update(&send_sha, buf, n);
		done += n;
		atomic_store(&sent_so_far, done);
	}
	if (!send_err && shutdown(sock, SHUT_WR) < 0)
		send_err = errno;
	clock_gettime(CLOCK_MONOTONIC, &send_end);
	atomic_store(&send_done, 1);
	return NULL;
}

/* Receive memory of the socket now (SO_MEMINFO), or 0 if unknown. */
static unsigned int rmem_now(void)
{
	unsigned int mem[SK_MEMINFO_VARS] = { 0 };
	socklen_t len = sizeof(mem);

	if (getsockopt(sock, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0)
		return 0;
	return mem[SK_MEMINFO_RMEM_ALLOC];
}

static int stream(void)
{
	unsigned char *buf, *want;
	struct timespec start, end;
	struct sha256 sha;
	char hex[65], check[40] = "ok";
	unsigned long long got = 0;
	unsigned int rmem_max = 0, rmem;
	int bad = 0, recv_err = 0, val;
	socklen_t len = sizeof(val);
	pthread_t thr;
	ssize_t n;
	long ms;

	buf = malloc(read_size);
	want = malloc(read_size);
	if (!buf || !want)
		return 1;
	if (check_off)
		snprintf(check, sizeof(check), "off");
	clock_gettime(CLOCK_MONOTONIC, &start);
	errno = pthread_create(&thr, NULL, sender, NULL);
	if (errno) {
		perror("xstream: pthread_create");
		return 1;
	}
	sha256_init(&sha);
	if (stall_ms)
		sleep_ms(stall_ms);
	for (;;) {
		if (slow_ms) {
			sleep_ms(slow_ms);
			rmem = rmem_now();
			if (rmem > rmem_max)
				rmem_max = rmem;
		}
		n = recv(sock, buf, read_size, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			recv_err = errno;
			break;
		}
		if (n == 0)
			break;
		if (!slow_ms) {
			rmem = rmem_now();
			if (rmem > rmem_max)
				rmem_max = rmem;
		}
		if (!check_off && !bad) {
			stream_fill(peer_seed, got, want, n);
			bad = memcmp(buf, want, n) != 0;
			for (ssize_t i = 0; bad && i < n; i++) {
				if (buf[i] != want[i]) {
					snprintf(check, sizeof(check),
						 "mismatch@%llu", got + i);
					break;
				}
			}
		}
		sha256_update(&sha, buf, n);
		got += n;
		atomic_store(&recvd_so_far, got);
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	pthread_join(thr, NULL);

	if (send_err)
		printf("error send %s\n", errname(send_err));
	sha256_hex(&send_sha, hex);
	printf("sent bytes=%llu sha256=%s\n",
	       (unsigned long long)atomic_load(&sent_so_far), hex);
	if (recv_err)
		printf("error recv %s\n", errname(recv_err));
	sha256_hex(&sha, hex);
	printf("recv bytes=%llu sha256=%s check=%s\n", got, hex, check);
	if (getsockopt(sock, SOL_SOCKET, SO_RCVBUF, &val, &len) < 0)
		val = -1;
	printf("rmem max=%u rcvbuf=%d\n", rmem_max, val);
	if (ms_between(&send_end, &end) < 0)
		end = send_end;
	ms = ms_between(&start, &end);
	printf("time ms=%ld send_Bps=%llu recv_Bps=%llu\n", ms,
	       rate(atomic_load(&sent_so_far), ms_between(&start, &send_end)),
	       rate(got, ms));
	free(buf);
	free(want);
	return send_err || recv_err || bad ||
	       atomic_load(&sent_so_far) != send_bytes;
}

static void set_bufs(int fd)
{
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				 sizeof(rcvbuf)) < 0)
		printf("rcvbuf %s\n", errname(errno));
	if (sndbuf && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
				 sizeof(sndbuf)) < 0)
		printf("sndbuf %s\n", errname(errno));
}

static int server(const union xaddr *sin)
{
	union xaddr bound;
	socklen_t len = sizeof(bound);
	int lfd;

	lfd = socket(family, SOCK_STREAM, 0);
	if (lfd < 0) {
		printf("socket %s\n", errname(errno));
		return 1;
	}
	set_bufs(lfd);
	if (bind(lfd, &sin->sa, xaddr_len(sin)) < 0 ||
	    listen(lfd, 1) < 0 ||
	    getsockname(lfd, &bound.sa, &len) < 0) {
		printf("listen %s\n", errname(errno));
		return 1;
	}
	printf("listen port=%u\n", xaddr_port(&bound));
	sock = accept(lfd, NULL, NULL);
	if (sock < 0) {
		printf("accept %s\n", errname(errno));
		return 1;
	}
	close(lfd);
	printf("accept OK\n");
	return stream();
}

static int client(const union xaddr *sin)
{
	sock = socket(family, SOCK_STREAM, 0);
	if (sock < 0) {
		printf("socket %s\n", errname(errno));
		return 1;
	}
	set_bufs(sock);
	if (connect(sock, &sin->sa, xaddr_len(sin)) < 0) {
		printf("connect %s\n", errname(errno));
		return 1;
	}
	printf("connect OK\n");
	return stream();
}

static int gen(unsigned long long seed, unsigned long long bytes)
{
	static unsigned char buf[SEND_CHUNK];
	unsigned long long off = 0;
	size_t chunk;

	while (off < bytes) {
		chunk = bytes - off < SEND_CHUNK ? bytes - off : SEND_CHUNK;
		stream_fill(seed, off, buf, chunk);
		if (fwrite(buf, 1, chunk, stdout) != chunk)
			return 1;
		off += chunk;
	}
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 's' },
		{ "peer-seed", required_argument, NULL, 'p' },
		{ "rcvbuf", required_argument, NULL, 'r' },
		{ "sndbuf", required_argument, NULL, 'w' },
		{ "slow-read", required_argument, NULL, 'S' },
		{ "read-size", required_argument, NULL, 'R' },
		{ "stall", required_argument, NULL, 'T' },
		{ "timeout", required_argument, NULL, 't' },
		{ }
	};
	struct sigaction sa = { .sa_handler = on_alarm };
	union xaddr sin;
	char *end;
	long port;
	int c, is_server;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			enter_netns("xstream", optarg);
			break;
		case 'b':
			send_bytes = parse_size(optarg);
			break;
		case 's':
			seed = parse_size(optarg);
			seed_set = 1;
			break;
		case 'p':
			if (!strcmp(optarg, "none"))
				check_off = 1;
			else
				peer_seed = parse_size(optarg);
			peer_seed_set = 1;
			break;
		case 'r':
			rcvbuf = parse_size(optarg);
			break;
		case 'w':
			sndbuf = parse_size(optarg);
			break;
		case 'S':
			slow_ms = parse_size(optarg);
			break;
		case 'R':
			read_size = parse_size(optarg);
			break;
		case 'T':
			stall_ms = parse_size(optarg);
			break;
		case 't':
			timeout_s = parse_size(optarg);
			break;
		default:
			bad_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 3 && !strcmp(argv[0], "gen"))
		return gen(parse_size(argv[1]), parse_size(argv[2]));
	if (argc != 4)
		bad_usage();
	if (!strcmp(argv[0], "server"))
		is_server = 1;
	else if (!strcmp(argv[0], "client"))
		is_server = 0;
	else
		bad_usage();
	family = xfamily_parse(argv[1]);
	port = strtol(argv[3], &end, 10);
	if (family < 0 || *end || !xaddr_host(argv[2], port, &sin))
		bad_usage();
	if (!seed_set)
		seed = is_server ? 2 : 1;
	if (!peer_seed_set)
		peer_seed = is_server ? 1 : 2;
	if (!read_size)
		read_size = slow_ms ? 1024 : 65536;

	sigaction(SIGALRM, &sa, NULL);
	alarm(timeout_s);
	return is_server ? server(&sin) : client(&sin);
}
