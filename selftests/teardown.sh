#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Teardown timers: an orphaned connection in FIN_WAIT_2 gives up after
# net.xtcp.fin_timeout_ms, and TIME_WAIT lasts 2 * net.xtcp.msl_ms.
. "$(dirname "$0")/lib.sh"
require_module

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
n "$A" sysctl -qw net.xtcp.fin_timeout_ms=4000
n "$A" sysctl -qw net.xtcp.msl_ms=2000

state() { n "$A" awk 'NR > 1 && $3 ~ /:1B59$/ { print $4 }' /proc/net/xtcp; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# still DESC STATE SINCE LIMIT_MS: the connection is still in STATE. A
# loaded machine may sleep far longer than asked, so the check holds only
# while the time really elapsed since SINCE is below LIMIT_MS; later, the
# state may rightly be gone and the check is skipped, saying so.
still() {
	local s t
	s=$(state)
	t=$(($(now_ms) - $3))
	if [ "$s" = "$2" ]; then
		pass "$1 (at $t ms)"
	elif [ $t -ge $(($4 - 200)) ]; then
		skip "$1" "the check ran $t ms after the start, too late"
	else
		fail "$1" "expected: $2 at $t ms" "got:      $s"
	fi
}

# Linux TCP server that keeps its side open for 4 s; the xtcp client
# closes its side and goes away: an orphan in FIN_WAIT_2.
ip netns exec "$B" "$XCONN" --family inet server 10.0.0.2:7001 sleep=8 >/dev/null &
sleep 0.5
t0=$(now_ms)
ip netns exec "$A" "$XCONN" --family xtcp client 10.0.0.2:7001 shutdown close >/dev/null
sleep 0.3
expect "the orphaned client waits in FIN_WAIT_2 (05)" 05 "$(state)"
sleep 1
still "still there well before fin_timeout_ms (4 s)" 05 "$t0" 4000
sleep 3.5
expect "gone after fin_timeout_ms" "" "$(state)"
wait

# TIME_WAIT: the client closes first and waits 2 * msl_ms = 4 s.
ip netns exec "$B" "$XCONN" --family inet server 10.0.0.2:7001 recv >/dev/null &
sleep 0.5
t0=$(now_ms)
ip netns exec "$A" "$XCONN" --family xtcp client 10.0.0.2:7001 shutdown recv close >/dev/null
wait
expect "the active closer is in TIME_WAIT (06)" 06 "$(state)"
sleep 1
still "still in TIME_WAIT well before 2 * msl_ms" 06 "$t0" 4000
sleep 3.5
expect "gone after 2 * msl_ms" "" "$(state)"

done_testing
