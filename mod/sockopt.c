// SPDX-License-Identifier: GPL-2.0
/*
 * Socket options and ioctls.
 *
 * Programs written for Linux TCP must work unchanged, so the option
 * numbers are those of <linux/tcp.h> and every errno is the one Linux TCP
 * returns for the same call (net/ipv4/tcp.c was the reference):
 *
 *   SOL_SOCKET  never reaches this file: the socket layer handles it for
 *               every family (sock_setsockopt, sk_getsockopt) and calls
 *               our .keepalive hook for SO_KEEPALIVE (timer.c)
 *   SOL_IP      the IP layer's own ip_setsockopt and ip_getsockopt, less
 *               what Linux refuses a TCP socket (xtcp_ip_setsockopt)
 *   SOL_TCP     below; an option xtcp does not know is ENOPROTOOPT, a
 *               value shorter than an int EINVAL
 *
 * Keepalive and TCP_USER_TIMEOUT are timers (timer.c): here they are
 * only set and read.
 */

#include <linux/igmp.h>
#include <linux/rtnetlink.h>
#include <linux/sockptr.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/xfrm.h>
#include <asm/ioctls.h>
#include <xtcp/compat.h>
#include <xtcp/fastopen.h>
#include <xtcp/proto.h>
#include <xtcp/urgent.h>

/* Linux TCP's bounds (include/net/tcp.h). */
#define XTCP_KEEPIDLE_MAX	32767	/* MAX_TCP_KEEPIDLE */
#define XTCP_KEEPINTVL_MAX	32767	/* MAX_TCP_KEEPINTVL */
#define XTCP_KEEPCNT_MAX	127	/* MAX_TCP_KEEPCNT */
#define XTCP_MSS_MIN		88	/* TCP_MIN_MSS */
#define XTCP_MSS_MAX		32767	/* MAX_TCP_WINDOW, Linux's bound */

/**
 * xtcp_sockopt_inherit() - a passive child takes its listener's options
 * @sk: the new child, not yet connected
 * @parent: the listener
 *
 * What Linux TCP's children inherit by being a copy of the listener.
 */
void xtcp_sockopt_inherit(struct sock *sk, const struct sock *parent)
{
	const struct xtcp_sock *lxs = xtcp_sk(parent);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (sock_flag(parent, SOCK_KEEPOPEN))
		sock_set_flag(sk, SOCK_KEEPOPEN);
	if (sock_flag(parent, SOCK_LINGER))
		sock_set_flag(sk, SOCK_LINGER);
	sk->sk_lingertime = READ_ONCE(parent->sk_lingertime);
	sk->sk_rcvlowat = READ_ONCE(parent->sk_rcvlowat);
	sk->sk_rcvtimeo = READ_ONCE(parent->sk_rcvtimeo);
	sk->sk_sndtimeo = READ_ONCE(parent->sk_sndtimeo);
	sk->sk_priority = READ_ONCE(parent->sk_priority);
	inet_sk(sk)->tos = READ_ONCE(inet_sk(parent)->tos);
	inet_sk(sk)->uc_ttl = READ_ONCE(inet_sk(parent)->uc_ttl);
	xs->tclass = READ_ONCE(lxs->tclass);
	xs->hop_limit = READ_ONCE(lxs->hop_limit);
	xs->nodelay = lxs->nodelay;
	xs->cork = lxs->cork;
	xs->cc.ops = READ_ONCE(lxs->cc.ops);
	xs->user_mss = READ_ONCE(lxs->user_mss);
	xs->keepidle = READ_ONCE(lxs->keepidle);
	xs->keepintvl = READ_ONCE(lxs->keepintvl);
	xs->keepcnt = READ_ONCE(lxs->keepcnt);
	xs->user_timeout = READ_ONCE(lxs->user_timeout);
	xs->notsent_lowat = READ_ONCE(lxs->notsent_lowat);
}

/* Unread bytes in order, as Linux's tcp_inq(): the peer's FIN is no byte. */
static int xtcp_inq(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int n;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		return 0;
	n = xs->rcv_nxt - xs->copied_seq;
	if (n && sock_flag(sk, SOCK_DONE))
		n--;
	return max(n, 0);
}

/**
 * xtcp_ioctl() - SIOCINQ (FIONREAD), SIOCOUTQ, SIOCOUTQNSD, SIOCATMARK
 * @sock: the socket
 * @cmd: the request
 * @arg: user address of the int answer
 *
 * As Linux's tcp_ioctl(): EINVAL on a listener, 0 during the handshake.
 * The output queues count our FIN once it is queued, as Linux's do.
 * SIOCATMARK (sockatmark()) answers in any state whether the next byte to
 * read is the urgent byte (mod/urgent.c).
 *
 * Return: 0, a negative errno, or -ENOIOCTLCMD for other requests.
 */
int xtcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
	case SIOCOUTQ:
	case SIOCOUTQNSD:
		break;
	case SIOCATMARK:
		answ = xtcp_urg_at_mark(sk, READ_ONCE(xs->copied_seq));
		return put_user(answ, (int __user *)arg);
	default:
		return -ENOIOCTLCMD;
	}
	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		release_sock(sk);
		return -EINVAL;
	}
	if (cmd == SIOCINQ)
		answ = xtcp_inq(sk);
	else if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		answ = 0;
	else if (cmd == SIOCOUTQ)
		answ = xs->write_seq - xs->snd_una;
	else
		answ = xs->write_seq - xs->snd_nxt;
	release_sock(sk);
	return put_user(answ, (int __user *)arg);
}

/* The path MTU towards the peer, as the route says; 0 if there is none. */
static u32 xtcp_path_mtu(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	const struct xtcp_key key = {
		.laddr = inet->inet_saddr, .raddr = inet->inet_daddr,
		.lport = inet->inet_sport, .rport = inet->inet_dport,
	};

	/* An IPv6 connection's route is IPv6's (it once read 0 or 65535). */
	if (xtcp_sk(sk)->h.v6)
		return xtcp_route_mtu6(sk, &xtcp_sk(sk)->h6.key6, 0);
	return xtcp_route_mtu4(sk, &key, 0);
}

/*
 * Linux TCP's TCP_INFO, with what xtcp has; the rest stays 0. For
 * getsockopt() and sock_diag (diag.c). Context: the socket's lock held.
 */
void xtcp_get_info(struct sock *sk, struct tcp_info *info)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = xs->mss ? : XTCP_DEFAULT_MSS;

	memset(info, 0, sizeof(*info));
	info->tcpi_state = sk->sk_state;
	if (sk->sk_state == TCP_LISTEN) {
		/* As Linux: the accept queue and its bound. */
		info->tcpi_unacked = xtcp_accept_qlen(xs);
		info->tcpi_sacked = READ_ONCE(sk->sk_max_ack_backlog);
		return;
	}
	info->tcpi_retransmits = xs->retries;
	info->tcpi_probes = xs->ka_probes;
	info->tcpi_backoff = xs->backoff;
	info->tcpi_rto = xtcp_rto_us(sk);
	info->tcpi_snd_mss = xs->mss;
	info->tcpi_rcv_mss = xs->rcv_mss;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT))) {
		info->tcpi_unacked = DIV_ROUND_UP(xs->snd_max - xs->snd_una,
						  mss);
		info->tcpi_last_data_recv = xtcp_ms_since(xs->data_tstamp);
		info->tcpi_last_ack_recv = xtcp_ms_since(xs->rcv_tstamp);
		info->tcpi_pmtu = xtcp_path_mtu(sk);
		info->tcpi_notsent_bytes = xs->write_seq - xs->snd_nxt;
	}
	info->tcpi_rtt = xs->rtt.srtt_us;
	info->tcpi_rttvar = xs->rtt.rttvar_us;
	/* Bytes in xtcp, segments in Linux; none yet is "infinite". */
	info->tcpi_snd_ssthresh = xs->cc.ssthresh && xs->cc.ssthresh < INT_MAX ?
				  xs->cc.ssthresh / mss : TCP_INFINITE_SSTHRESH;
	info->tcpi_snd_cwnd = xs->cc.cwnd / mss;
	/* Loss is declared at this many duplicates, as tcp_reordering. */
	info->tcpi_reordering = XTCP_SB_DUPTHRESH;
	info->tcpi_advmss = xs->adv_mss;
	info->tcpi_total_retrans = xs->total_retrans;
	info->tcpi_bytes_acked = xs->bytes_acked;
	info->tcpi_bytes_received = xs->bytes_received;
	info->tcpi_segs_in = xs->segs_in;
	info->tcpi_snd_wnd = xs->snd_wnd;
	xtcp_info_set_rcv_wnd(info, xs->rcv_wnd);
	info->tcpi_snd_wscale = xs->snd_wscale;
	info->tcpi_rcv_wscale = xs->rcv_wscale;
	if (xs->ts_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (xs->sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (xs->wscale_ok)
		info->tcpi_options |= TCPI_OPT_WSCALE;
	if (xs->ecn_ok)
		info->tcpi_options |= TCPI_OPT_ECN;
	if (xs->ecn_seen)
		info->tcpi_options |= TCPI_OPT_ECN_SEEN;
	if (xs->syn_data)
		info->tcpi_options |= TCPI_OPT_SYN_DATA;
	info->tcpi_ca_state = xs->in_recovery ? TCP_CA_Recovery :
			      xs->retries ? TCP_CA_Loss :
			      xs->ecn_cwr ? TCP_CA_CWR : TCP_CA_Open;
}

static int xtcp_set_tcp_int(struct sock *sk, int optname, int val)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	switch (optname) {
	case TCP_NODELAY:
		xs->nodelay = !!val;
		return 0;
	case TCP_CORK:
		xs->cork = !!val;
		return 0;
	case TCP_MAXSEG:
		/* 0 clears it; the bound applies at the next SYN. */
		if (val && (val < XTCP_MSS_MIN || val > XTCP_MSS_MAX))
			return -EINVAL;
		WRITE_ONCE(xs->user_mss, val);
		return 0;
	case TCP_KEEPIDLE:
		if (val < 1 || val > XTCP_KEEPIDLE_MAX)
			return -EINVAL;
		WRITE_ONCE(xs->keepidle, val);
		xtcp_timers_keepidle_changed(sk);
		return 0;
	case TCP_KEEPINTVL:
		if (val < 1 || val > XTCP_KEEPINTVL_MAX)
			return -EINVAL;
		WRITE_ONCE(xs->keepintvl, val);
		return 0;
	case TCP_KEEPCNT:
		if (val < 1 || val > XTCP_KEEPCNT_MAX)
			return -EINVAL;
		WRITE_ONCE(xs->keepcnt, val);
		return 0;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			return -EINVAL;
		WRITE_ONCE(xs->user_timeout, val);
		return 0;
	case TCP_NOTSENT_LOWAT:
		/* Any value, as Linux: a negative one is a large mark. */
		WRITE_ONCE(xs->notsent_lowat, val);
		sk->sk_write_space(sk);
		return 0;
	case TCP_FASTOPEN:
		/* As fastopen_queue_tune(): at most somaxconn, unsigned. */
		if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
			return -EINVAL;
		WRITE_ONCE(xs->fo_max_qlen,
			   min_t(unsigned int, val,
				 READ_ONCE(sock_net(sk)->core.sysctl_somaxconn)));
		return 0;
	case TCP_FASTOPEN_CONNECT:
		if (val < 0 || val > 1)
			return -EINVAL;
		if (!(READ_ONCE(xtcp_net(sock_net(sk))->fastopen) &
		      XTCP_FO_CLIENT))
			return -EOPNOTSUPP;
		if (sk->sk_state != TCP_CLOSE)
			return -EINVAL;
		xs->fo_connect = val;
		return 0;
	}
	return -ENOPROTOOPT;
}

/*
 * TCP_CONGESTION: before the connection is established the choice waits in
 * xs->cc.ops (xtcp_sender_start() uses it); on a live connection the
 * algorithm changes at once, keeping the window and threshold it has, as
 * Linux's tcp_reinit_congestion_control() does. An unknown name is
 * ENOENT, as in Linux.
 */
static int xtcp_set_congestion(struct sock *sk, sockptr_t optval,
			       unsigned int optlen)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	char name[XTCP_CC_NAME_MAX];
	const struct xtcp_cc_ops *ops;

	if (optlen < 1)
		return -EINVAL;
	optlen = min_t(unsigned int, optlen, sizeof(name) - 1);
	if (copy_from_sockptr(name, optval, optlen))
		return -EFAULT;
	name[optlen] = 0;
	ops = xtcp_cc_find(name);
	if (!ops)
		return -ENOENT;
	lock_sock(sk);
	xs->cc.ops = ops;
	if (xs->cc.mss) {
		memset(xs->cc.priv, 0, sizeof(xs->cc.priv));
		if (ops->init)
			ops->init(&xs->cc, xtcp_now_us());
	}
	release_sock(sk);
	return 0;
}

static int xtcp_get_congestion(struct sock *sk, char __user *optval,
			       int __user *optlen, int len)
{
	const struct xtcp_cc_ops *ops = READ_ONCE(xtcp_sk(sk)->cc.ops);

	if (!ops)
		ops = xtcp_cc_default(sock_net(sk));
	len = min_t(unsigned int, len, XTCP_CC_NAME_MAX);
	if (put_user(len, optlen) || copy_to_user(optval, ops->name, len))
		return -EFAULT;
	return 0;
}

/*
 * SOL_IP goes to the IP layer, which keeps the state in struct inet_sock
 * for any family. do_ip_setsockopt() treats a socket it does not know to
 * be a connection socket (inet_connection_sock, as xtcp's is not) as a
 * datagram one, so what it refuses TCP is refused here, with TCP's errno.
 * Each option, against Linux TCP (net/ipv4/ip_sockglue.c, 6.12):
 *
 *   IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP   EPROTO, as for TCP; these
 *	alone test for a connection socket
 *   MCAST_JOIN_GROUP, MCAST_JOIN_SOURCE_GROUP, IP_ADD_SOURCE_MEMBERSHIP,
 *   IP_BLOCK_SOURCE, MCAST_BLOCK_SOURCE, IP_MSFILTER, MCAST_MSFILTER and
 *   their leave/unblock forms   succeed on TCP too; the memberships
 *	are dropped when the socket is released (xtcp_sockopt_release(),
 *	as inet_release() does with ip_mc_drop_socket())
 *   IP_OPTIONS   in every segment of a connection (output.c), freed
 *	with the socket (inet_sock_destruct); the send MSS leaves room for
 *	them when the connection opens, so they are set before connect()
 *   IP_TOS, IP_TTL   in every IP header the socket sends, as Linux TCP
 *	(output.c); a listener's in its SYN-ACKs
 *   IP_MTU_DISCOVER   stored; xtcp always sends with DF
 *   IP_MINTTL   honoured on receive (RFC 5082), as tcp_v4_rcv() does
 *   IP_IPSEC_POLICY, IP_XFRM_POLICY   CAP_NET_ADMIN, as for TCP; the
 *	policy applies to xtcp's routes and is freed with the socket
 *	(xtcp_sockopt_destroy(), as inet_csk_destroy_sock())
 *   IP_HDRINCL, IP_NODEFRAG, IP_ROUTER_ALERT, MRT_*   refused by the IP
 *	layer for anything but raw sockets, with TCP's errno
 *   IP_LOCAL_PORT_RANGE   bounds connect()'s port, as for TCP (table.c)
 *   IP_BIND_ADDRESS_NO_PORT   bind() takes the address alone, connect()
 *	the port, as for TCP (sock.c)
 *   IP_FREEBIND, IP_TRANSPARENT   stored; xtcp's bind() still wants a
 *	local address (EADDRNOTAVAIL where TCP would bind)
 *   IP_PKTINFO, IP_RECV*, IP_RETOPTS, IP_RECVERR*, IP_PASSSEC,
 *   IP_CHECKSUM, IP_UNICAST_IF, IP_MULTICAST_IF/TTL/LOOP/ALL   flags and
 *	numbers with nothing to free, as on TCP
 */
static int xtcp_ip_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			      unsigned int optlen)
{
	switch (optname) {
	case IP_ADD_MEMBERSHIP:
	case IP_DROP_MEMBERSHIP:
		return -EPROTO;
	}
	return ip_setsockopt(sk, SOL_IP, optname, optval, optlen);
}

/**
 * xtcp_sockopt_release() - the user closes the socket: drop IP-level state
 * @sk: the socket, not locked
 *
 * Multicast memberships (allowed on TCP through MCAST_JOIN_GROUP and
 * friends) hold a reference on the group and memory charged to the
 * socket: left, they would outlive it. As inet_release(), which calls
 * ip_mc_drop_socket() (not exported), each is left through
 * ip_mc_leave_group(), which finds it by group and interface index even
 * when the interface is gone.
 */
void xtcp_sockopt_release(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ip_mc_socklist *iml;
	struct ip_mreqn imr;

	if (!rcu_access_pointer(inet->mc_list))
		return;
	rtnl_lock();
	while ((iml = rtnl_dereference(inet->mc_list))) {
		imr = iml->multi;
		/* It is first on the list: this cannot fail. */
		if (WARN_ON_ONCE(ip_mc_leave_group(sk, &imr)))
			break;
	}
	rtnl_unlock();
}

/**
 * xtcp_sockopt_destroy() - the socket is freed: its IPsec policies go too
 * @sk: the socket, dead
 *
 * As inet_csk_destroy_sock() does for TCP; __sk_destruct() does not.
 */
void xtcp_sockopt_destroy(struct sock *sk)
{
	xfrm_sk_free_policy(sk);
}

/**
 * xtcp_setsockopt() - setsockopt() below SOL_SOCKET (proto.setsockopt)
 * @sk: the socket
 * @level: SOL_IP, SOL_IPV6 (ipv6.c) or SOL_TCP; others are ENOPROTOOPT
 * @optname: the option
 * @optval: its value
 * @optlen: the value's length
 *
 * Return: 0 or a negative errno, as Linux TCP returns.
 */
int xtcp_setsockopt(struct sock *sk, int level, int optname,
		    sockptr_t optval, unsigned int optlen)
{
	int val, err;

	if (level == SOL_IP)
		return xtcp_ip_setsockopt(sk, optname, optval, optlen);
	if (level == SOL_IPV6)
		return xtcp_ipv6_setsockopt(sk, optname, optval, optlen);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optname == TCP_CONGESTION)
		return xtcp_set_congestion(sk, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	err = xtcp_set_tcp_int(sk, optname, val);
	/* Data Nagle or the cork held back may go now. */
	if (!err && (optname == TCP_NODELAY || optname == TCP_CORK))
		xtcp_push(sk);
	release_sock(sk);
	return err;
}

static int xtcp_get_tcp_info(struct sock *sk, char __user *optval,
			     int __user *optlen, int len)
{
	struct tcp_info info;

	lock_sock(sk);
	xtcp_get_info(sk, &info);
	release_sock(sk);
	len = min_t(unsigned int, len, sizeof(info));
	if (put_user(len, optlen) || copy_to_user(optval, &info, len))
		return -EFAULT;
	return 0;
}

static int xtcp_get_tcp_int(struct sock *sk, int optname, int *val)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	switch (optname) {
	case TCP_NODELAY:
		*val = xs->nodelay;
		break;
	case TCP_CORK:
		*val = xs->cork;
		break;
	case TCP_MAXSEG:
		/* As Linux: what the user set until connected, then the MSS. */
		*val = xs->mss;
		if (xs->user_mss &&
		    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
			*val = xs->user_mss;
		break;
	case TCP_KEEPIDLE:
		*val = xtcp_keepidle_ms(xs) / MSEC_PER_SEC;
		break;
	case TCP_KEEPINTVL:
		*val = xtcp_keepintvl_ms(xs) / MSEC_PER_SEC;
		break;
	case TCP_KEEPCNT:
		*val = xtcp_keepcnt(xs);
		break;
	case TCP_USER_TIMEOUT:
		*val = READ_ONCE(xs->user_timeout);
		break;
	case TCP_NOTSENT_LOWAT:
		*val = READ_ONCE(xs->notsent_lowat);
		break;
	case TCP_FASTOPEN:
		*val = READ_ONCE(xs->fo_max_qlen);
		break;
	case TCP_FASTOPEN_CONNECT:
		*val = xs->fo_connect;
		break;
	default:
		return -ENOPROTOOPT;
	}
	return 0;
}

/**
 * xtcp_getsockopt() - getsockopt() below SOL_SOCKET (proto.getsockopt)
 * @sk: the socket
 * @level: SOL_IP, SOL_IPV6 (ipv6.c) or SOL_TCP; others are ENOPROTOOPT
 * @optname: the option
 * @optval: user buffer for the value
 * @optlen: user pointer to the buffer's length, updated
 *
 * As Linux TCP: a negative length is EINVAL, an int option is cut to
 * the length given, TCP_INFO is as much of struct tcp_info as fits.
 *
 * Return: 0 or a negative errno.
 */
int xtcp_getsockopt(struct sock *sk, int level, int optname,
		    char __user *optval, int __user *optlen)
{
	int len, val, err;

	if (level == SOL_IP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (level == SOL_IPV6)
		return xtcp_ipv6_getsockopt(sk, optname, optval, optlen);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (optname == TCP_INFO)
		return xtcp_get_tcp_info(sk, optval, optlen, len);
	if (optname == TCP_CONGESTION)
		return xtcp_get_congestion(sk, optval, optlen, len);
	/*
	 * union tcp_cc_info holds what Vegas, DCTCP and BBR report. Linux's
	 * cubic and reno report nothing (no get_info), and neither do
	 * xtcp's: a length of 0, as Linux TCP gives with them.
	 */
	if (optname == TCP_CC_INFO)
		return put_user(0, optlen);

	lock_sock(sk);
	err = xtcp_get_tcp_int(sk, optname, &val);
	release_sock(sk);
	if (err)
		return err;
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}
