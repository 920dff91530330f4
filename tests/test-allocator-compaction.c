// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-compaction.c - compaction inside the model: a whole-zone
 * run, deferral after failed synchronous runs, kcompactd woken by
 * wakeup_kswapd() on a balanced node, and proactive compaction by the
 * fragmentation score (ALLOCATOR-SPEC.md 5.2-5.7).
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

static void check_ok(struct bt_buddy *b)
{
	char err[256];

	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("%s", err);
}

/*
 * Two pageblocks from @base: the first has movable order-0 pages at
 * base+4k (k < 128) with the pages between free, the second its upper
 * half free (a wholly free pageblock is never a target), its lower half
 * untracked, as allocated.
 */
static void two_blocks(struct bt_buddy *b, uint64_t base)
{
	for (int k = 0; k < 128; k++) {
		assert_int_equal(bt_buddy_mark_allocated(b, base + 4 * k, 0,
							 BT_MT_MOVABLE), 0);
		assert_int_equal(
		    bt_buddy_add_free_block(b, base + 4 * k + 1, 0, -1), 0);
		assert_int_equal(
		    bt_buddy_add_free_block(b, base + 4 * k + 2, 1, -1), 0);
	}
	assert_int_equal(bt_buddy_add_free_block(b, base + 768, 8, -1), 0);
}

/*
 * Four pageblocks: 0 and 1 wholly UNMOVABLE (nothing the migrate scanner
 * may take: passed over without a look at their pages), 2 and 3 as
 * two_blocks() lays them out. The run moves
 * the 128 pages of pageblock 2 into pageblock 3 and completes when the
 * scanners meet; pageblocks 0 and 1 are untouched.
 */
static void test_passed_over(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 0);
	struct bt_zone_info zi;
	struct bt_buddy_stats st;
	unsigned int o;

	(void)state;
	assert_non_null(b);
	assert_int_equal(bt_buddy_mark_allocated(b, S, 9, BT_MT_UNMOVABLE), 0);
	assert_int_equal(
	    bt_buddy_mark_allocated(b, S + 512, 9, BT_MT_UNMOVABLE), 0);
	two_blocks(b, S + 1024);
	assert_int_equal(
	    bt_buddy_compact_zone(b, 0, -1, BT_COMPACT_PRIO_SYNC_LIGHT),
	    BT_COMPACT_COMPLETE);
	bt_buddy_get_stats(b, &st);
	assert_int_equal(st.compact_migrated, 128);
	assert_int_equal(test_block(b, S, &o), BT_BLOCK_ALLOCATED);
	assert_int_equal(o, 9);
	assert_int_equal(test_block(b, S + 512, &o), BT_BLOCK_ALLOCATED);
	assert_int_equal(o, 9);
	assert_int_equal(test_block(b, S + 1024, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 9);
	assert_int_equal(test_block(b, S + 1536 + 256, &o), BT_BLOCK_ALLOCATED);
	assert_int_equal(test_block(b, S + 1536 + 383, &o), BT_BLOCK_ALLOCATED);
	assert_int_equal(test_block(b, S + 1536 + 384, &o), BT_BLOCK_FREE);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.free_pages, 512 + 128);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * two_blocks() at S. A whole-zone run (order -1) moves the 128 pages
 * to S+768..S+895, the lowest free pages of the free scanner's
 * pageblock, and pageblock 0 merges into one free order-9 block; 7@S+896
 * stays free.
 */
static void test_whole_zone(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 1024, 0, 0, 0);
	struct bt_zone_info zi;
	struct bt_buddy_stats st;
	unsigned int o;

	(void)state;
	two_blocks(b, S);
	assert_int_equal(
	    bt_buddy_compact_zone(b, 0, -1, BT_COMPACT_PRIO_SYNC_LIGHT),
	    BT_COMPACT_COMPLETE);
	bt_buddy_get_stats(b, &st);
	assert_int_equal(st.compact_migrated, 128);
	assert_int_equal(test_block(b, S, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 9);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.free_pages, 512 + 128);
	assert_int_equal(zi.nr_free[9], 1);
	assert_int_equal(zi.nr_free[7], 1);
	assert_int_equal(test_block(b, S + 768, &o), BT_BLOCK_ALLOCATED);
	assert_int_equal(test_block(b, S + 895, &o), BT_BLOCK_ALLOCATED);
	assert_int_equal(test_block(b, S + 896, &o), BT_BLOCK_FREE);
	check_ok(b);
	assert_int_equal(bt_buddy_compact_zone(b, 3, -1, 0), -EINVAL);
	bt_buddy_free_model(b);
}

/*
 * Deferral: nothing movable, a costly request with enough free pages
 * (fragmentation index 1000 - (1000 + 64*1000/16)/64 = 922 > 500) runs
 * sync compaction that completes without success: defer_compaction()
 * sets defer_shift 1, order_failed 4. The next try is deferred
 * (considered 1 < 2); the one after that runs again (considered 2).
 */
static void test_deferral(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 2048, 4, 5, 6);
	struct bt_alloc_result res;
	struct bt_zone_info zi;
	int k;

	(void)state;
	for (k = 0; k < 64; k++)
		assert_int_equal(bt_buddy_add_free_block(b, S + 2 * k, 0, -1),
				 0);
	/* RETRY_MAYFAIL: reaches direct compaction at SYNC_LIGHT */
	assert_int_equal(
	    test_alloc(b, 4, BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_RETRY_MAYFAIL,
		       0, &res),
	    0);
	assert_int_equal(res.pfn, BT_BUDDY_PFN_NONE);
	assert_int_equal(res.oom, BT_OOM_SKIP_COSTLY);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(res.compact_rounds, 2);
	assert_int_equal(res.compact_result, BT_COMPACT_PARTIAL_SKIPPED);
	assert_int_equal(zi.compact_defer_shift, 1);
	assert_int_equal(zi.compact_considered, 0);
	assert_int_equal(zi.compact_order_failed, 0);
	/* the async initial compaction of the next request is deferred */
	assert_int_equal(test_alloc(b, 4,
				    BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_NORETRY,
				    0, &res),
			 0);
	assert_int_equal(res.fail, BT_FAIL_INIT_COMPACT);
	assert_int_equal(res.compact_result, BT_COMPACT_DEFERRED);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.compact_considered, 1);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * kcompactd: a movable order-9 GFP_NOWAIT request fails and wakes kswapd
 * with order 9; kswapd finds nothing to reclaim, sleeps and wakes
 * kcompactd at order 9. Free: 128 singles in pageblock 0 between 128
 * movable pages, and the upper halves of pageblocks 1-5 (1408 pages, >
 * min 4 + gap 1024 + 1; fragmentation index 972 > 500). kcompactd moves
 * the 128 pages into pageblock 5 and compacts one zone.
 */
static void test_kcompactd(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 4096, 4, 5, 6);
	struct bt_alloc_result res;
	struct bt_buddy_stats st;
	unsigned int o;
	int k;

	(void)state;
	for (k = 0; k < 128; k++) {
		assert_int_equal(
		    bt_buddy_mark_allocated(b, S + 2 * k, 0, BT_MT_MOVABLE), 0);
		assert_int_equal(
		    bt_buddy_add_free_block(b, S + 2 * k + 1, 0, -1), 0);
	}
	for (k = 1; k <= 5; k++)
		assert_int_equal(
		    bt_buddy_add_free_block(b, S + 512 * k + 256, 8, -1), 0);
	assert_int_equal(test_alloc(b, 9,
				    BT_BUDDY_GFP_NOWAIT | BT_BUDDY_GFP_MOVABLE,
				    0, &res),
			 0);
	assert_int_equal(res.pfn, BT_BUDDY_PFN_NONE);
	assert_int_equal(res.kswapd_woken, 1);
	assert_int_equal(bt_buddy_kswapd_run(b, 0), 0);
	assert_int_equal(bt_buddy_kcompactd_run(b, 0), 1);
	bt_buddy_get_stats(b, &st);
	assert_int_equal(st.compact_migrated, 128);
	/* pageblock 0's lower half is one free order-8 block now */
	assert_int_equal(test_block(b, S, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 8);
	/* nothing pending: a second run compacts nothing */
	assert_int_equal(bt_buddy_kcompactd_run(b, 0), 0);
	check_ok(b);
	bt_buddy_free_model(b);
}

/* Proactive compaction runs only above the score's high mark (90). */
static void test_proactive(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 0);
	int k;

	(void)state;
	/* everything free in order-9 blocks: score 0, nothing to do */
	assert_int_equal(test_free_range(b, S + 1024, 1024, -1), 0);
	assert_int_equal(bt_buddy_proactive_compact(b, 0), 0);
	bt_buddy_free_model(b);

	b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 0);
	for (k = 0; k < 256; k++) {
		assert_int_equal(
		    bt_buddy_mark_allocated(b, S + 2 * k, 0, BT_MT_MOVABLE), 0);
		assert_int_equal(
		    bt_buddy_add_free_block(b, S + 2 * k + 1, 0, -1), 0);
	}
	/* 256 free pages, none in an order-9 block: score 2048*100/2049 = 99 */
	assert_int_equal(bt_buddy_proactive_compact(b, 0), 1);
	check_ok(b);
	bt_buddy_free_model(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_whole_zone),
	    cmocka_unit_test(test_passed_over),
	    cmocka_unit_test(test_deferral),
	    cmocka_unit_test(test_kcompactd),
	    cmocka_unit_test(test_proactive),
	};

	return cmocka_run_group_tests_name("allocator-compaction", tests, NULL,
					   NULL);
}
