#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# prog_socat.sh over IPv6 (XTCP_FAMILY=6: see lib.sh): socat's TCP6
# sockets, AF_INET6, moved to xtcp by the preload library, to and from
# Linux TCP's and xtcp's, over a clean and an impaired link.
XTCP_FAMILY=6 exec bash "$(dirname "$0")/prog_socat.sh"
