// SPDX-License-Identifier: GPL-2.0
/*
 * The IPv6 half of the socket calls: bind(), connect() and getsockname()
 * with a struct sockaddr_in6.
 *
 * One xtcp socket serves both families; the first bind() or connect()
 * decides. A sockaddr_in makes an IPv4 socket as before (sock.c), a
 * sockaddr_in6 an IPv6 one: its table entry is a struct xtcp_hnode6 in the
 * namespace's IPv6 table, its addresses are sk_v6_rcv_saddr and
 * sk_v6_daddr as for Linux's AF_INET6 sockets, and its ports those of
 * struct inet_sock as for IPv4. getsockname(), getpeername() and accept()
 * give back the form the socket was made with.
 *
 * Like Linux's AF_INET6 sockets, an IPv6 socket also reaches IPv4 peers
 * through v4-mapped addresses (::ffff:a.b.c.d) unless IPV6_V6ONLY is set
 * (its default from net.ipv6.bindv6only): a listener bound to [::] takes
 * IPv4 clients too, and connect() to a v4-mapped address makes an IPv4
 * connection. Such a connection is an IPv4 one in every table and on the
 * wire; only the socket calls show its addresses v4-mapped (v4mapped).
 *
 * bind() to a v4-mapped address makes an IPv4 socket shown v4-mapped.
 *
 * Fragments. IPv4 reassembles a datagram before NF_INET_LOCAL_IN, where
 * xtcp's hook takes its segments; IPv6 only after it, in the fragment
 * header's handler that ip6_input_finish() runs once the hook has passed
 * the datagram. xtcp's hook would see each fragment alone: the first
 * with a TCP header whose checksum covers bytes not there, the others
 * with none, and the segment would be lost (Linux TCP gets it whole).
 * So an IPv6 socket turns on netfilter's IPv6 defragmentation in its
 * namespace, as conntrack, xt_socket and TPROXY do for the same reason
 * (nf_defrag_ipv6_enable(), exported by 6.1 and 6.12): fragments are put
 * together at NF_INET_PRE_ROUTING, before routing. What that does to the
 * namespace is what loading conntrack does: every IPv6 datagram is
 * whole from there on, a forwarded one too (it leaves fragmented as it
 * came, by its largest fragment's size: IP6CB()->frag_max_size), and
 * firewall rules see whole datagrams; reassembly takes
 * net.netfilter.nf_conntrack_frag6_* as its limits. Namespaces without
 * an IPv6 xtcp socket are left alone, and it stays on until the
 * namespace or xtcp goes. The other ways were worse: calling
 * nf_ct_frag6_gather() from xtcp's own hook would reassemble every local
 * IPv6 datagram there, not only TCP's (a later fragment does not say what
 * it carries), with netfilter's reassembler in place of IPv6's own (no
 * "fragment reassembly time exceeded" to the sender), and an xtcp
 * reassembler of its own would copy inet_frag's.
 */

#include <linux/in6.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <net/addrconf.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/ip6_route.h>
#include <net/inet_ecn.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <xtcp/isn.h>
#include <xtcp/proto.h>
#include <xtcp/table.h>

static DEFINE_MUTEX(xtcp_defrag6_mutex);

/*
 * nf_defrag_ipv6 is a module of its own in distribution kernels. xtcp
 * takes its two functions with symbol_get() rather than linking to them,
 * so that a plain "insmod xtcp.ko" works without it loaded: the first
 * IPv6 socket loads it, and xtcp holds it until xtcp goes. Without it
 * (not built, or not loadable) IPv6 works, but a segment that arrives in
 * fragments is lost, as it was before.
 */
static struct {
	int (*enable)(struct net *net);
	void (*disable)(struct net *net);
} xtcp_nf_defrag6;

static void xtcp_defrag6_release(void)
{
	if (xtcp_nf_defrag6.enable)
		symbol_put(nf_defrag_ipv6_enable);
	if (xtcp_nf_defrag6.disable)
		symbol_put(nf_defrag_ipv6_disable);
	xtcp_nf_defrag6.enable = NULL;
	xtcp_nf_defrag6.disable = NULL;
}

static void xtcp_defrag6_lookup(void)
{
	xtcp_nf_defrag6.enable = symbol_get(nf_defrag_ipv6_enable);
	xtcp_nf_defrag6.disable = symbol_get(nf_defrag_ipv6_disable);
	if (!xtcp_nf_defrag6.enable || !xtcp_nf_defrag6.disable)
		xtcp_defrag6_release();
}

/* With xtcp_defrag6_mutex held; may sleep (loads the module). */
static bool xtcp_defrag6_load(void)
{
	if (xtcp_nf_defrag6.enable)
		return true;
	xtcp_defrag6_lookup();
	if (!xtcp_nf_defrag6.enable && !request_module("nf_defrag_ipv6"))
		xtcp_defrag6_lookup();
	if (!xtcp_nf_defrag6.enable)
		pr_warn_once("xtcp: no nf_defrag_ipv6: IPv6 segments in fragments will be lost\n");
	return xtcp_nf_defrag6.enable;
}

/**
 * xtcp_defrag6_get() - IPv6 datagrams whole at xtcp's hook in @net
 * @net: the namespace of a new IPv6 socket
 *
 * Turns netfilter's IPv6 defragmentation on in @net, once (see above);
 * xtcp_defrag6_put() turns it off when the namespace or xtcp goes.
 *
 * Context: process context; may sleep.
 * Return: 0, or a negative errno.
 */
int xtcp_defrag6_get(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	int err = 0;

	if (!IS_ENABLED(CONFIG_NF_DEFRAG_IPV6) || READ_ONCE(xn->defrag6))
		return 0;
	mutex_lock(&xtcp_defrag6_mutex);
	if (!xn->defrag6 && xtcp_defrag6_load()) {
		err = xtcp_nf_defrag6.enable(net);
		if (!err)
			WRITE_ONCE(xn->defrag6, true);
	}
	mutex_unlock(&xtcp_defrag6_mutex);
	return err;
}

void xtcp_defrag6_put(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);

	if (!IS_ENABLED(CONFIG_NF_DEFRAG_IPV6) || !xn->defrag6)
		return;
	xtcp_nf_defrag6.disable(net);
	xn->defrag6 = false;
}

/* After every namespace's xtcp_defrag6_put(): nf_defrag_ipv6 may go. */
void xtcp_defrag6_module_exit(void)
{
	mutex_lock(&xtcp_defrag6_mutex);
	xtcp_defrag6_release();
	mutex_unlock(&xtcp_defrag6_mutex);
}

/**
 * xtcp_defrag6_fixup() - a datagram netfilter put together, as IPv6's
 *	input expects it
 * @skb: at NF_INET_LOCAL_IN, reassembled (IP6SKB_FRAGMENTED)
 *
 * nf_ct_frag6_reasm() leaves the transport header past every extension
 * header, but IPv6's input parses them again from IP6CB()->nhoff on,
 * after pulling to the transport header (ip6_protocol_deliver_rcu()):
 * with a Destination Options header before the Fragment header it would
 * read the TCP or UDP header as one, and drop the datagram. Linux with
 * conntrack has the same flaw; xtcp must not bring it to a namespace
 * without. The transport header goes back where ip6_rcv_core() had it:
 * after the IPv6 header and its Hop-by-Hop Options.
 */
void xtcp_defrag6_fixup(struct sk_buff *skb)
{
	unsigned int off = sizeof(struct ipv6hdr);

	if (IP6CB(skb)->flags & IP6SKB_HOPBYHOP)
		off += ipv6_optlen((struct ipv6_opt_hdr *)
				   (skb_network_header(skb) + off));
	skb->transport_header = skb->network_header + off;
}

/*
 * A link-local address needs its link: the scope id binds the socket to
 * that device, as __inet6_bind() and tcp_v6_connect() do.
 */
static int xtcp_v6_scope(struct sock *sk, const struct sockaddr_in6 *sin6,
			 int len)
{
	struct net_device *dev;
	bool found;

	if (!(ipv6_addr_type(&sin6->sin6_addr) & IPV6_ADDR_LINKLOCAL))
		return 0;
	if (len >= sizeof(*sin6) && sin6->sin6_scope_id) {
		if (sk->sk_bound_dev_if &&
		    sk->sk_bound_dev_if != sin6->sin6_scope_id)
			return -EINVAL;
		rcu_read_lock();
		dev = dev_get_by_index_rcu(sock_net(sk), sin6->sin6_scope_id);
		found = dev;
		rcu_read_unlock();
		if (!found)
			return -ENODEV;
		sk->sk_bound_dev_if = sin6->sin6_scope_id;
	}
	return sk->sk_bound_dev_if ? 0 : -EINVAL;
}

/**
 * xtcp_bind6() - bind() with a struct sockaddr_in6
 * @sk: the socket
 * @sin6: the address, its family AF_INET6
 * @len: its length
 * @sin: where a v4-mapped address goes, as a struct sockaddr_in
 *
 * A v4-mapped address (::ffff:a.b.c.d) binds as __inet6_bind() does: the
 * socket becomes an IPv4 one whose calls show its addresses v4-mapped
 * (the caller binds @sin and sets v4mapped); IPV6_V6ONLY says EINVAL.
 *
 * Return: 0, 1 for a v4-mapped address in @sin, or Linux TCP's errno for
 * the same call on an AF_INET6 socket.
 */
int xtcp_bind6(struct sock *sk, const struct sockaddr_in6 *sin6, int len,
	       struct sockaddr_in *sin)
{
	struct net *net = sock_net(sk);
	u16 port = ntohs(sin6->sin6_port);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int type, err;
	bool was_v6;

	if (len < SIN6_LEN_RFC2133)
		return -EINVAL;
	type = ipv6_addr_type(&sin6->sin6_addr);
	if (type & IPV6_ADDR_MAPPED) {
		if (sk->sk_ipv6only)
			return -EINVAL;
		*sin = (struct sockaddr_in){
			.sin_family = AF_INET,
			.sin_port = sin6->sin6_port,
			.sin_addr.s_addr = sin6->sin6_addr.s6_addr32[3],
		};
		return 1;
	}
	if (type & IPV6_ADDR_MULTICAST)
		return -EADDRNOTAVAIL;
	if (port && inet_port_requires_bind_service(net, port) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;
	err = xtcp_defrag6_get(net);
	if (err)
		return err;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || xs->port ||
	    (!xs->h.v6 && inet_sk(sk)->inet_rcv_saddr))
		goto out;
	err = xtcp_v6_scope(sk, sin6, len);
	if (err)
		goto out;
	err = 0;
	if (type != IPV6_ADDR_ANY) {
		rcu_read_lock();
		if (!ipv6_chk_addr(net, &sin6->sin6_addr,
				   dev_get_by_index_rcu(net,
							sk->sk_bound_dev_if),
				   0))
			err = -EADDRNOTAVAIL;
		rcu_read_unlock();
	}
	if (err)
		goto out;
	/*
	 * The port is held for both families: an IPv6 socket bound to a
	 * port conflicts with every IPv4 one on it, as a dual-stack socket
	 * does in Linux. Its shadow in Linux's table is an IPv6 one
	 * (table.c): the socket is IPv6 from here on. Port 0 with
	 * IP_BIND_ADDRESS_NO_PORT: the address now, the port at connect(),
	 * shared by 4-tuple (xtcp_port_connect()), as for IPv4 (sock.c).
	 */
	was_v6 = xs->h.v6;
	xs->h.v6 = 1;
	if (port || !inet_test_bit(BIND_ADDRESS_NO_PORT, sk)) {
		err = xtcp_port_bind(sk, htonl(INADDR_ANY), port);
		if (err) {
			xs->h.v6 = was_v6;
			goto out;
		}
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	}
	sk->sk_v6_rcv_saddr = sin6->sin6_addr;
	if (type != IPV6_ADDR_ANY)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
out:
	release_sock(sk);
	return err;
}

/* Undo what a failed xtcp_connect6() set. */
static void xtcp_connect6_undo(struct sock *sk)
{
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		xtcp_port_unbind(sk);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		sk->sk_v6_rcv_saddr = in6addr_any;
	sk->sk_v6_daddr = in6addr_any;
	inet_sk(sk)->inet_dport = 0;
}

/**
 * xtcp_connect6() - the prot-level half of connect() to an IPv6 address
 * @sk: the socket, locked, in CLOSE
 * @sin6: the address, its family AF_INET6
 * @len: its length
 * @sin: set for a v4-mapped address: the IPv4 address to connect to
 *
 * As tcp_v6_connect(): the route, the source address it gives unless
 * bound, a local port, the ISN, then the SYN.
 *
 * Return: 0, 1 when the caller is to connect to @sin over IPv4 instead,
 * or a negative errno.
 */
int xtcp_connect6(struct sock *sk, const struct sockaddr_in6 *sin6, int len,
		  struct sockaddr_in *sin)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct in6_addr daddr = sin6->sin6_addr;
	struct dst_entry *dst;
	struct xtcp_key6 key;
	struct flowi6 fl6;
	u32 iss = 0;
	int type, err;

	if (len < SIN6_LEN_RFC2133)
		return -EINVAL;
	if (!xs->h.v6 && !xs->v4mapped && (xs->port || inet->inet_rcv_saddr))
		return -EAFNOSUPPORT;	/* bound as IPv4 */
	type = ipv6_addr_type(&daddr);
	if (type & IPV6_ADDR_MAPPED) {
		/* An IPv4 connection, as tcp_v6_connect() makes one. */
		if (sk->sk_ipv6only)
			return -ENETUNREACH;
		if (xs->h.v6 && !ipv6_addr_any(&sk->sk_v6_rcv_saddr))
			return -EAFNOSUPPORT;	/* bound to an IPv6 address */
		*sin = (struct sockaddr_in){
			.sin_family = AF_INET,
			.sin_port = sin6->sin6_port,
			.sin_addr.s_addr = daddr.s6_addr32[3],
		};
		xs->h.v6 = 0;
		xs->v4mapped = 1;
		return 1;
	}
	/* MUST-46: no connection to a multicast address. */
	if (type & IPV6_ADDR_MULTICAST)
		return -ENETUNREACH;
	/* To the unspecified address means to this host, as in Linux. */
	if (type == IPV6_ADDR_ANY)
		daddr = in6addr_loopback;
	err = xtcp_v6_scope(sk, sin6, len);
	if (err)
		return err;

	key = (struct xtcp_key6){
		.laddr = sk->sk_v6_rcv_saddr,
		.raddr = daddr,
		.lport = inet->inet_sport,
		.rport = sin6->sin6_port,
	};
	dst = xtcp_route6(net, sk, &fl6, &key, 0);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	dst_release(dst);
	err = xtcp_defrag6_get(net);
	if (err)
		return err;

	xs->h.v6 = 1;
	/* MUST-44: the source address the route chose, unless bound. */
	if (ipv6_addr_any(&sk->sk_v6_rcv_saddr))
		sk->sk_v6_rcv_saddr = fl6.saddr;
	sk->sk_v6_daddr = daddr;
	inet->inet_dport = sin6->sin6_port;
	err = 0;
	/* A port shared by 4-tuple, as Linux's connect() takes (table.c). */
	if (!xs->port)
		err = xtcp_port_connect(sk, &iss);
	xs->h6.key6 = (struct xtcp_key6){
		.laddr = sk->sk_v6_rcv_saddr,
		.raddr = sk->sk_v6_daddr,
		.lport = inet->inet_sport,
		.rport = inet->inet_dport,
	};
	/* For tracing: folds of the addresses (struct xtcp_hnode). */
	xs->h.key = (struct xtcp_key){
		(__force __be32)ipv6_addr_hash(&xs->h6.key6.laddr),
		(__force __be32)ipv6_addr_hash(&xs->h6.key6.raddr),
		inet->inet_sport, inet->inet_dport,
	};
	if (!err)
		err = xtcp_hash(sk, NULL);
	if (err) {
		xtcp_connect6_undo(sk);
		return err == -EADDRINUSE ? -EADDRNOTAVAIL : err;
	}
	xs->adv_mss = xtcp_route_mss(sk);
	xtcp_snd_mss_set(xs, xs->adv_mss);
	xtcp_offer_options(sk);
	xs->iss = iss ? : xtcp_isn6(&xs->h6.key6.laddr, &xs->h6.key6.raddr,
				    inet->inet_sport, inet->inet_dport);
	xtcp_transition(sk, XTCP_EV_CONNECT);
	return 0;
}

/**
 * xtcp_getname6() - getsockname() and getpeername() of an IPv6 socket
 * @sk: the socket, locked
 * @sin6: where to write
 * @peer: nonzero for the peer's address
 *
 * Return: the length written, or -ENOTCONN.
 */
int xtcp_getname6(struct sock *sk, struct sockaddr_in6 *sin6, int peer)
{
	struct inet_sock *inet = inet_sk(sk);
	const struct in6_addr *addr;

	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	if (xtcp_sk(sk)->v4mapped) {
		if (peer && (!inet->inet_dport ||
			     (((1 << sk->sk_state) &
			       (TCPF_CLOSE | TCPF_SYN_SENT)) && peer == 1)))
			return -ENOTCONN;
		sin6->sin6_port = peer ? inet->inet_dport : inet->inet_sport;
		ipv6_addr_set_v4mapped(peer ? inet->inet_daddr :
				       inet->inet_rcv_saddr ?: inet->inet_saddr,
				       &sin6->sin6_addr);
		return sizeof(*sin6);
	}
	if (peer) {
		if (!inet->inet_dport ||
		    (((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT)) &&
		     peer == 1))
			return -ENOTCONN;
		sin6->sin6_port = inet->inet_dport;
		addr = &sk->sk_v6_daddr;
	} else {
		sin6->sin6_port = inet->inet_sport;
		addr = &sk->sk_v6_rcv_saddr;
	}
	sin6->sin6_addr = *addr;
	sin6->sin6_scope_id = ipv6_iface_scope_id(addr, sk->sk_bound_dev_if);
	return sizeof(*sin6);
}

/**
 * xtcp_ipv6_setsockopt() - setsockopt(SOL_IPV6)
 * @sk: the socket
 * @optname: the option
 * @optval: its value
 * @optlen: its length
 *
 * IPV6_V6ONLY may change only before the socket has a port, as in Linux.
 * IPV6_RECVERR off empties the error queue, as in Linux.
 * IPV6_TCLASS (-1 is 0, RFC 3542 6.5) and IPV6_UNICAST_HOPS (-1: the
 * route's) go into every IPv6 header the socket sends (output.c), as
 * Linux TCP's do; as for its stream sockets, the ECN bits of the traffic
 * class stay TCP's.
 *
 * Return: 0, -EINVAL, -EFAULT, or -ENOPROTOOPT for other options.
 */
int xtcp_ipv6_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			 unsigned int optlen)
{
	int val, err = 0;

	if (optname != IPV6_V6ONLY && optname != IPV6_RECVERR &&
	    optname != IPV6_TCLASS && optname != IPV6_UNICAST_HOPS)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	if (optname == IPV6_TCLASS) {
		if (val < -1 || val > 0xff)
			return -EINVAL;
		WRITE_ONCE(xtcp_sk(sk)->tclass, val == -1 ? 0 :
			   val & ~INET_ECN_MASK);
		return 0;
	}
	if (optname == IPV6_UNICAST_HOPS) {
		if (val < -1 || val > 255)
			return -EINVAL;
		WRITE_ONCE(xtcp_sk(sk)->hop_limit, val);
		return 0;
	}
	lock_sock(sk);
	if (optname == IPV6_RECVERR) {
		xtcp_sk(sk)->recverr6 = !!val;
		if (!val)
			skb_queue_purge(&sk->sk_error_queue);
	} else if (inet_sk(sk)->inet_num) {
		err = -EINVAL;
	} else {
		sk->sk_ipv6only = !!val;
	}
	release_sock(sk);
	return err;
}

/**
 * xtcp_ipv6_getsockopt() - getsockopt(SOL_IPV6)
 * @sk: the socket
 * @optname: the option
 * @optval: where to write
 * @optlen: its length, in and out
 *
 * IPV6_UNICAST_HOPS left to the route reads as the namespace's default
 * hop limit, as Linux's does for a socket with no cached route.
 *
 * Return: 0, -EINVAL, -EFAULT, or -ENOPROTOOPT for other options.
 */
int xtcp_ipv6_getsockopt(struct sock *sk, int optname, char __user *optval,
			 int __user *optlen)
{
	int len, val;

	switch (optname) {
	case IPV6_V6ONLY:
		val = sk->sk_ipv6only;
		break;
	case IPV6_TCLASS:
		val = READ_ONCE(xtcp_sk(sk)->tclass);
		break;
	case IPV6_UNICAST_HOPS:
		val = READ_ONCE(xtcp_sk(sk)->hop_limit);
		if (val < 0)
			val = READ_ONCE(sock_net(sk)->ipv6.devconf_all->hop_limit);
		break;
	case IPV6_RECVERR:
		val = xtcp_sk(sk)->recverr6;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}
