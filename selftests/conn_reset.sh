#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Connections that end in a RST, for every pairing of Linux TCP and xtcp
# (CLIENT=, SERVER= narrow them): a SYN to a port nobody listens on, a
# close with data left unread, an abort with SO_LINGER {1, 0} from either
# side, and what the peer's calls say afterwards. A capture on the
# client's veth shows who sent the RST.
. "$(dirname "$0")/lib.sh"

net_pair
# Everything on the client's veth; each scenario checks its own port.
tmpfile CAP capture
cap_start "$C" xv0 "$CAP"

# The server's socket is bound to the port but does not listen.
refused() {
	local cf=$1 sf=$2

	bg holder "$S" "$sf" do bind=$S_ADDR:$PORT wait
	bg_wait holder '^wait ready'
	xc "$C" "$cf" client $S_ADDR:$PORT
	cap_sync
	expect "connect() to a bound port nobody listens on fails with ECONNREFUSED" \
		ECONNREFUSED "${OUT[connect]}"
	cap_check "the SYN is answered by a RST that acknowledges it; no SYN-ACK" \
		seg_refused "$CAP" $C_ADDR $S_ADDR
	# A non-blocking connect learns it from poll() and SO_ERROR; the
	# error is then consumed and connect() again says ECONNABORTED.
	expect_do \
		"non-blocking: SO_ERROR says ECONNREFUSED, connect() then ECONNABORTED" \
		"OK EINPROGRESS POLLOUT|POLLERR|POLLHUP ECONNREFUSED ECONNABORTED" \
		"$C" "$cf" nonblock connect=$S_ADDR:$PORT poll=out soerror \
		connect=$S_ADDR:$PORT
	go holder
	bg_done holder SRV
}
pairings "connect to a port nobody listens on" refused

# The client sends 5000 bytes and waits to read; the server sees them
# arrive and closes without reading them: RFC 9293 3.10.4 (and RFC 2525
# 2.17) says to send a RST, not a FIN, so that data loss is not silent.
close_unread() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT poll=in sleep=0.2 close
	xc "$C" "$cf" client $S_ADDR:$PORT send=5000 recv
	served
	cap_sync

	expect "the server closes with the client's data unread" "POLLIN OK" \
		"${SRV[poll]} ${SRV[close]}"
	cap_check "the server sends a RST, not a FIN" seg_rst_from "$CAP" $S_ADDR
	expect "the client's read fails with ECONNRESET" ECONNRESET "${OUT[recv]}"
}
pairings "close with unread data" close_unread

# SO_LINGER {1, 0} makes close() abort the connection with a RST. The
# server waits until the client's connect() has returned: a RST that
# arrives first would make connect() itself fail with ECONNRESET.
server_aborts() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT wait linger0 close
	bg client "$C" "$cf" client $S_ADDR:$PORT recv
	bg_wait client '^connect'
	bg_wait server '^wait ready'
	go server
	bg_done client OUT
	served
	cap_sync

	expect "the server sets SO_LINGER {1, 0} and closes" "OK OK" \
		"${SRV[linger0]} ${SRV[close]}"
	cap_check "the server sends a RST, not a FIN" seg_rst_from "$CAP" $S_ADDR
	expect "the client's blocked read fails with ECONNRESET" ECONNRESET \
		"${OUT[recv]}"
}
pairings "server aborts with SO_LINGER 0" server_aborts

client_aborts() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT recv
	xc "$C" "$cf" client $S_ADDR:$PORT linger0 close
	served
	cap_sync

	cap_check "the client sends a RST, not a FIN" seg_rst_from "$CAP" $C_ADDR
	expect "the server accepts the connection" "$AF $C_ADDR" \
		"${SRV[accept]%:*}"
	expect "and its read fails with ECONNRESET" ECONNRESET "${SRV[recv]}"
}
pairings "client aborts with SO_LINGER 0" client_aborts

# The client resets the connection before the server calls accept(): the
# connection was announced, so accept() still returns it and the read
# fails with ECONNRESET (Linux TCP does so). xtcp once took a reset child
# off the accept queue, and accept() waited for ever (alarm: EINTR here).
reset_before_accept() {
	local cf=$1 sf=$2

	bg server "$S" "$sf" do bind=$S_ADDR:$PORT listen sleep=1 alarm=4 \
		accept recv
	bg_wait server '^listen '
	xc "$C" "$cf" client $S_ADDR:$PORT linger0 close
	bg_done server SRV
	cap_sync

	cap_check "the client sends a RST before accept()" seg_rst_from \
		"$CAP" $C_ADDR
	expect "accept() still returns the connection" "$AF $C_ADDR" \
		"${SRV[accept]%:*}"
	expect "and its read fails with ECONNRESET" ECONNRESET "${SRV[recv]}"
}
pairings "client resets before accept()" reset_before_accept

# After the peer's RST the socket reports the error once: the first send()
# fails with ECONNRESET, later ones with EPIPE, and a read sees EOF.
send_after_reset() {
	local cf=$1 sf=$2

	serve "$S" "$sf" $S_ADDR:$PORT wait linger0 close
	bg client "$C" "$cf" client $S_ADDR:$PORT poll=in send=100 send=100 recv
	bg_wait client '^connect'
	bg_wait server '^wait ready'
	go server
	bg_done client OUT
	served

	expect "poll() reports the reset as POLLIN|POLLERR|POLLHUP|POLLRDHUP" \
		"POLLIN|POLLERR|POLLHUP|POLLRDHUP" "${OUT[poll]}"
	expect "the first send() after the RST fails with ECONNRESET" ECONNRESET \
		"${OUT[send]}"
	expect "the next send() fails with EPIPE" EPIPE "${OUT[send2]}"
	expect "a read then returns EOF" "bytes=0" "${OUT[recv]%% *}"
}
pairings "send after the peer's RST" send_after_reset

done_testing
