// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table of a namespace.
 *
 * Connections (full sockets and compact TIME_WAIT entries) live in one
 * rhashtable keyed by the 4-tuple: the receive path looks them up under
 * RCU without a lock, in O(1), and the table grows with its contents.
 * Sockets are freed after a grace period (SOCK_RCU_FREE) and TIME_WAIT
 * entries with kfree_rcu(), so a lookup never sees freed memory; it takes
 * a reference before it leaves the RCU section.
 *
 * IPv6 connections are in a second table, keyed by struct xtcp_key6 with
 * the 128-bit addresses (struct xtcp_hnode6): an IPv4 entry keeps its
 * 12-byte key, and IPv4 lookups never compare more. Insertion, removal
 * and replacement pick the table by the entry's v6 flag.
 *
 * Listeners are in the same table under a key with no remote end. Ports
 * are a hash of struct xtcp_port, each with the sockets bound to it.
 *
 * Sharing ports with Linux TCP: both stacks take segments from the same IP
 * addresses, so a port must belong to one of them. xtcp reserves every
 * port it uses in Linux TCP's own bind table with a "shadow": an
 * unconnected, never listening Linux TCP socket bound to that port. Linux
 * TCP then neither picks the port as ephemeral nor lets a program bind it
 * (EADDRINUSE), and xtcp learns that Linux holds a port when binding the
 * shadow fails. Linux keeps one socket per port, not per connection.
 *
 * connect() without a bound port is different: many connections share one
 * local port as long as their 4-tuples differ, in Linux TCP and in xtcp
 * alike. Each such connection's shadow is a Linux TCP socket hashed by
 * Linux's own inet_hash_connect() under the connection's 4-tuple, never
 * sending anything (xtcp_port_connect()). Linux then picks the port as
 * for its own connect() and shares it with its own connections, and the
 * 4-tuple is unique across both stacks for as long as the connection and
 * its TIME_WAIT entry last.
 */

#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/sock.h>
#include <net/transp_v6.h>
#include <net/tcp.h>
#include <xtcp/compat.h>
#include <xtcp/proto.h>
#include <xtcp/table.h>

static const struct rhashtable_params xtcp_conn_params = {
	.key_len		= sizeof(struct xtcp_key),
	.key_offset		= offsetof(struct xtcp_hnode, key),
	.head_offset		= offsetof(struct xtcp_hnode, node),
	.automatic_shrinking	= true,
};

static const struct rhashtable_params xtcp_conn6_params = {
	.key_len		= sizeof(struct xtcp_key6),
	.key_offset		= offsetof(struct xtcp_hnode6, key6),
	.head_offset		= offsetof(struct xtcp_hnode6, h.node),
	.automatic_shrinking	= true,
};

static struct workqueue_struct *xtcp_port_wq;

/**
 * xtcp_conn_lookup() - find a connection by its 4-tuple
 * @xn: the namespace's state
 * @key: the 4-tuple, from the local side
 *
 * Context: rcu_read_lock() held; the entry stays valid until it is dropped.
 * Return: the table entry or NULL.
 */
struct xtcp_hnode *xtcp_conn_lookup(struct xtcp_net *xn,
				    const struct xtcp_key *key)
{
	return rhashtable_lookup(&xn->conns, key, xtcp_conn_params);
}

/**
 * xtcp_conn_lookup6() - find an IPv6 connection by its 4-tuple
 * @xn: the namespace's state
 * @key: the 4-tuple, from the local side
 *
 * Context: rcu_read_lock() held; the entry stays valid until it is dropped.
 * Return: the table entry (its v6 flag set) or NULL.
 */
struct xtcp_hnode *xtcp_conn_lookup6(struct xtcp_net *xn,
				     const struct xtcp_key6 *key)
{
	struct xtcp_hnode6 *h6;

	h6 = rhashtable_lookup(&xn->conns6, key, xtcp_conn6_params);
	return h6 ? &h6->h : NULL;
}

/**
 * xtcp_conn_insert() - add a connection
 * @xn: the namespace's state
 * @h: the entry, its key set
 *
 * Return: 0, -EEXIST if the 4-tuple is taken, or -ENOMEM.
 */
int xtcp_conn_insert(struct xtcp_net *xn, struct xtcp_hnode *h)
{
	if (unlikely(h->v6))
		return rhashtable_lookup_insert_fast(&xn->conns6, &h->node,
						     xtcp_conn6_params);
	return rhashtable_lookup_insert_fast(&xn->conns, &h->node,
					     xtcp_conn_params);
}

void xtcp_conn_remove(struct xtcp_net *xn, struct xtcp_hnode *h)
{
	if (unlikely(h->v6))
		rhashtable_remove_fast(&xn->conns6, &h->node,
				       xtcp_conn6_params);
	else
		rhashtable_remove_fast(&xn->conns, &h->node,
				       xtcp_conn_params);
}

/**
 * xtcp_conn_replace() - put @new where @old was, atomically for lookups
 * @xn: the namespace's state
 * @old: the entry in the table
 * @new: the entry to take its place, with the same key (and family)
 *
 * A socket entering TIME_WAIT hands its 4-tuple to a compact entry without
 * a moment in which a segment would find neither.
 *
 * Return: 0 or -ENOENT.
 */
int xtcp_conn_replace(struct xtcp_net *xn, struct xtcp_hnode *old,
		      struct xtcp_hnode *new)
{
	if (unlikely(old->v6))
		return rhashtable_replace_fast(&xn->conns6, &old->node,
					       &new->node, xtcp_conn6_params);
	return rhashtable_replace_fast(&xn->conns, &old->node, &new->node,
				       xtcp_conn_params);
}

static struct xtcp_hnode *xtcp_conn_first(struct rhashtable *ht)
{
	struct rhashtable_iter iter;
	struct xtcp_hnode *h;

	rhashtable_walk_enter(ht, &iter);
	rhashtable_walk_start(&iter);
	do {
		h = rhashtable_walk_next(&iter);
	} while (IS_ERR(h) && PTR_ERR(h) == -EAGAIN);
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return IS_ERR(h) ? NULL : h;
}

/**
 * xtcp_conn_any() - some entry of either table, for teardown
 * @xn: the namespace's state
 *
 * Context: rcu_read_lock() held.
 * Return: an entry, or NULL when both tables are empty.
 */
struct xtcp_hnode *xtcp_conn_any(struct xtcp_net *xn)
{
	struct xtcp_hnode *h = xtcp_conn_first(&xn->conns);

	if (h)
		return h;
	/* An IPv6 object is walked as its struct xtcp_hnode6: h is first. */
	return xtcp_conn_first(&xn->conns6);
}

/**
 * xtcp_dev_match() - may a segment from this device reach this socket?
 * @net: the namespace
 * @bound_dev_if: the socket's SO_BINDTODEVICE (sk_bound_dev_if), 0 if none
 * @dif: the segment's ingress device, or under a VRF its L3 master
 *	(inet_iif()); XTCP_ANY_DEV to match any device
 * @sdif: under a VRF, the enslaved device it came in by (inet_sdif()),
 *	else 0
 *
 * Linux's rule for TCP (inet_sk_bound_dev_eq()): a socket bound to a
 * device takes only what came by that device, or by the VRF it names; an
 * unbound socket takes what came by no VRF, and what came by one only
 * with net.ipv4.tcp_l3mdev_accept, which xtcp follows as Linux TCP does.
 *
 * Return: true if the socket may have it.
 */
bool xtcp_dev_match(struct net *net, int bound_dev_if, int dif, int sdif)
{
	return dif == XTCP_ANY_DEV ||
	       inet_sk_bound_dev_eq(net, bound_dev_if, dif, sdif);
}

static struct hlist_head *xtcp_port_bucket(struct xtcp_net *xn, u16 num)
{
	return &xn->ports[num % ARRAY_SIZE(xn->ports)];
}

static struct xtcp_port *xtcp_port_find(struct xtcp_net *xn, u16 num)
{
	struct xtcp_port *p;

	hlist_for_each_entry(p, xtcp_port_bucket(xn, num), hlist)
		if (p->num == num)
			return p;
	return NULL;
}

/*
 * Linux's rules for two sockets on one port: they conflict when their
 * addresses overlap, unless both asked for SO_REUSEADDR and the one
 * already there is not listening. TIME_WAIT entries give way to
 * SO_REUSEADDR.
 */
static bool xtcp_port_conflict(struct xtcp_port *p, struct sock *sk,
			       __be32 addr)
{
	struct xtcp_sock *o;

	if (p->tw_count && !sk->sk_reuse)
		return true;
	hlist_for_each_entry(o, &p->owners, bind_node) {
		struct sock *osk = &o->inet.sk;
		__be32 oaddr = o->inet.inet_rcv_saddr;

		if (osk == sk)
			continue;
		if (addr != oaddr && addr != htonl(INADDR_ANY) &&
		    oaddr != htonl(INADDR_ANY))
			continue;
		if (sk->sk_reuse && osk->sk_reuse &&
		    READ_ONCE(osk->sk_state) != TCP_LISTEN)
			continue;
		return true;
	}
	return false;
}

/*
 * Keep the shadow's struct sock and free its struct socket, which with its
 * inode is a third of what a shadow costs (744 of 3086 bytes per port on
 * the benchmark kernel) and which nobody uses: no file refers to it and no
 * program can reach it. The sock is left as tcp_close() leaves a socket
 * its user closed while data was in flight (sock_orphan()): no socket, no
 * wait queue. Unlike such an orphan it is not SOCK_DEAD and not counted in
 * tcp_orphan_count: it holds no buffers and sends nothing, and it keeps its
 * port until xtcp_shadow_release() closes it.
 */
static struct sock *xtcp_shadow_detach(struct socket *s)
{
	struct sock *ssk = s->sk;

	write_lock_bh(&ssk->sk_callback_lock);
	sk_set_socket(ssk, NULL);
	RCU_INIT_POINTER(ssk->sk_wq, NULL);
	write_unlock_bh(&ssk->sk_callback_lock);
	/* With s->sk NULL, inet_release() and inet6_release() do nothing. */
	s->sk = NULL;
	sock_release(s);
	return ssk;
}

/*
 * Close a shadow as sock_release() would have: inet_release() and
 * inet6_release() leave nothing to undo for a socket that never joined a
 * multicast group, so this is the protocol's close, tcp_close(), which
 * frees the port and drops the reference sk_alloc() gave the socket.
 */
static void xtcp_shadow_release(struct sock *ssk)
{
	/*
	 * A connect shadow sits in Linux's established hash in state CLOSE
	 * (xtcp_port_connect()): out of it and its port first, as
	 * tcp_set_state() does on the way to CLOSE, or tcp_close() would
	 * find a closed socket still hashed.
	 */
	if (!sk_unhashed(ssk)) {
		lock_sock(ssk);
		tcp_set_state(ssk, TCP_CLOSE);
		release_sock(ssk);
	}
	ssk->sk_prot->close(ssk, 0);
}

static void xtcp_port_free_work(struct work_struct *work)
{
	struct xtcp_port *p = container_of(work, struct xtcp_port, free_work);

	xtcp_shadow_release(p->shadow);
	kfree(p);
}

/*
 * Reserve @num in Linux TCP's bind table; see the comment at the top. An
 * IPv6 socket's shadow is an AF_INET6 one, IPv6-only if the socket is,
 * so that Linux's rules between the families apply to the port as to a
 * Linux socket bound as ours is: a dual-stack one conflicts with IPv4 and
 * IPv6 binds alike, an IPv6-only one with IPv6 binds alone.
 */
static int xtcp_shadow_bind(struct net *net, u16 num, struct sock *sk,
			    struct sock **shadow)
{
	bool v6 = xtcp_sk(sk)->h.v6;
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(num),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(num),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct socket *s;
	int err;

	err = sock_create_kern(net, v6 ? AF_INET6 : AF_INET, SOCK_STREAM,
			       IPPROTO_TCP, &s);
	if (err)
		return err;
	s->sk->sk_reuse = sk->sk_reuse ? SK_CAN_REUSE : SK_NO_REUSE;
	if (v6) {
		s->sk->sk_ipv6only = sk->sk_ipv6only;
		err = kernel_bind(s, (struct sockaddr *)&sin6, sizeof(sin6));
	} else {
		err = kernel_bind(s, (struct sockaddr *)&sin, sizeof(sin));
	}
	if (err) {
		sock_release(s);
		return err;
	}
	*shadow = xtcp_shadow_detach(s);
	return 0;
}

/* A new port for @sk, shadow and all. Called with bind_mutex held. */
static int xtcp_port_create(struct sock *sk, u16 num, struct xtcp_port **pp)
{
	struct net *net = sock_net(sk);
	struct xtcp_port *p;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOBUFS;
	err = xtcp_shadow_bind(net, num, sk, &p->shadow);
	if (err == -EADDRINUSE) {
		/* Our own shadow may still be on its way out: wait for it. */
		flush_workqueue(xtcp_port_wq);
		err = xtcp_shadow_bind(net, num, sk, &p->shadow);
	}
	if (err) {
		kfree(p);
		return err == -EACCES ? err : -EADDRINUSE;
	}
	p->num = num;
	p->net = net;
	refcount_set(&p->refs, 1);
	INIT_HLIST_HEAD(&p->owners);
	INIT_WORK(&p->free_work, xtcp_port_free_work);
	*pp = p;
	return 0;
}

/* Attach @sk to port @num, creating it if need be. bind_mutex held. */
static int xtcp_port_take(struct sock *sk, __be32 addr, u16 num)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_port *p, *fresh = NULL;
	int err;

	spin_lock_bh(&xn->lock);
	p = xtcp_port_find(xn, num);
	if (p) {
		if (xtcp_port_conflict(p, sk, addr)) {
			spin_unlock_bh(&xn->lock);
			return -EADDRINUSE;
		}
		refcount_inc(&p->refs);
		goto attach;
	}
	spin_unlock_bh(&xn->lock);

	err = xtcp_port_create(sk, num, &fresh);
	if (err)
		return err;
	spin_lock_bh(&xn->lock);
	p = fresh;
	hlist_add_head(&p->hlist, xtcp_port_bucket(xn, num));
attach:
	xs->inet.inet_rcv_saddr = addr;
	xs->inet.inet_saddr = addr;
	xs->inet.inet_num = num;
	xs->inet.inet_sport = htons(num);
	xs->port = p;
	hlist_add_head(&xs->bind_node, &p->owners);
	spin_unlock_bh(&xn->lock);
	return 0;
}

/**
 * xtcp_port_bind() - bind a socket to a local address and port
 * @sk: the socket, not yet bound
 * @addr: local address or INADDR_ANY
 * @port: the port, or 0 for an ephemeral one from
 *	net.xtcp.ip_local_port_range
 *
 * Context: process context; may sleep.
 * Return: 0, -EADDRINUSE (the port is taken by xtcp or Linux TCP, or no
 * ephemeral port is free), -EACCES or -ENOBUFS.
 */
int xtcp_port_bind(struct sock *sk, __be32 addr, u16 port)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	u32 lo, hi, n, i, start;
	int err = -EADDRINUSE;

	mutex_lock(&xn->bind_mutex);
	if (port) {
		err = xtcp_port_take(sk, addr, port);
		goto out;
	}
	lo = READ_ONCE(xn->port_range[0]);
	hi = READ_ONCE(xn->port_range[1]);
	/* A write to the sysctl may be half done: never lo > hi here. */
	if (lo > hi)
		hi = lo;
	n = hi - lo + 1;
	start = get_random_u32_below(n);
	for (i = 0; i < n; i++) {
		u16 num = lo + (start + i) % n;

		/* Ports xtcp already uses are never shared by autobind. */
		spin_lock_bh(&xn->lock);
		if (xtcp_port_find(xn, num)) {
			spin_unlock_bh(&xn->lock);
			continue;
		}
		spin_unlock_bh(&xn->lock);
		err = xtcp_port_take(sk, addr, num);
		if (err != -EADDRINUSE)
			break;
		cond_resched();
	}
out:
	mutex_unlock(&xn->bind_mutex);
	return err;
}

/*
 * The ephemeral range for connect(), as the shadow's IP_LOCAL_PORT_RANGE:
 * net.xtcp.ip_local_port_range, narrowed by the socket's own
 * IP_LOCAL_PORT_RANGE. Linux narrows net.ipv4.ip_local_port_range by it
 * in turn (inet_sk_get_local_port_range()). 0, Linux's range unchanged,
 * when neither narrows it: then the port is chosen exactly as for Linux
 * TCP, even ports first.
 */
static u32 xtcp_connect_range(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	u32 sk_range = xtcp_inet_port_range(inet_sk(sk));
	int lo = READ_ONCE(xn->port_range[0]);
	int hi = READ_ONCE(xn->port_range[1]);
	int ip_lo, ip_hi;

	if (sk_range) {
		/* As inet_sk_get_local_port_range(): each end if it fits. */
		if ((sk_range & 0xffff) >= lo && (sk_range & 0xffff) <= hi)
			lo = sk_range & 0xffff;
		if ((sk_range >> 16) >= lo && (sk_range >> 16) <= hi)
			hi = sk_range >> 16;
	}
	inet_get_local_port_range(sock_net(sk), &ip_lo, &ip_hi);
	if (lo > hi || (lo == ip_lo && hi == ip_hi))
		return 0;
	return (u32)hi << 16 | lo;
}

/**
 * xtcp_port_connect() - choose the local port for connect(), as Linux does
 * @sk: the socket, locked, with no port; its source address and remote
 *	end set (sk_v6_rcv_saddr and sk_v6_daddr for an IPv6 one)
 * @iss: set to the initial sequence number Linux asks for when it lets
 *	the connection take over one of its own TIME_WAIT 4-tuples
 *	(tcp_twsk_unique()), else 0
 *
 * RFC 6056's algorithm 4 as __inet_hash_connect() runs it: the search
 * starts at an offset from a keyed hash of the addresses and remote port
 * plus a perturbation table, and a port serves every remote end it does
 * not serve yet (CVE-2022-32296: the table is Linux's own, large).
 * Linux does the search on a shadow socket (the top of this file), which
 * it then keeps hashed under the 4-tuple. A Linux TIME_WAIT 4-tuple is
 * reused only when tcp_twsk_unique() allows it (net.ipv4.tcp_tw_reuse,
 * with timestamps); xtcp's own TIME_WAIT entries keep their shadows, so
 * their 4-tuples are never reused. An IPv6 socket's shadow is an AF_INET6
 * Linux TCP socket hashed by inet6_hash_connect() under the IPv6 4-tuple,
 * as tcp_v6_connect() hashes its own.
 *
 * Context: process context; may sleep.
 * Return: 0, -EADDRNOTAVAIL when no port is left (as for Linux TCP),
 * or -ENOBUFS.
 */
int xtcp_port_connect(struct sock *sk, u32 *iss)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct inet_sock *inet = inet_sk(sk);
	bool v6 = xtcp_sk(sk)->h.v6;
	struct net *net = sock_net(sk);
	struct xtcp_port *p;
	struct inet_sock *si;
	struct socket *s;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOBUFS;
	err = sock_create_kern(net, v6 ? AF_INET6 : AF_INET, SOCK_STREAM,
			       IPPROTO_TCP, &s);
	if (err) {
		kfree(p);
		return err;
	}
	si = inet_sk(s->sk);
	lock_sock(s->sk);
	s->sk->sk_reuse = sk->sk_reuse;
	s->sk->sk_bound_dev_if = sk->sk_bound_dev_if;
	xtcp_inet_set_port_range(si, xtcp_connect_range(sk));
	si->inet_dport = inet->inet_dport;
	if (v6) {
		s->sk->sk_v6_rcv_saddr = sk->sk_v6_rcv_saddr;
		s->sk->sk_v6_daddr = sk->sk_v6_daddr;
		inet6_sk(s->sk)->saddr = sk->sk_v6_rcv_saddr;
		/* As tcp_v6_connect(): no IPv4 address to match. */
		si->inet_rcv_saddr = LOOPBACK4_IPV6;
		/* CLOSE too: tcp_v6_err() ignores ICMPv6 errors for it. */
		err = inet6_hash_connect(&net->ipv4.tcp_death_row, s->sk);
	} else {
		si->inet_saddr = inet->inet_saddr;
		si->inet_rcv_saddr = inet->inet_rcv_saddr;
		si->inet_daddr = inet->inet_daddr;
		/* It stays CLOSE: tcp_v4_err() ignores ICMP errors for it. */
		err = inet_hash_connect(&net->ipv4.tcp_death_row, s->sk);
	}
	*iss = READ_ONCE(tcp_sk(s->sk)->write_seq);
	release_sock(s->sk);
	if (err) {
		sock_release(s);
		kfree(p);
		return err == -ENOMEM ? -ENOBUFS : err;
	}
	p->num = si->inet_num;
	p->net = net;
	p->shadow = xtcp_shadow_detach(s);
	refcount_set(&p->refs, 1);
	INIT_HLIST_NODE(&p->hlist);	/* in no port hash: Linux's holds it */
	INIT_HLIST_HEAD(&p->owners);
	INIT_WORK(&p->free_work, xtcp_port_free_work);

	spin_lock_bh(&xn->lock);
	inet->inet_num = p->num;
	inet->inet_sport = htons(p->num);
	xtcp_sk(sk)->port = p;
	hlist_add_head(&xtcp_sk(sk)->bind_node, &p->owners);
	spin_unlock_bh(&xn->lock);
	return 0;
}

/**
 * xtcp_port_inherit() - a passive child shares its listener's port
 * @child: the new connection
 * @parent: the listener
 *
 * Context: any; the listener holds the port.
 */
void xtcp_port_inherit(struct sock *child, struct sock *parent)
{
	struct xtcp_net *xn = xtcp_net(sock_net(child));
	struct xtcp_port *p = xtcp_sk(parent)->port;

	spin_lock_bh(&xn->lock);
	refcount_inc(&p->refs);
	xtcp_sk(child)->port = p;
	hlist_add_head(&xtcp_sk(child)->bind_node, &p->owners);
	spin_unlock_bh(&xn->lock);
}

void xtcp_port_get(struct xtcp_port *p)
{
	refcount_inc(&p->refs);
}

/**
 * xtcp_port_put() - drop a reference to a port
 * @p: the port
 *
 * The last reference removes the port from the namespace at once and
 * releases its shadow socket from a workqueue, since that may sleep.
 *
 * Context: any.
 */
void xtcp_port_put(struct xtcp_port *p)
{
	struct xtcp_net *xn = xtcp_net(p->net);

	if (refcount_dec_not_one(&p->refs))
		return;
	/* Maybe the last: decide under the lock bind() looks ports up with. */
	spin_lock_bh(&xn->lock);
	if (!refcount_dec_and_test(&p->refs)) {
		spin_unlock_bh(&xn->lock);
		return;
	}
	if (!hlist_unhashed(&p->hlist))
		hlist_del(&p->hlist);
	spin_unlock_bh(&xn->lock);
	queue_work(xtcp_port_wq, &p->free_work);
}

/**
 * xtcp_port_unbind() - detach a socket from its port
 * @sk: the socket
 *
 * Context: any.
 */
void xtcp_port_unbind(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_port *p = xs->port;

	if (!p)
		return;
	spin_lock_bh(&xn->lock);
	hlist_del_init(&xs->bind_node);
	xs->port = NULL;
	spin_unlock_bh(&xn->lock);
	xtcp_port_put(p);
}

/**
 * xtcp_table_init() - empty tables for a new namespace
 * @net: the namespace
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_table_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	int i, err;

	for (i = 0; i < ARRAY_SIZE(xn->ports); i++)
		INIT_HLIST_HEAD(&xn->ports[i]);
	spin_lock_init(&xn->lock);
	mutex_init(&xn->bind_mutex);
	err = rhashtable_init(&xn->conns, &xtcp_conn_params);
	if (err)
		return err;
	err = rhashtable_init(&xn->conns6, &xtcp_conn6_params);
	if (err)
		rhashtable_destroy(&xn->conns);
	return err;
}

/**
 * xtcp_table_exit() - free a namespace's tables
 * @net: the namespace; every connection has been removed already
 *
 * Waits for the shadow sockets of released ports, which belong to @net.
 */
void xtcp_table_exit(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);

	flush_workqueue(xtcp_port_wq);
	WARN_ON(atomic_read(&xn->conns.nelems));
	WARN_ON(atomic_read(&xn->conns6.nelems));
	rhashtable_destroy(&xn->conns);
	rhashtable_destroy(&xn->conns6);
}

int xtcp_table_module_init(void)
{
	xtcp_port_wq = alloc_workqueue("xtcp_port", WQ_UNBOUND, 0);
	return xtcp_port_wq ? 0 : -ENOMEM;
}

void xtcp_table_module_exit(void)
{
	destroy_workqueue(xtcp_port_wq);
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
