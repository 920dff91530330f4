// SPDX-License-Identifier: GPL-2.0-only
/*
 * json.c - the analysis as a JSON document: the stable summary that
 * baselines, golden tests and scripts read.
 *
 * Keys are inserted in a fixed order and dumped with JSON_PRESERVE_ORDER;
 * counts, pfns and times (ns) are integers; the few fractions are printed
 * with six significant digits so the same trace gives the same bytes. The
 * file name is recorded without its directory for the same reason.
 */
#include <errno.h>
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

static json_t *int_array(const uint64_t *v, unsigned int n)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jint(v[i]));
	return a;
}

static json_t *int_array_i(const int *v, unsigned int n)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	return a;
}

static const char *zone_name(const struct bt_analysis *a, unsigned int z)
{
	return z < a->zones.nr ? a->zones.z[z].name : "unknown";
}

static json_t *by_zone(const struct bt_analysis *a)
{
	const struct bt_recorded *r = &a->rec;
	json_t *arr = json_array();
	unsigned int z;

	for (z = 0; z < BT_AN_ZONES; z++) {
		json_t *o;

		if (z >= a->zones.nr && z != BT_AN_ZONE_UNKNOWN)
			continue;
		if (z == BT_AN_ZONE_UNKNOWN && !r->alloc_by_zone[z] &&
		    !r->free_pages_by_zone[z])
			continue;
		o = json_object();
		set(o, "zone", json_string(zone_name(a, z)));
		seti(o, "allocations", r->alloc_by_zone[z]);
		seti(o, "pages", r->pages_by_zone[z]);
		seti(o, "freed_pages", r->free_pages_by_zone[z]);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *by_gfp(const struct bt_recorded *r)
{
	json_t *o = json_object();
	unsigned int k;

	for (k = 0; k < BT_GFP_BIT_COUNT; k++) {
		char name[64];

		if (!r->alloc_by_gfp[k])
			continue;
		bt_gfp_format(1ull << k, name, sizeof(name));
		seti(o, name, r->alloc_by_gfp[k]);
	}
	return o;
}

static json_t *fallbacks(const struct bt_recorded *r)
{
	json_t *o = json_object();

	seti(o, "total", r->fb_total);
	seti(o, "fragmenting", r->fb_fragmenting);
	seti(o, "severe", r->fb_severe);
	seti(o, "moderate", r->fb_moderate);
	seti(o, "ownership_changed", r->fb_owner);
	set(o, "by_migratetype", int_array(r->fb_by_mt, BT_AN_MTS));
	return o;
}

static json_t *evidence_kinds(const struct bt_recorded *r)
{
	static const char *const names[BT_EVK_COUNT] = {
		"kswapd_wake", "direct_compaction", "direct_reclaim",
		"reclaim_retry", "compact_retry", "oom", "probe",
	};
	json_t *o = json_object();
	unsigned int k;

	for (k = 0; k < BT_EVK_COUNT; k++)
		seti(o, names[k], r->evidence_by_kind[k]);
	return o;
}

static json_t *compaction(const struct bt_recorded *r)
{
	json_t *o = json_object();

	seti(o, "direct", r->direct_compactions);
	seti(o, "direct_success", r->direct_compact_success);
	seti(o, "direct_fail", r->direct_compact_fail);
	seti(o, "background_runs", r->kcompactd_compactions);
	seti(o, "runs", r->compaction_runs);
	seti(o, "runs_success", r->compaction_success_runs);
	seti(o, "deferred", r->compaction_deferred);
	seti(o, "deferrals", r->defer_compaction);
	seti(o, "kcompactd_wakes", r->kcompactd_wakes);
	return o;
}

static json_t *reclaim(const struct bt_recorded *r)
{
	json_t *o = json_object();

	seti(o, "direct", r->direct_reclaims);
	seti(o, "direct_pages_reclaimed", r->direct_reclaim_pages);
	seti(o, "direct_stall_ns", r->direct_stall_ns);
	seti(o, "direct_stall_max_ns", r->direct_stall_max_ns);
	seti(o, "kswapd_wake_requests", r->kswapd_wakeups);
	seti(o, "kswapd_wakes", r->kswapd_wakes);
	seti(o, "kswapd_awake_ns", r->kswapd_awake_ns);
	return o;
}

static json_t *victims(const struct bt_recorded *r)
{
	json_t *arr = json_array();
	unsigned int i;

	for (i = 0; i < r->nr_victims; i++) {
		json_t *o = json_object();

		seti(o, "ts", r->victims[i].ts);
		set(o, "pid", json_integer(r->victims[i].pid));
		set(o, "comm", json_string(r->victims[i].comm));
		set(o, "by_pid", json_integer(r->victims[i].by_pid));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *top(const struct bt_rec_top *t, unsigned int n, bool stack)
{
	json_t *arr = json_array();
	unsigned int i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		set(o, stack ? "stack_id" : "pid", json_integer(t[i].key));
		if (stack)
			set(o, "symbols", json_string(t[i].sym));
		else
			set(o, "comm", json_string(t[i].comm));
		seti(o, "allocations", t[i].allocs);
		seti(o, "pages", t[i].pages);
		seti(o, "failed", t[i].failed);
		seti(o, "high_order", t[i].high_order);
		seti(o, "slowpath_evidence", t[i].evidence);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *fragmentation(const struct bt_analysis *a)
{
	json_t *arr = json_array();
	unsigned int s, z;

	for (s = 0; s < a->nr_buddy; s++) {
		const struct bt_snap_buddy *b = &a->buddy[s];
		json_t *snap = json_object(), *zones = json_array();

		set(snap, "snapshot", json_integer(s));
		seti(snap, "ts", b->ts);
		for (z = 0; z < b->nr; z++) {
			struct bt_frag f;
			json_t *o = json_object();

			bt_frag_compute(b->z[z].nr_free, &f);
			set(o, "zone", json_string(b->z[z].name));
			seti(o, "free_pages", f.free_pages);
			set(o, "nr_free", int_array(b->z[z].nr_free,
						    BT_AN_ORDERS));
			set(o, "unusable_index", int_array_i(f.unusable,
							     BT_AN_ORDERS));
			set(o, "fragmentation_index",
			    int_array_i(f.fragindex, BT_AN_ORDERS));
			set(o, "huge_frame_score", json_integer(f.huge_score));
			json_array_append_new(zones, o);
		}
		set(snap, "zones", zones);
		json_array_append_new(arr, snap);
	}
	return arr;
}

json_t *bt_json_recorded(const struct bt_analysis *a)
{
	const struct bt_recorded *r = &a->rec;
	json_t *o = json_object(), *ord = json_object(), *pcp = json_object();
	json_t *stacks = json_object();

	seti(o, "allocations", r->allocs);
	seti(o, "pages", r->pages);
	seti(o, "failed", r->failed);
	seti(o, "failed_pages", r->failed_pages);
	seti(o, "frees", r->frees);
	seti(o, "freed_pages", r->free_pages);
	seti(o, "frees_untraced_alloc", r->frees_pretrace);
	seti(o, "freed_pages_untraced_alloc", r->free_pages_pretrace);
	set(o, "fallbacks", fallbacks(r));
	seti(o, "slowpath_evidence", r->evidence);
	set(o, "slowpath_evidence_exact", json_boolean(r->exact));
	seti(o, "direct_compactions", r->direct_compactions);
	seti(o, "direct_reclaims", r->direct_reclaims);
	seti(o, "oom_kills", r->oom_kills);
	set(o, "evidence_by_kind", evidence_kinds(r));
	set(ord, "allocations", int_array(r->alloc_by_order,
					  BT_AN_ORDER_SLOTS));
	set(ord, "failed", int_array(r->failed_by_order, BT_AN_ORDER_SLOTS));
	set(ord, "frees", int_array(r->free_by_order, BT_AN_ORDER_SLOTS));
	set(o, "by_order", ord);
	set(o, "by_migratetype", int_array(r->alloc_by_mt, BT_AN_MTS));
	set(o, "by_gfp", by_gfp(r));
	set(o, "by_zone", by_zone(a));
	seti(pcp, "refills", r->pcp_refills);
	seti(pcp, "refill_pages", r->pcp_refill_pages);
	seti(pcp, "drains", r->pcp_drains);
	seti(pcp, "drain_pages", r->pcp_drain_pages);
	set(o, "pcp", pcp);
	set(o, "compaction", compaction(r));
	set(o, "reclaim", reclaim(r));
	set(o, "oom_victims", victims(r));
	set(o, "processes", top(r->procs, r->nr_procs, false));
	set(stacks, "failed", top(r->fail_stacks, r->nr_fail_stacks, true));
	set(stacks, "high_order", top(r->high_stacks, r->nr_high_stacks,
				      true));
	set(o, "stacks", stacks);
	set(o, "fragmentation", fragmentation(a));
	return o;
}

static json_t *vmstat_check(const struct bt_analysis *a)
{
	json_t *arr = json_array();
	unsigned int i;

	if (!a->vm.done)
		return arr;
	for (i = 0; i < BT_VM_ROWS; i++) {
		const struct bt_vm_check_row *r = &a->vm.rows[i];
		json_t *o = json_object();

		set(o, "name", json_string(r->name));
		seti(o, "trace", r->trace);
		set(o, "vmstat", r->have_vmstat ? jint(r->vmstat) : NULL);
		set(o, "diff", r->have_vmstat ? json_integer(r->diff) : NULL);
		set(o, "explanation", json_string(r->explanation));
		seti(o, "tolerance", r->abs_tol);
		set(o, "within", json_boolean(r->within));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *trace_info(const struct bt_analysis *a)
{
	json_t *o = json_object();

	set(o, "file", json_string(bt_an_trace_name(a->path)));
	set(o, "kernel", json_string(a->kernel));
	seti(o, "first_ts", a->trace_first_ts);
	seti(o, "last_ts", a->trace_last_ts);
	seti(o, "events", a->rec.events);
	seti(o, "lost_events", a->rec.lost_events);
	seti(o, "pageblock_order", a->pageblock_order);
	if (a->window[0]) {
		json_t *w = json_object();

		set(w, "spec", json_string(a->window));
		seti(w, "first_ts", a->rec.first_ts);
		seti(w, "last_ts", a->rec.last_ts);
		seti(w, "events", a->rec.window_events);
		set(o, "window", w);
	} else {
		set(o, "window", NULL);
	}
	if (a->vm.done) {
		json_t *v = json_object();

		seti(v, "first_ts", a->vm.t0);
		seti(v, "last_ts", a->vm.t1);
		set(o, "vmstat_span", v);
	} else {
		set(o, "vmstat_span", NULL);
	}
	return o;
}

json_t *bt_analysis_json(const struct bt_analysis *a)
{
	json_t *o = json_object(), *notes = json_array();
	unsigned int i;

	if (!o || !notes)
		return NULL;
	seti(o, "schema_version", BT_ANALYZE_SCHEMA_VERSION);
	set(o, "trace", trace_info(a));
	for (i = 0; i < a->nr_notes; i++)
		json_array_append_new(notes, json_string(a->notes[i]));
	if (!a->vm.done && a->vm.note[0])
		json_array_append_new(notes, json_string(a->vm.note));
	set(o, "notes", notes);
	set(o, "vmstat_check", vmstat_check(a));
	set(o, "recorded", bt_json_recorded(a));
	set(o, "mirror", a->have_mirror ? bt_json_mirror(a) : NULL);
	set(o, "model", a->have_model ? bt_json_model(a) : NULL);
	set(o, "diff", bt_json_diff(a));
	return o;
}

int bt_report_json(const struct bt_analysis *a, FILE *f)
{
	json_t *o = bt_analysis_json(a);
	int ret;

	if (!o)
		return -ENOMEM;
	ret = json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			 JSON_REAL_PRECISION(6));
	json_decref(o);
	if (ret || fputc('\n', f) == EOF)
		return -EIO;
	return 0;
}
