#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The window reduction an ECE starts (RFC 3168 6.1.2) is paced by PRR
# (RFC 6937), as in Linux's CWR state, rather than cut to ssthresh at
# once, played by a scripted peer (peer.py ecn_prr) that acknowledges a
# flight of about 20 segments one segment per ACK, with ECE until xtcp's
# CWR arrives, and looks at what each ACK draws:
#  - the ACK that brings the ECE sends a new segment, with CWR (a window
#    cut at once, to half the flight, sends nothing for half the flight);
#  - never more than two ACKs in a row send nothing (RFC 6937's
#    proportion is one segment per two ACKs, with NewReno's halving);
#  - over the flight's ACKs, about ssthresh (half the flight) goes out,
#    and nothing is resent;
#  - the application's bytes all arrive, and xtcp counts one reduction.
. "$(dirname "$0")/lib.sh"
require_module

peer_link
# The peer pauses for each ACK: no RTO or probe in those pauses.
n "$A" sysctl -qw net.xtcp.rto_min_ms=8000 net.xtcp.recovery=0 \
	net.xtcp.tlp=0
# NewReno halves, and HyStart++ does not end the slow start that makes
# the flight: the counts below are exact.
n "$A" sysctl -qw net.xtcp.ecn=2 net.xtcp.congestion_control=newreno \
	net.xtcp.hystart=0

_t_prefix="ECE, PRR: "
red=$(xtcp_stat "$A" EcnReductions)
rtx=$(xtcp_stat "$A" RetransSegs)
peer_play ecn_prr 7301 writes=1:1000 drain writes=1:100000 drain
peer_expect "xtcp agreed to SACK" '.*sackok.*' synack
peer_expect "xtcp agreed to ECN: ECE in its SYN-ACK" 'SE[.]' synack_flags
peer_expect "the second flight is about 20 segments" '1[89]|2[0-4]' flight
steps=(${PEER[episode]-})
flight=${PEER[flight]:-0}
echo "# per ACK of the flight: ${steps[*]}"
expect "the ACK with the ECE drew a new segment" new "${steps[0]-}"
peer_expect "that segment carried CWR" 0 cwr_after
idle=0 most=0 sent=0 other=0
for s in "${steps[@]}"; do
	case $s in
	-) idle=$((idle + 1)) ;;
	*)
		idle=0
		for l in ${s//,/ }; do
			[ "$l" = new ] && sent=$((sent + 1)) || other=$((other + 1))
		done
		;;
	esac
	[ $idle -le $most ] || most=$idle
done
check "no more than 2 ACKs in a row drew nothing (most: $most)" \
	test "$most" -le 2
# ssthresh is half of what was in flight after the first ACK.
half=$(((flight - 1) / 2))
check "the flight's ACKs drew about half of it ($sent for $flight)" \
	test "$sent" -ge $((half - 1)) -a "$sent" -le $((half + 2))
expect "nothing was resent during the reduction" 0 "$other"
expect "the application's writes were all acknowledged" "OK OK" \
	"${SRV[drain]-} ${SRV[drain2]-}"
expect "the peer received them intact" "${SRV[stream2]-}" "${PEER[recv]-}"
peer_expect "both FINs were acknowledged" yes closed
expect "one reduction, counted" 1 \
	$(($(xtcp_stat "$A" EcnReductions) - red))
expect "nothing resent, counted" 0 $(($(xtcp_stat "$A" RetransSegs) - rtx))
_t_prefix=

done_testing
