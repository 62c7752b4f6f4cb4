// SPDX-License-Identifier: GPL-2.0
/*
 * Every timer of an xtcp connection, in one place. A connection has five,
 * each a due time in xs->timer_due[], and one hrtimer, xs->timer, that
 * fires in softirq context at the earliest of them and runs those due:
 * five hrtimers were 320 of a socket's 2144 bytes, most of them idle.
 *
 *   RTX           retransmission: runs while a SYN, SYN-ACK, data or FIN
 *                 is in flight (RFC 6298 5.1), restarted when new data is
 *                 acknowledged (5.3), stopped when all is (5.2); on expiry
 *                 the sender goes back to SND.UNA (sender.c), the RTO
 *                 doubles (5.5), and after syn_retries or synack_retries
 *                 expiries, or retries2's time for data, the connection
 *                 gives up (event GIVEUP; xtcp_write_timeout())
 *   FW2           an orphaned connection in FIN_WAIT_2 waits
 *                 fin_timeout_ms for the peer's FIN (event FW2_TIMEOUT)
 *   DELACK        an acknowledgment held back (receiver.c) goes out at
 *                 the latest XTCP_DELACK_MS after the data came
 *   PERSIST       data waits and the peer's window is closed, nothing in
 *                 flight: probe the window (sender.c), backing off like
 *                 the RTO
 *   KEEPALIVE     keepalive (SO_KEEPALIVE): probes an idle connection and
 *                 gives up when the peer stays silent (below)
 *
 * The rest of xtcp tells this file what happened, by the xtcp_timers_*()
 * events (a SYN or data was sent, new data was acknowledged, an ACK is
 * held back, the state changed, the connection is closed, ...), and this
 * file decides which timers start, restart or stop. Each timer is one row
 * of xtcp_timer_kinds[]: what its expiry does.
 *
 * Orphans (closed by their program, still sending) get fewer retries,
 * net.xtcp.orphan_retries, for their RTO and for zero-window probes even
 * when the peer answers each probe; beyond net.xtcp.max_orphans in the
 * namespace they are reset (xtcp_orphan_*() below).
 *
 * TIME_WAIT's 2*MSL timer belongs to the compact entry (timewait.c).
 *
 * Keepalive (RFC 9293 3.8.4, RFC 1122 4.2.3.6): once a connection with
 * SO_KEEPALIVE has heard nothing from its peer for TCP_KEEPIDLE seconds
 * and has nothing in flight, it sends a probe, an ACK one byte behind
 * SND.UNA that any live peer must answer, every TCP_KEEPINTVL seconds.
 * After TCP_KEEPCNT unanswered probes the connection is reset and ends
 * with ETIMEDOUT (event KA_GIVEUP). Any segment from the peer starts the
 * count again.
 *
 * TCP_USER_TIMEOUT (RFC 5482) bounds how long data may stay
 * unacknowledged: the retransmission timer gives up once that much time
 * has passed since the oldest unacknowledged segment was first
 * retransmitted (as Linux's retrans_stamp), and is shortened so that it
 * fires then. It bounds keepalive probing too, as in Linux: with a user
 * timeout the probes go on until it has passed. (The options themselves
 * are set and read in sockopt.c.)
 *
 * Starting a timer sets its due time and brings the hrtimer forward if it
 * is due first; a timer restarted later (the retransmission timer at each
 * ACK) leaves the hrtimer where it was, and the hrtimer, firing early,
 * finds nothing due and goes on to the next. Stopping the last timer
 * cancels the hrtimer. The hrtimer holds a socket reference while it is
 * queued or its expiry pending; one that fires while the user holds the
 * socket lock keeps it, sets XTCP_TF_DEFERRED, and xtcp_release_cb() runs
 * what is due when the lock is released.
 */

#include <linux/hrtimer.h>
#include <linux/net.h>
#include <xtcp/guard.h>
#include <xtcp/compat.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/timerq.h>

/* Linux TCP's keepalive defaults (include/net/tcp.h). */
#define XTCP_KEEPIDLE_DEFAULT	7200	/* seconds: two hours */
#define XTCP_KEEPINTVL_DEFAULT	75	/* seconds */
#define XTCP_KEEPCNT_DEFAULT	9

/* States in which keepalive watches the peer. */
#define XTCP_KA_STATES	(TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 | \
			 TCPF_CLOSE_WAIT | TCPF_CLOSING | TCPF_LAST_ACK)

/**
 * struct xtcp_timer_kind - one of a connection's timers
 * @expired: what its expiry does, with the socket locked by us
 *
 * Its XTCP_TIMER_* index is its index in xtcp_timer_kinds[].
 */
struct xtcp_timer_kind {
	void (*expired)(struct sock *sk);
};

/* Defined at the end of the file, with the expiry handlers it names. */
static const struct xtcp_timer_kind xtcp_timer_kinds[XTCP_NR_TIMERS];

/* Is the timer running, or due and its expiry not run yet? */
static bool xtcp_timer_pending(struct sock *sk, int bit)
{
	return xtcp_sk(sk)->timer_due[bit] != 0;
}

/*
 * Reference rules for the hrtimer, as for any timer of a refcounted
 * object: from the moment it is started until its expiry has been
 * handled or it is cancelled it owns one socket reference, and
 * XTCP_TF_HELD says it does. Starting it again while it holds one keeps
 * that one. (hrtimer_try_to_cancel() alone cannot tell: it answers -1 for
 * a timer whose callback runs, even when the callback started it again.)
 */
static void xtcp_hrtimer_start(struct sock *sk, u64 due)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!test_and_set_bit(XTCP_TF_HELD, &xs->timer_flags))
		sock_hold(sk);
	hrtimer_start(&xs->timer, ns_to_ktime(due), HRTIMER_MODE_ABS_SOFT);
}

static void xtcp_hrtimer_cancel(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool pending = hrtimer_try_to_cancel(&xs->timer) == 1;

	/* A deferred expiry is pending work too: it goes with the timer. */
	pending |= test_and_clear_bit(XTCP_TF_DEFERRED, &xs->timer_flags);
	if (pending && test_and_clear_bit(XTCP_TF_HELD, &xs->timer_flags))
		sock_put(sk);
	/* A callback running elsewhere drops the reference itself. */
}

/* The earliest due time of the connection's timers, 0 if none runs. */
static u64 xtcp_timers_next(const struct xtcp_sock *xs)
{
	return xtcp_due_earliest(xs->timer_due, XTCP_NR_TIMERS);
}

/*
 * The hrtimer fires at @due at the latest: brought forward if it is set
 * later, started if it does not run. One that fired and whose expiry is
 * still to run (XTCP_TF_HELD without the hrtimer queued) is left alone:
 * that expiry programs it for what is left.
 */
static void xtcp_hrtimer_program(struct sock *sk, u64 due)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool queued = hrtimer_is_queued(&xs->timer);
	u64 expires = ktime_to_ns(hrtimer_get_expires(&xs->timer));

	if (xtcp_hrtimer_restart_for(queued, expires,
				     test_bit(XTCP_TF_HELD, &xs->timer_flags),
				     due))
		xtcp_hrtimer_start(sk, due);
}

static void xtcp_timer_arm_us(struct sock *sk, int bit, u64 us)
{
	/* 0 means "not running": a due time is never 0 ns after boot. */
	u64 due = ktime_get_ns() + us * NSEC_PER_USEC;

	WRITE_ONCE(xtcp_sk(sk)->timer_due[bit], due);
	xtcp_hrtimer_program(sk, due);
}

static void xtcp_timer_arm_ms(struct sock *sk, int bit, u32 ms)
{
	xtcp_timer_arm_us(sk, bit, ms * 1000ULL);
}

static void xtcp_timer_stop(struct sock *sk, int bit)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	WRITE_ONCE(xs->timer_due[bit], 0);
	if (!xtcp_timers_next(xs))
		xtcp_hrtimer_cancel(sk);
}

/* Microseconds until @bit is due (0 or less: due), for one that runs. */
static s64 xtcp_timer_left_us(const struct xtcp_sock *xs, int bit)
{
	return div_s64((s64)(READ_ONCE(xs->timer_due[bit]) - ktime_get_ns()),
		       NSEC_PER_USEC);
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

/* (Re)start the retransmission timer: one RTO from now. */
static void xtcp_timer_rtx_arm(struct sock *sk)
{
	xtcp_sk(sk)->rack.mode = XTCP_RTX_RTO;
	xtcp_timer_arm_us(sk, XTCP_TIMER_RTX, xtcp_rto_us(sk));
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

	if (!xs->backoff || !xtcp_timer_pending(sk, XTCP_TIMER_RTX))
		return;
	shorter = xtcp_rto_us(sk);
	xs->backoff--;
	shorter -= xtcp_rto_us(sk);
	/* Negative if the timer is due and its softirq has not run yet. */
	left = xtcp_timer_left_us(xs, XTCP_TIMER_RTX);
	left = max_t(s64, left - shorter, 0);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_RTOREVERTS);
	xtcp_timer_arm_us(sk, XTCP_TIMER_RTX, left);
}

/**
 * xtcp_timers_syn_sent() - our SYN or SYN-ACK went out
 * @sk: the connection, locked
 *
 * It is retransmitted one RTO from now unless acknowledged (RFC 6298).
 */
void xtcp_timers_syn_sent(struct sock *sk)
{
	xtcp_timer_rtx_arm(sk);
}

/**
 * xtcp_timers_data_sent() - the sender sent what it could
 * @sk: the connection, locked
 * @unsent: queued data waits beyond SND.NXT (the FIN not counted)
 *
 * While something is in flight the retransmission timer runs (RFC 6298
 * 5.1), or RACK-TLP's probe timer in its place (recovery.c), and the
 * persist timer does not. With nothing in flight and data held back by
 * the peer's window, the persist timer probes the window.
 */
void xtcp_timers_data_sent(struct sock *sk, bool unsent)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->snd_max != xs->snd_una) {
		if (!xtcp_tlp_arm(sk, false) &&
		    !xtcp_timer_pending(sk, XTCP_TIMER_RTX))
			xtcp_timer_rtx_arm(sk);
		if (xtcp_timer_pending(sk, XTCP_TIMER_PERSIST))
			xtcp_timer_stop(sk, XTCP_TIMER_PERSIST);
	} else if (unsent && !xtcp_timer_pending(sk, XTCP_TIMER_PERSIST)) {
		/* Probe after the RTO, doubled per unanswered probe. */
		xtcp_timer_arm_us(sk, XTCP_TIMER_PERSIST,
				  xtcp_rtt_backoff(&xs->rtt, xs->probes));
	}
}

/**
 * xtcp_timers_acked() - the peer acknowledged something new: SND.UNA moved
 * @sk: the connection, locked
 *
 * All of it acknowledged, the retransmission timer stops (RFC 6298 5.2);
 * else it starts over (5.3), or the tail loss probe's takes its place
 * (recovery.c).
 */
void xtcp_timers_acked(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->snd_una == xs->snd_max)
		xtcp_timer_stop(sk, XTCP_TIMER_RTX);
	else if (!xtcp_tlp_arm(sk, true))
		xtcp_timer_rtx_arm(sk);
}

/**
 * xtcp_timers_tlp_due() - RACK-TLP wants a tail loss probe (recovery.c)
 * @sk: the connection, locked, with data in flight
 * @pto: in this many microseconds
 * @force: even if a probe or reordering timer runs already
 *
 * The retransmission timer runs as the probe timer until it fires
 * (xtcp_rack_timer()) or is restarted.
 */
void xtcp_timers_tlp_due(struct sock *sk, u32 pto, bool force)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* A probe or reordering timer already runs: leave it. */
	if (!force && xs->rack.mode != XTCP_RTX_RTO &&
	    xtcp_timer_pending(sk, XTCP_TIMER_RTX))
		return;
	xs->rack.mode = XTCP_RTX_TLP;
	xtcp_timer_arm_us(sk, XTCP_TIMER_RTX, pto);
}

/**
 * xtcp_timers_reo_pending() - RACK holds a segment back from being lost
 * @sk: the connection, locked
 * @us: until its reordering window has passed, microseconds from now
 *
 * The retransmission timer runs as RACK's reordering timer: when it
 * fires, RACK looks again (xtcp_rack_timer()).
 */
void xtcp_timers_reo_pending(struct sock *sk, u32 us)
{
	xtcp_sk(sk)->rack.mode = XTCP_RTX_REO;
	xtcp_timer_arm_us(sk, XTCP_TIMER_RTX, us);
}

/**
 * xtcp_timers_ack_delayed() - an acknowledgment is held back (receiver.c)
 * @sk: the connection, locked
 *
 * It goes out at the latest XTCP_DELACK_MS after the first data it
 * acknowledges: the timer is not restarted by more.
 */
void xtcp_timers_ack_delayed(struct sock *sk)
{
	if (!xtcp_timer_pending(sk, XTCP_TIMER_DELACK))
		xtcp_timer_arm_ms(sk, XTCP_TIMER_DELACK, XTCP_DELACK_MS);
}

/**
 * xtcp_timers_ack_sent() - an ACK for RCV.NXT went out
 * @sk: the connection
 *
 * Nothing is held back any more: the delayed ACK timer stops.
 */
void xtcp_timers_ack_sent(struct sock *sk)
{
	if (xtcp_timer_pending(sk, XTCP_TIMER_DELACK))
		xtcp_timer_stop(sk, XTCP_TIMER_DELACK);
}

/*
 * An orphan in FIN_WAIT_2 must not wait for the peer's FIN for ever: it
 * gets net.xtcp.fin_timeout_ms (event FW2_TIMEOUT).
 */
static void xtcp_fw2_watch(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));

	if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))
		xtcp_timer_arm_ms(sk, XTCP_TIMER_FW2,
				  READ_ONCE(xn->fin_timeout_ms));
}

/* The keepalive options, or Linux's defaults for those not set. */
u32 xtcp_keepidle_ms(const struct xtcp_sock *xs)
{
	return (READ_ONCE(xs->keepidle) ? : XTCP_KEEPIDLE_DEFAULT) * MSEC_PER_SEC;
}

u32 xtcp_keepintvl_ms(const struct xtcp_sock *xs)
{
	return (READ_ONCE(xs->keepintvl) ? : XTCP_KEEPINTVL_DEFAULT) *
	       MSEC_PER_SEC;
}

int xtcp_keepcnt(const struct xtcp_sock *xs)
{
	return READ_ONCE(xs->keepcnt) ? : XTCP_KEEPCNT_DEFAULT;
}

/**
 * xtcp_timers_state_changed() - the connection moved to a new state
 * @sk: the connection, locked, sk_state the new state
 *
 * Keepalive, if asked for before, starts at establishment. An orphan
 * entering FIN_WAIT_2 starts its FIN_WAIT_2 timer.
 */
void xtcp_timers_state_changed(struct sock *sk)
{
	if (sk->sk_state == TCP_ESTABLISHED && sock_flag(sk, SOCK_KEEPOPEN))
		xtcp_timer_arm_ms(sk, XTCP_TIMER_KEEPALIVE,
				  xtcp_keepidle_ms(xtcp_sk(sk)));
	xtcp_fw2_watch(sk);
}

/**
 * xtcp_timers_closed() - the connection is CLOSED: stop every timer
 * @sk: the connection, locked
 *
 * A callback already running finds the connection closed and does nothing.
 */
void xtcp_timers_closed(struct sock *sk)
{
	int bit;

	for (bit = 0; bit < XTCP_NR_TIMERS; bit++)
		xtcp_timer_stop(sk, bit);
}

/**
 * xtcp_set_keepalive() - SO_KEEPALIVE was set or cleared (proto.keepalive)
 * @sk: the socket, locked; SOCK_KEEPOPEN still has its old value
 * @on: the new value
 *
 * Before the connection is established nothing starts: the timer starts
 * at establishment (xtcp_timers_state_changed()).
 */
void xtcp_set_keepalive(struct sock *sk, int on)
{
	if (!((1 << sk->sk_state) & XTCP_KA_STATES))
		return;
	if (on && !sock_flag(sk, SOCK_KEEPOPEN))
		xtcp_timer_arm_ms(sk, XTCP_TIMER_KEEPALIVE,
				  xtcp_keepidle_ms(xtcp_sk(sk)));
	else if (!on)
		xtcp_timer_stop(sk, XTCP_TIMER_KEEPALIVE);
}

/**
 * xtcp_timers_keepidle_changed() - TCP_KEEPIDLE was set
 * @sk: the socket, locked
 *
 * A running keepalive follows the new idle time at once.
 */
void xtcp_timers_keepidle_changed(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 elapsed, idle;

	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    !((1 << sk->sk_state) & XTCP_KA_STATES))
		return;
	idle = xtcp_keepidle_ms(xs);
	elapsed = xtcp_ms_since(xs->rcv_tstamp);
	xtcp_timer_arm_ms(sk, XTCP_TIMER_KEEPALIVE,
			  elapsed < idle ? idle - elapsed : 0);
}

/**
 * xtcp_timers_segment_rcvd() - the peer was heard from
 * @sk: the connection, locked, in a synchronized state
 * @seg: the segment that arrived, past the sequence and ACK checks
 *
 * Restarts the keepalive count. The timer itself is not touched: when it
 * fires it sees how long the connection has really been idle.
 */
void xtcp_timers_segment_rcvd(struct sock *sk, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rcv_tstamp = jiffies;
	xs->ka_probes = 0;
	if (seg->len)
		xs->data_tstamp = xs->rcv_tstamp;
}

/* The keepalive timer fired. */
static void xtcp_keepalive_expired(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 idle = xtcp_keepidle_ms(xs);
	u32 user_timeout, elapsed;

	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    !((1 << sk->sk_state) & XTCP_KA_STATES))
		return;
	/* An orphan in FIN_WAIT_2 has its own timer (fin_timeout_ms). */
	if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))
		return;
	/* Data or FIN in flight: the retransmission timer watches the peer. */
	if (xs->snd_una != xs->write_seq) {
		xtcp_timer_arm_ms(sk, XTCP_TIMER_KEEPALIVE, idle);
		return;
	}
	elapsed = xtcp_ms_since(xs->rcv_tstamp);
	if (elapsed < idle) {
		xtcp_timer_arm_ms(sk, XTCP_TIMER_KEEPALIVE, idle - elapsed);
		return;
	}
	user_timeout = READ_ONCE(xs->user_timeout);
	if (user_timeout ? elapsed >= user_timeout && xs->ka_probes :
	    xs->ka_probes >= xtcp_keepcnt(xs)) {
		/* Like Linux TCP: a RST, in case the peer is only mute. */
		xtcp_transition(sk, XTCP_EV_KA_GIVEUP);
		return;
	}
	/* SEG.SEQ = SND.UNA - 1: old, so the peer must answer with an ACK. */
	xtcp_send_ctl(sk, TCPHDR_ACK, xs->snd_una - 1);
	if (xs->ka_probes < U8_MAX)
		xs->ka_probes++;
	xtcp_timer_arm_ms(sk, XTCP_TIMER_KEEPALIVE, xtcp_keepintvl_ms(xs));
}

/*
 * Has TCP_USER_TIMEOUT run out? True once data has been retransmitted
 * and the oldest unacknowledged segment was first retransmitted at least
 * the user timeout ago.
 */
static bool xtcp_user_timeout_expired(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 user_timeout = READ_ONCE(xs->user_timeout);

	return user_timeout && xs->retries &&
	       xtcp_ms_since(xs->rtx_stamp) >= user_timeout;
}

/*
 * The next retransmission timeout, @rto_us, or less so that the timer
 * fires when the user timeout runs out rather than up to an RTO later.
 */
static u32 xtcp_user_timeout_clamp(const struct sock *sk, u32 rto_us)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 user_timeout = READ_ONCE(xs->user_timeout);
	u32 elapsed;

	if (!user_timeout)
		return rto_us;
	elapsed = xtcp_ms_since(xs->rtx_stamp);
	if (elapsed >= user_timeout)
		return USEC_PER_MSEC;
	return min_t(u64, rto_us, (u64)(user_timeout - elapsed) * USEC_PER_MSEC);
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
 * The count goes down when the orphan is closed (xtcp_orphan_del()). An
 * orphan in FIN_WAIT_2 starts its FIN_WAIT_2 timer.
 */
void xtcp_orphan_add(struct sock *sk)
{
	struct net *net = sock_net(sk);

	xtcp_sk(sk)->orphan = 1;
	atomic_inc(&xtcp_net(net)->orphans);
	if (!xtcp_too_many_orphans(net)) {
		xtcp_fw2_watch(sk);
		return;
	}
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
		if (xtcp_rack_timer(sk))
			xtcp_timer_rtx_arm(sk);
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
	xtcp_timer_arm_us(sk, XTCP_TIMER_RTX,
			  xtcp_user_timeout_clamp(sk, xtcp_rto_us(sk)));
}

static void xtcp_fw2_expired(struct sock *sk)
{
	if (sk->sk_state == TCP_FIN_WAIT2)
		xtcp_transition(sk, XTCP_EV_FW2_TIMEOUT);
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

/*
 * The hrtimer's expiry, now or deferred: run the timers that are due, in
 * their index order, then program the hrtimer for those left. The
 * hrtimer's reference is released here unless it was started again
 * before we got the lock, in which case the reference stays with it.
 */
static void xtcp_timers_expire(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 now, next;
	int bit;

	if (hrtimer_is_queued(&xs->timer))
		return;
	clear_bit(XTCP_TF_HELD, &xs->timer_flags);
	now = ktime_get_ns();
	/* An expiry may stop or restart the others: look again after it. */
	for (bit = xtcp_due_first(xs->timer_due, XTCP_NR_TIMERS, now, 0);
	     bit < XTCP_NR_TIMERS;
	     bit = xtcp_due_first(xs->timer_due, XTCP_NR_TIMERS, now, bit + 1)) {
		WRITE_ONCE(xs->timer_due[bit], 0);
		xtcp_timer_kinds[bit].expired(sk);
	}
	next = xtcp_timers_next(xs);
	if (next)
		xtcp_hrtimer_program(sk, next);
	__sock_put(sk);		/* the caller holds another reference */
}

static enum hrtimer_restart xtcp_timer_fire(struct hrtimer *t)
{
	struct xtcp_sock *xs = container_of(t, struct xtcp_sock, timer);
	struct sock *sk = &xs->inet.sk;

	sock_hold(sk);		/* keeps sk alive past the timer's reference */
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		set_bit(XTCP_TF_DEFERRED, &xs->timer_flags);
	else
		xtcp_timers_expire(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
	return HRTIMER_NORESTART;
}

/* Expiries run in this order, the indexes', when several are due. */
static const struct xtcp_timer_kind xtcp_timer_kinds[XTCP_NR_TIMERS] = {
	[XTCP_TIMER_RTX] = { xtcp_rtx_expired },
	[XTCP_TIMER_FW2] = { xtcp_fw2_expired },
	[XTCP_TIMER_KEEPALIVE] = { xtcp_keepalive_expired },
	[XTCP_TIMER_DELACK] = { xtcp_delack_expired },
	[XTCP_TIMER_PERSIST] = { xtcp_persist_expired },
};

/**
 * xtcp_timers_deferred() - run timers that fired while the user held the lock
 * @sk: the connection; called from release_sock() through release_cb
 */
void xtcp_timers_deferred(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (test_and_clear_bit(XTCP_TF_DEFERRED, &xs->timer_flags))
		xtcp_timers_expire(sk);
}

/**
 * xtcp_timer_shown() - the timer ss and /proc/net/xtcp show for a socket
 * @sk: the connection (locked by diag; read without the lock by /proc, as
 *	Linux's /proc/net/tcp reads its sockets)
 * @left_ns: set to the time until it fires, ns (0 or less: due)
 * @count: set to what it has done so far: retransmissions, zero-window
 *	or keepalive probes
 *
 * The codes are those of Linux's /proc/net/tcp and inet_diag's
 * idiag_timer, and so is the order: the retransmission timer (which also
 * runs RACK's reordering timer and tail loss probes, as Linux's does),
 * then the zero-window probe, then keepalive. An orphan's FIN_WAIT_2
 * shows as keepalive, the timer Linux runs it on.
 *
 * Return: 1 retransmission, 4 zero-window probe, 2 keepalive; 0 if none
 * of them runs.
 */
int xtcp_timer_shown(struct sock *sk, s64 *left_ns, u8 *count)
{
	static const struct {
		int bit;
		int code;
	} shown[] = {
		{ XTCP_TIMER_RTX, 1 },
		{ XTCP_TIMER_PERSIST, 4 },
		{ XTCP_TIMER_KEEPALIVE, 2 },
		{ XTCP_TIMER_FW2, 2 },
	};
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 due;
	int i;

	for (i = 0; i < ARRAY_SIZE(shown); i++) {
		due = READ_ONCE(xs->timer_due[shown[i].bit]);
		if (!due)
			continue;
		*left_ns = (s64)(due - ktime_get_ns());
		switch (shown[i].bit) {
		case XTCP_TIMER_RTX:
			*count = READ_ONCE(xs->retries);
			break;
		case XTCP_TIMER_PERSIST:
			*count = READ_ONCE(xs->probes_out);
			break;
		case XTCP_TIMER_KEEPALIVE:
			*count = READ_ONCE(xs->ka_probes);
			break;
		default:
			*count = 0;
		}
		return shown[i].code;
	}
	return 0;
}

void xtcp_timers_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	hrtimer_setup(&xs->timer, xtcp_timer_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);
	xtcp_rtt_init(&xs->rtt);
}
