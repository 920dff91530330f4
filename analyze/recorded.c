// SPDX-License-Identifier: GPL-2.0-only
/*
 * recorded.c - the recorded view: what the real system did, counted from
 * the normalized events alone, without the model.
 *
 * The consumer is pushed one event at a time. State that must see every
 * event whatever the window (which pages the trace allocated, each task's
 * pending slow-path evidence, open reclaim and compaction intervals) is
 * always updated; counters only for events inside the window. A second
 * filter, the span between the first and last vmstat snapshot, feeds the
 * vmstat cross-check, so that it compares like with like.
 *
 * Slow-path evidence: the events a task emits between two of its own
 * allocations (kswapd wake with a request order, try_to_compact_pages,
 * direct reclaim, reclaim_retry_zone, compact_retry, an OOM kill) belong
 * to the allocation that completes next. Allocations made while the task
 * is inside direct reclaim are nested (PF_MEMALLOC) and take none.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze-internal.h"

#define PFN_CAP_DEFAULT (1ull << 26)	/* bitmap cap without zoneinfo */
#define NR_NODES 64

struct ent {
	int64_t key;
	bool used;
	char comm[16];
	uint64_t allocs, pages, failed, high_order, evidence;
	/* task state */
	unsigned int pending;		/* BT_EVK_* bits */
	bool compact_pending, compact_in_win, compact_in_vm;
	uint64_t reclaim_ts;		/* 0: not in direct reclaim */
	bool reclaim_in_win;
	uint64_t compact_ts;		/* 0: no compaction run open */
};

struct table {
	struct ent *e;
	size_t cap, nr;
	struct ent *last;	/* the entry found last: a task's events come
				 * in runs; NULL after a grow moved them */
};

struct bt_rec {
	struct bt_rec_setup s;
	struct bt_recorded out;
	struct table procs, stacks;
	uint64_t *bits;			/* pages allocated in the trace */
	uint64_t nbits, cap_bits;
	bool win_opened, win_closed;
	uint64_t kswapd_ts[NR_NODES];
	unsigned int slices_cap;
};

static uint64_t pages_of(uint64_t order)
{
	return order < 32 ? 1ull << order : 0;
}

static unsigned int order_slot(uint64_t order)
{
	return order < BT_AN_ORDERS ? (unsigned int)order : BT_AN_ORDERS;
}

/* ---- a small open-addressing table keyed by pid or stack id ---- */

static size_t hash64(int64_t k)
{
	uint64_t x = (uint64_t)k * 0x9e3779b97f4a7c15ull;

	return (size_t)(x ^ (x >> 29));
}

static int table_grow(struct table *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 256, i;
	struct ent *ne = calloc(ncap, sizeof(*ne));

	if (!ne)
		return -ENOMEM;
	for (i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->e[i].used)
			continue;
		for (j = hash64(t->e[i].key) & (ncap - 1); ne[j].used;
		     j = (j + 1) & (ncap - 1))
			;
		ne[j] = t->e[i];
	}
	free(t->e);
	t->e = ne;
	t->cap = ncap;
	t->last = NULL;
	return 0;
}

/* The entry of @key, created empty; NULL when out of memory. */
static struct ent *table_get(struct table *t, int64_t key)
{
	size_t j;

	if (t->last && t->last->key == key)
		return t->last;
	if ((t->nr + 1) * 2 > t->cap && table_grow(t))
		return NULL;
	for (j = hash64(key) & (t->cap - 1); t->e[j].used;
	     j = (j + 1) & (t->cap - 1))
		if (t->e[j].key == key)
			return t->last = &t->e[j];
	t->e[j].used = true;
	t->e[j].key = key;
	t->nr++;
	return t->last = &t->e[j];
}

/* ---- pages allocated during the trace ---- */

static bool bits_reserve(struct bt_rec *r, uint64_t end)
{
	uint64_t words, n;
	uint64_t *nb;

	if (end <= r->nbits)
		return true;
	if (end > r->cap_bits)
		return false;
	n = BT_MAX(end, r->nbits * 2);
	n = BT_MIN((n + 63) & ~63ull, r->cap_bits);
	words = n / 64;
	nb = realloc(r->bits, words * sizeof(*nb));
	if (!nb)
		return false;
	memset(nb + r->nbits / 64, 0, (words - r->nbits / 64) * sizeof(*nb));
	r->bits = nb;
	r->nbits = n;
	return true;
}

static void bits_set(struct bt_rec *r, uint64_t pfn, uint64_t n, bool on)
{
	uint64_t end = pfn + n;

	if (n > 4096 || pfn > r->cap_bits || !bits_reserve(r, end))
		return;
	/* a word at a time: the bits of [pfn, end) in word pfn / 64 */
	while (pfn < end) {
		uint64_t lo = pfn % 64, k = BT_MIN(64 - lo, end - pfn);
		uint64_t m = (k == 64 ? ~0ull : ((1ull << k) - 1)) << lo;

		if (on)
			r->bits[pfn / 64] |= m;
		else
			r->bits[pfn / 64] &= ~m;
		pfn += k;
	}
}

static bool bits_test(const struct bt_rec *r, uint64_t pfn)
{
	return pfn < r->nbits && (r->bits[pfn / 64] >> (pfn % 64)) & 1;
}

/* ---- setup ---- */

struct bt_rec *bt_rec_new(const struct bt_rec_setup *s)
{
	struct bt_rec *r = calloc(1, sizeof(*r));
	unsigned int i;

	if (!r)
		return NULL;
	r->s = *s;
	r->cap_bits = PFN_CAP_DEFAULT;
	if (s->zones && s->zones->nr) {
		r->cap_bits = 0;
		for (i = 0; i < s->zones->nr; i++)
			r->cap_bits = BT_MAX(r->cap_bits,
					     s->zones->z[i].start_pfn +
					     s->zones->z[i].spanned);
		r->cap_bits = BT_MIN(r->cap_bits, 1ull << 32) + 4096;
	}
	if (s->last_ts > s->first_ts) {
		r->out.bucket_ns = (s->last_ts - s->first_ts) /
				   BT_AN_BUCKETS + 1;
	} else {
		r->out.bucket_ns = 1;
	}
	r->out.bucket_t0 = s->first_ts;
	r->out.first_ts = UINT64_MAX;
	if (!s->mark_a)
		r->win_opened = true;
	return r;
}

void bt_rec_free(struct bt_rec *r)
{
	if (!r)
		return;
	free(r->procs.e);
	free(r->stacks.e);
	free(r->bits);
	free(r->out.slices);
	free(r);
}

void bt_rec_window_state(const struct bt_rec *r, bool *opened, bool *closed)
{
	*opened = r->win_opened;
	*closed = r->win_closed;
}

/* ---- per-event helpers ---- */

static struct bt_rec_bucket *bucket(struct bt_rec *r, uint64_t ts)
{
	uint64_t i = ts > r->out.bucket_t0 ?
		(ts - r->out.bucket_t0) / r->out.bucket_ns : 0;

	return &r->out.buckets[BT_MIN(i, BT_AN_BUCKETS - 1)];
}

static void add_slice(struct bt_rec *r, uint64_t ts, uint64_t end,
		      int32_t pid, unsigned int kind, uint64_t value)
{
	struct bt_rec_slice *s;

	if (r->out.nr_slices >= BT_AN_MAX_SLICES)
		return;
	if (r->out.nr_slices == r->slices_cap) {
		unsigned int ncap = r->slices_cap ? r->slices_cap * 2 : 256;

		s = realloc(r->out.slices, ncap * sizeof(*s));
		if (!s)
			return;
		r->out.slices = s;
		r->slices_cap = ncap;
	}
	s = &r->out.slices[r->out.nr_slices++];
	s->ts = ts;
	s->dur = end > ts ? end - ts : 0;
	s->pid = pid;
	s->kind = (uint8_t)kind;
	s->value = value;
}

static bool is_comm(const struct bt_event *ev, const char *prefix)
{
	return ev->comm && !strncmp(ev->comm, prefix, strlen(prefix));
}

static void note_comm(struct ent *p, const struct bt_event *ev)
{
	/* the same task's comm again (the usual case) needs no copy */
	if (ev->comm && ev->comm[0] &&
	    strncmp(p->comm, ev->comm, sizeof(p->comm) - 1))
		bt_strlcpy(p->comm, ev->comm, sizeof(p->comm));
}

/* The direct compaction of @p ends with the next allocation or stage. */
static void compact_outcome(struct bt_rec *r, struct ent *p, bool success)
{
	if (!p->compact_pending)
		return;
	p->compact_pending = false;
	if (p->compact_in_win) {
		if (success)
			r->out.direct_compact_success++;
		else
			r->out.direct_compact_fail++;
	}
	if (p->compact_in_vm)
		r->out.vm_trace[success ? BT_VM_COMPACT_SUCCESS :
					  BT_VM_COMPACT_FAIL]++;
}

static void evidence(struct bt_rec *r, struct ent *p, unsigned int kind)
{
	p->pending |= 1u << kind;
	if (kind != BT_EVK_COMPACT && kind != BT_EVK_PROBE)
		compact_outcome(r, p, false);
}

static void count_stack(struct bt_rec *r, const struct bt_event *ev,
			bool failed, bool high)
{
	struct ent *s;

	if (!ev->stack_id || (!failed && !high))
		return;
	r->out.have_stacks = true;
	s = table_get(&r->stacks, ev->stack_id);
	if (!s)
		return;
	s->allocs++;
	s->failed += failed;
	s->high_order += high;
}

static void on_alloc(struct bt_rec *r, const struct bt_event *ev,
		     struct ent *p, bool win, bool vm)
{
	uint64_t pfn = ev->arg[0], order = ev->arg[1], n = pages_of(order);
	bool failed = pfn == BT_PFN_NONE;
	bool nested = p && p->reclaim_ts;
	unsigned int zone = BT_AN_ZONE_UNKNOWN, k;
	int64_t mt = (int64_t)ev->arg[3];
	struct bt_recorded *o = &r->out;

	if (!failed && pfn != BT_PFN_UNKNOWN) {
		zone = bt_snap_zone_of(r->s.zones, pfn);
		bits_set(r, pfn, n, true);
	}
	if (vm && !failed)
		o->vm_trace[BT_VM_PGALLOC] += n;
	bool evid = p && !nested && p->pending;

	if (p && !nested) {
		compact_outcome(r, p, !failed);
		if (win && evid)
			for (k = 0; k < BT_EVK_COUNT; k++)
				o->evidence_by_kind[k] +=
					(p->pending >> k) & 1;
		p->pending = 0;
	}
	if (!win)
		return;
	o->allocs++;
	o->alloc_by_order[order_slot(order)]++;
	o->alloc_by_mt[mt >= 0 && mt < BT_AN_MTS - 1 ? mt : BT_AN_MTS - 1]++;
	_Static_assert(BT_GFP_BIT_COUNT < 64, "gfp bits fit a mask");
	/* the set bits only: a request has a handful of flags */
	for (uint64_t m = ev->arg[2] & ((1ull << BT_GFP_BIT_COUNT) - 1); m;
	     m &= m - 1)
		o->alloc_by_gfp[__builtin_ctzll(m)]++;
	if (failed) {
		o->failed++;
		o->failed_pages += n;
		o->failed_by_order[order_slot(order)]++;
	} else {
		o->pages += n;
		o->alloc_by_zone[zone]++;
		o->pages_by_zone[zone] += n;
	}
	o->evidence += evid;
	struct bt_rec_bucket *b = bucket(r, ev->ts);

	b->allocs++;
	b->pages += failed ? 0 : n;
	b->failed += failed;
	b->evidence += evid;
	if (p) {
		p->allocs++;
		p->pages += failed ? 0 : n;
		p->failed += failed;
		p->high_order += order > BT_AN_COSTLY_ORDER;
		p->evidence += evid;
	}
	count_stack(r, ev, failed, order > BT_AN_COSTLY_ORDER);
}

static void on_free(struct bt_rec *r, const struct bt_event *ev, bool win,
		    bool vm)
{
	uint64_t pfn = ev->arg[0], order = ev->arg[1], n = pages_of(order);
	bool known = pfn < BT_PFN_UNKNOWN && bits_test(r, pfn);
	struct bt_recorded *o = &r->out;

	if (pfn < BT_PFN_UNKNOWN)
		bits_set(r, pfn, n, false);
	if (vm)
		o->vm_trace[BT_VM_PGFREE] += n;
	if (!win)
		return;
	o->frees++;
	o->free_pages += n;
	o->free_by_order[order_slot(order)]++;
	o->free_pages_by_zone[pfn < BT_PFN_UNKNOWN ?
			      bt_snap_zone_of(r->s.zones, pfn) :
			      BT_AN_ZONE_UNKNOWN] += n;
	if (!known) {
		o->frees_pretrace++;
		o->free_pages_pretrace += n;
	}
	bucket(r, ev->ts)->frees++;
}

static void on_extfrag(struct bt_rec *r, const struct bt_event *ev)
{
	int64_t fb_order = (int64_t)ev->arg[2], mt = (int64_t)ev->arg[3];
	struct bt_recorded *o = &r->out;
	struct bt_rec_bucket *b = bucket(r, ev->ts);

	o->fb_total++;
	b->fallbacks++;
	o->fb_by_mt[mt >= 0 && mt < BT_AN_MTS - 1 ? mt : BT_AN_MTS - 1]++;
	if (ev->arg[5])
		o->fb_owner++;
	if (fb_order < (int64_t)r->s.pageblock_order) {
		o->fb_fragmenting++;
		b->fragmenting++;
		if (fb_order <= BT_AN_COSTLY_ORDER)
			o->fb_severe++;
		else
			o->fb_moderate++;
	}
}

static void on_compaction(struct bt_rec *r, const struct bt_event *ev,
			  struct ent *p, bool win)
{
	if (ev->type == BT_EV_COMPACTION_BEGIN) {
		p->compact_ts = ev->ts ? ev->ts : 1;
		return;
	}
	/* mm_compaction_end */
	bool direct = p->compact_pending && !is_comm(ev, "kcompactd");
	bool ok = (int64_t)ev->arg[5] == r->s.compact_success_status;

	if (p->compact_ts)
		add_slice(r, p->compact_ts, ev->ts, ev->pid, direct ? 1 : 2,
			  ev->arg[5]);
	p->compact_ts = 0;
	if (!win)
		return;
	r->out.compaction_runs++;
	r->out.compaction_success_runs += ok;
	bucket(r, ev->ts)->compactions++;
	if (!direct)
		r->out.kcompactd_compactions++;
}

static void on_reclaim(struct bt_rec *r, const struct bt_event *ev,
		       struct ent *p, bool win, bool vm)
{
	struct bt_recorded *o = &r->out;

	if (ev->type == BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN) {
		evidence(r, p, BT_EVK_RECLAIM);
		p->reclaim_ts = ev->ts ? ev->ts : 1;
		p->reclaim_in_win = win;
		if (vm)
			o->vm_trace[BT_VM_ALLOCSTALL]++;
		if (win) {
			o->direct_reclaims++;
			bucket(r, ev->ts)->reclaims++;
		}
		return;
	}
	if (!p->reclaim_ts)
		return;
	uint64_t stall = ev->ts > p->reclaim_ts ? ev->ts - p->reclaim_ts : 0;

	add_slice(r, p->reclaim_ts, ev->ts, ev->pid, 0, ev->arg[0]);
	if (p->reclaim_in_win) {
		o->direct_reclaim_pages += ev->arg[0];
		o->direct_stall_ns += stall;
		o->direct_stall_max_ns = BT_MAX(o->direct_stall_max_ns, stall);
	}
	p->reclaim_ts = 0;
}

static void on_kswapd(struct bt_rec *r, const struct bt_event *ev, bool win)
{
	uint64_t nid = ev->arg[0];

	if (nid >= NR_NODES)
		return;
	if (ev->type == BT_EV_VMSCAN_KSWAPD_WAKE) {
		r->kswapd_ts[nid] = ev->ts ? ev->ts : 1;
		r->out.kswapd_wakes += win;
		return;
	}
	if (!r->kswapd_ts[nid])
		return;
	if (win)
		r->out.kswapd_awake_ns += ev->ts - BT_MIN(ev->ts,
							  r->kswapd_ts[nid]);
	add_slice(r, r->kswapd_ts[nid], ev->ts, ev->pid, 3, nid);
	r->kswapd_ts[nid] = 0;
}

static void on_victim(struct bt_rec *r, const struct bt_event *ev,
		      struct ent *p, bool win, bool vm)
{
	struct bt_recorded *o = &r->out;

	evidence(r, p, BT_EVK_OOM);
	if (vm)
		o->vm_trace[BT_VM_OOM_KILL]++;
	if (!win)
		return;
	o->oom_kills++;
	if (o->nr_victims < BT_AN_VICTIMS) {
		struct bt_rec_victim *v = &o->victims[o->nr_victims++];
		size_t n = BT_MIN((size_t)ev->str_len, sizeof(v->comm) - 1);

		v->ts = ev->ts;
		v->pid = (int32_t)ev->arg[0];
		v->by_pid = ev->pid;
		memset(v->comm, 0, sizeof(v->comm));
		if (ev->str && n)
			memcpy(v->comm, ev->str, n);
	}
}

static bool str_has(const struct bt_event *ev, const char *needle)
{
	size_t n = strlen(needle), i;

	if (!ev->str || ev->str_len < n)
		return false;
	for (i = 0; i + n <= ev->str_len; i++)
		if (!memcmp(ev->str + i, needle, n))
			return true;
	return false;
}

/* Markers open and close the window; the closing marker is outside. */
static bool window_update(struct bt_rec *r, const struct bt_event *ev)
{
	if (r->s.mark_a && ev->type == BT_EV_PRINT) {
		if (!r->win_opened && str_has(ev, r->s.mark_a)) {
			r->win_opened = true;
			r->out.win_t0 = ev->ts;
			return false;
		}
		if (r->win_opened && !r->win_closed && r->s.mark_b &&
		    str_has(ev, r->s.mark_b)) {
			r->win_closed = true;
			r->out.win_t1 = ev->ts;
		}
	}
	return r->win_opened && !r->win_closed &&
	       ev->ts >= r->s.win_start && ev->ts <= r->s.win_end;
}

static void on_task_event(struct bt_rec *r, const struct bt_event *ev,
			  struct ent *p, bool win, bool vm)
{
	switch (ev->type) {
	case BT_EV_VMSCAN_WAKEUP_KSWAPD:
		r->out.kswapd_wakeups += win;
		if (ev->arg[3])	/* a boost wake carries no gfp */
			evidence(r, p, BT_EVK_KSWAPD);
		break;
	case BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES:
		compact_outcome(r, p, false);
		evidence(r, p, BT_EVK_COMPACT);
		p->compact_pending = true;
		p->compact_in_win = win;
		p->compact_in_vm = vm;
		r->out.direct_compactions += win;
		if (vm)
			r->out.vm_trace[BT_VM_COMPACT_STALL]++;
		break;
	case BT_EV_OOM_RECLAIM_RETRY_ZONE:
		evidence(r, p, BT_EVK_RECLAIM_RETRY);
		break;
	case BT_EV_OOM_COMPACT_RETRY:
		evidence(r, p, BT_EVK_COMPACT_RETRY);
		break;
	case BT_EV_SLOWPATH_PROBE:
		evidence(r, p, BT_EVK_PROBE);
		r->out.probes += win;
		break;
	default:
		break;
	}
}

void bt_rec_event(struct bt_rec *r, const struct bt_event *ev)
{
	bool win = window_update(r, ev);
	bool vm = r->s.have_vm && ev->ts >= r->s.vm_start &&
		  ev->ts <= r->s.vm_end;
	struct ent *p = NULL;
	struct bt_recorded *o = &r->out;

	o->events++;
	if (ev->type != BT_EV_SNAPSHOT) {
		if (!o->ev_first_ts || ev->ts < o->ev_first_ts)
			o->ev_first_ts = ev->ts;
		o->ev_last_ts = BT_MAX(o->ev_last_ts, ev->ts);
	}
	if (win) {
		o->window_events++;
		o->first_ts = BT_MIN(o->first_ts, ev->ts);
		o->last_ts = BT_MAX(o->last_ts, ev->ts);
	}
	if (ev->type != BT_EV_LOST && ev->type != BT_EV_SNAPSHOT) {
		p = table_get(&r->procs, ev->pid);
		if (p)
			note_comm(p, ev);
	}
	switch (ev->type) {
	case BT_EV_PAGE_ALLOC:
		on_alloc(r, ev, p, win, vm);
		return;
	case BT_EV_PAGE_FREE:
		on_free(r, ev, win, vm);
		return;
	case BT_EV_PAGE_ALLOC_EXTFRAG:
		if (win)
			on_extfrag(r, ev);
		return;
	case BT_EV_PAGE_ALLOC_ZONE_LOCKED:
		if (!win)
			return;
		o->zone_locked++;
		if (ev->arg[3]) {
			o->pcp_refills++;
			o->pcp_refill_pages += pages_of(ev->arg[1]);
		}
		return;
	case BT_EV_PAGE_PCPU_DRAIN:
		o->pcp_drains += win;
		o->pcp_drain_pages += win ? pages_of(ev->arg[1]) : 0;
		return;
	case BT_EV_LOST:
		o->lost_markers++;
		o->lost_events += ev->arg[0];
		return;
	case BT_EV_PRINT:
		o->prints += win;
		return;
	case BT_EV_COMPACTION_DEFERRED:
		o->compaction_deferred += win;
		return;
	case BT_EV_COMPACTION_DEFER_COMPACTION:
		o->defer_compaction += win;
		return;
	case BT_EV_COMPACTION_KCOMPACTD_WAKE:
		o->kcompactd_wakes += win;
		return;
	case BT_EV_VMSCAN_KSWAPD_WAKE:
	case BT_EV_VMSCAN_KSWAPD_SLEEP:
		on_kswapd(r, ev, win);
		return;
	default:
		break;
	}
	if (!p)
		return;
	switch (ev->type) {
	case BT_EV_COMPACTION_BEGIN:
	case BT_EV_COMPACTION_END:
		on_compaction(r, ev, p, win);
		break;
	case BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN:
	case BT_EV_VMSCAN_DIRECT_RECLAIM_END:
		on_reclaim(r, ev, p, win, vm);
		break;
	case BT_EV_OOM_MARK_VICTIM:
		on_victim(r, ev, p, win, vm);
		break;
	default:
		on_task_event(r, ev, p, win, vm);
		break;
	}
}

/* ---- finishing ---- */

static int cmp_pages(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->pages != y->pages)
		return x->pages < y->pages ? 1 : -1;
	if (x->allocs != y->allocs)
		return x->allocs < y->allocs ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int cmp_failed(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->failed != y->failed)
		return x->failed < y->failed ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int cmp_high(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->high_order != y->high_order)
		return x->high_order < y->high_order ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* The top rows of @t under @cmp, keeping only rows where @keep is set. */
static unsigned int top_rows(const struct table *t,
			     int (*cmp)(const void *, const void *),
			     size_t keep_off, struct bt_rec_top *out)
{
	struct ent *v;
	size_t i, n = 0;
	unsigned int k;

	if (!t->nr)
		return 0;
	v = malloc(t->nr * sizeof(*v));
	if (!v)
		return 0;
	for (i = 0; i < t->cap; i++)
		if (t->e[i].used &&
		    *(const uint64_t *)((const char *)&t->e[i] + keep_off))
			v[n++] = t->e[i];
	qsort(v, n, sizeof(*v), cmp);
	for (k = 0; k < BT_AN_TOP && k < n; k++) {
		memset(&out[k], 0, sizeof(out[k]));
		out[k].key = v[k].key;
		memcpy(out[k].comm, v[k].comm, sizeof(out[k].comm));
		out[k].allocs = v[k].allocs;
		out[k].pages = v[k].pages;
		out[k].failed = v[k].failed;
		out[k].high_order = v[k].high_order;
		out[k].evidence = v[k].evidence;
	}
	free(v);
	return k;
}

int bt_rec_finish(struct bt_rec *r, struct bt_recorded *out)
{
	unsigned int nid;
	size_t i;

	/* Intervals still open at the end of the trace. */
	for (nid = 0; nid < NR_NODES; nid++)
		if (r->kswapd_ts[nid])
			add_slice(r, r->kswapd_ts[nid], r->out.last_ts, -1, 3,
				  nid);
	for (i = 0; i < r->procs.cap; i++) {
		struct ent *p = &r->procs.e[i];

		if (p->used && p->compact_pending)
			compact_outcome(r, p, false);
	}
	r->out.nr_procs = top_rows(&r->procs, cmp_pages,
				   offsetof(struct ent, allocs),
				   r->out.procs);
	r->out.nr_fail_stacks = top_rows(&r->stacks, cmp_failed,
					 offsetof(struct ent, failed),
					 r->out.fail_stacks);
	r->out.nr_high_stacks = top_rows(&r->stacks, cmp_high,
					 offsetof(struct ent, high_order),
					 r->out.high_stacks);
	r->out.exact = r->out.probes > 0;
	if (r->out.first_ts == UINT64_MAX)
		r->out.first_ts = r->out.last_ts = 0;
	*out = r->out;
	r->out.slices = NULL;
	r->out.nr_slices = 0;
	r->slices_cap = 0;
	return 0;
}

void bt_recorded_release(struct bt_recorded *rv)
{
	free(rv->slices);
	rv->slices = NULL;
	rv->nr_slices = 0;
}
