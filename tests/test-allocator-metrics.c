// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-metrics.c - the fragmentation metrics of
 * allocator/metrics.c: worked examples by hand from mm/vmstat.c's
 * formulas (ALLOCATOR-SPEC.md 8), and the text debugfs prints for the same
 * buddyinfo, byte for byte: the committed quiet triple of a 6.18 machine,
 * and this machine live when root and debugfs allow it.
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

static void load(const char *name, struct bt_buf *b)
{
	const char *top = getenv("BT_TOP");
	char path[512];

	snprintf(path, sizeof(path), "%s/tests/data/proc/%s", top ? top : ".",
		 name);
	bt_buf_init(b);
	if (bt_read_file(path, b))
		fail_msg("cannot read %s", path);
}

static const char *fmt(int index, bool extfrag)
{
	static char buf[32];

	bt_frag_format(buf, sizeof(buf), index, extfrag);
	return buf;
}

/*
 * Free: 4 blocks of order 0, 2 of order 1, 1 of order 2: 12 pages in 7
 * blocks.
 *   order 1: suitable = 2 + 1 * 2 = 4 blocks; unusable = (12 - 8) * 1000 /
 *            12 = 333; a block exists: fragmentation index -1000.
 *   order 2: suitable 1; unusable = (12 - 4) * 1000 / 12 = 666.
 *   order 3: suitable 0; unusable 1000; fragmentation index =
 *            1000 - (1000 + 12 * 1000 / 8) / 7 = 1000 - 2500 / 7 = 643.
 */
static void test_worked(void **state)
{
	uint64_t nr[11] = { 4, 2, 1 };
	struct bt_contig_info info;

	(void)state;
	bt_frag_contig_info(nr, 11, 1, &info);
	assert_int_equal(info.free_pages, 12);
	assert_int_equal(info.free_blocks_total, 7);
	assert_int_equal(info.free_blocks_suitable, 4);
	assert_int_equal(bt_frag_unusable_index(nr, 11, 0), 0);
	assert_int_equal(bt_frag_unusable_index(nr, 11, 1), 333);
	assert_int_equal(bt_frag_unusable_index(nr, 11, 2), 666);
	assert_int_equal(bt_frag_unusable_index(nr, 11, 3), 1000);
	assert_int_equal(bt_frag_index(nr, 11, 1), -1000);
	assert_int_equal(bt_frag_index(nr, 11, 3), 643);
	assert_string_equal(fmt(643, true), " 0.643");
	assert_string_equal(fmt(-1000, true), "-1.000");
	assert_string_equal(fmt(333, false), "0.333");
	assert_string_equal(fmt(1000, false), "1.000");
	/* proactive compaction score: (12 - 0) * 100 / 12, (12 - 8) ... */
	assert_int_equal(bt_frag_extfrag_for_order(nr, 11, 3), 100);
	assert_int_equal(bt_frag_extfrag_for_order(nr, 11, 1), 33);
}

/*
 * One free page: order 1 has no suitable block and one block in all:
 * 1000 - (1000 + 1 * 1000 / 2) / 1 = -500, which the kernel prints as
 * " 0.-500" (index / 1000 = 0, index % 1000 = -500).
 */
static void test_worked_odd(void **state)
{
	uint64_t nr[11] = { 1 }, none[11] = { 0 };

	(void)state;
	assert_int_equal(bt_frag_index(nr, 11, 1), -500);
	assert_string_equal(fmt(-500, true), " 0.-500");
	/* nothing free: unusable 1000, fragmentation 0 */
	assert_int_equal(bt_frag_unusable_index(none, 11, 4), 1000);
	assert_int_equal(bt_frag_index(none, 11, 4), 0);
	assert_int_equal(bt_frag_extfrag_for_order(none, 11, 4), 0);
	/* beyond the largest order the kernel warns and says 0 */
	assert_int_equal(bt_frag_index(nr, 11, 11), 0);
}

/* 512 free pages of order 0 plus blocks of order 9 and 10: 2048 of 2560. */
static void test_huge_score(void **state)
{
	uint64_t nr[11] = { 512 };
	struct bt_huge_score s;

	(void)state;
	nr[9] = 2;
	nr[10] = 1;
	bt_frag_huge_score(nr, 11, 9, &s);
	assert_int_equal(s.huge_pages, 2048);
	assert_int_equal(s.free_pages, 2560);
}

/* The text of extfrag_index or unusable_index for a buddyinfo. */
static void render(const struct bt_proc_table *bi, bool extfrag,
		   struct bt_buf *out)
{
	unsigned int i, o;

	bt_buf_init(out);
	for (i = 0; i < bi->nr_zones; i++) {
		const struct bt_proc_orders *r = &bi->zones[i];
		uint64_t nr[BT_PROC_MAX_ORDERS];

		for (o = 0; o < r->nr_orders; o++)
			nr[o] = (uint64_t)r->v[o];
		bt_buf_printf(out, "Node %d, zone %8s ", r->node, r->name);
		for (o = 0; o < r->nr_orders; o++) {
			int idx = extfrag ? bt_frag_index(nr, r->nr_orders, o) :
				  bt_frag_unusable_index(nr, r->nr_orders, o);

			bt_buf_printf(out, "%s ", fmt(idx, extfrag));
		}
		bt_buf_printf(out, "\n");
	}
}

static void assert_same_text(const struct bt_buf *a, const struct bt_buf *b)
{
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->data, b->data, a->len);
}

static void test_committed_triple(void **state)
{
	struct bt_buf bb, eb, ub, out;
	struct bt_proc_table bi;

	(void)state;
	load("6.18-quiet-buddyinfo", &bb);
	load("6.18-quiet-extfrag_index", &eb);
	load("6.18-quiet-unusable_index", &ub);
	bt_proc_table_init(&bi);
	assert_int_equal(bt_buddyinfo_parse(&bi, (char *)bb.data, bb.len,
					    NULL), 0);
	render(&bi, true, &out);
	assert_same_text(&out, &eb);
	bt_buf_release(&out);
	render(&bi, false, &out);
	assert_same_text(&out, &ub);
	bt_buf_release(&out);
	bt_proc_table_release(&bi);
	bt_buf_release(&bb);
	bt_buf_release(&eb);
	bt_buf_release(&ub);
}

/* Read buddyinfo, both debugfs files, buddyinfo; 1 when it held still. */
static int read_quiet(struct bt_buf *bb, struct bt_buf *eb, struct bt_buf *ub)
{
	struct bt_buf again;
	int same;

	bt_buf_init(&again);
	if (bt_read_file("/proc/buddyinfo", bb) ||
	    bt_read_file("/sys/kernel/debug/extfrag/extfrag_index", eb) ||
	    bt_read_file("/sys/kernel/debug/extfrag/unusable_index", ub) ||
	    bt_read_file("/proc/buddyinfo", &again))
		return -1;
	same = again.len == bb->len && !memcmp(again.data, bb->data, bb->len);
	bt_buf_release(&again);
	return same;
}

static void test_live(void **state)
{
	struct bt_buf bb, eb, ub, out;
	struct bt_proc_table bi;
	int attempt, quiet = 0;

	(void)state;
	if (access("/sys/kernel/debug/extfrag/extfrag_index", R_OK)) {
		print_message("skipped: needs root and debugfs at "
			      "/sys/kernel/debug\n");
		skip();
	}
	for (attempt = 0; attempt < 50 && quiet != 1; attempt++) {
		if (attempt) {
			bt_buf_release(&bb);
			bt_buf_release(&eb);
			bt_buf_release(&ub);
			usleep(20000);
		}
		bt_buf_init(&bb);
		bt_buf_init(&eb);
		bt_buf_init(&ub);
		quiet = read_quiet(&bb, &eb, &ub);
		assert_true(quiet >= 0);
	}
	if (quiet != 1) {
		bt_buf_release(&bb);
		bt_buf_release(&eb);
		bt_buf_release(&ub);
		print_message("skipped: buddyinfo never held still\n");
		skip();
	}
	bt_proc_table_init(&bi);
	assert_int_equal(bt_buddyinfo_parse(&bi, (char *)bb.data, bb.len,
					    NULL), 0);
	render(&bi, true, &out);
	assert_same_text(&out, &eb);
	bt_buf_release(&out);
	render(&bi, false, &out);
	assert_same_text(&out, &ub);
	bt_buf_release(&out);
	bt_proc_table_release(&bi);
	bt_buf_release(&bb);
	bt_buf_release(&eb);
	bt_buf_release(&ub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked),
		cmocka_unit_test(test_worked_odd),
		cmocka_unit_test(test_huge_score),
		cmocka_unit_test(test_committed_triple),
		cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests_name("allocator-metrics", tests, NULL,
					   NULL);
}
