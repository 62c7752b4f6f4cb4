/* SPDX-License-Identifier: GPL-2.0 */
/*
 * D-SACK (RFC 2883), the pure part (mod/dsack.c, checked in KUnit,
 * kunit/dsack_test.c).
 *
 * Receiver: a segment that brings bytes we hold already, below RCV.NXT or
 * in the out-of-order queue, is reported once, as the first SACK block of
 * the next segment we send, so that its sender learns that it resent
 * what was not lost (receiver.c notes it, output.c sends it).
 *
 * Sender: a D-SACK for a retransmission of the current recovery episode
 * (fast recovery or RTO) says that retransmission was not needed; once
 * every byte it resent is so reported, each byte once, the episode's
 * window reduction is undone (RFC 3708's idea, as Linux's
 * tcp_try_undo_dsack(); sender.c).
 */
#ifndef _XTCP_DSACK_H
#define _XTCP_DSACK_H

#include <linux/types.h>
#include <xtcp/options.h>

/* Ranges struct xtcp_dsack_seen remembers (xtcp_dsack_undo_bytes()). */
#define XTCP_DSACK_SEEN		2

/**
 * struct xtcp_dsack_seen - what D-SACKs reported of a recovery episode
 * @r: ranges counted, as offsets from the episode's start (its SND.UNA),
 *	apart and not touching, in no order
 * @nr: how many
 */
struct xtcp_dsack_seen {
	struct xtcp_sack_block r[XTCP_DSACK_SEEN];
	u8 nr;
};

bool xtcp_dsack_range(u32 seq, u32 end, u32 rcv_nxt,
		      const struct xtcp_sack_block *held,
		      struct xtcp_sack_block *out);
void xtcp_dsack_merge(struct xtcp_sack_block *pending, bool was_pending,
		      const struct xtcp_sack_block *blk);
int xtcp_dsack_blocks(const struct xtcp_sack_block *dsack,
		      const struct xtcp_sack_block *ooo, int n, int room,
		      struct xtcp_sack_block *out);
u32 xtcp_dsack_undo_bytes(const struct xtcp_sack_block *blk, u32 marker,
			  u32 high, u32 max_window,
			  struct xtcp_dsack_seen *seen);

#endif /* _XTCP_DSACK_H */
