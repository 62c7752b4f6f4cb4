/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol's internal interfaces: segments in (input.c), segments out
 * (output.c), timers (timer.c), TIME_WAIT (timewait.c), the listener
 * (listen.c), and the effects of state transitions (conn.c).
 */
#ifndef _XTCP_PROTO_H
#define _XTCP_PROTO_H

#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/tcp.h>
#include <xtcp/compat.h>
#include <xtcp/mem.h>
#include <xtcp/mib.h>
#include <xtcp/ooo.h>
#include <xtcp/options.h>
#include <xtcp/state.h>
#include <xtcp/window.h>
#include <xtcp/xtcp.h>

/*
 * An ACK may wait this long for a second segment to acknowledge with it
 * (RFC 9293 3.8.6.3: well under 0.5 s; Linux TCP's minimum is 40 ms too).
 */
#define XTCP_DELACK_MS		40
/* net.xtcp.retries2 by default (R2, as tcp_retries2): 924.6 s (rtt.c). */
#define XTCP_DATA_RETRIES	15
/* Without an MSS option the peer takes 536 (RFC 9293 3.7.1, MUST-15). */
#define XTCP_DEFAULT_MSS	536
/* The largest window scale shift (RFC 7323 2.3). */
#define XTCP_MAX_WSCALE		14

/**
 * struct xtcp_seg - a received segment, parsed; lives in skb->cb
 * @seq: SEG.SEQ
 * @end_seq: SEG.SEQ + SEG.LEN, SYN and FIN counted
 * @ack: SEG.ACK
 * @wnd: SEG.WND
 * @len: payload bytes
 * @flags: the TCP flag byte (TCPHDR_*)
 * @saddr: source address
 * @daddr: destination address
 * @sport: source port
 * @dport: destination port
 * @opts: the options xtcp understands
 */
struct xtcp_seg {
	u32 seq;
	u32 end_seq;
	u32 ack;
	u32 len;
	u16 wnd;
	u8 flags;
	/*
	 * 0 for a segment. For an ICMP or ICMPv6 error about one of ours
	 * (icmp.c): its type; then seq is the quoted segment's, flags the
	 * ICMP code, ack the 32 bits after the checksum (the next-hop MTU)
	 * and len the length of the quoted IP header.
	 */
	u8 icmp_type;
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	struct xtcp_opts opts;
};

static inline struct xtcp_seg *xtcp_seg(const struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct xtcp_seg) > sizeof_field(struct sk_buff, cb));
	return (struct xtcp_seg *)skb->cb;
}

/* The segment's skb: struct xtcp_seg lives in its control block. */
static inline struct sk_buff *xtcp_seg_skb(const struct xtcp_seg *seg)
{
	return (struct sk_buff *)((char *)seg - offsetof(struct sk_buff, cb));
}

/*
 * An IPv6 segment? The control block has no room left for a flag: the
 * skb's protocol says it. For IPv6 the saddr and daddr of struct
 * xtcp_seg are not set; the IPv6 header holds the addresses.
 */
static inline bool xtcp_seg_v6(const struct xtcp_seg *seg)
{
	return xtcp_seg_skb(seg)->protocol == htons(ETH_P_IPV6);
}

/* An IPv6 segment's 4-tuple, from our side. */
static inline void xtcp_seg_key6(const struct xtcp_seg *seg,
				 struct xtcp_key6 *key)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(xtcp_seg_skb(seg));

	key->laddr = ip6h->daddr;
	key->raddr = ip6h->saddr;
	key->lport = seg->dport;
	key->rport = seg->sport;
}

/* A table entry's 4-tuple from a segment's, from our side. */
static inline void xtcp_seg_hkey(const struct xtcp_seg *seg,
				 struct xtcp_hnode *h)
{
	h->key = (struct xtcp_key){ seg->daddr, seg->saddr,
				    seg->dport, seg->sport };
	h->v6 = xtcp_seg_v6(seg);
	if (h->v6)
		xtcp_seg_key6(seg, xtcp_hkey6(h));
}

/* The segment's TSecr, or 0 (no echo) when it has no timestamp option. */
static inline u32 xtcp_seg_tsecr(const struct xtcp_seg *seg)
{
	return (seg->opts.present & XTCP_HAS_TIMESTAMP) ? seg->opts.tsecr : 0;
}

/**
 * struct xtcp_tx_cb - a queued send buffer's place in the sequence space
 * @seq: first sequence number of its bytes
 * @end_seq: one past its last byte
 */
struct xtcp_tx_cb {
	u32 seq;
	u32 end_seq;
};

static inline struct xtcp_tx_cb *xtcp_tx_cb(const struct sk_buff *skb)
{
	return (struct xtcp_tx_cb *)skb->cb;
}

/* Milliseconds since @stamp, a jiffies value. */
static inline u32 xtcp_ms_since(u32 stamp)
{
	return jiffies_to_msecs((u32)jiffies - stamp);
}

/* The RTO's lower bound in a namespace (net.xtcp.rto_min_ms). */
static inline u32 xtcp_rto_min_us(const struct net *net)
{
	return READ_ONCE(xtcp_net(net)->rto_min_ms) * USEC_PER_MSEC;
}

/* input.c */
int xtcp_input_register(struct net *net);
void xtcp_input_unregister(struct net *net);
int xtcp_do_rcv(struct sock *sk, struct sk_buff *skb);
void xtcp_sock_deliver(struct sock *sk, struct sk_buff *skb, int subclass);
void xtcp_take_syn(struct sock *sk, const struct xtcp_seg *seg);

/* icmp.c */
unsigned int xtcp_icmp_rcv(struct net *net, struct sk_buff *skb);
unsigned int xtcp_icmp6_rcv(struct net *net, struct sk_buff *skb,
			    unsigned int off);
void xtcp_icmp_err(struct sock *sk, struct sk_buff *skb);

/* output.c */
int xtcp_send_ctl(struct sock *sk, u8 flags, u32 seq);
int xtcp_send_data(struct sock *sk, u32 seq, u32 len, bool rtx);
void xtcp_rtx_stamp(struct xtcp_sock *xs);
int xtcp_send_burst(struct sock *sk, u32 seq, u32 len, u32 mss);
u32 xtcp_seg_mss(const struct xtcp_sock *xs);
void xtcp_send_ack(struct sock *sk);
void xtcp_send_challenge_ack(struct sock *sk);
void xtcp_send_oow_ack(struct sock *sk, const struct xtcp_seg *seg);
void xtcp_send_reset_reply(struct net *net, const struct xtcp_seg *seg);
void xtcp_send_ack_stateless(struct net *net, const struct xtcp_hnode *h,
			     u32 seq, u32 ack, u16 wnd, int oif, bool ts,
			     u32 tsecr);
u16 xtcp_route_mss(struct sock *sk);
u32 xtcp_ts_now(void);

/* The clock of RTT timing and congestion control, in microseconds. */
static inline u64 xtcp_now_us(void)
{
	return ktime_to_us(ktime_get());
}

u16 xtcp_route_mss_key(struct sock *sk, const struct xtcp_hnode *h, int oif);
struct rtable *xtcp_route4(struct net *net, struct sock *sk,
			   struct flowi4 *fl4, const struct xtcp_key *key,
			   __be32 daddr, int oif);
unsigned int xtcp_route_mtu4(struct sock *sk, const struct xtcp_key *key,
			     int oif);
struct dst_entry *xtcp_route6(struct net *net, struct sock *sk,
			      struct flowi6 *fl6, const struct xtcp_key6 *key,
			      int oif);
unsigned int xtcp_route_mtu6(struct sock *sk, const struct xtcp_key6 *key,
			     int oif);
u32 xtcp_ip_optlen(const struct sock *sk);
bool xtcp_ratelimited(struct net *net, unsigned long *stamp,
		      enum xtcp_mib_field mib);
void xtcp_send_synack_stateless(struct sock *listener,
				const struct xtcp_hnode *h, u32 seq, u32 ack,
				u16 wnd, const struct xtcp_opts *opts, int oif,
				const struct ip_options_rcu *ip_opt,
				u8 ecn_flags, const struct xtcp_fo_cookie *fo);
int xtcp_send_syn(struct sock *sk, const struct xtcp_fo_cookie *fo,
		  u32 len);
/* fastopen.c: a Fast Open option without a cookie asks for one. */
extern const struct xtcp_fo_cookie xtcp_fo_request;
struct ip_options_rcu *xtcp_ip_return_route(const struct sk_buff *skb);

/* sender.c */
void xtcp_push(struct sock *sk);
bool xtcp_stream_memory_free(const struct sock *sk, int wake);
void xtcp_loss_detected(struct sock *sk);
void xtcp_retransmit(struct sock *sk);
void xtcp_mtu_reduced(struct sock *sk, u32 mss);
void xtcp_mtu_grown(struct sock *sk, u32 mtu);
void xtcp_rtt_ack(struct sock *sk, u32 ack, u32 tsecr);
void xtcp_persist_probe(struct sock *sk);
bool xtcp_rcv_ack(struct sock *sk, struct sk_buff *skb);
void xtcp_snd_wnd_take(struct xtcp_sock *xs, const struct xtcp_seg *seg);
void xtcp_snd_mss_set(struct xtcp_sock *xs, u32 mss);
void xtcp_sender_start(struct sock *sk);
void xtcp_syn_data_acked(struct sock *sk);

/* receiver.c */
bool xtcp_rcv_data(struct sock *sk, struct sk_buff *skb);
bool xtcp_rcv_syn_data(struct sock *sk, struct sk_buff *skb);
void xtcp_receiver_start(struct sock *sk);
void xtcp_rcv_dup(struct sock *sk, u32 seq, u32 end);
u32 xtcp_rcv_window(struct sock *sk, bool update);
void xtcp_window_update(struct sock *sk);
void xtcp_ack_sent(struct sock *sk);
void xtcp_negotiate(struct sock *sk, const struct xtcp_seg *seg);
void xtcp_offer_options(struct sock *sk);
u8 xtcp_wscale_offer(const struct sock *sk);
bool xtcp_paws_reject(struct sock *sk, const struct xtcp_seg *seg);
void xtcp_ts_recent_update(struct sock *sk, const struct xtcp_seg *seg);

/* ecn.c: Explicit Congestion Notification (RFC 3168) */
u8 xtcp_ecn_ip(const struct sk_buff *skb);
void xtcp_ecn_offer(struct sock *sk);
void xtcp_ecn_take_syn(struct sock *sk, const struct xtcp_seg *seg);
u8 xtcp_ecn_out(struct sock *sk, u8 *flags, bool new_data);
bool xtcp_ecn_rcv_data(struct sock *sk, const struct sk_buff *skb);
void xtcp_ecn_rcv_ack(struct sock *sk, u8 flags);
void xtcp_ecn_reduced(struct sock *sk);

/* ipv6.c */
int xtcp_bind6(struct sock *sk, const struct sockaddr_in6 *sin6, int len,
	       struct sockaddr_in *sin);
int xtcp_connect6(struct sock *sk, const struct sockaddr_in6 *sin6, int len,
		  struct sockaddr_in *sin);
int xtcp_getname6(struct sock *sk, struct sockaddr_in6 *sin6, int peer);
int xtcp_ipv6_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			 unsigned int optlen);
int xtcp_ipv6_getsockopt(struct sock *sk, int optname, char __user *optval,
			 int __user *optlen);
int xtcp_defrag6_get(struct net *net);
void xtcp_defrag6_put(struct net *net);
void xtcp_defrag6_module_exit(void);
void xtcp_defrag6_fixup(struct sk_buff *skb);

/* timer.c */
void xtcp_timers_init(struct sock *sk);
u32 xtcp_rto_us(const struct sock *sk);
void xtcp_rto_revert(struct sock *sk);
int xtcp_timer_shown(struct sock *sk, s64 *left_ns, u8 *count);
void xtcp_timers_deferred(struct sock *sk);
void xtcp_orphan_add(struct sock *sk);
void xtcp_orphan_del(struct sock *sk);
/* timer.c: what happened, for timer.c to start, restart or stop timers */
void xtcp_timers_state_changed(struct sock *sk);
void xtcp_timers_closed(struct sock *sk);
void xtcp_timers_syn_sent(struct sock *sk);
void xtcp_timers_data_sent(struct sock *sk, bool unsent);
void xtcp_timers_acked(struct sock *sk);
void xtcp_timers_tlp_due(struct sock *sk, u32 pto, bool force);
void xtcp_timers_reo_pending(struct sock *sk, u32 us);
void xtcp_timers_ack_delayed(struct sock *sk);
void xtcp_timers_ack_sent(struct sock *sk);
void xtcp_timers_segment_rcvd(struct sock *sk, const struct xtcp_seg *seg);
void xtcp_timers_keepidle_changed(struct sock *sk);
/* timer.c: keepalive */
void xtcp_set_keepalive(struct sock *sk, int on);
u32 xtcp_keepidle_ms(const struct xtcp_sock *xs);
u32 xtcp_keepintvl_ms(const struct xtcp_sock *xs);
int xtcp_keepcnt(const struct xtcp_sock *xs);

/* timewait.c */
void xtcp_tw_enter(struct sock *sk);
void xtcp_tw_rcv(struct xtcp_tw *tw, struct sk_buff *skb);
void xtcp_tw_kill(struct xtcp_tw *tw);

/* sockopt.c */
int xtcp_setsockopt(struct sock *sk, int level, int optname,
		    sockptr_t optval, unsigned int optlen);
int xtcp_getsockopt(struct sock *sk, int level, int optname,
		    char __user *optval, int __user *optlen);
int xtcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
void xtcp_sockopt_inherit(struct sock *sk, const struct sock *parent);
void xtcp_sockopt_release(struct sock *sk);
void xtcp_sockopt_destroy(struct sock *sk);
void xtcp_get_info(struct sock *sk, struct tcp_info *info);

/* sock.c */
void xtcp_sock_setup(struct sock *sk, struct socket *sock);

/* conn.c */
void xtcp_transition(struct sock *sk, enum xtcp_event ev);
void xtcp_state_init(struct sock *sk, int state);
void xtcp_abort_sock(struct sock *sk);

/* listen.c */
int xtcp_listen(struct socket *sock, int backlog);
int xtcp_accept(struct socket *sock, struct socket *newsock,
		struct proto_accept_arg *arg);
#if XTCP_KERNEL_AT_LEAST(6, 10, 0)
#define XTCP_ACCEPT	xtcp_accept
#else
int xtcp_accept_compat(struct socket *sock, struct socket *newsock,
		       int flags, bool kern);
#define XTCP_ACCEPT	xtcp_accept_compat
#endif
void xtcp_listen_stop(struct sock *sk);
bool xtcp_rcv_listen(struct sock *sk, struct sk_buff *skb);
struct sock *xtcp_child_create(struct sock *listener, struct sk_buff *skb,
			       const struct xtcp_seg *syn, u32 iss,
			       struct xtcp_hnode *replace,
			       struct ip_options_rcu *ip_opt);

/* acceptq.c */
void xtcp_child_enqueue(struct xtcp_sock *lxs, struct sock *child);
void xtcp_child_ready(struct sock *child);
void xtcp_child_unlink(struct sock *child);
struct sock *xtcp_accept_dequeue(struct sock *listener);
struct xtcp_sock *xtcp_listen_take_child(struct xtcp_sock *lxs);

/* policy.c */
unsigned int xtcp_policy_confirm(struct sk_buff *skb);
bool xtcp_policy_rcv(struct sock *sk, struct sk_buff *skb);
int xtcp_policy_child(struct sock *child, const struct sock *parent);
struct sock *xtcp_policy_owner(struct sk_buff *skb, struct sock *sk);
/* A listener's accept queue is full, as Linux's sk_acceptq_is_full(). */
static inline bool xtcp_acceptq_full(const struct sock *sk)
{
	return xtcp_accept_qlen(xtcp_sk(sk)) >
	       READ_ONCE(sk->sk_max_ack_backlog);
}

/* mtuprobe.c */
void xtcp_mtup_init(struct sock *sk);
void xtcp_mtup_black_hole(struct sock *sk);
int xtcp_mtup_probe_len(struct sock *sk, u32 flight, u32 cwnd);
void xtcp_mtup_sent(struct sock *sk, u32 seq, u32 len);
void xtcp_mtup_acked(struct sock *sk);
bool xtcp_mtup_lost(struct sock *sk);
/* recovery.c: RACK-TLP (RFC 8985) */
void xtcp_rack_sent(struct sock *sk, u32 seq, u32 len, bool rtx);
bool xtcp_rack_ack(struct sock *sk, u32 old_una, bool had_sack,
		   const struct xtcp_sack_block *first,
		   const struct xtcp_sack_block *dsack, bool dup);
bool xtcp_tlp_arm(struct sock *sk, bool force);
bool xtcp_rack_timer(struct sock *sk);
void xtcp_rack_on_rto(struct sock *sk);
void xtcp_prr_start(struct sock *sk);
void xtcp_prr_cwr_start(struct sock *sk);
void xtcp_prr_ack(struct sock *sk, u32 delivered);
void xtcp_prr_end(struct sock *sk);

#endif /* _XTCP_PROTO_H */
