// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: which segments join a GSO burst (include/xtcp/burst.h). Only
 * full segments may come before the last one, all of one size, without a
 * gap, within the cap.
 */

#include <kunit/test.h>
#include <xtcp/burst.h>

#define MSS	1448

struct burst_case {
	const char *name;
	struct xtcp_burst b;
	u32 seq, len, mss;
	bool joins;
};

static const struct burst_case burst_cases[] = {
	{ "full_after_full", { 1000, MSS, MSS, 64000 },
	  1000 + MSS, MSS, MSS, true },
	{ "short_tail_after_full", { 1000, 2 * MSS, MSS, 64000 },
	  1000 + 2 * MSS, 100, MSS, true },
	{ "nothing_after_a_short_one", { 1000, MSS + 100, MSS, 64000 },
	  1000 + MSS + 100, MSS, MSS, false },
	{ "gap", { 1000, MSS, MSS, 64000 },
	  1000 + MSS + 1, MSS, MSS, false },
	{ "overlap", { 1000, 2 * MSS, MSS, 64000 },
	  1000 + MSS, MSS, MSS, false },
	{ "segment_size_changed", { 1000, MSS, MSS, 64000 },
	  1000 + MSS, MSS - 8, MSS - 8, false },
	{ "fills_the_cap", { 1000, 2 * MSS, MSS, 3 * MSS },
	  1000 + 2 * MSS, MSS, MSS, true },
	{ "beyond_the_cap", { 1000, 3 * MSS, MSS, 3 * MSS },
	  1000 + 3 * MSS, 1, MSS, false },
	{ "gso_off", { 1000, MSS, MSS, 0 },
	  1000 + MSS, MSS, MSS, false },
	{ "across_the_wrap", { 0xffffff00, MSS, MSS, 64000 },
	  0xffffff00 + MSS, MSS, MSS, true },
};

static void burst_desc(const struct burst_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(burst, burst_cases, burst_desc);

static void burst_joins_test(struct kunit *test)
{
	const struct burst_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_burst_joins(&c->b, c->seq, c->len, c->mss),
			c->joins);
}

static struct kunit_case xtcp_burst_cases[] = {
	KUNIT_CASE_PARAM(burst_joins_test, burst_gen_params),
	{}
};

static struct kunit_suite xtcp_burst_suite = {
	.name = "xtcp_burst",
	.test_cases = xtcp_burst_cases,
};

kunit_test_suite(xtcp_burst_suite);
