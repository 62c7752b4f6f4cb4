#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TIME-WAIT assassination (RFC 1337) and net.xtcp.rfc1337.
#
# An xtcp server closes first and waits in TIME_WAIT; forged RSTs from the
# client's address then try to end the wait. By default (as Linux's
# tcp_rfc1337 = 0) an RST at exactly RCV.NXT ends it and one elsewhere
# does not; with net.xtcp.rfc1337 = 1 no RST does, and the entry still
# ends at 2 * MSL. The entry answers no RST: the capture on the client's
# veth checks that nothing left the server after the forged segments; a
# forged FIN again is acknowledged, with a timestamp option (RFC 7323).
. "$(dirname "$0")/lib.sh"
require_module

XSPOOF=$XTCP_ROOT/selftests/bin/xspoof
[ -x "$XSPOOF" ] || { skip "timewait_rst" "no $XSPOOF"; done_testing; }

net_pair
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"
# 2 * MSL = 4 s: long enough for the checks, short enough to see it end.
n "$S" sysctl -qw net.xtcp.msl_ms=2000

# make_tw: the server (xtcp, in S) on a new $PORT closes first; the client
# (Linux TCP, in C) reads to EOF and closes. Sets TUPLE to the client's
# FIN as xspoof reads it, "CLIENT:CPORT SERVER:PORT SEQ", and SENT to the
# number of segments the server had sent.
server_segs() {
	cap_sync
	cap_segments "$CAP" | awk -v p="$S_ADDR:$PORT" '$1 == p' | wc -l
}

make_tw() {
	PORT=$((PORT + 1))
	serve "$S" xtcp $S_ADDR:$PORT close
	xc "$C" inet client $S_ADDR:$PORT recv
	served
	cap_sync
	TUPLE=$(cap_segments "$CAP" | awk -v p="$S_ADDR:$PORT" '
		$2 == ">" && $3 == p && $4 ~ /F/ {
			sub("seq=", "", $5); print $1, $3, $5; exit }')
	SENT=$(server_segs)
}

# spoof FLAGS DELTA: one segment with FLAGS at the client's FIN + DELTA
# (1 is RCV.NXT), from the client's address.
spoof() {
	echo "$TUPLE" | n "$C" "$XSPOOF" tuples "$1" 1 "$2" >/dev/null
	nap 0.3
}

# quiet DESC: the server sent nothing since make_tw.
quiet() {
	expect "$1" "$SENT" "$(server_segs)"
}

# gone_within S: wait up to S seconds for the entry to end.
gone_within() {
	local i

	for ((i = 0; i < $1 * 5; i++)); do
		time_wait "$S" xtcp $PORT
		[ "$REPLY" = 0 ] && return
		nap 0.2
	done
}

make_tw
check "the server's side is in TIME_WAIT" test -n "$TUPLE"
expect_fn "rfc1337 = 0: the entry is there" 1 time_wait "$S" xtcp $PORT
spoof R 2
expect_fn "rfc1337 = 0: an RST beyond RCV.NXT leaves it" 1 \
	time_wait "$S" xtcp $PORT
spoof R 1
expect_fn "rfc1337 = 0: an RST at RCV.NXT ends it" 0 \
	time_wait "$S" xtcp $PORT
quiet "rfc1337 = 0: neither RST was answered"

check "net.xtcp.rfc1337 takes 1" n "$S" sysctl -qw net.xtcp.rfc1337=1
# 2 * MSL = 8 s: the checks below take seconds in the test kernel.
n "$S" sysctl -qw net.xtcp.msl_ms=4000
make_tw
# RFC 7323 3.2: both SYNs had timestamps, so every segment but an RST
# carries one, the entry's ACKs too (a peer may drop one without). The
# FIN restarts the 2 * MSL.
spoof FA 0
t0=$SECONDS
cap_sync
seq=${TUPLE##* }
last=$(cap_segments "$CAP" | awk -v p="$S_ADDR:$PORT" '$1 == p' | tail -n 1)
case $last in
*" . "*" ack=$(((seq + 1) % 4294967296)) "*" opts=ts"*)
	pass "the client's FIN again is acknowledged, with a timestamp option" ;;
*)
	fail "the client's FIN again is acknowledged, with a timestamp option" \
		"the server's last segment: ${last:-none}" ;;
esac
SENT=$(server_segs)
spoof R 1
spoof RA 1
expect_fn "rfc1337 = 1: RSTs at RCV.NXT leave the entry" 1 \
	time_wait "$S" xtcp $PORT
quiet "rfc1337 = 1: the RSTs were not answered"
gone_within 20
expect_fn "rfc1337 = 1: the entry still ends at 2 * MSL" 0 \
	time_wait "$S" xtcp $PORT
echo "# the entry ended within $((SECONDS - t0)) s of the FIN (2 * MSL = 8 s)"

cap_stop
done_testing
