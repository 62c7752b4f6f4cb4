#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Keeps "make bench" honest: every mode of its load generator, xbench, run
# briefly over Linux TCP and over xtcp, moves data or completes
# transactions, and both ends agree on the counts. No timing is checked:
# that is the benchmark's business, not a test's.
. "$(dirname "$0")/lib.sh"
require_module
X=$XTCP_ROOT/selftests/bin/xbench
SECS=0.5
port=7000

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
# crr-tfo: TCP Fast Open's server and client on, both stacks.
for ns in "$A" "$B"; do
	n "$ns" sysctl -qw net.xtcp.fastopen=3 net.ipv4.tcp_fastopen=3
done

# pair FAMILY SERVER_MODE SERVER_ARG CLIENT_MODE CLIENT_ARG...: run an
# xbench server in $B and its client in $A; their last lines go to SOUT
# and COUT, the client's exit status to CRC. SERVER_ARG "-" is none.
pair() {
	local fam=$1 smode=$2 sarg=$3 cmode=$4 sfile cfile spid line

	shift 4
	port=$((port + 1))
	tmpfile sfile srv
	tmpfile cfile cli
	if [ "$sarg" = - ]; then
		timeout 60 ip netns exec "$B" "$X" --family "$fam" "$smode" \
			10.0.0.2:$port >"$sfile" 2>&1 &
	else
		timeout 60 ip netns exec "$B" "$X" --family "$fam" "$smode" \
			10.0.0.2:$port "$sarg" >"$sfile" 2>&1 &
	fi
	spid=$!
	wait_for "$sfile" '^listening' 10
	CRC=0
	timeout 60 ip netns exec "$A" "$X" --family "$fam" "$cmode" \
		10.0.0.2:$port "$@" >"$cfile" 2>&1 || CRC=$?
	wait "$spid"
	SOUT= COUT=
	while IFS= read -r line; do SOUT=$line; done <"$sfile"
	while IFS= read -r line; do COUT=$line; done <"$cfile"
}

# field LINE KEY: REPLY is the value of KEY=... in LINE, or empty.
field() {
	local w

	REPLY=
	for w in $1; do
		[ "${w%%=*}" = "$2" ] && REPLY=${w#*=}
	done
}

# With 3 flows, XBENCH_CPU_FILE names a counter that a loop advances by
# 10^9 every 50 ms, as make bench's host side keeps the kernel's CPU time:
# the client reports the counter's advance per byte. With 1 flow it has
# none and reports nothing of the kind.
bulk() {
	local fam=$1 flows=$2 sent received bytes what cpu wpid=

	what="$fam: bulk, $flows flow$([ "$flows" = 1 ] || echo s)"

	if [ "$flows" = 3 ]; then
		tmpfile cpu cpu
		(
			v=0
			while :; do
				v=$((v + 1000000000))
				echo $v >"$cpu.tmp"
				mv "$cpu.tmp" "$cpu"
				nap 0.05
			done
		) &
		wpid=$!
		# Above the bulk flows, which can starve it on a loaded host
		# (one CI run read no advance at all).
		renice -n -10 -p "$wpid" >/dev/null
		export XBENCH_CPU_FILE=$cpu
	fi
	pair "$fam" bulk-server "$flows" bulk-client "$flows" $SECS
	unset XBENCH_CPU_FILE
	[ -z "$wpid" ] || { kill "$wpid"; wait "$wpid" 2>/dev/null; }
	field "$COUT" cpu_ns_per_byte
	if [ -n "$wpid" ]; then
		check "$what: CPU counter's advance per byte > 0 ($REPLY)" \
			awk -v c="${REPLY:-0}" 'BEGIN { exit !(c > 0) }'
	else
		expect "$what: no CPU figure without a counter" "" "$REPLY"
	fi
	field "$COUT" sent; sent=$REPLY
	field "$COUT" received; received=$REPLY
	field "$SOUT" bytes; bytes=$REPLY
	expect "$what: the client completes" 0 "$CRC"
	if [ "${sent:-0}" -gt 0 ] && [ "$sent" = "$received" ] &&
	   [ "$received" = "$bytes" ]; then
		pass "$what: bytes sent = received by the server > 0"
	else
		fail "$what: bytes sent = received by the server > 0" \
			"client: $COUT" "server: $SOUT"
	fi
}

# transactions FAMILY NAME: a request/response mode; both ends count the
# same number of transactions, more than none.
transactions() {
	local fam=$1 mode=$2 c s

	pair "$fam" "$mode-server" - "$mode-client" $SECS
	field "$COUT" transactions; c=$REPLY
	field "$SOUT" transactions; s=$REPLY
	expect "$fam: $mode: the client completes" 0 "$CRC"
	if [ "${c:-0}" -gt 0 ] && [ "$c" = "$s" ]; then
		pass "$fam: $mode: both ends count the same transactions, > 0"
	else
		fail "$fam: $mode: both ends count the same transactions, > 0" \
			"client: $COUT" "server: $SOUT"
	fi
	[ "$mode" = rr ] || return 0
	field "$COUT" p50_us; c=$REPLY
	field "$COUT" p99_us; s=$REPLY
	check "$fam: rr: latency percentiles 0 < p50 ($c) <= p99 ($s)" \
		awk -v a="${c:-0}" -v b="${s:-0}" 'BEGIN { exit !(a > 0 && a <= b) }'
}

# TIME_WAIT entries (state 06) toward port $port in NS's /proc/net/FILE.
tw_count() {
	local hex line st=0

	printf -v hex '%04X' "$port"
	while read -r line; do
		# shellcheck disable=SC2086
		set -- $line
		[ "${4:-}" = 06 ] && [[ $2 == *:$hex || $3 == *:$hex ]] &&
			st=$((st + 1))
	done < <(n "$1" cat "/proc/net/$2")
	REPLY=$st
}

idle() {
	local fam=$1 sfile cfile spid cpid file=tcp

	[ "$fam" = xtcp ] && file=xtcp
	port=$((port + 1))
	tmpfile sfile idle-srv
	tmpfile cfile idle-cli
	timeout 120 ip netns exec "$B" "$X" --family "$fam" idle-server \
		10.0.0.2:$port 50 >"$sfile" 2>&1 &
	spid=$!
	wait_for "$sfile" '^listening' 10
	timeout 120 ip netns exec "$A" "$X" --family "$fam" idle-client \
		10.0.0.2:$port 50 >"$cfile" 2>&1 &
	cpid=$!
	if wait_for "$cfile" '^ready 50$' 60 && wait_for "$sfile" '^ready 50$' 10; then
		pass "$fam: idle: 50 connections open, both ends hold them"
	else
		fail "$fam: idle: 50 connections open, both ends hold them" \
			"$(tail -n 2 "$cfile" "$sfile")"
	fi
	kill "$cpid"
	wait "$cpid" 2>/dev/null
	nap 0.5
	kill "$spid"
	wait "$spid" 2>/dev/null
	nap 0.5
	tw_count "$A" $file
	local a=$REPLY
	tw_count "$B" $file
	expect "$fam: idle: killing the holders leaves no TIME_WAIT behind" "0 0" "$a $REPLY"
}

for fam in inet xtcp; do
	bulk "$fam" 1
	bulk "$fam" 3
	transactions "$fam" rr
	transactions "$fam" crr
	transactions "$fam" crr-tfo
	if [ "$fam" = xtcp ]; then
		REPLY=$(xtcp_stat "$A" TCPFastOpenActive)
	else
		REPLY=$(n "$A" nstat -az TcpExtTCPFastOpenActive |
			awk '$1 == "TcpExtTCPFastOpenActive" { print $2 }')
	fi
	check "$fam: crr-tfo: requests went in SYNs (TCPFastOpenActive ${REPLY:-0})" \
		test "${REPLY:-0}" -gt 0
	idle "$fam"
done

done_testing
