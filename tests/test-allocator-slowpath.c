// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-slowpath.c - every exit of __alloc_pages_slowpath() for a
 * given gfp, order and state, the cases where OOM is not invoked, NOFAIL,
 * reserves, the reclaim retry limit of both profiles, reclaim from the
 * pool and from kswapd, and direct compaction with capture; the stages
 * are worked out by hand from ALLOCATOR-SPEC.md 4.1-4.6.
 *
 * The exhausted zone: 4096 pages at S, min/low/high 100/120/140, one free
 * order-5 block (32 pages) at S: every watermark fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test-allocator.h"

#define S 0x10000ull
#define K BT_BUDDY_GFP_KERNEL
#define COMMON_FAIL                                                            \
	(BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK | BT_STAGE_RETRY_ATTEMPT |  \
	 BT_STAGE_DIRECT_RECLAIM | BT_STAGE_OOM | BT_STAGE_FAIL)

static struct bt_buddy *exhausted(enum bt_buddy_profile p)
{
	struct bt_buddy *b = test_empty(p, 4096, 100, 120, 140);

	assert_non_null(b);
	assert_int_equal(bt_buddy_add_free_block(b, S, 5, -1), 0);
	return b;
}

static void run(struct bt_buddy *b, unsigned int order, uint64_t gfp,
		unsigned int task, struct bt_alloc_result *res)
{
	struct bt_alloc_request rq;
	char err[256];

	bt_alloc_request_init(&rq, order, gfp);
	rq.task_flags = task;
	assert_int_equal(bt_buddy_alloc(b, &rq, res), 0);
	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("%s", err);
}

static void expect_fail(const struct bt_alloc_result *res, uint32_t stages,
			enum bt_alloc_fail why, enum bt_oom_verdict oom)
{
	assert_int_equal(res->pfn, BT_BUDDY_PFN_NONE);
	assert_int_equal(res->path, BT_PATH_FAILED);
	assert_int_equal(res->stages, stages);
	assert_int_equal(res->fail, why);
	assert_int_equal(res->oom, oom);
}

/* Atomic and NOWAIT requests end at "cannot direct reclaim". */
static void test_no_reclaim_exit(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	struct bt_alloc_result res;
	const uint32_t st = BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK |
			    BT_STAGE_RETRY_ATTEMPT | BT_STAGE_NO_RECLAIM_EXIT |
			    BT_STAGE_FAIL;

	(void)state;
	/* atomic min: 100 -> 50 -> 38, 32 free */
	run(b, 0, BT_BUDDY_GFP_ATOMIC_6X, 0, &res);
	expect_fail(&res, st, BT_FAIL_NO_RECLAIM, BT_OOM_NOT_REACHED);
	assert_int_equal(res.alloc_flags,
			 BT_ALLOC_WMARK_MIN | BT_ALLOC_MIN_RESERVE |
			     BT_ALLOC_NON_BLOCK | BT_ALLOC_KSWAPD);
	assert_int_equal(res.kswapd_woken, 1);
	run(b, 0, BT_BUDDY_GFP_NOWAIT, 0, &res);
	expect_fail(&res, st, BT_FAIL_NO_RECLAIM, BT_OOM_NOT_REACHED);
	/* kswapd is already awake: no second wake */
	assert_int_equal(res.kswapd_woken, 0);
	/* THP without direct reclaim (defrag=madvise, not madvised) */
	run(b, 9, BT_BUDDY_GFP_TRANSHUGE_LIGHT, 0, &res);
	expect_fail(&res,
		    BT_STAGE_MIN_WMARK | BT_STAGE_RETRY_ATTEMPT |
			BT_STAGE_NO_RECLAIM_EXIT | BT_STAGE_FAIL,
		    BT_FAIL_NO_RECLAIM, BT_OOM_NOT_REACHED);
	/* NOFAIL without direct reclaim cannot loop */
	run(b, 0, BT_BUDDY_GFP_ATOMIC_6X | BT_BUDDY_GFP_NOFAIL, 0, &res);
	assert_int_equal(res.fail, BT_FAIL_NOFAIL_NO_RECLAIM);
	bt_buddy_free_model(b);
}

/* GFP_KERNEL order 0 with nothing to reclaim and no victim. */
static void test_oom_no_victim(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	struct bt_alloc_result res;

	(void)state;
	run(b, 0, K, 0, &res);
	expect_fail(&res, COMMON_FAIL | BT_STAGE_OOM_KILL, BT_FAIL_NO_PROGRESS,
		    BT_OOM_NO_VICTIM);
	assert_int_equal(res.reclaim_rounds, 1);
	assert_int_equal(res.reclaimed, 0);
	assert_int_equal(res.no_progress_loops, 1);
	assert_int_equal(res.compact_rounds, 0);
	bt_buddy_free_model(b);
}

static bool kill_victim(struct bt_buddy *b, const struct bt_oom_request *rq,
			void *data)
{
	(void)rq;
	(void)data;
	/* the victim's order-9 block: drained from the pcp to the buddy */
	return bt_buddy_free(b, S + 1024, 9, 0, 0) == 0;
}

/* OOM kills, the victim's pages come back, the retry succeeds. */
static void test_oom_kill(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	struct bt_buddy_hooks hooks = {.oom = kill_victim};
	struct bt_alloc_result res;
	struct bt_buddy_stats st;

	(void)state;
	assert_int_equal(bt_buddy_mark_allocated(b, S + 1024, 9, BT_MT_MOVABLE),
			 0);
	bt_buddy_set_hooks(b, &hooks);
	run(b, 0, K, 0, &res);
	/* largest fallback first: the order-9 block's pageblock is claimed */
	assert_int_equal(res.pfn, S + 1024);
	assert_int_equal(res.path, BT_PATH_SLOW);
	assert_int_equal(res.got, BT_GOT_RETRY);
	assert_int_equal(res.oom, BT_OOM_KILLED);
	assert_true(res.stages & BT_STAGE_OOM_KILL);
	bt_buddy_get_stats(b, &st);
	assert_int_equal(st.oom_kill, 1);
	bt_buddy_free_model(b);
}

/* The cases where OOM is not invoked. */
static void test_oom_not_invoked(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	struct bt_alloc_result res;

	(void)state;
	run(b, 4, K | BT_BUDDY_GFP_RETRY_MAYFAIL, 0, &res);
	assert_int_equal(res.oom, BT_OOM_SKIP_COSTLY);
	assert_int_equal(res.fail, BT_FAIL_NO_PROGRESS);
	assert_false(res.stages & BT_STAGE_OOM_KILL);
	run(b, 0, K | BT_BUDDY_GFP_RETRY_MAYFAIL, 0, &res);
	expect_fail(&res, COMMON_FAIL, BT_FAIL_NO_PROGRESS,
		    BT_OOM_SKIP_RETRY_MAYFAIL);
	run(b, 0, K | BT_BUDDY_GFP_THISNODE, 0, &res);
	expect_fail(&res, COMMON_FAIL, BT_FAIL_NO_PROGRESS,
		    BT_OOM_SKIP_THISNODE);
	/* NORETRY leaves before OOM */
	run(b, 0, K | BT_BUDDY_GFP_NORETRY, 0, &res);
	expect_fail(&res,
		    BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK |
			BT_STAGE_RETRY_ATTEMPT | BT_STAGE_DIRECT_RECLAIM |
			BT_STAGE_NORETRY_EXIT | BT_STAGE_FAIL,
		    BT_FAIL_NORETRY, BT_OOM_NOT_REACHED);
	/* GFP_NOFS: out_of_memory() pretends progress: loops, no kill */
	run(b, 0, BT_BUDDY_GFP_NOFS, 0, &res);
	assert_int_equal(res.oom, BT_OOM_NO_KILL_NOFS);
	assert_int_equal(res.fail, BT_FAIL_LOOP_LIMIT);
	assert_false(res.stages & BT_STAGE_OOM_KILL);
	bt_buddy_free_model(b);

	/* a DMA32-only request: no OOM kill for lowmem */
	{
		struct bt_buddy_config cfg;

		bt_buddy_config_init(&cfg, BT_PROFILE_6X);
		b = bt_buddy_new(&cfg);
		assert_int_equal(
		    test_add_zone(b, BT_ZONE_DMA32, S, 4096, 100, 120, 140), 0);
		assert_int_equal(bt_buddy_add_free_block(b, S, 5, -1), 0);
		run(b, 0, K | BT_BUDDY_GFP_DMA32, 0, &res);
		expect_fail(&res, COMMON_FAIL, BT_FAIL_NO_PROGRESS,
			    BT_OOM_SKIP_LOWZONE);
		bt_buddy_free_model(b);
	}
	/* [4.12] RETRY_MAYFAIL was __GFP_REPEAT: it did not prevent OOM */
	b = exhausted(BT_PROFILE_4_12);
	run(b, 0, K | BT_BUDDY_GFP_RETRY_MAYFAIL, 0, &res);
	assert_int_equal(res.oom, BT_OOM_NO_VICTIM);
	assert_true(res.stages & BT_STAGE_OOM_KILL);
	bt_buddy_free_model(b);
}

/* Costly orders: initial compaction, then the costly exit. */
static void test_costly(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	struct bt_alloc_result res;

	(void)state;
	run(b, 4, K, 0, &res);
	expect_fail(&res,
		    BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK |
			BT_STAGE_INIT_COMPACT | BT_STAGE_RETRY_ATTEMPT |
			BT_STAGE_DIRECT_RECLAIM | BT_STAGE_DIRECT_COMPACT |
			BT_STAGE_COSTLY_EXIT | BT_STAGE_FAIL,
		    BT_FAIL_COSTLY, BT_OOM_NOT_REACHED);
	/* both compactions skipped: 32 free < low 120 + gap 32 */
	assert_int_equal(res.compact_rounds, 2);
	assert_int_equal(res.compact_result, BT_COMPACT_SKIPPED);
	assert_int_equal(res.compact_prio, BT_COMPACT_PRIO_SYNC_LIGHT);
	/* THP with NORETRY: skipped initial compaction ends it (6.x) */
	run(b, 9, BT_BUDDY_GFP_TRANSHUGE | BT_BUDDY_GFP_NORETRY, 0, &res);
	expect_fail(&res,
		    BT_STAGE_MIN_WMARK | BT_STAGE_INIT_COMPACT |
			BT_STAGE_INIT_COMPACT_EXIT | BT_STAGE_FAIL,
		    BT_FAIL_INIT_COMPACT, BT_OOM_NOT_REACHED);
	bt_buddy_free_model(b);
	/* [4.12] only DEFERRED ends it; SKIPPED goes on to NORETRY */
	b = exhausted(BT_PROFILE_4_12);
	run(b, 9, BT_BUDDY_GFP_TRANSHUGE | BT_BUDDY_GFP_NORETRY, 0, &res);
	expect_fail(&res,
		    BT_STAGE_MIN_WMARK | BT_STAGE_INIT_COMPACT |
			BT_STAGE_RETRY_ATTEMPT | BT_STAGE_DIRECT_RECLAIM |
			BT_STAGE_DIRECT_COMPACT | BT_STAGE_NORETRY_EXIT |
			BT_STAGE_FAIL,
		    BT_FAIL_NORETRY, BT_OOM_NOT_REACHED);
	bt_buddy_free_model(b);
}

/* NOFAIL: no victim still counts as progress, reserves give a page. */
static void test_nofail(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	struct bt_alloc_result res;

	(void)state;
	run(b, 0, K | BT_BUDDY_GFP_NOFAIL, 0, &res);
	assert_int_equal(res.pfn, S);
	assert_int_equal(res.path, BT_PATH_SLOW);
	assert_int_equal(res.got, BT_GOT_NOFAIL);
	assert_int_equal(res.oom, BT_OOM_NOFAIL);
	assert_int_equal(res.alloc_flags, BT_ALLOC_NO_WATERMARKS);
	bt_buddy_free_model(b);
}

/* PF_MEMALLOC: reserves; OOM victims: ALLOC_OOM then the victim exit. */
static void test_reserves(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	struct bt_alloc_result res;

	(void)state;
	run(b, 0, K, BT_TASK_MEMALLOC, &res);
	assert_int_equal(res.pfn, S);
	assert_int_equal(res.got, BT_GOT_RETRY);
	assert_int_equal(res.stages, BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK |
					 BT_STAGE_RESERVES |
					 BT_STAGE_RETRY_ATTEMPT);
	assert_int_equal(res.alloc_flags,
			 BT_ALLOC_NO_WATERMARKS | BT_ALLOC_KSWAPD);
	bt_buddy_free_model(b);

	b = test_empty(BT_PROFILE_6X, 4096, 100, 120, 140);
	run(b, 0, K, BT_TASK_MEMALLOC, &res);
	expect_fail(&res,
		    BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK |
			BT_STAGE_RESERVES | BT_STAGE_RETRY_ATTEMPT |
			BT_STAGE_MEMALLOC_EXIT | BT_STAGE_FAIL,
		    BT_FAIL_MEMALLOC, BT_OOM_NOT_REACHED);
	bt_buddy_free_model(b);

	/* ALLOC_OOM: 100 -> 50 > 32 still fails; the victim gives up */
	b = exhausted(BT_PROFILE_6X);
	run(b, 0, K, BT_TASK_OOM_VICTIM, &res);
	assert_int_equal(res.fail, BT_FAIL_OOM_VICTIM);
	assert_int_equal(res.oom, BT_OOM_NO_VICTIM);
	assert_true(res.stages & BT_STAGE_RESERVES);
	bt_buddy_free_model(b);
}

/*
 * should_reclaim_retry() with 100 reclaimable pages: 100 + 32 > 100, so
 * [6.x] retries until no_progress_loops exceeds 16 (17 rounds); [4.12]
 * shrinks "available" by ceil(loops * 100 / 16): at loop 5, 68 + 32 is
 * not above 100 (5 rounds).
 */
static void reclaim_retry(enum bt_buddy_profile p, unsigned int rounds)
{
	struct bt_buddy *b = exhausted(p);
	struct bt_alloc_result res;

	assert_int_equal(bt_buddy_zone_set_reclaimable(b, 0, 100), 0);
	run(b, 0, K, 0, &res);
	assert_int_equal(res.fail, BT_FAIL_NO_PROGRESS);
	assert_int_equal(res.no_progress_loops, rounds);
	assert_int_equal(res.reclaim_rounds, rounds);
	assert_true(res.stages & BT_STAGE_RECLAIM_RETRY);
	assert_int_equal(res.oom, BT_OOM_NO_VICTIM);
	bt_buddy_free_model(b);
}

static void test_reclaim_retry_limit(void **state)
{
	(void)state;
	reclaim_retry(BT_PROFILE_6X, 17);
	reclaim_retry(BT_PROFILE_4_12, 5);
}

/* Direct reclaim frees the pool's first block (order 7, 128 pages). */
static void test_reclaim_pool(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	struct bt_alloc_result res;

	(void)state;
	assert_int_equal(bt_buddy_mark_allocated(b, S + 2048, 7, BT_MT_MOVABLE),
			 0);
	assert_int_equal(bt_buddy_reclaim_add(b, S + 2048, 7), 0);
	assert_int_equal(bt_buddy_reclaim_pending(b), 128);
	run(b, 0, K, 0, &res);
	assert_int_equal(res.got, BT_GOT_RECLAIM);
	assert_int_equal(res.reclaimed, 128);
	assert_int_equal(res.reclaim_rounds, 1);
	assert_int_equal(res.pfn, S + 2048);
	assert_int_equal(bt_buddy_reclaim_pending(b), 0);
	bt_buddy_free_model(b);
}

static struct bt_reclaim_request seen;

static uint64_t reclaim_hook(struct bt_buddy *b,
			     const struct bt_reclaim_request *rq, void *data)
{
	(void)data;
	seen = *rq;
	/* the trace shows this reclaimer freeing an order-6 block */
	return bt_buddy_free(b, S + 3072, 6, 0, 0) == 0 ? 64 : 0;
}

/* The reclaim hook: 32 + 64 = 96 free is still below min 100, so the
 * drain-and-retry runs; the next round finds nothing to free. */
static void test_reclaim_hook(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	struct bt_buddy_hooks hooks = {.reclaim = reclaim_hook};
	struct bt_alloc_result res;

	(void)state;
	assert_int_equal(bt_buddy_mark_allocated(b, S + 3072, 6, BT_MT_MOVABLE),
			 0);
	bt_buddy_set_hooks(b, &hooks);
	run(b, 0, K | BT_BUDDY_GFP_NORETRY, 0, &res);
	assert_int_equal(seen.nr_to_reclaim, 32);
	assert_int_equal(seen.order, 0);
	assert_int_equal(seen.gfp, K | BT_BUDDY_GFP_NORETRY);
	assert_false(seen.kswapd);
	assert_int_equal(res.reclaimed, 64);
	assert_true(res.stages & BT_STAGE_DRAIN);
	assert_int_equal(res.fail, BT_FAIL_NORETRY);
	bt_buddy_free_model(b);
}

/* kswapd reclaims rounds of max(high, 32) = 140 pages until balanced. */
static void test_kswapd_run(void **state)
{
	struct bt_buddy *b = exhausted(BT_PROFILE_6X);
	int i;

	(void)state;
	for (i = 0; i < 10; i++) {
		uint64_t pfn = S + 1024 + 32 * (uint64_t)i;

		assert_int_equal(
		    bt_buddy_mark_allocated(b, pfn, 5, BT_MT_MOVABLE), 0);
		assert_int_equal(bt_buddy_reclaim_add(b, pfn, 5), 0);
	}
	/* 5 blocks reach 160 >= 140; 32 + 160 > 140 is balanced */
	assert_int_equal(bt_buddy_kswapd_run(b, 0), 160);
	assert_int_equal(bt_buddy_reclaim_pending(b), 160);
	assert_false(bt_buddy_kswapd_awake(b, 0));
	bt_buddy_free_model(b);
}

static uint64_t moved_to[16];
static int nmoved;

static void on_move(struct bt_buddy *b, uint64_t old_pfn, uint64_t new_pfn,
		    unsigned int order, void *data)
{
	(void)b;
	(void)old_pfn;
	(void)order;
	(void)data;
	if (nmoved < 16)
		moved_to[nmoved] = new_pfn;
	nmoved++;
}

/*
 * Direct compaction with capture. Pageblock 0: MOVABLE order-0 pages in
 * use at even pfns S..S+14, free at odd ones; pageblock 3: 32 single free
 * pages at S+1536+2k. A movable order-4 request is costly, so the slow
 * path compacts (async) right after the min-watermark attempt: 40 free >
 * min 4 + gap 32 + (low - min) 1, fragmentation index
 * 1000 - (1000 + 40*1000/16)/40 = 913 > 500, suitable; the migration
 * scanner moves S, S+2, ... into S+1536, S+1538, ...; freeing S+14
 * merges S..S+15 to order 4, which the compactor captures.
 */
static void test_compaction_capture(void **state)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 2048, 4, 5, 6);
	struct bt_buddy_hooks hooks = {.move = on_move};
	struct bt_alloc_result res;
	struct bt_zone_info zi;
	struct bt_buddy_stats st;
	int k;

	(void)state;
	for (k = 0; k < 8; k++) {
		assert_int_equal(
		    bt_buddy_mark_allocated(b, S + 2 * k, 0, BT_MT_MOVABLE), 0);
		assert_int_equal(
		    bt_buddy_add_free_block(b, S + 2 * k + 1, 0, -1), 0);
	}
	for (k = 0; k < 32; k++)
		assert_int_equal(
		    bt_buddy_add_free_block(b, S + 1536 + 2 * k, 0, -1), 0);
	bt_buddy_set_hooks(b, &hooks);
	nmoved = 0;
	run(b, 4, BT_BUDDY_GFP_HIGHUSER_MOVABLE, 0, &res);
	assert_int_equal(res.pfn, S);
	assert_int_equal(res.path, BT_PATH_SLOW);
	assert_int_equal(res.got, BT_GOT_INIT_COMPACT);
	assert_int_equal(res.stages, BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK |
					 BT_STAGE_INIT_COMPACT);
	assert_int_equal(res.compact_prio, BT_COMPACT_PRIO_ASYNC);
	assert_int_equal(res.compact_rounds, 1);
	assert_int_equal(res.compact_result, BT_COMPACT_SUCCESS);
	assert_int_equal(nmoved, 8);
	for (k = 0; k < 8; k++)
		assert_int_equal(moved_to[k], S + 1536 + 2 * k);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(zi.free_pages, 24);
	assert_int_equal(zi.compact_defer_shift, 0);
	assert_int_equal(zi.compact_order_failed, 5);
	bt_buddy_get_stats(b, &st);
	assert_int_equal(st.compact_stall, 1);
	assert_int_equal(st.compact_success, 1);
	assert_int_equal(st.compact_migrated, 8);
	bt_buddy_free_model(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_reclaim_exit),
	    cmocka_unit_test(test_oom_no_victim),
	    cmocka_unit_test(test_oom_kill),
	    cmocka_unit_test(test_oom_not_invoked),
	    cmocka_unit_test(test_costly),
	    cmocka_unit_test(test_nofail),
	    cmocka_unit_test(test_reserves),
	    cmocka_unit_test(test_reclaim_retry_limit),
	    cmocka_unit_test(test_reclaim_pool),
	    cmocka_unit_test(test_reclaim_hook),
	    cmocka_unit_test(test_kswapd_run),
	    cmocka_unit_test(test_compaction_capture),
	};

	return cmocka_run_group_tests_name("allocator-slowpath", tests, NULL,
					   NULL);
}
