// SPDX-License-Identifier: GPL-2.0
/*
 * TCP options (RFC 9293 section 3.2): parse the option bytes of a segment
 * into struct xtcp_opts, decode its SACK blocks (RFC 2018), and build the
 * options xtcp sends: xtcp_opts_build() on a SYN or SYN-ACK,
 * xtcp_opts_build_nonsyn() and xtcp_opts_build_sack() on every other
 * segment. Two builders rather than one with a flag, because the two
 * layouts share nothing but the timestamp, and a segment without SYN must
 * never carry MSS, WSCALE or SACK_PERM whatever bits the caller's
 * struct xtcp_opts happens to hold.
 *
 * All are pure functions on byte buffers, so KUnit tests them directly
 * (kunit/options_test.c). The parser does not know whether the segment is
 * a SYN: the caller ignores what does not belong in its segment (RFC 9293
 * MUST-65, RFC 7323 section 2.2).
 */

#include <linux/align.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <xtcp/compat.h>
#include <xtcp/options.h>

/* Lengths of the options xtcp knows, kind and length bytes included. */
#define XTCP_OPTLEN_MSS		4
#define XTCP_OPTLEN_WSCALE	3
#define XTCP_OPTLEN_SACK_PERM	2
#define XTCP_OPTLEN_TIMESTAMP	10
/* A SACK option: kind, length, then 8 bytes per block (RFC 2018 3). */
#define XTCP_OPTLEN_SACK_BASE	2
#define XTCP_SACK_BLOCK_LEN	8
/* Fast Open: kind and length, then the cookie; the experiment adds 2. */
#define XTCP_OPTLEN_FO_BASE	2
#define XTCP_OPTLEN_FO_EXP_BASE	4

/* The largest shift a window scale option may ask for (RFC 7323 2.3). */
#define XTCP_MAX_WSCALE		14

/*
 * A Fast Open option of @len bytes, the cookie after @hdr of them: a
 * request (no cookie) or a cookie of 4 to 16 bytes, an even number (RFC
 * 7413 4.1.1). Any other length is ignored, as Linux's
 * tcp_parse_fastopen_option() does; only where the cookie lies is kept.
 */
static void xtcp_opt_take_fo(const u8 *base, const u8 *p, u8 len, u8 hdr,
			     bool exp, struct xtcp_opts *opts)
{
	u8 clen = len - hdr;

	if (clen && (clen < XTCP_FO_COOKIE_MIN || clen > XTCP_FO_COOKIE_MAX ||
		     (clen & 1)))
		return;
	opts->fo_off = p - base + hdr;
	opts->fo_len = clen;
	opts->present |= XTCP_HAS_FASTOPEN;
	if (exp)
		opts->present |= XTCP_HAS_FASTOPEN_EXP;
	else
		opts->present &= ~XTCP_HAS_FASTOPEN_EXP;
}

/*
 * Take the value of the option at @p, whose length byte is sane, in the
 * list that starts at @base. Returns
 * nothing: a known kind with the wrong length is skipped as if unknown,
 * as Linux does, rather than dropping the segment. Only a length that
 * breaks the walk itself (see xtcp_opts_parse()) makes the list illegal.
 */
static void xtcp_opt_take(const u8 *base, const u8 *p, u8 len,
			  struct xtcp_opts *opts)
{
	u8 kind = p[0];

	switch (kind) {
	case XTCP_OPT_MSS:
		if (len != XTCP_OPTLEN_MSS)
			return;
		opts->mss = get_unaligned_be16(p + 2);
		opts->present |= XTCP_HAS_MSS;
		break;
	case XTCP_OPT_WSCALE:
		if (len != XTCP_OPTLEN_WSCALE)
			return;
		/* RFC 7323 2.3: use 14 for any larger shift, and go on. */
		opts->wscale = min_t(u8, p[2], XTCP_MAX_WSCALE);
		opts->present |= XTCP_HAS_WSCALE;
		break;
	case XTCP_OPT_SACK_PERM:
		if (len != XTCP_OPTLEN_SACK_PERM)
			return;
		opts->present |= XTCP_HAS_SACK_PERM;
		break;
	case XTCP_OPT_TIMESTAMP:
		if (len != XTCP_OPTLEN_TIMESTAMP)
			return;
		opts->tsval = get_unaligned_be32(p + 2);
		opts->tsecr = get_unaligned_be32(p + 6);
		opts->present |= XTCP_HAS_TIMESTAMP;
		break;
	case XTCP_OPT_SACK:
		/* 1 to 4 blocks; anything else cannot be read as blocks. */
		if (len < XTCP_OPTLEN_SACK_BASE + XTCP_SACK_BLOCK_LEN ||
		    (len - XTCP_OPTLEN_SACK_BASE) % XTCP_SACK_BLOCK_LEN ||
		    (len - XTCP_OPTLEN_SACK_BASE) / XTCP_SACK_BLOCK_LEN >
		    XTCP_MAX_SACK_BLOCKS)
			return;
		/*
		 * Only where the blocks are: copying up to 32 bytes would
		 * not fit in skb->cb, and most ACKs never need them.
		 */
		opts->sack_off = p - base + XTCP_OPTLEN_SACK_BASE;
		opts->nr_sack = (len - XTCP_OPTLEN_SACK_BASE) /
				XTCP_SACK_BLOCK_LEN;
		opts->present |= XTCP_HAS_SACK;
		break;
	case XTCP_OPT_FASTOPEN:
		xtcp_opt_take_fo(base, p, len, XTCP_OPTLEN_FO_BASE, false, opts);
		break;
	case XTCP_OPT_EXP:
		/* Only the Fast Open experiment; others are unknown kinds. */
		if (len >= XTCP_OPTLEN_FO_EXP_BASE &&
		    get_unaligned_be16(p + 2) == XTCP_FASTOPEN_MAGIC)
			xtcp_opt_take_fo(base, p, len, XTCP_OPTLEN_FO_EXP_BASE,
					 true, opts);
		break;
	default:
		/* Kinds xtcp does not know are ignored without error (MUST-6). */
		break;
	}
}

/**
 * xtcp_opts_parse() - read the options of a received segment
 * @p: the option bytes, just after the fixed 20-byte header
 * @len: how many there are (data offset * 4 - 20)
 * @opts: filled with what was found; zeroed first
 *
 * Options may start on any byte (MUST-64). EOL ends the list, whatever
 * follows it; NOP is one byte; every other kind has a length byte that
 * counts the kind and length bytes too. Unknown kinds are skipped by their
 * length (MUST-6). A known kind with the wrong length (MSS not 4, WSCALE
 * not 3, SACK_PERM not 2, TIMESTAMP not 10, SACK not 2 + 8n with n from 1
 * to 4) is skipped by its length and its XTCP_HAS_* bit stays clear. A
 * window scale above 14 reads as 14 (RFC 7323 2.3). SACK blocks are not
 * copied: @opts records where they are, for xtcp_opts_sack(). If a kind
 * repeats, the last one counts.
 * Values are reported as received; whether they make sense (an MSS of
 * zero, an MSS on a segment without SYN) is for the caller to judge.
 *
 * Return: 0, or -EINVAL if the list is illegal: a length byte below 2,
 * one that runs past @len, or a kind at the very end with no length byte.
 * The caller drops such a segment (MUST-7); @opts then holds what was read
 * before the fault and must not be used.
 */
int xtcp_opts_parse(const u8 *p, unsigned int len, struct xtcp_opts *opts)
{
	unsigned int i = 0;

	/* It rides in skb->cb beside the rest of the parsed segment. */
	BUILD_BUG_ON(sizeof(*opts) > 16);
	/* sack_off is a u8. */
	BUILD_BUG_ON(XTCP_MAX_OPT_LEN > U8_MAX);

	memset(opts, 0, sizeof(*opts));
	while (i < len) {
		u8 kind = p[i];
		u8 olen;

		if (kind == XTCP_OPT_EOL)
			break;
		if (kind == XTCP_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return -EINVAL;
		olen = p[i + 1];
		if (olen < 2 || olen > len - i)
			return -EINVAL;
		xtcp_opt_take(p, p + i, olen, opts);
		i += olen;
	}
	return 0;
}

/*
 * On a SYN, xtcp lays its options out as Linux TCP does, each in a 32-bit
 * word of its own or padded to one with NOPs, so that the receiver reads
 * every value aligned:
 *
 *	MSS:			02 04 <mss>
 *	SACK_PERM + TIMESTAMP:	04 02 08 0a <tsval> <tsecr>
 *	TIMESTAMP alone:	01 01 08 0a <tsval> <tsecr>
 *	SACK_PERM alone:	01 01 04 02
 *	WSCALE:			01 03 03 <shift>
 *
 * Every piece is whole words, so the list always ends on a word boundary
 * with no EOL and no padding after it (MUST-69 never comes into play).
 */
#define XTCP_SYN_MSS_LEN	4
#define XTCP_SYN_SACK_TS_LEN	12
#define XTCP_SYN_SACK_LEN	4
#define XTCP_SYN_WSCALE_LEN	4

static unsigned int xtcp_opts_build_len(u8 present)
{
	unsigned int len = 0;

	if (present & XTCP_HAS_MSS)
		len += XTCP_SYN_MSS_LEN;
	if (present & XTCP_HAS_TIMESTAMP)
		len += XTCP_SYN_SACK_TS_LEN;
	else if (present & XTCP_HAS_SACK_PERM)
		len += XTCP_SYN_SACK_LEN;
	if (present & XTCP_HAS_WSCALE)
		len += XTCP_SYN_WSCALE_LEN;
	return len;
}

/**
 * xtcp_opts_build() - write the options of an outgoing SYN
 * @p: where the option bytes go, just after the fixed header
 * @room: how many bytes may be written at @p
 * @opts: the options to send: those whose XTCP_HAS_* bit is set
 *
 * The layout is Linux TCP's on a SYN (see above), so middleboxes and
 * peers see what they are used to. Bits of @opts->present that xtcp does
 * not know are ignored. Nothing past the returned length is written.
 *
 * Return: the number of bytes written, a multiple of 4 and at most
 * XTCP_MAX_OPT_LEN; 0 if there is nothing to send or it does not fit in
 * @room, in which case nothing is written.
 */
unsigned int xtcp_opts_build(u8 *p, unsigned int room,
			     const struct xtcp_opts *opts)
{
	unsigned int len = xtcp_opts_build_len(opts->present);
	u8 *q = p;

	/* The full set must fit in any TCP header. */
	BUILD_BUG_ON(XTCP_SYN_MSS_LEN + XTCP_SYN_SACK_TS_LEN +
		     XTCP_SYN_WSCALE_LEN > XTCP_MAX_OPT_LEN);
	BUILD_BUG_ON(XTCP_SYN_SACK_TS_LEN !=
		     XTCP_OPTLEN_SACK_PERM + XTCP_OPTLEN_TIMESTAMP);

	if (len > room)
		return 0;

	if (opts->present & XTCP_HAS_MSS) {
		*q++ = XTCP_OPT_MSS;
		*q++ = XTCP_OPTLEN_MSS;
		put_unaligned_be16(opts->mss, q);
		q += 2;
	}
	if (opts->present & XTCP_HAS_TIMESTAMP) {
		/* SACK_PERM fills the two bytes that align the timestamps. */
		if (opts->present & XTCP_HAS_SACK_PERM) {
			*q++ = XTCP_OPT_SACK_PERM;
			*q++ = XTCP_OPTLEN_SACK_PERM;
		} else {
			*q++ = XTCP_OPT_NOP;
			*q++ = XTCP_OPT_NOP;
		}
		*q++ = XTCP_OPT_TIMESTAMP;
		*q++ = XTCP_OPTLEN_TIMESTAMP;
		put_unaligned_be32(opts->tsval, q);
		put_unaligned_be32(opts->tsecr, q + 4);
		q += 8;
	} else if (opts->present & XTCP_HAS_SACK_PERM) {
		*q++ = XTCP_OPT_NOP;
		*q++ = XTCP_OPT_NOP;
		*q++ = XTCP_OPT_SACK_PERM;
		*q++ = XTCP_OPTLEN_SACK_PERM;
	}
	if (opts->present & XTCP_HAS_WSCALE) {
		*q++ = XTCP_OPT_NOP;
		*q++ = XTCP_OPT_WSCALE;
		*q++ = XTCP_OPTLEN_WSCALE;
		*q++ = opts->wscale;
	}
	return len;
}

/**
 * xtcp_opts_sack() - decode the SACK blocks of a parsed segment
 * @optbase: the option bytes that were given to xtcp_opts_parse()
 * @opts: what xtcp_opts_parse() made of them
 * @blk: room for XTCP_MAX_SACK_BLOCKS blocks, filled in host byte order
 *	and in the order the peer sent them (the first is the most recent,
 *	or a D-SACK, RFC 2883)
 *
 * The blocks are read as sent: whether they make sense against the send
 * window is for the scoreboard (xtcp_sb_update()) to judge.
 *
 * Return: how many blocks were written to @blk, 0 if @opts has no SACK.
 */
int xtcp_opts_sack(const u8 *optbase, const struct xtcp_opts *opts,
		   struct xtcp_sack_block *blk)
{
	const u8 *q = optbase + opts->sack_off;
	int i;

	if (!(opts->present & XTCP_HAS_SACK))
		return 0;
	for (i = 0; i < opts->nr_sack && i < XTCP_MAX_SACK_BLOCKS; i++) {
		blk[i].start = get_unaligned_be32(q);
		blk[i].end = get_unaligned_be32(q + 4);
		q += XTCP_SACK_BLOCK_LEN;
	}
	return i;
}

/*
 * On a segment without SYN the options go as RFC 7323 appendix A and
 * Linux TCP lay them out, every value on a 32-bit boundary:
 *
 *	TIMESTAMP:	01 01 08 0a <tsval> <tsecr>
 *	SACK:		01 01 05 <2 + 8n> <start> <end> ...
 *
 * 12 bytes of timestamps leave 28, room for 3 SACK blocks; without
 * timestamps 4 blocks fit (36 bytes).
 */
#define XTCP_NOSYN_TS_LEN	12
#define XTCP_NOSYN_SACK_LEN(n)	(2 + XTCP_OPTLEN_SACK_BASE + \
				 (n) * XTCP_SACK_BLOCK_LEN)

/**
 * xtcp_opts_sack_len() - header bytes a SACK option of @n blocks takes
 * @n: blocks (more than XTCP_MAX_SACK_BLOCKS count as that many)
 *
 * What xtcp_opts_build_sack() writes for @n blocks when room allows, so a
 * sender can shrink a segment's payload to make room for them.
 *
 * Return: 0 for no blocks, else 4 + 8 * @n (the two NOPs included).
 */
unsigned int xtcp_opts_sack_len(int n)
{
	if (n <= 0)
		return 0;
	return XTCP_NOSYN_SACK_LEN(min(n, XTCP_MAX_SACK_BLOCKS));
}

/**
 * xtcp_opts_build_sack() - append a SACK option to outgoing options
 * @p: where it goes: after the timestamps, if any
 * @room: how many bytes may be written at @p
 * @blk: the blocks, in host byte order, most important first (RFC 2018
 *	section 4: the block holding the segment that triggered the ACK,
 *	then the most recently reported ones)
 * @n: how many there are in @blk
 *
 * Writes NOP NOP SACK with the first blocks of @blk that fit in @room, at
 * most XTCP_MAX_SACK_BLOCKS; the rest are left out.
 *
 * Return: the number of bytes written, a multiple of 4; 0 if @n is not
 * positive or not even one block fits, in which case nothing is written.
 */
unsigned int xtcp_opts_build_sack(u8 *p, unsigned int room,
				  const struct xtcp_sack_block *blk, int n)
{
	unsigned int len;
	int i;

	BUILD_BUG_ON(XTCP_NOSYN_TS_LEN +
		     XTCP_NOSYN_SACK_LEN(XTCP_MAX_SACK_BLOCKS - 1) >
		     XTCP_MAX_OPT_LEN);
	BUILD_BUG_ON(XTCP_NOSYN_SACK_LEN(XTCP_MAX_SACK_BLOCKS) >
		     XTCP_MAX_OPT_LEN);

	if (n > XTCP_MAX_SACK_BLOCKS)
		n = XTCP_MAX_SACK_BLOCKS;
	while (n > 0 && XTCP_NOSYN_SACK_LEN(n) > room)
		n--;
	if (n <= 0)
		return 0;

	len = XTCP_NOSYN_SACK_LEN(n);
	*p++ = XTCP_OPT_NOP;
	*p++ = XTCP_OPT_NOP;
	*p++ = XTCP_OPT_SACK;
	*p++ = XTCP_OPTLEN_SACK_BASE + n * XTCP_SACK_BLOCK_LEN;
	for (i = 0; i < n; i++) {
		put_unaligned_be32(blk[i].start, p);
		put_unaligned_be32(blk[i].end, p + 4);
		p += XTCP_SACK_BLOCK_LEN;
	}
	return len;
}

/**
 * xtcp_opts_build_nonsyn() - write the options of a segment without SYN
 * @p: where the option bytes go, just after the fixed header
 * @room: how many bytes may be written at @p
 * @opts: with XTCP_HAS_TIMESTAMP, @opts->tsval and @opts->tsecr are sent;
 *	every other bit is ignored, as those options belong on a SYN only
 * @blk: SACK blocks to send after the timestamps, or NULL
 * @n: how many there are in @blk (0 for none)
 *
 * Timestamps come first: RFC 7323 section 3.2 wants them on every segment
 * once negotiated, whereas SACK blocks may be left out (RFC 2018 section
 * 4 asks for as many as fit). So with timestamps at most 3 blocks go.
 *
 * Return: the number of bytes written, a multiple of 4 and at most @room;
 * 0 if there is nothing to send or the timestamps do not fit, in which
 * case nothing is written.
 */
unsigned int xtcp_opts_build_nonsyn(u8 *p, unsigned int room,
				    const struct xtcp_opts *opts,
				    const struct xtcp_sack_block *blk, int n)
{
	unsigned int len = 0;

	if (opts && (opts->present & XTCP_HAS_TIMESTAMP)) {
		if (room < XTCP_NOSYN_TS_LEN)
			return 0;
		p[0] = XTCP_OPT_NOP;
		p[1] = XTCP_OPT_NOP;
		p[2] = XTCP_OPT_TIMESTAMP;
		p[3] = XTCP_OPTLEN_TIMESTAMP;
		put_unaligned_be32(opts->tsval, p + 4);
		put_unaligned_be32(opts->tsecr, p + 8);
		len = XTCP_NOSYN_TS_LEN;
	}
	if (blk)
		len += xtcp_opts_build_sack(p + len, room - len, blk, n);
	return len;
}

/**
 * xtcp_opts_fastopen() - decode the Fast Open option of a parsed segment
 * @optbase: the option bytes that were given to xtcp_opts_parse()
 * @opts: what xtcp_opts_parse() made of them
 * @c: filled with the cookie (length 0: a cookie request) and whether it
 *	came as the experimental option
 *
 * Return: 0, or -ENOENT if the segment has no (well-formed) Fast Open
 * option; @c is then a request-less empty cookie.
 */
int xtcp_opts_fastopen(const u8 *optbase, const struct xtcp_opts *opts,
		       struct xtcp_fo_cookie *c)
{
	memset(c, 0, sizeof(*c));
	if (!(opts->present & XTCP_HAS_FASTOPEN))
		return -ENOENT;
	c->len = min_t(u8, opts->fo_len, XTCP_FO_COOKIE_MAX);
	c->exp = !!(opts->present & XTCP_HAS_FASTOPEN_EXP);
	memcpy(c->val, optbase + opts->fo_off, c->len);
	return 0;
}

/**
 * xtcp_opts_build_fastopen() - append a Fast Open option to a SYN's options
 * @p: where it goes, after what xtcp_opts_build() wrote
 * @room: how many bytes may be written at @p
 * @c: the cookie to send (length 0: a cookie request), as kind 34 or, with
 *	@c->exp, as the experimental 254/0xF989 (answering a peer that used it)
 *
 * Laid out as Linux TCP does: kind, length (and the magic), the cookie,
 * then two NOPs when that leaves the list off a 32-bit boundary.
 *
 * Return: the bytes written, a multiple of 4; 0 (nothing written) if the
 * cookie's length is not one a cookie may have or it does not fit.
 */
unsigned int xtcp_opts_build_fastopen(u8 *p, unsigned int room,
				      const struct xtcp_fo_cookie *c)
{
	unsigned int hdr = c->exp ? XTCP_OPTLEN_FO_EXP_BASE :
				    XTCP_OPTLEN_FO_BASE;
	unsigned int olen = hdr + c->len;
	unsigned int len = ALIGN(olen, 4);

	if ((c->len && (c->len < XTCP_FO_COOKIE_MIN ||
			c->len > XTCP_FO_COOKIE_MAX || (c->len & 1))) ||
	    len > room)
		return 0;
	if (c->exp) {
		p[0] = XTCP_OPT_EXP;
		p[1] = olen;
		put_unaligned_be16(XTCP_FASTOPEN_MAGIC, p + 2);
	} else {
		p[0] = XTCP_OPT_FASTOPEN;
		p[1] = olen;
	}
	memcpy(p + hdr, c->val, c->len);
	if (len != olen) {
		p[olen] = XTCP_OPT_NOP;
		p[olen + 1] = XTCP_OPT_NOP;
	}
	return len;
}
