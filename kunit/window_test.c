// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the receive window (include/xtcp/window.h): what is left of the window
 * offered, across the wrap; the window to offer, at the silly window
 * threshold min(buffer / 2, MSS), at the 16-bit field's limit per scale,
 * rounded to the scale unit without moving the right edge back, and
 * closed; and when a reader's progress is worth a window update.
 */

#include <kunit/test.h>
#include <xtcp/window.h>

#define N	0xffffc000U	/* RCV.NXT: offered windows wrap */
#define MSS	1460U
#define BUF	131072U

#define WINDOW_PARAMS(kind)						\
static void kind##_desc(const struct kind##_case *c, char *desc)	\
{									\
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);		\
}									\
KUNIT_ARRAY_PARAM(kind, kind##_cases, kind##_desc)

struct left_case {
	const char *name;
	u32 rcv_nxt, rcv_adv, left;
};

static const struct left_case left_cases[] = {
	{ "open", 1000, 5000, 4000 },
	{ "used_up", 5000, 5000, 0 },
	{ "overrun", 5001, 5000, 0 },
	{ "across_wrap", 0xfffffff0, 0x10, 0x20 },
	{ "overrun_across_wrap", 0x10, 0xfffffff0, 0 },
};

WINDOW_PARAMS(left);

static void rwnd_left_test(struct kunit *test)
{
	const struct left_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_rwnd_left(c->rcv_nxt, c->rcv_adv), c->left);
}

/* The free space, what is left of the offer, the buffer, MSS, scale. */
struct calc_case {
	const char *name;
	u32 space, left, rcvbuf, mss;
	u8 wscale;
	u32 wnd;
};

static const struct calc_case calc_cases[] = {
	{ "fresh", 65535, 0, BUF, MSS, 0, 65535 },
	{ "closed", 0, 0, BUF, MSS, 0, 0 },
	/* The 16-bit field's limit, times the scale unit. */
	{ "field_limit_unscaled", 200000, 0, BUF, MSS, 0, 65535 },
	{ "below_limit_scaled", 200000, 0, BUF, MSS, 2, 200000 },
	{ "field_limit_scaled", 300000, 0, BUF, MSS, 2, 65535U << 2 },
	{ "field_limit_largest_scale", 0x7fffffff, 0, BUF, MSS, 14,
	  65535U << 14 },
	/* Receiver SWS avoidance: grow by min(rcvbuf / 2, MSS) or not. */
	{ "grow_below_mss", 10000 + MSS - 1, 10000, BUF, MSS, 0, 10000 },
	{ "grow_by_mss", 10000 + MSS, 10000, BUF, MSS, 0, 10000 + MSS },
	{ "small_buffer_unit", 10000 + 999, 10000, 2000, MSS, 0, 10000 },
	{ "small_buffer_unit_met", 10000 + 1000, 10000, 2000, MSS, 0, 11000 },
	{ "grow_from_closed_below_mss", MSS - 1, 0, BUF, MSS, 0, 0 },
	{ "grow_from_closed_by_mss", MSS, 0, BUF, MSS, 0, MSS },
	/* SHLD-14: the right edge never moves back. */
	{ "no_shrink", 3000, 5000, BUF, MSS, 0, 5000 },
	{ "no_shrink_when_full", 0, 5000, BUF, MSS, 0, 5000 },
	/* Whole units of 2^wscale; up only to keep the edge. */
	{ "round_down_space", 100000, 0, BUF, MSS, 7, 99968 },
	{ "round_up_offer", 1000, 1000, BUF, MSS, 7, 1024 },
	{ "round_up_offer_no_space", 0, 1000, BUF, MSS, 7, 1024 },
	{ "round_down_grown", 1000 + 2 * MSS, 1000, BUF, MSS, 7, 3840 },
	{ "exact_unit", 4096, 0, BUF, MSS, 7, 4096 },
	/* Less than one unit of space: offered as closed. */
	{ "below_one_unit", 127, 0, 200, 100, 7, 0 },
};

WINDOW_PARAMS(calc);

static void rwnd_calc_test(struct kunit *test)
{
	const struct calc_case *c = test->param_value;
	const struct xtcp_rwnd_in in = {
		.space = c->space,
		.rcv_nxt = N,
		.rcv_adv = N + c->left,
		.rcvbuf = c->rcvbuf,
		.mss = c->mss,
		.wscale = c->wscale,
	};
	u32 wnd = xtcp_rwnd_calc(&in);

	KUNIT_EXPECT_EQ(test, wnd, c->wnd);
	KUNIT_EXPECT_EQ(test, wnd % (1U << c->wscale), 0u);
	KUNIT_EXPECT_GE(test, wnd, c->left);
}

/* After the peer overran the edge (RCV.NXT past it), nothing is kept. */
static void rwnd_calc_edge_passed(struct kunit *test)
{
	struct xtcp_rwnd_in in = {
		.space = 500, .rcv_nxt = N + 10, .rcv_adv = N, .rcvbuf = BUF,
		.mss = MSS, .wscale = 0,
	};

	KUNIT_EXPECT_EQ(test, xtcp_rwnd_calc(&in), 0u);
	/* Unless the space is enough to grow into. */
	in.space = MSS;
	KUNIT_EXPECT_EQ(test, xtcp_rwnd_calc(&in), MSS);
}

/* What is left, the window now, our MSS, the buffer: update or not. */
struct due_case {
	const char *name;
	u32 cur, wnd, mss, rcvbuf;
	bool due;
};

static const struct due_case due_cases[] = {
	{ "unchanged", 10000, 10000, 1000, 100000, false },
	{ "closed_stays_closed", 0, 0, 1000, 100000, false },
	{ "grew_below_two_mss", 10000, 11999, 1000, 100000, false },
	{ "grew_two_mss", 10000, 12000, 1000, 100000, true },
	{ "grew_below_quarter_buffer", 10000, 10999, 1000, 4000, false },
	{ "grew_quarter_buffer", 10000, 11000, 1000, 4000, true },
	{ "opens_to_one_mss", 999, 1000, 1000, 100000, true },
	{ "opens_from_closed", 0, 1000, 1000, 100000, true },
	{ "opens_below_one_mss", 0, 999, 1000, 100000, false },
	{ "was_one_mss_already", 1000, 1999, 1000, 100000, false },
};

WINDOW_PARAMS(due);

static void rwnd_update_due_test(struct kunit *test)
{
	const struct due_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_rwnd_update_due(c->cur, c->wnd, c->mss,
						   c->rcvbuf), c->due);
}

static struct kunit_case xtcp_window_cases[] = {
	KUNIT_CASE_PARAM(rwnd_left_test, left_gen_params),
	KUNIT_CASE_PARAM(rwnd_calc_test, calc_gen_params),
	KUNIT_CASE(rwnd_calc_edge_passed),
	KUNIT_CASE_PARAM(rwnd_update_due_test, due_gen_params),
	{}
};

static struct kunit_suite xtcp_window_suite = {
	.name = "xtcp_window",
	.test_cases = xtcp_window_cases,
};

kunit_test_suite(xtcp_window_suite);
