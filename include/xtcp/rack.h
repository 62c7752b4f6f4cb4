/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RACK-TLP (RFC 8985): loss detection by time, and the tail loss probe;
 * and Proportional Rate Reduction (RFC 6937) of the window in recovery.
 *
 * RACK needs the time each segment was last sent. xtcp keeps no skb per
 * segment, so a small log of transmissions stands in: each entry a range
 * of sequence numbers sent at one time (a GSO burst, a retransmission, or
 * consecutive segments sent within XTCP_RACK_GRAIN_US of each other). The
 * pure logic here (the log, the RACK loss test, the reordering window,
 * the probe timeout) knows no socket, so KUnit drives it; recovery.c puts
 * it to work on a connection.
 */
#ifndef _XTCP_RACK_H
#define _XTCP_RACK_H

#include <linux/types.h>

/* Transmissions remembered: older ones leave only their time (@floor_t). */
#define XTCP_RACK_LOG		32
/* Consecutive new data sent within this many us shares one entry. */
#define XTCP_RACK_GRAIN_US	1000
/* A probe timeout no shorter than this (Linux: 2 jiffies). */
#define XTCP_TLP_MIN_US		10000
/* Without an RTT sample (RFC 8985 7.2): 1 s. */
#define XTCP_TLP_NO_RTT_US	1000000

/* net.xtcp.recovery bits, as Linux's tcp_recovery. */
#define XTCP_RECOVERY_RACK	0x1

/* What the retransmission timer does when it fires. */
enum xtcp_rtx_mode {
	XTCP_RTX_RTO,		/* a retransmission timeout */
	XTCP_RTX_TLP,		/* send a tail loss probe */
	XTCP_RTX_REO,		/* RACK's reordering window has passed */
};

/**
 * struct xtcp_rack_xmit - one transmission in the log
 * @start: first sequence number sent
 * @end: one past the last
 * @t: when, in us (the low 32 bits of the monotonic clock), to 2 us: bit
 *	0 says the range had been sent before (XTCP_RACK_RTX)
 */
struct xtcp_rack_xmit {
	u32 start;
	u32 end;
	u32 t;
};

#define XTCP_RACK_RTX		1U

/**
 * struct xtcp_rack - RACK and TLP state of a connection
 * @log: the latest transmissions, oldest at @head, in the order sent: an
 *	array of XTCP_RACK_LOG, allocated when the connection first sends
 *	data (recovery.c), so that an idle connection does not carry it;
 *	NULL until then, or if that allocation failed (nothing is logged)
 * @head: index of the oldest entry
 * @nr: entries in use
 * @floor_t: the time of the newest entry that left the log: a byte no
 *	entry covers was last sent at or before it
 * @xmit_t: RACK.xmit_ts, when the latest-sent delivered segment was sent
 * @end_seq: RACK.end_seq, where it ends
 * @rtt_us: RACK.rtt, the round trip that delivered it
 * @min_rtt_us: the least RACK.rtt seen (0: none yet)
 * @tlp_end: TLP.end_seq, SND.MAX when the probe went (@tlp_out)
 * @tlp_rxt_seq: the first sequence number the probe resent (@tlp_rxt)
 * @tlp_rxt_end: one past the last (its FIN's, for a FIN alone)
 * @prr_delivered: PRR (RFC 6937): bytes delivered since recovery began
 * @prr_out: bytes sent since recovery began
 * @recover_fs: the flight when recovery began (RecoverFS)
 * @dsack_round: RACK.dsack_round, SND.NXT when a D-SACK last grew
 *	@reo_mult (valid with @dsack_round_on): one growth per round trip
 * @reo_mult: RACK.reo_wnd_mult, the reordering window in quarters of
 *	the least RTT (0 reads as 1)
 * @reo_persist: RACK.reo_wnd_persist, recoveries left before @reo_mult
 *	falls back to 1
 * @valid: @xmit_t holds a delivered segment's time
 * @reord: the peer was seen to reorder (RACK.reord)
 * @tlp_out: a probe is unanswered (one per episode)
 * @tlp_rxt: the probe was a retransmission
 * @dsack_round_on: @dsack_round is set
 * @mode: what the retransmission timer does (enum xtcp_rtx_mode)
 */
struct xtcp_rack {
	struct xtcp_rack_xmit *log;
	u8 head;
	u8 nr;
	u32 floor_t;
	u32 xmit_t;
	u32 end_seq;
	u32 rtt_us;
	u32 min_rtt_us;
	u32 tlp_end;
	u32 tlp_rxt_seq;
	u32 tlp_rxt_end;
	u32 prr_delivered;
	u32 prr_out;
	u32 recover_fs;
	u32 dsack_round;
	u8 reo_mult;
	u8 reo_persist;
	u8 valid:1,
	   reord:1,
	   tlp_out:1,
	   tlp_rxt:1,
	   prr:1,
	   dsack_round_on:1;
	u8 mode;
};

void xtcp_rack_reset(struct xtcp_rack *r, u32 now);
void xtcp_rack_log_sent(struct xtcp_rack *r, u32 seq, u32 len, bool rtx,
			u32 now);
void xtcp_rack_log_acked(struct xtcp_rack *r, u32 snd_una);
u32 xtcp_rack_last_sent(const struct xtcp_rack *r, u32 start, u32 end);
bool xtcp_rack_delivered(struct xtcp_rack *r, u32 start, u32 end, u32 now);
u32 xtcp_rack_ack_rtt(const struct xtcp_rack *r, u32 una, u32 ack, u32 now);
bool xtcp_rack_sent_after(u32 t1, u32 seq1, u32 t2, u32 seq2);
u32 xtcp_rack_reo_wnd(u32 min_rtt_us, u32 srtt_us, bool reord,
		      bool in_recovery, bool dupthresh_sacked, u8 mult);
void xtcp_rack_dsack(struct xtcp_rack *r, u32 snd_una, u32 snd_nxt,
		     bool dsack);
void xtcp_rack_recovery_done(struct xtcp_rack *r);
bool xtcp_rack_is_lost(const struct xtcp_rack *r, u32 seg_t, u32 seg_end,
		       u32 reo_wnd, u32 now, u32 *wait_us);
u32 xtcp_tlp_pto(u32 srtt_us, u32 delack_us, u32 rto_us);
bool xtcp_tlp_dsack(const struct xtcp_rack *r, u32 start, u32 end);
u32 xtcp_prr_sndcnt(u32 prr_delivered, u32 prr_out, u32 delivered, u32 pipe,
		    u32 ssthresh, u32 recover_fs, u32 mss);
u32 xtcp_prr_cwnd(u32 prr_delivered, u32 prr_out, u32 delivered, u32 pipe,
		  u32 ssthresh, u32 recover_fs, u32 mss);

#endif /* _XTCP_RACK_H */
