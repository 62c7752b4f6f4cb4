#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What an idle connection holds, counted in objects rather than bytes (the
# bytes are make bench's "idle memory" row): N connections, both ends in
# the test kernel, held open by xbench's idle modes; the growth of each
# slab cache's object count, per connection, for xtcp and Linux TCP.
#
# Both stacks hold one socket inode per end (the user's two sockets).
# xtcp's client port is reserved in Linux TCP's tables by a shadow Linux
# TCP sock (mod/table.c), which must be a bare struct sock: before, each
# shadow kept its struct socket and inode, a third socket inode per
# connection (744 bytes of 10163 on the benchmark kernel).
. "$(dirname "$0")/lib.sh"
require_module
X=$XTCP_ROOT/selftests/bin/xbench
N=${IDLE_CONNS:-200}
port=7000

ns_new A a
ns_new B b
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2

# objs CACHE...: REPLY holds "CACHE=OBJECTS ..." from /proc/slabinfo,
# each cache shrunk first: that also empties KASAN's quarantine, where
# freed objects still count as in use.
objs() {
	local name active rest want

	for want in "$@"; do
		echo 1 >"/sys/kernel/slab/$want/shrink" 2>/dev/null
	done
	REPLY=
	while read -r name active rest; do
		for want in "$@"; do
			[ "$name" = "$want" ] && REPLY+="$name=$active "
		done
	done </proc/slabinfo
}

# settled CACHE...: objs, once two counts 0.5 s apart agree (at most 10 s):
# the sockets of a run just closed free their inodes after a grace period,
# and a count taken before they have would make the next run's growth
# look smaller (a CI run counted 1.7 inodes per xtcp connection so, just
# after Linux TCP's 200 connections had closed).
settled() {
	local prev i

	objs "$@"
	for ((i = 0; i < 20; i++)); do
		prev=$REPLY
		nap 0.5
		objs "$@"
		[ "$REPLY" = "$prev" ] && return
	done
}

# tenths BEFORE AFTER CACHE: REPLY is the growth of CACHE's objects per
# connection, in tenths.
tenths() {
	local b a w

	b=0 a=0
	for w in $1; do [ "${w%%=*}" = "$3" ] && b=${w#*=}; done
	for w in $2; do [ "${w%%=*}" = "$3" ] && a=${w#*=}; done
	REPLY=$(((a - b) * 10 / N))
}

# idle FAMILY: open N connections of FAMILY, count, close them. GROW has
# the growth per connection (tenths) of each cache by name, CLOSED the
# counts before they opened.
declare -A GROW
idle() {
	local fam=$1 sout cout spid cpid before after c

	port=$((port + 1))
	tmpfile sout srv
	tmpfile cout cli
	settled sock_inode_cache TCP XTCP
	before=$REPLY
	timeout 300 ip netns exec "$B" "$X" --family "$fam" idle-server \
		10.0.0.2:$port "$N" >"$sout" 2>&1 &
	spid=$!
	wait_for "$sout" '^listening' 10 || fail "$fam: the server listens"
	timeout 300 ip netns exec "$A" "$X" --family "$fam" idle-client \
		10.0.0.2:$port "$N" >"$cout" 2>&1 &
	cpid=$!
	if wait_for "$cout" "^ready $N" 120 && wait_for "$sout" "^ready $N" 30
	then
		pass "$fam: $N connections open"
	else
		fail "$fam: $N connections open" "$(tail -n 2 "$cout" "$sout")"
	fi
	objs sock_inode_cache TCP XTCP
	after=$REPLY
	for c in sock_inode_cache TCP XTCP; do
		tenths "$before" "$after" "$c"
		GROW[$fam/$c]=$REPLY
	done
	echo "# $fam: objects per connection (tenths): sock_inode_cache" \
		"${GROW[$fam/sock_inode_cache]}, TCP ${GROW[$fam/TCP]}," \
		"XTCP ${GROW[$fam/XTCP]}"
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	CLOSED=$before
}

# around T: "yes" when a count in tenths is T, give or take 2 tenths (a
# few objects other work in the kernel allocated or freed meanwhile).
around() {
	[ "$1" -ge $(($2 - 2)) ] && [ "$1" -le $(($2 + 2)) ] && echo yes ||
		echo "no ($1 tenths)"
}

idle inet
idle xtcp
expect "Linux TCP: two socket inodes per connection, one per end" yes \
	"$(around "${GROW[inet/sock_inode_cache]}" 20)"
expect "xtcp: two socket inodes per connection too: the shadow has none" yes \
	"$(around "${GROW[xtcp/sock_inode_cache]}" 20)"
expect "xtcp: two XTCP socks per connection" yes \
	"$(around "${GROW[xtcp/XTCP]}" 20)"
expect "xtcp: one Linux TCP sock per connection, the client port's shadow" \
	yes "$(around "${GROW[xtcp/TCP]}" 10)"

# Closing the connections closes their shadows (from a workqueue).
for ((i = 0; i < 50; i++)); do
	objs TCP
	tenths "$CLOSED" "$REPLY" TCP
	[ "$REPLY" -le 0 ] && break
	nap 0.2
done
expect "xtcp: the shadows are gone with the connections" yes \
	"$(around "$REPLY" 0)"

done_testing
