/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receive window as pure arithmetic (mod/window.c, checked in KUnit,
 * kunit/window_test.c): what is left of the window we offered, the window
 * to offer now, and whether a reader's progress is worth a window update.
 * receiver.c gathers the numbers from the socket and acts on the answer.
 */
#ifndef _XTCP_WINDOW_H
#define _XTCP_WINDOW_H

#include <linux/types.h>

/**
 * struct xtcp_rwnd_in - what the window to offer is made of
 * @space: payload bytes the free receive buffer can hold now
 * @rcv_nxt: RCV.NXT
 * @rcv_adv: the right edge of the window offered before
 * @rcvbuf: the receive buffer (sk_rcvbuf), bytes
 * @mss: the peer's sending MSS as far as we know (the largest payload
 *	received, else our send MSS)
 * @wscale: our window scale shift (0 without window scaling)
 */
struct xtcp_rwnd_in {
	u32 space;
	u32 rcv_nxt;
	u32 rcv_adv;
	u32 rcvbuf;
	u32 mss;
	u8 wscale;
};

u32 xtcp_rwnd_left(u32 rcv_nxt, u32 rcv_adv);
u32 xtcp_rwnd_calc(const struct xtcp_rwnd_in *in);
bool xtcp_rwnd_update_due(u32 cur, u32 wnd, u32 mss, u32 rcvbuf);

#endif /* _XTCP_WINDOW_H */
