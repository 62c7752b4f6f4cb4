#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IPV6_TCLASS and IPV6_UNICAST_HOPS, as Linux TCP's AF_INET6 sockets take
# them (ip_tos.sh is IP_TOS and IP_TTL): getsockopt gives back what was
# set (-1: traffic class 0, the default hop limit; the ECN bits of the
# traffic class stay TCP's), out-of-range values and short options fail
# with EINVAL and change nothing, and on the wire every SYN and data
# segment of an IPv6 client that set them before connect() carries that
# traffic class and hop limit, as does every one of a connection accepted
# from a listener that set them (the SYN-ACK too; the child inherits
# them). Linux TCP on both ends is the control.
XTCP_FAMILY=6
. "$(dirname "$0")/lib.sh"

require_module
net_pair

# One socket: what getsockopt says after each setsockopt.
values() {
	local fam=$1

	expect_do "defaults: traffic class 0, hop limit 64 (the namespace's)" \
		"0 64" "$S" "$fam" get=tclass get=hops
	expect_do "set and get back: traffic class 0x28, hop limit 33" \
		"OK 40 OK 33" "$S" "$fam" set=tclass:40 get=tclass \
		set=hops:33 get=hops
	expect_do "-1 is traffic class 0 and the default hop limit" \
		"OK OK OK OK 0 64" "$S" "$fam" set=tclass:40 set=hops:33 \
		set=tclass:-1 set=hops:-1 get=tclass get=hops
	expect_do "the ECN bits of the traffic class are not the user's (0x2b gives 0x28)" \
		"OK 40" "$S" "$fam" set=tclass:43 get=tclass
	expect_do "out of range (256, -2) fails with EINVAL and changes nothing" \
		"OK OK EINVAL EINVAL EINVAL EINVAL 40 33" "$S" "$fam" \
		set=tclass:40 set=hops:33 set=tclass:256 set=tclass:-2 \
		set=hops:256 set=hops:-2 get=tclass get=hops
	expect_do "a 2-byte option fails with EINVAL" "EINVAL EINVAL 0 64" \
		"$S" "$fam" set-short=tclass:40 set-short=hops:33 get=tclass \
		get=hops
}
families "IPV6_TCLASS and IPV6_UNICAST_HOPS" values

# marks FILE SRC: REPLY is "class C hlim H" of each SYN and data segment
# from SRC (tcpdump -v: the class is left out when 0), distinct. Segments
# sent from TIME_WAIT are left out: Linux TCP sends those with the
# defaults.
marks() {
	REPLY=$(awk -v src="$2" '
		/ IP6 / && (/Flags \[S/ || /, length [1-9]/) {
			if (!match($0, /\) [0-9a-f:]+\.[0-9]+ > /))
				next
			a = substr($0, RSTART + 2, RLENGTH - 5)
			sub(/\.[0-9]+$/, "", a)
			if (a != src)
				next
			c = "class 0x00"
			if (match($0, /class 0x[0-9a-f]+/))
				c = substr($0, RSTART, RLENGTH)
			match($0, /hlim [0-9]+/)
			print c " " substr($0, RSTART, RLENGTH)
		}' "$1" | sort -u | tr '\n' ';')
}

# The server's listener sets traffic class 0x28 and hop limit 33, the
# client 0x10 and 9 before connect(); the server sends 100 KB.
wire() {
	local cf=$1 sf=$2 cap log dump

	tmpfile cap tclass.txt
	tmpfile log tcpdump.log
	n "$C" tcpdump -i xv0 -n -v -l -U --immediate-mode "tcp port $PORT" \
		>"$cap" 2>"$log" &
	dump=$!
	wait_for "$log" "listening on" 10
	bg server "$S" "$sf" do set=tclass:40 set=hops:33 \
		bind=$S_ADDR:$PORT listen accept get=tclass get=hops \
		send=100000 close
	bg_wait server '^listen '
	xc "$C" "$cf" do set=tclass:16 set=hops:9 connect=$S_ADDR:$PORT \
		get=tclass get=hops recv
	bg_done server SRV
	nap 0.5
	kill $dump
	wait $dump 2>/dev/null
	expect "the client's socket says traffic class 0x10, hop limit 9" \
		"16 9 bytes=100000" "${OUT[get]} ${OUT[get2]} ${OUT[recv]%% *}"
	expect "the accepted socket says 0x28, 33 (inherited)" \
		"40 33" "${SRV[get]} ${SRV[get2]}"
	marks "$cap" "$C_IP"
	expect "SYN and data segments from the client carry class 0x10, hlim 9" \
		"class 0x10 hlim 9;" "$REPLY"
	marks "$cap" "$S_IP"
	expect "SYN and data segments from the server carry class 0x28, hlim 33" \
		"class 0x28 hlim 33;" "$REPLY"
}
pairings "traffic class and hop limit on the wire" wire

done_testing
