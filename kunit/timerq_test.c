// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the bookkeeping of a connection's timers (include/xtcp/timerq.h):
 * the earliest due time, which expiries run and in what order, when the
 * one hrtimer must be started again; and a model of timer.c's use of
 * them, driven by random arms, stops and clock steps, in which no timer
 * may fire late or early.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <xtcp/timerq.h>

#define N	5

static void earliest_ignores_timers_that_do_not_run(struct kunit *test)
{
	u64 none[N] = { 0 };
	u64 some[N] = { 0, 500, 0, 300, 900 };
	u64 last[N] = { 0, 0, 0, 0, 7 };
	u64 tie[N] = { 40, 0, 40, 0, 0 };

	KUNIT_EXPECT_EQ(test, xtcp_due_earliest(none, N), 0ULL);
	KUNIT_EXPECT_EQ(test, xtcp_due_earliest(some, N), 300ULL);
	KUNIT_EXPECT_EQ(test, xtcp_due_earliest(last, N), 7ULL);
	KUNIT_EXPECT_EQ(test, xtcp_due_earliest(tie, N), 40ULL);
}

/* Due ones run in index order, not in order of due time. */
static void first_walks_due_timers_in_index_order(struct kunit *test)
{
	u64 due[N] = { 100, 0, 50, 200, 100 };

	KUNIT_EXPECT_EQ(test, xtcp_due_first(due, N, 100, 0), 0);
	KUNIT_EXPECT_EQ(test, xtcp_due_first(due, N, 100, 1), 2);
	KUNIT_EXPECT_EQ(test, xtcp_due_first(due, N, 100, 3), 4);
	KUNIT_EXPECT_EQ(test, xtcp_due_first(due, N, 100, 5), N);
	/* Not yet due, or not running: nothing. */
	KUNIT_EXPECT_EQ(test, xtcp_due_first(due, N, 49, 0), N);
	KUNIT_EXPECT_EQ(test, xtcp_due_first(due, N, 99, 0), 2);
	KUNIT_EXPECT_EQ(test, xtcp_due_first(due, N, 199, 3), 4);
}

static bool restart(bool queued, u64 expires, bool held, u64 due)
{
	return xtcp_hrtimer_restart_for(queued, expires, held, due);
}

static void restart_only_to_fire_earlier(struct kunit *test)
{
	/* Queued for 1000: only an earlier due time moves it. */
	KUNIT_EXPECT_TRUE(test, restart(true, 1000, true, 999));
	KUNIT_EXPECT_FALSE(test, restart(true, 1000, true, 1000));
	KUNIT_EXPECT_FALSE(test, restart(true, 1000, true, 5000));
	/* Not running: start it. */
	KUNIT_EXPECT_TRUE(test, restart(false, 1000, false, 5000));
	/* Fired, its expiry still to run: that expiry programs it. */
	KUNIT_EXPECT_FALSE(test, restart(false, 1000, true, 5));
}

/*
 * timer.c in miniature: five due times and one hrtimer (queued, expires,
 * held), with the same decisions, under a clock the test moves.
 */
struct model {
	u64 due[N];
	u64 armed_at[N];	/* when each timer's due time was last set */
	bool queued, held;
	u64 expires, now;
	unsigned int starts, fired[N];
};

static void model_program(struct model *m, u64 due)
{
	if (xtcp_hrtimer_restart_for(m->queued, m->expires, m->held, due)) {
		m->queued = true;
		m->held = true;
		m->expires = due;
		m->starts++;
	}
}

static void model_arm(struct model *m, int bit, u64 in)
{
	m->due[bit] = m->now + in;
	m->armed_at[bit] = m->now;
	model_program(m, m->due[bit]);
}

static void model_stop(struct model *m, int bit)
{
	m->due[bit] = 0;
	if (!xtcp_due_earliest(m->due, N)) {
		m->queued = false;
		m->held = false;
	}
}

/* The clock moves on to @to, the hrtimer firing on the way as it must. */
static void model_advance(struct kunit *test, struct model *m, u64 to)
{
	while (m->queued && m->expires <= to) {
		u64 next;
		int bit;

		m->now = m->expires;
		m->queued = false;	/* fired; held until the expiry runs */
		m->held = false;
		for (bit = xtcp_due_first(m->due, N, m->now, 0); bit < N;
		     bit = xtcp_due_first(m->due, N, m->now, bit + 1)) {
			/* Exactly at its due time: never early, never late. */
			KUNIT_EXPECT_EQ(test, m->due[bit], m->now);
			m->due[bit] = 0;
			m->fired[bit]++;
		}
		next = xtcp_due_earliest(m->due, N);
		if (next)
			model_program(m, next);
	}
	m->now = to;
	/* Whatever runs is still to come, and the hrtimer will get there. */
	if (xtcp_due_earliest(m->due, N)) {
		KUNIT_EXPECT_TRUE(test, m->queued);
		KUNIT_EXPECT_LE(test, m->expires, xtcp_due_earliest(m->due, N));
		KUNIT_EXPECT_GT(test, xtcp_due_earliest(m->due, N), m->now);
	}
}

static u32 model_rand(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void model_never_fires_late_or_early(struct kunit *test)
{
	struct model m = { .now = 1 };
	unsigned int total = 0, arms = 0;
	u32 seed = 0x9e3779b9;
	int i, bit;

	for (i = 0; i < 20000; i++) {
		u32 r = model_rand(&seed);

		bit = r % N;
		switch ((r >> 8) % 4) {
		case 0:
		case 1:
			model_arm(&m, bit, 1 + (r >> 12) % 1000);
			arms++;
			break;
		case 2:
			model_stop(&m, bit);
			break;
		default:
			model_advance(test, &m, m.now + (r >> 12) % 700);
			break;
		}
	}
	model_advance(test, &m, m.now + 2000);
	for (bit = 0; bit < N; bit++) {
		KUNIT_EXPECT_EQ(test, m.due[bit], 0ULL);
		total += m.fired[bit];
	}
	KUNIT_EXPECT_GT(test, total, 0U);
	/* Most re-arms are later and need no hrtimer call. */
	KUNIT_EXPECT_LT(test, m.starts, arms);
}

/* The retransmission timer restarted at every ACK: one hrtimer start. */
static void later_restarts_leave_the_hrtimer_alone(struct kunit *test)
{
	struct model m = { .now = 1 };
	int i;

	model_arm(&m, 0, 200);
	for (i = 0; i < 100; i++) {
		model_advance(test, &m, m.now + 1);
		model_arm(&m, 0, 200);
	}
	KUNIT_EXPECT_EQ(test, m.starts, 1U);
	KUNIT_EXPECT_EQ(test, m.fired[0], 0U);
	/* The early expiry finds nothing due and moves the hrtimer on. */
	model_advance(test, &m, 201);
	KUNIT_EXPECT_EQ(test, m.fired[0], 0U);
	KUNIT_EXPECT_EQ(test, m.starts, 2U);
	model_advance(test, &m, m.due[0]);
	KUNIT_EXPECT_EQ(test, m.fired[0], 1U);
}

static struct kunit_case xtcp_timerq_cases[] = {
	KUNIT_CASE(earliest_ignores_timers_that_do_not_run),
	KUNIT_CASE(first_walks_due_timers_in_index_order),
	KUNIT_CASE(restart_only_to_fire_earlier),
	KUNIT_CASE(model_never_fires_late_or_early),
	KUNIT_CASE(later_restarts_leave_the_hrtimer_alone),
	{}
};

static struct kunit_suite xtcp_timerq_suite = {
	.name = "xtcp_timerq",
	.test_cases = xtcp_timerq_cases,
};

kunit_test_suite(xtcp_timerq_suite);
