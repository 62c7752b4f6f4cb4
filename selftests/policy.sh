#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host's policy applies to xtcp's segments as to Linux TCP's (issue 9,
# item 12), each scenario run on both stacks and compared:
#  - a socket filter (SO_ATTACH_FILTER, classic BPF) filters what reaches
#    the socket: on a listener (its children inherit it, as in Linux TCP)
#    and on a connected socket; taken off, the peer's retransmission gets
#    through, so a filtered segment changed nothing;
#  - every segment a socket sends is owned by it, so that netfilter's
#    owner match (nft "meta skuid") sees the user who opened the socket:
#    a client and a server run as uid 12345 by setpriv, the SYN-ACK
#    included (Linux TCP's goes out on behalf of the listener).
. "$(dirname "$0")/lib.sh"

require_module
net_pair
RUID=12345

# nft_table NS TABLE RULESET: (re)create TABLE (family inet) in NS, with
# fresh counters.
nft_table() {
	n "$1" nft -f - <<-EOF
	table inet $2
	delete table inet $2
	table inet $2 {
	$3
	}
	EOF
}

# nft_count NS TABLE NAME: REPLY is the packet count of the rule with
# comment NAME.
nft_count() {
	local line

	REPLY=?
	while read -r line; do
		[[ $line =~ packets\ ([0-9]+)\ .*comment\ \"$3\" ]] &&
			REPLY=${BASH_REMATCH[1]}
	done <<<"$(n "$1" nft list table inet "$2")"
}

# filter_counter NS FAMILY: REPLY is how many segments socket filters
# dropped (xtcp counts them; Linux TCP has no such counter: "-").
filter_counter() {
	if [ "$2" = xtcp ]; then
		stack_counter "$1" xtcp FilterDrops
	else
		REPLY=-
	fi
}

declare -A FIGS

# A filter that drops every segment with payload, on the listener: the
# handshake completes, the accepted socket (which inherited the filter)
# receives nothing. The server reads SIOCINQ after 2 s.
listener_filter() {
	local fam=$2 before

	filter_counter "$S" "$fam"
	before=$REPLY
	bg server "$S" "$fam" do bind=$S_ADDR:$PORT filter=data listen accept \
		sleep=2 ioctl=inq
	bg_wait server '^listen'
	xc "$C" "$fam" client $S_ADDR:$PORT send=1000 sleep=3 close
	bg_done server SRV
	expect "the client connects and sends" "OK bytes=1000" \
		"${OUT[connect]} ${OUT[send]%% *}"
	expect "the listener's filter is inherited: nothing reaches the reader" \
		"OK OK 0" "${SRV[filter]:-} ${SRV[listen]} ${SRV[ioctl]}"
	FIGS[listener-$fam]=${SRV[ioctl]}
	filter_counter "$S" "$fam"
	if [ "$fam" = xtcp ]; then
		if [[ $REPLY =~ ^[0-9]+$ && $before =~ ^[0-9]+$ ]] &&
		   [ $((REPLY - before)) -gt 0 ]; then
			pass "the dropped segments are counted (FilterDrops +$((REPLY - before)))"
		else
			fail "the dropped segments are counted" \
				"FilterDrops before: $before, after: $REPLY"
		fi
	fi
}

# A filter that drops everything, on a connected client, while the server
# sends: nothing arrives. Taken off, the server's next retransmission is
# accepted: the segments the filter dropped changed no state.
connected_filter() {
	local fam=$2

	serve "$S" "$fam" $S_ADDR:$PORT sleep=0.5 send=1000 sleep=8
	xc "$C" "$fam" client $S_ADDR:$PORT filter=all sleep=2 ioctl=inq \
		filter=off sleep=3 ioctl=inq close
	served
	expect "nothing arrives while the filter is on; all once it is off" \
		"OK OK 0 OK 1000" \
		"${OUT[connect]} ${OUT[filter]:-} ${OUT[ioctl]} ${OUT[filter2]:-} ${OUT[ioctl2]}"
	FIGS[connected-$fam]="${OUT[ioctl]} then ${OUT[ioctl2]}"
}

# A client run as uid $RUID: nft's "meta skuid" in its namespace's output
# chain must see its segments.
owner_client() {
	local fam=$2 out

	nft_table "$C" own "chain out { type filter hook output priority 0;
		meta skuid $RUID counter comment \"uid\"; }"
	serve "$S" "$fam" $S_ADDR:$PORT
	tmpfile out owner-client
	n "$C" setpriv --reuid=$RUID --regid=$RUID --clear-groups \
		"$XCONN" --family "$fam" client $S_ADDR:$PORT send=1000 shutdown \
		recv >"$out" 2>&1
	xc_results OUT "$out"
	served
	expect "the client, uid $RUID, sends and the server receives" \
		"OK bytes=1000" "${OUT[connect]} ${SRV[recv]%% *}"
	nft_count "$C" own uid
	FIGS[client-$fam]=$REPLY
	if [[ $REPLY =~ ^[0-9]+$ ]] && [ "$REPLY" -ge 3 ]; then
		pass "meta skuid $RUID matches the client's segments ($REPLY)"
	else
		fail "meta skuid $RUID matches the client's segments" \
			"matched: $REPLY segments"
	fi
}

# A server run as uid $RUID: its segments, the SYN-ACK included, match.
owner_server() {
	local fam=$2 out pid

	nft_table "$S" own "chain out { type filter hook output priority 0;
		meta skuid $RUID counter comment \"uid\";
		tcp flags & (syn | ack) == syn | ack meta skuid $RUID counter comment \"synack\"; }"
	tmpfile out owner-server
	n "$S" setpriv --reuid=$RUID --regid=$RUID --clear-groups \
		"$XCONN" --family "$fam" server $S_ADDR:$PORT recv send=1000 \
		>"$out" 2>&1 &
	pid=$!
	wait_for "$out" '^port=' 10
	xc "$C" "$fam" client $S_ADDR:$PORT send=1000 shutdown recv
	wait $pid
	expect "the server, uid $RUID, receives and answers" \
		"OK bytes=1000" "${OUT[connect]} ${OUT[recv]%% *}"
	nft_count "$S" own uid
	FIGS[server-$fam]=$REPLY
	if [[ $REPLY =~ ^[0-9]+$ ]] && [ "$REPLY" -ge 3 ]; then
		pass "meta skuid $RUID matches the server's segments ($REPLY)"
	else
		fail "meta skuid $RUID matches the server's segments" \
			"matched: $REPLY segments"
	fi
	nft_count "$S" own synack
	FIGS[synack-$fam]=$REPLY
	expect "the SYN-ACK matches the listener's owner" 1 "$REPLY"
}

for fam in inet xtcp; do
	_scenario "$fam" "listener filter" listener_filter $fam $fam
	_scenario "$fam" "connected filter" connected_filter $fam $fam
	_scenario "$fam" "owner of a client's segments" owner_client $fam $fam
	_scenario "$fam" "owner of a server's segments" owner_server $fam $fam
done

echo "# bytes the reader saw, filter on the listener: xtcp ${FIGS[listener-xtcp]:-?}, Linux TCP ${FIGS[listener-inet]:-?}"
echo "# bytes the reader saw, filter on, then off: xtcp ${FIGS[connected-xtcp]:-?}, Linux TCP ${FIGS[connected-inet]:-?}"
echo "# segments meta skuid $RUID matched, client: xtcp ${FIGS[client-xtcp]:-?}, Linux TCP ${FIGS[client-inet]:-?}"
echo "# segments meta skuid $RUID matched, server: xtcp ${FIGS[server-xtcp]:-?}, Linux TCP ${FIGS[server-inet]:-?} (SYN-ACKs: xtcp ${FIGS[synack-xtcp]:-?}, Linux TCP ${FIGS[synack-inet]:-?})"
done_testing
