/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xtcp: an alternate TCP for Linux, as a loadable module.
 *
 * Programs open an xtcp socket with socket(AF_XTCP, SOCK_STREAM, 0) and use
 * it like a TCP socket. Addresses are ordinary struct sockaddr_in with
 * sin_family = AF_INET, so getaddrinfo() results work unchanged; only the
 * socket() call names the xtcp family.
 */
#ifndef _UAPI_LINUX_XTCP_H
#define _UAPI_LINUX_XTCP_H

/*
 * The family number xtcp registers by default. The kernel only accepts
 * numbers below AF_MAX, so xtcp borrows a slot no in-tree family uses:
 * 25 was AF_WANPIPE, which never reached mainline. If another module holds
 * it, load xtcp with "family=N" and read the number in use from
 * XTCP_FAMILY_PATH at run time.
 */
#define AF_XTCP		25
#define PF_XTCP		AF_XTCP

/* The family number in use, as decimal text. */
#define XTCP_FAMILY_PATH	"/sys/module/xtcp/parameters/family"

/*
 * sock_diag (NETLINK_SOCK_DIAG): a request for xtcp's sockets is a struct
 * inet_diag_req_v2 with sdiag_family the xtcp family, so the address
 * family it is about, which inet_diag takes from sdiag_family, goes in
 * its pad byte: AF_INET or AF_INET6 lists that family's sockets (an IPv6
 * socket's IPv4 connection is AF_INET6, v4-mapped, as Linux's), AF_UNSPEC
 * (0) both; a get of one socket needs AF_INET or AF_INET6.
 */
#define XTCP_DIAG_FAMILY(req)	((req)->pad)

#endif /* _UAPI_LINUX_XTCP_H */
