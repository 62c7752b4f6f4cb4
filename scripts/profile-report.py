#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Flat profiles of the UML kernel from host perf samples, side by side.

Usage: profile-report.py KALLSYMS MODULES TOP LABEL=SAMPLES...

Each SAMPLES file is the output of "perf script -F ip,sym,dso" for one
run. perf names what lies in the linux binary (vmlinux) itself, but
xtcp.ko lives in memory the guest allocated, which perf sees as anonymous:
those addresses are named here from the guest's /proc/kallsyms and
/proc/modules (UML's kernel addresses are the host process's own).
Samples in the host's kernel (UML's system calls: ptrace, signals,
timers) are counted as "[host kernel]": the cost of running the guest
kernel as a process, not of what it does. Prints, for each run, the
TOP functions by share of samples, in columns, then the samples per MB
moved (DONE files, key=value lines from profile-guest) so that runs of
different speed compare by work per byte, not by share alone.
"""

import bisect
import collections
import sys


def load_kallsyms(path):
    """Sorted text symbol addresses and their names ("fn [module]")."""
    syms = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3 or parts[1] not in "tTwW":
                continue
            addr = int(parts[0], 16)
            if not addr:
                continue
            name = parts[2]
            if len(parts) > 3:
                name += " " + parts[3]
            syms.append((addr, name))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def load_modules(path):
    """[start, end) of each module's memory, from /proc/modules."""
    ranges = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and parts[5].startswith("0x"):
                base = int(parts[5], 16)
                ranges.append((base, base + int(parts[1]), parts[0]))
    return ranges


def name_of(line, addrs, names, mods):
    """The function a "perf script" line's sample fell in."""
    parts = line.split(None, 1)
    if not parts:
        return None
    try:
        ip = int(parts[0], 16)
    except ValueError:
        return None
    rest = parts[1].strip() if len(parts) > 1 else ""
    sym = rest.rsplit(" (", 1)[0].strip() if rest else "[unknown]"
    if ip >= 1 << 63:
        return "[host kernel]"
    if sym.startswith("[unknown]") or not sym:
        for start, end, mod in mods:
            if start <= ip < end:
                i = bisect.bisect_right(addrs, ip) - 1
                if i >= 0 and names[i].endswith("[%s]" % mod):
                    return names[i]
                return "[%s]" % mod
        dso = rest.rsplit(" (", 1)[-1].rstrip(")") if "(" in rest else "?"
        return "[unknown %s]" % dso.split("/")[-1]
    return sym.split("+")[0]


def profile(path, addrs, names, mods):
    counts = collections.Counter()
    with open(path) as f:
        for line in f:
            n = name_of(line, addrs, names, mods)
            if n:
                counts[n] += 1
    return counts


def load_done(path):
    kv = {}
    try:
        with open(path) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                kv[k] = v
    except OSError:
        pass
    return kv


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    addrs, names = load_kallsyms(sys.argv[1])
    mods = load_modules(sys.argv[2])
    top = int(sys.argv[3])
    runs = []
    for arg in sys.argv[4:]:
        label, _, path = arg.partition("=")
        done = load_done(path.rsplit(".", 1)[0] + ".done")
        runs.append((label, profile(path, addrs, names, mods), done))

    width = 46
    print("  ".join("%-*s" % (width, "%s: %d samples" % (l, sum(c.values())))
                    for l, c, _ in runs))
    rows = [c.most_common(top) for _, c, _ in runs]
    for i in range(top):
        cells = []
        for (label, c, _), r in zip(runs, rows):
            total = sum(c.values()) or 1
            if i < len(r):
                cells.append("%5.1f%% %-*s" % (100.0 * r[i][1] / total,
                                               width - 7, r[i][0][:width - 7]))
            else:
                cells.append(" " * width)
        print("  ".join(cells).rstrip())

    print()
    for label, c, d in runs:
        total = sum(c.values())
        sent = d.get("sent", "").split()
        nbytes = int(sent[0].split("=")[1]) if sent else 0
        tm = dict(w.split("=") for w in d.get("time", "").split() if "=" in w)
        ms = int(tm.get("ms", 0) or 0)
        pk = int(d.get("tx_packets", 0) or 0)
        tb = int(d.get("tx_bytes", 0) or 0)
        segs = d.get("out_segs", "?")
        line = "%s: status %s, %d bytes in %d ms" % (label, d.get("status", "?"),
                                                   nbytes, ms)
        if ms:
            line += " (%.2f MB/s)" % (nbytes / ms / 1000.0)
        if nbytes:
            guest = total - c["[host kernel]"]
            line += (", %.0f samples per MB (%.0f without the host kernel)"
                     % (total / (nbytes / 1e6), guest / (nbytes / 1e6)))
        print(line)
        if pk:
            print("    sender's veth: %d packets (skbs), %.0f bytes each%s;"
                  " stack OutSegs %s, RetransSegs %s; receiver sent %s"
                  % (pk, tb / pk,
                     ", %.0f packets/s" % (pk * 1000.0 / ms) if ms else "",
                     segs, d.get("retrans", "?"), d.get("acks", "?")))


if __name__ == "__main__":
    main()
