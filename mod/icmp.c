// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP and ICMPv6 errors about xtcp's connections.
 *
 * A router or the peer's host says with ICMP what became of a segment we
 * sent: the port or host cannot be reached, the time to live ran out, or
 * the segment was too big for the next link and carried DF (which every
 * xtcp segment does). The error quotes the IP header and the first eight
 * bytes of our segment: its ports and sequence number, which name the
 * connection.
 *
 * The receive hooks (input.c) hand every ICMP datagram to xtcp_icmp_rcv()
 * and every ICMPv6 one to xtcp_icmp6_rcv(). An error that quotes a segment
 * of an xtcp connection or embryonic connection is taken; every other
 * datagram goes on to the kernel. From there on both families are one:
 * xtcp_icmp_what() says what the error means, whichever it came in.
 * The error then reaches the socket as a segment does (at once, or from
 * the backlog once the user releases the lock), marked in its control
 * block, and xtcp_icmp_err() acts on it under the socket's lock:
 *
 *   - RFC 5927 section 4.1 (and Linux): believed only if the quoted
 *     sequence number is one we sent and that is not yet acknowledged
 *     (SND.UNA <= SEQ <= SND.MAX); anything else is counted in
 *     OutOfWindowIcmps and changes nothing. A blind attacker must guess
 *     the connection's sequence space, as for an RST.
 *   - Source quench: ignored (RFC 6633, RFC 9293 MUST-55 as updated).
 *   - Fragmentation needed (RFC 1191), packet too big (RFC 8201): the
 *     route's path MTU drops to what the router says (the kernel keeps
 *     it, bounded by min_pmtu, and every later route lookup to the peer
 *     sees it), the send MSS follows, and what is in flight is sent again
 *     at once in the smaller size. An ICMPv6 MTU below 1280 is ignored,
 *     as tcp_v6_err() ignores it.
 *   - Any other error while the connection is being opened (SYN_SENT,
 *     SYN_RECEIVED) ends it with the error as connect() reports it, as
 *     Linux TCP does: ECONNREFUSED for port unreachable, EHOSTUNREACH,
 *     ENETUNREACH, ... (icmp_err_convert[], icmpv6_err_convert()). For
 *     an embryonic connection at a listener, only the errors Linux's
 *     tcp_v4_err() and tcp_v6_err() pass to tcp_req_err() as fatal, and
 *     that quote our SYN-ACK, end the entry.
 *   - Once synchronized, errors are soft (RFC 9293 MUST-56, RFC 1122
 *     4.2.3.9): kept in SO_ERROR's soft slot, reported if the connection
 *     times out (ETIMEDOUT becomes the ICMP error), and reported at once
 *     only to a socket with IP_RECVERR (IPV6_RECVERR), as Linux does.
 */

#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <xtcp/compat.h>
#include <xtcp/icmp.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/request.h>
#include <xtcp/table.h>

/* An embryonic connection's error: only one quoting our SYN-ACK counts. */
static void xtcp_icmp_req(struct net *net, struct xtcp_req *req,
			  const struct xtcp_seg *seg)
{
	if (seg->seq != req->iss) {
		xtcp_mib_inc(net, XTCP_MIB_OUTOFWINDOWICMPS);
		return;
	}
	if (xtcp_icmp_what(req->h.v6, seg->icmp_type, seg->flags).ends_req) {
		xtcp_mib_inc(net, XTCP_MIB_LISTENDROPS);
		xtcp_req_kill(req);
	}
}

/*
 * Fragmentation needed, packet too big: lower the route's path MTU (the
 * kernel clamps it to min_pmtu), then the send MSS to what the route now
 * says.
 */
static void xtcp_icmp_frag_needed(struct sock *sk, struct sk_buff *skb,
				  u32 mtu)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 optlen = (xs->ts_ok ? TCPOLEN_TSTAMP_ALIGNED : 0) +
		     xtcp_ip_optlen(sk);
	u32 path, mss;

	/* skb->data is the quoted IP header: the route from us to the peer. */
	if (xs->h.v6) {
		/* RFC 8201 section 4: no link is narrower than 1280. */
		if (mtu < IPV6_MIN_MTU)
			return;
		ip6_update_pmtu(skb, sock_net(sk), htonl(mtu),
				sk->sk_bound_dev_if, READ_ONCE(sk->sk_mark),
				sock_net_uid(sock_net(sk), sk));
	} else {
		ipv4_update_pmtu(skb, sock_net(sk), mtu, sk->sk_bound_dev_if,
				 IPPROTO_TCP);
	}
	path = xtcp_route_mss_key(sk, &xs->h, 0);
	if (path <= optlen)
		return;
	mss = max_t(u32, path - optlen,
		    READ_ONCE(xtcp_net(sock_net(sk))->min_snd_mss));
	if (mss < xs->mss)
		xtcp_mtu_reduced(sk, mss);
}

/*
 * Queue the error for recvmsg(MSG_ERRQUEUE) (xtcp_recv_error() reads it).
 * Linux TCP does so for an error that ends an opening connection: over
 * IPv4 whether or not IP_RECVERR is set (ip_icmp_error()), over IPv6
 * only with IPV6_RECVERR (ipv6_icmp_error()), and so does xtcp: a clone
 * of the ICMP datagram from the quoted segment's TCP header on, with the
 * error in its control block, as those functions queue it (6.1 exports
 * neither). The control block is cleared first: the clone carries
 * xtcp_seg there, which nothing may read as IP options or flags.
 */
static void xtcp_icmp_queue(struct sock *sk, struct sk_buff *skb, int err)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	bool v6 = xtcp_sk(sk)->h.v6;
	const u8 *th = skb->data + seg->len;
	struct sock_exterr_skb *serr;
	struct sk_buff *clone;
	const u8 *daddr;

	if (v6 && !xtcp_sk(sk)->recverr6)
		return;
	clone = skb_clone(skb, GFP_ATOMIC);
	if (!clone)
		return;
	memset(clone->cb, 0, sizeof(clone->cb));
	serr = SKB_EXT_ERR(clone);
	serr->ee.ee_errno = err;
	if (v6) {
		daddr = (const u8 *)&((const struct ipv6hdr *)skb->data)->daddr;
		serr->ee.ee_origin = SO_EE_ORIGIN_ICMP6;
		serr->ee.ee_info = seg->ack;
		/* For the scope of a link-local address (IP6CB()->iif). */
		serr->header.h6.iif = skb->skb_iif;
	} else {
		daddr = (const u8 *)&((const struct iphdr *)skb->data)->daddr;
		serr->ee.ee_origin = SO_EE_ORIGIN_ICMP;
	}
	/* ICMP and ICMPv6 headers both begin with type and code. */
	serr->ee.ee_type = icmp_hdr(clone)->type;
	serr->ee.ee_code = icmp_hdr(clone)->code;
	serr->addr_offset = daddr - skb_network_header(skb);
	serr->port = ((const struct tcphdr *)th)->dest;
	if (!skb_pull(clone, th - skb->data)) {
		kfree_skb(clone);
		return;
	}
	skb_reset_transport_header(clone);
	if (sock_queue_err_skb(sk, clone))
		kfree_skb(clone);
}

/**
 * xtcp_icmp_err() - act on an ICMP or ICMPv6 error about a connection's
 *	segment
 * @sk: the connection, locked (from xtcp_do_rcv())
 * @skb: the error: skb->data at the quoted IP header; the control block
 *	holds the quoted sequence number, ICMP type and code, the 32 bits
 *	after them (the next-hop MTU) and the quoted IP header's length
 */
void xtcp_icmp_err(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_icmp_what what;
	bool recverr;
	int err;

	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
		return;
	if (!xtcp_icmp_seq_ok(xs->snd_una, seg->seq, xs->snd_max)) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_OUTOFWINDOWICMPS);
		return;
	}
	what = xtcp_icmp_what(xs->h.v6, seg->icmp_type, seg->flags);
	if (what.too_big) {
		xtcp_icmp_frag_needed(sk, skb, seg->ack);
		return;
	}
	err = what.err;
	if (!err)
		return;
	/*
	 * Opening: the connection ends with the error, which the give-up
	 * reports (sk_err); it is not left behind in the soft slot too.
	 * The ICMP message itself is queued first, for
	 * recvmsg(MSG_ERRQUEUE), as Linux TCP queues it in these states.
	 */
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		WRITE_ONCE(sk->sk_err_soft, err);
		xtcp_icmp_queue(sk, skb, err);
		xtcp_transition(sk, XTCP_EV_GIVEUP);
		WRITE_ONCE(sk->sk_err_soft, 0);
		return;
	}
	if (seg->seq == xs->snd_una && what.reverts_rto)
		xtcp_rto_revert(sk);
	/*
	 * As tcp_v4_err() and tcp_v6_err(): reported at once with
	 * IP_RECVERR (IPV6_RECVERR), and then only there (SO_ERROR after the
	 * failed call says nothing more); else kept for the timeout to
	 * report.
	 */
	recverr = xs->h.v6 ? xs->recverr6 : inet_test_bit(RECVERR, sk);
	if (recverr) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
}

/*
 * The error quotes a segment of entry @h, and is believed enough to look
 * at: the control block is filled in. Hand it to the embryonic connection
 * or the socket; a TIME_WAIT entry has nothing in flight. skb->data is at
 * the outer IP header, @off bytes before the quoted one.
 * Context: rcu_read_lock() held; dropped here.
 */
static unsigned int xtcp_icmp_take(struct net *net, struct sk_buff *skb,
				   struct xtcp_hnode *h, unsigned int off)
{
	struct sock *sk = NULL;

	xtcp_mib_inc(net, XTCP_MIB_INICMPS);
	if (h->kind == XTCP_HK_REQ) {
		xtcp_icmp_req(net, container_of(h, struct xtcp_req, h),
			      xtcp_seg(skb));
	} else if (h->kind == XTCP_HK_SOCK) {
		sk = &container_of(h, struct xtcp_sock, h)->inet.sk;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			sk = NULL;
	}
	rcu_read_unlock();
	if (!sk) {
		consume_skb(skb);
		return NF_STOLEN;
	}
	/* From the quoted IP header on, as xtcp_icmp_err() wants it. */
	__skb_pull(skb, off);
	xtcp_sock_deliver(sk, skb, 0);
	sock_put(sk);
	return NF_STOLEN;
}

/* The error's control block: what xtcp_icmp_err() reads. */
static void xtcp_icmp_seg(struct sk_buff *skb, const struct tcphdr *th,
			  u8 type, u8 code, u32 info, unsigned int inner_len)
{
	struct xtcp_seg *seg = xtcp_seg(skb);

	memset(seg, 0, sizeof(*seg));
	seg->seq = ntohl(th->seq);
	seg->icmp_type = type;
	seg->flags = code;
	seg->ack = info;
	seg->len = inner_len;
}

/*
 * Find what the error is about; NULL if not xtcp's. The quoted segment
 * is one we sent: its source is our end.
 */
static struct xtcp_hnode *xtcp_icmp_lookup(struct net *net,
					   const struct iphdr *inner,
					   const struct tcphdr *th)
{
	struct xtcp_key key = {
		.laddr = inner->saddr,
		.raddr = inner->daddr,
		.lport = th->source,
		.rport = th->dest,
	};

	return xtcp_conn_lookup(xtcp_net(net), &key);
}

/* An ICMP datagram with a valid checksum over header and payload. */
static bool xtcp_icmp_csum_ok(struct sk_buff *skb, unsigned int off)
{
	return !csum_fold(skb_checksum(skb, off, skb->len - off, 0));
}

/**
 * xtcp_icmp_rcv() - the receive hook's part for ICMP datagrams
 * @net: the namespace
 * @skb: an ICMP datagram addressed to this host, skb->data at its IP
 *	header
 *
 * Return: NF_STOLEN if the error was about an xtcp connection (then it is
 * xtcp's, and consumed), NF_ACCEPT for the kernel otherwise.
 */
unsigned int xtcp_icmp_rcv(struct net *net, struct sk_buff *skb)
{
	unsigned int ihl = ip_hdrlen(skb), off, inner_len;
	const struct icmphdr *icmph;
	const struct iphdr *inner;
	const struct tcphdr *th;
	struct xtcp_hnode *h;

	off = ihl + sizeof(*icmph);
	if (!pskb_may_pull(skb, off + sizeof(*inner)))
		return NF_ACCEPT;
	icmph = (const struct icmphdr *)(skb->data + ihl);
	inner = (const struct iphdr *)(skb->data + off);
	if (!xtcp_icmp_is_error(icmph->type) || inner->protocol != IPPROTO_TCP ||
	    inner->ihl < 5 || (inner->frag_off & htons(IP_OFFSET)))
		return NF_ACCEPT;
	/* RFC 792: the quote holds at least 8 bytes: ports and sequence. */
	inner_len = inner->ihl * 4;
	if (!pskb_may_pull(skb, off + inner_len + 8))
		return NF_ACCEPT;
	/* The kernel ignores ICMP errors sent to broadcast or multicast. */
	if (skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
		return NF_ACCEPT;
	icmph = (const struct icmphdr *)(skb->data + ihl);
	inner = (const struct iphdr *)(skb->data + off);
	th = (const struct tcphdr *)(skb->data + off + inner_len);

	rcu_read_lock();
	h = xtcp_icmp_lookup(net, inner, th);
	if (!h || !xtcp_icmp_csum_ok(skb, ihl)) {
		/* Not ours, or damaged: the kernel counts it. */
		rcu_read_unlock();
		return NF_ACCEPT;
	}
	xtcp_icmp_seg(skb, th, icmph->type, icmph->code,
		      ntohs(icmph->un.frag.mtu), inner_len);
	return xtcp_icmp_take(net, skb, h, off);
}

/* An ICMPv6 datagram at @off whose checksum (RFC 4443 2.3) is right. */
static bool xtcp_icmp6_csum_ok(struct sk_buff *skb, unsigned int off)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int len = skb->len - off;

	return !csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
				IPPROTO_ICMPV6, skb_checksum(skb, off, len, 0));
}

/**
 * xtcp_icmp6_rcv() - the IPv6 receive hook's part for ICMPv6 datagrams
 * @net: the namespace
 * @skb: an ICMPv6 datagram addressed to this host, skb->data at its IPv6
 *	header
 * @off: where its ICMPv6 header begins, after any extension headers
 *
 * As icmpv6_notify() reads an error: the quoted IPv6 header, its
 * extension headers skipped, then at least 8 bytes of TCP header, which
 * name the connection in the IPv6 table.
 *
 * Return: NF_STOLEN if the error was about an xtcp connection (then it is
 * xtcp's, and consumed), NF_ACCEPT for the kernel otherwise.
 */
unsigned int xtcp_icmp6_rcv(struct net *net, struct sk_buff *skb,
			    unsigned int off)
{
	unsigned int ioff = off + sizeof(struct icmp6hdr);
	const struct icmp6hdr *icmph;
	const struct ipv6hdr *inner;
	const struct tcphdr *th;
	struct xtcp_key6 key;
	struct xtcp_hnode *h;
	__be16 frag_off;
	u8 nexthdr;
	int thoff;

	if (!pskb_may_pull(skb, ioff + sizeof(*inner)))
		return NF_ACCEPT;
	icmph = (const struct icmp6hdr *)(skb->data + off);
	inner = (const struct ipv6hdr *)(skb->data + ioff);
	if (!xtcp_icmp6_is_error(icmph->icmp6_type))
		return NF_ACCEPT;
	nexthdr = inner->nexthdr;
	thoff = ipv6_skip_exthdr(skb, ioff + sizeof(*inner), &nexthdr,
				 &frag_off);
	/* A quote of a later fragment has no TCP header. */
	if (thoff < 0 || nexthdr != IPPROTO_TCP ||
	    (ntohs(frag_off) & IP6_OFFSET) || !pskb_may_pull(skb, thoff + 8))
		return NF_ACCEPT;
	icmph = (const struct icmp6hdr *)(skb->data + off);
	inner = (const struct ipv6hdr *)(skb->data + ioff);
	th = (const struct tcphdr *)(skb->data + thoff);
	key = (struct xtcp_key6){
		.laddr = inner->saddr,
		.raddr = inner->daddr,
		.lport = th->source,
		.rport = th->dest,
	};

	rcu_read_lock();
	h = xtcp_conn_lookup6(xtcp_net(net), &key);
	if (!h || !xtcp_icmp6_csum_ok(skb, off)) {
		rcu_read_unlock();
		return NF_ACCEPT;
	}
	xtcp_icmp_seg(skb, th, icmph->icmp6_type, icmph->icmp6_code,
		      ntohl(icmph->icmp6_mtu), thoff - ioff);
	return xtcp_icmp_take(net, skb, h, ioff);
}
