// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-pcp.c - per-CPU list refill and drain counts of both
 * profiles (nr_pcp_alloc(), nr_pcp_high(), nr_pcp_free(), 4.12's fixed
 * batch), the THP list, and mirror mode (forced placements, recorded
 * refills and drains), worked out from ALLOCATOR-SPEC.md 1.5.
 *
 * Zone: 4096 free pages at S, watermarks 0, pcp high 64, batch 8.
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
#define MOV BT_BUDDY_GFP_HIGHUSER_MOVABLE

static struct bt_buddy *full(enum bt_buddy_profile p, unsigned int cpus)
{
	struct bt_buddy *b = test_model(p, cpus, S, 4096, 0, 0, 0);

	assert_non_null(b);
	return b;
}

static void check_ok(struct bt_buddy *b)
{
	char err[256];

	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("%s", err);
}

static int pcp_count(struct bt_buddy *b, int cpu)
{
	struct bt_pcp_info pi;

	assert_int_equal(bt_buddy_pcp_info(b, 0, cpu, &pi), 0);
	return pi.count;
}

static uint64_t free_pages(struct bt_buddy *b)
{
	struct bt_zone_info zi;

	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	return zi.free_pages;
}

/*
 * [6.x] Refills grow with alloc_factor: 8, 16, 32, then 8 << 3 = 64 is
 * capped at max(64 - 0 - 8, 8) = 56. 100 allocations pull 112 pages and
 * leave 12 on the list. 100 frees: the list reaches high (64) after 52,
 * free_count is 52, nr_pcp_free = clamp(52, 8, 56) = 52 pages go back;
 * the other 48 frees leave 60 on the list.
 */
static void test_refill_drain_6x(void **state)
{
	struct bt_buddy *b = full(BT_PROFILE_6X, 1);
	struct bt_alloc_result res;
	uint64_t pfns[100];
	unsigned int refills[4] = {0}, nref = 0;
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		assert_int_equal(test_alloc(b, 0, MOV, 0, &res), 0);
		pfns[i] = res.pfn;
		if (res.pcp_refill) {
			assert_true(nref < 4);
			refills[nref++] = res.pcp_refill;
		}
	}
	assert_int_equal(nref, 4);
	assert_int_equal(refills[0], 8);
	assert_int_equal(refills[1], 16);
	assert_int_equal(refills[2], 32);
	assert_int_equal(refills[3], 56);
	assert_int_equal(pcp_count(b, 0), 12);
	assert_int_equal(free_pages(b), 4096 - 112);
	for (i = 0; i < 100; i++)
		assert_int_equal(bt_buddy_free(b, pfns[i], 0, 0, 0), 0);
	assert_int_equal(pcp_count(b, 0), 60);
	assert_int_equal(free_pages(b), 4096 - 60);
	check_ok(b);
	assert_int_equal(bt_buddy_pcp_drain(b, 0), 60);
	assert_int_equal(free_pages(b), 4096);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * [4.12] Every refill takes exactly batch (8): 13 refills for 100
 * allocations leave 4. Frees drain batch pages whenever count reaches
 * high: at 60, 68, ..., 100 frees (6 drains), leaving 104 - 48 = 56.
 */
static void test_refill_drain_412(void **state)
{
	struct bt_buddy *b = full(BT_PROFILE_4_12, 1);
	struct bt_alloc_result res;
	uint64_t pfns[100];
	int i, nref = 0;

	(void)state;
	for (i = 0; i < 100; i++) {
		assert_int_equal(test_alloc(b, 0, MOV, 0, &res), 0);
		pfns[i] = res.pfn;
		if (res.pcp_refill) {
			assert_int_equal(res.pcp_refill, 8);
			nref++;
		}
	}
	assert_int_equal(nref, 13);
	assert_int_equal(pcp_count(b, 0), 4);
	for (i = 0; i < 100; i++)
		assert_int_equal(bt_buddy_free(b, pfns[i], 0, 0, 0), 0);
	assert_int_equal(pcp_count(b, 0), 56);
	assert_int_equal(free_pages(b), 4096 - 56);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * [6.x] Higher pcp orders: an order-2 refill takes max(8 >> 2, 2) = 2
 * blocks, a THP refill max(8 >> 9, 2) = 2 order-9 blocks; [4.12] order 2
 * never uses the pcp.
 */
static void test_high_orders(void **state)
{
	struct bt_buddy *b = full(BT_PROFILE_6X, 1);
	struct bt_alloc_result res;
	struct bt_pcp_info pi;

	(void)state;
	assert_int_equal(test_alloc(b, 2, MOV, 0, &res), 0);
	assert_true(res.from_pcp);
	assert_int_equal(res.pcp_refill, 2);
	assert_int_equal(test_alloc(b, 9, MOV, 0, &res), 0);
	assert_true(res.from_pcp);
	assert_int_equal(res.pcp_refill, 2);
	assert_int_equal(bt_buddy_pcp_info(b, 0, 0, &pi), 0);
	assert_int_equal(pi.count, 4 + 512);
	assert_int_equal(pi.lists[2 * 3 + BT_MT_MOVABLE], 1);
	assert_int_equal(pi.lists[13], 1); /* THP, MOVABLE */
	check_ok(b);
	bt_buddy_free_model(b);
	b = full(BT_PROFILE_4_12, 1);
	assert_int_equal(test_alloc(b, 2, MOV, 0, &res), 0);
	assert_false(res.from_pcp);
	assert_int_equal(res.pfn, S);
	bt_buddy_free_model(b);
}

/* Mirror mode: the recorded block is taken wherever the model has it. */
static void test_mirror(void **state)
{
	struct bt_buddy *b = full(BT_PROFILE_6X, 2);
	struct bt_alloc_request rq;
	struct bt_alloc_result res;
	int i;

	(void)state;
	assert_int_equal(test_alloc(b, 0, MOV, 0, &res), 0);
	assert_int_equal(res.pfn, S);
	assert_int_equal(pcp_count(b, 0), 7);
	/* S+3 sits on CPU 0's list */
	bt_alloc_request_init(&rq, 0, MOV);
	rq.forced_pfn = S + 3;
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
	assert_int_equal(res.pfn, S + 3);
	assert_int_equal(res.path, BT_PATH_FAST);
	assert_int_equal(res.forced_found, 1);
	assert_int_equal(pcp_count(b, 0), 6);
	/* recorded on CPU 1 */
	rq.cpu = 1;
	rq.forced_pfn = S + 4;
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
	assert_int_equal(res.forced_found, 2);
	/* a buddy page: carved out, nothing refilled */
	rq.forced_pfn = S + 100;
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
	assert_int_equal(res.forced_found, 0);
	assert_int_equal(res.pcp_refill, 0);
	assert_int_equal(free_pages(b), 4096 - 8 - 1);
	/* twice: the model thinks it is taken */
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
	assert_int_equal(res.forced_found, -1);
	/* misaligned */
	bt_alloc_request_init(&rq, 2, MOV);
	rq.forced_pfn = S + 2;
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), -EINVAL);
	/* a recorded failure the model would have served */
	bt_alloc_request_init(&rq, 0, MOV);
	rq.forced_failure = true;
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
	assert_int_equal(res.path, BT_PATH_FAILED);
	assert_int_equal(res.fail, BT_FAIL_RECORDED);
	assert_int_equal(pcp_count(b, 0), 5);
	/* recorded refill and drain events */
	assert_int_equal(
	    bt_buddy_pcp_refill_block(b, 1, S + 200, 0, BT_MT_MOVABLE), 0);
	assert_int_equal(pcp_count(b, 1), 1);
	assert_int_equal(
	    bt_buddy_pcp_refill_block(b, 1, S + 200, 0, BT_MT_MOVABLE),
	    -EALREADY);
	assert_int_equal(bt_buddy_pcp_drain_block(b, S + 200, 0), 0);
	assert_int_equal(pcp_count(b, 1), 0);
	assert_int_equal(bt_buddy_pcp_drain_block(b, S + 200, 0), -EALREADY);
	/* a block in the middle of another CPU's list */
	for (i = 0; i < 10; i++)
		assert_int_equal(bt_buddy_pcp_refill_block(b, 1, S + 300 + i, 0,
							   BT_MT_MOVABLE),
				 0);
	assert_int_equal(bt_buddy_pcp_drain_block(b, S + 304, 0), 0);
	assert_int_equal(bt_buddy_pcp_drain_block(b, S + 309, 0), 0);
	assert_int_equal(pcp_count(b, 1), 8);
	assert_int_equal(pcp_count(b, 0), 5);
	check_ok(b);
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 9)
			assert_int_equal(
			    bt_buddy_pcp_drain_block(b, S + 300 + i, 0), 0);
	assert_int_equal(pcp_count(b, 1), 0);
	/* a mirror free stays on the list even above high */
	assert_int_equal(bt_buddy_free(b, S + 100, 0, 1, BT_FREE_NO_DRAIN), 0);
	assert_int_equal(pcp_count(b, 1), 1);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * Mirror verdicts follow the watermarks: with 4000 free pages and
 * min/low/high 3990/4000/4010, a movable page passes min but not low.
 */
static void test_mirror_slow(void **state)
{
	struct bt_buddy *b =
	    test_model(BT_PROFILE_6X, 1, S, 4096, 3990, 4000, 4010);
	struct bt_alloc_request rq;
	struct bt_alloc_result res;

	(void)state;
	assert_int_equal(bt_buddy_mark_allocated(b, S, 6, BT_MT_MOVABLE), 64);
	assert_int_equal(free_pages(b), 4032);
	assert_int_equal(bt_buddy_mark_allocated(b, S + 64, 5, BT_MT_MOVABLE),
			 32);
	bt_alloc_request_init(&rq, 0, MOV);
	rq.forced_pfn = S + 200;
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
	assert_int_equal(res.pfn, S + 200);
	assert_int_equal(res.path, BT_PATH_SLOW);
	assert_int_equal(res.got, BT_GOT_MIN_WMARK);
	assert_int_equal(res.stages, BT_STAGE_KSWAPD_WAKE | BT_STAGE_MIN_WMARK);
	/* the wake is reported, kswapd's state follows the trace instead */
	assert_int_equal(res.kswapd_woken, 1);
	assert_false(bt_buddy_kswapd_awake(b, 0));
	/* evaluation only: same verdict, nothing taken */
	bt_alloc_request_init(&rq, 0, MOV);
	rq.evaluate_only = true;
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
	assert_int_equal(res.path, BT_PATH_SLOW);
	assert_int_equal(res.got, BT_GOT_MIN_WMARK);
	assert_int_equal(res.pfn, BT_BUDDY_PFN_NONE);
	assert_int_equal(free_pages(b), 4032 - 32 - 1);
	/* a GFP_NOWAIT order-9 request: no block, no direct reclaim */
	bt_alloc_request_init(&rq, 9, BT_BUDDY_GFP_NOWAIT);
	rq.evaluate_only = true;
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
	assert_int_equal(res.path, BT_PATH_FAILED);
	assert_int_equal(res.fail, BT_FAIL_NO_RECLAIM);
	/* order 10: 3999 - 1023 free is below every mark: only reclaim helps */
	bt_alloc_request_init(&rq, 10, BT_BUDDY_GFP_KERNEL);
	rq.evaluate_only = true;
	assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
	assert_int_equal(res.path, BT_PATH_FAILED);
	assert_int_equal(res.fail, BT_FAIL_NO_PROGRESS);
	assert_true(res.stages & BT_STAGE_DIRECT_RECLAIM);
	bt_buddy_free_model(b);
}

/*
 * decay_pcp_high() [6.7+] with high_min 64, high_max 256, batch 8: the
 * first refill raises high to min(64 + 8, 256) = 72 and leaves 7 pages;
 * a decay brings high to max(7 - 256, 72 - 9, 64) = 64 and drains
 * nothing. 93 mirror frees (no drain) make 100 pages: the next decay
 * drains 100 - 64 = 36.
 */
static void test_decay(void **state)
{
	struct bt_buddy *b = full(BT_PROFILE_6X, 1);
	struct bt_alloc_result res;
	struct bt_pcp_info pi;
	int i;

	(void)state;
	assert_int_equal(bt_buddy_zone_set_pcp(b, 0, 64, 256, 8), 0);
	assert_int_equal(test_alloc(b, 0, MOV, 0, &res), 0);
	assert_int_equal(bt_buddy_pcp_info(b, 0, 0, &pi), 0);
	assert_int_equal(pi.high, 72);
	assert_int_equal(pi.count, 7);
	assert_int_equal(bt_buddy_pcp_decay(b), 0);
	assert_int_equal(bt_buddy_pcp_info(b, 0, 0, &pi), 0);
	assert_int_equal(pi.high, 64);
	assert_int_equal(bt_buddy_mark_allocated(b, S + 1024, 7, BT_MT_MOVABLE),
			 128);
	for (i = 0; i < 93; i++)
		assert_int_equal(
		    bt_buddy_free(b, S + 1024 + i, 0, 0, BT_FREE_NO_DRAIN), 0);
	assert_int_equal(pcp_count(b, 0), 100);
	assert_int_equal(bt_buddy_pcp_decay(b), 36);
	assert_int_equal(pcp_count(b, 0), 64);
	check_ok(b);
	bt_buddy_free_model(b);
}

/*
 * The owner CPU of a pcp block, one byte a page up to 256 CPUs and two
 * beyond: a refill on the last CPU fills that CPU's list only, a forced
 * allocation there finds the block on the requesting CPU's list (1) or
 * another's (2), and the model's own check agrees with every list.
 */
static void test_owner_cpus(void **state)
{
	static const unsigned int cpus[] = { 2, 256, 300, BT_BUDDY_MAX_CPUS };
	struct bt_alloc_request rq;
	struct bt_alloc_result res;

	(void)state;
	for (unsigned int k = 0; k < BT_ARRAY_SIZE(cpus); k++) {
		struct bt_buddy *b = full(BT_PROFILE_6X, cpus[k]);
		int last = (int)cpus[k] - 1;

		assert_int_equal(test_alloc(b, 0, MOV, last, &res), 0);
		assert_int_equal(res.pfn, S);
		assert_int_equal(res.pcp_refill, 8);
		assert_int_equal(pcp_count(b, last), 7);
		assert_int_equal(pcp_count(b, 0), 0);
		check_ok(b);
		bt_alloc_request_init(&rq, 0, MOV);
		rq.cpu = last;
		rq.forced_pfn = S + 3;
		assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
		assert_int_equal(res.forced_found, 1);
		rq.cpu = 0;
		rq.forced_pfn = S + 5;
		assert_int_equal(bt_buddy_alloc(b, &rq, &res), 0);
		assert_int_equal(res.forced_found, 2);
		assert_int_equal(pcp_count(b, last), 5);
		/* back on CPU 255 or beyond, where one byte would wrap */
		assert_int_equal(bt_buddy_free(b, S + 3, 0, last, 0), 0);
		assert_int_equal(pcp_count(b, last), 6);
		assert_int_equal(pcp_count(b, last & 0xff), last > 0xff ? 0 : 6);
		check_ok(b);
		assert_int_equal(bt_buddy_pcp_drain(b, last), 6);
		assert_int_equal(free_pages(b), 4096 - 2);
		check_ok(b);
		bt_buddy_free_model(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refill_drain_6x),
	    cmocka_unit_test(test_refill_drain_412),
	    cmocka_unit_test(test_high_orders),
	    cmocka_unit_test(test_mirror),
	    cmocka_unit_test(test_mirror_slow),
	    cmocka_unit_test(test_decay),
	    cmocka_unit_test(test_owner_cpus),
	};

	return cmocka_run_group_tests_name("allocator-pcp", tests, NULL, NULL);
}
