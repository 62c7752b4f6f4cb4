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
STALL_MS=3000		# the server reads nothing for this long at first
SLOW_MS=2		# then 1 KiB every SLOW_MS ms
LIMIT=120		# seconds for the whole transfer
# What one segment may add to the receive memory past the buffer: the
# receiver admits a segment while under its buffer, and the payload
# comes with its sk_buff's overhead (truesize).
SLACK=4096

net_pair
tmpfile CAP capture
cap_start "$S" xv1 "$CAP"

# _after A B: sequence number A is after B (modulo 2^32).
_after() {
	local d=$((($1 - $2) & 0xffffffff))

	[ $d -ne 0 ] && [ $d -lt 2147483648 ]
}

# _wscale FILE ADDR: REPLY is the window scale ADDR's segments use: the
# shift in its SYN's wscale option if both SYNs had one, else 0.
_wscale() {
	local i shift='' both=0 w

	REPLY=0
	for i in "${!_flags[@]}"; do
		[[ ${_flags[i]} == S* ]] || continue
		[[ ,${_opts[i]}, =~ ,wscale:([0-9]+), ]] || return
		w=${BASH_REMATCH[1]}
		both=$((both + 1))
		[ "${_src[i]}" = "$2" ] && shift=$w
	done
	[ $both -ge 2 ] && [ -n "$shift" ] && REPLY=$shift
}

# persist_scan FILE RECEIVER SENDER: count in _zeros the segments in which
# RECEIVER advertised a zero window, and in _probes those SENDER sent
# while that was RECEIVER's latest word and that probe it: with data
# beyond the right edge RECEIVER ever offered (RFC 9293 3.8.6.1: at least
# one octet of new data), or empty and one below RECEIVER's
# acknowledgment (what Linux TCP sends); either forces an answer.
persist_scan() {
	local i shift edge='' last_ack='' zero=0 e w

	cap_load "$1"
	_wscale "$1" "$2"
	shift=$REPLY
	_zeros=0 _probes=0
	for i in "${!_src[@]}"; do
		[[ ${_flags[i]} == *S* || ${_flags[i]} == *R* ]] && continue
		if [ "${_src[i]}" = "$2" ]; then
			[[ ${_flags[i]} == *.* ]] || continue
			read -r _ _ _ _ _ _ w _ <<<"${_segs[i]}"
			w=${w#win=}
			e=$(((_ack[i] + (w << shift)) & 0xffffffff))
			if [ -z "$edge" ] || _after "$e" "$edge"; then
				edge=$e
			fi
			last_ack=${_ack[i]}
			if [ "$w" -eq 0 ]; then
				zero=1
				_zeros=$((_zeros + 1))
			else
				zero=0
			fi
		elif [ "${_src[i]}" = "$3" ] && [ $zero -eq 1 ]; then
			e=$(((_seq[i] + _len[i]) & 0xffffffff))
			if { [ "${_len[i]}" -gt 0 ] && _after "$e" "$edge"; } ||
			   { [ "${_len[i]}" -eq 0 ] &&
			     [ "${_seq[i]}" -eq $(((last_ack - 1) & 0xffffffff)) ]; }; then
				_probes=$((_probes + 1))
			fi
		fi
	done
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
	echo "# $_t_prefix$_zeros zero-window segments from the server, $_probes probes from the client"
	if [ $_zeros -gt 0 ]; then
		pass "the server advertises a zero window"
	else
		fail "the server advertises a zero window" \
			"none of its ${#_segs[@]} segments both ways has win=0"
	fi
	if [ $_probes -gt 0 ]; then
		pass "the client probes the zero window (persist)"
	else
		fail "the client probes the zero window (persist)" \
			"no segment beyond the window edge, nor below it and empty"
	fi

	if [[ ${XS_S[rmem]} =~ ^max=([0-9]+)\ rcvbuf=([0-9]+)$ ]]; then
		rmem=${BASH_REMATCH[1]} rcvbuf=${BASH_REMATCH[2]}
		bound=$((rcvbuf + SLACK))
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
