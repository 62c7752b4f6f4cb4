#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# BIG TCP (issue 9 item 16): a Linux TCP sender whose device allows GSO
# packets of 185,000 bytes hands veth segments longer than 64 KB (the IP
# header's length field 0), which reach xtcp whole. xtcp must take each
# as one segment of its true length: a 16-bit length would cut it (the
# rest of the stream then arrives "twice", and a FIN is taken too early).
# The stream must arrive intact, and xtcp must have seen segments over
# 64 KB (tracepoint xtcp_segment_in, len).
. "$(dirname "$0")/lib.sh"
require_module
T=/sys/kernel/tracing
SIZE=185000

ns_new A srv
ns_new B cli
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
for ns in "$A" "$B"; do
	for dev in xv0 xv1; do
		n "$ns" ip link show dev $dev >/dev/null 2>&1 || continue
		out=$(n "$ns" python3 "$XTCP_ROOT/selftests/linkset.py" $dev $SIZE 2>&1)
		if [ "$out" != ok ]; then
			skip "BIG TCP over veth" "cannot set the GSO size: $out"
			done_testing
		fi
	done
done

# A segment is at most half the largest window the receiver offered
# (tcp_bound_to_half_wnd()): give xtcp's receive buffer room from the
# start rather than waiting for autotuning.
n "$A" sysctl -qw net.xtcp.rmem="4096 4194304 6291456"
# Linux sizes its GSO packets by its pacing rate and min_rtt
# (tcp_tso_autosize()): on a loaded host the guest's RTTs grow and the
# packets stay under 64 KB (one CI run saw none over it). 127 segments
# at least, as many as the GSO size allows, whatever the rate.
n "$B" sysctl -qw net.ipv4.tcp_min_tso_segs=127

echo >$T/trace
echo 'len > 65535' >$T/events/xtcp/xtcp_segment_in/filter
echo 1 >$T/events/xtcp/xtcp_segment_in/enable
serve "$A" xtcp 10.0.0.1:5005 recv
xc "$B" inet client 10.0.0.1:5005 send=16000000
served
echo 0 >$T/events/xtcp/xtcp_segment_in/enable
echo 0 >$T/events/xtcp/xtcp_segment_in/filter
big=$(grep -c xtcp_segment_in $T/trace)
max=$(sed -n 's/.* len=\([0-9]*\).*/\1/p' $T/trace | sort -n | tail -1)
echo "# segments over 64 KB that xtcp received: $big, the longest ${max:-none} bytes"

expect "the stream arrives intact" "${OUT[send]}" "${SRV[recv]}"
if [ "$big" -gt 0 ]; then
	pass "xtcp took segments over 64 KB whole ($big, up to $max bytes)"
else
	fail "xtcp took segments over 64 KB whole" "no xtcp_segment_in with len > 65535"
fi

done_testing
