#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Challenge ACKs (RFC 5961) no longer count for an off-path prober.
# CVE-2016-5696: with one fixed budget per second for everybody, a prober
# spends it with its own connection and counts what is left, so it learns
# whether its spoofed segments hit another connection's window. Now:
#  - each connection answers at most one challenge ACK (or ACK to an
#    unacceptable segment) per net.xtcp.invalid_ratelimit_ms, as Linux's
#    per-socket tcp_oow_rate_limited();
#  - the budget for the namespace is re-drawn each second at random from
#    [limit / 2, limit + limit / 2), as Linux's tcp_send_challenge_ack().
# hostile.py sends bursts of in-window RSTs (not at RCV.NXT) from the
# client's address and port, one burst a second, and counts the answers;
# the same against a Linux TCP server for comparison. With XTCP_FAMILY=6
# (challenge_ack_v6.sh) over IPv6.
. "$(dirname "$0")/lib.sh"
require_module
HOSTILE=$XTCP_ROOT/selftests/hostile.py

ns_new A server
ns_new B client
veth_link "$A" 10.0.0.1 "$B" 10.0.0.2
# The ends as the tools take them ([IPV6] over IPv6), and bare.
addr6 10.0.0.1; a=$REPLY a_ip=${REPLY//[][]/}
addr6 10.0.0.2; b=$REPLY b_ip=${REPLY//[][]/}

# bursts FAMILY PORT N ROUNDS: REPLY is the challenge ACKs FAMILY's server
# in A sent to each of ROUNDS bursts of N RSTs ("C1 C2 ...").
bursts() {
	local fam=$1 port=$2 out

	serve "$A" "$fam" "$a:$port" alarm=60 sleep=40
	bg client "$B" inet client "$a:$port" --bind "$b:$((port + 500))" \
		alarm=60 sleep=40
	nap 0.5
	tmpfile out burst
	n "$B" python3 -B -S -E "$HOSTILE" burst "$b_ip" $((port + 500)) \
		"$a_ip" "$port" "$3" "$4" >"$out" 2>&1
	REPLY=$(sed -n 's/^counts //p' "$out")
	[ -n "$REPLY" ] || REPLY="hostile.py: $(tail -n 2 "$out")"
	kill "${_bg_pid[client]}" "${_bg_pid[server]}" 2>/dev/null
	wait "${_bg_pid[client]}" "${_bg_pid[server]}" 2>/dev/null
}

# The namespace's budget alone: no per-connection limit, a limit of 10.
n "$A" sysctl -qw net.xtcp.invalid_ratelimit_ms=0 net.xtcp.challenge_ack_limit=10 \
	net.ipv4.tcp_invalid_ratelimit=0 net.ipv4.tcp_challenge_ack_limit=10
bursts xtcp 7401 40 8
x=$REPLY
read -r -a c <<<"$x"
# A burst that straddles two seconds of the kernel's clock draws on two
# budgets: 10 or 20 with a fixed limit of 10.
ok=1 odd=
for v in "${c[@]}"; do
	[[ $v =~ ^[0-9]+$ ]] && [ "$v" -ge 5 ] && [ "$v" -le 28 ] || ok=
	[[ $v =~ ^[0-9]+$ ]] && [ "$v" != 10 ] && [ "$v" != 20 ] && odd=1
done
if [ ${#c[@]} -eq 8 ] && [ -n "$ok" ]; then
	pass "each second's budget lies in [5, 14] for a limit of 10"
else
	fail "each second's budget lies in [5, 14] for a limit of 10" \
		"challenge ACKs per burst of 40 (two seconds' budgets at most): $x"
fi
if [ ${#c[@]} -eq 8 ] && [ -n "$odd" ]; then
	pass "the budget is not the fixed limit (a prober cannot count it)"
else
	fail "the budget is not the fixed limit (a prober cannot count it)" \
		"challenge ACKs per burst of 40: $x"
fi
bursts inet 7402 40 8
echo "# challenge ACKs per burst of 40 in-window RSTs, limit 10: xtcp $x; Linux TCP $REPLY"

# One connection: at most one per invalid_ratelimit_ms (500), whatever
# the namespace's budget.
n "$A" sysctl -qw net.xtcp.invalid_ratelimit_ms=500 net.xtcp.challenge_ack_limit=1000 \
	net.ipv4.tcp_invalid_ratelimit=500 net.ipv4.tcp_challenge_ack_limit=1000
limited=$(xtcp_stat "$A" ChallengeAckLimited)
bursts xtcp 7403 40 3
x=$REPLY
expect "one connection gets one challenge ACK per burst (invalid_ratelimit_ms)" \
	"1 1 1" "$x"
if [ "$(xtcp_stat "$A" ChallengeAckLimited)" -ge $((limited + 3 * 39)) ]; then
	pass "the others are counted in ChallengeAckLimited"
else
	fail "the others are counted in ChallengeAckLimited" \
		"$limited -> $(xtcp_stat "$A" ChallengeAckLimited)"
fi
bursts inet 7404 40 3
echo "# challenge ACKs per burst of 40 in-window RSTs to one connection: xtcp $x; Linux TCP $REPLY"

expect "the connections were not reset" 0 "$(xtcp_stat "$A" EstabResets)"

done_testing
