#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge the TCP segments of a capture: the checks behind lib.sh's seg_*
functions and wire.sh's table.

Usage: wirecheck.py --serve              requests on stdin, one a line
       wirecheck.py CHECK FILE PORT [ARG...]      one request, at once

A request is CHECK, FILE, PORT, FRESH and the check's ARGs, separated by
tabs (--serve) or given as arguments (FRESH is then 1). FILE is a capture
whose segments pcap.py -t decodes into FILE.txt (cap_start's decoder
writes it as they come; if it is missing it is decoded from FILE now); a
check sees the segments to or from PORT, as the file held them when a
request with FRESH 1 last read it. The answer is lines

  why TEXT     (a failed check: why, one line each)
  note TEXT    (what the check saw, for a "# " line of the test)
  reply TEXT   (the value a counting check found)

and then "= 0" if the check holds or "= 1" if not (or it is not known).
Addresses are as pcap.py prints them, IPv6 ones in brackets; sequence
numbers are compared modulo 2^32.
"""

import os
import sys

import pcap

MOD = 1 << 32


class Seg:
    """One line of pcap.py -t, split: src (the address), sport, dport,
    flags, seq, ack, win, len, opts, csum, us (microseconds since the
    epoch) and text (the line without its time)."""
    __slots__ = ("src", "sport", "dport", "flags", "seq", "ack", "win",
                 "len", "opts", "csum", "us", "text")

    def __init__(self, line):
        f = line.split()
        src, dst = f[0], f[2]
        self.src, self.sport = src.rsplit(":", 1)
        self.dport = dst.rsplit(":", 1)[1]
        self.flags = f[3]
        self.seq, self.ack, self.win, self.len = (
            int(x.split("=", 1)[1]) for x in f[4:8])
        self.opts = f[8][len("opts="):]
        self.csum = f[9][len("csum="):]
        t = f[10][len("t="):] if len(f) > 10 else "0.000000"
        self.us = int(t.replace(".", ""))
        self.text = " ".join(f[:10])

    def end(self):
        """The sequence number after the segment, counting SYN and FIN."""
        n = self.len + ("S" in self.flags) + ("F" in self.flags)
        return (self.seq + n) % MOD


class Capture:
    """The segments decoded so far from each capture file."""

    def __init__(self):
        self.files = {}   # FILE -> [offset read up to, [Seg...]]

    def read(self, path):
        """Catch up with what the decoder appended to PATH.txt."""
        txt = path + ".txt"
        if not os.path.exists(txt):
            with open(txt, "w") as out:
                for s in pcap.segments(path):
                    out.write(pcap.line(s, True) + "\n")
        got = self.files.setdefault(path, [0, []])
        if os.path.getsize(txt) < got[0]:
            got[:] = [0, []]
        with open(txt, "rb") as f:
            f.seek(got[0])
            data = f.read()
        done = data.rfind(b"\n") + 1  # a line being written waits
        got[0] += done
        got[1].extend(Seg(x) for x in data[:done].decode().split("\n")
                      if x.strip())

    def port(self, path, port):
        return [s for s in self.files.get(path, [0, []])[1]
                if port in (s.sport, s.dport)]


def after(a, b):
    """Sequence number A is after B."""
    d = (a - b) % MOD
    return d != 0 and d < MOD // 2


def ms(us):
    """Microseconds to milliseconds, rounding towards 0 as bash does."""
    return int(us / 1000)


class Answer:
    def __init__(self, out):
        self.out = out

    def why(self, *lines):
        for x in lines:
            self.out.append("why " + str(x))
        return False

    def note(self, text):
        self.out.append("note " + text)

    def reply(self, value):
        self.out.append("reply " + str(value))
        return True

    def expect(self, want, got):
        """As lib.sh's expect."""
        return want == got or self.why("expected: " + want,
                                       "got:      " + got)

    def listing(self, segs, why):
        """A failed seg_* check: why, and the segments."""
        return self.why(why, "segments:", *("  " + s.text for s in segs))


# ---- lib.sh's seg_* ------------------------------------------------------

def seg_handshake(a, segs, client, server):
    """The first three segments are SYN, SYN-ACK, ACK between CLIENT and
    SERVER, with matching seq and ack."""
    want = [(client, "S"), (server, "S."), (client, ".")]
    if [(s.src, s.flags) for s in segs[:3]] != want:
        return a.listing(segs,
                         "the first three segments are not SYN, SYN-ACK, ACK")
    if segs[1].ack == segs[0].end() and segs[2].seq == segs[0].end() and \
            segs[2].ack == segs[1].end():
        return True
    return a.listing(segs, "seq and ack do not match")


def seg_mss(a, segs, mss=""):
    """Every SYN and SYN-ACK carries an MSS option (of exactly MSS if
    given)."""
    want = ",mss:" + (mss + "," if mss else "")
    syns = [s for s in segs if s.flags.startswith("S")]
    n = sum(want in "," + s.opts + "," for s in syns)
    if len(syns) >= 2 and n == len(syns):
        return True
    return a.listing(segs, "%d of %d SYNs carry an MSS option%s" % (
        n, len(syns), " of " + mss if mss else ""))


def seg_csum_ok(a, segs):
    """Every segment has a correct checksum."""
    bad = sum(s.csum != "ok" for s in segs)
    if segs and not bad:
        return True
    return a.listing(segs, "%d of %d checksums are not correct" % (
        bad, len(segs)))


class Fins:
    """The sequence number after A's first FIN and after B's (None if
    none) in a and b, what each FIN acknowledged in a_ack and b_ack,
    whether the other side acknowledged each in acked_a and acked_b,
    and the number of RSTs in rsts.

    One RST is not counted: the one a side that closed second sends,
    from its FIN's end, once both FINs are acknowledged. That side is
    CLOSED then, and a segment of the peer that arrives late (an ACK of
    a retransmission that crossed the last ACK on a loaded host) gets a
    RST, as RFC 9293 3.10.7.1 says; Linux TCP answers the same."""

    def __init__(self, segs, addr_a, addr_b):
        self.a = self.b = self.a_ack = self.b_ack = None
        self.acked_a = self.acked_b = False
        self.rsts = 0
        for s in segs:
            if "R" in s.flags and not self.closed_rst(s, addr_a, addr_b):
                self.rsts += 1
            if s.src == addr_a:
                self.acked_b |= self.b is not None and s.ack == self.b
                if "F" in s.flags and self.a is None:
                    self.a, self.a_ack = s.end(), s.ack
            elif s.src == addr_b:
                self.acked_a |= self.a is not None and s.ack == self.a
                if "F" in s.flags and self.b is None:
                    self.b, self.b_ack = s.end(), s.ack

    def closed_rst(self, s, addr_a, addr_b):
        """S is a RST from a side that closed second and is CLOSED."""
        if not (self.acked_a and self.acked_b):
            return False
        if s.src == addr_b:
            return self.b_ack == self.a and s.seq == self.b
        if s.src == addr_a:
            return self.a_ack == self.b and s.seq == self.a
        return False

    def missing(self, addr_a, addr_b):
        if self.a is None or self.b is None:
            return "FIN from %s: %s, from %s: %s" % (
                addr_a, "" if self.a is None else "yes",
                addr_b, "" if self.b is None else "yes")
        return None


def seg_fin_close(a, segs, first, second):
    """FIRST sends a FIN, SECOND acknowledges it and then sends its own
    FIN, FIRST acknowledges that; no RST."""
    f = Fins(segs, first, second)
    why = f.missing(first, second)
    if why:
        pass
    elif f.b_ack != f.a:
        why = "%s's FIN does not acknowledge %s's FIN: %s closed first" % (
            second, first, second)
    elif not f.acked_b:
        why = "%s never acknowledged %s's FIN" % (first, second)
    elif f.rsts:
        why = "%d RST segments" % f.rsts
    else:
        return True
    return a.listing(segs, why)


def seg_simultaneous_close(a, segs, addr_a, addr_b):
    """A and B each sent a FIN before they saw the other's, each FIN was
    acknowledged, and there was no RST."""
    f = Fins(segs, addr_a, addr_b)
    why = f.missing(addr_a, addr_b)
    if why:
        pass
    elif f.a_ack == f.b or f.b_ack == f.a:
        why = "one FIN acknowledges the other: the closes did not cross"
    elif not f.acked_a or not f.acked_b:
        why = "a FIN was never acknowledged"
    elif f.rsts:
        why = "%d RST segments" % f.rsts
    else:
        return True
    return a.listing(segs, why)


def seg_rst_from(a, segs, addr):
    """ADDR sent a RST, and no FIN."""
    mine = [s for s in segs if s.src == addr]
    rst = sum("R" in s.flags for s in mine)
    fin = sum("F" in s.flags for s in mine)
    if rst and not fin:
        return True
    return a.listing(segs, "%s sent %d RST and %d FIN segments" % (
        addr, rst, fin))


def seg_refused(a, segs, client, server):
    """SERVER answered CLIENT's first SYN with a RST that acknowledges the
    SYN and takes its sequence number from the SYN's ACK field, that is 0
    (RFC 9293, 3.10.7.1), and sent no SYN-ACK."""
    if not segs or (segs[0].src, segs[0].flags) != (client, "S"):
        return a.listing(segs, "the first segment is not a SYN from " +
                         client)
    end = segs[0].end()
    for s in segs:
        if s.src != server:
            continue
        if s.flags != "R.":
            return a.listing(segs, "%s answered with %s, not R." % (
                server, s.flags))
        if (s.seq, s.ack) != (0, end):
            return a.listing(segs, "the RST has seq %d ack %d, not 0 and %d"
                             % (s.seq, s.ack, end))
        return True
    return a.listing(segs, server + " did not answer")


def seg_bytes(a, segs, addr):
    """How many payload bytes ADDR sent, from its ISN to the highest
    sequence number it sent data at."""
    isn = most = 0
    for s in segs:
        if s.src != addr:
            continue
        if s.flags.startswith("S"):
            isn = s.seq
        if s.len > 0:
            most = max(most, (s.seq + s.len - isn - 1) % MOD)
    return a.reply(most)


def seg_count(a, segs, addr, flags):
    """How many segments ADDR sent with exactly FLAGS."""
    return a.reply(sum((s.src, s.flags) == (addr, flags) for s in segs))


def seg_rtx(a, segs, addr):
    """How many times ADDR sent its first data segment (1 = never
    retransmitted)."""
    data = [s for s in segs if s.src == addr and s.len > 0]
    return a.reply(sum(s.seq == data[0].seq for s in data) if data else 0)


def seg_resent(a, segs, addr):
    """How many data segments ADDR sent that start at a byte it had sent
    before: retransmissions (whole or in part), as a capture on ADDR's
    side sees them."""
    sent, n = None, 0
    for s in segs:
        if s.src != addr or s.len <= 0:
            continue
        if sent is not None and after(sent, s.seq):
            n += 1
        end = (s.seq + s.len) % MOD
        if sent is None or after(end, sent):
            sent = end
    return a.reply(n)


def segments(a, segs):
    """The segments, one a line as pcap.py prints them (without time)."""
    for s in segs:
        a.reply(s.text)
    return True


# ---- wire.sh's checks ----------------------------------------------------

def walk(segs, sender):
    """Yield (segment, new, flight) for each segment: new if it carries
    new data from SENDER (retransmissions left out), and then flight if
    it left while the data before it was not all acknowledged by the
    latest ACK from the peer (whose segments are never new)."""
    acked = sent = None
    for s in segs:
        if s.src != sender:
            if "." in s.flags:
                acked = s.ack
            yield s, False, False
            continue
        end = (s.seq + s.len) % MOD
        if s.len <= 0 or sent is not None and not after(end, sent):
            yield s, False, False
            continue
        yield s, True, sent is not None and acked != sent
        sent = end


def new_data(segs, sender):
    """SENDER's segments of new data (walk), and how many of those left
    with data in flight."""
    new = [(s, flight) for s, is_new, flight in walk(segs, sender)
           if is_new]
    return [s for s, _ in new], sum(flight for _, flight in new)


def lens(new):
    return " ".join(str(s.len) for s in new)


def nagle_waits(a, segs, sender):
    """No small segment left while data was unacknowledged (Nagle)."""
    new, early = new_data(segs, sender)
    a.note("segment lengths: " + lens(new))
    if early == 0 and new:
        return True
    return a.why("%d of %d data segments left before the data ahead of "
                 "them was acknowledged" % (early, len(new)))


def nagle_coalesces(a, segs, sender):
    """The first of 40 writes of 20 bytes left at once, the rest in at
    most 9 more, larger segments."""
    new = new_data(segs, sender)[0]
    first = str(new[0].len) if new else ""
    most = max([0] + [s.len for s in new])
    if first == "20" and len(new) <= 10 and most > 20:
        return True
    return a.why("%d segments for 40 writes, the first %s bytes, the "
                 "largest %d" % (len(new), first, most))


def nodelay_early(a, segs, sender):
    """At least 5 data segments left while data was unacknowledged."""
    new, early = new_data(segs, sender)
    a.note("segment lengths: " + lens(new))
    if early >= 5:
        return True
    return a.why("only %d of %d left while data was unacknowledged (at "
                 "least 5 expected)" % (early, len(new)))


def nodelay_each(a, segs, sender):
    """Each of 40 writes of 20 bytes left as a segment of its own."""
    new = new_data(segs, sender)[0]
    return a.expect("40 segments, 40 of 20 bytes", "%d segments, %d of 20 "
                    "bytes" % (len(new), sum(s.len == 20 for s in new)))


def data_lens(a, segs, sender, *want):
    """SENDER's new data went in segments of exactly the lengths WANT."""
    return a.expect(" ".join(want), lens(new_data(segs, sender)[0]))


def uncorked(a, segs, sender, mss, *now):
    """The second and third of three data segments left between the clock
    readings NOW (microseconds, CLOCK_REALTIME) around the first uncork
    and the second, with 1 ms for the clocks' grain."""
    new = new_data(segs, sender)[0]
    if len(new) != 3 or len(now) != 5 or "" in now[:4]:
        return a.why("no segments or times to compare: " +
                     (now[4] if len(now) == 5 else ""))
    t = [int(x) for x in now[:4]]
    i2, i3 = new[1].us, new[2].us

    def between(us, lo, hi):
        return lo - 1000 <= us <= hi + 1000
    if between(i2, t[0], t[1]) and between(i3, t[2], t[3]):
        return True
    return a.why("%d bytes at %d, uncork from %d to %d (us, CLOCK_REALTIME)"
                 % (2000 - int(mss), i2, t[0], t[1]),
                 "500 bytes at %d, uncork from %d to %d" % (i3, t[2], t[3]))


def sws_scan(segs, sender, receiver, mss):
    """The segments of new data SENDER sent shorter than a full segment and
    than half the largest window RECEIVER offered so far, without PSH
    (so not the last byte the application queued, which is Nagle's to
    decide), either with data in flight or within 150 ms of RECEIVER's
    latest segment: what a sender that waits for the window to open
    usefully does not send. Only the persist timer (at least rto_min_ms,
    200 ms) may send such a segment, with nothing in flight. Returns
    those (described), the number of short segments of either kind and
    of zero windows RECEIVER offered."""
    shift, wsc = 0, 0
    for s in segs:
        if not s.flags.startswith("S"):
            continue
        opt = [o for o in s.opts.split(",") if o.startswith("wscale:")]
        if not opt:
            continue
        wsc += 1
        if s.src == receiver:
            shift = int(opt[0][len("wscale:"):])
    if wsc < 2:
        shift = 0
    sws, small, zero = [], 0, 0
    maxwin = last = 0
    for s, is_new, flight in walk(segs, sender):
        if s.src == receiver:
            w = s.win if s.flags.startswith("S") else s.win << shift
            maxwin = max(maxwin, w)
            zero += w == 0
            last = s.us
        if not is_new or s.len >= mss:
            continue
        small += 1
        if "P" in s.flags or 2 * s.len >= maxwin:
            continue
        if flight or s.us - last < 150000:
            sws.append("%d bytes, largest window %d, in flight %d, %d ms "
                       "after the peer's last segment" % (
                           s.len, maxwin, int(flight), ms(s.us - last)))
    return sws, small, zero


def sws_exercised(a, segs, sender, receiver, mss):
    """RECEIVER offered a zero window."""
    sws, small, zero = sws_scan(segs, sender, receiver, int(mss))
    a.note("%d short segments; %d zero windows offered" % (small, zero))
    return zero > 0 or a.why("no zero window in the capture")


def sws_none(a, segs, sender, receiver, mss):
    """No silly segment (sws_scan) from SENDER."""
    sws = sws_scan(segs, sender, receiver, int(mss))[0]
    return not sws or a.why("%d such segments:" % len(sws), *sws)


def acks_scan(segs, sender, mss):
    """One short data segment, then a burst of full ones, from SENDER:
    the peer's segment that acknowledged the first, how many times the
    first went, and the steps by which the peer's pure ACKs moved once
    the burst began."""
    first_data = end = burst = acked = prev = None
    sends, steps = 0, []
    for s in segs:
        if s.src == sender:
            if s.len <= 0:
                continue
            if end is None:
                first_data, end = s, (s.seq + s.len) % MOD
            sends += s.seq == first_data.seq
            if burst is None and s.len == mss:
                burst, prev = s, s.seq
            continue
        if end is None:
            continue
        if acked is None and not after(end, s.ack):
            acked = s
        if burst is None or s.len != 0:
            continue
        if after(s.ack, prev):
            steps.append((s.ack - prev) % MOD)
        prev = s.ack
    delay = None if acked is None else ms(acked.us - first_data.us)
    return delay, sends, steps


def acks_lone(a, segs, sender, mss):
    """The lone segment is acknowledged; notes what the ACKs did."""
    delay, sends, steps = acks_scan(segs, sender, int(mss))
    if delay is None:
        return a.why("no ACK for it")
    a.note("lone segment acknowledged after %d ms; %d of %d ACKs of the "
           "burst acknowledge 2 segments; steps:%s" % (
               delay, steps.count(2 * int(mss)), len(steps),
               "".join(" %d" % x for x in steps)))
    return True


def acks_once(a, segs, sender, mss):
    """The lone segment went once."""
    return a.expect("1", str(acks_scan(segs, sender, int(mss))[1]))


def acks_delayed(a, segs, sender, mss, least, most):
    """The lone segment's ACK came LEAST ms or more, less than MOST ms,
    after it."""
    delay = acks_scan(segs, sender, int(mss))[0]
    if delay is not None and int(least) <= delay < int(most):
        return True
    return a.why("acknowledged after %s ms (capture times)" % delay)


def acks_every_second(a, segs, sender, mss):
    """At least 5 ACKs of the burst acknowledge exactly two segments."""
    steps = acks_scan(segs, sender, int(mss))[2]
    twos = steps.count(2 * int(mss))
    if twos >= 5:
        return True
    return a.why("%d of %d ACKs acknowledge exactly 2 segments (at least 5 "
                 "expected)" % (twos, len(steps)),
                 "bytes each ACK acknowledged:" +
                 "".join(" %d" % x for x in steps))


def over_mss(a, segs, sender, mss, label, outsegs):
    """SENDER's new data segments and how many of them exceed MSS; notes
    them under LABEL with OUTSEGS, how much OutSegs grew."""
    new = new_data(segs, sender)[0]
    n = sum(s.len > int(mss) for s in new)
    a.note("%s: %d data segments captured, %d longer than %s, OutSegs +%s"
           % (label, len(new), n, mss, outsegs))
    return new, n


def gso_whole(a, segs, sender, mss, outsegs):
    """With TSO on, some of SENDER's data segments exceed MSS."""
    new, n = over_mss(a, segs, sender, mss, "TSO on", outsegs)
    return n > 0 or a.why("no data segment longer than %s in %d:" % (
        mss, len(new)), lens(new))


def gso_cut(a, segs, sender, mss, outsegs):
    """With TSO off, none of SENDER's data segments exceeds MSS."""
    return a.expect("0", str(over_mss(a, segs, sender, mss, "TSO off",
                                      outsegs)[1]))


CHECKS = {f.__name__: f for f in (
    seg_handshake, seg_mss, seg_csum_ok, seg_fin_close,
    seg_simultaneous_close, seg_rst_from, seg_refused, seg_bytes, seg_count,
    seg_rtx, seg_resent, segments, nagle_waits, nagle_coalesces, nodelay_early,
    nodelay_each, data_lens, uncorked, sws_exercised, sws_none, acks_lone,
    acks_once, acks_delayed, acks_every_second, gso_whole, gso_cut)}


def answer(cap, check, path, port, fresh, *args):
    """The answer's lines for one request."""
    out = []
    try:
        if fresh == "1":
            cap.read(path)
        ok = CHECKS[check](Answer(out), cap.port(path, port), *args)
    except Exception as e:  # a check that cannot run fails, and says why
        out.append("why wirecheck.py %s: %s: %s" % (
            check, type(e).__name__, e))
        ok = False
    out.append("= %d" % (0 if ok else 1))
    return out


def main():
    cap = Capture()
    if sys.argv[1:] == ["--serve"]:
        for req in sys.stdin:
            f = req.rstrip("\n").split("\t")
            print("\n".join(answer(cap, *f) if len(f) >= 4 else
                            ["why wirecheck.py: bad request", "= 1"]),
                  flush=True)
        return 0
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out = answer(cap, sys.argv[1], sys.argv[2], sys.argv[3], "1",
                 *sys.argv[4:])
    print("\n".join(out))
    return int(out[-1][2:])


if __name__ == "__main__":
    sys.exit(main())
