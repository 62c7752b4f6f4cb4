/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How much new data the next segment carries, as a pure function
 * (mod/sendlen.c, checked in KUnit, kunit/sendlen_test.c): the windows,
 * Nagle's algorithm, TCP_CORK and sender silly window avoidance.
 * sender.c gathers the numbers and sends what it is told.
 */
#ifndef _XTCP_SENDLEN_H
#define _XTCP_SENDLEN_H

#include <linux/types.h>

/**
 * struct xtcp_send_in - what the next segment's length rests on
 * @snd_una: SND.UNA
 * @snd_nxt: SND.NXT, where the segment starts
 * @snd_max: the highest sequence number sent (SND.NXT is below it after
 *	an RTO, while going back over what was sent)
 * @end: one past the last data byte queued
 * @snd_wnd: SND.WND, the peer's window from SND.UNA
 * @max_window: the largest window the peer ever offered
 * @cwnd_room: what the congestion window leaves, bytes
 * @smss: the segment size
 * @fin: a FIN follows the data: the tail goes at once
 * @urg: urgent data is pending: the tail goes at once
 * @cork: TCP_CORK
 * @nodelay: TCP_NODELAY
 */
struct xtcp_send_in {
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_max;
	u32 end;
	u32 snd_wnd;
	u32 max_window;
	u32 cwnd_room;
	u32 smss;
	bool fin;
	bool urg;
	bool cork;
	bool nodelay;
};

u32 xtcp_next_len(const struct xtcp_send_in *in);

#endif /* _XTCP_SENDLEN_H */
