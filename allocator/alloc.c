// SPDX-License-Identifier: GPL-2.0-only
/*
 * alloc.c - the allocation entry and fast path: gfp to zone, migratetype
 * and alloc flags, the watermark checks, the zonelist walk of
 * get_page_from_freelist() and rmqueue() (pcp or buddy, HIGHATOMIC).
 *
 * Mirror mode (a forced pfn) runs the same decisions "dry": every check is
 * evaluated on the current state, but nothing is taken except the recorded
 * block, so the verdict (fast or slow, which stage) describes the recorded
 * allocation without changing where it went.
 */
#include <errno.h>

#include "allocator/allocator-internal.h"

#define ALLOC_RESERVES                                                         \
	(BT_ALLOC_NON_BLOCK | BT_ALLOC_MIN_RESERVE | BT_ALLOC_HIGHATOMIC |     \
	 BT_ALLOC_OOM)

/* gfp_zone() on x86-64: GFP_ZONE_TABLE without HIGHMEM */
int bt_buddy_gfp_zone(uint64_t gfp)
{
	if (gfp & BT_BUDDY_GFP_DMA)
		return BT_ZONE_DMA;
	if (gfp & BT_BUDDY_GFP_DMA32)
		return BT_ZONE_DMA32;
	if ((gfp & BT_BUDDY_GFP_MOVABLE) && (gfp & BT_BUDDY_GFP_HIGHMEM))
		return BT_ZONE_MOVABLE;
	return BT_ZONE_NORMAL;
}

/* gfp_migratetype() [4.12, 6.x] */
int bt_buddy_gfp_migratetype(const struct bt_buddy *b, uint64_t gfp)
{
	if (b->cfg.mobility_disabled)
		return BT_MT_UNMOVABLE;
	if (gfp & BT_BUDDY_GFP_MOVABLE)
		return BT_MT_MOVABLE;
	if (gfp & BT_BUDDY_GFP_RECLAIMABLE)
		return BT_MT_RECLAIMABLE;
	return BT_MT_UNMOVABLE;
}

static int64_t highatomic_unusable(const struct bt_buddy *b,
				   const struct bt_zone *z)
{
	/* nr_free_highatomic since 6.12, nr_reserved_highatomic before */
	if (b->v6 && b->cfg.kernel_version >= BT_KVER(6, 12, 0))
		return z->free_highatomic;
	return (int64_t)z->nr_reserved_highatomic;
}

/* The flags that may use HIGHATOMIC blocks: [6.3+] / [5.x-6.2] */
static unsigned int ha_flags(const struct bt_buddy *b)
{
	return b->harder ? BT_ALLOC_HARDER | BT_ALLOC_OOM
			 : BT_ALLOC_HIGHATOMIC | BT_ALLOC_OOM;
}

static bool high_order_ok(const struct bt_buddy *b, const struct bt_zone *z,
			  unsigned int order, unsigned int flags)
{
	unsigned int o;
	int mt;

	for (o = order; o <= b->max_order; o++) {
		if (!z->nr_free[o])
			continue;
		if (!b->v6 && (flags & BT_ALLOC_HARDER))
			return true; /* [4.12] any order with nr_free */
		for (mt = 0; mt < BT_MT_PCPTYPES; mt++)
			if (z->nr_mt[o][mt])
				return true;
		if ((flags & BT_ALLOC_CMA) && z->nr_mt[o][BT_MT_CMA])
			return true;
		if (b->v6 && (flags & ha_flags(b)) &&
		    z->nr_mt[o][BT_MT_HIGHATOMIC])
			return true;
	}
	return false;
}

/*
 * __zone_watermark_ok() [6.x: 6.3+ reserve flags; 4.12: ALLOC_HIGH and
 * ALLOC_HARDER]. Strict: free must exceed min + lowmem_reserve[hz].
 */
bool bt_zone_watermark_ok(const struct bt_buddy *b, const struct bt_zone *z,
			  unsigned int order, int64_t mark, int hz,
			  unsigned int flags, int64_t free_pages)
{
	int64_t min = mark;

	free_pages -= ((int64_t)1 << order) - 1;
	if (b->v6 && !b->harder) {
		if (!(flags & ALLOC_RESERVES))
			free_pages -= highatomic_unusable(b, z);
		if (flags & ALLOC_RESERVES) {
			if (flags & BT_ALLOC_MIN_RESERVE) {
				min -= min / 2;
				if (flags & BT_ALLOC_NON_BLOCK)
					min -= min / 4;
			}
			if (flags & BT_ALLOC_OOM)
				min -= min / 2;
		}
	} else if (b->v6) {
		/* [~4.14-6.2] ALLOC_HIGH halves; HARDER a quarter, OOM half */
		if (flags & BT_ALLOC_MIN_RESERVE)
			min -= min / 2;
		if (flags & (BT_ALLOC_HARDER | BT_ALLOC_OOM))
			min -= flags & BT_ALLOC_OOM ? min / 2 : min / 4;
		else
			free_pages -= highatomic_unusable(b, z);
	} else {
		if (flags & BT_ALLOC_MIN_RESERVE) /* ALLOC_HIGH */
			min -= min / 2;
		if (!(flags & BT_ALLOC_HARDER))
			free_pages -= highatomic_unusable(b, z);
		else
			min -= min / 4;
	}
	if (!(flags & BT_ALLOC_CMA))
		free_pages -= z->free_cma;
	if (free_pages <= min + (int64_t)z->prot[hz])
		return false;
	if (!order)
		return true;
	return high_order_ok(b, z, order, flags);
}

/*
 * zone_watermark_fast(): the order-0 shortcut without reserve discounts,
 * the full check, and [6.x] the unboosted MIN mark for order-0
 * MIN_RESERVE requests.
 */
bool bt_zone_watermark_fast(const struct bt_buddy *b, const struct bt_zone *z,
			    unsigned int order, int64_t mark, int hz,
			    unsigned int flags)
{
	int64_t free_pages = z->free_pages;

	if (!order) {
		int64_t unusable = 0;

		if (b->v6 &&
		    !(flags & (b->harder ? BT_ALLOC_HARDER | BT_ALLOC_OOM
					 : ALLOC_RESERVES)))
			unusable += highatomic_unusable(b, z);
		if (!(flags & BT_ALLOC_CMA))
			unusable += z->free_cma;
		if (free_pages - BT_MIN(free_pages, unusable) >
		    mark + (int64_t)z->prot[hz])
			return true;
	}
	if (bt_zone_watermark_ok(b, z, order, mark, hz, flags, free_pages))
		return true;
	/* [6.3+] __GFP_HIGH; [5.x-6.2] __GFP_ATOMIC, i.e. ALLOC_HARDER here */
	if (b->v6 && !order &&
	    (flags & (b->harder ? BT_ALLOC_HARDER : BT_ALLOC_MIN_RESERVE)) &&
	    z->boost && (flags & BT_ALLOC_WMARK_MASK) == BT_ALLOC_WMARK_MIN)
		return bt_zone_watermark_ok(b, z, order, (int64_t)z->wmark[0],
					    hz, flags, free_pages);
	return false;
}

bool bt_buddy_watermark_ok(const struct bt_buddy *b, int zid,
			   unsigned int order, uint64_t mark,
			   int highest_zoneidx, unsigned int alloc_flags)
{
	const struct bt_zone *z;

	if (zid < 0 || zid >= b->nr_zones || order > b->max_order ||
	    highest_zoneidx < 0 || highest_zoneidx >= BT_NR_ZONE_TYPES)
		return false;
	z = b->zones[zid];
	return bt_zone_watermark_ok(b, z, order, (int64_t)mark, highest_zoneidx,
				    alloc_flags, z->free_pages);
}

/* Dry run of rmqueue(): would this zone hand out a block? */
bool bt_zone_can_serve(struct bt_buddy *b, struct bt_zone *z,
		       struct bt_actx *ac, unsigned int flags)
{
	unsigned int o, min_fb = ac->order;
	int cpu = ac->rq->cpu;

	if (bt_pcp_allowed_order(b, ac->order) &&
	    z->pcp[cpu].nr[bt_order_to_pindex(b, ac->mt, ac->order)])
		return true;
	if ((flags & BT_ALLOC_NOFRAGMENT) && ac->order < b->pb_order)
		min_fb = b->pb_order;
	for (o = ac->order; o <= b->max_order; o++) {
		const uint64_t *n = z->nr_mt[o];

		if (n[ac->mt] || ((flags & BT_ALLOC_CMA) && n[BT_MT_CMA]))
			return true;
		if (n[BT_MT_HIGHATOMIC] &&
		    ((!b->harder &&
		      (flags & (BT_ALLOC_HIGHATOMIC | BT_ALLOC_OOM |
				BT_ALLOC_NON_BLOCK))) ||
		     (b->harder && (flags & BT_ALLOC_HARDER) && ac->order)))
			return true;
		if (b->fallback != BT_FALLBACK_NONE && o >= min_fb &&
		    ac->mt < BT_MT_PCPTYPES && (n[0] + n[1] + n[2]) > n[ac->mt])
			return true;
	}
	return false;
}

/* rmqueue_buddy() [6.x] / the order > 0 part of rmqueue() [4.12] */
static long rmqueue_buddy(struct bt_buddy *b, struct bt_zone *z,
			  struct bt_actx *ac, unsigned int flags)
{
	bool refill = bt_pcp_allowed_order(b, ac->order);
	long idx = -1;
	int mode = 0;

	/* [6.3+] ALLOC_HIGHATOMIC; [4.12-6.2] ALLOC_HARDER for order > 0 */
	if ((!b->harder && (flags & BT_ALLOC_HIGHATOMIC)) ||
	    (b->harder && (flags & BT_ALLOC_HARDER) && ac->order))
		idx = bt_rmqueue_smallest(b, z, ac->order, BT_MT_HIGHATOMIC,
					  refill);
	if (idx < 0)
		idx = bt_rmqueue(b, z, ac->order, ac->mt, flags, &mode);
	if (idx < 0 && !b->harder &&
	    (flags & (BT_ALLOC_OOM | BT_ALLOC_NON_BLOCK)))
		idx = bt_rmqueue_smallest(b, z, ac->order, BT_MT_HIGHATOMIC,
					  refill);
	return idx;
}

/* rmqueue() [4.12: pcp for order 0 only, no buddy retry; 6.x] */
static long rmqueue(struct bt_buddy *b, struct bt_zone *z, struct bt_actx *ac,
		    unsigned int flags)
{
	long idx = -1;

	if (bt_pcp_allowed_order(b, ac->order)) {
		unsigned int refilled = 0;

		idx = bt_rmqueue_pcplist(b, z, ac->order, ac->mt, flags,
					 ac->rq->cpu, &refilled);
		ac->res->pcp_refill += refilled;
		if (idx >= 0) {
			ac->res->from_pcp = true;
			b->stats.pcp_hits++;
		}
	}
	if (idx < 0 && (b->v6 || !bt_pcp_allowed_order(b, ac->order)))
		idx = rmqueue_buddy(b, z, ac, flags);
	if (b->v6 && (flags & BT_ALLOC_KSWAPD) && (z->flags & ZF_BOOSTED)) {
		z->flags &= ~ZF_BOOSTED;
		bt_wakeup_kswapd(b, z, 0, 0, z->type);
	}
	return idx;
}

static bool zone_usable(const struct bt_actx *ac, const struct bt_zone *z)
{
	if (z->type > ac->hz || !z->managed)
		return false;
	return !(ac->gfp & BT_BUDDY_GFP_THISNODE) || z->node == ac->nid;
}

static long try_zone(struct bt_buddy *b, struct bt_actx *ac, struct bt_zone *z,
		     unsigned int flags)
{
	long idx;

	if (ac->dry) {
		if (!bt_zone_can_serve(b, z, ac, flags))
			return -1;
		ac->dry_zone = z->id;
		return 0;
	}
	idx = rmqueue(b, z, ac, flags);
	if (idx < 0)
		return -1;
	if ((!b->harder && (flags & BT_ALLOC_HIGHATOMIC)) ||
	    (b->harder && ac->order && (flags & BT_ALLOC_HARDER)))
		bt_reserve_highatomic(b, z, (uint32_t)idx, ac->order);
	return idx;
}

/* One walk of the zonelist; -2 asks for a restart without NOFRAGMENT. */
static long gpff_walk(struct bt_buddy *b, struct bt_actx *ac,
		      unsigned int flags, int *zone_out)
{
	int i;

	for (i = ac->first; i < ac->nr_zl; i++) {
		struct bt_zone *z = b->zones[ac->zl[i]];
		long idx;

		if (!zone_usable(ac, z))
			continue;
		if ((flags & BT_ALLOC_NOFRAGMENT) && !b->cfg.defrag_mode &&
		    z->node != ac->nid)
			return -2;
		if (b->v6 && !(z->flags & ZF_BELOW_HIGH)) {
			if (bt_zone_watermark_fast(b, z, ac->order,
						   (int64_t)bt_wmark(z, 2),
						   ac->hz, flags))
				goto try;
			if (!ac->dry)
				z->flags |= ZF_BELOW_HIGH;
		}
		if (!(flags & BT_ALLOC_NO_WATERMARKS) &&
		    !bt_zone_watermark_fast(
			b, z, ac->order,
			(int64_t)bt_wmark(z, flags & BT_ALLOC_WMARK_MASK),
			ac->hz, flags))
			continue;
		try : idx
			= try_zone(b, ac, z, flags);
		if (idx >= 0) {
			*zone_out = z->id;
			return idx;
		}
	}
	return -1;
}

/*
 * get_page_from_freelist() [4.12, 6.x]: walk the zonelist from the
 * preferred zone; a zone passing its watermark serves the request; with
 * ALLOC_NOFRAGMENT a failed walk is repeated without it (6.x).
 */
long bt_get_page_from_freelist(struct bt_buddy *b, struct bt_actx *ac,
			       unsigned int flags, int *zone_out)
{
	long idx;

	ac->res->alloc_flags = flags;
	for (;;) {
		idx = gpff_walk(b, ac, flags, zone_out);
		if (idx >= 0)
			return idx;
		if (!(flags & BT_ALLOC_NOFRAGMENT) || b->cfg.defrag_mode)
			return -1;
		flags &= ~BT_ALLOC_NOFRAGMENT;
		ac->res->alloc_flags = flags;
	}
}

/* prepare_alloc_pages() + alloc_flags_nofragment(): fast-path flags. */
static unsigned int fast_flags(struct bt_buddy *b, struct bt_actx *ac)
{
	unsigned int flags = BT_ALLOC_WMARK_LOW;
	const struct bt_zone *pz = b->zones[ac->zl[ac->first]];

	if (ac->mt == BT_MT_MOVABLE)
		flags |= BT_ALLOC_CMA;
	if (!b->v6)
		return flags;
	if (ac->gfp & BT_BUDDY_GFP_KSWAPD_RECLAIM)
		flags |= BT_ALLOC_KSWAPD;
	if (b->cfg.defrag_mode)
		flags |= BT_ALLOC_NOFRAGMENT;
	else if (pz->type == BT_ZONE_NORMAL) {
		int dma32 =
		    b->nr_nodes <= 1
			? -1
			: bt_buddy_find_zone(b, pz->node, BT_ZONE_DMA32);

		if (b->nr_nodes <= 1 ||
		    (dma32 >= 0 && b->zones[dma32]->managed))
			flags |= BT_ALLOC_NOFRAGMENT;
	}
	return flags;
}

static int setup_actx(struct bt_buddy *b, const struct bt_alloc_request *rq,
		      struct bt_alloc_result *res, struct bt_actx *ac)
{
	int i;

	memset(ac, 0, sizeof(*ac));
	ac->rq = rq;
	ac->res = res;
	ac->gfp = rq->gfp;
	ac->order = rq->order;
	ac->mt = rq->migratetype >= 0 ? rq->migratetype
				      : bt_buddy_gfp_migratetype(b, rq->gfp);
	ac->hz = bt_buddy_gfp_zone(rq->gfp);
	ac->nid = rq->nid;
	if (ac->nid < 0)
		for (ac->nid = 0;
		     ac->nid < BT_MAX_NODES - 1 && !b->nodes[ac->nid].present;
		     ac->nid++)
			;
	ac->zl = b->nodes[ac->nid].zl;
	ac->nr_zl = b->nodes[ac->nid].nr_zl;
	ac->dry_zone = -1;
	res->migratetype = ac->mt;
	res->highest_zoneidx = ac->hz;
	for (i = 0; i < ac->nr_zl; i++)
		if (zone_usable(ac, b->zones[ac->zl[i]]))
			break;
	ac->first = i;
	return i < ac->nr_zl ? 0 : -ENOENT;
}

static void result_init(struct bt_alloc_result *res)
{
	memset(res, 0, sizeof(*res));
	res->pfn = BT_BUDDY_PFN_NONE;
	res->zone = -1;
	res->compact_prio = BT_COMPACT_PRIO_SYNC_LIGHT;
	res->compact_result = BT_COMPACT_SKIPPED;
}

static void finish(struct bt_buddy *b, struct bt_actx *ac, long idx, int zid)
{
	struct bt_alloc_result *res = ac->res;
	struct bt_zone *z;

	if (idx < 0) {
		res->path = BT_PATH_FAILED;
		b->stats.allocs_failed++;
		return;
	}
	z = b->zones[zid];
	ST_AT(z, idx) = ST(PS_ALLOC, ac->order);
	MT_AT(z, idx) = (uint8_t)ac->mt;
	alloc_acct(b, z, (uint32_t)idx, ac->order, ac->mt, 1);
	res->pfn = z->start + (uint64_t)idx;
	res->zone = zid;
	b->stats.pgalloc[z->type] += 1ull << ac->order;
	if (res->path == BT_PATH_FAST)
		b->stats.allocs_fast++;
	else
		b->stats.allocs_slow++;
}

/* Mirror mode: take the recorded block wherever the model has it. */
static int take_forced(struct bt_buddy *b, struct bt_actx *ac, int *zid)
{
	const struct bt_alloc_request *rq = ac->rq;
	struct bt_zone *z;
	uint32_t idx;

	z = bt_zone_of(b, rq->forced_pfn, &idx);
	if (!z)
		return -EINVAL;
	if (ST_AT(z, idx) == ST(PS_PCP, ac->order)) {
		int cpu = bt_pcp_cpu_of(b, z, idx);

		ac->res->forced_found = cpu == rq->cpu ? 1 : 2;
		ac->res->from_pcp = true;
		bt_pcp_unlink(b, z, idx);
	} else {
		long n = bt_carve(b, z, idx, ac->order);

		ac->res->forced_found = n == 1L << ac->order ? 0 : -1;
	}
	*zid = z->id;
	return (int)idx;
}

static int check_request(const struct bt_buddy *b,
			 const struct bt_alloc_request *rq)
{
	uint32_t idx;
	const struct bt_zone *z;

	if (rq->cpu < 0 || rq->cpu >= (int)b->cfg.nr_cpus ||
	    rq->nid >= BT_MAX_NODES || (rq->migratetype >= BT_MT_PCPTYPES) ||
	    !b->nr_zones)
		return -EINVAL;
	if (rq->forced_pfn == BT_BUDDY_PFN_NONE)
		return 0;
	if (rq->order > b->max_order ||
	    (rq->forced_pfn & ((1ull << rq->order) - 1)))
		return -EINVAL;
	z = bt_zone_of(b, rq->forced_pfn, &idx);
	if (!z || (uint64_t)idx + (1u << rq->order) > z->spanned)
		return -EINVAL;
	return 0;
}

static void run_request(struct bt_buddy *b, struct bt_actx *ac)
{
	int zid = -1;
	long idx;

	idx = bt_get_page_from_freelist(b, ac, fast_flags(b, ac), &zid);
	if (idx >= 0) {
		ac->res->path = BT_PATH_FAST;
		ac->res->got = BT_GOT_FAST;
	} else {
		idx = bt_alloc_slowpath(b, ac, &zid);
		ac->res->path = idx >= 0 ? BT_PATH_SLOW : BT_PATH_FAILED;
	}
	if (ac->dry && ac->rq->evaluate_only)
		return;
	if (ac->dry) {
		bool want = ac->rq->forced_pfn != BT_BUDDY_PFN_NONE;

		if (!want) {
			if (ac->res->path != BT_PATH_FAILED) {
				ac->res->fail = BT_FAIL_RECORDED;
				ac->res->path = BT_PATH_FAILED;
				ac->res->stages |= BT_STAGE_FAIL;
			}
			b->stats.allocs_failed++;
			return;
		}
		if (ac->res->path == BT_PATH_FAILED)
			ac->res->path = BT_PATH_SLOW;
		ac->res->fail = BT_FAIL_NONE;
		idx = take_forced(b, ac, &zid);
	}
	finish(b, ac, idx, zid);
}

int bt_buddy_alloc(struct bt_buddy *b, const struct bt_alloc_request *rq,
		   struct bt_alloc_result *res)
{
	struct bt_actx ac;
	int err = check_request(b, rq);

	result_init(res);
	if (err)
		return err;
	if (setup_actx(b, rq, res, &ac) < 0 || rq->order > b->max_order) {
		res->path = BT_PATH_FAILED;
		res->fail =
		    rq->order > b->max_order ? BT_FAIL_ORDER : BT_FAIL_NO_ZONE;
		res->stages = BT_STAGE_FAIL;
		b->stats.allocs_failed++;
		return 0;
	}
	ac.dry = rq->forced_pfn != BT_BUDDY_PFN_NONE || rq->forced_failure ||
		 rq->evaluate_only;
	b->cur_res = res;
	b->dry = ac.dry;
	run_request(b, &ac);
	b->dry = false;
	b->cur_res = NULL;
	return 0;
}
