// SPDX-License-Identifier: GPL-2.0-only
/*
 * json-replay.c - the replay columns of the JSON document: the mirror's
 * verdicts on the recorded state, the model's own run, and the diff that
 * puts recorded, mirror and model side by side with the first divergences.
 *
 * Fast-path hits are not traced, so the fast/slow split has three columns:
 * the tracepoint evidence (a lower bound on slow-path entries unless the
 * trace carries exact probes), the mirror's verdict and the model's run.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze-internal.h"

static json_t *stages(const struct bt_replay_paths *p)
{
	json_t *o = json_object();
	unsigned int s;

	bt_an_set_uint(o, "total", p->slowpath);
	for (s = 0; s < BT_REPLAY_STAGE_COUNT; s++)
		bt_an_set_uint(o, bt_replay_stage_name(s), p->stage[s]);
	return o;
}

static json_t *fallbacks(const struct bt_replay_fallbacks *f)
{
	return bt_an_fallbacks(f->total, f->fragmenting, f->severe,
				 f->moderate, f->ownership_changed);
}

static json_t *occur(const struct bt_replay_occur *oc)
{
	json_t *o = json_object();
	const struct bt_event_desc *d = bt_event_desc(oc->event);

	bt_an_set_uint(o, "ts", oc->ts);
	bt_an_set(o, "event", json_string(d ? d->name : "unknown"));
	bt_an_set_uint(o, "cpu", oc->cpu);
	bt_an_set(o, "pid", json_integer(oc->pid));
	bt_an_set(o, "comm", json_string(oc->comm));
	bt_an_set_uint(o, "order", oc->order);
	bt_an_set(o, "pfn",
		  oc->pfn >= BT_PFN_UNKNOWN ? NULL : bt_an_uint(oc->pfn));
	bt_an_set_uint(o, "detail", oc->detail);
	return o;
}

static json_t *occur_list(const struct bt_replay_occur_list *l)
{
	json_t *o = json_object(), *arr = json_array();
	unsigned int i;

	bt_an_set_uint(o, "count", l->count);
	for (i = 0; i < l->nr && i < BT_REPLAY_MAX_OCCUR; i++)
		json_array_append_new(arr, occur(&l->first[i]));
	bt_an_set(o, "first", arr);
	return o;
}

static json_t *incons(const struct bt_replay_summary *s)
{
	json_t *o = json_object();
	unsigned int k;

	bt_an_set_uint(o, "total", s->inconsistencies);
	for (k = 0; k < BT_INC_COUNT; k++)
		bt_an_set(o, bt_replay_incons_name(k),
			  occur_list(&s->incons[k]));
	return o;
}

static json_t *buddyinfo_error(const struct bt_replay_summary *s)
{
	json_t *arr = json_array();
	unsigned int i, z;

	for (i = 0; i < s->nr_snapcmp; i++) {
		const struct bt_replay_snapcmp *c = &s->snapcmp[i];

		for (z = 0; z < s->nr_zones && z < BT_REPLAY_MAX_ZONES; z++) {
			const struct bt_replay_zone_cmp *zc = &c->zone[z];
			json_t *o = json_object();

			bt_an_set(o, "snapshot", json_integer(c->snapshot));
			bt_an_set(o, "zone", json_string(s->zone_name[z]));
			bt_an_set(o, "order", json_integer(zc->worst_order));
			bt_an_set(o, "pages", json_integer(zc->worst_pages));
			bt_an_set(o, "fraction",
				  json_real(zc->worst_ppm / 1e6));
			json_array_append_new(arr, o);
		}
	}
	return arr;
}

json_t *bt_json_mirror(const struct bt_analysis *a)
{
	const struct bt_replay_summary *s = &a->mirror;
	json_t *o = json_object();

	bt_an_set_uint(o, "slowpath", s->run.slowpath);
	bt_an_set_uint(o, "fast", s->run.fast);
	bt_an_set(o, "stages", stages(&s->run));
	bt_an_set_uint(o, "slowpath_evidence", s->evidence.evidenced);
	bt_an_set_uint(o, "slowpath_evidence_agreed", s->evidence.agreed);
	bt_an_set(o, "slowpath_evidence_disagreed",
	    occur_list(&s->evidence.disagreed));
	bt_an_set_uint(o, "fallbacks_checked", s->fallbacks_checked);
	bt_an_set_uint(o, "fallbacks_confirmed", s->fallbacks_confirmed);
	bt_an_set(o, "fallbacks_unconfirmed",
		  occur_list(&s->fallbacks_unconfirmed));
	bt_an_set_uint(o, "failures_predicted", s->failures_predicted);
	bt_an_set(o, "free_map", json_boolean(s->free_map));
	bt_an_set(o, "buddyinfo_error", buddyinfo_error(s));
	bt_an_set(o, "inconsistencies", incons(s));
	bt_an_set_uint(o, "silent_removals", s->silent_removals.count);
	return o;
}

json_t *bt_json_model(const struct bt_analysis *a)
{
	const struct bt_replay_summary *s = &a->model;
	json_t *o = json_object();

	bt_an_set_uint(o, "allocations", s->run.allocations);
	bt_an_set_uint(o, "pages", s->run.pages);
	bt_an_set_uint(o, "fast", s->run.fast);
	bt_an_set(o, "slowpath", stages(&s->run));
	bt_an_set(o, "fallbacks", fallbacks(&s->run.fallbacks));
	bt_an_set_uint(o, "failed", s->run.failed);
	bt_an_set_uint(o, "failures_real_avoided", s->failures_real_avoided);
	bt_an_set_uint(o, "oom_kills", s->run.oom_kills);
	bt_an_set_uint(o, "initial_unmapped_frees", s->initial_unmapped_frees);
	bt_an_set(o, "inconsistencies", incons(s));
	return o;
}

/* ---- diff ---- */

static json_t *triple(uint64_t rec, bool hm, uint64_t mir, bool hd,
		      uint64_t mod)
{
	json_t *o = json_object();

	bt_an_set_uint(o, "recorded", rec);
	bt_an_set(o, "mirror", hm ? bt_an_uint(mir) : NULL);
	bt_an_set(o, "model", hd ? bt_an_uint(mod) : NULL);
	return o;
}

struct div {
	uint64_t ts;
	const char *what;
	const struct bt_replay_occur *oc;
};

static void add_divs(struct div *d, unsigned int *n, unsigned int max,
		     const struct bt_replay_occur_list *l, const char *what)
{
	unsigned int i;

	for (i = 0; i < l->nr && i < BT_REPLAY_MAX_OCCUR && *n < max; i++)
		d[(*n)++] = (struct div){ l->first[i].ts, what, &l->first[i] };
}

static int cmp_div(const void *a, const void *b)
{
	const struct div *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return strcmp(x->what, y->what);
}

static json_t *divergences(const struct bt_analysis *a)
{
	static const char *const mi[BT_INC_COUNT] = {
		"mirror: free of a block it holds free",
		"mirror: allocation of a block it holds taken",
		"mirror: lost events", "mirror: pfn outside every zone" };
	static const char *const mo[BT_INC_COUNT] = {
		"model: free of a block it holds free",
		"model: allocation of a block it holds taken",
		"model: lost events", "model: pfn outside every zone" };
	struct div d[128];
	unsigned int n = 0, i, k;
	json_t *arr = json_array();

	if (a->have_mirror) {
		add_divs(d, &n, 128, &a->mirror.evidence.disagreed,
			 "slow-path evidence, mirror judges fast path");
		add_divs(d, &n, 128, &a->mirror.fallbacks_unconfirmed,
			 "recorded fallback, mirror had a free block");
		for (k = 0; k < BT_INC_COUNT; k++)
			add_divs(d, &n, 128, &a->mirror.incons[k], mi[k]);
	}
	if (a->have_model)
		for (k = 0; k < BT_INC_COUNT; k++)
			add_divs(d, &n, 128, &a->model.incons[k], mo[k]);
	qsort(d, n, sizeof(d[0]), cmp_div);
	for (i = 0; i < n && i < 10; i++) {
		json_t *o = occur(d[i].oc);

		bt_an_set(o, "what", json_string(d[i].what));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *frag_over_time(const struct bt_analysis *a)
{
	json_t *arr = json_array();
	unsigned int s, z;
	const unsigned int k = BT_MIN(a->pageblock_order, BT_AN_ORDERS - 1);

	for (s = 0; s < a->nr_buddy; s++) {
		for (z = 0; z < a->buddy[s].nr; z++) {
			struct bt_frag f;
			json_t *o = json_object();

			bt_frag_compute(a->buddy[s].z[z].nr_free, &f);
			bt_an_set(o, "source", json_string("snapshot"));
			bt_an_set_uint(o, "ts", a->buddy[s].ts);
			bt_an_set(o, "zone",
				  json_string(a->buddy[s].z[z].name));
			bt_an_set_uint(o, "order", k);
			bt_an_set(o, "fragmentation_index",
			    json_integer(f.fragindex[k]));
			json_array_append_new(arr, o);
		}
	}
	return arr;
}

json_t *bt_json_diff(const struct bt_analysis *a)
{
	const struct bt_recorded *r = &a->rec;
	const struct bt_replay_summary *mi = &a->mirror, *mo = &a->model;
	bool hm = a->have_mirror, hd = a->have_model;
	json_t *o = json_object(), *fs = json_object(), *fb = json_object();

	bt_an_set_uint(fs, "evidence_lower_bound", r->evidence);
	bt_an_set(fs, "evidence_exact", json_boolean(r->exact));
	bt_an_set(fs, "mirror_slow", hm ? bt_an_uint(mi->run.slowpath) : NULL);
	bt_an_set(fs, "mirror_fast", hm ? bt_an_uint(mi->run.fast) : NULL);
	bt_an_set(fs, "model_slow", hd ? bt_an_uint(mo->run.slowpath) : NULL);
	bt_an_set(fs, "model_fast", hd ? bt_an_uint(mo->run.fast) : NULL);
	bt_an_set(o, "fast_slow", fs);
	json_t *st = json_object();
	unsigned int k;

	for (k = 0; k < BT_REPLAY_STAGE_COUNT; k++)
		bt_an_set(st, bt_replay_stage_name(k), triple(
			bt_an_stage_evidence(r, k), hm, mi->run.stage[k], hd,
			mo->run.stage[k]));
	bt_an_set(o, "slowpath_stages", st);
	bt_an_set(fb, "total", triple(r->fb_total, hm,
				mi->run.fallbacks.total, hd,
				mo->run.fallbacks.total));
	bt_an_set(fb, "fragmenting", triple(r->fb_fragmenting, hm,
				      mi->run.fallbacks.fragmenting, hd,
				      mo->run.fallbacks.fragmenting));
	bt_an_set(fb, "severe", triple(r->fb_severe, hm,
				 mi->run.fallbacks.severe,
				 hd, mo->run.fallbacks.severe));
	bt_an_set(fb, "moderate", triple(r->fb_moderate, hm,
				   mi->run.fallbacks.moderate, hd,
				   mo->run.fallbacks.moderate));
	bt_an_set(o, "fallbacks", fb);
	bt_an_set(o, "failures", triple(r->failed, hm,
				  mi->failures_predicted, hd,
				  mo->run.failed));
	bt_an_set(o, "oom_kills", triple(r->oom_kills, hm,
				   mi->run.oom_kills, hd,
				   mo->run.oom_kills));
	bt_an_set(o, "direct_reclaims", triple(r->direct_reclaims, hm,
		mi->run.stage[BT_REPLAY_STAGE_DIRECT_RECLAIM], hd,
		mo->run.stage[BT_REPLAY_STAGE_DIRECT_RECLAIM]));
	bt_an_set(o, "direct_compactions", triple(r->direct_compactions, hm,
		mi->run.stage[BT_REPLAY_STAGE_DIRECT_COMPACT], hd,
		mo->run.stage[BT_REPLAY_STAGE_DIRECT_COMPACT]));
	bt_an_set_uint(o, "direct_reclaim_stall_ns", r->direct_stall_ns);
	bt_an_set(o, "fragmentation", frag_over_time(a));
	bt_an_set(o, "first_divergences", divergences(a));
	return o;
}
