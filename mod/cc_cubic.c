// SPDX-License-Identifier: GPL-2.0
/*
 * CUBIC (RFC 9438) in integer arithmetic.
 *
 * After a loss the window follows W_cubic(t) = C * (t - K)^3 + W_max
 * (section 4.2), t the time since the epoch began: concave up to the
 * window of the last loss W_max, reached at t = K, then convex beyond it.
 * RFC 9438 counts windows in segments and time in seconds; here windows
 * are bytes (a segment is cc->mss bytes) and time is milliseconds, with
 * the constants as fractions: C = 0.4 = 2/5, beta_cubic = 0.7 = 7/10,
 * alpha_cubic = 3 * (1 - beta) / (1 + beta) = 9/17 (section 4.3), and
 * fast convergence's (1 + beta) / 2 = 17/20 (section 4.7).
 *
 * Choices left open by the RFC or by xtcp:
 * - RTT in the target W_cubic(t + RTT) (section 4.4) is the least RTT
 *   sampled, as Linux's CUBIC uses. The RFC means the smoothed RTT, but
 *   that includes the queue CUBIC itself builds: the fuller the queue,
 *   the further ahead it would aim. Before any sample RTT counts as 0.
 * - ssthresh is flight * beta_cubic as section 4.6 says (the sender's
 *   flight at a loss is normally its cwnd).
 * - Slow start is cc.c's, shared with NewReno: HyStart++ (RFC 9406,
 *   hystart.c) rather than Linux CUBIC's HyStart may end the first one
 *   on delay (net.xtcp.hystart), else it ends at the first loss.
 * - No undo of spurious reductions (section 4.9).
 */

#include <linux/bits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <xtcp/cubic.h>

/* W_cubic in bytes for d ms: C * (d / 1000)^3 * mss = 2 * d^3 * mss / 5e9 */
#define XTCP_CUBIC_DIV		5000000000ULL
/* K^3 in ms^3 for a window gap g in bytes: g / mss / C * 1e9 */
#define XTCP_CUBIC_K_MUL	2500000000ULL
/*
 * |t - K| of 2^21 ms (35 minutes) is worth more than XTCP_CC_CWND_MAX
 * bytes even at 1-byte segments: no need to cube a larger one, and
 * (2^21)^3 still fits in a u64.
 */
#define XTCP_CUBIC_T_MAX_MS	BIT_ULL(21)

/**
 * xtcp_cubic_root() - the integer cube root
 * @x: the number
 *
 * Digit by digit in base 2, the way long division goes: each step brings
 * down the next three bits of @x and decides the next bit of the root.
 * With root y so far, the candidate 2y + 1 fits if the remainder holds
 * (2y + 1)^3 - (2y)^3 = 3 * 2y * (2y + 1) + 1. Exact, no division, 22
 * steps for 64 bits.
 *
 * Return: floor(cbrt(@x)).
 */
u32 xtcp_cubic_root(u64 x)
{
	u64 y = 0, b;
	int s;

	for (s = 63; s >= 0; s -= 3) {
		y <<= 1;
		b = 3 * y * (y + 1) + 1;
		/* b << s could overflow; comparing x >> s cannot. */
		if ((x >> s) >= b) {
			x -= b << s;
			y++;
		}
	}
	return y;
}

/**
 * xtcp_cubic_k_ms() - K, the time the cubic curve takes to climb back
 * @w_max: the window to reach, bytes
 * @cwnd_epoch: the window at the epoch's start, bytes
 * @mss: bytes per segment
 *
 * K = cbrt((W_max - cwnd_epoch) / C) (RFC 9438 equation 2). Right after
 * a loss cwnd_epoch = beta * W_max and this is RFC 8312's
 * cbrt(W_max * (1 - beta) / C); the RFC 9438 form also holds when the
 * window was cut further or has grown since.
 *
 * Return: K in milliseconds, rounded down; 0 if @cwnd_epoch >= @w_max.
 */
u32 xtcp_cubic_k_ms(u32 w_max, u32 cwnd_epoch, u32 mss)
{
	u64 gap;

	if (cwnd_epoch >= w_max)
		return 0;
	/* gap < 2^32 and the factor < 2^32: no overflow. */
	gap = (u64)(w_max - cwnd_epoch) * XTCP_CUBIC_K_MUL;
	return xtcp_cubic_root(div_u64(gap, mss));
}

/**
 * xtcp_cubic_window() - W_cubic(t) (RFC 9438 equation 1)
 * @w_max: the plateau, bytes
 * @k_ms: K, milliseconds
 * @mss: bytes per segment
 * @t_ms: time since the epoch's start, milliseconds
 *
 * Return: the window, bytes, in [0, XTCP_CC_CWND_MAX].
 */
u32 xtcp_cubic_window(u32 w_max, u32 k_ms, u32 mss, u64 t_ms)
{
	bool before = t_ms < k_ms;
	u64 d = before ? k_ms - t_ms : t_ms - k_ms;
	u64 delta;

	d = min(d, XTCP_CUBIC_T_MAX_MS);
	/* 128-bit intermediate: d^3 * 2 * mss exceeds 64 bits. */
	delta = mul_u64_u64_div_u64(d * d * d, 2ULL * mss, XTCP_CUBIC_DIV);
	if (before)
		return delta >= w_max ? 0 : w_max - delta;
	return min_t(u64, (u64)w_max + delta, XTCP_CC_CWND_MAX);
}

static void xtcp_cubic_init(struct xtcp_cc *cc, u64 now_us)
{
	/*
	 * W_max = 0: the epoch that follows the initial slow start begins
	 * above it, so K = 0 and the curve probes convexly from there.
	 */
	memset(xtcp_cubic(cc), 0, sizeof(struct xtcp_cubic));
}

/* The first ACK in congestion avoidance after a loss or slow start. */
static void xtcp_cubic_epoch_start(struct xtcp_cc *cc, u64 now_us)
{
	struct xtcp_cubic *c = xtcp_cubic(cc);

	c->in_epoch = true;
	c->epoch_start_us = now_us;
	c->cubic_cnt = 0;
	c->est_cnt = 0;
	c->w_est = cc->cwnd;
	if (c->rto_epoch || cc->cwnd >= c->w_max) {
		/* Section 4.8 after an RTO; otherwise nothing to regain. */
		c->w_max = cc->cwnd;
		c->k_ms = 0;
	} else {
		c->k_ms = xtcp_cubic_k_ms(c->w_max, cc->cwnd, cc->mss);
	}
	c->rto_epoch = false;
}

/*
 * Section 4.3: W_est grows like Reno's window would, alpha_cubic segments
 * per window acknowledged; alpha is 9/17 until W_est reaches the window
 * of the last reduction, 1 from there on. Counted in 17ths of a byte.
 */
static void xtcp_cubic_reno_friendly(struct xtcp_cc *cc, u32 acked)
{
	struct xtcp_cubic *c = xtcp_cubic(cc);
	u64 per_mss = 17ULL * cc->cwnd;
	u64 n;

	c->est_cnt += (u64)acked * (c->w_est >= c->cwnd_prior ? 17 : 9);
	if (c->est_cnt < per_mss)
		return;
	n = div64_u64(c->est_cnt, per_mss);
	c->est_cnt -= n * per_mss;
	c->w_est = min_t(u64, c->w_est + n * cc->mss, XTCP_CC_CWND_MAX);
}

static void xtcp_cubic_cong_avoid(struct xtcp_cc *cc, u32 acked, u64 now_us)
{
	struct xtcp_cubic *c = xtcp_cubic(cc);
	u64 t_us, target, inc;

	if (cc->cwnd < cc->ssthresh) {
		acked = xtcp_cc_slow_start(cc, acked);
		if (!acked)
			return;
	}
	if (!c->in_epoch)
		xtcp_cubic_epoch_start(cc, now_us);
	t_us = now_us > c->epoch_start_us ? now_us - c->epoch_start_us : 0;

	xtcp_cubic_reno_friendly(cc, acked);
	if (xtcp_cubic_window(c->w_max, c->k_ms, cc->mss,
			      div_u64(t_us, 1000)) < c->w_est) {
		/* Reno-friendly region: at least what Reno would have. */
		cc->cwnd = max(cc->cwnd, c->w_est);
		return;
	}

	/*
	 * Concave and convex regions (4.4, 4.5): aim at where the curve
	 * will be one RTT from now, at least cwnd and at most 1.5 cwnd,
	 * and close the gap over one window of ACKs: (target - cwnd) /
	 * cwnd per byte acknowledged.
	 */
	target = xtcp_cubic_window(c->w_max, c->k_ms, cc->mss,
				   div_u64(t_us + c->min_rtt_us, 1000));
	target = clamp_t(u64, target, cc->cwnd, cc->cwnd + cc->cwnd / 2);
	c->cubic_cnt += (target - cc->cwnd) * acked;
	if (c->cubic_cnt < cc->cwnd)
		return;
	inc = div_u64(c->cubic_cnt, cc->cwnd);
	c->cubic_cnt -= inc * cc->cwnd;
	cc->cwnd = min_t(u64, cc->cwnd + inc, XTCP_CC_CWND_MAX);
}

/*
 * Section 4.6 with fast convergence (4.7): a loss below the last W_max
 * means another flow took bandwidth, so give some up: plateau at
 * cwnd * (1 + beta) / 2 rather than at cwnd.
 */
static u32 xtcp_cubic_ssthresh(struct xtcp_cc *cc, u32 flight, u64 now_us)
{
	struct xtcp_cubic *c = xtcp_cubic(cc);

	if (cc->cwnd < c->w_max)
		c->w_max = div_u64(17ULL * cc->cwnd, 20);
	else
		c->w_max = cc->cwnd;
	c->cwnd_prior = cc->cwnd;
	c->in_epoch = false;
	return max_t(u32, div_u64(7ULL * flight, 10), 2 * cc->mss);
}

static void xtcp_cubic_rtt_sample(struct xtcp_cc *cc, u32 rtt_us)
{
	struct xtcp_cubic *c = xtcp_cubic(cc);

	if (rtt_us && (!c->min_rtt_us || rtt_us < c->min_rtt_us))
		c->min_rtt_us = rtt_us;
}

static void xtcp_cubic_on_rto(struct xtcp_cc *cc, u64 now_us)
{
	xtcp_cubic(cc)->rto_epoch = true;
}

struct xtcp_cc_ops xtcp_cc_cubic = {
	.name		= "cubic",
	.init		= xtcp_cubic_init,
	.cong_avoid	= xtcp_cubic_cong_avoid,
	.ssthresh	= xtcp_cubic_ssthresh,
	.rtt_sample	= xtcp_cubic_rtt_sample,
	.on_rto		= xtcp_cubic_on_rto,
};
