/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks that stand between a hostile peer and the connection's state,
 * as pure logic (checked in KUnit, kunit/guard_test.c):
 *
 *   xtcp_ack_check()        RFC 5961 section 5: which ACK values a segment
 *                           may carry, and what happens to one that is not
 *                           acceptable
 *   xtcp_ack_updates_wnd()  RFC 9293 3.10.7.4: only an acceptable ACK of a
 *                           newer segment updates the send window
 *   xtcp_eff_mss()          the send MSS from the peer's MSS option, never
 *                           below net.xtcp.min_snd_mss (CVE-2019-11479)
 *   xtcp_challenge_budget() the per-second challenge ACK budget, drawn at
 *                           random (CVE-2016-5696)
 *   xtcp_orphan_retries()   how many backoffs an orphan's probes get
 */
#ifndef _XTCP_GUARD_H
#define _XTCP_GUARD_H

#include <linux/minmax.h>
#include <xtcp/seq.h>

/* What to do with a segment given its ACK field (xtcp_ack_check()). */
enum xtcp_ack_verdict {
	XTCP_ACK_OK,		/* SND.UNA <= SEG.ACK <= SND.NXT: process */
	XTCP_ACK_OLD,		/* older, within MAX.SND.WND: ignore the ACK
				 * field, process the rest (RFC 5961 5.2)
				 */
	XTCP_ACK_TOO_OLD,	/* older still: drop, send a challenge ACK */
	XTCP_ACK_UNSENT,	/* beyond SND.NXT: drop, send an ACK */
};

/**
 * xtcp_ack_check() - RFC 5961 section 5.2, the ACK acceptability test
 * @snd_una: SND.UNA
 * @snd_nxt: the highest sequence number sent (SND.MAX: SND.NXT may have
 *	gone back after an RTO, and an ACK up to SND.MAX is genuine)
 * @max_wnd: MAX.SND.WND, the largest window the peer ever offered
 * @ack: SEG.ACK
 *
 * RFC 793 took any ACK up to 2^31 behind SND.UNA, so a blind attacker who
 * guessed an in-window sequence number (1 in 2^32 / RCV.WND) could set
 * the send window or inject data with any ACK value at all. RFC 5961
 * narrows that to [SND.UNA - MAX.SND.WND, SND.NXT]: the attacker must now
 * guess the ACK field too, within a window's width. Both ends of the
 * range are measured from SND.UNA - MAX.SND.WND, so the test holds across
 * the wrap and for any window up to 2^30 (RFC 7323's largest).
 *
 * Return: the verdict (enum xtcp_ack_verdict).
 */
static inline enum xtcp_ack_verdict xtcp_ack_check(u32 snd_una, u32 snd_nxt,
						   u32 max_wnd, u32 ack)
{
	if (xtcp_seq_between(snd_una, ack, snd_nxt))
		return XTCP_ACK_OK;
	if (xtcp_seq_between(snd_una - max_wnd, ack, snd_una))
		return XTCP_ACK_OLD;
	/* Nearer ahead of SND.NXT than behind SND.UNA: not yet sent. */
	if (xtcp_seq_after(ack, snd_nxt))
		return XTCP_ACK_UNSENT;
	return XTCP_ACK_TOO_OLD;
}

/**
 * xtcp_ack_updates_wnd() - does a segment update the send window?
 * @snd_una: SND.UNA (before this ACK is applied)
 * @snd_nxt: SND.MAX, as for xtcp_ack_check()
 * @wl1: SND.WL1, the sequence number of the last window update
 * @wl2: SND.WL2, its acknowledgment number
 * @seq: SEG.SEQ
 * @ack: SEG.ACK
 *
 * RFC 9293 3.10.7.4 fifth: "If SND.UNA =< SEG.ACK =< SND.NXT, the send
 * window should be updated. If (SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ
 * and SND.WL2 =< SEG.ACK))". An old ACK (below SND.UNA) never does: one
 * blind segment with an old ACK and a window of 0 would otherwise close
 * the window and, its SEG.SEQ becoming SND.WL1, keep it closed against
 * every true update that follows.
 *
 * Return: true if the window (and WL1, WL2) take the segment's values.
 */
static inline bool xtcp_ack_updates_wnd(u32 snd_una, u32 snd_nxt, u32 wl1,
					u32 wl2, u32 seq, u32 ack)
{
	if (!xtcp_seq_between(snd_una, ack, snd_nxt))
		return false;
	return xtcp_seq_before(wl1, seq) ||
	       (wl1 == seq && xtcp_seq_leq(wl2, ack));
}

/* Linux's TCP_MIN_SND_MSS: room for 40 bytes of options and 8 of data. */
#define XTCP_MIN_SND_MSS	48

/**
 * xtcp_eff_mss() - the effective send MSS (RFC 9293 3.7.1, MUST-16)
 * @peer_mss: the peer's MSS option, 0 if it sent none or a zero
 * @adv_mss: what we announce (route MTU, TCP_MAXSEG), at least 88
 * @min_mss: net.xtcp.min_snd_mss, at least XTCP_MIN_SND_MSS
 * @opt_len: option bytes every segment carries (timestamps: 12)
 *
 * The smaller of the two MSS values, raised to @min_mss as Linux raises it
 * to tcp_min_snd_mss since CVE-2019-11479 (an MSS of 1 or so made a
 * sender cut its data into tiny segments, each an skb, until memory ran
 * out), less @opt_len. Raising it first also keeps the subtraction from
 * wrapping: xtcp once made an MSS option of 12 with timestamps a send
 * size of 0 (nothing ever sent) and 1..11 one of about 65525 (every
 * segment dropped as too big). A peer without an MSS option takes 536
 * (MUST-15).
 *
 * Return: payload bytes per segment, at least @min_mss - @opt_len > 0.
 */
static inline u32 xtcp_eff_mss(u32 peer_mss, u32 adv_mss, u32 min_mss,
			       u32 opt_len)
{
	u32 mss = min(peer_mss ?: 536U, adv_mss);

	mss = max3(mss, min_mss, (u32)XTCP_MIN_SND_MSS);
	return mss - min(opt_len, (u32)XTCP_MIN_SND_MSS - 8);
}

/**
 * xtcp_challenge_budget() - challenge ACKs for the next second
 * @limit: net.xtcp.challenge_ack_limit
 * @rnd: a random number
 *
 * RFC 5961 section 7 caps challenge ACKs per second. A fixed cap shared by
 * all connections is a side channel (CVE-2016-5696): an off-path prober
 * spends the budget with its own connection and counts what is left, and
 * learns whether a spoofed segment hit another connection's window. As
 * Linux does since then, the budget is re-drawn each second, uniformly
 * from [limit / 2, limit + limit / 2), so that it averages @limit and a
 * prober cannot know what was spent before it counted.
 *
 * Return: the budget.
 */
static inline u32 xtcp_challenge_budget(u32 limit, u32 rnd)
{
	u32 half = (limit + 1) / 2;

	if (!limit)
		return 0;
	return half + rnd % limit;
}

/* Linux's default when tcp_orphan_retries is 0. */
#define XTCP_ORPHAN_RETRIES_DEFAULT	8

/**
 * xtcp_orphan_retries() - backoffs an orphan gets before it is given up
 * @sysctl: net.xtcp.orphan_retries, 0 for the default
 *
 * Return: the retries: @sysctl, or 8 (over 100 s of backoff at an RTO of
 * 200 ms, as Linux's tcp_orphan_retries() says of the same number).
 */
static inline u32 xtcp_orphan_retries(u32 sysctl)
{
	return sysctl ?: XTCP_ORPHAN_RETRIES_DEFAULT;
}

#endif /* _XTCP_GUARD_H */
