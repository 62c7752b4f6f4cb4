#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ephemeral ports for an IPv6 connect(): one local port serves many remote
# ends, as in Linux TCP's AF_INET6 sockets (4-tuple uniqueness; ports.sh
# and ports_connect.sh check IPv4). With two ephemeral ports, one client
# holds connections to four server ports and a fifth to the first again;
# a sixth to that one finds no 4-tuple left (EADDRNOTAVAIL), as Linux
# TCP's does. Before, an IPv6 connect() took a whole port of its own: the
# third connection already failed.
. "$(dirname "$0")/lib.sh"
require_module

# xtcp's client in C, Linux TCP's in L, each with its own address: the
# 4-tuples xtcp's connections leave in TIME_WAIT are reserved in Linux's
# table too (table.c), so Linux TCP's clients could not reuse them.
ns_new S server
ns_new C client
ns_new L linux
ip link add xv0 netns "$C" type veth peer name xv1 netns "$S"
ip link add xw0 netns "$L" type veth peer name xw1 netns "$S"
ip -n "$C" addr add fd03::1/64 dev xv0 nodad
ip -n "$S" addr add fd03::2/64 dev xv1 nodad
ip -n "$L" addr add fd04::1/64 dev xw0 nodad
ip -n "$S" addr add fd04::2/64 dev xw1 nodad
for l in "$C xv0" "$S xv1" "$L xw0" "$S xw1"; do
	read -r ns dev <<<"$l"
	ip -n "$ns" link set "$dev" up
done
for ns in "$C" "$L"; do
	n "$ns" sysctl -qw net.ipv4.ip_local_port_range="40000 40001"
	n "$ns" sysctl -qw net.xtcp.ip_local_port_range="40000 40001"
done

# Linux TCP listeners on S's ports 7001 to 7004, for both clients: the
# handshakes complete into their accept queues.
tmpfile ready listeners
n "$S" python3 -c '
import socket, sys, time
ls = []
for p in range(7001, 7005):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.bind(("::", p))
    s.listen(16)
    ls.append(s)
print("ready", flush=True)
time.sleep(60)' >"$ready" 2>&1 &
lpid=$!
wait_for "$ready" ready 10 || fail "the listeners are up"

# clients NS FAMILY NET: six connect()s to NET::2 from one process in NS,
# each socket kept open; REPLY is the connect results, then the local
# ports used, sorted (0: the socket whose connect() failed is unbound).
clients() {
	local ops=() p ports out

	for p in 7001 7002 7003 7004 7001 7001; do
		ops+=(new "connect=[$3::2]:$p" getsockname)
	done
	tmpfile out "clients.$2"
	"$XCONN" --netns "$1" --family "$2" do "${ops[@]:1}" >"$out" 2>&1
	ports=$(grep -o '^getsockname AF_INET6 \[[0-9a-f:]*\]:[0-9]*' "$out" |
		sed 's/.*://' | sort -u | paste -sd' ')
	REPLY="$(grep -o '^connect [A-Z]*' "$out" | cut -d' ' -f2 |
		paste -sd' ') ports $ports"
}
clients "$C" xtcp fd03
x=$REPLY
clients "$L" inet6 fd04
expect "xtcp: 5 connections through 2 ports, the 6th finds no 4-tuple" \
	"OK OK OK OK OK EADDRNOTAVAIL ports 0 40000 40001" "$x"
expect "as Linux TCP's AF_INET6 sockets" "$x" "$REPLY"
kill "$lpid" 2>/dev/null
wait "$lpid" 2>/dev/null
done_testing
