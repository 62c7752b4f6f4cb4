// SPDX-License-Identifier: GPL-2.0
/*
 * The listener's queues: its passive children, on the SYN queue until
 * they are established, then on the accept queue until accept() takes
 * them, and the rules by which a child and its listener part. The
 * listener (listen.c) queues and takes children; a child's own state
 * machine (conn.c) moves it to the accept queue or parts it from its
 * listener. This file calls neither, as Linux's request_sock.c keeps the
 * request queue below inet_connection_sock.c.
 */

#include <net/sock.h>
#include <xtcp/proto.h>

/*
 * A passive child and its listener. Two things tie them, each with its own
 * rule, so that the listener's close, accept() and the child's own paths
 * in softirq (the handshake completing, its SYN-ACK retries running out,
 * a reset) can run at the same time:
 *
 * - Queue membership: the child is on the listener's syn_q or accept_q
 *   while its child_node is linked. Only code holding the listener's
 *   lq->lock links, moves or unlinks it, and whoever unlinks it takes over
 *   the queue's reference to the child. Every path therefore looks under
 *   lq->lock whether the child is still queued before it touches a queue.
 *   in_accept_q tells which queue; it is written under the child's lock
 *   (and lq->lock), and means nothing once the child is off the queues.
 * - xs->listener and the reference on the listener it stands for: cleared,
 *   and the reference dropped, only under the child's lock, by whoever
 *   comes first: xtcp_child_unlink(), accept() or xtcp_listen_stop().
 *
 * This is the bug class of Linux's inet_csk_listen_stop() vs. reqsk
 * expiry; xtcp_listen_stop() takes children off one at a time as it does.
 */

/*
 * A new passive child joins the SYN queue of its listener @lxs, holding a
 * reference on it (xs->listener) and giving the queue one on the child.
 */
void xtcp_child_enqueue(struct xtcp_sock *lxs, struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	sock_hold(&lxs->inet.sk);
	xs->listener = lxs;
	sock_hold(sk);		/* the queue's reference */
	spin_lock_bh(&lxs->lq->lock);
	list_add_tail(&xs->child_node, &lxs->lq->syn_q);
	lxs->lq->syn_qlen++;
	spin_unlock_bh(&lxs->lq->lock);
}

/*
 * A passive child is established: it waits in its listener's accept queue,
 * unless the listener's close has taken it off already (it is being reset).
 */
void xtcp_child_ready(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sock *parent = &xs->listener->inet.sk;
	struct xtcp_sock *lxs = xs->listener;
	bool queued;

	spin_lock_bh(&lxs->lq->lock);
	queued = !list_empty(&xs->child_node) && !xs->in_accept_q;
	if (queued) {
		list_move_tail(&xs->child_node, &lxs->lq->accept_q);
		lxs->lq->syn_qlen--;
		lxs->lq->accept_qlen++;
		xs->in_accept_q = 1;
	}
	spin_unlock_bh(&lxs->lq->lock);
	if (queued)
		parent->sk_data_ready(parent);
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
	spin_lock_bh(&lxs->lq->lock);
	if (!list_empty(&xs->child_node)) {
		if (xs->in_accept_q)
			lxs->lq->accept_qlen--;
		else
			lxs->lq->syn_qlen--;
		xs->in_accept_q = 0;
		list_del_init(&xs->child_node);
		queued = true;
	}
	spin_unlock_bh(&lxs->lq->lock);
	xs->listener = NULL;
	sock_put(&lxs->inet.sk);
	if (queued)
		sock_put(sk);
}

/*
 * The first established child, off the accept queue. in_accept_q is left
 * as it is: it is written only under the child's lock (a bit field beside
 * fin_queued), and means nothing once the child is off the queue.
 */
struct sock *xtcp_accept_dequeue(struct sock *sk)
{
	struct xtcp_sock *lxs = xtcp_sk(sk);
	struct xtcp_sock *xs;

	spin_lock_bh(&lxs->lq->lock);
	xs = list_first_entry_or_null(&lxs->lq->accept_q, struct xtcp_sock,
				      child_node);
	if (xs) {
		list_del_init(&xs->child_node);
		lxs->lq->accept_qlen--;
	}
	spin_unlock_bh(&lxs->lq->lock);
	return xs ? &xs->inet.sk : NULL;
}

/*
 * Take the first child off a listener's queues, SYN queue first, under
 * lq->lock: the caller then owns the queue's reference to it. A child that
 * ended by itself meanwhile (xtcp_child_unlink()) is no longer there, so
 * it is never taken twice.
 */
struct xtcp_sock *xtcp_listen_take_child(struct xtcp_sock *lxs)
{
	struct xtcp_sock *xs;

	spin_lock_bh(&lxs->lq->lock);
	xs = list_first_entry_or_null(&lxs->lq->syn_q, struct xtcp_sock,
				      child_node);
	if (!xs)
		xs = list_first_entry_or_null(&lxs->lq->accept_q, struct xtcp_sock,
					      child_node);
	if (xs) {
		list_del_init(&xs->child_node);
		if (xs->in_accept_q)
			lxs->lq->accept_qlen--;
		else
			lxs->lq->syn_qlen--;
	}
	spin_unlock_bh(&lxs->lq->lock);
	return xs;
}
