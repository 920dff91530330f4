// SPDX-License-Identifier: GPL-2.0-only
/*
 * slowpath.c - __alloc_pages_slowpath() in the kernel's order (spec 4.1
 * for 6.x, 4.6 for 4.12): slow-path alloc flags, kswapd wake, the
 * min-watermark attempt, the initial costly-order compaction and its exit,
 * reserves, direct reclaim, direct compaction, the NORETRY and costly
 * exits, should_reclaim_retry(), should_compact_retry(), OOM and its
 * exclusions, NOFAIL, failure.
 *
 * In mirror mode (dry) nothing is reclaimed, compacted or killed: the walk
 * stops after the last attempt that depends on the free lists alone and
 * reports the stages it would have entered.
 */
#include "allocator/allocator-internal.h"

struct slow {
	struct bt_actx *ac;
	unsigned int flags;
	bool can_reclaim;
	bool can_compact;
	bool costly;
	int compact_result;
	int compact_prio;
	unsigned int compaction_retries;
	unsigned int no_progress_loops;
	uint64_t progress;
	int zid;
};

#define GFP(ac, bit) (((ac)->gfp & BT_BUDDY_GFP_##bit) != 0)
#define TASK(ac, bit) (((ac)->rq->task_flags & BT_TASK_##bit) != 0)

/* gfp_to_alloc_flags() [6.3+] / [4.12-6.2] */
static unsigned int slow_flags(struct bt_buddy *b, struct bt_actx *ac)
{
	unsigned int f = BT_ALLOC_WMARK_MIN | BT_ALLOC_CPUSET;
	bool irq = TASK(ac, IN_IRQ) || TASK(ac, IN_SOFTIRQ);

	if (GFP(ac, HIGH))
		f |= BT_ALLOC_MIN_RESERVE;
	if (b->harder) {
		/* [4.12-6.2] __GFP_ATOMIC or an RT task: ALLOC_HARDER */
		if (GFP(ac, ATOMIC)) {
			if (!GFP(ac, NOMEMALLOC))
				f |= BT_ALLOC_HARDER;
			f &= ~BT_ALLOC_CPUSET;
		} else if (TASK(ac, RT) && !irq) {
			f |= BT_ALLOC_HARDER;
		}
		if (b->v6 && GFP(ac, KSWAPD_RECLAIM))
			f |= BT_ALLOC_KSWAPD;
		if (ac->mt == BT_MT_MOVABLE)
			f |= BT_ALLOC_CMA;
		return f;
	}
	if (GFP(ac, KSWAPD_RECLAIM))
		f |= BT_ALLOC_KSWAPD;
	if (!GFP(ac, DIRECT_RECLAIM)) {
		if (!GFP(ac, NOMEMALLOC)) {
			f |= BT_ALLOC_NON_BLOCK;
			/* 6.19: only with __GFP_HIGH; 6.3-6.18: any order > 0
			 */
			if (ac->order > 0 &&
			    (b->cfg.kernel_version < BT_KVER(6, 19, 0) ||
			     (f & BT_ALLOC_MIN_RESERVE)))
				f |= BT_ALLOC_HIGHATOMIC;
		}
		if (f & BT_ALLOC_MIN_RESERVE)
			f &= ~BT_ALLOC_CPUSET;
	} else if (TASK(ac, RT) && !irq) {
		f |= BT_ALLOC_MIN_RESERVE;
	}
	if (ac->mt == BT_MT_MOVABLE)
		f |= BT_ALLOC_CMA;
	if (b->cfg.defrag_mode)
		f |= BT_ALLOC_NOFRAGMENT;
	return f;
}

/* __gfp_pfmemalloc_flags() [6.x] / gfp_pfmemalloc_allowed() [4.12] */
static unsigned int pfmemalloc_flags(struct bt_buddy *b, struct bt_actx *ac)
{
	bool irq = TASK(ac, IN_IRQ) || TASK(ac, IN_SOFTIRQ);

	if (GFP(ac, NOMEMALLOC))
		return 0;
	if (GFP(ac, MEMALLOC))
		return BT_ALLOC_NO_WATERMARKS;
	if (TASK(ac, IN_SOFTIRQ) && !TASK(ac, IN_IRQ) && TASK(ac, MEMALLOC))
		return BT_ALLOC_NO_WATERMARKS;
	if (!irq) {
		if (TASK(ac, MEMALLOC))
			return BT_ALLOC_NO_WATERMARKS;
		if (TASK(ac, OOM_VICTIM))
			return b->v6 ? BT_ALLOC_OOM : BT_ALLOC_NO_WATERMARKS;
	}
	return 0;
}

static long attempt(struct bt_buddy *b, struct slow *s, unsigned int flags)
{
	return bt_get_page_from_freelist(b, s->ac, flags, &s->zid);
}

/*
 * __alloc_pages_direct_compact() [6.x; 4.12 counts nothing for
 * SKIPPED/DEFERRED]: order 0 never compacts.
 */
static long direct_compact(struct bt_buddy *b, struct slow *s)
{
	struct bt_alloc_result *res = s->ac->res;
	uint64_t captured = BT_BUDDY_PFN_NONE;
	int czone = -1;
	long idx;

	if (!s->ac->order)
		return -1;
	s->compact_result = bt_try_to_compact_pages(
	    b, s->ac, s->flags, s->compact_prio, &captured, &czone);
	res->compact_rounds++;
	res->compact_result = (enum bt_compact_result)s->compact_result;
	res->compact_prio = (enum bt_compact_prio)s->compact_prio;
	if (s->compact_result == BT_COMPACT_SKIPPED ||
	    (!b->v6 && s->compact_result == BT_COMPACT_DEFERRED))
		return -1;
	b->stats.compact_stall++;
	if (captured != BT_BUDDY_PFN_NONE) {
		s->zid = czone;
		idx = (long)(captured - b->zones[czone]->start);
	} else {
		idx = attempt(b, s, s->flags);
	}
	if (idx >= 0) {
		bt_compaction_defer_reset(b, b->zones[s->zid], s->ac->order,
					  true);
		b->stats.compact_success++;
		return idx;
	}
	b->stats.compact_fail++;
	return -1;
}

/* __alloc_pages_direct_reclaim() */
static long direct_reclaim(struct bt_buddy *b, struct slow *s)
{
	struct bt_alloc_result *res = s->ac->res;
	long idx;

	s->progress = bt_direct_reclaim(b, s->ac);
	res->reclaim_rounds++;
	res->reclaimed += s->progress;
	if (!s->progress)
		return -1;
	idx = attempt(b, s, s->flags);
	if (idx >= 0)
		return idx;
	res->stages |= BT_STAGE_DRAIN;
	if (bt_unreserve_highatomic(b, s->ac, false))
		res->stages |= BT_STAGE_UNRESERVE;
	bt_buddy_pcp_drain(b, -1);
	return attempt(b, s, s->flags);
}

static void emit_retry(struct bt_buddy *b, int kind, int zone, long a, long bb,
		       bool flag)
{
	struct bt_buddy_event ev;

	if (!b->hooks.event)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = (enum bt_buddy_event_kind)kind;
	ev.zone = zone;
	ev.pfn = BT_BUDDY_PFN_NONE;
	ev.a = a;
	ev.b = bb;
	ev.flag = flag;
	bt_emit(b, &ev);
}

/* Before OOM, exhaust the highatomic reserve. */
static bool unreserve_forced(struct bt_buddy *b, struct slow *s)
{
	if (!bt_unreserve_highatomic(b, s->ac, true))
		return false;
	s->ac->res->stages |= BT_STAGE_UNRESERVE;
	return true;
}

/* should_reclaim_retry() [6.x]; [4.12] shrinking "available" by loops */
static bool should_reclaim_retry(struct bt_buddy *b, struct slow *s)
{
	struct bt_actx *ac = s->ac;
	int i;

	if (s->progress && ac->order <= BT_BUDDY_COSTLY_ORDER)
		s->no_progress_loops = 0;
	else
		s->no_progress_loops++;
	if (s->no_progress_loops > BT_MAX_RECLAIM_RETRIES)
		return unreserve_forced(b, s);
	for (i = ac->first; i < ac->nr_zl; i++) {
		struct bt_zone *z = b->zones[ac->zl[i]];
		int64_t rec, avail;
		bool ok;

		if (z->type > ac->hz || !z->managed)
			continue;
		rec = (int64_t)bt_zone_reclaimable(b, z);
		avail = rec;
		if (!b->v6)
			avail -= (s->no_progress_loops * avail +
				  BT_MAX_RECLAIM_RETRIES - 1) /
				 BT_MAX_RECLAIM_RETRIES;
		avail += z->free_pages;
		ok = bt_zone_watermark_ok(b, z, ac->order,
					  (int64_t)bt_wmark(z, 0), ac->hz,
					  s->flags, avail);
		emit_retry(b, BT_BEV_RECLAIM_RETRY_ZONE, z->id,
			   s->no_progress_loops, avail, ok);
		if (ok)
			return true;
	}
	return b->v6 ? unreserve_forced(b, s) : false;
}

/* should_compact_retry() [6.x] / [4.12] */
static bool should_compact_retry(struct bt_buddy *b, struct slow *s)
{
	unsigned int max = BT_MAX_COMPACT_RETRIES,
		     retries = s->compaction_retries;
	int min_prio, prio = s->compact_prio, r = s->compact_result;
	bool ret = false;

	if (!s->ac->order || TASK(s->ac, FATAL_SIGNAL))
		return false;
	if (s->costly)
		max /= 4;
	if (b->v6) {
		if (r == BT_COMPACT_SKIPPED) {
			ret =
			    bt_compaction_zonelist_suitable(b, s->ac, s->flags);
			goto out;
		}
		if (r == BT_COMPACT_SUCCESS && ++s->compaction_retries <= max) {
			ret = true;
			goto out;
		}
	} else {
		if (r == BT_COMPACT_SUCCESS)
			s->compaction_retries++;
		if (r != BT_COMPACT_COMPLETE) {
			if (r != BT_COMPACT_SUCCESS) /* withdrawn */
				return bt_compaction_zonelist_suitable(
				    b, s->ac, s->flags);
			if (s->compaction_retries <= max)
				return true;
		}
	}
	min_prio =
	    s->costly ? BT_COMPACT_PRIO_SYNC_LIGHT : BT_COMPACT_PRIO_SYNC_FULL;
	if (s->compact_prio > min_prio) {
		s->compact_prio--;
		if (b->v6)
			s->compaction_retries = 0;
		ret = true;
	}
out:
	emit_retry(b, BT_BEV_COMPACT_RETRY, -1, retries, prio, ret);
	return ret;
}

/* out_of_memory(): no kill without __GFP_FS; else replay's victim. */
static bool out_of_memory(struct bt_buddy *b, struct slow *s)
{
	struct bt_actx *ac = s->ac;
	struct bt_oom_request orq;

	if (!GFP(ac, FS)) {
		ac->res->oom = BT_OOM_NO_KILL_NOFS;
		return true;
	}
	ac->res->stages |= BT_STAGE_OOM_KILL;
	orq.nid = ac->nid;
	orq.highest_zoneidx = ac->hz;
	orq.order = ac->order;
	orq.gfp = ac->gfp;
	if (b->hooks.oom && b->hooks.oom(b, &orq, b->hooks.data)) {
		ac->res->oom = BT_OOM_KILLED;
		b->stats.oom_kill++;
		return true;
	}
	ac->res->oom = BT_OOM_NO_VICTIM;
	return false;
}

/* __alloc_pages_may_oom() [6.x; 4.12 has no RETRY_MAYFAIL exclusion] */
static long may_oom(struct bt_buddy *b, struct slow *s)
{
	struct bt_actx *ac = s->ac;
	uint64_t gfp = ac->gfp;
	enum bt_oom_verdict skip;
	long idx;

	s->progress = 0;
	ac->gfp = (gfp | BT_BUDDY_GFP_HARDWALL) & ~BT_BUDDY_GFP_DIRECT_RECLAIM;
	idx = attempt(b, s, BT_ALLOC_WMARK_HIGH | BT_ALLOC_CPUSET);
	ac->gfp = gfp;
	if (idx >= 0) {
		ac->res->oom = BT_OOM_LAST_CHANCE_OK;
		return idx;
	}
	skip = BT_OOM_NOT_REACHED;
	if (ac->order > BT_BUDDY_COSTLY_ORDER)
		skip = BT_OOM_SKIP_COSTLY;
	else if (b->v6 && GFP(ac, RETRY_MAYFAIL))
		skip = BT_OOM_SKIP_RETRY_MAYFAIL;
	else if (ac->hz < BT_ZONE_NORMAL)
		skip = BT_OOM_SKIP_LOWZONE;
	else if (GFP(ac, THISNODE))
		skip = BT_OOM_SKIP_THISNODE;
	if (skip != BT_OOM_NOT_REACHED) {
		ac->res->oom = skip;
		return -1;
	}
	if (out_of_memory(b, s) || GFP(ac, NOFAIL)) {
		if (ac->res->oom == BT_OOM_NO_VICTIM)
			ac->res->oom = BT_OOM_NOFAIL;
		s->progress = 1;
		if (GFP(ac, NOFAIL))
			return attempt(b, s, BT_ALLOC_NO_WATERMARKS);
	}
	return -1;
}

static void stage(struct slow *s, uint32_t bit)
{
	s->ac->res->stages |= bit;
}

static long fail(struct slow *s, enum bt_alloc_fail why)
{
	s->ac->res->fail = why;
	return -1;
}

/* Steps 1-4: flags, kswapd, min watermark, initial compaction. */
static long slow_start(struct bt_buddy *b, struct slow *s, bool *nopage)
{
	struct bt_actx *ac = s->ac;
	long idx;

	if ((b->v6 && (s->flags & BT_ALLOC_KSWAPD)) ||
	    (!b->v6 && GFP(ac, KSWAPD_RECLAIM))) {
		stage(s, BT_STAGE_KSWAPD_WAKE);
		bt_wake_all_kswapds(b, ac);
	}
	stage(s, BT_STAGE_MIN_WMARK);
	idx = attempt(b, s, s->flags);
	if (idx >= 0) {
		ac->res->got = BT_GOT_MIN_WMARK;
		return idx;
	}
	if (ac->dry || !s->can_reclaim || !s->can_compact ||
	    !(s->costly || (ac->order > 0 && ac->mt != BT_MT_MOVABLE)) ||
	    pfmemalloc_flags(b, ac))
		return -1;
	stage(s, BT_STAGE_INIT_COMPACT);
	s->compact_prio = BT_COMPACT_PRIO_ASYNC;
	idx = direct_compact(b, s);
	if (idx >= 0) {
		ac->res->got = BT_GOT_INIT_COMPACT;
		return idx;
	}
	if (s->costly && GFP(ac, NORETRY)) {
		if (s->compact_result == BT_COMPACT_DEFERRED ||
		    (b->v6 && s->compact_result == BT_COMPACT_SKIPPED)) {
			stage(s, BT_STAGE_INIT_COMPACT_EXIT);
			*nopage = true;
			return fail(s, BT_FAIL_INIT_COMPACT);
		}
		s->compact_prio = BT_COMPACT_PRIO_ASYNC;
	} else {
		s->compact_prio = BT_COMPACT_PRIO_SYNC_LIGHT;
	}
	return -1;
}

/* Steps 5-13 of one retry: reserves, attempt, reclaim, compaction. */
static long slow_attempts(struct bt_buddy *b, struct slow *s, bool *nopage)
{
	struct bt_actx *ac = s->ac;
	unsigned int reserve;
	long idx;

	if ((b->v6 && (s->flags & BT_ALLOC_KSWAPD)) ||
	    (!b->v6 && GFP(ac, KSWAPD_RECLAIM)))
		bt_wake_all_kswapds(b, ac);
	reserve = pfmemalloc_flags(b, ac);
	if (reserve) {
		stage(s, BT_STAGE_RESERVES);
		s->flags =
		    b->v6 ? reserve |
				(ac->mt == BT_MT_MOVABLE ? BT_ALLOC_CMA : 0) |
				(s->flags & BT_ALLOC_KSWAPD)
			  : BT_ALLOC_NO_WATERMARKS;
	}
	stage(s, BT_STAGE_RETRY_ATTEMPT);
	idx = attempt(b, s, s->flags);
	if (idx >= 0) {
		ac->res->got = BT_GOT_RETRY;
		return idx;
	}
	*nopage = true;
	if (!s->can_reclaim) {
		stage(s, BT_STAGE_NO_RECLAIM_EXIT);
		return fail(s, BT_FAIL_NO_RECLAIM);
	}
	if (TASK(ac, MEMALLOC)) {
		stage(s, BT_STAGE_MEMALLOC_EXIT);
		return fail(s, BT_FAIL_MEMALLOC);
	}
	*nopage = false;
	stage(s, BT_STAGE_DIRECT_RECLAIM);
	if (ac->order)
		stage(s, BT_STAGE_DIRECT_COMPACT);
	if (ac->dry) {
		*nopage = true;
		return fail(s, BT_FAIL_NO_PROGRESS);
	}
	idx = direct_reclaim(b, s);
	if (idx >= 0) {
		ac->res->got = BT_GOT_RECLAIM;
		return idx;
	}
	idx = direct_compact(b, s);
	if (idx >= 0)
		ac->res->got = BT_GOT_COMPACT;
	return idx;
}

/* Steps 14-22: exits, retry decisions, OOM. Returns 1 to retry. */
static int slow_decide(struct bt_buddy *b, struct slow *s, long *idx)
{
	struct bt_actx *ac = s->ac;

	*idx = -1;
	if (GFP(ac, NORETRY)) {
		stage(s, BT_STAGE_NORETRY_EXIT);
		return fail(s, BT_FAIL_NORETRY), 0;
	}
	if (s->costly &&
	    ((b->v6 && !s->can_compact) || !GFP(ac, RETRY_MAYFAIL))) {
		stage(s, BT_STAGE_COSTLY_EXIT);
		return fail(s, BT_FAIL_COSTLY), 0;
	}
	if (should_reclaim_retry(b, s)) {
		stage(s, BT_STAGE_RECLAIM_RETRY);
		return 1;
	}
	if (s->progress && (s->can_compact || !b->v6) &&
	    should_compact_retry(b, s)) {
		stage(s, BT_STAGE_COMPACT_RETRY);
		return 1;
	}
	if (b->cfg.defrag_mode && (s->flags & BT_ALLOC_NOFRAGMENT)) {
		s->flags &= ~BT_ALLOC_NOFRAGMENT;
		return 1;
	}
	stage(s, BT_STAGE_OOM);
	*idx = may_oom(b, s);
	if (*idx >= 0) {
		ac->res->got = ac->res->oom == BT_OOM_LAST_CHANCE_OK
				   ? BT_GOT_OOM_LAST_CHANCE
				   : BT_GOT_NOFAIL;
		return 0;
	}
	if (TASK(ac, OOM_VICTIM) &&
	    ((s->flags & (b->v6 ? BT_ALLOC_OOM : BT_ALLOC_NO_WATERMARKS)) ||
	     GFP(ac, NOMEMALLOC)))
		return fail(s, BT_FAIL_OOM_VICTIM), 0;
	if (s->progress) {
		s->no_progress_loops = 0;
		return 1;
	}
	return fail(s, BT_FAIL_NO_PROGRESS), 0;
}

/* nopage: NOFAIL keeps trying with ALLOC_MIN_RESERVE (4.12: HARDER). */
static int slow_nopage(struct bt_buddy *b, struct slow *s, long *idx)
{
	struct bt_actx *ac = s->ac;

	*idx = -1;
	if (!GFP(ac, NOFAIL) || ac->dry)
		return 0;
	if (!s->can_reclaim)
		return fail(s, BT_FAIL_NOFAIL_NO_RECLAIM), 0;
	stage(s, BT_STAGE_NOFAIL);
	*idx =
	    attempt(b, s, b->harder ? BT_ALLOC_HARDER : BT_ALLOC_MIN_RESERVE);
	if (*idx >= 0) {
		ac->res->got = BT_GOT_NOFAIL;
		return 0;
	}
	return 1;
}

long bt_alloc_slowpath(struct bt_buddy *b, struct bt_actx *ac, int *zone_out)
{
	struct slow s;
	bool nopage = false;
	long idx;
	int loops = 0;

	memset(&s, 0, sizeof(s));
	s.ac = ac;
	s.zid = -1;
	s.can_reclaim = GFP(ac, DIRECT_RECLAIM);
	s.can_compact = b->cfg.compaction && (!b->v6 || GFP(ac, IO));
	s.costly = ac->order > BT_BUDDY_COSTLY_ORDER;
	s.compact_result = BT_COMPACT_SKIPPED;
	s.compact_prio = BT_COMPACT_PRIO_SYNC_LIGHT;
	s.flags = slow_flags(b, ac);
	idx = slow_start(b, &s, &nopage);
	while (idx < 0) {
		int again = 0;

		if (++loops > BT_SLOW_LOOP_LIMIT) {
			fail(&s, BT_FAIL_LOOP_LIMIT);
			break;
		}
		if (!nopage) {
			idx = slow_attempts(b, &s, &nopage);
			if (idx >= 0 || ac->dry)
				break;
			if (!nopage) {
				again = slow_decide(b, &s, &idx);
				if (idx >= 0)
					break;
			}
		}
		if (!again) {
			again = slow_nopage(b, &s, &idx);
			nopage = false;
		}
		if (!again)
			break;
	}
	ac->res->no_progress_loops = s.no_progress_loops;
	ac->res->compact_retries = s.compaction_retries;
	if (idx < 0) {
		stage(&s, BT_STAGE_FAIL);
		return -1;
	}
	ac->res->fail = BT_FAIL_NONE;
	*zone_out = s.zid;
	return idx;
}
