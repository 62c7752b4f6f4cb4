#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A namespace goes away, and xtcp is unloaded, while segments flood in
# (issue 9, item 3). The receive hook reads the namespace's connection
# table, counters and sysctls; it must be gone, and every call of it
# finished, before they are freed.
#
# Round "netns": spoofed SYNs from a /16 (blackholed replies) flood a
# listener in namespace B; the listener's program is killed, so B's exit
# runs with its children and the flood still arriving.
# Round "rmmod": the same flood at a namespace with xtcp loaded but no
# xtcp socket (every segment goes through the hook's lookups), and the
# module is removed while it runs, then loaded again.
#
# The hook runs in softirq and the exit in process context, so on the
# one-CPU test kernel they cannot overlap and this cannot fail for want of
# the grace period; it checks the paths stay clean (scripts/uml-run fails
# on any kernel report) and would catch the race on an SMP kernel.
. "$(dirname "$0")/lib.sh"
require_module

MODULE=${XTCP_MODULE:-$XTCP_ROOT/mod/xtcp.ko}
XSPOOF=$XTCP_ROOT/selftests/bin/xspoof
BAD='BUG|WARNING|KASAN|Oops|refcount_t|lockdep|circular locking|outlive|use-after-free|ODEBUG'
[ -x "$XSPOOF" ] || { skip "netns_flood" "no $XSPOOF"; done_testing; }

mark="xtcp-selftest netns_flood $$"
echo "$mark" >/dev/kmsg

# flood_start NS DST:PORT: spoofed SYNs from NS until flood_stop.
flood_start() {
	(
		while :; do
			ip netns exec "$1" "$XSPOOF" syn "$2" 10.99.0.0 1000 \
				>/dev/null 2>&1
		done
	) &
	_flood=$!
}
flood_stop() {
	kill "$_flood" 2>/dev/null
	wait "$_flood" 2>/dev/null
}

# Round "netns"
ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
n "$B" ip route add blackhole 10.99.0.0/16
n "$B" sysctl -qw net.xtcp.max_syn_backlog=4096
ip netns exec "$B" "$XCONN" --family xtcp do bind=10.0.0.2:7000 listen=4096 \
	sleep=60 >/dev/null 2>&1 &
srv=$!
nap 0.5
opens0=$(xtcp_stat "$B" PassiveOpens)
flood_start "$A" 10.0.0.2:7000
nap 2
opens=$(($(xtcp_stat "$B" PassiveOpens) - opens0))
if [ "$opens" -gt 100 ]; then
	pass "netns: the flood reaches the listener ($opens children)"
else
	fail "netns: the flood reaches the listener" "$opens passive opens"
fi
# B's last reference is the program's: B's exit runs under the flood.
ip netns del "$B"
_ns_list=("$A")
kill -9 "$srv"
wait "$srv" 2>/dev/null
nap 2
flood_stop
pass "netns: namespace B went away under the flood"

# Round "rmmod": C has xtcp's hook and no xtcp socket.
ns_new C c
ip link add xv2 netns "$A" type veth peer name xv3 netns "$C"
ip -n "$A" addr add 10.0.1.1/24 dev xv2
ip -n "$C" addr add 10.0.1.2/24 dev xv3
ip -n "$A" link set xv2 up
ip -n "$C" link set xv3 up
n "$C" ip route add blackhole 10.99.0.0/16
flood_start "$A" 10.0.1.2:7000
nap 1
t0=$EPOCHREALTIME
for ((i = 0; i < 200; i++)); do
	rmmod xtcp 2>/dev/null && break
	nap 0.1
done
t1=$EPOCHREALTIME
if [ -d /sys/module/xtcp ]; then
	fail "rmmod: xtcp unloads under the flood" \
		"still loaded after 20 s: refcnt $(cat /sys/module/xtcp/refcnt)"
else
	pass "rmmod: xtcp unloads under the flood ($(((${t1/./} - ${t0/./}) / 1000)) ms)"
fi
nap 1
flood_stop
check "rmmod: insmod loads xtcp again" insmod "$MODULE"
expect "rmmod: a socket works after the reload" OK "$("$XSOCK" socket)"

reports=$(dmesg | sed -n "/$mark/,\$p" | grep -E "$BAD")
if [ -z "$reports" ]; then
	pass "the kernel reports nothing"
else
	fail "the kernel reports nothing" "$(head -n 20 <<<"$reports")"
fi

done_testing
