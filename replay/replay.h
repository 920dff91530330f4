/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * replay.h - drive a .bt trace through the reference allocator.
 *
 * bt_replay_run() reads the reader's time-ordered event stream once and
 * feeds every allocator event into allocator/ (the model), in one of two
 * modes, filling a struct bt_replay_summary of plain integer counters (and
 * a few bounded lists) that the command layer and analyze/ print.
 *
 * MIRROR mode applies the recorded placements. Each mm_page_alloc takes
 * the recorded pfn (forced placement, splitting the free block that holds
 * it); each mm_page_free returns it. Before applying an allocation the
 * mirror asks the model what the kernel's checks would have said on the
 * mirrored state (does the fast path pass the LOW watermark? if not,
 * which slow-path stage would first succeed?). At every buddyinfo
 * snapshot the mirrored free lists are compared with the snapshot, zone
 * by zone and order by order.
 *
 * MODEL mode lets the model place every allocation itself. A recorded
 * free is mapped through a dense pfn map (recorded pfn -> model pfn, one
 * 32-bit entry per page, set for every page of an allocation, so a
 * partial free of a larger block frees the matching part of the model
 * block; no per-event malloc) to the model's block. A page the trace
 * never allocated was in use before the trace began in the recorded
 * system and in the model alike (both start from the same map, and the
 * model never hands out a page in use): its free frees the same pfn.
 *
 * Per-CPU lists (mirror). buddyinfo does not count pages on per-CPU
 * lists, so the mirror keeps them out of the buddy. It tracks them in its
 * own per-page state byte (PCP), not in the model's pcp lists: for the
 * model a block on a mirrored list is simply allocated, and the model's
 * free lists are exactly the kernel's buddy lists. So:
 *  - mm_page_alloc_zone_locked with percpu_refill=1 takes the block out
 *    of the model's free lists (a silent allocation) and marks it PCP;
 *    with percpu_refill=0 the mm_page_alloc that follows takes it;
 *  - mm_page_alloc of a PCP block marks it allocated (the model's forced
 *    placement finds it already taken: no change), after the verdict;
 *  - mm_page_free of a pcp-allowed order (0..3 and the pageblock order on
 *    6.x, 0 on 4.12) marks the block PCP, other orders go straight back
 *    to the model's buddy (merging);
 *  - mm_page_pcpu_drain frees a PCP block into the model's buddy;
 *  - mm_page_alloc_extfrag: the block handed out left the free lists
 *    then (a whole-pageblock claim or a steal fires no zone_locked, and
 *    a THP refill takes two order-9 blocks whose mm_page_alloc may never
 *    come): at a pcp-allowed order a block the mirror holds free is
 *    marked PCP, as a refill's; at other orders the mm_page_alloc that
 *    follows takes it;
 *  - mm_page_free_batched always follows an mm_page_free of the same page
 *    and is ignored (frees are counted from mm_page_free alone).
 * The watermark verdicts need no pcp contents: the kernel checks the
 * watermark before it looks at any list.
 *
 * Handling rules for what the kernel does without a trace event (see also
 * ALLOCATOR-SPEC section 11 and buddytrace-replay(1)):
 *  - per-CPU list contents at the start: pages on a pcp list when the
 *    trace began look allocated in the map; a pcp hit on such a page
 *    (mm_page_alloc of a page never touched by the trace and not free)
 *    is accepted (initial_pcp_allocs), and a pcpu_drain of one frees it
 *    into the buddy (initial_pcp_drains);
 *  - a pcp free whose pcp trylock failed goes straight to the buddy with
 *    no drain event; the mirror cannot see it and keeps the block PCP
 *    until it is allocated again (a buddyinfo difference meanwhile);
 *  - bulk allocations (alloc_pages_bulk: no mm_page_alloc) are served
 *    mostly from per-CPU lists: a free of a page the mirror holds PCP
 *    means it was taken silently; counted in silent_removals (not an
 *    inconsistency), then freed as usual;
 *  - compaction's free-page isolation (and migration targets) removes
 *    free pages without an mm_page_alloc; mm_compaction_isolate_freepages
 *    gives the scanned range and the pages taken: the mirror takes that
 *    many pages of the free blocks whose heads lie in the range, lowest
 *    first (isolated_pages), or, when the event scanned fewer pages than
 *    its range (an async scan's stride), those a stride of 2..32 lands
 *    on if one reproduces nr_taken and nr_scanned exactly. The event's
 *    end is where isolate_freepages_block() stopped, so a scan whose
 *    nr_scanned covers its range looked at every pfn in it and took
 *    every free block it found there: the mirror then takes all the
 *    free blocks whose heads lie in the range, and those beyond
 *    nr_taken, which the kernel did not hold free, are counted apart
 *    (isolated_extra_pages).
 *    mm_compaction_fast_isolate_freepages: the kernel searched the
 *    MOVABLE lists from the run's search order down, round robin, each
 *    from the tail for a limit that halves per candidate and per order,
 *    took at most one block and rotated every list it scanned
 *    (move_freelist_head()); nr_scanned counts all of them plus
 *    nr_taken - 1. Per task the mirror tracks the run's order, search
 *    order, failure count and migration scanner pfn (try_to_compact_pages
 *    or kcompactd_wake, compaction_begin, isolate_migratepages, the fast
 *    events themselves) and replays the search from the tracked search
 *    order with the tracked limit, the scan start's, then the other
 *    failure counts' (fastsearch.c), applying the first reading that
 *    reproduces nr_scanned and nr_taken: each list rotated (also when
 *    nothing was taken), the block taken. When none fits, the taken order's
 *    list alone: from the tail, as many blocks as nr_scanned says, the
 *    first at or above low_pfn else the highest at or above min_pfn,
 *    then move_freelist_head(); when that finds none, the block nearest
 *    the tail at or above min_pfn among the first 1024, else the range
 *    rule above from min_pfn. Every block isolated is a silent take for
 *    the fallbacks pending in retro.c. A free of a block the mirror
 *    holds free inside the last isolated range of its zone is a silent
 *    removal; anywhere else it is an inconsistency (FREE_OF_FREE).
 *    Either way it is a silent allocation followed by the free
 *    (ALLOCATOR-SPEC 11.1);
 *  - a map with read times (buddytrace record reads it with tracing on):
 *    a page event earlier than the read of its page is already in the
 *    map; it is counted (premap_events), an allocation judged, nothing
 *    applied (premap.c);
 *  - a map without them (read before tracing started): a free of a page
 *    the map holds free and no traced event touched since was allocated
 *    in between; it is counted in untraced_window_frees (not an
 *    inconsistency), then freed as above. Blocks only the map shows free
 *    may therefore be stale: fallbacks_confirmed_trace is
 *    fallbacks_confirmed counted without them;
 *  - a free traced on another CPU within 1 ms before a recorded fallback
 *    may not have reached the free lists (mm_page_free fires before the
 *    zone lock the fallback held): such blocks are not the fallback's
 *    obstacles; with no other it counts as confirmed
 *    (fallbacks_confirmed_inflight). A drain of a block the map shows
 *    free proves it sat on a per-CPU list: seen taken for retro.c;
 *  - free page reporting (virtio-balloon takes order >= pageblock blocks
 *    off the free lists for a while and puts them back) leaves no event
 *    and no net change: ignored.
 * Reclaim frees (pages freed by kswapd or inside a direct-reclaim window)
 * and OOM victims' frees are ordinary frees in both modes, counted apart.
 * In model mode reclaim can only release what the trace shows being
 * freed by kswapd or direct reclaimers: a first pass marks those pages;
 * the model's reclaim frees such blocks, oldest allocation first, maybe
 * earlier than the trace did (reclaimed_pages; their recorded frees then
 * count as reclaimed_early_frees). When the model fails an allocation
 * that the trace shows succeeding, it counts as failures_real_avoided.
 *
 * Inconsistencies (a free of a block the model thinks free, an allocation
 * of a block it thinks taken, lost-event markers, pfns outside every
 * zone) are counted with their first BT_REPLAY_MAX_OCCUR occurrences and
 * never abort a replay.
 *
 * Output is deterministic: the summary depends only on the trace, the
 * options and the knobs (no clock, no addresses, no hash order).
 */
#ifndef BT_REPLAY_H
#define BT_REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "../common/common.h"

struct bt_reader;

#define BT_REPLAY_SCHEMA_VERSION 1
#define BT_REPLAY_MAX_ZONES 4		/* DMA, DMA32, Normal, Movable */
#define BT_REPLAY_NR_ORDERS 11		/* orders 0..10 */
#define BT_REPLAY_MAX_OCCUR 8		/* first occurrences kept per list */

enum bt_replay_mode {
	BT_REPLAY_MIRROR = 0,
	BT_REPLAY_MODEL,
};

enum bt_replay_profile {
	BT_REPLAY_PROFILE_AUTO = 0,	/* from the trace's kernel release */
	BT_REPLAY_PROFILE_4_12,
	BT_REPLAY_PROFILE_6_X,
};

/*
 * Knobs (--set KNOB=VALUE). Each has a valid range checked by
 * bt_replay_knob_set(); fallback_policy takes a name (see
 * bt_replay_knob_set). test_break_fallback breaks one model rule on
 * purpose (the fallback order is reversed) so a test can prove that
 * `buddytrace check` catches a regression; never use it otherwise.
 */
#define BT_REPLAY_KNOBS(X)						\
	X(MIN_FREE_KBYTES, min_free_kbytes, 128, 67108864)		\
	X(WATERMARK_SCALE_FACTOR, watermark_scale_factor, 1, 3000)	\
	X(WATERMARK_BOOST_FACTOR, watermark_boost_factor, 0, 1000000)	\
	X(PCP_HIGH, pcp_high, 0, 16777216)				\
	X(PCP_BATCH, pcp_batch, 1, 65536)				\
	X(PAGEBLOCK_ORDER, pageblock_order, 1, 10)			\
	X(EXTFRAG_THRESHOLD, extfrag_threshold, 0, 1000)		\
	X(COMPACTION_PROACTIVENESS, compaction_proactiveness, 0, 100)	\
	X(FALLBACK_POLICY, fallback_policy, 0, 3)			\
	X(TEST_BREAK_FALLBACK, test_break_fallback, 0, 1)

enum bt_replay_knob {
#define BT_X_KNOB_ENUM(id, name, lo, hi) BT_KNOB_##id,
	BT_REPLAY_KNOBS(BT_X_KNOB_ENUM)
#undef BT_X_KNOB_ENUM
	BT_KNOB_COUNT
};

/* fallback_policy values (names or numbers on the command line). */
enum bt_replay_fallback_policy {
	BT_REPLAY_FALLBACK_KERNEL = 0,	/* "kernel": the profile's rules */
	BT_REPLAY_FALLBACK_LARGEST,	/* "largest": 4.12's largest block */
	BT_REPLAY_FALLBACK_CLAIM_STEAL,	/* "claim_steal": 6.16+ rules */
	BT_REPLAY_FALLBACK_NONE,	/* "none": never fall back */
};

struct bt_replay_knobs {
	bool set[BT_KNOB_COUNT];
	int64_t value[BT_KNOB_COUNT];
};

/* Stages of an allocation, as bits of bt_replay_decision.stages. */
#define BT_REPLAY_STAGES(X)						\
	X(KSWAPD_WAKE, kswapd_wake)					\
	X(MIN_WMARK, min_wmark_retry)					\
	X(COSTLY_COMPACT, costly_compaction)				\
	X(DIRECT_RECLAIM, direct_reclaim)				\
	X(DIRECT_COMPACT, direct_compaction)				\
	X(RETRY, retries)						\
	X(OOM, oom)							\
	X(NOFAIL, nofail)						\
	X(FAILURE, failure)

enum bt_replay_stage {
#define BT_X_STAGE_ENUM(id, name) BT_REPLAY_STAGE_##id,
	BT_REPLAY_STAGES(BT_X_STAGE_ENUM)
#undef BT_X_STAGE_ENUM
	BT_REPLAY_STAGE_COUNT
};

/* Verdicts of bt_replay_decision.verdict. */
enum bt_replay_verdict {
	BT_VERDICT_FAST = 0,		/* fast path passes */
	BT_VERDICT_SLOW,		/* slow path; see stages */
	BT_VERDICT_FAILED,		/* allocation fails */
	BT_VERDICT_FREE,		/* a free applied */
	BT_VERDICT_PCP,			/* moved to/from a per-CPU list */
	BT_VERDICT_IGNORED,		/* event noted, no state change */
	BT_VERDICT_INCONSISTENT,	/* counted as an inconsistency */
	BT_VERDICT_COUNT
};

/* Fallback classes, as bits of bt_replay_decision.fallback. */
#define BT_REPLAY_FB_ANY		0x1
#define BT_REPLAY_FB_FRAGMENTING	0x2	/* order < pageblock order */
#define BT_REPLAY_FB_SEVERE		0x4	/* fallback order <= 3 */
#define BT_REPLAY_FB_MODERATE		0x8	/* fragmenting, order > 3 */
#define BT_REPLAY_FB_OWNERSHIP		0x10	/* pageblock claimed */

/**
 * struct bt_replay_decision - what replay did with one event (--events)
 *
 * pfn is the recorded pfn, model_pfn the model's placement (model mode;
 * BT_PFN_NONE when it failed; equal to pfn in mirror mode).
 */
struct bt_replay_decision {
	uint64_t ts;
	uint32_t event;			/* enum bt_event_type */
	uint32_t cpu;
	int32_t pid;
	int32_t zone;			/* zone index, -1 unknown */
	uint64_t pfn;
	uint64_t model_pfn;
	unsigned int order;
	enum bt_replay_verdict verdict;
	uint32_t stages;		/* 1u << BT_REPLAY_STAGE_* */
	uint32_t fallback;		/* BT_REPLAY_FB_* */
};

typedef void (*bt_replay_decision_fn)(const struct bt_replay_decision *d,
				      void *data);
struct bt_event;
/* An event source: returns what bt_reader_next() would, *ev pointing to
 * the event (valid until the next call). */
typedef int (*bt_replay_next_fn)(void *data, const struct bt_event **ev);
/* Progress: events done, events in the file (0 unknown). */
typedef void (*bt_replay_progress_fn)(uint64_t done, uint64_t total,
				      void *data);

/**
 * struct bt_replay_opts - how to replay; bt_replay_opts_init() first
 * @mode: MIRROR or MODEL
 * @profile: kernel profile, AUTO takes it from the trace
 * @knobs: set through bt_replay_knob_set()
 * @zoneinfo, @zoneinfo_len: /proc/zoneinfo text used instead of the
 *	trace's snapshot (borrowed; NULL: use the trace's)
 * @t0, @t1: replay window on the trace clock (ns); events outside
 *	[t0, t1] still update the state but are not counted; t1 0 = no end
 * @on_decision: called per event (NULL: none), @decision_data its cookie
 * @sample_interval_ns: a state sample every N ns of trace time besides
 *	the one at each snapshot (0: at snapshots only)
 * @on_progress: called every BT_REPLAY_PROGRESS_EVERY events
 * @next_event: the event stream from elsewhere (NULL: the reader's);
 *	@next_data its cookie. It returns what bt_reader_next() would, from
 *	the first event on; the reader still gives snapshots, metadata and
 *	model mode's first pass. analyze shares one decoding this way.
 * @exit_after: the process exits right after the replay: the state's
 *	memory is left to the exit (analyze's child process)
 * @reclaim_log_max: model mode: allocations logged before the reclaim
 *	pass reads to its end (replay/reclaim.c); 0 for the default,
 *	BT_RECLAIM_LOG_MAX. Tests set a small one; results do not depend
 *	on it.
 */
struct bt_replay_opts {
	enum bt_replay_mode mode;
	enum bt_replay_profile profile;
	struct bt_replay_knobs knobs;
	const char *zoneinfo;
	size_t zoneinfo_len;
	uint64_t t0, t1;
	bt_replay_decision_fn on_decision;
	void *decision_data;
	uint64_t sample_interval_ns;
	bt_replay_progress_fn on_progress;
	void *progress_data;
	bt_replay_next_fn next_event;
	void *next_data;
	size_t reclaim_log_max;
	bool exit_after;
};

#define BT_REPLAY_PROGRESS_EVERY (1u << 20)

/* Kinds of inconsistencies. */
#define BT_REPLAY_INCONS(X)						\
	X(FREE_OF_FREE, free_of_free)					\
	X(ALLOC_OF_TAKEN, alloc_of_taken)				\
	X(LOST_EVENTS, lost_events)					\
	X(PFN_OUT_OF_RANGE, pfn_out_of_range)

enum bt_replay_incons {
#define BT_X_INC_ENUM(id, name) BT_INC_##id,
	BT_REPLAY_INCONS(BT_X_INC_ENUM)
#undef BT_X_INC_ENUM
	BT_INC_COUNT
};

/* One listed occurrence: the event and its context. */
struct bt_replay_occur {
	uint64_t ts;
	uint32_t event;			/* enum bt_event_type */
	uint32_t cpu;
	int32_t pid;
	unsigned int order;
	uint64_t pfn;
	uint64_t detail;		/* kind-specific (lost count, ...) */
	char comm[16];
};

struct bt_replay_occur_list {
	uint64_t count;
	unsigned int nr;		/* <= BT_REPLAY_MAX_OCCUR */
	struct bt_replay_occur first[BT_REPLAY_MAX_OCCUR];
};

struct bt_replay_fallbacks {
	uint64_t total;
	uint64_t fragmenting;
	uint64_t severe;		/* fallback order <= 3 */
	uint64_t moderate;		/* fragmenting, fallback order > 3 */
	uint64_t ownership_changed;
};

/* Counts of one run (the mirror's verdicts or the model's own run). */
struct bt_replay_paths {
	uint64_t allocations;		/* mm_page_alloc events (incl. failed) */
	uint64_t pages;			/* pages of successful allocations */
	uint64_t fast;			/* fast-path hits */
	uint64_t slowpath;		/* slow-path entries */
	uint64_t stage[BT_REPLAY_STAGE_COUNT];	/* per stage reached */
	uint64_t failed;
	uint64_t oom_kills;		/* OOM decisions */
	struct bt_replay_fallbacks fallbacks;
};

/* One snapshot, one zone: mirrored free lists minus the snapshot. */
struct bt_replay_zone_cmp {
	int64_t diff_pages[BT_REPLAY_NR_ORDERS];	/* (mirror - snap) << o */
	uint64_t snap_free_pages;	/* zone's free pages in the snapshot */
	unsigned int worst_order;	/* order with the largest |diff| */
	int64_t worst_pages;
	uint32_t worst_ppm;		/* |worst| / snap_free_pages, 1e-6 */
};

struct bt_replay_snapcmp {
	unsigned int snapshot;		/* index among the trace's snapshots */
	uint64_t ts;
	struct bt_replay_zone_cmp zone[BT_REPLAY_MAX_ZONES];
};

/* A time-series sample of the replayed state. */
struct bt_replay_sample {
	uint64_t ts;
	uint64_t free[BT_REPLAY_MAX_ZONES][BT_REPLAY_NR_ORDERS];  /* blocks */
	int32_t frag_index[BT_REPLAY_MAX_ZONES][BT_REPLAY_NR_ORDERS]; /* x1000 */
	uint64_t fast, slowpath, fallbacks, failed;	/* cumulative */
};

/*
 * Per-allocation slow-path evidence: allocations for which the same pid
 * emitted wakeup_kswapd, try_to_compact_pages, direct reclaim begin/end,
 * reclaim_retry_zone, compact_retry or OOM events since its previous
 * mm_page_alloc.
 */
struct bt_replay_evidence {
	uint64_t evidenced;		/* allocations with evidence */
	uint64_t agreed;		/* ... the mirror also judges slow */
	struct bt_replay_occur_list disagreed;	/* detail: evidence bits */
};

/**
 * struct bt_replay_summary - everything a replay found
 *
 * The arrays (snapcmp, samples) are owned by the summary: release it with
 * bt_replay_summary_release(). All other members are plain values.
 */
struct bt_replay_summary {
	enum bt_replay_mode mode;
	enum bt_replay_profile profile;	/* resolved */
	struct bt_replay_knobs knobs;	/* as given */
	unsigned int nr_zones;
	char zone_name[BT_REPLAY_MAX_ZONES][16];
	uint64_t zone_start_pfn[BT_REPLAY_MAX_ZONES];
	uint64_t zone_spanned[BT_REPLAY_MAX_ZONES];
	bool free_map;			/* set up from a free-page map */

	uint64_t events;		/* events read */
	uint64_t events_in_window;
	uint64_t per_type[64];		/* events per type in the window */
	uint64_t first_ts, last_ts;

	/* what the trace recorded */
	struct bt_replay_paths recorded;	/* fast = unknown, 0 */
	uint64_t frees, freed_pages;
	uint64_t reclaim_frees;		/* kswapd / direct-reclaim window */
	uint64_t oom_victim_frees;
	uint64_t pcp_refills, pcp_drains;

	/* the replay's run (mirror verdicts, or the model's own) */
	struct bt_replay_paths run;

	/* mirror only */
	struct bt_replay_evidence evidence;
	uint64_t fallbacks_checked;	/* recorded extfrag events */
	/*
	 * ... for which the mirror held no free block of the requested type
	 * at a usable order in the pfn's zone, among pageblocks whose type the
	 * trace revealed (zone_locked, pcpu_drain, extfrag): /proc gives no
	 * pageblock types.
	 */
	uint64_t fallbacks_confirmed;
	/*
	 * ... of them, those confirmed only once the trace showed every
	 * free block that stood in the way taken without an event (retro.c)
	 */
	uint64_t fallbacks_confirmed_retro;
	/*
	 * Included in fallbacks_confirmed: every free block that stood in the
	 * way was freed on another CPU within BT_INFLIGHT_NS (1 ms) before
	 * the fallback. mm_page_free fires before the zone lock is taken, and
	 * the fallback ran under that lock, so those frees had not landed.
	 */
	uint64_t fallbacks_confirmed_inflight;
	struct bt_replay_occur_list fallbacks_unconfirmed;
	uint64_t failures_predicted;	/* recorded failures judged failing */
	/*
	 * Evidenced allocations judged slow on the state at their task's
	 * first slow-path event, though the state at mm_page_alloc (after
	 * the slow path's compaction or reclaim) would pass the fast path.
	 */
	uint64_t early_verdicts;
	uint64_t initial_pcp_allocs, initial_pcp_drains;
	uint64_t initial_frees;		/* frees of blocks allocated at start */
	uint64_t partial_frees;
	/*
	 * Frees of pages free in the initial map and untouched since: they
	 * were allocated between the map and the trace's first event.
	 */
	uint64_t untraced_window_frees;
	/*
	 * Page events before the free-page map read their pages (the map's
	 * read times say so): already in the map, so counted, not applied.
	 */
	uint64_t premap_events;
	/*
	 * Recorded fallbacks confirmed when free blocks that only the initial
	 * map shows free (untouched by the trace since) are not counted.
	 */
	uint64_t fallbacks_confirmed_trace;
	/* free pages compaction isolated (mm_compaction_isolate_freepages) */
	uint64_t isolated_pages;
	/*
	 * Pages the mirror held free in a range compaction's free scanner
	 * saw whole, beyond those it took: not free in the kernel (it takes
	 * every free block it sees), so taken as well.
	 */
	uint64_t isolated_extra_pages;

	/* model only */
	uint64_t failures_real_avoided;
	uint64_t reclaimed_pages;	/* freed by the model's reclaim */
	uint64_t reclaimed_early_frees;	/* recorded frees it came before */
	uint64_t initial_unmapped_frees;	/* frees of blocks the model
						 * never placed (it failed them) */

	struct bt_replay_occur_list incons[BT_INC_COUNT];
	uint64_t inconsistencies;	/* sum of incons[].count */
	struct bt_replay_occur_list silent_removals;
	uint64_t lost_events;		/* sum of lost counts */

	unsigned int nr_snapcmp;
	struct bt_replay_snapcmp *snapcmp;
	unsigned int nr_samples;
	struct bt_replay_sample *samples;
};

/* Defaults: mirror, AUTO profile, no knobs, no window. */
void bt_replay_opts_init(struct bt_replay_opts *o);

/**
 * bt_replay_knob_set - validate and set one knob from "KNOB=VALUE"
 * @k: knobs to fill
 * @kv: "min_free_kbytes=270336", "fallback_policy=largest", ...
 *
 * Returns 0, BT_E_USAGE for an unknown knob or a malformed pair, or
 * BT_E_RANGE for a value outside the knob's range.
 */
int bt_replay_knob_set(struct bt_replay_knobs *k, const char *kv);

/* Valid range of a knob, for messages. */
void bt_replay_knob_range(unsigned int knob, int64_t *lo, int64_t *hi);

/* Name of a knob ("min_free_kbytes"), a stage, a verdict, a kind. */
const char *bt_replay_knob_name(unsigned int knob);
const char *bt_replay_stage_name(unsigned int stage);
const char *bt_replay_verdict_name(unsigned int verdict);
const char *bt_replay_incons_name(unsigned int kind);
const char *bt_replay_mode_name(enum bt_replay_mode mode);
const char *bt_replay_profile_name(enum bt_replay_profile p);

/**
 * bt_replay_run - replay a whole trace
 * @r: an open reader, positioned anywhere (it is rewound)
 * @o: options (bt_replay_opts_init first)
 * @s: receives the summary (initialized by this call; release it with
 *     bt_replay_summary_release even on error)
 *
 * Returns 0; BT_E_NO_ZONEINFO when neither the trace nor @o gives a
 * zoneinfo snapshot; BT_E_PARSE for an unusable snapshot; BT_E_RANGE
 * for zones whose pfns span 2^32 - 1 pages or more; a reader error
 * (when @s->events is not 0, @s then holds the summary of the events
 * read before it). Inconsistencies in the trace are never errors.
 */
int bt_replay_run(struct bt_reader *r, const struct bt_replay_opts *o,
		  struct bt_replay_summary *s);

void bt_replay_summary_release(struct bt_replay_summary *s);

/**
 * bt_replay_summary_json - the summary as one JSON object with
 * schema_version and a stable key order, appended to @out (ends with
 * a newline). Returns 0 or -ENOMEM.
 */
int bt_replay_summary_json(const struct bt_replay_summary *s,
			   struct bt_buf *out);

/* The summary as a text table that fits 100 columns, appended to @out. */
int bt_replay_summary_text(const struct bt_replay_summary *s,
			   struct bt_buf *out);

/* One --events line (JSON, no newline) appended to @out. */
int bt_replay_decision_json(const struct bt_replay_decision *d,
			    struct bt_buf *out);

#endif
