// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-buddy.c - splitting, merging, head/tail placement, the
 * setup calls and the checker, with pfns worked out by hand from
 * expand() and __free_one_page() (ALLOCATOR-SPEC.md 3.4, 3.6).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test-allocator.h"
#include "allocator/allocator-internal.h"

#define S 0x10000ull
#define MOV BT_BUDDY_GFP_HIGHUSER_MOVABLE

static void check_ok(struct bt_buddy *b)
{
	char err[256];

	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("%s", err);
}

static uint64_t alloc_pfn(struct bt_buddy *b, unsigned int order)
{
	struct bt_alloc_result res;

	assert_int_equal(test_alloc(b, order, MOV, 0, &res), 0);
	return res.pfn;
}

/*
 * expand(): an order-4 request from one free order-10 block at S gets S;
 * the upper halves 9@S+512 ... 4@S+16 go to the list heads.
 */
static void split_placement(enum bt_buddy_profile p)
{
	struct bt_buddy *b = test_empty(p, 1024, 0, 0, 0);
	struct bt_zone_info zi;
	unsigned int o;

	assert_int_equal(bt_buddy_add_free_block(b, S, 10, -1), 0);
	assert_int_equal(alloc_pfn(b, 4), S);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	for (o = 4; o <= 9; o++) {
		unsigned int got;

		assert_int_equal(zi.nr_free[o], 1);
		assert_int_equal(test_block(b, S + (1u << o), &got),
				 BT_BLOCK_FREE);
		assert_int_equal(got, o);
	}
	assert_int_equal(zi.nr_free[10], 0);
	assert_int_equal(zi.free_pages, 1024 - 16);
	assert_int_equal(test_block(b, S, &o), BT_BLOCK_ALLOCATED);
	assert_int_equal(o, 4);
	/* next order-4 takes the order-4 remainder, then splits order 5 */
	assert_int_equal(alloc_pfn(b, 4), S + 16);
	assert_int_equal(alloc_pfn(b, 4), S + 32);
	assert_int_equal(test_block(b, S + 48, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 4);
	check_ok(b);
	bt_buddy_free_model(b);
}

static void test_split_6x(void **state)
{
	(void)state;
	split_placement(BT_PROFILE_6X);
}

static void test_split_412(void **state)
{
	(void)state;
	split_placement(BT_PROFILE_4_12);
}

/*
 * Tail placement: freeing order 4 at S next to a free order-5 block at
 * S+32 (the buddy of the enclosing order-5 block) goes to the tail, behind
 * the order-4 block at S+256 added first; a free whose higher buddy is
 * not free goes to the head.
 */
static void tail_placement(enum bt_buddy_profile p)
{
	struct bt_buddy *b = test_empty(p, 1024, 0, 0, 0);

	assert_int_equal(bt_buddy_add_free_block(b, S + 256, 4, -1), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 32, 5, -1), 0);
	assert_int_equal(bt_buddy_free(b, S, 4, 0, 0), 0);
	check_ok(b);
	/* list: [S+256, S] */
	assert_int_equal(alloc_pfn(b, 4), S + 256);
	assert_int_equal(alloc_pfn(b, 4), S);
	/* S+128: buddy S+144 in use, S+160 not a free order-5 block: head */
	assert_int_equal(bt_buddy_add_free_block(b, S + 512, 4, -1), 0);
	assert_int_equal(bt_buddy_free(b, S + 128, 4, 0, 0), 0);
	assert_int_equal(alloc_pfn(b, 4), S + 128);
	check_ok(b);
	bt_buddy_free_model(b);
}

static void test_tail_6x(void **state)
{
	(void)state;
	tail_placement(BT_PROFILE_6X);
}

static void test_tail_412(void **state)
{
	(void)state;
	tail_placement(BT_PROFILE_4_12);
}

/* Merging: frees coalesce upward until a buddy is in use. */
static void test_merge(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 1024, 0, 0, 0);
	struct bt_zone_info zi;
	unsigned int o;

	(void)state;
	assert_int_equal(bt_buddy_add_free_block(b, S + 32, 5, -1), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 64, 6, -1), 0);
	assert_int_equal(bt_buddy_free(b, S, 4, 0, 0), 0);
	assert_int_equal(bt_buddy_free(b, S + 16, 4, 0, 0), 0);
	/* 4+4 -> 5@S, +5@S+32 -> 6@S, +6@S+64 -> 7@S; S+128 in use */
	assert_int_equal(test_block(b, S, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 7);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.nr_free[7], 1);
	assert_int_equal(zi.free_pages, 128);
	assert_int_equal(zi.nr_free[4] + zi.nr_free[5] + zi.nr_free[6], 0);
	/* double free is refused and changes nothing */
	assert_int_equal(bt_buddy_free(b, S + 16, 4, 0, 0), -EALREADY);
	assert_int_equal(bt_buddy_free(b, S + 8, 0, 0, 0), -EALREADY);
	assert_int_equal(bt_buddy_free(b, S + 3, 2, 0, 0), -EINVAL);
	assert_int_equal(bt_buddy_free(b, 5, 0, 0, 0), -ENOENT);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * Merging at pageblock order: [6.x] a MOVABLE and a HIGHATOMIC order-9
 * block stay apart (HIGHATOMIC is not mergeable) while UNMOVABLE and
 * MOVABLE merge, relabelling the buddy; [4.12] only ISOLATE stops it.
 */
static void test_merge_pageblocks(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 0);
	unsigned int o;

	(void)state;
	assert_int_equal(
	    bt_buddy_set_pageblock_mt(b, S + 512, BT_MT_HIGHATOMIC), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 512, 9, -1), 0);
	assert_int_equal(bt_buddy_free(b, S, 9, 0, BT_FREE_NO_PCP), 0);
	assert_int_equal(test_block(b, S, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 9);
	assert_int_equal(test_block(b, S + 512, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 9);
	assert_int_equal(
	    bt_buddy_set_pageblock_mt(b, S + 1536, BT_MT_UNMOVABLE), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 1536, 9, -1), 0);
	assert_int_equal(bt_buddy_free(b, S + 1024, 9, 0, BT_FREE_NO_PCP), 0);
	assert_int_equal(test_block(b, S + 1024, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 10);
	assert_int_equal(bt_buddy_pageblock_mt(b, S + 1536), BT_MT_MOVABLE);
	check_ok(b);
	bt_buddy_free_model(b);

	b = test_empty(BT_PROFILE_4_12, 2048, 0, 0, 0);
	assert_int_equal(
	    bt_buddy_set_pageblock_mt(b, S + 512, BT_MT_HIGHATOMIC), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 512, 9, -1), 0);
	assert_int_equal(bt_buddy_free(b, S, 9, 0, 0), 0);
	assert_int_equal(test_block(b, S, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 10);
	assert_int_equal(bt_buddy_set_pageblock_mt(b, S + 1536, BT_MT_ISOLATE),
			 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 1536, 9, -1), 0);
	assert_int_equal(bt_buddy_free(b, S + 1024, 9, 0, 0), 0);
	assert_int_equal(test_block(b, S + 1024, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 9);
	check_ok(b);
	bt_buddy_free_model(b);
}

/* mark_allocated() carves free pages out; frees of parts of it work. */
static void test_carve_and_partial_free(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 1024, 0, 0, 0);
	struct bt_zone_info zi;
	unsigned int o;

	(void)state;
	assert_int_equal(bt_buddy_add_free_block(b, S, 10, -1), 0);
	/* carve 4 pages out of the middle of the order-10 block */
	assert_int_equal(bt_buddy_mark_allocated(b, S + 100, 2, BT_MT_MOVABLE),
			 4);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.free_pages, 1020);
	assert_int_equal(test_block(b, S + 100, &o), BT_BLOCK_ALLOCATED);
	/* split around S+100: 9@S+512 ... 6@S, 5@S+64, 4@S+112, 3@S+104, 2@S+96
	 */
	assert_int_equal(test_block(b, S + 512, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 9);
	assert_int_equal(test_block(b, S + 96, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 2);
	assert_int_equal(test_block(b, S + 104, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 3);
	check_ok(b);
	/* free one page of the order-2 allocation (split_page) */
	assert_int_equal(bt_buddy_free(b, S + 101, 0, 0, BT_FREE_NO_PCP), 0);
	assert_int_equal(test_block(b, S + 100, &o), BT_BLOCK_ALLOCATED);
	assert_int_equal(o, 0);
	assert_int_equal(test_block(b, S + 101, &o), BT_BLOCK_FREE);
	check_ok(b);
	/* the rest goes back and everything merges into order 10 again */
	assert_int_equal(bt_buddy_free(b, S + 100, 0, 0, BT_FREE_NO_PCP), 0);
	assert_int_equal(bt_buddy_free(b, S + 102, 0, 0, BT_FREE_NO_PCP), 0);
	assert_int_equal(bt_buddy_free(b, S + 103, 0, 0, BT_FREE_NO_PCP), 0);
	assert_int_equal(test_block(b, S, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 10);
	check_ok(b);
	bt_buddy_free_model(b);
}

/* The checker notices a counter that disagrees with the lists. */
static void test_check_detects(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 1024, 0, 0, 0);
	char err[256];

	(void)state;
	assert_int_equal(bt_buddy_add_free_block(b, S, 10, -1), 0);
	check_ok(b);
	b->zones[0]->nr_free[3]++;
	assert_int_equal(bt_buddy_check(b, err, sizeof(err)), BT_E_INTERNAL);
	assert_non_null(strstr(err, "nr_free[3]"));
	b->zones[0]->nr_free[3]--;
	b->zones[0]->free_pages--;
	assert_int_equal(bt_buddy_check(b, err, sizeof(err)), BT_E_INTERNAL);
	assert_non_null(strstr(err, "free page counters"));
	b->zones[0]->free_pages++;
	ST_AT(b->zones[0], 5) = ST(PS_ALLOC, 0);
	assert_int_equal(bt_buddy_check(b, err, sizeof(err)), BT_E_INTERNAL);
	assert_non_null(strstr(err, "is a head too"));
	ST_AT(b->zones[0], 5) = 0;
	check_ok(b);
	bt_buddy_free_model(b);
}

static int count_cb(const struct bt_block *blk, void *data)
{
	uint64_t *n = data;

	n[blk->state] += 1ull << blk->order;
	return 0;
}

static void test_iterate(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 1024, 0, 0, 0);
	uint64_t n[4] = {0};

	(void)state;
	assert_int_equal(bt_buddy_add_free_block(b, S, 9, -1), 0);
	assert_int_equal(
	    bt_buddy_mark_allocated(b, S + 512, 3, BT_MT_UNMOVABLE), 0);
	assert_int_equal(bt_buddy_for_each_block(b, 0,
						 1u << BT_BLOCK_FREE |
						     1u << BT_BLOCK_ALLOCATED,
						 count_cb, n),
			 0);
	assert_int_equal(n[BT_BLOCK_FREE], 512);
	assert_int_equal(n[BT_BLOCK_ALLOCATED], 8);
	assert_int_equal(bt_buddy_for_each_block(b, 5, 0, count_cb, n),
			 -EINVAL);
	assert_true(bt_buddy_state_bytes(b) >= 1024 * 10);
	bt_buddy_free_model(b);
}

/* A zone that starts inside a pageblock (DMA at pfn 1): relabelling
 * its first pageblock moves the free blocks that are inside the zone. */
static void test_partial_pageblock(void **state)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;
	struct bt_zone_info zi;

	(void)state;
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	b = bt_buddy_new(&cfg);
	assert_int_equal(test_add_zone(b, BT_ZONE_DMA, 1, 4095, 0, 0, 0), 0);
	assert_int_equal(test_free_range(b, 1, 4095, -1), 0);
	assert_int_equal(bt_buddy_set_pageblock_mt(b, 1, BT_MT_UNMOVABLE), 0);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	/* 1, 2-3, 4-7, ..., 256-511: orders 0..8 of pageblock 0 */
	assert_int_equal(zi.nr_free_mt[0][BT_MT_UNMOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[8][BT_MT_UNMOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[8][BT_MT_MOVABLE], 0);
	/* pagetypeinfo steps from pfn 1: 1, 513, ..., 3585: 8 pageblocks */
	assert_int_equal(zi.pageblocks[BT_MT_UNMOVABLE], 1);
	assert_int_equal(zi.pageblocks[BT_MT_MOVABLE], 7);
	check_ok(b);
	bt_buddy_free_model(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_6x),
	    cmocka_unit_test(test_split_412),
	    cmocka_unit_test(test_tail_6x),
	    cmocka_unit_test(test_tail_412),
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_merge_pageblocks),
	    cmocka_unit_test(test_carve_and_partial_free),
	    cmocka_unit_test(test_check_detects),
	    cmocka_unit_test(test_iterate),
	    cmocka_unit_test(test_partial_pageblock),
	};

	return cmocka_run_group_tests_name("allocator-buddy", tests, NULL,
					   NULL);
}
