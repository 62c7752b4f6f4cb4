// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state. Every namespace gets a struct xtcp_net when
 * it is created (or when xtcp loads, for namespaces that already exist) and
 * loses it when the namespace goes away (or xtcp unloads).
 *
 * Teardown order matters: first stop segments coming in (in .pre_exit, so
 * that a grace period passes before .exit), then end every
 * connection still there (only orphans and TIME_WAIT entries can be: a
 * socket a program holds keeps its namespace alive), then free the tables.
 */

#include <linux/delay.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <xtcp/fastopen.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/request.h>
#include <xtcp/table.h>

unsigned int xtcp_net_id __read_mostly;

static int xtcp_sockstat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);

	seq_printf(seq, "XTCP: inuse %d alloc %d",
		   sock_prot_inuse_get(net, &xtcp_prot),
		   atomic_read(&xtcp_net(net)->socks));
	/* Pages charged by every namespace, as sockstat's TCP "mem". */
	seq_printf(seq, " mem %ld", xtcp_memory_allocated_sum());
	/* Connections closed by their program, not yet CLOSED. */
	seq_printf(seq, " orphan %d\n", atomic_read(&xtcp_net(net)->orphans));
	return 0;
}

static int __net_init xtcp_net_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	int err;

	err = xtcp_mib_init(net);
	if (err)
		return err;
	err = xtcp_sysctl_init(net);
	if (err)
		goto out_mib;
	err = xtcp_table_init(net);
	if (err)
		goto out_sysctl;
	xtcp_fastopen_net_init(net);
	err = -ENOMEM;
	xn->proc_sockstat = proc_create_net_single("xtcp_sockstat", 0444,
						   net->proc_net,
						   xtcp_sockstat_show, NULL);
	if (!xn->proc_sockstat)
		goto out_table;
	err = xtcp_proc_init(net);
	if (err)
		goto out_sockstat;
	err = xtcp_input_register(net);
	if (err)
		goto out_proc;
	return 0;

out_proc:
	xtcp_proc_exit(net);
out_sockstat:
	remove_proc_entry("xtcp_sockstat", net->proc_net);
out_table:
	xtcp_table_exit(net);
	xtcp_fastopen_net_exit(net);
out_sysctl:
	xtcp_sysctl_exit(net);
out_mib:
	xtcp_mib_exit(net);
	return err;
}

/*
 * xtcp_abort_all() - end every connection and TIME_WAIT entry of a namespace
 * @net: the namespace, going away: nothing new arrives
 *
 * Only connections no program holds can be left (a socket a program holds
 * keeps its namespace alive): orphans, TIME_WAIT entries, children not yet
 * accepted. They end without a word on the wire: the devices are gone.
 */
static void xtcp_abort_all(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	struct xtcp_hnode *h;
	struct sock *sk;

	for (;;) {
		rcu_read_lock();
		h = xtcp_conn_any(xn);
		if (!h) {
			rcu_read_unlock();
			break;
		}
		if (h->kind == XTCP_HK_TW) {
			xtcp_tw_kill(container_of(h, struct xtcp_tw, h));
			rcu_read_unlock();
			cond_resched();
			continue;
		}
		if (h->kind == XTCP_HK_REQ) {
			xtcp_req_kill(container_of(h, struct xtcp_req, h));
			rcu_read_unlock();
			cond_resched();
			continue;
		}
		sk = &container_of(h, struct xtcp_sock, h)->inet.sk;
		if (!refcount_inc_not_zero(&sk->sk_refcnt)) {
			rcu_read_unlock();
			cond_resched();
			continue;
		}
		rcu_read_unlock();
		xtcp_abort_sock(sk);
		sock_put(sk);
	}
}

/*
 * Sockets are freed after an RCU grace period (SOCK_RCU_FREE), and their
 * destructor counts them out of this namespace's struct xtcp_net, which
 * goes when this exit returns: wait for the last of them. They are all
 * orphans being ended (a user's socket keeps its namespace alive), so the
 * wait is short; a socket that never goes is reported, not waited for.
 */
static void xtcp_wait_socks(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	int i;

	for (i = 0; i < 250 && atomic_read(&xn->socks); i++) {
		rcu_barrier();
		if (atomic_read(&xn->socks))
			msleep(20);
	}
	WARN_ONCE(atomic_read(&xn->socks), "xtcp: %d sockets outlive their namespace\n",
		  atomic_read(&xn->socks));
}

/*
 * Stop segments coming in. nf_unregister_net_hook() does not wait for a
 * hook already running on another CPU, and the hook reads this namespace's
 * connection table, counters and sysctls, which .exit frees. The core runs
 * synchronize_rcu() between every .pre_exit and .exit (netns cleanup and
 * rmmod alike), and the hook runs under rcu_read_lock(), so by .exit no
 * hook is still inside xtcp_nf_hook(). iptable_filter unregisters its
 * hooks the same way (ipt_unregister_table_pre_exit()).
 */
static void __net_exit xtcp_net_pre_exit(struct net *net)
{
	xtcp_input_unregister(net);
	xtcp_defrag6_put(net);
}

static void __net_exit xtcp_net_exit(struct net *net)
{
	xtcp_abort_all(net);
	xtcp_wait_socks(net);
	xtcp_proc_exit(net);
	remove_proc_entry("xtcp_sockstat", net->proc_net);
	xtcp_table_exit(net);
	xtcp_fastopen_net_exit(net);
	xtcp_sysctl_exit(net);
	xtcp_mib_exit(net);
}

static struct pernet_operations xtcp_net_ops = {
	.init	= xtcp_net_init,
	.pre_exit = xtcp_net_pre_exit,
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
