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

#endif /* _UAPI_LINUX_XTCP_H */
