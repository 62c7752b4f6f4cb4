#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Flow control, for every pairing of Linux TCP and xtcp (CLIENT=, SERVER=
# narrow them): the server has a small receive buffer and reads slowly,
# first not at all for a while, so its window closes. The client's send()
# blocks; the capture shows the server advertising a zero window and the
# client probing it (persist) until it opens again; every byte arrives
# intact; and the server's receive memory stays within its buffer.
. "$(dirname "$0")/lib.sh"

BYTES=512K	# client to server; the server sends nothing
RCVBUF=8192		# asked for; the kernel doubles it for overhead
STALL_MS=4000		# the server reads nothing for this long at first
PROBE_DUE_MS=2500	# a window closed this long must have been probed:
			# the persist timer starts at the RTO (1 s at first)
SLOW_MS=2		# then 1 KiB every SLOW_MS ms
LIMIT=120		# seconds for the whole transfer
# What one segment may add to the receive memory past the buffer: the
# receiver admits a segment while under its buffer, and the payload
# comes with its sk_buff's overhead (truesize).
SLACK=4096

net_pair
tmpfile CAP capture
cap_start "$S" xv1 "$CAP"

# persist_scan FILE RECEIVER SENDER: from the capture FILE, decoded with
# times, the segments of $PORT. Counts in _zeros the segments in which
# RECEIVER advertised a zero window; the longest time its window stayed
# closed in _closed_ms; and in _probes the segments SENDER sent into a
# closed window at least 100 ms after it closed (so not data already in
# flight when it closed) that probe it: new data at the acknowledged
# point (RFC 9293 3.8.6.1: at least one octet), or empty and one below it
# (what Linux TCP sends). Either forces the receiver to answer.
persist_scan() {
	local src dst flags seq ack win len opts csum t i shift=0 syns=0
	local closed=0 since=0 last_ack=0 us
	local -a lines

	python3 -S -E "$PCAP" -t "$1" >"$1.t.txt"
	mapfile -t lines <"$1.t.txt"
	_zeros=0 _probes=0 _closed_ms=0 _nsegs=${#lines[@]}
	# Window scaling: RECEIVER's shift if both SYNs carried the option.
	for i in "${lines[@]}"; do
		read -r src _ dst flags _ _ _ _ opts _ <<<"$i"
		[ "${src##*:}" = "$PORT" ] || [ "${dst##*:}" = "$PORT" ] || continue
		[[ $flags == S* && ,${opts#opts=}, =~ ,wscale:([0-9]+), ]] || continue
		syns=$((syns + 1))
		[ "${src%:*}" = "$2" ] && shift=${BASH_REMATCH[1]}
	done
	[ $syns -ge 2 ] || shift=0
	for i in "${lines[@]}"; do
		read -r src _ dst flags seq ack win len _ _ t <<<"$i"
		[ "${src##*:}" = "$PORT" ] || [ "${dst##*:}" = "$PORT" ] || continue
		[[ $flags == *S* || $flags == *R* ]] && continue
		seq=${seq#seq=} ack=${ack#ack=} win=${win#win=} len=${len#len=}
		t=${t#t=}
		us=$((10#${t%.*} * 1000000 + 10#${t#*.}))
		if [ "${src%:*}" = "$2" ] && [[ $flags == *.* ]]; then
			last_ack=$ack
			if [ $((win << shift)) -eq 0 ]; then
				_zeros=$((_zeros + 1))
				[ $closed -eq 1 ] || since=$us
				closed=1
			elif [ $closed -eq 1 ]; then
				closed=0
				[ $(((us - since) / 1000)) -gt $_closed_ms ] &&
					_closed_ms=$(((us - since) / 1000))
			fi
		elif [ "${src%:*}" = "$3" ] && [ $closed -eq 1 ] &&
		     [ $((us - since)) -ge 100000 ]; then
			if { [ "$len" -gt 0 ] && [ "$seq" -eq "$last_ack" ]; } ||
			   { [ "$len" -eq 0 ] &&
			     [ "$seq" -eq $(((last_ack - 1) & 0xffffffff)) ]; }; then
				_probes=$((_probes + 1))
			fi
		fi
	done
	if [ $closed -eq 1 ] && [ $(((us - since) / 1000)) -gt $_closed_ms ]; then
		_closed_ms=$(((us - since) / 1000))
	fi
}

slow_reader() {
	local cf=$1 sf=$2 t0 t1 rmem rcvbuf bound

	t0=$EPOCHREALTIME
	xs_run "$cf" "$sf" \
		"--bytes 0 --rcvbuf $RCVBUF --stall $STALL_MS --slow-read $SLOW_MS --timeout $LIMIT" \
		"--bytes $BYTES --timeout $LIMIT"
	t1=$EPOCHREALTIME
	cap_sync
	xs_intact "${BYTES%K} KiB reach the slow reader intact" client server \
		$((${BYTES%K} * 1024))
	echo "# $_t_prefix$(((${t1/./} - ${t0/./}) / 1000)) ms; server ${XS_S[time]:-${XS_S[timeout]:-?}}"

	persist_scan "$CAP" $S_ADDR $C_ADDR
	echo "# $_t_prefix$_zeros zero-window segments from the server, closed for $_closed_ms ms at most; $_probes probes from the client"
	if [ $_zeros -gt 0 ]; then
		pass "the server advertises a zero window"
	else
		fail "the server advertises a zero window" \
			"none of the $_nsegs segments both ways has win=0"
	fi
	if [ $_probes -gt 0 ]; then
		pass "the client probes the zero window (persist)"
	elif [ $_closed_ms -lt $PROBE_DUE_MS ]; then
		skip "the client probes the zero window (persist)" \
			"the window never stayed closed ${PROBE_DUE_MS} ms"
	else
		fail "the client probes the zero window (persist)" \
			"the window stayed closed for $_closed_ms ms and the client sent no probe"
	fi

	if [[ ${XS_S[rmem]} =~ ^max=([0-9]+)\ rcvbuf=([0-9]+)$ ]]; then
		rmem=${BASH_REMATCH[1]} rcvbuf=${BASH_REMATCH[2]}
		# In-order text that frees the out-of-order queue may take the
		# receive queue to twice SO_RCVBUF (mod/mem.c, as Linux TCP's
		# tcp_data_queue() accepts in-order data beyond sk_rcvbuf).
		bound=$((2 * rcvbuf + SLACK))
		echo "# $_t_prefix""receive memory at most $rmem bytes; SO_RCVBUF $rcvbuf"
		if [ "$rmem" -gt 0 ] && [ "$rmem" -le $bound ]; then
			pass "the server's receive memory stays within SO_RCVBUF"
		else
			fail "the server's receive memory stays within SO_RCVBUF" \
				"largest seen $rmem bytes, bound $bound (SO_RCVBUF $rcvbuf + $SLACK)"
		fi
	else
		fail "the server's receive memory stays within SO_RCVBUF" \
			"no numbers from the server: '${XS_S[rmem]}'"
	fi
}
pairings "slow reader, small receive buffer" slow_reader

cap_stop
done_testing
