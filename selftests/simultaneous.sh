#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Simultaneous open (RFC 9293 3.5, MUST-10): two xtcp sockets, each bound
# to a known port, connect to each other at the same moment. With 300 ms of
# delay on the link their SYNs cross; each answers the other's SYN with a
# SYN-ACK from SYN_SENT -> SYN_RECEIVED and both reach ESTABLISHED, as
# the xtcp_set_state tracepoint tells. With XTCP_FAMILY=6
# (simultaneous_v6.sh) over IPv6: the events name [IPV6]:PORT ends.
. "$(dirname "$0")/lib.sh"
require_module
T=/sys/kernel/tracing

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
tc -n "$A" qdisc add dev xv0 root netem delay 300ms
tc -n "$B" qdisc add dev xv1 root netem delay 300ms
addr6 10.0.0.1; a=$REPLY
addr6 10.0.0.2; b=$REPLY

echo >$T/trace
echo 1 >$T/events/xtcp/xtcp_set_state/enable
tmpfile outa a
tmpfile outb b
ip netns exec "$A" "$XCONN" --family xtcp client "$b:7200" \
	--bind "$a:7100" --nonblock send=100 shutdown recv >"$outa" 2>&1 &
ip netns exec "$B" "$XCONN" --family xtcp client "$a:7100" \
	--bind "$b:7200" --nonblock send=100 shutdown recv >"$outb" 2>&1 &
wait
echo 0 >$T/events/xtcp/xtcp_set_state/enable

expect "A's non-blocking connect completes: SO_ERROR 0" \
	"connect EINPROGRESS,poll POLLOUT,soerror OK" \
	"$(grep -E '^(connect|poll|soerror) ' "$outa" | paste -sd,)"
expect "B's non-blocking connect completes: SO_ERROR 0" \
	"connect EINPROGRESS,poll POLLOUT,soerror OK" \
	"$(grep -E '^(connect|poll|soerror) ' "$outb" | paste -sd,)"
expect "A receives B's 100 bytes" 1 "$(grep -c '^recv bytes=100 ' "$outa")"
expect "B receives A's 100 bytes" 1 "$(grep -c '^recv bytes=100 ' "$outb")"
for side in "$a:7100 $b:7200" "$b:7200 $a:7100"; do
	path=$(grep -F "xtcp_set_state: $side " $T/trace |
	       sed 's/.* \([A-Z_0-9]*\) -> \([A-Z_0-9]*\)$/\1>\2/' | head -n 3 |
	       tr '\n' ' ')
	expect "${side%% *} goes SYN_SENT, SYN_RECV, ESTABLISHED" \
		"CLOSE>SYN_SENT SYN_SENT>SYN_RECV SYN_RECV>ESTABLISHED " "$path"
done

done_testing
