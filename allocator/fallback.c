// SPDX-License-Identifier: GPL-2.0-only
/*
 * fallback.c - __rmqueue(): the requested type's lists first, then CMA,
 * then another migratetype's block by the version's rules; watermark
 * boosting after fragmenting fallbacks; the high-order atomic reserve.
 *
 * Two fallback policies exist, chosen by the profile or the knob:
 *   LARGEST      [4.12] __rmqueue_fallback(): take the largest fallback
 *                block, relabel lists (all free pages of its pageblock when
 *                it may steal), claim the pageblock when at least half of
 *                it is free or alike, then retry __rmqueue_smallest().
 *   CLAIM_STEAL  [6.16+] __rmqueue_claim() scans from the largest order
 *                down and claims whole pageblocks; __rmqueue_steal() takes
 *                the smallest fallback block without touching ownership.
 */
#include "allocator/allocator-internal.h"

/* fallbacks[] [4.12 = 6.x] */
static const int fallbacks[BT_MT_PCPTYPES][2] = {
    [BT_MT_UNMOVABLE] = {BT_MT_RECLAIMABLE, BT_MT_MOVABLE},
    [BT_MT_MOVABLE] = {BT_MT_RECLAIMABLE, BT_MT_UNMOVABLE},
    [BT_MT_RECLAIMABLE] = {BT_MT_UNMOVABLE, BT_MT_MOVABLE},
};

enum { RMQ_NORMAL, RMQ_CMA, RMQ_CLAIM, RMQ_STEAL };

void bt_note_extfrag(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		     unsigned int order, unsigned int forder, int mt, int fmt)
{
	struct bt_extfrag ef;
	struct bt_buddy_event ev;

	ef.pfn = z->start + idx;
	ef.alloc_order = order;
	ef.fallback_order = forder;
	ef.alloc_mt = mt;
	ef.fallback_mt = fmt;
	/* trace_mm_page_alloc_extfrag(): pageblock type == alloc type */
	ef.change_ownership = pb_mt(b, z, idx) == mt;
	b->stats.extfrag++;
	if (ef.change_ownership)
		b->stats.extfrag_claimed++;
	if (b->cur_res) {
		if (!b->cur_res->nr_fallbacks)
			b->cur_res->fallback = ef;
		b->cur_res->nr_fallbacks++;
	}
	if (b->hooks.event) {
		memset(&ev, 0, sizeof(ev));
		ev.kind = BT_BEV_EXTFRAG;
		ev.zone = z->id;
		ev.pfn = ef.pfn;
		ev.extfrag = ef;
		bt_emit(b, &ev);
	}
}

/*
 * should_try_claim_block() [6.x] / can_steal_fallback() [4.12]: true for
 * orders >= pageblock_order / 2, unmovable and reclaimable requests, or
 * with mobility grouping disabled.
 */
static bool should_try_claim(const struct bt_buddy *b, unsigned int order,
			     int mt)
{
	return order >= b->pb_order / 2 || mt == BT_MT_RECLAIMABLE ||
	       mt == BT_MT_UNMOVABLE || b->cfg.mobility_disabled;
}

/*
 * find_suitable_fallback() [6.x]: -2 "too low to claim", -1 nothing at
 * this order, else the first fallback type with a block of @order.
 */
int bt_find_suitable_fallback(struct bt_buddy *b, struct bt_zone *z,
			      unsigned int order, int mt, bool claimable)
{
	int i;

	if (claimable && !should_try_claim(b, order, mt))
		return -2;
	if (!z->nr_free[order])
		return -1;
	for (i = 0; i < 2; i++) {
		int fmt = fallbacks[mt][i];

		if (!list_empty_at(z, free_sent(z, order, fmt)))
			return fmt;
	}
	return -1;
}

/*
 * boost_watermark() [5.0+]: raise the boost by a pageblock, up to
 * max(pageblock, high * watermark_boost_factor / 10000).
 */
bool bt_boost_watermark(struct bt_buddy *b, struct bt_zone *z)
{
	uint64_t high = z->wmark[2], f = b->cfg.watermark_boost_factor;
	uint64_t max_boost;

	if (!f || (uint64_t)b->pb_pages * 4 > z->managed)
		return false;
	max_boost = (high / 10000) * f + ((high % 10000) * f) / 10000;
	if (!max_boost)
		return false;
	max_boost = BT_MAX(max_boost, (uint64_t)b->pb_pages);
	z->boost = BT_MIN(z->boost + b->pb_pages, max_boost);
	return true;
}

/*
 * prep_move_freepages_block() counting: free pages and pages of movable
 * allocations in the pageblock of @idx, from the per-pageblock counters
 * (the same numbers as a walk: a pageblock holding a sub-pageblock free
 * block has no block of pageblock order or more overlapping it).
 */
static int count_pageblock(const struct bt_buddy *b, const struct bt_zone *z,
			   uint32_t idx, int *nfree, int *nmov)
{
	uint64_t start = (z->start + idx) & ~((uint64_t)b->pb_pages - 1);
	uint64_t i = (start >> b->pb_order) - z->pb_first;

	if (!bt_zone_spans(z, start) ||
	    !bt_zone_spans(z, start + b->pb_pages - 1))
		return -1;
	*nfree = z->pb_free[i];
	*nmov = z->pb_movable[i];
	return 0;
}

/* try_to_claim_block() [6.16+] */
static long try_to_claim_block(struct bt_buddy *b, struct bt_zone *z,
			       uint32_t idx, unsigned int corder,
			       unsigned int order, int start, int bt_,
			       unsigned int flags)
{
	int nfree = 0, nmov = 0, alike;

	if (corder >= b->pb_order) {
		bt_fl_del(b, z, idx);
		bt_set_pb_range(b, z, idx, corder, start);
		bt_expand(b, z, idx, order, corder, start);
		return idx;
	}
	if (bt_boost_watermark(b, z) && (flags & BT_ALLOC_KSWAPD))
		z->flags |= ZF_BOOSTED;
	if (count_pageblock(b, z, idx, &nfree, &nmov) < 0)
		return -1;
	if (start == BT_MT_MOVABLE)
		alike = nmov;
	else if (bt_ == BT_MT_MOVABLE)
		alike = (int)b->pb_pages - (nfree + nmov);
	else
		alike = 0;
	if (nfree + alike >= (int)(b->pb_pages / 2) ||
	    b->cfg.mobility_disabled) {
		bt_move_freepages_block(b, z, idx, bt_, start, NULL, NULL);
		bt_set_pb_range(b, z, idx, 0, start);
		return bt_rmqueue_smallest(b, z, order, start,
					   bt_pcp_allowed_order(b, order));
	}
	return -1;
}

/* __rmqueue_claim() [6.16+]: largest order first, claim the pageblock. */
static long rmqueue_claim(struct bt_buddy *b, struct bt_zone *z,
			  unsigned int order, int mt, unsigned int flags)
{
	int o, min_order = (int)order;

	if (order < b->pb_order && (flags & BT_ALLOC_NOFRAGMENT))
		min_order = (int)b->pb_order;
	for (o = (int)b->max_order; o >= min_order; o--) {
		int fmt =
		    bt_find_suitable_fallback(b, z, (unsigned int)o, mt, true);
		long idx;

		if (fmt == -1)
			continue;
		if (fmt == -2)
			break;
		idx = LNEXT(z, free_sent(z, (unsigned int)o, fmt));
		idx = try_to_claim_block(b, z, (uint32_t)idx, (unsigned int)o,
					 order, mt, fmt, flags);
		if (idx >= 0) {
			bt_note_extfrag(b, z, (uint32_t)idx, order,
					(unsigned int)o, mt, fmt);
			return idx;
		}
	}
	return -1;
}

/* __rmqueue_steal() [6.16+]: smallest fallback block, ownership kept. */
static long rmqueue_steal(struct bt_buddy *b, struct bt_zone *z,
			  unsigned int order, int mt)
{
	unsigned int o;

	for (o = order; o <= b->max_order; o++) {
		int fmt = bt_find_suitable_fallback(b, z, o, mt, false);
		uint32_t idx;

		if (fmt < 0)
			continue;
		idx = LNEXT(z, free_sent(z, o, fmt));
		bt_fl_del(b, z, idx);
		bt_expand(b, z, idx, order, o, fmt);
		bt_note_extfrag(b, z, idx, order, o, mt, fmt);
		return idx;
	}
	return -1;
}

/* steal_suitable_fallback() [4.12]: relabel lists, maybe the pageblock. */
static void steal_suitable_412(struct bt_buddy *b, struct bt_zone *z,
			       uint32_t idx, unsigned int corder, int start,
			       bool whole_block)
{
	int old = pb_mt(b, z, idx), nfree = 0, nmov = 0, alike;

	if (old == BT_MT_HIGHATOMIC)
		goto single;
	if (corder >= b->pb_order) {
		bt_set_pb_range(b, z, idx, corder, start);
		goto single;
	}
	if (!whole_block)
		goto single;
	if (bt_move_freepages_block(b, z, idx, -1, start, &nfree, &nmov) <= 0)
		goto single;
	if (start == BT_MT_MOVABLE)
		alike = nmov;
	else
		alike = old == BT_MT_MOVABLE ? (int)b->pb_pages - (nfree + nmov)
					     : 0;
	if (nfree + alike >= (int)(b->pb_pages / 2) || b->cfg.mobility_disabled)
		bt_set_pb_range(b, z, idx, 0, start);
	return;
single:
	bt_fl_move(b, z, idx, start, false);
}

/*
 * __rmqueue_fallback() [4.12]: the largest fallback block (orders from
 * max_order down to @order), lists relabelled by steal_suitable_fallback().
 */
static bool rmqueue_fallback_412(struct bt_buddy *b, struct bt_zone *z,
				 unsigned int order, int mt)
{
	int o;

	for (o = (int)b->max_order; o >= (int)order; o--) {
		int fmt =
		    bt_find_suitable_fallback(b, z, (unsigned int)o, mt, false);
		uint32_t idx;

		if (fmt < 0)
			continue;
		idx = LNEXT(z, free_sent(z, (unsigned int)o, fmt));
		steal_suitable_412(b, z, idx, (unsigned int)o, mt,
				   should_try_claim(b, (unsigned int)o, mt));
		bt_note_extfrag(b, z, idx, order, (unsigned int)o, mt, fmt);
		return true;
	}
	return false;
}

static long rmqueue_cma(struct bt_buddy *b, struct bt_zone *z,
			unsigned int order)
{
	return bt_rmqueue_smallest(b, z, order, BT_MT_CMA,
				   bt_pcp_allowed_order(b, order));
}

/* __rmqueue() [4.12]: smallest, CMA for movable, fallback and retry. */
static long rmqueue_412(struct bt_buddy *b, struct bt_zone *z,
			unsigned int order, int mt, unsigned int flags)
{
	bool refill = bt_pcp_allowed_order(b, order);
	long idx;

	for (;;) {
		idx = bt_rmqueue_smallest(b, z, order, mt, refill);
		if (idx >= 0)
			return idx;
		if (mt == BT_MT_MOVABLE) {
			idx = rmqueue_cma(b, z, order);
			if (idx >= 0)
				return idx;
		}
		if (b->fallback == BT_FALLBACK_NONE)
			return -1;
		if (b->fallback == BT_FALLBACK_CLAIM_STEAL) {
			idx = rmqueue_claim(b, z, order, mt, flags);
			return idx >= 0 ? idx : rmqueue_steal(b, z, order, mt);
		}
		if (!rmqueue_fallback_412(b, z, order, mt))
			return -1;
	}
}

/* The 6.x mode machine's fallback step for the LARGEST/NONE knobs. */
static long fallback_other_policy(struct bt_buddy *b, struct bt_zone *z,
				  unsigned int order, int mt)
{
	if (b->fallback == BT_FALLBACK_NONE ||
	    !rmqueue_fallback_412(b, z, order, mt))
		return -1;
	return bt_rmqueue_smallest(b, z, order, mt,
				   bt_pcp_allowed_order(b, order));
}

/*
 * __rmqueue() [6.16+]: CMA balancing, then NORMAL -> CMA -> CLAIM ->
 * STEAL; *@mode remembers where the last block came from across one
 * rmqueue_bulk() so that a refill does not search again.
 */
long bt_rmqueue(struct bt_buddy *b, struct bt_zone *z, unsigned int order,
		int mt, unsigned int flags, int *mode)
{
	long idx;

	if (!b->v6)
		return rmqueue_412(b, z, order, mt, flags);
	if ((flags & BT_ALLOC_CMA) && z->free_cma > z->free_pages / 2) {
		idx = rmqueue_cma(b, z, order);
		if (idx >= 0)
			return idx;
	}
	switch (*mode) {
	case RMQ_NORMAL:
		idx = bt_rmqueue_smallest(b, z, order, mt,
					  bt_pcp_allowed_order(b, order));
		if (idx >= 0)
			return idx;
		/* fallthrough */
	case RMQ_CMA:
		if (flags & BT_ALLOC_CMA) {
			idx = rmqueue_cma(b, z, order);
			if (idx >= 0) {
				*mode = RMQ_CMA;
				return idx;
			}
		}
		/* fallthrough */
	case RMQ_CLAIM:
		if (b->fallback != BT_FALLBACK_CLAIM_STEAL)
			return fallback_other_policy(b, z, order, mt);
		idx = rmqueue_claim(b, z, order, mt, flags);
		if (idx >= 0) {
			*mode = RMQ_NORMAL;
			return idx;
		}
		/* fallthrough */
	case RMQ_STEAL:
		if (!(flags & BT_ALLOC_NOFRAGMENT)) {
			idx = rmqueue_steal(b, z, order, mt);
			if (idx >= 0) {
				*mode = RMQ_STEAL;
				return idx;
			}
		}
	}
	return -1;
}

/*
 * reserve_highatomic_pageblock() after a successful ALLOC_HIGHATOMIC
 * (6.x) / ALLOC_HARDER order > 0 (4.12) allocation.
 * [6.x] nothing below 1% of managed = one pageblock; limit = 1% rounded up
 * to a pageblock; only mergeable pageblocks. [4.12] limit = 1% + one
 * pageblock; any pageblock but HIGHATOMIC, CMA, ISOLATE.
 */
void bt_reserve_highatomic(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
			   unsigned int order)
{
	uint64_t pct = z->managed / 100, limit;
	int mt = pb_mt(b, z, idx);

	if (b->v6 && !b->harder) {
		if (pct < b->pb_pages)
			return;
		limit = (pct + b->pb_pages - 1) & ~((uint64_t)b->pb_pages - 1);
	} else {
		limit = pct + b->pb_pages;
	}
	if (z->nr_reserved_highatomic >= limit)
		return;
	if (b->v6 && !b->harder) {
		if (!mt_mergeable(mt))
			return;
		if (order < b->pb_order) {
			if (bt_move_freepages_block(b, z, idx, mt,
						    BT_MT_HIGHATOMIC, NULL,
						    NULL) < 0)
				return;
			bt_set_pb_range(b, z, idx, 0, BT_MT_HIGHATOMIC);
			z->nr_reserved_highatomic += b->pb_pages;
		} else {
			bt_set_pb_range(b, z, idx, order, BT_MT_HIGHATOMIC);
			z->nr_reserved_highatomic += 1ull << order;
		}
		return;
	}
	if (mt == BT_MT_HIGHATOMIC || mt == BT_MT_CMA || mt == BT_MT_ISOLATE)
		return;
	z->nr_reserved_highatomic += b->pb_pages;
	bt_set_pb_range(b, z, idx, 0, BT_MT_HIGHATOMIC);
	bt_move_freepages_block(b, z, idx, -1, BT_MT_HIGHATOMIC, NULL, NULL);
}

static bool unreserve_zone(struct bt_buddy *b, struct bt_zone *z, int mt)
{
	unsigned int o;

	for (o = 0; o <= b->max_order; o++) {
		uint32_t s = free_sent(z, o, BT_MT_HIGHATOMIC), idx;
		uint64_t size;
		int ret;

		if (list_empty_at(z, s))
			continue;
		idx = LNEXT(z, s);
		size = b->v6 ? BT_MAX((uint64_t)b->pb_pages, 1ull << o)
			     : b->pb_pages;
		z->nr_reserved_highatomic -=
		    BT_MIN(size, z->nr_reserved_highatomic);
		if (o < b->pb_order || !b->v6) {
			bt_set_pb_range(b, z, idx, 0, mt);
			ret = bt_move_freepages_block(b, z, idx, -1, mt, NULL,
						      NULL);
		} else {
			bt_fl_move(b, z, idx, mt, true);
			bt_set_pb_range(b, z, idx, o, mt);
			ret = 1;
		}
		if (ret > 0)
			return true;
	}
	return false;
}

/*
 * unreserve_highatomic_pageblock() [4.12, 6.x]: in each zone of the
 * zonelist (keeping one pageblock unless @force), release the pageblock of
 * the lowest-order free HIGHATOMIC block to the request's type.
 */
bool bt_unreserve_highatomic(struct bt_buddy *b, const struct bt_actx *ac,
			     bool force)
{
	int i;

	for (i = ac->first; i < ac->nr_zl; i++) {
		struct bt_zone *z = b->zones[ac->zl[i]];

		if (z->type > ac->hz)
			continue;
		if (!force && z->nr_reserved_highatomic <= b->pb_pages)
			continue;
		if (unreserve_zone(b, z, ac->mt))
			return true;
	}
	return false;
}
