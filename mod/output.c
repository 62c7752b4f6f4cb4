// SPDX-License-Identifier: GPL-2.0
/*
 * Segments out: build the TCP header and options, checksum in software,
 * route, and hand to the IP layer with ip_local_out(). Connection segments
 * and stateless replies (RST for a segment no connection owns, ACK from a
 * TIME_WAIT entry) share one path.
 *
 * The checksum is computed here in full rather than offloaded so that a
 * capture anywhere on the path shows the real value (veth would otherwise
 * carry a partial checksum).
 */

#include <linux/ip.h>
#include <net/ip.h>
#include <net/route.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/seq.h>
#include "trace.h"

/**
 * struct xtcp_out - what goes into one outgoing segment
 * @key: 4-tuple from our side
 * @seq: SEG.SEQ
 * @ack: SEG.ACK, sent only with TCPHDR_ACK
 * @flags: TCPHDR_* bits
 * @wnd: SEG.WND
 * @opts: options, or NULL
 * @data: payload source: a queued send buffer, or NULL
 * @off: offset of the payload in @data
 * @len: payload bytes
 */
struct xtcp_out {
	struct xtcp_key key;
	u32 seq;
	u32 ack;
	u8 flags;
	u16 wnd;
	const struct xtcp_opts *opts;
	const struct sk_buff *data;
	u32 off;
	u32 len;
};

static int xtcp_ip_send(struct net *net, struct sock *sk, struct sk_buff *skb,
			const struct xtcp_key *key)
{
	struct flowi4 fl4;
	struct rtable *rt;
	struct iphdr *iph;

	flowi4_init_output(&fl4, sk ? sk->sk_bound_dev_if : 0,
			   sk ? sk->sk_mark : 0, 0, RT_SCOPE_UNIVERSE,
			   IPPROTO_TCP, 0, key->raddr, key->laddr,
			   key->rport, key->lport, sock_net_uid(net, sk));
	rt = ip_route_output_flow(net, &fl4, sk);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	skb_dst_set(skb, &rt->dst);

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = key->laddr;
	iph->daddr = key->raddr;
	ip_select_ident(net, skb, NULL);
	if (sk) {
		skb->priority = READ_ONCE(sk->sk_priority);
		skb->mark = READ_ONCE(sk->sk_mark);
	}
	return ip_local_out(net, sk, skb);
}

static int xtcp_xmit(struct net *net, struct sock *sk,
		     const struct xtcp_out *o)
{
	u8 opt[XTCP_MAX_OPT_LEN];
	unsigned int optlen = 0;
	struct sk_buff *skb;
	struct tcphdr *th;
	__wsum csum;

	if (o->opts)
		optlen = xtcp_opts_build(opt, sizeof(opt), o->opts);
	skb = alloc_skb(MAX_TCP_HEADER + o->len, GFP_ATOMIC);
	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, MAX_TCP_HEADER);
	if (o->len &&
	    skb_copy_bits(o->data, o->off, skb_put(skb, o->len), o->len)) {
		kfree_skb(skb);
		return -EFAULT;
	}

	th = skb_push(skb, sizeof(*th) + optlen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = o->key.lport;
	th->dest = o->key.rport;
	th->seq = htonl(o->seq);
	th->ack_seq = (o->flags & TCPHDR_ACK) ? htonl(o->ack) : 0;
	th->doff = (sizeof(*th) + optlen) / 4;
	tcp_flag_byte(th) = o->flags;
	th->window = htons(o->wnd);
	memcpy(th + 1, opt, optlen);

	csum = skb_checksum(skb, 0, skb->len, 0);
	th->check = csum_tcpudp_magic(o->key.laddr, o->key.raddr, skb->len,
				      IPPROTO_TCP, csum);
	skb->ip_summed = CHECKSUM_NONE;
	skb->protocol = htons(ETH_P_IP);

	trace_xtcp_segment_out(&o->key, o->seq, o->ack, o->flags, o->wnd,
			       o->len, o->opts && (o->opts->present & XTCP_HAS_MSS) ?
			       o->opts->mss : 0);
	if (o->flags & TCPHDR_RST)
		xtcp_mib_inc(net, XTCP_MIB_OUTRSTS);
	return xtcp_ip_send(net, sk, skb, &o->key);
}

/**
 * xtcp_rcv_window() - the window to advertise: free receive buffer space
 * @sk: the connection
 *
 * Return: bytes, at most 65535 (no window scaling yet).
 */
u16 xtcp_rcv_window(const struct sock *sk)
{
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);

	/* Buffers carry overhead beyond their payload: offer half the room. */
	space /= 2;
	if (space < 0)
		space = 0;
	return min_t(u32, space, XTCP_MAX_WINDOW);
}

/**
 * xtcp_route_mss() - the MSS to announce: the route's MTU less headers
 * @sk: the connection, with its remote address set
 *
 * Return: the MSS (MUST-67: based on the largest datagram we can receive;
 * the outgoing route's MTU is the best estimate we have).
 */
u16 xtcp_route_mss(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	u16 user_mss = READ_ONCE(xtcp_sk(sk)->user_mss);
	struct flowi4 fl4;
	struct rtable *rt;
	unsigned int mtu, mss;

	flowi4_init_output(&fl4, sk->sk_bound_dev_if, sk->sk_mark, 0,
			   RT_SCOPE_UNIVERSE, IPPROTO_TCP, 0, inet->inet_daddr,
			   inet->inet_saddr, inet->inet_dport,
			   inet->inet_sport, sock_net_uid(sock_net(sk), sk));
	rt = ip_route_output_flow(sock_net(sk), &fl4, sk);
	if (IS_ERR(rt)) {
		mss = XTCP_DEFAULT_MSS;
	} else {
		mtu = dst_mtu(&rt->dst);
		ip_rt_put(rt);
		mss = mtu - sizeof(struct iphdr) - sizeof(struct tcphdr);
		if (mtu < sizeof(struct iphdr) + sizeof(struct tcphdr) + 88)
			mss = XTCP_DEFAULT_MSS;
	}
	/* TCP_MAXSEG lowers what we announce, and so what we send. */
	if (user_mss && user_mss < mss)
		mss = user_mss;
	return mss;
}

static void xtcp_out_init(struct sock *sk, struct xtcp_out *o, u8 flags,
			  u32 seq)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	memset(o, 0, sizeof(*o));
	o->key = xs->h.key;
	o->seq = seq;
	o->flags = flags;
	o->ack = xs->rcv_nxt;
	o->wnd = xtcp_rcv_window(sk);
	if (flags & TCPHDR_ACK)
		xs->rcv_wnd = o->wnd;
}

/**
 * xtcp_send_ctl() - send a segment without data from a connection
 * @sk: the connection
 * @flags: TCPHDR_* (a SYN carries our MSS option)
 * @seq: SEG.SEQ
 *
 * Return: 0 or a negative errno from routing or the IP layer.
 */
int xtcp_send_ctl(struct sock *sk, u8 flags, u32 seq)
{
	struct xtcp_opts opts = {};
	struct xtcp_out o;

	xtcp_out_init(sk, &o, flags, seq);
	if (flags & TCPHDR_SYN) {
		opts.present = XTCP_HAS_MSS;
		opts.mss = xtcp_sk(sk)->adv_mss;
		o.opts = &opts;
	}
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_OUTSEGS);
	return xtcp_xmit(sock_net(sk), sk, &o);
}

/**
 * xtcp_send_ack() - acknowledge everything received so far
 * @sk: the connection
 */
void xtcp_send_ack(struct sock *sk)
{
	xtcp_send_ctl(sk, TCPHDR_ACK, xtcp_sk(sk)->snd_nxt);
}

/**
 * xtcp_send_challenge_ack() - RFC 5961 challenge ACK, rate limited
 * @sk: the connection
 *
 * A RST or SYN that is in the window but not exactly where we expect it
 * might be spoofed: answer with our real position and let the true peer
 * resend. The budget per second is net.xtcp.challenge_ack_limit for the
 * whole namespace (RFC 5961 section 7).
 */
void xtcp_send_challenge_ack(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_net(net);
	unsigned long now = jiffies / HZ;
	bool send;

	spin_lock_bh(&xn->lock);
	if (xn->challenge_stamp != now) {
		xn->challenge_stamp = now;
		xn->challenge_count = 0;
	}
	send = xn->challenge_count < READ_ONCE(xn->challenge_ack_limit);
	if (send)
		xn->challenge_count++;
	spin_unlock_bh(&xn->lock);

	if (!send) {
		xtcp_mib_inc(net, XTCP_MIB_CHALLENGEACKLIMITED);
		return;
	}
	xtcp_mib_inc(net, XTCP_MIB_CHALLENGEACKS);
	xtcp_send_ack(sk);
}

/**
 * xtcp_send_reset_reply() - RST for a segment no connection accepts
 * @net: the namespace it arrived in
 * @seg: the segment
 *
 * RFC 9293 3.10.7.1: if the segment has an ACK, the RST takes its sequence
 * number from SEG.ACK; otherwise it is <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
 * <CTL=RST,ACK>. An RST is never answered.
 */
void xtcp_send_reset_reply(struct net *net, const struct xtcp_seg *seg)
{
	struct xtcp_out o = {
		.key = {
			.laddr = seg->daddr,
			.raddr = seg->saddr,
			.lport = seg->dport,
			.rport = seg->sport,
		},
	};

	if (seg->flags & TCPHDR_RST)
		return;
	if (seg->flags & TCPHDR_ACK) {
		o.seq = seg->ack;
		o.flags = TCPHDR_RST;
	} else {
		o.ack = seg->end_seq;
		o.flags = TCPHDR_RST | TCPHDR_ACK;
	}
	xtcp_mib_inc(net, XTCP_MIB_OUTSEGS);
	xtcp_xmit(net, NULL, &o);
}

/**
 * xtcp_send_ack_stateless() - an ACK with no socket behind it
 * @net: the namespace
 * @key: 4-tuple from our side
 * @seq: SEG.SEQ
 * @ack: SEG.ACK
 * @wnd: SEG.WND
 *
 * For TIME_WAIT entries, which keep only the numbers.
 */
void xtcp_send_ack_stateless(struct net *net, const struct xtcp_key *key,
			     u32 seq, u32 ack, u16 wnd)
{
	struct xtcp_out o = {
		.key = *key,
		.seq = seq,
		.ack = ack,
		.flags = TCPHDR_ACK,
		.wnd = wnd,
	};

	xtcp_mib_inc(net, XTCP_MIB_OUTSEGS);
	xtcp_xmit(net, NULL, &o);
}

/* The FIN, if queued, sits at write_seq - 1. */
static bool xtcp_fin_due(const struct xtcp_sock *xs)
{
	return xs->fin_queued && xs->snd_nxt == xs->write_seq - 1;
}

/**
 * xtcp_push() - send what the window allows from the send queue
 * @sk: the connection, locked
 *
 * Sends every queued byte from SND.NXT up to SND.UNA + SND.WND, in
 * segments of at most the MSS, then our FIN once all data is out. Arms
 * the retransmission timer when something is in flight.
 */
void xtcp_push(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 wnd_end = xs->snd_una + xs->snd_wnd;
	struct sk_buff *skb;
	bool retrans = xtcp_seq_before(xs->snd_nxt, xs->rtx_head);
	struct xtcp_out o;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_tx_cb *cb = xtcp_tx_cb(skb);
		u32 off, len;

		if (xtcp_seq_leq(cb->end_seq, xs->snd_nxt))
			continue;
		while (xtcp_seq_before(xs->snd_nxt, cb->end_seq)) {
			off = xs->snd_nxt - cb->seq;
			len = min3(cb->end_seq - xs->snd_nxt, (u32)xs->mss,
				   wnd_end - xs->snd_nxt);
			if (!xtcp_seq_before(xs->snd_nxt, wnd_end) || !len)
				goto out;
			xtcp_out_init(sk, &o, TCPHDR_ACK | TCPHDR_PSH,
				      xs->snd_nxt);
			o.data = skb;
			o.off = off;
			o.len = len;
			xtcp_mib_inc(sock_net(sk), retrans ?
				     XTCP_MIB_RETRANSSEGS : XTCP_MIB_OUTSEGS);
			xtcp_xmit(sock_net(sk), sk, &o);
			xs->snd_nxt += len;
		}
	}
	if (xtcp_fin_due(xs)) {
		xtcp_send_ctl(sk, TCPHDR_FIN | TCPHDR_ACK, xs->snd_nxt);
		xs->snd_nxt++;
	}
out:
	if (xtcp_seq_after(xs->snd_nxt, xs->rtx_head))
		xs->rtx_head = xs->snd_nxt;
	if (xs->snd_nxt != xs->snd_una)
		xtcp_timer_rtx_arm(sk);
}

/**
 * xtcp_retransmit() - resend from the oldest unacknowledged byte
 * @sk: the connection, locked
 *
 * Go-back-N from SND.UNA: what was sent after it goes again as the window
 * allows. In SYN_SENT and SYN_RECEIVED the SYN or SYN-ACK is resent.
 */
void xtcp_retransmit(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
		xtcp_send_ctl(sk, TCPHDR_SYN, xs->iss);
		return;
	case TCP_SYN_RECV:
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
		xtcp_send_ctl(sk, TCPHDR_SYN | TCPHDR_ACK, xs->iss);
		return;
	}
	xs->snd_nxt = xs->snd_una;
	/* A zero window still gets one probe byte (RFC 9293 3.8.6.1). */
	if (!xs->snd_wnd)
		xs->snd_wnd = 1;
	xtcp_push(sk);
}
