#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Broadcast and multicast addresses (RFC 9293 MUST-46, 57, 63), for Linux
# TCP and xtcp alike (CLIENT=/SERVER= narrow them):
#  - connect() to a broadcast or multicast address fails with ENETUNREACH,
#    as tcp_v4_connect() says;
#  - a SYN to a listener on 0.0.0.0 sent to a subnet's broadcast address
#    or to a multicast group we belong to (224.0.0.1) is dropped: no
#    SYN-ACK (MUST-57);
#  - a SYN from a broadcast or multicast source gets no SYN-ACK (MUST-63).
#    IP drops a multicast source as a martian before TCP sees it; a
#    subnet's broadcast address as source passes IP when rp_filter is off,
#    and only xtcp's own check keeps it from a connection (Linux TCP
#    leaves the check to IP and answers: shown, not required);
# and the listener still takes a real connection afterwards. The SYNs are
# made by hand (craft.py --ipsrc) in namespace B; A's capture shows what
# A answered.
. "$(dirname "$0")/lib.sh"
require_module
CRAFT="python3 $XTCP_ROOT/selftests/craft.py"

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
# Multicast goes out of xv0/xv1, so that the group is reachable at all
# and only TCP's own rule refuses it.
ip -n "$A" route add 224.0.0.0/4 dev xv0
ip -n "$B" route add 224.0.0.0/4 dev xv1
for c in all default xv0; do
	n "$A" sysctl -qw net.ipv4.conf.$c.rp_filter=0
done
# B's TCP resets the SYN-ACKs of the crafted SYNs: A's capture sees them.
tmpfile CAP capture
cap_start "$A" xv0 "$CAP"

# ---- MUST-46: no connect() to broadcast or multicast -------------------

connects() {
	local fam=$1 dst

	for dst in 10.0.0.255 224.0.0.1 255.255.255.255; do
		expect_do "connect() to $dst: ENETUNREACH" ENETUNREACH \
			"$A" "$fam" connect=$dst:$PORT
	done
}
families "connect() to broadcast and multicast addresses" connects

# ---- MUST-57 and MUST-63 -----------------------------------------------

# syn DESC IPSRC DST SPORT: a SYN from IPSRC (B's TCP sees no answer to
# it) to DST:$PORT; passes when A sent no SYN-ACK to port SPORT.
syn() {
	local i n=0

	n "$B" $CRAFT "$2" "$3" $PORT --sport "$4" --ipsrc "$2"
	cap_sync
	cap_load "$CAP"
	for i in "${!_src[@]}"; do
		[ "${_src[i]}" = 10.0.0.1 ] && [ "${_flags[i]}" = S. ] &&
			[[ ${_segs[i]} == *":$4 "* ]] && n=$((n + 1))
	done
	REPLY=$n
}

listener() {
	local fam=$1

	serve "$A" "$fam" 0.0.0.0:$PORT recv
	syn "" 10.0.0.2 10.0.0.255 40001
	expect "a SYN to the subnet's broadcast address: no SYN-ACK" 0 "$REPLY"
	syn "" 10.0.0.2 224.0.0.1 40002
	expect "a SYN to the all-hosts group 224.0.0.1: no SYN-ACK" 0 "$REPLY"
	syn "" 224.1.1.1 10.0.0.1 40003
	expect "a SYN from a multicast source (a martian to IP): no SYN-ACK" \
		0 "$REPLY"
	syn "" 10.0.0.255 10.0.0.1 40004
	if [ "$fam" = xtcp ]; then
		expect "a SYN from the subnet's broadcast address: no SYN-ACK" \
			0 "$REPLY"
	else
		echo "# Linux TCP answered a SYN from 10.0.0.255 with $REPLY SYN-ACK(s)"
	fi
	xc "$B" inet do connect=10.0.0.1:$PORT send=100 close
	served
	expect "then a real connection is taken" "${OUT[send]}" "${SRV[recv]}"
}
families "SYNs to and from broadcast and multicast addresses" listener

done_testing
