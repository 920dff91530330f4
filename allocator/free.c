// SPDX-License-Identifier: GPL-2.0-only
/*
 * free.c - freeing a block: validation against the model state, then the
 * per-CPU list for pcp-able orders or the buddy lists (free_one_page()).
 *
 * A trace may free blocks the model never saw allocated (allocated before
 * recording began) or a part of a larger allocation (split THP, split
 * compound pages): both are accepted. Freeing a page the model believes
 * free is refused with -EALREADY so replay can count the inconsistency.
 */
#include <errno.h>

#include "allocator/allocator-internal.h"

/* Make the allocated block around @idx end exactly at our range. */
static void split_enclosing_alloc(struct bt_zone *z, long head, uint32_t idx,
				  unsigned int order)
{
	unsigned int ho = ST_ORDER(ST_AT(z, head));
	int mt = MT_AT(z, head);
	uint32_t i, end = (uint32_t)head + (1u << ho);

	/* split_page(): every piece becomes its own allocation */
	for (i = (uint32_t)head; i < end; i += 1u << order) {
		ST_AT(z, i) = ST(PS_ALLOC, order);
		MT_AT(z, i) = (uint8_t)mt;
	}
	(void)idx;
}

/*
 * Check the range holds no free or pcp page and clear its heads; the
 * allocations it ends leave the movable accounting.
 */
static int prepare_range(struct bt_buddy *b, struct bt_zone *z, uint32_t idx,
			 unsigned int order)
{
	uint32_t i, n = 1u << order;
	long head;

	if (ST_AT(z, idx) == ST(PS_ALLOC, order)) {
		alloc_acct(b, z, idx, order, MT_AT(z, idx), -1);
		return 0;
	}
	head = bt_find_block_head(z, idx);
	if (head >= 0 &&
	    ((uint32_t)head != idx || ST_ORDER(ST_AT(z, head)) > order)) {
		unsigned int hs = ST_STATE(ST_AT(z, head));

		if (hs != PS_ALLOC)
			return -EALREADY;
		/* the pieces cover the same pages: accounting unchanged */
		split_enclosing_alloc(z, head, idx, order);
		alloc_acct(b, z, idx, order, MT_AT(z, idx), -1);
		return 0;
	}
	for (i = 0; i < n; i++) {
		unsigned int s = ST_STATE(ST_AT(z, idx + i));

		if (s == PS_FREE || s == PS_PCP)
			return -EALREADY;
	}
	for (i = 0; i < n; i++) {
		uint8_t st = ST_AT(z, idx + i);

		if (ST_STATE(st) == PS_ALLOC)
			alloc_acct(b, z, idx + i, ST_ORDER(st),
				   MT_AT(z, idx + i), -1);
		ST_AT(z, idx + i) = ST(PS_NONE, 0);
	}
	return 0;
}

/*
 * __free_frozen_pages() [6.x] / __free_pages() [4.12]: pcp-able orders go
 * to this CPU's pcp unless the pageblock is ISOLATE; others to
 * __free_pages_ok() -> free_one_page().
 */
int bt_buddy_free(struct bt_buddy *b, uint64_t pfn, unsigned int order, int cpu,
		  unsigned int flags)
{
	struct bt_zone *z;
	uint32_t idx;
	int err;

	if (order > b->max_order || (pfn & ((1ull << order) - 1)) || cpu < 0 ||
	    cpu >= (int)b->cfg.nr_cpus)
		return -EINVAL;
	z = bt_zone_of(b, pfn, &idx);
	if (!z)
		return -ENOENT;
	if ((uint64_t)idx + (1u << order) > z->spanned)
		return -EINVAL;
	err = prepare_range(b, z, idx, order);
	if (err)
		return err;
	ST_AT(z, idx) = ST(PS_NONE, 0);
	b->stats.pgfree += 1ull << order;
	if (!(flags & BT_FREE_NO_PCP) && bt_pcp_allowed_order(b, order) &&
	    pb_mt(b, z, idx) != BT_MT_ISOLATE) {
		bt_free_to_pcp(b, z, idx, order, cpu,
			       (flags & BT_FREE_NO_DRAIN) != 0);
		return 0;
	}
	bt_free_range(b, z, idx, order, (flags & BT_FREE_TO_TAIL) != 0);
	return 0;
}
