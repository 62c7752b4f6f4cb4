#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stream.sh over IPv6 (XTCP_FAMILY=6: see lib.sh): the clean link, loss
# and corruption, 2 MiB each way (the IPv4 run carries 64 MiB over the
# clean link and has more cases; CI's time is short).
XTCP_FAMILY=6 XTCP_STREAM_BYTES=${XTCP_STREAM_BYTES:-2M} \
	XTCP_STREAM_CASES=${XTCP_STREAM_CASES:-"clean loss1 corrupt5"} \
	exec bash "$(dirname "$0")/stream.sh"
