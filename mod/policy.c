// SPDX-License-Identifier: GPL-2.0
/*
 * The host's policy, applied to xtcp's segments as to Linux TCP's.
 *
 * Linux TCP's segments pass conntrack's confirmation, IPsec's input
 * policy, the socket's filter (which also runs cgroup-BPF ingress programs
 * and the LSMs' sock_rcv_skb hook) on the way in, and leave owned by their
 * socket, which is what netfilter's owner match, cgroup-BPF egress and
 * net_cls read on the way out. xtcp takes its segments in a netfilter hook
 * (input.c) and sends with ip_local_out() (output.c), so each of those
 * steps is done here instead.
 *
 * What the LSMs and cgroup-BPF see of an xtcp socket: its family is
 * xtcp's (AF_XTCP), not AF_INET. The socket layer calls the socket_* LSM
 * hooks for every call and sk_alloc() the sk_alloc hook; a passive child
 * is labelled from its listener here (the sk_clone hook, as sk_clone_lock()
 * does for Linux TCP). But the hooks that look at addresses and ports
 * (SELinux's name_bind/name_connect and peer labels, Smack's IP labels)
 * and the kernel's cgroup-BPF skb programs act only on AF_INET and
 * AF_INET6 sockets, and pass xtcp's through.
 */

#include <linux/cgroup.h>
#include <linux/filter.h>
#include <linux/netfilter.h>
#include <linux/security.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/sock.h>
#include <net/xfrm.h>
#include <xtcp/compat.h>
#include <xtcp/mib.h>
#include <xtcp/proto.h>

/**
 * xtcp_policy_confirm() - let conntrack confirm a segment xtcp takes
 * @skb: the segment, which will not reach conntrack's confirm hook
 *
 * Conntrack enters a new flow in its table only at its last hook
 * (NF_IP_PRI_CONNTRACK_CONFIRM); until then the entry lives on the skb
 * alone, and dies with it. xtcp's receive hook runs just before that one,
 * so without this every inbound xtcp flow would stay unknown: its replies
 * "new" or invalid, never de-NATed, dropped by "ct state established"
 * rules. The confirmation goes through nf_ct_hook, as the bridge's local
 * input does, so that xtcp.ko needs nf_conntrack.ko only when it is loaded.
 * The entry is then released, as tcp_v4_rcv() does (nf_reset_ct()):
 * segments kept in a queue must not pin it. Conntrack helpers and NAT
 * sequence adjustment, which its confirm hook also runs, do not apply to
 * xtcp: they rewrite payload, which xtcp does not let them see.
 *
 * Return: NF_ACCEPT, or NF_DROP if conntrack refused the entry (the skb is
 * then the caller's to return to netfilter, which frees it).
 */
unsigned int xtcp_policy_confirm(struct sk_buff *skb)
{
	unsigned int verdict = NF_ACCEPT;
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	struct nf_conntrack *nfct = skb_nfct(skb);
	const struct nf_ct_hook *hook;

	if (!nfct)
		return NF_ACCEPT;
	if (!nf_ct_is_confirmed(container_of(nfct, struct nf_conn,
					     ct_general))) {
		hook = rcu_dereference(nf_ct_hook);
		if (hook)
			verdict = hook->confirm(skb);
	}
	nf_reset_ct(skb);
#endif
	return verdict;
}

/**
 * xtcp_policy_rcv() - may this segment reach this socket?
 * @sk: the connection or listener it is for, or NULL for a TIME_WAIT entry
 * @skb: the segment, parsed: its data starts after the TCP header
 *
 * As tcp_v4_rcv() before it hands a segment over: the IPsec input policy,
 * then for a socket its filter, with the TCP header in front (a filter
 * sees the segment from there, as on Linux TCP), as sk_filter_trim_cap()
 * runs it: cgroup-BPF ingress, the LSMs' sock_rcv_skb hook, then
 * SO_ATTACH_FILTER's program. It runs before the segment changes anything,
 * so a filtered segment is as if it had been lost. A filter may also trim
 * the payload; the segment's length is then what is left.
 *
 * Return: true to go on, false to drop (a filtered segment is counted).
 */
bool xtcp_policy_rcv(struct sock *sk, struct sk_buff *skb)
{
	unsigned int thlen = skb->data - skb_transport_header(skb);
	struct xtcp_seg *seg = xtcp_seg(skb);
	unsigned int len = skb->len;
	int err;

	if (skb->protocol == htons(ETH_P_IPV6) ?
	    !xfrm6_policy_check(sk, XFRM_POLICY_IN, skb) :
	    !xfrm4_policy_check(sk, XFRM_POLICY_IN, skb))
		return false;
	if (!sk)
		return true;
	__skb_push(skb, thlen);
	err = sk_filter_trim_cap(sk, skb, thlen);
	__skb_pull(skb, thlen);
	if (err) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_FILTERDROPS);
		return false;
	}
	if (skb->len != len) {
		seg->end_seq -= len - skb->len;
		seg->len = skb->len;
	}
	return true;
}

/*
 * A passive child takes its listener's socket filter, as sk_clone_lock()
 * gives it to a Linux TCP child, charged to the child's option memory as
 * sk_filter_charge() would (which is not exported); __sk_destruct()
 * uncharges and releases it.
 */
static int xtcp_policy_child_filter(struct sock *child,
				    const struct sock *parent)
{
	int max = xtcp_optmem_max(sock_net(child));
	struct sk_filter *fp;
	int err = 0;
	u32 size;

	rcu_read_lock();
	fp = rcu_dereference(parent->sk_filter);
	if (fp) {
		size = bpf_prog_size(fp->prog->len);
		if (size < max && refcount_inc_not_zero(&fp->refcnt)) {
			atomic_add(size, &child->sk_omem_alloc);
			RCU_INIT_POINTER(child->sk_filter, fp);
		} else {
			err = -ENOMEM;
		}
	}
	rcu_read_unlock();
	if (sock_flag(parent, SOCK_FILTER_LOCKED))
		sock_set_flag(child, SOCK_FILTER_LOCKED);
	return err;
}

/**
 * xtcp_policy_child() - what a passive child takes from its listener
 * @child: the new child, from sk_alloc(), not yet visible to anyone
 * @parent: its listener
 *
 * A Linux TCP child is a clone of its listener (sk_clone_lock()); xtcp's
 * is allocated afresh, in softirq context, where sk_alloc() gives it the
 * root cgroup and no LSM label of the listener's. So, as the clone would:
 * the LSMs' sk_clone hook (the listener's labels), the listener's cgroup,
 * net_cls class and net_prio index (cgroup-BPF, tc and nft's socket
 * cgroupv2 match read them from the child's segments), and its socket
 * filter.
 *
 * Return: 0, or -ENOMEM if the filter cannot be charged: as in Linux TCP,
 * the child is not created.
 */
int xtcp_policy_child(struct sock *child, const struct sock *parent)
{
#ifdef CONFIG_SOCK_CGROUP_DATA
	struct cgroup *old = sock_cgroup_ptr(&child->sk_cgrp_data);

	/*
	 * Both references cgroup_sk_clone() takes, the cgroup's and its BPF
	 * programs', and cgroup_sk_free() drops: a cgroup_put() alone left
	 * the child's cgroup-BPF reference unbalanced, found when a server
	 * ran in a non-root cgroup (selftests/memcg.sh).
	 */
	child->sk_cgrp_data = parent->sk_cgrp_data;
	cgroup_get(sock_cgroup_ptr(&child->sk_cgrp_data));
	cgroup_bpf_get(sock_cgroup_ptr(&child->sk_cgrp_data));
	cgroup_bpf_put(old);
	cgroup_put(old);
#endif
	security_sk_clone(parent, child);
	return xtcp_policy_child_filter(child, parent);
}

/**
 * xtcp_policy_owner() - make a connection's segment its own
 * @skb: the segment, about to leave
 * @sk: the connection, locked
 *
 * As tcp_transmit_skb() does: the skb is charged to the socket and points
 * to it, so that netfilter's owner match (nft's "meta skuid", iptables'
 * "-m owner") sees the credentials of the socket's file, and cgroup-BPF
 * egress, net_cls and the qdiscs see its cgroup and priority. The charge
 * in sk_wmem_alloc keeps the sock from being freed while the skb is queued
 * anywhere (SOCK_USE_WRITE_QUEUE: freeing it does not call write_space).
 * A SYN-ACK goes out on behalf of the listener, as Linux's does from its
 * request sock: the child has no file until accept(). A child in
 * SYN_RECEIVED holds a reference on its listener, dropped only under the
 * child's lock, which the caller holds.
 *
 * Return: the socket the segment now belongs to, for ip_local_out().
 */
struct sock *xtcp_policy_owner(struct sk_buff *skb, struct sock *sk)
{
	struct xtcp_sock *lxs = xtcp_sk(sk)->listener;

	if (sk->sk_state == TCP_SYN_RECV && lxs)
		sk = &lxs->inet.sk;
	skb_set_owner_w(skb, sk);
	return sk;
}
