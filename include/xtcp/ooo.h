/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The out-of-order receive queue (RFC 9293 3.10.7.4 "seventh", RFC 2018
 * section 4 for the SACK blocks it reports).
 *
 * Segments that arrive past RCV.NXT wait here, in an rbtree by sequence
 * number, until the hole before them fills. Overlaps are trimmed on the way
 * in so that queued buffers never share a byte; a buffer's payload stays
 * where it arrived and only the offsets in its control block move.
 *
 * Memory: a hostile peer can send many tiny out-of-order segments, each
 * costing a whole sk_buff. The queue does no accounting of its own; the
 * caller charges every buffer's truesize to the socket (skb_set_owner_r())
 * before xtcp_ooo_insert() and refuses the segment, or first makes room with
 * xtcp_ooo_collapse() (runs of small buffers copied into compact ones, the
 * new ones charged to the socket) or xtcp_ooo_drop_last(), when
 * sk_rmem_alloc would exceed sk_rcvbuf.
 * Freeing a buffer here then uncharges it. RFC 2018 section 8 lets a
 * receiver discard data it has SACKed, so dropping queued buffers is
 * always allowed; the highest ones first, as they are needed last.
 *
 * Cost: insert, pop and drop take O(log n) plus O(1) per buffer they free,
 * and xtcp_ooo_sack() O(log n) per block, however the peer shuffles its
 * segments: the runs of contiguous bytes are kept as tags on the buffers at
 * their ends rather than found by walking the queue.
 *
 * Locking: none; the caller holds the socket lock.
 */
#ifndef _XTCP_OOO_H
#define _XTCP_OOO_H

#include <linux/rbtree.h>
#include <linux/skbuff.h>
#include <net/sock.h>
#include <xtcp/options.h>

/**
 * struct xtcp_rx_cb - a received buffer once it leaves the parser; skb->cb
 * @seq: sequence number of the first payload byte still wanted
 * @end_seq: one past the last payload byte wanted
 * @off: offset in skb->data of the byte numbered @seq
 *
 * The payload bytes skb->data[@off .. @off + (@end_seq - @seq)) carry the
 * sequence numbers [@seq, @end_seq). Trimming moves @seq and @off forward
 * (head) or @end_seq back (tail); the data is never touched, as the buffer
 * may be a clone and partly in page fragments. Readers must stop at
 * @end_seq, not at skb->len: see xtcp_rx_len().
 */
struct xtcp_rx_cb {
	u32 seq;
	u32 end_seq;
	u32 off;
};

/**
 * struct xtcp_ooo_cb - the control block of a buffer in the queue
 * @rx: where its bytes are, as for every received buffer
 * @run_start: on the last buffer of a run of contiguous queued bytes, the
 *	first sequence number of the run; stale on other buffers
 * @run_end: on the first buffer of a run, one past its last byte; stale on
 *	other buffers
 *
 * Private to mod/ooo.c (and its tests): the tags are what keeps finding a
 * run's bounds O(log n).
 */
struct xtcp_ooo_cb {
	struct xtcp_rx_cb rx;
	u32 run_start;
	u32 run_end;
};

static inline struct xtcp_rx_cb *xtcp_rx_cb(const struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct xtcp_ooo_cb) >
		     sizeof_field(struct sk_buff, cb));
	return (struct xtcp_rx_cb *)skb->cb;
}

/* How many payload bytes the buffer still carries, from xtcp_rx_cb()->off. */
static inline u32 xtcp_rx_len(const struct sk_buff *skb)
{
	const struct xtcp_rx_cb *cb = xtcp_rx_cb(skb);

	return cb->end_seq - cb->seq;
}

/*
 * Payload of a buffer xtcp_ooo_collapse() makes: what one page holds with
 * the shared info (Linux's SKB_MAX_ORDER(0, 0)).
 */
#define XTCP_OOO_COLLAPSE_BYTES	SKB_WITH_OVERHEAD(PAGE_SIZE)

/* Runs remembered besides the latest one, for the SACK blocks after it. */
#define XTCP_OOO_RECENT		(XTCP_MAX_SACK_BLOCKS - 1)

/**
 * struct xtcp_ooo - a connection's out-of-order queue
 * @root: buffers by sequence number, disjoint after trimming
 * @bytes: payload bytes queued (end_seq - seq summed)
 * @count: buffers queued
 * @last_start: first byte of the run holding the latest arrival
 * @last_end: one past the last byte of that run; equal to @last_start
 *	when the queue is empty
 * @nr_recent: entries used in @recent
 * @recent: other runs, most recently changed first; always exact runs of
 *	the queue, disjoint from [@last_start, @last_end)
 * @since_collapse: buffers queued since xtcp_ooo_collapse() last walked
 *	the queue: only they can make a run worth compacting again
 *
 * All queued sequence numbers lie within 2^31 of each other (the caller
 * queues only what fits its receive window), so xtcp_seq_before() orders
 * them totally.
 */
struct xtcp_ooo {
	struct rb_root root;
	u32 bytes;
	u32 count;
	u32 last_start;
	u32 last_end;
	u32 nr_recent;
	struct xtcp_sack_block recent[XTCP_OOO_RECENT];
	u32 since_collapse;
};

void xtcp_ooo_init(struct xtcp_ooo *q);
bool xtcp_ooo_insert(struct xtcp_ooo *q, struct sk_buff *skb);
struct sk_buff *xtcp_ooo_pop(struct xtcp_ooo *q, u32 rcv_nxt);
int xtcp_ooo_sack(const struct xtcp_ooo *q, struct xtcp_sack_block *blk,
		  int max);
bool xtcp_ooo_drop_last(struct xtcp_ooo *q);
bool xtcp_ooo_held(const struct xtcp_ooo *q, u32 seq, u32 end,
		   struct xtcp_sack_block *blk);
const struct sk_buff *xtcp_ooo_last(const struct xtcp_ooo *q);
int xtcp_ooo_collapse(struct xtcp_ooo *q, struct sock *owner);
void xtcp_ooo_purge(struct xtcp_ooo *q);

static inline bool xtcp_ooo_empty(const struct xtcp_ooo *q)
{
	return RB_EMPTY_ROOT(&q->root);
}

#endif /* _XTCP_OOO_H */
