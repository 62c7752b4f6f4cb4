// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the path-MTU search's decisions (include/xtcp/mtuprobe.h): the
 * next probe size, the end of the search, what a black hole leaves of
 * search_low, and the MSS probing allows.
 */

#include <kunit/test.h>
#include <xtcp/mtuprobe.h>

/* The midpoint of the range, above search_low and at most search_high. */
static void mtup_next_is_the_midpoint(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_mtup_next(1024, 1448, 8), 1236U);
	KUNIT_EXPECT_EQ(test, xtcp_mtup_next(1024, 1235, 8), 1129U);
	KUNIT_EXPECT_EQ(test, xtcp_mtup_next(48, 65495, 8), 32771U);
	/* Narrower than the threshold but for the threshold 0: still one. */
	KUNIT_EXPECT_EQ(test, xtcp_mtup_next(1000, 1002, 0), 1001U);
}

/* The search ends when the range is narrower than probe_threshold. */
static void mtup_next_ends(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_mtup_next(1228, 1235, 8), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_mtup_next(1227, 1235, 8), 1231U);
	/* Nothing between the two: no probe, whatever the threshold. */
	KUNIT_EXPECT_EQ(test, xtcp_mtup_next(1000, 1001, 0), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_mtup_next(1000, 1000, 0), 0U);
	/* A base MSS above what the peer takes: an empty range, not a wrap. */
	KUNIT_EXPECT_EQ(test, xtcp_mtup_next(1024, 536, 8), 0U);
}

/*
 * The whole search against a path whose largest MSS is @path: each probe
 * up to it succeeds, each above it fails. It ends at most a byte short of
 * the path's MSS when the threshold is 1, within the threshold otherwise,
 * never above, and in about log2(range) probes.
 */
static u32 mtup_search(u32 low, u32 high, u32 threshold, u32 path,
		       unsigned int *probes)
{
	u32 probe;

	*probes = 0;
	while ((probe = xtcp_mtup_next(low, high, threshold))) {
		(*probes)++;
		if (probe <= path)
			low = probe;
		else
			high = probe - 1;
	}
	return low;
}

static void mtup_search_converges(struct kunit *test)
{
	unsigned int probes;
	u32 path;

	/* 1280-byte path, IPv4 and timestamps: 1228, as the selftest sees. */
	KUNIT_EXPECT_EQ(test, mtup_search(1024, 1448, 8, 1228, &probes),
			1228U);
	KUNIT_EXPECT_EQ(test, probes, 6U);
	/* The path grew to 1500 bytes: up to 1441, 7 short of 1448. */
	KUNIT_EXPECT_EQ(test, mtup_search(1228, 1448, 8, 1448, &probes),
			1441U);
	for (path = 1024; path <= 1448; path++) {
		u32 got = mtup_search(1024, 1448, 1, path, &probes);

		/* The midpoint rounds down: search_high is never probed. */
		KUNIT_EXPECT_LE(test, got, path);
		KUNIT_EXPECT_LE(test, path - got, 1U);
		KUNIT_EXPECT_LE(test, probes, 10U);
		got = mtup_search(1024, 1448, 8, path, &probes);
		KUNIT_EXPECT_LE(test, got, path);
		KUNIT_EXPECT_LT(test, path - got, 8U);
	}
}

/* A further black hole halves search_low, within base and the floors. */
static void mtup_hole_halves(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_mtup_hole_mss(1024, 1024, 48, 48), 512U);
	KUNIT_EXPECT_EQ(test, xtcp_mtup_hole_mss(512, 1024, 48, 48), 256U);
	/* Never above base_mss, even from a search_low probed higher. */
	KUNIT_EXPECT_EQ(test, xtcp_mtup_hole_mss(1400, 600, 48, 48), 600U);
	/* Never below mtu_probe_floor nor min_snd_mss. */
	KUNIT_EXPECT_EQ(test, xtcp_mtup_hole_mss(64, 1024, 48, 48), 48U);
	KUNIT_EXPECT_EQ(test, xtcp_mtup_hole_mss(1024, 1024, 700, 48), 700U);
	KUNIT_EXPECT_EQ(test, xtcp_mtup_hole_mss(1024, 1024, 48, 536), 536U);
}

/* Probing caps the MSS at search_low; off, it changes nothing. */
static void mtup_clamp(struct kunit *test)
{
	struct xtcp_mtup m = { .search_low = 1024, .search_high = 1448 };

	KUNIT_EXPECT_EQ(test, xtcp_mtup_clamp(&m, 1448), 1448U);
	m.enabled = 1;
	KUNIT_EXPECT_EQ(test, xtcp_mtup_clamp(&m, 1448), 1024U);
	KUNIT_EXPECT_EQ(test, xtcp_mtup_clamp(&m, 536), 536U);
}

static struct kunit_case xtcp_mtup_cases[] = {
	KUNIT_CASE(mtup_next_is_the_midpoint),
	KUNIT_CASE(mtup_next_ends),
	KUNIT_CASE(mtup_search_converges),
	KUNIT_CASE(mtup_hole_halves),
	KUNIT_CASE(mtup_clamp),
	{}
};

static struct kunit_suite xtcp_mtup_suite = {
	.name = "xtcp_mtuprobe",
	.test_cases = xtcp_mtup_cases,
};

kunit_test_suite(xtcp_mtup_suite);
