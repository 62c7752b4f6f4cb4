#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data calls and readiness of a connection, xtcp against Linux TCP:
# send/recv and their relatives move the exact bytes across scatter/gather
# boundaries; MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, MSG_NOSIGNAL and
# SIGPIPE; SO_RCVTIMEO, SO_SNDTIMEO, SO_RCVLOWAT, SO_RCVBUF/SO_SNDBUF;
# SIOCINQ and SIOCOUTQ; poll and epoll masks through data, a full send
# buffer, FIN, RST, shutdown, EPOLLET, connect and accept.
#
# selftests/xcalls runs each case on a fresh connection, once with the
# client as the socket looked at and once with the accepted one, and
# prints a line of results. Linux TCP (inet->inet) runs first: its lines
# are checked against what Linux TCP is known to do (the table below),
# then each pairing with xtcp (CLIENT=, SERVER= narrow them) must print
# exactly what Linux TCP printed.
. "$(dirname "$0")/lib.sh"

XCALLS=$XTCP_ROOT/selftests/bin/xcalls

# What each case checks, and what Linux TCP does (6.12). Where Linux
# itself depends on timing, xcalls folds the outcomes into one word
# ("short" for a partial count or EAGAIN); masks are exact.
declare -A DESC LINUX
case_is() { DESC[$1]=$2; LINUX[$1]=$3; }
for call in send write sendmsg writev; do
	case_is "$call" "$call() moves 60000 bytes in odd-sized pieces intact" \
		"bytes=60000 ok"
done
for call in recv read recvmsg readv; do
	case_is "$call" "$call() receives 60000 bytes into odd-sized pieces intact" \
		"bytes=60000 ok"
done
case_is peek "MSG_PEEK twice sees the same 50 bytes, a read then gets all 100" \
	"50 50 same 100 same EAGAIN"
case_is peek-multi "MSG_PEEK sees 30 bytes sent in three pieces, as the read after it" \
	"30 30 same"
case_is dontwait "MSG_DONTWAIT, O_NONBLOCK read() and MSG_PEEK say EAGAIN with nothing queued" \
	"EAGAIN EAGAIN EAGAIN"
case_is waitall "MSG_WAITALL returns all 3000 bytes sent in three pieces" \
	"3000 ok"
case_is waitall-eof "MSG_WAITALL returns the 1000 bytes before the FIN, then 0" \
	"1000 0"
case_is waitall-signal "MSG_WAITALL interrupted by a signal returns the 1000 bytes it has" \
	"1000 signals=1"
case_is recv-intr "a signal interrupts recv() with nothing queued: EINTR, with and without MSG_WAITALL" \
	"EINTR EINTR"
case_is shutwr-nosignal "send() after shutdown(SHUT_WR) with MSG_NOSIGNAL: EPIPE, no SIGPIPE" \
	"EPIPE/sigpipe=0 EPIPE/sigpipe=0"
case_is shutwr-sigpipe "send() after shutdown(SHUT_WR): EPIPE and a SIGPIPE each time" \
	"EPIPE/sigpipe=1 EPIPE/sigpipe=2"
case_is reset-nosignal "send() after the peer's RST with MSG_NOSIGNAL: ECONNRESET, then EPIPE, no SIGPIPE" \
	"ECONNRESET/sigpipe=0 EPIPE/sigpipe=0"
case_is reset-sigpipe "send() after the peer's RST: ECONNRESET without SIGPIPE, then EPIPE with one" \
	"ECONNRESET/sigpipe=0 EPIPE/sigpipe=1"
case_is rcvtimeo "SO_RCVTIMEO 500 ms: recv() blocks about that long, then EAGAIN" \
	"EAGAIN blocked"
case_is sndtimeo "SO_SNDTIMEO 500 ms on a full window: send() blocks, returns short (partial or EAGAIN)" \
	"short blocked short blocked"
case_is rcvlowat "SO_RCVLOWAT 1000: 500 bytes wake no one and poll shows no IN; 1100 do; recv() waits for the low mark" \
	"0 timeout OUT|WRNORM IN 1100 500 blocked"
case_is buf-default "a fresh socket's SO_RCVBUF and SO_SNDBUF (tcp_rmem[1], tcp_wmem[1])" \
	"rcvbuf=131072 sndbuf=16384"
case_is buf-set "SO_RCVBUF 20000 and SO_SNDBUF 30000 read back doubled" \
	"0 0 rcvbuf=40000 sndbuf=60000"
case_is inq "SIOCINQ/FIONREAD: 0, 123 queued, still 123 after the FIN, 0 once read" \
	"0 123 123 123 0"
case_is outq "SIOCOUTQ: 0, 0 once acknowledged, positive with the window full" \
	"0 0 positive"
case_is ep-in "no EPOLLIN before data; 10 bytes wake an epoll waiter with EPOLLIN" \
	"OUT|WRNORM timeout IN IN|OUT|RDNORM|WRNORM"
case_is ep-out "EPOLLOUT while there is room, cleared with the buffers full, back when the peer drains" \
	"OUT - timeout OUT drained=all"
case_is ep-rdhup "the peer's FIN wakes EPOLLIN|EPOLLRDHUP; recv() says 0" \
	"IN|RDHUP IN|OUT|RDNORM|WRNORM|RDHUP 0"
case_is ep-rst "the peer's RST wakes EPOLLERR|EPOLLHUP; SO_ERROR is ECONNRESET once, which clears ERR" \
	"IN|ERR|HUP|RDHUP IN|OUT|ERR|HUP|RDNORM|WRNORM|RDHUP 0 ECONNRESET IN|OUT|HUP|RDNORM|WRNORM|RDHUP 0"
case_is ep-hup "shutdown(SHUT_WR) and then the peer's FIN: EPOLLHUP" \
	"OUT|WRNORM IN|HUP|RDHUP IN|OUT|HUP|RDNORM|WRNORM|RDHUP"
case_is ep-shutrdwr "shutdown(SHUT_RDWR): EPOLLHUP with IN and RDHUP at once" \
	"IN|OUT|HUP|RDNORM|WRNORM|RDHUP"
case_is ep-et "EPOLLET: one event per arrival, none in between" \
	"IN timeout IN timeout"
case_is ep-connect "non-blocking connect(): a fresh socket's mask, EINPROGRESS, EPOLLOUT, SO_ERROR 0" \
	"OUT|HUP|WRNORM EINPROGRESS OUT 0 OUT|WRNORM"
case_is ep-refused "non-blocking connect() refused: EPOLLERR|EPOLLHUP, SO_ERROR ECONNREFUSED" \
	"EINPROGRESS OUT|ERR|HUP IN|OUT|ERR|HUP|RDNORM|WRNORM|RDHUP ECONNREFUSED IN|OUT|HUP|RDNORM|WRNORM|RDHUP"
case_is ep-listen "a listener is readable when a connection is ready to accept, and not before or after" \
	"- IN IN|RDNORM accepted -"
case_is relisten "a listener shut down resets the connection it queued and accepts no more; listening again, it accepts a new one" \
	"shut EINVAL ECONNRESET listening connected accepted"

# The cases in xcalls's order (CALLS_CASES= narrows them).
CASES=${CALLS_CASES:-"send write sendmsg writev recv read recvmsg readv peek peek-multi
	dontwait waitall waitall-eof waitall-signal recv-intr shutwr-nosignal
	shutwr-sigpipe reset-nosignal reset-sigpipe rcvtimeo sndtimeo rcvlowat
	buf-default buf-set inq outq ep-in ep-out ep-rdhup ep-rst ep-hup
	ep-shutrdwr ep-et ep-connect ep-refused ep-listen relisten"}
# The roles of the cases that do not run in both.
declare -A ROLES=([ep-connect]=c [ep-refused]=c [ep-listen]=s [relisten]=s)

# run_xcalls ARRAY CF SF: xcalls for the pairing, a process per case on
# ports of its own; the lines by "CASE ROLE" in ARRAY. (One process for
# all cases would save forks, but has crashed the debug UML kernel.)
run_xcalls() {
	local -n _res=$1
	local file name role rest c cf=$2 sf=$3

	[ "$cf" = inet ] && cf=$INET
	[ "$sf" = inet ] && sf=$INET
	tmpfile file xcalls
	: >"$file"
	for c in $CASES; do
		PORT=$((PORT + 3))
		"$XCALLS" --client-ns "$C" --client-family "$cf" \
			--server-ns "$S" --server-family "$sf" --addr $S_ADDR \
			--port $PORT "$c" >>"$file" 2>&1
	done
	_res=()
	while read -r name role rest; do
		# "setup CALL ERRNO": xcalls could not start.
		[ "$name" = setup ] && echo "# xcalls $2->$3: setup $role $rest"
		_res["$name $role"]=$rest
	done <"$file"
}

# roles NAME: REPLY lists the roles the case runs in: c (the client is
# the socket looked at), s (the accepted socket is).
roles() {
	REPLY=${ROLES[$1]:-c s}
}

net_pair
declare -A REF RES
run_xcalls REF inet inet

# fold NAME: where even Linux TCP's result depends on timing, keep only the
# part that does not. SO_SNDTIMEO: the first send on a full window blocks
# and returns short; whether a second one finds room (ACKs arriving during
# the wait) depends on the machine's load, so only the first is compared.
fold() {
	if [ "$1" = sndtimeo ]; then
		want=$(echo "$want" | cut -d' ' -f1-2)
		got=$(echo "$got" | cut -d' ' -f1-2)
	fi
}

# compare CF SF: each case of the pairing against Linux TCP's result.
compare() {
	local cf=$1 sf=$2 name role want got fam

	if [ "$cf/$sf" = inet/inet ]; then
		for name in $CASES; do
			roles "$name"
			for role in $REPLY; do
				[ $role = c ] && fam=client || fam=server
				got=${REF[$name $role]:-}
				want=${LINUX[$name]}
				fold "$name"
				expect "${DESC[$name]} ($fam tested)" "$want" "$got"
			done
		done
		return
	fi
	run_xcalls RES "$cf" "$sf"
	for name in $CASES; do
		roles "$name"
		for role in $REPLY; do
			if [ $role = c ]; then
				fam="client $cf tested, peer $sf"
			else
				fam="server $sf tested, peer $cf"
			fi
			want=${REF[$name $role]:-}
			got=${RES[$name $role]:-}
			case "$name $got" in
			"inq "*EOPNOTSUPP* | "inq "*ENOTTY* | \
			"outq "*EOPNOTSUPP* | "outq "*ENOTTY*)
				skip "${DESC[$name]} ($fam)" \
					"the ioctl is not implemented ($got)"
				continue ;;
			esac
			fold "$name"
			expect "${DESC[$name]} ($fam)" "$want" "$got"
		done
	done
}
pairings "data calls and readiness as in Linux TCP" compare

done_testing
