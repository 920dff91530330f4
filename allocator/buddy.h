/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * buddy.h - the reference model of the Linux page (buddy) allocator: the one
 * header allocator/ offers to the rest of buddytrace.
 *
 * Glossary
 *   page        one 4 KiB frame, named by its pfn (page frame number).
 *   block       2^order pages, aligned on 2^order pfns, handed out or kept
 *               free as a unit; its first page is the head. Order 0..10.
 *   pageblock   2^pageblock_order pages (512 here) sharing one migratetype
 *               label (UNMOVABLE, MOVABLE, RECLAIMABLE, HIGHATOMIC, CMA,
 *               ISOLATE). Fallbacks move whole pageblocks between types.
 *   free_area   per zone and order: one free list per migratetype and
 *               nr_free, the number of free blocks of that order.
 *   pcp         per-CPU lists of blocks taken from the buddy in batches;
 *               they count as allocated for watermarks and buddyinfo.
 *   zone        a pfn range of a node (DMA, DMA32, Normal, Movable) with
 *               its own free lists, watermarks (min/low/high + boost) and
 *               lowmem reserve ("protection") against higher zones' requests.
 *
 * Algorithm (ALLOCATOR-SPEC.md, sections 1-7; each rule in the .c files
 * names the kernel function it mirrors and the versions it holds for):
 * a request (order, gfp, cpu) is mapped to the highest usable zone, a
 * migratetype and alloc flags; the fast path walks the zonelist from that
 * zone down, checks the low watermark with the lowmem reserve and serves the
 * request from the pcp list (pcp-able orders) or the smallest free block of
 * the migratetype, splitting it (upper halves go back to the list heads);
 * when the type's lists are empty it falls back to another type with the
 * version's claim/steal rules. On failure the slow path runs in the
 * kernel's order: kswapd wake, min-watermark attempt, initial compaction,
 * reserves, direct reclaim, direct compaction, retry decisions, OOM, NOFAIL.
 * A free goes to the pcp list or merges with its free buddies up to order
 * 10 (not across pageblocks of unmergeable types) and is put at the head or
 * tail of its list.
 *
 * Invariants (bt_buddy_check() verifies every one):
 *   - every free block is aligned, lies inside its zone, sits on the list of
 *     its recorded type, and its pages overlap no other block;
 *   - two free buddies of the same order below pageblock order never both
 *     exist (at pageblock order and above, merging depends on the
 *     pageblock types at free time, which may change later);
 *   - nr_free per order, the per-(order, type) counts, NR_FREE_PAGES, free
 *     CMA and free HIGHATOMIC pages equal the list contents;
 *   - [6.x, claim/steal fallback] every free block sits on the list of its
 *     pageblock's type (freelist hygiene of 6.10+);
 *   - pcp counts equal their lists; no page is both free and allocated.
 *
 * Representation: per zone, dense arrays indexed by (pfn - zone start):
 * two 32-bit list links and two bytes of block state per page (10 bytes per
 * spanned page; untouched ranges, such as memory that deferred init has not
 * handed over, are never written, so calloc keeps them unmapped). Lists
 * link indices, never pointers.
 *
 * Not modelled: the LRU and page cache (reclaim releases the pages that
 * replay supplies, see bt_buddy_set_hooks()), task state other than the
 * BT_TASK_* flags of a request, cpusets and mempolicies, memcg, NUMA node
 * reclaim, page shuffling, guard pages, memory hotplug and isolation by
 * alloc_contig_range() (ISOLATE is a type like any other here), the bulk
 * allocator, deferred struct page init (managed pages are taken as given),
 * time (sleeps, congestion waits, the vmstat worker: the caller invokes
 * bt_buddy_pcp_decay() and kcompactd/kswapd runs when its trace says so).
 *
 * The model does no I/O, reads no clock and never prints. Not thread-safe:
 * one struct bt_buddy per thread. docs/allocator-model.md maps every rule
 * to its kernel function and file.
 */
#ifndef BT_BUDDY_H
#define BT_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BT_BUDDY_MAX_ORDER 10		/* largest order, inclusive */
#define BT_BUDDY_NR_ORDERS 11
#define BT_BUDDY_COSTLY_ORDER 3		/* PAGE_ALLOC_COSTLY_ORDER */
#define BT_BUDDY_THP_ORDER 9		/* HPAGE_PMD_ORDER on x86-64 */
#define BT_BUDDY_PFN_NONE UINT64_MAX	/* no block / failure */
#define BT_BUDDY_MAX_CPUS 1024
#define BT_BUDDY_MAX_ZONES 64

/* KERNEL_VERSION() of a release, e.g. BT_KVER(6, 18, 0). */
#define BT_KVER(a, b, c) (((uint32_t)(a) << 16) | ((b) << 8) | (c))

/* Zone types in the kernel's order (enum zone_type on x86-64). */
enum bt_zone_type {
	BT_ZONE_DMA,
	BT_ZONE_DMA32,
	BT_ZONE_NORMAL,
	BT_ZONE_MOVABLE,
	BT_NR_ZONE_TYPES
};

/* Migratetypes with the kernel's numbers (same in 4.12 and 6.x). */
enum bt_migratetype {
	BT_MT_UNMOVABLE = 0,
	BT_MT_MOVABLE = 1,
	BT_MT_RECLAIMABLE = 2,
	BT_MT_HIGHATOMIC = 3,
	BT_MT_CMA = 4,
	BT_MT_ISOLATE = 5,
	BT_MT_TYPES = 6
};
#define BT_MT_PCPTYPES 3

/*
 * gfp bits the model reads. Values equal traces.h's canonical BT_GFP_*
 * (tests assert it), so a trace's mask is passed through unchanged.
 * RETRY_MAYFAIL doubles as 4.12's __GFP_REPEAT, ATOMIC is 4.x-6.2's
 * __GFP_ATOMIC.
 */
#define BT_BUDDY_GFP_DMA		(1ull << 0)
#define BT_BUDDY_GFP_HIGHMEM		(1ull << 1)
#define BT_BUDDY_GFP_DMA32		(1ull << 2)
#define BT_BUDDY_GFP_MOVABLE		(1ull << 3)
#define BT_BUDDY_GFP_RECLAIMABLE	(1ull << 4)
#define BT_BUDDY_GFP_HIGH		(1ull << 5)
#define BT_BUDDY_GFP_IO			(1ull << 6)
#define BT_BUDDY_GFP_FS			(1ull << 7)
#define BT_BUDDY_GFP_ATOMIC		(1ull << 9)
#define BT_BUDDY_GFP_DIRECT_RECLAIM	(1ull << 10)
#define BT_BUDDY_GFP_KSWAPD_RECLAIM	(1ull << 11)
#define BT_BUDDY_GFP_WRITE		(1ull << 12)
#define BT_BUDDY_GFP_NOWARN		(1ull << 13)
#define BT_BUDDY_GFP_RETRY_MAYFAIL	(1ull << 14)
#define BT_BUDDY_GFP_NOFAIL		(1ull << 15)
#define BT_BUDDY_GFP_NORETRY		(1ull << 16)
#define BT_BUDDY_GFP_MEMALLOC		(1ull << 17)
#define BT_BUDDY_GFP_COMP		(1ull << 18)
#define BT_BUDDY_GFP_NOMEMALLOC		(1ull << 19)
#define BT_BUDDY_GFP_HARDWALL		(1ull << 20)
#define BT_BUDDY_GFP_THISNODE		(1ull << 21)
#define BT_BUDDY_GFP_ACCOUNT		(1ull << 22)

#define BT_BUDDY_GFP_RECLAIM \
	(BT_BUDDY_GFP_DIRECT_RECLAIM | BT_BUDDY_GFP_KSWAPD_RECLAIM)
/* Composite masks as 6.x defines them (tests and benches use them). */
#define BT_BUDDY_GFP_KERNEL \
	(BT_BUDDY_GFP_RECLAIM | BT_BUDDY_GFP_IO | BT_BUDDY_GFP_FS)
#define BT_BUDDY_GFP_NOFS (BT_BUDDY_GFP_RECLAIM | BT_BUDDY_GFP_IO)
#define BT_BUDDY_GFP_NOIO BT_BUDDY_GFP_RECLAIM
#define BT_BUDDY_GFP_ATOMIC_6X \
	(BT_BUDDY_GFP_HIGH | BT_BUDDY_GFP_KSWAPD_RECLAIM)
#define BT_BUDDY_GFP_ATOMIC_4X \
	(BT_BUDDY_GFP_HIGH | BT_BUDDY_GFP_ATOMIC | BT_BUDDY_GFP_KSWAPD_RECLAIM)
#define BT_BUDDY_GFP_NOWAIT \
	(BT_BUDDY_GFP_KSWAPD_RECLAIM | BT_BUDDY_GFP_NOWARN)
#define BT_BUDDY_GFP_USER (BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_HARDWALL)
#define BT_BUDDY_GFP_HIGHUSER_MOVABLE \
	(BT_BUDDY_GFP_USER | BT_BUDDY_GFP_HIGHMEM | BT_BUDDY_GFP_MOVABLE)
#define BT_BUDDY_GFP_TRANSHUGE_LIGHT \
	((BT_BUDDY_GFP_HIGHUSER_MOVABLE | BT_BUDDY_GFP_COMP | \
	  BT_BUDDY_GFP_NOMEMALLOC | BT_BUDDY_GFP_NOWARN) & \
	 ~BT_BUDDY_GFP_RECLAIM)
#define BT_BUDDY_GFP_TRANSHUGE \
	(BT_BUDDY_GFP_TRANSHUGE_LIGHT | BT_BUDDY_GFP_DIRECT_RECLAIM)

/*
 * alloc_flags as the model spells them (mm/internal.h, v6.19 values; the
 * 4.12-only ALLOC_HARDER gets its own bit, 4.12's ALLOC_HIGH is
 * BT_ALLOC_MIN_RESERVE). Reported in struct bt_alloc_result.
 */
#define BT_ALLOC_WMARK_MIN	0x00
#define BT_ALLOC_WMARK_LOW	0x01
#define BT_ALLOC_WMARK_HIGH	0x02
#define BT_ALLOC_WMARK_MASK	0x03
#define BT_ALLOC_NO_WATERMARKS	0x04
#define BT_ALLOC_OOM		0x08
#define BT_ALLOC_NON_BLOCK	0x10
#define BT_ALLOC_MIN_RESERVE	0x20
#define BT_ALLOC_CPUSET		0x40
#define BT_ALLOC_CMA		0x80
#define BT_ALLOC_NOFRAGMENT	0x100
#define BT_ALLOC_HIGHATOMIC	0x200
#define BT_ALLOC_KSWAPD		0x800
#define BT_ALLOC_HARDER		0x1000	/* 4.12 only */

/* Kernel profiles: which rule set the model follows. */
enum bt_buddy_profile {
	BT_PROFILE_4_12 = 1,	/* 4.x: ALLOC_HARDER, largest-block fallback */
	BT_PROFILE_6X = 2,	/* 6.16..6.19: claim/steal, pcp orders 0-3,9 */
};

/* Fallback policy knob: the profile's own, or another one's. */
enum bt_fallback_policy {
	BT_FALLBACK_PROFILE = 0,
	BT_FALLBACK_LARGEST,	/* 4.12 __rmqueue_fallback */
	BT_FALLBACK_CLAIM_STEAL, /* 6.16+ __rmqueue_claim / __rmqueue_steal */
	BT_FALLBACK_NONE,	/* never fall back to another migratetype */
};

/* Task context of a request that the gfp mask does not carry. */
#define BT_TASK_RT		0x01	/* rt/deadline task in task context */
#define BT_TASK_MEMALLOC	0x02	/* PF_MEMALLOC: kswapd, reclaimers */
#define BT_TASK_OOM_VICTIM	0x04	/* tsk_is_oom_victim() */
#define BT_TASK_IN_SOFTIRQ	0x08	/* softirq context */
#define BT_TASK_IN_IRQ		0x10	/* hard irq / nmi context */
#define BT_TASK_FATAL_SIGNAL	0x20	/* fatal_signal_pending() */

/**
 * struct bt_buddy_config - how to build a model
 * @profile: kernel rule set
 * @kernel_version: BT_KVER() of the traced kernel, for the few rules that
 *	differ inside a profile (0: the profile's reference, 4.12 / 6.19)
 * @max_order: largest order (10; may be lowered)
 * @pageblock_order: 9 on x86-64 with 4 KiB pages
 * @nr_cpus: CPUs with a pcp set (1..BT_BUDDY_MAX_CPUS)
 * @min_free_kbytes: sysctl; read by the watermark computation
 * @watermark_scale_factor: sysctl (10)
 * @watermark_boost_factor: sysctl (15000; 0 disables boosting)
 * @extfrag_threshold: sysctl (500)
 * @compaction_proactiveness: sysctl (20; 0 disables)
 * @percpu_pagelist_high_fraction: sysctl (0)
 * @lowmem_reserve_ratio: sysctl per zone type (256, 256, 32, 0)
 * @pcp_high: override of every pcp's high (and high_min/high_max), -1: none
 * @pcp_batch: override of every pcp's batch, -1: none
 * @fallback_policy: BT_FALLBACK_PROFILE unless asked otherwise
 * @mobility_disabled: page_group_by_mobility_disabled
 * @defrag_mode: sysctl vm.defrag_mode (6.15+)
 * @can_reclaim_anon: swap (or demotion) available: anon counts reclaimable
 * @compaction: CONFIG_COMPACTION (direct compaction runs)
 * @capture: compaction capture (5.1+; forced off for 4.12)
 */
struct bt_buddy_config {
	enum bt_buddy_profile profile;
	uint32_t kernel_version;
	unsigned int max_order;
	unsigned int pageblock_order;
	unsigned int nr_cpus;
	uint64_t min_free_kbytes;
	unsigned int watermark_scale_factor;
	unsigned int watermark_boost_factor;
	int extfrag_threshold;
	unsigned int compaction_proactiveness;
	unsigned int percpu_pagelist_high_fraction;
	unsigned int lowmem_reserve_ratio[BT_NR_ZONE_TYPES];
	int pcp_high;
	int pcp_batch;
	enum bt_fallback_policy fallback_policy;
	bool mobility_disabled;
	bool defrag_mode;
	bool can_reclaim_anon;
	bool compaction;
	bool capture;
};

/**
 * bt_buddy_config_init - defaults of a profile
 * @cfg: filled in
 * @profile: BT_PROFILE_4_12 or BT_PROFILE_6X
 *
 * Sysctls take their kernel defaults, max_order 10, pageblock_order 9,
 * nr_cpus 1, no overrides, compaction and capture on (capture off for 4.12).
 */
void bt_buddy_config_init(struct bt_buddy_config *cfg,
			  enum bt_buddy_profile profile);

/**
 * bt_buddy_profile_from_release - pick a profile from a kernel release
 * @release: "6.18.44-cloud-amd64", "4.12.0", ...
 * @profile: receives BT_PROFILE_4_12 for 4.x and older, else BT_PROFILE_6X
 * @kver: receives BT_KVER() of the release (may be NULL)
 *
 * Returns 0, or BT_E_PARSE when @release does not start with N.N.
 * 5.x kernels get the 6.x profile (the nearer rule set; see
 * docs/allocator-model.md for what differs).
 */
int bt_buddy_profile_from_release(const char *release,
				  enum bt_buddy_profile *profile,
				  uint32_t *kver);

/**
 * bt_buddy_profile_parse - profile from its name ("4.12", "6.x")
 *
 * Returns 0 or BT_E_PARSE.
 */
int bt_buddy_profile_parse(const char *name, enum bt_buddy_profile *profile);

/** bt_buddy_profile_name - "4.12" or "6.x" (static string) */
const char *bt_buddy_profile_name(enum bt_buddy_profile profile);

/* The model; opaque. */
struct bt_buddy;

/**
 * bt_buddy_new - an empty model (no zones yet)
 * @cfg: configuration, copied
 *
 * Returns the model, to be released with bt_buddy_free_model(), or NULL
 * with errno set (EINVAL for a bad configuration, ENOMEM).
 */
struct bt_buddy *bt_buddy_new(const struct bt_buddy_config *cfg);

/** bt_buddy_free_model - release a model (NULL is fine) */
void bt_buddy_free_model(struct bt_buddy *b);

/** bt_buddy_get_config - the model's configuration (borrowed) */
const struct bt_buddy_config *bt_buddy_get_config(const struct bt_buddy *b);

/**
 * struct bt_zone_config - one zone as zoneinfo describes it
 * @node: NUMA node id (0..63)
 * @zone_type: enum bt_zone_type
 * @name: zone name as the kernel prints it ("DMA32"); NULL: from the type
 * @start_pfn: first pfn (zoneinfo start_pfn)
 * @spanned: pages in [start_pfn, start_pfn + spanned), holes included
 * @present: pages of RAM in the span
 * @managed: pages the buddy allocator manages (watermark basis)
 * @wmark_min: _watermark[WMARK_MIN], without boost
 * @wmark_low: _watermark[WMARK_LOW], without boost
 * @wmark_high: _watermark[WMARK_HIGH], without boost
 * @wmark_boost: watermark_boost
 * @protection: lowmem_reserve[] indexed by the request's highest zone
 * @pcp_high: pcp high at start (-1: high_min)
 * @pcp_high_min: 6.7+ high_min (4.12: the fixed high)
 * @pcp_high_max: 6.7+ high_max (-1: equal to high_min)
 * @pcp_batch: pcp batch
 * @nr_reserved_highatomic: pages reserved in HIGHATOMIC pageblocks
 * @reclaimable: zone_reclaimable_pages() estimate (file LRU, plus anon when
 *	@can_reclaim_anon); should_reclaim_retry() adds it to free pages
 */
struct bt_zone_config {
	int node;
	int zone_type;
	const char *name;
	uint64_t start_pfn;
	uint64_t spanned;
	uint64_t present;
	uint64_t managed;
	uint64_t wmark_min;
	uint64_t wmark_low;
	uint64_t wmark_high;
	uint64_t wmark_boost;
	uint64_t protection[BT_NR_ZONE_TYPES];
	int pcp_high;
	int pcp_high_min;
	int pcp_high_max;
	int pcp_batch;
	uint64_t nr_reserved_highatomic;
	uint64_t reclaimable;
};

/**
 * bt_buddy_add_zone - add a zone (all of its pages start as in use)
 * @b: model
 * @zc: zone description, copied
 *
 * Pageblocks start MOVABLE (the boot default). Zones may be added in any
 * order; spans must not overlap and each must be under 2^32 pages.
 * Returns the zone id (>= 0, used by the accessors) or -EINVAL, -EEXIST
 * (same node and type twice), -ENOMEM.
 */
int bt_buddy_add_zone(struct bt_buddy *b, const struct bt_zone_config *zc);

/** bt_buddy_nr_zones - number of zones added */
int bt_buddy_nr_zones(const struct bt_buddy *b);

/**
 * bt_buddy_zone_of_pfn - the zone id whose span holds @pfn, or -ENOENT
 */
int bt_buddy_zone_of_pfn(const struct bt_buddy *b, uint64_t pfn);

/**
 * bt_buddy_find_zone - zone id of (node, zone type), or -ENOENT
 */
int bt_buddy_find_zone(const struct bt_buddy *b, int node, int zone_type);

/**
 * bt_buddy_zone_set_watermarks - replace a zone's watermarks (knob change)
 * @b: model
 * @zid: zone id
 * @min: _watermark[WMARK_MIN]
 * @low: _watermark[WMARK_LOW]
 * @high: _watermark[WMARK_HIGH]
 *
 * The boost is reset to 0, as __setup_per_zone_wmarks() does.
 * Returns 0 or -EINVAL.
 */
int bt_buddy_zone_set_watermarks(struct bt_buddy *b, int zid, uint64_t min,
				 uint64_t low, uint64_t high);

/** bt_buddy_zone_set_boost - set watermark_boost (0 or -EINVAL) */
int bt_buddy_zone_set_boost(struct bt_buddy *b, int zid, uint64_t boost);

/**
 * bt_buddy_zone_set_protection - replace lowmem_reserve[] (0 or -EINVAL)
 */
int bt_buddy_zone_set_protection(struct bt_buddy *b, int zid,
				 const uint64_t prot[BT_NR_ZONE_TYPES]);

/**
 * bt_buddy_zone_set_pcp - set every CPU's pcp limits of a zone
 * @high_min: 6.7+ high_min (4.12: high)
 * @high_max: 6.7+ high_max (-1: equal to @high_min)
 * @batch: batch (>= 1)
 *
 * Returns 0 or -EINVAL. Current high is clamped into the new range.
 */
int bt_buddy_zone_set_pcp(struct bt_buddy *b, int zid, int high_min,
			  int high_max, int batch);

/** bt_buddy_zone_set_reclaimable - update the reclaimable estimate */
int bt_buddy_zone_set_reclaimable(struct bt_buddy *b, int zid,
				  uint64_t pages);

/**
 * bt_buddy_set_pageblock_mt - label the pageblock holding @pfn
 * @mt: enum bt_migratetype
 *
 * Free blocks inside it move to the lists of @mt (move_freepages_block());
 * a free block larger than the pageblock is first split into pageblocks.
 * HIGHATOMIC reservations are not counted by this call (set
 * nr_reserved_highatomic in the zone config). Returns 0, -EINVAL, -ENOENT
 * (pfn outside every zone).
 */
int bt_buddy_set_pageblock_mt(struct bt_buddy *b, uint64_t pfn, int mt);

/**
 * bt_buddy_pageblock_mt - the migratetype of the pageblock holding @pfn
 *
 * Returns the type (>= 0) or -ENOENT.
 */
int bt_buddy_pageblock_mt(const struct bt_buddy *b, uint64_t pfn);

/**
 * bt_buddy_add_free_block - make a block free (initial state)
 * @pfn: head, aligned on 2^@order
 * @order: 0..max_order
 * @mt: list type, -1 for the pageblock's type ([6.x] always the
 *	pageblock's: freelist hygiene)
 *
 * The block is freed as memory onlining frees it (__free_one_page() with
 * FPI_TO_TAIL: it merges with free buddies and goes to the list tail, so
 * blocks added in pfn order are used lowest pfn first). Use it only while
 * setting up; pages on pcp lists are not free. Returns 0, -EINVAL
 * (misaligned, crosses the zone), -ENOENT (outside every zone), -EEXIST
 * (overlaps a free or pcp block).
 */
int bt_buddy_add_free_block(struct bt_buddy *b, uint64_t pfn,
			    unsigned int order, int mt);

/**
 * bt_buddy_add_free_block_above - add a block above every free block
 * @pfn: head, aligned on 2^@order
 * @order: 0..max_order
 * @mt: as for bt_buddy_add_free_block()
 *
 * bt_buddy_add_free_block() of a block the caller knows to lie above
 * every free and pcp block of its zone (a free-page map added in pfn
 * order on a fresh zone): the overlap check, which reads the state of
 * every page of the block, is skipped, so the inside of a large free
 * block is never touched. Same returns, but never -EEXIST.
 */
int bt_buddy_add_free_block_above(struct bt_buddy *b, uint64_t pfn,
				  unsigned int order, int mt);

/**
 * bt_buddy_mark_allocated - record a block as allocated
 * @pfn: head, aligned on 2^@order
 * @order: order of the allocation
 * @mt: the allocation's migratetype (MOVABLE blocks can be compacted)
 *
 * Free or pcp pages inside the range are taken out first (a "silent
 * allocation": compaction isolation, bulk or contig allocations the trace
 * did not show); the number of such pages is returned. Returns that count
 * (>= 0) or -EINVAL / -ENOENT.
 */
long bt_buddy_mark_allocated(struct bt_buddy *b, uint64_t pfn,
			     unsigned int order, int mt);

/**
 * struct bt_alloc_request - one allocation
 * @order: 0..10 (larger fails as the kernel fails it)
 * @gfp: BT_BUDDY_GFP_* mask (canonical BT_GFP_* of a trace)
 * @migratetype: -1: gfp_migratetype(); else the type to use
 * @cpu: CPU whose pcp serves the request
 * @nid: preferred node (-1: the first node)
 * @task_flags: BT_TASK_*
 * @forced_pfn: mirror mode: BT_BUDDY_PFN_NONE lets the model choose; a pfn
 *	applies the recorded placement (the block is taken from that pcp
 *	list or carved out of the free lists, never refilled) while the
 *	decisions are still evaluated, without running reclaim, compaction
 *	or OOM: a result with path BT_PATH_SLOW and got BT_GOT_NONE means
 *	the free lists could not have served it before direct reclaim or
 *	compaction (stages show how far the checks went)
 * @forced_failure: mirror mode: the recorded allocation failed; evaluate
 *	the decisions only
 * @evaluate_only: evaluate the decisions on the current state and take
 *	nothing (no counters change): path FAST or SLOW with the attempt
 *	that would succeed, or FAILED with the exit (BT_FAIL_NO_PROGRESS
 *	with BT_STAGE_DIRECT_RECLAIM: only reclaim or compaction could help)
 */
struct bt_alloc_request {
	unsigned int order;
	uint64_t gfp;
	int migratetype;
	int cpu;
	int nid;
	unsigned int task_flags;
	uint64_t forced_pfn;
	bool forced_failure;
	bool evaluate_only;
};

/**
 * bt_alloc_request_init - request of @order and @gfp on CPU 0, model mode
 */
void bt_alloc_request_init(struct bt_alloc_request *rq, unsigned int order,
			   uint64_t gfp);

/* Which path produced the result. */
enum bt_alloc_path {
	BT_PATH_FAST = 1,	/* first get_page_from_freelist() succeeded */
	BT_PATH_SLOW = 2,	/* __alloc_pages_slowpath() returned a page */
	BT_PATH_FAILED = 3,	/* NULL returned */
};

/* Slow-path stages entered (bit mask, struct bt_alloc_result.stages). */
#define BT_STAGE_KSWAPD_WAKE	(1u << 0)  /* wake_all_kswapds() called */
#define BT_STAGE_MIN_WMARK	(1u << 1)  /* first attempt at WMARK_MIN */
#define BT_STAGE_INIT_COMPACT	(1u << 2)  /* initial async compaction */
#define BT_STAGE_INIT_COMPACT_EXIT (1u << 3) /* costly NORETRY gave up */
#define BT_STAGE_RESERVES	(1u << 4)  /* reserve flags applied */
#define BT_STAGE_RETRY_ATTEMPT	(1u << 5)  /* freelist attempt in retry */
#define BT_STAGE_DIRECT_RECLAIM	(1u << 6)
#define BT_STAGE_DRAIN		(1u << 7)  /* unreserve + drain_all_pages */
#define BT_STAGE_DIRECT_COMPACT	(1u << 8)
#define BT_STAGE_NORETRY_EXIT	(1u << 9)
#define BT_STAGE_COSTLY_EXIT	(1u << 10) /* costly, no RETRY_MAYFAIL */
#define BT_STAGE_RECLAIM_RETRY	(1u << 11) /* should_reclaim_retry: yes */
#define BT_STAGE_COMPACT_RETRY	(1u << 12) /* should_compact_retry: yes */
#define BT_STAGE_UNRESERVE	(1u << 13) /* a HIGHATOMIC block released */
#define BT_STAGE_OOM		(1u << 14) /* __alloc_pages_may_oom() */
#define BT_STAGE_OOM_KILL	(1u << 15) /* out_of_memory() looked for a
					    * victim (not for !__GFP_FS) */
#define BT_STAGE_NOFAIL		(1u << 16) /* NOFAIL nopage loop */
#define BT_STAGE_NO_RECLAIM_EXIT (1u << 17) /* !__GFP_DIRECT_RECLAIM */
#define BT_STAGE_MEMALLOC_EXIT	(1u << 18) /* PF_MEMALLOC task */
#define BT_STAGE_FAIL		(1u << 19) /* warn_alloc / NULL */

/* The attempt that produced the page. */
enum bt_alloc_got {
	BT_GOT_NONE = 0,
	BT_GOT_FAST,
	BT_GOT_MIN_WMARK,	/* slow path step 3 */
	BT_GOT_INIT_COMPACT,	/* step 4 */
	BT_GOT_RETRY,		/* step 9 (incl. reserves) */
	BT_GOT_RECLAIM,		/* step 12 */
	BT_GOT_COMPACT,		/* step 13 (captured or freelist) */
	BT_GOT_OOM_LAST_CHANCE,	/* high-watermark attempt in may_oom */
	BT_GOT_NOFAIL,		/* cpuset fallback of NOFAIL */
};

/* Why no page, or why OOM was not invoked. */
enum bt_alloc_fail {
	BT_FAIL_NONE = 0,
	BT_FAIL_ORDER,		/* order above max_order */
	BT_FAIL_NO_ZONE,	/* no zone usable by the gfp */
	BT_FAIL_INIT_COMPACT,	/* costly NORETRY: compaction skipped/deferred */
	BT_FAIL_NO_RECLAIM,	/* cannot direct reclaim (atomic, NOWAIT) */
	BT_FAIL_MEMALLOC,	/* PF_MEMALLOC task, reserves exhausted */
	BT_FAIL_NORETRY,
	BT_FAIL_COSTLY,		/* costly order without RETRY_MAYFAIL/REPEAT */
	BT_FAIL_NO_PROGRESS,	/* retries exhausted and OOM made no progress */
	BT_FAIL_OOM_VICTIM,	/* OOM victim with ALLOC_OOM/NOMEMALLOC */
	BT_FAIL_NOFAIL_NO_RECLAIM, /* NOFAIL without direct reclaim */
	BT_FAIL_LOOP_LIMIT,	/* model safety cap on retry loops */
	BT_FAIL_RECORDED,	/* mirror mode: the trace says it failed */
};

/* OOM decision of __alloc_pages_may_oom() / out_of_memory(). */
enum bt_oom_verdict {
	BT_OOM_NOT_REACHED = 0,
	BT_OOM_LAST_CHANCE_OK,	/* high-watermark attempt got a page */
	BT_OOM_SKIP_COSTLY,	/* order > 3 */
	BT_OOM_SKIP_RETRY_MAYFAIL,
	BT_OOM_SKIP_THISNODE,
	BT_OOM_SKIP_LOWZONE,	/* highest zone below Normal */
	BT_OOM_NO_KILL_NOFS,	/* !__GFP_FS: progress without a kill */
	BT_OOM_KILLED,		/* a victim was chosen (hook returned true) */
	BT_OOM_NO_VICTIM,	/* out_of_memory() found nothing to kill */
	BT_OOM_NOFAIL,		/* no kill but NOFAIL counts as progress */
};

/* Compaction results (enum compact_result numbers of 5.x-6.x). */
enum bt_compact_result {
	BT_COMPACT_NOT_SUITABLE_ZONE = 0,
	BT_COMPACT_SKIPPED = 1,
	BT_COMPACT_DEFERRED = 2,
	BT_COMPACT_NO_SUITABLE_PAGE = 3,
	BT_COMPACT_CONTINUE = 4,
	BT_COMPACT_COMPLETE = 5,
	BT_COMPACT_PARTIAL_SKIPPED = 6,
	BT_COMPACT_CONTENDED = 7,
	BT_COMPACT_SUCCESS = 8,
};

/* enum compact_priority: lower is more effort. */
enum bt_compact_prio {
	BT_COMPACT_PRIO_SYNC_FULL = 0,
	BT_COMPACT_PRIO_SYNC_LIGHT = 1,
	BT_COMPACT_PRIO_ASYNC = 2,
};

/**
 * struct bt_extfrag - the fields of mm_page_alloc_extfrag
 * @pfn: the page returned (or the fallback block)
 * @alloc_order: requested order
 * @fallback_order: order of the free block taken
 * @alloc_mt: requested migratetype
 * @fallback_mt: type of the list it came from
 * @change_ownership: the pageblock now has the requested type
 */
struct bt_extfrag {
	uint64_t pfn;
	unsigned int alloc_order;
	unsigned int fallback_order;
	int alloc_mt;
	int fallback_mt;
	bool change_ownership;
};

/**
 * struct bt_alloc_result - what the model did with a request
 * @pfn: block handed out, BT_BUDDY_PFN_NONE on failure
 * @zone: zone id of the block, -1 on failure
 * @path: fast, slow or failed
 * @got: the attempt that produced the page
 * @stages: BT_STAGE_* entered
 * @fail: reason for failure (BT_FAIL_NONE on success)
 * @oom: OOM decision when the slow path got that far
 * @alloc_flags: alloc flags of the last freelist attempt (BT_ALLOC_*)
 * @migratetype: the request's migratetype
 * @highest_zoneidx: gfp_zone() of the request
 * @from_pcp: served from a per-CPU list
 * @pcp_refill: blocks pulled into the pcp list by a refill
 * @nr_fallbacks: extfrag events during this request (pcp refills can
 *	cause several)
 * @fallback: the first of them
 * @kswapd_woken: kswapd threads actually woken from sleep
 * @reclaim_rounds: direct reclaim rounds
 * @reclaimed: pages direct reclaim reported
 * @compact_rounds: direct compaction runs (incl. the initial one)
 * @compact_result: result of the last one
 * @compact_prio: priority of the last one
 * @no_progress_loops: should_reclaim_retry() counter at the end
 * @compact_retries: should_compact_retry() counter at the end
 * @forced_found: mirror mode: where the forced pfn was (0: buddy free
 *	lists, 1: this CPU's pcp, 2: another CPU's pcp, -1: not free)
 */
struct bt_alloc_result {
	uint64_t pfn;
	int zone;
	enum bt_alloc_path path;
	enum bt_alloc_got got;
	uint32_t stages;
	enum bt_alloc_fail fail;
	enum bt_oom_verdict oom;
	unsigned int alloc_flags;
	int migratetype;
	int highest_zoneidx;
	bool from_pcp;
	unsigned int pcp_refill;
	unsigned int nr_fallbacks;
	struct bt_extfrag fallback;
	unsigned int kswapd_woken;
	unsigned int reclaim_rounds;
	uint64_t reclaimed;
	unsigned int compact_rounds;
	enum bt_compact_result compact_result;
	enum bt_compact_prio compact_prio;
	unsigned int no_progress_loops;
	unsigned int compact_retries;
	int forced_found;
};

/**
 * bt_buddy_alloc - allocate as the kernel would
 * @b: model
 * @rq: the request
 * @res: filled in, success or failure
 *
 * Returns 0 when the request was processed (whether or not a page was
 * found: see @res->path), or -EINVAL for a malformed request (cpu out of
 * range, forced pfn misaligned or outside every zone).
 */
int bt_buddy_alloc(struct bt_buddy *b, const struct bt_alloc_request *rq,
		   struct bt_alloc_result *res);

/* bt_buddy_free() flags. */
#define BT_FREE_NO_PCP		0x1	/* straight to the buddy lists */
#define BT_FREE_NO_DRAIN	0x2	/* mirror: onto the pcp, no high check */
#define BT_FREE_TO_TAIL		0x4	/* FPI_TO_TAIL */

/**
 * bt_buddy_free - free a block
 * @b: model
 * @pfn: head, aligned on 2^@order
 * @order: order of the allocation being freed
 * @cpu: CPU freeing it (its pcp takes pcp-able orders)
 * @flags: BT_FREE_*
 *
 * The block need not be known as allocated (pages in use before the model
 * started are fine). Returns 0, -EINVAL (bad pfn, order or cpu), -ENOENT
 * (outside every zone), -EALREADY (some page of it is already free or on a
 * pcp list: the model state is left unchanged).
 */
int bt_buddy_free(struct bt_buddy *b, uint64_t pfn, unsigned int order,
		  int cpu, unsigned int flags);

/**
 * bt_buddy_pcp_drain - drain_pages(): empty a CPU's pcp lists of all zones
 * @cpu: CPU, or -1 for every CPU (drain_all_pages())
 *
 * Returns the number of pages returned to the buddy lists.
 */
long bt_buddy_pcp_drain(struct bt_buddy *b, int cpu);

/**
 * bt_buddy_pcp_decay - decay_pcp_high() of every pcp (vmstat worker tick)
 *
 * Call once per second of trace time to mirror refresh_cpu_vm_stats().
 * Returns the number of pages drained.
 */
long bt_buddy_pcp_decay(struct bt_buddy *b);

/**
 * bt_buddy_pcp_refill_block - mirror of mm_page_alloc_zone_locked with
 * percpu_refill: move a free block to the tail of a CPU's pcp list
 * @list_mt: the list (request migratetype of the refill)
 *
 * Returns 0, -EINVAL, -ENOENT, or -EALREADY if the block is not free.
 */
int bt_buddy_pcp_refill_block(struct bt_buddy *b, int cpu, uint64_t pfn,
			      unsigned int order, int list_mt);

/**
 * bt_buddy_pcp_drain_block - mirror of mm_page_pcpu_drain: move one block
 * from whatever pcp list holds it to the buddy (__free_one_page())
 *
 * Returns 0, -EINVAL, -ENOENT, or -EALREADY if the block is on no pcp list.
 */
int bt_buddy_pcp_drain_block(struct bt_buddy *b, uint64_t pfn,
			     unsigned int order);

/* --- reclaim, OOM, compaction ---------------------------------------- */

/**
 * struct bt_reclaim_request - what a reclaimer asks for
 * @nid: node
 * @highest_zoneidx: zones up to this type
 * @order: order of the allocation that caused it
 * @gfp: its gfp (0 for kswapd)
 * @nr_to_reclaim: pages wanted (32 for direct reclaim)
 * @kswapd: kswapd's balance_pgdat() rather than direct reclaim
 */
struct bt_reclaim_request {
	int nid;
	int highest_zoneidx;
	unsigned int order;
	uint64_t gfp;
	uint64_t nr_to_reclaim;
	bool kswapd;
};

/* An OOM kill request (out_of_memory()). */
struct bt_oom_request {
	int nid;
	int highest_zoneidx;
	unsigned int order;
	uint64_t gfp;
};

/* Model events, for callers that compare them with a trace. */
enum bt_buddy_event_kind {
	BT_BEV_ZONE_LOCKED = 1,	/* a=order b=mt flag=percpu_refill */
	BT_BEV_EXTFRAG,		/* extfrag filled */
	BT_BEV_PCPU_DRAIN,	/* a=order b=mt */
	BT_BEV_WAKEUP_KSWAPD,	/* a=order b=zone type */
	BT_BEV_COMPACT_END,	/* a=order b=result */
	BT_BEV_COMPACT_DEFERRED, /* a=order */
	BT_BEV_RECLAIM_RETRY_ZONE, /* a=no_progress_loops flag=wmark_check */
	BT_BEV_COMPACT_RETRY,	/* a=retries b=prio flag=decision */
	BT_BEV_OOM,		/* a=verdict */
};

/**
 * struct bt_buddy_event - one model event
 * @kind: enum bt_buddy_event_kind
 * @zone: zone id or -1
 * @pfn: block or BT_BUDDY_PFN_NONE
 * @a: per kind (see the enum)
 * @b: per kind
 * @flag: per kind
 * @extfrag: BT_BEV_EXTFRAG only
 */
struct bt_buddy_event {
	enum bt_buddy_event_kind kind;
	int zone;
	uint64_t pfn;
	long a;
	long b;
	bool flag;
	struct bt_extfrag extfrag;
};

/**
 * struct bt_buddy_hooks - what the model cannot know, supplied by replay
 * @reclaim: free pages for a reclaimer (with bt_buddy_free(), typically
 *	the frees the trace shows inside that reclaim window) and return how
 *	many pages were reclaimed. NULL: the model takes blocks from its
 *	reclaim pool (bt_buddy_reclaim_add()).
 * @oom: kill a victim: free its pages (bt_buddy_free()) and return true,
 *	or return false when there is nothing to kill. NULL: no victim.
 * @move: compaction moved an allocated block (replay updates its pfn map)
 * @event: model event (NULL: none); called synchronously, must not call
 *	back into the model
 * @data: passed to every hook
 */
struct bt_buddy_hooks {
	uint64_t (*reclaim)(struct bt_buddy *b,
			    const struct bt_reclaim_request *rq, void *data);
	bool (*oom)(struct bt_buddy *b, const struct bt_oom_request *rq,
		    void *data);
	void (*move)(struct bt_buddy *b, uint64_t old_pfn, uint64_t new_pfn,
		     unsigned int order, void *data);
	void (*event)(struct bt_buddy *b, const struct bt_buddy_event *ev,
		      void *data);
	void *data;
};

/** bt_buddy_set_hooks - install hooks (copied; NULL clears them all) */
void bt_buddy_set_hooks(struct bt_buddy *b, const struct bt_buddy_hooks *h);

/**
 * bt_buddy_reclaim_add - offer an allocated block to reclaim
 * @pfn: head of an allocated block
 * @order: its order
 *
 * The reclaim pool is a FIFO: direct reclaim frees blocks from it until 32
 * pages (SWAP_CLUSTER_MAX) are freed, kswapd until its node is balanced.
 * Blocks freed meanwhile by other means are skipped. Returns 0, -EINVAL,
 * -ENOMEM.
 */
int bt_buddy_reclaim_add(struct bt_buddy *b, uint64_t pfn, unsigned int order);

/** bt_buddy_reclaim_pending - pages waiting in the reclaim pool */
uint64_t bt_buddy_reclaim_pending(const struct bt_buddy *b);

/**
 * bt_buddy_kswapd_set_state - the trace says kswapd of @nid is awake or
 * asleep (mm_vmscan_kswapd_wake / _sleep); sets ZONE_RECLAIM_ACTIVE.
 * Going to sleep clears the boosts of the node's zones (balance_pgdat()).
 * Returns 0 or -EINVAL.
 */
int bt_buddy_kswapd_set_state(struct bt_buddy *b, int nid, bool awake);

/**
 * bt_buddy_kswapd_run - run kswapd of @nid now (balance_pgdat()):
 * reclaim until the node is balanced at the high watermark, clear boosts,
 * go to sleep (kcompactd is woken for the order it was asked for).
 * Returns pages reclaimed (>= 0) or -EINVAL.
 */
long bt_buddy_kswapd_run(struct bt_buddy *b, int nid);

/** bt_buddy_kswapd_awake - whether kswapd of @nid is awake */
bool bt_buddy_kswapd_awake(const struct bt_buddy *b, int nid);

/**
 * bt_buddy_compact_zone - run compaction on one zone
 * @zid: zone id
 * @order: target order (-1: whole zone, as /proc/sys/vm/compact_memory)
 * @prio: enum bt_compact_prio
 *
 * Returns the enum bt_compact_result (>= 0) or -EINVAL.
 */
int bt_buddy_compact_zone(struct bt_buddy *b, int zid, int order, int prio);

/**
 * bt_buddy_kcompactd_run - kcompactd_do_work() for a node, at the order
 * it was last woken for. Returns the number of zones compacted or -EINVAL.
 */
int bt_buddy_kcompactd_run(struct bt_buddy *b, int nid);

/**
 * bt_buddy_proactive_compact - one proactive compaction check of @nid
 * (kcompactd's timer, every 500 ms of trace time)
 *
 * Returns 1 when it compacted, 0 when the score was low enough, -EINVAL.
 */
int bt_buddy_proactive_compact(struct bt_buddy *b, int nid);

/* --- reading the state ------------------------------------------------ */

/**
 * struct bt_zone_info - a zone's configuration and counters (plain value)
 * @free_pages: NR_FREE_PAGES (pages on free lists, ISOLATE excluded)
 * @free_cma: free pages in CMA lists
 * @free_highatomic: free pages in HIGHATOMIC lists
 * @nr_free: free_area[o].nr_free (all types)
 * @nr_free_mt: free blocks per order and list type (pagetypeinfo)
 * @pageblocks: pageblocks per type (whole pageblocks starting in the zone)
 * @pcp_pages: pages on the pcp lists of all CPUs
 * @compact_considered, @compact_defer_shift, @compact_order_failed:
 *	deferral state
 * @boosted: ZONE_BOOSTED_WATERMARK set
 */
struct bt_zone_info {
	int node;
	int zone_type;
	char name[16];
	uint64_t start_pfn;
	uint64_t spanned;
	uint64_t present;
	uint64_t managed;
	uint64_t wmark_min;
	uint64_t wmark_low;
	uint64_t wmark_high;
	uint64_t wmark_boost;
	uint64_t protection[BT_NR_ZONE_TYPES];
	int pcp_high_min;
	int pcp_high_max;
	int pcp_batch;
	uint64_t nr_reserved_highatomic;
	uint64_t reclaimable;
	uint64_t free_pages;
	uint64_t free_cma;
	uint64_t free_highatomic;
	uint64_t nr_free[BT_BUDDY_NR_ORDERS];
	uint64_t nr_free_mt[BT_BUDDY_NR_ORDERS][BT_MT_TYPES];
	uint64_t pageblocks[BT_MT_TYPES];
	uint64_t pcp_pages;
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	unsigned int compact_order_failed;
	bool boosted;
};

/**
 * bt_buddy_zone_nr_free - the free blocks per order of zone @zid
 *
 * The nr_free[] of bt_buddy_zone_info() alone, in O(orders) (zone_info
 * also counts the pageblocks). Returns 0 or -EINVAL.
 */
int bt_buddy_zone_nr_free(const struct bt_buddy *b, int zid,
			  uint64_t nr_free[BT_BUDDY_NR_ORDERS]);

/**
 * bt_buddy_zone_wmarks - the watermarks of zone @zid
 * @wmark: set to min, low, high (without the boost) and the boost
 * @managed: set to the zone's managed pages
 *
 * Those fields of bt_buddy_zone_info() alone, in O(1), for callers that
 * need them per event. Returns 0 or -EINVAL.
 */
int bt_buddy_zone_wmarks(const struct bt_buddy *b, int zid,
			 uint64_t wmark[4], uint64_t *managed);

/** bt_buddy_zone_info - fill @out for zone @zid; 0 or -EINVAL */
int bt_buddy_zone_info(const struct bt_buddy *b, int zid,
		       struct bt_zone_info *out);

/**
 * struct bt_pcp_info - one CPU's pcp of a zone
 * @count: pages on its lists
 * @lists: blocks per list (pindex order: order*3+mt for orders 0..3, then
 *	the THP lists; 4.12: one per pcp type)
 */
struct bt_pcp_info {
	int count;
	int high;
	int high_min;
	int high_max;
	int batch;
	unsigned int alloc_factor;
	int free_count;
	unsigned int nr_lists;
	unsigned int lists[16];
};

/** bt_buddy_pcp_info - fill @out; 0 or -EINVAL */
int bt_buddy_pcp_info(const struct bt_buddy *b, int zid, int cpu,
		      struct bt_pcp_info *out);

/* Block states reported by the iterator. */
enum bt_block_state {
	BT_BLOCK_FREE = 1,	/* on a buddy free list */
	BT_BLOCK_PCP = 2,	/* on a per-CPU list */
	BT_BLOCK_ALLOCATED = 3,	/* allocated and known to the model */
};

/**
 * struct bt_block - one block of the model
 * @pfn: head
 * @order: order
 * @mt: list type (free, pcp) or the allocation's migratetype
 * @state: enum bt_block_state
 */
struct bt_block {
	uint64_t pfn;
	unsigned int order;
	int mt;
	enum bt_block_state state;
};

/**
 * bt_buddy_block_at - the block containing @pfn
 *
 * Returns 0 and fills @out, -ENOENT when no known block holds @pfn (in
 * use but untracked, or outside every zone).
 */
int bt_buddy_block_at(const struct bt_buddy *b, uint64_t pfn,
		      struct bt_block *out);

/**
 * bt_buddy_pageblock_nr_free - pages on the free lists in the pageblock
 * holding @pfn (the model's per-pageblock counter, which bt_buddy_check()
 * verifies)
 *
 * Returns the count, or -1 when @pfn lies outside every zone.
 */
int bt_buddy_pageblock_nr_free(const struct bt_buddy *b, uint64_t pfn);

/**
 * bt_buddy_next_free_head - the next free block starting in a range
 * @pfn: first pfn to look at
 * @end: end of the range (exclusive)
 * @order: set to the block's order when one is found
 *
 * Returns the first pfn in [@pfn, @end) that is the head of a free block
 * (where bt_buddy_block_at() would report a BT_BLOCK_FREE block starting
 * at that pfn), or @end when there is none. Untracked pages are skipped
 * in bulk, so a scan for free blocks need not look at every page.
 */
uint64_t bt_buddy_next_free_head(const struct bt_buddy *b, uint64_t pfn,
				 uint64_t end, unsigned int *order);

/**
 * bt_buddy_free_list_walk - visit one free list's blocks from the tail
 * @zid: zone id
 * @order: the list's order
 * @mt: the list's migratetype
 * @max: visit at most this many
 * @fn: called with each block's head pfn and its index from the tail
 *      (0 first, the order list_for_each_entry_reverse() visits them in);
 *      returning true stops the walk there
 *
 * Returns the number of blocks visited, or -EINVAL. @fn must not change
 * the lists.
 */
int bt_buddy_free_list_walk(const struct bt_buddy *b, int zid,
			    unsigned int order, int mt, unsigned int max,
			    bool (*fn)(void *data, uint64_t pfn,
				       unsigned int i),
			    void *data);

/**
 * bt_buddy_free_list_gen - the change count of one free list
 * @zid: zone id
 * @order: the list's order
 * @mt: the list's migratetype
 *
 * A number that changes whenever a block joins or leaves the list or the
 * list is rotated (it wraps at 2^32), so a caller can keep what a walk
 * found while the number stays the same. 0 for arguments out of range.
 */
uint32_t bt_buddy_free_list_gen(const struct bt_buddy *b, int zid,
				unsigned int order, int mt);

/**
 * bt_buddy_free_list_rotate - move_freelist_head() of mm/compaction.c
 * @pfn: the head of a free block
 *
 * The blocks in front of the free block at @pfn move, in their order, to
 * the tail of its list, so that the block becomes the list's head.
 * Returns 0, or -ENOENT when no free block starts at @pfn.
 */
int bt_buddy_free_list_rotate(struct bt_buddy *b, uint64_t pfn);

/**
 * bt_buddy_for_each_block - visit a zone's blocks in pfn order
 * @zid: zone id
 * @states: mask of (1 << enum bt_block_state) to visit
 * @fn: called per block; a non-zero return stops the walk and is returned
 * @data: passed to @fn
 *
 * The model must not change during the walk. Returns 0, @fn's value, or
 * -EINVAL.
 */
int bt_buddy_for_each_block(const struct bt_buddy *b, int zid,
			    unsigned int states,
			    int (*fn)(const struct bt_block *blk, void *data),
			    void *data);

/**
 * struct bt_buddy_stats - vmstat-like counters since bt_buddy_new()
 */
struct bt_buddy_stats {
	uint64_t pgalloc[BT_NR_ZONE_TYPES];	/* pages */
	uint64_t pgfree;			/* pages */
	uint64_t allocs_fast;
	uint64_t allocs_slow;
	uint64_t allocs_failed;
	uint64_t pcp_hits;
	uint64_t pcp_refills;
	uint64_t pcp_drained_blocks;
	uint64_t extfrag;
	uint64_t extfrag_claimed;
	uint64_t kswapd_wakes;
	uint64_t allocstall;
	uint64_t compact_stall;
	uint64_t compact_success;
	uint64_t compact_fail;
	uint64_t compact_migrated;		/* blocks moved */
	uint64_t oom_kill;
	uint64_t silent_allocs;			/* pages carved out */
};

/** bt_buddy_get_stats - copy the counters */
void bt_buddy_get_stats(const struct bt_buddy *b, struct bt_buddy_stats *out);

/**
 * bt_buddy_state_bytes - heap bytes of model state (arrays and lists)
 */
size_t bt_buddy_state_bytes(const struct bt_buddy *b);

/**
 * bt_buddy_check - verify every invariant
 * @err: receives a one-line description of the first violation
 * @len: size of @err
 *
 * Walks every zone, free list, pcp list and counter. Returns 0 or
 * BT_E_INTERNAL.
 */
int bt_buddy_check(const struct bt_buddy *b, char *err, size_t len);

/* --- decisions that replay and metrics reuse ---------------------------- */

/**
 * bt_buddy_gfp_zone - gfp_zone(): highest zone type usable by @gfp
 */
int bt_buddy_gfp_zone(uint64_t gfp);

/**
 * bt_buddy_gfp_migratetype - gfp_migratetype() under the model's
 * mobility setting
 */
int bt_buddy_gfp_migratetype(const struct bt_buddy *b, uint64_t gfp);

/**
 * bt_buddy_watermark_ok - __zone_watermark_ok() of the model's profile
 * @zid: zone id
 * @order: order
 * @mark: watermark pages (boost included if wanted)
 * @highest_zoneidx: index into the lowmem reserve
 * @alloc_flags: BT_ALLOC_*
 *
 * Uses the zone's current NR_FREE_PAGES and free lists.
 */
bool bt_buddy_watermark_ok(const struct bt_buddy *b, int zid,
			   unsigned int order, uint64_t mark,
			   int highest_zoneidx, unsigned int alloc_flags);

/* Setup from /proc state, watermarks and metrics: in their own file. */
#include "buddy-setup.h"

#endif
