// SPDX-License-Identifier: GPL-2.0-only
/*
 * frag.c - fragmentation metrics of one zone from its nr_free per order,
 * with the kernel's own integer formulas (mm/vmstat.c:
 * fill_contig_page_info(), unusable_free_index(), __fragmentation_index())
 * so that the numbers equal what debugfs extfrag/ prints for the same
 * buddyinfo. The huge-frame score (free pages held in blocks of order 9
 * and above, over all free pages) is the one allocator research uses.
 */
#include <string.h>

#include "analyze-internal.h"

#define HUGE_ORDER 9

/* unusable_free_index(): 0..1000, 1000 when nothing is free. */
static int unusable_index(uint64_t free_pages, uint64_t suitable,
			  unsigned int order)
{
	if (free_pages == 0)
		return 1000;
	return (int)(((free_pages - (suitable << order)) * 1000) / free_pages);
}

/* __fragmentation_index(): -1000 when a block of @order is available. */
static int fragmentation_index(uint64_t free_pages, uint64_t blocks,
			       uint64_t suitable, unsigned int order)
{
	if (blocks == 0)
		return 0;
	if (suitable)
		return -1000;
	return (int)(1000 - ((1000 + (free_pages * 1000 >> order)) / blocks));
}

void bt_frag_compute(const uint64_t nr_free[BT_AN_ORDERS], struct bt_frag *f)
{
	unsigned int k, o;
	uint64_t huge = 0;

	memset(f, 0, sizeof(*f));
	for (o = 0; o < BT_AN_ORDERS; o++) {
		f->free_blocks += nr_free[o];
		f->free_pages += nr_free[o] << o;
		if (o >= HUGE_ORDER)
			huge += nr_free[o] << o;
	}
	for (k = 0; k < BT_AN_ORDERS; k++) {
		uint64_t suitable = 0;

		for (o = k; o < BT_AN_ORDERS; o++)
			suitable += nr_free[o] << (o - k);
		f->unusable[k] = unusable_index(f->free_pages, suitable, k);
		f->fragindex[k] = fragmentation_index(f->free_pages,
						      f->free_blocks,
						      suitable, k);
	}
	f->huge_score = f->free_pages ?
		(int)(huge * 1000 / f->free_pages) : 0;
}
