// SPDX-License-Identifier: GPL-2.0
/*
 * TIME_WAIT (RFC 9293 3.6): the side that closes first waits 2*MSL after
 * its last ACK so that a retransmitted FIN is answered and old duplicates
 * die before the 4-tuple is used again (MUST-13).
 *
 * A socket in TIME_WAIT needs only its 4-tuple, two sequence numbers and a
 * timer, so it hands its place in the connection table to a compact
 * struct xtcp_tw and goes away; the entry keeps the local port reserved.
 */

#include <linux/slab.h>
#include <linux/sock_diag.h>
#include <xtcp/compat.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/seq.h>
#include <xtcp/table.h>
#include "trace.h"

#define XTCP_TW_DEAD	0

static u64 xtcp_tw_ms(struct net *net)
{
	return 2ULL * READ_ONCE(xtcp_net(net)->msl_ms);
}

/*
 * The entry's timer and its end. An entry is freed (kfree_rcu) once it is
 * DEAD, and its timer must then be neither queued nor running, or it would
 * fire in freed memory (debugobjects: "ODEBUG: free active object"). On
 * two CPUs a retransmitted FIN restarting the 2*MSL could otherwise re-arm
 * the timer just after an RST, a new SYN or the timer itself ended the
 * entry. Three rules make that impossible:
 *
 * 1. The timer is armed only under tw->lock and only while DEAD is clear
 *    (xtcp_tw_arm()); DEAD is set only under tw->lock. Once DEAD is set,
 *    nobody arms the timer again.
 * 2. Any killer but the timer (RST, new SYN, namespace exit) sets DEAD,
 *    then, outside the lock, hrtimer_cancel()s: that dequeues a timer
 *    armed before, and waits for a callback running on another CPU, which
 *    takes the lock, finds DEAD and leaves the entry alone.
 * 3. The callback sets DEAD only if nobody re-armed the timer between its
 *    expiry and its taking the lock; if a FIN did, the new expiry stands
 *    and this callback does nothing. When it does kill, the timer is not
 *    queued and by rule 1 never will be, and it returns HRTIMER_NORESTART;
 *    the entry outlives the callback, a softirq being an RCU read-side
 *    critical section.
 *
 * Whoever sets DEAD removes the entry; every other caller returns.
 */
static bool xtcp_tw_mark_dead(struct xtcp_tw *tw, bool from_timer)
{
	bool won = false;

	spin_lock_bh(&tw->lock);
	if (!(from_timer && hrtimer_is_queued(&tw->timer)))
		won = !test_and_set_bit(XTCP_TW_DEAD, &tw->flags);
	spin_unlock_bh(&tw->lock);
	return won;
}

/* (Re)start the 2*MSL, unless the entry is dead (rule 1 above). */
static void xtcp_tw_arm(struct xtcp_tw *tw)
{
	spin_lock_bh(&tw->lock);
	if (!test_bit(XTCP_TW_DEAD, &tw->flags))
		hrtimer_start(&tw->timer, ms_to_ktime(xtcp_tw_ms(tw->net)),
			      HRTIMER_MODE_REL_SOFT);
	spin_unlock_bh(&tw->lock);
}

/* Take a dead entry out of the table; its memory goes after a grace period. */
static void xtcp_tw_free(struct xtcp_tw *tw)
{
	struct xtcp_net *xn = xtcp_net(tw->net);

	xtcp_conn_remove(xn, &tw->h);
	trace_xtcp_set_state(&tw->h, TCP_TIME_WAIT, TCP_CLOSE);
	spin_lock_bh(&xn->lock);
	tw->port->tw_count--;
	spin_unlock_bh(&xn->lock);
	xtcp_port_put(tw->port);
	kfree_rcu(tw, rcu);
}

/**
 * xtcp_tw_kill() - end a TIME_WAIT entry before its timer does
 * @tw: the entry
 *
 * For an RST, a new SYN or namespace teardown; never from the entry's own
 * timer (it would wait for itself). A later or concurrent caller finds
 * the entry dead and returns.
 *
 * Context: any but the entry's timer callback; rcu_read_lock() held (the
 * entry may be freed once this returns).
 */
void xtcp_tw_kill(struct xtcp_tw *tw)
{
	if (!xtcp_tw_mark_dead(tw, false))
		return;
	hrtimer_cancel(&tw->timer);
	xtcp_tw_free(tw);
}

/*
 * Our ACK to @seg. RFC 7323 3.2: once both SYNs carried timestamps, every
 * segment but an RST MUST carry one, and a peer may drop one without (as
 * FreeBSD does): left unanswered, a peer in LAST_ACK would resend its FIN
 * until it gives up. The echo is @seg's own TSval, what TS.Recent would
 * be after an acceptable segment, so the entry needs no room to keep it.
 */
static void xtcp_tw_send_ack(struct xtcp_tw *tw, const struct xtcp_seg *seg)
{
	xtcp_send_ack_stateless(tw->net, &tw->h, tw->snd_nxt, tw->rcv_nxt, 0,
				tw->bound_dev_if,
				test_bit(XTCP_TW_TS, &tw->flags),
				seg->opts.present & XTCP_HAS_TIMESTAMP ?
				seg->opts.tsval : 0);
}

/*
 * The TIME_WAIT row of the state table (state.c), carried out for an
 * entry: a retransmitted FIN is acknowledged again and restarts the
 * 2*MSL, an RST or the 2*MSL's end ends the entry.
 */
static void xtcp_tw_transition(struct xtcp_tw *tw, enum xtcp_event ev,
			       const struct xtcp_seg *seg)
{
	const struct xtcp_cell *t = xtcp_state_lookup(TCP_TIME_WAIT, ev);
	u16 a = t->actions;

	if (a & XTCP_ACT_INVALID)
		return;
	if (a & XTCP_ACT_TIMEWAIT)
		xtcp_tw_arm(tw);
	if ((a & XTCP_ACT_SEND_ACK) && seg)
		xtcp_tw_send_ack(tw, seg);
	if (!(a & XTCP_ACT_DONE))
		return;
	if (ev != XTCP_EV_TW_TIMEOUT)
		xtcp_tw_kill(tw);
	else if (xtcp_tw_mark_dead(tw, true))
		xtcp_tw_free(tw);
}

static enum hrtimer_restart xtcp_tw_fire(struct hrtimer *t)
{
	xtcp_tw_transition(container_of(t, struct xtcp_tw, timer),
			   XTCP_EV_TW_TIMEOUT, NULL);
	return HRTIMER_NORESTART;
}

/**
 * xtcp_tw_enter() - replace a connection by a TIME_WAIT entry
 * @sk: the connection, locked, just moved to TIME_WAIT
 *
 * The TIMEWAIT action of the state table: afterwards the entry has the
 * socket's place in the table, and the socket is done (conn.c). If memory
 * for the entry is lacking, the connection simply ends (as Linux TCP does).
 */
void xtcp_tw_enter(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_tw *tw;

	/* An IPv6 entry has its struct xtcp_hnode6 key after it. */
	tw = kzalloc(xs->h.v6 ? offsetof(struct xtcp_tw, h) +
		     sizeof(struct xtcp_hnode6) : sizeof(*tw), GFP_ATOMIC);
	if (!tw || !xs->hashed || !xs->port)
		goto done;
	tw->h.key = xs->h.key;
	tw->h.v6 = xs->h.v6;
	if (tw->h.v6)
		*xtcp_hkey6(&tw->h) = xs->h6.key6;
	tw->h.kind = XTCP_HK_TW;
	tw->net = sock_net(sk);
	tw->snd_nxt = xs->snd_max;
	tw->rcv_nxt = xs->rcv_nxt;
	tw->port = xs->port;
	tw->bound_dev_if = sk->sk_bound_dev_if;
	sock_diag_save_cookie(sk, tw->cookie);
	if (xs->v4mapped)
		__set_bit(XTCP_TW_MAPPED, &tw->flags);
	if (xs->ts_ok)
		__set_bit(XTCP_TW_TS, &tw->flags);
	xtcp_port_get(tw->port);
	spin_lock_bh(&xn->lock);
	tw->port->tw_count++;
	spin_unlock_bh(&xn->lock);
	spin_lock_init(&tw->lock);
	hrtimer_setup(&tw->timer, xtcp_tw_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);

	rcu_read_lock();
	if (xtcp_conn_replace(xn, &xs->h, &tw->h)) {
		rcu_read_unlock();
		spin_lock_bh(&xn->lock);
		tw->port->tw_count--;
		spin_unlock_bh(&xn->lock);
		xtcp_port_put(tw->port);
		goto done;
	}
	xs->hashed = false;
	__sock_put(sk);		/* the table's reference */
	/*
	 * Published: an RST on another CPU may end the entry before its timer
	 * is armed. xtcp_tw_arm() then leaves it alone, and RCU keeps the
	 * memory until we are done.
	 */
	xtcp_tw_arm(tw);
	rcu_read_unlock();
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_TIMEWAITS);
	tw = NULL;
done:
	kfree(tw);
}

/*
 * RFC 1337: an RST that ends TIME_WAIT early lets old duplicates into the
 * next incarnation of the 4-tuple, and the RST need not be an attack: a
 * peer that retransmitted its FIN (a tail loss probe or an RTO racing our
 * ACK) has already gone to CLOSED when our second ACK arrives, and its
 * stack answers that ACK with an RST at exactly RCV.NXT. As Linux, the
 * remedy (ignore every RST here) is net.xtcp.rfc1337, off by default.
 */
static bool xtcp_tw_rfc1337(const struct xtcp_tw *tw)
{
	return READ_ONCE(xtcp_net(tw->net)->rfc1337);
}

/**
 * xtcp_tw_rcv() - a segment for a connection in TIME_WAIT
 * @tw: the entry
 * @skb: the segment; consumed
 *
 * RFC 9293 3.10.7.4 for TIME_WAIT: an RST at RCV.NXT ends the wait (Linux's
 * default; with net.xtcp.rfc1337 set, no RST does); a retransmitted FIN is
 * acknowledged again and restarts the 2*MSL; anything else unexpected
 * gets an ACK. A SYN beyond RCV.NXT is a new incarnation (MAY-2): input.c
 * ends the entry and hands the SYN to the listener.
 *
 * Context: softirq, rcu_read_lock() held.
 */
void xtcp_tw_rcv(struct xtcp_tw *tw, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);

	if (test_bit(XTCP_TW_DEAD, &tw->flags))
		goto drop;
	if (seg->flags & TCPHDR_RST) {
		if (seg->seq == tw->rcv_nxt && !xtcp_tw_rfc1337(tw))
			xtcp_tw_transition(tw, XTCP_EV_RST, seg);
		goto drop;
	}
	if ((seg->flags & TCPHDR_FIN) && seg->end_seq == tw->rcv_nxt) {
		xtcp_tw_transition(tw, XTCP_EV_FIN, seg);
		goto drop;
	}
	/* A duplicate of the last ACK: nothing to say. Else, our ACK. */
	if ((seg->flags & TCPHDR_SYN) || seg->len || seg->seq != tw->rcv_nxt)
		xtcp_tw_send_ack(tw, seg);
drop:
	consume_skb(skb);
}
