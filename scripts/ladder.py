#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw an xtcp connection as a ladder diagram, from the module's traces.

Reads the text of /sys/kernel/tracing/trace with the xtcp:xtcp_set_state
and xtcp:xtcp_segment_out events enabled, finds the first connection that
went CLOSE -> SYN_SENT (the client) and draws every segment either side
sent and every state either side entered, in the order they happened, the
way TCP textbooks draw them. Sequence numbers are shown relative to each
side's ISN, the absolute ISN once on the SYN.

Usage: ladder.py TRACE_FILE
"""
import re
import sys

STATE = re.compile(r'\s(\d+\.\d+): xtcp_set_state: (\S+) (\S+) (\w+) -> (\w+)')
SEG = re.compile(r'\s(\d+\.\d+): xtcp_segment_out: (\S+) (\S+) \[([^\]]*)\] '
                 r'seq=(\d+) ack=(\d+) win=(\d+) len=(\d+) mss=(\d+)')
FLAGS = [('S', 'SYN'), ('F', 'FIN'), ('R', 'RST'), ('P', 'PSH'), ('.', 'ACK')]
WIDTH = 66


def parse(lines):
    events = []
    for line in lines:
        m = STATE.search(line)
        if m:
            events.append(('state', float(m[1]), m[2], m[3], m[4], m[5]))
            continue
        m = SEG.search(line)
        if m:
            events.append(('seg', float(m[1]), m[2], m[3], m[4],
                           int(m[5]), int(m[6]), int(m[7]), int(m[8]),
                           int(m[9])))
    return events


def flag_names(f):
    return ','.join(name for c, name in FLAGS if c in f)


def main():
    with open(sys.argv[1]) as f:
        events = parse(f)
    start = next((e for e in events if e[0] == 'state' and
                  e[4] == 'CLOSE' and e[5] == 'SYN_SENT'), None)
    if not start:
        sys.exit('ladder: no connection found in the trace')
    client, server = start[2], start[3]
    server_port = server.rsplit(':', 1)[1]  # [IPV6]:PORT too
    isn = {}
    t0 = start[1]
    left = 'client ' + client
    right = 'server ' + server
    print(f'{"":8} {left:<{WIDTH // 2}}{right:>{WIDTH // 2 + 12}}')
    rule = f'{"":8} {"":12}|{"":{WIDTH}}|'

    for e in events:
        if e[1] < t0 and not (e[0] == 'state' and e[5] == 'LISTEN'):
            continue
        t = f'{max(e[1] - t0, 0):7.3f}s'
        if e[0] == 'state':
            _, _, local, remote, old, new = e
            if local == client and remote == server:
                print(f'{t} {new:>12}|{"":{WIDTH}}|')
            elif local == server and remote == client:
                print(f'{t} {"":12}|{"":{WIDTH}}| {new}')
            elif local.endswith(':' + server_port) and remote.endswith(':0'):
                print(f'{t} {"":12}|{"":{WIDTH}}| {new} (listener)')
            continue
        _, _, local, remote, flags, seq, ack, win, ln, mss = e
        if {local, remote} != {client, server}:
            continue
        if 'S' in flags:
            isn[local] = seq
        rel = seq - isn.get(local, seq)
        label = f' {flag_names(flags)} seq={rel & 0xffffffff}'
        if '.' in flags and remote in isn:
            label += f' ack={(ack - isn[remote]) & 0xffffffff}'
        if ln:
            label += f' len={ln}'
        label += f' win={win}'
        if mss:
            label += f' <mss {mss}>'
        if 'S' in flags:
            label += f' (ISN {seq})'
        label += ' '
        if local == client:
            line = '--' + label
            line = line + '-' * (WIDTH - len(line) - 1) + '>'
        else:
            line = '<' + '-' * (WIDTH - len(label) - 3) + label + '--'
        print(f'{t} {"":12}|{line[:WIDTH]:<{WIDTH}}|')
    print(rule)


if __name__ == '__main__':
    main()
