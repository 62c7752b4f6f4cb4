/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receive window as pure arithmetic (checked in KUnit,
 * kunit/window_test.c): what is left of the window we offered, the window
 * to offer now, and whether a reader's progress is worth a window update.
 * receiver.c gathers the numbers from the socket and acts on the answer.
 *
 * RFC 9293 3.8.6.2.2 (receiver silly window avoidance, MUST-39): the
 * window offered grows only by a useful amount, at least min(buffer / 2,
 * MSS). SHLD-14: its right edge never moves back. RFC 7323 2.3: the
 * window goes out shifted right by our scale, so it is offered in whole
 * units of 2^wscale and never beyond what the 16-bit field can carry.
 */
#ifndef _XTCP_WINDOW_H
#define _XTCP_WINDOW_H

#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/types.h>
#include <xtcp/seq.h>

/* The largest window field; more needs window scaling (RFC 7323). */
#define XTCP_MAX_WINDOW		65535U

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

/**
 * xtcp_rwnd_left() - what is left of the window we offered
 * @rcv_nxt: RCV.NXT
 * @rcv_adv: the right edge offered before
 *
 * Return: @rcv_adv - @rcv_nxt, or 0 once RCV.NXT reached or passed it.
 */
static inline u32 xtcp_rwnd_left(u32 rcv_nxt, u32 rcv_adv)
{
	return xtcp_seq_after(rcv_adv, rcv_nxt) ? rcv_adv - rcv_nxt : 0;
}

/**
 * xtcp_rwnd_calc() - the window to offer now
 * @in: the free space, the edge offered before, the buffer, MSS and scale
 *
 * The free space, at most what the window field can carry at our scale.
 * It replaces what is left of the window offered before only if it is
 * larger by at least min(@in->rcvbuf / 2, @in->mss); otherwise the old
 * edge stays. It never falls below that edge: the result is rounded down
 * to the scale unit, or up if rounding down would move the edge back.
 *
 * Return: bytes, a multiple of 2^@in->wscale; the caller shifts it.
 */
static inline u32 xtcp_rwnd_calc(const struct xtcp_rwnd_in *in)
{
	u32 space = min(in->space, XTCP_MAX_WINDOW << in->wscale);
	u32 cur = xtcp_rwnd_left(in->rcv_nxt, in->rcv_adv);
	u32 unit = min(in->rcvbuf / 2, in->mss);
	u32 wnd;

	/* Grow it only by a useful amount (receiver SWS avoidance). */
	if (space > cur && space - cur >= unit)
		wnd = space;
	else
		wnd = cur;
	wnd = round_down(wnd, 1U << in->wscale);
	/* Never shrink: the right edge stays where it was (SHLD-14). */
	if (wnd < cur)
		wnd = round_up(cur, 1U << in->wscale);
	return wnd;
}

/**
 * xtcp_rwnd_update_due() - is a window update worth a segment?
 * @cur: what is left of the window offered (xtcp_rwnd_left())
 * @wnd: the window we would offer now (xtcp_rwnd_calc())
 * @mss: our send MSS
 * @rcvbuf: the receive buffer, bytes
 *
 * After the reader made room: when the window grows by two segments or a
 * quarter of the buffer, or opens from below one segment to at least one
 * (RFC 9293 3.8.6.2.2), so that a sender held back by the window learns
 * of the room without an ACK for every read.
 *
 * Return: true to send an ACK with the window now.
 */
static inline bool xtcp_rwnd_update_due(u32 cur, u32 wnd, u32 mss, u32 rcvbuf)
{
	return wnd >= cur + 2 * mss || wnd >= cur + rcvbuf / 4 ||
	       (cur < mss && wnd >= mss);
}

#endif /* _XTCP_WINDOW_H */
