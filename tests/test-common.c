// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-common.c - checked parsing, buffers, varints and CRC32C of common/.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "traces/traces.h"

static void test_parse_u64(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(bt_parse_u64("0x1f", -1, 0, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(bt_parse_u64("4096 ", 4, 10, &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(bt_parse_u64("12x", -1, 10, &v), BT_E_PARSE);
	assert_int_equal(bt_parse_u64("", -1, 10, &v), BT_E_PARSE);
	assert_int_equal(bt_parse_u64("-1", -1, 10, &v), BT_E_PARSE);
	/* a negative length other than -1 is refused, never a strlen */
	assert_int_equal(bt_parse_u64("123", -2, 10, &v), BT_E_PARSE);
	assert_int_equal(bt_parse_u64("99999999999999999999999", -1, 10, &v),
			 BT_E_RANGE);
}

static void test_parse_int(void **state)
{
	int v = 0;

	(void)state;
	assert_int_equal(bt_parse_int("-1", -1, 10, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(bt_parse_int("2147483648", -1, 10, &v), BT_E_RANGE);
}

static void test_buf(void **state)
{
	struct bt_buf b;
	int i;

	(void)state;
	bt_buf_init(&b);
	for (i = 0; i < 1000; i++)
		assert_int_equal(bt_buf_printf(&b, "%d,", i), 0);
	/* 10*2 + 90*3 + 900*4 bytes */
	assert_int_equal(b.len, 3890);
	assert_memory_equal(b.data + b.len - 4, "999,", 4);
	bt_buf_release(&b);
}

static void test_varint(void **state)
{
	unsigned char p[16];

	(void)state;
	assert_int_equal(bt_varint_put(p, 127), 1);
	assert_int_equal(bt_varint_put(p, 128), 2);
	assert_int_equal(p[0], 0x80);
	assert_int_equal(p[1], 0x01);
	assert_int_equal(bt_varint_put(p, UINT64_MAX), 10);
	assert_int_equal(bt_zigzag(-1), 1);
	assert_int_equal(bt_zigzag(1), 2);
	assert_int_equal(bt_unzigzag(bt_zigzag(-123456789)), -123456789);
}

static void test_crc32c(void **state)
{
	(void)state;
	/* The standard check value of CRC-32C. */
	assert_int_equal(bt_crc32c(0, "123456789", 9), 0xE3069283);
}

static void test_errors(void **state)
{
	(void)state;
	assert_string_equal(bt_strerror(BT_E_CHECKSUM), "checksum mismatch");
	assert_int_equal(bt_exit_code(BT_E_CHECKSUM), 65);
	assert_int_equal(bt_exit_code(-ENOENT), 66);
	assert_int_equal(bt_exit_code(BT_E_NO_TRACEFS), 69);
}

static void test_event_table(void **state)
{
	const struct bt_event_desc *d;
	unsigned int t;

	(void)state;
	assert_int_equal(bt_event_lookup("mm_page_alloc"), BT_EV_PAGE_ALLOC);
	assert_int_equal(bt_event_lookup("mm_page_free_direct"),
			 BT_EV_PAGE_FREE);
	assert_int_equal(bt_event_lookup("no_such_event"), BT_EV_NONE);
	d = bt_event_desc(BT_EV_PAGE_ALLOC_EXTFRAG);
	assert_int_equal(bt_event_field_index(d, "fallback_order"), 2);
	/* every type has a row whose type matches its index */
	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		d = bt_event_desc(t);
		assert_non_null(d);
		assert_non_null(d->name);
		assert_int_equal(d->type, t);
	}
	assert_int_equal(bt_snapshot_kind_lookup("pagetypeinfo"),
			 BT_SNAP_PAGETYPEINFO);
}

/*
 * bt_avoid_cpu() on a child stopped right after fork: the CPU the test
 * runs on leaves its set, every other allowed CPU stays; a CPU not in
 * the set, a negative one and the last one left are "nothing to do".
 */
static void test_avoid_cpu(void **state)
{
	cpu_set_t before, after, one;
	int cpu = sched_getcpu(), first = -1, st;
	pid_t pid;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(before), &before), 0);
	if (cpu < 0 || CPU_COUNT(&before) < 2 || !CPU_ISSET(cpu, &before)) {
		print_message("skipped: needs two CPUs to choose from\n");
		skip();
	}
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		pause();	/* until the test kills it */
		_exit(0);
	}
	assert_int_equal(bt_avoid_cpu(pid, cpu), 0);
	assert_int_equal(sched_getaffinity(pid, sizeof(after), &after), 0);
	assert_false(CPU_ISSET(cpu, &after));
	assert_int_equal(CPU_COUNT(&after), CPU_COUNT(&before) - 1);
	CPU_CLR(cpu, &before);
	assert_true(CPU_EQUAL(&before, &after));
	/* gone already: nothing to do, the set is unchanged */
	assert_int_equal(bt_avoid_cpu(pid, cpu), 1);
	assert_int_equal(bt_avoid_cpu(pid, -1), 1);
	/* down to one CPU: it stays */
	for (int i = 0; i < CPU_SETSIZE && first < 0; i++)
		if (CPU_ISSET(i, &after))
			first = i;
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	assert_int_equal(sched_setaffinity(pid, sizeof(one), &one), 0);
	assert_int_equal(bt_avoid_cpu(pid, first), 1);
	assert_int_equal(sched_getaffinity(pid, sizeof(after), &after), 0);
	assert_int_equal(CPU_COUNT(&after), 1);
	assert_true(CPU_ISSET(first, &after));
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	/* no such process */
	assert_int_equal(bt_avoid_cpu(pid, cpu), -ESRCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_varint),
		cmocka_unit_test(test_crc32c),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_event_table),
		cmocka_unit_test(test_avoid_cpu),
	};

	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
