// SPDX-License-Identifier: GPL-2.0
/*
 * When to acknowledge in-order data, the pure part: no socket, only
 * numbers, so that KUnit checks each threshold (kunit/ackpolicy_test.c).
 * receiver.c asks after queueing a segment in order; a segment out of
 * order is answered at once there, with its SACK blocks.
 */

#include <xtcp/ackpolicy.h>

/**
 * xtcp_ack_now() - acknowledge now, or let the delayed ACK timer do it?
 * @in: the segment's effect and the receive sequence space
 *
 * RFC 9293 3.8.6.3 and RFC 5681 4.2: at once when the segment filled a
 * hole or a hole remains (the sender counts our duplicate ACKs and reads
 * our SACK blocks), and for every second full-sized segment; otherwise
 * after at most XTCP_DELACK_MS.
 *
 * Two full segments wait in every GSO super-segment, which would make an
 * ACK of each: while the reader is behind by half the window we offered,
 * the ACK waits for it instead (xtcp_window_update() when it reads, the
 * timer at the latest), as Linux's __tcp_ack_snd_check() holds it back
 * while the window would shrink. An ACK then would only close the window
 * further; the sender learns more from the one the read sends.
 *
 * Return: true to send an ACK now, false to arm the delayed ACK timer.
 */
bool xtcp_ack_now(const struct xtcp_ack_in *in)
{
	if (in->filled || in->ooo)
		return true;
	return in->rcv_nxt - in->rcv_acked >= 2 * in->mss &&
	       in->rcv_nxt - in->copied_seq < in->rcv_wnd / 2;
}
