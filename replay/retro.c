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
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay-internal.h"
#include "../common/freeblocks.h"

int bt_retro_init(struct bt_replay_ctx *x)
{
	uint64_t span = x->end_pfn - x->base_pfn;

	x->retro.watch = calloc(span + 1, 1);
	return x->retro.watch ? 0 : -ENOMEM;
}

void bt_retro_release(struct bt_replay_ctx *x)
{
	free(x->retro.watch);
	free(x->retro.p);
	memset(&x->retro, 0, sizeof(x->retro));
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

int bt_retro_add(struct bt_replay_ctx *x, const struct bt_event *ev,
		 uint64_t pfn, unsigned int order, unsigned int mt,
		 const uint64_t *blocks, const uint8_t *orders, unsigned int n)
{
	struct bt_retro *r = &x->retro;
	struct bt_retro_pending *p;

	if (!r->watch || !n || n > BT_RETRO_BLOCKS)
		return -EINVAL;
	if (r->nr == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		void *q = realloc(r->p, cap * sizeof(*r->p));

		if (!q)
			return -ENOMEM;
		r->p = q;
		r->cap = cap;
	}
	p = &r->p[r->nr++];
	memset(p, 0, sizeof(*p));
	p->s = x->c;
	p->ts = ev->ts;
	p->cpu = ev->cpu;
	p->pid = ev->pid;
	p->pfn = pfn;
	p->order = order;
	p->mt = mt;
	p->n = n;
	r->open++;
	for (unsigned int i = 0; i < n; i++) {
		p->block[i] = blocks[i];
		p->border[i] = orders[i];
		set_watch(x, blocks[i], orders[i], 1);
	}
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

	for (uint64_t i = 0; i < (1ull << order); i++)
		if (w[i])
			return true;
	return false;
}

void bt_retro_event(struct bt_replay_ctx *x, uint64_t pfn, unsigned int order,
		    bool silent)
{
	struct bt_retro *r = &x->retro;

	if (!r->watch || !r->open || !watched(x, pfn, order))
		return;
	for (size_t i = 0; i < r->nr; i++) {
		struct bt_retro_pending *p = &r->p[i];
		bool all = true;

		if (p->done)
			continue;
		for (unsigned int b = 0; b < p->n; b++) {
			if (overlaps(pfn, order, p->block[b], p->border[b])) {
				if (!silent)
					break;
				p->gone[b / 64] |= 1ull << (b % 64);
			}
		}
		for (unsigned int b = 0; b < p->n; b++)
			if (!(p->gone[b / 64] >> (b % 64) & 1)) {
				all = false;
				if (!silent && overlaps(pfn, order, p->block[b],
							p->border[b])) {
					p->done = true;
					r->open--;
					unconfirmed(p);
					break;
				}
			}
		if (!p->done && all) {
			p->done = true;
			r->open--;
			p->s->fallbacks_confirmed++;
			p->s->fallbacks_confirmed_retro++;
		}
	}
}

/* The last free-page map, if it is not the first: 1 per free page. */
static uint8_t *end_map(struct bt_replay_ctx *x)
{
	unsigned int nr = bt_reader_nr_snapshots(x->r), maps = 0;
	const struct bt_snapshot *last = NULL;
	uint64_t span = x->end_pfn - x->base_pfn, pfn;
	const char *pos, *end;
	unsigned int order;
	uint8_t *m;
	int ret;

	for (unsigned int i = 0; i < nr; i++) {
		const struct bt_snapshot *sn = bt_reader_snapshot(x->r, i);

		if (sn && sn->kind == BT_SNAP_FREE_BLOCKS) {
			maps++;
			last = sn;
		}
	}
	if (maps < 2 || !(m = calloc(span + 1, 1)))
		return NULL;
	pos = (const char *)last->data;
	end = pos + last->len;
	while ((ret = bt_free_blocks_next(&pos, end, BT_REPLAY_NR_ORDERS - 1,
					  &pfn, &order)) != 0) {
		if (ret < 0 || pfn < x->base_pfn ||
		    pfn + (1ull << order) > x->end_pfn)
			continue;
		memset(m + (pfn - x->base_pfn), 1, 1ull << order);
	}
	return m;
}

static bool free_at_end(const struct bt_replay_ctx *x, const uint8_t *m,
			uint64_t pfn, unsigned int order)
{
	for (uint64_t i = 0; i < (1ull << order); i++)
		if (m[pfn - x->base_pfn + i])
			return true;
	return false;
}

void bt_retro_finish(struct bt_replay_ctx *x)
{
	struct bt_retro *r = &x->retro;
	uint8_t *m = r->open ? end_map(x) : NULL;

	for (size_t i = 0; i < r->nr; i++) {
		struct bt_retro_pending *p = &r->p[i];
		bool all = m != NULL;

		if (p->done)
			continue;
		p->done = true;
		for (unsigned int b = 0; all && b < p->n; b++)
			if (!(p->gone[b / 64] >> (b % 64) & 1) &&
			    free_at_end(x, m, p->block[b], p->border[b]))
				all = false;
		if (all) {
			p->s->fallbacks_confirmed++;
			p->s->fallbacks_confirmed_retro++;
		} else {
			unconfirmed(p);
		}
	}
	r->open = 0;
	free(m);
}
