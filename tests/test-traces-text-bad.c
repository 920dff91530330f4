// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-traces-text-bad.c - the text importer on hostile and odd input:
 * nothing recognizable (empty, garbage, a PNG), NUL bytes, invalid UTF-8,
 * lines longer than the read buffer, CRLF, a missing last newline, times
 * that go back, lost markers before a CPU's first event, numbers that
 * overflow, and random mutations of real lines (never a crash under the
 * sanitizers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "traces/traces-text.h"
#include "test-traces-util.h"

#define ALLOC_LINE(ts, cpu) \
	"  bash-42  [00" #cpu "] .....  " ts ": mm_page_alloc: " \
	"page=0000000012345678 pfn=0x1a2b3 order=0 migratetype=1 " \
	"gfp_flags=GFP_KERNEL"

static int run(const void *data, size_t len, struct bt_import_stats *st)
{
	FILE *f = fmemopen((void *)data, len ? len : 1, "r");
	int ret;

	assert_non_null(f);
	if (!len)
		fgetc(f);	/* fmemopen needs a size: read the one byte */
	ret = bt_import_text(f, NULL, NULL, st);
	fclose(f);
	return ret;
}

static int run_str(const char *s, struct bt_import_stats *st)
{
	return run(s, strlen(s), st);
}

static void test_nothing_recognized(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0 };
	struct bt_import_stats st;

	(void)state;
	assert_int_equal(run("", 0, &st), BT_E_NO_EVENTS);
	assert_int_equal(run_str("hello\nworld\n", &st), BT_E_NO_EVENTS);
	assert_int_equal(st.unknown_lines, 2);
	assert_string_equal(st.first_unknown, "hello");
	assert_int_equal(run(png, sizeof(png), &st), BT_E_NO_EVENTS);
	assert_int_equal(st.events, 0);
	/* only headers, only events we do not model */
	assert_int_equal(run_str("# tracer: nop\n#\ncpus=2\n", &st),
			 BT_E_NO_EVENTS);
	assert_int_equal(run_str("  bash-1 [000] .....  1.000001: kmalloc: "
				 "ptr=0 bytes_req=8\n", &st), BT_E_NO_EVENTS);
	assert_int_equal(st.unknown_events, 1);
	/* buddytrace's own types are not tracepoints a text can hold */
	assert_int_equal(run_str(ALLOC_LINE("1.000000", 0) "\n"
				 "  bash-1 [000] .....  1.000001: snapshot: "
				 "index=0 kind=1\n"
				 "  bash-1 [000] .....  1.000002: lost_events: "
				 "count=5\n"
				 "  bash-1 [000] .....  1.000003: alloc_slowpath:"
				 " order=0\n", &st), 0);
	assert_int_equal(st.events, 1);
	assert_int_equal(st.unknown_events, 3);
}

static void test_nul_and_utf8(void **state)
{
	static const char in[] =
		"  ba\0sh-42  [000] .....  1.000001: mm_page_free: pfn=0x10 "
		"order=0\n"
		"  \xff\xfe\xc3-42  [000] .....  1.000002: mm_page_free: "
		"pfn=0x11 order=0\n"
		"  bash-42  [000] .....  1.000003: mm_page_alloc: pfn=0x12 "
		"order=0 gfp_flags=GFP_KERNEL\0|junk\n"
		"  bash-42  [000] .....  1.000004: tracing_mark_write: "
		"\xe2\x28\xa1 \0 tail\n";
	struct bt_import_stats st;

	(void)state;
	assert_int_equal(run(in, sizeof(in) - 1, &st), 0);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 2);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 1);
	assert_int_equal(st.per_type[BT_EV_PRINT], 1);
	assert_int_equal(st.unknown_lines, 0);
}

static void test_long_lines(void **state)
{
	size_t big = 3u << 20;
	char *in = malloc(big + 512);
	struct bt_import_stats st;
	int n;

	(void)state;
	memset(in, 'a', big);
	n = snprintf(in + big, 512, "\n" ALLOC_LINE("5.000001", 1) "\n");
	assert_int_equal(run(in, big + (size_t)n, &st), 0);
	assert_int_equal(st.lines, 2);
	assert_int_equal(st.unknown_lines, 1);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 1);
	assert_int_equal(strlen(st.first_unknown), 159);
	/* a long payload on a known event, within the 1 MiB line limit */
	n = snprintf(in, 512, ALLOC_LINE("5.000001", 1) " x=");
	memset(in + n, 'b', 900u << 10);
	assert_int_equal(run(in, (size_t)n + (900u << 10), &st), 0);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 1);
	assert_int_equal(st.unknown_lines, 0);
	free(in);
}

static void test_line_ends(void **state)
{
	struct bt_import_stats st;

	(void)state;
	assert_int_equal(run_str(ALLOC_LINE("1.000001", 0) "\r\n"
				 ALLOC_LINE("1.000002", 0), &st), 0);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 2);
	assert_int_equal(st.last_ts, 1000002000ull);
}

/* counter and x86-tsc clocks: bare integers, kept in the clock's unit */
static void test_counter_clock(void **state)
{
	struct bt_import_stats st;

	(void)state;
	assert_int_equal(run_str("  bash-42  [000] .....  8714052136451: "
				 "mm_page_free: pfn=0x10 order=0\n"
				 "  bash-42  [000] .....  8714052139999: "
				 "mm_page_free: pfn=0x11 order=0\n", &st), 0);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 2);
	assert_int_equal(st.first_ts, 8714052136451ull);
	assert_int_equal(st.last_ts, 8714052139999ull);
}

/* A full overwrite buffer: written minus kept were lost at the start. */
static void test_overwritten(void **state)
{
	struct bt_import_stats st;

	(void)state;
	assert_int_equal(run_str("# tracer: nop\n#\n"
				 "# entries-in-buffer/entries-written: "
				 "2/1502   #P:2\n#\n"
				 ALLOC_LINE("7.000000", 1) "\n"
				 ALLOC_LINE("7.000001", 0) "\n", &st), 0);
	assert_int_equal(st.lost_markers, 1);
	assert_int_equal(st.lost_events, 1500);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 2);
	assert_int_equal(st.first_ts, 7000000000ull);
}

static void test_time_backwards(void **state)
{
	struct bt_import_stats st;

	(void)state;
	bt_test_quiet_log();
	bt_test_log_clear();
	assert_int_equal(run_str(ALLOC_LINE("2.000000", 0) "\n"
				 ALLOC_LINE("1.000000", 0) "\n"
				 ALLOC_LINE("1.500000", 1) "\n", &st), 0);
	assert_int_equal(st.events, 3);
	assert_int_equal(st.out_of_order, 1);
	assert_int_equal(st.first_ts, 1500000000ull);
	assert_int_equal(bt_test_warnings, 1);
}

static void test_lost_before_first_event(void **state)
{
	struct bt_import_stats st;

	(void)state;
	assert_int_equal(run_str("CPU:1 [LOST 5 EVENTS]\n"
				 "CPU:1 [LOST 6 EVENTS]\n"
				 ALLOC_LINE("3.000000", 1) "\n"
				 "CPU:1 [LOST 2 EVENTS]\n"
				 "CPU:3 [EVENTS DROPPED]\n", &st), 0);
	/* the first two merge at the CPU's first event; CPU 3 has none */
	assert_int_equal(st.lost_markers, 3);
	assert_int_equal(st.lost_events, 13);
	assert_int_equal(st.first_ts, 3000000000ull);
	assert_int_equal(st.last_ts, 3000000000ull);
}

static void test_bad_numbers(void **state)
{
	struct bt_import_stats st;

	(void)state;
	assert_int_equal(run_str(
		ALLOC_LINE("1.000000", 0) "\n"
		"  bash-42  [000] .....  99999999999999999999.000000: "
		"mm_page_free: pfn=0x1 order=0\n"
		"  bash-42  [99999] .....  1.000001: mm_page_free: pfn=0x1\n"
		"  bash-99999999999  [000] .....  1.000001: mm_page_free: "
		"pfn=0x1\n"
		"  bash-42  [000] .....  1.0000000001: mm_page_free: pfn=0x1\n"
		"  bash-42  [000] .....  1.000002: mm_page_free: "
		"pfn=0x1ffffffffffffffffff order=99999999999999999999999\n",
		&st), 0);
	assert_int_equal(st.unknown_lines, 4);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 1);
}

static void check_line(struct bt_text_parser *p, const char *line,
		       size_t len)
{
	struct bt_event ev;
	unsigned int k = bt_text_parse_line(p, line, len, &ev);

	assert_true(k <= BT_TEXT_UNKNOWN);
	if (k == BT_TEXT_EVENT)
		assert_non_null(bt_event_desc(ev.type));
	if (k == BT_TEXT_EVENT && ev.comm)
		assert_true(strlen(ev.comm) < BT_TEXT_COMM_MAX);
	if (k == BT_TEXT_EVENT && ev.str)
		assert_true(ev.str_len < BT_TEXT_STR_MAX);
}

/* Random byte edits of real lines: only "no crash" and sane counts. */
static void test_mutations(void **state)
{
	static const char *const seeds[] = {
		ALLOC_LINE("1.000001", 1),
		"bttext1:  sh-7137  [001]   552.604384: print:    "
		"tracing_mark_write: hello-marker",
		"  perf  7476/7476  [001]   571.344923609: kmem:mm_page_alloc: "
		"page=0x11bd25 pfn=0x11bd25 order=0 gfp_flags=GFP_HIGHUSER",
		" 900.000100 |   1)   bash-1234    |   |  /* mm_page_free: "
		"pfn=0x10ab51 order=1 */",
		"  kcompactd0-36  [000] .....  700.000004: "
		"mm_compaction_isolate_migratepages: range=(0x100000 ~ 0x100200) "
		"nr_scanned=512 nr_taken=32",
		"  thp-5001  [001] .....  700.000025: mark_victim: pid=4242 "
		"comm=hog total-vm=2097152kB file-rss:1024kB",
		"  bash-2011  [002] ....  101.000200: mm_page_alloc: "
		"page=          (null) pfn=0 order=9",
		"CPU:7 [204600 EVENTS DROPPED]",
	};
	static const char alphabet[] = " :=[]()|/*-.0x9a\0\n~,k";
	struct bt_text_parser *p = bt_text_parser_new(NULL);
	uint32_t rnd = 12345;
	char line[512];
	unsigned int i, j, k;
	size_t len;

	(void)state;
	for (i = 0; i < 20000; i++) {
		const char *s = seeds[i % BT_ARRAY_SIZE(seeds)];

		len = strlen(s);
		memcpy(line, s, len);
		for (j = 0; j < 1 + i % 4; j++) {
			rnd = rnd * 1103515245u + 12345u;
			k = (rnd >> 8) % (unsigned int)len;
			rnd = rnd * 1103515245u + 12345u;
			if ((rnd >> 16) & 1)
				line[k] = alphabet[(rnd >> 9) %
						   (sizeof(alphabet) - 1)];
			else
				len = k + 1;	/* cut short */
		}
		check_line(p, line, len);
	}
	/* and lines of random bytes */
	for (i = 0; i < 20000; i++) {
		rnd = rnd * 1103515245u + 12345u;
		len = (rnd >> 8) % sizeof(line);
		for (j = 0; j < len; j++) {
			rnd = rnd * 1103515245u + 12345u;
			line[j] = (char)(rnd >> 16);
		}
		check_line(p, line, len);
	}
	bt_text_parser_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_recognized),
		cmocka_unit_test(test_nul_and_utf8),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_counter_clock),
		cmocka_unit_test(test_overwritten),
		cmocka_unit_test(test_time_backwards),
		cmocka_unit_test(test_lost_before_first_event),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("traces-text-bad", tests, NULL,
					   NULL);
}
