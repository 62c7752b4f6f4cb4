#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw a TCP transfer as a time-sequence graph, from a sender-side capture.

The graph of tcptrace/xplot and of Wireshark's "Stevens" graph: sequence
number (relative to the sender's ISN) over time (from its SYN), with

  - each data segment the sender sent as a vertical bar from its first to
    its last byte, retransmissions (data starting below the highest byte
    sent so far) in red;
  - the receiver's cumulative ACK as a step line, and the right edge of
    the window it advertised (ACK + window, scaled) above it;
  - the ranges the receiver's SACK blocks reported, as bars at the ACK;

and below it the congestion window in segments and the data in flight
(highest byte sent minus the ACK, in segments). The congestion window
comes from a text trace of the same run (/sys/kernel/tracing/trace):
xtcp's xtcp:xtcp_cwnd events, or Linux TCP's tcp:tcp_probe. The trace
clock must be the capture's (echo tai >trace_clock: CLOCK_TAI is the wall
clock while no TAI offset is set); a trace on another clock is shifted so
that its first event falls on the first data segment, and a note says so.

A capture on the sender's own interface is taken after its qdisc: a
segment a local netem dropped (as in make demo) is not in it, only its
retransmission, which is marked all the same (data below the highest byte
sent). A tail loss, resent before anything after it was sent, is not.

Usage: tsg.py [-o FILE.png|FILE.svg]... [--trace TRACE] [--sender ADDR[:PORT]]
              [--title TEXT] CAPTURE.pcap

The connection drawn is the first one opened by SENDER (by default the
first SYN in the capture, or without a SYN the direction that carried the
most data). Prints one line of what it found, e.g.

  tsg: 10.0.0.1:40000 > 10.0.0.2:5004: 750 data segments, 12 retransmitted,
       480 ACKs, 95 SACK blocks, final ACK 1048578, 310 cwnd samples

(on one line), then "tsg: wrote FILE" per output. In an SVG the bars of
each kind are in a group of their own (id "data", "retransmissions",
"sacks"): the self-test counts them.
"""
import argparse
import ipaddress
import os
import re
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'selftests'))
import pcap  # noqa: E402  (selftests/pcap.py: the capture reader)

SYN, ACK = 0x02, 0x10
TRACE_XTCP = re.compile(r'\s(\d+\.\d+): xtcp_cwnd: (\S+) (\S+) cwnd=(\d+) '
                        r'ssthresh=\d+ mss=(\d+)')
TRACE_LINUX = re.compile(r'\s(\d+\.\d+): tcp_probe: family=\S+ src=(\S+) '
                         r'dest=(\S+) .*?snd_cwnd=(\d+)')
COLOURS = {'data': '#1f77b4', 'rtx': '#d62728', 'ack': '#2ca02c',
           'win': '#bcbd22', 'sack': '#9467bd', 'cwnd': '#ff7f0e',
           'flight': '#7f7f7f'}


def rel(seq, isn):
    """Sequence number seq relative to isn, modulo 2^32."""
    return (seq - isn) % 2**32


def find_conn(segs, sender):
    """(sender end, receiver end) as (addr, port) pairs."""
    for s in segs:
        src = (s['src'], s['sport'])
        if s['bits'] & SYN and not s['bits'] & ACK and \
           (sender is None or sender in ('%s:%d' % src, src[0])):
            return src, (s['dst'], s['dport'])
    if sender is not None:
        return None
    sent = {}
    for s in segs:
        key = ((s['src'], s['sport']), (s['dst'], s['dport']))
        sent[key] = sent.get(key, 0) + s['len']
    return max(sent, key=sent.get) if sent else None


def wscale(s):
    """The window scale a SYN offers, or None."""
    for kind, body in pcap.walk_options(s['opts']):
        if kind == 3 and len(body) == 1:
            return min(body[0], 14)
    return None


def sack_blocks(s):
    """The SACK blocks of a segment as (left, right) absolute pairs."""
    for kind, body in pcap.walk_options(s['opts']):
        if kind == 5:
            return [struct.unpack('!II', body[i:i + 8])
                    for i in range(0, len(body) - 7, 8)]
    return []


def extract(path, sender=None):
    """What the graph shows, from the capture at path: a dict of lists of
    tuples (times in seconds from the first segment of the connection,
    sequence numbers relative to the sender's ISN)."""
    segs = list(pcap.segments(path))
    conn = find_conn(segs, sender)
    if conn is None:
        sys.exit('tsg: no connection%s in %s' % (
            ' from ' + sender if sender else '', path))
    out, back = conn
    g = {'conn': conn, 'data': [], 'rtx': [], 'ack': [], 'sack': [],
         'flight': [], 'mss': 0, 't0': None}
    isn = snd_max = ack = None
    ws_out = ws_back = None
    for s in segs:
        src, dst = (s['src'], s['sport']), (s['dst'], s['dport'])
        if (src, dst) not in (conn, (back, out)):
            continue
        if g['t0'] is None:
            g['t0'] = s['time']
        t = s['time'] - g['t0']
        if src == out:
            if s['bits'] & SYN:
                isn = s['seq']
                snd_max = 1
                ws_out = wscale(s)
                continue
            if isn is None:  # no SYN captured: start from here
                isn = (s['seq'] - 1) % 2**32
                snd_max = 1
            if not s['len']:
                continue
            start = rel(s['seq'], isn)
            end = start + s['len']
            g['mss'] = max(g['mss'], s['len'])
            if start < snd_max:
                g['rtx'].append((t, start, end))
            else:
                g['data'].append((t, start, end))
            snd_max = max(snd_max, end)
            if ack is not None:
                g['flight'].append((t, snd_max - ack))
            continue
        if s['bits'] & SYN:
            ws_back = wscale(s)
        if isn is None or not s['bits'] & ACK:
            continue
        ack = rel(s['ack'], isn)
        # Window scaling is on only if both SYNs offered it, and a SYN's
        # own window is never scaled.
        shift = ws_back if ws_out is not None and ws_back is not None and \
            not s['bits'] & SYN else 0
        g['ack'].append((t, ack, ack + (s['win'] << shift)))
        for left, right in sack_blocks(s):
            g['sack'].append((t, rel(left, isn), rel(right, isn)))
        if snd_max is not None:
            g['flight'].append((t, max(snd_max - ack, 0)))
    return g


def trace_end(addr, port):
    """An end of the capture as the tracepoints print it (%pISpc):
    A.B.C.D:P, or [IPV6]:P with the address compressed."""
    a = ipaddress.ip_address(addr)
    if a.version == 6:
        return '[%s]:%d' % (a.compressed, port)
    return '%s:%d' % (a, port)


def read_cwnd(path, g):
    """The sender's congestion window in segments over time from a trace,
    as (t, cwnd) on the capture's clock, and what it was read from."""
    out, back = g['conn']
    ends = (trace_end(*out), trace_end(*back))
    got, kind = [], None
    with open(path) as f:
        for line in f:
            m = TRACE_XTCP.search(line)
            if m and (m[2], m[3]) == ends:
                got.append((float(m[1]),
                            int(m[4]) / max(int(m[5]), 1)))
                kind = 'xtcp:xtcp_cwnd'
                continue
            m = TRACE_LINUX.search(line)
            if m and (m[2], m[3]) == ends:
                got.append((float(m[1]), int(m[4])))
                kind = 'tcp:tcp_probe'
    if not got:
        return [], None
    shift = -g['t0']
    if abs(got[0][0] + shift) > 1000:
        first = (g['data'] or g['rtx'] or [(0,)])[0][0]
        shift = first - got[0][0]
        print('tsg: the trace is not on the capture\'s clock (trace_clock '
              'tai): its first event is put at the first data segment',
              file=sys.stderr)
    return [(t + shift, c) for t, c in got], kind


def bars(ax, rows, colour, gid, label, width=1.5):
    """Vertical bars (t, low) to (t, high) as one collection."""
    from matplotlib.collections import LineCollection

    if not rows:
        return
    lc = LineCollection([[(t, lo), (t, hi)] for t, lo, hi in rows],
                        colors=colour, linewidths=width, label=label)
    lc.set_gid(gid)
    ax.add_collection(lc)


def draw(g, cwnd, cwnd_kind, outputs, title):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    fig, (top, low) = plt.subplots(
        2, 1, sharex=True, figsize=(11, 7.5),
        gridspec_kw={'height_ratios': [3, 1]})
    if g['ack']:
        t, a, w = zip(*g['ack'])
        top.step(t, w, where='post', color=COLOURS['win'], linewidth=1,
                 label='advertised window (ACK + rwnd)')
        top.step(t, a, where='post', color=COLOURS['ack'], linewidth=1,
                 label='ACK')
    bars(top, g['data'], COLOURS['data'], 'data', 'data segment')
    bars(top, g['rtx'], COLOURS['rtx'], 'retransmissions', 'retransmission',
         2.5)
    bars(top, g['sack'], COLOURS['sack'], 'sacks', 'SACKed range', 3)
    if g['rtx']:
        # A bar is a pixel high in a long transfer: a dot marks each too.
        t, lo, _ = zip(*g['rtx'])
        top.plot(t, lo, 'o', markersize=3.5, color=COLOURS['rtx'],
                 gid='retransmission-dots')
    top.autoscale_view()
    # The window's edge may run far above the data: the data fills the
    # graph, the edge leaves it at the top.
    high = max([x[2] for x in g['data'] + g['rtx']] +
               [x[1] for x in g['ack']] + [1])
    top.set_ylim(top=high * 1.15)
    top.set_ylabel('sequence number (bytes from ISN)')
    top.ticklabel_format(axis='y', style='plain', useOffset=False)
    top.grid(True, alpha=0.3)
    top.legend(loc='upper left', fontsize='small')
    top.set_title(title or '%s:%d > %s:%d' % (g['conn'][0] + g['conn'][1]))

    mss = max(g['mss'], 1)
    if g['flight']:
        t, f = zip(*g['flight'])
        low.step(t, [x / mss for x in f], where='post',
                 color=COLOURS['flight'], linewidth=0.8,
                 label='outstanding (highest sent - ACK)')
    if cwnd:
        t, c = zip(*cwnd)
        low.step(t, c, where='post', color=COLOURS['cwnd'], linewidth=1.2,
                 label='cwnd (%s)' % cwnd_kind)
    else:
        low.text(0.99, 0.9, 'no cwnd: no trace of it given',
                 transform=low.transAxes, ha='right', va='top',
                 fontsize='small')
    low.set_ylabel('segments')
    low.set_xlabel('time (s from the first segment)')
    low.set_ylim(bottom=0)
    low.grid(True, alpha=0.3)
    low.legend(loc='upper left', fontsize='small')
    fig.tight_layout()
    for path in outputs:
        fig.savefig(path, dpi=110)
        print('tsg: wrote %s' % path)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(
        description='Draw a TCP transfer as a time-sequence graph.')
    ap.add_argument('capture', help='pcap file, from the sender side')
    ap.add_argument('-o', '--output', action='append', default=[],
                    help='PNG or SVG file to write (repeatable)')
    ap.add_argument('--trace', help='text trace with xtcp:xtcp_cwnd or '
                    'tcp:tcp_probe events, for the cwnd panel')
    ap.add_argument('--sender', help='ADDR or ADDR:PORT of the sender')
    ap.add_argument('--title', help='title of the graph')
    a = ap.parse_args()

    g = extract(a.capture, a.sender)
    cwnd, kind = read_cwnd(a.trace, g) if a.trace else ([], None)
    final = max((x[1] for x in g['ack']), default=0)
    print('tsg: %s:%d > %s:%d: %d data segments, %d retransmitted, %d ACKs, '
          '%d SACK blocks, final ACK %d, %d cwnd samples' % (
              g['conn'][0] + g['conn'][1] + (
                  len(g['data']) + len(g['rtx']), len(g['rtx']),
                  len(g['ack']), len(g['sack']), final, len(cwnd))))
    if a.output:
        draw(g, cwnd, kind, a.output, a.title)


if __name__ == '__main__':
    main()
