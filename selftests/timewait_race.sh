#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TIME_WAIT entries are ended while retransmitted FINs restart their timers
# (issue 9, item 2).
#
# An xtcp server closes first, so its side of each connection waits in
# TIME_WAIT (2 MSL = 1 s here). Then, from the clients' addresses, forged
# FINs at exactly the entries' RCV.NXT (each restarts the 2*MSL and is
# acknowledged again) flood in, while the entries are ended every way
# there is: their own timers (between floods), RSTs at RCV.NXT, new SYNs
# beyond it, and, in the last round, the namespace's exit with the flood
# still running. The kernel is built with DEBUG_OBJECTS_TIMERS, which
# reports ("ODEBUG: free active object") an entry freed with its timer
# armed; KASAN reports a timer firing in freed memory. scripts/uml-run
# fails the run on either.
#
# The race needs two CPUs (the restart in one softirq, the end in another);
# the test kernel has one, so this shows the paths work under load and
# stay clean, and would show the bug on an SMP kernel.
. "$(dirname "$0")/lib.sh"
require_module

XSPOOF=$XTCP_ROOT/selftests/bin/xspoof
CONNS=${CONNS:-40}
ROUNDS=${ROUNDS:-3}
[ -x "$XSPOOF" ] || { skip "timewait_race" "no $XSPOOF"; done_testing; }
mark="xtcp-selftest timewait_race $$"
echo "$mark" >/dev/kmsg

# tw_count NS: TIME_WAIT entries (state 06) in /proc/net/xtcp of NS.
tw_count() { n "$1" awk 'NR > 1 && $4 == "06"' /proc/net/xtcp | wc -l; }

# make_tw PORT: $CONNS connections to an xtcp server on PORT in A that
# closes first and keeps listening; the clients (Linux TCP, B) close when
# they read EOF. Leaves the clients' FINs as "SRC:SPORT DST:DPORT SEQ"
# lines in $tuples and the server's pid in $srv.
make_tw() {
	local port=$1 ops=() i cap

	for ((i = 0; i < CONNS; i++)); do
		ops+=(accept close)
	done
	ip netns exec "$A" "$XCONN" --family xtcp do bind=10.0.0.1:$port \
		listen=128 "${ops[@]}" alarm=60 sleep=40 >/dev/null 2>&1 &
	srv=$!
	tmpfile cap "cap-$port"
	cap_start "$A" xv0 "$cap"
	nap 0.3
	ip netns exec "$B" python3 -S -E -c '
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.create_connection(("10.0.0.1", port), timeout=20)
    socks.append(s)
    while s.recv(4096):
        pass
    s.close()
' "$port" "$CONNS"
	nap 0.5
	cap_stop
	tmpfile tuples "tuples-$port"
	awk -v p=":$port" '$2 == ">" && $3 == "10.0.0.1" p && $4 ~ /F/ {
		sub("seq=", "", $5); print $1, $3, $5 }' "$cap.txt" |
		sort -u >"$tuples"
}

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
n "$A" sysctl -qw net.xtcp.msl_ms=500

for ((r = 0; r < ROUNDS; r++)); do
	_t_prefix="round $r: "
	port=$((7000 + r))
	tw0=$(xtcp_stat "$A" TimeWaits)
	make_tw "$port"
	nt=$(wc -l <"$tuples")
	expect "the clients' FINs were captured" "$CONNS" "$nt"
	expect "every connection went through TIME_WAIT" "$CONNS" \
		$(($(xtcp_stat "$A" TimeWaits) - tw0))

	# FINs at RCV.NXT for 2 s, twice the 2*MSL: the entries must live on.
	out0=$(xtcp_stat "$A" OutSegs)
	n "$B" "$XSPOOF" tuples FA 400 <"$tuples" >/dev/null &
	fl=$!
	nap 1.5
	expect "retransmitted FINs keep the entries in TIME_WAIT past 2*MSL" \
		"$CONNS" "$(tw_count "$A")"
	# Now end them while the FINs still come: RSTs at RCV.NXT for one
	# half, new SYNs for the other, then the timers for what is left.
	head -n $((CONNS / 2)) "$tuples" | n "$B" "$XSPOOF" tuples R 1 1 >/dev/null
	tail -n +$((CONNS / 2 + 1)) "$tuples" |
		n "$B" "$XSPOOF" tuples S 1 100000 >/dev/null
	if [ $r -eq $((ROUNDS - 1)) ]; then
		# The last round: the namespace goes with entries and flood.
		make_tw $((port + 100))
		n "$B" "$XSPOOF" tuples FA 2000 <"$tuples" >/dev/null 2>&1 &
		fl2=$!
		nap 0.5
		kill "$srv" 2>/dev/null
		wait "$srv" 2>/dev/null
		live=$(tw_count "$A")
		ip netns del "$A"
		_ns_list=("$B")
		pass "namespace deleted with $live entries in TIME_WAIT under the flood"
		wait "$fl2" 2>/dev/null
		wait "$fl" 2>/dev/null
		break
	fi
	wait "$fl"
	acks=$(($(xtcp_stat "$A" OutSegs) - out0))
	echo "# round $r: $acks segments out while $CONNS entries were flooded"
	for ((i = 0; i < 40; i++)); do
		[ "$(tw_count "$A")" = 0 ] && break
		nap 0.1
	done
	expect "every entry ended (RST, SYN or timer)" 0 "$(tw_count "$A")"
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
done
_t_prefix=

# Deleting a namespace is asynchronous: give its exit time to run, then
# look at the log (uml-run looks too, after the run).
nap 2
reports=$(dmesg | sed -n "/$mark/,\$p" | grep -E 'ODEBUG|KASAN|BUG|WARNING|refcount_t' | tail -n 5)
expect "the kernel reports nothing (ODEBUG, KASAN, WARNING)" "" "$reports"

done_testing
