#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TCP Fast Open (RFC 7413, net.xtcp.fastopen) against Linux TCP
# (net.ipv4.tcp_fastopen) and xtcp, each way, over IPv4 and IPv6.
#
# A (client, xv0) and B (server, xv1) are joined by veth; A's side delays
# every segment by 250 ms (netem), so that the handshake's last ACK
# reaches the server well after the SYN: a server that made its
# connection from the SYN alone accepts it and reads its data while it is
# still in SYN_RECV (TCP_INFO's state 3). Each pairing (client stack,
# server stack) gets a server address of its own, so that no cookie cached
# by an earlier pairing is used.
#
# Per pairing, three connections with sendto(MSG_FASTOPEN) and then
# TCP_FASTOPEN_CONNECT: the first asks for a cookie (its SYN carries the
# option empty and no data, its SYN-ACK the cookie, the data goes after
# the handshake); the second's SYN carries the data and the cookie, the
# SYN-ACK acknowledges the data, the server accepts and reads it in
# SYN_RECV, both ends say TCPI_OPT_SYN_DATA; the third
# (TCP_FASTOPEN_CONNECT: connect() returns at once, the write sends the
# SYN) the same. The counters move as Linux's: TCPFastOpenCookieReqd,
# TCPFastOpenPassive, TCPFastOpenActive.
#
# Then, at an xtcp server: a SYN with a wrong cookie and data (craft.py)
# gets a SYN-ACK that acknowledges only the SYN and carries the right
# cookie (TCPFastOpenPassiveFail), and no connection; a flood of spoofed
# Fast Open SYNs (net.xtcp.fastopen 0x202: no cookie needed) makes at
# most TCP_FASTOPEN's queue length of children, the rest the usual
# handshake (TCPFastOpenListenOverflow), beside Linux TCP under the same
# flood; net.xtcp.fastopen's server bit off makes a Linux client's data
# wait for the handshake, its client bit off makes MSG_FASTOPEN and
# TCP_FASTOPEN_CONNECT EOPNOTSUPP; and the errnos of misuse as Linux's.
. "$(dirname "$0")/lib.sh"
require_module
XFO=$XTCP_ROOT/selftests/bin/xfastopen
CRAFT="python3 $XTCP_ROOT/selftests/craft.py"

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
ip -n "$A" addr add "$NET6:1/64" dev xv0 nodad
for i in $(seq 10 29); do
	ip -n "$B" addr add "10.0.0.$i/24" dev xv1
	ip -n "$B" addr add "$NET6:$i/64" dev xv1 nodad
done
ip -n "$B" addr add "$NET6:2/64" dev xv1 nodad
n "$A" sysctl -qw net.xtcp.fastopen=1 net.ipv4.tcp_fastopen=1
n "$B" sysctl -qw net.xtcp.fastopen=3 net.ipv4.tcp_fastopen=3
tc -n "$A" qdisc add dev xv0 root netem delay 250ms
port=7700
host=10

# nstat_get NS NAME: Linux TCP's counter NAME in NS.
nstat_get() {
	n "$1" nstat -az "$2" | awk -v k="$2" '$1 == k { print $2 }'
}

# fo_count NS STACK NAME: Fast Open counter NAME (Linux's name) of STACK.
fo_count() {
	local v

	if [ "$2" = xtcp ]; then
		v=$(xtcp_stat "$1" "$3")
	else
		v=$(nstat_get "$1" "TcpExt$3")
	fi
	# A module without the counter: 0, and the checks say so.
	[[ $v =~ ^[0-9]+$ ]] || v=0
	echo "$v"
}

# server_start STACK V ADDR QLEN N: an xfastopen server in B; its output in
# $SRVOUT.
server_start() {
	local fam=$1

	[ "$fam" = inet ] && [ "$2" = 6 ] && fam=inet6
	tmpfile SRVOUT "srv-$port"
	# Not through n(): $SRVPID must be the server itself, to kill it.
	ip netns exec "$B" "$XFO" server "$fam" "$3" "$port" "$4" "$5" \
		>"$SRVOUT" 2>&1 &
	SRVPID=$!
	wait_for "$SRVOUT" '^listening' 10 || fail "server listening" \
		"$(cat "$SRVOUT")"
}

# client STACK V ADDR MODE TEXT: an xfastopen client in A; output in CLI.
client() {
	local fam=$1

	[ "$fam" = inet ] && [ "$2" = 6 ] && fam=inet6
	CLI=$(n "$A" "$XFO" client "$fam" "$3" "$port" "$4" "$5" 2>&1)
	CLI=${CLI//$'\n'/ }
}

# syn_of N FILE: the Nth SYN (1-based) from A in capture FILE, as
# "SEQ LEN OPTS", and the SYN-ACK that answered it, as "ACK OPTS", in
# SYN and SYNACK.
syn_of() {
	local i k=0

	cap_load "$2"
	SYN='' SYNACK=''
	for i in "${!_segs[@]}"; do
		if [ "${_flags[i]}" = S ] && [[ ${_src[i]} == *"$CIP"* ]]; then
			k=$((k + 1))
			[ $k -eq "$1" ] || continue
			SYN="${_seq[i]} ${_len[i]} ${_opts[i]}"
			SYNSEQ=${_seq[i]}
		elif [ $k -eq "$1" ] && [ -z "$SYNACK" ] &&
		     [ "${_flags[i]}" = S. ]; then
			SYNACK="${_ack[i]} ${_opts[i]}"
		fi
	done
}

# tfo_of OPTS: the Fast Open option's value in OPTS ("req", a cookie in
# hex, or nothing).
tfo_of() {
	local o

	REPLY=''
	for o in ${1//,/ }; do
		case $o in tfo:* | tfoexp:*) REPLY=${o#*:} ;; esac
	done
}

# pairing V CSTACK SSTACK
pairing() {
	local v=$1 cs=$2 ss=$3 addr cap k cookie
	local -A c0 c1

	port=$((port + 1))
	PORT=$port
	host=$((host + 1))
	if [ "$v" = 6 ]; then
		addr=$NET6:$host CIP=$NET6:1
	else
		addr=10.0.0.$host CIP=10.0.0.1
	fi
	_t_prefix="v$v $cs->$ss: "
	for k in TCPFastOpenActive TCPFastOpenCookieReqd TCPFastOpenPassive; do
		c0[A.$k]=$(fo_count "$A" "$cs" $k)
		c0[B.$k]=$(fo_count "$B" "$ss" $k)
	done
	tmpfile cap "fo-$v-$port.pcap"
	cap_start "$B" xv1 "$cap" "tcp port $port"
	server_start "$ss" "$v" "$addr" 16 4
	client "$cs" "$v" "$addr" sendto hello1
	expect_match "first: the reply" ".*reply=ok:hello1 .*" "$CLI"
	client "$cs" "$v" "$addr" sendto hello2
	expect_match "second: the reply, TCPI_OPT_SYN_DATA" \
		".*reply=ok:hello2 syn_data=1" "$CLI"
	client "$cs" "$v" "$addr" connect hello3
	expect_match "TCP_FASTOPEN_CONNECT: connect() 0 at once" \
		".*connect=0 .*" "$CLI"
	expect_match "TCP_FASTOPEN_CONNECT: the reply, SYN data" \
		".*reply=ok:hello3 syn_data=1" "$CLI"
	client "$cs" "$v" "$addr" nonblock hello4
	expect "non-blocking: the bytes in the SYN at once" \
		"sent=6 reply=ok:hello4 syn_data=1" "$CLI"
	wait "$SRVPID"
	cap_stop
	echo "# $_t_prefix server: $(tr '\n' ' ' <"$SRVOUT")"
	mapfile -t S <"$SRVOUT"
	expect "first: read after the handshake, no SYN data" \
		"read=6 data=hello1 syn_data=0" "${S[2]-}"
	expect "second: accepted in SYN_RECV, readable and writable" \
		"accept state=3 poll=in,out" \
		"${S[3]-}"
	expect "second: the SYN's data read, TCPI_OPT_SYN_DATA" \
		"read=6 data=hello2 syn_data=1" "${S[4]-}"
	expect "third: accepted in SYN_RECV, readable and writable" \
		"accept state=3 poll=in,out" \
		"${S[5]-}"
	expect "third: the SYN's data read" \
		"read=6 data=hello3 syn_data=1" "${S[6]-}"
	expect "non-blocking: the SYN's data read" \
		"read=6 data=hello4 syn_data=1" "${S[8]-}"

	syn_of 1 "$cap"
	echo "# $_t_prefix 1st SYN: $SYN; SYN-ACK: $SYNACK"
	tfo_of "${SYN##* }"
	expect "first SYN: a cookie request, no data" "0 req" \
		"$(echo "$SYN" | cut -d' ' -f2) $REPLY"
	tfo_of "${SYNACK##* }"
	cookie=$REPLY
	expect_match "first SYN-ACK: a cookie" '^[0-9a-f]{8,32}$' \
		"$cookie"
	syn_of 2 "$cap"
	echo "# $_t_prefix 2nd SYN: $SYN; SYN-ACK: $SYNACK"
	tfo_of "${SYN##* }"
	expect "second SYN: 6 bytes and the cookie" "6 $cookie" \
		"$(echo "$SYN" | cut -d' ' -f2) $REPLY"
	expect "second SYN-ACK acknowledges the data" \
		$((SYNSEQ + 7)) "${SYNACK%% *}"
	syn_of 3 "$cap"
	tfo_of "${SYN##* }"
	expect "TCP_FASTOPEN_CONNECT's SYN: data and cookie" \
		"6 $cookie" "$(echo "$SYN" | cut -d' ' -f2) $REPLY"
	expect "its SYN-ACK acknowledges the data" \
		$((SYNSEQ + 7)) "${SYNACK%% *}"

	for k in TCPFastOpenActive TCPFastOpenCookieReqd TCPFastOpenPassive; do
		c1[A.$k]=$(fo_count "$A" "$cs" $k)
		c1[B.$k]=$(fo_count "$B" "$ss" $k)
	done
	expect "client: TCPFastOpenActive +3" 3 \
		$((c1[A.TCPFastOpenActive] - c0[A.TCPFastOpenActive]))
	expect "server: TCPFastOpenCookieReqd +1" 1 \
		$((c1[B.TCPFastOpenCookieReqd] - c0[B.TCPFastOpenCookieReqd]))
	expect "server: TCPFastOpenPassive +3" 3 \
		$((c1[B.TCPFastOpenPassive] - c0[B.TCPFastOpenPassive]))
}

for v in 4 6; do
	for p in "inet xtcp" "xtcp inet" "xtcp xtcp"; do
		pairing $v $p
	done
done

# A wrong cookie with data, from A's address (craft.py), at an xtcp
# server and, beside it, at Linux TCP's: the SYN-ACK acknowledges only
# the SYN, and gives the right cookie; no connection is made from it.
wrong_cookie() {
	local ss=$1 addr out c0 c1 p0 p1 cap

	port=$((port + 1))
	PORT=$port
	host=$((host + 1))
	addr=10.0.0.$host CIP=10.0.0.1
	_t_prefix="wrong cookie at $ss: "
	# A cookie for A first, from a request.
	server_start "$ss" 4 "$addr" 16 1
	client inet 4 "$addr" sendto hello1
	wait "$SRVPID"
	c0=$(fo_count "$B" "$ss" TCPFastOpenPassiveFail)
	p0=$(fo_count "$B" "$ss" TCPFastOpenPassive)
	tmpfile cap "fo-bad-$port.pcap"
	cap_start "$B" xv1 "$cap" "tcp port $port"
	server_start "$ss" 4 "$addr" 16 1
	out=$(n "$A" $CRAFT 10.0.0.1 "$addr" "$port" --sport 41000 \
		--seq 5000 --opts 220a0102030405060708 --data 10 --reply)
	expect "the SYN-ACK acknowledges the SYN alone" \
		"reply SA ack=5001" "$(echo "$out" | sed 's/seq=[0-9]* //')"
	nap 0.5
	cap_stop
	syn_of 1 "$cap"
	echo "# ${_t_prefix}SYN: $SYN; SYN-ACK: $SYNACK"
	tfo_of "${SYNACK##* }"
	expect_match "its SYN-ACK carries a cookie" '[0-9a-f]{8,32}' "$REPLY"
	c1=$(fo_count "$B" "$ss" TCPFastOpenPassiveFail)
	p1=$(fo_count "$B" "$ss" TCPFastOpenPassive)
	expect "TCPFastOpenPassiveFail +1, TCPFastOpenPassive +0" "1 0" \
		"$((c1 - c0)) $((p1 - p0))"
	kill "$SRVPID" 2>/dev/null
	wait "$SRVPID" 2>/dev/null
	expect "nothing accepted" "listening" "$(cat "$SRVOUT")"
}
wrong_cookie xtcp
wrong_cookie inet

# A flood of spoofed Fast Open SYNs with data from 10.0.0.200, an address
# nobody holds (the SYN-ACKs go nowhere), at a listener whose TCP_FASTOPEN
# queue length is 4, with the server's 0x200 bit (no cookie needed), that
# accepts nothing: 4 children wait, the other SYNs get the usual handshake.
flood() {
	local ss=$1 addr ov0 ov1 pa0 pa1 out

	port=$((port + 1))
	PORT=$port
	host=$((host + 1))
	addr=10.0.0.$host
	_t_prefix="flood at $ss: "
	n "$B" sysctl -qw net.xtcp.fastopen=0x202 net.ipv4.tcp_fastopen=0x202
	ov0=$(fo_count "$B" "$ss" TCPFastOpenListenOverflow)
	pa0=$(fo_count "$B" "$ss" TCPFastOpenPassive)
	server_start "$ss" 4 "$addr" 4 -1
	out=$(n "$A" "$XFO" flood 10.0.0.200 "$addr" "$port" 40 16)
	expect "40 SYNs sent" "sent=40" "$out"
	nap 1
	ov1=$(fo_count "$B" "$ss" TCPFastOpenListenOverflow)
	pa1=$(fo_count "$B" "$ss" TCPFastOpenPassive)
	echo "# ${_t_prefix}Passive +$((pa1 - pa0)) ListenOverflow +$((ov1 - ov0))"
	expect "TCPFastOpenPassive +4 (the queue length)" 4 $((pa1 - pa0))
	expect "TCPFastOpenListenOverflow +36" 36 $((ov1 - ov0))
	kill "$SRVPID" 2>/dev/null
	wait "$SRVPID" 2>/dev/null
	n "$B" sysctl -qw net.xtcp.fastopen=3 net.ipv4.tcp_fastopen=3
}
flood xtcp
flood inet

# net.xtcp.fastopen's bits switch each side off.
_t_prefix="sysctl: "
port=$((port + 1))
PORT=$port
host=$((host + 1))
addr=10.0.0.$host CIP=10.0.0.1
server_start xtcp 4 "$addr" 16 2
client inet 4 "$addr" sendto hello1
n "$B" sysctl -qw net.xtcp.fastopen=1
p0=$(fo_count "$B" xtcp TCPFastOpenPassive)
tmpfile cap "fo-off-$port.pcap"
cap_start "$B" xv1 "$cap" "tcp port $port"
client inet 4 "$addr" sendto hello2
cap_stop
wait "$SRVPID"
expect_match "server bit off: Linux's data arrives all the same" \
	".*reply=ok:hello2 syn_data=0" "$CLI"
syn_of 1 "$cap"
echo "# ${_t_prefix}SYN: $SYN; SYN-ACK: $SYNACK"
tfo_of "${SYNACK##* }"
expect "server bit off: the SYN-ACK acknowledges the SYN alone, no cookie" \
	"$((SYNSEQ + 1)) " "${SYNACK%% *} $REPLY"
expect "server bit off: TCPFastOpenPassive +0" "$p0" \
	"$(fo_count "$B" xtcp TCPFastOpenPassive)"
n "$B" sysctl -qw net.xtcp.fastopen=3
# Non-blocking without a cookie: EINPROGRESS, nothing sent, as Linux.
for cs in inet xtcp; do
	port=$((port + 1))
	PORT=$port
	host=$((host + 1))
	addr=10.0.0.$host
	server_start inet 4 "$addr" 16 1
	client "$cs" 4 "$addr" nonblock hello5
	wait "$SRVPID"
	expect "$cs: non-blocking, no cookie: EINPROGRESS, then a write" \
		"sent=-1 EINPROGRESS sent=6 reply=ok:hello5 syn_data=0" "$CLI"
done
n "$A" sysctl -qw net.xtcp.fastopen=0
client xtcp 4 "$addr" sendto hello3
expect "client bit off: sendto(MSG_FASTOPEN) EOPNOTSUPP" \
	"sent=-1 EOPNOTSUPP" "$CLI"
client xtcp 4 "$addr" connect hello3
expect_match "client bit off: TCP_FASTOPEN_CONNECT EOPNOTSUPP" \
	"setsockopt=-1 EOPNOTSUPP.*" "$CLI"
n "$A" sysctl -qw net.xtcp.fastopen=1

# The errnos of misuse, as Linux TCP's.
_t_prefix="errnos: "
port=$((port + 1))
server_start inet 4 10.0.0.2 -1 2
want=$(n "$A" "$XFO" errnos inet 10.0.0.2 "$port" 2>&1)
got=$(n "$A" "$XFO" errnos xtcp 10.0.0.2 "$port" 2>&1)
echo "# Linux TCP: ${want//$'\n'/ }"
expect "as Linux TCP's" "$want" "$got"
wait "$SRVPID"
_t_prefix=''

done_testing
