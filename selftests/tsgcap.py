#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a small capture of a known transfer, for selftests/tsg.sh.

10.0.0.1:40000 sends 10 segments of 1000 bytes to 10.0.0.2:5000, as its
own capture would show them. The third is lost on the way: the receiver
ACKs the first two, then answers each of the seven after the hole with a
duplicate ACK carrying one SACK block; the sender retransmits the third,
the receiver ACKs everything, and the sender's FIN is ACKed. So:
11 data segments, 1 retransmitted, 7 SACK blocks, final ACK 10002
(relative to the sender's ISN: SYN, 10000 bytes, FIN), and 12 segments
with ACK from the receiver (the SYN-ACK among them).

Usage: tsgcap.py FILE.pcap
"""
import socket
import struct
import sys

from craft import tcp_segment

A, B = '10.0.0.1', '10.0.0.2'
AP, BP = 40000, 5000
ISN_A, ISN_B = 4294966000, 7000   # A's wraps: relative numbers must not
MSS = 1000


def ipv4(src, dst, seg):
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(seg), 0, 0x4000,
                      64, 6, 0, socket.inet_aton(src), socket.inet_aton(dst))
    s = sum(struct.unpack('!10H', hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return hdr[:10] + struct.pack('!H', ~s & 0xffff) + hdr[12:] + seg


def main():
    recs = []

    def seg(t, out, seq, ack, flags, data=0, opts=b'', win=512):
        src, dst, sp, dp = (A, B, AP, BP) if out else (B, A, BP, AP)
        recs.append((t, ipv4(src, dst, tcp_segment(
            src, dst, sp, dp, seq % 2**32, ack % 2**32, flags, win, opts,
            b'x' * data))))

    def sack(left, right):
        return b'\1\1\5\12' + struct.pack('!II', (ISN_A + left) % 2**32,
                                          (ISN_A + right) % 2**32)

    a, b = ISN_A + 1, ISN_B + 1
    # SYN: MSS, SACK permitted, window scale 7; SYN-ACK: window scale 2.
    seg(0.000, True, ISN_A, 0, 'S', opts=b'\2\4\3\xe8\4\2\3\3\7')
    seg(0.010, False, ISN_B, a, 'SA', opts=b'\2\4\3\xe8\4\2\3\3\2')
    seg(0.010, True, a, b, 'A')
    for i in range(10):
        seg(0.020 + i * 0.001, True, a + i * MSS, b, 'PA', MSS)
    seg(0.031, False, b, a + MSS, 'A')
    seg(0.032, False, b, a + 2 * MSS, 'A')
    for i in range(3, 10):      # segments 4..10 arrive after the hole
        seg(0.030 + i * 0.001, False, b, a + 2 * MSS, 'A',
            opts=sack(1 + 3 * MSS, 1 + (i + 1) * MSS))
    seg(0.050, True, a + 2 * MSS, b, 'PA', MSS)      # the retransmission
    seg(0.060, False, b, a + 10 * MSS, 'A')
    seg(0.070, True, a + 10 * MSS, b, 'FA')
    seg(0.080, False, b, a + 10 * MSS + 1, 'FA', win=1000)

    with open(sys.argv[1], 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
        for t, pkt in recs:
            sec = 1800000000 + int(t)
            usec = int(round((t % 1) * 1e6))
            f.write(struct.pack('<IIII', sec, usec, len(pkt), len(pkt)) + pkt)


if __name__ == '__main__':
    main()
