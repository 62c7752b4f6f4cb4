// SPDX-License-Identifier: GPL-2.0
/*
 * The receiving half of a connection: segment text into the receive queue
 * in order, out-of-order segments held aside (ooo.c) until the hole before
 * them fills, the window we offer, and when to acknowledge.
 *
 * Window (RFC 9293 3.8.6.2.2, RFC 7323): we offer the payload the free
 * receive buffer can hold, by the ratio of payload to memory measured on
 * full-sized segments (include/xtcp/mem.h), and only four segments while
 * the protocol is short of memory; the right edge never moves back
 * (SHLD-14), and it moves forward only by a useful amount, at least
 * min(buffer / 2, MSS), so that we never invite tiny segments (receiver
 * silly window avoidance, MUST-39).
 *
 * Memory (as Linux's tcp_try_rmem_schedule() and tcp_prune_queue()): each
 * buffer is charged to the socket, to net.xtcp.mem and to the memory
 * cgroup before it is queued. When the receive buffer is full or the
 * charge fails, runs of small out-of-order buffers are first copied into
 * compact ones, then out-of-order buffers are dropped from the highest
 * sequence numbers down (RFC 2018 section 8 lets a receiver renege on
 * what it SACKed), and only then is the segment itself dropped. A peer
 * cannot make a connection hold more than its receive buffer out of
 * order, nor all connections more than net.xtcp.mem.
 *
 * Acknowledgments (RFC 9293 3.8.6.3, RFC 5681 4.2): at once for every
 * second full-sized segment (unless the reader is far behind: then when
 * it reads), for a segment out of order or one that fills a hole;
 * otherwise after at most XTCP_DELACK_MS.
 *
 * Duplicates (RFC 2883): text that arrives again, below RCV.NXT or
 * already held out of order, is reported once as the first SACK block of
 * the ACK it draws (a D-SACK), sent at once, with net.xtcp.dsack and SACK.
 */

#include <linux/log2.h>
#include <linux/skbuff.h>
#include <xtcp/ackpolicy.h>
#include <xtcp/compat.h>
#include <xtcp/dsack.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/seq.h>
#include <xtcp/urgent.h>
#include <xtcp/window.h>

/* The payload the free receive space can hold, in bytes. */
static u32 xtcp_rcv_space(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	u32 win = xtcp_win_from_space(space, READ_ONCE(xs->scaling_ratio));

	/* Short of memory: no more than four segments (tcp_clamp_window()). */
	if (sk_under_memory_pressure(sk))
		win = min(win, 4U * xs->adv_mss);
	return win;
}

/**
 * xtcp_receiver_start() - a connection reached ESTABLISHED
 * @sk: the connection, locked
 *
 * Nothing has been queued for reading yet: the first unread byte is
 * RCV.NXT, and the peer's MSS is guessed until its data shows it.
 */
void xtcp_receiver_start(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* A Fast Open child's reader may have the SYN's data unread. */
	if (skb_queue_empty(&sk->sk_receive_queue))
		xs->copied_seq = xs->rcv_nxt;
	xs->rcv_tstamp = jiffies;
	xs->data_tstamp = xs->rcv_tstamp;
	/* Linux's first guess at the peer's MSS, before data arrives. */
	xs->rcv_mss = max_t(u16, TCP_MIN_MSS,
			    min3(xs->adv_mss, xs->mss, (u16)XTCP_DEFAULT_MSS));
}

/**
 * xtcp_rcv_window() - the window to advertise now
 * @sk: the connection
 * @update: it goes out in a segment: remember it as advertised
 *
 * Return: bytes, a multiple of our scale unit; the caller shifts it.
 */
u32 xtcp_rcv_window(struct sock *sk, bool update)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_rwnd_in in = {
		.space = xtcp_rcv_space(sk),
		.rcv_nxt = xs->rcv_nxt,
		.rcv_adv = xs->rcv_adv,
		.rcvbuf = READ_ONCE(sk->sk_rcvbuf),
		.mss = xs->rcv_mss ?: xs->mss,
		.wscale = xs->rcv_wscale,
	};
	u32 wnd = xtcp_rwnd_calc(&in);

	if (update) {
		xs->rcv_wnd = wnd;
		if (xtcp_seq_after(xs->rcv_nxt + wnd, xs->rcv_adv))
			xs->rcv_adv = xs->rcv_nxt + wnd;
	}
	return wnd;
}

/**
 * xtcp_ack_sent() - an ACK for RCV.NXT is going out
 * @sk: the connection
 *
 * Whatever a delayed ACK waited for is acknowledged now.
 */
void xtcp_ack_sent(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rcv_acked = xs->rcv_nxt;
	xtcp_timers_ack_sent(sk);
}

/**
 * xtcp_window_update() - the reader made room: tell the peer if it matters
 * @sk: the connection, locked
 *
 * An update goes out when the window grows by two segments or a quarter
 * of the buffer, or opens from below one segment (xtcp_rwnd_update_due()).
 */
void xtcp_window_update(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 cur, wnd;

	if (!((1 << sk->sk_state) &
	      (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)))
		return;
	cur = xtcp_rwnd_left(xs->rcv_nxt, xs->rcv_adv);
	wnd = xtcp_rcv_window(sk, false);
	if (xtcp_rwnd_update_due(cur, wnd, xs->mss, READ_ONCE(sk->sk_rcvbuf)))
		xtcp_send_ack(sk);
}

/*
 * Drop out-of-order buffers from the highest down while any starts after
 * @above, until @size more bytes fit the receive buffer and can be
 * charged (tcp_prune_ofo_queue()). Return: buffers dropped.
 */
static u32 xtcp_prune_ofo(struct sock *sk, u32 above, unsigned int size)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct sk_buff *last;
	u32 dropped = 0;

	while ((last = xtcp_ooo_last(&xs->ooo)) &&
	       xtcp_seq_after(xtcp_rx_cb(last)->seq, above)) {
		xtcp_ooo_drop_last(&xs->ooo);
		dropped++;
		if (atomic_read(&sk->sk_rmem_alloc) + size <=
		    READ_ONCE(sk->sk_rcvbuf) && !sk_under_memory_pressure(sk))
			break;
	}
	if (dropped)
		xtcp_mib_add(sock_net(sk), XTCP_MIB_OFOPRUNED, dropped);
	return dropped;
}

/*
 * Charge @skb, which starts at @seq, to the receive memory, making room
 * if need be (tcp_try_rmem_schedule(), tcp_prune_queue()): compact the
 * out-of-order queue, then drop what it holds above @seq. Text in order
 * lies in the window we offered: once nothing is left out of order to
 * drop it may go past the buffer (up to twice it: the buffers may cost
 * more than the ratio said, and dropping it would only bring it back
 * after a timeout); the first buffer of an
 * empty receive queue is charged whatever the limits, so that the
 * connection always moves (sk_forced_mem_schedule()).
 *
 * Return: true if the memory for @skb is charged to the forward
 * allocation (skb_set_owner_r() takes it), false to drop the segment.
 */
static bool xtcp_rmem_schedule(struct sock *sk, struct sk_buff *skb, u32 seq)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool in_order = !xtcp_seq_after(seq, xs->rcv_nxt);
	unsigned int size = skb->truesize;
	int rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	u32 above = in_order ? xs->rcv_nxt : seq;
	int collapsed;

	if (atomic_read(&sk->sk_rmem_alloc) + size <= rcvbuf &&
	    sk_rmem_schedule(sk, skb, size))
		return true;

	xtcp_mib_inc(sock_net(sk), XTCP_MIB_PRUNECALLED);
	collapsed = xtcp_ooo_collapse(&xs->ooo, sk);
	if (collapsed > 0)
		xtcp_mib_add(sock_net(sk), XTCP_MIB_RCVCOLLAPSED, collapsed);
	for (;;) {
		if (atomic_read(&sk->sk_rmem_alloc) + size <= rcvbuf &&
		    sk_rmem_schedule(sk, skb, size))
			return true;
		if (!xtcp_prune_ofo(sk, above, size))
			break;
	}
	if (in_order && atomic_read(&sk->sk_rmem_alloc) + size <= 2 * rcvbuf &&
	    sk_rmem_schedule(sk, skb, size))
		return true;
	if (in_order && skb_queue_empty(&sk->sk_receive_queue) &&
	    xtcp_forced_mem_schedule(sk, size, SK_MEM_RECV))
		return true;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_RCVPRUNED);
	return false;
}

/* Queue an in-order buffer for the reader and move RCV.NXT past it. */
static void xtcp_rcv_queue(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rx_cb *cb = xtcp_rx_cb(skb);

	__skb_queue_tail(&sk->sk_receive_queue, skb);
	xs->bytes_received += cb->end_seq - xs->rcv_nxt;
	xs->rcv_nxt = cb->end_seq;
	if (unlikely(xs->urg_state == XTCP_URG_NOTYET))
		xtcp_urg_queued(sk, skb);
}

/**
 * xtcp_rcv_dup() - note what a segment duplicates, for a D-SACK
 * @sk: the connection
 * @seq: the first byte of the segment's text
 * @end: one past its last byte, within the window we offered
 *
 * Before the segment is queued: the duplicate range (xtcp_dsack_range())
 * goes first in the SACK option of the next segment we send (output.c),
 * once. Only with SACK negotiated and net.xtcp.dsack on.
 */
void xtcp_rcv_dup(struct sock *sk, u32 seq, u32 end)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_sack_block held = { 0, 0 }, blk;

	if (!xs->sack_ok || !READ_ONCE(xtcp_net(sock_net(sk))->dsack))
		return;
	if (xs->ooo.count && !xtcp_seq_before(seq, xs->rcv_nxt))
		xtcp_ooo_held(&xs->ooo, seq, end, &held);
	if (!xtcp_dsack_range(seq, end, xs->rcv_nxt, &held, &blk))
		return;
	xtcp_mib_inc(sock_net(sk), xtcp_seq_before(seq, xs->rcv_nxt) ?
		     XTCP_MIB_DSACKOLDSENT : XTCP_MIB_DSACKOFOSENT);
	xtcp_dsack_merge(&xs->dsack, xs->dsack_pending, &blk);
	xs->dsack_pending = true;
}

/* Acknowledge now or later, as xtcp_ack_now() decides. */
static void xtcp_ack_policy(struct sock *sk, bool filled)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_ack_in in = {
		.filled = filled,
		.ooo = xs->ooo.count,
		.rcv_nxt = xs->rcv_nxt,
		.rcv_acked = xs->rcv_acked,
		.copied_seq = xs->copied_seq,
		.rcv_wnd = xs->rcv_wnd,
		.mss = xs->rcv_mss ?: xs->mss,
	};

	/* A duplicate tells the sender at once that it resent in vain. */
	if (xs->dsack_pending || xtcp_ack_now(&in))
		xtcp_send_ack(sk);
	else
		xtcp_timers_ack_delayed(sk);
}

/*
 * A segment's text becomes the socket's, for [@seq, @end): charged (the
 * caller scheduled the memory), and the control block the queue's. Its
 * input route and conntrack entry are not ours to keep past this
 * softirq: queued text would pin them (and a namespace's conntrack table
 * on its way out).
 */
static struct xtcp_rx_cb *xtcp_rx_take(struct sock *sk, struct sk_buff *skb,
				       u32 seq, u32 end)
{
	struct xtcp_rx_cb *cb;

	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb_set_owner_r(skb, sk);
	cb = xtcp_rx_cb(skb);
	cb->seq = seq;
	cb->end_seq = end;
	cb->off = 0;
	return cb;
}

/**
 * xtcp_rcv_data() - RFC 9293 3.10.7.4 seventh: process the segment text
 * @sk: the connection, locked
 * @skb: the segment, its header pulled
 *
 * The buffer itself is queued, not a clone: it was stolen from the IP
 * layer and is ours, and a clone is one more allocation and free for
 * every segment on the hottest path. Queueing overwrites the control
 * block, so xtcp_seg(@skb) is no longer valid when it is kept.
 *
 * Return: true if @skb was kept (queued in order or out of order): the
 * caller must neither free it nor read xtcp_seg(@skb) again.
 */
bool xtcp_rcv_data(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 seq = seg->seq, end = seg->seq + seg->len, seg_len = seg->len;
	bool had_holes = xs->ooo.count, ce_now;
	struct xtcp_rx_cb *cb;
	struct sk_buff *q;

	if (!seg->len)
		return false;
	/* As Linux estimates the peer's MSS: the largest segment. */
	if (seg->len > xs->rcv_mss)
		xs->rcv_mss = min(seg->len, xs->adv_mss);
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		break;
	default:
		return false;	/* after the peer's FIN: ignore */
	}
	if ((sk->sk_shutdown & RCV_SHUTDOWN) && sk->sk_state != TCP_ESTABLISHED) {
		/*
		 * Data for an application that closed: it is lost (SHLD-3).
		 * In ESTABLISHED, RCV_SHUTDOWN is only shutdown(SHUT_RD),
		 * after which Linux TCP keeps the connection.
		 */
		xtcp_transition(sk, XTCP_EV_ABORT);
		return false;
	}
	/* Text beyond the window we offered is not ours to keep. */
	if (xtcp_seq_after(end, xs->rcv_adv))
		end = xs->rcv_adv;
	xtcp_rcv_dup(sk, seq, end);
	if (!xtcp_seq_after(end, xs->rcv_nxt) || !xtcp_seq_after(end, seq)) {
		xtcp_send_ack(sk);	/* old or beyond: say where we are */
		return false;
	}
	if (!xtcp_rmem_schedule(sk, skb, seq)) {
		xtcp_send_ack(sk);
		return false;
	}
	/* Before the control block is the queue's: it holds the flags. */
	ce_now = xtcp_ecn_rcv_data(sk, skb);
	cb = xtcp_rx_take(sk, skb, seq, end);

	if (xtcp_seq_after(seq, xs->rcv_nxt)) {
		bool kept = xtcp_ooo_insert(&xs->ooo, skb);

		xtcp_mib_inc(sock_net(sk), XTCP_MIB_OFOQUEUE);
		xtcp_send_ack(sk);	/* a duplicate ACK, with SACK blocks */
		return kept;
	}
	/* What a full-sized segment costs tells the window's size. */
	if (seg_len >= (xs->rcv_mss ?: xs->mss))
		WRITE_ONCE(xs->scaling_ratio, xtcp_ratio(seg_len, skb->truesize));
	/* In order: skip what we have already. */
	cb->off = xs->rcv_nxt - seq;
	cb->seq = xs->rcv_nxt;
	xtcp_rcv_queue(sk, skb);
	while ((q = xtcp_ooo_pop(&xs->ooo, xs->rcv_nxt)))
		xtcp_rcv_queue(sk, q);
	sk->sk_data_ready(sk);
	/* A hole filled, or an ECN signal to echo at once (ecn.c). */
	xtcp_ack_policy(sk, had_holes || ce_now);
	return true;
}

/**
 * xtcp_rcv_syn_data() - a Fast Open SYN's data, for a new child
 * @sk: the child, in SYN_RECEIVED, locked; RCV.NXT just past the SYN
 * @skb: the SYN, its header pulled
 *
 * RFC 7413 4.2.2: the data joins the stream at once, for the reader,
 * before the handshake ends; the SYN-ACK then acknowledges it. Only what
 * fits the window our SYN-ACK will offer (the SYN's own window is the
 * client's guess of ours) and the receive memory is taken: the rest the
 * client sends again.
 *
 * Return: true if @skb was kept (queued): the caller must not free it.
 */
bool xtcp_rcv_syn_data(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 seq = seg->seq + 1, end = seq + seg->len;

	if (xtcp_seq_after(end, xs->rcv_adv))
		end = xs->rcv_adv;
	if (!xtcp_seq_after(end, seq) || !xtcp_rmem_schedule(sk, skb, seq))
		return false;
	if (seg->len > xs->rcv_mss)
		xs->rcv_mss = min(seg->len, xs->adv_mss);
	xtcp_ecn_rcv_data(sk, skb);
	xtcp_rx_take(sk, skb, seq, end);
	xtcp_rcv_queue(sk, skb);
	xs->syn_data = 1;
	sk->sk_data_ready(sk);
	return true;
}

/**
 * xtcp_negotiate() - what the peer's SYN or SYN-ACK says about options
 * @sk: the connection
 * @seg: the SYN
 *
 * Window scaling, timestamps and SACK are used only if both ends offer
 * them (RFC 7323 1.3, 3.2; RFC 2018 2). We offer them all in our SYN; a
 * passive side answers with what the peer offered.
 */
void xtcp_negotiate(struct sock *sk, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 has = seg->opts.present;

	xs->wscale_ok = xs->wscale_ok && (has & XTCP_HAS_WSCALE);
	xs->sack_ok = xs->sack_ok && (has & XTCP_HAS_SACK_PERM);
	xs->ts_ok = xs->ts_ok && (has & XTCP_HAS_TIMESTAMP);
	if (xs->wscale_ok) {
		xs->snd_wscale = min_t(u8, seg->opts.wscale, XTCP_MAX_WSCALE);
	} else {
		xs->snd_wscale = 0;
		xs->rcv_wscale = 0;
	}
	if (xs->ts_ok)
		xs->ts_recent = seg->opts.tsval;
}

/**
 * xtcp_wscale_offer() - the window scale shift to offer in a SYN
 * @sk: the connection, or a listener answering with a SYN cookie
 *
 * The shift that lets the receive buffer's whole space show in the
 * 16-bit window field.
 *
 * Return: the shift.
 */
u8 xtcp_wscale_offer(const struct sock *sk)
{
	u32 space = READ_ONCE(sk->sk_rcvbuf);
	u8 shift = 0;

	/* Room for the buffer to grow to, unless SO_RCVBUF fixed it. */
	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		space = max3(space, (u32)READ_ONCE(sysctl_rmem_max),
			     (u32)READ_ONCE(xtcp_net(sock_net(sk))->rmem[2]));

	while (shift < XTCP_MAX_WSCALE && (space >> shift) > XTCP_MAX_WINDOW)
		shift++;
	return shift;
}

/**
 * xtcp_offer_options() - before our SYN: offer every option we support
 * @sk: the connection
 */
void xtcp_offer_options(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rcv_wscale = xtcp_wscale_offer(sk);
	xs->wscale_ok = 1;
	xs->sack_ok = 1;
	xs->ts_ok = 1;
	xtcp_ecn_offer(sk);
}

/**
 * xtcp_paws_reject() - RFC 7323 5.3: an old duplicate by its timestamp?
 * @sk: the connection, synchronized
 * @seg: the segment, acceptable by sequence number
 *
 * Return: true if the segment must be dropped (after an ACK unless RST).
 */
bool xtcp_paws_reject(struct sock *sk, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ts_ok || !(seg->opts.present & XTCP_HAS_TIMESTAMP))
		return false;
	if (!(seg->flags & TCPHDR_RST) &&
	    xtcp_seq_before(seg->opts.tsval, xs->ts_recent)) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_PAWSREJECTED);
		return true;
	}
	return false;
}

/**
 * xtcp_ts_recent_update() - RFC 7323 4.3: record TS.Recent
 * @sk: the connection, synchronized
 * @seg: the segment, past the sequence, PAWS and ACK checks
 *
 * Only from a segment that covers the last ACK we sent, and only once its
 * ACK was found acceptable (as Linux's tcp_replace_ts_recent() after
 * tcp_ack()): a blind segment that guessed SEG.SEQ but not SEG.ACK must
 * not move TS.Recent, or a TSval far in the future would make PAWS reject
 * every genuine segment after it.
 */
void xtcp_ts_recent_update(struct sock *sk, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ts_ok || !(seg->opts.present & XTCP_HAS_TIMESTAMP))
		return;
	if (xtcp_seq_leq(seg->seq, xs->rcv_acked))
		xs->ts_recent = seg->opts.tsval;
}
