#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Undo of a spurious RTO by timestamps (RFC 3522 Eifel detection), with
# no D-SACK to tell.
#
# As dsack.sh: an xtcp sender in A sends 10 kB to a receiver in B and
# waits for the ACKs; then B's ACKs are delayed 0.5 s (netem on B's veth)
# and 20 kB more follow. The RTO (0.2 s), after a tail loss probe or not,
# resends data B has already. B sends no D-SACK (an xtcp receiver with
# net.xtcp.dsack=0, Linux TCP with net.ipv4.tcp_dsack=0), so only the
# timestamps can tell: the first ACK of new data after the resending
# echoes the TSval of the original, older than the retransmission's (the
# capture, captured at A, selftests/eifelcap.py). Then:
#  - with net.xtcp.ts_undo=1 (the default) the sender undoes the RTO
#    (TSUndo, SpuriousRTOs): ssthresh is back to 2147483647 in TCP_INFO;
#    and it does not go back N: nothing is resent after that ACK
#    (RFC 4015's response: new data goes on from SND.MAX);
#  - with net.xtcp.ts_undo=0 the same run leaves ssthresh lowered, and
#    go-back-N resends what B had: the control that shows the checks
#    above can fail;
#  - with the Linux receiver's net.ipv4.tcp_timestamps=0 the connection
#    has no timestamps, and nothing is undone though ts_undo=1.
. "$(dirname "$0")/lib.sh"
require_module
EIFELCAP=$XTCP_ROOT/selftests/eifelcap.py

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
port=7500

XCNT="RetransSegs Timeouts TlpProbes DSackRecv DSackUndo TSUndo SpuriousRTOs"
declare -A C0 C1 D CAPN RES
snap() {
	local -n _s=$1
	local k

	# A module without a counter (main before this test) reads 0.
	for k in $XCNT; do
		_s[$k]=$(xtcp_stat "$A" "$k")
		[[ ${_s[$k]} =~ ^[0-9]+$ ]] || _s[$k]=0
	done
}

# spurious RCVFAM UNDO TS: the run above, RCVFAM's receiver in B (D-SACK
# off), A with net.xtcp.ts_undo=UNDO, B's Linux TCP with
# net.ipv4.tcp_timestamps=TS. The sender's results go to RES, the
# receiver's to SRV, the counters' changes to D, eifelcap.py's to CAPN.
spurious() {
	local fam=$1 undo=$2 ts=$3 cap capn k v

	port=$((port + 1))
	PORT=$port
	n "$A" sysctl -qw net.xtcp.ts_undo="$undo"
	n "$B" sysctl -qw net.xtcp.dsack=0
	n "$B" sysctl -qw net.ipv4.tcp_dsack=0
	n "$B" sysctl -qw net.ipv4.tcp_timestamps="$ts"
	tmpfile cap "eifel-$fam-$undo-$ts.pcap"
	CAP_SNAP=128 cap_start "$A" xv0 "$cap" "tcp port $port"
	snap C0
	serve "$B" "$fam" 10.0.0.2:$port recv
	bg cli "$A" xtcp client 10.0.0.2:$port send=10000 drain wait \
		send=20000 drain sleep=2 rtt close
	bg_wait cli '^wait ready'
	tc -n "$B" qdisc add dev xv1 root netem delay 500ms
	go cli
	bg_done cli RES
	served
	tc -n "$B" qdisc del dev xv1 root
	cap_stop
	snap C1
	for k in "${!C0[@]}"; do
		D[$k]=$((C1[$k] - C0[$k]))
	done
	CAPN=()
	tmpfile capn "eifelcap-$fam-$undo-$ts"
	python3 -S -E "$EIFELCAP" "$cap" 10.0.0.1 "$port" >"$capn"
	while read -r k v; do
		CAPN[$k]=$v
	done <"$capn"
	echo "# $fam receiver, ts_undo=$undo, tcp_timestamps=$ts: ${RES[rtt]}"
	echo "# capture: $(for k in ts rtx rtx_tsval ack_tsecr older after; do
		printf '%s=%s ' "$k" "${CAPN[$k]-}"; done)"
	echo "# A: $(for k in $XCNT; do printf '%s +%s ' "$k" "${D[$k]}"; done)"
}

# common: what every run shows: the data arrived, the RTO resent data B
# had, and B sent no D-SACK for it.
common() {
	expect "30000 bytes arrived" "bytes=30000" "${SRV[recv]%% sha*}"
	check "an RTO resent data the receiver had" \
		test "${D[Timeouts]}" -ge 1 -a "${CAPN[rtx]:-0}" -ge 1
	expect "no D-SACK came, none undid anything" "0 0" \
		"${D[DSackRecv]} ${D[DSackUndo]}"
}

for fam in xtcp inet; do
	[ $fam = inet ] && who="Linux TCP" || who=xtcp
	_t_prefix="xtcp -> $who, no D-SACK, ts_undo=1: "
	spurious $fam 1 1
	common
	expect "timestamps on the wire" yes "${CAPN[ts]:-?}"
	expect "the first new ACK after the resending echoes a TSval older" \
		yes "${CAPN[older]:-?}"
	expect "the RTO is undone by timestamps (TSUndo, SpuriousRTOs)" \
		"1 1" "${D[TSUndo]} ${D[SpuriousRTOs]}"
	expect "ssthresh is back to what it was before the RTO" \
		ssthresh=2147483647 "${RES[rtt]##* }"
	expect "no go-back-N: nothing resent after that ACK" 0 \
		"${CAPN[after]:-?}"

	_t_prefix="xtcp -> $who, no D-SACK, ts_undo=0: "
	spurious $fam 0 1
	common
	expect "the first new ACK after the resending echoes a TSval older" \
		yes "${CAPN[older]:-?}"
	expect "nothing undone" "0 0" "${D[TSUndo]} ${D[SpuriousRTOs]}"
	check "ssthresh stays lowered by the spurious RTO" \
		test "${RES[rtt]##* }" != ssthresh=2147483647
	check "go-back-N resent data after that ACK" \
		test "${CAPN[after]:-0}" -ge 1
done

_t_prefix="xtcp -> Linux TCP, no D-SACK, no timestamps, ts_undo=1: "
spurious inet 1 0
common
expect "no timestamps on the wire" no "${CAPN[ts]:-?}"
expect "nothing undone" "0 0" "${D[TSUndo]} ${D[SpuriousRTOs]}"
check "ssthresh stays lowered by the spurious RTO" \
	test "${RES[rtt]##* }" != ssthresh=2147483647
_t_prefix=
# What net.xtcp.ts_undo takes and refuses: sysctl.sh.

done_testing
