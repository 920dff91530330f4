// SPDX-License-Identifier: GPL-2.0-only
/*
 * report-text.c - the analysis as a terminal table that fits 100 columns.
 *
 * Sections follow the JSON document: the recorded view, the vmstat
 * cross-check, recorded/mirror/model side by side, fragmentation at each
 * snapshot, attribution, and the first divergences. Long explanations are
 * wrapped under their row rather than widening the table.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "analyze-internal.h"

#define WIDTH 100

static void rule(FILE *f, const char *title)
{
	fprintf(f, "\n%s\n", title);
}

/* Print @s wrapped to WIDTH, each line starting with @indent spaces. */
static void wrap(FILE *f, unsigned int indent, const char *s)
{
	size_t len = strlen(s), room = WIDTH - indent;

	while (len) {
		size_t n = len;

		if (n > room) {
			n = room;
			while (n > 0 && s[n] != ' ')
				n--;
			if (n == 0)
				n = room;
		}
		fprintf(f, "%*s%.*s\n", (int)indent, "", (int)n, s);
		s += n;
		len -= n;
		while (len && *s == ' ') {
			s++;
			len--;
		}
	}
}

static void header(const struct bt_analysis *a, FILE *f)
{
	const struct bt_recorded *r = &a->rec;
	unsigned int i;

	fprintf(f, "buddytrace analyze: %s\n", a->path);
	fprintf(f, "  kernel %s, %" PRIu64 " events, %" PRIu64
		" lost, %.3f s, pageblock order %u\n", a->kernel, r->events,
		r->lost_events,
		bt_an_sec(a->trace_last_ts - a->trace_first_ts),
		a->pageblock_order);
	if (a->window[0])
		fprintf(f, "  window %s: %" PRIu64 " events, %.6f .. %.6f s\n",
			a->window, r->window_events,
			bt_an_sec(r->first_ts - BT_MIN(r->first_ts,
						       a->trace_first_ts)),
			bt_an_sec(r->last_ts - BT_MIN(r->last_ts,
						      a->trace_first_ts)));
	for (i = 0; i < a->nr_notes; i++) {
		char line[260];

		snprintf(line, sizeof(line), "note: %s", a->notes[i]);
		wrap(f, 2, line);
	}
}

static void orders(FILE *f, const char *label, const uint64_t *v)
{
	unsigned int o;

	fprintf(f, "  %-12s", label);
	for (o = 0; o < BT_AN_ORDER_SLOTS; o++)
		fprintf(f, " %6" PRIu64, v[o]);
	fputc('\n', f);
}

static void recorded(const struct bt_analysis *a, FILE *f)
{
	const struct bt_recorded *r = &a->rec;
	unsigned int o;

	rule(f, "RECORDED (from the trace alone)");
	fprintf(f, "  %-18s %12" PRIu64 "   pages %12" PRIu64
		"   failed %" PRIu64 "\n", "allocations", r->allocs, r->pages,
		r->failed);
	fprintf(f, "  %-18s %12" PRIu64 "   pages %12" PRIu64
		"   of untraced allocations %" PRIu64 "\n", "frees", r->frees,
		r->free_pages, r->frees_pretrace);
	fprintf(f, "  %-12s", "  order");
	for (o = 0; o < BT_AN_ORDERS; o++)
		fprintf(f, " %6u", o);
	fprintf(f, "    >10\n");
	orders(f, "  allocs", r->alloc_by_order);
	orders(f, "  failed", r->failed_by_order);
	orders(f, "  frees", r->free_by_order);
	fprintf(f, "  %-18s %12" PRIu64 "   fragmenting %" PRIu64
		" (severe %" PRIu64 ", moderate %" PRIu64
		")   ownership changed %" PRIu64 "\n", "fallbacks", r->fb_total,
		r->fb_fragmenting, r->fb_severe, r->fb_moderate, r->fb_owner);
	fprintf(f, "  %-18s refills %" PRIu64 " (%" PRIu64
		" pages)   drains %" PRIu64 " (%" PRIu64 " pages)\n",
		"per-CPU lists", r->pcp_refills, r->pcp_refill_pages,
		r->pcp_drains, r->pcp_drain_pages);
	fprintf(f, "  %-18s %12" PRIu64 "   allocations (%s)\n",
		"slow-path evidence", r->evidence, r->exact ?
		"exact: slow-path probes recorded" :
		"a lower bound: most slow paths leave no event");
	fprintf(f, "  %-18s direct %" PRIu64 " (success %" PRIu64
		", fail %" PRIu64 ")   background %" PRIu64
		"   deferred %" PRIu64 "\n", "compaction",
		r->direct_compactions, r->direct_compact_success,
		r->direct_compact_fail, r->kcompactd_compactions,
		r->compaction_deferred);
	fprintf(f, "  %-18s direct %" PRIu64 " (%" PRIu64
		" pages, stall %.3f ms, max %.3f ms)   kswapd wakes %" PRIu64
		"\n", "reclaim", r->direct_reclaims, r->direct_reclaim_pages,
		r->direct_stall_ns / 1e6, r->direct_stall_max_ns / 1e6,
		r->kswapd_wakes);
	fprintf(f, "  %-18s %12" PRIu64 "\n", "OOM kills", r->oom_kills);
	for (o = 0; o < r->nr_victims; o++)
		fprintf(f, "    victim pid %d (%s) at %.6f s\n",
			r->victims[o].pid, r->victims[o].comm,
			bt_an_sec(r->victims[o].ts -
				  BT_MIN(r->victims[o].ts, a->trace_first_ts)));
}

static void vmcheck(const struct bt_analysis *a, FILE *f)
{
	unsigned int i;

	rule(f, "VMSTAT CROSS-CHECK (events between the first and last "
		"vmstat snapshot)");
	if (!a->vm.done) {
		fprintf(f, "  %s\n", a->vm.note);
		return;
	}
	fprintf(f, "  %-16s %14s %14s %12s %12s  %s\n", "counter", "trace",
		"vmstat", "diff", "tolerance", "ok");
	for (i = 0; i < BT_VM_ROWS; i++) {
		const struct bt_vm_check_row *r = &a->vm.rows[i];

		if (!r->have_vmstat) {
			fprintf(f, "  %-16s %14" PRIu64 " %14s\n", r->name,
				r->trace, "-");
			continue;
		}
		fprintf(f, "  %-16s %14" PRIu64 " %14" PRIu64 " %12" PRId64
			" %12" PRIu64 "  %s\n", r->name, r->trace, r->vmstat,
			r->diff, r->abs_tol, r->within ? "yes" : "NO");
		if (r->diff)
			wrap(f, 6, r->explanation);
	}
}

/* One row of three columns; @rec UINT64_MAX prints "-" (not traced). */
static void col3(FILE *f, const char *label, uint64_t rec, bool hm,
		 uint64_t mir, bool hd, uint64_t mod)
{
	char r[24] = "-", m[24] = "-", d[24] = "-";

	if (rec != UINT64_MAX)
		snprintf(r, sizeof(r), "%" PRIu64, rec);
	if (hm)
		snprintf(m, sizeof(m), "%" PRIu64, mir);
	if (hd)
		snprintf(d, sizeof(d), "%" PRIu64, mod);
	fprintf(f, "  %-28s %16s %16s %16s\n", label, r, m, d);
}

static void sidebyside(const struct bt_analysis *a, FILE *f)
{
	const struct bt_recorded *r = &a->rec;
	const struct bt_replay_paths *mi = &a->mirror.run, *mo = &a->model.run;
	bool hm = a->have_mirror, hd = a->have_model;
	unsigned int s;

	rule(f, "RECORDED / MIRROR / MODEL");
	fprintf(f, "  %-28s %16s %16s %16s\n", "", "recorded", "mirror",
		"model");
	col3(f, "slow-path entries (*)", r->evidence, hm, mi->slowpath, hd,
	     mo->slowpath);
	col3(f, "fast-path hits (untraced)", UINT64_MAX, hm, mi->fast, hd,
	     mo->fast);
	for (s = 0; s < BT_REPLAY_STAGE_COUNT; s++) {
		char label[40];

		snprintf(label, sizeof(label), "  %s", bt_replay_stage_name(s));
		col3(f, label, bt_an_stage_evidence(r, s), hm, mi->stage[s],
		     hd, mo->stage[s]);
	}
	col3(f, "fallbacks", r->fb_total, hm, mi->fallbacks.total, hd,
	     mo->fallbacks.total);
	col3(f, "  fragmenting", r->fb_fragmenting, hm,
	     mi->fallbacks.fragmenting, hd, mo->fallbacks.fragmenting);
	col3(f, "  severe", r->fb_severe, hm, mi->fallbacks.severe, hd,
	     mo->fallbacks.severe);
	col3(f, "  moderate", r->fb_moderate, hm, mi->fallbacks.moderate, hd,
	     mo->fallbacks.moderate);
	col3(f, "failures", r->failed, hm, a->mirror.failures_predicted, hd,
	     mo->failed);
	col3(f, "OOM kills", r->oom_kills, hm, mi->oom_kills, hd,
	     mo->oom_kills);
	fprintf(f, "  (*) recorded: allocations with slow-path evidence (%s),\n"
		"      by the stage the evidence names; an allocation can name "
		"several\n", r->exact ? "exact" : "a lower bound");
	if (hm)
		fprintf(f, "  mirror: %" PRIu64 " of %" PRIu64
			" evidenced allocations judged slow; %" PRIu64
			" of %" PRIu64 " fallbacks confirmed\n",
			a->mirror.evidence.agreed,
			a->mirror.evidence.evidenced,
			a->mirror.fallbacks_confirmed,
			a->mirror.fallbacks_checked);
}

static void buddyinfo_error(const struct bt_analysis *a, FILE *f)
{
	const struct bt_replay_summary *m = &a->mirror;
	unsigned int i, z;

	if (!a->have_mirror || !m->nr_snapcmp)
		return;
	rule(f, "MIRROR VERSUS SNAPSHOTS (order with the largest buddyinfo "
		"error per zone)");
	fprintf(f, "  %8s %-8s %6s %14s %14s %10s\n", "snapshot", "zone",
		"order", "pages", "zone free", "fraction");
	for (i = 0; i < m->nr_snapcmp; i++)
		for (z = 0; z < m->nr_zones && z < BT_REPLAY_MAX_ZONES; z++) {
			const struct bt_replay_zone_cmp *c =
				&m->snapcmp[i].zone[z];

			fprintf(f, "  %8u %-8s %6u %14" PRId64 " %14" PRIu64
				" %9.4f%%\n", m->snapcmp[i].snapshot,
				m->zone_name[z], c->worst_order,
				c->worst_pages, c->snap_free_pages,
				c->worst_ppm / 1e4);
		}
}

static void fragmentation(const struct bt_analysis *a, FILE *f)
{
	unsigned int s, z, k = BT_MIN(a->pageblock_order, BT_AN_ORDERS - 1);

	if (!a->nr_buddy)
		return;
	rule(f, "FRAGMENTATION AT EACH SNAPSHOT (kernel formulas, per mille)");
	fprintf(f, "  %-10s %-8s %12s %14s %14s %12s\n", "time s", "zone",
		"free pages", "unusable(pb)", "fragidx(pb)", "huge score");
	for (s = 0; s < a->nr_buddy; s++) {
		for (z = 0; z < a->buddy[s].nr; z++) {
			struct bt_frag fr;

			bt_frag_compute(a->buddy[s].z[z].nr_free, &fr);
			fprintf(f, "  %-10.3f %-8s %12" PRIu64 " %14d %14d "
				"%12d\n", bt_an_sec(a->buddy[s].ts -
				BT_MIN(a->buddy[s].ts, a->trace_first_ts)),
				a->buddy[s].z[z].name, fr.free_pages,
				fr.unusable[k], fr.fragindex[k], fr.huge_score);
		}
	}
}

static void tops(const struct bt_analysis *a, FILE *f)
{
	const struct bt_recorded *r = &a->rec;
	unsigned int i;

	rule(f, "TOP PROCESSES (by pages allocated)");
	fprintf(f, "  %8s %-16s %12s %14s %8s %10s %10s\n", "pid", "comm",
		"allocations", "pages", "failed", "high-order", "evidence");
	for (i = 0; i < r->nr_procs; i++)
		fprintf(f, "  %8" PRId64 " %-16s %12" PRIu64 " %14" PRIu64
			" %8" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n",
			r->procs[i].key, r->procs[i].comm, r->procs[i].allocs,
			r->procs[i].pages, r->procs[i].failed,
			r->procs[i].high_order, r->procs[i].evidence);
	if (!r->have_stacks)
		return;
	rule(f, "TOP STACKS (failed, then high-order allocations)");
	for (i = 0; i < r->nr_fail_stacks; i++)
		fprintf(f, "  failed %6" PRIu64 "  %.88s\n",
			r->fail_stacks[i].failed, r->fail_stacks[i].sym);
	for (i = 0; i < r->nr_high_stacks; i++)
		fprintf(f, "  high   %6" PRIu64 "  %.88s\n",
			r->high_stacks[i].high_order, r->high_stacks[i].sym);
}

static void divergence(const struct bt_analysis *a, json_t *v, FILE *f)
{
	uint64_t ts = (uint64_t)json_integer_value(json_object_get(v, "ts"));
	const char *c = json_string_value(json_object_get(v, "comm"));
	json_t *pfn = json_object_get(v, "pfn");
	char where[48] = "";

	if (json_is_integer(pfn))
		snprintf(where, sizeof(where), " pfn %#" PRIx64 " order %d",
			 (uint64_t)json_integer_value(pfn),
			 (int)json_integer_value(json_object_get(v, "order")));
	fprintf(f, "  %11.6f s  %.80s\n",
		bt_an_sec(ts - BT_MIN(ts, a->trace_first_ts)),
		json_string_value(json_object_get(v, "what")));
	fprintf(f, "%17spid %" PRId64 " %.16s%.40s\n", "",
		(int64_t)json_integer_value(json_object_get(v, "pid")),
		c ? c : "", where);
}

static void divergences(const struct bt_analysis *a, FILE *f)
{
	json_t *d = bt_json_diff(a), *l, *v;
	size_t i;

	if (!d)
		return;
	l = json_object_get(d, "first_divergences");
	if (json_array_size(l)) {
		rule(f, "FIRST DIVERGENCES (time, what; task and block)");
		json_array_foreach(l, i, v)
			divergence(a, v, f);
	}
	json_decref(d);
}

int bt_report_text(const struct bt_analysis *a, FILE *f)
{
	header(a, f);
	recorded(a, f);
	vmcheck(a, f);
	sidebyside(a, f);
	buddyinfo_error(a, f);
	fragmentation(a, f);
	tops(a, f);
	divergences(a, f);
	return ferror(f) ? -EIO : 0;
}
