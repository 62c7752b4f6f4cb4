/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The address family number xtcp registered, for the selftest tools: read
 * from sysfs so that a "family=" module parameter is followed, AF_XTCP if
 * the module is not loaded.
 */
#ifndef _SELFTESTS_XTCP_FAMILY_H
#define _SELFTESTS_XTCP_FAMILY_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "../include/uapi/linux/xtcp.h"

static inline int xtcp_family(void)
{
	FILE *f = fopen(XTCP_FAMILY_PATH, "r");
	int fam = AF_XTCP;

	if (f) {
		if (fscanf(f, "%d", &fam) != 1)
			fam = AF_XTCP;
		fclose(f);
	}
	return fam;
}

/*
 * xfamily_parse - a tool's --family argument: "inet" (Linux TCP over IPv4),
 * "inet6" (Linux TCP over IPv6), "xtcp" (either: the first bind() or
 * connect() decides) or a number. Returns -1 for anything else.
 */
static inline int xfamily_parse(const char *s)
{
	char *end;
	long fam;

	if (!strcmp(s, "inet"))
		return AF_INET;
	if (!strcmp(s, "inet6"))
		return AF_INET6;
	if (!strcmp(s, "xtcp"))
		return xtcp_family();
	fam = strtol(s, &end, 10);
	return *s && !*end && fam > 0 && fam < AF_MAX ? (int)fam : -1;
}

/* An IPv4 or IPv6 socket address, as the tools pass them around. */
union xaddr {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

/*
 * xaddr_host - HOST and PORT into *@a: HOST is "A.B.C.D", or an IPv6
 * address bare or in brackets, with an optional "%SCOPE_ID" (a number).
 * Returns the address's length, 0 if HOST or PORT is not one.
 */
static inline socklen_t xaddr_host(const char *host, long port,
				   union xaddr *a)
{
	char buf[INET6_ADDRSTRLEN + 16], *pct;
	size_t n = strlen(host);

	memset(a, 0, sizeof(*a));
	if (port < 0 || port > 65535)
		return 0;
	if (inet_pton(AF_INET, host, &a->sin.sin_addr) == 1) {
		a->sin.sin_family = AF_INET;
		a->sin.sin_port = htons(port);
		return sizeof(a->sin);
	}
	if (host[0] == '[') {
		if (n < 2 || host[n - 1] != ']')
			return 0;
		host++;
		n -= 2;
	}
	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, host, n);
	buf[n] = '\0';
	pct = strchr(buf, '%');
	if (pct) {
		*pct = '\0';
		a->sin6.sin6_scope_id = atoi(pct + 1);
	}
	if (inet_pton(AF_INET6, buf, &a->sin6.sin6_addr) != 1)
		return 0;
	a->sin6.sin6_family = AF_INET6;
	a->sin6.sin6_port = htons(port);
	return sizeof(a->sin6);
}

/*
 * xaddr_parse - "A.B.C.D:PORT", "[IPV6]:PORT" or just "PORT" (IPv4's any
 * address) into *@a. Returns the address's length, 0 if @s is not one.
 */
static inline socklen_t xaddr_parse(const char *s, union xaddr *a)
{
	const char *colon = strrchr(s, ':');
	char host[INET6_ADDRSTRLEN + 16];
	char *end;
	long port;

	if (!colon)
		colon = s - 1;
	port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end)
		return 0;
	if (colon < s)
		return xaddr_host("0.0.0.0", port, a);
	if (colon - s >= (long)sizeof(host))
		return 0;
	memcpy(host, s, colon - s);
	host[colon - s] = '\0';
	/* A bare IPv6 address would take its last group for the port. */
	if (strchr(host, ':') && host[0] != '[')
		return 0;
	return xaddr_host(host, port, a);
}

/* xaddr_len - the length of the address *@a holds. */
static inline socklen_t xaddr_len(const union xaddr *a)
{
	return a->sa.sa_family == AF_INET6 ? sizeof(a->sin6) : sizeof(a->sin);
}

/* xaddr_port - the port of *@a, in host order. */
static inline unsigned int xaddr_port(const union xaddr *a)
{
	return ntohs(a->sa.sa_family == AF_INET6 ? a->sin6.sin6_port :
		     a->sin.sin_port);
}

/* xaddr_set_port - set the port of *@a (host order). */
static inline void xaddr_set_port(union xaddr *a, unsigned int port)
{
	if (a->sa.sa_family == AF_INET6)
		a->sin6.sin6_port = htons(port);
	else
		a->sin.sin_port = htons(port);
}

#endif /* _SELFTESTS_XTCP_FAMILY_H */
