/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * record.h - live capture of the page allocator into a .bt file.
 *
 * A recorder owns one tracefs instance named after the process
 * ("buddytrace-<pid>"), enables the allocator's tracepoints there on the
 * "mono" trace clock (CLOCK_MONOTONIC, so /proc snapshots taken with
 * clock_gettime share the events' timeline), and runs one reader thread
 * per CPU that streams whole ring-buffer sub-buffers into the .bt writer.
 * A snapshot thread adds /proc state every interval. Lost events are never
 * silent: each sub-buffer's missed-events flag and the per-CPU ring-buffer
 * statistics become BT_EV_LOST markers and per-CPU counts.
 *
 * Lifecycle: bt_recorder_new() (instance, events, formats, start
 * snapshots; tracing still off) -> bt_recorder_start() -> ... ->
 * bt_recorder_stop() (drain, end snapshots, lost accounting, close the
 * file) -> bt_recorder_free() (always; removes the instance).
 *
 * The free-page map (BT_SNAP_FREE_BLOCKS) payload: one "pfn order" line
 * per free block, decimal, in pfn order, zones as in the zoneinfo snapshot
 * of the same time (common/freeblocks.h writes and reads it).
 */
#ifndef BT_RECORD_H
#define BT_RECORD_H

#include <stdint.h>
#include <stdbool.h>

#include "../common/common.h"

#define BT_REC_MAX_CPUS 1024
#define BT_REC_MAX_SPECS 32
#define BT_REC_ZSTD_LEVEL 3

struct bt_record_opts {
	const char *output;		/* .bt path ("-" for stdout) */
	const char *tracefs;		/* tracefs root to use, or NULL */
	const char *proc;		/* "/proc" unless testing */
	const char *events[BT_REC_MAX_SPECS];	/* -e arguments */
	unsigned int nr_events;
	const char *filters[BT_REC_MAX_SPECS];	/* [EVENT:]EXPR */
	unsigned int nr_filters;
	unsigned long buffer_kb;	/* per CPU; 0 = our default */
	unsigned int interval_ms;	/* snapshot period; 0 = none */
	bool no_freemap;
	bool stacktrace;
	const char *stack_filter;	/* NULL = every allocation */
	const char *vmlinux;		/* for file:line, or NULL */
	bool slowpath_probe;
	bool no_priority;		/* readers at normal priority */
	int level;			/* zstd level, 0 = BT_REC_ZSTD_LEVEL */
	const char *cmdline;		/* our command line, for metadata */
};

/* Counts for progress lines and the final summary. */
struct bt_record_cpu_stats {
	uint64_t events;
	uint64_t lost;			/* flagged or counted by the kernel */
	uint64_t lost_unknown;		/* pages flagged without a count */
	uint64_t pages;
};

struct bt_record_stats {
	unsigned int nr_cpus;
	struct bt_record_cpu_stats cpu[BT_REC_MAX_CPUS];
	uint64_t events, lost, bytes, snapshots, stacks;
	uint64_t start_ns, now_ns;
	/* the free-page map and first snapshot are in: the command starts */
	uint64_t ready_ns;
	double freemap_seconds;		/* wall time reading kpageflags */
	double freemap_cpu;		/* CPU time of that */
	uint64_t free_blocks;
	int priority;			/* lowest reader: 2 FIFO, 1 nice -20 */
};

struct bt_recorder;

/**
 * bt_recorder_new - set up everything short of turning tracing on
 * @o: options (borrowed for the recorder's lifetime)
 * @out: receives the recorder (bt_recorder_free)
 * @msg: receives a one-line explanation on failure (what to do)
 *
 * Returns 0, or a negative code: BT_E_NO_TRACEFS / BT_E_NO_EVENT (exit
 * 69), -EACCES / -EPERM (77), BT_E_USAGE (bad -e or --filter), -errno
 * creating the output. The instance is gone again on failure.
 */
int bt_recorder_new(const struct bt_record_opts *o, struct bt_recorder **out,
		    char *msg, size_t msg_size);

/* Turn tracing on and start the readers and the snapshot thread. */
int bt_recorder_start(struct bt_recorder *r);

/* First error a thread met (negative), or 0. */
int bt_recorder_error(const struct bt_recorder *r);

void bt_recorder_stats(struct bt_recorder *r, struct bt_record_stats *st);

/**
 * bt_recorder_stop - stop tracing, drain the buffers, take the end
 * snapshots, account for lost events, and close the file
 *
 * Returns 0 or the first error. Safe to call once.
 */
int bt_recorder_stop(struct bt_recorder *r);

/* Remove the instance (if still there) and free everything. */
void bt_recorder_free(struct bt_recorder *r);

/**
 * bt_record_cleanup - remove instances left by recorders that were killed
 * @tracefs: tracefs root or NULL to find it
 * @removed: receives how many were removed
 *
 * Only instances named "buddytrace-<pid>" whose process is gone.
 */
int bt_record_cleanup(const char *tracefs, unsigned int *removed);

#endif
