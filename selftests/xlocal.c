// SPDX-License-Identifier: GPL-2.0
/*
 * xlocal: what a local user can do to the host through a stream socket's
 * options, ports and reads, over Linux TCP or xtcp (selftests/local_*.sh).
 *
 *   xlocal [--family inet|xtcp] [--netns NAME] CMD ARG...
 *
 *   mcast N IFNAME       N sockets each try IP_ADD_MEMBERSHIP and then
 *                        MCAST_JOIN_GROUP on 239.1.2.3 via IFNAME, and
 *                        close; prints "add=ERR join=ERR" (the first
 *                        socket's results, "OK" on success) and
 *                        "mismatched=K" (sockets whose results differed
 *                        from the first's)
 *   mcast-hold IFNAME    one socket joins with MCAST_JOIN_GROUP and waits
 *                        for a line on stdin, then closes
 *   peek ADDR:PORT MS    connect, wait until some data is readable, then
 *                        recv(100, MSG_PEEK | MSG_WAITALL) with SO_RCVTIMEO
 *                        MS; prints "peek RESULT ms=T cpu_ms=C" (RESULT
 *                        the byte count or the errno, T the call's wall
 *                        time, C the CPU time the process spent in it)
 *   churn ADDR:PORT NPORTS N [SRC]   N connections, the i-th to PORT +
 *                        i % NPORTS, each closed at once by us (so our
 *                        end lingers in TIME_WAIT); with SRC, each socket
 *                        is bound to address SRC, port 0, with
 *                        IP_BIND_ADDRESS_NO_PORT first; prints "ok=K
 *                        failed=F err=ERR ports=P" (P distinct local
 *                        ports used)
 *   listen ADDR:PORT NPORTS SECS [DEV|- [MINTTL]]   listeners on NPORTS
 *                        consecutive ports (bound to device DEV if given,
 *                        SO_BINDTODEVICE; with IP_MINTTL if given) for
 *                        SECS seconds; accepts and
 *                        closes what comes, reading to EOF first; prints
 *                        "ready", and at the end "accepted=N"
 *
 * churn and listen also take [IPV6] addresses (SRC bare); Linux TCP's
 * sockets are then AF_INET6.
 *
 * Exit status 0, 1 on a setup failure, 2 on usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "netns.h"
#include "xtcp_family.h"

#define MAX_PORTS	64

static int family = AF_INET;

static void usage(void)
{
	fputs("xlocal: [--family inet|xtcp] [--netns NAME] CMD ARG...\n",
	      stderr);
	exit(2);
}

static const char *errname(int err)
{
	const char *name;

	if (!err)
		return "OK";
	name = strerrorname_np(err);
	return name ? name : "E?";
}

static void parse_addr(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');

	if (!colon || colon - s >= (int)sizeof(host))
		usage();
	memcpy(host, s, colon - s);
	host[colon - s] = 0;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		usage();
}

/*
 * For churn and listen: ADDR:PORT, A.B.C.D or [IPV6] (xtcp_family.h); an
 * IPv6 one makes Linux TCP's sockets AF_INET6.
 */
static void parse_xaddr(const char *s, union xaddr *a)
{
	if (!xaddr_parse(s, a))
		usage();
	if (family == AF_INET && a->sa.sa_family == AF_INET6)
		family = AF_INET6;
}

static int stream_socket(void)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0) {
		perror("xlocal: socket");
		exit(1);
	}
	return fd;
}

static double now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int mcast_join(int fd, const char *ifname, int *add, int *join)
{
	struct ip_mreqn mreq = { .imr_ifindex = if_nametoindex(ifname) };
	struct group_req greq = { .gr_interface = mreq.imr_ifindex };
	struct sockaddr_in *grp = (struct sockaddr_in *)&greq.gr_group;

	if (!mreq.imr_ifindex)
		return -1;
	inet_pton(AF_INET, "239.1.2.3", &mreq.imr_multiaddr);
	grp->sin_family = AF_INET;
	grp->sin_addr = mreq.imr_multiaddr;
	*add = setsockopt(fd, SOL_IP, IP_ADD_MEMBERSHIP, &mreq,
			  sizeof(mreq)) ? errno : 0;
	/* A second join of the same group would be EADDRINUSE: leave it. */
	if (!*add)
		setsockopt(fd, SOL_IP, IP_DROP_MEMBERSHIP, &mreq, sizeof(mreq));
	*join = setsockopt(fd, SOL_IP, MCAST_JOIN_GROUP, &greq,
			   sizeof(greq)) ? errno : 0;
	return 0;
}

static int do_mcast(int n, const char *ifname)
{
	int i, fd, add, join, add0 = 0, join0 = 0, mismatched = 0;

	for (i = 0; i < n; i++) {
		fd = stream_socket();
		if (mcast_join(fd, ifname, &add, &join)) {
			fprintf(stderr, "xlocal: no interface %s\n", ifname);
			return 1;
		}
		if (!i) {
			add0 = add;
			join0 = join;
		} else if (add != add0 || join != join0) {
			mismatched++;
		}
		close(fd);
	}
	printf("add=%s join=%s\nmismatched=%d\n", errname(add0),
	       errname(join0), mismatched);
	return 0;
}

static int do_mcast_hold(const char *ifname)
{
	int fd = stream_socket(), add, join;
	char line[16];

	if (mcast_join(fd, ifname, &add, &join))
		return 1;
	printf("join=%s\nready\n", errname(join));
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
	close(fd);
	return 0;
}

static int do_peek(const char *addr, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };
	struct pollfd pfd = { .events = POLLIN };
	struct sockaddr_in sin;
	struct rusage r0, r1;
	double t0, cpu;
	char buf[100];
	ssize_t n;

	parse_addr(addr, &sin);
	pfd.fd = stream_socket();
	if (connect(pfd.fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    setsockopt(pfd.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    poll(&pfd, 1, 10000) != 1) {
		perror("xlocal: peek setup");
		return 1;
	}
	usleep(200000);		/* all of the peer's bytes are in */
	getrusage(RUSAGE_SELF, &r0);
	t0 = now_ms(CLOCK_MONOTONIC);
	n = recv(pfd.fd, buf, sizeof(buf), MSG_PEEK | MSG_WAITALL);
	t0 = now_ms(CLOCK_MONOTONIC) - t0;
	getrusage(RUSAGE_SELF, &r1);
	cpu = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec +
	       r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) * 1e3 +
	      (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec +
	       r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e3;
	if (n < 0)
		printf("peek %s", errname(errno));
	else
		printf("peek %zd", n);
	printf(" ms=%.0f cpu_ms=%.0f\n", t0, cpu);
	close(pfd.fd);
	return 0;
}

static int do_churn(const char *addr, int nports, int n, const char *src)
{
	static unsigned char used[65536];
	int i, fd, ok = 0, failed = 0, first_err = 0, ports = 0, one = 1;
	union xaddr sin, local, from;
	socklen_t len;
	unsigned short base;

	parse_xaddr(addr, &sin);
	if (src && !xaddr_host(src, 0, &from))
		usage();
	base = xaddr_port(&sin);
	for (i = 0; i < n; i++) {
		xaddr_set_port(&sin, base + i % nports);
		fd = stream_socket();
		if (src && (setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one,
				       sizeof(one)) ||
			    bind(fd, &from.sa, xaddr_len(&from)))) {
			perror("xlocal: churn bind");
			return 1;
		}
		if (connect(fd, &sin.sa, xaddr_len(&sin))) {
			if (!first_err)
				first_err = errno;
			failed++;
			close(fd);
			continue;
		}
		len = sizeof(local);
		getsockname(fd, &local.sa, &len);
		if (!used[xaddr_port(&local)]++)
			ports++;
		ok++;
		close(fd);
	}
	printf("ok=%d failed=%d err=%s ports=%d\n", ok, failed,
	       errname(first_err), ports);
	return 0;
}

static int do_listen(const char *addr, int nports, int secs, const char *dev,
		     int minttl)
{
	struct pollfd pfd[MAX_PORTS];
	union xaddr sin;
	int i, one = 1, accepted = 0;
	char buf[512];
	unsigned short base;
	double end = now_ms(CLOCK_MONOTONIC) + secs * 1e3;

	if (nports < 1 || nports > MAX_PORTS)
		usage();
	parse_xaddr(addr, &sin);
	base = xaddr_port(&sin);
	for (i = 0; i < nports; i++) {
		pfd[i].fd = stream_socket();
		pfd[i].events = POLLIN;
		xaddr_set_port(&sin, base + i);
		if (setsockopt(pfd[i].fd, SOL_SOCKET, SO_REUSEADDR, &one,
			       sizeof(one)) ||
		    (dev && setsockopt(pfd[i].fd, SOL_SOCKET, SO_BINDTODEVICE,
				       dev, strlen(dev) + 1)) ||
		    (minttl && setsockopt(pfd[i].fd, SOL_IP, IP_MINTTL,
					  &minttl, sizeof(minttl))) ||
		    bind(pfd[i].fd, &sin.sa, xaddr_len(&sin)) ||
		    listen(pfd[i].fd, 128)) {
			perror("xlocal: listen");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	while (now_ms(CLOCK_MONOTONIC) < end) {
		if (poll(pfd, nports, 200) <= 0)
			continue;
		for (i = 0; i < nports; i++) {
			int c;

			if (!(pfd[i].revents & POLLIN))
				continue;
			c = accept(pfd[i].fd, NULL, NULL);
			if (c < 0)
				continue;
			accepted++;
			/* The peer closes first: read its EOF, then close. */
			struct timeval tv = { .tv_sec = 2 };

			setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			while (read(c, buf, sizeof(buf)) > 0)
				;
			close(c);
		}
	}
	printf("accepted=%d\n", accepted);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;

	while (i + 1 < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--family"))
			family = strcmp(argv[i + 1], "xtcp") ? AF_INET :
				 xtcp_family();
		else if (!strcmp(argv[i], "--netns"))
			enter_netns("xlocal", argv[i + 1]);
		else
			usage();
		i += 2;
	}
	argc -= i;
	argv += i;
	if (argc >= 3 && !strcmp(argv[0], "mcast"))
		return do_mcast(atoi(argv[1]), argv[2]);
	if (argc >= 2 && !strcmp(argv[0], "mcast-hold"))
		return do_mcast_hold(argv[1]);
	if (argc >= 3 && !strcmp(argv[0], "peek"))
		return do_peek(argv[1], atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[0], "churn"))
		return do_churn(argv[1], atoi(argv[2]), atoi(argv[3]),
				argc >= 5 ? argv[4] : NULL);
	if (argc >= 4 && !strcmp(argv[0], "listen"))
		return do_listen(argv[1], atoi(argv[2]), atoi(argv[3]),
				 argc >= 5 && strcmp(argv[4], "-") ? argv[4] :
				 NULL, argc >= 6 ? atoi(argv[5]) : 0);
	usage();
	return 2;
}
