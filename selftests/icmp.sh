#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ICMP errors about xtcp's connections (mod/icmp.c), xtcp beside Linux TCP
# on the same path:
#  - connect() through a router that answers with "port unreachable",
#    "host unreachable" or "network unreachable" fails at once with
#    ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, as Linux TCP's does (before:
#    xtcp ignored ICMP and waited out its SYN retries, then ETIMEDOUT);
#  - the error that ended connect() is on the error queue for
#    recvmsg(MSG_ERRQUEUE), as Linux TCP queues it (before: MSG_ERRQUEUE
#    was ignored and the call read the stream);
#  - once connected, an error is soft: SO_ERROR reports it, the
#    connection goes on (RFC 9293 MUST-56);
#  - with IP_RECVERR the error is reported at once; a source quench is
#    ignored (MUST-47, MUST-55);
#  - an error quoting a sequence number not in flight changes nothing
#    (RFC 5927), counted in OutOfWindowIcmps;
#  - a router whose next link takes only 1280-byte packets says
#    "fragmentation needed" (every segment carries DF): the sender's
#    segments shrink to fit and the transfer completes (before: it
#    stalled for good, every full-sized segment dropped);
#  - once the learned path MTU expires, the segments grow back;
#  - "host unreachable" about a retransmission undoes an RTO backoff
#    (RFC 6069), so the data goes as soon as the route is back.
# A (10.0.1.1) -- R (10.0.1.254 | 10.0.2.254) -- B (10.0.2.2)
. "$(dirname "$0")/lib.sh"
require_module
ICMP_ERR=$XTCP_ROOT/selftests/icmp_err.py

net_routed
# The router answers as often as the checks ask. It has no route to
# 10.9.0.0/16 (it answers "network unreachable" itself) and an unreachable
# one to 10.8.0.0/16 ("host unreachable"); for port 7001 it drops the SYN
# and icmp_err.py answers "port unreachable", as a firewall would.
n "$R" sysctl -qw net.ipv4.icmp_ratelimit=0
n "$R" ip route add unreachable 10.8.0.0/16
n "$R" nft -f - <<'EOF'
table inet f {
	chain relay {
		type filter hook forward priority 0;
		tcp dport 7001 drop
	}
}
EOF

# router_says WHAT DST:PORT [ARG...]: in the background, icmp_err.py in R
# answers A's next segment to DST:PORT with an ICMP error (port
# unreachable unless ARGs say otherwise); returns once it listens.
declare -A RES
router_says() {
	local what=$1 dst=$2 out

	shift 2
	tmpfile out "icmp-$what"
	n "$R" python3 -B "$ICMP_ERR" xv1 10.0.1.1 "${SPORT:-0}" "${dst%:*}" \
		"${dst#*:}" "$@" >"$out" 2>&1 &
	wait_for "$out" '^listening' 5
	SNIFF=$out
}

# 1. connect() through the router, both stacks: the errno (and how long,
# printed: ICMP rate limits in the router make the time vary).
for c in "10.0.2.2:7001 ECONNREFUSED port" "10.8.8.8:7002 EHOSTUNREACH host" \
	"10.9.9.9:7003 ENETUNREACH network"; do
	read -r dst want what <<<"$c"
	for fam in xtcp inet; do
		[ "$what" = port ] && router_says port "$dst"
		icmps=$(xtcp_stat "$A" InIcmps)
		xc "$A" $fam do time connect=$dst time
		wait
		[ $fam = inet ] && break
		got=${OUT[connect]}
		xt=${OUT[time2]}
		expect "$what unreachable: xtcp took the ICMP error" 1 \
			$(($(xtcp_stat "$A" InIcmps) - icmps))
	done
	# Without the error xtcp would wait out its SYN retries: ETIMEDOUT.
	expect "$what unreachable: connect() fails with $want, as Linux TCP's" \
		"$want $want" "$got ${OUT[connect]}"
	echo "# $what unreachable: xtcp $got after ${xt:-?} ms," \
		"Linux TCP ${OUT[connect]} after ${OUT[time2]:-?} ms"
done

# The error that ended connect() waits on the error queue, the ICMP
# message as it came (its errno, type and code, the router that sent it,
# where the SYN went), for recvmsg(MSG_ERRQUEUE), then EAGAIN. Linux TCP
# queues it with or without IP_RECVERR; so does xtcp.
errq() {
	xc "$A" "$1" do set=ip.11:1 connect=10.8.8.8:7004 errqueue errqueue
	REPLY="${OUT[connect]}; ${OUT[errqueue]}; ${OUT[errqueue2]}"
	xc "$A" "$1" do connect=10.8.8.8:7005 errqueue
	REPLY="$REPLY; ${OUT[connect]}; ${OUT[errqueue]}"
}
errq xtcp
x=$REPLY
errq inet
expect "recvmsg(MSG_ERRQUEUE) gives the ICMP error that ended connect(), once" \
	"EHOSTUNREACH; EHOSTUNREACH origin=2 type=3 code=1 info=0 from=10.0.1.254 to=10.8.8.8:7004; EAGAIN; EHOSTUNREACH; EHOSTUNREACH origin=2 type=3 code=1 info=0 from=10.0.1.254 to=10.8.8.8:7005" \
	"$x"
expect "and Linux TCP's error queue reads the same" "$x" "$REPLY"

# 2. Errors about an established connection. Once connected, the router
# drops B's segments, so the data stays in flight and the segment the
# errors quote is one the sender has not seen acknowledged. The first
# error moves the quoted sequence number 2^30 out of the window, the
# second quotes the segment as it was.
# soft FAMILY PORT: REPLY is "SO_ERROR send SO_ERROR" after the errors.
soft() {
	local fam=$1 port=$2

	serve "$B" inet 10.0.2.2:$port sleep=3
	bg cli "$A" "$fam" client 10.0.2.2:$port --bind $((port + 1)) \
		wait send=8000 wait soerror send=1000 soerror
	bg_wait cli '^wait ready'
	n "$R" nft add rule inet f relay ip saddr 10.0.2.2 tcp sport $port drop
	SPORT=$((port + 1)) router_says soft 10.0.2.2:$port --data \
		--seq-offset 0x40000000,0
	go cli
	wait $!
	nap 0.3
	go cli
	bg_done cli RES
	served
	REPLY="${RES[soerror]} ${RES[send2]%% *} ${RES[soerror2]}"
	SNIFF=$(tr '\n' ' ' <"$SNIFF")
}
oow=$(xtcp_stat "$A" OutOfWindowIcmps)
icmps=$(xtcp_stat "$A" InIcmps)
soft xtcp 7010
x=$REPLY
echo "# the router: $SNIFF"
expect "the router's two errors reached xtcp" 2 \
	$(($(xtcp_stat "$A" InIcmps) - icmps))
expect "the out-of-window one is counted and ignored (OutOfWindowIcmps)" \
	1 $(($(xtcp_stat "$A" OutOfWindowIcmps) - oow))
soft inet 7020
expect "the in-window one is soft: SO_ERROR once, the connection goes on, as Linux TCP's" \
	"ECONNREFUSED bytes=1000 OK" "$x"
echo "# after the errors: xtcp $x; Linux TCP $REPLY"
n "$R" nft flush chain inet f relay

# 2b. IP_RECVERR (RFC 9293 MUST-47, RFC 1122 4.2.4.1): with it, the
# in-window error of 2 is reported at once, as Linux TCP does: the next
# send() fails with it, and the connection goes on. A source quench
# (RFC 6633, MUST-55) changes nothing, even with IP_RECVERR.
# after_error FAMILY PORT ARG...: REPLY is what "send=1000 soerror
# send=1000" gave on a socket with IP_RECVERR after its data drew the
# ICMP error that icmp_err.py ARGs make.
after_error() {
	local fam=$1 port=$2

	shift 2
	serve "$B" inet 10.0.2.2:$port sleep=3
	bg cli "$A" "$fam" client 10.0.2.2:$port --bind $((port + 1)) \
		set=ip.11:1 wait send=8000 wait send=1000 soerror send=1000
	bg_wait cli '^wait ready'
	n "$R" nft add rule inet f relay ip saddr 10.0.2.2 tcp sport $port drop
	SPORT=$((port + 1)) router_says recverr 10.0.2.2:$port --data "$@"
	go cli
	wait $!
	nap 0.3
	go cli
	bg_done cli RES
	served
	n "$R" nft flush chain inet f relay
	REPLY="${RES[send2]%% *} ${RES[soerror]} ${RES[send3]%% *}"
}
after_error xtcp 7030
x=$REPLY
after_error inet 7040
expect "IP_RECVERR: the next send() reports the error, then the connection goes on, as Linux TCP's" \
	"ECONNREFUSED OK bytes=1000 ECONNREFUSED OK bytes=1000" "$x $REPLY"
after_error xtcp 7050 --type 4 --code 0
x=$REPLY
after_error inet 7060 --type 4 --code 0
expect "a source quench changes nothing, as for Linux TCP" \
	"bytes=1000 OK bytes=1000 bytes=1000 OK bytes=1000" "$x $REPLY"

# The data of sections 2 and 2b was not all acknowledged: once the router
# relays B's answers again, both stacks' connections send it once more
# and finish.
# Wait until they have, so that none of their segments meets the narrow
# link below: its ICMP would teach A the path MTU before section 3's own
# transfer starts, and xtcp would never hear one (seen in 1 run of 4, and
# again once 2b came after the wait).
busy() {
	n "$A" ss -Htn dst 10.0.2.2
	n "$A" awk 'NR > 1 && $4 != "0A" && $4 != "06"' /proc/net/xtcp
}
for _ in $(seq 100); do
	[ -z "$(busy)" ] && break
	nap 0.2
done
expect "section 2's and 2b's connections are gone before section 3" "" "$(busy)"

# 3. Path MTU: the router's route to B takes 1280 bytes (locked, so that
# it says "fragmentation needed" for anything larger).
n "$R" ip route replace 10.0.2.0/24 dev r1 mtu lock 1280
SIZE=67108864
# pmtu CLIENT SERVER: SIZE bytes from A to B over the narrow link; the
# sender is A's end (client or server); REPLY is "bytes=N ms".
pmtu() {
	local cf=$1 sf=$2 port=$3

	n "$A" ip route flush cache
	ROUTE0=$(n "$A" ip route get 10.0.2.2 | tr '\n' ' ')
	if [ "$sf" = "a" ]; then
		serve "$A" "$cf" 10.0.1.1:$port send=$SIZE close
		xc "$B" inet client 10.0.1.1:$port time recv time
		served
		REPLY="${OUT[recv]%% sha*} ${OUT[time2]} ${SRV[send]##*sha256=} ${OUT[recv]##*sha256=}"
	else
		serve "$B" "$sf" 10.0.2.2:$port recv
		xc "$A" "$cf" client 10.0.2.2:$port time send=$SIZE drain \
			time close
		served
		REPLY="${SRV[recv]%% sha*} ${OUT[time2]} ${OUT[send]##*sha256=} ${SRV[recv]##*sha256=}"
	fi
}
port=7100
for p in "xtcp inet xtcp->inet" "xtcp xtcp xtcp->xtcp" \
	"xtcp a inet->xtcp(server sends)"; do
	read -r cf sf what <<<"$p"
	port=$((port + 1))
	icmps=$(xtcp_stat "$A" InIcmps)
	pmtu "$cf" "$sf" $port
	read -r bytes ms hs hr <<<"$REPLY"
	expect "$what: $SIZE bytes cross the 1280-byte link intact" \
		"bytes=$SIZE $hs" "$bytes $hr"
	heard=$(($(xtcp_stat "$A" InIcmps) - icmps))
	if [ "$heard" -ge 1 ]; then
		pass "$what: xtcp heard \"fragmentation needed\""
	else
		fail "$what: xtcp heard \"fragmentation needed\"" \
			"InIcmps +$heard; A's route before: $ROUTE0" \
			"after: $(n "$A" ip route get 10.0.2.2 | tr '\n' ' ')" \
			"R: $(n "$R" nstat -az IcmpOutDestUnreachs IcmpMsgOutType3 | tail -n +2 | tr '\n' ' ')"
	fi
	x=$ms
	port=$((port + 1))
	if [ "$sf" = a ]; then
		pmtu inet a $port
	else
		pmtu inet inet $port
	fi
	read -r bytes ms hs hr <<<"$REPLY"
	echo "# $what over the 1280-byte link: xtcp ${x:-?} ms," \
		"Linux TCP ${ms:-?} ms ($bytes)"
done
serve "$B" inet 10.0.2.2:7009
xc "$A" xtcp do connect=10.0.2.2:7009 get=maxseg close
served
expect "a new connection to B starts with the smaller MSS" \
	"OK 1228" "${OUT[connect]} ${OUT[get]}"

# 4. The path grows back: once the router's link takes 1500 bytes again
# and the path MTU A learned expires (net.ipv4.route.mtu_expires, 10
# minutes by default, 4 s here), a connection's send MSS grows back to
# what its handshake allowed (RFC 1191 6.3), as Linux TCP's follows the
# route. Before, it kept the small segments for as long as it lived.
n "$A" sysctl -qw net.ipv4.route.mtu_expires=4
grow() {
	local fam=$1 port=$2

	n "$R" ip route replace 10.0.2.0/24 dev r1 mtu lock 1280
	n "$A" ip route flush cache
	serve "$B" inet 10.0.2.2:$port recv
	bg cli "$A" "$fam" client 10.0.2.2:$port send=300000 drain \
		get=maxseg wait send=300000 drain get=maxseg close
	bg_wait cli '^wait ready'
	n "$R" ip route replace 10.0.2.0/24 dev r1
	nap 5
	go cli
	bg_done cli RES
	served
	REPLY="${RES[get]} ${RES[get2]} ${SRV[recv]%% sha*}"
}
grow xtcp 7030
x=$REPLY
grow inet 7031
expect "the send MSS grows back once the learned path MTU expires" \
	"1228 1448 bytes=600000" "$x"
expect "as Linux TCP's does" "$x" "$REPLY"

# 5. RFC 6069: while the router answers A's segments with "host
# unreachable" (a broken route, not a full queue), each answer about the
# retransmission at SND.UNA takes back one RTO backoff, so A keeps
# retransmitting about once an RTO instead of backing off exponentially,
# and the data goes the moment the route is back. 3 s of outage, after a
# first exchange: without the revert, RTOs of 0.2, 0.4, 0.8, 1.6 s fit 4.
linux_timeouts() {
	n "$A" awk '$1 == "TcpExt:" { if (!c) { for (i = 2; i <= NF; i++)
		if ($i == "TCPTimeouts") c = i } else print $c }' /proc/net/netstat
}
outage() {
	local fam=$1 port=$2 t0

	serve "$B" inet 10.0.2.2:$port recv
	bg cli "$A" "$fam" client 10.0.2.2:$port send=1000 drain wait \
		send=20000 drain close
	bg_wait cli '^wait ready'
	if [ "$fam" = xtcp ]; then
		t0=$(xtcp_stat "$A" Timeouts)
	else
		t0=$(linux_timeouts)
	fi
	n "$R" ip route add unreachable 10.0.2.2/32
	go cli
	nap 3
	n "$R" ip route del unreachable 10.0.2.2/32
	bg_done cli RES
	served
	if [ "$fam" = xtcp ]; then
		REPLY=$(($(xtcp_stat "$A" Timeouts) - t0))
	else
		REPLY=$(($(linux_timeouts) - t0))
	fi
	REPLY="$REPLY ${RES[drain2]} ${SRV[recv]%% sha*}"
}
# The router's "unreachable" route answers at most once a second after a
# burst of 5 (net.ipv4.route.error_cost, a global sysctl): here, always.
cost=$(sysctl -n net.ipv4.route.error_cost)
sysctl -qw net.ipv4.route.error_cost=0
reverts=$(xtcp_stat "$A" RtoReverts)
outage xtcp 7040
read -r x_rtos x_rest <<<"$REPLY"
reverts=$(($(xtcp_stat "$A" RtoReverts) - reverts))
outage inet 7041
read -r l_rtos l_rest <<<"$REPLY"
sysctl -qw net.ipv4.route.error_cost="$cost"
echo "# RTOs in 3 s of \"host unreachable\": xtcp $x_rtos ($reverts backoffs undone), Linux TCP $l_rtos"
expect "after the outage the data arrives" "OK bytes=21000" "$x_rest"
expect "and Linux TCP's too" "OK bytes=21000" "$l_rest"
check "xtcp undid RTO backoffs (RtoReverts)" test "$reverts" -ge 3
check "xtcp retransmitted about once an RTO, not backing off (8 or more in 3 s)" \
	test "$x_rtos" -ge 8
check "as Linux TCP did (8 or more)" test "$l_rtos" -ge 8

done_testing
