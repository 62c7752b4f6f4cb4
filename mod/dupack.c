// SPDX-License-Identifier: GPL-2.0
/*
 * Duplicate ACKs, the pure part: no socket, only numbers, so that KUnit
 * checks each condition (kunit/dupack_test.c). sender.c counts them in
 * xtcp_dupack() and starts fast recovery when this file says so.
 */

#include <xtcp/dupack.h>

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
bool xtcp_is_dupack(const struct xtcp_dupack_in *in)
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
bool xtcp_dupack_lost(u32 dupacks, bool sack_lost)
{
	return dupacks >= XTCP_DUPTHRESH || sack_lost;
}
