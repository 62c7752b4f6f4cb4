// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/xtcp: one line per listener, connection and TIME_WAIT entry,
 * with the columns and state codes of /proc/net/tcp so that tools which
 * parse that file read this one:
 *
 *   sl local_address rem_address st tx_queue:rx_queue tr:tm->when
 *   retrnsmt uid timeout inode
 *
 * Addresses are the raw 32-bit value in hex, ports in hex, as there.
 * tr is 1 while the retransmission timer runs, 3 for TIME_WAIT; tm->when
 * is the time left in jiffies.
 *
 * /proc/net/xtcp6 lists the IPv6 table the same way, in the format of
 * /proc/net/tcp6: each address as its four raw 32-bit words. It also
 * lists the IPv4 entries of IPv6 sockets (xtcp_hnode_mapped(): a listener
 * bound to a v4-mapped address, an IPv4 connection of a dual-stack
 * listener or of a connect() to ::ffff:a.b.c.d, and their TIME_WAIT
 * entries) with v4-mapped addresses, and /proc/net/xtcp leaves them out,
 * as Linux lists an AF_INET6 socket in tcp6 whatever it reaches.
 */

#include <linux/proc_fs.h>
#include <linux/rhashtable.h>
#include <linux/seq_file.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <xtcp/proto.h>
#include <xtcp/request.h>
#include <xtcp/table.h>

/**
 * struct xtcp_proc_state - where a reader of /proc/net/xtcp is
 * @p: seq_file_net()'s part
 * @table: 0 for the IPv6 table, 1 for the IPv4 one (see xtcp_proc_find())
 * @bucket: the hash bucket being listed
 * @offset: entries of @bucket already listed
 * @num: lines printed, for the "sl" column
 */
struct xtcp_proc_state {
	struct seq_net_private p;
	unsigned int table;
	unsigned int bucket;
	unsigned int offset;
	unsigned int num;
};

static const struct seq_operations xtcp6_proc_ops;

/*
 * The next entry to list: /proc/net/xtcp6 walks the IPv6 table (table 0),
 * then the IPv4 table (table 1) for its v4-mapped entries; /proc/net/xtcp
 * starts at table 1 and takes the others.
 */
static struct xtcp_hnode *xtcp_proc_find(struct seq_file *seq)
{
	struct xtcp_net *xn = xtcp_net(seq_file_net(seq));
	bool v6 = seq->op == &xtcp6_proc_ops;
	struct xtcp_proc_state *st = seq->private;
	const struct bucket_table *tbl;
	struct rhash_head *pos;
	struct rhashtable *ht;
	struct xtcp_hnode *h;

	for (; st->table < 2; st->table++, st->bucket = 0, st->offset = 0) {
		ht = st->table ? &xn->conns : &xn->conns6;
		for (;; st->bucket++, st->offset = 0) {
			unsigned int i = 0, b = st->bucket;

			tbl = xtcp_conn_list_bucket(ht, &b);
			if (!tbl)
				break;
			rht_for_each_entry_rcu(h, pos, tbl, b, node) {
				if (st->table && xtcp_hnode_mapped(h) != v6)
					continue;
				if (i++ == st->offset)
					return h;
			}
		}
	}
	return NULL;
}

static void *xtcp_proc_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	struct xtcp_net *xn = xtcp_net(seq_file_net(seq));
	struct xtcp_proc_state *st = seq->private;

	/* Both, always in this order (diag takes one at a time). */
	xtcp_conn_list_lock(&xn->conns6, 0);
	xtcp_conn_list_lock(&xn->conns, SINGLE_DEPTH_NESTING);
	rcu_read_lock();
	if (!*pos) {
		st->table = seq->op == &xtcp6_proc_ops ? 0 : 1;
		st->bucket = 0;
		st->offset = 0;
		st->num = 0;
		return SEQ_START_TOKEN;
	}
	return xtcp_proc_find(seq);
}

static void *xtcp_proc_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct xtcp_proc_state *st = seq->private;

	++*pos;
	if (v != SEQ_START_TOKEN)
		st->offset++;
	return xtcp_proc_find(seq);
}

static void xtcp_proc_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	struct xtcp_net *xn = xtcp_net(seq_file_net(seq));

	rcu_read_unlock();
	xtcp_conn_list_unlock(&xn->conns);
	xtcp_conn_list_unlock(&xn->conns6);
}

/* Jiffies until @ns from now: the tm->when column. */
static unsigned long xtcp_proc_jiffies(s64 ns)
{
	return ns > 0 ? nsecs_to_jiffies(ns) : 0;
}

static unsigned long xtcp_proc_left(const struct hrtimer *t)
{
	return xtcp_proc_jiffies(ktime_to_ns(hrtimer_get_remaining(t)));
}

/* The local and remote ends, as /proc/net/tcp or /proc/net/tcp6 has them. */
static void xtcp_proc_addrs(struct seq_file *seq, unsigned int num,
			    struct xtcp_hnode *h)
{
	struct xtcp_key6 mapped;
	const struct xtcp_key6 *k;

	if (h->v6) {
		k = xtcp_hkey6(h);
	} else if (seq->op == &xtcp6_proc_ops) {
		/* an IPv6 socket's IPv4 entry (xtcp_proc_find()) */
		xtcp_addr_map(h->key.laddr, &mapped.laddr);
		xtcp_addr_map(h->key.raddr, &mapped.raddr);
		mapped.lport = h->key.lport;
		mapped.rport = h->key.rport;
		k = &mapped;
	} else {
		seq_printf(seq, "%4u: %08X:%04X %08X:%04X ", num, h->key.laddr,
			   ntohs(h->key.lport), h->key.raddr,
			   ntohs(h->key.rport));
		return;
	}
	seq_printf(seq, "%4u: %08X%08X%08X%08X:%04X %08X%08X%08X%08X:%04X ",
		   num, k->laddr.s6_addr32[0], k->laddr.s6_addr32[1],
		   k->laddr.s6_addr32[2], k->laddr.s6_addr32[3],
		   ntohs(k->lport), k->raddr.s6_addr32[0],
		   k->raddr.s6_addr32[1], k->raddr.s6_addr32[2],
		   k->raddr.s6_addr32[3], ntohs(k->rport));
}

static void xtcp_proc_show_sock(struct seq_file *seq, struct xtcp_sock *xs,
				unsigned int num)
{
	struct sock *sk = &xs->inet.sk;
	int state = READ_ONCE(sk->sk_state);
	s64 ns = 0;
	u8 count;
	int timer = xtcp_timer_shown(sk, &ns, &count);
	/* As /proc/net/tcp: bytes received and not read yet. */
	u32 rx = state == TCP_LISTEN ? xtcp_accept_qlen(xs) :
		 max_t(int, READ_ONCE(xs->rcv_nxt) - READ_ONCE(xs->copied_seq),
		       0);

	xtcp_proc_addrs(seq, num, &xs->h);
	seq_printf(seq, "%02X %08X:%08X %02X:%08lX %08X %5u %8d %lu", state,
		   READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una), rx,
		   timer, xtcp_proc_jiffies(ns),
		   xs->retries,
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)), 0,
		   sock_i_ino(sk));
}

static void xtcp_proc_show_tw(struct seq_file *seq, struct xtcp_tw *tw,
			      unsigned int num)
{
	xtcp_proc_addrs(seq, num, &tw->h);
	seq_printf(seq, "%02X %08X:%08X %02X:%08lX %08X %5u %8d %lu",
		   TCP_TIME_WAIT,
		   0, 0, 3, xtcp_proc_left(&tw->timer), 0, 0, 0, 0UL);
}

/* An embryonic connection, as Linux lists a request socket. */
static void xtcp_proc_show_req(struct seq_file *seq, struct xtcp_req *req,
			       unsigned int num)
{
	xtcp_proc_addrs(seq, num, &req->h);
	seq_printf(seq, "%02X %08X:%08X %02X:%08lX %08X %5u %8d %lu",
		   TCP_SYN_RECV,
		   0, 0, 1, xtcp_proc_left(&req->timer), READ_ONCE(req->retries),
		   from_kuid_munged(seq_user_ns(seq),
				    sock_i_uid(req->listener)), 0, 0UL);
}

static int xtcp_proc_show(struct seq_file *seq, void *v)
{
	struct xtcp_proc_state *st = seq->private;
	struct xtcp_hnode *h = v;

	if (v == SEQ_START_TOKEN && seq->op == &xtcp6_proc_ops) {
		seq_puts(seq, "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
		return 0;
	}
	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
		return 0;
	}
	if (h->kind == XTCP_HK_TW)
		xtcp_proc_show_tw(seq, container_of(h, struct xtcp_tw, h),
				  st->num);
	else if (h->kind == XTCP_HK_REQ)
		xtcp_proc_show_req(seq, container_of(h, struct xtcp_req, h),
				   st->num);
	else
		xtcp_proc_show_sock(seq, container_of(h, struct xtcp_sock, h),
				    st->num);
	seq_putc(seq, '\n');
	st->num++;
	return 0;
}

static const struct seq_operations xtcp_proc_ops = {
	.start	= xtcp_proc_start,
	.next	= xtcp_proc_next,
	.stop	= xtcp_proc_stop,
	.show	= xtcp_proc_show,
};

/* The same for /proc/net/xtcp6: the seq_file tells which table by it. */
static const struct seq_operations xtcp6_proc_ops = {
	.start	= xtcp_proc_start,
	.next	= xtcp_proc_next,
	.stop	= xtcp_proc_stop,
	.show	= xtcp_proc_show,
};

int xtcp_proc_init(struct net *net)
{
	if (!proc_create_net("xtcp", 0444, net->proc_net, &xtcp_proc_ops,
			     sizeof(struct xtcp_proc_state)))
		return -ENOMEM;
	if (!proc_create_net("xtcp6", 0444, net->proc_net, &xtcp6_proc_ops,
			     sizeof(struct xtcp_proc_state))) {
		remove_proc_entry("xtcp", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void xtcp_proc_exit(struct net *net)
{
	remove_proc_entry("xtcp6", net->proc_net);
	remove_proc_entry("xtcp", net->proc_net);
}
