#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unmodified programs on xtcp: python3's http.server and curl, through the
# preload library (tools/xtcp-run). curl fetches a 3 MB file for each
# pairing of Linux TCP and xtcp, over a clean and an impaired link; what
# arrives must be the file, and the connection must have run on the
# stacks named (see prog_cases in lib.sh).
. "$(dirname "$0")/lib.sh"

require_module
prog_require python3 python3
prog_require curl curl
net_pair
tmpfile dir www
mkdir -p "$dir"
head -c 3000000 /dev/urandom >"$dir/file.bin"

fetch() {
	local cf=$1 sf=$2 log out pid

	tmpfile log http.log
	tmpfile out got
	prog_bg "$S" "$sf" "$log" python3 -m http.server "$PORT" \
		--bind $S_ADDR --directory "$dir"
	pid=$PROG_PID
	if ! prog_listening "$PORT"; then
		fail "http.server listens" "$(cat "$log")"
		prog_stop $pid
		return
	fi
	check "curl fetches the file" prog_fg "$C" "$cf" curl -sS --max-time 60 \
		-o "$out" "http://$S_ADDR:$PORT/file.bin"
	prog_same "what curl got is the file" "$dir/file.bin" "$out"
	prog_ran "the connection ran on $cf (curl) and $sf (http.server)" \
		"$cf" "$sf" "$PROG_BEFORE"
	prog_stop $pid
}

prog_cases fetch
done_testing
