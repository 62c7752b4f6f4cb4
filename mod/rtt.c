// SPDX-License-Identifier: GPL-2.0
/*
 * Round-trip time estimation and the retransmission timeout (RFC 6298).
 *
 * Everything is in integer microseconds. The smoothing steps of section
 * 2.3 are computed in 64 bits and rounded to the nearest microsecond
 * rather than truncated: truncation would let SRTT stop up to 7 us short
 * of a steady RTT (and always below it), rounding leaves it at most 4 us
 * away, RTTVAR at most 2 us. Both are far below G (1 ms), so SRTT and
 * RTTVAR are kept unscaled, in the units the rest of xtcp reads them in.
 *
 * Like Linux TCP, and as RFC 6298 section 2.4 allows, the lower bound of
 * the RTO is a setting (net.xtcp.rto_min_ms, 200 ms by default) rather
 * than the 1 second the RFC recommends.
 */

#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/time64.h>
#include <xtcp/rtt.h>
#include <xtcp/seq.h>

/**
 * xtcp_rtt_init() - an estimator with no sample yet
 * @r: the estimator
 *
 * The RTO starts at 1 second (RFC 6298 section 2.1).
 */
void xtcp_rtt_init(struct xtcp_rtt *r)
{
	r->srtt_us = 0;
	r->rttvar_us = 0;
	r->rto_us = XTCP_RTO_INIT_US;
	r->samples = 0;
}

/* RTO = SRTT + max(G, 4 * RTTVAR) (RFC 6298 2.2, 2.3), within bounds. */
static u32 xtcp_rtt_rto(const struct xtcp_rtt *r, u32 rto_min_us)
{
	u64 rto = (u64)r->srtt_us +
		  max_t(u64, XTCP_RTO_GRANULARITY_US, 4ULL * r->rttvar_us);

	/* 2.4, 2.5: the floor first, so that the maximum always wins. */
	rto = max_t(u64, rto, rto_min_us);
	return min_t(u64, rto, XTCP_RTO_MAX_US);
}

/**
 * xtcp_rtt_sample() - take an RTT measurement into the estimator
 * @r: the estimator
 * @rtt_us: the measured round-trip time, microseconds
 * @rto_min_us: the lower bound of the RTO (net.xtcp.rto_min_ms)
 *
 * The caller measures only segments that were not retransmitted, or uses
 * timestamps (Karn's algorithm, RFC 6298 section 3). A sample of 0 (a
 * loopback ACK within the microsecond) counts as 1 us, so that srtt_us
 * is non-zero once there is a sample.
 */
void xtcp_rtt_sample(struct xtcp_rtt *r, u32 rtt_us, u32 rto_min_us)
{
	u32 delta;

	rtt_us = max(rtt_us, 1U);
	if (!r->samples) {
		/* 2.2: SRTT = R, RTTVAR = R / 2 */
		r->srtt_us = rtt_us;
		r->rttvar_us = rtt_us / 2;
	} else {
		/*
		 * 2.3: RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| with the old
		 * SRTT, then SRTT = 7/8 SRTT + 1/8 R; u64 for the sums.
		 */
		delta = r->srtt_us > rtt_us ? r->srtt_us - rtt_us :
					      rtt_us - r->srtt_us;
		r->rttvar_us = (3ULL * r->rttvar_us + delta + 2) / 4;
		r->srtt_us = (7ULL * r->srtt_us + rtt_us + 4) / 8;
	}
	if (r->samples != U32_MAX)
		r->samples++;
	r->rto_us = xtcp_rtt_rto(r, rto_min_us);
}

/**
 * xtcp_rtt_backoff() - the RTO after @backoff expirations in a row
 * @r: the estimator
 * @backoff: how many times the timer expired since the last new ACK
 *
 * RFC 6298 section 5.5 doubles the RTO at each expiration; the result
 * never exceeds XTCP_RTO_MAX_US (2.5), whatever @backoff is.
 *
 * Return: the timeout, microseconds.
 */
u32 xtcp_rtt_backoff(const struct xtcp_rtt *r, unsigned int backoff)
{
	/* A u32 shifted by up to 31 fits in a u64; 32 and more are over. */
	if (backoff >= 32)
		return XTCP_RTO_MAX_US;
	return min_t(u64, (u64)r->rto_us << backoff, XTCP_RTO_MAX_US);
}

/**
 * xtcp_rtt_model_timeout_ms() - how long @boundary backed-off RTOs take
 * @boundary: retransmissions (net.xtcp.retries1, retries2...)
 * @rto_base_us: the first RTO of the model
 *
 * As Linux's tcp_model_timeout(): R1 and R2 are measured as the time
 * @boundary retransmissions would take with an RTO of @rto_base_us that
 * doubles at each up to XTCP_RTO_MAX_US, the last one's RTO included
 * ((2^(@boundary + 1) - 1) * @rto_base_us while no RTO reaches the
 * maximum). A connection whose RTO is longer than the model's reaches
 * the limit after fewer retransmissions, one whose RTO is shorter after
 * more; the time to give up stays what the setting says.
 *
 * Return: milliseconds.
 */
u32 xtcp_rtt_model_timeout_ms(unsigned int boundary, u32 rto_base_us)
{
	unsigned int doublings = ilog2(XTCP_RTO_MAX_US / rto_base_us);
	u64 us;

	if (boundary <= doublings)
		us = ((2ULL << boundary) - 1) * rto_base_us;
	else
		us = ((2ULL << doublings) - 1) * rto_base_us +
		     (u64)(boundary - doublings) * XTCP_RTO_MAX_US;
	return min_t(u64, div_u64(us, USEC_PER_MSEC), U32_MAX);
}

/**
 * xtcp_rtt_from_ts() - an RTT sample from a timestamp echo (RFC 7323 4.1)
 * @now_ms: our timestamp clock now (xtcp_ts_now())
 * @tsecr: the TSecr of an ACK that acknowledges new data
 * @rtt_us: the sample, microseconds, when there is one
 *
 * The echo names the transmission the ACK answers, so unlike a timed
 * sequence number it stays valid across retransmissions (Karn's problem).
 * Our clock ticks in milliseconds: the sample is whole milliseconds, and
 * xtcp_rtt_sample() counts a 0 as 1 us.
 *
 * An echo of 0 is taken as "no echo", as Linux TCP does: a peer echoes
 * 0 when it has no TSval of ours (a clock at exactly 0 loses one sample).
 * An echo ahead of our clock, or further behind it than the longest RTO,
 * cannot time anything we sent on this connection: the difference, taken
 * modulo 2^32 as the clock wraps, comes out above that bound.
 *
 * Return: true if @rtt_us was set.
 */
bool xtcp_rtt_from_ts(u32 now_ms, u32 tsecr, u32 *rtt_us)
{
	u32 ms = now_ms - tsecr;

	if (!tsecr || ms > XTCP_RTO_MAX_US / USEC_PER_MSEC)
		return false;
	*rtt_us = ms * USEC_PER_MSEC;
	return true;
}

/**
 * xtcp_rtt_spoil() - a retransmission: stop timing what it covers
 * @r: the estimator
 * @seq: the first sequence number sent again
 *
 * Karn's rule (RFC 6298 section 3): the ACK of a retransmitted segment
 * cannot say which transmission it answers, so a timed segment that
 * ends after @seq is timed no more. The timestamp echo can still time
 * that ACK (@karn).
 */
void xtcp_rtt_spoil(struct xtcp_rtt *r, u32 seq)
{
	r->karn = 1;
	if (r->timing && xtcp_seq_before(seq, r->seq))
		r->timing = 0;
}

/**
 * xtcp_rtt_start() - time the segment that ends at @end_seq
 * @r: the estimator
 * @end_seq: the sequence number that, once acknowledged, ends the timing
 * @now_us: when the segment left
 */
void xtcp_rtt_start(struct xtcp_rtt *r, u32 end_seq, u64 now_us)
{
	r->timing = 1;
	r->seq = end_seq;
	r->stamp_us = now_us;
}

/**
 * xtcp_rtt_sent() - a segment left: time it, or spoil a timing
 * @r: the estimator
 * @seq: its first sequence number (a SYN's is the ISS)
 * @end_seq: the sequence number that, once acknowledged, ends its timing
 * @rtx: it was sent before
 * @now_us: the time
 *
 * One segment at a time, as RFC 6298 section 3 describes: new data is
 * timed if nothing is; a retransmission spoils the timing it covers.
 * SYN and SYN-ACK are timed too, so the first RTO after the handshake
 * rests on a sample rather than the initial 1 second.
 */
void xtcp_rtt_sent(struct xtcp_rtt *r, u32 seq, u32 end_seq, bool rtx,
		   u64 now_us)
{
	if (rtx)
		xtcp_rtt_spoil(r, seq);
	else if (!r->timing)
		xtcp_rtt_start(r, end_seq, now_us);
}

/**
 * xtcp_rtt_acked() - take an RTT sample from an ACK of new data
 * @r: the estimator
 * @ack: SEG.ACK, after SND.UNA
 * @now_us: the time
 * @ts_now_ms: our timestamp clock now, if timestamps are on, else 0
 * @tsecr: the ACK's TSecr, or 0 without a timestamp option
 * @rto_min_us: the RTO's lower bound
 * @rtt_us: the sample, when one is taken
 *
 * RFC 6298 2 and 3: a sample from the timed segment if @ack covers it.
 * After a retransmission broke the timing, the timestamp echo gives the
 * sample instead (RFC 7323 section 4.1), so the estimator does not wait a
 * whole new round trip, or a loss episode, for its next sample. Linux TCP
 * takes the same sample then; at other times our microsecond timing is
 * finer than the millisecond timestamp clock.
 *
 * Return: true if a sample was taken (and the RTO computed again).
 */
bool xtcp_rtt_acked(struct xtcp_rtt *r, u32 ack, u64 now_us, u32 ts_now_ms,
		    u32 tsecr, u32 rto_min_us, u32 *rtt_us)
{
	if (r->timing && !xtcp_seq_before(ack, r->seq)) {
		r->timing = 0;
		*rtt_us = (u32)min_t(u64, now_us - r->stamp_us, U32_MAX);
	} else if (!(r->karn && ts_now_ms &&
		     xtcp_rtt_from_ts(ts_now_ms, tsecr, rtt_us))) {
		return false;
	}
	r->karn = 0;
	xtcp_rtt_sample(r, *rtt_us, rto_min_us);
	return true;
}
