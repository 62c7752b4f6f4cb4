// SPDX-License-Identifier: GPL-2.0
/*
 * xsock: socket calls on xtcp sockets from shell scripts.
 *
 *   xsock socket [TYPE [PROTO]]   socket(AF_XTCP, TYPE, PROTO), then close;
 *                                 TYPE is stream, dgram, seqpacket or raw
 *   xsock call CALL               socket(), then CALL (bind, connect,
 *                                 listen, accept, getsockname, shutdown,
 *                                 send, recv) with harmless arguments
 *   xsock hold N                  open N sockets, print "ready", keep them
 *                                 until a signal ends the process
 *
 * Prints "OK" or the errno's name (EPROTONOSUPPORT...) and exits 0 either
 * way, so that a test compares the name with what it expects; exits 2 on
 * a usage error. The family is read from /sys/module/xtcp/parameters/family
 * (AF_XTCP if that is missing) so the tool follows a "family=" override.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "xtcp_family.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int report(int ret)
{
	if (ret < 0)
		printf("%s\n", strerrorname_np(errno));
	else
		printf("OK\n");
	return 0;
}

static int sock_type(const char *name)
{
	static const struct { const char *name; int type; } types[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM },
		{ "seqpacket", SOCK_SEQPACKET }, { "raw", SOCK_RAW },
	};

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (!strcmp(name, types[i].name))
			return types[i].type;
	fprintf(stderr, "xsock: unknown type %s\n", name);
	exit(2);
}

static int do_call(int fd, const char *call)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(5000),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sin);
	char buf[16] = "x";

	if (!strcmp(call, "bind"))
		return bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	if (!strcmp(call, "connect"))
		return connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	if (!strcmp(call, "listen"))
		return listen(fd, 8);
	if (!strcmp(call, "accept"))
		return accept(fd, NULL, NULL);
	if (!strcmp(call, "getsockname"))
		return getsockname(fd, (struct sockaddr *)&sin, &len);
	if (!strcmp(call, "shutdown"))
		return shutdown(fd, SHUT_RDWR);
	if (!strcmp(call, "send"))
		return send(fd, buf, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (!strcmp(call, "recv"))
		return recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	fprintf(stderr, "xsock: unknown call %s\n", call);
	exit(2);
}

static int hold(int n)
{
	int *fds = calloc(n, sizeof(*fds));

	for (int i = 0; i < n; i++) {
		fds[i] = socket(xtcp_family(), SOCK_STREAM, 0);
		if (fds[i] < 0) {
			perror("xsock: socket");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	/* SIGTERM ends us; the kernel closes the sockets on exit. */
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int fd, ret;

	if (argc >= 2 && !strcmp(argv[1], "socket")) {
		int type = argc > 2 ? sock_type(argv[2]) : SOCK_STREAM;
		int proto = argc > 3 ? atoi(argv[3]) : 0;

		fd = socket(xtcp_family(), type, proto);
		report(fd);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "call")) {
		fd = socket(xtcp_family(), SOCK_STREAM, 0);
		if (fd < 0)
			return report(fd);
		ret = do_call(fd, argv[2]);
		report(ret);
		close(fd);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return hold(atoi(argv[2]));
	fprintf(stderr, "usage: xsock socket [TYPE [PROTO]] | call CALL | hold N\n");
	return 2;
}
