#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What bind, listen, accept, connect, getsockname, getpeername, shutdown,
# send and recv answer when they cannot do what is asked: xtcp must give
# the errno Linux TCP gives, call for call. Each line below runs "xconn do"
# with a list of calls on one socket and compares the list of results
# ("OK", an errno name, an address) with what Linux TCP answers.
. "$(dirname "$0")/lib.sh"

net_pair

# Calls a socket answers on its own, on the server's side of the link.
bind_errors() {
	local fam=$1

	expect_do "binding a bound socket again fails with EINVAL" "OK EINVAL" \
		"$S" "$fam" bind=$S_ADDR:$PORT bind=$S_ADDR:$PORT
	expect_do "bind with an 8-byte address fails with EINVAL" EINVAL \
		"$S" "$fam" bind-short=$S_ADDR:$PORT
	# An xtcp socket serves both families: a sockaddr_in6 makes it an
	# IPv6 socket (ipv6.sh); Linux's AF_INET socket refuses one. Over
	# IPv6 the mixes are ipv6.sh's.
	if [ "$XTCP_FAMILY" = 6 ]; then
		:
	elif [ "$fam" = xtcp ]; then
		expect_do "bind to an AF_INET6 address makes an IPv6 socket" \
			"OK AF_INET6 [::]:5000" "$S" "$fam" bind-inet6 getsockname
	else
		expect_do "bind to an AF_INET6 address fails with EAFNOSUPPORT" \
			EAFNOSUPPORT "$S" "$fam" bind-inet6
	fi
	# AF_UNSPEC is AF_INET's rule: an xtcp socket, which is neither
	# until bound, takes it as Linux's AF_INET sockets do.
	if [ "$XTCP_FAMILY" = 4 ]; then
		expect_do "bind with AF_UNSPEC and INADDR_ANY is taken as AF_INET" \
			"OK AF_INET 0.0.0.0:$PORT" "$S" "$fam" bind-unspec=0.0.0.0:$PORT getsockname
		expect_do "bind with AF_UNSPEC and another address fails with EAFNOSUPPORT" \
			EAFNOSUPPORT "$S" "$fam" bind-unspec=$S_ADDR:$PORT
	fi
	expect_do "bind to an address not on this host fails with EADDRNOTAVAIL" \
		EADDRNOTAVAIL "$S" "$fam" bind=$N_ADDR:$PORT
	expect_do "bind to a port a listener holds fails with EADDRINUSE" \
		"OK OK OK EADDRINUSE" \
		"$S" "$fam" bind=$S_ADDR:$PORT listen new bind=$S_ADDR:$PORT
	xc "$S" "$fam" do bind=$S_ADDR:0 getsockname
	expect_match "bind to port 0 picks a port" \
		"$AF $S_RE:[1-9][0-9]*" "${OUT[getsockname]}"
}
families "bind errors" bind_errors

# unbound_name FAMILY: REPLY is the address of an unbound socket of
# FAMILY, without the port; ANY_RE the same as a regular expression. An
# xtcp socket is IPv4 until its first bind() or connect() (ipv6.sh), as a
# new socket's getsockname and listen without bind show.
unbound_name() {
	REPLY="$AF $ANY_ADDR" ANY_RE="$AF \[::\]"
	[ "$1" = xtcp ] || [ "$XTCP_FAMILY" = 4 ] &&
		REPLY="AF_INET 0.0.0.0" ANY_RE="AF_INET 0\.0\.0\.0"
}

unconnected_calls() {
	local fam=$1

	unbound_name "$fam"
	expect_do "getsockname on a new socket is $REPLY:0" \
		"$REPLY:0" "$S" "$fam" getsockname
	expect_do "getpeername on an unconnected socket fails with ENOTCONN" \
		ENOTCONN "$S" "$fam" getpeername
	expect_do "shutdown on an unconnected socket fails with ENOTCONN" \
		ENOTCONN "$S" "$fam" shutdown=rdwr
	expect_do "send on an unconnected socket fails with EPIPE" EPIPE \
		"$S" "$fam" send=1
	expect_do "recv on an unconnected socket fails with ENOTCONN" ENOTCONN \
		"$S" "$fam" recv
	expect_do "accept on a socket that does not listen fails with EINVAL" \
		"EINVAL OK EINVAL" "$S" "$fam" accept bind=$S_ADDR:0 accept
}
families "calls on an unconnected socket" unconnected_calls

listener_calls() {
	local fam=$1

	xc "$S" "$fam" do listen getsockname
	unbound_name "$fam"
	expect_match "listen on an unbound socket binds it to a port" \
		"OK $ANY_RE:[1-9][0-9]*" "${OUT[all]}"
	expect_do "listen twice is allowed (it updates the backlog)" "OK OK OK" \
		"$S" "$fam" bind=$S_ADDR:$PORT listen=1 listen=8
	expect_do "non-blocking accept with nobody waiting fails with EAGAIN" \
		"OK OK OK EAGAIN" "$S" "$fam" bind=$S_ADDR:$PORT listen nonblock accept
	expect_do "SIGALRM interrupts a blocking accept with EINTR" "OK OK EINTR" \
		"$S" "$fam" bind=$S_ADDR:$PORT listen alarm=1 accept
	expect_do "recv on a listening socket fails with ENOTCONN" "OK OK ENOTCONN" \
		"$S" "$fam" bind=$S_ADDR:$PORT listen recv
	expect_do "connect on a listening socket fails with EISCONN" \
		"OK OK EISCONN" "$S" "$fam" bind=$S_ADDR:$PORT listen \
		connect=$C_ADDR:$PORT
}
families "calls on a listening socket" listener_calls

# A connected socket, from both ends: the addresses each side reports,
# and the calls that make no sense any more.
connected_calls() {
	local cf=$1 sf=$2 cport=$((PORT + 10000))

	serve "$S" "$sf" $S_ADDR:$PORT getsockname getpeername recv
	xc "$C" "$cf" client $S_ADDR:$PORT --bind $C_ADDR:$cport \
		getsockname getpeername listen bind=$C_ADDR:0 \
		connect=$S_ADDR:$PORT shutdown recv
	served

	expect "the client's getsockname is its bound address" \
		"$AF $C_ADDR:$cport" "${OUT[getsockname]}"
	expect "the client's getpeername is the server" \
		"$AF $S_ADDR:$PORT" "${OUT[getpeername]}"
	expect "accept() returns the client's address" \
		"$AF $C_ADDR:$cport" "${SRV[accept]}"
	expect "the accepted socket's getsockname is the listener's address" \
		"$AF $S_ADDR:$PORT" "${SRV[getsockname]}"
	expect "the accepted socket's getpeername is the client" \
		"$AF $C_ADDR:$cport" "${SRV[getpeername]}"
	expect "listen on a connected socket fails with EINVAL" EINVAL \
		"${OUT[listen]}"
	expect "bind on a connected socket fails with EINVAL" EINVAL \
		"${OUT[bind2]}"
	expect "connect on a connected socket fails with EISCONN" EISCONN \
		"${OUT[connect2]}"
}
pairings "calls on a connected socket" connected_calls

# Linux reports a non-blocking connect's completion once more through
# connect() itself (0), and only then EISCONN.
nonblocking_connect() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT recv
	expect_do \
		"non-blocking connect: EINPROGRESS, POLLOUT, SO_ERROR 0, 0, EISCONN" \
		"OK EINPROGRESS POLLOUT OK OK EISCONN OK" \
		"$C" "$cf" nonblock connect=$S_ADDR:$PORT poll=out soerror \
		connect=$S_ADDR:$PORT connect=$S_ADDR:$PORT close
	served
	expect "the server sees the connection close with no data" bytes=0 \
		"${SRV[recv]%% *}"
}
pairings "non-blocking connect to a listener" nonblocking_connect

done_testing
