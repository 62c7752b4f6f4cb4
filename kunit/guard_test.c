// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the checks against hostile peers (include/xtcp/guard.h): which
 * ACK values are acceptable (RFC 5961 section 5), which segments update
 * the send window, the MSS floor, the random challenge ACK budget and the
 * orphan retries.
 */

#include <kunit/test.h>
#include <linux/random.h>
#include <xtcp/guard.h>

struct ack_case {
	const char *name;
	u32 una, nxt, max_wnd, ack;
	enum xtcp_ack_verdict verdict;
};

/* The cases KIND##_cases as parameters, each described by its name. */
#define GUARD_PARAMS(kind)						\
static void kind##_desc(const struct kind##_case *c, char *desc)	\
{									\
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);		\
}									\
KUNIT_ARRAY_PARAM(kind, kind##_cases, kind##_desc)

#define UNA	1000000u
#define WND	65535u

static const struct ack_case ack_cases[] = {
	{ "snd_una", UNA, UNA + 5000, WND, UNA, XTCP_ACK_OK },
	{ "new_data", UNA, UNA + 5000, WND, UNA + 10, XTCP_ACK_OK },
	{ "snd_nxt", UNA, UNA + 5000, WND, UNA + 5000, XTCP_ACK_OK },
	{ "one_past_snd_nxt", UNA, UNA + 5000, WND, UNA + 5001,
	  XTCP_ACK_UNSENT },
	{ "far_ahead", UNA, UNA + 5000, WND, UNA + 0x40000000,
	  XTCP_ACK_UNSENT },
	{ "one_old", UNA, UNA + 5000, WND, UNA - 1, XTCP_ACK_OLD },
	{ "max_window_old", UNA, UNA + 5000, WND, UNA - WND, XTCP_ACK_OLD },
	{ "beyond_max_window", UNA, UNA + 5000, WND, UNA - WND - 1,
	  XTCP_ACK_TOO_OLD },
	/* The attack of issue 9 item 4: an ACK 2^30 old. */
	{ "2^30_old", UNA, UNA + 5000, WND, UNA - 0x40000000,
	  XTCP_ACK_TOO_OLD },
	{ "almost_2^31_old", UNA, UNA + 5000, WND, UNA - 0x7fff0000,
	  XTCP_ACK_TOO_OLD },
	{ "zero_window_ever", UNA, UNA, 0, UNA - 1, XTCP_ACK_TOO_OLD },
	{ "nothing_in_flight", UNA, UNA, WND, UNA, XTCP_ACK_OK },
	{ "ok_across_wrap", 0xfffffff0, 0x10, WND, 0x5, XTCP_ACK_OK },
	{ "old_across_wrap", 0x10, 0x20, WND, 0xfffffff0, XTCP_ACK_OLD },
	{ "too_old_across_wrap", 0x10, 0x20, WND, 0xfff00000,
	  XTCP_ACK_TOO_OLD },
	{ "unsent_across_wrap", 0xfffffff0, 0xffffffff, WND, 0x1,
	  XTCP_ACK_UNSENT },
	/* RFC 7323's largest window: 2^30 behind is still acceptable. */
	{ "scaled_window_old", UNA, UNA + 5000, 0x3fffc000, UNA - 0x3fffc000,
	  XTCP_ACK_OLD },
};

GUARD_PARAMS(ack);

static void ack_check_test(struct kunit *test)
{
	const struct ack_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_ack_check(c->una, c->nxt, c->max_wnd, c->ack),
			c->verdict);
}

struct wnd_case {
	const char *name;
	u32 una, nxt, wl1, wl2, seq, ack;
	bool update;
};

static const struct wnd_case wnd_cases[] = {
	{ "newer_seq", UNA, UNA + 100, 500, UNA, 600, UNA, true },
	{ "same_seq_newer_ack", UNA, UNA + 100, 500, UNA, 500, UNA + 50, true },
	{ "same_seq_same_ack", UNA, UNA + 100, 500, UNA, 500, UNA, true },
	{ "older_seq", UNA, UNA + 100, 500, UNA, 400, UNA + 50, false },
	{ "same_seq_older_ack", UNA, UNA + 100, 500, UNA + 50, 500, UNA + 10,
	  false },
	/* An old ACK never moves the window, however new its SEG.SEQ. */
	{ "old_ack_newer_seq", UNA, UNA + 100, 500, UNA, 600, UNA - 1, false },
	{ "blind_2^30_old_ack", UNA, UNA + 100, 500, UNA, 1500,
	  UNA - 0x40000000, false },
	{ "unsent_ack", UNA, UNA + 100, 500, UNA, 600, UNA + 101, false },
	{ "seq_across_wrap", UNA, UNA + 100, 0xfffffff0, UNA, 0x10, UNA,
	  true },
};

GUARD_PARAMS(wnd);

static void wnd_update_test(struct kunit *test)
{
	const struct wnd_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_ack_updates_wnd(c->una, c->nxt, c->wl1,
						   c->wl2, c->seq, c->ack),
			c->update);
}

struct mss_case {
	const char *name;
	u32 peer, adv, min, opt, mss;
};

static const struct mss_case mss_cases[] = {
	{ "ordinary", 1460, 1460, 48, 0, 1460 },
	{ "ordinary_ts", 1460, 1460, 48, 12, 1448 },
	{ "ours_smaller", 9000, 1460, 48, 12, 1448 },
	{ "no_option", 0, 1460, 48, 0, 536 },
	{ "mss_1", 1, 1460, 48, 0, 48 },
	/* Before the floor: 1 - 12 wrapped to 65525 in a u16. */
	{ "mss_1_ts", 1, 1460, 48, 12, 36 },
	/* Before the floor: 12 - 12 = 0, nothing was ever sent. */
	{ "mss_12_ts", 12, 1460, 48, 12, 36 },
	{ "mss_47_ts", 47, 1460, 48, 12, 36 },
	{ "mss_48_ts", 48, 1460, 48, 12, 36 },
	{ "mss_49", 49, 1460, 48, 0, 49 },
	{ "floor_raised", 100, 1460, 500, 12, 488 },
	/* A floor below Linux's minimum is taken as the minimum. */
	{ "floor_too_low", 1, 1460, 0, 12, 36 },
	{ "max", 65535, 65535, 48, 12, 65523 },
};

GUARD_PARAMS(mss);

static void eff_mss_test(struct kunit *test)
{
	const struct mss_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_eff_mss(c->peer, c->adv, c->min, c->opt),
			c->mss);
}

/* The budget lies in [limit / 2, limit + limit / 2) and takes every value. */
static void challenge_budget_test(struct kunit *test)
{
	static const u32 limits[] = { 1, 2, 10, 1000, 0x7fffffff };
	u32 i, r, b, lo, hi;

	KUNIT_EXPECT_EQ(test, xtcp_challenge_budget(0, 12345), 0u);
	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		lo = (limits[i] + 1) / 2;
		hi = lo + limits[i] - 1;
		KUNIT_EXPECT_EQ(test, xtcp_challenge_budget(limits[i], 0), lo);
		KUNIT_EXPECT_EQ(test, xtcp_challenge_budget(limits[i],
							    limits[i] - 1), hi);
		for (r = 0; r < 5000; r += 7) {
			b = xtcp_challenge_budget(limits[i], r * 2654435761u);
			KUNIT_EXPECT_GE(test, b, lo);
			KUNIT_EXPECT_LE(test, b, hi);
		}
	}
	/* Ten in a row from a real generator are not all alike. */
	b = xtcp_challenge_budget(1000, get_random_u32());
	for (i = 0, r = 0; i < 10; i++)
		r += xtcp_challenge_budget(1000, get_random_u32()) != b;
	KUNIT_EXPECT_GT(test, r, 0u);
}

static void orphan_retries_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_orphan_retries(0), 8u);
	KUNIT_EXPECT_EQ(test, xtcp_orphan_retries(1), 1u);
	KUNIT_EXPECT_EQ(test, xtcp_orphan_retries(3), 3u);
}

static struct kunit_case xtcp_guard_cases[] = {
	KUNIT_CASE_PARAM(ack_check_test, ack_gen_params),
	KUNIT_CASE_PARAM(wnd_update_test, wnd_gen_params),
	KUNIT_CASE_PARAM(eff_mss_test, mss_gen_params),
	KUNIT_CASE(challenge_budget_test),
	KUNIT_CASE(orphan_retries_test),
	{}
};

static struct kunit_suite xtcp_guard_suite = {
	.name = "xtcp_guard",
	.test_cases = xtcp_guard_cases,
};

kunit_test_suite(xtcp_guard_suite);
