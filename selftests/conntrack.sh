#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Conntrack and NAT see xtcp's connections as Linux TCP's (issue 9, item
# 13). The server's namespace has a stateful firewall,
#   ct state established,related accept; tcp dport PORT accept; drop
# in its input chain, and counts in its output chain how conntrack
# classified each segment it sends; every pairing of Linux TCP and xtcp
# exchanges 1 MB each way:
#  - to the server directly: every segment but the client's SYN must be
#    "established" both ways, none invalid, none dropped (an inbound flow
#    is confirmed by conntrack before xtcp takes its segments);
#  - to a port the server's prerouting chain DNATs to the server's: the
#    replies must be de-NATed (they leave from the port the client knows);
#  - from a client in the firewalled namespace, through an output DNAT
#    rule: the replies are de-NATed on input before xtcp looks them up,
#    and only "ct state established" lets them in.
# The figures of each pairing are printed side by side.
. "$(dirname "$0")/lib.sh"

require_module
net_pair
BYTES=1000000

# ruleset NS PORT: the firewall above in NS, with fresh counters; port
# PORT+1000 is DNATed to PORT on the way in, PORT+2000 to the client's
# PORT on the way out.
ruleset() {
	n "$1" nft -f - <<-EOF
	flush ruleset
	table inet fw {
		chain in {
			type filter hook input priority filter; policy accept;
			ct state invalid counter comment "in_invalid"
			ct state established,related counter accept comment "in_est"
			tcp dport $2 counter accept comment "in_port"
			counter drop comment "in_drop"
		}
		chain out {
			type filter hook output priority filter; policy accept;
			ct state invalid counter comment "out_invalid"
			ct state new counter comment "out_new"
			ct state established counter comment "out_est"
		}
	}
	table ip nat {
		chain pre {
			type nat hook prerouting priority dstnat; policy accept;
			tcp dport $(($2 + 1000)) dnat to $S_ADDR:$2
		}
		chain out {
			type nat hook output priority -100; policy accept;
			ip daddr $C_ADDR tcp dport $(($2 + 2000)) dnat to $C_ADDR:$2
		}
	}
	EOF
}

# counts NS: the counters of the ruleset in NS in the array CNT by comment.
declare -A CNT
counts() {
	local line

	CNT=()
	while read -r line; do
		[[ $line =~ packets\ ([0-9]+)\ .*comment\ \"([a-z_]+)\" ]] &&
			CNT[${BASH_REMATCH[2]}]=${BASH_REMATCH[1]}
	done <<<"$(n "$1" nft list table inet fw)"
}

declare -A FIGS

# exchange CF SF SERVER_NS SERVER_ADDR CLIENT_NS DST_ADDR DST_PORT: 1 MB
# each way; checks that both ends got all of it.
exchange() {
	serve "$3" "$2" "$4:$PORT" recv send=$BYTES
	xc "$5" "$1" client "$6:$7" send=$BYTES shutdown recv
	served
	expect "the client connects and sends" "OK bytes=$BYTES" \
		"${OUT[connect]} ${OUT[send]%% *}"
	expect "1 MB each way arrives" "bytes=$BYTES bytes=$BYTES" \
		"${SRV[recv]%% *} ${OUT[recv]%% *}"
}

# verdicts TAG PORT_ONLY NEW_OUT: conntrack's classification in $S, as
# expected: no segment invalid or dropped, PORT_ONLY let in by the port
# rule alone (the SYN of an inbound connection) and NEW_OUT new on the way
# out (the SYN of an outbound one); everything else established.
verdicts() {
	local got

	counts "$S"
	got="invalid ${CNT[in_invalid]:-?}/${CNT[out_invalid]:-?}"
	got+=" dropped ${CNT[in_drop]:-?} new-out ${CNT[out_new]:-?}"
	got+=" port-only ${CNT[in_port]:-?}"
	FIGS[$1]="in: established ${CNT[in_est]:-?}, by port only ${CNT[in_port]:-?}, invalid ${CNT[in_invalid]:-?}, dropped ${CNT[in_drop]:-?}; out: established ${CNT[out_est]:-?}, new ${CNT[out_new]:-?}, invalid ${CNT[out_invalid]:-?}"
	expect "conntrack: all established but the SYN, none invalid or dropped" \
		"invalid 0/0 dropped 0 new-out $3 port-only $2" "$got"
}

direct() {
	ruleset "$S" $PORT
	exchange "$1" "$2" "$S" $S_ADDR "$C" $S_ADDR $PORT
	verdicts "direct $1->$2" 1 0
}

dnat() {
	ruleset "$S" $PORT
	exchange "$1" "$2" "$S" $S_ADDR "$C" $S_ADDR $((PORT + 1000))
	verdicts "dnat $1->$2" 1 0
}

# The client in $S: it connects to PORT+2000, which $S's output chain
# DNATs to the server's PORT in $C.
outbound() {
	ruleset "$S" $PORT
	exchange "$1" "$2" "$C" $C_ADDR "$S" $C_ADDR $((PORT + 2000))
	verdicts "out $1->$2" 0 1
}

pairings "to the firewalled server" direct
pairings "to the firewalled server through DNAT" dnat
pairings "from the firewalled namespace through output DNAT" outbound

for s in direct dnat out; do
	for p in inet-\>inet inet-\>xtcp xtcp-\>inet xtcp-\>xtcp; do
		echo "# $s $p: ${FIGS[$s $p]:-not run}"
	done
done
done_testing
