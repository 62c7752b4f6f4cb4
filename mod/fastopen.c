// SPDX-License-Identifier: GPL-2.0
/*
 * TCP Fast Open (RFC 7413), as Linux TCP does it (net/ipv4/tcp_fastopen.c
 * read for its behaviour; written anew here):
 *
 * - The server's cookie for a client is 8 bytes of SipHash over the
 *   client's and our address under a per-namespace secret, random at the
 *   namespace's birth. A SYN with the right
 *   cookie makes a connection at once (listen.c): its data is read
 *   before the handshake's last ACK, and the SYN-ACK acknowledges it.
 *   How many such children may wait for that ACK is the listener's
 *   setsockopt(TCP_FASTOPEN) queue length, counted here: a child counts
 *   from its SYN until it is established or closed.
 * - The client keeps the cookies servers gave it, by server address, in a
 *   per-namespace cache of at most XTCP_FO_CACHE_MAX entries (the least
 *   recently used goes first), freed with the namespace.
 */

#include <crypto/algapi.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xtcp/fastopen.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>

/**
 * struct xtcp_fo_entry - a server's cookie in the client's cache
 * @hnode: in xtcp_net.fo_hash
 * @lru: in xtcp_net.fo_lru
 * @addr: the server's address (IPv4 ones v4-mapped)
 * @cookie: its cookie
 * @mss: the MSS its SYN-ACK announced, 0 if none: what a SYN's data fits
 */
struct xtcp_fo_entry {
	struct hlist_node hnode;
	struct list_head lru;
	struct in6_addr addr;
	struct xtcp_fo_cookie cookie;
	u16 mss;
};

const struct xtcp_fo_cookie xtcp_fo_request = { .len = 0 };

int xtcp_fastopen_net_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	int i;

	get_random_bytes(&xn->fo_key, sizeof(xn->fo_key));
	spin_lock_init(&xn->fo_lock);
	INIT_LIST_HEAD(&xn->fo_lru);
	for (i = 0; i < ARRAY_SIZE(xn->fo_hash); i++)
		INIT_HLIST_HEAD(&xn->fo_hash[i]);
	xn->fo_count = 0;
	return 0;
}

/* The namespace goes (or the module): its cache with it. */
void xtcp_fastopen_net_exit(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	struct xtcp_fo_entry *e, *tmp;

	spin_lock_bh(&xn->fo_lock);
	list_for_each_entry_safe(e, tmp, &xn->fo_lru, lru) {
		hlist_del(&e->hnode);
		list_del(&e->lru);
		kfree(e);
	}
	xn->fo_count = 0;
	spin_unlock_bh(&xn->fo_lock);
}

/**
 * xtcp_fastopen_cookie_gen() - the cookie we give a client
 * @net: the namespace, whose secret keys the hash
 * @h: the connection's 4-tuple from our side (IPv6 if @h->v6)
 * @c: filled with the 8-byte cookie
 *
 * Over both addresses, as Linux's: a cookie holds for one client and one
 * server address, whatever the ports.
 */
void xtcp_fastopen_cookie_gen(struct net *net, const struct xtcp_hnode *h,
			      struct xtcp_fo_cookie *c)
{
	const siphash_key_t *key = &xtcp_net(net)->fo_key;
	u64 v;

	if (h->v6) {
		const struct xtcp_key6 *k6 = xtcp_hkey6((struct xtcp_hnode *)h);
		struct in6_addr a[2] = { k6->raddr, k6->laddr };

		v = siphash(a, sizeof(a), key);
	} else {
		v = siphash_2u32((__force u32)h->key.raddr,
				 (__force u32)h->key.laddr, key);
	}
	memset(c, 0, sizeof(*c));
	c->len = XTCP_FO_COOKIE_LEN;
	BUILD_BUG_ON(sizeof(v) != XTCP_FO_COOKIE_LEN);
	memcpy(c->val, &v, sizeof(v));
}

/**
 * xtcp_fastopen_syn() - what a listener does with a SYN, for Fast Open
 * @listener: the listener, locked
 * @skb: the SYN, parsed
 *
 * Gathers what xtcp_fo_decide() needs (the cookie checked in constant
 * time) and counts as Linux: TCPFastOpenCookieReqd for a request,
 * TCPFastOpenPassiveFail for a wrong cookie, TCPFastOpenListenOverflow
 * when the queue length is reached.
 *
 * Return: the verdict.
 */
enum xtcp_fo_verdict xtcp_fastopen_syn(struct sock *listener,
				       struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *lxs = xtcp_sk(listener);
	struct net *net = sock_net(listener);
	struct xtcp_fo_cookie got, want;
	enum xtcp_fo_verdict v;
	struct xtcp_hnode6 h6;
	struct xtcp_fo_in in = {
		.sysctl = READ_ONCE(xtcp_net(net)->fastopen),
		.max_qlen = READ_ONCE(lxs->fo_max_qlen),
	};

	if (!(in.sysctl & XTCP_FO_SERVER) || !in.max_qlen)
		return XTCP_FO_NONE;
	in.has_opt = !xtcp_opts_fastopen((const u8 *)(tcp_hdr(skb) + 1),
					 &seg->opts, &got);
	in.cookie_len = got.len;
	in.syn_data = seg->len > 0;
	in.qlen = READ_ONCE(lxs->lq->fo_qlen);
	if (in.has_opt && got.len) {
		xtcp_seg_hkey(seg, &h6.h);
		xtcp_fastopen_cookie_gen(net, &h6.h, &want);
		in.cookie_ok = got.len == want.len &&
			       !crypto_memneq(got.val, want.val, want.len);
	}
	if (in.has_opt && !got.len)
		xtcp_mib_inc(net, XTCP_MIB_TFOCOOKIEREQD);
	v = xtcp_fo_decide(&in);
	if (v == XTCP_FO_OVERFLOW)
		xtcp_mib_inc(net, XTCP_MIB_TFOLISTENOVERFLOW);
	if (v == XTCP_FO_COOKIE && got.len)
		xtcp_mib_inc(net, XTCP_MIB_TFOPASSIVEFAIL);
	return v;
}

/**
 * xtcp_fastopen_child_start() - a Fast Open child counts on its listener
 * @child: the new child, in SYN_RECEIVED
 * @listener: its listener, whose fo_qlen counts it until the child leaves
 *	SYN_RECEIVED (xtcp_fastopen_child_done())
 */
void xtcp_fastopen_child_start(struct sock *child, struct sock *listener)
{
	struct xtcp_sock *xs = xtcp_sk(child), *lxs = xtcp_sk(listener);

	sock_hold(listener);
	xs->fo_listener = lxs;
	xs->fo_child = 1;
	spin_lock_bh(&lxs->lq->lock);
	lxs->lq->fo_qlen++;
	spin_unlock_bh(&lxs->lq->lock);
}

/**
 * xtcp_fastopen_child_done() - a connection is established, or ends
 * @sk: the connection, locked
 *
 * A Fast Open child no longer counts against its listener's queue
 * length: the handshake's ACK came, or it ended. It holds the listener
 * until then, accepted or not, so the count is always the listener's.
 */
void xtcp_fastopen_child_done(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_sock *lxs = xs->fo_listener;

	if (!xs->fo_child || !lxs)
		return;
	spin_lock_bh(&lxs->lq->lock);
	lxs->lq->fo_qlen--;
	spin_unlock_bh(&lxs->lq->lock);
	xs->fo_child = 0;
	xs->fo_listener = NULL;
	sock_put(&lxs->inet.sk);
}

/* The server's address, as the cache keys it. */
static void xtcp_fo_peer(const struct sock *sk, struct in6_addr *a)
{
	if (xtcp_sk(sk)->h.v6)
		*a = sk->sk_v6_daddr;
	else
		ipv6_addr_set_v4mapped(inet_sk(sk)->inet_daddr, a);
}

static struct xtcp_fo_entry *xtcp_fo_find(struct xtcp_net *xn,
					  const struct in6_addr *a,
					  struct hlist_head **head)
{
	struct xtcp_fo_entry *e;

	*head = &xn->fo_hash[ipv6_addr_hash(a) % ARRAY_SIZE(xn->fo_hash)];
	hlist_for_each_entry(e, *head, hnode)
		if (ipv6_addr_equal(&e->addr, a))
			return e;
	return NULL;
}

/**
 * xtcp_fastopen_cookie_get() - the cookie cached for a client's server
 * @sk: the connecting socket, its peer set
 * @c: filled with the cookie
 * @mss: filled with the MSS the server announced, 0 if unknown
 *
 * Return: true if a cookie is cached.
 */
bool xtcp_fastopen_cookie_get(struct sock *sk, struct xtcp_fo_cookie *c,
			      u16 *mss)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_fo_entry *e;
	struct hlist_head *head;
	struct in6_addr a;

	xtcp_fo_peer(sk, &a);
	spin_lock_bh(&xn->fo_lock);
	e = xtcp_fo_find(xn, &a, &head);
	if (e) {
		*c = e->cookie;
		*mss = e->mss;
		list_move_tail(&e->lru, &xn->fo_lru);
	}
	spin_unlock_bh(&xn->fo_lock);
	return e;
}

/* Remember a server's cookie; the least recently used goes if full. */
static void xtcp_fastopen_cookie_set(struct sock *sk,
				     const struct xtcp_fo_cookie *c, u16 mss)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_fo_entry *e, *fresh;
	struct hlist_head *head;
	struct in6_addr a;

	xtcp_fo_peer(sk, &a);
	fresh = kzalloc(sizeof(*fresh), GFP_ATOMIC);
	spin_lock_bh(&xn->fo_lock);
	e = xtcp_fo_find(xn, &a, &head);
	if (!e && xn->fo_count >= XTCP_FO_CACHE_MAX) {
		e = list_first_entry(&xn->fo_lru, struct xtcp_fo_entry, lru);
		hlist_del(&e->hnode);
		e->addr = a;
		hlist_add_head(&e->hnode, head);
	} else if (!e && fresh) {
		e = fresh;
		fresh = NULL;
		e->addr = a;
		hlist_add_head(&e->hnode, head);
		list_add_tail(&e->lru, &xn->fo_lru);
		xn->fo_count++;
	}
	if (e) {
		e->cookie = *c;
		e->mss = mss;
		list_move_tail(&e->lru, &xn->fo_lru);
	}
	spin_unlock_bh(&xn->fo_lock);
	kfree(fresh);
}

/**
 * xtcp_fastopen_synack() - a client's SYN-ACK, for Fast Open
 * @sk: the connection in SYN_SENT, locked; SND.UNA already at SEG.ACK
 * @skb: the SYN-ACK, acceptable
 *
 * A cookie in it goes to the cache. The data our SYN carried is counted
 * TCPFastOpenActive if the SYN-ACK acknowledges all of it; else
 * TCPFastOpenActiveFail, and what it did not acknowledge is sent again
 * after the handshake (SND.NXT goes back to SEG.ACK).
 */
void xtcp_fastopen_synack(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_seg *seg = xtcp_seg(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	struct xtcp_fo_cookie c;

	if (!xs->fo_req)
		return;
	xs->fo_req = 0;
	if (!xtcp_opts_fastopen((const u8 *)(tcp_hdr(skb) + 1), &seg->opts,
				&c) && c.len)
		xtcp_fastopen_cookie_set(sk, &c,
					 (seg->opts.present & XTCP_HAS_MSS) ?
					 seg->opts.mss : 0);
	if (!xs->fo_syn_len)
		return;
	if (seg->ack == xs->iss + 1 + xs->fo_syn_len) {
		xs->syn_data = 1;
		xtcp_mib_inc(net, XTCP_MIB_TFOACTIVE);
		xtcp_syn_data_acked(sk);
	} else {
		xtcp_mib_inc(net, XTCP_MIB_TFOACTIVEFAIL);
		xs->snd_nxt = seg->ack;
		xs->snd_max = seg->ack;
		xtcp_syn_data_acked(sk);
	}
}
