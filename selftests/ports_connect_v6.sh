#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ports_connect.sh over IPv6 (XTCP_FAMILY=6: see lib.sh).
XTCP_FAMILY=6 exec bash "$(dirname "$0")/ports_connect.sh"
