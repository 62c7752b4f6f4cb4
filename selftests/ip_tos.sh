#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IP_TOS and IP_TTL reach the wire, as with Linux TCP: every segment an
# xtcp client sends after setting them before connect() (the SYN too), and
# every segment of a connection accepted from a listener that set them
# (the SYN-ACK too; all but those from TIME_WAIT; the child inherits them, as Linux TCP's children do),
# carries that TOS and TTL. OpenSSH sets IP_TOS (IPQoS) on its connections.
# Linux TCP's segments on the same links are the control.
. "$(dirname "$0")/lib.sh"

require_module
prog_require python3 python3
net_pair

# tos_peer ROLE FAMILY: a python3 server or client on FAMILY; the server
# sets TOS 0x28 and TTL 33 on its listener, the client 0x10 and 9 before
# connect(); the server sends 100 KB to the client; each prints what
# getsockopt() says on the connected socket.
tos_peer() {
	local role=$1 ns=$C

	[ "$role" = server ] && ns=$S
	prog_cmd "$2"
	ip netns exec "$ns" "${PROG[@]}" python3 -S -E -c '
import socket, sys
role, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket()
tos, ttl = (0x28, 33) if role == "server" else (0x10, 9)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, tos)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
if role == "server":
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    print("listening", flush=True)
    c, _ = s.accept()
    c.sendall(b"x" * 100000)
else:
    s.connect((addr, port))
    c = s
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        n += len(b)
print("tos=%#x ttl=%d" % (c.getsockopt(socket.IPPROTO_IP, socket.IP_TOS),
                          c.getsockopt(socket.IPPROTO_IP, socket.IP_TTL)))
c.close()' "$role" $S_ADDR "$PORT"
}

# marks FILE SRC: REPLY is "TOS TTL" of each SYN and data segment from
# SRC, distinct. Segments sent from TIME_WAIT are left out: Linux TCP sends
# those with the namespace's default TTL.
marks() {
	REPLY=$(awk -v src="$2" '
		$1 ~ "^" src "\\.[0-9]+$" && $2 == ">" &&
		    ($0 ~ /Flags \[S/ || $0 ~ /length [1-9]/) {
			if (match(prev, /tos 0x[0-9a-f]+, ttl [0-9]+/))
				print substr(prev, RSTART, RLENGTH)
		}
		{ prev = $0 }' "$1" | sort -u | tr '\n' ';')
}

one() {
	local cf=$1 sf=$2 cap log srv cli

	tmpfile cap tos.txt
	tmpfile log tcpdump.log
	tmpfile srv server.out
	ip netns exec "$C" tcpdump -i xv0 -n -v -l -U --immediate-mode "tcp port $PORT" \
		>"$cap" 2>"$log" &
	local dump=$!
	wait_for "$log" "listening on" 10
	tos_peer server "$sf" >"$srv" 2>&1 &
	local spid=$!
	wait_for "$srv" listening 20
	cli=$(tos_peer client "$cf" 2>&1)
	wait $spid
	nap 0.5
	kill $dump
	wait $dump 2>/dev/null
	expect "client's socket says TOS 0x10, TTL 9" "tos=0x10 ttl=9" "$cli"
	expect "accepted socket says TOS 0x28, TTL 33 (inherited)" \
		"tos=0x28 ttl=33" "$(grep tos= "$srv")"
	marks "$cap" $C_ADDR
	expect "SYN and data segments from the client carry TOS 0x10, TTL 9" \
		"tos 0x10, ttl 9;" "$REPLY"
	marks "$cap" $S_ADDR
	expect "SYN and data segments from the server carry TOS 0x28, TTL 33" \
		"tos 0x28, ttl 33;" "$REPLY"
}

for pair in inet:inet xtcp:inet inet:xtcp xtcp:xtcp; do
	cf=${pair%:*} sf=${pair#*:}
	PORT=$((PORT + 1))
	_t_prefix="$cf->$sf: "
	one "$cf" "$sf"
	_t_prefix=
done
done_testing
