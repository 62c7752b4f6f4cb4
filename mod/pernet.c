// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state. Every namespace gets a struct xtcp_net when
 * it is created (or when xtcp loads, for namespaces that already exist) and
 * loses it when the namespace goes away (or xtcp unloads).
 *
 * /proc/net/xtcp_sockstat reports the namespace's socket count, in the
 * style of /proc/net/sockstat.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <xtcp/mib.h>
#include <xtcp/xtcp.h>

static unsigned int xtcp_net_id __read_mostly;

/**
 * xtcp_net() - xtcp's state for a namespace
 * @net: the namespace
 *
 * Return: the state; valid from pernet init to pernet exit.
 */
struct xtcp_net *xtcp_net(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}

static int xtcp_sockstat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);

	seq_printf(seq, "XTCP: inuse %d\n", sock_prot_inuse_get(net, &xtcp_prot));
	return 0;
}

static int __net_init xtcp_net_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	int err;

	err = xtcp_sysctl_init(net);
	if (err)
		return err;
	err = xtcp_mib_init(net);
	if (err)
		goto err_mib;
	xn->proc_sockstat = proc_create_net_single("xtcp_sockstat", 0444,
						   net->proc_net,
						   xtcp_sockstat_show, NULL);
	if (!xn->proc_sockstat) {
		err = -ENOMEM;
		goto err_sockstat;
	}
	return 0;

err_sockstat:
	xtcp_mib_exit(net);
err_mib:
	xtcp_sysctl_exit(net);
	return err;
}

static void __net_exit xtcp_net_exit(struct net *net)
{
	remove_proc_entry("xtcp_sockstat", net->proc_net);
	xtcp_mib_exit(net);
	xtcp_sysctl_exit(net);
}

static struct pernet_operations xtcp_net_ops = {
	.init	= xtcp_net_init,
	.exit	= xtcp_net_exit,
	.id	= &xtcp_net_id,
	.size	= sizeof(struct xtcp_net),
};

int xtcp_pernet_register(void)
{
	return register_pernet_subsys(&xtcp_net_ops);
}

void xtcp_pernet_unregister(void)
{
	unregister_pernet_subsys(&xtcp_net_ops);
}
