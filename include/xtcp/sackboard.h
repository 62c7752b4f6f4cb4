/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sender's SACK scoreboard (RFC 2018, RFC 6675): which bytes above
 * SND.UNA the peer said it holds, and what loss recovery makes of that:
 * IsLost(), SetPipe() and NextSeg(). Pure logic on sequence numbers, no
 * socket and no skb, so KUnit drives it with hand-worked examples.
 *
 * The board never knows SND.UNA or SND.NXT on its own: callers pass them.
 * Every range on the board lies within (SND.UNA, SND.NXT] as last passed,
 * so all comparisons between them are within 2^31 and wrap safely.
 */
#ifndef _XTCP_SACKBOARD_H
#define _XTCP_SACKBOARD_H

#include <linux/bits.h>
#include <linux/types.h>
#include <xtcp/options.h>

/* How many disjoint SACKed ranges the board remembers. */
#define XTCP_SB_MAX_RANGES	16

/* RFC 6675 DupThresh: SACKed segments above a hole that make it lost. */
#define XTCP_SB_DUPTHRESH	3

/**
 * struct xtcp_sackboard - SACKed ranges above SND.UNA
 * @r: the ranges, sorted by sequence, disjoint and never touching (two
 *	ranges that touch are merged into one)
 * @nr: how many of @r are in use
 * @rack_lost: @lost_to is set
 * @lost_to: RACK (RFC 8985) found lost every hole that ends at or below
 *	it: they count as lost whatever IsLost() says (xtcp_sb_mark_lost())
 *
 * Fixed size: the peer decides how many holes there are, and memory it
 * can make us allocate is memory it can exhaust. When a new range does
 * not fit, the board keeps the ranges nearest SND.UNA and forgets the
 * highest one (see xtcp_sb_update()).
 */
struct xtcp_sackboard {
	struct xtcp_sack_block r[XTCP_SB_MAX_RANGES];
	u8 nr;
	u8 rack_lost;
	u32 lost_to;
};

void xtcp_sb_reset(struct xtcp_sackboard *sb);
bool xtcp_sb_is_dsack(u32 snd_una, const struct xtcp_sack_block *blk, int n);
u32 xtcp_sb_update(struct xtcp_sackboard *sb, u32 snd_una, u32 snd_nxt,
		   const struct xtcp_sack_block *blk, int n);
u32 xtcp_sb_advance(struct xtcp_sackboard *sb, u32 snd_una);
u32 xtcp_sb_sacked(const struct xtcp_sackboard *sb);
bool xtcp_sb_is_lost(const struct xtcp_sackboard *sb, u32 seq, u32 mss);
bool xtcp_sb_mark_lost(struct xtcp_sackboard *sb, u32 seq);
u32 xtcp_sb_pipe(const struct xtcp_sackboard *sb, u32 snd_una, u32 snd_nxt,
		 u32 high_rxt, u32 mss);
bool xtcp_sb_next_seg(const struct xtcp_sackboard *sb, u32 snd_una,
		      u32 snd_nxt, u32 high_rxt, u32 mss, u32 *seq, u32 *len);

#endif /* _XTCP_SACKBOARD_H */
