// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: D-SACK (mod/dsack.c, RFC 2883): the range a receiver reports for
 * each case of RFC 2883 section 4.1 and Linux's tcp_data_queue(), how
 * duplicates merge before the ACK goes, where the block goes among the
 * SACK blocks, and what a sender counts of one for undo: each byte once.
 */

#include <kunit/test.h>
#include <xtcp/dsack.h>

#define N	0xfffffc00U	/* RCV.NXT: the cases cross the wrap */

struct range_case {
	const char *name;
	s32 seq, end;		/* the segment, from RCV.NXT */
	s32 hs, he;		/* what the queue holds of it, from RCV.NXT */
	bool dup;
	s32 ds, de;		/* the D-SACK, from RCV.NXT */
};

static const struct range_case range_cases[] = {
	/* 4.1.1: a segment resent whose ACK was lost, wholly old */
	{ "wholly_old", -2000, -1000, 0, 0, true, -2000, -1000 },
	{ "old_up_to_rcv_nxt", -1000, 0, 0, 0, true, -1000, 0 },
	/* 4.1.3: partly old, the rest new: only the old part */
	{ "partly_old", -500, 500, 0, 0, true, -500, 0 },
	/* below RCV.NXT wins over what the queue holds above it */
	{ "partly_old_and_held", -500, 2000, 1000, 1500, true, -500, 0 },
	/* 4.1.2: data held out of order, again */
	{ "held_again", 1000, 2000, 1000, 2000, true, 1000, 2000 },
	{ "held_in_part", 500, 1500, 1000, 1500, true, 1000, 1500 },
	/* in order, its tail already held */
	{ "in_order_tail_held", 0, 1500, 1000, 1500, true, 1000, 1500 },
	/* nothing duplicated */
	{ "new_in_order", 0, 1000, 0, 0, false, 0, 0 },
	{ "new_out_of_order", 1000, 2000, 0, 0, false, 0, 0 },
	{ "empty", -1000, -1000, 0, 0, false, 0, 0 },
};

static void range_desc(const struct range_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(range, range_cases, range_desc);

static void range_of_the_duplicate(struct kunit *test)
{
	const struct range_case *c = test->param_value;
	struct xtcp_sack_block held = { N + c->hs, N + c->he };
	struct xtcp_sack_block out = { 0, 0 };
	bool dup = xtcp_dsack_range(N + c->seq, N + c->end, N, &held, &out);

	KUNIT_ASSERT_EQ(test, dup, c->dup);
	if (!dup)
		return;
	KUNIT_EXPECT_EQ(test, out.start, N + c->ds);
	KUNIT_EXPECT_EQ(test, out.end, N + c->de);
}

static void merge_extends_or_replaces(struct kunit *test)
{
	struct xtcp_sack_block p = { N + 1000, N + 2000 };
	struct xtcp_sack_block touch = { N + 2000, N + 2500 };
	struct xtcp_sack_block over = { N + 500, N + 1200 };
	struct xtcp_sack_block apart = { N + 3000, N + 3100 };

	xtcp_dsack_merge(&p, true, &touch);
	KUNIT_EXPECT_EQ(test, p.start, N + 1000);
	KUNIT_EXPECT_EQ(test, p.end, N + 2500);
	xtcp_dsack_merge(&p, true, &over);
	KUNIT_EXPECT_EQ(test, p.start, N + 500);
	KUNIT_EXPECT_EQ(test, p.end, N + 2500);
	/* Not touching: the latest duplicate is the one to report. */
	xtcp_dsack_merge(&p, true, &apart);
	KUNIT_EXPECT_EQ(test, p.start, N + 3000);
	KUNIT_EXPECT_EQ(test, p.end, N + 3100);
	/* Nothing pending (already sent): a stale range does not grow. */
	xtcp_dsack_merge(&p, false, &over);
	KUNIT_EXPECT_EQ(test, p.start, N + 500);
	KUNIT_EXPECT_EQ(test, p.end, N + 1200);
}

static void expect_blk(struct kunit *test, const struct xtcp_sack_block *b,
		       u32 start, u32 end, int i)
{
	KUNIT_EXPECT_EQ_MSG(test, b->start, start, "block %d", i);
	KUNIT_EXPECT_EQ_MSG(test, b->end, end, "block %d", i);
}

static void blocks_dsack_first_then_its_run(struct kunit *test)
{
	static const struct xtcp_sack_block ooo[] = {
		{ N + 5000, N + 6000 }, { N + 1000, N + 3000 },
		{ N + 7000, N + 8000 }, { N + 9000, N + 9500 },
	};
	struct xtcp_sack_block old = { N - 1000, N };
	struct xtcp_sack_block inside = { N + 1500, N + 2000 };
	struct xtcp_sack_block out[4];

	/* Old data: the D-SACK, then the usual order, room for three. */
	KUNIT_ASSERT_EQ(test, xtcp_dsack_blocks(&old, ooo, 4, 3, out), 3);
	expect_blk(test, &out[0], N - 1000, N, 0);
	expect_blk(test, &out[1], N + 5000, N + 6000, 1);
	expect_blk(test, &out[2], N + 1000, N + 3000, 2);
	/* Held data: the run that holds it second, then the others. */
	KUNIT_ASSERT_EQ(test, xtcp_dsack_blocks(&inside, ooo, 4, 4, out), 4);
	expect_blk(test, &out[0], N + 1500, N + 2000, 0);
	expect_blk(test, &out[1], N + 1000, N + 3000, 1);
	expect_blk(test, &out[2], N + 5000, N + 6000, 2);
	expect_blk(test, &out[3], N + 7000, N + 8000, 3);
	/* No out-of-order data: the D-SACK alone. */
	KUNIT_ASSERT_EQ(test, xtcp_dsack_blocks(&old, ooo, 0, 3, out), 1);
	expect_blk(test, &out[0], N - 1000, N, 0);
	KUNIT_EXPECT_EQ(test, xtcp_dsack_blocks(&old, ooo, 4, 0, out), 0);
}

/* Bytes a D-SACK for [N + s, N + e) newly reports, the episode from N. */
static u32 undo(struct xtcp_dsack_seen *seen, s32 s, s32 e)
{
	struct xtcp_sack_block b = { N + s, N + e };

	return xtcp_dsack_undo_bytes(&b, N, N + 10000, 65535, seen);
}

static void undo_counts_the_episode_only(struct kunit *test)
{
	struct xtcp_dsack_seen seen = { .nr = 0 };
	struct xtcp_sack_block b = { N, N + 70000 };

	KUNIT_EXPECT_EQ(test, undo(&seen, 2000, 3000), 1000u);
	seen.nr = 0;
	KUNIT_EXPECT_EQ(test, undo(&seen, 0, 2500), 2500u);
	seen.nr = 0;
	KUNIT_EXPECT_EQ(test, undo(&seen, 9000, 10000), 1000u); /* the last */
	seen.nr = 0;
	/* Straddles the episode's start: only what it could have resent. */
	KUNIT_EXPECT_EQ(test, undo(&seen, -500, 500), 500u);
	seen.nr = 0;
	/* before the episode, after what it could resend, empty */
	KUNIT_EXPECT_EQ(test, undo(&seen, -1000, 0), 0u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 10000, 11000), 0u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 9500, 10500), 0u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 2000, 2000), 0u);
	/* Wider than the peer ever let us send: dubious. */
	KUNIT_EXPECT_EQ(test, xtcp_dsack_undo_bytes(&b, N, N + 80000, 65535,
						    &seen), 0u);
	/* None of these was counted. */
	KUNIT_EXPECT_EQ(test, seen.nr, 0);
}

/*
 * A receiver that repeats a D-SACK, or reports a retransmission in
 * pieces, or again in part: each byte counts once.
 */
static void undo_counts_each_byte_once(struct kunit *test)
{
	struct xtcp_dsack_seen seen = { .nr = 0 };

	KUNIT_EXPECT_EQ(test, undo(&seen, 2000, 3000), 1000u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 2000, 3000), 0u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 2200, 2700), 0u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 2500, 3500), 500u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 1000, 2000), 1000u);	/* touches */
	KUNIT_EXPECT_EQ(test, seen.nr, 1);
	KUNIT_EXPECT_EQ(test, undo(&seen, 1000, 3500), 0u);
	/* In halves, then whole: one segment's worth in all. */
	KUNIT_EXPECT_EQ(test, undo(&seen, 5000, 5500), 500u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 5500, 6000), 500u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 5000, 6000), 0u);
	KUNIT_EXPECT_EQ(test, seen.nr, 2);
	/* Over both ranges and the gap between: only the gap is new. */
	KUNIT_EXPECT_EQ(test, undo(&seen, 0, 7000), 1000u + 1500u + 1000u);
	KUNIT_EXPECT_EQ(test, seen.nr, 1);
	KUNIT_EXPECT_EQ(test, seen.r[0].start, 0u);
	KUNIT_EXPECT_EQ(test, seen.r[0].end, 7000u);
}

/*
 * An RTO after a tail loss probe, every retransmission spurious: the
 * probe's duplicate is reported first, then go-back-N's from the bottom
 * up. Every byte counts, so the episode can be undone.
 */
static void undo_counts_the_probe_and_the_run(struct kunit *test)
{
	struct xtcp_dsack_seen seen = { .nr = 0 };
	u32 sum = undo(&seen, 9000, 10000);
	int i;

	for (i = 0; i < 9; i++)
		sum += undo(&seen, i * 1000, i * 1000 + 1000);
	KUNIT_EXPECT_EQ(test, sum, 10000u);
	KUNIT_EXPECT_EQ(test, seen.nr, 1);
	/* And none of it again. */
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, undo(&seen, i * 1000, i * 1000 + 1000),
				0u);
}

/*
 * No room for a third range: the new one joins its nearest neighbour
 * below, else above. The bytes between count as reported: they can no
 * longer help an undo (fewer bytes, never more).
 */
static void undo_full_joins_a_neighbour(struct kunit *test)
{
	struct xtcp_dsack_seen seen = { .nr = 0 };

	KUNIT_EXPECT_EQ(test, undo(&seen, 0, 1000), 1000u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 9000, 10000), 1000u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 3000, 4000), 1000u);
	KUNIT_EXPECT_EQ(test, seen.nr, 2);
	KUNIT_EXPECT_EQ(test, undo(&seen, 1000, 2000), 0u);	/* the gap */
	KUNIT_EXPECT_EQ(test, undo(&seen, 9000, 10000), 0u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 4000, 5000), 1000u);
	KUNIT_EXPECT_EQ(test, seen.nr, 2);

	/* Nothing below: it joins the nearest above. */
	seen.nr = 0;
	KUNIT_EXPECT_EQ(test, undo(&seen, 5000, 6000), 1000u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 8000, 9000), 1000u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 1000, 2000), 1000u);
	KUNIT_EXPECT_EQ(test, seen.nr, 2);
	KUNIT_EXPECT_EQ(test, undo(&seen, 3000, 4000), 0u);
	KUNIT_EXPECT_EQ(test, undo(&seen, 6000, 8000), 2000u);
	KUNIT_EXPECT_EQ(test, seen.nr, 1);
}

static struct kunit_case xtcp_dsack_cases[] = {
	KUNIT_CASE_PARAM(range_of_the_duplicate, range_gen_params),
	KUNIT_CASE(merge_extends_or_replaces),
	KUNIT_CASE(blocks_dsack_first_then_its_run),
	KUNIT_CASE(undo_counts_the_episode_only),
	KUNIT_CASE(undo_counts_each_byte_once),
	KUNIT_CASE(undo_counts_the_probe_and_the_run),
	KUNIT_CASE(undo_full_joins_a_neighbour),
	{}
};

static struct kunit_suite xtcp_dsack_suite = {
	.name = "xtcp_dsack",
	.test_cases = xtcp_dsack_cases,
};

kunit_test_suite(xtcp_dsack_suite);
