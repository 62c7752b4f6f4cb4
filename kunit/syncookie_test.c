// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SYN cookies (mod/syncookie.c): the ISN a listener chooses when it
 * keeps no state, and what the ACK that returns it can prove.
 */

#include <kunit/test.h>
#include <xtcp/syncookie.h>

static const siphash_key_t keys[2] = {
	{ { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL } },
	{ { 0x1716151413121110ULL, 0x1f1e1d1c1b1a1918ULL } },
};

static const siphash_key_t other_keys[2] = {
	{ { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL } },
	{ { 0x1716151413121110ULL, 0x1f1e1d1c1b1a1919ULL } },
};

/* 10.0.0.2:80 (us) <- 10.0.0.1:40000 (the peer) */
#define LADDR	htonl(0x0a000002)
#define RADDR	htonl(0x0a000001)
#define LPORT	htons(80)
#define RPORT	htons(40000)
#define SSEQ	0xfffffff0U	/* the SYN's, near the wrap on purpose */
#define COUNT	1000U

static u32 check(u32 cookie, u32 count)
{
	return xtcp_cookie_check(keys, cookie, LADDR, RADDR, LPORT, RPORT,
				 SSEQ, count, XTCP_COOKIE_MAX_AGE);
}

static void cookie_round_trip(struct kunit *test)
{
	u32 data, cookie;

	for (data = 0; data < 4; data++) {
		cookie = xtcp_cookie_make(keys, LADDR, RADDR, LPORT, RPORT,
					  SSEQ, COUNT, data);
		KUNIT_EXPECT_EQ(test, check(cookie, COUNT), data);
	}
	/* Any 24-bit value comes back, not only table indexes. */
	cookie = xtcp_cookie_make(keys, LADDR, RADDR, LPORT, RPORT, SSEQ,
				  COUNT, 0xabcdef);
	KUNIT_EXPECT_EQ(test, check(cookie, COUNT), 0xabcdefU);
}

/* Different data, counters and keys give different cookies. */
static void cookie_depends_on_every_input(struct kunit *test)
{
	u32 base = xtcp_cookie_make(keys, LADDR, RADDR, LPORT, RPORT, SSEQ,
				    COUNT, 3);

	KUNIT_EXPECT_NE(test, base, xtcp_cookie_make(keys, LADDR, RADDR, LPORT,
						     RPORT, SSEQ, COUNT, 2));
	KUNIT_EXPECT_NE(test, base, xtcp_cookie_make(keys, LADDR, RADDR, LPORT,
						     RPORT, SSEQ, COUNT + 1, 3));
	KUNIT_EXPECT_NE(test, base, xtcp_cookie_make(other_keys, LADDR, RADDR,
						     LPORT, RPORT, SSEQ, COUNT,
						     3));
	KUNIT_EXPECT_NE(test, base, xtcp_cookie_make(keys, LADDR, RADDR, LPORT,
						     RPORT, SSEQ + 1, COUNT, 3));
}

/* A cookie proves the 4-tuple and the SYN's sequence number it was for. */
static void cookie_wrong_tuple_rejected(struct kunit *test)
{
	u32 cookie = xtcp_cookie_make(keys, LADDR, RADDR, LPORT, RPORT, SSEQ,
				      COUNT, 1);
	struct {
		__be32 l, r;
		__be16 lp, rp;
		u32 sseq;
	} bad[] = {
		{ htonl(0x0a000003), RADDR, LPORT, RPORT, SSEQ },
		{ LADDR, htonl(0x0a000009), LPORT, RPORT, SSEQ },
		{ LADDR, RADDR, htons(81), RPORT, SSEQ },
		{ LADDR, RADDR, LPORT, htons(40001), SSEQ },
		{ LADDR, RADDR, RPORT, LPORT, SSEQ },
		{ RADDR, LADDR, LPORT, RPORT, SSEQ },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u32 got = xtcp_cookie_check(keys, cookie, bad[i].l, bad[i].r,
					    bad[i].lp, bad[i].rp, bad[i].sseq,
					    COUNT, XTCP_COOKIE_MAX_AGE);

		/* Either too old or garbage: never a valid MSS index. */
		KUNIT_EXPECT_GE_MSG(test, got, 4U, "case %u", i);
	}
	/* Nor under another key, nor a cookie off beyond the data. */
	KUNIT_EXPECT_GE(test, xtcp_cookie_check(other_keys, cookie, LADDR,
						RADDR, LPORT, RPORT, SSEQ,
						COUNT, XTCP_COOKIE_MAX_AGE),
			4U);
	KUNIT_EXPECT_GE(test, check(cookie + 3, COUNT), 4U);
	KUNIT_EXPECT_GE(test, check(cookie - 2, COUNT), 4U);
	KUNIT_EXPECT_GE(test, check(cookie + (1U << 20), COUNT), 4U);
	KUNIT_EXPECT_GE(test, check(cookie ^ 0x80000000U, COUNT), 4U);
}

/*
 * As in Linux, the cookie is additive in the SYN's sequence number and
 * in the data: what an ACK proves is ISN - SEG.SEQ for its 4-tuple. A
 * sender that can see a cookie can use it anyway; a blind one still has
 * to guess 24 hashed bits.
 */
static void cookie_is_additive_in_seq_and_data(struct kunit *test)
{
	u32 cookie = xtcp_cookie_make(keys, LADDR, RADDR, LPORT, RPORT, SSEQ,
				      COUNT, 1);

	KUNIT_EXPECT_EQ(test, cookie + 1,
			xtcp_cookie_make(keys, LADDR, RADDR, LPORT, RPORT,
					 SSEQ + 1, COUNT, 1));
	KUNIT_EXPECT_EQ(test, check(cookie + 1, COUNT), 2U);
	KUNIT_EXPECT_EQ(test, check(cookie - 1, COUNT), 0U);
}

/* A counter ticks every minute: a cookie lives this tick and the next. */
static void cookie_expires(struct kunit *test)
{
	u32 cookie = xtcp_cookie_make(keys, LADDR, RADDR, LPORT, RPORT, SSEQ,
				      COUNT, 2);

	KUNIT_EXPECT_EQ(test, check(cookie, COUNT + 1), 2U);
	KUNIT_EXPECT_EQ(test, check(cookie, COUNT + 2), (u32)-1);
	KUNIT_EXPECT_EQ(test, check(cookie, COUNT + 200), (u32)-1);
	/* One from the future is refused too (its age wraps to 255). */
	KUNIT_EXPECT_EQ(test, check(cookie, COUNT - 1), (u32)-1);
	/* The 8-bit counter wraps cleanly. */
	cookie = xtcp_cookie_make(keys, LADDR, RADDR, LPORT, RPORT, SSEQ,
				  255, 1);
	KUNIT_EXPECT_EQ(test, check(cookie, 256), 1U);
}

/* Of 2^16 forged cookies for one tuple, about 4 in 2^24 pass: none here. */
static void cookie_forgeries_fail(struct kunit *test)
{
	u32 i, passed = 0;

	for (i = 0; i < 65536; i++)
		if (check(i * 65521U, COUNT) < 4)
			passed++;
	KUNIT_EXPECT_EQ(test, passed, 0U);
}

static void cookie_mss_table(struct kunit *test)
{
	static const struct { u16 mss; u32 idx; } cases[] = {
		{ 0, 0 }, { 100, 0 }, { 536, 0 }, { 1299, 0 }, { 1300, 1 },
		{ 1439, 1 }, { 1440, 2 }, { 1459, 2 }, { 1460, 3 },
		{ 9000, 3 }, { 65535, 3 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, xtcp_cookie_mss_index(cases[i].mss),
				    cases[i].idx, "mss %u", cases[i].mss);
	/* The table is Linux's for IPv4, ascending, never above an MSS. */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss_table[0], 536);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss_table[3], 1460);
	for (i = 1; i < ARRAY_SIZE(xtcp_cookie_mss_table); i++)
		KUNIT_EXPECT_LT(test, xtcp_cookie_mss_table[i - 1],
				xtcp_cookie_mss_table[i]);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (cases[i].mss >= 536)
			KUNIT_EXPECT_LE(test, xtcp_cookie_mss_table[cases[i].idx],
					cases[i].mss);
}

static void ts_round_trip(struct kunit *test, u32 now,
			  const struct xtcp_cookie_opts *in)
{
	struct xtcp_cookie_opts out = { };
	u32 ts = xtcp_cookie_ts_encode(now, in);

	/* Never ahead of our clock, and at most one 64 ms step behind. */
	KUNIT_EXPECT_TRUE(test, (s32)(now - ts) >= 0 && now - ts < 64);
	KUNIT_EXPECT_TRUE(test, xtcp_cookie_ts_decode(ts, now + 10, &out));
	KUNIT_EXPECT_EQ(test, out.wscale_ok, in->wscale_ok);
	KUNIT_EXPECT_EQ(test, out.snd_wscale, in->wscale_ok ? in->snd_wscale : 0);
	KUNIT_EXPECT_EQ(test, out.sack_ok, in->sack_ok);
	KUNIT_EXPECT_EQ(test, out.ecn_ok, in->ecn_ok);
}

static void cookie_option_bits(struct kunit *test)
{
	static const u32 nows[] = { 100000, 0x3f, 0x40, 0xffffffc5, 7 };
	struct xtcp_cookie_opts o = { };
	struct xtcp_cookie_opts out;
	unsigned int i, ws;

	for (i = 0; i < ARRAY_SIZE(nows); i++) {
		for (ws = 0; ws <= 14; ws++) {
			o = (struct xtcp_cookie_opts){ true, ws, ws & 1,
						       ws & 2 };
			ts_round_trip(test, nows[i], &o);
		}
		o = (struct xtcp_cookie_opts){ false, 0, true, false };
		ts_round_trip(test, nows[i], &o);
		o = (struct xtcp_cookie_opts){ false, 0, false, false };
		ts_round_trip(test, nows[i], &o);
	}
	/* The exact bits, as Linux: shift in 0-3, SACK 4, ECN 5; 0xf none. */
	o = (struct xtcp_cookie_opts){ true, 7, true, false };
	KUNIT_EXPECT_EQ(test, xtcp_cookie_ts_encode(0x12345678, &o) & 0x3f, 0x17U);
	o = (struct xtcp_cookie_opts){ false, 0, false, true };
	KUNIT_EXPECT_EQ(test, xtcp_cookie_ts_encode(0x12345678, &o) & 0x3f, 0x2fU);
	/* A shift above 14 (RFC 7323 2.3) is sent as 14. */
	o = (struct xtcp_cookie_opts){ true, 15, false, false };
	KUNIT_EXPECT_EQ(test, xtcp_cookie_ts_encode(0x12345678, &o) & 0xf, 14U);
	/* An echo from the future is not ours. */
	KUNIT_EXPECT_FALSE(test, xtcp_cookie_ts_decode(5000, 4000, &out));
}

/* [2001:db8::2]:80 (us) <- [2001:db8::1]:40000, and addresses one bit off */
static const struct in6_addr laddr6 = { { { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } } };
static const struct in6_addr raddr6 = { { { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } } };
static const struct in6_addr laddr6_hi = { { { 0x20, 0x01, 0x0d, 0xb9, [15] = 2 } } };
static const struct in6_addr raddr6_mid = { { { 0x20, 0x01, 0x0d, 0xb8, [8] = 1,
						[15] = 1 } } };

static u32 check6(u32 cookie, const struct in6_addr *l,
		  const struct in6_addr *r, u32 count)
{
	return xtcp_cookie_check6(keys, cookie, l, r, LPORT, RPORT, SSEQ,
				  count, XTCP_COOKIE_MAX_AGE);
}

/*
 * IPv6 cookies: the same round trip and expiry, and every bit of both
 * 128-bit addresses counts, not only those an IPv4 hash would see.
 */
static void cookie6_round_trip_and_tuple(struct kunit *test)
{
	u32 data, cookie;

	for (data = 0; data < 4; data++) {
		cookie = xtcp_cookie_make6(keys, &laddr6, &raddr6, LPORT, RPORT,
					   SSEQ, COUNT, data);
		KUNIT_EXPECT_EQ(test, check6(cookie, &laddr6, &raddr6, COUNT),
				data);
		KUNIT_EXPECT_EQ(test, check6(cookie, &laddr6, &raddr6,
					     COUNT + 1), data);
		KUNIT_EXPECT_EQ(test, check6(cookie, &laddr6, &raddr6,
					     COUNT + 2), (u32)-1);
	}
	cookie = xtcp_cookie_make6(keys, &laddr6, &raddr6, LPORT, RPORT, SSEQ,
				   COUNT, 1);
	KUNIT_EXPECT_GE(test, check6(cookie, &laddr6_hi, &raddr6, COUNT), 4U);
	KUNIT_EXPECT_GE(test, check6(cookie, &laddr6, &raddr6_mid, COUNT), 4U);
	KUNIT_EXPECT_GE(test, check6(cookie, &raddr6, &laddr6, COUNT), 4U);
	KUNIT_EXPECT_GE(test, xtcp_cookie_check6(keys, cookie, &laddr6,
						 &raddr6, RPORT, LPORT, SSEQ,
						 COUNT, XTCP_COOKIE_MAX_AGE),
			4U);
	KUNIT_EXPECT_GE(test, xtcp_cookie_check6(other_keys, cookie, &laddr6,
						 &raddr6, LPORT, RPORT, SSEQ,
						 COUNT, XTCP_COOKIE_MAX_AGE),
			4U);
	KUNIT_EXPECT_GE(test, check6(cookie + 3, &laddr6, &raddr6, COUNT), 4U);
}

/* The IPv6 MSS table is Linux's: 1280, 1480, 1500 and 9000 less 60. */
static void cookie6_mss_table(struct kunit *test)
{
	static const struct { u16 mss; u32 idx; } cases[] = {
		{ 0, 0 }, { 536, 0 }, { 1220, 0 }, { 1419, 0 }, { 1420, 1 },
		{ 1439, 1 }, { 1440, 2 }, { 8939, 2 }, { 8940, 3 },
		{ 65535, 3 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, xtcp_cookie_mss_index6(cases[i].mss),
				    cases[i].idx, "mss %u", cases[i].mss);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss_table6[0], 1220);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss_table6[3], 8940);
}

static struct kunit_case syncookie_cases[] = {
	KUNIT_CASE(cookie_round_trip),
	KUNIT_CASE(cookie_depends_on_every_input),
	KUNIT_CASE(cookie_wrong_tuple_rejected),
	KUNIT_CASE(cookie_is_additive_in_seq_and_data),
	KUNIT_CASE(cookie_expires),
	KUNIT_CASE(cookie_forgeries_fail),
	KUNIT_CASE(cookie_mss_table),
	KUNIT_CASE(cookie_option_bits),
	KUNIT_CASE(cookie6_round_trip_and_tuple),
	KUNIT_CASE(cookie6_mss_table),
	{}
};

static struct kunit_suite syncookie_suite = {
	.name = "xtcp_syncookie",
	.test_cases = syncookie_cases,
};

kunit_test_suite(syncookie_suite);
