// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-order receive queue; see include/xtcp/ooo.h.
 *
 * Besides the buffers, the queue knows its runs: maximal ranges of
 * contiguous queued bytes, which become SACK blocks. Each run's first buffer
 * carries the run's end and its last buffer the run's start (boundary tags,
 * as in memory allocators), so a run's bounds are found from either end in
 * O(1) and from any byte in O(log n), without walking a run that a peer can
 * make thousands of buffers long.
 *
 * Runs change only in three ways, each handled where it happens: an insert
 * merges the runs its bytes touch into one; pop removes buffers from the
 * front of the first run; pruning removes them from the back of the last.
 */

#include <linux/skbuff.h>
#include <xtcp/ooo.h>
#include <xtcp/seq.h>

static struct xtcp_ooo_cb *ooo_cb(const struct sk_buff *skb)
{
	return (struct xtcp_ooo_cb *)skb->cb;
}

static u32 ooo_seq(const struct sk_buff *skb)
{
	return ooo_cb(skb)->rx.seq;
}

static u32 ooo_end(const struct sk_buff *skb)
{
	return ooo_cb(skb)->rx.end_seq;
}

/**
 * xtcp_ooo_init() - make an empty queue
 * @q: the queue
 */
void xtcp_ooo_init(struct xtcp_ooo *q)
{
	memset(q, 0, sizeof(*q));
	q->root = RB_ROOT;
}

/* The last buffer that starts at or before @seq, or NULL. */
static struct sk_buff *ooo_find(const struct xtcp_ooo *q, u32 seq)
{
	struct rb_node *n = q->root.rb_node;
	struct sk_buff *found = NULL;

	while (n) {
		struct sk_buff *skb = rb_to_skb(n);

		if (xtcp_seq_after(ooo_seq(skb), seq)) {
			n = n->rb_left;
		} else {
			found = skb;
			n = n->rb_right;
		}
	}
	return found;
}

/* The buffer holding byte @seq, which the caller knows is queued. */
static struct sk_buff *ooo_holding(const struct xtcp_ooo *q, u32 seq)
{
	struct sk_buff *skb = ooo_find(q, seq);

	WARN_ON_ONCE(!skb || !xtcp_seq_before(seq, ooo_end(skb)));
	return skb;
}

/* Link @skb, whose bytes no queued buffer holds, into the tree. */
static void ooo_link(struct xtcp_ooo *q, struct sk_buff *skb)
{
	struct rb_node **p = &q->root.rb_node, *parent = NULL;

	while (*p) {
		parent = *p;
		if (xtcp_seq_before(ooo_seq(skb), ooo_seq(rb_to_skb(parent))))
			p = &parent->rb_left;
		else
			p = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, &q->root);
	q->bytes += xtcp_rx_len(skb);
	q->count++;
}

/*
 * Unlink @skb and free it. The rbnode shares its words with skb->next,
 * ->prev and ->dev; nobody reads them again before kfree_skb().
 */
static void ooo_free(struct xtcp_ooo *q, struct sk_buff *skb)
{
	rb_erase(&skb->rbnode, &q->root);
	q->bytes -= xtcp_rx_len(skb);
	q->count--;
	kfree_skb(skb);
}

/* Mark [@start, @end) as a run: tag the buffers at both its ends. */
static void ooo_tag_run(struct xtcp_ooo *q, u32 start, u32 end)
{
	ooo_cb(ooo_holding(q, start))->run_end = end;
	ooo_cb(ooo_holding(q, end - 1))->run_start = start;
}

/* Forget remembered run @i, keeping the rest in order. */
static void ooo_recent_del(struct xtcp_ooo *q, u32 i)
{
	q->nr_recent--;
	memmove(&q->recent[i], &q->recent[i + 1],
		(q->nr_recent - i) * sizeof(q->recent[0]));
}

/*
 * [@start, @end) is now the run holding the latest arrival. Runs it
 * swallowed are dropped from the list; the previous latest one, unless
 * swallowed, becomes the most recent of the others.
 */
static void ooo_note_arrival(struct xtcp_ooo *q, u32 start, u32 end)
{
	u32 i = 0;

	/* Runs are either inside the new one or disjoint from it. */
	while (i < q->nr_recent) {
		if (xtcp_seq_leq(start, q->recent[i].start) &&
		    xtcp_seq_leq(q->recent[i].end, end))
			ooo_recent_del(q, i);
		else
			i++;
	}
	if (q->last_start != q->last_end &&
	    (xtcp_seq_before(q->last_start, start) ||
	     xtcp_seq_after(q->last_end, end))) {
		if (q->nr_recent == XTCP_OOO_RECENT)
			q->nr_recent--;
		memmove(&q->recent[1], &q->recent[0],
			q->nr_recent * sizeof(q->recent[0]));
		q->recent[0].start = q->last_start;
		q->recent[0].end = q->last_end;
		q->nr_recent++;
	}
	q->last_start = start;
	q->last_end = end;
}

/*
 * Buffers left the front or the back of the queue: cut the remembered runs
 * to what is still queued and forget those now empty. As only the first
 * and the last run shrink, this keeps every remembered run exact.
 */
static void ooo_clip_runs(struct xtcp_ooo *q)
{
	u32 lo, hi, i = 0;

	if (xtcp_ooo_empty(q)) {
		q->last_start = 0;
		q->last_end = 0;
		q->nr_recent = 0;
		return;
	}
	lo = ooo_seq(skb_rb_first(&q->root));
	hi = ooo_end(skb_rb_last(&q->root));
	while (i < q->nr_recent) {
		struct xtcp_sack_block *b = &q->recent[i];

		b->start = xtcp_seq_max(b->start, lo);
		b->end = xtcp_seq_min(b->end, hi);
		if (xtcp_seq_before(b->start, b->end))
			i++;
		else
			ooo_recent_del(q, i);
	}
	q->last_start = xtcp_seq_max(q->last_start, lo);
	q->last_end = xtcp_seq_min(q->last_end, hi);
	if (!xtcp_seq_before(q->last_start, q->last_end)) {
		/*
		 * The latest run is gone: the next most recent leads, or
		 * with none remembered the highest run, as the one most
		 * likely to have changed lately.
		 */
		struct sk_buff *last = skb_rb_last(&q->root);

		if (q->nr_recent) {
			q->last_start = q->recent[0].start;
			q->last_end = q->recent[0].end;
			ooo_recent_del(q, 0);
		} else {
			q->last_start = ooo_cb(last)->run_start;
			q->last_end = ooo_end(last);
		}
	}
}

/* What an insert will do, found before anything changes. */
struct ooo_plan {
	u32 seq;		/* the new buffer's first byte after trimming */
	u32 end_seq;		/* and one past its last */
	u32 covered;		/* bytes of the queued buffers it replaces */
	struct sk_buff *first;	/* the first buffer it replaces, or NULL */
	struct sk_buff *after;	/* the buffer that will follow it, or NULL */
};

/*
 * Trim the range of a new buffer against the queue. @pred, the last buffer
 * starting at or before it, keeps its bytes (the new head is cut at its end)
 * unless it starts at the same byte and ends sooner. Buffers wholly inside
 * the rest are replaced. The first one reaching past the end keeps its
 * bytes: the new tail is cut at its start.
 */
static void ooo_plan(const struct xtcp_ooo *q, struct sk_buff *pred,
		     u32 seq, u32 end_seq, struct ooo_plan *pl)
{
	struct sk_buff *skb;

	pl->seq = seq;
	pl->end_seq = end_seq;
	pl->covered = 0;
	pl->first = NULL;
	if (!pred) {
		skb = skb_rb_first(&q->root);
	} else if (ooo_seq(pred) == seq) {
		skb = pred;
	} else {
		if (xtcp_seq_after(ooo_end(pred), seq))
			pl->seq = xtcp_seq_min(ooo_end(pred), end_seq);
		skb = skb_rb_next(pred);
	}
	for (; skb && xtcp_seq_before(ooo_seq(skb), pl->end_seq);
	     skb = skb_rb_next(skb)) {
		if (xtcp_seq_after(ooo_end(skb), pl->end_seq)) {
			pl->end_seq = ooo_seq(skb);
			break;
		}
		if (!pl->first)
			pl->first = skb;
		pl->covered += xtcp_rx_len(skb);
	}
	pl->after = skb;
}

/**
 * xtcp_ooo_insert() - queue a buffer that starts after RCV.NXT
 * @q: the queue
 * @skb: the buffer, its xtcp_rx_cb() filled in and its truesize already
 *	charged to the socket (see include/xtcp/ooo.h)
 *
 * Bytes already queued win over the same bytes arriving again, so the new
 * buffer is trimmed where it overlaps the buffers at its two ends; queued
 * buffers that it covers wholly are freed and it takes their place. The
 * run of contiguous bytes that now holds it becomes the first SACK block.
 *
 * Return: true if queued (the queue owns @skb), false if it brought no new
 * byte (the caller still owns it; its xtcp_rx_cb() may have been trimmed).
 */
bool xtcp_ooo_insert(struct xtcp_ooo *q, struct sk_buff *skb)
{
	struct xtcp_ooo_cb *cb = ooo_cb(skb);
	u32 start, end, prev_end = 0, left_tag = 0, right_tag = 0;
	bool has_prev, joins_prev, joins_first, joins_after;
	bool have_left = false, have_right = false;
	struct sk_buff *pred, *before, *cur, *next;
	struct ooo_plan pl;

	if (!xtcp_seq_before(cb->rx.seq, cb->rx.end_seq))
		return false;
	pred = ooo_find(q, cb->rx.seq);
	ooo_plan(q, pred, cb->rx.seq, cb->rx.end_seq, &pl);
	if (pl.end_seq - pl.seq <= pl.covered)
		return false;	/* every byte is queued already */

	cb->rx.off += pl.seq - cb->rx.seq;
	cb->rx.seq = pl.seq;
	cb->rx.end_seq = pl.end_seq;

	/* The buffer that will precede the new one, and who touches whom. */
	before = pred && pl.first == pred ? skb_rb_prev(pred) : pred;
	joins_prev = before && ooo_end(before) == pl.seq;
	joins_first = pl.first && ooo_seq(pl.first) == pl.seq;
	joins_after = pl.after && ooo_seq(pl.after) == pl.end_seq;

	/*
	 * Free what the new buffer replaces, reading the tags of their runs
	 * on the way. A run reaching into the new range from the left ends
	 * at a hole inside it (the new bytes fill one), so the first replaced
	 * buffer that ends a run holds that run's start; likewise the last
	 * replaced buffer that begins a run holds the end of a run reaching
	 * in from the right.
	 */
	has_prev = before;
	if (has_prev)
		prev_end = ooo_end(before);
	for (cur = pl.first; cur && cur != pl.after; cur = next) {
		next = skb_rb_next(cur);
		if (!next || ooo_seq(next) != ooo_end(cur)) {
			if (!have_left)
				left_tag = ooo_cb(cur)->run_start;
			have_left = true;
		}
		if (!has_prev || prev_end != ooo_seq(cur)) {
			right_tag = ooo_cb(cur)->run_end;
			have_right = true;
		}
		has_prev = true;
		prev_end = ooo_end(cur);
		ooo_free(q, cur);
	}

	/* The run that now holds the new buffer: [start, end). */
	start = pl.seq;
	if (joins_prev && joins_first) {
		WARN_ON_ONCE(!have_left);
		start = left_tag;
	} else if (joins_prev) {
		start = ooo_cb(before)->run_start;
	}
	end = pl.end_seq;
	if (joins_after && pl.first && prev_end == pl.end_seq) {
		WARN_ON_ONCE(!have_right);
		end = right_tag;
	} else if (joins_after) {
		end = ooo_cb(pl.after)->run_end;
	}

	ooo_link(q, skb);
	ooo_tag_run(q, start, end);
	ooo_note_arrival(q, start, end);
	q->since_collapse++;
	return true;
}

/*
 * Unlink the first buffer. The next one, if it continues the run, begins
 * it now, and the run's last buffer learns the new start.
 */
static void ooo_unlink_first(struct xtcp_ooo *q, struct sk_buff *skb)
{
	struct sk_buff *next = skb_rb_next(skb);

	if (next && ooo_seq(next) == ooo_end(skb)) {
		u32 run_end = ooo_cb(skb)->run_end;

		ooo_cb(next)->run_end = run_end;
		ooo_cb(ooo_holding(q, run_end - 1))->run_start = ooo_seq(next);
	}
	rb_erase(&skb->rbnode, &q->root);
	q->bytes -= xtcp_rx_len(skb);
	q->count--;
}

/* Unlink the last buffer; the mirror image of ooo_unlink_first(). */
static void ooo_unlink_last(struct xtcp_ooo *q, struct sk_buff *skb)
{
	struct sk_buff *prev = skb_rb_prev(skb);

	if (prev && ooo_end(prev) == ooo_seq(skb)) {
		u32 run_start = ooo_cb(skb)->run_start;

		ooo_cb(prev)->run_start = run_start;
		ooo_cb(ooo_holding(q, run_start))->run_end = ooo_end(prev);
	}
	rb_erase(&skb->rbnode, &q->root);
	q->bytes -= xtcp_rx_len(skb);
	q->count--;
}

/**
 * xtcp_ooo_pop() - take the next buffer in order
 * @q: the queue
 * @rcv_nxt: RCV.NXT
 *
 * Buffers lying wholly before @rcv_nxt are freed on the way: the bytes
 * arrived in order meanwhile. A buffer straddling @rcv_nxt has its head
 * trimmed to it.
 *
 * Return: the first buffer if it starts at or before @rcv_nxt, now owned by
 * the caller and starting at @rcv_nxt (read it up to its end_seq), else NULL.
 */
struct sk_buff *xtcp_ooo_pop(struct xtcp_ooo *q, u32 rcv_nxt)
{
	struct sk_buff *skb;

	while ((skb = skb_rb_first(&q->root)) &&
	       xtcp_seq_leq(ooo_seq(skb), rcv_nxt)) {
		struct xtcp_rx_cb *cb = &ooo_cb(skb)->rx;

		ooo_unlink_first(q, skb);
		if (xtcp_seq_leq(cb->end_seq, rcv_nxt)) {
			kfree_skb(skb);
			continue;
		}
		cb->off += rcv_nxt - cb->seq;
		cb->seq = rcv_nxt;
		/* The rbnode overlays ->next, ->prev and ->dev: clear them. */
		memset(&skb->rbnode, 0, sizeof(skb->rbnode));
		ooo_clip_runs(q);
		return skb;
	}
	ooo_clip_runs(q);
	return NULL;
}

/* Is a block starting at @start among the first @n of @blk? */
static bool ooo_listed(const struct xtcp_sack_block *blk, int n, u32 start)
{
	while (n--)
		if (blk[n].start == start)
			return true;
	return false;
}

/**
 * xtcp_ooo_sack() - the SACK blocks describing the queue
 * @q: the queue
 * @blk: where to put them
 * @max: room in @blk
 *
 * Each block is a whole run of contiguous queued bytes. As RFC 2018
 * section 4 asks, the first holds the latest arrival and the next ones the
 * runs changed most recently before it (up to XTCP_OOO_RECENT of them); any
 * room left is filled with the other runs in ascending order.
 *
 * Return: the number of blocks written, at most @max.
 */
int xtcp_ooo_sack(const struct xtcp_ooo *q, struct xtcp_sack_block *blk,
		  int max)
{
	struct sk_buff *skb;
	u32 i;
	int n = 0;

	if (max <= 0 || xtcp_ooo_empty(q))
		return 0;
	blk[n].start = q->last_start;
	blk[n++].end = q->last_end;
	for (i = 0; i < q->nr_recent && n < max; i++)
		blk[n++] = q->recent[i];

	skb = skb_rb_first(&q->root);
	while (skb && n < max) {
		u32 run_end = ooo_cb(skb)->run_end;

		/* A broken tag must not turn this into an endless loop. */
		if (WARN_ON_ONCE(!xtcp_seq_after(run_end, ooo_seq(skb))))
			break;
		if (!ooo_listed(blk, n, ooo_seq(skb))) {
			blk[n].start = ooo_seq(skb);
			blk[n++].end = run_end;
		}
		skb = skb_rb_next(ooo_holding(q, run_end - 1));
	}
	return n;
}

/**
 * xtcp_ooo_held() - the first bytes of a range the queue holds already
 * @q: the queue
 * @seq: the range's first byte
 * @end: one past its last
 * @blk: set to the first contiguous run of queued bytes in [@seq, @end),
 *	cut to that range
 *
 * What a segment duplicates, for its D-SACK (RFC 2883). Cost: O(log n),
 * plus the buffers that lie inside the range, which inserting the segment
 * walks anyway.
 *
 * Return: true if the queue holds any byte of the range.
 */
bool xtcp_ooo_held(const struct xtcp_ooo *q, u32 seq, u32 end,
		   struct xtcp_sack_block *blk)
{
	struct sk_buff *skb = ooo_find(q, seq), *next;
	u32 stop;

	if (!skb || !xtcp_seq_after(ooo_end(skb), seq)) {
		skb = skb ? skb_rb_next(skb) : skb_rb_first(&q->root);
		if (!skb || !xtcp_seq_before(ooo_seq(skb), end))
			return false;
	}
	blk->start = xtcp_seq_max(seq, ooo_seq(skb));
	stop = ooo_end(skb);
	while (xtcp_seq_before(stop, end) && (next = skb_rb_next(skb)) &&
	       ooo_seq(next) == stop) {
		skb = next;
		stop = ooo_end(skb);
	}
	blk->end = xtcp_seq_min(stop, end);
	return xtcp_seq_before(blk->start, blk->end);
}

/**
 * xtcp_ooo_drop_last() - free the buffer with the highest sequence numbers
 * @q: the queue
 *
 * For a caller short of receive memory: it can drop buffers one by one
 * until its socket's sk_rmem_alloc fits again.
 *
 * Return: true if a buffer was freed, false if the queue was empty.
 */
bool xtcp_ooo_drop_last(struct xtcp_ooo *q)
{
	struct sk_buff *skb = skb_rb_last(&q->root);

	if (!skb)
		return false;
	ooo_unlink_last(q, skb);
	kfree_skb(skb);
	ooo_clip_runs(q);
	return true;
}

/**
 * xtcp_ooo_last() - the buffer with the highest sequence numbers
 * @q: the queue
 *
 * Return: the buffer, still queued, or NULL if the queue is empty.
 */
const struct sk_buff *xtcp_ooo_last(const struct xtcp_ooo *q)
{
	return skb_rb_last(&q->root);
}

/*
 * Copy the run [@start, @end), held by the buffers @first to @last, into
 * as few buffers as it takes and put those in their place. The new
 * buffers are charged to @owner before the old ones go, so that the
 * owner's forward allocation never runs short in between.
 *
 * Return: the number of buffers freed less those added; 0 and nothing
 * changed if memory ran out.
 */
static int ooo_collapse_run(struct xtcp_ooo *q, struct sk_buff *first,
			    struct sk_buff *last, u32 start, u32 end,
			    struct sock *owner)
{
	struct sk_buff *src = first, *nskb, *next;
	struct sk_buff_head fresh;
	int delta = 0;
	u32 seq;

	__skb_queue_head_init(&fresh);
	for (seq = start; seq != end; ) {
		u32 len = min_t(u32, end - seq, XTCP_OOO_COLLAPSE_BYTES);
		u32 put = 0;

		nskb = alloc_skb(len, GFP_ATOMIC | __GFP_NOWARN);
		if (!nskb)
			goto fail;
		while (put < len) {
			u32 at = seq + put, take;

			while (!xtcp_seq_before(at, ooo_end(src)))
				src = skb_rb_next(src);
			take = min(len - put, ooo_end(src) - at);
			if (skb_copy_bits(src, ooo_cb(src)->rx.off +
					  (at - ooo_seq(src)),
					  skb_put(nskb, take), take)) {
				kfree_skb(nskb);
				goto fail;
			}
			put += take;
		}
		ooo_cb(nskb)->rx.seq = seq;
		ooo_cb(nskb)->rx.end_seq = seq + len;
		ooo_cb(nskb)->rx.off = 0;
		__skb_queue_tail(&fresh, nskb);
		seq += len;
	}
	if (owner)
		skb_queue_walk(&fresh, nskb)
			skb_set_owner_r(nskb, owner);
	for (src = first; ; src = next) {
		bool done = src == last;

		next = skb_rb_next(src);
		ooo_free(q, src);
		delta++;
		if (done)
			break;
	}
	while ((nskb = __skb_dequeue(&fresh))) {
		ooo_link(q, nskb);
		delta--;
	}
	ooo_tag_run(q, start, end);
	return delta;

fail:
	__skb_queue_purge(&fresh);
	return 0;
}

/**
 * xtcp_ooo_collapse() - copy runs of small buffers into compact ones
 * @q: the queue
 * @owner: the socket to charge the new buffers to (skb_set_owner_r()),
 *	or NULL to charge nobody
 *
 * A peer can fill the queue with segments of a byte or a few, each in a
 * buffer of hundreds. Every run of contiguous bytes held by more buffers
 * than it needs, whose buffers take more than twice the memory compact
 * copies would, is copied into buffers of up to XTCP_OOO_COLLAPSE_BYTES
 * (as Linux's tcp_collapse_ofo_queue()). The runs, and so the SACK
 * blocks, stay as they were. Runs of one buffer, like the bytes of a
 * peer that leaves a hole after every one, are left to pruning.
 *
 * Cost: a walk of the n buffers queued, plus the bytes copied; but the
 * queue is walked again only once n / 8 more buffers (at least 16) have
 * come since the last walk, which left every run compact: a peer whose
 * every segment finds the buffer full cannot make each of them cost O(n)
 * (the flaw of CVE-2018-5390, "SegmentSmack", in Linux's
 * tcp_collapse_ofo_queue()). O(1) per queued buffer, amortized.
 *
 * Return: buffers freed less buffers added.
 */
int xtcp_ooo_collapse(struct xtcp_ooo *q, struct sock *owner)
{
	struct sk_buff *skb = skb_rb_first(&q->root);
	int freed = 0;

	if (q->since_collapse < max(16U, q->count / 8))
		return 0;
	q->since_collapse = 0;

	while (skb) {
		u32 start = ooo_seq(skb), end = ooo_cb(skb)->run_end;
		struct sk_buff *last = ooo_holding(q, end - 1), *it;
		struct sk_buff *next = skb_rb_next(last);
		u32 need = DIV_ROUND_UP(end - start, XTCP_OOO_COLLAPSE_BYTES);
		u64 truesize = 0;
		u32 count = 0;

		for (it = skb; ; it = skb_rb_next(it)) {
			truesize += it->truesize;
			count++;
			if (it == last)
				break;
		}
		if (count > need &&
		    truesize > 2ULL * need *
		    SKB_TRUESIZE(XTCP_OOO_COLLAPSE_BYTES))
			freed += ooo_collapse_run(q, skb, last, start, end,
						  owner);
		skb = next;
	}
	return freed;
}

/**
 * xtcp_ooo_purge() - free every queued buffer
 * @q: the queue, empty afterwards
 */
void xtcp_ooo_purge(struct xtcp_ooo *q)
{
	struct rb_node *n = rb_first(&q->root);

	/* skb_rbtree_purge() would do, but modules cannot call it. */
	while (n) {
		struct sk_buff *skb = rb_to_skb(n);

		n = rb_next(n);
		rb_erase(&skb->rbnode, &q->root);
		kfree_skb(skb);
	}
	xtcp_ooo_init(q);
}
