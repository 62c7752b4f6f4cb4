/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When the receiver acknowledges, as a pure function (checked in KUnit,
 * kunit/ackpolicy_test.c): at once, or after the delayed ACK timer.
 * receiver.c gathers the numbers and sends or arms the timer.
 */
#ifndef _XTCP_ACKPOLICY_H
#define _XTCP_ACKPOLICY_H

#include <linux/types.h>

/**
 * struct xtcp_ack_in - what the choice between ACK now and later rests on
 * @filled: the segment filled a hole: say so at once (RFC 5681 4.2)
 * @ooo: segments still held out of order
 * @rcv_nxt: RCV.NXT, after the segment
 * @rcv_acked: RCV.NXT as last acknowledged
 * @copied_seq: the first byte the reader has not taken yet
 * @rcv_wnd: the window last offered, bytes
 * @mss: the peer's sending MSS as far as we know
 */
struct xtcp_ack_in {
	bool filled;
	u32 ooo;
	u32 rcv_nxt;
	u32 rcv_acked;
	u32 copied_seq;
	u32 rcv_wnd;
	u32 mss;
};

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
static inline bool xtcp_ack_now(const struct xtcp_ack_in *in)
{
	if (in->filled || in->ooo)
		return true;
	return in->rcv_nxt - in->rcv_acked >= 2 * in->mss &&
	       in->rcv_nxt - in->copied_seq < in->rcv_wnd / 2;
}

#endif /* _XTCP_ACKPOLICY_H */
