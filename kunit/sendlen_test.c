// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: how much new data the next segment carries (include/xtcp/sendlen.h):
 * what the peer's window leaves beyond SND.NXT, both windows, Nagle's
 * algorithm with and without unacknowledged data, TCP_NODELAY, TCP_CORK,
 * a FIN or urgent data flushing the tail, the resending after an RTO, and
 * sender silly window avoidance at its threshold of half the largest
 * window offered (RFC 9293 3.8.6.2.1).
 *
 * Sequence numbers are offsets from B, just below 2^32, so every case
 * wraps.
 */

#include <kunit/test.h>
#include <xtcp/sendlen.h>

#define B	0xfffffc00U
#define MSS	1000U
#define WND	65535U

#define FIN	BIT(0)
#define URG	BIT(1)
#define CORK	BIT(2)
#define NODELAY	BIT(3)

/*
 * One case: SND.UNA, SND.NXT, SND.MAX and the end of the queue as offsets
 * from B; the peer's window, the largest it offered, the congestion
 * window's room, the flags; and the length expected.
 */
struct len_case {
	const char *name;
	u32 una, nxt, max, end;
	u32 wnd, max_wnd, room;
	u32 flags;
	u32 len;
};

static const struct len_case len_cases[] = {
	/* The windows */
	{ "full_segment", 0, 0, 0, 5000, WND, WND, 10 * MSS, 0, MSS },
	{ "nothing_queued", 0, 0, 0, 0, WND, WND, 10 * MSS, 0, 0 },
	{ "all_sent", 0, 5000, 5000, 5000, WND, WND, 10 * MSS, NODELAY, 0 },
	{ "zero_window", 0, 0, 0, 5000, 0, WND, 10 * MSS, NODELAY, 0 },
	{ "window_used_up", 0, 3000, 3000, 5000, 3000, WND, 10 * MSS,
	  NODELAY, 0 },
	{ "window_shrunk_below_flight", 0, 3000, 3000, 5000, 1000, WND,
	  10 * MSS, NODELAY, 0 },
	{ "cwnd_room_exact", 0, 0, 0, 5000, WND, WND, MSS, 0, MSS },
	{ "cwnd_room_short", 0, 0, 0, 5000, WND, WND, MSS - 1, NODELAY, 0 },
	{ "cwnd_room_zero", 0, 0, 0, 5000, WND, WND, 0, NODELAY, 0 },
	{ "tail_fits_cwnd_room", 0, 0, 0, 300, WND, WND, 300, 0, 300 },
	{ "tail_beyond_cwnd_room", 0, 0, 0, 300, WND, WND, 299, 0, 0 },
	/* Full-sized segments wait for nothing. */
	{ "full_with_unacked", 0, 1000, 1000, 5000, WND, WND, 10 * MSS, 0,
	  MSS },
	{ "full_while_corked", 0, 0, 0, 5000, WND, WND, 10 * MSS, CORK, MSS },
	{ "tail_exactly_mss", 0, 1000, 1000, 2000, WND, WND, 10 * MSS, CORK,
	  MSS },
	/* Nagle (RFC 9293 3.7.4): a short tail waits while data is unacked. */
	{ "nagle_idle", 0, 0, 0, 300, WND, WND, 10 * MSS, 0, 300 },
	{ "nagle_unacked", 0, 1000, 1000, 1300, WND, WND, 10 * MSS, 0, 0 },
	{ "nagle_one_byte_unacked", 0, 1, 1, 2, WND, WND, 10 * MSS, 0, 0 },
	{ "nodelay_unacked", 0, 1000, 1000, 1300, WND, WND, 10 * MSS, NODELAY,
	  300 },
	{ "nagle_all_acked", 1000, 1000, 1000, 1300, WND, WND, 10 * MSS, 0,
	  300 },
	/* TCP_CORK holds the tail even with nothing unacknowledged. */
	{ "cork_idle", 0, 0, 0, 300, WND, WND, 10 * MSS, CORK, 0 },
	{ "cork_beats_nodelay", 0, 0, 0, 300, WND, WND, 10 * MSS,
	  CORK | NODELAY, 0 },
	/* A queued FIN or urgent data flushes the tail. */
	{ "fin_flushes_cork", 0, 0, 0, 300, WND, WND, 10 * MSS, CORK | FIN,
	  300 },
	{ "fin_flushes_nagle", 0, 1000, 1000, 1300, WND, WND, 10 * MSS, FIN,
	  300 },
	{ "urg_flushes_cork", 0, 0, 0, 300, WND, WND, 10 * MSS, CORK | URG,
	  300 },
	{ "urg_flushes_nagle", 0, 1000, 1000, 1300, WND, WND, 10 * MSS, URG,
	  300 },
	/* Going back after an RTO: what was sent before goes again at once. */
	{ "resend_full_segment", 0, 0, 1300, 1300, WND, WND, 10 * MSS, CORK,
	  MSS },
	{ "resend_last_piece", 0, 1000, 1300, 1300, WND, WND, 10 * MSS, CORK,
	  300 },
	{ "resend_window_limited", 0, 0, 3000, 3000, 400, 65535, 10 * MSS, 0,
	  400 },
	/*
	 * Sender SWS avoidance: a segment cut short by the peer's window,
	 * with more queued, goes only if it is at least half the largest
	 * window the peer ever offered.
	 */
	{ "sws_below_half", 0, 0, 0, 5000, 400, 1000, 10 * MSS, NODELAY, 0 },
	{ "sws_half_exact", 0, 0, 0, 5000, 400, 800, 10 * MSS, 0, 400 },
	{ "sws_half_odd_max", 0, 0, 0, 5000, 400, 801, 10 * MSS, 0, 400 },
	{ "sws_just_below_half", 0, 0, 0, 5000, 400, 802, 10 * MSS, NODELAY,
	  0 },
	{ "sws_rest_of_window", 0, 600, 600, 5000, 1000, 1000, 10 * MSS, 0,
	  0 },
	{ "sws_small_peer_window", 0, 0, 0, 5000, 500, 500, 10 * MSS, 0,
	  500 },
	/* The window holds all that is queued: Nagle, not SWS, decides. */
	{ "window_fits_tail", 0, 0, 0, 400, 400, WND, 10 * MSS, 0, 400 },
	{ "window_fits_tail_unacked", 0, 100, 100, 500, 500, WND, 10 * MSS,
	  0, 0 },
};

static void len_desc(const struct len_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(len, len_cases, len_desc);

static void next_len_test(struct kunit *test)
{
	const struct len_case *c = test->param_value;
	const struct xtcp_send_in in = {
		.snd_una = B + c->una,
		.snd_nxt = B + c->nxt,
		.snd_max = B + c->max,
		.end = B + c->end,
		.snd_wnd = c->wnd,
		.max_window = c->max_wnd,
		.cwnd_room = c->room,
		.smss = MSS,
		.fin = c->flags & FIN,
		.urg = c->flags & URG,
		.cork = c->flags & CORK,
		.nodelay = c->flags & NODELAY,
	};

	KUNIT_EXPECT_EQ(test, xtcp_next_len(&in), c->len);
}

/*
 * Segment by segment, as xtcp_push() asks: 3300 bytes in a large window
 * go as three full segments; the 300-byte tail waits for Nagle until
 * the ACK of everything before it, then goes.
 */
static void next_len_segment_by_segment(struct kunit *test)
{
	struct xtcp_send_in in = {
		.snd_una = B, .snd_nxt = B, .snd_max = B, .end = B + 3300,
		.snd_wnd = WND, .max_window = WND, .cwnd_room = 10 * MSS,
		.smss = MSS,
	};
	u32 len, sent = 0;

	while ((len = xtcp_next_len(&in))) {
		KUNIT_EXPECT_EQ(test, len, MSS);
		in.snd_nxt += len;
		in.snd_max = in.snd_nxt;
		in.cwnd_room -= len;
		sent += len;
	}
	KUNIT_EXPECT_EQ(test, sent, 3 * MSS);
	in.snd_una = in.snd_max;
	in.snd_wnd = WND;
	KUNIT_EXPECT_EQ(test, xtcp_next_len(&in), 300u);
}

/*
 * What the window leaves beyond SND.NXT, SND.UNA + SND.WND - SND.NXT:
 * across 2^32 whichever of the three lies beyond it, up to a scaled
 * window of 2^30; nothing once SND.NXT reaches the right edge, nor when
 * the peer moved that edge back below what is in flight (MUST-34): then
 * the difference would wrap to nearly 4 GB.
 */
static void snd_wnd_left(struct kunit *test)
{
	/* SND.UNA and SND.NXT below 2^32, the right edge beyond it. */
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, 0, B), 0u);
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, WND, B), WND);
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, WND, B + 1000),
			WND - 1000);
	/* SND.UNA below 2^32, SND.NXT and the edge beyond it. */
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, WND, B + 2000),
			WND - 2000);
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, WND, B + WND - 1), 1u);
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, WND, B + WND), 0u);
	/* The largest scaled window, 65535 << 14. */
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, 65535U << 14, B + 1),
			(65535U << 14) - 1);
	/* Shrunk below SND.NXT, across 2^32 and not. */
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, 1000, B + 1001), 0u);
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, 500, B + 3000), 0u);
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B + 2000, 1000, B + 5000), 0u);
	/* A window closed under data in flight. */
	KUNIT_EXPECT_EQ(test, xtcp_snd_wnd_left(B, 0, B + 3000), 0u);
}

/*
 * TCP_NOTSENT_LOWAT: send() stops at the mark, poll() and the wakeup at
 * half of it; the default, UINT_MAX, never stops anything, even with
 * more than 2 GB unsent; a mark of 0 would stop everything (the caller
 * replaces the option's 0 by the sysctl first).
 */
static void notsent_lowat(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_notsent_ok(16383, 16384, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_notsent_ok(16384, 16384, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_notsent_ok(8191, 16384, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_notsent_ok(8192, 16384, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_notsent_ok(0, 1, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_notsent_ok(0, 0, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_notsent_ok(0x7fffffff, UINT_MAX, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_notsent_ok(0x80000000, UINT_MAX, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_notsent_ok(0xfffffffe, UINT_MAX, 0));
}

static struct kunit_case xtcp_sendlen_cases[] = {
	KUNIT_CASE_PARAM(next_len_test, len_gen_params),
	KUNIT_CASE(next_len_segment_by_segment),
	KUNIT_CASE(snd_wnd_left),
	KUNIT_CASE(notsent_lowat),
	{}
};

static struct kunit_suite xtcp_sendlen_suite = {
	.name = "xtcp_sendlen",
	.test_cases = xtcp_sendlen_cases,
};

kunit_test_suite(xtcp_sendlen_suite);
