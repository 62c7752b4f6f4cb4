// SPDX-License-Identifier: GPL-2.0
/*
 * RACK-TLP (RFC 8985), the pure part: the log of transmissions, the RACK
 * loss test, the reordering window and the probe timeout; and how much
 * Proportional Rate Reduction (RFC 6937) lets go per ACK. No socket, no
 * clock: callers pass the time. recovery.c applies them to a connection.
 *
 * Times are the low 32 bits of a microsecond clock, compared by their
 * signed difference: right while they lie within 35 minutes of each
 * other. The log is emptied whenever nothing is in flight, so its times
 * never grow older than the data they describe.
 */

#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <xtcp/rack.h>
#include <xtcp/seq.h>

/* Is time @a after time @b? */
static bool xtcp_rack_t_after(u32 a, u32 b)
{
	return (s32)(a - b) > 0;
}

/* An entry's time, without its retransmission bit. */
static u32 xtcp_rack_xmit_t(const struct xtcp_rack_xmit *e)
{
	return e->t & ~XTCP_RACK_RTX;
}

static struct xtcp_rack_xmit *xtcp_rack_entry(struct xtcp_rack *r, int i)
{
	return &r->log[(r->head + i) % XTCP_RACK_LOG];
}

static const struct xtcp_rack_xmit *
xtcp_rack_centry(const struct xtcp_rack *r, int i)
{
	return &r->log[(r->head + i) % XTCP_RACK_LOG];
}

/**
 * xtcp_rack_reset() - forget every transmission and delivery
 * @r: the state
 * @now: the time now, which bytes no entry covers are taken to be sent at
 *
 * The probe state and the least RTT stay: they outlive a flight.
 */
void xtcp_rack_reset(struct xtcp_rack *r, u32 now)
{
	r->head = 0;
	r->nr = 0;
	r->floor_t = now;
	r->valid = 0;
}

/**
 * xtcp_rack_log_sent() - @len bytes from @seq went out at @now
 * @r: the state
 * @seq: the first byte sent
 * @len: how many, not 0
 * @rtx: they had been sent before
 * @now: the time
 *
 * New data that continues the newest entry within XTCP_RACK_GRAIN_US
 * joins it, the entry taking the later time: its older bytes then seem
 * sent a little later than they were, which only makes RACK slower to
 * call them lost. A full log drops its oldest entry, whose time becomes
 * the floor for the bytes no entry covers any more.
 */
void xtcp_rack_log_sent(struct xtcp_rack *r, u32 seq, u32 len, bool rtx,
			u32 now)
{
	struct xtcp_rack_xmit *e;

	/* No log: every byte sent counts as sent at or before the floor. */
	if (!r->log) {
		r->floor_t = now & ~XTCP_RACK_RTX;
		return;
	}
	if (r->nr) {
		e = xtcp_rack_entry(r, r->nr - 1);
		if (!rtx && !(e->t & XTCP_RACK_RTX) && e->end == seq &&
		    now - e->t < XTCP_RACK_GRAIN_US) {
			e->end = seq + len;
			e->t = now & ~XTCP_RACK_RTX;
			return;
		}
	}
	if (r->nr == XTCP_RACK_LOG) {
		r->floor_t = xtcp_rack_xmit_t(&r->log[r->head]);
		r->head = (r->head + 1) % XTCP_RACK_LOG;
		r->nr--;
	}
	e = xtcp_rack_entry(r, r->nr++);
	e->start = seq;
	e->end = seq + len;
	e->t = (now & ~XTCP_RACK_RTX) | (rtx ? XTCP_RACK_RTX : 0);
}

/**
 * xtcp_rack_log_acked() - SND.UNA moved: drop the oldest entries below it
 * @r: the state
 * @snd_una: SND.UNA
 *
 * Only from the oldest end, to keep the log in the order sent; an entry
 * below SND.UNA behind a newer one waits, and costs nothing but its slot.
 */
void xtcp_rack_log_acked(struct xtcp_rack *r, u32 snd_una)
{
	while (r->nr && xtcp_seq_leq(r->log[r->head].end, snd_una)) {
		r->floor_t = xtcp_rack_xmit_t(&r->log[r->head]);
		r->head = (r->head + 1) % XTCP_RACK_LOG;
		r->nr--;
	}
}

/**
 * xtcp_rack_last_sent() - when any byte of [@start, @end) was last sent
 * @r: the state
 * @start: first byte
 * @end: one past the last
 *
 * Return: the latest time of an entry that overlaps the range, or the
 * floor if none does.
 */
u32 xtcp_rack_last_sent(const struct xtcp_rack *r, u32 start, u32 end)
{
	u32 t = r->floor_t;
	int i;

	for (i = 0; i < r->nr; i++) {
		const struct xtcp_rack_xmit *e = xtcp_rack_centry(r, i);

		if (xtcp_seq_before(e->start, end) &&
		    xtcp_seq_after(e->end, start) &&
		    xtcp_rack_t_after(xtcp_rack_xmit_t(e), t))
			t = xtcp_rack_xmit_t(e);
	}
	return t;
}

/**
 * xtcp_rack_delivered() - RFC 8985 6.2 step 2: [@start, @end) arrived
 * @r: the state
 * @start: first byte the ACK reports delivered (cumulatively or SACKed)
 * @end: one past the last
 * @now: the time the ACK came
 *
 * RACK.xmit_ts and RACK.end_seq move to the latest-sent transmission in
 * the range. A retransmission whose ACK came sooner than the least RTT
 * seen may be the original's ACK: it is passed over (step 2's test, on
 * our RTT estimate as the timestamps are not kept per segment). Bytes no
 * entry covers count with the floor time, at their end.
 *
 * Return: true if RACK's state moved.
 */
bool xtcp_rack_delivered(struct xtcp_rack *r, u32 start, u32 end, u32 now)
{
	bool moved = false;
	u32 t, seg_end;
	int i;

	if (!xtcp_seq_before(start, end))
		return false;
	/* The floor first: what no entry covers was sent before them all. */
	t = r->floor_t;
	seg_end = end;
	for (i = -1; i < r->nr; i++) {
		if (i >= 0) {
			const struct xtcp_rack_xmit *e = xtcp_rack_centry(r, i);

			if (!xtcp_seq_before(e->start, end) ||
			    !xtcp_seq_after(e->end, start))
				continue;
			t = xtcp_rack_xmit_t(e);
			if ((e->t & XTCP_RACK_RTX) && now - t < r->min_rtt_us)
				continue;
			seg_end = xtcp_seq_min(e->end, end);
		}
		if (r->valid &&
		    !xtcp_rack_sent_after(t, seg_end, r->xmit_t, r->end_seq))
			continue;
		r->xmit_t = t;
		r->end_seq = seg_end;
		r->rtt_us = now - t;
		r->valid = 1;
		moved = true;
	}
	if (moved && (!r->min_rtt_us || r->rtt_us < r->min_rtt_us) &&
	    r->rtt_us)
		r->min_rtt_us = r->rtt_us;
	return moved;
}

/**
 * xtcp_rack_ack_rtt() - the RTT of the newest segment an ACK delivered
 * @r: the state, before xtcp_rack_log_acked() drops what the ACK covers
 * @una: SND.UNA before the ACK
 * @ack: SEG.ACK, after @una
 * @now: the time the ACK came
 *
 * For HyStart++ (RFC 9406), which wants a sample from nearly every ACK
 * and in microseconds (the timestamp echo has milliseconds, and is not
 * always there). As Linux's tcp_ack() times its ca_rtt_us: from the
 * latest-sent segment the ACK acknowledged cumulatively, and not at all
 * if any byte it acknowledged had been sent twice (Karn's rule: which
 * transmission arrived is unknown).
 *
 * The time of an entry is exact only for its last bytes: new data that
 * joined it moved its time later (xtcp_rack_log_sent()), so its earlier
 * bytes would seem to have come back sooner than they did, and an RTT
 * that looks shorter than it was brings Conservative Slow Start back to
 * slow start. Only an entry whose end the ACK reaches gives a sample.
 * Bytes no entry covers (the log is full, or was never allocated) give
 * none, their time being only a bound.
 *
 * Return: the RTT in us, at least 1; 0 if the ACK gives no sample.
 */
u32 xtcp_rack_ack_rtt(const struct xtcp_rack *r, u32 una, u32 ack, u32 now)
{
	u32 t = 0;
	bool found = false;
	int i;

	for (i = 0; i < r->nr; i++) {
		const struct xtcp_rack_xmit *e = xtcp_rack_centry(r, i);

		if (!xtcp_seq_before(e->start, ack) ||
		    !xtcp_seq_after(e->end, una))
			continue;
		if (e->t & XTCP_RACK_RTX)
			return 0;
		/* Within the ACK to its end; new data is logged in order. */
		if (xtcp_seq_leq(e->end, ack)) {
			t = xtcp_rack_xmit_t(e);
			found = true;
		}
	}
	if (!found || xtcp_rack_t_after(t, now))
		return 0;
	return max(now - t, 1U);
}

/**
 * xtcp_rack_sent_after() - RFC 8985 RACK_sent_after()
 * @t1: when the first segment was sent
 * @seq1: where it ends
 * @t2: when the second was sent
 * @seq2: where it ends
 *
 * Segments of one burst share a time: then the higher one went later.
 *
 * Return: true if the first was sent after the second.
 */
bool xtcp_rack_sent_after(u32 t1, u32 seq1, u32 t2, u32 seq2)
{
	return xtcp_rack_t_after(t1, t2) ||
	       (t1 == t2 && xtcp_seq_after(seq1, seq2));
}

/**
 * xtcp_rack_reo_wnd() - RFC 8985 6.2 step 4: the reordering window
 * @min_rtt_us: the least RTT seen, 0 if none
 * @srtt_us: SRTT
 * @reord: the peer has been seen to reorder
 * @in_recovery: fast recovery is under way
 * @dupthresh_sacked: DupThresh segments or more are SACKed
 * @mult: RACK.reo_wnd_mult (xtcp_rack_dsack()), 0 for 1
 *
 * Until reordering has been seen, none is allowed for in recovery or once
 * DupThresh segments are SACKed (the duplicate-ACK rule would call the
 * hole lost anyway). Otherwise @mult quarters of the least RTT, at most
 * SRTT.
 *
 * Return: the window in us.
 */
u32 xtcp_rack_reo_wnd(u32 min_rtt_us, u32 srtt_us, bool reord,
		      bool in_recovery, bool dupthresh_sacked, u8 mult)
{
	if (!reord && (in_recovery || dupthresh_sacked))
		return 0;
	return min_t(u64, (u64)max_t(u8, mult, 1) * (min_rtt_us / 4),
		     srtt_us);
}

/* RFC 8985 6.2 step 4: D-SACKs keep a grown window for 16 recoveries. */
#define XTCP_RACK_REO_PERSIST	16

/**
 * xtcp_rack_dsack() - RFC 8985 6.2 step 4: D-SACKs grow the window
 * @r: the state
 * @snd_una: SND.UNA after the ACK
 * @snd_nxt: SND.NXT
 * @dsack: the ACK carried a D-SACK for a retransmission RACK may have
 *	made too soon (the caller leaves out those of a probe, as Linux)
 *
 * A D-SACK says a retransmission was spurious: perhaps the reordering
 * window was too small. It grows by a quarter of the least RTT, once per
 * round trip (until SND.UNA passes what was sent when it last grew), and
 * stays grown for XTCP_RACK_REO_PERSIST recoveries
 * (xtcp_rack_recovery_done()).
 */
void xtcp_rack_dsack(struct xtcp_rack *r, u32 snd_una, u32 snd_nxt,
		     bool dsack)
{
	if (r->dsack_round_on && xtcp_seq_after(snd_una, r->dsack_round))
		r->dsack_round_on = 0;
	if (!dsack || r->dsack_round_on)
		return;
	r->dsack_round = snd_nxt;
	r->dsack_round_on = 1;
	r->reo_mult = min_t(u32, max_t(u8, r->reo_mult, 1) + 1, U8_MAX);
	r->reo_persist = XTCP_RACK_REO_PERSIST;
}

/**
 * xtcp_rack_recovery_done() - a recovery ended: one less to keep the window
 * @r: the state
 */
void xtcp_rack_recovery_done(struct xtcp_rack *r)
{
	if (r->reo_persist && !--r->reo_persist)
		r->reo_mult = 1;
}

/**
 * xtcp_rack_is_lost() - RFC 8985 6.2 step 5 for one segment
 * @r: the state, with a delivered segment (@r->valid)
 * @seg_t: when the segment was last sent
 * @seg_end: where it ends
 * @reo_wnd: the reordering window (xtcp_rack_reo_wnd())
 * @now: the time now
 * @wait_us: set, when the segment is not lost yet but was sent before
 *	RACK's segment, to how long until it will be; else untouched
 *
 * A segment sent before the latest delivered one is lost once RACK.rtt
 * plus the reordering window have passed since it was sent:
 * seg_t + RACK.rtt + reo_wnd <= now.
 *
 * Return: true if lost.
 */
bool xtcp_rack_is_lost(const struct xtcp_rack *r, u32 seg_t, u32 seg_end,
		       u32 reo_wnd, u32 now, u32 *wait_us)
{
	s32 left;

	if (!r->valid ||
	    !xtcp_rack_sent_after(r->xmit_t, r->end_seq, seg_t, seg_end))
		return false;
	left = (s32)(seg_t + r->rtt_us + reo_wnd - now);
	if (left <= 0)
		return true;
	*wait_us = left;
	return false;
}

/**
 * xtcp_tlp_pto() - RFC 8985 7.2: the probe timeout
 * @srtt_us: SRTT, 0 without a sample
 * @delack_us: WCDelAckT, the worst-case delayed ACK, when one segment is
 *	in flight (its ACK may wait for a second); 0 otherwise
 * @rto_us: the RTO, which the probe must not outlast
 *
 * 2 * SRTT, plus @delack_us, at least XTCP_TLP_MIN_US, at most the RTO;
 * 1 s without an RTT sample.
 *
 * Return: the timeout in us.
 */
u32 xtcp_tlp_pto(u32 srtt_us, u32 delack_us, u32 rto_us)
{
	u32 pto = srtt_us ? 2 * srtt_us : XTCP_TLP_NO_RTT_US;

	pto += delack_us;
	pto = max_t(u32, pto, XTCP_TLP_MIN_US);
	return min(pto, rto_us);
}

/**
 * xtcp_tlp_dsack() - does a D-SACK say the probe was a duplicate?
 * @r: RACK-TLP state, with the probe (@r->tlp_out)
 * @start: the D-SACK block's first sequence number
 * @end: one past its last
 *
 * RFC 8985 7.4.2: the original and the probe both arrived, so nothing
 * was lost, only if the D-SACK reports the probe's own bytes (Linux's
 * FLAG_DSACK_TLP). A D-SACK for anything else, an earlier spurious
 * retransmission or a receiver's invention, says nothing of the probe:
 * taking it for the probe's would let the loss the probe repaired go
 * without its window reduction. The block may be wider than the probe
 * (a receiver merges adjacent duplicates, and counts a FIN in it) but
 * must cover all of it. A probe of new data is never a duplicate.
 *
 * Return: true if the block covers what the probe resent.
 */
bool xtcp_tlp_dsack(const struct xtcp_rack *r, u32 start, u32 end)
{
	if (!r->tlp_out || !r->tlp_rxt || !xtcp_seq_before(start, end))
		return false;
	return !xtcp_seq_after(start, r->tlp_rxt_seq) &&
	       !xtcp_seq_before(end, r->tlp_rxt_end);
}

/**
 * xtcp_prr_sndcnt() - RFC 6937: what recovery may send on this ACK
 * @prr_delivered: bytes delivered since recovery began, this ACK's too
 * @prr_out: bytes sent since recovery began
 * @delivered: bytes this ACK delivered (DeliveredData)
 * @pipe: RFC 6675's pipe now
 * @ssthresh: the slow start threshold recovery aims for
 * @recover_fs: the flight when recovery began, not 0
 * @mss: SMSS
 *
 * While pipe is above ssthresh, sending follows delivery in the
 * proportion ssthresh / RecoverFS, so that the window comes down to
 * ssthresh evenly over one round trip rather than in a pause or a burst.
 * Below it, the slow start reduction bound (PRR-SSRB): back towards
 * ssthresh at most one segment ahead of what was delivered.
 *
 * Return: bytes that may be sent, 0 for none.
 */
u32 xtcp_prr_sndcnt(u32 prr_delivered, u32 prr_out, u32 delivered, u32 pipe,
		    u32 ssthresh, u32 recover_fs, u32 mss)
{
	u64 quota;
	u32 limit;

	if (pipe > ssthresh) {
		quota = DIV_ROUND_UP_ULL((u64)prr_delivered * ssthresh,
					 max(recover_fs, 1U));
		return quota > prr_out ? (u32)min_t(u64, quota - prr_out,
						    U32_MAX) : 0;
	}
	limit = max(prr_delivered > prr_out ? prr_delivered - prr_out : 0,
		    delivered) + mss;
	return min(ssthresh - pipe, limit);
}

/**
 * xtcp_prr_cwnd() - the congestion window PRR sets on an ACK
 * @prr_delivered: bytes delivered since the reduction began, this ACK's too
 * @prr_out: bytes sent since the reduction began
 * @delivered: bytes this ACK delivered
 * @pipe: bytes in flight now, as the sender counts them against cwnd
 * @ssthresh: where the reduction takes the window
 * @recover_fs: the flight when the reduction began, not 0
 * @mss: SMSS
 *
 * Pipe plus what xtcp_prr_sndcnt() lets go, so that the sender, which
 * sends while what is in flight is below cwnd, sends that much. Until
 * something went, at least one segment: the fast retransmission in
 * recovery, the first segment of the reduced rate for an ECE (as
 * Linux's tcp_cwnd_reduction()), so that the ACK that starts a
 * reduction never stops the sender.
 *
 * Return: the window, bytes.
 */
u32 xtcp_prr_cwnd(u32 prr_delivered, u32 prr_out, u32 delivered, u32 pipe,
		  u32 ssthresh, u32 recover_fs, u32 mss)
{
	u32 sndcnt = xtcp_prr_sndcnt(prr_delivered, prr_out, delivered, pipe,
				     ssthresh, recover_fs, mss);

	if (!prr_out)
		sndcnt = max(sndcnt, mss);
	return pipe + sndcnt;
}
