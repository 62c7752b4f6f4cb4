#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A Fast Open child closed before the handshake's last ACK (RFC 7413).
#
# An xtcp server (xfastopen, TCP_FASTOPEN set, net.xtcp.fastopen's server
# bit) and a scripted client (tfopeer.py, through peer.py's packet
# socket) that takes a cookie, sends a SYN with it and a request, and
# then holds the ACK of the SYN-ACK until the server's FIN has come: the
# server accepts the child in SYN_RECEIVED, reads the request, writes its
# reply and closes, so the ACK finds the connection in FIN_WAIT_1. Until
# 242ac1d such a child had never started its sender: the ACK reached
# xtcp_rcv_ack() without congestion control and the kernel died. Any
# remote peer can do it to any such listener.
#
# The last ACK of the handshake acknowledges, in turn, the SYN-ACK alone
# (synack), the reply too (data), the FIN too (all), and the reply with
# data of its own (withdata). Each checks the sockets (the server
# accepted in SYN_RECV, read the request, its write went through and it
# exited; the peer got the reply and the FIN and, but for withdata, its
# own FIN acknowledged), the wire as tcpdump saw it (the SYN-ACK
# acknowledges the SYN's data; the reply and the FIN left before the
# handshake's ACK; no RST, or for withdata an RST and nothing after it)
# and what is left in /proc/net/xtcp: a TIME_WAIT entry, or none after
# the RST.
. "$(dirname "$0")/lib.sh"
require_module
XFO=$XTCP_ROOT/selftests/bin/xfastopen
TFOPEER=$XTCP_ROOT/selftests/tfopeer.py
REQ="GET /tfoack"
REPLY_TEXT="ok:$REQ"

peer_link || { fail "namespaces"; done_testing; }
n "$A" sysctl -qw net.xtcp.fastopen=2
port=7800
sport=41000

# proc_state PORT: the st column of the line of /proc/net/xtcp in A whose
# remote port is PORT, or "none".
proc_state() {
	local hex

	printf -v hex '%04X' "$1"
	REPLY=$(n "$A" awk -v p=":$hex" \
		'substr($3, length($3) - 4) == p { print $4; exit }' \
		/proc/net/xtcp)
	REPLY=${REPLY:-none}
}

# wire_scan FILE: in the capture, the segments of the connection from
# $sport: the server's ISN, what it sent before the peer's first segment
# after its SYN (the handshake's last ACK) as "synack_ack=N data=N fin=N"
# in BEFORE (the SYN-ACK's ack relative to the peer's ISN, payload bytes,
# FINs) and what it sent after that as a list of flags in AFTER.
wire_scan() {
	local i third='' piss='' siss='' data=0 fins=0 synack=-

	cap_load "$1"
	AFTER=''
	for i in "${!_segs[@]}"; do
		[[ ${_segs[i]} == *":$sport "* ]] || continue
		if [ "${_src[i]}" = 10.0.0.2 ]; then
			if [ "${_flags[i]}" = S ]; then
				piss=${_seq[i]}
			elif [ -z "$third" ]; then
				third=$i
			fi
			continue
		fi
		if [ -n "$third" ]; then
			AFTER+="${AFTER:+ }${_flags[i]}"
			continue
		fi
		if [ "${_flags[i]}" = S. ]; then
			siss=${_seq[i]}
			[ -z "$piss" ] ||
				synack=$(((_ack[i] - piss) & 0xffffffff))
		else
			data=$((data + _len[i]))
			[[ ${_flags[i]} != *F* ]] || fins=$((fins + 1))
		fi
	done
	BEFORE="synack_ack=$synack data=$data fin=$fins"
	AFTER=${AFTER:-none}
}

# variant NAME: one connection, its last handshake ACK as NAME says.
variant() {
	local v=$1 out srv cap spid exited key rest ack len
	local -A P

	port=$((port + 1))
	sport=$((sport + 2))
	PORT=$port
	_t_prefix="$v: "
	tmpfile srv "srv-$v"
	ip netns exec "$A" "$XFO" server xtcp 10.0.0.1 "$port" 16 1 \
		>"$srv" 2>&1 &
	spid=$!
	wait_for "$srv" '^listening' 10 || fail "server listening" "$(cat "$srv")"
	tmpfile cap "tfoack-$v.pcap"
	cap_start "$B" xv1 "$cap" "tcp port $port"
	tmpfile out "peer-$v"
	n "$B" python3 -B -S -E "$TFOPEER" xv1 "$MAC_A" 10.0.0.2 10.0.0.1 \
		"$port" "$sport" "$v" >"$out" 2>&1
	# The server exits once it closed; one that hangs is a failure.
	wait_for "$srv" '^read=' 5
	nap 0.5
	exited=yes
	kill "$spid" 2>/dev/null && exited=no
	wait "$spid"
	cap_stop
	while read -r key rest; do
		[ "$key" = "#" ] || P[$key]=$rest
	done <"$out"
	grep '^#' "$out"
	echo "# peer: $(grep -v '^#' "$out" | tr '\n' ';')"
	echo "# server: $(tr '\n' ';' <"$srv")"

	expect_match "the peer got a cookie" '[0-9a-f]{16}' "${P[cookie]-}"
	expect "the SYN-ACK acknowledges the request in the SYN" \
		"ack=$((${#REQ} + 1))" "${P[synack]%% *}"
	# xfastopen says nothing of a write that went, a line of one that
	# failed.
	expect "the server accepted in SYN_RECV (readable, writable), read the request, wrote, closed" \
		"listening;accept state=3 poll=in,out;read=${#REQ} data=$REQ syn_data=1; exited=yes" \
		"$(tr '\n' ';' <"$srv") exited=$exited"
	expect_match "before the ACK: the reply and the FIN" \
		"data=$REPLY_TEXT fin=yes synacks=[0-9]+" "${P[before]-}"
	case $v in
	synack) ack=0 len=0 ;;
	data) ack=${#REPLY_TEXT} len=0 ;;
	all) ack=$((${#REPLY_TEXT} + 1)) len=0 ;;
	withdata) ack=${#REPLY_TEXT} len=4 ;;
	esac
	expect "the handshake's last ACK" "ack=$ack len=$len" "${P[third]-}"
	expect "the peer received the reply and the FIN" \
		"data=$REPLY_TEXT fin=yes" "${P[recv]-}"

	wire_scan "$cap"
	echo "# wire: before the ACK: $BEFORE; after it: $AFTER"
	expect "wire: SYN-ACK, reply and FIN before the handshake's ACK" \
		"synack_ack=$((${#REQ} + 1)) data=${#REPLY_TEXT} fin=1" "$BEFORE"
	proc_state "$sport"
	if [ "$v" = withdata ]; then
		expect "data after close: the server resets" "rst" \
			"${P[closed]-}"
		expect "wire: an RST answers the late data, nothing else" \
			"R." "$AFTER"
		expect "no entry left" none "$REPLY"
	else
		expect "the server acknowledged our FIN" yes "${P[closed]-}"
		expect_match "wire: no RST from the server" '[^R]*' "$AFTER"
		expect "TIME_WAIT left (st 06)" 06 "$REPLY"
	fi
}

for v in synack data all withdata; do
	variant $v
done
_t_prefix=''
done_testing
