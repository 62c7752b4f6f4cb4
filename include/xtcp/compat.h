/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where xtcp meets kernel versions.
 *
 * xtcp is written against the newest kernel API it builds on (6.12); this
 * header gives kernels back to 6.1 that API, keyed on LINUX_VERSION_CODE:
 * a backfill of a helper the older kernel lacks, written here the way the
 * newer kernel writes it, or a small wrapper where a type or a signature
 * changed. The .c files use the newer API, or at most one line of a wrapper
 * from here; no version test lives anywhere else.
 *
 * Version boundaries are those of mainline, and of the stable series that
 * took a change back (the sublevel is part of LINUX_VERSION_CODE, capped
 * at 255). A wrong boundary fails the build (a missing or a duplicate
 * definition, a missing field), with one exception: tcpi_rcv_wnd, which
 * would only stay 0 in TCP_INFO.
 *
 * Built with W=1 and no warnings against Debian's 6.1.0-57 (6.1.192) and
 * 6.12.118 headers and the 6.12 and 6.1 User-Mode Linux test kernels: the
 * whole suite runs on 6.12, KUnit and a subset of the selftests on 6.1
 * (scripts/check-6.1). Other 6.1 sublevels from 6.1.32 on, and kernels
 * between 6.2 and 6.11 or after 6.12, are not built here.
 */
#ifndef _XTCP_COMPAT_H
#define _XTCP_COMPAT_H

#include <linux/version.h>
#include <linux/hrtimer.h>
#include <linux/sysctl.h>
#include <linux/tcp.h>
#include <net/inet_sock.h>
#include <net/sock.h>

/* The kernel built against is a.b.c or later (c capped at 255). */
#define XTCP_KERNEL_AT_LEAST(a, b, c) \
	(KERNEL_VERSION(a, b, c) <= LINUX_VERSION_CODE)

/*
 * 6.1.32 took IP_LOCAL_PORT_RANGE back (inet_sock.local_port_range), which
 * xtcp's connect() relies on to narrow the shadow socket's port range.
 */
#if !XTCP_KERNEL_AT_LEAST(6, 1, 32)
#error "xtcp needs Linux 6.1.32 or later"
#endif

/* 6.10 moved the protocol memory helpers out of net/sock.h. */
#if XTCP_KERNEL_AT_LEAST(6, 10, 0)
#include <net/proto_memory.h>
#endif

/* 6.12 moved asm/unaligned.h to linux/unaligned.h. */
#if XTCP_KERNEL_AT_LEAST(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * accept(): 6.10 gathered the flags and kern arguments of proto_ops.accept
 * into struct proto_accept_arg. xtcp_accept() takes the new form; before
 * 6.10 proto_ops holds xtcp_accept_compat() (listen.c), which takes the
 * old arguments and passes them on in the struct, given here.
 */
#if !XTCP_KERNEL_AT_LEAST(6, 10, 0)
struct proto_accept_arg {
	int flags;
	int err;
	int is_empty;
	bool kern;
};
#endif

/*
 * 6.13 added hrtimer_setup(), which sets the callback with the rest, and
 * later kernels drop hrtimer_init() (the conversions began in 6.15). Before
 * it, what it does: init, then the callback.
 */
#if !XTCP_KERNEL_AT_LEAST(6, 13, 0)
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/*
 * A socket's namespace reference. 5c70eb5c593d ("net: better track kernel
 * sockets lifetime", 6.14, and 6.12.43 in the stable series) made a kernel
 * socket (sk_alloc(kern=1), sk_net_refcnt == 0) hold a passive reference
 * on its namespace, which keeps struct net allocated until the socket is
 * freed, and added sk_net_refcnt_upgrade() to turn it into a user socket
 * (a real reference, counted in sock_inuse). Before it a kernel socket
 * held nothing at all, and __sk_destruct() drops nothing for it.
 *
 * xtcp allocates a passive child as a kernel socket (in softirq, no task
 * to charge), upgrades it when accept() hands it to a program, and turns
 * an orphan back into a kernel socket (xtcp_sk_net_refcnt_downgrade()) so
 * that it does not keep its namespace alive. Either way, every socket of a
 * namespace is freed before xtcp's pernet exit returns (xtcp_abort_all(),
 * then xtcp_wait_socks() waits for the last destructor), and the core
 * frees struct net only after every pernet exit has returned; so on
 * kernels before the change, where a kernel socket pins nothing, nothing
 * of the namespace is touched after it is gone either. What the passive
 * reference adds on newer kernels is only a safety margin for a socket
 * that outlives its namespace, which xtcp_wait_socks() reports as a bug.
 *
 * net_passive_dec() is not exported, and before the change net_drop_ns()
 * was not either, so xtcp cannot take a passive reference itself there.
 */
#if XTCP_KERNEL_AT_LEAST(6, 14, 0) || \
	(XTCP_KERNEL_AT_LEAST(6, 12, 43) && !XTCP_KERNEL_AT_LEAST(6, 13, 0))
#define XTCP_KERNEL_SOCK_PASSIVE	1
#else
#define XTCP_KERNEL_SOCK_PASSIVE	0
#endif

#if !XTCP_KERNEL_SOCK_PASSIVE
/* As 6.14's, less the passive reference a kernel socket did not hold. */
static inline void sk_net_refcnt_upgrade(struct sock *sk)
{
	struct net *net = sock_net(sk);

	WARN_ON_ONCE(sk->sk_net_refcnt);
	sk->sk_net_refcnt = 1;
	get_net_track(net, &sk->ns_tracker, GFP_KERNEL);
	sock_inuse_add(net, 1);
}
#endif

/**
 * xtcp_sk_net_refcnt_downgrade() - make a user socket a kernel socket
 * @sk: a socket with sk_net_refcnt set, locked
 *
 * The reverse of sk_net_refcnt_upgrade(): the socket no longer keeps its
 * namespace alive, and holds on it what sk_alloc(kern=1) would have given
 * it, so that __sk_destruct() finds what it expects. Atomic context is
 * fine.
 */
static inline void xtcp_sk_net_refcnt_downgrade(struct sock *sk)
{
	struct net *net = sock_net(sk);

#if XTCP_KERNEL_SOCK_PASSIVE
	net_passive_inc(net);
#endif
	sock_inuse_add(net, -1);
	sk->sk_net_refcnt = 0;
	put_net_track(net, &sk->ns_tracker);
#if XTCP_KERNEL_SOCK_PASSIVE
	__netns_tracker_alloc(net, &sk->ns_tracker, false, GFP_ATOMIC);
#endif
}

/*
 * inet_sock flags: 6.6 turned the bitfields into bits of inet->inet_flags
 * tested with inet_test_bit(). Before it, each flag xtcp reads is the
 * bitfield of that name; any other flag fails to compile.
 */
#if !XTCP_KERNEL_AT_LEAST(6, 6, 0)
#define XTCP_INET_FLAG_BIND_ADDRESS_NO_PORT(inet) ((inet)->bind_address_no_port)
#define XTCP_INET_FLAG_RECVERR(inet) ((inet)->recverr)
#define inet_test_bit(nr, sk) (!!XTCP_INET_FLAG_##nr(inet_sk(sk)))
#endif

/*
 * IP_LOCAL_PORT_RANGE: the socket's range is a u32, high << 16 | low,
 * since 6.7 ("inet: lockless IP_LOCAL_PORT_RANGE reads"); before it a
 * struct of two u16 (6.1.32 to 6.6).
 */
static inline u32 xtcp_inet_port_range(const struct inet_sock *inet)
{
#if XTCP_KERNEL_AT_LEAST(6, 7, 0)
	return READ_ONCE(inet->local_port_range);
#else
	return (u32)READ_ONCE(inet->local_port_range.hi) << 16 |
	       READ_ONCE(inet->local_port_range.lo);
#endif
}

static inline void xtcp_inet_set_port_range(struct inet_sock *inet, u32 range)
{
#if XTCP_KERNEL_AT_LEAST(6, 7, 0)
	WRITE_ONCE(inet->local_port_range, range);
#else
	WRITE_ONCE(inet->local_port_range.lo, range & 0xffff);
	WRITE_ONCE(inet->local_port_range.hi, range >> 16);
#endif
}

/* 6.9 made net.core.optmem_max per namespace. */
static inline int xtcp_optmem_max(const struct net *net)
{
#if XTCP_KERNEL_AT_LEAST(6, 9, 0)
	return READ_ONCE(net->core.sysctl_optmem_max);
#else
	return READ_ONCE(sysctl_optmem_max);
#endif
}

/*
 * sysctl: 6.11 made proc_handler take a const table; 6.6 added
 * register_net_sysctl_sz(), which no longer needs the table's empty
 * sentinel entry. xtcp's tables keep the sentinel, so that the older
 * register_net_sysctl() finds their end, and pass the size without it.
 */
#if XTCP_KERNEL_AT_LEAST(6, 11, 0)
#define XTCP_HANDLER_TABLE	const struct ctl_table
#else
#define XTCP_HANDLER_TABLE	struct ctl_table
#endif

#if !XTCP_KERNEL_AT_LEAST(6, 6, 0)
static inline struct ctl_table_header *
register_net_sysctl_sz(struct net *net, const char *path,
		       struct ctl_table *table, size_t table_size)
{
	return register_net_sysctl(net, path, table);
}
#endif

/*
 * 6.18 added mem_cgroup_sk_enabled() ("net-memcg: Introduce
 * mem_cgroup_sk_enabled()"), 6.12.113 in the stable series: whether the
 * socket's charges go to a memory cgroup too. Before it, the same test
 * written out, as proto_memory.h and tcp.h did.
 */
#if !XTCP_KERNEL_AT_LEAST(6, 18, 0) && \
	!(XTCP_KERNEL_AT_LEAST(6, 12, 113) && !XTCP_KERNEL_AT_LEAST(6, 13, 0))
static inline bool mem_cgroup_sk_enabled(const struct sock *sk)
{
#ifdef CONFIG_MEMCG
	return mem_cgroup_sockets_enabled && sk->sk_memcg;
#else
	return false;
#endif
}
#endif

/*
 * sk_memory_allocated_add() is inline and, before 6.9 moved the setting
 * into the exported net_hotdata, reads sysctl_mem_pcpu_rsv, which is not
 * exported: a module cannot link against it. The kernel keeps a protocol's
 * pages as its atomic total plus per-CPU reserves that it folds into the
 * total past sysctl_mem_pcpu_rsv; adding to the total directly, as
 * proto_memory_pcpu_drain() does, counts the same pages without a reserve.
 */
#if !XTCP_KERNEL_AT_LEAST(6, 9, 0)
static inline void xtcp_sk_memory_allocated_add(const struct sock *sk, int val)
{
	atomic_long_add(val, sk->sk_prot->memory_allocated);
}

#define sk_memory_allocated_add xtcp_sk_memory_allocated_add
#endif

/* TCP_INFO: 6.2 added tcpi_rcv_wnd; before it, there is nowhere to put it. */
static inline void xtcp_info_set_rcv_wnd(struct tcp_info *info, u32 wnd)
{
#if XTCP_KERNEL_AT_LEAST(6, 2, 0)
	info->tcpi_rcv_wnd = wnd;
#endif
}

#endif /* _XTCP_COMPAT_H */

/*
 * KUnit, for the suites in kunit/ only: they include this header after
 * <kunit/test.h>, and only then is this part compiled, however often the
 * rest was included before. 6.2 added KUNIT_EXPECT_MEMEQ; before it, the
 * same comparison without the hex dump of the difference. 6.6 added test
 * attributes: a slow case is one that "kunit.filter" can leave out, and
 * every case runs when nothing filters, as all do before 6.6.
 */
#if defined(KUNIT_CASE) && !defined(_XTCP_COMPAT_KUNIT_H)
#define _XTCP_COMPAT_KUNIT_H

#if !XTCP_KERNEL_AT_LEAST(6, 2, 0)
#define KUNIT_EXPECT_MEMEQ(test, left, right, size) \
	KUNIT_EXPECT_EQ_MSG(test, memcmp(left, right, size), 0, \
			    "%s and %s differ", #left, #right)
#endif

#if !XTCP_KERNEL_AT_LEAST(6, 6, 0)
#define KUNIT_CASE_SLOW(test_name)	KUNIT_CASE(test_name)
#endif

#endif /* _XTCP_COMPAT_KUNIT_H */
