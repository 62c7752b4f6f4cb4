// SPDX-License-Identifier: GPL-2.0
/*
 * xss: list xtcp's sockets as "ss -t" lists Linux TCP's, from xtcp's
 * sock_diag handler (NETLINK_SOCK_DIAG, sdiag_family AF_XTCP).
 *
 *   xss [-a|-l] [-H] [-i] [-m] [-e] [-n] [-4|-6|-f FAMILY] [FILTER...]
 *
 *   -a  every state; -l  listeners only; otherwise connections (every
 *       state but LISTEN, TIME_WAIT, SYN_RECV and CLOSE), as ss
 *   -H  no header line
 *   -i  TCP_INFO, as "ss -i"; -m  socket memory (skmem); -e  uid (when
 *       not 0), inode, cookie, v6only for an IPv6 listener, and shutdown
 *       state; -n  accepted and ignored (xss prints numbers only, as ss -n)
 *   -4, -f inet: IPv4 sockets only; -6, -f inet6: IPv6 ones (an IPv6
 *       socket's IPv4 connection among them, v4-mapped), as ss; both by
 *       default. Addresses print as ss prints them: A.B.C.D:P, [IPV6]:P.
 *   FILTER: "state NAME" (established syn-sent syn-recv fin-wait-1
 *       fin-wait-2 time-wait closed close-wait last-ack listening closing,
 *       all, connected; repeatable), "sport = :N", "dport = :N",
 *       "src ADDR", "dst ADDR"
 *
 * For tests:
 *   xss --get LADDR:LPORT RADDR:RPORT [COOKIE]   one socket by its 4-tuple
 *       (and cookie, hex, as -e prints it), with -i -m -e; an endpoint is
 *       A.B.C.D:P or [IPV6]:P, both of one family
 *   xss --request short|proto|protoattr|bytecode|family|getunspec
 *       a malformed request (family: AF_UNIX in XTCP_DIAG_FAMILY; getunspec:
 *       a get with no family):
 *       prints "request ERRNO" (the errno's name) or "request OK"
 *
 * The family is /sys/module/xtcp/parameters/family, else 25 (AF_XTCP).
 * With XSS_PARTS set in the environment, a dump ends with "parts=N" on
 * stderr: the netlink datagrams it came in; XSS_RCVBUF=N receives at most
 * N bytes at a time, and the kernel sizes the dump's datagrams to that.
 * Exit status: 0, 1 if the request failed, 2 on usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../include/uapi/linux/xtcp.h"

#define TCP_LISTEN	10

static const char *const state_name[] = {
	[1] = "ESTAB", [2] = "SYN-SENT", [3] = "SYN-RECV", [4] = "FIN-WAIT-1",
	[5] = "FIN-WAIT-2", [6] = "TIME-WAIT", [7] = "UNCONN",
	[8] = "CLOSE-WAIT", [9] = "LAST-ACK", [10] = "LISTEN",
	[11] = "CLOSING",
};

/* The state names of ss's filter, in TCP_* order. */
static const char *const filter_name[] = {
	[1] = "established", [2] = "syn-sent", [3] = "syn-recv",
	[4] = "fin-wait-1", [5] = "fin-wait-2", [6] = "time-wait",
	[7] = "closed", [8] = "close-wait", [9] = "last-ack",
	[10] = "listening", [11] = "closing",
};

#define ALL_STATES	0xffe
#define CONN_STATES	(ALL_STATES & ~((1 << 10) | (1 << 6) | (1 << 3) | \
					(1 << 7)))

static bool opt_info, opt_mem, opt_ext, opt_header = true;
static int opt_family = AF_UNSPEC;

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: xss [-a|-l] [-H] [-i] [-m] [-e] [-n] [-4|-6|-f FAMILY] [state NAME]... [sport = :N] [dport = :N] [src ADDR] [dst ADDR]\n"
		"       xss --get LADDR:LPORT RADDR:RPORT [COOKIE]\n"
		"       xss --request short|proto|protoattr|bytecode|family|getunspec\n");
	exit(2);
}

static int xtcp_family(void)
{
	FILE *f = fopen("/sys/module/xtcp/parameters/family", "r");
	int fam = 25;

	if (f) {
		if (fscanf(f, "%d", &fam) != 1)
			fam = 25;
		fclose(f);
	}
	return fam;
}

static const char *errname(int err)
{
	switch (err) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EPERM: return "EPERM";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	}
	return strerror(err);
}

/*
 * An address, "A.B.C.D", "[IPV6]" or "*" (IPv4's any), into @addr (as
 * struct inet_diag_sockid has it); returns its family.
 */
static int parse_addr(const char *s, __be32 *addr)
{
	char buf[64];
	size_t n = strlen(s);

	memset(addr, 0, 4 * sizeof(*addr));
	if (!n || !strcmp(s, "*"))
		return AF_INET;
	if (inet_pton(AF_INET, s, addr) == 1)
		return AF_INET;
	if (s[0] == '[' && s[n - 1] == ']' && n - 2 < sizeof(buf)) {
		memcpy(buf, s + 1, n - 2);
		buf[n - 2] = 0;
		if (inet_pton(AF_INET6, buf, addr) == 1)
			return AF_INET6;
	}
	bad_usage();
	return AF_UNSPEC;
}

/* "ADDR:P" into an address and a port, network order; returns its family. */
static int parse_endpoint(const char *s, __be32 *addr, __be16 *port)
{
	char buf[64], *colon;

	snprintf(buf, sizeof(buf), "%s", s);
	colon = strrchr(buf, ':');
	if (!colon)
		bad_usage();
	*colon = 0;
	*port = htons(atoi(colon + 1));
	return parse_addr(buf, addr);
}

/* An endpoint as ss prints it: "A.B.C.D:P", "[IPV6]:P", "...:*" for port 0. */
static void endpoint(char *buf, size_t len, int family, const __be32 *addr,
		     __be16 port)
{
	char a[INET6_ADDRSTRLEN + 2], p[8];

	if (family == AF_INET6) {
		a[0] = '[';
		inet_ntop(AF_INET6, addr, a + 1, INET6_ADDRSTRLEN);
		strcat(a, "]");
	} else {
		inet_ntop(AF_INET, addr, a, sizeof(a));
	}
	if (port)
		snprintf(p, sizeof(p), "%u", ntohs(port));
	else
		snprintf(p, sizeof(p), "*");
	snprintf(buf, len, "%s:%s", a, p);
}

/* A rate as ss -n prints it. */
static void print_rate(const char *name, double bps)
{
	printf(" %s %.0fbps", name, bps);
}

/* The "ss -i" fields, in its order, each when ss prints it. */
static void print_info(const struct tcp_info *t, const char *cong)
{
	if (t->tcpi_options & TCPI_OPT_TIMESTAMPS)
		printf(" ts");
	if (t->tcpi_options & TCPI_OPT_SACK)
		printf(" sack");
	if (t->tcpi_options & TCPI_OPT_ECN)
		printf(" ecn");
	if (cong)
		printf(" %s", cong);
	if (t->tcpi_options & TCPI_OPT_WSCALE)
		printf(" wscale:%u,%u", t->tcpi_snd_wscale, t->tcpi_rcv_wscale);
	if (t->tcpi_rto && t->tcpi_rto != 3000000)
		printf(" rto:%g", t->tcpi_rto / 1000.0);
	if (t->tcpi_backoff)
		printf(" backoff:%u", t->tcpi_backoff);
	if (t->tcpi_rtt)
		printf(" rtt:%g/%g", t->tcpi_rtt / 1000.0,
		       t->tcpi_rttvar / 1000.0);
	if (t->tcpi_ato)
		printf(" ato:%g", t->tcpi_ato / 1000.0);
	if (t->tcpi_snd_mss)
		printf(" mss:%u", t->tcpi_snd_mss);
	if (t->tcpi_pmtu)
		printf(" pmtu:%u", t->tcpi_pmtu);
	if (t->tcpi_rcv_mss)
		printf(" rcvmss:%u", t->tcpi_rcv_mss);
	if (t->tcpi_advmss)
		printf(" advmss:%u", t->tcpi_advmss);
	if (t->tcpi_snd_cwnd)
		printf(" cwnd:%u", t->tcpi_snd_cwnd);
	if (t->tcpi_snd_ssthresh < 0xffff)
		printf(" ssthresh:%u", t->tcpi_snd_ssthresh);
	if (t->tcpi_bytes_sent)
		printf(" bytes_sent:%llu",
		       (unsigned long long)t->tcpi_bytes_sent);
	if (t->tcpi_bytes_retrans)
		printf(" bytes_retrans:%llu",
		       (unsigned long long)t->tcpi_bytes_retrans);
	if (t->tcpi_bytes_acked)
		printf(" bytes_acked:%llu",
		       (unsigned long long)t->tcpi_bytes_acked);
	if (t->tcpi_bytes_received)
		printf(" bytes_received:%llu",
		       (unsigned long long)t->tcpi_bytes_received);
	if (t->tcpi_segs_out)
		printf(" segs_out:%u", t->tcpi_segs_out);
	if (t->tcpi_segs_in)
		printf(" segs_in:%u", t->tcpi_segs_in);
	if (t->tcpi_data_segs_out)
		printf(" data_segs_out:%u", t->tcpi_data_segs_out);
	if (t->tcpi_data_segs_in)
		printf(" data_segs_in:%u", t->tcpi_data_segs_in);
	if (t->tcpi_rtt && t->tcpi_snd_mss && t->tcpi_snd_cwnd)
		print_rate("send", (double)t->tcpi_snd_cwnd * t->tcpi_snd_mss *
			   8 * 1e6 / t->tcpi_rtt);
	if (t->tcpi_last_data_sent)
		printf(" lastsnd:%u", t->tcpi_last_data_sent);
	if (t->tcpi_last_data_recv)
		printf(" lastrcv:%u", t->tcpi_last_data_recv);
	if (t->tcpi_last_ack_recv)
		printf(" lastack:%u", t->tcpi_last_ack_recv);
	if (t->tcpi_pacing_rate && t->tcpi_pacing_rate != ~0ULL)
		print_rate("pacing_rate", t->tcpi_pacing_rate * 8.0);
	if (t->tcpi_delivery_rate)
		print_rate("delivery_rate", t->tcpi_delivery_rate * 8.0);
	if (t->tcpi_unacked)
		printf(" unacked:%u", t->tcpi_unacked);
	if (t->tcpi_retrans || t->tcpi_total_retrans)
		printf(" retrans:%u/%u", t->tcpi_retrans,
		       t->tcpi_total_retrans);
	if (t->tcpi_lost)
		printf(" lost:%u", t->tcpi_lost);
	if (t->tcpi_sacked && t->tcpi_state != TCP_LISTEN)
		printf(" sacked:%u", t->tcpi_sacked);
	if (t->tcpi_reordering != 3)
		printf(" reordering:%u", t->tcpi_reordering);
	if (t->tcpi_rcv_rtt)
		printf(" rcv_rtt:%g", t->tcpi_rcv_rtt / 1000.0);
	if (t->tcpi_rcv_space)
		printf(" rcv_space:%u", t->tcpi_rcv_space);
	if (t->tcpi_rcv_ssthresh)
		printf(" rcv_ssthresh:%u", t->tcpi_rcv_ssthresh);
	if (t->tcpi_notsent_bytes)
		printf(" notsent:%u", t->tcpi_notsent_bytes);
	if (t->tcpi_min_rtt)
		printf(" minrtt:%g", t->tcpi_min_rtt / 1000.0);
	if (t->tcpi_snd_wnd)
		printf(" snd_wnd:%u", t->tcpi_snd_wnd);
}

/* One answer: the ss line, and the -i/-m line under it. */
static void print_msg(struct nlmsghdr *nlh)
{
	struct inet_diag_msg *r = NLMSG_DATA(nlh);
	struct rtattr *tb[INET_DIAG_MAX + 1] = { 0 };
	int len = nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*r));
	struct tcp_info info;
	char loc[64], peer[64];
	struct rtattr *a;

	for (a = (struct rtattr *)(r + 1); RTA_OK(a, len);
	     a = RTA_NEXT(a, len))
		if (a->rta_type <= INET_DIAG_MAX)
			tb[a->rta_type] = a;
	endpoint(loc, sizeof(loc), r->idiag_family, r->id.idiag_src,
		 r->id.idiag_sport);
	endpoint(peer, sizeof(peer), r->idiag_family, r->id.idiag_dst,
		 r->id.idiag_dport);
	printf("%-10s %-6u %-6u %-21s %-21s",
	       r->idiag_state < 12 && state_name[r->idiag_state] ?
	       state_name[r->idiag_state] : "UNKNOWN",
	       r->idiag_rqueue, r->idiag_wqueue, loc, peer);
	if (opt_ext) {
		if (r->idiag_uid)
			printf(" uid:%u", r->idiag_uid);
		printf(" ino:%u sk:%llx", r->idiag_inode,
		       (unsigned long long)r->id.idiag_cookie[1] << 32 |
		       r->id.idiag_cookie[0]);
		if (tb[INET_DIAG_SKV6ONLY])
			printf(" v6only:%u", *(unsigned char *)
			       RTA_DATA(tb[INET_DIAG_SKV6ONLY]));
		if (tb[INET_DIAG_SHUTDOWN]) {
			unsigned char m = *(unsigned char *)
					  RTA_DATA(tb[INET_DIAG_SHUTDOWN]);

			printf(" %c-%c", m & 1 ? '-' : '<', m & 2 ? '-' : '>');
		}
	}
	if ((opt_mem && tb[INET_DIAG_SKMEMINFO]) ||
	    (opt_info && tb[INET_DIAG_INFO])) {
		printf("\n\t");
		if (opt_mem && tb[INET_DIAG_SKMEMINFO]) {
			const uint32_t *m = RTA_DATA(tb[INET_DIAG_SKMEMINFO]);

			printf(" skmem:(r%u,rb%u,t%u,tb%u,f%u,w%u,o%u,bl%u,d%u)",
			       m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7],
			       m[8]);
		}
		if (opt_info && tb[INET_DIAG_INFO]) {
			memset(&info, 0, sizeof(info));
			memcpy(&info, RTA_DATA(tb[INET_DIAG_INFO]),
			       RTA_PAYLOAD(tb[INET_DIAG_INFO]) < sizeof(info) ?
			       RTA_PAYLOAD(tb[INET_DIAG_INFO]) : sizeof(info));
			print_info(&info, tb[INET_DIAG_CONG] ?
				   RTA_DATA(tb[INET_DIAG_CONG]) : NULL);
		}
	}
	printf("\n");
}

/*
 * Receive the answers to the request just sent, print each with @show.
 * Return: 0, or the negative errno of the error or of the dump's end.
 */
static int parts;

static int receive(int fd, bool show, int *count)
{
	static uint64_t words[8192];	/* aligned for struct nlmsghdr */
	char *buf = (char *)words;
	const char *env = getenv("XSS_RCVBUF");
	size_t size = sizeof(words);
	struct nlmsghdr *nlh;
	ssize_t len;

	if (env && atoi(env) > 0 && (size_t)atoi(env) < size)
		size = atoi(env);
	for (;;) {
		len = recv(fd, buf, size, MSG_TRUNC);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)len > size)
			return -EMSGSIZE;
		parts++;
		if (len == 0)
			return -EIO;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int *err = NLMSG_DATA(nlh);

				return nlh->nlmsg_len >= NLMSG_LENGTH(4) &&
				       *err < 0 ? *err : 0;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				return e->error;
			}
			if (show)
				print_msg(nlh);
			(*count)++;
			if (!(nlh->nlmsg_flags & NLM_F_MULTI))
				return 0;
		}
	}
}

struct request {
	struct nlmsghdr nlh;
	struct inet_diag_req_v2 r;
	char attrs[64];
};

static int diag_socket(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0) {
		perror("xss: socket(AF_NETLINK)");
		exit(1);
	}
	return fd;
}

static int send_request(int fd, struct request *q)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(fd, q, q->nlh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		perror("xss: sendto");
		return -1;
	}
	return 0;
}

static void init_request(struct request *q, uint16_t flags)
{
	memset(q, 0, sizeof(*q));
	q->nlh.nlmsg_len = NLMSG_LENGTH(sizeof(q->r));
	q->nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	q->nlh.nlmsg_seq = 1;
	q->r.sdiag_family = xtcp_family();
	q->r.sdiag_protocol = IPPROTO_TCP;
	XTCP_DIAG_FAMILY(&q->r) = opt_family;
	q->r.idiag_ext = (1 << (INET_DIAG_INFO - 1)) |
			 (1 << (INET_DIAG_CONG - 1)) |
			 (1 << (INET_DIAG_SKMEMINFO - 1));
}

/* Append attribute @type of @len bytes (zeros) to the request. */
static void add_attr(struct request *q, int type, int len)
{
	struct rtattr *a = (struct rtattr *)((char *)q +
					     NLMSG_ALIGN(q->nlh.nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	memset(RTA_DATA(a), 0, len);
	q->nlh.nlmsg_len = NLMSG_ALIGN(q->nlh.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static int bad_request(const char *kind)
{
	struct request q;
	int fd = diag_socket(), err, count = 0;

	init_request(&q, NLM_F_DUMP);
	q.r.idiag_states = ALL_STATES;
	if (!strcmp(kind, "short"))		/* a sock_diag_req, no more */
		q.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(struct sock_diag_req));
	else if (!strcmp(kind, "proto"))	/* no such protocol */
		q.r.sdiag_protocol = IPPROTO_UDP;
	else if (!strcmp(kind, "protoattr"))	/* 2 bytes where 4 go */
		add_attr(&q, INET_DIAG_REQ_PROTOCOL, 2);
	else if (!strcmp(kind, "bytecode"))	/* a filter xtcp does not run */
		add_attr(&q, INET_DIAG_REQ_BYTECODE, 4);
	else if (!strcmp(kind, "family"))	/* no IP family */
		XTCP_DIAG_FAMILY(&q.r) = AF_UNIX;
	else if (!strcmp(kind, "getunspec"))	/* a get without one */
		q.nlh.nlmsg_flags &= ~NLM_F_DUMP;
	else
		bad_usage();
	if (send_request(fd, &q))
		return 1;
	err = receive(fd, false, &count);
	if (err)
		printf("request %s\n", errname(-err));
	else
		printf("request OK %d\n", count);
	close(fd);
	return 0;
}

static void print_header(void)
{
	if (opt_header)
		printf("%-10s %-6s %-6s %-21s %-21s\n", "State", "Recv-Q",
		       "Send-Q", "Local Address:Port", "Peer Address:Port");
}

static int get_one(int argc, char **argv)
{
	struct request q;
	unsigned long long cookie;
	int fd, err, fam, count = 0;

	if (argc < 2)
		bad_usage();
	init_request(&q, 0);
	fam = parse_endpoint(argv[0], q.r.id.idiag_src, &q.r.id.idiag_sport);
	if (parse_endpoint(argv[1], q.r.id.idiag_dst,
			   &q.r.id.idiag_dport) != fam)
		bad_usage();
	XTCP_DIAG_FAMILY(&q.r) = fam;
	q.r.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	q.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (argc > 2) {
		cookie = strtoull(argv[2], NULL, 16);
		q.r.id.idiag_cookie[0] = (uint32_t)cookie;
		q.r.id.idiag_cookie[1] = (uint32_t)(cookie >> 32);
	}
	opt_info = true;
	opt_mem = true;
	opt_ext = true;
	fd = diag_socket();
	if (send_request(fd, &q))
		return 1;
	print_header();
	err = receive(fd, true, &count);
	close(fd);
	if (err) {
		printf("get %s\n", errname(-err));
		return 1;
	}
	return 0;
}

/* The one-letter options of ss that xss knows. */
static void short_options(const char *a, uint32_t *mode)
{
	for (; *a; a++) {
		switch (*a) {
		case 'a':
			*mode = ALL_STATES;
			break;
		case 'l':
			*mode = 1 << TCP_LISTEN;
			break;
		case 'H':
			opt_header = false;
			break;
		case 'i':
			opt_info = true;
			break;
		case 'm':
			opt_mem = true;
			break;
		case 'e':
			opt_ext = true;
			break;
		case 'n':
		case 't':
			break;
		case '4':
			opt_family = AF_INET;
			break;
		case '6':
			opt_family = AF_INET6;
			break;
		default:
			bad_usage();
		}
	}
}

/*
 * The arguments as words, as ss takes a filter: "( sport = :80 )" in one
 * argument or in several, the parentheses dropped.
 */
static int words(int argc, char **argv, char **w, int max)
{
	int i, n = 0;
	char *t;

	for (i = 1; i < argc; i++) {
		for (t = strtok(argv[i], " \t"); t; t = strtok(NULL, " \t")) {
			while (*t == '(')
				t++;
			while (*t && t[strlen(t) - 1] == ')')
				t[strlen(t) - 1] = 0;
			if (!*t)
				continue;
			if (n == max)
				bad_usage();
			w[n++] = t;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	uint32_t states = 0, mode = CONN_STATES;
	int i, s, fd, err, nw, count = 0;
	struct request q;
	char *w[64];

	if (argc > 1 && !strcmp(argv[1], "--get"))
		return get_one(argc - 2, argv + 2);
	if (argc > 2 && !strcmp(argv[1], "--request"))
		return bad_request(argv[2]);
	init_request(&q, NLM_F_DUMP);
	nw = words(argc, argv, w, 64);
	for (i = 0; i < nw; i++) {
		const char *a = w[i];

		if (!strcmp(a, "-f") && i + 1 < nw) {
			a = w[++i];
			if (!strcmp(a, "inet"))
				opt_family = AF_INET;
			else if (!strcmp(a, "inet6"))
				opt_family = AF_INET6;
			else
				bad_usage();
		} else if (a[0] == '-' && a[1] && a[1] != '-') {
			short_options(a + 1, &mode);
		} else if (!strcmp(a, "state") && i + 1 < nw) {
			a = w[++i];
			if (!strcmp(a, "all"))
				states |= ALL_STATES;
			else if (!strcmp(a, "connected"))
				states |= CONN_STATES;
			for (s = 1; s < 12; s++)
				if (!strcmp(a, filter_name[s]))
					states |= 1 << s;
			if (!states)
				bad_usage();
		} else if ((!strcmp(a, "sport") || !strcmp(a, "dport")) &&
			   i + 2 < nw && !strcmp(w[i + 1], "=") &&
			   w[i + 2][0] == ':') {
			__be16 port = htons(atoi(w[i + 2] + 1));

			if (a[0] == 's')
				q.r.id.idiag_sport = port;
			else
				q.r.id.idiag_dport = port;
			i += 2;
		} else if ((!strcmp(a, "src") || !strcmp(a, "dst")) &&
			   i + 1 < nw) {
			__be32 *addr = a[0] == 's' ? q.r.id.idiag_src :
				       q.r.id.idiag_dst;

			parse_addr(w[++i], addr);
		} else {
			bad_usage();
		}
	}
	q.r.idiag_states = states ? states : mode;
	XTCP_DIAG_FAMILY(&q.r) = opt_family;
	fd = diag_socket();
	if (send_request(fd, &q))
		return 1;
	print_header();
	err = receive(fd, true, &count);
	close(fd);
	if (getenv("XSS_PARTS"))
		fprintf(stderr, "parts=%d\n", parts);
	if (err) {
		fprintf(stderr, "xss: %s\n", errname(-err));
		return 1;
	}
	return 0;
}
