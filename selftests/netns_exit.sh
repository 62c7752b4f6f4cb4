#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Namespaces go away under live connections with data queued both ways,
# and xtcp is unloaded and loaded again at once: the namespace's exit ends
# the connections and waits for their sockets, so that rmmod succeeds as
# soon as the namespaces are gone, and the kernel reports nothing (KASAN,
# lockdep, WARNING, BUG; scripts/uml-run also fails the run on these).
#
# Round "held": the namespaces are deleted while the programs still hold
# their sockets (the sockets keep them alive), then the programs die.
# Round "orphaned": the programs die first, leaving orphans in FIN_WAIT1
# with unsent data behind a closed window, then the namespaces go.
. "$(dirname "$0")/lib.sh"
require_module

MODULE=${XTCP_MODULE:-$XTCP_ROOT/mod/xtcp.ko}
CONNS=4
BAD='BUG|WARNING|KASAN|Oops|general protection|refcount_t|lockdep|circular locking|outlive|use-after-free|list_(add|del) corruption'

# The kernel log from our mark on (the ring buffer may have wrapped past
# older lines, never past the newest).
mark="xtcp-selftest netns_exit $$"
echo "$mark" >/dev/kmsg
log_since_mark() { dmesg | sed -n "/$mark/,\$p"; }

# connections NS_A NS_B: $CONNS xtcp connections from A to B, each side
# writing 1 MB that the other never reads (2 KB receive buffers): both
# directions stall with data queued. The pids of the programs in A go to
# _pids, of those in B to _srv.
connections() {
	local i

	_pids=()
	"$XCONN" --netns "$2" --family xtcp do set=rcvbuf:2048 \
		bind=10.0.0.2:7000 listen=16 accept sleep=60 >/dev/null &
	_srv=($!)
	nap 0.5
	for ((i = 0; i < CONNS; i++)); do
		"$XCONN" --netns "$1" --family xtcp client 10.0.0.2:7000 \
			set=rcvbuf:2048 send=1000000 sleep=60 >/dev/null 2>&1 &
		_pids+=($!)
	done
	# A server that sends back to the first client, which reads nothing.
	"$XCONN" --netns "$2" --family xtcp do bind=10.0.0.2:7001 listen \
		accept send=1000000 sleep=60 >/dev/null 2>&1 &
	_srv+=($!)
	nap 0.5
	"$XCONN" --netns "$1" --family xtcp client 10.0.0.2:7001 \
		set=rcvbuf:2048 sleep=60 >/dev/null 2>&1 &
	_pids+=($!)
	nap 2
}

# queued NS...: REPLY is how many xtcp connections in the namespaces have
# data waiting to be sent (tx_queue in /proc/net/xtcp).
queued() {
	local ns

	REPLY=0
	for ns in "$@"; do
		REPLY=$((REPLY + $(ip netns exec "$ns" awk \
			'NR > 1 && $5 !~ /^00000000:/' /proc/net/xtcp | wc -l)))
	done
}

# unload_reload: rmmod until it succeeds (20 s at most: the namespaces'
# exit runs in a workqueue after the last reference goes), then insmod.
unload_reload() {
	local i t0=$EPOCHREALTIME t1

	for ((i = 0; i < 200; i++)); do
		rmmod xtcp 2>/dev/null && break
		nap 0.1
	done
	t1=$EPOCHREALTIME
	if [ -d /sys/module/xtcp ]; then
		fail "rmmod succeeds once the namespaces are gone" \
			"still loaded after 20 s: refcnt $(cat /sys/module/xtcp/refcnt)"
		return 1
	fi
	pass "rmmod succeeds once the namespaces are gone ($(((${t1/./} - ${t0/./}) / 1000)) ms)"
	check "insmod loads xtcp again at once" insmod "$MODULE"
}

for round in held orphaned; do
	_t_prefix="$round: "
	ns_new A "a-$round"
	ns_new B "b-$round"
	veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
	connections "$A" "$B"
	# Programs start slowly in the debug kernel under load: wait (20 s
	# at most) until every connection is up with its data queued.
	for ((i = 0; i < 100; i++)); do
		queued "$A" "$B"
		[ "$REPLY" -ge $((CONNS + 1)) ] && break
		nap 0.2
	done
	expect "$((CONNS + 1)) connections have data queued to send" \
		$((CONNS + 1)) "$REPLY"
	if [ $round = held ]; then
		ip netns del "$A" && ip netns del "$B"
		kill -9 "${_pids[@]}" "${_srv[@]}" 2>/dev/null
	else
		# B's programs live on until A is gone: A's sockets end as
		# orphans, not by B's resets.
		kill -9 "${_pids[@]}" 2>/dev/null
		wait "${_pids[@]}" 2>/dev/null
		ip netns del "$A" && ip netns del "$B"
		kill -9 "${_srv[@]}" 2>/dev/null
	fi
	wait "${_pids[@]}" "${_srv[@]}" 2>/dev/null
	_ns_list=()
	unload_reload
	expect "a socket works after the reload" OK "$("$XSOCK" socket)"
	_t_prefix=
done

reports=$(log_since_mark | grep -E "$BAD")
if [ -z "$reports" ]; then
	pass "the kernel reports nothing"
else
	fail "the kernel reports nothing" "$(head -n 20 <<<"$reports")"
fi

done_testing
