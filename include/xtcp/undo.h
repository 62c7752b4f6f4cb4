/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Undo of a spurious recovery episode by timestamps: RFC 3522's Eifel
 * detection, as a pure function (checked in KUnit, kunit/undo_test.c).
 * sender.c gathers the numbers and undoes; output.c stamps the episode's
 * first retransmission and every TSval sent.
 *
 * With timestamps on, each transmission of a segment carries its own
 * TSval, and the receiver echoes the TSval of the segment that made it
 * ACK (RFC 7323 4.3). If the first ACK of new data after an episode's
 * first retransmission echoes a TSval older than that retransmission's,
 * it answers the original: the original arrived, the retransmission was
 * not needed, and the window reduction that came with it goes back
 * (RFC 4015's response; Linux's tcp_packet_delayed()). Unlike the D-SACK
 * undo (dsack.h) it needs nothing from the receiver but its timestamps,
 * and it knows at the first ACK rather than after the duplicates arrive.
 */
#ifndef _XTCP_UNDO_H
#define _XTCP_UNDO_H

#include <linux/types.h>

/**
 * struct xtcp_ts_undo_in - an ACK's echo and what this connection sent
 * @ts_on: timestamps were negotiated and net.xtcp.ts_undo is on
 * @rtx_on: @rtx_tsval holds the episode's first retransmission's TSval
 * @tsecr: the ACK's TSecr (0: no timestamp option, or no echo)
 * @rtx_tsval: the TSval of the episode's first retransmission
 * @first_tsval: the first TSval this connection sent
 * @last_tsval: the latest TSval this connection sent
 */
struct xtcp_ts_undo_in {
	bool ts_on;
	bool rtx_on;
	u32 tsecr;
	u32 rtx_tsval;
	u32 first_tsval;
	u32 last_tsval;
};

/**
 * xtcp_ts_spurious() - does an ACK's echo show the episode spurious?
 * @in: the ACK's TSecr and the TSvals sent
 *
 * Called for the first ACK that acknowledges new data after the episode's
 * first retransmission, which starts at SND.UNA: the ACK covers resent
 * bytes. The echo must be older than the retransmission's TSval: equal
 * may be the retransmission itself (the clock ticks in milliseconds, and
 * both transmissions may fall in one tick), so it never counts.
 *
 * An echo of a TSval we never sent, older than the connection's first or
 * newer than its latest, is a peer's invention (or garbage): it never
 * undoes anything. 0 is "no echo" as for RTT timing (rtt.c).
 *
 * The clock wraps: every comparison is by distance back from
 * @last_tsval, modulo 2^32, so it holds across the wrap for connections
 * that have sent for less than 2^32 ms (49.7 days).
 *
 * Return: true if the original transmission arrived: undo the episode.
 */
static inline bool xtcp_ts_spurious(const struct xtcp_ts_undo_in *in)
{
	u32 span = in->last_tsval - in->first_tsval;
	u32 age = in->last_tsval - in->tsecr;

	if (!in->ts_on || !in->rtx_on || !in->tsecr)
		return false;
	if (age > span)		/* not a TSval we sent */
		return false;
	/* Older than the retransmission: further back from the latest. */
	return age > in->last_tsval - in->rtx_tsval;
}

#endif /* _XTCP_UNDO_H */
