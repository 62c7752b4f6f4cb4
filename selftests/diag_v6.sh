#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# diag.sh over IPv6 (XTCP_FAMILY=6: see lib.sh): the same sockets listed
# with their 128-bit addresses against /proc/net/xtcp6, and the families
# (-4, -6, an IPv6 socket's IPv4 connection v4-mapped).
XTCP_FAMILY=6 exec bash "$(dirname "$0")/diag.sh"
