/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: every state change and every segment in and out.
 *
 *   echo 1 > /sys/kernel/tracing/events/xtcp/enable
 *   cat /sys/kernel/tracing/trace_pipe
 *
 * Each event starts with the local end, then the remote one, as %pISpc
 * prints a socket address, as Linux's tcp:tcp_probe does: "10.0.0.1:5000"
 * for IPv4, "[fd00::1]:5000" for IPv6. An IPv6 socket's IPv4 connection
 * (v4-mapped, ipv6.c) is an IPv4 one here, as on the wire and in
 * /proc/net/xtcp. lport and rport are fields of their own, for filters.
 *
 * TIME_WAIT entries report their end as TIME_WAIT -> CLOSE. Segments carry
 * the MSS option's value when they have one (mss=0: none). One event per
 * skb: a GSO super-segment, in or out, is one event whose len is its whole
 * payload and segs the number of segments it makes on the wire.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xtcp

#if !defined(_XTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XTCP_TRACE_H

#include <linux/in6.h>
#include <linux/tracepoint.h>
#include <net/tcp.h>
#include <xtcp/state.h>
#include <xtcp/xtcp.h>

#ifndef _XTCP_TRACE_ADDRS
#define _XTCP_TRACE_ADDRS
/*
 * The ends of a 4-tuple as socket addresses in an event: @key's (its
 * ports always), or @key6's addresses when it is not NULL.
 */
static inline void xtcp_trace_addrs(u8 *laddr, u8 *raddr,
				    const struct xtcp_key *key,
				    const struct xtcp_key6 *key6)
{
	struct sockaddr_in6 *l6 = (void *)laddr, *r6 = (void *)raddr;
	struct sockaddr_in *l4 = (void *)laddr, *r4 = (void *)raddr;

	memset(laddr, 0, sizeof(*l6));
	memset(raddr, 0, sizeof(*r6));
	if (key6) {
		l6->sin6_family = AF_INET6;
		l6->sin6_port = key->lport;
		l6->sin6_addr = key6->laddr;
		r6->sin6_family = AF_INET6;
		r6->sin6_port = key->rport;
		r6->sin6_addr = key6->raddr;
		return;
	}
	l4->sin_family = AF_INET;
	l4->sin_port = key->lport;
	l4->sin_addr.s_addr = key->laddr;
	r4->sin_family = AF_INET;
	r4->sin_port = key->rport;
	r4->sin_addr.s_addr = key->raddr;
}

/* An entry's IPv6 4-tuple, NULL for an IPv4 one. */
static inline const struct xtcp_key6 *
xtcp_trace_key6(const struct xtcp_hnode *h)
{
	return h->v6 ? xtcp_hkey6((struct xtcp_hnode *)h) : NULL;
}
#endif

#define xtcp_show_flags(f)						\
	__print_flags(f, "",						\
		{ TCPHDR_SYN, "S" }, { TCPHDR_FIN, "F" },		\
		{ TCPHDR_RST, "R" }, { TCPHDR_PSH, "P" },		\
		{ TCPHDR_ACK, "." }, { TCPHDR_URG, "U" })

TRACE_EVENT(xtcp_set_state,
	    TP_PROTO(const struct xtcp_hnode *h, int oldstate, int newstate),
	    TP_ARGS(h, oldstate, newstate),
	    TP_STRUCT__entry(__array(u8, laddr, sizeof(struct sockaddr_in6))
			     __array(u8, raddr, sizeof(struct sockaddr_in6))
			     __field(u16, lport)
			     __field(u16, rport)
			     __field(int, oldstate)
			     __field(int, newstate)
			     __array(char, oldname, XTCP_STATE_NAME_MAX)
			     __array(char, newname, XTCP_STATE_NAME_MAX)),
	    TP_fast_assign(xtcp_trace_addrs(__entry->laddr, __entry->raddr,
					    &h->key, xtcp_trace_key6(h));
			   __entry->lport = ntohs(h->key.lport);
			   __entry->rport = ntohs(h->key.rport);
			   __entry->oldstate = oldstate;
			   __entry->newstate = newstate;
			   strscpy(__entry->oldname, xtcp_state_name(oldstate),
				   XTCP_STATE_NAME_MAX);
			   strscpy(__entry->newname, xtcp_state_name(newstate),
				   XTCP_STATE_NAME_MAX);),
	    TP_printk("%pISpc %pISpc %s -> %s",
		      __entry->laddr, __entry->raddr,
		      __entry->oldname, __entry->newname)
);

/* The congestion window after it changed: on an ACK, a loss, an RTO. */
TRACE_EVENT(xtcp_cwnd,
	    TP_PROTO(const struct xtcp_hnode *h, u32 cwnd, u32 ssthresh,
		     u32 mss, bool recovery),
	    TP_ARGS(h, cwnd, ssthresh, mss, recovery),
	    TP_STRUCT__entry(__array(u8, laddr, sizeof(struct sockaddr_in6))
			     __array(u8, raddr, sizeof(struct sockaddr_in6))
			     __field(u16, lport)
			     __field(u16, rport)
			     __field(u32, cwnd)
			     __field(u32, ssthresh)
			     __field(u32, mss)
			     __field(bool, recovery)),
	    TP_fast_assign(xtcp_trace_addrs(__entry->laddr, __entry->raddr,
					    &h->key, xtcp_trace_key6(h));
			   __entry->lport = ntohs(h->key.lport);
			   __entry->rport = ntohs(h->key.rport);
			   __entry->cwnd = cwnd;
			   __entry->ssthresh = ssthresh;
			   __entry->mss = mss;
			   __entry->recovery = recovery;),
	    TP_printk("%pISpc %pISpc cwnd=%u ssthresh=%u mss=%u%s",
		      __entry->laddr, __entry->raddr, __entry->cwnd,
		      __entry->ssthresh, __entry->mss,
		      __entry->recovery ? " recovery" : "")
);

DECLARE_EVENT_CLASS(xtcp_segment,
		    TP_PROTO(const struct xtcp_key *key,
			     const struct xtcp_key6 *key6, u32 seq, u32 ack,
			     u8 flags, u16 wnd, u32 len, u16 mss, u16 segs),
		    TP_ARGS(key, key6, seq, ack, flags, wnd, len, mss, segs),
		    TP_STRUCT__entry(__array(u8, laddr, sizeof(struct sockaddr_in6))
				     __array(u8, raddr, sizeof(struct sockaddr_in6))
				     __field(u16, lport)
				     __field(u16, rport)
				     __field(u32, seq)
				     __field(u32, ack)
				     __field(u8, flags)
				     __field(u16, wnd)
				     __field(u32, len)
				     __field(u16, mss)
				     __field(u16, segs)),
		    TP_fast_assign(xtcp_trace_addrs(__entry->laddr, __entry->raddr,
						    key, key6);
				   __entry->lport = ntohs(key->lport);
				   __entry->rport = ntohs(key->rport);
				   __entry->seq = seq;
				   __entry->ack = ack;
				   __entry->flags = flags;
				   __entry->wnd = wnd;
				   __entry->len = len;
				   __entry->mss = mss;
				   __entry->segs = segs;),
		    TP_printk("%pISpc %pISpc [%s] seq=%u ack=%u win=%u len=%u mss=%u segs=%u",
			      __entry->laddr, __entry->raddr,
			      xtcp_show_flags(__entry->flags), __entry->seq,
			      __entry->ack, __entry->wnd, __entry->len,
			      __entry->mss, __entry->segs)
);

/* Local end first in both: "in" came from the remote end, "out" goes to it. */
DEFINE_EVENT(xtcp_segment, xtcp_segment_in,
	     TP_PROTO(const struct xtcp_key *key, const struct xtcp_key6 *key6,
		      u32 seq, u32 ack, u8 flags, u16 wnd, u32 len, u16 mss,
		      u16 segs),
	     TP_ARGS(key, key6, seq, ack, flags, wnd, len, mss, segs)
);

DEFINE_EVENT(xtcp_segment, xtcp_segment_out,
	     TP_PROTO(const struct xtcp_key *key, const struct xtcp_key6 *key6,
		      u32 seq, u32 ack, u8 flags, u16 wnd, u32 len, u16 mss,
		      u16 segs),
	     TP_ARGS(key, key6, seq, ack, flags, wnd, len, mss, segs)
);

#endif /* _XTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
