// SPDX-License-Identifier: GPL-2.0-only
/*
 * mirror.c - mirror mode: apply the recorded placements to the model and
 * judge each allocation on the mirrored state.
 *
 * The recorded state of every page (replay-internal.h: INIT, FREE, ALLOC,
 * PCP) decides what an event means; the model's free lists follow it:
 * blocks in state FREE are exactly the model's free blocks. Per-CPU lists
 * are kept out of the buddy, as the kernel keeps them out of buddyinfo
 * (the rules are in replay.h's header comment).
 */
#include <string.h>

#include "replay-internal.h"

/* The state of page @pfn. */
static uint8_t pg(const struct bt_replay_ctx *x, uint64_t pfn)
{
	return bt_pg_at(x, pfn - x->base_pfn);
}

/* True when all 2^order pages from pfn are in state @st. */
static bool all_in(struct bt_replay_ctx *x, uint64_t pfn, unsigned int order,
		   uint8_t st)
{
	return bt_pg_all(x, pfn - x->base_pfn, 1ull << order, st);
}

/*
 * What the trace revealed of a pageblock's type (every pageblock of a
 * block): kept in x->pbt and given to the model, whose free blocks move
 * to that type's lists (only on a change: the model's call is not free).
 */
static void learn_mt(struct bt_replay_ctx *x, uint64_t pfn, unsigned int order,
		     unsigned int mt)
{
	uint64_t lo = BT_MAX(pfn, x->base_pfn);
	uint64_t hi = BT_MIN(pfn + (1ull << BT_MIN(order, 10u)), x->end_pfn);
	uint64_t pb0 = x->base_pfn >> x->pageblock_order;
	uint64_t first, last;

	if (mt >= BT_REPLAY_NR_MT || lo >= hi)
		return;
	/* pageblocks are aligned to absolute pfns, not to base_pfn */
	first = (lo >> x->pageblock_order) - pb0;
	last = ((hi - 1) >> x->pageblock_order) - pb0;
	for (uint64_t b = first; b <= last; b++) {
		if (x->pbt[b] == mt + 1)
			continue;
		x->pbt[b] = (uint8_t)(mt + 1);
		x->pbt_gen++;
		bt_port_set_block_mt(x->port, BT_MAX(x->base_pfn,
				     (pb0 + b) << x->pageblock_order), mt);
	}
}

static bool all_free(struct bt_replay_ctx *x, uint64_t pfn, unsigned int order)
{
	for (uint64_t i = 0; i < (1ull << order); i++)
		if (!bt_pg_free(pg(x, pfn + i)))
			return false;
	return true;
}

/* Every page allocated (by the trace or before it). */
static bool all_in_use(struct bt_replay_ctx *x, uint64_t pfn,
		       unsigned int order)
{
	for (uint64_t i = 0; i < (1ull << order); i++) {
		uint8_t s = pg(x, pfn + i);

		if (s != BT_PG_ALLOC && s != BT_PG_INIT && s != BT_PG_ISOLATED)
			return false;
	}
	return true;
}

static bool pcp_order(const struct bt_replay_ctx *x, unsigned int order)
{
	if (x->profile_412)
		return order == 0;
	return order <= 3 || order == x->pageblock_order;
}

static void set_state(struct bt_replay_ctx *x, uint64_t pfn,
		      unsigned int order, uint8_t st)
{
	bt_pg_put(x, pfn - x->base_pfn, st, 1ull << order);
}

/* Put pages into the buddy, skipping parts that are already free. */
static void put_parts(struct bt_replay_ctx *x, uint64_t pfn,
		      unsigned int order, unsigned int cpu)
{
	uint64_t n = 1ull << order;
	bool any_free = false;

	for (uint64_t i = 0; i < n && !any_free; i++)
		any_free = bt_pg_free(pg(x, pfn + i));
	if (!any_free) {
		bt_port_put(x->port, pfn, order, cpu, true);
		set_state(x, pfn, order, BT_PG_FREE);
		if (x->inflight) {
			struct bt_inflight *f =
				&x->inflight[x->inflight_n++ % BT_INFLIGHT_LEN];

			f->pfn = pfn;
			f->ts = x->d.ts;
			f->cpu = cpu;
			f->order = order;
		}
		return;
	}
	if (order == 0)
		return;
	put_parts(x, pfn, order - 1, cpu);
	put_parts(x, pfn + (1ull << (order - 1)), order - 1, cpu);
}

static void apply_early(struct bt_replay_ctx *x, const struct bt_event *ev,
			unsigned int evid, struct bt_port_verdict *v);

static void judge(struct bt_replay_ctx *x, const struct bt_event *ev,
		  struct bt_port_verdict *v, unsigned int evid)
{
	struct bt_replay_paths *run = &x->c->run;

	apply_early(x, ev, evid, v);
	x->d.verdict = v->verdict;
	x->d.stages = v->stages;
	run->allocations++;
	if (v->verdict == BT_VERDICT_FAST) {
		run->fast++;
	} else {
		run->slowpath++;
		if (v->verdict == BT_VERDICT_FAILED)
			run->failed++;
	}
	for (unsigned int i = 0; i < BT_REPLAY_STAGE_COUNT; i++)
		if (v->stages & (1u << i))
			run->stage[i]++;
	if (v->oom_kill)
		run->oom_kills++;
	if (ev->arg[0] == BT_PFN_NONE && v->predicted_failure)
		x->c->failures_predicted++;
	if (ev->arg[0] != BT_PFN_NONE &&
	    (unsigned int)ev->arg[1] < BT_REPLAY_NR_ORDERS)
		run->pages += 1ull << (unsigned int)ev->arg[1];
	if (!evid)
		return;
	if (v->verdict != BT_VERDICT_FAST)
		x->c->evidence.agreed++;
	else
		bt_replay_occur_add(&x->c->evidence.disagreed, ev, ev->arg[0],
				    (unsigned int)ev->arg[1], evid);
}

/*
 * The kernel runs its fast path before any slow-path event, so an
 * allocation with evidence is judged on the state at its task's first
 * evidence event that carries the request (order and gfp): by the
 * mm_page_alloc, direct compaction or reclaim may have made the block the
 * fast path lacked (compaction capture, ALLOCATOR-SPEC 11).
 */
static void early_judge(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	struct bt_port_verdict v;
	unsigned int order;
	uint64_t gfp;

	if (!x->early || ev->pid <= 0 || (uint32_t)ev->pid >= BT_EVID_PIDS ||
	    (x->evid.bits[ev->pid] & (unsigned int)~BT_EVID_IN_RECLAIM))
		return;
	switch (ev->type) {
	case BT_EV_VMSCAN_WAKEUP_KSWAPD:
		if (ev->arg[2] == 0 && ev->arg[3] == 0)
			return;		/* the boosted-watermark wake */
		order = (unsigned int)ev->arg[2];
		gfp = ev->arg[3];
		break;
	case BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES:
	case BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN:
		order = (unsigned int)ev->arg[0];
		gfp = ev->arg[1];
		break;
	default:
		return;
	}
	x->early[ev->pid] = 0;
	if (order >= BT_REPLAY_NR_ORDERS)
		return;
	bt_port_evaluate(x->port, x, ev, order, gfp, &v);
	if (v.verdict != BT_VERDICT_FAST)
		x->early[ev->pid] = v.stages | BT_EARLY_SLOW;
}

/* The early verdict of an evidenced allocation, taken once. */
static void apply_early(struct bt_replay_ctx *x, const struct bt_event *ev,
			unsigned int evid, struct bt_port_verdict *v)
{
	uint32_t e;

	if (!x->early || ev->pid <= 0 || (uint32_t)ev->pid >= BT_EVID_PIDS)
		return;
	e = x->early[ev->pid];
	x->early[ev->pid] = 0;
	if (!evid || !(e & BT_EARLY_SLOW) || v->verdict != BT_VERDICT_FAST)
		return;
	v->verdict = BT_VERDICT_SLOW;
	v->stages |= e & ~BT_EARLY_SLOW;
	x->c->early_verdicts++;
}

static void on_alloc(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t pfn = ev->arg[0];
	unsigned int order = (unsigned int)ev->arg[1];
	unsigned int evid = bt_evidence_take(&x->evid, ev->pid);
	struct bt_port_verdict v;
	bool pcp, init, free_, ok;

	x->d.pfn = pfn;
	x->d.model_pfn = pfn;
	x->d.order = order;
	bt_replay_record_alloc(x, ev, evid);
	ok = pfn != BT_PFN_NONE && bt_replay_pfn_ok(x, ev, pfn, order);
	if (pfn != BT_PFN_NONE && !ok) {
		/* judge it as a failure the trace does not show */
		struct bt_event e = *ev;

		e.arg[0] = BT_PFN_NONE;
		bt_port_alloc(x->port, x, &e, true, &v);
		judge(x, ev, &v, evid);
		return;
	}
	if (!ok) {
		bt_port_alloc(x->port, x, ev, true, &v);
		judge(x, ev, &v, evid);
		return;
	}
	pcp = all_in(x, pfn, order, BT_PG_PCP);
	init = !pcp && all_in(x, pfn, order, BT_PG_INIT);
	free_ = !pcp && !init && all_free(x, pfn, order);
	if (!pcp && !init && !free_) {
		for (uint64_t i = 0; i < (1ull << order); i++) {
			if (pg(x, pfn + i) == BT_PG_ALLOC) {
				bt_replay_incons(x, BT_INC_ALLOC_OF_TAKEN, ev,
						 pfn, order, 0);
				break;
			}
		}
		/* mixed states: take whatever is free or on a list first */
		bt_port_silent_take(x->port, pfn, order);
	}
	if (free_)
		bt_retro_event(x, pfn, order, false);
	bt_port_alloc(x->port, x, ev, true, &v);
	judge(x, ev, &v, evid);
	if (init)
		x->c->initial_pcp_allocs++;	/* on a list at the start */
	set_state(x, pfn, order, BT_PG_ALLOC);
}

/* An allocation the free-page map already shows (premap.c): judged only. */
void bt_mirror_premap_alloc(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	struct bt_port_verdict v;
	unsigned int evid;

	x->d.model_pfn = ev->arg[0];
	if (bt_premap_evaluate(x, ev, &evid, &v))
		judge(x, ev, &v, evid);
}

static bool in_isolated(const struct bt_replay_ctx *x, uint64_t pfn)
{
	int z = bt_ctx_zone(x, pfn);

	return z >= 0 && pfn >= x->iso_lo[z] && pfn < x->iso_hi[z];
}

static bool is_victim(const struct bt_replay_ctx *x, int32_t pid)
{
	for (unsigned int i = 0; i < x->nr_victims; i++)
		if (x->victims[i] == pid)
			return true;
	return false;
}

/* Frees by kswapd or inside a direct-reclaim window; OOM victims' frees. */
void bt_replay_count_free(struct bt_replay_ctx *x, const struct bt_event *ev,
			  unsigned int order)
{
	x->c->frees++;
	if (order < BT_REPLAY_NR_ORDERS)
		x->c->freed_pages += 1ull << order;
	if ((ev->comm && ev->comm[0] == 'k' &&
	     !strncmp(ev->comm, "kswapd", 6)) ||
	    bt_evidence_in_reclaim(&x->evid, ev->pid))
		x->c->reclaim_frees++;
	if (x->nr_victims && is_victim(x, ev->pid))
		x->c->oom_victim_frees++;
}

bool bt_replay_free_begin(struct bt_replay_ctx *x, const struct bt_event *ev,
			  uint64_t pfn, unsigned int order)
{
	x->d.pfn = pfn;
	x->d.order = order;
	bt_replay_count_free(x, ev, order);
	return bt_replay_pfn_ok(x, ev, pfn, order);
}

static void free_block(struct bt_replay_ctx *x, const struct bt_event *ev,
		       uint64_t pfn, unsigned int order)
{
	(void)ev;
	if (pcp_order(x, order) && all_in_use(x, pfn, order)) {
		/* onto the CPU's list; drains come as their own events */
		set_state(x, pfn, order, BT_PG_PCP);
		x->d.verdict = BT_VERDICT_PCP;
		return;
	}
	put_parts(x, pfn, order, ev->cpu);
	x->d.verdict = BT_VERDICT_FREE;
}

static void on_free(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t pfn = ev->arg[0];
	unsigned int order = bt_replay_free_order(ev);
	uint8_t head;
	bool inc;

	x->d.model_pfn = pfn;
	if (!bt_replay_free_begin(x, ev, pfn, order))
		return;
	head = pg(x, pfn);
	if (bt_pg_free(head)) {
		if (head == BT_PG_FREE_INIT) {
			/* allocated between the map and the trace's start */
			x->c->untraced_window_frees++;
		} else if (in_isolated(x, pfn)) {
			/* a compaction migration target */
			bt_replay_occur_add(&x->c->silent_removals, ev, pfn,
					    order, 0);
		} else {
			bt_replay_incons(x, BT_INC_FREE_OF_FREE, ev, pfn,
					 order, 0);
		}
		/* ALLOCATOR-SPEC 11.1: a silent allocation, then the free */
		bt_retro_event(x, pfn, order, true);
		bt_port_silent_take(x->port, pfn, order);
		set_state(x, pfn, order, BT_PG_ALLOC);
	} else if (head == BT_PG_PCP) {
		/* a bulk allocation took it off the list silently */
		bt_replay_occur_add(&x->c->silent_removals, ev, pfn, order, 1);
		set_state(x, pfn, order, BT_PG_ALLOC);
	} else if (head == BT_PG_INIT) {
		x->c->initial_frees++;
	}
	inc = x->d.verdict == BT_VERDICT_INCONSISTENT;
	free_block(x, ev, pfn, order);
	if (inc)
		x->d.verdict = BT_VERDICT_INCONSISTENT;
}

static void on_zone_locked(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t pfn = ev->arg[0];
	unsigned int order = (unsigned int)ev->arg[1];
	unsigned int mt = (unsigned int)ev->arg[2];

	x->d.pfn = pfn;
	x->d.order = order;
	if (pfn == BT_PFN_NONE || !bt_replay_pfn_ok(x, ev, pfn, order))
		return;
	/* >= 6.10: the list a block leaves is its pageblock's type */
	if (!x->profile_412 && mt < 3)
		learn_mt(x, pfn, order, mt);
	if (!ev->arg[3])
		return;		/* the mm_page_alloc that follows takes it */
	x->c->pcp_refills++;
	if (all_free(x, pfn, order)) {
		bt_retro_event(x, pfn, order, false);
		/* out of the buddy; for the model the list's blocks are taken */
		bt_port_silent_take(x->port, pfn, order);
		set_state(x, pfn, order, BT_PG_PCP);
		x->d.verdict = BT_VERDICT_PCP;
		return;
	}
	if (pg(x, pfn) == BT_PG_ALLOC)
		bt_replay_incons(x, BT_INC_ALLOC_OF_TAKEN, ev, pfn, order, 0);
	/* a block the mirror does not hold free: stage it on the list */
	if (!all_in(x, pfn, order, BT_PG_PCP)) {
		bt_port_silent_take(x->port, pfn, order);
		set_state(x, pfn, order, BT_PG_PCP);
	}
}

static void on_drain(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t pfn = ev->arg[0];
	unsigned int order = (unsigned int)ev->arg[1];
	uint8_t head;

	x->d.pfn = pfn;
	x->d.order = order;
	x->c->pcp_drains++;
	if (!bt_replay_pfn_ok(x, ev, pfn, order))
		return;
	head = pg(x, pfn);
	if (head == BT_PG_FREE_INIT && all_in(x, pfn, order, head)) {
		/*
		 * On a per-CPU list since before the trace, though the map
		 * shows it free: it was never on the free lists meanwhile
		 */
		x->c->untraced_window_frees++;
		bt_retro_event(x, pfn, order, true);
		return;
	}
	if (bt_pg_free(head)) {
		bt_replay_incons(x, BT_INC_FREE_OF_FREE, ev, pfn, order, 0);
		bt_retro_event(x, pfn, order, true);
		return;
	}
	if (head == BT_PG_INIT)
		x->c->initial_pcp_drains++;
	if (ev->arg[2] < 3)
		learn_mt(x, pfn, order, (unsigned int)ev->arg[2]);
	put_parts(x, pfn, order, ev->cpu);
	x->d.verdict = BT_VERDICT_PCP;
}

/* Was a block overlapping [pfn, +2^order) freed in flight (see above)? */
static bool freed_in_flight(const struct bt_replay_ctx *x,
			    const struct bt_event *ev, uint64_t pfn,
			    unsigned int order)
{
	uint64_t end = pfn + (1ull << order);
	uint64_t n = BT_MIN(x->inflight_n, (uint64_t)BT_INFLIGHT_LEN);

	for (uint64_t i = 0; i < n; i++) {
		const struct bt_inflight *f =
			&x->inflight[(x->inflight_n - 1 - i) % BT_INFLIGHT_LEN];

		if (f->ts < ev->ts && ev->ts - f->ts > BT_INFLIGHT_NS)
			break;
		if (f->cpu != ev->cpu && f->pfn < end &&
		    f->pfn + (1ull << f->order) > pfn)
			return true;
	}
	return false;
}

/*
 * Copy to @kept_b and @kept_o the @blocks not freed on another CPU within
 * BT_INFLIGHT_NS before the fallback (those were not yet on the lists
 * when it happened). Returns how many are kept (0: every obstacle was in
 * flight), or @n unchanged when there were too many to list.
 */
static unsigned int drop_in_flight(const struct bt_replay_ctx *x,
				   const struct bt_event *ev,
				   const uint64_t *blocks,
				   const uint8_t *orders, unsigned int n,
				   uint64_t *kept_b, uint8_t *kept_o)
{
	unsigned int kept = 0;

	if (n > BT_RETRO_BLOCKS)
		return n;
	for (unsigned int i = 0; i < n; i++) {
		if (x->inflight && freed_in_flight(x, ev, blocks[i], orders[i]))
			continue;
		kept_b[kept] = blocks[i];
		kept_o[kept++] = orders[i];
	}
	return kept;
}

/* Keep an unconfirmed fallback pending (retro.c); false: not possible. */
static bool retro_pending(struct bt_replay_ctx *x, const struct bt_event *ev,
			  uint64_t pfn, unsigned int order, unsigned int mt,
			  const uint64_t *blocks, const uint8_t *orders,
			  unsigned int n)
{
	if (!x->retro.watch || !n || n > BT_RETRO_BLOCKS)
		return false;
	return bt_retro_add(x, ev, pfn, order, mt, blocks, orders, n) == 0;
}

/*
 * The block a fallback handed out left the free lists there and then. A
 * whole-pageblock claim or a steal fires no mm_page_alloc_zone_locked,
 * and a per-CPU refill (two order-9 blocks for a THP) may never see its
 * mm_page_alloc: at a pcp-allowed order the block goes onto a per-CPU
 * list, as a refill's would; at other orders the mm_page_alloc follows.
 */
static void fallback_take(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t pfn = ev->arg[0];
	unsigned int order = (unsigned int)ev->arg[1];

	int z = bt_ctx_zone(x, pfn);

	/* on_extfrag() checked the pfn; a block past its zone is ignored */
	if (order >= BT_REPLAY_NR_ORDERS || !pcp_order(x, order) || z < 0 ||
	    (pfn & ((1ull << order) - 1)) ||
	    pfn + (1ull << order) > x->zone_hi[z] ||
	    bt_premap_before(x, ev->ts, pfn) || !all_free(x, pfn, order))
		return;
	bt_retro_event(x, pfn, order, false);
	bt_port_silent_take(x->port, pfn, order);
	set_state(x, pfn, order, BT_PG_PCP);
}

static void on_extfrag(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t pfn = ev->arg[0];
	unsigned int alloc_order = (unsigned int)ev->arg[1];
	unsigned int fb_order = (unsigned int)ev->arg[2];
	unsigned int mt = (unsigned int)ev->arg[3];
	const uint64_t *blocks = NULL;
	const uint8_t *orders = NULL;
	uint64_t kept_b[BT_RETRO_BLOCKS];
	uint8_t kept_o[BT_RETRO_BLOCKS];
	unsigned int fb, n = 0;
	int z, held;

	x->d.pfn = pfn;
	x->d.order = alloc_order;
	bt_replay_count_fallback(&x->c->recorded.fallbacks, fb_order,
				 ev->arg[5] != 0, x->pageblock_order,
				 &x->d.fallback);
	x->c->run.fallbacks = x->c->recorded.fallbacks;
	if (!bt_replay_pfn_ok(x, ev, pfn, 0))
		return;
	z = x->d.zone;
	x->c->fallbacks_checked++;
	fb = BT_MIN(fb_order, BT_REPLAY_NR_ORDERS - 1);
	pfn &= ~((1ull << fb) - 1);
	/*
	 * A claim has already relabelled the pageblock when zone_locked
	 * fired before this event: judge the state before the claim.
	 */
	if (ev->arg[4] < 3)
		learn_mt(x, pfn, fb, (unsigned int)ev->arg[4]);
	held = alloc_order < BT_REPLAY_NR_ORDERS && mt < 3 ?
		bt_retro_scan(x, (unsigned int)z, alloc_order, mt, &blocks,
			      &orders, &n) : 2;
	if (held && n <= BT_RETRO_BLOCKS) {
		n = drop_in_flight(x, ev, blocks, orders, n, kept_b, kept_o);
		blocks = kept_b;
		orders = kept_o;
	}
	if (!held) {
		x->c->fallbacks_confirmed++;
	} else if (!n) {
		x->c->fallbacks_confirmed++;
		x->c->fallbacks_confirmed_inflight++;
	} else if (!retro_pending(x, ev, pfn, alloc_order, mt, blocks, orders,
				  n))
		bt_replay_occur_add(&x->c->fallbacks_unconfirmed, ev, pfn,
				    alloc_order, mt);
	if (held <= 1)
		x->c->fallbacks_confirmed_trace++;
	/*
	 * A fallback below the pageblock order follows a claim attempt,
	 * which boosts the zone's watermarks (one boost per event: the
	 * trace does not show failed attempts).
	 */
	if (fb_order < x->pageblock_order)
		bt_port_boost(x->port, (unsigned int)z);
	if (ev->arg[5] && mt < 3)
		learn_mt(x, pfn, fb, mt);
	fallback_take(x, ev);
}

static void on_isolate_free(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	int z = bt_ctx_zone(x, ev->arg[0]);

	if (z < 0 || !ev->arg[3])
		return;
	x->iso_lo[z] = ev->arg[0];
	x->iso_hi[z] = ev->arg[1];
}

void bt_replay_common_event(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	switch (ev->type) {
	case BT_EV_LOST:
		x->c->lost_events += ev->arg[0];
		bt_replay_incons(x, BT_INC_LOST_EVENTS, ev, BT_PFN_NONE, 0,
				 ev->arg[0]);
		break;
	case BT_EV_VMSCAN_KSWAPD_WAKE:
	case BT_EV_VMSCAN_KSWAPD_SLEEP:
		bt_port_kswapd(x->port, ev->type == BT_EV_VMSCAN_KSWAPD_WAKE);
		break;
	case BT_EV_OOM_MARK_VICTIM:
		x->c->recorded.oom_kills++;
		if (x->nr_victims < BT_ARRAY_SIZE(x->victims))
			x->victims[x->nr_victims++] = (int32_t)ev->arg[0];
		break;
	case BT_EV_COMPACTION_ISOLATE_FREEPAGES:
	case BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES:
		on_isolate_free(x, ev);
		break;
	default:
		break;
	}
	bt_evidence_note(&x->evid, ev);
}

bool bt_replay_isolate_range(const struct bt_replay_ctx *x,
			     const struct bt_event *ev, uint64_t *start,
			     uint64_t *end, uint64_t *nr)
{
	int z = bt_ctx_zone(x, ev->arg[0]);

	*start = ev->arg[0];
	*end = ev->arg[1];
	*nr = ev->arg[3];
	if (z < 0 || !*nr || *end <= *start)
		return false;
	*end = BT_MIN(*end, x->zone_hi[z]);
	return true;
}

/* Compaction's free-page isolation: no mm_page_alloc, but a range. */
static void on_isolate_take(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t start, end, nr, got = 0, scanned = ev->arg[2];

	if (ev->type == BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES &&
	    (got = (uint64_t)bt_fast_replay(x, ev)) != UINT64_MAX) {
		x->c->isolated_pages += got;
		return;
	}
	got = 0;
	if (!bt_replay_isolate_range(x, ev, &start, &end, &nr))
		return;
	if (ev->type == BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES) {
		if (!(nr & (nr - 1)) && nr <= (1ull << 10))
			got = bt_port_isolate_fast(x->port, start, end,
					scanned, (unsigned int)__builtin_ctzll(nr));
		if (got) {
			x->c->isolated_pages += got;
			return;
		}
		/* none on the lists: the lowest free blocks above min_pfn */
		scanned = UINT64_MAX;
	}
	/* one scan covers a pageblock or so; cap hostile ranges */
	end = BT_MIN(end, start + (4ull << x->pageblock_order));
	got = bt_port_isolate(x->port, start, end, scanned, nr,
			      scanned != UINT64_MAX && scanned >= end - start);
	x->c->isolated_pages += BT_MIN(got, nr);
	x->c->isolated_extra_pages += got - BT_MIN(got, nr);
}

void bt_mirror_event(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	switch (ev->type) {
	case BT_EV_COMPACTION_ISOLATE_FREEPAGES:
	case BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES:
		on_isolate_take(x, ev);
		bt_replay_common_event(x, ev);
		break;
	case BT_EV_PAGE_ALLOC:
		on_alloc(x, ev);
		break;
	case BT_EV_PAGE_FREE:
	case BT_EV_PAGEVEC_FREE:
		on_free(x, ev);
		break;
	case BT_EV_PAGE_ALLOC_ZONE_LOCKED:
		on_zone_locked(x, ev);
		break;
	case BT_EV_PAGE_PCPU_DRAIN:
		on_drain(x, ev);
		break;
	case BT_EV_PAGE_ALLOC_EXTFRAG:
		on_extfrag(x, ev);
		break;
	case BT_EV_VMSCAN_KSWAPD_WAKE:
	case BT_EV_VMSCAN_KSWAPD_SLEEP:
		bt_port_boost_kswapd(x->port,
				     ev->type == BT_EV_VMSCAN_KSWAPD_WAKE);
		bt_replay_common_event(x, ev);
		break;
	case BT_EV_COMPACTION_BEGIN:
	case BT_EV_COMPACTION_KCOMPACTD_WAKE:
	case BT_EV_COMPACTION_ISOLATE_MIGRATEPAGES:
		bt_fast_note(x, ev);
		bt_replay_common_event(x, ev);
		break;
	case BT_EV_VMSCAN_WAKEUP_KSWAPD:
	case BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES:
	case BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN:
		if (ev->type == BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES)
			bt_fast_note(x, ev);
		early_judge(x, ev);
		bt_replay_common_event(x, ev);
		break;
	default:
		bt_replay_common_event(x, ev);
		break;
	}
}
