// SPDX-License-Identifier: GPL-2.0
/*
 * The socket calls: struct proto_ops and struct proto for xtcp sockets.
 *
 * Each call follows Linux TCP's semantics and errno values (the inet_*
 * functions of net/ipv4/af_inet.c and tcp.c were the reference), turning
 * user requests into state table events (conn.c).
 */

#include <linux/errqueue.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/sock.h>
#include <xtcp/burst.h>
#include <xtcp/compat.h>
#include <xtcp/fastopen.h>
#include <xtcp/isn.h>
#include <xtcp/proto.h>
#include <xtcp/request.h>
#include <xtcp/seq.h>
#include <xtcp/table.h>
#include <xtcp/urgent.h>

static const struct proto_ops xtcp_stream_ops;

/* Like sk_stream_write_space(), which is not exported. */
static void xtcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	xtcp_sndbuf_expand(sk);
	if (!sock || !__sk_stream_is_writeable(sk, 1))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	rcu_read_unlock();
}

static void xtcp_sock_destruct(struct sock *sk)
{
	struct sk_buff *skb;

	xtcp_orphan_del(sk);
	atomic_dec(&xtcp_net(sock_net(sk))->socks);
	xtcp_ooo_purge(&xtcp_sk(sk)->ooo);
	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		tcp_wmem_free_skb(sk, skb);
	xtcp_mem_sock_destroy(sk);
	xtcp_sockopt_destroy(sk);
	kfree(xtcp_sk(sk)->rack.log);
	kfree(xtcp_sk(sk)->sb);
	kfree(xtcp_sk(sk)->lq);
	inet_sock_destruct(sk);
}

/*
 * The backlog runs in process context with softirqs enabled; segment
 * processing expects them off, as in the softirq path.
 */
static int xtcp_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	local_bh_disable();
	xtcp_do_rcv(sk, skb);
	local_bh_enable();
	return 0;
}

static void xtcp_release_cb(struct sock *sk)
{
	if (test_bit(XTCP_TF_DEFERRED, &xtcp_sk(sk)->timer_flags))
		xtcp_timers_deferred(sk);
}

/**
 * xtcp_sock_setup() - initialise a new xtcp sock
 * @sk: from sk_alloc()
 * @sock: its socket, or NULL for a passive child
 */
void xtcp_sock_setup(struct sock *sk, struct socket *sock)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);

	sock_init_data(sock, sk);
	sk->sk_type = SOCK_STREAM;
	sk->sk_protocol = IPPROTO_TCP;
	sk->sk_destruct = xtcp_sock_destruct;
	sk->sk_backlog_rcv = xtcp_backlog_rcv;
	sk->sk_write_space = xtcp_write_space;
	/* Lookups run under RCU: free only after a grace period. */
	sock_set_flag(sk, SOCK_RCU_FREE);
	/* Segments sent are charged to it (policy.c), as TCP's are. */
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);

	inet->uc_ttl = -1;
	xtcp_sk(sk)->hop_limit = -1;
	inet->mc_ttl = 1;
	atomic_set(&inet->inet_id, get_random_u16());
	inet->pmtudisc = IP_PMTUDISC_WANT;

	INIT_HLIST_NODE(&xs->bind_node);
	INIT_LIST_HEAD(&xs->child_node);
	xtcp_snd_mss_set(xs, XTCP_DEFAULT_MSS);
	xs->adv_mss = XTCP_DEFAULT_MSS;
	/* Small buffers that grow with use (mem.c), charged as used. */
	xtcp_mem_sock_init(sk);
	xtcp_ooo_init(&xs->ooo);
	xtcp_timers_init(sk);
	atomic_inc(&xtcp_net(sock_net(sk))->socks);
}

static int xtcp_check_addr(const struct sockaddr *uaddr, int len)
{
	if (len < sizeof(struct sockaddr_in))
		return -EINVAL;
	if (uaddr->sa_family != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

static int xtcp_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	struct sockaddr_in mapped;
	bool v4mapped = false;
	__be32 addr;
	u16 port;
	int err;

	if (len >= offsetofend(struct sockaddr, sa_family) &&
	    uaddr->sa_family == AF_INET6) {
		err = xtcp_bind6(sk, (struct sockaddr_in6 *)uaddr, len,
				 &mapped);
		if (err <= 0)
			return err;
		/* v4-mapped: an IPv4 bind that the calls show as IPv6. */
		sin = &mapped;
		uaddr = (struct sockaddr *)&mapped;
		len = sizeof(mapped);
		v4mapped = true;
	}
	if (len < sizeof(struct sockaddr_in))
		return -EINVAL;
	/* Like inet_bind(): AF_UNSPEC with INADDR_ANY passes, for old code. */
	if (uaddr->sa_family != AF_INET &&
	    (uaddr->sa_family != AF_UNSPEC ||
	     sin->sin_addr.s_addr != htonl(INADDR_ANY)))
		return -EAFNOSUPPORT;
	addr = sin->sin_addr.s_addr;
	port = ntohs(sin->sin_port);
	if (addr != htonl(INADDR_ANY) && inet_addr_type(net, addr) != RTN_LOCAL)
		return -EADDRNOTAVAIL;
	if (port && inet_port_requires_bind_service(net, port) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || xtcp_sk(sk)->port ||
	    xtcp_sk(sk)->h.v6 || xtcp_sk(sk)->v4mapped)
		goto out;
	if (!port && inet_test_bit(BIND_ADDRESS_NO_PORT, sk)) {
		/*
		 * The address now, the port at connect(), shared by 4-tuple
		 * (xtcp_port_connect()), as __inet_bind() does: a client
		 * choosing its source address need not hold a port alone.
		 */
		inet_sk(sk)->inet_rcv_saddr = addr;
		inet_sk(sk)->inet_saddr = addr;
		err = 0;
	} else {
		err = xtcp_port_bind(sk, addr, port);
		if (err)
			goto out;
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	}
	if (addr != htonl(INADDR_ANY))
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (v4mapped)
		xtcp_sk(sk)->v4mapped = 1;
out:
	release_sock(sk);
	return err;
}

/* The prot-level half of connect(): route, port, ISN, SYN. */
static int xtcp_do_connect(struct sock *sk, struct sockaddr_in *sin)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	const struct xtcp_key key = {
		.laddr = inet->inet_saddr, .raddr = sin->sin_addr.s_addr,
		.lport = inet->inet_sport, .rport = sin->sin_port,
	};
	struct net *net = sock_net(sk);
	struct flowi4 fl4;
	struct rtable *rt;
	int err = 0;
	u32 iss = 0;

	rt = xtcp_route4(net, sk, &fl4, &key, key.raddr, 0);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	/* MUST-46: no connection to a broadcast or multicast address. */
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	ip_rt_put(rt);

	/* MUST-44: the source address the route chose, unless bound. */
	if (inet->inet_saddr == htonl(INADDR_ANY)) {
		inet->inet_saddr = fl4.saddr;
		inet->inet_rcv_saddr = fl4.saddr;
	}
	inet->inet_daddr = sin->sin_addr.s_addr;
	inet->inet_dport = sin->sin_port;
	/* A port shared by 4-tuple, as Linux's connect() takes (table.c). */
	if (!xs->port)
		err = xtcp_port_connect(sk, &iss);
	xs->h.key = (struct xtcp_key){ inet->inet_saddr, inet->inet_daddr,
				       inet->inet_sport, inet->inet_dport };
	if (!err)
		err = xtcp_hash(sk, NULL);
	if (err) {
		if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			xtcp_port_unbind(sk);
		if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
			inet->inet_saddr = 0;
			inet->inet_rcv_saddr = 0;
		}
		inet->inet_daddr = 0;
		inet->inet_dport = 0;
		return err;
	}
	xs->adv_mss = xtcp_route_mss(sk);
	xtcp_snd_mss_set(xs, xs->adv_mss);
	xtcp_offer_options(sk);
	xs->iss = iss ? : xtcp_isn(inet->inet_saddr, inet->inet_daddr,
				   inet->inet_sport, inet->inet_dport);
	xtcp_transition(sk, XTCP_EV_CONNECT);
	return 0;
}

/* Ready the socket for another connect() after a failed one. */
static void xtcp_disconnect(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	if (sk->sk_state != TCP_CLOSE)
		xtcp_transition(sk, XTCP_EV_ABORT);
	__skb_queue_purge(&sk->sk_receive_queue);
	xtcp_ooo_purge(&xs->ooo);
	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		tcp_wmem_free_skb(sk, skb);
	inet_sk(sk)->inet_daddr = 0;
	inet_sk(sk)->inet_dport = 0;
	sk->sk_v6_daddr = in6addr_any;
	sk_dst_reset(sk);	/* the route to the old peer (output.c) */
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet_sk(sk)->inet_saddr = 0;
		inet_sk(sk)->inet_rcv_saddr = 0;
		sk->sk_v6_rcv_saddr = in6addr_any;
	}
	xs->fin_queued = 0;
	xs->fo_defer = 0;
	xs->fo_req = 0;
	xs->fo_syn_len = 0;
	xs->syn_data = 0;
	xs->retries = 0;
	xs->backoff = 0;
	xs->dsack_pending = false;
	xtcp_urg_reset(sk);
	xtcp_rtt_init(&xs->rtt);
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
}

static long xtcp_wait_for_connect(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	while ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		release_sock(sk);
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		if (signal_pending(current) || !timeo)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return timeo;
}

/* connect()'s checks of the address, before the socket is locked. */
static int xtcp_connect_addr_ok(struct sock *sk, struct sockaddr *uaddr,
				int len)
{
	/* An IPv6 socket checks as tcp_v6_connect(), whatever the family. */
	if ((len >= offsetofend(struct sockaddr, sa_family) &&
	     uaddr->sa_family == AF_INET6) || xtcp_sk(sk)->h.v6 ||
	    xtcp_sk(sk)->v4mapped)
		return len < SIN6_LEN_RFC2133 ? -EINVAL : 0;
	return xtcp_check_addr(uaddr, len);
}

/* Start connecting a CLOSED socket: route, port, ISN, the SYN. */
static int xtcp_connect_start(struct sock *sk, struct sockaddr *uaddr,
			      int len)
{
	struct sockaddr_in sin4;
	int err;

	if (uaddr->sa_family == AF_INET6)
		err = xtcp_connect6(sk, (struct sockaddr_in6 *)uaddr, len,
				    &sin4);
	else if (xtcp_sk(sk)->h.v6 || xtcp_sk(sk)->v4mapped)
		err = -EAFNOSUPPORT;	/* an IPv6 socket */
	else
		err = xtcp_do_connect(sk, (struct sockaddr_in *)uaddr);
	if (err > 0)	/* a v4-mapped address */
		err = xtcp_do_connect(sk, &sin4);
	return err;
}

/*
 * Wait for the handshake as connect() does: @err (-EINPROGRESS or
 * -EALREADY) if it is still under way when @timeo runs out.
 */
static int xtcp_connect_wait(struct socket *sock, long timeo, int err)
{
	struct sock *sk = sock->sk;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!timeo)
			return err;
		timeo = xtcp_wait_for_connect(sk, timeo);
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			return err;
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
			return -EINPROGRESS;	/* SO_SNDTIMEO ran out */
	}
	if (sk->sk_state == TCP_CLOSE) {
		err = sock_error(sk) ? : -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		xtcp_disconnect(sk);
		return err;
	}
	sock->state = SS_CONNECTED;
	return 0;
}

/*
 * The SYN that connect() held back for Fast Open leaves: with @c, the
 * server's cookie, and the first @len bytes of the send queue; or, with
 * @c NULL, asking for a cookie (RFC 7413 3). Timed and retransmitted as
 * any SYN (without the data: it goes after the handshake if the SYN-ACK
 * does not acknowledge it).
 */
static void xtcp_fo_syn(struct sock *sk, const struct xtcp_fo_cookie *c,
			u32 len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->fo_defer = 0;
	xs->fo_req = 1;
	xs->fo_syn_len = len;
	xs->snd_nxt = xs->iss + 1 + len;
	xs->snd_max = xs->snd_nxt;
	xtcp_rtt_start(&xs->rtt, xs->iss + 1, xtcp_now_us());
	xtcp_send_syn(sk, c ? c : &xtcp_fo_request, len);
	xtcp_timers_syn_sent(sk);
}

/*
 * TCP_FASTOPEN_CONNECT: with a cookie cached for the server, connect()
 * returns at once and the SYN waits for the first write (as Linux's
 * defer_connect); without one, the SYN leaves now asking for a cookie.
 * Return: true if the SYN is held back.
 */
static bool xtcp_fo_connect(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_fo_cookie c;
	u16 mss;

	if (!xs->fo_defer)
		return false;
	if (xtcp_fastopen_cookie_get(sk, &c, &mss))
		return true;
	xtcp_fo_syn(sk, NULL, 0);
	return false;
}

/* connect(), shaped like Linux's __inet_stream_connect() for its errnos. */
static int xtcp_connect(struct socket *sock, struct sockaddr *uaddr,
			int len, int flags)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int err;

	err = xtcp_connect_addr_ok(sk, uaddr, len);
	if (err)
		return err;
	lock_sock(sk);
	switch (sock->state) {
	default:
		err = -EINVAL;
		goto out;
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		/* Connected as far as connect() goes: the write sends. */
		err = xs->fo_defer ? -EISCONN : -EALREADY;
		if (xs->fo_defer)
			goto out;
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != TCP_CLOSE)
			goto out;
		xs->fo_defer = xs->fo_connect &&
			       (READ_ONCE(xtcp_net(sock_net(sk))->fastopen) &
				XTCP_FO_CLIENT);
		err = xtcp_connect_start(sk, uaddr, len);
		if (err < 0) {
			xs->fo_defer = 0;
			goto out;
		}
		sock->state = SS_CONNECTING;
		err = 0;
		if (xtcp_fo_connect(sk))
			goto out;
		err = -EINPROGRESS;
		break;
	}
	err = xtcp_connect_wait(sock, sock_sndtimeo(sk, flags & O_NONBLOCK),
				err);
out:
	release_sock(sk);
	return err;
}

static int xtcp_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, sin, uaddr);
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);

	lock_sock(sk);
	if (xtcp_sk(sk)->h.v6 || xtcp_sk(sk)->v4mapped) {
		int ret = xtcp_getname6(sk, (struct sockaddr_in6 *)uaddr, peer);

		release_sock(sk);
		return ret;
	}
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (peer) {
		if (!inet->inet_dport ||
		    (((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT)) &&
		     peer == 1)) {
			release_sock(sk);
			return -ENOTCONN;
		}
		sin->sin_port = inet->inet_dport;
		sin->sin_addr.s_addr = inet->inet_daddr;
	} else {
		sin->sin_port = inet->inet_sport;
		sin->sin_addr.s_addr = inet->inet_rcv_saddr ? :
				       inet->inet_saddr;
	}
	release_sock(sk);
	return sizeof(*sin);
}

/*
 * Whether a reader would get SO_RCVLOWAT bytes now, as poll() reports
 * readable only then (Linux's tcp_poll() does the same): the bytes between
 * what the user read and RCV.NXT. A low mark the receive buffer cannot
 * reach (the window is closed) counts as met, or the reader would wait
 * forever.
 */
static bool xtcp_rcvlowat_met(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	/* An urgent byte out of the stream is not for a normal read. */
	int target = READ_ONCE(sk->sk_rcvlowat) + xtcp_urg_hole(sk);

	if (target <= 1)
		return true;
	/* A mark the buffer can never reach must not stall the reader. */
	if (READ_ONCE(xs->rcv_nxt) - READ_ONCE(xs->copied_seq) >= target)
		return true;
	return xtcp_rcv_window(sk, false) < READ_ONCE(xs->mss);
}

/* Readiness as Linux's tcp_poll() reports it. */
static __poll_t xtcp_poll(struct file *file, struct socket *sock,
			  poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	sock_poll_wait(file, sock, wait);
	state = READ_ONCE(sk->sk_state);
	if (state == TCP_LISTEN)
		return xtcp_accept_qlen(xtcp_sk(sk)) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	/*
	 * A Fast Open child may read and write before the handshake's ACK
	 * (xtcp_fo_child_sending()): it polls as a synchronized connection.
	 */
	if ((state != TCP_SYN_SENT && state != TCP_SYN_RECV) ||
	    (state == TCP_SYN_RECV && xtcp_sk(sk)->fo_child)) {
		if (!skb_queue_empty_lockless(&sk->sk_receive_queue) &&
		    xtcp_rcvlowat_met(sk))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (shutdown & SEND_SHUTDOWN ||
		    __sk_stream_is_writeable(sk, 1)) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else {
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			/* Order the flag before the re-check, against
			 * xtcp_write_space() freeing room in between.
			 */
			smp_mb__after_atomic();
			if (__sk_stream_is_writeable(sk, 1))
				mask |= EPOLLOUT | EPOLLWRNORM;
		}
		if (xtcp_urg_pending(sk))
			mask |= EPOLLPRI;
	} else if (state == TCP_SYN_SENT && xtcp_sk(sk)->fo_defer) {
		/* Fast Open: the first write sends the SYN, with its data. */
		mask |= EPOLLOUT | EPOLLWRNORM;
	}
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

static int xtcp_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	/* SHUT_RD, SHUT_WR, SHUT_RDWR are 0, 1, 2: make them the masks. */
	how++;
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;

	lock_sock(sk);
	if (sock->state == SS_CONNECTING) {
		if ((1 << sk->sk_state) &
		    (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE))
			sock->state = SS_DISCONNECTING;
		else
			sock->state = SS_CONNECTED;
	}
	switch (sk->sk_state) {
	case TCP_CLOSE:
		err = -ENOTCONN;
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		break;
	case TCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		xtcp_listen_stop(sk);
		xtcp_transition(sk, XTCP_EV_CLOSE);
		sock->state = SS_UNCONNECTED;
		break;
	case TCP_SYN_SENT:
		xtcp_disconnect(sk);
		sock->state = SS_UNCONNECTED;
		break;
	default:
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		if (how & SEND_SHUTDOWN)
			xtcp_transition(sk, XTCP_EV_CLOSE);
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/*
 * A new, empty buffer at the tail of the send queue, charged (its head
 * only: the bytes are charged as they are copied into its page fragments).
 * ERR_PTR(-EAGAIN) if over the memory limits: wait for memory.
 */
static struct sk_buff *xtcp_tx_skb_new(struct sock *sk)
{
	struct sk_buff *skb = alloc_skb(0, sk->sk_allocation);

	if (!skb)
		return ERR_PTR(-ENOBUFS);
	if (!xtcp_wmem_charge(sk, skb)) {
		kfree_skb(skb);
		return ERR_PTR(-EAGAIN);
	}
	/* The bytes are copied without a sum (skb_do_copy_data_nocache()). */
	skb->ip_summed = CHECKSUM_PARTIAL;
	xtcp_tx_cb(skb)->seq = xtcp_sk(sk)->write_seq;
	xtcp_tx_cb(skb)->end_seq = xtcp_sk(sk)->write_seq;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	return skb;
}

/*
 * The bytes a queued buffer takes before the next one starts. Memory comes
 * back only when a whole buffer is acknowledged, and a writer waits while
 * the queue holds its send buffer's worth: with buffers of a quarter of
 * the send buffer it is refilled as ACKs come. One 64 KB buffer behind a
 * small window (a lossy path) was refilled only once all of it had been
 * acknowledged, and the pipe ran dry each time: 1 MiB at 2% loss took 3.8
 * s against Linux TCP's 0.4. At least a segment; at most a GSO burst.
 */
static int xtcp_tx_skb_goal(const struct sock *sk)
{
	int mss = xtcp_sk(sk)->mss ?: XTCP_DEFAULT_MSS;

	return clamp_t(int, READ_ONCE(sk->sk_sndbuf) / 4, mss,
		       XTCP_GSO_MAX_BYTES);
}

/* A buffer that got no bytes (no memory, a fault) leaves the queue. */
static void xtcp_tx_skb_drop_empty(struct sock *sk)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (skb && !skb->len) {
		__skb_unlink(skb, &sk->sk_write_queue);
		tcp_wmem_free_skb(sk, skb);
	}
}

/*
 * The data goes into page fragments (sk_page_frag(), as tcp_sendmsg()),
 * copied once: buffers of up to xtcp_tx_skb_goal(), whose truesize and
 * charge are their head and the bytes they hold, and which the sender
 * hands to the IP layer by reference (output.c).
 */
/*
 * Copy what fits of @msg into the send queue's tail buffer, or a new one
 * if that is full. Return: the bytes copied; -EAGAIN if the caller must
 * wait for memory; or another error.
 */
static int xtcp_sendmsg_copy(struct sock *sk, struct msghdr *msg)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
	struct page_frag *pfrag = sk_page_frag(sk);
	int goal = xtcp_tx_skb_goal(sk);
	int i, n, err;
	bool merge;

	if (!skb || skb->len >= goal ||
	    skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS) {
		if (!sk_stream_memory_free(sk))
			return -EAGAIN;
		skb = xtcp_tx_skb_new(sk);
		if (IS_ERR(skb))
			return PTR_ERR(skb);
	}
	if (!sk_page_frag_refill(sk, pfrag))
		return -EAGAIN;
	n = min_t(size_t, msg_data_left(msg), pfrag->size - pfrag->offset);
	n = min_t(int, n, goal - skb->len);
	if (!xtcp_wmem_schedule(sk, n,
				skb_queue_is_first(&sk->sk_write_queue, skb)))
		return -EAGAIN;
	i = skb_shinfo(skb)->nr_frags;
	merge = skb_can_coalesce(skb, i, pfrag->page, pfrag->offset);
	/* Counts the bytes in the buffer, its truesize and the charge. */
	err = skb_copy_to_page_nocache(sk, &msg->msg_iter, skb, pfrag->page,
				       pfrag->offset, n);
	if (err)
		return err;
	if (merge) {
		skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], n);
	} else {
		skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset, n);
		get_page(pfrag->page);
	}
	pfrag->offset += n;
	xtcp_tx_cb(skb)->end_seq += n;
	xtcp_sk(sk)->write_seq += n;
	return n;
}

/*
 * sendto(MSG_FASTOPEN), or the first write after a TCP_FASTOPEN_CONNECT
 * connect(): connect if need be, and send the SYN with as much of @msg
 * as the server's MSS takes if we have its cookie, else asking for one
 * (RFC 7413 3); then wait for the handshake as connect() would. *@copied
 * is set to the bytes that went in the SYN. Errnos as Linux's
 * tcp_sendmsg_fastopen() and __inet_stream_connect().
 */
static int xtcp_sendmsg_fastopen(struct socket *sock, struct msghdr *msg,
				 size_t *copied)
{
	struct sockaddr *uaddr = msg->msg_name;
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_fo_cookie c;
	bool cached;
	size_t left;
	u32 room;
	u16 mss;
	int err, n;

	if (!(READ_ONCE(xtcp_net(sock_net(sk))->fastopen) & XTCP_FO_CLIENT) ||
	    (uaddr && msg->msg_namelen >= sizeof(uaddr->sa_family) &&
	     uaddr->sa_family == AF_UNSPEC))
		return -EOPNOTSUPP;
	if (!xs->fo_defer) {
		switch (sock->state) {
		case SS_CONNECTED:
			return -EISCONN;
		case SS_CONNECTING:
			/*
			 * As __inet_stream_connect(): a call restarted after
			 * a signal waits for the handshake it began.
			 */
			return xtcp_connect_wait(sock,
						 sock_sndtimeo(sk, msg->msg_flags &
							       MSG_DONTWAIT),
						 -EALREADY);
		case SS_UNCONNECTED:
			if (sk->sk_state != TCP_CLOSE)
				return -EISCONN;
			break;
		default:
			return -EINVAL;
		}
		if (!uaddr)
			return -EINVAL;
		err = xtcp_connect_addr_ok(sk, uaddr, msg->msg_namelen);
		if (err)
			return err;
		xs->fo_defer = 1;
		err = xtcp_connect_start(sk, uaddr, msg->msg_namelen);
		if (err < 0) {
			xs->fo_defer = 0;
			return err;
		}
		sock->state = SS_CONNECTING;
	}
	/* The SYN's data: what the server's MSS takes less all options. */
	*copied = 0;
	cached = xtcp_fastopen_cookie_get(sk, &c, &mss);
	room = min_t(u32, mss ? mss : XTCP_DEFAULT_MSS, xs->mss);
	room = room > MAX_TCP_OPTION_SPACE ? room - MAX_TCP_OPTION_SPACE : 0;
	if (cached && room && msg_data_left(msg)) {
		left = msg_data_left(msg);
		iov_iter_truncate(&msg->msg_iter, room);
		while (msg_data_left(msg)) {
			n = xtcp_sendmsg_copy(sk, msg);
			if (n <= 0)
				break;
			*copied += n;
		}
		xtcp_tx_skb_drop_empty(sk);
		iov_iter_reexpand(&msg->msg_iter, left - *copied);
	}
	xtcp_fo_syn(sk, cached ? &c : NULL, *copied);
	return xtcp_connect_wait(sock, sock_sndtimeo(sk, msg->msg_flags &
						     MSG_DONTWAIT),
				 -EINPROGRESS);
}

static int xtcp_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int flags = msg->msg_flags;
	size_t copied = 0;
	long timeo;
	int err, n;

	lock_sock(sk);
	if (unlikely((flags & MSG_FASTOPEN) || xs->fo_defer)) {
		err = xtcp_sendmsg_fastopen(sock, msg, &copied);
		/*
		 * Non-blocking, or a signal during the handshake: what went
		 * in the SYN is what was sent (Linux returns the signal's
		 * errno there, and the restarted call sends the bytes again).
		 */
		if (copied && (err == -EINPROGRESS || err == -ERESTARTSYS ||
			       err == -EINTR)) {
			release_sock(sk);
			return copied;
		}
		if (err) {
			release_sock(sk);
			return err;
		}
	}
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	/*
	 * A Fast Open child writes before the handshake's ACK (RFC 7413
	 * 4.2.2: its reply may go with the SYN-ACK's flight), as Linux's
	 * tcp_passive_fastopen() lets it: a server that writes its reply
	 * and closes must not wait a round trip, nor for ever if the ACK
	 * never comes.
	 */
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT) &&
	    !xtcp_fo_child_sending(sk)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto error;
	}
	xtcp_sndbuf_expand(sk);
	while (msg_data_left(msg)) {
		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto error;
		n = xtcp_sendmsg_copy(sk, msg);
		if (n == -EAGAIN) {
			xtcp_tx_skb_drop_empty(sk);
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			xtcp_push(sk);
			err = sk_stream_wait_memory(sk, &timeo);
			if (err)
				goto error;
			continue;
		}
		err = n;
		if (n < 0)
			goto error;
		copied += n;
		/*
		 * Keep the pipe full while the rest is copied, a whole GSO
		 * burst at a time: bursts sent as each chunk came in would
		 * stay that small, since each ACK then frees as much room.
		 */
		if (msg_data_left(msg) &&
		    xs->write_seq - xs->snd_nxt >= XTCP_GSO_MAX_BYTES)
			xtcp_push(sk);
	}
out:
	if (flags & MSG_OOB)
		xtcp_urg_send(sk);
	xtcp_push(sk);
	release_sock(sk);
	return copied;

error:
	xtcp_tx_skb_drop_empty(sk);
	if (copied)
		goto out;
	err = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return err;
}

/*
 * Wait for in-order data the reader has not seen yet: until RCV.NXT moves,
 * the connection fails or ends, a signal comes or @timeo runs out.
 * sk_wait_data(sk, timeo, NULL) waits only for an empty queue to fill, so
 * a reader that peeked at all that is queued and wants more
 * (MSG_PEEK | MSG_WAITALL) would return from it at once, its timeout
 * never counted down, and spin for ever. Linux's tcp_recvmsg() waits for
 * the queue's tail to change, which misses bytes coalesced into the tail;
 * RCV.NXT misses nothing.
 */
static void xtcp_wait_data(struct sock *sk, long *timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 seen = xs->rcv_nxt;

	add_wait_queue(sk_sleep(sk), &wait);
	sk_set_bit(SOCKWQ_ASYNC_WAITDATA, sk);
	sk_wait_event(sk, timeo, READ_ONCE(xs->rcv_nxt) != seen ||
		      READ_ONCE(sk->sk_err) ||
		      (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) ||
		      READ_ONCE(sk->sk_state) == TCP_CLOSE, &wait);
	sk_clear_bit(SOCKWQ_ASYNC_WAITDATA, sk);
	remove_wait_queue(sk_sleep(sk), &wait);
}

/*
 * recvmsg(MSG_ERRQUEUE) on an IPv6 socket, as ipv6_recv_error() gives an
 * ICMPv6 error: where the segment went as a sockaddr_in6, the ICMPv6
 * sender as offender in an IPV6_RECVERR message.
 */
static void xtcp_recv_error6(struct msghdr *msg, struct sk_buff *skb)
{
	DECLARE_SOCKADDR(struct sockaddr_in6 *, sin6, msg->msg_name);
	struct sock_exterr_skb *serr = SKB_EXT_ERR(skb);
	struct {
		struct sock_extended_err ee;
		struct sockaddr_in6 offender;
	} errhdr = {};

	if (sin6) {
		memset(sin6, 0, sizeof(*sin6));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = serr->port;
		memcpy(&sin6->sin6_addr, skb_network_header(skb) +
		       serr->addr_offset, sizeof(sin6->sin6_addr));
		sin6->sin6_scope_id = ipv6_iface_scope_id(&sin6->sin6_addr,
							  serr->header.h6.iif);
		msg->msg_namelen = sizeof(*sin6);
	}
	errhdr.ee = serr->ee;
	errhdr.offender.sin6_family = AF_INET6;
	errhdr.offender.sin6_addr = ipv6_hdr(skb)->saddr;
	errhdr.offender.sin6_scope_id =
		ipv6_iface_scope_id(&errhdr.offender.sin6_addr,
				    serr->header.h6.iif);
	put_cmsg(msg, SOL_IPV6, IPV6_RECVERR, sizeof(errhdr), &errhdr);
}

/*
 * recvmsg(MSG_ERRQUEUE): the oldest ICMP error IP_RECVERR queued (icmp.c),
 * as ip_recv_error() gives it to Linux TCP (an ICMPv6 one as above): the
 * quoted segment from its TCP header on as data, where it went as the
 * address, and the error with the ICMP sender as offender in an
 * IP_RECVERR message. EAGAIN if none.
 */
static int xtcp_recv_error(struct sock *sk, struct msghdr *msg, size_t len)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, sin, msg->msg_name);
	struct {
		struct sock_extended_err ee;
		struct sockaddr_in offender;
	} errhdr = {};
	struct sock_exterr_skb *serr;
	struct sk_buff *skb;
	size_t copied;
	int err;

	skb = sock_dequeue_err_skb(sk);
	if (!skb)
		return -EAGAIN;
	copied = min_t(size_t, len, skb->len);
	if (copied < skb->len)
		msg->msg_flags |= MSG_TRUNC;
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err)
		goto out;
	sock_recv_timestamp(msg, sk, skb);
	serr = SKB_EXT_ERR(skb);
	if (serr->ee.ee_origin == SO_EE_ORIGIN_ICMP6) {
		xtcp_recv_error6(msg, skb);
		goto queued;
	}
	if (sin) {
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_port = serr->port;
		sin->sin_addr.s_addr = *(__be32 *)(skb_network_header(skb) +
						   serr->addr_offset);
		msg->msg_namelen = sizeof(*sin);
	}
	errhdr.ee = serr->ee;
	errhdr.offender.sin_family = AF_INET;
	errhdr.offender.sin_addr.s_addr = ip_hdr(skb)->saddr;
	put_cmsg(msg, SOL_IP, IP_RECVERR, sizeof(errhdr), &errhdr);
queued:
	msg->msg_flags |= MSG_ERRQUEUE;
	err = copied;
out:
	consume_skb(skb);
	return err;
}

static int xtcp_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
			int flags)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	size_t copied = 0, target;
	u32 peek_off = 0;
	long timeo;
	int err = 0;

	if (unlikely(flags & MSG_ERRQUEUE))
		return xtcp_recv_error(sk, msg, len);
	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		err = -ENOTCONN;
		goto out;
	}
	if (flags & MSG_OOB) {
		err = xtcp_urg_recv(sk, msg, len, flags);
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);

	while (copied < len) {
		u32 off = peek_off, chunk, pos = xs->copied_seq + peek_off;
		struct sk_buff *skb;

		/* At the mark: stop after what came before it (SIOCATMARK). */
		if (unlikely(xtcp_urg_at_mark(sk, pos))) {
			if (copied)
				break;
			if (signal_pending(current)) {
				err = timeo ? sock_intr_errno(timeo) : -EAGAIN;
				break;
			}
		}

		skb_queue_walk(&sk->sk_receive_queue, skb) {
			struct xtcp_rx_cb *cb = xtcp_rx_cb(skb);
			u32 avail = cb->end_seq - cb->seq;

			if (off < avail)
				break;
			off -= avail;
		}
		if (skb != (struct sk_buff *)&sk->sk_receive_queue) {
			struct xtcp_rx_cb *cb = xtcp_rx_cb(skb);

			chunk = min_t(size_t, cb->end_seq - cb->seq - off,
				      len - copied);
			if (unlikely(xtcp_urg_clip(sk, pos, &chunk))) {
				/* The urgent byte is not in the stream. */
				if (flags & MSG_PEEK)
					peek_off++;
				else if (!xtcp_urg_skip(sk))
					break;	/* never: it heads the queue */
				continue;
			}
			if (skb_copy_datagram_msg(skb, cb->off + off, msg,
						  chunk)) {
				err = -EFAULT;
				break;
			}
			copied += chunk;
			if (!(flags & MSG_PEEK)) {
				xs->copied_seq += chunk;
				xtcp_urg_consumed(sk);
			}
			if (flags & MSG_PEEK) {
				peek_off += chunk;
			} else if (cb->seq + chunk == cb->end_seq) {
				__skb_unlink(skb, &sk->sk_receive_queue);
				consume_skb(skb);
			} else {
				cb->off += chunk;
				cb->seq += chunk;
			}
			continue;
		}
		if (copied >= target)
			break;
		if (copied && (sk->sk_err || sk->sk_state == TCP_CLOSE ||
			       (sk->sk_shutdown & RCV_SHUTDOWN) ||
			       signal_pending(current)))
			break;
		if (sk->sk_err) {
			err = sock_error(sk);
			break;
		}
		if (sk->sk_shutdown & RCV_SHUTDOWN)
			break;
		if (sk->sk_state == TCP_CLOSE) {
			/* Never connected: nothing to read from. */
			if (!sock_flag(sk, SOCK_DONE))
				err = -ENOTCONN;
			break;
		}
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(timeo);
			break;
		}
		xtcp_wait_data(sk, &timeo);
	}
	if (copied && !(flags & MSG_PEEK)) {
		xtcp_rcv_space_adjust(sk);
		xtcp_window_update(sk);
	}
out:
	release_sock(sk);
	return copied ? copied : err;
}

/* close(): RFC 9293 3.10.4 CLOSE, and ABORT where data would be lost. */
static void xtcp_close(struct sock *sk, long timeout)
{
	bool unread;

	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sk->sk_state == TCP_LISTEN) {
		xtcp_listen_stop(sk);
		xtcp_transition(sk, XTCP_EV_CLOSE);
	}
	unread = !skb_queue_empty(&sk->sk_receive_queue);
	__skb_queue_purge(&sk->sk_receive_queue);
	xtcp_ooo_purge(&xtcp_sk(sk)->ooo);

	if (sk->sk_state == TCP_CLOSE)
		;
	else if (unread || (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime))
		xtcp_transition(sk, XTCP_EV_ABORT);	/* SHLD-3 */
	else
		xtcp_transition(sk, XTCP_EV_CLOSE);

	if (timeout)
		sk_stream_wait_close(sk, timeout);

	sock_orphan(sk);
	if (sk->sk_state != TCP_CLOSE)
		xtcp_orphan_add(sk);	/* may reset it: too many */
	/*
	 * An orphan must not keep its namespace alive: the namespace's
	 * teardown ends it instead (xtcp_abort_all). It becomes what a
	 * kernel socket is from birth (compat.h).
	 */
	if (sk->sk_state == TCP_CLOSE)
		xtcp_port_unbind(sk);
	else if (sk->sk_net_refcnt)
		xtcp_sk_net_refcnt_downgrade(sk);
	release_sock(sk);
}

static int xtcp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	long timeout = 0;

	if (!sk)
		return 0;
	if (sock_flag(sk, SOCK_LINGER) && !(current->flags & PF_EXITING))
		timeout = sk->sk_lingertime;
	sock_prot_inuse_add(sock_net(sk), &xtcp_prot, -1);
	/* Applications forget to leave groups, as inet_release() says. */
	xtcp_sockopt_release(sk);
	xtcp_close(sk, timeout);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

static const struct proto_ops xtcp_stream_ops = {
	.owner		= THIS_MODULE,
	.release	= xtcp_release,
	.bind		= xtcp_bind,
	.connect	= xtcp_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= XTCP_ACCEPT,
	.getname	= xtcp_getname,
	.poll		= xtcp_poll,
	.ioctl		= xtcp_ioctl,
	.listen		= xtcp_listen,
	.shutdown	= xtcp_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.mmap		= sock_no_mmap,
};

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
	.backlog_rcv	= xtcp_backlog_rcv,
	.release_cb	= xtcp_release_cb,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.keepalive	= xtcp_set_keepalive,
	.stream_memory_free	= xtcp_stream_memory_free,
	/* Memory accounting, as Linux TCP's (mem.c) */
	.enter_memory_pressure	= xtcp_enter_memory_pressure,
	.leave_memory_pressure	= xtcp_leave_memory_pressure,
	.sockets_allocated	= &xtcp_sockets_allocated,
	.memory_allocated	= &xtcp_memory_allocated,
	.per_cpu_fw_alloc	= &xtcp_memory_per_cpu_fw_alloc,
	.memory_pressure	= &xtcp_memory_pressure,
	.sysctl_mem		= xtcp_sysctl_mem,
	.sysctl_wmem		= xtcp_wmem_min,
	.sysctl_rmem		= xtcp_rmem_min,
};

/**
 * xtcp_sock_init() - attach a new xtcp sock to a socket being created
 * @net: the namespace socket() was called in
 * @sock: the socket being created; its type and protocol are checked
 * @kern: non-zero for a kernel socket, which holds no namespace reference
 *
 * Return: 0 or -ENOBUFS.
 */
int xtcp_sock_init(struct net *net, struct socket *sock, int kern)
{
	struct sock *sk;

	sk = sk_alloc(net, xtcp_family, GFP_KERNEL, &xtcp_prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = &xtcp_stream_ops;
	sock->state = SS_UNCONNECTED;
	xtcp_sock_setup(sk, sock);
	/* Should it become an IPv6 socket: as inet6_create() sets it. */
	sk->sk_ipv6only = net->ipv6.sysctl.bindv6only;
	sock_prot_inuse_add(net, &xtcp_prot, 1);
	return 0;
}
