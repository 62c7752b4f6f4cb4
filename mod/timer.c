// SPDX-License-Identifier: GPL-2.0
/*
 * Every timer of an xtcp connection, in one place. All are hrtimers that
 * fire in softirq context (HRTIMER_MODE_REL_SOFT).
 *
 *   rtx_timer     retransmission: runs while a SYN, SYN-ACK, data or FIN
 *                 is in flight (RFC 6298 5.1), restarted when new data is
 *                 acknowledged (5.3), stopped when all is (5.2); on expiry
 *                 the sender goes back to SND.UNA (sender.c), the RTO
 *                 doubles (5.5), and after syn_retries or synack_retries
 *                 expiries, or retries2's time for data, the connection
 *                 gives up (event GIVEUP; xtcp_write_timeout())
 *   fw2_timer     an orphaned connection in FIN_WAIT_2 waits
 *                 fin_timeout_ms for the peer's FIN (event FW2_TIMEOUT)
 *   delack_timer  an acknowledgment held back (receiver.c) goes out at
 *                 the latest XTCP_DELACK_MS after the data came
 *   persist_timer data waits and the peer's window is closed, nothing in
 *                 flight: probe the window (sender.c), backing off like
 *                 the RTO
 *   ka_timer      keepalive (SO_KEEPALIVE): probes an idle connection and
 *                 gives up when the peer stays silent (sockopt.c decides)
 *
 * Orphans (closed by their program, still sending) get fewer retries,
 * net.xtcp.orphan_retries, for their RTO and for zero-window probes even
 * when the peer answers each probe; beyond net.xtcp.max_orphans in the
 * namespace they are reset (xtcp_orphan_*() below).
 *
 * TIME_WAIT's 2*MSL timer belongs to the compact entry (timewait.c).
 *
 * A pending timer holds a socket reference. A timer that fires while the
 * user holds the socket lock keeps its reference, sets a bit in
 * xs->deferred, and xtcp_release_cb() runs it when the lock is released.
 */

#include <linux/hrtimer.h>
#include <linux/net.h>
#include <xtcp/guard.h>
#include <xtcp/compat.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>

/*
 * Reference rules. A timer owns one socket reference from the moment it is
 * armed until its expiry has been handled or it is stopped; xs->timer_refs
 * has a bit per timer saying it owns one. Re-arming a pending timer keeps
 * its reference. (hrtimer_try_to_cancel() alone cannot tell: it answers -1
 * for a timer whose callback runs, even when the callback re-armed it.)
 */
static void xtcp_timer_arm_us(struct sock *sk, struct hrtimer *t, int bit,
			      u64 us)
{
	if (!test_and_set_bit(bit, &xtcp_sk(sk)->timer_refs))
		sock_hold(sk);
	hrtimer_start(t, ns_to_ktime(us * NSEC_PER_USEC), HRTIMER_MODE_REL_SOFT);
}

static void xtcp_timer_stop(struct sock *sk, struct hrtimer *t, int bit)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool pending = hrtimer_try_to_cancel(t) == 1;

	/* A deferred expiry is pending work too: it goes with the timer. */
	pending |= test_and_clear_bit(bit + XTCP_DEFER_SHIFT, &xs->deferred);
	if (pending && test_and_clear_bit(bit, &xs->timer_refs))
		sock_put(sk);
	/* A callback running elsewhere drops the reference itself. */
}

/**
 * xtcp_rto_us() - the retransmission timeout now, backoff included
 * @sk: the connection
 *
 * Return: microseconds.
 */
u32 xtcp_rto_us(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return xtcp_rtt_backoff(&xs->rtt, xs->backoff);
}

/**
 * xtcp_rto_revert() - RFC 6069: the path, not congestion, lost what is
 *	at SND.UNA
 * @sk: the connection, locked, retransmitting
 *
 * A router said "net or host unreachable" about the segment at SND.UNA
 * during RTO backoff: the retransmission was lost to a broken route, not
 * to a full queue, so one doubling of the RTO is undone and the timer now
 * expires when the RTO one backoff lower would have, counted from the
 * last retransmission; at once if that time has passed. The count of
 * retransmissions stays: it and the time since the first one still end
 * the connection (R2). As Linux's tcp_ld_RTO_revert().
 */
void xtcp_rto_revert(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	s64 left, shorter;

	if (!xs->backoff || !hrtimer_is_queued(&xs->rtx_timer))
		return;
	shorter = xtcp_rto_us(sk);
	xs->backoff--;
	shorter -= xtcp_rto_us(sk);
	/* Negative if the timer is due and its softirq has not run yet. */
	left = ktime_to_us(hrtimer_get_remaining(&xs->rtx_timer));
	left = max_t(s64, left - shorter, 0);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_RTOREVERTS);
	xtcp_timer_arm_us(sk, &xs->rtx_timer, XTCP_TIMER_RTX, left);
}

/* (Re)start the retransmission timer: one RTO from now. */
void xtcp_timer_rtx_arm(struct sock *sk)
{
	xtcp_sk(sk)->rack.mode = XTCP_RTX_RTO;
	xtcp_timer_arm_us(sk, &xtcp_sk(sk)->rtx_timer, XTCP_TIMER_RTX,
			  xtcp_rto_us(sk));
}

/* The same timer in @us, for what xs->rack.mode says (recovery.c). */
void xtcp_timer_rtx_arm_us(struct sock *sk, u32 us)
{
	xtcp_timer_arm_us(sk, &xtcp_sk(sk)->rtx_timer, XTCP_TIMER_RTX, us);
}

/* Start the retransmission timer unless it runs already (RFC 6298 5.1). */
void xtcp_timer_rtx_ensure(struct sock *sk)
{
	if (!test_bit(XTCP_TIMER_RTX, &xtcp_sk(sk)->timer_refs))
		xtcp_timer_rtx_arm(sk);
}

void xtcp_timer_delack_arm(struct sock *sk)
{
	if (!test_bit(XTCP_TIMER_DELACK, &xtcp_sk(sk)->timer_refs))
		xtcp_timer_arm_us(sk, &xtcp_sk(sk)->delack_timer,
				  XTCP_TIMER_DELACK, XTCP_DELACK_MS * 1000);
}

void xtcp_timer_delack_stop(struct sock *sk)
{
	if (test_bit(XTCP_TIMER_DELACK, &xtcp_sk(sk)->timer_refs))
		xtcp_timer_stop(sk, &xtcp_sk(sk)->delack_timer,
				XTCP_TIMER_DELACK);
}

/* Probe again after the RTO, doubled per unanswered probe. */
void xtcp_timer_persist_arm(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!test_bit(XTCP_TIMER_PERSIST, &xs->timer_refs))
		xtcp_timer_arm_us(sk, &xs->persist_timer, XTCP_TIMER_PERSIST,
				  xtcp_rtt_backoff(&xs->rtt, xs->probes));
}

void xtcp_timer_persist_stop(struct sock *sk)
{
	if (test_bit(XTCP_TIMER_PERSIST, &xtcp_sk(sk)->timer_refs))
		xtcp_timer_stop(sk, &xtcp_sk(sk)->persist_timer,
				XTCP_TIMER_PERSIST);
}

void xtcp_timer_rtx_stop(struct sock *sk)
{
	xtcp_timer_stop(sk, &xtcp_sk(sk)->rtx_timer, XTCP_TIMER_RTX);
}

/**
 * xtcp_timer_ka_arm() - (re)arm the keepalive timer
 * @sk: the connection, locked
 * @ms: when it fires
 */
void xtcp_timer_ka_arm(struct sock *sk, u32 ms)
{
	xtcp_timer_arm_us(sk, &xtcp_sk(sk)->ka_timer, XTCP_TIMER_KEEPALIVE,
			  ms * 1000ULL);
}

void xtcp_timer_ka_stop(struct sock *sk)
{
	xtcp_timer_stop(sk, &xtcp_sk(sk)->ka_timer, XTCP_TIMER_KEEPALIVE);
}

void xtcp_timer_fw2_arm(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));

	xtcp_timer_arm_us(sk, &xtcp_sk(sk)->fw2_timer, XTCP_TIMER_FW2,
			  READ_ONCE(xn->fin_timeout_ms) * 1000ULL);
}

/**
 * xtcp_timers_stop() - stop every timer of a connection
 * @sk: the connection, locked
 *
 * A callback already running finds the connection closed and does nothing.
 */
void xtcp_timers_stop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_timer_stop(sk, &xs->rtx_timer, XTCP_TIMER_RTX);
	xtcp_timer_stop(sk, &xs->fw2_timer, XTCP_TIMER_FW2);
	xtcp_timer_stop(sk, &xs->delack_timer, XTCP_TIMER_DELACK);
	xtcp_timer_stop(sk, &xs->persist_timer, XTCP_TIMER_PERSIST);
	xtcp_timer_ka_stop(sk);
}

/* The backoffs an orphan gets (net.xtcp.orphan_retries, 0 for 8). */
static u32 xtcp_orphan_max_retries(struct sock *sk)
{
	return xtcp_orphan_retries(READ_ONCE(xtcp_net(sock_net(sk))->orphan_retries));
}

static bool xtcp_too_many_orphans(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);

	return atomic_read(&xn->orphans) > READ_ONCE(xn->max_orphans);
}

/*
 * End an orphan with an RST, from any state: the peer, alive or not, has
 * nobody left to talk to. ABORT sends the RST itself except in CLOSING and
 * LAST_ACK (RFC 9293 3.10.5), where ours goes first.
 */
static void xtcp_orphan_reset(struct sock *sk)
{
	if ((1 << sk->sk_state) & (TCPF_CLOSING | TCPF_LAST_ACK))
		xtcp_send_ctl(sk, TCPHDR_RST | TCPHDR_ACK, xtcp_sk(sk)->snd_max);
	xtcp_transition(sk, XTCP_EV_ABORT);
}

/**
 * xtcp_orphan_add() - the program closed @sk: count it as an orphan
 * @sk: the connection, locked, orphaned, not CLOSED
 *
 * As Linux's tcp_close() with tcp_check_oom(): beyond net.xtcp.max_orphans
 * orphans in the namespace the connection is reset at once, and the kernel
 * says so (ratelimited), in Linux's words. Each orphan may hold a send
 * buffer of data: without a limit, a peer that keeps its window closed
 * and a program that opens and closes connections pin memory for good.
 * The count goes down when the orphan is closed (xtcp_orphan_del()).
 */
void xtcp_orphan_add(struct sock *sk)
{
	struct net *net = sock_net(sk);

	xtcp_sk(sk)->orphan = 1;
	atomic_inc(&xtcp_net(net)->orphans);
	if (!xtcp_too_many_orphans(net))
		return;
	net_info_ratelimited("xtcp: too many orphaned sockets\n");
	xtcp_orphan_reset(sk);
}

/**
 * xtcp_orphan_del() - an orphan is closed: it counts no more
 * @sk: the socket, locked, from xtcp_done(); or from its destructor
 *
 * As Linux's inet_csk_destroy_sock(), the count drops when the connection
 * is CLOSED, not when its memory goes: a socket that was just reset may
 * live on for a while (skbs in a qdisc still charge it). Counted until
 * then, it would keep the namespace over net.xtcp.max_orphans, and the
 * next orphan whose timer fired meanwhile would be reset although it is
 * within the limit.
 */
void xtcp_orphan_del(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->orphan)
		return;
	xs->orphan = 0;
	atomic_dec(&xtcp_net(sock_net(sk))->orphans);
}

/*
 * At an orphan's RTO or probe expiry, as Linux's tcp_out_of_resources():
 * reset it if the namespace holds too many orphans (the limit may have
 * been lowered), or if it has had @backoffs of its net.xtcp.orphan_retries.
 * Return: true if it is gone.
 */
static bool xtcp_orphan_expire(struct sock *sk, u32 backoffs)
{
	if (!xtcp_sk(sk)->orphan)
		return false;
	if (xtcp_too_many_orphans(sock_net(sk)))
		net_info_ratelimited("xtcp: too many orphaned sockets\n");
	else if (backoffs < xtcp_orphan_max_retries(sk))
		return false;
	xtcp_orphan_reset(sk);
	return true;
}

/*
 * Has the oldest unacknowledged segment been retransmitted for as long as
 * @boundary backed-off RTOs from 200 ms take? As Linux's
 * retransmits_timed_out(), from the first retransmission (xs->rtx_stamp),
 * one jiffy given to the timer's granularity.
 */
static bool xtcp_retrans_timed_out(const struct sock *sk, u32 boundary)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 elapsed;

	if (!xs->retries)
		return false;
	elapsed = jiffies_to_msecs((u32)jiffies - xs->rtx_stamp + 1);
	return elapsed >= xtcp_rtt_model_timeout_ms(boundary,
			XTCP_RTO_MIN_DEFAULT_MS * USEC_PER_MSEC);
}

/*
 * R1 reached (RFC 9293 3.8.3, MUST-20): negative advice to IP. Linux's
 * __dst_negative_advice() drops the socket's cached route if it was
 * redirected or carries an expiring path-MTU exception, so that the next
 * segment looks the route up again. xtcp drops its cached route
 * (sk_dst_cache, output.c) whatever it carries, so that the next
 * retransmission is routed afresh, and counts the advice (NegativeAdvice
 * in /proc/net/xtcp_stat).
 */
static void xtcp_negative_advice(struct sock *sk)
{
	sk_dst_reset(sk);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_NEGATIVEADVICE);
}

/*
 * Has the retransmission timeout gone too far? As Linux's
 * tcp_write_timeout(): a SYN gets net.xtcp.syn_retries retransmissions
 * and a SYN-ACK synack_retries, counted, with negative advice from the
 * second on; data and FIN are given up after the time net.xtcp.retries2
 * backed-off RTOs take (R2), an orphan's after orphan_retries' time, with
 * negative advice at each expiry past retries1's time (R1). A
 * TCP_USER_TIMEOUT replaces R2, as in Linux.
 */
static bool xtcp_write_timeout(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 boundary;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (xs->retries)
			xtcp_negative_advice(sk);
		boundary = sk->sk_state == TCP_SYN_SENT ?
			   READ_ONCE(xn->syn_retries) :
			   READ_ONCE(xn->synack_retries);
		return xs->retries >= boundary ||
		       xtcp_user_timeout_expired(sk);
	}
	if (xtcp_retrans_timed_out(sk, READ_ONCE(xn->retries1))) {
		/* Too big for a path that drops them silently? (mtuprobe.c) */
		xtcp_mtup_black_hole(sk);
		xtcp_negative_advice(sk);
	}
	if (READ_ONCE(xs->user_timeout))
		return xtcp_user_timeout_expired(sk);
	boundary = xs->orphan ? xtcp_orphan_max_retries(sk) :
		   READ_ONCE(xn->retries2);
	return xtcp_retrans_timed_out(sk, boundary);
}

static void xtcp_rtx_expired(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* Nothing left to protect. */
	if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN)
		return;
	if (xs->snd_una == xs->snd_max && sk->sk_state != TCP_SYN_SENT &&
	    sk->sk_state != TCP_SYN_RECV)
		return;
	/* A tail loss probe or RACK's reordering timer, not an RTO. */
	if (xs->rack.mode != XTCP_RTX_RTO) {
		xtcp_rack_timer(sk);
		return;
	}
	if (xtcp_orphan_expire(sk, 0))
		return;
	if (xtcp_write_timeout(sk)) {
		xtcp_transition(sk, XTCP_EV_GIVEUP);
		return;
	}
	/*
	 * R1, R2 and TCP_USER_TIMEOUT count from the first retransmission,
	 * as Linux's retrans_stamp.
	 */
	if (!xs->retries)
		xs->rtx_stamp = jiffies;
	/* Time, not this count, ends a connection: it must not wrap. */
	if (xs->retries < U8_MAX)
		xs->retries++;
	if (xs->backoff < U8_MAX)
		xs->backoff++;
	xtcp_retransmit(sk);
	xs->rack.mode = XTCP_RTX_RTO;
	xtcp_timer_arm_us(sk, &xs->rtx_timer, XTCP_TIMER_RTX,
			  xtcp_user_timeout_clamp(sk, xtcp_rto_us(sk)));
}

static void xtcp_fw2_expired(struct sock *sk)
{
	if (sk->sk_state == TCP_FIN_WAIT2)
		xtcp_transition(sk, XTCP_EV_FW2_TIMEOUT);
}

/*
 * An expiry, now or deferred: the timer's reference is released here
 * unless the timer was armed again before we got the lock, in which case
 * the reference stays with it.
 */
static void xtcp_timer_expire(struct sock *sk, struct hrtimer *t, int bit,
			      void (*expired)(struct sock *sk))
{
	if (hrtimer_is_queued(t))
		return;
	clear_bit(bit, &xtcp_sk(sk)->timer_refs);
	expired(sk);
	__sock_put(sk);		/* the caller holds another reference */
}

static enum hrtimer_restart xtcp_timer_fire(struct sock *sk, struct hrtimer *t,
					    int bit,
					    void (*expired)(struct sock *sk))
{
	sock_hold(sk);		/* keeps sk alive past the timer's reference */
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		set_bit(bit + XTCP_DEFER_SHIFT, &xtcp_sk(sk)->deferred);
	else
		xtcp_timer_expire(sk, t, bit, expired);
	bh_unlock_sock(sk);
	sock_put(sk);
	return HRTIMER_NORESTART;
}

static void xtcp_delack_expired(struct sock *sk)
{
	if (xtcp_sk(sk)->rcv_acked != xtcp_sk(sk)->rcv_nxt &&
	    sk->sk_state != TCP_CLOSE) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_DELAYEDACKS);
		xtcp_send_ack(sk);
	}
}

/*
 * A probe answered resets nothing here: xs->probes, the backoff, grows
 * until the window opens. An orphan behind a window its peer keeps closed
 * would otherwise probe, and hold its send queue, for ever (RFC 9293's
 * MUST-36 is for a connection whose program still waits on it).
 */
static void xtcp_persist_expired(struct sock *sk)
{
	if (sk->sk_state == TCP_CLOSE ||
	    xtcp_orphan_expire(sk, xtcp_sk(sk)->probes))
		return;
	xtcp_persist_probe(sk);
}

static enum hrtimer_restart xtcp_rtx_fire(struct hrtimer *t)
{
	struct xtcp_sock *xs = container_of(t, struct xtcp_sock, rtx_timer);

	return xtcp_timer_fire(&xs->inet.sk, t, XTCP_TIMER_RTX,
			       xtcp_rtx_expired);
}

static enum hrtimer_restart xtcp_ka_fire(struct hrtimer *t)
{
	struct xtcp_sock *xs = container_of(t, struct xtcp_sock, ka_timer);

	return xtcp_timer_fire(&xs->inet.sk, t, XTCP_TIMER_KEEPALIVE,
			       xtcp_keepalive_expired);
}

static enum hrtimer_restart xtcp_fw2_fire(struct hrtimer *t)
{
	struct xtcp_sock *xs = container_of(t, struct xtcp_sock, fw2_timer);

	return xtcp_timer_fire(&xs->inet.sk, t, XTCP_TIMER_FW2,
			       xtcp_fw2_expired);
}

static enum hrtimer_restart xtcp_delack_fire(struct hrtimer *t)
{
	struct xtcp_sock *xs = container_of(t, struct xtcp_sock, delack_timer);

	return xtcp_timer_fire(&xs->inet.sk, t, XTCP_TIMER_DELACK,
			       xtcp_delack_expired);
}

static enum hrtimer_restart xtcp_persist_fire(struct hrtimer *t)
{
	struct xtcp_sock *xs = container_of(t, struct xtcp_sock, persist_timer);

	return xtcp_timer_fire(&xs->inet.sk, t, XTCP_TIMER_PERSIST,
			       xtcp_persist_expired);
}

/**
 * xtcp_timers_deferred() - run timers that fired while the user held the lock
 * @sk: the connection; called from release_sock() through release_cb
 */
void xtcp_timers_deferred(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (test_and_clear_bit(XTCP_TIMER_RTX + XTCP_DEFER_SHIFT, &xs->deferred))
		xtcp_timer_expire(sk, &xs->rtx_timer, XTCP_TIMER_RTX,
				  xtcp_rtx_expired);
	if (test_and_clear_bit(XTCP_TIMER_FW2 + XTCP_DEFER_SHIFT, &xs->deferred))
		xtcp_timer_expire(sk, &xs->fw2_timer, XTCP_TIMER_FW2,
				  xtcp_fw2_expired);
	if (test_and_clear_bit(XTCP_TIMER_KEEPALIVE + XTCP_DEFER_SHIFT,
			       &xs->deferred))
		xtcp_timer_expire(sk, &xs->ka_timer, XTCP_TIMER_KEEPALIVE,
				  xtcp_keepalive_expired);
	if (test_and_clear_bit(XTCP_TIMER_DELACK + XTCP_DEFER_SHIFT,
			       &xs->deferred))
		xtcp_timer_expire(sk, &xs->delack_timer, XTCP_TIMER_DELACK,
				  xtcp_delack_expired);
	if (test_and_clear_bit(XTCP_TIMER_PERSIST + XTCP_DEFER_SHIFT,
			       &xs->deferred))
		xtcp_timer_expire(sk, &xs->persist_timer, XTCP_TIMER_PERSIST,
				  xtcp_persist_expired);
}

void xtcp_timers_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	hrtimer_setup(&xs->rtx_timer, xtcp_rtx_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
	hrtimer_setup(&xs->fw2_timer, xtcp_fw2_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
	hrtimer_setup(&xs->ka_timer, xtcp_ka_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
	hrtimer_setup(&xs->delack_timer, xtcp_delack_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
	hrtimer_setup(&xs->persist_timer, xtcp_persist_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
	xtcp_rtt_init(&xs->rtt);
}
