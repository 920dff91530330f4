// SPDX-License-Identifier: GPL-2.0-only
/*
 * fastsearch.c - compaction's fast free-page search (fast_isolate_freepages()
 * of mm/compaction.c) replayed across orders in mirror mode.
 *
 * The kernel searches the MOVABLE free lists from the run's search order
 * down, round robin over the orders below the requested one, each list
 * from its tail for at most a limit that shrinks as candidates turn up
 * and from order to order, stops at the first block it takes, and
 * reorders every list it scanned (ALLOCATOR-SPEC 5.3). The event gives
 * only min_pfn, free_pfn, the entries scanned over all orders (plus
 * nr_taken - 1) and the pages taken. Per compaction run (per task, from
 * mm_compaction_try_to_compact_pages or kcompactd_wake to the next
 * mm_compaction_begin) this file keeps what the events tell of the
 * run's search order, its failure count (which sets the limit) and the
 * migration scanner's pfn (which sets low_pfn), then tries the readings
 * of each event, the tracked one first, on the model's lists without
 * changing them, and applies the first that reproduces both figures.
 */
#include <string.h>

#include "replay-internal.h"
#include "allocator/buddy.h"

/* the kernel's COMPACT_CLUSTER_MAX, which sizes the list walks */
#define FAST_CLUSTER 32u
/* a walk never goes further, whatever the limit */
#define FAST_WALK_CAP 1024u

struct fast_read {
	uint64_t min, low;
	unsigned int limit;
	int start, cc_order;
	uint64_t want;			/* nr_scanned of the event */
};

struct fast_out {
	uint64_t scanned, pick;
	int taken;			/* order taken, -1 none */
	unsigned int nrot;
	uint64_t rot[BT_BUDDY_NR_ORDERS];	/* new list heads */
};

struct order_walk {
	uint64_t min, low;
	unsigned int *limit;
	unsigned int n;
	uint64_t last, high, page;
	bool stopped;
	uint64_t budget;	/* entries the event leaves for this order */
	bool over;		/* scanned more than that: cannot fit */
};

/* The limit a failure count gives the walk (freelist_scan_limit() / 2). */
static unsigned int fail_limit(unsigned int fail)
{
	unsigned int l = ((FAST_CLUSTER >> BT_MIN(fail, 31u)) + 1) >> 1;

	return l ? l : 1;
}

static struct bt_fast_task *task_of(struct bt_replay_ctx *x, int32_t pid,
				    bool create)
{
	struct bt_fast_task *t, *old = &x->fast[0];

	for (unsigned int i = 0; i < BT_FAST_TASKS; i++) {
		t = &x->fast[i];
		if (t->stamp && t->pid == pid) {
			t->stamp = ++x->fast_stamp;
			return t;
		}
		if (t->stamp < old->stamp)
			old = t;
	}
	if (!create)
		return NULL;
	memset(old, 0, sizeof(*old));
	old->pid = pid;
	old->stamp = ++x->fast_stamp;
	return old;
}

void bt_fast_note(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	struct bt_fast_task *t;
	int64_t order;

	switch (ev->type) {
	case BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES:
	case BT_EV_COMPACTION_KCOMPACTD_WAKE:
		order = (int64_t)ev->arg[ev->type ==
			BT_EV_COMPACTION_KCOMPACTD_WAKE ? 1 : 0];
		t = task_of(x, ev->pid, true);
		t->order = order > 0 && order < BT_BUDDY_NR_ORDERS ?
			   (int)order : 0;
		break;
	case BT_EV_COMPACTION_BEGIN:
		t = task_of(x, ev->pid, true);
		t->search = t->order - 1;
		t->fail = 0;
		t->migrate = ev->arg[1];
		break;
	case BT_EV_COMPACTION_ISOLATE_MIGRATEPAGES:
		t = task_of(x, ev->pid, false);
		if (t)
			t->migrate = ev->arg[1];
		break;
	default:
		break;
	}
}

/* One list entry of the kernel's walk of one order. */
static bool order_step(void *data, uint64_t pfn, unsigned int i)
{
	struct order_walk *w = data;

	(void)i;
	w->n++;
	w->last = pfn;
	if (w->n > w->budget) {
		w->over = true;
		return true;
	}
	if (pfn >= w->low) {
		w->page = pfn;
		w->stopped = true;
		return true;
	}
	if (pfn >= w->min && pfn > w->high) {
		w->high = pfn;
		*w->limit >>= 1;
	}
	if (w->n >= *w->limit) {
		w->stopped = true;
		return true;
	}
	return false;
}

/*
 * The search of reading @r on the model's lists, which it leaves as
 * they are: entries scanned, the block taken, the lists' new heads.
 * Stops early once more entries were scanned than the event says.
 */
static void simulate(struct bt_replay_ctx *x, int zid,
		     const struct fast_read *r, struct fast_out *o)
{
	struct bt_buddy *b = bt_port_buddy(x->port);
	unsigned int limit = r->limit;
	int order = r->start;

	memset(o, 0, sizeof(*o));
	o->taken = -1;
	for (int n = 0; n < r->cc_order && o->scanned <= r->want; n++) {
		struct order_walk w = { r->min, r->low, &limit, 0, 0, 0, 0,
					false, r->want - o->scanned, false };
		uint64_t head;

		if (bt_buddy_free_list_walk(b, zid, (unsigned int)order,
					    BT_MT_MOVABLE, FAST_WALK_CAP,
					    order_step, &w) < 0)
			return;
		if (w.over) {
			/* no reading that scans more than the event fits */
			o->scanned = r->want + 1;
			o->taken = -1;
			return;
		}
		o->scanned += w.n;
		if (!w.page)
			w.page = w.high;
		head = w.page ? w.page : w.stopped ? w.last : 0;
		if (head)
			o->rot[o->nrot++] = head;
		if (w.page) {
			o->pick = w.page;
			o->taken = order;
			o->scanned += (1ull << order) - 1;
			return;
		}
		if (w.n >= limit)
			limit = BT_MAX(1u, limit >> 1);
		if (--order < 0)
			order = r->cc_order - 1;
		if (order == r->start)
			return;
	}
}

static bool fits(struct bt_replay_ctx *x, const struct fast_out *o,
		 uint64_t want, uint64_t taken)
{
	if (o->scanned != want)
		return false;
	if (o->taken < 0)
		return !taken;
	return taken == 1ull << o->taken &&
	       bt_port_fast_candidate(x->port, o->pick,
				      (unsigned int)o->taken);
}

/* The candidate low_pfns: exact when the migration scanner is known. */
static unsigned int lows_of(const struct bt_replay_ctx *x,
			    const struct bt_fast_task *t, uint64_t min,
			    uint64_t free, uint64_t low[2])
{
	uint64_t pb = 1ull << x->pageblock_order, mask = ~(pb - 1);
	uint64_t d, half = (free - min) / 2;

	if (t->migrate && t->migrate < free) {
		d = free - t->migrate;
		if (((free - d / 2) & mask) == min) {
			low[0] = BT_MAX((free - d / 4) & mask, min);
			return 1;
		}
	}
	low[0] = BT_MAX((free - half) & mask, min);
	low[1] = BT_MAX((free - half + pb / 2) & mask, min);
	return low[1] != low[0] ? 2 : 1;
}

/*
 * The first reading that fits, from the run's tracked search order:
 * the tracked limit, the scan start's deeper one, then the limits of
 * the other failure counts (fast_find_migrateblock() counts failures
 * without an event); per limit each candidate low_pfn. Other start
 * orders measured worse: fits by chance on lists that have parted.
 */
static bool find_read(struct bt_replay_ctx *x, int zid,
		      const struct bt_fast_task *t, struct fast_read *r,
		      const uint64_t *low, unsigned int nlow, uint64_t taken,
		      struct fast_out *o)
{
	unsigned int lims[8], nlim = 0;

	lims[nlim++] = fail_limit(t->fail);
	lims[nlim++] = BT_MAX(1u, (1u << x->pageblock_order) >> 1);
	for (unsigned int f = 0; f < 5; f++)
		if (fail_limit(f) != lims[0])
			lims[nlim++] = fail_limit(f);
	r->start = BT_MIN(t->search, t->order - 1);
	if (r->start < 0)
		r->start = t->order - 1;
	for (unsigned int l = 0; l < nlim; l++)
		for (unsigned int k = 0; k < nlow; k++) {
			r->limit = lims[l];
			r->low = low[k];
			simulate(x, zid, r, o);
			if (fits(x, o, r->want, taken))
				return true;
		}
	return false;
}

/* The run's state after the search, as the kernel leaves it. */
static void after(struct bt_fast_task *t, int start, int taken)
{
	if (taken >= 0) {
		t->search = taken;
		t->fail = 0;
		return;
	}
	t->fail++;
	t->search = start - 1 < 0 ? t->order - 1 : start - 1;
}

int64_t bt_fast_replay(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	struct bt_fast_task *t = task_of(x, ev->pid, false);
	struct bt_buddy *b = bt_port_buddy(x->port);
	uint64_t low[2], taken = ev->arg[3];
	struct fast_read r = { 0 };
	struct fast_out o;
	unsigned int nlow;
	int z = bt_ctx_zone(x, ev->arg[0]), zid;

	if (!t || t->order <= 0 || z < 0 || ev->arg[1] < ev->arg[0] ||
	    (taken & (taken - 1)) || taken > (1ull << (t->order - 1)))
		return -1;
	zid = bt_port_zid(x->port, (unsigned int)z);
	r.min = ev->arg[0];
	r.cc_order = t->order;
	r.want = ev->arg[2];
	nlow = lows_of(x, t, r.min, ev->arg[1], low);
	if (!find_read(x, zid, t, &r, low, nlow, taken, &o)) {
		after(t, BT_MIN(t->search, t->order - 1),
		      taken ? __builtin_ctzll(taken) : -1);
		return -1;
	}
	for (unsigned int i = 0; i < o.nrot; i++)
		bt_buddy_free_list_rotate(b, o.rot[i]);
	if (o.taken >= 0)
		bt_port_iso_take(x->port, o.pick, (unsigned int)o.taken);
	after(t, r.start, o.taken);
	return (int64_t)taken;
}
