/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HyStart++ (RFC 9406), the pure part (mod/hystart.c, checked in KUnit,
 * kunit/hystart_test.c): when the first slow start should end, judged
 * from the growth of the round trip time before any loss says so.
 *
 * Slow start doubles the window each round trip until a loss; with a
 * deep queue at the bottleneck the window then stands at twice what the
 * path holds, and the loss is a whole window's worth. HyStart++ watches
 * the least RTT of each round: once it grows by a threshold over the
 * previous round's, the queue is filling, and slow start turns into
 * Conservative Slow Start (CSS), which grows a quarter as fast. If the
 * RTT falls back below where CSS began, the growth was jitter and slow
 * start resumes; after CSS_ROUNDS rounds of CSS, congestion avoidance
 * takes over with ssthresh at the window reached.
 *
 * The congestion control (cc.c) owns the window and asks here; the
 * sender (sender.c) feeds every ACK of new data with its RTT sample: the
 * newest segment it acknowledged, timed in microseconds by RACK's log
 * of transmissions (xtcp_rack_ack_rtt()), with or without timestamps.
 */
#ifndef _XTCP_HYSTART_H
#define _XTCP_HYSTART_H

#include <linux/types.h>

/* RFC 9406 section 4.3's constants; times in microseconds. */
#define XTCP_HS_MIN_RTT_THRESH_US	4000U
#define XTCP_HS_MAX_RTT_THRESH_US	16000U
#define XTCP_HS_MIN_RTT_DIVISOR		8U
#define XTCP_HS_N_RTT_SAMPLE		8U
#define XTCP_HS_CSS_GROWTH_DIVISOR	4U
#define XTCP_HS_CSS_ROUNDS		5U
/* "infinity" for the RTT minima: no sample yet. */
#define XTCP_HS_RTT_INF			U32_MAX

/**
 * enum xtcp_hs_phase - where HyStart++ is
 * @XTCP_HS_OFF: not watching: off, or the first slow start is over
 * @XTCP_HS_SS: slow start, watching the RTT
 * @XTCP_HS_CSS: Conservative Slow Start
 */
enum xtcp_hs_phase {
	XTCP_HS_OFF,
	XTCP_HS_SS,
	XTCP_HS_CSS,
};

/**
 * enum xtcp_hs_event - what an ACK changed (xtcp_hystart_ack())
 * @XTCP_HS_NONE: nothing
 * @XTCP_HS_CSS_ENTER: the RTT grew: slow start became CSS
 * @XTCP_HS_SS_RESUME: the RTT fell below CSS's baseline: slow start again
 * @XTCP_HS_EXIT: CSS_ROUNDS of CSS are over: ssthresh = cwnd now
 */
enum xtcp_hs_event {
	XTCP_HS_NONE,
	XTCP_HS_CSS_ENTER,
	XTCP_HS_SS_RESUME,
	XTCP_HS_EXIT,
};

/**
 * struct xtcp_hystart - HyStart++'s state (RFC 9406 section 4.2)
 * @window_end: windowEnd, SND.NXT when the round began: an ACK that
 *	covers it ends the round
 * @last_min_us: lastRoundMinRTT, the least RTT of the round before
 * @cur_min_us: currentRoundMinRTT, the least RTT of this round so far
 * @css_base_us: cssBaselineMinRTT, @cur_min_us when CSS began
 * @samples: rttSampleCount, RTT samples this round (saturates)
 * @css_rounds: rounds that ended in CSS (the one CSS began in counts)
 * @phase: enum xtcp_hs_phase
 */
struct xtcp_hystart {
	u32 window_end;
	u32 last_min_us;
	u32 cur_min_us;
	u32 css_base_us;
	u8 samples;
	u8 css_rounds;
	u8 phase;
};

void xtcp_hystart_start(struct xtcp_hystart *hs, u32 snd_nxt);
void xtcp_hystart_stop(struct xtcp_hystart *hs);
u32 xtcp_hystart_rtt_thresh(u32 last_min_us);
enum xtcp_hs_event xtcp_hystart_ack(struct xtcp_hystart *hs, u32 ack,
				    u32 snd_nxt, u32 rtt_us);
u32 xtcp_hystart_growth(const struct xtcp_hystart *hs, u32 inc);

#endif /* _XTCP_HYSTART_H */
