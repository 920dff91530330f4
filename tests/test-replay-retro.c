// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-retro.c - the pending fallback checks of mirror mode
 * (replay/retro.c) on a hand-built context: the per-slot index finds the
 * checks whose held blocks an event overlaps, silent takes confirm a
 * check once every held block is gone, a traced allocation of a held
 * block leaves it unconfirmed, several checks are settled oldest first
 * (also across slots), finished checks leave the index, checks opened on
 * the same held blocks are filed once (twins) and settled together, and
 * the checks still open at the end stay unconfirmed without a closing
 * free-page map.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "replay/replay-internal.h"
#include "test-replay-util.h"

#define BASE 1000u			/* not slot-aligned on purpose */
#define SPAN 8192u

struct rt {
	struct bt_replay_ctx x;
	struct bt_replay_summary s;
};

static struct rt *rt_new(void)
{
	struct rt *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->x.base_pfn = BASE;
	t->x.end_pfn = BASE + SPAN;
	t->x.c = &t->s;
	assert_int_equal(bt_retro_init(&t->x), 0);
	return t;
}

static void rt_free(struct rt *t)
{
	bt_retro_release(&t->x);
	free(t);
}

/* A pending check for the fallback at @pfn (ts @ts) holding @n blocks. */
static void rt_add(struct rt *t, uint64_t ts, uint64_t pfn, unsigned int n,
		   const uint64_t *blocks, const uint8_t *orders)
{
	struct bt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.type = BT_EV_PAGE_ALLOC_EXTFRAG;
	ev.pid = 7;
	assert_int_equal(bt_retro_add(&t->x, &ev, pfn, 0, 1, blocks, orders,
				      n), 0);
}

static size_t slot(const struct rt *t, uint64_t pfn)
{
	return (size_t)((pfn >> BT_RETRO_SLOT_SHIFT) - t->x.retro.slot0);
}

static void test_index_layout(void **state)
{
	struct rt *t = rt_new();
	const uint64_t b[] = { 1024, 1536, 2048 };
	const uint8_t o[] = { 0, 9, 10 };
	uint64_t bad = BASE + SPAN - 2;
	uint8_t bad_o = 2;

	(void)state;
	/* pfns 1000..9191: slots 1 (pfn 512..1023) to 17 (8704..9215) */
	assert_int_equal(t->x.retro.slot0, 1);
	assert_int_equal(t->x.retro.nr_slots, 17);
	rt_add(t, 10, 5000, 3, b, o);
	/* 1024 and 1536 fill one slot each, the order-10 block two */
	assert_int_equal(t->x.retro.slot[slot(t, 1024)].n, 1);
	assert_int_equal(t->x.retro.slot[slot(t, 1536)].n, 1);
	assert_int_equal(t->x.retro.slot[slot(t, 2048)].n, 1);
	assert_int_equal(t->x.retro.slot[slot(t, 2560)].n, 1);
	assert_int_equal(t->x.retro.slot[slot(t, 2560)].e[0].b, 2);
	/* filed by offset from the slot's first pfn: 2048 - 2560 there */
	assert_int_equal(t->x.retro.slot[slot(t, 2560)].e[0].off, -512);
	assert_int_equal(t->x.retro.slot[slot(t, 2048)].e[0].off, 0);
	assert_int_equal(t->x.retro.slot[slot(t, 1024)].e[0].off, 0);
	assert_int_equal(sizeof(struct bt_retro_ent), 8);
	assert_int_equal(t->x.retro.slot[slot(t, 3072)].n, 0);
	assert_int_equal(t->x.retro.open, 1);
	/* a block past the span, or no block at all: refused */
	assert_int_equal(bt_retro_add(&t->x, &(struct bt_event){ .ts = 1 },
				      0, 0, 1, &bad, &bad_o, 1), -EINVAL);
	assert_int_equal(bt_retro_add(&t->x, &(struct bt_event){ .ts = 1 },
				      0, 0, 1, b, o, 0), -EINVAL);
	assert_int_equal(t->x.retro.nr, 1);
	rt_free(t);
}

static void test_silent_confirms(void **state)
{
	struct rt *t = rt_new();
	const uint64_t b[] = { 1024, 1536, 2048 };
	const uint8_t o[] = { 0, 9, 10 };

	(void)state;
	rt_add(t, 10, 5000, 3, b, o);
	bt_retro_event(&t->x, 1025, 0, true);	/* next to a block: nothing */
	bt_retro_event(&t->x, 1024, 0, true);
	bt_retro_event(&t->x, 1024, 0, true);	/* twice: counted once */
	assert_int_equal(t->x.retro.p[0].nr_gone, 1);
	bt_retro_event(&t->x, 1536 + 5, 0, true);
	assert_int_equal(t->x.retro.open, 1);
	assert_int_equal(t->s.fallbacks_confirmed, 0);
	/* a traced allocation of a block already gone changes nothing */
	bt_retro_event(&t->x, 1536 + 6, 0, false);
	assert_int_equal(t->x.retro.open, 1);
	assert_int_equal(t->s.fallbacks_unconfirmed.count, 0);
	/* the order-10 block's second slot: every held block is gone */
	bt_retro_event(&t->x, 2048 + 600, 0, true);
	assert_int_equal(t->x.retro.open, 0);
	assert_true(t->x.retro.p[0].done);
	assert_int_equal(t->s.fallbacks_confirmed, 1);
	assert_int_equal(t->s.fallbacks_confirmed_retro, 1);
	/* the finished check left the slots the event touched */
	assert_int_equal(t->x.retro.slot[slot(t, 2560)].n, 0);
	assert_int_equal(t->x.retro.slot[slot(t, 2048)].n, 1);
	bt_retro_finish(&t->x);
	assert_int_equal(t->s.fallbacks_confirmed, 1);
	assert_int_equal(t->s.fallbacks_unconfirmed.count, 0);
	rt_free(t);
}

static void test_traced_unconfirms_oldest_first(void **state)
{
	struct rt *t = rt_new();
	const uint64_t b1[] = { 3000 };
	const uint64_t b2[] = { 3100, 3000 };
	const uint64_t b3[] = { 6000 };
	const uint8_t o1[] = { 2 }, o2[] = { 0, 2 }, o3[] = { 0 };

	(void)state;
	rt_add(t, 11, 4100, 1, b1, o1);
	rt_add(t, 12, 4200, 2, b2, o2);
	rt_add(t, 13, 4300, 1, b3, o3);
	bt_retro_event(&t->x, 3001, 0, false);
	assert_int_equal(t->x.retro.open, 1);
	assert_int_equal(t->s.fallbacks_unconfirmed.count, 2);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[0].pfn, 4100);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[0].ts, 11);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[0].detail, 1);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[0].event,
			 BT_EV_PAGE_ALLOC_EXTFRAG);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[1].pfn, 4200);
	/* the later silent take of 3100 no longer counts for check 2 */
	bt_retro_event(&t->x, 3100, 0, true);
	assert_int_equal(t->s.fallbacks_confirmed, 0);
	/* still open at the end, no closing map: unconfirmed */
	bt_retro_finish(&t->x);
	assert_int_equal(t->x.retro.open, 0);
	assert_int_equal(t->s.fallbacks_unconfirmed.count, 3);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[2].pfn, 4300);
	assert_int_equal(t->s.fallbacks_confirmed, 0);
	rt_free(t);
}

static void test_across_slots(void **state)
{
	struct rt *t = rt_new();
	const uint64_t hi[] = { 7168 + 512 + 8 }, lo[] = { 7168 + 4 };
	const uint64_t both[] = { 7168 + 96, 7168 + 704 };
	const uint8_t o[] = { 3, 3 };

	(void)state;
	/* the older check's block lies in the upper slot of the pair */
	rt_add(t, 21, 100 + BASE, 1, hi, o);
	rt_add(t, 22, 200 + BASE, 1, lo, o);
	rt_add(t, 23, 300 + BASE, 2, both, o);
	/* one order-10 allocation covering both slots: oldest first */
	bt_retro_event(&t->x, 7168, 10, false);
	assert_int_equal(t->x.retro.open, 0);
	assert_int_equal(t->s.fallbacks_unconfirmed.count, 3);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[0].pfn, 100 + BASE);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[1].pfn, 200 + BASE);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[2].pfn, 300 + BASE);
	assert_int_equal(t->x.retro.slot[slot(t, 7168)].n, 0);
	assert_int_equal(t->x.retro.slot[slot(t, 7680)].n, 0);
	/* a silent order-10 take over two blocks of one check confirms it */
	rt_add(t, 24, 400 + BASE, 2, both, o);
	bt_retro_event(&t->x, 7168, 10, true);
	assert_int_equal(t->s.fallbacks_confirmed, 1);
	assert_int_equal(t->x.retro.p[3].nr_gone, 2);
	rt_free(t);
}

static void test_twins(void **state)
{
	struct rt *t = rt_new();
	const uint64_t a[] = { 3000 }, b[] = { 3000, 3100 };
	const uint8_t o[] = { 2, 0 };

	(void)state;
	rt_add(t, 31, 1100, 1, a, o);		/* 0: a lead */
	rt_add(t, 32, 1200, 2, b, o);		/* 1: a lead, other blocks */
	rt_add(t, 33, 1300, 2, b, o);		/* 2: twin of 1 */
	rt_add(t, 34, 1400, 2, b, o);		/* 3: twin of 1 */
	assert_int_equal(t->x.retro.open, 4);
	assert_int_equal(t->x.retro.p[1].twins, 2);
	assert_int_equal(t->x.retro.p[3].lead, 1);
	assert_int_equal(t->x.retro.p[0].lead, 0);
	/* only the leads are filed: 3000 by checks 0 and 1, 3100 by 1 */
	assert_int_equal(t->x.retro.slot[slot(t, 3000)].n, 2);
	assert_int_equal(t->x.retro.slot[slot(t, 3100)].n, 1);
	/* a silent take of 3100: the lead's gone bit serves its twins */
	bt_retro_event(&t->x, 3100, 0, true);
	assert_int_equal(t->x.retro.p[1].nr_gone, 1);
	assert_int_equal(t->x.retro.open, 4);
	/* a block of the lead is gone: a new identical check is a lead */
	rt_add(t, 35, 1500, 2, b, o);		/* 4: a lead again */
	assert_int_equal(t->x.retro.p[4].lead, 4);
	assert_int_equal(t->x.retro.p[1].twins, 2);
	/* a traced allocation of 3000: all open checks, oldest first */
	bt_retro_event(&t->x, 3002, 0, false);
	assert_int_equal(t->x.retro.open, 0);
	assert_int_equal(t->s.fallbacks_unconfirmed.count, 5);
	for (unsigned int i = 0; i < 5; i++)
		assert_int_equal(t->s.fallbacks_unconfirmed.first[i].pfn,
				 1100 + 100 * i);
	rt_free(t);
}

static void test_twins_confirmed(void **state)
{
	struct rt *t = rt_new();
	const uint64_t b[] = { 5000, 5100 };
	const uint8_t o[] = { 3, 0 };

	(void)state;
	rt_add(t, 41, 1100, 2, b, o);
	rt_add(t, 42, 1200, 2, b, o);
	rt_add(t, 43, 1300, 2, b, o);
	bt_retro_event(&t->x, 5000, 3, true);
	bt_retro_event(&t->x, 5100, 0, true);
	assert_int_equal(t->x.retro.open, 0);
	assert_int_equal(t->s.fallbacks_confirmed, 3);
	assert_int_equal(t->s.fallbacks_confirmed_retro, 3);
	assert_true(t->x.retro.p[2].done);
	/* twins of a lead still open at the end share its outcome */
	rt_add(t, 44, 1400, 2, b, o);
	rt_add(t, 45, 1500, 2, b, o);
	assert_int_equal(t->x.retro.p[4].lead, 3);
	bt_retro_finish(&t->x);
	assert_int_equal(t->s.fallbacks_unconfirmed.count, 2);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[1].pfn, 1500);
	assert_int_equal(t->s.fallbacks_unconfirmed.first[1].ts, 45);
	rt_free(t);
}

/*
 * Consecutive recorded fallbacks reuse the scan of typed free blocks
 * (bt_retro_scan) only while nothing it reads changed. Normal spans
 * 8192-16383; pageblock 18 (9216-9727) holds free blocks of the map (64
 * pages at 9216, 32 at 9344, 4 at 9408) and is learned UNMOVABLE by a
 * zone_locked event that takes nothing; the fallbacks ask for an
 * UNMOVABLE order-0 page from MOVABLE pageblocks 24 (12288-12799), then
 * 28. @mode: 0 the
 * fallbacks follow each other; 1 pageblock 18 also holds a page the trace
 * freed (9600), taken by a traced allocation between the fallbacks; 2 the
 * first fallback claims pageblock 24, which holds a page the trace freed
 * (12400), for UNMOVABLE.
 */
static void run_fallbacks(int mode, struct bt_replay_summary *s)
{
	struct bt_replay_opts o;
	struct tb *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	tb_open(t, "retro-scan");
	tb_zoneinfo(t, 10);
	tb_free_range(t, 9216, 64);
	tb_free_range(t, 9344, 32);
	tb_free_range(t, 9408, 4);
	tb_kpageflags(t, 10);
	tb_ev(t, 1000, BT_EV_PAGE_ALLOC_ZONE_LOCKED, 9216, 0, 0, 0, 0, 0);
	if (mode == 1)
		tb_ev(t, 1005, BT_EV_PAGE_PCPU_DRAIN, 9600, 0, 0, 0, 0, 0);
	if (mode == 2)
		tb_ev(t, 1005, BT_EV_PAGE_PCPU_DRAIN, 12400, 0, 1, 0, 0, 0);
	tb_ev(t, 1010, BT_EV_PAGE_ALLOC_EXTFRAG, 12288, 0, 0, 0, 1,
	      mode == 2);
	if (mode == 1)
		tb_alloc(t, 1015, 9600, 0, TB_GFP_KERNEL);
	tb_ev(t, 1020, BT_EV_PAGE_ALLOC_EXTFRAG, 14336, 0, 0, 0, 1, 0);
	tb_close(t);
	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, s), 0);
	tb_remove(t);
	free(t);
}

static void test_scan_reuse(void **state)
{
	struct bt_replay_summary s;

	(void)state;
	/* back to back: the same blocks (all from the map) both times */
	run_fallbacks(0, &s);
	assert_int_equal(s.fallbacks_checked, 2);
	assert_int_equal(s.fallbacks_confirmed, 0);
	assert_int_equal(s.fallbacks_confirmed_trace, 2);
	assert_int_equal(s.fallbacks_unconfirmed.count, 2);
	assert_int_equal(s.fallbacks_unconfirmed.first[1].pfn, 14336);
	assert_int_equal(s.inconsistencies, 0);
	bt_replay_summary_release(&s);
	/* an event in between: 9600, freed by the trace, is gone again */
	run_fallbacks(1, &s);
	assert_int_equal(s.fallbacks_checked, 2);
	assert_int_equal(s.fallbacks_confirmed_trace, 1);
	assert_int_equal(s.fallbacks_unconfirmed.count, 2);
	assert_int_equal(s.fallbacks_unconfirmed.first[0].pfn, 12288);
	assert_int_equal(s.inconsistencies, 0);
	bt_replay_summary_release(&s);
	/* a claim in between: pageblock 24 and 12400 join the scan */
	run_fallbacks(2, &s);
	assert_int_equal(s.fallbacks_checked, 2);
	assert_int_equal(s.fallbacks_confirmed_trace, 1);
	assert_int_equal(s.fallbacks_unconfirmed.count, 2);
	assert_int_equal(s.inconsistencies, 0);
	bt_replay_summary_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_layout),
		cmocka_unit_test(test_silent_confirms),
		cmocka_unit_test(test_traced_unconfirms_oldest_first),
		cmocka_unit_test(test_across_slots),
		cmocka_unit_test(test_twins),
		cmocka_unit_test(test_twins_confirmed),
		cmocka_unit_test(test_scan_reuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
