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
#include <stddef.h>
#include <string.h>

#include "analyze-internal.h"

static json_t *int_array(const uint64_t *v, unsigned int n)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, bt_an_uint(v[i]));
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
		bt_an_set(o, "zone", json_string(zone_name(a, z)));
		bt_an_set_uint(o, "allocations", r->alloc_by_zone[z]);
		bt_an_set_uint(o, "pages", r->pages_by_zone[z]);
		bt_an_set_uint(o, "freed_pages", r->free_pages_by_zone[z]);
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
		bt_an_set_uint(o, name, r->alloc_by_gfp[k]);
	}
	return o;
}

static json_t *fallbacks(const struct bt_recorded *r)
{
	json_t *o = bt_an_fallbacks(r->fb_total, r->fb_fragmenting,
				    r->fb_severe, r->fb_moderate, r->fb_owner);

	bt_an_set(o, "by_migratetype", int_array(r->fb_by_mt, BT_AN_MTS));
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
		bt_an_set_uint(o, names[k], r->evidence_by_kind[k]);
	return o;
}

#define REC(k, m) { k, offsetof(struct bt_recorded, m) }

static const struct bt_an_field compaction_fields[] = {
	REC("direct", direct_compactions),
	REC("direct_success", direct_compact_success),
	REC("direct_fail", direct_compact_fail),
	REC("background_runs", kcompactd_compactions),
	REC("runs", compaction_runs),
	REC("runs_success", compaction_success_runs),
	REC("deferred", compaction_deferred),
	REC("deferrals", defer_compaction),
	REC("kcompactd_wakes", kcompactd_wakes),
};

static const struct bt_an_field reclaim_fields[] = {
	REC("direct", direct_reclaims),
	REC("direct_pages_reclaimed", direct_reclaim_pages),
	REC("direct_stall_ns", direct_stall_ns),
	REC("direct_stall_max_ns", direct_stall_max_ns),
	REC("kswapd_wake_requests", kswapd_wakeups),
	REC("kswapd_wakes", kswapd_wakes),
	REC("kswapd_awake_ns", kswapd_awake_ns),
};

#undef REC

static json_t *victims(const struct bt_recorded *r)
{
	json_t *arr = json_array();
	unsigned int i;

	for (i = 0; i < r->nr_victims; i++) {
		json_t *o = json_object();

		bt_an_set_uint(o, "ts", r->victims[i].ts);
		bt_an_set(o, "pid", json_integer(r->victims[i].pid));
		bt_an_set(o, "comm", json_string(r->victims[i].comm));
		bt_an_set(o, "by_pid", json_integer(r->victims[i].by_pid));
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

		bt_an_set(o, stack ? "stack_id" : "pid",
			  json_integer(t[i].key));
		if (stack)
			bt_an_set(o, "symbols", json_string(t[i].sym));
		else
			bt_an_set(o, "comm", json_string(t[i].comm));
		bt_an_set_uint(o, "allocations", t[i].allocs);
		bt_an_set_uint(o, "pages", t[i].pages);
		bt_an_set_uint(o, "failed", t[i].failed);
		bt_an_set_uint(o, "high_order", t[i].high_order);
		bt_an_set_uint(o, "slowpath_evidence", t[i].evidence);
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

		bt_an_set(snap, "snapshot", json_integer(s));
		bt_an_set_uint(snap, "ts", b->ts);
		for (z = 0; z < b->nr; z++) {
			struct bt_frag f;
			json_t *o = json_object();

			bt_frag_compute(b->z[z].nr_free, &f);
			bt_an_set(o, "zone", json_string(b->z[z].name));
			bt_an_set_uint(o, "free_pages", f.free_pages);
			bt_an_set(o, "nr_free", int_array(b->z[z].nr_free,
						    BT_AN_ORDERS));
			bt_an_set(o, "unusable_index", int_array_i(f.unusable,
							     BT_AN_ORDERS));
			bt_an_set(o, "fragmentation_index",
			    int_array_i(f.fragindex, BT_AN_ORDERS));
			bt_an_set(o, "huge_frame_score",
				  json_integer(f.huge_score));
			json_array_append_new(zones, o);
		}
		bt_an_set(snap, "zones", zones);
		json_array_append_new(arr, snap);
	}
	return arr;
}

json_t *bt_json_recorded(const struct bt_analysis *a)
{
	const struct bt_recorded *r = &a->rec;
	json_t *o = json_object(), *ord = json_object(), *pcp = json_object();
	json_t *stacks = json_object();

	bt_an_set_uint(o, "allocations", r->allocs);
	bt_an_set_uint(o, "pages", r->pages);
	bt_an_set_uint(o, "failed", r->failed);
	bt_an_set_uint(o, "failed_pages", r->failed_pages);
	bt_an_set_uint(o, "frees", r->frees);
	bt_an_set_uint(o, "freed_pages", r->free_pages);
	bt_an_set_uint(o, "frees_untraced_alloc", r->frees_pretrace);
	bt_an_set_uint(o, "freed_pages_untraced_alloc", r->free_pages_pretrace);
	bt_an_set(o, "fallbacks", fallbacks(r));
	bt_an_set_uint(o, "slowpath_evidence", r->evidence);
	bt_an_set(o, "slowpath_evidence_exact", json_boolean(r->exact));
	bt_an_set_uint(o, "direct_compactions", r->direct_compactions);
	bt_an_set_uint(o, "direct_reclaims", r->direct_reclaims);
	bt_an_set_uint(o, "oom_kills", r->oom_kills);
	bt_an_set(o, "evidence_by_kind", evidence_kinds(r));
	bt_an_set(ord, "allocations", int_array(r->alloc_by_order,
					  BT_AN_ORDER_SLOTS));
	bt_an_set(ord, "failed",
		  int_array(r->failed_by_order, BT_AN_ORDER_SLOTS));
	bt_an_set(ord, "frees", int_array(r->free_by_order, BT_AN_ORDER_SLOTS));
	bt_an_set(o, "by_order", ord);
	bt_an_set(o, "by_migratetype", int_array(r->alloc_by_mt, BT_AN_MTS));
	bt_an_set(o, "by_gfp", by_gfp(r));
	bt_an_set(o, "by_zone", by_zone(a));
	bt_an_set_uint(pcp, "refills", r->pcp_refills);
	bt_an_set_uint(pcp, "refill_pages", r->pcp_refill_pages);
	bt_an_set_uint(pcp, "drains", r->pcp_drains);
	bt_an_set_uint(pcp, "drain_pages", r->pcp_drain_pages);
	bt_an_set(o, "pcp", pcp);
	bt_an_set(o, "compaction",
		    bt_an_uint_fields(r, compaction_fields,
					BT_ARRAY_SIZE(compaction_fields)));
	bt_an_set(o, "reclaim",
		    bt_an_uint_fields(r, reclaim_fields,
					BT_ARRAY_SIZE(reclaim_fields)));
	bt_an_set(o, "oom_victims", victims(r));
	bt_an_set(o, "processes", top(r->procs, r->nr_procs, false));
	bt_an_set(stacks, "failed",
		  top(r->fail_stacks, r->nr_fail_stacks, true));
	bt_an_set(stacks, "high_order", top(r->high_stacks, r->nr_high_stacks,
				      true));
	bt_an_set(o, "stacks", stacks);
	bt_an_set(o, "fragmentation", fragmentation(a));
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

		bt_an_set(o, "name", json_string(r->name));
		bt_an_set_uint(o, "trace", r->trace);
		bt_an_set(o, "vmstat",
			  r->have_vmstat ? bt_an_uint(r->vmstat) : NULL);
		bt_an_set(o, "diff",
			  r->have_vmstat ? json_integer(r->diff) : NULL);
		bt_an_set(o, "explanation", json_string(r->explanation));
		bt_an_set_uint(o, "tolerance", r->abs_tol);
		bt_an_set(o, "within", json_boolean(r->within));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *trace_info(const struct bt_analysis *a)
{
	json_t *o = json_object();

	bt_an_set(o, "file", json_string(bt_an_trace_name(a->path)));
	bt_an_set(o, "kernel", json_string(a->kernel));
	bt_an_set_uint(o, "first_ts", a->trace_first_ts);
	bt_an_set_uint(o, "last_ts", a->trace_last_ts);
	bt_an_set_uint(o, "events", a->rec.events);
	bt_an_set_uint(o, "lost_events", a->rec.lost_events);
	bt_an_set_uint(o, "pageblock_order", a->pageblock_order);
	if (a->window[0]) {
		json_t *w = json_object();

		bt_an_set(w, "spec", json_string(a->window));
		bt_an_set_uint(w, "first_ts", a->rec.first_ts);
		bt_an_set_uint(w, "last_ts", a->rec.last_ts);
		bt_an_set_uint(w, "events", a->rec.window_events);
		bt_an_set(o, "window", w);
	} else {
		bt_an_set(o, "window", NULL);
	}
	if (a->vm.done) {
		json_t *v = json_object();

		bt_an_set_uint(v, "first_ts", a->vm.t0);
		bt_an_set_uint(v, "last_ts", a->vm.t1);
		bt_an_set(o, "vmstat_span", v);
	} else {
		bt_an_set(o, "vmstat_span", NULL);
	}
	return o;
}

json_t *bt_analysis_json(const struct bt_analysis *a)
{
	json_t *o = json_object(), *notes = json_array();
	unsigned int i;

	if (!o || !notes)
		return NULL;
	bt_an_set_uint(o, "schema_version", BT_ANALYZE_SCHEMA_VERSION);
	bt_an_set(o, "trace", trace_info(a));
	for (i = 0; i < a->nr_notes; i++)
		json_array_append_new(notes, json_string(a->notes[i]));
	if (!a->vm.done && a->vm.note[0])
		json_array_append_new(notes, json_string(a->vm.note));
	bt_an_set(o, "notes", notes);
	bt_an_set(o, "vmstat_check", vmstat_check(a));
	bt_an_set(o, "recorded", bt_json_recorded(a));
	bt_an_set(o, "mirror", a->have_mirror ? bt_json_mirror(a) : NULL);
	bt_an_set(o, "model", a->have_model ? bt_json_model(a) : NULL);
	bt_an_set(o, "diff", bt_json_diff(a));
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
