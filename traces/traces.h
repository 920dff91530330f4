/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * traces.h - the normalized event model and the .bt trace file, as the rest
 * of buddytrace sees them.
 *
 * Every event, whatever kernel or tool produced it, becomes one struct
 * bt_event: a type, a timestamp on the trace clock, cpu, pid, and up to
 * BT_EVENT_MAX_ARGS integer arguments whose meaning and kernel field names a
 * per-type descriptor table gives (bt_event_desc()). The table is the single
 * source for the writer's encoding, the importers' field lookup, and the
 * dumpers' field names, so adding an event is one table row.
 *
 * Version independence: pfns are plain page frame numbers (BT_PFN_NONE for
 * a failed allocation, BT_PFN_UNKNOWN when the source gave only a page
 * pointer that could not be converted); gfp masks are in buddytrace's own
 * bit layout (BT_GFP_*), translated by name from each kernel's flag table;
 * migratetypes are kept as the kernel's numbers with the kernel's own
 * numbering recorded in the file metadata.
 *
 * Files: bt_writer appends self-checking compressed chunks; bt_reader
 * yields one time-ordered stream over all CPUs. The byte layout is in
 * docs/buddytrace-trace.5.
 */
#ifndef BT_TRACES_H
#define BT_TRACES_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#include "../common/common.h"

#define BT_PFN_NONE UINT64_MAX		/* failed allocation (raw pfn -1) */
#define BT_PFN_UNKNOWN (UINT64_MAX - 1)	/* page pointer without a pfn */

#define BT_EVENT_MAX_ARGS 9

/*
 * Event types. The order is part of the file format (type numbers are
 * stored): append only, never reorder.
 */
enum bt_event_type {
	BT_EV_NONE = 0,
	/* kmem */
	BT_EV_PAGE_ALLOC,		/* mm_page_alloc */
	BT_EV_PAGE_FREE,		/* mm_page_free (and 3.x mm_page_free_direct) */
	BT_EV_PAGE_FREE_BATCHED,	/* mm_page_free_batched */
	BT_EV_PAGE_ALLOC_ZONE_LOCKED,	/* mm_page_alloc_zone_locked */
	BT_EV_PAGE_PCPU_DRAIN,		/* mm_page_pcpu_drain */
	BT_EV_PAGE_ALLOC_EXTFRAG,	/* mm_page_alloc_extfrag */
	BT_EV_PAGEVEC_FREE,		/* 3.x mm_pagevec_free */
	/* compaction */
	BT_EV_COMPACTION_BEGIN,
	BT_EV_COMPACTION_END,
	BT_EV_COMPACTION_ISOLATE_MIGRATEPAGES,
	BT_EV_COMPACTION_ISOLATE_FREEPAGES,
	BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES,
	BT_EV_COMPACTION_MIGRATEPAGES,
	BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES,
	BT_EV_COMPACTION_FINISHED,
	BT_EV_COMPACTION_SUITABLE,
	BT_EV_COMPACTION_DEFERRED,
	BT_EV_COMPACTION_DEFER_COMPACTION,
	BT_EV_COMPACTION_DEFER_RESET,
	BT_EV_COMPACTION_KCOMPACTD_SLEEP,
	BT_EV_COMPACTION_WAKEUP_KCOMPACTD,
	BT_EV_COMPACTION_KCOMPACTD_WAKE,
	/* vmscan */
	BT_EV_VMSCAN_WAKEUP_KSWAPD,
	BT_EV_VMSCAN_KSWAPD_WAKE,
	BT_EV_VMSCAN_KSWAPD_SLEEP,
	BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN,
	BT_EV_VMSCAN_DIRECT_RECLAIM_END,
	BT_EV_VMSCAN_MEMCG_RECLAIM_BEGIN,
	BT_EV_VMSCAN_MEMCG_RECLAIM_END,
	/* oom */
	BT_EV_OOM_RECLAIM_RETRY_ZONE,
	BT_EV_OOM_COMPACT_RETRY,
	BT_EV_OOM_MARK_VICTIM,
	BT_EV_OOM_WAKE_REAPER,
	BT_EV_OOM_START_TASK_REAPING,
	BT_EV_OOM_FINISH_TASK_REAPING,
	BT_EV_OOM_SKIP_TASK_REAPING,
	BT_EV_OOM_SCORE_ADJ_UPDATE,
	/* ftrace */
	BT_EV_PRINT,			/* trace_marker write; text in str */
	/* buddytrace's own */
	BT_EV_LOST,			/* arg0: count (0 = unknown) */
	BT_EV_SNAPSHOT,			/* arg0: snapshot index (bt_snapshot) */
	BT_EV_SLOWPATH_PROBE,		/* kprobe on the slow-path entry */
	BT_EV_TYPE_COUNT
};

/* How an argument is typed, stored and printed. */
enum bt_field_kind {
	BT_FK_UNSIGNED,		/* printed in decimal */
	BT_FK_SIGNED,		/* stored zigzag, printed in decimal */
	BT_FK_PFN,		/* page frame number; BT_PFN_NONE/UNKNOWN */
	BT_FK_GFP,		/* BT_GFP_* mask */
	BT_FK_BOOL,
	BT_FK_HEX,		/* printed 0x... */
};

struct bt_field_desc {
	const char *name;	/* the kernel's field name */
	enum bt_field_kind kind;
};

struct bt_event_desc {
	enum bt_event_type type;
	const char *system;	/* "kmem", "compaction", ... ("" for ours) */
	const char *name;	/* bare tracepoint name, "mm_page_alloc" */
	unsigned int nr_fields;
	struct bt_field_desc fields[BT_EVENT_MAX_ARGS];
	bool has_str;		/* print buf, mark_victim comm */
	const char *str_name;	/* field name of str ("buf", "comm") */
};

/**
 * bt_event_desc - descriptor of an event type
 * @type: an enum bt_event_type value
 *
 * Returns a static descriptor, or NULL for an unknown type.
 */
const struct bt_event_desc *bt_event_desc(unsigned int type);

/**
 * bt_event_lookup - event type from its bare tracepoint name
 * @name: "mm_page_alloc", "mm_compaction_begin", "print", ...; also the
 *        3.x aliases ("mm_page_free_direct")
 *
 * Returns the type or BT_EV_NONE.
 */
enum bt_event_type bt_event_lookup(const char *name);

/* Index of a field by kernel name in a descriptor, or -1. */
int bt_event_field_index(const struct bt_event_desc *d, const char *name);

/* Event flags. */
#define BT_EVF_PFN_UNKNOWN	0x1	/* pfn came from a page pointer only */

/**
 * struct bt_event - one normalized event
 *
 * comm and str are borrowed: valid until the next bt_reader_next() call on
 * the reader that returned the event. A writer copies them.
 */
struct bt_event {
	uint64_t ts;			/* ns on the trace clock */
	uint32_t type;			/* enum bt_event_type */
	uint32_t cpu;
	int32_t pid;
	uint32_t flags;			/* BT_EVF_* */
	uint32_t stack_id;		/* 0 = none, else bt_trace stack table */
	uint32_t str_len;
	const char *comm;		/* NULL when unknown */
	const char *str;		/* has_str events only */
	uint64_t arg[BT_EVENT_MAX_ARGS];
};

/* Convenience accessors for the kmem events (argument order = table). */
#define BT_ARG_PFN 0

/*
 * Canonical gfp flag bits: buddytrace's own layout, independent of any
 * kernel's. Importers translate by flag name.
 */
#define BT_GFP_FLAGS(X)				\
	X(DMA)					\
	X(HIGHMEM)				\
	X(DMA32)				\
	X(MOVABLE)				\
	X(RECLAIMABLE)				\
	X(HIGH)					\
	X(IO)					\
	X(FS)					\
	X(ZERO)					\
	X(ATOMIC)	/* 4.x __GFP_ATOMIC */	\
	X(DIRECT_RECLAIM)			\
	X(KSWAPD_RECLAIM)			\
	X(WRITE)				\
	X(NOWARN)				\
	X(RETRY_MAYFAIL) /* 4.12: REPEAT */	\
	X(NOFAIL)				\
	X(NORETRY)				\
	X(MEMALLOC)				\
	X(COMP)					\
	X(NOMEMALLOC)				\
	X(HARDWALL)				\
	X(THISNODE)				\
	X(ACCOUNT)				\
	X(ZEROTAGS)				\
	X(NO_OBJ_EXT)				\
	X(NOTRACK)				\
	X(NOLOCKDEP)				\
	X(OTHER)	/* a bit no name explained */

enum bt_gfp_bit {
#define BT_X_GFPBIT(n) BT_GFP_BIT_##n,
	BT_GFP_FLAGS(BT_X_GFPBIT)
#undef BT_X_GFPBIT
	BT_GFP_BIT_COUNT
};
#define BT_X_GFPMASK(n) BT_GFP_##n = 1ull << BT_GFP_BIT_##n,
enum { BT_GFP_FLAGS(BT_X_GFPMASK) };
#undef BT_X_GFPMASK

#define BT_GFP_RECLAIM (BT_GFP_DIRECT_RECLAIM | BT_GFP_KSWAPD_RECLAIM)

/**
 * bt_gfp_from_names - canonical mask from a kernel's printed flags
 * @s: "GFP_KERNEL|__GFP_COMP" or "none" or a hex value "0x...": composite
 *     names are expanded with the definitions of current kernels
 * @len: length of @s
 * @out: canonical mask
 *
 * Returns 0, or BT_E_PARSE for an unknown name (the known bits are still
 * set in @out and BT_GFP_OTHER marks the rest).
 */
int bt_gfp_from_names(const char *s, size_t len, uint64_t *out);

/**
 * bt_gfp_format - print a canonical mask as __GFP_ names joined by '|'
 *
 * Returns the length that would have been written (snprintf-like).
 */
size_t bt_gfp_format(uint64_t mask, char *buf, size_t size);

/*
 * A kernel gfp layout learned from an event's print format: bit value ->
 * canonical bit. Importers fill it from __print_flags tables.
 */
struct bt_gfp_map {
	unsigned int nr;
	struct {
		uint64_t kernel_mask;
		uint64_t canon;
	} ent[64];
};
void bt_gfp_map_init(struct bt_gfp_map *m);
/* Learn one (value, name) pair of the kernel's table; ignores composites. */
void bt_gfp_map_learn(struct bt_gfp_map *m, uint64_t value, const char *name);
/* Translate a raw kernel mask with a learned map. */
uint64_t bt_gfp_map_apply(const struct bt_gfp_map *m, uint64_t raw);
/* The layout of current (6.x) kernels, for binary input without formats. */
void bt_gfp_map_default(struct bt_gfp_map *m);

/* /proc snapshot kinds stored in a trace. */
enum bt_snapshot_kind {
	BT_SNAP_ZONEINFO = 1,
	BT_SNAP_BUDDYINFO,
	BT_SNAP_PAGETYPEINFO,
	BT_SNAP_VMSTAT,
	BT_SNAP_MEMINFO,
	BT_SNAP_EXTFRAG_INDEX,
	BT_SNAP_UNUSABLE_INDEX,
	BT_SNAP_KPAGEFLAGS,	/* free-page map (raw kpageflags, see .5) */
	BT_SNAP_SYSCTL_VM,	/* "name value\n" lines of /proc/sys/vm */
	BT_SNAP_THP,		/* "enabled ...\ndefrag ...\n" */
	BT_SNAP_FREE_BLOCKS,	/* free-page map as (pfn, order) runs */
	BT_SNAP_FREE_TIMES,	/* when each pfn range of that map was read */
	BT_SNAP_KIND_COUNT
};

const char *bt_snapshot_kind_name(unsigned int kind);
/* Kind from its name ("zoneinfo", ...), or 0. */
unsigned int bt_snapshot_kind_lookup(const char *name);

/**
 * struct bt_snapshot - one /proc file captured at a time on the trace clock
 *
 * data is owned by the trace object it came from.
 */
struct bt_snapshot {
	unsigned int kind;		/* enum bt_snapshot_kind */
	uint64_t ts;			/* trace clock, ns */
	const unsigned char *data;
	size_t len;
};

/* Metadata keys every writer should set (more are welcome). */
#define BT_META_KERNEL		"kernel_release"
#define BT_META_PAGE_SIZE	"page_size"
#define BT_META_CPUS		"cpus"
#define BT_META_CLOCK		"trace_clock"
#define BT_META_CMDLINE		"cmdline"
#define BT_META_HOSTNAME	"hostname"
#define BT_META_SOURCE		"source"	/* record, import-tracedat, ... */
#define BT_META_KERNEL_CMDLINE	"kernel_cmdline"

/* ---- writing ---- */

struct bt_writer;

/**
 * bt_writer_open - create a .bt file
 * @path: file to create ("-" for stdout)
 * @nr_cpus: number of per-CPU event streams
 *
 * Returns a writer (free with bt_writer_close) or NULL with errno set.
 */
struct bt_writer *bt_writer_open(const char *path, unsigned int nr_cpus);

/* Metadata: key/value strings; formats: raw tracepoint format files. */
int bt_writer_set_meta(struct bt_writer *w, const char *key, const char *value);
int bt_writer_add_format(struct bt_writer *w, const char *system,
			 const char *name, const char *format_text);
int bt_writer_add_snapshot(struct bt_writer *w, unsigned int kind, uint64_t ts,
			   const void *data, size_t len);
/* Stack table entry: id >= 1, frames as addresses plus symbol text. */
int bt_writer_add_stack(struct bt_writer *w, uint32_t id,
			const uint64_t *ips, unsigned int nr,
			const char *symbols);

/**
 * bt_writer_add_event - append one event to its CPU's stream
 *
 * Events of one CPU must come in time order; CPUs may interleave freely.
 * Lost-event markers are BT_EV_LOST events. Returns 0 or negative.
 */
int bt_writer_add_event(struct bt_writer *w, const struct bt_event *ev);

/* Write out buffered chunks now (the recorder calls it periodically). */
int bt_writer_flush(struct bt_writer *w);

/* Bytes written so far (for progress lines). */
uint64_t bt_writer_bytes(const struct bt_writer *w);

/**
 * bt_writer_close - flush, write the index and the trailer, close
 *
 * Frees @w whatever happens. Returns 0 or the first error seen.
 */
int bt_writer_close(struct bt_writer *w);

/* Discard without finishing (removes nothing already written). */
void bt_writer_abort(struct bt_writer *w);

/*
 * zstd level of later chunks, 1..19 (default 6: 1.88 bytes per event on a
 * kmem trace at 0.2 s per million events; 9 gives 1.85 at 0.33 s, 3 gives
 * 1.97 at 0.12 s). Returns 0 or -EINVAL.
 */
int bt_writer_set_level(struct bt_writer *w, int level);

/* ---- reading ---- */

struct bt_reader;

/**
 * bt_reader_open - open a .bt file for reading
 * @path: file ("-" for stdin is not seekable: read linearly)
 * @err: receives a negative code on failure
 *
 * Reads metadata, formats, snapshots and the index (or scans linearly when
 * there is none). A file cut short opens fine: bt_reader_damage() says
 * what was lost. Returns a reader (bt_reader_close) or NULL.
 */
struct bt_reader *bt_reader_open(const char *path, int *err);
void bt_reader_close(struct bt_reader *r);

/**
 * bt_reader_dup - a second, independent reader of the file @r reads
 * @r: an open reader
 * @err: receives a negative code on failure
 *
 * Its own stream position, over the same bytes and the sections @r
 * parsed (not read or mapped again, so standard input works too): close
 * it before @r. Returns the reader, or NULL.
 */
struct bt_reader *bt_reader_dup(const struct bt_reader *r, int *err);

/**
 * bt_reader_set_quiet - count damaged chunks without a warning for each
 * @r: a reader
 * @quiet: true to stay quiet
 *
 * For a second pass over a file whose damage the first pass reports;
 * bt_reader_damage() still counts it.
 */
void bt_reader_set_quiet(struct bt_reader *r, bool quiet);

/**
 * bt_reader_next - next event in time order over all CPUs
 *
 * Equal timestamps: lower CPU first, then file order. Returns 1 with @ev
 * filled, 0 at the end, negative on error (later chunks are unreadable;
 * events already returned stay valid).
 */
int bt_reader_next(struct bt_reader *r, struct bt_event *ev);

/* Restart the stream from the first event. */
int bt_reader_rewind(struct bt_reader *r);

/**
 * bt_reader_set_prefetch - decompress ahead on a helper thread, or not
 * @r: a reader, before its first read
 * @on: true (the default) for the helper
 *
 * Off, the reader stays on its caller's thread: a process whose other
 * work already keeps every CPU busy gains nothing from the helper, and a
 * second running thread makes each TLB flush of the process (munmap,
 * copy-on-write) interrupt its CPU too.
 */
void bt_reader_set_prefetch(struct bt_reader *r, bool on);

/**
 * bt_reader_follow - move a reader to where another one stands
 * @r: a bt_reader_dup() of the reader @src was made from (or of @src)
 * @src: the reader to follow
 *
 * @r's next event becomes @src's next event, without decoding anything:
 * its CPUs' decoders take @src's state and read on in @src's current
 * chunk bodies, and load the chunks after them into buffers of their
 * own. So @r must only read while it is at or ahead of @src in the
 * stream (each of @src's CPUs then left a chunk only after @r did): a
 * look-ahead reader. Returns 0, or -EINVAL when @r and @src do not read
 * the same file the same way.
 */
int bt_reader_follow(struct bt_reader *r, const struct bt_reader *src);

/*
 * Restart the stream at the first event with ts >= @ts, skipping whole
 * chunks by their time range (no decoding of chunks before @ts).
 */
int bt_reader_seek(struct bt_reader *r, uint64_t ts);

/* Metadata value or NULL; borrowed. */
const char *bt_reader_meta(const struct bt_reader *r, const char *key);
/* Iterate all metadata: returns false past the end. */
bool bt_reader_meta_at(const struct bt_reader *r, unsigned int i,
		       const char **key, const char **value);
/* Raw tracepoint format text or NULL; borrowed. */
const char *bt_reader_format(const struct bt_reader *r, const char *system,
			     const char *name);
unsigned int bt_reader_nr_snapshots(const struct bt_reader *r);
const struct bt_snapshot *bt_reader_snapshot(const struct bt_reader *r,
					     unsigned int i);
/* Stack: returns nr of frames, fills *ips and *symbols (borrowed). */
int bt_reader_stack(const struct bt_reader *r, uint32_t id,
		    const uint64_t **ips, const char **symbols);

struct bt_trace_stats {
	uint64_t events;		/* from the index, or counted */
	uint64_t per_type[BT_EV_TYPE_COUNT];
	uint64_t lost_events;		/* sum of BT_EV_LOST counts */
	uint64_t lost_markers;
	uint64_t first_ts, last_ts;
	uint64_t file_bytes;
	unsigned int nr_cpus;
	unsigned int chunks;
};

/**
 * bt_reader_stats - counts of the whole file without decoding every event
 * when the index holds them (otherwise one pass)
 */
int bt_reader_stats(struct bt_reader *r, struct bt_trace_stats *st);

struct bt_damage {
	bool truncated;			/* file cut short */
	bool no_index;			/* read by linear scan */
	uint64_t bytes_lost;		/* trailing bytes not in a whole chunk */
	unsigned int bad_chunks;	/* checksum or decode failures */
};
void bt_reader_damage(const struct bt_reader *r, struct bt_damage *d);
/* Format version of the file (major, minor). */
void bt_reader_version(const struct bt_reader *r, unsigned int *major,
		       unsigned int *minor);


/* ---- dumping (text close to trace-cmd report, JSON Lines, CSV) ---- */

enum bt_dump_format {
	BT_DUMP_TEXT,
	BT_DUMP_JSONL,
	BT_DUMP_CSV,
	BT_DUMP_NONE,		/* read and filter only (timing) */
};

struct bt_dump_filter {
	bool any_type;			/* types[] holds a selection */
	bool types[BT_EV_TYPE_COUNT];
	bool have_pid, have_cpu;
	int32_t pid;
	uint32_t cpu;
	uint64_t from, to;		/* inclusive; to 0 = no end */
};

/**
 * bt_dump_filter_types - select event types by a comma-separated list of
 * bare tracepoint names ("mm_page_alloc"), "system:name", or whole systems
 * ("kmem", "compaction", "vmscan", "oom", "ftrace", "buddytrace")
 *
 * Returns 0, or BT_E_USAGE naming nothing known (@bad receives the first
 * unknown name, borrowed from @list's copy in @bad_buf).
 */
int bt_dump_filter_types(struct bt_dump_filter *f, const char *list,
			 char *bad_buf, size_t bad_size);
bool bt_dump_match(const struct bt_dump_filter *f, const struct bt_event *ev);

struct bt_dumper;

/**
 * bt_dumper_new - an event printer writing to @out
 * @r: the reader the events come from (CSV columns follow the event types
 *     it holds; snapshot kinds are looked up in it)
 *
 * Returns a dumper (bt_dumper_free) or NULL with errno set.
 */
struct bt_dumper *bt_dumper_new(FILE *out, enum bt_dump_format fmt,
				struct bt_reader *r,
				const struct bt_dump_filter *f);
/* Print one event. Returns 0 or -errno from the stream (EPIPE...). */
int bt_dumper_event(struct bt_dumper *d, const struct bt_event *ev);
void bt_dumper_free(struct bt_dumper *d);

/**
 * bt_dump_snapshots - print the /proc snapshots whose ts is in the
 * filter's range, in time order: text (a header line, then the file as
 * captured), JSON Lines or CSV (no contents)
 *
 * Returns 0 or -errno.
 */
int bt_dump_snapshots(FILE *out, enum bt_dump_format fmt,
		      const struct bt_reader *r,
		      const struct bt_dump_filter *f);

/* ---- importing ---- */

/* What an input looks like, from its first bytes. */
enum bt_input_kind {
	BT_INPUT_UNKNOWN = 0,
	BT_INPUT_BT,		/* a .bt file */
	BT_INPUT_TRACEDAT,	/* trace-cmd trace.dat (any version) */
	BT_INPUT_TEXT,		/* ftrace text: trace_pipe, trace-cmd report, perf script */
};
enum bt_input_kind bt_input_detect(const unsigned char *head, size_t len);

struct bt_import_opts {
	const char *instance;		/* trace.dat buffer to take, or NULL */
	bool have_vmemmap;		/* page= pointers convertible to pfns */
	uint64_t vmemmap_base;
	unsigned int struct_page_size;	/* bytes, usually 64 */
};

struct bt_import_stats {
	uint64_t lines;			/* text: lines read */
	uint64_t events;		/* events written */
	uint64_t per_type[BT_EV_TYPE_COUNT];
	uint64_t unknown_lines;		/* text lines not understood */
	uint64_t unknown_events;	/* events of types we do not model */
	uint64_t lost_markers, lost_events;
	uint64_t pfn_unknown;		/* events kept with BT_PFN_UNKNOWN */
	uint64_t first_ts, last_ts;
	char first_unknown[160];	/* first line not understood */
	uint64_t out_of_order;		/* text: events whose time went back
					 * on their CPU, kept at its last time */
	char why[160];			/* why an input was refused, or "" */
};

/**
 * bt_import_text - read ftrace text (trace/trace_pipe, trace-cmd report,
 * perf script and their variants) and append its events to @w
 * @in: the text; read to the end
 * @w: an open writer, or NULL to parse and count only; its metadata
 *     (source, cpus, kernel) is set when the text says
 *
 * Returns 0, BT_E_NO_EVENTS when no line was recognized at all, or another
 * negative code. Unknown lines among known ones are counted, never fatal.
 */
int bt_import_text(FILE *in, struct bt_writer *w,
		   const struct bt_import_opts *o, struct bt_import_stats *st);

/**
 * bt_import_tracedat - read a trace-cmd trace.dat through libtracecmd and
 * append its events, formats and lost-event markers to @w
 *
 * Returns 0 (possibly with warnings logged for missing parts of a cut file),
 * or a negative code (BT_E_FORMAT, BT_E_TRUNCATED, BT_E_CORRUPT,
 * BT_E_UNSUPPORTED, BT_E_NO_EVENTS, -errno); a header refused before
 * libtracecmd reads it leaves the reason in @st->why.
 */
int bt_import_tracedat(const char *path, struct bt_writer *w,
		       const struct bt_import_opts *o,
		       struct bt_import_stats *st);

#endif
