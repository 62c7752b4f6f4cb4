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

With IPv6 addresses the segment is an IPv6 one and the error ICMPv6
(RFC 4443: port unreachable unless --type/--code say otherwise; --mtu is
the 32-bit field after the checksum, a packet too big's MTU), from a raw
ICMPv6 socket, the kernel filling in the checksum; with --bad-csum FROM
the datagram is built whole, from address FROM, with a wrong checksum.

Usage: icmp_err.py DEV SRC SPORT DST DPORT [--type T] [--code C]
                   [--mtu M] [--seq-offset N[,N...]] [--data]
                   [--bad-csum FROM]
"""
import argparse
import socket
import struct
import time

from craft import csum

ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD


def addr(a):
    """The bytes of an IPv4 or IPv6 address."""
    return socket.inet_pton(socket.AF_INET6 if ':' in a else socket.AF_INET,
                            a)


def tcp_of(pkt):
    """(source, destination, TCP offset, payload bytes) of a datagram with
    TCP right after its IP header, or None."""
    if pkt[0] >> 4 == 6:
        if len(pkt) < 60 or pkt[6] != socket.IPPROTO_TCP:
            return None
        total = 40 + struct.unpack('!H', pkt[4:6])[0]
        return pkt[8:24], pkt[24:40], 40, total - 40 - (pkt[52] >> 4) * 4
    if len(pkt) < 40 or pkt[9] != socket.IPPROTO_TCP:
        return None
    ihl = (pkt[0] & 15) * 4
    total = struct.unpack('!H', pkt[2:4])[0]
    return pkt[12:16], pkt[16:20], ihl, total - ihl - (pkt[ihl + 12] >> 4) * 4


def wait_segment(dev, src, sport, dst, dport, data):
    """The IP datagram of the first matching segment, or None."""
    proto = ETH_P_IPV6 if ':' in src else ETH_P_IP
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(proto))
    s.bind((dev, proto))
    s.settimeout(0.5)
    print('listening', flush=True)
    want = (addr(src), addr(dst), sport, dport)
    any_sport = sport == 0
    end = time.monotonic() + 10
    while time.monotonic() < end:
        try:
            pkt = s.recv(65535)
        except socket.timeout:
            continue
        t = tcp_of(pkt)
        if t is None:
            continue
        saddr, daddr, ihl, payload = t
        sp, dp = struct.unpack('!HH', pkt[ihl:ihl + 4])
        if (saddr, daddr, 0 if any_sport else sp, dp) != want:
            continue
        if data and payload <= 0:
            continue
        return pkt
    return None


def icmp_error(quoted, typ, code, mtu, seq_offset):
    """The ICMP message quoting QUOTED's header and 8 bytes of TCP (no
    checksum for ICMPv6: the kernel or icmp6_datagram() fills it in)."""
    ihl = 40 if quoted[0] >> 4 == 6 else (quoted[0] & 15) * 4
    tcp8 = bytearray(quoted[ihl:ihl + 8])
    seq = (struct.unpack('!I', tcp8[4:8])[0] + seq_offset) & 0xffffffff
    tcp8[4:8] = struct.pack('!I', seq)
    if ihl == 40:
        body = struct.pack('!I', mtu) + bytes(quoted[:ihl]) + bytes(tcp8)
        return struct.pack('!BBH', typ, code, 0) + body, seq
    rest = struct.pack('!HH', 0, mtu) if mtu else b'\0\0\0\0'
    body = rest + bytes(quoted[:ihl]) + bytes(tcp8)
    hdr = struct.pack('!BBH', typ, code, 0)
    c = csum(hdr + body)
    return struct.pack('!BBH', typ, code, c) + body, seq


def icmp6_datagram(src, dst, msg):
    """An IPv6 datagram carrying ICMPv6 MSG with a wrong checksum."""
    pseudo = addr(src) + addr(dst) + struct.pack('!IxxxB', len(msg), 58)
    c = csum(pseudo + msg) ^ 0x5555
    msg = msg[:2] + struct.pack('!H', c) + msg[4:]
    return struct.pack('!IHBB', 6 << 28, len(msg), 58, 64) + addr(src) + \
        addr(dst) + msg


def main():
    p = argparse.ArgumentParser()
    p.add_argument('dev')
    p.add_argument('src')
    p.add_argument('sport', type=int)
    p.add_argument('dst')
    p.add_argument('dport', type=int)
    p.add_argument('--type', type=int)
    p.add_argument('--code', type=int)
    p.add_argument('--mtu', type=int, default=0)
    p.add_argument('--seq-offset', default='0',
                   help='N[,N...]: one error per offset, in order')
    p.add_argument('--data', action='store_true')
    p.add_argument('--bad-csum', metavar='FROM')
    a = p.parse_args()
    v6 = ':' in a.src
    if a.type is None:
        a.type = 1 if v6 else 3
    if a.code is None:
        a.code = 4 if v6 else 3

    quoted = wait_segment(a.dev, a.src, a.sport, a.dst, a.dport, a.data)
    if quoted is None:
        print('no segment')
        return 1
    if a.bad_csum:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                          socket.IPPROTO_RAW)
    elif v6:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                          socket.IPPROTO_ICMPV6)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                          socket.IPPROTO_ICMP)
    for off in a.seq_offset.split(','):
        msg, seq = icmp_error(quoted, a.type, a.code, a.mtu, int(off, 0))
        if a.bad_csum:
            msg = icmp6_datagram(a.bad_csum, a.src, msg)
        s.sendto(msg, (a.src, 0))
        print(f'sent {a.type}/{a.code} seq={seq}')
        time.sleep(0.1)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
