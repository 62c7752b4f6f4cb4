#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tfopeer.py: a Fast Open client that holds the handshake's last ACK.

A Fast Open server hands its child to accept() in SYN_RECEIVED, before
the ACK of its SYN-ACK. Its program may read the SYN's data, write a
reply and close, all before that ACK: the connection is in FIN_WAIT_1
when it arrives. A remote peer can make it so at will by holding the
ACK, and this one does, through peer.py's packet socket (see peer.py
for the namespace set-up):

  1. a SYN with an empty Fast Open option (a cookie request) from port
     SPORT - 1; the SYN-ACK's cookie is kept, the request reset;
  2. from SPORT, a SYN with that cookie and REQUEST as its data; then
     nothing, while the server's SYN-ACK, its reply and its FIN arrive
     (until the FIN, or 5 s);
  3. the handshake's last ACK, as VARIANT says:
       synack    it acknowledges the SYN-ACK alone, not the reply
       data      the SYN-ACK and the reply, not the FIN
       all       everything, the FIN too
       withdata  the SYN-ACK and the reply, with data of its own,
                 which a server that closed must answer with an RST
                 (RFC 9293 3.10.7.4, as Linux's TCPAbortOnData);
  4. unless an RST came, our FIN, acknowledging everything, and the
     server's ACK of it.

Usage: tfopeer.py DEV XTCP_MAC ADDR XTCP_ADDR PORT SPORT VARIANT

Prints, after "#" lines that trace each segment the server sent:
  cookie HEX            the cookie of step 1 ("none" if none came)
  synack ack=N opts=O   the SYN-ACK of step 2: what it acknowledges (N
                        relative to our ISN: 1 + the SYN's data) and its
                        options as pcap.py prints them
  before data=TEXT fin=yes|no synacks=N
                        what came before our ACK: the reply, whether the
                        FIN came, how many SYN-ACKs
  third ack=N len=L     our ACK of step 3 (N: offset in the server's
                        stream, L: its own data)
  after FLAGS...        what the server sent in the 1 s after it, in
                        tcpdump's letters ("none" if nothing)
  recv data=TEXT fin=yes|no   the server's whole stream as we took it
  closed yes|rst|no     yes: the server acknowledged our FIN; rst: it had
                        reset the connection
"""
import sys
import time

import pcap
import peer

TFO_KIND = 34
REQUEST = b'GET /tfoack'
OWN_DATA = b'late'
RST = 0x04


class HoldPeer(peer.Peer):
    """peer.py's peer, whose ACK field can be set to any offset of the
    server's stream (ack_off) instead of all it accepted."""

    ack_off = None

    def rcv_nxt(self):
        if self.ack_off is not None:
            return self.ack_off
        return super().rcv_nxt()


def fo_option(cookie):
    """The Fast Open option (RFC 7413 4.1.1) with COOKIE, empty for a
    request."""
    return bytes([TFO_KIND, 2 + len(cookie)]) + cookie


def get_cookie(args, sport):
    """Step 1: the cookie the server gives our address."""
    peer.PORT = sport
    p = HoldPeer(*args)
    p.send('S', opts=peer.SYN_OPTS + fo_option(b''))
    s = p.wait_for(lambda s: s.bits & peer.SYN, 'SYN-ACK to the request', 5.0)
    cookie = b''
    for kind, body in pcap.walk_options(s.opts):
        if kind == TFO_KIND:
            cookie = body
    p.send('R')
    p.sock.close()
    print('cookie', cookie.hex() or 'none')
    return cookie


def main():
    if len(sys.argv) != 8 or sys.argv[7] not in ('synack', 'data', 'all',
                                                 'withdata'):
        sys.exit(__doc__)
    sys.stdout.reconfigure(line_buffering=True)
    dev, mac, addr, xtcp_addr, port, sport, variant = sys.argv[1:]
    args = (dev, mac, addr, xtcp_addr, int(port))
    cookie = get_cookie(args, int(sport) - 1)

    # Step 2: the SYN with the cookie and the request; no ACK.
    peer.PORT = int(sport)
    p = HoldPeer(*args)
    p.send('S', data=REQUEST, opts=peer.SYN_OPTS + fo_option(cookie))
    s = p.wait_for(lambda s: s.bits & peer.SYN, 'SYN-ACK', 5.0)
    p.irs = s.seq
    print('synack ack=%d opts=%s' % ((s.ack - peer.ISS) % peer.MOD,
                                     pcap.options(s.opts)))
    synacks = 1
    end = time.monotonic() + 5.0
    while p.fin is None:
        s = p.recv(end - time.monotonic())
        if s is None:
            break
        if s.bits & peer.SYN:
            synacks += 1
        elif s.data or s.bits & peer.FIN:
            p.held.append(s)
            p.accept(s)
    n = p.rcv_nxt() - (p.fin is not None)
    print('before data=%s fin=%s synacks=%d' % (
        p.data[:n].decode(errors='replace') or '-',
        'yes' if p.fin is not None else 'no', synacks))

    # Step 3: the handshake's last ACK, at last.
    reply = n
    p.ack_off = {'synack': 0, 'data': reply, 'all': p.rcv_nxt(),
                 'withdata': reply}[variant]
    own = OWN_DATA if variant == 'withdata' else b''
    p.send('PA' if own else 'A', data=own)
    print('third ack=%d len=%d' % (p.ack_off, len(own)))
    p.ack_off = None
    after, reset = [], False
    end = time.monotonic() + 1.0
    while (s := p.recv(end - time.monotonic())) is not None:
        after.append(pcap.flags(s.bits))
        reset |= bool(s.bits & RST)
        if s.data or s.bits & peer.FIN:
            p.held.append(s)
            p.accept(s)
    print('after', ' '.join(after) or 'none')

    # Step 4: our FIN, unless the server reset the connection.
    closed = 'rst' if reset else 'no'
    if not reset:
        p.send('FA')
        if p.wait_for(lambda s: s.ack == p.snd_nxt or s.bits & RST,
                      'ACK of our FIN', 5.0).bits & RST:
            closed = 'rst'
        else:
            closed = 'yes'
    n = p.rcv_nxt() - (p.fin is not None)
    print('recv data=%s fin=%s' % (p.data[:n].decode(errors='replace') or
                                   '-', 'yes' if p.fin is not None else 'no'))
    print('closed', closed)


if __name__ == '__main__':
    main()
