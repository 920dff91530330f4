// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-analyze-snap.c - the snapshot parsers of analyze/, the kernel's
 * fragmentation formulas checked against what debugfs printed on the same
 * machine at the same moment (the corpus' /proc copies), and the vmstat
 * cross-check rows.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/analyze-internal.h"

static const char zoneinfo[] =
	"Node 0, zone      DMA\n"
	"  per-node stats\n"
	"      nr_inactive_anon 10\n"
	"  pages free     3840\n"
	"        boost    0\n"
	"        min      3\n"
	"        low      6\n"
	"        high     9\n"
	"        spanned  4095\n"
	"        present  3998\n"
	"        managed  3840\n"
	"        protection: (0, 2, 3, 4)\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count: 0\n"
	"              high:  0\n"
	"  start_pfn:           1\n"
	"Node 0, zone   Normal\n"
	"  pages free     100\n"
	"        min      7000\n"
	"        low      8000\n"
	"        high     9000\n"
	"        spanned  5505024\n"
	"        present  5505024\n"
	"        managed  655000\n"
	"  start_pfn:           1048576\n";

static void test_zoneinfo(void **state)
{
	struct bt_snap_zones z;

	(void)state;
	assert_int_equal(bt_snap_parse_zoneinfo(zoneinfo, strlen(zoneinfo),
						&z), 0);
	assert_int_equal(z.nr, 2);
	assert_string_equal(z.z[0].name, "DMA");
	assert_int_equal(z.z[0].free, 3840);
	assert_int_equal(z.z[0].high, 9);
	assert_int_equal(z.z[0].start_pfn, 1);
	assert_int_equal(z.z[0].spanned, 4095);
	assert_int_equal(z.z[1].min, 7000);
	assert_int_equal(bt_snap_zone_of(&z, 0), BT_AN_ZONE_UNKNOWN);
	assert_int_equal(bt_snap_zone_of(&z, 4095), 0);
	assert_int_equal(bt_snap_zone_of(&z, 4096), BT_AN_ZONE_UNKNOWN);
	assert_int_equal(bt_snap_zone_of(&z, 1048576 + 5505023), 1);
	assert_int_equal(bt_snap_parse_zoneinfo("garbage\n", 8, &z),
			 BT_E_PARSE);
}

static void test_vmstat(void **state)
{
	static const char vm[] = "pgalloc_dma 5\npgalloc_dma32 7\n"
		"pgalloc_normal 11\npgfree 30\n"
		"allocstall_normal 2\nallocstall_movable 3\n";
	static const char bad[] = "pgfree 30\noom_kill 99999999999999999999\n";
	uint64_t v;

	(void)state;
	assert_int_equal(bt_snap_vmstat_sum(vm, strlen(vm), "pgalloc_", &v), 0);
	assert_int_equal(v, 23);
	assert_int_equal(bt_snap_vmstat_get(vm, strlen(vm), "pgfree", &v), 0);
	assert_int_equal(v, 30);
	assert_int_equal(bt_snap_vmstat_sum(vm, strlen(vm), "allocstall_", &v),
			 0);
	assert_int_equal(v, 5);
	assert_int_equal(bt_snap_vmstat_get(vm, strlen(vm), "oom_kill", &v),
			 -ENOENT);
	/* a snapshot that does not parse gives no counter at all */
	assert_int_equal(bt_snap_vmstat_get(bad, strlen(bad), "pgfree", &v),
			 -ENOENT);
	assert_int_equal(bt_snap_vmstat_get(vm, strlen(vm), "pgfre", &v),
			 -ENOENT);
}

static char *slurp(const char *path, size_t *len)
{
	struct bt_buf b;

	bt_buf_init(&b);
	if (bt_read_file(path, &b))
		fail_msg("cannot read %s", path);
	*len = b.len;
	return (char *)b.data;
}

/* The per-order values of zone line @z of a debugfs index file, x1000. */
static void index_row(char *text, unsigned int z, int out[BT_AN_ORDERS])
{
	char *save = NULL, *line = strtok_r(text, "\n", &save);
	unsigned int i, o;

	for (i = 0; i < z && line; i++)
		line = strtok_r(NULL, "\n", &save);
	assert_non_null(line);
	char *s2 = NULL, *tok = strtok_r(line, " ", &s2);

	for (i = 0; i < 3 && tok; i++)	/* "Node" "0," "zone" */
		tok = strtok_r(NULL, " ", &s2);
	for (o = 0; o < BT_AN_ORDERS; o++) {
		double x;

		tok = strtok_r(NULL, " ", &s2);
		assert_non_null(tok);
		assert_int_equal(bt_parse_double(tok, &x), 0);
		out[o] = (int)(x * 1000 + (x < 0 ? -0.5 : 0.5));
	}
}

/* Our formulas give what the kernel printed in debugfs, zone by zone. */
static void test_frag_against_debugfs(void **state)
{
	static const char *const dirs[] = {
		"traces/corpus/thp/before", "traces/corpus/thp/after",
		"traces/corpus/pressure/after", "traces/corpus/compile/before",
	};
	size_t d;

	(void)state;
	for (d = 0; d < BT_ARRAY_SIZE(dirs); d++) {
		struct bt_snap_buddy bi;
		unsigned int z, o;
		char p[256];
		size_t len;

		snprintf(p, sizeof(p), "%s/buddyinfo", dirs[d]);
		char *b = slurp(p, &len);

		assert_int_equal(bt_snap_parse_buddyinfo(b, len, &bi), 0);
		assert_int_equal(bi.nr, 3);
		free(b);
		for (z = 0; z < bi.nr; z++) {
			int u[BT_AN_ORDERS], e[BT_AN_ORDERS];
			struct bt_frag f;

			snprintf(p, sizeof(p), "%s/unusable_index", dirs[d]);
			char *t = slurp(p, &len);

			index_row(t, z, u);
			free(t);
			snprintf(p, sizeof(p), "%s/extfrag_index", dirs[d]);
			t = slurp(p, &len);
			index_row(t, z, e);
			free(t);
			bt_frag_compute(bi.z[z].nr_free, &f);
			for (o = 0; o < BT_AN_ORDERS; o++) {
				assert_int_equal(f.unusable[o], u[o]);
				assert_int_equal(f.fragindex[o], e[o]);
			}
		}
	}
}

static void test_frag_values(void **state)
{
	uint64_t nr[BT_AN_ORDERS] = { 4, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	uint64_t none[BT_AN_ORDERS] = { 0 };
	struct bt_frag f;

	(void)state;
	bt_frag_compute(nr, &f);
	assert_int_equal(f.free_pages, 516);
	assert_int_equal(f.free_blocks, 5);
	assert_int_equal(f.unusable[9], 4 * 1000 / 516);
	assert_int_equal(f.fragindex[9], -1000);
	/* order 10: 1000 - (1000 + 516000/1024) / 5 */
	assert_int_equal(f.fragindex[10], 1000 - (1000 + 503) / 5);
	assert_int_equal(f.huge_score, 512 * 1000 / 516);
	bt_frag_compute(none, &f);
	assert_int_equal(f.unusable[0], 1000);
	assert_int_equal(f.fragindex[3], 0);
}

static void test_vmcheck(void **state)
{
	static const char v0[] = "pgalloc_dma32 100\npgalloc_normal 900\n"
		"pgfree 500\nallocstall_movable 1\ncompact_stall 3\n"
		"compact_success 1\ncompact_fail 2\noom_kill 0\n";
	static const char v1[] = "pgalloc_dma32 200\npgalloc_normal 10900\n"
		"pgfree 600\nallocstall_movable 11\ncompact_stall 7\n"
		"compact_success 3\ncompact_fail 4\noom_kill 1\n";
	struct bt_recorded rv;
	struct bt_vm_check c;

	(void)state;
	memset(&rv, 0, sizeof(rv));
	rv.vm_trace[BT_VM_PGALLOC] = 1000;
	rv.vm_trace[BT_VM_PGFREE] = 100;
	rv.vm_trace[BT_VM_ALLOCSTALL] = 8;
	rv.vm_trace[BT_VM_COMPACT_STALL] = 4;
	rv.vm_trace[BT_VM_COMPACT_SUCCESS] = 2;
	rv.vm_trace[BT_VM_COMPACT_FAIL] = 2;
	rv.vm_trace[BT_VM_OOM_KILL] = 0;
	bt_vm_check_compute(&rv, v0, strlen(v0), v1, strlen(v1), &c);
	assert_true(c.done);
	assert_string_equal(c.rows[BT_VM_PGALLOC].name, "pgalloc");
	assert_int_equal(c.rows[BT_VM_PGALLOC].vmstat, 10100);
	assert_int_equal(c.rows[BT_VM_PGALLOC].diff, -9100);
	assert_false(c.rows[BT_VM_PGALLOC].within);
	assert_non_null(strstr(c.rows[BT_VM_PGALLOC].explanation, "bulk"));
	assert_int_equal(c.rows[BT_VM_PGFREE].diff, 0);
	assert_true(c.rows[BT_VM_PGFREE].within);
	assert_string_equal(c.rows[BT_VM_PGFREE].explanation, "equal");
	assert_int_equal(c.rows[BT_VM_ALLOCSTALL].vmstat, 10);
	assert_true(c.rows[BT_VM_ALLOCSTALL].within);
	assert_int_equal(c.rows[BT_VM_COMPACT_STALL].diff, 0);
	assert_int_equal(c.rows[BT_VM_OOM_KILL].diff, -1);
	assert_false(c.rows[BT_VM_OOM_KILL].within);
	bt_vm_check_compute(&rv, v0, strlen(v0), NULL, 0, &c);
	assert_false(c.done);
	assert_non_null(strstr(c.note, "vmstat"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zoneinfo),
		cmocka_unit_test(test_vmstat),
		cmocka_unit_test(test_frag_against_debugfs),
		cmocka_unit_test(test_frag_values),
		cmocka_unit_test(test_vmcheck),
	};

	return cmocka_run_group_tests_name("analyze-snap", tests, NULL, NULL);
}
