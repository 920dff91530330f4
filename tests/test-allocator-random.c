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
				       DMA32_PAGES, 16, 20, 24), 0);
	assert_int_equal(test_add_zone(b, BT_ZONE_NORMAL, NORMAL_START,
				       NORMAL_PAGES, 32, 40, 48), 1);
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

	struct bt_buddy_hooks hooks = { .move = on_move };

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

			assert_int_equal(test_alloc(b, o, gfp, (int)(rnd() % 2),
						    &res), 0);
			allocs++;
			if (res.pfn != BT_BUDDY_PFN_NONE) {
				assert_int_equal(res.pfn & ((1ull << o) - 1), 0);
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
				fail_msg("step %d: free %#llx order %u: %d", step,
					 (unsigned long long)live[k].pfn,
					 live[k].order, e);
			live[k] = live[--nlive];
		}
		if (bt_buddy_check(b, err, sizeof(err)))
			fail_msg("step %d: %s", step, err);
	}
	for (i = 0; i < nlive; i++)
		assert_int_equal(bt_buddy_free(b, live[i].pfn, live[i].order,
					       0, 0), 0);
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
		assert_int_equal(st.allocs_fast + st.allocs_slow +
				 st.allocs_failed, allocs);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_6x),
		cmocka_unit_test(test_random_412),
		cmocka_unit_test(test_random_knobs),
	};

	return cmocka_run_group_tests_name("allocator-random", tests, NULL,
					   NULL);
}
