// SPDX-License-Identifier: GPL-2.0-only
/*
 * retro.c - fallbacks confirmed in retrospect (mirror mode).
 *
 * A recorded fallback (mm_page_alloc_extfrag) proves that the kernel's
 * free lists held no block of the requested type at a usable order. When
 * the mirror still holds such blocks, they may be pages the kernel had
 * taken without an event: compaction's free scanners, the bulk allocator,
 * the time between the free-page map and the trace. The trace tells later:
 * a page taken without an event is eventually freed again (or drained)
 * while the mirror holds it free, whereas a page the kernel still had
 * free is taken by a traced allocation. So the fallback check keeps the
 * (at most BT_RETRO_BLOCKS) held blocks pending: when every one of them
 * turns out to have been taken silently, the fallback counts as confirmed;
 * when a traced allocation takes one of them while the mirror holds it
 * free, it stays unconfirmed. At the end of the trace, a block that the
 * closing free-page map (taken after the last event) does not show free
 * was taken without an event too; the others stay unconfirmed.
 *
 * Thousands of checks may be open at once, so an event must not look at
 * each: the held blocks are filed by 512-page slot (an order-10 block in
 * two), and an event visits only the entries of the slots its pages fall
 * in, settling the checks they name oldest first, as a walk over all
 * checks would. A check opened on the same blocks as the open check
 * before it, none of them gone yet, behaves exactly like it from then on
 * and is filed once, as that check's twin.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay-internal.h"
#include "../common/freeblocks.h"

static size_t slot_of(const struct bt_retro *r, uint64_t pfn)
{
	return (size_t)((pfn >> BT_RETRO_SLOT_SHIFT) - r->slot0);
}

_Static_assert((1 << (BT_REPLAY_NR_ORDERS - 1)) + (1 << BT_RETRO_SLOT_SHIFT)
	       <= 32768, "a block's offset from a slot fits in int16_t");

/* The first pfn of slot @s. */
static uint64_t slot_pfn(const struct bt_retro *r, size_t s)
{
	return (r->slot0 + s) << BT_RETRO_SLOT_SHIFT;
}

/* The pfn of a block filed in slot @s (its head may lie in one before). */
static uint64_t ent_pfn(const struct bt_retro *r, size_t s,
			const struct bt_retro_ent *e)
{
	return slot_pfn(r, s) + (uint64_t)(int64_t)e->off;
}

int bt_retro_init(struct bt_replay_ctx *x)
{
	struct bt_retro *r = &x->retro;
	uint64_t span = x->end_pfn - x->base_pfn;
	uint64_t last = x->end_pfn > x->base_pfn ? x->end_pfn - 1 : x->base_pfn;

	r->slot0 = x->base_pfn >> BT_RETRO_SLOT_SHIFT;
	r->nr_slots = (size_t)((last >> BT_RETRO_SLOT_SHIFT) - r->slot0 + 1);
	r->slot = calloc(r->nr_slots, sizeof(*r->slot));
	r->watch = calloc(span + 1, 1);
	r->last = malloc(BT_RETRO_BLOCKS * sizeof(*r->last));
	r->last_order = malloc(BT_RETRO_BLOCKS);
	if (!r->slot || !r->watch || !r->last || !r->last_order) {
		bt_retro_release(x);
		return -ENOMEM;
	}
	return 0;
}

void bt_retro_release(struct bt_replay_ctx *x)
{
	struct bt_retro *r = &x->retro;

	for (size_t i = 0; r->slot && i < r->nr_slots; i++)
		free(r->slot[i].e);
	free(r->slot);
	free(r->watch);
	free(r->last);
	free(r->last_order);
	free(r->p);
	memset(r, 0, sizeof(*r));
}

static void set_watch(struct bt_replay_ctx *x, uint64_t pfn,
		      unsigned int order, uint8_t v)
{
	memset(x->retro.watch + (pfn - x->base_pfn), v, 1ull << order);
}

static void unconfirmed(struct bt_retro_pending *p)
{
	struct bt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = p->ts;
	ev.type = BT_EV_PAGE_ALLOC_EXTFRAG;
	ev.cpu = p->cpu;
	ev.pid = p->pid;
	bt_replay_occur_add(&p->s->fallbacks_unconfirmed, &ev, p->pfn,
			    p->order, p->mt);
}

static bool in_span(const struct bt_replay_ctx *x, uint64_t pfn,
		    unsigned int order)
{
	return order < BT_REPLAY_NR_ORDERS && pfn >= x->base_pfn &&
	       pfn < x->end_pfn && x->end_pfn - pfn >= (1ull << order);
}

static int slot_push(struct bt_retro_slot *sl, const struct bt_retro_ent *e)
{
	if (sl->n == sl->cap) {
		uint32_t cap = sl->cap ? sl->cap * 2 : 8;
		void *q;

		if (cap <= sl->cap)
			return -ENOMEM;		/* 2^32 entries */
		q = realloc(sl->e, (size_t)cap * sizeof(*sl->e));
		if (!q)
			return -ENOMEM;
		sl->e = q;
		sl->cap = cap;
	}
	sl->e[sl->n++] = *e;
	return 0;
}

/* File block @b of check @id under every slot its pages fall in. */
static int index_block(struct bt_retro *r, uint32_t id, unsigned int b,
		       uint64_t pfn, unsigned int order)
{
	struct bt_retro_ent e = {
		.id = id, .order = (uint8_t)order, .b = (uint8_t)b,
	};
	size_t last = slot_of(r, pfn + (1ull << order) - 1);

	/* in_span(): order < BT_REPLAY_NR_ORDERS, so off fits in 16 bits */
	for (size_t s = slot_of(r, pfn); s <= last; s++) {
		e.off = (int16_t)((int64_t)pfn - (int64_t)slot_pfn(r, s));
		if (slot_push(&r->slot[s], &e))
			return -ENOMEM;
	}
	return 0;
}

static int grow(struct bt_retro *r)
{
	size_t cap = r->cap ? r->cap * 2 : 64;
	void *q;

	if (r->nr >= UINT32_MAX - 1)
		return -ENOMEM;
	q = realloc(r->p, cap * sizeof(*r->p));
	if (!q)
		return -ENOMEM;
	r->p = q;
	r->cap = cap;
	return 0;
}

/*
 * The lead to twin a new check holding @blocks with, or UINT32_MAX: the
 * last check is open, holds the same blocks and none of them is gone.
 */
static uint32_t twin_lead(const struct bt_retro *r, const uint64_t *blocks,
			  const uint8_t *orders, unsigned int n)
{
	const struct bt_retro_pending *lead;

	if (!r->nr || r->last_n != n)
		return UINT32_MAX;
	lead = &r->p[r->p[r->nr - 1].lead];
	if (lead->done || lead->nr_gone ||
	    memcmp(r->last, blocks, n * sizeof(*blocks)) ||
	    memcmp(r->last_order, orders, n))
		return UINT32_MAX;
	return r->p[r->nr - 1].lead;
}

/* File the blocks of new check @id (a lead) in the index. */
static int file_blocks(struct bt_replay_ctx *x, uint32_t id,
		       const uint64_t *blocks, const uint8_t *orders,
		       unsigned int n)
{
	struct bt_retro *r = &x->retro;

	r->last_n = 0;
	for (unsigned int i = 0; i < n; i++) {
		if (index_block(r, id, i, blocks[i], orders[i]))
			return -ENOMEM;
		set_watch(x, blocks[i], orders[i], 1);
	}
	memcpy(r->last, blocks, n * sizeof(*blocks));
	memcpy(r->last_order, orders, n);
	r->last_n = n;
	return 0;
}

int bt_retro_add(struct bt_replay_ctx *x, const struct bt_event *ev,
		 uint64_t pfn, unsigned int order, unsigned int mt,
		 const uint64_t *blocks, const uint8_t *orders, unsigned int n)
{
	struct bt_retro *r = &x->retro;
	struct bt_retro_pending *p;
	uint32_t id, lead;

	if (!r->watch || !n || n > BT_RETRO_BLOCKS)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		if (!in_span(x, blocks[i], orders[i]))
			return -EINVAL;
	if (r->nr == r->cap && grow(r))
		return -ENOMEM;
	lead = twin_lead(r, blocks, orders, n);
	id = (uint32_t)r->nr++;
	p = &r->p[id];
	memset(p, 0, sizeof(*p));
	p->s = x->c;
	p->ts = ev->ts;
	p->cpu = ev->cpu;
	p->pid = ev->pid;
	p->pfn = pfn;
	p->order = order;
	p->mt = mt;
	p->n = n;
	p->lead = lead == UINT32_MAX ? id : lead;
	if (lead != UINT32_MAX) {
		r->p[lead].twins++;
	} else if (file_blocks(x, id, blocks, orders, n)) {
		p->done = true;	/* filed in part: never counted */
		r->finished++;
		return -ENOMEM;
	}
	r->open++;
	return 0;
}

static bool overlaps(uint64_t a, unsigned int ao, uint64_t b, unsigned int bo)
{
	return a < b + (1ull << bo) && b < a + (1ull << ao);
}

static bool watched(const struct bt_replay_ctx *x, uint64_t pfn,
		    unsigned int order)
{
	const uint8_t *w = x->retro.watch + (pfn - x->base_pfn);
	uint64_t i = 0, n = 1ull << order, v;

	for (; i + 8 <= n; i += 8) {
		memcpy(&v, w + i, sizeof(v));
		if (v)
			return true;
	}
	for (; i < n; i++)
		if (w[i])
			return true;
	return false;
}

static bool gone(const struct bt_retro_pending *p, unsigned int b)
{
	return p->gone[b / 64] >> (b % 64) & 1;
}

/*
 * The blocks of check @p that the event's pages overlap, taken from slot
 * @sl from its cursor on (all of the check's entries there are passed):
 * silently taken ones are marked gone; *@live tells whether one of them
 * was still held. A finished check's entries are passed over.
 */
static void take_entries(const struct bt_retro *r, size_t s,
			 struct bt_retro_pending *p, uint32_t id, uint64_t pfn,
			 unsigned int order, bool silent, bool *live)
{
	struct bt_retro_slot *sl = &r->slot[s];

	for (; sl->cur < sl->n && sl->e[sl->cur].id == id; sl->cur++) {
		const struct bt_retro_ent *e = &sl->e[sl->cur];

		if (p->done ||
		    !overlaps(pfn, order, ent_pfn(r, s, e), e->order) ||
		    gone(p, e->b))
			continue;
		*live = true;
		if (silent) {
			p->gone[e->b / 64] |= 1ull << (e->b % 64);
			p->nr_gone++;
		}
	}
}

static bool slots_filled(const struct bt_retro *r, size_t s0, size_t s1)
{
	for (size_t s = s0; s <= s1; s++)
		if (r->slot[s].n)
			return true;
	return false;
}

/* The oldest check with an entry at a cursor of slots [s0, s1]. */
static uint32_t next_id(const struct bt_retro *r, size_t s0, size_t s1)
{
	uint32_t id = UINT32_MAX;

	for (size_t s = s0; s <= s1; s++) {
		const struct bt_retro_slot *sl = &r->slot[s];

		if (sl->cur < sl->n && sl->e[sl->cur].id < id)
			id = sl->e[sl->cur].id;
	}
	return id;
}

/* Drop the entries of finished checks from a slot (order kept). */
static void slot_compact(struct bt_retro *r, struct bt_retro_slot *sl)
{
	uint32_t w = 0;

	if (sl->clean_at == r->finished)
		return;		/* no check finished since the last time */
	sl->clean_at = r->finished;
	for (uint32_t i = 0; i < sl->n; i++)
		if (!r->p[sl->e[i].id].done)
			sl->e[w++] = sl->e[i];
	sl->n = w;
}

/* A lead and its twins are confirmed or not, in check order. */
static void settle(struct bt_retro *r, uint32_t lead, bool confirmed)
{
	for (uint32_t id = lead; id <= lead + r->p[lead].twins; id++) {
		struct bt_retro_pending *p = &r->p[id];

		p->done = true;
		r->open--;
		r->finished++;
		if (!confirmed) {
			unconfirmed(p);
		} else {
			p->s->fallbacks_confirmed++;
			p->s->fallbacks_confirmed_retro++;
		}
	}
}

/*
 * Pages taken: each open check holding one of them, oldest first, is
 * confirmed when a silent take leaves it no held block, and stays
 * unconfirmed when a traced allocation takes a block it still holds.
 */
void bt_retro_event(struct bt_replay_ctx *x, uint64_t pfn, unsigned int order,
		    bool silent)
{
	struct bt_retro *r = &x->retro;
	size_t s0, s1;
	uint32_t id;

	if (!r->watch || !r->open || !in_span(x, pfn, order))
		return;
	s0 = slot_of(r, pfn);
	s1 = slot_of(r, pfn + (1ull << order) - 1);
	/* the slots (small, often empty) first, then the pages */
	if (!slots_filled(r, s0, s1) || !watched(x, pfn, order))
		return;
	for (size_t s = s0; s <= s1; s++)
		r->slot[s].cur = 0;
	while ((id = next_id(r, s0, s1)) != UINT32_MAX) {
		struct bt_retro_pending *p = &r->p[id];
		bool live = false;

		for (size_t s = s0; s <= s1; s++)
			take_entries(r, s, p, id, pfn, order, silent, &live);
		if (p->done || !live)
			continue;
		if (!silent)
			settle(r, id, false);
		else if (p->nr_gone == p->n)
			settle(r, id, true);
	}
	for (size_t s = s0; s <= s1; s++)
		slot_compact(r, &r->slot[s]);
}

/* The last free-page map, if it is not the first. */
static const struct bt_snapshot *end_map(const struct bt_replay_ctx *x)
{
	const struct bt_snapshot *last = NULL;
	unsigned int nr, maps = 0;

	if (!x->r)
		return NULL;	/* a context without a trace (unit tests) */
	nr = bt_reader_nr_snapshots(x->r);
	for (unsigned int i = 0; i < nr; i++) {
		const struct bt_snapshot *sn = bt_reader_snapshot(x->r, i);

		if (sn && sn->kind == BT_SNAP_FREE_BLOCKS) {
			maps++;
			last = sn;
		}
	}
	return maps < 2 ? NULL : last;
}

/* Mark the open checks holding a block that free block @pfn overlaps. */
static void mark_free_at_end(struct bt_retro *r, uint64_t pfn,
			     unsigned int order)
{
	size_t last = slot_of(r, pfn + (1ull << order) - 1);

	for (size_t s = slot_of(r, pfn); s <= last; s++) {
		for (uint32_t i = 0; i < r->slot[s].n; i++) {
			const struct bt_retro_ent *e = &r->slot[s].e[i];
			struct bt_retro_pending *p = &r->p[e->id];

			if (!p->done && !gone(p, e->b) &&
			    overlaps(pfn, order, ent_pfn(r, s, e), e->order))
				p->held_at_end = true;
		}
	}
}

/*
 * Mark the open checks holding a block that the closing map @sn shows
 * free (in part): they stay unconfirmed.
 */
static void mark_held_at_end(struct bt_replay_ctx *x,
			     const struct bt_snapshot *sn)
{
	const char *pos = (const char *)sn->data, *end = pos + sn->len;
	unsigned int order;
	uint64_t pfn;
	int ret;

	while ((ret = bt_free_blocks_next(&pos, end, BT_REPLAY_NR_ORDERS - 1,
					  &pfn, &order)) != 0) {
		if (ret < 0 || pfn < x->base_pfn ||
		    pfn + (1ull << order) > x->end_pfn)
			continue;
		mark_free_at_end(&x->retro, pfn, order);
	}
}

int bt_retro_scan(struct bt_replay_ctx *x, unsigned int zone,
		  unsigned int order, unsigned int mt, const uint64_t **blocks,
		  const uint8_t **orders, unsigned int *n)
{
	struct bt_retro_scan *sc = &x->retro.scan;
	uint64_t now = x->s->events;

	if (!sc->valid || sc->event + 1 != now || sc->pbt_gen != x->pbt_gen ||
	    sc->zone != zone || sc->order != order || sc->mt != mt) {
		sc->held = bt_port_fallback_scan(x->port, zone, order, mt,
						 sc->blocks, sc->orders,
						 BT_RETRO_BLOCKS, &sc->n);
		sc->zone = zone;
		sc->order = order;
		sc->mt = mt;
		sc->valid = true;
	}
	sc->event = now;
	sc->pbt_gen = x->pbt_gen;
	*blocks = sc->blocks;
	*orders = sc->orders;
	*n = sc->n;
	return sc->held;
}

void bt_retro_finish(struct bt_replay_ctx *x)
{
	struct bt_retro *r = &x->retro;
	const struct bt_snapshot *m = r->open ? end_map(x) : NULL;

	if (m)
		mark_held_at_end(x, m);
	for (size_t i = 0; i < r->nr; i++) {
		struct bt_retro_pending *p = &r->p[i];

		if (p->done)
			continue;
		p->done = true;
		if (m && !r->p[p->lead].held_at_end) {
			p->s->fallbacks_confirmed++;
			p->s->fallbacks_confirmed_retro++;
		} else {
			unconfirmed(p);
		}
	}
	r->open = 0;
}
