/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * analyze.h - the recorded view, the recorded-versus-model comparison, the
 * reports (text, JSON, HTML with inline SVG), the Perfetto export and the
 * corpus check, as the command layer sees them.
 *
 * One analysis reads a .bt file once for the recorded view (what the real
 * system did: allocations, frees, failures, fallbacks, slow-path evidence,
 * compaction, reclaim, OOM, fragmentation at every /proc snapshot and the
 * vmstat cross-check) and runs the replay in mirror and model modes for the
 * model columns. Its JSON document is the stable summary that baselines,
 * scripts and `check` compare: schema_version, fixed key order, integer
 * counts and pfns.
 */
#ifndef BT_ANALYZE_H
#define BT_ANALYZE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "common/common.h"

#define BT_ANALYZE_SCHEMA_VERSION 1

struct bt_analyze_opts {
	const char *window;	/* "A,B": markers or seconds; NULL = all */
	bool no_model;		/* recorded view only */
	const char *zoneinfo;	/* zoneinfo file for the model, or NULL */
	const char *profile;	/* kernel profile for replay, or NULL */
	const char *const *sets;	/* replay knobs "KNOB=VALUE" */
	unsigned int nr_sets;
	/* progress of the model replay: events done, events in the file */
	void (*progress)(uint64_t done, uint64_t total, void *data);
	void *progress_data;
	/*
	 * The caller's process runs nothing else meanwhile: the model may
	 * replay in a child process (fork), which is faster (analyze.c).
	 */
	bool model_process;
	/*
	 * The process exits right after bt_analysis_free(): the model's
	 * process is not waited for there. Its summary is read by then; its
	 * teardown (about a millisecond for a few thousand pages) runs
	 * beside the caller's own exit, and init reaps it.
	 */
	bool exit_after;
};

struct bt_analysis;

/**
 * bt_analyze_file - analyze one .bt file
 * @path: the trace
 * @o: options (may be NULL)
 * @out: receives the analysis; free with bt_analysis_free()
 *
 * Returns 0, or a negative code: -ENOENT and other -errno from opening,
 * BT_E_* for a corrupt file, BT_E_USAGE for a window whose markers are not
 * in the trace.
 */
int bt_analyze_file(const char *path, const struct bt_analyze_opts *o,
		    struct bt_analysis **out);
void bt_analysis_free(struct bt_analysis *a);

/**
 * bt_analysis_json - the analysis as a JSON document
 *
 * Returns a new reference (json_decref) or NULL on allocation failure.
 */
json_t *bt_analysis_json(const struct bt_analysis *a);

/* Renderers: return 0 or -EIO. */
int bt_report_json(const struct bt_analysis *a, FILE *f);
int bt_report_text(const struct bt_analysis *a, FILE *f);
int bt_report_html(const struct bt_analysis *a, FILE *f);

/**
 * bt_export_perfetto - Chrome JSON trace events for ui.perfetto.dev:
 * counter tracks ("ph":"C") of free pages per zone and order at every
 * snapshot, allocations/s, fallbacks/s, slow-path evidence/s, and slices
 * ("ph":"X") of direct reclaim, compaction and kswapd activity
 *
 * Returns 0 or -EIO.
 */
int bt_export_perfetto(const struct bt_analysis *a, FILE *f);

/* ---- check ---- */

struct bt_check_opts {
	const char *baseline;		/* baseline JSON path */
	unsigned int jobs;		/* parallel traces (>= 1) */
	unsigned int shard_i, shard_n;	/* 1-based shard I of N; 0/0 = all */
	bool update;			/* rewrite the baseline */
	const char *summary_out;	/* write the summaries here */
	const char *const *merge;	/* summary files to merge instead */
	unsigned int nr_merge;
	struct bt_analyze_opts analyze;	/* passed to every trace */
};

struct bt_check_result {
	unsigned int traces, moved, missing, added, failed;
	bool regression;
};

/**
 * bt_check_run - replay a corpus and compare it with a baseline
 * @paths: .bt files or directories of them
 * @nr: number of paths
 * @o: options
 * @report: the table of what moved is printed here
 * @res: counts
 *
 * Returns 0 when the comparison ran (regression or not: see @res), or a
 * negative code (unreadable baseline, no trace found, I/O).
 */
int bt_check_run(const char *const *paths, unsigned int nr,
		 const struct bt_check_opts *o, FILE *report,
		 struct bt_check_result *res);

#endif
