// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what an ICMP error about a segment means (include/xtcp/icmp.h):
 * which messages are errors, the errno each stands for, which end an
 * embryonic connection, and which quoted sequence numbers are believed.
 */

#include <kunit/test.h>
#include <xtcp/compat.h>
#include <xtcp/icmp.h>

/* Only the four error types; replies, requests and redirects are not. */
static void icmp_which_are_errors(struct kunit *test)
{
	static const u8 errors[] = { ICMP_DEST_UNREACH, ICMP_SOURCE_QUENCH,
				     ICMP_TIME_EXCEEDED, ICMP_PARAMETERPROB };
	unsigned int type, i, n = 0;

	for (i = 0; i < ARRAY_SIZE(errors); i++)
		KUNIT_EXPECT_TRUE(test, xtcp_icmp_is_error(errors[i]));
	for (type = 0; type < 256; type++)
		n += xtcp_icmp_is_error(type);
	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(errors));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_is_error(ICMP_ECHOREPLY));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_is_error(ICMP_REDIRECT));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_is_error(ICMP_ECHO));
}

/* Every destination-unreachable code, as connect() reports it on Linux. */
static void icmp_unreach_errno_per_code(struct kunit *test)
{
	static const int want[NR_ICMP_UNREACH + 1] = {
		[ICMP_NET_UNREACH] = ENETUNREACH,
		[ICMP_HOST_UNREACH] = EHOSTUNREACH,
		[ICMP_PROT_UNREACH] = ENOPROTOOPT,
		[ICMP_PORT_UNREACH] = ECONNREFUSED,
		[ICMP_FRAG_NEEDED] = EMSGSIZE,
		[ICMP_SR_FAILED] = EOPNOTSUPP,
		[ICMP_NET_UNKNOWN] = ENETUNREACH,
		[ICMP_HOST_UNKNOWN] = EHOSTDOWN,
		[ICMP_HOST_ISOLATED] = ENONET,
		[ICMP_NET_ANO] = ENETUNREACH,
		[ICMP_HOST_ANO] = EHOSTUNREACH,
		[ICMP_NET_UNR_TOS] = ENETUNREACH,
		[ICMP_HOST_UNR_TOS] = EHOSTUNREACH,
		[ICMP_PKT_FILTERED] = EHOSTUNREACH,
		[ICMP_PREC_VIOLATION] = EHOSTUNREACH,
		[ICMP_PREC_CUTOFF] = EHOSTUNREACH,
	};
	unsigned int code;

	for (code = 0; code <= NR_ICMP_UNREACH; code++)
		KUNIT_EXPECT_EQ_MSG(test, xtcp_icmp_errno(ICMP_DEST_UNREACH, code),
				    -want[code], "code %u", code);
	/* Codes nobody defined are ignored, not read past the table. */
	for (code = NR_ICMP_UNREACH + 1; code < 256; code++)
		KUNIT_EXPECT_EQ_MSG(test, xtcp_icmp_errno(ICMP_DEST_UNREACH, code),
				    0, "code %u", code);
}

static void icmp_other_errnos(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_icmp_errno(ICMP_TIME_EXCEEDED, 0),
			-EHOSTUNREACH);
	KUNIT_EXPECT_EQ(test, xtcp_icmp_errno(ICMP_TIME_EXCEEDED, 1),
			-EHOSTUNREACH);
	KUNIT_EXPECT_EQ(test, xtcp_icmp_errno(ICMP_PARAMETERPROB, 0), -EPROTO);
	/* Source quench is ignored (RFC 6633, RFC 9293 MUST-55). */
	KUNIT_EXPECT_EQ(test, xtcp_icmp_errno(ICMP_SOURCE_QUENCH, 0), 0);
	KUNIT_EXPECT_EQ(test, xtcp_icmp_errno(ICMP_ECHOREPLY, 0), 0);
}

/* Linux's tcp_req_err(): only net/host unreachable, TTL and parameter. */
static void icmp_what_ends_a_request(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_ends_req(ICMP_DEST_UNREACH,
						   ICMP_NET_UNREACH));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_ends_req(ICMP_DEST_UNREACH,
						   ICMP_HOST_UNREACH));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_ends_req(ICMP_TIME_EXCEEDED, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_ends_req(ICMP_PARAMETERPROB, 0));
	/* A spoofed "port unreachable" must not clear a SYN queue entry. */
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_ends_req(ICMP_DEST_UNREACH,
						    ICMP_PORT_UNREACH));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_ends_req(ICMP_DEST_UNREACH,
						    ICMP_FRAG_NEEDED));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_ends_req(ICMP_SOURCE_QUENCH, 0));
}

/* RFC 6069: only net and host unreachable undo an RTO backoff. */
static void icmp_what_reverts_the_rto(struct kunit *test)
{
	unsigned int code, n = 0;

	for (code = 0; code < 256; code++)
		n += xtcp_icmp_reverts_rto(ICMP_DEST_UNREACH, code);
	KUNIT_EXPECT_EQ(test, n, 2U);
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_reverts_rto(ICMP_DEST_UNREACH,
						      ICMP_NET_UNREACH));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_reverts_rto(ICMP_DEST_UNREACH,
						      ICMP_HOST_UNREACH));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_reverts_rto(ICMP_DEST_UNREACH,
						       ICMP_PORT_UNREACH));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_reverts_rto(ICMP_TIME_EXCEEDED, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_reverts_rto(ICMP_SOURCE_QUENCH, 0));
}

/* RFC 5927 4.1: SND.UNA <= SEQ <= SND.MAX, across the wrap too. */
static void icmp_seq_window(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_seq_ok(1000, 1000, 5000));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_seq_ok(1000, 4999, 5000));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_seq_ok(1000, 5000, 5000));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_seq_ok(1000, 999, 5000));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_seq_ok(1000, 5001, 5000));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_seq_ok(1000, 1000 + 0x80000000U,
						  5000));
	/* Nothing in flight: only SND.UNA itself. */
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_seq_ok(7, 7, 7));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_seq_ok(7, 8, 7));
	/* Across the wrap. */
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_seq_ok(0xfffffff0U, 0xfffffffeU, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp_seq_ok(0xfffffff0U, 0x5, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_seq_ok(0xfffffff0U, 0x11, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp_seq_ok(0xfffffff0U, 0xffffffefU, 0x10));
}

static struct kunit_case xtcp_icmp_cases[] = {
	KUNIT_CASE(icmp_which_are_errors),
	KUNIT_CASE(icmp_unreach_errno_per_code),
	KUNIT_CASE(icmp_other_errnos),
	KUNIT_CASE(icmp_what_ends_a_request),
	KUNIT_CASE(icmp_what_reverts_the_rto),
	KUNIT_CASE(icmp_seq_window),
	{}
};

static struct kunit_suite xtcp_icmp_suite = {
	.name = "xtcp_icmp",
	.test_cases = xtcp_icmp_cases,
};

kunit_test_suite(xtcp_icmp_suite);
