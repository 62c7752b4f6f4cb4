// SPDX-License-Identifier: GPL-2.0
/*
 * Explicit Congestion Notification (RFC 3168), as Linux TCP does it
 * (tcp_ecn_*() in tcp_input.c and tcp_output.c). The rules are pure
 * functions in include/xtcp/ecn.h; this file applies them to a
 * connection:
 *
 * - negotiation: net.xtcp.ecn=1 sends an ECN-setup SYN (ECE|CWR); a
 *   listener with net.xtcp.ecn 1 or 2 answers one with ECE in its SYN-ACK
 *   (request.c, and in a SYN cookie's timestamp bits, listen.c); the
 *   SYN-ACK or the SYN decides (xtcp_ecn_take_syn());
 * - sending: new data goes ECT(0), nothing else does; ECE on everything
 *   while the peer owes us a CWR; CWR on the first new data after a
 *   reduction (xtcp_ecn_out(), called by output.c);
 * - receiving: a CE mark makes us echo ECE until CWR comes, and the first
 *   one is acknowledged at once (xtcp_ecn_rcv_data(), receiver.c);
 * - reacting: an ECE reduces the congestion window once per window of
 *   data (xtcp_ecn_rcv_ack(), sender.c): ssthresh through cc.c, as a
 *   loss would, but nothing is retransmitted. As in Linux's CWR state,
 *   PRR (RFC 6937, recovery.c) then brings cwnd down to ssthresh over
 *   the round trip, in step with the ACKs, so that sending never stops;
 *   fast recovery or an RTO during it takes over (sender.c).
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/inet_ecn.h>
#include <xtcp/ecn.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/xtcp.h>

/**
 * xtcp_ecn_ip() - the ECN field of a received segment's IP header
 * @skb: the segment; its network header still in the buffer
 *
 * Read from the header itself, IPv4's TOS or IPv6's traffic class: the
 * control block holds xtcp's struct xtcp_seg, which has no room for it.
 *
 * Return: INET_ECN_NOT_ECT, _ECT_1, _ECT_0 or _CE.
 */
u8 xtcp_ecn_ip(const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IPV6))
		return ipv6_get_dsfield(ipv6_hdr(skb)) & INET_ECN_MASK;
	return ip_hdr(skb)->tos & INET_ECN_MASK;
}

/**
 * xtcp_ecn_offer() - before our SYN: ask for ECN if net.xtcp.ecn says so
 * @sk: the connection
 */
void xtcp_ecn_offer(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ecn_ok = xtcp_ecn_want(READ_ONCE(xtcp_net(sock_net(sk))->ecn));
	xs->ecn_demand_cwr = 0;
	xs->ecn_queue_cwr = 0;
	xs->ecn_seen = 0;
	xs->ecn_cwr = 0;
}

/**
 * xtcp_ecn_take_syn() - the peer's SYN-ACK or SYN decides on ECN
 * @sk: the connection: in SYN_SENT (its SYN asked if @sk->ecn_ok), or a
 *	passive child, whose SYN carries ECE|CWR only if the listener agreed
 * @seg: the SYN-ACK or SYN
 */
void xtcp_ecn_take_syn(struct sock *sk, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool asked = sk->sk_state == TCP_SYN_SENT ? xs->ecn_ok : true;

	xs->ecn_ok = xtcp_ecn_agreed(asked, seg->flags);
	if (xs->ecn_ok)
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_ECNNEGOTIATED);
}

/**
 * xtcp_ecn_out() - ECN for a segment a connection sends
 * @sk: the connection
 * @flags: its TCP flags, to which ECE, CWR or the SYN's setup are added
 * @new_data: it carries data never sent before
 *
 * Return: the ECN field for its IP header (INET_ECN_ECT_0 or _NOT_ECT).
 */
u8 xtcp_ecn_out(struct sock *sk, u8 *flags, bool new_data)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_ecn_out in = {
		.ecn_ok = xs->ecn_ok,
		.demand_cwr = xs->ecn_demand_cwr,
		.queue_cwr = xs->ecn_queue_cwr,
		.ctl = *flags & (TCPHDR_SYN | TCPHDR_RST),
		.new_data = new_data,
	};
	u8 add;

	if (*flags & TCPHDR_SYN) {
		/* Our SYN asks; a socket's SYN-ACK (simultaneous open) agrees. */
		if (*flags & TCPHDR_ACK)
			*flags |= xs->ecn_ok ? TCPHDR_ECE : 0;
		else
			*flags |= xtcp_ecn_syn_flags(xs->ecn_ok, xs->retries);
		return INET_ECN_NOT_ECT;
	}
	add = xtcp_ecn_out_flags(&in);
	if (add & TCPHDR_CWR) {
		xs->ecn_queue_cwr = 0;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_ECNCWRSENT);
	}
	*flags |= add;
	return xtcp_ecn_out_ect(&in);
}

/**
 * xtcp_ecn_rcv_data() - a data segment's ECN field, at the receiver
 * @sk: the connection
 * @skb: the segment
 *
 * Return: true to acknowledge it at once.
 */
bool xtcp_ecn_rcv_data(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned int r;

	if (!xs->ecn_ok)
		return false;
	r = xtcp_ecn_rcv(xtcp_ecn_ip(skb), xtcp_seg(skb)->flags & TCPHDR_CWR,
			 xs->ecn_demand_cwr);
	xs->ecn_demand_cwr = !!(r & XTCP_ECN_RX_DEMAND);
	if (r & XTCP_ECN_RX_SEEN)
		xs->ecn_seen = 1;
	if (r & XTCP_ECN_RX_CE)
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_ECNCERECV);
	return r & XTCP_ECN_RX_ACK_NOW;
}

/**
 * xtcp_ecn_rcv_ack() - an acceptable ACK's ECN flags, after the sender
 *	took its acknowledgment and loss signals
 * @sk: the connection
 * @flags: the segment's TCP flags
 *
 * CWR ends our ECE echo on any segment, data or not: RFC 3168 wants it
 * on new data only, but Linux accepts it on pure ACKs too, for senders
 * that put it there. An ECE reduces the window, once per window of data
 * (xtcp_ecn_reduce()), to the congestion control's ssthresh, by PRR
 * over the next round trip (xtcp_prr_cwr_start(); the caller passes
 * each ACK's delivery to xtcp_prr_ack() after this); it retransmits
 * nothing, and the next new data says CWR. The reduction ends when
 * SND.UNA passes what was sent before it (xtcp_ecn_cwr_done()): cwnd is
 * ssthresh then. A reduction of any kind ends what a D-SACK could undo:
 * the congestion was real.
 */
void xtcp_ecn_rcv_ack(struct sock *sk, u8 flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_ecn_ece in;

	if (!xs->ecn_ok)
		return;
	if (flags & TCPHDR_CWR)
		xs->ecn_demand_cwr = 0;
	if (xtcp_ecn_cwr_done(xs->ecn_cwr, xs->snd_una, xs->ecn_cwr_high)) {
		xs->ecn_cwr = 0;
		xtcp_prr_end(sk);
	}
	if (!(flags & TCPHDR_ECE))
		return;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_ECNECERECV);
	in = (struct xtcp_ecn_ece) {
		.ecn_ok = xs->ecn_ok,
		.flags = flags,
		.in_recovery = xs->in_recovery,
		.in_cwr = xs->ecn_cwr,
		.snd_una = xs->snd_una,
		.recover = xs->recover,
		.cwr_high = xs->ecn_cwr_high,
	};
	if (!xtcp_ecn_reduce(&in))
		return;
	xs->ecn_cwr = 1;
	xs->ecn_cwr_high = xs->snd_max;
	xs->ecn_queue_cwr = 1;
	xs->undo_on = false;
	xtcp_cc_on_ecn(&xs->cc, min(xs->snd_max - xs->snd_una, xs->cc.cwnd),
		       xtcp_now_us());
	xtcp_prr_cwr_start(sk);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_ECNREDUCTIONS);
}

/**
 * xtcp_ecn_reduced() - the window was reduced for a loss (fast recovery
 *	or an RTO): say so with CWR, as Linux's tcp_init_cwnd_reduction()
 *	and tcp_enter_loss() do, so that a receiver echoing ECE stops
 * @sk: the connection
 */
void xtcp_ecn_reduced(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ecn_ok)
		xs->ecn_queue_cwr = 1;
}
