// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what an ICMP or ICMPv6 error about a segment means
 * (include/xtcp/icmp.h): which messages are errors, the errno each stands
 * for, which end an embryonic connection, and which quoted sequence
 * numbers are believed.
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

/* ICMPv6 errors are the types below 128 (RFC 4443 2.1); no others. */
static void icmp6_which_are_errors(struct kunit *test)
{
	unsigned int type, n = 0;

	for (type = 0; type < 256; type++)
		n += xtcp_icmp6_is_error(type);
	KUNIT_EXPECT_EQ(test, n, 128);
	KUNIT_EXPECT_TRUE(test, xtcp_icmp6_is_error(ICMPV6_DEST_UNREACH));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp6_is_error(ICMPV6_PKT_TOOBIG));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp6_is_error(ICMPV6_TIME_EXCEED));
	KUNIT_EXPECT_TRUE(test, xtcp_icmp6_is_error(ICMPV6_PARAMPROB));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp6_is_error(ICMPV6_ECHO_REQUEST));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp6_is_error(ICMPV6_ECHO_REPLY));
	KUNIT_EXPECT_FALSE(test, xtcp_icmp6_is_error(NDISC_REDIRECT));
}

/*
 * ICMPv6 as tcp_v6_err() reads it: the errno each message stands for,
 * whether it ends an embryonic connection, whether it undoes an RTO
 * backoff (RFC 6069: no route and address unreachable), too big.
 */
static void icmp6_what(struct kunit *test)
{
	static const struct {
		u8 type, code;
		int err;
		bool ends_req, reverts_rto, too_big;
	} cases[] = {
		{ ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE, ENETUNREACH, 0, 1, 0 },
		{ ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED, EACCES, 1, 0, 0 },
		{ ICMPV6_DEST_UNREACH, ICMPV6_NOT_NEIGHBOUR, EHOSTUNREACH, 0, 0,
		  0 },
		{ ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, EHOSTUNREACH, 0, 1,
		  0 },
		{ ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, ECONNREFUSED, 1, 0,
		  0 },
		{ ICMPV6_DEST_UNREACH, ICMPV6_POLICY_FAIL, EACCES, 1, 0, 0 },
		{ ICMPV6_DEST_UNREACH, ICMPV6_REJECT_ROUTE, EACCES, 1, 0, 0 },
		/* A code RFC 4443 does not define: fatal, as in Linux. */
		{ ICMPV6_DEST_UNREACH, 7, EPROTO, 1, 0, 0 },
		{ ICMPV6_PKT_TOOBIG, 0, EMSGSIZE, 0, 0, 1 },
		{ ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, EHOSTUNREACH, 0, 0,
		  0 },
		{ ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD, EPROTO, 1, 0, 0 },
		/* An error type RFC 4443 does not define reaches TCP too. */
		{ 5, 0, EPROTO, 0, 0, 0 },
	};
	struct xtcp_icmp_what w;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		w = xtcp_icmp_what(true, cases[i].type, cases[i].code);
		KUNIT_EXPECT_EQ_MSG(test, w.err, cases[i].err, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w.ends_req, cases[i].ends_req,
				    "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w.reverts_rto, cases[i].reverts_rto,
				    "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w.too_big, cases[i].too_big,
				    "case %u", i);
	}
}

/* The same question asked of an ICMP error: the IPv4 answers. */
static void icmp_what_v4(struct kunit *test)
{
	struct xtcp_icmp_what w;

	w = xtcp_icmp_what(false, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
	KUNIT_EXPECT_EQ(test, w.err, ECONNREFUSED);
	KUNIT_EXPECT_FALSE(test, w.ends_req);
	w = xtcp_icmp_what(false, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
	KUNIT_EXPECT_EQ(test, w.err, EHOSTUNREACH);
	KUNIT_EXPECT_TRUE(test, w.ends_req);
	KUNIT_EXPECT_TRUE(test, w.reverts_rto);
	w = xtcp_icmp_what(false, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED);
	KUNIT_EXPECT_TRUE(test, w.too_big);
	KUNIT_EXPECT_FALSE(test, w.reverts_rto);
	w = xtcp_icmp_what(false, ICMP_SOURCE_QUENCH, 0);
	KUNIT_EXPECT_EQ(test, w.err, 0);
	/* Type 3 in ICMPv6 is time exceeded: soft, no revert. */
	w = xtcp_icmp_what(true, ICMPV6_TIME_EXCEED, 0);
	KUNIT_EXPECT_FALSE(test, w.reverts_rto);
	KUNIT_EXPECT_EQ(test, w.err, EHOSTUNREACH);
}

static struct kunit_case xtcp_icmp_cases[] = {
	KUNIT_CASE(icmp_which_are_errors),
	KUNIT_CASE(icmp_unreach_errno_per_code),
	KUNIT_CASE(icmp_other_errnos),
	KUNIT_CASE(icmp_what_ends_a_request),
	KUNIT_CASE(icmp_what_reverts_the_rto),
	KUNIT_CASE(icmp_seq_window),
	KUNIT_CASE(icmp6_which_are_errors),
	KUNIT_CASE(icmp6_what),
	KUNIT_CASE(icmp_what_v4),
	{}
};

static struct kunit_suite xtcp_icmp_suite = {
	.name = "xtcp_icmp",
	.test_cases = xtcp_icmp_cases,
};

kunit_test_suite(xtcp_icmp_suite);
