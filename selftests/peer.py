#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""peer.py: play the remote end of one xtcp connection, segment by segment.

Some rules of xtcp's sender show only under one exact sequence of losses
and acknowledgments: Limited Transmit on the first two duplicate ACKs, a
fast retransmission lost in its turn, SACKs on the peer's data segments,
the sequence number of an ACK sent after an RTO. A real TCP at the other end acknowledges whatever arrives,
and netem loses at random, so neither makes that sequence happen. This
peer speaks TCP itself, through a packet socket on its veth end: it
connects to an xtcp listener, then a scenario decides for each segment
whether it is lost, SACKed or acknowledged, and when.

The peer's namespace must not hold the peer's address: its own TCP then
never sees xtcp's segments (it would reset the connection); the xtcp side
needs a static neighbour entry for the address. The SYN offers MSS 1000
and SACK, no timestamps or window scale: fewer numbers to get right;
the eifel_* scenarios offer timestamps too, and echo what they choose.

Usage: peer.py DEV XTCP_MAC ADDR XTCP_ADDR PORT SCENARIO
       SCENARIO: limited_transmit, lost_retransmit, sack_on_data,
                 ack_snd_max, push, shrink, tlp_tail, rack_reorder,
                 rack_lost, dsack_rcv, dsack_undo_each,
                 dsack_undo_repeat, dsack_undo_halves, tlp_dsack_probe,
                 tlp_dsack_other, eifel_true, eifel_forged or
                 ecn_prr

Prints a line "KEY VALUE..." per observation for selftests/recovery.sh.
Sequence numbers are offsets in xtcp's byte stream (0: its first byte).
A step prints what xtcp sent in answer, a label per segment ("none" if
nothing came):
  new   from the highest sequence sent so far or beyond: never sent before
  una   a retransmission of the oldest byte not yet acknowledged
  old   another retransmission
Lines that start with "#" trace each segment xtcp sent.
"""
import hashlib
import select
import socket
import struct
import sys
import time

from craft import csum, tcp_segment
import pcap

ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
SYN, FIN, PSH, ECE, CWR = 0x02, 0x01, 0x08, 0x40, 0x80
MOD = 1 << 32
PORT = 40000
ISS = 7000
WIN = 65535
# MSS 1000 (kind 2), NOP, NOP, SACK permitted (kind 4).
SYN_OPTS = bytes([2, 4, 1000 >> 8, 1000 & 0xff, 1, 1, 4, 2])
# xtcp answers an ACK at once, within milliseconds even in the test
# kernel: this long without a segment means it sent all the ACK allowed.
QUIET = 0.3
# The round trip the RACK-TLP scenarios make (SLOW below).
SLOW_RTT = 0.6


class Seg:
    """A segment from xtcp: OFF is its place in the stream."""

    def __init__(self, seq, ack, bits, opts, data, t):
        self.seq, self.ack, self.bits = seq, ack, bits
        self.opts, self.data, self.t = opts, data, t
        self.off = 0
        self.high = 0   # the peer's SND.MAX as seen before this segment

    @property
    def end(self):
        return self.off + len(self.data) + (self.bits & FIN)


class Peer:
    """The peer's end of the connection: what it sent, what it holds."""

    def __init__(self, dev, xtcp_mac, addr, xtcp_addr, xtcp_port):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_IP))
        self.sock.bind((dev, ETH_P_IP))
        self.eth = (bytes.fromhex(xtcp_mac.replace(':', '')) +
                    self.sock.getsockname()[4] + struct.pack('!H', ETH_P_IP))
        self.addr, self.xtcp_addr, self.xtcp_port = addr, xtcp_addr, xtcp_port
        self.t0 = time.monotonic()
        self.snd_nxt = ISS
        self.irs = None
        self.ranges = []    # what was accepted, [start, end), sorted, apart
        self.last = 0       # where the last segment accepted starts
        self.data = bytearray()
        self.fin = None     # where xtcp's FIN is, once accepted
        self.held = []      # arrived, not yet accepted or dropped
        self.high = 0       # one past the highest sequence xtcp sent
        self.seen = []      # every segment xtcp sent, with data or FIN
        self.win = WIN      # the window the peer offers
        self.rtt = 0.0      # how long the handshake's ACK is held
        self.ts = False     # offer timestamps (RFC 7323) and send them
        self.ecr = 0        # the TSecr sent: xtcp's latest TSval...
        self.pin = False    # ... unless the scenario pinned it
        self.ts_first = None    # the first TSval xtcp sent
        self.ecn = False    # the SYN asks for ECN (ECE and CWR)

    # ---- sending ---------------------------------------------------------

    def rcv_nxt(self):
        """Where the cumulative acknowledgment stands, FIN included."""
        nxt = self.ranges[0][1] if self.ranges and not self.ranges[0][0] else 0
        return nxt + (self.fin is not None and nxt == self.fin)

    def sack_opts(self):
        """NOP, NOP and a SACK option for the ranges above the cumulative
        ACK, the one holding the latest segment first (RFC 2018 4)."""
        blocks = [r for r in self.ranges if r[0] > 0]
        blocks.sort(key=lambda r: not r[0] <= self.last < r[1])
        if not blocks:
            return b''
        blocks = blocks[:3 if self.ts else 4]   # 40 bytes of options
        opt = bytes([1, 1, 5, 2 + 8 * len(blocks)])
        for start, end in blocks:
            opt += struct.pack('!II', self.stream_seq(start),
                               self.stream_seq(end))
        return opt

    def stream_seq(self, off):
        return (self.irs + 1 + off) % MOD

    def send(self, flags, data=b'', opts=b'', urg=0):
        ack = self.stream_seq(self.rcv_nxt()) if self.irs is not None else 0
        if self.ts:
            opts += bytes([1, 1, 8, 10]) + struct.pack(
                '!II', int((time.monotonic() - self.t0) * 1000) + 1,
                self.ecr)
        seg = tcp_segment(self.addr, self.xtcp_addr, PORT, self.xtcp_port,
                          self.snd_nxt, ack, flags, self.win, opts, data,
                          urg=urg)
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(seg), 0, 0x4000,
                         64, 6, 0, socket.inet_aton(self.addr),
                         socket.inet_aton(self.xtcp_addr))
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        self.sock.send(self.eth + ip + seg)
        self.snd_nxt += len(data) + ('S' in flags) + ('F' in flags)

    def ack(self):
        """A pure ACK of what was accepted, SACKing what lies above."""
        self.send('A', opts=self.sack_opts())

    # ---- receiving -------------------------------------------------------

    def recv(self, timeout):
        """The next segment of the connection within TIMEOUT s, or None."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            frame, where = self.sock.recvfrom(65535)
            got = where[2] != PACKET_OUTGOING and \
                pcap.ip_tcp(ETH_P_IP, frame[14:])
            if not got or got[:2] != (self.xtcp_addr, self.addr) or \
               len(got[3]) < 20:
                continue
            tcp = got[3]
            sport, dport, seq, ack, doff, bits = \
                struct.unpack('!HHIIBB', tcp[:14])
            if (sport, dport) != (self.xtcp_port, PORT):
                continue
            hlen = (doff >> 4) * 4
            s = Seg(seq, ack, bits, tcp[20:hlen], tcp[hlen:],
                    time.monotonic() - self.t0)
            s.tsval = tsval(s.opts)
            if self.ts_first is None:
                self.ts_first = s.tsval
            if s.tsval is not None and not self.pin:
                self.ecr = s.tsval
            if self.irs is not None:
                s.off = (seq - self.irs - 1) % MOD
                s.high = self.high
            if s.data or s.bits & FIN:
                self.high = max(self.high, s.end)
                self.seen.append(s)
            print('# t=%.3f %s off=%d len=%d ack=%d' % (
                s.t, pcap.flags(bits), s.off, len(s.data),
                (ack - ISS) % MOD))
            return s

    def wait_for(self, pred, what, timeout=10.0):
        """The first segment for which PRED holds; those with data or FIN
        before it are held. Exits if none comes within TIMEOUT s."""
        end = time.monotonic() + timeout
        while True:
            s = self.recv(end - time.monotonic())
            if s is None:
                sys.exit('peer: no %s within %g s' % (what, timeout))
            if s.data or s.bits & FIN:
                self.held.append(s)
            if pred(s):
                return s

    def collect(self, step, first=QUIET):
        """What xtcp sends until it has been QUIET (after FIRST s for the
        first segment), held; prints STEP and a label for each segment
        with data or FIN."""
        una, got, wait = self.rcv_nxt(), [], first
        while (s := self.recv(wait)) is not None:
            wait = QUIET
            if s.data or s.bits & FIN:
                self.held.append(s)
                got.append(s)
        print(step, ' '.join('new' if s.off >= s.high else
                             'una' if s.off == una else 'old'
                             for s in got) or 'none')
        return got

    def drop(self, s):
        """Lose a segment that arrived: as if it never had."""
        self.held.remove(s)

    def accept(self, s):
        """Take a segment that arrived into the stream."""
        self.held.remove(s)
        end = s.off + len(s.data)
        if len(self.data) < end:
            self.data.extend(bytes(end - len(self.data)))
        self.data[s.off:end] = s.data
        if s.bits & FIN:
            self.fin = end
        if s.data:
            self.last = s.off
            merged = [s.off, end]
            rest = []
            for r in self.ranges:
                if r[1] < merged[0] or r[0] > merged[1]:
                    rest.append(r)
                else:
                    merged = [min(r[0], merged[0]), max(r[1], merged[1])]
            self.ranges = sorted(rest + [merged])

    # ---- the connection --------------------------------------------------

    def connect(self):
        self.send('SEW' if self.ecn else 'S', opts=SYN_OPTS)
        s = self.wait_for(lambda s: s.bits & SYN, 'SYN-ACK', 5.0)
        self.irs = s.seq
        time.sleep(self.rtt)
        self.send('A')
        print('synack', pcap.options(s.opts))
        print('synack_flags', pcap.flags(s.bits))

    def warm_up(self):
        """Accept and acknowledge xtcp's first segment at once. Its RTT
        sample sets the RTO to net.xtcp.rto_min_ms, which the test sets;
        without a sample it would be 1 s whatever the setting."""
        s = self.wait_for(lambda s: s.data, 'first segment')
        self.accept(s)
        self.ack()

    def lose_first_of_flight(self):
        """After the warm-up, the flight xtcp sends next (4 segments at
        least, or exit), its first segment lost."""
        self.warm_up()
        flight = self.collect('flight', first=5.0)
        if len(flight) < 4:
            sys.exit('peer: a flight of %d segments, 4 needed' % len(flight))
        self.drop(flight[0])
        return flight

    def finish(self, timeout=20.0):
        """From here a plain receiver: accept and acknowledge everything
        until xtcp's FIN, then close our half. Prints what arrived
        ("recv bytes=N sha256=H", as xconn prints what it sent) and
        "closed yes" once xtcp acknowledged our FIN."""
        for s in list(self.held):
            self.accept(s)
        self.ack()
        end = time.monotonic() + timeout
        while self.fin is None or self.rcv_nxt() <= self.fin:
            s = self.recv(end - time.monotonic())
            if s is None:
                break
            if s.data or s.bits & FIN:
                self.held.append(s)
                self.accept(s)
                self.ack()
        n = self.rcv_nxt() - (self.fin is not None)
        print('recv bytes=%d sha256=%s' % (
            n, hashlib.sha256(self.data[:n]).hexdigest()))
        closed = 'no'
        if self.fin is not None and self.rcv_nxt() > self.fin:
            self.send('FA')
            self.wait_for(lambda s: s.ack == self.snd_nxt, 'ACK of our FIN',
                          5.0)
            closed = 'yes'
        print('closed', closed)

    def copies(self, off):
        """When xtcp sent the segment at OFF, each time, in s."""
        return ' '.join('%.3f' % s.t for s in self.seen if s.off == off)


def tsval(opts):
    """The TSval of a segment's timestamp option, or None."""
    for kind, body in pcap.walk_options(opts):
        if kind == 8 and len(body) == 8:
            return struct.unpack('!I', body[:4])[0]
    return None


# ---- the scenarios -------------------------------------------------------

def limited_transmit(p):
    """RFC 3042: the first and the second duplicate ACK each let one new
    segment go beyond a full congestion window; the third starts fast
    retransmit. The flight's first segment is lost; the others arrive one
    per duplicate ACK, which SACKs it."""
    flight = p.lose_first_of_flight()
    for k in 1, 2, 3:
        p.accept(flight[k])
        p.ack()
        p.collect('dupack%d' % k)
    p.finish()


def lost_retransmit(p):
    """The fast retransmission of SND.UNA's segment is lost too. Segments
    sent after it are then SACKed one at a time: the third (DupThresh)
    shows the retransmission lost, and the segment must go again at once,
    not at the RTO."""
    flight = p.lose_first_of_flight()
    first = flight[0]
    for k in 1, 2, 3:
        p.accept(flight[k])
        p.ack()
        got = p.collect('dupack%d' % k)
    rtx = [s for s in got if s.off == first.off]
    if not rtx:
        sys.exit('peer: no fast retransmission')
    p.drop(rtx[0])
    # Everything sent before the retransmission arrives: the pipe drains
    # and new data goes, all of it after the retransmission.
    for s in [s for s in p.held if s.off < rtx[0].high]:
        p.accept(s)
    p.ack()
    p.collect('sack_before')
    after = sorted((s for s in p.held if s.off >= rtx[0].high),
                   key=lambda s: s.off)
    print('sent_after', len(after))
    if len(after) < 3:
        sys.exit('peer: %d segments after the retransmission, 3 needed'
                 % len(after))
    for k in 1, 2, 3:
        p.accept(after[k - 1])
        p.ack()
        p.collect('sack%d' % k)
    p.finish()
    print('copies', p.copies(first.off))


def sack_on_data(p):
    """A peer that is sending too reports a hole on its data segments
    (Linux TCP does). Those SACK new data, and count as duplicate ACKs as
    pure ones would. The flight's first segment is lost; the peer's next
    three segments carry 100 bytes each and SACK one more of the flight
    each: the first two let Limited Transmit send, the third brings the
    fast retransmission, not the RTO."""
    flight = p.lose_first_of_flight()
    for k in 1, 2, 3:
        p.accept(flight[k])
        p.send('PA', data=bytes(100), opts=p.sack_opts())
        p.collect('data%d' % k)
    p.finish()


def ack_snd_max(p):
    """After an RTO the send pointer goes back to SND.UNA; a pure ACK sent
    then must still carry SND.MAX. The whole flight is lost; once the RTO
    resent its first segment, the peer sends data, which xtcp ACKs."""
    p.warm_up()
    flight = p.collect('flight', first=5.0)
    for s in flight:
        p.drop(s)
    print('snd_max', p.high)
    una = p.rcv_nxt()
    rto = p.wait_for(lambda s: s.off == una and s.data, 'RTO retransmission')
    print('rto_after %.3f' % (rto.t - flight[0].t))
    p.send('PA', data=bytes(range(100)))
    a = p.wait_for(lambda s: s.ack == p.snd_nxt and not s.data and
                   not s.bits & (SYN | FIN), 'ACK of our data', 5.0)
    print('ack seq=%d' % a.off)
    p.finish()


def push(p):
    """PUSH (RFC 9293 MUST-61): the peer sends 100 bytes without PSH,
    which the application must get without waiting for one; then it
    takes xtcp's stream and prints where each segment with PSH ends
    ("psh 1000 9000" for writes of 1000 and 8000 bytes: PSH on the last
    segment of each write, on no other)."""
    p.send('A', data=bytes(range(100)))
    p.warm_up()
    p.finish()
    print('psh', ' '.join(str(s.off + len(s.data)) for s in p.seen
                          if s.bits & PSH and s.data) or 'none')


def shrink(p):
    """A window that shrinks (RFC 9293 3.8.6.2.2, MUST-34): after the
    warm-up the peer acknowledges the first two segments of xtcp's flight
    with a window of 0, moving the right edge back below what xtcp sent.
    xtcp must send nothing new beyond it ("shrunk none"; before the RTO it
    has no reason to resend either) and keep the data: once the window
    opens again the stream arrives whole."""
    p.warm_up()
    flight = p.collect('flight', first=5.0)
    if len(flight) < 4:
        sys.exit('peer: a flight of %d segments, 4 needed' % len(flight))
    for s in flight[:2]:
        p.accept(s)
    p.win = 0
    p.ack()
    print('high', p.high)
    p.collect('shrunk', first=0.6)
    p.win = WIN
    p.ack()
    p.collect('reopened')
    p.finish()


def slow_flight(p, delay=SLOW_RTT):
    """The warm-up segment's ACK held DELAY s (the handshake's is held
    too, for the SLOW scenarios), so that the probe timeout, 2 * SRTT,
    outlasts the peer's pauses; then the next flight, 4 segments at
    least."""
    s = p.wait_for(lambda s: s.data, 'first segment')
    time.sleep(delay)
    p.accept(s)
    p.ack()
    flight = p.collect('flight', first=5.0)
    if len(flight) < 4:
        sys.exit('peer: a flight of %d segments, 4 needed' % len(flight))
    return flight


def tlp_tail(p):
    """A tail loss (RFC 8985 7): the last segment of a 10-segment flight
    is lost; the eight before the ninth are acknowledged, the ninth
    arrives but its ACK waits (two segments stay in flight, so no delayed
    ACK allowance). With nothing new to send, the tail loss probe resends
    the last segment about 2 * SRTT after the ACK; without it, the RTO
    resends it. Prints "probe_after T LABEL": how long after the ACK the
    segment came again, and what it was. The round trip is made
    SLOW_RTT long (the handshake's ACK and the warm-up's are held), so
    that the probe waits longer than the peer takes to collect a flight."""
    tail_probe(p)
    p.finish()


def tail_probe(p):
    """tlp_tail up to the probe: prints "probe_after T LABEL", returns
    the flight and what came again."""
    flight = slow_flight(p)
    last = flight[-1]
    for s in flight[:-2]:
        p.accept(s)
    p.drop(last)
    p.ack()
    p.accept(flight[-2])
    t = time.monotonic() - p.t0
    s = p.wait_for(lambda s: s.data, 'the lost segment again', 15.0)
    print('probe_after %.3f %s' % (s.t - t, 'last' if s.off == last.off
                                   else 'off=%d' % s.off))
    return flight, s


def rack_flight(p, delay):
    """The handshake's and the warm-up segment's ACKs held DELAY s, so
    that SRTT and the least RTT are about DELAY (RACK's reordering window
    a quarter of it); then the next flight, its second and third segments
    SACKed DELAY s after it went, the first missing: two SACKed segments,
    not DupThresh."""
    flight = slow_flight(p, delay)
    p.drop(flight[0])
    time.sleep(max(0, delay - QUIET))
    for s in flight[1:3]:
        p.accept(s)
    p.ack()
    return flight, time.monotonic() - p.t0


def rack_reorder(p):
    """Reordering within RACK's window (RTT 0.6 s, window 0.15 s): the
    missing first segment arrives 30 ms after the SACK of the next two,
    as a path that reorders would deliver it. Nothing may be resent
    ("resent none")."""
    flight, t = rack_flight(p, SLOW_RTT)
    time.sleep(0.03)
    p.held.append(flight[0])
    p.accept(flight[0])
    p.ack()
    p.collect('resent', first=0.5)
    p.finish()
    print('copies', len(p.copies(flight[0].off).split()))


def rack_lost(p):
    """The first segment of the flight really is lost, two after it
    SACKed (RTT 0.6 s, RACK's window 0.15 s). RACK calls it lost once the
    window has passed, by its timer: "rack_after T LABEL", how long after
    the SACK it went again. The probe (2 * SRTT) or the RTO would come
    later."""
    flight, t = rack_flight(p, SLOW_RTT)
    una = p.rcv_nxt()
    s = p.wait_for(lambda s: s.off == una and s.data, 'the lost segment',
                   15.0)
    print('rack_after %.3f' % (s.t - t))
    p.finish()


def dsack_rcv(p):
    """xtcp as the receiver, the peer sending (RFC 2883): each step sends
    [START, END) of the peer's stream (offsets, 0 its first byte) and
    prints xtcp's answer, "STEP ack=N sack=S-E,S-E" (offsets; "sack=-"
    without blocks): data in order, out of order, the same again, partly
    again, old data, a segment partly old that fills the hole, then new
    data again. Then the peer's FIN, xtcp's FIN, "closed yes". The
    answer is the first ACK at ACK, the cumulative ACK the step should
    bring: a window update for what the reader took before may come
    first."""
    def step(name, start, end, ack):
        p.snd_nxt = (ISS + 1 + start) % MOD
        p.send('PA', data=bytes((start + i) % 251 for i in
                                range(end - start)))
        s = p.wait_for(lambda s: s.bits & 0x10 and not s.data and
                       (s.ack - ISS - 1) % MOD == ack,
                       'the ACK of %s' % name)
        blocks = []
        for kind, body in pcap.walk_options(s.opts):
            if kind == 5:
                blocks = ['%d-%d' % ((a - ISS - 1) % MOD, (b - ISS - 1) % MOD)
                          for a, b in struct.iter_unpack('!II', body)]
        print('%s ack=%d sack=%s' % (name, (s.ack - ISS - 1) % MOD,
                                     ','.join(blocks) or '-'))
    step('inorder', 0, 1000, 1000)
    step('ooo', 2000, 3000, 1000)
    step('ooo_again', 2000, 3000, 1000)
    step('ooo_part', 1500, 2500, 1000)
    step('old', 0, 1000, 1000)
    step('partial', 500, 1500, 3000)
    step('new', 3000, 4000, 4000)
    p.snd_nxt = (ISS + 1 + 4000) % MOD
    p.send('FA')
    s = p.wait_for(lambda s: s.bits & FIN, "xtcp's FIN")
    p.accept(s)
    p.ack()
    print('closed yes')


def dsack_opt(p, ranges):
    """NOP, NOP and a SACK option of the blocks RANGES ([start, end)
    offsets), as they are: below the cumulative ACK they are D-SACKs."""
    opt = bytes([1, 1, 5, 2 + 8 * len(ranges)])
    for start, end in ranges:
        opt += struct.pack('!II', p.stream_seq(start), p.stream_seq(end))
    return opt


def dsack_undo(p, lie):
    """A recovery episode that resends two segments, then D-SACKs that
    report them (RFC 2883; the sender undoes the episode once every
    byte it resent is reported). The flight's first two segments are
    lost, the rest SACKed one ACK each: fast recovery resends the two
    ("rtx OFF OFF", the offsets of what came again). Both arrive; then
    two ACKs of everything, each with a D-SACK (the ACKs' blocks as
    "dsack S-E S-E"):
      each    the first retransmission's range, then the second's: both
              were duplicates, so the episode lost nothing;
      repeat  the second's twice: the first was lost all the same;
      halves  the second's in two halves: again only one of the two.
    """
    flight = slow_flight(p)
    for s in flight[:2]:
        p.drop(s)
    for s in flight[2:]:
        p.accept(s)
        p.ack()
    got = p.collect('resent')
    print('rtx', ' '.join(str(s.off) for s in got) or 'none')
    for s in got:
        p.accept(s)
    a, b = [(s.off, s.off + len(s.data)) for s in flight[:2]]
    mid = (b[0] + b[1]) // 2
    reports = {'each': [a, b], 'repeat': [b, b],
               'halves': [(b[0], mid), (mid, b[1])]}[lie]
    for r in reports:
        p.send('A', opts=dsack_opt(p, [r]))
    print('dsack', ' '.join('%d-%d' % r for r in reports))
    p.collect('after')
    p.finish()


def dsack_undo_each(p):
    dsack_undo(p, 'each')


def dsack_undo_repeat(p):
    dsack_undo(p, 'repeat')


def dsack_undo_halves(p):
    dsack_undo(p, 'halves')


def tlp_dsack(p, whose):
    """A tail loss repaired by the probe (RFC 8985 7.4.2), as in tlp_tail:
    the last segment of the flight lost, the two before it arrive, the
    ACK for all but those two goes. The probe resends the last segment
    ("probe_after T LABEL"); it arrives, and the ACK of everything
    carries a D-SACK ("dsack S-E"):
      probe   for the probe's own range: original and probe both
              arrived, nothing was lost;
      other   for another segment of the flight: it says nothing of the
              probe, which repaired a loss.
    Then xtcp's next data is acknowledged beyond the probe, with no
    pure duplicate ACK before (that too would say both copies arrived),
    and the peer is a plain receiver."""
    flight, s = tail_probe(p)
    last = flight[-1]
    p.accept(s)
    seg = last if whose == 'probe' else flight[1]
    r = (seg.off, seg.off + len(seg.data))
    p.send('A', opts=dsack_opt(p, [r]))
    print('dsack %d-%d' % r)
    s = p.wait_for(lambda s: s.data and s.off > last.off, 'new data', 10.0)
    p.accept(s)
    p.ack()
    p.finish()


def tlp_dsack_probe(p):
    tlp_dsack(p, 'probe')


def tlp_dsack_other(p):
    tlp_dsack(p, 'other')


def eifel(p, echo):
    """A spurious RTO (RFC 3522) with timestamps: the flight after the
    warm-up arrives whole, but its ACK waits until the RTO has resent
    the flight's first segment ("rtx OFF TSVAL", the TSval of the
    retransmission; a tail loss probe may come before it). Then one ACK
    of everything, echoing ("ecr ECR AGE": AGE how many ms ECR lies
    before the retransmission's TSval):
      true    the flight's first TSval, as an honest receiver does: the
              original arrived;
      forged  a TSval 1000 ms older than any xtcp sent on the
              connection, as a receiver that lies to undo every
              reduction might: never sent, it proves nothing.
    Then a plain receiver that echoes xtcp's latest TSval."""
    flight = slow_flight(p)
    first = flight[0]
    for s in flight:
        p.accept(s)
    s = p.wait_for(lambda s: s.data and s.off == first.off,
                   'the first segment again', 15.0)
    print('rtx %d %d' % (s.off, s.tsval))
    p.pin = True
    p.ecr = first.tsval if echo == 'true' else \
        (p.ts_first - 1000) % MOD
    print('ecr %d %d' % (p.ecr, (s.tsval - p.ecr) % MOD))
    for h in list(p.held):
        p.accept(h)
    p.ack()
    p.pin = False
    p.collect('after')
    p.finish()


def eifel_true(p):
    eifel(p, 'true')


def eifel_forged(p):
    eifel(p, 'forged')


def ecn_prr(p):
    """An ECE's window reduction (RFC 3168 6.1.2), paced by PRR as Linux's
    CWR state does. The SYN asks for ECN. After the warm-up, the first
    flight (the initial window) is acknowledged one segment per ACK, at
    once: slow start sends a second flight of about twice as many. Its
    segments are then acknowledged one per ACK, in order, each ACK with
    ECE until a segment with CWR arrives, as a receiver that saw a CE
    mark does; after each ACK the peer collects what xtcp sends. Prints
    "flight N" (the second flight's segments), "episode L..." (per ACK,
    the segments it drew: "new", "una", "old", or "-" for none),
    "cwr_after K" (how many of those ACKs came before the first segment
    with CWR, "none" if none had it), then a plain receiver."""
    p.warm_up()
    first = p.collect('flight1', first=5.0)
    for s in first:
        p.accept(s)
        p.ack()
    flight = p.collect('flight2')
    print('flight', len(flight))
    ece, steps, cwr_after = True, [], 'none'
    for i, s in enumerate(flight):
        p.accept(s)
        p.send('AE' if ece else 'A', opts=p.sack_opts())
        got = p.collect('ack%d' % i)
        steps.append(','.join('new' if g.off >= g.high else
                              'una' if g.off == p.rcv_nxt() else 'old'
                              for g in got) or '-')
        if ece and any(g.bits & CWR for g in got):
            ece, cwr_after = False, i
    print('episode', ' '.join(steps))
    print('cwr_after', cwr_after)
    p.finish()


SCENARIOS = {f.__name__: f for f in (limited_transmit, lost_retransmit,
                                     sack_on_data, ack_snd_max, push,
                                     shrink, tlp_tail, rack_reorder,
                                     rack_lost, dsack_rcv, dsack_undo_each,
                                     dsack_undo_repeat, dsack_undo_halves,
                                     tlp_dsack_probe, tlp_dsack_other,
                                     eifel_true, eifel_forged, ecn_prr)}
# Scenarios whose handshake takes SLOW_RTT: xtcp's first RTT sample.
SLOW = ('tlp_tail', 'rack_reorder', 'rack_lost', 'dsack_undo_each',
        'dsack_undo_repeat', 'dsack_undo_halves', 'tlp_dsack_probe',
        'tlp_dsack_other', 'eifel_true', 'eifel_forged')


def main():
    if len(sys.argv) != 7 or sys.argv[6] not in SCENARIOS:
        sys.exit(__doc__)
    sys.stdout.reconfigure(line_buffering=True)
    dev, mac, addr, xtcp_addr, port, name = sys.argv[1:]
    p = Peer(dev, mac, addr, xtcp_addr, int(port))
    if name in SLOW:
        p.rtt = SLOW_RTT
    p.ts = name.startswith('eifel_')
    p.ecn = name.startswith('ecn_')
    p.connect()
    SCENARIOS[name](p)


if __name__ == '__main__':
    main()
