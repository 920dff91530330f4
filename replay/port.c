// SPDX-License-Identifier: GPL-2.0-only
/*
 * port.c - the allocator model (allocator/buddy.h) as replay uses it: one
 * place that translates trace events into model requests and model
 * results into replay's verdicts, stages and fallback classes, so the
 * rest of replay/ never depends on the model's spelling.
 *
 * Hooks (model mode): reclaim releases only blocks the trace shows a
 * reclaimer freeing, possibly earlier than it did (reclaim.c), the OOM hook finds
 * no victim (the trace's victims free their pages through recorded
 * frees), and compaction's moves of allocated blocks update replay's pfn
 * maps through the move hook.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay-internal.h"
#include "allocator/buddy.h"

/*
 * the longest free-list walk of compaction's fast search when no reading
 * of the kernel's walk fits: 65,536 took a heavy THP recording from 2.23%
 * to 1.90% buddyinfo error but made the mirror 60% slower on thp
 */
#define BT_FAST_WALK_MAX 1024u

struct bt_port {
	struct bt_buddy *b;
	struct bt_replay_ctx *x;
	int zid[BT_REPLAY_MAX_ZONES];	/* summary zone -> model zone id */
	unsigned int nr_cpus;
	unsigned int pageblock_order;
	uint64_t next_decay, next_proactive;
	/* mirror: each zone's boost when kswapd's balance_pgdat() began */
	uint64_t kboost[BT_REPLAY_MAX_ZONES];
	bool kbalancing;
	/*
	 * mirror: per zone and order, the highest block a fast_pick() walk
	 * of the MOVABLE list visited when it found nothing, and the list's
	 * change count then (gen + 1; 0: none kept)
	 */
	struct {
		uint32_t gen1;
		uint64_t high;
	} fast_memo[BT_REPLAY_MAX_ZONES][BT_BUDDY_NR_ORDERS];
};

static uint64_t hook_reclaim(struct bt_buddy *b,
			     const struct bt_reclaim_request *rq, void *data)
{
	struct bt_port *p = data;

	return bt_reclaim_run(p->x, b, rq->nr_to_reclaim);
}

static bool hook_oom(struct bt_buddy *b, const struct bt_oom_request *rq,
		     void *data)
{
	(void)b;
	(void)rq;
	(void)data;
	return false;
}

static void hook_move(struct bt_buddy *b, uint64_t old_pfn, uint64_t new_pfn,
		      unsigned int order, void *data)
{
	struct bt_port *p = data;

	(void)b;
	bt_model_move(p->x, old_pfn, new_pfn, order);
}

int bt_port_new(struct bt_replay_ctx *x, struct bt_port **out)
{
	struct bt_port *p = calloc(1, sizeof(*p));
	struct bt_buddy_hooks h = { 0 };
	int err;

	*out = p;
	if (!p)
		return -ENOMEM;
	p->x = x;
	err = bt_replay_setup(x, &p->b);
	if (err)
		return err;
	for (unsigned int z = 0; z < x->nr_zones; z++)
		p->zid[z] = bt_buddy_zone_of_pfn(p->b, x->zone_lo[z]);
	p->nr_cpus = bt_buddy_get_config(p->b)->nr_cpus;
	p->pageblock_order = bt_buddy_get_config(p->b)->pageblock_order;
	if (x->o->mode == BT_REPLAY_MODEL) {
		h.reclaim = hook_reclaim;
		h.oom = hook_oom;
		h.move = hook_move;
		h.data = p;
		bt_buddy_set_hooks(p->b, &h);
	}
	return 0;
}

void bt_port_free(struct bt_port *p)
{
	if (!p)
		return;
	bt_buddy_free_model(p->b);
	free(p);
}

static int cpu_of(const struct bt_port *p, unsigned int cpu)
{
	return (int)(cpu % p->nr_cpus);
}

static unsigned int task_flags(struct bt_replay_ctx *x,
			       const struct bt_event *ev)
{
	unsigned int f = 0;

	if ((ev->comm && ev->comm[0] == 'k' &&
	     (!strncmp(ev->comm, "kswapd", 6) ||
	      !strncmp(ev->comm, "kcompactd", 9))) ||
	    bt_evidence_in_reclaim(&x->evid, ev->pid))
		f |= BT_TASK_MEMALLOC;
	for (unsigned int i = 0; i < x->nr_victims; i++)
		if (x->victims[i] == ev->pid)
			f |= BT_TASK_OOM_VICTIM;
	return f;
}

static uint32_t map_stages(const struct bt_alloc_result *res)
{
	static const struct { uint32_t from; unsigned int to; } tab[] = {
		{ BT_STAGE_KSWAPD_WAKE, BT_REPLAY_STAGE_KSWAPD_WAKE },
		{ BT_STAGE_MIN_WMARK, BT_REPLAY_STAGE_MIN_WMARK },
		{ BT_STAGE_INIT_COMPACT, BT_REPLAY_STAGE_COSTLY_COMPACT },
		{ BT_STAGE_DIRECT_RECLAIM, BT_REPLAY_STAGE_DIRECT_RECLAIM },
		{ BT_STAGE_DIRECT_COMPACT, BT_REPLAY_STAGE_DIRECT_COMPACT },
		{ BT_STAGE_RECLAIM_RETRY, BT_REPLAY_STAGE_RETRY },
		{ BT_STAGE_COMPACT_RETRY, BT_REPLAY_STAGE_RETRY },
		{ BT_STAGE_OOM, BT_REPLAY_STAGE_OOM },
		{ BT_STAGE_NOFAIL, BT_REPLAY_STAGE_NOFAIL },
	};
	uint32_t out = 0;

	for (size_t i = 0; i < BT_ARRAY_SIZE(tab); i++)
		if (res->stages & tab[i].from)
			out |= 1u << tab[i].to;
	if (res->path == BT_PATH_FAILED)
		out |= 1u << BT_REPLAY_STAGE_FAILURE;
	return out;
}

static uint32_t fallback_flags(const struct bt_port *p,
			       const struct bt_alloc_result *res)
{
	struct bt_replay_fallbacks scratch = { 0 };
	uint32_t fl = 0;

	if (!res->nr_fallbacks)
		return 0;
	bt_replay_count_fallback(&scratch, res->fallback.fallback_order,
				 res->fallback.change_ownership,
				 p->pageblock_order, &fl);
	return fl;
}

void bt_port_alloc(struct bt_port *p, struct bt_replay_ctx *x,
		   const struct bt_event *ev, bool mirror,
		   struct bt_port_verdict *v)
{
	struct bt_alloc_request rq;
	struct bt_alloc_result res;

	bt_alloc_request_init(&rq, (unsigned int)ev->arg[1], ev->arg[2]);
	rq.cpu = cpu_of(p, ev->cpu);
	rq.task_flags = task_flags(x, ev);
	if (mirror) {
		if (ev->arg[0] == BT_PFN_NONE)
			rq.forced_failure = true;
		else
			rq.forced_pfn = ev->arg[0];
	}
	memset(v, 0, sizeof(*v));
	memset(&res, 0, sizeof(res));
	if (bt_buddy_alloc(p->b, &rq, &res)) {
		/* a request the model rejects (bad pfn): judged failing */
		v->verdict = BT_VERDICT_FAILED;
		v->stages = 1u << BT_REPLAY_STAGE_FAILURE;
		v->pfn = BT_PFN_NONE;
		v->forced_found = -1;
		return;
	}
	v->verdict = res.path == BT_PATH_FAST ? BT_VERDICT_FAST :
		     res.path == BT_PATH_SLOW ? BT_VERDICT_SLOW :
		     BT_VERDICT_FAILED;
	v->stages = map_stages(&res);
	v->fallback = fallback_flags(p, &res);
	v->oom_kill = (res.stages & BT_STAGE_OOM_KILL) != 0;
	v->forced_found = res.forced_found;
	v->predicted_failure = res.path == BT_PATH_FAILED &&
			       res.fail != BT_FAIL_RECORDED;
	if (mirror && res.path == BT_PATH_FAILED && !v->predicted_failure)
		v->verdict = BT_VERDICT_SLOW;
	v->pfn = res.pfn == BT_BUDDY_PFN_NONE ? BT_PFN_NONE : res.pfn;
}

void bt_port_evaluate(struct bt_port *p, struct bt_replay_ctx *x,
		      const struct bt_event *ev, unsigned int order,
		      uint64_t gfp, struct bt_port_verdict *v)
{
	struct bt_alloc_request rq;
	struct bt_alloc_result res;

	bt_alloc_request_init(&rq, order, gfp);
	rq.cpu = cpu_of(p, ev->cpu);
	rq.task_flags = task_flags(x, ev);
	rq.evaluate_only = true;
	memset(v, 0, sizeof(*v));
	memset(&res, 0, sizeof(res));
	if (bt_buddy_alloc(p->b, &rq, &res)) {
		v->verdict = BT_VERDICT_FAST;	/* nothing to judge */
		return;
	}
	v->verdict = res.path == BT_PATH_FAST ? BT_VERDICT_FAST :
		     BT_VERDICT_SLOW;
	v->stages = map_stages(&res) &
		    ~(1u << BT_REPLAY_STAGE_FAILURE);
}

int bt_port_put(struct bt_port *p, uint64_t pfn, unsigned int order,
		unsigned int cpu, bool mirror)
{
	/* the mirror keeps per-CPU lists itself: its frees reach the buddy */
	return bt_buddy_free(p->b, pfn, order, cpu_of(p, cpu),
			     mirror ? BT_FREE_NO_PCP : 0);
}

void bt_port_silent_take(struct bt_port *p, uint64_t pfn, unsigned int order)
{
	int mt = bt_buddy_pageblock_mt(p->b, pfn);

	bt_buddy_mark_allocated(p->b, pfn, order, mt >= 0 ? mt : BT_MT_MOVABLE);
}

/*
 * Compaction's free scanner took the free block at @pfn: out of the
 * model, ISOLATED in the mirror, and a silent take for the fallbacks
 * pending in retro.c.
 */
static void iso_take(struct bt_port *p, uint64_t pfn, unsigned int order)
{
	struct bt_replay_ctx *x = p->x;

	bt_retro_event(x, pfn, order, true);
	bt_port_silent_take(p, pfn, order);
	bt_pg_put(x, pfn - x->base_pfn, BT_PG_ISOLATED, 1ull << order);
}

/*
 * The order of the block a scan landing on @pfn sees: a free block's
 * (return 1) or an allocated compound-looking block's (order > 0, return
 * 2) when @pfn is its head, else 0.
 */
static int scan_sees(struct bt_port *p, uint64_t pfn, unsigned int *order)
{
	const struct bt_replay_ctx *x = p->x;
	uint8_t st = bt_pg_at(x, pfn - x->base_pfn);
	struct bt_block bl;

	if (!bt_pg_free(st) && st != BT_PG_ALLOC && st != BT_PG_INIT)
		return 0;
	if (bt_buddy_block_at(p->b, pfn, &bl) || bl.pfn != pfn ||
	    pfn + (1ull << bl.order) > x->end_pfn)
		return 0;
	*order = bl.order;
	if (bl.state == BT_BLOCK_FREE)
		return bt_pg_free(st);
	return bl.state == BT_BLOCK_ALLOCATED && bl.order ? 2 : 0;
}

/*
 * isolate_freepages_block() with @stride over [start, end) on the
 * mirror's state, up to @nr_taken pages: the pages it would take and the
 * pfns it would look at (nr_scanned: each pfn landed on, plus the rest of
 * each block taken or compound page stepped over). With @take the blocks
 * are taken.
 */
static uint64_t scan_block(struct bt_port *p, uint64_t start, uint64_t end,
			   uint64_t nr_taken, uint64_t stride, bool take,
			   uint64_t *scanned)
{
	uint64_t pfn = start, taken = 0;
	unsigned int order;
	int seen;

	*scanned = 0;
	while (pfn < end && taken < nr_taken) {
		(*scanned)++;
		seen = scan_sees(p, pfn, &order);
		if (!seen) {
			pfn += stride;
			continue;
		}
		*scanned += (1ull << order) - 1;
		if (seen == 1) {
			if (take)
				iso_take(p, pfn, order);
			taken += 1ull << order;
		}
		pfn += (1ull << order) - 1 + stride;
	}
	return taken;
}

/*
 * Async compaction scans with a stride (COMPACT_CLUSTER_MAX, 1 after a
 * success, doubled per pageblock without one up to COMPACT_CLUSTER_MAX),
 * so it takes only the free blocks whose heads it lands on. When the
 * event's nr_scanned is below its range, the first stride among 2..32
 * whose scan of the mirror's state gives the event's nr_taken and
 * nr_scanned exactly; else (sync, after a success, or when the mirror's
 * state gives no exact match) 1: every free block, lowest first.
 */
static uint64_t scan_stride(struct bt_port *p, uint64_t start, uint64_t end,
			    uint64_t nr_scanned, uint64_t nr_taken)
{
	uint64_t sc, got;

	if (nr_scanned >= end - start)
		return 1;
	for (uint64_t s = 2; s <= 32; s <<= 1) {
		got = scan_block(p, start, end, nr_taken, s, false, &sc);
		if (got == nr_taken && sc == nr_scanned)
			return s;
	}
	return 1;
}

uint64_t bt_port_isolate(struct bt_port *p, uint64_t start, uint64_t end,
			 uint64_t nr_scanned, uint64_t nr_taken, bool complete)
{
	uint64_t sc, stride = scan_stride(p, start, end, nr_scanned, nr_taken);
	uint64_t pfn = start, taken = 0;
	unsigned int order;

	/* the kernel took every free block it saw: so does the mirror */
	if (complete)
		nr_taken = UINT64_MAX;
	else if (stride > 1)
		return scan_block(p, start, end, nr_taken, stride, true, &sc);
	/* stride 1 lands on every head: step from free head to free head */
	while (pfn < end && taken < nr_taken) {
		pfn = bt_buddy_next_free_head(p->b, pfn, end, &order);
		if (pfn >= end)
			break;
		if (pfn + (1ull << order) > p->x->end_pfn ||
		    !bt_pg_free(bt_pg_at(p->x, pfn - p->x->base_pfn))) {
			pfn++;
			continue;
		}
		iso_take(p, pfn, order);
		taken += 1ull << order;
		pfn += 1ull << order;
	}
	return taken;
}

struct bt_buddy *bt_port_buddy(struct bt_port *p)
{
	return p->b;
}

int bt_port_zid(const struct bt_port *p, unsigned int zone)
{
	return zone < p->x->nr_zones ? p->zid[zone] : -1;
}

void bt_port_iso_take(struct bt_port *p, uint64_t pfn, unsigned int order)
{
	iso_take(p, pfn, order);
}

/* The model's free block at @pfn is also free in the mirror's pages. */
static bool fast_candidate(const struct bt_port *p, uint64_t pfn,
			   uint64_t size)
{
	const struct bt_replay_ctx *x = p->x;

	if (pfn < x->base_pfn || pfn + size > x->end_pfn)
		return false;
	for (uint64_t k = 0; k < size; k++)
		if (!bt_pg_free(bt_pg_at(x, pfn - x->base_pfn + k)))
			return false;
	return true;
}

bool bt_port_fast_candidate(const struct bt_port *p, uint64_t pfn,
			    unsigned int order)
{
	return fast_candidate(p, pfn, 1ull << order);
}

struct fast_walk {
	struct bt_port *p;
	uint64_t size, min, low, walk;
	uint64_t high, pick;
	uint64_t top;		/* the highest pfn visited */
};

/*
 * One block of the walk: within the first @walk (the kernel's scan), the
 * first candidate at or above @low, else at the end of them the highest
 * at or above @min; past them, the first candidate at or above @min.
 */
static bool fast_step(void *data, uint64_t pfn, unsigned int i)
{
	struct fast_walk *w = data;

	w->top = BT_MAX(w->top, pfn);
	if (i == w->walk && w->high) {
		w->pick = w->high;
		return true;
	}
	/* the pfn tests first: the page-state test reads far more memory */
	if (pfn < w->min || (i < w->walk && pfn < w->low && pfn <= w->high) ||
	    !fast_candidate(w->p, pfn, w->size))
		return false;
	if (i < w->walk && pfn < w->low) {
		w->high = pfn;
		return false;
	}
	w->pick = pfn;
	return true;
}

/*
 * The block the kernel's rule picks from the first @walk blocks of the
 * MOVABLE list of @order (tail first): the first at or above @low, else
 * the highest at or above @min; when none qualifies, the first at or
 * above @min further along, up to BT_FAST_WALK_MAX blocks in all. One
 * walk of the list, 0 when nothing qualifies.
 */
static uint64_t fast_pick(struct bt_port *p, int zid, unsigned int order,
			  uint64_t min, uint64_t low, uint64_t walk)
{
	struct fast_walk w = { p, 1ull << order, min, low, walk, 0, 0, 0 };
	uint32_t gen = bt_buddy_free_list_gen(p->b, zid, order, BT_MT_MOVABLE);
	bool memo = zid >= 0 && zid < BT_REPLAY_MAX_ZONES;

	/*
	 * A walk that found nothing visited the same blocks as this one
	 * would if the list has not changed since: when they all lie below
	 * min_pfn, nothing qualifies now either. Half the thp trace's walks
	 * went through 1,024 blocks below min_pfn, a third of the mirror's
	 * time.
	 */
	if (memo && p->fast_memo[zid][order].gen1 == gen + 1 &&
	    p->fast_memo[zid][order].high < min)
		return 0;
	if (bt_buddy_free_list_walk(p->b, zid, order, BT_MT_MOVABLE,
				    BT_FAST_WALK_MAX, fast_step, &w) < 0)
		return 0;
	if (memo && !w.pick && !w.high) {
		p->fast_memo[zid][order].gen1 = gen + 1;
		p->fast_memo[zid][order].high = w.top;
	}
	return w.pick ? w.pick : w.high;
}

/*
 * fast_isolate_freepages() of mm/compaction.c, replayed on the model's
 * MOVABLE list of the order taken (ALLOCATOR-SPEC 5.3): walk it from the
 * tail, as many blocks as the event says were scanned (nr_scanned less
 * the nr_taken - 1 it adds for the block taken), take the first block at
 * or above low_pfn, else the highest one seen at or above min_pfn, and
 * move the blocks in front of it to the tail (move_freelist_head()).
 * The event gives min_pfn and free_pfn; low_pfn lies a quarter of the
 * scan distance below free_pfn where min_pfn lies half of it below, so
 * it is taken halfway between them, on a pageblock start. When that walk
 * finds nothing, the model's list has parted from the kernel's: the
 * block nearest the tail at or above min_pfn among the first
 * BT_FAST_WALK_MAX (measured on the corpus: fewer free_of_free than the
 * kernel's rule over the longer walk).
 */
uint64_t bt_port_isolate_fast(struct bt_port *p, uint64_t min_pfn,
			      uint64_t free_pfn, uint64_t nr_scanned,
			      unsigned int order)
{
	struct bt_replay_ctx *x = p->x;
	uint64_t size = 1ull << order, pick, low;
	uint64_t walk = nr_scanned >= size ? nr_scanned - (size - 1) : 1;
	int z = bt_ctx_zone(x, min_pfn);

	if (z < 0 || free_pfn < min_pfn)
		return 0;
	low = free_pfn - (free_pfn - min_pfn) / 2;
	low &= ~((1ull << x->pageblock_order) - 1);
	low = BT_MAX(low, min_pfn);
	/*
	 * Past the kernel's walk the lists have parted from the kernel's:
	 * fast_pick() looks further along ours for the block nearest the
	 * tail at or above min_pfn.
	 */
	pick = fast_pick(p, p->zid[z], order, min_pfn, low, walk);
	if (!pick)
		return 0;
	bt_buddy_free_list_rotate(p->b, pick);
	iso_take(p, pick, order);
	return size;
}

void bt_port_free_counts(struct bt_port *p, unsigned int zone,
			 uint64_t nr_free[BT_REPLAY_NR_ORDERS])
{
	uint64_t nr[BT_BUDDY_NR_ORDERS];

	memset(nr_free, 0, sizeof(uint64_t) * BT_REPLAY_NR_ORDERS);
	if (zone >= p->x->nr_zones ||
	    bt_buddy_zone_nr_free(p->b, p->zid[zone], nr))
		return;
	for (unsigned int o = 0;
	     o < BT_REPLAY_NR_ORDERS && o < BT_BUDDY_NR_ORDERS; o++)
		nr_free[o] = nr[o];
}

static bool all_state(const struct bt_replay_ctx *x, uint64_t pfn,
		      unsigned int order, uint8_t st)
{
	return bt_pg_all(x, pfn - x->base_pfn, 1ull << order, st);
}

/*
 * The model's count of free pages in the pageblock holding @pfn, as a
 * budget for the walk of [@pfn, the pageblock's end): -1 when it cannot
 * hold a free block of @order (below the smallest such block's share of
 * it: the scans below skip it whole), INT64_MAX when unknown. Only
 * sound when the model's pageblocks are at least as large as the
 * mirror's, hence unknown otherwise.
 */
static int64_t pageblock_budget(struct bt_port *p, uint64_t pfn,
				unsigned int order)
{
	uint64_t pbo = p->x->pageblock_order;
	int nf;

	if (p->pageblock_order < pbo)	/* the model's, fixed at bt_port_new */
		return INT64_MAX;
	nf = bt_buddy_pageblock_nr_free(p->b, pfn);
	if (nf < 0)
		return INT64_MAX;
	return (uint64_t)nf >= 1ull << BT_MIN((uint64_t)order, pbo) ? nf : -1;
}

typedef int (*walk_fn)(struct bt_replay_ctx *x, uint64_t pfn,
		       unsigned int order, void *data);

/*
 * walk_typed() in one pageblock, [@pfn, @end): page by page where replay
 * holds pages free. Every model free block met counts its pages here
 * against @left; when none are left, no free block remains to be found.
 */
static int walk_pageblock(struct bt_port *p, uint64_t pfn, uint64_t end,
			  int64_t left, unsigned int order, walk_fn fn,
			  void *data)
{
	struct bt_replay_ctx *x = p->x;
	uint64_t start = pfn;
	struct bt_block bl;
	int ret;

	while (pfn < end && left > 0) {
		if (!bt_pg_free(bt_pg_at(x, pfn - x->base_pfn))) {
			pfn = bt_pg_skip_not_free(x, pfn + 1, end);
			continue;
		}
		if (bt_buddy_block_at(p->b, pfn, &bl) ||
		    bl.state != BT_BLOCK_FREE) {
			pfn++;
			continue;
		}
		left -= (int64_t)(BT_MIN(bl.pfn + (1ull << bl.order), end) -
				  BT_MAX(bl.pfn, start));
		if (bl.pfn != pfn || bl.order < order ||
		    bl.pfn + (1ull << bl.order) > x->end_pfn) {
			pfn = BT_MAX(pfn + 1, bl.pfn + (1ull << bl.order));
			continue;
		}
		ret = fn(x, pfn, bl.order, data);
		if (ret)
			return ret;
		pfn += 1ull << bl.order;
	}
	return 0;
}

/*
 * Call @fn for each free block of order >= @order whose head lies in a
 * pageblock learned as @mt in @zone, in pfn order. Stops at the first
 * non-zero return of @fn and passes it back; 0 when the walk ends.
 */
static int walk_typed(struct bt_port *p, unsigned int zone,
		      unsigned int order, unsigned int mt, walk_fn fn,
		      void *data)
{
	struct bt_replay_ctx *x = p->x;
	uint64_t pbo = x->pageblock_order;
	uint64_t pb0 = x->base_pfn >> pbo;	/* pbt[0]: the pageblock of base */
	uint64_t first = (x->zone_lo[zone] >> pbo) - pb0;
	uint64_t last = ((x->zone_hi[zone] - 1) >> pbo) - pb0;
	int ret;

	for (uint64_t pb = first; pb <= last; pb++) {
		/* the next pageblock learned as @mt (memchr: many at once) */
		const uint8_t *q = memchr(x->pbt + pb, (int)(mt + 1),
					  last - pb + 1);
		uint64_t pfn, end;
		int64_t left;

		if (!q)
			break;
		pb = (uint64_t)(q - x->pbt);
		pfn = BT_MAX((pb0 + pb) << pbo, x->zone_lo[zone]);
		end = BT_MIN((pb0 + pb + 1) << pbo, x->zone_hi[zone]);
		left = pageblock_budget(p, pfn, order);
		if (left < 0)
			continue;
		ret = walk_pageblock(p, pfn, end, left, order, fn, data);
		if (ret)
			return ret;
	}
	return 0;
}

struct typed_scan {
	uint64_t *pfn;
	uint8_t *orders;
	unsigned int n, max;
	bool over;			/* more than max blocks */
	int held;			/* 0, 1 or 2: bt_port_fallback_scan() */
};

/*
 * One free block of the walk: 2 as soon as a block is not free since the
 * map, else 1; the blocks listed up to max. Stops when both are settled.
 */
static int typed_scan_one(struct bt_replay_ctx *x, uint64_t pfn,
			  unsigned int order, void *data)
{
	struct typed_scan *s = data;

	if (s->held < 2)
		s->held = all_state(x, pfn, order, BT_PG_FREE_INIT) ? 1 : 2;
	if (s->over || s->n == s->max) {
		s->over = true;
	} else {
		s->pfn[s->n] = pfn;
		s->orders[s->n++] = (uint8_t)order;
	}
	return s->held == 2 && s->over;
}

int bt_port_fallback_scan(struct bt_port *p, unsigned int zone,
			  unsigned int order, unsigned int mt,
			  uint64_t *pfn_out, uint8_t *orders, unsigned int max,
			  unsigned int *n)
{
	struct typed_scan s = { pfn_out, orders, 0, max, false, 0 };

	if (zone >= p->x->nr_zones || mt >= BT_REPLAY_NR_MT) {
		*n = max + 1;
		return 2;
	}
	walk_typed(p, zone, order, mt, typed_scan_one, &s);
	*n = s.over ? max + 1 : s.n;
	return s.held;
}

void bt_port_set_block_mt(struct bt_port *p, uint64_t pfn, unsigned int mt)
{
	if (bt_buddy_pageblock_mt(p->b, pfn) != (int)mt)
		bt_buddy_set_pageblock_mt(p->b, pfn, (int)mt);
}

void bt_port_tick(struct bt_port *p, uint64_t ts)
{
	/* the vmstat worker's pcp decay, once a second of trace time */
	if (ts >= p->next_decay) {
		if (p->next_decay)
			bt_buddy_pcp_decay(p->b);
		p->next_decay = ts + 1000000000ull;
	}
	/* kcompactd's proactive check, every 500 ms */
	if (ts >= p->next_proactive) {
		if (p->next_proactive)
			bt_buddy_proactive_compact(p->b, 0);
		p->next_proactive = ts + 500000000ull;
	}
}

void bt_port_kswapd(struct bt_port *p, bool awake)
{
	bt_buddy_kswapd_set_state(p->b, 0, awake);
}

void bt_port_set_boost(struct bt_port *p, unsigned int zone, uint64_t boost)
{
	if (zone < p->x->nr_zones)
		bt_buddy_zone_set_boost(p->b, p->zid[zone], boost);
}

/* boost_watermark() of mm/page_alloc.c (ALLOCATOR-SPEC 3). */
void bt_port_boost(struct bt_port *p, unsigned int zone)
{
	unsigned int factor = bt_buddy_get_config(p->b)->watermark_boost_factor;
	uint64_t pb = 1ull << p->pageblock_order, max_boost;
	uint64_t wm[4], managed;

	if (zone >= p->x->nr_zones || !factor ||
	    bt_buddy_zone_wmarks(p->b, p->zid[zone], wm, &managed) ||
	    managed / 4 < pb)
		return;
	max_boost = BT_MAX(pb, wm[2] * factor / 10000);
	bt_buddy_zone_set_boost(p->b, p->zid[zone],
				BT_MIN(wm[3] + pb, max_boost));
}

/*
 * Every balance_pgdat() run starts with mm_vmscan_kswapd_wake and ends
 * before the next wake or kswapd_sleep; at its end the kernel lowers each
 * zone's boost by what it was at the start.
 */
void bt_port_boost_kswapd(struct bt_port *p, bool wake)
{
	uint64_t wm[4], managed;

	for (unsigned int z = 0; z < p->x->nr_zones; z++) {
		if (bt_buddy_zone_wmarks(p->b, p->zid[z], wm, &managed))
			continue;
		if (p->kbalancing)
			bt_buddy_zone_set_boost(p->b, p->zid[z],
				wm[3] - BT_MIN(p->kboost[z], wm[3]));
		if (wake && !bt_buddy_zone_wmarks(p->b, p->zid[z], wm,
						  &managed))
			p->kboost[z] = wm[3];
	}
	p->kbalancing = wake;
}

int bt_port_check(struct bt_port *p, char *err, size_t len)
{
	return bt_buddy_check(p->b, err, len);
}
