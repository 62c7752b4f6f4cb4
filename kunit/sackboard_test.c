// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the sender's SACK scoreboard (mod/sackboard.c), on hand-worked
 * RFC 6675 examples and against a byte-by-byte reading of SetPipe() and
 * NextSeg().
 *
 * Every case runs at three initial sequence numbers: one far from any
 * wrap, one whose window crosses 2^32 and one whose window crosses 2^31.
 * Offsets in the cases are from that base: SND.UNA is the base unless a
 * case says otherwise.
 */

#include <kunit/test.h>
#include <linux/prandom.h>
#include <xtcp/sackboard.h>
#include <xtcp/seq.h>

#define MSS	1000

static const u32 bases[] = { 1000, 0xffffec78, 0x7fffec78 };

static void base_desc(const u32 *b, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "base_%#x", *b);
}

KUNIT_ARRAY_PARAM(base, bases, base_desc);

/* Whether the byte @seq lies in a range on the board: the tests' oracle. */
static bool is_sacked(const struct xtcp_sackboard *sb, u32 seq)
{
	int i;

	for (i = 0; i < sb->nr; i++)
		if (xtcp_seq_in_window(seq, sb->r[i].start,
				       sb->r[i].end - sb->r[i].start))
			return true;
	return false;
}

static u32 base_of(struct kunit *test)
{
	return *(const u32 *)test->param_value;
}

/* Offset @off from the case's base. */
#define S(off)	(b + (u32)(off))

/* Apply one ACK of up to four blocks, given as offsets from the base. */
static u32 sack(struct xtcp_sackboard *sb, u32 b, u32 una, u32 nxt,
		int n, const u32 (*off)[2])
{
	struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS];
	int i;

	for (i = 0; i < n; i++) {
		blk[i].start = S(off[i][0]);
		blk[i].end = S(off[i][1]);
	}
	return xtcp_sb_update(sb, S(una), S(nxt), blk, n);
}

/* One block [@s, @e) from SND.UNA = base, SND.NXT = base + 20000. */
static u32 sack1(struct xtcp_sackboard *sb, u32 b, u32 s, u32 e)
{
	const u32 off[1][2] = { { s, e } };

	return sack(sb, b, 0, 20000, 1, off);
}

/* The board holds exactly the ranges @want, offsets from the base. */
static void expect_ranges(struct kunit *test, const struct xtcp_sackboard *sb,
			  u32 b, int n, const u32 (*want)[2])
{
	int i;

	KUNIT_ASSERT_EQ(test, sb->nr, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, sb->r[i].start - b, want[i][0],
				    "range %d", i);
		KUNIT_EXPECT_EQ_MSG(test, sb->r[i].end - b, want[i][1],
				    "range %d", i);
	}
}

static void sacked_marks_start_but_not_end(struct kunit *test)
{
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 1000, 2000), 1000u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 1000u);
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, S(999)));
	KUNIT_EXPECT_TRUE(test, is_sacked(&sb, S(1000)));
	KUNIT_EXPECT_TRUE(test, is_sacked(&sb, S(1999)));
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, S(2000)));

	xtcp_sb_reset(&sb);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 0u);
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, S(1000)));
}

/* Blocks that touch or overlap become one range; bytes count once. */
static void update_merges_adjacent_and_overlapping(struct kunit *test)
{
	static const u32 two[][2] = { { 1000, 2000 }, { 3000, 4000 } };
	static const u32 one[][2] = { { 1000, 4000 } };
	static const u32 wide[][2] = { { 500, 4500 } };
	static const u32 ack[][2] = { { 7000, 8000 }, { 7500, 9000 } };
	static const u32 both[][2] = { { 500, 4500 }, { 7000, 9000 } };
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 3000, 4000), 1000u);
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 1000, 2000), 1000u);
	expect_ranges(test, &sb, b, 2, two);
	/* Touching both: one range. */
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 2000, 3000), 1000u);
	expect_ranges(test, &sb, b, 1, one);
	/* Overlapping at both ends: only the new bytes count. */
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 500, 4500), 1000u);
	expect_ranges(test, &sb, b, 1, wide);
	/* Already known, inside: nothing new. */
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 600, 4400), 0u);
	expect_ranges(test, &sb, b, 1, wide);
	/* Two overlapping blocks in one ACK. */
	KUNIT_EXPECT_EQ(test, sack(&sb, b, 0, 20000, 2, ack), 2000u);
	expect_ranges(test, &sb, b, 2, both);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 4000u + 2000u);
	/* One block over the gap and both ranges. */
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 400, 9100), 100u + 2500u + 100u);
	KUNIT_EXPECT_EQ(test, sb.nr, 1);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 8700u);
}

/* Only blocks inside (SND.UNA, SND.NXT], not empty, count. */
static void update_ignores_blocks_outside_the_window(struct kunit *test)
{
	static const u32 bad[][2] = {
		{ 4500, 4600 },		/* fine, and no D-SACK */
		{ 1000, 2000 },		/* starts at SND.UNA */
		{ 4000, 6000 },		/* ends beyond SND.NXT */
	};
	static const u32 bad2[][2] = {
		{ 4700, 4800 },		/* fine */
		{ 500, 1500 },		/* straddles SND.UNA */
		{ 3000, 2000 },		/* reversed */
		{ 3000, 3000 },		/* empty */
	};
	static const u32 far[][2] = { { 100000, 100100 } };
	static const u32 edge[][2] = { { 1001, 5000 } };
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	/* SND.UNA = base + 1000, SND.NXT = base + 5000. */
	KUNIT_EXPECT_EQ(test, sack(&sb, b, 1000, 5000, 3, bad), 100u);
	KUNIT_EXPECT_EQ(test, sack(&sb, b, 1000, 5000, 4, bad2), 100u);
	KUNIT_EXPECT_EQ(test, sack(&sb, b, 1000, 5000, 1, far), 0u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 200u);
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, S(5000)));
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, S(1000)));
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, S(3000)));
	/* The very first and last bytes in flight may be SACKed. */
	KUNIT_EXPECT_EQ(test, sack(&sb, b, 1000, 5000, 1, edge), 3999u - 200u);
	KUNIT_EXPECT_TRUE(test, is_sacked(&sb, S(4999)));
	KUNIT_EXPECT_TRUE(test, is_sacked(&sb, S(1001)));
}

/* RFC 2883 section 4: which first blocks are D-SACKs. */
static void dsack_is_recognised(struct kunit *test)
{
	u32 b = base_of(test);
	const struct xtcp_sack_block below[] = { { S(500), S(1000) } };
	const struct xtcp_sack_block straddle[] = { { S(500), S(1500) } };
	const struct xtcp_sack_block inside[] = {
		{ S(3000), S(3500) }, { S(2000), S(4000) },
	};
	const struct xtcp_sack_block same[] = {
		{ S(2000), S(4000) }, { S(2000), S(4000) },
	};
	const struct xtcp_sack_block apart[] = {
		{ S(5000), S(6000) }, { S(2000), S(4000) },
	};
	const struct xtcp_sack_block sticks_out[] = {
		{ S(3000), S(4001) }, { S(2000), S(4000) },
	};
	const struct xtcp_sack_block third[] = {
		{ S(5000), S(6000) }, { S(2000), S(4000) }, { S(5000), S(6000) },
	};

	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_dsack(S(1000), below, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_dsack(S(1000), straddle, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_dsack(S(1000), inside, 2));
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_dsack(S(1000), same, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_dsack(S(1000), inside, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_dsack(S(1000), apart, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_dsack(S(1000), sticks_out, 2));
	/* Only the second block counts, not a later one. */
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_dsack(S(1000), third, 3));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_dsack(S(1000), below, 0));
}

/*
 * A D-SACK is not applied: here the block around it is bogus (beyond
 * SND.NXT) and ignored, so treating the D-SACK as news would SACK bytes
 * no valid block reported.
 */
static void update_ignores_dsack(struct kunit *test)
{
	static const u32 dup[][2] = { { 3000, 3500 }, { 3000, 9000 } };
	static const u32 dup_below[][2] = { { 200, 800 }, { 2000, 2500 } };
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	/* SND.UNA = base + 1000, SND.NXT = base + 5000. */
	KUNIT_EXPECT_EQ(test, sack(&sb, b, 1000, 5000, 2, dup), 0u);
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, S(3000)));
	KUNIT_EXPECT_EQ(test, sb.nr, 0);
	/* Below SND.UNA: the blocks after it still count. */
	KUNIT_EXPECT_EQ(test, sack(&sb, b, 1000, 5000, 2, dup_below), 500u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 500u);
}

/* The cumulative ACK passes ranges, drops them, and cuts one in two. */
static void advance_drops_what_is_acked(struct kunit *test)
{
	static const u32 three[][2] = {
		{ 1000, 2000 }, { 3000, 4000 }, { 5000, 6000 },
	};
	static const u32 cut[][2] = { { 3500, 4000 }, { 5000, 6000 } };
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	sack(&sb, b, 0, 20000, 3, three);
	expect_ranges(test, &sb, b, 3, three);
	KUNIT_EXPECT_EQ(test, xtcp_sb_advance(&sb, S(500)), 0u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_advance(&sb, S(2000)), 1000u);
	expect_ranges(test, &sb, b, 2, three + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sb_advance(&sb, S(3500)), 500u);
	expect_ranges(test, &sb, b, 2, cut);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 1500u);
	/* Going back changes nothing. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_advance(&sb, S(0)), 0u);
	expect_ranges(test, &sb, b, 2, cut);
	KUNIT_EXPECT_EQ(test, xtcp_sb_advance(&sb, S(7000)), 1500u);
	KUNIT_EXPECT_EQ(test, sb.nr, 0);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 0u);

	/* xtcp_sb_update() advances by itself. */
	sack(&sb, b, 0, 20000, 3, three);
	KUNIT_EXPECT_EQ(test, sack(&sb, b, 4000, 20000, 0, three), 0u);
	expect_ranges(test, &sb, b, 1, three + 2);
}

/*
 * RFC 6675 IsLost(): segment 0 is missing, segments 1.. arrive. Two SACKed
 * segments above it leave it in doubt, three make it lost.
 */
static void three_sacked_segments_make_a_hole_lost(struct kunit *test)
{
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	sack1(&sb, b, 1 * MSS, 3 * MSS);
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, S(0), MSS));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, S(MSS - 1), MSS));
	/* One byte more than 2 * SMSS: lost. */
	sack1(&sb, b, 3 * MSS, 3 * MSS + 1);
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_lost(&sb, S(0), MSS));
	sack1(&sb, b, 3 * MSS, 4 * MSS);
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_lost(&sb, S(0), MSS));
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_lost(&sb, S(MSS - 1), MSS));
	/* Within the SACKed range: only what is above counts. */
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_lost(&sb, S(MSS), MSS));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, S(2 * MSS), MSS));
	/* Above everything SACKed: never lost. */
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, S(5 * MSS), MSS));
}

/* Three small segments SACKed apart count as three segments. */
static void three_small_sacked_segments_make_a_hole_lost(struct kunit *test)
{
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	sack1(&sb, b, 1000, 1100);
	sack1(&sb, b, 1200, 1300);
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, S(0), MSS));
	sack1(&sb, b, 1400, 1500);
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_lost(&sb, S(0), MSS));
	/* In the holes between them, fewer are above. */
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, S(1150), MSS));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, S(1350), MSS));
	/* 300 bytes in one range may be one segment: not lost. */
	xtcp_sb_reset(&sb);
	sack1(&sb, b, 1000, 1300);
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, S(0), MSS));
	/* With a 100-byte SMSS they are at least three. */
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_lost(&sb, S(0), 100));
}

/*
 * RFC 6675 SetPipe() by hand. Ten segments of 1000 in flight; segment 0
 * lost, 1-3 SACKed: the hole [0, 1000) is lost and counts nothing; the
 * six segments above the SACKed ones count one each. Retransmitting
 * segment 0 puts it back in the pipe.
 */
static void pipe_before_and_after_a_retransmission(struct kunit *test)
{
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	/* Nothing SACKed: everything is in flight. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(0), MSS),
			10000u);
	sack1(&sb, b, 1000, 4000);
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(0), MSS),
			6000u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(1000), MSS),
			7000u);

	/* Only two SACKed: segment 0 is not lost, so it counts once. */
	xtcp_sb_reset(&sb);
	sack1(&sb, b, 1000, 3000);
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(0), MSS),
			8000u);
	/* Retransmitted though not lost: twice. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(1000), MSS),
			9000u);
}

/*
 * Segments 0 and 2 lost, 1 and 3-5 SACKed. Both holes are lost (four and
 * three SACKed segments above them); 6-9 are not. Retransmitting 0 then 2
 * adds each back; HighRxt past SACKed segment 1 does not add it.
 */
static void pipe_with_two_holes(struct kunit *test)
{
	static const u32 blk[][2] = { { 3000, 6000 }, { 1000, 2000 } };
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	sack(&sb, b, 0, 10000, 2, blk);
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(0), MSS),
			4000u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(1000), MSS),
			5000u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(3000), MSS),
			6000u);
	/* Half of segment 0 resent. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(500), MSS),
			4500u);
	/* A HighRxt left below SND.UNA counts nothing. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(0), S(10000), S(-5), MSS),
			4000u);
	/* Segment 0 acknowledged: hole 2 is lost still. */
	xtcp_sb_advance(&sb, S(1000));
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, S(1000), S(10000), S(1000),
					   MSS), 4000u);
}

/* NextSeg() finds @want_len bytes at @want_seq. */
static void expect_next(struct kunit *test, const struct xtcp_sackboard *sb,
			u32 una, u32 nxt, u32 hr, u32 mss, u32 want_seq,
			u32 want_len)
{
	u32 seq, len;

	KUNIT_ASSERT_TRUE_MSG(test, xtcp_sb_next_seg(sb, una, nxt, hr, mss,
						     &seq, &len),
			      "from %#x", hr);
	KUNIT_EXPECT_EQ_MSG(test, seq, want_seq, "from %#x", hr);
	KUNIT_EXPECT_EQ_MSG(test, len, want_len, "from %#x", hr);
}

/* NextSeg() finds nothing. */
static void expect_no_next(struct kunit *test, const struct xtcp_sackboard *sb,
			   u32 una, u32 nxt, u32 hr, u32 mss)
{
	u32 seq, len;

	KUNIT_EXPECT_FALSE_MSG(test, xtcp_sb_next_seg(sb, una, nxt, hr, mss,
						      &seq, &len),
			       "from %#x", hr);
}

/*
 * NextSeg() rule 1 in the same scene: hole 0, then hole 2, each from
 * HighRxt on; past them nothing: segment 6 is not lost (no rule 3).
 */
static void next_seg_walks_holes_and_stops_at_high_rxt(struct kunit *test)
{
	static const u32 blk[][2] = { { 3000, 6000 }, { 1000, 2000 } };
	u32 b = base_of(test), una = S(0), nxt = S(10000);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	sack(&sb, b, 0, 10000, 2, blk);
	expect_next(test, &sb, una, nxt, S(0), MSS, S(0), 1000);
	expect_next(test, &sb, una, nxt, S(400), MSS, S(400), 600);
	expect_next(test, &sb, una, nxt, S(1000), MSS, S(2000), 1000);
	/* A smaller SMSS: one SMSS at a time. */
	expect_next(test, &sb, una, nxt, S(1000), 300, S(2000), 300);
	expect_no_next(test, &sb, una, nxt, S(3000), MSS);
	expect_no_next(test, &sb, una, nxt, S(9800), MSS);
	expect_no_next(test, &sb, una, nxt, S(10000), MSS);
}

/* A hole shorter than SMSS: the segment stops where SACKed bytes begin. */
static void next_seg_never_covers_sacked_bytes(struct kunit *test)
{
	static const u32 blk[][2] = { { 300, 3300 } };
	u32 b = base_of(test);
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	sack(&sb, b, 0, 10000, 1, blk);
	expect_next(test, &sb, S(0), S(10000), S(0), MSS, S(0), 300);
	/* Not lost (two SMSS SACKed): nothing for rule 1. */
	sb.r[0].end = S(2300);
	expect_no_next(test, &sb, S(0), S(10000), S(0), MSS);
}

/*
 * Sixteen ranges fill the board. A seventeenth above them all is dropped;
 * one below them pushes the highest out; blocks that join ranges need no
 * slot.
 */
static void full_board_keeps_the_ranges_nearest_snd_una(struct kunit *test)
{
	u32 b = base_of(test);
	struct xtcp_sackboard sb;
	int i;

	xtcp_sb_reset(&sb);
	for (i = 0; i < XTCP_SB_MAX_RANGES; i++)
		KUNIT_EXPECT_EQ(test,
				sack1(&sb, b, 1000 + 200 * i, 1100 + 200 * i),
				100u);
	KUNIT_ASSERT_EQ(test, sb.nr, XTCP_SB_MAX_RANGES);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 1600u);

	/* Above every range: not kept, not counted. */
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 9000, 9100), 0u);
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, S(9000)));
	KUNIT_EXPECT_EQ(test, sb.nr, XTCP_SB_MAX_RANGES);

	/* Below them: kept, and the highest range (4000-4100) goes. */
	KUNIT_EXPECT_TRUE(test, is_sacked(&sb, S(4000)));
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 500, 550), 50u);
	KUNIT_EXPECT_TRUE(test, is_sacked(&sb, S(500)));
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, S(4000)));
	KUNIT_EXPECT_TRUE(test, is_sacked(&sb, S(3800)));
	KUNIT_EXPECT_EQ(test, sb.nr, XTCP_SB_MAX_RANGES);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 1600u - 100u + 50u);

	/* Between two ranges, touching both: merged, a slot frees. */
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 1100, 1200), 100u);
	KUNIT_EXPECT_EQ(test, sb.nr, XTCP_SB_MAX_RANGES - 1);
	/* Growing a range needs no slot either. */
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 3850, 3950), 50u);
	KUNIT_EXPECT_EQ(test, sb.nr, XTCP_SB_MAX_RANGES - 1);
	/* And the free slot takes the next new range, even the highest. */
	KUNIT_EXPECT_EQ(test, sack1(&sb, b, 9000, 9100), 100u);
	KUNIT_EXPECT_EQ(test, sb.nr, XTCP_SB_MAX_RANGES);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 1550u + 100u + 50u + 100u);

	/* Whatever happened, the ranges stay sorted and apart. */
	for (i = 1; i < sb.nr; i++)
		KUNIT_EXPECT_TRUE(test, xtcp_seq_before(sb.r[i - 1].end,
							sb.r[i].start));
}

/*
 * The window from 2^32 - 1500 to 8500, past zero: the lost hole crosses
 * zero, and so do the answers. (The parameterised bases run every other
 * case across 2^32 and 2^31 as well.)
 */
static void board_works_across_the_wrap(struct kunit *test)
{
	const u32 una = 0xfffffa24, nxt = una + 10000;	/* -1500 .. 8500 */
	const struct xtcp_sack_block blk[] = {
		{ 500, 3500 }, { 4500, 5500 },
	};
	struct xtcp_sackboard sb;

	xtcp_sb_reset(&sb);
	KUNIT_EXPECT_EQ(test, xtcp_sb_update(&sb, una, nxt, blk, 2), 4000u);
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, 0xffffffff));
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, 499));
	KUNIT_EXPECT_TRUE(test, is_sacked(&sb, 500));
	KUNIT_EXPECT_TRUE(test, is_sacked(&sb, 3499));
	KUNIT_EXPECT_FALSE(test, is_sacked(&sb, 3500));
	/* Hole [-1500, 500) has 4000 SACKed above; [3500, 4500) 1000. */
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_lost(&sb, una, MSS));
	KUNIT_EXPECT_TRUE(test, xtcp_sb_is_lost(&sb, 0xffffffff, MSS));
	KUNIT_EXPECT_FALSE(test, xtcp_sb_is_lost(&sb, 3500, MSS));
	/* Not lost: [3500, 4500) and [5500, 8500). */
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, una, nxt, una, MSS), 4000u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, una, nxt, 0xfffffe0c, MSS),
			5000u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_pipe(&sb, una, nxt, 500, MSS), 6000u);
	expect_next(test, &sb, una, nxt, una, MSS, una, 1000);
	/* From -500: a segment across zero, up to the SACKed 500. */
	expect_next(test, &sb, una, nxt, 0xfffffe0c, MSS, 0xfffffe0c, 1000);
	expect_no_next(test, &sb, una, nxt, 500, MSS);
	/* The cumulative ACK crosses zero into the first range. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_advance(&sb, 1000), 500u);
	KUNIT_EXPECT_EQ(test, sb.r[0].start, 1000u);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked(&sb), 3500u);
}

/*
 * SetPipe() and NextSeg() as RFC 6675 writes them, one octet at a time,
 * on top of is_sacked() and xtcp_sb_is_lost().
 */
static u32 ref_pipe(const struct xtcp_sackboard *sb, u32 una, u32 nxt,
		    u32 high_rxt, u32 mss)
{
	u32 s, pipe = 0;

	for (s = una; s != nxt; s++) {
		if (is_sacked(sb, s))
			continue;
		if (!xtcp_sb_is_lost(sb, s, mss))
			pipe++;
		if (xtcp_seq_before(s, high_rxt))
			pipe++;
	}
	return pipe;
}

static bool ref_next_seg(const struct xtcp_sackboard *sb, u32 una, u32 nxt,
			 u32 high_rxt, u32 mss, u32 *seq, u32 *len)
{
	u32 s = xtcp_seq_max(una, high_rxt);

	for (; s != nxt; s++) {
		if (is_sacked(sb, s))
			continue;
		if (!xtcp_sb_is_lost(sb, s, mss))
			continue;
		*seq = s;
		for (*len = 0; *len < mss && s != nxt &&
		     !is_sacked(sb, s); s++)
			++*len;
		return true;
	}
	return false;
}

/*
 * Random boards: the O(ranges) answers match the octet by octet ones.
 * Small numbers keep the octet walk short; the boards fill up, so
 * forgetting is exercised too.
 */
static void pipe_and_next_seg_match_rfc_octet_walk(struct kunit *test)
{
	static const u32 mss_of[] = { 1, 7, 40, 100 };
	u32 b = base_of(test);
	struct rnd_state rnd;
	int trial;

	prandom_seed_state(&rnd, 6675);
	for (trial = 0; trial < 200; trial++) {
		u32 mss = mss_of[trial % ARRAY_SIZE(mss_of)];
		u32 una = S(prandom_u32_state(&rnd) % 50);
		u32 nxt = una + 1 + prandom_u32_state(&rnd) % 700;
		struct xtcp_sackboard sb;
		int acks, rx;

		xtcp_sb_reset(&sb);
		for (acks = prandom_u32_state(&rnd) % 12; acks; acks--) {
			struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS];
			int i, n = 1 + prandom_u32_state(&rnd) % 4;

			for (i = 0; i < n; i++) {
				blk[i].start = una +
					prandom_u32_state(&rnd) % (nxt - una);
				blk[i].end = blk[i].start + 1 +
					prandom_u32_state(&rnd) % 60;
			}
			xtcp_sb_update(&sb, una, nxt, blk, n);
		}
		for (rx = 0; rx < 8; rx++) {
			/* HighRxt from a little below SND.UNA to SND.NXT. */
			u32 hr = una - 5 + prandom_u32_state(&rnd) %
				 (nxt - una + 6);
			u32 seq = 0, len = 0, rseq = 0, rlen = 0;
			bool got, want;

			KUNIT_EXPECT_EQ_MSG(test,
					    xtcp_sb_pipe(&sb, una, nxt, hr, mss),
					    ref_pipe(&sb, una, nxt, hr, mss),
					    "trial %d hr %u", trial, hr - una);
			got = xtcp_sb_next_seg(&sb, una, nxt, hr, mss, &seq,
					       &len);
			want = ref_next_seg(&sb, una, nxt, hr, mss, &rseq,
					    &rlen);
			KUNIT_EXPECT_EQ_MSG(test, got, want, "trial %d", trial);
			if (!got || !want)
				continue;
			KUNIT_EXPECT_EQ(test, seq, rseq);
			KUNIT_EXPECT_EQ(test, len, rlen);
		}
	}
}

static struct kunit_case xtcp_sackboard_cases[] = {
	KUNIT_CASE_PARAM(sacked_marks_start_but_not_end, base_gen_params),
	KUNIT_CASE_PARAM(update_merges_adjacent_and_overlapping,
			 base_gen_params),
	KUNIT_CASE_PARAM(update_ignores_blocks_outside_the_window,
			 base_gen_params),
	KUNIT_CASE_PARAM(dsack_is_recognised, base_gen_params),
	KUNIT_CASE_PARAM(update_ignores_dsack, base_gen_params),
	KUNIT_CASE_PARAM(advance_drops_what_is_acked, base_gen_params),
	KUNIT_CASE_PARAM(three_sacked_segments_make_a_hole_lost,
			 base_gen_params),
	KUNIT_CASE_PARAM(three_small_sacked_segments_make_a_hole_lost,
			 base_gen_params),
	KUNIT_CASE_PARAM(pipe_before_and_after_a_retransmission,
			 base_gen_params),
	KUNIT_CASE_PARAM(pipe_with_two_holes, base_gen_params),
	KUNIT_CASE_PARAM(next_seg_walks_holes_and_stops_at_high_rxt,
			 base_gen_params),
	KUNIT_CASE_PARAM(next_seg_never_covers_sacked_bytes, base_gen_params),
	KUNIT_CASE_PARAM(full_board_keeps_the_ranges_nearest_snd_una,
			 base_gen_params),
	KUNIT_CASE(board_works_across_the_wrap),
	KUNIT_CASE_PARAM(pipe_and_next_seg_match_rfc_octet_walk,
			 base_gen_params),
	{}
};

static struct kunit_suite xtcp_sackboard_suite = {
	.name = "xtcp_sackboard",
	.test_cases = xtcp_sackboard_cases,
};

kunit_test_suite(xtcp_sackboard_suite);
