/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When the receiver acknowledges, as a pure function (mod/ackpolicy.c,
 * checked in KUnit, kunit/ackpolicy_test.c): at once, or after the delayed
 * ACK timer. receiver.c gathers the numbers and sends or arms the timer.
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

bool xtcp_ack_now(const struct xtcp_ack_in *in);

#endif /* _XTCP_ACKPOLICY_H */
