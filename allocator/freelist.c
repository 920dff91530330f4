// SPDX-License-Identifier: GPL-2.0-only
/*
 * freelist.c - the buddy free lists: insertion and removal with the
 * kernel's accounting, expand() (splitting), __rmqueue_smallest(),
 * __free_one_page() (merging and head/tail placement) for both profiles,
 * moving the free pages of a pageblock to another type, and carving a
 * range out of the free lists for allocations the trace did not show.
 *
 * Accounting follows the list a block sits on (account_freepages(), 6.10+
 * "freelist hygiene"): NR_FREE_PAGES excludes ISOLATE lists, free CMA and
 * free HIGHATOMIC pages are kept apart for the watermark checks. 4.12
 * accounted by the type passed at free time, which for non-isolated pages
 * gives the same NR_FREE_PAGES.
 */
#include <errno.h>

#include "allocator/allocator-internal.h"

static inline void account(struct bt_zone *z, int mt, int64_t n)
{
	if (mt != BT_MT_ISOLATE)
		z->free_pages += n;
	if (mt == BT_MT_CMA)
		z->free_cma += n;
	else if (mt == BT_MT_HIGHATOMIC)
		z->free_highatomic += n;
}

/* __add_to_free_list() + set_buddy_order() + account_freepages() */
void bt_fl_add(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
	       unsigned int order, int mt, bool tail)
{
	ST_AT(z, idx) = ST(PS_FREE, order);
	MT_AT(z, idx) = (uint8_t)mt;
	pb_count(b, z, z->pb_free, idx, order, 1);
	link_add(z, free_sent(z, order, mt), idx, tail);
	z->fl_gen[order][mt]++;
	z->nr_free[order]++;
	z->nr_mt[order][mt]++;
	account(z, mt, (int64_t)1 << order);
}

/* del_page_from_free_list(): the block's state is cleared */
void bt_fl_del(struct bt_buddy *b, struct bt_zone *z, uint32_t idx)
{
	unsigned int order = ST_ORDER(ST_AT(z, idx));
	int mt = MT_AT(z, idx);

	pb_count(b, z, z->pb_free, idx, order, -1);
	link_del(z, idx);
	z->fl_gen[order][mt]++;
	z->nr_free[order]--;
	z->nr_mt[order][mt]--;
	account(z, mt, -((int64_t)1 << order));
	ST_AT(z, idx) = ST(PS_NONE, 0);
}

/*
 * move_to_free_list(): 6.x moves to the tail (list_move_tail since 5.10),
 * 4.12 to the head (list_move).
 */
void bt_fl_move(struct bt_buddy *b, struct bt_zone *z, uint32_t idx, int mt,
		bool tail)
{
	unsigned int order = ST_ORDER(ST_AT(z, idx));
	int old = MT_AT(z, idx);

	(void)b;
	link_del(z, idx);
	z->fl_gen[order][old]++;
	z->nr_mt[order][old]--;
	account(z, old, -((int64_t)1 << order));
	MT_AT(z, idx) = (uint8_t)mt;
	link_add(z, free_sent(z, order, mt), idx, tail);
	z->fl_gen[order][mt]++;
	z->nr_mt[order][mt]++;
	account(z, mt, (int64_t)1 << order);
}

/*
 * expand() [4.12, 6.x]: halve the block from @high down to @low, putting
 * each upper half at the head of the @mt list of its order; the caller
 * keeps the lowest block.
 */
void bt_expand(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
	       unsigned int low, unsigned int high, int mt)
{
	while (high > low) {
		high--;
		bt_fl_add(b, z, idx + (1u << high), high, mt, false);
	}
}

static void emit_zone_locked(struct bt_buddy *b, struct bt_zone *z,
			     uint32_t idx, unsigned int order, int mt,
			     bool refill)
{
	struct bt_buddy_event ev;

	if (!b->hooks.event)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = BT_BEV_ZONE_LOCKED;
	ev.zone = z->id;
	ev.pfn = z->start + idx;
	ev.a = order;
	ev.b = mt;
	ev.flag = refill;
	bt_emit(b, &ev);
}

/*
 * __rmqueue_smallest() [4.12, 6.x]: the head block of the smallest order
 * >= @order on the @mt lists, split by expand(). Returns the index of the
 * block (state cleared: the caller labels it) or -1.
 */
long bt_rmqueue_smallest(struct bt_buddy *b, struct bt_zone *z,
			 unsigned int order, int mt, bool pcp_refill)
{
	unsigned int o;

	for (o = order; o <= b->max_order; o++) {
		uint32_t s = free_sent(z, o, mt), idx;

		if (list_empty_at(z, s))
			continue;
		idx = LNEXT(z, s);
		bt_fl_del(b, z, idx);
		bt_expand(b, z, idx, order, o, mt);
		/* 6.x fires zone_locked here; percpu_refill = pcp order, pcp
		 * type */
		emit_zone_locked(b, z, idx, order, mt,
				 pcp_refill && mt < BT_MT_PCPTYPES);
		return idx;
	}
	return -1;
}

void bt_set_pb_range(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		     unsigned int order, int mt)
{
	uint64_t pfn = z->start + idx, end = pfn + (1ull << order);

	for (; pfn < end; pfn += b->pb_pages) {
		uint8_t *p = &z->pb[(pfn >> b->pb_order) - z->pb_first];

		*p = (uint8_t)((*p & ~PB_MT_MASK) | mt);
		if (order < b->pb_order)
			break;
	}
}

/* buddy_merge_likely() [4.12, 6.x]: is the order+1 buddy already free? */
static bool merge_likely(struct bt_buddy *b, struct bt_zone *z, uint64_t pfn,
			 unsigned int order)
{
	uint64_t higher, hb;

	if (order + 1 >= b->max_order)
		return false;
	higher = pfn & ~(1ull << order);
	hb = higher ^ (1ull << (order + 1));
	if (!bt_zone_spans(z, hb))
		return false;
	return is_free_order(z, hb - z->start, order + 1);
}

/* May the free block at @pfn of @order (type @mt) merge with its buddy? */
static bool may_merge(struct bt_buddy *b, struct bt_zone *z, int mt,
		      uint32_t bidx, unsigned int order)
{
	int bmt;

	if (order < b->pb_order)
		return true;
	bmt = pb_mt(b, z, bidx);
	if (b->v6)
		/* __free_one_page() 6.x: no merge across unmergeable types */
		return mt == bmt || (mt_mergeable(mt) && mt_mergeable(bmt));
	/* 4.12: only isolated pageblocks stop merging at pageblock order */
	return mt == bmt || (mt != BT_MT_ISOLATE && bmt != BT_MT_ISOLATE);
}

/*
 * __free_one_page() [4.12, 6.x]: merge with free buddies up to max_order,
 * then add to the head of the @mt list, or to the tail when FPI_TO_TAIL or
 * when buddy_merge_likely() (no page shuffling in the model).
 */
void bt_free_one_page(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		      unsigned int order, int mt, bool to_tail)
{
	uint64_t pfn = z->start + idx;

	while (order < b->max_order) {
		uint64_t bpfn = pfn ^ (1ull << order);
		uint32_t bidx;

		if (b->capc.active &&
		    bt_compaction_capture(b, z, (uint32_t)(pfn - z->start),
					  order, mt))
			return;
		if (!bt_zone_spans(z, bpfn))
			break;
		bidx = (uint32_t)(bpfn - z->start);
		if (!is_free_order(z, bidx, order) ||
		    !may_merge(b, z, mt, bidx, order))
			break;
		if (b->v6 && order >= b->pb_order && pb_mt(b, z, bidx) != mt)
			bt_set_pb_range(b, z, bidx, order, mt);
		bt_fl_del(b, z, bidx);
		pfn &= bpfn;
		order++;
	}
	if (!to_tail)
		to_tail = merge_likely(b, z, pfn, order);
	bt_fl_add(b, z, (uint32_t)(pfn - z->start), order, mt, to_tail);
}

/*
 * free_one_page() -> split_large_buddy() [6.x]: blocks above pageblock
 * order are freed one pageblock at a time with each pageblock's type.
 * [4.12] one __free_one_page() with the type of the first pageblock.
 */
void bt_free_range(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
		   unsigned int order, bool to_tail)
{
	uint32_t end = idx + (1u << order);

	if (!b->v6 || order <= b->pb_order) {
		bt_free_one_page(b, z, idx, order, pb_mt(b, z, idx), to_tail);
		return;
	}
	for (; idx < end; idx += b->pb_pages)
		bt_free_one_page(b, z, idx, b->pb_order, pb_mt(b, z, idx),
				 to_tail);
}

/*
 * prep_move_freepages_block() + __move_freepages_block() [6.x] /
 * move_freepages_block() [4.12]: move every free block of the pageblock
 * holding @idx to the @new_mt lists and count free and movable pages.
 * Returns the free pages moved, or -1 when the pageblock straddles the
 * zone boundary. @old_mt is informational (-1: any); @new_mt -1 only
 * counts (prep_move_freepages_block()).
 */
int bt_move_freepages_block(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
			    int old_mt, int new_mt, int *nr_free,
			    int *nr_movable)
{
	uint64_t start = (z->start + idx) & ~((uint64_t)b->pb_pages - 1);
	uint64_t end = start + b->pb_pages, p;
	int nfree = 0, nmov = 0;

	(void)old_mt;
	if (!bt_zone_spans(z, start) || !bt_zone_spans(z, end - 1))
		return -1;
	for (p = start; p < end;) {
		uint32_t i = (uint32_t)(p - z->start);
		uint8_t st = ST_AT(z, i);
		uint64_t n = 1ull << ST_ORDER(st);

		switch (ST_STATE(st)) {
		case PS_FREE:
			if (new_mt >= 0 && MT_AT(z, i) != new_mt)
				bt_fl_move(b, z, i, new_mt, b->v6);
			nfree += (int)n;
			p += n;
			break;
		case PS_ALLOC:
			if (MT_AT(z, i) == BT_MT_MOVABLE)
				nmov += (int)BT_MIN(n, end - p);
			p += n;
			break;
		case PS_PCP:
			p += n;
			break;
		default:
			p++;
		}
	}
	if (nr_free)
		*nr_free = nfree;
	if (nr_movable)
		*nr_movable = nmov;
	return nfree;
}

/* The head of the block (any state) containing @idx, or -1. */
long bt_find_block_head(const struct bt_zone *z, uint32_t idx)
{
	unsigned int o;

	if (ST_STATE(ST_AT(z, idx)) != PS_NONE)
		return idx;
	for (o = 1; o <= BT_BUDDY_MAX_ORDER; o++) {
		uint64_t pfn = (z->start + idx) & ~((1ull << o) - 1);
		uint32_t h;

		if (pfn < z->start)
			break;
		h = (uint32_t)(pfn - z->start);
		if (ST_STATE(ST_AT(z, h)) != PS_NONE)
			return ST_ORDER(ST_AT(z, h)) >= o ? (long)h : -1;
	}
	return -1;
}

/* Take a free or pcp block off its list; returns its pages. */
static long take_block(struct bt_buddy *b, struct bt_zone *z, uint32_t h)
{
	unsigned int s = ST_STATE(ST_AT(z, h));
	long n = 1L << ST_ORDER(ST_AT(z, h));

	if (s == PS_FREE)
		bt_fl_del(b, z, h);
	else if (s == PS_PCP)
		bt_pcp_unlink(b, z, h);
	else {
		/* forget a stale allocation */
		alloc_acct(b, z, h, ST_ORDER(ST_AT(z, h)), MT_AT(z, h), -1);
		ST_AT(z, h) = ST(PS_NONE, 0);
		return 0;
	}
	return n;
}

/*
 * Split the block at @h (order @ho, list type @mt) so that the aligned
 * range [@idx, @idx + 2^@order) is cut out; the rest goes back free.
 */
static void split_around(struct bt_buddy *b, struct bt_zone *z, uint32_t h,
			 unsigned int ho, int mt, uint32_t idx,
			 unsigned int order)
{
	while (ho > order) {
		uint32_t half;

		ho--;
		half = 1u << ho;
		if (idx >= h + half) {
			bt_fl_add(b, z, h, ho, mt, false);
			h += half;
		} else {
			bt_fl_add(b, z, h + half, ho, mt, false);
		}
	}
}

/*
 * Remove every free or pcp page of [@idx, @idx + 2^@order) from the lists
 * (the range becomes "in use"). Returns the number of pages taken.
 */
long bt_carve(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
	      unsigned int order)
{
	long head = bt_find_block_head(z, idx), taken = 0;
	uint32_t i, end = idx + (1u << order);

	if (head >= 0 &&
	    ((uint32_t)head < idx || ST_ORDER(ST_AT(z, head)) > order)) {
		unsigned int ho = ST_ORDER(ST_AT(z, head));
		unsigned int s = ST_STATE(ST_AT(z, head));
		int mt =
		    s == PS_PCP ? pb_mt(b, z, (uint32_t)head) : MT_AT(z, head);

		if (take_block(b, z, (uint32_t)head) > 0) {
			split_around(b, z, (uint32_t)head, ho,
				     mt < BT_MT_TYPES ? mt : BT_MT_MOVABLE, idx,
				     order);
			taken = 1L << order;
		}
		return taken;
	}
	for (i = idx; i < end;) {
		uint8_t st = ST_AT(z, i);

		if (ST_STATE(st) == PS_NONE) {
			i++;
			continue;
		}
		taken += take_block(b, z, i);
		i += 1u << ST_ORDER(st);
	}
	return taken;
}

int bt_buddy_free_list_walk(const struct bt_buddy *b, int zid,
			    unsigned int order, int mt, unsigned int max,
			    bool (*fn)(void *data, uint64_t pfn,
				       unsigned int i),
			    void *data)
{
	const struct bt_zone *z;
	unsigned int n = 0;
	uint32_t s, i;

	if (zid < 0 || zid >= b->nr_zones || order > b->max_order ||
	    mt < 0 || mt >= BT_MT_TYPES)
		return -EINVAL;
	z = b->zones[zid];
	s = free_sent(z, order, mt);
	for (i = LPREV(z, s); i != s && n < max; i = LPREV(z, i))
		if (fn(data, z->start + i, n++))
			break;
	return (int)n;
}

uint32_t bt_buddy_free_list_gen(const struct bt_buddy *b, int zid,
			       unsigned int order, int mt)
{
	if (zid < 0 || zid >= b->nr_zones || order > b->max_order ||
	    mt < 0 || mt >= BT_MT_TYPES)
		return 0;
	return b->zones[zid]->fl_gen[order][mt];
}

int bt_buddy_free_list_rotate(struct bt_buddy *b, uint64_t pfn)
{
	uint32_t idx, s, first, before, tail;
	struct bt_zone *z = bt_zone_of(b, pfn, &idx);

	if (!z || ST_STATE(ST_AT(z, idx)) != PS_FREE)
		return -ENOENT;
	s = free_sent(z, ST_ORDER(ST_AT(z, idx)), MT_AT(z, idx));
	first = LNEXT(z, s);
	if (first == idx)
		return 0;
	before = LPREV(z, idx);
	tail = LPREV(z, s);
	z->fl_gen[ST_ORDER(ST_AT(z, idx))][MT_AT(z, idx)]++;
	/* s -> idx .. tail -> first .. before -> s */
	LNEXT(z, s) = idx;
	LPREV(z, idx) = s;
	LNEXT(z, tail) = first;
	LPREV(z, first) = tail;
	LNEXT(z, before) = s;
	LPREV(z, s) = before;
	return 0;
}
