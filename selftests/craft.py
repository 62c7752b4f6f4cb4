#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""craft.py: send one hand-made TCP segment, print the reply.

Builds an IPv4 TCP segment byte by byte, so that tests can send what no
TCP stack would: bad checksums, data offsets under 5 or past the end,
option lengths of 0, 1 or past the header, illegal flag sets. Sends it
through a raw socket and, with --reply, prints the flags of the first TCP
segment that comes back from the destination to our port within a second
("reply SA seq=.. ack=..", or "no reply"). peer.py builds its segments
with tcp_segment() too. SRC and DST may be IPv6 addresses: then the
segment goes out in an IPv6 header the kernel makes.

--ipsrc ADDR sends the segment in an IPv4 header of our own (IP_HDRINCL)
from ADDR, which need not be ours (a broadcast or multicast source), and
SO_BROADCAST lets DST be a broadcast address; SRC stays the address the
TCP checksum's pseudo-header names (give the same). --ipopts HEX puts
IP options in that header (padded with EOL to 32 bits).

Usage: craft.py SRC DST DPORT [--sport P] [--flags S] [--seq N] [--ack N]
                [--doff N] [--opts HEX] [--badsum] [--data N] [--win N]
                [--ipsrc ADDR [--ipopts HEX]] [--reply]
"""
import argparse
import select
import socket
import struct
import time

FLAGS = {'F': 0x01, 'S': 0x02, 'R': 0x04, 'P': 0x08, 'A': 0x10, 'U': 0x20,
         'E': 0x40, 'W': 0x80}


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tcp_segment(src, dst, sport, dport, seq, ack, flags, win=65535,
                opts=b'', data=b'', doff=None, badsum=False, urg=0):
    """The bytes of a TCP segment from SRC to DST (dotted quads, or IPv6
    addresses).

    FLAGS are letters of FLAGS ('SA'); OPTS are padded to 32 bits with
    zeros; DOFF overrides the data offset; the checksum covers the IPv4
    or IPv6 pseudo-header, and BADSUM spoils it. URG is the urgent pointer
    field (the flag is 'U').
    """
    doff = doff if doff is not None else (20 + len(opts) + 3) // 4
    opts += b'\0' * ((-len(opts)) % 4)
    bits = sum(FLAGS[c] for c in flags)
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq, ack,
                      doff << 4, bits, win, 0, urg) + opts
    seg = hdr + data
    if ':' in src:
        pseudo = struct.pack('!16s16sI3xB',
                             socket.inet_pton(socket.AF_INET6, src),
                             socket.inet_pton(socket.AF_INET6, dst),
                             len(seg), 6)
    else:
        pseudo = struct.pack('!4s4sBBH', socket.inet_aton(src),
                             socket.inet_aton(dst), 0, 6, len(seg))
    c = csum(pseudo + seg)
    if badsum:
        c ^= 0x5555
    return seg[:16] + struct.pack('!H', c) + seg[18:]


def segment(a):
    return tcp_segment(a.src, a.dst, a.sport, a.dport, a.seq, a.ack,
                       a.flags, a.win, bytes.fromhex(a.opts), b'x' * a.data,
                       a.doff, a.badsum)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('src')
    p.add_argument('dst')
    p.add_argument('dport', type=int)
    p.add_argument('--sport', type=int, default=40000)
    p.add_argument('--flags', default='S')
    p.add_argument('--seq', type=int, default=1000)
    p.add_argument('--ack', type=int, default=0)
    p.add_argument('--doff', type=int)
    p.add_argument('--opts', default='')
    p.add_argument('--badsum', action='store_true')
    p.add_argument('--data', type=int, default=0)
    p.add_argument('--win', type=int, default=65535)
    p.add_argument('--ipsrc')
    p.add_argument('--ipopts', default='')
    p.add_argument('--reply', action='store_true')
    a = p.parse_args()

    fam = socket.AF_INET6 if ':' in a.dst else socket.AF_INET
    rx = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_TCP)
    tx = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_TCP)
    pkt = segment(a)
    if a.ipsrc:
        tx.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
        tx.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        ipopts = bytes.fromhex(a.ipopts)
        ipopts += b'\0' * ((-len(ipopts)) % 4)
        # The kernel fills in the total length, the id and the checksum.
        pkt = struct.pack('!BBHHHBBH4s4s', 0x45 + len(ipopts) // 4, 0, 0, 0,
                          0, 64, 6, 0, socket.inet_aton(a.ipsrc),
                          socket.inet_aton(a.dst)) + ipopts + pkt
    tx.sendto(pkt, (a.dst, 0))
    if not a.reply:
        return
    end = time.time() + 1.0
    while time.time() < end:
        r, _, _ = select.select([rx], [], [], max(end - time.time(), 0))
        if not r:
            break
        pkt, frm = rx.recvfrom(65535)
        if fam == socket.AF_INET6:
            # An IPv6 raw socket hands over the payload alone.
            ihl = 0
            src = socket.inet_pton(fam, frm[0].split('%')[0])
        else:
            ihl = (pkt[0] & 0xf) * 4
            src = pkt[12:16]
        sport, dport, seq, ack, _, fl = struct.unpack('!HHIIBB', pkt[ihl:ihl + 14])
        if src != socket.inet_pton(fam, a.dst) or sport != a.dport or \
                dport != a.sport:
            continue
        names = ''.join(c for c in 'SAFRP' if fl & FLAGS[c])
        print(f'reply {names} seq={seq} ack={ack}')
        return
    print('no reply')


if __name__ == '__main__':
    main()
