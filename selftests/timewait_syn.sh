#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A new SYN for a 4-tuple in TIME_WAIT (RFC 9293 3.6.1, MAY-2): the xtcp
# server closed first and waits in TIME_WAIT; the same client port
# connects again with a higher ISN, and the new connection is accepted.
. "$(dirname "$0")/lib.sh"
require_module

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
addr6 10.0.0.1
a=$REPLY
addr6 10.0.0.2
b=$REPLY
# The state of the entry whose remote end is port 7400 (0x1CE8).
state() {
	n "$A" awk 'NR > 1 && $3 ~ /:1CE8$/ { print $4 }' /proc/net/xtcp$_v6
}

tmpfile srv server
ip netns exec "$A" "$XCONN" --family xtcp server $a:7300 -n 2 close \
	>"$srv" 2>&1 &
sleep 0.5
out=$(ip netns exec "$B" "$XCONN" --family $INET client $a:7300 \
	--bind $b:7400 recv close 2>&1)
expect "the first connection ends with EOF at the client" 1 \
	"$(grep -c '^recv bytes=0 ' <<<"$out")"
sleep 0.3
expect "the server, which closed first, is in TIME_WAIT (06)" 06 "$(state)"

sleep 0.5
out=$(ip netns exec "$B" "$XCONN" --family $INET client $a:7300 \
	--bind $b:7400 recv close 2>&1)
expect "a new connection from the same port is accepted" 1 \
	"$(grep -c '^connect OK' <<<"$out")"
wait
expect "the server accepted both" 2 "$(grep -c '^accept ' "$srv")"

done_testing
