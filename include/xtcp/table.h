/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-namespace connection table (table.c): connections and TIME_WAIT
 * entries by 4-tuple in an RCU rhashtable, listeners by port, and the local
 * ports xtcp holds.
 */
#ifndef _XTCP_TABLE_H
#define _XTCP_TABLE_H

#include <xtcp/xtcp.h>

int xtcp_table_module_init(void);
void xtcp_table_module_exit(void);
int xtcp_table_init(struct net *net);
void xtcp_table_exit(struct net *net);

struct xtcp_hnode *xtcp_conn_lookup(struct xtcp_net *xn,
				    const struct xtcp_key *key);
struct xtcp_hnode *xtcp_conn_lookup6(struct xtcp_net *xn,
				     const struct xtcp_key6 *key);
int xtcp_conn_insert(struct xtcp_net *xn, struct xtcp_hnode *h);
void xtcp_conn_remove(struct xtcp_net *xn, struct xtcp_hnode *h);
int xtcp_conn_replace(struct xtcp_net *xn, struct xtcp_hnode *old,
		      struct xtcp_hnode *new);
struct xtcp_hnode *xtcp_conn_any(struct xtcp_net *xn);
void xtcp_conn_list_lock(struct rhashtable *ht, unsigned int subclass);
void xtcp_conn_list_unlock(struct rhashtable *ht);
const struct bucket_table *xtcp_conn_list_bucket(struct rhashtable *ht,
						 unsigned int *b);

int xtcp_hash(struct sock *sk, struct xtcp_hnode *replace);
void xtcp_unhash(struct sock *sk);

/* For xtcp_dev_match(): no device to match against. */
#define XTCP_ANY_DEV	(-1)
bool xtcp_dev_match(struct net *net, int bound_dev_if, int dif, int sdif);

/* listen.c: listeners are in the same table, under a key with no remote end */
int xtcp_listen_add(struct sock *sk);
void xtcp_listen_del(struct sock *sk);
struct sock *xtcp_listen_lookup_dev(struct xtcp_net *xn, __be32 addr,
				    __be16 port, int dif, int sdif);

struct sock *xtcp_listen_lookup6_dev(struct xtcp_net *xn,
				     const struct in6_addr *addr,
				     __be16 port, int dif, int sdif);

int xtcp_port_bind(struct sock *sk, __be32 addr, u16 port);
int xtcp_port_connect(struct sock *sk, u32 *iss);
void xtcp_port_inherit(struct sock *child, struct sock *parent);
void xtcp_port_unbind(struct sock *sk);
void xtcp_port_get(struct xtcp_port *p);
void xtcp_port_put(struct xtcp_port *p);

#endif /* _XTCP_TABLE_H */
