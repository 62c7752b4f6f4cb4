#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# D-SACK (RFC 2883) from an xtcp receiver, and what senders make of it.
#
# A sender in A sends 10 kB to an xtcp receiver in B and waits for the
# ACKs; then B's ACKs are delayed 0.5 s (netem on B's veth) and 20 kB more
# follow. The sender's RTO (0.2 s), or its tail loss probe before that,
# fires before any ACK comes back: it resends data B has already. B's ACK
# for such a duplicate must carry a D-SACK: a first SACK block below its
# cumulative ACK, for a range the sender did send twice (the capture,
# selftests/dsackcap.py), counted in B's DSackOldSent. Then:
#  - a Linux TCP sender counts it (nstat TcpExtTCPDSACKRecv);
#  - an xtcp sender counts it (DSackRecv) and, every retransmission of the
#    RTO's episode being reported as a duplicate, undoes the episode
#    (DSackUndo): ssthresh is back where it was, 2147483647 (never set).
# With net.xtcp.dsack=0 on B, the same runs carry no D-SACK, neither
# sender counts one, and the xtcp sender's ssthresh stays lowered by the
# spurious RTO: the control that shows the checks above can fail. The
# xtcp sender's undo by timestamps (net.xtcp.ts_undo) is off throughout:
# it would undo the RTO first (eifel.sh tests it).
#
# Then the cases one by one, the scripted peer (peer.py dsack_rcv)
# sending to xtcp: data out of order again (the D-SACK, then the run
# that holds it, RFC 2883 4.1.2), partly again, old data again (4.1.1),
# a segment partly old (4.1.3); each ACK's blocks are checked, and that
# a D-SACK goes once. With net.xtcp.dsack=0, the same blocks without.
. "$(dirname "$0")/lib.sh"
require_module
DSACKCAP=$XTCP_ROOT/selftests/dsackcap.py

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
port=7400
# Timestamps would undo the spurious RTO at its first ACK, before any
# D-SACK comes (eifel.sh): off here, so that D-SACKs alone decide.
n "$A" sysctl -qw net.xtcp.ts_undo=0

# nstat_get NS NAME: Linux TCP's counter NAME in NS (TcpExt..., Tcp...).
nstat_get() {
	n "$1" nstat -az "$2" | awk -v k="$2" '$1 == k { print $2 }'
}

# snap: the counters of both ends, into the associative array named $1.
XCNT="RetransSegs Timeouts TlpProbes TlpRecoveries FastRetrans DSackRecv"
XCNT+=" DSackUndo"
LCNT="TcpRetransSegs TcpExtTCPDSACKRecv TcpExtTCPDSACKUndo"
LCNT+=" TcpExtTCPLossUndo TcpExtTCPSpuriousRTOs"
snap() {
	local -n _s=$1
	local k

	for k in $XCNT; do
		_s[$k]=$(xtcp_stat "$A" "$k")
	done
	for k in $LCNT; do
		_s[$k]=$(nstat_get "$A" "$k")
	done
	_s["DSackOldSent"]=$(xtcp_stat "$B" DSackOldSent)
	_s["DSackOfoSent"]=$(xtcp_stat "$B" DSackOfoSent)
}

# spurious FAMILY DSACK: the run above, FAMILY's sender in A, B with
# net.xtcp.dsack=DSACK. The sender's results go to RES, the receiver's
# to SRV, the counters' changes to D, dsackcap.py's counts to CAPN.
declare -A C0 C1 D CAPN RES
spurious() {
	local fam=$1 ds=$2 cap capn k v

	port=$((port + 1))
	PORT=$port
	n "$B" sysctl -qw net.xtcp.dsack="$ds"
	tmpfile cap "dsack-$fam-$ds.pcap"
	cap_start "$B" xv1 "$cap" "tcp port $port"
	snap C0
	serve "$B" xtcp 10.0.0.2:$port recv
	bg cli "$A" "$fam" client 10.0.0.2:$port send=10000 drain wait \
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
	tmpfile capn "dsackcap-$fam-$ds"
	python3 -S -E "$DSACKCAP" "$cap" 10.0.0.2 "$port" >"$capn"
	while read -r k v; do
		CAPN[$k]=$v
	done <"$capn"
	echo "# $fam sender, dsack=$ds: ${RES[rtt]}"
	echo "# capture: $(for k in acks sack dsack old ofo valid first; do
		printf '%s=%s ' "$k" "${CAPN[$k]-}"; done)"
	echo "# B: DSackOldSent +${D[DSackOldSent]} DSackOfoSent" \
		"+${D[DSackOfoSent]}; A's xtcp: $(for k in $XCNT; do
		printf '%s +%s ' "$k" "${D[$k]}"; done)"
	echo "# A's Linux TCP: $(for k in $LCNT; do
		printf '%s +%s ' "$k" "${D[$k]}"; done)"
}

# resent FAMILY: the sender in A did resend something.
resent() {
	if [ "$1" = xtcp ]; then
		REPLY=${D[RetransSegs]}
	else
		REPLY=${D[TcpRetransSegs]}
	fi
	[ "$REPLY" -gt 0 ]
}

for fam in inet xtcp; do
	[ $fam = inet ] && who="Linux TCP" || who=xtcp
	_t_prefix="$who -> xtcp, dsack=1: "
	spurious $fam 1
	expect "30000 bytes arrived" "bytes=30000" "${SRV[recv]%% sha*}"
	check "the sender resent data the receiver had" resent $fam
	check "the receiver's ACK carried a D-SACK below its ACK" \
		test "${CAPN[old]:-0}" -ge 1
	expect "every D-SACK reports a range the sender sent twice" \
		"${CAPN[dsack]:-0}" "${CAPN[valid]:-?}"
	check "counted in the receiver's DSackOldSent" \
		test "${D[DSackOldSent]}" -ge 1
	if [ $fam = inet ]; then
		check "Linux TCP took it for a D-SACK (TCPDSACKRecv)" \
			test "${D[TcpExtTCPDSACKRecv]}" -ge 1
	else
		check "the xtcp sender took it for a D-SACK (DSackRecv)" \
			test "${D[DSackRecv]}" -ge 1
		expect "an RTO, undone by the D-SACKs (Timeouts, DSackUndo)" \
			"1 1" "${D[Timeouts]} ${D[DSackUndo]}"
		expect "ssthresh is back to what it was before the RTO" \
			ssthresh=2147483647 "${RES[rtt]##* }"
	fi

	_t_prefix="$who -> xtcp, dsack=0: "
	spurious $fam 0
	expect "30000 bytes arrived" "bytes=30000" "${SRV[recv]%% sha*}"
	check "the sender resent data the receiver had" resent $fam
	expect "no ACK carried a SACK option, nor a D-SACK" "0 0" \
		"${CAPN[sack]:-?} ${CAPN[dsack]:-?}"
	expect "the receiver counted none" "0 0" \
		"${D[DSackOldSent]} ${D[DSackOfoSent]}"
	if [ $fam = inet ]; then
		expect "Linux TCP saw none" 0 "${D[TcpExtTCPDSACKRecv]}"
	else
		expect "the xtcp sender saw none, undid nothing" "0 0" \
			"${D[DSackRecv]} ${D[DSackUndo]}"
		check "ssthresh stays lowered by the spurious RTO" \
			test "${RES[rtt]##* }" != ssthresh=2147483647
	fi
done
_t_prefix=

# The peer's cases: STEP -> the blocks of xtcp's answer.
PEER_PY=$XTCP_ROOT/selftests/peer.py
peer_link
declare -A PEER
dsack_rcv() {
	local out key rest

	port=$((port + 1))
	n "$A" sysctl -qw net.xtcp.dsack="$1"
	serve "$A" xtcp 10.0.0.1:$port recv
	tmpfile out "peer-dsack$1"
	n "$B" python3 -B -S -E "$PEER_PY" xv1 "$MAC_A" 10.0.0.2 10.0.0.1 \
		$port dsack_rcv >"$out" 2>&1
	served
	PEER=()
	while read -r key rest; do
		[ "$key" = "#" ] || PEER[$key]=$rest
	done <"$out"
	expect "the stream arrived, both FINs acknowledged" "bytes=4000 yes" \
		"${SRV[recv]%% sha*} ${PEER[closed]-}"
}

_t_prefix="scripted peer -> xtcp, dsack=1: "
dsack_rcv 1
expect "in order: no SACK" "ack=1000 sack=-" "${PEER[inorder]-}"
expect "out of order: its block" "ack=1000 sack=2000-3000" "${PEER[ooo]-}"
expect "the same again: the D-SACK, then the run that holds it" \
	"ack=1000 sack=2000-3000,2000-3000" "${PEER[ooo_again]-}"
expect "partly again: the D-SACK of the part held, then its run" \
	"ack=1000 sack=2000-2500,1500-3000" "${PEER[ooo_part]-}"
expect "old data again: the D-SACK below the ACK, then the others" \
	"ack=1000 sack=0-1000,1500-3000" "${PEER[old]-}"
expect "partly old, filling the hole: the old part's D-SACK" \
	"ack=3000 sack=500-1000" "${PEER[partial]-}"
expect "new data after: no D-SACK again" "ack=4000 sack=-" "${PEER[new]-}"
_t_prefix="scripted peer -> xtcp, dsack=0: "
dsack_rcv 0
expect "out of order again: the block alone" "ack=1000 sack=2000-3000" \
	"${PEER[ooo_again]-}"
expect "partly again: the run alone" "ack=1000 sack=1500-3000" \
	"${PEER[ooo_part]-}"
expect "old data again: the out-of-order run alone" \
	"ack=1000 sack=1500-3000" "${PEER[old]-}"
expect "partly old, filling the hole: no SACK" "ack=3000 sack=-" \
	"${PEER[partial]-}"
_t_prefix=

# The sysctl takes 0 and 1 only.
for v in 2 -1; do
	if n "$A" sysctl -qw net.xtcp.dsack=$v 2>/dev/null; then
		fail "net.xtcp.dsack=$v is refused"
	else
		expect "net.xtcp.dsack=$v is refused, the value kept" 0 \
			"$(n "$A" sysctl -n net.xtcp.dsack)"
	fi
done

done_testing
