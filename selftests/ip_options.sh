#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IP options on segments that come in (RFC 9293 MUST-50, MUST-53), for
# Linux TCP and xtcp alike as the listener (SERVER= narrows them):
#  - options TCP has no use for, record route and timestamp, are left to
#    IP, which fills them in, and the SYN is answered as any other;
#  - a loose source route is dropped by IP unless the interface has
#    accept_source_route, as Linux's default is (RFC 1122's "build return
#    route" is then moot). With it on, both answer by the route reversed
#    (MUST-53): to its last hop first, here 10.0.0.1 itself, which does
#    not forward it: no answer reaches B;
#  - IP_OPTIONS set by the application go in every segment sent;
#  - a connection opened by a SYN that came by a source route (through a
#    router) sends every segment by the route reversed (MUST-53).
# The SYNs are made by hand (craft.py --ipopts) in namespace B, whose
# raw socket sees the answer.
. "$(dirname "$0")/lib.sh"
require_module
CRAFT="python3 $XTCP_ROOT/selftests/craft.py 10.0.0.2 10.0.0.1"

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2

# Record route, room for two addresses; a timestamp option, two slots;
# a loose source route whose last hop, 10.0.0.1, has been reached.
RR=070b040000000000000000
TS=440c0500000000000000000000
LSRR=830708$(printf '%02x' 10 0 0 1)
# The same, its hop the subnet's broadcast address.
LSRR_BCAST=830708$(printf '%02x' 10 0 0 255)

# reply DESC WANT SPORT OPTS: a SYN with IP options OPTS from port SPORT
# to $PORT is answered with WANT ("SA" or "no reply").
reply() {
	local got

	got=$(n "$B" $CRAFT $PORT --sport "$3" --ipsrc 10.0.0.2 --ipopts "$4" \
		--reply)
	[[ $got == "reply "* ]] && { got=${got#reply }; got=${got%% *}; }
	expect "$1" "$2" "$got"
}

options() {
	local fam=$1

	serve "$A" "$fam" 0.0.0.0:$PORT recv
	reply "a SYN with a record route option gets a SYN-ACK" SA 41001 $RR
	reply "a SYN with an IP timestamp option gets a SYN-ACK" SA 41002 $TS
	reply "a SYN with a loose source route: IP drops it" "no reply" \
		41003 $LSRR
	for c in all xv0; do
		n "$A" sysctl -qw net.ipv4.conf.$c.accept_source_route=1
	done
	reply "with accept_source_route on, the answer goes by the route back: none reaches B" \
		"no reply" 41004 $LSRR
	for c in all xv0; do
		n "$A" sysctl -qw net.ipv4.conf.$c.accept_source_route=0
	done
	xc "$B" inet do connect=10.0.0.1:$PORT send=100 close
	served
	expect "then a real connection is taken" "${OUT[send]}" "${SRV[recv]}"
}
families "IP options on a SYN" options

# A way back through the subnet's broadcast address: xtcp does not answer,
# as it does not a SYN from there (MUST-63). Linux TCP sends its SYN-ACK
# to the whole subnet, so it is not asked. A listener of its own: xconn's
# 30 s watchdog would end the one above.
broadcast_hop() {
	local pcap dump got

	serve "$A" xtcp 0.0.0.0:$PORT recv
	for c in all xv0; do
		n "$A" sysctl -qw net.ipv4.conf.$c.accept_source_route=1
	done
	tmpfile pcap bcast.pcap
	ip netns exec "$A" tcpdump -i xv0 -n -U --immediate-mode -Z root \
		-w "$pcap" "src 10.0.0.1 and tcp port $PORT" 2>"$pcap.log" &
	dump=$!
	wait_for "$pcap.log" "listening on" 10
	n "$B" $CRAFT $PORT --sport 41005 --ipsrc 10.0.0.2 --ipopts $LSRR_BCAST
	nap 0.5
	kill -INT $dump
	wait $dump 2>/dev/null
	got=$(tcpdump -r "$pcap" -n "dst 10.0.0.255" 2>/dev/null | wc -l)
	expect "a way back through the subnet's broadcast address: no SYN-ACK to it" \
		0 "$got"
	for c in all xv0; do
		n "$A" sysctl -qw net.ipv4.conf.$c.accept_source_route=0
	done
	xc "$B" inet do connect=10.0.0.1:$PORT send=100 close
	served
	expect "then a real connection is taken" "${OUT[send]}" "${SRV[recv]}"
}
case " $SERVER " in
*" xtcp "*) _scenario xtcp "a SYN whose way back is a broadcast" \
	broadcast_hop xtcp ;;
esac

# MUST-51: the application's IP options (IP_OPTIONS, set before connect())
# go in every segment, our address recorded in a record route, and the
# send MSS leaves room for them (else a full segment would not fit the
# MTU with DF, and the 20 KB would not arrive).
sent_options() {
	local fam=$1 pcap all rr dump want

	tmpfile pcap ipopts.pcap
	ip netns exec "$A" tcpdump -i xv0 -n -U --immediate-mode -Z root \
		-w "$pcap" tcp 2>"$pcap.log" &
	dump=$!
	wait_for "$pcap.log" "listening on" 10
	serve "$B" inet 10.0.0.2:$PORT recv
	xc "$A" "$fam" do set=ipopts:$RR connect=10.0.0.2:$PORT send=20000 \
		close
	served
	nap 0.5
	kill -INT $dump
	wait $dump 2>/dev/null
	expect "IP_OPTIONS set, then 20000 bytes arrive" \
		"OK OK ${OUT[send]}" "${OUT[set]} ${OUT[connect]} ${SRV[recv]}"
	all=$(tcpdump -r "$pcap" -n "src 10.0.0.1 and tcp port $PORT" \
		2>/dev/null | wc -l)
	rr=$(tcpdump -r "$pcap" -n -v "src 10.0.0.1 and tcp port $PORT" \
		2>/dev/null | grep -c "options (RR 10.0.0.1,")
	check "segments were sent ($all)" test "$all" -gt 5
	# xtcp's last ACK goes from its TIME_WAIT entry, which has no socket
	# and no options (Linux's answers from TIME_WAIT carry none of the
	# socket's either; its last ACK leaves before TIME_WAIT).
	want=$all
	[ "$fam" = xtcp ] && want=$((all - 1))
	expect "each carries the record route, 10.0.0.1 recorded" "$want" "$rr"
}
families "IP options set by the application" sent_options

# MUST-53 (RFC 1122 4.2.3.8): a connection opened by a SYN that came by a
# source route answers by that route reversed, in its SYN-ACK and every
# later segment, as Linux TCP does. SA (10.0.1.1) -- SR (10.0.1.254 |
# 10.0.2.254) -- SB (10.0.2.2), source routing on in all three: SB's
# client sets the loose source route "by way of 10.0.2.254" (IP_OPTIONS),
# SR passes it on and records itself (10.0.1.254), so the server in SA
# gets the completed route [10.0.1.254]. Its way back: to 10.0.1.254
# first, with the route [10.0.2.2], in IP option bytes 83 07 04 0a000202
# (and an EOL). Without it SA's segments would go to 10.0.2.2 by its
# default route, through SR all the same: the capture tells the two apart.
net_routed 2
SA=$A SR=$R SB=$B
for c in "$SA all xv0" "$SR all xv1 r1" "$SB all b0"; do
	set -- $c
	ns=$1
	shift
	for dev in "$@"; do
		n "$ns" sysctl -qw net.ipv4.conf.$dev.accept_source_route=1
	done
done
n "$SA" sysctl -qw net.xtcp.syncookies=0 net.ipv4.tcp_syncookies=0

# seg_ipopts PCAP: one line per IPv4 TCP segment from 10.0.1.1 in PCAP,
# "FLAGS DST OPTIONS": tcpdump's flag letters, the IP destination, the
# IP options in hex ("-" for none).
seg_ipopts() {
	python3 - "$XTCP_ROOT/selftests" "$1" <<-'EOF'
	import sys
	sys.path.insert(0, sys.argv[1])
	from pcap import read_pcap, l3, ipv4
	for lt, frame, _ in read_pcap(sys.argv[2]):
	    r = l3(lt, frame)
	    if not r or r[0] != 0x0800 or r[1][9] != 6:
	        continue
	    pkt = r[1]
	    if ipv4(pkt[12:16]) != "10.0.1.1":
	        continue
	    ihl = (pkt[0] & 0xf) * 4
	    fl = pkt[ihl + 13]
	    names = "".join(c for b, c in ((2, "S"), (1, "F"), (4, "R"),
	                                   (8, "P")) if fl & b)
	    names += "." if fl & 0x10 else ""
	    print(names, ipv4(pkt[16:20]), pkt[20:ihl].hex() or "-")
	EOF
}

# return_route FAM [cookies]: FAM serves in SA (with SYN cookies for
# every SYN if asked), SB's Linux TCP connects by the source route;
# data goes both ways, then the client closes first.
return_route() {
	local fam=$1 how=${2:-} pcap dump lines synack all routed

	n "$SA" sysctl -qw net.xtcp.syncookies=0 net.ipv4.tcp_syncookies=0
	[ "$how" = cookies ] &&
		n "$SA" sysctl -qw net.xtcp.syncookies=2 \
			net.ipv4.tcp_syncookies=2
	tmpfile pcap srr.pcap
	ip netns exec "$SA" tcpdump -i xv0 -n -U --immediate-mode -Z root \
		-w "$pcap" "tcp port $PORT" 2>"$pcap.log" &
	dump=$!
	wait_for "$pcap.log" "listening on" 10
	serve "$SA" "$fam" 0.0.0.0:$PORT recv send=5000
	xc "$SB" inet do set=ipopts:830704$(printf '%02x' 10 0 2 254) \
		connect=10.0.1.1:$PORT send=3000 shutdown=wr recv close
	served
	nap 0.5
	kill -INT $dump
	wait $dump 2>/dev/null
	expect "${how:+$how: }the connection by a source route carries data both ways" \
		"OK OK ${OUT[send]} ${SRV[send]}" \
		"${OUT[set]} ${OUT[connect]} ${SRV[recv]} ${OUT[recv]}"
	lines=$(seg_ipopts "$pcap")
	synack=$(grep -m1 '^S\. ' <<<"$lines")
	expect "${how:+$how: }its SYN-ACK goes to 10.0.1.254 with the route back [10.0.2.2]" \
		"S. 10.0.1.254 830704${want_hop}00" "$synack"
	all=$(wc -l <<<"$lines")
	routed=$(grep -c " 10.0.1.254 830704${want_hop}00\$" <<<"$lines")
	check "${how:+$how: }segments were sent ($all)" test "$all" -ge 4
	expect "${how:+$how: }each of them goes by the route back" "$all" "$routed"
	n "$SA" sysctl -qw net.xtcp.syncookies=0 net.ipv4.tcp_syncookies=0
}
want_hop=$(printf '%02x' 10 0 2 2)
return_route_both() {
	return_route "$1"
	return_route "$1" cookies
}
families "a SYN by a source route" return_route_both

done_testing
