#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Urgent data (RFC 9293 MUST-30..33 and MUST-62, RFC 6093) with Linux
# TCP's one-byte semantics, between xtcp and Linux TCP both ways and
# xtcp->xtcp: send(MSG_OOB), recv(MSG_OOB) and MSG_PEEK|MSG_OOB,
# SO_OOBINLINE, SIOCATMARK, SIGURG to the F_SETOWN owner, poll and epoll
# EPOLLPRI, and EINVAL where there is nothing to read out of band.
#
# selftests/xurg runs each case on a fresh connection, the client sending
# and the accepted socket receiving, and prints what the receiver saw;
# Linux TCP (inet->inet) runs first and must print the table below (what
# Linux 6.12 does), then each pairing with xtcp must print the same. The
# capture on the server's link shows that every segment with URG carries
# the pointer one past the urgent byte (MUST-62), clamped to 65535, and
# that the segment with the urgent byte carries it.
#
# Then a scripted peer (hostile.py urg) sends odd pointers to an xtcp
# reader: 0, an old one in a retransmission, one on a segment without
# data, one in an out-of-order segment, one moving back, one 64K ahead,
# one on a FIN. The stream must arrive intact, only the last urgent byte
# left out of it, and the kernel must log nothing (uml-run checks).
. "$(dirname "$0")/lib.sh"

XURG=$XTCP_ROOT/selftests/bin/xurg
HOSTILE=$XTCP_ROOT/selftests/hostile.py
URGCAP=$XTCP_ROOT/selftests/urgcap.py

declare -A DESC LINUX UP
case_is() { DESC[$1]=$2; LINUX[$1]=$3; UP[$1]=$4; }
case_is oob "'abcX' with MSG_OOB between 'hello' and 'world': SIGURG, EPOLLPRI, PEEK|OOB and OOB give X then EINVAL, the read stops at the mark (SIOCATMARK 1), X is not in the stream" \
	"epri pri sigurg=1 atmark=0 peek=X oob=X again=EINVAL read=helloabc atmark=1 read=world atmark=0 nopri" 9
case_is inline "the same with SO_OOBINLINE: recv(MSG_OOB) EINVAL, X stays in the stream after the mark" \
	"epri pri sigurg=1 atmark=0 peek=EINVAL oob=EINVAL again=EINVAL read=helloabc atmark=1 read=Xworld atmark=0 nopri" 9
case_is none "no urgent data: no SIGURG, no EPOLLPRI, SIOCATMARK 0, recv(MSG_OOB) EINVAL" \
	"sigurg=0 atmark=0 noepri nopri oob=EINVAL read=plain after=EINVAL" ""
case_is two "two MSG_OOB sends before a read: the second pointer replaces the first, whose byte stays in the stream" \
	"sigurg=2 oob=Y read=aXb atmark=1 read=z" 2,4
case_is big "a 100000-byte MSG_OOB send: 99999 bytes intact up to the mark, the last one out of band" \
	"bytes=99999 intact mark=1 sigurg=yes pri oob=last after=EAGAIN" 100000:loose
case_is replace "a second MSG_OOB while the reader stands at the first mark: the first byte leaves the stream, the second is urgent" \
	"read=a atmark=1 sigurg=2 oob=Y read=b atmark=1 read=z" 2,4
case_is only "the urgent byte alone: EPOLLPRI without EPOLLIN; after MSG_OOB neither, a read says EAGAIN and passes the mark" \
	"noinpri atmark=1 peek=X oob=X noinnopri read=EAGAIN atmark=0 read=y" 1
CASES="oob inline none two big replace only"

net_pair
tmpfile pcap urgent.pcap
CAP_SNAP=160 cap_start "$S" xv1 "$pcap"
declare -A BASE RES

# run_xurg CF SF: the cases for the pairing, results by name in RES.
run_xurg() {
	local file name rest

	tmpfile file xurg
	"$XURG" --client-ns "$C" --client-family "$1" --server-ns "$S" \
		--server-family "$2" --addr $S_ADDR --port $((PORT * 10)) \
		$CASES >"$file" 2>&1
	RES=()
	while read -r name rest; do
		[ "$name" = setup ] && echo "# xurg $1->$2: setup $rest"
		RES[$name]=$rest
	done <"$file"
}

compare() {
	local cf=$1 sf=$2 name

	run_xurg "$cf" "$sf"
	BASE[$cf->$sf]=$((PORT * 10))
	for name in $CASES; do
		expect "${DESC[$name]}" "${LINUX[$name]}" "${RES[$name]:-}"
	done
}
pairings "urgent data as Linux TCP has it" compare
cap_stop

# The pointers on the wire, for every pairing that ran.
args=()
for key in "${!BASE[@]}"; do
	i=0
	for name in $CASES; do
		args+=("$((BASE[$key] + i)):${UP[$name]}")
		i=$((i + 1))
	done
done
declare -A WIRE
if [ ${#args[@]} -gt 0 ]; then
	tmpfile wire urgcap
	python3 -S -E "$URGCAP" "$pcap" "${args[@]}" >"$wire" 2>&1
	while read -r port rest; do
		WIRE[$port]=$rest
	done <"$wire"
fi
for key in "${!BASE[@]}"; do
	i=0
	for name in $CASES; do
		got=${WIRE[$((BASE[$key] + i))]:-none}
		if [ -z "${UP[$name]}" ]; then
			expect "$key: $name: no segment carries URG" "urg=0 bad=0 tail=no" "$got"
		elif [ $name = big ]; then
			# The capture may miss some of its segments, the tail too.
			expect_match "$key: $name: URG segments point into the urgent send, at most to its end" \
				"urg=[1-9][0-9]* bad=0 tail=(yes|no)" "$got"
		else
			expect_match "$key: $name: URG segments point one past the urgent byte (65535 at most), the last one's segment included" \
				"urg=[1-9][0-9]* bad=0 tail=yes" "$got"
		fi
		i=$((i + 1))
	done
done

# ---- A hostile peer ----------------------------------------------------
peer_link

# hostile KIND [inline]: xurg reads from the scripted peer; REPLY is its
# line, PEER the peer's.
hostile() {
	local port=$((PORT += 1)) out pout

	tmpfile out xurg-hostile
	tmpfile pout hostile-peer
	"$XURG" --server-ns "$A" --server-family xtcp --addr 10.0.0.1 \
		--port $port hostile ${2:-} >"$out" 2>&1 &
	local pid=$!
	wait_for "$out" '^listening|^setup' 10
	n "$B" python3 -B -S -E "$HOSTILE" urg xv1 "$MAC_A" 10.0.0.2 \
		10.0.0.1 $port "$1" >"$pout" 2>&1
	wait $pid
	REPLY=$(sed -n 's/^hostile //p' "$out")
	[ -n "$REPLY" ] || REPLY="xurg: $(tail -n 2 "$out")"
	PEER=$(grep -v '^#' "$pout" | tail -n 2 | tr '\n' ' ')
}

if [ -d /sys/module/xtcp ]; then
	# Byte 4299 is 4299 % 251 = 32, a space.
	hostile valid
	expect "hostile pointers (0, old, without data, out of order, backwards): 4 SIGURGs, the byte at 4299 out of band, the rest intact (peer: $PEER)" \
		'early=EINVAL oob=\x20 sigurg=4 stream=gap=4299 bytes=4999 atmark=4299' "$REPLY"
	hostile valid inline
	expect "the same with SO_OOBINLINE: the whole stream, a mark at 4299, EINVAL out of band (peer: $PEER)" \
		'early=EINVAL oob=EINVAL sigurg=4 stream=intact bytes=5000 atmark=4299' "$REPLY"
	hostile far
	expect "a pointer 64K ahead: EAGAIN, not a wait; one behind it on the FIN ignored; 0 after the FIN; the stream intact (peer: $PEER)" \
		'early=EAGAIN oob=0 sigurg=1 stream=intact bytes=2000 atmark=none' "$REPLY"
else
	skip "hostile urgent pointers" "xtcp is not loaded"
fi

done_testing
