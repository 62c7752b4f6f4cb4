#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A reliable byte stream, for every pairing of Linux TCP and xtcp (CLIENT=,
# SERVER= narrow them): one connection carries a pseudo-random stream each
# way at once, and what arrives must be what was sent (sha256, and every
# byte compared as it comes), over a clean link and over links that lose,
# delay, reorder, duplicate and corrupt segments (netem on both veth ends,
# so both directions suffer). inet->inet, Linux TCP on both ends, is the
# control: it shows the case is fair. IP must drop no segment as too big
# for the path (Ip FragFails): SACK blocks beside a full payload once did.
# Each transfer has a hard time limit; the TAP diagnostics give its time
# and rate.
#
# XTCP_STREAM_CASES="clean loss10" runs only those cases;
# XTCP_STREAM_BYTES=N (K, M, G) overrides every case's size and
# XTCP_STREAM_LIMIT=S every case's time limit (64 MiB needs more than 90 s
# in the debug test kernel even for Linux TCP).
. "$(dirname "$0")/lib.sh"

# The cases: name, bytes each way, time limit per transfer (s), netem.
# 64 MiB each way is the goal: the clean link carries it in make check
# (about 50 s per pairing). In the debug test kernel (KASAN, lockdep) Linux
# TCP itself moves 0.4 to 1.4 MB/s each way under impairment, so 64 MiB
# over every impaired case would not fit CI's 90 minutes (loss 10%: 3 to
# 8 minutes per pairing); those carry less, the size is in every check's
# name, and XTCP_STREAM_BYTES=64M runs them all at 64 MiB. The time limits
# bound the script (selftests/settings: timeout.stream).
#
# netem corrupts a bit in an sk_buff's linear part only: Linux TCP's
# segments keep their payload in page fragments, so only the headers get
# hit and a Linux receiver counted just 1 to 3 checksum errors in 4 MiB at
# 1%, sometimes none. 5% makes "InCsumErrors grew" certain.
CASES=(
	"clean		64M	400	-"
	"loss1		4M	90	loss 1%"
	"loss10		2M	90	loss 10%"
	"delay20ms	2M	90	delay 20ms 5ms"
	"reorder	2M	90	delay 10ms reorder 25% 50%"
	"duplicate5	4M	90	duplicate 5%"
	"corrupt5	4M	90	corrupt 5%"
)

net_pair

# impair NETEM...: the same netem on both veth ends; "-" for none.
impair() {
	tc -n "$C" qdisc del dev xv0 root 2>/dev/null
	tc -n "$S" qdisc del dev xv1 root 2>/dev/null
	[ "$1" = - ] && return 0
	tc -n "$C" qdisc add dev xv0 root netem "$@" &&
		tc -n "$S" qdisc add dev xv1 root netem "$@"
}

# csum_errors NS FAMILY: REPLY is the count of segments FAMILY's receive
# path dropped for a bad checksum in NS.
csum_errors() {
	stack_counter "$1" "$2" InCsumErrors
}

# recovery NS FAMILY WHO: a diagnostic line with how an xtcp end recovered
# (counters since the namespace was made), to compare runs and pairings.
recovery() {
	local n line=

	[ "$2" = xtcp ] || return 0
	for n in RetransSegs Timeouts FastRetrans SackRecoveries OfoQueue \
		 RcvPruned PawsRejected InErrs; do
		counter "$1" xtcp_stat Xtcp: $n
		line+=" $n=$REPLY"
	done
	echo "# $_t_prefix$name: $3 xtcp:$line"
}

# frag_fails NS: REPLY is IP's count of datagrams too big for the path that
# it dropped in NS (DF set; over IPv6 Ip6FragFails of /proc/net/snmp6, a
# name and a value a line). A TCP that sizes its segments right has none.
frag_fails() {
	local pid key val

	if [ "$XTCP_FAMILY" = 4 ]; then
		counter "$1" snmp Ip: FragFails
		return
	fi
	[ "$1" = "$C" ] && pid=$_c_pid || pid=$_s_pid
	REPLY=?
	while read -r key val; do
		[ "$key" = Ip6FragFails ] && REPLY=$val
	done <"/proc/$pid/net/snmp6"
}

# human SIZE: REPLY is SIZE as the check names say it ("64 MiB", "512 KiB").
human() {
	case $1 in
	*G) REPLY="${1%G} GiB" ;;
	*M) REPLY="${1%M} MiB" ;;
	*K) REPLY="${1%K} KiB" ;;
	*) REPLY="$1 bytes" ;;
	esac
}

# A transfer: $size each way within $limit seconds, checked.
transfer() {
	local cf=$1 sf=$2 c_csum s_csum c_frag s_frag what ctl=

	[ "$cf/$sf" = inet/inet ] && ctl=" (control: Linux TCP on both ends)"
	csum_errors "$C" "$cf"
	c_csum=$REPLY
	csum_errors "$S" "$sf"
	s_csum=$REPLY
	frag_fails "$C"
	c_frag=$REPLY
	frag_fails "$S"
	s_frag=$REPLY
	xs_run "$cf" "$sf" "--bytes $size --timeout $limit" \
		"--bytes $size --timeout $limit"
	human "$size"
	what=$REPLY
	xs_intact "$name: $what client->server arrive intact$ctl" \
		client server "$bytes"
	xs_intact "$name: $what server->client arrive intact$ctl" \
		server client "$bytes"
	echo "# $_t_prefix$name: client ${XS_C[time]:-${XS_C[timeout]:-?}}"
	echo "# $_t_prefix$name: server ${XS_S[time]:-${XS_S[timeout]:-?}}"
	recovery "$C" "$cf" client
	recovery "$S" "$sf" server
	# A segment with SACK blocks beside a full payload once went over
	# the MTU: IP dropped it, and xtcp<->xtcp stalled.
	frag_fails "$C"
	c_frag+=" -> $REPLY"
	frag_fails "$S"
	s_frag+=" -> $REPLY"
	if _same "$c_frag" && _same "$s_frag"; then
		pass "$name: no segment too big for the path (Ip FragFails)$ctl"
	else
		fail "$name: no segment too big for the path (Ip FragFails)$ctl" \
			"client ($cf): $c_frag" "server ($sf): $s_frag"
	fi
	[ "$name" = corrupt5 ] || return 0

	csum_errors "$C" "$cf"
	c_csum+=" -> $REPLY"
	csum_errors "$S" "$sf"
	s_csum+=" -> $REPLY"
	if _grew "$c_csum" && _grew "$s_csum"; then
		pass "$name: both receivers dropped corrupt segments (InCsumErrors grew)$ctl"
		echo "# $_t_prefix$name: InCsumErrors client $c_csum, server $s_csum"
	else
		fail "$name: both receivers dropped corrupt segments (InCsumErrors grew)$ctl" \
			"client ($cf): $c_csum" "server ($sf): $s_csum"
	fi
}

# _same "A -> B": A and B are the same number.
_same() {
	[[ $1 =~ ^([0-9]+)\ -\>\ ([0-9]+)$ ]] &&
		[ "${BASH_REMATCH[2]}" -eq "${BASH_REMATCH[1]}" ]
}

# _grew "A -> B": B is a number larger than A.
_grew() {
	[[ $1 =~ ^([0-9]+)\ -\>\ ([0-9]+)$ ]] &&
		[ "${BASH_REMATCH[2]}" -gt "${BASH_REMATCH[1]}" ]
}

for c in "${CASES[@]}"; do
	read -r name size limit netem <<<"$c"
	case " ${XTCP_STREAM_CASES:-$name} " in *" $name "*) ;; *) continue ;; esac
	size=${XTCP_STREAM_BYTES:-$size} limit=${XTCP_STREAM_LIMIT:-$limit}
	case $size in
	*G) bytes=$((${size%G} << 30)) ;;
	*M) bytes=$((${size%M} << 20)) ;;
	*K) bytes=$((${size%K} << 10)) ;;
	*) bytes=$size ;;
	esac
	# shellcheck disable=SC2086 # netem's arguments are words
	if ! out=$(impair $netem 2>&1); then
		fail "$name: netem $netem on both veth ends" "$out"
		continue
	fi
	pairings "$name" transfer
done

done_testing
