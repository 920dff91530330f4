// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-traces-text-e2e.c - ftrace text through bt_import_text() into a
 * real .bt file and back through the reader: counts, fields, time order
 * across CPUs, lost markers and the metadata the importer sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "traces/traces.h"
#include "test-traces-util.h"

static struct bt_reader *import_file(const char *sample, const char *bt,
				     struct bt_import_stats *st)
{
	const char *top = getenv("BT_TOP");
	struct bt_writer *w;
	struct bt_reader *r;
	char path[512];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/tests/data/text/%s",
		 top ? top : ".", sample);
	f = fopen(path, "r");
	assert_non_null(f);
	w = bt_writer_open(bt, 1);
	assert_non_null(w);
	assert_int_equal(bt_import_text(f, w, NULL, st), 0);
	fclose(f);
	assert_int_equal(bt_writer_close(w), 0);
	r = bt_reader_open(bt, &err);
	assert_non_null(r);
	return r;
}

static void test_tracecmd_report_bt(void **state)
{
	struct bt_import_stats st;
	struct bt_trace_stats ts;
	struct bt_event ev;
	struct bt_reader *r;
	char bt[256];
	uint64_t last = 0, n = 0, allocs = 0;
	bool saw_print = false;

	(void)state;
	bt_test_path(bt, sizeof(bt), "text-report.bt");
	r = import_file("tracecmd-report.txt", bt, &st);
	assert_int_equal(bt_reader_stats(r, &ts), 0);
	assert_int_equal(ts.events, st.events);
	assert_int_equal(ts.per_type[BT_EV_PAGE_ALLOC], 106);
	assert_int_equal(ts.per_type[BT_EV_PAGE_FREE], 73);
	assert_int_equal(ts.per_type[BT_EV_PRINT], 1);
	assert_string_equal(bt_reader_meta(r, BT_META_SOURCE), "import-text");
	assert_string_equal(bt_reader_meta(r, BT_META_CPUS), "2");
	while (bt_reader_next(r, &ev) == 1) {
		assert_true(ev.ts >= last);
		last = ev.ts;
		if (n++ == 0) {
			assert_int_equal(ev.ts, 552603648000ull);
			assert_int_equal(ev.pid, 7137);
			assert_string_equal(ev.comm, "sh");
			assert_int_equal(ev.arg[0], 0x11bca6);
		}
		if (ev.type == BT_EV_PRINT) {
			assert_int_equal(ev.str_len, 12);
			assert_memory_equal(ev.str, "hello-marker", 12);
			saw_print = true;
		}
		allocs += ev.type == BT_EV_PAGE_ALLOC;
	}
	assert_int_equal(n, 181);
	assert_int_equal(allocs, 106);
	assert_true(saw_print);
	bt_reader_close(r);
	unlink(bt);
}

static void test_lost_and_failed_bt(void **state)
{
	struct bt_import_stats st;
	struct bt_trace_stats ts;
	struct bt_event ev;
	struct bt_reader *r;
	char bt[256];
	unsigned int lost = 0, failed = 0;

	(void)state;
	bt_test_path(bt, sizeof(bt), "text-pipe.bt");
	r = import_file("trace-pipe.txt", bt, &st);
	assert_int_equal(bt_reader_stats(r, &ts), 0);
	assert_int_equal(ts.lost_markers, 1);
	assert_int_equal(ts.lost_events, 7);
	while (bt_reader_next(r, &ev) == 1) {
		if (ev.type == BT_EV_LOST) {
			lost++;
			assert_int_equal(ev.cpu, 0);
			assert_int_equal(ev.arg[0], 7);
		}
		if (ev.type == BT_EV_PAGE_ALLOC && ev.arg[0] == BT_PFN_NONE) {
			failed++;
			assert_int_equal(ev.arg[1], 9);
		}
	}
	assert_int_equal(lost, 1);
	assert_int_equal(failed, 1);
	bt_reader_close(r);
	unlink(bt);
}

static void test_all_events_bt(void **state)
{
	struct bt_import_stats st;
	struct bt_trace_stats ts;
	struct bt_event ev;
	struct bt_reader *r;
	char bt[256];
	unsigned int t;

	(void)state;
	bt_test_path(bt, sizeof(bt), "text-6x.bt");
	r = import_file("events-6x.txt", bt, &st);
	assert_int_equal(bt_reader_stats(r, &ts), 0);
	for (t = BT_EV_COMPACTION_BEGIN; t <= BT_EV_OOM_SCORE_ADJ_UPDATE; t++)
		assert_int_equal(ts.per_type[t], 1);
	while (bt_reader_next(r, &ev) == 1) {
		if (ev.type == BT_EV_OOM_MARK_VICTIM) {
			assert_int_equal(ev.arg[1], 2097152);
			assert_int_equal(ev.str_len, 3);
			assert_memory_equal(ev.str, "hog", 3);
		}
		if (ev.type == BT_EV_COMPACTION_END)
			assert_int_equal(ev.arg[5], 6);
	}
	bt_reader_close(r);
	unlink(bt);
}

static void test_kernel_meta_bt(void **state)
{
	struct bt_import_stats st;
	struct bt_reader *r;
	char bt[256];

	(void)state;
	bt_test_path(bt, sizeof(bt), "text-perf.bt");
	r = import_file("perf-script-header.txt", bt, &st);
	assert_string_equal(bt_reader_meta(r, BT_META_KERNEL),
			    "6.18.44-fc-v657");
	assert_string_equal(bt_reader_meta(r, BT_META_CPUS), "2");
	assert_int_equal(st.events, 5);
	bt_reader_close(r);
	unlink(bt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracecmd_report_bt),
		cmocka_unit_test(test_lost_and_failed_bt),
		cmocka_unit_test(test_all_events_bt),
		cmocka_unit_test(test_kernel_meta_bt),
	};

	bt_test_quiet_log();
	return cmocka_run_group_tests_name("traces-text-e2e", tests, NULL,
					   NULL);
}
