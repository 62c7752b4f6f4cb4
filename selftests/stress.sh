#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Many connections, one after another and 32 at a time, between xtcp on
# both sides and between xtcp and Linux TCP: every one completes, every
# TIME_WAIT entry expires, and nothing is left behind (the kmemleak scan
# at the end of the run and the clean rmmod check the rest).
. "$(dirname "$0")/lib.sh"
require_module
XSTRESS=$XTCP_ROOT/selftests/bin/xstress
N=${XTCP_STRESS_N:-10000}

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
n "$A" sysctl -qw net.xtcp.msl_ms=100
n "$B" sysctl -qw net.xtcp.msl_ms=100

entries() { n "$1" awk 'NR > 1' /proc/net/xtcp | wc -l; }
inuse() { n "$1" awk '/^XTCP:/ { print $3 }' /proc/net/xtcp_sockstat; }

# run CLIENT_FAMILY SERVER_FAMILY COUNT PORT
run() {
	local out

	n "$B" "$XSTRESS" --family "$2" server "10.0.0.2:$4" "$3" >/dev/null &
	sleep 0.5
	out=$(n "$A" "$XSTRESS" --family "$1" client "10.0.0.2:$4" "$3" 32)
	wait $!
	expect "$3 connections $1 -> $2 all complete" \
		"connected=$3 ok=$3 failed=0" "$out"
}

run xtcp xtcp "$N" 6001
expect "the client counted $N active opens" "$N" "$(xtcp_stat "$A" ActiveOpens)"
expect "the server counted $N passive opens" "$N" "$(xtcp_stat "$B" PassiveOpens)"
expect "the client, closing first, entered TIME_WAIT $N times" "$N" \
	"$(xtcp_stat "$A" TimeWaits)"
expect "no connection is established any more (CurrEstab)" "0 0" \
	"$(xtcp_stat "$A" CurrEstab) $(xtcp_stat "$B" CurrEstab)"
sleep 0.5
expect "after 2*MSL no entry is left in /proc/net/xtcp" "0 0" \
	"$(entries "$A") $(entries "$B")"
expect "no xtcp socket is left in use" "0 0" "$(inuse "$A") $(inuse "$B")"

run xtcp inet 1000 6002
run inet xtcp 1000 6003
sleep 0.5
expect "after the mixed runs no entry is left" "0 0" \
	"$(entries "$A") $(entries "$B")"

done_testing
