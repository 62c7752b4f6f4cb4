// SPDX-License-Identifier: GPL-2.0
/*
 * net.xtcp.* sysctls, one set per network namespace.
 *
 * The values live in the namespace's struct xtcp_net. The table below names
 * each value by its offset in struct xtcp_net; every namespace registers
 * its own copy of the table, rebased onto its own struct xtcp_net. The init
 * namespace gets a copy too: its struct xtcp_net is allocated like any
 * other, so the template can stay const and never points anywhere.
 *
 * A write outside a value's range fails with EINVAL and changes nothing;
 * a write of an algorithm nobody registered to congestion_control fails
 * with ENOENT, as for Linux's net.ipv4.tcp_congestion_control.
 */

#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <xtcp/cc.h>
#include <xtcp/compat.h>
#include <xtcp/ecn.h>
#include <xtcp/fastopen.h>
#include <xtcp/guard.h>
#include <xtcp/proto.h>
#include <xtcp/mem.h>
#include <xtcp/rtt.h>
#include <xtcp/xtcp.h>

/* The same bounds as Linux's tcp_syn_retries and tcp_synack_retries. */
static const int xtcp_syn_retries_max = 127;
static const int xtcp_synack_retries_max = 255;
/* Ten minutes: MSL and FIN_WAIT_2 timeouts beyond that are typos. */
static const int xtcp_timeout_ms_max = 600000;
static const int xtcp_port_min = 1;
static const int xtcp_port_max = 65535;
static const int xtcp_max_syn_backlog_max = 65535;
/* An RTO floor above the RTO ceiling would make no sense. */
static const int xtcp_rto_min_ms_max = XTCP_RTO_MAX_US / 1000;
/* Linux's bounds for tcp_min_snd_mss: TCP_MIN_SND_MSS to 65535. */
static const int xtcp_min_snd_mss_min = XTCP_MIN_SND_MSS;
static const int xtcp_min_snd_mss_max = 65535;
/* An orphan gets no more retries than a connection with a user. */
static const int xtcp_orphan_retries_max = XTCP_DATA_RETRIES;
/* Linux's bound for tcp_retries1; retries2 gets the same (8 hours). */
static const int xtcp_retries_max = 255;
/* Path-MTU probing (mtuprobe.c): MSS bounds as tcp_mtu_probe_floor's. */
static const int xtcp_mss_max = 65535;
/*
 * Seconds whose jiffies fit 31 bits at any HZ up to 1000: Linux bounds
 * tcp_probe_interval by its own HZ; a fixed bound reads the same on
 * every kernel.
 */
static const int xtcp_probe_interval_max = INT_MAX / 1000;

/*
 * Serialises writers of ip_local_port_range, so that two writes cannot
 * interleave into a range neither asked for. Readers take no lock: they
 * read each bound with READ_ONCE() and must cope with a range caught
 * between two writes (lo > hi), as Linux's inet_get_local_port_range()
 * callers do.
 */
static DEFINE_MUTEX(xtcp_port_range_mutex);

static int xtcp_port_range_handler(XTCP_HANDLER_TABLE *table, int write,
				   void *buffer, size_t *lenp, loff_t *ppos)
{
	int *range = table->data;
	int tmp_range[2];
	struct ctl_table tmp = {
		.data	= tmp_range,
		.maxlen	= sizeof(tmp_range),
		.mode	= table->mode,
		.extra1	= (void *)&xtcp_port_min,
		.extra2	= (void *)&xtcp_port_max,
	};
	int ret;

	mutex_lock(&xtcp_port_range_mutex);
	/* A write of one number sets lo and keeps hi, as for ipv4's. */
	tmp_range[0] = READ_ONCE(range[0]);
	tmp_range[1] = READ_ONCE(range[1]);
	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (write && !ret) {
		if (tmp_range[0] > tmp_range[1]) {
			ret = -EINVAL;
		} else {
			WRITE_ONCE(range[0], tmp_range[0]);
			WRITE_ONCE(range[1], tmp_range[1]);
		}
	}
	mutex_unlock(&xtcp_port_range_mutex);
	return ret;
}

/*
 * Guards every namespace's cc_name: a reader copies the name whole while
 * a writer may be replacing it. The lock is taken from softirq context
 * too (a passive open picks its algorithm), hence the _bh.
 */
static DEFINE_SPINLOCK(xtcp_cc_name_lock);

static void xtcp_cc_name_get(const char *name, char *buf)
{
	spin_lock_bh(&xtcp_cc_name_lock);
	strscpy(buf, name, XTCP_CC_NAME_MAX);
	spin_unlock_bh(&xtcp_cc_name_lock);
}

/*
 * congestion_control: the name of a registered algorithm. The name is
 * stored, not the algorithm, and looked up at each connection setup, so
 * a namespace never holds on to an algorithm.
 */
static int xtcp_cc_name_handler(XTCP_HANDLER_TABLE *table, int write,
				void *buffer, size_t *lenp, loff_t *ppos)
{
	char *name = table->data;
	/* One more than any name: a longer write cannot match by cutting. */
	char val[XTCP_CC_NAME_MAX + 1];
	struct ctl_table tmp = {
		.data	= val,
		.maxlen	= sizeof(val),
		.mode	= table->mode,
	};
	int ret;

	xtcp_cc_name_get(name, val);
	ret = proc_dostring(&tmp, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;
	if (!xtcp_cc_find(val))
		return -ENOENT;
	spin_lock_bh(&xtcp_cc_name_lock);
	strscpy(name, val, XTCP_CC_NAME_MAX);
	spin_unlock_bh(&xtcp_cc_name_lock);
	return 0;
}

/**
 * xtcp_cc_default() - the algorithm a new connection in @net gets
 * @net: the namespace
 *
 * Any context.
 *
 * Return: the algorithm net.xtcp.congestion_control names, or NewReno if
 * that one is no longer registered.
 */
const struct xtcp_cc_ops *xtcp_cc_default(struct net *net)
{
	char name[XTCP_CC_NAME_MAX];
	const struct xtcp_cc_ops *ops;

	xtcp_cc_name_get(xtcp_net(net)->cc_name, name);
	ops = xtcp_cc_find(name);
	return ops ?: &xtcp_cc_newreno;
}

/* .data holds the offset in struct xtcp_net until xtcp_sysctl_init() */
#define XTCP_NET_FIELD(field)	((void *)offsetof(struct xtcp_net, field))

#define XTCP_SYSCTL_INT(name, field, min, max) {		\
	.procname	= name,					\
	.data		= XTCP_NET_FIELD(field),		\
	.maxlen		= sizeof(int),				\
	.mode		= 0644,					\
	.proc_handler	= proc_dointvec_minmax,			\
	.extra1		= (void *)(min),			\
	.extra2		= (void *)(max),			\
}

static const struct ctl_table xtcp_sysctl_template[] = {
	XTCP_SYSCTL_INT("msl_ms", msl_ms,
			SYSCTL_ONE, &xtcp_timeout_ms_max),
	XTCP_SYSCTL_INT("syn_retries", syn_retries,
			SYSCTL_ONE, &xtcp_syn_retries_max),
	XTCP_SYSCTL_INT("synack_retries", synack_retries,
			SYSCTL_ONE, &xtcp_synack_retries_max),
	XTCP_SYSCTL_INT("fin_timeout_ms", fin_timeout_ms,
			SYSCTL_ONE, &xtcp_timeout_ms_max),
	{
		.procname	= "ip_local_port_range",
		.data		= XTCP_NET_FIELD(port_range),
		.maxlen		= sizeof_field(struct xtcp_net, port_range),
		.mode		= 0644,
		.proc_handler	= xtcp_port_range_handler,
	},
	XTCP_SYSCTL_INT("max_syn_backlog", max_syn_backlog,
			SYSCTL_ONE, &xtcp_max_syn_backlog_max),
	XTCP_SYSCTL_INT("challenge_ack_limit", challenge_ack_limit,
			SYSCTL_ZERO, SYSCTL_INT_MAX),
	XTCP_SYSCTL_INT("rto_min_ms", rto_min_ms,
			SYSCTL_ONE, &xtcp_rto_min_ms_max),
	XTCP_SYSCTL_INT("invalid_ratelimit_ms", invalid_ratelimit_ms,
			SYSCTL_ZERO, &xtcp_timeout_ms_max),
	XTCP_SYSCTL_INT("gso", gso, SYSCTL_ZERO, SYSCTL_ONE),
	{
		.procname	= "congestion_control",
		.data		= XTCP_NET_FIELD(cc_name),
		.maxlen		= sizeof_field(struct xtcp_net, cc_name),
		.mode		= 0644,
		.proc_handler	= xtcp_cc_name_handler,
	},
	XTCP_SYSCTL_INT("min_snd_mss", min_snd_mss,
			&xtcp_min_snd_mss_min, &xtcp_min_snd_mss_max),
	XTCP_SYSCTL_INT("orphan_retries", orphan_retries,
			SYSCTL_ZERO, &xtcp_orphan_retries_max),
	XTCP_SYSCTL_INT("max_orphans", max_orphans,
			SYSCTL_ZERO, SYSCTL_INT_MAX),
	XTCP_SYSCTL_INT("syncookies", syncookies, SYSCTL_ZERO, SYSCTL_TWO),
	/* min, initial, max in bytes, each at least 1, as tcp_rmem/wmem */
	{
		.procname	= "rmem",
		.data		= XTCP_NET_FIELD(rmem),
		.maxlen		= sizeof_field(struct xtcp_net, rmem),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
	},
	{
		.procname	= "wmem",
		.data		= XTCP_NET_FIELD(wmem),
		.maxlen		= sizeof_field(struct xtcp_net, wmem),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
	},
	XTCP_SYSCTL_INT("retries1", retries1, SYSCTL_ZERO, &xtcp_retries_max),
	XTCP_SYSCTL_INT("retries2", retries2, SYSCTL_ZERO, &xtcp_retries_max),
	XTCP_SYSCTL_INT("mtu_probing", mtu_probing, SYSCTL_ZERO, SYSCTL_TWO),
	XTCP_SYSCTL_INT("base_mss", base_mss,
			&xtcp_min_snd_mss_min, &xtcp_mss_max),
	XTCP_SYSCTL_INT("mtu_probe_floor", mtu_probe_floor,
			&xtcp_min_snd_mss_min, &xtcp_mss_max),
	XTCP_SYSCTL_INT("probe_threshold", probe_threshold,
			SYSCTL_ZERO, &xtcp_mss_max),
	XTCP_SYSCTL_INT("probe_interval", probe_interval,
			SYSCTL_ZERO, &xtcp_probe_interval_max),
	/* RACK loss detection (bit 0x1), as net.ipv4.tcp_recovery */
	XTCP_SYSCTL_INT("recovery", recovery, SYSCTL_ZERO, SYSCTL_ONE),
	/* tail loss probes (RFC 8985 7), as tcp_early_retrans 3 or 0 */
	XTCP_SYSCTL_INT("tlp", tlp, SYSCTL_ZERO, SYSCTL_ONE),
	/* Proportional Rate Reduction (RFC 6937) in SACK recovery */
	XTCP_SYSCTL_INT("prr", prr, SYSCTL_ZERO, SYSCTL_ONE),
	/* D-SACK (RFC 2883) from the receiver, as tcp_dsack */
	XTCP_SYSCTL_INT("dsack", dsack, SYSCTL_ZERO, SYSCTL_ONE),
	/* undo of spurious recoveries by timestamps (RFC 3522, sender.c) */
	XTCP_SYSCTL_INT("ts_undo", ts_undo, SYSCTL_ZERO, SYSCTL_ONE),
	/* unsent bytes a writer may queue, as tcp_notsent_lowat (sock.c) */
	{
		.procname	= "notsent_lowat",
		.data		= XTCP_NET_FIELD(notsent_lowat),
		.maxlen		= sizeof_field(struct xtcp_net, notsent_lowat),
		.mode		= 0644,
		.proc_handler	= proc_douintvec,
	},
	/* ECN (RFC 3168), as tcp_ecn: 0 off, 1 ask and agree, 2 agree */
	XTCP_SYSCTL_INT("ecn", ecn, SYSCTL_ZERO, SYSCTL_TWO),
	/* TCP Fast Open (RFC 7413), tcp_fastopen's bits (fastopen.h) */
	XTCP_SYSCTL_INT("fastopen", fastopen, SYSCTL_ZERO, SYSCTL_INT_MAX),
	/* HyStart++ (RFC 9406) in the first slow start: 1 on, 0 plain */
	XTCP_SYSCTL_INT("hystart", hystart, SYSCTL_ZERO, SYSCTL_ONE),
	/* RSTs in TIME_WAIT ignored (1) or obeyed (0), as tcp_rfc1337 */
	XTCP_SYSCTL_INT("rfc1337", rfc1337, SYSCTL_ZERO, SYSCTL_ONE),
	{ }	/* the end, for kernels before 6.6 (compat.h) */
};

/*
 * net.xtcp.mem: protocol-wide, so only in the initial namespace, as
 * net.ipv4.tcp_mem (pages: below [0] no pressure, pressure from [1], no
 * more than [2]; mem.c).
 */
static struct ctl_table xtcp_sysctl_global[] = {
	{
		.procname	= "mem",
		.data		= xtcp_sysctl_mem,
		.maxlen		= sizeof(xtcp_sysctl_mem),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
	},
	{ }
};

static struct ctl_table_header *xtcp_sysctl_global_hdr;

static void xtcp_sysctl_defaults(struct xtcp_net *xn)
{
	xn->msl_ms = 30000;		/* TIME_WAIT = 2 MSL = 60 s, as Linux */
	xn->syn_retries = 6;
	xn->synack_retries = 5;
	xn->fin_timeout_ms = 60000;
	xn->port_range[0] = 32768;	/* Linux's ip_local_port_range */
	xn->port_range[1] = 60999;
	xn->max_syn_backlog = 128;
	xn->challenge_ack_limit = 1000;	/* per second, RFC 5961 section 7 */
	xn->rto_min_ms = XTCP_RTO_MIN_DEFAULT_MS;
	/* Linux's net.ipv4.tcp_invalid_ratelimit, 500 ms, for the same end. */
	xn->invalid_ratelimit_ms = 500;
	xn->gso = 1;	/* new data in GSO super-segments (sender.c) */
	xn->syncookies = 1;	/* as tcp_syncookies: when the SYN queue is full */
	/* Linux's default too; the registry has it once the module is up. */
	strscpy(xn->cc_name, "cubic", sizeof(xn->cc_name));
	xn->min_snd_mss = XTCP_MIN_SND_MSS;	/* after CVE-2019-11479 */
	xn->orphan_retries = 0;		/* 8, as Linux's default */
	/*
	 * Linux sizes tcp_max_orphans from its established hash (half its
	 * buckets: some thousands on a small machine); a fixed number per
	 * namespace here, each orphan's memory bounded by its send buffer.
	 */
	xn->max_orphans = 16384;
	xn->rmem[0] = XTCP_RMEM_MIN;
	xn->rmem[1] = XTCP_RMEM_DEFAULT;
	xn->rmem[2] = XTCP_RMEM_MAX;
	xn->wmem[0] = XTCP_WMEM_MIN;
	xn->wmem[1] = XTCP_WMEM_DEFAULT;
	xn->wmem[2] = XTCP_WMEM_MAX;
	/* RFC 9293 3.8.3 R1 and R2, as Linux: 3 s and 924.6 s (rtt.c). */
	xn->retries1 = 3;
	xn->retries2 = XTCP_DATA_RETRIES;
	/* Linux's tcp_mtu_probing and its companions (mtuprobe.c). */
	xn->mtu_probing = 0;
	xn->base_mss = 1024;
	xn->mtu_probe_floor = 48;
	xn->probe_threshold = 8;
	xn->probe_interval = 600;
	xn->recovery = XTCP_RECOVERY_RACK;	/* RACK on, as Linux */
	xn->tlp = 1;		/* tail loss probes on, as Linux */
	xn->prr = 1;		/* PRR on: Linux always has it */
	xn->dsack = 1;		/* as tcp_dsack */
	xn->ts_undo = 1;	/* Linux always undoes by timestamps */
	xn->notsent_lowat = UINT_MAX;	/* no mark, as Linux */
	xn->ecn = XTCP_ECN_PASSIVE;	/* as tcp_ecn: agree when asked */
	xn->fastopen = XTCP_FO_CLIENT;	/* as tcp_fastopen: client only */
	xn->hystart = 1;	/* HyStart++ on, as Linux's CUBIC has HyStart */
	xn->rfc1337 = 0;	/* an RST ends TIME_WAIT, as Linux's default */
}

/**
 * xtcp_sysctl_init() - a namespace's net.xtcp.* settings
 * @net: the namespace
 *
 * Sets the defaults in the namespace's struct xtcp_net and registers
 * /proc/sys/net/xtcp for it.
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_sysctl_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	struct ctl_table *table;
	size_t i;

	xtcp_sysctl_defaults(xn);
	xn->sysctl_hdr = NULL;
	if (!IS_ENABLED(CONFIG_SYSCTL))
		return 0;

	table = kmemdup(xtcp_sysctl_template, sizeof(xtcp_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(xtcp_sysctl_template) - 1; i++)
		table[i].data = (char *)xn + (uintptr_t)table[i].data;

	xn->sysctl_hdr = register_net_sysctl_sz(net, "net/xtcp", table,
						ARRAY_SIZE(xtcp_sysctl_template) - 1);
	if (!xn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	if (net_eq(net, &init_net)) {
		xtcp_sysctl_global_hdr =
			register_net_sysctl_sz(net, "net/xtcp",
					       xtcp_sysctl_global,
					       ARRAY_SIZE(xtcp_sysctl_global) - 1);
		if (!xtcp_sysctl_global_hdr) {
			xtcp_sysctl_exit(net);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * xtcp_sysctl_exit() - remove a namespace's net.xtcp.* settings
 * @net: the namespace
 */
void xtcp_sysctl_exit(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	const struct ctl_table *table;

	if (net_eq(net, &init_net) && xtcp_sysctl_global_hdr) {
		unregister_net_sysctl_table(xtcp_sysctl_global_hdr);
		xtcp_sysctl_global_hdr = NULL;
	}
	if (!xn->sysctl_hdr)
		return;
	table = xn->sysctl_hdr->ctl_table_arg;
	unregister_net_sysctl_table(xn->sysctl_hdr);
	xn->sysctl_hdr = NULL;
	kfree(table);
}
