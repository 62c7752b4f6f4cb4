#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""frag6.py: send a TCP segment in IPv6 fragments, as a host whose path
takes smaller datagrams than its segments would fragment them.

IPv6 routers never fragment and a TCP sender sizes its segments to the
path, so no stack at hand makes such a segment: this one speaks TCP
itself. It connects from SRC to DST:PORT (MSS 1440, no other options),
then sends SIZE bytes as one segment, split into fragments of at most
FRAG bytes of payload each (RFC 8200 4.5: a fragment header, offsets in
8-byte units), then a FIN, and waits for the acknowledgment of both. It
answers the peer's FIN and resets the connection at the end.

SRC must be the address of the sending namespace (so that the peer's
answers come back on DEV), whose own TCP must not see them: drop TCP
from DST:PORT in that namespace's input (a packet socket sees them
before the firewall does).

With "dstopt", every datagram carries an (empty) Destination Options
header before the rest, and FRAG may exceed SIZE: the segment then goes
whole, with no fragment header.

Prints "sent BYTES in N fragments sha256=HEX", then "acked" when the
peer acknowledged the data and the FIN, or "not acked: ack=N of M".

Usage: frag6.py DEV SRC DST PORT SIZE FRAG [dstopt]
"""
import hashlib
import os
import random
import socket
import struct
import sys
import time

from craft import csum

ETH_P_IPV6 = 0x86DD
NEXTHDR_FRAGMENT = 44
NEXTHDR_DEST = 60
SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10


def tcp6(src, dst, sport, dport, seq, ack, flags, opts=b'', data=b''):
    """A TCP segment with its checksum over the IPv6 pseudo-header."""
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq, ack,
                      (20 + len(opts)) // 4 << 4, flags, 65535, 0, 0) + opts
    seg = hdr + data
    pseudo = src + dst + struct.pack('!IxxxB', len(seg), 6)
    return seg[:16] + struct.pack('!H', csum(pseudo + seg)) + seg[18:]


DSTOPT = False


def ip6(src, dst, nexthdr, payload):
    if DSTOPT:
        # Next header, length 0 (8 bytes), PadN of 4 bytes.
        payload = struct.pack('!BBBB4x', nexthdr, 0, 1, 4) + payload
        nexthdr = NEXTHDR_DEST
    return struct.pack('!IHBB', 6 << 28, len(payload), nexthdr, 64) + \
        src + dst + payload


def fragments(src, dst, seg, frag):
    """SEG (TCP) as IPv6 fragments of at most FRAG payload bytes."""
    if len(seg) <= frag:
        return [ip6(src, dst, 6, seg)]
    ident = random.getrandbits(32)
    frag -= frag % 8
    out = []
    for off in range(0, len(seg), frag):
        more = off + frag < len(seg)
        fh = struct.pack('!BxHI', 6, off | more, ident)
        out.append(ip6(src, dst, NEXTHDR_FRAGMENT, fh + seg[off:off + frag]))
    return out


def main():
    global DSTOPT
    dev, src_s, dst_s, port, size, frag = sys.argv[1:7]
    DSTOPT = sys.argv[7:] == ['dstopt']
    port, size, frag = int(port), int(size), int(frag)
    src = socket.inet_pton(socket.AF_INET6, src_s)
    dst = socket.inet_pton(socket.AF_INET6, dst_s)
    sport = random.randrange(20000, 60000)
    isn = random.getrandbits(32)

    rx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                       socket.htons(ETH_P_IPV6))
    rx.bind((dev, ETH_P_IPV6))
    tx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)

    def send(seq, ack, flags, opts=b'', data=b''):
        seg = tcp6(src, dst, sport, port, seq, ack, flags, opts, data)
        tx.sendto(ip6(src, dst, 6, seg), (dst_s, 0))

    def segments(timeout):
        """The peer's segments to us: (seq, ack, flags, payload length)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            rx.settimeout(max(0.01, end - time.monotonic()))
            try:
                p = rx.recv(65535)
            except socket.timeout:
                return
            if len(p) < 60 or p[6] != 6 or p[8:24] != dst or \
                    p[24:40] != src:
                continue
            sp, dp, seq, ack, doff, flags = struct.unpack('!HHIIBB',
                                                          p[40:54])
            if (sp, dp) != (port, sport):
                continue
            plen = struct.unpack('!H', p[4:6])[0] - (doff >> 4) * 4
            yield seq, ack, flags, plen

    send(isn, 0, SYN, struct.pack('!BBH', 2, 4, 1440))
    irs = None
    for seq, ack, flags, _ in segments(5):
        if flags & (SYN | ACK) == SYN | ACK and ack == (isn + 1) % 2**32:
            irs = seq
            break
    if irs is None:
        print('no SYN-ACK')
        return 1
    rcv = (irs + 1) % 2**32
    send(isn + 1, rcv, ACK)

    data = os.urandom(size)
    seg = tcp6(src, dst, sport, port, isn + 1, rcv, ACK | PSH, data=data)
    frags = fragments(src, dst, seg, frag)
    for f in frags:
        tx.sendto(f, (dst_s, 0))
    print(f'sent {size} in {len(frags)} fragments '
          f'sha256={hashlib.sha256(data).hexdigest()}', flush=True)
    fin_seq = (isn + 1 + size) % 2**32
    send(fin_seq, rcv, FIN | ACK)

    want = (fin_seq + 1) % 2**32
    high = None
    for seq, ack, flags, plen in segments(5):
        if flags & ACK:
            high = ack
        if flags & FIN:
            rcv = (seq + plen + 1) % 2**32
            send(want, rcv, ACK)
        if high == want and flags & FIN:
            break
    if high == want:
        print('acked')
    else:
        print(f'not acked: ack={high} of {want}')
    send(want, rcv, RST | ACK)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
