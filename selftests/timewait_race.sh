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
# stay clean, and would show the bug on an SMP kernel. With XTCP_FAMILY=6
# (timewait_race_v6.sh) the same over IPv6.
. "$(dirname "$0")/lib.sh"
require_module

XSPOOF=$XTCP_ROOT/selftests/bin/xspoof
CONNS=${CONNS:-30}
ROUNDS=${ROUNDS:-2}
[ -x "$XSPOOF" ] || { skip "timewait_race" "no $XSPOOF"; done_testing; }
mark="xtcp-selftest timewait_race $$"
echo "$mark" >/dev/kmsg

# tw_count NS: TIME_WAIT entries (state 06) in /proc/net/xtcp (xtcp6) of NS.
tw_count() { n "$1" awk 'NR > 1 && $4 == "06"' "/proc/net/xtcp$_v6" | wc -l; }

# make_tw PORT: $CONNS connections to an xtcp server on PORT in A that
# closes first and keeps listening; the clients (Linux TCP, B) close when
# they read EOF. Leaves the clients' FINs as "SRC:SPORT DST:DPORT SEQ"
# lines in $tuples and the server's pid in $srv.
make_tw() {
	local port=$1 cap

	# Accepts more than come, so that it goes on listening (new SYNs).
	(ip netns exec "$A" "$XCONN" --family xtcp server "$a:$port" \
		-n 100000 --backlog 128 close >/dev/null 2>&1; :) 2>/dev/null &
	srv=$!
	tmpfile cap "cap-$port"
	cap_start "$A" xv0 "$cap"
	nap 0.3
	ip netns exec "$B" python3 -S -E -c '
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.create_connection((sys.argv[3], port), timeout=20)
    socks.append(s)
    while s.recv(4096):
        pass
    s.close()
' "$port" "$CONNS" "$a_ip"
	nap 0.5
	cap_stop
	n "$B" nft add rule inet twr in "$ipfam" saddr "$a_ip" tcp sport "$port" drop
	tmpfile tuples "tuples-$port"
	awk -v p="$a:$port" '$2 == ">" && $3 == p && $4 ~ /F/ {
		sub("seq=", "", $5); print $1, $3, $5 }' "$cap.txt" |
		sort -u >"$tuples"
}

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
# A's address as the tools and pcap.py print it ([IPV6] over IPv6), bare.
addr6 10.0.0.1; a=$REPLY a_ip=${REPLY//[][]/}
ipfam=ip
[ "$XTCP_FAMILY" = 6 ] && ipfam=ip6
# The clients' stack answers the entries' ACKs with RSTs at RCV.NXT, which
# would end the entries at the first FIN: once the clients are done, B
# no longer hears from A's xtcp ports.
n "$B" nft add table inet twr
n "$B" nft add chain inet twr in '{ type filter hook input priority 0; }'

for ((r = 0; r < ROUNDS; r++)); do
	_t_prefix="round $r: "
	port=$((7000 + r))
	tw0=$(xtcp_stat "$A" TimeWaits)
	# Entries made with a long 2*MSL (set-up is slow), restarted by the
	# FINs with a short one.
	n "$A" sysctl -qw net.xtcp.msl_ms=30000
	make_tw "$port"
	n "$A" sysctl -qw net.xtcp.msl_ms=500
	nt=$(wc -l <"$tuples")
	expect "every connection went through TIME_WAIT" "$CONNS" \
		$(($(xtcp_stat "$A" TimeWaits) - tw0))
	# tcpdump may miss the first segments while it starts.
	if [ "$nt" -ge $((CONNS * 3 / 4)) ]; then
		pass "the clients' FINs were captured ($nt of $CONNS)"
	else
		fail "the clients' FINs were captured" "$nt of $CONNS"
	fi

	# FINs at RCV.NXT for 2 s, twice the 2*MSL: the entries must live on.
	out0=$(xtcp_stat "$A" OutSegs)
	n "$B" "$XSPOOF" tuples FA 200 <"$tuples" >/dev/null 2>&1 &
	fl=$!
	nap 1.5
	live=$(tw_count "$A")
	if [ "$live" -ge "$nt" ]; then
		pass "retransmitted FINs keep the entries in TIME_WAIT ($live)"
	else
		fail "retransmitted FINs keep the entries in TIME_WAIT" \
			"$live entries left, $nt flooded"
	fi
	# Now end them while the FINs still come: RSTs at RCV.NXT for a
	# third, new SYNs for a third, and the timers (1 s after the last
	# FIN) for the rest.
	third=$((nt / 3))
	head -n "$third" "$tuples" | n "$B" "$XSPOOF" tuples R 1 1 >/dev/null
	sed -n "$((third + 1)),$((2 * third))p" "$tuples" |
		n "$B" "$XSPOOF" tuples S 1 100000 >/dev/null
	if [ $r -eq $((ROUNDS - 1)) ]; then
		# The last round: the namespace goes with entries and flood.
		n "$A" sysctl -qw net.xtcp.msl_ms=30000
		make_tw $((port + 100))
		n "$A" sysctl -qw net.xtcp.msl_ms=500
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
	for ((i = 0; i < 50; i++)); do
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
