// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: TCP option parsing and building (mod/options.c), on the bytes
 * that real peers send and on the malformed lists RFC 9293 3.1 says a
 * receiver must survive.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
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
		0x05, 0x0a, 0x00, 0x00, 0x00, 0x01,	/* SACK block... */
		0x00, 0x00, 0x00, 0x02,			/* ...skipped for now */
		0x03, 0x03, 0x09,			/* WSCALE 9 */
	};
	struct xtcp_opts o;

	PARSE_OK(test, b, &o);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_HAS_WSCALE);
	KUNIT_EXPECT_EQ(test, o.wscale, 9);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
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
	{}
};

static struct kunit_suite xtcp_options_suite = {
	.name = "xtcp_options",
	.test_cases = xtcp_options_cases,
};

kunit_test_suite(xtcp_options_suite);
