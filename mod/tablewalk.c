// SPDX-License-Identifier: GPL-2.0
/*
 * Listing a connection table whole: /proc/net/xtcp and the sock_diag
 * dumps walk every bucket of a namespace's rhashtable while connections
 * come and go and the table resizes.
 *
 * Lookups need none of this: a resize keeps every entry findable from the
 * current table or the one it moves into (lib/rhashtable.c). A walk of
 * the buckets of the current table alone does not: it misses the entries
 * already moved, and those an insert put into the next table. Here the
 * table's mutex keeps entries from moving for the walk, and the walk goes
 * on into every table an insert attached meanwhile. Apart from the table
 * it needs only rhashtable's own API, so KUnit (kunit/tablewalk_test.c)
 * runs it on tables of its own, resizes forced.
 */

#include <linux/rhashtable.h>
#include <xtcp/table.h>

/**
 * xtcp_conn_list_lock() - hold a table's resizing off while it is listed
 * @ht: the table
 * @subclass: for lockdep: 0, or SINGLE_DEPTH_NESTING for a second table
 *	locked while the first is held (every rhashtable's mutex is of one
 *	lock class)
 *
 * A resize moves entries from the table to the one it grows or shrinks
 * into, bucket by bucket, with the table's mutex held (its deferred
 * worker, which may be preempted half way); a listing that looked only
 * at the current table would miss every entry already moved. With the
 * mutex held no entry moves, and xtcp_conn_list_bucket() finds the ones
 * inserted into the next table meanwhile. Held for one read() of
 * /proc/net/xtcp or one part of a diag dump; never from softirq. Inserts
 * do not take it: while a reader holds it they go on, into the tables
 * they attach (the resize waits, no insert fails for it).
 */
void xtcp_conn_list_lock(struct rhashtable *ht, unsigned int subclass)
	__acquires(&ht->mutex)
{
	mutex_lock_nested(&ht->mutex, subclass);
}

void xtcp_conn_list_unlock(struct rhashtable *ht)
	__releases(&ht->mutex)
{
	mutex_unlock(&ht->mutex);
}

/**
 * xtcp_conn_list_bucket() - a bucket of a table being listed
 * @ht: the table, xtcp_conn_list_lock() and rcu_read_lock() held
 * @b: the bucket's number, counted across the table and any it is being
 *	resized into (an insert that finds a chain too long starts one
 *	without the mutex); made the number within the one returned
 *
 * Return: the bucket table holding bucket @b, or NULL past the last.
 */
const struct bucket_table *xtcp_conn_list_bucket(struct rhashtable *ht,
						 unsigned int *b)
{
	const struct bucket_table *tbl = rht_dereference_rcu(ht->tbl, ht);

	while (tbl && *b >= tbl->size) {
		*b -= tbl->size;
		tbl = rht_dereference_rcu(tbl->future_tbl, ht);
	}
	return tbl;
}
