// SPDX-License-Identifier: GPL-2.0
/*
 * D-SACK (RFC 2883), the pure part: which range a receiver reports, where
 * it goes among the SACK blocks, and what a sender may count of one.
 * No socket, only numbers; see include/xtcp/dsack.h.
 */

#include <linux/math.h>
#include <xtcp/dsack.h>
#include <xtcp/seq.h>

/**
 * xtcp_dsack_range() - the duplicate part of an arriving segment
 * @seq: the first byte of its text
 * @end: one past the last byte (within the window we offered)
 * @rcv_nxt: RCV.NXT before the segment
 * @held: the first run of its bytes the out-of-order queue holds already
 *	(xtcp_ooo_held()), empty (start == end) if none
 * @out: the range to report
 *
 * RFC 2883 section 4: the block covers the duplicate bytes of the segment
 * that made us send the ACK. Those below RCV.NXT come first (a resent
 * segment, wholly or in part old, RFC 2883 4.1.1 and 4.1.3); else those
 * already held out of order (4.1.2). The two never touch: what the queue
 * holds starts after RCV.NXT. One contiguous range only: it is one block.
 *
 * Return: true if @out holds a range to report.
 */
bool xtcp_dsack_range(u32 seq, u32 end, u32 rcv_nxt,
		      const struct xtcp_sack_block *held,
		      struct xtcp_sack_block *out)
{
	if (!xtcp_seq_before(seq, end))
		return false;
	if (xtcp_seq_before(seq, rcv_nxt)) {
		out->start = seq;
		out->end = xtcp_seq_min(end, rcv_nxt);
		return true;
	}
	if (!xtcp_seq_before(held->start, held->end))
		return false;
	*out = *held;
	return true;
}

/**
 * xtcp_dsack_merge() - note a duplicate range for the next ACK
 * @pending: the range waiting to be sent; updated
 * @was_pending: @pending held one not sent yet
 * @blk: the new duplicate range
 *
 * Duplicates that arrive before the ACK goes out are one report if they
 * overlap or touch (as Linux's tcp_dsack_extend()); otherwise the latest
 * wins, since the first block describes the segment that triggered the
 * ACK (RFC 2018 section 4).
 */
void xtcp_dsack_merge(struct xtcp_sack_block *pending, bool was_pending,
		      const struct xtcp_sack_block *blk)
{
	if (was_pending && !xtcp_seq_after(blk->start, pending->end) &&
	    !xtcp_seq_before(blk->end, pending->start)) {
		pending->start = xtcp_seq_min(pending->start, blk->start);
		pending->end = xtcp_seq_max(pending->end, blk->end);
		return;
	}
	*pending = *blk;
}

/**
 * xtcp_dsack_blocks() - the SACK blocks of an ACK that reports a duplicate
 * @dsack: the duplicate range
 * @ooo: the out-of-order queue's blocks, in the order they would go
 * @n: how many
 * @room: blocks the option may carry (3 beside timestamps, else 4)
 * @out: the blocks to send, room for @room
 *
 * RFC 2883 section 4: the D-SACK block first, then the usual blocks. If
 * the duplicate lies in a run the queue holds, that run comes second, so
 * that the sender can tell the first block for a D-SACK (section 4's
 * test, Linux's tcp_check_dsack()): a block above the cumulative ACK is a
 * D-SACK only if the second one contains it.
 *
 * Return: the number of blocks in @out.
 */
int xtcp_dsack_blocks(const struct xtcp_sack_block *dsack,
		      const struct xtcp_sack_block *ooo, int n, int room,
		      struct xtcp_sack_block *out)
{
	int i, k = 0, in = -1;

	if (room <= 0)
		return 0;
	out[k++] = *dsack;
	for (i = 0; i < n; i++) {
		if (!xtcp_seq_before(dsack->start, ooo[i].start) &&
		    !xtcp_seq_after(dsack->end, ooo[i].end)) {
			in = i;
			break;
		}
	}
	if (in >= 0 && k < room)
		out[k++] = ooo[in];
	for (i = 0; i < n && k < room; i++)
		if (i != in)
			out[k++] = ooo[i];
	return k;
}

/**
 * xtcp_dsack_undo_segs() - retransmissions of an episode a D-SACK reports
 * @blk: the D-SACK block
 * @marker: SND.UNA when the episode (fast recovery or RTO) began
 * @high: SND.MAX then: everything it resent lies below
 * @max_window: the largest window the peer offered
 * @mss: the send MSS
 *
 * A duplicate of bytes the episode could have resent, [@marker, @high),
 * counts for as many segments as it spans (Linux's tcp_dsack_seen()).
 * A range wider than the peer ever let us send is no report of ours: it
 * counts for nothing.
 *
 * Return: segments, 0 if the block says nothing of the episode.
 */
u32 xtcp_dsack_undo_segs(const struct xtcp_sack_block *blk, u32 marker,
			 u32 high, u32 max_window, u32 mss)
{
	u32 len = blk->end - blk->start;

	if (!xtcp_seq_before(blk->start, blk->end) || len > max_window ||
	    !mss)
		return 0;
	if (!xtcp_seq_after(blk->end, marker) || xtcp_seq_after(blk->end, high))
		return 0;
	return DIV_ROUND_UP(len, mss);
}
