// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-premap.c - the free-page map read with tracing on (replay/
 * premap.c) and the fallback rules that came with it (replay/mirror.c):
 * events earlier than the read of their page are counted, not applied;
 * a map without read times treats them as before; blocks freed on the
 * other CPU less than 1 ms before a fallback are not its obstacles; a
 * block the map shows free that is then drained from a per-CPU list
 * confirms the fallback it stood in the way of.
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
 * The map at ts 10: DMA32 [4096, 6144) as two order-10 blocks, Normal
 * 8192/10, 9216/10 and 12800/1. Each aligned 1024 pages k (from 4096)
 * was read from 1000 + 100 k to 1090 + 100 k, so page 12801 was read at
 * about 1845 and 12803 at 1845, 12900 at 1853.
 */
static void map_with_times(struct tb *t, bool times)
{
	static const uint64_t blocks[][2] = {
		{ 4096, 10 }, { 5120, 10 }, { 8192, 10 }, { 9216, 10 },
		{ 12800, 1 },
	};
	struct bt_buf b;

	bt_buf_init(&b);
	for (size_t i = 0; i < BT_ARRAY_SIZE(blocks); i++)
		assert_int_equal(bt_free_blocks_put(&b, blocks[i][0],
						    (unsigned int)blocks[i][1]),
				 0);
	bt_writer_add_snapshot(t->w, BT_SNAP_FREE_BLOCKS, 10, b.data, b.len);
	bt_buf_release(&b);
	if (!times)
		return;
	bt_buf_init(&b);
	for (unsigned int k = 0; k < 12; k++) {
		struct bt_free_time ft = { 4096 + 1024 * k, 5120 + 1024 * k,
					   1000 + 100 * k, 1090 + 100 * k };

		assert_int_equal(bt_free_times_put(&b, &ft), 0);
	}
	bt_writer_add_snapshot(t->w, BT_SNAP_FREE_TIMES, 10, b.data, b.len);
	bt_buf_release(&b);
}

static void write_premap_trace(struct tb *t, bool times)
{
	tb_open(t, times ? "premap" : "nopremap");
	tb_zoneinfo(t, 5);
	map_with_times(t, times);
	tb_free(t, 1500, 12801, 0);	/* before 12801 was read: in the map */
	tb_alloc(t, 1700, 12900, 0, TB_GFP_KERNEL);	/* likewise */
	tb_free(t, 1850, 12803, 0);	/* after 12803 was read: applied */
	/* 8192/10 9216/10 12800/1; 12803 went onto a per-CPU list */
	tb_buddyinfo(t, 3000, "0 0 0 0 0 0 0 0 0 0 2",
		     "0 1 0 0 0 0 0 0 0 0 2");
	tb_close(t);
}

static void test_premap_events(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	write_premap_trace(t, true);
	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.premap_events, 2);
	assert_int_equal(s.untraced_window_frees, 0);
	assert_int_equal(s.initial_frees, 1);		/* 12803 */
	assert_int_equal(s.initial_pcp_allocs, 0);
	assert_int_equal(s.recorded.allocations, 1);
	assert_int_equal(s.run.allocations, 1);		/* judged all the same */
	assert_int_equal(s.frees, 2);
	assert_int_equal(s.inconsistencies, 0);
	assert_int_equal(s.nr_snapcmp, 1);
	assert_int_equal(s.snapcmp[0].zone[0].worst_pages, 0);
	assert_int_equal(s.snapcmp[0].zone[1].worst_pages, 0);
	assert_int_equal(s.snapcmp[0].zone[1].snap_free_pages, 2050);
	bt_replay_summary_release(&s);
	/* model mode applies the same rule */
	o.mode = BT_REPLAY_MODEL;
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.premap_events, 2);
	assert_int_equal(s.run.allocations, 1);
	bt_replay_summary_release(&s);
	tb_remove(t);

	/* Without read times the map comes before every event. */
	write_premap_trace(t, false);
	o.mode = BT_REPLAY_MIRROR;
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.premap_events, 0);
	assert_int_equal(s.untraced_window_frees, 1);	/* 12801 */
	assert_int_equal(s.initial_pcp_allocs, 1);	/* 12900 */
	assert_int_equal(s.inconsistencies, 0);
	/* 12801 freed again, onto a list: 12800/1 became 12800/0 */
	assert_int_equal(s.snapcmp[0].zone[1].diff_pages[0], 1);
	assert_int_equal(s.snapcmp[0].zone[1].diff_pages[1], -2);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/*
 * Normal holds no free page at the start. A drain on @drain_cpu at ts 1000
 * frees 9216 into a pageblock it shows MOVABLE; a MOVABLE order-0 request
 * falls back at @fb_ts on cpu 0.
 */
static void fallback_trace(struct tb *t, uint32_t drain_cpu, uint64_t fb_ts)
{
	tb_open(t, "inflight");
	tb_zoneinfo(t, 5);
	tb_free_range(t, 4096, 2048);
	tb_kpageflags(t, 10);
	t->cpu = drain_cpu;
	tb_ev(t, 1000, BT_EV_PAGE_PCPU_DRAIN, 9216, 0, 1, 0, 0, 0);
	t->cpu = 0;
	tb_ev(t, fb_ts, BT_EV_PAGE_ALLOC_EXTFRAG, 10240, 0, 9, 1, 0, 1);
	tb_close(t);
}

static void test_inflight_fallback(void **state)
{
	static const struct {
		uint32_t cpu;
		uint64_t ts;
		uint64_t confirmed;
	} cases[] = {
		{ 1, 1500, 1 },		/* the other CPU, 500 ns before */
		{ 1, 2001000, 0 },	/* the other CPU, 2 ms before */
		{ 0, 1500, 0 },		/* the same CPU: it had landed */
	};
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	for (size_t i = 0; i < BT_ARRAY_SIZE(cases); i++) {
		fallback_trace(t, cases[i].cpu, cases[i].ts);
		bt_replay_opts_init(&o);
		assert_int_equal(tb_replay(t, &o, &s), 0);
		assert_int_equal(s.fallbacks_checked, 1);
		assert_int_equal(s.fallbacks_confirmed, cases[i].confirmed);
		assert_int_equal(s.fallbacks_confirmed_inflight,
				 cases[i].confirmed);
		assert_int_equal(s.fallbacks_unconfirmed.count,
				 1 - cases[i].confirmed);
		bt_replay_summary_release(&s);
		tb_remove(t);
	}
	free(t);
}

/*
 * The map shows 9216 free in a pageblock a refill shows MOVABLE; a
 * MOVABLE request falls back anyway; later the block is drained from a
 * per-CPU list, so it was never on the free lists: confirmed then.
 */
static void test_drained_map_block(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	for (int drained = 0; drained < 2; drained++) {
		tb_open(t, "drained");
		tb_zoneinfo(t, 5);
		tb_free_range(t, 4096, 2048);
		tb_free_range(t, 9216, 1);
		tb_kpageflags(t, 10);
		tb_ev(t, 900, BT_EV_PAGE_ALLOC_ZONE_LOCKED, 9300, 0, 1, 1, 0,
		      0);
		tb_ev(t, 1000, BT_EV_PAGE_ALLOC_EXTFRAG, 10240, 0, 9, 1, 0, 1);
		if (drained)
			tb_ev(t, 5000, BT_EV_PAGE_PCPU_DRAIN, 9216, 0, 1, 0, 0,
			      0);
		tb_close(t);
		bt_replay_opts_init(&o);
		assert_int_equal(tb_replay(t, &o, &s), 0);
		assert_int_equal(s.fallbacks_checked, 1);
		assert_int_equal(s.fallbacks_confirmed, (uint64_t)drained);
		assert_int_equal(s.fallbacks_confirmed_retro,
				 (uint64_t)drained);
		assert_int_equal(s.fallbacks_confirmed_inflight, 0);
		bt_replay_summary_release(&s);
		tb_remove(t);
	}
	free(t);
}

/*
 * A map that shows most of the span free makes setup mark the pages in
 * use instead of the free ones (pgk in replay-internal.h), for blocks in
 * any order. Eight order-10 blocks, 8,192 of the 12,288 pages, listed
 * out of pfn order; the first buddyinfo says so (or, in the second
 * trace, shows nothing free: the usual marking). Either way: 13320 was
 * free at start and untouched, so its free is an untraced-window free;
 * 14400 (above the last block) and 6200 (in the gap after DMA32's
 * blocks) were in use at start, so their frees are initial frees; the
 * allocation of 8192 comes from the map's free pages.
 */
static void write_mostly_free(struct tb *t, bool mostly, bool dup)
{
	static const uint64_t blocks[] = {
		9216, 8192, 4096, 10240, 5120, 11264, 12288, 13312,
	};
	struct bt_buf b;

	tb_open(t, mostly ? "mostly-free" : "mostly-used");
	tb_zoneinfo(t, 5);
	tb_buddyinfo(t, 5, mostly ? "0 0 0 0 0 0 0 0 0 0 2" : "0",
		     mostly ? "0 0 0 0 0 0 0 0 0 0 6" : "0");
	bt_buf_init(&b);
	for (size_t i = 0; i < BT_ARRAY_SIZE(blocks); i++)
		assert_int_equal(bt_free_blocks_put(&b, blocks[i], 10), 0);
	/* a damaged map: a block inside 8192/10, below the top by then */
	if (dup)
		assert_int_equal(bt_free_blocks_put(&b, 8200, 3), 0);
	bt_writer_add_snapshot(t->w, BT_SNAP_FREE_BLOCKS, 10, b.data, b.len);
	bt_buf_release(&b);
	tb_alloc(t, 100, 8192, 0, TB_GFP_KERNEL);
	tb_free(t, 200, 13320, 0);
	tb_free(t, 300, 14400, 0);
	tb_free(t, 400, 6200, 0);
	tb_close(t);
}

static void test_mostly_free_map(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;

	(void)state;
	for (int mostly = 0; mostly < 2; mostly++) {
		for (int mode = 0; mode < 2; mode++) {
			struct tb *t = calloc(1, sizeof(*t));

			write_mostly_free(t, mostly, false);
			bt_replay_opts_init(&o);
			o.mode = mode ? BT_REPLAY_MODEL : BT_REPLAY_MIRROR;
			assert_int_equal(tb_replay(t, &o, &s), 0);
			assert_true(s.free_map);
			assert_int_equal(s.recorded.allocations, 1);
			assert_int_equal(s.untraced_window_frees, 1);
			assert_int_equal(s.initial_frees, 2);
			assert_int_equal(s.inconsistencies, 0);
			bt_replay_summary_release(&s);
			tb_remove(t);
			free(t);
		}
	}
}

/*
 * An entry that overlaps a block already added is still refused when the
 * blocks before it were added without the overlap check (setup.c adds a
 * block above every earlier one unchecked): the zones' free blocks by
 * order, sampled after the last event, are those of the clean map.
 */
static void test_overlap_below_top(void **state)
{
	struct bt_replay_sample last[2];
	struct bt_replay_opts o;
	struct bt_replay_summary s;

	(void)state;
	for (int dup = 0; dup < 2; dup++) {
		struct tb *t = calloc(1, sizeof(*t));

		write_mostly_free(t, true, dup);
		bt_replay_opts_init(&o);
		o.sample_interval_ns = 1;
		assert_int_equal(tb_replay(t, &o, &s), 0);
		assert_true(s.nr_samples > 0);
		last[dup] = s.samples[s.nr_samples - 1];
		bt_replay_summary_release(&s);
		tb_remove(t);
		free(t);
	}
	/* Normal: 8192/10 split by the allocation of 8192 and 13312/10 by
	 * 13320, taken before the trace (its free went to a per-CPU list,
	 * as did those of 14400 and 6200): two blocks at each order 0..9,
	 * four left whole; DMA32's two untouched */
	for (unsigned int o2 = 0; o2 < 10; o2++)
		assert_int_equal(last[0].free[1][o2], 2);
	assert_int_equal(last[0].free[1][10], 4);
	assert_int_equal(last[0].free[0][10], 2);
	assert_memory_equal(last[0].free, last[1].free, sizeof(last[0].free));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_premap_events),
		cmocka_unit_test(test_inflight_fallback),
		cmocka_unit_test(test_drained_map_block),
		cmocka_unit_test(test_mostly_free_map),
		cmocka_unit_test(test_overlap_below_top),
	};

	return cmocka_run_group_tests_name("replay-premap", tests, NULL, NULL);
}
