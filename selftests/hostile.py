#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""hostile.py: the peer or the off-path attacker of the hardening tests.

  hostile.py mss DEV XTCP_MAC ADDR XTCP_ADDR PORT MSS [ts]
      A scripted peer (peer.py's, through a packet socket) that connects
      to a listener at XTCP_ADDR:PORT with an MSS option of MSS, and
      timestamps if "ts" is given, then acknowledges what comes. Prints
      "sizes N N N": the payload of the first three data segments ("none"
      for those that did not come within 5 s), then ends the connection
      with an RST.

  hostile.py burst SRC SPORT DST DPORT N ROUNDS [GAP]
      From a namespace that holds SRC, whose TCP has a connection
      SRC:SPORT - DST:DPORT (the attacker spoofs its segments). Learns
      RCV.NXT of DST from the answer to a pure ACK with made-up numbers,
      then, ROUNDS times, GAP s apart (1.2 by default), sends N RSTs inside
      DST's window but not at RCV.NXT, which RFC 5961 answers with
      challenge ACKs, and counts them. Prints "learned seq=S ack=A" and
      "counts C1 C2 ...". SRC and DST may be IPv6 addresses.

  hostile.py urg DEV XTCP_MAC ADDR XTCP_ADDR PORT KIND
      A scripted peer (peer.py's) that connects to a listener at
      XTCP_ADDR:PORT and sends bytes i % 251 (i = 0, 1, ...) with odd
      urgent pointers (selftests/urgent.sh, xurg hostile reads them).
      KIND "valid": a pointer of 0, a retransmission with an old one, one
      on a pure ACK, one in an out-of-order segment, one moving back
      (in the segment that fills the hole), one at byte 4299, then a FIN.
      KIND "far": a pointer 64K ahead, data, and a FIN that carries a
      pointer behind it. Prints "sent bytes=N", then waits for xtcp's FIN
      and resets the connection.
"""
import random
import select
import socket
import struct
import sys
import time

from craft import tcp_segment
import peer

TS_KIND = 8


class MssPeer(peer.Peer):
    """peer.py's peer with a chosen MSS option and, optionally,
    timestamps on every segment it sends."""

    def __init__(self, dev, mac, addr, xtcp_addr, port, mss, ts):
        super().__init__(dev, mac, addr, xtcp_addr, port)
        self.mss, self.ts, self.ts_recent = mss, ts, 0

    def ts_opt(self):
        tsval = int(time.monotonic() * 1000) & 0xffffffff
        return bytes([1, 1, TS_KIND, 10]) + struct.pack('!II', tsval,
                                                        self.ts_recent)

    def send(self, flags, data=b'', opts=b''):
        if self.ts:
            opts = self.ts_opt() + opts
        super().send(flags, data, opts)

    def recv(self, timeout):
        s = super().recv(timeout)
        o = s.opts if s else b''
        i = 0
        while i + 1 < len(o):
            if o[i] in (0, 1):
                i += 1
                continue
            if o[i] == TS_KIND and o[i + 1] == 10 and i + 10 <= len(o):
                self.ts_recent = struct.unpack('!I', o[i + 2:i + 6])[0]
            i += max(o[i + 1], 2)
        return s

    def connect(self):
        opts = struct.pack('!BBH', 2, 4, self.mss)
        self.send('S', opts=opts)
        s = self.wait_for(lambda s: s.bits & peer.SYN, 'SYN-ACK', 5.0)
        self.irs = s.seq
        self.send('A')


def mss(args):
    dev, mac, addr, xaddr, port, m = args[:6]
    p = MssPeer(dev, mac, addr, xaddr, int(port), int(m), 'ts' in args[6:])
    p.connect()
    sizes = []
    end = time.monotonic() + 5.0
    while len(sizes) < 3:
        s = p.recv(end - time.monotonic())
        if s is None:
            break
        if s.data:
            sizes.append(str(len(s.data)))
            p.held.append(s)
            p.accept(s)
            p.ack()
    print('sizes', ' '.join(sizes + ['none'] * (3 - len(sizes))))
    p.send('R')


URG_STEPS = {
    # (offset, bytes, urgent pointer or None, flags); a pause after each
    'valid': [(0, 1000, None, 'A'),
              (1000, 1000, 0, 'A'),       # the byte at 1000
              (1000, 1000, 1, 'A'),       # retransmitted: old pointer
              (2000, 0, 10, 'A'),         # no data: 2009, not here yet
              (3000, 1000, 600, 'A'),     # out of order: 3599
              (2000, 1000, 500, 'A'),     # fills the hole; 2499 is behind
              (4000, 1000, 300, 'A'),     # 4299: the last one
              (5000, 0, None, 'FA')],
    'far': [(0, 1000, 0xFFFF, 'A'),       # 65534: 64K ahead
            (1000, 1000, None, 'A'),
            (2000, 0, 1, 'FA')],          # on the FIN, behind 65534
}


def urg(args):
    dev, mac, addr, xaddr, port, kind = args[:6]
    p = peer.Peer(dev, mac, addr, xaddr, int(port))
    p.connect()
    time.sleep(0.5)     # accepted, with its owner set, before the first
    base = p.snd_nxt
    for off, n, ptr, flags in URG_STEPS[kind]:
        p.snd_nxt = (base + off) % peer.MOD
        data = bytes((off + i) % 251 for i in range(n))
        if ptr is None:
            p.send(flags, data)
        else:
            p.send(flags + 'U', data, urg=ptr)
        time.sleep(0.3 if off == 0 else 0.1)
    print('sent bytes=%d' % max(off + n for off, n, _, _ in URG_STEPS[kind]))
    p.wait_for(lambda s: s.bits & peer.FIN, "xtcp's FIN", 15.0)
    p.send('R')


def rst_replies(rx, src, sport, dst, dport, wait):
    """ACKs from DST:DPORT to SRC:SPORT within WAIT s: (seq, ack) each."""
    got = []
    end = time.monotonic() + wait
    while True:
        left = end - time.monotonic()
        if left <= 0 or not select.select([rx], [], [], left)[0]:
            return got
        pkt, frm = rx.recvfrom(65535)
        if rx.family == socket.AF_INET6:
            # An IPv6 raw socket hands over the payload alone.
            ihl, frm = 0, frm[0].split('%')[0]
        else:
            ihl, frm = (pkt[0] & 0xf) * 4, socket.inet_ntoa(pkt[12:16])
        if socket.inet_pton(rx.family, frm) != \
                socket.inet_pton(rx.family, dst):
            continue
        sp, dp, seq, ack, _, fl = struct.unpack('!HHIIBB', pkt[ihl:ihl + 14])
        if (sp, dp) == (dport, sport) and fl & 0x10 and not fl & 0x07:
            got.append((seq, ack))


def burst(args):
    src, sport, dst, dport, n, rounds = args[:6]
    sport, dport, n, rounds = int(sport), int(dport), int(n), int(rounds)
    gap = float(args[6]) if len(args) > 6 else 1.2
    fam = socket.AF_INET6 if ':' in dst else socket.AF_INET
    rx = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_TCP)
    tx = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_TCP)
    got = []
    for _ in range(3):
        seg = tcp_segment(src, dst, sport, dport, random.getrandbits(32),
                          random.getrandbits(32), 'A')
        tx.sendto(seg, (dst, 0))
        got = rst_replies(rx, src, sport, dst, dport, 1.0)
        if got:
            break
    if not got:
        sys.exit('hostile: no answer to learn the numbers from')
    snd_nxt, rcv_nxt = got[0]
    print('learned seq=%d ack=%d' % (snd_nxt, rcv_nxt))
    time.sleep(gap)
    # Built beforehand: the burst must fall within one second of the
    # receiver's clock, and building takes longer than sending here.
    segs = [tcp_segment(src, dst, sport, dport, (rcv_nxt + 1000 + i) % (1 << 32),
                        0, 'R', win=0) for i in range(n)]
    counts = []
    for _ in range(rounds):
        start = time.monotonic()
        for seg in segs:
            tx.sendto(seg, (dst, 0))
        counts.append(len(rst_replies(rx, src, sport, dst, dport, 0.4)))
        time.sleep(max(gap - (time.monotonic() - start), 0))
    print('counts', ' '.join(map(str, counts)))


def main():
    sys.stdout.reconfigure(line_buffering=True)
    if len(sys.argv) >= 8 and sys.argv[1] == 'mss':
        mss(sys.argv[2:])
    elif len(sys.argv) >= 8 and sys.argv[1] == 'burst':
        burst(sys.argv[2:])
    elif len(sys.argv) >= 8 and sys.argv[1] == 'urg':
        urg(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
