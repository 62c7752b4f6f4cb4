/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection state machine of RFC 9293 (section 3.3.2, figure 5) as a
 * table: for each state and event, the next state and what to do.
 *
 * Segment processing (input.c) first decides which event a segment is —
 * is it acceptable, does it acknowledge our SYN or FIN, does it carry the
 * peer's FIN — and the socket calls (sock.c) and timers (timer.c) raise
 * the others. The table then says where the connection goes; conn.c
 * carries the actions out (timewait.c for a TIME_WAIT entry). The table
 * is pure data: KUnit checks every cell.
 */
#ifndef _XTCP_STATE_H
#define _XTCP_STATE_H

#include <linux/types.h>
#include <net/tcp_states.h>

enum xtcp_event {
	XTCP_EV_CONNECT,	/* user: active OPEN (connect) */
	XTCP_EV_LISTEN,		/* user: passive OPEN (listen) */
	XTCP_EV_CLOSE,		/* user: CLOSE (close, shutdown SHUT_WR) */
	XTCP_EV_ABORT,		/* user: ABORT (linger 0, unread data) */
	XTCP_EV_SYN,		/* an acceptable SYN without ACK */
	XTCP_EV_SYNACK,		/* SYN_SENT: a SYN that acknowledges ours */
	XTCP_EV_ACK_SYN,	/* an ACK that acknowledges our SYN */
	XTCP_EV_ACK_FIN,	/* an ACK that acknowledges our FIN */
	XTCP_EV_FIN,		/* the peer's FIN, in sequence */
	XTCP_EV_RST,		/* an acceptable RST */
	XTCP_EV_GIVEUP,		/* retries, window probes, user timeout, ICMP */
	XTCP_EV_FW2_TIMEOUT,	/* orphaned FIN_WAIT_2 waited long enough */
	XTCP_EV_TW_TIMEOUT,	/* 2*MSL in TIME_WAIT passed */
	XTCP_EV_KA_GIVEUP,	/* keepalive: the peer answered no probe */
	XTCP_EV_MAX
};

/* Actions, performed in this order by xtcp_transition(). */
#define XTCP_ACT_SEND_SYN	BIT(0)	/* send <SYN> */
#define XTCP_ACT_SEND_SYNACK	BIT(1)	/* send <SYN,ACK> */
#define XTCP_ACT_SEND_FIN	BIT(2)	/* queue our FIN after the data */
#define XTCP_ACT_SEND_ACK	BIT(3)	/* acknowledge (the peer's FIN) */
#define XTCP_ACT_SEND_RST	BIT(4)	/* send <RST> */
#define XTCP_ACT_CONNECTED	BIT(5)	/* wake connect(), queue for accept() */
#define XTCP_ACT_REFUSED	BIT(6)	/* report ECONNREFUSED */
#define XTCP_ACT_RESET		BIT(7)	/* report ECONNRESET (EPIPE on send) */
#define XTCP_ACT_TIMEDOUT	BIT(8)	/* report ETIMEDOUT */
#define XTCP_ACT_EOF		BIT(9)	/* the peer sent its last byte */
#define XTCP_ACT_TIMEWAIT	BIT(10)	/* hand over to a TIME_WAIT entry */
#define XTCP_ACT_DONE		BIT(11)	/* delete the TCB */
#define XTCP_ACT_INVALID	BIT(15)	/* the event is not valid here */

/**
 * struct xtcp_cell - one cell of the state table
 * @next: the state after the event (unchanged for an invalid event)
 * @actions: XTCP_ACT_* bits
 */
struct xtcp_cell {
	u8 next;
	u16 actions;
};

const struct xtcp_cell *xtcp_state_lookup(int state, enum xtcp_event ev);
bool xtcp_state_allows(int old, int new);
/* The longest state name, "ESTABLISHED", with its NUL: for tracepoints. */
#define XTCP_STATE_NAME_MAX	12

const char *xtcp_state_name(int state);
const char *xtcp_event_name(enum xtcp_event ev);

#endif /* _XTCP_STATE_H */
