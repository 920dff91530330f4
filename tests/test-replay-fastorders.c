// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-fastorders.c - compaction's fast free search replayed
 * across orders (buddytrace-replay(1), handling rules), on a small
 * synthetic trace worked out by hand.
 *
 * A direct compaction run of order 6 (search order 5, limit 16) with the
 * migration scanner at 8192 and the free scanner at 16384: min_pfn
 * 12288, low_pfn 14336. The MOVABLE order-5 list holds three blocks
 * below min_pfn; the order-4 list, from its tail, Q1 (between min_pfn
 * and low_pfn), seven blocks below min_pfn, then Q9 above low_pfn
 * (orders above 3: no per-CPU list takes their frees).
 *
 * The kernel scans the whole order-5 list (3 entries, no candidate),
 * then order 4: Q1 is a candidate, which halves the limit to 8; after
 * 8 entries it stops and takes Q1, the highest candidate: nr_scanned
 * 3 + 8 + 15 = 26, nr_taken 16. Read as a walk of the order-4 list alone
 * (26 - 15 = 11 blocks), the event would take Q9 instead.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "test-replay-util.h"

#define Q1 12800u
#define Q9 14592u

static const uint64_t p5[] = { 9216, 9472, 9728 };
static const uint64_t q_low[] = { 10240, 10304, 10368, 10432, 10496,
				  10560, 10624 };

static void build(struct tb *t, const char *name, bool run)
{
	uint64_t ts = 1000;

	tb_open(t, name);
	tb_zoneinfo(t, 10);
	tb_free_range(t, 4096, 2048);
	tb_free_range(t, 15360, 1024);
	tb_kpageflags(t, 10);
	/* in use at the start; each freed block goes to its list's head */
	for (unsigned int i = 0; i < 3; i++)
		tb_free(t, ts++, p5[i], 5);
	tb_free(t, ts++, Q1, 4);
	for (unsigned int i = 0; i < 7; i++)
		tb_free(t, ts++, q_low[i], 4);
	tb_free(t, ts++, Q9, 4);
	if (run) {
		tb_ev(t, 1900, BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES, 6,
		      TB_GFP_MOVABLE, 1, 0, 0, 0);
		tb_ev(t, 1910, BT_EV_COMPACTION_BEGIN, 8192, 8192, 16384,
		      16384, 0, 0);
	}
	tb_ev(t, 2000, BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES, 12288, 16384,
	      26, 16, 0, 0);
	/* the kernel frees what it took */
	tb_free(t, 3000, Q1, 4);
	tb_close(t);
}

/* With the run known, the reading across orders fits: Q1 is taken. */
static void test_fast_across_orders(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	build(t, "fastorders", true);
	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.isolated_pages, 16);
	/* Q1 was isolated: its free is an ordinary one */
	assert_int_equal(s.inconsistencies, 0);
	assert_int_equal(s.silent_removals.count, 0);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

/* Without the run, the taken order's list alone: Q9, and Q1 stays free. */
static void test_fast_no_run(void **state)
{
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	build(t, "fastnorun", false);
	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.isolated_pages, 16);
	assert_int_equal(s.inconsistencies, 0);
	assert_int_equal(s.silent_removals.count, 1);
	assert_int_equal(s.silent_removals.first[0].pfn, Q1);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_across_orders),
		cmocka_unit_test(test_fast_no_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
