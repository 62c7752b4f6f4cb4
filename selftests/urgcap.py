#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""urgcap.py: the urgent pointers of a capture, for selftests/urgent.sh.

Usage: urgcap.py FILE.pcap PORT:UP[,UP...][:loose]...

For each PORT, the segments the client (the side whose SYN went to PORT)
sent: each that carries URG must carry the pointer RFC 9293 MUST-62 and
Linux give it, SND.UP - SEG.SEQ, or 65535 when SND.UP is further ahead,
for one of the UP given (SND.UP as offsets in the client's stream, 0 its
first byte: one past the last byte of each send(MSG_OOB)); and the
segment that carries the last urgent byte (UP - 1) must carry URG. With
"loose" (a send that waited for buffer space: Linux moves SND.UP to the
end of what was queued each time it waits) a pointer need only point
into the send, at or before its end. Prints "PORT urg=N bad=M
tail=yes|no" per PORT, "bad" listing the first wrong segment.
"""
import sys

import pcap

MOD = 1 << 32
URG, SYN, ACK = 0x20, 0x02, 0x10


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    want = {}
    for arg in sys.argv[2:]:
        port, ups, *loose = arg.split(':')
        want[int(port)] = ([int(u) for u in ups.split(',') if u],
                           loose == ['loose'])
    segs = list(pcap.segments(sys.argv[1]))
    for port, (ups, loose) in want.items():
        isn = None
        for s in segs:
            if s["dport"] == port and s["bits"] & SYN and \
               not s["bits"] & ACK:
                isn = s["seq"]
        urg = bad = 0
        tail = False
        first_bad = ''
        for s in segs:
            if isn is None or s["dport"] != port or s["bits"] & SYN:
                continue
            off = (s["seq"] - isn - 1) % MOD
            if ups and off <= ups[-1] - 1 < off + s["len"] and \
               s["bits"] & URG and s["urp"] == min(ups[-1] - off, 0xFFFF):
                tail = True
            if not s["bits"] & URG:
                continue
            urg += 1
            if loose:
                good = 0 < s["urp"] <= ups[-1] - off or \
                    s["urp"] == 0xFFFF < ups[-1] - off
            else:
                good = any(off < up and s["urp"] == min(up - off, 0xFFFF)
                           for up in ups)
            if not good:
                bad += 1
                first_bad = first_bad or ' (off=%d len=%d urp=%d)' % (
                    off, s["len"], s["urp"])
        print('%d urg=%d bad=%d%s tail=%s' % (port, urg, bad, first_bad,
                                             'yes' if tail else 'no'))


if __name__ == '__main__':
    main()
