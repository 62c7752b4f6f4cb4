#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unmodified programs on xtcp: socat, through the preload library
# (tools/xtcp-run). For each pairing of Linux TCP and xtcp, over a clean
# and an impaired link, a socat client sends a 2 MB file to a socat
# server, and another server sends it to a client: what arrives must be
# the file, and the connections must have run on the stacks named (see
# prog_cases in lib.sh). prog_socat_v6.sh runs it over IPv6: socat's
# TCP6 sockets, AF_INET6, to [fd00:...:2]:PORT.
. "$(dirname "$0")/lib.sh"

T=TCP
[ "$XTCP_FAMILY" = 6 ] && T=TCP6

require_module
prog_require socat socat
net_pair
tmpfile src src
head -c 2000000 /dev/urandom >"$src"

copy() {
	local cf=$1 sf=$2 log out pid

	tmpfile log socat-up.log
	tmpfile out up
	prog_bg "$S" "$sf" "$log" socat -u \
		"$T-LISTEN:$PORT,bind=$S_ADDR,reuseaddr" "CREATE:$out"
	pid=$PROG_PID
	if prog_listening "$PORT"; then
		check "socat client sends the file" prog_fg "$C" "$cf" socat -u \
			"OPEN:$src" "$T:$S_ADDR:$PORT"
		wait $pid
		prog_same "what the server got is the file" "$src" "$out"
	else
		fail "socat server listens" "$(cat "$log")"
	fi
	prog_stop $pid

	tmpfile log socat-down.log
	tmpfile out down
	PORT=$((PORT + 1))
	prog_bg "$S" "$sf" "$log" socat -u "OPEN:$src" \
		"$T-LISTEN:$PORT,bind=$S_ADDR,reuseaddr"
	pid=$PROG_PID
	if prog_listening "$PORT"; then
		check "socat client receives the file" prog_fg "$C" "$cf" socat -u \
			"$T:$S_ADDR:$PORT" "CREATE:$out"
		prog_same "what the client got is the file" "$src" "$out"
	else
		fail "socat server listens" "$(cat "$log")"
	fi
	prog_stop $pid
	prog_ran "the connections ran on $cf (client) and $sf (server)" \
		"$cf" "$sf" "$PROG_BEFORE"
}

prog_cases copy
done_testing
