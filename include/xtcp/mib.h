/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-namespace counters. The names are those of the TCP MIB (RFC 4022,
 * Linux's /proc/net/snmp "Tcp:" lines) where one exists, so tools that know
 * TCP's counters read xtcp's the same way.
 */
#ifndef _XTCP_MIB_H
#define _XTCP_MIB_H

#include <linux/percpu.h>
#include <xtcp/xtcp.h>

enum xtcp_mib_field {
	XTCP_MIB_ACTIVEOPENS,	/* CLOSED -> SYN_SENT */
	XTCP_MIB_PASSIVEOPENS,	/* LISTEN -> SYN_RECEIVED */
	XTCP_MIB_ATTEMPTFAILS,	/* SYN_SENT/SYN_RECEIVED -> CLOSED, or SYN_RECEIVED -> LISTEN */
	XTCP_MIB_ESTABRESETS,	/* ESTABLISHED/CLOSE_WAIT -> CLOSED */
	XTCP_MIB_CURRESTAB,	/* ESTABLISHED or CLOSE_WAIT now (a gauge) */
	XTCP_MIB_INSEGS,	/* segments received, errors included */
	XTCP_MIB_OUTSEGS,	/* segments sent, retransmissions excluded */
	XTCP_MIB_RETRANSSEGS,	/* segments retransmitted */
	XTCP_MIB_INERRS,	/* segments received in error (bad checksum, header) */
	XTCP_MIB_OUTRSTS,	/* segments sent with RST */
	XTCP_MIB_INCSUMERRORS,	/* segments received with a bad checksum */
	XTCP_MIB_CHALLENGEACKS,	/* challenge ACKs sent (RFC 5961) */
	XTCP_MIB_CHALLENGEACKLIMITED,	/* challenge ACKs not sent: rate limit */
	XTCP_MIB_OOWACKLIMITED,	/* ACKs not sent to out-of-window ACKs: limit */
	XTCP_MIB_SYNDROPS,	/* SYNs dropped: SYN or accept queue full */
	XTCP_MIB_TIMEWAITS,	/* connections that entered TIME_WAIT */
	XTCP_MIB_TIMEOUTS,	/* retransmission timeouts (TCPTimeouts) */
	XTCP_MIB_FASTRETRANS,	/* fast retransmits (TCPFastRetrans) */
	XTCP_MIB_RECOVERIES,	/* fast recoveries entered */
	XTCP_MIB_SACKRECOVERIES,	/* of those, SACK-based (TCPSackRecovery) */
	XTCP_MIB_OFOQUEUE,	/* segments queued out of order (TCPOFOQueue) */
	XTCP_MIB_RCVPRUNED,	/* text dropped for lack of receive memory */
	XTCP_MIB_PAWSREJECTED,	/* segments dropped by PAWS (PAWSEstab) */
	XTCP_MIB_DELAYEDACKS,	/* delayed ACKs sent by the timer */
	XTCP_MIB_WINPROBES,	/* zero-window probes sent */
	XTCP_MIB_FILTERDROPS,	/* segments a socket filter dropped */
	XTCP_MIB_SYNCOOKIESSENT,	/* SYN-ACKs sent with a cookie */
	XTCP_MIB_SYNCOOKIESRECV,	/* ACKs of a valid cookie */
	XTCP_MIB_SYNCOOKIESFAILED,	/* ACKs checked as a cookie, not one */
	XTCP_MIB_LISTENOVERFLOWS,	/* handshakes dropped: accept queue full */
	XTCP_MIB_LISTENDROPS,	/* SYNs and cookie ACKs a listener dropped */
	XTCP_MIB_PRUNECALLED,	/* receive memory ran short: pruning began */
	XTCP_MIB_OFOPRUNED,	/* out-of-order buffers dropped to make room */
	XTCP_MIB_RCVCOLLAPSED,	/* buffers freed by copying into compact ones */
	XTCP_MIB_MEMORYPRESSURES,	/* net.xtcp.mem[1] passed (TCPMemoryPressures) */
	XTCP_MIB_INICMPS,	/* ICMP errors about xtcp's connections taken */
	XTCP_MIB_OUTOFWINDOWICMPS,	/* ... quoting a sequence number not in flight */
	XTCP_MIB_NEGATIVEADVICE,	/* RTOs past R1 (retries1): advice to IP */
	XTCP_MIB_RTOREVERTS,	/* RTO backoffs undone by an unreachable (RFC 6069) */
	XTCP_MIB_MTUPROBES,	/* path-MTU probes sent (RFC 4821) */
	XTCP_MIB_MTUPROBESSUCCEEDED,	/* ... acknowledged (TCPMTUPSuccess) */
	XTCP_MIB_MTUPROBESFAILED,	/* ... lost (TCPMTUPFail) */
	XTCP_MIB_BLACKHOLEDETECTED,	/* RTOs past R1 that lowered the MSS */
	XTCP_MIB_TLPPROBES,	/* tail loss probes sent (TCPLossProbes) */
	XTCP_MIB_TLPRECOVERIES,	/* ... that repaired a loss (TCPLossProbeRecovery) */
	XTCP_MIB_RACKLOSSES,	/* holes RACK (RFC 8985) found lost by time */
	XTCP_MIB_RACKREOTIMEOUTS,	/* RACK's reordering timer expired */
	XTCP_MIB_DSACKOLDSENT,	/* D-SACKs sent for old data (TCPDSACKOldSent) */
	XTCP_MIB_DSACKOFOSENT,	/* ... for data held out of order */
	XTCP_MIB_DSACKRECV,	/* D-SACKs received (TCPDSACKRecv) */
	XTCP_MIB_DSACKUNDO,	/* recoveries undone by D-SACKs (TCPDSACKUndo) */
	XTCP_MIB_TSUNDO,	/* ... by timestamps, RFC 3522 (TCPFullUndo etc.) */
	XTCP_MIB_SPURIOUSRTOS,	/* ... of them after an RTO (TCPSpuriousRTOs) */
	XTCP_MIB_ECNNEGOTIATED,	/* connections that agreed on ECN (RFC 3168) */
	XTCP_MIB_ECNCERECV,	/* data segments received CE-marked */
	XTCP_MIB_ECNECERECV,	/* ACKs with ECE on an ECN connection */
	XTCP_MIB_ECNREDUCTIONS,	/* ... that reduced the congestion window */
	XTCP_MIB_ECNCWRSENT,	/* segments sent with CWR */
	XTCP_MIB_TFOACTIVE,	/* our SYN's data acknowledged (TFO client) */
	XTCP_MIB_TFOACTIVEFAIL,	/* ... not acknowledged: sent again */
	XTCP_MIB_TFOPASSIVE,	/* Fast Open children made (server) */
	XTCP_MIB_TFOPASSIVEFAIL,	/* SYNs with a wrong cookie, or no child */
	XTCP_MIB_TFOLISTENOVERFLOW,	/* Fast Open refused: qlen reached */
	XTCP_MIB_TFOCOOKIEREQD,	/* SYNs that asked for a cookie */
	XTCP_MIB_HYSTARTDELAYDETECT,	/* slow starts HyStart++ ended on delay */
	XTCP_MIB_HYSTARTDELAYCWND,	/* ... the windows then, segments */
	XTCP_MIB_MAX
};

/**
 * xtcp_mib_add() - add to a counter of a namespace
 * @net: the namespace
 * @field: which counter
 * @val: how much (negative for the CurrEstab gauge)
 *
 * Safe in any context: the counters are per-cpu.
 */
static inline void xtcp_mib_add(const struct net *net,
				enum xtcp_mib_field field, long val)
{
	this_cpu_add(xtcp_net(net)->mib[field], val);
}

static inline void xtcp_mib_inc(const struct net *net,
				enum xtcp_mib_field field)
{
	xtcp_mib_add(net, field, 1);
}

int xtcp_mib_init(struct net *net);
void xtcp_mib_exit(struct net *net);
unsigned long xtcp_mib_read(const struct net *net, enum xtcp_mib_field field);

#endif /* _XTCP_MIB_H */
