/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SYN cookies (RFC 4987 section 3.6): a listener whose SYN queue is full
 * answers a SYN without keeping any state, choosing as its ISN a keyed
 * hash of the connection that the ACK of the SYN-ACK brings back. The
 * pure logic is here, tested by KUnit; input.c decides when to use it.
 */
#ifndef _XTCP_SYNCOOKIE_H
#define _XTCP_SYNCOOKIE_H

#include <linux/in6.h>
#include <linux/siphash.h>
#include <linux/types.h>

/* The ISN's top 8 bits carry the time counter, the rest hash + data. */
#define XTCP_COOKIE_BITS	24
#define XTCP_COOKIE_MASK	((1U << XTCP_COOKIE_BITS) - 1)
/* A cookie is good for this many counters (minutes): 2 to 3 minutes. */
#define XTCP_COOKIE_MAX_AGE	2
/* Seconds per tick of the cookie's time counter. */
#define XTCP_COOKIE_TICK_SECS	60

/* The option bits hidden in the low bits of the SYN-ACK's TSval. */
#define XTCP_COOKIE_TS_BITS	6
#define XTCP_COOKIE_TS_MASK	((1U << XTCP_COOKIE_TS_BITS) - 1)
#define XTCP_COOKIE_TS_WSCALE	0xfU	/* the peer's shift; 0xf: none */
#define XTCP_COOKIE_TS_SACK	BIT(4)
#define XTCP_COOKIE_TS_ECN	BIT(5)

/**
 * struct xtcp_cookie_opts - what a cookie remembers of the SYN's options
 * @wscale_ok: the peer offered window scaling
 * @snd_wscale: its shift, valid with @wscale_ok
 * @sack_ok: the peer offered SACK
 * @ecn_ok: the listener agreed to the peer's ECN (RFC 3168; ecn.c)
 */
struct xtcp_cookie_opts {
	bool wscale_ok;
	u8 snd_wscale;
	bool sack_ok;
	bool ecn_ok;
};

extern const u16 xtcp_cookie_mss_table[4];
extern const u16 xtcp_cookie_mss_table6[4];

u32 xtcp_cookie_make(const siphash_key_t keys[2], __be32 saddr,
		     __be32 daddr, __be16 sport, __be16 dport, u32 sseq,
		     u32 count, u32 data);
u32 xtcp_cookie_check(const siphash_key_t keys[2], u32 cookie,
		      __be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		      u32 sseq, u32 count, u32 maxdiff);
u32 xtcp_cookie_make6(const siphash_key_t keys[2],
		      const struct in6_addr *saddr,
		      const struct in6_addr *daddr, __be16 sport,
		      __be16 dport, u32 sseq, u32 count, u32 data);
u32 xtcp_cookie_check6(const siphash_key_t keys[2], u32 cookie,
		       const struct in6_addr *saddr,
		       const struct in6_addr *daddr, __be16 sport,
		       __be16 dport, u32 sseq, u32 count, u32 maxdiff);
u32 xtcp_cookie_mss_index(u16 mss);
u32 xtcp_cookie_mss_index6(u16 mss);
u32 xtcp_cookie_ts_encode(u32 ts_now, const struct xtcp_cookie_opts *o);
bool xtcp_cookie_ts_decode(u32 tsecr, u32 ts_now, struct xtcp_cookie_opts *o);

/* With the per-boot key and the clock: what input.c calls. */
u32 xtcp_cookie_v4_init(__be32 saddr, __be32 daddr, __be16 sport,
			__be16 dport, u32 sseq, u16 mss, u16 *mss_used);
int xtcp_cookie_v4_check(u32 cookie, __be32 saddr, __be32 daddr,
			 __be16 sport, __be16 dport, u32 sseq);
u32 xtcp_cookie_v6_init(const struct in6_addr *saddr,
			const struct in6_addr *daddr, __be16 sport,
			__be16 dport, u32 sseq, u16 mss, u16 *mss_used);
int xtcp_cookie_v6_check(u32 cookie, const struct in6_addr *saddr,
			 const struct in6_addr *daddr, __be16 sport,
			 __be16 dport, u32 sseq);

#endif /* _XTCP_SYNCOOKIE_H */
