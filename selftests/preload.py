# SPDX-License-Identifier: GPL-2.0
"""What a program sees under libxtcp-preload.so (selftests/preload.sh).

Usage: python3 preload.py MODE PORT [PORT2]; prints "name value" lines.
Each socket's stack is read from /proc/net: "xtcp" when its inode is in
/proc/net/xtcp, "tcp" in /proc/net/tcp, and so on.
"""
import ctypes
import errno
import fcntl
import os
import socket
import struct
import subprocess
import sys

LO = "127.0.0.1"
LO6 = "::1"
FAM = socket.AF_INET
TABLES = (("xtcp", 9), ("xtcp6", 9), ("tcp", 9), ("tcp6", 9), ("udp", 9),
          ("unix", 6))


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
    s = socket.socket(FAM)
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
    # Not TCP: left alone
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((LO, port))
    out("udp", where(u))
    x, y = socket.socketpair()
    out("unix", where(x))
    # TCP over IPv6 moves too (another port: an xtcp IPv6 socket's port
    # is held for IPv4 too, README's IPv6)
    try:
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s6.bind(("::1", port + 50))
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
        c = socket.socket(FAM)
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
    # Linux TCP takes TCP_DEFER_ACCEPT, xtcp does not: the move fails the bind
    s = socket.socket()
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 5)
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


def err(f, *args):
    """"OK" or the errno's name of f(*args)."""
    try:
        f(*args)
        return "OK"
    except OSError as e:
        return errno.errorcode[e.errno]


def cerr(rc):
    return "OK" if rc == 0 else errno.errorcode[ctypes.get_errno()]


def v6(port):
    # What an AF_INET6 TCP socket does; every line but where* must read
    # the same under xtcp-run as on Linux TCP (preload.sh compares).
    V6ONLY = (socket.IPPROTO_IPV6, socket.IPV6_V6ONLY)
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    out("fresh", "%s %d %d" % (s.getsockname()[:2] + (sol(s, socket.SO_DOMAIN),)))
    out("v6only_default", s.getsockopt(*V6ONLY))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((LO6, port))
    s.listen(8)
    out("where_listener", where(s))
    out("ids", "%d/%d/%d" % (sol(s, socket.SO_DOMAIN), sol(s, socket.SO_TYPE),
                             sol(s, socket.SO_PROTOCOL)))
    c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    c.connect((LO6, port))
    a, peer = s.accept()
    out("where_client", where(c))
    out("where_accepted", where(a))
    out("families", "%d/%d/%d/%d" % (a.family, sol(a, socket.SO_DOMAIN),
                                     sol(c, socket.SO_DOMAIN), len(peer)))
    out("peer", "%s %s %s" % (c.getpeername()[0], a.getsockname()[0],
                              a.getpeername() == c.getsockname()))
    c.sendall(b"ping")
    out("data", a.recv(4).decode())
    # listen() before bind(): a port on [::], for IPv4 clients too
    l = socket.socket(socket.AF_INET6)
    l.listen(4)
    name = l.getsockname()
    out("autobind", "%s %s" % (name[0], name[1] > 0))
    out("where_autobind", where(l))
    c4 = socket.socket(socket.AF_INET)
    c4.connect((LO, name[1]))
    a4, p4 = l.accept()
    out("autobind_v4", "%s %s %d" % (p4[0], a4.getsockname()[0],
                                     sol(a4, socket.SO_DOMAIN)))
    # an IPv4 peer through its v4-mapped address
    l4 = socket.socket(socket.AF_INET)
    l4.bind((LO, port + 1))
    l4.listen(4)
    m = socket.socket(socket.AF_INET6)
    m.connect(("::ffff:" + LO, port + 1))
    am, pm = l4.accept()
    out("mapped", "%s %s %d %s" % (m.getpeername()[0], m.getsockname()[0],
                                   sol(m, socket.SO_DOMAIN), pm[0]))
    out("where_mapped", where(m))
    m.sendall(b"pong")
    out("mapped_data", am.recv(4).decode())
    # IPV6_V6ONLY before bind(): no IPv4 clients, no v4-mapped anything
    o = socket.socket(socket.AF_INET6)
    o.setsockopt(*V6ONLY, 1)
    o.bind(("::", port + 2))
    o.listen(4)
    out("where_v6only", where(o))
    r = [str(o.getsockopt(*V6ONLY))]
    r.append(err(socket.socket(socket.AF_INET).connect, (LO, port + 2)))
    r.append(err(socket.socket(socket.AF_INET6).connect, (LO6, port + 2)))
    x = socket.socket(socket.AF_INET6)
    x.setsockopt(*V6ONLY, 1)
    r.append(err(x.connect, ("::ffff:" + LO, port + 1)))
    x = socket.socket(socket.AF_INET6)
    x.setsockopt(*V6ONLY, 1)
    r.append(err(x.bind, ("::ffff:" + LO, port + 3)))
    out("v6only", " ".join(r))
    # a sockaddr_in given to an AF_INET6 socket and the other way round,
    # through the C library (Python would not build them)
    libc = ctypes.CDLL(None, use_errno=True)
    sin = struct.pack("=HH4s8x", socket.AF_INET, socket.htons(port + 4),
                      socket.inet_aton(LO))
    y = socket.socket(socket.AF_INET6)
    r = [cerr(libc.bind(y.fileno(), sin, 16)),
         cerr(libc.bind(y.fileno(), sin + bytes(12), 28)),
         cerr(libc.connect(y.fileno(), sin, 16)),
         cerr(libc.connect(y.fileno(), sin + bytes(12), 28))]
    out("inet_addr", " ".join(r))
    out("inet_addr_after", "%s %d" % y.getsockname()[:2])
    sin6 = struct.pack("=HHI16sI", socket.AF_INET6, socket.htons(port + 4),
                       0, socket.inet_pton(socket.AF_INET6, LO6), 0)
    z = socket.socket(socket.AF_INET)
    out("inet6_addr", "%s %s" % (cerr(libc.bind(z.fileno(), sin6, 28)),
                                 cerr(libc.connect(z.fileno(), sin6, 28))))


CLIENT = """import os, socket, sys
c = socket.create_connection(("::1", int(sys.argv[1])))
ino = str(os.fstat(c.fileno()).st_ino)
print("peer_where", "tcp6" if any(l.split()[9] == ino for l in
      open("/proc/net/tcp6").readlines()[1:]) else "other", flush=True)
c.sendall(b"x" * 100000)
c.shutdown(socket.SHUT_WR)
n = 0
while True:
    b = c.recv(65536)
    if not b:
        break
    n += len(b)
print("peer_got", n, flush=True)
"""


def peer6(port):
    # A Linux TCP client (a python without the library) to a listener of
    # ours on [::1]: 100000 bytes up, 50000 down.
    s = socket.socket(socket.AF_INET6)
    s.bind((LO6, port))
    s.listen(1)
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    p = subprocess.Popen([sys.executable, "-S", "-E", "-c", CLIENT, str(port)],
                         env=env)
    a, _ = s.accept()
    out("where_accepted", where(a))
    n = 0
    while True:
        b = a.recv(65536)
        if not b:
            break
        n += len(b)
    out("got", n)
    a.sendall(b"y" * 50000)
    a.close()
    p.wait()


def restrict6(port, port2):
    global LO, FAM
    LO, FAM = LO6, socket.AF_INET6
    restrict(port, port2)


def mapped_restrict(port):
    # XTCP_ADDRS=127.0.0.1,:: : an IPv4 listener on 127.0.0.1 moves, an
    # AF_INET6 client to ::ffff:127.0.0.1 moves (its IPv4 address is
    # listed); IPV6_V6ONLY set before a bind() to [::] is replayed.
    l4 = listener(port)
    m = socket.socket(socket.AF_INET6)
    m.connect(("::ffff:" + LO, port))
    a, _ = l4.accept()
    out("mapped", "%s %s %s" % (where(l4), where(m), where(a)))
    o = socket.socket(socket.AF_INET6)
    o.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    o.bind(("::", port + 1))
    o.listen(1)
    out("v6only", "%s %d %s" % (
        where(o), o.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY),
        err(socket.socket(socket.AF_INET).connect, (LO, port + 1))))


mode = sys.argv[1]
ports = [int(p) for p in sys.argv[2:]]
{"basic": basic, "restrict": restrict, "replay": replay, "refuse": refuse,
 "fallback": fallback, "v6": v6, "peer6": peer6, "restrict6": restrict6,
 "mapped_restrict": mapped_restrict}[mode](*ports)
