/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GSO bursts: new data that xtcp_push() (sender.c) gathers segment by
 * segment and hands to IP as one super-segment.
 *
 * Segmentation offload cuts a super-segment every gso_size bytes, so every
 * segment in it but the last must be a full gso_size. The sending rules
 * decide one segment at a time; the burst takes each one that continues it
 * at a full-segment boundary, and a short one (the tail of the queue, which
 * Nagle, cork or silly window avoidance let go) can only end it.
 */
#ifndef _XTCP_BURST_H
#define _XTCP_BURST_H

#include <linux/netdevice.h>
#include <linux/types.h>
#include <net/tcp.h>

/*
 * The largest GSO super-segment, in payload bytes. A fixed cap: the IP
 * total length field and the default gso_max_size of every device
 * (GSO_LEGACY_MAX_SIZE) both stop at 64 KB, headers included, and a
 * device that takes less (gso_max_size, gso_max_segs) gets the skb cut
 * by software GSO in validate_xmit_skb(), which is correct, only slower.
 * Linux sizes TSO bursts to about 1 ms of its pacing rate; xtcp does not
 * pace, and without GSO it would send the same bytes back to back in
 * separate skbs anyway, so a larger skb makes no larger burst.
 */
#define XTCP_GSO_MAX_BYTES	(GSO_LEGACY_MAX_SIZE - MAX_TCP_HEADER)

/**
 * struct xtcp_burst - new data gathered for one super-segment
 * @seq: its first sequence number
 * @len: bytes gathered so far; 0 for none
 * @mss: the segment size they were cut to
 * @max: the most bytes one super-segment takes; 0 (net.xtcp.gso off):
 *	one segment each
 */
struct xtcp_burst {
	u32 seq;
	u32 len;
	u32 mss;
	u32 max;
};

/**
 * xtcp_burst_joins() - may a segment join the burst?
 * @b: the burst, not empty
 * @seq: the segment's first sequence number
 * @len: its bytes, at most @mss
 * @mss: the size segments are cut to now
 *
 * Return: true if the segment follows the burst directly, after only full
 * segments of the same size, and the burst stays within its cap.
 */
static inline bool xtcp_burst_joins(const struct xtcp_burst *b, u32 seq,
				    u32 len, u32 mss)
{
	return b->seq + b->len == seq && b->mss == mss && !(b->len % mss) &&
	       b->len + len <= b->max;
}

#endif /* _XTCP_BURST_H */
