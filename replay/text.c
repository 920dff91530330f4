// SPDX-License-Identifier: GPL-2.0-only
/*
 * text.c - a replay summary as a terminal table (at most 100 columns):
 * recorded versus replayed counts side by side, then the mirror's checks
 * or the model's extras, the inconsistencies with their first
 * occurrences, and the largest buddyinfo error of each snapshot.
 */
#include <inttypes.h>

#include "replay-internal.h"

#define ROW "  %-28s %16" PRIu64 " %16" PRIu64 "\n"

static void fallbacks_rows(struct bt_buf *b, const struct bt_replay_summary *s)
{
	const struct bt_replay_fallbacks *r = &s->recorded.fallbacks;
	const struct bt_replay_fallbacks *m = &s->run.fallbacks;

	bt_buf_printf(b, ROW, "fallbacks", r->total, m->total);
	bt_buf_printf(b, ROW, "  fragmenting", r->fragmenting, m->fragmenting);
	bt_buf_printf(b, ROW, "  severe (order <= 3)", r->severe, m->severe);
	bt_buf_printf(b, ROW, "  moderate", r->moderate, m->moderate);
	bt_buf_printf(b, ROW, "  ownership changed", r->ownership_changed,
		      m->ownership_changed);
}

static void paths_rows(struct bt_buf *b, const struct bt_replay_summary *s)
{
	const struct bt_replay_paths *r = &s->recorded, *m = &s->run;

	bt_buf_printf(b, "  %-28s %16s %16s\n", "", "recorded",
		      s->mode == BT_REPLAY_MIRROR ? "mirror" : "model");
	bt_buf_printf(b, ROW, "allocations", r->allocations, m->allocations);
	bt_buf_printf(b, ROW, "pages", r->pages, m->pages);
	bt_buf_printf(b, "  %-28s %16s %16" PRIu64 "\n", "fast path",
		      "(not traced)", m->fast);
	bt_buf_printf(b, ROW, "slow path (evidence)", s->evidence.evidenced,
		      m->slowpath);
	for (unsigned int i = 0; i < BT_REPLAY_STAGE_COUNT; i++) {
		char name[40];

		snprintf(name, sizeof(name), "  %s", bt_replay_stage_name(i));
		bt_buf_printf(b, ROW, name, r->stage[i], m->stage[i]);
	}
	bt_buf_printf(b, ROW, "failed", r->failed, m->failed);
	bt_buf_printf(b, ROW, "oom kills", r->oom_kills, m->oom_kills);
	fallbacks_rows(b, s);
}

static void occur_rows(struct bt_buf *b, const struct bt_replay_occur_list *l)
{
	for (unsigned int i = 0; i < l->nr; i++) {
		const struct bt_replay_occur *o = &l->first[i];
		const struct bt_event_desc *d = bt_event_desc(o->event);

		bt_buf_printf(b, "      ts %" PRIu64 " %s pfn %" PRIu64
			      " order %u cpu %u pid %d %.15s\n", o->ts,
			      d ? d->name : "?", o->pfn, o->order, o->cpu,
			      o->pid, o->comm);
	}
}

static void mirror_rows(struct bt_buf *b, const struct bt_replay_summary *s)
{
	bt_buf_printf(b, "mirror checks\n");
	bt_buf_printf(b, "  slow-path evidence agreed      %" PRIu64 " of %"
		      PRIu64 "\n", s->evidence.agreed, s->evidence.evidenced);
	occur_rows(b, &s->evidence.disagreed);
	bt_buf_printf(b, "    judged at the first slow-path event  %" PRIu64
		      "\n", s->early_verdicts);
	bt_buf_printf(b, "  fallbacks confirmed            %" PRIu64 " of %"
		      PRIu64 "\n", s->fallbacks_confirmed,
		      s->fallbacks_checked);
	occur_rows(b, &s->fallbacks_unconfirmed);
	bt_buf_printf(b, "    confirmed once their blocks were seen taken  %"
		      PRIu64 "\n", s->fallbacks_confirmed_retro);
	bt_buf_printf(b, "    confirmed as their blocks' frees were in flight  %"
		      PRIu64 "\n", s->fallbacks_confirmed_inflight);
	bt_buf_printf(b, "  failures predicted             %" PRIu64 " of %"
		      PRIu64 "\n", s->failures_predicted, s->recorded.failed);
	bt_buf_printf(b, "  initial frees / pcp allocs / pcp drains  %" PRIu64
		      " / %" PRIu64 " / %" PRIu64 "\n", s->initial_frees,
		      s->initial_pcp_allocs, s->initial_pcp_drains);
	bt_buf_printf(b, "  frees of pages allocated before the trace began "
		      "(after the map)  %" PRIu64 "\n", s->untraced_window_frees);
	if (s->premap_events)
		bt_buf_printf(b, "  events the free-page map already showed "
			      "(not applied)  %" PRIu64 "\n", s->premap_events);
	for (unsigned int i = 0; i < s->nr_snapcmp; i++) {
		const struct bt_replay_snapcmp *c = &s->snapcmp[i];

		for (unsigned int z = 0; z < s->nr_zones; z++) {
			const struct bt_replay_zone_cmp *zc = &c->zone[z];

			bt_buf_printf(b, "  snapshot %-3u %-8s worst order %2u"
				      " %+10" PRId64 " pages (%u.%04u%%)\n",
				      c->snapshot, s->zone_name[z],
				      zc->worst_order, zc->worst_pages,
				      zc->worst_ppm / 10000,
				      zc->worst_ppm % 10000);
		}
	}
}

int bt_replay_summary_text(const struct bt_replay_summary *s,
			   struct bt_buf *b)
{
	size_t start = b->len;

	bt_buf_printf(b, "replay (%s, profile %s): %" PRIu64 " events, %"
		      PRIu64 " in window\n", bt_replay_mode_name(s->mode),
		      bt_replay_profile_name(s->profile), s->events,
		      s->events_in_window);
	for (unsigned int k = 0; k < BT_KNOB_COUNT; k++)
		if (s->knobs.set[k])
			bt_buf_printf(b, "  knob %s=%" PRId64 "\n",
				      bt_replay_knob_name(k), s->knobs.value[k]);
	paths_rows(b, s);
	bt_buf_printf(b, ROW, "frees", s->frees, s->frees);
	if (s->mode == BT_REPLAY_MIRROR)
		mirror_rows(b, s);
	else
		bt_buf_printf(b, "model: failures the real system avoided %"
			      PRIu64 ", frees of blocks it never placed %"
			      PRIu64 "\n",
			      s->failures_real_avoided,
			      s->initial_unmapped_frees);
	bt_buf_printf(b, "inconsistencies %" PRIu64 " (lost events %" PRIu64
		      "), silent removals %" PRIu64 "\n", s->inconsistencies,
		      s->lost_events, s->silent_removals.count);
	for (unsigned int k = 0; k < BT_INC_COUNT; k++) {
		if (!s->incons[k].count)
			continue;
		bt_buf_printf(b, "  %-28s %16" PRIu64 "\n",
			      bt_replay_incons_name(k), s->incons[k].count);
		occur_rows(b, &s->incons[k]);
	}
	return b->len > start ? 0 : -1;
}
