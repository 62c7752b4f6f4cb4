#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SO_MARK picks an IPv6 connection's route, as for Linux TCP. The
# client's one route to the server is in table 100, which policy routing
# takes for fwmark 1, and has mtu 1300; for other traffic a rule makes
# the server unreachable. For an xtcp client, and a Linux TCP one:
#  - without a mark, connect() fails with ENETUNREACH;
#  - with SO_MARK 1, connect() succeeds and 100 KB go each way: connect()
#    and the segments it sends route by the mark;
#  - its SYN announces MSS 1240, from the MTU of the route the mark picks
#    (1300 less the IPv6 and TCP headers); the link would give 1440.
# xtcp looks these three routes up in one place, xtcp_route6().
XTCP_FAMILY=6
. "$(dirname "$0")/lib.sh"
require_module

net_pair
ip -n "$C" -6 route add "$S_IP/128" dev xv0 table 100 mtu 1300
ip -n "$C" -6 rule add fwmark 1 table 100 pref 100
ip -n "$C" -6 rule add to "$S_IP/128" unreachable pref 200
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"

# syn_mss FILE: REPLY is the MSS option of the client's SYN to $PORT in
# FILE, "none" without one or without a SYN.
syn_mss() {
	local i o

	cap_load "$1"
	REPLY=none
	for i in "${!_src[@]}"; do
		[ "${_src[i]}" = "$C_ADDR" ] && [ "${_flags[i]}" = S ] || continue
		o=,${_opts[i]},
		[[ $o == *,mss:* ]] && { o=${o#*,mss:}; REPLY=${o%%,*}; }
	done
}

port=$PORT
for fam in xtcp inet; do
	PORT=$port
	port=$((port + 1))
	xc "$C" "$fam" do connect="$S_ADDR:$PORT"
	expect "$fam: without a mark, connect() fails with ENETUNREACH" \
		ENETUNREACH "${OUT[connect]}"

	serve "$S" inet "$S_ADDR:$PORT" recv send=100000
	xc "$C" "$fam" do set=mark:1 connect="$S_ADDR:$PORT" send=100000 \
		shutdown recv
	served
	expect "$fam: SO_MARK 1 is set" OK "${OUT[set]}"
	expect "$fam: with mark 1, connect() succeeds" OK "${OUT[connect]}"
	expect "$fam: with mark 1, 100 KB go each way" \
		"${OUT[send]} ${SRV[send]}" "${SRV[recv]} ${OUT[recv]}"
	cap_sync
	syn_mss "$CAP"
	expect "$fam: the SYN announces MSS 1240, from the marked route" \
		1240 "$REPLY"
done

done_testing
