// SPDX-License-Identifier: GPL-2.0
/*
 * xstress: many connections from one process, for load and leak tests.
 *
 *   xstress [--family inet|xtcp] server ADDR:PORT N [first]
 *       listen, accept N connections; each: read to EOF (with "first":
 *       16 bytes, so that the server closes first), write back the byte
 *       count as 8 bytes, close. Prints "accepted=N bytes=B".
 *   xstress [--family inet|xtcp] client ADDR:PORT N [P [SRC [keep]]]
 *       open N connections, at most P (default 64) at a time, from source
 *       address SRC if given; each sends 16 bytes, shuts down its sending
 *       side (unless "keep": then the server closes first), reads the
 *       reply, closes. Prints "connected=N ok=K failed=F" and the first
 *       errno seen.
 *
 * ADDR is "A.B.C.D" or "[IPV6]"; Linux TCP ("inet") is then AF_INET6, and
 * SRC an IPv4 address only.
 *
 * Exit status 0 only if every connection completed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "xtcp_family.h"

static int family = AF_INET;

/* "A.B.C.D:PORT" or "[IPV6]:PORT" (xaddr_parse). */
static void parse_addr(const char *s, union xaddr *a)
{
	if (!xaddr_parse(s, a)) {
		fprintf(stderr, "xstress: bad address %s\n", s);
		exit(2);
	}
}

static int server(union xaddr *sin, int n, int first)
{
	long bytes = 0;
	int ls, one = 1, i;

	ls = socket(family, SOCK_STREAM, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one,
				 sizeof(one)) ||
	    bind(ls, &sin->sa, xaddr_len(sin)) || listen(ls, 512)) {
		printf("setup: %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (i = 0; i < n; i++) {
		char buf[256];
		unsigned long long got = 0;
		ssize_t r;
		int c = accept(ls, NULL, NULL);

		if (c < 0) {
			printf("accept: %s\n", strerrorname_np(errno));
			return 1;
		}
		while ((!first || got < 16) &&
		       (r = read(c, buf, sizeof(buf))) > 0)
			got += r;
		bytes += got;
		if (write(c, &got, sizeof(got)) != sizeof(got))
			printf("write: %s\n", strerrorname_np(errno));
		close(c);
	}
	close(ls);
	printf("accepted=%d bytes=%ld\n", n, bytes);
	return 0;
}

struct conn {
	int fd;
	int sent;
};

static int client(union xaddr *sin, int n, int par,
		  const char *src, int keep)
{
	struct sockaddr_in from = { .sin_family = AF_INET };
	struct conn *c = calloc(par, sizeof(*c));
	struct pollfd *pf = calloc(par, sizeof(*pf));
	int started = 0, done = 0, ok = 0, failed = 0, first_err = 0, i;
	static const char msg[16] = "0123456789abcdef";

	if (src && inet_pton(AF_INET, src, &from.sin_addr) != 1) {
		fprintf(stderr, "xstress: bad source address %s\n", src);
		return 2;
	}
	for (i = 0; i < par; i++)
		c[i].fd = -1;
	while (done < n) {
		for (i = 0; i < par && started < n; i++) {
			if (c[i].fd >= 0)
				continue;
			c[i].fd = socket(family, SOCK_STREAM, 0);
			if (c[i].fd < 0 ||
			    (src && bind(c[i].fd, (struct sockaddr *)&from,
					 sizeof(from))) ||
			    connect(c[i].fd, &sin->sa, xaddr_len(sin))) {
				if (!first_err)
					first_err = errno;
				if (c[i].fd >= 0)
					close(c[i].fd);
				c[i].fd = -1;
				failed++;
				done++;
				started++;
				continue;
			}
			started++;
			if (write(c[i].fd, msg, sizeof(msg)) != sizeof(msg) ||
			    (!keep && shutdown(c[i].fd, SHUT_WR)))
				first_err = first_err ? : errno;
		}
		for (i = 0; i < par; i++) {
			pf[i].fd = c[i].fd;
			pf[i].events = POLLIN;
		}
		if (poll(pf, par, 10000) <= 0) {
			printf("stalled: no reply in 10 s\n");
			break;
		}
		for (i = 0; i < par; i++) {
			unsigned long long echo = 0;

			if (c[i].fd < 0 || !pf[i].revents)
				continue;
			if (read(c[i].fd, &echo, sizeof(echo)) == sizeof(echo) &&
			    echo == sizeof(msg))
				ok++;
			else
				failed++;
			/* With keep, wait for the server's FIN: it closes first. */
			while (keep && read(c[i].fd, &echo, sizeof(echo)) > 0)
				;
			close(c[i].fd);
			c[i].fd = -1;
			done++;
		}
	}
	printf("connected=%d ok=%d failed=%d", started, ok, failed);
	if (first_err)
		printf(" first_error=%s", strerrorname_np(first_err));
	printf("\n");
	return ok == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	union xaddr sin;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "--family")) {
		family = strcmp(argv[2], "xtcp") ? AF_INET : xtcp_family();
		i = 3;
	}
	if (argc - i < 3) {
		fprintf(stderr, "usage: xstress [--family F] server ADDR:PORT N [first]\n"
			"       xstress [--family F] client ADDR:PORT N [P [SRC [keep]]]\n");
		return 2;
	}
	parse_addr(argv[i + 1], &sin);
	/* Linux TCP over IPv6 for an IPv6 address. */
	if (family == AF_INET && sin.sa.sa_family == AF_INET6)
		family = AF_INET6;
	if (!strcmp(argv[i], "server"))
		return server(&sin, atoi(argv[i + 2]),
			      argc - i > 3 && !strcmp(argv[i + 3], "first"));
	if (!strcmp(argv[i], "client"))
		return client(&sin, atoi(argv[i + 2]),
			      argc - i > 3 ? atoi(argv[i + 3]) : 64,
			      argc - i > 4 ? argv[i + 4] : NULL,
			      argc - i > 5 && !strcmp(argv[i + 5], "keep"));
	fprintf(stderr, "xstress: unknown mode %s\n", argv[i]);
	return 2;
}
