// SPDX-License-Identifier: GPL-2.0-only
/*
 * replay.c - the driver: set the model up from the trace's snapshots, read
 * the event stream once, hand each event to the mirror or the model,
 * compare the mirrored free lists with every buddyinfo snapshot, and take
 * time-series samples.
 *
 * Counting and state are apart: events outside the --window still move
 * the state (the model must see every allocation to stay right) but their
 * counts go to a scratch summary that is thrown away. Per-page state is one
 * byte per pfn over the span of all zones (and, in model mode, one 32-bit
 * map entry per pfn): no allocation per event.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay-internal.h"
#include "common/procfs.h"

void bt_replay_count_fallback(struct bt_replay_fallbacks *f,
			      unsigned int fallback_order, bool ownership,
			      unsigned int pageblock_order, uint32_t *flags)
{
	uint32_t fl = BT_REPLAY_FB_ANY;

	f->total++;
	if (fallback_order < pageblock_order) {
		f->fragmenting++;
		fl |= BT_REPLAY_FB_FRAGMENTING;
		if (fallback_order <= 3) {
			f->severe++;
			fl |= BT_REPLAY_FB_SEVERE;
		} else {
			f->moderate++;
			fl |= BT_REPLAY_FB_MODERATE;
		}
	}
	if (ownership) {
		f->ownership_changed++;
		fl |= BT_REPLAY_FB_OWNERSHIP;
	}
	if (flags)
		*flags |= fl;
}

void bt_replay_record_alloc(struct bt_replay_ctx *x, const struct bt_event *ev,
			 unsigned int evid)
{
	struct bt_replay_paths *rec = &x->c->recorded;
	unsigned int order = (unsigned int)ev->arg[1];

	rec->allocations++;
	if (ev->arg[0] == BT_PFN_NONE) {
		rec->failed++;
		rec->stage[BT_REPLAY_STAGE_FAILURE]++;
	} else if (order < BT_REPLAY_NR_ORDERS) {
		rec->pages += 1ull << order;
	}
	if (!evid)
		return;
	x->c->evidence.evidenced++;
	if (evid & BT_EVID_KSWAPD)
		rec->stage[BT_REPLAY_STAGE_KSWAPD_WAKE]++;
	if (evid & BT_EVID_RECLAIM)
		rec->stage[BT_REPLAY_STAGE_DIRECT_RECLAIM]++;
	if (evid & BT_EVID_COMPACT)
		rec->stage[BT_REPLAY_STAGE_DIRECT_COMPACT]++;
	if (evid & (BT_EVID_RETRY_ZONE | BT_EVID_COMPACT_RETRY))
		rec->stage[BT_REPLAY_STAGE_RETRY]++;
	if (evid & BT_EVID_OOM)
		rec->stage[BT_REPLAY_STAGE_OOM]++;
}

void bt_replay_incons(struct bt_replay_ctx *x, unsigned int kind,
		      const struct bt_event *ev, uint64_t pfn,
		      unsigned int order, uint64_t detail)
{
	bt_replay_occur_add(&x->c->incons[kind], ev, pfn, order, detail);
	x->c->inconsistencies++;
	x->d.verdict = BT_VERDICT_INCONSISTENT;
}

/* A pfn range inside the span and one zone; else counted and false. */
bool bt_replay_pfn_ok_slow(struct bt_replay_ctx *x, const struct bt_event *ev,
			   uint64_t pfn, unsigned int order)
{
	int z;

	if (order < BT_REPLAY_NR_ORDERS && pfn < x->end_pfn &&
	    pfn >= x->base_pfn && !(pfn & ((1ull << order) - 1))) {
		z = bt_ctx_zone(x, pfn);
		if (z >= 0 && pfn + (1ull << order) <= x->zone_hi[z]) {
			x->d.zone = z;
			x->last_zone = (unsigned int)z;
			return true;
		}
	}
	bt_replay_incons(x, BT_INC_PFN_OUT_OF_RANGE, ev, pfn, order, 0);
	return false;
}

int bt_replay_alloc_state(struct bt_replay_ctx *x)
{
	uint64_t span = x->end_pfn - x->base_pfn;

	x->pg = calloc(span ? span : 1, 1);
	x->pbt = calloc((span >> x->pageblock_order) + 2, 1);
	if (!x->pg || !x->pbt)
		return -ENOMEM;
	if (x->o->mode == BT_REPLAY_MODEL) {
		x->map = calloc(span ? span : 1, sizeof(*x->map));
		x->rmap = calloc(span ? span : 1, sizeof(*x->rmap));
		if (!x->map || !x->rmap)
			return -ENOMEM;
	}
	return 0;
}

static int ctx_setup(struct bt_replay_ctx *x)
{
	int err = bt_evidence_init(&x->evid);

	if (!err && x->o->mode == BT_REPLAY_MIRROR) {
		x->early = calloc(BT_EVID_PIDS, sizeof(*x->early));
		x->inflight = calloc(BT_INFLIGHT_LEN, sizeof(*x->inflight));
		if (!x->early || !x->inflight)
			err = -ENOMEM;
	}
	return err ? err : bt_port_new(x, &x->port);
}

static void ctx_release(struct bt_replay_ctx *x)
{
	if (x->port)
		bt_port_free(x->port);
	free(x->pg);
	free(x->map);
	free(x->rmap);
	free(x->pbt);
	free(x->early);
	bt_premap_release(x);
	bt_retro_release(x);
	free(x->inflight);
	bt_reclaim_release(x);
	bt_evidence_release(&x->evid);
	if (x->scratch) {
		bt_replay_summary_release(x->scratch);
		free(x->scratch);
	}
}

static int grow(void **arr, unsigned int nr, size_t size)
{
	void *p;

	/* Grow at powers of two. */
	if (nr & (nr - 1) || nr > (1u << 30))
		return nr > (1u << 30) ? -ENOMEM : 0;
	p = realloc(*arr, (nr ? nr * 2 : 1) * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

static int take_sample(struct bt_replay_ctx *x, uint64_t ts)
{
	struct bt_replay_summary *s = x->c;
	struct bt_replay_sample *p;

	if (grow((void **)&s->samples, s->nr_samples, sizeof(*p)))
		return -ENOMEM;
	p = &s->samples[s->nr_samples++];
	memset(p, 0, sizeof(*p));
	p->ts = ts;
	for (unsigned int z = 0; z < x->nr_zones; z++) {
		bt_port_free_counts(x->port, z, p->free[z]);
		for (unsigned int o = 0; o < BT_REPLAY_NR_ORDERS; o++)
			p->frag_index[z][o] = bt_replay_frag_index(p->free[z], o);
	}
	p->fast = s->run.fast;
	p->slowpath = s->run.slowpath;
	p->fallbacks = s->run.fallbacks.total;
	p->failed = s->run.failed;
	return 0;
}

static void compare_zone(struct bt_replay_ctx *x, unsigned int z,
			 const struct bt_proc_orders *row,
			 struct bt_replay_zone_cmp *c)
{
	uint64_t nr[BT_REPLAY_NR_ORDERS];
	uint64_t worst_abs = 0;

	bt_port_free_counts(x->port, z, nr);
	memset(c, 0, sizeof(*c));
	for (unsigned int o = 0; o < BT_REPLAY_NR_ORDERS; o++) {
		int64_t snap = o < row->nr_orders ? row->v[o] : 0;
		int64_t d = ((int64_t)nr[o] - snap) * (1ll << o);
		uint64_t a = d < 0 ? (uint64_t)-d : (uint64_t)d;

		c->diff_pages[o] = d;
		c->snap_free_pages += (uint64_t)snap << o;
		if (a > worst_abs) {
			worst_abs = a;
			c->worst_order = o;
			c->worst_pages = d;
		}
	}
	c->worst_ppm = bt_replay_ppm(worst_abs, c->snap_free_pages);
}

/*
 * Whether the buddyinfo rows of the replayed zones are possible: no zone
 * holds more than BT_PROC_MAX_PAGES pages (the zoneinfo parser's bound),
 * so neither does any order's count; with that, the differences and sums
 * of compare_zone() cannot overflow.
 */
static bool buddyinfo_sane(const struct bt_replay_ctx *x,
			   const struct bt_proc_table *t)
{
	for (unsigned int z = 0; z < x->nr_zones; z++) {
		const struct bt_proc_orders *row =
			bt_proc_table_find(t, 0, x->c->zone_name[z]);

		for (unsigned int o = 0; row && o < BT_REPLAY_NR_ORDERS &&
					 o < row->nr_orders; o++)
			if (row->v[o] < 0 ||
			    row->v[o] > (int64_t)(BT_PROC_MAX_PAGES >> o))
				return false;
	}
	return true;
}

static int compare_buddyinfo(struct bt_replay_ctx *x, unsigned int idx,
			     const struct bt_snapshot *sn)
{
	struct bt_replay_summary *s = x->c;
	struct bt_replay_snapcmp *c;
	struct bt_proc_table t;
	int err;

	bt_proc_table_init(&t);
	err = bt_buddyinfo_parse(&t, (const char *)sn->data, sn->len, NULL);
	/* a damaged or impossible snapshot is skipped, not fatal */
	if (err || !buddyinfo_sane(x, &t))
		goto out;
	err = grow((void **)&s->snapcmp, s->nr_snapcmp, sizeof(*c));
	if (err)
		goto out;
	c = &s->snapcmp[s->nr_snapcmp++];
	memset(c, 0, sizeof(*c));
	c->snapshot = idx;
	c->ts = sn->ts;
	for (unsigned int z = 0; z < x->nr_zones; z++) {
		const struct bt_proc_orders *row =
			bt_proc_table_find(&t, 0, s->zone_name[z]);

		if (row)
			compare_zone(x, z, row, &c->zone[z]);
	}
out:
	bt_proc_table_release(&t);
	return err == -ENOMEM ? err : 0;
}

static int on_snapshot(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	const struct bt_snapshot *sn;

	if (ev->arg[0] >= bt_reader_nr_snapshots(x->r))
		return 0;
	sn = bt_reader_snapshot(x->r, (unsigned int)ev->arg[0]);
	if (!sn || sn->kind != BT_SNAP_BUDDYINFO)
		return 0;
	if (take_sample(x, ev->ts))
		return -ENOMEM;
	if (x->o->mode != BT_REPLAY_MIRROR)
		return 0;
	return compare_buddyinfo(x, (unsigned int)ev->arg[0], sn);
}

static bool in_window(const struct bt_replay_opts *o, uint64_t ts)
{
	return ts >= o->t0 && (!o->t1 || ts <= o->t1);
}

static int one_event(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	bool win = in_window(x->o, ev->ts);

	x->c = win ? x->s : x->scratch;
	if (win) {
		if (!x->s->events_in_window++)
			x->s->first_ts = ev->ts;
		x->s->last_ts = ev->ts;
		x->s->per_type[ev->type & 63]++;
	}
	memset(&x->d, 0, sizeof(x->d));
	x->d.ts = ev->ts;
	x->d.event = ev->type;
	x->d.cpu = ev->cpu;
	x->d.pid = ev->pid;
	x->d.zone = -1;
	x->d.pfn = BT_PFN_NONE;
	x->d.model_pfn = BT_PFN_NONE;
	x->d.verdict = BT_VERDICT_IGNORED;
	if (x->o->sample_interval_ns && ev->ts >= x->next_sample) {
		if (x->next_sample && win && take_sample(x, ev->ts))
			return -ENOMEM;
		x->next_sample = ev->ts + x->o->sample_interval_ns;
	}
	if (ev->type == BT_EV_SNAPSHOT)
		return win ? on_snapshot(x, ev) : 0;
	/* before_read(): nothing at or after the map's last read time */
	if (ev->ts < x->premap_until && bt_premap_shown(x, ev)) {
		bt_premap_count(x, ev);
		if (ev->type == BT_EV_PAGE_ALLOC &&
		    x->o->mode == BT_REPLAY_MIRROR)
			bt_mirror_premap_alloc(x, ev);
		else if (ev->type == BT_EV_PAGE_ALLOC)
			bt_model_premap_alloc(x, ev);
	} else if (x->o->mode == BT_REPLAY_MIRROR) {
		bt_mirror_event(x, ev);
	} else {
		bt_model_event(x, ev);
	}
	if (x->o->on_decision && win)
		x->o->on_decision(&x->d, x->o->decision_data);
#ifdef BT_REPLAY_DEBUG
	/* debug builds (CFLAGS=-DBT_REPLAY_DEBUG): the model checks itself */
	{
		char msg[160];

		if (bt_port_check(x->port, msg, sizeof(msg))) {
			bt_log(BT_LOG_ERROR, "model check after event at %llu: %s",
			       (unsigned long long)ev->ts, msg);
			BT_BUG_ON(1);
		}
	}
#endif
	return 0;
}

static int next_event(struct bt_replay_ctx *x, struct bt_event *buf,
		      const struct bt_event **ev)
{
	if (x->o->next_event)
		return x->o->next_event(x->o->next_data, ev);
	*ev = buf;
	return bt_reader_next(x->r, buf);
}

static int run_stream(struct bt_replay_ctx *x)
{
	struct bt_trace_stats st;
	const struct bt_event *ev;
	struct bt_event buf;
	uint64_t total = 0;
	int ret;

	if (x->o->on_progress && !bt_reader_stats(x->r, &st))
		total = st.events;
	ret = x->o->next_event ? 0 : bt_reader_rewind(x->r);
	if (ret)
		return ret;
	while ((ret = next_event(x, &buf, &ev)) > 0) {
		x->s->events++;
		bt_reclaim_see(x, ev);
		if (x->o->on_progress &&
		    !(x->s->events & (BT_REPLAY_PROGRESS_EVERY - 1)))
			x->o->on_progress(x->s->events, total,
					  x->o->progress_data);
		ret = one_event(x, ev);
		if (ret)
			return ret;
	}
	if (x->o->on_progress)
		x->o->on_progress(x->s->events, total, x->o->progress_data);
	return ret;
}

int bt_replay_run(struct bt_reader *r, const struct bt_replay_opts *o,
		  struct bt_replay_summary *s)
{
	struct bt_replay_ctx x;
	int err;

	memset(s, 0, sizeof(*s));
	memset(&x, 0, sizeof(x));
	s->mode = o->mode;
	s->knobs = o->knobs;
	x.o = o;
	x.r = r;
	x.s = s;
	x.c = s;
	x.scratch = calloc(1, sizeof(*x.scratch));
	if (!x.scratch)
		return -ENOMEM;
	err = ctx_setup(&x);
	if (err)
		goto out;
	if (o->mode == BT_REPLAY_MIRROR)
		err = bt_retro_init(&x);
	if (!err)
		err = run_stream(&x);
	if (!err)
		err = x.reclaim_err;	/* reclaim.c's first pass: memory */
	if (err)
		goto out;
	bt_retro_finish(&x);
	for (unsigned int k = 0; k < BT_INC_COUNT; k++)
		BT_BUG_ON(s->incons[k].nr > BT_REPLAY_MAX_OCCUR);
	s->recorded.slowpath = s->evidence.evidenced;
out:
	if (!o->exit_after)
		ctx_release(&x);
	return err;
}
