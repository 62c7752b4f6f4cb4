// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: urgent pointer arithmetic (include/xtcp/urgent.h): the pointer a
 * segment we send carries and its 64K clamp, the byte a received pointer
 * names, and which received pointers are new, including what a hostile
 * peer may send (0, behind, the same again, far ahead, across the wrap).
 */

#include <kunit/test.h>
#include <xtcp/urgent.h>

struct out_case {
	const char *name;
	u32 seq, snd_up, snd_max;
	bool urg;
	u16 ptr;
};

static const struct out_case out_cases[] = {
	/* send(MSG_OOB) of 1 byte at 1000: the pointer is one past it. */
	{ "one_byte", 1000, 1001, 1000, true, 1 },
	{ "segment_before_up", 1000, 2500, 1000, true, 1500 },
	{ "segment_at_up", 2500, 2500, 2500, false, 0 },
	{ "segment_after_up", 3000, 2500, 3000, false, 0 },
	{ "exactly_64k_minus_1", 1000, 1000 + 0xFFFF, 1000, true, 0xFFFF },
	/* 64K ahead: the largest pointer, into data never sent. */
	{ "64k_ahead_clamped", 1000, 1000 + 0x10000, 1000, true, 0xFFFF },
	{ "1m_ahead_clamped", 1000, 1000 + 0x100000, 1000, true, 0xFFFF },
	/* A retransmission whose clamped pointer would name sent data. */
	{ "rtx_clamp_into_sent", 1000, 1000 + 0x100000, 1000 + 0x20000,
	  false, 0 },
	{ "rtx_clamp_past_sent", 1000, 1000 + 0x100000, 1000 + 0xFFFE,
	  true, 0xFFFF },
	{ "across_wrap", 0xFFFFFFF0, 0x10, 0xFFFFFFF0, true, 0x20 },
	{ "pure_ack_zero_window", 5000, 5001, 5000, true, 1 },
};

static void out_desc(const struct out_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(out, out_cases, out_desc);

static void out_ptr_test(struct kunit *test)
{
	const struct out_case *c = test->param_value;
	u16 ptr = 0;

	KUNIT_EXPECT_EQ(test, xtcp_urg_out_ptr(c->seq, c->snd_up, c->snd_max,
					       &ptr), c->urg);
	if (c->urg)
		KUNIT_EXPECT_EQ(test, ptr, c->ptr);
}

static void byte_seq_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_urg_byte_seq(1000, 1), 1000u);
	KUNIT_EXPECT_EQ(test, xtcp_urg_byte_seq(1000, 100), 1099u);
	/* 0 names the first byte, as Linux reads it. */
	KUNIT_EXPECT_EQ(test, xtcp_urg_byte_seq(1000, 0), 1000u);
	KUNIT_EXPECT_EQ(test, xtcp_urg_byte_seq(1000, 0xFFFF), 1000u + 0xFFFE);
	KUNIT_EXPECT_EQ(test, xtcp_urg_byte_seq(0xFFFFFFFF, 2), 0u);
	/* What we send is what the peer reads back: the last byte sent. */
	KUNIT_EXPECT_EQ(test, xtcp_urg_byte_seq(1000, 2501 - 1000), 2500u);
}

struct new_case {
	const char *name;
	u32 urg, rcv_nxt;
	bool have;
	u32 urg_seq;
	bool is_new;
};

static const struct new_case new_cases[] = {
	{ "first", 1500, 1000, false, 0, true },
	{ "at_rcv_nxt", 1000, 1000, false, 0, true },
	{ "already_received", 999, 1000, false, 0, false },
	{ "far_behind", 1000 - 0x40000000, 1000, false, 0, false },
	{ "same_again", 1500, 1000, true, 1500, false },
	{ "moving_back", 1400, 1000, true, 1500, false },
	{ "advancing", 1600, 1000, true, 1500, true },
	{ "64k_ahead", 1000 + 0xFFFE, 1000, true, 1500, true },
	{ "old_mark_read_past", 1200, 1300, true, 1100, false },
	{ "across_wrap", 0x5, 0xFFFFFFF0, true, 0xFFFFFFF8, true },
	{ "behind_across_wrap", 0xFFFFFFF0, 0x5, false, 0, false },
};

static void new_desc(const struct new_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(new, new_cases, new_desc);

static void is_new_test(struct kunit *test)
{
	const struct new_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_urg_is_new(c->urg, c->rcv_nxt, c->have,
					      c->urg_seq), c->is_new);
}

static struct kunit_case xtcp_urgent_cases[] = {
	KUNIT_CASE_PARAM(out_ptr_test, out_gen_params),
	KUNIT_CASE(byte_seq_test),
	KUNIT_CASE_PARAM(is_new_test, new_gen_params),
	{}
};

static struct kunit_suite xtcp_urgent_suite = {
	.name = "xtcp_urgent",
	.test_cases = xtcp_urgent_cases,
};

kunit_test_suite(xtcp_urgent_suite);
