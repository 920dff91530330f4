// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-fallback.c - each fallback outcome of both profiles
 * (claim of a whole pageblock, claim by the half-pageblock threshold,
 * steal, 4.12's largest block), the extfrag fields, ALLOC_NOFRAGMENT, the
 * watermark boost and the highatomic reserve, with pfns worked out by hand
 * from ALLOCATOR-SPEC.md 3.4-3.5.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test-allocator.h"

#define S 0x10000ull
#define MOV BT_BUDDY_GFP_HIGHUSER_MOVABLE

static void check_ok(struct bt_buddy *b)
{
	char err[256];

	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("%s", err);
}

static void expect_extfrag(const struct bt_alloc_result *res, uint64_t pfn,
			   unsigned int order, unsigned int forder, int mt,
			   int fmt, bool own)
{
	assert_true(res->nr_fallbacks >= 1);
	assert_int_equal(res->fallback.pfn, pfn);
	assert_int_equal(res->fallback.alloc_order, order);
	assert_int_equal(res->fallback.fallback_order, forder);
	assert_int_equal(res->fallback.alloc_mt, mt);
	assert_int_equal(res->fallback.fallback_mt, fmt);
	assert_int_equal(res->fallback.change_ownership, own);
}

/*
 * [6.x] An unmovable order-4 request with only a free order-10 block of
 * MOVABLE pageblocks: __rmqueue_claim() takes it at order 10, relabels
 * both pageblocks and expands onto the UNMOVABLE lists.
 */
static void test_claim_whole_block(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 0);
	struct bt_alloc_result res;
	struct bt_zone_info zi;

	(void)state;
	assert_int_equal(bt_buddy_add_free_block(b, S, 10, -1), 0);
	assert_int_equal(test_alloc(b, 4, BT_BUDDY_GFP_KERNEL, 0, &res), 0);
	assert_int_equal(res.pfn, S);
	assert_int_equal(res.path, BT_PATH_FAST);
	assert_int_equal(res.nr_fallbacks, 1);
	expect_extfrag(&res, S, 4, 10, BT_MT_UNMOVABLE, BT_MT_MOVABLE, true);
	assert_int_equal(bt_buddy_pageblock_mt(b, S), BT_MT_UNMOVABLE);
	assert_int_equal(bt_buddy_pageblock_mt(b, S + 512), BT_MT_UNMOVABLE);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.nr_free_mt[9][BT_MT_UNMOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[4][BT_MT_UNMOVABLE], 1);
	assert_int_equal(zi.wmark_boost, 0);
	assert_int_equal(zi.pageblocks[BT_MT_UNMOVABLE], 2);
	assert_int_equal(zi.pageblocks[BT_MT_MOVABLE], 2);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * [6.x] The half-pageblock threshold. Pageblock 0 holds a MOVABLE order-8
 * allocation at S. (a) The rest (order 8 at S+256) is free: 256 free +
 * 0 alike >= 256, the pageblock is claimed. (b) Only order 7 at S+384 is
 * free: 128 < 256, no claim, and after the ALLOC_NOFRAGMENT walk failed
 * __rmqueue_steal() takes the block without changing ownership.
 */
static void test_claim_threshold(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 0);
	struct bt_alloc_result res;
	struct bt_zone_info zi;
	unsigned int o;

	(void)state;
	assert_int_equal(bt_buddy_mark_allocated(b, S, 8, BT_MT_MOVABLE), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 256, 8, -1), 0);
	assert_int_equal(test_alloc(b, 4, BT_BUDDY_GFP_KERNEL, 0, &res), 0);
	assert_int_equal(res.pfn, S + 256);
	expect_extfrag(&res, S + 256, 4, 8, BT_MT_UNMOVABLE, BT_MT_MOVABLE,
		       true);
	assert_int_equal(res.alloc_flags & BT_ALLOC_NOFRAGMENT, 0);
	assert_int_equal(bt_buddy_pageblock_mt(b, S), BT_MT_UNMOVABLE);
	assert_int_equal(test_block(b, S + 384, &o), BT_BLOCK_FREE);
	assert_int_equal(o, 7);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.nr_free_mt[7][BT_MT_UNMOVABLE], 1);
	check_ok(b);
	bt_buddy_free_model(b);

	b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 0);
	assert_int_equal(bt_buddy_mark_allocated(b, S, 8, BT_MT_MOVABLE), 0);
	assert_int_equal(bt_buddy_mark_allocated(b, S + 256, 7, BT_MT_MOVABLE),
			 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 384, 7, -1), 0);
	assert_int_equal(test_alloc(b, 4, BT_BUDDY_GFP_KERNEL, 0, &res), 0);
	assert_int_equal(res.pfn, S + 384);
	expect_extfrag(&res, S + 384, 4, 7, BT_MT_UNMOVABLE, BT_MT_MOVABLE,
		       false);
	assert_int_equal(bt_buddy_pageblock_mt(b, S), BT_MT_MOVABLE);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	/* the remainder stays on the fallback (MOVABLE) lists */
	assert_int_equal(zi.nr_free_mt[6][BT_MT_MOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[5][BT_MT_MOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[4][BT_MT_MOVABLE], 1);
	assert_int_equal(zi.free_pages, 128 - 16);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * Movable order-0 request, UNMOVABLE pageblocks with free order 3 at S+8
 * and order 5 at S+1024.
 * [6.x] claim fails at order 5 (32 free < 256) and stops at order 3 (too
 * low to claim for MOVABLE); steal takes the smallest block, S+8. The
 * first (ALLOC_NOFRAGMENT) walk's refill found nothing but raised
 * alloc_factor, so the second refill asks for 8 << 1 = 16 blocks and keeps
 * stealing in STEAL mode: S+8..S+15, then S+1024..S+1031 out of the
 * order-5 block, 16 fallbacks; 4@S+1040 and 3@S+1032 remain.
 * [4.12] the largest block (order 5) is relabelled to MOVABLE lists, its
 * pageblock stays UNMOVABLE, and the retry allocates from it.
 */
static struct bt_buddy *steal_setup(enum bt_buddy_profile p)
{
	struct bt_buddy *b = test_empty(p, 2048, 0, 0, 0);
	int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(
		    bt_buddy_set_pageblock_mt(b, S + 512 * i, BT_MT_UNMOVABLE),
		    0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 8, 3, -1), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 1024, 5, -1), 0);
	return b;
}

static void test_steal_smallest_6x(void **state)
{
	struct bt_buddy *b = steal_setup(BT_PROFILE_6X);
	struct bt_alloc_result res;
	struct bt_pcp_info pi;
	struct bt_zone_info zi;

	(void)state;
	assert_int_equal(test_alloc(b, 0, MOV, 0, &res), 0);
	assert_int_equal(res.pfn, S + 8);
	assert_true(res.from_pcp);
	assert_int_equal(res.pcp_refill, 16);
	assert_int_equal(res.nr_fallbacks, 16);
	expect_extfrag(&res, S + 8, 0, 3, BT_MT_MOVABLE, BT_MT_UNMOVABLE,
		       false);
	assert_int_equal(bt_buddy_pcp_info(b, 0, 0, &pi), 0);
	assert_int_equal(pi.count, 15);
	assert_int_equal(pi.lists[BT_MT_MOVABLE], 15);
	assert_int_equal(pi.alloc_factor, 2);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.free_pages, 24);
	assert_int_equal(zi.nr_free_mt[4][BT_MT_UNMOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[3][BT_MT_UNMOVABLE], 1);
	assert_int_equal(bt_buddy_pageblock_mt(b, S + 1024), BT_MT_UNMOVABLE);
	/* the pcp holds S+9..S+15 in order */
	assert_int_equal(test_alloc(b, 0, MOV, 0, &res), 0);
	assert_int_equal(res.pfn, S + 9);
	assert_int_equal(res.pcp_refill, 0);
	check_ok(b);
	bt_buddy_free_model(b);
}

static void test_largest_412(void **state)
{
	struct bt_buddy *b = steal_setup(BT_PROFILE_4_12);
	struct bt_alloc_result res;
	struct bt_zone_info zi;

	(void)state;
	assert_int_equal(test_alloc(b, 0, MOV, 0, &res), 0);
	assert_int_equal(res.pfn, S + 1024);
	assert_int_equal(res.pcp_refill, 8);
	/* one fallback relabels the whole order-5 block; the rest is smallest
	 */
	assert_int_equal(res.nr_fallbacks, 1);
	expect_extfrag(&res, S + 1024, 0, 5, BT_MT_MOVABLE, BT_MT_UNMOVABLE,
		       false);
	assert_int_equal(bt_buddy_pageblock_mt(b, S + 1024), BT_MT_UNMOVABLE);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	/* 32 - 8 on MOVABLE lists (4.12 allows list != pageblock type) */
	assert_int_equal(zi.nr_free_mt[4][BT_MT_MOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[3][BT_MT_MOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[3][BT_MT_UNMOVABLE], 1);
	assert_int_equal(zi.free_pages, 40 - 8);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * Watermark boost: a sub-pageblock claim attempt boosts by a pageblock,
 * up to 1.5 x high; with ALLOC_KSWAPD the zone is flagged and the same
 * rmqueue wakes kswapd. Zone of 2048 pages (>= 4 pageblocks), high 1000.
 */
static void test_boost(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 1000);
	struct bt_alloc_result res;
	struct bt_zone_info zi;

	(void)state;
	assert_int_equal(bt_buddy_mark_allocated(b, S, 8, BT_MT_MOVABLE), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 256, 8, -1), 0);
	assert_int_equal(test_alloc(b, 4, BT_BUDDY_GFP_KERNEL, 0, &res), 0);
	assert_int_equal(res.pfn, S + 256);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.wmark_boost, 512);
	/* flagged, then cleared by the kswapd wake in rmqueue() */
	assert_false(zi.boosted);
	assert_int_equal(res.kswapd_woken, 1);
	assert_true(bt_buddy_kswapd_awake(b, 0));
	/* kswapd's end of balance_pgdat() consumes the boost */
	assert_int_equal(bt_buddy_kswapd_set_state(b, 0, false), 0);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.wmark_boost, 0);
	bt_buddy_free_model(b);
}

/*
 * [6.x, kver 6.18] A GFP_ATOMIC order-1 request fails the low mark (511
 * free vs 700), passes the atomic min (600 -> 300 -> 225) with
 * ALLOC_HIGHATOMIC; the pcp refill claims pageblock 5 and the allocation
 * then reserves it: HIGHATOMIC, nr_reserved_highatomic 512.
 */
static void test_highatomic_reserve(void **state)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;
	struct bt_alloc_result res;
	struct bt_zone_info zi;
	const uint64_t P = S + 5 * 512;

	(void)state;
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.kernel_version = BT_KVER(6, 18, 0);
	b = bt_buddy_new(&cfg);
	assert_int_equal(
	    test_add_zone(b, BT_ZONE_NORMAL, S, 65536, 600, 700, 800), 0);
	assert_int_equal(bt_buddy_add_free_block(b, P, 9, -1), 0);
	assert_int_equal(test_alloc(b, 1, BT_BUDDY_GFP_ATOMIC_6X, 0, &res), 0);
	assert_int_equal(res.pfn, P);
	assert_int_equal(res.path, BT_PATH_SLOW);
	assert_int_equal(res.got, BT_GOT_MIN_WMARK);
	assert_int_equal(res.stages, BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK);
	assert_true(res.alloc_flags & BT_ALLOC_HIGHATOMIC);
	assert_int_equal(res.pcp_refill, 4);
	expect_extfrag(&res, P, 1, 9, BT_MT_UNMOVABLE, BT_MT_MOVABLE, true);
	assert_int_equal(bt_buddy_pageblock_mt(b, P), BT_MT_HIGHATOMIC);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.nr_reserved_highatomic, 512);
	/* 512 - 4 order-1 blocks (one allocated, three on the pcp) */
	assert_int_equal(zi.free_highatomic, 504);
	assert_int_equal(zi.free_pages, 504);
	check_ok(b);
	/* the limit is ALIGN(65536 / 100, 512) = 1024: a second block fits */
	bt_buddy_free_model(b);
}

/*
 * [6.x profile on 5.15] GFP_ATOMIC carries __GFP_ATOMIC: ALLOC_HARDER,
 * min 600 -> 300 -> 225 < 511; after the order-1 allocation the pageblock
 * is reserved with 5.x's limit (655 + 512).
 */
static void test_highatomic_reserve_515(void **state)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;
	struct bt_alloc_result res;
	struct bt_zone_info zi;
	const uint64_t P = S + 5 * 512;

	(void)state;
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.kernel_version = BT_KVER(5, 15, 0);
	b = bt_buddy_new(&cfg);
	assert_int_equal(
	    test_add_zone(b, BT_ZONE_NORMAL, S, 65536, 600, 700, 800), 0);
	assert_int_equal(bt_buddy_add_free_block(b, P, 9, -1), 0);
	assert_int_equal(test_alloc(b, 1, BT_BUDDY_GFP_ATOMIC_4X, 0, &res), 0);
	assert_int_equal(res.pfn, P);
	assert_int_equal(res.path, BT_PATH_SLOW);
	assert_int_equal(res.got, BT_GOT_MIN_WMARK);
	assert_int_equal(res.alloc_flags,
			 BT_ALLOC_WMARK_MIN | BT_ALLOC_MIN_RESERVE |
			     BT_ALLOC_HARDER | BT_ALLOC_KSWAPD);
	assert_int_equal(bt_buddy_pageblock_mt(b, P), BT_MT_HIGHATOMIC);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.nr_reserved_highatomic, 512);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * unreserve_highatomic_pageblock(force) before OOM: the only free memory
 * is a reserved HIGHATOMIC pageblock (512 pages, min 400). Normal checks
 * see 512 - 512 = 0 free; should_reclaim_retry() fails, releases the
 * pageblock to UNMOVABLE (reserve 512 -> 0) and the retry gets its first
 * page.
 */
static void test_highatomic_unreserve(void **state)
{
	struct bt_buddy_config cfg;
	struct bt_zone_config zc = {0};
	struct bt_buddy *b;
	struct bt_alloc_result res;
	struct bt_zone_info zi;
	const uint64_t P = S + 5 * 512;

	(void)state;
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	b = bt_buddy_new(&cfg);
	zc.zone_type = BT_ZONE_NORMAL;
	zc.start_pfn = S;
	zc.spanned = zc.present = zc.managed = 65536;
	zc.wmark_min = 400;
	zc.wmark_low = 500;
	zc.wmark_high = 600;
	zc.pcp_high = -1;
	zc.pcp_high_min = zc.pcp_high_max = 64;
	zc.pcp_batch = 8;
	zc.nr_reserved_highatomic = 512;
	assert_int_equal(bt_buddy_add_zone(b, &zc), 0);
	assert_int_equal(bt_buddy_set_pageblock_mt(b, P, BT_MT_HIGHATOMIC), 0);
	assert_int_equal(bt_buddy_add_free_block(b, P, 9, -1), 0);
	assert_int_equal(test_alloc(b, 0, BT_BUDDY_GFP_KERNEL, 0, &res), 0);
	assert_int_equal(res.pfn, P);
	assert_int_equal(res.path, BT_PATH_SLOW);
	assert_int_equal(res.got, BT_GOT_RETRY);
	assert_int_equal(res.stages,
			 BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK |
			     BT_STAGE_RETRY_ATTEMPT | BT_STAGE_DIRECT_RECLAIM |
			     BT_STAGE_UNRESERVE | BT_STAGE_RECLAIM_RETRY);
	assert_int_equal(bt_buddy_pageblock_mt(b, P), BT_MT_UNMOVABLE);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.nr_reserved_highatomic, 0);
	assert_int_equal(zi.free_highatomic, 0);
	check_ok(b);
	bt_buddy_free_model(b);
}

/* ALLOC_NOFRAGMENT: the first walk refuses sub-pageblock fallbacks. */
static void test_nofragment(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 0);
	struct bt_alloc_result res;

	(void)state;
	assert_int_equal(bt_buddy_add_free_block(b, S + 64, 6, -1), 0);
	assert_int_equal(test_alloc(b, 4, BT_BUDDY_GFP_KERNEL, 0, &res), 0);
	assert_int_equal(res.pfn, S + 64);
	assert_int_equal(res.path, BT_PATH_FAST);
	/* the walk that succeeded ran without NOFRAGMENT */
	assert_int_equal(res.alloc_flags, BT_ALLOC_WMARK_LOW | BT_ALLOC_KSWAPD);
	bt_buddy_free_model(b);
	/* a pageblock-sized fallback succeeds with NOFRAGMENT still set */
	b = test_empty(BT_PROFILE_6X, 2048, 0, 0, 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 512, 9, -1), 0);
	assert_int_equal(test_alloc(b, 4, BT_BUDDY_GFP_KERNEL, 0, &res), 0);
	assert_int_equal(res.pfn, S + 512);
	assert_int_equal(res.alloc_flags, BT_ALLOC_WMARK_LOW | BT_ALLOC_KSWAPD |
					      BT_ALLOC_NOFRAGMENT);
	bt_buddy_free_model(b);
}

/* fallback_policy knob: NONE never uses another type's blocks. */
static void test_policy_none(void **state)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;
	struct bt_alloc_result res;

	(void)state;
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.fallback_policy = BT_FALLBACK_NONE;
	b = bt_buddy_new(&cfg);
	assert_int_equal(test_add_zone(b, BT_ZONE_NORMAL, S, 2048, 0, 0, 0), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S, 10, -1), 0);
	assert_int_equal(test_alloc(b, 4, BT_BUDDY_GFP_NOWAIT, 0, &res), 0);
	assert_int_equal(res.pfn, BT_BUDDY_PFN_NONE);
	assert_int_equal(res.fail, BT_FAIL_NO_RECLAIM);
	assert_int_equal(res.nr_fallbacks, 0);
	assert_int_equal(test_alloc(b, 4, MOV, 0, &res), 0);
	assert_int_equal(res.pfn, S);
	bt_buddy_free_model(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_claim_whole_block),
	    cmocka_unit_test(test_claim_threshold),
	    cmocka_unit_test(test_steal_smallest_6x),
	    cmocka_unit_test(test_largest_412),
	    cmocka_unit_test(test_boost),
	    cmocka_unit_test(test_highatomic_reserve),
	    cmocka_unit_test(test_highatomic_unreserve),
	    cmocka_unit_test(test_highatomic_reserve_515),
	    cmocka_unit_test(test_nofragment),
	    cmocka_unit_test(test_policy_none),
	};

	return cmocka_run_group_tests_name("allocator-fallback", tests, NULL,
					   NULL);
}
