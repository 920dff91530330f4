// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-mirror.c - mirror mode on small synthetic traces whose
 * outcome is worked out by hand: placements, per-CPU lists, buddyinfo
 * comparison, inconsistencies (a double free gives exactly one, with its
 * pfn), slow-path evidence, fallback confirmation, lost events and the
 * missing-zoneinfo error.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "test-replay-util.h"
#include "common/freeblocks.h"

/*
 * Free at start: DMA32 [4096, 6144) = two order-10 blocks; Normal
 * [8192, 12288) = four order-10 blocks, 12800 (order 0), 12802 (order 1).
 */
static void tb_layout(struct tb *t)
{
	tb_zoneinfo(t, 10);
	tb_free_range(t, 4096, 2048);
	tb_free_range(t, 8192, 4096);
	tb_free_range(t, 12800, 1);
	tb_free_range(t, 12802, 2);
	tb_kpageflags(t, 10);
	tb_buddyinfo(t, 10, "0 0 0 0 0 0 0 0 0 0 2", "1 1 0 0 0 0 0 0 0 0 4");
}

static void test_double_free(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "dfree");
	tb_layout(t);
	tb_alloc(t, 1000, 8192, 0, TB_GFP_KERNEL);	/* carved out */
	tb_free(t, 1100, 8192, 0);			/* onto cpu 0's list */
	tb_ev(t, 1200, BT_EV_PAGE_PCPU_DRAIN, 8192, 0, 0, 0, 0, 0);
	tb_free(t, 1300, 8192, 0);			/* already free */
	/*
	 * ALLOCATOR-SPEC 11.1: a silent allocation, then the free: 8192
	 * sits on cpu 0's list again, its order-10 block split.
	 */
	tb_buddyinfo(t, 2000, "0 0 0 0 0 0 0 0 0 0 2",
		     "2 2 1 1 1 1 1 1 1 1 3");
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.inconsistencies, 1);
	assert_int_equal(s.incons[BT_INC_FREE_OF_FREE].count, 1);
	assert_int_equal(s.incons[BT_INC_FREE_OF_FREE].nr, 1);
	assert_int_equal(s.incons[BT_INC_FREE_OF_FREE].first[0].pfn, 8192);
	assert_int_equal(s.incons[BT_INC_FREE_OF_FREE].first[0].ts, 1300);
	assert_int_equal(s.recorded.allocations, 1);
	assert_int_equal(s.frees, 2);
	assert_int_equal(s.pcp_drains, 1);
	assert_int_equal(s.run.fast, 1);	/* 4099 free > low 160 */
	/* both snapshots match the mirror exactly */
	assert_int_equal(s.nr_snapcmp, 2);
	for (unsigned int i = 0; i < s.nr_snapcmp; i++) {
		for (unsigned int z = 0; z < s.nr_zones; z++) {
			assert_int_equal(s.snapcmp[i].zone[z].worst_pages, 0);
			for (unsigned int o2 = 0; o2 < 11; o2++)
				assert_int_equal(
					s.snapcmp[i].zone[z].diff_pages[o2], 0);
		}
	}
	assert_int_equal(s.snapcmp[1].zone[1].snap_free_pages, 4098);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/* pcp refill, pcp hit, a page on a list at the start, an initial free. */
static void test_pcp_and_initial(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "pcp");
	tb_layout(t);
	tb_ev(t, 1000, BT_EV_PAGE_ALLOC_ZONE_LOCKED, 9216, 0, 1, 1, 0, 0);
	tb_alloc(t, 1100, 9216, 0, TB_GFP_MOVABLE);	/* pcp hit */
	tb_alloc(t, 1200, 12288, 0, TB_GFP_KERNEL);	/* in use at start */
	tb_free(t, 1300, 13056, 4);			/* in use at start */
	tb_alloc(t, 1400, 12800, 0, TB_GFP_KERNEL);	/* the lone page */
	tb_ev(t, 1500, BT_EV_LOST, 5, 0, 0, 0, 0, 0);
	/*
	 * Normal now: 9216's block split (9217 o0 .. 9728 o9), 8192,
	 * 10240, 11264 o10, 12802 o1, 13056 o4.
	 */
	tb_buddyinfo(t, 2000, "0 0 0 0 0 0 0 0 0 0 2",
		     "1 2 1 1 2 1 1 1 1 1 3");
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.pcp_refills, 1);
	assert_int_equal(s.initial_pcp_allocs, 1);
	assert_int_equal(s.initial_frees, 1);
	assert_int_equal(s.lost_events, 5);
	assert_int_equal(s.incons[BT_INC_LOST_EVENTS].count, 1);
	assert_int_equal(s.inconsistencies, 1);
	assert_int_equal(s.recorded.allocations, 3);
	assert_int_equal(s.recorded.pages, 3);
	assert_int_equal(s.nr_snapcmp, 2);
	for (unsigned int z = 0; z < s.nr_zones; z++)
		assert_int_equal(s.snapcmp[1].zone[z].worst_pages, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/*
 * Normal with 100 free pages (below min 128) and DMA32 protected: a
 * GFP_KERNEL allocation cannot pass the fast path, so its slow-path
 * evidence (kswapd wake, direct reclaim) must be agreed with; the
 * recorded fallback has no UNMOVABLE free block to use: confirmed.
 */
static void test_evidence_and_fallback(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "evid");
	tb_zoneinfo(t, 10);
	tb_free_range(t, 4096, 2048);
	tb_free_range(t, 9216, 64);
	tb_free_range(t, 9344, 32);
	tb_free_range(t, 9408, 4);
	tb_kpageflags(t, 10);
	t->pid = 200;
	tb_ev(t, 1000, BT_EV_VMSCAN_WAKEUP_KSWAPD, 0, 2, 0, TB_GFP_KERNEL, 0,
	      0);
	tb_ev(t, 1010, BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN, 0, TB_GFP_KERNEL, 0,
	      0, 0, 0);
	tb_ev(t, 1020, BT_EV_VMSCAN_DIRECT_RECLAIM_END, 12, 0, 0, 0, 0, 0);
	tb_ev(t, 1030, BT_EV_PAGE_ALLOC_EXTFRAG, 9216, 0, 6, 0, 1, 0);
	tb_alloc(t, 1040, 9216, 0, TB_GFP_KERNEL);
	t->pid = 201;
	tb_alloc(t, 1050, BT_PFN_NONE, 0, TB_GFP_KERNEL & ~BT_GFP_DIRECT_RECLAIM);
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.evidence.evidenced, 1);
	assert_int_equal(s.evidence.agreed, 1);
	assert_int_equal(s.evidence.disagreed.count, 0);
	assert_int_equal(s.recorded.stage[BT_REPLAY_STAGE_KSWAPD_WAKE], 1);
	assert_int_equal(s.recorded.stage[BT_REPLAY_STAGE_DIRECT_RECLAIM], 1);
	assert_int_equal(s.recorded.fallbacks.total, 1);
	assert_int_equal(s.recorded.fallbacks.fragmenting, 1);
	assert_int_equal(s.recorded.fallbacks.moderate, 1);
	assert_int_equal(s.recorded.fallbacks.severe, 0);
	assert_int_equal(s.fallbacks_checked, 1);
	assert_int_equal(s.fallbacks_confirmed, 1);
	assert_int_equal(s.recorded.failed, 1);
	assert_int_equal(s.run.fast, 0);
	assert_int_equal(s.run.slowpath, 2);
	/* an atomic order-0 request under min with nothing to reclaim */
	assert_int_equal(s.failures_predicted, 1);
	assert_int_equal(s.inconsistencies, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/*
 * The profile decides which frees go onto a per-CPU list: an order-1 free
 * does on 6.x (orders 0-3), not on 4.12 (order 0 only), where it merges
 * straight back into the buddy.
 */
static void test_profile_pcp_orders(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "profile");
	tb_layout(t);
	tb_alloc(t, 1000, 12802, 1, TB_GFP_KERNEL);	/* the order-1 block */
	tb_free(t, 1100, 12802, 1);
	tb_buddyinfo(t, 2000, "0 0 0 0 0 0 0 0 0 0 2",
		     "1 1 0 0 0 0 0 0 0 0 4");
	tb_close(t);
	bt_replay_opts_init(&o);
	o.profile = BT_REPLAY_PROFILE_4_12;
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.profile, BT_REPLAY_PROFILE_4_12);
	assert_int_equal(s.snapcmp[1].zone[1].worst_pages, 0);
	bt_replay_summary_release(&s);
	o.profile = BT_REPLAY_PROFILE_AUTO;		/* 6.18 from the trace */
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.profile, BT_REPLAY_PROFILE_6_X);
	/* the block sits on cpu 0's list: buddyinfo counts one more */
	assert_int_equal(s.snapcmp[1].zone[1].diff_pages[1], -2);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/*
 * The free-page map as BT_SNAP_FREE_BLOCKS, in both encodings: varint
 * pairs (pfn delta, order) as record writes it, and "pfn order" lines as
 * import writes it. Both give the layout of tb_layout(), which the
 * buddyinfo snapshot matches exactly.
 */
static void test_free_blocks_formats(void **state)
{
	static const uint64_t blocks[][2] = {
		{ 4096, 10 }, { 5120, 10 }, { 8192, 10 }, { 9216, 10 },
		{ 10240, 10 }, { 11264, 10 }, { 12800, 0 }, { 12802, 1 },
		{ 1u << 20, 3 },	/* outside every zone: skipped */
	};
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	/* One pass: the payload is "pfn order" lines (common/freeblocks.h). */
	for (int text = 1; text < 2; text++) {
		struct bt_buf b;

		bt_buf_init(&b);
		for (size_t i = 0; i < BT_ARRAY_SIZE(blocks); i++)
			bt_free_blocks_put(&b, blocks[i][0],
					   (unsigned int)blocks[i][1]);
		tb_open(t, "fbtext");
		tb_zoneinfo(t, 10);
		bt_writer_add_snapshot(t->w, BT_SNAP_FREE_BLOCKS, 10, b.data,
				       b.len);
		tb_buddyinfo(t, 10, "0 0 0 0 0 0 0 0 0 0 2",
			     "1 1 0 0 0 0 0 0 0 0 4");
		tb_alloc(t, 1000, 12800, 0, TB_GFP_KERNEL);
		tb_close(t);
		bt_buf_release(&b);
		bt_replay_opts_init(&o);
		assert_int_equal(tb_replay(t, &o, &s), 0);
		assert_true(s.free_map);
		assert_int_equal(s.nr_snapcmp, 1);
		assert_int_equal(s.snapcmp[0].zone[0].worst_pages, 0);
		assert_int_equal(s.snapcmp[0].zone[1].worst_pages, 0);
		assert_int_equal(s.snapcmp[0].zone[1].snap_free_pages, 4099);
		assert_int_equal(s.initial_pcp_allocs, 0);	/* 12800 free */
		assert_int_equal(s.inconsistencies, 0);
		bt_replay_summary_release(&s);
		tb_remove(t);
	}
	free(t);
}

static void test_no_zoneinfo(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));
	struct bt_buf zi;

	(void)state;
	tb_open(t, "nozi");
	tb_alloc(t, 1000, 8192, 0, TB_GFP_KERNEL);
	tb_close(t);
	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), BT_E_NO_ZONEINFO);
	bt_replay_summary_release(&s);
	/* --zoneinfo supplies it: every page then counts as in use */
	bt_buf_init(&zi);
	assert_int_equal(bt_read_file("tests/data/replay/zoneinfo", &zi), 0);
	o.zoneinfo = (const char *)zi.data;
	o.zoneinfo_len = zi.len;
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.nr_zones, 2);
	assert_int_equal(s.initial_pcp_allocs, 1);
	bt_replay_summary_release(&s);
	bt_buf_release(&zi);
	tb_remove(t);
	free(t);
}

/* The same trace and knobs give byte-identical JSON. */
static void test_deterministic(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct bt_buf a, b;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "det");
	tb_layout(t);
	for (unsigned int i = 0; i < 64; i++)
		tb_alloc(t, 1000 + i, 8192 + i * 2, 0, TB_GFP_KERNEL);
	for (unsigned int i = 0; i < 64; i += 3)
		tb_free(t, 2000 + i, 8192 + i * 2, 0);
	tb_close(t);
	bt_replay_opts_init(&o);
	assert_int_equal(bt_replay_knob_set(&o.knobs, "pcp_batch=4"), 0);
	o.sample_interval_ns = 100;
	bt_buf_init(&a);
	bt_buf_init(&b);
	for (int m = 0; m < 2; m++) {
		o.mode = m ? BT_REPLAY_MODEL : BT_REPLAY_MIRROR;
		a.len = b.len = 0;
		assert_int_equal(tb_replay(t, &o, &s), 0);
		assert_int_equal(bt_replay_summary_json(&s, &a), 0);
		bt_replay_summary_release(&s);
		assert_int_equal(tb_replay(t, &o, &s), 0);
		assert_int_equal(bt_replay_summary_json(&s, &b), 0);
		/* one at the buddyinfo snapshot, then at ts 1000 and 2000 */
		assert_int_equal(s.nr_samples, 3);
		bt_replay_summary_release(&s);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
	}
	bt_buf_release(&a);
	bt_buf_release(&b);
	tb_remove(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_free),
		cmocka_unit_test(test_pcp_and_initial),
		cmocka_unit_test(test_evidence_and_fallback),
		cmocka_unit_test(test_profile_pcp_orders),
		cmocka_unit_test(test_free_blocks_formats),
		cmocka_unit_test(test_no_zoneinfo),
		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
