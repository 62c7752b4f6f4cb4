/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence number arithmetic (RFC 9293 section 3.4).
 *
 * Sequence numbers live in a space of 2^32 that wraps. "a before b" means
 * that b lies less than 2^31 ahead of a going forward; the signed difference
 * of the two as 32-bit numbers tells which, whatever the wrap.
 */
#ifndef _XTCP_SEQ_H
#define _XTCP_SEQ_H

#include <linux/types.h>

/* a comes strictly before b. */
static inline bool xtcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* a comes strictly after b. */
static inline bool xtcp_seq_after(u32 a, u32 b)
{
	return xtcp_seq_before(b, a);
}

/* a comes before b or is b. */
static inline bool xtcp_seq_leq(u32 a, u32 b)
{
	return !xtcp_seq_after(a, b);
}

/* a comes after b or is b. */
static inline bool xtcp_seq_geq(u32 a, u32 b)
{
	return !xtcp_seq_before(a, b);
}

/*
 * lo <= x <= hi, walking forward from lo. Unlike two comparisons this also
 * holds for a range of 2^31 or more: it measures both offsets from lo.
 */
static inline bool xtcp_seq_between(u32 lo, u32 x, u32 hi)
{
	return x - lo <= hi - lo;
}

/*
 * start <= x < start + len: the test RFC 9293 uses to decide whether a
 * sequence number falls inside a window. An empty window holds nothing.
 */
static inline bool xtcp_seq_in_window(u32 x, u32 start, u32 len)
{
	return x - start < len;
}

/**
 * xtcp_seg_acceptable() - RFC 9293 3.10.7.4 "first, check sequence number"
 * @rcv_nxt: RCV.NXT
 * @rcv_wnd: RCV.WND
 * @seq: SEG.SEQ
 * @len: SEG.LEN, SYN and FIN counted
 *
 * The four cases of the RFC's table: a segment is acceptable when some of
 * it falls inside the receive window; an empty segment when its sequence
 * number does; with a zero window only an empty segment at RCV.NXT.
 *
 * Return: true if the segment is acceptable.
 */
static inline bool xtcp_seg_acceptable(u32 rcv_nxt, u32 rcv_wnd, u32 seq,
				       u32 len)
{
	if (!len && !rcv_wnd)
		return seq == rcv_nxt;
	if (!len)
		return xtcp_seq_in_window(seq, rcv_nxt, rcv_wnd);
	if (!rcv_wnd)
		return false;
	return xtcp_seq_in_window(seq, rcv_nxt, rcv_wnd) ||
	       xtcp_seq_in_window(seq + len - 1, rcv_nxt, rcv_wnd);
}

/* The later of a and b. */
static inline u32 xtcp_seq_max(u32 a, u32 b)
{
	return xtcp_seq_after(a, b) ? a : b;
}

/* The earlier of a and b. */
static inline u32 xtcp_seq_min(u32 a, u32 b)
{
	return xtcp_seq_before(a, b) ? a : b;
}

#endif /* _XTCP_SEQ_H */
