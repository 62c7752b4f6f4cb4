#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xtcp's state is per network namespace: sockets made in one namespace are
# counted there only, and namespaces come and go while xtcp is loaded.
. "$(dirname "$0")/lib.sh"
require_module

inuse() { n "$1" awk '/^XTCP:/ { print $3 }' /proc/net/xtcp_sockstat; }

ns_new A a
ns_new B b
expect "a new namespace has /proc/net/xtcp_sockstat with no sockets" 0 "$(inuse "$A")"

# Hold 3 sockets in A and 2 in B; each namespace sees only its own.
hold_start HOLD_A 3 "$A"
expect "3 sockets open in namespace A" 0 $?
hold_start HOLD_B 2 "$B"
expect "2 sockets open in namespace B" 0 $?
expect "namespace A counts its 3 sockets" 3 "$(inuse "$A")"
expect "namespace B counts its 2 sockets" 2 "$(inuse "$B")"
expect "the initial namespace counts none of them" 0 \
	"$(awk '/^XTCP:/ { print $3 }' /proc/net/xtcp_sockstat)"

hold_stop "$HOLD_A"
expect "closing A's sockets brings A back to 0" 0 "$(inuse "$A")"
expect "and leaves B's alone" 2 "$(inuse "$B")"
hold_stop "$HOLD_B"
expect "closing B's sockets brings B back to 0" 0 "$(inuse "$B")"

expect "a socket can be made and closed in namespace A" OK \
	"$(n "$A" "$XSOCK" socket stream 0)"

# Many namespaces made and deleted while xtcp is loaded: pernet init and
# exit must pair up (kmemleak at the end of the run checks the rest).
ok=1
for i in $(seq 1 20); do
	ns=xtcp-$$-churn$i
	ip netns add "$ns" || ok=0
	ip netns exec "$ns" test -r /proc/net/xtcp_sockstat || ok=0
	ip netns exec "$ns" "$XSOCK" socket stream 0 >/dev/null || ok=0
	ip netns del "$ns" || ok=0
done
expect "20 namespaces created, used and deleted" 1 "$ok"

done_testing
