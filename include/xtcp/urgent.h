/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Urgent data (RFC 9293 3.8.5, MUST-30..33 and MUST-62; RFC 6093) with
 * Linux TCP's one-byte semantics: the urgent pointer points one past the
 * last byte of a send(MSG_OOB), and the receiver takes that last byte out
 * of the stream as the one out-of-band byte (unless SO_OOBINLINE).
 *
 * The pure arithmetic is here, checked in KUnit (kunit/urgent_test.c):
 *
 *   xtcp_urg_out_ptr()  the URG bit and 16-bit pointer of a segment we send
 *   xtcp_urg_byte_seq() the sequence number of the urgent byte a received
 *                       pointer names
 *   xtcp_urg_is_new()   whether that pointer is news: neither already
 *                       received nor behind the one we hold
 *
 * The socket side is mod/urgent.c.
 */
#ifndef _XTCP_URGENT_H
#define _XTCP_URGENT_H

#include <linux/types.h>
#include <xtcp/seq.h>

/* What the receiver knows of urgent data (struct xtcp_sock.urg_state). */
enum xtcp_urg_state {
	XTCP_URG_NONE,		/* no urgent pointer ahead of the reader */
	XTCP_URG_NOTYET,	/* the pointer is known, its byte not in yet */
	XTCP_URG_VALID,		/* the byte is in: urg_byte, not read */
	XTCP_URG_READ,		/* the byte was read by recv(MSG_OOB) */
};

/*
 * The farthest a 16-bit urgent pointer reaches; a pointer farther ahead
 * is sent as this while it lands on data not yet sent (RFC 6093 4).
 */
#define XTCP_URG_PTR_MAX	0xFFFFU

/**
 * xtcp_urg_out_ptr() - the urgent pointer a segment we send carries
 * @seq: the segment's SEG.SEQ
 * @snd_up: SND.UP, one past the last urgent byte (MUST-62)
 * @snd_max: the highest sequence number ever sent
 * @ptr: the pointer to send, set when the result is true
 *
 * Every segment that starts before SND.UP carries URG, so that the peer
 * learns of urgent data as early as possible, even through a zero window.
 * A pointer more than 64K ahead cannot be said; the largest one is sent
 * instead only while it points past anything sent so far, so that it can
 * never name a byte the peer may already hold (as Linux's
 * tcp_transmit_skb()). Later segments carry the true pointer, which
 * supersedes it before the byte it names arrives.
 *
 * Return: true if the segment carries URG.
 */
static inline bool xtcp_urg_out_ptr(u32 seq, u32 snd_up, u32 snd_max,
				    u16 *ptr)
{
	if (!xtcp_seq_before(seq, snd_up))
		return false;
	if (snd_up - seq <= XTCP_URG_PTR_MAX) {
		*ptr = snd_up - seq;
		return true;
	}
	if (xtcp_seq_after(seq + XTCP_URG_PTR_MAX, snd_max)) {
		*ptr = XTCP_URG_PTR_MAX;
		return true;
	}
	return false;
}

/**
 * xtcp_urg_byte_seq() - the urgent byte a received pointer names
 * @seq: the segment's SEG.SEQ
 * @ptr: its urgent pointer field
 *
 * The pointer points one past the urgent data (MUST-62, RFC 6093), so the
 * urgent byte is the one before it. A pointer of 0 names the segment's
 * first byte, as Linux takes it.
 *
 * Return: the urgent byte's sequence number.
 */
static inline u32 xtcp_urg_byte_seq(u32 seq, u16 ptr)
{
	return seq + ptr - (ptr ? 1 : 0);
}

/**
 * xtcp_urg_is_new() - does a received urgent pointer tell us anything?
 * @urg: the urgent byte it names (xtcp_urg_byte_seq())
 * @rcv_nxt: RCV.NXT before the segment's text is taken
 * @have: an urgent byte is already pending (state not XTCP_URG_NONE)
 * @urg_seq: the pending urgent byte's sequence number, with @have
 *
 * A byte already received cannot be taken out of the stream any more,
 * and a pointer at or behind the pending one (a retransmission, a
 * duplicate, a pointer moving back) changes nothing.
 *
 * Return: true if @urg becomes the urgent byte.
 */
static inline bool xtcp_urg_is_new(u32 urg, u32 rcv_nxt, bool have,
				   u32 urg_seq)
{
	if (xtcp_seq_before(urg, rcv_nxt))
		return false;
	return !have || xtcp_seq_after(urg, urg_seq);
}

struct sock;
struct sk_buff;
struct msghdr;

/* mod/urgent.c */
void xtcp_urg_send(struct sock *sk);
void xtcp_urg_acked(struct sock *sk);
bool xtcp_urg_out(struct sock *sk, u32 seq, u16 *ptr);
void xtcp_urg_rcv(struct sock *sk, const struct sk_buff *skb);
void xtcp_urg_queued(struct sock *sk, const struct sk_buff *skb);
bool xtcp_urg_skip(struct sock *sk);
void xtcp_urg_consumed(struct sock *sk);
int xtcp_urg_recv(struct sock *sk, struct msghdr *msg, size_t len, int flags);
bool xtcp_urg_clip(const struct sock *sk, u32 pos, u32 *chunk);
bool xtcp_urg_at_mark(const struct sock *sk, u32 pos);
int xtcp_urg_hole(const struct sock *sk);
bool xtcp_urg_pending(const struct sock *sk);
void xtcp_urg_reset(struct sock *sk);

#endif /* _XTCP_URGENT_H */
