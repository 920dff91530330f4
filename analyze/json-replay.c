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

static json_t *jint(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static void set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static void seti(json_t *o, const char *k, uint64_t v)
{
	set(o, k, jint(v));
}

static json_t *stages(const struct bt_replay_paths *p)
{
	json_t *o = json_object();
	unsigned int s;

	seti(o, "total", p->slowpath);
	for (s = 0; s < BT_REPLAY_STAGE_COUNT; s++)
		seti(o, bt_replay_stage_name(s), p->stage[s]);
	return o;
}

static json_t *fallbacks(const struct bt_replay_fallbacks *f)
{
	json_t *o = json_object();

	seti(o, "total", f->total);
	seti(o, "fragmenting", f->fragmenting);
	seti(o, "severe", f->severe);
	seti(o, "moderate", f->moderate);
	seti(o, "ownership_changed", f->ownership_changed);
	return o;
}

static json_t *occur(const struct bt_replay_occur *oc)
{
	json_t *o = json_object();
	const struct bt_event_desc *d = bt_event_desc(oc->event);

	seti(o, "ts", oc->ts);
	set(o, "event", json_string(d ? d->name : "unknown"));
	seti(o, "cpu", oc->cpu);
	set(o, "pid", json_integer(oc->pid));
	set(o, "comm", json_string(oc->comm));
	seti(o, "order", oc->order);
	set(o, "pfn", oc->pfn >= BT_PFN_UNKNOWN ? NULL : jint(oc->pfn));
	seti(o, "detail", oc->detail);
	return o;
}

static json_t *occur_list(const struct bt_replay_occur_list *l)
{
	json_t *o = json_object(), *arr = json_array();
	unsigned int i;

	seti(o, "count", l->count);
	for (i = 0; i < l->nr && i < BT_REPLAY_MAX_OCCUR; i++)
		json_array_append_new(arr, occur(&l->first[i]));
	set(o, "first", arr);
	return o;
}

static json_t *incons(const struct bt_replay_summary *s)
{
	json_t *o = json_object();
	unsigned int k;

	seti(o, "total", s->inconsistencies);
	for (k = 0; k < BT_INC_COUNT; k++)
		set(o, bt_replay_incons_name(k), occur_list(&s->incons[k]));
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

			set(o, "snapshot", json_integer(c->snapshot));
			set(o, "zone", json_string(s->zone_name[z]));
			set(o, "order", json_integer(zc->worst_order));
			set(o, "pages", json_integer(zc->worst_pages));
			set(o, "fraction", json_real(zc->worst_ppm / 1e6));
			json_array_append_new(arr, o);
		}
	}
	return arr;
}

json_t *bt_json_mirror(const struct bt_analysis *a)
{
	const struct bt_replay_summary *s = &a->mirror;
	json_t *o = json_object();

	seti(o, "slowpath", s->run.slowpath);
	seti(o, "fast", s->run.fast);
	set(o, "stages", stages(&s->run));
	seti(o, "slowpath_evidence", s->evidence.evidenced);
	seti(o, "slowpath_evidence_agreed", s->evidence.agreed);
	set(o, "slowpath_evidence_disagreed",
	    occur_list(&s->evidence.disagreed));
	seti(o, "fallbacks_checked", s->fallbacks_checked);
	seti(o, "fallbacks_confirmed", s->fallbacks_confirmed);
	set(o, "fallbacks_unconfirmed", occur_list(&s->fallbacks_unconfirmed));
	seti(o, "failures_predicted", s->failures_predicted);
	set(o, "free_map", json_boolean(s->free_map));
	set(o, "buddyinfo_error", buddyinfo_error(s));
	set(o, "inconsistencies", incons(s));
	seti(o, "silent_removals", s->silent_removals.count);
	return o;
}

json_t *bt_json_model(const struct bt_analysis *a)
{
	const struct bt_replay_summary *s = &a->model;
	json_t *o = json_object();

	seti(o, "allocations", s->run.allocations);
	seti(o, "pages", s->run.pages);
	seti(o, "fast", s->run.fast);
	set(o, "slowpath", stages(&s->run));
	set(o, "fallbacks", fallbacks(&s->run.fallbacks));
	seti(o, "failed", s->run.failed);
	seti(o, "failures_real_avoided", s->failures_real_avoided);
	seti(o, "oom_kills", s->run.oom_kills);
	seti(o, "initial_unmapped_frees", s->initial_unmapped_frees);
	set(o, "inconsistencies", incons(s));
	return o;
}

/* ---- diff ---- */

static json_t *triple(uint64_t rec, bool hm, uint64_t mir, bool hd,
		      uint64_t mod)
{
	json_t *o = json_object();

	seti(o, "recorded", rec);
	set(o, "mirror", hm ? jint(mir) : NULL);
	set(o, "model", hd ? jint(mod) : NULL);
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

		set(o, "what", json_string(d[i].what));
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
			set(o, "source", json_string("snapshot"));
			seti(o, "ts", a->buddy[s].ts);
			set(o, "zone", json_string(a->buddy[s].z[z].name));
			seti(o, "order", k);
			set(o, "fragmentation_index",
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

	seti(fs, "evidence_lower_bound", r->evidence);
	set(fs, "evidence_exact", json_boolean(r->exact));
	set(fs, "mirror_slow", hm ? jint(mi->run.slowpath) : NULL);
	set(fs, "mirror_fast", hm ? jint(mi->run.fast) : NULL);
	set(fs, "model_slow", hd ? jint(mo->run.slowpath) : NULL);
	set(fs, "model_fast", hd ? jint(mo->run.fast) : NULL);
	set(o, "fast_slow", fs);
	json_t *st = json_object();
	unsigned int k;

	for (k = 0; k < BT_REPLAY_STAGE_COUNT; k++)
		set(st, bt_replay_stage_name(k), triple(
			bt_an_stage_evidence(r, k), hm, mi->run.stage[k], hd,
			mo->run.stage[k]));
	set(o, "slowpath_stages", st);
	set(fb, "total", triple(r->fb_total, hm, mi->run.fallbacks.total, hd,
				mo->run.fallbacks.total));
	set(fb, "fragmenting", triple(r->fb_fragmenting, hm,
				      mi->run.fallbacks.fragmenting, hd,
				      mo->run.fallbacks.fragmenting));
	set(fb, "severe", triple(r->fb_severe, hm, mi->run.fallbacks.severe,
				 hd, mo->run.fallbacks.severe));
	set(fb, "moderate", triple(r->fb_moderate, hm,
				   mi->run.fallbacks.moderate, hd,
				   mo->run.fallbacks.moderate));
	set(o, "fallbacks", fb);
	set(o, "failures", triple(r->failed, hm, mi->failures_predicted, hd,
				  mo->run.failed));
	set(o, "oom_kills", triple(r->oom_kills, hm, mi->run.oom_kills, hd,
				   mo->run.oom_kills));
	set(o, "direct_reclaims", triple(r->direct_reclaims, hm,
		mi->run.stage[BT_REPLAY_STAGE_DIRECT_RECLAIM], hd,
		mo->run.stage[BT_REPLAY_STAGE_DIRECT_RECLAIM]));
	set(o, "direct_compactions", triple(r->direct_compactions, hm,
		mi->run.stage[BT_REPLAY_STAGE_DIRECT_COMPACT], hd,
		mo->run.stage[BT_REPLAY_STAGE_DIRECT_COMPACT]));
	seti(o, "direct_reclaim_stall_ns", r->direct_stall_ns);
	set(o, "fragmentation", frag_over_time(a));
	set(o, "first_divergences", divergences(a));
	return o;
}
