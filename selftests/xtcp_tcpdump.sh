#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/xtcp-tcpdump captures xtcp's connections and no Linux TCP ones
# (issue 11): nothing on the wire tells the two apart, so its filter names
# xtcp's sockets from /proc/net/xtcp. An xtcp and a Linux TCP connection
# run side by side between the same two namespaces while it captures
#  - on the server's side, started before either connection: an xtcp
#    listener's port is the filter;
#  - on the client's side, started once the xtcp client is connected: the
#    connection's two ends are the filter;
# and an unfiltered tcpdump shows that both connections were on the wire.
. "$(dirname "$0")/lib.sh"
require_module
XDUMP=$XTCP_ROOT/scripts/xtcp-tcpdump
XPORT=5000
LPORT=5001

net_pair

# dump NS NAME CMD...: CMD (a tcpdump) in NS into $NAME.pcap, in the
# background, once it listens; its pid in DUMPS.
DUMPS=()
declare -A LSRV CLI
dump() {
	local ns=$1 f=$2

	shift 2
	ip netns exec "$ns" "$@" -i "$([ "$ns" = "$C" ] && echo xv0 || echo xv1)" \
		-s 128 -U --immediate-mode -Z root -w "$f.pcap" 2>"$f.log" &
	DUMPS+=($!)
	wait_for "$f.log" "listening on" 10
}

# ports FILE: REPLY is each connection's server port and how many segments
# the capture has of it ("5000:12 5001:10"), in port order.
ports() {
	REPLY=$(python3 -S -E "$PCAP" "$1" | awk '{
		split($1, s, ":"); split($3, d, ":")
		p = s[2] == 5000 || s[2] == 5001 ? s[2] : d[2]; n[p]++ }
		END { for (p in n) print p ":" n[p] }' | sort | tr '\n' ' ')
	REPLY=${REPLY% }
}

serve "$S" xtcp 0.0.0.0:$XPORT recv send=3000
bg lserver "$S" inet server 0.0.0.0:$LPORT recv send=3000
bg_wait lserver '^port=|^(bind|listen|socket) '

filter=$(n "$S" "$XDUMP" --filter)
expect "the server's filter is its listener's port" "tcp port $XPORT" "$filter"

tmpfile base cap
dump "$S" "$base.server" "$XDUMP"
dump "$S" "$base.all" tcpdump -n
bg cli "$C" xtcp client $S_ADDR:$XPORT send=5000 wait shutdown recv close
bg_wait cli '^send '
filter=$(n "$C" "$XDUMP" --filter)
expect_match "the client's filter is its connection's two ends" \
	"\(host $C_ADDR and tcp port [0-9]+ and host $S_ADDR and tcp port $XPORT\)" \
	"$filter"
dump "$C" "$base.client" "$XDUMP"
xc "$C" inet client $S_ADDR:$LPORT send=5000 shutdown recv close
expect_match "the Linux TCP connection ran" "OK bytes=5000 .* OK bytes=3000 .* OK" \
	"${OUT[all]}"
go cli
bg_done cli CLI
expect_match "the xtcp connection ran" "OK bytes=5000 .* OK bytes=3000 .* OK" \
	"${CLI[all]}"
served
bg_done lserver LSRV
nap 0.5
kill -INT "${DUMPS[@]}"
wait "${DUMPS[@]}"

ports "$base.all.pcap"
expect_match "unfiltered, both connections are on the wire" \
	"$XPORT:[0-9]+ $LPORT:[0-9]+" "$REPLY"
all=${REPLY%% *}
ports "$base.server.pcap"
expect "the server side's capture: only the xtcp connection, every segment" \
	"$all" "$REPLY"
# Its handshake went before it started: the rest of the connection.
ports "$base.client.pcap"
expect_match "the client side's capture: only the xtcp connection" \
	"$XPORT:[0-9]+" "$REPLY"
done_testing
