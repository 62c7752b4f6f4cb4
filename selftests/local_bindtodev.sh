#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SO_BINDTODEVICE and VRF on receive (issue 9, item 14), and IP_MINTTL
# (item 10's audit of SOL_IP options): a listener bound
# to one device must not take connections that came by another, even to
# the address of its own device; an unbound listener takes nothing that
# came by a VRF unless net.ipv4.tcp_l3mdev_accept says so; a listener
# bound to a VRF takes what came by it. Linux TCP is the reference: the
# same listeners over both stacks, the same Linux TCP clients.
. "$(dirname "$0")/lib.sh"
require_module

XLOCAL=$XTCP_ROOT/selftests/bin/xlocal
ns_new S server
ns_new A dev1side
ns_new B dev2side
ip link add xa0 netns "$A" type veth peer name xa1 netns "$S"
ip link add xb0 netns "$B" type veth peer name xb1 netns "$S"
n "$A" ip addr add 10.0.1.1/24 dev xa0
n "$S" ip addr add 10.0.1.2/24 dev xa1
n "$B" ip addr add 10.0.2.1/24 dev xb0
n "$S" ip addr add 10.0.2.2/24 dev xb1
for l in "$A xa0" "$S xa1" "$B xb0" "$S xb1"; do
	set -- $l
	n "$1" ip link set "$2" up
done
# B reaches dev1's address through dev2; a refusal is quick, silence not.
n "$B" ip route add 10.0.1.0/24 via 10.0.2.2
for ns in "$A" "$B"; do
	n "$ns" sysctl -qw net.ipv4.tcp_syn_retries=1
done
n "$S" sysctl -qw net.ipv4.conf.all.rp_filter=0

# try FAM NS ADDR DEV [MINTTL]: a FAM listener on port 7100 of the
# server, bound to DEV (none if "-"), with IP_MINTTL if given, and a Linux
# TCP connect() from NS to ADDR; REPLY is the connect's result and how
# many the listener accepted.
try() {
	local fam=$1 ns=$2 addr=$3 dev=$4 minttl=${5:-0} srv

	tmpfile srv listen
	"$XLOCAL" --netns "$S" --family "$fam" listen 0.0.0.0:7100 1 3 \
		"$dev" "$minttl" >"$srv" &
	wait_for "$srv" ready 10
	xc "$ns" inet client "$addr:7100"
	wait
	REPLY="${OUT[connect]:-?} $(tail -n 1 "$srv")"
}

# compare DESC WANT NS ADDR DEV: the same for Linux TCP and xtcp.
compare() {
	local desc=$1 want=$2 inet

	shift 2
	try inet "$@"
	inet=$REPLY
	try xtcp "$@"
	echo "# $desc: Linux TCP: $inet; xtcp: $REPLY"
	expect "Linux TCP: $desc" "$want" "$inet"
	expect "xtcp: $desc" "$inet" "$REPLY"
}

compare "bound to dev1, a connection by dev1 is accepted" \
	"OK accepted=1" "$A" 10.0.1.2 xa1
compare "bound to dev1, one by dev2 to dev2's address is refused" \
	"ECONNREFUSED accepted=0" "$B" 10.0.2.2 xa1
compare "bound to dev1, one by dev2 to dev1's address is refused" \
	"ECONNREFUSED accepted=0" "$B" 10.0.1.2 xa1
compare "bound to dev2, one by dev2 to dev1's address is accepted" \
	"OK accepted=1" "$B" 10.0.1.2 xb1
# GTSM (RFC 5082): the client's TTL 64 is below the listener's IP_MINTTL.
compare "IP_MINTTL 255: a SYN with TTL 64 is dropped" \
	"ETIMEDOUT accepted=0" "$A" 10.0.1.2 - 255
compare "IP_MINTTL 64: it is taken" "OK accepted=1" "$A" 10.0.1.2 - 64

# VRF: dev2 enslaved to vrf-blue on the server.
n "$S" ip link add vrf-blue type vrf table 10
n "$S" ip link set vrf-blue up
n "$S" ip link set xb1 master vrf-blue
compare "VRF: an unbound listener does not take what came by the VRF" \
	"ECONNREFUSED accepted=0" "$B" 10.0.2.2 -
compare "VRF: a listener bound to the VRF takes it" \
	"OK accepted=1" "$B" 10.0.2.2 vrf-blue
compare "VRF: a listener bound to the enslaved device takes it" \
	"OK accepted=1" "$B" 10.0.2.2 xb1
compare "VRF: a listener bound to the VRF takes nothing from outside it" \
	"ECONNREFUSED accepted=0" "$A" 10.0.1.2 vrf-blue
n "$S" sysctl -qw net.ipv4.tcp_l3mdev_accept=1
compare "VRF, tcp_l3mdev_accept=1: an unbound listener takes it" \
	"OK accepted=1" "$B" 10.0.2.2 -

done_testing
