/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an ICMP or ICMPv6 error about one of xtcp's segments means: pure
 * decisions, used by mod/icmp.c and tested by KUnit (kunit/icmp_test.c).
 */
#ifndef _XTCP_ICMP_H
#define _XTCP_ICMP_H

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/icmp.h>
#include <xtcp/seq.h>

/* The ICMP errors about a segment; every other type is not ours. */
static inline bool xtcp_icmp_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB;
}

/* The errors that end an embryonic connection (Linux's tcp_req_err()). */
static inline bool xtcp_icmp_ends_req(u8 type, u8 code)
{
	return type == ICMP_PARAMETERPROB || type == ICMP_TIME_EXCEEDED ||
	       (type == ICMP_DEST_UNREACH &&
		(code == ICMP_NET_UNREACH || code == ICMP_HOST_UNREACH));
}

/*
 * RFC 6069: "net or host unreachable" about the segment at SND.UNA says a
 * route is broken, not that a queue overflowed; it takes back one RTO
 * backoff (as Linux's tcp_v4_err(), which takes only these two codes).
 */
static inline bool xtcp_icmp_reverts_rto(u8 type, u8 code)
{
	return type == ICMP_DEST_UNREACH &&
	       (code == ICMP_NET_UNREACH || code == ICMP_HOST_UNREACH);
}

/**
 * xtcp_icmp_errno() - the errno an ICMP error stands for, as Linux TCP
 *	maps them
 * @type: ICMP type
 * @code: ICMP code
 *
 * Return: the negative errno, or 0 if the error is to be ignored: source
 * quench (RFC 6633) and unreachable codes beyond those RFC 1812 defines.
 */
static inline int xtcp_icmp_errno(u8 type, u8 code)
{
	switch (type) {
	case ICMP_PARAMETERPROB:
		return -EPROTO;
	case ICMP_TIME_EXCEEDED:
		return -EHOSTUNREACH;
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH)
			return 0;
		return -icmp_err_convert[code].errno;
	}
	return 0;
}

/* The ICMPv6 errors (RFC 4443 2.1: types below 128); all reach TCP. */
static inline bool xtcp_icmp6_is_error(u8 type)
{
	return !(type & ICMPV6_INFOMSG_MASK);
}

/**
 * struct xtcp_icmp_what - what an error means for a connection, whichever
 *	family it came in
 * @err: the errno it stands for, 0 if it is to be ignored
 * @too_big: "fragmentation needed" or "packet too big": the path MTU
 * @ends_req: it ends an embryonic connection whose SYN-ACK it quotes
 * @reverts_rto: RFC 6069: about the segment at SND.UNA it takes back one
 *	RTO backoff
 */
struct xtcp_icmp_what {
	int err;
	bool too_big;
	bool ends_req;
	bool reverts_rto;
};

/**
 * xtcp_icmp_what() - the meaning of an ICMP (@v6 false) or ICMPv6 error
 * @v6: the error is ICMPv6
 * @type: its type
 * @code: its code
 *
 * ICMPv6 as tcp_v6_err() takes it: the errno from icmpv6_err_convert()
 * (port unreachable ECONNREFUSED, no route ENETUNREACH, address
 * unreachable and time exceeded EHOSTUNREACH, administratively
 * prohibited EACCES, every other error EPROTO), and an embryonic
 * connection ends on the errors it calls fatal. RFC 6069 names both "no
 * route" and "address unreachable" (section 4, the ICMPv6 counterparts
 * of "net" and "host unreachable"); Linux reverts on "no route" only.
 * xtcp takes both, as it takes both IPv4 codes.
 *
 * Return: the meaning; err is positive.
 */
static inline struct xtcp_icmp_what xtcp_icmp_what(bool v6, u8 type, u8 code)
{
	struct xtcp_icmp_what w = {};

	if (!v6) {
		w.err = -xtcp_icmp_errno(type, code);
		w.too_big = type == ICMP_DEST_UNREACH &&
			    code == ICMP_FRAG_NEEDED;
		w.ends_req = xtcp_icmp_ends_req(type, code);
		w.reverts_rto = xtcp_icmp_reverts_rto(type, code);
		return w;
	}
	w.ends_req = icmpv6_err_convert(type, code, &w.err);
	w.too_big = type == ICMPV6_PKT_TOOBIG;
	w.reverts_rto = type == ICMPV6_DEST_UNREACH &&
			(code == ICMPV6_NOROUTE || code == ICMPV6_ADDR_UNREACH);
	return w;
}

/*
 * RFC 5927 section 4.1: an error is believed only if the sequence number it
 * quotes is one we sent and that is not yet acknowledged, SND.UNA <= SEQ <=
 * SND.MAX (Linux's test too: SND.MAX itself is a SYN or FIN's number, or a
 * zero-window probe's).
 */
static inline bool xtcp_icmp_seq_ok(u32 snd_una, u32 seq, u32 snd_max)
{
	return xtcp_seq_between(snd_una, seq, snd_max);
}

#endif /* _XTCP_ICMP_H */
