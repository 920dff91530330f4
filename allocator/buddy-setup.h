/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * buddy-setup.h - setting the model up from /proc state, computing
 * watermarks, protection and pcp sizes as the kernel does, and the
 * fragmentation metrics of mm/vmstat.c (setup.c, setup-place.c,
 * watermark.c, metrics.c).
 *
 * Part of allocator/'s one public header: include "allocator/buddy.h",
 * which includes this file at its end. It is kept apart only because the
 * two together would pass the size a header stays readable at.
 */
#ifndef BT_BUDDY_SETUP_H
#define BT_BUDDY_SETUP_H

#ifndef BT_BUDDY_H
#error "include allocator/buddy.h, not allocator/buddy-setup.h"
#endif

#include "../common/common.h"
#include "../common/procfs.h"


/* ---- watermarks (watermark.c) ---- */

#define BT_WMARK_MAX_ZONES 8	/* zone types per node, as MAX_NR_ZONES */
#define BT_WMARK_MAX_NODES 64

/* Which kernel's formulas. */
enum bt_wmark_rules {
	BT_WMARK_RULES_4_12,	/* v4.12 (and 4.x near it) */
	BT_WMARK_RULES_6X,	/* v6.7 .. v6.19 (high_min/high_max); also
				 * taken for 5.x, whose pcp high differs */
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
	/* CPUs per node when known (overrides nr_node_cpus per zone) */
	unsigned int nr_nodes;
	unsigned int node_cpus[BT_WMARK_MAX_NODES];
	unsigned int page_shift;	/* 12 */
	/*
	 * BT_KVER() of the kernel, 0 when unknown (the newest behaviour of
	 * the rules). Within a rule set it picks the pcp sizes: batch capped
	 * at 512 KiB before 4.19; high = 6 x batch before 5.14, the low
	 * watermark split over CPUs before 6.7, high_min/high_max after.
	 */
	uint32_t kver;
};

/*
 * One zone of one node: inputs first, then what bt_wmark_compute() sets.
 * Zones may come in any order (@idx places a zone in its node); a zone
 * type the kernel has but did not print (4.x skips empty zones) may be
 * omitted: it has no managed pages and so changes no sum.
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

/**
 * bt_wmark_zone_match - whether a zone's recorded values are the computed
 * ones: min/low/high/promo minus the recorded boost, every protection
 * entry, and batch and high_min/high_max (4.x: high) of every pageset.
 */
bool bt_wmark_zone_match(const struct bt_proc_zone *rec,
			 const struct bt_wmark_zone *comp);

/* Recorded and computed values of every zone, for `buddytrace zones`. */
struct bt_wmark_report {
	struct bt_wmark_params params;
	bool min_free_recorded;		/* the sysctl was in the input */
	uint64_t min_free_sqrt;		/* square-root rule at boot */
	uint64_t min_free_thp;		/* khugepaged's recommendation */
	bool thp;			/* THP enabled (khugepaged runs) */
	unsigned int nr_types;
	unsigned int nr_mismatch;	/* zones whose values differ */
	struct bt_zoneinfo *zi;		/* recorded */
	struct bt_wmark_zone *z;	/* computed, one per zi zone */
	bool *match;			/* per zone */
};

/* What a report is built from. */
struct bt_wmark_input {
	const char *zoneinfo;		/* text of /proc/zoneinfo */
	size_t zoneinfo_len;
	const char *sysctl;		/* "name value" lines, or NULL */
	size_t sysctl_len;
	int rules;			/* BT_WMARK_RULES_*, -1: from zoneinfo */
	uint32_t kver;			/* BT_KVER(), 0: unknown */
	bool thp;			/* THP enabled (khugepaged runs) */
	unsigned int nr_nodes;		/* entries of node_cpus; 0: unknown */
	const unsigned int *node_cpus;	/* CPUs of each node */
};

/**
 * bt_wmark_report_build - parse a zoneinfo and a sysctl list and compute
 * @r: filled in; release with bt_wmark_report_release() (also on error)
 * @in: the texts and facts; @in->thp matters when min_free_kbytes was not
 *	recorded, @in->node_cpus when zones of several nodes split pcp high
 *	(without it the online CPUs, counted from zoneinfo's pagesets, are
 *	taken as evenly spread over the nodes)
 * @err: where parsing failed, may be NULL
 *
 * min_free_kbytes is the recorded sysctl when there is one, else what
 * the kernel computes at boot: the square-root rule, then khugepaged's
 * minimum if THP is enabled and it is larger. Returns 0, BT_E_PARSE,
 * BT_E_RANGE, BT_E_UNSUPPORTED or -ENOMEM.
 */
int bt_wmark_report_build(struct bt_wmark_report *r,
			  const struct bt_wmark_input *in,
			  struct bt_proc_error *err);
void bt_wmark_report_release(struct bt_wmark_report *r);

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

/* ---- the model's initial state (setup.c) ---- */

/* enum bt_zone_type of a zone name as the kernel prints it, or -1. */
int bt_setup_zone_type(const char *name);

/**
 * bt_setup_zone_config - one zoneinfo zone as a zone configuration
 * @b: the model (its can_reclaim_anon decides the reclaimable estimate)
 * @pz: the zone as zoneinfo printed it
 * @type: its enum bt_zone_type (bt_setup_zone_type())
 * @zc: filled in full; its name points into @pz
 *
 * The fields bt_setup_zones() describes, for callers that add zones
 * themselves or adjust a field before bt_buddy_add_zone().
 */
void bt_setup_zone_config(const struct bt_buddy *b,
			  const struct bt_proc_zone *pz, int type,
			  struct bt_zone_config *zc);

/**
 * bt_setup_zones - add the zones of a zoneinfo snapshot to an empty model
 * @b: model without zones
 * @zi: parsed zoneinfo
 *
 * Each zone the model has a type for (DMA, DMA32, Normal, Movable) and
 * that spans pages is added with its start_pfn, spanned, present and
 * managed pages, its watermarks (zoneinfo's minus the boost) and boost,
 * its protection, the pcp high, high_min/high_max (4.x: high) and batch
 * of its first pageset, its highatomic reserve, and the file LRU (plus
 * anon when the model can reclaim anon) as the reclaimable estimate.
 * All pages start allocated. Returns the number of zones added,
 * BT_E_UNSUPPORTED when a zone lacks start_pfn, or a negative code of
 * bt_buddy_add_zone().
 */
int bt_setup_zones(struct bt_buddy *b, const struct bt_zoneinfo *zi);

/* What a free-block setup did. */
struct bt_setup_stats {
	uint64_t blocks;	/* free blocks added */
	uint64_t pages;		/* free pages added */
	uint64_t outside;	/* blocks of the input outside every zone */
	uint64_t spilled;	/* counts path: blocks placed outside the
				 * pageblocks of their type (their list is
				 * then the pageblock's) */
	uint64_t pageblocks_typed; /* pageblocks given a non-MOVABLE type */
};

/*
 * Pageblocks per model migratetype that @pt's "Number of blocks type"
 * row gives zone @zi (all 0 when @pt is NULL or lacks the zone).
 */
void bt_setup_block_counts(const struct bt_pagetypeinfo *pt,
			   const struct bt_zone_info *zi,
			   uint64_t counts[BT_MT_TYPES]);

/**
 * bt_setup_free_map - free blocks from a free-page map (raw kpageflags)
 * @b: model with its zones
 * @flags: 8 bytes per pfn from @first_pfn (bt_kpageflags_split())
 * @pt: pagetypeinfo to give pageblocks their types, or NULL (all MOVABLE)
 * @st: filled in
 *
 * The map says where free blocks are but not their pageblocks' types:
 * for each zone, the "Number of blocks type" counts of @pt are given to
 * the pageblocks with the fewest free pages (lowest pfn first on ties),
 * as unmovable and reclaimable pageblocks are the full ones. Returns 0
 * or a negative code.
 */
int bt_setup_free_map(struct bt_buddy *b, const unsigned char *flags,
		      size_t len, uint64_t first_pfn,
		      const struct bt_pagetypeinfo *pt,
		      struct bt_setup_stats *st);

/**
 * bt_setup_free_list - free blocks from "pfn order" lines (a trace's
 * free-blocks snapshot); pageblock types as bt_setup_free_map()
 *
 * Returns 0, BT_E_PARSE (with @err) or a negative code.
 */
int bt_setup_free_list(struct bt_buddy *b, const char *text, size_t len,
		       const struct bt_pagetypeinfo *pt,
		       struct bt_setup_stats *st, struct bt_proc_error *err);

/**
 * bt_setup_free_counts - free blocks placed from buddyinfo and
 * pagetypeinfo counts, when no free-page map was recorded
 * @buddyinfo: free blocks per order per zone (required)
 * @pt: per-type counts and pageblock types, or NULL (all MOVABLE)
 *
 * The placement (documented in docs/allocator-setup.md):
 *  - the pages a zone lacks (spanned - present) are taken as a hole at
 *    the bottom of its span; they are never free;
 *  - pageblocks above the hole get types from the bottom up: the
 *    "Number of blocks type" counts of UNMOVABLE, RECLAIMABLE,
 *    HIGHATOMIC, CMA and ISOLATE in that order, MOVABLE for the rest;
 *  - each type's free blocks (pagetypeinfo's per-type counts, adjusted
 *    on MOVABLE so that every order adds up to buddyinfo) are laid out
 *    from the top of that type's pageblocks downwards, largest order
 *    first, never next to a free buddy of the same order (the buddy
 *    allocator would have merged them); blocks that do not fit go to the
 *    highest free place of the zone (counted in @st->spilled).
 * nr_free per order of every zone then equals buddyinfo. Returns 0,
 * BT_E_RANGE (the free blocks do not fit in the zone) or a negative code.
 */
int bt_setup_free_counts(struct bt_buddy *b,
			 const struct bt_proc_table *buddyinfo,
			 const struct bt_pagetypeinfo *pt,
			 struct bt_setup_stats *st);

/* ---- fragmentation of the model's state (metrics.c) ---- */

/**
 * struct bt_zone_frag - a zone's fragmentation, from the model's state
 * @nr_free: free blocks per order (buddyinfo)
 * @free_pages_mt: free pages per list type and order (pagetypeinfo's
 *	counts are blocks: @nr_free_mt of struct bt_zone_info)
 * @pageblocks: pageblocks per type ("Number of blocks type")
 * @mixed: pageblocks per type holding an allocated block of another
 *	migratetype (page_owner's "Number of mixed blocks"; only blocks the
 *	model saw allocated count)
 * @unusable: unusable free space index per order (thousandths)
 * @fragindex: fragmentation index per order (thousandths, -1000: fits)
 * @huge: the huge-frame score at pageblock order
 */
struct bt_zone_frag {
	uint64_t nr_free[BT_BUDDY_NR_ORDERS];
	uint64_t free_pages_mt[BT_MT_TYPES][BT_BUDDY_NR_ORDERS];
	uint64_t pageblocks[BT_MT_TYPES];
	uint64_t mixed[BT_MT_TYPES];
	int unusable[BT_BUDDY_NR_ORDERS];
	int fragindex[BT_BUDDY_NR_ORDERS];
	struct bt_huge_score huge;
};

/** bt_buddy_zone_frag - fill @out for zone @zid; 0, -EINVAL, -ENOMEM */
int bt_buddy_zone_frag(const struct bt_buddy *b, int zid,
		       struct bt_zone_frag *out);

/* The integer square root the kernel uses (int_sqrt): floor(sqrt(x)). */
uint64_t bt_int_sqrt(uint64_t x);

#endif
