#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Loss recovery rules of xtcp's sender that need one exact sequence of
# losses and ACKs to show, played by a scripted peer (peer.py) that
# decides for each segment whether it is lost, SACKed or acknowledged:
#  - Limited Transmit (RFC 3042): the first and second duplicate ACKs
#    each let one new segment go although the congestion window is full;
#  - a lost fast retransmission is found by SACKs for DupThresh segments
#    sent after it, and resent then, not at the RTO;
#  - ACKs that SACK new data count as duplicates even when they carry
#    data, as a peer that is sending too sends them;
#  - after an RTO, when the send pointer went back to SND.UNA, a pure ACK
#    still carries SND.MAX;
#  - PSH on the last segment of each write, none needed to read (MUST-61);
#  - a window shrunk below what was sent: nothing new beyond its right
#    edge, and the data kept (MUST-34).
# Each scenario checks what the application saw (its writes all
# acknowledged, the stream intact at the peer) and what went on the wire.
. "$(dirname "$0")/lib.sh"
require_module

# xtcp in A, the scripted peer in B (see peer_link in lib.sh).
peer_link

# served_ok TOTAL: the application wrote TOTAL bytes (warm-up and bulk),
# all were acknowledged, and the peer got them intact and closed cleanly.
served_ok() {
	expect "the application's writes were all acknowledged" "OK OK" \
		"${SRV[drain]} ${SRV[drain2]}"
	expect_match "the application wrote $1 bytes" "bytes=$1 .*" \
		"${SRV[stream2]}"
	expect "the peer received them intact" "${SRV[stream2]}" \
		"${PEER[recv]-}"
	peer_expect "both FINs were acknowledged" yes closed
}

# The scripted steps take a few seconds: the RTO (from the RTT sample of
# the warm-up segment) must be far beyond them.
n "$A" sysctl -qw net.xtcp.rto_min_ms=8000
# The rules here are RFC 6675's and RFC 3042's, counted in segments and
# duplicate ACKs: without RACK's timers and tail loss probes, which would
# act in the pauses the scripted peer takes (rack_tlp.sh tests those).
n "$A" sysctl -qw net.xtcp.recovery=0 net.xtcp.tlp=0

# 1. Limited Transmit. A 1000-byte warm-up segment, then 30 more: the
# initial window sends 10 of them.
_t_prefix="limited transmit: "
timeouts=$(xtcp_stat "$A" Timeouts)
peer_play limited_transmit 7001 writes=1:1000 drain writes=1:30000 drain
peer_expect "xtcp agreed to SACK" '.*sackok.*' synack
peer_expect "the initial window went out, 10 segments" "new( new){9}" flight
peer_expect "the 1st duplicate ACK sends one new segment" new dupack1
peer_expect "the 2nd duplicate ACK sends one new segment" new dupack2
peer_expect "the 3rd duplicate ACK resends SND.UNA (fast retransmit)" una dupack3
served_ok 31000
expect "no RTO fired" "$timeouts" "$(xtcp_stat "$A" Timeouts)"
_t_prefix=

# 2. The fast retransmission lost too: resent after three SACKs of
# segments sent after it, before the RTO (8 s) could fire.
_t_prefix="lost retransmission: "
timeouts=$(xtcp_stat "$A" Timeouts)
peer_play lost_retransmit 7002 writes=1:1000 drain writes=1:30000 drain
peer_expect "the 3rd duplicate ACK resends SND.UNA (fast retransmit)" una dupack3
peer_expect "segments went after the fast retransmission" '[3-9]|[1-9][0-9]' \
	sent_after
peer_expect "one SACKed after it: not resent yet" 'none|new( new)*' sack1
peer_expect "two SACKed after it: not resent yet" 'none|new( new)*' sack2
peer_expect "three SACKed after it: SND.UNA's segment goes again" 'una( new)*' sack3
served_ok 31000
expect "no RTO fired" "$timeouts" "$(xtcp_stat "$A" Timeouts)"
echo "# the lost segment went at t=${PEER[copies]-?} s; the RTO: 8 s after the first"
_t_prefix=

# 3. The peer sends too, and reports the loss on its data segments: each
# SACKs new data, so each counts as a duplicate ACK (RFC 6675 5: the
# scoreboard is updated from any ACK with SACK information). Counting only
# pure ACKs left such losses in a transfer both ways to the RTO.
_t_prefix="SACKs on data: "
timeouts=$(xtcp_stat "$A" Timeouts)
peer_play sack_on_data 7004 writes=1:1000 drain writes=1:30000 drain read=300
peer_expect "the 1st data segment that SACKs sends one new segment" new data1
peer_expect "the 2nd data segment that SACKs sends one new segment" new data2
peer_expect "the 3rd resends SND.UNA (fast retransmit)" una data3
expect "the application read the peer's data" "bytes=300" "${SRV[read]}"
served_ok 31000
expect "no RTO fired" "$timeouts" "$(xtcp_stat "$A" Timeouts)"
_t_prefix=

# 4. After an RTO an ACK carries SND.MAX: the peer, which saw SND.MAX,
# would drop an ACK numbered below it as old (see xtcp_send_ack()). The
# RTO (1 s) comes well after the flight, which the peer takes as all that
# came until 0.3 s passed without a segment.
n "$A" sysctl -qw net.xtcp.rto_min_ms=1000
_t_prefix="ACK after an RTO: "
timeouts=$(xtcp_stat "$A" Timeouts)
peer_play ack_snd_max 7003 writes=1:1000 drain writes=1:5000 read=100 drain
peer_expect "the whole flight went, 5 segments" "new( new){4}" flight
peer_expect "SND.MAX as the peer saw it: 6000" 6000 snd_max
peer_expect "the RTO resent SND.UNA's segment" '[0-9.]+' rto_after
if [ "$(xtcp_stat "$A" Timeouts)" -gt "$timeouts" ]; then
	pass "and counted it in Timeouts"
else
	fail "and counted it in Timeouts" \
		"Timeouts: $timeouts -> $(xtcp_stat "$A" Timeouts)"
fi
expect "the application read the peer's data" "bytes=100" "${SRV[read]}"
peer_expect "the ACK of the peer's data carries SND.MAX" "seq=${PEER[snd_max]-?}" ack
served_ok 6000
echo "# the RTO resent it ${PEER[rto_after]-?} s after it first went"
_t_prefix=

# 5. PUSH (MUST-60/61): the receiver does not wait for PSH, the sender
# sets it on the last segment of each write (when the send queue empties,
# as Linux TCP) and on no other.
_t_prefix="PUSH: "
peer_play push 7005 read=100 writes=1:1000 drain writes=1:8000 drain
expect "the application read 100 bytes the peer sent without PSH" \
	"bytes=100" "${SRV[read]}"
peer_expect "PSH on the segments that end each write, 1000 and 9000" \
	"1000 9000" psh
served_ok 9000
_t_prefix=

# 6. A window that shrinks (MUST-34): the peer acknowledges two segments
# of a 10-segment flight with a window of 0. Nothing new goes beyond the
# right edge until it opens again (the RTO, 1 s, comes after the 0.6 s
# the peer watches), and the data in flight is kept: the stream arrives
# whole.
_t_prefix="shrinking window: "
peer_play shrink 7006 writes=1:1000 drain writes=1:30000 drain
peer_expect "the flight went, 10 segments" "new( new){9}" flight
peer_expect "nothing is sent beyond the shrunk window" none shrunk
peer_expect "once it opens, new data goes" "new( new)*" reopened
served_ok 31000
_t_prefix=

done_testing
