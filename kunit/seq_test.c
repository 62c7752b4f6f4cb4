// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: sequence number arithmetic (include/xtcp/seq.h), above all where
 * the 32-bit space wraps from 2^32 - 1 to 0.
 */

#include <kunit/test.h>
#include <xtcp/seq.h>

struct seq_order_case {
	const char *name;
	u32 a, b;
	bool before;	/* the expected xtcp_seq_before(a, b) */
};

static const struct seq_order_case seq_order_cases[] = {
	{ "small_before_large", 1, 2, true },
	{ "large_after_small", 2, 1, false },
	{ "equal", 1000, 1000, false },
	{ "zero_after_max", 0xffffffff, 0, true },
	{ "max_before_zero", 0, 0xffffffff, false },
	{ "across_wrap", 0xfffffff0, 0x10, true },
	{ "across_wrap_reverse", 0x10, 0xfffffff0, false },
	{ "just_under_half", 0, 0x7fffffff, true },
	{ "just_over_half", 0, 0x80000001, false },
	{ "half_ahead_of_high", 0x80000000, 0xffffffff, true },
};

static void seq_order_desc(const struct seq_order_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(seq_order, seq_order_cases, seq_order_desc);

/* before, after, leq and geq agree with each other on every pair. */
static void seq_order_test(struct kunit *test)
{
	const struct seq_order_case *c = test->param_value;
	bool equal = c->a == c->b;

	KUNIT_EXPECT_EQ(test, xtcp_seq_before(c->a, c->b), c->before);
	KUNIT_EXPECT_EQ(test, xtcp_seq_after(c->b, c->a), c->before);
	KUNIT_EXPECT_EQ(test, xtcp_seq_leq(c->a, c->b), c->before || equal);
	KUNIT_EXPECT_EQ(test, xtcp_seq_geq(c->b, c->a), c->before || equal);
	KUNIT_EXPECT_EQ(test, xtcp_seq_after(c->a, c->b), !c->before && !equal);
}

/*
 * Exactly 2^31 apart, each number is "before" the other: the space is
 * ambiguous there, which is why windows must stay below 2^31 (RFC 7323).
 */
static void seq_antipode_is_ambiguous(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(5, 5 + 0x80000000u));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(5 + 0x80000000u, 5));
}

static void seq_between_handles_wrap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(10, 10, 20));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(10, 20, 20));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(10, 15, 20));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(10, 9, 20));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(10, 21, 20));
	/* A range that spans the wrap. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xfffffff0, 0xffffffff, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xfffffff0, 0, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xfffffff0, 5, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0xfffffff0, 0x11, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0xfffffff0, 0xffffffef, 0x10));
	/* A one-number range holds just that number. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(7, 7, 7));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(7, 8, 7));
	/* Ranges of 2^31 and more still work: offsets are measured from lo. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0, 0xc0000000, 0xf0000000));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0x10, 0x8, 0xf0000000));
}

static void seq_in_window_handles_wrap(struct kunit *test)
{
	/* [start, start + len) */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(100, 100, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(109, 100, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(110, 100, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(99, 100, 10));
	/* A zero window holds nothing, not even its left edge. */
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(100, 100, 0));
	/* Across the wrap. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(0xffffffff, 0xfffffffe, 4));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(1, 0xfffffffe, 4));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(2, 0xfffffffe, 4));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(0xfffffffd, 0xfffffffe, 4));
}

static void seq_min_max_handle_wrap(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_seq_max(1, 2), 2u);
	KUNIT_EXPECT_EQ(test, xtcp_seq_min(1, 2), 1u);
	KUNIT_EXPECT_EQ(test, xtcp_seq_max(0xffffffff, 3), 3u);
	KUNIT_EXPECT_EQ(test, xtcp_seq_min(0xffffffff, 3), 0xffffffffu);
	KUNIT_EXPECT_EQ(test, xtcp_seq_max(9, 9), 9u);
}

/* RFC 9293 3.10.7.4: the four cases, at the window's edges and the wrap. */
static void seg_acceptable_four_cases(struct kunit *test)
{
	/* len 0, wnd 0: only exactly RCV.NXT */
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(100, 0, 100, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(100, 0, 101, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(100, 0, 99, 0));
	/* len 0, wnd > 0: RCV.NXT <= SEG.SEQ < RCV.NXT + RCV.WND */
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(100, 10, 100, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(100, 10, 109, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(100, 10, 110, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(100, 10, 99, 0));
	/* len > 0, wnd 0: never */
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(100, 0, 100, 1));
	/* len > 0, wnd > 0: the first or the last byte inside */
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(100, 10, 100, 5));
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(100, 10, 95, 6));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(100, 10, 95, 5));
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(100, 10, 109, 100));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(100, 10, 110, 1));
	/* across the wrap of the sequence space */
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(0xfffffffe, 10, 3, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(0xfffffffe, 10, 0xfffffff0, 16));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(0xfffffffe, 10, 0xfffffff0, 14));
	/* each case's edges across the wrap: zero window, then open */
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(0xffffffff, 0, 0xffffffff, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(0xffffffff, 0, 0, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(0xffffffff, 0, 0xffffffff, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(0xfffffffe, 10, 7, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(0xfffffffe, 10, 8, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(0xfffffffe, 10, 7, 1000));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(0xfffffffe, 10, 8, 1000));
	/* one byte before RCV.NXT (a keepalive probe's) is not acceptable */
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(100, 10, 99, 1));
	/* RFC 7323's largest window */
	KUNIT_EXPECT_TRUE(test, xtcp_seg_acceptable(100, 0x3fffc000, 99 + 0x3fffc000, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seg_acceptable(100, 0x3fffc000, 100 + 0x3fffc000, 0));
}

static struct kunit_case xtcp_seq_cases[] = {
	KUNIT_CASE_PARAM(seq_order_test, seq_order_gen_params),
	KUNIT_CASE(seq_antipode_is_ambiguous),
	KUNIT_CASE(seq_between_handles_wrap),
	KUNIT_CASE(seq_in_window_handles_wrap),
	KUNIT_CASE(seq_min_max_handle_wrap),
	KUNIT_CASE(seg_acceptable_four_cases),
	{}
};

static struct kunit_suite xtcp_seq_suite = {
	.name = "xtcp_seq",
	.test_cases = xtcp_seq_cases,
};

kunit_test_suite(xtcp_seq_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for xtcp");
