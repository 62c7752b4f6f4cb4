#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""icmp_err.py: answer one TCP segment seen on a device with an ICMP error.

Waits (up to 10 s) for a TCP segment from SRC:SPORT (SPORT 0: any port)
to DST:DPORT, carrying
data if --data, on DEV (an AF_PACKET socket, run in the namespace that
sees it), then sends an ICMP error to SRC that quotes that segment's IP
header and first 8 bytes, as a router would, with the quoted sequence
number moved by --seq-offset (to make it out of window). The error comes
from the sending namespace's own address towards SRC (a raw ICMP socket:
the kernel builds the IP header). Prints "listening" once it listens,
then "sent TYPE/CODE seq=N" or "no segment".

Usage: icmp_err.py DEV SRC SPORT DST DPORT [--type T] [--code C]
                   [--mtu M] [--seq-offset N[,N...]] [--data]
"""
import argparse
import socket
import struct
import time

from craft import csum

ETH_P_IP = 0x0800


def wait_segment(dev, src, sport, dst, dport, data):
    """The IP datagram of the first matching segment, or None."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_IP))
    s.bind((dev, ETH_P_IP))
    s.settimeout(0.5)
    print('listening', flush=True)
    want = (socket.inet_aton(src), socket.inet_aton(dst), sport, dport)
    any_sport = sport == 0
    end = time.monotonic() + 10
    while time.monotonic() < end:
        try:
            pkt = s.recv(65535)
        except socket.timeout:
            continue
        if len(pkt) < 40 or pkt[9] != socket.IPPROTO_TCP:
            continue
        ihl = (pkt[0] & 15) * 4
        sp, dp = struct.unpack('!HH', pkt[ihl:ihl + 4])
        if (pkt[12:16], pkt[16:20], 0 if any_sport else sp, dp) != want:
            continue
        total = struct.unpack('!H', pkt[2:4])[0]
        doff = (pkt[ihl + 12] >> 4) * 4
        if data and total - ihl - doff <= 0:
            continue
        return pkt
    return None


def icmp_error(quoted, typ, code, mtu, seq_offset):
    """The ICMP message quoting QUOTED's header and 8 bytes of TCP."""
    ihl = (quoted[0] & 15) * 4
    tcp8 = bytearray(quoted[ihl:ihl + 8])
    seq = (struct.unpack('!I', tcp8[4:8])[0] + seq_offset) & 0xffffffff
    tcp8[4:8] = struct.pack('!I', seq)
    rest = struct.pack('!HH', 0, mtu) if mtu else b'\0\0\0\0'
    body = rest + bytes(quoted[:ihl]) + bytes(tcp8)
    hdr = struct.pack('!BBH', typ, code, 0)
    c = csum(hdr + body)
    return struct.pack('!BBH', typ, code, c) + body, seq


def main():
    p = argparse.ArgumentParser()
    p.add_argument('dev')
    p.add_argument('src')
    p.add_argument('sport', type=int)
    p.add_argument('dst')
    p.add_argument('dport', type=int)
    p.add_argument('--type', type=int, default=3)
    p.add_argument('--code', type=int, default=3)
    p.add_argument('--mtu', type=int, default=0)
    p.add_argument('--seq-offset', default='0',
                   help='N[,N...]: one error per offset, in order')
    p.add_argument('--data', action='store_true')
    a = p.parse_args()

    quoted = wait_segment(a.dev, a.src, a.sport, a.dst, a.dport, a.data)
    if quoted is None:
        print('no segment')
        return 1
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    for off in a.seq_offset.split(','):
        msg, seq = icmp_error(quoted, a.type, a.code, a.mtu, int(off, 0))
        s.sendto(msg, (a.src, 0))
        print(f'sent {a.type}/{a.code} seq={seq}')
        time.sleep(0.1)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
