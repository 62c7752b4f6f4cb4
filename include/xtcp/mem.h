/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket memory: what xtcp charges to the protocol's accounting (mem.c)
 * and the arithmetic of buffer sizes and windows.
 *
 * Every buffer a connection holds (received text in order or out of
 * order, text the user wrote and the peer has not acknowledged) is
 * charged by its truesize to the socket, and through the socket to
 * net.xtcp.mem (pages, protocol-wide: min, pressure, max, as tcp_mem) and
 * to the socket's memory cgroup, with the kernel's socket memory API
 * (sk_rmem_schedule(), sk_wmem_schedule(), sk_mem_charge()). The buffers
 * start at net.xtcp.rmem[1] and wmem[1] and grow with what the connection
 * uses, up to rmem[2] and wmem[2], unless SO_RCVBUF / SO_SNDBUF fixed them.
 *
 * The helpers below are pure: KUnit tests them (kunit/mem_test.c).
 */
#ifndef _XTCP_MEM_H
#define _XTCP_MEM_H

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/skbuff.h>

/*
 * Payload per byte of buffer memory, in 1/256ths (Linux's scaling_ratio,
 * TCP_RMEM_TO_WIN_SCALE): a connection measures it on full-sized
 * segments; until then it assumes half.
 */
#define XTCP_RATIO_SHIFT	8
#define XTCP_RATIO_DEFAULT	(1U << (XTCP_RATIO_SHIFT - 1))
/* net.xtcp.rmem and wmem by default: Linux's tcp_rmem and tcp_wmem. */
#define XTCP_RMEM_MIN		4096
#define XTCP_RMEM_DEFAULT	131072
#define XTCP_RMEM_MAX		6291456
#define XTCP_WMEM_MIN		4096
#define XTCP_WMEM_DEFAULT	16384
#define XTCP_WMEM_MAX		4194304
/* Segments in an initial window (RFC 6928), for the first buffer sizes. */
#define XTCP_INIT_SEGS		10

/**
 * xtcp_win_from_space() - the window a free buffer space can hold
 * @space: free bytes of buffer memory (may be negative: none)
 * @ratio: payload per buffer byte, in 1/256ths
 *
 * Return: payload bytes.
 */
static inline u32 xtcp_win_from_space(int space, u8 ratio)
{
	if (space <= 0)
		return 0;
	return ((u64)space * ratio) >> XTCP_RATIO_SHIFT;
}

/**
 * xtcp_space_from_win() - the buffer memory a window of payload takes
 * @win: payload bytes
 * @ratio: payload per buffer byte, in 1/256ths (0 counts as 1)
 *
 * Return: bytes of buffer memory, at most INT_MAX.
 */
static inline int xtcp_space_from_win(u64 win, u8 ratio)
{
	u64 space = div_u64(win << XTCP_RATIO_SHIFT, ratio ?: 1);

	return min_t(u64, space, INT_MAX);
}

/**
 * xtcp_ratio() - payload per buffer byte of a received buffer
 * @len: its payload bytes
 * @truesize: the memory it takes
 *
 * Return: the ratio in 1/256ths, 1 to 255.
 */
static inline u8 xtcp_ratio(u32 len, u32 truesize)
{
	u64 r;

	if (!truesize)
		return XTCP_RATIO_DEFAULT;
	r = div_u64((u64)len << XTCP_RATIO_SHIFT, truesize);
	return clamp_t(u64, r, 1, 255);
}

/**
 * xtcp_drs_rcvbuf() - the receive buffer the reader's pace asks for
 * @copied: bytes the application read in the last round trip
 * @space: bytes it read in the round trip measured before (> 0)
 * @advmss: the MSS we announced
 * @ratio: payload per buffer byte, in 1/256ths
 * @max: net.xtcp.rmem[2]
 *
 * Dynamic right-sizing, as Linux's tcp_rcv_space_adjust(): the window
 * must hold twice what the reader takes per round trip (the sender may be
 * in slow start and double it by the next one), and more if the pace is
 * growing, plus room for 16 segments of reordering.
 *
 * Return: the buffer size in bytes (at most @max), or 0 if the reader did
 * not speed up (@copied <= @space): no reason to grow.
 */
static inline int xtcp_drs_rcvbuf(u32 copied, u32 space, u32 advmss,
				  u8 ratio, int max)
{
	u64 rcvwin, grow;

	if (copied <= space || !space)
		return 0;
	/* No buffer exceeds INT_MAX: keep the products within 64 bits. */
	copied = min_t(u32, copied, INT_MAX);
	rcvwin = ((u64)copied << 1) + 16ULL * advmss;
	grow = div_u64(rcvwin * (copied - min(space, copied)), space);
	rcvwin += min_t(u64, grow, U32_MAX) << 1;
	return min_t(int, xtcp_space_from_win(rcvwin, ratio), max);
}

/**
 * xtcp_sndbuf_for_cwnd() - the send buffer a congestion window asks for
 * @cwnd: the congestion window, bytes
 * @mss: the send MSS
 * @max: net.xtcp.wmem[2]
 *
 * As Linux's tcp_sndbuf_expand(): room for two windows of text (one in
 * flight, one queued behind it) in buffers of the size the sender queues
 * (a little over their payload, see xtcp_sendmsg()), at least an initial
 * window's worth.
 *
 * Return: bytes, at most @max.
 */
static inline int xtcp_sndbuf_for_cwnd(u32 cwnd, u32 mss, int max)
{
	u32 unit = mss ?: 1;
	u64 segs = max_t(u64, div_u64((u64)cwnd + unit - 1, unit),
			 XTCP_INIT_SEGS);
	u64 bytes = 2 * segs * unit;

	/* Each queued buffer of up to 32 KB costs its sk_buff and shinfo. */
	bytes += bytes / 16 + SKB_TRUESIZE(0) * 2;
	return min_t(u64, bytes, max);
}

struct sock;

/* mem.c: the protocol-wide accounting struct proto points at */
extern atomic_long_t xtcp_memory_allocated;
DECLARE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
extern struct percpu_counter xtcp_sockets_allocated;
extern unsigned long xtcp_memory_pressure;
extern long xtcp_sysctl_mem[3];
extern int xtcp_rmem_min[3];
extern int xtcp_wmem_min[3];

int xtcp_mem_module_init(void);
long xtcp_memory_allocated_sum(void);
void xtcp_mem_module_exit(void);
void xtcp_enter_memory_pressure(struct sock *sk);
void xtcp_leave_memory_pressure(struct sock *sk);
void xtcp_mem_sock_init(struct sock *sk);
void xtcp_mem_sock_destroy(struct sock *sk);
void xtcp_mem_inherit(struct sock *sk, const struct sock *parent);
bool xtcp_forced_mem_schedule(struct sock *sk, int size, int kind);
bool xtcp_wmem_charge(struct sock *sk, struct sk_buff *skb);
bool xtcp_wmem_schedule(struct sock *sk, int size, bool first);
void xtcp_sndbuf_expand(struct sock *sk);
void xtcp_rcv_space_adjust(struct sock *sk);

#endif /* _XTCP_MEM_H */
