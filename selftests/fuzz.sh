#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The segment fuzzer (selftests/xfuzz.c) against xtcp in namespace A: a
# listener, two established connections (one accepted, one connected)
# whose numbers xfuzz learns from what A sends, TIME_WAIT entries, and
# A's own connects, whose SYNs xfuzz answers.
# xfuzz sends from namespace B through an AF_PACKET socket: every flag
# combination, option kind and length, data offset, checksum, sequence
# and acknowledgment numbers near the wrap and near the live ones, IP
# fragments and options. Afterwards both connections must carry a checked
# stream each way, new connections must connect, the kernel must have
# logged nothing, and /proc/net/xtcp_sockstat must return to where it was.
#
# Environment: XTCP_FUZZ_SEGS (segments, default 20000), XTCP_FUZZ_SECS
# (a time limit in seconds, default none), XTCP_FUZZ_SEED (replay a run:
# the seed is printed), XTCP_FUZZ_PCAP (write every frame sent there),
# XTCP_FUZZ_UNGUARDED=1 (let xfuzz corrupt and reset the connections, as
# an attacker who knows their numbers can: the checks must then fail).
. "$(dirname "$0")/lib.sh"
require_module
XFUZZ=$XTCP_ROOT/selftests/bin/xfuzz
secs=${XTCP_FUZZ_SECS:-0}
segs=${XTCP_FUZZ_SEGS:-}
# A time limit alone runs until it ends; both: whichever comes first.
[ -n "$segs" ] || { [ "$secs" = 0 ] && segs=20000 || segs=1000000000000; }
A_ADDR=10.0.0.1
B_ADDR=10.0.0.2
SPOOF=10.0.0.3
K=1048576	# bytes each way afterwards: more than xfuzz's --inject + 128K

if [ ! -x "$XFUZZ" ]; then
	echo "1..0 # SKIP no selftests/bin/xfuzz (scripts/check builds it)"
	exit $KSFT_SKIP
fi

ns_new A a
ns_new B b
veth_link "$A" $A_ADDR "$B" $B_ADDR
# Replies to the fuzzer's own connections go to B's link, where nothing
# owns the address and nothing answers: xfuzz reads them there.
b_mac=$(ip -n "$B" -br link show xv1 | awk '{ print $3 }')
ip -n "$A" neigh replace $SPOOF lladdr "$b_mac" dev xv0 nud permanent
# Children of unreachable sources go after one SYN-ACK retransmission,
# orphans in FIN_WAIT_2 after 5 s; the TIME_WAIT entries outlive the run.
n "$A" sysctl -qw net.xtcp.synack_retries=1 net.xtcp.fin_timeout_ms=5000 \
	net.xtcp.msl_ms=600000

# Sockets in use and allocated (the pages charged, "mem", vary).
sockstat() { n "$A" awk '{ print $1, $2, $3, $4, $5 }' /proc/net/xtcp_sockstat; }
kmsg0=$(dmesg 2>/dev/null | wc -l)

# The listener: accept, send 3000 bytes, close (A closes first).
tmpfile serve_out serve
"$XFUZZ" --netns "$A" serve $A_ADDR:5001 >"$serve_out" 2>&1 &
serve_pid=$!
wait_for "$serve_out" '^listen port=' 10 ||
	{ fail "the listener is up" "$(cat "$serve_out")"; done_testing; }
base=$(sockstat)

# Established connections, idle until "go": E1 accepted by A from a Linux
# TCP client in B, E2 connected from A to an xtcp server in B. The peer
# sends its stream first, then A sends its own.
alarm=$((secs > 0 ? secs + 300 : segs / 100 + 300))
[ $alarm -lt 2000000 ] || alarm=2000000
bg e1s "$A" xtcp server $A_ADDR:5002 alarm=$alarm wait recv stream=$K shutdown=wr
bg_wait e1s '^port='
bg e1c "$B" inet client $A_ADDR:5002 --bind $B_ADDR:40001 alarm=$alarm wait \
	stream=$K shutdown=wr recv
bg e2s "$B" xtcp server $B_ADDR:5003 alarm=$alarm wait stream=$K shutdown=wr recv
bg_wait e2s '^port='
bg e2c "$A" xtcp client $B_ADDR:5003 --bind $A_ADDR:40002 alarm=$alarm wait \
	recv stream=$K shutdown=wr
for e in e1s e1c e2s e2c; do
	bg_wait $e '^wait ready' || fail "connection $e is up" "$(cat "${_bg_out[$e]}")"
done

# TIME_WAIT entries in A: two where A connected and closed first, one on
# the listener's port (the listener closes first).
"$XCONN" --netns "$B" --family xtcp server $B_ADDR:5004 -n 2 >/dev/null 2>&1 &
tw_srv=$!
nap 0.3
for p in 40003 40004; do
	xc "$A" xtcp client $B_ADDR:5004 --bind $A_ADDR:$p
done
xc "$B" inet client $A_ADDR:5001 --bind $B_ADDR:40005 recv
expect "the listener serves a connection before the fuzz" "OK bytes=3000" \
	"${OUT[connect]} ${OUT[recv]%% *}"
wait $tw_srv
nap 0.5
tws=$(n "$A" awk '$4 == "06"' /proc/net/xtcp | wc -l)
expect "A holds 3 TIME_WAIT entries" 3 "$tws"

# Connections from A to the fuzzer, which answers their SYNs.
tmpfile conn_out connect
"$XFUZZ" --netns "$A" connect $SPOOF:7000 32 >"$conn_out" 2>&1 &
conn_pid=$!

insegs0=$(xtcp_stat "$A" InSegs)
tmpfile fuzz_out xfuzz
args=(--netns "$B" --segs "$segs" --secs "$secs" --spoof $SPOOF
      --progress 100000
      --listen $A_ADDR:5001 --active-port 7000
      --est $A_ADDR:5002,$B_ADDR:40001 --est $A_ADDR:40002,$B_ADDR:5003
      --tw $A_ADDR:40003,$B_ADDR:5004 --tw $A_ADDR:40004,$B_ADDR:5004
      --tw $A_ADDR:5001,$B_ADDR:40005)
[ -z "${XTCP_FUZZ_SEED:-}" ] || args+=(--seed "$XTCP_FUZZ_SEED")
[ -z "${XTCP_FUZZ_PCAP:-}" ] || args+=(--pcap "$XTCP_FUZZ_PCAP")
[ -z "${XTCP_FUZZ_UNGUARDED:-}" ] || args+=(--no-guard 1)
# The seed and progress show as they come: if the kernel dies, they say
# how to replay the run and how far it got.
"$XFUZZ" "${args[@]}" run xv1 2>&1 | tee "$fuzz_out" |
	grep --line-buffered -E '^# (progress|xfuzz: seed)'
rc=${PIPESTATUS[0]}
kill -TERM $conn_pid
wait $conn_pid
grep '^connected=' "$conn_out" | sed 's/^/# connections from A: /'
grep '^# ' "$fuzz_out" | grep -v -E '^# (progress|xfuzz: seed)'
result=$(grep '^result ' "$fuzz_out")
if [ $rc -eq 0 ] && [ -n "$result" ]; then
	pass "xfuzz learned every target and sent its segments"
else
	fail "xfuzz learned every target and sent its segments" "exit $rc" \
		"$(tail -n 5 "$fuzz_out")"
fi
sent=$(sed -n 's/.* segs=\([0-9]*\) .*/\1/p' <<<"$result")
insegs=$(($(xtcp_stat "$A" InSegs) - insegs0))
if [ -n "$sent" ] && [ "$insegs" -ge $((sent / 2)) ]; then
	pass "xtcp in A took in most of them ($insegs segments of $sent)"
else
	fail "xtcp in A took in most of them" "sent ${sent:-?}, InSegs grew by $insegs"
fi
line=
for c in InErrs InCsumErrors ChallengeAcks ChallengeAckLimited \
	OutOfWindowAckLimited PawsRejected OutRsts PassiveOpens SynDrops; do
	line+=" $c=$(xtcp_stat "$A" $c)"
done
echo "# A's counters:$line"

# The established connections carry a checked stream each way.
for e in e1s e1c e2s e2c; do go $e; done
declare -A C1 S1 C2 S2
bg_done e1c C1
bg_done e1s S1
bg_done e2s S2
bg_done e2c C2
check_stream() {
	local -n _snd=$2 _rcv=$3

	if [[ -n ${_snd[stream]} && ${_snd[stream]} == "bytes=$K "* &&
	      ${_snd[stream]} == "${_rcv[recv]}" ]]; then
		pass "$1"
	else
		fail "$1" "sent: ${_snd[all]}" "received: ${_rcv[all]}"
	fi
}
check_stream "E1 (accepted by A): B -> A intact" C1 S1
check_stream "E1 (accepted by A): A -> B intact" S1 C1
check_stream "E2 (connected from A): B -> A intact" S2 C2
check_stream "E2 (connected from A): A -> B intact" C2 S2

# New connections to the fuzzed listener, over Linux TCP and over xtcp.
for fam in inet xtcp; do
	xc "$B" $fam client $A_ADDR:5001 alarm=20 recv
	expect "a new $fam connection to the listener connects and is served" \
		"OK bytes=3000" "${OUT[connect]} ${OUT[recv]%% *}"
done

# Everything the fuzz made goes away: children time out (one SYN-ACK
# retransmission), xfuzz reset its own connections, the orphans time out.
for ((i = 0; i < 60; i++)); do
	[ "$(sockstat)" = "$base" ] && break
	nap 0.5
done
expect "/proc/net/xtcp_sockstat in A returns to what it was" "$base" "$(sockstat)"
kill -TERM $serve_pid
wait $serve_pid
grep '^accepted=' "$serve_out" | sed 's/^/# listener: /'

# uml-run fails the whole run on any report too; this names the test.
if [ "$kmsg0" -gt 0 ]; then
	bad=$(dmesg | tail -n +$((kmsg0 + 1)) | grep -E \
		'BUG|WARNING|Oops|KASAN|general protection|refcount_t|corruption' |
		head -n 5)
	expect "the kernel logged no report" "" "$bad"
else
	skip "the kernel logged no report" "dmesg cannot be read"
fi

done_testing
