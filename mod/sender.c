// SPDX-License-Identifier: GPL-2.0
/*
 * The sending half of a connection: what goes out when, and what an
 * acknowledgment tells us.
 *
 *   xtcp_push()           sends what the peer's window, the congestion
 *                         window, Nagle and silly window avoidance allow
 *   xtcp_rcv_ack()        RFC 9293 3.10.7.4 "fifth": new data acknowledged
 *                         (RTT sample, congestion window growth), duplicate
 *                         ACKs and fast retransmit, window updates
 *   xtcp_retransmit()     a retransmission timeout: back to SND.UNA
 *   xtcp_persist_probe()  the peer's window stays closed: probe it
 *
 * Loss recovery is NewReno (RFC 5681, RFC 6582) without SACK, and the
 * conservative SACK-based recovery of RFC 6675 with it: the scoreboard
 * (sackboard.c) says which holes are lost, and "pipe" rather than
 * SND.NXT - SND.UNA counts what is in flight. How large the congestion
 * window is belongs to the congestion control algorithm (cc.c).
 *
 * A recovery episode (fast recovery, or an RTO and the resending after
 * it) is undone when D-SACKs report every segment it resent as a
 * duplicate (RFC 2883, RFC 3708's idea, as Linux's tcp_try_undo_dsack()):
 * nothing was lost, and the window goes back to where it was. With
 * timestamps it is undone sooner, at its first ACK of new data, if that
 * ACK echoes a TSval older than the episode's first retransmission (RFC
 * 3522 Eifel detection, include/xtcp/undo.h; Linux's
 * tcp_packet_delayed()): the original arrived.
 */

#include <linux/slab.h>
#include <xtcp/burst.h>
#include <xtcp/dsack.h>
#include <xtcp/dupack.h>
#include <xtcp/guard.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/sendlen.h>
#include <xtcp/seq.h>
#include <xtcp/undo.h>
#include <xtcp/urgent.h>
#include "trace.h"

/*
 * Segments in one GSO burst at most: 45 of a usual MSS fill the 64 KB
 * anyway, but a peer that announced a tiny MSS (48, net.xtcp.min_snd_mss)
 * would otherwise have software GSO cut one skb into some 1800 (the
 * resource cost behind CVE-2019-11479).
 */
#define XTCP_BURST_MAX_SEGS	64

/* What a connection reads before its peer SACKs anything (xtcp_sb()). */
const struct xtcp_sackboard xtcp_sb_empty;

/* Forget every SACKed range: a connection without a board has none. */
static void xtcp_sb_forget(struct xtcp_sock *xs)
{
	if (xs->sb)
		xtcp_sb_reset(xs->sb);
}

/* Tell the tracepoint when the congestion window moved. */
static void xtcp_cwnd_trace(struct xtcp_sock *xs, u32 old)
{
	if (xs->cc.cwnd != old)
		trace_xtcp_cwnd(&xs->h, xs->cc.cwnd, xs->cc.ssthresh,
				xs->mss, xs->in_recovery);
}

/* One past the last data byte queued: the FIN, if queued, follows it. */
static u32 xtcp_data_end(const struct xtcp_sock *xs)
{
	return xs->write_seq - xs->fin_queued;
}

/* Bytes in flight: RFC 6675's pipe in SACK recovery, else all unacked. */
static u32 xtcp_in_flight(const struct xtcp_sock *xs)
{
	if (xs->in_recovery && xs->sack_ok)
		return xtcp_sb_pipe(xtcp_sb(xs), xs->snd_una, xs->snd_max,
				    xs->high_rxt, xs->mss);
	return xs->snd_nxt - xs->snd_una;
}

/* How many new bytes may go from SND.NXT now (xtcp_next_len()). */
static u32 xtcp_push_len(const struct xtcp_sock *xs, u32 end, u32 cwnd_room,
			 u32 smss)
{
	const struct xtcp_send_in in = {
		.snd_una = xs->snd_una,
		.snd_nxt = xs->snd_nxt,
		.snd_max = xs->snd_max,
		.end = end,
		.snd_wnd = xs->snd_wnd,
		.max_window = xs->max_window,
		.cwnd_room = cwnd_room,
		.smss = smss,
		.fin = xs->fin_queued,
		.urg = xs->snd_urg,
		.cork = xs->cork,
		.nodelay = xs->nodelay,
	};

	return xtcp_next_len(&in);
}

/* After sending: timer.c watches what is in flight, or what waits. */
static void xtcp_sender_timers(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_timers_data_sent(sk, xtcp_seq_before(xs->snd_nxt,
						  xtcp_data_end(xs)));
}

static void xtcp_sent_new(struct xtcp_sock *xs, u32 len)
{
	xs->snd_nxt += len;
	if (xtcp_seq_after(xs->snd_nxt, xs->snd_max))
		xs->snd_max = xs->snd_nxt;
}

/*
 * Limited Transmit (RFC 3042): on the first two duplicate ACKs, one new
 * segment each may go beyond the congestion window, so that a small
 * window still yields the duplicate ACKs (or SACKs) that start fast
 * recovery rather than waiting for the RTO. Return: the extra bytes.
 */
static u32 xtcp_limited_transmit(const struct xtcp_sock *xs)
{
	if (xs->in_recovery || !xs->dupacks || xs->dupacks >= XTCP_DUPTHRESH ||
	    xs->snd_nxt != xs->snd_max)
		return 0;
	return xs->dupacks * xs->mss;
}

static void xtcp_burst_flush(struct sock *sk, struct xtcp_burst *b)
{
	if (b->len)
		xtcp_send_burst(sk, b->seq, b->len, b->mss);
	b->len = 0;
}

/*
 * Add @len new bytes from SND.NXT, which xtcp_next_len() allowed, to the
 * burst; send the burst first if they cannot join it (xtcp_burst_joins()).
 * xtcp_next_len() decides each segment as if the ones before had gone.
 */
static void xtcp_burst_add(struct sock *sk, struct xtcp_burst *b, u32 len,
			   u32 mss)
{
	u32 seq = xtcp_sk(sk)->snd_nxt;

	if (b->len && !xtcp_burst_joins(b, seq, len, mss))
		xtcp_burst_flush(sk, b);
	if (!b->len) {
		b->seq = seq;
		b->mss = mss;
	}
	b->len += len;
}

/* TCP_NOTSENT_LOWAT, or the namespace's mark while the option is 0. */
static u32 xtcp_notsent_lowat(const struct sock *sk)
{
	u32 lowat = READ_ONCE(xtcp_sk(sk)->notsent_lowat);

	return lowat ? : READ_ONCE(xtcp_net(sock_net(sk))->notsent_lowat);
}

/**
 * xtcp_stream_memory_free() - proto.stream_memory_free: TCP_NOTSENT_LOWAT
 * @sk: the socket; locked for send(), not for poll()
 * @wake: 1 for poll() and waking writers, 0 for send()
 *
 * The socket layer asks this in sk_stream_memory_free() before send()
 * queues another buffer, and in __sk_stream_is_writeable() for poll()
 * and xtcp_write_space(). Unsent bytes are those past SND.MAX: after an
 * RTO SND.NXT goes back over data already sent once, which is not the
 * writer's backlog.
 *
 * Return: true if the writer may queue more (xtcp_notsent_ok()).
 */
bool xtcp_stream_memory_free(const struct sock *sk, int wake)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return xtcp_notsent_ok(READ_ONCE(xs->write_seq) -
			       READ_ONCE(xs->snd_max),
			       xtcp_notsent_lowat(sk), wake);
}

/*
 * New data went out. Under a TCP_NOTSENT_LOWAT mark that may be what lets
 * a waiting writer go: xtcp_clean_acked() wakes writers when an ACK frees
 * room, before the data that ACK clocks out is pushed, and the unsent
 * bytes it saw then were too many. Without a mark that wakeup suffices.
 */
static void xtcp_notsent_sent(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;

	if (xtcp_notsent_lowat(sk) != UINT_MAX && sock &&
	    test_bit(SOCK_NOSPACE, &sock->flags))
		sk->sk_write_space(sk);
}

/**
 * xtcp_push() - send what the windows and the sending rules allow
 * @sk: the connection, locked
 *
 * In SACK recovery lost segments go first (RFC 6675 NextSeg rule 1), then
 * new data, while pipe stays below the congestion window. The FIN goes
 * once all data is out; it needs no window.
 *
 * New data is decided one segment at a time, as if each had gone, but
 * consecutive segments go out together as one GSO super-segment (struct
 * xtcp_burst). Retransmissions, including the resending after an RTO,
 * stay single segments: they are rare, and a lost one costs one segment.
 */
void xtcp_push(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 end = xtcp_data_end(xs), snd_max = xs->snd_max;
	struct xtcp_burst b = { .len = 0 };

	if (!((1 << sk->sk_state) &
	      (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 |
	       TCPF_CLOSING | TCPF_LAST_ACK)) && !xtcp_fo_child_sending(sk))
		return;
	b.max = 0;
	/* GSO would copy one urgent pointer into every segment. */
	if (READ_ONCE(xtcp_net(sock_net(sk))->gso) && !xs->snd_urg)
		b.max = min_t(u32, XTCP_GSO_MAX_BYTES,
			      XTCP_BURST_MAX_SEGS * xtcp_seg_mss(xs));
	for (;;) {
		u32 flight = xtcp_in_flight(xs), smss, seq, len;
		u32 cwnd = xs->cc.cwnd + xtcp_limited_transmit(xs);

		if (flight >= cwnd)
			break;
		smss = xtcp_seg_mss(xs);
		if (xs->in_recovery && xs->sack_ok &&
		    xtcp_sb_next_seg(xtcp_sb(xs), xs->snd_una, xs->snd_max,
				     xs->high_rxt, smss, &seq, &len)) {
			xtcp_burst_flush(sk, &b);
			xtcp_send_data(sk, seq, len, true);
			xs->high_rxt = seq + len;
			if (seq == xs->snd_una) {
				xs->rtx_mark = xs->snd_max;
				xs->rtx_marked = 1;
			}
			continue;
		}
		if (unlikely(xs->mtup.enabled)) {
			int probe = xtcp_mtup_probe_len(sk, flight, cwnd);

			if (probe < 0)
				break;
			if (probe) {
				xtcp_burst_flush(sk, &b);
				xtcp_send_data(sk, xs->snd_nxt, probe, false);
				xtcp_mtup_sent(sk, xs->snd_nxt, probe);
				xtcp_sent_new(xs, probe);
				continue;
			}
		}
		len = xtcp_push_len(xs, end, cwnd - flight, smss);
		if (!len)
			break;
		if (xtcp_seq_before(xs->snd_nxt, xs->snd_max)) {
			xtcp_burst_flush(sk, &b);
			xtcp_send_data(sk, xs->snd_nxt, len, true);
		} else {
			xtcp_burst_add(sk, &b, len, smss);
		}
		xtcp_sent_new(xs, len);
	}
	xtcp_burst_flush(sk, &b);
	if (xs->snd_max != snd_max)
		xtcp_notsent_sent(sk);
	if (xs->fin_queued && xs->snd_nxt == end) {
		bool rtx = xtcp_seq_before(end, xs->snd_max);

		if (rtx)
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
		xtcp_send_ctl(sk, TCPHDR_FIN | TCPHDR_ACK, end);
		if (rtx)
			xtcp_rtx_stamp(xs);
		xtcp_sent_new(xs, 1);
	}
	xtcp_sender_timers(sk);
}

/* Resend the oldest unacknowledged segment: data, or the FIN alone. */
static u32 xtcp_resend_head(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 end = xtcp_data_end(xs);
	u32 len;

	if (xtcp_seq_before(xs->snd_una, end)) {
		len = min(end - xs->snd_una, xtcp_seg_mss(xs));
		xtcp_send_data(sk, xs->snd_una, len, true);
		return len;
	}
	if (xs->fin_queued && xtcp_seq_before(end, xs->snd_max)) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
		xtcp_send_ctl(sk, TCPHDR_FIN | TCPHDR_ACK, end);
		xtcp_rtx_stamp(xs);
		return 1;
	}
	return 0;
}

/*
 * A recovery episode begins, before the window comes down: what D-SACKs
 * (xtcp_dsack_undo()) or timestamps (xtcp_ts_undo()) may undo. An RTO in
 * fast recovery goes on with its episode: the window before it is the one
 * to restore, and its first retransmission the one to compare echoes
 * with.
 */
static void xtcp_undo_start(struct xtcp_sock *xs)
{
	if (!xs->in_recovery || !xs->undo_on) {
		xs->undo_marker = xs->snd_una;
		/* A probe's retransmission out needs its D-SACK too. */
		xs->undo_retrans = 0;
		/*
		 * ... and an echo must predate the probe: an echo of it
		 * says the probe repaired a loss. Without a probe out, the
		 * retransmission about to go sets the stamp.
		 */
		if (xs->rack.tlp_out && xs->rack.tlp_rxt)
			xs->undo_retrans = xs->rack.tlp_rxt_end -
					   xs->rack.tlp_rxt_seq;
		else
			xs->undo_ts = 0;
		xs->undo_ts_check = 1;
		xs->undo_seen.nr = 0;
		xtcp_cc_undo_mark(&xs->cc);
	}
	xs->undo_high = xs->snd_max;
	xs->undo_on = true;
}

/*
 * The episode lost nothing (D-SACKs or timestamps say so): its window
 * reduction is undone, and fast recovery, if still under way, ends (its
 * PRR would take the window down again).
 */
static void xtcp_undo(struct xtcp_sock *xs)
{
	xs->undo_on = false;
	xtcp_cc_undo(&xs->cc);
	if (xs->in_recovery) {
		xs->in_recovery = 0;
		xs->dupacks = 0;
		xs->rack.prr = 0;
	}
}

/**
 * xtcp_retransmit() - the retransmission timer expired
 * @sk: the connection, locked; xs->retries already counts this expiry
 *
 * SYN_SENT and SYN_RECEIVED resend their SYN or SYN-ACK. Otherwise the
 * congestion window falls to one segment (RFC 5681 3.1; the threshold only
 * on the first expiry of a series), SACK information is dropped since the
 * receiver may have discarded what it reported (RFC 2018 8), and sending
 * starts again from SND.UNA (go-back-N): what the ACKs show missing goes
 * again as the window opens.
 */
void xtcp_retransmit(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 cwnd;

	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
		xtcp_rtt_spoil(&xs->rtt, xs->iss);
		/*
		 * Without the data (it goes after the handshake), but still
		 * asking for a Fast Open cookie if the first SYN did.
		 */
		xtcp_send_syn(sk, xs->fo_req ? &xtcp_fo_request : NULL, 0);
		return;
	case TCP_SYN_RECV:
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
		xtcp_rtt_spoil(&xs->rtt, xs->iss);
		xtcp_send_ctl(sk, TCPHDR_SYN | TCPHDR_ACK, xs->iss);
		return;
	}
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_TIMEOUTS);
	/* A probe in flight tells nothing now (as Linux's). */
	xs->mtup.probe_mss = 0;
	cwnd = xs->cc.cwnd;
	if (xs->retries == 1) {
		xtcp_undo_start(xs);
		xtcp_cc_on_rto(&xs->cc, xs->snd_max - xs->snd_una,
			       xtcp_now_us());
		xtcp_ecn_reduced(sk);
	} else {
		xtcp_cc_rto_again(&xs->cc);
	}
	xs->in_recovery = 0;
	/* The RTO's window replaces what PRR did for an ECE, as in Linux. */
	xs->ecn_cwr = 0;
	xtcp_cwnd_trace(xs, cwnd);
	xs->dupacks = 0;
	xs->recover = xs->snd_max;	/* RFC 6582 3.2 step 4 */
	xtcp_sb_forget(xs);
	xtcp_rack_on_rto(sk);
	xs->rtx_marked = 0;
	xs->high_rxt = xs->snd_una;
	xtcp_rtt_spoil(&xs->rtt, xs->snd_una);
	xs->snd_nxt = xs->snd_una;
	/* A window closed under data in flight: still resend one segment. */
	if (!xs->snd_wnd) {
		xtcp_sent_new(xs, xtcp_resend_head(sk));
		return;
	}
	xtcp_push(sk);
}

/**
 * xtcp_mtu_reduced() - the path takes smaller segments: resend in them
 * @sk: the connection, locked
 * @mss: the new send MSS, smaller than the one in use
 *
 * What is in flight was cut for the old size and a router on the path
 * dropped it, saying so (RFC 1191, icmp.c): send it again from SND.UNA
 * now, cut to the new size, rather than wait for the RTO. That is not
 * congestion, so the congestion window stays (as Linux's
 * tcp_simple_retransmit()); the SACK scoreboard, measured in the old
 * segments, starts again, and no RTT is taken from what is resent.
 */
void xtcp_mtu_reduced(struct sock *sk, u32 mss)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_snd_mss_set(xs, mss);
	/* Probing (mtuprobe.c) need not try beyond what the path said. */
	xs->mtup.search_high = min_t(u32, xs->mtup.search_high, mss);
	if (xs->snd_max == xs->snd_una)
		return;
	xs->in_recovery = 0;
	xs->dupacks = 0;
	xs->recover = xs->snd_max;
	xtcp_sb_forget(xs);
	xs->rtx_marked = 0;
	xs->high_rxt = xs->snd_una;
	xtcp_rtt_spoil(&xs->rtt, xs->snd_una);
	xs->snd_nxt = xs->snd_una;
	xtcp_push(sk);
}

/**
 * xtcp_snd_mss_set() - the effective send MSS changes
 * @xs: the connection
 * @mss: the new MSS: a default for a new socket, the route's for a
 *	connect(), what the handshake allowed (MUST-16), then a path MTU
 *	learned or probed
 *
 * The one writer of @xs->mss. The congestion state counts in it too once
 * it runs; before, its mss stays 0, which TCP_CONGESTION reads as "not
 * started", and xtcp_sender_start() starts it from @xs->mss.
 */
void xtcp_snd_mss_set(struct xtcp_sock *xs, u32 mss)
{
	xs->mss = mss;
	if (xs->cc.mss)
		xtcp_cc_set_mss(&xs->cc, mss);
}

/**
 * xtcp_mtu_grown() - the route to the peer may take larger packets again
 * @sk: the connection, locked
 * @mtu: the route's MTU now
 *
 * A path MTU learned from ICMP expires in the kernel after
 * net.ipv4.route.mtu_expires or net.ipv6.route.mtu_expires (10 minutes),
 * and the route shows the link's MTU again. RFC 1191 section 6.3 (and
 * RFC 8201 section 4 for IPv6) asks a host to try larger segments now
 * and then: the send MSS grows back towards what the handshake allowed,
 * as Linux's tcp_current_mss() follows the route's MTU. If the path is
 * still narrow, the next "fragmentation needed" lowers it again. Not
 * during recovery: the scoreboard and the RTO backoff count in the
 * segments already sent.
 */
void xtcp_mtu_grown(struct sock *sk, u32 mtu)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 hdrs = (xs->h.v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr)) +
		   sizeof(struct tcphdr) +
		   (xs->ts_ok ? TCPOLEN_TSTAMP_ALIGNED : 0) + xtcp_ip_optlen(sk);
	u32 mss;

	if (xs->in_recovery || xs->retries || mtu <= hdrs)
		return;
	mss = min_t(u32, mtu - hdrs, xs->mss_full);
	/* While probing, only a probe's success raises the MSS. */
	mss = xtcp_mtup_clamp(&xs->mtup, mss);
	if (mss > xs->mss)
		xtcp_snd_mss_set(xs, mss);
}

/**
 * xtcp_persist_probe() - the persist timer expired
 * @sk: the connection, locked
 *
 * If the window has room after all (a small segment waited for silly
 * window avoidance), the segment goes now (RFC 9293 3.8.6.2.1 (d)).
 * Otherwise a probe, an ACK one below SND.UNA, makes the peer answer
 * with its window; probes back off like the RTO and never end while the
 * peer answers (MUST-36); unanswered, they end as retransmissions do.
 */
void xtcp_persist_probe(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 end = xtcp_data_end(xs);
	u32 left = xtcp_snd_wnd_left(xs->snd_una, xs->snd_wnd, xs->snd_nxt);
	u32 len;

	if (xs->snd_max != xs->snd_una || !xtcp_seq_before(xs->snd_nxt, end))
		return;
	if (left) {
		len = min3(end - xs->snd_nxt, left, xtcp_seg_mss(xs));
		xtcp_send_data(sk, xs->snd_nxt, len, false);
		xtcp_sent_new(xs, len);
		xtcp_sender_timers(sk);
		return;
	}
	/* As Linux's tcp_probe_timer(): net.xtcp.retries2 probes, counted. */
	if (xs->probes_out >= READ_ONCE(xtcp_net(sock_net(sk))->retries2)) {
		xtcp_transition(sk, XTCP_EV_GIVEUP);
		return;
	}
	xs->probes_out++;
	if (xs->probes < 31)
		xs->probes++;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_WINPROBES);
	xtcp_send_ctl(sk, TCPHDR_ACK, xs->snd_una - 1);
	xtcp_sender_timers(sk);	/* the next probe */
}

/* Drop acknowledged send buffers and wake writers. */
static void xtcp_clean_acked(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	bool freed = false;

	while ((skb = skb_peek(&sk->sk_write_queue)) &&
	       xtcp_seq_leq(xtcp_tx_cb(skb)->end_seq, xs->snd_una)) {
		__skb_unlink(skb, &sk->sk_write_queue);
		tcp_wmem_free_skb(sk, skb);
		freed = true;
	}
	if (freed)
		sk->sk_write_space(sk);
}

/**
 * xtcp_syn_data_acked() - a SYN-ACK acknowledged our SYN and its data
 * @sk: the connection in SYN_SENT, SND.UNA at the SYN-ACK's ACK
 *
 * The send buffers that carried the data the SYN-ACK acknowledged go
 * (Fast Open, fastopen.c); the rest waits for the handshake to end.
 */
void xtcp_syn_data_acked(struct sock *sk)
{
	xtcp_clean_acked(sk);
}

/*
 * Grow the window only when it limited us (RFC 7661's concern): in slow
 * start while less than twice what was in flight, later when the flight
 * filled it to within a segment.
 */
static bool xtcp_cwnd_limited(const struct xtcp_sock *xs, u32 flight)
{
	if (xs->cc.cwnd < xs->cc.ssthresh)
		return xs->cc.cwnd < 2 * flight;
	return flight + xs->mss >= xs->cc.cwnd;
}

/**
 * xtcp_rtt_ack() - an ACK of new data: an RTT sample for the estimator
 *	(rtt.c) and the congestion control
 * @sk: the connection
 * @ack: SEG.ACK, after SND.UNA
 * @tsecr: the ACK's TSecr, or 0 without a timestamp option
 *
 * The estimator times one segment per round trip (RFC 6298). HyStart++
 * takes its samples elsewhere, from RACK's log (xtcp_hystart_on_ack()).
 */
void xtcp_rtt_ack(struct sock *sk, u32 ack, u32 tsecr)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ts_now = xs->ts_ok ? xtcp_ts_now() : 0;
	u32 rtt;

	if (!xtcp_rtt_acked(&xs->rtt, ack, xtcp_now_us(), ts_now, tsecr,
			    xtcp_rto_min_us(sock_net(sk)), &rtt))
		return;
	/* A SYN-ACK comes before xtcp_sender_start() sets up the window. */
	if (sk->sk_state != TCP_SYN_SENT && xs->cc.ops->rtt_sample)
		xs->cc.ops->rtt_sample(&xs->cc, rtt);
}

/**
 * xtcp_hystart_on_ack() - an ACK of new data in HyStart++'s slow start
 * @sk: the connection, HyStart++ watching (xs->cc.hs.phase not OFF)
 * @una: SND.UNA before the ACK
 * @ack: SEG.ACK
 * @now: the time the ACK came, us
 *
 * The ACK's RTT sample is that of the newest segment it acknowledged, in
 * microseconds, from RACK's log of transmissions (xtcp_rack_ack_rtt()),
 * with timestamps or without: the timestamp echo's milliseconds jittered
 * Conservative Slow Start back into slow start, and without timestamps
 * there was a sample only once a round trip, too few to end slow start.
 * HyStart++'s exits from slow start on delay are counted, with the
 * window at each in segments, as Linux's TCPHystartDelayDetect and
 * TCPHystartDelayCwnd.
 */
static void xtcp_hystart_on_ack(struct sock *sk, u32 una, u32 ack, u64 now)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 rtt = xtcp_rack_ack_rtt(&xs->rack, una, ack, (u32)now);

	/* RFC 9406 4.2: grow first (the caller did), then look at the RTT. */
	if (xtcp_cc_on_rtt(&xs->cc, ack, xs->snd_nxt, rtt) != XTCP_HS_CSS_ENTER)
		return;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_HYSTARTDELAYDETECT);
	xtcp_mib_add(sock_net(sk), XTCP_MIB_HYSTARTDELAYCWND,
		     xs->cc.cwnd / xs->mss);
}

/* Recovery on a new ACK below or past the recovery point (RFC 6582 3.2). */
static void xtcp_recovery_ack(struct sock *sk, u32 acked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_seq_before(xs->snd_una, xs->recover)) {
		/* Full acknowledgment: recovery ends (step 3, option 1). */
		xs->in_recovery = 0;
		xs->dupacks = 0;
		xtcp_rack_recovery_done(&xs->rack);
		xtcp_prr_end(sk);
		if (!xs->sack_ok)
			xtcp_cc_reno_recovery_end(&xs->cc,
						  xs->snd_max - xs->snd_una);
		return;
	}
	if (xtcp_seq_before(xs->high_rxt, xs->snd_una))
		xs->high_rxt = xs->snd_una;
	if (xs->sack_ok)
		return;
	/* Partial acknowledgment: the next hole goes at once (step 5). */
	xtcp_resend_head(sk);
	xtcp_cc_reno_partial_ack(&xs->cc, acked);
}

/**
 * xtcp_ts_undo() - the episode's first ACK of new data: was it spurious?
 * @sk: the connection, locked, SND.UNA not yet moved
 * @tsecr: the ACK's TSecr, 0 without a timestamp option
 *
 * RFC 3522: the episode's first retransmission started at SND.UNA, so
 * this ACK covers resent bytes; if it echoes a TSval older than that
 * retransmission's (xtcp_ts_spurious()), it answers the original, which
 * arrived: the episode lost nothing. Its window reduction is undone as
 * by D-SACKs, and fast recovery ends. Asked once per episode: a later
 * ACK's echo may be of a later retransmission, older than none of them.
 *
 * After a spurious RTO the rest of the flight most likely arrived too:
 * rather than go back N and resend it all, sending goes on with new data
 * from SND.MAX (RFC 4015 3.2). What was lost after all is found as any
 * other loss. SND.MAX stays the RTO's recovery point (RFC 6582 4.1), so
 * the duplicates the RTO did send make no fast retransmit.
 */
static void xtcp_ts_undo(struct sock *sk, u32 tsecr)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_ts_undo_in in = {
		.ts_on = xs->ts_ok &&
			 READ_ONCE(xtcp_net(sock_net(sk))->ts_undo),
		.rtx_on = xs->undo_ts,
		.tsecr = tsecr,
		.rtx_tsval = xs->undo_tsval,
		.first_tsval = xs->ts_first,
		.last_tsval = xs->ts_last,
	};
	u32 cwnd = xs->cc.cwnd;

	xs->undo_ts_check = 0;
	if (!xs->undo_on || !xtcp_ts_spurious(&in))
		return;
	xtcp_undo(xs);
	if (xs->retries) {
		if (xtcp_seq_before(xs->snd_nxt, xs->snd_max))
			xs->snd_nxt = xs->snd_max;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_SPURIOUSRTOS);
	}
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_TSUNDO);
	xtcp_cwnd_trace(xs, cwnd);
}

/* New data acknowledged: SND.UNA moves to @ack. */
static void xtcp_ack_new(struct sock *sk, u32 ack, u32 tsecr)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 flight, una = xs->snd_una, acked = ack - una;
	u64 now = xtcp_now_us();

	if (unlikely(xs->undo_ts_check))
		xtcp_ts_undo(sk, tsecr);
	flight = xs->snd_nxt - xs->snd_una;
	xtcp_rtt_ack(sk, ack, tsecr);
	xs->snd_una = ack;
	if (xtcp_seq_before(xs->snd_nxt, ack))
		xs->snd_nxt = ack;
	if (unlikely(xs->snd_urg))
		xtcp_urg_acked(sk);
	xs->bytes_acked += acked;
	xs->rtx_marked = 0;	/* the marked retransmission arrived */
	xs->retries = 0;
	xs->backoff = 0;
	xs->probes = 0;
	xtcp_clean_acked(sk);
	if (xs->sb)
		xtcp_sb_advance(xs->sb, ack);
	if (unlikely(xs->mtup.probe_mss))
		xtcp_mtup_acked(sk);

	if (xs->in_recovery) {
		xtcp_recovery_ack(sk, acked);
	} else {
		xs->dupacks = 0;
		/* While PRR takes it down for an ECE, the window does not grow. */
		if (xtcp_cwnd_limited(xs, flight) &&
		    !(xs->ecn_cwr && xs->rack.prr))
			xtcp_cc_on_ack(&xs->cc, acked, now);
		/* Nothing to do once the first slow start is over, or off. */
		if (xs->cc.hs.phase != XTCP_HS_OFF)
			xtcp_hystart_on_ack(sk, una, ack, now);
	}
	xtcp_timers_acked(sk);
}

/* A duplicate ACK: count it; DupThresh of them, or SACKed data enough to
 * call the first hole lost (RFC 6675 IsLost), start fast recovery.
 */
static void xtcp_dupack(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->dupacks < U8_MAX)
		xs->dupacks++;
	if (xs->in_recovery) {
		if (!xs->sack_ok)
			xtcp_cc_reno_dupack(&xs->cc);
		return;
	}
	if (xtcp_dupack_lost(xs->dupacks, xs->sack_ok &&
			     xtcp_sb_is_lost(xtcp_sb(xs), xs->snd_una, xs->mss)))
		xtcp_loss_detected(sk);
}

/*
 * Fast recovery starts while PRR takes the window down for an ECE: it
 * takes the reduction over rather than making a second one, as Linux's
 * tcp_enter_recovery() does in its CWR state. ssthresh stays the one
 * the ECE set, PRR goes on counting from the ECE (SACK; NewReno's
 * recovery without SACK sets its own window from ssthresh), and nothing
 * is for a D-SACK to undo: the ECE said the congestion was real.
 */
static void xtcp_cwr_to_recovery(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ecn_cwr = 0;
	xs->undo_on = false;
	if (!xs->sack_ok) {
		xs->rack.prr = 0;
		xtcp_cc_set_cwnd(&xs->cc, xs->cc.ssthresh);
	}
}

/**
 * xtcp_loss_detected() - SND.UNA's segment is lost: fast recovery
 * @sk: the connection, locked
 *
 * From DupThresh duplicate ACKs, the scoreboard's IsLost(), or RACK
 * (recovery.c). Not while recovering already, nor after an RTO for what
 * was sent before it (RFC 6582 4.1).
 */
void xtcp_loss_detected(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 len;

	if (xs->in_recovery || xtcp_seq_before(xs->snd_una, xs->recover))
		return;
	/* A lost path-MTU probe is not congestion (mtuprobe.c). */
	if (unlikely(xs->mtup.probe_mss) && xtcp_mtup_lost(sk))
		return;

	xtcp_undo_start(xs);
	xs->in_recovery = 1;
	xs->rtx_marked = 0;
	xs->recover = xs->snd_max;
	if (xs->ecn_cwr && xs->rack.prr) {
		xtcp_cwr_to_recovery(sk);
	} else {
		/*
		 * RFC 5681 3.2 step 2: what Limited Transmit sent beyond the
		 * window stays out of FlightSize here, so the flight counts
		 * up to cwnd.
		 */
		xtcp_cc_on_loss(&xs->cc, min(xs->snd_max - xs->snd_una,
					     xs->cc.cwnd), xtcp_now_us());
		/* An ECE's reduction without PRR ends here too: one at a time. */
		xs->ecn_cwr = 0;
		xtcp_prr_start(sk);
	}
	xtcp_ecn_reduced(sk);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_FASTRETRANS);
	xtcp_mib_inc(sock_net(sk), xs->sack_ok ? XTCP_MIB_SACKRECOVERIES :
			 XTCP_MIB_RECOVERIES);
	xs->high_rxt = xs->snd_una;
	len = xtcp_resend_head(sk);
	xs->high_rxt = xs->snd_una + len;
	xs->rtx_mark = xs->snd_max;
	xs->rtx_marked = 1;
	if (!xs->sack_ok)
		xtcp_cc_reno_recovery_start(&xs->cc, XTCP_DUPTHRESH);
}

/* The peer's window from a segment: scaled except in a SYN. */
static u32 xtcp_seg_wnd(const struct xtcp_sock *xs, const struct xtcp_seg *seg)
{
	if (seg->flags & TCPHDR_SYN)
		return seg->wnd;
	return (u32)seg->wnd << xs->snd_wscale;
}

/**
 * xtcp_snd_wnd_take() - the send window a segment offers, and who offered it
 * @xs: the connection
 * @seg: a SYN, or a segment whose ACK may update the window (RFC 9293
 *	3.10.7.4 fifth, xtcp_ack_updates_wnd())
 *
 * Sets SND.WND, and SND.WL1 and SND.WL2 to the segment's numbers, so that
 * an older segment cannot take the window back.
 */
void xtcp_snd_wnd_take(struct xtcp_sock *xs, const struct xtcp_seg *seg)
{
	xs->snd_wnd = xtcp_seg_wnd(xs, seg);
	xs->snd_wl1 = seg->seq;
	xs->snd_wl2 = seg->ack;
}

/* Is @seg, whose window is @wnd, a duplicate ACK (xtcp_is_dupack())? */
static bool xtcp_seg_is_dupack(const struct xtcp_sock *xs,
			       const struct xtcp_seg *seg, u32 wnd, u32 sacked)
{
	const struct xtcp_dupack_in in = {
		.ack = seg->ack,
		.snd_una = xs->snd_una,
		.snd_max = xs->snd_max,
		.wnd = wnd,
		.snd_wnd = xs->snd_wnd,
		.len = seg->len,
		.syn_fin = seg->flags & (TCPHDR_SYN | TCPHDR_FIN),
		.sacked = sacked,
	};

	return xtcp_is_dupack(&in);
}

/*
 * In SACK recovery, SND.UNA's retransmission was lost too if DupThresh
 * segments sent after it have been SACKed (IsLost() of the mark) while
 * SND.UNA has not moved. RFC 6675 leaves that to the RTO; with loss
 * around 10% it is common, and each RTO costs at least 200 ms and
 * collapses the window. Resend the holes from SND.UNA again (RACK, RFC
 * 8985, finds such losses by time; this finds them by order).
 */
static void xtcp_rtx_lost_check(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->in_recovery || !xs->sack_ok || !xs->rtx_marked ||
	    !xtcp_sb_is_lost(xtcp_sb(xs), xs->rtx_mark - 1, xs->mss))
		return;
	xs->rtx_marked = 0;
	xs->high_rxt = xs->snd_una;
}

/*
 * A D-SACK reports @blk as a duplicate. If it reports the last bytes not
 * yet reported of what the current episode resent, the episode lost
 * nothing: its window reduction is undone, and fast recovery, if still
 * under way, ends (its PRR would take the window down again). A range
 * reported before counts once (xtcp_dsack_undo_bytes()).
 */
static void xtcp_dsack_undo(struct sock *sk, const struct xtcp_sack_block *blk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 bytes, cwnd = xs->cc.cwnd;

	xtcp_mib_inc(sock_net(sk), XTCP_MIB_DSACKRECV);
	if (!xs->undo_on || !xs->undo_retrans)
		return;
	bytes = xtcp_dsack_undo_bytes(blk, xs->undo_marker, xs->undo_high,
				      xs->max_window, &xs->undo_seen);
	if (!bytes)
		return;
	xs->undo_retrans -= min(bytes, xs->undo_retrans);
	if (xs->undo_retrans)
		return;
	xtcp_undo(xs);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_DSACKUNDO);
	xtcp_cwnd_trace(xs, cwnd);
}

/*
 * Apply the segment's SACK blocks; the first, which holds the segment
 * that made the peer send this ACK (RFC 2018 4), goes to @first, or to
 * @dup if it is a D-SACK (then *@dsack is set). Return: bytes newly
 * SACKed.
 */
static u32 xtcp_take_sack(struct sock *sk, struct sk_buff *skb,
			  struct xtcp_sack_block *first,
			  struct xtcp_sack_block *dup, bool *dsack)
{
	struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS];
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int n;

	if (!xs->sack_ok || !(seg->opts.present & XTCP_HAS_SACK))
		return 0;
	n = xtcp_opts_sack((const u8 *)(tcp_hdr(skb) + 1), &seg->opts, blk);
	*dsack = xtcp_sb_is_dsack(xtcp_seq_max(seg->ack, xs->snd_una), blk, n);
	if (*dsack) {
		*dup = blk[0];
		xtcp_dsack_undo(sk, &blk[0]);
	} else if (n) {
		*first = blk[0];
	}
	/* The first block that is not a D-SACK: the board is needed now. */
	if (!xs->sb && n > *dsack)
		xs->sb = kzalloc(sizeof(*xs->sb), GFP_ATOMIC);
	/* Without one (no memory), recovery goes on as without SACK. */
	if (!xs->sb)
		return 0;
	return xtcp_sb_update(xs->sb, xs->snd_una, xs->snd_max, blk, n);
}

/**
 * xtcp_rcv_ack() - RFC 9293 3.10.7.4 fifth: the ACK field
 * @sk: the connection, locked, in a synchronized state
 * @skb: the segment (header still in the buffer for SACK blocks)
 *
 * RFC 5961 section 5 first: a segment whose ACK lies outside
 * [SND.UNA - MAX.SND.WND, SND.NXT] is dropped whole, its window, SACK
 * blocks, data and FIN with it, and answered (xtcp_ack_check()). An ACK
 * older than SND.UNA within that range is a duplicate: the rest of the
 * segment counts, but only an ACK from SND.UNA to SND.NXT updates the
 * window (xtcp_ack_updates_wnd()).
 *
 * Return: false if processing must stop (the segment was dropped or
 * answered, or the connection ended).
 */
bool xtcp_rcv_ack(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 wnd = xtcp_seg_wnd(xs, seg);
	struct xtcp_sack_block first = { 0, 0 }, dup = { 0, 0 };
	bool fin_acked, had_sack, dsack = false;
	u32 cwnd = xs->cc.cwnd;
	u32 sacked, una, sb_bytes;

	switch (xtcp_ack_check(xs->snd_una, xs->snd_max, xs->max_window,
			       seg->ack)) {
	case XTCP_ACK_UNSENT:
		/* For something not yet sent: answer with ours, drop. */
		xtcp_send_oow_ack(sk, seg);
		return false;
	case XTCP_ACK_TOO_OLD:
		/* Blind, or very late: the true peer resyncs from our ACK. */
		xtcp_send_challenge_ack(sk);
		return false;
	default:
		break;
	}
	una = xs->snd_una;
	xs->probes_out = 0;
	had_sack = xtcp_sb(xs)->nr;
	sb_bytes = xtcp_sb_sacked(xtcp_sb(xs));
	sacked = xtcp_take_sack(sk, skb, &first, &dup, &dsack);
	if (xtcp_seq_after(seg->ack, xs->snd_una))
		xtcp_ack_new(sk, seg->ack, xtcp_seg_tsecr(seg));
	else if ((!dsack || sacked) && xtcp_seg_is_dupack(xs, seg, wnd, sacked))
		xtcp_dupack(sk);	/* a D-SACK alone reports no hole */
	if (sacked)
		xtcp_rtx_lost_check(sk);
	if (xtcp_rack_ack(sk, una, had_sack, &first, dsack ? &dup : NULL,
			  seg->ack == una && !seg->len && !sacked &&
			  wnd == xs->snd_wnd))
		xtcp_loss_detected(sk);
	/* ECE: a reduction; CWR; past the reduction's window: its end. */
	xtcp_ecn_rcv_ack(sk, seg->flags);
	/*
	 * RFC 6937 DeliveredData: what SND.UNA moved, plus the change in
	 * SACKed bytes (SACKed bytes now acknowledged leave the board). The
	 * ACK whose ECE began a reduction counts in it, as in Linux.
	 */
	if (xs->in_recovery || xs->ecn_cwr) {
		s64 delivered = (s64)(xs->snd_una - una) +
				xtcp_sb_sacked(xtcp_sb(xs)) - sb_bytes;

		xtcp_prr_ack(sk, delivered > 0 ? (u32)delivered : 0);
	}
	xtcp_cwnd_trace(xs, cwnd);

	/* Window update: an acceptable ACK of a newer segment (WL1, WL2). */
	if (xtcp_ack_updates_wnd(una, xs->snd_max, xs->snd_wl1, xs->snd_wl2,
				 seg->seq, seg->ack)) {
		xtcp_snd_wnd_take(xs, seg);
		xs->max_window = max(xs->max_window, wnd);
		if (wnd)
			xs->probes = 0;
	}

	fin_acked = xs->fin_queued && xs->snd_una == xs->write_seq;
	if (fin_acked && (sk->sk_state == TCP_FIN_WAIT1 ||
			  sk->sk_state == TCP_CLOSING ||
			  sk->sk_state == TCP_LAST_ACK)) {
		xtcp_transition(sk, XTCP_EV_ACK_FIN);
		if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_TIME_WAIT)
			return false;
	}
	return true;
}

/**
 * xtcp_sender_start() - the connection is established: set up sending
 * @sk: the connection
 *
 * The congestion window starts per the namespace's algorithm
 * (net.xtcp.congestion_control, or TCP_CONGESTION set before), its first
 * slow start watched by HyStart++ unless net.xtcp.hystart is 0.
 */
void xtcp_sender_start(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_cc_ops *ops = xs->cc.ops;

	if (!ops)
		ops = xtcp_cc_default(sock_net(sk));
	xtcp_mtup_init(sk);
	xtcp_cc_init(&xs->cc, ops, xs->mss, xtcp_now_us());
	if (READ_ONCE(xtcp_net(sock_net(sk))->hystart))
		xtcp_cc_hystart_start(&xs->cc, xs->snd_nxt);
	xs->snd_max = xs->snd_nxt;
	xs->recover = xs->snd_una;
	xs->high_rxt = xs->snd_una;
	xs->max_window = xs->snd_wnd;
	xs->rcv_acked = xs->rcv_nxt;
	xs->undo_on = false;
	xs->undo_ts_check = 0;
	xtcp_sb_forget(xs);
}
