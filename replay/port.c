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
	/* mirror: lowest and highest pfn of each run of the recently freed
	 * ring, tagged with the run's absolute number + 1 (isolate_recent) */
	struct bt_lifo_run {
		uint64_t lo, hi, tag;
	} runs[BT_LIFO_LEN / BT_LIFO_RUN];
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

uint64_t bt_port_isolate(struct bt_port *p, uint64_t start, uint64_t end,
			 uint64_t nr_taken)
{
	struct bt_replay_ctx *x = p->x;
	uint64_t pfn = start, taken = 0;
	unsigned int order;

	while (pfn < end && taken < nr_taken) {
		pfn = bt_buddy_next_free_head(p->b, pfn, end, &order);
		if (pfn >= end)
			break;
		if (pfn + (1ull << order) > x->end_pfn) {
			pfn++;
			continue;
		}
		bt_port_silent_take(p, pfn, order);
		memset(x->pg + (pfn - x->base_pfn), BT_PG_ISOLATED,
		       1ull << order);
		taken += 1ull << order;
		pfn += 1ull << order;
	}
	return taken;
}

/* A free block of exactly @size pages at @pfn, movable or unknown type. */
static bool fast_candidate(const struct bt_port *p, uint64_t pfn,
			   uint64_t size)
{
	const struct bt_replay_ctx *x = p->x;
	struct bt_block bl;
	uint64_t pb = (pfn >> x->pageblock_order) -
		      (x->base_pfn >> x->pageblock_order);
	const uint8_t *pg;

	if (pfn < x->base_pfn || pfn + size > x->end_pfn ||
	    (x->pbt[pb] && x->pbt[pb] != BT_MT_MOVABLE + 1))
		return false;
	pg = x->pg + (pfn - x->base_pfn);
	for (uint64_t k = 0; k < size; k++)
		if (!bt_pg_free(pg[k]))
			return false;
	return !bt_buddy_block_at(p->b, pfn, &bl) &&
	       bl.state == BT_BLOCK_FREE && bl.pfn == pfn &&
	       (1ull << bl.order) == size;
}

#define BT_FAST_SCAN_LIMIT 16	/* fast_isolate_freepages()' scan limit */

/*
 * The pfn bounds of run @n of the ring (entries n * BT_LIFO_RUN onwards,
 * all written), computed once per lap; false when part of the run has
 * been overwritten since.
 */
static bool lifo_run(struct bt_port *p, uint64_t n, uint64_t *lo,
		     uint64_t *hi)
{
	const struct bt_replay_ctx *x = p->x;
	struct bt_lifo_run *r = &p->runs[n % BT_ARRAY_SIZE(p->runs)];
	const uint64_t *e = x->lifo + (n * BT_LIFO_RUN) % BT_LIFO_LEN;

	if (x->lifo_n > BT_LIFO_LEN && n * BT_LIFO_RUN < x->lifo_n - BT_LIFO_LEN)
		return false;
	if (r->tag != n + 1) {
		r->lo = UINT64_MAX;
		r->hi = 0;
		for (unsigned int k = 0; k < BT_LIFO_RUN; k++) {
			r->lo = BT_MIN(r->lo, e[k]);
			r->hi = BT_MAX(r->hi, e[k]);
		}
		r->tag = n + 1;
	}
	*lo = r->lo;
	*hi = r->hi;
	return true;
}

/*
 * fast_isolate_freepages() scans the head of the MOVABLE free list of an
 * order (the most recently freed blocks), at most BT_FAST_SCAN_LIMIT of
 * them within [start, end), and takes the first at or above the middle
 * of the range (low_pfn), else the highest it saw. The mirror scans the
 * most recently freed pfns the same way, taking the aligned block of
 * @order around one that it still holds free. Whole runs of the ring
 * whose pfn bounds miss the range are skipped (masking keeps the order,
 * so the bounds of a run bound its masked pfns too).
 */
uint64_t bt_port_isolate_recent(struct bt_port *p, uint64_t start,
				uint64_t end, unsigned int order)
{
	struct bt_replay_ctx *x = p->x;
	uint64_t mid = start + (end - start) / 2, n = x->lifo_n;
	uint64_t size = 1ull << order, mask = ~(size - 1), best = 0;
	uint64_t s = n, stop = n - BT_MIN(n, BT_LIFO_LEN), lo, hi;
	unsigned int seen = 0;

	while (x->lifo && s > stop && seen < BT_FAST_SCAN_LIMIT) {
		uint64_t pfn;

		s--;
		if (s % BT_LIFO_RUN == BT_LIFO_RUN - 1 &&
		    lifo_run(p, s / BT_LIFO_RUN, &lo, &hi) &&
		    ((hi & mask) < start || (lo & mask) + size > end)) {
			s -= BT_LIFO_RUN - 1;	/* no entry of it in range */
			continue;
		}
		pfn = x->lifo[s % BT_LIFO_LEN] & mask;
		if (pfn < start || pfn + size > end ||
		    !fast_candidate(p, pfn, size))
			continue;
		seen++;
		if (pfn >= mid) {
			best = pfn;
			break;
		}
		best = BT_MAX(best, pfn);
	}
	if (!best)
		return 0;
	bt_port_silent_take(p, best, order);
	memset(x->pg + (best - x->base_pfn), BT_PG_ISOLATED, size);
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
	const uint8_t *pg = x->pg + (pfn - x->base_pfn);

	for (uint64_t i = 0; i < (1ull << order); i++)
		if (pg[i] != st)
			return false;
	return true;
}

/*
 * Free blocks of order >= @order whose head lies in a pageblock learned
 * as @mt, in zone @zone: walks only those pageblocks (x->pbt), page by
 * page where replay holds pages free. Returns 2 at the first block the
 * trace has touched, else 1 if blocks only the initial map shows free
 * were seen, else 0.
 */
/*
 * Can the pageblock starting at @pfn hold a free block of @order? Not when
 * the model's count of its free pages is below the smallest such block's
 * share of it: the scans below then skip it whole. Only sound when the
 * model's pageblocks are at least as large as the mirror's.
 */
static bool pageblock_may_hold(struct bt_port *p, uint64_t pfn,
			       unsigned int order)
{
	uint64_t pbo = p->x->pageblock_order;
	int nf;

	if (bt_buddy_get_config(p->b)->pageblock_order < pbo)
		return true;
	nf = bt_buddy_pageblock_nr_free(p->b, pfn);
	return nf < 0 || (uint64_t)nf >= 1ull << BT_MIN((uint64_t)order, pbo);
}

/*
 * Call @fn for each free block of order >= @order whose head lies in a
 * pageblock learned as @mt in @zone, in pfn order. Stops at the first
 * non-zero return of @fn and passes it back; 0 when the walk ends.
 */
static int walk_typed(struct bt_port *p, unsigned int zone,
		      unsigned int order, unsigned int mt,
		      int (*fn)(struct bt_replay_ctx *x, uint64_t pfn,
				unsigned int order, void *data),
		      void *data)
{
	struct bt_replay_ctx *x = p->x;
	uint64_t pbo = x->pageblock_order;
	uint64_t pb0 = x->base_pfn >> pbo;	/* pbt[0]: the pageblock of base */
	uint64_t first = (x->zone_lo[zone] >> pbo) - pb0;
	uint64_t last = ((x->zone_hi[zone] - 1) >> pbo) - pb0;
	struct bt_block bl;
	int ret;

	for (uint64_t pb = first; pb <= last; pb++) {
		uint64_t pfn = BT_MAX((pb0 + pb) << pbo, x->zone_lo[zone]);
		uint64_t end = BT_MIN((pb0 + pb + 1) << pbo, x->zone_hi[zone]);

		if (x->pbt[pb] != mt + 1 || !pageblock_may_hold(p, pfn, order))
			continue;
		while (pfn < end) {
			if (!bt_pg_free(x->pg[pfn - x->base_pfn])) {
				pfn = bt_pg_skip_not_free(x, pfn + 1, end);
				continue;
			}
			if (bt_buddy_block_at(p->b, pfn, &bl) ||
			    bl.state != BT_BLOCK_FREE) {
				pfn++;
				continue;
			}
			if (bl.pfn != pfn || bl.order < order ||
			    bl.pfn + (1ull << bl.order) > x->end_pfn) {
				pfn = BT_MAX(pfn + 1,
					     bl.pfn + (1ull << bl.order));
				continue;
			}
			ret = fn(x, pfn, bl.order, data);
			if (ret)
				return ret;
			pfn += 1ull << bl.order;
		}
	}
	return 0;
}

/* scan_typed(): 2 as soon as a block is not free since the map, else 1. */
static int typed_seen(struct bt_replay_ctx *x, uint64_t pfn,
		      unsigned int order, void *data)
{
	if (!all_state(x, pfn, order, BT_PG_FREE_INIT))
		return 2;
	*(int *)data = 1;
	return 0;
}

static int scan_typed(struct bt_port *p, unsigned int zone,
		      unsigned int order, unsigned int mt)
{
	int seen = 0;
	int ret = walk_typed(p, zone, order, mt, typed_seen, &seen);

	return ret ? ret : seen;
}

struct block_list {
	uint64_t *pfn;
	uint8_t *orders;
	unsigned int n, max;
};

static int typed_collect(struct bt_replay_ctx *x, uint64_t pfn,
			 unsigned int order, void *data)
{
	struct block_list *l = data;

	(void)x;
	if (l->n == l->max)
		return 1;
	l->pfn[l->n] = pfn;
	l->orders[l->n++] = (uint8_t)order;
	return 0;
}

/*
 * The free blocks of order >= @order in pageblocks learned as @mt in
 * @zone (as scan_typed() finds them): up to @max into @pfn and @orders;
 * returns how many there are, or @max + 1 when there are more.
 */
unsigned int bt_port_fallback_blocks(struct bt_port *p, unsigned int zone,
				     unsigned int order, unsigned int mt,
				     uint64_t *pfn_out, uint8_t *orders,
				     unsigned int max)
{
	struct block_list l = { pfn_out, orders, 0, max };

	if (zone >= p->x->nr_zones || mt >= BT_REPLAY_NR_MT)
		return max + 1;
	return walk_typed(p, zone, order, mt, typed_collect, &l) ? max + 1
								  : l.n;
}

int bt_port_fallback_check(struct bt_port *p, unsigned int zone,
			   unsigned int order, unsigned int mt)
{
	if (zone >= p->x->nr_zones || mt >= BT_REPLAY_NR_MT)
		return 2;
	return scan_typed(p, zone, order, mt);
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
	struct bt_zone_info zi;

	if (zone >= p->x->nr_zones || !factor ||
	    bt_buddy_zone_info(p->b, p->zid[zone], &zi) ||
	    zi.managed / 4 < pb)
		return;
	max_boost = BT_MAX(pb, zi.wmark_high * factor / 10000);
	bt_buddy_zone_set_boost(p->b, p->zid[zone],
				BT_MIN(zi.wmark_boost + pb, max_boost));
}

/*
 * Every balance_pgdat() run starts with mm_vmscan_kswapd_wake and ends
 * before the next wake or kswapd_sleep; at its end the kernel lowers each
 * zone's boost by what it was at the start.
 */
void bt_port_boost_kswapd(struct bt_port *p, bool wake)
{
	struct bt_zone_info zi;

	for (unsigned int z = 0; z < p->x->nr_zones; z++) {
		if (bt_buddy_zone_info(p->b, p->zid[z], &zi))
			continue;
		if (p->kbalancing)
			bt_buddy_zone_set_boost(p->b, p->zid[z],
				zi.wmark_boost -
				BT_MIN(p->kboost[z], zi.wmark_boost));
		if (wake && !bt_buddy_zone_info(p->b, p->zid[z], &zi))
			p->kboost[z] = zi.wmark_boost;
	}
	p->kbalancing = wake;
}

int bt_port_check(struct bt_port *p, char *err, size_t len)
{
	return bt_buddy_check(p->b, err, len);
}
