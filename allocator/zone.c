// SPDX-License-Identifier: GPL-2.0-only
/*
 * zone.c - the model's nodes and zones: creation, zonelists, the setters
 * that setup and knobs use, and the read accessors.
 *
 * A zone owns dense per-page arrays over its whole span (holes included),
 * allocated with calloc so that ranges never touched (holes, memory that
 * deferred init never handed over) cost no resident memory. Every page
 * starts "in use, untracked" (state NONE): setup then frees the blocks the
 * trace's free-page map or buddyinfo says are free.
 */
#include <errno.h>
#include <stdlib.h>

#include "allocator/allocator-internal.h"

static const char *const zone_names[BT_NR_ZONE_TYPES] = {"DMA", "DMA32",
							 "Normal", "Movable"};

struct bt_buddy *bt_buddy_new(const struct bt_buddy_config *cfg)
{
	struct bt_buddy *b;

	if (!cfg ||
	    (cfg->profile != BT_PROFILE_4_12 &&
	     cfg->profile != BT_PROFILE_6X) ||
	    cfg->max_order < 1 || cfg->max_order > BT_BUDDY_MAX_ORDER ||
	    cfg->pageblock_order < 1 || cfg->pageblock_order > cfg->max_order ||
	    cfg->nr_cpus < 1 || cfg->nr_cpus > BT_BUDDY_MAX_CPUS) {
		errno = EINVAL;
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->cfg = *cfg;
	b->v6 = cfg->profile == BT_PROFILE_6X;
	if (!b->cfg.kernel_version)
		b->cfg.kernel_version =
		    b->v6 ? BT_KVER(6, 19, 0) : BT_KVER(4, 12, 0);
	if (!b->v6)
		b->cfg.capture = false; /* capture arrived in 5.1 */
	/* __GFP_ATOMIC and ALLOC_HARDER until 6.2 */
	b->harder = !b->v6 || b->cfg.kernel_version < BT_KVER(6, 3, 0);
	b->fallback = cfg->fallback_policy;
	if (b->fallback == BT_FALLBACK_PROFILE)
		b->fallback =
		    b->v6 ? BT_FALLBACK_CLAIM_STEAL : BT_FALLBACK_LARGEST;
	b->max_order = cfg->max_order;
	b->pb_order = cfg->pageblock_order;
	b->pb_pages = 1u << b->pb_order;
	b->nr_pcp_lists = b->v6 ? BT_NR_PCP_LISTS_6X : BT_NR_PCP_LISTS_412;
	b->capc.pfn = BT_BUDDY_PFN_NONE;
	return b;
}

static void zone_release(struct bt_zone *z)
{
	if (!z)
		return;
	free(z->link);
	free(z->st);
	free(z->mt);
	free(z->pcp_cpu);
	free(z->pb);
	free(z->pb_free);
	free(z->pb_movable);
	free(z->pcp);
	free(z);
}

void bt_buddy_free_model(struct bt_buddy *b)
{
	int i;

	if (!b)
		return;
	for (i = 0; i < b->nr_zones; i++)
		zone_release(b->zones[i]);
	free(b->pool);
	free(b);
}

const struct bt_buddy_config *bt_buddy_get_config(const struct bt_buddy *b)
{
	return &b->cfg;
}

void bt_buddy_set_hooks(struct bt_buddy *b, const struct bt_buddy_hooks *h)
{
	if (h)
		b->hooks = *h;
	else
		memset(&b->hooks, 0, sizeof(b->hooks));
}

struct bt_zone *bt_zone_of_slow(const struct bt_buddy *b, uint64_t pfn,
				uint32_t *idx)
{
	struct bt_zone *z;
	int i;

	for (i = 0; i < b->nr_zones; i++) {
		z = b->zones[i];
		if (bt_zone_spans(z, pfn)) {
			/* a lookup cache only: the model itself is not changed
			 */
			((struct bt_buddy *)b)->zone_hint = i;
			*idx = (uint32_t)(pfn - z->start);
			return z;
		}
	}
	return NULL;
}

static int zone_cmp_zl(const struct bt_zone *a, const struct bt_zone *c,
		       int nid)
{
	/* own node first, then by node id; inside a node highest type first */
	int da = a->node == nid ? -1 : a->node;
	int dc = c->node == nid ? -1 : c->node;

	if (da != dc)
		return da - dc;
	return c->type - a->type;
}

/*
 * build_zonelists(): a node's FALLBACK list, its own zones from the
 * highest type down, then the other nodes (the model has no distances:
 * node id order).
 */
void bt_zone_rebuild_zonelists(struct bt_buddy *b)
{
	int nid, i, j;

	for (nid = 0; nid < BT_MAX_NODES; nid++) {
		struct bt_node *n = &b->nodes[nid];

		n->nr_zl = 0;
		for (i = 0; i < b->nr_zones; i++) {
			int pos = n->nr_zl++;

			n->zl[pos] = i;
			for (j = pos; j > 0; j--) {
				int t;

				if (zone_cmp_zl(b->zones[n->zl[j - 1]],
						b->zones[n->zl[j]], nid) <= 0)
					break;
				t = n->zl[j];
				n->zl[j] = n->zl[j - 1];
				n->zl[j - 1] = t;
			}
		}
	}
}

/* Page counts beyond 2^40 (4 PiB) are hostile input, not a machine. */
#define BT_PAGES_LIMIT (1ull << 40)

static bool counts_sane(const struct bt_zone_config *zc)
{
	int i;

	if (zc->wmark_min > BT_PAGES_LIMIT || zc->wmark_low > BT_PAGES_LIMIT ||
	    zc->wmark_high > BT_PAGES_LIMIT ||
	    zc->wmark_boost > BT_PAGES_LIMIT ||
	    zc->nr_reserved_highatomic > BT_PAGES_LIMIT ||
	    zc->reclaimable > BT_PAGES_LIMIT)
		return false;
	for (i = 0; i < BT_NR_ZONE_TYPES; i++)
		if (zc->protection[i] > BT_PAGES_LIMIT)
			return false;
	return true;
}

static int zone_check_config(const struct bt_buddy *b,
			     const struct bt_zone_config *zc)
{
	int i;

	if (!counts_sane(zc))
		return -EINVAL;

	if (zc->node < 0 || zc->node >= BT_MAX_NODES || zc->zone_type < 0 ||
	    zc->zone_type >= BT_NR_ZONE_TYPES || !zc->spanned ||
	    zc->spanned >= UINT32_MAX - 4096 ||
	    zc->start_pfn > UINT64_MAX / 2 || zc->present > zc->spanned ||
	    zc->managed > zc->spanned)
		return -EINVAL;
	if (b->nr_zones >= BT_BUDDY_MAX_ZONES)
		return -EINVAL;
	for (i = 0; i < b->nr_zones; i++) {
		const struct bt_zone *z = b->zones[i];

		if (z->node == zc->node && z->type == zc->zone_type)
			return -EEXIST;
		if (zc->start_pfn < z->start + z->spanned &&
		    z->start < zc->start_pfn + zc->spanned)
			return -EINVAL;
	}
	return 0;
}

static void zone_init_pcp(struct bt_buddy *b, struct bt_zone *z,
			  const struct bt_zone_config *zc)
{
	unsigned int cpu;
	int high_min = zc->pcp_high_min, high_max = zc->pcp_high_max;
	int batch = zc->pcp_batch;

	if (b->cfg.pcp_batch > 0)
		batch = b->cfg.pcp_batch;
	/* clamp hostile sizes: shifts and sums below must not overflow */
	batch = BT_MIN(BT_MAX(batch, 1), 1 << 16);
	if (b->cfg.pcp_high >= 0)
		high_min = high_max = b->cfg.pcp_high;
	high_min = BT_MIN(BT_MAX(high_min, 0), 1 << 24);
	high_max = BT_MIN(BT_MAX(high_max, high_min), 1 << 24);
	if (!b->v6)
		high_max = high_min; /* 4.12: one fixed high */
	z->pcp_high_min = high_min;
	z->pcp_high_max = high_max;
	z->pcp_batch = batch;
	for (cpu = 0; cpu < b->cfg.nr_cpus; cpu++) {
		struct bt_pcp *p = &z->pcp[cpu];
		int high = zc->pcp_high >= 0 && b->cfg.pcp_high < 0
			       ? zc->pcp_high
			       : high_min;

		p->high_min = high_min;
		p->high_max = high_max;
		p->high = BT_MIN(BT_MAX(high, high_min), high_max);
		p->batch = batch;
	}
}

static int zone_alloc_arrays(struct bt_buddy *b, struct bt_zone *z)
{
	uint64_t nlinks, slots;
	uint32_t i;

	z->pcp_sent = z->spanned + BT_NR_FREE_LISTS;
	nlinks =
	    (uint64_t)z->pcp_sent + (uint64_t)b->cfg.nr_cpus * b->nr_pcp_lists;
	z->link_off = (uint32_t)(z->start & 1023);
	z->link_rows = (uint32_t)(((uint64_t)z->spanned + z->link_off + 1023) >>
				  10);
	/* the slots: 1024 + 16 per 1024 pages, then the sentinels */
	slots = (uint64_t)z->link_rows * (1024 + 16) + nlinks - z->spanned;
	if (slots > UINT32_MAX)
		return -EINVAL;
	z->link = calloc(slots, sizeof(*z->link));
	z->st = calloc((size_t)z->link_rows * (1024 + 16), 1);
	z->mt = calloc((size_t)z->link_rows * (1024 + 16), 1);
	z->pcp_cpu_wide = b->cfg.nr_cpus > 256;
	z->pcp_cpu = calloc(z->spanned, z->pcp_cpu_wide ? 2 : 1);
	z->pb_first = z->start >> b->pb_order;
	z->nr_pb =
	    ((z->start + z->spanned - 1) >> b->pb_order) - z->pb_first + 1;
	z->pb = calloc(z->nr_pb, 1);
	z->pb_free = calloc(z->nr_pb, sizeof(uint16_t));
	z->pb_movable = calloc(z->nr_pb, sizeof(uint16_t));
	z->pcp = calloc(b->cfg.nr_cpus, sizeof(*z->pcp));
	if (!z->link || !z->st || !z->mt || !z->pcp_cpu || !z->pb ||
	    !z->pb_free || !z->pb_movable || !z->pcp)
		return -ENOMEM;
	for (i = z->spanned; i < nlinks; i++)
		LNEXT(z, i) = LPREV(z, i) = i;
	/* boot default: every pageblock MOVABLE (memmap_init_range()) */
	memset(z->pb, BT_MT_MOVABLE, z->nr_pb);
	return 0;
}

int bt_buddy_add_zone(struct bt_buddy *b, const struct bt_zone_config *zc)
{
	struct bt_zone *z;
	int err = zone_check_config(b, zc);

	if (err)
		return err;
	z = calloc(1, sizeof(*z));
	if (!z)
		return -ENOMEM;
	z->id = b->nr_zones;
	z->node = zc->node;
	z->type = zc->zone_type;
	bt_strlcpy(z->name, zc->name ? zc->name : zone_names[zc->zone_type],
		   sizeof(z->name));
	z->start = zc->start_pfn;
	z->spanned = (uint32_t)zc->spanned;
	z->present = zc->present;
	z->managed = zc->managed;
	z->wmark[0] = zc->wmark_min;
	z->wmark[1] = zc->wmark_low;
	z->wmark[2] = zc->wmark_high;
	z->boost = zc->wmark_boost;
	memcpy(z->prot, zc->protection, sizeof(z->prot));
	z->nr_reserved_highatomic = zc->nr_reserved_highatomic;
	z->reclaimable = zc->reclaimable;
	z->compact_order_failed = 0;
	z->cached_migrate_pfn = z->start;
	z->cached_free_pfn = z->start + z->spanned;
	err = zone_alloc_arrays(b, z);
	if (err) {
		zone_release(z);
		return err;
	}
	zone_init_pcp(b, z, zc);
	b->zones[b->nr_zones++] = z;
	if (!b->nodes[z->node].present)
		b->nr_nodes++;
	b->nodes[z->node].present = true;
	b->nodes[z->node].kswapd_hz = -1;
	b->nodes[z->node].kcompactd_hz = BT_NR_ZONE_TYPES - 1;
	bt_zone_rebuild_zonelists(b);
	return z->id;
}

int bt_buddy_nr_zones(const struct bt_buddy *b)
{
	return b->nr_zones;
}

int bt_buddy_zone_of_pfn(const struct bt_buddy *b, uint64_t pfn)
{
	uint32_t idx;
	struct bt_zone *z = bt_zone_of(b, pfn, &idx);

	return z ? z->id : -ENOENT;
}

int bt_buddy_zone_nr_free(const struct bt_buddy *b, int zid,
			  uint64_t nr_free[BT_BUDDY_NR_ORDERS])
{
	if (zid < 0 || zid >= b->nr_zones)
		return -EINVAL;
	memcpy(nr_free, b->zones[zid]->nr_free,
	       sizeof(uint64_t) * BT_BUDDY_NR_ORDERS);
	return 0;
}

int bt_buddy_zone_wmarks(const struct bt_buddy *b, int zid,
			 uint64_t wmark[4], uint64_t *managed)
{
	const struct bt_zone *z;

	if (zid < 0 || zid >= b->nr_zones)
		return -EINVAL;
	z = b->zones[zid];
	wmark[0] = z->wmark[0];
	wmark[1] = z->wmark[1];
	wmark[2] = z->wmark[2];
	wmark[3] = z->boost;
	*managed = z->managed;
	return 0;
}

/* The lowest zone start above @pfn, or @end. */
static uint64_t next_zone_start(const struct bt_buddy *b, uint64_t pfn,
				uint64_t end)
{
	int i;

	for (i = 0; i < b->nr_zones; i++)
		if (b->zones[i]->start > pfn && b->zones[i]->start < end)
			end = b->zones[i]->start;
	return end;
}

uint64_t bt_buddy_next_free_head(const struct bt_buddy *b, uint64_t pfn,
				 uint64_t end, unsigned int *order)
{
	while (pfn < end) {
		uint32_t idx, lim;
		const struct bt_zone *z = bt_zone_of(b, pfn, &idx);

		if (!z) {
			pfn = next_zone_start(b, pfn, end);
			continue;
		}
		lim = (uint32_t)(BT_MIN(end, z->start + z->spanned) - z->start);
		idx = bt_st_next_free(z, idx, lim);
		if (idx < lim) {
			*order = ST_ORDER(ST_AT(z, idx));
			return z->start + idx;
		}
		pfn = z->start + lim;
	}
	return end;
}

int bt_buddy_find_zone(const struct bt_buddy *b, int node, int zone_type)
{
	int i;

	for (i = 0; i < b->nr_zones; i++)
		if (b->zones[i]->node == node && b->zones[i]->type == zone_type)
			return i;
	return -ENOENT;
}

static struct bt_zone *zone_get(const struct bt_buddy *b, int zid)
{
	if (zid < 0 || zid >= b->nr_zones)
		return NULL;
	return b->zones[zid];
}

int bt_buddy_zone_set_watermarks(struct bt_buddy *b, int zid, uint64_t min,
				 uint64_t low, uint64_t high)
{
	struct bt_zone *z = zone_get(b, zid);

	if (!z || low < min || high < low || high > BT_PAGES_LIMIT)
		return -EINVAL;
	z->wmark[0] = min;
	z->wmark[1] = low;
	z->wmark[2] = high;
	z->boost = 0;
	return 0;
}

int bt_buddy_zone_set_boost(struct bt_buddy *b, int zid, uint64_t boost)
{
	struct bt_zone *z = zone_get(b, zid);

	if (!z || boost > BT_PAGES_LIMIT)
		return -EINVAL;
	z->boost = boost;
	return 0;
}

int bt_buddy_zone_set_protection(struct bt_buddy *b, int zid,
				 const uint64_t prot[BT_NR_ZONE_TYPES])
{
	struct bt_zone *z = zone_get(b, zid);
	int i;

	if (!z)
		return -EINVAL;
	for (i = 0; i < BT_NR_ZONE_TYPES; i++)
		if (prot[i] > BT_PAGES_LIMIT)
			return -EINVAL;
	memcpy(z->prot, prot, sizeof(z->prot));
	return 0;
}

int bt_buddy_zone_set_pcp(struct bt_buddy *b, int zid, int high_min,
			  int high_max, int batch)
{
	struct bt_zone *z = zone_get(b, zid);
	struct bt_zone_config zc;

	if (!z || high_min < 0 || batch < 1)
		return -EINVAL;
	memset(&zc, 0, sizeof(zc));
	zc.pcp_high = -1;
	zc.pcp_high_min = high_min;
	zc.pcp_high_max = high_max < 0 ? high_min : high_max;
	zc.pcp_batch = batch;
	zone_init_pcp(b, z, &zc);
	return 0;
}

int bt_buddy_zone_set_reclaimable(struct bt_buddy *b, int zid, uint64_t pages)
{
	struct bt_zone *z = zone_get(b, zid);

	if (!z || pages > BT_PAGES_LIMIT)
		return -EINVAL;
	z->reclaimable = pages;
	return 0;
}

/*
 * A free block larger than a pageblock is split into pageblocks first,
 * each on its own pageblock's list, as isolation does with free pages
 * that span pageblocks: after relabelling one half they would not merge.
 */
static void split_spanning_free(struct bt_buddy *b, struct bt_zone *z,
				uint32_t idx)
{
	long head = bt_find_block_head(z, idx);
	unsigned int o;
	uint32_t i, end;

	if (head < 0 || ST_STATE(ST_AT(z, head)) != PS_FREE)
		return;
	o = ST_ORDER(ST_AT(z, head));
	if (o <= b->pb_order)
		return;
	bt_fl_del(b, z, (uint32_t)head);
	end = (uint32_t)head + (1u << o);
	for (i = (uint32_t)head; i < end; i += b->pb_pages)
		bt_fl_add(b, z, i, b->pb_order, pb_mt(b, z, i), true);
}

/*
 * move_freepages_block() over the part of the pageblock inside the zone
 * (a zone need not start on a pageblock boundary: DMA starts at pfn 1).
 */
static void move_free_in_pageblock(struct bt_buddy *b, struct bt_zone *z,
				   uint32_t idx, int mt)
{
	uint64_t start = (z->start + idx) & ~((uint64_t)b->pb_pages - 1);
	uint64_t end = BT_MIN(start + b->pb_pages, z->start + z->spanned);
	uint64_t p = BT_MAX(start, z->start);

	while (p < end) {
		uint32_t i = (uint32_t)(p - z->start);
		uint8_t st = ST_AT(z, i);

		if (ST_STATE(st) == PS_NONE) {
			p++;
			continue;
		}
		if (ST_STATE(st) == PS_FREE && MT_AT(z, i) != mt)
			bt_fl_move(b, z, i, mt, b->v6);
		p += 1ull << ST_ORDER(st);
	}
}

int bt_buddy_set_pageblock_mt(struct bt_buddy *b, uint64_t pfn, int mt)
{
	uint32_t idx;
	struct bt_zone *z;
	int old;

	if (mt < 0 || mt >= BT_MT_TYPES)
		return -EINVAL;
	z = bt_zone_of(b, pfn, &idx);
	if (!z)
		return -ENOENT;
	old = pb_mt(b, z, idx);
	if (old == mt)
		return 0;
	split_spanning_free(b, z, idx);
	move_free_in_pageblock(b, z, idx, mt);
	*pb_ptr(b, z, idx) = (uint8_t)((*pb_ptr(b, z, idx) & ~PB_MT_MASK) | mt);
	return 0;
}

int bt_buddy_pageblock_mt(const struct bt_buddy *b, uint64_t pfn)
{
	uint32_t idx;
	struct bt_zone *z = bt_zone_of(b, pfn, &idx);

	return z ? pb_mt(b, z, idx) : -ENOENT;
}

static int block_lookup(struct bt_buddy *b, uint64_t pfn, unsigned int order,
			struct bt_zone **zp, uint32_t *idx)
{
	struct bt_zone *z;

	if (order > b->max_order || (pfn & ((1ull << order) - 1)))
		return -EINVAL;
	z = bt_zone_of(b, pfn, idx);
	if (!z)
		return -ENOENT;
	if ((uint64_t)*idx + (1u << order) > z->spanned)
		return -EINVAL;
	*zp = z;
	return 0;
}

/*
 * Fault in, as written, the state bytes that adding a block at @idx reads
 * and then may write: the head's, and the aligned pages' of its
 * 2^BT_BUDDY_MAX_ORDER range (page_slot(): where the merges' larger
 * buddies are; smaller ones share the head's 64-page group). A page of a
 * large calloc'd array that is read before any write maps the shared
 * zero page; the write after it copies the page and flushes the TLB on
 * every CPU the process runs on, an interrupt to each when a replay runs
 * beside another thread (setting up a zone from a free-page map took
 * three times as long on two threads). A locked OR of zero changes
 * nothing and faults as a write. The pages inside a free block are only
 * read: they can stay the zero page.
 */
static void touch_st(struct bt_zone *z, uint32_t idx)
{
	uint64_t pfn = z->start + idx, max = 1ull << BT_BUDDY_MAX_ORDER;
	uint64_t lo = BT_MAX(pfn & ~(max - 1), z->start);
	uint64_t hi = BT_MIN((pfn & ~(max - 1)) + max, z->start + z->spanned);
	uint32_t first = (uint32_t)(lo - z->start), last = (uint32_t)(hi - 1 -
								  z->start);

	__atomic_fetch_or(&ST_AT(z, idx), 0, __ATOMIC_RELAXED);
	/* the range's aligned slots run from its first to its last */
	first += (64u - ((first + z->link_off) & 63u)) & 63u;
	last -= (last + z->link_off) & 63u;
	if (first <= last && last < z->spanned) {
		__atomic_fetch_or(&ST_AT(z, first), 0, __ATOMIC_RELAXED);
		__atomic_fetch_or(&ST_AT(z, last), 0, __ATOMIC_RELAXED);
	}
}

/* Does any page of [idx, idx + 2^order) belong to a free or pcp block? */
static bool range_has_free(const struct bt_zone *z, uint32_t idx,
			   unsigned int order)
{
	uint32_t i, n = 1u << order;
	long head = bt_find_block_head(z, idx);

	if (head >= 0 && ST_STATE(ST_AT(z, head)) != PS_ALLOC)
		return true;
	for (i = 0; i < n; i++) {
		unsigned int s = ST_STATE(ST_AT(z, idx + i));

		if (s == PS_FREE || s == PS_PCP)
			return true;
	}
	return false;
}

static int add_free_block(struct bt_buddy *b, uint64_t pfn, unsigned int order,
			  int mt, bool check)
{
	struct bt_zone *z;
	uint32_t idx;
	int err = block_lookup(b, pfn, order, &z, &idx);

	if (err)
		return err;
	if (mt >= BT_MT_TYPES)
		return -EINVAL;
	touch_st(z, idx);
	if (check && range_has_free(z, idx, order))
		return -EEXIST;
	/* 6.10+ freelist hygiene: a free block is on its pageblock's list */
	if (b->v6 && b->fallback != BT_FALLBACK_LARGEST)
		mt = -1;
	ST_AT(z, idx) = ST(PS_NONE, 0);
	if (mt < 0)
		bt_free_range(b, z, idx, order, true);
	else
		bt_free_one_page(b, z, idx, order, mt, true);
	return 0;
}

int bt_buddy_add_free_block(struct bt_buddy *b, uint64_t pfn,
			    unsigned int order, int mt)
{
	return add_free_block(b, pfn, order, mt, true);
}

int bt_buddy_add_free_block_above(struct bt_buddy *b, uint64_t pfn,
				  unsigned int order, int mt)
{
	return add_free_block(b, pfn, order, mt, false);
}

long bt_buddy_mark_allocated(struct bt_buddy *b, uint64_t pfn,
			     unsigned int order, int mt)
{
	struct bt_zone *z;
	uint32_t idx;
	long carved;
	int err = block_lookup(b, pfn, order, &z, &idx);

	if (err)
		return err;
	if (mt < 0 || mt >= BT_MT_TYPES)
		return -EINVAL;
	carved = bt_carve(b, z, idx, order);
	ST_AT(z, idx) = ST(PS_ALLOC, order);
	MT_AT(z, idx) = (uint8_t)mt;
	alloc_acct(b, z, idx, order, mt, 1);
	b->stats.silent_allocs += (uint64_t)carved;
	return carved;
}

void bt_alloc_request_init(struct bt_alloc_request *rq, unsigned int order,
			   uint64_t gfp)
{
	memset(rq, 0, sizeof(*rq));
	rq->order = order;
	rq->gfp = gfp;
	rq->migratetype = -1;
	rq->nid = -1;
	rq->forced_pfn = BT_BUDDY_PFN_NONE;
}

void bt_buddy_get_stats(const struct bt_buddy *b, struct bt_buddy_stats *out)
{
	*out = b->stats;
}

size_t bt_buddy_state_bytes(const struct bt_buddy *b)
{
	size_t n = sizeof(*b) + b->pool_cap * sizeof(*b->pool);
	int i;

	for (i = 0; i < b->nr_zones; i++) {
		const struct bt_zone *z = b->zones[i];
		/* what zone_alloc_arrays() allocates: page_slot() layout */
		size_t slots = (size_t)z->link_rows * (1024 + 16);
		size_t links = slots + (size_t)z->pcp_sent - z->spanned +
			       (size_t)b->cfg.nr_cpus * b->nr_pcp_lists;

		n += sizeof(*z) + links * sizeof(struct bt_link) + 2 * slots +
		     (z->pcp_cpu_wide ? 2 : 1) * (size_t)z->spanned +
		     5 * z->nr_pb +
		     b->cfg.nr_cpus * sizeof(struct bt_pcp);
	}
	return n;
}

int bt_buddy_pageblock_nr_free(const struct bt_buddy *b, uint64_t pfn)
{
	uint32_t idx;
	const struct bt_zone *z = bt_zone_of(b, pfn, &idx);

	if (!z)
		return -1;
	return z->pb_free[(pfn >> b->pb_order) - z->pb_first];
}
