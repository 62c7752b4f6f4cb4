#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""synrecv.py: a peer that leaves an xtcp listener's handshakes half done.

  synrecv.py DEV XTCP_MAC ADDR XTCP_ADDR PORT PROC STEP

A scripted peer (peer.py's, through a packet socket) sends a SYN to the
listener at XTCP_ADDR:PORT, and then what STEP says, reading the
listener's namespace's /proc/net/xtcp at PROC (/proc/PID/net/xtcp of a
process there) to see the embryonic connection. Each STEP prints
"KEY VALUE..." lines for selftests/syn_recv.sh; "state" is the entry's
state column ("none" once it is gone).

  dup       the same SYN again: "synack1 SEQ", "synack2 SEQ" for the
            SYN-ACKs; the SYN a third time at once: "synack3 reply ..."
            (rate limited: "reply none"), "state1"; then an RST at
            RCV.NXT: "state2"
  checks    an RST in the window but not at RCV.NXT ("rst_inexact
            reply ..."), an ACK of the wrong number ("bad_ack reply
            FLAGS SEQ ACK", "want_bad FLAGS SEQ ACK": what RFC 9293
            says), then the right ACK with 10 bytes ("good_ack ...",
            "want_good ..."); "state1".."state3" after each
  oow_ts    a SYN with a timestamp option (TSval 1000), then an ACK far
            beyond the window: "oow_ack reply ...", "want_oow ...",
            "oow_opts OPTIONS TSECR" of the answer
  retries   nothing more: "synacks N", "seqs K" (distinct ISNs), "gaps"
            (seconds between SYN-ACKs) and "state" when they stop
"""
import struct
import sys
import time

import peer

MOD = 1 << 32


def entry_state(proc, port):
    """The state column of the /proc/net/xtcp line for our port."""
    want = ':%04X' % port
    with open(proc) as f:
        for line in f.readlines()[1:]:
            cols = line.split()
            if cols[2].endswith(want):
                return cols[3]
    return 'none'


def send_at(p, flags, seq, ack, data=b'', opts=b''):
    """A segment with exactly SEQ and ACK, whatever the peer holds."""
    keep = p.snd_nxt, p.irs, p.ranges
    p.snd_nxt, p.irs, p.ranges = seq, (ack - 1) % MOD, []
    p.send(flags, data, opts)
    p.snd_nxt, p.irs, p.ranges = keep


def ts_opt(tsval, tsecr=0):
    """NOP, NOP and a timestamp option."""
    return struct.pack('!BBBBII', 1, 1, 8, 10, tsval, tsecr)


def ts_echo(opts):
    """The TSecr of a segment's timestamp option, or None."""
    for kind, body in peer.pcap.walk_options(opts):
        if kind == 8 and len(body) == 8:
            return struct.unpack('!I', body[4:])[0]
    return None


def reply(p, wait=1.0):
    s = p.recv(wait)
    if s is None:
        return 'reply none'
    return 'reply %s %d %d' % (peer.pcap.flags(s.bits), s.seq, s.ack)


def syn(p, key='synack'):
    p.send('S', opts=peer.SYN_OPTS)
    s = p.wait_for(lambda s: s.bits & peer.SYN, 'SYN-ACK', 5.0)
    print(key, s.seq)
    return s


def dup(p, proc):
    syn(p, 'synack1')
    p.snd_nxt = peer.ISS
    syn(p, 'synack2')
    p.snd_nxt = peer.ISS
    p.send('S', opts=peer.SYN_OPTS)
    print('synack3', reply(p, 0.3))
    print('state1', entry_state(proc, peer.PORT))
    send_at(p, 'R', peer.ISS + 1, 0)
    time.sleep(0.3)
    print('state2', entry_state(proc, peer.PORT))


def checks(p, proc):
    s = syn(p)
    iss, rcv = s.seq, peer.ISS + 1
    send_at(p, 'R', rcv + 100, 0)
    print('rst_inexact', reply(p, 0.5))
    print('state1', entry_state(proc, peer.PORT))
    send_at(p, 'A', rcv, (iss + 2) % MOD)
    print('bad_ack', reply(p))
    print('want_bad', 'R', (iss + 2) % MOD, 0)
    print('state2', entry_state(proc, peer.PORT))
    send_at(p, 'A', rcv, (iss + 1) % MOD, b'x' * 10)
    print('good_ack', reply(p))
    print('want_good', (iss + 1) % MOD, (rcv + 10) % MOD)
    print('state3', entry_state(proc, peer.PORT))
    send_at(p, 'R', rcv + 10, 0)


def oow_ts(p, proc):
    p.send('S', opts=peer.SYN_OPTS + ts_opt(1000))
    s = p.wait_for(lambda s: s.bits & peer.SYN, 'SYN-ACK', 5.0)
    iss, rcv = s.seq, peer.ISS + 1
    send_at(p, 'A', (rcv + (1 << 30)) % MOD, (iss + 1) % MOD, opts=ts_opt(1001))
    r = p.recv(1.0)
    if r is None:
        print('oow_ack reply none')
    else:
        print('oow_ack reply %s %d %d' % (peer.pcap.flags(r.bits), r.seq, r.ack))
        print('oow_opts', peer.pcap.options(r.opts), ts_echo(r.opts))
    print('want_oow', '.', (iss + 1) % MOD, rcv)
    send_at(p, 'R', rcv, 0)


def retries(p, proc):
    first = syn(p)
    times, seqs = [first.t], {first.seq}
    while (s := p.recv(5.0)) is not None:
        if s.bits & peer.SYN:
            times.append(s.t)
            seqs.add(s.seq)
    print('synacks', len(times))
    print('seqs', len(seqs))
    print('gaps', ' '.join('%.1f' % (b - a) for a, b in zip(times, times[1:])))
    print('state', entry_state(proc, peer.PORT))


def main():
    dev, mac, addr, xaddr, port, proc, step = sys.argv[1:8]
    peer.PORT = {'dup': 40001, 'checks': 40002, 'retries': 40003,
                 'oow_ts': 40004}[step]
    p = peer.Peer(dev, mac, addr, xaddr, int(port))
    {'dup': dup, 'checks': checks, 'retries': retries,
     'oow_ts': oow_ts}[step](p, proc)


if __name__ == '__main__':
    main()
