// SPDX-License-Identifier: GPL-2.0-only
/*
 * setup.c - the model's initial state from what a trace holds: zones,
 * watermarks, protection and pcp sizes from a zoneinfo snapshot, and free
 * blocks either from a free-page map (/proc/kpageflags) or, without one,
 * from buddyinfo and pagetypeinfo counts.
 *
 * The free-page map is split here, as a pure function over the raw bytes,
 * so that the recorder, the tests and the model agree on one splitter.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/freeblocks.h"
#include "buddy.h"

static bool kpf_buddy(const unsigned char *flags, uint64_t i)
{
	/* bit 10 of a little-endian u64: bit 2 of its second byte */
	return flags[i * 8 + 1] & (1u << (BT_KPF_BUDDY - 8));
}

/* Split [p, e) into maximal aligned blocks of at most @max_order. */
static int split_run(uint64_t p, uint64_t e, unsigned int max_order,
		     bt_free_block_fn fn, void *data)
{
	while (p < e) {
		unsigned int o = p ? (unsigned int)__builtin_ctzll(p) : 63;
		int ret;

		if (o > max_order)
			o = max_order;
		while (o && p + (1ull << o) > e)
			o--;
		ret = fn(p, o, data);
		if (ret)
			return ret;
		p += 1ull << o;
	}
	return 0;
}

int bt_kpageflags_split(const unsigned char *flags, size_t len,
			uint64_t first_pfn, uint64_t start_pfn,
			uint64_t end_pfn, unsigned int max_order,
			bt_free_block_fn fn, void *data)
{
	uint64_t n = len / 8, lo, hi, i;

	if (len % 8)
		return BT_E_CORRUPT;
	if (max_order > 62)
		max_order = 62;
	lo = BT_MAX(start_pfn, first_pfn);
	hi = first_pfn + n < first_pfn ? UINT64_MAX : first_pfn + n;
	hi = BT_MIN(hi, end_pfn);
	for (i = lo; i < hi;) {
		uint64_t e = i;
		int ret;

		while (e < hi && kpf_buddy(flags, e - first_pfn))
			e++;
		if (e == i) {
			i++;
			continue;
		}
		ret = split_run(i, e, max_order, fn, data);
		if (ret)
			return ret;
		i = e;
	}
	return 0;
}

struct count_ctx {
	uint64_t *nr_free;
	unsigned int nr_orders;
};

static int count_block(uint64_t pfn, unsigned int order, void *data)
{
	struct count_ctx *c = data;

	(void)pfn;
	c->nr_free[order]++;
	return 0;
}

int bt_kpageflags_count(const unsigned char *flags, size_t len,
			uint64_t first_pfn, uint64_t start_pfn,
			uint64_t end_pfn, uint64_t *nr_free,
			unsigned int nr_orders)
{
	struct count_ctx c = { nr_free, nr_orders };

	if (!nr_orders)
		return BT_E_RANGE;
	memset(nr_free, 0, nr_orders * sizeof(*nr_free));
	return bt_kpageflags_split(flags, len, first_pfn, start_pfn, end_pfn,
				   nr_orders - 1, count_block, &c);
}

/* ---- zones from zoneinfo ---- */

int bt_setup_zone_type(const char *name)
{
	static const char *const names[BT_NR_ZONE_TYPES] = {
		[BT_ZONE_DMA] = "DMA", [BT_ZONE_DMA32] = "DMA32",
		[BT_ZONE_NORMAL] = "Normal", [BT_ZONE_MOVABLE] = "Movable",
	};
	int i;

	for (i = 0; i < BT_NR_ZONE_TYPES; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static int clamp_int(uint64_t v)
{
	return v > INT32_MAX ? INT32_MAX : (int)v;
}

void bt_setup_zone_config(const struct bt_buddy *b,
			  const struct bt_proc_zone *pz, int type,
			  struct bt_zone_config *zc)
{
	const struct bt_proc_pcp *pc = pz->nr_pcp ? &pz->pcp[0] : NULL;
	unsigned int k;

	memset(zc, 0, sizeof(*zc));
	zc->node = pz->node;
	zc->zone_type = type;
	zc->name = pz->name;
	zc->start_pfn = pz->start_pfn;
	zc->spanned = pz->spanned;
	zc->present = pz->present;
	zc->managed = pz->managed;
	zc->wmark_boost = pz->boost;
	zc->wmark_min = pz->min - BT_MIN(pz->boost, pz->min);
	zc->wmark_low = pz->low - BT_MIN(pz->boost, pz->low);
	zc->wmark_high = pz->high - BT_MIN(pz->boost, pz->high);
	for (k = 0; k < pz->nr_protection && k < BT_NR_ZONE_TYPES; k++)
		zc->protection[k] = pz->protection[k];
	zc->pcp_high = pc ? clamp_int(pc->high) : -1;
	zc->pcp_batch = pc ? clamp_int(pc->batch) : 1;
	if (pc && pc->has_high_min) {
		zc->pcp_high_min = clamp_int(pc->high_min);
		zc->pcp_high_max = clamp_int(pc->high_max);
	} else {
		/* 4.x: one fixed high */
		zc->pcp_high_min = pc ? clamp_int(pc->high) : 0;
		zc->pcp_high_max = -1;
	}
	zc->nr_reserved_highatomic = pz->reserved_highatomic;
	zc->reclaimable = pz->lru_inactive_file + pz->lru_active_file;
	if (bt_buddy_get_config(b)->can_reclaim_anon)
		zc->reclaimable += pz->lru_inactive_anon + pz->lru_active_anon;
}

int bt_setup_zones(struct bt_buddy *b, const struct bt_zoneinfo *zi)
{
	unsigned int i;
	int added = 0;

	for (i = 0; i < zi->nr_zones; i++) {
		const struct bt_proc_zone *pz = &zi->zones[i];
		struct bt_zone_config zc;
		int type = bt_setup_zone_type(pz->name), ret;

		if (type < 0 || !pz->spanned)
			continue;
		if (!pz->has_start_pfn)
			return BT_E_UNSUPPORTED;
		bt_setup_zone_config(b, pz, type, &zc);
		ret = bt_buddy_add_zone(b, &zc);
		if (ret < 0)
			return ret;
		added++;
	}
	return added;
}

/* ---- free blocks from a map ---- */

/* A list of free blocks being collected. */
struct block_list {
	struct bt_free_block_ent {
		uint64_t pfn;
		unsigned int order;
	} *v;
	size_t n, cap;
};

static int list_push(uint64_t pfn, unsigned int order, void *data)
{
	struct block_list *l = data;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		void *p = realloc(l->v, cap * sizeof(*l->v));

		if (!p)
			return -ENOMEM;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n].pfn = pfn;
	l->v[l->n++].order = order;
	return 0;
}

/* pagetypeinfo's type names to the model's migratetypes. */
static int mt_of_name(const char *name)
{
	static const char *const names[BT_MT_TYPES] = {
		"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA",
		"Isolate",
	};
	int i;

	for (i = 0; i < BT_MT_TYPES; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/* Pageblocks of each model migratetype that pagetypeinfo counts. */
void bt_setup_block_counts(const struct bt_pagetypeinfo *pt,
			   const struct bt_zone_info *zi,
			   uint64_t counts[BT_MT_TYPES])
{
	const struct bt_proc_ptzone *z;
	unsigned int t;

	memset(counts, 0, BT_MT_TYPES * sizeof(counts[0]));
	z = pt ? bt_pagetypeinfo_find(pt, zi->node, zi->name) : NULL;
	if (!z || !z->has_blocks)
		return;
	for (t = 0; t < pt->nr_types; t++) {
		int mt = mt_of_name(pt->type_names[t]);

		if (mt >= 0)
			counts[mt] = z->blocks[t];
	}
}

struct pb_rank {
	uint64_t pb;		/* absolute pageblock number */
	uint64_t free;		/* free pages in it */
};

static int rank_cmp(const void *a, const void *b)
{
	const struct pb_rank *x = a, *y = b;

	if (x->free != y->free)
		return x->free < y->free ? -1 : 1;
	return x->pb < y->pb ? -1 : x->pb > y->pb;
}

/*
 * Give the non-MOVABLE types of @pt to the pageblocks of zone @zi with
 * the fewest free pages among @blocks.
 */
static int type_pageblocks(struct bt_buddy *b, const struct bt_zone_info *zi,
			   const struct block_list *l,
			   const struct bt_pagetypeinfo *pt,
			   struct bt_setup_stats *st)
{
	unsigned int pbo = bt_buddy_get_config(b)->pageblock_order;
	uint64_t first = zi->start_pfn >> pbo;
	uint64_t nr = ((zi->start_pfn + zi->spanned - 1) >> pbo) - first + 1;
	uint64_t counts[BT_MT_TYPES], i, k = 0;
	struct pb_rank *r;
	int mt, ret = 0;

	bt_setup_block_counts(pt, zi, counts);
	r = calloc(nr, sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		r[i].pb = first + i;
	for (i = 0; i < l->n; i++) {
		uint64_t pfn = l->v[i].pfn, end = pfn + (1ull << l->v[i].order);

		/* a block above pageblock order frees every pageblock in it */
		for (; pfn < end; pfn = ((pfn >> pbo) + 1) << pbo) {
			uint64_t pb = pfn >> pbo, next = (pb + 1) << pbo;

			if (pb >= first && pb - first < nr)
				r[pb - first].free += BT_MIN(end, next) - pfn;
		}
	}
	qsort(r, nr, sizeof(*r), rank_cmp);
	for (mt = 0; mt < BT_MT_TYPES && !ret; mt++) {
		if (mt == BT_MT_MOVABLE)
			continue;
		for (i = 0; i < counts[mt] && k < nr && !ret; i++, k++) {
			ret = bt_buddy_set_pageblock_mt(
				b, BT_MAX(r[k].pb << pbo, zi->start_pfn), mt);
			st->pageblocks_typed++;
		}
	}
	free(r);
	return ret;
}

/* Add the blocks of @l that lie in zone @zid, with pageblock types. */
static int add_zone_blocks(struct bt_buddy *b, int zid,
			   const struct block_list *l,
			   const struct bt_pagetypeinfo *pt,
			   struct bt_setup_stats *st)
{
	struct block_list mine = { NULL, 0, 0 };
	struct bt_zone_info zi;
	size_t i;
	int ret = bt_buddy_zone_info(b, zid, &zi);

	for (i = 0; !ret && i < l->n; i++)
		if (l->v[i].pfn >= zi.start_pfn &&
		    l->v[i].pfn - zi.start_pfn < zi.spanned)
			ret = list_push(l->v[i].pfn, l->v[i].order, &mine);
	if (!ret)
		ret = type_pageblocks(b, &zi, &mine, pt, st);
	for (i = 0; !ret && i < mine.n; i++) {
		ret = bt_buddy_add_free_block(b, mine.v[i].pfn,
					      mine.v[i].order, -1);
		st->blocks++;
		st->pages += 1ull << mine.v[i].order;
	}
	free(mine.v);
	return ret;
}

static int add_blocks(struct bt_buddy *b, const struct block_list *l,
		      const struct bt_pagetypeinfo *pt,
		      struct bt_setup_stats *st)
{
	int zid, n = bt_buddy_nr_zones(b), ret = 0;
	size_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < l->n; i++)
		st->outside += bt_buddy_zone_of_pfn(b, l->v[i].pfn) < 0;
	for (zid = 0; zid < n && !ret; zid++)
		ret = add_zone_blocks(b, zid, l, pt, st);
	return ret;
}

int bt_setup_free_map(struct bt_buddy *b, const unsigned char *flags,
		      size_t len, uint64_t first_pfn,
		      const struct bt_pagetypeinfo *pt,
		      struct bt_setup_stats *st)
{
	unsigned int max = bt_buddy_get_config(b)->max_order;
	struct block_list l = { NULL, 0, 0 };
	int zid, n = bt_buddy_nr_zones(b), ret = 0;

	/* split zone by zone: a run never crosses a zone boundary */
	for (zid = 0; zid < n && !ret; zid++) {
		struct bt_zone_info zi;

		ret = bt_buddy_zone_info(b, zid, &zi);
		if (!ret)
			ret = bt_kpageflags_split(flags, len, first_pfn,
						  zi.start_pfn,
						  zi.start_pfn + zi.spanned,
						  max, list_push, &l);
	}
	if (!ret)
		ret = add_blocks(b, &l, pt, st);
	free(l.v);
	return ret;
}

/* The 1-based number of the line that ends just before @pos. */
static unsigned int line_before(const char *text, const char *pos)
{
	unsigned int line = 0;

	for (const char *c = text; c < pos; c++)
		line += *c == '\n';
	return pos > text && pos[-1] != '\n' ? line + 1 : line;
}

int bt_setup_free_list(struct bt_buddy *b, const char *text, size_t len,
		       const struct bt_pagetypeinfo *pt,
		       struct bt_setup_stats *st, struct bt_proc_error *err)
{
	unsigned int max = bt_buddy_get_config(b)->max_order, order;
	struct block_list l = { NULL, 0, 0 };
	const char *p = text, *end = text + len;
	uint64_t pfn;
	int ret;

	while ((ret = bt_free_blocks_next(&p, end, max, &pfn, &order)) > 0) {
		ret = list_push(pfn, order, &l);
		if (ret)
			break;
	}
	if (ret == BT_E_PARSE && err) {
		err->line = line_before(text, p);
		snprintf(err->msg, sizeof(err->msg),
			 "expected a pfn and an order up to %u", max);
	}
	if (!ret)
		ret = add_blocks(b, &l, pt, st);
	free(l.v);
	return ret;
}
