// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: when in-order data is acknowledged (include/xtcp/ackpolicy.h): at once
 * after a hole filled or while one remains, and for every second
 * full-sized segment unless the reader is behind by half the window
 * offered; otherwise by the delayed ACK timer. Sequence numbers start
 * just below 2^32, so every case wraps.
 */

#include <kunit/test.h>
#include <xtcp/ackpolicy.h>

#define A	0xfffffc00U	/* RCV.NXT as last acknowledged */
#define MSS	1000U
#define WND	64000U

/*
 * One case: a hole filled, segments out of order, the bytes unacknowledged
 * (RCV.NXT - A), the bytes not yet read (RCV.NXT - copied), the window
 * last offered; and whether the ACK goes now.
 */
struct ack_case {
	const char *name;
	bool filled;
	u32 ooo, unacked, unread, wnd;
	bool now;
};

static const struct ack_case ack_cases[] = {
	{ "nothing_new", false, 0, 0, 0, WND, false },
	{ "one_segment", false, 0, MSS, 0, WND, false },
	{ "just_below_two", false, 0, 2 * MSS - 1, 0, WND, false },
	{ "two_segments", false, 0, 2 * MSS, 0, WND, true },
	{ "many_segments", false, 0, 40 * MSS, 0, WND, true },
	/* The reader behind by half the window: its read sends the ACK. */
	{ "reader_just_behind", false, 0, 2 * MSS, WND / 2 - 1, WND, true },
	{ "reader_half_window_behind", false, 0, 2 * MSS, WND / 2, WND,
	  false },
	{ "reader_far_behind", false, 0, 40 * MSS, WND, WND, false },
	{ "window_closed", false, 0, 2 * MSS, 0, 0, false },
	/* Holes: the sender needs our duplicate ACKs and SACK blocks. */
	{ "hole_filled", true, 0, 1, 0, WND, true },
	{ "hole_filled_reader_behind", true, 0, MSS, WND, WND, true },
	{ "hole_remains", false, 1, MSS, 0, WND, true },
	{ "hole_remains_reader_behind", false, 3, MSS, WND, WND, true },
};

static void ack_desc(const struct ack_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(ack, ack_cases, ack_desc);

static void ack_now_test(struct kunit *test)
{
	const struct ack_case *c = test->param_value;
	const struct xtcp_ack_in in = {
		.filled = c->filled,
		.ooo = c->ooo,
		.rcv_nxt = A + c->unacked,
		.rcv_acked = A,
		.copied_seq = A + c->unacked - c->unread,
		.rcv_wnd = c->wnd,
		.mss = MSS,
	};

	KUNIT_EXPECT_EQ(test, xtcp_ack_now(&in), c->now);
}

/*
 * Segment by segment with a reader that keeps up: every second full
 * segment is acknowledged at once, the one between waits for the timer.
 */
static void ack_every_second_segment(struct kunit *test)
{
	struct xtcp_ack_in in = {
		.rcv_nxt = A, .rcv_acked = A, .copied_seq = A, .rcv_wnd = WND,
		.mss = MSS,
	};
	int i;

	for (i = 1; i <= 6; i++) {
		in.rcv_nxt += MSS;
		in.copied_seq = in.rcv_nxt;
		KUNIT_EXPECT_EQ(test, xtcp_ack_now(&in), !(i % 2));
		if (xtcp_ack_now(&in))
			in.rcv_acked = in.rcv_nxt;
	}
}

static struct kunit_case xtcp_ackpolicy_cases[] = {
	KUNIT_CASE_PARAM(ack_now_test, ack_gen_params),
	KUNIT_CASE(ack_every_second_segment),
	{}
};

static struct kunit_suite xtcp_ackpolicy_suite = {
	.name = "xtcp_ackpolicy",
	.test_cases = xtcp_ackpolicy_cases,
};

kunit_test_suite(xtcp_ackpolicy_suite);
