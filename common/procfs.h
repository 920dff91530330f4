/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * procfs.h - checked parsers of the /proc and debugfs files that describe
 * the page allocator: zoneinfo, buddyinfo, pagetypeinfo, debugfs
 * extfrag/extfrag_index and extfrag/unusable_index, vmstat, meminfo and
 * /proc/sys/vm "name value" lists.
 *
 * Every parser works on a text buffer (pointer and length; NUL bytes are
 * ordinary characters) and fills plain structs: reading the file is the
 * caller's job (bt_read_file(), or a snapshot of a .bt trace). All input
 * is hostile: lines of any length, missing or duplicated fields, numbers
 * that overflow, tables with too many columns. A parser never crashes on
 * such input; it returns BT_E_PARSE or BT_E_RANGE and, when the caller
 * passes a struct bt_proc_error, the line and a one-line reason.
 *
 * The formats are those of mm/vmstat.c from 4.x to 6.x: fields that a
 * kernel does not print (boost and promo before 5.0/6.x, high_min and
 * high_max before 6.7, start_pfn of very old kernels) are flagged as
 * absent rather than guessed. Zone names are kept as the kernel prints
 * them ("DMA", "DMA32", "Normal", "Movable", "Device").
 */
#ifndef BT_PROCFS_H
#define BT_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

#define BT_PROC_MAX_ORDERS 16	/* columns accepted per buddyinfo row */
#define BT_PROC_MAX_NR_ZONES 8	/* entries of a protection array */
#define BT_PROC_MAX_TYPES 8	/* migratetype columns of pagetypeinfo */
#define BT_PROC_NAME_LEN 16	/* zone and migratetype names, with NUL */
#define BT_PROC_MAX_ZONES 4096	/* zones in one file (nodes x zones) */
#define BT_PROC_MAX_CPUS 16384	/* pagesets per zone */
#define BT_PROC_MAX_KV 65536	/* lines of a name-value file */
#define BT_PROC_KV_NAME 64
#define BT_PROC_KV_VALUES 8	/* values per sysctl line */

/* Where and why a parse failed. */
struct bt_proc_error {
	unsigned int line;	/* 1-based; 0 = not tied to a line */
	char msg[128];
};

/* ---- /proc/zoneinfo ---- */

/* One "cpu: N" entry of a zone's pagesets. */
struct bt_proc_pcp {
	unsigned int cpu;
	uint64_t count, high, batch;
	uint64_t high_min, high_max;	/* 6.7+; has_high_min says */
	bool has_high_min, has_high_max;
};

/**
 * struct bt_proc_zone - one "Node N, zone NAME" section of zoneinfo
 *
 * min/low/high/promo are as printed, i.e. with the watermark boost
 * included (subtract @boost to get the kernel's _watermark[]).
 * @pcp is owned by the struct bt_zoneinfo it belongs to.
 */
struct bt_proc_zone {
	int node;
	char name[BT_PROC_NAME_LEN];
	uint64_t free;			/* "pages free" */
	uint64_t boost, min, low, high, promo;
	uint64_t spanned, present, managed, cma;
	bool has_boost, has_promo, has_cma, has_start_pfn;
	bool has_nr_free_pages, has_highatomic;
	unsigned int nr_protection;
	uint64_t protection[BT_PROC_MAX_NR_ZONES];
	uint64_t nr_free_pages;		/* zone counter (excludes pcp) */
	/* LRU sizes of the zone (nr_zone_{in,}active_{anon,file}) */
	uint64_t lru_inactive_anon, lru_active_anon;
	uint64_t lru_inactive_file, lru_active_file;
	uint64_t start_pfn;
	uint64_t reserved_highatomic, free_highatomic;
	int node_unreclaimable;		/* -1 when not printed */
	unsigned int nr_pcp;
	struct bt_proc_pcp *pcp;
};

struct bt_zoneinfo {
	unsigned int nr_zones;
	struct bt_proc_zone *zones;
};

void bt_zoneinfo_init(struct bt_zoneinfo *zi);
void bt_zoneinfo_release(struct bt_zoneinfo *zi);

/**
 * bt_zoneinfo_parse - parse the text of /proc/zoneinfo
 * @zi: an initialized, empty struct; filled on success, left empty on error
 * @text: the file's bytes
 * @len: their number
 * @err: receives the line and reason on failure; may be NULL
 *
 * Every zone must print min, low, high, spanned, present and managed.
 * Returns 0, BT_E_PARSE, BT_E_RANGE or -ENOMEM.
 */
int bt_zoneinfo_parse(struct bt_zoneinfo *zi, const char *text, size_t len,
		      struct bt_proc_error *err);

/* The zone of @node named @name, or NULL; borrowed from @zi. */
const struct bt_proc_zone *bt_zoneinfo_find(const struct bt_zoneinfo *zi,
					    int node, const char *name);

/* ---- /proc/buddyinfo and debugfs extfrag_index / unusable_index ---- */

/*
 * A per-zone row of numbers per order. buddyinfo gives nr_free counts;
 * the debugfs files give indices in thousandths (-1.000 is -1000).
 */
struct bt_proc_orders {
	int node;
	char name[BT_PROC_NAME_LEN];
	unsigned int nr_orders;
	int64_t v[BT_PROC_MAX_ORDERS];
};

struct bt_proc_table {
	unsigned int nr_zones;
	unsigned int nr_orders;		/* the same for every row */
	struct bt_proc_orders *zones;
};

void bt_proc_table_init(struct bt_proc_table *t);
void bt_proc_table_release(struct bt_proc_table *t);

/**
 * bt_buddyinfo_parse - parse /proc/buddyinfo ("Node 0, zone DMA 1 2 ...")
 *
 * Counts are unsigned; rows must all have the same number of orders.
 * Returns 0, BT_E_PARSE, BT_E_RANGE or -ENOMEM; @t is empty on error.
 */
int bt_buddyinfo_parse(struct bt_proc_table *t, const char *text, size_t len,
		       struct bt_proc_error *err);

/**
 * bt_fragindex_parse - parse debugfs extfrag/extfrag_index or
 * extfrag/unusable_index
 *
 * Each value is printed by the kernel as "%d.%03d" of (index / 1000,
 * index % 1000) with C's truncating division, so "-1.000" is -1000 and
 * " 0.-999" (possible in extfrag_index) is -999; v[] gets the index back.
 */
int bt_fragindex_parse(struct bt_proc_table *t, const char *text, size_t len,
		       struct bt_proc_error *err);

/* The row of @node named @name, or NULL; borrowed. */
const struct bt_proc_orders *bt_proc_table_find(const struct bt_proc_table *t,
						int node, const char *name);

/* ---- /proc/pagetypeinfo ---- */

struct bt_proc_ptzone {
	int node;
	char name[BT_PROC_NAME_LEN];
	/* free blocks per migratetype and order; capped rows say ">100000" */
	uint64_t free[BT_PROC_MAX_TYPES][BT_PROC_MAX_ORDERS];
	bool capped[BT_PROC_MAX_TYPES];
	bool has_free[BT_PROC_MAX_TYPES];
	/* "Number of blocks type": pageblocks per migratetype */
	uint64_t blocks[BT_PROC_MAX_TYPES];
	bool has_blocks;
};

/**
 * struct bt_pagetypeinfo - /proc/pagetypeinfo
 *
 * Migratetypes are indexed in the order the kernel prints them, which is
 * its enum order (Unmovable 0, Movable 1, Reclaimable 2, HighAtomic 3,
 * then CMA and Isolate as configured); @type_names holds the names.
 */
struct bt_pagetypeinfo {
	unsigned int pageblock_order;
	unsigned int pages_per_block;
	unsigned int nr_orders;
	unsigned int nr_types;
	char type_names[BT_PROC_MAX_TYPES][BT_PROC_NAME_LEN];
	unsigned int nr_zones;
	struct bt_proc_ptzone *zones;
};

void bt_pagetypeinfo_init(struct bt_pagetypeinfo *pt);
void bt_pagetypeinfo_release(struct bt_pagetypeinfo *pt);
int bt_pagetypeinfo_parse(struct bt_pagetypeinfo *pt, const char *text,
			  size_t len, struct bt_proc_error *err);
const struct bt_proc_ptzone *bt_pagetypeinfo_find(
	const struct bt_pagetypeinfo *pt, int node, const char *name);
/* Index of a migratetype by its printed name ("Movable"), or -1. */
int bt_pagetypeinfo_type(const struct bt_pagetypeinfo *pt, const char *name);

/* ---- name-value files: vmstat, meminfo, /proc/sys/vm lists ---- */

struct bt_proc_kv {
	char name[BT_PROC_KV_NAME];
	unsigned int nr;		/* numeric values; 0 for text values */
	int64_t v[BT_PROC_KV_VALUES];
};

struct bt_kvlist {
	unsigned int nr;
	struct bt_proc_kv *kv;
};

void bt_kvlist_init(struct bt_kvlist *l);
void bt_kvlist_release(struct bt_kvlist *l);

/* /proc/vmstat: "name value" with one unsigned value per line. */
int bt_vmstat_parse(struct bt_kvlist *l, const char *text, size_t len,
		    struct bt_proc_error *err);
/* /proc/meminfo: "Name:   value [kB]"; values kept as printed (kB). */
int bt_meminfo_parse(struct bt_kvlist *l, const char *text, size_t len,
		     struct bt_proc_error *err);
/*
 * Sysctl lists: "name value [value...]" or "name = value ..." per line,
 * as `sysctl vm` prints them ("vm." prefixes are dropped). A value that is
 * not a list of integers (numa_zonelist_order "Node") is kept with nr 0.
 */
int bt_sysctl_parse(struct bt_kvlist *l, const char *text, size_t len,
		    struct bt_proc_error *err);

/* Entry named @name or NULL; borrowed. */
const struct bt_proc_kv *bt_kvlist_find(const struct bt_kvlist *l,
					const char *name);
/* First value of @name into @out; false when absent or not numeric. */
bool bt_kvlist_get(const struct bt_kvlist *l, const char *name,
		   int64_t *out);

#endif
