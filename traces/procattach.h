/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * procattach.h - /proc state directories stored as .bt snapshots (import
 * --proc-before/--proc-after). Used by the import command and its tests.
 */
#ifndef BT_PROCATTACH_H
#define BT_PROCATTACH_H

#include "traces.h"

/**
 * bt_proc_attach - store the /proc files of @dir as snapshots at @ts
 * @w: an open writer
 * @dir: zoneinfo, buddyinfo, pagetypeinfo, vmstat, meminfo, extfrag_index,
 *       unusable_index, kpageflags[.zst], vm/, transparent_hugepage/
 * @ts: trace-clock time of the snapshots
 * @nr: receives how many snapshots were written
 *
 * Entries it does not know are skipped with a note. kpageflags becomes
 * BT_SNAP_FREE_BLOCKS ("pfn order" lines). Returns 0 or a negative code.
 */
int bt_proc_attach(struct bt_writer *w, const char *dir, uint64_t ts,
		   unsigned int *nr);

/* Free buddy blocks ("pfn order\n" lines) of a raw kpageflags copy. */
int bt_proc_free_blocks(const unsigned char *kpf, size_t len,
			struct bt_buf *out);

#endif
