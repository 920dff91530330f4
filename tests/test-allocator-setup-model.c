// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-setup-model.c - a model set up from /proc samples: zones
 * from zoneinfo, free blocks from a free-page map, from "pfn order"
 * lines, and placed from buddyinfo and pagetypeinfo counts. Every setup
 * must leave the model's nr_free per order equal to buddyinfo, its
 * pageblock types equal to pagetypeinfo's counts, and bt_buddy_check()
 * happy; the fragmentation metrics of the model then equal debugfs.
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
#include "allocator/buddy.h"
#include "tests/test-proc-util.h"

struct fixture {
	struct bt_zoneinfo zi;
	struct bt_proc_table bi;
	struct bt_pagetypeinfo pt;
	struct bt_buddy *b;
};

static void fixture_init(struct fixture *f, const char *zoneinfo,
			 const char *buddyinfo, enum bt_buddy_profile prof)
{
	struct bt_buddy_config cfg;
	struct bt_buf zb, bb, pb;

	bt_zoneinfo_init(&f->zi);
	bt_proc_table_init(&f->bi);
	bt_pagetypeinfo_init(&f->pt);
	load(zoneinfo, &zb);
	load(buddyinfo, &bb);
	load("6.18-pagetypeinfo", &pb);
	assert_int_equal(bt_zoneinfo_parse(&f->zi, (char *)zb.data, zb.len,
					   NULL), 0);
	assert_int_equal(bt_buddyinfo_parse(&f->bi, (char *)bb.data, bb.len,
					    NULL), 0);
	assert_int_equal(bt_pagetypeinfo_parse(&f->pt, (char *)pb.data,
					       pb.len, NULL), 0);
	bt_buf_release(&zb);
	bt_buf_release(&bb);
	bt_buf_release(&pb);
	bt_buddy_config_init(&cfg, prof);
	cfg.nr_cpus = 2;
	f->b = bt_buddy_new(&cfg);
	assert_non_null(f->b);
}

static void fixture_release(struct fixture *f)
{
	bt_buddy_free_model(f->b);
	bt_zoneinfo_release(&f->zi);
	bt_proc_table_release(&f->bi);
	bt_pagetypeinfo_release(&f->pt);
}

static void assert_check(const struct bt_buddy *b)
{
	char err[256] = "";

	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("bt_buddy_check: %s", err);
}

/*
 * Pageblocks per type as pagetypeinfo counts them: from the zone's first
 * pfn in steps of a pageblock (so a partial first pageblock counts).
 */
static void kernel_blockcount(const struct bt_buddy *b, int zid,
			      uint64_t count[BT_MT_TYPES])
{
	struct bt_zone_info zi;
	uint64_t pfn;

	memset(count, 0, BT_MT_TYPES * sizeof(count[0]));
	assert_int_equal(bt_buddy_zone_info(b, zid, &zi), 0);
	for (pfn = zi.start_pfn; pfn < zi.start_pfn + zi.spanned; pfn += 512)
		count[bt_buddy_pageblock_mt(b, pfn)]++;
}

/* nr_free of zone @name equals buddyinfo's row. */
static void assert_buddyinfo(const struct fixture *f, const char *name)
{
	const struct bt_proc_orders *row = bt_proc_table_find(&f->bi, 0, name);
	struct bt_zone_info zi;
	int zid = bt_buddy_find_zone(f->b, 0, bt_setup_zone_type(name));
	unsigned int o;

	assert_non_null(row);
	assert_true(zid >= 0);
	assert_int_equal(bt_buddy_zone_info(f->b, zid, &zi), 0);
	for (o = 0; o < BT_BUDDY_NR_ORDERS; o++)
		if ((int64_t)zi.nr_free[o] != row->v[o])
			fail_msg("zone %s order %u: %llu free blocks, buddyinfo "
				 "%lld", name, o,
				 (unsigned long long)zi.nr_free[o],
				 (long long)row->v[o]);
}

static void test_zones(void **state)
{
	struct bt_zone_info zi;
	struct fixture f;
	int zid;

	(void)state;
	fixture_init(&f, "6.18-zoneinfo", "6.18-buddyinfo", BT_PROFILE_6X);
	/* DMA, DMA32, Normal; Movable spans nothing, Device is not modelled */
	assert_int_equal(bt_setup_zones(f.b, &f.zi), 3);
	zid = bt_buddy_find_zone(f.b, 0, BT_ZONE_DMA32);
	assert_int_equal(bt_buddy_zone_info(f.b, zid, &zi), 0);
	assert_int_equal(zi.start_pfn, 4096);
	assert_int_equal(zi.spanned, 1044480);
	assert_int_equal(zi.managed, 772917);
	assert_int_equal(zi.wmark_min, 10857);
	assert_int_equal(zi.wmark_high, 16285);
	assert_int_equal(zi.protection[2], 1664);
	assert_int_equal(zi.pcp_batch, 63);
	assert_int_equal(zi.pcp_high_min, 6785);
	assert_int_equal(zi.pcp_high_max, 48307);
	/* all pages start allocated */
	assert_int_equal(zi.free_pages, 0);
	assert_check(f.b);
	/* a second time: every zone exists already */
	assert_int_equal(bt_setup_zones(f.b, &f.zi), -EEXIST);
	fixture_release(&f);
}

static void test_zones_412(void **state)
{
	struct bt_zone_info zi;
	struct fixture f;
	int zid;

	(void)state;
	fixture_init(&f, "4.12-zoneinfo", "6.18-buddyinfo", BT_PROFILE_4_12);
	assert_int_equal(bt_setup_zones(f.b, &f.zi), 3);
	zid = bt_buddy_find_zone(f.b, 0, BT_ZONE_DMA);
	assert_int_equal(bt_buddy_zone_info(f.b, zid, &zi), 0);
	assert_int_equal(zi.wmark_low, 81);
	assert_int_equal(zi.protection[3], 3981);
	assert_int_equal(zi.pcp_batch, 1);
	fixture_release(&f);
}

/* Counts path: every order and type as buddyinfo and pagetypeinfo say. */
static void test_counts(void **state)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal" };
	struct bt_setup_stats st;
	struct fixture f;
	unsigned int i, o;

	(void)state;
	fixture_init(&f, "6.18-zoneinfo", "6.18-buddyinfo", BT_PROFILE_6X);
	assert_int_equal(bt_setup_zones(f.b, &f.zi), 3);
	assert_int_equal(bt_setup_free_counts(f.b, &f.bi, &f.pt, &st), 0);
	assert_check(f.b);
	for (i = 0; i < 3; i++)
		assert_buddyinfo(&f, names[i]);
	assert_int_equal(st.spilled, 0);
	for (i = 0; i < 3; i++) {
		const struct bt_proc_ptzone *pz =
			bt_pagetypeinfo_find(&f.pt, 0, names[i]);
		int zid = bt_buddy_find_zone(f.b, 0, bt_setup_zone_type(
						     names[i]));
		struct bt_zone_info zi;
		uint64_t count[BT_MT_TYPES];

		assert_int_equal(bt_buddy_zone_info(f.b, zid, &zi), 0);
		kernel_blockcount(f.b, zid, count);
		/* pagetypeinfo columns 0..2: Unmovable, Movable, Reclaimable */
		assert_int_equal(count[BT_MT_UNMOVABLE], pz->blocks[0]);
		assert_int_equal(count[BT_MT_RECLAIMABLE], pz->blocks[2]);
		for (o = 0; o < 11; o++) {
			assert_int_equal(zi.nr_free_mt[o][BT_MT_UNMOVABLE],
					 pz->free[0][o]);
			assert_int_equal(zi.nr_free_mt[o][BT_MT_RECLAIMABLE],
					 pz->free[2][o]);
		}
	}
	/* Normal holds 66 + 45 typed pageblocks; DMA 1 */
	assert_int_equal(st.pageblocks_typed, 66 + 45 + 1);
	fixture_release(&f);
}

/* Free-page map: the committed DMA kpageflags. */
static void test_map(void **state)
{
	struct bt_setup_stats st;
	struct bt_zone_info zi;
	struct bt_buf kpf, dbi;
	struct fixture f;
	int zid;

	(void)state;
	fixture_init(&f, "6.18-zoneinfo", "6.18-kpageflags-dma-buddyinfo",
		     BT_PROFILE_6X);
	assert_int_equal(bt_setup_zones(f.b, &f.zi), 3);
	load("6.18-kpageflags-dma", &kpf);
	assert_int_equal(bt_setup_free_map(f.b, kpf.data, kpf.len, 0, &f.pt,
					   &st), 0);
	assert_check(f.b);
	assert_buddyinfo(&f, "DMA");
	assert_int_equal(st.pages, 3840);
	assert_int_equal(st.blocks, 5);
	zid = bt_buddy_find_zone(f.b, 0, BT_ZONE_DMA);
	assert_int_equal(bt_buddy_zone_info(f.b, zid, &zi), 0);
	assert_int_equal(zi.free_pages, 3840);
	/*
	 * The unmovable pageblock is the one with the fewest free pages:
	 * the first (pfns 1-511), whose only free block is 256 (order 8),
	 * as the real pagetypeinfo says: one unmovable order-8 block.
	 */
	assert_int_equal(bt_buddy_pageblock_mt(f.b, 1), BT_MT_UNMOVABLE);
	assert_int_equal(bt_buddy_pageblock_mt(f.b, 512), BT_MT_MOVABLE);
	assert_int_equal(zi.nr_free_mt[8][BT_MT_UNMOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[9][BT_MT_MOVABLE], 1);
	assert_int_equal(zi.nr_free_mt[10][BT_MT_MOVABLE], 3);
	bt_buf_release(&kpf);
	(void)dbi;
	fixture_release(&f);
}

/* "pfn order" lines, and what is wrong with bad ones. */
static void test_list(void **state)
{
	static const char good[] = "512 9\n1024 10\n2048 10\n3072 10\n"
				   "256 8\n";
	struct bt_proc_error err = { 0, "" };
	struct bt_setup_stats st;
	struct fixture f;

	(void)state;
	fixture_init(&f, "6.18-zoneinfo", "6.18-kpageflags-dma-buddyinfo",
		     BT_PROFILE_6X);
	assert_int_equal(bt_setup_zones(f.b, &f.zi), 3);
	assert_int_equal(bt_setup_free_list(f.b, "1 2\nx 3\n", 8, NULL, &st,
					    &err), BT_E_PARSE);
	assert_int_equal(err.line, 2);
	/* blank lines count; a bad last line needs no newline */
	assert_int_equal(bt_setup_free_list(f.b, "1 2\n\n5 x", 9, NULL, &st,
					    &err), BT_E_PARSE);
	assert_int_equal(err.line, 3);
	assert_int_equal(bt_setup_free_list(f.b, "4096 11\n", 8, NULL, &st,
					    &err), BT_E_PARSE);
	/* misaligned: the model refuses it */
	assert_int_equal(bt_setup_free_list(f.b, "513 9\n", 6, NULL, &st,
					    &err), -EINVAL);
	bt_buddy_free_model(f.b);
	{
		struct bt_buddy_config cfg;

		bt_buddy_config_init(&cfg, BT_PROFILE_6X);
		f.b = bt_buddy_new(&cfg);
	}
	assert_int_equal(bt_setup_zones(f.b, &f.zi), 3);
	assert_int_equal(bt_setup_free_list(f.b, good, strlen(good), &f.pt,
					    &st, &err), 0);
	assert_int_equal(st.pages, 3840);
	assert_buddyinfo(&f, "DMA");
	assert_check(f.b);
	fixture_release(&f);
}

/*
 * Free-block lists no kernel could have produced, each on a fresh model:
 * the same block twice and a block inside another are refused with
 * -EEXIST; pfn 0, below DMA's start_pfn 1, lies in no zone and is
 * counted as outside, not added.
 */
static void test_list_overlap(void **state)
{
	static const struct {
		const char *text;
		int ret;
		uint64_t outside, blocks;
	} c[] = {
		{ "512 9\n512 9\n", -EEXIST, 0, 0 },
		{ "512 9\n768 8\n", -EEXIST, 0, 0 },
		{ "0 0\n512 9\n", 0, 1, 1 },
	};
	struct bt_proc_error err = { 0, "" };
	struct bt_setup_stats st;
	struct fixture f;
	size_t i;

	(void)state;
	for (i = 0; i < BT_ARRAY_SIZE(c); i++) {
		fixture_init(&f, "6.18-zoneinfo",
			     "6.18-kpageflags-dma-buddyinfo", BT_PROFILE_6X);
		assert_int_equal(bt_setup_zones(f.b, &f.zi), 3);
		assert_int_equal(bt_setup_free_list(f.b, c[i].text,
						    strlen(c[i].text), NULL,
						    &st, &err), c[i].ret);
		if (!c[i].ret) {
			assert_int_equal(st.outside, c[i].outside);
			assert_int_equal(st.blocks, c[i].blocks);
			assert_int_equal(st.pages, 512);
			assert_check(f.b);
		}
		fixture_release(&f);
	}
}

/* Model metrics after a counts setup equal debugfs for that buddyinfo. */
static void test_metrics(void **state)
{
	struct bt_proc_table ui, ei;
	struct bt_setup_stats st;
	struct bt_zone_frag fr;
	struct fixture f;
	struct bt_buf ub, eb;
	unsigned int o;
	int zid;

	(void)state;
	fixture_init(&f, "6.18-zoneinfo", "6.18-quiet-buddyinfo",
		     BT_PROFILE_6X);
	assert_int_equal(bt_setup_zones(f.b, &f.zi), 3);
	assert_int_equal(bt_setup_free_counts(f.b, &f.bi, NULL, &st), 0);
	assert_check(f.b);
	load("6.18-quiet-unusable_index", &ub);
	load("6.18-quiet-extfrag_index", &eb);
	bt_proc_table_init(&ui);
	bt_proc_table_init(&ei);
	assert_int_equal(bt_fragindex_parse(&ui, (char *)ub.data, ub.len,
					    NULL), 0);
	assert_int_equal(bt_fragindex_parse(&ei, (char *)eb.data, eb.len,
					    NULL), 0);
	zid = bt_buddy_find_zone(f.b, 0, BT_ZONE_NORMAL);
	assert_int_equal(bt_buddy_zone_frag(f.b, zid, &fr), 0);
	for (o = 0; o < 11; o++) {
		assert_int_equal(fr.unusable[o],
				 bt_proc_table_find(&ui, 0, "Normal")->v[o]);
		assert_int_equal(fr.fragindex[o],
				 bt_proc_table_find(&ei, 0, "Normal")->v[o]);
	}
	/* without pagetypeinfo every free page is MOVABLE */
	assert_int_equal(fr.free_pages_mt[BT_MT_UNMOVABLE][0], 0);
	assert_int_equal(fr.free_pages_mt[BT_MT_MOVABLE][10], 27 * 1024);
	/* huge: orders 9 and 10 over all free pages of the quiet Normal */
	assert_int_equal(fr.huge.huge_pages, 3 * 512 + 27 * 1024);
	/* nothing allocated is known to the model: no mixed pageblock */
	assert_int_equal(fr.mixed[BT_MT_MOVABLE], 0);
	/* an unmovable allocation in a movable pageblock makes it mixed */
	assert_true(bt_buddy_mark_allocated(f.b, 1048576, 0,
					    BT_MT_UNMOVABLE) >= 0);
	assert_int_equal(bt_buddy_zone_frag(f.b, zid, &fr), 0);
	assert_int_equal(fr.mixed[BT_MT_MOVABLE], 1);
	bt_proc_table_release(&ui);
	bt_proc_table_release(&ei);
	bt_buf_release(&ub);
	bt_buf_release(&eb);
	fixture_release(&f);
}

/* Random "pfn order" lines: accepted or refused, the model stays sound. */
static void test_list_fuzz(void **state)
{
	unsigned int seed = 99, round;
	struct fixture f;

	(void)state;
	fixture_init(&f, "6.18-zoneinfo", "6.18-buddyinfo", BT_PROFILE_6X);
	bt_buddy_free_model(f.b);
	for (round = 0; round < 300; round++) {
		struct bt_buddy_config cfg;
		struct bt_setup_stats st;
		struct bt_buf t;
		char err[256] = "";
		unsigned int k;

		bt_buddy_config_init(&cfg, BT_PROFILE_6X);
		f.b = bt_buddy_new(&cfg);
		assert_int_equal(bt_setup_zones(f.b, &f.zi), 3);
		bt_buf_init(&t);
		for (k = 0; k < 20; k++) {
			seed = seed * 1103515245 + 12345;
			if (seed % 7 == 0)
				bt_buf_printf(&t, "%u x\n", seed);
			else
				bt_buf_printf(&t, "%u %u\n", (seed >> 4) % 9000,
					      (seed >> 16) % 12);
		}
		if (!bt_setup_free_list(f.b, (char *)t.data, t.len, &f.pt, &st,
					NULL) &&
		    bt_buddy_check(f.b, err, sizeof(err)))
			fail_msg("accepted list broke the model: %s", err);
		bt_buf_release(&t);
		bt_buddy_free_model(f.b);
	}
	f.b = NULL;
	fixture_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_zones_412),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_overlap),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_list_fuzz),
	};

	return cmocka_run_group_tests_name("allocator-setup-model", tests,
					   NULL, NULL);
}
