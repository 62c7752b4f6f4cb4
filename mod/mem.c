// SPDX-License-Identifier: GPL-2.0
/*
 * Socket memory accounting; see include/xtcp/mem.h.
 *
 * The protocol-wide state struct proto points at, as Linux's
 * tcp_memory_allocated and friends for TCP: pages charged by all xtcp
 * sockets of every namespace, the limits (net.xtcp.mem, writable in the
 * initial namespace only, as net.ipv4.tcp_mem), the pressure flag and the
 * socket count the core's fairness rule reads under pressure. The core
 * (__sk_mem_raise_allocated()) charges the memory cgroup of the socket in
 * the same step.
 *
 * Memory cgroups: a socket a user creates gets the creating task's
 * cgroup in sk_alloc(), as every socket does. A passive child is created
 * in softirq context, where sk_alloc() leaves it without one; Linux TCP
 * gives it the accepting task's cgroup in inet_csk_accept(), with
 * mem_cgroup_sk_alloc(), which modules cannot call. xtcp gives the child
 * its listener's cgroup from birth instead (xtcp_mem_inherit()), so that
 * what unaccepted children hold is charged to the listener's owner, not
 * only to the protocol.
 */

#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/percpu_counter.h>
#include <net/sock.h>
#include <xtcp/compat.h>
#include <xtcp/mem.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>

atomic_long_t xtcp_memory_allocated ____cacheline_aligned_in_smp;
DEFINE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
struct percpu_counter xtcp_sockets_allocated;
unsigned long xtcp_memory_pressure;
long xtcp_sysctl_mem[3] __read_mostly;
/*
 * What struct proto's sysctl_rmem/sysctl_wmem point at: the core reads
 * only element 0, the minimum a socket may always hold under pressure.
 * net.xtcp.rmem/wmem are per namespace and set the sizes; these keep
 * Linux's default minimum for every namespace.
 */
int xtcp_rmem_min[3] = { XTCP_RMEM_MIN, XTCP_RMEM_DEFAULT, XTCP_RMEM_MAX };
int xtcp_wmem_min[3] = { XTCP_WMEM_MIN, XTCP_WMEM_DEFAULT, XTCP_WMEM_MAX };

/**
 * xtcp_enter_memory_pressure() - net.xtcp.mem[1] was passed
 * @sk: the socket whose charge passed it
 *
 * As tcp_enter_memory_pressure(): the flag holds the time pressure began.
 */
void xtcp_enter_memory_pressure(struct sock *sk)
{
	unsigned long val;

	if (READ_ONCE(xtcp_memory_pressure))
		return;
	val = jiffies ?: 1;
	if (!cmpxchg(&xtcp_memory_pressure, 0, val))
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_MEMORYPRESSURES);
}

/**
 * xtcp_leave_memory_pressure() - back under net.xtcp.mem[0]
 * @sk: the socket whose uncharge brought it there
 */
void xtcp_leave_memory_pressure(struct sock *sk)
{
	if (READ_ONCE(xtcp_memory_pressure))
		WRITE_ONCE(xtcp_memory_pressure, 0);
}

/**
 * xtcp_memory_allocated_sum() - pages charged now, to the page
 *
 * The core keeps up to net.core.mem_pcpu_rsv pages per CPU aside before
 * it adds them to the shared count (proto_memory_allocated() lags by that
 * much); this adds them in, for /proc/net/xtcp_sockstat.
 *
 * Return: pages.
 */
long xtcp_memory_allocated_sum(void)
{
	long sum = atomic_long_read(&xtcp_memory_allocated);
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(&xtcp_memory_per_cpu_fw_alloc,
					      cpu));
	return max(sum, 0L);
}

/**
 * xtcp_mem_module_init() - the protocol-wide accounting, before any socket
 *
 * net.xtcp.mem starts where Linux's tcp_mem does (tcp_init_mem()): of
 * the free buffer pages, 3/64 below which there is no pressure, 1/16
 * where pressure begins, 3/32 as the hard limit.
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_mem_module_init(void)
{
	unsigned long limit = max(nr_free_buffer_pages() / 16, 128UL);

	xtcp_sysctl_mem[0] = limit / 4 * 3;
	xtcp_sysctl_mem[1] = limit;
	xtcp_sysctl_mem[2] = xtcp_sysctl_mem[0] * 2;
	return percpu_counter_init(&xtcp_sockets_allocated, 0, GFP_KERNEL);
}

void xtcp_mem_module_exit(void)
{
	percpu_counter_destroy(&xtcp_sockets_allocated);
}

/**
 * xtcp_mem_sock_init() - a new socket's buffers and accounting
 * @sk: from sk_alloc()
 *
 * The buffers start at net.xtcp.rmem[1] and wmem[1] of the namespace.
 */
void xtcp_mem_sock_init(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));

	WRITE_ONCE(sk->sk_sndbuf, READ_ONCE(xn->wmem[1]));
	WRITE_ONCE(sk->sk_rcvbuf, READ_ONCE(xn->rmem[1]));
	xtcp_sk(sk)->scaling_ratio = XTCP_RATIO_DEFAULT;
	sk_sockets_allocated_inc(sk);
}

/* The last of a socket's accounting, from its destructor. */
void xtcp_mem_sock_destroy(struct sock *sk)
{
	sk_sockets_allocated_dec(sk);
}

/**
 * xtcp_mem_inherit() - a passive child takes its listener's settings
 * @sk: the child, just created, nothing charged yet
 * @parent: its listener
 *
 * The buffer sizes and whether SO_RCVBUF/SO_SNDBUF fixed them, and the
 * listener's memory cgroup (see the top of this file).
 */
void xtcp_mem_inherit(struct sock *sk, const struct sock *parent)
{
	WRITE_ONCE(sk->sk_rcvbuf, READ_ONCE(parent->sk_rcvbuf));
	WRITE_ONCE(sk->sk_sndbuf, READ_ONCE(parent->sk_sndbuf));
	sk->sk_userlocks |= parent->sk_userlocks &
			    (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK);
#ifdef CONFIG_MEMCG
	if (mem_cgroup_sockets_enabled && parent->sk_memcg && !sk->sk_memcg) {
		css_get(&parent->sk_memcg->css);
		sk->sk_memcg = parent->sk_memcg;
	}
#endif
}

/**
 * xtcp_forced_mem_schedule() - charge @size even past the limits
 * @sk: the socket, locked
 * @size: bytes about to be charged with sk_mem_charge()
 * @kind: SK_MEM_RECV or SK_MEM_SEND
 *
 * As Linux's sk_forced_mem_schedule(), for the one buffer a connection
 * must always be able to hold to make progress (the first of its receive
 * queue, the first of its send queue). That function charges the memory
 * cgroup with __GFP_NOFAIL, which a module cannot: a socket in a cgroup
 * gets an ordinary charge here, which may fail.
 *
 * Return: true if @size is charged to the forward allocation.
 */
bool xtcp_forced_mem_schedule(struct sock *sk, int size, int kind)
{
	int delta = size - sk->sk_forward_alloc, amt;

	if (delta <= 0)
		return true;
	if (__sk_mem_schedule(sk, delta, kind))
		return true;
	if (mem_cgroup_sk_enabled(sk))
		return false;
	amt = sk_mem_pages(delta);
	sk_forward_alloc_add(sk, amt << PAGE_SHIFT);
	sk_memory_allocated_add(sk, amt);
	return true;
}

/**
 * xtcp_wmem_charge() - charge a new send buffer, or say there is no room
 * @sk: the socket, locked
 * @skb: the buffer, about to be queued
 *
 * As tcp_stream_alloc_skb(): the first buffer of an empty queue is always
 * charged; another one only within net.xtcp.mem (the core enters memory
 * pressure and shrinks the send buffer when it is not). On success the
 * buffer counts in sk_wmem_queued; free it with tcp_wmem_free_skb().
 *
 * Return: true if charged; false: the caller waits for memory
 * (sk_stream_wait_memory()), as tcp_sendmsg() does.
 */
bool xtcp_wmem_charge(struct sock *sk, struct sk_buff *skb)
{
	int size = skb->truesize;

	if (!xtcp_wmem_schedule(sk, size, skb_queue_empty(&sk->sk_write_queue)))
		return false;
	sk_wmem_queued_add(sk, size);
	sk_mem_charge(sk, size);
	return true;
}

/**
 * xtcp_wmem_schedule() - room in the forward allocation for send data
 * @sk: the socket, locked
 * @size: bytes about to be charged with sk_mem_charge()
 * @first: they go to the only buffer of the send queue, which is always
 *	charged (sk_forced_mem_schedule()), or the connection could not move
 *
 * Return: true if @size fits; false with the socket under memory
 * pressure and its send buffer moderated, as tcp_wmem_schedule().
 */
bool xtcp_wmem_schedule(struct sock *sk, int size, bool first)
{
	if (first)
		return xtcp_forced_mem_schedule(sk, size, SK_MEM_SEND);
	if (sk_wmem_schedule(sk, size))
		return true;
	sk->sk_prot->enter_memory_pressure(sk);
	sk_stream_moderate_sndbuf(sk);
	return false;
}

/**
 * xtcp_sndbuf_expand() - grow the send buffer with the congestion window
 * @sk: the socket, locked
 *
 * As tcp_should_expand_sndbuf() and tcp_sndbuf_expand(): not when the
 * user fixed it (SO_SNDBUF) nor when memory is short.
 */
void xtcp_sndbuf_expand(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int want;

	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return;
	if (sk_under_memory_pressure(sk) ||
	    sk_memory_allocated(sk) >= sk_prot_mem_limits(sk, 0))
		return;
	want = xtcp_sndbuf_for_cwnd(xs->cc.cwnd, xs->mss,
				    READ_ONCE(xtcp_net(sock_net(sk))->wmem[2]));
	if (want > READ_ONCE(sk->sk_sndbuf))
		WRITE_ONCE(sk->sk_sndbuf, want);
}

/**
 * xtcp_rcv_space_adjust() - grow the receive buffer with the reader
 * @sk: the socket, locked, after the user read from it
 *
 * Once per round trip (the RTT estimate of the connection), compare what
 * the user read in it with the round trip before; when the reader sped
 * up, the buffer grows to what xtcp_drs_rcvbuf() asks for, up to
 * net.xtcp.rmem[2], unless the user fixed it (SO_RCVBUF).
 */
void xtcp_rcv_space_adjust(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 now = div_u64(ktime_get_ns(), NSEC_PER_USEC);
	u32 copied, rtt = xs->rtt.srtt_us;
	int want;

	if (!xs->rcvq_stamp_us) {
		xs->rcvq_space = XTCP_INIT_SEGS * xs->adv_mss;
		xs->rcvq_seq = xs->copied_seq;
		xs->rcvq_stamp_us = now;
		return;
	}
	if (!rtt || now - xs->rcvq_stamp_us < rtt)
		return;
	copied = xs->copied_seq - xs->rcvq_seq;
	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
		want = xtcp_drs_rcvbuf(copied, xs->rcvq_space, xs->adv_mss,
				       xs->scaling_ratio,
				       READ_ONCE(xtcp_net(sock_net(sk))->rmem[2]));
		if (want > READ_ONCE(sk->sk_rcvbuf))
			WRITE_ONCE(sk->sk_rcvbuf, want);
	}
	if (copied > xs->rcvq_space)
		xs->rcvq_space = copied;
	xs->rcvq_seq = xs->copied_seq;
	xs->rcvq_stamp_us = now;
}
