#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IPv6: one xtcp socket takes a struct sockaddr_in6 as Linux TCP's AF_INET6
# sockets do. For every pairing of Linux TCP and xtcp as client and server
# over a veth pair with IPv6 addresses: the handshake, data both ways and
# an orderly close, the addresses getsockname, getpeername and accept
# return (AF_INET6), and on the wire IPv6 segments with correct checksums
# and the MSS of the IPv6 route.
. "$(dirname "$0")/lib.sh"

C6=fd00::1
S6=fd00::2
# As the capture decoder prints them: uncompressed, in brackets.
C6W=[fd00:0:0:0:0:0:0:1]
S6W=[fd00:0:0:0:0:0:0:2]

net_pair
n "$C" ip -6 addr add $C6/64 dev xv0 nodad
n "$S" ip -6 addr add $S6/64 dev xv1 nodad
tmpfile CAP capture
cap_start "$C" xv0 "$CAP" "ip6 and tcp"

# xconn's family for a side: Linux TCP's sockets are AF_INET6 here.
fam6() {
	REPLY=$1
	[ "$1" = inet ] && REPLY=inet6
}

# The client sends 5000 bytes and shuts down its side; the server reads to
# EOF, answers 3000 bytes and closes.
v6_transfer() {
	local cf sf

	fam6 "$1"
	cf=$REPLY
	fam6 "$2"
	sf=$REPLY
	serve "$S" "$sf" "[$S6]:$PORT" getsockname getpeername recv send=3000
	xc "$C" "$cf" client "[$S6]:$PORT" getsockname getpeername send=5000 \
		shutdown recv
	served
	cap_sync

	expect "connect() to [$S6]:$PORT succeeds" OK "${OUT[connect]}"
	expect_match "the client's getsockname is its IPv6 address" \
		"AF_INET6 \[$C6\]:[1-9][0-9]*" "${OUT[getsockname]}"
	expect "the client's getpeername is the server's" \
		"AF_INET6 [$S6]:$PORT" "${OUT[getpeername]}"
	expect "accept() returns the client's address and port" \
		"AF_INET6 [$C6]:${OUT[getsockname]##*:}" "${SRV[accept]}"
	expect "the accepted socket's getsockname is [$S6]:$PORT" \
		"AF_INET6 [$S6]:$PORT" "${SRV[getsockname]}"
	expect "its getpeername is the client" \
		"${SRV[accept]}" "${SRV[getpeername]}"
	expect "the server receives the client's 5000 bytes intact" \
		"${OUT[send]}" "${SRV[recv]}"
	expect "the client receives the server's 3000 bytes intact, then EOF" \
		"${SRV[send]}" "${OUT[recv]}"
	cap_check "the handshake is SYN, SYN-ACK, ACK between the IPv6 addresses" \
		seg_handshake "$CAP" $C6W $S6W
	cap_check "every segment is IPv6 with a correct TCP checksum" \
		seg_csum_ok "$CAP"
	cap_check "SYN and SYN-ACK announce the MSS of the IPv6 route (1500 - 60)" \
		seg_mss "$CAP" 1440
	expect_fn "the wire carries 5000 bytes from the client" 5000 \
		seg_bytes "$CAP" $C6W
	expect_fn "and 3000 bytes from the server" 3000 seg_bytes "$CAP" $S6W
	cap_check "the client's FIN is acked, then the server's FIN is acked; no RST" \
		seg_fin_close "$CAP" $C6W $S6W
}

pairings "IPv6: handshake, 5000 and 3000 bytes, close" v6_transfer

# A closed port answers an IPv6 SYN with an RST: connect() is refused.
v6_refused() {
	fam6 "$1"
	xc "$C" "$REPLY" client "[$S6]:$PORT"
	expect "connect() to a closed IPv6 port fails with ECONNREFUSED" \
		ECONNREFUSED "${OUT[connect]}"
}
clients "IPv6: connect to a closed port" v6_refused

# What the first bind() decides, and what does not mix.
v6_calls() {
	local fam

	fam6 "$1"
	fam=$REPLY
	expect_do "bind to [::]:$PORT, then getsockname" \
		"OK AF_INET6 [::]:$PORT" "$S" "$fam" "bind=[::]:$PORT" getsockname
	expect_do "bind to an IPv6 address not on this host fails with EADDRNOTAVAIL" \
		EADDRNOTAVAIL "$S" "$fam" "bind=[fd00::9]:$PORT"
	expect_do "a short sockaddr_in6 fails with EINVAL" \
		EINVAL "$S" "$fam" "bind-short=[$S6]:$PORT"
	expect_do "an IPv6 socket's connect() to a sockaddr_in fails with EINVAL (too short)" \
		"OK EINVAL" "$C" "$fam" "bind=[$C6]:0" connect=$S_ADDR:$PORT
	expect_do "getpeername of an unconnected IPv6 socket fails with ENOTCONN" \
		"OK ENOTCONN" "$S" "$fam" "bind=[$S6]:0" getpeername
}
families "IPv6: bind and connect" v6_calls

cap_stop
done_testing
