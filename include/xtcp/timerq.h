/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bookkeeping of a connection's timers (timer.c) as pure functions:
 * several due times, one hrtimer that fires at the earliest of them.
 * A due time is nanoseconds on the monotonic clock, 0 for a timer that
 * does not run (no timer is due 0 ns after boot). Checked in KUnit,
 * kunit/timerq_test.c.
 */
#ifndef _XTCP_TIMERQ_H
#define _XTCP_TIMERQ_H

#include <linux/types.h>

/**
 * xtcp_due_earliest() - when the hrtimer must fire next
 * @due: the due times, 0 for a timer that does not run
 * @n: how many there are
 *
 * Return: the earliest due time, 0 if no timer runs.
 */
static inline u64 xtcp_due_earliest(const u64 *due, int n)
{
	u64 next = 0;
	int i;

	for (i = 0; i < n; i++)
		if (due[i] && (!next || due[i] < next))
			next = due[i];
	return next;
}

/**
 * xtcp_due_first() - the next timer whose expiry must run now
 * @due: the due times, 0 for a timer that does not run
 * @n: how many there are
 * @now: the time now
 * @from: the first index to look at
 *
 * Timers due at once run in index order, whatever their due times: an
 * expiry may stop or restart those after it, so the caller asks again
 * from the next index after each one.
 *
 * Return: the lowest index from @from on that runs and is due at @now,
 * or @n if none is.
 */
static inline int xtcp_due_first(const u64 *due, int n, u64 now, int from)
{
	for (; from < n; from++)
		if (due[from] && due[from] <= now)
			break;
	return from;
}

/**
 * xtcp_hrtimer_restart_for() - must the hrtimer be started for @due?
 * @queued: the hrtimer is queued (it has not fired)
 * @expires: when a queued hrtimer fires
 * @held: it fired, and its expiry has yet to run (XTCP_TF_HELD without
 *	being queued); that expiry programs it for what is left
 * @due: the due time of a timer just armed
 *
 * A timer armed later than the hrtimer fires needs nothing: the early
 * expiry finds nothing due and programs the hrtimer for the rest. That is
 * what makes the retransmission timer's restart at every ACK cheap.
 *
 * Return: true if the hrtimer must be (re)started to fire at @due.
 */
static inline bool xtcp_hrtimer_restart_for(bool queued, u64 expires,
					    bool held, u64 due)
{
	if (queued)
		return due < expires;
	return !held;
}

#endif /* _XTCP_TIMERQ_H */
