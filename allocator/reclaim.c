// SPDX-License-Identifier: GPL-2.0-only
/*
 * reclaim.c - kswapd wakeups and balancing, direct reclaim, and where the
 * reclaimed pages come from.
 *
 * The model cannot know which pages reclaim frees: that depends on the
 * LRU, which no trace carries. So reclaim is supplied from outside, in one
 * of two ways: a hook (struct bt_buddy_hooks.reclaim) that frees what the
 * trace shows the reclaimer freeing, or a FIFO "reclaim pool" of allocated
 * blocks that replay fills (bt_buddy_reclaim_add()) with page-cache-like
 * allocations; direct reclaim frees pool blocks until SWAP_CLUSTER_MAX (32)
 * pages, kswapd until its node is balanced at the high watermark. The
 * decisions around reclaim (when kswapd is woken, whether a node is
 * balanced, how many pages count as reclaimable) follow mm/vmscan.c.
 */
#include <errno.h>
#include <stdlib.h>

#include "allocator/allocator-internal.h"

int bt_buddy_reclaim_add(struct bt_buddy *b, uint64_t pfn, unsigned int order)
{
	struct bt_zone *z;
	uint32_t idx;

	if (order > b->max_order || (pfn & ((1ull << order) - 1)))
		return -EINVAL;
	z = bt_zone_of(b, pfn, &idx);
	if (!z)
		return -EINVAL;
	if (b->pool_len == b->pool_cap) {
		size_t cap = b->pool_cap ? b->pool_cap * 2 : 256, i;
		struct bt_reclaim_ent *n = malloc(cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (i = 0; i < b->pool_len; i++)
			n[i] = b->pool[(b->pool_head + i) % b->pool_cap];
		free(b->pool);
		b->pool = n;
		b->pool_cap = cap;
		b->pool_head = 0;
	}
	b->pool[(b->pool_head + b->pool_len) % b->pool_cap] =
	    (struct bt_reclaim_ent){pfn, order};
	b->pool_len++;
	b->pool_pages += 1ull << order;
	z->pool_pages += 1ull << order;
	return 0;
}

uint64_t bt_buddy_reclaim_pending(const struct bt_buddy *b)
{
	return b->pool_pages;
}

/* Free pool blocks until @want pages came back or the pool is empty. */
static uint64_t pool_reclaim(struct bt_buddy *b, uint64_t want, int cpu)
{
	uint64_t got = 0;

	while (got < want && b->pool_len) {
		struct bt_reclaim_ent e = b->pool[b->pool_head];
		uint32_t idx;
		struct bt_zone *z;

		b->pool_head = (b->pool_head + 1) % b->pool_cap;
		b->pool_len--;
		b->pool_pages -= 1ull << e.order;
		z = bt_zone_of(b, e.pfn, &idx);
		if (z)
			z->pool_pages -= 1ull << e.order;
		if (!z || ST_AT(z, idx) != ST(PS_ALLOC, e.order))
			continue; /* freed or moved meanwhile */
		if (bt_buddy_free(b, e.pfn, e.order, cpu, 0) == 0)
			got += 1ull << e.order;
	}
	return got;
}

/* zone_reclaimable_pages(): the zone's estimate plus its pool blocks */
uint64_t bt_zone_reclaimable(const struct bt_buddy *b, const struct bt_zone *z)
{
	(void)b;
	return z->reclaimable + z->pool_pages;
}

static uint64_t do_reclaim(struct bt_buddy *b, struct bt_reclaim_request *rq,
			   int cpu)
{
	if (b->hooks.reclaim)
		return b->hooks.reclaim(b, rq, b->hooks.data);
	return pool_reclaim(b, rq->nr_to_reclaim, cpu);
}

/* try_to_free_pages(): one direct reclaim round of 32 pages. */
uint64_t bt_direct_reclaim(struct bt_buddy *b, struct bt_actx *ac)
{
	struct bt_reclaim_request rq;

	b->stats.allocstall++;
	rq.nid = ac->nid;
	rq.highest_zoneidx = ac->hz;
	rq.order = ac->order;
	rq.gfp = ac->gfp;
	rq.nr_to_reclaim = BT_SWAP_CLUSTER_MAX;
	rq.kswapd = false;
	return do_reclaim(b, &rq, ac->rq->cpu);
}

/* pgdat_balanced(): any managed zone <= hz passes its high mark. */
static bool pgdat_balanced(struct bt_buddy *b, int nid, unsigned int order,
			   int hz)
{
	bool any = false;
	int i;

	for (i = 0; i < b->nr_zones; i++) {
		struct bt_zone *z = b->zones[i];

		if (z->node != nid || z->type > hz || !z->managed)
			continue;
		any = true;
		if (bt_zone_watermark_ok(b, z, order, (int64_t)bt_wmark(z, 2),
					 hz, 0, z->free_pages))
			return true;
	}
	return !any;
}

static bool node_boosted(struct bt_buddy *b, int nid, int hz)
{
	int i;

	for (i = 0; i < b->nr_zones; i++)
		if (b->zones[i]->node == nid && b->zones[i]->type <= hz &&
		    b->zones[i]->boost)
			return true;
	return false;
}

static void set_reclaim_active(struct bt_buddy *b, int nid, bool on)
{
	int i;

	for (i = 0; i < b->nr_zones; i++) {
		struct bt_zone *z = b->zones[i];

		if (z->node != nid)
			continue;
		if (on)
			z->flags |= ZF_RECLAIM_ACTIVE;
		else
			z->flags &= ~ZF_RECLAIM_ACTIVE;
	}
}

/*
 * wakeup_kswapd() [6.x; 4.12: no boost test, no kcompactd]: record the
 * order and zone; wake a sleeping kswapd unless the node is hopeless or
 * balanced without boost (then kcompactd for non-direct-reclaim requests).
 */
void bt_wakeup_kswapd(struct bt_buddy *b, struct bt_zone *z, uint64_t gfp,
		      unsigned int order, int hz)
{
	struct bt_node *n = &b->nodes[z->node];
	struct bt_buddy_event ev;

	if (!z->managed)
		return;
	if (b->dry) {
		/* mirror: report the wake the kernel would do, change nothing
		 */
		if (!n->kswapd_awake &&
		    n->kswapd_failures < BT_MAX_RECLAIM_RETRIES &&
		    !(pgdat_balanced(b, z->node, order, hz) &&
		      (!b->v6 || !node_boosted(b, z->node, hz))) &&
		    b->cur_res)
			b->cur_res->kswapd_woken++;
		return;
	}
	if (n->kswapd_hz < hz)
		n->kswapd_hz = hz;
	n->kswapd_order = BT_MAX(n->kswapd_order, order);
	if (n->kswapd_awake)
		return;
	if (n->kswapd_failures >= BT_MAX_RECLAIM_RETRIES ||
	    (pgdat_balanced(b, z->node, order, hz) &&
	     (!b->v6 || !node_boosted(b, z->node, hz)))) {
		if (b->v6 && !(gfp & BT_BUDDY_GFP_DIRECT_RECLAIM))
			bt_wakeup_kcompactd(b, z->node, order, hz);
		return;
	}
	n->kswapd_awake = true;
	set_reclaim_active(b, z->node, true);
	b->stats.kswapd_wakes++;
	if (b->cur_res)
		b->cur_res->kswapd_woken++;
	if (b->hooks.event) {
		memset(&ev, 0, sizeof(ev));
		ev.kind = BT_BEV_WAKEUP_KSWAPD;
		ev.zone = z->id;
		ev.pfn = BT_BUDDY_PFN_NONE;
		ev.a = order;
		ev.b = z->type;
		bt_emit(b, &ev);
	}
}

/* wake_all_kswapds(): first usable zone of each node in the zonelist */
void bt_wake_all_kswapds(struct bt_buddy *b, struct bt_actx *ac)
{
	int i, last = -1;
	unsigned int order = ac->order;

	if (b->cfg.defrag_mode)
		order = BT_MAX(order, b->pb_order);
	for (i = ac->first; i < ac->nr_zl; i++) {
		struct bt_zone *z = b->zones[ac->zl[i]];

		if (z->type > ac->hz || z->node == last)
			continue;
		if ((ac->gfp & BT_BUDDY_GFP_THISNODE) && z->node != ac->nid)
			continue;
		last = z->node;
		bt_wakeup_kswapd(b, z, ac->gfp, order, ac->hz);
	}
}

bool bt_buddy_kswapd_awake(const struct bt_buddy *b, int nid)
{
	return nid >= 0 && nid < BT_MAX_NODES && b->nodes[nid].kswapd_awake;
}

static void kswapd_sleep(struct bt_buddy *b, int nid)
{
	struct bt_node *n = &b->nodes[nid];
	int i;

	/* end of balance_pgdat(): boosts are consumed */
	for (i = 0; i < b->nr_zones; i++)
		if (b->zones[i]->node == nid) {
			b->zones[i]->boost = 0;
			b->zones[i]->flags &= ~ZF_BOOSTED;
		}
	n->kswapd_awake = false;
	n->kswapd_order = 0;
	n->kswapd_hz = -1;
	set_reclaim_active(b, nid, false);
}

int bt_buddy_kswapd_set_state(struct bt_buddy *b, int nid, bool awake)
{
	if (nid < 0 || nid >= BT_MAX_NODES || !b->nodes[nid].present)
		return -EINVAL;
	if (awake) {
		b->nodes[nid].kswapd_awake = true;
		set_reclaim_active(b, nid, true);
	} else {
		kswapd_sleep(b, nid);
	}
	return 0;
}

/* Σ max(high watermark, 32) over the node's zones <= hz: one round. */
static uint64_t round_target(struct bt_buddy *b, int nid, int hz)
{
	uint64_t t = 0;
	int i;

	for (i = 0; i < b->nr_zones; i++) {
		struct bt_zone *z = b->zones[i];

		if (z->node == nid && z->type <= hz && z->managed)
			t += BT_MAX(bt_wmark(z, 2), (uint64_t)32);
	}
	return t;
}

/*
 * balance_pgdat(): reclaim rounds until the node is balanced at the high
 * watermark for the requested order (order 0 once 2^(order+1) pages came
 * back), then sleep; a run that reclaims nothing counts as a failure.
 */
long bt_buddy_kswapd_run(struct bt_buddy *b, int nid)
{
	struct bt_node *n;
	struct bt_reclaim_request rq;
	uint64_t total = 0;
	unsigned int order;
	int hz, rounds;
	bool boosted;

	if (nid < 0 || nid >= BT_MAX_NODES || !b->nodes[nid].present)
		return -EINVAL;
	n = &b->nodes[nid];
	order = n->kswapd_order;
	hz = n->kswapd_hz < 0 ? BT_NR_ZONE_TYPES - 1 : n->kswapd_hz;
	boosted = node_boosted(b, nid, hz);
	n->kswapd_awake = true;
	set_reclaim_active(b, nid, true);
	for (rounds = 0; rounds < 12; rounds++) {
		uint64_t got;

		if (pgdat_balanced(b, nid, order, hz))
			break;
		rq.nid = nid;
		rq.highest_zoneidx = hz;
		rq.order = order;
		rq.gfp = 0;
		rq.nr_to_reclaim = round_target(b, nid, hz);
		rq.kswapd = true;
		got = do_reclaim(b, &rq, 0);
		total += got;
		if (!got)
			break;
		if (total >= (2ull << order))
			order = 0;
	}
	if (!total && !boosted)
		n->kswapd_failures++;
	else if (total)
		n->kswapd_failures = 0;
	order = n->kswapd_order;
	kswapd_sleep(b, nid);
	if (b->v6) {
		bt_wakeup_kcompactd(b, nid, boosted ? b->pb_order : order, hz);
	}
	return (long)total;
}
