/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Initial sequence numbers per RFC 6528: ISN = M + F(4-tuple, secret),
 * M a clock ticking every 4 microseconds, F a keyed pseudorandom function.
 */
#ifndef _XTCP_ISN_H
#define _XTCP_ISN_H

#include <linux/in6.h>
#include <linux/siphash.h>
#include <linux/types.h>

u32 xtcp_isn_compute(const siphash_key_t *key, u64 clock_ns,
		     __be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
u32 xtcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
u32 xtcp_isn6(const struct in6_addr *saddr, const struct in6_addr *daddr,
	      __be16 sport, __be16 dport);
void xtcp_isn_init(void);

#endif /* _XTCP_ISN_H */
