// SPDX-License-Identifier: GPL-2.0
/*
 * libxtcp-preload.so: put an unmodified program's TCP sockets on xtcp.
 *
 *   LD_PRELOAD=/usr/local/lib/libxtcp-preload.so PROGRAM ARGS...
 *   xtcp-run PROGRAM ARGS...                  (the same, shorter)
 *
 * What moves: a socket(AF_INET or AF_INET6, SOCK_STREAM [| SOCK_NONBLOCK |
 * SOCK_CLOEXEC], 0 or IPPROTO_TCP). Everything else (UDP, unix, raw,
 * netlink, packet...) goes to the C library untouched.
 *
 * Two modes:
 *
 * - Everything (neither variable below set): socket() itself returns an
 *   xtcp socket (AF_XTCP, read from /sys/module/xtcp/parameters/family).
 *
 * - Restricted: XTCP_PORTS=80,8080 and/or XTCP_ADDRS=10.0.1.2,fd00::2
 *   (IPv4 or IPv6 addresses; an IPv4 one also matches its v4-mapped form
 *   ::ffff:a.b.c.d). socket() returns an ordinary Linux TCP socket,
 *   remembered as a candidate. The first bind() or connect() on it decides:
 *   if its address (bind: the local one, connect: the remote one) has a
 *   port in XTCP_PORTS and an address in XTCP_ADDRS (a variable not set
 *   matches everything; port 0 and the any addresses 0.0.0.0 and ::
 *   match only when listed),
 *   the Linux socket is replaced, on the same descriptor, by an xtcp one
 *   before the call goes on: the new socket gets the options the program
 *   set so far with setsockopt() (replayed in order, last value of each),
 *   the file status flags (O_NONBLOCK, from SOCK_NONBLOCK, fcntl or
 *   FIONBIO) and the close-on-exec flag, and takes the descriptor's number
 *   with dup3(). Either way the decision is final: a socket that did not
 *   match stays Linux TCP, even if it connect()s after a bind(). So
 *   XTCP_PORTS=8080 on a server moves only its listener on port 8080 (and
 *   so the connections it accepts); on a client it moves only connections
 *   to port 8080.
 *   What a deferred move cannot carry over, by design: a duplicate of the
 *   descriptor made before the bind()/connect() (dup, fork) still refers to
 *   the old Linux socket, and an epoll registration made before it refers
 *   to the old file. Programs create, configure, then bind or connect, so
 *   neither comes up in practice.
 *   A replayed option that xtcp refuses fails the bind()/connect() with
 *   that errno and a message, rather than running the socket without it.
 *
 * xtcp not loaded: socket() falls back to the normal socket, with one
 * message on stderr per process (XTCP_QUIET=1 silences it).
 * XTCP_VERBOSE=1 prints a line on stderr for each socket moved.
 *
 * What programs see: xtcp's addresses are sockaddr_in already
 * (getsockname, getpeername, accept); getsockopt(SO_DOMAIN) is the one
 * call that would show xtcp's family, and is answered AF_INET here.
 *
 * IPv6. One xtcp socket serves both families: its first bind() or
 * connect() with a sockaddr_in6 makes it an IPv6 one, as Linux's AF_INET6
 * sockets are (v4-mapped peers unless IPV6_V6ONLY, sockaddr_in6 from
 * getsockname, getpeername and accept). Until then xtcp cannot tell it
 * from an IPv4 socket, so for one made AF_INET6 (remembered by descriptor
 * and socket cookie) the library does what Linux's AF_INET6 socket would:
 * a bind() or connect() with a shorter address than a sockaddr_in6 fails
 * with EINVAL and one of another family with EAFNOSUPPORT (xtcp would
 * make an IPv4 socket of it); listen() before bind() binds [::] to a
 * port of the kernel's choice first, as Linux's listen() does (xtcp's
 * would take 0.0.0.0); getsockname() before bind() says [::]:0, and
 * SO_DOMAIN AF_INET6. IPV6_V6ONLY set before bind() is xtcp's as it is.
 * Once bound or connected the socket shows its family itself: SO_DOMAIN
 * follows getsockname()'s (an accepted socket's too). A socket made
 * AF_INET gets EAFNOSUPPORT for a sockaddr_in6, as Linux's does.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SIN6_LEN_RFC2133
#define SIN6_LEN_RFC2133 24	/* a sockaddr_in6 without sin6_scope_id */
#endif

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

#define MAX_LIST	64	/* ports or addresses in a variable */
#define MAX_OPT_LEN	128	/* largest option value replayed */

struct opt {
	struct opt *next;
	int level, name;
	socklen_t len;
	unsigned char val[MAX_OPT_LEN];
};

/* A candidate socket of restricted mode, by descriptor number. */
struct cand {
	unsigned long long cookie;	/* which socket: fds are reused */
	int domain, type, proto;
	struct opt *opts;
};

/* The family a moved socket was made with, by descriptor number. */
struct moved {
	unsigned long long cookie;
	int domain;
};

static int (*real_socket)(int, int, int);
static int (*real_bind)(int, const struct sockaddr *, socklen_t);
static int (*real_connect)(int, const struct sockaddr *, socklen_t);
static int (*real_setsockopt)(int, int, int, const void *, socklen_t);
static int (*real_getsockopt)(int, int, int, void *, socklen_t *);
static int (*real_getsockname)(int, struct sockaddr *, socklen_t *);
static int (*real_listen)(int, int);
static int (*real_close)(int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int restricted, verbose, quiet;
static unsigned short ports[MAX_LIST];
static int nports = -1;		/* -1: variable not set */
static struct in6_addr addrs[MAX_LIST];	/* IPv4 ones v4-mapped */
static int naddrs = -1;
static struct cand **cands;	/* by fd */
static int ncands;
static struct moved *moveds;	/* by fd; cookie 0: none */
static int nmoveds;

static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "xtcp-preload[%d]: ", (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	/* write(): no stdio buffer of the program's to disturb */
	if (write(2, buf, n) < 0)
		return;
}

/* A comma-separated list of ports or addresses; -1 if the variable is unset. */
static int parse_list(const char *var, int is_addr)
{
	char *s = getenv(var), *copy, *tok, *save;
	int n = 0;

	if (!s)
		return -1;
	copy = strdup(s);
	if (!copy)
		return 0;
	for (tok = strtok_r(copy, ", ", &save); tok && n < MAX_LIST;
	     tok = strtok_r(NULL, ", ", &save)) {
		struct in_addr a;
		char *end;
		long p;

		if (is_addr) {
			if (inet_pton(AF_INET, tok, &a) == 1) {
				memset(&addrs[n], 0, sizeof(addrs[n]));
				addrs[n].s6_addr[10] = 0xff;
				addrs[n].s6_addr[11] = 0xff;
				memcpy(&addrs[n++].s6_addr[12], &a, 4);
			} else if (inet_pton(AF_INET6, tok, &addrs[n]) == 1) {
				n++;
			} else {
				say("%s: '%s' is not an IP address, ignored",
				    var, tok);
			}
			continue;
		}
		p = strtol(tok, &end, 10);
		if (*end || p < 0 || p > 65535)
			say("%s: '%s' is not a port, ignored", var, tok);
		else
			ports[n++] = p;
	}
	free(copy);
	return n;
}

static void init(void)
{
	real_socket = dlsym(RTLD_NEXT, "socket");
	real_bind = dlsym(RTLD_NEXT, "bind");
	real_connect = dlsym(RTLD_NEXT, "connect");
	real_setsockopt = dlsym(RTLD_NEXT, "setsockopt");
	real_getsockopt = dlsym(RTLD_NEXT, "getsockopt");
	real_getsockname = dlsym(RTLD_NEXT, "getsockname");
	real_listen = dlsym(RTLD_NEXT, "listen");
	real_close = dlsym(RTLD_NEXT, "close");
	verbose = getenv("XTCP_VERBOSE") && *getenv("XTCP_VERBOSE") == '1';
	quiet = getenv("XTCP_QUIET") && *getenv("XTCP_QUIET") == '1';
	nports = parse_list("XTCP_PORTS", 0);
	naddrs = parse_list("XTCP_ADDRS", 1);
	restricted = nports >= 0 || naddrs >= 0;
}

/* The family xtcp registered, or -1 (with one message) if it is not loaded. */
static int xtcp_family(void)
{
	static int family;	/* 0: not read yet */
	int fd, fam = -1;
	char buf[16];
	ssize_t n;

	if (__atomic_load_n(&family, __ATOMIC_RELAXED))
		return family;
	fd = open("/sys/module/xtcp/parameters/family", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = 0;
			fam = atoi(buf);
		}
		real_close(fd);
	}
	if (fam <= 0) {
		fam = -1;
		if (!quiet)
			say("xtcp is not loaded: TCP sockets stay Linux TCP");
	}
	__atomic_store_n(&family, fam, __ATOMIC_RELAXED);
	return fam;
}

/* socket() arguments that make a Linux TCP socket over IPv4 or IPv6. */
static int is_inet_tcp(int domain, int type, int protocol)
{
	return (domain == AF_INET || domain == AF_INET6) &&
	       (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) == SOCK_STREAM &&
	       (protocol == 0 || protocol == IPPROTO_TCP);
}

static unsigned long long cookie_of(int fd)
{
	unsigned long long c = 0;
	socklen_t len = sizeof(c);

	if (real_getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &len))
		return 0;
	return c;
}

static void cand_free(struct cand *c)
{
	struct opt *o, *next;

	if (!c)
		return;
	for (o = c->opts; o; o = next) {
		next = o->next;
		free(o);
	}
	free(c);
}

/* Under lock: forget fd's candidate, if any; it is returned, not freed. */
static struct cand *cand_take(int fd)
{
	struct cand *c;

	if (fd < 0 || fd >= ncands)
		return NULL;
	c = cands[fd];
	cands[fd] = NULL;
	return c;
}

static void cand_add(int fd, int domain, int type, int proto)
{
	struct cand *c = calloc(1, sizeof(*c)), **grown;
	int n;

	if (!c)
		return;
	c->cookie = cookie_of(fd);
	c->domain = domain;
	c->type = type;
	c->proto = proto;
	pthread_mutex_lock(&lock);
	if (fd >= ncands) {
		n = fd + 64;
		grown = realloc(cands, n * sizeof(*cands));
		if (!grown) {
			pthread_mutex_unlock(&lock);
			free(c);
			return;
		}
		memset(grown + ncands, 0, (n - ncands) * sizeof(*cands));
		cands = grown;
		ncands = n;
	}
	cand_free(cand_take(fd));
	cands[fd] = c;
	pthread_mutex_unlock(&lock);
}

/* Remember that fd, now an xtcp socket, was made with domain. */
static void moved_add(int fd, int domain)
{
	unsigned long long cookie = cookie_of(fd);
	struct moved *grown;
	int n;

	pthread_mutex_lock(&lock);
	if (fd >= nmoveds) {
		n = fd + 64;
		grown = realloc(moveds, n * sizeof(*moveds));
		if (!grown) {
			pthread_mutex_unlock(&lock);
			say("fd %d: out of memory: its family is not remembered",
			    fd);
			return;
		}
		memset(grown + nmoveds, 0, (n - nmoveds) * sizeof(*moveds));
		moveds = grown;
		nmoveds = n;
	}
	moveds[fd].cookie = cookie;
	moveds[fd].domain = domain;
	pthread_mutex_unlock(&lock);
}

/*
 * The family fd was made with if the library moved it to xtcp (AF_INET
 * or AF_INET6), else 0: not a socket it moved, or the descriptor now
 * holds another socket.
 */
static int moved_domain(int fd)
{
	unsigned long long cookie = 0;
	int domain = 0;

	pthread_mutex_lock(&lock);
	if (fd >= 0 && fd < nmoveds) {
		cookie = moveds[fd].cookie;
		domain = moveds[fd].domain;
	}
	pthread_mutex_unlock(&lock);
	if (!cookie || cookie != cookie_of(fd))
		return 0;
	return domain;
}

static void moved_forget(int fd)
{
	pthread_mutex_lock(&lock);
	if (fd >= 0 && fd < nmoveds)
		moveds[fd].cookie = 0;
	pthread_mutex_unlock(&lock);
}

/* The family of fd's address: AF_INET6 once xtcp made it an IPv6 socket. */
static int kernel_family(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (real_getsockname(fd, (struct sockaddr *)&ss, &len))
		return -1;
	return ss.ss_family;
}

/*
 * Linux's checks of an address for bind() or connect() on a socket made
 * domain, which xtcp does not make while it cannot tell the family
 * (see the top of this file): 0, or -1 with errno set.
 */
static int check_family(int domain, const struct sockaddr *addr,
			socklen_t len)
{
	if (!addr)
		return 0;	/* the kernel's EFAULT */
	if (domain == AF_INET6) {
		/* inet6_bind_sk() and tcp_v6_connect() */
		if (len < SIN6_LEN_RFC2133) {
			errno = EINVAL;
			return -1;
		}
		if (addr->sa_family != AF_INET6) {
			errno = EAFNOSUPPORT;
			return -1;
		}
		return 0;
	}
	/* inet_bind() and tcp_v4_connect(); AF_UNSPEC is the kernel's */
	if (len >= sizeof(struct sockaddr_in) &&
	    addr->sa_family == AF_INET6) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return 0;
}

int socket(int domain, int type, int protocol)
{
	int fam, fd;

	pthread_once(&once, init);
	if (!is_inet_tcp(domain, type, protocol))
		return real_socket(domain, type, protocol);
	if (restricted) {
		fd = real_socket(domain, type, protocol);
		if (fd >= 0)
			cand_add(fd, domain, type, protocol);
		return fd;
	}
	fam = xtcp_family();
	if (fam < 0)
		return real_socket(domain, type, protocol);
	fd = real_socket(fam, type, protocol);
	if (fd < 0 && errno == EAFNOSUPPORT) {
		/* unloaded since we looked */
		if (!quiet)
			say("xtcp is gone: Linux TCP instead");
		return real_socket(domain, type, protocol);
	}
	if (fd >= 0)
		moved_add(fd, domain);
	if (fd >= 0 && verbose)
		say("fd %d: xtcp%s", fd, domain == AF_INET6 ? " (IPv6)" : "");
	return fd;
}

/* Does a bind() or connect() to addr, on a socket made domain, move it? */
static int listed(int domain, const struct sockaddr *addr, socklen_t len)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)addr;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;
	struct in6_addr a;
	in_port_t port;
	int i, ok;

	if (!addr)
		return 0;
	/* An address Linux refuses (check_family()) leaves it Linux's. */
	if (domain == AF_INET && len >= sizeof(*sin) &&
	    sin->sin_family == AF_INET) {
		memset(&a, 0, sizeof(a));
		a.s6_addr[10] = 0xff;
		a.s6_addr[11] = 0xff;
		memcpy(&a.s6_addr[12], &sin->sin_addr, 4);
		port = sin->sin_port;
	} else if (domain == AF_INET6 && len >= SIN6_LEN_RFC2133 &&
		   sin6->sin6_family == AF_INET6) {
		a = sin6->sin6_addr;
		port = sin6->sin6_port;
	} else {
		return 0;
	}
	if (nports >= 0) {
		for (ok = 0, i = 0; i < nports; i++)
			ok |= ports[i] == ntohs(port);
		if (!ok)
			return 0;
	}
	if (naddrs >= 0) {
		for (ok = 0, i = 0; i < naddrs; i++)
			ok |= !memcmp(&addrs[i], &a, sizeof(a));
		if (!ok)
			return 0;
	}
	return 1;
}

/*
 * Replace fd's Linux socket by an xtcp socket with the options, status and
 * descriptor flags the program gave it. 0, or -1 with errno set and fd
 * untouched.
 */
static int move(int fd, const struct cand *c)
{
	int fam = xtcp_family(), xfd, fl, fdfl, err;
	const struct opt *o;

	if (fam < 0)
		return 0;	/* said once; stays Linux TCP */
	fl = fcntl(fd, F_GETFL);
	fdfl = fcntl(fd, F_GETFD);
	if (fl < 0 || fdfl < 0)
		return -1;
	xfd = real_socket(fam, SOCK_STREAM | SOCK_CLOEXEC, c->proto);
	if (xfd < 0) {
		if (errno != EAFNOSUPPORT)
			return -1;
		if (!quiet)
			say("xtcp refused the socket: fd %d stays Linux TCP",
			    fd);
		return 0;
	}
	for (o = c->opts; o; o = o->next) {
		if (!real_setsockopt(xfd, o->level, o->name, o->val, o->len))
			continue;
		err = errno;
		say("fd %d: xtcp refuses setsockopt(%d, %d) the program made: %s",
		    fd, o->level, o->name, strerror(err));
		real_close(xfd);
		errno = err;
		return -1;
	}
	if (fcntl(xfd, F_SETFL, fl) < 0 ||
	    dup3(xfd, fd, fdfl & FD_CLOEXEC ? O_CLOEXEC : 0) < 0) {
		err = errno;
		real_close(xfd);
		errno = err;
		return -1;
	}
	real_close(xfd);
	moved_add(fd, c->domain);
	if (verbose)
		say("fd %d: moved to xtcp%s", fd,
		    c->domain == AF_INET6 ? " (IPv6)" : "");
	return 0;
}

/* Restricted mode, at the first bind() or connect(): move fd or not. */
static int decide(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct cand *c;
	int ret = 0;

	pthread_mutex_lock(&lock);
	c = cand_take(fd);
	pthread_mutex_unlock(&lock);
	if (!c)
		return 0;
	if (c->cookie == cookie_of(fd) && listed(c->domain, addr, len))
		ret = move(fd, c);
	cand_free(c);
	return ret;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	int domain;

	pthread_once(&once, init);
	if (restricted && decide(fd, addr, len))
		return -1;
	domain = moved_domain(fd);
	if (domain && check_family(domain, addr, len))
		return -1;
	return real_bind(fd, addr, len);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	int domain;

	pthread_once(&once, init);
	if (restricted && decide(fd, addr, len))
		return -1;
	domain = moved_domain(fd);
	/* AF_UNSPEC disconnects, in every family (__inet_stream_connect()) */
	if (domain && addr && len >= sizeof(addr->sa_family) &&
	    addr->sa_family != AF_UNSPEC && check_family(domain, addr, len))
		return -1;
	return real_connect(fd, addr, len);
}

/*
 * listen() before bind() on a socket made AF_INET6: Linux's takes a port
 * on [::] (dual-stack unless IPV6_V6ONLY), xtcp's on 0.0.0.0 as it cannot
 * tell the family; so bind [::]:0 first, which is the same thing.
 */
int listen(int fd, int backlog)
{
	struct sockaddr_in6 any = { .sin6_family = AF_INET6 };

	pthread_once(&once, init);
	if (moved_domain(fd) == AF_INET6 && kernel_family(fd) == AF_INET &&
	    real_bind(fd, (struct sockaddr *)&any, sizeof(any)) &&
	    errno != EINVAL)	/* EINVAL: bound after all; listen() says */
		return -1;
	return real_listen(fd, backlog);
}

/* getsockname() before bind() on a socket made AF_INET6 says [::]:0. */
int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct sockaddr_in6 any = { .sin6_family = AF_INET6 };
	socklen_t room;
	int ret;

	pthread_once(&once, init);
	if (!len) {
		errno = EFAULT;
		return -1;
	}
	room = *len;
	ret = real_getsockname(fd, addr, len);
	if (ret || *len < sizeof(sa_family_t) || addr->sa_family != AF_INET ||
	    moved_domain(fd) != AF_INET6)
		return ret;
	/* not bound yet: an IPv6 socket's any address, truncated as the kernel */
	memcpy(addr, &any, room < sizeof(any) ? room : sizeof(any));
	*len = sizeof(any);
	return 0;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct opt *o, **p;
	struct cand *c;
	int ret;

	pthread_once(&once, init);
	ret = real_setsockopt(fd, level, name, val, len);
	if (ret || !restricted)
		return ret;
	pthread_mutex_lock(&lock);
	c = fd >= 0 && fd < ncands ? cands[fd] : NULL;
	if (c) {
		for (p = &c->opts; *p; p = &(*p)->next)
			if ((*p)->level == level && (*p)->name == name)
				break;
		o = *p;
		if (!o && len <= MAX_OPT_LEN) {
			o = calloc(1, sizeof(*o));
			*p = o;
		}
		if (o && len <= MAX_OPT_LEN) {
			o->level = level;
			o->name = name;
			o->len = len;
			memcpy(o->val, val, len);
		} else {
			say("fd %d: option (%d, %d) of %u bytes is too long to replay on xtcp",
			    fd, level, name, (unsigned int)len);
		}
	}
	pthread_mutex_unlock(&lock);
	return ret;
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	int ret, fam;

	pthread_once(&once, init);
	ret = real_getsockopt(fd, level, name, val, len);
	if (ret || level != SOL_SOCKET || name != SO_DOMAIN ||
	    !val || !len || *len < sizeof(int))
		return ret;
	/* Read xtcp's family only for a socket that may be xtcp's. */
	fam = *(int *)val;
	if (fam != AF_INET && fam != AF_INET6 && fam != AF_UNIX &&
	    fam == xtcp_family())
		/* AF_INET6 if made so, or made IPv6 by bind/connect/accept */
		*(int *)val = moved_domain(fd) == AF_INET6 ||
			      kernel_family(fd) == AF_INET6 ?
			      AF_INET6 : AF_INET;
	return ret;
}

int close(int fd)
{
	pthread_once(&once, init);
	if (restricted) {
		struct cand *c;

		pthread_mutex_lock(&lock);
		c = cand_take(fd);
		pthread_mutex_unlock(&lock);
		cand_free(c);
	}
	moved_forget(fd);
	return real_close(fd);
}
