#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Orphans (connections closed by their program, still sending) cannot live
# for ever nor pile up without bound.
#  - net.xtcp.orphan_retries (0: 8, as tcp_orphan_retries) bounds the
#    zero-window probes of an orphan even when the peer answers each one
#    (every answer used to reset the count: an orphan behind a window
#    the peer kept at 0 lived, with its send queue, for ever); the orphan
#    is then reset.
#  - net.xtcp.max_orphans, per namespace (as tcp_max_orphans): a socket
#    closed beyond it is reset at once, and the kernel logs "too many
#    orphaned sockets" (ratelimited), as Linux TCP's tcp_check_oom().
# The peer is a Linux TCP server with a 4 KB receive buffer that never
# reads: its window stays at 0, and it answers every probe. The writers
# fix their send buffer (SO_SNDBUF): the 100000 bytes must be queued before
# close, and the default buffer (net.xtcp.wmem, as tcp_wmem) starts at 16 KB.
. "$(dirname "$0")/lib.sh"
require_module

ns_new A xtcp
ns_new B peer
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
n "$B" sysctl -qw net.ipv4.tcp_rmem="4096 4096 4096"
n "$B" sysctl -qw net.ipv4.tcp_invalid_ratelimit=0

# Sockets in use and allocated (the pages charged, "mem", vary).
sockstat() { n "$A" awk '{ print $1, $2, $3, $4, $5 }' /proc/net/xtcp_sockstat; }

# gone_after FAMILY SECONDS REGEX: REPLY is how long (s) until
# /proc/net/xtcp (/proc/net/tcp for "inet") in A has no line that matches
# REGEX, or "over SECONDS"; _gone_us is when (realtime, microseconds).
gone_after() {
	local file=/proc/net/xtcp i

	[ "$1" = inet ] && file=/proc/net/tcp
	for ((i = 0; i < $2 * 5; i++)); do
		if ! n "$A" grep -qE "$3" "$file"; then
			REPLY=$((i / 5)).$((i % 5 * 2)) _gone_us=${EPOCHREALTIME/./}
			return
		fi
		nap 0.2
	done
	REPLY="over $2"
}

# since_close VAR GONE: VAR is the seconds from the close (xconn's "now")
# to GONE (gone_after's REPLY), or GONE as it is if that is no time.
since_close() {
	local real us

	real=${OUT[now]#real=}
	real=${real%% *}
	if [[ $2 =~ ^[0-9] ]] && [[ $real =~ ^[0-9]+$ ]]; then
		us=$((_gone_us - real))
		printf -v "$1" '%d.%01d' $((us / 1000000)) $((us % 1000000 / 100000))
	else
		printf -v "$1" '%s' "$2"
	fi
}

expect "net.xtcp.orphan_retries is 0 (8) by default" 0 \
	"$(n "$A" sysctl -n net.xtcp.orphan_retries 2>&1)"
check "net.xtcp.max_orphans is there" n "$A" sysctl -n net.xtcp.max_orphans

# 1. One orphan behind a zero window, probes answered. The peer's program
# holds its socket far beyond the test (its close would reset the orphan).
serve "$B" inet 10.0.0.2:7300 -n 2 alarm=250 sleep=240
n "$A" sysctl -qw net.xtcp.orphan_retries=3
probes=$(xtcp_stat "$A" WinProbes)
rsts=$(xtcp_stat "$A" OutRsts)
xc "$A" xtcp client 10.0.0.2:7300 set=sndbuf:400000 send=100000 close now
expect "the program wrote and closed" "bytes=100000" "${OUT[send]%% sha*}"
# Port 7300 is 1C84: the orphan's remote end in /proc/net/xtcp.
gone_after xtcp 25 ':1C84 '
since_close x "$REPLY"
expect_match "the orphan is gone after its retries" "[0-9.]+" "$x"
expect "its socket is freed" "XTCP: inuse 0 alloc 0" "$(sockstat)"
p=$(($(xtcp_stat "$A" WinProbes) - probes))
if [ "$p" -ge 3 ] && [ "$p" -le 5 ]; then
	pass "it sent orphan_retries (3) probes, the peer answering each"
else
	fail "it sent orphan_retries (3) probes, the peer answering each" "$p probes"
fi
expect "and was reset (one RST)" 1 $(($(xtcp_stat "$A" OutRsts) - rsts))
n "$A" sysctl -qw net.ipv4.tcp_orphan_retries=3
xc "$A" inet client 10.0.0.2:7300 set=sndbuf:400000 send=100000 close now
gone_after inet 25 ':1C84 '
since_close l "$REPLY"
echo "# an orphan behind a zero window, probes answered, orphan_retries 3:" \
	"xtcp gone $x s after the close, Linux TCP $l s"

# 2. A burst of orphans beyond net.xtcp.max_orphans.
n "$A" sysctl -qw net.xtcp.orphan_retries=0 net.xtcp.max_orphans=4
serve "$B" inet 10.0.0.2:7301 -n 8 --backlog 16 alarm=250 sleep=240
rsts=$(xtcp_stat "$A" OutRsts)
for i in 1 2 3 4 5 6 7 8; do
	xc "$A" xtcp client 10.0.0.2:7301 set=sndbuf:400000 send=100000 close
done
nap 1
expect "4 orphans are left, the limit" "XTCP: inuse 0 alloc 4" "$(sockstat)"
expect "the 4 beyond it were reset" 4 $(($(xtcp_stat "$A" OutRsts) - rsts))
if dmesg | grep -q "too many orphaned sockets"; then
	pass "the kernel logged \"too many orphaned sockets\""
else
	fail "the kernel logged \"too many orphaned sockets\"" "$(dmesg | tail -n 3)"
fi

# 3. An orphan reset for the limit stops counting at once, although its
# memory lives on while its last segments wait in a qdisc (netem delays
# them 6 s here, long enough for the checks on a loaded host): counted
# until freed, it kept the namespace over the
# limit, and any orphan within it whose timer fired meanwhile was reset.
orphans() { n "$A" awk '{ for (i = 2; i < NF; i++)
	if ($i == "orphan") print $(i + 1) }' /proc/net/xtcp_sockstat; }
expect "xtcp_sockstat counts the 4 orphans" 4 "$(orphans)"
n "$A" tc qdisc add dev xv0 root netem delay 6s
rsts=$(xtcp_stat "$A" OutRsts)
xc "$A" xtcp client 10.0.0.2:7301 set=sndbuf:400000 send=100000 close
expect "one more orphan is reset: no longer counted while its RST waits" \
	"4 XTCP: inuse 0 alloc 5" "$(orphans) $(sockstat)"
# Its RST leaves netem after 6 s, and the socket goes with it: on a
# loaded host some seconds later (a CI run saw it still there at 7 s).
nap 6
for ((i = 0; i < 40; i++)); do
	[ "$(sockstat)" = "XTCP: inuse 0 alloc 4" ] && break
	nap 0.5
done
expect "the 4 within the limit live on" "XTCP: inuse 0 alloc 4" "$(sockstat)"
expect "and only the one beyond it was reset" 1 \
	$(($(xtcp_stat "$A" OutRsts) - rsts))
n "$A" tc qdisc del dev xv0 root

done_testing
