// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the duplicate ACK (include/xtcp/dupack.h), each condition of RFC 5681
 * section 2 and the SACK variant of RFC 6675 section 2, and the count
 * or scoreboard verdict that starts fast recovery.
 */

#include <kunit/test.h>
#include <xtcp/dupack.h>

#define U	0xffffff00U	/* SND.UNA: SND.MAX lies across the wrap */
#define WND	65535U

/*
 * One case: SEG.ACK as an offset from SND.UNA, SND.MAX as one, the
 * segment's window, its payload, SYN or FIN, new SACKed bytes; and
 * whether it is a duplicate ACK.
 */
struct dup_case {
	const char *name;
	s32 ack;
	u32 max, wnd, len;
	bool syn_fin, sacked, dup;
};

static const struct dup_case dup_cases[] = {
	{ "pure_duplicate", 0, 3000, WND, 0, false, false, true },
	/* RFC 5681 (a): data outstanding */
	{ "nothing_outstanding", 0, 0, WND, 0, false, false, false },
	{ "nothing_outstanding_sack", 0, 0, WND, 0, false, true, false },
	/* (b): no data, unless it SACKs new data (RFC 6675) */
	{ "carries_data", 0, 3000, WND, 100, false, false, false },
	{ "carries_data_sack", 0, 3000, WND, 100, false, true, true },
	/* (c): neither SYN nor FIN, SACK or not */
	{ "fin", 0, 3000, WND, 0, true, false, false },
	{ "fin_sack", 0, 3000, WND, 0, true, true, false },
	/* (d): SEG.ACK = SND.UNA */
	{ "new_ack", 1, 3000, WND, 0, false, false, false },
	{ "old_ack", -1, 3000, WND, 0, false, false, false },
	{ "old_ack_sack", -1, 3000, WND, 0, false, true, false },
	/* (e): the same window, unless it SACKs new data */
	{ "window_moved", 0, 3000, WND - 1000, 0, false, false, false },
	{ "window_grew", 0, 3000, WND + 1, 0, false, false, false },
	{ "window_moved_sack", 0, 3000, WND - 1000, 0, false, true, true },
	{ "window_closed_sack", 0, 3000, 0, 0, false, true, true },
	{ "one_byte_outstanding", 0, 1, WND, 0, false, false, true },
};

static void dup_desc(const struct dup_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(dup, dup_cases, dup_desc);

static void is_dupack_test(struct kunit *test)
{
	const struct dup_case *c = test->param_value;
	const struct xtcp_dupack_in in = {
		.ack = U + c->ack,
		.snd_una = U,
		.snd_max = U + c->max,
		.wnd = c->wnd,
		.snd_wnd = WND,
		.len = c->len,
		.syn_fin = c->syn_fin,
		.sacked = c->sacked,
	};

	KUNIT_EXPECT_EQ(test, xtcp_is_dupack(&in), c->dup);
}

/* DupThresh (3) duplicate ACKs, or IsLost() before them. */
static void dupack_lost_test(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, xtcp_dupack_lost(0, false));
	KUNIT_EXPECT_FALSE(test, xtcp_dupack_lost(1, false));
	KUNIT_EXPECT_FALSE(test, xtcp_dupack_lost(XTCP_DUPTHRESH - 1, false));
	KUNIT_EXPECT_TRUE(test, xtcp_dupack_lost(XTCP_DUPTHRESH, false));
	KUNIT_EXPECT_TRUE(test, xtcp_dupack_lost(255, false));
	KUNIT_EXPECT_TRUE(test, xtcp_dupack_lost(1, true));
	KUNIT_EXPECT_TRUE(test, xtcp_dupack_lost(XTCP_DUPTHRESH, true));
	KUNIT_EXPECT_EQ(test, XTCP_DUPTHRESH, 3);
}

static struct kunit_case xtcp_dupack_cases[] = {
	KUNIT_CASE_PARAM(is_dupack_test, dup_gen_params),
	KUNIT_CASE(dupack_lost_test),
	{}
};

static struct kunit_suite xtcp_dupack_suite = {
	.name = "xtcp_dupack",
	.test_cases = xtcp_dupack_cases,
};

kunit_test_suite(xtcp_dupack_suite);
