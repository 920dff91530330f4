// SPDX-License-Identifier: GPL-2.0-only
/*
 * events.c - the descriptor table of every normalized event type.
 *
 * One row per type: system, bare tracepoint name, and the fields kept, in
 * argument order, under the kernel's own field names (6.x names; importers
 * map older names onto them). The writer encodes arguments by kind, the
 * importers find fields by these names, and the dumpers print them, so a
 * new event needs only a row here and an enum value in traces.h.
 */
#include <string.h>

#include "traces.h"

#define U BT_FK_UNSIGNED
#define S BT_FK_SIGNED
#define P BT_FK_PFN
#define G BT_FK_GFP
#define B BT_FK_BOOL

static const struct bt_event_desc descs[BT_EV_TYPE_COUNT] = {
	[BT_EV_PAGE_ALLOC] = { BT_EV_PAGE_ALLOC, "kmem", "mm_page_alloc", 4,
		{ { "pfn", P }, { "order", U }, { "gfp_flags", G },
		  { "migratetype", S } } },
	[BT_EV_PAGE_FREE] = { BT_EV_PAGE_FREE, "kmem", "mm_page_free", 2,
		{ { "pfn", P }, { "order", U } } },
	[BT_EV_PAGE_FREE_BATCHED] = { BT_EV_PAGE_FREE_BATCHED, "kmem",
		"mm_page_free_batched", 1, { { "pfn", P } } },
	[BT_EV_PAGE_ALLOC_ZONE_LOCKED] = { BT_EV_PAGE_ALLOC_ZONE_LOCKED, "kmem",
		"mm_page_alloc_zone_locked", 4,
		{ { "pfn", P }, { "order", U }, { "migratetype", S },
		  { "percpu_refill", S } } },
	[BT_EV_PAGE_PCPU_DRAIN] = { BT_EV_PAGE_PCPU_DRAIN, "kmem",
		"mm_page_pcpu_drain", 3,
		{ { "pfn", P }, { "order", U }, { "migratetype", S } } },
	[BT_EV_PAGE_ALLOC_EXTFRAG] = { BT_EV_PAGE_ALLOC_EXTFRAG, "kmem",
		"mm_page_alloc_extfrag", 6,
		{ { "pfn", P }, { "alloc_order", S }, { "fallback_order", S },
		  { "alloc_migratetype", S }, { "fallback_migratetype", S },
		  { "change_ownership", S } } },
	[BT_EV_PAGEVEC_FREE] = { BT_EV_PAGEVEC_FREE, "kmem", "mm_pagevec_free",
		2, { { "pfn", P }, { "cold", S } } },

	[BT_EV_COMPACTION_BEGIN] = { BT_EV_COMPACTION_BEGIN, "compaction",
		"mm_compaction_begin", 5,
		{ { "zone_start", P }, { "migrate_pfn", P }, { "free_pfn", P },
		  { "zone_end", P }, { "sync", B } } },
	[BT_EV_COMPACTION_END] = { BT_EV_COMPACTION_END, "compaction",
		"mm_compaction_end", 6,
		{ { "zone_start", P }, { "migrate_pfn", P }, { "free_pfn", P },
		  { "zone_end", P }, { "sync", B }, { "status", S } } },
	[BT_EV_COMPACTION_ISOLATE_MIGRATEPAGES] = {
		BT_EV_COMPACTION_ISOLATE_MIGRATEPAGES, "compaction",
		"mm_compaction_isolate_migratepages", 4,
		{ { "start_pfn", P }, { "end_pfn", P }, { "nr_scanned", U },
		  { "nr_taken", U } } },
	[BT_EV_COMPACTION_ISOLATE_FREEPAGES] = {
		BT_EV_COMPACTION_ISOLATE_FREEPAGES, "compaction",
		"mm_compaction_isolate_freepages", 4,
		{ { "start_pfn", P }, { "end_pfn", P }, { "nr_scanned", U },
		  { "nr_taken", U } } },
	[BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES] = {
		BT_EV_COMPACTION_FAST_ISOLATE_FREEPAGES, "compaction",
		"mm_compaction_fast_isolate_freepages", 4,
		{ { "start_pfn", P }, { "end_pfn", P }, { "nr_scanned", U },
		  { "nr_taken", U } } },
	[BT_EV_COMPACTION_MIGRATEPAGES] = { BT_EV_COMPACTION_MIGRATEPAGES,
		"compaction", "mm_compaction_migratepages", 2,
		{ { "nr_migrated", U }, { "nr_failed", U } } },
	[BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES] = {
		BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES, "compaction",
		"mm_compaction_try_to_compact_pages", 3,
		{ { "order", S }, { "gfp_mask", G }, { "prio", S } } },
	[BT_EV_COMPACTION_FINISHED] = { BT_EV_COMPACTION_FINISHED, "compaction",
		"mm_compaction_finished", 4,
		{ { "nid", S }, { "idx", U }, { "order", S }, { "ret", S } } },
	[BT_EV_COMPACTION_SUITABLE] = { BT_EV_COMPACTION_SUITABLE, "compaction",
		"mm_compaction_suitable", 4,
		{ { "nid", S }, { "idx", U }, { "order", S }, { "ret", S } } },
	[BT_EV_COMPACTION_DEFERRED] = { BT_EV_COMPACTION_DEFERRED, "compaction",
		"mm_compaction_deferred", 6,
		{ { "nid", S }, { "idx", U }, { "order", S },
		  { "considered", U }, { "defer_shift", U },
		  { "order_failed", S } } },
	[BT_EV_COMPACTION_DEFER_COMPACTION] = {
		BT_EV_COMPACTION_DEFER_COMPACTION, "compaction",
		"mm_compaction_defer_compaction", 6,
		{ { "nid", S }, { "idx", U }, { "order", S },
		  { "considered", U }, { "defer_shift", U },
		  { "order_failed", S } } },
	[BT_EV_COMPACTION_DEFER_RESET] = { BT_EV_COMPACTION_DEFER_RESET,
		"compaction", "mm_compaction_defer_reset", 6,
		{ { "nid", S }, { "idx", U }, { "order", S },
		  { "considered", U }, { "defer_shift", U },
		  { "order_failed", S } } },
	[BT_EV_COMPACTION_KCOMPACTD_SLEEP] = { BT_EV_COMPACTION_KCOMPACTD_SLEEP,
		"compaction", "mm_compaction_kcompactd_sleep", 1,
		{ { "nid", S } } },
	[BT_EV_COMPACTION_WAKEUP_KCOMPACTD] = {
		BT_EV_COMPACTION_WAKEUP_KCOMPACTD, "compaction",
		"mm_compaction_wakeup_kcompactd", 3,
		{ { "nid", S }, { "order", S }, { "highest_zoneidx", U } } },
	[BT_EV_COMPACTION_KCOMPACTD_WAKE] = { BT_EV_COMPACTION_KCOMPACTD_WAKE,
		"compaction", "mm_compaction_kcompactd_wake", 3,
		{ { "nid", S }, { "order", S }, { "highest_zoneidx", U } } },

	[BT_EV_VMSCAN_WAKEUP_KSWAPD] = { BT_EV_VMSCAN_WAKEUP_KSWAPD, "vmscan",
		"mm_vmscan_wakeup_kswapd", 4,
		{ { "nid", S }, { "zid", S }, { "order", S },
		  { "gfp_flags", G } } },
	[BT_EV_VMSCAN_KSWAPD_WAKE] = { BT_EV_VMSCAN_KSWAPD_WAKE, "vmscan",
		"mm_vmscan_kswapd_wake", 3,
		{ { "nid", S }, { "zid", S }, { "order", S } } },
	[BT_EV_VMSCAN_KSWAPD_SLEEP] = { BT_EV_VMSCAN_KSWAPD_SLEEP, "vmscan",
		"mm_vmscan_kswapd_sleep", 1, { { "nid", S } } },
	[BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN] = {
		BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN, "vmscan",
		"mm_vmscan_direct_reclaim_begin", 2,
		{ { "order", S }, { "gfp_flags", G } } },
	[BT_EV_VMSCAN_DIRECT_RECLAIM_END] = { BT_EV_VMSCAN_DIRECT_RECLAIM_END,
		"vmscan", "mm_vmscan_direct_reclaim_end", 1,
		{ { "nr_reclaimed", U } } },
	[BT_EV_VMSCAN_MEMCG_RECLAIM_BEGIN] = {
		BT_EV_VMSCAN_MEMCG_RECLAIM_BEGIN, "vmscan",
		"mm_vmscan_memcg_reclaim_begin", 2,
		{ { "order", S }, { "gfp_flags", G } } },
	[BT_EV_VMSCAN_MEMCG_RECLAIM_END] = { BT_EV_VMSCAN_MEMCG_RECLAIM_END,
		"vmscan", "mm_vmscan_memcg_reclaim_end", 1,
		{ { "nr_reclaimed", U } } },

	[BT_EV_OOM_RECLAIM_RETRY_ZONE] = { BT_EV_OOM_RECLAIM_RETRY_ZONE, "oom",
		"reclaim_retry_zone", 8,
		{ { "node", S }, { "zone_idx", S }, { "order", S },
		  { "reclaimable", U }, { "available", U }, { "min_wmark", U },
		  { "no_progress_loops", S }, { "wmark_check", B } } },
	[BT_EV_OOM_COMPACT_RETRY] = { BT_EV_OOM_COMPACT_RETRY, "oom",
		"compact_retry", 6,
		{ { "order", S }, { "priority", S }, { "result", S },
		  { "retries", S }, { "max_retries", S }, { "ret", B } } },
	[BT_EV_OOM_MARK_VICTIM] = { BT_EV_OOM_MARK_VICTIM, "oom", "mark_victim",
		8, { { "pid", S }, { "total_vm", U }, { "anon_rss", U },
		     { "file_rss", U }, { "shmem_rss", U }, { "uid", U },
		     { "pgtables", U }, { "oom_score_adj", S } },
		true, "comm" },
	[BT_EV_OOM_WAKE_REAPER] = { BT_EV_OOM_WAKE_REAPER, "oom", "wake_reaper",
		1, { { "pid", S } } },
	[BT_EV_OOM_START_TASK_REAPING] = { BT_EV_OOM_START_TASK_REAPING, "oom",
		"start_task_reaping", 1, { { "pid", S } } },
	[BT_EV_OOM_FINISH_TASK_REAPING] = { BT_EV_OOM_FINISH_TASK_REAPING, "oom",
		"finish_task_reaping", 1, { { "pid", S } } },
	[BT_EV_OOM_SKIP_TASK_REAPING] = { BT_EV_OOM_SKIP_TASK_REAPING, "oom",
		"skip_task_reaping", 1, { { "pid", S } } },
	[BT_EV_OOM_SCORE_ADJ_UPDATE] = { BT_EV_OOM_SCORE_ADJ_UPDATE, "oom",
		"oom_score_adj_update", 2,
		{ { "pid", S }, { "oom_score_adj", S } }, true, "comm" },

	[BT_EV_PRINT] = { BT_EV_PRINT, "ftrace", "print", 1,
		{ { "ip", BT_FK_HEX } }, true, "buf" },

	[BT_EV_LOST] = { BT_EV_LOST, "buddytrace", "lost_events", 1,
		{ { "count", U } } },
	[BT_EV_SNAPSHOT] = { BT_EV_SNAPSHOT, "buddytrace", "snapshot", 2,
		{ { "index", U }, { "kind", U } } },
	[BT_EV_SLOWPATH_PROBE] = { BT_EV_SLOWPATH_PROBE, "buddytrace",
		"alloc_slowpath", 2, { { "order", S }, { "gfp_flags", G } } },
};

#undef U
#undef S
#undef P
#undef G
#undef B

const struct bt_event_desc *bt_event_desc(unsigned int type)
{
	if (type == BT_EV_NONE || type >= BT_EV_TYPE_COUNT)
		return NULL;
	return &descs[type];
}

/* Older kernels' names for events that the model keeps under one type. */
static const struct {
	const char *name;
	enum bt_event_type type;
} aliases[] = {
	{ "mm_page_free_direct", BT_EV_PAGE_FREE },	/* 3.x */
	{ "mm_vmscan_memcg_softlimit_reclaim_begin",
	  BT_EV_VMSCAN_MEMCG_RECLAIM_BEGIN },
	{ "mm_vmscan_memcg_softlimit_reclaim_end",
	  BT_EV_VMSCAN_MEMCG_RECLAIM_END },
};

enum bt_event_type bt_event_lookup(const char *name)
{
	unsigned int t;
	size_t i;

	for (t = 1; t < BT_EV_TYPE_COUNT; t++)
		if (descs[t].name && !strcmp(descs[t].name, name))
			return (enum bt_event_type)t;
	for (i = 0; i < BT_ARRAY_SIZE(aliases); i++)
		if (!strcmp(aliases[i].name, name))
			return aliases[i].type;
	return BT_EV_NONE;
}

int bt_event_field_index(const struct bt_event_desc *d, const char *name)
{
	unsigned int i;

	for (i = 0; i < d->nr_fields; i++)
		if (!strcmp(d->fields[i].name, name))
			return (int)i;
	return -1;
}

static const char *const snap_names[BT_SNAP_KIND_COUNT] = {
	[BT_SNAP_ZONEINFO] = "zoneinfo",
	[BT_SNAP_BUDDYINFO] = "buddyinfo",
	[BT_SNAP_PAGETYPEINFO] = "pagetypeinfo",
	[BT_SNAP_VMSTAT] = "vmstat",
	[BT_SNAP_MEMINFO] = "meminfo",
	[BT_SNAP_EXTFRAG_INDEX] = "extfrag_index",
	[BT_SNAP_UNUSABLE_INDEX] = "unusable_index",
	[BT_SNAP_KPAGEFLAGS] = "kpageflags",
	[BT_SNAP_SYSCTL_VM] = "sysctl_vm",
	[BT_SNAP_THP] = "transparent_hugepage",
	[BT_SNAP_FREE_BLOCKS] = "free_blocks",
	[BT_SNAP_FREE_TIMES] = "free_blocks_times",
};

const char *bt_snapshot_kind_name(unsigned int kind)
{
	if (kind == 0 || kind >= BT_SNAP_KIND_COUNT)
		return "unknown";
	return snap_names[kind];
}

unsigned int bt_snapshot_kind_lookup(const char *name)
{
	unsigned int k;

	for (k = 1; k < BT_SNAP_KIND_COUNT; k++)
		if (!strcmp(snap_names[k], name))
			return k;
	return 0;
}
