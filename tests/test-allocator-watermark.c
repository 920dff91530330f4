// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-watermark.c - gfp decoding and __zone_watermark_ok()
 * under each alloc-flag combination of both profiles, with numbers worked
 * out by hand from ALLOCATOR-SPEC.md 2.3.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test-allocator.h"
#include "traces/traces.h"

/* The model's gfp bits are the canonical trace bits. */
_Static_assert(BT_BUDDY_GFP_DMA == BT_GFP_DMA, "gfp");
_Static_assert(BT_BUDDY_GFP_HIGHMEM == BT_GFP_HIGHMEM, "gfp");
_Static_assert(BT_BUDDY_GFP_DMA32 == BT_GFP_DMA32, "gfp");
_Static_assert(BT_BUDDY_GFP_MOVABLE == BT_GFP_MOVABLE, "gfp");
_Static_assert(BT_BUDDY_GFP_RECLAIMABLE == BT_GFP_RECLAIMABLE, "gfp");
_Static_assert(BT_BUDDY_GFP_HIGH == BT_GFP_HIGH, "gfp");
_Static_assert(BT_BUDDY_GFP_IO == BT_GFP_IO, "gfp");
_Static_assert(BT_BUDDY_GFP_FS == BT_GFP_FS, "gfp");
_Static_assert(BT_BUDDY_GFP_ATOMIC == BT_GFP_ATOMIC, "gfp");
_Static_assert(BT_BUDDY_GFP_DIRECT_RECLAIM == BT_GFP_DIRECT_RECLAIM, "gfp");
_Static_assert(BT_BUDDY_GFP_KSWAPD_RECLAIM == BT_GFP_KSWAPD_RECLAIM, "gfp");
_Static_assert(BT_BUDDY_GFP_WRITE == BT_GFP_WRITE, "gfp");
_Static_assert(BT_BUDDY_GFP_NOWARN == BT_GFP_NOWARN, "gfp");
_Static_assert(BT_BUDDY_GFP_RETRY_MAYFAIL == BT_GFP_RETRY_MAYFAIL, "gfp");
_Static_assert(BT_BUDDY_GFP_NOFAIL == BT_GFP_NOFAIL, "gfp");
_Static_assert(BT_BUDDY_GFP_NORETRY == BT_GFP_NORETRY, "gfp");
_Static_assert(BT_BUDDY_GFP_MEMALLOC == BT_GFP_MEMALLOC, "gfp");
_Static_assert(BT_BUDDY_GFP_COMP == BT_GFP_COMP, "gfp");
_Static_assert(BT_BUDDY_GFP_NOMEMALLOC == BT_GFP_NOMEMALLOC, "gfp");
_Static_assert(BT_BUDDY_GFP_HARDWALL == BT_GFP_HARDWALL, "gfp");
_Static_assert(BT_BUDDY_GFP_THISNODE == BT_GFP_THISNODE, "gfp");
_Static_assert(BT_BUDDY_GFP_ACCOUNT == BT_GFP_ACCOUNT, "gfp");

#define S 0x10000ull /* zone start, 1024-aligned */

/* A Normal zone of 4096 pages, nothing free. */
static struct bt_buddy *empty_zone(enum bt_buddy_profile p,
				   uint64_t reserved_ha)
{
	struct bt_buddy_config cfg;
	struct bt_zone_config zc = {0};
	struct bt_buddy *b;

	bt_buddy_config_init(&cfg, p);
	b = bt_buddy_new(&cfg);
	assert_non_null(b);
	zc.zone_type = BT_ZONE_NORMAL;
	zc.start_pfn = S;
	zc.spanned = zc.present = zc.managed = 4096;
	zc.wmark_min = 1000;
	zc.wmark_low = 1100;
	zc.wmark_high = 1200;
	zc.protection[BT_ZONE_MOVABLE] = 100;
	zc.pcp_high = -1;
	zc.pcp_high_min = zc.pcp_high_max = 64;
	zc.pcp_batch = 8;
	zc.nr_reserved_highatomic = reserved_ha;
	assert_int_equal(bt_buddy_add_zone(b, &zc), 0);
	return b;
}

static bool ok(struct bt_buddy *b, unsigned int order, uint64_t mark, int hz,
	       unsigned int flags)
{
	return bt_buddy_watermark_ok(b, 0, order, mark, hz, flags);
}

static void test_gfp_decode(void **state)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;

	(void)state;
	assert_int_equal(bt_buddy_gfp_zone(BT_BUDDY_GFP_KERNEL),
			 BT_ZONE_NORMAL);
	assert_int_equal(bt_buddy_gfp_zone(BT_BUDDY_GFP_HIGHUSER_MOVABLE),
			 BT_ZONE_MOVABLE);
	assert_int_equal(
	    bt_buddy_gfp_zone(BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_MOVABLE),
	    BT_ZONE_NORMAL);
	assert_int_equal(
	    bt_buddy_gfp_zone(BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_DMA32),
	    BT_ZONE_DMA32);
	assert_int_equal(bt_buddy_gfp_zone(BT_BUDDY_GFP_DMA), BT_ZONE_DMA);
	assert_int_equal(bt_buddy_gfp_zone(BT_BUDDY_GFP_HIGHMEM),
			 BT_ZONE_NORMAL);
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	b = bt_buddy_new(&cfg);
	assert_non_null(b);
	assert_int_equal(bt_buddy_gfp_migratetype(b, BT_BUDDY_GFP_KERNEL),
			 BT_MT_UNMOVABLE);
	assert_int_equal(
	    bt_buddy_gfp_migratetype(b, BT_BUDDY_GFP_HIGHUSER_MOVABLE),
	    BT_MT_MOVABLE);
	assert_int_equal(bt_buddy_gfp_migratetype(b, RECLAIMABLE_GFP),
			 BT_MT_RECLAIMABLE);
	bt_buddy_free_model(b);
	cfg.mobility_disabled = true;
	b = bt_buddy_new(&cfg);
	assert_int_equal(
	    bt_buddy_gfp_migratetype(b, BT_BUDDY_GFP_HIGHUSER_MOVABLE),
	    BT_MT_UNMOVABLE);
	bt_buddy_free_model(b);
	/* the thp masks of spec 9.3 */
	assert_int_equal(BT_BUDDY_GFP_TRANSHUGE_LIGHT, 0x1c20ca);
	assert_int_equal(BT_BUDDY_GFP_TRANSHUGE, 0x1c24ca);
	assert_int_equal(BT_BUDDY_GFP_KERNEL, 0xcc0);
}

static void test_profile_release(void **state)
{
	enum bt_buddy_profile p;
	uint32_t kv;

	(void)state;
	assert_int_equal(
	    bt_buddy_profile_from_release("6.18.44-cloud-amd64", &p, &kv), 0);
	assert_int_equal(p, BT_PROFILE_6X);
	assert_int_equal(kv, BT_KVER(6, 18, 44));
	assert_int_equal(bt_buddy_profile_from_release("4.12.0", &p, &kv), 0);
	assert_int_equal(p, BT_PROFILE_4_12);
	assert_int_equal(bt_buddy_profile_from_release("4.19.112", &p, NULL),
			 0);
	assert_int_equal(p, BT_PROFILE_4_12);
	assert_int_equal(bt_buddy_profile_from_release("5.15.0", &p, NULL), 0);
	assert_int_equal(p, BT_PROFILE_6X);
	assert_int_equal(bt_buddy_profile_from_release("linux", &p, NULL),
			 BT_E_PARSE);
	assert_int_equal(bt_buddy_profile_parse("4.12", &p), 0);
	assert_int_equal(p, BT_PROFILE_4_12);
	assert_int_equal(bt_buddy_profile_parse("5.x", &p), BT_E_PARSE);
	assert_string_equal(bt_buddy_profile_name(BT_PROFILE_6X), "6.x");
}

/* Order 0, mark 1000: free must exceed the discounted min (strict). */
static void test_order0_flags_6x(void **state)
{
	struct bt_buddy *b = empty_zone(BT_PROFILE_6X, 0);
	const unsigned int MR = BT_ALLOC_MIN_RESERVE, NB = BT_ALLOC_NON_BLOCK;

	(void)state;
	/* 1001 free pages in maximal blocks from S */
	assert_int_equal(test_free_range(b, S, 1001, -1), 0);
	assert_true(ok(b, 0, 1000, BT_ZONE_NORMAL, 0));
	assert_false(ok(b, 0, 1001, BT_ZONE_NORMAL, 0));
	/* lowmem reserve of a MOVABLE request: 1000 + 100 */
	assert_false(ok(b, 0, 1000, BT_ZONE_MOVABLE, 0));
	assert_true(ok(b, 0, 900, BT_ZONE_MOVABLE, 0));
	/* __GFP_HIGH: 2000 - 1000 = 1000 passes, 2001 - 1000 = 1001 not */
	assert_true(ok(b, 0, 2000, BT_ZONE_NORMAL, MR));
	assert_false(ok(b, 0, 2001, BT_ZONE_NORMAL, MR));
	/* GFP_ATOMIC: 1600 -> 800 -> 600 */
	assert_true(ok(b, 0, 1600, BT_ZONE_NORMAL, MR | NB));
	/* 2666 -> 1333 -> 1000 passes; 2668 -> 1334 -> 1001 fails */
	assert_true(ok(b, 0, 2666, BT_ZONE_NORMAL, MR | NB));
	assert_false(ok(b, 0, 2668, BT_ZONE_NORMAL, MR | NB));
	/* NON_BLOCK alone gives no discount (>= 6.3) */
	assert_false(ok(b, 0, 1001, BT_ZONE_NORMAL, NB));
	/* ALLOC_OOM: 2000 -> 1000 passes, 2001 -> 1001 not */
	assert_true(ok(b, 0, 2000, BT_ZONE_NORMAL, BT_ALLOC_OOM));
	assert_false(ok(b, 0, 2001, BT_ZONE_NORMAL, BT_ALLOC_OOM));
	/* all three: 4000 -> 2000 -> 1500 -> 750; 5400 -> ... -> 1013 */
	assert_true(ok(b, 0, 4000, BT_ZONE_NORMAL, MR | NB | BT_ALLOC_OOM));
	assert_false(ok(b, 0, 5400, BT_ZONE_NORMAL, MR | NB | BT_ALLOC_OOM));
	bt_buddy_free_model(b);
}

/* [4.12] ALLOC_HIGH halves, ALLOC_HARDER takes a quarter more. */
static void test_order0_flags_412(void **state)
{
	struct bt_buddy *b = empty_zone(BT_PROFILE_4_12, 0);
	const unsigned int HI = BT_ALLOC_MIN_RESERVE, HA = BT_ALLOC_HARDER;

	(void)state;
	assert_int_equal(test_free_range(b, S, 1001, -1), 0);
	assert_false(ok(b, 0, 1001, BT_ZONE_NORMAL, 0));
	assert_true(ok(b, 0, 2000, BT_ZONE_NORMAL, HI));
	assert_false(ok(b, 0, 2001, BT_ZONE_NORMAL, HI));
	/* HARDER: 1334 - 333 = 1001 fails, 1333 - 333 = 1000 passes */
	assert_false(ok(b, 0, 1334, BT_ZONE_NORMAL, HA));
	assert_true(ok(b, 0, 1333, BT_ZONE_NORMAL, HA));
	/* HIGH|HARDER: 2668 -> 1334 -> 1001 fails; 2666 -> 1333 -> 1000 */
	assert_false(ok(b, 0, 2668, BT_ZONE_NORMAL, HI | HA));
	assert_true(ok(b, 0, 2666, BT_ZONE_NORMAL, HI | HA));
	bt_buddy_free_model(b);
}

/*
 * [5.x-6.2, 6.x profile on 5.15] ALLOC_HIGH halves, then ALLOC_OOM halves
 * or ALLOC_HARDER takes a quarter; either also skips the highatomic
 * subtraction. NON_BLOCK does not exist yet: no discount.
 */
static void test_order0_flags_515(void **state)
{
	struct bt_buddy_config cfg;
	struct bt_zone_config zc = {0};
	struct bt_buddy *b;
	const unsigned int HI = BT_ALLOC_MIN_RESERVE, HA = BT_ALLOC_HARDER;

	(void)state;
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.kernel_version = BT_KVER(5, 15, 0);
	b = bt_buddy_new(&cfg);
	zc.zone_type = BT_ZONE_NORMAL;
	zc.start_pfn = S;
	zc.spanned = zc.present = zc.managed = 4096;
	zc.pcp_high = -1;
	zc.nr_reserved_highatomic = 512;
	assert_int_equal(bt_buddy_add_zone(b, &zc), 0);
	assert_int_equal(test_free_range(b, S, 1001, -1), 0);
	/* 1001 - 512 reserved = 489 */
	assert_true(ok(b, 0, 488, BT_ZONE_NORMAL, 0));
	assert_false(ok(b, 0, 489, BT_ZONE_NORMAL, 0));
	/* HARDER: no subtraction, 1333 - 333 = 1000 */
	assert_true(ok(b, 0, 1333, BT_ZONE_NORMAL, HA));
	assert_false(ok(b, 0, 1334, BT_ZONE_NORMAL, HA));
	/* HIGH|HARDER: 2666 -> 1333 -> 1000 */
	assert_true(ok(b, 0, 2666, BT_ZONE_NORMAL, HI | HA));
	/* OOM: 2000 -> 1000 and no subtraction */
	assert_true(ok(b, 0, 2000, BT_ZONE_NORMAL, BT_ALLOC_OOM));
	assert_false(ok(b, 0, 2001, BT_ZONE_NORMAL, BT_ALLOC_OOM));
	/* HIGH alone halves but keeps the subtraction: 978 -> 489 */
	assert_false(ok(b, 0, 978, BT_ZONE_NORMAL, HI));
	assert_true(ok(b, 0, 976, BT_ZONE_NORMAL, HI));
	/* NON_BLOCK means nothing before 6.3 */
	assert_false(ok(b, 0, 489, BT_ZONE_NORMAL, BT_ALLOC_NON_BLOCK));
	bt_buddy_free_model(b);
}

/*
 * High orders: 16 single free pages (pfn S + 2k) and one order-3 block in
 * a HIGHATOMIC pageblock (S + 512): free 24, free_highatomic 8.
 */
static struct bt_buddy *high_order_zone(enum bt_buddy_profile p)
{
	struct bt_buddy *b = empty_zone(p, 512);
	int k;

	for (k = 0; k < 16; k++)
		assert_int_equal(bt_buddy_add_free_block(b, S + 2 * k, 0, -1),
				 0);
	assert_int_equal(
	    bt_buddy_set_pageblock_mt(b, S + 512, BT_MT_HIGHATOMIC), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 512, 3, -1), 0);
	return b;
}

static void test_high_order_6x(void **state)
{
	struct bt_buddy *b = high_order_zone(BT_PROFILE_6X);
	struct bt_zone_info zi;

	(void)state;
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.free_pages, 24);
	assert_int_equal(zi.free_highatomic, 8);
	assert_int_equal(zi.nr_free[0], 16);
	assert_int_equal(zi.nr_free_mt[3][BT_MT_HIGHATOMIC], 1);
	/* order 0: 24 - 8 highatomic = 16 > 15 only */
	assert_true(ok(b, 0, 15, BT_ZONE_NORMAL, 0));
	assert_false(ok(b, 0, 16, BT_ZONE_NORMAL, 0));
	/* a reserve flag stops the highatomic subtraction: 24 > 16 */
	assert_true(ok(b, 0, 16, BT_ZONE_NORMAL, BT_ALLOC_NON_BLOCK));
	/* order 1: enough pages, but the only block >= 1 is HIGHATOMIC */
	assert_false(ok(b, 1, 0, BT_ZONE_NORMAL, 0));
	assert_false(ok(b, 1, 0, BT_ZONE_NORMAL, BT_ALLOC_NON_BLOCK));
	assert_true(ok(b, 1, 0, BT_ZONE_NORMAL, BT_ALLOC_HIGHATOMIC));
	assert_true(ok(b, 1, 0, BT_ZONE_NORMAL, BT_ALLOC_OOM));
	/* order 1 with the flag: 24 - 1 = 23 must exceed the mark */
	assert_true(ok(b, 1, 22, BT_ZONE_NORMAL, BT_ALLOC_HIGHATOMIC));
	assert_false(ok(b, 1, 23, BT_ZONE_NORMAL, BT_ALLOC_HIGHATOMIC));
	bt_buddy_free_model(b);
}

static void test_high_order_412(void **state)
{
	struct bt_buddy *b = high_order_zone(BT_PROFILE_4_12);

	(void)state;
	/* 4.12 subtracts nr_reserved_highatomic (512) without HARDER */
	assert_false(ok(b, 0, 0, BT_ZONE_NORMAL, 0));
	/* HARDER: 24 > 18 - 4; any order with nr_free passes */
	assert_true(ok(b, 0, 18, BT_ZONE_NORMAL, BT_ALLOC_HARDER));
	assert_true(ok(b, 1, 0, BT_ZONE_NORMAL, BT_ALLOC_HARDER));
	assert_true(ok(b, 3, 0, BT_ZONE_NORMAL, BT_ALLOC_HARDER));
	assert_false(ok(b, 4, 0, BT_ZONE_NORMAL, BT_ALLOC_HARDER));
	bt_buddy_free_model(b);
}

/* CMA pages count only with ALLOC_CMA, and so do CMA lists. */
static void test_cma(void **state)
{
	struct bt_buddy *b = empty_zone(BT_PROFILE_6X, 0);

	(void)state;
	assert_int_equal(bt_buddy_set_pageblock_mt(b, S + 1024, BT_MT_CMA), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S + 1024, 2, -1), 0);
	assert_int_equal(bt_buddy_add_free_block(b, S, 0, -1), 0);
	/* 5 free, 4 of them CMA */
	assert_false(ok(b, 0, 1, BT_ZONE_NORMAL, 0));
	assert_true(ok(b, 0, 0, BT_ZONE_NORMAL, 0));
	assert_true(ok(b, 0, 4, BT_ZONE_NORMAL, BT_ALLOC_CMA));
	assert_false(ok(b, 2, 0, BT_ZONE_NORMAL, 0));
	assert_true(ok(b, 2, 0, BT_ZONE_NORMAL, BT_ALLOC_CMA));
	bt_buddy_free_model(b);
}

/*
 * zone_watermark_fast() [6.x]: an order-0 __GFP_HIGH request checked at
 * the MIN mark ignores the boost. min 100 + boost 50, 60 pages free:
 * boosted 150 -> 75 fails, unboosted 100 -> 50 passes.
 */
static void test_boost_ignored_for_high(void **state)
{
	struct bt_buddy_config cfg;
	struct bt_zone_config zc = {0};
	struct bt_alloc_result res;
	struct bt_buddy *b;

	(void)state;
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	b = bt_buddy_new(&cfg);
	zc.zone_type = BT_ZONE_NORMAL;
	zc.start_pfn = S;
	zc.spanned = zc.present = zc.managed = 4096;
	zc.wmark_min = 100;
	zc.wmark_low = 120;
	zc.wmark_high = 140;
	zc.wmark_boost = 50;
	zc.pcp_high = -1;
	zc.pcp_high_min = zc.pcp_high_max = 64;
	zc.pcp_batch = 8;
	assert_int_equal(bt_buddy_add_zone(b, &zc), 0);
	assert_int_equal(test_free_range(b, S, 60, -1), 0);
	assert_int_equal(
	    test_alloc(b, 0, BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_HIGH, 0, &res),
	    0);
	assert_int_equal(res.path, BT_PATH_SLOW);
	assert_int_equal(res.got, BT_GOT_MIN_WMARK);
	assert_int_equal(res.stages, BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK);
	assert_int_equal(res.kswapd_woken, 1);
	assert_true(res.from_pcp);
	assert_int_equal(res.pcp_refill, 8);
	/*
	 * GFP_KERNEL has no __GFP_HIGH: 52 free pages never pass 150 (the
	 * 7 left on the pcp list are not free); no reclaim, no victim.
	 */
	assert_int_equal(test_alloc(b, 0, BT_BUDDY_GFP_KERNEL, 0, &res), 0);
	assert_int_equal(res.pfn, BT_BUDDY_PFN_NONE);
	assert_int_equal(res.path, BT_PATH_FAILED);
	assert_int_equal(res.fail, BT_FAIL_NO_PROGRESS);
	assert_int_equal(res.oom, BT_OOM_NO_VICTIM);
	assert_true(res.stages & BT_STAGE_OOM_KILL);
	bt_buddy_free_model(b);
}

/* Hostile zone descriptions are refused or clamped, never overflow. */
static void test_hostile_config(void **state)
{
	struct bt_buddy_config cfg;
	struct bt_zone_config zc = {0};
	struct bt_alloc_result res;
	struct bt_pcp_info pi;
	struct bt_buddy *b;

	(void)state;
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	b = bt_buddy_new(&cfg);
	zc.zone_type = BT_ZONE_NORMAL;
	zc.start_pfn = S;
	zc.spanned = zc.present = zc.managed = 4096;
	zc.protection[BT_ZONE_MOVABLE] = UINT64_MAX;
	assert_int_equal(bt_buddy_add_zone(b, &zc), -EINVAL);
	zc.protection[BT_ZONE_MOVABLE] = 0;
	zc.wmark_high = 1ull << 62;
	assert_int_equal(bt_buddy_add_zone(b, &zc), -EINVAL);
	zc.wmark_high = 0;
	zc.spanned = 1ull << 33;
	assert_int_equal(bt_buddy_add_zone(b, &zc), -EINVAL);
	zc.spanned = 4096;
	zc.pcp_high = -1;
	zc.pcp_high_min = zc.pcp_high_max = INT32_MAX;
	zc.pcp_batch = INT32_MAX;
	assert_int_equal(bt_buddy_add_zone(b, &zc), 0);
	assert_int_equal(bt_buddy_pcp_info(b, 0, 0, &pi), 0);
	assert_int_equal(pi.batch, 1 << 16);
	assert_int_equal(pi.high_max, 1 << 24);
	assert_int_equal(test_free_range(b, S, 4096, -1), 0);
	assert_int_equal(test_alloc(b, 0, MOVABLE_GFP, 0, &res), 0);
	assert_int_equal(res.pfn, S);
	assert_int_equal(bt_buddy_zone_set_boost(b, 0, UINT64_MAX), -EINVAL);
	bt_buddy_free_model(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gfp_decode),
	    cmocka_unit_test(test_profile_release),
	    cmocka_unit_test(test_order0_flags_6x),
	    cmocka_unit_test(test_order0_flags_412),
	    cmocka_unit_test(test_order0_flags_515),
	    cmocka_unit_test(test_high_order_6x),
	    cmocka_unit_test(test_high_order_412),
	    cmocka_unit_test(test_cma),
	    cmocka_unit_test(test_boost_ignored_for_high),
	    cmocka_unit_test(test_hostile_config),
	};

	return cmocka_run_group_tests_name("allocator-watermark", tests, NULL,
					   NULL);
}
