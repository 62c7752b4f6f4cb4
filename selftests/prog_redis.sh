#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unmodified programs on xtcp: redis-server with redis-cli and
# redis-benchmark, through the preload library (tools/xtcp-run). For each
# pairing of Linux TCP and xtcp, over a clean and an impaired link,
# redis-cli stores a 1 MB value and reads it back (what comes back must be
# what was stored), redis-benchmark runs 200 SETs and 200 GETs over 4
# connections, and the connections must have run on the stacks named (see
# prog_cases in lib.sh).
. "$(dirname "$0")/lib.sh"

require_module
prog_require redis-server redis-server
prog_require redis-tools redis-cli redis-benchmark
net_pair
tmpfile src value
head -c 1000000 /dev/urandom >"$src"

store() {
	local cf=$1 sf=$2 log out bench pid reply

	tmpfile log redis.log
	tmpfile out got
	tmpfile bench bench
	prog_bg "$S" "$sf" "$log" redis-server --port "$PORT" --bind $S_ADDR \
		--save '' --appendonly no --protected-mode no
	pid=$PROG_PID
	if ! prog_listening "$PORT"; then
		fail "redis-server listens" "$(cat "$log")"
		prog_stop $pid
		return
	fi
	reply=$(prog_fg "$C" "$cf" redis-cli -h $S_ADDR -p "$PORT" -x \
		SET value <"$src" 2>&1)
	expect "redis-cli SET stores the value" OK "$reply"
	# --raw GET prints the value and a newline
	prog_fg "$C" "$cf" redis-cli -h $S_ADDR -p "$PORT" --raw GET value \
		>"$out" 2>&1
	truncate -s -1 "$out"
	prog_same "redis-cli GET returns it" "$src" "$out"
	prog_fg "$C" "$cf" redis-benchmark -h $S_ADDR -p "$PORT" -n 200 -c 4 \
		-t set,get -q >"$bench" 2>&1
	# -q rewrites its progress line with CRs: the last of each test counts
	reply=$(tr '\r' '\n' <"$bench" |
		grep -Eo '^(SET|GET): [0-9.]+ requests per second')
	expect "redis-benchmark runs SET and GET" "SET GET" \
		"$(echo $(cut -d: -f1 <<<"$reply"))"
	echo "# $_t_prefix$(echo $reply)"
	prog_ran "the connections ran on $cf (clients) and $sf (redis-server)" \
		"$cf" "$sf" "$PROG_BEFORE"
	prog_stop $pid
}

prog_cases store
done_testing
