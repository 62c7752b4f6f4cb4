#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A connect() nobody answers, for Linux TCP and xtcp as the client
# (CLIENT= narrows them): the SYN is retransmitted as many times as the
# syn_retries sysctl says, then connect() fails with ETIMEDOUT; a signal
# interrupts it with EINTR; a non-blocking one stays in progress.
. "$(dirname "$0")/lib.sh"

net_pair
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"

# N_ADDR is on the link but nobody has it: the client's neighbour entry
# sends its frames to a MAC address nobody owns, so they cross the veth and
# the server's side drops them, without a reply of any kind.
NOBODY=$N_ADDR
ip -n "$C" neigh replace $N_IP lladdr 02:00:00:00:00:99 dev xv0 nud permanent

# One retransmission: the SYN at 0 s, again after the initial RTO of 1 s,
# and connect() gives up when the doubled RTO (2 s) runs out.
syn_timeout() {
	local cf=$1

	check "the client's SYN retries can be set to 1" \
		syn_retries "$C" "$cf" 1 || return
	xc "$C" "$cf" do time connect=$NOBODY:$PORT time
	cap_sync

	expect "connect() fails with ETIMEDOUT" ETIMEDOUT "${OUT[connect]}"
	expect_fn "after 2 SYNs: the first and 1 retransmission" 2 \
		seg_count "$CAP" $C_ADDR S
	expect_match "connect() gives up about 3 s (in ms) after it started" \
		"2[5-9][0-9][0-9]|3[0-9][0-9][0-9]|4[0-4][0-9][0-9]" "${OUT[time2]}"
}
clients "connect() times out after syn_retries=1" syn_timeout

interrupted() {
	local cf=$1

	expect_do "SIGALRM interrupts a blocking connect() with EINTR" EINTR \
		"$C" "$cf" alarm=1 connect=$NOBODY:$PORT
	expect_do "a non-blocking connect() says EINPROGRESS, then EALREADY" \
		"OK EINPROGRESS EALREADY" \
		"$C" "$cf" nonblock connect=$NOBODY:$PORT connect=$NOBODY:$PORT
}
clients "connect() interrupted or in progress" interrupted

done_testing
