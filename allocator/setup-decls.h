/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Watermarks, fragmentation metrics and the free-page-map splitter:
 * the declarations of watermark.c, metrics.c and setup.c that do not
 * need the model's state. They move into buddy.h once it exists.
 */
#ifndef BT_SETUP_DECLS_H
#define BT_SETUP_DECLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/common.h"

/* ---- watermarks (watermark.c) ---- */

#define BT_WMARK_MAX_ZONES 8	/* zone types per node, as MAX_NR_ZONES */

/* Which kernel's formulas. */
enum bt_wmark_rules {
	BT_WMARK_RULES_4_12,	/* v4.12 (and 4.x near it) */
	BT_WMARK_RULES_6X,	/* v5.14 .. v6.19: high_min/high_max from 6.7 */
};

/* The sysctls and machine facts the formulas take. */
struct bt_wmark_params {
	enum bt_wmark_rules rules;
	uint64_t min_free_kbytes;
	unsigned int watermark_scale_factor;		/* default 10 */
	unsigned int nr_ratio;				/* entries given */
	unsigned int lowmem_reserve_ratio[BT_WMARK_MAX_ZONES];
	/* 6.x percpu_pagelist_high_fraction; 4.12 percpu_pagelist_fraction */
	unsigned int pcp_fraction;
	unsigned int nr_node_cpus;	/* CPUs of the zones' node; 0 = none */
	unsigned int nr_online_cpus;
	unsigned int page_shift;	/* 12 */
};

/*
 * One zone of one node: inputs first, then what bt_wmark_compute() sets.
 * Zones of a node must be given in kernel index order; a zone type the
 * kernel has but did not print (4.x skips empty zones) may be omitted:
 * it has no managed pages and so changes no sum.
 */
struct bt_wmark_zone {
	int node;
	unsigned int idx;		/* kernel zone index in the node */
	bool highmem, movable, device;	/* from the zone's name */
	uint64_t managed, present;

	uint64_t min, low, high, promo;	/* _watermark[], without boost */
	unsigned int nr_protection;	/* = the node's MAX_NR_ZONES */
	uint64_t protection[BT_WMARK_MAX_ZONES];
	uint64_t pcp_batch;
	uint64_t pcp_high_min, pcp_high_max;	/* 4.12: both = high */
};

/* Default 6.x params: ratios {256, 256, 32, 0, 0}, factor 10, 4 KiB. */
void bt_wmark_params_default(struct bt_wmark_params *p,
			     enum bt_wmark_rules rules);

/*
 * Set min/low/high/promo (__setup_per_zone_wmarks), protection
 * (setup_per_zone_lowmem_reserve, @nr_types entries per zone) and pcp
 * batch/high (zone_batchsize, zone_highsize) of every zone. Returns 0 or
 * BT_E_RANGE for inputs the kernel could not have (too many zones).
 */
int bt_wmark_compute(struct bt_wmark_zone *z, unsigned int nr,
		     unsigned int nr_types, const struct bt_wmark_params *p);

/*
 * min_free_kbytes by the square-root rule (calculate_min_free_kbytes /
 * init_per_zone_wmark_min) on the boot-time lowmem of @z (high
 * watermarks not yet set), clamped as the rules' kernel does.
 */
uint64_t bt_wmark_min_free_kbytes_sqrt(const struct bt_wmark_zone *z,
				       unsigned int nr,
				       const struct bt_wmark_params *p);

/*
 * khugepaged's set_recommended_min_free_kbytes(): pageblocks per populated
 * zone, capped at 5% of nr_free_buffer_pages() which subtracts each
 * zone's current high watermark (so call after bt_wmark_compute()).
 */
uint64_t bt_wmark_min_free_kbytes_thp(const struct bt_wmark_zone *z,
				      unsigned int nr,
				      const struct bt_wmark_params *p,
				      unsigned int pageblock_order);

/*
 * What the kernel ends up with after boot: the square-root value, then
 * khugepaged's if THP is enabled and it is larger. Leaves @z computed
 * with the result.
 */
uint64_t bt_wmark_boot_min_free_kbytes(struct bt_wmark_zone *z,
				       unsigned int nr, unsigned int nr_types,
				       struct bt_wmark_params *p, bool thp,
				       unsigned int pageblock_order);

struct bt_zoneinfo;
struct bt_kvlist;

/**
 * bt_wmark_zones_from_zoneinfo - the inputs of bt_wmark_compute() from a
 * parsed zoneinfo
 * @zi: parsed /proc/zoneinfo
 * @z: array of @zi->nr_zones entries; z[i] describes zi->zones[i]
 * @nr_types: receives the kernel's number of zone types
 *
 * Kernel zone indices come from the names in x86-64 enum order (DMA,
 * DMA32, Normal, HighMem, Movable, Device) restricted to the types the
 * kernel has: those it printed, plus, when the protection arrays are
 * longer (4.x prints populated zones only), Movable, Device, DMA32 and
 * DMA in that order of likelihood. Returns 0, BT_E_UNSUPPORTED (unknown
 * zone name) or BT_E_RANGE (inconsistent protection lengths).
 */
int bt_wmark_zones_from_zoneinfo(const struct bt_zoneinfo *zi,
				 struct bt_wmark_zone *z,
				 unsigned int *nr_types);

/*
 * Take min_free_kbytes, watermark_scale_factor, lowmem_reserve_ratio and
 * the pcp fraction from a /proc/sys/vm list into @p (set @p->rules
 * first). Returns whether min_free_kbytes was recorded.
 */
bool bt_wmark_params_from_sysctl(struct bt_wmark_params *p,
				 const struct bt_kvlist *sysctl);

/* 6.x rules when zoneinfo prints boost or promo (5.0+), else 4.12's. */
enum bt_wmark_rules bt_wmark_rules_of_zoneinfo(const struct bt_zoneinfo *zi);

/*
 * Online CPUs = pagesets printed per zone; CPUs per node = that divided by
 * the number of nodes (exact on one node, an even split otherwise).
 */
void bt_wmark_cpus_of_zoneinfo(const struct bt_zoneinfo *zi,
			       struct bt_wmark_params *p);

/* ---- fragmentation metrics (metrics.c) ---- */

/* fill_contig_page_info() of mm/vmstat.c for one zone and one order. */
struct bt_contig_info {
	uint64_t free_pages;
	uint64_t free_blocks_total;
	uint64_t free_blocks_suitable;	/* blocks of the order obtainable */
};

/**
 * bt_frag_contig_info - what fill_contig_page_info() computes
 * @nr_free: free blocks per order (free_area[o].nr_free, all types)
 * @nr_orders: entries of @nr_free (NR_PAGE_ORDERS, 11 on x86-64)
 * @order: the requested order
 */
void bt_frag_contig_info(const uint64_t *nr_free, unsigned int nr_orders,
			 unsigned int order, struct bt_contig_info *info);

/*
 * unusable_free_index() [3.x .. 6.19]: thousandths of the free memory
 * unusable for an allocation of @order; 1000 when nothing is free.
 */
int bt_frag_unusable_index(const uint64_t *nr_free, unsigned int nr_orders,
			   unsigned int order);

/*
 * __fragmentation_index() [3.x .. 6.19]: thousandths; -1000 when a block
 * of @order is free (the request would succeed), 0 when nothing is free,
 * towards 1000 when failure is due to fragmentation rather than lack of
 * memory. 0 for an order beyond the table (the kernel warns).
 */
int bt_frag_index(const uint64_t *nr_free, unsigned int nr_orders,
		  unsigned int order);

/* extfrag_for_order() [5.9+]: proactive compaction's 0..100 score. */
unsigned int bt_frag_extfrag_for_order(const uint64_t *nr_free,
				       unsigned int nr_orders,
				       unsigned int order);

/*
 * Print an index as debugfs does: "%d.%03d" (unusable_index) or
 * "%2d.%03d" (extfrag_index, @extfrag true) of index/1000, index%1000.
 * Returns the snprintf() length.
 */
int bt_frag_format(char *buf, size_t size, int index, bool extfrag);

/*
 * The huge-frame score: free pages held in blocks of @huge_order and above
 * over all free pages, as a fraction (0 when nothing is free).
 */
struct bt_huge_score {
	uint64_t huge_pages;	/* free pages in blocks of order >= huge */
	uint64_t free_pages;
};
void bt_frag_huge_score(const uint64_t *nr_free, unsigned int nr_orders,
			unsigned int huge_order, struct bt_huge_score *s);

/* ---- the free-page map (setup.c) ---- */

#define BT_KPF_BUDDY 10		/* KPF_BUDDY bit of /proc/kpageflags */

/* Called per free block; a non-zero return stops the walk. */
typedef int (*bt_free_block_fn)(uint64_t pfn, unsigned int order,
				void *data);

/**
 * bt_kpageflags_split - free buddy blocks from raw /proc/kpageflags bytes
 * @flags: 8 bytes per pfn (little-endian u64, as x86 kernels write them)
 * @len: bytes in @flags; a multiple of 8
 * @first_pfn: pfn of the first entry of @flags
 * @start_pfn: first pfn of the range to split (a zone's start_pfn)
 * @end_pfn: end of the range (start_pfn + spanned)
 * @max_order: largest block order (10)
 * @fn: called for every block, in pfn order
 * @data: passed to @fn
 *
 * On 6.x kernels every page of a free buddy block carries KPF_BUDDY, but
 * the order is not exported: each run of such pages inside the range is
 * split into maximal aligned blocks of at most @max_order, which is what
 * the buddy allocator's eager merging leaves (ALLOCATOR-SPEC.md 10.2).
 * The range is clipped to what @flags covers. Returns 0, BT_E_CORRUPT
 * (@len not a multiple of 8) or @fn's non-zero value.
 */
int bt_kpageflags_split(const unsigned char *flags, size_t len,
			uint64_t first_pfn, uint64_t start_pfn,
			uint64_t end_pfn, unsigned int max_order,
			bt_free_block_fn fn, void *data);

/*
 * Free blocks per order (@nr_free, @nr_orders entries, zeroed first) of
 * a range, as bt_kpageflags_split() finds them.
 */
int bt_kpageflags_count(const unsigned char *flags, size_t len,
			uint64_t first_pfn, uint64_t start_pfn,
			uint64_t end_pfn, uint64_t *nr_free,
			unsigned int nr_orders);

/* The integer square root the kernel uses (int_sqrt): floor(sqrt(x)). */
uint64_t bt_int_sqrt(uint64_t x);

#endif
