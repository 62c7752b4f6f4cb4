// SPDX-License-Identifier: GPL-2.0
/*
 * HyStart++ (RFC 9406), the pure part: rounds, their least RTT, and the
 * decisions between slow start, Conservative Slow Start and congestion
 * avoidance. No socket, only numbers; see include/xtcp/hystart.h.
 *
 * Choices left open by the RFC:
 * - Only the first slow start, while ssthresh is at its initial value
 *   (section 4.3's SHOULD): cc.c starts it there and stops it for good at
 *   the first loss, ECN echo or RTO, whose ssthresh ends slow starts
 *   that follow.
 * - The ACK that ends a round opens the next one, and its RTT sample
 *   counts there (as Linux's HyStart resets its round before it samples).
 * - An ACK without an RTT sample still ends rounds; it adds no sample.
 */

#include <linux/limits.h>
#include <linux/minmax.h>
#include <xtcp/hystart.h>
#include <xtcp/seq.h>

/* A new round: this one's minimum becomes the last one's. */
static void xtcp_hystart_round(struct xtcp_hystart *hs, u32 snd_nxt)
{
	hs->window_end = snd_nxt;
	hs->last_min_us = hs->cur_min_us;
	hs->cur_min_us = XTCP_HS_RTT_INF;
	hs->samples = 0;
}

/**
 * xtcp_hystart_start() - watch a slow start from now
 * @hs: the state
 * @snd_nxt: SND.NXT: the first round ends when an ACK covers it
 *
 * RFC 9406 section 4.2's initial values: every minimum "infinity".
 */
void xtcp_hystart_start(struct xtcp_hystart *hs, u32 snd_nxt)
{
	hs->window_end = snd_nxt;
	hs->last_min_us = XTCP_HS_RTT_INF;
	hs->cur_min_us = XTCP_HS_RTT_INF;
	hs->css_base_us = XTCP_HS_RTT_INF;
	hs->samples = 0;
	hs->css_rounds = 0;
	hs->phase = XTCP_HS_SS;
}

/**
 * xtcp_hystart_stop() - watch no more
 * @hs: the state
 *
 * A loss, an ECN echo or an RTO set ssthresh (or CSS ended): whatever
 * slow start comes later ends at that ssthresh, as RFC 5681's does.
 */
void xtcp_hystart_stop(struct xtcp_hystart *hs)
{
	hs->phase = XTCP_HS_OFF;
}

/**
 * xtcp_hystart_rtt_thresh() - how much the RTT must grow to end slow start
 * @last_min_us: lastRoundMinRTT, microseconds
 *
 * RttThresh = clamp(lastRoundMinRTT / 8, 4 ms, 16 ms): an eighth of the
 * path's RTT, but at least 4 ms so that jitter on short paths does not
 * end slow start, and at most 16 ms so that long paths still leave it
 * before their queue overflows.
 *
 * Return: the threshold, microseconds.
 */
u32 xtcp_hystart_rtt_thresh(u32 last_min_us)
{
	return clamp(last_min_us / XTCP_HS_MIN_RTT_DIVISOR,
		     XTCP_HS_MIN_RTT_THRESH_US, XTCP_HS_MAX_RTT_THRESH_US);
}

/**
 * xtcp_hystart_ack() - an ACK of new data in slow start or CSS
 * @hs: the state
 * @ack: SEG.ACK
 * @snd_nxt: SND.NXT when the ACK arrives: where the next round ends
 * @rtt_us: the ACK's RTT sample, microseconds; 0 if it has none
 *
 * RFC 9406 section 4.2. The round ends when @ack covers windowEnd; in
 * CSS, the CSS_ROUNDS-th round to end hands over to congestion
 * avoidance. The sample goes into the round's minimum; once the round
 * has N_RTT_SAMPLE samples, slow start becomes CSS if the minimum grew
 * by RttThresh over the last round's, and CSS becomes slow start again if
 * the minimum fell below the one CSS began at.
 *
 * Return: what changed; the caller (cc.c) applies XTCP_HS_EXIT to
 * ssthresh.
 */
enum xtcp_hs_event xtcp_hystart_ack(struct xtcp_hystart *hs, u32 ack,
				    u32 snd_nxt, u32 rtt_us)
{
	if (hs->phase == XTCP_HS_OFF)
		return XTCP_HS_NONE;
	if (!xtcp_seq_before(ack, hs->window_end)) {
		xtcp_hystart_round(hs, snd_nxt);
		if (hs->phase == XTCP_HS_CSS &&
		    ++hs->css_rounds >= XTCP_HS_CSS_ROUNDS) {
			hs->phase = XTCP_HS_OFF;
			return XTCP_HS_EXIT;
		}
	}
	if (!rtt_us)
		return XTCP_HS_NONE;
	hs->cur_min_us = min(hs->cur_min_us, rtt_us);
	if (hs->samples < U8_MAX)
		hs->samples++;
	if (hs->samples < XTCP_HS_N_RTT_SAMPLE)
		return XTCP_HS_NONE;

	if (hs->phase == XTCP_HS_SS) {
		if (hs->last_min_us == XTCP_HS_RTT_INF)
			return XTCP_HS_NONE;
		/* u64: a minimum near U32_MAX plus the threshold must not wrap */
		if ((u64)hs->cur_min_us < (u64)hs->last_min_us +
		    xtcp_hystart_rtt_thresh(hs->last_min_us))
			return XTCP_HS_NONE;
		hs->css_base_us = hs->cur_min_us;
		hs->css_rounds = 0;
		hs->phase = XTCP_HS_CSS;
		return XTCP_HS_CSS_ENTER;
	}
	if (hs->cur_min_us >= hs->css_base_us)
		return XTCP_HS_NONE;
	/* The RTT came back down: the growth was jitter, not a queue. */
	hs->css_base_us = XTCP_HS_RTT_INF;
	hs->phase = XTCP_HS_SS;
	return XTCP_HS_SS_RESUME;
}

/**
 * xtcp_hystart_growth() - what slow start may add to cwnd for an ACK
 * @hs: the state
 * @inc: what plain slow start would add, bytes (cc.c's byte counting)
 *
 * Return: @inc, or in CSS @inc / CSS_GROWTH_DIVISOR (RFC 9406 4.2).
 */
u32 xtcp_hystart_growth(const struct xtcp_hystart *hs, u32 inc)
{
	if (hs->phase == XTCP_HS_CSS)
		return inc / XTCP_HS_CSS_GROWTH_DIVISOR;
	return inc;
}
