// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the out-of-order receive queue (mod/ooo.c) on real sk_buffs.
 *
 * Every payload byte is a hash of its sequence number, so a byte delivered
 * from the wrong place or past a trimmed end shows. Buffers also carry junk
 * before and after their payload, which a reader ignoring off or end_seq
 * would deliver. After every step the queue's invariants are checked from
 * the outside: buffers sorted and disjoint, the counters, the boundary tags
 * of every run, and the SACK blocks against the runs.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/hash.h>
#include <linux/prandom.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <xtcp/compat.h>
#include <xtcp/ooo.h>
#include <xtcp/seq.h>

#define JUNK		0xee
#define MAX_RUNS	256

/* Each test's queue, and room to list its runs off the stack. */
struct ooo_ctx {
	struct xtcp_ooo q;
	struct xtcp_sack_block runs[MAX_RUNS];
	struct xtcp_sack_block blk[MAX_RUNS];
	struct xtcp_sack_block want[MAX_RUNS];
};

/* The byte the stream carries at @seq. */
static u8 pat(u32 seq)
{
	return hash_32(seq, 8);
}

/*
 * A buffer carrying the bytes [@seq, @seq + @len) at offset @pre, with
 * @post junk bytes after them.
 */
static struct sk_buff *mkseg_pad(struct kunit *test, u32 seq, u32 len,
				 u32 pre, u32 post)
{
	struct sk_buff *skb = alloc_skb(pre + len + post, GFP_KERNEL);
	struct xtcp_rx_cb *cb;
	u8 *p;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put(skb, pre + len + post);
	memset(p, JUNK, pre + len + post);
	for (i = 0; i < len; i++)
		p[pre + i] = pat(seq + i);
	cb = xtcp_rx_cb(skb);
	cb->seq = seq;
	cb->end_seq = seq + len;
	cb->off = pre;
	return skb;
}

static struct sk_buff *mkseg(struct kunit *test, u32 seq, u32 len)
{
	return mkseg_pad(test, seq, len, 3, 5);
}

/* Insert a new buffer, expecting @queued; frees it if refused. */
static struct sk_buff *add(struct kunit *test, struct xtcp_ooo *q, u32 seq,
			   u32 len, bool queued)
{
	struct sk_buff *skb = mkseg(test, seq, len);
	bool ok = xtcp_ooo_insert(q, skb);

	KUNIT_EXPECT_EQ_MSG(test, ok, queued, "insert [%u, %u)", seq,
			    seq + len);
	if (!ok) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/* The buffer's payload is [@seq, @end) of the stream, within the skb. */
static void expect_payload(struct kunit *test, const struct sk_buff *skb,
			   u32 seq, u32 end)
{
	const struct xtcp_rx_cb *cb = xtcp_rx_cb(skb);
	u32 i;

	KUNIT_EXPECT_EQ(test, cb->seq, seq);
	KUNIT_EXPECT_EQ(test, cb->end_seq, end);
	KUNIT_ASSERT_LE(test, cb->off + xtcp_rx_len(skb), skb->len);
	for (i = 0; i < xtcp_rx_len(skb); i++)
		if (skb->data[cb->off + i] != pat(cb->seq + i)) {
			KUNIT_FAIL(test, "byte %u of [%u, %u) wrong", i,
				   cb->seq, cb->end_seq);
			return;
		}
}

/* Pop, expecting the buffer [@seq, @end), and free it. */
static void pop_expect(struct kunit *test, struct xtcp_ooo *q, u32 rcv_nxt,
		       u32 seq, u32 end)
{
	struct sk_buff *skb = xtcp_ooo_pop(q, rcv_nxt);

	KUNIT_ASSERT_NOT_NULL_MSG(test, skb, "pop at %u", rcv_nxt);
	expect_payload(test, skb, seq, end);
	KUNIT_EXPECT_NULL(test, skb->next);
	KUNIT_EXPECT_NULL(test, skb->prev);
	kfree_skb(skb);
}

static const struct xtcp_ooo_cb *tcb(const struct sk_buff *skb)
{
	return (const struct xtcp_ooo_cb *)skb->cb;
}

/* The runs of the queue, found by walking it. Returns how many. */
static int walk_runs(struct kunit *test, const struct xtcp_ooo *q,
		     struct xtcp_sack_block *runs, int max)
{
	struct sk_buff *skb, *prev = NULL, *first = NULL;
	u32 bytes = 0, count = 0;
	int n = 0;

	for (skb = skb_rb_first(&q->root); skb; skb = skb_rb_next(skb)) {
		const struct xtcp_rx_cb *cb = xtcp_rx_cb(skb);

		KUNIT_EXPECT_TRUE(test, xtcp_seq_before(cb->seq, cb->end_seq));
		expect_payload(test, skb, cb->seq, cb->end_seq);
		bytes += xtcp_rx_len(skb);
		count++;
		if (prev) {
			u32 pend = xtcp_rx_cb(prev)->end_seq;

			KUNIT_ASSERT_TRUE_MSG(test, xtcp_seq_leq(pend, cb->seq),
					      "[.., %u) overlaps [%u, ..)",
					      pend, cb->seq);
			if (pend != cb->seq)
				first = NULL;	/* a hole: prev ended a run */
		}
		if (!first)
			first = skb;
		/* Is skb the last of its run? Then check both tags. */
		if (!skb_rb_next(skb) ||
		    xtcp_rx_cb(skb_rb_next(skb))->seq != cb->end_seq) {
			u32 start = xtcp_rx_cb(first)->seq;

			KUNIT_EXPECT_EQ_MSG(test, tcb(first)->run_end,
					    cb->end_seq, "run_end of run %u",
					    start);
			KUNIT_EXPECT_EQ_MSG(test, tcb(skb)->run_start, start,
					    "run_start of run %u", start);
			KUNIT_ASSERT_LT(test, n, max);
			runs[n].start = start;
			runs[n++].end = cb->end_seq;
		}
		prev = skb;
	}
	KUNIT_EXPECT_EQ(test, q->bytes, bytes);
	KUNIT_EXPECT_EQ(test, q->count, count);
	return n;
}

static bool has_run(const struct xtcp_sack_block *runs, int n, u32 start,
		    u32 end)
{
	while (n--)
		if (runs[n].start == start && runs[n].end == end)
			return true;
	return false;
}

/*
 * Check the queue's invariants; the SACK blocks must be distinct runs, all
 * of them if there is room, the first one holding [@seq, @end) if @seq !=
 * @end. Returns the number of runs.
 */
static int check_queue(struct kunit *test, const struct xtcp_ooo *q,
		       u32 seq, u32 end)
{
	struct ooo_ctx *ctx = container_of(q, struct ooo_ctx, q);
	struct xtcp_sack_block *runs = ctx->runs, *blk = ctx->blk, four[4];
	int nr, nb, n4, i;

	nr = walk_runs(test, q, runs, MAX_RUNS);
	nb = xtcp_ooo_sack(q, blk, MAX_RUNS);
	KUNIT_EXPECT_EQ(test, nb, nr);
	for (i = 0; i < nb; i++) {
		KUNIT_EXPECT_TRUE_MSG(test, has_run(runs, nr, blk[i].start,
						    blk[i].end),
				      "block %d [%u, %u) is no run", i,
				      blk[i].start, blk[i].end);
		KUNIT_EXPECT_FALSE(test, has_run(blk, i, blk[i].start,
						 blk[i].end));
	}
	if (seq != end && nb) {
		KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(blk[0].start, seq));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_geq(blk[0].end, end));
	}
	/* With room for fewer blocks: the same ones, in the same order. */
	n4 = xtcp_ooo_sack(q, four, 4);
	KUNIT_EXPECT_EQ(test, n4, min(nb, 4));
	for (i = 0; i < n4; i++) {
		KUNIT_EXPECT_EQ(test, four[i].start, blk[i].start);
		KUNIT_EXPECT_EQ(test, four[i].end, blk[i].end);
	}
	KUNIT_EXPECT_EQ(test, xtcp_ooo_empty(q), !nr);
	return nr;
}

/* The queue under test, purged after each test even if it failed. */
static int ooo_test_init(struct kunit *test)
{
	struct ooo_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	xtcp_ooo_init(&ctx->q);
	test->priv = &ctx->q;
	return 0;
}

static void ooo_test_exit(struct kunit *test)
{
	xtcp_ooo_purge(test->priv);
}

static void pops_in_order_once_holes_fill(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;

	add(test, q, 1100, 100, true);
	add(test, q, 1300, 100, true);
	check_queue(test, q, 1300, 1400);
	KUNIT_EXPECT_NULL(test, xtcp_ooo_pop(q, 1000));
	KUNIT_EXPECT_NULL(test, xtcp_ooo_pop(q, 1099));
	/* The caller took [1000, 1100) in order: now the queue follows. */
	pop_expect(test, q, 1100, 1100, 1200);
	KUNIT_EXPECT_NULL(test, xtcp_ooo_pop(q, 1200));
	add(test, q, 1250, 50, true);
	add(test, q, 1200, 50, true);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 1200, 1250), 1);
	pop_expect(test, q, 1200, 1200, 1250);
	pop_expect(test, q, 1250, 1250, 1300);
	pop_expect(test, q, 1300, 1300, 1400);
	KUNIT_EXPECT_NULL(test, xtcp_ooo_pop(q, 1400));
	KUNIT_EXPECT_TRUE(test, xtcp_ooo_empty(q));
	KUNIT_EXPECT_EQ(test, q->bytes, 0u);
	KUNIT_EXPECT_EQ(test, q->count, 0u);
}

static void duplicates_are_refused(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;

	add(test, q, 100, 100, true);
	add(test, q, 200, 50, true);
	add(test, q, 100, 100, false);	/* exact */
	add(test, q, 120, 30, false);	/* inside one */
	add(test, q, 150, 100, false);	/* across two */
	add(test, q, 100, 150, false);	/* exactly both */
	add(test, q, 300, 0, false);	/* empty */
	KUNIT_EXPECT_EQ(test, q->count, 2u);
	KUNIT_EXPECT_EQ(test, q->bytes, 150u);
	check_queue(test, q, 0, 0);
}

/* The new head overlaps a queued buffer: the head is cut. */
static void overlap_at_head_trims_new_head(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;
	struct sk_buff *skb;

	add(test, q, 100, 100, true);
	skb = add(test, q, 150, 100, true);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, xtcp_rx_cb(skb)->off, 3u + 50);
	expect_payload(test, skb, 200, 250);
	KUNIT_EXPECT_EQ(test, q->bytes, 150u);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 150, 250), 1);
	pop_expect(test, q, 100, 100, 200);
	pop_expect(test, q, 200, 200, 250);
}

/*
 * The new tail overlaps a queued buffer: the tail is cut, and the popped
 * buffer ends there although the skb holds more.
 */
static void overlap_at_tail_trims_new_tail(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;
	struct sk_buff *skb;

	add(test, q, 200, 100, true);
	skb = add(test, q, 150, 100, true);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, xtcp_rx_cb(skb)->off, 3u);
	expect_payload(test, skb, 150, 200);
	KUNIT_EXPECT_EQ(test, q->bytes, 150u);
	check_queue(test, q, 150, 250);
	skb = xtcp_ooo_pop(q, 150);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	expect_payload(test, skb, 150, 200);
	KUNIT_EXPECT_EQ(test, xtcp_rx_len(skb), 50u);
	KUNIT_EXPECT_GT(test, skb->len - xtcp_rx_cb(skb)->off, 50u);
	kfree_skb(skb);
	pop_expect(test, q, 200, 200, 300);
}

static void overlap_at_both_ends_trims_both(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;
	struct sk_buff *skb;

	add(test, q, 100, 100, true);
	add(test, q, 300, 100, true);
	skb = add(test, q, 150, 200, true);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	expect_payload(test, skb, 200, 300);
	KUNIT_EXPECT_EQ(test, q->count, 3u);
	KUNIT_EXPECT_EQ(test, q->bytes, 300u);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 150, 350), 1);
	pop_expect(test, q, 100, 100, 200);
	pop_expect(test, q, 200, 200, 300);
	pop_expect(test, q, 300, 300, 400);
}

/* Take a reference to see whether the queue lets go of a buffer. */
static struct sk_buff *held(struct kunit *test, struct sk_buff *skb)
{
	KUNIT_ASSERT_NOT_NULL(test, skb);
	return skb_get(skb);
}

static void expect_freed(struct kunit *test, struct sk_buff *skb)
{
	KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 1u);
	kfree_skb(skb);
}

static void expect_kept(struct kunit *test, struct sk_buff *skb)
{
	KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 2u);
	kfree_skb(skb);
}

static void covering_buffer_replaces_queued_ones(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;
	struct sk_buff *a, *b, *c, *d, *e, *skb;

	a = held(test, add(test, q, 90, 20, true));	/* partly inside */
	b = held(test, add(test, q, 120, 10, true));	/* wholly inside */
	c = held(test, add(test, q, 140, 10, true));	/* wholly inside */
	d = held(test, add(test, q, 150, 10, true));	/* wholly inside */
	e = held(test, add(test, q, 190, 20, true));	/* partly inside */
	skb = add(test, q, 100, 100, true);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	expect_payload(test, skb, 110, 190);
	expect_kept(test, a);
	expect_freed(test, b);
	expect_freed(test, c);
	expect_freed(test, d);
	expect_kept(test, e);
	KUNIT_EXPECT_EQ(test, q->count, 3u);
	KUNIT_EXPECT_EQ(test, q->bytes, 120u);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 100, 200), 1);

	/* Same start, longer: the queued one goes, nothing is trimmed. */
	b = held(test, add(test, q, 300, 10, true));
	skb = add(test, q, 300, 30, true);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	expect_payload(test, skb, 300, 330);
	expect_freed(test, b);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 300, 330), 2);
}

/* Sequence numbers wrap from 2^32 - 1 to 0 in the middle of the queue. */
static void works_across_the_wrap(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;
	struct xtcp_sack_block blk[4];
	u32 base = 0xffffff00;
	struct sk_buff *skb;

	add(test, q, base + 0x80, 0x40, true);	/* 0xffffff80 .. 0xffffffc0 */
	add(test, q, base + 0xf0, 0x40, true);	/* 0xfffffff0 .. 0x30 */
	add(test, q, 0x40, 0x20, true);
	check_queue(test, q, 0x40, 0x60);
	/* Overlapping both, the tail one across the wrap. */
	skb = add(test, q, base + 0xa0, 0x70, true);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	expect_payload(test, skb, 0xffffffc0, 0xfffffff0);
	/* Fill [0x30, 0x40): one run from 0xffffff80 to 0x60. */
	add(test, q, 0x28, 0x20, true);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 0x28, 0x48), 1);
	KUNIT_ASSERT_EQ(test, xtcp_ooo_sack(q, blk, 4), 1);
	KUNIT_EXPECT_EQ(test, blk[0].start, 0xffffff80u);
	KUNIT_EXPECT_EQ(test, blk[0].end, 0x60u);
	KUNIT_EXPECT_EQ(test, q->bytes, 0xe0u);

	KUNIT_EXPECT_NULL(test, xtcp_ooo_pop(q, base + 0x7f));
	pop_expect(test, q, base + 0x90, base + 0x90, 0xffffffc0);
	pop_expect(test, q, 0xffffffc0, 0xffffffc0, 0xfffffff0);
	pop_expect(test, q, 0xfffffff0, 0xfffffff0, 0x30);
	pop_expect(test, q, 0x30, 0x30, 0x40);
	pop_expect(test, q, 0x40, 0x40, 0x60);
	KUNIT_EXPECT_TRUE(test, xtcp_ooo_empty(q));
}

static void pop_trims_heads_and_frees_stale_buffers(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;
	struct sk_buff *a, *b, *c, *skb;
	struct xtcp_sack_block blk[4];

	a = held(test, add(test, q, 100, 100, true));
	b = held(test, add(test, q, 200, 100, true));
	c = held(test, add(test, q, 300, 100, true));
	skb = xtcp_ooo_pop(q, 250);
	KUNIT_ASSERT_PTR_EQ(test, skb, b);
	expect_payload(test, skb, 250, 300);
	KUNIT_EXPECT_EQ(test, xtcp_rx_cb(skb)->off, 3u + 50);
	expect_freed(test, a);
	expect_kept(test, b);	/* ours now: drop the queue's reference */
	kfree_skb(b);
	/* The run shrank at its front. */
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 0, 0), 1);
	KUNIT_ASSERT_EQ(test, xtcp_ooo_sack(q, blk, 4), 1);
	KUNIT_EXPECT_EQ(test, blk[0].start, 300u);
	KUNIT_EXPECT_EQ(test, blk[0].end, 400u);
	KUNIT_EXPECT_NULL(test, xtcp_ooo_pop(q, 260));
	/* Everything is stale: all freed, nothing returned. */
	KUNIT_EXPECT_NULL(test, xtcp_ooo_pop(q, 450));
	expect_freed(test, c);
	KUNIT_EXPECT_TRUE(test, xtcp_ooo_empty(q));
	KUNIT_EXPECT_EQ(test, q->bytes, 0u);
	KUNIT_EXPECT_EQ(test, q->count, 0u);
	KUNIT_EXPECT_EQ(test, xtcp_ooo_sack(q, blk, 4), 0);
}

static void expect_blocks(struct kunit *test, const struct xtcp_ooo *q,
			  int max, const struct xtcp_sack_block *want, int n)
{
	struct xtcp_sack_block blk[8];
	int i, got;

	got = xtcp_ooo_sack(q, blk, max);
	KUNIT_ASSERT_EQ(test, got, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, blk[i].start, want[i].start,
				    "block %d", i);
		KUNIT_EXPECT_EQ_MSG(test, blk[i].end, want[i].end,
				    "block %d", i);
	}
}

static void sack_blocks_latest_first_then_recent(struct kunit *test)
{
	static const struct xtcp_sack_block five[] = {
		{ 900, 1000 }, { 700, 800 }, { 500, 600 }, { 300, 400 },
	};
	static const struct xtcp_sack_block merged[] = {
		{ 100, 400 }, { 900, 1000 }, { 700, 800 }, { 500, 600 },
	};
	static const struct xtcp_sack_block merged2[] = {
		{ 500, 800 }, { 100, 400 }, { 900, 1000 },
	};
	static const struct xtcp_sack_block popped[] = {
		{ 500, 800 }, { 200, 400 }, { 900, 1000 },
	};
	static const struct xtcp_sack_block popped2[] = {
		{ 500, 800 }, { 300, 400 }, { 900, 1000 },
	};
	struct xtcp_ooo *q = test->priv;
	u32 s;

	KUNIT_EXPECT_EQ(test, xtcp_ooo_sack(q, NULL, 4), 0);
	for (s = 100; s < 1000; s += 200)
		add(test, q, s, 100, true);
	expect_blocks(test, q, 4, five, 4);
	expect_blocks(test, q, 2, five, 2);
	KUNIT_EXPECT_EQ(test, xtcp_ooo_sack(q, NULL, 0), 0);
	/* [100, 200) joins [300, 400): one block, and the latest. */
	add(test, q, 200, 100, true);
	expect_blocks(test, q, 4, merged, 4);
	/* A duplicate changes nothing. */
	add(test, q, 700, 50, false);
	expect_blocks(test, q, 4, merged, 4);
	add(test, q, 600, 100, true);
	expect_blocks(test, q, 4, merged2, 3);
	/* Popping shrinks the first run's block. */
	pop_expect(test, q, 150, 150, 200);
	KUNIT_EXPECT_NULL(test, xtcp_ooo_pop(q, 150));
	expect_blocks(test, q, 4, popped, 3);
	pop_expect(test, q, 200, 200, 300);
	expect_blocks(test, q, 4, popped2, 3);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 0, 0), 3);
}

/* More runs than remembered: the rest come in ascending order. */
static void sack_fills_with_ascending_runs(struct kunit *test)
{
	static const u32 arrivals[] = { 300, 800, 100, 600, 200, 700, 400, 500 };
	static const struct xtcp_sack_block want[] = {
		{ 500, 510 }, { 400, 410 }, { 700, 710 }, { 200, 210 },
		{ 100, 110 }, { 300, 310 }, { 600, 610 }, { 800, 810 },
	};
	static const struct xtcp_sack_block after_merge[] = {
		{ 500, 610 }, { 400, 410 }, { 700, 710 }, { 200, 210 },
		{ 100, 110 }, { 300, 310 }, { 800, 810 },
	};
	struct xtcp_ooo *q = test->priv;
	int i;

	for (i = 0; i < ARRAY_SIZE(arrivals); i++)
		add(test, q, arrivals[i], 10, true);
	expect_blocks(test, q, 8, want, 8);
	expect_blocks(test, q, 4, want, 4);
	/* The latest arrival joins another run; the others keep order. */
	add(test, q, 510, 90, true);
	expect_blocks(test, q, 8, after_merge, 7);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 510, 600), 7);
}

static void purge_frees_everything(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;
	struct xtcp_sack_block blk[4];
	struct sk_buff *skbs[8];
	int i;

	for (i = 0; i < ARRAY_SIZE(skbs); i++) {
		u32 seq = 1000 * i + 7 * (i & 1);

		skbs[i] = held(test, add(test, q, seq, 500 + i, true));
	}
	KUNIT_EXPECT_EQ(test, q->count, 8u);
	xtcp_ooo_purge(q);
	for (i = 0; i < ARRAY_SIZE(skbs); i++)
		expect_freed(test, skbs[i]);
	KUNIT_EXPECT_TRUE(test, xtcp_ooo_empty(q));
	KUNIT_EXPECT_EQ(test, q->count, 0u);
	KUNIT_EXPECT_EQ(test, q->bytes, 0u);
	KUNIT_EXPECT_EQ(test, xtcp_ooo_sack(q, blk, 4), 0);
	/* And it is usable again. */
	add(test, q, 5, 5, true);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 5, 10), 1);
}

/*
 * Free every buffer holding a byte at or after @keep_below, one at a time
 * from the highest, as receiver.c frees them when short of memory.
 * Return: true if any buffer was freed.
 */
static bool drop_from(struct xtcp_ooo *q, u32 keep_below)
{
	const struct sk_buff *last;
	bool freed = false;

	while ((last = xtcp_ooo_last(q)) &&
	       xtcp_seq_after(xtcp_rx_cb(last)->end_seq, keep_below))
		freed |= xtcp_ooo_drop_last(q);
	return freed;
}

static void prune_drops_the_highest_buffers(struct kunit *test)
{
	static const struct xtcp_sack_block left[] = {
		{ 300, 400 }, { 100, 200 },
	};
	static const struct xtcp_sack_block joined[] = { { 100, 400 } };
	struct xtcp_ooo *q = test->priv;
	struct sk_buff *a, *b, *c, *d;

	a = held(test, add(test, q, 100, 100, true));
	b = held(test, add(test, q, 300, 100, true));
	c = held(test, add(test, q, 400, 100, true));	/* straddles 450 */
	d = held(test, add(test, q, 600, 100, true));	/* latest arrival */
	KUNIT_EXPECT_FALSE(test, drop_from(q, 700));
	KUNIT_EXPECT_TRUE(test, drop_from(q, 450));
	expect_kept(test, a);
	expect_kept(test, b);
	expect_freed(test, c);
	expect_freed(test, d);
	KUNIT_EXPECT_EQ(test, q->count, 2u);
	KUNIT_EXPECT_EQ(test, q->bytes, 200u);
	/* The latest run went; the run that lost its tail leads. */
	expect_blocks(test, q, 4, left, 2);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 0, 0), 2);
	/* The tags still join what arrives next. */
	add(test, q, 200, 100, true);
	expect_blocks(test, q, 4, joined, 1);
	KUNIT_EXPECT_TRUE(test, xtcp_ooo_drop_last(q));
	KUNIT_EXPECT_EQ(test, q->bytes, 200u);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 0, 0), 1);
	KUNIT_EXPECT_TRUE(test, drop_from(q, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_ooo_empty(q));
	KUNIT_EXPECT_FALSE(test, xtcp_ooo_drop_last(q));
	KUNIT_EXPECT_FALSE(test, drop_from(q, 0));
}

/* Pruning every run remembered for SACK still leaves a first block. */
static void prune_of_every_remembered_run(struct kunit *test)
{
	static const struct xtcp_sack_block left[] = {
		{ 200, 210 }, { 100, 110 },
	};
	struct xtcp_ooo *q = test->priv;
	u32 s;

	for (s = 100; s <= 600; s += 100)
		add(test, q, s, 10, true);
	KUNIT_EXPECT_TRUE(test, drop_from(q, 300));
	expect_blocks(test, q, 4, left, 2);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 0, 0), 2);
}

static u32 rnd(struct rnd_state *rs, u32 n)
{
	return prandom_u32_state(rs) % n;
}

struct seg {
	u32 seq, len;
};

#define STREAM_LEN	20000
#define MAX_SEGS	1024

/*
 * Reassemble a stream from shuffled segments of random sizes, with
 * overlapping ones and duplicates, as a receiver would: what starts at or
 * before RCV.NXT is taken in order, the rest queued. The bytes read must be
 * the stream's, and the queue must check out after every segment.
 */
static void reassembles_a_shuffled_stream(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;
	u32 seed;

	for (seed = 1; seed <= 8; seed++) {
		/* Half the runs cross the wrap of the sequence space. */
		u32 base = seed & 1 ? 0u - STREAM_LEN / 2 : seed * 0x10000001;
		u32 nseg = 0, i, rcv_nxt = base, pos;
		struct rnd_state rs;
		struct seg *segs;
		u8 *out;

		prandom_seed_state(&rs, seed);
		segs = kunit_kcalloc(test, MAX_SEGS, sizeof(*segs), GFP_KERNEL);
		out = kunit_kzalloc(test, STREAM_LEN, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, segs);
		KUNIT_ASSERT_NOT_NULL(test, out);

		/* A cover of the stream, then overlaps and duplicates. */
		for (pos = 0; pos < STREAM_LEN; pos += segs[nseg++].len) {
			KUNIT_ASSERT_LT(test, nseg, MAX_SEGS * 2 / 3);
			segs[nseg].seq = pos;
			segs[nseg].len = min(1 + rnd(&rs, 700),
					     STREAM_LEN - pos);
		}
		for (i = nseg / 2; i; i--) {
			struct seg *s = &segs[nseg++];

			if (i & 1) {
				*s = segs[rnd(&rs, nseg - 1)];
				continue;
			}
			s->seq = rnd(&rs, STREAM_LEN - 1);
			s->len = min(1 + rnd(&rs, 1500), STREAM_LEN - s->seq);
		}
		for (i = nseg - 1; i; i--) {
			u32 j = rnd(&rs, i + 1);

			swap(segs[i], segs[j]);
		}

		for (i = 0; i < nseg; i++) {
			u32 seq = base + segs[i].seq, end = seq + segs[i].len;
			struct sk_buff *skb;

			if (xtcp_seq_leq(end, rcv_nxt))
				continue;
			if (xtcp_seq_after(seq, rcv_nxt)) {
				skb = mkseg_pad(test, seq, segs[i].len,
						rnd(&rs, 40), rnd(&rs, 40));
				if (xtcp_ooo_insert(q, skb)) {
					check_queue(test, q, seq, end);
				} else {
					kfree_skb(skb);
					check_queue(test, q, 0, 0);
				}
				continue;
			}
			/* In order: the caller takes it, then the queue. */
			for (; rcv_nxt != end; rcv_nxt++)
				out[rcv_nxt - base] = pat(rcv_nxt);
			while ((skb = xtcp_ooo_pop(q, rcv_nxt))) {
				const struct xtcp_rx_cb *cb = xtcp_rx_cb(skb);

				KUNIT_ASSERT_EQ(test, cb->seq, rcv_nxt);
				memcpy(out + (rcv_nxt - base),
				       skb->data + cb->off, xtcp_rx_len(skb));
				rcv_nxt = cb->end_seq;
				kfree_skb(skb);
			}
			check_queue(test, q, 0, 0);
		}
		KUNIT_EXPECT_EQ_MSG(test, rcv_nxt, base + STREAM_LEN,
				    "seed %u", seed);
		KUNIT_EXPECT_TRUE(test, xtcp_ooo_empty(q));
		for (pos = 0; pos < STREAM_LEN; pos++)
			if (out[pos] != pat(base + pos)) {
				KUNIT_FAIL(test, "seed %u: byte %u wrong",
					   seed, pos);
				break;
			}
		xtcp_ooo_purge(q);
	}
}

#define MODEL_WIN	32768

/* What must be queued: a bit per byte from @base on. */
struct model {
	struct kunit *test;
	struct xtcp_ooo *q;
	struct rnd_state rs;
	unsigned long *held;
	u32 base;
	u32 rcv_nxt;
};

/* The runs of the model from RCV.NXT on. */
static int model_runs(const struct model *m, struct xtcp_sack_block *runs)
{
	unsigned int s = m->rcv_nxt - m->base, e;
	int n = 0;

	for (;;) {
		s = find_next_bit(m->held, MODEL_WIN, s);
		if (s >= MODEL_WIN)
			return n;
		e = find_next_zero_bit(m->held, MODEL_WIN, s);
		runs[n].start = m->base + s;
		runs[n++].end = m->base + e;
		s = e;
	}
}

/* Insert a random segment after RCV.NXT: queued iff it brings a new byte. */
static int model_insert(struct model *m)
{
	u32 off = m->rcv_nxt - m->base + 1 + rnd(&m->rs, 1024);
	u32 len = 1 + rnd(&m->rs, 128), seq = m->base + off;
	bool fresh = find_next_zero_bit(m->held, off + len, off) < off + len;
	struct kunit *test = m->test;
	struct sk_buff *skb;

	skb = mkseg_pad(test, seq, len, rnd(&m->rs, 8), rnd(&m->rs, 8));
	bitmap_set(m->held, off, len);
	if (xtcp_ooo_insert(m->q, skb)) {
		KUNIT_EXPECT_TRUE(test, fresh);
		return check_queue(test, m->q, seq, seq + len);
	}
	kfree_skb(skb);
	KUNIT_EXPECT_FALSE(test, fresh);
	return check_queue(test, m->q, 0, 0);
}

/* Move RCV.NXT on a little, then pop what follows it in order. */
static int model_pop(struct model *m)
{
	struct kunit *test = m->test;
	struct sk_buff *skb;

	m->rcv_nxt += rnd(&m->rs, 64);
	bitmap_clear(m->held, 0, m->rcv_nxt - m->base);
	while ((skb = xtcp_ooo_pop(m->q, m->rcv_nxt))) {
		u32 at = m->rcv_nxt - m->base, end = xtcp_rx_cb(skb)->end_seq;

		KUNIT_EXPECT_TRUE(test, test_bit(at, m->held));
		expect_payload(test, skb, m->rcv_nxt, end);
		bitmap_clear(m->held, at, end - m->rcv_nxt);
		m->rcv_nxt = end;
		kfree_skb(skb);
	}
	KUNIT_EXPECT_FALSE(test, test_bit(m->rcv_nxt - m->base, m->held));
	return check_queue(test, m->q, 0, 0);
}

/*
 * Prune at a random point, or drop the last buffer: exactly the buffers
 * ending past the point go, and the model loses what they held.
 */
static int model_prune(struct model *m, bool prune)
{
	u32 keep = m->rcv_nxt + rnd(&m->rs, 1200);
	u32 count = m->q->count, drop = 0, cut;
	struct kunit *test = m->test;
	struct sk_buff *skb;

	if (prune) {
		skb_rbtree_walk(skb, &m->q->root)
			drop += xtcp_seq_after(xtcp_rx_cb(skb)->end_seq, keep);
		KUNIT_EXPECT_EQ(test, !!drop, drop_from(m->q, keep));
	} else {
		drop = !!count;
		KUNIT_EXPECT_EQ(test, !!drop, xtcp_ooo_drop_last(m->q));
	}
	KUNIT_EXPECT_EQ(test, m->q->count, count - drop);
	skb = skb_rb_last(&m->q->root);
	if (skb && prune)
		KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(xtcp_rx_cb(skb)->end_seq,
						     keep));
	cut = skb ? xtcp_rx_cb(skb)->end_seq : m->rcv_nxt;
	bitmap_clear(m->held, cut - m->base, MODEL_WIN - (cut - m->base));
	return check_queue(test, m->q, 0, 0);
}

/*
 * Random inserts, pops, prunes and drops against a bitmap of the bytes
 * that must be queued: the runs must match it exactly, and every insert's
 * verdict must be whether it brought a byte the bitmap lacked.
 */
static void matches_a_model_under_random_operations(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;
	struct ooo_ctx *ctx = container_of(q, struct ooo_ctx, q);
	struct model m = { .test = test, .q = q };
	u32 seed;

	m.held = kunit_kzalloc(test, BITS_TO_LONGS(MODEL_WIN) * sizeof(long),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.held);
	for (seed = 100; seed < 130; seed++) {
		u32 op;

		prandom_seed_state(&m.rs, seed);
		/* Odd seeds cross the wrap of the sequence space. */
		m.base = seed & 1 ? 0u - 2000 : prandom_u32_state(&m.rs);
		m.rcv_nxt = m.base;
		bitmap_zero(m.held, MODEL_WIN);
		for (op = 0; op < 300; op++) {
			u32 r = rnd(&m.rs, 100);
			int nr, nw, i;

			if (r < 70)
				nr = model_insert(&m);
			else if (r < 88)
				nr = model_pop(&m);
			else
				nr = model_prune(&m, r < 94);
			if (test->status == KUNIT_FAILURE)
				return;
			nw = model_runs(&m, ctx->want);
			KUNIT_ASSERT_EQ_MSG(test, nr, nw, "seed %u op %u",
					    seed, op);
			walk_runs(test, q, ctx->runs, MAX_RUNS);
			for (i = 0; i < nw; i++) {
				KUNIT_EXPECT_EQ(test, ctx->runs[i].start,
						ctx->want[i].start);
				KUNIT_EXPECT_EQ(test, ctx->runs[i].end,
						ctx->want[i].end);
			}
		}
		xtcp_ooo_purge(q);
	}
}

/*
 * A run of one-byte buffers (a peer's tiny segments) becomes a few
 * compact buffers holding the same bytes; a run of one buffer and runs
 * of buffers as large as compact ones stay; the runs and SACK blocks do
 * not change and the queue works on as before.
 */
static void collapse_compacts_runs_of_tiny_buffers(struct kunit *test)
{
	const u32 n = 3 * XTCP_OOO_COLLAPSE_BYTES / 2;
	struct xtcp_ooo *q = test->priv;
	struct xtcp_sack_block before[8], after[8];
	struct sk_buff *lone, *big1, *big2, *skb;
	int nb, na, i;
	u32 k, seq;

	lone = held(test, add(test, q, 100, 1, true));
	/* Two big buffers in a run: nothing to gain. */
	big1 = held(test, add(test, q, 20000, XTCP_OOO_COLLAPSE_BYTES, true));
	big2 = held(test, add(test, q, 20000 + XTCP_OOO_COLLAPSE_BYTES,
			      XTCP_OOO_COLLAPSE_BYTES, true));
	for (k = 0; k < n; k++)
		add(test, q, 1000 + k, 1, true);
	nb = xtcp_ooo_sack(q, before, ARRAY_SIZE(before));
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 0, 0), 3);

	KUNIT_EXPECT_EQ(test, xtcp_ooo_collapse(q, NULL), (int)n - 2);
	KUNIT_EXPECT_EQ(test, q->count, 5u);
	KUNIT_EXPECT_EQ(test, q->bytes, 1 + n + 2 * XTCP_OOO_COLLAPSE_BYTES);
	expect_kept(test, lone);
	expect_kept(test, big1);
	expect_kept(test, big2);
	na = xtcp_ooo_sack(q, after, ARRAY_SIZE(after));
	KUNIT_EXPECT_EQ(test, na, nb);
	for (i = 0; i < min(na, nb); i++) {
		KUNIT_EXPECT_EQ(test, after[i].start, before[i].start);
		KUNIT_EXPECT_EQ(test, after[i].end, before[i].end);
	}
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 0, 0), 3);
	/* Nothing left to compact. */
	KUNIT_EXPECT_EQ(test, xtcp_ooo_collapse(q, NULL), 0);
	/* The bytes are the stream's, in compact buffers, in order. */
	pop_expect(test, q, 100, 100, 101);
	seq = 1000;
	while ((skb = xtcp_ooo_pop(q, seq)) && seq < 1000 + n) {
		KUNIT_EXPECT_LE(test, skb->truesize,
				SKB_TRUESIZE(XTCP_OOO_COLLAPSE_BYTES));
		expect_payload(test, skb, seq, xtcp_rx_cb(skb)->end_seq);
		seq = xtcp_rx_cb(skb)->end_seq;
		kfree_skb(skb);
	}
	KUNIT_EXPECT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, seq, 1000 + n);
	KUNIT_EXPECT_EQ(test, check_queue(test, q, 0, 0), 1);
}

/* xtcp_ooo_held(): the first queued run of a range, cut to it. */
static void held_expect(struct kunit *test, const struct xtcp_ooo *q,
			u32 seq, u32 end, u32 start, u32 stop)
{
	struct xtcp_sack_block blk = { 0, 0 };
	bool got = xtcp_ooo_held(q, seq, end, &blk);

	KUNIT_EXPECT_EQ_MSG(test, got, start != stop, "[%u, %u)", seq, end);
	if (got && start != stop) {
		KUNIT_EXPECT_EQ_MSG(test, blk.start, start, "[%u, %u)", seq,
				    end);
		KUNIT_EXPECT_EQ_MSG(test, blk.end, stop, "[%u, %u)", seq, end);
	}
}

static void held_finds_the_duplicate_bytes(struct kunit *test)
{
	struct xtcp_ooo *q = test->priv;

	held_expect(test, q, 100, 200, 0, 0);		/* empty queue */
	add(test, q, 1000, 100, true);
	add(test, q, 1100, 100, true);			/* run [1000, 1200) */
	add(test, q, 1300, 100, true);			/* run [1300, 1400) */
	held_expect(test, q, 900, 1000, 0, 0);		/* just before */
	held_expect(test, q, 1200, 1300, 0, 0);		/* the hole */
	held_expect(test, q, 1400, 1500, 0, 0);		/* just after */
	held_expect(test, q, 1000, 1100, 1000, 1100);	/* one buffer again */
	held_expect(test, q, 1050, 1150, 1050, 1150);	/* across two */
	held_expect(test, q, 900, 1250, 1000, 1200);	/* over a run */
	held_expect(test, q, 1150, 1350, 1150, 1200);	/* first run only */
	held_expect(test, q, 1250, 1500, 1300, 1400);	/* from the hole */
	held_expect(test, q, 1399, 1400, 1399, 1400);	/* the last byte */
}

static struct kunit_case xtcp_ooo_cases[] = {
	KUNIT_CASE(pops_in_order_once_holes_fill),
	KUNIT_CASE(duplicates_are_refused),
	KUNIT_CASE(overlap_at_head_trims_new_head),
	KUNIT_CASE(overlap_at_tail_trims_new_tail),
	KUNIT_CASE(overlap_at_both_ends_trims_both),
	KUNIT_CASE(covering_buffer_replaces_queued_ones),
	KUNIT_CASE(works_across_the_wrap),
	KUNIT_CASE(pop_trims_heads_and_frees_stale_buffers),
	KUNIT_CASE(sack_blocks_latest_first_then_recent),
	KUNIT_CASE(sack_fills_with_ascending_runs),
	KUNIT_CASE(purge_frees_everything),
	KUNIT_CASE(prune_drops_the_highest_buffers),
	KUNIT_CASE(prune_of_every_remembered_run),
	KUNIT_CASE(reassembles_a_shuffled_stream),
	KUNIT_CASE_SLOW(matches_a_model_under_random_operations),
	KUNIT_CASE(collapse_compacts_runs_of_tiny_buffers),
	KUNIT_CASE(held_finds_the_duplicate_bytes),
	{}
};

static struct kunit_suite xtcp_ooo_suite = {
	.name = "xtcp_ooo",
	.init = ooo_test_init,
	.exit = ooo_test_exit,
	.test_cases = xtcp_ooo_cases,
};

kunit_test_suite(xtcp_ooo_suite);
