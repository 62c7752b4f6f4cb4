#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The MSS option (RFC 9293 MUST-65, MUST-67), in every pairing with Linux
# TCP (CLIENT=/SERVER= narrow them): the MSS each side announces comes
# from MMS_R, the MTU of the route to the peer less the IPv4 and TCP
# headers, as Linux TCP's does: 1360 over a link of MTU 1400, 8960 over
# one of 9000, and 1260 for a client whose route says mtu 1300 (the
# server, on a 1400 link, still says 1360); the option is in the SYN and
# the SYN-ACK and in no other segment; and no data segment is larger
# than the MSS the other side announced.
. "$(dirname "$0")/lib.sh"

net_pair
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"

# mtu N: both ends of the link at MTU N, no route MTU.
mtu() {
	n "$C" ip link set xv0 mtu "$1"
	n "$S" ip link set xv1 mtu "$1"
	ip -n "$C" route replace 10.0.1.0/24 dev xv0 proto kernel scope link \
		src $C_ADDR
}

# seg_mss_of FILE ADDR: REPLY is the MSS option of ADDR's SYN or
# SYN-ACK ("none" without one); _other is how many of ADDR's other
# segments carry one, _big the largest payload ADDR sent.
seg_mss_of() {
	local i o

	cap_load "$1"
	REPLY=none _other=0 _big=0
	for i in "${!_src[@]}"; do
		[ "${_src[i]}" = "$2" ] || continue
		[ "${_len[i]}" -gt $_big ] && _big=${_len[i]}
		o=,${_opts[i]},
		if [[ ${_flags[i]} == S* ]]; then
			[[ $o == *,mss:* ]] && { o=${o#*,mss:}; REPLY=${o%%,*}; }
		elif [[ $o == *,mss:* ]]; then
			_other=$((_other + 1))
		fi
	done
}

# transfer CF SF CMSS SMSS: a connection that carries 100 KB one way,
# then 50 KB back; the MSS the client and the server announce are CMSS
# and SMSS.
transfer() {
	local cf=$1 sf=$2 cmss smss

	serve "$S" "$sf" $S_ADDR:$PORT recv send=50000
	xc "$C" "$cf" client $S_ADDR:$PORT send=100000 shutdown recv
	served
	cap_sync
	expect "the stream arrived both ways" "${OUT[send]} ${SRV[send]}" \
		"${SRV[recv]} ${OUT[recv]}"
	seg_mss_of "$CAP" $C_ADDR
	cmss=$REPLY
	expect "the client's SYN announces MSS $3" "$3" "$cmss"
	expect "no other segment of the client carries an MSS option" 0 \
		"$_other"
	[ "$cmss" != none ] && [ $_big -le "$4" ] &&
		pass "no client segment is over the server's MSS ($_big)" ||
		fail "no client segment is over the server's MSS" \
			"largest $_big, MSS $4"
	seg_mss_of "$CAP" $S_ADDR
	smss=$REPLY
	expect "the server's SYN-ACK announces MSS $4" "$4" "$smss"
	expect "no other segment of the server carries an MSS option" 0 \
		"$_other"
	[ "$smss" != none ] && [ $_big -le "$3" ] &&
		pass "no server segment is over the client's MSS ($_big)" ||
		fail "no server segment is over the client's MSS" \
			"largest $_big, MSS $3"
}

mtu 1400
mss_1400() { transfer "$1" "$2" 1360 1360; }
pairings "link MTU 1400: MSS 1360" mss_1400

mtu 9000
mss_9000() { transfer "$1" "$2" 8960 8960; }
pairings "link MTU 9000: MSS 8960" mss_9000

mtu 1400
ip -n "$C" route replace 10.0.1.0/24 dev xv0 proto kernel scope link \
	src $C_ADDR mtu 1300
mss_route() { transfer "$1" "$2" 1260 1360; }
pairings "the client's route MTU 1300: MSS 1260" mss_route

done_testing
