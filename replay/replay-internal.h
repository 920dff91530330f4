/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * replay-internal.h - what the files of replay/ share and nobody else sees:
 * a tiny JSON writer with a stable key order, the first-occurrence lists,
 * the per-pid slow-path evidence collector, and the replay context.
 */
#ifndef BT_REPLAY_INTERNAL_H
#define BT_REPLAY_INTERNAL_H

#include <string.h>

#include "replay.h"
#include "../traces/traces.h"

/* ---- JSON writer (appends to a bt_buf; errors are sticky) ---- */

struct bt_jw {
	struct bt_buf *out;
	int err;
	unsigned int depth;
	bool need_comma[32];
};

void bt_jw_init(struct bt_jw *w, struct bt_buf *out);
void bt_jw_obj_open(struct bt_jw *w, const char *key);	/* key NULL: value */
void bt_jw_obj_close(struct bt_jw *w);
void bt_jw_arr_open(struct bt_jw *w, const char *key);
void bt_jw_arr_close(struct bt_jw *w);
void bt_jw_u64(struct bt_jw *w, const char *key, uint64_t v);
void bt_jw_i64(struct bt_jw *w, const char *key, int64_t v);
void bt_jw_str(struct bt_jw *w, const char *key, const char *v);
void bt_jw_bool(struct bt_jw *w, const char *key, bool v);
/* A fixed-point fraction: ppm printed as 0.xxxxxx. */
void bt_jw_ppm(struct bt_jw *w, const char *key, uint64_t ppm);
/* A pfn: number, or null for BT_PFN_NONE / BT_PFN_UNKNOWN. */
void bt_jw_pfn(struct bt_jw *w, const char *key, uint64_t pfn);

/* ---- first occurrences ---- */

void bt_replay_occur_add(struct bt_replay_occur_list *l,
			 const struct bt_event *ev, uint64_t pfn,
			 unsigned int order, uint64_t detail);

/* ---- slow-path evidence per pid ---- */

/* Evidence bits (the events a task emitted before its mm_page_alloc). */
enum {
	BT_EVID_KSWAPD = 1u << 0,	/* mm_vmscan_wakeup_kswapd */
	BT_EVID_COMPACT = 1u << 1,	/* mm_compaction_try_to_compact_pages */
	BT_EVID_RECLAIM = 1u << 2,	/* direct reclaim begin/end */
	BT_EVID_RETRY_ZONE = 1u << 3,	/* reclaim_retry_zone */
	BT_EVID_COMPACT_RETRY = 1u << 4,/* compact_retry */
	BT_EVID_OOM = 1u << 5,		/* mark_victim */
	BT_EVID_IN_RECLAIM = 1u << 6,	/* inside a direct reclaim window */
};

#define BT_EVID_PIDS (1u << 22)		/* pid_max of 64-bit Linux */
/*
 * mirror: the latest frees to the buddy with their time and CPU. The
 * kernel traces mm_page_free before it takes the zone lock, so a free
 * traced on another CPU shortly before a fallback may not have reached
 * the free lists when the fallback happened (under that lock).
 */
#define BT_INFLIGHT_LEN 512u
#define BT_INFLIGHT_NS 1000000ull
struct bt_inflight {
	uint64_t pfn, ts;
	uint32_t cpu;
	uint32_t order;
};
#define BT_EARLY_SLOW (1u << 31)	/* ctx early[]: judged slow */

struct bt_evidence {
	uint8_t *bits;			/* per pid, BT_EVID_* */
};

int bt_evidence_init(struct bt_evidence *e);
void bt_evidence_release(struct bt_evidence *e);
/* Note an event; returns true when it was slow-path evidence. */
bool bt_evidence_note(struct bt_evidence *e, const struct bt_event *ev);
/* Take (and clear) the evidence of ev->pid at its mm_page_alloc. */
unsigned int bt_evidence_take(struct bt_evidence *e, int32_t pid);
/* True while pid is between direct_reclaim_begin and _end. */
bool bt_evidence_in_reclaim(const struct bt_evidence *e, int32_t pid);

/* ---- output helpers shared by summary.c ---- */

uint32_t bt_replay_ppm(uint64_t num, uint64_t den);
int32_t bt_replay_frag_index(const uint64_t *nr_free, unsigned int order);

#endif

/* ---- the replay context ---- */

/*
 * Recorded state of each page, one byte per pfn. The two free states
 * differ in one bit (BT_PG_FREE_BIT) and no other state equals either
 * with that bit cleared: one masked compare finds free pages.
 */
enum bt_pg_state {
	BT_PG_INIT = 0,		/* allocated at start, untouched by the trace */
	BT_PG_FREE = 1,		/* in the buddy free lists */
	BT_PG_ALLOC = 2,	/* allocated by a traced allocation */
	BT_PG_PCP = 3,		/* on a per-CPU list (mirror) */
	BT_PG_FREE_INIT = 5,	/* free at start, untouched by the trace */
	BT_PG_ISOLATED = 6,	/* taken by compaction's free scanner */
	BT_PG_RECLAIMED = 7,	/* model mode: freed early by the model's reclaim */
};
#define BT_PG_FREE_BIT 4u
_Static_assert((BT_PG_FREE ^ BT_PG_FREE_INIT) == BT_PG_FREE_BIT &&
	       (BT_PG_INIT & ~BT_PG_FREE_BIT) != BT_PG_FREE &&
	       (BT_PG_ALLOC & ~BT_PG_FREE_BIT) != BT_PG_FREE &&
	       (BT_PG_PCP & ~BT_PG_FREE_BIT) != BT_PG_FREE &&
	       (BT_PG_ISOLATED & ~BT_PG_FREE_BIT) != BT_PG_FREE &&
	       (BT_PG_RECLAIMED & ~BT_PG_FREE_BIT) != BT_PG_FREE,
	       "the free states are one masked compare");

static inline bool bt_pg_free(uint8_t st)
{
	return (st & ~BT_PG_FREE_BIT) == BT_PG_FREE;
}

/* Does any of the eight page states in @w equal @v? (exact SWAR test) */
static inline bool bt_pg_word_has(uint64_t w, uint8_t v)
{
	uint64_t t = w ^ (0x0101010101010101ull * v);

	return ((t - 0x0101010101010101ull) & ~t & 0x8080808080808080ull) != 0;
}

#define BT_MAP_NONE 0		/* map entries are pfn - base + 1 */
/* Largest span (lowest to highest zone pfn) a replay accepts, in pages. */
#define BT_REPLAY_MAX_SPAN (UINT32_MAX - 1ull)
#define BT_REPLAY_NR_MT 6		/* migratetypes the kernel numbers */

struct bt_port;

/* Model mode's reclaim FIFO: recorded blocks a reclaimer frees later. */
struct bt_reclaim_ent2 {
	uint32_t idx;			/* recorded pfn - base */
	uint8_t order;
};

struct bt_reclaim_fifo {
	struct bt_reclaim_ent2 *ent;
	size_t head, len, cap;
};

/* reclaim.c's first pass, read as far as the model's reclaim needs. */
struct bt_reclaim_scan {
	struct bt_reader *r;		/* a bt_reader_dup() while it reads */
	uint8_t *seen;			/* pages the trace touched so far */
	struct bt_evidence evid;
	uint64_t pos;			/* events the pass has seen */
	bool evid_live, started, done;
	bool synced;			/* r stands at pos */
	bool live;			/* started, not done: the replay hands
					 * it events (bt_reclaim_see()) */
};

/* ---- fallbacks confirmed in retrospect (retro.c) ---- */

#define BT_RETRO_BLOCKS 256
#define BT_RETRO_SLOT_SHIFT 9		/* index slot: 512 pages, aligned */

struct bt_retro_pending {
	struct bt_replay_summary *s;	/* where its outcome counts */
	uint64_t ts, pfn;
	uint32_t cpu;
	int32_t pid;
	unsigned int order, mt;
	unsigned int n;				/* held free blocks (in slots) */
	unsigned int nr_gone;			/* bits set in gone[] */
	uint64_t gone[BT_RETRO_BLOCKS / 64];	/* bit per block */
	bool done;
	bool held_at_end;			/* bt_retro_finish(): a block
						 * still free at the end */
	/*
	 * A check opened while the one before still held the same blocks,
	 * none of them gone, is its twin: it would meet every later event
	 * alike, so only the first of such a run (the lead, whose gone[]
	 * and slot entries serve all) is filed, and its twins (the checks
	 * right after it) are settled with it.
	 */
	uint32_t lead;				/* own id for a lead */
	uint32_t twins;				/* a lead's twins */
};

/* One held block of one pending check, filed under its index slot. */
struct bt_retro_ent {
	uint32_t id;			/* the check: index in bt_retro.p */
	int16_t off;			/* block pfn - the slot's first pfn */
	uint8_t order;
	uint8_t b;			/* the block: index in its check */
};

/* The held blocks in one slot of pages, oldest check first. */
struct bt_retro_slot {
	struct bt_retro_ent *e;
	uint32_t n, cap;
	uint32_t cur;			/* bt_retro_event()'s cursor */
	uint32_t clean_at;		/* bt_retro.finished when compacted */
};

/*
 * The last fallback scan, kept for the next recorded fallback when that
 * is the very next event and no pageblock type was learned in between:
 * nothing the scan reads can have changed (a fallback event itself only
 * learns types and sets the zone's boost).
 */
struct bt_retro_scan {
	uint64_t event;			/* ctx s->events of its fallback */
	uint32_t pbt_gen;		/* ctx pbt_gen then */
	unsigned int zone, order, mt;
	bool valid;
	int held;			/* bt_port_fallback_scan() results */
	unsigned int n;
	uint64_t blocks[BT_RETRO_BLOCKS];
	uint8_t orders[BT_RETRO_BLOCKS];
};

struct bt_retro {
	struct bt_retro_pending *p;
	size_t nr, cap, open;
	uint32_t finished;		/* checks ever marked done */
	uint8_t *watch;			/* per page: was in a check's block */
	struct bt_retro_slot *slot;	/* per 1 << BT_RETRO_SLOT_SHIFT pfns */
	uint64_t slot0;			/* base_pfn >> BT_RETRO_SLOT_SHIFT */
	size_t nr_slots;
	uint64_t *last;			/* the last filed check's blocks */
	uint8_t *last_order;
	unsigned int last_n;		/* 0: none to twin with */
	struct bt_retro_scan scan;
};

/* fastsearch.c: one compaction run's fast-search state, per task */
#define BT_FAST_TASKS 16
struct bt_fast_task {
	int32_t pid;
	uint32_t stamp;			/* last use, 0: slot unused */
	int order;			/* cc->order, 0 when unknown */
	int search;			/* cc->search_order */
	unsigned int fail;		/* cc->fast_search_fail */
	uint64_t migrate;		/* cc->migrate_pfn, 0 when unknown */
};

struct bt_replay_ctx {
	const struct bt_replay_opts *o;
	struct bt_reader *r;
	struct bt_replay_summary *s;	/* the caller's summary */
	struct bt_replay_summary *c;	/* where counts go: s or scratch */
	struct bt_replay_summary *scratch;	/* outside the window */
	struct bt_port *port;		/* the allocator model */
	uint64_t base_pfn, end_pfn;	/* span covered by pg[] and map[] */
	uint8_t *pg;			/* bt_pg_state ^ pgk, index pfn-base */
	uint8_t pgk;			/* 0, or BT_PG_FREE_INIT (setup.c) */
	uint32_t *map;			/* model: recorded -> model pfn */
	uint32_t *rmap;			/* model: model -> recorded pfn */
	uint8_t *pbt;			/* learned pageblock type + 1, 0 unknown */
	uint32_t pbt_gen;		/* mirror: changes of pbt[] so far */
	uint8_t *rbits;			/* model: pages reclaimers free, 1 bit */
	struct bt_reclaim_fifo fifo;
	struct bt_reclaim_scan scan;	/* model: reclaim.c's first pass */
	int reclaim_err;		/* ... could not run so */
	struct bt_reclaim_ent2 *plog;	/* allocations logged before it */
	size_t plog_len, plog_cap;
	struct bt_evidence evid;
	struct bt_inflight *inflight;	/* ring of BT_INFLIGHT_LEN */
	uint64_t inflight_n;
	struct bt_retro retro;		/* mirror: pending fallback checks */
	uint32_t *early;		/* mirror: per pid, stages judged at the
					 * first slow-path event | BT_EARLY_SLOW */
	unsigned int pageblock_order;
	unsigned int nr_zones;
	uint64_t zone_lo[BT_REPLAY_MAX_ZONES], zone_hi[BT_REPLAY_MAX_ZONES];
	uint64_t iso_lo[BT_REPLAY_MAX_ZONES], iso_hi[BT_REPLAY_MAX_ZONES];
	unsigned int last_zone;		/* bt_replay_pfn_ok()'s last zone */
	int32_t victims[16];		/* OOM victims (mark_victim pids) */
	struct bt_fast_task fast[BT_FAST_TASKS];	/* mirror */
	uint32_t fast_stamp;
	unsigned int nr_victims;
	uint64_t next_sample;
	bool profile_412;
	struct bt_replay_decision d;	/* the current event's decision */
	struct bt_premap *premap;	/* when the free-page map was read */
	uint64_t premap_until;		/* no event from then on is shown */
};

/*
 * pg[] holds each page's state XOR x->pgk. When the free-page map shows
 * most of memory free, pgk is BT_PG_FREE_INIT: a stored zero, which is
 * what calloc gives, then reads "free at start", and setup writes only the
 * pages in use instead of every free one (on an idle 24 GB machine, 22
 * GB: 1,400 page faults of the array). Otherwise pgk is 0. Every access
 * goes through these.
 */

/* The state of page @i (pfn - base_pfn). */
static inline uint8_t bt_pg_at(const struct bt_replay_ctx *x, uint64_t i)
{
	return x->pg[i] ^ x->pgk;
}

/* Pages [@i, @i + @n) (from base_pfn) take state @st. */
static inline void bt_pg_put(struct bt_replay_ctx *x, uint64_t i, uint8_t st,
			     uint64_t n)
{
	if (n == 1)
		x->pg[i] = st ^ x->pgk;
	else
		memset(x->pg + i, st ^ x->pgk, n);
}

/* Are all pages [@i, @i + @n) in state @st? */
static inline bool bt_pg_all(const struct bt_replay_ctx *x, uint64_t i,
			     uint64_t n, uint8_t st)
{
	const uint8_t *p = x->pg + i;
	uint8_t s = st ^ x->pgk;

	for (uint64_t k = 0; k < n; k++)
		if (p[k] != s)
			return false;
	return true;
}

/*
 * The high bit of each stored byte of @w that is a free state
 * (bt_pg_free()), @pat being bt_pg_free_pat() of the key, except that a
 * byte above a free one may be marked too (the borrow of the SWAR test):
 * the lowest marked byte is exact.
 */
static inline uint64_t bt_pg_free_mask(uint64_t w, uint64_t pat)
{
	const uint64_t ones = 0x0101010101010101ull;
	const uint64_t high = 0x8080808080808080ull;
	/* stored ^ k is the state: free when it is FREE, FREE_BIT aside */
	uint64_t a = (w & ~(ones * BT_PG_FREE_BIT)) ^ pat;

	return (a - ones) & ~a & high;
}

/* What a free page's stored byte is, FREE_BIT aside, in every byte. */
static inline uint64_t bt_pg_free_pat(uint8_t k)
{
	return 0x0101010101010101ull *
	       (uint8_t)((BT_PG_FREE ^ k) & ~BT_PG_FREE_BIT);
}

/* The pfn of the lowest marked byte of a non-zero mask at @pfn. */
static inline uint64_t bt_pg_mask_first(uint64_t pfn, uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return pfn + (uint64_t)__builtin_ctzll(m) / 8;
#else
	(void)m;
	return pfn;		/* "may be free": the word's first page */
#endif
}

/*
 * The first pfn in [@pfn, @end) whose page may be free (bt_pg_free()):
 * pages with no free state among them are stepped over 32, then eight
 * at a time; on little-endian hosts the result is the first free
 * page itself, or where fewer than eight pages are left.
 */
static inline uint64_t bt_pg_skip_not_free(const struct bt_replay_ctx *x,
					   uint64_t pfn, uint64_t end)
{
	const uint64_t pat = bt_pg_free_pat(x->pgk);
	uint64_t w[4], m[4];

	while (pfn + 32 <= end) {
		memcpy(w, x->pg + (pfn - x->base_pfn), sizeof(w));
		for (unsigned int i = 0; i < 4; i++)
			m[i] = bt_pg_free_mask(w[i], pat);
		if (m[0] | m[1] | m[2] | m[3]) {
			for (unsigned int i = 0;; i++)
				if (m[i])
					return bt_pg_mask_first(pfn + 8 * i,
								m[i]);
		}
		pfn += 32;
	}
	while (pfn + 8 <= end) {
		memcpy(w, x->pg + (pfn - x->base_pfn), sizeof(w[0]));
		m[0] = bt_pg_free_mask(w[0], pat);
		if (m[0])
			return bt_pg_mask_first(pfn, m[0]);
		pfn += 8;
	}
	return pfn;
}

/* Zone index of a pfn, or -1 outside every zone. */
static inline int bt_ctx_zone(const struct bt_replay_ctx *x, uint64_t pfn)
{
	for (unsigned int z = 0; z < x->nr_zones; z++)
		if (pfn >= x->zone_lo[z] && pfn < x->zone_hi[z])
			return (int)z;
	return -1;
}

/* mirror.c / model.c: one event each */
void bt_mirror_event(struct bt_replay_ctx *x, const struct bt_event *ev);
void bt_model_event(struct bt_replay_ctx *x, const struct bt_event *ev);
/* Compaction in the model moved an allocated block. */
void bt_model_move(struct bt_replay_ctx *x, uint64_t old_pfn,
		   uint64_t new_pfn, unsigned int order);
/* Shared accounting of recorded events (replay.c). */
void bt_replay_count_fallback(struct bt_replay_fallbacks *f,
			      unsigned int fallback_order, bool ownership,
			      unsigned int pageblock_order, uint32_t *flags);
void bt_replay_incons(struct bt_replay_ctx *x, unsigned int kind,
		      const struct bt_event *ev, uint64_t pfn,
		      unsigned int order, uint64_t detail);
/* Recorded counts of one mm_page_alloc with its slow-path evidence. */
void bt_replay_record_alloc(struct bt_replay_ctx *x, const struct bt_event *ev,
			    unsigned int evid);
void bt_replay_count_free(struct bt_replay_ctx *x, const struct bt_event *ev,
			  unsigned int order);
/* Events both modes treat alike: lost, OOM victims, isolation, evidence. */
void bt_replay_common_event(struct bt_replay_ctx *x, const struct bt_event *ev);
/*
 * The start of a free, mirror and model alike: note pfn and order in the
 * decision, count the free, check the range. False when out of range.
 */
bool bt_replay_free_begin(struct bt_replay_ctx *x, const struct bt_event *ev,
			  uint64_t pfn, unsigned int order);
/*
 * A compaction isolate-freepages event's range, clipped to the zone of its
 * start: false when it names no zone, no pages or an empty range.
 */
bool bt_replay_isolate_range(const struct bt_replay_ctx *x,
			     const struct bt_event *ev, uint64_t *start,
			     uint64_t *end, uint64_t *nr);
/* Order of a free event (3.x mm_pagevec_free frees order 0). */
static inline unsigned int bt_replay_free_order(const struct bt_event *ev)
{
	return ev->type == BT_EV_PAGEVEC_FREE ? 0 : (unsigned int)ev->arg[1];
}
bool bt_replay_pfn_ok_slow(struct bt_replay_ctx *x, const struct bt_event *ev,
			   uint64_t pfn, unsigned int order);

/*
 * A block the replay can place: an order it knows, aligned, inside one
 * zone (its index goes to x->d.zone); else an inconsistency is counted.
 * Most events fall in the zone of the one before (zones never overlap:
 * the model refuses such a zoneinfo).
 */
static inline bool bt_replay_pfn_ok(struct bt_replay_ctx *x,
				    const struct bt_event *ev, uint64_t pfn,
				    unsigned int order)
{
	unsigned int z = x->last_zone;

	if (order < BT_REPLAY_NR_ORDERS && !(pfn & ((1ull << order) - 1)) &&
	    pfn >= x->zone_lo[z] && pfn < x->zone_hi[z] &&
	    (1ull << order) <= x->zone_hi[z] - pfn) {
		x->d.zone = (int)z;
		return true;
	}
	return bt_replay_pfn_ok_slow(x, ev, pfn, order);
}

/* ---- reclaim.c: model mode's reclaim ---- */

struct bt_buddy;
#define BT_RECLAIM_LOG_MAX (1u << 20)	/* allocations before the pass */
bool bt_reclaim_marked(const struct bt_replay_ctx *x, uint64_t pfn);
void bt_reclaim_push(struct bt_replay_ctx *x, uint64_t pfn, unsigned int order);
/*
 * A recorded allocation the model placed: it joins the FIFO if a
 * reclaimer frees its page in the trace (logged until the first pass).
 */
void bt_reclaim_note_alloc(struct bt_replay_ctx *x, uint64_t pfn,
			   unsigned int order);
void bt_reclaim_see_slow(struct bt_replay_ctx *x, const struct bt_event *ev);

/*
 * Each event the replay reads, before it is replayed (the events counted
 * so far include it): once the replay has caught up with the first pass,
 * the pass takes it here.
 */
static inline void bt_reclaim_see(struct bt_replay_ctx *x,
				  const struct bt_event *ev)
{
	if (x->scan.live && x->scan.pos == x->s->events - 1)
		bt_reclaim_see_slow(x, ev);
}
/* The model's reclaim hook: free up to @want pages from the FIFO. */
uint64_t bt_reclaim_run(struct bt_replay_ctx *x, struct bt_buddy *b,
			uint64_t want);
void bt_reclaim_release(struct bt_replay_ctx *x);

/* ---- port.c: the allocator model as replay sees it ---- */

/* What the model said about one allocation. */
struct bt_port_verdict {
	enum bt_replay_verdict verdict;	/* FAST, SLOW or FAILED */
	uint32_t stages;		/* 1u << BT_REPLAY_STAGE_* */
	uint32_t fallback;		/* BT_REPLAY_FB_* (model placement) */
	bool oom_kill;			/* out_of_memory() invoked */
	bool predicted_failure;		/* mirror: model says it fails too */
	int forced_found;		/* mirror: 0 buddy, 1-2 pcp, -1 not free */
	uint64_t pfn;			/* model placement (model mode) */
};

/* setup.c: the earliest snapshot of @kind (file order among equals). */
const struct bt_snapshot *bt_replay_first_snap(struct bt_reader *r,
					       unsigned int kind);
/* premap.c: events the free-page map already shows (read times). */
struct bt_premap;
int bt_premap_load(struct bt_replay_ctx *x, const struct bt_snapshot *map);
void bt_premap_release(struct bt_replay_ctx *x);
bool bt_premap_shown(const struct bt_replay_ctx *x, const struct bt_event *ev);
/* Did the map read @pfn after @ts (so it shows what happened at @ts)? */
bool bt_premap_before(const struct bt_replay_ctx *x, uint64_t ts,
		      uint64_t pfn);
/* Count an event the map shows, applying nothing (an alloc is judged apart). */
void bt_premap_count(struct bt_replay_ctx *x, const struct bt_event *ev);
/*
 * Such an mm_page_alloc: its evidence taken (@evid), the recorded view
 * counted, and @v the verdict on the current state, taking nothing; false
 * when its order is out of range (nothing to judge).
 */
struct bt_port_verdict;
bool bt_premap_evaluate(struct bt_replay_ctx *x, const struct bt_event *ev,
			unsigned int *evid, struct bt_port_verdict *v);
/* Judge such an mm_page_alloc on the current state, taking nothing. */
void bt_mirror_premap_alloc(struct bt_replay_ctx *x, const struct bt_event *ev);
void bt_model_premap_alloc(struct bt_replay_ctx *x, const struct bt_event *ev);

struct bt_buddy;
/* replay.c: page states and maps once the zones' span is known. */
int bt_replay_alloc_state(struct bt_replay_ctx *x);
/* setup.c: the model built from the trace's snapshots and the knobs. */
int bt_replay_setup(struct bt_replay_ctx *x, struct bt_buddy **out);

int bt_port_new(struct bt_replay_ctx *x, struct bt_port **out);
void bt_port_free(struct bt_port *p);
/* An allocation: mirror (forced placement at the recorded pfn) or model. */
void bt_port_alloc(struct bt_port *p, struct bt_replay_ctx *x,
		   const struct bt_event *ev, bool mirror,
		   struct bt_port_verdict *v);
/*
 * Mirror: fast_isolate_freepages() took one block of @order, found with
 * @nr_scanned between @min_pfn and @free_pfn: the block the kernel's walk
 * of the model's free list picks. Returns the pages taken (0: none).
 */
uint64_t bt_port_isolate_fast(struct bt_port *p, uint64_t min_pfn,
			      uint64_t free_pfn, uint64_t nr_scanned,
			      unsigned int order);
/* port.c, for fastsearch.c: the model, a zone's id in it, a take. */
struct bt_buddy *bt_port_buddy(struct bt_port *p);
int bt_port_zid(const struct bt_port *p, unsigned int zone);
bool bt_port_fast_candidate(const struct bt_port *p, uint64_t pfn,
			    unsigned int order);
void bt_port_iso_take(struct bt_port *p, uint64_t pfn, unsigned int order);
/*
 * fastsearch.c (mirror): compaction events that set a run's fast-search
 * state; a fast_isolate_freepages event replayed across orders: the
 * pages taken, or -1 when no reading of the event fits the model's lists.
 */
void bt_fast_note(struct bt_replay_ctx *x, const struct bt_event *ev);
int64_t bt_fast_replay(struct bt_replay_ctx *x, const struct bt_event *ev);
int bt_retro_init(struct bt_replay_ctx *x);
void bt_retro_release(struct bt_replay_ctx *x);
int bt_retro_add(struct bt_replay_ctx *x, const struct bt_event *ev,
		 uint64_t pfn, unsigned int order, unsigned int mt,
		 const uint64_t *blocks, const uint8_t *orders, unsigned int n);
/* Pages taken: @silent without an event (a free of a free page), else
 * by a traced allocation. */
void bt_retro_event(struct bt_replay_ctx *x, uint64_t pfn, unsigned int order,
		    bool silent);
void bt_retro_finish(struct bt_replay_ctx *x);
/*
 * Mirror: bt_port_fallback_scan() for a recorded fallback, or the last
 * one's results when they still hold (struct bt_retro_scan); *@blocks and
 * *@orders point into the kept scan.
 */
int bt_retro_scan(struct bt_replay_ctx *x, unsigned int zone,
		  unsigned int order, unsigned int mt, const uint64_t **blocks,
		  const uint8_t **orders, unsigned int *n);
/* Mirror: watermark boost (recorded value, boost_watermark(), kswapd). */
void bt_port_set_boost(struct bt_port *p, unsigned int zone, uint64_t boost);
void bt_port_boost(struct bt_port *p, unsigned int zone);
void bt_port_boost_kswapd(struct bt_port *p, bool wake);
/*
 * Mirror: evaluate a request of @order and @gfp by task @ev on the current
 * state without taking anything (the fast path a slow-path event follows).
 */
void bt_port_evaluate(struct bt_port *p, struct bt_replay_ctx *x,
		      const struct bt_event *ev, unsigned int order,
		      uint64_t gfp, struct bt_port_verdict *v);
/*
 * Free a block: model mode as the kernel frees (per-CPU lists included);
 * mirror mode straight to the buddy, since the mirror keeps its per-CPU
 * lists in its page states (blocks on them are allocated for the model).
 * Returns 0 or -EALREADY.
 */
int bt_port_put(struct bt_port *p, uint64_t pfn, unsigned int order,
		unsigned int cpu, bool mirror);
/* Mirror: a block taken out of the buddy or a pcp list without an event. */
void bt_port_silent_take(struct bt_port *p, uint64_t pfn, unsigned int order);
/*
 * Mirror: compaction isolated @nr_taken free pages in [start, end),
 * looking at @nr_scanned pfns (UINT64_MAX: unknown): take the free
 * blocks whose heads isolate_freepages_block() lands on, lowest first.
 * With @complete (the scan looked at every pfn of the range) take every
 * free block whose head lies in it, however many that is. Returns the
 * pages taken.
 */
uint64_t bt_port_isolate(struct bt_port *p, uint64_t start, uint64_t end,
			 uint64_t nr_scanned, uint64_t nr_taken, bool complete);
/* Free block counts per order of a zone (index as in the summary). */
void bt_port_free_counts(struct bt_port *p, unsigned int zone,
			 uint64_t nr_free[BT_REPLAY_NR_ORDERS]);
/*
 * A recorded fallback for @mt at @order in @zone: does the mirror hold a
 * free block at order >= @order in a pageblock whose learned type
 * (x->pbt) is @mt? 0: none; 1: only blocks that the initial map alone
 * shows free (untouched by the trace since); 2: a block the trace freed
 * or touched. Those blocks (the ones that keep the fallback from being
 * confirmed), in pfn order, go to @pfn and @orders, up to @max; *@n is
 * set to their number, or @max + 1 when there are more. One walk over the
 * typed pageblocks, no state changes.
 */
int bt_port_fallback_scan(struct bt_port *p, unsigned int zone,
			  unsigned int order, unsigned int mt, uint64_t *pfn,
			  uint8_t *orders, unsigned int max, unsigned int *n);
/* Set a pageblock's migratetype (moves its free blocks). */
void bt_port_set_block_mt(struct bt_port *p, uint64_t pfn, unsigned int mt);
/* Trace time passed (model: pcp decay, proactive compaction). */
void bt_port_tick(struct bt_port *p, uint64_t ts);
/* kswapd woke or slept in the trace. */
void bt_port_kswapd(struct bt_port *p, bool awake);
/* Self-check of the model's invariants (debug builds). */
int bt_port_check(struct bt_port *p, char *err, size_t len);
