#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print a bulk transfer's progress as a compact timeline, from xtcp's traces.

Reads the text of /sys/kernel/tracing/trace with the xtcp:xtcp_segment_out
and xtcp:xtcp_segment_in events enabled and follows the connection whose
local end is SENDER (ADDR:PORT, or ADDR for the first connection from
it): per time step, how many bytes the receiver has acknowledged, how
many data segments the sender sent and how many of those were
retransmissions (data at or below the highest sequence number already
sent).

Usage: timeline.py TRACE_FILE SENDER [STEP_SECONDS]

The step, unless given, is the first of 0.1, 0.2, 0.5, 1, 2, 5... s that
makes at most 20 rows.
"""
import re
import sys

SEG = re.compile(r'\s(\d+\.\d+): xtcp_segment_(out|in): (\S+) (\S+) '
                 r'\[([^\]]*)\] seq=(\d+) ack=(\d+) win=(\d+) len=(\d+)'
                 r'(?: mss=\d+ segs=(\d+))?')


def after(a, b):
    """Sequence number a is after b, modulo 2^32."""
    return a != b and (a - b) % 2**32 < 2**31


CWND = re.compile(r'\s(\d+\.\d+): xtcp_cwnd: (\S+) (\S+) cwnd=(\d+) '
                  r'ssthresh=\d+ mss=(\d+)')
CWNDS = []


def read_cwnds(path, conn):
    """The sender's congestion window over time, from xtcp:xtcp_cwnd."""
    with open(path) as f:
        for line in f:
            m = CWND.search(line)
            if m and (m[2], m[3]) == conn:
                CWNDS.append((float(m[1]), int(m[4]) // max(int(m[5]), 1)))


def cwnd_at(t):
    """The sender's cwnd in segments at time t (the last change before
    it), or None before the first."""
    last = None
    for when, cwnd in CWNDS:
        if when > t:
            break
        last = cwnd
    return last


def events(path, sender):
    """Yield (time, kind, value) for the first connection from sender:
    ('ack', bytes acknowledged), ('data', (1 if a retransmission else 0,
    segments)): a GSO super-segment is one event of several segments."""
    conn = isn = snd_max = None
    with open(path) as f:
        for line in f:
            m = SEG.search(line)
            if not m:
                continue
            t, way, local, remote, flags = (float(m[1]), m[2], m[3], m[4],
                                            m[5])
            seq, ack, length = int(m[6]), int(m[7]), int(m[9])
            if conn is None:
                host = local.rsplit(':', 1)[0].strip('[]')  # [IPV6]:P
                if way != 'out' or 'S' not in flags or \
                   (local != sender and host != sender.strip('[]')):
                    continue
                conn = (local, remote)
                yield t, 'conn', conn
            if (local, remote) != conn:
                continue
            if way == 'out' and 'S' in flags:
                isn = snd_max = (seq + 1) % 2**32
            elif isn is None:
                continue
            elif way == 'out' and length:
                end = (seq + length) % 2**32
                rtx = not after(end, snd_max)
                if not rtx:
                    snd_max = end
                yield t, 'data', (int(rtx), int(m[10] or 1))
            elif way == 'in' and '.' in flags:
                n = (ack - isn) % 2**32
                if n < 2**31:
                    yield t, 'ack', n


def main():
    path, sender = sys.argv[1], sys.argv[2]
    evs = list(events(path, sender))
    if not evs:
        sys.exit('timeline: no connection from %s in the trace' % sender)
    conn = evs[0][2]
    read_cwnds(path, conn)
    t0, t1 = evs[0][0], evs[-1][0]
    # About 20 rows, in steps of a round 0.1, 0.2, 0.5, 1, 2, 5... s.
    if len(sys.argv) > 3:
        step = float(sys.argv[3])
    else:
        step = next(s * 10**e for e in range(-1, 4) for s in (1, 2, 5)
                    if (t1 - t0) / (s * 10**e) <= 20)
    nrows = int((t1 - t0) / step) + 1
    rows = [{'acked': 0, 'out': 0, 'rtx': 0} for _ in range(nrows)]
    acked = out = rtx = 0
    for t, kind, val in evs[1:]:
        row = rows[int((t - t0) / step)]
        if kind == 'ack':
            acked = max(acked, val)
            row['acked'] = acked
        else:
            was_rtx, segs = val
            row['out'] += segs
            row['rtx'] += was_rtx * segs
            out += segs
            rtx += was_rtx * segs

    print('%s -> %s, every %g s:' % (conn[0], conn[1], step))
    print(' time(s)  acked(KiB)  data segs  retransmitted  cwnd(segs)')
    acked = 0
    for i, row in enumerate(rows):
        acked = max(acked, row['acked'])
        cwnd = cwnd_at(t0 + (i + 1) * step)
        print('%8.1f  %10d  %9d  %13d  %10s' % (
            (i + 1) * step, acked // 1024, row['out'], row['rtx'],
            '-' if cwnd is None else cwnd))
    print('%d data segments, %d of them retransmissions (%.1f%%)' % (
        out, rtx, 100.0 * rtx / max(out, 1)))


if __name__ == '__main__':
    main()
