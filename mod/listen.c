// SPDX-License-Identifier: GPL-2.0
/*
 * The listener: everything between listen() and accept().
 *
 * - listen() makes a bound socket findable under a key with no remote end
 *   (the lookup below); close() or shutdown() stops it again, resetting
 *   the children nobody accepted.
 * - A SYN that finds no connection reaches the LISTEN arm of input
 *   (RFC 9293 3.10.7.2): it becomes an embryonic connection (request.c),
 *   or, under a SYN flood, a SYN-ACK whose ISN is a cookie (syncookie.c).
 * - The ACK of that SYN-ACK makes a child: a full socket, born in
 *   SYN_RECEIVED where the entry or the cookie left the handshake, which
 *   the ACK moves to ESTABLISHED and onto the accept queue.
 * - accept() takes it off that queue.
 *
 * The queues and their locking are described in acceptq.c.
 */

#include <linux/inetdevice.h>
#include <net/inet_sock.h>
#include <xtcp/compat.h>
#include <xtcp/ecn.h>
#include <xtcp/fastopen.h>
#include <xtcp/isn.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/request.h>
#include <xtcp/syncookie.h>
#include <xtcp/table.h>
#include "trace.h"

/*
 * Listeners share the table with connections: their key has remote address
 * and port 0, which no connection can have.
 */
static void xtcp_listen_key(struct xtcp_key *key, __be32 addr, __be16 port)
{
	*key = (struct xtcp_key){ .laddr = addr, .lport = port };
}

/**
 * xtcp_listen_add() - make a bound socket findable as a listener
 * @sk: the socket
 *
 * Return: 0, or -EADDRINUSE when another socket listens on the same
 * address and port (possible when both were bound with SO_REUSEADDR).
 */
int xtcp_listen_add(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->h.v6) {
		xs->h6.key6 = (struct xtcp_key6){
			.laddr = sk->sk_v6_rcv_saddr,
			.lport = inet->inet_sport,
		};
		xtcp_listen_key(&xs->h.key, 0, inet->inet_sport);
		return xtcp_hash(sk, NULL) ? -EADDRINUSE : 0;
	}
	xtcp_listen_key(&xtcp_sk(sk)->h.key, inet->inet_rcv_saddr,
			inet->inet_sport);
	return xtcp_hash(sk, NULL) ? -EADDRINUSE : 0;
}

void xtcp_listen_del(struct sock *sk)
{
	xtcp_unhash(sk);
}

/*
 * A listener's queues, allocated at its first listen() rather than
 * carried by every socket; a second listen() after shutdown() finds them
 * empty and takes them again.
 */
static int xtcp_listenq_alloc(struct xtcp_sock *xs)
{
	struct xtcp_listenq *lq;

	if (xs->lq)
		return 0;
	lq = kzalloc(sizeof(*lq), GFP_KERNEL_ACCOUNT);
	if (!lq)
		return -ENOMEM;
	INIT_LIST_HEAD(&lq->syn_q);
	INIT_LIST_HEAD(&lq->req_q);
	INIT_LIST_HEAD(&lq->accept_q);
	spin_lock_init(&lq->lock);
	/* Readers without the socket lock: xtcp_accept_qlen(). */
	smp_store_release(&xs->lq, lq);
	return 0;
}

/* Would another listener on this port clash with @sk starting to listen? */
static int xtcp_listen_start(struct sock *sk, int backlog)
{
	int err;

	err = xtcp_listenq_alloc(xtcp_sk(sk));
	if (err)
		return err;
	if (!xtcp_sk(sk)->port) {
		/* Bound to an address alone (IP_BIND_ADDRESS_NO_PORT) or not. */
		err = xtcp_port_bind(sk, inet_sk(sk)->inet_rcv_saddr, 0);
		if (err)
			return err;
	}
	err = xtcp_listen_add(sk);
	if (err)
		return err;
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	xtcp_transition(sk, XTCP_EV_LISTEN);
	return 0;
}

int xtcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	backlog = min_t(int, max(backlog, 0),
			READ_ONCE(sock_net(sk)->core.sysctl_somaxconn));
	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED)
		goto out;
	if (sk->sk_state == TCP_LISTEN) {
		WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
		err = 0;
	} else if (sk->sk_state == TCP_CLOSE) {
		err = xtcp_listen_start(sk, backlog);
	}
out:
	release_sock(sk);
	return err;
}

/* The listener of a listener key's entry @h, referenced, if it may take it. */
static struct sock *xtcp_listen_take(struct xtcp_hnode *h, int dif, int sdif)
{
	struct sock *sk;

	if (!h || h->kind != XTCP_HK_SOCK)
		return NULL;
	sk = &container_of(h, struct xtcp_sock, h)->inet.sk;
	if (READ_ONCE(sk->sk_state) != TCP_LISTEN ||
	    !xtcp_dev_match(sock_net(sk), READ_ONCE(sk->sk_bound_dev_if),
			    dif, sdif) ||
	    !refcount_inc_not_zero(&sk->sk_refcnt))
		return NULL;
	return sk;
}

static struct sock *xtcp_listen_get(struct xtcp_net *xn, __be32 addr,
				    __be16 port, int dif, int sdif)
{
	struct xtcp_key key;

	xtcp_listen_key(&key, addr, port);
	return xtcp_listen_take(xtcp_conn_lookup(xn, &key), dif, sdif);
}

static struct sock *xtcp_listen_get6(struct xtcp_net *xn,
				     const struct in6_addr *addr,
				     __be16 port, int dif, int sdif)
{
	const struct xtcp_key6 key = { .laddr = *addr, .lport = port };

	return xtcp_listen_take(xtcp_conn_lookup6(xn, &key), dif, sdif);
}

/**
 * xtcp_listen_lookup_dev() - the listener for a segment
 * @xn: the namespace's state
 * @addr: the local address it came to
 * @port: the local port
 * @dif: its ingress device (see xtcp_dev_match())
 * @sdif: the device under a VRF, or 0
 *
 * A listener bound to @addr wins over one bound to INADDR_ANY, and that
 * one over a dual-stack IPv6 listener on [::], as in Linux; one bound to
 * another device (SO_BINDTODEVICE) does not match,
 * and the search goes on to INADDR_ANY as in __inet_lookup_listener().
 *
 * Context: rcu_read_lock() held.
 * Return: the listener with a reference taken, or NULL.
 */
struct sock *xtcp_listen_lookup_dev(struct xtcp_net *xn, __be32 addr,
				    __be16 port, int dif, int sdif)
{
	struct sock *sk = xtcp_listen_get(xn, addr, port, dif, sdif);

	if (!sk)
		sk = xtcp_listen_get(xn, htonl(INADDR_ANY), port, dif, sdif);
	/*
	 * Then an IPv6 listener on [::] that takes IPv4 clients too (no
	 * IPV6_V6ONLY), as Linux scores AF_INET6 sockets after AF_INET ones.
	 * Without IPv6 entries nothing is looked up: IPv4 pays nothing.
	 */
	if (!sk && atomic_read(&xn->conns6.nelems)) {
		sk = xtcp_listen_get6(xn, &in6addr_any, port, dif, sdif);
		if (sk && sk->sk_ipv6only) {
			sock_put(sk);
			sk = NULL;
		}
	}
	return sk;
}

/**
 * xtcp_listen_lookup6_dev() - xtcp_listen_lookup_dev() for IPv6
 * @xn: the namespace's state
 * @addr: the local address the segment came to
 * @port: the local port
 * @dif: its ingress device (see xtcp_dev_match())
 * @sdif: the device under a VRF, or 0
 *
 * A listener bound to @addr wins over one bound to in6addr_any.
 *
 * Context: rcu_read_lock() held.
 * Return: the listener with a reference taken, or NULL.
 */
struct sock *xtcp_listen_lookup6_dev(struct xtcp_net *xn,
				     const struct in6_addr *addr,
				     __be16 port, int dif, int sdif)
{
	struct sock *sk = xtcp_listen_get6(xn, addr, port, dif, sdif);

	return sk ? sk : xtcp_listen_get6(xn, &in6addr_any, port, dif, sdif);
}

/*
 * A passive child, as if it had answered @syn itself: it takes the SYN's
 * numbers and options, then our SYN-ACK as if it had been sent from the
 * child, and is born in SYN_RECEIVED. A passive open is counted once,
 * where the embryonic connection began or where the cookie's ACK made the
 * child.
 */
static void xtcp_child_start(struct sock *child, const struct xtcp_seg *syn)
{
	struct xtcp_sock *xs = xtcp_sk(child);

	xtcp_offer_options(child);
	xtcp_take_syn(child, syn);
	xs->snd_una = xs->iss;
	xs->snd_nxt = xs->iss + 1;
	xs->snd_max = xs->snd_nxt;
	xs->write_seq = xs->snd_nxt;
	/* The window the SYN-ACK offered: the ACK may carry data into it. */
	xtcp_rcv_window(child, true);
	xtcp_state_init(child, TCP_SYN_RECV);
}

/**
 * xtcp_child_create() - a new connection for the ACK of our SYN-ACK
 * @parent: the listener, locked
 * @skb: the ACK of an embryonic connection's SYN-ACK or of a SYN cookie,
 *	or a Fast Open SYN
 * @syn: the SYN as the embryonic connection or the cookie remembers it
 * @iss: our ISN: SEG.ACK - 1 of the ACK, or a Fast Open SYN's new one
 * @replace: the embryonic connection's table entry, which the child
 *	takes over; NULL for a cookie
 * @ip_opt: the return route of the SYN (or of a cookie's ACK), which the
 *	child takes as its inet_opt (MUST-53), or NULL; freed if no child
 *	is made
 *
 * The child is born in SYN_RECEIVED with the SYN's numbers, then hashed
 * by its 4-tuple and queued on the listener's SYN queue (until the ACK,
 * which the caller gives it a moment later, makes it ESTABLISHED).
 * Nothing is created when the accept queue (listen()'s backlog) is full,
 * counted in ListenOverflows and ListenDrops: the peer will retransmit.
 *
 * Return: the child with a reference for the caller, or NULL.
 */
struct sock *xtcp_child_create(struct sock *parent, struct sk_buff *skb,
			       const struct xtcp_seg *syn, u32 iss,
			       struct xtcp_hnode *replace,
			       struct ip_options_rcu *ip_opt)
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
	/*
	 * Every segment of the child goes by the return route, as Linux's
	 * tcp_v4_syn_recv_sock() gives it ireq_opt (not the listener's own
	 * IP_OPTIONS); its destructor (inet_sock_destruct()) frees it.
	 */
	RCU_INIT_POINTER(inet_sk(sk)->inet_opt, ip_opt);
	ip_opt = NULL;
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
	xs->iss = iss;
	xtcp_child_start(sk, syn);
	xtcp_port_inherit(sk, parent);
	if (xtcp_hash(sk, replace)) {
		xtcp_state_init(sk, TCP_CLOSE);
		xtcp_port_unbind(sk);
		sk_free(sk);
		return NULL;
	}
	xtcp_child_enqueue(lxs, sk);
	return sk;

drop:
	kfree(ip_opt);
	xtcp_mib_inc(net, XTCP_MIB_LISTENDROPS);
	return NULL;
}

/*
 * How long after a listener last answered with a cookie an ACK that finds
 * no child is checked as one (Linux's TCP_SYNCOOKIE_VALID): as long as a
 * cookie lives. At other times such an ACK gets its RST unchecked, so
 * that nobody can try cookies at a listener that never sent any.
 */
#define XTCP_COOKIE_VALID	(XTCP_COOKIE_MAX_AGE * XTCP_COOKIE_TICK_SECS * HZ)

static bool xtcp_cookies_recent(const struct xtcp_sock *lxs)
{
	unsigned long stamp = READ_ONCE(lxs->lq->synq_overflow);

	return stamp && time_before(jiffies, stamp + XTCP_COOKIE_VALID);
}

/*
 * Answer this SYN with a cookie instead of a child? net.xtcp.syncookies
 * (as tcp_syncookies): 0 never, 1 when the SYN queue is full, 2 always.
 */
static bool xtcp_want_cookie(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *lxs = xtcp_sk(sk);
	int mode = READ_ONCE(xn->syncookies);

	if (!mode || (mode == 1 &&
		      lxs->lq->syn_qlen < READ_ONCE(xn->max_syn_backlog)))
		return false;
	if (mode == 1 && !xtcp_cookies_recent(lxs))
		net_info_ratelimited("xtcp: possible SYN flooding on port %u, sending cookies\n",
				     ntohs(inet_sk(sk)->inet_sport));
	WRITE_ONCE(lxs->lq->synq_overflow, jiffies ?: 1);
	return true;
}

/*
 * A SYN-ACK whose ISN is a cookie, with nothing kept (RFC 4987 3.6). The
 * SYN's window scale and SACK survive in our TSval if the peer sent
 * timestamps; without them, the SYN-ACK offers neither, as in Linux.
 * @ip_opt is the SYN's return route, or NULL; the cookie's ACK, which
 * comes back by the same route, brings it again for the child.
 */
static void xtcp_cookie_synack(struct sock *sk, struct sk_buff *skb,
			       const struct ip_options_rcu *ip_opt)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	int oif = inet_request_bound_dev_if(sk, skb);
	struct xtcp_opts opts = { .present = XTCP_HAS_MSS };
	struct xtcp_cookie_opts co = { };
	u16 peer_mss = XTCP_DEFAULT_MSS;
	struct xtcp_hnode6 h6;
	u8 ecn = 0;
	struct xtcp_hnode *h = &h6.h;
	u32 isn, wnd;

	xtcp_seg_hkey(seg, h);
	if ((seg->opts.present & XTCP_HAS_MSS) && seg->opts.mss)
		peer_mss = seg->opts.mss;
	if (h->v6)
		isn = xtcp_cookie_v6_init(&h6.key6.laddr, &h6.key6.raddr,
					  seg->dport, seg->sport, seg->seq,
					  peer_mss, &peer_mss);
	else
		isn = xtcp_cookie_v4_init(seg->daddr, seg->saddr, seg->dport,
					  seg->sport, seg->seq, peer_mss,
					  &peer_mss);
	/* What a child offers: xtcp_offer_options() computes the same. */
	opts.mss = xtcp_route_mss_key(sk, h, oif);
	if (seg->opts.present & XTCP_HAS_TIMESTAMP) {
		co.wscale_ok = seg->opts.present & XTCP_HAS_WSCALE;
		co.snd_wscale = seg->opts.wscale;
		co.sack_ok = seg->opts.present & XTCP_HAS_SACK_PERM;
		/* Agreed only where the cookie can remember it, unlike Linux. */
		co.ecn_ok = xtcp_ecn_accept(READ_ONCE(xtcp_net(sock_net(sk))->ecn),
					    seg->flags, xtcp_ecn_ip(skb));
		ecn = co.ecn_ok ? TCPHDR_ECE : 0;
		opts.present |= XTCP_HAS_TIMESTAMP;
		opts.tsval = xtcp_cookie_ts_encode(xtcp_ts_now(), &co);
		opts.tsecr = seg->opts.tsval;
		if (co.sack_ok)
			opts.present |= XTCP_HAS_SACK_PERM;
		if (co.wscale_ok) {
			opts.present |= XTCP_HAS_WSCALE;
			opts.wscale = xtcp_wscale_offer(sk);
		}
	}
	wnd = min(xtcp_rcv_window(sk, false), XTCP_MAX_WINDOW);
	xtcp_send_synack_stateless(sk, h, isn, seg->seq + 1, wnd, &opts,
				   oif, ip_opt, ecn, NULL);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_SYNCOOKIESSENT);
}

/*
 * The SYN a cookie's ACK stands for, as far as the cookie remembers it.
 */
static void xtcp_cookie_syn(struct sock *sk, const struct xtcp_seg *ack,
			    u16 mss, const struct xtcp_cookie_opts *co,
			    struct xtcp_seg *syn)
{
	*syn = *ack;
	syn->seq = ack->seq - 1;
	syn->ack = 0;
	syn->flags = TCPHDR_SYN;
	syn->len = 0;
	syn->opts.present = XTCP_HAS_MSS |
			    (ack->opts.present & XTCP_HAS_TIMESTAMP);
	syn->opts.mss = mss;
	if (syn->opts.present & XTCP_HAS_TIMESTAMP) {
		if (co->wscale_ok)
			syn->opts.present |= XTCP_HAS_WSCALE;
		if (co->sack_ok)
			syn->opts.present |= XTCP_HAS_SACK_PERM;
		syn->opts.wscale = co->snd_wscale;
		/* As Linux's cookie_ecn_ok(): while net.xtcp.ecn allows. */
		if (co->ecn_ok && READ_ONCE(xtcp_net(sock_net(sk))->ecn))
			syn->flags |= XTCP_ECN_SETUP;
	}
}

/*
 * An ACK at a listener that no child took: the ACK of a cookie? Return
 * 1 if a child took it (and @skb), 0 if it was a cookie but the accept
 * queue is full (dropped: the peer retransmits), -1 if it is no cookie
 * of ours: then the caller resets it.
 */
static int xtcp_cookie_ack(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct net *net = sock_net(sk);
	int mode = READ_ONCE(xtcp_net(net)->syncookies);
	struct xtcp_cookie_opts co = { };
	struct ip_options_rcu *ip_opt;
	struct xtcp_seg syn;
	struct sock *child;
	int mss;

	if (!mode || (mode == 1 && !xtcp_cookies_recent(xtcp_sk(sk))))
		return -1;
	if (xtcp_seg_v6(seg)) {
		struct xtcp_key6 key6;

		xtcp_seg_key6(seg, &key6);
		mss = xtcp_cookie_v6_check(seg->ack - 1, &key6.laddr,
					   &key6.raddr, seg->dport, seg->sport,
					   seg->seq - 1);
	} else {
		mss = xtcp_cookie_v4_check(seg->ack - 1, seg->daddr,
					   seg->saddr, seg->dport, seg->sport,
					   seg->seq - 1);
	}
	if (!mss || ((seg->opts.present & XTCP_HAS_TIMESTAMP) &&
		     !xtcp_cookie_ts_decode(seg->opts.tsecr, xtcp_ts_now(),
					    &co))) {
		xtcp_mib_inc(net, XTCP_MIB_SYNCOOKIESFAILED);
		return -1;
	}
	xtcp_mib_inc(net, XTCP_MIB_SYNCOOKIESRECV);
	xtcp_cookie_syn(sk, seg, mss, &co, &syn);
	/* As Linux's cookie_v4_check(): the route the ACK came by. */
	ip_opt = xtcp_seg_v6(seg) ? NULL : xtcp_ip_return_route(skb);
	if (IS_ERR(ip_opt))
		return 0;
	child = xtcp_child_create(sk, skb, &syn, seg->ack - 1, NULL, ip_opt);
	if (!child)
		return 0;
	/* As an embryonic connection's start (request.c) would have. */
	xtcp_mib_inc(net, XTCP_MIB_PASSIVEOPENS);
	trace_xtcp_set_state(&xtcp_sk(child)->h, TCP_LISTEN,
			     TCP_SYN_RECV);
	/* From the backlog, softirqs are on: they must not find it locked. */
	local_bh_disable();
	bh_lock_sock_nested(child);
	xtcp_do_rcv(child, skb);	/* to ESTABLISHED, the accept queue */
	bh_unlock_sock(child);
	local_bh_enable();
	sock_put(child);
	return 1;
}

/*
 * A segment at a listener whose 4-tuple is in the table, found with one
 * lookup: an embryonic connection of this listener (request.c), or the
 * connection one became while the segment waited in the listener's
 * backlog, which must get it rather than an RST. Return: 1 if a
 * connection took @skb, 0 if it was dealt with and is to be freed, -1 if
 * nothing in the table is for it.
 */
static int xtcp_rcv_listen_entry(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct sock *child = NULL;
	struct xtcp_hnode6 key;
	struct xtcp_hnode *h;
	struct xtcp_req *req;
	int ret = -1;

	xtcp_seg_hkey(seg, &key.h);
	rcu_read_lock();
	h = key.h.v6 ? xtcp_conn_lookup6(xn, &key.key6) :
		       xtcp_conn_lookup(xn, &key.h.key);
	if (h && h->kind == XTCP_HK_REQ) {
		req = container_of(h, struct xtcp_req, h);
		if (req->listener == sk)
			ret = xtcp_req_rcv(sk, req, skb);
	} else if (h && h->kind == XTCP_HK_SOCK &&
		   !(seg->flags & TCPHDR_SYN)) {
		child = &container_of(h, struct xtcp_sock, h)->inet.sk;
		if (child == sk || !refcount_inc_not_zero(&child->sk_refcnt))
			child = NULL;
	}
	rcu_read_unlock();
	if (!child)
		return ret;
	local_bh_disable();
	xtcp_sock_deliver(child, skb, SINGLE_DEPTH_NESTING);
	local_bh_enable();
	sock_put(child);
	return 1;
}

/*
 * A SYN with a valid Fast Open cookie (RFC 7413 4.2.2): a child at once,
 * in SYN_RECEIVED, its data queued for the reader and acknowledged by
 * the child's own SYN-ACK; it goes straight to the accept queue, so that
 * accept() and read() return before the handshake's last ACK, and counts
 * against the listener's TCP_FASTOPEN queue length until it leaves
 * SYN_RECEIVED. Return: true if the child took @skb; false if it was not
 * made (the caller falls back to the usual handshake) or made without
 * keeping @skb (*@made set: the caller frees @skb).
 */
static bool xtcp_fastopen_child(struct sock *sk, struct sk_buff *skb,
				struct ip_options_rcu *ip_opt, bool *made)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct net *net = sock_net(sk);
	struct xtcp_sock *xs;
	struct sock *child;
	bool kept = false;

	*made = false;
	child = xtcp_child_create(sk, skb, seg, xtcp_req_isn(seg), NULL,
				  ip_opt);
	if (!child) {
		xtcp_mib_inc(net, XTCP_MIB_TFOPASSIVEFAIL);
		return false;
	}
	*made = true;
	xs = xtcp_sk(child);
	xtcp_mib_inc(net, XTCP_MIB_PASSIVEOPENS);
	xtcp_mib_inc(net, XTCP_MIB_TFOPASSIVE);
	trace_xtcp_set_state(&xs->h, TCP_LISTEN, TCP_SYN_RECV);
	local_bh_disable();
	bh_lock_sock_nested(child);
	xtcp_fastopen_child_start(child, sk);
	xs->copied_seq = xs->rcv_nxt;
	if (seg->len)
		kept = xtcp_rcv_syn_data(child, skb);
	/* Its SYN-ACK, timed and retransmitted as any connection's. */
	xtcp_rtt_start(&xs->rtt, xs->snd_nxt, xtcp_now_us());
	xtcp_send_ctl(child, TCPHDR_SYN | TCPHDR_ACK, xs->iss);
	/*
	 * Its program may read, write and close it before the handshake's
	 * ACK: the receiver and the sender (the congestion state) start now,
	 * as Linux's tcp_fastopen_create_child() inits the transfer. Closed
	 * in SYN_RECEIVED, it takes that ACK in FIN_WAIT_1, where nothing
	 * would start them, and the ACK found no congestion control (a NULL
	 * call in xtcp_rtt_ack(), seen in bench_tools' crr-tfo).
	 */
	xtcp_receiver_start(child);
	xtcp_sender_start(child);
	xtcp_timers_syn_sent(child);
	xtcp_child_ready(child);
	bh_unlock_sock(child);
	local_bh_enable();
	sock_put(child);
	return kept;
}

/*
 * MUST-63: no connection from a broadcast or multicast source, nor from
 * 0.0.0.0. The IP layer drops most such segments as martians (multicast
 * and 255.255.255.255 sources), but with rp_filter off a subnet's
 * broadcast address passes; Linux TCP would answer it with a SYN-ACK to
 * the whole subnet. skb->dev is the device the SYN came in on: the
 * address is looked up in its table (VRF).
 */
static bool xtcp_saddr_invalid(const struct sk_buff *skb, __be32 saddr)
{
	return ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr) ||
	       ipv4_is_zeronet(saddr) ||
	       inet_addr_type_dev_table(dev_net(skb->dev), skb->dev,
					saddr) == RTN_BROADCAST;
}

/*
 * 3.10.7.2 LISTEN, and what the listener's embryonic connections receive.
 * Return: true if @skb went to a new child.
 */
bool xtcp_rcv_listen(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	enum xtcp_fo_verdict fo;
	struct ip_options_rcu *ip_opt;
	bool made;
	int taken;

	taken = xtcp_rcv_listen_entry(sk, skb);
	if (taken >= 0)
		return taken;
	if (seg->flags & TCPHDR_RST)
		return false;
	if (seg->flags & TCPHDR_ACK) {
		taken = (seg->flags & TCPHDR_SYN) ? -1 : xtcp_cookie_ack(sk, skb);
		if (taken < 0)
			xtcp_send_reset_reply(sock_net(sk), seg);
		return taken > 0;
	}
	if (!(seg->flags & TCPHDR_SYN) || xtcp_saddr_invalid(skb, seg->saddr))
		return false;
	/*
	 * MUST-53: a SYN that came by a source route is answered by it,
	 * reversed; not through a first hop that is no unicast address (a
	 * forged route must not make us send to a whole subnet).
	 */
	ip_opt = xtcp_seg_v6(seg) ? NULL : xtcp_ip_return_route(skb);
	if (IS_ERR(ip_opt))
		return false;
	if (ip_opt && xtcp_saddr_invalid(skb, ip_opt->opt.faddr)) {
		kfree(ip_opt);
		return false;
	}
	/*
	 * With the accept queue full, nothing: xtcp_child_create() counts.
	 * Under SYN cookies no Fast Open either, as in Linux.
	 */
	if (!xtcp_acceptq_full(sk) && xtcp_want_cookie(sk)) {
		xtcp_cookie_synack(sk, skb, ip_opt);
		kfree(ip_opt);
		return false;
	}
	fo = xtcp_fastopen_syn(sk, skb);
	if (fo == XTCP_FO_CHILD) {
		struct ip_options_rcu *copy = NULL;

		/* The child takes the route; a fallback needs its own. */
		if (ip_opt) {
			copy = kmemdup(ip_opt, sizeof(*ip_opt) +
				       ip_opt->opt.optlen, GFP_ATOMIC);
			if (!copy) {
				kfree(ip_opt);
				return false;
			}
		}
		taken = xtcp_fastopen_child(sk, skb, copy, &made);
		if (made) {
			kfree(ip_opt);
			return taken;
		}
		fo = XTCP_FO_COOKIE;
	}
	xtcp_req_create(sk, skb, ip_opt, fo == XTCP_FO_COOKIE);
	return false;
}

static int xtcp_accept_wait(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue_exclusive(sk_sleep(sk), &wait);
	for (;;) {
		if (!list_empty(&xtcp_sk(sk)->lq->accept_q))
			break;
		err = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			break;
		err = -EAGAIN;
		if (!timeo)
			break;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			break;
		release_sock(sk);
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		err = 0;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

int xtcp_accept(struct socket *sock, struct socket *newsock,
		struct proto_accept_arg *arg)
{
	struct sock *sk = sock->sk;
	struct sock *child;
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out;
	err = xtcp_accept_wait(sk, sock_rcvtimeo(sk, arg->flags & O_NONBLOCK));
	if (err)
		goto out;
	child = xtcp_accept_dequeue(sk);
	if (!child) {
		err = -EAGAIN;
		goto out;
	}
	release_sock(sk);

	/* The queue's reference becomes the new socket's. */
	lock_sock(child);
	if (xtcp_sk(child)->listener) {
		xtcp_sk(child)->listener = NULL;
		__sock_put(sk);
	}
	sock_graft(child, newsock);
	sock_reset_flag(child, SOCK_DEAD);
	sk_net_refcnt_upgrade(child);
	sock_prot_inuse_add(sock_net(child), &xtcp_prot, 1);
	newsock->ops = sock->ops;
	newsock->state = SS_CONNECTED;
	release_sock(child);
	return 0;
out:
	release_sock(sk);
	return err;
}

#if !XTCP_KERNEL_AT_LEAST(6, 10, 0)
/* proto_ops.accept before 6.10: its arguments in the struct of 6.10. */
int xtcp_accept_compat(struct socket *sock, struct socket *newsock,
		       int flags, bool kern)
{
	struct proto_accept_arg arg = { .flags = flags, .kern = kern };

	return xtcp_accept(sock, newsock, &arg);
}
#endif

/**
 * xtcp_listen_stop() - a listener stops: unaccepted children are reset
 * @sk: the listener, locked by its user
 *
 * As Linux's inet_csk_listen_stop(): one child at a time is taken off the
 * queues under lq->lock, then locked and aborted with lq->lock dropped. The
 * children's own softirq paths (handshake completing, SYN-ACK retries
 * running out, a reset) run meanwhile and look under lq->lock whether the
 * child is still queued before they touch the queues, and the reference a
 * child holds on its listener (xs->listener) is dropped by whoever clears
 * xs->listener, always under the child's lock. No new child comes: the
 * listener is out of the lookup table, and a SYN that found it before
 * waits in its backlog until it is CLOSED.
 */
void xtcp_listen_stop(struct sock *sk)
{
	struct xtcp_sock *lxs = xtcp_sk(sk);
	struct xtcp_sock *xs;

	xtcp_listen_del(sk);
	xtcp_listen_drop_reqs(sk);
	while ((xs = xtcp_listen_take_child(lxs))) {
		struct sock *child = &xs->inet.sk;

		lock_sock_nested(child, SINGLE_DEPTH_NESTING);
		if (xs->listener) {
			xs->listener = NULL;
			__sock_put(sk);		/* the user holds sk */
		}
		if (child->sk_state != TCP_CLOSE)
			xtcp_transition(child, XTCP_EV_ABORT);
		release_sock(child);
		sock_put(child);	/* the queue's reference */
		cond_resched();
	}
}
