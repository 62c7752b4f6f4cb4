#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile and malformed segments to an xtcp listener: each is dropped and
# counted, or answered exactly as RFC 9293 says, and the listener still
# works afterwards. Segments are made by hand (craft.py) in namespace B.
. "$(dirname "$0")/lib.sh"
require_module
XSTRESS=$XTCP_ROOT/selftests/bin/xstress
CRAFT="python3 $XTCP_ROOT/selftests/craft.py 10.0.0.2 10.0.0.1 5001"

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2


n "$A" "$XSTRESS" --family xtcp server 10.0.0.1:5001 1 >/dev/null &
server=$!
sleep 0.5
expect "an xtcp listener is up on 10.0.0.1:5001" 1 \
	"$(n "$A" awk '$4 == "0A" && $2 ~ /:1389$/' /proc/net/xtcp | wc -l)"

# sent, expected reply, counter expected to grow, what it shows
bad() {
	local desc=$1 counter=$2 before after reply

	shift 2
	before=$(xtcp_stat "$A" "$counter")
	reply=$(n "$B" $CRAFT "$@" --reply)
	after=$(xtcp_stat "$A" "$counter")
	if [ "$reply" = "no reply" ] && [ "$after" -gt "$before" ]; then
		pass "$desc: dropped, $counter $before -> $after"
	else
		fail "$desc: dropped and counted" "reply: $reply" \
			"$counter: $before -> $after"
	fi
}

bad "a SYN with a bad checksum" InCsumErrors --sport 40001 --badsum
bad "a SYN with data offset 4 (under 5)" InErrs --sport 40002 --doff 4
bad "a SYN with data offset 15 past the segment's end" InErrs --sport 40003 --doff 15
bad "a SYN with an option of length 0" InErrs --sport 40004 --opts 02000000
bad "a SYN with an option of length 1" InErrs --sport 40005 --opts 08010000
bad "a SYN whose option runs past the header" InErrs --sport 40006 --opts 0204059e080a0000
bad "a SYN with the length byte missing at the end" InErrs --sport 40007 --opts 01010102
bad "a SYN+RST" InErrs --sport 40008 --flags SR
bad "a SYN+FIN" InErrs --sport 40009 --flags SF

# MUST-6: an unknown option is skipped; the SYN is answered with SYN-ACK.
reply=$(n "$B" $CRAFT --sport 40010 --opts 63040000020405b4 --reply)
expect "a SYN with an unknown option (kind 99) gets a SYN-ACK" "SA" \
	"$(echo "$reply" | awk '{ print $2 }')"
expect "the SYN-ACK acknowledges SEG.SEQ + 1" "ack=1001" \
	"$(echo "$reply" | awk '{ print $4 }')"

# 3.10.7.2: an ACK to a listener is answered <SEQ=SEG.ACK><CTL=RST>.
reply=$(n "$B" $CRAFT --sport 40011 --flags A --seq 5 --ack 777 --reply)
expect "an ACK to a listener gets RST with seq=SEG.ACK" "reply R seq=777 ack=0" "$reply"
# ... and an RST to a listener is ignored.
reply=$(n "$B" $CRAFT --sport 40012 --flags R --reply)
expect "an RST to a listener gets no answer" "no reply" "$reply"
# A segment with neither SYN, ACK nor RST is dropped silently.
reply=$(n "$B" $CRAFT --sport 40013 --flags P --data 10 --reply)
expect "a segment without SYN, ACK or RST to a listener is dropped" "no reply" "$reply"

# After all that, the listener still accepts a real connection.
out=$(n "$B" "$XSTRESS" --family inet client 10.0.0.1:5001 1 2>&1)
if [ "$out" = "connected=1 ok=1 failed=0" ]; then
	pass "the listener still accepts and receives a connection"
else
	fail "the listener still accepts and receives a connection" "$out"
fi
wait $server

done_testing
