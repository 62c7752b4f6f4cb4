// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: listing a table whole while it resizes (mod/tablewalk.c), as
 * /proc/net/xtcp and the sock_diag dumps do. The tests hold the table's
 * mutex as a listing does, so that its resize worker cannot run, and
 * insert far beyond the table's size: each insert that finds the last
 * table over full attaches a bigger one (lib/rhashtable.c,
 * rhashtable_insert_rehash()) and goes there. A walk of the current
 * table's buckets alone then misses most entries; the listing's walk
 * must find every entry exactly once, before the resize and after it,
 * growing and shrinking.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <xtcp/table.h>

#define WALK_N	200

struct walk_obj {
	struct rhash_head node;
	u32 key;
	unsigned int seen;
};

static const struct rhashtable_params walk_params = {
	.head_offset = offsetof(struct walk_obj, node),
	.key_offset = offsetof(struct walk_obj, key),
	.key_len = sizeof(u32),
	.nelem_hint = 3,	/* 4 buckets to start with */
	.min_size = 4,
	.automatic_shrinking = true,
};

struct walk_ctx {
	struct rhashtable ht;
	struct walk_obj *objs;
};

/* The listing's walk: every bucket of every table, as proc.c does. */
static unsigned int walk_all(struct walk_ctx *c, unsigned int *twice)
{
	const struct bucket_table *tbl;
	unsigned int b, i, n = 0;
	struct rhash_head *pos;
	struct walk_obj *o;

	for (i = 0; i < WALK_N; i++)
		c->objs[i].seen = 0;
	*twice = 0;
	rcu_read_lock();
	for (b = 0;; b++) {
		i = b;
		tbl = xtcp_conn_list_bucket(&c->ht, &i);
		if (!tbl)
			break;
		rht_for_each_entry_rcu(o, pos, tbl, i, node) {
			if (o->seen++)
				(*twice)++;
			n++;
		}
	}
	rcu_read_unlock();
	return n;
}

/* What a walk of the current table alone finds, and how many tables. */
static unsigned int walk_first(struct walk_ctx *c, unsigned int *tables)
{
	const struct bucket_table *tbl;
	struct rhash_head *pos;
	struct walk_obj *o;
	unsigned int b, n = 0;

	rcu_read_lock();
	tbl = rht_dereference_rcu(c->ht.tbl, &c->ht);
	for (b = 0; b < tbl->size; b++)
		rht_for_each_entry_rcu(o, pos, tbl, b, node)
			n++;
	for (*tables = 0; tbl; (*tables)++)
		tbl = rht_dereference_rcu(tbl->future_tbl, &c->ht);
	rcu_read_unlock();
	return n;
}

/* Let the resize worker finish, then no table follows the current one. */
static void walk_settle(struct kunit *test, struct walk_ctx *c)
{
	unsigned int tables, tries;

	for (tries = 0; tries < 100; tries++) {
		flush_work(&c->ht.run_work);
		walk_first(c, &tables);
		if (tables == 1)
			return;
		msleep(20);
	}
	KUNIT_FAIL(test, "the resize did not end: %u tables", tables);
}

static int walk_init(struct kunit *test)
{
	struct walk_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->objs = kunit_kcalloc(test, WALK_N, sizeof(*c->objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->objs);
	for (i = 0; i < WALK_N; i++)
		c->objs[i].key = i * 2654435761u;
	KUNIT_ASSERT_EQ(test, rhashtable_init(&c->ht, &walk_params), 0);
	test->priv = c;
	return 0;
}

static void walk_exit(struct kunit *test)
{
	struct walk_ctx *c = test->priv;

	rhashtable_destroy(&c->ht);
}

static int walk_insert(struct walk_ctx *c, unsigned int from, unsigned int to)
{
	int err = 0;

	for (; from < to && !err; from++)
		err = rhashtable_insert_fast(&c->ht, &c->objs[from].node,
					     walk_params);
	return err;
}

/*
 * Inserts while a listing holds the table: they go on, into the tables
 * they attach, and the listing finds each entry once.
 */
static void walk_finds_entries_in_the_tables_inserts_attach(struct kunit *test)
{
	struct walk_ctx *c = test->priv;
	unsigned int twice, tables;

	xtcp_conn_list_lock(&c->ht, 0);
	KUNIT_EXPECT_EQ(test, walk_insert(c, 0, WALK_N), 0);
	KUNIT_EXPECT_EQ(test, walk_all(c, &twice), WALK_N);
	KUNIT_EXPECT_EQ(test, twice, 0);
	/* The case this is about: more tables than one, most entries later. */
	KUNIT_EXPECT_LT(test, walk_first(c, &tables), WALK_N / 2);
	KUNIT_EXPECT_GT(test, tables, 1);
	xtcp_conn_list_unlock(&c->ht);

	/* The resize, let go, moves them all into one table. */
	walk_settle(test, c);
	xtcp_conn_list_lock(&c->ht, 0);
	KUNIT_EXPECT_EQ(test, walk_first(c, &tables), WALK_N);
	KUNIT_EXPECT_EQ(test, walk_all(c, &twice), WALK_N);
	KUNIT_EXPECT_EQ(test, twice, 0);
	xtcp_conn_list_unlock(&c->ht);
}

/* Removals shrink the table; a listing still finds what is left, once. */
static void walk_finds_what_is_left_after_a_shrink(struct kunit *test)
{
	struct walk_ctx *c = test->priv;
	unsigned int i, twice, tables, before;

	KUNIT_ASSERT_EQ(test, walk_insert(c, 0, WALK_N), 0);
	walk_settle(test, c);
	rcu_read_lock();
	before = rht_dereference_rcu(c->ht.tbl, &c->ht)->size;
	rcu_read_unlock();
	for (i = 0; i < WALK_N - 10; i++) {
		int err = rhashtable_remove_fast(&c->ht, &c->objs[i].node,
						 walk_params);

		KUNIT_ASSERT_EQ(test, err, 0);
	}
	walk_settle(test, c);
	xtcp_conn_list_lock(&c->ht, 0);
	rcu_read_lock();
	KUNIT_EXPECT_LT(test, rht_dereference_rcu(c->ht.tbl, &c->ht)->size,
			before);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, walk_all(c, &twice), 10);
	KUNIT_EXPECT_EQ(test, twice, 0);
	for (i = WALK_N - 10; i < WALK_N; i++)
		KUNIT_EXPECT_EQ(test, c->objs[i].seen, 1);
	/* And new entries beyond the small table's size, held again. */
	KUNIT_EXPECT_EQ(test, walk_insert(c, 0, WALK_N - 10), 0);
	KUNIT_EXPECT_EQ(test, walk_all(c, &twice), WALK_N);
	KUNIT_EXPECT_EQ(test, twice, 0);
	walk_first(c, &tables);
	KUNIT_EXPECT_GT(test, tables, 1);
	xtcp_conn_list_unlock(&c->ht);
}

static struct kunit_case walk_cases[] = {
	KUNIT_CASE(walk_finds_entries_in_the_tables_inserts_attach),
	KUNIT_CASE(walk_finds_what_is_left_after_a_shrink),
	{}
};

static struct kunit_suite xtcp_tablewalk_suite = {
	.name = "xtcp_tablewalk",
	.init = walk_init,
	.exit = walk_exit,
	.test_cases = walk_cases,
};

kunit_test_suite(xtcp_tablewalk_suite);
