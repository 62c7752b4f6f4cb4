#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bind() to a v4-mapped address (::ffff:a.b.c.d) on an IPv6 socket, as
# Linux TCP's AF_INET6 sockets take it: the socket is bound to the IPv4
# address and shows it v4-mapped; IPV6_V6ONLY refuses it (EINVAL), an
# address not on the host is EADDRNOTAVAIL, a port an IPv4 socket holds
# EADDRINUSE; a listener bound so takes IPv4 clients (accept() gives
# v4-mapped addresses, the wire IPv4) and not IPv6 ones. Each check runs
# for Linux TCP's AF_INET6 sockets and for xtcp, with the same result.
# /proc/net/xtcp6 lists the IPv4 listeners, connections and TIME_WAIT
# entries of IPv6 sockets with v4-mapped addresses, line for line as
# /proc/net/tcp6 lists Linux's, and /proc/net/xtcp does not list them.
# (The IPv4 sockets are family "2", AF_INET's number: lib.sh makes "inet"
# AF_INET6 here.)
XTCP_FAMILY=6
. "$(dirname "$0")/lib.sh"

require_module
net_pair
keep_time_wait "$C" "$S"
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

# proc_entry KEY NS FILE ST PORT...: PROC[KEY] and REPLY are the line of
# /proc/net/FILE in NS in state ST with the first PORT at one end, the
# ports (PORT... in hex) written P1, P2... and the fields compared with
# Linux's: local and remote address, state, tx_queue:rx_queue, the timer
# running (tr, not tm->when), retrnsmt, uid, timeout. "none" if there is
# none; "N lines" for several.
declare -A PROC CLI
proc_entry() {
	local key=$1 ns=$2 file=$3 st=$4 hex i p found=0 w
	local -a f

	shift 4
	printf -v hex ':%04X' "$1"
	REPLY=none
	while read -r -a f; do
		[ "${f[3]:-}" = "$st" ] || continue
		[[ ${f[1]} == *$hex || ${f[2]} == *$hex ]] || continue
		found=$((found + 1))
		w="${f[1]} ${f[2]} ${f[3]} ${f[4]} ${f[5]%%:*} ${f[6]} ${f[7]} ${f[8]}"
		i=1
		for p in "$@"; do
			printf -v hex ':%04X' "$p"
			w=${w//$hex/:P$i}
			i=$((i + 1))
		done
		REPLY=$w
	done <<<"$(n "$ns" cat /proc/net/$file)"
	[ $found -gt 1 ] && REPLY="$found lines"
	PROC[$key]=$REPLY
}

# A dual-stack listener on [::] in $S; a client's IPv6 socket in $C
# connects to the server's v4-mapped address, so the connection is IPv4
# on the wire and in both ends' tables. The server closes first and keeps
# the TIME_WAIT entry. What /proc/net/FILE6 and FILE (tcp for Linux TCP,
# xtcp) list at each end goes to PROC[FAMILY:what]. mapped_proc_run
# FAMILY PORT.
mapped_proc_run() {
	local fam=$1 PORT=$2 f6=xtcp6 f4=xtcp cport=$(($2 + 10000)) i

	[ "$fam" = inet ] && f6=tcp6 f4=tcp
	bg server "$S" "$fam" do "bind=[::]:$PORT" listen accept wait close \
		wait
	bg_wait server '^listen '
	bg client "$C" "$fam" do "bind=[::ffff:10.0.1.1]:$cport" \
		"connect=[::ffff:10.0.1.2]:$PORT" recv close
	bg_wait server '^wait ready'
	proc_entry $fam:listener "$S" $f6 0A $PORT
	proc_entry $fam:accepted "$S" $f6 01 $PORT $cport
	proc_entry $fam:connected "$C" $f6 01 $PORT $cport
	proc_entry $fam:accepted4 "$S" $f4 01 $PORT
	proc_entry $fam:connected4 "$C" $f4 01 $PORT
	go server
	bg_done client CLI
	for ((i = 0; i < 100; i++)); do
		proc_entry $fam:timewait "$S" $f6 06 $PORT $cport
		[ "$REPLY" != none ] && break
		nap 0.05
	done
	proc_entry $fam:timewait4 "$S" $f4 06 $PORT
	go server
	bg_done server SRV
	PROC[$fam:calls]="${SRV[bind]} ${SRV[listen]} ${SRV[close]} / ${CLI[all]}"
}

# The same for a listener bound to the server's v4-mapped address.
mapped_proc_bound_run() {
	local fam=$1 PORT=$2 f6=xtcp6 f4=xtcp

	[ "$fam" = inet ] && f6=tcp6 f4=tcp
	bg server "$S" "$fam" do bind=$M_S:$PORT listen wait
	bg_wait server '^wait ready'
	proc_entry $fam:bound "$S" $f6 0A $PORT
	proc_entry $fam:bound4 "$S" $f4 0A $PORT
	go server
	bg_done server SRV
}

mapped_proc() {
	local w

	# ports of their own: Linux's TIME_WAIT entry holds the first
	mapped_proc_run inet $PORT
	mapped_proc_run xtcp $((PORT + 100))
	mapped_proc_bound_run inet $((PORT + 200))
	mapped_proc_bound_run xtcp $((PORT + 300))
	expect "the calls succeed on both stacks" \
		"${PROC[inet:calls]}" "${PROC[xtcp:calls]}"
	w='0{16}FFFF0000[0-9A-F]{8}'
	expect_match "Linux lists its accepted IPv4 connection in tcp6, v4-mapped" \
		"$w:P1 $w:P2 01 .*" "${PROC[inet:accepted]}"
	expect "the dual-stack listener: xtcp6's line is tcp6's" \
		"${PROC[inet:listener]}" "${PROC[xtcp:listener]}"
	expect "the accepted IPv4 connection: xtcp6's line is tcp6's" \
		"${PROC[inet:accepted]}" "${PROC[xtcp:accepted]}"
	expect "the connect()ed one at the client: xtcp6's line is tcp6's" \
		"${PROC[inet:connected]}" "${PROC[xtcp:connected]}"
	expect "its TIME_WAIT entry: xtcp6's line is tcp6's" \
		"${PROC[inet:timewait]}" "${PROC[xtcp:timewait]}"
	expect "a listener bound to $M_S: xtcp6's line is tcp6's" \
		"${PROC[inet:bound]}" "${PROC[xtcp:bound]}"
	expect "none of them in tcp (Linux) or xtcp" \
		"none none none none" \
		"${PROC[xtcp:accepted4]} ${PROC[xtcp:connected4]} ${PROC[xtcp:timewait4]} ${PROC[xtcp:bound4]}"
	expect "as Linux has none of them in tcp" "none none none none" \
		"${PROC[inet:accepted4]} ${PROC[inet:connected4]} ${PROC[inet:timewait4]} ${PROC[inet:bound4]}"
}
_scenario proc "/proc/net/xtcp6 lists IPv4 entries of IPv6 sockets" \
	mapped_proc xtcp

done_testing
