/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control: a small pluggable interface (cc.c) and its
 * algorithms, NewReno (cc_newreno.c, RFC 5681/6582) and CUBIC
 * (cc_cubic.c, RFC 9438). The window arithmetic is pure: it sees only
 * struct xtcp_cc, so KUnit drives it with made-up ACKs and losses.
 *
 * Windows are in bytes. Loss recovery itself (which segment goes when)
 * belongs to the sender (sender.c, recovery.c); this file only answers
 * "how big may the window be", and is the only one to write cwnd,
 * ssthresh and the MSS they count in: the sender tells it what happened
 * (an ACK, a loss, an RTO, a step of fast recovery).
 */
#ifndef _XTCP_CC_H
#define _XTCP_CC_H

#include <linux/list.h>
#include <linux/types.h>
#include <xtcp/hystart.h>

#define XTCP_CC_NAME_MAX	16	/* as TCP_CA_NAME_MAX */
#define XTCP_CC_PRIV_SIZE	64
/*
 * RFC 5681's "arbitrarily high" initial ssthresh, and the largest window.
 * Half the u32 range, so that a window plus an increment never wraps.
 */
#define XTCP_CC_SSTHRESH_INIT	0x7fffffffU
#define XTCP_CC_CWND_MAX	0x7fffffffU

struct xtcp_cc;

/**
 * struct xtcp_cc_ops - one congestion control algorithm
 * @list: in the list of registered algorithms
 * @name: what TCP_CONGESTION and net.xtcp.congestion_control call it
 * @init: set up @priv; cwnd and ssthresh are already at their initial values
 * @cong_avoid: @acked new bytes were acknowledged outside loss recovery:
 *	grow cwnd (slow start below ssthresh, congestion avoidance above)
 * @ssthresh: a loss was detected with @flight bytes outstanding: return
 *	the new slow start threshold (at least 2 MSS)
 * @rtt_sample: optional, a new RTT measurement in microseconds
 * @on_rto: optional, the retransmission timer expired: @ssthresh was
 *	called and cwnd is at the loss window
 */
struct xtcp_cc_ops {
	struct list_head list;
	char name[XTCP_CC_NAME_MAX];
	void (*init)(struct xtcp_cc *cc, u64 now_us);
	void (*cong_avoid)(struct xtcp_cc *cc, u32 acked, u64 now_us);
	u32 (*ssthresh)(struct xtcp_cc *cc, u32 flight, u64 now_us);
	void (*rtt_sample)(struct xtcp_cc *cc, u32 rtt_us);
	void (*on_rto)(struct xtcp_cc *cc, u64 now_us);
};

/**
 * struct xtcp_cc - a connection's congestion state
 * @ops: its algorithm
 * @cwnd: congestion window, bytes
 * @ssthresh: slow start threshold, bytes
 * @mss: sender MSS, bytes
 * @rto_slow_start: in the slow start that follows an RTO, where each ACK
 *	may grow cwnd by 1 MSS rather than 2 (RFC 3465, see cc.c)
 * @prior_cwnd: cwnd before the recovery episode that may be undone
 *	(xtcp_cc_undo_mark(), xtcp_cc_undo())
 * @prior_ssthresh: ssthresh before it
 * @hs: HyStart++ (RFC 9406) in the first slow start, whatever the
 *	algorithm (xtcp_cc_hystart_start())
 * @priv: the algorithm's own state
 */
struct xtcp_cc {
	const struct xtcp_cc_ops *ops;
	u32 cwnd;
	u32 ssthresh;
	u32 mss;
	bool rto_slow_start;
	u32 prior_cwnd;
	u32 prior_ssthresh;
	struct xtcp_hystart hs;
	u64 priv[XTCP_CC_PRIV_SIZE / sizeof(u64)];
};

/* Connection side, cc.c */
void xtcp_cc_init(struct xtcp_cc *cc, const struct xtcp_cc_ops *ops, u32 mss,
		  u64 now_us);
void xtcp_cc_on_ack(struct xtcp_cc *cc, u32 acked, u64 now_us);
void xtcp_cc_on_loss(struct xtcp_cc *cc, u32 flight, u64 now_us);
void xtcp_cc_on_rto(struct xtcp_cc *cc, u32 flight, u64 now_us);
void xtcp_cc_on_ecn(struct xtcp_cc *cc, u32 flight, u64 now_us);
void xtcp_cc_rto_again(struct xtcp_cc *cc);
void xtcp_cc_set_mss(struct xtcp_cc *cc, u32 mss);
/* HyStart++ (RFC 9406): the first slow start may end on delay. */
void xtcp_cc_hystart_start(struct xtcp_cc *cc, u32 snd_nxt);
enum xtcp_hs_event xtcp_cc_on_rtt(struct xtcp_cc *cc, u32 ack, u32 snd_nxt,
				  u32 rtt_us);
/* Loss recovery's hold on the window: PRR (recovery.c) and NewReno. */
void xtcp_cc_set_cwnd(struct xtcp_cc *cc, u32 cwnd);
void xtcp_cc_reno_recovery_start(struct xtcp_cc *cc, u32 dupthresh);
void xtcp_cc_reno_dupack(struct xtcp_cc *cc);
void xtcp_cc_reno_partial_ack(struct xtcp_cc *cc, u32 acked);
void xtcp_cc_reno_recovery_end(struct xtcp_cc *cc, u32 flight);
/* Undoing a reduction that proved spurious (D-SACK, RFC 3708). */
void xtcp_cc_undo_mark(struct xtcp_cc *cc);
void xtcp_cc_undo(struct xtcp_cc *cc);

/* Helpers for algorithms */
u32 xtcp_cc_slow_start(struct xtcp_cc *cc, u32 acked);
u32 xtcp_cc_initial_window(u32 mss);

/* The built-in algorithms; NewReno is the fallback when a name is gone. */
extern struct xtcp_cc_ops xtcp_cc_newreno;
extern struct xtcp_cc_ops xtcp_cc_cubic;

/* The registry, cc.c */
int xtcp_cc_register(struct xtcp_cc_ops *ops);
void xtcp_cc_unregister(struct xtcp_cc_ops *ops);
const struct xtcp_cc_ops *xtcp_cc_find(const char *name);
int xtcp_cc_module_init(void);
void xtcp_cc_module_exit(void);

#endif /* _XTCP_CC_H */
