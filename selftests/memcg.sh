#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Memory cgroups: the buffers of an xtcp connection are charged to the
# memory cgroup of the program that owns it, as Linux TCP's are
# (memory.stat "sock"), and a connection a listener accepted is charged to
# the listener's cgroup from its first segment on. A server in cgroup X
# accepts a connection and does not read; a client outside X sends to it.
# X's "sock" figure then holds what the server's socket holds, for xtcp as
# for Linux TCP, and drops back when the data is read and the socket gone.
. "$(dirname "$0")/lib.sh"
require_module

CG=/sys/fs/cgroup
if ! grep -q "^cgroup2 $CG " /proc/mounts; then
	mount -t cgroup2 none "$CG" 2>/dev/null ||
		{ echo "1..0 # SKIP no cgroup2"; exit "$KSFT_SKIP"; }
fi
grep -qw memory "$CG/cgroup.controllers" ||
	{ echo "1..0 # SKIP no memory controller"; exit "$KSFT_SKIP"; }
echo +memory >"$CG/cgroup.subtree_control" 2>/dev/null
X=$CG/xtcp-memcg-$$
mkdir "$X"
cleanup_cg() {
	echo $$ >"$CG/cgroup.procs" 2>/dev/null
	rmdir "$X" 2>/dev/null
}
trap 'cleanup_cg; _cleanup' EXIT

ns_new A server
ns_new B client
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2

# sock_bytes: REPLY is the socket memory charged to X, bytes.
sock_bytes() {
	REPLY=$(awk '$1 == "sock" { print $2 }' "$X/memory.stat")
}

# sock_settle TEST: sock_bytes until [ REPLY TEST ] holds, 5 s at most.
# memory.stat lags the charges: a read flushes the per-CPU counts only
# once enough are pending, else the flusher does every 2 s
# (mem_cgroup_flush_stats()), and 60000 bytes are not enough.
sock_settle() {
	local i

	for ((i = 0; i < 25; i++)); do
		sock_bytes
		# shellcheck disable=SC2086 # TEST is an operator and a number
		[ "$REPLY" $1 ] && return
		nap 0.2
	done
}

# charged FAMILY PORT: a FAMILY server started in X takes 60000 bytes from
# a Linux TCP client outside X and leaves them unread. Sets HELD (X's
# "sock" while the data waits) and AFTER (once read and closed).
charged() {
	local fam=$1 port=$2

	sock_bytes
	BASE=$REPLY
	echo $$ >"$X/cgroup.procs"
	serve "$A" "$fam" 10.0.0.1:"$port" wait recv
	echo $$ >"$CG/cgroup.procs"
	bg client "$B" inet client 10.0.0.1:"$port" send=60000 drain shutdown
	bg_done client OUT
	sock_settle "-ge $((BASE + 60000))"
	HELD=$((REPLY - BASE))
	go server
	served
	sock_settle "-le $BASE"
	AFTER=$((REPLY - BASE))
}

charged inet 7301
i_held=$HELD i_after=$AFTER i_srv=${SRV[recv]%% *}
charged xtcp 7302
echo "# 60000 unread bytes in an accepted socket, charged to its memory" \
	"cgroup: xtcp $HELD bytes, Linux TCP $i_held bytes; after reading" \
	"and closing: xtcp $AFTER, Linux TCP $i_after"
expect "Linux TCP: the data arrived" bytes=60000 "$i_srv"
expect "xtcp: the data arrived" bytes=60000 "${SRV[recv]%% *}"
if [ "$HELD" -ge 60000 ]; then
	pass "xtcp: the unread data is charged to the server's cgroup ($HELD bytes)"
else
	fail "xtcp: the unread data is charged to the server's cgroup" \
		"memory.stat sock grew by $HELD bytes (Linux TCP: $i_held)"
fi
if [ "$AFTER" -le 0 ]; then
	pass "xtcp: the charge is returned once read and closed"
else
	fail "xtcp: the charge is returned once read and closed" \
		"still $AFTER bytes"
fi

done_testing
