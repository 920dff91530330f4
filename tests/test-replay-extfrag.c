// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-extfrag.c - the block a recorded fallback hands out leaves
 * the mirror's free lists at the mm_page_alloc_extfrag event
 * (buddytrace-replay(1), handling rules), on a small synthetic trace
 * worked out by hand.
 *
 * Two free order-9 blocks, P at 14336 and Q at 15360, with their buddies
 * in use. A THP refill of the per-CPU list takes two order-9 blocks: both
 * fall back from UNMOVABLE pageblocks and claim them (change_ownership),
 * with no mm_page_alloc_zone_locked and no mm_page_alloc in between. At
 * the second fallback P's pageblock is MOVABLE: had P stayed free in the
 * mirror it would stand in the way. Q is drained from the list later, P
 * allocated from it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "test-replay-util.h"

#define P 14336u
#define Q 15360u

static void build(struct tb *t, unsigned int order)
{
	tb_zoneinfo(t, 10);
	tb_free_range(t, 4096, 2048);
	tb_free_range(t, P, 512);
	tb_free_range(t, Q, 512);
	tb_kpageflags(t, 10);
	tb_ev(t, 1000, BT_EV_PAGE_ALLOC_EXTFRAG, P, order, 9, 1, 0, 1);
	tb_ev(t, 1010, BT_EV_PAGE_ALLOC_EXTFRAG, Q, order, 9, 1, 0, 1);
}

static void test_refill_pair(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "extfrag");
	build(t, 9);
	tb_ev(t, 2000, BT_EV_PAGE_PCPU_DRAIN, Q, 9, 1, 0, 0, 0);
	tb_alloc(t, 2010, P, 9, TB_GFP_MOVABLE);
	tb_buddyinfo(t, 3000, "0 0 0 0 0 0 0 0 0 0 2",
		     "0 0 0 0 0 0 0 0 0 1 0");
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.fallbacks_checked, 2);
	assert_int_equal(s.fallbacks_confirmed, 2);
	assert_int_equal(s.fallbacks_unconfirmed.count, 0);
	/* the drain and the allocation find the blocks on a list */
	assert_int_equal(s.inconsistencies, 0);
	assert_int_equal(s.silent_removals.count, 0);
	assert_int_equal(s.pcp_drains, 1);
	assert_int_equal(s.nr_snapcmp, 1);
	assert_int_equal(s.snapcmp[0].zone[1].diff_pages[9], 0);
	assert_int_equal(s.snapcmp[0].zone[1].worst_pages, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/*
 * Order 4 is no per-CPU order: the block stays free until the
 * mm_page_alloc that follows takes it, so the second fallback still finds
 * P free, in a pageblock MOVABLE since the claim, in its way.
 */
static void test_direct_order(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	tb_open(t, "extfrag4");
	build(t, 4);
	tb_close(t);

	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.fallbacks_checked, 2);
	assert_int_equal(s.fallbacks_confirmed, 1);
	assert_int_equal(s.fallbacks_unconfirmed.count, 1);
	assert_int_equal(s.fallbacks_unconfirmed.first[0].ts, 1010);
	assert_int_equal(s.inconsistencies, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refill_pair),
		cmocka_unit_test(test_direct_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
