// SPDX-License-Identifier: GPL-2.0
/*
 * Segments out: build the TCP header and options, checksum in software,
 * route, and hand to the IP layer with ip_local_out(). Connection segments
 * and stateless replies (RST for a segment no connection owns, ACK from a
 * TIME_WAIT entry) share one path.
 *
 * A single segment's checksum is computed here in full rather than
 * offloaded so that a capture anywhere on the path shows the real value
 * (veth would otherwise carry a partial checksum). New data of several
 * full segments goes as one GSO super-segment instead (xtcp_gso_skb()):
 * one skb, its payload in page fragments, with a partial checksum that the
 * device, or software GSO in validate_xmit_skb(), completes per segment.
 * The skb count, not the bytes, is what costs on the sending path.
 */

#include <linux/ip.h>
#include <linux/random.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <xtcp/dsack.h>
#include <xtcp/ecn.h>
#include <xtcp/guard.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/seq.h>
#include <xtcp/srroute.h>
#include <xtcp/urgent.h>
#include "trace.h"

/**
 * struct xtcp_out - what goes into one outgoing segment
 * @key: 4-tuple from our side (for IPv6, the ports only)
 * @key6: the IPv6 4-tuple from our side, NULL for IPv4
 * @seq: SEG.SEQ
 * @ack: SEG.ACK, sent only with TCPHDR_ACK
 * @flags: TCPHDR_* bits
 * @wnd: SEG.WND
 * @opts: options, or NULL
 * @sack: SACK blocks to append to the options
 * @nr_sack: how many
 * @queue: payload source: the send queue of this socket, or NULL
 * @len: payload bytes, from sequence number @seq in @queue
 * @gso_size: payload of each segment if @len spans several, else 0
 * @oif: the device to route by; 0 for the socket's SO_BINDTODEVICE
 * @urg_ptr: the urgent pointer, sent with TCPHDR_URG
 * @ip_opt: IPv4 options to send with, for a segment without a connection
 *	(an embryonic connection's or a cookie's SYN-ACK: its return route),
 *	or NULL for the socket's own
 * @ect: the ECN field of its IP header (xtcp_ecn_out(), RFC 3168)
 * @fo: a SYN's Fast Open option (RFC 7413): a cookie, or a request
 *	(length 0); NULL for none. A SYN's payload, if any, starts at @seq + 1
 */
struct xtcp_out {
	struct xtcp_key key;
	const struct xtcp_key6 *key6;
	u32 seq;
	u32 ack;
	u8 flags;
	u16 wnd;
	const struct xtcp_opts *opts;
	struct xtcp_sack_block sack[XTCP_MAX_SACK_BLOCKS];
	int nr_sack;
	struct sock *queue;
	u32 len;
	u32 gso_size;
	int oif;
	u16 urg_ptr;
	const struct ip_options_rcu *ip_opt;
	u8 ect;
	const struct xtcp_fo_cookie *fo;
};

/*
 * The queued buffer that holds @seq, or NULL. The buffers after it follow
 * on without a gap: xtcp_sendmsg() queues them in sequence order.
 */
static struct sk_buff *xtcp_queued_at(struct sock *sk, u32 seq)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		const struct xtcp_tx_cb *cb = xtcp_tx_cb(skb);

		if (xtcp_seq_before(seq, cb->end_seq))
			return xtcp_seq_before(seq, cb->seq) ? NULL : skb;
	}
	return NULL;
}

/**
 * xtcp_queued_frags() - [seq, seq + len) of the send queue into @to
 * @sk: the connection, whose queued buffers hold their bytes in page
 *	fragments (xtcp_sendmsg())
 * @seq: the first byte
 * @to: the skb to fill, from its offset 0
 * @len: bytes
 * @copy: copy the bytes into @to's room (skb_store_bits()) rather than
 *	attach the queued pages to @to as fragments of its own
 *
 * Attached, the pages take one more reference each and @to counts the
 * bytes in its length and truesize, as a clone of Linux TCP's would: the
 * queue never writes a byte it holds, so the data is copied once, from
 * the user. Segments may span buffers.
 *
 * Return: 0; -E2BIG if attaching needs more than MAX_SKB_FRAGS fragments
 * (copy instead); -EFAULT if the queue does not hold the range.
 */
static int xtcp_queued_frags(struct sock *sk, u32 seq, struct sk_buff *to,
			     u32 len, bool copy)
{
	struct sk_buff *skb = xtcp_queued_at(sk, seq);
	u32 done = 0, off, n;
	int i, nr;

	for (; skb && done < len; skb = skb_peek_next(skb, &sk->sk_write_queue)) {
		const struct skb_shared_info *sh = skb_shinfo(skb);

		off = seq - xtcp_tx_cb(skb)->seq;
		for (i = 0; i < sh->nr_frags && done < len; i++) {
			const skb_frag_t *f = &sh->frags[i];
			struct page *page = skb_frag_page(f);

			if (off >= skb_frag_size(f)) {
				off -= skb_frag_size(f);
				continue;
			}
			n = min(skb_frag_size(f) - off, len - done);
			nr = skb_shinfo(to)->nr_frags;
			if (copy) {
				if (skb_store_bits(to, done,
						   skb_frag_address(f) + off, n))
					return -EFAULT;
			} else if (skb_can_coalesce(to, nr, page,
						    skb_frag_off(f) + off)) {
				skb_frag_size_add(&skb_shinfo(to)->frags[nr - 1],
						  n);
			} else {
				if (nr >= MAX_SKB_FRAGS)
					return -E2BIG;
				get_page(page);
				skb_fill_page_desc(to, nr, page,
						   skb_frag_off(f) + off, n);
			}
			if (!copy) {
				to->len += n;
				to->data_len += n;
				to->truesize += n;
			}
			done += n;
			seq += n;
			off = 0;
		}
	}
	return done == len ? 0 : -EFAULT;
}

/*
 * The IP options of @opt after the IP header of @skb (saddr already set):
 * the bytes the user gave, with what the sender fills in itself (IP's
 * ip_options_build() is not exported). @daddr, the final destination,
 * ends a source route; our address goes into the next free slot of a
 * record route and of an address timestamp, and the time (ms since
 * midnight UT, RFC 791) into that of a timestamp. The offsets are those
 * ip_options_compile() checked when the option was set.
 */
static void xtcp_ip_options_build(struct sk_buff *skb,
				  const struct ip_options *opt, __be32 daddr)
{
	u8 *iph = skb_network_header(skb);
	__be32 saddr = ip_hdr(skb)->saddr, now;

	IPCB(skb)->opt = *opt;
	memcpy(iph + sizeof(struct iphdr), opt->__data, opt->optlen);
	/*
	 * A source route's last slot ends at its length (second byte); a
	 * record route's and a timestamp's pointer (third byte, counted
	 * from 1) names their next free slot.
	 */
	if (opt->srr)
		memcpy(iph + opt->srr + iph[opt->srr + 1] - 4, &daddr, 4);
	if (opt->rr_needaddr)
		memcpy(iph + opt->rr + iph[opt->rr + 2] - 5, &saddr, 4);
	if (opt->ts_needaddr)
		memcpy(iph + opt->ts + iph[opt->ts + 2] - 9, &saddr, 4);
	if (opt->ts_needtime) {
		now = inet_current_timestamp();
		memcpy(iph + opt->ts + iph[opt->ts + 2] - 5, &now, 4);
	}
}

/*
 * A synchronized connection keeps its route in sk_dst_cache, as Linux
 * TCP's ip_queue_xmit() and inet6_csk_xmit() do: not the handshake's
 * segments (an
 * embryonic connection answers by its SYN's device), nor a segment sent
 * by another device than the socket's, nor one with IP options (a source
 * route goes to its first hop).
 */
static bool xtcp_route_cacheable(const struct sock *sk, int oif,
				 const struct ip_options_rcu *inet_opt)
{
	return sk && !inet_opt && (!oif || oif == sk->sk_bound_dev_if) &&
	       sk_fullsock(sk) &&
	       ((1 << sk->sk_state) &
		(TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 |
		 TCPF_CLOSE_WAIT | TCPF_CLOSING | TCPF_LAST_ACK));
}

/**
 * xtcp_route4() - the IPv4 route for a 4-tuple, as Linux TCP looks it up
 * @net: the namespace
 * @sk: the socket whose SO_MARK, SO_BINDTODEVICE and owner apply, or NULL
 *	(a reset without a socket)
 * @fl4: the flow, filled in; the source address the route chose is in it
 * @key: the 4-tuple from our side; its local address may be 0
 * @daddr: where to route to: @key's remote address, or a source route's
 *	first hop
 * @oif: the device to route by, 0 for @sk's SO_BINDTODEVICE
 *
 * The one place xtcp asks for an IPv4 route: to send, to connect, for the
 * MSS and the path MTU.
 *
 * Return: the route, with a reference, or an ERR_PTR().
 */
struct rtable *xtcp_route4(struct net *net, struct sock *sk,
			   struct flowi4 *fl4, const struct xtcp_key *key,
			   __be32 daddr, int oif)
{
	if (!oif && sk)
		oif = sk->sk_bound_dev_if;
	flowi4_init_output(fl4, oif, sk ? sk->sk_mark : 0, 0,
			   RT_SCOPE_UNIVERSE, IPPROTO_TCP, 0, daddr, key->laddr,
			   key->rport, key->lport, sock_net_uid(net, sk));
	return ip_route_output_flow(net, fl4, sk);
}

/**
 * xtcp_route_mtu4() - the route's MTU for an IPv4 4-tuple
 * @sk: the socket whose options apply
 * @key: the 4-tuple from our side
 * @oif: the device to route by, 0 for @sk's SO_BINDTODEVICE
 *
 * Return: the MTU, 0 if there is no route.
 */
unsigned int xtcp_route_mtu4(struct sock *sk, const struct xtcp_key *key,
			     int oif)
{
	struct flowi4 fl4;
	struct rtable *rt;
	unsigned int mtu;

	rt = xtcp_route4(sock_net(sk), sk, &fl4, key, key->raddr, oif);
	if (IS_ERR(rt))
		return 0;
	mtu = dst_mtu(&rt->dst);
	ip_rt_put(rt);
	return mtu;
}

/*
 * The cached route, with a reference, or NULL to look it up. The core
 * drops a route that went stale (sk_dst_check(): a routing change, a new
 * path MTU exception on its next hop); SO_MARK and SO_BINDTODEVICE reset
 * the cache, and so do negative advice (timer.c) and disconnecting.
 */
static struct rtable *xtcp_route_cached(struct sock *sk, int oif,
					const struct ip_options_rcu *inet_opt)
{
	if (!xtcp_route_cacheable(sk, oif, inet_opt))
		return NULL;
	return (struct rtable *)sk_dst_check(sk, 0);
}

/*
 * @oif: the device to route by, or 0 for @sk's SO_BINDTODEVICE: an
 * embryonic connection answers by the device (VRF) its SYN came by, as
 * Linux's inet_csk_route_req() by ir_iif, not by its listener's.
 * @ip_opt: the options of a segment without a connection (its SYN's
 * return route), or NULL for those of @sk.
 */
static int xtcp_ip_send(struct net *net, struct sock *sk, struct sk_buff *skb,
			const struct xtcp_key *key, int oif,
			const struct ip_options_rcu *ip_opt, u8 ect)
{
	const struct ip_options_rcu *inet_opt = ip_opt;
	__be32 daddr = key->raddr;
	unsigned int optlen = 0;
	struct flowi4 fl4;
	struct rtable *rt;
	struct iphdr *iph;
	int ttl;

	if (!oif && sk)
		oif = sk->sk_bound_dev_if;
	/*
	 * IP_OPTIONS (RFC 9293 MUST-51) in every segment of a connection,
	 * as ip_queue_xmit() puts them, or the return route of a passive
	 * open's SYN (MUST-53); a source route sends it to its first hop
	 * (MUST-52). A listener's own options are for no SYN-ACK, as Linux's.
	 */
	rcu_read_lock();
	if (!inet_opt && sk && sk_fullsock(sk) && sk->sk_state != TCP_LISTEN)
		inet_opt = rcu_dereference(inet_sk(sk)->inet_opt);
	if (inet_opt) {
		optlen = inet_opt->opt.optlen;
		if (inet_opt->opt.srr)
			daddr = inet_opt->opt.faddr;
	}
	rt = xtcp_route_cached(sk, oif, inet_opt);
	if (!rt) {
		rt = xtcp_route4(net, sk, &fl4, key, daddr, oif);
		if (IS_ERR(rt)) {
			rcu_read_unlock();
			kfree_skb(skb);
			return PTR_ERR(rt);
		}
		if (xtcp_route_cacheable(sk, oif, inet_opt))
			sk_dst_set(sk, dst_clone(&rt->dst));
	}
	/* A connection whose MSS a path MTU lowered: has it expired? */
	if (sk && unlikely(xtcp_sk(sk)->mss < xtcp_sk(sk)->mss_full))
		xtcp_mtu_grown(sk, dst_mtu(&rt->dst));
	skb_dst_set(skb, &rt->dst);

	skb_push(skb, sizeof(*iph) + optlen);
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = (sizeof(*iph) + optlen) / 4;
	/*
	 * IP_TOS and IP_TTL as Linux TCP honours them (ip_queue_xmit(),
	 * ip_select_ttl()), a listener's for its SYN-ACKs; the ECN bits
	 * are TCP's (RFC 3168), never the user's.
	 */
	iph->tos = xtcp_ecn_tos(sk ? READ_ONCE(inet_sk(sk)->tos) : 0, ect);
	iph->frag_off = htons(IP_DF);
	ttl = sk ? READ_ONCE(inet_sk(sk)->uc_ttl) : -1;
	iph->ttl = ttl >= 0 ? ttl : ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = key->laddr;
	iph->daddr = daddr;
	if (optlen)
		xtcp_ip_options_build(skb, &inet_opt->opt, key->raddr);
	rcu_read_unlock();
	/* A GSO skb's segments take one IP ID each from here on. */
	ip_select_ident_segs(net, skb, NULL, skb_shinfo(skb)->gso_segs ?: 1);
	if (sk) {
		skb->priority = READ_ONCE(sk->sk_priority);
		skb->mark = READ_ONCE(sk->sk_mark);
		sk = xtcp_policy_owner(skb, sk);
	}
	return ip_local_out(net, sk, skb);
}

/*
 * The cached IPv6 route, with a reference, or NULL to look it up: the
 * core checks it against the cookie taken with it (ip6_dst_check(): a
 * routing change, a new path MTU exception, an expired one).
 */
static struct dst_entry *xtcp_route6_cached(struct sock *sk, int oif)
{
	if (!xtcp_route_cacheable(sk, oif, NULL))
		return NULL;
	return sk_dst_check(sk, xtcp_sk(sk)->dst_cookie);
}

/*
 * The IPv6 flow of a 4-tuple, as xtcp_route4() fills IPv4's: also for a
 * cached route, whose segments' flow labels hash it.
 */
static void xtcp_flow6(struct net *net, struct sock *sk, struct flowi6 *fl6,
		       const struct xtcp_key6 *key, int oif)
{
	if (!oif && sk)
		oif = sk->sk_bound_dev_if;
	memset(fl6, 0, sizeof(*fl6));
	fl6->flowi6_proto = IPPROTO_TCP;
	fl6->daddr = key->raddr;
	fl6->saddr = key->laddr;
	fl6->flowi6_oif = oif;
	fl6->flowi6_mark = sk ? sk->sk_mark : 0;
	fl6->fl6_dport = key->rport;
	fl6->fl6_sport = key->lport;
	fl6->flowi6_uid = sock_net_uid(net, sk);
}

/**
 * xtcp_route6() - the IPv6 route for a 4-tuple, as Linux TCP looks it up
 * @net: the namespace
 * @sk: the socket whose SO_MARK, SO_BINDTODEVICE and owner apply, or NULL
 *	(a reset without a socket)
 * @fl6: the flow, filled in; the source address the route chose is in it
 * @key: the 4-tuple from our side; its local address may be ::
 * @oif: the device to route by, 0 for @sk's SO_BINDTODEVICE
 *
 * The one place xtcp asks for an IPv6 route: to send, to connect, for the
 * MSS and the path MTU. The lookup is without the socket: an xtcp socket
 * has no ipv6_pinfo.
 *
 * Return: the route, with a reference, or an ERR_PTR().
 */
struct dst_entry *xtcp_route6(struct net *net, struct sock *sk,
			      struct flowi6 *fl6, const struct xtcp_key6 *key,
			      int oif)
{
	xtcp_flow6(net, sk, fl6, key, oif);
	return ip6_dst_lookup_flow(net, NULL, fl6, NULL);
}

/*
 * xtcp_ip_send() for IPv6: the route from xtcp_route6(), the
 * header as ip6_xmit() writes it (flow label as Linux sets it, hop limit
 * of the route), out by ip6_local_out(), which also serves segments
 * without a socket (resets, TIME_WAIT and embryonic ACKs).
 */
static int xtcp_ip6_send(struct net *net, struct sock *sk,
			 struct sk_buff *skb, const struct xtcp_key6 *key,
			 int oif, u8 ect)
{
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	struct flowi6 fl6;
	int hops;

	if (!oif && sk)
		oif = sk->sk_bound_dev_if;
	dst = xtcp_route6_cached(sk, oif);
	if (dst) {
		xtcp_flow6(net, sk, &fl6, key, oif);
	} else {
		dst = xtcp_route6(net, sk, &fl6, key, oif);
		if (IS_ERR(dst)) {
			kfree_skb(skb);
			return PTR_ERR(dst);
		}
		if (xtcp_route_cacheable(sk, oif, NULL)) {
			xtcp_sk(sk)->dst_cookie = rt6_get_cookie((struct rt6_info *)dst);
			sk_dst_set(sk, dst_clone(dst));
		}
	}
	/* A path MTU learned from "packet too big": has it expired? */
	if (sk && unlikely(xtcp_sk(sk)->mss < xtcp_sk(sk)->mss_full))
		xtcp_mtu_grown(sk, dst_mtu(dst));
	skb_dst_set(skb, dst);

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	/*
	 * IPV6_TCLASS and IPV6_UNICAST_HOPS as ip6_xmit() honours them, a
	 * listener's for its SYN-ACKs, as IP_TOS and IP_TTL above.
	 */
	hops = sk ? READ_ONCE(xtcp_sk(sk)->hop_limit) : -1;
	ip6_flow_hdr(ip6h,
		     xtcp_ecn_tos(sk ? READ_ONCE(xtcp_sk(sk)->tclass) : 0, ect),
		     ip6_make_flowlabel(net, skb, 0,
					ip6_default_np_autolabel(net), &fl6));
	ip6h->nexthdr = IPPROTO_TCP;
	ip6h->hop_limit = hops >= 0 ? hops : ip6_dst_hoplimit(dst);
	ip6h->saddr = key->laddr;
	ip6h->daddr = key->raddr;
	skb->protocol = htons(ETH_P_IPV6);
	if (sk) {
		skb->priority = READ_ONCE(sk->sk_priority);
		skb->mark = READ_ONCE(sk->sk_mark);
		sk = xtcp_policy_owner(skb, sk);
	}
	return ip6_local_out(net, sk, skb);
}

/**
 * xtcp_ip_optlen() - IP option bytes each segment of @sk carries
 * @sk: the connection
 *
 * Return: the length of its IP_OPTIONS, 0 for none. The send MSS leaves
 * room for them, as Linux's icsk_ext_hdr_len.
 */
u32 xtcp_ip_optlen(const struct sock *sk)
{
	const struct ip_options_rcu *inet_opt;
	u32 len;

	rcu_read_lock();
	inet_opt = rcu_dereference(inet_sk(sk)->inet_opt);
	len = inet_opt ? inet_opt->opt.optlen : 0;
	rcu_read_unlock();
	return len;
}

/**
 * xtcp_ip_return_route() - the options that answer a passive open's segment
 * @skb: a received IPv4 segment (a SYN, or the ACK of a SYN cookie), its
 *	IP header, options included, at skb_network_header()
 *
 * RFC 1122 4.2.3.8 (RFC 9293 MUST-53): a connection opened passively by a
 * segment that came by a source route answers by that route reversed, in
 * its SYN-ACK and every later segment, as Linux's tcp_v4_save_options()
 * keeps it for the request and the child. The IP header's options are
 * read again here: the skb's control block is xtcp's by now, not IP's
 * (IPCB()). IP delivers a source-routed segment only where
 * accept_source_route is on, and it checked the option's form already;
 * xtcp_srr_reverse() trusts none of it. Only the source route is
 * answered (Linux also echoes a record route and a timestamp option).
 *
 * Return: the return route, kmalloc()ed (at most 40 option bytes), for
 * inet_opt or xtcp_send_synack_stateless(); NULL if there is none; or
 * ERR_PTR(-ENOMEM), when the segment is to be dropped (the peer sends it
 * again) rather than answered by another route than the one it asked for.
 */
struct ip_options_rcu *xtcp_ip_return_route(const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int len = iph->ihl * 4;
	struct ip_options_rcu *opt;
	u8 route[XTCP_IPOPT_MAX];
	__be32 first_hop;

	if (len <= sizeof(*iph))
		return NULL;
	len = xtcp_srr_reverse((const u8 *)(iph + 1), len - sizeof(*iph),
			       iph->saddr, route, &first_hop);
	if (!len)
		return NULL;
	opt = kzalloc(sizeof(*opt) + round_up(len, 4), GFP_ATOMIC);
	if (!opt)
		return ERR_PTR(-ENOMEM);
	/* Padded with EOL (0) to whole words, as IP_OPTIONS are. */
	memcpy(opt->opt.__data, route, len);
	opt->opt.optlen = round_up(len, 4);
	opt->opt.srr = sizeof(*iph);
	opt->opt.is_strictroute = route[0] == IPOPT_SSRR;
	opt->opt.faddr = first_hop;
	return opt;
}

/* The first payload byte's sequence number: a SYN's data follows the SYN. */
static u32 xtcp_out_data_seq(const struct xtcp_out *o)
{
	return o->seq + !!(o->flags & TCPHDR_SYN);
}

/*
 * A copy of the payload, for when it spans more fragments than an skb
 * takes: one segment linear, a super-segment in page fragments (up to 32
 * KB each, order-0 pages if the allocator has none larger; a linear 64 KB
 * buffer would be an order-5 allocation).
 */
static struct sk_buff *xtcp_copied_skb(const struct xtcp_out *o, bool gso)
{
	struct sk_buff *skb;
	int err;

	if (gso) {
		skb = alloc_skb_with_frags(MAX_TCP_HEADER, o->len,
					   PAGE_ALLOC_COSTLY_ORDER, &err,
					   GFP_ATOMIC);
	} else {
		skb = alloc_skb(MAX_TCP_HEADER + o->len, GFP_ATOMIC);
	}
	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_TCP_HEADER);
	if (gso) {
		skb->data_len = o->len;
		skb->len = o->len;
	} else {
		skb_put(skb, o->len);
	}
	if (xtcp_queued_frags(o->queue, xtcp_out_data_seq(o), skb, o->len,
			      true)) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/**
 * xtcp_data_skb() - the skb of an outgoing segment, with its payload
 * @o: what to send
 * @gso: @o->len spans more than one segment of @o->gso_size
 *
 * The payload is the send queue's own pages, referenced
 * (xtcp_queued_frags()). A super-segment's TCP GSO (tcp4_gso_segment())
 * later cuts at every gso_size bytes, copies the header into each piece
 * with the sequence number advanced, keeps PSH and FIN for the last piece
 * only, and completes each piece's checksum from the pseudo-header sum
 * that xtcp_xmit() leaves in the header.
 *
 * Return: the skb, or NULL if memory ran out.
 */
static struct sk_buff *xtcp_data_skb(const struct xtcp_out *o, bool gso)
{
	struct skb_shared_info *shinfo;
	struct sk_buff *skb;
	int err;

	skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_TCP_HEADER);
	if (o->len) {
		err = xtcp_queued_frags(o->queue, xtcp_out_data_seq(o), skb,
					o->len, false);
		if (err) {
			kfree_skb(skb);
			skb = err == -E2BIG ? xtcp_copied_skb(o, gso) : NULL;
			if (!skb)
				return NULL;
		}
	}
	if (gso) {
		shinfo = skb_shinfo(skb);
		shinfo->gso_size = o->gso_size;
		shinfo->gso_segs = DIV_ROUND_UP(o->len, o->gso_size);
		shinfo->gso_type = o->key6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
	}
	return skb;
}

/*
 * The checksum of a super-segment is left to be completed: the field holds
 * the pseudo-header sum over the whole length, which GSO adjusts to each
 * segment's length (the sum covers the TCP header and payload from
 * csum_start, stored at csum_offset).
 */
static void xtcp_csum_partial(struct sk_buff *skb, const struct xtcp_out *o)
{
	struct tcphdr *th = tcp_hdr(skb);

	if (o->key6)
		th->check = ~csum_ipv6_magic(&o->key6->laddr, &o->key6->raddr,
					     skb->len, IPPROTO_TCP, 0);
	else
		th->check = ~csum_tcpudp_magic(o->key.laddr, o->key.raddr,
					       skb->len, IPPROTO_TCP, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
}

static int xtcp_xmit(struct net *net, struct sock *sk,
		     const struct xtcp_out *o)
{
	bool gso = o->gso_size && o->len > o->gso_size;
	u8 opt[XTCP_MAX_OPT_LEN];
	unsigned int optlen = 0;
	struct sk_buff *skb;
	struct tcphdr *th;
	__wsum csum = 0;

	if (o->opts && (o->flags & TCPHDR_SYN)) {
		optlen = xtcp_opts_build(opt, sizeof(opt), o->opts);
		if (o->fo)
			optlen += xtcp_opts_build_fastopen(opt + optlen,
							   sizeof(opt) - optlen,
							   o->fo);
	} else if (o->opts)
		optlen = xtcp_opts_build_nonsyn(opt, sizeof(opt), o->opts,
						o->sack, o->nr_sack);
	skb = xtcp_data_skb(o, gso);
	if (!skb)
		return -ENOBUFS;
	/* GSO keeps CWR for the first segment only (tcp_gso_segment()). */
	if (gso && (o->flags & TCPHDR_CWR))
		skb_shinfo(skb)->gso_type |= SKB_GSO_TCP_ECN;
	/* One segment's sum in full: read once, where it lies. */
	if (!gso && o->len)
		csum = skb_checksum(skb, 0, o->len, 0);

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
	th->urg_ptr = htons(o->urg_ptr);
	memcpy(th + 1, opt, optlen);

	if (gso) {
		xtcp_csum_partial(skb, o);
	} else {
		csum = csum_block_add(csum_partial(th, sizeof(*th) + optlen, 0),
				      o->len ? csum : 0, sizeof(*th) + optlen);
		if (o->key6)
			th->check = csum_ipv6_magic(&o->key6->laddr,
						    &o->key6->raddr, skb->len,
						    IPPROTO_TCP, csum);
		else
			th->check = csum_tcpudp_magic(o->key.laddr,
						      o->key.raddr, skb->len,
						      IPPROTO_TCP, csum);
		skb->ip_summed = CHECKSUM_NONE;
	}
	skb->protocol = htons(ETH_P_IP);

	trace_xtcp_segment_out(&o->key, o->key6, o->seq, o->ack, o->flags,
			       o->wnd, o->len, o->opts && (o->opts->present & XTCP_HAS_MSS) ?
			       o->opts->mss : 0, skb_shinfo(skb)->gso_segs ?: 1);
	if (o->flags & TCPHDR_RST)
		xtcp_mib_inc(net, XTCP_MIB_OUTRSTS);
	if (o->key6)
		return xtcp_ip6_send(net, sk, skb, o->key6, o->oif, o->ect);
	return xtcp_ip_send(net, sk, skb, &o->key, o->oif, o->ip_opt, o->ect);
}

/**
 * xtcp_ts_now() - our timestamp clock (RFC 7323 5.4): milliseconds
 *
 * Return: TSval for a segment sent now.
 */
u32 xtcp_ts_now(void)
{
	return (u32)ktime_to_ms(ktime_get());
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
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_hnode h = {
		.key = {
			.laddr = inet_sk(sk)->inet_saddr,
			.raddr = inet_sk(sk)->inet_daddr,
			.lport = inet_sk(sk)->inet_sport,
			.rport = inet_sk(sk)->inet_dport,
		},
	};

	if (xs->h.v6)
		return xtcp_route_mss_key(sk, &xs->h, 0);
	return xtcp_route_mss_key(sk, &h, 0);
}

/**
 * xtcp_route_mtu6() - the route's MTU for an IPv6 4-tuple
 * @sk: the socket whose options apply
 * @key: the 4-tuple from our side
 * @oif: the device to route by, 0 for @sk's SO_BINDTODEVICE
 *
 * Return: the MTU, 0 if there is no route.
 */
unsigned int xtcp_route_mtu6(struct sock *sk, const struct xtcp_key6 *key,
			     int oif)
{
	struct dst_entry *dst;
	struct flowi6 fl6;
	unsigned int mtu;

	dst = xtcp_route6(sock_net(sk), sk, &fl6, key, oif);
	if (IS_ERR(dst))
		return 0;
	mtu = dst_mtu(dst);
	dst_release(dst);
	return mtu;
}

/**
 * xtcp_route_mss_key() - xtcp_route_mss() for a 4-tuple
 * @sk: the socket whose options apply (a listener for its SYN-ACKs)
 * @h: the 4-tuple from our side, an IPv6 one if @h->v6
 * @oif: the device to route by, 0 for @sk's SO_BINDTODEVICE
 *
 * Return: the MSS to announce.
 */
u16 xtcp_route_mss_key(struct sock *sk, const struct xtcp_hnode *h, int oif)
{
	u16 user_mss = READ_ONCE(xtcp_sk(sk)->user_mss);
	unsigned int mtu, mss;

	if (h->v6) {
		/* IPv6's minimum MTU is 1280 (RFC 8200 section 5). */
		mtu = xtcp_route_mtu6(sk, xtcp_hkey6((struct xtcp_hnode *)h),
				      oif);
		mss = mtu ? max(mtu, IPV6_MIN_MTU) - sizeof(struct ipv6hdr) -
			    sizeof(struct tcphdr) : XTCP_DEFAULT_MSS;
		goto user;
	}
	mtu = xtcp_route_mtu4(sk, &h->key, oif);
	mss = mtu - sizeof(struct iphdr) - sizeof(struct tcphdr);
	/* No route, or none that takes 88 bytes of payload. */
	if (mtu < sizeof(struct iphdr) + sizeof(struct tcphdr) + 88)
		mss = XTCP_DEFAULT_MSS;
user:
/* TCP_MAXSEG lowers what we announce, and so what we send. */
	if (user_mss && user_mss < mss)
		mss = user_mss;
	return mss;
}

/*
 * SACK blocks for what waits out of order, if any and SACK is on; a
 * D-SACK (receiver.c) first.
 */
static int xtcp_out_sack(const struct xtcp_sock *xs,
			 struct xtcp_sack_block *blk)
{
	struct xtcp_sack_block ooo[XTCP_MAX_SACK_BLOCKS];
	/* Timestamps leave room for three (see mod/options.c). */
	int room = xs->ts_ok ? 3 : XTCP_MAX_SACK_BLOCKS, n = 0;

	if (!xs->sack_ok)
		return 0;
	if (likely(!xs->dsack_pending))
		return xs->ooo.count ? xtcp_ooo_sack(&xs->ooo, blk, room) : 0;
	if (xs->ooo.count)
		n = xtcp_ooo_sack(&xs->ooo, ooo, XTCP_MAX_SACK_BLOCKS);
	return xtcp_dsack_blocks(&xs->dsack, ooo, n, room, blk);
}

/*
 * The common part of a connection's segments: addresses, ACK and window,
 * timestamps, and SACK blocks for what waits out of order.
 */
static void xtcp_out_init(struct sock *sk, struct xtcp_out *o,
			  struct xtcp_opts *opts, u8 flags, u32 seq)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	memset(o, 0, sizeof(*o));
	memset(opts, 0, sizeof(*opts));
	o->key = xs->h.key;
	if (xs->h.v6)
		o->key6 = &xs->h6.key6;
	o->seq = seq;
	o->flags = flags;
	o->ect = xtcp_ecn_out(sk, &o->flags, false);
	o->ack = xs->rcv_nxt;
	o->opts = opts;
	if (flags & TCPHDR_SYN) {
		/* Never scaled in a SYN (RFC 7323 2.2). */
		o->wnd = min(xtcp_rcv_window(sk, true), XTCP_MAX_WINDOW);
		opts->present = XTCP_HAS_MSS;
		opts->mss = xs->adv_mss;
		if (xs->wscale_ok) {
			opts->present |= XTCP_HAS_WSCALE;
			opts->wscale = xs->rcv_wscale;
		}
		if (xs->sack_ok)
			opts->present |= XTCP_HAS_SACK_PERM;
	} else {
		o->wnd = xtcp_rcv_window(sk, flags & TCPHDR_ACK) >>
			 xs->rcv_wscale;
	}
	if (xs->ts_ok) {
		opts->present |= XTCP_HAS_TIMESTAMP;
		opts->tsval = xtcp_ts_now();
		opts->tsecr = xs->ts_recent;
		/* The echoes a true peer can send lie between (undo.h). */
		if (!xs->ts_sent) {
			xs->ts_first = opts->tsval;
			xs->ts_sent = 1;
		}
		xs->ts_last = opts->tsval;
	}
	if (!(flags & (TCPHDR_SYN | TCPHDR_RST))) {
		o->nr_sack = xtcp_out_sack(xs, o->sack);
		xs->dsack_pending = false;	/* reported once (RFC 2883) */
	}
	/* Urgent mode: every segment before SND.UP says so (urgent.c). */
	if (unlikely(xs->snd_urg) && !(flags & (TCPHDR_SYN | TCPHDR_RST)) &&
	    xtcp_urg_out(sk, seq, &o->urg_ptr))
		o->flags |= TCPHDR_URG;
	if (flags & TCPHDR_ACK)
		xtcp_ack_sent(sk);
}

/**
 * xtcp_seg_mss() - the most data a segment sent now may carry
 * @xs: the connection
 *
 * RFC 9293 3.7.1 (MUST-16): the effective send MSS is what the peer takes
 * less the TCP options sent. xs->mss already leaves room for timestamps,
 * which every segment carries; SACK blocks come and go with the
 * out-of-order queue, so the payload shrinks by their bytes. Without
 * that, a full segment that also acknowledges out-of-order data would
 * exceed the path MTU, and IP drops it (DF is set): with both ends
 * sending and both missing data, every retransmission was lost and the
 * connection stalled.
 *
 * Return: the payload limit in bytes.
 */
u32 xtcp_seg_mss(const struct xtcp_sock *xs)
{
	struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS];
	u32 optlen = xtcp_opts_sack_len(xtcp_out_sack(xs, blk));

	return xs->mss > optlen ? xs->mss - optlen : xs->mss;
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
	struct xtcp_opts opts;
	struct xtcp_out o;

	xtcp_out_init(sk, &o, &opts, flags, seq);
	if (flags & TCPHDR_RST)
		o.nr_sack = 0;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_OUTSEGS);
	return xtcp_xmit(sock_net(sk), sk, &o);
}

/**
 * xtcp_send_syn() - send our SYN, with Fast Open's option and data
 * @sk: the connection in SYN_SENT, locked
 * @fo: the server's cookie, or a request (length 0); NULL for a plain SYN
 * @len: data bytes of the send queue, from ISS + 1, that go in it (0 for
 *	none); at most what the server's MSS takes
 *
 * RFC 7413 3: with a cookie, the SYN may carry data; the server
 * acknowledges it in its SYN-ACK if it takes it.
 *
 * Return: 0 or a negative errno from routing or the IP layer.
 */
int xtcp_send_syn(struct sock *sk, const struct xtcp_fo_cookie *fo, u32 len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_opts opts;
	struct xtcp_out o;

	xtcp_out_init(sk, &o, &opts, TCPHDR_SYN, xs->iss);
	o.fo = fo;
	if (len) {
		o.queue = sk;
		o.len = len;
	}
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_OUTSEGS);
	return xtcp_xmit(sock_net(sk), sk, &o);
}

/*
 * Send [seq, seq + len) of the send queue: one segment, or segments of
 * @gso_size bytes in one skb if @len spans more (@gso_size 0: one).
 */
static int xtcp_send_queued(struct sock *sk, u32 seq, u32 len, u32 gso_size,
			    bool rtx)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 seg = len, segs = 1;
	struct xtcp_opts opts;
	struct xtcp_out o;
	u8 flags = TCPHDR_ACK;

	if (gso_size && len > gso_size) {
		seg = gso_size;
		segs = DIV_ROUND_UP(len, gso_size);
	} else {
		gso_size = 0;
	}
	if (seq + len == xs->write_seq - xs->fin_queued)
		flags |= TCPHDR_PSH;
	xtcp_out_init(sk, &o, &opts, flags, seq);
	o.queue = sk;
	o.len = len;
	o.gso_size = gso_size;
	/* New data goes ECT(0) and says CWR if due; resent data does not. */
	if (!rtx)
		o.ect = xtcp_ecn_out(sk, &o.flags, true);
	/* Callers size @seg with xtcp_seg_mss(); never exceed the MTU anyway. */
	while (o.nr_sack && seg + xtcp_opts_sack_len(o.nr_sack) > xs->mss)
		o.nr_sack--;
	if (rtx) {
		xs->total_retrans += segs;
		if (xs->undo_on)	/* what D-SACKs must report to undo */
			xs->undo_retrans += len;
		xtcp_rtx_stamp(xs);
		xtcp_mib_add(sock_net(sk), XTCP_MIB_RETRANSSEGS, segs);
	} else {
		/* Segments on the wire, as Linux counts a GSO skb's. */
		xtcp_mib_add(sock_net(sk), XTCP_MIB_OUTSEGS, segs);
	}
	xtcp_rtt_sent(&xs->rtt, seq, seq + len, rtx, xtcp_now_us());
	xtcp_rack_sent(sk, seq, len, rtx);
	return xtcp_xmit(sock_net(sk), sk, &o);
}

/**
 * xtcp_rtx_stamp() - a retransmission was just built: stamp it if first
 * @xs: the connection, its TSval in @xs->ts_last
 *
 * The first retransmission since the stamp was cleared (a recovery
 * episode began, or a tail loss probe went, sender.c and recovery.c)
 * gives the TSval that an ACK's echo must predate for the episode to be
 * spurious (RFC 3522, include/xtcp/undo.h). Later ones leave it: an
 * echo older than them but not than the first may answer the first.
 */
void xtcp_rtx_stamp(struct xtcp_sock *xs)
{
	if (!xs->ts_ok || xs->undo_ts)
		return;
	xs->undo_tsval = xs->ts_last;
	xs->undo_ts = 1;
}

/**
 * xtcp_send_data() - send one segment of the send queue
 * @sk: the connection, locked
 * @seq: first sequence number to send
 * @len: bytes, at most the MSS
 * @rtx: they were sent before (counted, and never timed: Karn's rule)
 *
 * PSH goes with the last queued byte. The first new segment while none is
 * timed becomes the RTT sample (RFC 6298 3).
 *
 * Return: 0 or a negative errno.
 */
int xtcp_send_data(struct sock *sk, u32 seq, u32 len, bool rtx)
{
	return xtcp_send_queued(sk, seq, len, 0, rtx);
}

/**
 * xtcp_send_burst() - send new data as one GSO super-segment
 * @sk: the connection, locked
 * @seq: first sequence number to send, never sent before
 * @len: bytes: whole segments of @mss, but for a shorter last one
 * @mss: the payload of each segment, xtcp_seg_mss() when they were sized
 *
 * As xtcp_send_data(), but one skb carries them all (one segment if @len
 * is no more than @mss). The RTT sample, if one starts, times the whole
 * burst: it ends when its last byte is acknowledged.
 *
 * Return: 0 or a negative errno.
 */
int xtcp_send_burst(struct sock *sk, u32 seq, u32 len, u32 mss)
{
	return xtcp_send_queued(sk, seq, len, mss, false);
}

/**
 * xtcp_send_ack() - acknowledge everything received so far
 * @sk: the connection
 *
 * The sequence number is SND.MAX, not the send pointer: after an RTO the
 * pointer goes back to SND.UNA, and the peer may hold data beyond it. An
 * ACK numbered there is old to the peer, which drops it unread and answers
 * with an ACK of its own; when both ends had gone back, the two ACKed
 * each other's ACKs for ever and neither ever read the other's ACK field
 * (seen at loss 10%: thousands of pure ACKs in 10 ms, then a stall).
 */
void xtcp_send_ack(struct sock *sk)
{
	xtcp_send_ctl(sk, TCPHDR_ACK, xtcp_sk(sk)->snd_max);
}

/**
 * xtcp_ratelimited() - one answer per net.xtcp.invalid_ratelimit_ms
 * @net: the namespace
 * @stamp: jiffies of the last answer let through, 0 for none yet
 * @mib: the counter of answers held back
 *
 * Per connection (or embryonic connection), at most one ACK to
 * unacceptable segments (out of the window, or challenged) per
 * net.xtcp.invalid_ratelimit_ms (0: no limit), as Linux's
 * tcp_oow_rate_limited().
 *
 * Return: true (and count it in @mib) if this one must not go.
 */
bool xtcp_ratelimited(struct net *net, unsigned long *stamp,
		      enum xtcp_mib_field mib)
{
	int ms = READ_ONCE(xtcp_net(net)->invalid_ratelimit_ms);

	if (!ms)
		return false;
	if (*stamp && time_before(jiffies, *stamp + msecs_to_jiffies(ms))) {
		xtcp_mib_inc(net, mib);
		return true;
	}
	/* 0 means "none yet": skip it if jiffies happens to be 0. */
	*stamp = jiffies ?: 1;
	return false;
}

static bool xtcp_oow_rate_limited(struct sock *sk, enum xtcp_mib_field mib)
{
	return xtcp_ratelimited(sock_net(sk), &xtcp_sk(sk)->oow_ack_stamp, mib);
}

/**
 * xtcp_send_oow_ack() - answer a segment that is not acceptable
 * @sk: the connection
 * @seg: the segment, outside the receive window or rejected by PAWS
 *
 * RFC 9293 3.10.7.4 first: the answer is an ACK. Two ends that each find
 * the other's ACKs unacceptable would answer each other for ever, as xtcp
 * once did after RTOs (see xtcp_send_ack()); so, as Linux TCP does, an
 * unacceptable pure ACK gets at most one answer per
 * net.xtcp.invalid_ratelimit_ms (0: no limit). A segment with data or a
 * SYN is always answered: that ACK may be the one the peer lost.
 */
void xtcp_send_oow_ack(struct sock *sk, const struct xtcp_seg *seg)
{
	if (!seg->len && !(seg->flags & (TCPHDR_SYN | TCPHDR_FIN)) &&
	    xtcp_oow_rate_limited(sk, XTCP_MIB_OOWACKLIMITED))
		return;
	xtcp_send_ack(sk);
}

/**
 * xtcp_send_challenge_ack() - RFC 5961 challenge ACK, rate limited
 * @sk: the connection
 *
 * A RST or SYN that is in the window but not exactly where we expect it,
 * or an ACK too old to be true, might be spoofed: answer with our real
 * position and let the true peer resend.
 *
 * Two limits, as Linux's tcp_send_challenge_ack(). Per connection, one
 * per net.xtcp.invalid_ratelimit_ms. Per namespace, a budget per second
 * (RFC 5961 section 7) drawn at random around net.xtcp.challenge_ack_limit
 * (xtcp_challenge_budget(); INT_MAX: no such budget): a fixed budget
 * shared by every connection let an off-path prober count what others
 * spent (CVE-2016-5696). The budget takes no lock: concurrent senders may
 * overdraw it by a few, as in Linux, which costs nothing but a few ACKs.
 */
void xtcp_send_challenge_ack(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_net(net);
	unsigned long now = jiffies / HZ;
	int limit;
	u32 count;

	if (xtcp_oow_rate_limited(sk, XTCP_MIB_CHALLENGEACKLIMITED))
		return;
	limit = READ_ONCE(xn->challenge_ack_limit);
	if (limit != INT_MAX) {
		if (READ_ONCE(xn->challenge_stamp) != now) {
			WRITE_ONCE(xn->challenge_stamp, now);
			WRITE_ONCE(xn->challenge_count,
				   xtcp_challenge_budget(limit,
							 get_random_u32()));
		}
		count = READ_ONCE(xn->challenge_count);
		if (!count) {
			xtcp_mib_inc(net, XTCP_MIB_CHALLENGEACKLIMITED);
			return;
		}
		WRITE_ONCE(xn->challenge_count, count - 1);
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
	struct xtcp_key6 key6;

	if (seg->flags & TCPHDR_RST)
		return;
	if (xtcp_seg_v6(seg)) {
		xtcp_seg_key6(seg, &key6);
		o.key6 = &key6;
	}
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
 * @h: the entry: its 4-tuple from our side, IPv6 if @h->v6
 * @seq: SEG.SEQ
 * @ack: SEG.ACK
 * @wnd: SEG.WND
 * @oif: the device to route by (the entry's socket's, or its SYN's), or 0
 * @ts: the SYNs agreed to timestamps: the ACK MUST carry one (RFC 7323 3.2;
 *	a peer may drop a segment without)
 * @tsecr: its TSecr, when @ts
 *
 * For TIME_WAIT entries and embryonic connections, which keep only the
 * numbers.
 */
void xtcp_send_ack_stateless(struct net *net, const struct xtcp_hnode *h,
			     u32 seq, u32 ack, u16 wnd, int oif, bool ts,
			     u32 tsecr)
{
	struct xtcp_opts opts = {
		.present = XTCP_HAS_TIMESTAMP,
		.tsval = xtcp_ts_now(),
		.tsecr = tsecr,
	};
	struct xtcp_out o = {
		.key = h->key,
		.key6 = h->v6 ? xtcp_hkey6((struct xtcp_hnode *)h) : NULL,
		.seq = seq,
		.ack = ack,
		.flags = TCPHDR_ACK,
		.wnd = wnd,
		.opts = ts ? &opts : NULL,
		.oif = oif,
	};

	xtcp_mib_inc(net, XTCP_MIB_OUTSEGS);
	xtcp_xmit(net, NULL, &o);
}

/**
 * xtcp_send_synack_stateless() - a SYN-ACK no connection stands behind
 * @listener: the listener it answers for (bound device, mark, owner)
 * @h: the 4-tuple from our side, IPv6 if @h->v6
 * @seq: our ISN (a SYN cookie, or an embryonic connection's)
 * @ack: the peer's ISN + 1
 * @wnd: SEG.WND, never scaled in a SYN (RFC 7323 2.2)
 * @opts: MSS, window scale, SACK permitted and timestamps to send
 * @oif: the device to route by, that of the SYN (a VRF), or 0 for the
 *	listener's
 * @ip_opt: the SYN's return route (xtcp_ip_return_route()), or NULL
 * @ecn_flags: TCPHDR_ECE if it agrees to ECN (RFC 3168 6.1.1), else 0
 * @fo: a Fast Open cookie for the client (RFC 7413), or NULL
 */
void xtcp_send_synack_stateless(struct sock *listener,
				const struct xtcp_hnode *h, u32 seq, u32 ack,
				u16 wnd, const struct xtcp_opts *opts, int oif,
				const struct ip_options_rcu *ip_opt,
				u8 ecn_flags, const struct xtcp_fo_cookie *fo)
{
	struct xtcp_out o = {
		.key = h->key,
		.key6 = h->v6 ? xtcp_hkey6((struct xtcp_hnode *)h) : NULL,
		.seq = seq,
		.ack = ack,
		.flags = TCPHDR_SYN | TCPHDR_ACK | ecn_flags,
		.wnd = wnd,
		.opts = opts,
		.oif = oif,
		.ip_opt = h->v6 ? NULL : ip_opt,
		.fo = fo,
	};

	xtcp_mib_inc(sock_net(listener), XTCP_MIB_OUTSEGS);
	xtcp_xmit(sock_net(listener), listener, &o);
}
