// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-model.c - model mode on synthetic traces: a knob that must
 * raise slow-path entries (min_free_kbytes four times larger moves the
 * low watermark above the zone's free pages), recorded frees mapped to
 * the model's blocks (partial frees, frees of blocks in use before the
 * trace), and a double free counted once.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "test-replay-util.h"

/*
 * Normal holds 600 free pages (min/low 128/160); DMA32 2048 but protected
 * from Normal requests. min_free_kbytes implied by zoneinfo: (64 + 128)
 * pages * 4 = 768 KiB; four times that gives Normal min 512, low 640.
 * Then @n allocations of order 0 in Normal, from 12000 up.
 */
static void tb_pressure(struct tb *t, const char *name, unsigned int n)
{
	tb_open(t, name);
	tb_zoneinfo(t, 10);
	tb_free_range(t, 4096, 2048);
	tb_free_range(t, 8192, 600);
	tb_kpageflags(t, 10);
	for (unsigned int i = 0; i < n; i++)
		tb_alloc(t, 1000 + i, 12000 + i, 0, TB_GFP_KERNEL);
}

/* kswapd frees @pfn at @ts. */
static void kswapd_free(struct tb *t, uint64_t ts, uint64_t pfn)
{
	struct bt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.type = BT_EV_PAGE_FREE;
	ev.pid = 45;
	ev.comm = "kswapd0";
	ev.arg[0] = pfn;
	assert_int_equal(bt_writer_add_event(t->w, &ev), 0);
}

static void test_knob_raises_slowpath(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_pressure(t, "knob", 50);
	tb_close(t);
	bt_replay_opts_init(&o);
	o.mode = BT_REPLAY_MODEL;
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.run.allocations, 50);
	assert_int_equal(s.run.slowpath, 0);
	assert_int_equal(s.run.fast, 50);
	assert_int_equal(s.run.failed, 0);
	bt_replay_summary_release(&s);

	assert_int_equal(bt_replay_knob_set(&o.knobs, "min_free_kbytes=3072"),
			 0);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.run.allocations, 50);
	assert_int_equal(s.run.slowpath, 50);
	assert_int_equal(s.run.stage[BT_REPLAY_STAGE_MIN_WMARK], 50);
	assert_int_equal(s.run.fast, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

static void test_frees_mapped(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_pressure(t, "frees", 50);
	tb_alloc(t, 2000, 14000, 2, TB_GFP_KERNEL);	/* order 2 */
	tb_free(t, 2100, 14001, 0);			/* its parts */
	tb_free(t, 2200, 14002, 1);
	tb_free(t, 2300, 14000, 0);
	tb_free(t, 2400, 13056, 4);			/* in use at start */
	tb_free(t, 2500, 12000, 0);			/* a mapped page */
	tb_free(t, 2600, 12000, 0);			/* twice */
	tb_close(t);
	bt_replay_opts_init(&o);
	o.mode = BT_REPLAY_MODEL;
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.frees, 6);
	assert_int_equal(s.initial_frees, 1);
	assert_int_equal(s.initial_unmapped_frees, 0);
	assert_int_equal(s.inconsistencies, 1);
	assert_int_equal(s.incons[BT_INC_FREE_OF_FREE].count, 1);
	assert_int_equal(s.incons[BT_INC_FREE_OF_FREE].first[0].pfn, 12000);
	assert_int_equal(s.incons[BT_INC_FREE_OF_FREE].first[0].ts, 2600);
	assert_int_equal(s.run.allocations, 51);
	assert_int_equal(s.run.failed, 0);
	assert_int_equal(s.failures_real_avoided, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/* A pfn outside every zone is counted, never fatal. */
static void test_out_of_range(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_pressure(t, "range", 50);
	tb_free(t, 3000, 1u << 30, 0);
	tb_free(t, 3100, 8193, 1);			/* misaligned */
	tb_free(t, 3200, 8192, 200);			/* bad order */
	tb_close(t);
	bt_replay_opts_init(&o);
	for (int m = 0; m < 2; m++) {
		o.mode = m ? BT_REPLAY_MODEL : BT_REPLAY_MIRROR;
		assert_int_equal(tb_replay(t, &o, &s), 0);
		assert_int_equal(s.incons[BT_INC_PFN_OUT_OF_RANGE].count, 3);
		assert_int_equal(
			s.incons[BT_INC_PFN_OUT_OF_RANGE].first[0].pfn,
			1u << 30);
		bt_replay_summary_release(&s);
	}
	tb_remove(t);
	free(t);
}

/*
 * Hostile events: every type with random arguments (pfns in and out of
 * the zones, any order, any migratetype, pids of any sign). Neither mode
 * may crash; every event is read and the summary stays consistent.
 */
static void test_hostile_events(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));
	uint64_t seed = 12345, inc = 0;

	(void)state;
	tb_open(t, "hostile");
	tb_zoneinfo(t, 10);
	tb_free_range(t, 4096, 2048);
	tb_free_range(t, 8192, 4096);
	tb_kpageflags(t, 10);
	for (unsigned int i = 0; i < 20000; i++) {
		uint64_t a[6];

		for (int k = 0; k < 6; k++) {
			seed = seed * 6364136223846793005ull +
			       1442695040888963407ull;
			a[k] = seed >> 33;
		}
		t->pid = (int32_t)(a[0] % 7) - 2;
		t->cpu = (uint32_t)(a[1] % 3);
		tb_ev(t, 100 + i, 1 + (unsigned int)(a[2] % (BT_EV_LOST - 1)),
		      a[3] % 3 ? a[0] % 16400 : a[0] << 20,
		      a[1] % 13, a[4], a[5] % 8, a[3] % 12, a[2] & 1);
	}
	tb_close(t);
	bt_replay_opts_init(&o);
	for (int m = 0; m < 2; m++) {
		o.mode = m ? BT_REPLAY_MODEL : BT_REPLAY_MIRROR;
		assert_int_equal(tb_replay(t, &o, &s), 0);
		/* 20000 events and the two snapshots */
		assert_int_equal(s.events, 20002);
		assert_true(s.incons[BT_INC_PFN_OUT_OF_RANGE].count > 0);
		inc = 0;
		for (unsigned int k = 0; k < BT_INC_COUNT; k++)
			inc += s.incons[k].count;
		assert_int_equal(s.inconsistencies, inc);
		bt_replay_summary_release(&s);
	}
	tb_remove(t);
	free(t);
}

/*
 * Reclaim in the model frees only what the trace shows reclaimers
 * freeing: 64 pages in use since before the trace that kswapd frees at
 * the end. Under min_free_kbytes four times larger, 200 allocations push
 * Normal below its new min (512): the model reclaims those pages early,
 * 32 per direct-reclaim round, and their recorded frees then count as
 * reclaimed early; without the knob nothing is reclaimed.
 */
static void test_reclaim_forward(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_pressure(t, "reclaim", 200);
	t->pid = 45;
	for (unsigned int i = 0; i < 64; i++)
		kswapd_free(t, 5000 + i, 14000 + i);
	tb_close(t);
	bt_replay_opts_init(&o);
	o.mode = BT_REPLAY_MODEL;
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.reclaimed_pages, 0);
	assert_int_equal(s.reclaim_frees, 64);
	assert_int_equal(s.initial_frees, 64);
	bt_replay_summary_release(&s);

	assert_int_equal(bt_replay_knob_set(&o.knobs, "min_free_kbytes=3072"),
			 0);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_true(s.run.stage[BT_REPLAY_STAGE_DIRECT_RECLAIM] > 0);
	assert_true(s.reclaimed_pages >= 32);
	assert_int_equal(s.reclaimed_pages % 32, 0);
	assert_true(s.reclaimed_pages <= 64);
	assert_int_equal(s.reclaimed_early_frees, s.reclaimed_pages);
	assert_int_equal(s.initial_frees, 64 - s.reclaimed_pages);
	assert_int_equal(s.inconsistencies, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/*
 * The first reclaim pass runs when the model first reclaims (reclaim.c):
 * the allocations replayed before it must still join the FIFO, behind
 * the pages in use since before the trace. kswapd frees 32 of those
 * (14000...) and 32 pages the trace allocated first (12000...): under
 * min_free_kbytes four times larger the 200 allocations need four
 * rounds of 32 pages, and the FIFO holds 64, so the model reclaims all
 * 64 and every one of the 64 recorded frees comes after its page was
 * reclaimed. Without the logged allocations it would reclaim 32.
 */
static void test_reclaim_logged_allocs(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_pressure(t, "reclaim-log", 200);
	for (unsigned int i = 0; i < 64; i++)
		kswapd_free(t, 5000 + i, i < 32 ? 12000 + i : 14000 + i - 32);
	tb_close(t);
	bt_replay_opts_init(&o);
	o.mode = BT_REPLAY_MODEL;
	assert_int_equal(bt_replay_knob_set(&o.knobs, "min_free_kbytes=3072"),
			 0);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.reclaim_frees, 64);
	assert_int_equal(s.reclaimed_pages, 64);
	assert_int_equal(s.reclaimed_early_frees, 64);
	assert_int_equal(s.initial_frees, 0);
	assert_int_equal(s.inconsistencies, 0);
	bt_replay_summary_release(&s);
	/* a log that cannot grow sends the pass to its end at once: the
	 * same result */
	o.reclaim_log_max = 1;
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.reclaimed_pages, 64);
	assert_int_equal(s.reclaimed_early_frees, 64);
	assert_int_equal(s.initial_frees, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_knob_raises_slowpath),
		cmocka_unit_test(test_frees_mapped),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_hostile_events),
		cmocka_unit_test(test_reclaim_forward),
		cmocka_unit_test(test_reclaim_logged_allocs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
