// SPDX-License-Identifier: GPL-2.0-only
/*
 * model.c - model mode: the model places every allocation; recorded frees
 * reach the model's blocks through a dense pfn map.
 *
 * map[recorded pfn - base] holds the model pfn of that page (stored as
 * pfn - base + 1, so a fresh calloc'd map means "none"), set for
 * every page of a recorded allocation when the model placed it (so a
 * partial free of a larger block finds its part: the model block has the
 * same alignment as the recorded one). A page the trace never allocated
 * (state INIT) was allocated before the trace began in both the recorded
 * system and the model, which start from the same state and never hand
 * such a page out: its free maps to the same pfn. Per-CPU list events
 * describe the recorded system's lists, not the model's, and are only
 * counted.
 */
#include <string.h>

#include "replay-internal.h"

static uint64_t idx(const struct bt_replay_ctx *x, uint64_t pfn)
{
	return pfn - x->base_pfn;
}

/* Map entries: pfn - base + 1, so 0 (calloc) means none. */
static uint32_t enc(const struct bt_replay_ctx *x, uint64_t pfn)
{
	return (uint32_t)(pfn - x->base_pfn + 1);
}

static uint64_t dec(const struct bt_replay_ctx *x, uint32_t v)
{
	return v - 1 + x->base_pfn;
}

static void count_run(struct bt_replay_ctx *x, const struct bt_port_verdict *v)
{
	struct bt_replay_paths *run = &x->c->run;

	run->allocations++;
	if (v->verdict == BT_VERDICT_FAST)
		run->fast++;
	else
		run->slowpath++;
	if (v->verdict == BT_VERDICT_FAILED)
		run->failed++;
	for (unsigned int i = 0; i < BT_REPLAY_STAGE_COUNT; i++)
		if (v->stages & (1u << i))
			run->stage[i]++;
	if (v->oom_kill)
		run->oom_kills++;
	if (v->fallback & BT_REPLAY_FB_ANY) {
		struct bt_replay_fallbacks *f = &run->fallbacks;

		f->total++;
		f->fragmenting += !!(v->fallback & BT_REPLAY_FB_FRAGMENTING);
		f->severe += !!(v->fallback & BT_REPLAY_FB_SEVERE);
		f->moderate += !!(v->fallback & BT_REPLAY_FB_MODERATE);
		f->ownership_changed +=
			!!(v->fallback & BT_REPLAY_FB_OWNERSHIP);
	}
}

static void map_block(struct bt_replay_ctx *x, uint64_t rec, uint64_t mod,
		      unsigned int order)
{
	uint32_t *m = x->map + idx(x, rec);
	uint64_t n = 1ull << order;

	if (mod < x->base_pfn || mod + n > x->end_pfn) {
		memset(m, 0, n * sizeof(*m));	/* a placement outside: unmapped */
		bt_pg_put(x, idx(x, rec), BT_PG_ALLOC, n);
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		m[i] = enc(x, mod + i);
		x->rmap[idx(x, mod) + i] = enc(x, rec + i);
	}
	bt_pg_put(x, idx(x, rec), BT_PG_ALLOC, n);
}

static void on_alloc(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t pfn = ev->arg[0];
	unsigned int order = (unsigned int)ev->arg[1];
	unsigned int evid = bt_evidence_take(&x->evid, ev->pid);
	struct bt_port_verdict v;

	x->d.pfn = pfn;
	x->d.order = order;
	bt_replay_record_alloc(x, ev, evid);
	if (order >= BT_REPLAY_NR_ORDERS) {
		bt_replay_incons(x, BT_INC_PFN_OUT_OF_RANGE, ev, pfn, order, 0);
		return;
	}
	bt_port_alloc(x->port, x, ev, false, &v);
	count_run(x, &v);
	x->d.verdict = v.verdict;
	x->d.stages = v.stages;
	x->d.fallback = v.fallback;
	x->d.model_pfn = v.verdict == BT_VERDICT_FAILED ? BT_PFN_NONE : v.pfn;
	if (v.verdict != BT_VERDICT_FAILED)
		x->c->run.pages += 1ull << order;
	else if (pfn != BT_PFN_NONE)
		x->c->failures_real_avoided++;
	if (pfn == BT_PFN_NONE || !bt_replay_pfn_ok(x, ev, pfn, order))
		return;
	if (bt_pg_at(x, idx(x, pfn)) == BT_PG_ALLOC)
		bt_replay_incons(x, BT_INC_ALLOC_OF_TAKEN, ev, pfn, order, 0);
	if (v.verdict == BT_VERDICT_FAILED) {
		bt_pg_put(x, idx(x, pfn), BT_PG_ALLOC, 1ull << order);
		for (uint64_t i = 0; i < (1ull << order); i++)
			x->map[idx(x, pfn) + i] = BT_MAP_NONE;
		return;
	}
	map_block(x, pfn, v.pfn, order);
	bt_reclaim_note_alloc(x, pfn, order);
}

/* An allocation the free-page map already shows (premap.c): judged only. */
void bt_model_premap_alloc(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	struct bt_port_verdict v;
	unsigned int evid;

	if (!bt_premap_evaluate(x, ev, &evid, &v))
		return;
	count_run(x, &v);
	x->d.verdict = v.verdict;
	x->d.stages = v.stages;
	if (v.verdict != BT_VERDICT_FAILED)
		x->c->run.pages += 1ull << x->d.order;
}

/* Free the model pages behind [pfn, pfn + 2^order) of the recording. */
static void free_mapped(struct bt_replay_ctx *x, const struct bt_event *ev,
			uint64_t pfn, unsigned int order)
{
	uint32_t *m = x->map + idx(x, pfn);
	uint64_t n = 1ull << order;
	bool contiguous = m[0] != BT_MAP_NONE &&
			  !(dec(x, m[0]) & (n - 1));

	for (uint64_t i = 1; i < n && contiguous; i++)
		contiguous = m[i] == m[0] + i;
	if (contiguous) {
		bt_port_put(x->port, dec(x, m[0]), order, ev->cpu, false);
		x->d.model_pfn = dec(x, m[0]);
	} else {
		/* pages of several model blocks (or none): one by one */
		bool any = false;

		for (uint64_t i = 0; i < n; i++)
			any |= m[i] != BT_MAP_NONE;
		if (!any)
			x->c->initial_unmapped_frees++;
		for (uint64_t i = 0; i < n; i++)
			if (m[i] != BT_MAP_NONE)
				bt_port_put(x->port, dec(x, m[i]), 0, ev->cpu,
					    false);
	}
	for (uint64_t i = 0; i < n; i++) {
		if (m[i] != BT_MAP_NONE)
			x->rmap[m[i] - 1] = BT_MAP_NONE;
		m[i] = BT_MAP_NONE;
	}
}

static bool all_state(const struct bt_replay_ctx *x, uint64_t pfn,
		      unsigned int order, uint8_t st)
{
	return bt_pg_all(x, idx(x, pfn), 1ull << order, st);
}

/* A free over pages in mixed states: each page by its own state. */
static void free_pages_one_by_one(struct bt_replay_ctx *x,
				  const struct bt_event *ev, uint64_t pfn,
				  unsigned int order)
{
	for (uint64_t i = 0; i < (1ull << order); i++) {
		uint64_t p = idx(x, pfn) + i;

		if (bt_pg_at(x, p) == BT_PG_INIT) {
			bt_port_put(x->port, pfn + i, 0, ev->cpu, false);
		} else if (bt_pg_at(x, p) == BT_PG_ALLOC &&
			   x->map[p] != BT_MAP_NONE) {
			bt_port_put(x->port, dec(x, x->map[p]), 0, ev->cpu,
				    false);
			x->rmap[x->map[p] - 1] = BT_MAP_NONE;
			x->map[p] = BT_MAP_NONE;
		}
	}
}

static void on_free(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t pfn = ev->arg[0];
	unsigned int order = bt_replay_free_order(ev);
	uint8_t head;

	if (!bt_replay_free_begin(x, ev, pfn, order))
		return;
	head = bt_pg_at(x, idx(x, pfn));
	x->d.verdict = BT_VERDICT_FREE;
	if (head == BT_PG_FREE_INIT) {
		/* allocated between the free-page map and the trace's start */
		x->c->untraced_window_frees++;
		return;
	}
	if (head == BT_PG_RECLAIMED) {
		/* the model's reclaim freed it already, earlier */
		x->c->reclaimed_early_frees++;
		bt_pg_put(x, idx(x, pfn), BT_PG_FREE, 1ull << order);
		return;
	}
	if (head == BT_PG_ISOLATED) {
		/*
		 * compaction took it from the recorded free lists; the model
		 * never did: nothing of the model's to free
		 */
		bt_replay_occur_add(&x->c->silent_removals, ev, pfn, order, 0);
		bt_pg_put(x, idx(x, pfn), BT_PG_FREE, 1ull << order);
		return;
	}
	if (head == BT_PG_FREE) {
		bt_replay_incons(x, BT_INC_FREE_OF_FREE, ev, pfn, order, 0);
		return;
	}
	if (head == BT_PG_INIT)
		x->c->initial_frees++;
	if (all_state(x, pfn, order, BT_PG_INIT)) {
		bt_port_put(x->port, pfn, order, ev->cpu, false);
		x->d.model_pfn = pfn;
	} else if (all_state(x, pfn, order, BT_PG_ALLOC)) {
		free_mapped(x, ev, pfn, order);
	} else {
		x->c->partial_frees++;
		free_pages_one_by_one(x, ev, pfn, order);
	}
	bt_pg_put(x, idx(x, pfn), BT_PG_FREE, 1ull << order);
}

void bt_model_move(struct bt_replay_ctx *x, uint64_t old_pfn,
		   uint64_t new_pfn, unsigned int order)
{
	uint64_t n = 1ull << BT_MIN(order, 10u);

	if (old_pfn < x->base_pfn || old_pfn + n > x->end_pfn ||
	    new_pfn < x->base_pfn || new_pfn + n > x->end_pfn)
		return;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t r = x->rmap[idx(x, old_pfn) + i];

		if (r == BT_MAP_NONE)
			continue;
		x->map[r - 1] = enc(x, new_pfn + i);
		x->rmap[idx(x, new_pfn) + i] = r;
		x->rmap[idx(x, old_pfn) + i] = BT_MAP_NONE;
	}
}

/*
 * Compaction isolated free pages of the recorded system: mark that many
 * recorded pages of the range isolated, so their later frees are known
 * (the model runs its own compaction, on its own pages).
 */
static void on_isolate(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t start, end, nr;

	if (!bt_replay_isolate_range(x, ev, &start, &end, &nr))
		return;
	end = BT_MIN(end, start + (4ull << x->pageblock_order));
	for (uint64_t pfn = start; pfn < end && nr;) {
		uint64_t stop;

		pfn = bt_pg_skip_not_free(x, pfn, end);
		for (stop = BT_MIN(pfn + 8, end); pfn < stop && nr; pfn++) {
			if (bt_pg_free(bt_pg_at(x, idx(x, pfn)))) {
				bt_pg_put(x, idx(x, pfn), BT_PG_ISOLATED, 1);
				nr--;
				x->c->isolated_pages++;
			}
		}
	}
}

void bt_model_event(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	switch (ev->type) {
	case BT_EV_COMPACTION_ISOLATE_FREEPAGES:
	case BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES:
		on_isolate(x, ev);
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
		if (ev->arg[3])
			x->c->pcp_refills++;
		break;
	case BT_EV_PAGE_PCPU_DRAIN:
		x->c->pcp_drains++;
		break;
	case BT_EV_PAGE_ALLOC_EXTFRAG:
		bt_replay_count_fallback(&x->c->recorded.fallbacks,
					 (unsigned int)ev->arg[2],
					 ev->arg[5] != 0, x->pageblock_order,
					 NULL);
		break;
	default:
		bt_replay_common_event(x, ev);
		break;
	}
	bt_port_tick(x->port, ev->ts);
}
