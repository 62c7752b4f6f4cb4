// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: Eifel detection (include/xtcp/undo.h): an ACK's echo older than
 * the episode's first retransmission calls the episode spurious; equal or
 * newer does not, nor an echo of a TSval never sent, nor a connection
 * without timestamps or without a stamped retransmission; all of it
 * across the wrap of the millisecond clock.
 */

#include <kunit/test.h>
#include <xtcp/undo.h>

/*
 * One case: the connection's first TSval, its first retransmission's and
 * its latest, as offsets from a base; the echo as one; whether it undoes.
 */
struct ts_case {
	const char *name;
	s32 first, rtx, last, ecr;
	bool spurious;
};

static const struct ts_case ts_cases[] = {
	/* The original arrived: its echo predates the retransmission. */
	{ "older", 0, 1000, 1200, 400, true },
	{ "one_tick_older", 0, 1000, 1200, 999, true },
	{ "first_tsval_echoed", 0, 1000, 1200, 0, true },
	/* The same tick may be the retransmission itself. */
	{ "equal", 0, 1000, 1200, 1000, false },
	/* The retransmission (or a later segment) was what arrived. */
	{ "newer", 0, 1000, 1200, 1001, false },
	{ "latest", 0, 1000, 1200, 1200, false },
	/* Never sent: before the connection's first TSval, after its latest. */
	{ "before_first", 0, 1000, 1200, -1, false },
	{ "long_before_first", 0, 1000, 1200, -100000, false },
	{ "after_latest", 0, 1000, 1200, 1201, false },
	{ "far_after_latest", 0, 1000, 1200, 0x40000000, false },
};

static void ts_case_desc(const struct ts_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ts, ts_cases, ts_case_desc);

/* Each case at three bases: low, just before the wrap, straddling it. */
static void ts_spurious_test(struct kunit *test)
{
	static const u32 bases[] = { 5000, 0xffffff00U, 0xfffffc00U };
	const struct ts_case *c = test->param_value;
	int i;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		const struct xtcp_ts_undo_in in = {
			.ts_on = true,
			.rtx_on = true,
			.first_tsval = bases[i] + c->first,
			.rtx_tsval = bases[i] + c->rtx,
			.last_tsval = bases[i] + c->last,
			.tsecr = bases[i] + c->ecr,
		};

		/* An echo of 0 means none: the wrap base avoids it. */
		if (!in.tsecr)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, xtcp_ts_spurious(&in), c->spurious,
				    "base %#x", bases[i]);
	}
}

/* The wrap itself: sent from before 2^32 to after, echo on either side. */
static void ts_wrap_test(struct kunit *test)
{
	struct xtcp_ts_undo_in in = {
		.ts_on = true,
		.rtx_on = true,
		.first_tsval = 0xfffff000U,
		.rtx_tsval = 0x10,
		.last_tsval = 0x20,
	};

	in.tsecr = 0xfffffff0U;		/* before the wrap, before the rtx */
	KUNIT_EXPECT_TRUE(test, xtcp_ts_spurious(&in));
	in.tsecr = 0x0f;		/* after the wrap, just before */
	KUNIT_EXPECT_TRUE(test, xtcp_ts_spurious(&in));
	in.tsecr = 0x10;
	KUNIT_EXPECT_FALSE(test, xtcp_ts_spurious(&in));
	in.tsecr = 0x15;
	KUNIT_EXPECT_FALSE(test, xtcp_ts_spurious(&in));
	in.tsecr = 0x21;		/* after the latest */
	KUNIT_EXPECT_FALSE(test, xtcp_ts_spurious(&in));
	in.tsecr = 0xffffefffU;		/* before the first */
	KUNIT_EXPECT_FALSE(test, xtcp_ts_spurious(&in));
	/* Signed arithmetic would call this older than the rtx: it is not. */
	in.first_tsval = 0x10;
	in.rtx_tsval = 0x90000000U;
	in.last_tsval = 0x90000100U;
	in.tsecr = 0x20;
	KUNIT_EXPECT_TRUE(test, xtcp_ts_spurious(&in));
	in.tsecr = 0x90000001U;
	KUNIT_EXPECT_FALSE(test, xtcp_ts_spurious(&in));
}

/* Whatever the echo: no timestamps, no stamp, no echo, never. */
static void ts_never_test(struct kunit *test)
{
	struct xtcp_ts_undo_in in = {
		.ts_on = true,
		.rtx_on = true,
		.first_tsval = 100,
		.rtx_tsval = 1000,
		.last_tsval = 1200,
		.tsecr = 400,
	};

	KUNIT_EXPECT_TRUE(test, xtcp_ts_spurious(&in));
	in.ts_on = false;
	KUNIT_EXPECT_FALSE(test, xtcp_ts_spurious(&in));
	in.ts_on = true;
	in.rtx_on = false;
	KUNIT_EXPECT_FALSE(test, xtcp_ts_spurious(&in));
	in.rtx_on = true;
	in.tsecr = 0;
	KUNIT_EXPECT_FALSE(test, xtcp_ts_spurious(&in));
	/* 0 is no echo even where it would lie in what was sent. */
	in.first_tsval = 0xfffffff0U;
	in.rtx_tsval = 0x100;
	in.last_tsval = 0x200;
	KUNIT_EXPECT_FALSE(test, xtcp_ts_spurious(&in));
	in.tsecr = 1;
	KUNIT_EXPECT_TRUE(test, xtcp_ts_spurious(&in));
}

static struct kunit_case xtcp_undo_cases[] = {
	KUNIT_CASE_PARAM(ts_spurious_test, ts_gen_params),
	KUNIT_CASE(ts_wrap_test),
	KUNIT_CASE(ts_never_test),
	{}
};

static struct kunit_suite xtcp_undo_suite = {
	.name = "xtcp_undo",
	.test_cases = xtcp_undo_cases,
};

kunit_test_suite(xtcp_undo_suite);
