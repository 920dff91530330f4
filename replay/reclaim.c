// SPDX-License-Identifier: GPL-2.0-only
/*
 * reclaim.c - model mode's reclaim: the model can only release what the
 * trace shows reclaimers freeing (DESIGN.md).
 *
 * A first pass over the trace marks every page that kswapd or a task
 * inside a direct-reclaim window frees (one bit per pfn); such a page
 * that no traced allocation touched before was in use since before the
 * trace and joins a FIFO at once. In the replay, each recorded
 * allocation of a marked page joins the FIFO behind them: oldest first,
 * as the LRU would age it. When the model reclaims (its reclaim hook), it
 * frees blocks from the head of the FIFO whose recorded pages are still
 * allocated and mapped to model blocks, until it has what it asked for,
 * and marks them reclaimed: the recorded free that comes later is then
 * counted (reclaimed_early), not applied twice. So under stronger knobs
 * the model may pull reclaim forward in time, but never reclaims a page
 * the real system did not reclaim.
 *
 * The first pass runs on a second reader of the same bytes, only as far
 * as the model's reclaim needs: the FIFO's head is the pages in use
 * since before the trace, in the order their frees come, so each time
 * the FIFO runs dry the pass reads on to the next such page. Only when
 * it reaches the end are the marks complete; until then the recorded
 * allocations are logged (BT_RECLAIM_LOG_MAX at most: a full log sends
 * the pass to the end), and at the end the logged ones it marks join
 * the FIFO in their order. The FIFO is consumed exactly as if the pass
 * had run first. A trace the model never reclaims on is read once.
 *
 * The pass mostly needs little more than the replay has read. Once the
 * replay catches up with it, the replay hands the pass each event it
 * reads (bt_reclaim_see()), and when the FIFO runs dry again the second
 * reader jumps to the replay's position (bt_reader_follow()) and reads
 * ahead from there. So an event is decoded twice only when the pass
 * reads it before the replay does: on the thp corpus trace, where the
 * pass stops at event 311,638 of 408,848, 217,649 events instead of all
 * 311,638.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay-internal.h"
#include "allocator/buddy.h"

static void mark(struct bt_replay_ctx *x, uint64_t pfn, unsigned int order)
{
	if (order >= BT_REPLAY_NR_ORDERS || pfn < x->base_pfn ||
	    pfn + (1ull << order) > x->end_pfn)
		return;
	for (uint64_t i = 0; i < (1ull << order); i++) {
		uint64_t b = pfn - x->base_pfn + i;

		x->rbits[b >> 3] |= (uint8_t)(1u << (b & 7));
	}
}

static bool any_set(const uint8_t *bits, uint64_t b, uint64_t n)
{
	for (uint64_t i = b; i < b + n; i++)
		if (bits[i >> 3] >> (i & 7) & 1)
			return true;
	return false;
}

static void set_bits(uint8_t *bits, uint64_t b, uint64_t n)
{
	for (uint64_t i = b; i < b + n; i++)
		bits[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static bool in_span(const struct bt_replay_ctx *x, uint64_t pfn,
		    unsigned int order)
{
	/* no pfn + size: a failed allocation's pfn is all ones */
	return order < BT_REPLAY_NR_ORDERS && pfn >= x->base_pfn &&
	       pfn < x->end_pfn && (1ull << order) <= x->end_pfn - pfn &&
	       !(pfn & ((1ull << order) - 1));
}

/*
 * One reclaim free seen by the first pass: its page joins the marked set;
 * if no traced allocation touched it before, it was allocated before the
 * trace began (page cache, typically) and joins the FIFO now, oldest.
 * Returns whether it did.
 */
static bool scan_free(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	struct bt_reclaim_scan *sc = &x->scan;
	unsigned int order = (unsigned int)ev->arg[1];
	uint64_t b, n;
	bool filed = false;

	/* checked before the shift: a hostile order is any 64-bit value */
	if (!in_span(x, ev->arg[0], order))
		return false;
	b = ev->arg[0] - x->base_pfn;
	n = 1ull << order;
	mark(x, ev->arg[0], order);
	if (!any_set(sc->seen, b, n)) {
		bt_reclaim_push(x, ev->arg[0], order);
		filed = true;
	}
	set_bits(sc->seen, b, n);
	return filed;
}

/* One event of the first pass; true when it filed a page in the FIFO. */
static bool scan_event(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	struct bt_reclaim_scan *sc = &x->scan;
	/* the replay's reading of an order: its low 32 bits (replay.c) */
	unsigned int order = (unsigned int)ev->arg[1];

	bt_evidence_note(&sc->evid, ev);
	if (ev->type == BT_EV_PAGE_ALLOC && in_span(x, ev->arg[0], order))
		set_bits(sc->seen, ev->arg[0] - x->base_pfn, 1ull << order);
	if (ev->type != BT_EV_PAGE_FREE)
		return false;
	if ((ev->comm && ev->comm[0] == 'k' &&
	     !strncmp(ev->comm, "kswapd", 6)) ||
	    bt_evidence_in_reclaim(&sc->evid, ev->pid))
		return scan_free(x, ev);
	if (in_span(x, ev->arg[0], order))
		set_bits(sc->seen, ev->arg[0] - x->base_pfn, 1ull << order);
	return false;
}

static int scan_open(struct bt_replay_ctx *x)
{
	struct bt_reclaim_scan *sc = &x->scan;
	uint64_t span = x->end_pfn - x->base_pfn;
	int err = 0;

	x->rbits = calloc(span / 8 + 1, 1);
	sc->seen = calloc(span / 8 + 1, 1);
	if (!x->rbits || !sc->seen)
		return -ENOMEM;
	err = bt_evidence_init(&sc->evid);
	if (err)
		return err;
	sc->evid_live = true;
	sc->r = bt_reader_dup(x->r, &err);
	if (!sc->r)
		return err;
	bt_reader_set_quiet(sc->r, true);	/* the replay warns */
	/* it reads a few events at a time, from where it is moved to */
	bt_reader_set_prefetch(sc->r, false);
	sc->synced = true;
	/* a replay fed by its caller (next_event) has no reader to follow */
	sc->live = !x->o->next_event;
	return 0;
}

static void scan_close(struct bt_replay_ctx *x)
{
	struct bt_reclaim_scan *sc = &x->scan;

	bt_reader_close(sc->r);
	sc->r = NULL;
	if (sc->evid_live)
		bt_evidence_release(&sc->evid);
	sc->evid_live = false;
	free(sc->seen);
	sc->seen = NULL;
}

/*
 * The first pass, on from where it stopped: up to the next page it files
 * in the FIFO (unless @to_end), or to the end. At the end, the marks are
 * complete and the logged allocations they mark join the FIFO, in their
 * order, behind every page the pass filed. 0, or why the pass could not
 * run (kept: the model then reclaims nothing more).
 */
static int scan_more(struct bt_replay_ctx *x, bool to_end)
{
	struct bt_reclaim_scan *sc = &x->scan;
	struct bt_event ev;
	int err = 0;

	if (sc->done)
		return x->reclaim_err;
	if (!sc->started) {
		sc->started = true;
		err = scan_open(x);
	}
	/* the replay stands at pos (bt_reclaim_see()): read on from there */
	if (!err && !sc->synced) {
		err = bt_reader_follow(sc->r, x->r);
		sc->synced = true;
	}
	/* a stream error ends the pass; the replay reports it */
	while (!err && bt_reader_next(sc->r, &ev) > 0) {
		sc->pos++;
		if (scan_event(x, &ev) && !to_end)
			return 0;
	}
	scan_close(x);
	sc->done = true;
	sc->live = false;
	for (size_t i = 0; !err && i < x->plog_len; i++)
		if (bt_reclaim_marked(x, x->plog[i].idx + x->base_pfn))
			bt_reclaim_push(x, x->plog[i].idx + x->base_pfn,
					x->plog[i].order);
	free(x->plog);
	x->plog = NULL;
	x->plog_len = x->plog_cap = 0;
	x->reclaim_err = err;
	return err;
}

void bt_reclaim_see_slow(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	struct bt_reclaim_scan *sc = &x->scan;

	sc->pos++;
	sc->synced = false;
	scan_event(x, ev);
}

void bt_reclaim_note_alloc(struct bt_replay_ctx *x, uint64_t pfn,
			   unsigned int order)
{
	if (!x->scan.done && x->plog_len == x->plog_cap) {
		size_t cap = x->plog_cap ? x->plog_cap * 2 : 4096;
		struct bt_reclaim_ent2 *n = NULL;

		if (cap <= (x->o->reclaim_log_max ? x->o->reclaim_log_max :
			    BT_RECLAIM_LOG_MAX))
			n = realloc(x->plog, cap * sizeof(*n));
		if (n) {
			x->plog = n;
			x->plog_cap = cap;
		} else {
			scan_more(x, true);
		}
	}
	if (!x->scan.done) {
		x->plog[x->plog_len++] = (struct bt_reclaim_ent2){
			(uint32_t)(pfn - x->base_pfn), (uint8_t)order };
		return;
	}
	if (bt_reclaim_marked(x, pfn))
		bt_reclaim_push(x, pfn, order);
}

bool bt_reclaim_marked(const struct bt_replay_ctx *x, uint64_t pfn)
{
	uint64_t b = pfn - x->base_pfn;

	return x->rbits && (x->rbits[b >> 3] >> (b & 7) & 1);
}

void bt_reclaim_push(struct bt_replay_ctx *x, uint64_t pfn, unsigned int order)
{
	struct bt_reclaim_fifo *f = &x->fifo;

	if (f->len == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 4096;
		struct bt_reclaim_ent2 *n = malloc(cap * sizeof(*n));

		if (!n)
			return;		/* without memory, reclaim less */
		for (size_t i = 0; i < f->len; i++)
			n[i] = f->ent[(f->head + i) % f->cap];
		free(f->ent);
		f->ent = n;
		f->cap = cap;
		f->head = 0;
	}
	f->ent[(f->head + f->len) % f->cap] =
		(struct bt_reclaim_ent2){ (uint32_t)(pfn - x->base_pfn),
					  (uint8_t)order };
	f->len++;
}

/* Free one FIFO entry's model block; returns its pages, 0 if gone. */
static uint64_t reclaim_one(struct bt_replay_ctx *x, struct bt_buddy *b,
			    const struct bt_reclaim_ent2 *e)
{
	uint64_t n = 1ull << e->order, rec = e->idx;
	uint32_t m0;

	if (bt_pg_at(x, rec) == BT_PG_INIT) {
		/* in use since before the trace: the same pfn in the model */
		if (!bt_pg_all(x, rec, n, BT_PG_INIT))
			return 0;
		if (bt_buddy_free(b, rec + x->base_pfn, e->order, 0, 0))
			return 0;
		bt_pg_put(x, rec, BT_PG_RECLAIMED, n);
		return n;
	}
	/*
	 * map[] only now: for pages in use since before the trace it was
	 * never written, and reading it would map a page of it for nothing
	 * (219 page faults of a model replay of the thp corpus trace)
	 */
	if (bt_pg_at(x, rec) != BT_PG_ALLOC)
		return 0;
	m0 = x->map[rec];
	if (m0 == BT_MAP_NONE || ((m0 - 1) & (n - 1)))
		return 0;
	for (uint64_t i = 0; i < n; i++)
		if (bt_pg_at(x, rec + i) != BT_PG_ALLOC ||
		    x->map[rec + i] != m0 + i)
			return 0;
	if (bt_buddy_free(b, m0 - 1 + x->base_pfn, e->order, 0, 0))
		return 0;
	for (uint64_t i = 0; i < n; i++) {
		x->rmap[m0 - 1 + i] = BT_MAP_NONE;
		x->map[rec + i] = BT_MAP_NONE;
		bt_pg_put(x, rec + i, BT_PG_RECLAIMED, 1);
	}
	return n;
}

uint64_t bt_reclaim_run(struct bt_replay_ctx *x, struct bt_buddy *b,
			uint64_t want)
{
	struct bt_reclaim_fifo *f = &x->fifo;
	uint64_t got = 0;

	while (got < want) {
		struct bt_reclaim_ent2 e;

		/* the pass finds the next page as the FIFO runs dry */
		if (!f->len && (x->scan.done || scan_more(x, false) ||
				!f->len))
			break;
		e = f->ent[f->head];

		f->head = (f->head + 1) % f->cap;
		f->len--;
		got += reclaim_one(x, b, &e);
	}
	x->c->reclaimed_pages += got;
	return got;
}

void bt_reclaim_release(struct bt_replay_ctx *x)
{
	scan_close(x);
	free(x->rbits);
	free(x->fifo.ent);
	free(x->plog);
}
