// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-pgscan.c - the per-page state array's word-at-a-time tests
 * (replay-internal.h): bt_pg_free() and bt_pg_skip_not_free() against a
 * page-by-page reference, with both keys the array is stored under (0,
 * and BT_PG_FREE_INIT when setup found the span mostly free), every
 * state around the free ones, and free pages at every offset of a word
 * and of the 32-page stride.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "replay/replay-internal.h"

#define SPAN 200
#define BASE 0x1000

static const uint8_t states[] = {
	BT_PG_INIT, BT_PG_FREE, BT_PG_ALLOC, BT_PG_PCP, BT_PG_FREE_INIT,
	BT_PG_ISOLATED, BT_PG_RECLAIMED,
};
static const uint8_t busy[] = {
	BT_PG_INIT, BT_PG_ALLOC, BT_PG_PCP, BT_PG_ISOLATED, BT_PG_RECLAIMED,
};

static void test_free_states(void **state)
{
	unsigned int n = 0;

	(void)state;
	/* of all byte values, exactly the two free states */
	for (unsigned int s = 0; s < 256; s++)
		n += bt_pg_free((uint8_t)s);
	assert_int_equal(n, 2);
	for (unsigned int i = 0; i < sizeof(states); i++)
		assert_int_equal(bt_pg_free(states[i]),
				 states[i] == BT_PG_FREE ||
				 states[i] == BT_PG_FREE_INIT);
}

/* Check one scan of [lo, hi) against the states as stored. */
static void check_scan(struct bt_replay_ctx *x, uint64_t lo, uint64_t hi)
{
	uint64_t r = bt_pg_skip_not_free(x, lo, hi), first = hi;

	for (uint64_t p = lo; p < hi; p++)
		if (bt_pg_free(bt_pg_at(x, p - BASE))) {
			first = p;
			break;
		}
	assert_true(r >= lo && r <= hi);
	/* nothing free is stepped over; the first free page is found
	 * unless it lies in the last (short) word */
	assert_true(r <= first);
	if (first < hi && (first - lo) / 8 < (hi - lo) / 8)
		assert_int_equal(r, first);
	if (first == hi)
		assert_true(hi - r < 8);
}

static void test_skip(void **state)
{
	uint8_t pg[SPAN];
	struct bt_replay_ctx x;
	unsigned int checks = 0;

	(void)state;
	memset(&x, 0, sizeof(x));
	x.pg = pg;
	x.base_pfn = BASE;
	x.end_pfn = BASE + SPAN;
	for (unsigned int k = 0; k < 2; k++) {
		x.pgk = k ? BT_PG_FREE_INIT : 0;
		for (unsigned int f = 0; f <= SPAN; f++) {
			/* busy states everywhere, one free page at f (none
			 * when f == SPAN), FREE or FREE_INIT by turns */
			for (unsigned int i = 0; i < SPAN; i++)
				bt_pg_put(&x, i, busy[(i * 7 + f) % 5], 1);
			if (f < SPAN)
				bt_pg_put(&x, f, f % 2 ? BT_PG_FREE
						       : BT_PG_FREE_INIT, 1);
			for (unsigned int lo = 0; lo < 40; lo += 3)
				for (unsigned int hi = lo; hi <= SPAN;
				     hi += 13, checks++)
					check_scan(&x, BASE + lo, BASE + hi);
		}
	}
	/* a second free page above the first is never reported instead */
	x.pgk = 0;
	memset(pg, BT_PG_ALLOC, sizeof(pg));
	bt_pg_put(&x, 70, BT_PG_FREE, 1);
	bt_pg_put(&x, 65, BT_PG_FREE_INIT, 1);
	assert_int_equal(bt_pg_skip_not_free(&x, BASE, BASE + SPAN), BASE + 65);
	assert_int_equal(bt_pg_skip_not_free(&x, BASE + 66, BASE + SPAN),
			 BASE + 70);
	assert_true(checks > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_states),
		cmocka_unit_test(test_skip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
