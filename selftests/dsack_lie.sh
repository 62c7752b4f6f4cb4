#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# D-SACKs from a receiver that lies, or is confused, played by the scripted
# peer (peer.py) against an xtcp sender:
#  - undo (RFC 2883, RFC 3708's idea): fast recovery resends two lost
#    segments; a D-SACK for each says both were duplicates, and the
#    episode is undone (DSackUndo, ssthresh back to never set). The same
#    D-SACK twice, or one retransmission's D-SACK in two halves, reports
#    one of the two only: nothing is undone, ssthresh stays lowered;
#  - tail loss probe (RFC 8985 7.4.2): the probe repairs a lost last
#    segment. A D-SACK for the probe's own range says it was a duplicate:
#    no reduction. A D-SACK for another range says nothing of the probe:
#    the loss is counted (TlpRecoveries) and the window comes down.
# Each case checks what went on the wire (the peer's lines: what xtcp
# resent, the D-SACKs sent), the counters, TCP_INFO's ssthresh at the
# sender and the stream at the peer.
. "$(dirname "$0")/lib.sh"
require_module

peer_link
# The probe, 2 * SRTT (1.2 s), and recovery come long before an RTO.
n "$A" sysctl -qw net.xtcp.rto_min_ms=4000

# play SCENARIO PORT OP...: peer_play (lib.sh), and the changes of the
# sender's counters into D.
declare -A C D
XCNT="DSackRecv DSackUndo TlpProbes TlpRecoveries SackRecoveries Timeouts"
play() {
	local key

	for key in $XCNT; do
		C[$key]=$(xtcp_stat "$A" "$key")
	done
	peer_play "$@"
	for key in $XCNT; do
		D[$key]=$(($(xtcp_stat "$A" "$key") - C[$key]))
	done
	echo "# $1: rtx=${PEER[rtx]-} dsack=${PEER[dsack]-}" \
		"probe_after=${PEER[probe_after]-}; $(for key in $XCNT; do
		printf '%s +%s ' "$key" "${D[$key]}"; done)"
	echo "# sender: ${SRV[rtt]}"
}

# intact STREAM: the peer got the server's stream whole, both FINs went.
intact() {
	expect "the peer received the stream intact" "$1" "${PEER[recv]-}"
	expect "both FINs were acknowledged" yes "${PEER[closed]-}"
}

# ssthresh: REPLY is the sender's ssthresh (TCP_INFO) at the end.
ssthresh() {
	REPLY=${SRV[rtt]##*ssthresh=}
}
NEVER=2147483647

# 1. Undo. The flight is 1000-10999 (offsets), 1000 and 2000 lost.
undo() {
	local lie=$1 port=$2

	play "dsack_undo_$lie" "$port" writes=1:1000 drain writes=1:10000 \
		drain rtt
	peer_expect "fast recovery resent the two lost segments, once each" \
		"1000 2000" rtx
	expect "one recovery episode, no RTO" "1 0" \
		"${D[SackRecoveries]} ${D[Timeouts]}"
	expect "both D-SACKs were taken for D-SACKs (DSackRecv)" 2 \
		"${D[DSackRecv]}"
	intact "${SRV[stream2]}"
}

_t_prefix="undo, a D-SACK for each retransmission: "
undo each 7201
peer_expect "the peer reported each once" "1000-2000 2000-3000" dsack
expect "the episode was undone (DSackUndo)" 1 "${D[DSackUndo]}"
expect_fn "ssthresh is back to never set" "$NEVER" ssthresh

_t_prefix="undo, the same D-SACK twice: "
undo repeat 7202
peer_expect "the peer reported the second twice" "2000-3000 2000-3000" dsack
expect "nothing undone: the first was lost (DSackUndo)" 0 "${D[DSackUndo]}"
ssthresh
check "ssthresh stays lowered by the episode" test "$REPLY" != "$NEVER"

_t_prefix="undo, one D-SACK in halves: "
undo halves 7203
peer_expect "the peer reported the second in two halves" \
	"2000-2500 2500-3000" dsack
expect "nothing undone: the first was lost (DSackUndo)" 0 "${D[DSackUndo]}"
ssthresh
check "ssthresh stays lowered by the episode" test "$REPLY" != "$NEVER"
_t_prefix=

# 2. The probe. The flight is 1000-10999, its last segment 10000 lost.
probe() {
	local whose=$1 port=$2

	play "tlp_dsack_$whose" "$port" writes=1:1000 drain writes=1:10000 \
		drain writes=1:1000 drain rtt
	peer_expect "the probe resent the last segment after about 2 * SRTT" \
		"[0-9.]+ last" probe_after
	expect "one probe, no recovery, no RTO" "1 0 0" \
		"${D[TlpProbes]} ${D[SackRecoveries]} ${D[Timeouts]}"
	expect "the D-SACK was taken for one (DSackRecv)" 1 "${D[DSackRecv]}"
	intact "${SRV[stream3]}"
}

_t_prefix="probe, a D-SACK for the probe: "
probe probe 7204
peer_expect "the peer reported the probe's range" "10000-11000" dsack
expect "the probe was a duplicate: no loss (TlpRecoveries)" 0 \
	"${D[TlpRecoveries]}"
expect_fn "ssthresh stays never set" "$NEVER" ssthresh

_t_prefix="probe, a D-SACK for another range: "
probe other 7205
peer_expect "the peer reported the flight's second segment" "2000-3000" dsack
expect "the probe repaired a loss, counted (TlpRecoveries)" 1 \
	"${D[TlpRecoveries]}"
ssthresh
check "ssthresh was lowered for it" test "$REPLY" != "$NEVER"
_t_prefix=

done_testing
