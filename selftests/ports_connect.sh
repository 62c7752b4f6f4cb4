#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ephemeral ports for connect() (issue 9, item 11): one local port serves
# many remote ends, as in Linux TCP (4-tuple uniqueness), so xtcp needs no
# more ports than Linux TCP for the same connections, and a user churning
# xtcp connections cannot starve everybody's Linux TCP connect(). Both
# stacks get the same 10 ephemeral ports; the client closes first, so each
# connection's 4-tuple stays in TIME_WAIT for the rest of the test. With
# XTCP_FAMILY=6 (ports_connect_v6.sh) the same over IPv6.
. "$(dirname "$0")/lib.sh"
require_module

XLOCAL=$XTCP_ROOT/selftests/bin/xlocal
NDEST=20	# server ports
NCONN=40	# connections, two to each server port
ns_new S server
ns_new C client		# xtcp's client, then Linux TCP's beside it
ns_new L linux		# Linux TCP alone, for comparison
ip link add xv0 netns "$C" type veth peer name xv1 netns "$S"
ip link add xw0 netns "$L" type veth peer name xw1 netns "$S"
n "$C" ip addr add 10.0.1.1/24 dev xv0
n "$S" ip addr add 10.0.1.2/24 dev xv1
n "$L" ip addr add 10.0.2.1/24 dev xw0
n "$S" ip addr add 10.0.2.2/24 dev xw1
c_ip=10.0.1.1 s1=10.0.1.2 s2=10.0.2.2 any=0.0.0.0
if [ "$XTCP_FAMILY" = 6 ]; then
	c_ip=fd00:1::1 s1=[fd00:1::2] s2=[fd00:2::2] any=[::]
	n "$C" ip addr add fd00:1::1/64 dev xv0 nodad
	n "$S" ip addr add fd00:1::2/64 dev xv1 nodad
	n "$L" ip addr add fd00:2::1/64 dev xw0 nodad
	n "$S" ip addr add fd00:2::2/64 dev xw1 nodad
fi
for l in "$C xv0" "$S xv1" "$L xw0" "$S xw1"; do
	set -- $l
	n "$1" ip link set "$2" up
done
for ns in "$C" "$L"; do
	n "$ns" sysctl -qw net.ipv4.ip_local_port_range="40000 40009"
	n "$ns" sysctl -qw net.xtcp.ip_local_port_range="40000 40009"
done

tmpfile srv server
"$XLOCAL" --netns "$S" listen "$any:7000" $NDEST 60 >"$srv" &
wait_for "$srv" ready 10 || fail "the server is up"

x=$("$XLOCAL" --netns "$C" --family xtcp churn "$s1:7000" $NDEST $NCONN)
l=$("$XLOCAL" --netns "$L" --family inet churn "$s2:7000" $NDEST $NCONN)
echo "# $NCONN connections to $NDEST server ports, 10 ephemeral ports, each closed first:"
echo "#   xtcp:      $x"
echo "#   Linux TCP: $l"
expect "every xtcp connection gets a port, as every Linux TCP one does" \
	"ok=$NCONN failed=0" "$(echo "$x" | cut -d' ' -f1-2)"
# Linux's choice is random (a keyed hash and a perturbation table), so
# the two counts differ by chance; 40 connections in a range of 10 ports
# show that ports are shared. One port per connection was the bug.

# Another user's Linux TCP, beside xtcp's TIME_WAITs: one connection to
# each server port, on ports xtcp holds, the 4-tuples told apart.
u=$("$XLOCAL" --netns "$C" --family inet churn "$s1:7000" $NDEST $NDEST)
echo "#   then Linux TCP beside xtcp: $u"
expect "Linux TCP's connect() still succeeds after the xtcp churn" \
	"ok=$NDEST failed=0" "$(echo "$u" | cut -d' ' -f1-2)"
# And xtcp again, beside both.
x=$("$XLOCAL" --netns "$C" --family xtcp churn "$s1:7000" $NDEST $NDEST)
echo "#   then xtcp again: $x"
expect "and xtcp's after Linux TCP's" \
	"ok=$NDEST failed=0" "$(echo "$x" | cut -d' ' -f1-2)"

# A client that binds its source address first, port 0, with
# IP_BIND_ADDRESS_NO_PORT, leaves the port to connect(), as in Linux.
x=$("$XLOCAL" --netns "$C" --family xtcp churn "$s1:7000" $NDEST $NDEST "$c_ip")
echo "#   xtcp bound to $c_ip with IP_BIND_ADDRESS_NO_PORT: $x"
expect "IP_BIND_ADDRESS_NO_PORT: the port is chosen at connect(), shared" \
	"ok=$NDEST failed=0" "$(echo "$x" | cut -d' ' -f1-2)"

# Uniqueness: no 4-tuple is in use twice. A duplicate would have sent one
# stack's SYN-ACK to the other and failed a connect above; count the
# xtcp entries in TIME_WAIT too (06 in /proc/net/xtcp).
tw=$(n "$C" awk '$4 == "06"' "/proc/net/xtcp$_v6" | wc -l)
dup=$(n "$C" awk 'NR > 1 && $4 == "06" { print $2, $3 }' "/proc/net/xtcp$_v6" |
	sort | uniq -d | wc -l)
echo "#   xtcp TIME_WAIT entries: $tw"
expect "no xtcp 4-tuple twice" 0 "$dup"

done_testing
