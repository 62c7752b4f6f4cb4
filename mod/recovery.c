// SPDX-License-Identifier: GPL-2.0
/*
 * RACK-TLP (RFC 8985) on a connection: the pure logic is in rack.c.
 *
 *   xtcp_rack_sent()     every data transmission goes into the log
 *   xtcp_rack_ack()      an ACK: what it delivered moves RACK's clock;
 *                        holes sent long enough before that are lost
 *                        (the scoreboard's watermark, sackboard.c), and
 *                        fast recovery starts on them; the rest wait
 *                        for the reordering timer; the probe's answer
 *   xtcp_tlp_arm()       the retransmission timer becomes the probe
 *                        timer while the connection is not recovering
 *   xtcp_rack_timer()    the retransmission timer fired as the probe or
 *                        the reordering timer
 *   xtcp_prr_*()         Proportional Rate Reduction (RFC 6937): in SACK
 *                        recovery, and in the reduction an ECE starts
 *                        (ecn.c), the window follows what each ACK
 *                        delivered down to ssthresh (net.xtcp.prr)
 *
 * Both mechanisms share the retransmission timer, as Linux's do: what it
 * does when it fires is xs->rack.mode. RACK needs SACK; so does TLP here,
 * as in Linux, since only SACK tells which segment the probe repaired.
 * net.xtcp.recovery (bit XTCP_RECOVERY_RACK) and net.xtcp.tlp switch them
 * per namespace; with both off xtcp recovers as before (RFC 6675 and the
 * RTO).
 */

#include <xtcp/mib.h>
#include <xtcp/proto.h>
#include <xtcp/rack.h>
#include <xtcp/sendlen.h>
#include <xtcp/seq.h>

static u32 xtcp_rack_now(void)
{
	return (u32)ktime_to_us(ktime_get());
}

static bool xtcp_rack_on(const struct sock *sk)
{
	return xtcp_sk(sk)->sack_ok &&
	       (READ_ONCE(xtcp_net(sock_net(sk))->recovery) &
		XTCP_RECOVERY_RACK);
}

/**
 * xtcp_rack_sent() - data went out: log it
 * @sk: the connection, locked
 * @seq: first byte sent
 * @len: bytes sent
 * @rtx: they had been sent before
 */
void xtcp_rack_sent(struct sock *sk, u32 seq, u32 len, bool rtx)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!len)
		return;
	/*
	 * The log is for connections that send: allocated at the first data,
	 * freed with the socket. Without it (no memory) RACK sees every byte
	 * as sent at the latest transmission, which only delays its verdict.
	 */
	if (unlikely(!xs->rack.log))
		xs->rack.log = kmalloc_array(XTCP_RACK_LOG,
					     sizeof(*xs->rack.log), GFP_ATOMIC);
	xtcp_rack_log_sent(&xs->rack, seq, len, rtx, xtcp_rack_now());
	if ((xs->in_recovery || xs->ecn_cwr) && xs->rack.prr)
		xs->rack.prr_out += len;
}

/*
 * RFC 8985 6.2 step 5 over the holes of the scoreboard: those sent long
 * enough before RACK's segment are lost; the watermark on the board makes
 * recovery treat them so. A lost hole that was retransmitted in this
 * recovery lost its retransmission: HighRxt goes back to it, so that it
 * goes again. Arms the reordering timer for the holes that are not lost
 * yet. Return: true if something new was found lost.
 */
static bool xtcp_rack_detect(struct sock *sk, u32 now)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rack *r = &xs->rack;
	struct xtcp_sackboard *sb = xs->sb;
	u32 hs = xs->snd_una, wait = U32_MAX, reo, lost_to = 0;
	bool lost = false, found = false;
	int i, holes = 0;

	if (!r->valid || !sb || !sb->nr)
		return false;
	reo = xtcp_rack_reo_wnd(r->min_rtt_us, xs->rtt.srtt_us, r->reord,
				xs->in_recovery,
				xtcp_sb_sacked(sb) > 2U * xs->mss, r->reo_mult);
	for (i = 0; i < sb->nr; i++) {
		u32 he = sb->r[i].start, t, w = U32_MAX;

		if (xtcp_seq_before(hs, he)) {
			t = xtcp_rack_last_sent(r, hs, he);
			if (xtcp_rack_is_lost(r, t, he, reo, now, &w)) {
				found = true;
				lost_to = he;
				holes++;
				if (xs->in_recovery &&
				    xtcp_seq_before(hs, xs->high_rxt) &&
				    xtcp_sb_is_lost(sb, hs, xs->mss)) {
					/* Its retransmission is lost too. */
					xs->high_rxt = hs;
					lost = true;
				}
			} else {
				wait = min(wait, w);
			}
		}
		hs = sb->r[i].end;
	}
	if (found && xtcp_sb_mark_lost(sb, lost_to)) {
		xtcp_mib_add(sock_net(sk), XTCP_MIB_RACKLOSSES, holes);
		lost = true;
	}
	if (wait != U32_MAX && !xtcp_sb_is_lost(sb, xs->snd_una, xs->mss) &&
	    !xs->in_recovery) {
		/* Not lost yet: look again when the window has passed. */
		xtcp_timers_reo_pending(sk, wait);
	}
	return lost;
}

/*
 * RFC 8985 7.4: what the ACK says of the probe (as Linux's
 * tcp_process_tlp_ack()). @dsack: the ACK's D-SACK block, NULL if none;
 * only one for the probe's own bytes says the probe was a duplicate
 * (xtcp_tlp_dsack()). @dup: a pure duplicate ACK, that acknowledges,
 * SACKs and carries nothing new.
 */
static void xtcp_tlp_ack(struct sock *sk, const struct xtcp_sack_block *dsack,
			 bool dup)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rack *r = &xs->rack;

	if (!r->tlp_out)
		return;
	if (xs->in_recovery || xs->retries ||
	    (dsack && xtcp_tlp_dsack(r, dsack->start, dsack->end))) {
		/* Recovery took over, or the probe was a duplicate. */
		r->tlp_out = 0;
		return;
	}
	if (xtcp_seq_before(xs->snd_una, r->tlp_end))
		return;
	if (!r->tlp_rxt) {
		r->tlp_out = 0;
		return;
	}
	if (xs->snd_una == r->tlp_end) {
		/*
		 * Everything up to the probe is acknowledged, but by the
		 * original's ACK, late, or the probe's? The next ACK tells:
		 * the probe's D-SACK, or a duplicate ACK from a receiver
		 * without D-SACK, says both arrived. Till then no new probe.
		 */
		if (dup)
			r->tlp_out = 0;
		return;
	}
	/*
	 * The ACK goes past the probe with no D-SACK for it: the original
	 * was lost and the probe repaired it. That is a loss all the same:
	 * the window goes down as in fast recovery (RFC 8985 7.4.2), for
	 * good: no D-SACK undoes an episode before it.
	 */
	r->tlp_out = 0;
	xs->undo_on = false;
	xtcp_cc_on_loss(&xs->cc, xs->cc.cwnd, xtcp_now_us());
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_TLPRECOVERIES);
}

/**
 * xtcp_rack_ack() - an acceptable ACK was processed: RACK and TLP
 * @sk: the connection, locked
 * @old_una: SND.UNA before the ACK
 * @had_sack: the scoreboard held ranges before the ACK
 * @first: the ACK's first SACK block, empty (start == end) if none
 * @dsack: the ACK's D-SACK block, NULL if it carried none
 * @dup: the ACK is a pure duplicate: it moves SND.UNA, the window and the
 *	scoreboard not at all, and carries no data
 *
 * Return: true if RACK found new losses, and fast recovery should start
 * (if it has not) and resend them.
 */
bool xtcp_rack_ack(struct sock *sk, u32 old_una, bool had_sack,
		   const struct xtcp_sack_block *first,
		   const struct xtcp_sack_block *dsack, bool dup)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rack *r = &xs->rack;
	u32 now = xtcp_rack_now();
	bool moved = false;

	/* A probe's duplicate says nothing of the reordering window. */
	xtcp_rack_dsack(r, xs->snd_una, xs->snd_nxt,
			dsack && r->reord && !r->tlp_out);
	xtcp_tlp_ack(sk, dsack, dup);
	if (xtcp_seq_after(xs->snd_una, old_una)) {
		/*
		 * Bytes below a SACKed range arrived late, with nothing
		 * resent outside recovery: the path reorders (RACK.reord).
		 */
		if (had_sack && !xs->in_recovery && !xs->retries)
			r->reord = 1;
		moved = xtcp_rack_delivered(r, old_una, xs->snd_una, now);
	}
	if (first->start != first->end)
		moved |= xtcp_rack_delivered(r, first->start, first->end, now);
	xtcp_rack_log_acked(r, xs->snd_una);
	if (xs->snd_una == xs->snd_max) {
		xtcp_rack_reset(r, now);
		return false;
	}
	if (!xtcp_rack_on(sk) || !(moved || xtcp_sb(xs)->nr))
		return false;
	return xtcp_rack_detect(sk, now);
}

/* May a probe be scheduled now? (RFC 8985 7.2; Linux's conditions.) */
static bool xtcp_tlp_ok(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return READ_ONCE(xtcp_net(sock_net(sk))->tlp) && xs->sack_ok &&
	       !xs->in_recovery && !xs->retries && !xs->rack.tlp_out &&
	       xs->snd_una != xs->snd_max &&
	       !xtcp_seq_before(xs->snd_una, xs->recover) &&
	       ((1 << sk->sk_state) &
		(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 |
		 TCPF_CLOSING | TCPF_LAST_ACK));
}

/**
 * xtcp_tlp_arm() - make the retransmission timer the probe timer
 * @sk: the connection, locked, with data in flight
 * @force: re-arm even if the probe timer runs (after an ACK); else only
 *	if it does not run yet, so that sending nothing new postpones
 *	nothing
 *
 * RFC 8985 7.2: PTO after the last transmission, 2 * SRTT; for a lone
 * segment, whose ACK the peer may delay, plus net.xtcp.rto_min_ms as
 * WCDelAckT (Linux adds its tcp_rto_min). Where the RTO would come as
 * soon, it stays: a probe then gains nothing over the retransmission the
 * RTO makes, and would put the RTO and its backoff one RTO later (a
 * silent peer's connection would end later than net.xtcp.retries2 says).
 *
 * Return: true if the probe timer runs; false if the caller must run the
 * retransmission timer as usual.
 */
bool xtcp_tlp_arm(struct sock *sk, bool force)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 flight = xs->snd_max - xs->snd_una;
	u32 rto = xtcp_rto_us(sk), pto;

	if (!xtcp_tlp_ok(sk))
		return false;
	pto = xtcp_tlp_pto(xs->rtt.srtt_us, flight <= xs->mss ?
			   xtcp_rto_min_us(sock_net(sk)) : 0, rto);
	if (pto >= rto)
		return false;
	xtcp_timers_tlp_due(sk, pto, force);
	return true;
}

/*
 * RFC 8985 7.3: the probe. New data if the peer's window takes it, else
 * the last segment sent again (the FIN, if only that is out), whatever
 * the congestion window. Then the RTO, in full.
 */
static void xtcp_tlp_send(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 end = xs->write_seq - xs->fin_queued;
	u32 left = xtcp_snd_wnd_left(xs->snd_una, xs->snd_wnd, xs->snd_nxt);
	u32 last, len = 0;

	if (xs->snd_nxt == xs->snd_max && xtcp_seq_before(xs->snd_nxt, end) &&
	    left)
		len = min3(end - xs->snd_nxt, left, xtcp_seg_mss(xs));
	/*
	 * New data only as sender SWS avoidance lets it go (RFC 9293
	 * 3.8.6.2.1, MUST-38): a full segment, the queue's tail, or half the
	 * largest window offered. A sliver into a barely open window would
	 * be a tiny segment; the last segment again probes as well.
	 */
	if (len && len < xtcp_seg_mss(xs) && len < end - xs->snd_nxt &&
	    len < xs->max_window / 2)
		len = 0;
	if (len) {
		xtcp_send_data(sk, xs->snd_nxt, len, false);
		xs->snd_nxt += len;
		xs->snd_max = xs->snd_nxt;
		xs->rack.tlp_rxt = 0;
	} else {
		/*
		 * The probe resends: if an episode begins before its ACK, an
		 * echo must predate the probe to call the episode spurious.
		 */
		xs->undo_ts = 0;
		last = xtcp_seq_min(end, xs->snd_max);
		if (xtcp_seq_before(xs->snd_una, last)) {
			len = min(last - xs->snd_una, xtcp_seg_mss(xs));
			xtcp_send_data(sk, last - len, len, true);
			xs->rack.tlp_rxt_seq = last - len;
			xs->rack.tlp_rxt_end = last;
		} else {
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
			xtcp_send_ctl(sk, TCPHDR_FIN | TCPHDR_ACK, end);
			xtcp_rtx_stamp(xs);
			xs->rack.tlp_rxt_seq = end;
			xs->rack.tlp_rxt_end = end + 1;
		}
		xs->rack.tlp_rxt = 1;
	}
	xs->rack.tlp_out = 1;
	xs->rack.tlp_end = xs->snd_max;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_TLPPROBES);
}

/**
 * xtcp_rack_timer() - the retransmission timer fired as the probe timer
 *	or RACK's reordering timer
 * @sk: the connection, locked, with data in flight
 *
 * Afterwards the timer is the retransmission timer again: a new probe
 * timer, or a full RTO (timer.c starts it).
 *
 * Return: true if the retransmission timer is to run a full RTO now.
 */
bool xtcp_rack_timer(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 mode = xs->rack.mode;

	xs->rack.mode = XTCP_RTX_RTO;
	if (mode == XTCP_RTX_TLP && xtcp_tlp_ok(sk)) {
		xtcp_tlp_send(sk);
	} else if (mode == XTCP_RTX_REO && xtcp_rack_on(sk)) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_RACKREOTIMEOUTS);
		if (xtcp_rack_detect(sk, xtcp_rack_now())) {
			xtcp_loss_detected(sk);
			xtcp_push(sk);
		}
	}
	/* Nothing lost after all: the probe may still be due. */
	return xs->rack.mode == XTCP_RTX_RTO &&
	       !(mode == XTCP_RTX_REO && xtcp_tlp_arm(sk, true));
}

/**
 * xtcp_rack_on_rto() - a retransmission timeout: the probe is over
 * @sk: the connection
 */
void xtcp_rack_on_rto(struct sock *sk)
{
	xtcp_sk(sk)->rack.tlp_out = 0;
}

/* A reduction begins: PRR's counts from zero, RecoverFS the flight. */
static void xtcp_prr_init(struct xtcp_sock *xs, bool on)
{
	struct xtcp_rack *r = &xs->rack;

	r->prr = on;
	r->prr_delivered = 0;
	r->prr_out = 0;
	r->recover_fs = max(xs->snd_max - xs->snd_una, 1U);
}

/**
 * xtcp_prr_start() - fast recovery begins: PRR takes the window down
 * @sk: the connection, locked, just put in recovery, ssthresh set
 */
void xtcp_prr_start(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_prr_init(xs, xs->sack_ok &&
		      READ_ONCE(xtcp_net(sock_net(sk))->prr));
}

/**
 * xtcp_prr_cwr_start() - an ECE reduces the window: PRR takes it down
 * @sk: the connection, locked, its ssthresh just set for the ECE
 *
 * As Linux's CWR state (tcp_enter_cwr()): nothing is lost, so nothing is
 * resent, but the window comes down to ssthresh over the round trip in
 * step with the ACKs, not at once: a window cut from W to ssthresh at
 * once would send nothing for the first W - ssthresh bytes acknowledged.
 * PRR needs no SACK here: without losses, pipe is what is in flight.
 * With net.xtcp.prr off, cwnd drops to ssthresh at once (RFC 3168
 * 6.1.2).
 */
void xtcp_prr_cwr_start(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool on = READ_ONCE(xtcp_net(sock_net(sk))->prr);

	xtcp_prr_init(xs, on);
	if (!on)
		xtcp_cc_set_cwnd(&xs->cc, min(xs->cc.cwnd, xs->cc.ssthresh));
}

/**
 * xtcp_prr_ack() - an ACK in fast recovery, or in the reduction an ECE
 *	started: the window for what it allows
 * @sk: the connection, locked
 * @delivered: bytes the ACK delivered, acknowledged or newly SACKed
 *
 * RFC 6937 section 3: the congestion window becomes pipe plus what PRR
 * lets go now (xtcp_prr_cwnd()), so that xtcp_push(), which sends while
 * pipe is below it, sends that much. Pipe is RFC 6675's in SACK
 * recovery, else all that is unacknowledged, as xtcp_push() counts it.
 */
void xtcp_prr_ack(struct sock *sk, u32 delivered)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rack *r = &xs->rack;
	u32 pipe;

	if (!(xs->in_recovery || xs->ecn_cwr) || !r->prr)
		return;
	r->prr_delivered += delivered;
	if (xs->in_recovery)
		pipe = xtcp_sb_pipe(xtcp_sb(xs), xs->snd_una, xs->snd_max,
				    xs->high_rxt, xs->mss);
	else
		pipe = xs->snd_nxt - xs->snd_una;
	xtcp_cc_set_cwnd(&xs->cc, xtcp_prr_cwnd(r->prr_delivered, r->prr_out,
						delivered, pipe,
						xs->cc.ssthresh, r->recover_fs,
						xs->mss));
}

/**
 * xtcp_prr_end() - fast recovery, or the reduction for an ECE, is over:
 *	the window is ssthresh
 * @sk: the connection, locked
 *
 * RFC 6937 section 3: what PRR left the window at gives way to ssthresh,
 * where congestion avoidance goes on.
 */
void xtcp_prr_end(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->rack.prr)
		return;
	xs->rack.prr = 0;
	xtcp_cc_set_cwnd(&xs->cc, xs->cc.ssthresh);
}
