#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xtcp and Linux TCP share a namespace's ports without ever colliding:
# each stack's bind fails with EADDRINUSE on a port the other holds, and
# xtcp's ephemeral ports skip the ports Linux TCP uses.
. "$(dirname "$0")/lib.sh"
require_module

ns_new A a
X() { ip netns exec "$A" "$XCONN" "$@"; }
any=$ANY_ADDR lo=127.0.0.1
[ "$XTCP_FAMILY" = 6 ] && lo=[::1]

# hold NAME FAMILY PORT: a listener of FAMILY on PORT until "free NAME"
# (not for a few seconds: a loaded host's checks outlasted them).
hold() {
	bg "$1" "$A" "$2" do bind=$any:"$3" listen wait
	bg_wait "$1" '^wait ready' || fail "$2 listens on port $3"
}
free() {
	go "$1"
	wait "${_bg_pid[$1]}"
}

hold l1 inet 7001
expect "xtcp cannot bind a port a Linux TCP listener holds" \
	"bind EADDRINUSE" "$(X --family xtcp do bind=$any:7001)"
expect "nor the same port on one address" \
	"bind EADDRINUSE" "$(X --family xtcp do bind=$lo:7001)"

hold l2 xtcp 7002
expect "Linux TCP cannot bind a port an xtcp listener holds" \
	"bind EADDRINUSE" "$(X --family $INET do bind=$any:7002)"
expect "another xtcp socket cannot bind it either" \
	"bind EADDRINUSE" "$(X --family xtcp do bind=$any:7002)"
# An IPv6 listener's port is reserved by an IPv6 shadow (mod/table.c), so
# a Linux TCP socket bound IPv6-only collides with it as with a Linux
# dual-stack socket (before: the IPv4 shadow let it bind).
if [ "$XTCP_FAMILY" = 6 ]; then
	expect "nor a Linux TCP IPV6_V6ONLY socket" "set OK bind EADDRINUSE" \
		"$(X --family $INET do set=v6only:1 bind=$any:7002 | paste -sd' ')"
fi
free l1
free l2

expect "once both listeners are gone, xtcp binds 7001" "bind OK" \
	"$(X --family xtcp do bind=$any:7001)"
expect "and Linux TCP binds 7002" "bind OK" \
	"$(X --family $INET do bind=$any:7002)"

# Ephemeral ports: a range of two, one of them taken by Linux TCP.
n "$A" sysctl -qw net.xtcp.ip_local_port_range="7100 7101"
hold l3 inet 7100
expect "xtcp's port 0 skips the port Linux TCP holds" \
	"bind OK
getsockname $AF $any:7101" \
	"$(X --family xtcp do bind=$any:0 getsockname)"
hold l4 xtcp 0
expect "with the range used up, port 0 fails with EADDRINUSE" \
	"bind EADDRINUSE" "$(X --family xtcp do bind=$any:0)"
expect "and Linux TCP cannot take xtcp's ephemeral port" \
	"bind EADDRINUSE" "$(X --family $INET do bind=$any:7101)"
free l3
free l4

done_testing
