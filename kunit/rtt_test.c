// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the RTT estimator and the RTO (mod/rtt.c, RFC 6298), against
 * values worked out by hand from the RFC's formulas.
 */

#include <kunit/test.h>
#include <linux/limits.h>
#include <xtcp/rtt.h>

#define MIN_US	(XTCP_RTO_MIN_DEFAULT_MS * 1000U)

static void rtt_starts_with_no_sample_and_a_1s_rto(struct kunit *test)
{
	struct xtcp_rtt r;

	memset(&r, 0xa5, sizeof(r));
	xtcp_rtt_init(&r);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 0U);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 0U);
	KUNIT_EXPECT_EQ(test, r.samples, 0U);
	KUNIT_EXPECT_EQ(test, r.rto_us, 1000000U);
}

/* 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR = 3R. */
static void rtt_first_sample(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 100000, MIN_US);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 100000U);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 50000U);
	KUNIT_EXPECT_EQ(test, r.rto_us, 300000U);
	KUNIT_EXPECT_EQ(test, r.samples, 1U);
}

/*
 * 2.3, after 100 ms: a sample of 200 ms gives
 *	RTTVAR = 3/4 * 50000 + 1/4 * |100000 - 200000| = 62500
 *	SRTT = 7/8 * 100000 + 1/8 * 200000 = 112500
 *	RTO = 112500 + 4 * 62500 = 362500
 * RTTVAR with the new SRTT instead would be 59375. Then 50 ms gives
 *	RTTVAR = 3/4 * 62500 + 1/4 * 62500 = 62500
 *	SRTT = 7/8 * 112500 + 1/8 * 50000 = 104687.5, rounded to 104688
 */
static void rtt_later_samples_smooth(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 100000, MIN_US);
	xtcp_rtt_sample(&r, 200000, MIN_US);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 62500U);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 112500U);
	KUNIT_EXPECT_EQ(test, r.rto_us, 362500U);
	xtcp_rtt_sample(&r, 50000, MIN_US);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 62500U);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 104688U);
	KUNIT_EXPECT_EQ(test, r.rto_us, 104688U + 250000U);
	KUNIT_EXPECT_EQ(test, r.samples, 3U);
}

/* Rounding, not truncation: SRTT comes within 4 us of a steady RTT. */
static void rtt_converges_on_a_steady_rtt(struct kunit *test)
{
	struct xtcp_rtt r;
	int i;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 1000, 1);
	for (i = 0; i < 200; i++)
		xtcp_rtt_sample(&r, 1007, 1);
	/* Truncating 7/8 SRTT + 1/8 R would stay at 1000 for ever. */
	KUNIT_EXPECT_GE(test, r.srtt_us, 1003U);
	KUNIT_EXPECT_LE(test, r.srtt_us, 1007U);
}

/* With no variation left, G is the margin: RTO = SRTT + 1 ms. */
static void rtt_variation_dies_down(struct kunit *test)
{
	struct xtcp_rtt r;
	int i;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 5000, 1);
	KUNIT_EXPECT_EQ(test, r.rto_us, 5000U + 4 * 2500U);
	for (i = 0; i < 100; i++)
		xtcp_rtt_sample(&r, 5000, 1);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 5000U);
	/* from 2500 down to the rounding, 2 us at most */
	KUNIT_EXPECT_LE(test, r.rttvar_us, 2U);
	KUNIT_EXPECT_EQ(test, r.rto_us, 5000U + XTCP_RTO_GRANULARITY_US);
}

/* RTO = SRTT + max(G, 4 RTTVAR): 100 + max(1000, 200) = 1100. */
static void rtt_rto_keeps_the_granularity(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 100, 1);
	KUNIT_EXPECT_EQ(test, r.rto_us, 1100U);
}

static void rtt_rto_is_at_least_the_minimum(struct kunit *test)
{
	struct xtcp_rtt r;

	/* 10 ms: 30 ms computed, 200 ms the floor */
	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 10000, MIN_US);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 10000U);
	KUNIT_EXPECT_EQ(test, r.rto_us, MIN_US);
	/* the same with a 1 ms floor */
	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 10000, 1000);
	KUNIT_EXPECT_EQ(test, r.rto_us, 30000U);
}

static void rtt_rto_is_at_most_the_maximum(struct kunit *test)
{
	struct xtcp_rtt r;

	/* 100 s: 300 s computed */
	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 100000000, MIN_US);
	KUNIT_EXPECT_EQ(test, r.rto_us, XTCP_RTO_MAX_US);
	/* the largest samples do not wrap around */
	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, U32_MAX, MIN_US);
	KUNIT_EXPECT_EQ(test, r.srtt_us, U32_MAX);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, U32_MAX / 2);
	KUNIT_EXPECT_EQ(test, r.rto_us, XTCP_RTO_MAX_US);
	xtcp_rtt_sample(&r, U32_MAX, MIN_US);
	KUNIT_EXPECT_EQ(test, r.srtt_us, U32_MAX);
	KUNIT_EXPECT_EQ(test, r.rto_us, XTCP_RTO_MAX_US);
	/* a floor above the ceiling still yields the ceiling */
	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 1000, 2 * XTCP_RTO_MAX_US);
	KUNIT_EXPECT_EQ(test, r.rto_us, XTCP_RTO_MAX_US);
}

/* A 0 us sample still counts as one, and SRTT becomes non-zero. */
static void rtt_zero_sample_counts(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 0, MIN_US);
	KUNIT_EXPECT_EQ(test, r.samples, 1U);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 1U);
	KUNIT_EXPECT_EQ(test, r.rto_us, MIN_US);
}

/* The count saturates: a 2^32nd sample is not taken for a first one. */
static void rtt_sample_count_saturates(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 100000, MIN_US);
	r.samples = U32_MAX;
	xtcp_rtt_sample(&r, 200000, MIN_US);
	KUNIT_EXPECT_EQ(test, r.samples, U32_MAX);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 112500U);
}

/* 5.5: the RTO doubles with each expiration, up to the maximum. */
static void rtt_backoff_doubles_up_to_the_cap(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 100000, MIN_US);	/* RTO 300 ms */
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 0), 300000U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 1), 600000U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 2), 1200000U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 8), 76800000U);
	/* 153.6 s */
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 9), XTCP_RTO_MAX_US);
	/* the estimator itself keeps its RTO */
	KUNIT_EXPECT_EQ(test, r.rto_us, 300000U);

	/* from the initial 1 s: 64 s, then 128 s is over */
	xtcp_rtt_init(&r);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 6), 64000000U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 7), XTCP_RTO_MAX_US);
}

/*
 * Counts a 32-bit shift would wrap: 1 s << 31 is 0 modulo 2^32, and a
 * shift by 32 or more is undefined in C. Each must give the maximum.
 */
static void rtt_backoff_does_not_overflow(struct kunit *test)
{
	static const unsigned int counts[] = { 31, 32, 33, 63, 64, 1000,
					       UINT_MAX };
	struct xtcp_rtt r;
	unsigned int i;

	xtcp_rtt_init(&r);
	for (i = 0; i < ARRAY_SIZE(counts); i++)
		KUNIT_EXPECT_EQ_MSG(test, xtcp_rtt_backoff(&r, counts[i]),
				    XTCP_RTO_MAX_US, "backoff %u", counts[i]);
	/* A tiny RTO shifted far: exact while under the cap. */
	r.rto_us = 1;
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 26), 1U << 26);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 27), XTCP_RTO_MAX_US);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 31), XTCP_RTO_MAX_US);
	r.rto_us = U32_MAX;
	KUNIT_EXPECT_EQ(test, xtcp_rtt_backoff(&r, 31), XTCP_RTO_MAX_US);
}

/* RFC 7323 4.1: the echo of a TSval sent 30 ms ago times 30 ms. */
static void rtt_from_ts_echo(struct kunit *test)
{
	u32 rtt = 7;

	KUNIT_EXPECT_TRUE(test, xtcp_rtt_from_ts(1030, 1000, &rtt));
	KUNIT_EXPECT_EQ(test, rtt, 30000U);
	/* The same millisecond: 0, which xtcp_rtt_sample() counts as 1 us. */
	KUNIT_EXPECT_TRUE(test, xtcp_rtt_from_ts(5000, 5000, &rtt));
	KUNIT_EXPECT_EQ(test, rtt, 0U);
	/* Our clock wrapped between the TSval and its echo. */
	KUNIT_EXPECT_TRUE(test, xtcp_rtt_from_ts(20, U32_MAX - 9, &rtt));
	KUNIT_EXPECT_EQ(test, rtt, 30000U);
	/* As long as the longest RTO, and no longer. */
	KUNIT_EXPECT_TRUE(test, xtcp_rtt_from_ts(XTCP_RTO_MAX_US / 1000 + 1,
						 1, &rtt));
	KUNIT_EXPECT_EQ(test, rtt, XTCP_RTO_MAX_US);
}

/* No echo, an echo from our future, or one too old: no sample. */
static void rtt_from_ts_rejects_what_cannot_be_an_rtt(struct kunit *test)
{
	u32 rtt = 7;

	KUNIT_EXPECT_FALSE(test, xtcp_rtt_from_ts(1000, 0, &rtt));
	KUNIT_EXPECT_FALSE(test, xtcp_rtt_from_ts(1000, 1001, &rtt));
	KUNIT_EXPECT_FALSE(test, xtcp_rtt_from_ts(XTCP_RTO_MAX_US / 1000 + 2,
						  1, &rtt));
	KUNIT_EXPECT_FALSE(test, xtcp_rtt_from_ts(0x80000000U, 1, &rtt));
	/* Nothing was written by the refusals. */
	KUNIT_EXPECT_EQ(test, rtt, 7U);
}

/*
 * R1 and R2 as times, as Linux's tcp_model_timeout(): from a 200 ms RTO,
 * retries1 = 3 is 3 s, retries2 = 15 is 924.6 s (the RTO reaches 120 s
 * after 9 doublings, then 6 more RTOs of 120 s).
 */
static void rtt_model_timeout_as_linux(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rtt_model_timeout_ms(0, 200000), 200U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_model_timeout_ms(1, 200000), 600U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_model_timeout_ms(3, 200000), 3000U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_model_timeout_ms(9, 200000), 204600U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_model_timeout_ms(10, 200000), 324600U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_model_timeout_ms(15, 200000), 924600U);
	/* The largest setting does not overflow. */
	KUNIT_EXPECT_EQ(test, xtcp_rtt_model_timeout_ms(255, 200000),
			204600U + 246U * 120000U);
}

/* One segment timed at a time; its ACK gives the sample (RFC 6298 3). */
static void rtt_times_one_segment_at_a_time(struct kunit *test)
{
	struct xtcp_rtt r = { };
	u32 rtt = 0;

	xtcp_rtt_init(&r);
	xtcp_rtt_sent(&r, 1000, 2000, false, 5000);
	xtcp_rtt_sent(&r, 2000, 3000, false, 6000);	/* not timed */
	KUNIT_EXPECT_EQ(test, r.seq, 2000U);
	/* An ACK short of the timed segment's end: no sample. */
	KUNIT_EXPECT_FALSE(test, xtcp_rtt_acked(&r, 1999, 9000, 0, 0, 200000,
						&rtt));
	KUNIT_EXPECT_TRUE(test, xtcp_rtt_acked(&r, 3000, 45000, 0, 0, 200000,
					       &rtt));
	KUNIT_EXPECT_EQ(test, rtt, 40000U);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 40000U);
	KUNIT_EXPECT_EQ(test, (int)r.timing, 0);
	/* Nothing timed any more: the next ACK gives nothing. */
	KUNIT_EXPECT_FALSE(test, xtcp_rtt_acked(&r, 3000, 46000, 0, 0, 200000,
						&rtt));
	/* Sequence numbers wrap. */
	xtcp_rtt_sent(&r, 0xfffffff0U, 0x10, false, 50000);
	KUNIT_EXPECT_FALSE(test, xtcp_rtt_acked(&r, 0xfffffff8U, 51000, 0, 0,
						200000, &rtt));
	KUNIT_EXPECT_TRUE(test, xtcp_rtt_acked(&r, 0x10, 52000, 0, 0, 200000,
					       &rtt));
	KUNIT_EXPECT_EQ(test, rtt, 2000U);
}

/*
 * Karn's rule: a retransmission covering the timed segment spoils it;
 * then only a timestamp echo times the next ACK, once.
 */
static void rtt_karn_spoils_and_the_echo_times(struct kunit *test)
{
	struct xtcp_rtt r = { };
	u32 rtt = 0;

	xtcp_rtt_init(&r);
	xtcp_rtt_sent(&r, 1000, 2000, false, 5000);
	/* A retransmission after the timed segment leaves it timed. */
	xtcp_rtt_sent(&r, 2000, 3000, true, 6000);
	KUNIT_EXPECT_EQ(test, (int)r.timing, 1);
	xtcp_rtt_sent(&r, 1000, 2000, true, 7000);
	KUNIT_EXPECT_EQ(test, (int)r.timing, 0);
	KUNIT_EXPECT_EQ(test, (int)r.karn, 1);
	/* Without timestamps: no sample. */
	KUNIT_EXPECT_FALSE(test, xtcp_rtt_acked(&r, 2000, 90000, 0, 77, 200000,
						&rtt));
	/* With an echo 30 ms old: 30 ms, and Karn's mark is gone. */
	KUNIT_EXPECT_TRUE(test, xtcp_rtt_acked(&r, 2000, 90000, 107, 77,
					       200000, &rtt));
	KUNIT_EXPECT_EQ(test, rtt, 30000U);
	KUNIT_EXPECT_EQ(test, (int)r.karn, 0);
	KUNIT_EXPECT_FALSE(test, xtcp_rtt_acked(&r, 2000, 90000, 108, 77,
						200000, &rtt));
}

static struct kunit_case xtcp_rtt_cases[] = {
	KUNIT_CASE(rtt_model_timeout_as_linux),
	KUNIT_CASE(rtt_times_one_segment_at_a_time),
	KUNIT_CASE(rtt_karn_spoils_and_the_echo_times),
	KUNIT_CASE(rtt_starts_with_no_sample_and_a_1s_rto),
	KUNIT_CASE(rtt_first_sample),
	KUNIT_CASE(rtt_later_samples_smooth),
	KUNIT_CASE(rtt_converges_on_a_steady_rtt),
	KUNIT_CASE(rtt_variation_dies_down),
	KUNIT_CASE(rtt_rto_keeps_the_granularity),
	KUNIT_CASE(rtt_rto_is_at_least_the_minimum),
	KUNIT_CASE(rtt_rto_is_at_most_the_maximum),
	KUNIT_CASE(rtt_zero_sample_counts),
	KUNIT_CASE(rtt_sample_count_saturates),
	KUNIT_CASE(rtt_backoff_doubles_up_to_the_cap),
	KUNIT_CASE(rtt_backoff_does_not_overflow),
	KUNIT_CASE(rtt_from_ts_echo),
	KUNIT_CASE(rtt_from_ts_rejects_what_cannot_be_an_rtt),
	{}
};

static struct kunit_suite xtcp_rtt_suite = {
	.name = "xtcp_rtt",
	.test_cases = xtcp_rtt_cases,
};

kunit_test_suite(xtcp_rtt_suite);
