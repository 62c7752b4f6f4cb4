#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# calls.sh over IPv6 (XTCP_FAMILY=6: see lib.sh), the cases where the
# connection itself comes and goes (the data calls are the same code for
# both families; CI's time is short).
XTCP_FAMILY=6 \
	CALLS_CASES=${CALLS_CASES:-"send recv peek waitall-eof shutwr-sigpipe
	reset-sigpipe inq outq ep-rdhup ep-rst ep-hup ep-connect ep-refused
	ep-listen"} exec bash "$(dirname "$0")/calls.sh"
