/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * allocator-internal.h - the model's state and the helpers its files share.
 *
 * Per zone, dense arrays indexed by (pfn - start): next/prev list links
 * (32-bit indices), st (block state << 4 | order, on head pages only) and mt
 * (list type of a free or pcp block, or the migratetype of an allocated
 * block), and pcp_cpu (the CPU whose list holds a pcp block). Lists are
 * circular with sentinel nodes stored after the pages in
 * the same link arrays: the 66 free lists (order * 6 + type) first, then
 * each CPU's pcp lists. A block can therefore be unlinked without knowing
 * which list holds it, in O(1), as the kernel does with list_del().
 */
#ifndef BT_ALLOCATOR_INTERNAL_H
#define BT_ALLOCATOR_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "allocator/buddy.h"
#include "common/common.h"

#define BT_MAX_NODES 64
#define BT_NR_PCP_LISTS_6X 14 /* 12 for orders 0..3, 2 for THP */
#define BT_NR_PCP_LISTS_412 3
#define BT_PCP_MAX_LISTS 14
#define BT_NR_FREE_LISTS (BT_BUDDY_NR_ORDERS * BT_MT_TYPES)
#define BT_PCP_BATCH_SCALE_MAX 5 /* CONFIG_PCP_BATCH_SCALE_MAX */
#define BT_MAX_RECLAIM_RETRIES 16
#define BT_MAX_COMPACT_RETRIES 16
#define BT_COMPACT_MAX_DEFER_SHIFT 6
#define BT_SWAP_CLUSTER_MAX 32
#define BT_SLOW_LOOP_LIMIT 64 /* model safety cap on retries */

/* Page state, high nibble of st[]; the low nibble is the order. */
enum { PS_NONE = 0, PS_FREE = 1, PS_PCP = 2, PS_ALLOC = 3 };
#define ST(state, order) ((uint8_t)((state) << 4 | (order)))
#define ST_STATE(v) ((v) >> 4)
#define ST_ORDER(v) ((v)&0xf)

/* Pageblock byte: type in the low bits, compaction skip hint above. */
#define PB_MT_MASK 0x07
#define PB_SKIP 0x08

/* Zone flags. */
#define ZF_BOOSTED 0x1	      /* ZONE_BOOSTED_WATERMARK */
#define ZF_BELOW_HIGH 0x2     /* ZONE_BELOW_HIGH (6.7+) */
#define ZF_RECLAIM_ACTIVE 0x4 /* ZONE_RECLAIM_ACTIVE */

#define PCPF_PREV_FREE_HIGH_ORDER 0x1

struct bt_pcp {
	int count; /* pages */
	int high;
	int high_min;
	int high_max;
	int batch;
	unsigned int alloc_factor;
	int free_count;
	unsigned int flags;
	unsigned int nr[BT_PCP_MAX_LISTS]; /* blocks per list */
};

/* A list entry: both links of a slot side by side, so a block head
 * touched is one page of the array, not one in each of two. */
struct bt_link {
	uint32_t next, prev;
};

struct bt_zone {
	int id;
	int node;
	int type;
	char name[16];
	uint64_t start;
	uint32_t spanned;
	uint64_t present;
	uint64_t managed;
	uint64_t wmark[3]; /* _watermark[], without boost */
	uint64_t boost;
	uint64_t prot[BT_NR_ZONE_TYPES];
	uint64_t nr_reserved_highatomic;
	uint64_t reclaimable;
	uint64_t pool_pages; /* reclaim pool blocks in this zone */
	int64_t free_pages;  /* NR_FREE_PAGES */
	int64_t free_cma;
	int64_t free_highatomic;
	uint64_t nr_free[BT_BUDDY_NR_ORDERS];
	/* per free list: bumped at every change (bt_buddy_free_list_gen()) */
	uint32_t fl_gen[BT_BUDDY_NR_ORDERS][BT_MT_TYPES];
	uint64_t nr_mt[BT_BUDDY_NR_ORDERS][BT_MT_TYPES];
	unsigned int flags;
	/*
	 * per page, plus the list sentinels: list links, reached through
	 * LNEXT()/LPREV() (link_slot() below)
	 */
	struct bt_link *link;
	uint32_t link_off;	/* start % 1024 */
	uint32_t link_rows;	/* aligned 1024-page groups spanned */
	uint8_t *st;
	uint8_t *mt;		/* per page, laid out by page_slot() */
	/*
	 * owner CPU of a pcp block, on its head page: one byte a page when
	 * the CPUs fit (pcp_cpu_wide false), else two (pcp_cpu_of() and
	 * pcp_cpu_set() below); half the pages to map on most machines
	 */
	void *pcp_cpu;
	bool pcp_cpu_wide;
	/* per pageblock */
	uint8_t *pb;
	uint16_t *pb_free;    /* pages on free lists, per pageblock */
	uint16_t *pb_movable; /* pages of known MOVABLE allocations */
	uint64_t pb_first;    /* start >> pageblock_order */
	uint64_t nr_pb;
	/* per cpu */
	struct bt_pcp *pcp;
	uint32_t pcp_sent; /* first pcp sentinel */
	int pcp_high_min;
	int pcp_high_max;
	int pcp_batch;
	/* compaction */
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	unsigned int compact_order_failed;
	uint64_t cached_migrate_pfn;
	uint64_t cached_free_pfn;
	bool blockskip_flush;
};

static inline unsigned int pcp_cpu_of(const struct bt_zone *z, uint32_t idx)
{
	return z->pcp_cpu_wide ? ((const uint16_t *)z->pcp_cpu)[idx] :
				 ((const uint8_t *)z->pcp_cpu)[idx];
}

static inline void pcp_cpu_set(struct bt_zone *z, uint32_t idx,
			       unsigned int cpu)
{
	if (z->pcp_cpu_wide)
		((uint16_t *)z->pcp_cpu)[idx] = (uint16_t)cpu;
	else
		((uint8_t *)z->pcp_cpu)[idx] = (uint8_t)cpu;
}

struct bt_node {
	bool present;
	bool kswapd_awake;
	unsigned int kswapd_order;
	int kswapd_hz;
	unsigned int kswapd_failures;
	int kcompactd_order;
	int kcompactd_hz;
	int nr_zl;
	int zl[BT_MAX_NODES * BT_NR_ZONE_TYPES < BT_BUDDY_MAX_ZONES
		   ? BT_MAX_NODES * BT_NR_ZONE_TYPES
		   : BT_BUDDY_MAX_ZONES];
};

struct bt_reclaim_ent {
	uint64_t pfn;
	unsigned int order;
};

struct bt_capture {
	bool active;
	int zone;
	unsigned int order;
	int mt;
	uint64_t pfn; /* captured block, or PFN_NONE */
};

struct bt_buddy {
	struct bt_buddy_config cfg;
	bool v6;      /* 6.x profile */
	bool harder;  /* ALLOC_HARDER era: 4.12, or 6.x before 6.3 */
	int fallback; /* resolved enum bt_fallback_policy */
	unsigned int max_order;
	unsigned int pb_order;
	uint32_t pb_pages;
	unsigned int nr_pcp_lists;
	int nr_zones;
	int nr_nodes;  /* nodes with at least one zone */
	int zone_hint; /* last zone bt_zone_of() found */
	struct bt_zone *zones[BT_BUDDY_MAX_ZONES];
	struct bt_node nodes[BT_MAX_NODES];
	struct bt_buddy_hooks hooks;
	struct bt_buddy_stats stats;
	struct bt_reclaim_ent *pool; /* ring buffer */
	size_t pool_head;
	size_t pool_len;
	size_t pool_cap;
	uint64_t pool_pages;
	struct bt_capture capc;
	struct bt_alloc_result *cur_res; /* request in progress, or NULL */
	bool dry; /* mirror evaluation in progress: change nothing */
};

/* --- small helpers --------------------------------------------------- */

static inline uint32_t free_sent(const struct bt_zone *z, unsigned int order,
				 int mt)
{
	return z->spanned + order * BT_MT_TYPES + (uint32_t)mt;
}

static inline uint32_t pcp_sent(const struct bt_buddy *b,
				const struct bt_zone *z, int cpu, int pindex)
{
	return z->pcp_sent + (uint32_t)cpu * b->nr_pcp_lists + (uint32_t)pindex;
}

/*
 * Where a page's links live: at the page's own slot (pfn order, so the
 * small blocks of one region share a page of the arrays), except for
 * pfns on a 64-page boundary (every head of a block of order 6 and more),
 * whose links are gathered after those slots, one per 64 pages. A zone of
 * idle memory in large blocks then touches a 64th of the arrays, not
 * every page of them. The sentinels come last.
 */
static inline uint32_t link_slot(const struct bt_zone *z, uint32_t i)
{
	uint32_t a;

	if (i >= z->spanned)
		return z->link_rows * (1024u + 16u) + (i - z->spanned);
	a = i + z->link_off;
	return (a & 63u) ? a : z->link_rows * 1024u + (a >> 6);
}

#define LNEXT(z, i) ((z)->link[link_slot((z), (i))].next)
#define LPREV(z, i) ((z)->link[link_slot((z), (i))].prev)

/*
 * The state and migratetype bytes of page @i, laid out as the list links
 * are (pfns on a 64-page boundary in a compact region, link_slot()): an
 * idle zone's free blocks of order 6 and up would otherwise fault in
 * every page of both arrays, a byte used in each per 1,024 pages (1,500
 * faults each on a 24 GB zone). The bytes of a 1,024-page row other than
 * its sixteen aligned pages lie in order at their own index (plus
 * link_off); the row's aligned slots there stay zero.
 */
static inline uint32_t page_slot(const struct bt_zone *z, uint32_t i)
{
	uint32_t a = i + z->link_off;

	return (a & 63u) ? a : z->link_rows * 1024u + (a >> 6);
}

#define ST_AT(z, i) ((z)->st[page_slot((z), (i))])
#define MT_AT(z, i) ((z)->mt[page_slot((z), (i))])

static inline bool list_empty_at(const struct bt_zone *z, uint32_t s)
{
	return LNEXT(z, s) == s;
}

static inline void link_after(struct bt_zone *z, uint32_t pos, uint32_t i)
{
	uint32_t n = LNEXT(z, pos);

	LNEXT(z, i) = n;
	LPREV(z, i) = pos;
	LPREV(z, n) = i;
	LNEXT(z, pos) = i;
}

static inline void link_add(struct bt_zone *z, uint32_t s, uint32_t i,
			    bool tail)
{
	link_after(z, tail ? LPREV(z, s) : s, i);
}

static inline void link_del(struct bt_zone *z, uint32_t i)
{
	uint32_t n = LNEXT(z, i), p = LPREV(z, i);

	LNEXT(z, p) = n;
	LPREV(z, n) = p;
}

static inline int pb_mt(const struct bt_buddy *b, const struct bt_zone *z,
			uint32_t idx)
{
	return z->pb[((z->start + idx) >> b->pb_order) - z->pb_first] &
	       PB_MT_MASK;
}

static inline uint8_t *pb_ptr(const struct bt_buddy *b, struct bt_zone *z,
			      uint32_t idx)
{
	return &z->pb[((z->start + idx) >> b->pb_order) - z->pb_first];
}

/*
 * Add @sign * 2^@order pages at @idx to a per-pageblock counter, split
 * over the pageblocks the block covers (a block of pageblock order or
 * less lies in one, being aligned).
 */
static inline void pb_count(const struct bt_buddy *b, struct bt_zone *z,
			    uint16_t *arr, uint32_t idx, unsigned int order,
			    int sign)
{
	uint64_t pfn = z->start + idx, end = pfn + (1ull << order);

	if (order <= b->pb_order) {
		arr[(pfn >> b->pb_order) - z->pb_first] +=
		    (uint16_t)(sign * (1 << order));
		return;
	}
	for (; pfn < end; pfn += b->pb_pages)
		arr[(pfn >> b->pb_order) - z->pb_first] +=
		    (uint16_t)(sign * (int)b->pb_pages);
}

/* An allocated block appears (+1) or goes (-1): movable accounting. */
static inline void alloc_acct(const struct bt_buddy *b, struct bt_zone *z,
			      uint32_t idx, unsigned int order, int mt,
			      int sign)
{
	if (mt == BT_MT_MOVABLE)
		pb_count(b, z, z->pb_movable, idx, order, sign);
}

static inline bool mt_mergeable(int mt)
{
	return mt < BT_MT_PCPTYPES;
}

static inline void bt_emit(struct bt_buddy *b, const struct bt_buddy_event *ev)
{
	if (b->hooks.event)
		b->hooks.event(b, ev, b->hooks.data);
}

/* wmark_pages(): the watermark including the boost */
static inline uint64_t bt_wmark(const struct bt_zone *z, int which)
{
	return z->wmark[which] + z->boost;
}

/* Is idx (zone relative) the head of a free block of exactly @order? */
static inline bool is_free_order(const struct bt_zone *z, uint64_t idx,
				 unsigned int order)
{
	return idx < z->spanned && ST_AT(z, idx) == ST(PS_FREE, order);
}

/*
 * The first index in [@i, @end) whose st byte is not zero, or @end: runs
 * of zero bytes (untracked pages, the inside of blocks) are stepped over
 * eight at a time. Per 64-page group (page_slot()): its aligned page's
 * slot first, then the others, which lie in order from the group's own
 * (zero) slot.
 */
static inline uint32_t bt_st_skip_zero(const struct bt_zone *z, uint32_t i,
				       uint32_t end)
{
	while (i < end) {
		uint32_t a = i + z->link_off, stop;

		if (!(a & 63u)) {
			if (ST_AT(z, i))
				return i;
			i++;
			continue;
		}
		stop = BT_MIN(end, i + (64u - (a & 63u)));
		while (i < stop && (a & 7u)) {
			if (z->st[a])
				return i;
			i++, a++;
		}
		while (i + 8 <= stop) {
			uint64_t w;

			memcpy(&w, z->st + a, sizeof(w));
			if (w)
				break;
			i += 8, a += 8;
		}
		while (i < stop) {
			if (z->st[a])
				return i;
			i++, a++;
		}
	}
	return end;
}

/*
 * The first index in [@i, @end) whose st byte has the PS_FREE state, or
 * @end; eight bytes at a time where none of them does (groups of 64 as
 * bt_st_skip_zero() takes them).
 */
static inline uint32_t bt_st_next_free(const struct bt_zone *z, uint32_t i,
				       uint32_t end)
{
	const uint64_t ones = 0x0101010101010101ull;

	while (i < end) {
		uint32_t a = i + z->link_off, stop;

		if (!(a & 63u)) {
			if (ST_STATE(ST_AT(z, i)) == PS_FREE)
				return i;
			i++;
			continue;
		}
		stop = BT_MIN(end, i + (64u - (a & 63u)));
		while (i < stop && (a & 7u)) {
			if (ST_STATE(z->st[a]) == PS_FREE)
				return i;
			i++, a++;
		}
		while (i + 8 <= stop) {
			uint64_t w, t;

			memcpy(&w, z->st + a, sizeof(w));
			if (w) {
				/* a zero byte in t: a PS_FREE high nibble */
				t = (w & (0xf0 * ones)) ^
				    ((uint64_t)(PS_FREE << 4) * ones);
				if ((t - ones) & ~t & (0x80 * ones))
					break;
			}
			i += 8, a += 8;
		}
		while (i < stop) {
			if (ST_STATE(z->st[a]) == PS_FREE)
				return i;
			i++, a++;
		}
	}
	return end;
}

/* zone.c */
struct bt_zone *bt_zone_of_slow(const struct bt_buddy *b, uint64_t pfn,
				uint32_t *idx);

static inline bool bt_zone_spans(const struct bt_zone *z, uint64_t pfn)
{
	return pfn >= z->start && pfn - z->start < z->spanned;
}

/* The zone spanning @pfn (and its index there), or NULL. */
static inline struct bt_zone *bt_zone_of(const struct bt_buddy *b,
					 uint64_t pfn, uint32_t *idx)
{
	struct bt_zone *z = b->zones[b->zone_hint];

	if (b->nr_zones && bt_zone_spans(z, pfn)) {
		*idx = (uint32_t)(pfn - z->start);
		return z;
	}
	return bt_zone_of_slow(b, pfn, idx);
}
void bt_zone_rebuild_zonelists(struct bt_buddy *b);

/* freelist.c */
void bt_fl_add(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
	       unsigned int order, int mt, bool tail);
void bt_fl_del(struct bt_buddy *b, struct bt_zone *z, uint32_t idx);
void bt_fl_move(struct bt_buddy *b, struct bt_zone *z, uint32_t idx, int mt,
		bool tail);
void bt_expand(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
	       unsigned int low, unsigned int high, int mt);
long bt_rmqueue_smallest(struct bt_buddy *b, struct bt_zone *z,
			 unsigned int order, int mt, bool pcp_refill);
void bt_free_one_page(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		      unsigned int order, int mt, bool to_tail);
void bt_free_range(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		   unsigned int order, bool to_tail);
int bt_move_freepages_block(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
			    int old_mt, int new_mt, int *nr_free,
			    int *nr_movable);
void bt_set_pb_range(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		     unsigned int order, int mt);
long bt_carve(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
	      unsigned int order);
long bt_find_block_head(const struct bt_zone *z, uint32_t idx);

/* fallback.c */
void bt_note_extfrag(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		     unsigned int order, unsigned int forder, int mt, int fmt);
long bt_rmqueue(struct bt_buddy *b, struct bt_zone *z, unsigned int order,
		int mt, unsigned int alloc_flags, int *mode);
void bt_reserve_highatomic(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
			   unsigned int order);
struct bt_actx;
bool bt_unreserve_highatomic(struct bt_buddy *b, const struct bt_actx *ac,
			     bool force);
bool bt_boost_watermark(struct bt_buddy *b, struct bt_zone *z);
int bt_find_suitable_fallback(struct bt_buddy *b, struct bt_zone *z,
			      unsigned int order, int mt, bool claimable);

/* pcp.c */
long bt_rmqueue_pcplist(struct bt_buddy *b, struct bt_zone *z,
			unsigned int order, int mt, unsigned int alloc_flags,
			int cpu, unsigned int *refilled);
void bt_free_to_pcp(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		    unsigned int order, int cpu, bool no_drain);
bool bt_pcp_allowed_order(const struct bt_buddy *b, unsigned int order);
int bt_order_to_pindex(const struct bt_buddy *b, int mt, unsigned int order);
unsigned int bt_pindex_to_order(const struct bt_buddy *b, int pindex);
void bt_pcp_unlink(struct bt_buddy *b, struct bt_zone *z, uint32_t idx);
long bt_drain_zone_cpu(struct bt_buddy *b, struct bt_zone *z, int cpu);
int bt_pcp_cpu_of(const struct bt_buddy *b, const struct bt_zone *z,
		  uint32_t idx);

/* alloc.c */
bool bt_zone_watermark_ok(const struct bt_buddy *b, const struct bt_zone *z,
			  unsigned int order, int64_t mark, int hz,
			  unsigned int alloc_flags, int64_t free_pages);
bool bt_zone_watermark_fast(const struct bt_buddy *b, const struct bt_zone *z,
			    unsigned int order, int64_t mark, int hz,
			    unsigned int alloc_flags);

/* The allocation context (struct alloc_context plus the request). */
struct bt_actx {
	const struct bt_alloc_request *rq;
	struct bt_alloc_result *res;
	uint64_t gfp;
	unsigned int order;
	int mt;
	int hz; /* highest_zoneidx */
	int nid;
	const int *zl; /* zonelist of the preferred node */
	int nr_zl;
	int first;    /* first zonelist entry usable (preferred) */
	bool dry;     /* mirror: check only, take nothing */
	int dry_zone; /* zone that would have served it */
};
long bt_get_page_from_freelist(struct bt_buddy *b, struct bt_actx *ac,
			       unsigned int alloc_flags, int *zone_out);
bool bt_zone_can_serve(struct bt_buddy *b, struct bt_zone *z,
		       struct bt_actx *ac, unsigned int alloc_flags);

/* slowpath.c */
long bt_alloc_slowpath(struct bt_buddy *b, struct bt_actx *ac, int *zone_out);

/* reclaim.c */
uint64_t bt_direct_reclaim(struct bt_buddy *b, struct bt_actx *ac);
void bt_wake_all_kswapds(struct bt_buddy *b, struct bt_actx *ac);
void bt_wakeup_kswapd(struct bt_buddy *b, struct bt_zone *z, uint64_t gfp,
		      unsigned int order, int hz);
uint64_t bt_zone_reclaimable(const struct bt_buddy *b, const struct bt_zone *z);

/* compaction.c */
int bt_try_to_compact_pages(struct bt_buddy *b, struct bt_actx *ac,
			    unsigned int alloc_flags, int prio,
			    uint64_t *captured, int *capture_zone);
bool bt_compaction_deferred(struct bt_buddy *b, struct bt_zone *z,
			    unsigned int order);
void bt_defer_compaction(struct bt_buddy *b, struct bt_zone *z,
			 unsigned int order);
void bt_compaction_defer_reset(struct bt_buddy *b, struct bt_zone *z,
			       unsigned int order, bool alloc_success);
bool bt_compaction_zonelist_suitable(struct bt_buddy *b, struct bt_actx *ac,
				     unsigned int alloc_flags);
bool bt_compaction_capture(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
			   unsigned int order, int mt);
long bt_fragmentation_index(const struct bt_zone *z, unsigned int order);
void bt_wakeup_kcompactd(struct bt_buddy *b, int nid, unsigned int order,
			 int hz);

#endif
