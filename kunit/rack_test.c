// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: RACK-TLP's pure logic (mod/rack.c): the log of transmissions,
 * RACK's delivery and loss test, the reordering window, the probe
 * timeout, PRR's send quota; and the scoreboard's RACK watermark
 * (mod/sackboard.c).
 * Sequence numbers start just below 2^32 so that every case wraps.
 */

#include <kunit/test.h>
#include <xtcp/rack.h>
#include <xtcp/sackboard.h>

#define B	0xfffff000U	/* the first sequence number: ranges wrap */
#define MSS	1000

/* Segments sent at 1000, 2000, ... us; each is one entry (no grain). */
static void send_segs(struct xtcp_rack *r, int n, u32 t0)
{
	int i;

	for (i = 0; i < n; i++)
		xtcp_rack_log_sent(r, B + i * MSS, MSS, false,
				   t0 + i * 2 * XTCP_RACK_GRAIN_US);
}

static void rack_sent_after_breaks_ties_by_sequence(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_rack_sent_after(2, B, 1, B + 10));
	KUNIT_EXPECT_FALSE(test, xtcp_rack_sent_after(1, B + 10, 2, B));
	/* One burst: the same time, the higher segment went later. */
	KUNIT_EXPECT_TRUE(test, xtcp_rack_sent_after(5, B + 2000, 5, B + 1000));
	KUNIT_EXPECT_FALSE(test, xtcp_rack_sent_after(5, B + 1000, 5, B + 1000));
	/* Times wrap too. */
	KUNIT_EXPECT_TRUE(test, xtcp_rack_sent_after(3, B, 0xfffffff0U, B));
}

static void rack_log_merges_within_the_grain(struct kunit *test)
{
	struct xtcp_rack_xmit log[XTCP_RACK_LOG];
	struct xtcp_rack r = { .log = log };

	xtcp_rack_reset(&r, 100);
	xtcp_rack_log_sent(&r, B, MSS, false, 1000);
	xtcp_rack_log_sent(&r, B + MSS, MSS, false, 1500);
	KUNIT_EXPECT_EQ(test, r.nr, 1);
	KUNIT_EXPECT_EQ(test, r.log[0].end, B + 2 * MSS);
	KUNIT_EXPECT_EQ(test, r.log[0].t, 1500U);
	/* Past the grain, a gap, or a retransmission: an entry each. */
	xtcp_rack_log_sent(&r, B + 2 * MSS, MSS, false,
			   1500 + XTCP_RACK_GRAIN_US);
	xtcp_rack_log_sent(&r, B + 4 * MSS, MSS, false, 2600);
	xtcp_rack_log_sent(&r, B + 5 * MSS, MSS, true, 2601);
	KUNIT_EXPECT_EQ(test, r.nr, 4);
	KUNIT_EXPECT_EQ(test, xtcp_rack_last_sent(&r, B, B + MSS), 1500U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_last_sent(&r, B + 3 * MSS, B + 4 * MSS),
			100U);	/* never logged: the floor */
	/* SND.UNA past the first two: they leave, their time the floor. */
	xtcp_rack_log_acked(&r, B + 3 * MSS);
	KUNIT_EXPECT_EQ(test, r.nr, 2);
	KUNIT_EXPECT_EQ(test, r.floor_t, 1500U + XTCP_RACK_GRAIN_US);
}

/* Without a log (not allocated yet, or no memory): the floor is all. */
static void rack_without_a_log_keeps_only_the_floor(struct kunit *test)
{
	struct xtcp_rack r = { };

	xtcp_rack_reset(&r, 100);
	xtcp_rack_log_sent(&r, B, MSS, false, 1000);
	xtcp_rack_log_sent(&r, B + MSS, MSS, true, 2001);
	KUNIT_EXPECT_EQ(test, r.nr, 0);
	KUNIT_EXPECT_EQ(test, r.floor_t, 2000U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_last_sent(&r, B, B + MSS), 2000U);
	xtcp_rack_log_acked(&r, B + MSS);
	KUNIT_EXPECT_EQ(test, r.floor_t, 2000U);
}

static void rack_full_log_keeps_the_newest(struct kunit *test)
{
	struct xtcp_rack_xmit log[XTCP_RACK_LOG];
	struct xtcp_rack r = { .log = log };
	int n = XTCP_RACK_LOG + 3;

	xtcp_rack_reset(&r, 0);
	send_segs(&r, n, 1000);
	KUNIT_EXPECT_EQ(test, r.nr, XTCP_RACK_LOG);
	/* The third segment fell out: the floor is its time. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_last_sent(&r, B + MSS, B + 2 * MSS),
			1000U + 2 * 2 * XTCP_RACK_GRAIN_US);
	KUNIT_EXPECT_EQ(test, xtcp_rack_last_sent(&r, B + (n - 1) * MSS,
						  B + n * MSS),
			1000U + (n - 1) * 2 * XTCP_RACK_GRAIN_US);
}

/*
 * Ten segments, 2 ms apart; the third is lost, the fourth SACKed 20 ms
 * after it went: the third went 2 ms before it. With a 1 ms window it is
 * lost at once; with a 5 ms window it is not, and will be 3 ms later.
 */
static void rack_loses_what_was_sent_before_the_window(struct kunit *test)
{
	struct xtcp_rack_xmit log[XTCP_RACK_LOG];
	struct xtcp_rack r = { .log = log };
	u32 sent4 = 1000 + 3 * 2000, now = sent4 + 20000, wait = 0;
	u32 t3;

	xtcp_rack_reset(&r, 0);
	send_segs(&r, 10, 1000);
	KUNIT_EXPECT_TRUE(test, xtcp_rack_delivered(&r, B + 3 * MSS,
						    B + 4 * MSS, now));
	KUNIT_EXPECT_EQ(test, r.xmit_t, sent4);
	KUNIT_EXPECT_EQ(test, r.end_seq, B + 4 * MSS);
	KUNIT_EXPECT_EQ(test, r.rtt_us, 20000U);
	KUNIT_EXPECT_EQ(test, r.min_rtt_us, 20000U);
	t3 = xtcp_rack_last_sent(&r, B + 2 * MSS, B + 3 * MSS);
	KUNIT_EXPECT_TRUE(test, xtcp_rack_is_lost(&r, t3, B + 3 * MSS, 1000,
						  now, &wait));
	KUNIT_EXPECT_FALSE(test, xtcp_rack_is_lost(&r, t3, B + 3 * MSS, 5000,
						   now, &wait));
	KUNIT_EXPECT_EQ(test, wait, 3000U);
	/* Three ms on, it is. */
	KUNIT_EXPECT_TRUE(test, xtcp_rack_is_lost(&r, t3, B + 3 * MSS, 5000,
						  now + 3000, &wait));
	/* A segment sent after RACK's is never lost by it. */
	wait = 7;
	KUNIT_EXPECT_FALSE(test, xtcp_rack_is_lost(&r, sent4 + 2000,
						   B + 5 * MSS, 0, now + 99999,
						   &wait));
	KUNIT_EXPECT_EQ(test, wait, 7U);
	/* An older delivery does not move RACK back. */
	KUNIT_EXPECT_FALSE(test, xtcp_rack_delivered(&r, B, B + MSS, now));
	KUNIT_EXPECT_EQ(test, r.xmit_t, sent4);
}

/*
 * A retransmission acknowledged sooner than the least RTT may be the
 * original's ACK: it does not move RACK.
 */
static void rack_ignores_an_ambiguous_retransmission(struct kunit *test)
{
	struct xtcp_rack_xmit log[XTCP_RACK_LOG];
	struct xtcp_rack r = { .log = log };
	u32 t;

	xtcp_rack_reset(&r, 0);
	send_segs(&r, 4, 1000);
	xtcp_rack_delivered(&r, B + MSS, B + 2 * MSS, 30000);	/* rtt 27 ms */
	t = r.xmit_t;
	xtcp_rack_log_sent(&r, B, MSS, true, 40000);
	KUNIT_EXPECT_FALSE(test, xtcp_rack_delivered(&r, B, B + MSS, 41000));
	KUNIT_EXPECT_EQ(test, r.xmit_t, t);
	/* A full RTT later it counts. */
	KUNIT_EXPECT_TRUE(test, xtcp_rack_delivered(&r, B, B + MSS, 70000));
	KUNIT_EXPECT_EQ(test, r.xmit_t, 40000U);
}

static void rack_reo_wnd_follows_rfc8985(struct kunit *test)
{
	/* A quarter of the least RTT, at most SRTT. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(40000, 50000, false, false,
						false, 1), 10000U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(40000, 8000, false, false,
						false, 1), 8000U);
	/* No reordering seen: none in recovery or past DupThresh. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(40000, 50000, false, true,
						false, 1), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(40000, 50000, false, false,
						true, 1), 0U);
	/* Reordering seen: the window stays. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(40000, 50000, true, true,
						true, 1), 10000U);
}

/* D-SACKs: a quarter more per round trip, kept for 16 recoveries. */
static void rack_reo_wnd_grows_with_dsacks(struct kunit *test)
{
	struct xtcp_rack r = { .reord = 1 };
	int i;

	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(40000, 50000, true, true, true,
						r.reo_mult), 10000U);
	xtcp_rack_dsack(&r, 1000, 5000, true);
	KUNIT_EXPECT_EQ(test, r.reo_mult, 2);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(40000, 50000, true, true, true,
						r.reo_mult), 20000U);
	/* The same round trip: once. */
	xtcp_rack_dsack(&r, 5000, 6000, true);
	KUNIT_EXPECT_EQ(test, r.reo_mult, 2);
	/* The next one: again; never beyond SRTT. */
	xtcp_rack_dsack(&r, 5001, 9000, true);
	KUNIT_EXPECT_EQ(test, r.reo_mult, 3);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(40000, 25000, true, true, true,
						r.reo_mult), 25000U);
	/* No D-SACK: no growth, even in a new round trip. */
	xtcp_rack_dsack(&r, 9001, 9500, false);
	KUNIT_EXPECT_EQ(test, r.reo_mult, 3);
	/* Back to 1 after 16 recoveries. */
	for (i = 0; i < 15; i++)
		xtcp_rack_recovery_done(&r);
	KUNIT_EXPECT_EQ(test, r.reo_mult, 3);
	xtcp_rack_recovery_done(&r);
	KUNIT_EXPECT_EQ(test, r.reo_mult, 1);
	xtcp_rack_recovery_done(&r);
	KUNIT_EXPECT_EQ(test, r.reo_mult, 1);
}

static void tlp_pto_follows_rfc8985(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_tlp_pto(20000, 0, 300000), 40000U);
	/* A lone segment: its ACK may be delayed. */
	KUNIT_EXPECT_EQ(test, xtcp_tlp_pto(20000, 200000, 300000), 240000U);
	/* Never beyond the RTO, never below the floor. */
	KUNIT_EXPECT_EQ(test, xtcp_tlp_pto(20000, 200000, 210000), 210000U);
	KUNIT_EXPECT_EQ(test, xtcp_tlp_pto(100, 0, 300000),
			(u32)XTCP_TLP_MIN_US);
	/* No RTT sample: 1 s. */
	KUNIT_EXPECT_EQ(test, xtcp_tlp_pto(0, 0, 3000000),
			(u32)XTCP_TLP_NO_RTT_US);
}

/*
 * RFC 8985 7.4.2: only a D-SACK that covers the probe's own bytes says
 * the probe was a duplicate; the probe resent [B + 9000, B + 10000).
 */
static void tlp_dsack_only_for_the_probe(struct kunit *test)
{
	struct xtcp_rack r = {
		.tlp_out = 1, .tlp_rxt = 1,
		.tlp_rxt_seq = B + 9000, .tlp_rxt_end = B + 10000,
	};

	KUNIT_EXPECT_TRUE(test, xtcp_tlp_dsack(&r, B + 9000, B + 10000));
	/* wider: merged with a duplicate before it, or with the FIN */
	KUNIT_EXPECT_TRUE(test, xtcp_tlp_dsack(&r, B + 8000, B + 10001));
	/* another range, a part of the probe, one across its end */
	KUNIT_EXPECT_FALSE(test, xtcp_tlp_dsack(&r, B + 3000, B + 4000));
	KUNIT_EXPECT_FALSE(test, xtcp_tlp_dsack(&r, B + 9000, B + 9500));
	KUNIT_EXPECT_FALSE(test, xtcp_tlp_dsack(&r, B + 9500, B + 10500));
	KUNIT_EXPECT_FALSE(test, xtcp_tlp_dsack(&r, B + 10000, B + 11000));
	KUNIT_EXPECT_FALSE(test, xtcp_tlp_dsack(&r, B + 9000, B + 9000));
	/* a FIN probed alone */
	r.tlp_rxt_seq = B + 10000;
	r.tlp_rxt_end = B + 10001;
	KUNIT_EXPECT_TRUE(test, xtcp_tlp_dsack(&r, B + 10000, B + 10001));
	KUNIT_EXPECT_FALSE(test, xtcp_tlp_dsack(&r, B + 9000, B + 10000));
	/* a probe of new data is no duplicate; no probe, no duplicate */
	r.tlp_rxt = 0;
	KUNIT_EXPECT_FALSE(test, xtcp_tlp_dsack(&r, B + 10000, B + 10001));
	r.tlp_rxt = 1;
	r.tlp_out = 0;
	KUNIT_EXPECT_FALSE(test, xtcp_tlp_dsack(&r, B + 10000, B + 10001));
}

/*
 * The scoreboard with RACK's watermark: a hole with one SACKed segment
 * above it is not lost by IsLost(), but is once RACK marks it; pipe and
 * NextSeg follow. SND.UNA past the mark clears it.
 */
static void sackboard_counts_rack_losses(struct kunit *test)
{
	struct xtcp_sackboard sb;
	struct xtcp_sack_block blk = { B + 1 * MSS, B + 2 * MSS };
	u32 seq, len;

	xtcp_sb_reset(&sb);
	xtcp_sb_update(&sb, B, B + 3 * MSS, &blk, 1);
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, B, MSS));
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, B, B + 3 * MSS, B, MSS),
			2U * MSS);
	KUNIT_EXPECT_FALSE(test, xtcp_sb_next_seg(&sb, B, B + 3 * MSS, B, MSS,
						  &seq, &len));
	KUNIT_EXPECT_TRUE(test, xtcp_sb_mark_lost(&sb, B + MSS));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_mark_lost(&sb, B + MSS));
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_lost(&sb, B, MSS));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, B + 2 * MSS, MSS));
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, B, B + 3 * MSS, B, MSS),
			1U * MSS);
	KUNIT_EXPECT_TRUE(test, xtcp_sb_next_seg(&sb, B, B + 3 * MSS, B, MSS,
						 &seq, &len));
	KUNIT_EXPECT_EQ(test, seq, B);
	KUNIT_EXPECT_EQ(test, len, (u32)MSS);
	xtcp_sb_advance(&sb, B + 2 * MSS);
	KUNIT_EXPECT_EQ(test, sb.rack_lost, 0);
}

/*
 * RFC 6937's example (section 6), in bytes, 1000-byte segments: a flight
 * of 20 segments, one lost; ssthresh 10. While pipe is above ssthresh,
 * half a segment per segment delivered; below it, PRR-SSRB: back up to
 * ssthresh at most one segment ahead of delivery.
 */
static void prr_sends_in_proportion_then_ssrb(struct kunit *test)
{
	/* 1 delivered, pipe 18 > 10: 1000 * 10 / 20 = 500 bytes. */
	KUNIT_EXPECT_EQ(test, xtcp_prr_sndcnt(1000, 0, 1000, 18000, 10000,
					      20000, MSS), 500U);
	/* 2 delivered, 1000 sent: 2000 * 10 / 20 - 1000 = 0. */
	KUNIT_EXPECT_EQ(test, xtcp_prr_sndcnt(2000, 1000, 1000, 18000, 10000,
					      20000, MSS), 0U);
	/* 3 delivered, 1000 sent: 1500 - 1000; rounded up to the byte. */
	KUNIT_EXPECT_EQ(test, xtcp_prr_sndcnt(3000, 1000, 1000, 17000, 10000,
					      20000, MSS), 500U);
	KUNIT_EXPECT_EQ(test, xtcp_prr_sndcnt(3001, 1000, 1001, 17000, 10000,
					      20000, MSS), 501U);
	/* pipe 6 < ssthresh 10 after a burst of losses: SSRB, 1 ahead. */
	KUNIT_EXPECT_EQ(test, xtcp_prr_sndcnt(8000, 4000, 2000, 6000, 10000,
					      20000, MSS), 4000U);
	KUNIT_EXPECT_EQ(test, xtcp_prr_sndcnt(8000, 8000, 1000, 6000, 10000,
					      20000, MSS), 2000U);
	/* Never beyond ssthresh. */
	KUNIT_EXPECT_EQ(test, xtcp_prr_sndcnt(8000, 0, 8000, 9500, 10000,
					      20000, MSS), 500U);
}

/*
 * An ECE's reduction (Linux's CWR state): nothing lost, so pipe is the
 * flight, 20 segments, and each ACK delivers one; ssthresh 10 (NewReno)
 * or 14 (CUBIC). The sender sends what xtcp_prr_cwnd() leaves above
 * pipe in whole segments, as xtcp_push() does. The first ACK sends one
 * and no more than two ACKs in a row send nothing (a window cut at once
 * would send nothing for the first 10 or 6 ACKs); over the round trip,
 * one ACK per segment of the flight, exactly ssthresh goes out: the
 * flight ends at ssthresh.
 */
static void prr_walks_an_ece_reduction_down(struct kunit *test)
{
	static const u32 ssthreshes[] = { 10 * MSS, 14 * MSS };
	u32 k, i, flight, out, delivered, cwnd, idle, max_idle;

	for (k = 0; k < ARRAY_SIZE(ssthreshes); k++) {
		u32 ss = ssthreshes[k];

		flight = 20 * MSS;
		out = 0;
		delivered = 0;
		idle = 0;
		max_idle = 0;
		for (i = 0; i < 20; i++) {
			flight -= MSS;
			delivered += MSS;
			cwnd = xtcp_prr_cwnd(delivered, out, MSS, flight, ss,
					     20 * MSS, MSS);
			KUNIT_ASSERT_GE(test, cwnd, flight);
			if (i == 0)
				KUNIT_EXPECT_EQ(test, cwnd - flight, MSS);
			/* whole segments, as the sender cuts them */
			cwnd = flight + (cwnd - flight) / MSS * MSS;
			idle = cwnd == flight ? idle + 1 : 0;
			max_idle = max(max_idle, idle);
			out += cwnd - flight;
			flight = cwnd;
		}
		KUNIT_EXPECT_LE(test, max_idle, 2U);
		KUNIT_EXPECT_EQ(test, out, ss);
		KUNIT_EXPECT_EQ(test, flight, ss);
	}
	/* Pipe already below ssthresh (an application-limited flight): SSRB. */
	KUNIT_EXPECT_EQ(test, xtcp_prr_cwnd(MSS, MSS, MSS, 4 * MSS, 10 * MSS,
					    5 * MSS, MSS), 6 * MSS);
}

static struct kunit_case xtcp_rack_cases[] = {
	KUNIT_CASE(rack_sent_after_breaks_ties_by_sequence),
	KUNIT_CASE(rack_log_merges_within_the_grain),
	KUNIT_CASE(rack_without_a_log_keeps_only_the_floor),
	KUNIT_CASE(rack_full_log_keeps_the_newest),
	KUNIT_CASE(rack_loses_what_was_sent_before_the_window),
	KUNIT_CASE(rack_ignores_an_ambiguous_retransmission),
	KUNIT_CASE(rack_reo_wnd_follows_rfc8985),
	KUNIT_CASE(rack_reo_wnd_grows_with_dsacks),
	KUNIT_CASE(tlp_pto_follows_rfc8985),
	KUNIT_CASE(tlp_dsack_only_for_the_probe),
	KUNIT_CASE(sackboard_counts_rack_losses),
	KUNIT_CASE(prr_sends_in_proportion_then_ssrb),
	KUNIT_CASE(prr_walks_an_ece_reduction_down),
	{}
};

static struct kunit_suite xtcp_rack_suite = {
	.name = "xtcp_rack",
	.test_cases = xtcp_rack_cases,
};

kunit_test_suite(xtcp_rack_suite);
