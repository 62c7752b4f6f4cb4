// SPDX-License-Identifier: GPL-2.0
/*
 * The RFC 9293 state table. Rows are states, columns events; a cell left
 * out is an event the state does not accept (XTCP_ACT_INVALID). Where a
 * cell follows a specific rule of the RFC, the comment names the section.
 *
 * Once a connection reaches TIME_WAIT, a compact entry replaces the
 * socket, and timewait.c carries out that row for it.
 */

#include <linux/kernel.h>
#include <xtcp/state.h>

#define T(n, a) { .next = (n), .actions = (a) }
#define SYN	XTCP_ACT_SEND_SYN
#define SYNACK	XTCP_ACT_SEND_SYNACK
#define FIN	XTCP_ACT_SEND_FIN
#define ACK	XTCP_ACT_SEND_ACK
#define RST	XTCP_ACT_SEND_RST
#define CONN	XTCP_ACT_CONNECTED
#define REFUSED	XTCP_ACT_REFUSED
#define RESET	XTCP_ACT_RESET
#define TIMEOUT	XTCP_ACT_TIMEDOUT
#define EOF	XTCP_ACT_EOF
#define TW	XTCP_ACT_TIMEWAIT
#define DONE	XTCP_ACT_DONE

static const struct xtcp_cell xtcp_table[TCP_MAX_STATES][XTCP_EV_MAX] = {
	[TCP_CLOSE] = {
		[XTCP_EV_CONNECT]	= T(TCP_SYN_SENT, SYN),
		[XTCP_EV_LISTEN]	= T(TCP_LISTEN, 0),
		[XTCP_EV_CLOSE]		= T(TCP_CLOSE, DONE),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, DONE),
	},
	/* A passive child is born in LISTEN and takes the SYN from there. */
	[TCP_LISTEN] = {
		[XTCP_EV_SYN]		= T(TCP_SYN_RECV, SYNACK),
		[XTCP_EV_CLOSE]		= T(TCP_CLOSE, DONE),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, DONE),
	},
	[TCP_SYN_SENT] = {
		[XTCP_EV_SYNACK]	= T(TCP_ESTABLISHED, ACK | CONN),
		/* 3.10.7.3: a SYN without ACK: simultaneous open (MUST-10) */
		[XTCP_EV_SYN]		= T(TCP_SYN_RECV, SYNACK),
		[XTCP_EV_RST]		= T(TCP_CLOSE, REFUSED | DONE),
		[XTCP_EV_CLOSE]		= T(TCP_CLOSE, DONE),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, DONE),
		[XTCP_EV_GIVEUP]	= T(TCP_CLOSE, TIMEOUT | DONE),
	},
	[TCP_SYN_RECV] = {
		[XTCP_EV_ACK_SYN]	= T(TCP_ESTABLISHED, CONN),
		/* 3.10.4: CLOSE in SYN_RECEIVED sends FIN */
		[XTCP_EV_CLOSE]		= T(TCP_FIN_WAIT1, FIN),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, RST | DONE),
		/* 3.10.7.4 second: RST in SYN_RECEIVED, refused either way */
		[XTCP_EV_RST]		= T(TCP_CLOSE, REFUSED | DONE),
		[XTCP_EV_GIVEUP]	= T(TCP_CLOSE, TIMEOUT | DONE),
	},
	[TCP_ESTABLISHED] = {
		[XTCP_EV_FIN]		= T(TCP_CLOSE_WAIT, ACK | EOF),
		[XTCP_EV_CLOSE]		= T(TCP_FIN_WAIT1, FIN),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, RST | DONE),
		[XTCP_EV_RST]		= T(TCP_CLOSE, RESET | DONE),
		[XTCP_EV_GIVEUP]	= T(TCP_CLOSE, TIMEOUT | DONE),
		/* keepalive resets, as Linux's tcp_keepalive_timer() */
		[XTCP_EV_KA_GIVEUP]	= T(TCP_CLOSE, RST | TIMEOUT | DONE),
	},
	[TCP_FIN_WAIT1] = {
		[XTCP_EV_ACK_FIN]	= T(TCP_FIN_WAIT2, 0),
		/* simultaneous close: both FINs cross */
		[XTCP_EV_FIN]		= T(TCP_CLOSING, ACK | EOF),
		[XTCP_EV_CLOSE]		= T(TCP_FIN_WAIT1, 0),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, RST | DONE),
		[XTCP_EV_RST]		= T(TCP_CLOSE, RESET | DONE),
		[XTCP_EV_GIVEUP]	= T(TCP_CLOSE, TIMEOUT | DONE),
		[XTCP_EV_KA_GIVEUP]	= T(TCP_CLOSE, RST | TIMEOUT | DONE),
	},
	[TCP_FIN_WAIT2] = {
		[XTCP_EV_FIN]		= T(TCP_TIME_WAIT, ACK | EOF | TW),
		[XTCP_EV_CLOSE]		= T(TCP_FIN_WAIT2, 0),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, RST | DONE),
		[XTCP_EV_RST]		= T(TCP_CLOSE, RESET | DONE),
		[XTCP_EV_FW2_TIMEOUT]	= T(TCP_CLOSE, DONE),
		[XTCP_EV_GIVEUP]	= T(TCP_CLOSE, TIMEOUT | DONE),
		[XTCP_EV_KA_GIVEUP]	= T(TCP_CLOSE, RST | TIMEOUT | DONE),
	},
	[TCP_CLOSE_WAIT] = {
		[XTCP_EV_CLOSE]		= T(TCP_LAST_ACK, FIN),
		/* a retransmitted FIN: acknowledge it again */
		[XTCP_EV_FIN]		= T(TCP_CLOSE_WAIT, ACK),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, RST | DONE),
		[XTCP_EV_RST]		= T(TCP_CLOSE, RESET | DONE),
		[XTCP_EV_GIVEUP]	= T(TCP_CLOSE, TIMEOUT | DONE),
		[XTCP_EV_KA_GIVEUP]	= T(TCP_CLOSE, RST | TIMEOUT | DONE),
	},
	[TCP_CLOSING] = {
		[XTCP_EV_ACK_FIN]	= T(TCP_TIME_WAIT, TW),
		[XTCP_EV_FIN]		= T(TCP_CLOSING, ACK),
		[XTCP_EV_CLOSE]		= T(TCP_CLOSING, 0),
		/* 3.10.5: ABORT in CLOSING, LAST_ACK, TIME_WAIT sends nothing */
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, DONE),
		[XTCP_EV_RST]		= T(TCP_CLOSE, DONE),
		[XTCP_EV_GIVEUP]	= T(TCP_CLOSE, TIMEOUT | DONE),
		[XTCP_EV_KA_GIVEUP]	= T(TCP_CLOSE, RST | TIMEOUT | DONE),
	},
	[TCP_LAST_ACK] = {
		[XTCP_EV_ACK_FIN]	= T(TCP_CLOSE, DONE),
		[XTCP_EV_FIN]		= T(TCP_LAST_ACK, ACK),
		[XTCP_EV_CLOSE]		= T(TCP_LAST_ACK, 0),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, DONE),
		[XTCP_EV_RST]		= T(TCP_CLOSE, DONE),
		[XTCP_EV_GIVEUP]	= T(TCP_CLOSE, TIMEOUT | DONE),
		[XTCP_EV_KA_GIVEUP]	= T(TCP_CLOSE, RST | TIMEOUT | DONE),
	},
	[TCP_TIME_WAIT] = {
		/* 3.10.7.4 eighth: a retransmitted FIN restarts the 2 MSL */
		[XTCP_EV_FIN]		= T(TCP_TIME_WAIT, ACK | TW),
		[XTCP_EV_CLOSE]		= T(TCP_TIME_WAIT, 0),
		[XTCP_EV_ABORT]		= T(TCP_CLOSE, DONE),
		/* Linux's default (tcp_rfc1337 = 0): an RST ends TIME_WAIT */
		[XTCP_EV_RST]		= T(TCP_CLOSE, DONE),
		[XTCP_EV_TW_TIMEOUT]	= T(TCP_CLOSE, DONE),
	},
};

static const struct xtcp_cell xtcp_invalid = {
	.actions = XTCP_ACT_INVALID,
};

/**
 * xtcp_state_lookup() - what an event does in a state
 * @state: a TCP_* state
 * @ev: the event
 *
 * Return: the cell of the state table; for an event the state does not
 * accept, a cell with XTCP_ACT_INVALID (and @next meaningless).
 */
const struct xtcp_cell *xtcp_state_lookup(int state, enum xtcp_event ev)
{
	const struct xtcp_cell *t;

	if (state <= 0 || state >= TCP_MAX_STATES || ev >= XTCP_EV_MAX)
		return &xtcp_invalid;
	t = &xtcp_table[state][ev];
	/* An empty cell: no state is 0, so next == 0 marks it. */
	if (!t->next)
		return &xtcp_invalid;
	return t;
}

/**
 * xtcp_state_allows() - does some event lead from one state to another?
 * @old: a TCP_* state
 * @new: another
 *
 * For the check in the one place sk_state changes (conn.c): a change no
 * cell of the table makes was made outside the table.
 *
 * Return: true if a valid cell of @old's row has @new as its next state.
 */
bool xtcp_state_allows(int old, int new)
{
	enum xtcp_event ev;

	for (ev = 0; ev < XTCP_EV_MAX; ev++) {
		const struct xtcp_cell *t = xtcp_state_lookup(old, ev);

		if (!(t->actions & XTCP_ACT_INVALID) && t->next == new)
			return true;
	}
	return false;
}

/* The states' names as /proc/net/tcp users know them. */
static const char *const xtcp_state_names[TCP_MAX_STATES] = {
	[TCP_ESTABLISHED]	= "ESTABLISHED",
	[TCP_SYN_SENT]		= "SYN_SENT",
	[TCP_SYN_RECV]		= "SYN_RECV",
	[TCP_FIN_WAIT1]		= "FIN_WAIT1",
	[TCP_FIN_WAIT2]		= "FIN_WAIT2",
	[TCP_TIME_WAIT]		= "TIME_WAIT",
	[TCP_CLOSE]		= "CLOSE",
	[TCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCP_LAST_ACK]		= "LAST_ACK",
	[TCP_LISTEN]		= "LISTEN",
	[TCP_CLOSING]		= "CLOSING",
};

/**
 * xtcp_state_name() - a state's name as /proc/net/tcp users know it
 * @state: a TCP_* state
 *
 * Return: the name, or "?" for a number that is no state.
 */
const char *xtcp_state_name(int state)
{
	if (state < 0 || state >= TCP_MAX_STATES || !xtcp_state_names[state])
		return "?";
	return xtcp_state_names[state];
}

static const char *const xtcp_event_names[XTCP_EV_MAX] = {
	[XTCP_EV_CONNECT]	= "CONNECT",
	[XTCP_EV_LISTEN]	= "LISTEN",
	[XTCP_EV_CLOSE]		= "CLOSE",
	[XTCP_EV_ABORT]		= "ABORT",
	[XTCP_EV_SYN]		= "SYN",
	[XTCP_EV_SYNACK]	= "SYNACK",
	[XTCP_EV_ACK_SYN]	= "ACK_SYN",
	[XTCP_EV_ACK_FIN]	= "ACK_FIN",
	[XTCP_EV_FIN]		= "FIN",
	[XTCP_EV_RST]		= "RST",
	[XTCP_EV_GIVEUP]	= "GIVEUP",
	[XTCP_EV_FW2_TIMEOUT]	= "FW2_TIMEOUT",
	[XTCP_EV_TW_TIMEOUT]	= "TW_TIMEOUT",
	[XTCP_EV_KA_GIVEUP]	= "KA_GIVEUP",
};

/**
 * xtcp_event_name() - an event's name, for traces and test messages
 * @ev: the event
 *
 * Return: the name, or "?".
 */
const char *xtcp_event_name(enum xtcp_event ev)
{
	return ev < XTCP_EV_MAX ? xtcp_event_names[ev] : "?";
}
