#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stream.sh over IPv6 (XTCP_FAMILY=6: see lib.sh): the clean link and the
# cases whose recovery differs most, 4 MiB each way (the IPv4 run carries
# 64 MiB over the clean link; CI's time is short).
XTCP_FAMILY=6 XTCP_STREAM_BYTES=${XTCP_STREAM_BYTES:-4M} \
	XTCP_STREAM_CASES=${XTCP_STREAM_CASES:-"clean loss1 reorder corrupt5"} \
	exec bash "$(dirname "$0")/stream.sh"
