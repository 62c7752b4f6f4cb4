// SPDX-License-Identifier: GPL-2.0
/*
 * Urgent data (RFC 9293 3.8.5, 3.10.7.4 sixth; RFC 6093) as Linux TCP
 * has it: one out-of-band byte.
 *
 * Sending: send(MSG_OOB) sets SND.UP one past its last byte (MUST-62).
 * Until the peer acknowledges SND.UP every segment that starts before it
 * carries URG and the pointer (include/xtcp/urgent.h), new data leaves
 * one segment per skb (GSO would copy one pointer into every segment)
 * and Nagle and TCP_CORK do not hold it back.
 *
 * Receiving: the byte before a new urgent pointer is the urgent byte.
 * SIGURG goes to the socket's owner (F_SETOWN) as soon as the pointer
 * arrives (MUST-32); once the byte is in the stream in order it can be
 * read with recv(MSG_OOB) and poll() reports EPOLLPRI. The byte stays in
 * the receive queue and in every sequence count (RCV.NXT, copied_seq,
 * FIONREAD): a normal read stops before it (the mark, SIOCATMARK; MUST-33)
 * and then steps over it, unless SO_OOBINLINE leaves it in the stream. So
 * no hostile pointer can make the stream lose, gain or repeat a byte of
 * accounting: the worst it can do is name which byte is stepped over.
 *
 * Linux takes the byte from whatever segment carries it, in order or
 * not; here it is taken when it joins the stream in order (receiver.c
 * calls xtcp_urg_queued()), so a byte that arrived out of order before
 * its pointer is found too, and the byte read out of band is always the
 * one stepped over in the stream.
 *
 * Kept from Linux, as programs see it: only the last urgent byte is out
 * of band (MUST-31's "any length" is the pointer's: SO_OOBINLINE keeps
 * every byte in the stream, and the mark after the last); a new pointer
 * before the reader reached the old mark leaves the old byte in the
 * stream, even if recv(MSG_OOB) already returned it. Not kept: Linux's
 * send(MSG_OOB) also moves SND.UP to the end of what it queued each time
 * it waits for buffer space; here SND.UP moves once, at the end.
 */

#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <xtcp/ooo.h>
#include <xtcp/urgent.h>
#include <xtcp/xtcp.h>

/**
 * xtcp_urg_send() - the user's send(MSG_OOB) queued its last byte
 * @sk: the connection, locked
 *
 * SND.UP moves one past it, before the data is pushed.
 */
void xtcp_urg_send(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->snd_up = xs->write_seq;
	xs->snd_urg = 1;
}

/**
 * xtcp_urg_acked() - SND.UNA moved: leave urgent mode once past SND.UP
 * @sk: the connection, locked
 */
void xtcp_urg_acked(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_seq_after(xs->snd_up, xs->snd_una))
		xs->snd_urg = 0;
}

/**
 * xtcp_urg_out() - does a segment of ours starting at @seq carry URG?
 * @sk: the connection
 * @seq: SEG.SEQ
 * @ptr: the urgent pointer field, set when it does
 *
 * Return: true if it carries URG and @ptr.
 */
bool xtcp_urg_out(struct sock *sk, u32 seq, u16 *ptr)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	return xs->snd_urg &&
	       xtcp_urg_out_ptr(seq, xs->snd_up, xs->snd_max, ptr);
}

/**
 * xtcp_urg_consumed() - the reader moved: forget a mark it passed
 * @sk: the connection, locked
 */
void xtcp_urg_consumed(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->urg_state != XTCP_URG_NONE &&
	    xtcp_seq_after(xs->copied_seq, xs->urg_seq))
		WRITE_ONCE(xs->urg_state, XTCP_URG_NONE);
}

/**
 * xtcp_urg_skip() - step the reader over the byte it stands at
 * @sk: the connection, locked
 *
 * The urgent byte at copied_seq leaves the stream: it is consumed as if
 * read, but copied to nobody. Nothing happens unless the first queued
 * buffer holds exactly that byte first.
 *
 * Return: true if the reader moved.
 */
bool xtcp_urg_skip(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_receive_queue);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rx_cb *cb;

	if (!skb)
		return false;
	cb = xtcp_rx_cb(skb);
	if (cb->seq != xs->copied_seq || cb->seq == cb->end_seq)
		return false;
	xs->copied_seq++;
	if (cb->seq + 1 == cb->end_seq) {
		__skb_unlink(skb, &sk->sk_receive_queue);
		consume_skb(skb);
	} else {
		cb->seq++;
		cb->off++;
	}
	xtcp_urg_consumed(sk);
	return true;
}

/**
 * xtcp_urg_rcv() - RFC 9293 3.10.7.4 sixth: a segment with URG
 * @sk: the connection, locked
 * @skb: the segment, acceptable and its ACK processed, its text not yet
 *	taken (the header is still in the buffer, before skb->data)
 *
 * Only while the peer may still send text: after its FIN the RFC says to
 * ignore URG. A child not yet accepted takes it too (nobody to signal
 * yet), as its text. A new pointer signals the owner at once (MUST-32) and
 * replaces the pending byte, which then stays in the stream; only a
 * reader standing right at the old mark steps over the old byte, as
 * Linux does, so that a byte it already read out of band is not read
 * again.
 */
void xtcp_urg_rcv(struct sock *sk, const struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 urg;

	if (!((1 << sk->sk_state) &
	      (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)))
		return;
	urg = xtcp_urg_byte_seq(ntohl(th->seq), ntohs(th->urg_ptr));
	if (!xtcp_urg_is_new(urg, xs->rcv_nxt,
			     xs->urg_state != XTCP_URG_NONE, xs->urg_seq))
		return;
	sk_send_sigurg(sk);
	if (xs->urg_state != XTCP_URG_NONE && xs->urg_seq == xs->copied_seq &&
	    !sock_flag(sk, SOCK_URGINLINE))
		xtcp_urg_skip(sk);
	WRITE_ONCE(xs->urg_seq, urg);
	WRITE_ONCE(xs->urg_state, XTCP_URG_NOTYET);
}

/**
 * xtcp_urg_queued() - a buffer joined the receive queue in order
 * @sk: the connection, locked
 * @skb: the buffer, its xtcp_rx_cb() set
 *
 * If it holds the urgent byte we wait for, the byte becomes readable out
 * of band. The caller wakes the readers.
 */
void xtcp_urg_queued(struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_rx_cb *cb = xtcp_rx_cb(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 byte;

	if (xs->urg_state != XTCP_URG_NOTYET ||
	    xs->urg_seq - cb->seq >= cb->end_seq - cb->seq)
		return;
	if (skb_copy_bits(skb, cb->off + (xs->urg_seq - cb->seq), &byte, 1))
		return;
	xs->urg_byte = byte;
	WRITE_ONCE(xs->urg_state, XTCP_URG_VALID);
}

/**
 * xtcp_urg_recv() - recv(MSG_OOB): the urgent byte
 * @sk: the connection, locked, not listening
 * @msg: where it goes
 * @len: room there
 * @flags: MSG_PEEK leaves it readable; MSG_TRUNC does not copy it
 *
 * Never waits, as BSD and Linux: EINVAL with no urgent byte, one already
 * read, or SO_OOBINLINE (the byte is in the stream); EAGAIN while the
 * pointer is known but its byte has not arrived; 0 once the peer has
 * closed and it never will.
 *
 * Return: 1 (the byte, with MSG_OOB in msg_flags), 0, or a negative errno.
 */
int xtcp_urg_recv(struct sock *sk, struct msghdr *msg, size_t len, int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 byte = xs->urg_byte;

	if (sock_flag(sk, SOCK_URGINLINE) || xs->urg_state == XTCP_URG_NONE ||
	    xs->urg_state == XTCP_URG_READ)
		return -EINVAL;
	if (sk->sk_state == TCP_CLOSE && !sock_flag(sk, SOCK_DONE))
		return -ENOTCONN;
	if (xs->urg_state == XTCP_URG_VALID) {
		if (!(flags & MSG_PEEK))
			WRITE_ONCE(xs->urg_state, XTCP_URG_READ);
		msg->msg_flags |= MSG_OOB;
		if (!len) {
			msg->msg_flags |= MSG_TRUNC;
			return 0;
		}
		if (!(flags & MSG_TRUNC) && memcpy_to_msg(msg, &byte, 1))
			return -EFAULT;
		return 1;
	}
	if (sk->sk_state == TCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
		return 0;
	return -EAGAIN;
}

/**
 * xtcp_urg_clip() - keep a read from @pos from crossing the mark
 * @sk: the connection, locked
 * @pos: the reader's position
 * @chunk: bytes it would read from there; cut to end before the mark
 *
 * Return: true if the byte at @pos is the urgent byte out of the stream,
 * to be stepped over rather than read (not with SO_OOBINLINE).
 */
bool xtcp_urg_clip(const struct sock *sk, u32 pos, u32 *chunk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 to_mark = xs->urg_seq - pos;

	if (likely(xs->urg_state == XTCP_URG_NONE) || to_mark >= *chunk)
		return false;
	if (to_mark) {
		*chunk = to_mark;
		return false;
	}
	return !sock_flag(sk, SOCK_URGINLINE);
}

/**
 * xtcp_urg_at_mark() - is sequence number @pos the urgent byte?
 * @sk: the connection
 * @pos: a reader's position
 *
 * Return: true if a read from @pos stands at the mark.
 */
bool xtcp_urg_at_mark(const struct sock *sk, u32 pos)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return READ_ONCE(xs->urg_state) != XTCP_URG_NONE &&
	       READ_ONCE(xs->urg_seq) == pos;
}

/**
 * xtcp_urg_hole() - bytes the next read steps over, not returns
 * @sk: the connection
 *
 * Return: 1 if the reader stands at an urgent byte out of the stream,
 * else 0 (poll() needs one byte more to call the socket readable).
 */
int xtcp_urg_hole(const struct sock *sk)
{
	return xtcp_urg_at_mark(sk, READ_ONCE(xtcp_sk(sk)->copied_seq)) &&
	       !sock_flag(sk, SOCK_URGINLINE);
}

/**
 * xtcp_urg_pending() - is an urgent byte waiting for recv(MSG_OOB)?
 * @sk: the connection
 *
 * Return: true for EPOLLPRI.
 */
bool xtcp_urg_pending(const struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->urg_state) == XTCP_URG_VALID;
}

/**
 * xtcp_urg_reset() - the connection is gone: no urgent data either way
 * @sk: the connection, locked
 */
void xtcp_urg_reset(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	WRITE_ONCE(xs->urg_state, XTCP_URG_NONE);
	xs->snd_urg = 0;
}
