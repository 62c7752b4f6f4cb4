// SPDX-License-Identifier: GPL-2.0
/*
 * The xtcp address family: its number, its registration and socket().
 *
 * sock_register() takes only numbers below AF_MAX, so a module cannot get a
 * fresh family; it borrows one that no in-tree family uses (see the uapi
 * header). The "family" parameter picks another when that one is taken.
 */

#include <linux/module.h>
#include <linux/net.h>
#include <linux/in.h>
#include <uapi/linux/xtcp.h>
#include <xtcp/xtcp.h>

int xtcp_family = AF_XTCP;
module_param_named(family, xtcp_family, int, 0444);
MODULE_PARM_DESC(family, "address family number to register (default "
		 __stringify(AF_XTCP) ", must be below AF_MAX and unused)");

/*
 * socket(family, type, protocol): xtcp is a byte stream and nothing else.
 * The errno values are those Linux's inet family gives for a type it does
 * not know and a protocol that does not match the type.
 */
static int xtcp_create(struct net *net, struct socket *sock, int protocol,
		       int kern)
{
	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != 0 && protocol != IPPROTO_TCP)
		return -EPROTONOSUPPORT;
	return xtcp_sock_init(net, sock, kern);
}

static struct net_proto_family xtcp_family_ops = {
	.create	= xtcp_create,
	.owner	= THIS_MODULE,
};

/**
 * xtcp_family_register() - make socket(xtcp_family, ...) reach xtcp
 *
 * Return: 0, -EINVAL for a number outside the kernel's range, or -EEXIST
 * when another family already holds the number.
 */
int xtcp_family_register(void)
{
	int err;

	if (xtcp_family <= AF_UNSPEC || xtcp_family >= AF_MAX) {
		pr_err("xtcp: family=%d is out of range: pick 1..%d\n",
		       xtcp_family, AF_MAX - 1);
		return -EINVAL;
	}
	xtcp_family_ops.family = xtcp_family;
	err = sock_register(&xtcp_family_ops);
	if (err == -EEXIST)
		pr_err("xtcp: address family %d is already registered; load with family=N, a free number below %d\n",
		       xtcp_family, AF_MAX);
	else if (err)
		pr_err("xtcp: cannot register address family %d: %d\n",
		       xtcp_family, err);
	return err;
}

/**
 * xtcp_family_unregister() - stop new xtcp sockets
 *
 * sock_unregister() waits for socket() calls already inside xtcp_create().
 */
void xtcp_family_unregister(void)
{
	sock_unregister(xtcp_family);
}
