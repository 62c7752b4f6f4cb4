#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Explicit Congestion Notification (RFC 3168, net.xtcp.ecn), against
# Linux TCP (net.ipv4.tcp_ecn) and xtcp, over IPv4 and IPv6.
#
# A (client, xv0) and B (server, xv1) are joined by veth. The sender's
# veth runs netem "loss 5% ecn": a packet netem would drop is marked CE
# instead if it is ECT, and dropped only if not. Each run moves 1 MB one
# way and captures on the receiver's side of the link, where the marks
# are; selftests/ecncap.py reads the ECN field and flags of each segment.
# 1 MB is about 700 segments, some 35 marks: with 200 kB, a run whose only
# mark fell on the last window left the sender no new data to say CWR in.
# Segments go one MSS per packet (GSO and TSO off on the sender), so that
# netem marks or drops segments rather than 64 KB bursts.
#
# With ECN agreed on both ends (xtcp's 1 or 2, Linux TCP's 1 or 2, one
# of them asking): the SYN carries ECE|CWR, the SYN-ACK ECE alone, SYN
# and SYN-ACK are not ECT; all new data goes ECT(0) (or arrives CE),
# pure ACKs never; a CE mark is echoed with ECE at once, on every segment
# of the receiver until the sender's CWR (echo_wrong counts the segments
# of the receiver whose ECE says otherwise, by the data they
# acknowledge); the sender answers with CWR. No CE-marked segment is
# resent, and what is resent (a tail loss probe's, on a slow test
# kernel) is less than the marks: the marks replaced the losses. xtcp's
# counters agree with the capture (EcnCeRecv, the CE marks; EcnCwrSent,
# the CWRs), and TCP_INFO says TCPI_OPT_ECN and, at the receiver,
# TCPI_OPT_ECN_SEEN. netem starts after the handshake: a SYN is not ECT,
# and an ECN-setup SYN lost is resent without ECN (the fallback). Both
# directions, xtcp actively and passively open, each with Linux TCP and
# with xtcp at the other end.
#
# Then what must not use ECN: xtcp with net.xtcp.ecn=0 asks for nothing,
# sends no ECT, and netem drops: xtcp resends (the control that shows
# the marks above stood for losses); net.xtcp.ecn=2 does not ask; a Linux
# peer with tcp_ecn=0 gets a plain connection from an xtcp asking (ecn=1)
# and sends no ECT to one; an xtcp listener with ecn=0 refuses a Linux
# client's ECN-setup SYN. And a listener answering with SYN cookies keeps
# the peer's ECN (the cookie's timestamp bits).
. "$(dirname "$0")/lib.sh"
require_module
ECNCAP=$XTCP_ROOT/selftests/ecncap.py
SIZE=1000000
LOSS=5%

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
ip -n "$A" addr add "$NET6:1/64" dev xv0 nodad
ip -n "$B" addr add "$NET6:2/64" dev xv1 nodad
for ns in "$A" "$B"; do
	dev=xv0
	[ "$ns" = "$B" ] && dev=xv1
	n "$ns" ethtool -K $dev tso off gso off gro off >/dev/null 2>&1
	n "$ns" sysctl -qw net.xtcp.gso=0
done
port=7600

# nstat_get NS NAME: Linux TCP's counter NAME in NS.
nstat_get() {
	n "$1" nstat -az "$2" | awk -v k="$2" '$1 == k { print $2 }'
}

XCNT="RetransSegs EcnNegotiated EcnCeRecv EcnEceRecv EcnReductions"
XCNT+=" EcnCwrSent FastRetrans Timeouts TlpProbes"
LCNT="TcpRetransSegs TcpExtTCPLossProbes TcpExtTCPTimeouts"
LCNT+=" TcpExtTCPFastRetrans"
# snap ARRAY: the counters of both ends, as A.NAME and B.NAME.
snap() {
	local -n _s=$1
	local ns k

	for ns in A B; do
		for k in $XCNT; do
			_s[$ns.$k]=$(xtcp_stat "${!ns}" "$k")
		done
		for k in $LCNT; do
			_s[$ns.$k]=$(nstat_get "${!ns}" "$k")
		done
		# A module without the counter: 0, and the checks say so.
		for k in "${!_s[@]}"; do
			[[ ${_s[$k]} =~ ^[0-9]+$ ]] || _s[$k]=0
		done
	done
}

# run V CFAM CECN SFAM SECN DIR [SERVER-SYSCTL...]: a $SIZE-byte transfer over
# IPv V from a client of CFAM (inet, xtcp) in A to a server of SFAM in B,
# each namespace's net.xtcp.ecn and net.ipv4.tcp_ecn at CECN and SECN;
# DIR up: the client sends, down: the server. The capture's counts go to
# CAP, the counters' changes to D (A.NAME, B.NAME), the sending and
# receiving ends' results to SND and RCV; SENDER and RECEIVER name the
# ends (A or B), SFAMILY the sender's family.
declare -A C0 C1 D CAP SND RCV
run() {
	local v=$1 cfam=$2 cecn=$3 sfam=$4 secn=$5 dir=$6 k val cap out
	local addr sip cf sf sdev rdev sns rns

	shift 6
	port=$((port + 1))
	PORT=$port
	if [ "$v" = 6 ]; then
		addr="[$NET6:2]:$port"
		[ "$dir" = up ] && sip=$NET6:1 || sip=$NET6:2
		cf=${cfam/#inet/inet6} sf=${sfam/#inet/inet6}
	else
		addr=10.0.0.2:$port
		[ "$dir" = up ] && sip=10.0.0.1 || sip=10.0.0.2
		cf=$cfam sf=$sfam
	fi
	n "$A" sysctl -qw net.xtcp.ecn="$cecn" net.ipv4.tcp_ecn="$cecn"
	n "$B" sysctl -qw net.xtcp.ecn="$secn" net.ipv4.tcp_ecn="$secn"
	for k in "$@"; do
		n "$B" sysctl -qw "$k"
	done
	if [ "$dir" = up ]; then
		SENDER=A RECEIVER=B sns=$A rns=$B sdev=xv0 rdev=xv1
		SFAMILY=$cfam
	else
		SENDER=B RECEIVER=A sns=$B rns=$A sdev=xv1 rdev=xv0
		SFAMILY=$sfam
	fi
	tmpfile cap "ecn-$v-$port.pcap"
	cap_start "$rns" $rdev "$cap" "tcp port $port"
	snap C0
	SND=() RCV=()
	# netem only once the handshake is done: a SYN is not ECT, and a
	# lost ECN-setup SYN is resent without ECE|CWR (the fallback).
	if [ "$dir" = up ]; then
		serve "$B" "$sf" "$addr" recv tcpopts
		bg cli "$A" "$cf" client "$addr" wait send=$SIZE drain \
			tcpopts close
		bg_wait cli '^wait ready'
		netem_on "$sns" $sdev
		go cli
		bg_done cli SND
		served
		for k in "${!SRV[@]}"; do RCV[$k]=${SRV[$k]}; done
	else
		serve "$B" "$sf" "$addr" wait send=$SIZE drain tcpopts close
		bg cli "$A" "$cf" client "$addr" recv tcpopts
		bg_wait server '^wait ready'
		netem_on "$sns" $sdev
		go server
		bg_done cli RCV
		served
		for k in "${!SRV[@]}"; do SND[$k]=${SRV[$k]}; done
	fi
	echo "# $_t_prefix netem: $(tc -n "$sns" -s qdisc show dev $sdev |
		grep -o 'dropped [0-9]*')"
	tc -n "$sns" qdisc del dev $sdev root
	cap_stop
	snap C1
	for k in "${!C0[@]}"; do
		D[$k]=$((${C1[$k]:-0} - ${C0[$k]:-0}))
	done
	CAP=()
	tmpfile out "ecncap-$v-$port"
	python3 -S -E "$ECNCAP" "$cap" "$sip" "$port" >"$out"
	while read -r k val; do
		CAP[$k]=$val
	done <"$out"
	echo "# $_t_prefix capture: $(for k in syn synack syn_ect new new_ect \
		ce rtx rtx_ect acks acks_ect ece cwr ece_after_ce cwr_after_ece \
		echo_wrong rtx_ce; do printf '%s=%s ' "$k" "${CAP[$k]-}"; done)"
	echo "# $_t_prefix counters: $(for k in $XCNT $LCNT; do
		printf '%s=%s/%s ' "$k" "${D[A.$k]}" "${D[B.$k]}"; done)"
	echo "# $_t_prefix sender: ${SND[tcpopts]-} receiver: ${RCV[tcpopts]-}"
}

# netem_on NS DEV: netem's "loss $LOSS ecn" on DEV in NS.
netem_on() {
	tc -n "$1" qdisc add dev "$2" root netem loss $LOSS ecn ||
		fail "netem on $2 in $1"
}

# resent: REPLY is what the sender resent, by its stack's counter.
resent() {
	if [ "$SFAMILY" = xtcp ]; then
		REPLY=${D[$SENDER.RetransSegs]}
	else
		REPLY=${D[$SENDER.TcpRetransSegs]}
	fi
}

# intact: the receiver got the sender's bytes.
intact() {
	expect "$SIZE bytes arrived intact" "${SND[send]-sent?}" "${RCV[recv]-none}"
}

# opt_bits OUT MASK: whether the tcpopts line OUT has the MASK bits.
opt_bits() {
	local o=${1#*options=}

	o=${o%% *}
	[ -n "$o" ] && [ $((o & $2)) -eq $(($2)) ]
}

TCPI_OPT_ECN=0x8
TCPI_OPT_ECN_SEEN=0x10

# ecn_on: the checks of a connection that agreed on ECN.
ecn_on() {
	local cfam=$1 sfam=$2 rfam

	[ "$SENDER" = A ] && rfam=$sfam || rfam=$cfam
	intact
	expect "SYN with ECE and CWR, SYN-ACK with ECE alone" "SEW SE." \
		"${CAP[syn]-} ${CAP[synack]-}"
	expect "neither SYN nor SYN-ACK is ECT" 0 "${CAP[syn_ect]-}"
	check "new data went ECT(0), every segment of it" \
		test "${CAP[new]:-0}" -gt 100 -a "${CAP[new_ect]-}" = "${CAP[new]-}"
	check "netem marked some CE" test "${CAP[ce]:-0}" -ge 1
	expect "no pure ACK is ECT" 0 "${CAP[acks_ect]-}"
	expect "the receiver's first segment after the first CE has ECE" 1 \
		"${CAP[ece_after_ce]-}"
	expect "ECE on every segment of the receiver from a CE to the CWR, on none else" \
		0 "${CAP[echo_wrong]-}"
	expect "the sender answered the ECE with CWR" 1 \
		"${CAP[cwr_after_ece]-}"
	# A sender that took marks for losses would resend nearly every
	# marked segment; on a loaded host a late ACK may still draw a tail
	# probe or a timeout that resends one (a Linux sender did once).
	check "CE-marked segments were not resent as losses (${CAP[rtx_ce]-?} of ${CAP[ce]-?} resent)" \
		test $((${CAP[rtx_ce]:-99} * 4)) -le "${CAP[ce]:-0}"
	check "the sender resent fewer segments than netem marked" \
		test "${CAP[rtx]:-0}" -lt "${CAP[ce]:-0}"
	check "TCP_INFO: TCPI_OPT_ECN at both ends" \
		eval 'opt_bits "${SND[tcpopts]-}" $TCPI_OPT_ECN &&
			opt_bits "${RCV[tcpopts]-}" $TCPI_OPT_ECN'
	check "TCP_INFO: TCPI_OPT_ECN_SEEN at the receiver" \
		opt_bits "${RCV[tcpopts]-}" $TCPI_OPT_ECN_SEEN
	if [ "$cfam" = xtcp ]; then
		expect "EcnNegotiated +1 at the xtcp client" 1 "${D[A.EcnNegotiated]}"
	fi
	if [ "$sfam" = xtcp ]; then
		expect "EcnNegotiated +1 at the xtcp server" 1 "${D[B.EcnNegotiated]}"
	fi
	if [ "$SFAMILY" = xtcp ]; then
		check "the xtcp sender took ECEs and reduced its window" \
			test "${D[$SENDER.EcnEceRecv]}" -ge 1 -a \
			"${D[$SENDER.EcnReductions]}" -ge 1
		expect "EcnCwrSent counts the CWRs of the capture" \
			"${CAP[cwr]-}" "${D[$SENDER.EcnCwrSent]}"
	fi
	if [ "$rfam" = xtcp ]; then
		expect "EcnCeRecv counts the CE marks of the capture" \
			"${CAP[ce]-}" "${D[$RECEIVER.EcnCeRecv]}"
	fi
}

# ecn_off SYN SYNACK: the checks of a connection without ECN, whose SYN
# and SYN-ACK carry the flags SYN and SYNACK: no ECT, no ECE or CWR,
# and netem's marks became losses, which the sender resent.
ecn_off() {
	intact
	expect "SYN $1, SYN-ACK $2" "$1 $2" "${CAP[syn]-} ${CAP[synack]-}"
	expect "no ECT, no ECE, no CWR" "0 0 0 0 0" \
		"${CAP[syn_ect]-} ${CAP[new_ect]-} ${CAP[acks_ect]-} ${CAP[ece]-} ${CAP[cwr]-}"
	check "netem dropped: the sender resent" \
		eval 'resent; [ "$REPLY" -ge 1 ] && [ "${CAP[rtx]:-0}" -ge 1 ]'
	check "TCP_INFO: no TCPI_OPT_ECN at either end" \
		eval '! opt_bits "${SND[tcpopts]-}" $TCPI_OPT_ECN &&
			! opt_bits "${RCV[tcpopts]-}" $TCPI_OPT_ECN'
	expect "EcnNegotiated: none" "0 0" \
		"${D[A.EcnNegotiated]} ${D[B.EcnNegotiated]}"
}

name() {
	[ "$1" = inet ] && REPLY="Linux TCP" || REPLY=xtcp
}

# main V CFAM CECN SFAM SECN DIR: a run that agrees on ECN, checked.
main() {
	local cn sn arrow

	name "$2"; cn=$REPLY
	name "$4"; sn=$REPLY
	[ "$6" = up ] && arrow="->" || arrow="<-"
	_t_prefix="IPv$1 $cn(ecn=$3) $arrow $sn(ecn=$5): "
	run "$@"
	ecn_on "$2" "$4"
}

# One side asks (1), the other agrees (2): each way, xtcp on either
# side and on both; over IPv6 xtcp with Linux TCP each way and both xtcp.
for c in "xtcp 1 inet 2 up" "xtcp 1 inet 2 down" "inet 1 xtcp 2 up" \
	 "inet 1 xtcp 2 down" "xtcp 1 xtcp 2 up" "xtcp 1 xtcp 2 down"; do
	main 4 $c
done
for c in "xtcp 1 inet 2 up" "inet 1 xtcp 2 down" "xtcp 1 xtcp 2 up"; do
	main 6 $c
done

# plain V CFAM CECN SFAM SECN DIR SYN SYNACK: a run without ECN, whose
# SYN and SYN-ACK carry the flags SYN and SYNACK, checked.
plain() {
	local cn sn arrow

	name "$2"; cn=$REPLY
	name "$4"; sn=$REPLY
	[ "$6" = up ] && arrow="->" || arrow="<-"
	_t_prefix="IPv$1 $cn(ecn=$3) $arrow $sn(ecn=$5): "
	run "$1" "$2" "$3" "$4" "$5" "$6"
	ecn_off "$7" "$8"
}

plain 4 xtcp 0 inet 2 up S S.
plain 6 xtcp 0 inet 2 up S S.
plain 4 xtcp 2 inet 1 up S S.
plain 4 xtcp 1 inet 0 up SEW S.
plain 4 inet 0 xtcp 1 down S S.
plain 4 inet 1 xtcp 0 up SEW S.

# A SYN cookie for every SYN: the cookie keeps the ECN agreement.
_t_prefix="IPv4 Linux TCP(ecn=1) -> xtcp(ecn=2, syncookies=2): "
run 4 inet 1 xtcp 2 up net.xtcp.syncookies=2
ecn_on inet xtcp
n "$B" sysctl -qw net.xtcp.syncookies=1
_t_prefix=

# net.xtcp.ecn takes 0, 1 and 2 only.
n "$A" sysctl -qw net.xtcp.ecn=2
for v in 3 -1; do
	if n "$A" sysctl -qw net.xtcp.ecn=$v 2>/dev/null; then
		fail "net.xtcp.ecn=$v is refused"
	else
		expect "net.xtcp.ecn=$v is refused, the value kept" 2 \
			"$(n "$A" sysctl -n net.xtcp.ecn)"
	fi
done

done_testing
