// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: initial sequence numbers (mod/isn.c, RFC 6528): a keyed function
 * of the 4-tuple plus a clock that ticks every 4 microseconds.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/math64.h>
#include <linux/timekeeping.h>
#include <xtcp/isn.h>

static const siphash_key_t key_a = { { 0x0706050403020100ULL,
				       0x0f0e0d0c0b0a0908ULL } };
static const siphash_key_t key_b = { { 0x0706050403020100ULL,
				       0x0f0e0d0c0b0a0909ULL } };

/* 10.0.0.1:40000 -> 10.0.0.2:80, at a time that is a whole number of ticks */
#define SADDR	htonl(0x0a000001)
#define DADDR	htonl(0x0a000002)
#define SPORT	htons(40000)
#define DPORT	htons(80)
#define OTHER	htonl(0x0a000003)
#define T0	(1000000ULL * 4000)

static u32 isn_at(const siphash_key_t *key, u64 ns)
{
	return xtcp_isn_compute(key, ns, SADDR, DADDR, SPORT, DPORT);
}

static void isn_is_a_function_of_its_inputs(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, T0), isn_at(&key_a, T0));
	KUNIT_EXPECT_EQ(test, isn_at(&key_b, 12345), isn_at(&key_b, 12345));
}

/* The ISN of a given 4-tuple under key_a at T0. */
static u32 isn_of(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	return xtcp_isn_compute(&key_a, T0, saddr, daddr, sport, dport);
}

/* F covers the whole 4-tuple and the key (RFC 6528 section 3). */
static void isn_changes_with_each_tuple_field_and_the_key(struct kunit *test)
{
	u32 base = isn_at(&key_a, T0);

	KUNIT_EXPECT_NE(test, base, isn_at(&key_b, T0));
	KUNIT_EXPECT_NE(test, base, isn_of(OTHER, DADDR, SPORT, DPORT));
	KUNIT_EXPECT_NE(test, base, isn_of(SADDR, OTHER, SPORT, DPORT));
	KUNIT_EXPECT_NE(test, base, isn_of(SADDR, DADDR, htons(40001), DPORT));
	KUNIT_EXPECT_NE(test, base, isn_of(SADDR, DADDR, SPORT, htons(81)));
}

/* The two ends of one connection, or a port pair reversed, differ. */
static void isn_differs_for_swapped_ports_or_addresses(struct kunit *test)
{
	u32 base = isn_at(&key_a, T0);

	KUNIT_EXPECT_NE(test, base, isn_of(SADDR, DADDR, DPORT, SPORT));
	KUNIT_EXPECT_NE(test, base, isn_of(DADDR, SADDR, SPORT, DPORT));
	KUNIT_EXPECT_NE(test, base, isn_of(DADDR, SADDR, DPORT, SPORT));
}

/* M: one tick per 4 microseconds, and none in between. */
static void isn_clock_adds_one_every_4us(struct kunit *test)
{
	u32 base = isn_at(&key_a, T0);

	KUNIT_EXPECT_EQ(test, isn_at(&key_a, T0 + 3999), base);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, T0 + 4000), base + 1);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, T0 + 7999), base + 1);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, T0 + 8000), base + 2);
	/* 4 seconds: a million ticks */
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, T0 + 4000000000ULL),
			base + 1000000u);
}

/* M is 32 bits: 2^32 ticks (about 4.77 hours) later it is back again. */
static void isn_clock_wraps_after_2_to_the_32_ticks(struct kunit *test)
{
	u64 wrap = 4000ULL << 32;
	u32 base = isn_at(&key_a, T0);

	KUNIT_EXPECT_EQ(test, isn_at(&key_a, T0 + wrap), base);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, T0 + wrap - 4000), base - 1);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, T0 + 3 * wrap + 4000), base + 1);
}

/*
 * xtcp_isn() runs on the kernel's nanosecond clock: two ISNs for one
 * 4-tuple are as many ticks apart as the time between the calls.
 */
static void isn_advances_with_the_kernel_clock(struct kunit *test)
{
	u64 t0, t1, t2, t3;
	unsigned int i;
	u32 a, b;

	xtcp_isn_init();
	t0 = ktime_get_ns();
	a = xtcp_isn(SADDR, DADDR, SPORT, DPORT);
	t1 = ktime_get_ns();
	/* At least 100 ticks pass between the two calls. */
	for (i = 0; i < 1000 && ktime_get_ns() - t1 < 100 * 4000; i++)
		usleep_range(50, 100);
	t2 = ktime_get_ns();
	b = xtcp_isn(SADDR, DADDR, SPORT, DPORT);
	t3 = ktime_get_ns();

	KUNIT_ASSERT_GE(test, t2 - t1, 100ULL * 4000);
	KUNIT_EXPECT_GE(test, b - a + 1, (u32)div_u64(t2 - t1, 4000));
	KUNIT_EXPECT_LE(test, b - a, (u32)div_u64(t3 - t0, 4000) + 1);
}

static struct kunit_case xtcp_isn_cases[] = {
	KUNIT_CASE(isn_is_a_function_of_its_inputs),
	KUNIT_CASE(isn_changes_with_each_tuple_field_and_the_key),
	KUNIT_CASE(isn_differs_for_swapped_ports_or_addresses),
	KUNIT_CASE(isn_clock_adds_one_every_4us),
	KUNIT_CASE(isn_clock_wraps_after_2_to_the_32_ticks),
	KUNIT_CASE(isn_advances_with_the_kernel_clock),
	{}
};

static struct kunit_suite xtcp_isn_suite = {
	.name = "xtcp_isn",
	.test_cases = xtcp_isn_cases,
};

kunit_test_suite(xtcp_isn_suite);
