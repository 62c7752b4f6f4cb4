/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP Fast Open (RFC 7413), as Linux TCP does it: net.xtcp.fastopen with
 * tcp_fastopen's bits, a server's cookies (a keyed hash of the client's
 * address), a client's cache of the cookies servers gave it. The server's
 * decision on a SYN is a pure function here, tested by KUnit; the rest is
 * mod/fastopen.c.
 */
#ifndef _XTCP_FASTOPEN_H
#define _XTCP_FASTOPEN_H

#include <linux/types.h>
#include <xtcp/options.h>

/* net.xtcp.fastopen: the bits of Linux's net.ipv4.tcp_fastopen. */
#define XTCP_FO_CLIENT			0x1
#define XTCP_FO_SERVER			0x2
#define XTCP_FO_SERVER_NO_COOKIE	0x200

/* Our cookies are 8 bytes, as Linux's (TCP_FASTOPEN_COOKIE_SIZE). */
#define XTCP_FO_COOKIE_LEN		8
/* A namespace's client cache holds the cookies of this many servers. */
#define XTCP_FO_CACHE_MAX		1024

/**
 * enum xtcp_fo_verdict - what a listener does with a SYN, for Fast Open
 * @XTCP_FO_NONE: the usual handshake, no cookie in the SYN-ACK
 * @XTCP_FO_COOKIE: the usual handshake; the SYN-ACK gives the client its
 *	cookie (it asked for one, or brought a wrong one: its data is not
 *	acknowledged and it sends it again after the handshake)
 * @XTCP_FO_CHILD: a connection at once, in SYN_RECEIVED, the SYN's data
 *	queued for the reader and acknowledged by the SYN-ACK
 * @XTCP_FO_OVERFLOW: as many Fast Open children wait for their handshake's
 *	ACK as the listener's TCP_FASTOPEN queue length allows: the usual
 *	handshake, no cookie (TCPFastOpenListenOverflow)
 */
enum xtcp_fo_verdict {
	XTCP_FO_NONE,
	XTCP_FO_COOKIE,
	XTCP_FO_CHILD,
	XTCP_FO_OVERFLOW,
};

/**
 * struct xtcp_fo_in - what the server's decision depends on
 * @sysctl: net.xtcp.fastopen
 * @max_qlen: the listener's setsockopt(TCP_FASTOPEN) queue length, 0 for off
 * @qlen: its Fast Open children still in SYN_RECEIVED
 * @has_opt: the SYN carries a Fast Open option (kind 34 or 254/0xF989)
 * @cookie_len: the cookie's length in it, 0 for a request
 * @cookie_ok: that cookie is the one we give this client
 * @syn_data: the SYN carries data
 */
struct xtcp_fo_in {
	int sysctl;
	u32 max_qlen;
	u32 qlen;
	bool has_opt;
	u8 cookie_len;
	bool cookie_ok;
	bool syn_data;
};

/**
 * xtcp_fo_decide() - the server's answer to a SYN, as tcp_try_fastopen()
 * @in: the SYN, the listener and the namespace
 *
 * Only with the server bit and a listener that set a queue length. A SYN
 * with neither data nor the option is no Fast Open. The bound on pending
 * children holds before any cookie is looked at. With
 * XTCP_FO_SERVER_NO_COOKIE every such SYN gets a child; else a valid
 * cookie does (with data or not: the client may then send before the
 * handshake ends), a request or a wrong cookie gets the right one.
 *
 * Return: the verdict.
 */
static inline enum xtcp_fo_verdict xtcp_fo_decide(const struct xtcp_fo_in *in)
{
	if (!(in->sysctl & XTCP_FO_SERVER) || !in->max_qlen)
		return XTCP_FO_NONE;
	if (!in->syn_data && !in->has_opt)
		return XTCP_FO_NONE;
	if (in->qlen >= in->max_qlen)
		return XTCP_FO_OVERFLOW;
	if (in->sysctl & XTCP_FO_SERVER_NO_COOKIE)
		return XTCP_FO_CHILD;
	if (!in->has_opt)
		return XTCP_FO_NONE;
	if (in->cookie_len && in->cookie_ok)
		return XTCP_FO_CHILD;
	return XTCP_FO_COOKIE;
}

struct net;
struct sock;
struct sk_buff;
struct xtcp_hnode;

int xtcp_fastopen_net_init(struct net *net);
void xtcp_fastopen_net_exit(struct net *net);
void xtcp_fastopen_cookie_gen(struct net *net, const struct xtcp_hnode *h,
			      struct xtcp_fo_cookie *c);
enum xtcp_fo_verdict xtcp_fastopen_syn(struct sock *listener,
				       struct sk_buff *skb);
void xtcp_fastopen_child_start(struct sock *child, struct sock *listener);
void xtcp_fastopen_child_done(struct sock *sk);
bool xtcp_fastopen_cookie_get(struct sock *sk, struct xtcp_fo_cookie *c,
			      u16 *mss);
void xtcp_fastopen_synack(struct sock *sk, struct sk_buff *skb);

#endif /* _XTCP_FASTOPEN_H */
