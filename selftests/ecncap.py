#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ecncap.py: ECN (RFC 3168) in a capture, for selftests/ecn.sh.

Usage: ecncap.py FILE.pcap SENDER PORT

Looks at the connection to or from PORT, taken on the receiver's side of
the path: SENDER (an address) sends the data, the other end acknowledges.
Reads each segment's ECN field (the low two bits of IPv4's TOS or IPv6's
traffic class) and TCP flags, and prints one line per count:

  syn F          the first SYN's flags, tcpdump's letters (E ECE, W CWR)
  synack F       the first SYN-ACK's flags
  syn_ect N      SYNs and SYN-ACKs that were ECT or CE (RFC 3168 6.1.1)
  new N          SENDER's segments of data never sent before
  new_ect N      ... ECT(0) or CE (marked on the way)
  ce N           ... CE
  rtx N          SENDER's segments of data sent before
  rtx_ect N      ... ECT or CE
  acks N         the receiver's segments without data (handshake's out)
  acks_ect N     ... ECT or CE
  ece N          the receiver's segments with ECE (SYN-ACK's out)
  cwr N          SENDER's segments with CWR (SYN's out)
  ece_after_ce N 1 if the receiver's first segment to acknowledge the
                 first CE-marked segment carried ECE
  cwr_after_ece N 1 if SENDER sent CWR after the first ECE it got
  echo_wrong N   the receiver's segments whose ECE says otherwise than
                 the marks of the data they acknowledge: ECE while no CE
                 arrived since the last CWR, or none while one did (RFC
                 3168 6.1.3); an ACK sent before the receiver took a
                 segment the capture already shows (it waited in the
                 socket's backlog) does not acknowledge it
  rtx_ce N       SENDER's segments of data sent before over a CE mark
"""
import struct
import sys

import pcap

MOD = 1 << 32
SYN, ACK, ECE, CWR = 0x02, 0x10, 0x40, 0x80


def before(a, b):
    return (a - b) % MOD >= 1 << 31


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: ecncap.py FILE.pcap SENDER PORT")
    path, sender, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    c = dict.fromkeys(("syn_ect new new_ect ce rtx rtx_ect acks acks_ect "
                       "ece cwr ece_after_ce cwr_after_ece "
                       "echo_wrong rtx_ce").split(), 0)
    syn = synack = "-"
    high = None          # one past the highest data byte SENDER sent
    seen_ece = False
    first_ce = None      # the end of the first CE-marked segment
    ce_wait = False      # no segment of the receiver acknowledged it yet
    pending = False      # a CE arrived since the last CWR, as acknowledged
    marks = []           # SENDER's data not yet acknowledged: (end, cwr, ce)
    ce_ranges = []       # SENDER's CE-marked data: (seq, end)
    for linktype, frame, _ in pcap.read_pcap(path):
        got = pcap.l3(linktype, frame)
        if not got:
            continue
        etype, pkt = got
        tcp = pcap.ip_tcp(etype, pkt)
        if not tcp or len(tcp[3]) < 20:
            continue
        src, _dst, pseudo, seg, _full = tcp
        sport, dport, seq, ack, off, bits = struct.unpack(
            "!HHIIBB", seg[:14])
        if port not in (sport, dport):
            continue
        ecn = pkt[1] & 3 if etype == 0x0800 else (pkt[1] >> 4) & 3
        tcplen = struct.unpack("!H", pseudo[10:12])[0] \
            if len(pseudo) == 12 else struct.unpack("!I", pseudo[32:36])[0]
        dlen = tcplen - (off >> 4) * 4
        if bits & SYN:
            if ecn:
                c["syn_ect"] += 1
            if bits & ACK and synack == "-":
                synack = pcap.flags(bits)
            elif not bits & ACK and syn == "-":
                syn = pcap.flags(bits)
            if src == sender:
                high = (seq + 1) % MOD
            continue
        if src == sender:
            if bits & CWR:
                c["cwr"] += 1
                if seen_ece:
                    c["cwr_after_ece"] = 1
            if dlen:
                end = (seq + dlen) % MOD
                new = high is None or not before(seq, high)
                k = "new" if new else "rtx"
                c[k] += 1
                if ecn:
                    c[k + "_ect"] += 1
                if not new and any(before(seq, e) and before(s, end)
                                   for s, e in ce_ranges):
                    c["rtx_ce"] += 1
                if ecn == 3:
                    c["ce"] += 1
                    ce_ranges.append((seq, end))
                    if first_ce is None:
                        first_ce, ce_wait = end, True
                marks.append((end, bits & CWR, ecn == 3))
                if high is None or before(high, end):
                    high = end
            elif bits & CWR:
                marks.append((seq, True, False))
            continue
        # The receiver: the marks of what this segment acknowledges.
        while marks and not before(ack, marks[0][0]):
            _end, cwr, ce = marks.pop(0)
            if cwr:
                pending = False
            if ce:
                pending = True
        if not dlen:
            c["acks"] += 1
            if ecn:
                c["acks_ect"] += 1
        if bits & ECE:
            c["ece"] += 1
            seen_ece = True
        if ce_wait and not before(ack, first_ce):
            ce_wait = False
            c["ece_after_ce"] = 1 if bits & ECE else 0
        if bool(bits & ECE) != pending:
            c["echo_wrong"] += 1
    print("syn", syn)
    print("synack", synack)
    for k, v in c.items():
        print(k, v)


if __name__ == "__main__":
    main()
