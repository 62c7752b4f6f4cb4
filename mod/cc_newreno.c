// SPDX-License-Identifier: GPL-2.0
/*
 * NewReno's window (RFC 5681 section 3.1, RFC 6582): slow start, then
 * congestion avoidance that adds one MSS per round trip, and half the
 * flight on a loss. NewReno's partial ACK handling during recovery is
 * the sender's; this is only the window arithmetic.
 */

#include <linux/build_bug.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <xtcp/cc.h>

/**
 * struct xtcp_newreno - NewReno's state in xtcp_cc.priv
 * @bytes_acked: bytes acknowledged in congestion avoidance not yet turned
 *	into window growth (RFC 5681 section 3.1 byte counting)
 */
struct xtcp_newreno {
	u32 bytes_acked;
};

static struct xtcp_newreno *xtcp_newreno(struct xtcp_cc *cc)
{
	BUILD_BUG_ON(sizeof(struct xtcp_newreno) > XTCP_CC_PRIV_SIZE);
	return (struct xtcp_newreno *)cc->priv;
}

static void xtcp_newreno_init(struct xtcp_cc *cc, u64 now_us)
{
	xtcp_newreno(cc)->bytes_acked = 0;
}

/*
 * Congestion avoidance by byte counting: once a whole window's worth of
 * bytes has been acknowledged, cwnd grows by one MSS. Counting bytes
 * rather than ACKs makes the growth one MSS per RTT however often the
 * receiver acknowledges. A single large ACK may be worth several
 * windows (after a stretch of lost ACKs); each counts.
 */
static void xtcp_newreno_cong_avoid(struct xtcp_cc *cc, u32 acked, u64 now_us)
{
	struct xtcp_newreno *nr = xtcp_newreno(cc);
	u64 count;
	u32 n;

	if (cc->cwnd < cc->ssthresh) {
		acked = xtcp_cc_slow_start(cc, acked);
		if (!acked)
			return;
	}
	count = (u64)nr->bytes_acked + acked;
	if (count < cc->cwnd) {
		nr->bytes_acked = count;
		return;
	}
	n = div_u64(count, cc->cwnd);
	nr->bytes_acked = count - (u64)n * cc->cwnd;
	cc->cwnd = min_t(u64, cc->cwnd + (u64)n * cc->mss, XTCP_CC_CWND_MAX);
}

/* RFC 5681 equation (4): ssthresh = max(FlightSize / 2, 2 * SMSS). */
static u32 xtcp_newreno_ssthresh(struct xtcp_cc *cc, u32 flight, u64 now_us)
{
	xtcp_newreno(cc)->bytes_acked = 0;
	return max(flight / 2, 2 * cc->mss);
}

struct xtcp_cc_ops xtcp_cc_newreno = {
	.name		= "newreno",
	.init		= xtcp_newreno_init,
	.cong_avoid	= xtcp_newreno_cong_avoid,
	.ssthresh	= xtcp_newreno_ssthresh,
};
