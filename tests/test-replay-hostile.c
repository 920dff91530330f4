// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-hostile.c - what fuzzing the replay (tests/fuzz/fuzz-replay.c)
 * found, as specific values: a zoneinfo whose zones span 2^32 - 1 pages
 * or more is rejected with BT_E_RANGE before anything is allocated (model
 * mode's pfn map holds 32-bit entries), in both modes, while the same
 * trace replays with the zones of tests/data/replay; a buddyinfo
 * snapshot with a count no zone can hold is skipped like a damaged one
 * (its difference from the mirror overflowed 64 bits).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "test-replay-util.h"

/* DMA32 [4096, 8192) and Normal [@normal_start, + 8192). */
static int zoneinfo_text(char *buf, size_t size, uint64_t normal_start)
{
	static const char zone[] =
		"Node 0, zone %8s\n"
		"  pages free     1024\n"
		"        min      64\n"
		"        low      80\n"
		"        high     96\n"
		"        spanned  %u\n"
		"        present  %u\n"
		"        managed  %u\n"
		"        protection: (0, 0, 0, 0, 0)\n"
		"  start_pfn:           %llu\n";
	int n = snprintf(buf, size, zone, "DMA32", 4096u, 4096u, 4096u,
			 4096ull);

	n += snprintf(buf + n, size - (size_t)n, zone, "Normal", 8192u, 8192u,
		      8192u, (unsigned long long)normal_start);
	return n;
}

static void one_trace(struct tb *t)
{
	tb_open(t, "span");
	tb_zoneinfo(t, 10);
	tb_free_range(t, 4096, 1024);
	tb_kpageflags(t, 10);
	tb_alloc(t, 1000, 4096, 0, TB_GFP_KERNEL);
	tb_free(t, 2000, 4096, 0);
	tb_close(t);
}

static int replay_with(struct tb *t, enum bt_replay_mode mode,
		       uint64_t normal_start, struct bt_replay_summary *s)
{
	struct bt_replay_opts o;
	char text[1024];
	int n = zoneinfo_text(text, sizeof(text), normal_start);

	bt_replay_opts_init(&o);
	o.mode = mode;
	o.zoneinfo = text;
	o.zoneinfo_len = (size_t)n;
	return tb_replay(t, &o, s);
}

static void test_span_limit(void **state)
{
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));

	(void)state;
	one_trace(t);
	for (int m = BT_REPLAY_MIRROR; m <= BT_REPLAY_MODEL; m++) {
		/* 2^32 - 1 pages from 4096: one more than the map can hold */
		assert_int_equal(replay_with(t, m, (1ull << 32) - 8192 + 4095,
					     &s), BT_E_RANGE);
		bt_replay_summary_release(&s);
		/* a terabyte-sized hole between the zones */
		assert_int_equal(replay_with(t, m, 1ull << 38, &s),
				 BT_E_RANGE);
		bt_replay_summary_release(&s);
		/* adjacent zones: 12288 pages, both events replayed */
		assert_int_equal(replay_with(t, m, 8192, &s), 0);
		assert_int_equal(s.nr_zones, 2);
		assert_int_equal(s.zone_start_pfn[1], 8192);
		assert_int_equal(s.run.allocations, 1);
		assert_int_equal(s.frees, 1);
		assert_int_equal(s.inconsistencies, 0);
		bt_replay_summary_release(&s);
	}
	tb_remove(t);
	free(t);
}

static void test_buddyinfo_absurd_count(void **state)
{
	static const char none[] = "0 0 0 0 0 0 0 0 0 0 0";
	struct bt_replay_opts o;
	struct bt_replay_summary s;
	struct tb *t = calloc(1, sizeof(*t));
	const struct bt_replay_zone_cmp *c;

	(void)state;
	tb_open(t, "bicount");
	tb_zoneinfo(t, 10);
	tb_free_range(t, 4096, 1024);
	tb_kpageflags(t, 10);
	tb_buddyinfo(t, 10, "0 0 0 0 0 0 0 0 0 0 1", none);
	tb_alloc(t, 1000, 8192, 0, TB_GFP_KERNEL);
	/* 1111111111111111111 order-8 blocks: 2^68 pages */
	tb_buddyinfo(t, 2000, "0 0 0 0 0 0 0 0 0 0 1",
		     "0 0 0 0 0 0 0 0 1111111111111111111 0 0");
	/* one order-8 block: 256 pages more than the mirror holds */
	tb_buddyinfo(t, 3000, "0 0 0 0 0 0 0 0 0 0 1",
		     "0 0 0 0 0 0 0 0 1 0 0");
	tb_close(t);
	bt_replay_opts_init(&o);
	assert_int_equal(tb_replay(t, &o, &s), 0);
	assert_int_equal(s.nr_snapcmp, 2);
	assert_int_equal(s.snapcmp[0].ts, 10);
	assert_int_equal(s.snapcmp[1].ts, 3000);
	c = &s.snapcmp[0].zone[0];
	assert_int_equal(c->snap_free_pages, 1024);
	assert_int_equal(c->worst_pages, 0);
	c = &s.snapcmp[1].zone[1];
	assert_int_equal(c->snap_free_pages, 256);
	assert_int_equal(c->diff_pages[8], -256);
	assert_int_equal(c->worst_order, 8);
	bt_replay_summary_release(&s);
	tb_remove(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_span_limit),
		cmocka_unit_test(test_buddyinfo_absurd_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
