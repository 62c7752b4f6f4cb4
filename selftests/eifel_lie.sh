#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Eifel detection (RFC 3522) against a receiver that forges its echoes,
# played by the scripted peer (peer.py eifel_*) against an xtcp sender
# with timestamps:
#  - true: the flight arrives, its ACK waits until the RTO resent the
#    first segment, then acknowledges everything echoing the flight's
#    first TSval, as an honest receiver does: the RTO is undone (TSUndo,
#    SpuriousRTOs; ssthresh back to never set);
#  - forged: the same ACK echoes a TSval 1000 ms older than any xtcp
#    sent on the connection. Plain Eifel would take it for the
#    original's echo; xtcp never undoes on a TSval it never sent, and
#    ssthresh stays lowered.
# With timestamps a segment holds 988 bytes (MSS 1000 less 12).
# Each case checks the peer's lines (the retransmission and its TSval,
# the echo sent), the counters, TCP_INFO's ssthresh at the sender and the
# stream at the peer.
. "$(dirname "$0")/lib.sh"
require_module

peer_link

declare -A C D
XCNT="Timeouts TSUndo SpuriousRTOs DSackUndo"
play() {
	local key v

	# A module without a counter (main before this test) reads 0.
	for key in $XCNT; do
		C[$key]=$(xtcp_stat "$A" "$key")
		[[ ${C[$key]} =~ ^[0-9]+$ ]] || C[$key]=0
	done
	peer_play "$@"
	for key in $XCNT; do
		v=$(xtcp_stat "$A" "$key")
		[[ $v =~ ^[0-9]+$ ]] || v=0
		D[$key]=$((v - C[$key]))
	done
	echo "# $1: rtx=${PEER[rtx]-} ecr=${PEER[ecr]-}; $(for key in $XCNT; do
		printf '%s +%s ' "$key" "${D[$key]}"; done)"
	echo "# sender: ${SRV[rtt]}"
}

port=7600
for how in true forged; do
	port=$((port + 1))
	_t_prefix="$how echo: "
	play "eifel_$how" "$port" writes=1:988 drain writes=1:7904 drain rtt
	peer_expect "the RTO resent the flight's first segment" \
		"988 [0-9]+" rtx
	age=${PEER[ecr]-x -1}
	age=${age#* }
	check "the ACK echoed a TSval older than the retransmission's" \
		test "$age" -gt 0 -a "$age" -lt 2147483648
	expect "one RTO" 1 "${D[Timeouts]}"
	if [ $how = true ]; then
		expect "undone by timestamps (TSUndo, SpuriousRTOs)" "1 1" \
			"${D[TSUndo]} ${D[SpuriousRTOs]}"
		expect "ssthresh is back to what it was before the RTO" \
			ssthresh=2147483647 "${SRV[rtt]##* }"
	else
		expect "not undone (TSUndo, SpuriousRTOs)" "0 0" \
			"${D[TSUndo]} ${D[SpuriousRTOs]}"
		check "ssthresh stays lowered" \
			test "${SRV[rtt]##* }" != ssthresh=2147483647
	fi
	expect "the peer received the stream intact" "${SRV[stream2]-}" \
		"${PEER[recv]-}"
	expect "both FINs were acknowledged" yes "${PEER[closed]-}"
done
_t_prefix=

done_testing
