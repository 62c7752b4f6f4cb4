#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IPv6: one xtcp socket takes a struct sockaddr_in6 as Linux TCP's AF_INET6
# sockets do. For every pairing of Linux TCP and xtcp as client and server
# over a veth pair with IPv6 addresses: the handshake, data both ways and
# an orderly close, the addresses getsockname, getpeername and accept
# return (AF_INET6), and on the wire IPv6 segments with correct checksums
# and the MSS of the IPv6 route. Then IPv4 through v4-mapped addresses: a
# listener on [::] takes IPv4 clients unless IPV6_V6ONLY (or
# net.ipv6.bindv6only) says no, and connect() to ::ffff:a.b.c.d makes an
# IPv4 connection; the socket calls show v4-mapped addresses, the wire IPv4.
# Also /proc/net/xtcp6 against /proc/net/tcp6, and SYN cookies over IPv6.
. "$(dirname "$0")/lib.sh"

C6=fd00::1
S6=fd00::2
# As the capture decoder prints them: uncompressed, in brackets.
C6W=[fd00:0:0:0:0:0:0:1]
S6W=[fd00:0:0:0:0:0:0:2]

net_pair
keep_time_wait "$C" "$S"
n "$C" ip -6 addr add $C6/64 dev xv0 nodad
n "$S" ip -6 addr add $S6/64 dev xv1 nodad
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"

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
	expect_fn "the client, which closed first, is in TIME_WAIT (/proc/net/${1/inet/tcp}6)" \
		1 time_wait "$C" "$1" $PORT 6
	expect_fn "the server, which closed second, is not" 0 \
		time_wait "$S" "$2" $PORT 6
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

# proc6_listener NS FILE PORT: REPLY is the local address and state of the
# listener on PORT in /proc/net/FILE of NS, as "ADDRESS:PORT ST".
proc6_listener() {
	local hex laddr raddr st rest

	printf -v hex ':%04X' "$3"
	REPLY=none
	while read -r _ laddr raddr st rest; do
		[[ $laddr == *$hex && $st == 0A ]] && REPLY="$laddr $raddr $st"
	done <<<"$(n "$1" cat /proc/net/$2)"
}

# /proc/net/xtcp6 lists an IPv6 listener as /proc/net/tcp6 lists Linux's.
v6_proc() {
	local want

	bg l6 "$S" inet6 do "bind=[$S6]:$PORT" listen wait
	bg_wait l6 '^wait ready'
	proc6_listener "$S" tcp6 $PORT
	want=$REPLY
	go l6
	bg_done l6 OUT
	bg l6 "$S" xtcp do "bind=[$S6]:$PORT" listen wait
	bg_wait l6 '^wait ready'
	proc6_listener "$S" xtcp6 $PORT
	go l6
	bg_done l6 OUT
	expect_match "Linux lists its IPv6 listener in tcp6 ([0-9A-F]{32}:PORT)" \
		"[0-9A-F]{32}:[0-9A-F]{4} 0{32}:0000 0A" "$want"
	expect "xtcp lists its IPv6 listener in xtcp6 in the same form" \
		"$want" "$REPLY"
	proc6_listener "$S" xtcp $PORT
	expect "and not in xtcp" none "$REPLY"
}
_scenario xtcp "/proc/net/xtcp6" v6_proc xtcp

# A dual-stack listener: bound to [::], it accepts an IPv4 client, which
# it sees at a v4-mapped address; the client and the wire see IPv4.
v6_dual_stack() {
	local cf=$1 sf

	fam6 "$2"
	sf=$REPLY
	serve "$S" "$sf" "[::]:$PORT" getsockname recv send=2000
	xc "$C" "$cf" client $S_ADDR:$PORT getsockname getpeername send=3000 \
		shutdown recv
	served
	cap_sync

	expect "an IPv4 client's connect() to the [::] listener succeeds" OK \
		"${OUT[connect]}"
	expect "accept() gives the client's address v4-mapped" \
		"AF_INET6 [::ffff:$C_ADDR]:${OUT[getsockname]##*:}" "${SRV[accept]}"
	expect "the accepted socket's getsockname is v4-mapped too" \
		"AF_INET6 [::ffff:$S_ADDR]:$PORT" "${SRV[getsockname]}"
	expect "the client sees a plain IPv4 peer" "AF_INET $S_ADDR:$PORT" \
		"${OUT[getpeername]}"
	expect "the server receives the client's 3000 bytes intact" \
		"${OUT[send]}" "${SRV[recv]}"
	expect "the client receives the server's 2000 bytes intact" \
		"${SRV[send]}" "${OUT[recv]}"
	cap_check "the wire is IPv4: SYN, SYN-ACK, ACK between the IPv4 addresses" \
		seg_handshake "$CAP" $C_ADDR $S_ADDR
	cap_check "with the MSS of the IPv4 route (1500 - 40)" \
		seg_mss "$CAP" 1460
	cap_check "and correct checksums" seg_csum_ok "$CAP"
	cap_check "both FINs are acked; no RST" \
		seg_fin_close "$CAP" $C_ADDR $S_ADDR
}
pairings "IPv4 client, IPv6 listener on [::]" v6_dual_stack

# IPV6_V6ONLY, set on the socket or by net.ipv6.bindv6only: the [::]
# listener takes no IPv4 client.
v6_only() {
	local cf=$1 cf6 sf
	local -A LST

	fam6 "$1"
	cf6=$REPLY
	fam6 "$2"
	sf=$REPLY
	bg lst "$S" "$sf" do set=v6only:1 get=v6only "bind=[::]:$PORT" listen \
		wait
	bg_wait lst '^wait ready'
	xc "$C" "$cf" client $S_ADDR:$PORT
	expect "with IPV6_V6ONLY an IPv4 client is refused" ECONNREFUSED \
		"${OUT[connect]}"
	xc "$C" "$cf6" client "[$S6]:$PORT" close
	expect "while an IPv6 client connects" OK "${OUT[connect]}"
	go lst
	bg_done lst LST
	expect "getsockopt(IPV6_V6ONLY) reads it back" 1 "${LST[get]}"
	expect_do "IPV6_V6ONLY cannot change once bound" "OK EINVAL" "$S" "$sf" \
		"bind=[::]:0" set=v6only:1

	PORT=$((PORT + 1))
	n "$S" sysctl -qw net.ipv6.bindv6only=1
	bg lst "$S" "$sf" do get=v6only "bind=[::]:$PORT" listen wait
	bg_wait lst '^wait ready'
	xc "$C" "$cf" client $S_ADDR:$PORT
	expect "with net.ipv6.bindv6only=1 an IPv4 client is refused" \
		ECONNREFUSED "${OUT[connect]}"
	go lst
	bg_done lst LST
	n "$S" sysctl -qw net.ipv6.bindv6only=0
	expect "and IPV6_V6ONLY reads 1 by default" 1 "${LST[get]}"
}
pairings "IPV6_V6ONLY" v6_only

# connect() to a v4-mapped address: an IPv4 connection to an IPv4 server.
v6_mapped_connect() {
	local cf sf=$2

	fam6 "$1"
	cf=$REPLY
	serve "$S" "$sf" $S_ADDR:$PORT recv send=1000
	xc "$C" "$cf" client "[::ffff:$S_ADDR]:$PORT" getsockname getpeername \
		send=4000 shutdown recv
	served
	cap_sync

	expect "connect() to [::ffff:$S_ADDR]:$PORT succeeds" OK \
		"${OUT[connect]}"
	expect "getpeername is the v4-mapped server" \
		"AF_INET6 [::ffff:$S_ADDR]:$PORT" "${OUT[getpeername]}"
	expect_match "getsockname is the client's IPv4 address, v4-mapped" \
		"AF_INET6 \[::ffff:$C_ADDR\]:[1-9][0-9]*" "${OUT[getsockname]}"
	expect "the server sees an IPv4 client" \
		"AF_INET $C_ADDR:${OUT[getsockname]##*:}" "${SRV[accept]}"
	expect "the server receives the 4000 bytes intact" "${OUT[send]}" \
		"${SRV[recv]}"
	expect "the client receives the 1000 bytes intact" "${SRV[send]}" \
		"${OUT[recv]}"
	cap_check "the wire is IPv4: SYN, SYN-ACK, ACK" \
		seg_handshake "$CAP" $C_ADDR $S_ADDR
	cap_check "and correct checksums" seg_csum_ok "$CAP"
	expect_do "with IPV6_V6ONLY it fails with ENETUNREACH" "OK ENETUNREACH" \
		"$C" "$cf" set=v6only:1 "connect=[::ffff:$S_ADDR]:$PORT"
}
pairings "connect() to a v4-mapped address" v6_mapped_connect

# SYN cookies over IPv6 (net.xtcp.syncookies=2: every SYN gets one): the
# cookie hashes the 128-bit addresses, and its ACK makes the connection.
v6_cookies() {
	local cf sent recv

	fam6 "$1"
	cf=$REPLY
	sent=$(xtcp_stat "$S" SyncookiesSent)
	recv=$(xtcp_stat "$S" SyncookiesRecv)
	n "$S" sysctl -qw net.xtcp.syncookies=2
	serve "$S" xtcp "[$S6]:$PORT" recv send=1000
	xc "$C" "$cf" client "[$S6]:$PORT" send=2000 shutdown recv
	served
	n "$S" sysctl -qw net.xtcp.syncookies=1
	expect "connect() through a cookie succeeds" OK "${OUT[connect]}"
	expect "the server receives the 2000 bytes intact" "${OUT[send]}" \
		"${SRV[recv]}"
	expect "the client receives the 1000 bytes intact" "${SRV[send]}" \
		"${OUT[recv]}"
	expect "the SYN-ACK carried a cookie (SyncookiesSent +1)" \
		$((sent + 1)) "$(xtcp_stat "$S" SyncookiesSent)"
	expect "its ACK made the connection (SyncookiesRecv +1)" \
		$((recv + 1)) "$(xtcp_stat "$S" SyncookiesRecv)"
}
SERVER=xtcp pairings "IPv6 SYN cookies" v6_cookies

cap_stop
done_testing
