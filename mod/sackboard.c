// SPDX-License-Identifier: GPL-2.0
/*
 * The sender's SACK scoreboard (RFC 2018, RFC 6675).
 *
 * The board holds what the peer's SACK blocks said it has above SND.UNA,
 * as at most XTCP_SB_MAX_RANGES sorted, disjoint ranges. Everything RFC
 * 6675 asks of it works on those ranges and the holes between them, never
 * byte by byte or segment by segment, so each call costs O(ranges):
 *
 * - A hole is the unSACKed gap below a range (or between the highest
 *   range and SND.NXT). Every byte of a hole sees the same SACKed bytes
 *   above it, so IsLost() is the same for the whole hole; and the higher
 *   the hole, the fewer SACKed bytes above it, so the lost holes are the
 *   lowest ones, up to a point (xtcp_sb_lost_holes()).
 * - SetPipe() counts every unSACKed byte once if it is not lost and once
 *   more if it was retransmitted: the lengths of the holes that are not
 *   lost, plus the unSACKed bytes below HighRxt.
 * - NextSeg() takes the first lost hole at or above HighRxt.
 *
 * RFC 6675 counts pipe in octets and so does xtcp: a hole is not rounded
 * to whole segments. Where it counts SACKed segments (IsLost()), a range
 * of L bytes holds at least DIV_ROUND_UP(L, SMSS) segments, since no
 * segment is longer than SMSS: the estimate never claims more than
 * arrived.
 */

#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <xtcp/sackboard.h>
#include <xtcp/seq.h>

/*
 * The board seen from SND.UNA: each range as offsets from SND.UNA, cut to
 * [0, SND.NXT - SND.UNA]. Offsets are plain numbers, so the arithmetic
 * below needs no sequence comparisons, whatever the wrap.
 */
struct xtcp_sb_view {
	u32 s[XTCP_SB_MAX_RANGES];
	u32 e[XTCP_SB_MAX_RANGES];
	int nr;
	u32 flight;
	u32 lost_off;
};

static void xtcp_sb_view(const struct xtcp_sackboard *sb, u32 snd_una,
			 u32 snd_nxt, struct xtcp_sb_view *v)
{
	int i;

	v->nr = 0;
	v->flight = snd_nxt - snd_una;
	v->lost_off = 0;
	if (sb->rack_lost && xtcp_seq_after(sb->lost_to, snd_una))
		v->lost_off = min(sb->lost_to - snd_una, v->flight);
	for (i = 0; i < sb->nr; i++) {
		const struct xtcp_sack_block *r = &sb->r[i];
		u32 s, e;

		/* Not yet advanced past: what is below SND.UNA is gone. */
		if (xtcp_seq_leq(r->end, snd_una))
			continue;
		s = xtcp_seq_before(r->start, snd_una) ? 0 : r->start - snd_una;
		e = min(r->end - snd_una, v->flight);
		if (s >= e)
			continue;
		v->s[v->nr] = s;
		v->e[v->nr] = e;
		v->nr++;
	}
}

/* Hole @k of @v: from the range below it (or 0) to range @k (or flight). */
static u32 xtcp_sb_hole_start(const struct xtcp_sb_view *v, int k)
{
	return k ? v->e[k - 1] : 0;
}

static u32 xtcp_sb_hole_end(const struct xtcp_sb_view *v, int k)
{
	return k < v->nr ? v->s[k] : v->flight;
}

/*
 * RFC 6675 IsLost() on what is SACKed above a sequence number: @segs
 * SACKed segments (estimated, see above) and @bytes SACKed bytes.
 */
static bool xtcp_sb_lost(u32 segs, u32 bytes, u32 mss)
{
	return segs >= XTCP_SB_DUPTHRESH ||
	       bytes > (u64)(XTCP_SB_DUPTHRESH - 1) * mss;
}

/*
 * How many holes of @v, from the lowest, IsLost() holds for: holes
 * 0 .. n-1 are lost, the others are not. The hole above the highest
 * range never is: nothing is SACKed above it. Holes RACK found lost
 * (those that end at or below @v->lost_off) count too.
 */
static int xtcp_sb_lost_holes(const struct xtcp_sb_view *v, u32 mss)
{
	u32 segs = 0, bytes = 0;
	int k, n = 0;

	for (k = v->nr - 1; k >= 0; k--) {
		u32 len = v->e[k] - v->s[k];

		segs += DIV_ROUND_UP(len, mss);
		bytes += len;
		/* Hole k lies just below range k: ranges k.. are above it. */
		if (xtcp_sb_lost(segs, bytes, mss)) {
			n = k + 1;
			break;
		}
	}
	while (n < v->nr && v->s[n] <= v->lost_off)
		n++;
	return n;
}

/* Offset of @high_rxt from SND.UNA, cut to [0, flight]. */
static u32 xtcp_sb_rxt_off(const struct xtcp_sb_view *v, u32 snd_una,
			   u32 high_rxt)
{
	if (xtcp_seq_before(high_rxt, snd_una))
		return 0;
	return min(high_rxt - snd_una, v->flight);
}

/**
 * xtcp_sb_reset() - forget every SACKed range
 * @sb: the scoreboard
 *
 * For a new connection, and after a retransmission timeout: the peer may
 * have reneged (RFC 2018 section 8), so what it SACKed no longer counts.
 */
void xtcp_sb_reset(struct xtcp_sackboard *sb)
{
	memset(sb, 0, sizeof(*sb));
}

/**
 * xtcp_sb_is_dsack() - whether an ACK's first SACK block is a D-SACK
 * @snd_una: SND.UNA, with this ACK's cumulative acknowledgment applied
 * @blk: the ACK's SACK blocks, as sent
 * @n: how many there are
 *
 * RFC 2883 section 4: the first block reports a duplicate rather than new
 * data if it starts below the cumulative ACK, or if it lies within the
 * second block.
 *
 * Return: true if @blk[0] is a D-SACK.
 */
bool xtcp_sb_is_dsack(u32 snd_una, const struct xtcp_sack_block *blk, int n)
{
	if (n < 1)
		return false;
	if (xtcp_seq_before(blk[0].start, snd_una))
		return true;
	return n >= 2 && xtcp_seq_geq(blk[0].start, blk[1].start) &&
	       xtcp_seq_leq(blk[0].end, blk[1].end);
}

/* Bytes that [@s, @e) and @r have in common. */
static u32 xtcp_sb_overlap(const struct xtcp_sack_block *r, u32 s, u32 e)
{
	u32 lo = xtcp_seq_max(r->start, s);
	u32 hi = xtcp_seq_min(r->end, e);

	return xtcp_seq_before(lo, hi) ? hi - lo : 0;
}

/*
 * Put [@s, @e) on the board, merging it with every range it overlaps or
 * touches. Returns the bytes it adds.
 */
static u32 xtcp_sb_insert(struct xtcp_sackboard *sb, u32 s, u32 e)
{
	u32 covered = 0;
	int i, j;

	/* i: the first range that ends at or above s. */
	for (i = 0; i < sb->nr && xtcp_seq_before(sb->r[i].end, s); i++)
		;
	/* i .. j-1: the ranges that overlap or touch [s, e). */
	for (j = i; j < sb->nr && xtcp_seq_leq(sb->r[j].start, e); j++)
		covered += xtcp_sb_overlap(&sb->r[j], s, e);

	if (i == j) {
		/*
		 * A range of its own. With no slot left, keep the ranges
		 * nearest SND.UNA, for two reasons. Recovery works from
		 * SND.UNA up, so the low holes must be exact; and the peer
		 * reports the block it last filled first in every ACK, so
		 * a forgotten high range is soon reported again. Merging
		 * two ranges instead would mark the hole between them as
		 * SACKed: data the peer lacks would never be resent before
		 * the RTO, and pipe would be too small. Forgetting only
		 * makes the board more conservative.
		 */
		if (sb->nr == XTCP_SB_MAX_RANGES) {
			if (i == sb->nr)
				return 0;
			sb->nr--;
		}
		memmove(&sb->r[i + 1], &sb->r[i],
			(sb->nr - i) * sizeof(sb->r[0]));
		sb->r[i].start = s;
		sb->r[i].end = e;
		sb->nr++;
		return e - s;
	}

	sb->r[i].start = xtcp_seq_min(sb->r[i].start, s);
	sb->r[i].end = xtcp_seq_max(sb->r[j - 1].end, e);
	memmove(&sb->r[i + 1], &sb->r[j], (sb->nr - j) * sizeof(sb->r[0]));
	sb->nr -= j - i - 1;
	return e - s - covered;
}

/**
 * xtcp_sb_update() - take the SACK blocks of an ACK
 * @sb: the scoreboard
 * @snd_una: SND.UNA, with this ACK's cumulative acknowledgment applied
 * @snd_nxt: SND.NXT
 * @blk: the ACK's SACK blocks, as xtcp_opts_sack() decoded them
 * @n: how many there are
 *
 * A block counts if it is not empty and lies within the data in flight:
 * it starts after @snd_una and ends at or before @snd_nxt. Others are
 * ignored whole, as is a D-SACK (xtcp_sb_is_dsack()): it reports a
 * duplicate, not data newly held. What lies below @snd_una is dropped
 * first, as by xtcp_sb_advance(); call that before, to learn how much.
 *
 * Return: the bytes newly SACKed: those the blocks add to the board. With
 * the board full (see xtcp_sb_insert()), a block above every range is
 * neither kept nor counted, and a lower one may push the highest range
 * out: its bytes leave xtcp_sb_sacked() without being subtracted here.
 */
u32 xtcp_sb_update(struct xtcp_sackboard *sb, u32 snd_una, u32 snd_nxt,
		   const struct xtcp_sack_block *blk, int n)
{
	u32 flight = snd_nxt - snd_una;
	u32 newly = 0;
	int i;

	xtcp_sb_advance(sb, snd_una);
	for (i = xtcp_sb_is_dsack(snd_una, blk, n); i < n; i++) {
		u32 s = blk[i].start - snd_una;
		u32 e = blk[i].end - snd_una;

		/*
		 * As offsets from SND.UNA: a start at or below SND.UNA is 0
		 * or wraps past e; an end beyond SND.NXT exceeds flight.
		 */
		if (!s || s >= e || e > flight)
			continue;
		newly += xtcp_sb_insert(sb, blk[i].start, blk[i].end);
	}
	return newly;
}

/**
 * xtcp_sb_advance() - the cumulative ACK moved: drop what it covers
 * @sb: the scoreboard
 * @snd_una: the new SND.UNA
 *
 * Ranges at or below @snd_una go; one that straddles it is cut there.
 *
 * Return: the SACKed bytes dropped, which the cumulative ACK acknowledges
 * a second time. RFC 6937's DeliveredData for an ACK is thus the advance
 * of SND.UNA, minus this, plus what xtcp_sb_update() returns.
 */
u32 xtcp_sb_advance(struct xtcp_sackboard *sb, u32 snd_una)
{
	u32 dropped = 0;
	int i;

	for (i = 0; i < sb->nr && xtcp_seq_leq(sb->r[i].end, snd_una); i++)
		dropped += sb->r[i].end - sb->r[i].start;
	memmove(&sb->r[0], &sb->r[i], (sb->nr - i) * sizeof(sb->r[0]));
	sb->nr -= i;
	if (sb->nr && xtcp_seq_before(sb->r[0].start, snd_una)) {
		dropped += snd_una - sb->r[0].start;
		sb->r[0].start = snd_una;
	}
	/* RACK's mark is behind: keep it from coming round again. */
	if (sb->rack_lost && !xtcp_seq_before(snd_una, sb->lost_to))
		sb->rack_lost = 0;
	return dropped;
}

/**
 * xtcp_sb_sacked() - bytes on the board
 * @sb: the scoreboard, advanced to SND.UNA
 *
 * Return: how many bytes above SND.UNA are SACKed.
 */
u32 xtcp_sb_sacked(const struct xtcp_sackboard *sb)
{
	u32 bytes = 0;
	int i;

	for (i = 0; i < sb->nr; i++)
		bytes += sb->r[i].end - sb->r[i].start;
	return bytes;
}

/**
 * xtcp_sb_is_lost() - RFC 6675 IsLost(): whether a byte is deemed lost
 * @sb: the scoreboard, advanced to SND.UNA
 * @seq: the byte's sequence number
 * @mss: SMSS, not 0
 *
 * Lost if DupThresh (3) SACKed segments lie above @seq, or more than
 * (DupThresh - 1) * @mss SACKed bytes do. Segments are not on the board:
 * a range of L bytes counts as DIV_ROUND_UP(L, @mss) of them, the fewest
 * it can hold. So three small segments SACKed apart make a hole lost, and
 * so do three full ones in one range; two full ones do not.
 *
 * Return: true if IsLost(@seq).
 */
bool xtcp_sb_is_lost(const struct xtcp_sackboard *sb, u32 seq, u32 mss)
{
	u32 above = seq + 1, segs = 0, bytes = 0;
	int i;

	if (sb->rack_lost && xtcp_seq_before(seq, sb->lost_to))
		return true;
	mss = max(mss, 1U);
	for (i = 0; i < sb->nr; i++) {
		const struct xtcp_sack_block *r = &sb->r[i];
		u32 len;

		if (xtcp_seq_leq(r->end, above))
			continue;
		len = r->end - xtcp_seq_max(r->start, above);
		segs += DIV_ROUND_UP(len, mss);
		bytes += len;
	}
	return xtcp_sb_lost(segs, bytes, mss);
}

/**
 * xtcp_sb_mark_lost() - RACK found the holes below @seq lost
 * @sb: the scoreboard
 * @seq: the end of the highest hole RACK found lost
 *
 * From now on every unSACKed byte below @seq is lost for IsLost(),
 * SetPipe() and NextSeg(), until the board is reset. The original
 * transmissions are what is lost: a hole already retransmitted in this
 * recovery still counts its retransmission in pipe.
 *
 * Return: true if @seq is above what was marked before.
 */
bool xtcp_sb_mark_lost(struct xtcp_sackboard *sb, u32 seq)
{
	if (sb->rack_lost && !xtcp_seq_after(seq, sb->lost_to))
		return false;
	sb->rack_lost = 1;
	sb->lost_to = seq;
	return true;
}

/**
 * xtcp_sb_pipe() - RFC 6675 SetPipe(): bytes deemed in the network
 * @sb: the scoreboard
 * @snd_una: SND.UNA (HighACK + 1 in RFC 6675's terms)
 * @snd_nxt: SND.NXT (HighData + 1)
 * @high_rxt: one past the highest byte retransmitted in this recovery
 *	(HighRxt + 1); @snd_una when nothing was
 * @mss: SMSS, not 0
 *
 * Each unSACKed byte from @snd_una to @snd_nxt counts once unless IsLost()
 * holds for it (the original may still be in flight), and once more if
 * it lies below @high_rxt (the retransmission may be). In O(ranges): the
 * lengths of the holes not lost, plus the unSACKed bytes below @high_rxt.
 *
 * Return: pipe, in bytes.
 */
u32 xtcp_sb_pipe(const struct xtcp_sackboard *sb, u32 snd_una, u32 snd_nxt,
		 u32 high_rxt, u32 mss)
{
	struct xtcp_sb_view v;
	u32 pipe, hr;
	int k, lost;

	xtcp_sb_view(sb, snd_una, snd_nxt, &v);
	lost = xtcp_sb_lost_holes(&v, max(mss, 1U));
	hr = xtcp_sb_rxt_off(&v, snd_una, high_rxt);

	pipe = hr;
	for (k = 0; k <= v.nr; k++) {
		if (k >= lost)
			pipe += xtcp_sb_hole_end(&v, k) -
				xtcp_sb_hole_start(&v, k);
		/* SACKed bytes below high_rxt were not counted above. */
		if (k < v.nr && v.s[k] < hr)
			pipe -= min(v.e[k], hr) - v.s[k];
	}
	return pipe;
}

/**
 * xtcp_sb_next_seg() - RFC 6675 NextSeg() rule 1: the next hole to resend
 * @sb: the scoreboard
 * @snd_una: SND.UNA
 * @snd_nxt: SND.NXT (HighData + 1)
 * @high_rxt: one past the highest byte retransmitted in this recovery
 *	(HighRxt + 1); @snd_una when nothing was
 * @mss: SMSS
 * @seq: where the segment to retransmit starts
 * @len: how long it is: at most @mss, and never into SACKed bytes
 *
 * Rule 1: the first unSACKed byte at or above max(@high_rxt, @snd_una)
 * for which IsLost() holds. Rule 2, new data, is the caller's: it knows
 * the send queue and the window. Rule 3 (resend bytes not deemed lost
 * once rule 2 found nothing) is not applied: as Linux TCP, xtcp resends
 * only what it holds lost. Rule 4 (nothing to send) is a false return.
 * After sending, the caller moves @high_rxt to @seq + @len.
 *
 * Return: true with @seq and @len set if there is something to resend.
 */
bool xtcp_sb_next_seg(const struct xtcp_sackboard *sb, u32 snd_una,
		      u32 snd_nxt, u32 high_rxt, u32 mss, u32 *seq, u32 *len)
{
	struct xtcp_sb_view v;
	int k, last;
	u32 from;

	if (!mss)
		return false;
	xtcp_sb_view(sb, snd_una, snd_nxt, &v);
	from = xtcp_sb_rxt_off(&v, snd_una, high_rxt);
	last = xtcp_sb_lost_holes(&v, mss) - 1;
	for (k = 0; k <= last; k++) {
		u32 start = max(xtcp_sb_hole_start(&v, k), from);
		u32 end = xtcp_sb_hole_end(&v, k);

		if (start < end) {
			*seq = snd_una + start;
			*len = min(end - start, mss);
			return true;
		}
	}
	return false;
}
