/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How much new data the next segment carries, as pure functions
 * (checked in KUnit, kunit/sendlen_test.c): what the peer's window
 * leaves beyond SND.NXT, the windows, Nagle's algorithm, TCP_CORK and
 * sender silly window avoidance. sender.c gathers the numbers and sends
 * what it is told.
 */
#ifndef _XTCP_SENDLEN_H
#define _XTCP_SENDLEN_H

#include <linux/minmax.h>
#include <linux/types.h>
#include <xtcp/seq.h>

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

/**
 * xtcp_snd_wnd_left() - what the peer's window leaves beyond SND.NXT
 * @snd_una: SND.UNA
 * @snd_wnd: SND.WND, the window the peer offers from SND.UNA
 * @snd_nxt: SND.NXT
 *
 * SND.UNA + SND.WND - SND.NXT, in sequence space (RFC 9293 3.8.6.2.1's
 * usable window, less the congestion window). The sender's one reckoning
 * of it: new segments, the persist timer's, the tail loss probe's and the
 * path-MTU probe's room all come from here.
 *
 * Return: bytes, 0 if the window ends at or before SND.NXT: a peer that
 * shrank its window below what is in flight (RFC 9293 3.8.6, MUST-34)
 * leaves nothing, never the wrapped difference.
 */
static inline u32 xtcp_snd_wnd_left(u32 snd_una, u32 snd_wnd, u32 snd_nxt)
{
	u32 wnd_end = snd_una + snd_wnd;

	return xtcp_seq_before(snd_nxt, wnd_end) ? wnd_end - snd_nxt : 0;
}

/**
 * xtcp_next_len() - the length of the next new segment from SND.NXT
 * @in: the send sequence space, the windows, the segment size and the
 *	socket options that hold small segments back
 *
 * A full segment goes if both windows have room. A shorter one must be
 * all that is queued and pass Nagle's test (no unacknowledged data, or
 * TCP_NODELAY, never while corked; RFC 9293 3.7.4), or, limited by the
 * peer's window, be at least half the largest window it ever offered
 * (sender SWS avoidance, 3.8.6.2.1). What was sent before (going back
 * after an RTO) goes again without waiting, and a queued FIN or urgent
 * data flushes the tail. The persist timer overrides the wait.
 *
 * Return: bytes, at most @in->smss; 0 to send nothing now.
 */
static inline u32 xtcp_next_len(const struct xtcp_send_in *in)
{
	u32 left = xtcp_snd_wnd_left(in->snd_una, in->snd_wnd, in->snd_nxt);
	u32 avail, len;

	if (!xtcp_seq_before(in->snd_nxt, in->end) || !left)
		return 0;
	avail = in->end - in->snd_nxt;
	len = min3(avail, in->smss, left);
	if (len > in->cwnd_room)
		return 0;
	/* Full-sized, or sent before (going back after an RTO): no wait. */
	if (len == in->smss || xtcp_seq_before(in->snd_nxt, in->snd_max))
		return len;
	if (len < avail)
		return len >= in->max_window / 2 ? len : 0;
	/* The queue's tail: Nagle, unless closing or urgent data flush it. */
	if (in->fin || in->urg)
		return len;
	if (in->cork)
		return 0;
	if (!in->nodelay && in->snd_una != in->snd_max)
		return 0;
	return len;
}

/**
 * xtcp_notsent_ok() - may the writer queue more (TCP_NOTSENT_LOWAT)?
 * @notsent: bytes queued and never sent yet (write_seq - SND.MAX)
 * @lowat: TCP_NOTSENT_LOWAT, or net.xtcp.notsent_lowat when that is 0;
 *	UINT_MAX (the default) means no limit
 * @wake: 1 for poll() and the wakeup of writers, 0 for send()
 *
 * As Linux's tcp_stream_memory_free(): send() copies while the unsent
 * bytes are under the mark, and poll() reports the socket writable, and
 * sleeping writers wake, only once they are under half of it, so that a
 * writer woken finds room for more than a few bytes. Sent but not yet
 * acknowledged data does not count: the mark bounds what waits in the
 * socket, not what the network holds.
 *
 * Return: true if the writer may go on.
 */
static inline bool xtcp_notsent_ok(u32 notsent, u32 lowat, int wake)
{
	return ((u64)notsent << !!wake) < lowat;
}

#endif /* _XTCP_SENDLEN_H */
