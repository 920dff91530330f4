// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-random.c - long randomized allocation and free sequences
 * (fixed seed) on both profiles, with bt_buddy_check() after every step,
 * and a final drain that must give back every page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test-allocator.h"

#define DMA32_START 4096
#define DMA32_PAGES 4096
#define NORMAL_START 8192
#define NORMAL_PAGES 8192
#define STEPS 15000

struct live {
	uint64_t pfn;
	unsigned int order;
};

static uint64_t rnd_state;
static struct live *g_live;
static size_t *g_nlive;
static unsigned long g_moves;

/* compaction moved a block: follow it */
static void on_move(struct bt_buddy *b, uint64_t old_pfn, uint64_t new_pfn,
		    unsigned int order, void *data)
{
	size_t i;

	(void)b;
	(void)data;
	for (i = 0; i < *g_nlive; i++)
		if (g_live[i].pfn == old_pfn && g_live[i].order == order) {
			g_live[i].pfn = new_pfn;
			g_moves++;
			return;
		}
	fail_msg("moved block %#llx not live", (unsigned long long)old_pfn);
}

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rnd_state >> 33);
}

static const uint64_t gfps[] = {
    BT_BUDDY_GFP_KERNEL,
    BT_BUDDY_GFP_HIGHUSER_MOVABLE,
    BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_RECLAIMABLE,
    BT_BUDDY_GFP_ATOMIC_6X,
    BT_BUDDY_GFP_ATOMIC_4X,
    BT_BUDDY_GFP_NOWAIT,
    BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_DMA32,
    BT_BUDDY_GFP_TRANSHUGE_LIGHT,
    BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_NORETRY,
};

static unsigned int pick_order(void)
{
	uint32_t r = rnd() % 100;

	if (r < 60)
		return 0;
	if (r < 75)
		return 1 + rnd() % 3;
	if (r < 90)
		return rnd() % 11;
	return 9;
}

static struct bt_buddy *build_cfg(const struct bt_buddy_config *cfg)
{
	struct bt_buddy *b = bt_buddy_new(cfg);

	assert_non_null(b);
	assert_int_equal(test_add_zone(b, BT_ZONE_DMA32, DMA32_START,
				       DMA32_PAGES, 16, 20, 24),
			 0);
	assert_int_equal(test_add_zone(b, BT_ZONE_NORMAL, NORMAL_START,
				       NORMAL_PAGES, 32, 40, 48),
			 1);
	assert_int_equal(test_free_range(b, DMA32_START, DMA32_PAGES, -1), 0);
	assert_int_equal(test_free_range(b, NORMAL_START, NORMAL_PAGES, -1), 0);
	return b;
}

static struct bt_buddy *build(enum bt_buddy_profile p)
{
	struct bt_buddy_config cfg;

	bt_buddy_config_init(&cfg, p);
	cfg.nr_cpus = 2;
	return build_cfg(&cfg);
}

static uint64_t total_free(struct bt_buddy *b)
{
	struct bt_zone_info zi;
	uint64_t n = 0;
	int z;

	for (z = 0; z < bt_buddy_nr_zones(b); z++) {
		assert_int_equal(bt_buddy_zone_info(b, z, &zi), 0);
		n += zi.free_pages;
	}
	return n;
}

static void run_model(struct bt_buddy *b, uint64_t seed, bool busy);

static void run(enum bt_buddy_profile p, uint64_t seed)
{
	run_model(build(p), seed, true);
}

static void run_model(struct bt_buddy *b, uint64_t seed, bool busy)
{
	struct live *live = calloc(DMA32_PAGES + NORMAL_PAGES, sizeof(*live));
	size_t nlive = 0, i;
	char err[256];
	int step;
	uint64_t allocs = 0;

	struct bt_buddy_hooks hooks = {.move = on_move};

	assert_non_null(live);
	g_live = live;
	g_moves = 0;
	g_nlive = &nlive;
	bt_buddy_set_hooks(b, &hooks);
	rnd_state = seed;
	assert_int_equal(total_free(b), DMA32_PAGES + NORMAL_PAGES);
	for (step = 0; step < STEPS; step++) {
		bool do_alloc = nlive == 0 || rnd() % 100 < 55;

		if (do_alloc) {
			struct bt_alloc_result res;
			unsigned int o = pick_order();

			if (o > bt_buddy_get_config(b)->max_order)
				o = bt_buddy_get_config(b)->max_order;
			uint64_t gfp = gfps[rnd() % BT_ARRAY_SIZE(gfps)];

			assert_int_equal(
			    test_alloc(b, o, gfp, (int)(rnd() % 2), &res), 0);
			allocs++;
			if (res.pfn != BT_BUDDY_PFN_NONE) {
				assert_int_equal(res.pfn & ((1ull << o) - 1),
						 0);
				live[nlive].pfn = res.pfn;
				live[nlive].order = o;
				nlive++;
			} else {
				assert_int_equal(res.path, BT_PATH_FAILED);
			}
		} else {
			size_t k = rnd() % nlive;

			int e = bt_buddy_free(b, live[k].pfn, live[k].order,
					      (int)(rnd() % 2), 0);

			if (e)
				fail_msg("step %d: free %#llx order %u: %d",
					 step, (unsigned long long)live[k].pfn,
					 live[k].order, e);
			live[k] = live[--nlive];
		}
		if (bt_buddy_check(b, err, sizeof(err)))
			fail_msg("step %d: %s", step, err);
	}
	for (i = 0; i < nlive; i++)
		assert_int_equal(
		    bt_buddy_free(b, live[i].pfn, live[i].order, 0, 0), 0);
	assert_true(bt_buddy_pcp_drain(b, -1) >= 0);
	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("final: %s", err);
	/* every page is back and merged into maximal blocks again */
	assert_int_equal(total_free(b), DMA32_PAGES + NORMAL_PAGES);
	{
		struct bt_buddy_stats st;

		/* the sequence reaches fallbacks, claims and compaction */
		bt_buddy_get_stats(b, &st);
		if (busy) {
			assert_true(st.extfrag > 0);
			assert_true(st.extfrag_claimed > 0);
			assert_true(st.compact_stall > 0);
			assert_true(g_moves > 0);
			assert_true(st.allocs_failed > 0);
		}
		assert_int_equal(
		    st.allocs_fast + st.allocs_slow + st.allocs_failed, allocs);
	}
	free(live);
	bt_buddy_free_model(b);
}

static void test_random_6x(void **state)
{
	(void)state;
	run(BT_PROFILE_6X, 1);
	run(BT_PROFILE_6X, 0xdeadbeef);
}

static void test_random_412(void **state)
{
	(void)state;
	run(BT_PROFILE_4_12, 2);
	run(BT_PROFILE_4_12, 0x1234567);
}

/* Knobs: other orders, mobility off, defrag_mode, other policies. */
static void test_random_knobs(void **state)
{
	struct bt_buddy_config cfg;

	(void)state;
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.nr_cpus = 2;
	cfg.pageblock_order = 5;
	cfg.max_order = 8;
	cfg.pcp_high = 16;
	cfg.pcp_batch = 4;
	run_model(build_cfg(&cfg), 3, false);
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.nr_cpus = 2;
	cfg.defrag_mode = true;
	cfg.fallback_policy = BT_FALLBACK_LARGEST;
	run_model(build_cfg(&cfg), 4, false);
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.nr_cpus = 2;
	cfg.mobility_disabled = true;
	cfg.kernel_version = BT_KVER(6, 6, 0);
	run_model(build_cfg(&cfg), 5, false);
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.nr_cpus = 2;
	cfg.kernel_version = BT_KVER(5, 15, 0);
	run_model(build_cfg(&cfg), 8, true);
	bt_buddy_config_init(&cfg, BT_PROFILE_4_12);
	cfg.nr_cpus = 2;
	cfg.fallback_policy = BT_FALLBACK_CLAIM_STEAL;
	cfg.watermark_boost_factor = 15000;
	run_model(build_cfg(&cfg), 6, false);
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.nr_cpus = 2;
	cfg.fallback_policy = BT_FALLBACK_NONE;
	cfg.compaction = false;
	run_model(build_cfg(&cfg), 7, false);
}

/*
 * Hostile use: random gfp masks, task flags and forced pfns, frees and
 * mirror calls on random (often wrong) pfns and orders, relabelling,
 * reclaim, compaction and kswapd in between. Nothing may crash and every
 * invariant must hold after every call.
 */
/* the last hostile call, for the failure message */
static int last_op;
static uint64_t last_pfn;
static unsigned int last_o;

static void hostile_step(struct bt_buddy *b, uint64_t base, uint64_t span)
{
	struct bt_alloc_request rq;
	struct bt_alloc_result res;
	uint64_t pfn = base + rnd() % (span + 64) - 32;
	unsigned int o = rnd() % 12;
	int cpu = (int)(rnd() % 3);

	last_op = (int)(rnd() % 12);
	last_pfn = pfn;
	last_o = o;
	switch (last_op) {
	case 0:
	case 1:
	case 2:
		bt_alloc_request_init(&rq, o, (uint64_t)rnd() << 1 | rnd());
		rq.cpu = cpu % 2;
		rq.task_flags = rnd() % 64;
		if (rnd() % 4 == 0)
			rq.forced_pfn = pfn & ~((1ull << (o % 11)) - 1);
		rq.forced_failure = rnd() % 16 == 0;
		(void)bt_buddy_alloc(b, &rq, &res);
		break;
	case 3:
	case 4:
	case 5:
		(void)bt_buddy_free(b, pfn & ~((1ull << (o % 11)) - 1), o, cpu,
				    rnd() % 8);
		break;
	case 6:
		(void)bt_buddy_mark_allocated(b, pfn, o, (int)(rnd() % 7) - 1);
		break;
	case 7:
		(void)bt_buddy_set_pageblock_mt(b, pfn, (int)(rnd() % 7));
		break;
	case 8:
		(void)bt_buddy_pcp_refill_block(b, cpu, pfn, o % 4,
						(int)(rnd() % 4));
		(void)bt_buddy_pcp_drain_block(b, pfn, o % 4);
		break;
	case 9:
		(void)bt_buddy_reclaim_add(b, pfn, o);
		(void)bt_buddy_compact_zone(b, (int)(rnd() % 3), (int)o - 2,
					    (int)(rnd() % 3));
		break;
	case 10:
		(void)bt_buddy_kswapd_run(b, 0);
		(void)bt_buddy_kcompactd_run(b, 0);
		(void)bt_buddy_proactive_compact(b, 0);
		break;
	default:
		(void)bt_buddy_pcp_decay(b);
		(void)bt_buddy_pcp_drain(b, cpu - 1);
	}
}

static void hostile(enum bt_buddy_profile p, uint64_t seed)
{
	struct bt_buddy *b = build(p);
	char err[256];
	int step;

	rnd_state = seed;
	for (step = 0; step < 3000; step++) {
		hostile_step(b, DMA32_START, DMA32_PAGES + NORMAL_PAGES);
		if (bt_buddy_check(b, err, sizeof(err)))
			fail_msg("step %d op %d pfn %#llx order %u: %s", step,
				 last_op, (unsigned long long)last_pfn, last_o,
				 err);
	}
	bt_buddy_free_model(b);
}

static void test_hostile(void **state)
{
	(void)state;
	hostile(BT_PROFILE_6X, 11);
	hostile(BT_PROFILE_4_12, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_6x),
	    cmocka_unit_test(test_random_412),
	    cmocka_unit_test(test_random_knobs),
	    cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests_name("allocator-random", tests, NULL,
					   NULL);
}
