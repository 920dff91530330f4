/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * freeblocks.h - the free-page map payload of BT_SNAP_FREE_BLOCKS
 * snapshots: "pfn order\n" lines, decimal, in pfn order (see
 * docs/buddytrace-trace.5).
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

#endif
