// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: HyStart++ (RFC 9406; mod/hystart.c) and how the congestion
 * control applies it (mod/cc.c). Rounds are played as ACKs, each with
 * its RTT; the numbers are worked out by hand from RFC 9406 section 4.
 * MSS is 1000 bytes; sequence numbers start at 1000 so that a round of
 * N ACKs of one MSS ends at 1000 + N * 1000.
 */

#include <kunit/test.h>
#include <xtcp/cc.h>
#include <xtcp/hystart.h>
#include <xtcp/rack.h>

#define MSS	1000U
#define MS	1000U	/* microseconds */

/*
 * One round: @n ACKs of one MSS each from *@seq, every one with RTT
 * @rtt_us; the round ends with the first ACK, since windowEnd was set to
 * *@seq when the previous one ended. SND.NXT is always the last ACK's
 * end plus @n MSS (the next round's flight). Returns the last event that
 * was not XTCP_HS_NONE, and how many ACKs in it came, in *@at (1-based).
 */
static enum xtcp_hs_event round_of(struct xtcp_hystart *hs, u32 *seq,
				   unsigned int n, u32 rtt_us,
				   unsigned int *at)
{
	enum xtcp_hs_event last = XTCP_HS_NONE, ev;
	unsigned int i;

	for (i = 1; i <= n; i++) {
		*seq += MSS;
		ev = xtcp_hystart_ack(hs, *seq, *seq + n * MSS, rtt_us);
		if (ev != XTCP_HS_NONE) {
			last = ev;
			if (at)
				*at = i;
		}
	}
	return last;
}

static void hystart_thresh_is_clamped(struct kunit *test)
{
	/* an eighth of lastRoundMinRTT, within [4 ms, 16 ms] */
	KUNIT_EXPECT_EQ(test, xtcp_hystart_rtt_thresh(0), 4 * MS);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_rtt_thresh(10 * MS), 4 * MS);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_rtt_thresh(32 * MS), 4 * MS);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_rtt_thresh(40 * MS), 5 * MS);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_rtt_thresh(100 * MS), 12500);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_rtt_thresh(128 * MS), 16 * MS);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_rtt_thresh(1000 * MS), 16 * MS);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_rtt_thresh(XTCP_HS_RTT_INF - 1),
			16 * MS);
}

static void hystart_off_does_nothing(struct kunit *test)
{
	struct xtcp_hystart hs = { .phase = XTCP_HS_OFF };
	u32 seq = 1000;

	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 20, 10 * MS, NULL),
			XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 20, 500 * MS, NULL),
			XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_growth(&hs, 2 * MSS), 2 * MSS);
}

/*
 * Rounds end by sequence number: the ACK that covers windowEnd ends the
 * round and opens the next, whose end is SND.NXT then; the minimum of the
 * round that ended becomes lastRoundMinRTT.
 */
static void hystart_rounds_end_at_window_end(struct kunit *test)
{
	struct xtcp_hystart hs;

	xtcp_hystart_start(&hs, 5000);
	KUNIT_EXPECT_EQ(test, hs.phase, XTCP_HS_SS);
	KUNIT_EXPECT_EQ(test, hs.last_min_us, XTCP_HS_RTT_INF);
	/* below windowEnd: the first round goes on */
	xtcp_hystart_ack(&hs, 2000, 9000, 30 * MS);
	xtcp_hystart_ack(&hs, 4999, 9000, 20 * MS);
	KUNIT_EXPECT_EQ(test, hs.window_end, 5000);
	KUNIT_EXPECT_EQ(test, hs.cur_min_us, 20 * MS);
	KUNIT_EXPECT_EQ(test, hs.samples, 2);
	/* covering it (here beyond it): a new round, ending at SND.NXT */
	xtcp_hystart_ack(&hs, 6000, 12000, 25 * MS);
	KUNIT_EXPECT_EQ(test, hs.window_end, 12000);
	KUNIT_EXPECT_EQ(test, hs.last_min_us, 20 * MS);
	/* the ACK that ended the round is the new round's first sample */
	KUNIT_EXPECT_EQ(test, hs.cur_min_us, 25 * MS);
	KUNIT_EXPECT_EQ(test, hs.samples, 1);
	/* an ACK without a sample counts for the round, not as a sample */
	xtcp_hystart_ack(&hs, 7000, 12000, 0);
	KUNIT_EXPECT_EQ(test, hs.cur_min_us, 25 * MS);
	KUNIT_EXPECT_EQ(test, hs.samples, 1);
	/* exactly windowEnd ends the round too; no sample: infinity */
	xtcp_hystart_ack(&hs, 12000, 20000, 0);
	KUNIT_EXPECT_EQ(test, hs.window_end, 20000);
	KUNIT_EXPECT_EQ(test, hs.last_min_us, 25 * MS);
	KUNIT_EXPECT_EQ(test, hs.cur_min_us, XTCP_HS_RTT_INF);
	KUNIT_EXPECT_EQ(test, hs.samples, 0);
}

/* Sequence numbers wrap: windowEnd just past 2^32 still ends the round. */
static void hystart_rounds_across_the_wrap(struct kunit *test)
{
	struct xtcp_hystart hs;

	xtcp_hystart_start(&hs, 0xfffffc00U);
	xtcp_hystart_ack(&hs, 0xfffff800U, 0x200, 10 * MS);
	KUNIT_EXPECT_EQ(test, hs.window_end, 0xfffffc00U);
	xtcp_hystart_ack(&hs, 0x100, 0x900, 12 * MS);
	KUNIT_EXPECT_EQ(test, hs.window_end, 0x900);
	KUNIT_EXPECT_EQ(test, hs.last_min_us, 10 * MS);
}

/*
 * A path of 40 ms whose queue starts to fill: RttThresh = 40 / 8 = 5 ms.
 * A round whose least RTT is 44.999 ms stays in slow start; one at 45 ms
 * enters CSS on its 8th sample (N_RTT_SAMPLE), not before, and CSS
 * begins with cssBaselineMinRTT = 45 ms and growth of a quarter.
 */
static void hystart_delay_enters_css_at_the_8th_sample(struct kunit *test)
{
	struct xtcp_hystart hs;
	unsigned int at = 0;
	u32 seq = 1000;

	xtcp_hystart_start(&hs, seq);
	/* round 1: 10 ACKs at 40 ms; there is no last round yet */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 40 * MS, NULL),
			XTCP_HS_NONE);
	/* round 2 at 44.999 ms: just under the threshold */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 44999, NULL),
			XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, hs.phase, XTCP_HS_SS);
	KUNIT_EXPECT_EQ(test, hs.cur_min_us, 44999);

	xtcp_hystart_start(&hs, seq);
	round_of(&hs, &seq, 10, 40 * MS, NULL);
	/* 45 ms: 5 ms more, on the 8th ACK of the round */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 45 * MS, &at),
			XTCP_HS_CSS_ENTER);
	KUNIT_EXPECT_EQ(test, at, 8);
	KUNIT_EXPECT_EQ(test, hs.phase, XTCP_HS_CSS);
	KUNIT_EXPECT_EQ(test, hs.css_base_us, 45 * MS);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_growth(&hs, 2 * MSS), MSS / 2);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_growth(&hs, MSS), MSS / 4);
	/* the threshold follows the last round: 45 / 8 = 5.625 ms */
	KUNIT_EXPECT_EQ(test, xtcp_hystart_rtt_thresh(45 * MS), 5625);
}

/* With fewer than N_RTT_SAMPLE samples in a round, no verdict at all. */
static void hystart_needs_8_samples(struct kunit *test)
{
	struct xtcp_hystart hs;
	u32 seq = 1000;

	xtcp_hystart_start(&hs, seq);
	round_of(&hs, &seq, 7, 10 * MS, NULL);
	/* 7 ACKs a round at 100 ms: far above 10 + 4, never 8 samples */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 7, 100 * MS, NULL),
			XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 7, 200 * MS, NULL),
			XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, hs.phase, XTCP_HS_SS);
	/* the 8th sample of a round decides */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 8, 300 * MS, NULL),
			XTCP_HS_CSS_ENTER);
}

/*
 * The minimum decides, not the last sample: one fast ACK among slow ones
 * keeps a round's minimum low (the queue drained for a moment).
 */
static void hystart_minimum_not_mean(struct kunit *test)
{
	struct xtcp_hystart hs;
	u32 seq = 1000;
	int i;

	xtcp_hystart_start(&hs, seq);
	round_of(&hs, &seq, 10, 20 * MS, NULL);
	/* round 2: one ACK at 21 ms, nine at 90 ms: the minimum is 21 ms */
	seq += MSS;
	KUNIT_EXPECT_EQ(test, xtcp_hystart_ack(&hs, seq, seq + 10 * MSS,
					       21 * MS), XTCP_HS_NONE);
	for (i = 0; i < 9; i++) {
		seq += MSS;
		KUNIT_EXPECT_EQ(test,
				xtcp_hystart_ack(&hs, seq, seq + 10 * MSS,
						 90 * MS), XTCP_HS_NONE);
	}
	KUNIT_EXPECT_EQ(test, hs.phase, XTCP_HS_SS);
	KUNIT_EXPECT_EQ(test, hs.cur_min_us, 21 * MS);
}

/*
 * A long path: lastRoundMinRTT 200 ms would give 25 ms, clamped to 16:
 * 215.9 ms stays in slow start, 216 ms enters CSS.
 */
static void hystart_long_path_uses_16_ms(struct kunit *test)
{
	struct xtcp_hystart hs;
	u32 seq = 1000;

	xtcp_hystart_start(&hs, seq);
	round_of(&hs, &seq, 10, 200 * MS, NULL);
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 215900, NULL),
			XTCP_HS_NONE);
	/* 216 ms is only 0.1 ms over round 2's 215.9: no */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 216 * MS, NULL),
			XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 232 * MS, NULL),
			XTCP_HS_CSS_ENTER);
}

/*
 * CSS whose RTT falls below cssBaselineMinRTT (after its 8 samples) was
 * jitter: slow start resumes, with full growth, and may enter CSS again.
 */
static void hystart_css_resumes_slow_start(struct kunit *test)
{
	struct xtcp_hystart hs;
	unsigned int at = 0;
	u32 seq = 1000;

	xtcp_hystart_start(&hs, seq);
	round_of(&hs, &seq, 10, 10 * MS, NULL);
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 20 * MS, NULL),
			XTCP_HS_CSS_ENTER);
	/* a round at exactly the baseline: CSS goes on */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 20 * MS, NULL),
			XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, hs.phase, XTCP_HS_CSS);
	/* a round at 19.999 ms: below it, on its 8th sample */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 19999, &at),
			XTCP_HS_SS_RESUME);
	KUNIT_EXPECT_EQ(test, at, 8);
	KUNIT_EXPECT_EQ(test, hs.phase, XTCP_HS_SS);
	KUNIT_EXPECT_EQ(test, hs.css_base_us, XTCP_HS_RTT_INF);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_growth(&hs, 2 * MSS), 2 * MSS);
	/* and delay ends slow start again: 19.999 + 4 ms */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 23999, NULL),
			XTCP_HS_CSS_ENTER);
	KUNIT_EXPECT_EQ(test, hs.css_base_us, 23999);
}

/*
 * CSS lasts CSS_ROUNDS = 5 rounds, the one it began in counted: it
 * began in round 2, so rounds 2 to 6 are CSS and the ACK that ends
 * round 6 hands over to congestion avoidance. Then nothing more.
 */
static void hystart_css_ends_after_5_rounds(struct kunit *test)
{
	struct xtcp_hystart hs;
	unsigned int at = 0, r;
	u32 seq = 1000;

	xtcp_hystart_start(&hs, seq);
	round_of(&hs, &seq, 10, 10 * MS, NULL);
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 20 * MS, NULL),
			XTCP_HS_CSS_ENTER);
	for (r = 3; r <= 6; r++)
		KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 30 * MS, NULL),
				XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, hs.phase, XTCP_HS_CSS);
	KUNIT_EXPECT_EQ(test, hs.css_rounds, 4);
	/* round 7's first ACK ends round 6, the 5th of CSS */
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 30 * MS, &at),
			XTCP_HS_EXIT);
	KUNIT_EXPECT_EQ(test, at, 1);
	KUNIT_EXPECT_EQ(test, hs.phase, XTCP_HS_OFF);
	KUNIT_EXPECT_EQ(test, round_of(&hs, &seq, 10, 5 * MS, NULL),
			XTCP_HS_NONE);
}

/* -- through the congestion control (cc.c) -- */

/*
 * One ACK of @acked bytes, as the sender gives it: cwnd grows, then
 * HyStart++ sees the ACK with SND.NXT @len bytes ahead of it (a round
 * that began at this ACK ends @len bytes on) and RTT @rtt_us.
 */
static enum xtcp_hs_event cc_ack(struct xtcp_cc *cc, u32 *seq, u32 acked,
				 u32 len, u32 rtt_us)
{
	*seq += acked;
	xtcp_cc_on_ack(cc, acked, 0);
	return xtcp_cc_on_rtt(cc, *seq, *seq + len, rtt_us);
}

/*
 * A round as a window-limited sender has it: as many ACKs of one MSS as
 * whole segments in cwnd at its start. Returns the last event, and in
 * *@at the ACK (1-based) it came with.
 */
static enum xtcp_hs_event cc_round(struct xtcp_cc *cc, u32 *seq, u32 rtt_us,
				   unsigned int *at)
{
	enum xtcp_hs_event last = XTCP_HS_NONE, ev;
	u32 n = cc->cwnd / MSS, i;

	for (i = 1; i <= n; i++) {
		ev = cc_ack(cc, seq, MSS, n * MSS, rtt_us);
		if (ev != XTCP_HS_NONE) {
			last = ev;
			if (at)
				*at = i;
		}
	}
	return last;
}

/*
 * NewReno from the initial window, 10 segments: round 1 (10 ACKs at 40
 * ms) takes cwnd to 20, round 2 (20 ACKs at 40 ms) to 40. Round 3's RTT
 * is 46 ms, 6 over 40: its 8th ACK enters CSS, cwnd 48 with that ACK's
 * growth; the 32 ACKs left add a quarter MSS each: 56. Rounds 4 to 7 (at
 * 50 ms, not below the baseline) have 56, 70, 87 and 109 ACKs: 70, 87.5,
 * 109.25, 136.5 segments. The first ACK of round 8 adds its quarter
 * (136.75) and ends round 7, CSS's 5th: ssthresh = cwnd. Then one MSS
 * per window: 137 ACKs of 1000 bytes (137000 >= 136750).
 */
static void cc_hystart_newreno_worked(struct kunit *test)
{
	struct xtcp_cc cc;
	unsigned int at = 0;
	u32 seq = 1000, i;

	xtcp_cc_init(&cc, &xtcp_cc_newreno, MSS, 0);
	xtcp_cc_hystart_start(&cc, seq);
	KUNIT_ASSERT_EQ(test, cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc_round(&cc, &seq, 40 * MS, NULL), XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	KUNIT_EXPECT_EQ(test, cc_round(&cc, &seq, 40 * MS, NULL), XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 40 * MSS);
	KUNIT_EXPECT_EQ(test, cc_round(&cc, &seq, 46 * MS, &at),
			XTCP_HS_CSS_ENTER);
	KUNIT_EXPECT_EQ(test, at, 8);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 56 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, XTCP_CC_SSTHRESH_INIT);
	KUNIT_EXPECT_EQ(test, cc_round(&cc, &seq, 50 * MS, NULL), XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 70 * MSS);
	KUNIT_EXPECT_EQ(test, cc_round(&cc, &seq, 50 * MS, NULL), XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 87500);
	KUNIT_EXPECT_EQ(test, cc_round(&cc, &seq, 50 * MS, NULL), XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 109250);
	KUNIT_EXPECT_EQ(test, cc_round(&cc, &seq, 50 * MS, NULL), XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 136500);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, XTCP_CC_SSTHRESH_INIT);
	KUNIT_EXPECT_EQ(test, cc_ack(&cc, &seq, MSS, 136 * MSS, 50 * MS),
			XTCP_HS_EXIT);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 136750);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 136750);
	KUNIT_EXPECT_EQ(test, cc.hs.phase, XTCP_HS_OFF);
	/* congestion avoidance: 136 ACKs are not a window yet, 137 are */
	for (i = 0; i < 136; i++)
		cc_ack(&cc, &seq, MSS, 136 * MSS, 50 * MS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 136750);
	cc_ack(&cc, &seq, MSS, 136 * MSS, 50 * MS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 137750);
}

/* CUBIC's slow start is the same: CSS grows by a quarter. */
static void cc_hystart_cubic_css_quarter(struct kunit *test)
{
	struct xtcp_cc cc;
	u32 seq = 1000, i, w;

	xtcp_cc_init(&cc, &xtcp_cc_cubic, MSS, 0);
	xtcp_cc_hystart_start(&cc, seq);
	cc_round(&cc, &seq, 10 * MS, NULL);
	/* round 2, 20 segments: 8 ACKs at 30 ms, 20 over 10 */
	for (i = 0; i < 8; i++)
		cc_ack(&cc, &seq, MSS, 20 * MSS, 30 * MS);
	KUNIT_EXPECT_EQ(test, cc.hs.phase, XTCP_HS_CSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 28 * MSS);
	w = cc.cwnd;
	/* ACKs of two MSS: a quarter of 2 MSS each */
	for (i = 0; i < 4; i++)
		cc_ack(&cc, &seq, 2 * MSS, 20 * MSS, 30 * MS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, w + 4 * (2 * MSS / 4));
	KUNIT_EXPECT_EQ(test, cc.ssthresh, XTCP_CC_SSTHRESH_INIT);
}

/* Without xtcp_cc_hystart_start() slow start is plain: no RTT ends it. */
static void cc_hystart_off_is_plain_slow_start(struct kunit *test)
{
	struct xtcp_cc cc;
	u32 seq = 1000;

	xtcp_cc_init(&cc, &xtcp_cc_cubic, MSS, 0);
	cc_round(&cc, &seq, 10 * MS, NULL);
	KUNIT_EXPECT_EQ(test, cc_round(&cc, &seq, 300 * MS, NULL),
			XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, cc_round(&cc, &seq, 900 * MS, NULL),
			XTCP_HS_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 80 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, XTCP_CC_SSTHRESH_INIT);
}

/*
 * A loss, an ECN echo or an RTO ends HyStart++ for good, even in CSS:
 * the slow starts that follow end at the ssthresh they set, at full
 * speed.
 */
static void cc_hystart_stops_at_loss_ecn_rto(struct kunit *test)
{
	struct xtcp_cc cc;
	u32 seq = 1000, i, k;

	for (k = 0; k < 3; k++) {
		xtcp_cc_init(&cc, &xtcp_cc_newreno, MSS, 0);
		xtcp_cc_hystart_start(&cc, seq);
		cc_round(&cc, &seq, 10 * MS, NULL);
		for (i = 0; i < 8; i++)
			cc_ack(&cc, &seq, MSS, 20 * MSS, 30 * MS);
		KUNIT_ASSERT_EQ(test, cc.hs.phase, XTCP_HS_CSS);
		if (k == 0)
			xtcp_cc_on_loss(&cc, cc.cwnd, 0);
		else if (k == 1)
			xtcp_cc_on_ecn(&cc, cc.cwnd, 0);
		else
			xtcp_cc_on_rto(&cc, cc.cwnd, 0);
		KUNIT_EXPECT_EQ(test, cc.hs.phase, XTCP_HS_OFF);
		KUNIT_EXPECT_EQ(test, cc.ssthresh, 14 * MSS);
	}
	/* after the RTO: slow start from 1 MSS, a whole MSS per ACK */
	cc_ack(&cc, &seq, MSS, 20 * MSS, 30 * MS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2 * MSS);
	/* and it does not start again once ssthresh is set */
	xtcp_cc_hystart_start(&cc, seq);
	KUNIT_EXPECT_EQ(test, cc.hs.phase, XTCP_HS_OFF);
}

/*
 * HyStart++'s per-ACK sample (xtcp_rack_ack_rtt()): the newest segment
 * the ACK acknowledged, timed from RACK's log. Bursts of 4 MSS, 10 ms
 * apart from t = 1 s; the ACK comes at 1.1 s.
 */
#define T0	1000000U
#define NOW	1100000U

static void log_bursts(struct xtcp_rack *r, unsigned int n)
{
	unsigned int i;

	xtcp_rack_reset(r, T0 - 50 * MS);
	for (i = 0; i < n; i++)
		xtcp_rack_log_sent(r, 1000 + i * 4 * MSS, 4 * MSS, false,
				   T0 + i * 10 * MS);
}

static void hystart_sample_newest_whole_burst(struct kunit *test)
{
	struct xtcp_rack_xmit log[XTCP_RACK_LOG];
	struct xtcp_rack r = { .log = log };

	log_bursts(&r, 3);
	/* the first two bursts whole: the second's time, 90 ms ago */
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 1000, 9000, NOW),
			90 * MS);
	/* into the third, not to its end: still the second's */
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 1000, 12000, NOW),
			90 * MS);
	/* to the third's end, from inside the second */
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 7000, 13000, NOW),
			80 * MS);
	/* the first alone, acknowledged in two ACKs: the second times it */
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 1000, 3000, NOW), 0);
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 3000, 5000, NOW),
			100 * MS);
}

/*
 * Data that joined an entry moved its time to the latest send: only its
 * last bytes were sent then, so an ACK that does not reach them takes
 * no sample (it would read 0.5 ms short here), one that does the exact one.
 */
static void hystart_sample_merged_entry_only_at_its_end(struct kunit *test)
{
	struct xtcp_rack_xmit log[XTCP_RACK_LOG];
	struct xtcp_rack r = { .log = log };

	xtcp_rack_reset(&r, 0);
	xtcp_rack_log_sent(&r, 1000, MSS, false, T0);
	xtcp_rack_log_sent(&r, 2000, MSS, false, T0 + 500);
	KUNIT_EXPECT_EQ(test, r.nr, 1);
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 1000, 2000, NOW), 0);
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 1000, 3000, NOW),
			NOW - T0 - 500);
}

/*
 * Karn's rule: an ACK for bytes sent twice times nothing, whichever newer
 * segment it also covers: which transmission arrived is unknown.
 */
static void hystart_sample_not_from_retransmissions(struct kunit *test)
{
	struct xtcp_rack_xmit log[XTCP_RACK_LOG];
	struct xtcp_rack r = { .log = log };

	log_bursts(&r, 3);
	xtcp_rack_log_sent(&r, 1000, MSS, true, T0 + 40 * MS);
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 1000, 13000, NOW), 0);
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 1000, 2000, NOW), 0);
	/* past the resent bytes, the originals time again */
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 2000, 13000, NOW),
			80 * MS);
}

/* Bytes no entry covers (log full, or never allocated) have no time. */
static void hystart_sample_needs_the_log(struct kunit *test)
{
	struct xtcp_rack_xmit log[XTCP_RACK_LOG];
	struct xtcp_rack r = { .log = log }, none = { };

	log_bursts(&r, XTCP_RACK_LOG + 2);
	/* the first two left the log: only the floor remains of them */
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 1000, 9000, NOW), 0);
	/* the third is still there */
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 1000, 13000, NOW),
			80 * MS);
	xtcp_rack_reset(&none, T0);
	xtcp_rack_log_sent(&none, 1000, 4 * MSS, false, T0);
	KUNIT_EXPECT_EQ(test, none.nr, 0);
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&none, 1000, 5000, NOW), 0);
}

/*
 * The sample is at least 1 us (0 means none), a time in the future
 * (a clock read before the send) gives none, and sequence numbers and
 * times wrap.
 */
static void hystart_sample_bounds_and_wrap(struct kunit *test)
{
	struct xtcp_rack_xmit log[XTCP_RACK_LOG];
	struct xtcp_rack r = { .log = log };

	xtcp_rack_reset(&r, 0);
	xtcp_rack_log_sent(&r, 0xfffffc00U, 2 * MSS, false, 0xfffffff0U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 0xfffffc00U,
						0xfffffc00U + 2 * MSS, 30),
			0x10U + 30);
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 0xfffffc00U,
						0xfffffc00U + 2 * MSS,
						0xfffffff0U), 1);
	KUNIT_EXPECT_EQ(test, xtcp_rack_ack_rtt(&r, 0xfffffc00U,
						0xfffffc00U + 2 * MSS,
						0xffffff00U), 0);
}

static struct kunit_case xtcp_hystart_cases[] = {
	KUNIT_CASE(hystart_thresh_is_clamped),
	KUNIT_CASE(hystart_off_does_nothing),
	KUNIT_CASE(hystart_rounds_end_at_window_end),
	KUNIT_CASE(hystart_rounds_across_the_wrap),
	KUNIT_CASE(hystart_delay_enters_css_at_the_8th_sample),
	KUNIT_CASE(hystart_needs_8_samples),
	KUNIT_CASE(hystart_minimum_not_mean),
	KUNIT_CASE(hystart_long_path_uses_16_ms),
	KUNIT_CASE(hystart_css_resumes_slow_start),
	KUNIT_CASE(hystart_css_ends_after_5_rounds),
	KUNIT_CASE(cc_hystart_newreno_worked),
	KUNIT_CASE(cc_hystart_cubic_css_quarter),
	KUNIT_CASE(cc_hystart_off_is_plain_slow_start),
	KUNIT_CASE(cc_hystart_stops_at_loss_ecn_rto),
	KUNIT_CASE(hystart_sample_newest_whole_burst),
	KUNIT_CASE(hystart_sample_merged_entry_only_at_its_end),
	KUNIT_CASE(hystart_sample_not_from_retransmissions),
	KUNIT_CASE(hystart_sample_needs_the_log),
	KUNIT_CASE(hystart_sample_bounds_and_wrap),
	{}
};

static struct kunit_suite xtcp_hystart_suite = {
	.name = "xtcp_hystart",
	.test_cases = xtcp_hystart_cases,
};

kunit_test_suites(&xtcp_hystart_suite);
