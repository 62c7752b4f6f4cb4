// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the RFC 9293 state table (mod/state.c), every cell of it.
 *
 * The expected table is written out here a second time, row by row from
 * the RFC's figure 5 and section 3.10, so that a change to one cell of
 * state.c shows up as a failure naming the state and the event.
 */

#include <kunit/test.h>
#include <xtcp/state.h>

#define S	XTCP_ACT_SEND_SYN
#define SA	XTCP_ACT_SEND_SYNACK
#define F	XTCP_ACT_SEND_FIN
#define A	XTCP_ACT_SEND_ACK
#define R	XTCP_ACT_SEND_RST
#define C	XTCP_ACT_CONNECTED
#define REF	XTCP_ACT_REFUSED
#define RES	XTCP_ACT_RESET
#define TO	XTCP_ACT_TIMEDOUT
#define E	XTCP_ACT_EOF
#define TW	XTCP_ACT_TIMEWAIT
#define D	XTCP_ACT_DONE

struct cell {
	int state;
	enum xtcp_event ev;
	int next;
	u16 actions;
};

/* Every valid cell; any (state, event) not listed must be invalid. */
static const struct cell expected[] = {
	{ TCP_CLOSE, XTCP_EV_CONNECT, TCP_SYN_SENT, S },
	{ TCP_CLOSE, XTCP_EV_LISTEN, TCP_LISTEN, 0 },
	{ TCP_CLOSE, XTCP_EV_CLOSE, TCP_CLOSE, D },
	{ TCP_CLOSE, XTCP_EV_ABORT, TCP_CLOSE, D },

	{ TCP_LISTEN, XTCP_EV_SYN, TCP_SYN_RECV, SA },
	{ TCP_LISTEN, XTCP_EV_CLOSE, TCP_CLOSE, D },
	{ TCP_LISTEN, XTCP_EV_ABORT, TCP_CLOSE, D },

	{ TCP_SYN_SENT, XTCP_EV_SYNACK, TCP_ESTABLISHED, A | C },
	{ TCP_SYN_SENT, XTCP_EV_SYN, TCP_SYN_RECV, SA },
	{ TCP_SYN_SENT, XTCP_EV_RST, TCP_CLOSE, REF | D },
	{ TCP_SYN_SENT, XTCP_EV_CLOSE, TCP_CLOSE, D },
	{ TCP_SYN_SENT, XTCP_EV_ABORT, TCP_CLOSE, D },
	{ TCP_SYN_SENT, XTCP_EV_GIVEUP, TCP_CLOSE, TO | D },

	{ TCP_SYN_RECV, XTCP_EV_ACK_SYN, TCP_ESTABLISHED, C },
	{ TCP_SYN_RECV, XTCP_EV_CLOSE, TCP_FIN_WAIT1, F },
	{ TCP_SYN_RECV, XTCP_EV_ABORT, TCP_CLOSE, R | D },
	{ TCP_SYN_RECV, XTCP_EV_RST, TCP_CLOSE, REF | D },
	{ TCP_SYN_RECV, XTCP_EV_GIVEUP, TCP_CLOSE, TO | D },

	{ TCP_ESTABLISHED, XTCP_EV_FIN, TCP_CLOSE_WAIT, A | E },
	{ TCP_ESTABLISHED, XTCP_EV_CLOSE, TCP_FIN_WAIT1, F },
	{ TCP_ESTABLISHED, XTCP_EV_ABORT, TCP_CLOSE, R | D },
	{ TCP_ESTABLISHED, XTCP_EV_RST, TCP_CLOSE, RES | D },
	{ TCP_ESTABLISHED, XTCP_EV_GIVEUP, TCP_CLOSE, TO | D },
	{ TCP_ESTABLISHED, XTCP_EV_KA_GIVEUP, TCP_CLOSE, R | TO | D },

	{ TCP_FIN_WAIT1, XTCP_EV_ACK_FIN, TCP_FIN_WAIT2, 0 },
	{ TCP_FIN_WAIT1, XTCP_EV_FIN, TCP_CLOSING, A | E },
	{ TCP_FIN_WAIT1, XTCP_EV_CLOSE, TCP_FIN_WAIT1, 0 },
	{ TCP_FIN_WAIT1, XTCP_EV_ABORT, TCP_CLOSE, R | D },
	{ TCP_FIN_WAIT1, XTCP_EV_RST, TCP_CLOSE, RES | D },
	{ TCP_FIN_WAIT1, XTCP_EV_GIVEUP, TCP_CLOSE, TO | D },
	{ TCP_FIN_WAIT1, XTCP_EV_KA_GIVEUP, TCP_CLOSE, R | TO | D },

	{ TCP_FIN_WAIT2, XTCP_EV_FIN, TCP_TIME_WAIT, A | E | TW },
	{ TCP_FIN_WAIT2, XTCP_EV_CLOSE, TCP_FIN_WAIT2, 0 },
	{ TCP_FIN_WAIT2, XTCP_EV_ABORT, TCP_CLOSE, R | D },
	{ TCP_FIN_WAIT2, XTCP_EV_RST, TCP_CLOSE, RES | D },
	{ TCP_FIN_WAIT2, XTCP_EV_FW2_TIMEOUT, TCP_CLOSE, D },
	{ TCP_FIN_WAIT2, XTCP_EV_GIVEUP, TCP_CLOSE, TO | D },
	{ TCP_FIN_WAIT2, XTCP_EV_KA_GIVEUP, TCP_CLOSE, R | TO | D },

	{ TCP_CLOSE_WAIT, XTCP_EV_CLOSE, TCP_LAST_ACK, F },
	{ TCP_CLOSE_WAIT, XTCP_EV_FIN, TCP_CLOSE_WAIT, A },
	{ TCP_CLOSE_WAIT, XTCP_EV_ABORT, TCP_CLOSE, R | D },
	{ TCP_CLOSE_WAIT, XTCP_EV_RST, TCP_CLOSE, RES | D },
	{ TCP_CLOSE_WAIT, XTCP_EV_GIVEUP, TCP_CLOSE, TO | D },
	{ TCP_CLOSE_WAIT, XTCP_EV_KA_GIVEUP, TCP_CLOSE, R | TO | D },

	{ TCP_CLOSING, XTCP_EV_ACK_FIN, TCP_TIME_WAIT, TW },
	{ TCP_CLOSING, XTCP_EV_FIN, TCP_CLOSING, A },
	{ TCP_CLOSING, XTCP_EV_CLOSE, TCP_CLOSING, 0 },
	{ TCP_CLOSING, XTCP_EV_ABORT, TCP_CLOSE, D },
	{ TCP_CLOSING, XTCP_EV_RST, TCP_CLOSE, D },
	{ TCP_CLOSING, XTCP_EV_GIVEUP, TCP_CLOSE, TO | D },
	{ TCP_CLOSING, XTCP_EV_KA_GIVEUP, TCP_CLOSE, R | TO | D },

	{ TCP_LAST_ACK, XTCP_EV_ACK_FIN, TCP_CLOSE, D },
	{ TCP_LAST_ACK, XTCP_EV_FIN, TCP_LAST_ACK, A },
	{ TCP_LAST_ACK, XTCP_EV_CLOSE, TCP_LAST_ACK, 0 },
	{ TCP_LAST_ACK, XTCP_EV_ABORT, TCP_CLOSE, D },
	{ TCP_LAST_ACK, XTCP_EV_RST, TCP_CLOSE, D },
	{ TCP_LAST_ACK, XTCP_EV_GIVEUP, TCP_CLOSE, TO | D },
	{ TCP_LAST_ACK, XTCP_EV_KA_GIVEUP, TCP_CLOSE, R | TO | D },

	{ TCP_TIME_WAIT, XTCP_EV_FIN, TCP_TIME_WAIT, A | TW },
	{ TCP_TIME_WAIT, XTCP_EV_CLOSE, TCP_TIME_WAIT, 0 },
	{ TCP_TIME_WAIT, XTCP_EV_ABORT, TCP_CLOSE, D },
	{ TCP_TIME_WAIT, XTCP_EV_RST, TCP_CLOSE, D },
	{ TCP_TIME_WAIT, XTCP_EV_TW_TIMEOUT, TCP_CLOSE, D },
};

static const struct cell *expected_cell(int state, enum xtcp_event ev)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(expected); i++)
		if (expected[i].state == state && expected[i].ev == ev)
			return &expected[i];
	return NULL;
}

/* All 11 states x 14 events: valid cells match, all others are invalid. */
static void state_table_every_cell(struct kunit *test)
{
	int state;
	enum xtcp_event ev;

	for (state = TCP_ESTABLISHED; state <= TCP_CLOSING; state++) {
		for (ev = 0; ev < XTCP_EV_MAX; ev++) {
			const struct xtcp_cell *t;
			const struct cell *c = expected_cell(state, ev);

			t = xtcp_state_lookup(state, ev);

			if (!c) {
				bool invalid = t->actions & XTCP_ACT_INVALID;

				KUNIT_EXPECT_TRUE_MSG(test, invalid,
						      "%s + %s should be invalid",
						      xtcp_state_name(state),
						      xtcp_event_name(ev));
				continue;
			}
			KUNIT_EXPECT_EQ_MSG(test, t->next, c->next,
					    "%s + %s: next state",
					    xtcp_state_name(state),
					    xtcp_event_name(ev));
			KUNIT_EXPECT_EQ_MSG(test, t->actions, c->actions,
					    "%s + %s: actions",
					    xtcp_state_name(state),
					    xtcp_event_name(ev));
		}
	}
}

/* Out-of-range states and events never index past the table. */
static void state_table_rejects_out_of_range(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_state_lookup(0, XTCP_EV_CLOSE)->actions &
			  XTCP_ACT_INVALID);
	KUNIT_EXPECT_TRUE(test, xtcp_state_lookup(TCP_MAX_STATES,
						  XTCP_EV_CLOSE)->actions &
			  XTCP_ACT_INVALID);
	KUNIT_EXPECT_TRUE(test, xtcp_state_lookup(TCP_ESTABLISHED,
						  XTCP_EV_MAX)->actions &
			  XTCP_ACT_INVALID);
	KUNIT_EXPECT_TRUE(test, xtcp_state_lookup(-1, XTCP_EV_CLOSE)->actions &
			  XTCP_ACT_INVALID);
}

/* The invariants a reader of RFC 9293 expects, checked over the table. */
static void state_table_invariants(struct kunit *test)
{
	int state;
	enum xtcp_event ev;

	for (state = TCP_ESTABLISHED; state <= TCP_CLOSING; state++) {
		/* Every state can be aborted, and an abort always closes. */
		const struct xtcp_cell *t;

		t = xtcp_state_lookup(state, XTCP_EV_ABORT);

		KUNIT_EXPECT_FALSE_MSG(test, t->actions & XTCP_ACT_INVALID,
				       "ABORT in %s", xtcp_state_name(state));
		KUNIT_EXPECT_EQ(test, t->next, TCP_CLOSE);

		for (ev = 0; ev < XTCP_EV_MAX; ev++) {
			t = xtcp_state_lookup(state, ev);
			if (t->actions & XTCP_ACT_INVALID)
				continue;
			/* Deleting the TCB means CLOSED. */
			if (t->actions & XTCP_ACT_DONE)
				KUNIT_EXPECT_EQ(test, t->next, TCP_CLOSE);
			/* TIME_WAIT is entered only with its entry. */
			if (t->next == TCP_TIME_WAIT)
				KUNIT_EXPECT_TRUE(test,
						  (t->actions & XTCP_ACT_TIMEWAIT) ||
						  ev == XTCP_EV_CLOSE);
			/* An RST is never answered with an RST. */
			if (ev == XTCP_EV_RST)
				KUNIT_EXPECT_FALSE(test,
						   t->actions & XTCP_ACT_SEND_RST);
		}
	}
}

/* Every state has a name, and each fits the tracepoints' field. */
static void state_names_fit_the_trace_field(struct kunit *test)
{
	int state;

	for (state = TCP_ESTABLISHED; state <= TCP_CLOSING; state++) {
		const char *name = xtcp_state_name(state);

		KUNIT_EXPECT_STRNEQ(test, name, "?");
		KUNIT_EXPECT_LT(test, strlen(name), XTCP_STATE_NAME_MAX);
	}
}

static void state_names_match_proc_net_tcp(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_ESTABLISHED), "ESTABLISHED");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_TIME_WAIT), "TIME_WAIT");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_LISTEN), "LISTEN");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(0), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(99), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(-1), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_NEW_SYN_RECV), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_event_name(XTCP_EV_FIN), "FIN");
	KUNIT_EXPECT_STREQ(test, xtcp_event_name(XTCP_EV_MAX), "?");
}

/*
 * xtcp_state_allows(), the check in the one place sk_state changes:
 * exactly the changes some cell makes, and nothing else.
 */
static void state_allows_only_the_table(struct kunit *test)
{
	int old, new, n = 0;
	enum xtcp_event ev;

	for (old = TCP_ESTABLISHED; old <= TCP_CLOSING; old++) {
		for (new = TCP_ESTABLISHED; new <= TCP_CLOSING; new++) {
			bool made = false;

			for (ev = 0; ev < XTCP_EV_MAX; ev++) {
				const struct xtcp_cell *t;

				t = xtcp_state_lookup(old, ev);
				if (!(t->actions & XTCP_ACT_INVALID) &&
				    t->next == new)
					made = true;
			}
			KUNIT_EXPECT_EQ_MSG(test, xtcp_state_allows(old, new),
					    made, "%s -> %s",
					    xtcp_state_name(old),
					    xtcp_state_name(new));
			n += made;
		}
	}
	/* The arrows of RFC 9293's figure 5 and Linux's additions. */
	KUNIT_EXPECT_TRUE(test, xtcp_state_allows(TCP_SYN_RECV,
						  TCP_ESTABLISHED));
	KUNIT_EXPECT_TRUE(test, xtcp_state_allows(TCP_TIME_WAIT, TCP_CLOSE));
	KUNIT_EXPECT_FALSE(test, xtcp_state_allows(TCP_LISTEN,
						   TCP_ESTABLISHED));
	KUNIT_EXPECT_FALSE(test, xtcp_state_allows(TCP_CLOSE, TCP_TIME_WAIT));
	KUNIT_EXPECT_FALSE(test, xtcp_state_allows(TCP_ESTABLISHED,
						   TCP_SYN_SENT));
	KUNIT_EXPECT_FALSE(test, xtcp_state_allows(0, TCP_CLOSE));
	KUNIT_EXPECT_GT(test, n, 20);
}

/* Every event has a name, for traces and for the messages above. */
static void state_event_names_complete(struct kunit *test)
{
	enum xtcp_event ev;

	for (ev = 0; ev < XTCP_EV_MAX; ev++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, xtcp_event_name(ev),
					  "event %d has no name", ev);
	KUNIT_EXPECT_STREQ(test, xtcp_event_name(XTCP_EV_KA_GIVEUP),
			   "KA_GIVEUP");
}

static struct kunit_case xtcp_state_cases[] = {
	KUNIT_CASE(state_table_every_cell),
	KUNIT_CASE(state_table_rejects_out_of_range),
	KUNIT_CASE(state_table_invariants),
	KUNIT_CASE(state_names_match_proc_net_tcp),
	KUNIT_CASE(state_names_fit_the_trace_field),
	KUNIT_CASE(state_allows_only_the_table),
	KUNIT_CASE(state_event_names_complete),
	{}
};

static struct kunit_suite xtcp_state_suite = {
	.name = "xtcp_state",
	.test_cases = xtcp_state_cases,
};

kunit_test_suite(xtcp_state_suite);
