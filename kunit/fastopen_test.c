// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a listener's Fast Open decision on a SYN (include/xtcp/
 * fastopen.h, RFC 7413 4.2 as Linux's tcp_try_fastopen() takes it): the
 * sysctl's bits, the TCP_FASTOPEN queue length and its bound, cookie
 * requests, right and wrong cookies, the server's no-cookie bit.
 */

#include <kunit/test.h>
#include <xtcp/fastopen.h>

#define SRV	XTCP_FO_SERVER
#define NOCK	XTCP_FO_SERVER_NO_COOKIE

static enum xtcp_fo_verdict decide(int sysctl, u32 max_qlen, u32 qlen,
				   bool opt, u8 clen, bool ok, bool data)
{
	const struct xtcp_fo_in in = {
		.sysctl = sysctl, .max_qlen = max_qlen, .qlen = qlen,
		.has_opt = opt, .cookie_len = clen, .cookie_ok = ok,
		.syn_data = data,
	};

	return xtcp_fo_decide(&in);
}

/* Off unless the server bit and a queue length are both there. */
static void fo_off_without_server_bit_or_qlen(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, decide(XTCP_FO_CLIENT, 16, 0, true, 8, true,
				     true), XTCP_FO_NONE);
	KUNIT_EXPECT_EQ(test, decide(0, 16, 0, true, 0, false, false),
			XTCP_FO_NONE);
	KUNIT_EXPECT_EQ(test, decide(SRV, 0, 0, true, 8, true, true),
			XTCP_FO_NONE);
	KUNIT_EXPECT_EQ(test, decide(SRV | NOCK, 0, 0, false, 0, false, true),
			XTCP_FO_NONE);
}

/* A request gets a cookie; a right cookie a child, data or not. */
static void fo_request_and_cookies(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, decide(SRV, 16, 0, true, 0, false, false),
			XTCP_FO_COOKIE);
	KUNIT_EXPECT_EQ(test, decide(SRV, 16, 0, true, 0, false, true),
			XTCP_FO_COOKIE);
	KUNIT_EXPECT_EQ(test, decide(SRV, 16, 0, true, 8, true, true),
			XTCP_FO_CHILD);
	KUNIT_EXPECT_EQ(test, decide(SRV, 16, 0, true, 8, true, false),
			XTCP_FO_CHILD);
	/* A wrong cookie: the right one, and the data is not taken. */
	KUNIT_EXPECT_EQ(test, decide(SRV, 16, 0, true, 8, false, true),
			XTCP_FO_COOKIE);
	/* No option at all: no Fast Open, with data or without. */
	KUNIT_EXPECT_EQ(test, decide(SRV, 16, 0, false, 0, false, true),
			XTCP_FO_NONE);
	KUNIT_EXPECT_EQ(test, decide(SRV, 16, 0, false, 0, false, false),
			XTCP_FO_NONE);
}

/* 0x200: any SYN with data or the option, cookie or none. */
static void fo_no_cookie_bit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, decide(SRV | NOCK, 4, 0, false, 0, false, true),
			XTCP_FO_CHILD);
	KUNIT_EXPECT_EQ(test, decide(SRV | NOCK, 4, 0, true, 8, false, true),
			XTCP_FO_CHILD);
	KUNIT_EXPECT_EQ(test, decide(SRV | NOCK, 4, 0, true, 0, false, false),
			XTCP_FO_CHILD);
	KUNIT_EXPECT_EQ(test, decide(SRV | NOCK, 4, 0, false, 0, false, false),
			XTCP_FO_NONE);
	/* Without the server bit, 0x200 alone does nothing. */
	KUNIT_EXPECT_EQ(test, decide(NOCK, 4, 0, false, 0, false, true),
			XTCP_FO_NONE);
}

/* The queue length bounds children, before any cookie is looked at. */
static void fo_qlen_bound(struct kunit *test)
{
	u32 q;

	for (q = 0; q < 6; q++) {
		enum xtcp_fo_verdict want = q < 4 ? XTCP_FO_CHILD :
						    XTCP_FO_OVERFLOW;

		KUNIT_EXPECT_EQ_MSG(test, decide(SRV, 4, q, true, 8, true,
						 true), want, "qlen %u", q);
		KUNIT_EXPECT_EQ_MSG(test, decide(SRV | NOCK, 4, q, false, 0,
						 false, true), want,
				    "qlen %u", q);
	}
	/* A request at a full queue gets no cookie either (as Linux). */
	KUNIT_EXPECT_EQ(test, decide(SRV, 4, 4, true, 0, false, false),
			XTCP_FO_OVERFLOW);
	/* A SYN that is no Fast Open is never an overflow. */
	KUNIT_EXPECT_EQ(test, decide(SRV, 4, 9, false, 0, false, false),
			XTCP_FO_NONE);
}

static struct kunit_case xtcp_fastopen_cases[] = {
	KUNIT_CASE(fo_off_without_server_bit_or_qlen),
	KUNIT_CASE(fo_request_and_cookies),
	KUNIT_CASE(fo_no_cookie_bit),
	KUNIT_CASE(fo_qlen_bound),
	{}
};

static struct kunit_suite xtcp_fastopen_suite = {
	.name = "xtcp_fastopen",
	.test_cases = xtcp_fastopen_cases,
};

kunit_test_suite(xtcp_fastopen_suite);
