// SPDX-License-Identifier: GPL-2.0
/*
 * sock_diag for xtcp: what inet_diag answers for TCP (net/ipv4/inet_diag.c,
 * tcp_diag.c), for the requests ss sends, with sdiag_family = AF_XTCP.
 *
 * A request is a struct inet_diag_req_v2; a dump (NLM_F_DUMP) lists every
 * entry of the requester's namespace whose state is in idiag_states and
 * whose ports (and, unlike Linux, non-zero addresses) match the id; a get
 * finds one entry by its 4-tuple and cookie. Each answer is one struct
 * inet_diag_msg with INET_DIAG_SHUTDOWN and, as asked in idiag_ext,
 * INET_DIAG_INFO (the struct tcp_info of getsockopt(TCP_INFO)),
 * INET_DIAG_CONG, INET_DIAG_MEMINFO, INET_DIAG_SKMEMINFO, INET_DIAG_TOS,
 * INET_DIAG_TCLASS and INET_DIAG_CLASS_ID; INET_DIAG_MARK for
 * CAP_NET_ADMIN, INET_DIAG_SKV6ONLY for an IPv6 listener, as Linux. Anybody
 * may list the sockets of their namespace, as with Linux TCP.
 *
 * Families. sdiag_family names xtcp, so the address family a request is
 * about goes in its pad byte (XTCP_DIAG_FAMILY(), uapi xtcp.h), where
 * inet_diag has it in sdiag_family: a dump of AF_INET or AF_INET6 lists
 * the entries of that family, of AF_UNSPEC both; a get takes AF_INET
 * addresses (idiag_src[0]) or AF_INET6 ones, v4-mapped for an IPv4
 * connection, and says EINVAL for anything else, as
 * inet_diag_find_one_icsk(). An answer's family is the socket's, as
 * Linux's: AF_INET6 with 128-bit addresses for an IPv6 socket, and for
 * an IPv6 socket whose connection is IPv4 (ipv6.c: v4mapped) its
 * addresses v4-mapped, in a full socket and in its TIME_WAIT entry; an
 * embryonic IPv4 connection on an IPv6 listener is AF_INET, as Linux's
 * request socks are.
 *
 * TIME_WAIT and embryonic (SYN_RECV) entries are listed with what Linux
 * gives for its timewait and request socks: state, timer, expiry, the
 * SYN-ACK retransmissions, no queues, uid or inode.
 *
 * Not supported: the bytecode filter (INET_DIAG_REQ_BYTECODE) and BPF
 * storage requests get EOPNOTSUPP rather than a list that ignores them:
 * Linux's interpreter and its audit are private to inet_diag. Addresses in
 * the id filter the dump instead.
 */

#include <linux/inet_diag.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/rhashtable.h>
#include <linux/sock_diag.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <xtcp/proto.h>
#include <xtcp/request.h>
#include <xtcp/table.h>
#include <uapi/linux/xtcp.h>

/* Entries taken from the table per RCU section of a dump. */
#define XTCP_DIAG_BATCH		32

/**
 * struct xtcp_diag_ent - an entry to answer for, taken under RCU
 * @sk: a full socket, referenced; NULL for a TIME_WAIT or embryonic entry,
 *	whose fields follow (they may be gone once RCU is left)
 * @family: AF_INET or AF_INET6, as the answer gives it
 * @src: the local address, as struct inet_diag_sockid has it: an IPv4
 *	one in @src[0], the rest 0
 * @dst: the remote address, the same way
 * @sport: the local port
 * @dport: the remote port
 * @state: TCP_TIME_WAIT or TCP_SYN_RECV
 * @retrans: SYN-ACKs retransmitted
 * @expires: ms until the entry's timer fires
 * @cookie: the socket cookie (idiag_cookie), 0 for an embryonic entry
 * @ifindex: the device it is bound to (SO_BINDTODEVICE, or the SYN's VRF)
 * @pos: the entry's place in its hash bucket, where a dump resumes
 */
struct xtcp_diag_ent {
	struct sock *sk;
	u8 family;
	__be32 src[4];
	__be32 dst[4];
	__be16 sport;
	__be16 dport;
	u8 state;
	u8 retrans;
	u32 expires;
	u32 cookie[2];
	int ifindex;
	unsigned int pos;
};

/* Milliseconds until @ns from now, as idiag_expires counts. */
static u32 xtcp_diag_ms(s64 ns)
{
	return ns > 0 ? div_s64(ns, NSEC_PER_MSEC) : 0;
}

static u32 xtcp_diag_ms_left(const struct hrtimer *t)
{
	return xtcp_diag_ms(ktime_to_ns(hrtimer_get_remaining(t)));
}

/* Does the id's address @want (all 0: any) pick @addr? */
static bool xtcp_diag_addr_match(const __be32 *want, const __be32 *addr)
{
	if (!(want[0] | want[1] | want[2] | want[3]))
		return true;
	return !memcmp(want, addr, 4 * sizeof(*want));
}

/* Is an entry in state @state asked for? */
static bool xtcp_diag_match(const struct inet_diag_req_v2 *req, int state,
			    const struct xtcp_diag_ent *e)
{
	u8 family = XTCP_DIAG_FAMILY(req);
	u32 states = req->idiag_states;

	/* As Linux: asking for SYN_RECV lists the embryonic entries too. */
	if (states & TCPF_NEW_SYN_RECV)
		states |= TCPF_SYN_RECV;
	if (!(states & (1 << state)))
		return false;
	if (family != AF_UNSPEC && family != e->family)
		return false;
	if (req->id.idiag_sport && req->id.idiag_sport != e->sport)
		return false;
	if (req->id.idiag_dport && req->id.idiag_dport != e->dport)
		return false;
	return xtcp_diag_addr_match(req->id.idiag_src, e->src) &&
	       xtcp_diag_addr_match(req->id.idiag_dst, e->dst);
}

/* The family, addresses and ports of @h into @e (zeroed). */
static void xtcp_diag_addrs(struct xtcp_hnode *h, bool mapped,
			    struct xtcp_diag_ent *e)
{
	const struct xtcp_key6 *k;

	e->sport = h->key.lport;
	e->dport = h->key.rport;
	if (h->v6) {
		k = xtcp_hkey6(h);
		e->family = AF_INET6;
		memcpy(e->src, &k->laddr, sizeof(e->src));
		memcpy(e->dst, &k->raddr, sizeof(e->dst));
	} else if (mapped) {
		e->family = AF_INET6;
		xtcp_addr_map(h->key.laddr, (struct in6_addr *)e->src);
		xtcp_addr_map(h->key.raddr, (struct in6_addr *)e->dst);
	} else {
		e->family = AF_INET;
		e->src[0] = h->key.laddr;
		e->dst[0] = h->key.raddr;
	}
}

/*
 * Take an entry of the table: a reference on a socket (false if it is
 * being freed), a copy of what is answered for the others.
 * Context: rcu_read_lock() held.
 */
static bool xtcp_diag_take(struct xtcp_hnode *h, struct xtcp_diag_ent *e)
{
	struct xtcp_sock *xs;
	struct xtcp_req *rq;
	struct xtcp_tw *tw;

	memset(e, 0, sizeof(*e));
	switch (h->kind) {
	case XTCP_HK_TW:
		tw = container_of(h, struct xtcp_tw, h);
		xtcp_diag_addrs(h, xtcp_hnode_mapped(h), e);
		e->state = TCP_TIME_WAIT;
		e->expires = xtcp_diag_ms_left(&tw->timer);
		memcpy(e->cookie, tw->cookie, sizeof(e->cookie));
		e->ifindex = tw->bound_dev_if;
		return true;
	case XTCP_HK_REQ:
		rq = container_of(h, struct xtcp_req, h);
		xtcp_diag_addrs(h, xtcp_hnode_mapped(h), e);
		e->state = TCP_SYN_RECV;
		e->retrans = READ_ONCE(rq->retries);
		e->expires = xtcp_diag_ms_left(&rq->timer);
		e->ifindex = rq->bound_dev_if;
		return true;
	}
	xs = container_of(h, struct xtcp_sock, h);
	if (!refcount_inc_not_zero(&xs->inet.sk.sk_refcnt))
		return false;
	e->sk = &xs->inet.sk;
	xtcp_diag_addrs(h, xtcp_hnode_mapped(h), e);
	return true;
}

static int xtcp_diag_state(const struct xtcp_diag_ent *e)
{
	return e->sk ? inet_sk_state_load(e->sk) : e->state;
}

/* The timer ss shows, as inet_sk_diag_fill() reports icsk's. */
static void xtcp_diag_timer(struct sock *sk, struct inet_diag_msg *r)
{
	s64 ns;
	u8 count;

	r->idiag_timer = xtcp_timer_shown(sk, &ns, &count);
	if (!r->idiag_timer)
		return;
	r->idiag_retrans = count;
	r->idiag_expires = xtcp_diag_ms(ns);
}

/* The attributes of a full socket. Context: its lock held. */
static int xtcp_diag_attrs(struct sk_buff *skb, struct sock *sk, int ext,
			   bool net_admin, u8 family)
{
	const struct xtcp_cc_ops *ops;
	struct nlattr *attr;

	if (nla_put_u8(skb, INET_DIAG_SHUTDOWN, sk->sk_shutdown))
		return -EMSGSIZE;
	if (ext & (1 << (INET_DIAG_TOS - 1)) &&
	    nla_put_u8(skb, INET_DIAG_TOS, READ_ONCE(inet_sk(sk)->tos)))
		return -EMSGSIZE;
	/* As inet_diag_msg_attrs_fill() for an AF_INET6 socket. */
	if (family == AF_INET6 && ext & (1 << (INET_DIAG_TCLASS - 1)) &&
	    nla_put_u8(skb, INET_DIAG_TCLASS, READ_ONCE(xtcp_sk(sk)->tclass)))
		return -EMSGSIZE;
	if (family == AF_INET6 &&
	    (1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE) &&
	    nla_put_u8(skb, INET_DIAG_SKV6ONLY, sk->sk_ipv6only))
		return -EMSGSIZE;
	if (net_admin &&
	    nla_put_u32(skb, INET_DIAG_MARK, READ_ONCE(sk->sk_mark)))
		return -EMSGSIZE;
	/* Without net_cls the class is the priority, as for Linux TCP. */
	if (ext & ((1 << (INET_DIAG_CLASS_ID - 1)) |
		   (1 << (INET_DIAG_TCLASS - 1))) &&
	    nla_put_u32(skb, INET_DIAG_CLASS_ID, READ_ONCE(sk->sk_priority)))
		return -EMSGSIZE;
	if (ext & (1 << (INET_DIAG_MEMINFO - 1))) {
		struct inet_diag_meminfo minfo = {
			.idiag_rmem = sk_rmem_alloc_get(sk),
			.idiag_wmem = READ_ONCE(sk->sk_wmem_queued),
			.idiag_fmem = sk_forward_alloc_get(sk),
			.idiag_tmem = sk_wmem_alloc_get(sk),
		};

		if (nla_put(skb, INET_DIAG_MEMINFO, sizeof(minfo), &minfo))
			return -EMSGSIZE;
	}
	if (ext & (1 << (INET_DIAG_SKMEMINFO - 1)) &&
	    sock_diag_put_meminfo(sk, skb, INET_DIAG_SKMEMINFO))
		return -EMSGSIZE;
	if (ext & (1 << (INET_DIAG_INFO - 1))) {
		attr = nla_reserve_64bit(skb, INET_DIAG_INFO,
					 sizeof(struct tcp_info), INET_DIAG_PAD);
		if (!attr)
			return -EMSGSIZE;
		xtcp_get_info(sk, nla_data(attr));
	}
	if (ext & (1 << (INET_DIAG_CONG - 1))) {
		/* As getsockopt(TCP_CONGESTION): the default until chosen. */
		ops = READ_ONCE(xtcp_sk(sk)->cc.ops) ? :
		      xtcp_cc_default(sock_net(sk));
		if (nla_put_string(skb, INET_DIAG_CONG, ops->name))
			return -EMSGSIZE;
	}
	return 0;
}

/* inet_diag_msg and attributes of a full socket. */
static int xtcp_diag_fill_sk(struct sk_buff *skb, struct sock *sk,
			     struct inet_diag_msg *r, int ext,
			     struct user_namespace *user_ns, bool net_admin)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int err;

	lock_sock(sk);
	r->idiag_state = sk->sk_state;
	r->id.idiag_if = sk->sk_bound_dev_if;
	sock_diag_save_cookie(sk, r->id.idiag_cookie);
	xtcp_diag_timer(sk, r);
	/* As tcp_diag_get_info(). */
	if (sk->sk_state == TCP_LISTEN) {
		r->idiag_rqueue = xtcp_accept_qlen(xs);
		r->idiag_wqueue = READ_ONCE(sk->sk_max_ack_backlog);
	} else {
		r->idiag_rqueue = max_t(int, xs->rcv_nxt - xs->copied_seq, 0);
		r->idiag_wqueue = xs->write_seq - xs->snd_una;
	}
	r->idiag_uid = from_kuid_munged(user_ns, sock_i_uid(sk));
	r->idiag_inode = sock_i_ino(sk);
	err = xtcp_diag_attrs(skb, sk, ext, net_admin, r->idiag_family);
	release_sock(sk);
	return err;
}

/**
 * xtcp_diag_fill() - one answer, as inet_diag's sk_diag_fill()
 * @skb: where it goes
 * @e: the entry
 * @ext: the attributes asked for (idiag_ext)
 * @portid: the requester
 * @seq: the request's sequence number
 * @type: the request's type
 * @flags: NLM_F_MULTI in a dump
 * @user_ns: the requester's user namespace, for the uid
 * @net_admin: the requester has CAP_NET_ADMIN
 *
 * Return: 0, or -EMSGSIZE with nothing added when it does not fit.
 */
static int xtcp_diag_fill(struct sk_buff *skb, const struct xtcp_diag_ent *e,
			  int ext, u32 portid, u32 seq, u16 type, u16 flags,
			  struct user_namespace *user_ns, bool net_admin)
{
	struct inet_diag_msg *r;
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(skb, portid, seq, type, sizeof(*r), flags);
	if (!nlh)
		return -EMSGSIZE;
	r = nlmsg_data(nlh);
	memset(r, 0, sizeof(*r));
	r->idiag_family = e->family;
	r->id.idiag_sport = e->sport;
	r->id.idiag_dport = e->dport;
	memcpy(r->id.idiag_src, e->src, sizeof(e->src));
	memcpy(r->id.idiag_dst, e->dst, sizeof(e->dst));
	if (e->sk) {
		if (xtcp_diag_fill_sk(skb, e->sk, r, ext, user_ns, net_admin)) {
			nlmsg_cancel(skb, nlh);
			return -EMSGSIZE;
		}
	} else {
		/* As inet_twsk_diag_fill() and inet_req_diag_fill(). */
		r->idiag_state = e->state;
		r->idiag_timer = e->state == TCP_TIME_WAIT ? 3 : 1;
		r->idiag_retrans = e->retrans;
		r->idiag_expires = e->expires;
		r->id.idiag_if = e->ifindex;
		memcpy(r->id.idiag_cookie, e->cookie, sizeof(e->cookie));
		if (net_admin && nla_put_u32(skb, INET_DIAG_MARK, 0)) {
			nlmsg_cancel(skb, nlh);
			return -EMSGSIZE;
		}
	}
	nlmsg_end(skb, nlh);
	return 0;
}

static void xtcp_diag_put(struct xtcp_diag_ent *e)
{
	if (e->sk)
		sock_put(e->sk);
}

/*
 * The request's attributes, as inet_diag_parse_attrs() checks them, its
 * family (AF_UNSPEC, AF_INET or AF_INET6: inet_diag has no handler for
 * any other) and its protocol: TCP's is the only one, anything else has
 * no handler.
 */
static int xtcp_diag_check(const struct nlmsghdr *nlh)
{
	const struct inet_diag_req_v2 *req = nlmsg_data(nlh);
	int hdrlen = sizeof(*req), rem, proto = req->sdiag_protocol;
	u8 family = XTCP_DIAG_FAMILY(req);
	struct nlattr *nla;

	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return -EINVAL;

	nlmsg_for_each_attr(nla, nlh, hdrlen, rem) {
		switch (nla_type(nla)) {
		case INET_DIAG_REQ_PROTOCOL:
			if (nla_len(nla) != sizeof(u32))
				return -EINVAL;
			proto = nla_get_u32(nla);
			break;
		case INET_DIAG_REQ_BYTECODE:
		case INET_DIAG_REQ_SK_BPF_STORAGES:
			return -EOPNOTSUPP;
		}
	}
	return proto == IPPROTO_TCP ? 0 : -ENOENT;
}

static int xtcp_diag_dump_start(struct netlink_callback *cb)
{
	return xtcp_diag_check(cb->nlh);
}

/*
 * Take the next entries asked for from bucket cb->args[0] of @ht, from
 * place cb->args[1] on. Return: how many, at most XTCP_DIAG_BATCH; *done
 * is set when the bucket has no more, *end when the table has no more.
 */
static int xtcp_diag_collect(struct rhashtable *ht, struct netlink_callback *cb,
			     const struct inet_diag_req_v2 *req,
			     struct xtcp_diag_ent *ents, bool *done, bool *end)
{
	const struct bucket_table *tbl;
	unsigned int i = 0, b = cb->args[0];
	struct rhash_head *pos;
	struct xtcp_hnode *h;
	int n = 0;

	*done = true;
	xtcp_conn_list_lock(ht, 0);
	rcu_read_lock();
	tbl = xtcp_conn_list_bucket(ht, &b);
	*end = !tbl;
	if (*end)
		goto out;
	rht_for_each_entry_rcu(h, pos, tbl, b, node) {
		if (i++ < cb->args[1])
			continue;
		if (n == XTCP_DIAG_BATCH) {
			*done = false;
			break;
		}
		if (!xtcp_diag_take(h, &ents[n]))
			continue;
		if (!xtcp_diag_match(req, xtcp_diag_state(&ents[n]),
				     &ents[n])) {
			xtcp_diag_put(&ents[n]);
			continue;
		}
		ents[n++].pos = i - 1;
	}
out:
	rcu_read_unlock();
	xtcp_conn_list_unlock(ht);
	return n;
}

/*
 * The table cb->args[2] names, NULL past the last: the IPv4 one (which
 * also holds the IPv4 connections of IPv6 sockets), then the IPv6 one,
 * unless only AF_INET entries are asked for.
 */
static struct rhashtable *xtcp_diag_table(struct xtcp_net *xn,
					  struct netlink_callback *cb,
					  const struct inet_diag_req_v2 *req)
{
	if (cb->args[2] == 0)
		return &xn->conns;
	if (cb->args[2] == 1 && XTCP_DIAG_FAMILY(req) != AF_INET)
		return &xn->conns6;
	return NULL;
}

/**
 * xtcp_diag_dump() - the next part of a dump
 * @skb: the message to fill
 * @cb: the dump; args[0] is the hash bucket, args[1] the place in it,
 *	args[2] the table (xtcp_diag_table())
 *
 * Entries are taken a batch at a time under RCU (sockets with a
 * reference, so that a close or a free meanwhile is harmless) and answered
 * outside it, under each socket's lock. As with inet_diag, an entry added
 * or removed in a bucket already passed while the dump runs may be
 * missed, or listed twice; so may one whose bucket a resize moves
 * between two parts of the dump (within a part, none moves:
 * xtcp_conn_list_lock()).
 *
 * Return: the length of @skb, 0 at the end, or a negative errno.
 */
static int xtcp_diag_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct inet_diag_req_v2 *req = nlmsg_data(cb->nlh);
	struct xtcp_net *xn = xtcp_net(sock_net(skb->sk));
	struct user_namespace *user_ns = sk_user_ns(NETLINK_CB(cb->skb).sk);
	bool net_admin = netlink_net_capable(cb->skb, CAP_NET_ADMIN);
	struct xtcp_diag_ent *ents;
	struct rhashtable *ht;
	bool done, end;
	int i, n, err = 0;

	ents = kmalloc_array(XTCP_DIAG_BATCH, sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return -ENOMEM;
	while ((ht = xtcp_diag_table(xn, cb, req))) {
		n = xtcp_diag_collect(ht, cb, req, ents, &done, &end);
		if (end) {
			cb->args[0] = 0;
			cb->args[1] = 0;
			cb->args[2]++;
			continue;
		}
		for (i = 0; i < n; i++) {
			if (!err) {
				err = xtcp_diag_fill(skb, &ents[i],
						     req->idiag_ext,
						     NETLINK_CB(cb->skb).portid,
						     cb->nlh->nlmsg_seq,
						     cb->nlh->nlmsg_type,
						     NLM_F_MULTI, user_ns,
						     net_admin);
				/* Full: the next part starts with this one. */
				if (err)
					cb->args[1] = ents[i].pos;
			}
			xtcp_diag_put(&ents[i]);
		}
		if (err)
			break;
		if (done) {
			cb->args[0]++;
			cb->args[1] = 0;
		} else {
			cb->args[1] = ents[n - 1].pos + 1;
		}
	}
	kfree(ents);
	return err == -EMSGSIZE ? skb->len : err;
}

/*
 * The entry a get names, as inet_diag_find_one_icsk() finds it: by an
 * IPv4 4-tuple for AF_INET, or for AF_INET6 with both addresses
 * v4-mapped; by an IPv6 one otherwise. Context: rcu_read_lock() held.
 */
static struct xtcp_hnode *xtcp_diag_lookup(struct xtcp_net *xn,
					   const struct inet_diag_req_v2 *req)
{
	const struct in6_addr *src = (const struct in6_addr *)req->id.idiag_src;
	const struct in6_addr *dst = (const struct in6_addr *)req->id.idiag_dst;
	struct xtcp_key key = {
		.laddr = req->id.idiag_src[0],
		.raddr = req->id.idiag_dst[0],
		.lport = req->id.idiag_sport,
		.rport = req->id.idiag_dport,
	};
	struct xtcp_key6 key6;

	if (XTCP_DIAG_FAMILY(req) == AF_INET)
		return xtcp_conn_lookup(xn, &key);
	if (ipv6_addr_v4mapped(src) && ipv6_addr_v4mapped(dst)) {
		key.laddr = src->s6_addr32[3];
		key.raddr = dst->s6_addr32[3];
		return xtcp_conn_lookup(xn, &key);
	}
	key6 = (struct xtcp_key6){
		.laddr = *src,
		.raddr = *dst,
		.lport = req->id.idiag_sport,
		.rport = req->id.idiag_dport,
	};
	return xtcp_conn_lookup6(xn, &key6);
}

/* A get: one entry by its 4-tuple and cookie, as inet_diag_cmd_exact(). */
static int xtcp_diag_get(struct sk_buff *in_skb, const struct nlmsghdr *nlh)
{
	const struct inet_diag_req_v2 *req = nlmsg_data(nlh);
	struct net *net = sock_net(in_skb->sk);
	const u32 *c = req->id.idiag_cookie;
	struct xtcp_diag_ent e;
	struct xtcp_hnode *h;
	struct sk_buff *rep;
	bool found;
	int err;

	err = xtcp_diag_check(nlh);
	if (err)
		return err;
	/* As inet_diag_find_one_icsk(): a get names a family. */
	if (XTCP_DIAG_FAMILY(req) == AF_UNSPEC)
		return -EINVAL;
	rcu_read_lock();
	h = xtcp_diag_lookup(xtcp_net(net), req);
	found = h && xtcp_diag_take(h, &e);
	rcu_read_unlock();
	if (!found)
		return -ENOENT;
	/* A cookie that differs names an entry that is gone (-ESTALE). */
	if (e.sk ? sock_diag_check_cookie(e.sk, c) :
	    (c[0] != INET_DIAG_NOCOOKIE || c[1] != INET_DIAG_NOCOOKIE) &&
	    memcmp(c, e.cookie, sizeof(e.cookie))) {
		err = -ENOENT;
		goto out;
	}
	rep = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!rep) {
		err = -ENOMEM;
		goto out;
	}
	err = xtcp_diag_fill(rep, &e, req->idiag_ext,
			     NETLINK_CB(in_skb).portid, nlh->nlmsg_seq,
			     nlh->nlmsg_type, 0,
			     sk_user_ns(NETLINK_CB(in_skb).sk),
			     netlink_net_capable(in_skb, CAP_NET_ADMIN));
	if (err) {
		nlmsg_free(rep);
		goto out;
	}
	err = nlmsg_unicast(net->diag_nlsk, rep, NETLINK_CB(in_skb).portid);
out:
	xtcp_diag_put(&e);
	return err;
}

/*
 * SOCK_DIAG_BY_FAMILY for AF_XTCP (sock_diag checked the family), as
 * inet_diag_handler_cmd(): a short request is EINVAL.
 */
static int xtcp_diag_cmd(struct sk_buff *skb, struct nlmsghdr *nlh)
{
	struct net *net = sock_net(skb->sk);

	if (nlmsg_len(nlh) < sizeof(struct inet_diag_req_v2))
		return -EINVAL;
	if (nlh->nlmsg_flags & NLM_F_DUMP) {
		struct netlink_dump_control c = {
			.start = xtcp_diag_dump_start,
			.dump = xtcp_diag_dump,
		};

		return netlink_dump_start(net->diag_nlsk, skb, nlh, &c);
	}
	return xtcp_diag_get(skb, nlh);
}

static struct sock_diag_handler xtcp_diag_handler = {
	.owner = THIS_MODULE,
	.dump = xtcp_diag_cmd,
};

int xtcp_diag_register(void)
{
	xtcp_diag_handler.family = xtcp_family;
	return sock_diag_register(&xtcp_diag_handler);
}

void xtcp_diag_unregister(void)
{
	sock_diag_unregister(&xtcp_diag_handler);
}

/* sock_diag loads the module for a request for AF_XTCP (25). */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_NETLINK, NETLINK_SOCK_DIAG, 25);
