#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""linkset.py: set a device's IPv4 GSO and GRO size limits (BIG TCP).

iproute2 before 6.3 has no gso_ipv4_max_size / gro_ipv4_max_size: this
sends the RTM_NEWLINK request itself (IFLA_GSO_IPV4_MAX_SIZE = 63,
IFLA_GRO_IPV4_MAX_SIZE = 64; IFLA_GSO_MAX_SIZE = 41, IFLA_GRO_MAX_SIZE =
58, which IPv4 BIG TCP also needs) in the current namespace.

Usage: linkset.py DEV SIZE     prints "ok" or the kernel's error
"""
import os
import socket
import struct
import sys

RTM_NEWLINK = 16
NLM_F_REQUEST, NLM_F_ACK = 1, 4
ATTRS = (41, 58, 63, 64)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    dev, size = sys.argv[1], int(sys.argv[2])
    body = struct.pack('BxHiII', socket.AF_UNSPEC, 0,
                       socket.if_nametoindex(dev), 0, 0)
    for t in ATTRS:
        body += struct.pack('HHI', 8, t, size)
    msg = struct.pack('IHHII', 16 + len(body), RTM_NEWLINK,
                      NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.send(msg)
    reply = s.recv(4096)
    err = struct.unpack('i', reply[16:20])[0]
    print('ok' if err == 0 else os.strerror(-err))
    sys.exit(err != 0)


if __name__ == '__main__':
    main()
