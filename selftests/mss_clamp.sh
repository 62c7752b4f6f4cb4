#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A peer's MSS option cannot make xtcp's send size 0, wrap it, or make it
# tiny: the effective MSS is the peer's, raised to net.xtcp.min_snd_mss
# (48, as Linux's tcp_min_snd_mss after CVE-2019-11479), less the option
# bytes every segment carries. Before that floor an MSS of 12 with
# timestamps made the send size 0 (nothing ever sent, no timeout), 1..11
# wrapped it to about 65525 (every segment too big for the path) and 1
# without timestamps cut the stream into 1-byte segments. A scripted peer
# (hostile.py mss) connects with each MSS and reports the size of the
# first data segments; Linux TCP faces the same peer for comparison.
. "$(dirname "$0")/lib.sh"
require_module
HOSTILE=$XTCP_ROOT/selftests/hostile.py

# xtcp in A, the scripted peer in B (see peer_link in lib.sh).
peer_link

expect "net.xtcp.min_snd_mss is 48 by default" 48 \
	"$(n "$A" sysctl -n net.xtcp.min_snd_mss 2>&1)"
expect "a value under 48 is refused (EINVAL)" fails \
	"$(n "$A" sysctl -qw net.xtcp.min_snd_mss=47 2>/dev/null && echo takes || echo fails)"

# sizes FAMILY PORT MSS [ts]: REPLY is what the peer saw of FAMILY's data.
sizes() {
	local fam=$1 port=$2 out

	shift 2
	serve "$A" "$fam" 10.0.0.1:"$port" send=3000
	tmpfile out mss
	n "$B" python3 -B -S -E "$HOSTILE" mss xv1 "$MAC_A" 10.0.0.2 10.0.0.1 \
		"$port" "$@" >"$out" 2>&1
	served
	REPLY=$(grep '^sizes' "$out" || tail -n 3 "$out")
}

port=7100
for c in "1 ts:36" "12 ts:36" "11 ts:36" "48 ts:36" "1:48" "48:48" "100 ts:88"; do
	args=${c%%:*} want=${c#*:}
	port=$((port + 1))
	sizes xtcp $port $args
	got=$REPLY
	expect "MSS option $args: data segments of $want bytes" \
		"sizes $want $want $want" "$got"
	port=$((port + 1))
	sizes inet $port $args
	echo "# MSS $args: xtcp ${got#sizes }, Linux TCP ${REPLY#sizes }"
done

n "$A" sysctl -qw net.xtcp.min_snd_mss=100
port=$((port + 1))
sizes xtcp $port 1 ts
expect "with min_snd_mss 100, MSS option 1 with timestamps: 88 bytes" \
	"sizes 88 88 88" "$REPLY"
n "$A" sysctl -qw net.xtcp.min_snd_mss=48
expect "no xtcp socket is left" "XTCP: inuse 0 alloc 0" \
	"$(n "$A" awk '{ print $1, $2, $3, $4, $5 }' /proc/net/xtcp_sockstat)"

done_testing
