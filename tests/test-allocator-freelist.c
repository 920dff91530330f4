// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-freelist.c - the free-list order that compaction's fast
 * free-page search depends on: bt_buddy_free_list_walk() visits a list
 * from its tail, bt_buddy_free_list_rotate() is move_freelist_head()
 * (the blocks in front of a block go to the tail). Five order-0 blocks
 * two pages apart (no buddies, so no merging) are added at the tail in
 * pfn order, as memory onlining adds them: S at the head, S + 8 at the
 * tail.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test-allocator.h"

#define S 0x10000ull

struct tail_copy {
	uint64_t *pfns;
};

static bool copy_one(void *data, uint64_t pfn, unsigned int i)
{
	((struct tail_copy *)data)->pfns[i] = pfn;
	return false;
}

/* The heads of a list's first @max blocks, tail first, into @pfns. */
static int list_tail(struct bt_buddy *b, int zid, unsigned int order, int mt,
		     uint64_t *pfns, unsigned int max)
{
	struct tail_copy c = { pfns };

	return bt_buddy_free_list_walk(b, zid, order, mt, max, copy_one, &c);
}

static struct bt_buddy *five_blocks(int *mt)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 1024, 0, 0, 0);

	assert_non_null(b);
	for (uint64_t i = 0; i < 5; i++)
		assert_int_equal(bt_buddy_add_free_block(b, S + 2 * i, 0, -1),
				 0);
	*mt = bt_buddy_pageblock_mt(b, S);
	assert_true(*mt >= 0);
	return b;
}

/* The list's pfns from the tail, as offsets from S, must be @want. */
static void expect_tail(struct bt_buddy *b, int mt, const unsigned int *want,
			int n)
{
	uint64_t pfns[8];
	char err[256];

	assert_int_equal(list_tail(b, 0, 0, mt, pfns, 8), n);
	for (int i = 0; i < n; i++)
		assert_int_equal(pfns[i], S + want[i]);
	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("%s", err);
}

/* A walk callback that stops at the first pfn at or above *data. */
static bool stop_at(void *data, uint64_t pfn, unsigned int i)
{
	uint64_t *limit = data;

	(void)i;
	if (pfn < limit[0])
		return false;
	limit[1] = pfn;
	return true;
}

static void test_tail_walk(void **state)
{
	static const unsigned int all[] = { 8, 6, 4, 2, 0 };
	uint64_t pfns[8];
	int mt;
	struct bt_buddy *b = five_blocks(&mt);

	(void)state;
	expect_tail(b, mt, all, 5);
	/* a short walk stops after @max blocks, tail first */
	assert_int_equal(list_tail(b, 0, 0, mt, pfns, 3), 3);
	assert_int_equal(pfns[2], S + 4);
	/* other lists of the zone are empty; bad arguments are refused */
	assert_int_equal(list_tail(b, 0, 1, mt, pfns, 8), 0);
	assert_int_equal(list_tail(b, 1, 0, mt, pfns, 8),
			 -EINVAL);
	assert_int_equal(list_tail(b, 0, 0, BT_MT_TYPES, pfns,
						 8), -EINVAL);
	/* the callback walk stops where asked: 8, 6, 4 from the tail */
	{
		uint64_t limit[2] = { S + 4, 0 };

		assert_int_equal(bt_buddy_free_list_walk(b, 0, 0, mt, 8,
							 stop_at, limit), 1);
		assert_int_equal(limit[1], S + 8);
		limit[0] = S + 9;
		assert_int_equal(bt_buddy_free_list_walk(b, 0, 0, mt, 8,
							 stop_at, limit), 5);
		assert_int_equal(bt_buddy_free_list_walk(b, 0, 0, mt, 2,
							 stop_at, limit), 2);
	}
	bt_buddy_free_model(b);
}

static void test_rotate(void **state)
{
	static const unsigned int mid[] = { 2, 0, 8, 6, 4 };
	static const unsigned int last[] = { 0, 8, 6, 4, 2 };
	int mt;
	struct bt_buddy *b = five_blocks(&mt);

	(void)state;
	/* S and S + 2 were in front of S + 4: they follow S + 8 now */
	assert_int_equal(bt_buddy_free_list_rotate(b, S + 4), 0);
	expect_tail(b, mt, mid, 5);
	/* the head is already at the head: nothing moves */
	assert_int_equal(bt_buddy_free_list_rotate(b, S + 4), 0);
	expect_tail(b, mt, mid, 5);
	/* the tail block becomes the head: the others keep their order */
	assert_int_equal(bt_buddy_free_list_rotate(b, S + 2), 0);
	expect_tail(b, mt, last, 5);
	/* no free block starts at S + 1 or outside the zone */
	assert_int_equal(bt_buddy_free_list_rotate(b, S + 1), -ENOENT);
	assert_int_equal(bt_buddy_free_list_rotate(b, 0), -ENOENT);
	/* a rotated list still merges: S + 1 joins S into an order-1 block */
	assert_int_equal(bt_buddy_add_free_block(b, S + 1, 0, -1), 0);
	assert_int_equal(test_block(b, S, NULL), BT_BLOCK_FREE);
	{
		static const unsigned int rest[] = { 8, 6, 4, 2 };

		expect_tail(b, mt, rest, 4);
	}
	bt_buddy_free_model(b);
}

/*
 * bt_buddy_free_list_gen(): a list's change count moves when a block
 * joins or leaves it or it rotates, and only then; walks and changes to
 * other lists leave it. Replay keeps a fruitless walk's result while it
 * holds.
 */
static void test_list_gen(void **state)
{
	uint64_t pfns[8];
	uint32_t g0, g1, g2, o1;
	int mt;
	struct bt_buddy *b = five_blocks(&mt);

	(void)state;
	g0 = bt_buddy_free_list_gen(b, 0, 0, mt);
	o1 = bt_buddy_free_list_gen(b, 0, 1, mt);
	/* five blocks joined the order-0 list on an empty zone */
	assert_int_equal(g0, 5);
	assert_int_equal(o1, 0);
	/* a walk changes nothing */
	assert_int_equal(list_tail(b, 0, 0, mt, pfns, 8), 5);
	assert_int_equal(bt_buddy_free_list_gen(b, 0, 0, mt), g0);
	/* a rotation that moves blocks counts; one that moves none not */
	assert_int_equal(bt_buddy_free_list_rotate(b, S + 4), 0);
	g1 = bt_buddy_free_list_gen(b, 0, 0, mt);
	assert_int_equal(g1, g0 + 1);
	assert_int_equal(bt_buddy_free_list_rotate(b, S + 4), 0);
	assert_int_equal(bt_buddy_free_list_gen(b, 0, 0, mt), g1);
	/* S + 9 merges with S + 8: S + 8 leaves the order-0 list, the pair
	 * joins order 1 */
	assert_int_equal(bt_buddy_add_free_block(b, S + 9, 0, -1), 0);
	g2 = bt_buddy_free_list_gen(b, 0, 0, mt);
	assert_int_equal(g2, g1 + 1);	/* S + 9 merged before joining */
	assert_int_equal(bt_buddy_free_list_gen(b, 0, 1, mt), o1 + 1);
	/* out of range: 0 */
	assert_int_equal(bt_buddy_free_list_gen(b, 1, 0, mt), 0);
	assert_int_equal(bt_buddy_free_list_gen(b, 0, 0, BT_MT_TYPES), 0);
	bt_buddy_free_model(b);
}

/* A zone [1000, 4000) with nothing free: not 1024-aligned. */
static struct bt_buddy *unaligned_empty(void)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;

	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.nr_cpus = 1;
	b = bt_buddy_new(&cfg);
	assert_non_null(b);
	assert_true(test_add_zone(b, BT_ZONE_NORMAL, 1000, 3000, 0, 0, 0) >=
		    0);
	return b;
}

/*
 * The list links of pfns on a 64-page boundary live apart from the
 * others (link_slot()): a zone that does not start on such a boundary,
 * its blocks of every size, allocations and frees across both kinds of
 * slot keep the lists whole and in order.
 */
static void test_unaligned_zone_links(void **state)
{
	/* [1000, 4000): 1000/3 1008/4 1024/10 2048/10 3072/9 3584/8 ... */
	struct bt_buddy *b = test_model(BT_PROFILE_6X, 1, 1000, 3000, 0, 0, 0);
	struct bt_alloc_result res[12];
	uint64_t pfns[8];
	char err[256];
	int mt;

	(void)state;
	assert_non_null(b);
	mt = bt_buddy_pageblock_mt(b, 1024);
	assert_int_equal(list_tail(b, 0, 10, mt, pfns, 8), 2);
	assert_int_equal(pfns[0], 2048);
	assert_int_equal(pfns[1], 1024);
	assert_int_equal(list_tail(b, 0, 3, mt, pfns, 8), 1);
	assert_int_equal(pfns[0], 1000);
	/* the state bytes too: heads on a 64-page boundary (1024, 2048,
	 * 3072, 3584) in the compact region, the others in their rows; the
	 * scan for free heads crosses both */
	{
		static const uint64_t heads[][2] = {
			{ 1000, 3 }, { 1008, 4 }, { 1024, 10 }, { 2048, 10 },
			{ 3072, 9 }, { 3584, 8 },
		};
		uint64_t pfn = 1000;
		unsigned int o;

		for (size_t k = 0; k < BT_ARRAY_SIZE(heads); k++) {
			pfn = bt_buddy_next_free_head(b, pfn, 4000, &o);
			assert_int_equal(pfn, heads[k][0]);
			assert_int_equal(o, heads[k][1]);
			pfn++;
		}
	}
	/* above every block so far: the unchecked add gives the same state */
	{
		struct bt_buddy *c = unaligned_empty();
		struct bt_buddy *d = unaligned_empty();
		uint64_t pc[8], pd[8];
		unsigned int o2;
		int nc, nd;

		/* 3840/7 and 3968/5 once merged */
		for (uint64_t p = 3840; p < 4000; p += 32) {
			assert_int_equal(
				bt_buddy_add_free_block(c, p, 5, -1), 0);
			assert_int_equal(
				bt_buddy_add_free_block_above(d, p, 5, -1), 0);
		}
		if (bt_buddy_check(d, err, sizeof(err)))
			fail_msg("%s", err);
		for (unsigned int order = 0; order <= 10; order++) {
			nc = list_tail(c, 0, order, mt, pc, 8);
			nd = list_tail(d, 0, order, mt, pd, 8);
			assert_int_equal(nc, nd);
			assert_int_equal(nc, order == 7 || order == 5);
			for (int k = 0; k < nc; k++)
				assert_int_equal(pc[k], pd[k]);
		}
		assert_int_equal(bt_buddy_next_free_head(d, 1000, 4000, &o2),
				 3840);
		assert_int_equal(o2, 7);
		assert_int_equal(bt_buddy_next_free_head(d, 3841, 4000, &o2),
				 3968);
		assert_int_equal(o2, 5);
		bt_buddy_free_model(c);
		bt_buddy_free_model(d);
	}
	/* order 4: no per-CPU list, straight from and back to the lists */
	for (int i = 0; i < 12; i++)
		assert_int_equal(test_alloc(b, 4, BT_BUDDY_GFP_HIGHUSER_MOVABLE, 0,
					    &res[i]),
				 0);
	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(res[0].pfn, 1008);	/* the only order-4 block */
	for (int i = 0; i < 12; i++)
		assert_int_equal(bt_buddy_free(b, res[i].pfn, 4, 0,
					       BT_FREE_NO_PCP), 0);
	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("%s", err);
	/* everything merged back: the same two order-10 blocks */
	assert_int_equal(list_tail(b, 0, 10, mt, pfns, 8), 2);
	bt_buddy_free_model(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tail_walk),
	    cmocka_unit_test(test_rotate),
	    cmocka_unit_test(test_list_gen),
	    cmocka_unit_test(test_unaligned_zone_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
