#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shutdown(SHUT_RD) is local: data arriving afterwards does not reset the
# connection, as with Linux TCP (data after close() does: conn_reset.sh).
. "$(dirname "$0")/lib.sh"
require_module

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
addr6 10.0.0.1
a=$REPLY

port=7500
for fam in $INET xtcp; do
	port=$((port + 1))
	ip netns exec "$A" "$XCONN" --family $fam server $a:$port \
		shutdown=rd sleep=2 send=100 shutdown=wr sleep=1 >/dev/null 2>&1 &
	sleep 0.5
	out=$(ip netns exec "$B" "$XCONN" --family $INET client $a:$port \
		sleep=1 send=1000 recv 2>&1)
	wait
	expect "$fam server: data after its shutdown(SHUT_RD) is no reset" 1 \
		"$(grep -c '^recv bytes=100 ' <<<"$out")"
done

done_testing
