// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the return route of a received IPv4 source route
 * (include/xtcp/srroute.h, RFC 1122 4.2.3.8): well-formed routes reversed
 * as Linux's __ip_options_echo() reverses them, and every malformed one
 * from the wire giving no route without reading past its bytes (each is
 * handed over in a buffer of exactly its length, which KASAN watches).
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <xtcp/compat.h>
#include <xtcp/srroute.h>

/*
 * Addresses, byte by byte: the SYN's source 10.0.2.2, and the hops
 * 10.0.2.254 (recorded first), 10.0.3.254, 10.0.1.254 (recorded last).
 */
static __be32 be(u8 a, u8 b, u8 c, u8 d)
{
	u8 v[4] = { a, b, c, d };
	__be32 x;

	memcpy(&x, v, 4);
	return x;
}

/*
 * xtcp_srr_reverse() over @in, copied into a buffer of exactly @len
 * bytes; @out and @hop are filled with 0xaa first.
 */
static unsigned int reverse(struct kunit *test, const u8 *in, unsigned int len,
			    u8 *out, __be32 *hop)
{
	u8 *buf = kmalloc(len ?: 1, GFP_KERNEL);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, in, len);
	memset(out, 0xaa, XTCP_IPOPT_MAX);
	memset(hop, 0xaa, sizeof(*hop));
	n = xtcp_srr_reverse(buf, len, be(10, 0, 2, 2), out, hop);
	kfree(buf);
	return n;
}

static void expect_route(struct kunit *test, const u8 *in, unsigned int len,
			 const u8 *want, unsigned int want_len, __be32 first)
{
	u8 out[XTCP_IPOPT_MAX];
	__be32 hop;

	KUNIT_ASSERT_EQ(test, reverse(test, in, len, out, &hop), want_len);
	KUNIT_EXPECT_MEMEQ(test, out, want, want_len);
	KUNIT_EXPECT_EQ(test, hop, first);
}

/* No route, and neither @out nor the first hop written. */
static void expect_no_route(struct kunit *test, const u8 *in, unsigned int len)
{
	u8 untouched[XTCP_IPOPT_MAX], out[XTCP_IPOPT_MAX];
	__be32 hop;

	memset(untouched, 0xaa, sizeof(untouched));
	KUNIT_EXPECT_EQ(test, reverse(test, in, len, out, &hop), 0U);
	KUNIT_EXPECT_MEMEQ(test, out, untouched, sizeof(out));
	KUNIT_EXPECT_EQ(test, hop, be(0xaa, 0xaa, 0xaa, 0xaa));
}

#define EXPECT_ROUTE(test, in, want, first) \
	expect_route(test, in, sizeof(in), want, sizeof(want), first)
#define EXPECT_NO_ROUTE(test, in)	expect_no_route(test, in, sizeof(in))

/*
 * selftests/ip_options' SYN: one hop recorded, the route complete. Back:
 * to that hop, then on to the source.
 */
static void srr_one_hop(struct kunit *test)
{
	static const u8 in[] = { IPOPT_LSRR, 7, 8, 10, 0, 2, 254 };
	static const u8 want[] = { IPOPT_LSRR, 7, 4, 10, 0, 2, 2 };

	EXPECT_ROUTE(test, in, want, be(10, 0, 2, 254));
}

/* Three hops: the last recorded is the first hop, the others reversed. */
static void srr_three_hops(struct kunit *test)
{
	static const u8 in[] = { IPOPT_LSRR, 15, 16, 10, 0, 2, 254,
				 10, 0, 3, 254, 10, 0, 1, 254 };
	static const u8 want[] = { IPOPT_LSRR, 15, 4, 10, 0, 3, 254,
				   10, 0, 2, 254, 10, 0, 2, 2 };

	EXPECT_ROUTE(test, in, want, be(10, 0, 1, 254));
}

/* A strict route stays strict. */
static void srr_strict(struct kunit *test)
{
	static const u8 in[] = { IPOPT_SSRR, 11, 12, 10, 0, 2, 254,
				 10, 0, 3, 254 };
	static const u8 want[] = { IPOPT_SSRR, 11, 4, 10, 0, 2, 254,
				   10, 0, 2, 2 };

	EXPECT_ROUTE(test, in, want, be(10, 0, 3, 254));
}

/*
 * The pointer at a slot: only the hops before it were passed (IP
 * delivers such a datagram when the rest of the route is our own).
 */
static void srr_part_passed(struct kunit *test)
{
	static const u8 in[] = { IPOPT_LSRR, 15, 12, 10, 0, 2, 254,
				 10, 0, 3, 254, 10, 0, 1, 254 };
	static const u8 want[] = { IPOPT_LSRR, 11, 4, 10, 0, 2, 254,
				   10, 0, 2, 2 };

	EXPECT_ROUTE(test, in, want, be(10, 0, 3, 254));
}

/* A pointer far past the length is a complete route, as RFC 791 says. */
static void srr_pointer_far_past(struct kunit *test)
{
	static const u8 in[] = { IPOPT_LSRR, 11, 255, 10, 0, 2, 254,
				 10, 0, 3, 254 };
	static const u8 want[] = { IPOPT_LSRR, 11, 4, 10, 0, 2, 254,
				   10, 0, 2, 2 };

	EXPECT_ROUTE(test, in, want, be(10, 0, 3, 254));
}

/*
 * RFC 1812 5.2.4.1: a source that recorded itself first is not a hop of
 * the way back; with no other hop there is no route.
 */
static void srr_source_recorded(struct kunit *test)
{
	static const u8 in[] = { IPOPT_LSRR, 11, 12, 10, 0, 2, 2,
				 10, 0, 3, 254 };
	static const u8 want[] = { IPOPT_LSRR, 7, 4, 10, 0, 2, 2 };
	static const u8 only[] = { IPOPT_LSRR, 7, 8, 10, 0, 2, 2 };

	EXPECT_ROUTE(test, in, want, be(10, 0, 3, 254));
	EXPECT_NO_ROUTE(test, only);
}

/* Found behind NOPs and other options; nine hops, the most 40 bytes hold. */
static void srr_among_options(struct kunit *test)
{
	static const u8 in[] = { IPOPT_NOOP, IPOPT_RR, 3, 4, IPOPT_NOOP,
				 IPOPT_LSRR, 11, 12, 10, 0, 2, 254,
				 10, 0, 3, 254, IPOPT_END };
	static const u8 want[] = { IPOPT_LSRR, 11, 4, 10, 0, 2, 254,
				   10, 0, 2, 2 };
	static const u8 nine[] = { IPOPT_LSRR, 39, 40, 10, 0, 2, 254,
				   10, 0, 3, 254, 10, 0, 1, 254, 10, 0, 2, 254,
				   10, 0, 3, 254, 10, 0, 1, 254, 10, 0, 2, 254,
				   10, 0, 3, 254, 10, 0, 1, 254 };
	static const u8 nine_want[] = { IPOPT_LSRR, 39, 4, 10, 0, 3, 254,
					10, 0, 2, 254, 10, 0, 1, 254,
					10, 0, 3, 254, 10, 0, 2, 254,
					10, 0, 1, 254, 10, 0, 3, 254,
					10, 0, 2, 254, 10, 0, 2, 2 };

	EXPECT_ROUTE(test, in, want, be(10, 0, 3, 254));
	EXPECT_ROUTE(test, nine, nine_want, be(10, 0, 1, 254));
}

/* No source route: none at all, one after EOL, a record route alone. */
static void srr_none(struct kunit *test)
{
	static const u8 empty[] = { };
	static const u8 after_eol[] = { IPOPT_END, IPOPT_LSRR, 7, 8,
					10, 0, 2, 254 };
	static const u8 rr[] = { IPOPT_RR, 7, 8, 10, 0, 2, 254 };
	static const u8 nops[] = { IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP };

	EXPECT_NO_ROUTE(test, empty);
	EXPECT_NO_ROUTE(test, after_eol);
	EXPECT_NO_ROUTE(test, rr);
	EXPECT_NO_ROUTE(test, nops);
}

/* Lengths that do not walk: 0, 1, past the end, a type with no length. */
static void srr_bad_lengths(struct kunit *test)
{
	static const u8 zero[] = { IPOPT_RR, 0, IPOPT_LSRR, 7, 8,
				   10, 0, 2, 254 };
	static const u8 one[] = { IPOPT_RR, 1, IPOPT_LSRR, 7, 8,
				  10, 0, 2, 254 };
	static const u8 past[] = { IPOPT_LSRR, 11, 12, 10, 0, 2, 254 };
	static const u8 past_other[] = { IPOPT_LSRR, 7, 8, 10, 0, 2, 254,
					 IPOPT_RR, 9 };
	static const u8 no_len[] = { IPOPT_LSRR, 7, 8, 10, 0, 2, 254,
				     IPOPT_RR };
	static const u8 only_type[] = { IPOPT_LSRR };
	static const u8 two[] = { IPOPT_LSRR, 2 };
	static const u8 no_slot[] = { IPOPT_LSRR, 3, 4 };

	EXPECT_NO_ROUTE(test, zero);
	EXPECT_NO_ROUTE(test, one);
	EXPECT_NO_ROUTE(test, past);
	EXPECT_NO_ROUTE(test, past_other);
	EXPECT_NO_ROUTE(test, no_len);
	EXPECT_NO_ROUTE(test, only_type);
	EXPECT_NO_ROUTE(test, two);
	EXPECT_NO_ROUTE(test, no_slot);
}

/* Pointers below the first slot or between slots; lengths between slots. */
static void srr_bad_pointers(struct kunit *test)
{
	static const u8 ptr0[] = { IPOPT_LSRR, 7, 0, 10, 0, 2, 254 };
	static const u8 ptr3[] = { IPOPT_LSRR, 7, 3, 10, 0, 2, 254 };
	static const u8 ptr4[] = { IPOPT_LSRR, 7, 4, 10, 0, 2, 254 };
	static const u8 ptr6[] = { IPOPT_LSRR, 11, 6, 10, 0, 2, 254,
				   10, 0, 3, 254 };
	static const u8 ptr9[] = { IPOPT_LSRR, 11, 9, 10, 0, 2, 254,
				   10, 0, 3, 254 };
	static const u8 len9[] = { IPOPT_LSRR, 9, 12, 10, 0, 2, 254, 1, 2 };
	static const u8 len8[] = { IPOPT_LSRR, 8, 8, 10, 0, 2, 254, 1 };

	EXPECT_NO_ROUTE(test, ptr0);
	EXPECT_NO_ROUTE(test, ptr3);
	EXPECT_NO_ROUTE(test, ptr4);	/* nothing passed yet */
	EXPECT_NO_ROUTE(test, ptr6);
	EXPECT_NO_ROUTE(test, ptr9);
	EXPECT_NO_ROUTE(test, len9);
	EXPECT_NO_ROUTE(test, len8);
}

/* Two source routes (IP refuses them too); more than 40 bytes. */
static void srr_two_routes_or_too_long(struct kunit *test)
{
	static const u8 two[] = { IPOPT_LSRR, 7, 8, 10, 0, 2, 254, IPOPT_SSRR,
				  7, 8, 10, 0, 3, 254 };
	u8 big[XTCP_IPOPT_MAX + 4] = { IPOPT_LSRR, 7, 8, 10, 0, 2, 254 };

	EXPECT_NO_ROUTE(test, two);
	EXPECT_NO_ROUTE(test, big);
}

/*
 * Every type, length and pointer of a short option list, with whatever
 * follows: each answer is no route or a whole route (KASAN sees any read
 * past the buffer).
 */
static void srr_all_short_lists(struct kunit *test)
{
	static const u8 types[] = { IPOPT_END, IPOPT_NOOP, IPOPT_RR, IPOPT_LSRR,
				    IPOPT_SSRR };
	unsigned int t, len, ptr, size, n, routes = 0;
	u8 in[12], out[XTCP_IPOPT_MAX];
	__be32 hop;

	for (t = 0; t < ARRAY_SIZE(types); t++)
		for (size = 1; size <= sizeof(in); size++)
			for (len = 0; len < 16; len++)
				for (ptr = 0; ptr < 16; ptr++) {
					memset(in, IPOPT_LSRR, sizeof(in));
					in[0] = types[t];
					if (size > 1)
						in[1] = len;
					if (size > 2)
						in[2] = ptr;
					n = reverse(test, in, size, out, &hop);
					if (!n)
						continue;
					routes++;
					KUNIT_EXPECT_LE(test, n, size);
					KUNIT_EXPECT_EQ(test, n, out[1]);
					KUNIT_EXPECT_EQ(test, (n - 3) % 4, 0U);
					KUNIT_EXPECT_EQ(test, out[2], 4);
				}
	KUNIT_EXPECT_GT(test, routes, 0U);
}

static struct kunit_case xtcp_srroute_cases[] = {
	KUNIT_CASE(srr_one_hop),
	KUNIT_CASE(srr_three_hops),
	KUNIT_CASE(srr_strict),
	KUNIT_CASE(srr_part_passed),
	KUNIT_CASE(srr_pointer_far_past),
	KUNIT_CASE(srr_source_recorded),
	KUNIT_CASE(srr_among_options),
	KUNIT_CASE(srr_none),
	KUNIT_CASE(srr_bad_lengths),
	KUNIT_CASE(srr_bad_pointers),
	KUNIT_CASE(srr_two_routes_or_too_long),
	KUNIT_CASE(srr_all_short_lists),
	{}
};

static struct kunit_suite xtcp_srroute_suite = {
	.name = "xtcp_srroute",
	.test_cases = xtcp_srroute_cases,
};

kunit_test_suite(xtcp_srroute_suite);
