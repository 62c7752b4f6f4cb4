// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: congestion control (mod/cc.c, cc_newreno.c, cc_cubic.c). The
 * tests feed made-up ACKs and losses and check the windows against
 * numbers worked out by hand from RFC 5681, RFC 6928, RFC 3465 and
 * RFC 9438. MSS is 1000 bytes to keep the numbers round.
 */

#include <kunit/test.h>
#include <linux/minmax.h>
#include <xtcp/cc.h>
#include <xtcp/cubic.h>

#define MSS	1000U
#define SEC	1000000ULL	/* microseconds */

/*
 * One round trip: the window as it is now is acknowledged, @per_ack
 * bytes per ACK, all at @now_us.
 */
static void ack_window(struct xtcp_cc *cc, u32 per_ack, u64 now_us)
{
	u32 w = cc->cwnd, done;

	for (done = 0; done < w; done += per_ack)
		xtcp_cc_on_ack(cc, min(per_ack, w - done), now_us);
}

/* A connection of @ops in congestion avoidance at @cwnd = ssthresh. */
static void cc_at(struct xtcp_cc *cc, const struct xtcp_cc_ops *ops,
		  u32 cwnd)
{
	xtcp_cc_init(cc, ops, MSS, 0);
	cc->cwnd = cwnd;
	cc->ssthresh = cwnd;
}

/* -- the registry and what is common to all algorithms -- */

static void dummy_cong_avoid(struct xtcp_cc *cc, u32 acked, u64 now_us)
{
}

static u32 dummy_ssthresh(struct xtcp_cc *cc, u32 flight, u64 now_us)
{
	return 0;
}

static void cc_register_finds_and_rejects_duplicates(struct kunit *test)
{
	struct xtcp_cc_ops a = { .name = "kunit_a",
				 .cong_avoid = dummy_cong_avoid,
				 .ssthresh = dummy_ssthresh };
	struct xtcp_cc_ops a2 = a, b = a;

	strscpy(b.name, "kunit_b", sizeof(b.name));
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_a"), NULL);
	KUNIT_ASSERT_EQ(test, xtcp_cc_register(&a), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&a2), -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_a"), &a);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_b"), NULL);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_"), NULL);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find(""), NULL);

	KUNIT_ASSERT_EQ(test, xtcp_cc_register(&b), 0);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_a"), &a);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_b"), &b);

	xtcp_cc_unregister(&a);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_a"), NULL);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_b"), &b);
	/* the name is free again */
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&a2), 0);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_a"), &a2);
	xtcp_cc_unregister(&a2);
	xtcp_cc_unregister(&b);
}

static void cc_register_rejects_bad_ops(struct kunit *test)
{
	struct xtcp_cc_ops ok = { .name = "kunit_ok",
				  .cong_avoid = dummy_cong_avoid,
				  .ssthresh = dummy_ssthresh };
	struct xtcp_cc_ops bad = ok;

	bad.name[0] = '\0';
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&bad), -EINVAL);
	/* 16 characters leave no room for the NUL */
	bad = ok;
	memcpy(bad.name, "0123456789abcdef", XTCP_CC_NAME_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&bad), -EINVAL);
	bad = ok;
	bad.cong_avoid = NULL;
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&bad), -EINVAL);
	bad = ok;
	bad.ssthresh = NULL;
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&bad), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_ok"), NULL);
	/* 15 characters fit */
	bad = ok;
	strscpy(bad.name, "0123456789abcde", sizeof(bad.name));
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&bad), 0);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("0123456789abcde"), &bad);
	xtcp_cc_unregister(&bad);
}

static void cc_module_registers_the_builtins(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, xtcp_cc_module_init(), 0);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("newreno"), &xtcp_cc_newreno);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("cubic"), &xtcp_cc_cubic);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("reno"), NULL);
	/* twice is a duplicate, and leaves the first registration be */
	KUNIT_EXPECT_EQ(test, xtcp_cc_module_init(), -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("cubic"), &xtcp_cc_cubic);
	xtcp_cc_module_exit();
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("newreno"), NULL);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("cubic"), NULL);
}

/* RFC 6928: min(10 * MSS, max(2 * MSS, 14600)) */
static void cc_initial_window(struct kunit *test)
{
	struct xtcp_cc cc;

	KUNIT_EXPECT_EQ(test, xtcp_cc_initial_window(1460), 14600U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_initial_window(1000), 10000U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_initial_window(536), 5360U);
	/* the byte limit: 14600 rather than 10 * 4380 */
	KUNIT_EXPECT_EQ(test, xtcp_cc_initial_window(4380), 14600U);
	/* but never under 2 segments */
	KUNIT_EXPECT_EQ(test, xtcp_cc_initial_window(9000), 18000U);

	memset(&cc, 0xa5, sizeof(cc));
	xtcp_cc_init(&cc, &xtcp_cc_newreno, 1460, 0);
	KUNIT_EXPECT_PTR_EQ(test, cc.ops, &xtcp_cc_newreno);
	KUNIT_EXPECT_EQ(test, cc.mss, 1460U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 14600U);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, XTCP_CC_SSTHRESH_INIT);
	KUNIT_EXPECT_FALSE(test, cc.rto_slow_start);
	/* unknown MSS: RFC 9293's default of 536 */
	xtcp_cc_init(&cc, &xtcp_cc_cubic, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.mss, 536U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 5360U);
}

/* ABC, L = 2 MSS: an ACK grows cwnd by what it acks, 2 MSS at most. */
static void cc_slow_start_counts_bytes_up_to_2_mss(struct kunit *test)
{
	struct xtcp_cc cc;

	xtcp_cc_init(&cc, &xtcp_cc_newreno, MSS, 0);
	KUNIT_EXPECT_EQ(test, xtcp_cc_slow_start(&cc, 500), 0U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS + 500);
	KUNIT_EXPECT_EQ(test, xtcp_cc_slow_start(&cc, 2 * MSS), 0U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS + 500);
	/* a stretch ACK of 5 MSS still adds 2 */
	KUNIT_EXPECT_EQ(test, xtcp_cc_slow_start(&cc, 5 * MSS), 0U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 14 * MSS + 500);
}

/* Slow start stops at ssthresh; the rest of the ACK is returned. */
static void cc_slow_start_returns_what_is_past_ssthresh(struct kunit *test)
{
	struct xtcp_cc cc;

	xtcp_cc_init(&cc, &xtcp_cc_newreno, MSS, 0);
	cc.ssthresh = 11 * MSS + 500;
	KUNIT_EXPECT_EQ(test, xtcp_cc_slow_start(&cc, 2 * MSS), 500U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 11 * MSS + 500);
	/* at ssthresh already: all of it */
	KUNIT_EXPECT_EQ(test, xtcp_cc_slow_start(&cc, 3 * MSS), 3 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 11 * MSS + 500);
}

/* After an RTO: loss window 1 MSS, then L = 1 MSS per ACK. */
static void cc_rto_sets_the_loss_window(struct kunit *test)
{
	struct xtcp_cc cc;

	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_on_rto(&cc, 40 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 20 * MSS);
	KUNIT_EXPECT_TRUE(test, cc.rto_slow_start);
	xtcp_cc_on_ack(&cc, 2 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2 * MSS);
	/* one window per RTT still doubles it */
	ack_window(&cc, MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 4 * MSS);
	/* past ssthresh the 2 MSS limit is back for the next slow start */
	while (cc.cwnd < cc.ssthresh)
		xtcp_cc_on_ack(&cc, MSS, 0);
	KUNIT_EXPECT_FALSE(test, cc.rto_slow_start);
}

/* A later RTO of the same loss: the loss window again, ssthresh kept. */
static void cc_rto_again_keeps_ssthresh(struct kunit *test)
{
	struct xtcp_cc cc;

	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_on_rto(&cc, 40 * MSS, 0);
	xtcp_cc_on_ack(&cc, 2 * MSS, 0);
	xtcp_cc_rto_again(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 20 * MSS);
	xtcp_cc_set_mss(&cc, 500);
	xtcp_cc_rto_again(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 500U);
}

/* NewReno's fast recovery without SACK, step by step (RFC 6582 3.2). */
static void cc_reno_recovery_inflates_and_deflates(struct kunit *test)
{
	struct xtcp_cc cc;

	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_on_loss(&cc, 40 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 20 * MSS);
	xtcp_cc_reno_recovery_start(&cc, 3);		/* step 2 */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 23 * MSS);
	xtcp_cc_reno_dupack(&cc);			/* step 4 */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 24 * MSS);
	xtcp_cc_reno_partial_ack(&cc, 5 * MSS);	/* step 5 */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	xtcp_cc_reno_partial_ack(&cc, MSS / 2);	/* less than a segment */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS - MSS / 2);
	xtcp_cc_reno_partial_ack(&cc, 100 * MSS);	/* never below 1 MSS */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2 * MSS);
	/* step 3: min(ssthresh, max(FlightSize, SMSS) + SMSS) */
	xtcp_cc_reno_recovery_end(&cc, 5 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 6 * MSS);
	xtcp_cc_reno_recovery_end(&cc, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2 * MSS);
	xtcp_cc_reno_recovery_end(&cc, 90 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
}

/* PRR sets the window; never below a segment nor above the maximum. */
static void cc_set_cwnd_is_bounded(struct kunit *test)
{
	struct xtcp_cc cc;

	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_set_cwnd(&cc, 7 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 7 * MSS);
	xtcp_cc_set_cwnd(&cc, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	xtcp_cc_set_cwnd(&cc, U32_MAX);
	KUNIT_EXPECT_EQ(test, cc.cwnd, XTCP_CC_CWND_MAX);
}

/* A spurious episode undone: the window and ssthresh from before it. */
static void cc_undo_restores_the_window(struct kunit *test)
{
	struct xtcp_cc cc;

	/* fast recovery: 40 -> 20, undone to 40 */
	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_undo_mark(&cc);
	xtcp_cc_on_loss(&cc, 40 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	xtcp_cc_undo(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 40 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 40 * MSS);
	/* an RTO in the first slow start: ssthresh back to "unlimited" */
	xtcp_cc_init(&cc, &xtcp_cc_cubic, MSS, 0);
	xtcp_cc_undo_mark(&cc);
	xtcp_cc_on_rto(&cc, 10 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_TRUE(test, cc.rto_slow_start);
	xtcp_cc_undo(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, XTCP_CC_SSTHRESH_INIT);
	KUNIT_EXPECT_FALSE(test, cc.rto_slow_start);
	/* a window grown past the old one since stays: the larger wins */
	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_undo_mark(&cc);
	xtcp_cc_on_loss(&cc, 40 * MSS, 0);
	xtcp_cc_set_cwnd(&cc, 50 * MSS);
	xtcp_cc_undo(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 50 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 40 * MSS);
}

/* -- NewReno -- */

/* Slow start doubles cwnd per RTT, with an ACK per segment or per two. */
static void newreno_slow_start_doubles_per_rtt(struct kunit *test)
{
	struct xtcp_cc cc;

	xtcp_cc_init(&cc, &xtcp_cc_newreno, MSS, 0);
	ack_window(&cc, MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	ack_window(&cc, MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 40 * MSS);
	/* delayed ACKs */
	ack_window(&cc, 2 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 80 * MSS);
	ack_window(&cc, 2 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 160 * MSS);
}

/* 10 -> 20 -> 25: the last round's ACKs past ssthresh go to CA. */
static void newreno_slow_start_ends_at_ssthresh(struct kunit *test)
{
	struct xtcp_cc cc;

	xtcp_cc_init(&cc, &xtcp_cc_newreno, MSS, 0);
	cc.ssthresh = 25 * MSS;
	ack_window(&cc, MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	/* 5 of 20 ACKs reach 25 MSS, 15 MSS are counted towards CA */
	ack_window(&cc, MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 25 * MSS);
	/* 15 + 25 MSS acked: one window's worth, one MSS more */
	ack_window(&cc, MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 26 * MSS);
}

/* Congestion avoidance: one MSS per RTT, however the ACKs come. */
static void newreno_avoidance_is_linear(struct kunit *test)
{
	struct xtcp_cc cc;
	int i;

	cc_at(&cc, &xtcp_cc_newreno, 20 * MSS);
	for (i = 1; i <= 10; i++) {
		ack_window(&cc, MSS, 0);
		KUNIT_EXPECT_EQ(test, cc.cwnd, (20 + i) * MSS);
	}
	for (i = 1; i <= 10; i++) {
		ack_window(&cc, 2 * MSS, 0);
		KUNIT_EXPECT_EQ(test, cc.cwnd, (30 + i) * MSS);
	}
	/* small ACKs: a window of 400-byte ACKs is one MSS too */
	ack_window(&cc, 400, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 41 * MSS);
	/* nothing before the window is complete */
	xtcp_cc_on_ack(&cc, 41 * MSS - 1, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 41 * MSS);
	xtcp_cc_on_ack(&cc, 1, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 42 * MSS);
	/* one ACK for three windows: three MSS */
	xtcp_cc_on_ack(&cc, 3 * 42 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 45 * MSS);
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * MSS), cwnd = ssthresh */
static void newreno_loss_halves_the_flight(struct kunit *test)
{
	struct xtcp_cc cc;

	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_on_loss(&cc, 40 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 20 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	/* the flight, not cwnd, counts */
	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_on_loss(&cc, 30 * MSS + 1, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 15 * MSS);
	/* the floor of 2 MSS */
	xtcp_cc_on_loss(&cc, 3 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2 * MSS);
	xtcp_cc_on_loss(&cc, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2 * MSS);
}

/*
 * An ECE (RFC 3168 6.1.2): ssthresh as for a loss, from the flight; cwnd
 * stays for the sender's PRR to walk down (ecn.c); no slow start after.
 */
static void newreno_ecn_halves_without_raising(struct kunit *test)
{
	struct xtcp_cc cc;

	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_on_ecn(&cc, 40 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 20 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 40 * MSS);
	KUNIT_EXPECT_FALSE(test, cc.rto_slow_start);
	/* an application-limited flight: ssthresh from it, cwnd not raised */
	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	cc.cwnd = 6 * MSS;
	xtcp_cc_on_ecn(&cc, 20 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 6 * MSS);
	/* the floor of 2 MSS */
	xtcp_cc_on_ecn(&cc, MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 6 * MSS);
	/* after an RTO's slow start: ends it */
	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_on_rto(&cc, 40 * MSS, 0);
	xtcp_cc_on_ack(&cc, 2 * MSS, 0);
	xtcp_cc_on_ecn(&cc, 2 * MSS, 0);
	KUNIT_EXPECT_FALSE(test, cc.rto_slow_start);
}

/* Bytes counted before a loss do not carry over into the next window. */
static void newreno_loss_resets_the_count(struct kunit *test)
{
	struct xtcp_cc cc;

	cc_at(&cc, &xtcp_cc_newreno, 40 * MSS);
	xtcp_cc_on_ack(&cc, 39 * MSS, 0);
	xtcp_cc_on_loss(&cc, 40 * MSS, 0);
	xtcp_cc_on_ack(&cc, 19 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	xtcp_cc_on_ack(&cc, MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 21 * MSS);
}

/* -- CUBIC -- */

static void cubic_root_of_known_values(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(0), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(1), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(7), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(8), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(26), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(27), 3U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(999999999), 999U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(1000000000), 1000U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(1000000000000000000ULL),
			1000000U);
	/* 75 * 10^9: cbrt(75) = 4.2172 */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(75000000000ULL), 4217U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(1ULL << 63), 1U << 21);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root((1ULL << 63) - 1),
			(1U << 21) - 1);
	/* 2642245^3 = 18446724184312856125 <= 2^64 - 1 < 2642246^3 */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(U64_MAX), 2642245U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(18446724184312856125ULL),
			2642245U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(18446724184312856124ULL),
			2642244U);
}

/*
 * K = cbrt((W_max - cwnd_epoch) / C), C = 0.4, in segments and seconds:
 *	W_max 100, cwnd 70: cbrt(30 / 0.4) = cbrt(75) = 4.2172 s
 *	a gap of 0.4 segment: cbrt(1) = 1 s; of 3.2: cbrt(8) = 2 s
 */
static void cubic_k_of_known_windows(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k_ms(100 * MSS, 70 * MSS, MSS), 4217U);
	/* the same in segments of 1460 bytes */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k_ms(100 * 1460, 70 * 1460, 1460),
			4217U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k_ms(10 * MSS, 10 * MSS - 400, MSS),
			1000U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k_ms(10 * MSS, 10 * MSS - 3200, MSS),
			2000U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k_ms(10 * MSS, 10 * MSS, MSS), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k_ms(10 * MSS, 11 * MSS, MSS), 0U);
	/* the largest gap does not overflow: cbrt(2^31 * 2.5e9) ms */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k_ms(XTCP_CC_CWND_MAX, 0, 1),
			xtcp_cubic_root(XTCP_CC_CWND_MAX * 2500000000ULL));
}

/* W_cubic(t) = C * (t - K)^3 + W_max, W_max = 100, K = 4.217 s */
static void cubic_window_follows_the_curve(struct kunit *test)
{
	u32 w_max = 100 * MSS, k = xtcp_cubic_k_ms(w_max, 70 * MSS, MSS);

	/* at t = K: W_max */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_window(w_max, k, MSS, k), w_max);
	/* at t = 0: back where the epoch began, up to K's rounding */
	KUNIT_EXPECT_GE(test, xtcp_cubic_window(w_max, k, MSS, 0), 70 * MSS);
	KUNIT_EXPECT_LE(test, xtcp_cubic_window(w_max, k, MSS, 0),
			70 * MSS + 10);
	/* 1 s either side: 0.4 segment; 2 s: 0.4 * 8 = 3.2 segments */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_window(w_max, k, MSS, k - 1000),
			w_max - 400);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_window(w_max, k, MSS, k + 1000),
			w_max + 400);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_window(w_max, k, MSS, k + 2000),
			w_max + 3200);
	/* 10 s: 400 segments */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_window(w_max, k, MSS, k + 10000),
			w_max + 400 * MSS);
	/* far out it saturates rather than wraps */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_window(w_max, k, MSS, 1ULL << 40),
			XTCP_CC_CWND_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_window(w_max, k, 65535, 1ULL << 22),
			XTCP_CC_CWND_MAX);
	/* and far before K it bottoms out at 0 */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_window(MSS, 2000000, MSS, 0), 0U);
}

/* Section 4.6: ssthresh = 0.7 * flight, cwnd = ssthresh, W_max = cwnd. */
static void cubic_loss_keeps_70_percent(struct kunit *test)
{
	struct xtcp_cc cc;

	cc_at(&cc, &xtcp_cc_cubic, 100 * MSS);
	xtcp_cc_on_loss(&cc, 100 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 70 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 70 * MSS);
	KUNIT_EXPECT_EQ(test, xtcp_cubic(&cc)->w_max, 100 * MSS);
	KUNIT_EXPECT_EQ(test, xtcp_cubic(&cc)->cwnd_prior, 100 * MSS);
	/* 0.7 * 10001 bytes = 7000.7 */
	cc_at(&cc, &xtcp_cc_cubic, 10001);
	xtcp_cc_on_loss(&cc, 10001, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 7000U);
	/* never under 2 MSS: 0.7 * 2 MSS = 1.4 MSS */
	cc_at(&cc, &xtcp_cc_cubic, 2 * MSS);
	xtcp_cc_on_loss(&cc, 2 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2 * MSS);
}

/* Section 4.7: a loss below the last W_max plateaus at 0.85 * cwnd. */
static void cubic_fast_convergence(struct kunit *test)
{
	struct xtcp_cc cc;
	struct xtcp_cubic *c = xtcp_cubic(&cc);

	cc_at(&cc, &xtcp_cc_cubic, 100 * MSS);
	xtcp_cc_on_loss(&cc, 100 * MSS, 0);
	KUNIT_EXPECT_EQ(test, c->w_max, 100 * MSS);
	/* grew back to 80 only: another flow took some */
	cc.cwnd = 80 * MSS;
	xtcp_cc_on_loss(&cc, 80 * MSS, 0);
	KUNIT_EXPECT_EQ(test, c->w_max, 68 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 56 * MSS);
	KUNIT_EXPECT_EQ(test, c->cwnd_prior, 80 * MSS);
	/* past it: W_max is cwnd again */
	cc.cwnd = 90 * MSS;
	xtcp_cc_on_loss(&cc, 90 * MSS, 0);
	KUNIT_EXPECT_EQ(test, c->w_max, 90 * MSS);
}

/* The epoch starts with the first ACK after the loss, not at the loss. */
static void cubic_epoch_starts_at_the_first_ack(struct kunit *test)
{
	struct xtcp_cc cc;
	struct xtcp_cubic *c = xtcp_cubic(&cc);

	cc_at(&cc, &xtcp_cc_cubic, 100 * MSS);
	xtcp_cc_on_loss(&cc, 100 * MSS, 0);
	KUNIT_EXPECT_FALSE(test, c->in_epoch);
	/* 10 s later: were t counted from the loss, cwnd would jump */
	xtcp_cc_on_ack(&cc, MSS, 10 * SEC);
	KUNIT_EXPECT_TRUE(test, c->in_epoch);
	KUNIT_EXPECT_EQ(test, c->epoch_start_us, 10 * SEC);
	KUNIT_EXPECT_EQ(test, c->k_ms, 4217U);
	KUNIT_EXPECT_EQ(test, c->w_est, 70 * MSS);
	KUNIT_EXPECT_LE(test, cc.cwnd, 70 * MSS + 10);
	/* a second ACK does not restart it */
	xtcp_cc_on_ack(&cc, MSS, 11 * SEC);
	KUNIT_EXPECT_EQ(test, c->epoch_start_us, 10 * SEC);
}

/* Below ssthresh CUBIC slow starts like anybody. */
static void cubic_slow_start(struct kunit *test)
{
	struct xtcp_cc cc;

	xtcp_cc_init(&cc, &xtcp_cc_cubic, MSS, 0);
	ack_window(&cc, MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	ack_window(&cc, 2 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 40 * MSS);
	KUNIT_EXPECT_FALSE(test, xtcp_cubic(&cc)->in_epoch);
}

/*
 * With no loss yet, or after an RTO (section 4.8), the epoch's curve
 * starts at cwnd with K = 0: convex growth from where it is.
 */
static void cubic_epoch_without_a_plateau(struct kunit *test)
{
	struct xtcp_cc cc;
	struct xtcp_cubic *c = xtcp_cubic(&cc);

	xtcp_cc_init(&cc, &xtcp_cc_cubic, MSS, 0);
	cc.ssthresh = 30 * MSS;
	while (cc.cwnd < cc.ssthresh)
		xtcp_cc_on_ack(&cc, MSS, 0);
	xtcp_cc_on_ack(&cc, MSS, 0);
	KUNIT_EXPECT_TRUE(test, c->in_epoch);
	KUNIT_EXPECT_EQ(test, c->k_ms, 0U);
	KUNIT_EXPECT_EQ(test, c->w_max, 30 * MSS);

	/* an RTO at 100: ssthresh 70, but the epoch after it starts flat */
	cc.cwnd = 100 * MSS;
	xtcp_cc_on_rto(&cc, 100 * MSS, SEC);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 70 * MSS);
	while (cc.cwnd < cc.ssthresh)
		xtcp_cc_on_ack(&cc, MSS, 2 * SEC);
	xtcp_cc_on_ack(&cc, MSS, 2 * SEC);
	KUNIT_EXPECT_EQ(test, c->k_ms, 0U);
	KUNIT_EXPECT_EQ(test, c->w_max, 70 * MSS);
	/* a plain loss at 100 instead would aim back at 100 */
	cc.cwnd = 100 * MSS;
	c->w_max = 100 * MSS;
	xtcp_cc_on_loss(&cc, 100 * MSS, 3 * SEC);
	xtcp_cc_on_ack(&cc, MSS, 3 * SEC);
	KUNIT_EXPECT_EQ(test, c->k_ms, 4217U);
	KUNIT_EXPECT_EQ(test, c->w_max, 100 * MSS);
}

static void cubic_min_rtt(struct kunit *test)
{
	struct xtcp_cc cc;
	struct xtcp_cubic *c = xtcp_cubic(&cc);

	xtcp_cc_init(&cc, &xtcp_cc_cubic, MSS, 0);
	KUNIT_EXPECT_EQ(test, c->min_rtt_us, 0U);
	cc.ops->rtt_sample(&cc, 50000);
	cc.ops->rtt_sample(&cc, 30000);
	cc.ops->rtt_sample(&cc, 80000);
	cc.ops->rtt_sample(&cc, 0);
	KUNIT_EXPECT_EQ(test, c->min_rtt_us, 30000U);
}

/*
 * After a loss at 100 segments, RTT 100 ms: K = 4.2 s, 42 round trips.
 * @w[i] is cwnd after i rounds of ACKs of @per_ack bytes each.
 */
#define CUBIC_ROUNDS	90
static void cubic_after_a_loss(struct kunit *test, struct xtcp_cc *cc,
			       u32 *w, u32 per_ack)
{
	const u64 rtt = 100000, t0 = 5 * SEC;
	int i;

	cc_at(cc, &xtcp_cc_cubic, 100 * MSS);
	cc->ops->rtt_sample(cc, rtt);
	xtcp_cc_on_loss(cc, 100 * MSS, t0);
	w[0] = cc->cwnd;
	for (i = 1; i <= CUBIC_ROUNDS; i++) {
		ack_window(cc, per_ack, t0 + (i - 1) * rtt);
		w[i] = cc->cwnd;
		KUNIT_EXPECT_GE(test, w[i], w[i - 1]);
	}
	KUNIT_EXPECT_EQ(test, xtcp_cubic(cc)->k_ms, 4217U);
}

/*
 * The window climbs fast, slows down as it nears W_max (concave), stays
 * near it around K, then speeds up again (convex). W_est would only be
 * at 70 + 42 * 9/17 = 92 segments at K: the cubic curve is in charge.
 */
static void cubic_concave_then_convex(struct kunit *test)
{
	u32 *w = kunit_kcalloc(test, CUBIC_ROUNDS + 1, sizeof(*w),
			       GFP_KERNEL);
	struct xtcp_cc cc;
	struct xtcp_cubic *c = xtcp_cubic(&cc);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, w);
	cubic_after_a_loss(test, &cc, w, MSS);
	/* concave: the first five rounds grow more than five before K */
	KUNIT_EXPECT_GT(test, w[5] - w[0], 2 * (w[42] - w[37]));
	/* no overshoot of W_max before K, and close to it at K */
	for (i = 0; i <= 40; i++)
		KUNIT_EXPECT_LE(test, w[i], 100 * MSS);
	KUNIT_EXPECT_GE(test, w[43], 99 * MSS);
	KUNIT_EXPECT_LE(test, w[43], 101 * MSS);
	/* convex: growth picks up again after K, faster and faster */
	KUNIT_EXPECT_GT(test, w[70] - w[65], 2 * (w[47] - w[42]));
	KUNIT_EXPECT_GT(test, w[90] - w[85], w[70] - w[65]);
	/* W_cubic(t + RTT) of the last round: t = 8.9 s */
	KUNIT_EXPECT_LE(test, w[CUBIC_ROUNDS],
			xtcp_cubic_window(c->w_max, c->k_ms, MSS, 9000));
	KUNIT_EXPECT_GE(test, w[CUBIC_ROUNDS],
			xtcp_cubic_window(c->w_max, c->k_ms, MSS, 8900) -
			MSS);
	/* the Reno-friendly estimate stayed behind */
	KUNIT_EXPECT_LT(test, c->w_est, cc.cwnd);
}

/* Growth counts bytes: an ACK every two segments makes the same curve. */
static void cubic_growth_does_not_depend_on_ack_size(struct kunit *test)
{
	u32 *w1 = kunit_kcalloc(test, CUBIC_ROUNDS + 1, sizeof(*w1),
				GFP_KERNEL);
	u32 *w2 = kunit_kcalloc(test, CUBIC_ROUNDS + 1, sizeof(*w2),
				GFP_KERNEL);
	struct xtcp_cc cc;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, w1);
	KUNIT_ASSERT_NOT_NULL(test, w2);
	cubic_after_a_loss(test, &cc, w1, MSS);
	cubic_after_a_loss(test, &cc, w2, 2 * MSS);
	for (i = 1; i <= CUBIC_ROUNDS; i++) {
		KUNIT_EXPECT_LE_MSG(test, w1[i], w2[i] + MSS, "round %d", i);
		KUNIT_EXPECT_LE_MSG(test, w2[i], w1[i] + MSS, "round %d", i);
	}
}

/*
 * Section 4.4: the target is at most 1.5 cwnd. With K = 0 (no loss yet)
 * and an RTT of 10 s the curve is 400 segments ahead; one window of
 * ACKs still only takes 10 segments to 15.
 */
static void cubic_target_is_at_most_1_5_cwnd(struct kunit *test)
{
	struct xtcp_cc cc;

	cc_at(&cc, &xtcp_cc_cubic, 10 * MSS);
	cc.ops->rtt_sample(&cc, 10 * SEC);
	ack_window(&cc, MSS, SEC);
	KUNIT_EXPECT_EQ(test, xtcp_cubic(&cc)->k_ms, 0U);
	KUNIT_EXPECT_GE(test, cc.cwnd, 14 * MSS);
	KUNIT_EXPECT_LE(test, cc.cwnd, 15 * MSS);
}

/*
 * A small window on a short path: W_max 10 segments, RTT 1 ms. K is
 * cbrt(3 / 0.4) = 1.96 s, so in the first 20 ms the curve hardly leaves
 * 7 segments; Reno would have grown by 9/17 segment per RTT up to 10,
 * then 1 per RTT: about 24 segments after 20 round trips. CUBIC must not
 * do worse than Reno: cwnd follows W_est.
 */
static void cubic_reno_friendly_region(struct kunit *test)
{
	struct xtcp_cc cc;
	struct xtcp_cubic *c = xtcp_cubic(&cc);
	const u64 rtt = 1000;
	int i;

	cc_at(&cc, &xtcp_cc_cubic, 10 * MSS);
	cc.ops->rtt_sample(&cc, rtt);
	xtcp_cc_on_loss(&cc, 10 * MSS, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 7 * MSS);
	for (i = 0; i < 20; i++)
		ack_window(&cc, MSS, i * rtt);
	KUNIT_EXPECT_EQ(test, cc.cwnd, c->w_est);
	KUNIT_EXPECT_LT(test, xtcp_cubic_window(c->w_max, c->k_ms, MSS, 20),
			8 * MSS);
	/* 9/17 all along would be 7 + 20 * 9/17 = 17.6 segments */
	KUNIT_EXPECT_GE(test, cc.cwnd, 22 * MSS);
	KUNIT_EXPECT_LE(test, cc.cwnd, 25 * MSS);
}

static struct kunit_case xtcp_cc_cases[] = {
	KUNIT_CASE(cc_register_finds_and_rejects_duplicates),
	KUNIT_CASE(cc_register_rejects_bad_ops),
	KUNIT_CASE(cc_module_registers_the_builtins),
	KUNIT_CASE(cc_initial_window),
	KUNIT_CASE(cc_slow_start_counts_bytes_up_to_2_mss),
	KUNIT_CASE(cc_slow_start_returns_what_is_past_ssthresh),
	KUNIT_CASE(cc_rto_sets_the_loss_window),
	KUNIT_CASE(cc_rto_again_keeps_ssthresh),
	KUNIT_CASE(cc_reno_recovery_inflates_and_deflates),
	KUNIT_CASE(cc_set_cwnd_is_bounded),
	KUNIT_CASE(cc_undo_restores_the_window),
	{}
};

static struct kunit_case xtcp_newreno_cases[] = {
	KUNIT_CASE(newreno_slow_start_doubles_per_rtt),
	KUNIT_CASE(newreno_slow_start_ends_at_ssthresh),
	KUNIT_CASE(newreno_avoidance_is_linear),
	KUNIT_CASE(newreno_loss_halves_the_flight),
	KUNIT_CASE(newreno_loss_resets_the_count),
	KUNIT_CASE(newreno_ecn_halves_without_raising),
	{}
};

static struct kunit_case xtcp_cubic_cases[] = {
	KUNIT_CASE(cubic_root_of_known_values),
	KUNIT_CASE(cubic_k_of_known_windows),
	KUNIT_CASE(cubic_window_follows_the_curve),
	KUNIT_CASE(cubic_loss_keeps_70_percent),
	KUNIT_CASE(cubic_fast_convergence),
	KUNIT_CASE(cubic_epoch_starts_at_the_first_ack),
	KUNIT_CASE(cubic_slow_start),
	KUNIT_CASE(cubic_epoch_without_a_plateau),
	KUNIT_CASE(cubic_min_rtt),
	KUNIT_CASE(cubic_concave_then_convex),
	KUNIT_CASE(cubic_growth_does_not_depend_on_ack_size),
	KUNIT_CASE(cubic_target_is_at_most_1_5_cwnd),
	KUNIT_CASE(cubic_reno_friendly_region),
	{}
};

static struct kunit_suite xtcp_cc_suite = {
	.name = "xtcp_cc",
	.test_cases = xtcp_cc_cases,
};

static struct kunit_suite xtcp_newreno_suite = {
	.name = "xtcp_newreno",
	.test_cases = xtcp_newreno_cases,
};

static struct kunit_suite xtcp_cubic_suite = {
	.name = "xtcp_cubic",
	.test_cases = xtcp_cubic_cases,
};

kunit_test_suites(&xtcp_cc_suite, &xtcp_newreno_suite, &xtcp_cubic_suite);
