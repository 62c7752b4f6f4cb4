# SPDX-License-Identifier: GPL-2.0
# Shared helpers for xtcp's selftests; sourced by each selftests/*.sh.
#
# A test script is a story of checks. Each check prints one TAP line:
#   ok N - what was expected
#   not ok N - what was expected      (followed by "# " lines saying why)
#   ok N - what was expected # SKIP reason
# and the script ends with the plan "1..N" and exits 0 (all passed), 1 (a
# check failed) or 4 (everything skipped: the kselftest convention).
# Namespaces and background jobs made through these helpers are removed on
# every exit path.

set -u

XTCP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
XSOCK=$XTCP_ROOT/selftests/bin/xsock
XCONN=$XTCP_ROOT/selftests/bin/xconn
PCAP=$XTCP_ROOT/selftests/pcap.py
KSFT_SKIP=4
PATH=$PATH:/usr/sbin:/sbin
# 4, or 6 to run a test over IPv6 (see C_ADDR below); the /64 its links
# then have, its last group the last byte of the IPv4 address.
XTCP_FAMILY=${XTCP_FAMILY:-4}
NET6=fd00:1:1:1:1:1:1

_t_num=0
_t_fail=0
_t_skip=0
_t_prefix=
_ns_list=()
_tmp=

_report() {
	_t_num=$((_t_num + 1))
	echo "$1 $_t_num - $_t_prefix$2"
}

# pass DESC / fail DESC [WHY...] / skip DESC REASON
pass() { _report ok "$1"; }
fail() {
	_report "not ok" "$1"
	shift
	_t_fail=$((_t_fail + 1))
	[ $# -eq 0 ] || printf '# %s\n' "$@"
}
skip() {
	_report ok "$1 # SKIP $2"
	_t_skip=$((_t_skip + 1))
}

# expect DESC EXPECTED ACTUAL: pass when the two strings are equal.
expect() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected: $2" "got:      $3"
	fi
}

# check DESC CMD [ARG...]: pass when CMD exits 0; returns CMD's success.
check() {
	local desc=$1 out

	shift
	if out=$("$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc" "command failed: $*" "$out"
		return 1
	fi
}

# ns_new VAR NAME: a fresh namespace with lo up, named uniquely for this
# run, stored in the variable VAR and removed when the script exits.
ns_new() {
	local ns="xtcp-$$-$2"

	ip netns add "$ns" || return 1
	_ns_list+=("$ns")
	ip -n "$ns" link set lo up
	printf -v "$1" '%s' "$ns"
}

# addr6 A.B.C.D: REPLY is the address a test of veth_link's A.B.C.D uses:
# itself, or with XTCP_FAMILY=6 its end's IPv6 address in brackets (the
# last byte of A.B.C.D as the last group: see lib.sh's C_ADDR).
addr6() {
	REPLY=$1
	[ "$XTCP_FAMILY" = 6 ] && REPLY="[$NET6:${1##*.}]"
	return 0
}

# net_routed [SUFFIX]: three namespaces in a row, A (10.0.1.1) -- R
# (10.0.1.254 | 10.0.2.254) -- B (10.0.2.2), R forwarding between its
# links xv1 and r1 (B's end is b0), and A and B routed through it: for
# tests that need a router's ICMP or a narrower link in the path. SUFFIX
# keeps their names apart from namespaces the script made before.
net_routed() {
	ns_new A "a${1:-}"
	ns_new R "router${1:-}"
	ns_new B "b${1:-}"
	veth_link "$A" 10.0.1.1 "$R" 10.0.1.254
	ip link add r1 netns "$R" type veth peer name b0 netns "$B"
	ip -n "$R" addr add 10.0.2.254/24 dev r1
	ip -n "$B" addr add 10.0.2.2/24 dev b0
	ip -n "$R" link set r1 up
	ip -n "$B" link set b0 up
	ip -n "$A" route add default via 10.0.1.254
	ip -n "$B" route add default via 10.0.2.254
	n "$R" sysctl -qw net.ipv4.ip_forward=1
}

# n NS CMD...: run CMD inside namespace NS.
n() {
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# veth_link NS1 ADDR1 NS2 ADDR2: a veth pair between two namespaces, with
# the given IPv4 addresses (/24), up; with XTCP_FAMILY=6 each end also has
# the IPv6 address addr6 names for its IPv4 one.
veth_link() {
	ip link add xv0 netns "$1" type veth peer name xv1 netns "$3" || return 1
	ip -n "$1" addr add "$2/24" dev xv0
	ip -n "$3" addr add "$4/24" dev xv1
	if [ "$XTCP_FAMILY" = 6 ]; then
		ip -n "$1" addr add "$NET6:${2##*.}/64" dev xv0 nodad
		ip -n "$3" addr add "$NET6:${4##*.}/64" dev xv1 nodad
	fi
	ip -n "$1" link set xv0 up
	ip -n "$3" link set xv1 up
}

# hold_start VAR N [NS]: a background xsock holding N xtcp sockets (in
# namespace NS if given); its pid goes to VAR once the sockets are open.
hold_start() {
	local out i

	out=$(mktemp)
	if [ $# -ge 3 ]; then
		ip netns exec "$3" "$XSOCK" hold "$2" >"$out" &
	else
		"$XSOCK" hold "$2" >"$out" &
	fi
	printf -v "$1" '%s' $!
	for i in $(seq 1 100); do
		grep -q ready "$out" && break
		sleep 0.1
	done
	grep -q ready "$out"
	local rc=$?
	rm -f "$out"
	return $rc
}

# hold_stop PID: end a holder; its sockets close as it exits.
hold_stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

_cleanup() {
	local ns pid

	# A job started from a function is a subshell: end its children too.
	for pid in $(jobs -p); do
		pkill -P "$pid" 2>/dev/null
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	[ -z "${_wc_pid:-}" ] || kill "$_wc_pid" 2>/dev/null
	for ns in "${_ns_list[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	[ -z "$_tmp" ] || rm -rf "$_tmp"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

# require_module: skip the whole script when xtcp is not loaded.
require_module() {
	if [ ! -d /sys/module/xtcp ]; then
		echo "1..0 # SKIP xtcp is not loaded"
		exit $KSFT_SKIP
	fi
}

# done_testing: print the plan and exit with the kselftest status.
done_testing() {
	echo "1..$_t_num"
	[ $_t_fail -eq 0 ] || exit 1
	[ $_t_num -gt 0 ] && [ $_t_skip -eq $_t_num ] && exit $KSFT_SKIP
	exit 0
}

# Processes are slow to start in the UML test kernel: every fork, be it
# for a command or a $(...), costs 0.1 to 0.5 s. The helpers below use
# bash builtins where they can and hand results back in variables (REPLY,
# OUT, SRV) rather than on stdout.

# expect_fn DESC EXPECTED FN [ARG...]: pass when FN, which sets REPLY,
# sets it to EXPECTED.
expect_fn() {
	local desc=$1 want=$2

	shift 2
	REPLY=
	"$@"
	expect "$desc" "$want" "$REPLY"
}

# tmpfile VAR NAME: a fresh path in this run's scratch directory (tmpfs in
# the guest, removed at exit), stored in the variable VAR.
tmpfile() {
	if [ -z "$_tmp" ]; then
		_tmp=$(mktemp -d "$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)/xtcp-test.XXXXXX")
		mkfifo "$_tmp/nap"
		exec {_nap_fd}<>"$_tmp/nap"
	fi
	_tmp_num=$((${_tmp_num:-0} + 1))
	printf -v "$1" '%s/%s.%s' "$_tmp" "$2" "$_tmp_num"
}

# nap SECONDS: sleep without starting a process.
nap() {
	local unused

	[ -n "$_tmp" ] || tmpfile unused nap
	read -r -t "$1" -u "$_nap_fd" unused
}

# wait_for FILE REGEX [SECONDS]: wait until a line of FILE matches REGEX.
wait_for() {
	local i line lines

	for ((i = 0; i < ${3:-20} * 20; i++)); do
		if [ -f "$1" ]; then
			mapfile -t lines <"$1"
			for line in "${lines[@]}"; do
				[[ $line =~ $2 ]] && return 0
			done
		fi
		nap 0.05
	done
	return 1
}

# xtcp_stat NS NAME: print counter NAME of /proc/net/xtcp_stat in namespace
# NS (a line of names, then one of values, as in /proc/net/snmp).
xtcp_stat() {
	n "$1" awk -v f="$2" 'NR == 1 { for (i = 2; i <= NF; i++) if ($i == f) c = i }
		NR == 2 { print $c }' /proc/net/xtcp_stat
}

# ---- Connections over Linux TCP ("inet") and xtcp ("xtcp") -------------
#
# A connection test runs its scenarios for each pairing of a client family
# and a server family. CLIENT and SERVER (environment; "inet", "xtcp" or
# both, space-separated) narrow the pairings; both default to "inet xtcp":
#   inet->inet, inet->xtcp, xtcp->inet, xtcp->xtcp
# A pairing that needs xtcp before xtcp can connect at all (the module is
# not loaded, or socket+bind says EOPNOTSUPP) is one SKIP line, so the
# tests switch themselves on when the lifecycle lands.
CLIENT=${CLIENT:-inet xtcp}
SERVER=${SERVER:-inet xtcp}
C_ADDR=10.0.1.1
S_ADDR=10.0.1.2
PORT=5000
# XTCP_FAMILY=6 runs a test over IPv6 (selftests/*_v6.sh do): net_pair's
# link also gets IPv6 addresses, C_ADDR and S_ADDR are those in brackets
# (as the tools take "$S_ADDR:$PORT" and getsockname and the capture
# decoder print them), Linux TCP's sockets are AF_INET6 (INET; AF is the
# family getsockname prints) and time_wait reads the *6 tables. C_IP and
# S_IP are the bare addresses (for ip), C_RE and S_RE the bracketed ones
# as regular expressions, ANY_ADDR the any address, N_ADDR (N_IP) one on
# the link that nobody holds. The IPv6 addresses have no zero group, so
# that they read the same compressed (inet_ntop) and not (pcap.py).
INET=inet AF=AF_INET _v6= ANY_ADDR=0.0.0.0
C_IP=$C_ADDR S_IP=$S_ADDR C_RE=$C_ADDR S_RE=$S_ADDR N_IP=10.0.1.3 N_ADDR=10.0.1.3
if [ "$XTCP_FAMILY" = 6 ]; then
	C_IP=$NET6:1 S_IP=$NET6:2 N_IP=$NET6:3
	C_ADDR=[$C_IP] S_ADDR=[$S_IP] N_ADDR=[$N_IP] ANY_ADDR=[::]
	C_RE="\[$C_IP\]" S_RE="\[$S_IP\]"
	INET=inet6 AF=AF_INET6 _v6=6
fi
declare -A OUT SRV
_xtcp_why=unknown
_cap_loaded=
_segs=()

# xtcp_probe: set _xtcp_why to why xtcp cannot run a connection yet, or to
# nothing when it can.
xtcp_probe() {
	local out

	[ "$_xtcp_why" = unknown ] || return 0
	if [ ! -d /sys/module/xtcp ]; then
		_xtcp_why="xtcp lifecycle not implemented (xtcp is not loaded)"
		return 0
	fi
	out=$("$XCONN" --family xtcp probe 2>&1)
	case "$out" in
	*EOPNOTSUPP*) _xtcp_why="xtcp lifecycle not implemented" ;;
	*) _xtcp_why= ;;
	esac
}

# _scenario TAG DESC FN FAM...: run FN FAM... with its checks named
# "TAG: ...", or skip it as a whole if one of FAM is an xtcp not ready.
# Each scenario gets its own $PORT, so that what earlier ones left behind
# (TIME_WAIT) stays out of its way.
_scenario() {
	local tag=$1 desc=$2 fn=$3 fam

	shift 3
	for fam in "$@"; do
		case "$fam" in
		inet) ;;
		xtcp)
			xtcp_probe
			if [ -n "$_xtcp_why" ]; then
				skip "$tag: $desc" "$_xtcp_why"
				return
			fi ;;
		*)
			fail "$tag: $desc" "unknown family '$fam' (CLIENT/SERVER: inet, xtcp)"
			return ;;
		esac
	done
	PORT=$((PORT + 1))
	_t_prefix="$tag: "
	"$fn" "$@"
	_t_prefix=
}

# pairings DESC FN: run the scenario "FN CLIENT_FAMILY SERVER_FAMILY" for
# each pairing; its checks are named "inet->xtcp: ..." and so on.
pairings() {
	local cf sf

	for cf in $CLIENT; do
		for sf in $SERVER; do
			_scenario "$cf->$sf" "$1" "$2" "$cf" "$sf"
		done
	done
}

# clients DESC FN: run "FN CLIENT_FAMILY" for each client family, for
# scenarios where no server answers; checks are named "xtcp->nobody: ...".
clients() {
	local cf

	for cf in $CLIENT; do
		_scenario "$cf->nobody" "$1" "$2" "$cf"
	done
}

# families DESC FN: run "FN FAMILY" for each family on either side, for the
# calls a socket answers alone; checks are named "xtcp: ...".
families() {
	local fam

	for fam in inet xtcp; do
		case " $CLIENT $SERVER " in
		*" $fam "*) _scenario "$fam" "$1" "$2" "$fam" ;;
		esac
	done
}

# net_pair: namespaces $C (the client, $C_ADDR on xv0) and $S (the server,
# $S_ADDR on xv1) joined by veth, with transmit checksum offload off so
# that captures see real checksums. A sleeping process in each lets the
# helpers read the namespace's /proc/net without entering it.
net_pair() {
	ns_new C client && ns_new S server &&
		veth_link "$C" 10.0.1.1 "$S" 10.0.1.2 || return 1
	n "$C" ethtool -K xv0 tx off >/dev/null 2>&1
	n "$S" ethtool -K xv1 tx off >/dev/null 2>&1
	ip netns exec "$C" sleep infinity &
	_c_pid=$!
	ip netns exec "$S" sleep infinity &
	_s_pid=$!
}

# counter NS FILE TAG NAME: REPLY is the counter NAME from the "TAG" lines
# of /proc/net/FILE in NS (a net_pair namespace), "?" if there is none.
counter() {
	local pid names vals i

	[ "$1" = "$C" ] && pid=$_c_pid || pid=$_s_pid
	REPLY=?
	names=()
	while read -r -a vals; do
		[ "${vals[0]}" = "$3" ] || continue
		if [ ${#names[@]} -eq 0 ]; then
			names=("${vals[@]}")
			continue
		fi
		for i in "${!names[@]}"; do
			[ "${names[i]}" = "$4" ] && REPLY=${vals[i]}
		done
	done <"/proc/$pid/net/$2"
}

# stack_counter NS FAMILY NAME: REPLY is FAMILY's counter NAME in NS,
# from /proc/net/xtcp_stat for xtcp, the Tcp: lines of /proc/net/snmp for
# Linux TCP (the two share names: OutSegs, InCsumErrors...).
stack_counter() {
	if [ "$2" = xtcp ]; then
		counter "$1" xtcp_stat Xtcp: "$3"
	else
		counter "$1" snmp Tcp: "$3"
	fi
}

# xc NS FAMILY ARG...: run xconn in namespace NS on FAMILY; its results go
# to the array OUT by OP name (see xc_results). FAMILY inet is $INET.
xc() {
	local ns=$1 fam=$2 file

	[ "$fam" = inet ] && fam=$INET
	shift 2
	tmpfile file xconn
	"$XCONN" --netns "$ns" --family "$fam" "$@" >"$file" 2>&1
	xc_results OUT "$file"
}

# xc_results ARRAY FILE: the results xconn wrote to FILE, by OP name, in
# the associative ARRAY: ${OUT[connect]} is "OK" or an errno name, a
# second send is ${OUT[send2]}, and ${OUT[all]} has every result in order
# on one line ("OK EINVAL"). An OP that did not run (xconn stops after a
# failed connect) reads as empty rather than tripping "set -u".
_xc_ops="socket bind bind-short bind-unspec bind-inet6 connect listen accept
	send recv shutdown close linger0 nonblock block poll soerror getsockname
	getpeername new time wait set set-short get ioctl info infolen read
	stream rtt now drain tcpopts"
xc_results() {
	local -n _xr=$1
	local op line key i

	_xr=()
	_xr["all"]=''
	for op in $_xc_ops; do
		_xr[$op]='' _xr[${op}2]='' _xr[${op}3]=''
	done
	while read -r op line; do
		key=$op
		i=2
		while [ -n "${_xr[$key]:-}" ]; do
			key=$op$i
			i=$((i + 1))
		done
		_xr[$key]=$line
		_xr["all"]+=${_xr["all"]:+ }$line
	done <"$2"
}

# expect_match DESC REGEX ACTUAL: pass when ACTUAL matches the extended
# regular expression REGEX (anchored at both ends).
expect_match() {
	if [[ $3 =~ ^($2)$ ]]; then
		pass "$1"
	else
		fail "$1" "expected: /$2/" "got:      $3"
	fi
}

# expect_do DESC EXPECTED NS FAMILY OP...: "xconn do OP..." in NS on FAMILY
# gives EXPECTED, the results in order ("OK EINVAL").
expect_do() {
	local desc=$1 want=$2

	shift 2
	xc "$1" "$2" do "${@:3}"
	expect "$desc" "$want" "${OUT[all]}"
}

# bg NAME NS FAMILY ARG...: xconn in the background, known as NAME. Its
# stdin is a FIFO: "go NAME" lets it past its next "wait" OP. bg_wait NAME
# REGEX waits until it printed a matching line; bg_done NAME ARRAY waits
# for its end and puts its results in ARRAY (as xc does in OUT).
declare -A _bg_pid _bg_fd _bg_out
bg() {
	local name=$1 ns=$2 fam=$3 fifo fd out

	[ "$fam" = inet ] && fam=$INET
	shift 3
	tmpfile fifo "$name.in"
	tmpfile out "$name.out"
	mkfifo "$fifo"
	exec {fd}<>"$fifo"
	"$XCONN" --netns "$ns" --family "$fam" "$@" <&"$fd" >"$out" 2>&1 &
	_bg_pid[$name]=$! _bg_fd[$name]=$fd _bg_out[$name]=$out
}

bg_wait() {
	wait_for "${_bg_out[$1]}" "$2" 10
}

go() {
	echo >&"${_bg_fd[$1]}"
}

bg_done() {
	local fd=${_bg_fd[$1]}

	wait "${_bg_pid[$1]}"
	exec {fd}>&-
	xc_results "$2" "${_bg_out[$1]}"
}

# serve NS FAMILY ARG...: "xconn server ARG..." in the background, once it
# listens. served waits for its end and puts its results in SRV.
serve() {
	bg server "$1" "$2" server "${@:3}"
	bg_wait server '^port=|^(bind|listen|socket) '
}

served() {
	bg_done server SRV
}

# syn_retries NS FAMILY N: SYN retransmissions before connect() gives up,
# with the RTO doubling at each (RFC 6298). Linux TCP's first backoffs are
# linear unless net.ipv4.tcp_syn_linear_timeouts is 0.
syn_retries() {
	case $2 in
	inet) n "$1" sysctl -qw net.ipv4.tcp_syn_retries="$3" \
		net.ipv4.tcp_syn_linear_timeouts=0 ;;
	xtcp) n "$1" sysctl -qw net.xtcp.syn_retries="$3" ;;
	esac
}

# keep_time_wait NS...: both stacks in each NS ignore RSTs in TIME_WAIT
# (net.ipv4.tcp_rfc1337, net.xtcp.rfc1337), for a test that checks who is
# left in TIME_WAIT. A peer whose FIN went out again (a tail loss probe
# 10 ms on, when a loaded machine is slow to deliver the ACK) or whose
# late segment the entry acknowledges is CLOSED when that ACK comes; its
# stack answers with an RST at RCV.NXT, which by default ends the wait
# (RFC 1337's assassination): two CI runs lost an entry, most likely so;
# over a jittered link (netem) 3 connections of 15 did.
keep_time_wait() {
	local ns

	for ns in "$@"; do
		n "$ns" sysctl -qw net.ipv4.tcp_rfc1337=1 net.xtcp.rfc1337=1
	done
}

# time_wait NS FAMILY PORT [6]: REPLY is how many connections of FAMILY to
# or from PORT are in TIME_WAIT in NS (a net_pair namespace): state 06 in
# /proc/net/tcp (what "ss -tan state time-wait" lists) or /proc/net/xtcp,
# or with 6 (the default with XTCP_FAMILY=6) in /proc/net/tcp6 or xtcp6.
time_wait() {
	local pid file hex laddr raddr st rest

	[ "$1" = "$C" ] && pid=$_c_pid || pid=$_s_pid
	[ "$2" = inet ] && file=/proc/$pid/net/tcp${4:-$_v6} ||
		file=/proc/$pid/net/xtcp${4:-$_v6}
	printf -v hex ':%04X' "$3"
	REPLY=0
	[ -r "$file" ] || { REPLY="no $file"; return; }
	while read -r _ laddr raddr st rest; do
		[ "$st" = 06 ] || continue
		[[ $laddr == *$hex || $raddr == *$hex ]] && REPLY=$((REPLY + 1))
	done <"$file"
}

# ---- Captures ----------------------------------------------------------
#
# A test captures once, for all its scenarios, and each scenario looks at
# the segments to or from its own $PORT. pcap.py decodes as tcpdump writes,
# because starting python costs 1 to 2 s in the test kernel.
#
# cap_start NS DEV FILE [FILTER]: capture TCP (or what the pcap FILTER
# picks) on DEV in NS into FILE, in the background, and decode it into
# FILE.txt as it comes; returns once tcpdump is listening. CAP_SNAP=N keeps
# the first N bytes of each frame: a test that needs headers only sets it,
# because a slow decoder behind a bulk transfer makes the kernel drop
# frames from a full capture's 4 MB buffer, small ones included.
cap_start() {
	_cap_file=$3
	mkfifo "$3.pipe"
	tee "$3" <"$3.pipe" | python3 -S -E "$PCAP" -t - >"$3.txt" &
	_cap_decoder=$!
	ip netns exec "$1" tcpdump -i "$2" -n -U --immediate-mode -Z root \
		-B 4096 ${CAP_SNAP:+-s "$CAP_SNAP"} \
		-w "$3.pipe" "${4:-tcp}" 2>"$3.log" &
	_cap_pid=$!
	wait_for "$3.log" "listening on" 10
}

# cap_sync: wait until what went on the wire so far is decoded, that is
# until the decoded lines stop growing for 0.2 s.
cap_sync() {
	local lines prev=-1 i

	for ((i = 0; i < 25; i++)); do
		nap 0.2
		mapfile -t lines <"$_cap_file.txt"
		[ ${#lines[@]} -eq $prev ] && break
		prev=${#lines[@]}
	done
	_cap_loaded='' _wc_loaded=''
}

# cap_stop: flush the capture and stop it; say so when the kernel dropped
# frames, since a check that then misses a segment blames the capture.
cap_stop() {
	local drops

	cap_sync
	kill -INT "$_cap_pid" 2>/dev/null
	wait "$_cap_pid" "$_cap_decoder" 2>/dev/null
	drops=$(grep -o '[1-9][0-9]* packets\? dropped by kernel' \
		"$_cap_file.log" 2>/dev/null)
	[ -z "$drops" ] || echo "# capture $(basename "$_cap_file"): $drops"
}

# cap_load FILE: the segments to or from $PORT in FILE (decoded so far) in
# arrays _src _flags _seq _ack _win _len _opts _csum and _us, when the
# segment was captured in microseconds since the epoch (index 0 first),
# and the lines themselves (without the time) in _segs: for a test's own
# scan of them. The checks below are wirecheck.py's.
cap_load() {
	local src dst flags seq ack win len opts csum t i=0

	[ "$_cap_loaded" = "$1:$PORT" ] && return
	[ -f "$1.txt" ] || python3 -S -E "$PCAP" -t "$1" >"$1.txt"
	_segs=() _src=() _flags=() _seq=() _ack=() _win=() _len=() _opts=()
	_csum=() _us=()
	while read -r src _ dst flags seq ack win len opts csum t; do
		[ "${src##*:}" = "$PORT" ] || [ "${dst##*:}" = "$PORT" ] ||
			continue
		_segs[i]="$src > $dst $flags $seq $ack $win $len $opts $csum"
		_src[i]=${src%:*} _flags[i]=$flags _seq[i]=${seq#seq=}
		_ack[i]=${ack#ack=} _win[i]=${win#win=} _len[i]=${len#len=}
		_opts[i]=${opts#opts=} _csum[i]=${csum#csum=}
		t=${t#t=}
		t=${t:-0.000000}
		_us[i]=$((10#${t/./}))
		i=$((i + 1))
	done <"$1.txt"
	_cap_loaded=$1:$PORT
}

# wire_check CHECK FILE [ARG...]: whether CHECK (a check of
# selftests/wirecheck.py, which says what each means) holds for the
# segments to or from $PORT in FILE, as decoded at the last cap_sync. Why
# not goes to _wc_why (its first line to _why), what it counted to
# REPLY (every value to _wc_reply), its notes out as "# " lines. One
# python answers them all, through two FIFOs: starting python costs 1 to
# 2 s in the test kernel.
WIRECHECK=$XTCP_ROOT/selftests/wirecheck.py
_wc_pid='' _wc_loaded=''
wire_check() {
	local check=$1 file=$2 fresh=0 req line q

	shift 2
	if [ -z "$_wc_pid" ]; then
		tmpfile q wirecheck
		mkfifo "$q.in" "$q.out"
		python3 -S -E "$WIRECHECK" --serve <"$q.in" >"$q.out" &
		_wc_pid=$!
		# Not a job, so that a test's "wait" does not wait for it.
		disown "$_wc_pid"
		exec {_wc_in}>"$q.in" {_wc_out}<"$q.out"
	fi
	[ "$_wc_loaded" = "$file:$PORT" ] || fresh=1
	_wc_loaded=$file:$PORT
	printf -v req '%s\t' "$check" "$file" "$PORT" "$fresh" "$@"
	echo "${req%$'\t'}" >&"$_wc_in"
	_wc_why=() _wc_reply=()
	while IFS= read -r -t 600 -u "$_wc_out" line; do
		case $line in
		"why "*) _wc_why+=("${line#why }") ;;
		"reply "*) _wc_reply+=("${line#reply }") ;;
		"note "*) echo "# $_t_prefix${line#note }" ;;
		"= "*) break ;;
		esac
	done
	[ -n "$line" ] || _wc_why+=("wirecheck.py did not answer")
	_why=${_wc_why[0]:-} REPLY=${_wc_reply[0]:-}
	[ "$line" = "= 0" ]
}

# cap_check DESC PREDICATE FILE [ARG...]: pass when PREDICATE (a seg_*
# function below, or wire_check CHECK) holds for the capture; else say
# why (the seg_* list the segments).
cap_check() {
	local desc=$1

	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "${_wc_why[@]}"
	fi
}

# The predicates, for cap_check, and the counters, which set REPLY:
#   seg_handshake FILE CLIENT SERVER: the first three segments are SYN,
#	SYN-ACK, ACK between the two addresses, with matching seq and ack
#   seg_mss FILE [MSS]: every SYN and SYN-ACK carries an MSS option (of
#	exactly MSS if given)
#   seg_csum_ok FILE: every segment has a correct checksum
#   seg_fin_close FILE FIRST SECOND: FIRST sends a FIN, SECOND acknowledges
#	it and then sends its own FIN, FIRST acknowledges that; no RST
#   seg_simultaneous_close FILE A B: A and B each sent a FIN before they
#	saw the other's, each FIN was acknowledged, and there was no RST
#   seg_rst_from FILE ADDR: ADDR sent a RST, and no FIN
#   seg_refused FILE CLIENT SERVER: SERVER answered CLIENT's first SYN with
#	a RST that acknowledges the SYN and takes its sequence number from
#	the SYN's ACK field, that is 0 (RFC 9293, 3.10.7.1), and no SYN-ACK
#   seg_bytes FILE ADDR: REPLY is how many payload bytes ADDR sent, from
#	its ISN to the highest sequence number it sent data at
#   seg_count FILE ADDR FLAGS: REPLY is how many segments ADDR sent with
#	exactly FLAGS
#   seg_rtx FILE ADDR: REPLY is how many times ADDR sent its first data
#	segment (1 = never retransmitted)
#   seg_resent FILE ADDR: REPLY is how many data segments ADDR sent that
#	start at a byte it had sent before (0 = no retransmission at all)
seg_handshake() { wire_check seg_handshake "$@"; }
seg_mss() { wire_check seg_mss "$@"; }
seg_csum_ok() { wire_check seg_csum_ok "$@"; }
seg_fin_close() { wire_check seg_fin_close "$@"; }
seg_simultaneous_close() { wire_check seg_simultaneous_close "$@"; }
seg_rst_from() { wire_check seg_rst_from "$@"; }
seg_refused() { wire_check seg_refused "$@"; }
seg_bytes() { wire_check seg_bytes "$@"; }
seg_count() { wire_check seg_count "$@"; }
seg_rtx() { wire_check seg_rtx "$@"; }
seg_resent() { wire_check seg_resent "$@"; }

# cap_segments FILE: one line per TCP segment to or from $PORT, as pcap.py
# prints them:
#   SRC:PORT > DST:PORT FLAGS seq=N ack=N win=N len=N opts=... csum=ok
cap_segments() {
	wire_check segments "$1"
	printf '%s\n' "${_wc_reply[@]}"
}

# ---- Byte streams ------------------------------------------------------
#
# xs_run CLIENT_FAMILY SERVER_FAMILY "SERVER_OPTIONS" "CLIENT_OPTIONS": an
# xstream server in $S and client in $C (net_pair) on $PORT, each with its
# options (see selftests/xstream.c); their lines by first word in XS_S and
# XS_C: ${XS_C[sent]} is "bytes=N sha256=H", ${XS_S[recv]} the same with
# " check=ok" after it, and so on.
XSTREAM=$XTCP_ROOT/selftests/bin/xstream
declare -A XS_C XS_S

xs_run() {
	local srv_out cli_out spid cf=$1 sf=$2

	[ "$cf" = inet ] && cf=$INET
	[ "$sf" = inet ] && sf=$INET
	tmpfile srv_out xstream-server
	tmpfile cli_out xstream-client
	# shellcheck disable=SC2086 # the options are words
	"$XSTREAM" --netns "$S" $3 server "$sf" $S_ADDR $PORT >"$srv_out" 2>&1 &
	spid=$!
	wait_for "$srv_out" '^listen' 10
	# shellcheck disable=SC2086
	"$XSTREAM" --netns "$C" $4 client "$cf" $S_ADDR $PORT >"$cli_out" 2>&1
	wait $spid
	_xs_results XS_C "$cli_out"
	_xs_results XS_S "$srv_out"
}

_xs_results() {
	local -n _r=$1
	local key rest

	_r=([connect]='' [listen]='' [sent]='' [recv]='' [rmem]='' [time]=''
	    [timeout]='' [error]='')
	while read -r key rest; do
		_r[$key]+=${_r[$key]:+; }$rest
	done <"$2"
}

# xs_intact DESC FROM TO BYTES: pass when side FROM ("client" or "server")
# sent BYTES and side TO received exactly what FROM sent (the same length
# and sha256, and every byte as expected); else say how far each got.
xs_intact() {
	local f=${2:0:1} t=${3:0:1}
	local -n _from=XS_${f^^} _to=XS_${t^^}

	if [[ ${_from[sent]} == "bytes=$4 "* &&
	      "${_from[sent]} check=ok" == "${_to[recv]}" ]]; then
		pass "$1"
	else
		fail "$1" "$2 sent: ${_from[sent]:-?}" "$3 received: ${_to[recv]:-?}" \
			"$2: ${_from[connect]:+connect ${_from[connect]} }${_from[error]:+error ${_from[error]} }${_from[timeout]:+timeout ${_from[timeout]}}" \
			"$3: ${_to[error]:+error ${_to[error]} }${_to[timeout]:+timeout ${_to[timeout]}}"
	fi
}

# raw_peer_link NS1 NS2: NS1 is 10.0.0.1 on xv0, NS2 the raw peer
# 10.0.0.2 on xv1, through a packet socket (peer.py, ooo_flood.py): NS2's
# TCP must not hold the address, or it would reset connections it knows
# nothing of, so NS1 cannot resolve it either and gets a static neighbour
# entry. Sets MAC_A, the address a raw peer sends to.
raw_peer_link() {
	local mac_b

	veth_link "$1" 10.0.0.1 "$2" 10.0.0.2
	ip -n "$2" addr flush dev xv1
	read -r _ _ MAC_A _ <<<"$(ip -n "$1" -br link show dev xv0)"
	read -r _ _ mac_b _ <<<"$(ip -n "$2" -br link show dev xv1)"
	ip -n "$1" neigh add 10.0.0.2 lladdr "$mac_b" dev xv0
}

# peer_link: namespaces A (xtcp, 10.0.0.1 on xv0, MAC in MAC_A) and B,
# where a scripted peer (peer.py, hostile.py) is 10.0.0.2 on its own
# (raw_peer_link). The peer reads segments as the wire carries them: with
# transmit offload off, xtcp's GSO super-segments are cut to the MSS before
# they reach the veth (and carry full checksums), as on a real NIC's wire.
peer_link() {
	ns_new A xtcp && ns_new B peer && raw_peer_link "$A" "$B" || return 1
	n "$A" ethtool -K xv0 tx off >/dev/null 2>&1
}

# peer_play SCENARIO PORT OP...: over peer_link, an xtcp server in A on
# PORT that runs the xconn OPs on the connection, and peer.py in B
# connecting to it for SCENARIO. The server's results go to SRV, the
# peer's lines by first word to PEER, all of them to _peer_log.
PEER_PY=$XTCP_ROOT/selftests/peer.py
declare -A PEER
_peer_log=()
_peer_shown=
peer_play() {
	local scenario=$1 port=$2 out key rest

	shift 2
	serve "$A" xtcp 10.0.0.1:"$port" "$@"
	tmpfile out "$scenario"
	n "$B" python3 -B -S -E "$PEER_PY" xv1 "$MAC_A" 10.0.0.2 10.0.0.1 "$port" \
		"$scenario" >"$out" 2>&1
	served
	mapfile -t _peer_log <"$out"
	_peer_shown=
	PEER=()
	while read -r key rest; do
		[ "$key" = "#" ] || PEER[$key]=$rest
	done <"$out"
}

# peer_expect DESC EXPECTED KEY: the peer's line KEY reads EXPECTED (an
# extended regular expression); else say so, and show all the peer printed
# the first time a check of this scenario fails.
peer_expect() {
	if [[ ${PEER[$3]-} =~ ^($2)$ ]]; then
		pass "$1"
	elif [ -n "$_peer_shown" ]; then
		fail "$1" "expected: $3 /$2/" "got:      $3 ${PEER[$3]-}"
	else
		fail "$1" "expected: $3 /$2/" "got:      $3 ${PEER[$3]-}" \
			"peer.py:" "${_peer_log[@]/#/  }"
		_peer_shown=1
	fi
}

# ---- Unmodified programs (selftests/prog_*.sh) -------------------------
#
# A real program's server and client, each on Linux TCP ("inet") or on
# xtcp through the LD_PRELOAD library (tools/xtcp-run), for the pairings
# inet->xtcp, xtcp->inet and xtcp->xtcp (client->server), over a clean
# link and over one that delays and loses segments both ways. Every case
# checks the bytes (sha256 of what arrived against what was sent) and that
# the connections ran on the stacks named: the client side's ActiveOpens
# and the server side's PassiveOpens grew in the named stack
# (/proc/net/xtcp_stat or Linux's Tcp: counters) and not in the other.
XTCP_RUN=$XTCP_ROOT/tools/xtcp-run
PROG_PAIRS=${PROG_PAIRS:-"inet:xtcp xtcp:inet xtcp:xtcp"}
PROG_LINKS=${PROG_LINKS:-"clean impaired"}
PROG_NETEM="delay 5ms 1ms loss 1%"

# prog_require PACKAGE CMD...: skip the whole script unless every CMD is
# installed (scripts/deps installs PACKAGE; make check does) and the
# preload library is built.
prog_require() {
	local pkg=$1 cmd

	shift
	for cmd in "$@"; do
		if ! command -v "$cmd" >/dev/null; then
			echo "1..0 # SKIP $cmd is not installed (package $pkg: scripts/deps $pkg)"
			exit $KSFT_SKIP
		fi
	done
	if [ ! -f "$XTCP_ROOT/tools/libxtcp-preload.so" ]; then
		echo "1..0 # SKIP tools/libxtcp-preload.so is not built (make tools)"
		exit $KSFT_SKIP
	fi
}

# prog_cmd FAMILY: PROG is the command prefix that runs a program on FAMILY.
prog_cmd() {
	PROG=()
	[ "$1" = xtcp ] && PROG=("$XTCP_RUN")
	return 0
}

# prog_bg NS FAMILY LOG CMD...: CMD in the background in NS on FAMILY,
# output to LOG; its pid (the program's own: ip netns exec and xtcp-run
# exec it) in PROG_PID.
prog_bg() {
	local ns=$1 log=$3

	prog_cmd "$2"
	shift 3
	ip netns exec "$ns" "${PROG[@]}" "$@" >"$log" 2>&1 &
	PROG_PID=$!
}

# prog_fg NS FAMILY CMD...: CMD in NS on FAMILY, in the foreground.
prog_fg() {
	local ns=$1

	prog_cmd "$2"
	shift 2
	ip netns exec "$ns" "${PROG[@]}" "$@"
}

# prog_listening PORT [SECONDS]: wait until a listener on PORT shows in
# the server namespace's /proc/net/tcp or /proc/net/xtcp (tcp6 or xtcp6
# with XTCP_FAMILY=6).
prog_listening() {
	local hex f i laddr st rest

	printf -v hex ':%04X' "$1"
	for ((i = 0; i < ${2:-20} * 10; i++)); do
		for f in /proc/$_s_pid/net/tcp$_v6 /proc/$_s_pid/net/xtcp$_v6; do
			[ -r "$f" ] || continue
			while read -r _ laddr _ st rest; do
				[[ $st = 0A && $laddr == *$hex ]] && return 0
			done <"$f"
		done
		nap 0.1
	done
	return 1
}

# prog_stop PID: end a background program and wait for it.
prog_stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# _prog_opens: the open counters of both stacks on both sides, as one line.
_prog_opens() {
	local line= fam

	for fam in inet xtcp; do
		stack_counter "$C" $fam ActiveOpens
		line+="$REPLY "
		stack_counter "$S" $fam PassiveOpens
		line+="$REPLY "
	done
	REPLY=${line% }
}

# prog_ran DESC CF SF BEFORE: pass when, since BEFORE (from _prog_opens),
# the client's ActiveOpens grew on CF's stack alone and the server's
# PassiveOpens on SF's alone.
prog_ran() {
	local -a b a
	local want got i

	read -r -a b <<<"$4"
	_prog_opens
	read -r -a a <<<"$REPLY"
	# inet active, inet passive, xtcp active, xtcp passive: grew or not
	[ "$2" = inet ] && want="yes " || want="no "
	[ "$3" = inet ] && want+="yes " || want+="no "
	[ "$2" = xtcp ] && want+="yes " || want+="no "
	[ "$3" = xtcp ] && want+="yes" || want+="no"
	got=
	for i in 0 1 2 3; do
		[ "${a[i]}" -gt "${b[i]}" ] && got+="yes " || got+="no "
	done
	got=${got% }
	if [ "$want" = "$got" ]; then
		pass "$1"
	else
		fail "$1" "opens grew (Linux active, passive, xtcp active, passive): $got; expected $want" \
			"before: $4" "after:  ${a[*]}"
	fi
}

# prog_same DESC SENT ARRIVED: pass when the two files have the same
# length and sha256; prints the byte count as a diagnostic.
prog_same() {
	local s a

	s=$(sha256sum <"$2" 2>/dev/null) a=$(sha256sum <"$3" 2>/dev/null)
	if [ -n "$s" ] && [ "$s" = "$a" ]; then
		pass "$1"
		echo "# $_t_prefix$(stat -c %s "$3") bytes, sha256 ${s%% *}"
	else
		fail "$1" "sent:    $(stat -c %s "$2" 2>&1) bytes ${s%% *}" \
			"arrived: $(stat -c %s "$3" 2>&1) bytes ${a%% *}"
	fi
}

# prog_impair LINK: "clean", or PROG_NETEM on both veth ends.
prog_impair() {
	tc -n "$C" qdisc del dev xv0 root 2>/dev/null
	tc -n "$S" qdisc del dev xv1 root 2>/dev/null
	[ "$1" = clean ] && return 0
	# shellcheck disable=SC2086 # netem's words
	tc -n "$C" qdisc add dev xv0 root netem $PROG_NETEM &&
		tc -n "$S" qdisc add dev xv1 root netem $PROG_NETEM
}

# prog_cases FN: "FN CLIENT_FAMILY SERVER_FAMILY" for each link and
# pairing, on a fresh $PORT, its checks named "xtcp->inet clean: ..."; FN
# compares the opens against $PROG_BEFORE with prog_ran.
prog_cases() {
	local link pair cf sf

	for link in $PROG_LINKS; do
		prog_impair "$link"
		for pair in $PROG_PAIRS; do
			cf=${pair%:*} sf=${pair#*:}
			PORT=$((PORT + 1))
			_t_prefix="$cf->$sf $link: "
			_prog_opens
			PROG_BEFORE=$REPLY
			"$1" "$cf" "$sf"
			_t_prefix=
		done
	done
	prog_impair clean
}
