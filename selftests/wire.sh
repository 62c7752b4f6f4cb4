#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# When segments and acknowledgments go on the wire: Nagle, TCP_NODELAY and
# TCP_CORK; sender silly window avoidance; the delayed ACK and the ACK for
# every second full-sized segment; the handshake's RTT sample, Karn's rule
# and timestamps timing a retransmission; GSO super-segments, whole or cut
# to the MSS on the wire; TCP_CONGESTION changed on a live connection, the
# net.xtcp.congestion_control default, and the xtcp_cwnd tracepoint. Each
# sending case runs for an xtcp and, as the control, a Linux TCP sender
# (CLIENT= narrows them), each receiving case for both receivers
# (SERVER=), with the same expectations unless a check says it is xtcp's
# alone; the peer is Linux TCP, but for sender SWS avoidance (see there).
# Captures (on the client's side) are judged by what they hold, not by
# when, except where a check says what clock it reads and how much slack
# it allows. The cases are a table (WIRE, at the end): each names the
# function that runs its traffic and lists its checks, most of them
# wirecheck.py's on the capture.
. "$(dirname "$0")/lib.sh"

MSS=1448		# 1500 less IP, TCP and timestamp option
[ "$XTCP_FAMILY" = 6 ] && MSS=1428	# IPv6's header is 20 bytes longer
TRACING=/sys/kernel/tracing

net_pair
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"

# wait_count FILE REGEX N: wait (10 s at most) until N lines of FILE match.
wait_count() {
	local i line lines k

	for ((i = 0; i < 200; i++)); do
		k=0
		mapfile -t lines <"$1"
		for line in "${lines[@]}"; do
			[[ $line =~ $2 ]] && k=$((k + 1))
		done
		[ $k -ge "$3" ] && return 0
		nap 0.05
	done
	return 1
}

# netem NS DEV ARGS...: a netem qdisc on DEV in NS ("off" removes it).
netem() {
	if [ "$3" = off ]; then
		tc -n "$1" qdisc del dev "$2" root 2>/dev/null
	else
		tc -n "$1" qdisc replace dev "$2" root netem "${@:3}"
	fi
}

# intact DESC: the server read what the client wrote (the stream= and
# writes= lines give the whole stream's length and digest so far).
intact() {
	local last=${OUT[stream]} k

	for k in stream2 stream3 stream4; do
		[ -n "${OUT[$k]:-}" ] && last=${OUT[$k]}
	done
	if [ -n "$last" ] && [ "${SRV[recv]}" = "$last" ]; then
		pass "$1"
	else
		fail "$1" "client sent: ${last:-?}" "server read: ${SRV[recv]:-?}"
	fi
}

# wire DESC CHECK [ARG...]: pass when wirecheck.py's CHECK holds for the
# capture's segments on $PORT (at the last cap_sync).
wire() {
	cap_check "$1" wire_check "$2" "$CAP" "${@:3}"
}

# ---- Nagle, TCP_NODELAY, TCP_CORK: the cases' traffic ------------------
#
# Each sending case runs its traffic (one function below) and then the
# checks the table at the end lists for it; wirecheck.py judges the
# client's data segments, new data only (retransmissions left out).

# small_writes CF SF NODELAY: 40 writes of 20 bytes with TCP_NODELAY set
# to NODELAY, the server's ACKs 50 ms on their way. Nagle holds each
# small write while data is unacknowledged (nagle_waits), so the first
# leaves at once and the rest coalesce (nagle_coalesces); with
# TCP_NODELAY no write waits (nodelay_early), and xtcp, whose congestion
# window counts bytes, sends each write as a segment of its own
# (nodelay_each: Linux TCP's counts packets, 10 at first, and then
# coalesces what waits).
small_writes() {
	netem "$S" xv1 delay 50ms
	serve "$S" "$2" $S_ADDR:$PORT recv
	xc "$C" "$1" client $S_ADDR:$PORT set=nodelay:$3 writes=40:20 drain \
		shutdown
	served
	netem "$S" xv1 off
	cap_sync
}

# cork CF SF: corked (TCP_NODELAY on as well: TCP_CORK wins), 2000 bytes
# in 100-byte writes: one full segment while corked, the 552 left over
# when uncorked; then 500 bytes in 5 writes leave as one segment when
# uncorked. _uncork holds the CLOCK_REALTIME readings (us) before and
# after each uncork, for uncorked.
cork() {
	local re='real=([0-9]+)' k

	serve "$S" "$2" $S_ADDR:$PORT recv
	xc "$C" "$1" client $S_ADDR:$PORT set=nodelay:1 set=cork:1 \
		writes=20:100 sleep=0.02 now set=cork:0 now drain \
		set=cork:1 writes=5:100 sleep=0.02 now set=cork:0 now drain \
		shutdown
	served
	cap_sync
	_uncork=()
	for k in now now2 now3 now4; do
		if [[ ${OUT[$k]:-} =~ $re ]]; then
			_uncork+=("${BASH_REMATCH[1]}")
		else
			_uncork+=("")
		fi
	done
}

# ---- Sender silly window avoidance -------------------------------------

# sws CF SF: 64 KiB into a receiver with a 4 KiB buffer that stalls for
# 1.5 s. What a sender that waits for the window to open usefully does
# not send (sws_none): a segment of new data shorter than a full segment
# and than half the largest window the receiver offered so far, without
# PSH (so not the last byte the application queued, which is Nagle's to
# decide), either with data in flight or within 150 ms of the receiver's
# latest segment. Only the persist timer (at least rto_min_ms, 200 ms)
# may send such a segment, with nothing in flight.
sws() {
	xs_run "$1" "$2" "--bytes 0 --rcvbuf 4096 --stall 1500 --timeout 60" \
		"--bytes 64K --timeout 60"
	cap_sync
}

# ---- Acknowledgments ---------------------------------------------------

# acks CF SF: one 100-byte segment, then after 1 s 20 full segments at
# once (the client's window restarts after the idle second, at 10
# segments). The server reads nothing until it is all there: the window
# updates that reading sends would acknowledge as well. The delayed ACK
# timer runs 40 ms; a timer never fires early, and a loaded machine may
# let it fire late (acks_delayed). Of twenty segments, at least 5 ACKs
# each cover two (acks_every_second).
acks() {
	serve "$S" "$2" $S_ADDR:$PORT sleep=2.5 recv
	xc "$C" "$1" client $S_ADDR:$PORT stream=100 sleep=1 \
		stream=$((20 * MSS)) drain shutdown
	served
	cap_sync
}

# ---- RTT samples: the handshake, Karn's rule, timestamps ------------------

RTT_RE='srtt=([0-9]+) .*rto=([0-9]+) retrans=([0-9]+)'

# srtt_on_path DESC RESULT: RESULT ("rtt srtt=US ...", xconn's rtt OP)
# has an srtt that follows the 30 ms path these scenarios delay one way:
# 25 to 300 ms, room for a loaded machine, far below the 1 s RTO a TCP
# without a sample starts with, and above 0, which is no sample at all.
srtt_on_path() {
	if [[ $2 =~ $RTT_RE ]] && [ "${BASH_REMATCH[1]}" -ge 25000 ] &&
	   [ "${BASH_REMATCH[1]}" -lt 300000 ]; then
		pass "$1"
	else
		fail "$1" "TCP_INFO: ${2:-none} (srtt 25000 to 300000 us expected)"
	fi
}

# handshake_rtt CF SF: the server's segments take 30 ms. Both ends time
# the handshake (RFC 6298 3; the SYN-ACK for the client, the SYN-ACK's
# ACK for the server), so each has its first sample before any data
# moves.
handshake_rtt() {
	netem "$S" xv1 delay 30ms
	serve "$S" "$2" $S_ADDR:$PORT rtt recv
	xc "$C" "$1" client $S_ADDR:$PORT rtt stream=100 shutdown
	served
	netem "$S" xv1 off
	echo "# ${_t_prefix}client ${OUT[rtt]} / server ${SRV[rtt]}"
}

# The server's segments take 30 ms; the client's first data segment is
# lost (netem drops everything for a moment) and goes again after an RTO.
# Without timestamps, Karn's rule (RFC 6298 3) forbids a sample from the
# ACK of the retransmission: it would count the RTO in the round trip. With
# them, the ACK echoes the retransmission's TSval and times it exactly
# (RFC 7323 4.1): srtt moves, and stays on the path. The server is Linux
# TCP, told whether to negotiate timestamps.
karn() {
	local cf=$1 sf=$2 ts=$3 srtt0 srtt1

	n "$S" sysctl -qw net.ipv4.tcp_timestamps="$ts"
	netem "$S" xv1 delay 30ms
	serve "$S" "$sf" $S_ADDR:$PORT recv
	bg client "$C" "$cf" client $S_ADDR:$PORT wait rtt stream=100 wait \
		drain rtt stream=100 drain rtt shutdown
	bg_wait client '^wait ready'
	netem "$C" xv0 loss 100%
	go client
	wait_count "${_bg_out[client]}" '^wait ready' 2
	netem "$C" xv0 off
	go client
	bg_done client OUT
	served
	netem "$S" xv1 off
	n "$S" sysctl -qw net.ipv4.tcp_timestamps=1
	intact "the data arrives intact"
	echo "# $_t_prefix${OUT[rtt]} / ${OUT[rtt2]} / ${OUT[rtt3]}"
	srtt_on_path "before the loss, srtt follows the path" "${OUT[rtt]}"
	[[ ${OUT[rtt]} =~ $RTT_RE ]] && srtt0=${BASH_REMATCH[1]}
	if [[ ${OUT[rtt2]} =~ $RTT_RE ]] && [ "${BASH_REMATCH[3]}" -ge 1 ]; then
		pass "the first transmission was lost and sent again"
		srtt1=${BASH_REMATCH[1]}
	else
		fail "the first transmission was lost and sent again" \
			"after the loss: ${OUT[rtt2]:-?}; drain: ${OUT[drain]}"
	fi
	if [ "$ts" = 0 ]; then
		expect "no sample from the retransmission's ACK: srtt unchanged" \
			"${srtt0:-?}" "${srtt1:-none}"
	elif [ -n "${srtt0:-}" ] && [ "${srtt1:-$srtt0}" != "$srtt0" ]; then
		srtt_on_path "the retransmission's ACK is timed by its echo: srtt moved, on the path" \
			"${OUT[rtt2]}"
	else
		fail "the retransmission's ACK is timed by its echo: srtt moved, on the path" \
			"srtt ${srtt0:-?} before, ${srtt1:-?} after"
	fi
	srtt_on_path "after the next segment, srtt follows the path" \
		"${OUT[rtt3]}"
}
karn_plain() { karn "$1" "$2" 0; }
karn_ts() { karn "$1" "$2" 1; }

# ---- GSO super-segments -------------------------------------------------

GSO_BYTES=$((1 << 20))

# gso CF SF on|off: 1 MiB from the client, nothing back, with the client's
# device taking TSO (transmit checksum on) or not (off, as net_pair leaves
# it); _outsegs is how much the client's OutSegs grew. The sender hands
# IP several segments' worth of new data at once: where the device takes
# TSO, they cross the veth whole, and the capture shows segments longer
# than the MSS (gso_whole); where it does not, software GSO cuts them to
# the MSS (gso_cut), each with a correct checksum. OutSegs counts
# segments on the wire, not buffers, either way.
gso() {
	local before

	[ "$3" = on ] && n "$C" ethtool -K xv0 tx on tso on gso on >/dev/null 2>&1
	stack_counter "$C" "$1" OutSegs
	before=$REPLY
	xs_run "$1" "$2" "--bytes 0" "--bytes $GSO_BYTES"
	stack_counter "$C" "$1" OutSegs
	_outsegs=$((REPLY - before))
	cap_sync
	[ "$3" = on ] && n "$C" ethtool -K xv0 tx off >/dev/null 2>&1
	return 0
}

# ---- Congestion control and the xtcp_cwnd tracepoint -------------------

# trace_start: the xtcp_cwnd events from now on, stamped by
# CLOCK_MONOTONIC; trace_stop FILE: stop and keep them in FILE.
_old_clock=
trace_start() {
	[ -d $TRACING/events/xtcp/xtcp_cwnd ] || return 1
	_old_clock=$(sed -E 's/.*\[(.*)\].*/\1/' $TRACING/trace_clock)
	echo mono >$TRACING/trace_clock && echo >$TRACING/trace &&
		echo 1 >$TRACING/events/xtcp/xtcp_cwnd/enable
}

trace_stop() {
	echo 0 >$TRACING/events/xtcp/xtcp_cwnd/enable
	cat $TRACING/trace >"$1"
	[ -z "$_old_clock" ] || echo "$_old_clock" >$TRACING/trace_clock
}

# cwnd_events FILE: the events of the connection to $S_ADDR:$PORT in the
# arrays _ev_us (CLOCK_MONOTONIC), _ev_cwnd, _ev_ssthresh, _ev_mss,
# _ev_rec (1 in loss recovery) and _ev_local (its local address:port).
# An end is A.B.C.D:P, or [IPV6]:P over IPv6.
cwnd_events() {
	local end='([0-9.]+|\[[0-9a-f:]+\]):[0-9]+'
	local line re=" ([0-9]+)\\.([0-9]{6}): xtcp_cwnd: ($end) ($end) cwnd=([0-9]+) ssthresh=([0-9]+) mss=([0-9]+)( recovery)?"

	_ev_us=() _ev_cwnd=() _ev_ssthresh=() _ev_mss=() _ev_local=() _ev_rec=()
	while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		[ "${BASH_REMATCH[5]}" = "$S_ADDR:$PORT" ] || continue
		_ev_us+=($((10#${BASH_REMATCH[1]}${BASH_REMATCH[2]})))
		_ev_local+=("${BASH_REMATCH[3]}")
		_ev_cwnd+=("${BASH_REMATCH[7]}")
		_ev_ssthresh+=("${BASH_REMATCH[8]}")
		_ev_mss+=("${BASH_REMATCH[9]}")
		_ev_rec+=($([ -n "${BASH_REMATCH[10]}" ] && echo 1 || echo 0))
	done <"$1"
}

cwnd_trace() {
	local cf=$1 sf=$2 trace i bad=0 max=0 laddr

	if ! trace_start; then
		skip "xtcp_cwnd events during a transfer" \
			"no $TRACING/events/xtcp/xtcp_cwnd"
		return
	fi
	serve "$S" "$sf" $S_ADDR:$PORT recv
	xc "$C" "$cf" client $S_ADDR:$PORT getsockname stream=1048576 drain \
		shutdown
	served
	tmpfile trace cwnd-trace
	trace_stop "$trace"
	intact "1 MiB arrives intact"
	cwnd_events "$trace"
	laddr=${OUT[getsockname]#"$AF "}
	echo "# $_t_prefix${#_ev_cwnd[@]} events; cwnd ${_ev_cwnd[0]:-?} .. ${_ev_cwnd[-1]:-?}"
	if [ ${#_ev_cwnd[@]} -ge 10 ]; then
		pass "the tracepoint fires during the transfer (at least 10 events)"
	else
		fail "the tracepoint fires during the transfer (at least 10 events)" \
			"${#_ev_cwnd[@]} events for $S_ADDR:$PORT"
		return
	fi
	for i in "${!_ev_cwnd[@]}"; do
		[ "${_ev_cwnd[i]}" -gt $max ] && max=${_ev_cwnd[i]}
		if [ "${_ev_local[i]}" != "$laddr" ] || [ "${_ev_mss[i]}" != $MSS ] ||
		   [ "${_ev_cwnd[i]}" -lt $MSS ] || [ "${_ev_cwnd[i]}" -gt 67108864 ] ||
		   [ "${_ev_ssthresh[i]}" -lt $((2 * MSS)) ]; then
			bad=$((bad + 1))
		fi
	done
	if [ $bad -eq 0 ]; then
		pass "every event names the connection ($laddr) and has mss $MSS, cwnd from 1 MSS to 64 MiB, ssthresh at least 2 MSS"
	else
		fail "every event names the connection ($laddr) and has mss $MSS, cwnd from 1 MSS to 64 MiB, ssthresh at least 2 MSS" \
			"$bad of ${#_ev_cwnd[@]} events are not:" \
			"$(grep -m 5 "$S_ADDR:$PORT" "$trace")"
	fi
	if [ $max -gt "${_ev_cwnd[0]}" ] && [ $max -gt $((10 * MSS)) ]; then
		pass "the window grows past the initial 10 segments ($max bytes)"
	else
		fail "the window grows past the initial 10 segments" \
			"first ${_ev_cwnd[0]}, largest $max"
	fi
}

# TCP_CONGESTION set to newreno between two halves of a transfer, with the
# first half still unacknowledged, over a path that loses 1.5% of the
# client's segments. What the tracepoint shows of the algorithm: entering
# loss recovery from congestion avoidance, NewReno sets ssthresh to half
# the flight (RFC 5681 (4)), at most half the window before the loss plus
# half a segment; CUBIC keeps 0.7 of it, more than that once the flight
# fills the window (the receiver's window is made large for that).
cc_switch() {
	local cf=$1 sf=$2 trace at='' upto='' i prev entry nr=0 nr_bad=0 cu=0
	local cu_big=0
	local re='mono=([0-9]+)' why=() bound

	if ! trace_start; then
		skip "TCP_CONGESTION changed mid-transfer" \
			"no $TRACING/events/xtcp/xtcp_cwnd"
		return
	fi
	# netem drops whole skbs: with GSO, 1.5% of super-segments would
	# be too few losses in 1.2 MB to see recoveries under both
	# algorithms. One segment per skb here, as loss on a wire.
	n "$C" sysctl -qw net.xtcp.gso=0
	netem "$C" xv0 loss 1.5%
	# A receive buffer (8 MB) whose window never limits the flight.
	bg server "$S" "$sf" do set=rcvbufforce:4194304 bind=$S_ADDR:$PORT \
		listen accept recv
	bg_wait server '^listen '
	xc "$C" "$cf" client $S_ADDR:$PORT get=congestion stream=400000 \
		ioctl=outq now set=congestion:newreno now get=congestion \
		stream=800000 drain get=congestion shutdown
	bg_done server SRV
	netem "$C" xv0 off
	n "$C" sysctl -qw net.xtcp.gso=1
	tmpfile trace cc-trace
	trace_stop "$trace"
	intact "1.2 MB arrive intact across the switch"
	expect "TCP_CONGESTION: cubic, then newreno, set while data is in flight, to the end" \
		"cubic OK newreno newreno" \
		"${OUT[get]} ${OUT[set]} ${OUT[get2]} ${OUT[get3]}"
	if [ "${OUT[ioctl]:-0}" -gt 0 ]; then
		pass "the switch came mid-transfer (${OUT[ioctl]} bytes unacknowledged)"
	else
		# Whether the first 400 KB were all acknowledged when the
		# switch came is up to timing: then the case was not met.
		skip "the switch came mid-transfer" \
			"all was acknowledged at the switch (SIOCOUTQ ${OUT[ioctl]:-?})"
	fi
	# Events between the clock readings around setsockopt() may come
	# from either algorithm: left out.
	[[ ${OUT[now]} =~ $re ]] && at=${BASH_REMATCH[1]}
	[[ ${OUT[now2]} =~ $re ]] && upto=${BASH_REMATCH[1]}
	cwnd_events "$trace"
	for i in "${!_ev_us[@]}"; do
		# Recoveries entered from congestion avoidance, where the
		# flight fills the window.
		[ "$i" -gt 0 ] && [ "${_ev_rec[i]}" = 1 ] &&
			[ "${_ev_rec[i - 1]}" = 0 ] &&
			[ "${_ev_cwnd[i - 1]}" -ge "${_ev_ssthresh[i - 1]}" ] ||
			continue
		prev=${_ev_cwnd[i - 1]}
		bound=$(((prev + MSS) / 2))
		[ $bound -ge $((2 * MSS)) ] || bound=$((2 * MSS))
		entry="cwnd $prev -> ssthresh ${_ev_ssthresh[i]}"
		if [ "${_ev_us[i]}" -lt "${at:-0}" ]; then
			cu=$((cu + 1))
			[ "${_ev_ssthresh[i]}" -gt $bound ] && cu_big=$((cu_big + 1))
		elif [ "${_ev_us[i]}" -gt "${upto:-0}" ]; then
			nr=$((nr + 1))
			if [ "${_ev_ssthresh[i]}" -gt $bound ]; then
				nr_bad=$((nr_bad + 1))
				why+=("$entry (more than $bound)")
			fi
		fi
	done
	echo "# $_t_prefix""recoveries from congestion avoidance: $cu under cubic ($cu_big kept more than half), $nr under newreno"
	if [ $nr -eq 0 ]; then
		skip "xtcp_cwnd: after the switch, loss recovery halves the window (NewReno)" \
			"no loss recovery from congestion avoidance after the switch this time"
	elif [ $nr_bad -eq 0 ]; then
		pass "xtcp_cwnd: after the switch, loss recovery halves the window (NewReno)"
	else
		fail "xtcp_cwnd: after the switch, loss recovery halves the window (NewReno)" \
			"$nr recoveries after the switch; these kept more:" "${why[@]}"
	fi
}

# net.xtcp.congestion_control is the default for new sockets of its
# namespace, connected or not; TCP_CONGESTION still overrides it.
cc_default() {
	local cf=$1 sf=$2

	n "$C" sysctl -qw net.xtcp.congestion_control=newreno
	expect_do "a new socket takes the namespace's default" "newreno" \
		"$C" "$cf" get=congestion
	serve "$S" "$sf" $S_ADDR:$PORT recv
	xc "$C" "$cf" client $S_ADDR:$PORT get=congestion send=1000 \
		get=congestion new set=congestion:cubic get=congestion
	served
	n "$C" sysctl -qw net.xtcp.congestion_control=cubic
	expect "and keeps it once connected; TCP_CONGESTION overrides it" \
		"newreno newreno cubic" \
		"${OUT[get]} ${OUT[get2]} ${OUT[get3]}"
	expect_do "another namespace keeps its own default" "cubic" \
		"$S" "$cf" get=congestion
}

# ---- The cases ---------------------------------------------------------
#
# One row a line. A case:
#   case CLIENT SERVER FN [ARG...] :: DESCRIPTION
# runs "FN CF SF ARG..." for each pairing of a client family in CLIENT and
# a server family in SERVER ("*": both, or what CLIENT= and SERVER= say),
# then the check rows under it, in order, those whose PAIRING (a pattern:
# "*", "xtcp->*", "*->xtcp") matches the pairing's "CF->SF":
#   PAIRING CHECK [ARG...] :: MESSAGE
# which run "CHECK MESSAGE ARG..." and pass or fail as MESSAGE: "wire
# NAME" for wirecheck.py's NAME on the capture (see there), or a function
# of lib.sh or above. An ARG "%NAME" is the variable NAME (OUT[rtt]...)
# once the traffic ran; "must CHECK..." ends the case when CHECK fails.
# A case whose function checks what it needs itself has no check rows.
WIRE=(
"case * inet small_writes 0 :: Nagle: small writes coalesce"
"*	intact :: 40 writes of 20 bytes arrive intact"
"*	wire nagle_waits $C_ADDR :: no small segment leaves while data is unacknowledged"
"*	wire nagle_coalesces $C_ADDR :: the first write leaves at once, the rest coalesce into fewer, larger segments"

"case * inet small_writes 1 :: TCP_NODELAY: each small write leaves at once"
"*	intact :: 40 writes of 20 bytes arrive intact"
"*	wire nodelay_early $C_ADDR :: small segments leave without waiting for acknowledgments"
"xtcp->* wire nodelay_each $C_ADDR :: xtcp: each write leaves as a segment of its own"

"case * inet cork :: TCP_CORK holds small writes until a full MSS or uncork"
"*	intact :: 2500 bytes in 100-byte writes arrive intact"
"*	wire data_lens $C_ADDR $MSS $((2000 - MSS)) 500 :: corked: one full segment, the rest at uncork; then 5 writes as one segment"
"*	wire uncorked $C_ADDR $MSS %_uncork[0] %_uncork[1] %_uncork[2] %_uncork[3] %OUT[all] :: the remainder leaves during setsockopt(TCP_CORK, 0)"

# The receiver is xtcp: Linux TCP offers its window in whole segments when
# it is small (its own silly window avoidance), xtcp offers a quarter of
# its free buffer, which leaves windows a segment does not fill.
"case * xtcp sws :: sender SWS avoidance against a small receive window"
"*	xs_intact client server $((64 * 1024)) :: 64 KiB reach the receiver with a small buffer intact"
"*	wire sws_exercised $C_ADDR $S_ADDR $MSS :: the receiver's window closed (the case is exercised)"
"*	wire sws_none $C_ADDR $S_ADDR $MSS :: no tiny segment goes into a barely open window"

"case inet * acks :: ACKs: one delayed, every second full segment at once"
"*	intact :: 100 bytes, then 20 full segments, arrive intact"
"*	must wire acks_lone $C_ADDR $MSS :: the lone segment is acknowledged"
"*	wire acks_once $C_ADDR $MSS :: the lone segment went once (no retransmission before the ACK)"
"*->xtcp wire acks_delayed $C_ADDR $MSS 35 500 :: xtcp: its ACK is delayed, within 35 to 500 ms (40 ms nominal)"
"*->xtcp wire acks_every_second $C_ADDR $MSS :: xtcp: every second full segment is acknowledged at once"

"case * * handshake_rtt :: the handshake gives the first RTT sample"
"*	intact :: the data arrives intact"
"*	srtt_on_path %OUT[rtt] :: the client's first RTT sample is its SYN's"
"*	srtt_on_path %SRV[rtt] :: the server's first RTT sample is its SYN-ACK's"

"case * inet karn_plain :: Karn: no RTT sample from a retransmission"
"case * inet karn_ts :: timestamps time a retransmission's ACK"

"case * * gso on :: GSO: super-segments cross the veth whole where the device takes TSO"
"*	xs_intact client server $GSO_BYTES :: 1 MiB arrives intact"
"*	wire gso_whole $C_ADDR $MSS %_outsegs :: with TSO on the device, super-segments cross the veth whole"
"*	check test %_outsegs -ge $((GSO_BYTES / MSS)) :: OutSegs counts segments on the wire ($((GSO_BYTES / MSS)) at least), not skbs"
"case * * gso off :: GSO: super-segments cut to the MSS where the device cannot"
"*	xs_intact client server $GSO_BYTES :: 1 MiB arrives intact"
"*	wire gso_cut $C_ADDR $MSS %_outsegs :: without TSO, no data segment on the wire exceeds the MSS"
"*	wire seg_csum_ok :: and every segment has a correct TCP checksum"

"case xtcp inet cwnd_trace :: the xtcp_cwnd tracepoint"
"case xtcp inet cc_switch :: TCP_CONGESTION changed mid-transfer"
"case xtcp inet cc_default :: net.xtcp.congestion_control governs new sockets"
)

# _case CF SF: the case in _case_fn and _case_checks for one pairing.
_case() {
	local row i var args fails

	"${_case_fn[0]}" "$1" "$2" "${_case_fn[@]:1}"
	for row in "${_case_checks[@]}"; do
		read -ra args <<<"${row%% :: *}"
		# shellcheck disable=SC2053 # the pairing is a pattern
		[[ "$1->$2" == ${args[0]} ]] || continue
		for i in "${!args[@]}"; do
			var=${args[i]#%}
			[ "$var" = "${args[i]}" ] || args[i]=${!var}
		done
		fails=$_t_fail
		if [ "${args[1]}" = must ]; then
			"${args[2]}" "${row#* :: }" "${args[@]:3}"
			[ "$_t_fail" = "$fails" ] || return 0
		else
			"${args[1]}" "${row#* :: }" "${args[@]:2}"
		fi
	done
}

# wire_cases: each case of WIRE for its pairings; with WIRE_CASES set
# (function names, space-separated), those cases only.
wire_cases() {
	local row cl sv desc

	_case_fn=() _case_checks=()
	for row in "${WIRE[@]}" "case - - end"; do
		if [[ $row != "case "* ]]; then
			_case_checks+=("$row")
			continue
		fi
		[ ${#_case_fn[@]} -eq 0 ] ||
			[[ -n ${WIRE_CASES:-} && " $WIRE_CASES " != *" ${_case_fn[0]} "* ]] ||
			CLIENT=$cl SERVER=$sv pairings "$desc" _case
		desc=${row#* :: }
		read -r _ cl sv row <<<"${row%% :: *}"
		[ "$cl" = "*" ] && cl=$CLIENT
		[ "$sv" = "*" ] && sv=$SERVER
		read -ra _case_fn <<<"$row"
		_case_checks=()
	done
}
wire_cases

cap_stop
done_testing
