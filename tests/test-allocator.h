/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test-allocator.h - small model builders shared by the allocator tests.
 */
#ifndef BT_TEST_ALLOCATOR_H
#define BT_TEST_ALLOCATOR_H

#include "allocator/buddy.h"

#define KERNEL BT_BUDDY_GFP_KERNEL
#define MOVABLE_GFP BT_BUDDY_GFP_HIGHUSER_MOVABLE
#define RECLAIMABLE_GFP (BT_BUDDY_GFP_KERNEL | BT_BUDDY_GFP_RECLAIMABLE)

/* A zone of @pages at @start, watermarks min/low/high, nothing free. */
static inline int test_add_zone(struct bt_buddy *b, int type, uint64_t start,
				uint64_t pages, uint64_t min, uint64_t low,
				uint64_t high)
{
	struct bt_zone_config zc = {0};

	zc.node = 0;
	zc.zone_type = type;
	zc.start_pfn = start;
	zc.spanned = pages;
	zc.present = pages;
	zc.managed = pages;
	zc.wmark_min = min;
	zc.wmark_low = low;
	zc.wmark_high = high;
	zc.pcp_high = -1;
	zc.pcp_high_min = 64;
	zc.pcp_high_max = 64;
	zc.pcp_batch = 8;
	return bt_buddy_add_zone(b, &zc);
}

/* Free [start, start + pages) in maximal aligned blocks, lowest pfn first. */
static inline int test_free_range(struct bt_buddy *b, uint64_t start,
				  uint64_t pages, int mt)
{
	uint64_t pfn = start, end = start + pages;
	int err;

	while (pfn < end) {
		unsigned int o = bt_buddy_get_config(b)->max_order;

		while (o &&
		       ((pfn & ((1ull << o) - 1)) || pfn + (1ull << o) > end))
			o--;
		err = bt_buddy_add_free_block(b, pfn, o, mt);
		if (err)
			return err;
		pfn += 1ull << o;
	}
	return 0;
}

/* A one-zone model: Normal zone of @pages from @start, all free. */
static inline struct bt_buddy *test_model(enum bt_buddy_profile p,
					  unsigned int cpus, uint64_t start,
					  uint64_t pages, uint64_t min,
					  uint64_t low, uint64_t high)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;

	bt_buddy_config_init(&cfg, p);
	cfg.nr_cpus = cpus;
	b = bt_buddy_new(&cfg);
	if (!b)
		return NULL;
	if (test_add_zone(b, BT_ZONE_NORMAL, start, pages, min, low, high) <
		0 ||
	    test_free_range(b, start, pages, -1)) {
		bt_buddy_free_model(b);
		return NULL;
	}
	return b;
}

/* A one-zone model with nothing free (start 0x10000, 1024-aligned). */
static inline struct bt_buddy *test_empty(enum bt_buddy_profile p,
					  uint64_t pages, uint64_t min,
					  uint64_t low, uint64_t high)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;

	bt_buddy_config_init(&cfg, p);
	b = bt_buddy_new(&cfg);
	if (b && test_add_zone(b, BT_ZONE_NORMAL, 0x10000, pages, min, low,
			       high) < 0) {
		bt_buddy_free_model(b);
		return NULL;
	}
	return b;
}

/* State and order of the block containing @pfn (-1 state: none). */
static inline int test_block(struct bt_buddy *b, uint64_t pfn,
			     unsigned int *order)
{
	struct bt_block blk;

	if (bt_buddy_block_at(b, pfn, &blk))
		return -1;
	if (order)
		*order = blk.order;
	return blk.pfn == pfn ? (int)blk.state : -2;
}

static inline int test_alloc(struct bt_buddy *b, unsigned int order,
			     uint64_t gfp, int cpu, struct bt_alloc_result *res)
{
	struct bt_alloc_request rq;

	bt_alloc_request_init(&rq, order, gfp);
	rq.cpu = cpu;
	return bt_buddy_alloc(b, &rq, res);
}

#endif
