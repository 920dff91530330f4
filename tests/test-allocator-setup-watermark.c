// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-setup-watermark.c - watermarks, protection, pcp sizes
 * and min_free_kbytes computed by allocator/watermark.c:
 *   - worked examples by hand from the formulas of ALLOCATOR-SPEC.md 2.1,
 *     2.2, 1.5 and 10.2;
 *   - equal to what the kernel recorded in the committed 6.18 zoneinfo
 *     (with its sysctls) and in the hand-made 4.12 zoneinfo;
 *   - equal to this machine's live /proc/zoneinfo and /proc/sys/vm.
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

static void test_int_sqrt(void **state)
{
	(void)state;
	assert_int_equal(bt_int_sqrt(0), 0);
	assert_int_equal(bt_int_sqrt(1), 1);
	assert_int_equal(bt_int_sqrt(15), 3);
	assert_int_equal(bt_int_sqrt(16), 4);
	assert_int_equal(bt_int_sqrt(16777216), 4096);
	assert_int_equal(bt_int_sqrt(UINT64_MAX), 4294967295u);
}

/*
 * One node, Normal of 1 GiB (262144 pages) and an empty Movable, 4 CPUs,
 * min_free_kbytes 4096 (what the sqrt rule gives for 1 GiB):
 *   pages_min = 1024; share of Normal = 1024 * 262144 / 262144 = 1024;
 *   step = max(1024 / 4 = 256, 262144 * 10 / 10000 = 262) = 262;
 *   low = 1286, high = 1548, promo = 1810.
 *   batch: 262144 >> 12 = 64 -> rounddown_pow2(96) - 1 = 63;
 *   high_min = max(1286 / 4 = 321, 4 * 63) = 321;
 *   high_max = 262144 / 8 / 4 = 8192.
 *   Movable: min = clamp(0 / 1024, 32, 128) = 32, step from share 0 and
 *   managed 0 = 0: low = high = 32.
 *   Protection of Normal against Movable: ratio 32, managed 0 -> 0.
 */
static void test_worked_6x(void **state)
{
	struct bt_wmark_zone z[2];
	struct bt_wmark_params p;

	(void)state;
	memset(z, 0, sizeof(z));
	z[0].idx = 2;
	z[0].managed = z[0].present = 262144;
	z[1].idx = 3;
	z[1].movable = true;
	bt_wmark_params_default(&p, BT_WMARK_RULES_6X);
	p.min_free_kbytes = 4096;
	p.nr_node_cpus = p.nr_online_cpus = 4;
	assert_int_equal(bt_wmark_compute(z, 2, 5, &p), 0);
	assert_int_equal(z[0].min, 1024);
	assert_int_equal(z[0].low, 1286);
	assert_int_equal(z[0].high, 1548);
	assert_int_equal(z[0].promo, 1810);
	assert_int_equal(z[0].pcp_batch, 63);
	assert_int_equal(z[0].pcp_high_min, 321);
	assert_int_equal(z[0].pcp_high_max, 8192);
	assert_int_equal(z[1].min, 32);
	assert_int_equal(z[1].low, 32);
	assert_int_equal(z[1].high, 32);
	assert_int_equal(z[1].pcp_batch, 1);	/* boot pageset */
	assert_int_equal(z[1].pcp_high_min, 0);
	assert_int_equal(z[0].nr_protection, 5);
	assert_int_equal(z[0].protection[3], 0);
	/* sqrt(16 * 1048576 KiB) = 4096 */
	assert_int_equal(bt_wmark_min_free_kbytes_sqrt(z, 2, &p), 4096);
	/*
	 * khugepaged: one zone up to Normal: 512 * 2 + 512 * 9 = 5632 pages,
	 * under 5% of (262144 - 1548) = 13029; 5632 * 4 = 22528 KiB.
	 */
	assert_int_equal(bt_wmark_min_free_kbytes_thp(z, 2, &p, 9), 22528);
	/* watermark_scale_factor 100: step = 2621, low = 3645 */
	p.watermark_scale_factor = 100;
	assert_int_equal(bt_wmark_compute(z, 2, 5, &p), 0);
	assert_int_equal(z[0].low, 1024 + 2621);
	/*
	 * The same zone on node 1 of a machine whose node 1 has 6 CPUs:
	 * high_min = max(1286 / 6 = 214, 4 * 63 = 252) = 252; high_max =
	 * 32768 / 6 = 5461. A node without CPUs splits over all 4 online.
	 */
	p.watermark_scale_factor = 10;
	z[0].node = z[1].node = 1;
	p.nr_nodes = 2;
	p.node_cpus[0] = 2;
	p.node_cpus[1] = 6;
	assert_int_equal(bt_wmark_compute(z, 2, 5, &p), 0);
	assert_int_equal(z[0].pcp_high_min, 252);
	assert_int_equal(z[0].pcp_high_max, 5461);
	p.node_cpus[1] = 0;
	assert_int_equal(bt_wmark_compute(z, 2, 5, &p), 0);
	assert_int_equal(z[0].pcp_high_min, 321);
	p.watermark_scale_factor = 100;
	/* a pcp fraction of 16: high_min = high_max = 262144 / 16 / 4 */
	p.pcp_fraction = 16;
	assert_int_equal(bt_wmark_compute(z, 2, 5, &p), 0);
	assert_int_equal(z[0].pcp_high_min, 4096);
	assert_int_equal(z[0].pcp_high_max, 4096);
}

/*
 * pcp sizes by kernel version, for the 1 GiB Normal zone above (low 1286,
 * 4 CPUs):
 *   6.6 (5.14 .. 6.6): one high = max(1286 / 4, 4 * 63) = 321;
 *   5.10: high = 6 * 63 = 378; with percpu_pagelist_fraction 16:
 *         high = 262144 / 16 = 16384, batch = min(16384 / 4, 12 * 8) = 96;
 *   4.12 rules: batch min(256, 128) / 4 = 32 -> 31, high 186; from 4.19
 *         ("double zone's batchsize") min(256, 256) / 4 = 64 -> 63, 378.
 */
static void test_worked_versions(void **state)
{
	struct bt_wmark_zone z;
	struct bt_wmark_params p;

	(void)state;
	memset(&z, 0, sizeof(z));
	z.idx = 2;
	z.managed = z.present = 262144;
	bt_wmark_params_default(&p, BT_WMARK_RULES_6X);
	p.min_free_kbytes = 4096;
	p.nr_node_cpus = p.nr_online_cpus = 4;
	p.kver = BT_KVER(6, 6, 0);
	assert_int_equal(bt_wmark_compute(&z, 1, 5, &p), 0);
	assert_int_equal(z.low, 1286);
	assert_int_equal(z.pcp_high_min, 321);
	assert_int_equal(z.pcp_high_max, 321);
	p.kver = BT_KVER(5, 10, 0);
	assert_int_equal(bt_wmark_compute(&z, 1, 5, &p), 0);
	assert_int_equal(z.pcp_batch, 63);
	assert_int_equal(z.pcp_high_min, 378);
	p.pcp_fraction = 16;
	assert_int_equal(bt_wmark_compute(&z, 1, 5, &p), 0);
	assert_int_equal(z.pcp_high_min, 16384);
	assert_int_equal(z.pcp_batch, 96);
	bt_wmark_params_default(&p, BT_WMARK_RULES_4_12);
	p.min_free_kbytes = 4096;
	assert_int_equal(bt_wmark_compute(&z, 1, 4, &p), 0);
	assert_int_equal(z.pcp_batch, 31);
	assert_int_equal(z.pcp_high_min, 186);
	p.kver = BT_KVER(4, 19, 0);
	assert_int_equal(bt_wmark_compute(&z, 1, 4, &p), 0);
	assert_int_equal(z.pcp_batch, 63);
	assert_int_equal(z.pcp_high_min, 378);
}

/*
 * Protection by hand: DMA 3840, DMA32 772917, Normal 327680 managed pages,
 * ratios 256 256 32 0 0. DMA against DMA32: 772917 / 256 = 3019; against
 * Normal and above: (772917 + 327680) / 256 = 4299. DMA32 against Normal:
 * 327680 / 256 = 1280. Normal against Movable: 0 / 32 = 0. With the DMA
 * ratio 0 (6.x) DMA's reserve is cleared; 4.12 takes a ratio below 1 as 1.
 */
static void test_worked_protection(void **state)
{
	struct bt_wmark_zone z[5];
	struct bt_wmark_params p;
	unsigned int i;

	(void)state;
	memset(z, 0, sizeof(z));
	for (i = 0; i < 5; i++)
		z[i].idx = i;
	z[0].managed = 3840;
	z[1].managed = 772917;
	z[2].managed = 327680;
	z[3].movable = true;
	z[4].device = true;
	bt_wmark_params_default(&p, BT_WMARK_RULES_6X);
	p.min_free_kbytes = 67584;
	assert_int_equal(bt_wmark_compute(z, 5, 5, &p), 0);
	assert_int_equal(z[0].protection[0], 0);
	assert_int_equal(z[0].protection[1], 3019);
	assert_int_equal(z[0].protection[2], 4299);
	assert_int_equal(z[0].protection[4], 4299);
	assert_int_equal(z[1].protection[1], 0);
	assert_int_equal(z[1].protection[2], 1280);
	assert_int_equal(z[2].protection[3], 0);
	/* min: 16896 * 772917 / 1104437 = 11824, as this machine printed */
	assert_int_equal(z[1].min, 11824);
	assert_int_equal(z[1].low, 11824 + 2956);
	p.lowmem_reserve_ratio[0] = 0;
	assert_int_equal(bt_wmark_compute(z, 5, 5, &p), 0);
	assert_int_equal(z[0].protection[1], 0);
	p.rules = BT_WMARK_RULES_4_12;
	assert_int_equal(bt_wmark_compute(z, 5, 5, &p), 0);
	assert_int_equal(z[0].protection[1], 772917);
	/* a zone index beyond the types is refused */
	z[4].idx = 7;
	assert_int_equal(bt_wmark_compute(z, 5, 5, &p), BT_E_RANGE);
}

struct computed {
	struct bt_zoneinfo zi;
	struct bt_kvlist sysctl;
	struct bt_wmark_zone z[16];
	struct bt_wmark_params p;
	unsigned int nr_types;
};

static int compute_from(struct computed *c, const char *zitext, size_t zilen,
			const char *sctext, size_t sclen)
{
	int ret;

	bt_zoneinfo_init(&c->zi);
	bt_kvlist_init(&c->sysctl);
	ret = bt_zoneinfo_parse(&c->zi, zitext, zilen, NULL);
	if (!ret)
		ret = bt_sysctl_parse(&c->sysctl, sctext, sclen, NULL);
	if (ret)
		return ret;
	assert_true(c->zi.nr_zones <= 16);
	bt_wmark_params_default(&c->p, bt_wmark_rules_of_zoneinfo(&c->zi));
	assert_true(bt_wmark_params_from_sysctl(&c->p, &c->sysctl));
	bt_wmark_cpus_of_zoneinfo(&c->zi, &c->p);
	ret = bt_wmark_zones_from_zoneinfo(&c->zi, c->z, &c->nr_types);
	if (!ret)
		ret = bt_wmark_compute(c->z, c->zi.nr_zones, c->nr_types,
				       &c->p);
	return ret;
}

static void computed_release(struct computed *c)
{
	bt_zoneinfo_release(&c->zi);
	bt_kvlist_release(&c->sysctl);
}

/* Number of zones whose recorded values differ from the computed ones. */
static unsigned int mismatches(const struct computed *c, bool verbose)
{
	unsigned int i, k, bad = 0;

	for (i = 0; i < c->zi.nr_zones; i++) {
		const struct bt_proc_zone *r = &c->zi.zones[i];
		const struct bt_wmark_zone *z = &c->z[i];
		bool ok = r->min - r->boost == z->min &&
			  r->low - r->boost == z->low &&
			  r->high - r->boost == z->high &&
			  (!r->has_promo || r->promo - r->boost == z->promo) &&
			  r->nr_protection == z->nr_protection;

		for (k = 0; ok && k < r->nr_protection; k++)
			ok = r->protection[k] == z->protection[k];
		for (k = 0; ok && k < r->nr_pcp; k++) {
			const struct bt_proc_pcp *pc = &r->pcp[k];

			ok = pc->batch == z->pcp_batch &&
			     (pc->has_high_min ?
			      pc->high_min == z->pcp_high_min &&
			      pc->high_max == z->pcp_high_max :
			      pc->high == z->pcp_high_min);
		}
		if (!ok && verbose)
			print_message("zone %s: recorded min %lu, computed "
				      "%lu\n", r->name, (unsigned long)r->min,
				      (unsigned long)z->min);
		bad += !ok;
	}
	return bad;
}

static void check_sample(const char *zname, const char *sname,
			 unsigned int nr_zones, unsigned int nr_types)
{
	struct computed c;
	struct bt_buf zb, sb;
	uint64_t boot;

	load(zname, &zb);
	load(sname, &sb);
	assert_int_equal(compute_from(&c, (char *)zb.data, zb.len,
				      (char *)sb.data, sb.len), 0);
	assert_int_equal(c.zi.nr_zones, nr_zones);
	assert_int_equal(c.nr_types, nr_types);
	assert_int_equal(mismatches(&c, true), 0);
	/*
	 * The recorded min_free_kbytes (67584) is khugepaged's: 3 zones up
	 * to Normal, (2 + 9) pageblocks of 512 pages each, 4 KiB per page.
	 */
	boot = bt_wmark_boot_min_free_kbytes(c.z, c.zi.nr_zones, nr_types,
					     &c.p, true, 9);
	assert_int_equal(boot, 67584);
	assert_int_equal(boot, 3 * 11 * 512 * 4);
	assert_int_equal(mismatches(&c, true), 0);
	/* without THP the sqrt rule alone gives far less */
	boot = bt_wmark_boot_min_free_kbytes(c.z, c.zi.nr_zones, nr_types,
					     &c.p, false, 9);
	assert_true(boot < 67584);
	assert_true(mismatches(&c, false) > 0);
	computed_release(&c);
	bt_buf_release(&zb);
	bt_buf_release(&sb);
}

static void test_sample_618(void **state)
{
	(void)state;
	check_sample("6.18-zoneinfo", "6.18-sysctl_vm", 5, 5);
}

/*
 * The 4.12 sample was worked out by hand: lowmem 1023115 pages; DMA32
 * min = 16896 * 763913 / 1023115 = 12615, step = max(3153, 763) = 3153,
 * low 15768, high 18921; batch min(746, 128) / 4 = 32 -> 31, high 186;
 * DMA batch 3 / 4 = 0 -> 1 -> rounddown_pow2(1) - 1 = 0: high 0, batch 1.
 */
static void test_sample_412(void **state)
{
	(void)state;
	check_sample("4.12-zoneinfo", "4.12-sysctl_vm", 3, 4);
}

static void read_sysctls(struct bt_buf *out)
{
	static const char *const names[] = {
		"min_free_kbytes", "watermark_scale_factor",
		"lowmem_reserve_ratio", "percpu_pagelist_high_fraction",
	};
	unsigned int i;

	bt_buf_init(out);
	for (i = 0; i < BT_ARRAY_SIZE(names); i++) {
		char path[128];
		struct bt_buf v;

		snprintf(path, sizeof(path), "/proc/sys/vm/%s", names[i]);
		bt_buf_init(&v);
		if (!bt_read_file(path, &v)) {
			bt_buf_printf(out, "%s %.*s\n", names[i],
				      (int)v.len, (char *)v.data);
		}
		bt_buf_release(&v);
	}
}

/* This machine: computed must equal what the kernel shows right now. */
static void test_live(void **state)
{
	unsigned int attempt, bad = 1;

	(void)state;
	for (attempt = 0; attempt < 5 && bad; attempt++) {
		struct bt_buf zb, sb;
		struct computed c;

		bt_buf_init(&zb);
		if (bt_read_file("/proc/zoneinfo", &zb)) {
			bt_buf_release(&zb);
			skip();
		}
		read_sysctls(&sb);
		assert_int_equal(compute_from(&c, (char *)zb.data, zb.len,
					      (char *)sb.data, sb.len), 0);
		/* managed pages may grow while zoneinfo is being read */
		bad = mismatches(&c, attempt == 4);
		computed_release(&c);
		bt_buf_release(&zb);
		bt_buf_release(&sb);
	}
	assert_int_equal(bad, 0);
}

/* Random edits of the samples: the report is built or refused, never a
 * crash, and a built report has one computed zone per recorded zone. */
static void test_mutations(void **state)
{
	static const char *const files[] = { "6.18-zoneinfo", "4.12-zoneinfo" };
	static const char junk[] = " \n:,()0123456789Node zone";
	unsigned int seed = 777, f, round;
	struct bt_wmark_input in;
	struct bt_buf sc;

	(void)state;
	load("6.18-sysctl_vm", &sc);
	memset(&in, 0, sizeof(in));
	in.sysctl = (char *)sc.data;
	in.sysctl_len = sc.len;
	in.rules = -1;
	for (f = 0; f < BT_ARRAY_SIZE(files); f++) {
		struct bt_buf b;

		load(files[f], &b);
		for (round = 0; round < 400; round++) {
			char *c = bt_xmalloc(b.len + 1);
			struct bt_wmark_report r;
			size_t k, len = b.len;

			memcpy(c, b.data, b.len);
			for (k = 0; k < 3; k++) {
				seed = seed * 1103515245 + 12345;
				c[(seed >> 8) % len] =
					junk[(seed >> 20) % (sizeof(junk) - 1)];
			}
			if (round % 4 == 0)
				len = (seed >> 3) % (len + 1);
			in.zoneinfo = c;
			in.zoneinfo_len = len;
			in.thp = round & 1;
			if (!bt_wmark_report_build(&r, &in, NULL))
				assert_true(r.nr_mismatch <= r.zi->nr_zones);
			bt_wmark_report_release(&r);
			free(c);
		}
		bt_buf_release(&b);
	}
	bt_buf_release(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_sqrt),
		cmocka_unit_test(test_worked_6x),
		cmocka_unit_test(test_worked_versions),
		cmocka_unit_test(test_worked_protection),
		cmocka_unit_test(test_sample_618),
		cmocka_unit_test(test_sample_412),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("allocator-setup-watermark", tests,
					   NULL, NULL);
}
