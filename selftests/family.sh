#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The xtcp address family: registered at load, readable, and socket()
# accepts exactly SOCK_STREAM with protocol 0 or IPPROTO_TCP.
. "$(dirname "$0")/lib.sh"
require_module

fam=$(cat /sys/module/xtcp/parameters/family)
expect "the family in use is the uapi default AF_XTCP (25)" 25 "$fam"
if grep -q "^XTCP " /proc/net/protocols; then
	pass "XTCP is listed in /proc/net/protocols"
else
	fail "XTCP is listed in /proc/net/protocols"
fi
expect "socket(AF_XTCP, SOCK_STREAM, 0) succeeds" OK "$($XSOCK socket stream 0)"
expect "socket(AF_XTCP, SOCK_STREAM, IPPROTO_TCP) succeeds" OK \
	"$($XSOCK socket stream 6)"
for type in dgram seqpacket raw; do
	expect "socket(AF_XTCP, SOCK_${type^^}, 0) fails with ESOCKTNOSUPPORT" \
		ESOCKTNOSUPPORT "$($XSOCK socket $type 0)"
done
expect "SOCK_DGRAM with IPPROTO_TCP fails with ESOCKTNOSUPPORT too" \
	ESOCKTNOSUPPORT "$($XSOCK socket dgram 6)"
for proto in 17 132 255; do
	expect "socket(AF_XTCP, SOCK_STREAM, $proto) fails with EPROTONOSUPPORT" \
		EPROTONOSUPPORT "$($XSOCK socket stream $proto)"
done

done_testing
