#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ICMPv6 errors about xtcp's IPv6 connections (mod/icmp.c), and IPv6
# fragments (mod/ipv6.c), xtcp beside Linux TCP's AF_INET6 sockets on the
# same path:
#  - connect() through a router that answers with "port unreachable",
#    "no route", "administratively prohibited", "address unreachable" or
#    "hop limit exceeded" fails at once with ECONNREFUSED, ENETUNREACH,
#    EACCES, EHOSTUNREACH, as Linux TCP's does (before: xtcp
#    ignored ICMPv6 and waited out its SYN retries, then ETIMEDOUT);
#  - with IPV6_RECVERR the error that ended connect() is on the error
#    queue (SO_EE_ORIGIN_ICMP6, the router as offender), without it not,
#    as for Linux TCP;
#  - once connected, an error is soft: SO_ERROR reports it, the connection
#    goes on; with IPV6_RECVERR the next send() reports it;
#  - an error quoting a sequence number not in flight changes nothing
#    (RFC 5927), counted in OutOfWindowIcmps; one with a wrong ICMPv6
#    checksum is left to the kernel, which counts it;
#  - a router whose next link takes only 1280-byte packets says "packet
#    too big": the sender's segments shrink and the transfer completes
#    (before: it stalled for good), every pairing with Linux TCP;
#  - once the learned path MTU expires, the segments grow back, as Linux
#    TCP's (before: an IPv6 connection kept the small ones for good);
#  - a segment that arrives in IPv6 fragments reaches xtcp whole, as it
#    reaches Linux TCP (before: xtcp's hook saw the first fragment alone,
#    its checksum failed, and the data was lost).
# A (fd01::1) -- R (fd01::fe | fd02::fe) -- B (fd02::2)
. "$(dirname "$0")/lib.sh"
require_module
ICMP_ERR=$XTCP_ROOT/selftests/icmp_err.py
FRAG6=$XTCP_ROOT/selftests/frag6.py

ns_new A a
ns_new R router
ns_new B b
ip link add xv0 netns "$A" type veth peer name xv1 netns "$R"
ip link add r1 netns "$R" type veth peer name b0 netns "$B"
ip -n "$A" addr add fd01::1/64 dev xv0 nodad
ip -n "$R" addr add fd01::fe/64 dev xv1 nodad
ip -n "$R" addr add fd02::fe/64 dev r1 nodad
ip -n "$B" addr add fd02::2/64 dev b0 nodad
# One more address of B's for each path MTU run: each learns it afresh.
for i in 1 2 3 4 5 6 7 8; do
	ip -n "$B" addr add fd02::1$i/64 dev b0 nodad
done
for l in "$A xv0" "$R xv1" "$R r1" "$B b0"; do
	read -r ns dev <<<"$l"
	ip -n "$ns" link set "$dev" up
done
ip -n "$A" -6 route add default via fd01::fe
ip -n "$B" -6 route add default via fd02::fe
n "$R" sysctl -qw net.ipv6.conf.all.forwarding=1
# The router answers as often as the checks ask. It has an unreachable
# route to fd09::/64 ("no route") and a prohibit one to fd07::/64
# ("administratively prohibited"); for port 7001 it drops the SYN and
# icmp_err.py answers "port unreachable", as a firewall would.
n "$R" sysctl -qw net.ipv6.icmp.ratelimit=0
n "$R" ip -6 route add unreachable fd09::/64
n "$R" ip -6 route add prohibit fd07::/64
n "$R" nft -f - <<'EOF'
table inet f {
	chain relay {
		type filter hook forward priority 0;
		tcp dport { 7001, 7006, 7007 } drop
	}
}
EOF

declare -A RES
# router_says WHAT DST PORT [ARG...]: in the background, icmp_err.py in R
# answers A's next segment to [DST]:PORT with an ICMPv6 error (port
# unreachable unless ARGs say otherwise); returns once it listens.
router_says() {
	local what=$1 dst=$2 port=$3 out

	shift 3
	tmpfile out "icmp-$what"
	n "$R" python3 -B "$ICMP_ERR" xv1 fd01::1 "${SPORT:-0}" "$dst" \
		"$port" "$@" >"$out" 2>&1 &
	wait_for "$out" '^listening' 5
	SNIFF=$out
}
icmp6_csum_errors() {
	n "$A" awk '$1 == "Icmp6InCsumErrors" { print $2 }' /proc/net/snmp6
}

# 1. connect() through the router, both stacks: the errno, and how long.
# icmp_err.py answers for ports 7001, 7006 and 7007, with the type and
# code given (RFC 4443: 1/4 port, 1/3 address unreachable, 3/0 hop limit
# exceeded in transit); R's own routes answer the others.
for c in "fd02::2 7001 ECONNREFUSED port-unreachable" \
	"fd09::9 7002 ENETUNREACH no-route" \
	"fd07::7 7003 EACCES prohibited" \
	"fd02::2 7006 EHOSTUNREACH address-unreachable --type 1 --code 3" \
	"fd02::2 7007 EHOSTUNREACH hop-limit-exceeded --type 3 --code 0"; do
	read -r dst port want what args <<<"$c"
	for fam in xtcp inet6; do
		case $port in
		7001 | 7006 | 7007)
			# shellcheck disable=SC2086 # the options, one word each
			router_says "$what" "$dst" "$port" $args ;;
		esac
		icmps=$(xtcp_stat "$A" InIcmps)
		xc "$A" $fam do time connect="[$dst]:$port" time
		wait
		[ $fam = inet6 ] && break
		got=${OUT[connect]}
		xt=${OUT[time2]}
		expect "$what: xtcp took the ICMPv6 error" 1 \
			$(($(xtcp_stat "$A" InIcmps) - icmps))
	done
	# Without the error xtcp would wait out its SYN retries: ETIMEDOUT.
	expect "$what: connect() fails with $want, as Linux TCP's" \
		"$want $want" "$got ${OUT[connect]}"
	# At once: before the SYN's first retransmission, a second later.
	# Linux TCP fails at once too, unless the error comes while
	# connect() still holds the socket: then it is kept as a soft error
	# and the retransmitted SYN's ends the connection.
	check "$what: at once (xtcp ${xt:-?} ms, Linux TCP ${OUT[time2]:-?} ms)" \
		test "${xt:-9999}" -lt 500
done

# The error that ended connect() is on the error queue only with
# IPV6_RECVERR (25), as ipv6_icmp_error() queues it for Linux TCP (which
# queues one more when it kept the first SYN's error as a soft one).
errq() {
	xc "$A" "$1" do set=ipv6.25:1 connect='[fd09::9]:7004' errqueue errqueue
	REPLY="${OUT[connect]}; ${OUT[errqueue]}"
	ERRQ2=${OUT[errqueue2]}
	xc "$A" "$1" do connect='[fd09::9]:7005' errqueue
	REPLY="$REPLY; ${OUT[connect]}; ${OUT[errqueue]}"
}
errq xtcp
x=$REPLY
expect "IPV6_RECVERR: recvmsg(MSG_ERRQUEUE) gives the ICMPv6 error that ended connect(), once; without it nothing" \
	"ENETUNREACH; ENETUNREACH origin=3 type=1 code=0 info=0 from=[fd01::fe] to=[fd09::9]:7004; ENETUNREACH; EAGAIN EAGAIN" \
	"$x $ERRQ2"
errq inet6
expect "and Linux TCP's error queue reads the same" "$x" "$REPLY"

# 2. Errors about an established connection. Once connected, the router
# drops B's segments, so the data stays in flight and the segment the
# errors quote is one the sender has not seen acknowledged. The first
# error moves the quoted sequence number 2^30 out of the window, the
# second quotes the segment as it was.
# soft FAMILY PORT [OPT] -- [ARG...]: REPLY is "SO_ERROR send SO_ERROR"
# after the errors icmp_err.py ARGs make, the socket option OPT set.
soft() {
	local fam=$1 port=$2 opt=${3:-get=error}

	shift 4
	serve "$B" inet6 "[fd02::2]:$port" sleep=3
	bg cli "$A" "$fam" client "[fd02::2]:$port" --bind "[fd01::1]:$((port + 1))" \
		"$opt" wait send=8000 wait send=1000 soerror send=1000 soerror
	bg_wait cli '^wait ready'
	n "$R" nft add rule inet f relay ip6 saddr fd02::2 tcp sport "$port" drop
	SPORT=$((port + 1)) router_says soft fd02::2 "$port" --data "$@"
	go cli
	wait $!
	nap 0.3
	go cli
	bg_done cli RES
	served
	n "$R" nft flush chain inet f relay
	REPLY="${RES[send2]%% *} ${RES[soerror]} ${RES[send3]%% *} ${RES[soerror2]}"
}
oow=$(xtcp_stat "$A" OutOfWindowIcmps)
icmps=$(xtcp_stat "$A" InIcmps)
soft xtcp 7010 "" -- --seq-offset 0x40000000,0
x=$REPLY
echo "# the router: $(tr '\n' ' ' <"$SNIFF")"
expect "the router's two errors reached xtcp" 2 \
	$(($(xtcp_stat "$A" InIcmps) - icmps))
expect "the out-of-window one is counted and ignored (OutOfWindowIcmps)" \
	1 $(($(xtcp_stat "$A" OutOfWindowIcmps) - oow))
soft inet6 7020 "" -- --seq-offset 0x40000000,0
expect "the in-window one is soft: SO_ERROR once, the connection goes on, as Linux TCP's" \
	"bytes=1000 ECONNREFUSED bytes=1000 OK" "$x"
expect "Linux TCP's" "bytes=1000 ECONNREFUSED bytes=1000 OK" "$REPLY"

soft xtcp 7030 set=ipv6.25:1 --
x=$REPLY
soft inet6 7040 set=ipv6.25:1 --
expect "IPV6_RECVERR: the next send() reports the error, then the connection goes on, as Linux TCP's" \
	"ECONNREFUSED OK bytes=1000 OK ECONNREFUSED OK bytes=1000 OK" \
	"$x $REPLY"

# An in-window error with a wrong checksum: not xtcp's to believe.
csum=$(icmp6_csum_errors)
icmps=$(xtcp_stat "$A" InIcmps)
soft xtcp 7050 "" -- --bad-csum fd01::fe
expect "an ICMPv6 error with a wrong checksum changes nothing" \
	"bytes=1000 OK bytes=1000 OK" "$REPLY"
expect "xtcp did not take it" 0 $(($(xtcp_stat "$A" InIcmps) - icmps))
expect "the kernel counted it (Icmp6InCsumErrors)" 1 \
	$(($(icmp6_csum_errors) - csum))

# 3. Path MTU: R's route to B takes 1280 bytes, IPv6's minimum (locked, so
# that forwarding heeds it); routers do not fragment, R says "packet too
# big".
n "$R" ip -6 route replace fd02::/64 dev r1 metric 256 mtu lock 1280
SIZE=67108864
# pmtu CLIENT SERVER PORT: SIZE bytes from A to B over the narrow link;
# the sender is A's end (client, or server if SERVER is "a"); REPLY is
# "bytes=N ms sent-hash received-hash". B's address is a new one each
# time (RUN), so that A learns the path MTU anew. A connection that
# stalls times out after 20 s (TCP_USER_TIMEOUT).
RUN=0
pmtu() {
	local cf=$1 sf=$2 port=$3 b

	RUN=$((RUN + 1))
	b=fd02::1$RUN
	if [ "$sf" = "a" ]; then
		serve "$A" "$cf" "[fd01::1]:$port" set=usertimeout:20000 \
			send=$SIZE close
		xc "$B" inet6 client "[fd01::1]:$port" --bind "[$b]:0" time \
			recv time
		served
		REPLY="${OUT[recv]%% sha*} ${OUT[time2]} ${SRV[send]##*sha256=} ${OUT[recv]##*sha256=}"
	else
		serve "$B" "$sf" "[$b]:$port" recv
		xc "$A" "$cf" client "[$b]:$port" set=usertimeout:20000 time \
			send=$SIZE drain time close
		served
		REPLY="${SRV[recv]%% sha*} ${OUT[time2]} ${OUT[send]##*sha256=} ${SRV[recv]##*sha256=}"
	fi
}
port=7100
for p in "xtcp inet6 xtcp->inet" "xtcp xtcp xtcp->xtcp" \
	"xtcp a inet->xtcp(xtcp-server-sends)"; do
	read -r cf sf what <<<"$p"
	port=$((port + 1))
	icmps=$(xtcp_stat "$A" InIcmps)
	pmtu "$cf" "$sf" $port
	read -r bytes ms hs hr <<<"$REPLY"
	expect "$what: $SIZE bytes cross the 1280-byte link intact" \
		"bytes=$SIZE $hs" "$bytes $hr"
	check "$what: xtcp heard \"packet too big\"" \
		test $(($(xtcp_stat "$A" InIcmps) - icmps)) -ge 1
	x=$ms
	port=$((port + 1))
	if [ "$sf" = a ]; then
		pmtu inet6 a $port
	else
		pmtu inet6 inet6 $port
	fi
	read -r bytes ms hs hr <<<"$REPLY"
	echo "# $what over the 1280-byte link: xtcp ${x:-?} ms," \
		"Linux TCP ${ms:-?} ms ($bytes)"
done
serve "$B" inet6 "[::]:7009"
xc "$A" xtcp do connect='[fd02::13]:7009' get=maxseg close
served
expect "a new connection to B's address of xtcp->xtcp starts with the path's MSS (1280 - 40 - 20 - 12)" \
	"OK 1208" "${OUT[connect]} ${OUT[get]}"

# The path grows back: once R's link takes 1500 bytes again and the path
# MTU A learned expires (net.ipv6.route.mtu_expires, 10 minutes by
# default, 4 s here), a connection's send MSS grows back to what its
# handshake allowed (RFC 8201 section 4), as Linux TCP's follows the
# route: 1280 - 40 - 20 - 12 = 1208, then 1500 - 72 = 1428.
n "$A" sysctl -qw net.ipv6.route.mtu_expires=4
grow() {
	local fam=$1 port=$2 b=$3

	n "$R" ip -6 route replace fd02::/64 dev r1 metric 256 mtu lock 1280
	serve "$B" inet6 "[$b]:$port" recv
	bg cli "$A" "$fam" client "[$b]:$port" send=300000 drain \
		get=maxseg wait send=300000 drain get=maxseg close
	bg_wait cli '^wait ready'
	n "$R" ip -6 route replace fd02::/64 dev r1 metric 256
	nap 5
	go cli
	bg_done cli RES
	served
	REPLY="${RES[get]} ${RES[get2]} ${SRV[recv]%% sha*}"
}
grow xtcp 7030 fd02::17
x=$REPLY
grow inet6 7031 fd02::18
expect "the send MSS grows back once the learned path MTU expires" \
	"1208 1428 bytes=600000" "$x"
expect "as Linux TCP's does" "$x" "$REPLY"

# 4. Fragments: B sends one 3000-byte segment in three fragments to a
# listener in A; its own TCP must not answer for the crafted connection.
# Then a segment with a Destination Options header, whole and in
# fragments: xtcp's hook must leave IPv6's own parsing of a datagram
# that is not xtcp's as it found it.
n "$B" nft -f - <<'EOF'
table inet t {
	chain in {
		type filter hook input priority 0;
		ip6 saddr fd01::1 tcp sport 7300-7309 drop
	}
}
EOF
# frag FAMILY PORT SIZE FRAG [dstopt]: REPLY is "SIZE N-FRAGMENTS HASH
# acked" from frag6.py, the server's results in SRV.
frag() {
	local fam=$1 port=$2 out

	tmpfile out "frag-$fam"
	serve "$A" "$fam" "[fd01::1]:$port" recv
	n "$B" python3 -B "$FRAG6" b0 fd02::2 fd01::1 "$port" "${@:3}" \
		>"$out" 2>&1
	served
	REPLY="$(sed -n 's/^sent \([0-9]*\) in \([0-9]*\) fragments sha256=/\1 \2 /p' "$out") $(tail -1 "$out")"
}
cerr=$(xtcp_stat "$A" InCsumErrors)
port=7300
for c in "3000 1232" "1000 1232 dstopt" "3000 1232 dstopt"; do
	read -r size fsize opt <<<"$c"
	for fam in xtcp inet6; do
		frag $fam $port "$size" "$fsize" $opt
		port=$((port + 1))
		read -r _ nfrag sha acked <<<"$REPLY"
		expect "$fam: a $size-byte segment in $nfrag IPv6 datagram(s)${opt:+ with $opt} arrives whole" \
			"bytes=$size $sha acked" \
			"${SRV[recv]%% sha*} ${SRV[recv]##*sha256=} $acked"
	done
done
expect "xtcp saw no bad checksum (it did when its hook saw fragments)" 0 \
	$(($(xtcp_stat "$A" InCsumErrors) - cerr))

done_testing
