#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dsackcap.py: the D-SACKs (RFC 2883) of a capture, for selftests/dsack.sh.

Usage: dsackcap.py FILE.pcap RECEIVER PORT

Looks at the connection to PORT: the segments RECEIVER (an address) sent
with an ACK, and the data the other side sent. A segment's first SACK
block is a D-SACK if it starts below the segment's cumulative ACK, or
lies within its second block (RFC 2883 section 4, as a sender tells).
Prints one line per count:

  acks N      segments from RECEIVER with ACK
  sack N      ... with a SACK option
  dsack N     ... whose first block is a D-SACK
  old N       ... of those, below the cumulative ACK
  ofo N       ... of those, within the second block (data held out of
              order)
  valid N     D-SACKs whose first and last bytes the sender sent twice
              or more (the range is a duplicate in truth)
  first S E   the first D-SACK's range, as offsets in the sender's stream
              (0: its first byte); "first -" if none
"""
import struct
import sys

import pcap

MOD = 1 << 32
SYN, ACK = 0x02, 0x10


def before(a, b):
    return (a - b) % MOD >= 1 << 31


def sent_twice(data, x):
    """Whether byte X went in two data segments or more."""
    return sum(1 for a, b in data if not before(x, a) and before(x, b)) >= 2


def sack_blocks(raw):
    for kind, body in pcap.walk_options(raw):
        if kind == 5 and len(body) % 8 == 0:
            return [struct.unpack("!II", body[i:i + 8])
                    for i in range(0, len(body), 8)]
    return []


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    path, rcv, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    segs = [s for s in pcap.segments(path)
            if port in (s["sport"], s["dport"])]
    isn = None
    data = []
    for s in segs:
        if s["src"] != rcv and s["bits"] & SYN:
            isn = s["seq"]
        elif s["src"] != rcv and s["len"] > 0:
            data.append((s["seq"], (s["seq"] + s["len"]) % MOD))
    n = {"acks": 0, "sack": 0, "dsack": 0, "old": 0, "ofo": 0, "valid": 0}
    first = None
    for s in segs:
        if s["src"] != rcv or not s["bits"] & ACK:
            continue
        n["acks"] += 1
        blk = sack_blocks(s["opts"])
        if not blk:
            continue
        n["sack"] += 1
        st, en = blk[0]
        if before(st, s["ack"]):
            n["old"] += 1
        elif len(blk) > 1 and not before(st, blk[1][0]) and \
                not before(blk[1][1], en):
            n["ofo"] += 1
        else:
            continue
        n["dsack"] += 1
        if all(sent_twice(data, x) for x in (st, (en - 1) % MOD)):
            n["valid"] += 1
        if first is None:
            first = (st, en)
    for k in ("acks", "sack", "dsack", "old", "ofo", "valid"):
        print(k, n[k])
    if first is None or isn is None:
        print("first -")
    else:
        print("first %d %d" % ((first[0] - isn - 1) % MOD,
                               (first[1] - isn - 1) % MOD))


if __name__ == "__main__":
    main()
