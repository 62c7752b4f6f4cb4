/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP options (RFC 9293 section 3.2): parsing what arrives and building
 * what goes out. Pure functions on byte buffers, tested by KUnit.
 */
#ifndef _XTCP_OPTIONS_H
#define _XTCP_OPTIONS_H

#include <linux/types.h>

/* Option kinds xtcp knows (IANA TCP option kind numbers). */
enum {
	XTCP_OPT_EOL = 0,
	XTCP_OPT_NOP = 1,
	XTCP_OPT_MSS = 2,
	XTCP_OPT_WSCALE = 3,
	XTCP_OPT_SACK_PERM = 4,
	XTCP_OPT_SACK = 5,
	XTCP_OPT_TIMESTAMP = 8,
	XTCP_OPT_FASTOPEN = 34,		/* TCP Fast Open cookie, RFC 7413 */
	XTCP_OPT_EXP = 254,		/* RFC 6994 experiments: 0xF989 is TFO */
};

/* The experiment ID of TCP Fast Open before kind 34 (Linux still reads it). */
#define XTCP_FASTOPEN_MAGIC	0xF989

/* Bits of struct xtcp_opts::present. */
#define XTCP_HAS_MSS		BIT(0)
#define XTCP_HAS_WSCALE		BIT(1)
#define XTCP_HAS_SACK_PERM	BIT(2)
#define XTCP_HAS_TIMESTAMP	BIT(3)
#define XTCP_HAS_SACK		BIT(4)
#define XTCP_HAS_FASTOPEN	BIT(5)
/* With XTCP_HAS_FASTOPEN: it came as the experimental option 254/0xF989. */
#define XTCP_HAS_FASTOPEN_EXP	BIT(6)

/* A Fast Open cookie is 4 to 16 bytes, an even number (RFC 7413 4.1.1). */
#define XTCP_FO_COOKIE_MIN	4
#define XTCP_FO_COOKIE_MAX	16

/**
 * struct xtcp_fo_cookie - a TCP Fast Open cookie (RFC 7413)
 * @len: its bytes; 0 is a cookie request (the option without a cookie)
 * @exp: sent or to be sent as the experimental option 254/0xF989
 * @val: the cookie
 */
struct xtcp_fo_cookie {
	u8 len;
	bool exp;
	u8 val[XTCP_FO_COOKIE_MAX];
};

/* At most four SACK blocks fit in the option space (RFC 2018 section 3). */
#define XTCP_MAX_SACK_BLOCKS	4

/**
 * struct xtcp_sack_block - one SACK block: bytes [@start, @end) arrived
 * @start: first sequence number of the block
 * @end: sequence number just past the block
 */
struct xtcp_sack_block {
	u32 start;
	u32 end;
};

/* The most option bytes a TCP header holds: (15 - 5) * 4. */
#define XTCP_MAX_OPT_LEN	40

/**
 * struct xtcp_opts - the options of one segment that xtcp understands
 * @present: XTCP_HAS_* bits for the options seen (parse) or to send (build)
 * @mss: Maximum Segment Size, valid with XTCP_HAS_MSS
 * @wscale: window scale shift, valid with XTCP_HAS_WSCALE
 * @tsval: timestamp value, valid with XTCP_HAS_TIMESTAMP
 * @tsecr: timestamp echo reply, valid with XTCP_HAS_TIMESTAMP
 * @sack_off: with XTCP_HAS_SACK, offset of the SACK option's first block
 *	from the start of the option bytes (decode with xtcp_opts_sack())
 * @nr_sack: with XTCP_HAS_SACK, how many blocks it holds
 * @fo_off: with XTCP_HAS_FASTOPEN, offset of the Fast Open cookie from the
 *	start of the option bytes (decode with xtcp_opts_fastopen())
 * @fo_len: with XTCP_HAS_FASTOPEN, the cookie's length, 0 for a request
 *
 * Kept small: it lives in skb->cb with the rest of a parsed segment, so
 * SACK blocks stay in the header and are decoded only when needed.
 * xtcp_opts_build() and xtcp_opts_build_nonsyn() ignore @sack_off,
 * @nr_sack and XTCP_HAS_SACK: blocks to send are passed on their own.
 */
struct xtcp_opts {
	u8 present;
	u8 wscale;
	u16 mss;
	u32 tsval;
	u32 tsecr;
	u8 sack_off;
	u8 nr_sack;
	u8 fo_off;
	u8 fo_len;
};

int xtcp_opts_parse(const u8 *p, unsigned int len, struct xtcp_opts *opts);
int xtcp_opts_sack(const u8 *optbase, const struct xtcp_opts *opts,
		   struct xtcp_sack_block *blk);

/* Options of a SYN or SYN-ACK: MSS, SACK_PERM, TIMESTAMP, WSCALE. */
unsigned int xtcp_opts_build(u8 *p, unsigned int room,
			     const struct xtcp_opts *opts);
/* Options of any other segment: TIMESTAMP, then SACK blocks. */
unsigned int xtcp_opts_build_nonsyn(u8 *p, unsigned int room,
				    const struct xtcp_opts *opts,
				    const struct xtcp_sack_block *blk, int n);
unsigned int xtcp_opts_build_sack(u8 *p, unsigned int room,
				  const struct xtcp_sack_block *blk, int n);
unsigned int xtcp_opts_sack_len(int n);
int xtcp_opts_fastopen(const u8 *optbase, const struct xtcp_opts *opts,
		       struct xtcp_fo_cookie *c);
unsigned int xtcp_opts_build_fastopen(u8 *p, unsigned int room,
				      const struct xtcp_fo_cookie *c);

#endif /* _XTCP_OPTIONS_H */
