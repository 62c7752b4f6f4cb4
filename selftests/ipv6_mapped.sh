#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bind() to a v4-mapped address (::ffff:a.b.c.d) on an IPv6 socket, as
# Linux TCP's AF_INET6 sockets take it: the socket is bound to the IPv4
# address and shows it v4-mapped; IPV6_V6ONLY refuses it (EINVAL), an
# address not on the host is EADDRNOTAVAIL, a port an IPv4 socket holds
# EADDRINUSE; a listener bound so takes IPv4 clients (accept() gives
# v4-mapped addresses, the wire IPv4) and not IPv6 ones. Each check runs
# for Linux TCP's AF_INET6 sockets and for xtcp, with the same result.
# (The IPv4 sockets are family "2", AF_INET's number: lib.sh makes "inet"
# AF_INET6 here.)
XTCP_FAMILY=6
. "$(dirname "$0")/lib.sh"

require_module
net_pair
M_S=[::ffff:10.0.1.2]
declare -A HOLDER

mapped_calls() {
	local fam=$1

	expect_do "bind to $M_S:$PORT, then getsockname" \
		"OK AF_INET6 $M_S:$PORT" "$S" "$fam" bind=$M_S:$PORT getsockname
	expect_do "with IPV6_V6ONLY it fails with EINVAL" "OK EINVAL" \
		"$S" "$fam" set=v6only:1 bind=$M_S:$PORT
	expect_do "a v4-mapped address not on the host fails with EADDRNOTAVAIL" \
		EADDRNOTAVAIL "$S" "$fam" "bind=[::ffff:10.9.9.9]:$PORT"
	bg holder "$S" 2 do bind=10.0.1.2:$PORT listen wait
	bg_wait holder '^wait ready'
	expect_do "a port an IPv4 listener holds fails with EADDRINUSE" \
		EADDRINUSE "$S" "$fam" bind=$M_S:$PORT
	go holder
	bg_done holder HOLDER
	expect_do "binding again fails with EINVAL" "OK EINVAL" \
		"$S" "$fam" bind=$M_S:$PORT bind=$M_S:$PORT
}
families "bind to a v4-mapped address" mapped_calls

# A listener bound to the server's v4-mapped address: an IPv4 client
# connects, an IPv6 one is refused.
mapped_listener() {
	local cf=$1 sf=$2 cport=$((PORT + 10000))

	bg server "$S" "$sf" do bind=$M_S:$PORT listen accept getsockname \
		recv
	bg_wait server '^listen '
	xc "$C" "$cf" do connect=$S_ADDR:$PORT
	expect "an IPv6 client is refused (ECONNREFUSED)" ECONNREFUSED \
		"${OUT[connect]}"
	# Linux TCP's IPv4 client is an AF_INET socket (family 2).
	[ "$cf" = inet ] && cf=2
	xc "$C" "$cf" do bind=10.0.1.1:$cport connect=10.0.1.2:$PORT send=1000 close
	bg_done server SRV
	expect "an IPv4 client connects and sends 1000 bytes" \
		"OK OK bytes=1000" "${OUT[bind]} ${OUT[connect]} ${OUT[send]%% *}"
	expect "accept() gives its address v4-mapped" \
		"AF_INET6 [::ffff:10.0.1.1]:$cport" "${SRV[accept]}"
	expect "the accepted socket's getsockname is v4-mapped" \
		"AF_INET6 $M_S:$PORT" "${SRV[getsockname]}"
	expect "the server reads the 1000 bytes" "${OUT[send]}" "${SRV[recv]}"
}
pairings "a listener bound to a v4-mapped address" mapped_listener

done_testing
