// SPDX-License-Identifier: GPL-2.0-only
/*
 * summary.c - a replay summary as JSON (schema_version, stable key order,
 * integers) and as a text table of at most 100 columns, plus the one-line
 * JSON of a --events decision.
 *
 * The JSON layout is what `buddytrace diff` and analyze/ read back; keys
 * are only ever appended (bump BT_REPLAY_SCHEMA_VERSION when one changes
 * meaning).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "replay-internal.h"

void bt_replay_summary_release(struct bt_replay_summary *s)
{
	free(s->snapcmp);
	free(s->samples);
	s->snapcmp = NULL;
	s->samples = NULL;
	s->nr_snapcmp = 0;
	s->nr_samples = 0;
}

static void json_fallbacks(struct bt_jw *w, const char *k,
			   const struct bt_replay_fallbacks *f)
{
	bt_jw_obj_open(w, k);
	bt_jw_u64(w, "total", f->total);
	bt_jw_u64(w, "fragmenting", f->fragmenting);
	bt_jw_u64(w, "severe", f->severe);
	bt_jw_u64(w, "moderate", f->moderate);
	bt_jw_u64(w, "ownership_changed", f->ownership_changed);
	bt_jw_obj_close(w);
}

static void json_occurs(struct bt_jw *w, const char *k,
			const struct bt_replay_occur_list *l)
{
	bt_jw_arr_open(w, k);
	for (unsigned int i = 0; i < l->nr; i++) {
		const struct bt_replay_occur *o = &l->first[i];
		const struct bt_event_desc *d = bt_event_desc(o->event);

		bt_jw_obj_open(w, NULL);
		bt_jw_u64(w, "ts", o->ts);
		bt_jw_str(w, "event", d ? d->name : "?");
		bt_jw_pfn(w, "pfn", o->pfn);
		bt_jw_u64(w, "order", o->order);
		bt_jw_u64(w, "cpu", o->cpu);
		bt_jw_i64(w, "pid", o->pid);
		bt_jw_str(w, "comm", o->comm);
		bt_jw_u64(w, "detail", o->detail);
		bt_jw_obj_close(w);
	}
	bt_jw_arr_close(w);
}

static void json_stages(struct bt_jw *w, const uint64_t *stage)
{
	bt_jw_obj_open(w, "stages");
	for (unsigned int i = 0; i < BT_REPLAY_STAGE_COUNT; i++)
		bt_jw_u64(w, bt_replay_stage_name(i), stage[i]);
	bt_jw_obj_close(w);
}

static void json_recorded(struct bt_jw *w, const struct bt_replay_summary *s)
{
	const struct bt_replay_paths *r = &s->recorded;

	bt_jw_obj_open(w, "recorded");
	bt_jw_u64(w, "allocations", r->allocations);
	bt_jw_u64(w, "pages", r->pages);
	bt_jw_u64(w, "failed", r->failed);
	bt_jw_u64(w, "frees", s->frees);
	bt_jw_u64(w, "freed_pages", s->freed_pages);
	json_fallbacks(w, "fallbacks", &r->fallbacks);
	bt_jw_u64(w, "slowpath_evidence", s->evidence.evidenced);
	bt_jw_u64(w, "direct_compactions", r->stage[BT_REPLAY_STAGE_DIRECT_COMPACT]);
	bt_jw_u64(w, "direct_reclaims", r->stage[BT_REPLAY_STAGE_DIRECT_RECLAIM]);
	bt_jw_u64(w, "oom_kills", r->oom_kills);
	bt_jw_u64(w, "reclaim_frees", s->reclaim_frees);
	bt_jw_u64(w, "oom_victim_frees", s->oom_victim_frees);
	bt_jw_u64(w, "pcp_refills", s->pcp_refills);
	bt_jw_u64(w, "pcp_drains", s->pcp_drains);
	bt_jw_obj_close(w);
}

static void json_run_counts(struct bt_jw *w, const struct bt_replay_paths *p)
{
	bt_jw_u64(w, "allocations", p->allocations);
	bt_jw_u64(w, "pages", p->pages);
	bt_jw_u64(w, "fast", p->fast);
	bt_jw_u64(w, "slowpath", p->slowpath);
	json_stages(w, p->stage);
	json_fallbacks(w, "fallbacks", &p->fallbacks);
	bt_jw_u64(w, "failed", p->failed);
	bt_jw_u64(w, "oom_kills", p->oom_kills);
}

static void json_buddyinfo_error(struct bt_jw *w,
				 const struct bt_replay_summary *s)
{
	bt_jw_arr_open(w, "buddyinfo_error");
	for (unsigned int i = 0; i < s->nr_snapcmp; i++) {
		for (unsigned int z = 0; z < s->nr_zones; z++) {
			const struct bt_replay_zone_cmp *c =
				&s->snapcmp[i].zone[z];

			bt_jw_obj_open(w, NULL);
			bt_jw_u64(w, "snapshot", s->snapcmp[i].snapshot);
			bt_jw_str(w, "zone", s->zone_name[z]);
			bt_jw_u64(w, "order", c->worst_order);
			bt_jw_i64(w, "pages", c->worst_pages);
			bt_jw_ppm(w, "fraction", c->worst_ppm);
			bt_jw_obj_close(w);
		}
	}
	bt_jw_arr_close(w);
}

static void json_mirror(struct bt_jw *w, const struct bt_replay_summary *s)
{
	bt_jw_obj_open(w, "mirror");
	json_run_counts(w, &s->run);
	bt_jw_u64(w, "slowpath_evidence", s->evidence.evidenced);
	bt_jw_u64(w, "slowpath_evidence_agreed", s->evidence.agreed);
	bt_jw_u64(w, "early_verdicts", s->early_verdicts);
	json_occurs(w, "slowpath_disagreed", &s->evidence.disagreed);
	bt_jw_u64(w, "fallbacks_checked", s->fallbacks_checked);
	bt_jw_u64(w, "fallbacks_confirmed", s->fallbacks_confirmed);
	bt_jw_u64(w, "fallbacks_confirmed_retro", s->fallbacks_confirmed_retro);
	bt_jw_u64(w, "fallbacks_confirmed_inflight",
		  s->fallbacks_confirmed_inflight);
	bt_jw_u64(w, "fallbacks_confirmed_trace",
		  s->fallbacks_confirmed_trace);
	json_occurs(w, "fallbacks_unconfirmed", &s->fallbacks_unconfirmed);
	bt_jw_u64(w, "failures_predicted", s->failures_predicted);
	bt_jw_u64(w, "initial_frees", s->initial_frees);
	bt_jw_u64(w, "initial_pcp_allocs", s->initial_pcp_allocs);
	bt_jw_u64(w, "initial_pcp_drains", s->initial_pcp_drains);
	bt_jw_u64(w, "partial_frees", s->partial_frees);
	bt_jw_u64(w, "untraced_window_frees", s->untraced_window_frees);
	bt_jw_u64(w, "premap_events", s->premap_events);
	bt_jw_u64(w, "isolated_pages", s->isolated_pages);
	bt_jw_u64(w, "isolated_extra_pages", s->isolated_extra_pages);
	json_buddyinfo_error(w, s);
	bt_jw_obj_close(w);
}

static void json_model(struct bt_jw *w, const struct bt_replay_summary *s)
{
	bt_jw_obj_open(w, "model");
	json_run_counts(w, &s->run);
	bt_jw_u64(w, "failures_real_avoided", s->failures_real_avoided);
	bt_jw_u64(w, "reclaimed_pages", s->reclaimed_pages);
	bt_jw_u64(w, "reclaimed_early_frees", s->reclaimed_early_frees);
	bt_jw_u64(w, "initial_frees", s->initial_frees);
	bt_jw_u64(w, "initial_unmapped_frees", s->initial_unmapped_frees);
	bt_jw_u64(w, "partial_frees", s->partial_frees);
	bt_jw_u64(w, "untraced_window_frees", s->untraced_window_frees);
	bt_jw_u64(w, "premap_events", s->premap_events);
	bt_jw_u64(w, "isolated_pages", s->isolated_pages);
	bt_jw_obj_close(w);
}

static void json_incons(struct bt_jw *w, const struct bt_replay_summary *s)
{
	bt_jw_obj_open(w, "inconsistencies");
	bt_jw_u64(w, "total", s->inconsistencies);
	for (unsigned int k = 0; k < BT_INC_COUNT; k++) {
		bt_jw_obj_open(w, bt_replay_incons_name(k));
		bt_jw_u64(w, "count", s->incons[k].count);
		json_occurs(w, "first", &s->incons[k]);
		bt_jw_obj_close(w);
	}
	bt_jw_obj_close(w);
	bt_jw_obj_open(w, "silent_removals");
	bt_jw_u64(w, "count", s->silent_removals.count);
	json_occurs(w, "first", &s->silent_removals);
	bt_jw_obj_close(w);
	bt_jw_u64(w, "lost_events", s->lost_events);
}

static void json_snapshots(struct bt_jw *w, const struct bt_replay_summary *s)
{
	bt_jw_arr_open(w, "snapshots");
	for (unsigned int i = 0; i < s->nr_snapcmp; i++) {
		const struct bt_replay_snapcmp *c = &s->snapcmp[i];

		bt_jw_obj_open(w, NULL);
		bt_jw_u64(w, "snapshot", c->snapshot);
		bt_jw_u64(w, "ts", c->ts);
		bt_jw_arr_open(w, "zones");
		for (unsigned int z = 0; z < s->nr_zones; z++) {
			bt_jw_obj_open(w, NULL);
			bt_jw_str(w, "zone", s->zone_name[z]);
			bt_jw_u64(w, "free_pages", c->zone[z].snap_free_pages);
			bt_jw_arr_open(w, "diff_pages");
			for (unsigned int o = 0; o < BT_REPLAY_NR_ORDERS; o++)
				bt_jw_i64(w, NULL, c->zone[z].diff_pages[o]);
			bt_jw_arr_close(w);
			bt_jw_obj_close(w);
		}
		bt_jw_arr_close(w);
		bt_jw_obj_close(w);
	}
	bt_jw_arr_close(w);
}

static void json_samples(struct bt_jw *w, const struct bt_replay_summary *s)
{
	bt_jw_arr_open(w, "samples");
	for (unsigned int i = 0; i < s->nr_samples; i++) {
		const struct bt_replay_sample *p = &s->samples[i];

		bt_jw_obj_open(w, NULL);
		bt_jw_u64(w, "ts", p->ts);
		bt_jw_u64(w, "fast", p->fast);
		bt_jw_u64(w, "slowpath", p->slowpath);
		bt_jw_u64(w, "fallbacks", p->fallbacks);
		bt_jw_u64(w, "failed", p->failed);
		bt_jw_arr_open(w, "zones");
		for (unsigned int z = 0; z < s->nr_zones; z++) {
			bt_jw_obj_open(w, NULL);
			bt_jw_str(w, "zone", s->zone_name[z]);
			bt_jw_arr_open(w, "free");
			for (unsigned int o = 0; o < BT_REPLAY_NR_ORDERS; o++)
				bt_jw_u64(w, NULL, p->free[z][o]);
			bt_jw_arr_close(w);
			bt_jw_arr_open(w, "frag_index");
			for (unsigned int o = 0; o < BT_REPLAY_NR_ORDERS; o++)
				bt_jw_i64(w, NULL, p->frag_index[z][o]);
			bt_jw_arr_close(w);
			bt_jw_obj_close(w);
		}
		bt_jw_arr_close(w);
		bt_jw_obj_close(w);
	}
	bt_jw_arr_close(w);
}

static void json_head(struct bt_jw *w, const struct bt_replay_summary *s)
{
	bt_jw_u64(w, "schema_version", BT_REPLAY_SCHEMA_VERSION);
	bt_jw_str(w, "mode", bt_replay_mode_name(s->mode));
	bt_jw_str(w, "profile", bt_replay_profile_name(s->profile));
	bt_jw_obj_open(w, "knobs");
	for (unsigned int k = 0; k < BT_KNOB_COUNT; k++)
		if (s->knobs.set[k])
			bt_jw_i64(w, bt_replay_knob_name(k), s->knobs.value[k]);
	bt_jw_obj_close(w);
	bt_jw_arr_open(w, "zones");
	for (unsigned int z = 0; z < s->nr_zones; z++) {
		bt_jw_obj_open(w, NULL);
		bt_jw_str(w, "name", s->zone_name[z]);
		bt_jw_u64(w, "start_pfn", s->zone_start_pfn[z]);
		bt_jw_u64(w, "spanned", s->zone_spanned[z]);
		bt_jw_obj_close(w);
	}
	bt_jw_arr_close(w);
	bt_jw_bool(w, "free_map", s->free_map);
	bt_jw_u64(w, "events", s->events);
	bt_jw_u64(w, "events_in_window", s->events_in_window);
	bt_jw_u64(w, "first_ts", s->first_ts);
	bt_jw_u64(w, "last_ts", s->last_ts);
}

int bt_replay_summary_json(const struct bt_replay_summary *s,
			   struct bt_buf *out)
{
	struct bt_jw w;

	bt_jw_init(&w, out);
	bt_jw_obj_open(&w, NULL);
	json_head(&w, s);
	json_recorded(&w, s);
	if (s->mode == BT_REPLAY_MIRROR)
		json_mirror(&w, s);
	else
		json_model(&w, s);
	json_incons(&w, s);
	json_snapshots(&w, s);
	json_samples(&w, s);
	bt_jw_obj_close(&w);
	if (!w.err && bt_buf_append(out, "\n", 1))
		w.err = -ENOMEM;
	return w.err;
}

int bt_replay_decision_json(const struct bt_replay_decision *d,
			    struct bt_buf *out)
{
	const struct bt_event_desc *desc = bt_event_desc(d->event);
	struct bt_jw w;

	bt_jw_init(&w, out);
	bt_jw_obj_open(&w, NULL);
	bt_jw_u64(&w, "ts", d->ts);
	bt_jw_str(&w, "event", desc ? desc->name : "?");
	bt_jw_u64(&w, "cpu", d->cpu);
	bt_jw_i64(&w, "pid", d->pid);
	bt_jw_pfn(&w, "pfn", d->pfn);
	bt_jw_u64(&w, "order", d->order);
	bt_jw_i64(&w, "zone", d->zone);
	bt_jw_str(&w, "verdict", bt_replay_verdict_name(d->verdict));
	bt_jw_arr_open(&w, "stages");
	for (unsigned int i = 0; i < BT_REPLAY_STAGE_COUNT; i++)
		if (d->stages & (1u << i))
			bt_jw_str(&w, NULL, bt_replay_stage_name(i));
	bt_jw_arr_close(&w);
	bt_jw_arr_open(&w, "fallback");
	if (d->fallback & BT_REPLAY_FB_FRAGMENTING)
		bt_jw_str(&w, NULL, "fragmenting");
	if (d->fallback & BT_REPLAY_FB_SEVERE)
		bt_jw_str(&w, NULL, "severe");
	if (d->fallback & BT_REPLAY_FB_MODERATE)
		bt_jw_str(&w, NULL, "moderate");
	if (d->fallback & BT_REPLAY_FB_OWNERSHIP)
		bt_jw_str(&w, NULL, "ownership_changed");
	if (d->fallback == BT_REPLAY_FB_ANY)
		bt_jw_str(&w, NULL, "non_fragmenting");
	bt_jw_arr_close(&w);
	bt_jw_pfn(&w, "model_pfn", d->model_pfn);
	bt_jw_obj_close(&w);
	return w.err;
}
