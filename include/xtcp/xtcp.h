/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp internal interfaces shared between the module's files.
 */
#ifndef _XTCP_XTCP_H
#define _XTCP_XTCP_H

#include <net/sock.h>

/**
 * struct xtcp_sock - an xtcp socket
 * @sk: the generic socket; must stay first so sk_alloc() can size us
 */
struct xtcp_sock {
	struct sock sk;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/**
 * struct xtcp_net - per network namespace state
 * @proc_sockstat: /proc/net/xtcp_sockstat, removed with the namespace
 * @sysctl_hdr: the net.xtcp.* sysctl table of this namespace (sysctl.c)
 * @msl_ms: net.xtcp.msl_ms, Maximum Segment Lifetime; TIME_WAIT lasts 2 MSL
 * @syn_retries: net.xtcp.syn_retries, SYN retransmissions before ETIMEDOUT
 * @synack_retries: net.xtcp.synack_retries, SYN-ACK retransmissions
 * @fin_timeout_ms: net.xtcp.fin_timeout_ms, how long an orphaned
 *	connection waits in FIN_WAIT_2 for the peer's FIN
 * @port_range: net.xtcp.ip_local_port_range, ephemeral ports [lo, hi]
 * @max_syn_backlog: net.xtcp.max_syn_backlog, SYN_RECEIVED children per
 *	listener at most
 * @challenge_ack_limit: net.xtcp.challenge_ack_limit, challenge ACKs
 *	(RFC 5961) sent per second at most
 * @mib: per-cpu counters, indexed by enum xtcp_mib_field (mib.c)
 */
struct xtcp_net {
	struct proc_dir_entry *proc_sockstat;
	struct ctl_table_header *sysctl_hdr;
	int msl_ms;
	int syn_retries;
	int synack_retries;
	int fin_timeout_ms;
	int port_range[2];
	int max_syn_backlog;
	int challenge_ack_limit;
	unsigned long __percpu *mib;
};

extern int xtcp_family;
extern struct proto xtcp_prot;

struct xtcp_net *xtcp_net(const struct net *net);

int xtcp_sock_init(struct net *net, struct socket *sock, int kern);
int xtcp_family_register(void);
void xtcp_family_unregister(void);
int xtcp_pernet_register(void);
void xtcp_pernet_unregister(void);
int xtcp_sysctl_init(struct net *net);
void xtcp_sysctl_exit(struct net *net);

#endif /* _XTCP_XTCP_H */
