#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/tsg.py, the time-sequence graph of a transfer (issue 11), finds
# in a sender-side capture what it draws:
#  - in a made-up capture (selftests/tsgcap.py) of 10 segments, the third
#    lost, seven duplicate ACKs with one SACK block each, the third resent:
#    exactly those figures, and an image with one bar per data segment,
#    one red bar for the retransmission and one per SACK block (counted in
#    the SVG's groups);
#  - in a real xtcp transfer whose 30th segment the receiver's firewall
#    drops once (nft "ct original packets 30"): as many retransmissions as
#    xtcp's RetransSegs counted, SACK blocks from the receiver, and a final
#    ACK of every byte and the FIN.
. "$(dirname "$0")/lib.sh"
require_module
TSG=$XTCP_ROOT/scripts/tsg.py

# tsg_figures CAPTURE [ARG...]: REPLY is what tsg.py found, without the
# connection ("11 data segments, ... final ACK N, 0 cwnd samples").
tsg_figures() {
	local out

	out=$(/usr/bin/python3 -B "$TSG" "$@" 2>&1)
	REPLY=${out%%$'\n'*}
	REPLY=${REPLY#tsg: * > *: }
	TSG_OUT=$out
}

# 1. The made-up capture.
tmpfile known known
cap=$known.pcap png=$known.png svg=$known.svg
python3 -B "$XTCP_ROOT/selftests/tsgcap.py" "$cap"
if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
	tsg_figures "$cap" -o "$png" -o "$svg"
	expect "known capture: its segments, retransmission, ACKs, SACK blocks, final ACK" \
		"11 data segments, 1 retransmitted, 12 ACKs, 7 SACK blocks, final ACK 10002, 0 cwnd samples" \
		"$REPLY"
	size=$(stat -c %s "$png" 2>/dev/null || echo 0)
	if [ "$(head -c 4 "$png" | od -An -c | tr -d ' ')" = 211PNG ] &&
	   [ "$size" -gt 20000 ]; then
		pass "the PNG is written ($size bytes)"
	else
		fail "the PNG is written" "$size bytes" "$TSG_OUT"
	fi
	# The bars of each kind, in their SVG groups: a path per bar.
	bars=$(/usr/bin/python3 -B - "$svg" <<-'EOF'
	import sys
	import xml.etree.ElementTree as ET
	ns = '{http://www.w3.org/2000/svg}'
	root = ET.parse(sys.argv[1]).getroot()
	print(' '.join('%s=%d' % (g, sum(1 for e in root.iter()
	      if e.get('id') == g for _ in e.iter(ns + 'path')))
	      for g in ('data', 'retransmissions', 'sacks')))
	EOF
	)
	expect "the SVG draws 10 data bars, 1 retransmission bar, 7 SACK bars" \
		"data=10 retransmissions=1 sacks=7" "$bars"
	if grep -q 'stroke: *#d62728' "$svg"; then
		pass "the retransmission is red"
	else
		fail "the retransmission is red" "no #d62728 stroke in the SVG"
	fi
else
	skip "known capture: the graph" "python3-matplotlib is not installed"
fi

# 2. A real xtcp transfer with one segment dropped on the way in.
net_pair
BYTES=300000
n "$C" sysctl -qw net.xtcp.gso=0
n "$S" sysctl -qw net.netfilter.nf_conntrack_acct=1
n "$S" nft -f - <<-EOF
table inet tsg {
	chain in {
		type filter hook input priority filter; policy accept;
		tcp dport $PORT ct original packets 30 counter drop
	}
}
EOF
tmpfile real real
cap=$real.pcap log=$real.log
ip netns exec "$C" tcpdump -i xv0 -n -s 128 -U --immediate-mode -Z root -w "$cap" \
	"tcp port $PORT" 2>"$log" &
dump=$!
wait_for "$log" "listening on" 10
rtx=$(xtcp_stat "$C" RetransSegs)
xs_run xtcp xtcp "--bytes 0 --timeout 60" "--bytes $BYTES --timeout 60"
rtx=$(($(xtcp_stat "$C" RetransSegs) - rtx))
nap 0.5
kill -INT $dump
wait $dump
xs_intact "the transfer arrived intact" client server $BYTES
dropped=$(n "$S" nft list table inet tsg | grep -o 'counter packets [0-9]*')
expect "the receiver's firewall dropped one segment" "counter packets 1" \
	"$dropped"
tsg_figures "$cap" --sender $C_ADDR
if [[ $REPLY =~ ^([0-9]+)\ data\ segments,\ ([0-9]+)\ retransmitted,\ [0-9]+\ ACKs,\ ([0-9]+)\ SACK\ blocks,\ final\ ACK\ ([0-9]+) ]]; then
	segs=${BASH_REMATCH[1]} got_rtx=${BASH_REMATCH[2]}
	sacks=${BASH_REMATCH[3]} final=${BASH_REMATCH[4]}
else
	segs='?' got_rtx='?' sacks='?' final='?'
	echo "# tsg.py: $TSG_OUT"
fi
echo "# $REPLY; RetransSegs +$rtx"
expect "the retransmissions in the capture are xtcp's RetransSegs" \
	"$rtx" "$got_rtx"
expect_match "there was at least one" "[1-9][0-9]*" "$got_rtx"
expect_match "the receiver reported the hole in SACK blocks" "[1-9][0-9]*" \
	"$sacks"
expect "the final ACK covers every byte, SYN and FIN" $((BYTES + 2)) "$final"
# Each of BYTES / MSS segments at least once (MSS 1460 or less).
if [[ $segs =~ ^[0-9]+$ ]] && ((segs - got_rtx >= (BYTES + 1459) / 1460)); then
	pass "every byte went in a data segment ($((segs - got_rtx)) new)"
else
	fail "every byte went in a data segment" "$segs segments, $got_rtx resent"
fi
done_testing
