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
KSFT_SKIP=4

_t_num=0
_t_fail=0
_t_skip=0
_ns_list=()

_report() {
	_t_num=$((_t_num + 1))
	echo "$1 $_t_num - $2"
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

# check DESC CMD [ARG...]: pass when CMD exits 0.
check() {
	local desc=$1 out

	shift
	if out=$("$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc" "command failed: $*" "$out"
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

# n NS CMD...: run CMD inside namespace NS.
n() {
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# veth_link NS1 ADDR1 NS2 ADDR2: a veth pair between two namespaces, with
# the given IPv4 addresses (/24), up.
veth_link() {
	ip link add xv0 netns "$1" type veth peer name xv1 netns "$3" || return 1
	ip -n "$1" addr add "$2/24" dev xv0
	ip -n "$3" addr add "$4/24" dev xv1
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
	local ns

	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	for ns in "${_ns_list[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
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
