// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the arithmetic of buffer sizes and windows (include/xtcp/mem.h):
 * the window a free space holds, the payload ratio, receive buffer
 * autotuning from the reader's pace, and the send buffer for a
 * congestion window.
 */

#include <kunit/test.h>
#include <xtcp/mem.h>

static void window_from_space_follows_the_ratio(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_win_from_space(131072, XTCP_RATIO_DEFAULT),
			65536u);
	KUNIT_EXPECT_EQ(test, xtcp_win_from_space(131072, 255), 130560u);
	KUNIT_EXPECT_EQ(test, xtcp_win_from_space(131072, 1), 512u);
	/* No space, or less than none: no window. */
	KUNIT_EXPECT_EQ(test, xtcp_win_from_space(0, 200), 0u);
	KUNIT_EXPECT_EQ(test, xtcp_win_from_space(-4096, 200), 0u);
	/* No overflow at the largest buffers. */
	KUNIT_EXPECT_EQ(test, xtcp_win_from_space(INT_MAX, 255),
			(u32)(((u64)INT_MAX * 255) >> 8));
	/* And back: the space a window takes. */
	KUNIT_EXPECT_EQ(test, xtcp_space_from_win(65536, XTCP_RATIO_DEFAULT),
			131072);
	KUNIT_EXPECT_EQ(test, xtcp_space_from_win(1, 0), 256);
	KUNIT_EXPECT_EQ(test, xtcp_space_from_win(U32_MAX, 1), INT_MAX);
}

static void ratio_of_payload_to_truesize(struct kunit *test)
{
	/* A full-sized segment in a 2 KB buffer with its sk_buff. */
	KUNIT_EXPECT_EQ(test, xtcp_ratio(1448, 2304), 160);
	/* A 64 KB GRO packet costs little more than its payload. */
	KUNIT_EXPECT_EQ(test, xtcp_ratio(65160, 66816), 249);
	/* One byte in a whole buffer: the least ratio, never 0. */
	KUNIT_EXPECT_EQ(test, xtcp_ratio(1, 768), 1);
	KUNIT_EXPECT_EQ(test, xtcp_ratio(0, 768), 1);
	/* Never above 255 even if truesize lies. */
	KUNIT_EXPECT_EQ(test, xtcp_ratio(4096, 1024), 255);
	KUNIT_EXPECT_EQ(test, xtcp_ratio(100, 0), XTCP_RATIO_DEFAULT);
}

static void drs_grows_with_the_reader(struct kunit *test)
{
	const int max = XTCP_RMEM_MAX;

	/* The reader did not speed up: no growth. */
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(10000, 14480, 1448, 128, max), 0);
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(14480, 14480, 1448, 128, max), 0);
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(14480, 0, 1448, 128, max), 0);
	/*
	 * Doubled from 14480 to 28960 per round trip: window 2 * 28960 +
	 * 16 * 1448 = 81088, grown by twice its growth ratio (1.0): 243264
	 * bytes of window, twice that of buffer at a ratio of one half.
	 */
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(28960, 14480, 1448, 128, max),
			486528);
	/* A better ratio needs less buffer for the same window. */
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(28960, 14480, 1448, 255, max),
			243264 * 256 / 255);
	/* Never past rmem[2]. */
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(4 << 20, 1 << 20, 1448, 128, max),
			max);
	/* Huge numbers do not overflow into a small buffer. */
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(U32_MAX, 1, 1448, 1, INT_MAX),
			INT_MAX);
}

static void sndbuf_for_two_windows(struct kunit *test)
{
	const int max = XTCP_WMEM_MAX;
	int ten = xtcp_sndbuf_for_cwnd(0, 1448, max);

	/* At least an initial window's worth, twice, with the overhead. */
	KUNIT_EXPECT_GE(test, ten, 2 * XTCP_INIT_SEGS * 1448);
	KUNIT_EXPECT_LT(test, ten, 2 * XTCP_INIT_SEGS * 1448 * 5 / 4);
	KUNIT_EXPECT_EQ(test, xtcp_sndbuf_for_cwnd(5 * 1448, 1448, max), ten);
	/* Grows with the window... */
	KUNIT_EXPECT_GT(test, xtcp_sndbuf_for_cwnd(100 * 1448, 1448, max),
			2 * 100 * 1448);
	/* ...up to wmem[2]. */
	KUNIT_EXPECT_EQ(test, xtcp_sndbuf_for_cwnd(U32_MAX, 1448, max), max);
	/* An MSS of 0 (never set) does not divide by zero. */
	KUNIT_EXPECT_GT(test, xtcp_sndbuf_for_cwnd(1000, 0, max), 0);
}

static struct kunit_case xtcp_mem_cases[] = {
	KUNIT_CASE(window_from_space_follows_the_ratio),
	KUNIT_CASE(ratio_of_payload_to_truesize),
	KUNIT_CASE(drs_grows_with_the_reader),
	KUNIT_CASE(sndbuf_for_two_windows),
	{}
};

static struct kunit_suite xtcp_mem_suite = {
	.name = "xtcp_mem",
	.test_cases = xtcp_mem_cases,
};

kunit_test_suite(xtcp_mem_suite);
