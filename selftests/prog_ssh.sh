#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unmodified programs on xtcp: OpenSSH's sshd and scp, through the preload
# library (tools/xtcp-run). sshd runs in the foreground with a private
# configuration and a host key made here, root logs in with a key made
# here. For each pairing of Linux TCP and xtcp, over a clean and an
# impaired link, scp copies a 2 MB file to the server and back: what
# arrives must be the file each time, and the connections must have run on
# the stacks named (see prog_cases in lib.sh).
. "$(dirname "$0")/lib.sh"

require_module
prog_require openssh-server /usr/sbin/sshd
prog_require openssh-client scp ssh-keygen
net_pair
tmpfile dir ssh
mkdir -p "$dir"
chmod 700 "$dir"
head -c 2000000 /dev/urandom >"$dir/file.bin"
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" &&
	ssh-keygen -q -t ed25519 -N '' -f "$dir/id" &&
	cp "$dir/id.pub" "$dir/authorized_keys" || exit 1
# sshd's privilege separation directory (/run is the guest's own tmpfs)
mkdir -p /run/sshd

# conf PORT: sshd's configuration.
conf() {
	cat >"$dir/sshd_config" <<-EOC
	Port $1
	ListenAddress $S_ADDR
	HostKey $dir/host_key
	PidFile $dir/sshd.pid
	AuthorizedKeysFile $dir/authorized_keys
	PermitRootLogin prohibit-password
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	StrictModes no
	Subsystem sftp internal-sftp
	EOC
}

ssh_opts=(-i "$dir/id" -o BatchMode=yes -o StrictHostKeyChecking=no
	  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)

copy() {
	local cf=$1 sf=$2 log pid

	tmpfile log sshd.log
	conf "$PORT"
	rm -f "$dir/up.bin" "$dir/down.bin"
	prog_bg "$S" "$sf" "$log" /usr/sbin/sshd -D -e -f "$dir/sshd_config"
	pid=$PROG_PID
	if ! prog_listening "$PORT"; then
		fail "sshd listens" "$(cat "$log")"
		prog_stop $pid
		return
	fi
	check "scp copies the file to the server" prog_fg "$C" "$cf" \
		scp "${ssh_opts[@]}" -P "$PORT" "$dir/file.bin" \
		"root@$S_ADDR:$dir/up.bin"
	prog_same "what arrived at the server is the file" "$dir/file.bin" \
		"$dir/up.bin"
	check "scp copies it back" prog_fg "$C" "$cf" \
		scp "${ssh_opts[@]}" -P "$PORT" "root@$S_ADDR:$dir/up.bin" \
		"$dir/down.bin"
	prog_same "what came back is the file" "$dir/file.bin" "$dir/down.bin"
	prog_ran "the connections ran on $cf (scp) and $sf (sshd)" \
		"$cf" "$sf" "$PROG_BEFORE"
	prog_stop $pid
}

prog_cases copy
done_testing
