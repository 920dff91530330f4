// SPDX-License-Identifier: GPL-2.0-only
/*
 * pcp.c - per-CPU page lists: refill from the buddy in batches, frees onto
 * the lists with the high/batch limits, drains back to the buddy.
 *
 * [6.x, 5.14+] lists per order (0..3) and type plus two THP lists, with
 * the adaptive high (high_min..high_max), alloc_factor and free_count of
 * 6.7+; [4.12] order 0 only, three lists, fixed high and batch.
 * A pcp page's mt byte holds its list index (low nibble) and, for 4.12, the
 * migratetype cached at refill or free time (high nibble), which 4.12's
 * drain used instead of the pageblock's.
 */
#include <errno.h>

#include "allocator/allocator-internal.h"

#define PCP_MT(pindex, cached) ((uint8_t)((pindex) | ((cached) << 4)))
#define PCP_PINDEX(v) ((v)&0xf)
#define PCP_CACHED(v) ((v) >> 4)

static int clampi(int v, int lo, int hi)
{
	return BT_MIN(BT_MAX(v, lo), hi);
}

/* pcp_allowed_order(): [6.x] orders 0..3 and the THP order, [4.12] 0 */
bool bt_pcp_allowed_order(const struct bt_buddy *b, unsigned int order)
{
	if (!b->v6)
		return order == 0;
	return order <= BT_BUDDY_COSTLY_ORDER || order == BT_BUDDY_THP_ORDER;
}

/* order_to_pindex() [6.12+: two THP lists, MOVABLE and the rest] */
int bt_order_to_pindex(const struct bt_buddy *b, int mt, unsigned int order)
{
	if (!b->v6)
		return mt;
	if (order > BT_BUDDY_COSTLY_ORDER)
		return BT_MT_PCPTYPES * (BT_BUDDY_COSTLY_ORDER + 1) +
		       (mt == BT_MT_MOVABLE);
	return BT_MT_PCPTYPES * (int)order + mt;
}

unsigned int bt_pindex_to_order(const struct bt_buddy *b, int pindex)
{
	if (!b->v6)
		return 0;
	if (pindex >= BT_MT_PCPTYPES * (BT_BUDDY_COSTLY_ORDER + 1))
		return BT_BUDDY_THP_ORDER;
	return (unsigned int)pindex / BT_MT_PCPTYPES;
}

static void pcp_link(struct bt_buddy *b, struct bt_zone *z, int cpu,
		     uint32_t idx, unsigned int order, int pindex, int cached,
		     bool tail)
{
	struct bt_pcp *p = &z->pcp[cpu];

	ST_AT(z, idx) = ST(PS_PCP, order);
	MT_AT(z, idx) = PCP_MT(pindex, cached);
	pcp_cpu_set(z, idx, (unsigned int)cpu);
	link_add(z, pcp_sent(b, z, cpu, pindex), idx, tail);
	p->nr[pindex]++;
	p->count += 1 << order;
}

/* The CPU whose list holds pcp block @idx (set by pcp_link()). */
int bt_pcp_cpu_of(const struct bt_buddy *b, const struct bt_zone *z,
		  uint32_t idx)
{
	(void)b;
	return (int)pcp_cpu_of(z, idx);
}

static inline void pcp_unlink_cpu(struct bt_zone *z, uint32_t idx, int cpu)
{
	struct bt_pcp *p = &z->pcp[cpu];

	link_del(z, idx);
	p->nr[PCP_PINDEX(MT_AT(z, idx))]--;
	p->count -= 1 << ST_ORDER(ST_AT(z, idx));
	ST_AT(z, idx) = ST(PS_NONE, 0);
}

void bt_pcp_unlink(struct bt_buddy *b, struct bt_zone *z, uint32_t idx)
{
	pcp_unlink_cpu(z, idx, bt_pcp_cpu_of(b, z, idx));
}

static void emit_drain(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		       unsigned int order, int mt)
{
	struct bt_buddy_event ev;

	b->stats.pcp_drained_blocks++;
	if (!b->hooks.event)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = BT_BEV_PCPU_DRAIN;
	ev.zone = z->id;
	ev.pfn = z->start + idx;
	ev.a = order;
	ev.b = mt;
	bt_emit(b, &ev);
}

/* Tail (oldest) block of a list to the buddy; returns its pages. */
static int drain_one(struct bt_buddy *b, struct bt_zone *z, int cpu, int pindex)
{
	uint32_t idx = LPREV(z, pcp_sent(b, z, cpu, pindex));
	unsigned int order = ST_ORDER(ST_AT(z, idx));
	int cached = PCP_CACHED(MT_AT(z, idx));
	int mt;

	pcp_unlink_cpu(z, idx, cpu);
	/* [6.x] the pageblock's current type; [4.12] the cached one */
	mt = b->v6 || pb_mt(b, z, idx) == BT_MT_ISOLATE ? pb_mt(b, z, idx)
							: cached;
	bt_free_one_page(b, z, idx, order, mt, false);
	emit_drain(b, z, idx, order, mt);
	return 1 << order;
}

/*
 * free_pcppages_bulk() [6.x]: from @pindex on, round-robin over non-empty
 * lists, each emptied from its tail until @count pages are freed.
 */
static long free_bulk_6x(struct bt_buddy *b, struct bt_zone *z, int cpu,
			 int count, int pindex)
{
	struct bt_pcp *p = &z->pcp[cpu];
	int min_p = 0, max_p = (int)b->nr_pcp_lists - 1;
	long freed = 0;

	count = BT_MIN(p->count, count);
	pindex--;
	while (count > 0) {
		uint32_t s;

		for (;;) {
			BT_BUG_ON(min_p > max_p); /* count without blocks */
			if (++pindex > max_p)
				pindex = min_p;
			if (p->nr[pindex])
				break;
			if (pindex == max_p)
				max_p--;
			if (pindex == min_p)
				min_p++;
		}
		s = pcp_sent(b, z, cpu, pindex);
		do {
			int n = drain_one(b, z, cpu, pindex);

			count -= n;
			freed += n;
		} while (count > 0 && !list_empty_at(z, s));
	}
	return freed;
}

/*
 * free_pcppages_bulk() [4.12]: round-robin starting after list 0, taking
 * up to batch_free pages per visit (all from the last non-empty list).
 */
static long free_bulk_412(struct bt_buddy *b, struct bt_zone *z, int cpu,
			  int count)
{
	struct bt_pcp *p = &z->pcp[cpu];
	int mt = 0, batch_free = 0;
	long freed = 0;

	count = BT_MIN(p->count, count);
	while (count > 0) {
		do {
			batch_free++;
			BT_BUG_ON(batch_free > 2 * BT_MT_PCPTYPES);
			if (++mt == BT_MT_PCPTYPES)
				mt = 0;
		} while (!p->nr[mt]);
		if (batch_free == BT_MT_PCPTYPES)
			batch_free = count;
		do {
			freed += drain_one(b, z, cpu, mt);
		} while (--count && --batch_free && p->nr[mt]);
	}
	return freed;
}

static long free_bulk(struct bt_buddy *b, struct bt_zone *z, int cpu, int count,
		      int pindex)
{
	if (count <= 0)
		return 0;
	return b->v6 ? free_bulk_6x(b, z, cpu, count, pindex)
		     : free_bulk_412(b, z, cpu, count);
}

/* nr_pcp_alloc() [6.7+]: how many blocks a refill takes. */
static int nr_pcp_alloc(struct bt_pcp *p, struct bt_zone *z, unsigned int order)
{
	int base = p->batch, batch, high, max_nr;

	high = p->high = clampi(p->high, p->high_min, p->high_max);
	if (high < base)
		return 1;
	batch = order ? base : base << p->alloc_factor;
	if (p->high_min != p->high_max && !(z->flags & ZF_BELOW_HIGH))
		high = p->high = BT_MIN(high + batch, p->high_max);
	if (!order) {
		max_nr = BT_MAX(high - p->count - base, base);
		if (batch <= max_nr && p->alloc_factor < BT_PCP_BATCH_SCALE_MAX)
			p->alloc_factor++;
		batch = BT_MIN(batch, max_nr);
	}
	if (batch > 1)
		batch = BT_MAX(batch >> order, 2);
	return batch;
}

/*
 * rmqueue_pcplist() + __rmqueue_pcplist() + rmqueue_bulk(): take the head
 * of the (order, type) list, refilling an empty list first. Returns the
 * block index (state cleared) or -1.
 */
long bt_rmqueue_pcplist(struct bt_buddy *b, struct bt_zone *z,
			unsigned int order, int mt, unsigned int alloc_flags,
			int cpu, unsigned int *refilled)
{
	struct bt_pcp *p = &z->pcp[cpu];
	int pindex = bt_order_to_pindex(b, mt, order);
	uint32_t s = pcp_sent(b, z, cpu, pindex), idx;

	if (b->v6)
		p->free_count >>= 1;
	if (list_empty_at(z, s)) {
		int n = b->v6 ? nr_pcp_alloc(p, z, order) : p->batch, i;
		int mode = 0;

		for (i = 0; i < n; i++) {
			long blk =
			    bt_rmqueue(b, z, order, mt, alloc_flags, &mode);

			if (blk < 0)
				break;
			pcp_link(b, z, cpu, (uint32_t)blk, order, pindex, mt,
				 true);
		}
		*refilled = (unsigned int)i;
		if (i)
			b->stats.pcp_refills++;
		if (list_empty_at(z, s))
			return -1;
	}
	idx = LNEXT(z, s);
	pcp_unlink_cpu(z, idx, cpu);
	return idx;
}

/* nr_pcp_high() [6.7+]: the count at which a free drains, adapting high. */
static int nr_pcp_high(struct bt_pcp *p, struct bt_zone *z, bool free_high)
{
	int high, batch = p->batch;

	high = p->high = clampi(p->high, p->high_min, p->high_max);
	if (!high)
		return 0;
	if (free_high) {
		p->high = BT_MAX(high - (batch << BT_PCP_BATCH_SCALE_MAX),
				 p->high_min);
		return 0;
	}
	if (z->flags & ZF_RECLAIM_ACTIVE) {
		int fc = BT_MAX(p->free_count, batch);

		p->high = BT_MAX(high - fc, p->high_min);
		return BT_MIN(batch << 2, p->high);
	}
	if (p->high_min == p->high_max)
		return high;
	if (z->flags & ZF_BELOW_HIGH) {
		int fc = BT_MAX(p->free_count, batch);

		p->high = BT_MAX(high - fc, p->high_min);
		high = BT_MAX(p->count, p->high_min);
	} else if (p->count >= high) {
		int need = p->free_count + batch;

		if (p->high < need)
			p->high = clampi(need, p->high_min, p->high_max);
	}
	return high;
}

/* nr_pcp_free() [6.7+] */
static int nr_pcp_free(struct bt_pcp *p, int high, bool free_high)
{
	int batch = p->batch;

	if (free_high)
		return BT_MIN(p->count, batch << BT_PCP_BATCH_SCALE_MAX);
	if (high < batch)
		return 1;
	return clampi(p->free_count, batch, high - batch);
}

/* free_frozen_page_commit() [6.x] */
static void commit_6x(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		      unsigned int order, int cpu, int mt, bool no_drain)
{
	struct bt_pcp *p = &z->pcp[cpu];
	int pindex = bt_order_to_pindex(b, mt, order), high, todo;
	bool free_high = false;

	p->alloc_factor >>= 1;
	pcp_link(b, z, cpu, idx, order, pindex, mt, false);
	if (order && order <= BT_BUDDY_COSTLY_ORDER) {
		free_high = p->free_count >= p->batch + p->high_min / 2 &&
			    (p->flags & PCPF_PREV_FREE_HIGH_ORDER);
		p->flags |= PCPF_PREV_FREE_HIGH_ORDER;
	} else {
		p->flags &= ~PCPF_PREV_FREE_HIGH_ORDER;
	}
	if (p->free_count < (p->batch << BT_PCP_BATCH_SCALE_MAX))
		p->free_count += 1 << order;
	if (no_drain)
		return;
	high = nr_pcp_high(p, z, free_high);
	if (p->count < high)
		return;
	/* freed in chunks of batch, each restarting at this list */
	todo = nr_pcp_free(p, high, free_high);
	while (todo > 0 && p->count > 0) {
		int chunk = BT_MIN(todo, p->batch);

		free_bulk(b, z, cpu, chunk, pindex);
		todo -= chunk;
	}
	if ((z->flags & ZF_BELOW_HIGH) &&
	    bt_zone_watermark_ok(b, z, 0, (int64_t)bt_wmark(z, 2),
				 BT_ZONE_MOVABLE, 0, z->free_pages))
		z->flags &= ~ZF_BELOW_HIGH;
}

/*
 * __free_frozen_pages() pcp part [6.x] / free_hot_cold_page() [4.12]:
 * HIGHATOMIC and CMA pages go to the MOVABLE list; the caller has sent
 * ISOLATE pages to the buddy.
 */
void bt_free_to_pcp(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		    unsigned int order, int cpu, bool no_drain)
{
	int mt = pb_mt(b, z, idx), cached = mt;
	struct bt_pcp *p = &z->pcp[cpu];

	if (mt >= BT_MT_PCPTYPES)
		mt = BT_MT_MOVABLE;
	if (b->v6) {
		commit_6x(b, z, idx, order, cpu, mt, no_drain);
		return;
	}
	pcp_link(b, z, cpu, idx, 0, mt, cached, false);
	if (!no_drain && p->count >= p->high)
		free_bulk(b, z, cpu, p->batch, 0);
}

/* drain_pages_zone(): everything, in chunks of batch << 5 [6.x]. */
long bt_drain_zone_cpu(struct bt_buddy *b, struct bt_zone *z, int cpu)
{
	struct bt_pcp *p = &z->pcp[cpu];
	long freed = 0;

	while (p->count > 0) {
		int n =
		    b->v6 ? BT_MIN(p->count, p->batch << BT_PCP_BATCH_SCALE_MAX)
			  : p->count;

		freed += free_bulk(b, z, cpu, n, 0);
	}
	return freed;
}

long bt_buddy_pcp_drain(struct bt_buddy *b, int cpu)
{
	long freed = 0;
	int i, c;

	if (cpu >= (int)b->cfg.nr_cpus)
		return -EINVAL;
	for (i = 0; i < b->nr_zones; i++)
		for (c = cpu < 0 ? 0 : cpu;
		     c < (cpu < 0 ? (int)b->cfg.nr_cpus : cpu + 1); c++)
			freed += bt_drain_zone_cpu(b, b->zones[i], c);
	return freed;
}

/* decay_pcp_high() [6.7+] */
static long decay_one(struct bt_buddy *b, struct bt_zone *z, int cpu)
{
	struct bt_pcp *p = &z->pcp[cpu];
	int to_drain;

	if (p->high > p->high_min)
		p->high = BT_MAX(
		    BT_MAX(p->count - (p->batch << BT_PCP_BATCH_SCALE_MAX),
			   p->high - (p->high >> 3)),
		    p->high_min);
	to_drain = p->count - p->high;
	return to_drain > 0 ? free_bulk(b, z, cpu, to_drain, 0) : 0;
}

long bt_buddy_pcp_decay(struct bt_buddy *b)
{
	long freed = 0;
	int i;
	unsigned int c;

	if (!b->v6)
		return 0;
	for (i = 0; i < b->nr_zones; i++)
		for (c = 0; c < b->cfg.nr_cpus; c++)
			freed += decay_one(b, b->zones[i], (int)c);
	return freed;
}

int bt_buddy_pcp_refill_block(struct bt_buddy *b, int cpu, uint64_t pfn,
			      unsigned int order, int list_mt)
{
	struct bt_zone *z;
	uint32_t idx;
	long head;

	if (cpu < 0 || cpu >= (int)b->cfg.nr_cpus || list_mt < 0 ||
	    list_mt >= BT_MT_PCPTYPES || !bt_pcp_allowed_order(b, order) ||
	    (pfn & ((1ull << order) - 1)))
		return -EINVAL;
	z = bt_zone_of(b, pfn, &idx);
	if (!z)
		return -ENOENT;
	if ((uint64_t)idx + (1u << order) > z->spanned)
		return -EINVAL;
	head = bt_find_block_head(z, idx);
	if (head < 0 || ST_STATE(ST_AT(z, head)) != PS_FREE ||
	    ST_ORDER(ST_AT(z, head)) < order)
		return -EALREADY;
	bt_carve(b, z, idx, order);
	pcp_link(b, z, cpu, idx, order, bt_order_to_pindex(b, list_mt, order),
		 list_mt, true);
	return 0;
}

int bt_buddy_pcp_drain_block(struct bt_buddy *b, uint64_t pfn,
			     unsigned int order)
{
	struct bt_zone *z;
	uint32_t idx;

	if (order > b->max_order || (pfn & ((1ull << order) - 1)))
		return -EINVAL;
	z = bt_zone_of(b, pfn, &idx);
	if (!z)
		return -ENOENT;
	if (ST_AT(z, idx) != ST(PS_PCP, order))
		return -EALREADY;
	bt_pcp_unlink(b, z, idx);
	bt_free_one_page(b, z, idx, order, pb_mt(b, z, idx), false);
	emit_drain(b, z, idx, order, pb_mt(b, z, idx));
	return 0;
}

int bt_buddy_pcp_info(const struct bt_buddy *b, int zid, int cpu,
		      struct bt_pcp_info *out)
{
	const struct bt_pcp *p;
	unsigned int i;

	if (zid < 0 || zid >= b->nr_zones || cpu < 0 ||
	    cpu >= (int)b->cfg.nr_cpus)
		return -EINVAL;
	p = &b->zones[zid]->pcp[cpu];
	memset(out, 0, sizeof(*out));
	out->count = p->count;
	out->high = p->high;
	out->high_min = p->high_min;
	out->high_max = p->high_max;
	out->batch = p->batch;
	out->alloc_factor = p->alloc_factor;
	out->free_count = p->free_count;
	out->nr_lists = b->nr_pcp_lists;
	for (i = 0; i < b->nr_pcp_lists; i++)
		out->lists[i] = p->nr[i];
	return 0;
}
