#!/bin/bash
# recv(MSG_PEEK | MSG_WAITALL) with less queued than asked for (issue 9,
# item 15): the reader must sleep until more comes, and SO_RCVTIMEO must
# end the wait, returning what was peeked as Linux TCP does; it must not
# spin in the kernel. Each family reads from a server of its own family
# that sends 10 bytes and then nothing for 5 s.
. "$(dirname "$0")/lib.sh"
require_module

XLOCAL=$XTCP_ROOT/selftests/bin/xlocal
ns_new A a
port=6100
declare -A R
for fam in inet xtcp; do
	port=$((port + 1))
	"$XCONN" --netns "$A" --family $fam server 127.0.0.1:$port send=10 \
		sleep=5 >/dev/null &
	nap 0.5
	# Before the fix the call never returned: bound it.
	R[$fam]=$(timeout 8 "$XLOCAL" --netns "$A" --family $fam peek \
		127.0.0.1:$port 1000)
	echo "# $fam: recv(100, MSG_PEEK|MSG_WAITALL), SO_RCVTIMEO 1 s, 10 bytes queued: ${R[$fam]:-no return within 8 s}"
done
wait

# verdict FAM: REPLY is "RESULT in-time cheap" or what was wrong.
verdict() {
	local res ms cpu

	read -r _ res ms cpu <<<"${R[$1]}"
	ms=${ms#ms=}
	cpu=${cpu#cpu_ms=}
	if [ -z "$res" ]; then
		REPLY="no return"
		return
	fi
	REPLY=$res
	[ "$ms" -ge 900 ] && [ "$ms" -le 2500 ] && REPLY+=" in-time" ||
		REPLY+=" took ${ms}ms"
	# A sleeping reader costs next to nothing; a spinning one 1 s.
	[ "$cpu" -le 300 ] && REPLY+=" cheap" || REPLY+=" cpu ${cpu}ms"
}
expect_fn "Linux TCP returns the 10 peeked bytes after SO_RCVTIMEO" \
	"10 in-time cheap" verdict inet
expect_fn "xtcp does the same, sleeping, not spinning" \
	"10 in-time cheap" verdict xtcp

# The rest arriving during the wait ends it at once, with all 100 bytes.
for fam in inet xtcp; do
	port=$((port + 1))
	"$XCONN" --netns "$A" --family $fam server 127.0.0.1:$port send=10 \
		sleep=1 send=90 sleep=3 >/dev/null &
	nap 0.5
	R[$fam]=$(timeout 8 "$XLOCAL" --netns "$A" --family $fam peek \
		127.0.0.1:$port 5000)
	echo "# $fam: the same, SO_RCVTIMEO 5 s, 90 more bytes 1 s later: ${R[$fam]:-no return within 8 s}"
	read -r _ res ms _ <<<"${R[$fam]}"
	ms=${ms#ms=}
	[ -n "$res" ] && [ "$ms" -lt 2500 ] && res+=" before the timeout"
	expect "$fam: more data wakes the peeking reader" \
		"100 before the timeout" "$res"
done
wait

done_testing
