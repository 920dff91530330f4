// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-analyze-recorded.c - the recorded view on synthetic event streams:
 * counts by order and zone, failures, frees of untraced allocations,
 * fallback classes, per-CPU refills and drains, slow-path evidence per
 * allocation (nested allocations inside direct reclaim take none),
 * compaction outcomes, reclaim stall time, OOM kills, marker and time
 * windows, and the vmstat span.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/analyze-internal.h"

static struct bt_snap_zones zones = {
	.nr = 3,
	.z = {
		{ .name = "DMA", .start_pfn = 1, .spanned = 4095 },
		{ .name = "DMA32", .start_pfn = 4096, .spanned = 1044480 },
		{ .name = "Normal", .start_pfn = 1048576, .spanned = 5505024 },
	},
};

static struct bt_rec_setup base_setup(void)
{
	struct bt_rec_setup s;

	memset(&s, 0, sizeof(s));
	s.zones = &zones;
	s.pageblock_order = 9;
	s.compact_success_status = 8;
	s.first_ts = 0;
	s.last_ts = 1000;
	s.win_end = UINT64_MAX;
	return s;
}

static void ev(struct bt_rec *r, uint64_t ts, unsigned int type, int pid,
	       const char *comm, unsigned int n, ...)
{
	struct bt_event e;
	va_list ap;
	unsigned int i;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.type = type;
	e.pid = pid;
	e.comm = comm;
	va_start(ap, n);
	for (i = 0; i < n; i++)
		e.arg[i] = va_arg(ap, uint64_t);
	va_end(ap);
	bt_rec_event(r, &e);
}

static void print(struct bt_rec *r, uint64_t ts, const char *text)
{
	struct bt_event e;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.type = BT_EV_PRINT;
	e.str = text;
	e.str_len = (uint32_t)strlen(text);
	bt_rec_event(r, &e);
}

#define U(x) ((uint64_t)(x))
#define ALLOC(r, ts, pid, pfn, order) \
	ev(r, ts, BT_EV_PAGE_ALLOC, pid, "t", 4, U(pfn), U(order), \
	   U(BT_GFP_KSWAPD_RECLAIM), U(1))
#define FREE(r, ts, pfn, order) \
	ev(r, ts, BT_EV_PAGE_FREE, 1, "t", 2, U(pfn), U(order))

static void test_counts(void **state)
{
	struct bt_rec_setup s = base_setup();
	struct bt_rec *r = bt_rec_new(&s);
	struct bt_recorded o;

	(void)state;
	ALLOC(r, 1, 100, 5000, 0);			/* DMA32 */
	ALLOC(r, 2, 100, 2000000, 3);			/* Normal, 8 pages */
	ALLOC(r, 3, 100, BT_PFN_NONE, 9);		/* failure */
	FREE(r, 4, 5000, 0);				/* traced alloc */
	FREE(r, 5, 2000004, 1);				/* part of order 3 */
	FREE(r, 6, 3000000, 2);				/* untraced */
	ev(r, 7, BT_EV_PAGE_FREE_BATCHED, 1, "t", 1, U(3000000));
	ev(r, 8, BT_EV_PAGE_ALLOC_EXTFRAG, 1, "t", 6, U(10), U(0), U(2), U(0),
	   U(1), U(0));
	ev(r, 9, BT_EV_PAGE_ALLOC_EXTFRAG, 1, "t", 6, U(10), U(0), U(5), U(0),
	   U(1), U(1));
	ev(r, 10, BT_EV_PAGE_ALLOC_EXTFRAG, 1, "t", 6, U(10), U(0), U(9),
	   U(2), U(1), U(1));
	ev(r, 11, BT_EV_PAGE_ALLOC_ZONE_LOCKED, 1, "t", 4, U(7), U(0), U(1),
	   U(1));
	ev(r, 12, BT_EV_PAGE_ALLOC_ZONE_LOCKED, 1, "t", 4, U(8), U(2), U(1),
	   U(1));
	ev(r, 13, BT_EV_PAGE_ALLOC_ZONE_LOCKED, 1, "t", 4, U(9), U(9), U(1),
	   U(0));
	ev(r, 14, BT_EV_PAGE_PCPU_DRAIN, 1, "t", 3, U(7), U(1), U(1));
	ev(r, 15, BT_EV_LOST, 0, NULL, 1, U(42));
	assert_int_equal(bt_rec_finish(r, &o), 0);
	bt_rec_free(r);

	assert_int_equal(o.allocs, 3);
	assert_int_equal(o.pages, 9);
	assert_int_equal(o.failed, 1);
	assert_int_equal(o.failed_pages, 512);
	assert_int_equal(o.failed_by_order[9], 1);
	assert_int_equal(o.alloc_by_order[3], 1);
	assert_int_equal(o.alloc_by_zone[1], 1);
	assert_int_equal(o.pages_by_zone[2], 8);
	assert_int_equal(o.alloc_by_mt[1], 3);
	assert_int_equal(o.alloc_by_gfp[BT_GFP_BIT_KSWAPD_RECLAIM], 3);
	assert_int_equal(o.frees, 3);		/* batched not counted */
	assert_int_equal(o.free_pages, 1 + 2 + 4);
	assert_int_equal(o.frees_pretrace, 1);
	assert_int_equal(o.free_pages_pretrace, 4);
	assert_int_equal(o.free_pages_by_zone[2], 6);
	assert_int_equal(o.fb_total, 3);
	assert_int_equal(o.fb_fragmenting, 2);
	assert_int_equal(o.fb_severe, 1);
	assert_int_equal(o.fb_moderate, 1);
	assert_int_equal(o.fb_owner, 2);
	assert_int_equal(o.pcp_refills, 2);
	assert_int_equal(o.pcp_refill_pages, 5);
	assert_int_equal(o.zone_locked, 3);
	assert_int_equal(o.pcp_drains, 1);
	assert_int_equal(o.pcp_drain_pages, 2);
	assert_int_equal(o.lost_events, 42);
	assert_int_equal(o.evidence, 0);
	assert_int_equal(o.nr_procs, 1);	/* pid 1 only freed */
	assert_int_equal(o.procs[0].key, 100);
	assert_int_equal(o.procs[0].pages, 9);
	bt_recorded_release(&o);
}

static void test_slowpath(void **state)
{
	struct bt_rec_setup s = base_setup();
	struct bt_rec *r = bt_rec_new(&s);
	struct bt_recorded o;

	(void)state;
	/* pid 200: kswapd wake, direct compaction, success */
	ev(r, 10, BT_EV_VMSCAN_WAKEUP_KSWAPD, 200, "a", 4, U(0), U(2), U(4),
	   U(BT_GFP_IO));
	ev(r, 11, BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES, 200, "a", 3, U(4),
	   U(BT_GFP_IO), U(1));
	ev(r, 12, BT_EV_COMPACTION_BEGIN, 200, "a", 5, U(0), U(0), U(0), U(0),
	   U(0));
	ev(r, 15, BT_EV_COMPACTION_END, 200, "a", 6, U(0), U(0), U(0), U(0),
	   U(0), U(8));
	ALLOC(r, 16, 200, 6000, 4);
	/* a boost wake (no gfp) is no evidence */
	ev(r, 17, BT_EV_VMSCAN_WAKEUP_KSWAPD, 200, "a", 4, U(0), U(2), U(0),
	   U(0));
	ALLOC(r, 18, 200, 6100, 0);
	/* pid 300: reclaim with a nested allocation, then a failure */
	ev(r, 20, BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES, 300, "b", 3, U(9),
	   U(BT_GFP_IO), U(1));
	ev(r, 30, BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN, 300, "b", 2, U(9),
	   U(BT_GFP_IO));
	ALLOC(r, 35, 300, 7000, 0);			/* nested */
	ev(r, 50, BT_EV_VMSCAN_DIRECT_RECLAIM_END, 300, "b", 1, U(32));
	ev(r, 55, BT_EV_OOM_MARK_VICTIM, 300, "b", 8, U(777), U(0), U(0),
	   U(0), U(0), U(0), U(0), U(0));
	ALLOC(r, 60, 300, BT_PFN_NONE, 9);
	/* kcompactd's run is background compaction */
	ev(r, 70, BT_EV_COMPACTION_BEGIN, 40, "kcompactd0", 5, U(0), U(0),
	   U(0), U(0), U(0));
	ev(r, 80, BT_EV_COMPACTION_END, 40, "kcompactd0", 6, U(0), U(0), U(0),
	   U(0), U(0), U(5));
	assert_int_equal(bt_rec_finish(r, &o), 0);
	bt_rec_free(r);

	assert_int_equal(o.allocs, 4);
	assert_int_equal(o.evidence, 2);
	assert_int_equal(o.evidence_by_kind[BT_EVK_KSWAPD], 1);
	assert_int_equal(o.evidence_by_kind[BT_EVK_COMPACT], 2);
	assert_int_equal(o.evidence_by_kind[BT_EVK_RECLAIM], 1);
	assert_int_equal(o.evidence_by_kind[BT_EVK_OOM], 1);
	assert_int_equal(o.direct_compactions, 2);
	assert_int_equal(o.direct_compact_success, 1);
	assert_int_equal(o.direct_compact_fail, 1);
	assert_int_equal(o.compaction_runs, 2);
	assert_int_equal(o.compaction_success_runs, 1);
	assert_int_equal(o.kcompactd_compactions, 1);
	assert_int_equal(o.direct_reclaims, 1);
	assert_int_equal(o.direct_reclaim_pages, 32);
	assert_int_equal(o.direct_stall_ns, 20);
	assert_int_equal(o.oom_kills, 1);
	assert_int_equal(o.nr_victims, 1);
	assert_int_equal(o.victims[0].pid, 777);
	assert_int_equal(o.victims[0].by_pid, 300);
	assert_int_equal(o.nr_slices, 3);
	assert_int_equal(o.slices[0].kind, 1);
	assert_int_equal(o.slices[0].dur, 3);
	bt_recorded_release(&o);
}

static void test_marker_window(void **state)
{
	struct bt_rec_setup s = base_setup();
	struct bt_rec *r;
	struct bt_recorded o;

	(void)state;
	s.mark_a = "phase 2";
	s.mark_b = "phase 3";
	s.have_vm = true;
	s.vm_start = 0;
	s.vm_end = 100;
	r = bt_rec_new(&s);
	ALLOC(r, 1, 1, 100, 0);
	print(r, 2, "begin phase 1");
	ALLOC(r, 3, 1, 101, 1);
	print(r, 4, "begin phase 2 now");
	ALLOC(r, 5, 1, 102, 2);
	ALLOC(r, 6, 1, 103, 3);
	FREE(r, 7, 100, 0);
	print(r, 8, "begin phase 3");
	ALLOC(r, 9, 1, 104, 4);
	ALLOC(r, 200, 1, 105, 0);		/* after the vmstat span */
	assert_int_equal(bt_rec_finish(r, &o), 0);
	bt_rec_free(r);
	assert_int_equal(o.allocs, 2);
	assert_int_equal(o.pages, 4 + 8);
	assert_int_equal(o.frees, 1);
	assert_int_equal(o.win_t0, 4);
	assert_int_equal(o.win_t1, 8);
	assert_int_equal(o.vm_trace[BT_VM_PGALLOC], 1 + 2 + 4 + 8 + 16);
	assert_int_equal(o.vm_trace[BT_VM_PGFREE], 1);
	bt_recorded_release(&o);
}

static void test_time_window(void **state)
{
	struct bt_rec_setup s = base_setup();
	struct bt_rec *r;
	struct bt_recorded o;

	(void)state;
	s.win_start = 10;
	s.win_end = 20;
	r = bt_rec_new(&s);
	ALLOC(r, 5, 1, 100, 0);
	ALLOC(r, 10, 1, 101, 0);
	ALLOC(r, 20, 1, 102, 0);
	ALLOC(r, 21, 1, 103, 0);
	assert_int_equal(bt_rec_finish(r, &o), 0);
	bt_rec_free(r);
	assert_int_equal(o.allocs, 2);
	assert_int_equal(o.window_events, 2);
	bt_recorded_release(&o);
}

static void test_hostile(void **state)
{
	struct bt_rec_setup s = base_setup();
	struct bt_rec *r;
	struct bt_recorded o;

	(void)state;
	s.zones = NULL;
	r = bt_rec_new(&s);
	ALLOC(r, 1, 1, UINT64_MAX - 5, 63);
	ALLOC(r, 2, 1, 1ull << 62, 200);
	FREE(r, 3, BT_PFN_UNKNOWN, 70);
	ev(r, 4, BT_EV_VMSCAN_KSWAPD_WAKE, 1, "k", 3, U(1) << 40, U(0), U(0));
	ev(r, 5, BT_EV_VMSCAN_DIRECT_RECLAIM_END, 9, "x", 1, U(5));
	ev(r, 6, BT_EV_PAGE_ALLOC_EXTFRAG, 1, "t", 6, U(10), U(0),
	   U(-5), U(-3), U(1), U(0));
	assert_int_equal(bt_rec_finish(r, &o), 0);
	bt_rec_free(r);
	assert_int_equal(o.allocs, 2);
	assert_int_equal(o.alloc_by_order[BT_AN_ORDERS], 2);
	assert_int_equal(o.alloc_by_zone[BT_AN_ZONE_UNKNOWN], 2);
	assert_int_equal(o.fb_severe, 1);
	assert_int_equal(o.direct_reclaim_pages, 0);
	bt_recorded_release(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_slowpath),
		cmocka_unit_test(test_marker_window),
		cmocka_unit_test(test_time_window),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests_name("analyze-recorded", tests, NULL,
					   NULL);
}
