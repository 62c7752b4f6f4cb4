/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Round-trip time estimation and the retransmission timeout (RFC 6298):
 * which segment is timed, Karn's rule, the samples and the RTO. Pure
 * arithmetic on struct xtcp_rtt, tested by KUnit (kunit/rtt_test.c).
 */
#ifndef _XTCP_RTT_H
#define _XTCP_RTT_H

#include <linux/types.h>

/* RFC 6298 2.1: the RTO before any sample; 2.5: the upper bound. */
#define XTCP_RTO_INIT_US	1000000U
#define XTCP_RTO_MAX_US		120000000U
/* Default lower bound (net.xtcp.rto_min_ms); Linux TCP uses 200 ms too. */
#define XTCP_RTO_MIN_DEFAULT_MS	200
/*
 * RFC 6298's clock granularity G: the least margin the RTO keeps above
 * SRTT however steady the samples. The retransmission timer is armed in
 * milliseconds (xtcp_sock.rto_ms), so a margin under 1 ms could not be
 * honoured anyway.
 */
#define XTCP_RTO_GRANULARITY_US	1000U

/**
 * struct xtcp_rtt - a connection's RTT estimator
 * @stamp_us: when the timed segment was sent
 * @srtt_us: smoothed RTT, 0 until the first sample
 * @rttvar_us: RTT variation
 * @rto_us: retransmission timeout, before backoff
 * @samples: samples taken so far (saturates)
 * @seq: the timed segment's end (valid with @timing)
 * @timing: a segment is being timed
 * @karn: a retransmission left the RTT untimed (Karn's rule): the next
 *	ACK of new data is timed by its timestamp echo, if it has one
 */
struct xtcp_rtt {
	u64 stamp_us;
	u32 srtt_us;
	u32 rttvar_us;
	u32 rto_us;
	u32 samples;
	u32 seq;
	u8 timing:1,
	   karn:1;
};

void xtcp_rtt_init(struct xtcp_rtt *r);
void xtcp_rtt_sample(struct xtcp_rtt *r, u32 rtt_us, u32 rto_min_us);
u32 xtcp_rtt_backoff(const struct xtcp_rtt *r, unsigned int backoff);
u32 xtcp_rtt_model_timeout_ms(unsigned int boundary, u32 rto_base_us);
bool xtcp_rtt_from_ts(u32 now_ms, u32 tsecr, u32 *rtt_us);
void xtcp_rtt_start(struct xtcp_rtt *r, u32 end_seq, u64 now_us);
void xtcp_rtt_sent(struct xtcp_rtt *r, u32 seq, u32 end_seq, bool rtx,
		   u64 now_us);
void xtcp_rtt_spoil(struct xtcp_rtt *r, u32 seq);
bool xtcp_rtt_acked(struct xtcp_rtt *r, u32 ack, u64 now_us, u32 ts_now_ms,
		    u32 tsecr, u32 rto_min_us, u32 *rtt_us);

#endif /* _XTCP_RTT_H */
