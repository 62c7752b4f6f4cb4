/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CUBIC's state and arithmetic (mod/cc_cubic.c, RFC 9438), shown here so
 * that KUnit can check the curve itself, not only the windows it yields.
 */
#ifndef _XTCP_CUBIC_H
#define _XTCP_CUBIC_H

#include <linux/build_bug.h>
#include <xtcp/cc.h>

/**
 * struct xtcp_cubic - CUBIC's state in xtcp_cc.priv; windows in bytes
 * @epoch_start_us: when the current congestion avoidance epoch began
 * @cubic_cnt: (target - cwnd) * acked bytes not yet turned into growth
 * @est_cnt: acked bytes, weighted by alpha_cubic, not yet in @w_est
 * @w_max: the window the cubic curve plateaus at (RFC 9438 W_max)
 * @cwnd_prior: cwnd when ssthresh was last set, where W_est's alpha
 *	becomes 1 (RFC 9438 section 4.3)
 * @w_est: the Reno-friendly estimate W_est
 * @k_ms: K, the time from the epoch's start to the plateau, milliseconds
 * @min_rtt_us: the least RTT seen, 0 before any sample
 * @in_epoch: an epoch is running; false after a loss until the next ACK
 *	in congestion avoidance starts one
 * @rto_epoch: the next epoch follows an RTO: K = 0, W_max = cwnd there
 *	(RFC 9438 section 4.8)
 */
struct xtcp_cubic {
	u64 epoch_start_us;
	u64 cubic_cnt;
	u64 est_cnt;
	u32 w_max;
	u32 cwnd_prior;
	u32 w_est;
	u32 k_ms;
	u32 min_rtt_us;
	bool in_epoch;
	bool rto_epoch;
};

static inline struct xtcp_cubic *xtcp_cubic(struct xtcp_cc *cc)
{
	BUILD_BUG_ON(sizeof(struct xtcp_cubic) > XTCP_CC_PRIV_SIZE);
	return (struct xtcp_cubic *)cc->priv;
}

u32 xtcp_cubic_root(u64 x);
u32 xtcp_cubic_k_ms(u32 w_max, u32 cwnd_epoch, u32 mss);
u32 xtcp_cubic_window(u32 w_max, u32 k_ms, u32 mss, u64 t_ms);

#endif /* _XTCP_CUBIC_H */
