// SPDX-License-Identifier: GPL-2.0-only
/*
 * premap.c - which traced events the free-page map already shows.
 *
 * `buddytrace record` turns tracing on before it reads the free-page map,
 * which takes a second or more on a large machine, and says when it read
 * each range of pfns (a BT_SNAP_FREE_TIMES snapshot beside the map, one
 * line per aligned 8192 pages). An event on a page before the map read
 * that page is already in the map: applying it again would free a free
 * page or take a taken one. Such an event is counted, and an allocation
 * is judged on the state as it stands, but nothing is applied to the
 * state (premap_events). Within one range the pages were read one after
 * the other, so a page's read time is interpolated across the range.
 *
 * Traces without read times (imports, older recordings) have no premap
 * events: the map is taken as the state before the first event.
 */
#include <errno.h>
#include <stdlib.h>

#include "../common/freeblocks.h"
#include "replay-internal.h"

#define PREMAP_SHIFT 10		/* one entry per aligned 1024 pages */

struct bt_premap {
	uint64_t first;		/* index of the first entry (pfn >> shift) */
	uint64_t nr;
	struct bt_free_time *t;	/* hi == 0: no read time known */
	uint64_t last;		/* no page was read at or after this time */
};

static void premap_note(struct bt_premap *m, const struct bt_free_time *t)
{
	for (uint64_t i = t->lo >> PREMAP_SHIFT;
	     i <= (t->hi - 1) >> PREMAP_SHIFT; i++) {
		struct bt_free_time *e;

		if (i < m->first || i - m->first >= m->nr)
			continue;
		e = &m->t[i - m->first];
		if (!e->hi) {
			*e = *t;
			continue;
		}
		/* two ranges in one entry (a zone boundary): span both */
		e->lo = BT_MIN(e->lo, t->lo);
		e->hi = BT_MAX(e->hi, t->hi);
		e->t0 = BT_MIN(e->t0, t->t0);
		e->t1 = BT_MAX(e->t1, t->t1);
	}
	m->last = BT_MAX(m->last, t->t1);
}

int bt_premap_load(struct bt_replay_ctx *x, const struct bt_snapshot *map)
{
	/* the recorder writes times with the start map only, at its ts */
	const struct bt_snapshot *sn = bt_replay_first_snap(x->r,
							    BT_SNAP_FREE_TIMES);
	const char *p, *end;
	struct bt_free_time t;
	struct bt_premap *m;
	int ret;

	if (!sn || sn->ts != map->ts || x->end_pfn <= x->base_pfn)
		return 0;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->first = x->base_pfn >> PREMAP_SHIFT;
	m->nr = ((x->end_pfn - 1) >> PREMAP_SHIFT) - m->first + 1;
	m->t = calloc(m->nr, sizeof(*m->t));
	if (!m->t) {
		free(m);
		return -ENOMEM;
	}
	p = (const char *)sn->data;
	end = p + sn->len;
	while ((ret = bt_free_times_next(&p, end, &t)) > 0)
		premap_note(m, &t);
	if (ret < 0) {
		/* a damaged list of times: the map is taken as it is */
		bt_warn("the free-page map's read times are damaged: "
			"ignored");
		free(m->t);
		free(m);
		return 0;
	}
	x->premap = m;
	x->premap_until = m->last;
	return 0;
}

void bt_premap_release(struct bt_replay_ctx *x)
{
	if (!x->premap)
		return;
	free(x->premap->t);
	free(x->premap);
	x->premap = NULL;
	x->premap_until = 0;
}

/* When the map read @pfn's flags, or 0 when it says nothing of it. */
static uint64_t read_time(const struct bt_premap *m, uint64_t pfn)
{
	uint64_t i = pfn >> PREMAP_SHIFT;
	const struct bt_free_time *e;

	if (i < m->first || i - m->first >= m->nr)
		return 0;
	e = &m->t[i - m->first];
	if (!e->hi || pfn < e->lo || pfn >= e->hi)
		return 0;
	/* < 2^10 pages times < 2^32 ns per range: no overflow */
	if (e->t1 - e->t0 >= (1ull << 32))
		return e->t1;
	return e->t0 + (e->t1 - e->t0) * (pfn - e->lo) / (e->hi - e->lo);
}

/*
 * ts < read_time(@m, @pfn), the division only when @ts falls inside the
 * read of its 1024 pages (a read time lies in [t0, t1]): most events
 * come after the map was read, and this ran for every page event (a
 * tenth of a mirror replay).
 */
static bool before_read(const struct bt_premap *m, uint64_t pfn, uint64_t ts)
{
	uint64_t i = pfn >> PREMAP_SHIFT;
	const struct bt_free_time *e;

	if (ts >= m->last || i < m->first || i - m->first >= m->nr)
		return false;
	e = &m->t[i - m->first];
	if (!e->hi || pfn < e->lo || pfn >= e->hi || ts >= e->t1)
		return false;
	return ts < e->t0 || ts < read_time(m, pfn);
}

bool bt_premap_before(const struct bt_replay_ctx *x, uint64_t ts,
		      uint64_t pfn)
{
	return x->premap && before_read(x->premap, pfn, ts);
}

bool bt_premap_shown(const struct bt_replay_ctx *x, const struct bt_event *ev)
{
	uint64_t pfn;

	switch (ev->type) {
	case BT_EV_PAGE_ALLOC:
	case BT_EV_PAGE_FREE:
	case BT_EV_PAGEVEC_FREE:
	case BT_EV_PAGE_ALLOC_ZONE_LOCKED:
	case BT_EV_PAGE_PCPU_DRAIN:
	case BT_EV_COMPACTION_ISOLATE_FREEPAGES:
	case BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES:
		pfn = ev->arg[0];
		break;
	default:
		return false;
	}
	if (pfn == BT_PFN_NONE)
		return false;
	return before_read(x->premap, pfn, ev->ts);
}

void bt_premap_count(struct bt_replay_ctx *x, const struct bt_event *ev)
{
	x->c->premap_events++;
	x->d.pfn = ev->arg[0];
	switch (ev->type) {
	case BT_EV_PAGE_FREE:
	case BT_EV_PAGEVEC_FREE:
		x->d.order = bt_replay_free_order(ev);
		bt_replay_count_free(x, ev, x->d.order);
		break;
	case BT_EV_PAGE_ALLOC_ZONE_LOCKED:
		x->d.order = (unsigned int)ev->arg[1];
		if (ev->arg[3])
			x->c->pcp_refills++;
		break;
	case BT_EV_PAGE_PCPU_DRAIN:
		x->d.order = (unsigned int)ev->arg[1];
		x->c->pcp_drains++;
		break;
	case BT_EV_COMPACTION_ISOLATE_FREEPAGES:
	case BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES:
		bt_replay_common_event(x, ev);
		break;
	default:
		break;		/* mm_page_alloc: the caller judges it */
	}
}

bool bt_premap_evaluate(struct bt_replay_ctx *x, const struct bt_event *ev,
			unsigned int *evid, struct bt_port_verdict *v)
{
	unsigned int order = (unsigned int)ev->arg[1];

	*evid = bt_evidence_take(&x->evid, ev->pid);
	x->d.pfn = ev->arg[0];
	x->d.order = order;
	bt_replay_record_alloc(x, ev, *evid);
	if (order >= BT_REPLAY_NR_ORDERS)
		return false;
	bt_port_evaluate(x->port, x, ev, order, ev->arg[2], v);
	return true;
}
