/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a duplicate ACK is and when they signal a loss, as pure functions
 * (checked in KUnit, kunit/dupack_test.c). sender.c gathers
 * the numbers, counts and starts recovery.
 */
#ifndef _XTCP_DUPACK_H
#define _XTCP_DUPACK_H

#include <linux/types.h>

/* Duplicate ACKs that signal a loss (RFC 5681 3.2 DupThresh). */
#define XTCP_DUPTHRESH	3

/**
 * struct xtcp_dupack_in - an arriving ACK and the send state it meets
 * @ack: SEG.ACK
 * @snd_una: SND.UNA
 * @snd_max: the highest sequence number sent
 * @wnd: the segment's window, scaled
 * @snd_wnd: SND.WND, the window we hold from the peer
 * @len: the segment's payload bytes
 * @syn_fin: the segment carries SYN or FIN
 * @sacked: its SACK blocks cover bytes not SACKed before
 */
struct xtcp_dupack_in {
	u32 ack;
	u32 snd_una;
	u32 snd_max;
	u32 wnd;
	u32 snd_wnd;
	u32 len;
	bool syn_fin;
	bool sacked;
};

/**
 * xtcp_is_dupack() - is an ACK that acknowledges nothing new a duplicate?
 * @in: the segment and the send state
 *
 * RFC 5681 section 2: data outstanding, SEG.ACK = SND.UNA, no data, no
 * SYN or FIN, the same window. RFC 6675 section 2 counts as well an ACK
 * whose SACK blocks cover bytes not SACKed before; such an ACK counts here
 * even if the window moved, as the receiver's buffer filled, and even if
 * it carries data: a peer that is sending too reports the hole on its
 * next data segment (Linux TCP does), and counting only pure ACKs left
 * loss in a transfer both ways to the RTO.
 *
 * Return: true if it counts as a duplicate ACK.
 */
static inline bool xtcp_is_dupack(const struct xtcp_dupack_in *in)
{
	if (in->ack != in->snd_una || in->snd_una == in->snd_max ||
	    in->syn_fin)
		return false;
	return in->sacked || (!in->len && in->wnd == in->snd_wnd);
}

/**
 * xtcp_dupack_lost() - do the duplicate ACKs so far signal a loss?
 * @dupacks: duplicate ACKs in a row, this one counted
 * @sack_lost: SACK is in use and the scoreboard's IsLost(SND.UNA) holds
 *
 * RFC 5681 3.2: DupThresh of them; RFC 6675 section 5: or SACKed data
 * enough, before DupThresh ACKs came, to call the first hole lost.
 *
 * Return: true to start fast recovery.
 */
static inline bool xtcp_dupack_lost(u32 dupacks, bool sack_lost)
{
	return dupacks >= XTCP_DUPTHRESH || sack_lost;
}

#endif /* _XTCP_DUPACK_H */
