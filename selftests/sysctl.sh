#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a namespace shows of xtcp: its net.xtcp.* settings, each with a
# default and a range that a bad write cannot leave, and each namespace's
# own; and its counters in /proc/net/xtcp_stat, in the /proc/net/snmp style.
. "$(dirname "$0")/lib.sh"
require_module

# Every setting with its default, its bounds, and values out of range.
names="msl_ms syn_retries synack_retries fin_timeout_ms ip_local_port_range
	max_syn_backlog challenge_ack_limit rto_min_ms invalid_ratelimit_ms
	gso congestion_control rmem wmem"
declare -A default=(
	[msl_ms]=30000 [syn_retries]=6 [synack_retries]=5
	[fin_timeout_ms]=60000 [ip_local_port_range]="32768 60999"
	[max_syn_backlog]=128 [challenge_ack_limit]=1000
	[rto_min_ms]=200 [invalid_ratelimit_ms]=500 [gso]=1
	[congestion_control]=cubic
	[rmem]="4096 131072 6291456" [wmem]="4096 16384 4194304"
)
declare -A valid=(
	[msl_ms]="1 600000 1234" [syn_retries]="1 127 3"
	[synack_retries]="1 255 7" [fin_timeout_ms]="1 600000 2345"
	[max_syn_backlog]="1 65535 1024"
	[challenge_ack_limit]="0 2147483647 100"
	[rto_min_ms]="1 120000 300"
	[invalid_ratelimit_ms]="0 600000 1000" [gso]="0 1"
	[congestion_control]="cubic newreno"
)
declare -A invalid=(
	[msl_ms]="0 -1 600001 abc 12abc"
	[syn_retries]="0 -1 128 abc"
	[synack_retries]="0 -1 256 abc"
	[fin_timeout_ms]="0 -1 600001 abc"
	[max_syn_backlog]="0 -1 65536 abc"
	[challenge_ack_limit]="-1 2147483648 abc"
	[rto_min_ms]="0 -1 120001 abc"
	[invalid_ratelimit_ms]="-1 600001 abc"
	[gso]="-1 2 abc"
)
# Hostile peers (issue 9 items 6, 7): Linux's bounds for tcp_min_snd_mss;
# an orphan gets no more retries than XTCP_DATA_RETRIES.
names+=" min_snd_mss orphan_retries max_orphans"
default+=([min_snd_mss]=48 [orphan_retries]=0 [max_orphans]=16384)
valid+=([min_snd_mss]="48 65535 536" [orphan_retries]="0 15 3"
	[max_orphans]="0 2147483647 100")
invalid+=([min_snd_mss]="47 0 65536 abc" [orphan_retries]="-1 16 abc"
	[max_orphans]="-1 2147483648 abc")
names+=" syncookies"
default[syncookies]=1
valid[syncookies]="0 2 1"
invalid[syncookies]="-1 3 abc"
# R1 and R2 (RFC 9293 3.8.3) as tcp_retries1/2, in Linux's bounds.
names+=" retries1 retries2"
default+=([retries1]=3 [retries2]=15)
valid+=([retries1]="0 255 5" [retries2]="0 255 8")
invalid+=([retries1]="-1 256 abc" [retries2]="-1 256 abc")
# Path-MTU probing (RFC 4821) as tcp_mtu_probing and its companions; an
# MSS in tcp_mtu_probe_floor's bounds, the interval's jiffies in 31 bits.
names+=" mtu_probing base_mss mtu_probe_floor probe_threshold probe_interval"
default+=([mtu_probing]=0 [base_mss]=1024 [mtu_probe_floor]=48
	[probe_threshold]=8 [probe_interval]=600)
valid+=([mtu_probing]="1 2 0" [base_mss]="48 65535 512"
	[mtu_probe_floor]="48 65535 256" [probe_threshold]="0 65535 16"
	[probe_interval]="0 2147483 10")
invalid+=([mtu_probing]="-1 3 abc" [base_mss]="47 0 65536 abc"
	[mtu_probe_floor]="47 65536 abc" [probe_threshold]="-1 65536 abc"
	[probe_interval]="-1 2147484 abc")
# RACK (tcp_recovery's bit 0x1), tail loss probes and PRR: on or off.
names+=" recovery tlp prr"
default+=([recovery]=1 [tlp]=1 [prr]=1)
valid+=([recovery]="0 1" [tlp]="0 1" [prr]="0 1")
invalid+=([recovery]="-1 2 4 abc" [tlp]="-1 2 abc" [prr]="-1 2 abc")
names+=" dsack"
default+=([dsack]=1)
valid+=([dsack]="0 1")
invalid+=([dsack]="-1 2 abc")
# Undo of spurious recoveries by timestamps (RFC 3522): on or off.
names+=" ts_undo"
default+=([ts_undo]=1)
valid+=([ts_undo]="0 1")
invalid+=([ts_undo]="-1 2 abc")
# As net.ipv4.tcp_notsent_lowat: an unsigned int, UINT_MAX for no mark.
names+=" notsent_lowat"
default+=([notsent_lowat]=4294967295)
valid+=([notsent_lowat]="0 16384 4294967295")
invalid+=([notsent_lowat]="-1 4294967296 abc")
# ECN as tcp_ecn: 0 off, 1 ask and agree, 2 (default) agree when asked.
names+=" ecn"
default+=([ecn]=2)
valid+=([ecn]="0 1 2")
invalid+=([ecn]="-1 3 abc")
# TCP Fast Open as tcp_fastopen: bits, 0x1 client (the default), 0x2
# server, 0x200 server without cookies.
names+=" fastopen"
default+=([fastopen]=1)
valid+=([fastopen]="0 1 2 3 515")
invalid+=([fastopen]="-1 abc")
# HyStart++ (RFC 9406) in the first slow start: 1 (default) on, 0 off.
names+=" hystart"
default+=([hystart]=1)
valid+=([hystart]="0 1")
invalid+=([hystart]="-1 2 abc")
names+=" rfc1337"
default+=([rfc1337]=0)
valid+=([rfc1337]="1 0")
invalid+=([rfc1337]="-1 2 abc")
# Algorithms nobody registered, Linux's included, are ENOENT as in
# net.ipv4.tcp_congestion_control; so is a name cut to fit.
cc_invalid=(reno bbr CUBIC cubic2 newrenonewrenonewreno "")
# The error a write fails with; other settings' bad values are EINVAL.
declare -A errno=([congestion_control]=ENOENT)
# Port ranges are "lo hi": one value a word would be split, so a list.
port_valid=("1 65535" "40000 40000" "1024 2048")
port_invalid=("40000 30000" "0 1000" "1000 65536" "65536 65536"
	"-5 100" "abc" "1000 abc")

# Each namespace has a shell of its own that runs the reads and writes:
# hundreds of "ip netns exec" at 0.15 s each (more under load) made this
# the slowest test but two. sh_start NS: start NS's shell.
declare -A _sh_in _sh_out
sh_start() {
	local f fdi fdo

	tmpfile f "sh-${1##*-}"
	mkfifo "$f.in" "$f.out"
	ip netns exec "$1" bash <"$f.in" >"$f.out" 2>&1 &
	exec {fdi}>"$f.in" {fdo}<"$f.out"
	_sh_in[$1]=$fdi _sh_out[$1]=$fdo
}

# in_ns NS CMD: run the command line CMD in NS's shell; REPLY is what it
# printed (both streams), and its status is CMD's.
in_ns() {
	local line out= st=1

	printf '%s\necho "@@end $?"\n' "$2" >&"${_sh_in[$1]}"
	while IFS= read -r -u "${_sh_out[$1]}" line; do
		if [[ $line =~ ^(.*)@@end\ ([0-9]+)$ ]]; then
			out+=${BASH_REMATCH[1]} st=${BASH_REMATCH[2]}
			break
		fi
		out+=$line$'\n'
	done
	REPLY=${out%$'\n'}
	return "$st"
}

# get NS NAME: the setting, its fields separated by one space (as the
# shell splits them: the file has tabs between them).
get() {
	in_ns "$1" "read -r v </proc/sys/net/xtcp/$2 && echo \$v"
	echo "$REPLY"
}
# put NS NAME VALUE: sysctl -w, whose status says if the kernel took it.
put() {
	local q

	printf -v q %q "net.xtcp.$2=$3"
	in_ns "$1" "sysctl -q -w $q >/dev/null 2>&1"
}

# write_errno NS NAME VALUE: OK, or the errno name a write of VALUE (by
# echo) fails with. bash reports it as strerror text, at the line's end.
write_errno() {
	local q err

	printf -v q %q "$3"
	in_ns "$1" "echo $q >/proc/sys/net/xtcp/$2" && { echo OK; return; }
	err=$REPLY
	case "$err" in
	*": Invalid argument") echo EINVAL ;;
	*": No such file or directory") echo ENOENT ;;
	*) echo "$err" ;;
	esac
}

# rejects NS NAME VALUE: a write of VALUE fails and leaves the old value.
# The writes take turns between sysctl -w and a shell redirection.
_by_echo=0
rejects() {
	local ns=$1 name=$2 val=$3 how before after desc err
	local want=${errno[$name]:-EINVAL}

	_by_echo=$((1 - _by_echo))
	how="sysctl -w"
	[ $_by_echo -eq 1 ] && how="echo >"
	desc="$name rejects \"$val\" ($how) and keeps its value"
	before=$(get "$ns" "$name")
	if [ $_by_echo -eq 1 ]; then
		err=$(write_errno "$ns" "$name" "$val")
		[ "$err" = OK ] && { fail "$desc" "the write worked"; return; }
		expect "$name: writing \"$val\" fails with $want" "$want" "$err"
	else
		put "$ns" "$name" "$val" &&
			{ fail "$desc" "the write worked"; return; }
	fi
	after=$(get "$ns" "$name")
	expect "$desc" "$before" "$after"
}

ns_new A a
ns_new B b
sh_start "$A"
sh_start "$B"

for name in $names; do
	check "the initial namespace has /proc/sys/net/xtcp/$name" \
		test -f "/proc/sys/net/xtcp/$name"
	expect "a new namespace has $name = ${default[$name]}" \
		"${default[$name]}" "$(get "$A" "$name")"
done

for name in $names; do
	[ "$name" = ip_local_port_range ] && continue
	for val in ${valid[$name]:-}; do
		put "$A" "$name" "$val"
		expect "$name takes $val" "$val" "$(get "$A" "$name")"
	done
	for val in ${invalid[$name]:-}; do
		rejects "$A" "$name" "$val"
	done
done
for val in "${port_valid[@]}"; do
	put "$A" ip_local_port_range "$val"
	expect "ip_local_port_range takes $val" "$val" \
		"$(get "$A" ip_local_port_range)"
done
for val in "${port_invalid[@]}"; do
	rejects "$A" ip_local_port_range "$val"
done
for val in "${cc_invalid[@]}"; do
	rejects "$A" congestion_control "$val"
done
# Buffer sizes: three numbers, each at least 1, as tcp_rmem and tcp_wmem.
for name in rmem wmem; do
	put "$A" $name "8192 65536 1048576"
	expect "$name takes 8192 65536 1048576" "8192 65536 1048576" \
		"$(get "$A" $name)"
	for val in "0 65536 1048576" "-1 2 3" "abc"; do
		rejects "$A" $name "$val"
	done
	put "$A" $name "${default[$name]}"
done
# net.xtcp.mem is protocol-wide: in the initial namespace only (tcp_mem).
check "the initial namespace has net.xtcp.mem, three page counts" \
	test "$(sysctl -n net.xtcp.mem | wc -w)" = 3
check "another namespace has no net.xtcp.mem" \
	test -z "$(n "$A" sysctl -n net.xtcp.mem 2>/dev/null)"

# A has been written all over; B and the next namespace must not notice.
for name in $names; do
	expect "B keeps its own $name" "${default[$name]}" "$(get "$B" "$name")"
done
put "$B" msl_ms 777
expect "setting msl_ms in B leaves A's alone" 1234 "$(get "$A" msl_ms)"
expect "and B reads back its own" 777 "$(get "$B" msl_ms)"
put "$B" rto_min_ms 50
expect "setting rto_min_ms in B leaves A's alone" 300 "$(get "$A" rto_min_ms)"
expect "and B reads back its own" 50 "$(get "$B" rto_min_ms)"
# A was left at newreno; B switches to newreno and back, A to cubic.
put "$B" congestion_control newreno
put "$A" congestion_control cubic
expect "setting congestion_control in A leaves B's alone" newreno \
	"$(get "$B" congestion_control)"
put "$B" congestion_control cubic
put "$A" congestion_control newreno
expect "and the other way round" "newreno cubic" \
	"$(get "$A" congestion_control) $(get "$B" congestion_control)"

# A namespace starts from the defaults, not from the initial namespace's
# values (Linux copies some of init_net's; xtcp does not).
init_msl=$(sysctl -n net.xtcp.msl_ms)
sysctl -q -w net.xtcp.msl_ms=4321 >/dev/null
ns_new C c
sysctl -q -w "net.xtcp.msl_ms=$init_msl" >/dev/null
sh_start "$C"
ok=1
for name in $names; do
	[ "$(get "$C" "$name")" = "${default[$name]}" ] || ok=0
done
expect "a namespace made after others changed theirs has the defaults" 1 "$ok"
expect "the initial namespace is as it was" "$init_msl" \
	"$(sysctl -n net.xtcp.msl_ms)"

# /proc/net/xtcp_stat: "Xtcp:" and the names, then "Xtcp:" and the values.
stat_names="ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab"
stat_names+=" InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors"
stat_names+=" ChallengeAcks ChallengeAckLimited OutOfWindowAckLimited"
stat_names+=" SynDrops TimeWaits"
stat_names+=" Timeouts FastRetrans Recoveries SackRecoveries OfoQueue"
stat_names+=" RcvPruned PawsRejected DelayedAcks WinProbes FilterDrops"
stat_names+=" SyncookiesSent SyncookiesRecv SyncookiesFailed"
stat_names+=" ListenOverflows ListenDrops"
stat_names+=" PruneCalled OfoPruned RcvCollapsed MemoryPressures"
stat_names+=" InIcmps OutOfWindowIcmps"
stat_names+=" NegativeAdvice"
stat_names+=" RtoReverts"
stat_names+=" MtuProbes MtuProbesSucceeded MtuProbesFailed BlackHoleDetected"
stat_names+=" TlpProbes TlpRecoveries RackLosses RackReoTimeouts"
stat_names+=" DSackOldSent DSackOfoSent DSackRecv DSackUndo"
stat_names+=" TSUndo SpuriousRTOs"
stat_names+=" EcnNegotiated EcnCeRecv EcnEceRecv EcnReductions EcnCwrSent"
stat_names+=" TCPFastOpenActive TCPFastOpenActiveFail TCPFastOpenPassive"
stat_names+=" TCPFastOpenPassiveFail TCPFastOpenListenOverflow"
stat_names+=" TCPFastOpenCookieReqd"
stat_names+=" TCPHystartDelayDetect TCPHystartDelayCwnd"
zeros=$(for _ in $stat_names; do printf ' 0'; done)

check "the initial namespace has /proc/net/xtcp_stat" \
	test -r /proc/net/xtcp_stat
for ns in "$A" "$B" "$C"; do
	in_ns "$ns" "cat /proc/net/xtcp_stat"
	stat=$REPLY
	tag=${ns##*-}
	expect "xtcp_stat in $tag has two lines, both headed Xtcp:" "2 2" \
		"$(awk '/^Xtcp:/ { x++ } END { print NR, x + 0 }' <<<"$stat")"
	expect "xtcp_stat in $tag has as many values as names" \
		"$(sed -n 1p <<<"$stat" | wc -w)" "$(sed -n 2p <<<"$stat" | wc -w)"
	expect "xtcp_stat in $tag names xtcp's counters" "Xtcp: $stat_names" \
		"$(sed -n 1p <<<"$stat")"
	expect "xtcp_stat in $tag has every counter at 0" "Xtcp:$zeros" \
		"$(sed -n 2p <<<"$stat")"
done

done_testing
