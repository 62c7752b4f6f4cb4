/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Explicit Congestion Notification (RFC 3168), as Linux TCP does it: the
 * decisions as pure functions (checked in KUnit, kunit/ecn_test.c);
 * mod/ecn.c gathers the numbers from the socket and acts.
 *
 * net.xtcp.ecn, as net.ipv4.tcp_ecn: 0 off; 1 ask for ECN in our SYNs
 * and agree to it in our SYN-ACKs; 2 (the default) only agree.
 */
#ifndef _XTCP_ECN_H
#define _XTCP_ECN_H

#include <linux/types.h>
#include <net/inet_ecn.h>
#include <net/tcp.h>
#include <xtcp/seq.h>

#define XTCP_ECN_OFF		0
#define XTCP_ECN_ON		1	/* ask, and agree */
#define XTCP_ECN_PASSIVE	2	/* agree when asked */

/* An ECN-setup SYN carries both; its SYN-ACK ECE alone (RFC 3168 6.1.1). */
#define XTCP_ECN_SETUP		(TCPHDR_ECE | TCPHDR_CWR)

/**
 * xtcp_ecn_want() - does an active open ask for ECN?
 * @sysctl: net.xtcp.ecn
 *
 * Return: true for net.xtcp.ecn=1 only; 2 agrees but never asks.
 */
static inline bool xtcp_ecn_want(int sysctl)
{
	return sysctl == XTCP_ECN_ON;
}

/**
 * xtcp_ecn_syn_flags() - the ECN flags of our SYN
 * @asked: the connection asks for ECN (xtcp_ecn_want() at connect())
 * @retries: SYN retransmissions so far
 *
 * A retransmitted SYN goes without them (RFC 3168 6.1.1.1, Linux's
 * tcp_ecn_fallback): a middlebox that drops ECN-setup SYNs must not cost
 * the connection. The connection still counts on ECN until a SYN-ACK
 * says otherwise.
 *
 * Return: TCPHDR_ECE | TCPHDR_CWR, or 0.
 */
static inline u8 xtcp_ecn_syn_flags(bool asked, u8 retries)
{
	return asked && !retries ? XTCP_ECN_SETUP : 0;
}

/**
 * xtcp_ecn_accept() - does a listener agree to ECN for this SYN?
 * @sysctl: net.xtcp.ecn
 * @flags: the SYN's TCP flags
 * @ip_ecn: the ECN field of the SYN's IP header (INET_ECN_*)
 *
 * An ECN-setup SYN (ECE and CWR, RFC 3168 6.1.1), with ECN on or passive,
 * and, as Linux's tcp_ecn_create_request(), a SYN that is not ECT itself:
 * a path that marks SYNs ECT is one that rewrites the field.
 *
 * Return: true to answer with ECE in the SYN-ACK.
 */
static inline bool xtcp_ecn_accept(int sysctl, u8 flags, u8 ip_ecn)
{
	return sysctl != XTCP_ECN_OFF &&
	       (flags & XTCP_ECN_SETUP) == XTCP_ECN_SETUP &&
	       ip_ecn == INET_ECN_NOT_ECT;
}

/**
 * xtcp_ecn_agreed() - is ECN on after the peer's SYN or SYN-ACK?
 * @asked: we sent an ECN-setup SYN (active open), or agreed to the peer's
 *	(a passive child, whose SYN is the one its SYN-ACK answered)
 * @flags: the peer's SYN or SYN-ACK TCP flags
 *
 * A SYN-ACK must carry ECE without CWR (an ECE|CWR SYN-ACK is a
 * reflection of our SYN by a broken peer, RFC 3168 6.1.1); a SYN (a
 * simultaneous open, or the one a passive child stands for) ECE and CWR.
 *
 * Return: true if the connection uses ECN.
 */
static inline bool xtcp_ecn_agreed(bool asked, u8 flags)
{
	u8 ecn = flags & XTCP_ECN_SETUP;

	if (!asked)
		return false;
	if (flags & TCPHDR_ACK)
		return ecn == TCPHDR_ECE;
	return ecn == XTCP_ECN_SETUP;
}

/**
 * struct xtcp_ecn_out - one outgoing segment of a connection, for ECN
 * @ecn_ok: ECN was negotiated
 * @demand_cwr: we saw CE and the peer has not answered with CWR yet
 * @queue_cwr: we reduced the window and have not said so with CWR yet
 * @ctl: SYN or RST: never ECT, never ECE/CWR from here
 * @new_data: it carries data never sent before (not a retransmission, a
 *	pure ACK, a window probe or a FIN alone)
 */
struct xtcp_ecn_out {
	bool ecn_ok;
	bool demand_cwr;
	bool queue_cwr;
	bool ctl;
	bool new_data;
};

/**
 * xtcp_ecn_out_ect() - may the segment go ECT(0)?
 * @in: the segment
 *
 * RFC 3168 6.1.5 and 6.1.6, as Linux's tcp_ecn_send(): only new data;
 * retransmissions, pure ACKs and window probes go not-ECT, since they
 * cannot be answered with a window reduction (and a dropped pure ACK is
 * not congestion the sender can react to).
 *
 * Return: INET_ECN_ECT_0 or INET_ECN_NOT_ECT.
 */
static inline u8 xtcp_ecn_out_ect(const struct xtcp_ecn_out *in)
{
	return in->ecn_ok && !in->ctl && in->new_data ? INET_ECN_ECT_0 :
							INET_ECN_NOT_ECT;
}

/**
 * xtcp_ecn_out_flags() - ECE and CWR for the segment
 * @in: the segment
 *
 * ECE on every segment while @demand_cwr (RFC 3168 6.1.3: until a CWR
 * arrives); CWR on the first new data after a window reduction (6.1.2).
 * SYNs and RSTs carry neither (the SYN's setup flags are
 * xtcp_ecn_syn_flags()'s).
 *
 * Return: TCPHDR_ECE and/or TCPHDR_CWR, or 0.
 */
static inline u8 xtcp_ecn_out_flags(const struct xtcp_ecn_out *in)
{
	u8 flags = 0;

	if (!in->ecn_ok || in->ctl)
		return 0;
	if (in->demand_cwr)
		flags |= TCPHDR_ECE;
	if (in->queue_cwr && in->new_data)
		flags |= TCPHDR_CWR;
	return flags;
}

/**
 * xtcp_ecn_tos() - the TOS byte or traffic class a segment goes with
 * @user: the socket's IP_TOS or IPV6_TCLASS
 * @ect: xtcp_ecn_out_ect()'s answer
 *
 * The ECN field is TCP's alone: the user's bits never reach the wire.
 *
 * Return: the byte.
 */
static inline u8 xtcp_ecn_tos(u8 user, u8 ect)
{
	return (user & ~INET_ECN_MASK) | (ect & INET_ECN_MASK);
}

/* What a data segment's ECN field does at the receiver. */
enum {
	XTCP_ECN_RX_DEMAND	= 1,	/* echo ECE until CWR */
	XTCP_ECN_RX_SEEN	= 2,	/* ECT or CE seen (TCPI_OPT_ECN_SEEN) */
	XTCP_ECN_RX_ACK_NOW	= 4,	/* acknowledge at once */
	XTCP_ECN_RX_CE		= 8,	/* the segment was CE-marked */
};

/**
 * xtcp_ecn_rcv() - a data segment arrives on an ECN connection
 * @ip_ecn: its IP header's ECN field
 * @cwr: it carries CWR
 * @demand_cwr: we were echoing ECE before it
 *
 * As Linux's tcp_ecn_accept_cwr() then tcp_ecn_check_ce(): CWR ends the
 * echo (RFC 3168 6.1.3) and, the sender's window being small now, is
 * acknowledged at once; then CE starts it again. The first CE since
 * the echo last ended is acknowledged at once (Linux's quick ACK), so
 * that the sender learns of it within the round trip whatever the
 * delayed ACK timer says.
 *
 * Return: XTCP_ECN_RX_* bits; XTCP_ECN_RX_DEMAND set means the echo goes
 * on (or starts), clear that it stops.
 */
static inline unsigned int xtcp_ecn_rcv(u8 ip_ecn, bool cwr, bool demand_cwr)
{
	unsigned int r = 0;

	if (cwr) {
		demand_cwr = false;
		r |= XTCP_ECN_RX_ACK_NOW;
	}
	if (demand_cwr)
		r |= XTCP_ECN_RX_DEMAND;
	switch (ip_ecn & INET_ECN_MASK) {
	case INET_ECN_CE:
		r |= XTCP_ECN_RX_CE | XTCP_ECN_RX_SEEN | XTCP_ECN_RX_DEMAND;
		if (!demand_cwr)
			r |= XTCP_ECN_RX_ACK_NOW;
		break;
	case INET_ECN_ECT_0:
	case INET_ECN_ECT_1:
		r |= XTCP_ECN_RX_SEEN;
		break;
	}
	return r;
}

/**
 * struct xtcp_ecn_ece - an ACK with ECE meets the sender's state
 * @ecn_ok: ECN was negotiated
 * @flags: the ACK's TCP flags
 * @in_recovery: in fast recovery: the window is being reduced already
 * @in_cwr: a reduction for ECE is under way (@cwr_high valid)
 * @snd_una: SND.UNA after the ACK
 * @recover: SND.MAX when loss recovery (or an RTO) last began
 * @cwr_high: SND.MAX when the window was last reduced for ECE
 */
struct xtcp_ecn_ece {
	bool ecn_ok;
	u8 flags;
	bool in_recovery;
	bool in_cwr;
	u32 snd_una;
	u32 recover;
	u32 cwr_high;
};

/**
 * xtcp_ecn_reduce() - does this ECE reduce the congestion window?
 * @in: the ACK and the state
 *
 * RFC 3168 6.1.2: at most once per window of data, and not again for a
 * window already reduced for a loss. An ECE counts only on a
 * negotiated connection and never on a SYN (a SYN-ACK's ECE is the
 * negotiation, tcp_ecn_rcv_ecn_echo()). The window of a reduction is
 * what was sent before it: until SND.UNA passes SND.MAX of then (for
 * ECE, @cwr_high; for a loss, @recover), further ECEs are the same
 * congestion, echoed until our CWR arrived.
 *
 * Return: true to reduce the window now.
 */
static inline bool xtcp_ecn_reduce(const struct xtcp_ecn_ece *in)
{
	if (!in->ecn_ok || !(in->flags & TCPHDR_ECE) ||
	    (in->flags & TCPHDR_SYN) || in->in_recovery)
		return false;
	if (xtcp_seq_before(in->snd_una, in->recover))
		return false;
	return !in->in_cwr || xtcp_seq_after(in->snd_una, in->cwr_high);
}

/**
 * xtcp_ecn_cwr_done() - does the reduction for an ECE end on this ACK?
 * @in_cwr: a reduction is under way
 * @snd_una: SND.UNA after the ACK
 * @cwr_high: SND.MAX when it began
 *
 * When SND.UNA goes past @cwr_high, not when it reaches it: only data
 * sent after the reduction began can carry our CWR, and until the
 * receiver has it, its ECEs echo this congestion still (Linux holds its
 * CWR state the same way, tcp_fastretrans_alert()).
 *
 * Return: true to end it: cwnd is ssthresh from here.
 */
static inline bool xtcp_ecn_cwr_done(bool in_cwr, u32 snd_una, u32 cwr_high)
{
	return in_cwr && xtcp_seq_after(snd_una, cwr_high);
}

#endif /* _XTCP_ECN_H */
