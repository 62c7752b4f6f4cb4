# SPDX-License-Identifier: GPL-2.0
"""What a program sees under libxtcp-preload.so (selftests/preload.sh).

Usage: python3 preload.py MODE PORT [PORT2]; prints "name value" lines.
Each socket's stack is read from /proc/net: "xtcp" when its inode is in
/proc/net/xtcp, "tcp" in /proc/net/tcp, and so on.
"""
import errno
import fcntl
import os
import socket
import sys

LO = "127.0.0.1"
TABLES = (("xtcp", 9), ("tcp", 9), ("tcp6", 9), ("udp", 9), ("unix", 6))


def where(s):
    ino = str(os.fstat(s.fileno()).st_ino)
    for name, col in TABLES:
        try:
            with open("/proc/net/" + name) as f:
                for line in f.readlines()[1:]:
                    w = line.split()
                    if len(w) > col and w[col] == ino:
                        return name
        except OSError:
            pass
    return "none"


def out(name, value):
    print(name, value, flush=True)


def sol(s, opt):
    return s.getsockopt(socket.SOL_SOCKET, opt)


def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((LO, port))
    s.listen(8)
    return s


def basic(port):
    s = listener(port)
    out("listener", where(s))
    out("ids", "%d/%d/%d" % (sol(s, socket.SO_DOMAIN), sol(s, socket.SO_TYPE),
                             sol(s, socket.SO_PROTOCOL)))
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    c.connect((LO, port))
    a, peer = s.accept()
    out("client", where(c))
    out("accepted", where(a))
    out("families", "%d/%d/%d/%d" % (a.family, sol(a, socket.SO_DOMAIN),
                                     len(peer), c.getsockname()[1] > 0))
    out("peer", "%s %s" % (c.getpeername()[0], a.getpeername() == c.getsockname()))
    c.sendall(b"ping")
    out("data", a.recv(4).decode())
    # Not TCP over IPv4: left alone
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((LO, port))
    out("udp", where(u))
    x, y = socket.socketpair()
    out("unix", where(x))
    try:
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s6.bind(("::1", port))
        s6.listen(1)
        out("tcp6", where(s6))
    except OSError as e:
        out("tcp6", "unsupported:" + errno.errorcode[e.errno])


def restrict(port, port2):
    s1 = listener(port)
    s2 = listener(port2)
    out("listener1", where(s1))
    out("listener2", where(s2))
    for p, n in ((port, "1"), (port2, "2")):
        c = socket.socket()
        c.connect((LO, p))
        a, _ = (s1 if p == port else s2).accept()
        out("client" + n, where(c))
        out("accepted" + n, where(a))


def replay(port):
    # options, status and descriptor flags set before bind() must survive
    # the move to xtcp
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 50000)   # last counts
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 77)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1000)
    s.setblocking(False)
    s.set_inheritable(True)
    fd = s.fileno()
    s.bind((LO, port))
    s.listen(1)
    out("where", where(s))
    out("fd", "same" if s.fileno() == fd else "changed")
    out("rcvbuf", sol(s, socket.SO_RCVBUF))
    out("keepalive", sol(s, socket.SO_KEEPALIVE))
    out("nodelay", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    out("keepidle", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE))
    out("maxseg", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG))
    out("nonblock", int(bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)))
    out("cloexec", fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
    t = socket.socket()      # CLOEXEC, blocking: kept too
    t.bind((LO, port + 1))
    t.listen(1)
    out("where2", where(t))
    out("nonblock2", int(bool(fcntl.fcntl(t.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK)))
    out("cloexec2", fcntl.fcntl(t.fileno(), fcntl.F_GETFD) & fcntl.FD_CLOEXEC)


def refuse(port):
    # Linux TCP takes TCP_FASTOPEN, xtcp does not: the move fails the bind
    s = socket.socket()
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 5)
    try:
        s.bind((LO, port))
        out("bind", "OK")
    except OSError as e:
        out("bind", errno.errorcode[e.errno])
    s.close()
    s = socket.socket()
    s.bind((LO, port))
    s.listen(1)
    out("after", where(s))


def fallback(port):
    s = listener(port)
    t = listener(port + 1)
    out("where", where(s) + "," + where(t))
    out("domain", sol(s, socket.SO_DOMAIN))


mode = sys.argv[1]
ports = [int(p) for p in sys.argv[2:]]
{"basic": basic, "restrict": restrict, "replay": replay, "refuse": refuse,
 "fallback": fallback}[mode](*ports)
