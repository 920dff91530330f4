/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * freeblocks.h - the free-page map payload of BT_SNAP_FREE_BLOCKS
 * snapshots: "pfn order\n" lines, decimal, in pfn order; and of
 * BT_SNAP_FREE_TIMES snapshots, when each range of that map was read:
 * "pfn_lo pfn_hi ns_lo ns_hi\n" lines (see docs/buddytrace-trace.5).
 */
#ifndef BT_FREEBLOCKS_H
#define BT_FREEBLOCKS_H

#include <stdint.h>

#include "common.h"

/**
 * bt_free_blocks_put - append one free block's line to @out
 *
 * Returns 0 or -ENOMEM.
 */
int bt_free_blocks_put(struct bt_buf *out, uint64_t pfn, unsigned int order);

/**
 * bt_free_blocks_next - parse the next block of a payload
 * @pos: in: where to start; out: past the line read
 * @end: end of the payload
 * @max_order: largest order accepted
 *
 * Empty lines are skipped. Returns 1 with @pfn and @order set, 0 at the
 * end, or BT_E_PARSE for a line that is not "pfn order" with order at
 * most @max_order (@pos is then past that line).
 */
int bt_free_blocks_next(const char **pos, const char *end,
			unsigned int max_order, uint64_t *pfn,
			unsigned int *order);

/* When the flags of the pfns [lo, hi) were read: between @t0 and @t1. */
struct bt_free_time {
	uint64_t lo, hi;
	uint64_t t0, t1;
};

/**
 * bt_free_times_put - append one range's read times to @out
 *
 * Returns 0 or -ENOMEM.
 */
int bt_free_times_put(struct bt_buf *out, const struct bt_free_time *t);

/**
 * bt_free_times_next - parse the next range of a BT_SNAP_FREE_TIMES payload
 *
 * As bt_free_blocks_next(): 1 with @t set, 0 at the end, BT_E_PARSE for a
 * line that is not four decimal numbers with lo < hi and t0 <= t1.
 */
int bt_free_times_next(const char **pos, const char *end,
		       struct bt_free_time *t);

#endif
