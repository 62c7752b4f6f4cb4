#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# RFC 5961 section 5 and RFC 9293's window update rule, under a blind
# attack. An off-path attacker who guessed an in-window sequence number
# (1 in 2^32 / RCV.WND tries) sends one segment from the peer's address
# and port with an ACK 2^30 old:
#  - with a window of 0: xtcp took the window from it, and since its
#    SEG.SEQ became SND.WL1, no true update moved it again; the sender
#    stalled for good with megabytes unsent (its persist probes were
#    answered, so it never timed out);
#  - with data at RCV.NXT: xtcp took the bytes into the stream;
#  - at RCV.NXT with a timestamp far ahead: xtcp took the TSval into
#    TS.Recent before it checked the ACK, and PAWS then dropped every true
#    segment: the sender stalled.
# Now an ACK outside [SND.UNA - MAX.SND.WND, SND.NXT] drops the segment and
# is answered with a (rate limited) challenge ACK; only an acceptable ACK
# updates the window. Each attack runs against a bulk transfer from an
# xtcp server, and from a Linux TCP server for comparison. With
# XTCP_FAMILY=6 (rfc5961_ack_v6.sh) over IPv6.
. "$(dirname "$0")/lib.sh"
require_module
CRAFT=$XTCP_ROOT/selftests/craft.py
SIZE=6000000

ns_new A server
ns_new B client
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
# The ends as the tools and pcap.py give them ([IPV6] over IPv6), bare.
addr6 10.0.0.1; a=$REPLY a_ip=${REPLY//[][]/}
addr6 10.0.0.2; b=$REPLY b_ip=${REPLY//[][]/}
n "$B" ethtool -K xv1 tx off >/dev/null 2>&1
# 0.5 MB/s: the transfer lasts long enough (12 s) to be attacked in its midst.
n "$A" tc qdisc add dev xv0 root netem rate 4mbit limit 20000
tmpfile cap attack
# The server's segments without payload (handshake, challenge ACKs,
# probes); the client's with payload, a window of 0 or SYN, FIN or RST:
# the attack, but none of the client's own thousands of ACKs.
# (tcpdump's tcp[] reads IPv4 only: over IPv6 the TCP header is ip6[40].)
if [ "$XTCP_FAMILY" = 6 ]; then
	nodata='ip6[4:2] - ((ip6[52] & 0xf0) >> 2) == 0'
	wnd0='ip6[54:2] == 0' sfr='ip6[53] & 7 != 0' syn='ip6[53] & 2 != 0'
else
	nodata='ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2) == 0'
	wnd0='tcp[14:2] == 0' syn='tcp[tcpflags] & tcp-syn != 0'
	sfr='tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0'
fi
cap_start "$B" xv1 "$cap" "tcp and ((src host $a_ip and $nodata) or
	(src host $b_ip and ($wnd0 or $sfr or not $nodata)))"

# challenges NS FAMILY: REPLY is the challenge ACKs FAMILY sent in NS.
challenges() {
	if [ "$2" = xtcp ]; then
		REPLY=$(xtcp_stat "$1" ChallengeAcks)
	else
		REPLY=$(n "$1" awk '/^TcpExt:/ { if (!h) { for (i = 2; i <= NF; i++)
			if ($i == "TCPChallengeACK") c = i; h = 1 } else print $c }' \
			/proc/net/netstat)
	fi
}

# attack FAMILY PORT KIND: a bulk transfer of SIZE bytes from a FAMILY
# server in A on PORT to a Linux TCP client in B (port PORT + 500),
# attacked in its midst by one spoofed segment with an ACK 2^30 old and
# (KIND) a window of 0, or 10 bytes of data at RCV.NXT. Sets GOT (what
# the client received), MID (the client was still receiving after the
# attack: "yes"), INJ (what the server read from the client),
# CH (challenge ACKs counted) and SEEN (how many pure ACKs of RCV.NXT the
# server sent after the attack: it receives no data, so only a challenge
# ACK, or a window probe of a stalled sender, is one).
attack() {
	local fam=$1 port=$2 kind=$3 cport=$(($2 + 500)) i synack spoof
	local irs_ack iss ack args before tsval

	PORT=$port
	challenges "$A" "$fam"
	before=$REPLY
	serve "$A" "$fam" "$a:$port" alarm=60 send=$SIZE shutdown recv
	bg client "$B" inet client "$a:$port" --bind "$b:$cport" \
		alarm=60 recv shutdown
	nap 1
	cap_sync
	cap_load "$cap"
	synack=
	for i in "${!_flags[@]}"; do
		[ "${_flags[i]}" = S. ] && synack=$i && break
	done
	if [ -z "$synack" ]; then
		fail "$fam: the handshake is in the capture" "${_segs[@]}"
		return
	fi
	irs_ack=${_ack[synack]}	# the server's RCV.NXT: the client sends no data
	iss=${_seq[synack]}
	ack=$(((iss + 1 - 0x40000000) & 0xffffffff))
	if [ "$kind" = data ]; then
		args=(--seq "$irs_ack" --data 10 --flags PA)
	elif [ "$kind" = ts ]; then
		# At RCV.NXT, with a TSval 2^30 ahead of the client's clock:
		# taken into TS.Recent, it makes PAWS drop every true ACK.
		# (Window 0, so that the capture keeps it.)
		tsval=$(tcpdump -r "$cap" -nn "src host $b_ip and src port $cport and $syn" \
			2>/dev/null | sed -n 's/.*TS val \([0-9]*\).*/\1/p' | head -n 1)
		args=(--seq "$irs_ack" --flags A --win 0 --opts
		      "0101080a$(printf '%08x' $(((tsval + 0x40000000) & 0xffffffff)))00000000")
	else
		args=(--seq $(((irs_ack + 1000) & 0xffffffff)) --win 0 --flags A)
	fi
	n "$B" python3 -S -E "$CRAFT" "$b_ip" "$a_ip" "$port" --sport "$cport" \
		--ack "$ack" "${args[@]}"
	kill -0 "${_bg_pid[client]}" 2>/dev/null && MID=yes || MID=no
	bg_done client OUT
	served
	GOT=${OUT[recv]}
	INJ=${SRV[recv]}
	challenges "$A" "$fam"
	CH=$((REPLY - before))
	# After the spoofed segment (SEG.ACK $ack), pure ACKs from the server.
	cap_sync
	cap_load "$cap"
	SEEN=0
	spoof=
	for i in "${!_src[@]}"; do
		if [ "${_src[i]}" = "$b" ] && [ "${_ack[i]}" = "$ack" ]; then
			spoof=$i
		elif [ -n "$spoof" ] && [ "${_src[i]}" = "$a" ] &&
		     [ "${_flags[i]}" = . ] && [ "${_ack[i]}" = "$irs_ack" ]; then
			SEEN=$((SEEN + 1))
		fi
	done
	[ -n "$spoof" ] || SEEN="none: the spoofed segment is not in the capture"
}

port=7200
for kind in wnd0 data ts; do
	port=$((port + 1))
	attack xtcp $port $kind
	x_got=$GOT x_inj=$INJ x_ch=$CH x_seen=$SEEN x_mid=$MID
	_t_prefix="ACK 2^30 old, $kind: "
	expect "the attack came in the midst of the transfer" yes "$MID"
	expect_match "the transfer completes" "bytes=$SIZE .*" "$x_got"
	expect_match "the server read nothing the attacker sent" "bytes=0 .*" "$x_inj"
	expect "one challenge ACK counted (ChallengeAcks)" 1 "$x_ch"
	expect "the challenge ACK is on the wire, and nothing else" 1 "$x_seen"
	_t_prefix=
	port=$((port + 1))
	attack inet $port $kind
	echo "# ACK 2^30 old, $kind: xtcp: received ${x_got%% sha*}, server read" \
		"${x_inj%% sha*}, challenge ACKs $x_ch (mid-transfer: $x_mid);" \
		"Linux TCP: received ${GOT%% sha*}, server read ${INJ%% sha*}," \
		"challenge ACKs $CH (mid-transfer: $MID); pure ACKs from the" \
		"server after the attack: xtcp $x_seen, Linux TCP $SEEN"
done
cap_stop

done_testing
