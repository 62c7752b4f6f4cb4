// SPDX-License-Identifier: GPL-2.0
/*
 * Embryonic connections (RFC 9293 3.5, RFC 4987 3.3). A SYN at a listener
 * makes a compact struct xtcp_req, not a socket: the 4-tuple, the two
 * ISNs, what the SYN's options said, and a timer that retransmits the
 * SYN-ACK. The entry sits in the connection table, so that the segments
 * of its 4-tuple find it, and on its listener's req_q, which the SYN
 * queue limit (net.xtcp.max_syn_backlog) counts. Only the ACK of our
 * SYN-ACK, checked as RFC 9293 3.10.7.4 checks it in SYN-RECEIVED, makes
 * a full socket, which takes the entry's place in the table at once.
 *
 * A flood of spoofed SYNs thus costs a listener a few hundred bytes per
 * SYN until the queue is full, and nothing after it (SYN cookies,
 * input.c); a full socket is made only for a peer that proved it saw
 * our SYN-ACK.
 *
 * Locking, as for TIME_WAIT entries (timewait.c): an entry ends once, by
 * whoever sets XTCP_REQ_DEAD under req->lock: its timer (retries spent),
 * an RST, its promotion to a socket, or the listener's close. A killer
 * other than the timer then hrtimer_cancel()s, which waits for a running
 * callback and dequeues a timer that callback re-armed; the callback
 * re-arms only after finding the entry alive under the lock. The memory
 * goes after an RCU grace period (lookups run under RCU), and with it the
 * reference on the listener, so that a lookup that found the entry can
 * still read its listener.
 */

#include <linux/slab.h>
#include <xtcp/isn.h>
#include <xtcp/compat.h>
#include <xtcp/ecn.h>
#include <xtcp/fastopen.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/request.h>
#include <xtcp/rtt.h>
#include <xtcp/seq.h>
#include <xtcp/table.h>
#include "trace.h"

#define XTCP_REQ_DEAD	0

static struct kmem_cache *xtcp_req_cache;
/* IPv6 entries: struct xtcp_req with a struct xtcp_hnode6 for its h. */
static struct kmem_cache *xtcp_req6_cache;

static struct kmem_cache *xtcp_req_cache_of(const struct xtcp_req *req)
{
	return req->h.v6 ? xtcp_req6_cache : xtcp_req_cache;
}

static u64 xtcp_req_timeout_us(const struct xtcp_req *req)
{
	u64 us = (u64)XTCP_RTO_INIT_US << min_t(u8, req->retries, 16);

	return min_t(u64, us, XTCP_RTO_MAX_US);
}

/* Our SYN-ACK, from what the entry remembers of the SYN. */
static void xtcp_req_send_synack(struct xtcp_req *req)
{
	struct xtcp_opts opts = {
		.present = XTCP_HAS_MSS,
		.mss = req->adv_mss,
	};
	struct xtcp_fo_cookie fo;

	if (req->ts_ok) {
		opts.present |= XTCP_HAS_TIMESTAMP;
		opts.tsval = xtcp_ts_now();
		opts.tsecr = req->ts_recent;
	}
	if (req->sack_ok)
		opts.present |= XTCP_HAS_SACK_PERM;
	if (req->wscale_ok) {
		opts.present |= XTCP_HAS_WSCALE;
		opts.wscale = req->rcv_wscale;
	}
	if (req->fo_cookie) {
		xtcp_fastopen_cookie_gen(sock_net(req->listener), &req->h, &fo);
		fo.exp = req->fo_exp;
	}
	xtcp_send_synack_stateless(req->listener, &req->h, req->iss,
				   req->irs + 1, req->rcv_wnd, &opts,
				   req->bound_dev_if, req->ip_opt,
				   req->ecn_ok ? TCPHDR_ECE : 0,
				   req->fo_cookie ? &fo : NULL);
}

static void xtcp_req_free_rcu(struct rcu_head *head)
{
	struct xtcp_req *req = container_of(head, struct xtcp_req, rcu);

	kfree(req->ip_opt);
	sock_put(req->listener);
	kmem_cache_free(xtcp_req_cache_of(req), req);
}

/* Off the listener's queue, unless its close took it off already. */
static void xtcp_req_unqueue(struct xtcp_req *req)
{
	struct xtcp_sock *lxs = xtcp_sk(req->listener);

	spin_lock_bh(&lxs->lq->lock);
	if (!list_empty(&req->node)) {
		list_del_init(&req->node);
		lxs->lq->syn_qlen--;
	}
	spin_unlock_bh(&lxs->lq->lock);
}

/*
 * The end of a dead entry: out of the table (unless a socket took its
 * place there), off the queue, freed after a grace period.
 */
static void xtcp_req_release(struct xtcp_req *req, bool in_table, bool failed)
{
	struct net *net = sock_net(req->listener);

	if (in_table)
		xtcp_conn_remove(xtcp_net(net), &req->h);
	xtcp_req_unqueue(req);
	if (failed) {
		trace_xtcp_set_state(&req->h, TCP_SYN_RECV, TCP_CLOSE);
		xtcp_mib_inc(net, XTCP_MIB_ATTEMPTFAILS);
	}
	call_rcu(&req->rcu, xtcp_req_free_rcu);
}

/* Set DEAD under the lock; true for the one caller that did. */
static bool xtcp_req_mark_dead(struct xtcp_req *req)
{
	bool won;

	spin_lock_bh(&req->lock);
	won = !test_and_set_bit(XTCP_REQ_DEAD, &req->flags);
	spin_unlock_bh(&req->lock);
	return won;
}

/**
 * xtcp_req_kill() - end an embryonic connection before its timer does
 * @req: the entry
 *
 * For an RST, the listener's close or namespace teardown. A later or
 * concurrent caller finds the entry dead and returns.
 *
 * Context: not the entry's timer; rcu_read_lock() held.
 */
void xtcp_req_kill(struct xtcp_req *req)
{
	if (!xtcp_req_mark_dead(req))
		return;
	hrtimer_cancel(&req->timer);
	xtcp_req_release(req, true, true);
}

static enum hrtimer_restart xtcp_req_fire(struct hrtimer *t)
{
	struct xtcp_req *req = container_of(t, struct xtcp_req, timer);
	struct net *net = sock_net(req->listener);
	int max = READ_ONCE(xtcp_net(net)->synack_retries);
	bool end = false;

	spin_lock(&req->lock);
	if (test_bit(XTCP_REQ_DEAD, &req->flags)) {
		spin_unlock(&req->lock);
		return HRTIMER_NORESTART;
	}
	if (req->retries >= max)
		end = !test_and_set_bit(XTCP_REQ_DEAD, &req->flags);
	else
		req->retries++;
	spin_unlock(&req->lock);
	if (end) {
		xtcp_req_release(req, true, true);
		return HRTIMER_NORESTART;
	}
	xtcp_mib_inc(net, XTCP_MIB_RETRANSSEGS);
	xtcp_req_send_synack(req);
	hrtimer_forward_now(t, ns_to_ktime(xtcp_req_timeout_us(req) * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/*
 * Room for one more? Like Linux, listen(fd, 0) still takes one
 * connection; SynDrops and ListenDrops count what is refused.
 */
static bool xtcp_req_admit(struct sock *listener)
{
	struct net *net = sock_net(listener);

	if (xtcp_acceptq_full(listener)) {
		xtcp_mib_inc(net, XTCP_MIB_LISTENOVERFLOWS);
	} else if (READ_ONCE(xtcp_sk(listener)->lq->syn_qlen) <
		   READ_ONCE(xtcp_net(net)->max_syn_backlog)) {
		return true;
	}
	xtcp_mib_inc(net, XTCP_MIB_SYNDROPS);
	xtcp_mib_inc(net, XTCP_MIB_LISTENDROPS);
	return false;
}

/**
 * xtcp_req_isn() - our ISN for the connection a SYN asks for
 * @seg: the SYN
 *
 * Return: the ISN (RFC 6528), from the SYN's 4-tuple.
 */
u32 xtcp_req_isn(const struct xtcp_seg *seg)
{
	struct xtcp_key6 k6;

	if (!xtcp_seg_v6(seg))
		return xtcp_isn(seg->daddr, seg->saddr, seg->dport, seg->sport);
	xtcp_seg_key6(seg, &k6);
	return xtcp_isn6(&k6.laddr, &k6.raddr, seg->dport, seg->sport);
}

/* What the SYN says and what we answer: as a child would negotiate. */
static void xtcp_req_take_syn(struct xtcp_req *req, struct sock *listener,
			      const struct xtcp_seg *seg)
{
	u8 has = seg->opts.present;

	req->irs = seg->seq;
	req->iss = xtcp_req_isn(seg);
	req->snd_wnd = seg->wnd;
	req->peer_mss = (has & XTCP_HAS_MSS) ? seg->opts.mss : 0;
	req->adv_mss = xtcp_route_mss_key(listener, &req->h,
					  req->bound_dev_if);
	req->sack_ok = !!(has & XTCP_HAS_SACK_PERM);
	req->ts_ok = !!(has & XTCP_HAS_TIMESTAMP);
	req->ts_recent = req->ts_ok ? seg->opts.tsval : 0;
	req->wscale_ok = !!(has & XTCP_HAS_WSCALE);
	if (req->wscale_ok) {
		req->snd_wscale = min_t(u8, seg->opts.wscale, XTCP_MAX_WSCALE);
		req->rcv_wscale = xtcp_wscale_offer(listener);
	}
	req->rcv_wnd = min(xtcp_rcv_window(listener, false), XTCP_MAX_WINDOW);
	req->ecn_ok = xtcp_ecn_accept(READ_ONCE(xtcp_net(sock_net(listener))->ecn),
				      seg->flags, xtcp_ecn_ip(xtcp_seg_skb(seg)));
}

/**
 * xtcp_req_create() - a SYN at a listener: an embryonic connection
 * @listener: the listener, locked
 * @skb: the SYN
 * @ip_opt: the SYN's return route (xtcp_ip_return_route()), or NULL;
 *	the entry takes it, and frees it if it is not made
 * @fo_cookie: its SYN-ACKs give the client a Fast Open cookie
 *
 * Enters the entry into the table and the listener's queue, sends the
 * SYN-ACK and starts its retransmission timer. Nothing happens if the
 * queues are full or memory is short: the peer retransmits its SYN.
 */
void xtcp_req_create(struct sock *listener, struct sk_buff *skb,
		     struct ip_options_rcu *ip_opt, bool fo_cookie)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *lxs = xtcp_sk(listener);
	struct net *net = sock_net(listener);
	struct xtcp_req *req;

	if (!xtcp_req_admit(listener))
		goto drop;
	req = kmem_cache_zalloc(xtcp_seg_v6(seg) ? xtcp_req6_cache :
				xtcp_req_cache, GFP_ATOMIC);
	if (!req)
		goto drop;
	req->ip_opt = ip_opt;
	xtcp_seg_hkey(seg, &req->h);
	req->h.kind = XTCP_HK_REQ;
	req->bound_dev_if = inet_request_bound_dev_if(listener, skb);
	spin_lock_init(&req->lock);
	INIT_LIST_HEAD(&req->node);
	hrtimer_setup(&req->timer, xtcp_req_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
	xtcp_req_take_syn(req, listener, seg);
	req->fo_cookie = fo_cookie;
	req->fo_exp = !!(seg->opts.present & XTCP_HAS_FASTOPEN_EXP);
	sock_hold(listener);
	req->listener = listener;

	/* On the queue before the table: whoever ends it finds it there. */
	spin_lock_bh(&lxs->lq->lock);
	list_add_tail(&req->node, &lxs->lq->req_q);
	lxs->lq->syn_qlen++;
	spin_unlock_bh(&lxs->lq->lock);
	rcu_read_lock();
	if (xtcp_conn_insert(xtcp_net(net), &req->h)) {
		rcu_read_unlock();
		/* Only the listener's close saw it, under its lock: not now. */
		xtcp_req_unqueue(req);
		sock_put(listener);
		kfree(req->ip_opt);
		kmem_cache_free(xtcp_req_cache_of(req), req);
		return;
	}
	trace_xtcp_set_state(&req->h, TCP_LISTEN, TCP_SYN_RECV);
	xtcp_mib_inc(net, XTCP_MIB_PASSIVEOPENS);

	req->synack_us = xtcp_now_us();
	xtcp_req_send_synack(req);
	/*
	 * Published: an RST on another CPU may end the entry before its
	 * timer is armed; then it is left alone, and RCU keeps the memory.
	 */
	spin_lock_bh(&req->lock);
	if (!test_bit(XTCP_REQ_DEAD, &req->flags))
		hrtimer_start(&req->timer,
			      ns_to_ktime(xtcp_req_timeout_us(req) * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_SOFT);
	spin_unlock_bh(&req->lock);
	rcu_read_unlock();
	return;

drop:
	kfree(ip_opt);
}

/*
 * The SYN the entry stands for, as the child must take it (listen.c,
 * xtcp_child_create()): its options as negotiated.
 */
static void xtcp_req_syn(const struct xtcp_req *req, const struct xtcp_seg *ack,
			 struct xtcp_seg *syn)
{
	*syn = *ack;
	syn->seq = req->irs;
	syn->ack = 0;
	syn->flags = TCPHDR_SYN | (req->ecn_ok ? XTCP_ECN_SETUP : 0);
	syn->len = 0;
	syn->wnd = req->snd_wnd;
	syn->opts.present = 0;
	if (req->peer_mss) {
		syn->opts.present |= XTCP_HAS_MSS;
		syn->opts.mss = req->peer_mss;
	}
	if (req->wscale_ok) {
		syn->opts.present |= XTCP_HAS_WSCALE;
		syn->opts.wscale = req->snd_wscale;
	}
	if (req->sack_ok)
		syn->opts.present |= XTCP_HAS_SACK_PERM;
	if (req->ts_ok) {
		syn->opts.present |= XTCP_HAS_TIMESTAMP;
		syn->opts.tsval = req->ts_recent;
	}
}

/*
 * The ACK of our SYN-ACK: a socket takes the entry's place in the table,
 * and the entry ends. Return: the child, with a reference for the caller;
 * or NULL if the entry ended meanwhile or memory is short (the segment is
 * dropped).
 */
static struct sock *xtcp_req_promote(struct sock *listener,
				     struct xtcp_req *req, struct sk_buff *skb)
{
	struct ip_options_rcu *ip_opt;
	struct xtcp_seg syn;
	struct sock *child;

	if (!xtcp_req_mark_dead(req))
		return NULL;
	hrtimer_cancel(&req->timer);
	xtcp_req_syn(req, xtcp_seg(skb), &syn);
	/*
	 * The child takes the return route: no SYN-ACK of the entry's can
	 * go any more (dead, its timer stopped, the listener locked).
	 */
	ip_opt = req->ip_opt;
	req->ip_opt = NULL;
	child = xtcp_child_create(listener, skb, &syn, req->iss, &req->h,
				  ip_opt);
	xtcp_req_release(req, !child, !child);
	return child;
}

/*
 * The child took over from the entry (the SYN's numbers and options); it
 * also takes the first SYN-ACK's departure for the first RTT sample
 * (Karn: not if it was sent again). Then the ACK.
 */
static void xtcp_req_child_rcv(struct sock *child, const struct xtcp_req *req,
			       struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(child);

	/* From the listener's backlog softirqs are on: keep them off. */
	local_bh_disable();
	bh_lock_sock_nested(child);
	if (!req->retries)
		xtcp_rtt_start(&xs->rtt, req->iss + 1, req->synack_us);
	xtcp_do_rcv(child, skb);	/* to ESTABLISHED, the accept queue */
	bh_unlock_sock(child);
	local_bh_enable();
}

/*
 * RFC 9293 3.10.7.4 in SYN-RECEIVED, first check: the sequence number
 * against the window our SYN-ACK offered, then PAWS (RFC 7323 5.3).
 */
static bool xtcp_req_seq_ok(const struct xtcp_req *req,
			    const struct xtcp_seg *seg)
{
	if (!xtcp_seg_acceptable(req->irs + 1, req->rcv_wnd, seg->seq,
				 seg->end_seq - seg->seq))
		return false;
	return !(req->ts_ok && (seg->opts.present & XTCP_HAS_TIMESTAMP) &&
		 !(seg->flags & TCPHDR_RST) &&
		 xtcp_seq_before(seg->opts.tsval, req->ts_recent));
}

/**
 * xtcp_req_rcv() - a segment for an embryonic connection
 * @listener: its listener, locked
 * @req: the entry, found under RCU by the segment's 4-tuple
 * @skb: the segment
 *
 * RFC 9293 3.10.7.4 for SYN-RECEIVED reached from LISTEN: an unacceptable
 * segment gets an ACK (not an RST); an RST exactly at RCV.NXT ends the
 * entry (RFC 5961 3.2; one merely in the window is dropped); the
 * retransmitted SYN gets the SYN-ACK again, another SYN nothing (both
 * answers at most one per net.xtcp.invalid_ratelimit_ms); an ACK
 * that does not acknowledge our SYN exactly gets an RST. The right ACK
 * makes the connection a socket, which then takes the segment, text, FIN
 * and all, as it would have in SYN-RECEIVED. With the accept queue full,
 * that ACK is dropped and the entry stays: its SYN-ACK is retransmitted
 * and the peer acknowledges it again, as Linux TCP does.
 *
 * Return: true if the segment went to a new connection (it owns @skb).
 */
bool xtcp_req_rcv(struct sock *listener, struct xtcp_req *req,
		  struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct net *net = sock_net(listener);
	struct sock *child;

	if (test_bit(XTCP_REQ_DEAD, &req->flags))
		return false;
	/*
	 * Answers to the SYN again or to unacceptable segments are rate
	 * limited, as tcp_check_req() does: a spoofed flood of either must
	 * not turn the listener into a reflector.
	 */
	if ((seg->flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN) {
		if (seg->seq == req->irs &&
		    !xtcp_ratelimited(net, &req->oow_stamp,
				      XTCP_MIB_OOWACKLIMITED))
			xtcp_req_send_synack(req);
		return false;
	}
	if (!xtcp_req_seq_ok(req, seg)) {
		if (!(seg->flags & TCPHDR_RST) &&
		    !xtcp_ratelimited(net, &req->oow_stamp,
				      XTCP_MIB_OOWACKLIMITED))
			xtcp_send_ack_stateless(net, &req->h, req->iss + 1,
						req->irs + 1, req->rcv_wnd,
						req->bound_dev_if, req->ts_ok,
						req->ts_recent);
		return false;
	}
	if (seg->flags & TCPHDR_RST) {
		if (seg->seq == req->irs + 1)
			xtcp_req_kill(req);
		return false;
	}
	if (!(seg->flags & TCPHDR_ACK) || (seg->flags & TCPHDR_SYN))
		return false;
	if (seg->ack != req->iss + 1) {
		xtcp_send_reset_reply(net, seg);
		return false;
	}
	if (xtcp_acceptq_full(listener)) {
		xtcp_mib_inc(net, XTCP_MIB_LISTENOVERFLOWS);
		xtcp_mib_inc(net, XTCP_MIB_LISTENDROPS);
		return false;
	}
	child = xtcp_req_promote(listener, req, skb);
	if (!child)
		return false;
	/* The entry's memory stays until the caller's rcu_read_unlock(). */
	xtcp_req_child_rcv(child, req, skb);
	sock_put(child);
	return true;
}

/**
 * xtcp_listen_drop_reqs() - a listener closes: its embryonic connections end
 * @listener: the listener, out of the lookup table, locked by its user
 *
 * One at a time off req_q under lq->lock; an entry whose timer or RST ended
 * it meanwhile is dead already and left to that caller.
 */
void xtcp_listen_drop_reqs(struct sock *listener)
{
	struct xtcp_sock *lxs = xtcp_sk(listener);
	struct xtcp_req *req;

	for (;;) {
		rcu_read_lock();
		spin_lock_bh(&lxs->lq->lock);
		req = list_first_entry_or_null(&lxs->lq->req_q, struct xtcp_req,
					       node);
		if (req) {
			list_del_init(&req->node);
			lxs->lq->syn_qlen--;
		}
		spin_unlock_bh(&lxs->lq->lock);
		if (req)
			xtcp_req_kill(req);
		rcu_read_unlock();
		if (!req)
			break;
		cond_resched();
	}
}

int xtcp_req_module_init(void)
{
	xtcp_req_cache = kmem_cache_create("xtcp_request",
					   sizeof(struct xtcp_req), 0,
					   SLAB_HWCACHE_ALIGN, NULL);
	if (!xtcp_req_cache)
		return -ENOMEM;
	xtcp_req6_cache = kmem_cache_create("xtcp_request6",
					    offsetof(struct xtcp_req, h) +
					    sizeof(struct xtcp_hnode6), 0,
					    SLAB_HWCACHE_ALIGN, NULL);
	if (!xtcp_req6_cache) {
		kmem_cache_destroy(xtcp_req_cache);
		return -ENOMEM;
	}
	return 0;
}

/* After rcu_barrier(): every entry's deferred free has run. */
void xtcp_req_module_exit(void)
{
	kmem_cache_destroy(xtcp_req6_cache);
	kmem_cache_destroy(xtcp_req_cache);
}
