/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: every state change and every segment in and out.
 *
 *   echo 1 > /sys/kernel/tracing/events/xtcp/enable
 *   cat /sys/kernel/tracing/trace_pipe
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

#include <linux/tracepoint.h>
#include <net/tcp.h>
#include <xtcp/state.h>
#include <xtcp/xtcp.h>

#define xtcp_show_flags(f)						\
	__print_flags(f, "",						\
		{ TCPHDR_SYN, "S" }, { TCPHDR_FIN, "F" },		\
		{ TCPHDR_RST, "R" }, { TCPHDR_PSH, "P" },		\
		{ TCPHDR_ACK, "." }, { TCPHDR_URG, "U" })

TRACE_EVENT(xtcp_set_state,
	    TP_PROTO(const struct xtcp_key *key, int oldstate, int newstate),
	    TP_ARGS(key, oldstate, newstate),
	    TP_STRUCT__entry(__field(__be32, laddr)
			     __field(__be32, raddr)
			     __field(u16, lport)
			     __field(u16, rport)
			     __field(int, oldstate)
			     __field(int, newstate)
			     __array(char, oldname, XTCP_STATE_NAME_MAX)
			     __array(char, newname, XTCP_STATE_NAME_MAX)),
	    TP_fast_assign(__entry->laddr = key->laddr;
			   __entry->raddr = key->raddr;
			   __entry->lport = ntohs(key->lport);
			   __entry->rport = ntohs(key->rport);
			   __entry->oldstate = oldstate;
			   __entry->newstate = newstate;
			   strscpy(__entry->oldname, xtcp_state_name(oldstate),
				   XTCP_STATE_NAME_MAX);
			   strscpy(__entry->newname, xtcp_state_name(newstate),
				   XTCP_STATE_NAME_MAX);),
	    TP_printk("%pI4:%u %pI4:%u %s -> %s",
		      &__entry->laddr, __entry->lport,
		      &__entry->raddr, __entry->rport,
		      __entry->oldname, __entry->newname)
);

/* The congestion window after it changed: on an ACK, a loss, an RTO. */
TRACE_EVENT(xtcp_cwnd,
	    TP_PROTO(const struct xtcp_key *key, u32 cwnd, u32 ssthresh,
		     u32 mss, bool recovery),
	    TP_ARGS(key, cwnd, ssthresh, mss, recovery),
	    TP_STRUCT__entry(__field(__be32, laddr)
			     __field(__be32, raddr)
			     __field(u16, lport)
			     __field(u16, rport)
			     __field(u32, cwnd)
			     __field(u32, ssthresh)
			     __field(u32, mss)
			     __field(bool, recovery)),
	    TP_fast_assign(__entry->laddr = key->laddr;
			   __entry->raddr = key->raddr;
			   __entry->lport = ntohs(key->lport);
			   __entry->rport = ntohs(key->rport);
			   __entry->cwnd = cwnd;
			   __entry->ssthresh = ssthresh;
			   __entry->mss = mss;
			   __entry->recovery = recovery;),
	    TP_printk("%pI4:%u %pI4:%u cwnd=%u ssthresh=%u mss=%u%s",
		      &__entry->laddr, __entry->lport,
		      &__entry->raddr, __entry->rport,
		      __entry->cwnd, __entry->ssthresh, __entry->mss,
		      __entry->recovery ? " recovery" : "")
);

DECLARE_EVENT_CLASS(xtcp_segment,
		    TP_PROTO(const struct xtcp_key *key, u32 seq, u32 ack,
			     u8 flags, u16 wnd, u32 len, u16 mss, u16 segs),
		    TP_ARGS(key, seq, ack, flags, wnd, len, mss, segs),
		    TP_STRUCT__entry(__field(__be32, laddr)
				     __field(__be32, raddr)
				     __field(u16, lport)
				     __field(u16, rport)
				     __field(u32, seq)
				     __field(u32, ack)
				     __field(u8, flags)
				     __field(u16, wnd)
				     __field(u32, len)
				     __field(u16, mss)
				     __field(u16, segs)),
		    TP_fast_assign(__entry->laddr = key->laddr;
				   __entry->raddr = key->raddr;
				   __entry->lport = ntohs(key->lport);
				   __entry->rport = ntohs(key->rport);
				   __entry->seq = seq;
				   __entry->ack = ack;
				   __entry->flags = flags;
				   __entry->wnd = wnd;
				   __entry->len = len;
				   __entry->mss = mss;
				   __entry->segs = segs;),
		    TP_printk("%pI4:%u %pI4:%u [%s] seq=%u ack=%u win=%u len=%u mss=%u segs=%u",
			      &__entry->laddr, __entry->lport,
			      &__entry->raddr, __entry->rport,
			      xtcp_show_flags(__entry->flags), __entry->seq,
			      __entry->ack, __entry->wnd, __entry->len,
			      __entry->mss, __entry->segs)
);

/* Local end first in both: "in" came from the remote end, "out" goes to it. */
DEFINE_EVENT(xtcp_segment, xtcp_segment_in,
	     TP_PROTO(const struct xtcp_key *key, u32 seq, u32 ack, u8 flags,
		      u16 wnd, u32 len, u16 mss, u16 segs),
	     TP_ARGS(key, seq, ack, flags, wnd, len, mss, segs)
);

DEFINE_EVENT(xtcp_segment, xtcp_segment_out,
	     TP_PROTO(const struct xtcp_key *key, u32 seq, u32 ack, u8 flags,
		      u16 wnd, u32 len, u16 mss, u16 segs),
	     TP_ARGS(key, seq, ack, flags, wnd, len, mss, segs)
);

#endif /* _XTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
