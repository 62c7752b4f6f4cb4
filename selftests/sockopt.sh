#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Socket options, ioctls, keepalive and TCP_USER_TIMEOUT, for Linux TCP
# and xtcp alike: every expected result below is Linux TCP's, and each
# scenario runs for both families (CLIENT=/SERVER= narrow them), so xtcp
# passes only where it answers as Linux TCP does.
#
# The peer "vanishes" by a netem qdisc that drops everything it sends: our
# segments still reach it and show in the capture on our side.
. "$(dirname "$0")/lib.sh"

net_pair
# The MSS of the link's route: 1500 less the IP and TCP headers.
ADVMSS=1460
[ "$XTCP_FAMILY" = 6 ] && ADVMSS=1440
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"
# Neighbour entries that never expire: the tests below silence the peer,
# and a failed ARP would hide our segments from the capture.
S_MAC=$(n "$S" cat /sys/class/net/xv1/address)
C_MAC=$(n "$C" cat /sys/class/net/xv0/address)
ip -n "$C" neigh replace $S_IP lladdr "$S_MAC" dev xv0 nud permanent
ip -n "$S" neigh replace $C_IP lladdr "$C_MAC" dev xv1 nud permanent

# silent_peer FAMILY OP...: a client of FAMILY connects to a Linux TCP
# server and runs OP..., which include a "wait"; from there on the server
# drops everything it sends (a netem qdisc). The results go to OUT.
silent_peer() {
	local cf=$1

	shift
	serve "$S" inet $S_ADDR:$PORT wait
	bg client "$C" "$cf" client $S_ADDR:$PORT "$@"
	bg_wait client '^wait ready'
	tc -n "$S" qdisc add dev xv1 root netem loss 100%
	go client
	bg_done client OUT
	tc -n "$S" qdisc del dev xv1 root
	go server
	served
	cap_sync
}

# ---- One socket, no connection -----------------------------------------

round_trips() {
	local fam=$1

	expect_do "SOL_TCP options: set, then get" \
		"OK 1 OK 0 OK 1 OK 1000 OK 30 OK 5 OK 4 OK 2500 OK 0" \
		"$C" "$fam" set=nodelay:1 get=nodelay set=nodelay:0 get=nodelay \
		set=cork:1 get=cork set=maxseg:1000 get=maxseg \
		set=keepidle:30 get=keepidle set=keepintvl:5 get=keepintvl \
		set=keepcnt:4 get=keepcnt set=usertimeout:2500 get=usertimeout \
		set=usertimeout:0 get=usertimeout
	expect_do "defaults: TCP_KEEPIDLE 7200, TCP_KEEPINTVL 75, TCP_KEEPCNT 9, MSS 536" \
		"7200 75 9 0 0 0 536" \
		"$C" "$fam" get=keepidle get=keepintvl get=keepcnt get=usertimeout \
		get=nodelay get=cork get=maxseg
	expect_do "the bounds of Linux TCP are accepted" \
		"OK OK OK OK OK OK OK OK OK 32767 OK 127" \
		"$C" "$fam" set=keepidle:1 set=keepidle:32767 set=keepintvl:1 \
		set=keepintvl:32767 set=keepcnt:1 set=keepcnt:127 \
		set=maxseg:88 set=maxseg:32767 set=maxseg:0 get=keepintvl \
		set=keepcnt:127 get=keepcnt
	expect_do "values out of range are EINVAL" \
		"EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL" \
		"$C" "$fam" set=keepidle:0 set=keepidle:32768 set=keepintvl:0 \
		set=keepintvl:32768 set=keepcnt:0 set=keepcnt:128 \
		set=maxseg:87 set=maxseg:32768 set=maxseg:-1 \
		set=usertimeout:-1 set=keepidle:-5
	expect_do "TCP_CONGESTION: cubic by default, set and read back; an unknown name is ENOENT and changes nothing" \
		"cubic OK cubic ENOENT cubic" \
		"$C" "$fam" get=congestion set=congestion:cubic get=congestion \
		set=congestion:nosuchcc get=congestion
	expect_do "TCP_NOTSENT_LOWAT: 0 by default (the sysctl's), any int read back" \
		"0 OK 16384 OK -1 OK 0" \
		"$C" "$fam" get=notsentlowat set=notsentlowat:16384 \
		get=notsentlowat set=notsentlowat:-1 get=notsentlowat \
		set=notsentlowat:0 get=notsentlowat
	expect_do "TCP_CC_INFO: cubic has nothing to report, in 0 bytes" \
		"len=0" "$C" "$fam" get=ccinfo
	expect_do "a rejected value leaves the old one" \
		"OK EINVAL 30 OK EINVAL 1000" \
		"$C" "$fam" set=keepidle:30 set=keepidle:0 get=keepidle \
		set=maxseg:1000 set=maxseg:20 get=maxseg
	expect_do "an option value shorter than an int is EINVAL" \
		"EINVAL EINVAL EINVAL EINVAL" \
		"$C" "$fam" set-short=nodelay:1 set-short=keepidle:10 \
		set-short=usertimeout:10 set-short=tcp.99:1
	expect_do "unknown SOL_TCP options are ENOPROTOOPT" \
		"ENOPROTOOPT ENOPROTOOPT" \
		"$C" "$fam" set=tcp.99:1 get=tcp.99
	expect_do "SOL_SOCKET options: set, then get (the kernel doubles buffers)" \
		"OK 1 OK 0 OK 200000 OK 200000 OK 10 OK 1500 OK 2500 OK 1,7 0" \
		"$C" "$fam" set=keepalive:1 get=keepalive set=keepalive:0 \
		get=keepalive set=rcvbuf:100000 get=rcvbuf set=sndbuf:100000 \
		get=sndbuf set=rcvlowat:10 get=rcvlowat set=rcvtimeo:1500 \
		get=rcvtimeo set=sndtimeo:2500 get=sndtimeo set=linger:1,7 \
		get=linger get=error
	expect_do "SOL_IP options go to the IP layer" \
		"OK 16 OK 7" \
		"$C" "$fam" set=tos:16 get=tos set=ttl:7 get=ttl
	expect_do "TCP_INFO: as much of struct tcp_info as the buffer holds" \
		"8" \
		"$C" "$fam" infolen=8
	xc "$C" "$fam" infolen=1000
	case $fam in
	inet) INET_INFOLEN=${OUT[all]} ;;
	xtcp) expect "TCP_INFO is as long as Linux TCP's" \
		"${INET_INFOLEN:-}" "${OUT[all]}" ;;
	esac
	expect_do "ioctls on an unconnected socket: 0 bytes queued" \
		"0 0 0" \
		"$C" "$fam" ioctl=inq ioctl=outq ioctl=outqnsd
	expect_do "ioctls on a listener: EINVAL" \
		"OK OK EINVAL EINVAL EINVAL" \
		"$C" "$fam" bind=$C_ADDR:0 listen ioctl=inq ioctl=outq ioctl=outqnsd
	xc "$C" "$fam" do bind=$C_ADDR:0 listen info
	expect_match "TCP_INFO on a listener: state LISTEN" \
		"OK OK state=10 .*" "${OUT[all]}"
}
families "socket options without a connection" round_trips

# ---- On a connection ---------------------------------------------------

conn_info() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT read=2000 info ioctl=inq wait
	bg client "$C" "$cf" client $S_ADDR:$PORT send=2000 sleep=0.3 \
		info ioctl=outq ioctl=outqnsd set=rcvtimeo:300 time read=1 time \
		wait
	bg_wait client '^wait ready' && bg_wait server '^wait ready'
	go client
	go server
	bg_done client OUT
	served
	expect "SO_RCVTIMEO: a read with nothing to read says EAGAIN" EAGAIN \
		"${OUT[read]}"
	expect_match "after 0.3 s (in ms)" "(2[5-9]|[3-6][0-9])[0-9]" \
		"${OUT[time2]}"
	expect_match "client TCP_INFO: ESTABLISHED, nothing in flight" \
		"state=1 retransmits=0 probes=0 backoff=0 rto=[0-9]+ snd_mss=14[0-9][0-9] .* unacked=0 .*" \
		"${OUT[info]}"
	expect "client SIOCOUTQ and SIOCOUTQNSD: all acknowledged" "0 0" \
		"${OUT[ioctl]} ${OUT[ioctl2]}"
	expect_match "server TCP_INFO: ESTABLISHED" "state=1 .*" \
		"${SRV[info]}"
	expect "server FIONREAD after reading it all: 0" 0 "${SRV[ioctl]}"
	if [ "$cf" = xtcp ]; then
		expect_match "xtcp's TCP_INFO: MSS $ADVMSS less 12 timestamp bytes, path MTU 1500, RTO 0.2 s to 1 s" \
			"state=1 retransmits=0 probes=0 backoff=0 rto=([2-9][0-9]{5}|1000000) snd_mss=$((ADVMSS - 12)) rcv_mss=536 unacked=0 pmtu=1500 advmss=$ADVMSS snd_wnd=[1-9][0-9]* notsent=0 segs_in=[1-9][0-9]* len=[0-9]+" \
			"${OUT[info]}"
	fi
	if [ "$sf" = xtcp ]; then
		expect_match "xtcp's TCP_INFO after receiving 2000 bytes: rcv_mss $((ADVMSS - 12))" \
			"state=1 .* snd_mss=$((ADVMSS - 12)) rcv_mss=$((ADVMSS - 12)) unacked=0 pmtu=1500 advmss=$ADVMSS .*" \
			"${SRV[info]}"
	fi
}
pairings "TCP_INFO and the queues on a connection" conn_info

# FIONREAD counts unread bytes in order, and not the peer's FIN.
fionread() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT wait ioctl=inq read=1000 ioctl=inq \
		wait ioctl=inq read=5000 ioctl=inq
	bg client "$C" "$cf" client $S_ADDR:$PORT send=3000 wait shutdown wait
	bg_wait client '^wait ready' && bg_wait server '^wait ready'
	nap 0.5
	go server
	nap 0.5
	go client
	nap 0.5
	go server
	go client
	bg_done client OUT
	served
	expect "FIONREAD: 3000 unread, 2000 after reading 1000, 2000 after the FIN, 0 at the end" \
		"3000 bytes=1000 2000 2000 bytes=2000 0" \
		"${SRV[ioctl]} ${SRV[read]} ${SRV[ioctl2]} ${SRV[ioctl3]} ${SRV[read2]} ${SRV[ioctl4]:-}"
}
CLIENT=inet pairings "FIONREAD with data the server has not read" fionread

# SIOCOUTQ counts what the peer has not acknowledged, our FIN included.
outq() {
	local cf=$1

	silent_peer "$cf" wait send=1000 sleep=0.3 ioctl=outq ioctl=outqnsd \
		shutdown ioctl=outq ioctl=outqnsd info linger0 close
	expect "SIOCOUTQ 1000, SIOCOUTQNSD 0; after shutdown 1001 and 0" \
		"1000 0 OK 1001 0" \
		"${OUT[ioctl]} ${OUT[ioctl2]} ${OUT[shutdown]} ${OUT[ioctl3]} ${OUT[ioctl4]:-}"
	expect_match "TCP_INFO: FIN_WAIT1, data and FIN unacknowledged" \
		"state=4 .*" "${OUT[info]}"
}
clients "SIOCOUTQ with a peer that does not acknowledge" outq

# ---- Keepalive ---------------------------------------------------------

# seg_probes FILE ADDR: REPLY is how many keepalive probes ADDR sent: no
# data, ACK only, one byte behind what it sent so far (its ISN here: it
# sent no data). _answered is how many the peer acknowledged.
seg_probes() {
	local i isn='' peer_acks=0 after=0

	cap_load "$1"
	REPLY=0
	for i in "${!_src[@]}"; do
		if [ "${_src[i]}" = "$2" ]; then
			[[ ${_flags[i]} == S* ]] && isn=${_seq[i]}
			if [ "${_flags[i]}" = . ] && [ "${_len[i]}" = 0 ] &&
			   [ "${_seq[i]}" = "$isn" ]; then
				REPLY=$((REPLY + 1))
				after=1
			fi
		elif [ $after = 1 ] && [ "${_flags[i]}" = . ]; then
			peer_acks=$((peer_acks + 1))
			after=0
		fi
	done
	_answered=$peer_acks
}

ka_alive() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT wait
	bg client "$C" "$cf" client $S_ADDR:$PORT set=keepidle:1 \
		set=keepintvl:1 set=keepcnt:3 set=keepalive:1 info sleep=4.5 \
		info soerror send=100 sleep=0.3 ioctl=outq wait
	bg_wait client '^wait ready'
	cap_sync
	go client
	go server
	bg_done client OUT
	served
	seg_probes "$CAP" $C_ADDR
	expect_match "3 to 6 probes in 4.5 s of silence" "[3-6]" "$REPLY"
	expect "the peer answered each probe" "$REPLY" "$_answered"
	expect "the connection lives on: SO_ERROR 0, data goes through" \
		"OK bytes=100 0" "${OUT[soerror]} ${OUT[send]%% *} ${OUT[ioctl]}"
	expect_match "TCP_INFO: ESTABLISHED, no probe outstanding" \
		"state=1 retransmits=0 probes=[01] .*" "${OUT[info2]}"
	expect_fn "no RST" 0 seg_count "$CAP" $C_ADDR R.
}
pairings "answered keepalive probes keep the connection" ka_alive

# A listener's options pass to the connections it accepts.
ka_inherit() {
	local cf=$1 sf=$2

	bg server "$S" "$sf" do set=keepalive:1 set=keepidle:1 \
		set=keepintvl:1 set=keepcnt:3 set=usertimeout:4000 \
		bind=$S_ADDR:$PORT listen accept get=keepalive get=keepidle \
		get=keepintvl get=keepcnt get=usertimeout sleep=3.5 info wait
	bg_wait server '^listen OK'
	bg client "$C" "$cf" client $S_ADDR:$PORT wait
	bg_wait server '^wait ready'
	go client
	go server
	bg_done client OUT
	bg_done server SRV
	cap_sync
	expect "the accepted socket has the listener's options" \
		"1 1 1 3 4000" \
		"${SRV[get]} ${SRV[get2]} ${SRV[get3]} ${SRV[get4]:-} ${SRV[get5]:-}"
	expect_match "and is ESTABLISHED after 3.5 s of keepalive" \
		"state=1 .*" "${SRV[info]}"
	seg_probes "$CAP" $S_ADDR
	expect_match "it probed the idle client 2 to 4 times" "[2-4]" "$REPLY"
	expect "the client answered each probe" "$REPLY" "$_answered"
}
CLIENT=inet pairings "accepted connections inherit keepalive" ka_inherit

ka_dead() {
	local cf=$1

	silent_peer "$cf" set=keepidle:1 set=keepintvl:1 set=keepcnt:3 wait \
		set=keepalive:1 time poll=in time read=1 soerror
	expect "poll says POLLERR, then recv ETIMEDOUT" \
		"POLLIN|POLLERR|POLLHUP|POLLRDHUP ETIMEDOUT OK" \
		"${OUT[poll]} ${OUT[read]} ${OUT[soerror]}"
	expect_match "after 1 s idle and 3 probes 1 s apart: about 4 s (in ms)" \
		"3[5-9][0-9][0-9]|4[0-9][0-9][0-9]|5[0-4][0-9][0-9]" \
		"${OUT[time2]}"
	expect_fn "3 unanswered probes, one behind the ISN" 3 \
		seg_probes "$CAP" $C_ADDR
	expect_fn "then a RST" 1 seg_count "$CAP" $C_ADDR R.
}
clients "keepalive gives up on a silent peer with ETIMEDOUT" ka_dead

# A blind attacker who knows only the 4-tuple sends segments that fail the
# sequence check: they must not count as the peer heard from, or a dead
# peer's connection would be kept alive for ever (Linux TCP times its
# keepalive from acceptable segments only). The server falls silent by
# dropping what comes in (nft), so that the spoofed segments, sent from
# its namespace with its address, still reach the client.
ka_blind() {
	local cf=$1 cport=$((PORT + 500)) i

	serve "$S" inet $S_ADDR:$PORT wait
	bg client "$C" "$cf" client $S_ADDR:$PORT --bind $C_ADDR:$cport \
		set=keepidle:1 set=keepintvl:1 set=keepcnt:3 wait \
		set=keepalive:1 alarm=9 time read=1 time
	bg_wait client '^wait ready'
	n "$S" nft -f - <<-EOF
		table inet silent {
			chain in { type filter hook input priority 0; tcp dport $PORT drop; }
		}
	EOF
	go client
	for i in $(seq 1 40); do
		n "$S" python3 -S -E "$XTCP_ROOT/selftests/craft.py" $S_IP \
			$C_IP "$cport" --sport "$PORT" --flags A \
			--seq $((RANDOM * 65536 + RANDOM)) --ack $((RANDOM * 65536 + RANDOM))
		nap 0.2
		kill -0 "${_bg_pid[client]}" 2>/dev/null || break
	done
	bg_done client OUT
	n "$S" nft delete table inet silent
	go server
	served
	echo "# $cf client, keepalive 1+3x1 s, spoofed out-of-window segments every ~0.25 s: ${OUT[read]} after ${OUT[time2]:-?} ms"
	expect "the connection still times out: ETIMEDOUT, not the 9 s alarm" \
		ETIMEDOUT "${OUT[read]}"
}
clients "keepalive is not fed by spoofed segments" ka_blind

# ---- TCP_USER_TIMEOUT --------------------------------------------------

user_timeout() {
	local cf=$1

	silent_peer "$cf" set=usertimeout:1500 wait time send=1000 read=1 time
	expect "the pending data ends the connection with ETIMEDOUT" ETIMEDOUT \
		"${OUT[read]}"
	expect_match "within the 1.5 s user timeout (in ms)" \
		"1[4-9][0-9][0-9]|2[0-4][0-9][0-9]" "${OUT[time2]}"
	seg_rtx "$CAP" $C_ADDR
	expect_match "the data was retransmitted before" "[2-9]" "$REPLY"
}
clients "TCP_USER_TIMEOUT with a silent peer" user_timeout

# ---- TCP_NOTSENT_LOWAT -------------------------------------------------

# notsent_fill FAMILY WHAT: the client writes as much as it may while the
# server does not read (a 2 MB send buffer, far more than the peer's
# window), waits for what can go to go, and writes again: what stays
# unsent (SIOCOUTQNSD) is then what the mark, WHAT (opt, sysctl or none),
# lets it queue. poll() must not say writable until the server reads.
notsent_fill() {
	local cf=$1 what=$2 opt=()

	case $what in
	opt) opt=(set=notsentlowat:16384) ;;
	sysctl) n "$C" sysctl -qw net.ipv4.tcp_notsent_lowat=16384 \
		net.xtcp.notsent_lowat=16384 ;;
	esac
	serve "$S" inet $S_ADDR:$PORT wait recv
	bg client "$C" "$cf" client $S_ADDR:$PORT set=sndbuf:1048576 \
		"${opt[@]}" fill sleep=0.5 fill ioctl=outqnsd poll0=out wait \
		poll=out close
	bg_wait client '^wait ready'
	go server
	go client
	bg_done client OUT
	served
	n "$C" sysctl -qw net.ipv4.tcp_notsent_lowat=4294967295 \
		net.xtcp.notsent_lowat=4294967295
	local sent=$(( ${OUT[fill]#bytes=} + ${OUT[fill2]#bytes=} ))
	expect "$what: the server receives all that was written" \
		"bytes=$sent" "${SRV[recv]%% *}"
	REPLY=${OUT[ioctl]}
	[ "$what" = none ] && return
	check "$what: unsent bytes stop at the mark, 16384, and one buffer more ($REPLY)" \
		test "$REPLY" -ge 16384 -a "$REPLY" -lt $((16384 + 65536))
	expect "$what: not writable while they are over half the mark" \
		timeout "${OUT[poll]}"
	expect "$what: writable once the server reads (a wakeup)" \
		POLLOUT "${OUT[poll2]}"
}
notsent_lowat() {
	notsent_fill "$1" opt
	notsent_fill "$1" sysctl
	notsent_fill "$1" none
	check "without a mark the send buffer holds far more unsent ($REPLY)" \
		test "$REPLY" -ge $((16384 + 65536))
}
clients "TCP_NOTSENT_LOWAT and net.*.notsent_lowat bound what waits unsent" \
	notsent_lowat

# TCP_MAXSEG before connect: the SYN announces it and the sender uses it.
maxseg() {
	local cf=$1 sf=$2 i mss=''

	serve "$S" "$sf" $S_ADDR:$PORT recv
	xc "$C" "$cf" do set=maxseg:1000 connect=$S_ADDR:$PORT send=3000 info \
		get=maxseg close
	served
	cap_sync
	cap_load "$CAP"
	for i in "${!_src[@]}"; do
		[ "${_src[i]}/${_flags[i]}" = "$C_ADDR/S" ] && mss=${_opts[i]}
	done
	expect_match "the SYN announces MSS 1000" "(.*,)?mss:1000(,.*)?" "$mss"
	expect "the server got everything" "bytes=3000" "${SRV[recv]%% *}"
	if [ "$cf" = xtcp ]; then
		expect_match "TCP_MAXSEG and TCP_INFO say 1000 less the 12 timestamp bytes once connected, as Linux TCP" \
			"state=1 .* snd_mss=988 .* pmtu=1500 advmss=1000 .* get 988 OK" \
			"${OUT[info]} get ${OUT[get]} ${OUT[close]}"
	fi
}
pairings "TCP_MAXSEG clamps the MSS" maxseg

cap_stop
done_testing
