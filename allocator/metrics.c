// SPDX-License-Identifier: GPL-2.0-only
/*
 * metrics.c - the kernel's fragmentation metrics, computed the way
 * mm/vmstat.c computes them for debugfs extfrag/extfrag_index and
 * extfrag/unusable_index and for compaction's suitability check, plus the
 * huge-frame score of allocator research.
 *
 * The integer arithmetic is the kernel's, down to the truncating 64-bit
 * divisions, and the printing is its "%d.%03d" of index/1000 and
 * index%1000 (so -1000 prints "-1.000" and -999 prints " 0.-999"), so the
 * model's numbers can be compared byte for byte with what the kernel
 * printed for the same buddyinfo.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddy.h"

/* fill_contig_page_info() [3.x .. 6.19]. */
void bt_frag_contig_info(const uint64_t *nr_free, unsigned int nr_orders,
			 unsigned int order, struct bt_contig_info *info)
{
	unsigned int o;

	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (o = 0; o < nr_orders && o < 64; o++) {
		uint64_t blocks = nr_free[o];

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= order)
			info->free_blocks_suitable += blocks << (o - order);
	}
}

/* unusable_free_index() [3.x .. 6.19]. */
int bt_frag_unusable_index(const uint64_t *nr_free, unsigned int nr_orders,
			   unsigned int order)
{
	struct bt_contig_info info;

	bt_frag_contig_info(nr_free, nr_orders, order, &info);
	if (info.free_pages == 0)
		return 1000;
	if (order >= 64)
		return 1000;
	return (int)((info.free_pages -
		      (info.free_blocks_suitable << order)) * 1000ull /
		     info.free_pages);
}

/* __fragmentation_index() [3.x .. 6.19]. */
int bt_frag_index(const uint64_t *nr_free, unsigned int nr_orders,
		  unsigned int order)
{
	struct bt_contig_info info;
	uint64_t requested;

	if (order >= nr_orders || order >= 64)
		return 0;
	bt_frag_contig_info(nr_free, nr_orders, order, &info);
	if (!info.free_blocks_total)
		return 0;
	if (info.free_blocks_suitable)
		return -1000;
	requested = 1ull << order;
	return (int)(1000 - (int64_t)((1000 + info.free_pages * 1000ull /
					      requested) /
				     info.free_blocks_total));
}

/* extfrag_for_order() [5.9 .. 6.19]. */
unsigned int bt_frag_extfrag_for_order(const uint64_t *nr_free,
				       unsigned int nr_orders,
				       unsigned int order)
{
	struct bt_contig_info info;

	bt_frag_contig_info(nr_free, nr_orders, order, &info);
	if (info.free_pages == 0 || order >= 64)
		return 0;
	return (unsigned int)((info.free_pages -
			       (info.free_blocks_suitable << order)) * 100 /
			      info.free_pages);
}

/* unusable_show_print() and extfrag_show_print() of mm/vmstat.c. */
int bt_frag_format(char *buf, size_t size, int index, bool extfrag)
{
	return snprintf(buf, size, extfrag ? "%2d.%03d" : "%d.%03d",
			index / 1000, index % 1000);
}

void bt_frag_huge_score(const uint64_t *nr_free, unsigned int nr_orders,
			unsigned int huge_order, struct bt_huge_score *s)
{
	unsigned int o;

	s->huge_pages = 0;
	s->free_pages = 0;
	for (o = 0; o < nr_orders && o < 64; o++) {
		s->free_pages += nr_free[o] << o;
		if (o >= huge_order)
			s->huge_pages += nr_free[o] << o;
	}
}

struct mixed_ctx {
	const struct bt_buddy *b;
	uint64_t pb_first;
	unsigned int pb_order;
	uint8_t *seen;		/* per pageblock: 1 = counted as mixed */
	uint64_t nr_pb;
	uint64_t *mixed;
};

/*
 * pagetypeinfo_showmixedcount_print() with page_owner: a pageblock is
 * mixed when an allocated page in it has a migratetype other than the
 * pageblock's; counted once, under the pageblock's type.
 */
static int mixed_block(const struct bt_block *blk, void *data)
{
	struct mixed_ctx *c = data;
	uint64_t pfn = blk->pfn, end = blk->pfn + (1ull << blk->order);

	for (; pfn < end; pfn = ((pfn >> c->pb_order) + 1) << c->pb_order) {
		uint64_t pb = (pfn >> c->pb_order) - c->pb_first;
		int mt = bt_buddy_pageblock_mt(c->b, pfn);

		if (pb >= c->nr_pb || c->seen[pb] || mt < 0 || mt == blk->mt)
			continue;
		c->seen[pb] = 1;
		c->mixed[mt]++;
	}
	return 0;
}

int bt_buddy_zone_frag(const struct bt_buddy *b, int zid,
		       struct bt_zone_frag *out)
{
	unsigned int pbo = bt_buddy_get_config(b)->pageblock_order, o, mt;
	struct bt_zone_info zi;
	struct mixed_ctx c;
	int ret = bt_buddy_zone_info(b, zid, &zi);

	if (ret)
		return ret;
	memset(out, 0, sizeof(*out));
	memcpy(out->nr_free, zi.nr_free, sizeof(out->nr_free));
	memcpy(out->pageblocks, zi.pageblocks, sizeof(out->pageblocks));
	for (mt = 0; mt < BT_MT_TYPES; mt++)
		for (o = 0; o < BT_BUDDY_NR_ORDERS; o++)
			out->free_pages_mt[mt][o] = zi.nr_free_mt[o][mt] << o;
	for (o = 0; o < BT_BUDDY_NR_ORDERS; o++) {
		out->unusable[o] = bt_frag_unusable_index(out->nr_free,
							  BT_BUDDY_NR_ORDERS, o);
		out->fragindex[o] = bt_frag_index(out->nr_free,
						  BT_BUDDY_NR_ORDERS, o);
	}
	bt_frag_huge_score(out->nr_free, BT_BUDDY_NR_ORDERS, pbo, &out->huge);
	c.b = b;
	c.pb_order = pbo;
	c.pb_first = zi.start_pfn >> pbo;
	c.nr_pb = ((zi.start_pfn + zi.spanned - 1) >> pbo) - c.pb_first + 1;
	c.mixed = out->mixed;
	c.seen = calloc(c.nr_pb, 1);
	if (!c.seen)
		return -ENOMEM;
	ret = bt_buddy_for_each_block(b, zid, 1u << BT_BLOCK_ALLOCATED,
				      mixed_block, &c);
	free(c.seen);
	return ret;
}
