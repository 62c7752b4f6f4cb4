#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A connection from its first SYN to TIME_WAIT, for every pairing of Linux
# TCP and xtcp as client and server (CLIENT=, SERVER= narrow them): the
# three-way handshake, data both ways, an orderly close by either side or
# by both at once, and who is left in TIME_WAIT. A capture on the client's
# veth checks what went on the wire.
. "$(dirname "$0")/lib.sh"

net_pair
# Everything on the client's veth; each scenario checks its own port.
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"
keep_time_wait "$C" "$S"

# in_time_wait DESC WANT NS FAMILY: the TIME_WAIT check; on a failure the
# scenario's segments, which say what ended the wait.
in_time_wait() {
	expect_fn "$1" "$2" time_wait "$3" "$4" $PORT
	[ "$REPLY" = "$2" ] || cap_segments "$CAP" | sed 's/^/# /'
}

# The client sends 5000 bytes and shuts down its side; the server reads to
# EOF, answers 3000 bytes and closes.
client_closes_first() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT recv send=3000
	xc "$C" "$cf" client $S_ADDR:$PORT send=5000 shutdown recv
	served
	cap_sync

	expect "connect() succeeds" OK "${OUT[connect]}"
	expect "the server receives the client's 5000 bytes intact" \
		"${OUT[send]}" "${SRV[recv]}"
	expect "the client receives the server's 3000 bytes intact, then EOF" \
		"${SRV[send]}" "${OUT[recv]}"
	cap_check "the handshake is SYN, SYN-ACK, ACK with matching seq and ack" \
		seg_handshake "$CAP" $C_ADDR $S_ADDR
	cap_check "SYN and SYN-ACK both carry an MSS option" seg_mss "$CAP"
	expect_fn "the wire carries 5000 bytes from the client" 5000 \
		seg_bytes "$CAP" $C_ADDR
	expect_fn "and 3000 bytes from the server" 3000 seg_bytes "$CAP" $S_ADDR
	cap_check "the client's FIN is acked, then the server's FIN is acked; no RST" \
		seg_fin_close "$CAP" $C_ADDR $S_ADDR
	cap_check "every segment has a correct TCP checksum" seg_csum_ok "$CAP"
	in_time_wait "the client, which closed first, is in TIME_WAIT" 1 "$C" "$cf"
	in_time_wait "the server, which closed second, is not" 0 "$S" "$sf"
}
pairings "handshake, 5000 and 3000 bytes, client closes first" client_closes_first

# The server sends 3000 bytes and closes at once; the client reads to EOF
# and closes after it.
server_closes_first() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT send=3000
	xc "$C" "$cf" client $S_ADDR:$PORT recv
	served
	cap_sync

	expect "the client receives 3000 bytes, then EOF" \
		"${SRV[send]}" "${OUT[recv]}"
	cap_check "the server's FIN is acked, then the client's FIN is acked; no RST" \
		seg_fin_close "$CAP" $S_ADDR $C_ADDR
	in_time_wait "the server, which closed first, is in TIME_WAIT" 1 "$S" "$sf"
	in_time_wait "the client, which closed second, is not" 0 "$C" "$cf"
}
pairings "server closes first and keeps TIME_WAIT" server_closes_first

# A non-blocking connect() says EINPROGRESS, poll() reports POLLOUT when it
# completes and SO_ERROR is 0; a non-blocking listener polls readable
# before accept().
nonblocking() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT --nonblock recv send=2000
	xc "$C" "$cf" client $S_ADDR:$PORT --nonblock send=4000 shutdown recv
	served

	expect "non-blocking connect() returns EINPROGRESS" EINPROGRESS \
		"${OUT[connect]}"
	expect "poll() reports POLLOUT once connected" POLLOUT "${OUT[poll]}"
	expect "SO_ERROR is then 0" OK "${OUT[soerror]}"
	expect "the listener polls readable with a connection waiting" POLLIN \
		"${SRV[poll]}"
	expect "4000 bytes arrive intact at the server" \
		"${OUT[send]}" "${SRV[recv]}"
	expect "2000 bytes arrive intact at the client" \
		"${SRV[send]}" "${OUT[recv]}"
}
pairings "non-blocking connect and accept with poll" nonblocking

# Both sides shut down at the same moment over a link that takes 300 ms
# each way, so that each FIN leaves before the other arrives: both go
# FIN_WAIT_1 -> CLOSING -> TIME_WAIT. Each side waits at "wait" until the
# test lets both go.
simultaneous_close() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT wait shutdown recv
	bg client "$C" "$cf" client $S_ADDR:$PORT wait shutdown recv
	bg_wait client '^wait ready'
	bg_wait server '^wait ready'
	go client
	go server
	bg_done client OUT
	served
	cap_sync

	expect "both sides read EOF" "bytes=0 bytes=0" \
		"${OUT[recv]%% *} ${SRV[recv]%% *}"
	cap_check "both FINs cross on the wire and both are acked" \
		seg_simultaneous_close "$CAP" $C_ADDR $S_ADDR
	in_time_wait "the client ends in TIME_WAIT" 1 "$C" "$cf"
	in_time_wait "the server ends in TIME_WAIT too" 1 "$S" "$sf"
}
tc -n "$C" qdisc add dev xv0 root netem delay 300ms
tc -n "$S" qdisc add dev xv1 root netem delay 300ms
pairings "simultaneous close" simultaneous_close

done_testing
