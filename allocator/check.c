// SPDX-License-Identifier: GPL-2.0-only
/*
 * check.c - bt_buddy_check(), which walks every zone, free list, pcp list
 * and counter and verifies the invariants listed in buddy.h, and the read
 * accessors (zone info, block lookup, block iteration) that share its
 * walks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "allocator/allocator-internal.h"

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t len,
						      const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return BT_E_INTERNAL;
}

int bt_buddy_zone_info(const struct bt_buddy *b, int zid,
		       struct bt_zone_info *out)
{
	const struct bt_zone *z;
	uint64_t i;
	unsigned int c;

	if (zid < 0 || zid >= b->nr_zones)
		return -EINVAL;
	z = b->zones[zid];
	memset(out, 0, sizeof(*out));
	out->node = z->node;
	out->zone_type = z->type;
	bt_strlcpy(out->name, z->name, sizeof(out->name));
	out->start_pfn = z->start;
	out->spanned = z->spanned;
	out->present = z->present;
	out->managed = z->managed;
	out->wmark_min = z->wmark[0];
	out->wmark_low = z->wmark[1];
	out->wmark_high = z->wmark[2];
	out->wmark_boost = z->boost;
	memcpy(out->protection, z->prot, sizeof(out->protection));
	out->pcp_high_min = z->pcp_high_min;
	out->pcp_high_max = z->pcp_high_max;
	out->pcp_batch = z->pcp_batch;
	out->nr_reserved_highatomic = z->nr_reserved_highatomic;
	out->reclaimable = z->reclaimable;
	out->free_pages = (uint64_t)z->free_pages;
	out->free_cma = (uint64_t)z->free_cma;
	out->free_highatomic = (uint64_t)z->free_highatomic;
	memcpy(out->nr_free, z->nr_free, sizeof(out->nr_free));
	memcpy(out->nr_free_mt, z->nr_mt, sizeof(out->nr_free_mt));
	/*
	 * pagetypeinfo_showblockcount_print(): from start_pfn in steps of a
	 * pageblock, the type of the pageblock each step lands in.
	 */
	for (i = z->start; i < z->start + z->spanned; i += b->pb_pages)
		out->pageblocks[z->pb[(i >> b->pb_order) - z->pb_first] &
				PB_MT_MASK]++;
	for (c = 0; c < b->cfg.nr_cpus; c++)
		out->pcp_pages += (uint64_t)z->pcp[c].count;
	out->compact_considered = z->compact_considered;
	out->compact_defer_shift = z->compact_defer_shift;
	out->compact_order_failed = z->compact_order_failed;
	out->boosted = (z->flags & ZF_BOOSTED) != 0;
	return 0;
}

static void fill_block(const struct bt_zone *z, uint32_t h,
		       struct bt_block *out)
{
	uint8_t st = ST_AT(z, h);

	out->pfn = z->start + h;
	out->order = ST_ORDER(st);
	out->state = (enum bt_block_state)ST_STATE(st);
	out->mt = ST_STATE(st) == PS_PCP ? MT_AT(z, h) >> 4 : MT_AT(z, h);
}

int bt_buddy_block_at(const struct bt_buddy *b, uint64_t pfn,
		      struct bt_block *out)
{
	uint32_t idx;
	const struct bt_zone *z = bt_zone_of(b, pfn, &idx);
	long h;

	if (!z)
		return -ENOENT;
	h = bt_find_block_head(z, idx);
	if (h < 0)
		return -ENOENT;
	fill_block(z, (uint32_t)h, out);
	return 0;
}

int bt_buddy_for_each_block(const struct bt_buddy *b, int zid,
			    unsigned int states,
			    int (*fn)(const struct bt_block *blk, void *data),
			    void *data)
{
	const struct bt_zone *z;
	uint32_t i;

	if (zid < 0 || zid >= b->nr_zones || !fn)
		return -EINVAL;
	z = b->zones[zid];
	for (i = 0; i < z->spanned;) {
		uint8_t st = ST_AT(z, i);
		struct bt_block blk;
		int ret;

		if (ST_STATE(st) == PS_NONE) {
			i++;
			continue;
		}
		if (states & (1u << ST_STATE(st))) {
			fill_block(z, i, &blk);
			ret = fn(&blk, data);
			if (ret)
				return ret;
		}
		i += 1u << ST_ORDER(st);
	}
	return 0;
}

/* Every head aligned, inside the zone, over pages that are not heads. */
static int check_tiling(const struct bt_buddy *b, const struct bt_zone *z,
			char *err, size_t len)
{
	uint32_t i, j;

	for (i = 0; i < z->spanned;) {
		uint8_t st = ST_AT(z, i);
		unsigned int o = ST_ORDER(st);
		uint64_t pfn = z->start + i;

		if (ST_STATE(st) == PS_NONE) {
			i++;
			continue;
		}
		if (o > b->max_order || (pfn & ((1ull << o) - 1)) ||
		    (uint64_t)i + (1u << o) > z->spanned)
			return fail(err, len,
				    "zone %s: block pfn %#llx order %u "
				    "misaligned or outside the zone",
				    z->name, (unsigned long long)pfn, o);
		for (j = 1; j < (1u << o); j++)
			if (ST_AT(z, i + j))
				return fail(err, len,
					    "zone %s: pfn %#llx inside block "
					    "%#llx order %u is a head too",
					    z->name,
					    (unsigned long long)(pfn + j),
					    (unsigned long long)pfn, o);
		i += 1u << o;
	}
	return 0;
}

/* Walk one free list: states, order, type, counts. */
static int check_free_list(const struct bt_buddy *b, const struct bt_zone *z,
			   unsigned int o, int mt, uint64_t *pages, char *err,
			   size_t len)
{
	uint32_t s = free_sent(z, o, mt), i, prev = s;
	uint64_t n = 0;

	for (i = LNEXT(z, s); i != s; prev = i, i = LNEXT(z, i)) {
		if (i >= z->spanned || LPREV(z, i) != prev)
			return fail(err, len, "zone %s: free list %u/%d broken",
				    z->name, o, mt);
		if (ST_AT(z, i) != ST(PS_FREE, o) || MT_AT(z, i) != mt)
			return fail(err, len,
				    "zone %s: pfn %#llx on free list %u/%d has "
				    "state %#x type %d",
				    z->name, (unsigned long long)(z->start + i),
				    o, mt, ST_AT(z, i), MT_AT(z, i));
		/* freelist hygiene: 6.10+, unless the 4.12 fallback relabels */
		if (b->v6 && b->fallback != BT_FALLBACK_LARGEST &&
		    pb_mt(b, z, i) != mt)
			return fail(err, len,
				    "zone %s: free pfn %#llx on list %d in a "
				    "pageblock of type %d",
				    z->name, (unsigned long long)(z->start + i),
				    mt, pb_mt(b, z, i));
		if (++n > z->spanned)
			return fail(err, len, "zone %s: free list loops",
				    z->name);
	}
	if (n != z->nr_mt[o][mt])
		return fail(
		    err, len,
		    "zone %s: list %u/%d holds %llu blocks, counter says %llu",
		    z->name, o, mt, (unsigned long long)n,
		    (unsigned long long)z->nr_mt[o][mt]);
	*pages += n << o;
	return 0;
}

static int check_counters(const struct bt_buddy *b, const struct bt_zone *z,
			  char *err, size_t len)
{
	uint64_t pages[BT_MT_TYPES] = {0};
	int64_t free_pages = 0;
	unsigned int o;
	int mt, ret;

	for (o = 0; o <= b->max_order; o++) {
		uint64_t sum = 0;

		for (mt = 0; mt < BT_MT_TYPES; mt++) {
			ret =
			    check_free_list(b, z, o, mt, &pages[mt], err, len);
			if (ret)
				return ret;
			sum += z->nr_mt[o][mt];
		}
		if (sum != z->nr_free[o])
			return fail(err, len,
				    "zone %s: nr_free[%u] %llu != %llu listed",
				    z->name, o,
				    (unsigned long long)z->nr_free[o],
				    (unsigned long long)sum);
	}
	for (mt = 0; mt < BT_MT_TYPES; mt++)
		if (mt != BT_MT_ISOLATE)
			free_pages += (int64_t)pages[mt];
	if (free_pages != z->free_pages ||
	    (int64_t)pages[BT_MT_CMA] != z->free_cma ||
	    (int64_t)pages[BT_MT_HIGHATOMIC] != z->free_highatomic)
		return fail(
		    err, len,
		    "zone %s: free page counters %lld/%lld/%lld, lists "
		    "%lld/%llu/%llu",
		    z->name, (long long)z->free_pages, (long long)z->free_cma,
		    (long long)z->free_highatomic, (long long)free_pages,
		    (unsigned long long)pages[BT_MT_CMA],
		    (unsigned long long)pages[BT_MT_HIGHATOMIC]);
	return 0;
}

static int check_pcp(const struct bt_buddy *b, const struct bt_zone *z,
		     char *err, size_t len)
{
	unsigned int c, pi;

	for (c = 0; c < b->cfg.nr_cpus; c++) {
		const struct bt_pcp *p = &z->pcp[c];
		int count = 0;

		for (pi = 0; pi < b->nr_pcp_lists; pi++) {
			uint32_t s = pcp_sent(b, z, (int)c, (int)pi), i;
			unsigned int n = 0;

			for (i = LNEXT(z, s); i != s; i = LNEXT(z, i)) {
				unsigned int o = bt_pindex_to_order(b, (int)pi);

				if (i >= z->spanned ||
				    ST_AT(z, i) != ST(PS_PCP, o) ||
				    (MT_AT(z, i) & 0xf) != pi ||
				    pcp_cpu_of(z, i) != c)
					return fail(err, len,
						    "zone %s: cpu %u pcp list "
						    "%u holds a bad block",
						    z->name, c, pi);
				count += 1 << o;
				if (++n > z->spanned)
					return fail(err, len,
						    "zone %s: pcp list loops",
						    z->name);
			}
			if (n != p->nr[pi])
				return fail(err, len,
					    "zone %s: cpu %u pcp list %u holds "
					    "%u, counter %u",
					    z->name, c, pi, n, p->nr[pi]);
		}
		if (count != p->count)
			return fail(err, len,
				    "zone %s: cpu %u pcp count %d, lists %d",
				    z->name, c, p->count, count);
	}
	return 0;
}

/* The per-pageblock free and movable counters match a fresh count. */
static int check_pb_counters(const struct bt_buddy *b, const struct bt_zone *z,
			     char *err, size_t len)
{
	uint64_t i, p;

	for (i = 0; i < z->nr_pb; i++) {
		uint64_t start = (z->pb_first + i) << b->pb_order;
		uint64_t end = start + b->pb_pages;
		unsigned int nfree = 0, nmov = 0;

		for (p = BT_MAX(start, z->start);
		     p < BT_MIN(end, z->start + z->spanned);) {
			long h =
			    bt_find_block_head(z, (uint32_t)(p - z->start));
			uint64_t hp, he;
			uint8_t st;

			if (h < 0) {
				p++;
				continue;
			}
			st = ST_AT(z, h);
			hp = z->start + (uint64_t)h;
			he = hp + (1ull << ST_ORDER(st));
			if (ST_STATE(st) == PS_FREE)
				nfree += (unsigned int)(BT_MIN(he, end) - p);
			else if (ST_STATE(st) == PS_ALLOC &&
				 MT_AT(z, h) == BT_MT_MOVABLE)
				nmov += (unsigned int)(BT_MIN(he, end) - p);
			p = BT_MIN(he, end);
		}
		if (nfree != z->pb_free[i] || nmov != z->pb_movable[i])
			return fail(err, len,
				    "zone %s: pageblock %#llx counts %u free "
				    "%u movable, holds %u and %u",
				    z->name, (unsigned long long)start,
				    z->pb_free[i], z->pb_movable[i], nfree,
				    nmov);
	}
	return 0;
}

/* No two free buddies below pageblock order left unmerged. */
static int check_merged(const struct bt_buddy *b, const struct bt_zone *z,
			char *err, size_t len)
{
	uint32_t i;

	for (i = 0; i < z->spanned;) {
		uint8_t st = ST_AT(z, i);
		unsigned int o = ST_ORDER(st);
		uint64_t pfn = z->start + i, bpfn;

		if (ST_STATE(st) != PS_FREE) {
			i += ST_STATE(st) == PS_NONE ? 1 : 1u << o;
			continue;
		}
		i += 1u << o;
		bpfn = pfn ^ (1ull << o);
		if (o >= b->max_order || !bt_zone_spans(z, bpfn) ||
		    !is_free_order(z, bpfn - z->start, o))
			continue;
		/*
		 * At pageblock order and above a relabelled pageblock may
		 * leave buddies that the kernel would not merge either.
		 */
		if (o >= b->pb_order)
			continue;
		return fail(err, len,
			    "zone %s: free buddies %#llx and %#llx of order %u "
			    "not merged",
			    z->name, (unsigned long long)pfn,
			    (unsigned long long)bpfn, o);
	}
	return 0;
}

int bt_buddy_check(const struct bt_buddy *b, char *err, size_t len)
{
	int i, ret;

	for (i = 0; i < b->nr_zones; i++) {
		const struct bt_zone *z = b->zones[i];

		ret = check_tiling(b, z, err, len);
		if (!ret)
			ret = check_counters(b, z, err, len);
		if (!ret)
			ret = check_pcp(b, z, err, len);
		if (!ret)
			ret = check_merged(b, z, err, len);
		if (!ret)
			ret = check_pb_counters(b, z, err, len);
		if (ret)
			return ret;
	}
	if (err && len)
		err[0] = '\0';
	return 0;
}
