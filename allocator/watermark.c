// SPDX-License-Identifier: GPL-2.0-only
/*
 * watermark.c - per-zone watermarks, lowmem reserves (protection) and
 * per-CPU pageset sizes computed from the sysctls, exactly as the kernel
 * computes them, so that a knob ("what if min_free_kbytes were 4x?") can
 * change them and so that `buddytrace zones` can show recorded next to
 * computed values.
 *
 * Each function names the kernel function it mirrors and the versions it
 * holds for; integer types and the order of divisions follow the kernel,
 * since a value off by one page is a different watermark. Arithmetic is
 * unsigned 64-bit as in the kernel (wrapping, never undefined, on hostile
 * input). Nothing here models the user_min_free_kbytes bookkeeping: the
 * value given is the value used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buddy.h"
#include "../common/procfs.h"

#define SWAP_CLUSTER_MAX 32u
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8u
#define MIGRATE_PCPTYPES 3u

uint64_t bt_int_sqrt(uint64_t x)
{
	uint64_t r = 0, bit = 1ull << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

void bt_wmark_params_default(struct bt_wmark_params *p,
			     enum bt_wmark_rules rules)
{
	static const unsigned int ratio_6x[] = { 256, 256, 32, 0, 0 };
	static const unsigned int ratio_412[] = { 256, 256, 32 };

	memset(p, 0, sizeof(*p));
	p->rules = rules;
	p->watermark_scale_factor = 10;
	if (rules == BT_WMARK_RULES_4_12) {
		p->nr_ratio = BT_ARRAY_SIZE(ratio_412);
		memcpy(p->lowmem_reserve_ratio, ratio_412, sizeof(ratio_412));
	} else {
		p->nr_ratio = BT_ARRAY_SIZE(ratio_6x);
		memcpy(p->lowmem_reserve_ratio, ratio_6x, sizeof(ratio_6x));
	}
	p->nr_node_cpus = 1;
	p->nr_online_cpus = 1;
	p->page_shift = 12;
}

/* mult_frac(): x * n / d without overflowing the product first. */
static uint64_t mult_frac(uint64_t x, uint64_t n, uint64_t d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

static uint64_t rounddown_pow_of_two(uint64_t x)
{
	return x ? 1ull << (63 - __builtin_clzll(x)) : 0;
}

/* Zones a GFP_USER allocation may use: up to and including Normal. */
static bool zone_is_user(const struct bt_wmark_zone *z)
{
	return !z->highmem && !z->movable && !z->device;
}

/*
 * __setup_per_zone_wmarks() [v4.12, v5.x, v6.x]: pages_min is shared out
 * by managed pages over the lowmem zones; the gap between marks is the
 * larger of a quarter of that share and watermark_scale_factor/10000 of
 * the zone. 6.x (since 5.x) also excludes ZONE_MOVABLE from lowmem and
 * caps its min like highmem's; 4.12 has no PROMO mark.
 */
static void setup_wmarks(struct bt_wmark_zone *z, unsigned int nr,
			 const struct bt_wmark_params *p)
{
	uint64_t pages_min = p->min_free_kbytes >> (p->page_shift - 10);
	bool v6 = p->rules == BT_WMARK_RULES_6X;
	uint64_t lowmem = 0, share, step;
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (!z[i].highmem && (!v6 || !z[i].movable))
			lowmem += z[i].managed;
	for (i = 0; i < nr; i++) {
		share = lowmem ? pages_min * z[i].managed / lowmem : 0;
		if (z[i].highmem || (v6 && z[i].movable)) {
			uint64_t m = z[i].managed / 1024;

			z[i].min = BT_MIN(BT_MAX(m, SWAP_CLUSTER_MAX), 128u);
		} else {
			z[i].min = share;
		}
		step = BT_MAX(share >> 2,
			      mult_frac(z[i].managed, p->watermark_scale_factor,
					10000));
		z[i].low = z[i].min + step;
		z[i].high = z[i].min + step * 2;
		z[i].promo = v6 ? z[i].min + step * 3 : 0;
	}
}

/*
 * setup_per_zone_lowmem_reserve() [>= 5.11 incl. 6.x]: zone i keeps
 * (sum of managed pages of zones i+1..j) / ratio[i] pages against a
 * request whose highest zone is j; cleared when the ratio is 0 or zone i
 * has no managed pages. [4.12]: the same sums, but a ratio below 1 is
 * taken as 1 and empty zones are not cleared.
 */
static void node_reserve(struct bt_wmark_zone **byidx, unsigned int nr_types,
			 const struct bt_wmark_params *p)
{
	bool v6 = p->rules == BT_WMARK_RULES_6X;
	unsigned int i, j;

	for (i = 0; i < nr_types; i++) {
		uint64_t ratio = i < p->nr_ratio ? p->lowmem_reserve_ratio[i] : 0;
		uint64_t own = byidx[i] ? byidx[i]->managed : 0;
		bool clear = v6 && (!ratio || !own);
		uint64_t sum = 0;

		if (!v6 && ratio < 1)
			ratio = 1;
		if (!byidx[i])
			continue;
		byidx[i]->nr_protection = nr_types;
		memset(byidx[i]->protection, 0, sizeof(byidx[i]->protection));
		for (j = i + 1; j < nr_types; j++) {
			sum += byidx[j] ? byidx[j]->managed : 0;
			byidx[i]->protection[j] = clear ? 0 : sum / ratio;
		}
	}
}

static int setup_reserve(struct bt_wmark_zone *z, unsigned int nr,
			 unsigned int nr_types, const struct bt_wmark_params *p)
{
	struct bt_wmark_zone *byidx[BT_WMARK_MAX_ZONES];
	unsigned int i, k;

	if (nr_types == 0 || nr_types > BT_WMARK_MAX_ZONES)
		return BT_E_RANGE;
	for (i = 0; i < nr; i++) {
		bool first = true;

		/* the first zone of each node gathers the node's zones */
		for (k = 0; k < i; k++)
			if (z[k].node == z[i].node)
				first = false;
		if (!first)
			continue;
		memset(byidx, 0, sizeof(byidx));
		for (k = i; k < nr; k++) {
			if (z[k].node != z[i].node)
				continue;
			if (z[k].idx >= nr_types || byidx[z[k].idx])
				return BT_E_RANGE;
			byidx[z[k].idx] = &z[k];
		}
		node_reserve(byidx, nr_types, p);
	}
	return 0;
}

/* The kernel is older than @v (an unknown one counts as the newest). */
static bool older(const struct bt_wmark_params *p, uint32_t v)
{
	return p->kver && p->kver < v;
}

/*
 * zone_batchsize() [4.19 .. 6.19]: about managed/4096 capped at 1 MiB / 4
 * worth of pages, rounded to 2^n - 1 (63 for any zone of 1 GiB or more).
 * 6.18 spells it min(managed >> 12, SZ_256K / PAGE_SIZE), older kernels
 * min(managed >> 10, SZ_1M / PAGE_SIZE) / 4: the same integer. [4.12 ..
 * 4.18]: the cap is 512 KiB / 4 (31), until "mm, page_alloc: double
 * zone's batchsize". Callers take max(1, batch).
 */
static uint64_t zone_batchsize(const struct bt_wmark_zone *z,
			       const struct bt_wmark_params *p)
{
	uint64_t cap = (p->rules == BT_WMARK_RULES_4_12 &&
			(!p->kver || older(p, BT_KVER(4, 19, 0)))) ?
		       512ull * 1024 : 1024ull * 1024;
	uint64_t b = BT_MIN(z->managed / 1024, cap >> p->page_shift) / 4;

	if (b < 1)
		b = 1;
	return rounddown_pow_of_two(b + b / 2) - 1;
}

/*
 * zone_highsize() [5.14 .. 6.19]: the low watermark (or managed/fraction)
 * split over the CPUs of the zone's node (all online CPUs for a node
 * without any), at least 4 batches.
 */
static uint64_t zone_highsize(const struct bt_wmark_zone *z, uint64_t batch,
			      unsigned int fraction,
			      const struct bt_wmark_params *p)
{
	uint64_t total = fraction ? z->managed / fraction : z->low;
	uint64_t cpus = p->nr_node_cpus;

	if (z->node >= 0 && (unsigned int)z->node < p->nr_nodes)
		cpus = p->node_cpus[z->node];
	/* a node without CPUs splits over all online CPUs */
	if (!cpus)
		cpus = p->nr_online_cpus;
	return BT_MAX(total / (cpus ? cpus : 1), batch << 2);
}

/*
 * pageset_set_batch() / pageset_set_high() [4.12 .. 5.13]: high = 6 x the
 * raw batch (0 for a tiny zone), batch at least 1; with
 * percpu_pagelist_fraction f, high = managed / f and batch = high / 4
 * capped at PAGE_SHIFT * 8.
 */
static void pcp_fixed(struct bt_wmark_zone *z, uint64_t batch,
		      const struct bt_wmark_params *p)
{
	uint64_t f = p->pcp_fraction, high = 6 * batch;

	if (f) {
		high = z->managed / f;
		batch = BT_MAX(high / 4, 1u);
		if (high / 4 > p->page_shift * 8u)
			batch = p->page_shift * 8u;
	}
	z->pcp_high_min = z->pcp_high_max = high;
	z->pcp_batch = BT_MAX(batch, 1u);
}

/*
 * zone_set_pageset_high_and_batch() [6.7 .. 6.19]: high_min from the low
 * watermark, high_max from managed/8; both from the fraction when set.
 * [5.14 .. 6.6]: one high, zone_highsize() of the fraction (0: the low
 * watermark). Older kernels: pcp_fixed(). Unpopulated zones keep the boot
 * pageset: high 0, batch 1.
 */
static void setup_pcp(struct bt_wmark_zone *z, const struct bt_wmark_params *p)
{
	uint64_t batch, f = p->pcp_fraction;

	if (!z->present) {
		z->pcp_batch = 1;
		z->pcp_high_min = z->pcp_high_max = 0;
		return;
	}
	batch = zone_batchsize(z, p);
	if (p->rules == BT_WMARK_RULES_4_12 || older(p, BT_KVER(5, 14, 0))) {
		pcp_fixed(z, batch, p);
		return;
	}
	batch = BT_MAX(batch, 1u);
	z->pcp_batch = batch;
	if (f || older(p, BT_KVER(6, 7, 0))) {
		z->pcp_high_min = zone_highsize(z, batch, (unsigned int)f, p);
		z->pcp_high_max = z->pcp_high_min;
	} else {
		z->pcp_high_min = zone_highsize(z, batch, 0, p);
		z->pcp_high_max = zone_highsize(
			z, batch, MIN_PERCPU_PAGELIST_HIGH_FRACTION, p);
	}
}

int bt_wmark_compute(struct bt_wmark_zone *z, unsigned int nr,
		     unsigned int nr_types, const struct bt_wmark_params *p)
{
	unsigned int i;
	int ret;

	if (p->page_shift < 10 || p->page_shift > 30)
		return BT_E_RANGE;
	for (i = 0; i < nr; i++)
		z[i].nr_protection = 0;
	ret = setup_reserve(z, nr, nr_types, p);
	if (ret)
		return ret;
	setup_wmarks(z, nr, p);
	for (i = 0; i < nr; i++)
		setup_pcp(&z[i], p);
	return 0;
}

/*
 * nr_free_buffer_pages(): managed minus high watermark, summed over the
 * zones a GFP_USER allocation may use (every node's, as the zonelist of
 * the first node lists them all).
 */
static uint64_t free_buffer_pages(const struct bt_wmark_zone *z,
				  unsigned int nr, bool with_high)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		uint64_t high = with_high ? z[i].high : 0;

		if (zone_is_user(&z[i]) && z[i].managed > high)
			sum += z[i].managed - high;
	}
	return sum;
}

/*
 * calculate_min_free_kbytes() [6.x] / init_per_zone_wmark_min() [4.12]:
 * sqrt(16 * lowmem KiB), clamped to [128, 262144] ([128, 65536] in 4.12).
 * At boot no watermark is set yet, so lowmem is the managed pages.
 */
uint64_t bt_wmark_min_free_kbytes_sqrt(const struct bt_wmark_zone *z,
				       unsigned int nr,
				       const struct bt_wmark_params *p)
{
	uint64_t kb = free_buffer_pages(z, nr, false) << (p->page_shift - 10);
	uint64_t v = bt_int_sqrt(kb * 16);
	uint64_t cap = p->rules == BT_WMARK_RULES_4_12 ? 65536 : 262144;

	return BT_MIN(BT_MAX(v, 128u), cap);
}

/*
 * set_recommended_min_free_kbytes() (mm/khugepaged.c) [4.8 .. 6.19]:
 * per populated zone up to Normal, 2 pageblocks plus MIGRATE_PCPTYPES^2
 * pageblocks, at most 5% of nr_free_buffer_pages().
 */
uint64_t bt_wmark_min_free_kbytes_thp(const struct bt_wmark_zone *z,
				      unsigned int nr,
				      const struct bt_wmark_params *p,
				      unsigned int pageblock_order)
{
	uint64_t pb = 1ull << BT_MIN(pageblock_order, 30u), rec, nr_zones = 0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (z[i].present && zone_is_user(&z[i]))
			nr_zones++;
	rec = pb * nr_zones * 2;
	rec += pb * nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
	rec = BT_MIN(rec, free_buffer_pages(z, nr, true) / 20);
	return rec << (p->page_shift - 10);
}

uint64_t bt_wmark_boot_min_free_kbytes(struct bt_wmark_zone *z,
				       unsigned int nr, unsigned int nr_types,
				       struct bt_wmark_params *p, bool thp,
				       unsigned int pageblock_order)
{
	uint64_t rec;

	p->min_free_kbytes = bt_wmark_min_free_kbytes_sqrt(z, nr, p);
	if (bt_wmark_compute(z, nr, nr_types, p) || !thp)
		return p->min_free_kbytes;
	rec = bt_wmark_min_free_kbytes_thp(z, nr, p, pageblock_order);
	if (rec > p->min_free_kbytes) {
		p->min_free_kbytes = rec;
		bt_wmark_compute(z, nr, nr_types, p);
	}
	return p->min_free_kbytes;
}

/*
 * Zone types in the kernel's enum order on x86-64 (HighMem only on 32-bit
 * kernels). A kernel prints all of its zone types in zoneinfo from 4.14
 * on, only the populated ones before; the protection array always has
 * one entry per type, which is how many types the kernel was built with.
 */
static const char *const zone_order[] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable", "Device",
};
/* Types a kernel that did not print them most likely has, in priority. */
static const char *const zone_guess[] = { "Movable", "Device", "DMA32",
					  "DMA" };

static int canon_pos(const char *name)
{
	unsigned int i;

	for (i = 0; i < BT_ARRAY_SIZE(zone_order); i++)
		if (!strcmp(zone_order[i], name))
			return (int)i;
	return -1;
}

/* The kernel's zone types: the printed names plus guessed ones. */
static int zone_types(const struct bt_zoneinfo *zi, bool has[6],
		      unsigned int *nr_types)
{
	unsigned int i, n = 0, want = 0;

	memset(has, 0, 6 * sizeof(bool));
	for (i = 0; i < zi->nr_zones; i++) {
		int c = canon_pos(zi->zones[i].name);

		if (c < 0)
			return BT_E_UNSUPPORTED;
		if (!has[c])
			n++;
		has[c] = true;
		want = BT_MAX(want, zi->zones[i].nr_protection);
	}
	for (i = 0; i < BT_ARRAY_SIZE(zone_guess) && n < want; i++) {
		int c = canon_pos(zone_guess[i]);

		if (!has[c]) {
			has[c] = true;
			n++;
		}
	}
	if (n > BT_WMARK_MAX_ZONES || (want && n != want))
		return BT_E_RANGE;
	*nr_types = n;
	return 0;
}

int bt_wmark_zones_from_zoneinfo(const struct bt_zoneinfo *zi,
				 struct bt_wmark_zone *z, unsigned int *nr_types)
{
	bool has[6];
	unsigned int i;
	int ret = zone_types(zi, has, nr_types);

	if (ret)
		return ret;
	for (i = 0; i < zi->nr_zones; i++) {
		const struct bt_proc_zone *pz = &zi->zones[i];
		int c = canon_pos(pz->name), k;

		memset(&z[i], 0, sizeof(z[i]));
		z[i].node = pz->node;
		for (k = 0; k < c; k++)
			z[i].idx += has[k];
		z[i].highmem = !strcmp(pz->name, "HighMem");
		z[i].movable = !strcmp(pz->name, "Movable");
		z[i].device = !strcmp(pz->name, "Device");
		z[i].managed = pz->managed;
		z[i].present = pz->present;
	}
	return 0;
}

static bool kv_uint(const struct bt_kvlist *l, const char *name,
		    unsigned int *out)
{
	int64_t v;

	if (!bt_kvlist_get(l, name, &v) || v < 0 || v > UINT32_MAX)
		return false;
	*out = (unsigned int)v;
	return true;
}

bool bt_wmark_params_from_sysctl(struct bt_wmark_params *p,
				 const struct bt_kvlist *sysctl)
{
	const struct bt_proc_kv *kv;
	bool have_min = false;
	unsigned int i;
	int64_t v;

	if (bt_kvlist_get(sysctl, "min_free_kbytes", &v) && v >= 0) {
		p->min_free_kbytes = (uint64_t)v;
		have_min = true;
	}
	kv_uint(sysctl, "watermark_scale_factor", &p->watermark_scale_factor);
	kv_uint(sysctl, p->rules == BT_WMARK_RULES_4_12 ?
			"percpu_pagelist_fraction" :
			"percpu_pagelist_high_fraction", &p->pcp_fraction);
	kv = bt_kvlist_find(sysctl, "lowmem_reserve_ratio");
	if (kv && kv->nr) {
		p->nr_ratio = BT_MIN(kv->nr, (unsigned int)BT_WMARK_MAX_ZONES);
		for (i = 0; i < p->nr_ratio; i++)
			p->lowmem_reserve_ratio[i] =
				kv->v[i] < 0 || kv->v[i] > UINT32_MAX ?
				0 : (unsigned int)kv->v[i];
	}
	return have_min;
}

enum bt_wmark_rules bt_wmark_rules_of_zoneinfo(const struct bt_zoneinfo *zi)
{
	unsigned int i;

	for (i = 0; i < zi->nr_zones; i++)
		if (zi->zones[i].has_boost || zi->zones[i].has_promo)
			return BT_WMARK_RULES_6X;
	return BT_WMARK_RULES_4_12;
}

void bt_wmark_cpus_of_zoneinfo(const struct bt_zoneinfo *zi,
			       struct bt_wmark_params *p)
{
	unsigned int i, k, cpus = 0, nodes = 0;

	for (i = 0; i < zi->nr_zones; i++) {
		bool first = true;

		cpus = BT_MAX(cpus, zi->zones[i].nr_pcp);
		for (k = 0; k < i; k++)
			if (zi->zones[k].node == zi->zones[i].node)
				first = false;
		nodes += first;
	}
	p->nr_online_cpus = cpus ? cpus : 1;
	p->nr_node_cpus = BT_MAX(p->nr_online_cpus / BT_MAX(nodes, 1u), 1u);
}

bool bt_wmark_zone_match(const struct bt_proc_zone *rec,
			 const struct bt_wmark_zone *comp)
{
	unsigned int k;

	if (rec->min - rec->boost != comp->min ||
	    rec->low - rec->boost != comp->low ||
	    rec->high - rec->boost != comp->high ||
	    (rec->has_promo && rec->promo - rec->boost != comp->promo) ||
	    (rec->nr_protection && rec->nr_protection != comp->nr_protection))
		return false;
	for (k = 0; k < rec->nr_protection; k++)
		if (rec->protection[k] != comp->protection[k])
			return false;
	for (k = 0; k < rec->nr_pcp; k++) {
		const struct bt_proc_pcp *pc = &rec->pcp[k];

		if (pc->batch != comp->pcp_batch)
			return false;
		if (pc->has_high_min ? pc->high_min != comp->pcp_high_min ||
				       pc->high_max != comp->pcp_high_max :
				       pc->high != comp->pcp_high_min)
			return false;
	}
	return true;
}

void bt_wmark_report_release(struct bt_wmark_report *r)
{
	if (r->zi)
		bt_zoneinfo_release(r->zi);
	free(r->zi);
	free(r->z);
	free(r->match);
	memset(r, 0, sizeof(*r));
}

static int report_params(struct bt_wmark_report *r,
			 const struct bt_wmark_input *in,
			 struct bt_proc_error *err)
{
	struct bt_kvlist l;
	unsigned int i;
	int ret = 0;

	bt_wmark_params_default(&r->params, in->rules < 0 ?
				bt_wmark_rules_of_zoneinfo(r->zi) :
				(enum bt_wmark_rules)in->rules);
	r->params.kver = in->kver;
	bt_wmark_cpus_of_zoneinfo(r->zi, &r->params);
	r->params.nr_nodes = BT_MIN(in->nr_nodes,
				    (unsigned int)BT_WMARK_MAX_NODES);
	for (i = 0; i < r->params.nr_nodes; i++)
		r->params.node_cpus[i] = in->node_cpus[i];
	bt_kvlist_init(&l);
	if (in->sysctl)
		ret = bt_sysctl_parse(&l, in->sysctl, in->sysctl_len, err);
	if (!ret)
		r->min_free_recorded =
			bt_wmark_params_from_sysctl(&r->params, &l);
	bt_kvlist_release(&l);
	r->thp = in->thp;
	return ret;
}

/*
 * What boot would have given (for display, and as the value used when the
 * sysctl was not recorded): the square-root rule, then khugepaged's.
 */
static int report_min_free(struct bt_wmark_report *r)
{
	struct bt_wmark_params boot = r->params;
	unsigned int n = r->zi->nr_zones;
	int ret;

	r->min_free_sqrt = bt_wmark_min_free_kbytes_sqrt(r->z, n, &boot);
	boot.min_free_kbytes = r->min_free_sqrt;
	ret = bt_wmark_compute(r->z, n, r->nr_types, &boot);
	if (ret)
		return ret;
	r->min_free_thp = bt_wmark_min_free_kbytes_thp(r->z, n, &boot, 9);
	if (!r->min_free_recorded)
		r->params.min_free_kbytes =
			r->thp ? BT_MAX(r->min_free_sqrt, r->min_free_thp) :
			r->min_free_sqrt;
	return 0;
}

int bt_wmark_report_build(struct bt_wmark_report *r,
			  const struct bt_wmark_input *in,
			  struct bt_proc_error *err)
{
	unsigned int i, n;
	int ret;

	memset(r, 0, sizeof(*r));
	r->zi = calloc(1, sizeof(*r->zi));
	if (!r->zi)
		return -ENOMEM;
	ret = bt_zoneinfo_parse(r->zi, in->zoneinfo, in->zoneinfo_len, err);
	if (!ret)
		ret = report_params(r, in, err);
	if (ret)
		return ret;
	n = r->zi->nr_zones;
	r->z = calloc(n, sizeof(*r->z));
	r->match = calloc(n, sizeof(*r->match));
	if (!r->z || !r->match)
		return -ENOMEM;
	ret = bt_wmark_zones_from_zoneinfo(r->zi, r->z, &r->nr_types);
	if (!ret)
		ret = report_min_free(r);
	if (!ret)
		ret = bt_wmark_compute(r->z, n, r->nr_types, &r->params);
	for (i = 0; !ret && i < n; i++) {
		r->match[i] = bt_wmark_zone_match(&r->zi->zones[i], &r->z[i]);
		r->nr_mismatch += !r->match[i];
	}
	return ret;
}
