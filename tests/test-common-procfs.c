// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-common-procfs.c - the /proc parsers on real samples of a 6.18
 * machine and a hand-made 4.12 zoneinfo (tests/data/proc/), and on
 * hostile input: garbage, overflow, truncation, NUL bytes, long lines,
 * and random mutations of the samples (which must never crash).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "common/procfs.h"

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

static void test_zoneinfo_618(void **state)
{
	const struct bt_proc_zone *dma, *dma32, *normal, *mov;
	struct bt_proc_error err = { 0 };
	struct bt_zoneinfo zi;
	struct bt_buf b;

	(void)state;
	load("6.18-zoneinfo", &b);
	bt_zoneinfo_init(&zi);
	assert_int_equal(bt_zoneinfo_parse(&zi, (char *)b.data, b.len, &err),
			 0);
	assert_int_equal(zi.nr_zones, 5);
	dma = bt_zoneinfo_find(&zi, 0, "DMA");
	dma32 = bt_zoneinfo_find(&zi, 0, "DMA32");
	normal = bt_zoneinfo_find(&zi, 0, "Normal");
	mov = bt_zoneinfo_find(&zi, 0, "Movable");
	assert_non_null(dma);
	assert_non_null(dma32);
	assert_non_null(normal);
	assert_non_null(mov);
	assert_non_null(bt_zoneinfo_find(&zi, 0, "Device"));
	assert_null(bt_zoneinfo_find(&zi, 1, "DMA"));
	assert_int_equal(dma->min, 53);
	assert_int_equal(dma->low, 66);
	assert_int_equal(dma->high, 79);
	assert_int_equal(dma->promo, 92);
	assert_true(dma->has_boost && dma->has_promo && dma->has_start_pfn);
	assert_int_equal(dma->spanned, 4095);
	assert_int_equal(dma->present, 3998);
	assert_int_equal(dma->managed, 3840);
	assert_int_equal(dma->start_pfn, 1);
	assert_int_equal(dma->nr_protection, 5);
	/* lowmem_reserve of DMA against DMA32 = DMA32's managed / 256 */
	assert_int_equal(dma->protection[1], dma32->managed / 256);
	assert_int_equal(dma->protection[2],
			 (dma32->managed + normal->managed) / 256);
	assert_int_equal(dma32->protection[2], normal->managed / 256);
	assert_int_equal(dma->nr_pcp, 2);
	assert_int_equal(dma->pcp[1].cpu, 1);
	assert_int_equal(dma->pcp[1].batch, 1);
	assert_int_equal(dma->pcp[1].high_min, 33);
	assert_int_equal(dma->pcp[1].high_max, 240);
	assert_int_equal(dma32->start_pfn, 4096);
	/* DMA32 starts where DMA's span ends */
	assert_int_equal(dma->start_pfn + dma->spanned, dma32->start_pfn);
	assert_int_equal(dma32->pcp[0].batch, 63);
	assert_int_equal(normal->managed, 425984);
	assert_int_equal(normal->start_pfn, 1048576);
	assert_int_equal(mov->managed, 0);
	assert_int_equal(mov->min, 32);
	assert_int_equal(mov->nr_pcp, 0);
	assert_int_equal(normal->node_unreclaimable, 0);
	bt_zoneinfo_release(&zi);
	bt_buf_release(&b);
}

static void test_zoneinfo_412(void **state)
{
	const struct bt_proc_zone *dma32;
	struct bt_zoneinfo zi;
	struct bt_buf b;

	(void)state;
	load("4.12-zoneinfo", &b);
	bt_zoneinfo_init(&zi);
	assert_int_equal(bt_zoneinfo_parse(&zi, (char *)b.data, b.len, NULL),
			 0);
	assert_int_equal(zi.nr_zones, 3);
	dma32 = bt_zoneinfo_find(&zi, 0, "DMA32");
	assert_non_null(dma32);
	assert_false(dma32->has_boost);
	assert_false(dma32->has_promo);
	assert_int_equal(dma32->nr_protection, 4);
	assert_int_equal(dma32->protection[2], 996);
	assert_int_equal(dma32->nr_pcp, 2);
	assert_int_equal(dma32->pcp[0].high, 186);
	assert_false(dma32->pcp[0].has_high_min);
	assert_int_equal(dma32->pcp[1].count, 77);
	bt_zoneinfo_release(&zi);
	bt_buf_release(&b);
}

static void test_buddyinfo_pagetypeinfo(void **state)
{
	const struct bt_proc_ptzone *pz;
	const struct bt_proc_orders *row;
	struct bt_pagetypeinfo pt;
	struct bt_proc_table bi;
	struct bt_buf b, p;
	unsigned int o, t;
	int mov;

	(void)state;
	load("6.18-buddyinfo", &b);
	load("6.18-pagetypeinfo", &p);
	bt_proc_table_init(&bi);
	bt_pagetypeinfo_init(&pt);
	assert_int_equal(bt_buddyinfo_parse(&bi, (char *)b.data, b.len, NULL),
			 0);
	assert_int_equal(bt_pagetypeinfo_parse(&pt, (char *)p.data, p.len,
					       NULL), 0);
	assert_int_equal(bi.nr_zones, 3);
	assert_int_equal(bi.nr_orders, 11);
	assert_int_equal(pt.pageblock_order, 9);
	assert_int_equal(pt.pages_per_block, 512);
	assert_int_equal(pt.nr_orders, 11);
	assert_int_equal(pt.nr_types, 5);	/* no CMA in this kernel */
	assert_int_equal(bt_pagetypeinfo_type(&pt, "Unmovable"), 0);
	mov = bt_pagetypeinfo_type(&pt, "Movable");
	assert_int_equal(mov, 1);
	assert_int_equal(bt_pagetypeinfo_type(&pt, "Isolate"), 4);
	/* quiet zones: the per-type counts add up to buddyinfo */
	for (t = 0; t < 2; t++) {
		const char *zn = t ? "DMA32" : "DMA";

		row = bt_proc_table_find(&bi, 0, zn);
		pz = bt_pagetypeinfo_find(&pt, 0, zn);
		assert_non_null(row);
		assert_non_null(pz);
		for (o = 0; o < 11; o++) {
			uint64_t sum = 0;
			unsigned int m;

			for (m = 0; m < pt.nr_types; m++)
				sum += pz->free[m][o];
			assert_int_equal(sum, row->v[o]);
		}
	}
	/* DMA spans pfns 0..4095: 8 pageblocks, 1 unmovable */
	pz = bt_pagetypeinfo_find(&pt, 0, "DMA");
	assert_int_equal(pz->blocks[0] + pz->blocks[1], 8);
	assert_int_equal(pz->blocks[0], 1);
	/* every present page of DMA32 is in a counted pageblock */
	pz = bt_pagetypeinfo_find(&pt, 0, "DMA32");
	assert_int_equal(pz->blocks[mov], 782336 / 512);
	assert_int_equal(pz->free[mov][10], 752);
	bt_pagetypeinfo_release(&pt);
	bt_proc_table_release(&bi);
	bt_buf_release(&b);
	bt_buf_release(&p);
}

static void test_fragindex(void **state)
{
	static const char odd[] = "Node 0, zone DMA  0.-999 -1.000  0.512\n";
	const struct bt_proc_orders *row;
	struct bt_proc_table t;
	struct bt_buf b;
	unsigned int o;

	(void)state;
	bt_proc_table_init(&t);
	load("6.18-quiet-extfrag_index", &b);
	assert_int_equal(bt_fragindex_parse(&t, (char *)b.data, b.len, NULL),
			 0);
	for (o = 0; o < 11; o++)
		assert_int_equal(t.zones[2].v[o], -1000);
	bt_buf_release(&b);
	load("6.18-quiet-unusable_index", &b);
	assert_int_equal(bt_fragindex_parse(&t, (char *)b.data, b.len, NULL),
			 0);
	row = bt_proc_table_find(&t, 0, "DMA");
	assert_int_equal(row->v[9], 66);
	assert_int_equal(row->v[10], 200);
	bt_buf_release(&b);
	/* the odd printings of "%2d.%03d" with a negative remainder */
	assert_int_equal(bt_fragindex_parse(&t, odd, strlen(odd), NULL), 0);
	assert_int_equal(t.zones[0].v[0], -999);
	assert_int_equal(t.zones[0].v[1], -1000);
	assert_int_equal(t.zones[0].v[2], 512);
	bt_proc_table_release(&t);
}

static void test_kv(void **state)
{
	struct bt_kvlist l;
	const struct bt_proc_kv *kv;
	struct bt_buf b;
	int64_t v = 0;

	(void)state;
	bt_kvlist_init(&l);
	load("6.18-sysctl_vm", &b);
	assert_int_equal(bt_sysctl_parse(&l, (char *)b.data, b.len, NULL), 0);
	assert_true(bt_kvlist_get(&l, "min_free_kbytes", &v));
	assert_int_equal(v, 67584);
	kv = bt_kvlist_find(&l, "lowmem_reserve_ratio");
	assert_non_null(kv);
	assert_int_equal(kv->nr, 5);
	assert_int_equal(kv->v[2], 32);
	bt_buf_release(&b);
	assert_int_equal(bt_sysctl_parse(&l, "vm.min_free_kbytes = 90112\n"
					 "vm.numa_zonelist_order = Node\n",
					 58, NULL), 0);
	assert_true(bt_kvlist_get(&l, "min_free_kbytes", &v));
	assert_int_equal(v, 90112);
	assert_false(bt_kvlist_get(&l, "numa_zonelist_order", &v));
	assert_non_null(bt_kvlist_find(&l, "numa_zonelist_order"));
	load("6.18-vmstat", &b);
	assert_int_equal(bt_vmstat_parse(&l, (char *)b.data, b.len, NULL), 0);
	assert_true(bt_kvlist_get(&l, "pgalloc_dma32", &v));
	assert_true(bt_kvlist_get(&l, "nr_free_pages", &v));
	assert_true(v > 0);
	bt_buf_release(&b);
	load("6.18-meminfo", &b);
	assert_int_equal(bt_meminfo_parse(&l, (char *)b.data, b.len, NULL), 0);
	assert_true(bt_kvlist_get(&l, "MemTotal", &v));
	/* about 23.5 GiB in kB */
	assert_true(v > 20000000 && v < 26000000);
	assert_true(bt_kvlist_get(&l, "HugePages_Total", &v));
	bt_buf_release(&b);
	bt_kvlist_release(&l);
}

static int zi_parse(const char *s, struct bt_proc_error *err)
{
	struct bt_zoneinfo zi;
	int ret;

	bt_zoneinfo_init(&zi);
	ret = bt_zoneinfo_parse(&zi, s, strlen(s), err);
	if (ret)
		assert_int_equal(zi.nr_zones, 0);
	bt_zoneinfo_release(&zi);
	return ret;
}

static void test_hostile(void **state)
{
	static const char head[] = "Node 0, zone DMA\n  pages free 1\n min 1\n"
				   " low 2\n high 3\n spanned 9\n present 9\n";
	struct bt_proc_error err;
	struct bt_proc_table t;
	char buf[512];

	(void)state;
	assert_int_equal(zi_parse("", &err), BT_E_PARSE);
	assert_int_equal(zi_parse("garbage\n", &err), BT_E_PARSE);
	assert_int_equal(err.line, 1);
	/* managed missing */
	assert_int_equal(zi_parse(head, &err), BT_E_PARSE);
	assert_string_equal(err.msg, "zone 'DMA' of node 0 lacks 'managed'");
	snprintf(buf, sizeof(buf), "%s managed 99999999999999999999999\n",
		 head);
	assert_int_equal(zi_parse(buf, &err), BT_E_PARSE);
	assert_int_equal(err.line, 8);
	snprintf(buf, sizeof(buf), "%s managed 9\n protection: (1, 2\n", head);
	assert_int_equal(zi_parse(buf, &err), BT_E_PARSE);
	snprintf(buf, sizeof(buf), "%s managed 9\n protection: "
		 "(1,2,3,4,5,6,7,8,9)\n", head);
	assert_int_equal(zi_parse(buf, &err), BT_E_RANGE);
	snprintf(buf, sizeof(buf), "%s managed 9\n count: 4\n", head);
	assert_int_equal(zi_parse(buf, &err), BT_E_PARSE);
	snprintf(buf, sizeof(buf), "%s managed 9\n%s managed 9\n", head, head);
	assert_int_equal(zi_parse(buf, &err), BT_E_PARSE);
	snprintf(buf, sizeof(buf), "%s managed 9\n", head);
	assert_int_equal(zi_parse(buf, &err), 0);

	bt_proc_table_init(&t);
	assert_int_equal(bt_buddyinfo_parse(&t, "Node 0, zone DMA 1 2\n"
					    "Node 0, zone DMA32 1 2 3\n", 47,
					    &err), BT_E_PARSE);
	assert_int_equal(err.line, 2);
	assert_int_equal(t.nr_zones, 0);
	/* a NUL byte inside a number */
	memcpy(buf, "Node 0, zone DMA 1 2\0 3\n", 24);
	assert_int_equal(bt_buddyinfo_parse(&t, buf, 24, &err), BT_E_PARSE);
	assert_int_equal(err.line, 1);
	assert_int_equal(bt_buddyinfo_parse(&t, "Node 0, zone DMA 1 -2\n", 22,
					    &err), BT_E_PARSE);
	assert_int_equal(bt_buddyinfo_parse(&t, "Node -1, zone DMA 1\n", 20,
					    &err), BT_E_PARSE);
	assert_int_equal(bt_buddyinfo_parse(&t, "Node 0, zone "
					    "AVeryLongZoneNameIndeed 1\n",
					    40, &err), BT_E_PARSE);
	memset(buf, '1', sizeof(buf));
	memcpy(buf, "Node 0, zone DMA ", 17);
	for (int i = 18; i < 511; i += 2)
		buf[i] = ' ';
	assert_int_equal(bt_buddyinfo_parse(&t, buf, sizeof(buf), &err),
			 BT_E_RANGE);
	assert_int_equal(bt_fragindex_parse(&t, "Node 0, zone DMA 7.000\n", 23,
					    &err), BT_E_RANGE);
	assert_int_equal(bt_fragindex_parse(&t, "Node 0, zone DMA 0.5\n", 21,
					    &err), BT_E_PARSE);
	bt_proc_table_release(&t);
}

/* Random byte edits of every sample: any result but a crash is fine. */
static void test_mutations(void **state)
{
	static const char *const files[] = {
		"6.18-zoneinfo", "4.12-zoneinfo", "6.18-buddyinfo",
		"6.18-pagetypeinfo", "6.18-quiet-extfrag_index",
		"6.18-sysctl_vm", "6.18-meminfo",
	};
	static const char junk[] = " \n\t:,()>.-0123456789xN";
	unsigned int seed = 12345, f, round;

	(void)state;
	for (f = 0; f < BT_ARRAY_SIZE(files); f++) {
		struct bt_buf b;

		load(files[f], &b);
		for (round = 0; round < 300; round++) {
			char *c = bt_xmalloc(b.len + 1);
			size_t len = b.len, k;
			struct bt_zoneinfo zi;
			struct bt_proc_table t;
			struct bt_pagetypeinfo pt;
			struct bt_kvlist l;

			memcpy(c, b.data, b.len);
			for (k = 0; k < 4 && len; k++) {
				seed = seed * 1103515245 + 12345;
				c[(seed >> 8) % len] =
					junk[(seed >> 20) % (sizeof(junk) - 1)];
			}
			if (round % 3 == 0)
				len = (seed >> 4) % (len + 1);
			bt_zoneinfo_init(&zi);
			bt_proc_table_init(&t);
			bt_pagetypeinfo_init(&pt);
			bt_kvlist_init(&l);
			bt_zoneinfo_parse(&zi, c, len, NULL);
			bt_buddyinfo_parse(&t, c, len, NULL);
			bt_fragindex_parse(&t, c, len, NULL);
			bt_pagetypeinfo_parse(&pt, c, len, NULL);
			bt_sysctl_parse(&l, c, len, NULL);
			bt_vmstat_parse(&l, c, len, NULL);
			bt_meminfo_parse(&l, c, len, NULL);
			bt_zoneinfo_release(&zi);
			bt_proc_table_release(&t);
			bt_pagetypeinfo_release(&pt);
			bt_kvlist_release(&l);
			free(c);
		}
		bt_buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zoneinfo_618),
		cmocka_unit_test(test_zoneinfo_412),
		cmocka_unit_test(test_buddyinfo_pagetypeinfo),
		cmocka_unit_test(test_fragindex),
		cmocka_unit_test(test_kv),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("common-procfs", tests, NULL, NULL);
}
