// SPDX-License-Identifier: GPL-2.0-only
/*
 * compaction.c - memory compaction inside the model (mm/compaction.c):
 * suitability (watermark + fragmentation index against extfrag_threshold),
 * a migration scanner walking pageblocks upward that moves allocated
 * MOVABLE blocks into free blocks found by a free scanner walking
 * downward, deferral, capture of the freed block by a direct compactor,
 * kcompactd and proactive compaction.
 *
 * Simplifications (docs/allocator-model.md): a migration moves a whole
 * allocated block of order < pageblock_order at once (the kernel moves
 * folios, which is the same thing for compound allocations); only blocks
 * the model knows as allocated with a MOVABLE migratetype can move (pages
 * in use before the model started are pinned); skip hints and the fast
 * free-list searches are not modelled, so the scanners resume from the
 * cached positions and visit every pageblock.
 */
#include <errno.h>

#include "allocator/allocator-internal.h"

struct cc {
	struct bt_zone *z;
	int order; /* -1: whole zone */
	int prio;
	int mt;
	unsigned int alloc_flags;
	int hz;
	bool direct;
	bool async;
	bool whole_zone;
	bool ignore_block_suitable;
	bool proactive;
	unsigned int proactive_low;
	uint64_t migrate_pfn; /* next pageblock to scan for sources */
	uint64_t free_pfn;    /* end of the pageblock scanned for targets */
};

/* __fragmentation_index() (mm/vmstat.c) */
long bt_fragmentation_index(const struct bt_zone *z, unsigned int order)
{
	uint64_t total = 0, pages = 0, suitable = 0;
	unsigned int o;

	for (o = 0; o < BT_BUDDY_NR_ORDERS; o++) {
		total += z->nr_free[o];
		pages += z->nr_free[o] << o;
		if (o >= order)
			suitable += z->nr_free[o] << (o - order);
	}
	if (!total)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - (long)((1000 + pages * 1000 / (1ull << order)) / total);
}

/* extfrag_for_order(): 0..100, the proactive compaction score */
static unsigned int extfrag_for_order(const struct bt_zone *z,
				      unsigned int order)
{
	uint64_t pages = 0, suitable = 0;
	unsigned int o;

	for (o = 0; o < BT_BUDDY_NR_ORDERS; o++) {
		pages += z->nr_free[o] << o;
		if (o >= order)
			suitable += z->nr_free[o] << (o - order);
	}
	if (!pages)
		return 0;
	return (unsigned int)((pages - (suitable << order)) * 100 / pages);
}

/* __compaction_suitable() [6.x] */
static bool compaction_suitable_wm(struct bt_buddy *b, struct bt_zone *z,
				   int order, uint64_t wmark, int hz,
				   int64_t free_pages)
{
	int64_t mark = (int64_t)wmark + (2ll << order);

	if (order > BT_BUDDY_COSTLY_ORDER)
		mark += (int64_t)(bt_wmark(z, 1) - bt_wmark(z, 0));
	return bt_zone_watermark_ok(b, z, 0, mark, hz, BT_ALLOC_CMA,
				    free_pages);
}

/* compaction_suitable(): plus the fragmentation index for costly orders */
static bool compaction_suitable(struct bt_buddy *b, struct bt_zone *z,
				int order, uint64_t wmark, int hz)
{
	long fi;

	if (!compaction_suitable_wm(b, z, order, wmark, hz, z->free_pages))
		return false;
	if (order <= BT_BUDDY_COSTLY_ORDER)
		return true;
	fi = bt_fragmentation_index(z, (unsigned int)order);
	return !(fi >= 0 && fi <= b->cfg.extfrag_threshold);
}

/*
 * compaction_suit_allocation_order() [6.x] / __compaction_suitable()
 * [4.12]: SUCCESS if the allocation would already pass, SKIPPED when
 * there are not enough free pages to migrate into, else CONTINUE.
 */
static int suit_allocation_order(struct bt_buddy *b, struct bt_zone *z,
				 int order, int hz, unsigned int flags,
				 bool async)
{
	uint64_t mark = bt_wmark(z, flags & BT_ALLOC_WMARK_MASK);
	uint64_t base;

	if (bt_zone_watermark_ok(b, z, (unsigned int)order, (int64_t)mark, hz,
				 flags, z->free_pages))
		return BT_COMPACT_SUCCESS;
	if (!b->v6) {
		base = order > BT_BUDDY_COSTLY_ORDER ? bt_wmark(z, 1)
						     : bt_wmark(z, 0);
		if (!bt_zone_watermark_ok(b, z, 0,
					  (int64_t)(base + (2ull << order)), hz,
					  BT_ALLOC_CMA, z->free_pages))
			return BT_COMPACT_SKIPPED;
		if (order > BT_BUDDY_COSTLY_ORDER) {
			long fi =
			    bt_fragmentation_index(z, (unsigned int)order);

			if (fi >= 0 && fi <= b->cfg.extfrag_threshold)
				return BT_COMPACT_SKIPPED;
		}
		return BT_COMPACT_CONTINUE;
	}
	if (order > BT_BUDDY_COSTLY_ORDER && async && !(flags & BT_ALLOC_CMA) &&
	    !bt_zone_watermark_ok(b, z, 0,
				  (int64_t)(bt_wmark(z, 1) + (2ull << order)),
				  hz, 0, z->free_pages - z->free_cma))
		return BT_COMPACT_SKIPPED;
	if (!compaction_suitable(b, z, order, bt_wmark(z, 0), hz))
		return BT_COMPACT_SKIPPED;
	return BT_COMPACT_CONTINUE;
}

static uint64_t pb_start(const struct bt_buddy *b, uint64_t pfn)
{
	return pfn & ~((uint64_t)b->pb_pages - 1);
}

static uint64_t zone_end(const struct bt_zone *z)
{
	return z->start + z->spanned;
}

/* The migrate scanner reached the free scanner's pageblock. */
static bool scanners_met(struct bt_buddy *b, const struct cc *cc)
{
	return cc->free_pfn <= cc->migrate_pfn ||
	       pb_start(b, cc->free_pfn - 1) <= pb_start(b, cc->migrate_pfn);
}

/* __compact_finished() [6.x] */
static int compact_finished(struct bt_buddy *b, struct cc *cc)
{
	struct bt_zone *z = cc->z;
	unsigned int o;

	if (scanners_met(b, cc)) {
		z->cached_migrate_pfn = z->start;
		z->cached_free_pfn = zone_end(z);
		if (cc->direct)
			z->blockskip_flush = true;
		return cc->whole_zone ? BT_COMPACT_COMPLETE
				      : BT_COMPACT_PARTIAL_SKIPPED;
	}
	if (cc->proactive)
		return extfrag_for_order(z, b->pb_order) > cc->proactive_low
			   ? BT_COMPACT_CONTINUE
			   : BT_COMPACT_SUCCESS;
	if (cc->order < 0)
		return BT_COMPACT_CONTINUE;
	if (b->capc.active && b->capc.pfn != BT_BUDDY_PFN_NONE)
		return BT_COMPACT_SUCCESS;
	for (o = (unsigned int)cc->order; o <= b->max_order; o++) {
		if (z->nr_mt[o][cc->mt])
			return BT_COMPACT_SUCCESS;
		if (cc->mt == BT_MT_MOVABLE && z->nr_mt[o][BT_MT_CMA])
			return BT_COMPACT_SUCCESS;
		if (bt_find_suitable_fallback(b, z, o, cc->mt, true) >= 0)
			return BT_COMPACT_SUCCESS;
	}
	return BT_COMPACT_CONTINUE;
}

/* suitable_migration_target(): a pageblock the free scanner may use */
static bool target_block_ok(struct bt_buddy *b, struct cc *cc, uint64_t pb)
{
	struct bt_zone *z = cc->z;
	uint32_t idx = (uint32_t)(pb - z->start);
	unsigned int lim =
	    cc->order > 0 ? (unsigned int)cc->order : b->pb_order;
	uint8_t st = ST_AT(z, idx);
	int mt;

	if (ST_STATE(st) == PS_FREE && ST_ORDER(st) >= lim)
		return false;
	if (cc->ignore_block_suitable)
		return true;
	mt = pb_mt(b, z, idx);
	return mt == BT_MT_MOVABLE || mt == BT_MT_CMA;
}

/*
 * __isolate_free_page(): a block of at least half a pageblock makes its
 * mergeable pageblocks MOVABLE, with their other free pages
 * (move_freepages_block()).
 */
static void relabel_movable(struct bt_buddy *b, struct bt_zone *z, uint32_t i,
			    unsigned int o)
{
	uint32_t p, end = i + (1u << o);

	for (p = i; p < end; p += b->pb_pages) {
		int mt = pb_mt(b, z, p);

		if (!mt_mergeable(mt) || mt == BT_MT_MOVABLE)
			continue;
		if (bt_move_freepages_block(b, z, p, mt, BT_MT_MOVABLE, NULL,
					    NULL) >= 0)
			bt_set_pb_range(b, z, p, 0, BT_MT_MOVABLE);
		if (o < b->pb_order)
			break;
	}
}

/* The pageblock counter of @arr for the pageblock holding @pfn. */
static unsigned int pb_counter(const struct bt_buddy *b,
			       const struct bt_zone *z, const uint16_t *arr,
			       uint64_t pfn)
{
	return arr[(pfn >> b->pb_order) - z->pb_first];
}

/* __isolate_free_page() of a free block within [pb, pb + pageblock). */
static long isolate_target(struct bt_buddy *b, struct cc *cc, uint64_t pb,
			   unsigned int order)
{
	struct bt_zone *z = cc->z;
	uint64_t p = BT_MAX(pb, z->start);
	uint64_t end = BT_MIN(pb + b->pb_pages, zone_end(z));
	uint32_t i, lim;

	/* no free block of @order or more: fewer free pages than that */
	if (p >= end || pb_counter(b, z, z->pb_free, p) < (1u << order))
		return -1;
	/*
	 * The first free head of @order or more in pfn order: st[] is
	 * non-zero on heads only (bt_buddy_check's tiling), so a scan of
	 * the bytes for free states finds the heads a walk would.
	 */
	lim = (uint32_t)(end - z->start);
	for (i = bt_st_next_free(z, (uint32_t)(p - z->start), lim); i < lim;
	     i = bt_st_next_free(z, i + 1, lim)) {
		unsigned int o = ST_ORDER(ST_AT(z, i));
		int mt;

		if (o < order)
			continue;
		mt = MT_AT(z, i);
		if (mt != BT_MT_ISOLATE &&
		    !bt_zone_watermark_ok(b, z, 0,
					  (int64_t)(z->wmark[0] + (1ull << o)),
					  0, BT_ALLOC_CMA, z->free_pages))
			return -1;
		bt_fl_del(b, z, i);
		if (o >= b->pb_order - 1)
			relabel_movable(b, z, i, o);
		bt_expand(b, z, i, order, o, pb_mt(b, z, i));
		return i;
	}
	return -1;
}

/* The free scanner: a target block of @order above the migrate scanner. */
static long find_target(struct bt_buddy *b, struct cc *cc, unsigned int order)
{
	while (cc->free_pfn > cc->migrate_pfn) {
		uint64_t pb = pb_start(b, cc->free_pfn - 1);
		long t;

		if (pb <= pb_start(b, cc->migrate_pfn))
			return -1;
		if (target_block_ok(b, cc, BT_MAX(pb, cc->z->start))) {
			t = isolate_target(b, cc, pb, order);
			if (t >= 0)
				return t;
		}
		cc->free_pfn = pb;
	}
	return -1;
}

/* suitable_migration_source() */
static bool source_block_ok(struct bt_buddy *b, struct cc *cc, uint32_t idx)
{
	int mt;

	if (!cc->async || !cc->direct)
		return true;
	mt = pb_mt(b, cc->z, idx);
	if (cc->mt == BT_MT_MOVABLE)
		return mt == BT_MT_MOVABLE || mt == BT_MT_CMA;
	return mt == cc->mt;
}

static void move_block(struct bt_buddy *b, struct cc *cc, uint32_t from,
		       uint32_t to, unsigned int order)
{
	struct bt_zone *z = cc->z;

	ST_AT(z, to) = ST(PS_ALLOC, order);
	MT_AT(z, to) = BT_MT_MOVABLE;
	alloc_acct(b, z, to, order, BT_MT_MOVABLE, 1);
	alloc_acct(b, z, from, order, BT_MT_MOVABLE, -1);
	ST_AT(z, from) = ST(PS_NONE, 0);
	b->stats.compact_migrated++;
	if (b->hooks.move)
		b->hooks.move(b, z->start + from, z->start + to, order,
			      b->hooks.data);
	bt_free_range(b, z, from, order, false);
}

/*
 * The migrate scanner's block has nothing it may move: its type is not
 * the one async compaction takes, or no MOVABLE allocation lies in it.
 */
static bool block_passed_over(struct bt_buddy *b, struct cc *cc)
{
	struct bt_zone *z = cc->z;
	uint64_t p = BT_MAX(cc->migrate_pfn, z->start);
	uint64_t end = BT_MIN(pb_start(b, p) + b->pb_pages, zone_end(z));

	return !source_block_ok(b, cc, (uint32_t)(p - z->start)) ||
	       (p < end && !pb_counter(b, z, z->pb_movable, p));
}

/* One pageblock of the migration scanner; false when targets ran out. */
static bool migrate_block(struct bt_buddy *b, struct cc *cc)
{
	struct bt_zone *z = cc->z;
	uint64_t p = BT_MAX(cc->migrate_pfn, z->start);
	uint64_t end = BT_MIN(pb_start(b, p) + b->pb_pages, zone_end(z));

	/* compact_zone() stepped over the blocks block_passed_over() names */
	while (p < end) {
		uint32_t i = (uint32_t)(p - z->start);
		uint8_t st = ST_AT(z, i);
		unsigned int o = ST_ORDER(st);
		long t;

		if (ST_STATE(st) == PS_NONE) {
			p = z->start +
			    bt_st_skip_zero(z, i + 1, (uint32_t)(end - z->start));
			continue;
		}
		p += 1ull << o;
		if (ST_STATE(st) != PS_ALLOC || MT_AT(z, i) != BT_MT_MOVABLE ||
		    o >= b->pb_order)
			continue;
		t = find_target(b, cc, o);
		if (t < 0)
			return false;
		move_block(b, cc, i, (uint32_t)t, o);
		if (b->capc.active && b->capc.pfn != BT_BUDDY_PFN_NONE)
			return true;
	}
	return true;
}

/* compact_zone() */
static int compact_zone(struct bt_buddy *b, struct cc *cc)
{
	struct bt_zone *z = cc->z;
	int ret;

	if (cc->order >= 0 && !cc->proactive) {
		ret = suit_allocation_order(b, z, cc->order, cc->hz,
					    cc->alloc_flags, cc->async);
		if (ret != BT_COMPACT_CONTINUE)
			return ret;
	}
	cc->migrate_pfn = cc->whole_zone ? z->start : z->cached_migrate_pfn;
	cc->free_pfn = cc->whole_zone ? zone_end(z) : z->cached_free_pfn;
	if (cc->free_pfn > zone_end(z) || cc->migrate_pfn < z->start ||
	    cc->migrate_pfn >= cc->free_pfn) {
		cc->migrate_pfn = z->start;
		cc->free_pfn = zone_end(z);
	}
	for (;;) {
		ret = compact_finished(b, cc);
		if (ret != BT_COMPACT_CONTINUE)
			break;
		/*
		 * Blocks passed over change nothing compact_finished() looks
		 * at but the migrate scanner's place: step over them here, as
		 * isolate_migratepages() does, until a block to scan or the
		 * free scanner.
		 */
		while (!scanners_met(b, cc) && block_passed_over(b, cc))
			cc->migrate_pfn = pb_start(b, cc->migrate_pfn) +
					  b->pb_pages;
		if (scanners_met(b, cc))
			continue;
		if (!migrate_block(b, cc)) {
			cc->free_pfn = cc->migrate_pfn; /* scanners met */
			continue;
		}
		cc->migrate_pfn = pb_start(b, cc->migrate_pfn) + b->pb_pages;
	}
	if (ret != BT_COMPACT_COMPLETE && ret != BT_COMPACT_PARTIAL_SKIPPED) {
		z->cached_migrate_pfn = cc->migrate_pfn;
		z->cached_free_pfn = cc->free_pfn;
	}
	return ret;
}

/* compaction_deferred() */
bool bt_compaction_deferred(struct bt_buddy *b, struct bt_zone *z,
			    unsigned int order)
{
	unsigned int limit = 1u << z->compact_defer_shift;
	struct bt_buddy_event ev;

	if (order < z->compact_order_failed)
		return false;
	if (++z->compact_considered >= limit) {
		z->compact_considered = limit;
		return false;
	}
	if (b->hooks.event) {
		memset(&ev, 0, sizeof(ev));
		ev.kind = BT_BEV_COMPACT_DEFERRED;
		ev.zone = z->id;
		ev.pfn = BT_BUDDY_PFN_NONE;
		ev.a = order;
		bt_emit(b, &ev);
	}
	return true;
}

/* defer_compaction() */
void bt_defer_compaction(struct bt_buddy *b, struct bt_zone *z,
			 unsigned int order)
{
	(void)b;
	z->compact_considered = 0;
	z->compact_defer_shift++;
	if (order < z->compact_order_failed)
		z->compact_order_failed = order;
	if (z->compact_defer_shift > BT_COMPACT_MAX_DEFER_SHIFT)
		z->compact_defer_shift = BT_COMPACT_MAX_DEFER_SHIFT;
}

/* compaction_defer_reset() */
void bt_compaction_defer_reset(struct bt_buddy *b, struct bt_zone *z,
			       unsigned int order, bool alloc_success)
{
	(void)b;
	if (alloc_success) {
		z->compact_considered = 0;
		z->compact_defer_shift = 0;
	}
	if (order >= z->compact_order_failed)
		z->compact_order_failed = order + 1;
}

/*
 * compaction_capture() [5.1+]: a block freed in the compacted zone that
 * reaches the requested order goes to the compactor, unless CMA/ISOLATE or
 * a sub-pageblock MOVABLE block for a non-MOVABLE request.
 */
bool bt_compaction_capture(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
			   unsigned int order, int mt)
{
	struct bt_capture *c = &b->capc;

	if (c->pfn != BT_BUDDY_PFN_NONE || c->zone != z->id ||
	    order != c->order)
		return false;
	if (mt == BT_MT_CMA || mt == BT_MT_ISOLATE)
		return false;
	if (order < b->pb_order && mt == BT_MT_MOVABLE &&
	    c->mt != BT_MT_MOVABLE)
		return false;
	if (mt != c->mt)
		bt_note_extfrag(b, z, idx, c->order, order, c->mt, mt);
	ST_AT(z, idx) = ST(PS_NONE, 0);
	c->pfn = z->start + idx;
	return true;
}

static void emit_end(struct bt_buddy *b, struct bt_zone *z, int order, int ret)
{
	struct bt_buddy_event ev;

	if (!b->hooks.event)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = BT_BEV_COMPACT_END;
	ev.zone = z->id;
	ev.pfn = BT_BUDDY_PFN_NONE;
	ev.a = order;
	ev.b = ret;
	bt_emit(b, &ev);
}

/* compact_zone_order(): direct compaction of one zone, with capture */
static int compact_zone_order(struct bt_buddy *b, struct bt_zone *z,
			      struct bt_actx *ac, unsigned int flags, int prio,
			      uint64_t *captured)
{
	struct cc cc;
	int ret;

	memset(&cc, 0, sizeof(cc));
	cc.z = z;
	cc.order = (int)ac->order;
	cc.prio = prio;
	cc.mt = ac->mt;
	cc.alloc_flags = flags;
	cc.hz = ac->hz;
	cc.direct = true;
	cc.async = prio == BT_COMPACT_PRIO_ASYNC;
	cc.whole_zone = cc.ignore_block_suitable =
	    prio == BT_COMPACT_PRIO_SYNC_FULL;
	if (b->cfg.capture) {
		b->capc.active = true;
		b->capc.zone = z->id;
		b->capc.order = ac->order;
		b->capc.mt = ac->mt;
		b->capc.pfn = BT_BUDDY_PFN_NONE;
	}
	ret = compact_zone(b, &cc);
	b->capc.active = false;
	if (b->capc.pfn != BT_BUDDY_PFN_NONE) {
		*captured = b->capc.pfn;
		b->capc.pfn = BT_BUDDY_PFN_NONE;
		ret = BT_COMPACT_SUCCESS;
	}
	emit_end(b, z, cc.order, ret);
	return ret;
}

/* try_to_compact_pages() */
int bt_try_to_compact_pages(struct bt_buddy *b, struct bt_actx *ac,
			    unsigned int alloc_flags, int prio,
			    uint64_t *captured, int *capture_zone)
{
	int rc = BT_COMPACT_SKIPPED, i;

	if (!(ac->gfp & BT_BUDDY_GFP_IO) || !b->cfg.compaction)
		return BT_COMPACT_SKIPPED;
	for (i = ac->first; i < ac->nr_zl; i++) {
		struct bt_zone *z = b->zones[ac->zl[i]];
		int status;

		if (z->type > ac->hz || !z->managed ||
		    ((ac->gfp & BT_BUDDY_GFP_THISNODE) && z->node != ac->nid))
			continue;
		if (prio > BT_COMPACT_PRIO_SYNC_FULL &&
		    bt_compaction_deferred(b, z, ac->order)) {
			rc = BT_MAX(rc, BT_COMPACT_DEFERRED);
			continue;
		}
		status =
		    compact_zone_order(b, z, ac, alloc_flags, prio, captured);
		rc = BT_MAX(rc, status);
		if (status == BT_COMPACT_SUCCESS) {
			bt_compaction_defer_reset(b, z, ac->order, false);
			if (*captured != BT_BUDDY_PFN_NONE)
				*capture_zone = z->id;
			break;
		}
		if (prio != BT_COMPACT_PRIO_ASYNC &&
		    (status == BT_COMPACT_COMPLETE ||
		     status == BT_COMPACT_PARTIAL_SKIPPED))
			bt_defer_compaction(b, z, ac->order);
		if (prio == BT_COMPACT_PRIO_ASYNC &&
		    (ac->rq->task_flags & BT_TASK_FATAL_SIGNAL))
			break;
	}
	return rc;
}

/* compaction_zonelist_suitable(): free + reclaimable/order would do */
bool bt_compaction_zonelist_suitable(struct bt_buddy *b, struct bt_actx *ac,
				     unsigned int alloc_flags)
{
	int i;

	for (i = ac->first; i < ac->nr_zl; i++) {
		struct bt_zone *z = b->zones[ac->zl[i]];
		int64_t avail;

		if (z->type > ac->hz || !z->managed)
			continue;
		avail = (int64_t)(bt_zone_reclaimable(b, z) / ac->order) +
			z->free_pages;
		if (b->v6) {
			if (compaction_suitable_wm(b, z, (int)ac->order,
						   bt_wmark(z, 0), ac->hz,
						   avail))
				return true;
		} else {
			uint64_t base = ac->order > BT_BUDDY_COSTLY_ORDER
					    ? bt_wmark(z, 1)
					    : bt_wmark(z, 0);

			(void)alloc_flags;
			if (bt_zone_watermark_ok(
				b, z, 0, (int64_t)(base + (2ull << ac->order)),
				ac->hz, BT_ALLOC_CMA, avail))
				return true;
		}
	}
	return false;
}

/* wakeup_kcompactd(): remember the order and zone for the next run */
void bt_wakeup_kcompactd(struct bt_buddy *b, int nid, unsigned int order,
			 int hz)
{
	struct bt_node *n = &b->nodes[nid];

	if (!order)
		return;
	if (n->kcompactd_order < (int)order)
		n->kcompactd_order = (int)order;
	if (n->kcompactd_hz > hz)
		n->kcompactd_hz = hz;
}

int bt_buddy_compact_zone(struct bt_buddy *b, int zid, int order, int prio)
{
	struct cc cc;

	if (zid < 0 || zid >= b->nr_zones || order < -1 ||
	    order > (int)b->max_order || prio < 0 ||
	    prio > BT_COMPACT_PRIO_ASYNC)
		return -EINVAL;
	memset(&cc, 0, sizeof(cc));
	cc.z = b->zones[zid];
	cc.order = order;
	cc.prio = prio;
	cc.mt = BT_MT_MOVABLE;
	cc.alloc_flags = BT_ALLOC_WMARK_MIN;
	cc.hz = cc.z->type;
	cc.async = prio == BT_COMPACT_PRIO_ASYNC;
	cc.whole_zone = order < 0 || prio == BT_COMPACT_PRIO_SYNC_FULL;
	cc.ignore_block_suitable = prio == BT_COMPACT_PRIO_SYNC_FULL;
	return compact_zone(b, &cc);
}

/* kcompactd_do_work() */
int bt_buddy_kcompactd_run(struct bt_buddy *b, int nid)
{
	struct bt_node *n;
	int i, done = 0;

	if (nid < 0 || nid >= BT_MAX_NODES || !b->nodes[nid].present)
		return -EINVAL;
	n = &b->nodes[nid];
	for (i = 0; i < b->nr_zones && n->kcompactd_order > 0; i++) {
		struct bt_zone *z = b->zones[i];
		struct cc cc;
		int ret;

		if (z->node != nid || z->type > n->kcompactd_hz || !z->managed)
			continue;
		if (bt_compaction_deferred(b, z,
					   (unsigned int)n->kcompactd_order))
			continue;
		if (suit_allocation_order(b, z, n->kcompactd_order, z->type,
					  BT_ALLOC_WMARK_MIN,
					  false) != BT_COMPACT_CONTINUE)
			continue;
		memset(&cc, 0, sizeof(cc));
		cc.z = z;
		cc.order = n->kcompactd_order;
		cc.prio = BT_COMPACT_PRIO_SYNC_LIGHT;
		cc.hz = n->kcompactd_hz;
		ret = compact_zone(b, &cc);
		done++;
		if (ret == BT_COMPACT_SUCCESS) {
			bt_compaction_defer_reset(b, z, (unsigned int)cc.order,
						  false);
		} else if (ret == BT_COMPACT_COMPLETE ||
			   ret == BT_COMPACT_PARTIAL_SKIPPED) {
			bt_buddy_pcp_drain(b, -1);
			bt_defer_compaction(b, z, (unsigned int)cc.order);
		}
	}
	n->kcompactd_order = 0;
	n->kcompactd_hz = BT_NR_ZONE_TYPES - 1;
	return done;
}

/* proactive compaction: fragmentation score of the node vs. wmarks */
int bt_buddy_proactive_compact(struct bt_buddy *b, int nid)
{
	unsigned int pro = b->cfg.compaction_proactiveness, low, high;
	uint64_t present = 0, score = 0;
	int i;

	if (nid < 0 || nid >= BT_MAX_NODES || !b->nodes[nid].present)
		return -EINVAL;
	if (!pro || pro > 100 || b->nodes[nid].kswapd_awake)
		return 0;
	for (i = 0; i < b->nr_zones; i++)
		if (b->zones[i]->node == nid)
			present += b->zones[i]->present;
	for (i = 0; i < b->nr_zones; i++)
		if (b->zones[i]->node == nid)
			score += b->zones[i]->present *
				 extfrag_for_order(b->zones[i], b->pb_order);
	score /= present + 1;
	low = 100 - pro;
	high = BT_MIN(low + BT_MIN(10u, low / 2), 100u);
	if (score <= high)
		return 0;
	for (i = 0; i < b->nr_zones; i++) {
		struct cc cc;

		if (b->zones[i]->node != nid || !b->zones[i]->managed)
			continue;
		memset(&cc, 0, sizeof(cc));
		cc.z = b->zones[i];
		cc.order = -1;
		cc.prio = BT_COMPACT_PRIO_SYNC_LIGHT;
		cc.proactive = true;
		cc.proactive_low = low;
		cc.whole_zone = true;
		compact_zone(b, &cc);
	}
	return 1;
}
