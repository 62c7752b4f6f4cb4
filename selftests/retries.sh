#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# R1 and R2 (RFC 9293 3.8.3, MUST-20..23) for Linux TCP and xtcp as the
# client (CLIENT= narrows them): net.xtcp.retries1 and retries2 work as
# net.ipv4.tcp_retries1 and tcp_retries2, as a time (what that many RTOs,
# doubling from 200 ms, take) rather than a count, so a connection whose
# RTO is longer retransmits fewer times in the same time:
# measured from the first retransmission as Linux's retrans_stamp. Each
# stack's RTO is set (net.xtcp.rto_min_ms, a route's rto_min for Linux
# TCP) away from 200 ms, where the two would differ by one RTO:
#  - retries2=3 (3 s) with a silent peer and an RTO of 300 ms: the data
#    goes out 4 times, then ETIMEDOUT 4.5 s after it was first sent;
#  - retries2=2 (1.4 s) with an RTO of 1 s: one retransmission, ETIMEDOUT
#    at 3 s;
#  - xtcp counts the RTOs past R1 (NegativeAdvice): with retries1=2 the
#    last two, with retries1=4 none; for a SYN from the second RTO on;
#  - xtcp looks the route up for every segment: a route added while the
#    path is a black hole is taken by the next retransmission.
# The peer "vanishes" by a netem qdisc that drops everything it sends: our
# segments still reach it and show in the capture on our side.
. "$(dirname "$0")/lib.sh"

net_pair
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"
# Neighbour entries that never expire: a failed ARP would hide segments.
S_MAC=$(n "$S" cat /sys/class/net/xv1/address)
C_MAC=$(n "$C" cat /sys/class/net/xv0/address)
ip -n "$C" neigh replace $S_ADDR lladdr "$S_MAC" dev xv0 nud permanent
ip -n "$S" neigh replace $C_ADDR lladdr "$C_MAC" dev xv1 nud permanent
# 10.0.1.3 is on the link but nobody has it (as in conn_timeout.sh).
ip -n "$C" neigh replace 10.0.1.3 lladdr 02:00:00:00:00:99 dev xv0 nud permanent

# retries NS FAMILY R1 R2: the family's R1 and R2 settings. Linux TCP's
# tail loss probe is off (tcp_early_retrans 0): xtcp has none, and it
# would add a transmission and move the RTOs.
retries() {
	case $2 in
	inet) n "$1" sysctl -qw net.ipv4.tcp_retries1="$3" \
		net.ipv4.tcp_retries2="$4" net.ipv4.tcp_early_retrans=0 ;;
	xtcp) n "$1" sysctl -qw net.xtcp.retries1="$3" \
		net.xtcp.retries2="$4" ;;
	esac
}

# silent_peer FAMILY OP...: a client of FAMILY connects to a Linux TCP
# server and runs OP..., which include a "wait"; from there on the server
# drops everything it sends. The results go to OUT.
silent_peer() {
	local cf=$1

	shift
	serve "$S" inet $S_ADDR:$PORT wait
	bg client "$C" "$cf" client $S_ADDR:$PORT "$@"
	bg_wait client '^wait ready'
	tc -n "$S" qdisc add dev xv1 root netem loss 100%
	go client
	bg_done client OUT
	tc -n "$S" qdisc del dev xv1 root
	go server
	served
	cap_sync
}

# rto_min NS FAMILY MS: the least RTO, so that each stack's RTO is MS
# (and a little more for Linux TCP) on this link of no delay.
rto_min() {
	case $2 in
	inet) ip -n "$1" route replace 10.0.1.0/24 dev xv0 rto_min "$3"ms ;;
	xtcp) n "$1" sysctl -qw net.xtcp.rto_min_ms="$3" ;;
	esac
}

# R2 = 3 is 3 s (0.2 + 0.4 + 0.8 + 1.6) from the first retransmission. With
# an RTO of 300 ms the RTOs end at 0.3, 0.9, 2.1 and 4.5 s: 3.6 s after the
# first retransmission the fourth gives up.
r2() {
	local cf=$1

	check "retries1 3, retries2 3 can be set" retries "$C" "$cf" 3 3 ||
		return
	rto_min "$C" "$cf" 300
	silent_peer "$cf" wait time send=1000 read=1 time
	expect "the pending data ends the connection with ETIMEDOUT" ETIMEDOUT \
		"${OUT[read]}"
	seg_rtx "$CAP" $C_ADDR
	expect "the data went out 4 times: 3 retransmissions" 4 "$REPLY"
	expect_match "after 0.3 + 0.6 + 1.2 + 2.4 s = 4.5 s (in ms)" \
		"4[4-9][0-9][0-9]|5[0-4][0-9][0-9]" "${OUT[time2]}"
	ip -n "$C" route replace 10.0.1.0/24 dev xv0
	n "$C" sysctl -qw net.xtcp.rto_min_ms=200
	retries "$C" "$cf" 3 15
}
clients "R2 (retries2=3) with a silent peer, an RTO of 300 ms" r2

# R2 = 2 is 1.4 s. With an RTO of 1 s the second RTO ends 2 s after the
# first retransmission: past R2, so retries2=2 gives one retransmission.
r2_time() {
	local cf=$1

	retries "$C" "$cf" 3 2
	rto_min "$C" "$cf" 1000
	silent_peer "$cf" wait time send=1000 read=1 time
	expect "the pending data ends the connection with ETIMEDOUT" ETIMEDOUT \
		"${OUT[read]}"
	seg_rtx "$CAP" $C_ADDR
	expect "the data went out twice: 1 retransmission" 2 "$REPLY"
	expect_match "after 1 + 2 s (in ms)" \
		"29[0-9][0-9]|3[0-4][0-9][0-9]" "${OUT[time2]}"
	ip -n "$C" route replace 10.0.1.0/24 dev xv0
	n "$C" sysctl -qw net.xtcp.rto_min_ms=200
	retries "$C" "$cf" 3 15
}
clients "R2 is a time: retries2=2 with an RTO of 1 s" r2_time

# advice R1: NegativeAdvice's growth over a connection given up at R2 = 3,
# its RTOs ending 0.3, 0.9, 2.1 and 4.5 s after the first transmission.
advice() {
	local before

	retries "$C" xtcp "$1" 3
	rto_min "$C" xtcp 300
	before=$(xtcp_stat "$C" NegativeAdvice)
	silent_peer xtcp wait send=1000 read=1
	REPLY=$(($(xtcp_stat "$C" NegativeAdvice) - before))
	n "$C" sysctl -qw net.xtcp.rto_min_ms=200
	retries "$C" xtcp 3 15
}

r1() {
	local before

	advice 2
	expect "retries1=2 (1.4 s): advice at the last two RTOs (1.8, 4.2 s)" \
		2 "$REPLY"
	expect "the connection still ended at R2: ETIMEDOUT" ETIMEDOUT \
		"${OUT[read]}"
	advice 4
	expect "retries1=4 (6.2 s): no advice before R2" 0 "$REPLY"
	# A SYN: advice from the second retransmission on, as Linux.
	syn_retries "$C" xtcp 1
	before=$(xtcp_stat "$C" NegativeAdvice)
	xc "$C" xtcp do connect=10.0.1.3:$PORT
	expect "a connect() nobody answers times out" ETIMEDOUT \
		"${OUT[connect]}"
	expect "syn_retries=1: advice at the RTO that gives up" 1 \
		$(($(xtcp_stat "$C" NegativeAdvice) - before))
}
CLIENT=xtcp clients "R1: negative advice past retries1" r1

# A black hole, then a route: the next retransmission takes it. The server
# is reached through 10.0.1.2 either way; the black hole is a more
# specific route that is deleted again.
reroute() {
	retries "$C" xtcp 1 15
	serve "$S" inet $S_ADDR:$PORT recv
	bg client "$C" xtcp client $S_ADDR:$PORT wait send=1000 wait time \
		drain time close
	bg_wait client '^wait ready'
	ip -n "$C" route add blackhole $S_ADDR/32
	go client
	bg_wait client '^send '
	nap 1.5
	ip -n "$C" route del blackhole $S_ADDR/32
	go client
	bg_done client OUT
	served
	expect "the data is acknowledged once the route is back" OK \
		"${OUT[drain]}"
	expect "and the server got it" "${OUT[send]}" "${SRV[recv]}"
	expect_match "at the next retransmission, within 2 s (in ms)" \
		"1[0-9][0-9][0-9]|[0-9][0-9]?[0-9]?" "${OUT[time2]}"
	retries "$C" xtcp 3 15
}
CLIENT=xtcp clients "a route change is taken at the next retransmission" \
	reroute

done_testing
