// SPDX-License-Identifier: GPL-2.0-only
/*
 * frag.c - the fragmentation metrics of one zone at one snapshot, from its
 * nr_free per order: the kernel's unusable free space index and
 * fragmentation index per order (allocator/metrics.c holds the formulas
 * of mm/vmstat.c; the numbers equal what debugfs extfrag/ prints for the
 * same buddyinfo) and the huge-frame score (free pages in blocks of order
 * 9 and above over all free pages), gathered in one struct for reports.
 */
#include <string.h>

#include "analyze-internal.h"
#include "allocator/buddy.h"

#define HUGE_ORDER 9

void bt_frag_compute(const uint64_t nr_free[BT_AN_ORDERS], struct bt_frag *f)
{
	struct bt_huge_score hs;
	unsigned int o;

	memset(f, 0, sizeof(*f));
	for (o = 0; o < BT_AN_ORDERS; o++) {
		f->free_blocks += nr_free[o];
		f->unusable[o] = bt_frag_unusable_index(nr_free, BT_AN_ORDERS,
							o);
		f->fragindex[o] = bt_frag_index(nr_free, BT_AN_ORDERS, o);
	}
	bt_frag_huge_score(nr_free, BT_AN_ORDERS, HUGE_ORDER, &hs);
	f->free_pages = hs.free_pages;
	f->huge_score = hs.free_pages ?
		(int)(hs.huge_pages * 1000 / hs.free_pages) : 0;
}
