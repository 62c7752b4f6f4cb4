#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An xtcp listener's embryonic connections (mod/request.c): between a SYN
# and the ACK of its SYN-ACK the listener keeps a compact entry, not a
# socket. A scripted peer (synrecv.py) leaves handshakes half done and
# checks what RFC 9293 3.10.7.4 says for SYN-RECEIVED: a retransmitted SYN
# gets the same SYN-ACK, at most one per net.xtcp.invalid_ratelimit_ms
# (no reflector for a SYN flood); an RST at RCV.NXT ends the entry, one merely in
# the window changes nothing; an ACK of the wrong number gets an RST and
# leaves the entry; the right ACK, with data, makes an established
# connection that acknowledges the data; unanswered, the SYN-ACK is sent
# net.xtcp.synack_retries more times with the RTO doubling, then the entry
# goes.
. "$(dirname "$0")/lib.sh"
require_module
PY=$XTCP_ROOT/selftests/synrecv.py
SERVE=$XTCP_ROOT/selftests/bin/xsynflood
PORT=7010

peer_link || { fail "namespaces"; done_testing; }
n "$A" sysctl -qw net.xtcp.synack_retries=2
ip netns exec "$A" "$SERVE" serve --family xtcp 10.0.0.1 $PORT >/dev/null 2>&1 &
ip netns exec "$A" sleep 600 &
PROC=/proc/$!/net/xtcp
wait_for "$PROC" ":$(printf %04X $PORT) 00000000:0000 0A" 10 ||
	fail "the listener is up" "$(cat "$PROC")"

# step STEP KEY: synrecv.py's lines by first word into R; all it printed
# if KEY is not among them.
declare -A R
step() {
	local key rest out

	tmpfile out "$1"
	n "$B" python3 -B -S -E "$PY" xv1 "$MAC_A" 10.0.0.2 10.0.0.1 $PORT \
		"$PROC" "$1" >"$out" 2>&1
	R=()
	while read -r key rest; do
		[ "$key" = "#" ] || R[$key]=$rest
	done <"$out"
	[ -n "${R[$2]-}" ] || sed 's/^/# synrecv.py: /' "$out" | tail -n 12
}

step dup state2
expect "the embryonic connection is listed in SYN_RECV (03)" 03 "${R[state1]-}"
expect "a retransmitted SYN gets the same SYN-ACK (same ISN)" \
	"${R[synack1]-?}" "${R[synack2]-}"
expect "a third at once is not answered (net.xtcp.invalid_ratelimit_ms)" \
	"reply none" "${R[synack3]-}"
expect "an RST at RCV.NXT ends the embryonic connection" none "${R[state2]-}"

step checks state3
expect "an RST in the window, not at RCV.NXT, gets no answer" "reply none" \
	"${R[rst_inexact]-}"
expect "and leaves the embryonic connection" 03 "${R[state1]-}"
expect "an ACK of the wrong number gets <SEQ=SEG.ACK><CTL=RST>" \
	"reply ${R[want_bad]-?}" "${R[bad_ack]-}"
expect "and leaves the embryonic connection" 03 "${R[state2]-}"
expect_match "the right ACK's 10 bytes are acknowledged" \
	"reply [.P]+ ${R[want_good]-?}" "${R[good_ack]-}"
expect "the right ACK makes an established connection (01)" 01 "${R[state3]-}"

# RFC 7323 3.2: a SYN with timestamps makes every answer carry them, the
# embryonic connection's ACK to an unacceptable segment too.
step oow_ts want_oow
expect "an ACK far beyond the window gets an ACK" \
	"reply ${R[want_oow]-?}" "${R[oow_ack]-}"
expect "with a timestamp option echoing the SYN's TSval" "ts 1000" \
	"${R[oow_opts]-}"

step retries state
expect "with net.xtcp.synack_retries=2: the SYN-ACK goes out 3 times" 3 "${R[synacks]-}"
expect "all with the same ISN" 1 "${R[seqs]-}"
expect_match "the RTO doubles: about 1 s, then 2 s" \
	"(0\.9|1\.[0-2]) (1\.9|2\.[0-3])" "${R[gaps]-}"
expect "then the embryonic connection goes" none "${R[state]-}"

done_testing
