#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sock_diag for xtcp (mod/diag.c) through tools/xss, for the same sockets:
#   - every entry of /proc/net/xtcp is listed once, with the same state,
#     addresses and queues: a listener, a connection with 400 bytes unread,
#     TIME_WAIT and an embryonic (SYN_RECV) entry;
#   - the tcp_info of a connection is what getsockopt(TCP_INFO) gives the
#     program that holds it;
#   - state and port filters, a get by 4-tuple and cookie;
#   - ~300 TIME_WAIT entries come in several netlink datagrams, each once,
#     and dumps during connects and closes are harmless (uml-run fails the
#     run on any KASAN or lockdep report);
#   - malformed requests get Linux's errnos and change nothing;
#   - another namespace sees none of it;
#   - and the same for Linux TCP with ss -tinme, printed next to xss's.
# With XTCP_FAMILY=6 (diag_v6.sh) the same over IPv6, against
# /proc/net/xtcp6, and the families: -4 and -6 list one family each, an
# IPv6 socket's IPv4 connection (a dual-stack listener's child, a
# connect() to a v4-mapped address, its TIME_WAIT) is AF_INET6 with
# v4-mapped addresses, as Linux TCP's, found by a get of either form.

source "$(dirname "$0")/lib.sh"
require_module

XSS=$XTCP_ROOT/tools/xss
XSTRESS=$XTCP_ROOT/selftests/bin/xstress
if [ ! -x "$XSS" ]; then
	fail "tools/xss is built" "run make tools/xss"
	done_testing
fi

net_pair || { fail "namespaces"; done_testing; }
ns_new O other
n "$C" sysctl -qw net.xtcp.msl_ms=60000
n "$S" sysctl -qw net.xtcp.msl_ms=60000
# The embryonic connection on 5003 must outlive the script: its SYN-ACKs
# are dropped, and 5 retries end it after 63 s, which a loaded host's run
# (163 s once) outlasts.
n "$S" sysctl -qw net.xtcp.synack_retries=8

# proc_lines NS: REPLY gets /proc/net/xtcp (xtcp6) of NS as xss -H -a lists it:
# "STATE RECVQ LOCAL PEER" per line, sorted; listeners' Send-Q is their
# backlog in xss (as in ss) and 0 in /proc, so Send-Q is left out.
declare -A _st=([01]=ESTAB [02]=SYN-SENT [03]=SYN-RECV [04]=FIN-WAIT-1
	[05]=FIN-WAIT-2 [06]=TIME-WAIT [07]=UNCONN [08]=CLOSE-WAIT
	[09]=LAST-ACK [0A]=LISTEN [0B]=CLOSING)
_ep() {	# hex "0101000A:1389" -> 10.0.1.1:5001, IPv6 (32 digits) -> [A:B:...]:P
	local a=${1%:*} p=$((16#${1#*:})) w i g=()

	if [ ${#a} = 32 ]; then
		# Four raw 32-bit words, each little-endian; the addresses of
		# lib.sh have no zero group, so only :: needs compressing.
		for ((i = 0; i < 32; i += 8)); do
			w=${a:i:8}
			g+=($((16#${w:6:2}${w:4:2})) $((16#${w:2:2}${w:0:2})))
		done
		printf -v REPLY '%x:' "${g[@]}"
		REPLY=${REPLY%:}
		[ "$REPLY" = 0:0:0:0:0:0:0:0 ] && REPLY=::
		REPLY="[$REPLY]:"
	else
		printf -v REPLY '%d.%d.%d.%d:' $((16#${a:6:2})) $((16#${a:4:2})) \
			$((16#${a:2:2})) $((16#${a:0:2}))
	fi
	[ "$p" = 0 ] && REPLY+='*' || REPLY+=$p
}
proc_lines() {
	local file sl la ra st q rest l r out=()

	tmpfile file proc
	n "$1" cat "/proc/net/xtcp$_v6" >"$file"
	while read -r sl la ra st q rest; do
		[ "$sl" = sl ] && continue
		_ep "$la"; l=$REPLY
		_ep "$ra"; r=$REPLY
		out+=("${_st[$st]} $((16#${q#*:})) $l $r")
	done <"$file"
	REPLY=$(printf '%s\n' "${out[@]}" | sort)
}
xss_lines() {	# NS: REPLY gets xss -H -a as proc_lines puts it
	REPLY=$(n "$1" "$XSS" -H -a | awk '{ print $1, $2, $4, $5 }' | sort)
}

# ---- the sockets -------------------------------------------------------
# xtcp: a listener on S:5001 whose connection holds 400 bytes unread; a
# connection closed from C to S:5002 (TIME_WAIT in C); a SYN from C to
# S:5003 whose SYN-ACKs C drops (SYN_RECV in S).
serve "$S" xtcp "$S_ADDR:5001" --backlog 7 alarm=300 read=600 info rtt wait
bg cli "$C" xtcp client "$S_ADDR:5001" alarm=300 getsockname send=1000 drain \
	info rtt wait
bg_wait cli '^wait ready'
bg_wait server '^wait ready'
xc "$S" xtcp server "$S_ADDR:5002" &
tw_srv=$!
nap 0.5
xc "$C" xtcp client "$S_ADDR:5002"
wait $tw_srv
n "$C" nft add table inet diag &&
	n "$C" nft add chain inet diag in '{ type filter hook input priority 0; }' &&
	n "$C" nft add rule inet diag in tcp sport 5003 drop
bg syn "$S" xtcp do alarm=300 bind="$S_ADDR:5003" listen wait
bg_wait syn '^wait ready'
# (SIGALRM ends it after 30 s: its shell, not this one, reports that.)
bash -c '"$@"' - "$XCONN" --netns "$C" --family "$INET" client "$S_ADDR:5003" \
	>/dev/null 2>&1 &
# Linux TCP, the same connection as on 5001.
bg lsrv "$S" inet server "$S_ADDR:5101" alarm=300 read=600 wait
bg_wait lsrv '^port='
bg lcli "$C" inet client "$S_ADDR:5101" alarm=300 send=1000 drain wait
bg_wait lcli '^wait ready'
bg_wait lsrv '^wait ready'
nap 1

# ---- xss against /proc/net/xtcp (xtcp6) ----------------------------------
# The any address as xss prints it, as a regular expression.
any_re='0\.0\.0\.0'
[ "$XTCP_FAMILY" = 6 ] && any_re='\[::\]'

for ns in "$S" "$C"; do
	proc_lines "$ns"; want=$REPLY
	xss_lines "$ns"; got=$REPLY
	expect "xss -a lists what /proc/net/xtcp$_v6 lists in ${ns##*-}" "$want" "$got"
done
xss_lines "$S"; srv=$REPLY
xss_lines "$C"; cli=$REPLY
expect_match "a listener, its Recv-Q its accept queue" \
	".*LISTEN 0 $S_RE:5001 $any_re:\\*.*" "$srv"
expect_match "the connection with 400 bytes unread" \
	".*ESTAB 400 $S_RE:5001 $C_RE:[0-9]+.*" "$srv"
expect_match "an embryonic connection in SYN-RECV" \
	".*SYN-RECV 0 $S_RE:5003 $C_RE:[0-9]+.*" "$srv"
expect_match "TIME-WAIT on the side that closed first" \
	".*TIME-WAIT 0 $C_RE:[0-9]+ $S_RE:5002.*" "$cli"
line=$(n "$S" "$XSS" -H -l sport = :5001)
expect_match "a listener's Send-Q is its backlog, as ss" \
	"LISTEN +0 +7 .*" "$line"

# ---- tcp_info against getsockopt(TCP_INFO) -----------------------------
# "info" and "rtt" of xconn, taken by the program holding each socket, and
# the fields of the xss line they give; the connection is idle meanwhile.
info_want() {	# RESULTS-ARRAY: REPLY gets the xss fields TCP_INFO gives
	local -n _o=$1
	local k kv rto srtt rttvar
	declare -A f

	for kv in ${_o[info]} ${_o[rtt]}; do
		f[${kv%%=*}]=${kv#*=}
	done
	printf -v rto '%g' "${f[rto]}e-3"
	printf -v srtt '%g' "${f[srtt]}e-3"
	printf -v rttvar '%g' "${f[rttvar]}e-3"
	# As ss, a field that is 0 is not printed.
	REPLY="rto:$rto"
	[ "${f[srtt]}" = 0 ] || REPLY+=" rtt:$srtt/$rttvar"
	for k in snd_mss:mss pmtu:pmtu rcv_mss:rcvmss advmss:advmss cwnd:cwnd \
		 segs_in:segs_in snd_wnd:snd_wnd; do
		[ "${f[${k%:*}]}" = 0 ] || REPLY+=" ${k#*:}:${f[${k%:*}]}"
	done
}
info_got() {	# NS SPORT DPORT: the same fields from xss -i
	local w out=()

	for w in $(n "$1" "$XSS" -H -i sport = ":$2" dport = ":$3" | tail -n 1); do
		case $w in
		rto:*|rtt:*|mss:*|pmtu:*|rcvmss:*|advmss:*|cwnd:*|segs_in:*|snd_wnd:*)
			out+=("$w") ;;
		esac
	done
	REPLY=${out[*]}
}
# The results so far, without waiting for the end.
declare -A CLI SRVI
xc_results CLI "${_bg_out[cli]}"
xc_results SRVI "${_bg_out[server]}"
cport=${CLI[getsockname]##*:}
info_want CLI; want=$REPLY
info_got "$C" "$cport" 5001
expect "client: xss -i gives the TCP_INFO of getsockopt" "$want" "$REPLY"
info_want SRVI; want=$REPLY
info_got "$S" 5001 "$cport"
expect "server: xss -i gives the TCP_INFO of getsockopt" "$want" "$REPLY"
line=$(n "$C" "$XSS" -H -i -m -e sport = ":$cport" | tail -n 1)
expect_match "-i -m: congestion, skmem and cwnd, as ss" \
	"$(printf '\t') skmem:\\(r0,rb[0-9]+,t0,tb[0-9]+,f[0-9]+,w0,o0,bl0,d0\\) .*(cubic|reno|newreno) .*cwnd:[0-9]+.*" "$line"

# ---- filters and gets --------------------------------------------------
states=$(n "$S" "$XSS" -H state established state syn-recv | awk '{ print $1 }' | sort -u | tr '\n' ' ')
expect "state filter: established and syn-recv" "ESTAB SYN-RECV " "$states"
states=$(n "$S" "$XSS" -H -l | awk '{ print $1 }' | sort -u | tr '\n' ' ')
expect "-l: listeners only" "LISTEN " "$states"
states=$(n "$S" "$XSS" -H | awk '{ print $1 }' | sort -u | tr '\n' ' ')
expect "default: connections, no listener, SYN-RECV or TIME-WAIT" "ESTAB " "$states"
ports=$(n "$S" "$XSS" -H -a sport = :5001 | awk '{ print $1 "-" $4 }' | sort | tr '\n' ' ')
expect "sport = :5001" "ESTAB-$S_ADDR:5001 LISTEN-$S_ADDR:5001 " "$ports"
ports=$(n "$C" "$XSS" -H -a dport = :5002 | awk '{ print $1 "-" $5 }' | tr '\n' ' ')
expect "dport = :5002" "TIME-WAIT-$S_ADDR:5002 " "$ports"
got=$(n "$S" "$XSS" --get "$S_ADDR:5001" "$C_ADDR:$cport" | sed -n 2p)
expect_match "get by 4-tuple" "ESTAB +400 +0 +$S_RE:5001 +$C_RE:$cport .*" "$got"
cookie=$(sed 's/.* sk:\([0-9a-f]*\).*/\1/' <<<"$got")
got=$(n "$S" "$XSS" --get "$S_ADDR:5001" "$C_ADDR:$cport" "$cookie" | sed -n 2p)
expect_match "get by 4-tuple and cookie" "ESTAB .* sk:$cookie .*" "$got"
got=$(n "$S" "$XSS" --get "$S_ADDR:5001" "$C_ADDR:$cport" "$(printf %x $((16#$cookie + 1)))" | tail -n 1)
expect "get with another cookie: ENOENT" "get ENOENT" "$got"
got=$(n "$S" "$XSS" --get "$S_ADDR:5001" "$C_ADDR:1" | tail -n 1)
expect "get of no connection: ENOENT" "get ENOENT" "$got"
got=$(n "$C" "$XSS" --get "$C_ADDR:0" "$S_ADDR:5002" | tail -n 1)
expect "get of no connection (port 0): ENOENT" "get ENOENT" "$got"

# ---- malformed requests ------------------------------------------------
proc_lines "$S"; before=$REPLY
for kind in short:EINVAL protoattr:EINVAL proto:ENOENT bytecode:EOPNOTSUPP \
	    family:EINVAL getunspec:EINVAL; do
	got=$(n "$S" "$XSS" --request "${kind%:*}")
	expect "malformed request (${kind%:*}): ${kind#*:}" "request ${kind#*:}" "$got"
done
proc_lines "$S"
expect "malformed requests change nothing" "$before" "$REPLY"

# ---- another namespace -------------------------------------------------
got=$(n "$O" "$XSS" -H -a; echo "rc=$?")
expect "another namespace sees none of them" "rc=0" "$got"

# ---- Linux TCP: ss -tinme for the same connection on 5101 --------------
ssl=$(n "$S" ss -tinme "( sport = :5101 )" 2>/dev/null | tail -n +2)
xsl=$(n "$S" "$XSS" -tinme sport = :5001 | tail -n +2)
mapfile -t lines <<<"${ssl//$'\t'/    }"
printf '# ss -tinme (Linux TCP):\n'
printf '#   %s\n' "${lines[@]}"
mapfile -t lines <<<"${xsl//$'\t'/    }"
printf '# xss -tinme (xtcp):\n'
printf '#   %s\n' "${lines[@]}"
read -r lst lrq lsq _ <<<"$ssl"
read -r xst xrq xsq _ <<<"$xsl"
expect "Linux TCP and xtcp: state and queues alike (ss, xss)" \
	"$lst $lrq $lsq" "$xst $xrq $xsq"
missing=
[ -n "$xsl" ] || missing=" (xss printed nothing)"
for w in $(tail -n 1 <<<"$xsl"); do
	[[ $w =~ ^[0-9]+bps$ ]] && continue	# a rate's value
	k=${w%%:*}
	# xtcp counts the SYN in bytes_acked on the passive side, where Linux
	# counts it on the active side (noticed, left to input.c).
	[ "$k" = bytes_acked ] && continue
	# ss names the same fields (values differ).
	[[ " $(tail -n 1 <<<"$ssl") " == *" $k"[:\ ]* ]] || missing+=" $k"
done
expect "every field xss prints, ss prints for Linux TCP" "" "$missing"

# ---- families (IPv6 runs) ---------------------------------------------
# -4 and -6 as ss: the sockets of one family. An IPv6 socket's IPv4
# connection is AF_INET6 with v4-mapped addresses, as Linux TCP's: the
# child of a dual-stack listener on [::]:5010 (an IPv4 xtcp client), and
# a connect() to [::ffff:S]:5011, whose TIME_WAIT stays so.
families_v6() {
	local s4=10.0.1.2 c4=10.0.1.1 m4 mc4 got p4

	# The v4-mapped addresses as regular expressions.
	m4="\\[::ffff:${s4//./\\.}\\]" mc4="\\[::ffff:${c4//./\\.}\\]"
	got=$(n "$S" "$XSS" -H -4 -a; n "$C" "$XSS" -H -4 -a)
	expect "-4: no IPv4 socket yet" "" "$got"
	got=$(n "$S" "$XSS" -H -6 -a | awk '{ print $1 }' | sort -u | tr '\n' ' ')
	expect "-6: the IPv6 sockets" "ESTAB LISTEN SYN-RECV " "$got"
	got=$(n "$S" "$XSS" -H -a src "$S_ADDR" sport = :5001 | awk '{ print $1 }' | sort | tr '\n' ' ')
	expect "src [IPV6] filters by the 128-bit address" "ESTAB LISTEN " "$got"
	got=$(n "$S" "$XSS" -H -a src "[$NET6:9]" | wc -l)
	expect "src of another IPv6 address: nothing" 0 "$got"

	bg dual "$S" xtcp server "[::]:5010" alarm=300 wait
	bg_wait dual '^port='
	bg c4 "$C" xtcp client "$s4:5010" alarm=300 getsockname wait
	bg_wait c4 '^wait ready'
	bg_wait dual '^wait ready'
	declare -A C4
	xc_results C4 "${_bg_out[c4]}"
	p4=${C4[getsockname]##*:}
	got=$(n "$S" "$XSS" -H -l -e sport = :5010)
	expect_match "a dual-stack listener: [::], v6only:0" \
		"LISTEN +0 +[0-9]+ +\\[::\\]:5010 +\\[::\\]:\\* .* v6only:0.*" "$got"
	got=$(n "$S" "$XSS" -H -6 sport = :5010 | awk '{ print $1, $4, $5 }')
	expect_match "-6: its IPv4 child is AF_INET6, v4-mapped" \
		"ESTAB $m4:5010 $mc4:$p4" "$got"
	got=$(n "$S" "$XSS" -H -4 sport = :5010)
	expect "-4: not that child" "" "$got"
	got=$(n "$C" "$XSS" -H -4 dport = :5010 | awk '{ print $1, $4, $5 }')
	expect "-4: the IPv4 client's end" "ESTAB $c4:$p4 $s4:5010" "$got"
	got=$(n "$C" "$XSS" -H -6 dport = :5010)
	expect "-6: not the IPv4 client's end" "" "$got"
	got=$(n "$S" "$XSS" --get "[::ffff:$s4]:5010" "[::ffff:$c4]:$p4" | sed -n 2p)
	expect_match "get by v4-mapped 4-tuple" \
		"ESTAB .* $m4:5010 +$mc4:$p4 .*" "$got"
	got=$(n "$S" "$XSS" --get "$s4:5010" "$c4:$p4" | sed -n 2p)
	expect_match "get by IPv4 4-tuple: the same, v4-mapped" \
		"ESTAB .* $m4:5010 +$mc4:$p4 .*" "$got"
	go c4; go dual

	xc "$S" xtcp server "$s4:5011" &
	tw_srv=$!
	nap 0.5
	xc "$C" xtcp client "[::ffff:$s4]:5011"
	wait $tw_srv
	got=$(n "$C" "$XSS" -H -6 -a dport = :5011 | awk '{ print $1, $5 }')
	expect_match "TIME-WAIT of a v4-mapped connect(): AF_INET6" \
		"TIME-WAIT $m4:5011" "$got"
	got=$(n "$C" "$XSS" -H -4 -a dport = :5011)
	expect "-4: not that TIME-WAIT" "" "$got"
}
[ "$XTCP_FAMILY" = 6 ] && families_v6

# ---- the timer column of /proc/net/xtcp --------------------------------
# The tr column names the timer that runs, as /proc/net/tcp's does: an idle
# connection with SO_KEEPALIVE shows keepalive (2), as Linux TCP's does in
# /proc/net/tcp. (/proc/net/xtcp named only the retransmission timer.)
proc_tr() {	# NS FILE PORT: REPLY gets the tr of the line to remote port PORT
	local sl la ra st q tr rest

	REPLY=none
	while read -r sl la ra st q tr rest; do
		[ "${ra##*:}" = "$(printf %04X "$3")" ] && REPLY=${tr%%:*}
	done <<<"$(n "$1" cat "$2")"
}
for port in 5020 5120; do
	if [ $port = 5020 ]; then
		fam=xtcp file=/proc/net/xtcp$_v6
	else
		fam=inet file=/proc/net/tcp$_v6
	fi
	bg "kas$port" "$S" $fam server "$S_ADDR:$port" alarm=300 wait
	bg_wait "kas$port" '^port='
	bg "kac$port" "$C" $fam client "$S_ADDR:$port" alarm=300 \
		set=keepalive:1 set=keepidle:60 wait
	bg_wait "kac$port" '^wait ready'
	nap 0.5
	proc_tr "$C" "$file" $port
	expect "${file#/proc/net/}: an idle connection with SO_KEEPALIVE shows timer 02" \
		02 "$REPLY"
	go "kac$port"
	go "kas$port"
done

# ---- ~300 entries, several datagrams, each once ------------------------
n "$S" "$XSTRESS" --family xtcp server "$S_ADDR:5004" 300 >/dev/null &
stress=$!
nap 0.5
n "$C" "$XSTRESS" --family xtcp client "$S_ADDR:5004" 300 8 >/dev/null &
client=$!
# Dumps while connections open and close. The table grows and shrinks
# under them, its resizing moving entries from table to table: the
# entries there throughout (the listener on S:5001, the connection to it
# from C) must be in every listing, /proc/net/xtcp's and the dump's,
# exactly once.
bad=0 lists=0 odd=()
# once NS WHAT LINES PATTERN: count a listing without exactly one match.
once() {
	local c

	c=$(grep -c -- "$4" <<<"$3")
	lists=$((lists + 1))
	[ "$c" = 1 ] || odd+=("$1 $2: $c")
}
while kill -0 $client 2>/dev/null; do
	n "$C" "$XSS" -H -a -i -m >/dev/null || bad=$((bad + 1))
	n "$S" "$XSS" -H -a -i -m >/dev/null || bad=$((bad + 1))
	proc_lines "$S"; once S proc "$REPLY" "^LISTEN .*:5001 "
	proc_lines "$C"; once C proc "$REPLY" "^ESTAB .*:5001\$"
	xss_lines "$S"; once S dump "$REPLY" "^LISTEN .*:5001 "
done
wait $client; rc=$?
wait $stress
expect "dumps during 300 connects and closes succeed (xstress rc=$rc)" 0 "$bad"
expect "each of $lists listings meanwhile had the lasting entries once" "" \
	"${odd[*]}"
tmpfile parts parts
got=$(XSS_PARTS=1 XSS_RCVBUF=4096 n "$C" "$XSS" -H -a -i -m dport = :5004 2>"$parts" |
	awk '$1 == "TIME-WAIT" { print $4 }' | sort)
expect "300 TIME_WAIT entries, each once" "300 300" \
	"$(wc -l <<<"$got") $(sort -u <<<"$got" | wc -l)"
read -r p <"$parts"
expect_match "they came in several datagrams ($p)" "parts=([3-9]|[1-9][0-9]+)" "$p"
proc_lines "$C"; want=$(grep ":5004" <<<"$REPLY")
xss_lines "$C"; expect "and as /proc/net/xtcp lists them" "$want" "$(grep ":5004" <<<"$REPLY")"

go cli; go server; go lcli; go lsrv; go syn
done_testing
