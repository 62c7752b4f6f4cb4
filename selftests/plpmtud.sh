#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Packetization-layer path-MTU discovery (RFC 4821; mod/mtuprobe.c), xtcp
# beside Linux TCP on the same path. The router's link to B takes only
# 1280-byte packets and the router's "fragmentation needed" never leaves
# it (a firewall drops its ICMP): classic path-MTU discovery cannot work,
# every full-sized segment vanishes (a black hole).
#  - net.xtcp.mtu_probing 0 (tcp_mtu_probing 0): a transfer stalls, for
#    xtcp as for Linux TCP;
#  - 1: retransmissions timing out past R1 lower the MSS to base_mss
#    (1024) and the transfer completes; B sees 1024-byte segments first;
#  - 2: connections start at base_mss and probe up to the path's MSS
#    (1228 here); a lost probe is not congestion: ssthresh stays unset
#    and no fast recovery starts;
#  - the same over IPv6;
#  - after probe_interval the search starts again: once the link takes
#    1500 bytes, the MSS grows without any ICMP (Linux TCP's too, in most
#    runs: printed).
# A (10.0.1.1) -- R (10.0.1.254 | 10.0.2.254) -- B (10.0.2.2)
. "$(dirname "$0")/lib.sh"
require_module

net_routed
# The narrow link: the route is locked at 1280, so R drops what is larger
# (every segment carries DF) and would say so; the firewall drops that.
n "$R" ip route replace 10.0.2.0/24 dev r1 mtu lock 1280
n "$R" nft -f - <<'EOF'
table inet f {
	chain out {
		type filter hook output priority 0;
		icmp type destination-unreachable counter drop
	}
}
EOF
# B sees each segment as sent, not GSO super-segments.
n "$R" ethtool -K r1 gso off tso off >/dev/null 2>&1
tmpfile CAP plpmtud-pcap
cap_start "$B" b0 "$CAP"

# mode N: net.xtcp.mtu_probing and net.ipv4.tcp_mtu_probing in A.
mode() {
	n "$A" sysctl -qw net.xtcp.mtu_probing="$1" \
		net.ipv4.tcp_mtu_probing="$1"
}
# linux_stat NAME: Linux TCP's TcpExt counter NAME in A.
linux_stat() {
	n "$A" awk -v f="$1" '$1 == "TcpExt:" { if (!c) { for (i = 2; i <= NF; i++)
		if ($i == f) c = i } else print $c }' /proc/net/netstat
}
# sizes PORT: REPLY is "FIRST MAX BASE", the payload of the first data
# segment from A to PORT that reached B, the largest, and how many had
# base_mss (1024) bytes.
sizes() {
	local i first=0 max=0 base=0

	PORT=$1
	cap_load "$CAP"
	for i in "${!_src[@]}"; do
		[ "${_src[i]}" = 10.0.1.1 ] && [ "${_len[i]}" -gt 0 ] || continue
		[ $first -eq 0 ] && first=${_len[i]}
		[ "${_len[i]}" -gt $max ] && max=${_len[i]}
		[ "${_len[i]}" -eq 1024 ] && base=$((base + 1))
	done
	REPLY="$first $max $base"
}
# both PORT SIZE OP...: an xtcp client on PORT and a Linux TCP one on
# PORT+1 at once, each sending SIZE bytes to its Linux TCP server in B
# and then running OPs; results in XC and LC, the servers' in XS and LS.
declare -A XC LC XS LS
# DST (B's address, 10.0.2.2 by default) and LFAM (Linux TCP's family,
# inet by default) serve IPv6 too.
both() {
	local port=$1 size=$2 dst=${DST:-10.0.2.2} lfam=${LFAM:-inet}

	shift 2
	bg xs "$B" $lfam server "$dst:$port" recv
	bg ls "$B" $lfam server "$dst:$((port + 1))" recv
	bg_wait xs '^port='
	bg_wait ls '^port='
	bg xc "$A" xtcp client "$dst:$port" send=$size "$@"
	bg lc "$A" $lfam client "$dst:$((port + 1))" send=$size "$@"
	bg_done xc XC
	bg_done lc LC
	bg_done xs XS
	bg_done ls LS
}

# 1. No probing: full-sized segments vanish for ever, for both stacks.
# 12000 bytes fit the send buffer; after 4 s all of them are still
# unacknowledged, and the connection is reset.
mode 0
t0=$(xtcp_stat "$A" Timeouts)
both 7000 12000 sleep=4 ioctl=outq linger0 close
expect "mtu_probing 0: after 4 s nothing crossed the black hole (SIOCOUTQ)" \
	"ioctl 12000" "ioctl ${XC[ioctl]#ioctl }"
expect "as for Linux TCP with tcp_mtu_probing 0" \
	"ioctl 12000" "ioctl ${LC[ioctl]#ioctl }"
expect "B's reads got no data, only the reset" "ECONNRESET ECONNRESET" \
	"${XS[recv]%% sha*} ${LS[recv]%% sha*}"
check "xtcp kept retransmitting (Timeouts)" \
	test $(($(xtcp_stat "$A" Timeouts) - t0)) -ge 3

# 2. Black hole detection: past R1 the MSS drops to base_mss (1024), the
# retransmission crosses, and the transfer completes.
mode 1
SIZE=300000
holes=$(xtcp_stat "$A" BlackHoleDetected)
both 7010 $SIZE drain get=maxseg close
expect "mtu_probing 1: xtcp's $SIZE bytes cross the black hole intact" \
	"bytes=$SIZE ${XC[send]##*sha256=}" "${XS[recv]%% sha*} ${XS[recv]##*sha256=}"
expect "and Linux TCP's (tcp_mtu_probing 1)" \
	"bytes=$SIZE ${LC[send]##*sha256=}" "${LS[recv]%% sha*} ${LS[recv]##*sha256=}"
check "xtcp detected the black hole (BlackHoleDetected)" \
	test $(($(xtcp_stat "$A" BlackHoleDetected) - holes)) -ge 1
cap_sync
sizes 7010
x=$REPLY
sizes 7011
echo "# first, largest and base_mss segments B got: xtcp $x, Linux TCP" \
	"$REPLY; MSS at the end: xtcp ${XC[get]}, Linux TCP ${LC[get]}"
# A short segment (a write's tail) may cross before the black hole is
# found: count the base_mss ones rather than look at the first.
crossed() {
	local first max base

	read -r first max base <<<"$1"
	[ "$max" -le 1228 ] && [ "$base" -ge 1 ] && echo yes
}
expect "base_mss (1024) segments crossed, none above 1228" yes "$(crossed "$x")"
expect "as with Linux TCP" yes "$(crossed "$REPLY")"

# 3. Probing from the start: 2 MB, started at base_mss, probing up to the
# path's MSS (1228: 1280 less IP, TCP and timestamp headers).
mode 2
SIZE=2000000
declare -A c0
for c in MtuProbes MtuProbesSucceeded MtuProbesFailed FastRetrans Timeouts \
	 TlpRecoveries; do
	c0[$c]=$(xtcp_stat "$A" $c)
done
lfail=$(linux_stat TCPMTUPFail)
both 7020 $SIZE drain get=maxseg rtt close
for c in "${!c0[@]}"; do
	c0[$c]=$(($(xtcp_stat "$A" $c) - c0[$c]))
done
lfail=$(($(linux_stat TCPMTUPFail) - lfail))
cap_sync
sizes 7020
x=$REPLY
sizes 7021
echo "# xtcp: ${c0[MtuProbes]} probes, ${c0[MtuProbesSucceeded]} acknowledged," \
	"${c0[MtuProbesFailed]} lost; first and largest segment at B: $x;" \
	"${XC[rtt]}"
echo "# Linux TCP: $lfail probes lost; first and largest: $REPLY; ${LC[rtt]}"
expect "mtu_probing 2: $SIZE bytes arrive intact, both stacks" \
	"bytes=$SIZE bytes=$SIZE" "${XS[recv]%% sha*} ${LS[recv]%% sha*}"
expect "xtcp started at base_mss and probed up to the path's MSS, 1228" \
	"1024 1228" "${x% *}"
expect "TCP_MAXSEG says 1228 at the end" 1228 "${XC[get]}"
# Linux TCP probes only with a probe's worth of data queued: with these
# 4 KiB writes, in some runs not at all. It stays within the path.
check "Linux TCP stayed between base_mss and the path's MSS" \
	test "${LC[get]}" -ge 1024 -a "${LC[get]}" -le 1228
check "xtcp's probes: some acknowledged, some lost" \
	test "${c0[MtuProbesSucceeded]}" -ge 3 -a "${c0[MtuProbesFailed]}" -ge 1
expect "a lost probe is not congestion: no fast retransmit, no RTO" \
	"0 0" "${c0[FastRetrans]} ${c0[Timeouts]}"
# Linux TCP's ssthresh is printed above, not compared: other events of
# its own (cwnd undo, CWR) set it in some runs. xtcp's is: on a busy host
# a late ACK draws a tail loss probe, which is no loss once the receiver's
# D-SACK (or the original's ACK, then a duplicate) says the probe resent
# what had arrived (TlpRecoveries, counted in the line below, stays 0).
echo "# xtcp: TlpRecoveries ${c0[TlpRecoveries]}"
expect "and ssthresh was never set" ssthresh=2147483647 "${XC[rtt]##* }"

# 4. The search starts again after probe_interval (1 s here): the link
# now takes 1500 bytes, and without a word from the path the MSS grows
# to 1441 (the search stops when its range, up to 1448, is under
# probe_threshold, 8 bytes). 3 MB after the wait: the search's five
# probes each wait for a probe's worth queued and cwnd to spare, and with
# 1 MB it ended at 1420 in one run of many, the data gone first.
n "$A" sysctl -qw net.xtcp.probe_interval=1 net.ipv4.tcp_probe_interval=1
grow() {
	local fam=$1 port=$2

	n "$R" ip route replace 10.0.2.0/24 dev r1 mtu lock 1280
	serve "$B" inet 10.0.2.2:$port recv
	bg cli "$A" "$fam" client 10.0.2.2:$port send=1000000 drain \
		get=maxseg wait send=3000000 drain get=maxseg close
	bg_wait cli '^wait ready'
	n "$R" ip route replace 10.0.2.0/24 dev r1
	nap 1.2
	go cli
	bg_done cli RES
	served
	REPLY="${RES[get]} ${RES[get2]} ${SRV[recv]%% sha*}"
}
declare -A RES
grow xtcp 7030
x=$REPLY
grow inet 7031
echo "# MSS before and after the path grew: xtcp ${x% bytes*}, Linux TCP ${REPLY% bytes*}"
# A probe lost to something else than its size (a full queue on a busy
# host) lowers search_high, and the next search after probe_interval
# raises it again: the MSS ends anywhere in the last range the search
# leaves, 1441 to 1448 (1444 in one CI run of many: the probe of 1393
# lost, the search ended at 1392, and the next one from 1385 went on to
# 1444). What fails is an MSS that stays at 1228 or a search that stops
# short of that range.
read -r x0 x1 x2 <<<"$x"
check "after probe_interval xtcp probes up again to 1441..1448" \
	test "$x0" = 1228 -a "$x1" -ge 1441 -a "$x1" -le 1448 \
	-a "$x2" = bytes=4000000
# Linux TCP gets there too in most runs (1441 as well), but whether its
# search restarts within 3 MB depends on its send queue: not compared.
expect "Linux TCP's transfer completes" "bytes=4000000" "${REPLY##* }"

# 5. IPv6, probing from the start: the search counts in MSS, whatever the
# family. 1280 bytes less 60 of IPv6 and TCP headers and 12 of timestamps
# is 1208; the search from base_mss ends 3 short (1205: the range is then
# under probe_threshold), as Linux TCP's does when it probes. R drops its "packet too big".
ip -n "$A" -6 addr add fd00:1::1/64 dev xv0 nodad
ip -n "$R" -6 addr add fd00:1::fe/64 dev xv1 nodad
ip -n "$R" -6 addr add fd00:2::fe/64 dev r1 nodad
ip -n "$B" -6 addr add fd00:2::2/64 dev b0 nodad
ip -n "$A" -6 route add default via fd00:1::fe
ip -n "$B" -6 route add default via fd00:2::fe
n "$R" sysctl -qw net.ipv6.conf.all.forwarding=1
# (A host route: one for the prefix would lose to the kernel's.)
n "$R" ip -6 route add fd00:2::2/128 dev r1 mtu lock 1280
n "$R" nft add rule inet f out icmpv6 type packet-too-big counter drop
n "$A" sysctl -qw net.xtcp.probe_interval=600 net.ipv4.tcp_probe_interval=600
mode 2
probes=$(xtcp_stat "$A" MtuProbes)
DST="[fd00:2::2]" LFAM=inet6 both 7040 2000000 drain get=maxseg close
echo "# IPv6: xtcp sent $(($(xtcp_stat "$A" MtuProbes) - probes)) probes"
expect "IPv6, mtu_probing 2: both stacks' 2000000 bytes arrive" \
	"bytes=2000000 bytes=2000000" "${XS[recv]%% sha*} ${LS[recv]%% sha*}"
echo "# IPv6 MSS at the end: xtcp ${XC[get]}, Linux TCP ${LC[get]}"
expect "xtcp probed up to 1205" 1205 "${XC[get]}"
check "Linux TCP stayed between base_mss and the path's MSS (1208)" \
	test "${LC[get]}" -ge 1024 -a "${LC[get]}" -le 1208

cap_stop
echo "# R dropped its ICMP: $(n "$R" nft list chain inet f out | grep -o 'packets [0-9]*' | tr '\n' ' ')"
done_testing
