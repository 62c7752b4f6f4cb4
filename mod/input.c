// SPDX-License-Identifier: GPL-2.0
/*
 * Segments in.
 *
 * A netfilter hook at NF_INET_LOCAL_IN sees every IPv4 datagram addressed
 * to this host, after routing and defragmentation and after the firewall's
 * INPUT rules (so they apply to xtcp as to TCP); a second hook at IPv6's
 * NF_INET_LOCAL_IN sees every IPv6 one (whole: ipv6.c has netfilter's
 * IPv6 defragmentation run before it). It steals exactly the TCP
 * segments an xtcp connection, TIME_WAIT entry or listener owns, and
 * returns every other one to the kernel untouched. That is one RCU hash
 * lookup per TCP segment; nothing is taken from Linux TCP's own ports, since
 * xtcp reserves its ports in Linux TCP's bind table (table.c).
 *
 * Then RFC 9293 3.10.7, "SEGMENT ARRIVES", by state: CLOSED, LISTEN,
 * SYN_SENT, and the synchronized states in the order of the RFC's steps.
 */

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <xtcp/fastopen.h>
#include <xtcp/guard.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/request.h>
#include <xtcp/seq.h>
#include <xtcp/syncookie.h>
#include <xtcp/table.h>
#include <xtcp/urgent.h>
#include <xtcp/window.h>
#include "trace.h"

/*
 * Last before conntrack confirms the flow: every INPUT chain and the input
 * NAT (which un-DNATs the replies of an outbound flow) see xtcp's segments
 * as they see TCP's; the confirmation is done here (policy.c).
 */
#define XTCP_NF_PRIORITY	(NF_IP_PRI_CONNTRACK_CONFIRM - 1)

/*
 * Header checks, checksum and options. Return false to drop: the segment
 * is malformed (RFC 9293 MUST-3, MUST-7) and counted as an input error.
 */
static bool xtcp_seg_parse(struct sk_buff *skb)
{
	struct xtcp_seg *seg = xtcp_seg(skb);
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int thlen, len;
	struct tcphdr *th;
	u8 flags;

	th = tcp_hdr(skb);
	thlen = th->doff * 4;
	len = skb->len;
	if (thlen < sizeof(*th) || thlen > len || !pskb_may_pull(skb, thlen))
		return false;
	th = tcp_hdr(skb);
	iph = ip_hdr(skb);

	if ((skb->protocol == htons(ETH_P_IPV6) ?
	     skb_checksum_init(skb, IPPROTO_TCP, ip6_compute_pseudo) :
	     skb_checksum_init(skb, IPPROTO_TCP, inet_compute_pseudo)) ||
	    skb_checksum_complete(skb)) {
		xtcp_mib_inc(dev_net(skb->dev), XTCP_MIB_INCSUMERRORS);
		return false;
	}
	if (xtcp_opts_parse((u8 *)(th + 1), thlen - sizeof(*th), &seg->opts))
		return false;

	flags = tcp_flag_byte(th);
	/* Flag sets no sender may use: SYN with RST or FIN. */
	if ((flags & TCPHDR_SYN) && (flags & (TCPHDR_RST | TCPHDR_FIN)))
		return false;

	if (skb->protocol == htons(ETH_P_IPV6)) {
		/* Folds, as struct xtcp_hnode keeps them: xtcp_seg_key6(). */
		seg->saddr = (__force __be32)ipv6_addr_hash(&ipv6_hdr(skb)->saddr);
		seg->daddr = (__force __be32)ipv6_addr_hash(&ipv6_hdr(skb)->daddr);
	} else {
		seg->saddr = iph->saddr;
		seg->daddr = iph->daddr;
	}
	seg->sport = th->source;
	seg->dport = th->dest;
	seg->seq = ntohl(th->seq);
	seg->ack = ntohl(th->ack_seq);
	seg->wnd = ntohs(th->window);
	seg->flags = flags;
	seg->icmp_type = 0;	/* the control block held IP's: a segment */
	seg->len = len - thlen;
	seg->end_seq = seg->seq + seg->len + !!(flags & TCPHDR_SYN) +
		       !!(flags & TCPHDR_FIN);
	__skb_pull(skb, thlen);
	return true;
}

/*
 * Hand a segment (or an ICMP error, icmp.c) to a socket: now, or after the
 * user releases the lock.
 */
void xtcp_sock_deliver(struct sock *sk, struct sk_buff *skb, int subclass)
{
	spin_lock_nested(&sk->sk_lock.slock, subclass);
	if (!sock_owned_by_user(sk)) {
		xtcp_do_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, 2 * READ_ONCE(sk->sk_rcvbuf) +
				  READ_ONCE(sk->sk_sndbuf) / 2 + SZ_64K)) {
		/*
		 * The window we offered counts payload, the backlog truesize;
		 * as tcp_add_backlog(), room for one more 64 KB GRO packet.
		 */
		kfree_skb(skb);
	}
	bh_unlock_sock(sk);
}

/* The SO_BINDTODEVICE of an entry's socket, or of the one it replaced. */
static int xtcp_hnode_dev(const struct xtcp_hnode *h)
{
	if (h->kind == XTCP_HK_TW)
		return container_of(h, struct xtcp_tw, h)->bound_dev_if;
	if (h->kind == XTCP_HK_REQ)
		return container_of(h, struct xtcp_req, h)->bound_dev_if;
	return READ_ONCE(container_of(h, struct xtcp_sock,
				      h)->inet.sk.sk_bound_dev_if);
}

/*
 * The listener for a segment, from its headers: for the SYN that ends a
 * TIME_WAIT entry (MAY-2).
 */
static struct sock *xtcp_listen_for(struct xtcp_net *xn, struct sk_buff *skb,
				    int dif, int sdif)
{
	const struct tcphdr *th = tcp_hdr(skb);

	if (skb->protocol == htons(ETH_P_IPV6))
		return xtcp_listen_lookup6_dev(xn, &ipv6_hdr(skb)->daddr,
					       th->dest, dif, sdif);
	return xtcp_listen_lookup_dev(xn, ip_hdr(skb)->daddr, th->dest, dif,
				      sdif);
}

/*
 * A table entry (or none) found for the segment: a socket's, an embryonic
 * connection's (its listener takes it) or a TIME_WAIT entry's. Return the
 * socket with a reference, or NULL with *h left for a TIME_WAIT entry.
 */
static struct sock *xtcp_entry_sock(struct net *net, struct xtcp_hnode **h,
				    int dif, int sdif)
{
	struct sock *sk = NULL;

	/* Bound to another device (SO_BINDTODEVICE, VRF): not this one's. */
	if (*h && !xtcp_dev_match(net, xtcp_hnode_dev(*h), dif, sdif))
		*h = NULL;
	if (*h && (*h)->kind == XTCP_HK_SOCK) {
		sk = &container_of(*h, struct xtcp_sock, h)->inet.sk;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			sk = NULL;
		*h = NULL;
	} else if (*h && (*h)->kind == XTCP_HK_REQ) {
		/* An embryonic connection: its listener handles it. */
		sk = container_of(*h, struct xtcp_req, h)->listener;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			sk = NULL;
		*h = NULL;
	}
	return sk;
}

/*
 * The segment is ours: for @sk (a reference held), or for TIME_WAIT entry
 * @h. Its IP header is @nhlen bytes, with the TCP header after it.
 * Context: rcu_read_lock() held; dropped here.
 */
static unsigned int xtcp_nf_take(struct net *net, struct sk_buff *skb,
				 struct xtcp_hnode *h, struct sock *sk,
				 unsigned int nhlen, int dif, int sdif)
{
	const struct xtcp_key6 *k6 = NULL;
	const struct xtcp_seg *seg;
	struct xtcp_key6 key6;
	unsigned int verdict;
	struct xtcp_key key;
	u16 segs;

	verdict = xtcp_policy_confirm(skb);
	if (verdict != NF_ACCEPT) {
		rcu_read_unlock();
		if (sk)
			sock_put(sk);
		return verdict;
	}
	__skb_pull(skb, nhlen);
	/* A GSO skb (from veth, or GRO) counts its segments, as Linux does. */
	segs = skb_shinfo(skb)->gso_segs ?: 1;
	xtcp_mib_add(net, XTCP_MIB_INSEGS, segs);
	if (skb->protocol == htons(ETH_P_IPV6)) {
		if (ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr))
			goto drop;	/* MUST-57 */
	} else {
		if (skb_rtable(skb)->rt_flags &
		    (RTCF_BROADCAST | RTCF_MULTICAST))
			goto drop;	/* MUST-57 */
		/* IP_MINTTL (RFC 5082), checked as tcp_v4_rcv() does. */
		if (sk && ip_hdr(skb)->ttl < READ_ONCE(inet_sk(sk)->min_ttl))
			goto drop;
	}
	if (!xtcp_seg_parse(skb)) {
		xtcp_mib_inc(net, XTCP_MIB_INERRS);
		goto drop;
	}
	seg = xtcp_seg(skb);
	key = (struct xtcp_key){ seg->daddr, seg->saddr, seg->dport,
				 seg->sport };
	if (xtcp_seg_v6(seg) && trace_xtcp_segment_in_enabled()) {
		xtcp_seg_key6(seg, &key6);
		k6 = &key6;
	}
	trace_xtcp_segment_in(&key, k6, seg->seq, seg->ack, seg->flags,
			      seg->wnd, seg->len,
			      (seg->opts.present & XTCP_HAS_MSS) ?
			      seg->opts.mss : 0, segs);

	if (h) {
		struct xtcp_tw *tw = container_of(h, struct xtcp_tw, h);

		/* MAY-2: a SYN beyond the old connection starts a new one. */
		if ((seg->flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN &&
		    xtcp_seq_after(seg->seq, tw->rcv_nxt)) {
			sk = xtcp_listen_for(xtcp_net(net), skb, dif, sdif);
			if (sk)
				xtcp_tw_kill(tw);
		}
		if (!sk) {
			if (!xtcp_policy_rcv(NULL, skb))
				goto drop;
			xtcp_tw_rcv(tw, skb);
			rcu_read_unlock();
			return NF_STOLEN;
		}
	}
	rcu_read_unlock();
	if (xtcp_policy_rcv(sk, skb))
		xtcp_sock_deliver(sk, skb, 0);
	else
		kfree_skb(skb);
	sock_put(sk);
	return NF_STOLEN;

drop:
	rcu_read_unlock();
	if (sk)
		sock_put(sk);
	kfree_skb(skb);
	return NF_STOLEN;
}

static unsigned int xtcp_nf_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct net *net = state->net;
	struct xtcp_net *xn = xtcp_net(net);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct xtcp_hnode *h;
	struct sock *sk;
	struct xtcp_key key;
	int dif, sdif;

	if (iph->protocol == IPPROTO_ICMP)
		return xtcp_icmp_rcv(net, skb);
	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	if (!pskb_may_pull(skb, ip_hdrlen(skb) + sizeof(*th)))
		return NF_ACCEPT;
	skb_set_transport_header(skb, ip_hdrlen(skb));
	th = tcp_hdr(skb);
	iph = ip_hdr(skb);
	key.laddr = iph->daddr;
	key.raddr = iph->saddr;
	key.lport = th->dest;
	key.rport = th->source;
	/* The device, and under a VRF the enslaved one, as TCP takes them. */
	dif = inet_iif(skb);
	sdif = inet_sdif(skb);

	rcu_read_lock();
	h = xtcp_conn_lookup(xn, &key);
	sk = xtcp_entry_sock(net, &h, dif, sdif);
	if (!h && !sk)
		sk = xtcp_listen_lookup_dev(xn, key.laddr, key.lport, dif, sdif);
	if (!h && !sk) {
		rcu_read_unlock();
		return NF_ACCEPT;
	}
	/* From here on the segment is ours. */
	return xtcp_nf_take(net, skb, h, sk, ip_hdrlen(skb), dif, sdif);
}

/*
 * IPv6: the same at IPv6's NF_INET_LOCAL_IN. The TCP header may follow
 * extension headers, which IPv6's input has not parsed yet at this hook.
 */
static unsigned int xtcp_nf_hook6(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct net *net = state->net;
	struct xtcp_net *xn = xtcp_net(net);
	const struct ipv6hdr *ip6h;
	const struct tcphdr *th;
	struct xtcp_key6 key;
	struct xtcp_hnode *h;
	unsigned int thoff;
	u16 fragoff = 0;
	struct sock *sk;
	int dif, sdif, proto;

	if (unlikely(IP6CB(skb)->flags & IP6SKB_FRAGMENTED))
		xtcp_defrag6_fixup(skb);
	/* The upper-layer header; a later fragment has none (ipv6.c). */
	proto = ipv6_find_hdr(skb, &thoff, -1, &fragoff, NULL);
	if (fragoff)
		return NF_ACCEPT;
	if (proto == IPPROTO_ICMPV6)
		return xtcp_icmp6_rcv(net, skb, thoff);
	if (proto != IPPROTO_TCP)
		return NF_ACCEPT;
	if (!pskb_may_pull(skb, thoff + sizeof(*th)))
		return NF_ACCEPT;
	th = (const struct tcphdr *)(skb->data + thoff);
	ip6h = ipv6_hdr(skb);
	key.laddr = ip6h->daddr;
	key.raddr = ip6h->saddr;
	key.lport = th->dest;
	key.rport = th->source;
	dif = inet6_iif(skb);
	sdif = inet6_sdif(skb);

	rcu_read_lock();
	h = xtcp_conn_lookup6(xn, &key);
	sk = xtcp_entry_sock(net, &h, dif, sdif);
	if (!h && !sk)
		sk = xtcp_listen_lookup6_dev(xn, &key.laddr, key.lport, dif,
					     sdif);
	if (!h && !sk) {
		rcu_read_unlock();
		return NF_ACCEPT;
	}
	/*
	 * Only now: IPv6's input goes on from the transport header, which
	 * is still at the first extension header for a segment that is not
	 * ours (ip6_protocol_deliver_rcu()).
	 */
	skb_set_transport_header(skb, thoff);
	return xtcp_nf_take(net, skb, h, sk, thoff, dif, sdif);
}

static const struct nf_hook_ops xtcp_nf_ops[] = {
	{
		.hook		= xtcp_nf_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= XTCP_NF_PRIORITY,
	},
	{
		.hook		= xtcp_nf_hook6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= XTCP_NF_PRIORITY,
	},
};

int xtcp_input_register(struct net *net)
{
	int err = nf_register_net_hooks(net, xtcp_nf_ops,
					ARRAY_SIZE(xtcp_nf_ops));

	xtcp_net(net)->nf_registered = !err;
	return err;
}

void xtcp_input_unregister(struct net *net)
{
	if (xtcp_net(net)->nf_registered)
		nf_unregister_net_hooks(net, xtcp_nf_ops,
					ARRAY_SIZE(xtcp_nf_ops));
	xtcp_net(net)->nf_registered = false;
}

/*
 * 3.10.7.1 CLOSED: everything but an RST is answered with an RST. A socket
 * meets a segment in CLOSED only if the segment waited in its backlog
 * while an earlier one ended the connection: the peer's retransmitted FIN
 * behind the FIN that moved us to TIME_WAIT, say. If a TIME_WAIT entry
 * has the connection now, it answers, as it would have a moment later;
 * an RST there would reset the peer's LAST_ACK. Return: true if the entry
 * took @skb.
 */
static bool xtcp_rcv_closed(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_hnode6 key;
	struct xtcp_hnode *h;

	xtcp_seg_hkey(seg, &key.h);
	rcu_read_lock();
	h = key.h.v6 ? xtcp_conn_lookup6(xn, &key.key6) :
		       xtcp_conn_lookup(xn, &key.h.key);
	if (h && h->kind == XTCP_HK_TW) {
		xtcp_tw_rcv(container_of(h, struct xtcp_tw, h), skb);
		rcu_read_unlock();
		return true;
	}
	rcu_read_unlock();
	xtcp_send_reset_reply(sock_net(sk), seg);
	return false;
}

/* What a SYN or SYN-ACK tells us: the peer's ISN, window and MSS. */
void xtcp_take_syn(struct sock *sk, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u16 peer_mss = 0;
	u16 mss;

	xs->irs = seg->seq;
	xs->rcv_nxt = seg->seq + 1;
	/*
	 * The window is measured from here on: an edge left over from before
	 * RCV.NXT was known could lie anywhere in sequence space.
	 */
	xs->rcv_adv = xs->rcv_nxt;
	xs->rcv_acked = xs->rcv_nxt;
	xtcp_snd_wnd_take(xs, seg);
	if (seg->opts.present & XTCP_HAS_MSS)
		peer_mss = seg->opts.mss;
	xtcp_negotiate(sk, seg);
	xtcp_ecn_take_syn(sk, seg);
	/*
	 * MUST-16: the effective send size is the smaller of the two, less
	 * the option bytes every segment carries (RFC 9293 3.7.1), IP's
	 * (IP_OPTIONS) too, never below net.xtcp.min_snd_mss however small
	 * the peer's (guard.h).
	 */
	mss = xtcp_eff_mss(peer_mss, xs->adv_mss,
			   READ_ONCE(xtcp_net(sock_net(sk))->min_snd_mss),
			   (xs->ts_ok ? TCPOLEN_TSTAMP_ALIGNED : 0) +
			   xtcp_ip_optlen(sk));
	xtcp_snd_mss_set(xs, mss);
	xs->mss_full = mss;
}

/* 3.10.7.3 SYN-SENT */
static void xtcp_rcv_syn_sent(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool ack = seg->flags & TCPHDR_ACK;

	/* first: an ACK must acknowledge our SYN and nothing more */
	if (ack && (xtcp_seq_leq(seg->ack, xs->iss) ||
		    xtcp_seq_after(seg->ack, xs->snd_nxt))) {
		xtcp_send_reset_reply(sock_net(sk), seg);
		return;
	}
	/* second: RST, only with an acceptable ACK (RFC 5961 3.2) */
	if (seg->flags & TCPHDR_RST) {
		if (ack)
			xtcp_transition(sk, XTCP_EV_RST);
		return;
	}
	/* fourth: SYN */
	if (!(seg->flags & TCPHDR_SYN))
		return;
	xtcp_take_syn(sk, seg);
	if (ack) {
		xtcp_rtt_ack(sk, seg->ack, xtcp_seg_tsecr(seg));
		xs->snd_una = seg->ack;
		/* Fast Open: the cookie, the data our SYN carried. */
		xtcp_fastopen_synack(sk, skb);
		xtcp_timers_acked(sk);
		xs->retries = 0;
		xs->backoff = 0;
		xtcp_transition(sk, XTCP_EV_SYNACK);
		/* Data the SYN did not carry, or the SYN-ACK did not take. */
		if (sk->sk_state == TCP_ESTABLISHED &&
		    !skb_queue_empty(&sk->sk_write_queue))
			xtcp_push(sk);
	} else {
		/* Simultaneous open: our SYN crossed theirs (MUST-10). */
		xtcp_transition(sk, XTCP_EV_SYN);
	}
}

/*
 * 3.10.7.4 fifth, in SYN-RECEIVED: an ACK of our SYN establishes the
 * connection, with the window it offers; any other ACK is reset.
 */
static bool xtcp_rcv_ack_syn(struct sock *sk, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_seq_after(seg->ack, xs->snd_una) ||
	    xtcp_seq_after(seg->ack, xs->snd_max)) {
		xtcp_send_reset_reply(sock_net(sk), seg);
		return false;
	}
	xtcp_snd_wnd_take(xs, seg);
	xtcp_transition(sk, XTCP_EV_ACK_SYN);
	return true;
}

/*
 * 3.10.7.4, SYN-RECEIVED through TIME-WAIT. Return: true if the receive
 * path kept @skb (xtcp_rcv_data()).
 */
static bool xtcp_rcv_synchronized(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool fin, kept;
	u32 fin_seq;

	xs->segs_in++;
	/* A retransmitted SYN while our SYN-ACK is unanswered. */
	if (sk->sk_state == TCP_SYN_RECV && (seg->flags & TCPHDR_SYN) &&
	    !(seg->flags & TCPHDR_ACK) && seg->seq == xs->irs) {
		xtcp_send_ctl(sk, TCPHDR_SYN | TCPHDR_ACK, xs->iss);
		return false;
	}
	/* first: sequence number, then the timestamp (RFC 7323 5.3) */
	if (!xtcp_seg_acceptable(xs->rcv_nxt,
				 xtcp_rwnd_left(xs->rcv_nxt, xs->rcv_adv),
				 seg->seq, seg->end_seq - seg->seq) ||
	    xtcp_paws_reject(sk, seg)) {
		if (seg->len && !(seg->flags & (TCPHDR_RST | TCPHDR_SYN)))
			xtcp_rcv_dup(sk, seg->seq, seg->seq + seg->len);
		if (!(seg->flags & TCPHDR_RST))
			xtcp_send_oow_ack(sk, seg);
		return false;
	}
	/* second: RST, exactly at RCV.NXT, else challenge (RFC 5961 3.2) */
	if (seg->flags & TCPHDR_RST) {
		if (seg->seq == xs->rcv_nxt)
			xtcp_transition(sk, XTCP_EV_RST);
		else
			xtcp_send_challenge_ack(sk);
		return false;
	}
	/* fourth: a SYN in a synchronized state (RFC 5961 4.2) */
	if (seg->flags & TCPHDR_SYN) {
		xtcp_send_challenge_ack(sk);
		return false;
	}
	/* fifth: ACK */
	if (!(seg->flags & TCPHDR_ACK))
		return false;
	if (sk->sk_state == TCP_SYN_RECV && !xtcp_rcv_ack_syn(sk, seg))
		return false;
	if (!xtcp_rcv_ack(sk, skb))
		return false;
	xtcp_ts_recent_update(sk, seg);
	/*
	 * The peer is heard from only now: a blind segment that fails the
	 * checks above must not keep a dead peer's connection alive.
	 */
	xtcp_timers_segment_rcvd(sk, seg);
	/* sixth: URG, before the text joins the stream (urgent.c) */
	if (unlikely(seg->flags & TCPHDR_URG))
		xtcp_urg_rcv(sk, skb);
	/* seventh: text (acknowledged as receiver.c decides) */
	fin = seg->flags & TCPHDR_FIN;
	fin_seq = seg->end_seq - 1;
	kept = xtcp_rcv_data(sk, skb);	/* seg is gone if kept */
	if (sk->sk_state == TCP_CLOSE)
		return kept;
	/* eighth: FIN, once everything before it has arrived */
	if (fin && fin_seq == xs->rcv_nxt) {
		xs->rcv_nxt++;
		xtcp_transition(sk, XTCP_EV_FIN);
		if (sk->sk_state == TCP_CLOSE)
			return kept;
	}
	xtcp_push(sk);
	return kept;
}

/**
 * xtcp_do_rcv() - process one segment for a socket
 * @sk: the socket, locked (by softirq, or from the backlog)
 * @skb: the segment, parsed (struct xtcp_seg in cb); consumed, or kept
 *	in a receive queue
 *
 * Return: 0.
 */
int xtcp_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	if (unlikely(xtcp_seg(skb)->icmp_type)) {
		xtcp_icmp_err(sk, skb);
		consume_skb(skb);
		return 0;
	}
	switch (sk->sk_state) {
	case TCP_CLOSE:
		if (xtcp_rcv_closed(sk, skb))
			return 0;
		break;
	case TCP_LISTEN:
		if (xtcp_rcv_listen(sk, skb))
			return 0;
		break;
	case TCP_SYN_SENT:
		xtcp_rcv_syn_sent(sk, skb);
		break;
	default:
		if (xtcp_rcv_synchronized(sk, skb))
			return 0;
		break;
	}
	consume_skb(skb);
	return 0;
}
