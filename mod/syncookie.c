// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies (RFC 4987 section 3.6), in the layout Linux TCP uses
 * (net/ipv4/syncookies.c), so a peer sees the same behaviour from both:
 *
 *	ISN = H0 + SEG.SEQ + (count << 24) + ((H1(count) + data) mod 2^24)
 *
 * H0 and H1(count) are SipHash of the 4-tuple under two halves of a
 * secret key drawn once per boot, count a clock that ticks once a minute
 * and data the index of the peer's MSS in a table of four. The ACK of the
 * SYN-ACK returns ISN + 1 and SEG.SEQ + 1: subtracting H0 and SEG.SEQ
 * exposes the counter in the top 8 bits (a cookie older than two ticks is
 * refused), and subtracting H1 of that counter leaves the data, which must
 * be a valid index. Without the key an attacker has one chance in about
 * 2^24 / 4 per guess to make an ACK the listener accepts.
 *
 * The other options of the SYN have no room in the ISN. With timestamps,
 * the peer's window scale, SACK and ECN go in the low 6 bits of our TSval,
 * which its ACK echoes; without timestamps they are lost, and the
 * connection goes without window scaling and SACK, as in Linux.
 *
 * IPv6 cookies (the *6 functions) hash the 128-bit addresses and say the
 * MSS from a table of their own, as Linux's net/ipv6/syncookies.c.
 *
 * Everything but xtcp_cookie_v4_init(), xtcp_cookie_v4_check() and their
 * v6 twins is a pure function, tested by KUnit (kunit/syncookie_test.c).
 */

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/net.h>
#include <linux/timekeeping.h>
#include <xtcp/seq.h>
#include <xtcp/syncookie.h>

/*
 * The MSS values a cookie can say, as Linux's msstab for IPv4: the
 * minimum (RFC 9293), one under tunnels, PPPoE/IPsec, and Ethernet.
 */
const u16 xtcp_cookie_mss_table[4] = { 536, 1300, 1440, 1460 };

/*
 * For IPv6, as Linux's: the minimum link MTU (RFC 8200 section 5), an
 * IPv6-in-IPv4 tunnel, Ethernet and jumbo frames, each less 60 bytes of
 * IPv6 and TCP headers.
 */
const u16 xtcp_cookie_mss_table6[4] = { 1280 - 60, 1480 - 60, 1500 - 60,
					9000 - 60 };

static siphash_aligned_key_t xtcp_cookie_secret[2];

/* ISN = H0 + SEG.SEQ + (count << 24) + ((H1(count) + data) mod 2^24) */
static u32 xtcp_cookie_build(u32 h0, u32 h1, u32 sseq, u32 count, u32 data)
{
	return h0 + sseq + (count << XTCP_COOKIE_BITS) +
	       ((h1 + data) & XTCP_COOKIE_MASK);
}

/*
 * A cookie less H0 and SEG.SEQ has the counter in its top bits: its age
 * in ticks, modulo 256 as the counter is 8 bits.
 */
static u32 xtcp_cookie_age(u32 cookie, u32 count)
{
	return (count - (cookie >> XTCP_COOKIE_BITS)) &
	       ((u32)-1 >> XTCP_COOKIE_BITS);
}

static u32 xtcp_cookie_hash(const siphash_key_t *key, __be32 saddr,
			    __be32 daddr, __be16 sport, __be16 dport,
			    u32 count)
{
	u32 ports = (u32)(__force u16)sport << 16 | (__force u16)dport;

	return (u32)siphash_4u32((__force u32)saddr, (__force u32)daddr,
				 ports, count, key);
}

/**
 * xtcp_cookie_make() - the cookie for a SYN
 * @keys: the two secret keys
 * @saddr: local address
 * @daddr: remote address (the SYN's source)
 * @sport: local port
 * @dport: remote port
 * @sseq: the SYN's sequence number
 * @count: the time counter now
 * @data: what to hide in the cookie, below 2^24 (the MSS index)
 *
 * Return: the ISN for the SYN-ACK.
 */
u32 xtcp_cookie_make(const siphash_key_t keys[2], __be32 saddr,
		     __be32 daddr, __be16 sport, __be16 dport, u32 sseq,
		     u32 count, u32 data)
{
	return xtcp_cookie_build(xtcp_cookie_hash(&keys[0], saddr, daddr,
						  sport, dport, 0),
				 xtcp_cookie_hash(&keys[1], saddr, daddr,
						  sport, dport, count),
				 sseq, count, data);
}

/**
 * xtcp_cookie_check() - what a cookie hides, if it is one of ours
 * @keys: the two secret keys
 * @cookie: the ISN the ACK acknowledges (SEG.ACK - 1)
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @sseq: the SYN's sequence number (SEG.SEQ - 1 of the ACK)
 * @count: the time counter now
 * @maxdiff: a cookie this many ticks old or older is refused
 *
 * Return: the data given to xtcp_cookie_make(), or (u32)-1 if the cookie
 * is too old; a forged cookie yields garbage data, which the caller
 * checks (only 4 of 2^24 values are valid).
 */
u32 xtcp_cookie_check(const siphash_key_t keys[2], u32 cookie,
		      __be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		      u32 sseq, u32 count, u32 maxdiff)
{
	u32 diff;

	cookie -= xtcp_cookie_hash(&keys[0], saddr, daddr, sport, dport, 0) +
		  sseq;
	diff = xtcp_cookie_age(cookie, count);
	if (diff >= maxdiff)
		return (u32)-1;
	return (cookie - xtcp_cookie_hash(&keys[1], saddr, daddr, sport, dport,
					  count - diff)) & XTCP_COOKIE_MASK;
}

/*
 * IPv6 (RFC 8200): the same layout, the hash over the 128-bit addresses
 * as Linux's net/ipv6/syncookies.c.
 */
static u32 xtcp_cookie_hash6(const siphash_key_t *key,
			     const struct in6_addr *saddr,
			     const struct in6_addr *daddr, __be16 sport,
			     __be16 dport, u32 count)
{
	const struct {
		struct in6_addr saddr;
		struct in6_addr daddr;
		u32 count;
		__be16 sport;
		__be16 dport;
	} __aligned(SIPHASH_ALIGNMENT) in = {
		.saddr = *saddr,
		.daddr = *daddr,
		.count = count,
		.sport = sport,
		.dport = dport,
	};

	return (u32)siphash(&in, offsetofend(typeof(in), dport), key);
}

/**
 * xtcp_cookie_make6() - xtcp_cookie_make() for IPv6 addresses
 * @keys: the two secret keys
 * @saddr: local address
 * @daddr: remote address (the SYN's source)
 * @sport: local port
 * @dport: remote port
 * @sseq: the SYN's sequence number
 * @count: the time counter now
 * @data: what to hide in the cookie, below 2^24 (the MSS index)
 *
 * Return: the ISN for the SYN-ACK.
 */
u32 xtcp_cookie_make6(const siphash_key_t keys[2],
		      const struct in6_addr *saddr,
		      const struct in6_addr *daddr, __be16 sport,
		      __be16 dport, u32 sseq, u32 count, u32 data)
{
	return xtcp_cookie_build(xtcp_cookie_hash6(&keys[0], saddr, daddr,
						   sport, dport, 0),
				 xtcp_cookie_hash6(&keys[1], saddr, daddr,
						   sport, dport, count),
				 sseq, count, data);
}

/**
 * xtcp_cookie_check6() - xtcp_cookie_check() for IPv6 addresses
 * @keys: the two secret keys
 * @cookie: the ISN the ACK acknowledges (SEG.ACK - 1)
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @sseq: the SYN's sequence number (SEG.SEQ - 1 of the ACK)
 * @count: the time counter now
 * @maxdiff: a cookie this many ticks old or older is refused
 *
 * Return: as xtcp_cookie_check().
 */
u32 xtcp_cookie_check6(const siphash_key_t keys[2], u32 cookie,
		       const struct in6_addr *saddr,
		       const struct in6_addr *daddr, __be16 sport,
		       __be16 dport, u32 sseq, u32 count, u32 maxdiff)
{
	u32 diff;

	cookie -= xtcp_cookie_hash6(&keys[0], saddr, daddr, sport, dport, 0) +
		  sseq;
	diff = xtcp_cookie_age(cookie, count);
	if (diff >= maxdiff)
		return (u32)-1;
	return (cookie - xtcp_cookie_hash6(&keys[1], saddr, daddr, sport,
					   dport, count - diff)) &
	       XTCP_COOKIE_MASK;
}

static u32 xtcp_cookie_mss_in(const u16 table[4], u16 mss)
{
	u32 i;

	for (i = 3; i; i--)
		if (mss >= table[i])
			break;
	return i;
}

/**
 * xtcp_cookie_mss_index() - the table entry for a peer's MSS
 * @mss: the MSS the SYN offered (536 without the option)
 *
 * Return: the index of the largest entry not above @mss (0 for anything
 * under 536: the connection then sends 536-byte segments at most, which
 * the peer must take, RFC 9293 3.7.1).
 */
u32 xtcp_cookie_mss_index(u16 mss)
{
	return xtcp_cookie_mss_in(xtcp_cookie_mss_table, mss);
}

/**
 * xtcp_cookie_mss_index6() - xtcp_cookie_mss_index() for IPv6
 * @mss: the MSS the SYN offered
 *
 * Return: the index in xtcp_cookie_mss_table6, 0 for anything under 1220
 * (an IPv6 path carries 1280-byte packets, RFC 8200 section 5).
 */
u32 xtcp_cookie_mss_index6(u16 mss)
{
	return xtcp_cookie_mss_in(xtcp_cookie_mss_table6, mss);
}

/**
 * xtcp_cookie_ts_encode() - our TSval for a cookie SYN-ACK
 * @ts_now: the timestamp clock now
 * @o: the SYN's options
 *
 * The low 6 bits hold the options; the value is moved back, never
 * forward, so our clock as the peer sees it never runs backwards.
 *
 * Return: the TSval.
 */
u32 xtcp_cookie_ts_encode(u32 ts_now, const struct xtcp_cookie_opts *o)
{
	u32 opts = o->wscale_ok ? min_t(u32, o->snd_wscale, 14) :
				  XTCP_COOKIE_TS_WSCALE;
	u32 ts;

	if (o->sack_ok)
		opts |= XTCP_COOKIE_TS_SACK;
	if (o->ecn_ok)
		opts |= XTCP_COOKIE_TS_ECN;
	ts = (ts_now & ~XTCP_COOKIE_TS_MASK) | opts;
	if (xtcp_seq_after(ts, ts_now))
		ts -= 1U << XTCP_COOKIE_TS_BITS;
	return ts;
}

/**
 * xtcp_cookie_ts_decode() - the SYN's options from the ACK's TSecr
 * @tsecr: the echo of our cookie SYN-ACK's TSval
 * @ts_now: the timestamp clock now
 * @o: filled in
 *
 * Return: false if @tsecr cannot be ours (it lies in the future).
 */
bool xtcp_cookie_ts_decode(u32 tsecr, u32 ts_now, struct xtcp_cookie_opts *o)
{
	u32 ws = tsecr & XTCP_COOKIE_TS_WSCALE;

	if (xtcp_seq_after(tsecr, ts_now))
		return false;
	o->sack_ok = tsecr & XTCP_COOKIE_TS_SACK;
	o->ecn_ok = tsecr & XTCP_COOKIE_TS_ECN;
	o->wscale_ok = ws != XTCP_COOKIE_TS_WSCALE;
	o->snd_wscale = o->wscale_ok ? ws : 0;
	return true;
}

/*
 * The secret, drawn at the first use. One call site only: each use of
 * net_get_random_once() has its own "done" flag, so a second site would
 * draw the key again and void every cookie sent before.
 */
static const siphash_key_t *xtcp_cookie_keys(void)
{
	net_get_random_once(xtcp_cookie_secret, sizeof(xtcp_cookie_secret));
	return xtcp_cookie_secret;
}

/* Minutes of the monotonic clock: the cookie's time counter. */
static u32 xtcp_cookie_count(void)
{
	return (u32)div_u64(ktime_get_seconds(), XTCP_COOKIE_TICK_SECS);
}

/**
 * xtcp_cookie_v4_init() - the cookie ISN for a SYN, now
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @sseq: the SYN's sequence number
 * @mss: the MSS the SYN offered
 * @mss_used: set to the table's MSS the cookie carries
 *
 * Return: the ISN.
 */
u32 xtcp_cookie_v4_init(__be32 saddr, __be32 daddr, __be16 sport,
			__be16 dport, u32 sseq, u16 mss, u16 *mss_used)
{
	u32 idx = xtcp_cookie_mss_index(mss);

	*mss_used = xtcp_cookie_mss_table[idx];
	return xtcp_cookie_make(xtcp_cookie_keys(), saddr, daddr, sport, dport,
				sseq, xtcp_cookie_count(), idx);
}

/**
 * xtcp_cookie_v4_check() - is an ACK's SEG.ACK - 1 a cookie of ours?
 * @cookie: SEG.ACK - 1
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @sseq: SEG.SEQ - 1, the SYN's sequence number
 *
 * Return: the MSS the cookie carries, or 0 if it is not a valid cookie.
 */
int xtcp_cookie_v4_check(u32 cookie, __be32 saddr, __be32 daddr,
			 __be16 sport, __be16 dport, u32 sseq)
{
	u32 idx;

	idx = xtcp_cookie_check(xtcp_cookie_keys(), cookie, saddr, daddr,
				sport, dport, sseq, xtcp_cookie_count(),
				XTCP_COOKIE_MAX_AGE);
	return idx < ARRAY_SIZE(xtcp_cookie_mss_table) ?
	       xtcp_cookie_mss_table[idx] : 0;
}

/**
 * xtcp_cookie_v6_init() - xtcp_cookie_v4_init() for IPv6
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @sseq: the SYN's sequence number
 * @mss: the MSS the SYN offered
 * @mss_used: set to the table's MSS the cookie carries
 *
 * Return: the ISN.
 */
u32 xtcp_cookie_v6_init(const struct in6_addr *saddr,
			const struct in6_addr *daddr, __be16 sport,
			__be16 dport, u32 sseq, u16 mss, u16 *mss_used)
{
	u32 idx = xtcp_cookie_mss_index6(mss);

	*mss_used = xtcp_cookie_mss_table6[idx];
	return xtcp_cookie_make6(xtcp_cookie_keys(), saddr, daddr, sport,
				 dport, sseq, xtcp_cookie_count(), idx);
}

/**
 * xtcp_cookie_v6_check() - xtcp_cookie_v4_check() for IPv6
 * @cookie: SEG.ACK - 1
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @sseq: SEG.SEQ - 1, the SYN's sequence number
 *
 * Return: the MSS the cookie carries, or 0 if it is not a valid cookie.
 */
int xtcp_cookie_v6_check(u32 cookie, const struct in6_addr *saddr,
			 const struct in6_addr *daddr, __be16 sport,
			 __be16 dport, u32 sseq)
{
	u32 idx;

	idx = xtcp_cookie_check6(xtcp_cookie_keys(), cookie, saddr, daddr,
				 sport, dport, sseq, xtcp_cookie_count(),
				 XTCP_COOKIE_MAX_AGE);
	return idx < ARRAY_SIZE(xtcp_cookie_mss_table6) ?
	       xtcp_cookie_mss_table6[idx] : 0;
}
