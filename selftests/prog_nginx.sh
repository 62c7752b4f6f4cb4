#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unmodified programs on xtcp: nginx and curl, through the preload library
# (tools/xtcp-run). nginx serves a 4 MB file with epoll, sendfile,
# TCP_NOPUSH (TCP_CORK) and TCP_NODELAY, its listener with SO_KEEPALIVE;
# curl fetches it for each pairing of Linux TCP and xtcp, over a clean and
# an impaired link. What arrives must be the file, the connection must
# have run on the stacks named (see prog_cases in lib.sh), and nginx must
# log no setsockopt() failure: "deferred" and "reuseport" stay out of the
# configuration, xtcp refuses them (TCP_DEFER_ACCEPT with ENOPROTOOPT,
# SO_REUSEPORT with EOPNOTSUPP); "fastopen" is left out too.
. "$(dirname "$0")/lib.sh"

require_module
prog_require nginx-light nginx
prog_require curl curl
net_pair
tmpfile dir nginx
mkdir -p "$dir/www"
head -c 4000000 /dev/urandom >"$dir/www/file.bin"

# conf PORT: nginx's configuration, all of it in $dir, in the foreground,
# one process.
conf() {
	cat >"$dir/nginx.conf" <<-EOC
	daemon off;
	master_process off;
	worker_processes 1;
	error_log $dir/error.log info;
	pid $dir/nginx.pid;
	events { worker_connections 64; use epoll; }
	http {
		access_log $dir/access.log;
		client_body_temp_path $dir/body;
		proxy_temp_path $dir/proxy;
		fastcgi_temp_path $dir/fastcgi;
		uwsgi_temp_path $dir/uwsgi;
		scgi_temp_path $dir/scgi;
		sendfile on;
		tcp_nopush on;
		tcp_nodelay on;
		server {
			listen $S_ADDR:$1 backlog=64 so_keepalive=on;
			root $dir/www;
		}
	}
	EOC
}

# What nginx logs when a call fails: "[alert] setsockopt(...) failed".
bad='\[(emerg|alert|crit|error)\]|failed'

fetch() {
	local cf=$1 sf=$2 log out pid

	tmpfile log nginx.log
	tmpfile out got
	conf "$PORT"
	: >"$dir/error.log"
	prog_bg "$S" "$sf" "$log" nginx -c "$dir/nginx.conf"
	pid=$PROG_PID
	if ! prog_listening "$PORT"; then
		fail "nginx listens" "$(cat "$log" "$dir/error.log")"
		prog_stop $pid
		return
	fi
	check "curl fetches the file" prog_fg "$C" "$cf" curl -sS --max-time 60 \
		-o "$out" "http://$S_ADDR:$PORT/file.bin"
	prog_same "what curl got is the file" "$dir/www/file.bin" "$out"
	prog_ran "the connection ran on $cf (curl) and $sf (nginx)" \
		"$cf" "$sf" "$PROG_BEFORE"
	# Before nginx stops: it logs the signal's EINTR as a failure.
	if grep -Eq "$bad" "$log" "$dir/error.log"; then
		fail "nginx logs no error" "$(grep -Eh "$bad" "$log" "$dir/error.log")"
	else
		pass "nginx logs no error"
	fi
	prog_stop $pid
}

prog_cases fetch
done_testing
