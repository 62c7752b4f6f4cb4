#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Multicast memberships on a stream socket (issue 9, item 10). Linux TCP
# refuses IP_ADD_MEMBERSHIP with EPROTO but takes MCAST_JOIN_GROUP, and
# inet_release() drops every membership a program forgot: xtcp must give
# the same errno and leave nothing behind once the socket is closed (no
# group left on the interface; uml-run's kmemleak scan at the end finds
# no leaked ip_mc_socklist).
. "$(dirname "$0")/lib.sh"
require_module

XLOCAL=$XTCP_ROOT/selftests/bin/xlocal
ns_new A a
ns_new B b
veth_link "$A" 10.9.0.1 "$B" 10.9.0.2

# groups: REPLY is 1 if 239.1.2.3 is joined on xv0 (its link-layer
# address 01:00:5e:01:02:03 is on the device), else 0.
groups() {
	REPLY=$(n "$A" ip maddr show dev xv0 | grep -c 01:00:5e:01:02:03)
}

declare -A R
for fam in inet xtcp; do
	R[$fam]=$("$XLOCAL" --family $fam --netns "$A" mcast 200 xv0)
	echo "# $fam, 200 sockets: $(echo ${R[$fam]})"
done
expect "IP_ADD_MEMBERSHIP and MCAST_JOIN_GROUP: xtcp's errno is Linux TCP's" \
	"$(echo ${R[inet]})" "$(echo ${R[xtcp]})"
expect "Linux TCP: EPROTO for IP_ADD_MEMBERSHIP, MCAST_JOIN_GROUP works" \
	"add=EPROTO join=OK mismatched=0" "$(echo ${R[inet]})"
groups
expect "after 200 closed xtcp sockets no membership is left" 0 "$REPLY"

# A socket still open holds its membership; its close drops it.
coproc HOLD { "$XLOCAL" --family xtcp --netns "$A" mcast-hold xv0; }
# bash unsets HOLD_PID once it reaps the coproc, which may be before the
# wait below.
hold_pid=$HOLD_PID
read -r -t 10 line <&"${HOLD[0]}"
read -r -t 10 _ <&"${HOLD[0]}"	# "ready"
groups
expect "an open xtcp socket's membership is there ($line)" 1 "$REPLY"
echo >&"${HOLD[1]}"
wait "$hold_pid"
groups
expect "and goes when the socket closes" 0 "$REPLY"

done_testing
