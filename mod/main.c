// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp module entry points: register the congestion control algorithms,
 * the per-namespace state, the socket protocol, the address family and its
 * sock_diag handler (diag.c), in that order, and undo them in reverse.
 *
 * The family goes last on load and first on unload so that no socket can be
 * created while the state it needs is half set up or half torn down.
 */

#include <linux/module.h>
#include <xtcp/cc.h>
#include <xtcp/isn.h>
#include <xtcp/mem.h>
#include <xtcp/request.h>
#include <xtcp/table.h>
#include <xtcp/xtcp.h>

static int __init xtcp_init(void)
{
	int err;

	xtcp_isn_init();
	/* Before any namespace: its congestion_control names one of them. */
	err = xtcp_cc_module_init();
	if (err)
		return err;
	err = xtcp_table_module_init();
	if (err)
		goto out_cc;
	err = xtcp_req_module_init();
	if (err)
		goto out_table;
	err = xtcp_mem_module_init();
	if (err)
		goto out_req;
	err = xtcp_pernet_register();
	if (err)
		goto out_mem;
	err = proto_register(&xtcp_prot, 1);
	if (err)
		goto out_pernet;
	err = xtcp_family_register();
	if (err)
		goto out_proto;
	err = xtcp_diag_register();
	if (err)
		goto out_family;
	pr_info("xtcp: loaded, address family %d\n", xtcp_family);
	return 0;

out_family:
	xtcp_family_unregister();
out_proto:
	proto_unregister(&xtcp_prot);
out_pernet:
	xtcp_pernet_unregister();
out_mem:
	xtcp_mem_module_exit();
out_req:
	xtcp_req_module_exit();
out_table:
	xtcp_table_module_exit();
out_cc:
	xtcp_cc_module_exit();
	return err;
}

static void __exit xtcp_exit(void)
{
	xtcp_diag_unregister();
	xtcp_family_unregister();
	proto_unregister(&xtcp_prot);
	xtcp_pernet_unregister();
	xtcp_defrag6_module_exit();
	/*
	 * Sockets are freed after an RCU grace period and timer callbacks
	 * return through our code after dropping their last reference:
	 * wait for both before the code goes away.
	 */
	rcu_barrier();
	xtcp_mem_module_exit();
	xtcp_req_module_exit();
	xtcp_table_module_exit();
	/* No socket is left to point at an algorithm. */
	xtcp_cc_module_exit();
	pr_info("xtcp: unloaded\n");
}

module_init(xtcp_init);
module_exit(xtcp_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(XTCP_VERSION);
MODULE_DESCRIPTION("xtcp: an alternate TCP as a loadable module");
MODULE_AUTHOR("The xtcp developers");
