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
#include <stdio.h>

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
