/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packetization-layer path-MTU discovery (RFC 4821, RFC 8899 for TCP), as
 * Linux's tcp_mtu_probing: the state a connection keeps and the pure
 * decisions of the search, used by mod/mtuprobe.c and tested by KUnit
 * (kunit/mtuprobe_test.c).
 *
 * Sizes are send MSS, as xs->mss counts them: the payload of a full
 * segment, after the TCP options every segment carries. The headers do
 * not change during a connection, so an MSS names one packet size, and
 * the same numbers serve IPv4 and IPv6.
 */
#ifndef _XTCP_MTUPROBE_H
#define _XTCP_MTUPROBE_H

#include <linux/minmax.h>
#include <linux/types.h>

/**
 * struct xtcp_mtup - a connection's path-MTU search
 * @search_low: the largest MSS known to cross the path
 * @search_high: the largest MSS that may cross it (the handshake's, or
 *	one less than a probe that was lost)
 * @probe_mss: the payload of the probe in flight, 0 for none
 * @enabled: probing is on: net.xtcp.mtu_probing 2 from the start, 1 once
 *	a black hole was detected; the send MSS stays at @search_low or below
 * @probe_seq: the probe's first sequence number
 * @stamp: jiffies when the search last (re)started (probe_interval)
 */
struct xtcp_mtup {
	u16 search_low;
	u16 search_high;
	u16 probe_mss;
	u8 enabled;
	u32 probe_seq;
	u32 stamp;
};

/**
 * xtcp_mtup_next() - the size of the next probe
 * @low: search_low
 * @high: search_high
 * @threshold: net.xtcp.probe_threshold: the search ends once the range
 *	is narrower than this
 *
 * Binary search: the midpoint halves the range whatever the probe's
 * fate. Return: the probe's MSS, above @low and at most @high; 0 when the
 * search is over (or the range is empty: a base MSS above the peer's).
 */
static inline u32 xtcp_mtup_next(u32 low, u32 high, u32 threshold)
{
	u32 mid;

	if (high <= low || high - low < threshold)
		return 0;
	mid = low + (high - low) / 2;
	return mid > low ? mid : 0;
}

/**
 * xtcp_mtup_hole_mss() - the search_low after a further black hole
 * @low: search_low now
 * @base: net.xtcp.base_mss
 * @floor: net.xtcp.mtu_probe_floor
 * @min_mss: net.xtcp.min_snd_mss
 *
 * Retransmissions still time out although probing already keeps segments
 * at search_low: the hole is narrower still. Halve, never above the base
 * nor below the floors, as Linux's tcp_mtu_probing().
 */
static inline u32 xtcp_mtup_hole_mss(u32 low, u32 base, u32 floor,
				     u32 min_mss)
{
	return max3(min(low / 2, base), floor, min_mss);
}

/**
 * xtcp_mtup_clamp() - the send MSS a path's MSS allows while probing
 * @m: the search
 * @mss: the MSS the route and the handshake allow
 *
 * Return: @mss, or search_low if probing is on and it is smaller: only
 * a probe goes larger.
 */
static inline u32 xtcp_mtup_clamp(const struct xtcp_mtup *m, u32 mss)
{
	return m->enabled ? min_t(u32, mss, m->search_low) : mss;
}

#endif /* _XTCP_MTUPROBE_H */
