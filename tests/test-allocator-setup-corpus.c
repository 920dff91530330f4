// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-setup-corpus.c - the model set up from what the corpus
 * traces (traces/corpus/NAME/trace.bt, real 6.18 recordings) hold: zones
 * from the first zoneinfo snapshot, free blocks from the first free-blocks
 * snapshot (the free-page map), pageblock types from pagetypeinfo. The
 * quiet zones DMA and DMA32 must then have the nr_free per order of the
 * trace's buddyinfo snapshot taken with the map, and the checker must
 * pass; the free pages of every zone add up to what the map said.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/common.h"
#include "common/procfs.h"
#include "allocator/buddy.h"
#include "traces/traces.h"

static const struct bt_snapshot *first(struct bt_reader *r, unsigned int kind)
{
	unsigned int i, n = bt_reader_nr_snapshots(r);

	for (i = 0; i < n; i++) {
		const struct bt_snapshot *s = bt_reader_snapshot(r, i);

		if (s->kind == kind)
			return s;
	}
	return NULL;
}

struct trace_state {
	struct bt_zoneinfo zi;
	struct bt_proc_table bi;
	struct bt_pagetypeinfo pt;
	struct bt_buddy *b;
	struct bt_setup_stats st;
};

/* Returns false when the trace is missing (the corpus is optional). */
static bool setup_from(const char *name, struct trace_state *t)
{
	const struct bt_snapshot *zs, *fs, *bs, *ps;
	const char *top = getenv("BT_TOP");
	struct bt_buddy_config cfg;
	struct bt_reader *r;
	char path[512];
	int err = 0;

	snprintf(path, sizeof(path), "%s/traces/corpus/%s/trace.bt",
		 top ? top : ".", name);
	if (access(path, R_OK))
		return false;
	r = bt_reader_open(path, &err);
	assert_non_null(r);
	zs = first(r, BT_SNAP_ZONEINFO);
	fs = first(r, BT_SNAP_FREE_BLOCKS);
	bs = first(r, BT_SNAP_BUDDYINFO);
	ps = first(r, BT_SNAP_PAGETYPEINFO);
	assert_non_null(zs);
	assert_non_null(fs);
	assert_non_null(bs);
	assert_non_null(ps);
	bt_zoneinfo_init(&t->zi);
	bt_proc_table_init(&t->bi);
	bt_pagetypeinfo_init(&t->pt);
	assert_int_equal(bt_zoneinfo_parse(&t->zi, (const char *)zs->data,
					   zs->len, NULL), 0);
	assert_int_equal(bt_buddyinfo_parse(&t->bi, (const char *)bs->data,
					    bs->len, NULL), 0);
	assert_int_equal(bt_pagetypeinfo_parse(&t->pt, (const char *)ps->data,
					       ps->len, NULL), 0);
	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.nr_cpus = 2;
	t->b = bt_buddy_new(&cfg);
	assert_non_null(t->b);
	assert_int_equal(bt_setup_zones(t->b, &t->zi), 3);
	assert_int_equal(bt_setup_free_list(t->b, (const char *)fs->data,
					    fs->len, &t->pt, &t->st, NULL), 0);
	bt_reader_close(r);
	return true;
}

static void release(struct trace_state *t)
{
	bt_buddy_free_model(t->b);
	bt_zoneinfo_release(&t->zi);
	bt_proc_table_release(&t->bi);
	bt_pagetypeinfo_release(&t->pt);
}

static void check_trace(const char *name)
{
	static const char *const quiet[] = { "DMA", "DMA32" };
	struct trace_state t;
	uint64_t pages = 0;
	char err[256] = "";
	unsigned int i, o;
	int zid;

	if (!setup_from(name, &t)) {
		print_message("skipped: no corpus trace %s\n", name);
		skip();
	}
	if (bt_buddy_check(t.b, err, sizeof(err)))
		fail_msg("%s: bt_buddy_check: %s", name, err);
	assert_int_equal(t.st.outside, 0);
	for (i = 0; i < BT_ARRAY_SIZE(quiet); i++) {
		const struct bt_proc_orders *row =
			bt_proc_table_find(&t.bi, 0, quiet[i]);
		struct bt_zone_info zi;

		zid = bt_buddy_find_zone(t.b, 0, bt_setup_zone_type(quiet[i]));
		assert_int_equal(bt_buddy_zone_info(t.b, zid, &zi), 0);
		for (o = 0; o < BT_BUDDY_NR_ORDERS; o++)
			if ((int64_t)zi.nr_free[o] != row->v[o])
				fail_msg("%s %s order %u: %llu, buddyinfo "
					 "%lld", name, quiet[i], o,
					 (unsigned long long)zi.nr_free[o],
					 (long long)row->v[o]);
	}
	for (zid = 0; zid < bt_buddy_nr_zones(t.b); zid++) {
		struct bt_zone_info zi;

		assert_int_equal(bt_buddy_zone_info(t.b, zid, &zi), 0);
		pages += zi.free_pages;
	}
	assert_int_equal(pages, t.st.pages);
	release(&t);
}

static void test_compile(void **state)
{
	(void)state;
	check_trace("compile");
}

static void test_thp(void **state)
{
	(void)state;
	check_trace("thp");
}

static void test_pressure(void **state)
{
	(void)state;
	check_trace("pressure");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_thp),
		cmocka_unit_test(test_pressure),
	};

	return cmocka_run_group_tests_name("allocator-setup-corpus", tests,
					   NULL, NULL);
}
