#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the TCP segments of a capture, one line each, for test scripts.

Usage: pcap.py [-t] FILE.pcap
       tcpdump -U -w - ... | pcap.py [-t] -      (a line as each segment comes)

Reads what "tcpdump -w" writes (classic pcap, Ethernet, Linux cooked v1/v2
or raw IP; IPv4 and IPv6) and prints, in capture order:

  10.0.1.1:40000 > 10.0.1.2:5000 S seq=N ack=N win=N len=N
      opts=mss:1460,sackok,ts,wscale:7 csum=ok       (all on one line)

FLAGS are tcpdump's letters (S SYN, F FIN, R RST, P PSH, U URG, E ECE,
W CWR, "." ACK), e.g. "S." for a SYN-ACK and "." for a bare ACK. seq and
ack are absolute, win is the raw field (unscaled), len the payload length
(on the wire, even if the capture cut the segment short).
opts lists the options in order without NOPs ("-" if none); a Fast Open
cookie shows as tfo:HEX (tfo:req for a request), tfoexp:HEX in the
experimental option 254. csum is "ok" or
"bad" against the pseudo-header, or "trunc" if the capture cut the segment.
With -t, each line ends in " t=S.UUUUUU", when the segment was captured
(seconds since the epoch, microseconds).
Standard library only (struct and sys: start-up is slow in the test kernel).
"""

import struct
import sys

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IPV4 = 228
LINKTYPE_LINUX_SLL2 = 276


def read_pcap(path):
    """Yield (linktype, caplen-limited frame, time) for each record."""
    with (open(path, "rb") if path != "-" else sys.stdin.buffer) as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return
        magic = hdr[:4]
        if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
            end = "<"
        elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
            end = ">"
        else:
            sys.exit("pcap.py: %s is not a pcap file" % path)
        linktype = struct.unpack(end + "I", hdr[20:24])[0] & 0x0FFFFFFF
        # The second magic of each pair counts nanoseconds.
        scale = 1e9 if magic in (b"\x4d\x3c\xb2\xa1",
                                 b"\xa1\xb2\x3c\x4d") else 1e6
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, caplen, _ = struct.unpack(end + "IIII", rec)
            data = f.read(caplen)
            if len(data) < caplen:
                return
            yield linktype, data, sec + frac / scale


def l3(linktype, frame):
    """Return (ethertype, payload) of a link-layer frame, or None."""
    if linktype == LINKTYPE_ETHERNET:
        off, etype = 14, struct.unpack("!H", frame[12:14])[0]
        while etype in (0x8100, 0x88A8) and len(frame) >= off + 4:
            etype = struct.unpack("!H", frame[off + 2:off + 4])[0]
            off += 4
        return etype, frame[off:]
    if linktype == LINKTYPE_LINUX_SLL:
        return struct.unpack("!H", frame[14:16])[0], frame[16:]
    if linktype == LINKTYPE_LINUX_SLL2:
        return struct.unpack("!H", frame[0:2])[0], frame[20:]
    if linktype in (LINKTYPE_RAW, LINKTYPE_IPV4) and frame:
        return (0x0800 if frame[0] >> 4 == 4 else 0x86DD), frame
    return None


def ipv4(b):
    return ".".join(str(x) for x in b)


def ipv6(b):
    # Uncompressed: the tests only compare addresses with each other.
    return ":".join("%x" % x for x in struct.unpack("!8H", b))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def ip_tcp(etype, pkt):
    """Return (src, dst, pseudo-header sum input, tcp bytes, full) or None."""
    if etype == 0x0800 and len(pkt) >= 20:
        ihl = (pkt[0] & 0x0F) * 4
        total = struct.unpack("!H", pkt[2:4])[0]
        frag = struct.unpack("!H", pkt[6:8])[0]
        if pkt[9] != 6 or frag & 0x1FFF:
            return None
        seg = pkt[ihl:total]
        full = len(pkt) >= total
        pseudo = pkt[12:20] + struct.pack("!BBH", 0, 6, total - ihl)
        return ipv4(pkt[12:16]), ipv4(pkt[16:20]), pseudo, seg, full
    if etype == 0x86DD and len(pkt) >= 40:
        if pkt[6] != 6:
            return None  # extension headers: not needed by the tests
        plen = struct.unpack("!H", pkt[4:6])[0]
        seg = pkt[40:40 + plen]
        pseudo = pkt[8:40] + struct.pack("!IxxxB", plen, 6)
        return (ipv6(pkt[8:24]), ipv6(pkt[24:40]), pseudo, seg,
                len(pkt) >= 40 + plen)
    return None


def walk_options(raw):
    """Yield (kind, body) for each option but NOPs; (None, b"") for an
    option whose length is bad, and then stop."""
    i = 0
    while i < len(raw):
        kind = raw[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(raw) or raw[i + 1] < 2:
            yield None, b""
            break
        olen = raw[i + 1]
        yield kind, raw[i + 2:i + olen]
        i += olen


def options(raw):
    out = []
    for kind, body in walk_options(raw):
        olen = len(body) + 2
        if kind is None:
            out.append("bad")
        elif kind == 2 and olen == 4:
            out.append("mss:%d" % struct.unpack("!H", body)[0])
        elif kind == 3 and olen == 3:
            out.append("wscale:%d" % body[0])
        elif kind == 4 and olen == 2:
            out.append("sackok")
        elif kind == 5:
            out.append("sack:%d" % ((olen - 2) // 8))
        elif kind == 8 and olen == 10:
            out.append("ts")
        elif kind == 34:
            out.append("tfo:%s" % (body.hex() or "req"))
        elif kind == 254 and body[:2] == b"\xf9\x89":
            out.append("tfoexp:%s" % (body[2:].hex() or "req"))
        else:
            out.append("opt%d" % kind)
    return ",".join(out) or "-"


def flags(bits):
    s = "".join(c for b, c in ((0x02, "S"), (0x01, "F"), (0x04, "R"),
                               (0x08, "P"), (0x20, "U"), (0x40, "E"),
                               (0x80, "W")) if bits & b)
    return s + "." if bits & 0x10 else s or "none"


def segments(path):
    """Yield each TCP segment of a capture as a dict: time, src, sport,
    dst, dport, seq, ack, bits (the flags byte), win, len (of the payload,
    from the IP length even if the capture cut it), opts (raw bytes),
    full (not cut), csum (0xFFFF if right) and urp (the urgent pointer
    field). scripts/tsg.py and wirecheck.py use it."""
    for linktype, frame, when in read_pcap(path):
        got = l3(linktype, frame)
        got = got and ip_tcp(*got)
        if not got:
            continue
        src, dst, pseudo, seg, full = got
        if len(seg) < 20:
            continue
        sport, dport, seq, ack, off, bits, win = struct.unpack(
            "!HHIIBBH", seg[:16])
        hlen = (off >> 4) * 4
        # The TCP length from the pseudo-header: IPv4's ends in it,
        # IPv6's has it after the addresses.
        tcplen = struct.unpack("!H", pseudo[10:12])[0] if len(pseudo) == 12 \
            else struct.unpack("!I", pseudo[32:36])[0]
        yield {"time": when, "src": src, "sport": sport, "dst": dst,
               "dport": dport, "seq": seq, "ack": ack, "bits": bits,
               "win": win, "len": tcplen - hlen, "opts": seg[20:hlen],
               "full": full, "csum": csum(pseudo + seg) if full else 0,
               "urp": struct.unpack("!H", seg[18:20])[0]}


def line(s, times):
    """The line main() prints for segment S (a dict from segments())."""
    ok = "trunc" if not s["full"] else \
        "ok" if s["csum"] == 0xFFFF else "bad"
    fmt = "[%s]:%d" if ":" in s["src"] else "%s:%d"
    return "%s > %s %s seq=%d ack=%d win=%d len=%d opts=%s csum=%s%s" % (
        fmt % (s["src"], s["sport"]), fmt % (s["dst"], s["dport"]),
        flags(s["bits"]), s["seq"], s["ack"], s["win"], s["len"],
        options(s["opts"]), ok,
        " t=%.6f" % s["time"] if times else "")


def main():
    args = sys.argv[1:]
    times = args[:1] == ["-t"]
    if times:
        args = args[1:]
    if len(args) != 1:
        sys.exit("usage: pcap.py [-t] FILE.pcap | -")
    for s in segments(args[0]):
        print(line(s, times), flush=True)


if __name__ == "__main__":
    main()
