// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: TCP option parsing and building (mod/options.c), on the bytes
 * that real peers send and on the malformed lists RFC 9293 3.1 says a
 * receiver must survive.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xtcp/compat.h>
#include <xtcp/options.h>

/* What Linux TCP puts on a SYN: MSS 1460, SACK_PERM, TS, WSCALE 7. */
static const u8 linux_syn[] = {
	0x02, 0x04, 0x05, 0xb4,			/* MSS 1460 */
	0x04, 0x02,				/* SACK_PERM */
	0x08, 0x0a, 0x9c, 0x1f, 0x3a, 0x51,	/* TS val 0x9c1f3a51 */
	0x00, 0x00, 0x00, 0x00,			/* ... ecr 0 */
	0x01, 0x03, 0x03, 0x07,			/* NOP, WSCALE 7 */
};

#define ALL_OPTS (XTCP_HAS_MSS | XTCP_HAS_WSCALE | XTCP_HAS_SACK_PERM | \
		  XTCP_HAS_TIMESTAMP)

/*
 * Parse a copy of @bytes on the heap, sized exactly @len: KASAN then
 * fails the test if the parser reads a byte past the end of the list.
 */
static int parse_exact(struct kunit *test, const u8 *bytes, unsigned int len,
		       struct xtcp_opts *opts)
{
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, bytes, len);
	return xtcp_opts_parse(buf, len, opts);
}

static void parse_ok(struct kunit *test, const u8 *bytes, unsigned int len,
		     struct xtcp_opts *opts)
{
	KUNIT_ASSERT_EQ(test, parse_exact(test, bytes, len, opts), 0);
}

/* Parse the array @bytes, which must succeed, into @opts. */
#define PARSE_OK(test, bytes, opts) parse_ok(test, bytes, sizeof(bytes), opts)

static void parse_reads_mss_alone(struct kunit *test)
{
	static const u8 b[] = { 0x02, 0x04, 0x05, 0xb4 };
	struct xtcp_opts o;

	PARSE_OK(test, b, &o);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_MSS);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
}

static void parse_reads_every_option_of_a_linux_syn(struct kunit *test)
{
	struct xtcp_opts o;

	PARSE_OK(test, linux_syn, &o);
	KUNIT_EXPECT_EQ(test, o.present, ALL_OPTS);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_EQ(test, o.wscale, 7);
	KUNIT_EXPECT_EQ(test, o.tsval, 0x9c1f3a51u);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0u);
}

static void parse_of_nothing_clears_every_field(struct kunit *test)
{
	struct xtcp_opts o;

	memset(&o, 0xa5, sizeof(o));
	KUNIT_ASSERT_EQ(test, xtcp_opts_parse(NULL, 0, &o), 0);
	KUNIT_EXPECT_EQ(test, o.present, 0);
	KUNIT_EXPECT_EQ(test, o.wscale, 0);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_EQ(test, o.tsval, 0u);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0u);
	KUNIT_EXPECT_EQ(test, o.sack_off, 0);
	KUNIT_EXPECT_EQ(test, o.nr_sack, 0);
}

static void parse_skips_nops_and_stops_at_eol(struct kunit *test)
{
	static const u8 b[] = {
		0x01, 0x01, 0x02, 0x04, 0x02, 0x18,	/* NOP NOP MSS 536 */
		0x00,					/* EOL */
		0x03, 0x03, 0x07,			/* not an option */
	};
	struct xtcp_opts o;

	PARSE_OK(test, b, &o);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_MSS);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
}

/* After EOL comes padding; even bytes that would be illegal are ignored. */
static void parse_ignores_whatever_follows_eol(struct kunit *test)
{
	static const u8 b[] = { 0x00, 0x02, 0x00, 0x05 };
	struct xtcp_opts o;

	PARSE_OK(test, b, &o);
	KUNIT_EXPECT_EQ(test, o.present, 0);
}

/* MUST-6: an unknown kind is stepped over by its length, data and all. */
static void parse_skips_unknown_kind_by_its_length(struct kunit *test)
{
	static const u8 b[] = {
		0xfd, 0x06, 0x02, 0x04, 0x00, 0x01,	/* experimental, 6 */
		0x1e, 0x02,				/* kind 30, empty */
		0x05, 0x0a, 0x00, 0x00, 0x00, 0x01,	/* SACK, one block */
		0x00, 0x00, 0x00, 0x02,
		0x03, 0x03, 0x09,			/* WSCALE 9 */
	};
	struct xtcp_opts o;

	PARSE_OK(test, b, &o);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_WSCALE | XTCP_HAS_SACK);
	KUNIT_EXPECT_EQ(test, o.wscale, 9);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_EQ(test, o.sack_off, 10);
	KUNIT_EXPECT_EQ(test, o.nr_sack, 1);
}

struct bad_list_case {
	const char *name;
	u8 bytes[12];
	unsigned int len;
};

/* MUST-7: lists whose lengths break the walk; the segment is dropped. */
static const struct bad_list_case bad_list_cases[] = {
	{ "mss_length_0", { 0x02, 0x00, 0x05, 0xb4 }, 4 },
	{ "unknown_length_0", { 0xfd, 0x00, 0x01, 0x01 }, 4 },
	{ "mss_length_1", { 0x02, 0x01, 0x05, 0xb4 }, 4 },
	{ "unknown_length_1", { 0x01, 0xfd, 0x01, 0x01 }, 4 },
	{ "mss_past_end", { 0x02, 0x04, 0x05 }, 3 },
	{ "ts_past_end", { 0x01, 0x01, 0x08, 0x0a, 1, 2, 3, 4, 5, 6, 7 }, 11 },
	{ "unknown_past_end", { 0xfd, 0x05, 0x00, 0x00 }, 4 },
	{ "second_option_past_end", { 0x02, 0x04, 0x05, 0xb4, 0x03, 0x03 }, 6 },
	{ "missing_length_at_end", { 0x02, 0x04, 0x05, 0xb4, 0x03 }, 5 },
	{ "lone_kind_after_nops", { 0x01, 0x01, 0x01, 0x08 }, 4 },
};

static void bad_list_desc(const struct bad_list_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(bad_list, bad_list_cases, bad_list_desc);

static void parse_rejects_illegal_length(struct kunit *test)
{
	const struct bad_list_case *c = test->param_value;
	struct xtcp_opts o;

	KUNIT_EXPECT_EQ(test, parse_exact(test, c->bytes, c->len, &o), -EINVAL);
}

/*
 * A known kind with the wrong length is skipped by its length, as an
 * unknown kind would be: its bit stays clear, and the options around it
 * still count.
 */
static void parse_ignores_known_kind_with_wrong_length(struct kunit *test)
{
	static const u8 bad_mss[] = {
		0x02, 0x05, 0x05, 0xb4, 0x00,	/* MSS, length 5 */
		0x03, 0x03, 0x07,		/* WSCALE 7 */
	};
	static const u8 bad_others[] = {
		0x03, 0x04, 0x07, 0x00,		/* WSCALE, length 4 */
		0x04, 0x03, 0x00,		/* SACK_PERM, length 3 */
		0x08, 0x08, 1, 2, 3, 4, 5, 6,	/* TS, length 8 */
		0x02, 0x04, 0x05, 0xb4,		/* MSS 1460 */
	};
	struct xtcp_opts o;

	PARSE_OK(test, bad_mss, &o);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_WSCALE);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_EQ(test, o.wscale, 7);

	PARSE_OK(test, bad_others, &o);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_MSS);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_EQ(test, o.wscale, 0);
	KUNIT_EXPECT_EQ(test, o.tsval, 0u);
}

/* RFC 7323 2.3: a shift above 14 is taken as 14, not refused. */
static void parse_clamps_wscale_to_14(struct kunit *test)
{
	static const u8 ws14[] = { 0x03, 0x03, 0x0e };
	static const u8 ws15[] = { 0x03, 0x03, 0x0f };
	static const u8 ws255[] = { 0x03, 0x03, 0xff };
	static const u8 ws0[] = { 0x03, 0x03, 0x00 };
	struct xtcp_opts o;

	PARSE_OK(test, ws14, &o);
	KUNIT_EXPECT_EQ(test, o.wscale, 14);
	PARSE_OK(test, ws15, &o);
	KUNIT_EXPECT_EQ(test, o.wscale, 14);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_WSCALE);
	PARSE_OK(test, ws255, &o);
	KUNIT_EXPECT_EQ(test, o.wscale, 14);
	PARSE_OK(test, ws0, &o);
	KUNIT_EXPECT_EQ(test, o.wscale, 0);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_WSCALE);
}

/* MUST-64: no NOPs to align anything, and the list at an odd address. */
static void parse_reads_unaligned_options(struct kunit *test)
{
	static const u8 b[] = {
		0x03, 0x03, 0x05,			/* WSCALE 5 */
		0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,	/* TS at offset 3 */
		0x55, 0x66, 0x77, 0x88,
		0x02, 0x04, 0x23, 0x28,			/* MSS 9000 at 13 */
		0x04, 0x02,				/* SACK_PERM at 17 */
	};
	u8 buf[sizeof(b) + 1];
	struct xtcp_opts o;

	memcpy(buf + 1, b, sizeof(b));
	KUNIT_ASSERT_EQ(test, xtcp_opts_parse(buf + 1, sizeof(b), &o), 0);
	KUNIT_EXPECT_EQ(test, o.present, ALL_OPTS);
	KUNIT_EXPECT_EQ(test, o.wscale, 5);
	KUNIT_EXPECT_EQ(test, o.tsval, 0x11223344u);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0x55667788u);
	KUNIT_EXPECT_EQ(test, o.mss, 9000);
}

static void parse_takes_the_last_of_a_repeated_kind(struct kunit *test)
{
	static const u8 b[] = {
		0x02, 0x04, 0x05, 0xb4,		/* MSS 1460 */
		0x02, 0x04, 0x02, 0x18,		/* MSS 536 */
	};
	struct xtcp_opts o;

	PARSE_OK(test, b, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
}

static void build_writes_a_linux_syn_byte_for_byte(struct kunit *test)
{
	struct xtcp_opts o = {
		.present = ALL_OPTS,
		.mss = 1460,
		.wscale = 7,
		.tsval = 0x9c1f3a51,
		.tsecr = 0,
	};
	u8 buf[XTCP_MAX_OPT_LEN];

	KUNIT_ASSERT_EQ(test, xtcp_opts_build(buf, sizeof(buf), &o),
			sizeof(linux_syn));
	KUNIT_EXPECT_MEMEQ(test, buf, linux_syn, sizeof(linux_syn));
}

static void build_writes_mss_alone(struct kunit *test)
{
	static const u8 want[] = { 0x02, 0x04, 0x05, 0xb4 };
	struct xtcp_opts o = { .present = XTCP_HAS_MSS, .mss = 1460 };
	u8 buf[XTCP_MAX_OPT_LEN];

	KUNIT_ASSERT_EQ(test, xtcp_opts_build(buf, sizeof(buf), &o),
			sizeof(want));
	KUNIT_EXPECT_MEMEQ(test, buf, want, sizeof(want));
}

/* Without its partner, SACK_PERM or TS is aligned by NOPs, as in Linux. */
static void build_aligns_lone_options_with_nops(struct kunit *test)
{
	static const u8 sack[] = { 0x01, 0x01, 0x04, 0x02 };
	static const u8 ts_ws[] = {
		0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 1, 0, 0, 0, 2,
		0x01, 0x03, 0x03, 0x0e,
	};
	struct xtcp_opts o = { .present = XTCP_HAS_SACK_PERM };
	u8 buf[XTCP_MAX_OPT_LEN];

	KUNIT_ASSERT_EQ(test, xtcp_opts_build(buf, sizeof(buf), &o),
			sizeof(sack));
	KUNIT_EXPECT_MEMEQ(test, buf, sack, sizeof(sack));

	o = (struct xtcp_opts){
		.present = XTCP_HAS_TIMESTAMP | XTCP_HAS_WSCALE,
		.tsval = 1, .tsecr = 2, .wscale = 14,
	};
	KUNIT_ASSERT_EQ(test, xtcp_opts_build(buf, sizeof(buf), &o),
			sizeof(ts_ws));
	KUNIT_EXPECT_MEMEQ(test, buf, ts_ws, sizeof(ts_ws));
}

/* Every combination of options comes back from parse as it went in. */
static void build_round_trips_through_parse(struct kunit *test)
{
	unsigned int present;

	for (present = 0; present <= ALL_OPTS; present++) {
		bool ts = present & XTCP_HAS_TIMESTAMP;
		struct xtcp_opts in = {
			.present = present,
			.mss = (present & XTCP_HAS_MSS) ? 1448 : 0,
			.wscale = (present & XTCP_HAS_WSCALE) ? 10 : 0,
			.tsval = ts ? 0xdeadbeef : 0,
			.tsecr = ts ? 0x01020304 : 0,
		};
		struct xtcp_opts out;
		u8 buf[XTCP_MAX_OPT_LEN];
		unsigned int len;

		len = xtcp_opts_build(buf, sizeof(buf), &in);
		KUNIT_EXPECT_EQ_MSG(test, len == 0, present == 0,
				    "present %#x", present);
		KUNIT_ASSERT_EQ(test, xtcp_opts_parse(buf, len, &out), 0);
		KUNIT_EXPECT_EQ_MSG(test, out.present, in.present,
				    "present %#x", present);
		KUNIT_EXPECT_EQ(test, out.mss, in.mss);
		KUNIT_EXPECT_EQ(test, out.wscale, in.wscale);
		KUNIT_EXPECT_EQ(test, out.tsval, in.tsval);
		KUNIT_EXPECT_EQ(test, out.tsecr, in.tsecr);
	}
}

static void build_into_too_little_room_writes_nothing(struct kunit *test)
{
	struct xtcp_opts o = { .present = ALL_OPTS, .mss = 1460, .wscale = 7 };
	u8 buf[XTCP_MAX_OPT_LEN];
	u8 untouched[XTCP_MAX_OPT_LEN];

	memset(buf, 0xa5, sizeof(buf));
	memset(untouched, 0xa5, sizeof(untouched));
	KUNIT_EXPECT_EQ(test, xtcp_opts_build(buf, sizeof(linux_syn) - 1, &o),
			0);
	KUNIT_EXPECT_EQ(test, xtcp_opts_build(buf, 0, &o), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, untouched, sizeof(buf));
	/* Exactly enough room is enough. */
	KUNIT_EXPECT_EQ(test, xtcp_opts_build(buf, sizeof(linux_syn), &o),
			sizeof(linux_syn));
}

/*
 * MUST-69: the list ends on a word boundary, any EOL is followed only by
 * zeros, and nothing past the returned length is written. (Linux's SYN
 * layout pads with NOPs and needs no EOL, so today the EOL clause holds
 * by construction; it guards any future layout.)
 */
static void build_pads_to_words_with_zeros_after_eol(struct kunit *test)
{
	unsigned int present;

	for (present = 1; present <= ALL_OPTS; present++) {
		struct xtcp_opts o = { .present = present, .mss = 1 };
		u8 buf[XTCP_MAX_OPT_LEN];
		unsigned int len, i;
		bool after_eol = false;

		memset(buf, 0xa5, sizeof(buf));
		len = xtcp_opts_build(buf, sizeof(buf), &o);
		KUNIT_EXPECT_EQ_MSG(test, len % 4, 0, "present %#x", present);
		KUNIT_EXPECT_GT(test, len, 0);
		KUNIT_EXPECT_LE(test, len, XTCP_MAX_OPT_LEN);
		/* Sane lengths, so the walk below stays inside buf. */
		KUNIT_ASSERT_EQ(test, xtcp_opts_parse(buf, len, &o), 0);
		for (i = 0; i < len; i++) {
			if (after_eol)
				KUNIT_EXPECT_EQ_MSG(test, buf[i], 0,
						    "present %#x byte %u",
						    present, i);
			else if (buf[i] == XTCP_OPT_EOL)
				after_eol = true;
			else if (buf[i] != XTCP_OPT_NOP)
				i += buf[i + 1] - 1;
		}
		for (i = len; i < sizeof(buf); i++)
			KUNIT_EXPECT_EQ_MSG(test, buf[i], 0xa5,
					    "present %#x byte %u", present, i);
	}
}

/* Block i of the test SACK options: distinct bytes in every position. */
static struct xtcp_sack_block test_block(int i)
{
	return (struct xtcp_sack_block){
		.start = 0x10203040u + i * 0x01010101u,
		.end = 0x8090a0b0u + i * 0x01010101u,
	};
}

/* Write NOP NOP SACK with blocks 0..n-1 of test_block() by hand. */
static unsigned int put_sack(u8 *p, int n)
{
	int i;

	p[0] = 0x01;
	p[1] = 0x01;
	p[2] = 0x05;
	p[3] = 2 + 8 * n;
	for (i = 0; i < n; i++) {
		struct xtcp_sack_block b = test_block(i);

		p[4 + 8 * i] = b.start >> 24;
		p[5 + 8 * i] = b.start >> 16;
		p[6 + 8 * i] = b.start >> 8;
		p[7 + 8 * i] = b.start;
		p[8 + 8 * i] = b.end >> 24;
		p[9 + 8 * i] = b.end >> 16;
		p[10 + 8 * i] = b.end >> 8;
		p[11 + 8 * i] = b.end;
	}
	return 4 + 8 * n;
}

static void expect_test_blocks(struct kunit *test,
			       const struct xtcp_sack_block *blk, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, blk[i].start, test_block(i).start,
				    "block %d of %d", i, n);
		KUNIT_EXPECT_EQ_MSG(test, blk[i].end, test_block(i).end,
				    "block %d of %d", i, n);
	}
}

/* One to four blocks, recorded in place and decoded in host order. */
static void parse_records_sack_of_1_to_4_blocks(struct kunit *test)
{
	int n;

	for (n = 1; n <= XTCP_MAX_SACK_BLOCKS; n++) {
		struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS + 1];
		u8 *buf = kunit_kmalloc(test, 4 + 8 * n, GFP_KERNEL);
		unsigned int len;
		struct xtcp_opts o;

		KUNIT_ASSERT_NOT_NULL(test, buf);
		len = put_sack(buf, n);
		memset(blk, 0xa5, sizeof(blk));
		KUNIT_ASSERT_EQ(test, xtcp_opts_parse(buf, len, &o), 0);
		KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_SACK);
		KUNIT_EXPECT_EQ(test, o.nr_sack, n);
		KUNIT_EXPECT_EQ(test, o.sack_off, 4);
		/* Decoding reads the same heap copy: KASAN guards the end. */
		KUNIT_ASSERT_EQ(test, xtcp_opts_sack(buf, &o, blk), n);
		expect_test_blocks(test, blk, n);
		/* Nothing past the n blocks is written. */
		KUNIT_EXPECT_EQ(test, blk[n].start, 0xa5a5a5a5u);
	}
}

/* SACK after unaligned timestamps, with no NOPs: MUST-64 again. */
static void parse_records_unaligned_sack_beside_timestamps(struct kunit *test)
{
	static const u8 ts[] = {
		0x08, 0x0a, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	};
	struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS];
	u8 sack[4 + 16], buf[1 + sizeof(ts) + 2 + 16];
	unsigned int len = sizeof(buf) - 1;
	struct xtcp_opts o;

	/* put_sack()'s two NOPs left out: the SACK starts at offset 10. */
	put_sack(sack, 2);
	memcpy(buf + 1, ts, sizeof(ts));
	memcpy(buf + 1 + sizeof(ts), sack + 2, sizeof(sack) - 2);
	KUNIT_ASSERT_EQ(test, xtcp_opts_parse(buf + 1, len, &o), 0);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_TIMESTAMP | XTCP_HAS_SACK);
	KUNIT_EXPECT_EQ(test, o.tsval, 0x11223344u);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0x55667788u);
	KUNIT_EXPECT_EQ(test, o.sack_off, 12);
	KUNIT_ASSERT_EQ(test, xtcp_opts_sack(buf + 1, &o, blk), 2);
	expect_test_blocks(test, blk, 2);
}

static void sack_decode_without_sack_is_empty(struct kunit *test)
{
	struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS];
	struct xtcp_opts o;

	PARSE_OK(test, linux_syn, &o);
	/* sack_off is 0 here: it must not be read as blocks. */
	KUNIT_EXPECT_EQ(test, xtcp_opts_sack(linux_syn, &o, blk), 0);
}

/*
 * A SACK length that is not 2 + 8n for n in 1..4 cannot be read as blocks:
 * skipped by its length like any known kind with a wrong length, so the
 * options around it still count.
 */
static void parse_skips_sack_of_wrong_length(struct kunit *test)
{
	static const u8 len2[] = { 0x05, 0x02, 0x03, 0x03, 0x07 };
	static const u8 len3[] = { 0x05, 0x03, 0xff, 0x03, 0x03, 0x07 };
	static const u8 len11[] = {
		0x05, 0x0b, 0, 0, 0, 1, 0, 0, 0, 2, 0xff,
		0x03, 0x03, 0x07,
	};
	struct xtcp_opts o;

	PARSE_OK(test, len2, &o);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_WSCALE);
	KUNIT_EXPECT_EQ(test, o.nr_sack, 0);
	PARSE_OK(test, len3, &o);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_WSCALE);
	KUNIT_EXPECT_EQ(test, o.wscale, 7);
	KUNIT_EXPECT_EQ(test, o.nr_sack, 0);
	PARSE_OK(test, len11, &o);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_WSCALE);
	KUNIT_EXPECT_EQ(test, o.nr_sack, 0);
	KUNIT_EXPECT_EQ(test, o.sack_off, 0);
}

/*
 * Lengths 34 and 42 where they do not fit. 34 (four blocks) is legal,
 * but not after 12 bytes of timestamps in a 40-byte list; 42 (five blocks)
 * never fits in a header. Both break the walk: -EINVAL, as any overrun.
 * Given a list long enough, 42 is well formed but not 2 + 8n with n <= 4,
 * so it is skipped.
 */
static void parse_sack_overrun_is_illegal(struct kunit *test)
{
	u8 buf[42];
	struct xtcp_opts o;

	memset(buf, 0, sizeof(buf));
	buf[0] = 0x01;
	buf[1] = 0x01;
	buf[2] = 0x08;
	buf[3] = 0x0a;
	buf[12] = 0x05;
	buf[13] = 34;
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, XTCP_MAX_OPT_LEN, &o),
			-EINVAL);
	/* The same four blocks with nothing before them are fine. */
	memmove(buf, buf + 12, 2);
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, 34, &o), 0);
	KUNIT_EXPECT_EQ(test, o.nr_sack, 4);

	memset(buf, 0, sizeof(buf));
	buf[0] = 0x05;
	buf[1] = 42;
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, XTCP_MAX_OPT_LEN, &o),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, 42, &o), 0);
	KUNIT_EXPECT_EQ(test, o.present, 0);
}

/* As for any kind, the last SACK option counts. */
static void parse_takes_the_last_sack(struct kunit *test)
{
	u8 buf[4 + 8 + 4 + 24];
	unsigned int len;
	struct xtcp_opts o;

	len = put_sack(buf, 1);
	len += put_sack(buf + len, 3);
	KUNIT_ASSERT_EQ(test, parse_exact(test, buf, len, &o), 0);
	KUNIT_EXPECT_EQ(test, o.nr_sack, 3);
	KUNIT_EXPECT_EQ(test, o.sack_off, 12 + 4);
}

static void build_sack_byte_for_byte(struct kunit *test)
{
	struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS];
	u8 want[XTCP_MAX_OPT_LEN], buf[XTCP_MAX_OPT_LEN];
	int i, n;

	for (i = 0; i < XTCP_MAX_SACK_BLOCKS; i++)
		blk[i] = test_block(i);
	for (n = 1; n <= XTCP_MAX_SACK_BLOCKS; n++) {
		unsigned int len = put_sack(want, n);

		memset(buf, 0xa5, sizeof(buf));
		KUNIT_ASSERT_EQ(test,
				xtcp_opts_build_sack(buf, sizeof(buf), blk, n),
				len);
		KUNIT_EXPECT_EQ(test, len % 4, 0);
		KUNIT_EXPECT_MEMEQ(test, buf, want, len);
		for (i = len; i < sizeof(buf); i++)
			KUNIT_EXPECT_EQ(test, buf[i], 0xa5);
	}
}

/* As many blocks as fit in the room, and never a byte past it. */
static void build_sack_fits_blocks_to_room(struct kunit *test)
{
	static const struct {
		unsigned int room;
		int n;
		unsigned int len;
	} c[] = {
		{ 0, 4, 0 }, { 11, 4, 0 }, { 12, 4, 12 }, { 19, 4, 12 },
		{ 20, 4, 20 }, { 28, 4, 28 }, { 35, 4, 28 }, { 36, 4, 36 },
		{ 100, 4, 36 }, { 100, 7, 36 }, { 40, 2, 20 }, { 40, 0, 0 },
		{ 40, -1, 0 },
	};
	struct xtcp_sack_block blk[8];
	u8 buf[128];
	int i, j;

	for (i = 0; i < ARRAY_SIZE(blk); i++)
		blk[i] = test_block(i);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		unsigned int len;

		memset(buf, 0xa5, sizeof(buf));
		len = xtcp_opts_build_sack(buf, c[i].room, blk, c[i].n);
		KUNIT_EXPECT_EQ_MSG(test, len, c[i].len, "room %u n %d",
				    c[i].room, c[i].n);
		for (j = len; j < sizeof(buf); j++)
			KUNIT_EXPECT_EQ_MSG(test, buf[j], 0xa5,
					    "room %u n %d byte %d",
					    c[i].room, c[i].n, j);
	}
}

/*
 * A sender shrinks a segment's payload by xtcp_opts_sack_len(): it must be
 * exactly what the builder writes given room, for every block count.
 */
static void sack_len_is_what_build_writes(struct kunit *test)
{
	struct xtcp_sack_block blk[8];
	u8 buf[128];
	int n;

	for (n = 0; n < ARRAY_SIZE(blk); n++)
		blk[n] = test_block(n);
	for (n = -1; n <= 7; n++)
		KUNIT_EXPECT_EQ_MSG(test, xtcp_opts_sack_len(n),
				    xtcp_opts_build_sack(buf, sizeof(buf), blk, n),
				    "n %d", n);
	KUNIT_EXPECT_EQ(test, xtcp_opts_sack_len(0), 0);
	KUNIT_EXPECT_EQ(test, xtcp_opts_sack_len(1), 12);
	KUNIT_EXPECT_EQ(test, xtcp_opts_sack_len(3), 28);
	KUNIT_EXPECT_EQ(test, xtcp_opts_sack_len(4), 36);
}

/* RFC 7323 appendix A: NOP NOP TS, then NOP NOP SACK with 3 blocks. */
static void build_nonsyn_timestamps_then_sack(struct kunit *test)
{
	static const u8 ts[] = {
		0x01, 0x01, 0x08, 0x0a, 0xde, 0xad, 0xbe, 0xef,
		0x01, 0x02, 0x03, 0x04,
	};
	struct xtcp_opts o = {
		/* SYN-only bits must not leak into a non-SYN segment. */
		.present = XTCP_HAS_TIMESTAMP | XTCP_HAS_MSS |
			   XTCP_HAS_WSCALE | XTCP_HAS_SACK_PERM,
		.tsval = 0xdeadbeef, .tsecr = 0x01020304,
		.mss = 1460, .wscale = 7,
	};
	struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS];
	u8 want[XTCP_MAX_OPT_LEN], buf[XTCP_MAX_OPT_LEN + 8];
	unsigned int i;

	for (i = 0; i < XTCP_MAX_SACK_BLOCKS; i++)
		blk[i] = test_block(i);
	memcpy(want, ts, sizeof(ts));
	put_sack(want + sizeof(ts), 3);

	memset(buf, 0xa5, sizeof(buf));
	KUNIT_ASSERT_EQ(test, xtcp_opts_build_nonsyn(buf, XTCP_MAX_OPT_LEN, &o,
						     blk, 4), 40);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 40);

	/* Timestamps alone, and 4 blocks alone. */
	memset(buf, 0xa5, sizeof(buf));
	KUNIT_ASSERT_EQ(test, xtcp_opts_build_nonsyn(buf, XTCP_MAX_OPT_LEN, &o,
						     NULL, 0), 12);
	KUNIT_EXPECT_MEMEQ(test, buf, ts, sizeof(ts));
	KUNIT_EXPECT_EQ(test, buf[12], 0xa5);
	o.present &= ~XTCP_HAS_TIMESTAMP;
	put_sack(want, 4);
	KUNIT_ASSERT_EQ(test, xtcp_opts_build_nonsyn(buf, XTCP_MAX_OPT_LEN, &o,
						     blk, 4), 36);
	KUNIT_EXPECT_MEMEQ(test, buf, want, 36);
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_nonsyn(buf, XTCP_MAX_OPT_LEN, &o,
						     NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_nonsyn(buf, XTCP_MAX_OPT_LEN,
						     NULL, blk, 1), 12);
}

/* Less room: timestamps first, blocks with what is left, or nothing. */
static void build_nonsyn_respects_room(struct kunit *test)
{
	struct xtcp_opts o = { .present = XTCP_HAS_TIMESTAMP, .tsval = 1 };
	struct xtcp_sack_block blk[XTCP_MAX_SACK_BLOCKS];
	u8 buf[XTCP_MAX_OPT_LEN];
	unsigned int i;

	for (i = 0; i < XTCP_MAX_SACK_BLOCKS; i++)
		blk[i] = test_block(i);
	memset(buf, 0xa5, sizeof(buf));
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_nonsyn(buf, 11, &o, blk, 4), 0);
	for (i = 0; i < sizeof(buf); i++)
		KUNIT_EXPECT_EQ(test, buf[i], 0xa5);
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_nonsyn(buf, 23, &o, blk, 4), 12);
	KUNIT_EXPECT_EQ(test, buf[12], 0xa5);
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_nonsyn(buf, 24, &o, blk, 4), 24);
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_nonsyn(buf, 32, &o, blk, 4), 32);
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_nonsyn(buf, 39, &o, blk, 4), 32);
}

/* Build, parse, decode: what went in comes out, as many blocks as fit. */
static void build_nonsyn_round_trips_through_parse(struct kunit *test)
{
	struct xtcp_sack_block in[XTCP_MAX_SACK_BLOCKS];
	int ts, n, i;

	for (i = 0; i < XTCP_MAX_SACK_BLOCKS; i++)
		in[i] = test_block(i);
	for (ts = 0; ts <= 1; ts++) {
		for (n = 0; n <= XTCP_MAX_SACK_BLOCKS; n++) {
			struct xtcp_opts o = {
				.present = ts ? XTCP_HAS_TIMESTAMP : 0,
				.tsval = 0xfffffffe, .tsecr = 7,
			};
			struct xtcp_sack_block out[XTCP_MAX_SACK_BLOCKS];
			int fit = min(n, ts ? 3 : 4);
			u8 buf[XTCP_MAX_OPT_LEN];
			unsigned int len;
			u8 want = 0;

			len = xtcp_opts_build_nonsyn(buf, sizeof(buf), &o,
						     in, n);
			KUNIT_EXPECT_EQ(test, len % 4, 0);
			KUNIT_ASSERT_EQ(test, xtcp_opts_parse(buf, len, &o), 0);
			if (ts)
				want |= XTCP_HAS_TIMESTAMP;
			if (fit)
				want |= XTCP_HAS_SACK;
			KUNIT_EXPECT_EQ_MSG(test, o.present, want,
					    "ts %d n %d", ts, n);
			if (ts) {
				KUNIT_EXPECT_EQ(test, o.tsval, 0xfffffffeu);
				KUNIT_EXPECT_EQ(test, o.tsecr, 7u);
			}
			KUNIT_EXPECT_EQ_MSG(test, xtcp_opts_sack(buf, &o, out),
					    fit, "ts %d n %d", ts, n);
			expect_test_blocks(test, out, fit);
		}
	}
}

/* A Linux TFO SYN: MSS, SACK_PERM + TS, WSCALE, then kind 34, 8-byte cookie. */
static const u8 linux_tfo_syn[] = {
	0x02, 0x04, 0x05, 0xb4,
	0x04, 0x02, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x03, 0x03, 0x07,
	0x22, 0x0a, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04,
	0x01, 0x01,
};

static void parse_reads_fastopen_cookie_of_a_linux_syn(struct kunit *test)
{
	static const u8 cookie[] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4 };
	struct xtcp_fo_cookie c;
	struct xtcp_opts o;

	KUNIT_ASSERT_EQ(test, parse_exact(test, linux_tfo_syn,
					  sizeof(linux_tfo_syn), &o), 0);
	KUNIT_EXPECT_EQ(test, o.present, ALL_OPTS | XTCP_HAS_FASTOPEN);
	KUNIT_EXPECT_EQ(test, o.fo_len, 8);
	KUNIT_EXPECT_EQ(test, xtcp_opts_fastopen(linux_tfo_syn, &o, &c), 0);
	KUNIT_EXPECT_EQ(test, c.len, 8);
	KUNIT_EXPECT_FALSE(test, c.exp);
	KUNIT_EXPECT_MEMEQ(test, c.val, cookie, sizeof(cookie));
}

static void parse_reads_fastopen_request(struct kunit *test)
{
	static const u8 req[] = { 0x22, 0x02, 0x01, 0x01 };
	struct xtcp_fo_cookie c;
	struct xtcp_opts o;

	KUNIT_ASSERT_EQ(test, parse_exact(test, req, sizeof(req), &o), 0);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_FASTOPEN);
	KUNIT_EXPECT_EQ(test, o.fo_len, 0);
	KUNIT_EXPECT_EQ(test, xtcp_opts_fastopen(req, &o, &c), 0);
	KUNIT_EXPECT_EQ(test, c.len, 0);
}

/* Every length byte 2..20 of kind 34: only 2 and 6..18 even are taken. */
static void parse_fastopen_lengths(struct kunit *test)
{
	u8 buf[24];
	int len;

	for (len = 0; len <= 20; len++) {
		bool ok = len == 2 || (len >= 6 && len <= 18 && !(len & 1));
		struct xtcp_opts o;
		int err;

		memset(buf, 0xa5, sizeof(buf));
		buf[0] = XTCP_OPT_FASTOPEN;
		buf[1] = len;
		err = parse_exact(test, buf, max(len, 2), &o);
		if (len < 2) {
			KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "len %d", len);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, err, 0, "len %d", len);
		KUNIT_EXPECT_EQ_MSG(test, !!(o.present & XTCP_HAS_FASTOPEN), ok,
				    "len %d", len);
		if (ok)
			KUNIT_EXPECT_EQ_MSG(test, o.fo_len, len - 2, "len %d",
					    len);
	}
}

/* Linux's experimental form: 254, length, 0xF989, cookie. */
static void parse_reads_experimental_fastopen(struct kunit *test)
{
	static const u8 exp[] = { 0xfe, 0x0c, 0xf9, 0x89,
				  1, 2, 3, 4, 5, 6, 7, 8 };
	static const u8 other[] = { 0xfe, 0x0c, 0xf9, 0x88,
				    1, 2, 3, 4, 5, 6, 7, 8 };
	static const u8 odd[] = { 0xfe, 0x09, 0xf9, 0x89, 1, 2, 3, 4, 5,
				  0x01, 0x01, 0x01 };
	static const u8 req[] = { 0xfe, 0x04, 0xf9, 0x89 };
	struct xtcp_fo_cookie c;
	struct xtcp_opts o;

	KUNIT_ASSERT_EQ(test, parse_exact(test, exp, sizeof(exp), &o), 0);
	KUNIT_EXPECT_EQ(test, o.present,
			XTCP_HAS_FASTOPEN | XTCP_HAS_FASTOPEN_EXP);
	KUNIT_EXPECT_EQ(test, xtcp_opts_fastopen(exp, &o, &c), 0);
	KUNIT_EXPECT_EQ(test, c.len, 8);
	KUNIT_EXPECT_TRUE(test, c.exp);
	KUNIT_EXPECT_MEMEQ(test, c.val, exp + 4, 8);
	/* Another experiment is an unknown option. */
	KUNIT_ASSERT_EQ(test, parse_exact(test, other, sizeof(other), &o), 0);
	KUNIT_EXPECT_EQ(test, o.present, 0);
	KUNIT_EXPECT_EQ(test, xtcp_opts_fastopen(other, &o, &c), -ENOENT);
	/* A 5-byte cookie is none. */
	KUNIT_ASSERT_EQ(test, parse_exact(test, odd, sizeof(odd), &o), 0);
	KUNIT_EXPECT_EQ(test, o.present, 0);
	KUNIT_ASSERT_EQ(test, parse_exact(test, req, sizeof(req), &o), 0);
	KUNIT_EXPECT_EQ(test, o.present,
			XTCP_HAS_FASTOPEN | XTCP_HAS_FASTOPEN_EXP);
	KUNIT_EXPECT_EQ(test, o.fo_len, 0);
}

/* The option rides in skb->cb: where it is must survive the whole list. */
static void parse_fastopen_beside_sack(struct kunit *test)
{
	static const u8 b[] = { 0x01, 0x01, 0x05, 0x0a, 0, 0, 0, 1, 0, 0, 0, 2,
				0x22, 0x06, 9, 8, 7, 6 };
	struct xtcp_fo_cookie c;
	struct xtcp_opts o;

	KUNIT_ASSERT_EQ(test, parse_exact(test, b, sizeof(b), &o), 0);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_SACK | XTCP_HAS_FASTOPEN);
	KUNIT_EXPECT_EQ(test, o.nr_sack, 1);
	KUNIT_EXPECT_EQ(test, xtcp_opts_fastopen(b, &o, &c), 0);
	KUNIT_EXPECT_EQ(test, c.len, 4);
	KUNIT_EXPECT_MEMEQ(test, c.val, b + 14, 4);
}

static void build_fastopen_byte_for_byte(struct kunit *test)
{
	struct xtcp_fo_cookie c = { .len = 8,
				    .val = { 1, 2, 3, 4, 5, 6, 7, 8 } };
	static const u8 want8[] = { 0x22, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8,
				    0x01, 0x01 };
	static const u8 want_req[] = { 0x22, 0x02, 0x01, 0x01 };
	static const u8 want_exp[] = { 0xfe, 0x0c, 0xf9, 0x89,
				       1, 2, 3, 4, 5, 6, 7, 8 };
	static const u8 want_exp_req[] = { 0xfe, 0x04, 0xf9, 0x89 };
	u8 buf[XTCP_MAX_OPT_LEN];

	KUNIT_EXPECT_EQ(test, xtcp_opts_build_fastopen(buf, sizeof(buf), &c),
			sizeof(want8));
	KUNIT_EXPECT_MEMEQ(test, buf, want8, sizeof(want8));
	c.exp = true;
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_fastopen(buf, sizeof(buf), &c),
			sizeof(want_exp));
	KUNIT_EXPECT_MEMEQ(test, buf, want_exp, sizeof(want_exp));
	c.len = 0;
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_fastopen(buf, sizeof(buf), &c),
			sizeof(want_exp_req));
	KUNIT_EXPECT_MEMEQ(test, buf, want_exp_req, sizeof(want_exp_req));
	c.exp = false;
	KUNIT_EXPECT_EQ(test, xtcp_opts_build_fastopen(buf, sizeof(buf), &c),
			sizeof(want_req));
	KUNIT_EXPECT_MEMEQ(test, buf, want_req, sizeof(want_req));
}

/* Every cookie length: what goes out reads back the same, or nothing goes. */
static void build_fastopen_round_trips_and_refuses_bad_lengths(struct kunit *test)
{
	u8 buf[XTCP_MAX_OPT_LEN], sentinel[XTCP_MAX_OPT_LEN];
	int len, exp;

	for (exp = 0; exp < 2; exp++) {
		for (len = 0; len <= XTCP_FO_COOKIE_MAX + 2; len++) {
			struct xtcp_fo_cookie c = { .exp = exp }, back;
			bool ok = !len || (len >= 4 && len <= 16 && !(len & 1));
			struct xtcp_opts o;
			unsigned int n;
			int i;

			c.len = len;
			for (i = 0; i < XTCP_FO_COOKIE_MAX; i++)
				c.val[i] = 0x40 + i;
			memset(buf, 0x5a, sizeof(buf));
			memset(sentinel, 0x5a, sizeof(sentinel));
			n = xtcp_opts_build_fastopen(buf, sizeof(buf), &c);
			if (!ok) {
				KUNIT_EXPECT_EQ_MSG(test, n, 0, "len %d", len);
				KUNIT_EXPECT_MEMEQ(test, buf, sentinel,
						   sizeof(buf));
				continue;
			}
			KUNIT_EXPECT_EQ_MSG(test, n % 4, 0, "len %d", len);
			KUNIT_ASSERT_EQ(test, parse_exact(test, buf, n, &o), 0);
			KUNIT_ASSERT_EQ(test, xtcp_opts_fastopen(buf, &o, &back),
					0);
			KUNIT_EXPECT_EQ_MSG(test, back.len, len, "exp %d", exp);
			KUNIT_EXPECT_EQ(test, back.exp, (bool)exp);
			KUNIT_EXPECT_MEMEQ(test, back.val, c.val, len);
			/* No room: nothing written. */
			memset(buf, 0x5a, sizeof(buf));
			KUNIT_EXPECT_EQ(test,
					xtcp_opts_build_fastopen(buf, n - 1, &c),
					0);
			KUNIT_EXPECT_MEMEQ(test, buf, sentinel, sizeof(buf));
		}
	}
}

static struct kunit_case xtcp_options_cases[] = {
	KUNIT_CASE(parse_reads_mss_alone),
	KUNIT_CASE(parse_reads_every_option_of_a_linux_syn),
	KUNIT_CASE(parse_of_nothing_clears_every_field),
	KUNIT_CASE(parse_skips_nops_and_stops_at_eol),
	KUNIT_CASE(parse_ignores_whatever_follows_eol),
	KUNIT_CASE(parse_skips_unknown_kind_by_its_length),
	KUNIT_CASE_PARAM(parse_rejects_illegal_length, bad_list_gen_params),
	KUNIT_CASE(parse_ignores_known_kind_with_wrong_length),
	KUNIT_CASE(parse_clamps_wscale_to_14),
	KUNIT_CASE(parse_reads_unaligned_options),
	KUNIT_CASE(parse_takes_the_last_of_a_repeated_kind),
	KUNIT_CASE(build_writes_a_linux_syn_byte_for_byte),
	KUNIT_CASE(build_writes_mss_alone),
	KUNIT_CASE(build_aligns_lone_options_with_nops),
	KUNIT_CASE(build_round_trips_through_parse),
	KUNIT_CASE(build_into_too_little_room_writes_nothing),
	KUNIT_CASE(build_pads_to_words_with_zeros_after_eol),
	KUNIT_CASE(parse_records_sack_of_1_to_4_blocks),
	KUNIT_CASE(parse_records_unaligned_sack_beside_timestamps),
	KUNIT_CASE(sack_decode_without_sack_is_empty),
	KUNIT_CASE(parse_skips_sack_of_wrong_length),
	KUNIT_CASE(parse_sack_overrun_is_illegal),
	KUNIT_CASE(parse_takes_the_last_sack),
	KUNIT_CASE(build_sack_byte_for_byte),
	KUNIT_CASE(build_sack_fits_blocks_to_room),
	KUNIT_CASE(sack_len_is_what_build_writes),
	KUNIT_CASE(build_nonsyn_timestamps_then_sack),
	KUNIT_CASE(build_nonsyn_respects_room),
	KUNIT_CASE(build_nonsyn_round_trips_through_parse),
	KUNIT_CASE(parse_reads_fastopen_cookie_of_a_linux_syn),
	KUNIT_CASE(parse_reads_fastopen_request),
	KUNIT_CASE(parse_fastopen_lengths),
	KUNIT_CASE(parse_reads_experimental_fastopen),
	KUNIT_CASE(parse_fastopen_beside_sack),
	KUNIT_CASE(build_fastopen_byte_for_byte),
	KUNIT_CASE(build_fastopen_round_trips_and_refuses_bad_lengths),
	{}
};

static struct kunit_suite xtcp_options_suite = {
	.name = "xtcp_options",
	.test_cases = xtcp_options_cases,
};

kunit_test_suite(xtcp_options_suite);
