// SPDX-License-Identifier: GPL-2.0
/*
 * The effects of the state table: xtcp_transition() looks up the cell for
 * the connection's state and the event and carries out its actions in one
 * fixed order. Also the life of connections outside the socket calls:
 * hashing, passive children of a listener, the end of a connection
 * (xtcp_done) and the teardown of a whole namespace.
 */

#include <xtcp/isn.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/request.h>
#include <xtcp/table.h>
#include "trace.h"

/* Like inet_sk_state_store(), which is not exported. */
void xtcp_state_store(struct sock *sk, int state)
{
	/* Readers without the socket lock (poll, /proc/net/xtcp, lookups)
	 * must see the writes made before the state change.
	 */
	smp_store_release(&sk->sk_state, state);
}

static bool xtcp_state_is_estab(int state)
{
	return state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT;
}

/* The counters of the TCP MIB that follow state changes (RFC 4022). */
static void xtcp_count_state(struct net *net, int old, int new)
{
	if (new == TCP_SYN_SENT)
		xtcp_mib_inc(net, XTCP_MIB_ACTIVEOPENS);
	if (old == TCP_LISTEN && new == TCP_SYN_RECV)
		xtcp_mib_inc(net, XTCP_MIB_PASSIVEOPENS);
	if (!xtcp_state_is_estab(old) && xtcp_state_is_estab(new))
		xtcp_mib_add(net, XTCP_MIB_CURRESTAB, 1);
	if (xtcp_state_is_estab(old) && !xtcp_state_is_estab(new))
		xtcp_mib_add(net, XTCP_MIB_CURRESTAB, -1);
	if (new == TCP_CLOSE && (old == TCP_SYN_SENT || old == TCP_SYN_RECV))
		xtcp_mib_inc(net, XTCP_MIB_ATTEMPTFAILS);
	if (new == TCP_CLOSE && xtcp_state_is_estab(old))
		xtcp_mib_inc(net, XTCP_MIB_ESTABRESETS);
}

/**
 * xtcp_set_state() - move a connection to a state, traced and counted
 * @sk: the connection, locked
 * @state: the new TCP_* state
 */
void xtcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	if (old == state)
		return;
	trace_xtcp_set_state(&xtcp_sk(sk)->h.key, old, state);
	xtcp_count_state(sock_net(sk), old, state);
	xtcp_state_store(sk, state);
	xtcp_timers_state_changed(sk);
}

static void xtcp_report(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
	sk_error_report(sk);
}

/*
 * A passive child and its listener. Two things tie them, each with its own
 * rule, so that the listener's close, accept() and the child's own paths
 * in softirq (the handshake completing, its SYN-ACK retries running out,
 * a reset) can run at the same time:
 *
 * - Queue membership: the child is on the listener's syn_q or accept_q
 *   while its child_node is linked. Only code holding the listener's
 *   q_lock links, moves or unlinks it, and whoever unlinks it takes over
 *   the queue's reference to the child. Every path therefore looks under
 *   q_lock whether the child is still queued before it touches a queue.
 *   in_accept_q tells which queue; it is written under the child's lock
 *   (and q_lock), and means nothing once the child is off the queues.
 * - xs->listener and the reference on the listener it stands for: cleared,
 *   and the reference dropped, only under the child's lock, by whoever
 *   comes first: xtcp_child_unlink(), accept() or xtcp_listen_stop().
 *
 * This is the bug class of Linux's inet_csk_listen_stop() vs. reqsk
 * expiry; xtcp_listen_stop() takes children off one at a time as it does.
 */

/*
 * A passive child is established: it waits in its listener's accept queue,
 * unless the listener's close has taken it off already (it is being reset).
 */
static void xtcp_child_ready(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sock *parent = &xs->listener->inet.sk;
	struct xtcp_sock *lxs = xs->listener;
	bool queued;

	spin_lock_bh(&lxs->q_lock);
	queued = !list_empty(&xs->child_node) && !xs->in_accept_q;
	if (queued) {
		list_move_tail(&xs->child_node, &lxs->accept_q);
		lxs->syn_qlen--;
		lxs->accept_qlen++;
		xs->in_accept_q = 1;
	}
	spin_unlock_bh(&lxs->q_lock);
	if (queued)
		parent->sk_data_ready(parent);
}

static void xtcp_connected(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->retries = 0;
	xs->backoff = 0;
	xtcp_sockopt_established(sk);
	xtcp_sender_start(sk);
	if (xs->listener) {
		xtcp_child_ready(sk);
		return;
	}
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
	}
}

static void xtcp_peer_closed(struct sock *sk)
{
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
	}
}

/**
 * xtcp_transition() - apply an event to a connection
 * @sk: the connection, locked
 * @ev: what happened
 *
 * Looks the event up in the state table (state.c) and performs the cell's
 * actions; an event the state does not accept changes nothing.
 */
void xtcp_transition(struct sock *sk, enum xtcp_event ev)
{
	const struct xtcp_transition *t = xtcp_state_lookup(sk->sk_state, ev);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int old = sk->sk_state;
	u16 a = t->actions;

	if (a & XTCP_ACT_INVALID)
		return;
	xtcp_set_state(sk, t->next);

	if (a & (XTCP_ACT_SEND_SYN | XTCP_ACT_SEND_SYNACK)) {
		xs->snd_una = xs->iss;
		xs->snd_nxt = xs->iss + 1;
		xs->snd_max = xs->snd_nxt;
		xs->write_seq = xs->snd_nxt;
		/*
		 * Timed from before it leaves: on a veth pair the peer may
		 * answer within the call, queueing its reply on the path.
		 */
		xtcp_rtt_start(xs, xs->snd_nxt);
		xtcp_send_ctl(sk, (a & XTCP_ACT_SEND_SYN) ? TCPHDR_SYN :
			      TCPHDR_SYN | TCPHDR_ACK, xs->iss);
		xtcp_timers_syn_sent(sk);
	}
	if (a & XTCP_ACT_SEND_FIN) {
		xs->fin_queued = 1;
		xs->write_seq++;
		xtcp_push(sk);
	}
	if (a & XTCP_ACT_SEND_ACK)
		xtcp_send_ack(sk);
	if (a & XTCP_ACT_SEND_RST)
		xtcp_send_ctl(sk, TCPHDR_RST | TCPHDR_ACK, xs->snd_max);
	if (a & XTCP_ACT_CONNECTED)
		xtcp_connected(sk);
	if (a & XTCP_ACT_REFUSED)
		xtcp_report(sk, ECONNREFUSED);
	/* Linux TCP reports EPIPE for a reset in CLOSE_WAIT. */
	if (a & XTCP_ACT_RESET)
		xtcp_report(sk, old == TCP_CLOSE_WAIT ? EPIPE : ECONNRESET);
	/* As Linux's tcp_write_err(): an ICMP error heard meanwhile, if any. */
	if (a & XTCP_ACT_TIMEDOUT)
		xtcp_report(sk, READ_ONCE(sk->sk_err_soft) ?: ETIMEDOUT);
	if (a & XTCP_ACT_EOF)
		xtcp_peer_closed(sk);
	if (a & XTCP_ACT_TIMEWAIT)
		xtcp_tw_enter(sk);
	else if (a & XTCP_ACT_DONE)
		xtcp_done(sk);
}

/**
 * xtcp_hash() - enter a connection into the namespace's table
 * @sk: the connection, its 4-tuple in xs->h.key
 * @replace: an entry with the same 4-tuple to take the place of (a
 *	passive child replaces its embryonic connection), or NULL
 *
 * Return: 0 or -EADDRNOTAVAIL when the 4-tuple is already in use (or
 * @replace is no longer in the table).
 */
int xtcp_hash(struct sock *sk, struct xtcp_hnode *replace)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	int err;

	xs->h.kind = XTCP_HK_SOCK;
	sock_hold(sk);
	if (replace)
		err = xtcp_conn_replace(xn, replace, &xs->h);
	else
		err = xtcp_conn_insert(xn, &xs->h);
	if (err) {
		__sock_put(sk);
		return -EADDRNOTAVAIL;
	}
	xs->hashed = true;
	return 0;
}

void xtcp_unhash(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->hashed)
		return;
	xtcp_conn_remove(xtcp_net(sock_net(sk)), &xs->h);
	xs->hashed = false;
	sock_put(sk);
}

/**
 * xtcp_child_unlink() - part a passive child from its listener
 * @sk: the child, locked; the caller holds a reference
 *
 * Takes the child off the listener's queues if it is still there (the
 * listener's close or accept() may have taken it off: then they own the
 * queue's reference) and drops the child's reference on the listener.
 */
void xtcp_child_unlink(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_sock *lxs = xs->listener;
	bool queued = false;

	if (!lxs)
		return;
	spin_lock_bh(&lxs->q_lock);
	if (!list_empty(&xs->child_node)) {
		if (xs->in_accept_q)
			lxs->accept_qlen--;
		else
			lxs->syn_qlen--;
		xs->in_accept_q = 0;
		list_del_init(&xs->child_node);
		queued = true;
	}
	spin_unlock_bh(&lxs->q_lock);
	xs->listener = NULL;
	sock_put(&lxs->inet.sk);
	if (queued)
		sock_put(sk);
}

/**
 * xtcp_done() - the connection is over: CLOSED, out of every table
 * @sk: the connection, locked; the caller holds a reference
 *
 * Like Linux's tcp_done(): the user, if any, sees the closed state and its
 * error; an orphan goes away with its last reference.
 */
void xtcp_done(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (sk->sk_state == TCP_TIME_WAIT)
		xtcp_state_store(sk, TCP_CLOSE);	/* a TIME_WAIT entry took over */
	else
		xtcp_set_state(sk, TCP_CLOSE);
	xtcp_timers_closed(sk);
	xtcp_orphan_del(sk);
	xtcp_unhash(sk);
	/*
	 * A child already in the accept queue stays there, as in Linux TCP:
	 * accept() still returns it and the user reads its error
	 * (ECONNRESET after a reset). Taken off, it would leave accept()
	 * waiting for a connection that had been announced. A child still
	 * in the handshake goes.
	 */
	if (xs->listener && !xs->in_accept_q)
		xtcp_child_unlink(sk);
	/* A port the user bound stays bound for another connect(). */
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK) || sock_flag(sk, SOCK_DEAD))
		xtcp_port_unbind(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

/**
 * xtcp_child_create() - a new connection for the ACK of our SYN-ACK
 * @parent: the listener, locked
 * @skb: the ACK, of an embryonic connection's SYN-ACK or of a SYN cookie:
 *	the ISS is SEG.ACK - 1
 * @replace: the embryonic connection's table entry, which the child
 *	takes over; NULL for a cookie
 *
 * The child is born in LISTEN, hashed by its 4-tuple and queued on the
 * listener's SYN queue (until the ACK makes it ESTABLISHED, a moment
 * later); the caller gives it the SYN's numbers (xtcp_child_start())
 * and then the ACK. Nothing is created when the accept queue (listen()'s
 * backlog) is full, counted in ListenOverflows and ListenDrops: the peer
 * will retransmit.
 *
 * Return: the child with a reference for the caller, or NULL.
 */
struct sock *xtcp_child_create(struct sock *parent, struct sk_buff *skb,
			       struct xtcp_hnode *replace)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *lxs = xtcp_sk(parent);
	struct net *net = sock_net(parent);
	struct xtcp_sock *xs;
	struct sock *sk;

	/* Like Linux, listen(fd, 0) still takes one connection. */
	if (xtcp_acceptq_full(parent)) {
		xtcp_mib_inc(net, XTCP_MIB_LISTENOVERFLOWS);
		goto drop;
	}
	sk = sk_alloc(net, xtcp_family, GFP_ATOMIC, &xtcp_prot, 1);
	if (!sk)
		goto drop;
	xtcp_sock_setup(sk, NULL);
	sock_set_flag(sk, SOCK_DEAD);	/* no user until accept() */
	sk->sk_rcvbuf = parent->sk_rcvbuf;
	sk->sk_sndbuf = parent->sk_sndbuf;
	sk->sk_reuse = parent->sk_reuse;
	/* Bound as Linux binds a child: to the VRF it came by, if any. */
	sk->sk_bound_dev_if = inet_request_bound_dev_if(parent, skb);
	sk->sk_mark = parent->sk_mark;
	xtcp_sockopt_inherit(sk, parent);
	xtcp_mem_inherit(sk, parent);
	if (xtcp_policy_child(sk, parent)) {
		sk_free(sk);
		return NULL;
	}
	xs = xtcp_sk(sk);
	xs->inet.inet_saddr = seg->daddr;
	xs->inet.inet_rcv_saddr = seg->daddr;
	xs->inet.inet_daddr = seg->saddr;
	xs->inet.inet_sport = seg->dport;
	xs->inet.inet_num = ntohs(seg->dport);
	xs->inet.inet_dport = seg->sport;
	xtcp_seg_hkey(seg, &xs->h);
	if (xs->h.v6) {
		sk->sk_v6_rcv_saddr = xs->h6.key6.laddr;
		sk->sk_v6_daddr = xs->h6.key6.raddr;
	} else {
		/* An IPv4 client of an IPv6 listener (ipv6.c). */
		xs->v4mapped = lxs->h.v6 || lxs->v4mapped;
	}
	xs->adv_mss = xtcp_route_mss(sk);
	xs->iss = seg->ack - 1;
	xtcp_state_store(sk, TCP_LISTEN);
	xtcp_port_inherit(sk, parent);
	if (xtcp_hash(sk, replace)) {
		xtcp_state_store(sk, TCP_CLOSE);
		xtcp_port_unbind(sk);
		sk_free(sk);
		return NULL;
	}
	sock_hold(parent);
	xs->listener = lxs;
	sock_hold(sk);		/* the queue's reference */
	spin_lock_bh(&lxs->q_lock);
	list_add_tail(&xs->child_node, &lxs->syn_q);
	lxs->syn_qlen++;
	spin_unlock_bh(&lxs->q_lock);
	return sk;

drop:
	xtcp_mib_inc(net, XTCP_MIB_LISTENDROPS);
	return NULL;
}

/* Abort one connection of a dying namespace. */
static void xtcp_abort_sock(struct sock *sk)
{
	lock_sock(sk);
	if (sk->sk_state != TCP_CLOSE)
		xtcp_transition(sk, XTCP_EV_ABORT);
	/* A listener's entry is not in the table; anything left is done. */
	if (xtcp_sk(sk)->hashed)
		xtcp_done(sk);
	release_sock(sk);
}

/**
 * xtcp_abort_all() - end every connection and TIME_WAIT entry of a namespace
 * @net: the namespace, going away: nothing new arrives
 *
 * Only connections no program holds can be left (a socket a program holds
 * keeps its namespace alive): orphans, TIME_WAIT entries, children not yet
 * accepted. They end without a word on the wire: the devices are gone.
 */
void xtcp_abort_all(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	struct xtcp_hnode *h;
	struct sock *sk;

	for (;;) {
		rcu_read_lock();
		h = xtcp_conn_any(xn);
		if (!h) {
			rcu_read_unlock();
			break;
		}
		if (h->kind == XTCP_HK_TW) {
			xtcp_tw_kill(container_of(h, struct xtcp_tw, h));
			rcu_read_unlock();
			cond_resched();
			continue;
		}
		if (h->kind == XTCP_HK_REQ) {
			xtcp_req_kill(container_of(h, struct xtcp_req, h));
			rcu_read_unlock();
			cond_resched();
			continue;
		}
		sk = &container_of(h, struct xtcp_sock, h)->inet.sk;
		if (!refcount_inc_not_zero(&sk->sk_refcnt)) {
			rcu_read_unlock();
			cond_resched();
			continue;
		}
		rcu_read_unlock();
		xtcp_abort_sock(sk);
		sock_put(sk);
	}
}
