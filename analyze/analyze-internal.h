/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * analyze-internal.h - what the files of analyze/ share among themselves.
 *
 * The recorded view is a push consumer (bt_rec_*): the driver feeds it one
 * normalized event at a time, so the unit tests can feed it synthetic
 * events without a .bt file and the driver can read the file once. The
 * /proc snapshots of a trace are parsed into plain tables (bt_snap_*),
 * from which the fragmentation metrics and the vmstat cross-check are
 * computed. Renderers read a finished struct bt_analysis and never touch
 * the trace again.
 */
#ifndef BT_ANALYZE_INTERNAL_H
#define BT_ANALYZE_INTERNAL_H

#include <sys/types.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "analyze.h"
#include "traces/traces.h"
#include "replay/replay.h"

#define BT_AN_ORDERS 11		/* orders 0..10 as /proc/buddyinfo prints */
#define BT_AN_ORDER_SLOTS 12	/* 0..10 and "above 10" */
#define BT_AN_MTS 8		/* migratetype numbers kept; last = other */
#define BT_AN_ZONES 8		/* zones of the first zoneinfo; last = ? */
#define BT_AN_ZONE_UNKNOWN (BT_AN_ZONES - 1)
#define BT_AN_BUCKETS 120	/* time-series buckets over the trace */
#define BT_AN_TOP 10		/* rows of the attribution tables */
#define BT_AN_VICTIMS 16	/* OOM victims listed */
#define BT_AN_MAX_SLICES 20000	/* reclaim/compaction slices kept */
#define BT_AN_MAX_SNAPS 64	/* buddyinfo snapshots kept */
#define BT_AN_COSTLY_ORDER 3	/* PAGE_ALLOC_COSTLY_ORDER */

/* ---- /proc snapshots (snap.c) ---- */

struct bt_snap_zone {
	char name[16];
	int node;
	uint64_t start_pfn, spanned, present, managed;
	uint64_t free, min, low, high;
};

/* Zones of a zoneinfo snapshot, in file order. */
struct bt_snap_zones {
	unsigned int nr;
	struct bt_snap_zone z[BT_AN_ZONES - 1];
};

/* One buddyinfo snapshot: nr_free per zone and order. */
struct bt_snap_buddy {
	uint64_t ts;
	unsigned int nr;
	struct {
		char name[16];
		int node;
		uint64_t nr_free[BT_AN_ORDERS];
	} z[BT_AN_ZONES - 1];
};

int bt_snap_parse_zoneinfo(const char *s, size_t len, struct bt_snap_zones *out);
int bt_snap_parse_buddyinfo(const char *s, size_t len, struct bt_snap_buddy *out);
/* Value of a /proc/vmstat counter; -ENOENT when absent. */
int bt_snap_vmstat_get(const char *s, size_t len, const char *name,
		       uint64_t *out);
/* Sum of every counter whose name starts with @prefix; -ENOENT if none. */
int bt_snap_vmstat_sum(const char *s, size_t len, const char *prefix,
		       uint64_t *out);
/* "Page block order: N" of pagetypeinfo, or -ENOENT. */
int bt_snap_pageblock_order(const char *s, size_t len, unsigned int *out);
/* Zone index of a pfn in @zs, or BT_AN_ZONE_UNKNOWN. */
unsigned int bt_snap_zone_of(const struct bt_snap_zones *zs, uint64_t pfn);

/* ---- fragmentation metrics (frag.c), mm/vmstat.c's formulas ---- */

struct bt_frag {
	uint64_t free_pages;
	uint64_t free_blocks;
	int unusable[BT_AN_ORDERS];	/* 0..1000 */
	int fragindex[BT_AN_ORDERS];	/* -1000, or 0..1000 */
	int huge_score;			/* free pages in order>=9, per mille */
};
void bt_frag_compute(const uint64_t nr_free[BT_AN_ORDERS], struct bt_frag *f);

/* ---- the recorded view (recorded.c) ---- */

enum bt_ev_kind {
	BT_EVK_KSWAPD,		/* mm_vmscan_wakeup_kswapd with an order */
	BT_EVK_COMPACT,		/* mm_compaction_try_to_compact_pages */
	BT_EVK_RECLAIM,		/* direct reclaim begin/end */
	BT_EVK_RECLAIM_RETRY,	/* reclaim_retry_zone */
	BT_EVK_COMPACT_RETRY,	/* compact_retry */
	BT_EVK_OOM,		/* mark_victim by this task */
	BT_EVK_PROBE,		/* exact slow-path probe */
	BT_EVK_COUNT
};

struct bt_rec_bucket {
	uint64_t allocs, pages, failed, frees, fallbacks, fragmenting;
	uint64_t evidence, reclaims, compactions;
};

struct bt_rec_top {
	int64_t key;		/* pid or stack id */
	char comm[16];
	uint64_t allocs, pages, failed, high_order, evidence;
	char sym[160];		/* stacks: innermost useful frames */
};

struct bt_rec_slice {
	uint64_t ts, dur;
	int32_t pid;
	uint8_t kind;		/* 0 direct reclaim, 1 direct compaction,
				 * 2 kcompactd compaction, 3 kswapd awake */
	uint64_t value;		/* pages reclaimed or compaction status */
};

struct bt_rec_victim {
	uint64_t ts;
	int32_t pid, by_pid;
	char comm[16];
};

/* Counters of the vmstat cross-check rows, in this order. */
enum bt_vm_row {
	BT_VM_PGALLOC, BT_VM_PGFREE, BT_VM_ALLOCSTALL, BT_VM_COMPACT_STALL,
	BT_VM_COMPACT_SUCCESS, BT_VM_COMPACT_FAIL, BT_VM_OOM_KILL,
	BT_VM_ROWS
};

/**
 * struct bt_recorded - what the real system did, counted from the events
 * inside the analysis window (the whole trace without --window).
 */
struct bt_recorded {
	uint64_t events, window_events, lost_events, lost_markers;
	uint64_t first_ts, last_ts;		/* of the window's events */
	uint64_t win_t0, win_t1;		/* markers' times, 0 = none */
	uint64_t ev_first_ts, ev_last_ts;	/* whole trace, no snapshots */
	uint64_t allocs, pages, failed, failed_pages;
	uint64_t frees, free_pages, frees_pretrace, free_pages_pretrace;
	uint64_t alloc_by_order[BT_AN_ORDER_SLOTS];
	uint64_t failed_by_order[BT_AN_ORDER_SLOTS];
	uint64_t free_by_order[BT_AN_ORDER_SLOTS];
	uint64_t alloc_by_mt[BT_AN_MTS];
	uint64_t alloc_by_gfp[BT_GFP_BIT_COUNT];
	uint64_t pages_by_zone[BT_AN_ZONES];
	uint64_t alloc_by_zone[BT_AN_ZONES];
	uint64_t free_pages_by_zone[BT_AN_ZONES];
	/* fallbacks */
	uint64_t fb_total, fb_fragmenting, fb_severe, fb_moderate, fb_owner;
	uint64_t fb_by_mt[BT_AN_MTS];	/* by requested migratetype */
	/* per-CPU lists */
	uint64_t pcp_refills, pcp_refill_pages, pcp_drains, pcp_drain_pages;
	uint64_t zone_locked;
	/* slow-path evidence */
	uint64_t evidence, evidence_by_kind[BT_EVK_COUNT];
	uint64_t probes;
	bool exact;			/* probes present: evidence is exact */
	/* compaction */
	uint64_t direct_compactions, direct_compact_success;
	uint64_t direct_compact_fail, kcompactd_compactions;
	uint64_t compaction_runs, compaction_success_runs;
	uint64_t compaction_deferred, defer_compaction, kcompactd_wakes;
	/* reclaim */
	uint64_t direct_reclaims, direct_reclaim_pages, direct_stall_ns;
	uint64_t direct_stall_max_ns;
	uint64_t kswapd_wakes, kswapd_wakeups, kswapd_awake_ns;
	/* OOM */
	uint64_t oom_kills;
	unsigned int nr_victims;
	struct bt_rec_victim victims[BT_AN_VICTIMS];
	uint64_t prints;
	/* vmstat cross-check: counted between first and last vmstat snapshot */
	uint64_t vm_trace[BT_VM_ROWS];
	bool vm_outside;	/* snapshots before the first/after the last event */
	/* time series */
	uint64_t bucket_ns, bucket_t0;
	struct bt_rec_bucket buckets[BT_AN_BUCKETS];
	/* attribution */
	unsigned int nr_procs, nr_fail_stacks, nr_high_stacks;
	struct bt_rec_top procs[BT_AN_TOP];
	struct bt_rec_top fail_stacks[BT_AN_TOP];
	struct bt_rec_top high_stacks[BT_AN_TOP];
	bool have_stacks;
	/* slices for the Perfetto export */
	unsigned int nr_slices;
	struct bt_rec_slice *slices;	/* owned */
};

struct bt_rec;

/* Static facts the recorded view needs before the first event. */
struct bt_rec_setup {
	const struct bt_snap_zones *zones;	/* NULL: no zoneinfo */
	unsigned int pageblock_order;
	int compact_success_status;		/* mm_compaction_end status */
	uint64_t first_ts, last_ts;		/* of the whole trace */
	uint64_t win_start, win_end;		/* time window, or 0/UINT64_MAX */
	const char *mark_a, *mark_b;		/* marker window, or NULL */
	uint64_t vm_start, vm_end;		/* vmstat snapshot span */
	bool have_vm;
};

/* Returns NULL with errno set. Free with bt_rec_free. */
struct bt_rec *bt_rec_new(const struct bt_rec_setup *s);
void bt_rec_free(struct bt_rec *r);
void bt_rec_event(struct bt_rec *r, const struct bt_event *ev);
/* Stack symbols for the attribution tables (optional). */
typedef const char *(*bt_rec_stack_fn)(uint32_t id, void *data);
/**
 * bt_rec_finish - close open intervals, sort the attribution tables and
 * move the results into @out (which then owns out->slices)
 *
 * Returns 0 or -ENOMEM.
 */
int bt_rec_finish(struct bt_rec *r, struct bt_recorded *out);
/* Whether the marker window opened and closed (markers found). */
void bt_rec_window_state(const struct bt_rec *r, bool *opened, bool *closed);
void bt_recorded_release(struct bt_recorded *rv);

/* ---- the vmstat cross-check (vmcheck.c) ---- */

struct bt_vm_check_row {
	const char *name;
	bool have_vmstat;
	uint64_t trace, vmstat;
	int64_t diff;			/* trace - vmstat */
	double abs_tol_frac;		/* documented tolerance, of vmstat */
	uint64_t abs_tol;		/* and an absolute slack */
	bool within;
	char explanation[240];
};

struct bt_vm_check {
	bool done;
	char note[160];			/* why it was skipped */
	uint64_t t0, t1;		/* snapshot times */
	struct bt_vm_check_row rows[BT_VM_ROWS];
};

void bt_vm_check_compute(const struct bt_recorded *rv, const char *vm0,
			 size_t len0, const char *vm1, size_t len1,
			 struct bt_vm_check *out);

/* ---- the whole analysis (analyze.c) ---- */

struct bt_analysis {
	pid_t child;		/* the model's process, to reap at the end */
	bool exit_after;	/* bt_analyze_opts.exit_after: not reaped */
	char *path;
	char *kernel;
	unsigned int pageblock_order;
	char window[128];
	char notes[6][240];
	unsigned int nr_notes;
	uint64_t trace_first_ts, trace_last_ts;
	struct bt_snap_zones zones;
	bool have_zones;
	unsigned int nr_buddy;
	struct bt_snap_buddy *buddy;	/* owned */
	struct bt_recorded rec;
	struct bt_vm_check vm;
	/* the replay columns: mirror verdicts and the model's own run */
	bool have_mirror, have_model;
	struct bt_replay_summary mirror, model;
};

void bt_analysis_note(struct bt_analysis *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The options analyze and export parse alike, for the default case of
 * their getopt_long switch: --mode all|recorded ('m'), --zoneinfo FILE
 * ('z'), --help ('h': @usage to stdout) and unknown options (@opt named,
 * @usage to stderr). Returns 0 when applied to @ao, -1 after --help, 64
 * after a message on a bad value or option. CLI side: defined in
 * cmd-analyze.c, for the commands of this folder only.
 */
int bt_cli_analyze_opt(const char *cmd, const char *usage, int c,
		       const char *arg, const char *opt,
		       struct bt_analyze_opts *ao);

/* Shared JSON emitters (json-emit.c). */
/* @v as a JSON integer, capped at INT64_MAX. */
json_t *bt_an_uint(uint64_t v);
/* Set @k of @o to @v (stolen), JSON null when @v is NULL. */
void bt_an_set(json_t *o, const char *k, json_t *v);
void bt_an_set_uint(json_t *o, const char *k, uint64_t v);
/* One uint64_t member of a struct, by offset, under a JSON key. */
struct bt_an_field {
	const char *key;
	size_t off;
};
/* An object of the uint64_t members @f[0..@n) of @base, in table order. */
json_t *bt_an_uint_fields(const void *base, const struct bt_an_field *f,
			    size_t n);
/* The fallback counts (total, fragmenting, severe, moderate, owner). */
json_t *bt_an_fallbacks(uint64_t total, uint64_t fragmenting,
			  uint64_t severe, uint64_t moderate, uint64_t owner);

/* The JSON sections, each a new reference (json.c). */
json_t *bt_json_recorded(const struct bt_analysis *a);
json_t *bt_json_mirror(const struct bt_analysis *a);
json_t *bt_json_model(const struct bt_analysis *a);
json_t *bt_json_diff(const struct bt_analysis *a);

/* ---- small SVG charts (svg.c) ---- */

struct bt_svg_series {
	const char *name;
	const char *color;
	const double *x, *y;
	unsigned int n;
};
void bt_svg_chart(struct bt_buf *b, const char *title, const char *ylabel,
		  const struct bt_svg_series *s, unsigned int nr, bool bars);

/*
 * Allocations whose slow-path evidence names replay stage @stage
 * (kswapd wake, direct reclaim, direct compaction, retries, OOM); 0 for
 * stages no event shows.
 */
uint64_t bt_an_stage_evidence(const struct bt_recorded *r,
			      unsigned int stage);

/* Append @s with <, >, &, quotes escaped for HTML and SVG. */
void bt_buf_escape(struct bt_buf *b, const char *s);

/*
 * The name a trace goes by in reports and baselines: its last two path
 * components ("thp/trace.bt"), so that corpora laid out as one directory
 * per trace stay unambiguous wherever the corpus lives. Borrowed from
 * @path.
 */
const char *bt_an_trace_name(const char *path);

/* Seconds with 6 decimals, as the reports print times. */
double bt_an_sec(uint64_t ns);

#endif
