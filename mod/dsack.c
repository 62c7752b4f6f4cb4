// SPDX-License-Identifier: GPL-2.0
/*
 * D-SACK (RFC 2883), the pure part: which range a receiver reports, where
 * it goes among the SACK blocks, and what a sender may count of one.
 * No socket, only numbers; see include/xtcp/dsack.h.
 */

#include <linux/minmax.h>
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

/*
 * The range of @seen that @start..@end (apart from all of them) joins
 * when there is no room for another: the nearest below, else the nearest
 * above.
 */
static int xtcp_dsack_nearest(const struct xtcp_dsack_seen *seen, u32 start)
{
	int i, below = -1, above = -1;

	for (i = 0; i < seen->nr; i++) {
		if (seen->r[i].end < start) {
			if (below < 0 || seen->r[i].end > seen->r[below].end)
				below = i;
		} else if (above < 0 ||
			   seen->r[i].start < seen->r[above].start) {
			above = i;
		}
	}
	return below >= 0 ? below : above;
}

/**
 * xtcp_dsack_undo_bytes() - what a D-SACK newly reports of an episode
 * @blk: the D-SACK block
 * @marker: SND.UNA when the episode (fast recovery or RTO) began
 * @high: SND.MAX then: everything it resent lies below
 * @max_window: the largest window the peer offered
 * @seen: what earlier D-SACKs of the episode reported; updated
 *
 * The episode is undone once D-SACKs have reported as many bytes as it
 * resent. A receiver that repeats a D-SACK, or reports one retransmission
 * in pieces, must not have it count twice: each byte of [@marker, @high)
 * counts once per episode. Bounding the sum by what the episode resent
 * (Linux bounds its D-SACKed segments by total_retrans) would not do:
 * with two retransmissions, one lost and one spurious, the spurious one
 * reported twice stays within that bound. So @seen remembers the ranges
 * counted. Bytes, not segments (as Linux's tcp_dsack_seen() counts): a
 * half segment reported is not the whole of it, and two halves must not
 * make two segments.
 *
 * @seen has room for two ranges, which is enough in practice: the
 * duplicates arrive in the order the episode resent them, upwards
 * (go-back-N after an RTO, the holes in order in fast recovery), after
 * the tail loss probe's, which is the highest: a run that grows upwards
 * and the probe's range. A range that finds no room joins its nearest
 * neighbour below (above if none is): the bytes between then count as
 * reported already, which can keep an undo from happening, never make
 * one happen.
 *
 * A range wider than the peer ever let us send is no report of ours:
 * it counts for nothing, as does one that ends outside the episode. Of
 * one that straddles @marker only the part from @marker counts.
 *
 * Return: bytes newly reported, 0 if none.
 */
u32 xtcp_dsack_undo_bytes(const struct xtcp_sack_block *blk, u32 marker,
			  u32 high, u32 max_window,
			  struct xtcp_dsack_seen *seen)
{
	u32 start, end, fresh, s, e;
	int i, k;

	if (!xtcp_seq_before(blk->start, blk->end) ||
	    blk->end - blk->start > max_window)
		return 0;
	if (!xtcp_seq_after(blk->end, marker) || xtcp_seq_after(blk->end, high))
		return 0;
	/* Offsets from @marker from here on: [0, high - marker], no wrap. */
	start = xtcp_seq_after(blk->start, marker) ? blk->start - marker : 0;
	end = blk->end - marker;
	fresh = end - start;
	/* The ranges are apart: take off what each holds already. */
	for (i = 0; i < seen->nr; i++) {
		s = max(start, seen->r[i].start);
		e = min(end, seen->r[i].end);
		if (s < e)
			fresh -= e - s;
	}
	/* Those it overlaps or touches become part of it. */
	for (i = 0; i < seen->nr;) {
		if (seen->r[i].start <= end && seen->r[i].end >= start) {
			start = min(start, seen->r[i].start);
			end = max(end, seen->r[i].end);
			seen->r[i] = seen->r[--seen->nr];
			continue;
		}
		i++;
	}
	if (seen->nr == XTCP_DSACK_SEEN) {
		k = xtcp_dsack_nearest(seen, start);
		start = min(start, seen->r[k].start);
		end = max(end, seen->r[k].end);
		seen->r[k] = seen->r[--seen->nr];
	}
	seen->r[seen->nr].start = start;
	seen->r[seen->nr].end = end;
	seen->nr++;
	return fresh;
}
