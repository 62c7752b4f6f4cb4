#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# RACK-TLP (RFC 8985), played by the scripted peer (peer.py):
#  - a tail loss: the last segment of a flight is lost, all but the two
#    last acknowledged. The tail loss probe resends it about 2 * SRTT
#    after the ACK, not the RTO (4 s here); with net.xtcp.tlp=0 the RTO
#    does. Counted in TlpProbes and TlpRecoveries, not in Timeouts;
#  - RACK: the first segment of a flight is missing, two after it
#    SACKed (fewer than DupThresh). If it arrives within the reordering
#    window (a quarter of the RTT, 0.15 s) nothing is resent; if it never
#    does, RACK's timer resends it once the window has passed, long
#    before the probe or the RTO; with net.xtcp.recovery=0 it waits for
#    the RTO. Counted in RackLosses and RackReoTimeouts.
# Each case checks the wire (what the peer saw, and when), the counters
# and the stream.
. "$(dirname "$0")/lib.sh"
require_module

peer_link
n "$A" sysctl -qw net.xtcp.rto_min_ms=4000

# peer_time DESC KEY LO HI [WHAT]: the peer's line KEY starts with a time
# in [LO, HI] s (and goes on with WHAT if given).
peer_time() {
	local v=${PEER[$2]-} t

	t=${v%% *}
	if [[ $t =~ ^[0-9.]+$ ]] &&
	   awk -v t="$t" -v lo="$3" -v hi="$4" 'BEGIN { exit !(t >= lo && t <= hi) }' &&
	   { [ -z "${5-}" ] || [ "${v#* }" = "$5" ]; }; then
		pass "$1 ($t s)"
	else
		fail "$1" "expected: $2 in [$3, $4] s ${5-}" "got: $2 $v" \
			"peer.py:" "${_peer_log[@]/#/  }"
	fi
}

# stats NAME...: the counters into C[NAME] (before) or D[NAME] (the change).
declare -A C D
stats_start() {
	local k

	for k in Timeouts TlpProbes TlpRecoveries RackLosses RackReoTimeouts; do
		C[$k]=$(xtcp_stat "$A" $k)
	done
}
stats_end() {
	local k

	for k in "${!C[@]}"; do
		D[$k]=$(($(xtcp_stat "$A" $k) - C[$k]))
	done
}

intact() {
	expect "the peer received the stream intact" "${SRV[stream2]}" \
		"${PEER[recv]-}"
	expect "both FINs were acknowledged" yes "${PEER[closed]-}"
}

# 1. Tail loss, with the probe.
_t_prefix="tail loss, probe on: "
stats_start
peer_play tlp_tail 7101 writes=1:1000 drain writes=1:10000 drain
stats_end
peer_time "the last segment went again after about 2 * SRTT (1.1 s)" \
	probe_after 0.6 2.5 last
expect "one probe, counted" 1 "${D[TlpProbes]}"
expect "it repaired the loss, counted" 1 "${D[TlpRecoveries]}"
expect "no RTO" 0 "${D[Timeouts]}"
intact
_t_prefix=

# 2. The same without it: the RTO.
_t_prefix="tail loss, probe off: "
n "$A" sysctl -qw net.xtcp.tlp=0
stats_start
peer_play tlp_tail 7102 writes=1:1000 drain writes=1:10000 drain
stats_end
peer_time "the RTO resent from SND.UNA, the ninth" probe_after 3.5 10 off=9000
expect "no probe" 0 "${D[TlpProbes]}"
expect_match "an RTO" "[1-9]" "${D[Timeouts]}"
intact
n "$A" sysctl -qw net.xtcp.tlp=1
_t_prefix=

# 3. Reordering within RACK's window: nothing resent.
_t_prefix="RACK, reordering: "
stats_start
peer_play rack_reorder 7103 writes=1:1000 drain writes=1:10000 drain
stats_end
expect_match "nothing resent within the window" "none|new( new)*" \
	"${PEER[resent]-}"
expect "the segment went once" 1 "${PEER[copies]-}"
expect "no RACK loss" 0 "${D[RackLosses]}"
expect "no RTO" 0 "${D[Timeouts]}"
intact
_t_prefix=

# 4. A real loss: RACK's timer resends it once the window has passed.
_t_prefix="RACK, loss: "
stats_start
peer_play rack_lost 7104 writes=1:1000 drain writes=1:10000 drain
stats_end
peer_time "resent after the reordering window, before the probe" \
	rack_after 0.08 0.5
expect "found lost by RACK's timer, counted" "1 1" \
	"${D[RackLosses]} ${D[RackReoTimeouts]}"
expect "no probe, no RTO" "0 0" "${D[TlpProbes]} ${D[Timeouts]}"
intact
_t_prefix=

# 5. The same with RACK off (the probe left on): the RTO.
_t_prefix="RACK off, loss: "
n "$A" sysctl -qw net.xtcp.recovery=0
stats_start
peer_play rack_lost 7105 writes=1:1000 drain writes=1:10000 drain
stats_end
peer_time "resent by the RTO" rack_after 3 10
expect "no RACK loss" 0 "${D[RackLosses]}"
expect_match "an RTO" "[1-9]" "${D[Timeouts]}"
intact
n "$A" sysctl -qw net.xtcp.recovery=1
_t_prefix=

# 6. The sysctls take 0 and 1 only.
for k in recovery tlp; do
	for v in 2 -1; do
		if n "$A" sysctl -qw net.xtcp.$k=$v 2>/dev/null; then
			fail "net.xtcp.$k=$v is refused"
		else
			expect "net.xtcp.$k=$v is refused, the value kept" 1 \
				"$(n "$A" sysctl -n net.xtcp.$k)"
		fi
	done
done

done_testing
