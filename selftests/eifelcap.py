#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""eifelcap.py: what a capture shows of Eifel detection (RFC 3522), for
selftests/eifel.sh.

Usage: eifelcap.py FILE.pcap SENDER PORT

Looks at the connection to PORT, captured at SENDER (an address): its
data segments, and the ACKs of the other side in the order the sender
saw them. A data segment that starts below the highest sequence number
sent before it is a retransmission. Prints one line per fact:

  ts yes|no       the data segments carry a timestamp option
  rtx N           retransmissions
  rtx_tsval V     the first retransmission's TSval ("-" if none)
  ack_tsecr V     the TSecr of the first ACK after it that acknowledges
                  new data ("-" if none)
  older yes|no    that TSecr is older than that TSval (mod 2^32): the
                  ACK answers the original transmission
  after N         retransmissions sent after that ACK (go-back-N)
"""
import struct
import sys

import pcap

MOD = 1 << 32
SYN = 0x02


def before(a, b):
    return (a - b) % MOD >= 1 << 31


def timestamps(raw):
    for kind, body in pcap.walk_options(raw):
        if kind == 8 and len(body) == 8:
            return struct.unpack("!II", body)
    return None


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    path, snd, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    high = una = None
    ts = False
    rtx = after = 0
    rtx_tsval = ack_tsecr = None
    for s in pcap.segments(path):
        if port not in (s["sport"], s["dport"]):
            continue
        if s["src"] == snd:
            if s["bits"] & SYN:
                high = (s["seq"] + 1) % MOD
                continue
            if s["len"] == 0 or high is None:
                continue
            end = (s["seq"] + s["len"]) % MOD
            if before(s["seq"], high):
                rtx += 1
                if ack_tsecr is not None:
                    after += 1
                if rtx_tsval is None:
                    got = timestamps(s["opts"])
                    rtx_tsval = got[0] if got else "-"
            if timestamps(s["opts"]):
                ts = True
            if before(high, end):
                high = end
            continue
        if s["bits"] & SYN:
            continue
        if una is not None and not before(una, s["ack"]):
            continue
        una = s["ack"]
        if rtx_tsval is not None and ack_tsecr is None:
            got = timestamps(s["opts"])
            ack_tsecr = got[1] if got else "-"
    older = isinstance(rtx_tsval, int) and isinstance(ack_tsecr, int) and \
        before(ack_tsecr, rtx_tsval)
    print("ts", "yes" if ts else "no")
    print("rtx", rtx)
    print("rtx_tsval", "-" if rtx_tsval is None else rtx_tsval)
    print("ack_tsecr", "-" if ack_tsecr is None else ack_tsecr)
    print("older", "yes" if older else "no")
    print("after", after)


if __name__ == "__main__":
    main()
