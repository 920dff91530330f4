/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * record-internal.h - the pieces of the live recorder, for record/ itself
 * and its unit tests.
 *
 * The recorder is a pipeline: a tracefs instance (instance.c) with the
 * selected events (evsel.c) feeds per-CPU ring buffers; one reader thread
 * per CPU (reader.c) pulls whole sub-buffers, a decoder (decode.c) turns
 * them into struct bt_event using field offsets computed once per event id,
 * and a sink (sink.c) takes batches of events and the side data (formats,
 * /proc snapshots from snapshot.c, the free-page map from freemap.c, stacks
 * from stacks.c). The sink hides the .bt writer behind a lock so that the
 * whole pipeline can be tested with an in-memory sink.
 */
#ifndef BT_RECORD_INTERNAL_H
#define BT_RECORD_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <stdbool.h>

#include "record.h"
#include "../traces/traces.h"

struct tep_handle;
struct kbuffer;

/* ---- sink ---- */

/* What a sink does; every call is made with the sink's lock held. */
struct bt_rec_sink_ops {
	int (*set_meta)(void *ctx, const char *key, const char *value);
	int (*add_format)(void *ctx, const char *system, const char *name,
			  const char *text);
	int (*add_snapshot)(void *ctx, unsigned int kind, uint64_t ts,
			    const void *data, size_t len);
	int (*add_stack)(void *ctx, uint32_t id, const uint64_t *ips,
			 unsigned int nr, const char *symbols);
	int (*add_event)(void *ctx, const struct bt_event *ev);
	int (*flush)(void *ctx);
	uint64_t (*bytes)(void *ctx);
	/* Finish (close) or drop (abort); both free ctx. */
	int (*close)(void *ctx);
	void (*abort)(void *ctx);
};

/* A sink shared by the reader threads and the snapshot thread. */
struct bt_rec_sink {
	const struct bt_rec_sink_ops *ops;
	void *ctx;
	pthread_mutex_t lock;
	uint64_t bytes;		/* last bytes() seen, for progress */
};

void bt_rec_sink_init(struct bt_rec_sink *s, const struct bt_rec_sink_ops *ops,
		      void *ctx);
int bt_rec_sink_meta(struct bt_rec_sink *s, const char *key,
		     const char *value);
int bt_rec_sink_format(struct bt_rec_sink *s, const char *system,
		       const char *name, const char *text);
int bt_rec_sink_snapshot(struct bt_rec_sink *s, unsigned int kind,
			 uint64_t ts, const void *data, size_t len);
int bt_rec_sink_stack(struct bt_rec_sink *s, uint32_t id, const uint64_t *ips,
		      unsigned int nr, const char *symbols);
/* Append a batch of one CPU's events under one lock acquisition. */
int bt_rec_sink_events(struct bt_rec_sink *s, const struct bt_event *ev,
		       size_t n);
int bt_rec_sink_flush(struct bt_rec_sink *s);
uint64_t bt_rec_sink_bytes(struct bt_rec_sink *s);
int bt_rec_sink_close(struct bt_rec_sink *s);
void bt_rec_sink_abort(struct bt_rec_sink *s);

/*
 * The .bt writer as a sink (sink-writer.c), at zstd @level (0: ours).
 * Returns 0 or -errno.
 */
int bt_rec_sink_open_writer(struct bt_rec_sink *s, const char *path,
			    unsigned int nr_cpus, int level);

/*
 * An in-memory sink for tests: keeps copies of everything. Free it with
 * bt_rec_sink_close().
 */
struct bt_rec_mem {
	struct bt_event *ev;		/* comm/str point into strs */
	size_t nr_ev, cap_ev;
	struct bt_rec_mem_snap {
		unsigned int kind;
		uint64_t ts;
		unsigned char *data;
		size_t len;
	} *snap;
	size_t nr_snap;
	struct bt_rec_mem_kv {
		char *a, *b, *c;
	} *meta, *formats, *stacks;	/* key/value; system/name/text; */
	size_t nr_meta, nr_formats, nr_stacks;
	uint32_t *stack_ids;
	unsigned int *stack_nr;
	unsigned int flushes;
	bool closed;
};
struct bt_rec_mem *bt_rec_sink_open_mem(struct bt_rec_sink *s);
/* Free a memory sink's content after bt_rec_sink_close(). */
void bt_rec_mem_free(struct bt_rec_mem *m);

/* ---- event selection (evsel.c) ---- */

#define BT_REC_MAX_EVENTS 64

struct bt_rec_evsel {
	bool on[BT_EV_TYPE_COUNT];	/* by enum bt_event_type */
};

/* The default set: kmem page, compaction, vmscan subset, oom, print. */
void bt_rec_evsel_default(struct bt_rec_evsel *s);

/**
 * bt_rec_evsel_apply - apply one -e argument
 * @spec: "sys:event", "event", "sys", with a leading '-' to remove; a
 *        comma-separated list of those
 * @bad: receives the offending word (borrowed from @spec copy) on error
 *
 * Returns 0, or BT_E_USAGE when a name is not part of the normalized event
 * model (its text goes to @bad, NUL-terminated, up to @bad_size).
 */
int bt_rec_evsel_apply(struct bt_rec_evsel *s, const char *spec, char *bad,
		       size_t bad_size);
unsigned int bt_rec_evsel_count(const struct bt_rec_evsel *s);
/* True for our own types (lost, snapshot, probe) that tracefs lacks. */
bool bt_rec_evsel_is_tracepoint(unsigned int type);

/* ---- tracefs instance (instance.c) ---- */

struct tracefs_instance;

struct bt_rec_instance {
	struct tracefs_instance *inst;
	char name[64];
	char dir[512];			/* tracefs root */
	bool created;
};

/* Prefix of every instance we create: "buddytrace-<pid>". */
#define BT_REC_INSTANCE_PREFIX "buddytrace-"

/**
 * bt_rec_tracefs_find - locate tracefs, mounting it when needed
 * @dir_override: a tracefs root to use as is (tests), or NULL
 * @out: receives the root path
 *
 * Returns 0, BT_E_NO_TRACEFS, or -EACCES/-EPERM.
 */
int bt_rec_tracefs_find(const char *dir_override, char *out, size_t size);

int bt_rec_instance_create(struct bt_rec_instance *in, const char *tracefs,
			   const char *name);
/* Disable everything we enabled and remove the instance; idempotent. */
void bt_rec_instance_destroy(struct bt_rec_instance *in);
int bt_rec_instance_write(struct bt_rec_instance *in, const char *file,
			  const char *text);
/* Read a file of the instance; caller releases @out. */
int bt_rec_instance_read(struct bt_rec_instance *in, const char *file,
			 struct bt_buf *out);
bool bt_rec_instance_has(struct bt_rec_instance *in, const char *file);

/*
 * Whether an instance name is one of ours whose process is gone: prefix,
 * a decimal pid, and no process with that pid.
 */
bool bt_rec_instance_is_stale(const char *name);
/* Remove stale instances; @removed counts them. */
int bt_rec_instance_cleanup(const char *tracefs, unsigned int *removed);

/*
 * Parse per_cpu/cpuN/stats: @overrun (overwritten, also flagged in the
 * sub-buffers), @dropped (dropped events plus commit overruns, flagged
 * nowhere), @entries (still in the buffer).
 */
int bt_rec_parse_cpu_stats(const char *text, uint64_t *overrun,
			   uint64_t *dropped, uint64_t *entries);

/* ---- decoding (decode.c) ---- */

struct bt_rec_field {
	int offset;
	int size;		/* 0: absent in this kernel */
	bool is_signed;
	bool dynamic;		/* __data_loc */
};

struct bt_rec_evfmt {
	enum bt_event_type type;
	const struct bt_event_desc *desc;
	struct bt_rec_field f[BT_EVENT_MAX_ARGS];
	struct bt_rec_field str;
};

struct bt_rec_decoder {
	struct bt_rec_evfmt **by_id;	/* indexed by tracepoint id */
	unsigned int nr_ids;
	int stack_id;			/* ftrace:kernel_stack id or -1 */
	struct bt_rec_field stack_size, stack_caller;
	struct bt_gfp_map gfp;
	bool gfp_learned;
	int long_size;
};

/**
 * bt_rec_decoder_init - precompute field offsets of the selected events
 * @tep: a handle holding the formats of the events (and ftrace ones)
 * @sel: the selected types; a type without format is an error
 * @missing: receives the first missing event's type, or BT_EV_NONE
 *
 * Returns 0, BT_E_NO_EVENT, or -ENOMEM.
 */
int bt_rec_decoder_init(struct bt_rec_decoder *d, struct tep_handle *tep,
			const struct bt_rec_evsel *sel,
			enum bt_event_type *missing);
/*
 * Decode @system:@name (a dynamic event such as our kprobe) as @type; its
 * format must have been in @tep at bt_rec_decoder_init().
 */
int bt_rec_decoder_add(struct bt_rec_decoder *d, struct tep_handle *tep,
		       const char *system, const char *name,
		       enum bt_event_type type);
void bt_rec_decoder_release(struct bt_rec_decoder *d);
/* Learn the gfp layout from an event's __print_flags table. */
int bt_rec_decoder_learn_gfp(struct bt_rec_decoder *d, struct tep_handle *tep);

/* What one sub-buffer decoded into. */
struct bt_rec_batch {
	struct bt_event *ev;
	size_t nr, cap;
	uint64_t missed;	/* events the kernel dropped before this page */
	bool missed_unknown;	/* flag set without a count */
	uint64_t first_ts, last_ts;
	uint64_t data_bytes;	/* commit size of the page */
	uint64_t skipped;	/* events of ids we do not decode */
};

/* Stack capture hook: returns a stack id (>= 1) or 0. */
typedef uint32_t (*bt_rec_stack_fn)(void *data, const uint64_t *ips,
				    unsigned int nr);

/**
 * bt_rec_decode_subbuf - decode one sub-buffer into @b (appending)
 * @kbuf: a kbuffer of the right long size and endianness
 * @page: the sub-buffer as read from trace_pipe_raw
 * @cpu: its CPU
 * @stack_fn: called for kernel_stack events; the id goes to the event
 *            before it on this CPU when that one is an mm_page_alloc
 *
 * Returns 0 or -ENOMEM / BT_E_CORRUPT.
 */
int bt_rec_decode_subbuf(struct bt_rec_decoder *d, struct kbuffer *kbuf,
			 void *page, unsigned int cpu, struct bt_rec_batch *b,
			 bt_rec_stack_fn stack_fn, void *stack_data);
void bt_rec_batch_release(struct bt_rec_batch *b);

/* ---- snapshots (snapshot.c) ---- */

/* ns on CLOCK_MONOTONIC: the "mono" trace clock. */
uint64_t bt_rec_now(void);

/* Read the periodic set (zoneinfo, buddyinfo, pagetypeinfo, vmstat). */
int bt_rec_snap_periodic(struct bt_rec_sink *s, const char *proc);
/* The start/end-only set: meminfo, sysctl vm, THP, debugfs indexes. */
int bt_rec_snap_full(struct bt_rec_sink *s, const char *proc,
		     const char *sys, const char *debugfs);
/* "name value\n" lines for every file of a /proc/sys/vm directory. */
int bt_rec_read_sysctl_dir(const char *dir, struct bt_buf *out);
/* Host metadata (kernel release, cmdline, cpus, page size, ...). */
int bt_rec_snap_meta(struct bt_rec_sink *s, const char *proc,
		     const char *cmdline, const char *clock);

/* ---- free-page map (freemap.c) ---- */

struct bt_rec_zone_span {
	int node;
	char name[16];
	uint64_t start_pfn, end_pfn;	/* [start, end) */
};

/* Spans of the populated zones from zoneinfo text. Returns count or < 0. */
int bt_rec_zone_spans(const char *zoneinfo, struct bt_rec_zone_span *z,
		      unsigned int max);

/* One free block. */
struct bt_rec_block {
	uint64_t pfn;
	unsigned int order;
};

/*
 * Split the free run [start, end) of a zone into maximal aligned blocks
 * (no larger than @max_order), calling @fn for each.
 */
void bt_rec_split_run(uint64_t start, uint64_t end, unsigned int max_order,
		      void (*fn)(void *data, uint64_t pfn, unsigned int order),
		      void *data);

/* Per-zone, per-order counts of a free map, as /proc/buddyinfo has them. */
#define BT_REC_MAX_ORDER 11
struct bt_rec_freecount {
	uint64_t n[BT_REC_MAX_ORDER];
};

/**
 * bt_rec_freemap_read - scan kpageflags over the zones' spans
 * @kpageflags: path ("/proc/kpageflags")
 * @z: zone spans; @nr: their count
 * @out: receives the BT_SNAP_FREE_BLOCKS payload (appended)
 * @times: when not NULL, reads go by aligned 8192-page ranges and this
 *	receives the BT_SNAP_FREE_TIMES payload: each range's read times on
 *	the recorder's clock (appended)
 * @counts: per zone counts (array of @nr), may be NULL
 *
 * Returns 0 or -errno.
 */
int bt_rec_freemap_read(const char *kpageflags,
			const struct bt_rec_zone_span *z, unsigned int nr,
			unsigned int max_order, struct bt_buf *out,
			struct bt_buf *times, struct bt_rec_freecount *counts);
/* Decode a BT_SNAP_FREE_BLOCKS payload; returns blocks or BT_E_CORRUPT. */
int bt_rec_freemap_decode(const unsigned char *p, size_t len,
			  struct bt_rec_block **out, size_t *nr);

/* ---- stacks (stacks.c) ---- */

struct bt_rec_ksyms;

/* Load /proc/kallsyms (or a file of that format); NULL with errno. */
struct bt_rec_ksyms *bt_rec_ksyms_load(const char *path);
void bt_rec_ksyms_free(struct bt_rec_ksyms *k);
/* "name+0xoff" for an address; false when below the first symbol. */
bool bt_rec_ksyms_lookup(const struct bt_rec_ksyms *k, uint64_t addr,
			 char *buf, size_t size);
/* Address of a symbol by exact name, or 0. */
uint64_t bt_rec_ksyms_addr(const struct bt_rec_ksyms *k, const char *name);
/* First symbol whose name starts with @prefix (exact match preferred). */
const char *bt_rec_ksyms_find_prefix(const struct bt_rec_ksyms *k,
				     const char *prefix);

struct bt_rec_stacks;

struct bt_rec_stacks *bt_rec_stacks_new(void);
void bt_rec_stacks_free(struct bt_rec_stacks *t);
/* Id (>= 1) of a stack, adding it when new; 0 on allocation failure. */
uint32_t bt_rec_stacks_intern(struct bt_rec_stacks *t, const uint64_t *ips,
			      unsigned int nr);
unsigned int bt_rec_stacks_count(const struct bt_rec_stacks *t);
/*
 * Write every stack to the sink with its symbols ("sym+off [file:line]"
 * one per line); @vmlinux may be NULL.
 */
int bt_rec_stacks_emit(struct bt_rec_stacks *t, struct bt_rec_sink *s,
		       const struct bt_rec_ksyms *k, const char *vmlinux);

/* ---- slow-path probe (probe.c) ---- */

/**
 * bt_rec_probe_define - the kprobe_events line for the slow-path probe
 * @group: event group (our instance name with '-' as '_')
 * @symbol: the slow-path function as in kallsyms
 * @arch: "x86_64", "aarch64", ...
 *
 * Returns the length written (snprintf-like) or BT_E_UNSUPPORTED for an
 * architecture whose argument registers we do not know.
 */
int bt_rec_probe_define(char *buf, size_t size, const char *group,
			const char *symbol, const char *arch);

/* Group of our probes: "buddytrace_<pid>". */
#define BT_REC_PROBE_PREFIX "buddytrace_"

/*
 * Whether a kprobe_events line is a probe of ours whose recorder is gone;
 * its group goes to @group.
 */
bool bt_rec_probe_is_stale(const char *line, char *group, size_t size);
/* Remove such probes; @removed counts them (not reset). */
int bt_rec_probe_cleanup(const char *tracefs, unsigned int *removed);

#endif
