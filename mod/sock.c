// SPDX-License-Identifier: GPL-2.0
/*
 * The xtcp socket: struct proto, struct proto_ops and the socket's life
 * from socket() to close().
 *
 * Calls that the connection lifecycle will implement (bind, connect,
 * listen, accept, send, recv...) answer -EOPNOTSUPP through the kernel's
 * sock_no_*() helpers, never a false success. SOL_SOCKET options are
 * handled by the socket core; other levels get -EOPNOTSUPP from the core
 * because xtcp has no setsockopt/getsockopt of its own yet.
 */

#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <net/sock.h>
#include <xtcp/xtcp.h>

/*
 * A socket that is not connected has nothing to read or write: like Linux
 * TCP's tcp_poll() for TCP_CLOSE it reports only a hang-up.
 */
static __poll_t xtcp_poll(struct file *file, struct socket *sock,
			  poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	if (READ_ONCE(sk->sk_shutdown) == SHUTDOWN_MASK ||
	    READ_ONCE(sk->sk_state) == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	return mask;
}

static int xtcp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	lock_sock(sk);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	sock_orphan(sk);
	release_sock(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

static const struct proto_ops xtcp_stream_ops = {
	.owner		= THIS_MODULE,
	.release	= xtcp_release,
	.bind		= sock_no_bind,
	.connect	= sock_no_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= sock_no_getname,
	.poll		= xtcp_poll,
	.ioctl		= sock_no_ioctl,
	.listen		= sock_no_listen,
	.shutdown	= sock_no_shutdown,
	.sendmsg	= sock_no_sendmsg,
	.recvmsg	= sock_no_recvmsg,
	.mmap		= sock_no_mmap,
};

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
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
	sock_init_data(sock, sk);
	sk->sk_protocol = IPPROTO_TCP;
	sock_prot_inuse_add(net, &xtcp_prot, 1);
	return 0;
}
