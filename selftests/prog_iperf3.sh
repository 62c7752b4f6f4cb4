#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unmodified programs on xtcp: iperf3, through the preload library
# (tools/xtcp-run). For each pairing of Linux TCP and xtcp, over a clean
# and an impaired link, iperf3 runs for 2 s: the client must report bytes
# sent and the server (through the client's JSON) bytes received, no more
# than were sent and at least 64 KB; both of iperf3's connections (control
# and data) must have run on the stacks named (see prog_cases in lib.sh);
# and the client's report must carry what it read from TCP_INFO on its
# data connection (the largest cwnd and RTT seen).
#
# The bytes are counted, not hashed: iperf3 3.12's -F (send a file, write
# what arrives to a file) corrupts the stream after a partial send(), with
# Linux TCP on both ends too (seen at offset 110049 of 2 MB over this
# impaired link), and the server stops reading when the client says it is
# done, dropping what is still in flight. The other prog_*.sh tests hash.
. "$(dirname "$0")/lib.sh"

require_module
prog_require iperf3 iperf3
net_pair

# json_max FILE KEY: REPLY is the largest number KEY has in iperf3's JSON.
json_max() {
	local line v

	REPLY=-1
	while read -r line; do
		[[ $line =~ \"$2\":[[:space:]]*([0-9]+) ]] || continue
		v=${BASH_REMATCH[1]}
		[ "$v" -gt "$REPLY" ] && REPLY=$v
	done <"$1"
}

# json_end FILE SUM: REPLY is end.SUM.bytes of iperf3's JSON report.
json_end() {
	REPLY=$(python3 -S -E -c 'import json, sys
print(json.load(open(sys.argv[1]))["end"][sys.argv[2]]["bytes"])' "$1" "$2" 2>&1)
}

send() {
	local cf=$1 sf=$2 log json pid cwnd rtt sent rcvd

	tmpfile log iperf3.log
	tmpfile json client.json
	prog_bg "$S" "$sf" "$log" iperf3 -s -1 -B $S_ADDR -p "$PORT"
	pid=$PROG_PID
	if ! prog_listening "$PORT"; then
		fail "iperf3 server listens" "$(cat "$log")"
		prog_stop $pid
		return
	fi
	if prog_fg "$C" "$cf" iperf3 -c $S_ADDR -p "$PORT" -t 2 -J \
		>"$json" 2>&1; then
		pass "iperf3 runs for 2 s"
	else
		fail "iperf3 runs for 2 s" "$(tail -n 5 "$json")"
	fi
	wait $pid
	json_end "$json" sum_sent
	sent=$REPLY
	json_end "$json" sum_received
	rcvd=$REPLY
	if [[ $sent =~ ^[0-9]+$ && $rcvd =~ ^[0-9]+$ ]] &&
	   [ "$rcvd" -ge 65536 ] && [ "$rcvd" -le "$sent" ]; then
		pass "the server received what the client sent, at most"
		echo "# $_t_prefix$sent bytes sent, $rcvd received in 2 s"
	else
		fail "the server received what the client sent, at most" \
			"sent: $sent" "received: $rcvd"
	fi
	prog_ran "the connections ran on $cf (client) and $sf (server)" \
		"$cf" "$sf" "$PROG_BEFORE"
	json_max "$json" max_snd_cwnd
	cwnd=$REPLY
	json_max "$json" max_rtt
	rtt=$REPLY
	if [ "$cwnd" -gt 0 ] && [ "$rtt" -gt 0 ]; then
		pass "iperf3 read TCP_INFO: cwnd and RTT"
		echo "# $_t_prefix""max_snd_cwnd $cwnd bytes, max_rtt $rtt us"
	else
		fail "iperf3 read TCP_INFO: cwnd and RTT" \
			"max_snd_cwnd $cwnd, max_rtt $rtt"
	fi
}

prog_cases send
done_testing
