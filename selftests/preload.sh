#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The preload library (tools/xtcp-preload.c, run through tools/xtcp-run)
# as a program sees it, with python3 as the program (selftests/preload.py):
# which sockets move to xtcp (read from /proc/net/xtcp and /proc/net/tcp by
# inode), what getsockopt(SO_DOMAIN), accept() and the addresses say, the
# restricted mode (XTCP_PORTS, XTCP_ADDRS) moving only the sockets that
# bind or connect to what is listed, with the options, flags and
# descriptor number they had, a replayed option xtcp refuses failing the
# bind() with its errno, and the fall-back to Linux TCP, with one message,
# when xtcp is not there. The same over IPv6: an AF_INET6 socket moves
# (to /proc/net/xtcp6) and does what Linux's AF_INET6 socket does, line
# for line against the same program on Linux TCP (v4-mapped peers,
# IPV6_V6ONLY, listen() before bind(), a sockaddr_in refused), talks to
# a Linux TCP peer, and the filters take IPv6 and v4-mapped addresses.
. "$(dirname "$0")/lib.sh"

require_module
prog_require python3 python3
PY=$XTCP_ROOT/selftests/preload.py
ns_new N preload
declare -A R

# py [-L] VAR ENV... -- MODE PORT...: preload.py under xtcp-run in $N
# (-L: on Linux TCP, without it); its "name value" lines in R, its stderr
# in ERR.
py() {
	local file err env=() run=$XTCP_RUN

	[ "$1" = -L ] && { run=; shift; }

	while [ "$1" != -- ]; do
		env+=("$1")
		shift
	done
	shift
	tmpfile file py.out
	tmpfile err py.err
	n "$N" env "${env[@]}" $run python3 -S -E "$PY" "$@" \
		>"$file" 2>"$err"
	R=()
	while read -r key val; do
		R[$key]=$val
	done <"$file"
	ERR=$(<"$err")
}

# Everything: every TCP socket over IPv4, nothing else.
py -- basic 7001
expect "a TCP listener is xtcp's" xtcp "${R[listener]:-$ERR}"
expect "SO_DOMAIN, SO_TYPE, SO_PROTOCOL say AF_INET, SOCK_STREAM, TCP" \
	2/1/6 "${R[ids]:-$ERR}"
expect "the client socket (IPPROTO_TCP) and the accepted one are xtcp's" \
	"xtcp xtcp" "${R[client]:-} ${R[accepted]:-}"
expect "accept() gives an AF_INET socket and address; getsockname a port" \
	2/2/2/1 "${R[families]:-$ERR}"
expect "getpeername() on both ends: AF_INET, the right addresses" \
	"127.0.0.1 True" "${R[peer]:-$ERR}"
expect "data flows" ping "${R[data]:-$ERR}"
expect "UDP is left alone" udp "${R[udp]:-$ERR}"
expect "unix sockets are left alone" unix "${R[unix]:-$ERR}"
expect "TCP over IPv6 moves too" xtcp6 "${R[tcp6]:-$ERR}"

# IPv6: what an AF_INET6 socket does, against Linux TCP's.
declare -A L
py -L -- v6 7101
for k in "${!R[@]}"; do
	L[$k]=${R[$k]}
done
LERR=$ERR
py -- v6 7111
expect "Linux: an AF_INET6 socket before bind: [::]:0, SO_DOMAIN AF_INET6" \
	":: 0 10" "${L[fresh]:-$LERR}"
for k in fresh v6only_default ids families peer data autobind autobind_v4 \
	mapped mapped_data v6only inet_addr inet_addr_after inet6_addr; do
	expect "IPv6, $k: as Linux's (${L[$k]:-})" "${L[$k]:-$LERR}" \
		"${R[$k]:-$ERR}"
done
expect "IPv6 listener, client and accepted socket are xtcp's (in xtcp6)" \
	"xtcp6 xtcp6 xtcp6" \
	"${R[where_listener]:-$ERR} ${R[where_client]:-} ${R[where_accepted]:-}"
expect "listen() before bind(), v4-mapped connect, IPV6_V6ONLY: xtcp's" \
	"xtcp6 xtcp6 xtcp6" \
	"${R[where_autobind]:-$ERR} ${R[where_mapped]:-} ${R[where_v6only]:-}"
expect "on Linux TCP they are in tcp6" "tcp6 tcp6 tcp6 tcp6 tcp6 tcp6" \
	"${L[where_listener]:-$LERR} ${L[where_client]:-} ${L[where_accepted]:-} ${L[where_autobind]:-} ${L[where_mapped]:-} ${L[where_v6only]:-}"
py -- peer6 7121
expect "a Linux TCP client over IPv6 to an xtcp listener: 100000 bytes up" \
	"xtcp6 100000" "${R[where_accepted]:-$ERR} ${R[got]:-}"
expect "and 50000 down, the client on Linux TCP (tcp6)" "tcp6 50000" \
	"${R[peer_where]:-$ERR} ${R[peer_got]:-}"

# Restricted to a port: only what binds or connects to it moves.
py XTCP_PORTS=7011 -- restrict 7011 7012
expect "XTCP_PORTS: the listener on a listed port moves" xtcp \
	"${R[listener1]:-$ERR}"
expect "XTCP_PORTS: the listener on another port stays" tcp \
	"${R[listener2]:-$ERR}"
expect "XTCP_PORTS: a connection to the listed port moves, both ends" \
	"xtcp xtcp" "${R[client1]:-} ${R[accepted1]:-}"
expect "XTCP_PORTS: a connection to another port stays, both ends" \
	"tcp tcp" "${R[client2]:-} ${R[accepted2]:-}"
py XTCP_ADDRS=127.0.0.2 -- restrict 7021 7022
expect "XTCP_ADDRS: nothing bound or connected to another address moves" \
	"tcp tcp tcp tcp" \
	"${R[listener1]:-$ERR} ${R[listener2]:-} ${R[client1]:-} ${R[client2]:-}"
py XTCP_ADDRS=127.0.0.1 XTCP_PORTS=7032 -- restrict 7031 7032
expect "XTCP_ADDRS and XTCP_PORTS: both must match" "tcp xtcp tcp xtcp" \
	"${R[listener1]:-$ERR} ${R[listener2]:-} ${R[client1]:-} ${R[client2]:-}"

py XTCP_PORTS=7131 -- restrict6 7131 7132
expect "XTCP_PORTS over IPv6: only what binds or connects to the port moves" \
	"xtcp6 tcp6 xtcp6 xtcp6 tcp6 tcp6" \
	"${R[listener1]:-$ERR} ${R[listener2]:-} ${R[client1]:-} ${R[accepted1]:-} ${R[client2]:-} ${R[accepted2]:-}"
py XTCP_ADDRS=::2 -- restrict6 7141 7142
expect "XTCP_ADDRS=::2: nothing bound or connected to ::1 moves" \
	"tcp6 tcp6 tcp6 tcp6" \
	"${R[listener1]:-$ERR} ${R[listener2]:-} ${R[client1]:-} ${R[client2]:-}"
py XTCP_ADDRS=127.0.0.1,::1 XTCP_PORTS=7152 -- restrict6 7151 7152
expect "XTCP_ADDRS with an IPv6 address and XTCP_PORTS: both must match" \
	"tcp6 xtcp6 tcp6 xtcp6" \
	"${R[listener1]:-$ERR} ${R[listener2]:-} ${R[client1]:-} ${R[client2]:-}"
py XTCP_ADDRS=127.0.0.1,:: -- mapped_restrict 7161
expect "XTCP_ADDRS=127.0.0.1 moves a connect() to ::ffff:127.0.0.1 too" \
	"xtcp xtcp6 xtcp" "${R[mapped]:-$ERR}"
expect "IPV6_V6ONLY set before the move is replayed: no IPv4 client" \
	"xtcp6 1 ECONNREFUSED" "${R[v6only]:-$ERR}"

# A deferred move keeps what the program set.
py XTCP_PORTS=7041,7042 -- replay 7041
expect "options set before bind(): the socket moves on its descriptor" \
	"xtcp same" "${R[where]:-$ERR} ${R[fd]:-}"
n "$N" python3 -S -E -c 'import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 50000)
print(s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))' >"$_tmp/rcvbuf"
expect "SO_RCVBUF: the last value, as Linux TCP reports it" \
	"$(<"$_tmp/rcvbuf")" "${R[rcvbuf]:-$ERR}"
expect "SO_KEEPALIVE, TCP_NODELAY, TCP_KEEPIDLE, TCP_MAXSEG replayed" \
	"1 1 77 1000" \
	"${R[keepalive]:-} ${R[nodelay]:-} ${R[keepidle]:-} ${R[maxseg]:-}"
expect "O_NONBLOCK kept, close-on-exec off kept" "1 0" \
	"${R[nonblock]:-$ERR} ${R[cloexec]:-}"
expect "blocking and close-on-exec kept" "xtcp 0 1" \
	"${R[where2]:-$ERR} ${R[nonblock2]:-} ${R[cloexec2]:-}"

py XTCP_PORTS=7051 -- refuse 7051
expect "an option xtcp refuses fails bind() with its errno" ENOPROTOOPT \
	"${R[bind]:-$ERR}"
expect_match "and says so on stderr" \
	".*xtcp refuses setsockopt\(6, 9\).*Protocol not available.*" "$ERR"
expect "a socket without it moves" xtcp "${R[after]:-$ERR}"

# xtcp not there: its family cannot be read, as when it is not loaded.
tmpfile file fb.out
tmpfile err fb.err
n "$N" unshare -m sh -c 'mount -t tmpfs none /sys/module/xtcp/parameters &&
	exec "$0" python3 -S -E "$1" fallback 7061' "$XTCP_RUN" "$PY" \
	>"$file" 2>"$err"
expect "without xtcp, sockets stay Linux TCP" "where tcp,tcp" \
	"$(grep where "$file" || cat "$err")"
expect "with one message" 1 "$(grep -c 'xtcp is not loaded' "$err")"

out=$("$XTCP_RUN" 2>&1)
expect "xtcp-run without a command: usage, status 2" "2 usage:" \
	"$? ${out%% *}"
done_testing
