// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: ECN's rules (include/xtcp/ecn.h, RFC 3168 as Linux TCP applies
 * them): who asks and who agrees in the handshake, which segments go
 * ECT(0) and carry ECE or CWR, what a CE mark or a CWR does at the
 * receiver, and when an ECE reduces the sender's window.
 */

#include <kunit/test.h>
#include <xtcp/ecn.h>

#define ECE	TCPHDR_ECE
#define CWR	TCPHDR_CWR
#define SYN	TCPHDR_SYN
#define ACK	TCPHDR_ACK

/* net.xtcp.ecn: only 1 asks; a retransmitted SYN never does. */
static void ecn_syn_asks(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_want(XTCP_ECN_OFF));
	KUNIT_EXPECT_TRUE(test, xtcp_ecn_want(XTCP_ECN_ON));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_want(XTCP_ECN_PASSIVE));
	KUNIT_EXPECT_EQ(test, xtcp_ecn_syn_flags(true, 0), ECE | CWR);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_syn_flags(true, 1), 0);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_syn_flags(true, 6), 0);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_syn_flags(false, 0), 0);
}

/* A listener: sysctl x the SYN's flags x the SYN's own ECN field. */
struct accept_case {
	const char *name;
	int sysctl;
	u8 flags, ip_ecn;
	bool ok;
};

static const struct accept_case accept_cases[] = {
	{ "on_setup", XTCP_ECN_ON, SYN | ECE | CWR, INET_ECN_NOT_ECT, true },
	{ "passive_setup", XTCP_ECN_PASSIVE, SYN | ECE | CWR, INET_ECN_NOT_ECT, true },
	{ "off_setup", XTCP_ECN_OFF, SYN | ECE | CWR, INET_ECN_NOT_ECT, false },
	{ "on_plain", XTCP_ECN_ON, SYN, INET_ECN_NOT_ECT, false },
	{ "on_ece_only", XTCP_ECN_ON, SYN | ECE, INET_ECN_NOT_ECT, false },
	{ "on_cwr_only", XTCP_ECN_ON, SYN | CWR, INET_ECN_NOT_ECT, false },
	{ "passive_plain", XTCP_ECN_PASSIVE, SYN, INET_ECN_NOT_ECT, false },
	/* An ECT SYN: something on the path rewrites the field. */
	{ "setup_ect0", XTCP_ECN_ON, SYN | ECE | CWR, INET_ECN_ECT_0, false },
	{ "setup_ect1", XTCP_ECN_PASSIVE, SYN | ECE | CWR, INET_ECN_ECT_1, false },
	{ "setup_ce", XTCP_ECN_ON, SYN | ECE | CWR, INET_ECN_CE, false },
};

static void accept_desc(const struct accept_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(accept, accept_cases, accept_desc);

static void ecn_listener_accepts(struct kunit *test)
{
	const struct accept_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_ecn_accept(c->sysctl, c->flags, c->ip_ecn),
			c->ok);
}

/* The handshake's answer decides (RFC 3168 6.1.1). */
static void ecn_agreed_by_the_answer(struct kunit *test)
{
	/* SYN-ACK: ECE alone */
	KUNIT_EXPECT_TRUE(test, xtcp_ecn_agreed(true, SYN | ACK | ECE));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_agreed(true, SYN | ACK));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_agreed(true, SYN | ACK | ECE | CWR));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_agreed(true, SYN | ACK | CWR));
	/* we did not ask: an ECE SYN-ACK changes nothing */
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_agreed(false, SYN | ACK | ECE));
	/* SYN (simultaneous open, a passive child's): ECE and CWR */
	KUNIT_EXPECT_TRUE(test, xtcp_ecn_agreed(true, SYN | ECE | CWR));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_agreed(true, SYN | ECE));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_agreed(true, SYN));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_agreed(false, SYN | ECE | CWR));
}

/* One outgoing segment: its ECN field and its ECE/CWR flags. */
struct out_case {
	const char *name;
	struct xtcp_ecn_out in;
	u8 ect, flags;
};

#define NE	INET_ECN_NOT_ECT
#define E0	INET_ECN_ECT_0

static const struct out_case out_cases[] = {
	{ "new_data", { true, false, false, false, true }, E0, 0 },
	{ "retransmission", { true, false, false, false, false }, NE, 0 },
	{ "pure_ack", { true, false, false, false, false }, NE, 0 },
	{ "no_ecn_new_data", { false, false, false, false, true }, NE, 0 },
	{ "no_ecn_demand", { false, true, true, false, true }, NE, 0 },
	/* ECE on everything while the peer owes a CWR, data or not */
	{ "ack_echoes_ece", { true, true, false, false, false }, NE, ECE },
	{ "data_echoes_ece", { true, true, false, false, true }, E0, ECE },
	/* CWR on new data only: not on an ACK, nor on resent data */
	{ "new_data_cwr", { true, false, true, false, true }, E0, CWR },
	{ "ack_no_cwr", { true, false, true, false, false }, NE, 0 },
	{ "both", { true, true, true, false, true }, E0, ECE | CWR },
	/* SYN and RST: neither ECT nor ECE/CWR from here */
	{ "ctl", { true, true, true, true, true }, NE, 0 },
	{ "ctl_no_data", { true, true, false, true, false }, NE, 0 },
};

static void out_desc(const struct out_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(out, out_cases, out_desc);

static void ecn_segment_out(struct kunit *test)
{
	const struct out_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_ecn_out_ect(&c->in), c->ect);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_out_flags(&c->in), c->flags);
}

/* The user's ECN bits never reach the wire; ours always do. */
static void ecn_tos_is_ours(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_ecn_tos(0x00, E0), 0x02);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_tos(0x2b, NE), 0x28);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_tos(0x2b, E0), 0x2a);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_tos(0xb8, E0), 0xba);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_tos(0xff, NE), 0xfc);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_tos(0x03, E0), 0x02);
}

#define DEMAND	XTCP_ECN_RX_DEMAND
#define SEEN	XTCP_ECN_RX_SEEN
#define NOW	XTCP_ECN_RX_ACK_NOW
#define CE	XTCP_ECN_RX_CE

/* The receiver: the IP header's field x CWR x the echo under way. */
struct rcv_case {
	const char *name;
	u8 ip_ecn;
	bool cwr, demand;
	unsigned int r;
};

static const struct rcv_case rcv_cases[] = {
	{ "not_ect", INET_ECN_NOT_ECT, false, false, 0 },
	{ "ect0", INET_ECN_ECT_0, false, false, SEEN },
	{ "ect1", INET_ECN_ECT_1, false, false, SEEN },
	/* the first CE: echo, and ACK at once */
	{ "ce", INET_ECN_CE, false, false, CE | SEEN | DEMAND | NOW },
	/* CE while echoing: the echo goes on, the ACK may wait */
	{ "ce_echoing", INET_ECN_CE, false, true, CE | SEEN | DEMAND },
	{ "ect_echoing", INET_ECN_ECT_0, false, true, SEEN | DEMAND },
	{ "not_ect_echoing", INET_ECN_NOT_ECT, false, true, DEMAND },
	/* CWR ends the echo, at once */
	{ "cwr", INET_ECN_ECT_0, true, true, SEEN | NOW },
	{ "cwr_not_ect", INET_ECN_NOT_ECT, true, true, NOW },
	{ "cwr_idle", INET_ECN_ECT_0, true, false, SEEN | NOW },
	/* CWR and CE in one segment: a new mark, a new echo */
	{ "cwr_ce", INET_ECN_CE, true, true, CE | SEEN | DEMAND | NOW },
	/* only the two low bits count */
	{ "dscp_ce", 0xb8 | INET_ECN_CE, false, false, CE | SEEN | DEMAND | NOW },
	{ "dscp_only", 0xb8, false, false, 0 },
};

static void rcv_desc(const struct rcv_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(rcv, rcv_cases, rcv_desc);

static void ecn_receiver(struct kunit *test)
{
	const struct rcv_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_ecn_rcv(c->ip_ecn, c->cwr, c->demand), c->r);
}

#define U	0xfffff000U	/* SND.UNA near the wrap */

/* The sender: does this ECE reduce the window? */
struct reduce_case {
	const char *name;
	struct xtcp_ecn_ece in;
	bool reduce;
};

static const struct reduce_case reduce_cases[] = {
	{ "ece", { true, ACK | ECE, false, false, U, U - 1, 0 }, true },
	{ "ece_data", { true, ACK | ECE | TCPHDR_PSH, false, false, U, U, 0 }, true },
	{ "no_ece", { true, ACK, false, false, U, U, 0 }, false },
	{ "not_negotiated", { false, ACK | ECE, false, false, U, U, 0 }, false },
	/* a SYN-ACK's ECE is the negotiation, not a mark */
	{ "synack", { true, SYN | ACK | ECE, false, false, U, U, 0 }, false },
	/* reduced for a loss already: in recovery, or its window */
	{ "in_recovery", { true, ACK | ECE, true, false, U, U, 0 }, false },
	{ "loss_window", { true, ACK | ECE, false, false, U, U + 100, 0 }, false },
	{ "after_loss_window", { true, ACK | ECE, false, false, U + 100, U + 100, 0 }, true },
	/* once per window: until SND.UNA passes SND.MAX of the reduction */
	{ "same_window", { true, ACK | ECE, false, true, U + 10, U, U + 5000 }, false },
	{ "window_end", { true, ACK | ECE, false, true, U + 5000, U, U + 5000 }, false },
	{ "next_window", { true, ACK | ECE, false, true, U + 5001, U, U + 5000 }, true },
	/* across the wrap */
	{ "wrap_same", { true, ACK | ECE, false, true, 0x10, U, 0x1000 }, false },
	{ "wrap_next", { true, ACK | ECE, false, true, 0x1001, U, 0x1000 }, true },
};

static void reduce_desc(const struct reduce_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(reduce, reduce_cases, reduce_desc);

static void ecn_sender_reduces(struct kunit *test)
{
	const struct reduce_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_ecn_reduce(&c->in), c->reduce);
}

/*
 * The reduction ends when SND.UNA passes SND.MAX of its start, not when
 * it reaches it: only data sent after can carry our CWR to the receiver.
 */
static void ecn_reduction_ends_past_its_window(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_cwr_done(false, U + 5001, U + 5000));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_cwr_done(true, U + 10, U + 5000));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_cwr_done(true, U + 5000, U + 5000));
	KUNIT_EXPECT_TRUE(test, xtcp_ecn_cwr_done(true, U + 5001, U + 5000));
	/* across the wrap */
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_cwr_done(true, U + 10, 0x1000));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_cwr_done(true, 0x1000, 0x1000));
	KUNIT_EXPECT_TRUE(test, xtcp_ecn_cwr_done(true, 0x1001, 0x1000));
}

static struct kunit_case xtcp_ecn_cases[] = {
	KUNIT_CASE(ecn_syn_asks),
	KUNIT_CASE_PARAM(ecn_listener_accepts, accept_gen_params),
	KUNIT_CASE(ecn_agreed_by_the_answer),
	KUNIT_CASE_PARAM(ecn_segment_out, out_gen_params),
	KUNIT_CASE(ecn_tos_is_ours),
	KUNIT_CASE_PARAM(ecn_receiver, rcv_gen_params),
	KUNIT_CASE_PARAM(ecn_sender_reduces, reduce_gen_params),
	KUNIT_CASE(ecn_reduction_ends_past_its_window),
	{}
};

static struct kunit_suite xtcp_ecn_suite = {
	.name = "xtcp_ecn",
	.test_cases = xtcp_ecn_cases,
};

kunit_test_suite(xtcp_ecn_suite);
