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
 */
struct xtcp_net {
	struct proc_dir_entry *proc_sockstat;
};

extern int xtcp_family;
extern struct proto xtcp_prot;

struct xtcp_net *xtcp_net(const struct net *net);

int xtcp_sock_init(struct net *net, struct socket *sock, int kern);
int xtcp_family_register(void);
void xtcp_family_unregister(void);
int xtcp_pernet_register(void);
void xtcp_pernet_unregister(void);

#endif /* _XTCP_XTCP_H */
