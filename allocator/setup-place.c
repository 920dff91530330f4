// SPDX-License-Identifier: GPL-2.0-only
/*
 * setup-place.c - free blocks placed from buddyinfo and pagetypeinfo
 * counts, for traces recorded without a free-page map.
 *
 * Counts say how many free blocks of each order (and type) a zone has,
 * not where. We choose a placement that a buddy allocator could have
 * produced: the zone's missing pages (spanned - present) form a hole at
 * the bottom of its span; pageblock types are laid out from the bottom
 * (UNMOVABLE, RECLAIMABLE, HIGHATOMIC, CMA, ISOLATE, then MOVABLE up to
 * the top, the usual shape after boot: kernel allocations low, user
 * memory high); each type's free blocks go from the top of its pageblocks
 * downwards, largest order first, and never beside a free buddy of the
 * same order, which the allocator would have merged. So nr_free per order
 * comes out equal to buddyinfo, and per type equal to pagetypeinfo unless
 * a type's blocks do not fit in its pageblocks ("spilled": placed in the
 * highest free place and listed under that pageblock's type).
 *
 * A bitmap of the pages made free tracks the layout; it lives only while
 * one zone is being placed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buddy.h"

struct place {
	uint64_t start, end;		/* zone span */
	uint64_t low;			/* first pfn above the hole */
	uint64_t *bits;			/* free pages, bit per page */
	unsigned int max_order;
	struct bt_setup_stats *st;
	struct bt_buddy *b;
};

static bool is_free(const struct place *p, uint64_t pfn)
{
	uint64_t i = pfn - p->start;

	return p->bits[i / 64] >> (i % 64) & 1;
}

static bool any_free(const struct place *p, uint64_t pfn, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (is_free(p, pfn + i))
			return true;
	return false;
}

static bool all_free(const struct place *p, uint64_t pfn, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (!is_free(p, pfn + i))
			return false;
	return true;
}

/* A free block of @order may go at @pfn: inside, unused, no free buddy. */
static bool fits(const struct place *p, uint64_t pfn, unsigned int order,
		 uint64_t lo, uint64_t hi)
{
	uint64_t n = 1ull << order, buddy = pfn ^ n;

	if (pfn < lo || pfn + n > hi || any_free(p, pfn, n))
		return false;
	if (order >= p->max_order || buddy < p->start || buddy + n > p->end)
		return true;
	return !all_free(p, buddy, n);
}

static int put(struct place *p, uint64_t pfn, unsigned int order)
{
	uint64_t i, n = 1ull << order;

	for (i = pfn - p->start; i < pfn - p->start + n; i++)
		p->bits[i / 64] |= 1ull << (i % 64);
	p->st->blocks++;
	p->st->pages += n;
	return bt_buddy_add_free_block(p->b, pfn, order, -1);
}

/*
 * Highest place for a block of @order in [lo, hi) at or below *cursor;
 * moves the cursor. Returns the pfn or UINT64_MAX.
 */
static uint64_t find_slot(const struct place *p, unsigned int order,
			  uint64_t lo, uint64_t hi, uint64_t *cursor)
{
	uint64_t n = 1ull << order, pfn;

	if (*cursor < lo + n)
		return UINT64_MAX;
	for (pfn = (*cursor - n) & ~(n - 1); pfn >= lo; pfn -= n) {
		if (fits(p, pfn, order, lo, hi)) {
			*cursor = pfn;
			return pfn;
		}
		if (pfn < n)
			break;
	}
	return UINT64_MAX;
}

/* Blocks of one type in its region [lo, hi); the rest spill. */
static int place_type(struct place *p, const uint64_t *want,
		      uint64_t *spill, uint64_t lo, uint64_t hi)
{
	uint64_t cursor = hi, k;
	int o, ret = 0;

	for (o = (int)p->max_order; o >= 0 && !ret; o--) {
		for (k = 0; k < want[o] && !ret; k++) {
			uint64_t pfn = find_slot(p, (unsigned int)o, lo, hi,
						 &cursor);

			if (pfn == UINT64_MAX) {
				spill[o] += want[o] - k;
				break;
			}
			ret = put(p, pfn, (unsigned int)o);
		}
	}
	return ret;
}

static int place_spill(struct place *p, const uint64_t *spill)
{
	uint64_t k;
	int o, ret = 0;

	for (o = (int)p->max_order; o >= 0 && !ret; o--) {
		uint64_t cursor = p->end;

		for (k = 0; k < spill[o] && !ret; k++) {
			uint64_t pfn = find_slot(p, (unsigned int)o, p->low,
						 p->end, &cursor);

			if (pfn == UINT64_MAX)
				return BT_E_RANGE;
			ret = put(p, pfn, (unsigned int)o);
			p->st->spilled++;
		}
	}
	return ret;
}

/*
 * Free blocks per model type and order: pagetypeinfo's split, made to add
 * up to buddyinfo's totals on MOVABLE (then on the other types).
 */
static void want_counts(const struct bt_proc_orders *bi,
			const struct bt_pagetypeinfo *pt,
			const struct bt_zone_info *zi, unsigned int nr_orders,
			uint64_t want[BT_MT_TYPES][BT_BUDDY_NR_ORDERS])
{
	static const char *const names[BT_MT_TYPES] = {
		"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA",
		"Isolate",
	};
	const struct bt_proc_ptzone *z =
		pt ? bt_pagetypeinfo_find(pt, zi->node, zi->name) : NULL;
	unsigned int o;
	int mt;

	memset(want, 0, sizeof(uint64_t) * BT_MT_TYPES * BT_BUDDY_NR_ORDERS);
	for (mt = 0; z && mt < BT_MT_TYPES; mt++) {
		int t = bt_pagetypeinfo_type(pt, names[mt]);

		for (o = 0; t >= 0 && o < nr_orders && o < pt->nr_orders; o++)
			want[mt][o] = z->free[t][o];
	}
	for (o = 0; o < nr_orders; o++) {
		uint64_t total = bi->v[o] < 0 ? 0 : (uint64_t)bi->v[o], sum = 0;

		for (mt = 0; mt < BT_MT_TYPES; mt++)
			sum += want[mt][o];
		if (sum <= total) {
			want[BT_MT_MOVABLE][o] += total - sum;
			continue;
		}
		for (mt = BT_MT_MOVABLE; sum > total; mt = (mt + 1) % BT_MT_TYPES) {
			uint64_t cut = BT_MIN(want[mt][o], sum - total);

			want[mt][o] -= cut;
			sum -= cut;
		}
	}
}

/* Pageblock types from the bottom; returns each type's [lo, hi). */
static int lay_types(struct place *p, const struct bt_pagetypeinfo *pt,
		     const struct bt_zone_info *zi, uint64_t lo[BT_MT_TYPES],
		     uint64_t hi[BT_MT_TYPES])
{
	static const int order[] = { BT_MT_UNMOVABLE, BT_MT_RECLAIMABLE,
				     BT_MT_HIGHATOMIC, BT_MT_CMA,
				     BT_MT_ISOLATE };
	unsigned int pbo = bt_buddy_get_config(p->b)->pageblock_order, i;
	uint64_t counts[BT_MT_TYPES], pfn, k;
	int ret;

	bt_setup_block_counts(pt, zi, counts);
	/* from the pageblock holding the first present page */
	pfn = p->low >> pbo << pbo;
	for (i = 0; i < BT_ARRAY_SIZE(order); i++) {
		int mt = order[i];

		lo[mt] = BT_MAX(pfn, p->low);
		for (k = 0; k < counts[mt] && pfn < p->end; k++) {
			ret = bt_buddy_set_pageblock_mt(
				p->b, BT_MAX(pfn, p->start), mt);
			if (ret)
				return ret;
			p->st->pageblocks_typed++;
			pfn += 1ull << pbo;
		}
		hi[mt] = BT_MAX(BT_MIN(pfn, p->end), lo[mt]);
	}
	lo[BT_MT_MOVABLE] = BT_MAX(BT_MIN(pfn, p->end), p->low);
	hi[BT_MT_MOVABLE] = p->end;
	return 0;
}

static int place_zone(struct bt_buddy *b, int zid,
		      const struct bt_proc_table *buddyinfo,
		      const struct bt_pagetypeinfo *pt,
		      struct bt_setup_stats *st)
{
	uint64_t want[BT_MT_TYPES][BT_BUDDY_NR_ORDERS], lo[BT_MT_TYPES];
	uint64_t hi[BT_MT_TYPES], spill[BT_BUDDY_NR_ORDERS] = { 0 };
	static const int top_down[] = { BT_MT_MOVABLE, BT_MT_ISOLATE,
					BT_MT_CMA, BT_MT_HIGHATOMIC,
					BT_MT_RECLAIMABLE, BT_MT_UNMOVABLE };
	const struct bt_proc_orders *bi;
	struct bt_zone_info zi;
	struct place p;
	unsigned int i;
	int ret = bt_buddy_zone_info(b, zid, &zi);

	if (ret)
		return ret;
	bi = bt_proc_table_find(buddyinfo, zi.node, zi.name);
	if (!bi)
		return 0;	/* nothing known free in this zone */
	memset(&p, 0, sizeof(p));
	p.b = b;
	p.st = st;
	p.start = zi.start_pfn;
	p.end = zi.start_pfn + zi.spanned;
	p.low = p.start + (zi.spanned - BT_MIN(zi.present, zi.spanned));
	p.max_order = BT_MIN(bt_buddy_get_config(b)->max_order,
			     (unsigned int)BT_BUDDY_MAX_ORDER);
	p.bits = calloc(zi.spanned / 64 + 1, sizeof(uint64_t));
	if (!p.bits)
		return -ENOMEM;
	want_counts(bi, pt, &zi, BT_MIN(bi->nr_orders, p.max_order + 1),
		    want);
	ret = lay_types(&p, pt, &zi, lo, hi);
	for (i = 0; !ret && i < BT_ARRAY_SIZE(top_down); i++) {
		int mt = top_down[i];

		ret = place_type(&p, want[mt], spill, lo[mt], hi[mt]);
	}
	if (!ret)
		ret = place_spill(&p, spill);
	free(p.bits);
	return ret;
}

int bt_setup_free_counts(struct bt_buddy *b,
			 const struct bt_proc_table *buddyinfo,
			 const struct bt_pagetypeinfo *pt,
			 struct bt_setup_stats *st)
{
	int zid, n = bt_buddy_nr_zones(b), ret = 0;

	memset(st, 0, sizeof(*st));
	for (zid = 0; zid < n && !ret; zid++)
		ret = place_zone(b, zid, buddyinfo, pt, st);
	return ret;
}
