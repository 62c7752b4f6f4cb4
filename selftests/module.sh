#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Loading and unloading xtcp: an open socket pins the module, a family that
# is taken or out of range fails the load with a clear message, and the
# module comes back cleanly afterwards.
. "$(dirname "$0")/lib.sh"
require_module

MODULE=${XTCP_MODULE:-$XTCP_ROOT/mod/xtcp.ko}

refcnt() { cat /sys/module/xtcp/refcnt; }

base=$(refcnt)
hold_start HOLD 2
expect "two sockets open" 0 $?
held=$(refcnt)
if [ "$held" -gt "$base" ]; then
	pass "open sockets hold module references ($base -> $held)"
else
	fail "open sockets hold module references" "refcnt $base -> $held"
fi
out=$(rmmod xtcp 2>&1)
rc=$?
if [ $rc -ne 0 ] && [ -d /sys/module/xtcp ]; then
	pass "rmmod is refused while a socket is open"
else
	fail "rmmod is refused while a socket is open" "rc=$rc: $out"
fi
expect "the refused rmmod leaves the sockets working" OK "$($XSOCK socket)"
hold_stop "$HOLD"
expect "closing the sockets drops their references" "$base" "$(refcnt)"
check "rmmod succeeds once the sockets are closed" rmmod xtcp
expect "after rmmod, socket(AF_XTCP) fails with EAFNOSUPPORT" EAFNOSUPPORT \
	"$($XSOCK socket)"

# A family another protocol holds: 2 is AF_INET.
# The newest lines of the log: a count of lines taken before would not
# do once earlier tests have filled the ring buffer and it wraps.
out=$(insmod "$MODULE" family=2 2>&1)
expect "insmod family=2 (AF_INET, taken) fails" "failed" \
	"$([ -d /sys/module/xtcp ] && echo loaded || echo failed)"
if dmesg | tail -n 20 | grep -q "address family 2 is already registered"; then
	pass "the kernel log says the family is taken"
else
	fail "the kernel log says the family is taken" "$out"
fi
out=$(insmod "$MODULE" family=4096 2>&1)
expect "insmod family=4096 (beyond AF_MAX) fails" "failed" \
	"$([ -d /sys/module/xtcp ] && echo loaded || echo failed)"

# Another free slot works and the tools follow it through sysfs.
check "insmod family=13 (a free slot) loads" insmod "$MODULE" family=13
expect "the family in use is readable in sysfs" 13 \
	"$(cat /sys/module/xtcp/parameters/family 2>/dev/null)"
expect "socket() works in family 13" OK "$($XSOCK socket)"
check "rmmod after family=13" rmmod xtcp

check "insmod with the default family loads again" insmod "$MODULE"
expect "socket() works after the reload" OK "$($XSOCK socket)"

done_testing
