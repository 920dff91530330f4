// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-isolate.c - which free blocks the mirror takes for
 * compaction's free scanners (buddytrace-replay(1), handling rules), on
 * small synthetic traces worked out by hand.
 *
 * Fast search: four order-4 blocks in use at the start are freed in the
 * order D, C, B, A; with their buddies in use each goes to the head of
 * the MOVABLE order-4 list, which reads A B C D from head to tail. Every
 * fast isolation has min_pfn 8192 and free_pfn 16384 (low_pfn 12288) and
 * takes 16 pages; walk = nr_scanned - 15 blocks from the tail.
 *
 * Block scan: an order-3 block X at R + 8 and an order-4 block Y at
 * R + 64 are free; a scan of [R, R + 80) took 16 pages with nr_scanned
 * 18: only a stride of 32 lands on Y alone with that count (R, R + 32,
 * R + 64, plus Y's 15 further pages), so X stays free where the lowest
 * first rule would have taken it too.
 *
 * Complete scan: a scan of [R, R + 512) that looked at all 512 pfns but
 * took only 8 pages saw every free block there: the kernel held X free,
 * not Y. The mirror takes both (Y as an extra page count), so Y no longer
 * stands in the way of a later MOVABLE fallback, and its later free is
 * an ordinary one.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "test-replay-util.h"

#define A 9216u
#define B 10240u
#define C 13312u			/* the only one at or above low_pfn */
#define D 11264u
#define R 14336u			/* a pageblock start */

/* Free at the start: DMA32 [4096, 6144), Normal [15360, 16384) and X, Y. */
static void layout(struct tb *t, bool xy)
{
	tb_zoneinfo(t, 10);
	tb_free_range(t, 4096, 2048);
	tb_free_range(t, 15360, 1024);
	if (xy) {
		tb_free_range(t, R + 8, 8);
		tb_free_range(t, R + 64, 16);
	}
	tb_kpageflags(t, 10);
}

static void fast(struct tb *t, uint64_t ts, uint64_t walk)
{
	tb_ev(t, ts, BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES, 8192, 16384,
	      walk + 15, 16, 0, 0);
}

static void test_fast_search(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));
	const struct bt_replay_occur *f;

	(void)state;
	tb_open(t, "fastiso");
	layout(t, false);
	tb_free(t, 1000, D, 4);
	tb_free(t, 1010, C, 4);
	tb_free(t, 1020, B, 4);
	tb_free(t, 1030, A, 4);
	/* tail D (below low_pfn), then C (above): C; A, B go to the tail */
	fast(t, 2000, 2);
	/* list D A B: B, then A, none above low_pfn: the highest, B */
	fast(t, 2010, 2);
	/* list D A: A */
	fast(t, 2020, 1);
	/* the kernel frees what it took: the mirror holds them isolated */
	tb_free(t, 3000, C, 4);
	tb_free(t, 3010, B, 4);
	tb_free(t, 3020, A, 4);
	/* D it never took: a free of a block the mirror holds free */
	tb_free(t, 3030, D, 4);
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.isolated_pages, 48);
	assert_int_equal(s.initial_frees, 4);
	/* inside the isolated range: a silent removal, not inconsistent */
	assert_int_equal(s.inconsistencies, 0);
	assert_int_equal(s.silent_removals.count, 1);
	f = &s.silent_removals.first[0];
	assert_int_equal(f->pfn, D);
	assert_int_equal(f->ts, 3030);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/* When the kernel's walk finds nothing, the block nearest the tail. */
static void test_fast_beyond_walk(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "fastfar");
	layout(t, false);
	tb_free(t, 1000, D, 4);
	tb_free(t, 1010, C, 4);
	tb_free(t, 1020, B, 4);
	tb_free(t, 1030, A, 4);
	/* min_pfn 11000: the tail D qualifies only at or above min_pfn */
	tb_ev(t, 2000, BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES, 11776, 16384,
	      16, 16, 0, 0);
	tb_free(t, 3000, C, 4);		/* taken: C, the nearest at or above */
	tb_free(t, 3010, D, 4);		/* still free in the mirror */
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.isolated_pages, 16);
	assert_int_equal(s.inconsistencies, 1);
	assert_int_equal(s.incons[BT_INC_FREE_OF_FREE].first[0].pfn, D);
	assert_int_equal(s.silent_removals.count, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/*
 * A walk that found nothing is not repeated while the list is unchanged
 * (port.c keeps its highest block and the list's change count), but is
 * once a block joins: D, B, A lie below min_pfn 12288, so the first two
 * isolations find nothing on the list (nor does the scan after them, of
 * [12288, 14336)); R freed onto the list, the same isolation takes R,
 * which only the list walk reaches.
 */
static void test_fast_memo(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "fastmemo");
	layout(t, false);
	tb_free(t, 1000, D, 4);
	tb_free(t, 1020, B, 4);
	tb_free(t, 1030, A, 4);
	tb_ev(t, 2000, BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES, 12288, 16384,
	      16, 16, 0, 0);
	tb_ev(t, 2010, BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES, 12288, 16384,
	      16, 16, 0, 0);
	tb_free(t, 2020, R, 4);
	tb_ev(t, 2030, BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES, 12288, 16384,
	      16, 16, 0, 0);
	tb_free(t, 3000, R, 4);		/* the kernel frees what it took */
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.isolated_pages, 16);
	/* R was held isolated: its free is an ordinary one */
	assert_int_equal(s.inconsistencies, 0);
	assert_int_equal(s.silent_removals.count, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

static void test_block_stride(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "stride");
	layout(t, true);
	tb_ev(t, 2000, BT_EV_COMPACTION_ISOLATE_FREEPAGES, R, R + 80, 18, 16,
	      0, 0);
	tb_free(t, 3000, R + 64, 4);	/* Y: isolated */
	tb_free(t, 3010, R + 8, 3);	/* X: still free */
	/* a sync scan (nr_scanned = the range) takes every block */
	tb_ev(t, 4000, BT_EV_COMPACTION_ISOLATE_FREEPAGES, 15360, 16384,
	      1024, 1024, 0, 0);
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.isolated_pages, 16 + 1024);
	assert_int_equal(s.inconsistencies, 0);
	/* X, free in the map and never taken: freed after the map's read */
	assert_int_equal(s.untraced_window_frees, 1);
	assert_int_equal(s.silent_removals.count, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

static void test_block_complete(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "complete");
	layout(t, true);
	/* a refill that is not taken here: R's pageblock is MOVABLE */
	tb_ev(t, 1000, BT_EV_PAGE_ALLOC_ZONE_LOCKED, R + 8, 0, 1, 0, 0, 0);
	tb_ev(t, 2000, BT_EV_COMPACTION_ISOLATE_FREEPAGES, R, R + 512, 512,
	      8, 0, 0);
	/* MOVABLE order 0 falls back to an UNMOVABLE pageblock */
	tb_ev(t, 3000, BT_EV_PAGE_ALLOC_EXTFRAG, 15360, 0, 9, 1, 0, 0);
	tb_free(t, 4000, R + 64, 4);	/* Y: taken, now freed */
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.isolated_pages, 8);
	assert_int_equal(s.isolated_extra_pages, 16);
	assert_int_equal(s.fallbacks_checked, 1);
	assert_int_equal(s.fallbacks_confirmed, 1);
	assert_int_equal(s.fallbacks_confirmed_retro, 0);
	assert_int_equal(s.fallbacks_unconfirmed.count, 0);
	assert_int_equal(s.silent_removals.count, 0);
	assert_int_equal(s.inconsistencies, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_search),
		cmocka_unit_test(test_fast_beyond_walk),
		cmocka_unit_test(test_fast_memo),
		cmocka_unit_test(test_block_stride),
		cmocka_unit_test(test_block_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
