/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an ICMP error about one of xtcp's segments means: pure decisions,
 * used by mod/icmp.c and tested by KUnit (kunit/icmp_test.c).
 */
#ifndef _XTCP_ICMP_H
#define _XTCP_ICMP_H

#include <linux/icmp.h>
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
