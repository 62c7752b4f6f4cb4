// SPDX-License-Identifier: GPL-2.0
/*
 * The state machine at work: xtcp_transition() looks up the cell of the
 * state table (state.c) for the connection's state and the event, and
 * carries out its actions in one fixed order. It is the only way a
 * connection changes state: xtcp_set_state() below is the one writer of
 * sk_state, and warns about any change the table does not have. The
 * only other write is a passive child's first state (xtcp_state_init()),
 * before anyone can see it.
 *
 * Also the end of a connection (xtcp_done(), the DONE action) and the
 * teardown of a whole namespace.
 */

#include <xtcp/fastopen.h>
#include <xtcp/isn.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/table.h>
#include "trace.h"

/* Like inet_sk_state_store(), which is not exported. */
static void xtcp_state_store(struct sock *sk, int state)
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
 * xtcp_state_init() - the state of a passive child nobody can see yet
 * @sk: the child, not in the connection table
 * @state: TCP_SYN_RECV, where the listener's embryonic connection or
 *	cookie left the handshake (it traced and counted LISTEN ->
 *	SYN_RECEIVED), or TCP_CLOSE for a child that is freed unborn
 */
void xtcp_state_init(struct sock *sk, int state)
{
	WARN_ON_ONCE(xtcp_sk(sk)->hashed ||
		     (state != TCP_SYN_RECV && state != TCP_CLOSE));
	xtcp_state_store(sk, state);
}

/*
 * Move a connection to a state, traced and counted. Called from
 * xtcp_transition() alone (and from xtcp_done(), its DONE action).
 */
static void xtcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	if (old == state)
		return;
	/* A change the table does not have was made outside it. */
	WARN_ON_ONCE(!xtcp_state_allows(old, state));
	/*
	 * A socket leaves TIME_WAIT only by handing the connection over to
	 * a compact entry (timewait.c), which reports the connection's end.
	 */
	if (old != TCP_TIME_WAIT)
		trace_xtcp_set_state(&xtcp_sk(sk)->h, old, state);
	xtcp_count_state(sock_net(sk), old, state);
	/*
	 * A Fast Open child leaves its listener's count once its handshake
	 * is done or it ends; one closed in SYN_RECEIVED still counts in
	 * FIN_WAIT1, as Linux's keeps its request until the ACK.
	 */
	if (state == TCP_ESTABLISHED || state == TCP_CLOSE)
		xtcp_fastopen_child_done(sk);
	xtcp_state_store(sk, state);
	xtcp_timers_state_changed(sk);
}

static void xtcp_report(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
	sk_error_report(sk);
}

static void xtcp_connected(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->retries = 0;
	xs->backoff = 0;
	xtcp_receiver_start(sk);
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

/*
 * The connection is over: CLOSED, out of every table. Like Linux's
 * tcp_done(): the user, if any, sees the closed state and its error; an
 * orphan goes away with its last reference.
 */
static void xtcp_done(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

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

/*
 * Our SYN (@syn) or SYN-ACK leaves, timed from before it leaves: on a veth
 * pair the peer may answer within the call, queueing its reply on the
 * path. A SYN asks for a Fast Open cookie if TCP_FASTOPEN_CONNECT found
 * none cached (sock.c).
 */
static void xtcp_syn_out(struct sock *sk, bool syn)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_rtt_start(&xs->rtt, xs->snd_nxt, xtcp_now_us());
	if (syn)
		xtcp_send_syn(sk, xs->fo_req ? &xtcp_fo_request : NULL, 0);
	else
		xtcp_send_ctl(sk, TCPHDR_SYN | TCPHDR_ACK, xs->iss);
	xtcp_timers_syn_sent(sk);
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
	const struct xtcp_cell *t = xtcp_state_lookup(sk->sk_state, ev);
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
		 * Fast Open (sock.c): the SYN waits for the first write,
		 * which puts its data in it (xtcp_send_syn()).
		 */
		if (!((a & XTCP_ACT_SEND_SYN) && xs->fo_defer))
			xtcp_syn_out(sk, a & XTCP_ACT_SEND_SYN);
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
	/* A compact entry carries the connection on, the socket is done. */
	if (a & XTCP_ACT_TIMEWAIT)
		xtcp_tw_enter(sk);
	if (a & (XTCP_ACT_TIMEWAIT | XTCP_ACT_DONE))
		xtcp_done(sk);
}

/**
 * xtcp_abort_sock() - end a connection of a dying namespace, silently
 * @sk: the connection, not locked; the caller holds a reference
 */
void xtcp_abort_sock(struct sock *sk)
{
	lock_sock(sk);
	if (sk->sk_state != TCP_CLOSE)
		xtcp_transition(sk, XTCP_EV_ABORT);
	/* A listener's entry is not in the table; anything left is done. */
	if (xtcp_sk(sk)->hashed)
		xtcp_done(sk);
	release_sock(sk);
}
