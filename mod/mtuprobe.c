// SPDX-License-Identifier: GPL-2.0
/*
 * Packetization-layer path-MTU discovery (RFC 4821; RFC 8899 for
 * datagrams), as Linux's net.ipv4.tcp_mtu_probing does it.
 *
 * Classic path-MTU discovery (icmp.c) needs the router that drops a
 * too-big segment to say so. Where ICMP is filtered, the segments simply
 * vanish: a "black hole", and every retransmission, cut to the same size,
 * vanishes too. Here TCP finds the size by itself:
 *
 *   - Black hole detection (net.xtcp.mtu_probing 1 or 2): retransmissions
 *     that keep timing out past R1 (net.xtcp.retries1, where IP also gets
 *     negative advice) may be too big. The first such timeout turns
 *     probing on, which caps the send MSS at search_low
 *     (net.xtcp.base_mss, 1024); each further one halves it, never below
 *     net.xtcp.mtu_probe_floor. The retransmission goes in the new size.
 *   - Probing up (once on; from the start with mtu_probing 2): between
 *     search_low (known to cross) and search_high (the handshake's MSS,
 *     or less than a probe that was lost) one segment of the midpoint
 *     size goes out, followed by enough data to reveal its loss by
 *     duplicate ACKs. Its acknowledgment raises search_low and the MSS
 *     with it; its loss lowers search_high, and since a probe is lost to
 *     its size rather than to congestion, its data is sent again in the
 *     current size and the congestion window stays (RFC 4821 7.5).
 *   - When the range is narrower than net.xtcp.probe_threshold the search
 *     is over, until net.xtcp.probe_interval later it starts again from
 *     the MSS in use up to the handshake's, in case the path grew.
 *
 * Sizes are send MSS (include/xtcp/mtuprobe.h), so nothing here depends
 * on the address family.
 */

#include <linux/jiffies.h>
#include <xtcp/mib.h>
#include <xtcp/mtuprobe.h>
#include <xtcp/proto.h>
#include <xtcp/sendlen.h>
#include <xtcp/seq.h>

/*
 * The least congestion window that carries a probe, in segments (as
 * Linux's): a probe is a gamble, worth it only when one lost segment is a
 * small part of the window.
 */
#define XTCP_MTUP_MIN_CWND	11
/*
 * Segments of data that must follow the probe: one more than the
 * duplicate ACKs that tell its loss (DupThresh 3), so that a lost probe
 * is found without a retransmission timeout.
 */
#define XTCP_MTUP_TAIL_SEGS	4

/**
 * xtcp_mtup_init() - a connection is established: set up its search
 * @sk: the connection, with its send MSS from the handshake
 *
 * The search spans net.xtcp.base_mss to the handshake's MSS. With
 * net.xtcp.mtu_probing 2 it is on at once, and the connection starts at
 * the base MSS and probes up, as Linux's tcp_mtup_init() does; with 1 it
 * waits for a black hole.
 */
void xtcp_mtup_init(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_mtup *m = &xs->mtup;

	m->enabled = READ_ONCE(xn->mtu_probing) > 1;
	m->search_low = READ_ONCE(xn->base_mss);
	m->search_high = xs->mss_full;
	m->probe_mss = 0;
	m->stamp = jiffies;
	xtcp_snd_mss_set(xs, xtcp_mtup_clamp(m, xs->mss));
}

/**
 * xtcp_mtup_black_hole() - a retransmission timed out past R1
 * @sk: the connection, locked, about to retransmit
 *
 * Called where IP gets negative advice (timer.c). The segments may be
 * too big for a path that says nothing: turn probing on (the MSS falls
 * to search_low), or if it is on already and still nothing crosses,
 * halve search_low. The retransmission that follows uses the new MSS.
 */
void xtcp_mtup_black_hole(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_mtup *m = &xs->mtup;
	u32 mss;

	if (!READ_ONCE(xn->mtu_probing))
		return;
	if (!m->enabled) {
		m->enabled = 1;
		m->stamp = jiffies;
	} else {
		m->search_low = xtcp_mtup_hole_mss(m->search_low,
						   READ_ONCE(xn->base_mss),
						   READ_ONCE(xn->mtu_probe_floor),
						   READ_ONCE(xn->min_snd_mss));
	}
	mss = xtcp_mtup_clamp(m, xs->mss);
	if (mss < xs->mss) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_BLACKHOLEDETECTED);
		xtcp_snd_mss_set(xs, mss);
	}
}

/*
 * The search is over: after net.xtcp.probe_interval seconds start it
 * again, from the MSS in use up to the handshake's (the path may have
 * grown; RFC 4821 7.7).
 */
static void xtcp_mtup_reprobe(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_mtup *m = &xs->mtup;

	if ((u32)jiffies - m->stamp <
	    (u64)READ_ONCE(xn->probe_interval) * HZ)
		return;
	m->search_low = xs->mss;
	m->search_high = xs->mss_full;
	m->stamp = jiffies;
}

/**
 * xtcp_mtup_probe_len() - may a probe go now from SND.NXT?
 * @sk: the connection, locked, probing enabled
 * @flight: bytes in flight
 * @cwnd: the congestion window now
 *
 * Only new data, outside recovery and retransmission, one probe at a
 * time, in segments with no SACK blocks (they would eat into it), and
 * only with enough data queued and room in the peer's window for the
 * probe and the segments that reveal its loss.
 *
 * Return: the probe's payload; 0 to send as usual; -1 to send nothing
 * until ACKs make room in the congestion window for the probe, or more
 * data is queued (as Linux's tcp_mtu_probe(), which would rather wait
 * than never probe).
 */
int xtcp_mtup_probe_len(struct sock *sk, u32 flight, u32 cwnd)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_mtup *m = &xs->mtup;
	u32 probe, need, queued;

	if (m->probe_mss || xs->in_recovery || xs->retries ||
	    xs->snd_nxt != xs->snd_max || xtcp_seg_mss(xs) != xs->mss ||
	    cwnd < XTCP_MTUP_MIN_CWND * xs->mss)
		return 0;
	probe = xtcp_mtup_next(m->search_low, m->search_high,
			       READ_ONCE(xn->probe_threshold));
	if (!probe) {
		xtcp_mtup_reprobe(sk);
		return 0;
	}
	/* The route (an ICMP error) may allow less than the search. */
	if (probe <= xs->mss)
		return 0;
	need = probe + XTCP_MTUP_TAIL_SEGS * xs->mss;
	queued = xs->write_seq - xs->fin_queued - xs->snd_nxt;
	if (xs->snd_wnd < need)
		return 0;
	/*
	 * A sender that writes in small pieces rarely has a probe's worth
	 * queued: with that much in flight ACKs are due anyway, so let the
	 * data gather until they come (Linux's autocorking holds small
	 * writes back likewise); with less, send as usual.
	 */
	if (queued < need)
		return flight >= need ? -1 : 0;
	if (xtcp_snd_wnd_left(xs->snd_una, xs->snd_wnd, xs->snd_nxt) < need ||
	    flight + probe + xs->mss > cwnd)
		return flight ? -1 : 0;
	return probe;
}

/**
 * xtcp_mtup_sent() - a probe went out
 * @sk: the connection
 * @seq: its first sequence number
 * @len: its payload, from xtcp_mtup_probe_len()
 */
void xtcp_mtup_sent(struct sock *sk, u32 seq, u32 len)
{
	struct xtcp_mtup *m = &xtcp_sk(sk)->mtup;

	m->probe_mss = len;
	m->probe_seq = seq;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_MTUPROBES);
}

/**
 * xtcp_mtup_acked() - SND.UNA moved while a probe is in flight
 * @sk: the connection, locked
 *
 * Once the probe is acknowledged, it crossed the path: search_low and the
 * send MSS rise to its size. The congestion window, in bytes, stays.
 */
void xtcp_mtup_acked(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_mtup *m = &xs->mtup;

	if (xtcp_seq_before(xs->snd_una, m->probe_seq + m->probe_mss))
		return;
	m->search_low = m->probe_mss;
	m->probe_mss = 0;
	if (m->search_low > xs->mss)
		xtcp_snd_mss_set(xs, m->search_low);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_MTUPROBESSUCCEEDED);
}

/**
 * xtcp_mtup_lost() - duplicate ACKs say a segment is lost: the probe?
 * @sk: the connection, locked, a probe in flight
 *
 * If the hole is the probe, the path is narrower than the probe:
 * search_high falls below it, and the probe's data goes again, in
 * segments of the MSS in use, at once. The loss was the probe's size,
 * not congestion: no fast recovery, the congestion window stays (as
 * Linux's tcp_mtup_probe_failed() with tcp_simple_retransmit()). The
 * duplicate ACKs still coming for what followed the probe start no
 * recovery either (RFC 6582 4.1, as after an RTO).
 *
 * A hole before the probe is an ordinary loss: the probe then tells
 * nothing, and is forgotten.
 *
 * Return: true if the loss was the probe's and is dealt with.
 */
bool xtcp_mtup_lost(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_mtup *m = &xs->mtup;
	u32 seq = m->probe_seq, end = seq + m->probe_mss, len;

	m->probe_mss = 0;
	if (xs->snd_una != seq)
		return false;
	m->search_high = end - seq - 1;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_MTUPROBESFAILED);
	while (xtcp_seq_before(seq, end)) {
		len = min(end - seq, xtcp_seg_mss(xs));
		xtcp_send_data(sk, seq, len, true);
		seq += len;
	}
	xs->recover = xs->snd_max;
	return true;
}
