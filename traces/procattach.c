// SPDX-License-Identifier: GPL-2.0-only
/*
 * procattach.c - /proc state saved by hand around a recording made with
 * another tool (import --proc-before/--proc-after DIR), stored as
 * snapshots at a given trace time.
 *
 * DIR holds files named as in /proc: zoneinfo, buddyinfo, pagetypeinfo,
 * vmstat, meminfo, extfrag_index and unusable_index (from debugfs), a
 * kpageflags copy (raw or .zst), a vm/ copy of /proc/sys/vm and a
 * transparent_hugepage/ copy with enabled and defrag. kpageflags is not
 * stored raw (8 bytes per page: 50 MB for 24 GB of memory); it becomes the
 * free blocks it describes: every page of a free buddy block carries
 * KPF_BUDDY, and splitting each run of such pages into maximal aligned
 * blocks gives one "pfn order" line per free block (BT_SNAP_FREE_BLOCKS).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zstd.h>

#include "procattach.h"

#define PA_KPF_BUDDY (1ull << 10)
#define PA_MAX_ORDER 10
#define PA_MAX_KPAGEFLAGS (1ull << 33)	/* 8 GB: 4 TB of memory */

static int pa_add(struct bt_writer *w, unsigned int kind, uint64_t ts,
		  const struct bt_buf *b, unsigned int *nr)
{
	int err = bt_writer_add_snapshot(w, kind, ts, b->data, b->len);

	if (!err)
		(*nr)++;
	return err;
}

static int pa_unzstd(const struct bt_buf *in, struct bt_buf *out)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in->data, in->len, 0 };
	size_t r = 1;
	int err = 0;

	if (!z)
		return -ENOMEM;
	while (!err && ib.pos < ib.size && r) {
		ZSTD_outBuffer ob;

		err = bt_buf_reserve(out, 1 << 20);
		if (err)
			break;
		ob = (ZSTD_outBuffer){ out->data + out->len,
				       out->cap - out->len, 0 };
		r = ZSTD_decompressStream(z, &ob, &ib);
		if (ZSTD_isError(r))
			err = BT_E_ZSTD;
		out->len += ob.pos;
		if (out->len > PA_MAX_KPAGEFLAGS)
			err = BT_E_RANGE;
	}
	if (!err && r)
		err = BT_E_ZSTD;	/* frame cut short */
	ZSTD_freeDStream(z);
	return err;
}

static int pa_emit_run(struct bt_buf *out, uint64_t start, uint64_t end)
{
	int err = 0;

	while (start < end && !err) {
		unsigned int order = 0;

		while (order < PA_MAX_ORDER &&
		       !(start & ((2ull << order) - 1)) &&
		       start + (2ull << order) <= end)
			order++;
		err = bt_buf_printf(out, "%llu %u\n",
				    (unsigned long long)start, order);
		start += 1ull << order;
	}
	return err;
}

/**
 * bt_proc_free_blocks - free buddy blocks from a raw /proc/kpageflags copy
 * @kpf: 8 bytes per pfn, from pfn 0
 * @out: receives "pfn order\n" lines, pfn ascending
 *
 * Returns 0 or -ENOMEM.
 */
int bt_proc_free_blocks(const unsigned char *kpf, size_t len,
			struct bt_buf *out)
{
	uint64_t n = len / 8, pfn, start = 0;
	bool in_run = false;
	int err = 0;

	for (pfn = 0; pfn <= n && !err; pfn++) {
		uint64_t flags = 0;
		bool buddy;

		if (pfn < n)
			memcpy(&flags, kpf + pfn * 8, 8);
		buddy = pfn < n && (flags & PA_KPF_BUDDY);
		if (buddy && !in_run)
			start = pfn;
		if (!buddy && in_run)
			err = pa_emit_run(out, start, pfn);
		in_run = buddy;
	}
	return err;
}

static int pa_kpageflags(struct bt_writer *w, const char *path, bool zst,
			 uint64_t ts, unsigned int *nr)
{
	struct bt_buf raw, plain, blocks;
	int err;

	bt_buf_init(&raw);
	bt_buf_init(&plain);
	bt_buf_init(&blocks);
	err = bt_read_file(path, &raw);
	if (!err && zst)
		err = pa_unzstd(&raw, &plain);
	if (!err)
		err = bt_proc_free_blocks(zst ? plain.data : raw.data,
					  zst ? plain.len : raw.len, &blocks);
	if (!err)
		err = pa_add(w, BT_SNAP_FREE_BLOCKS, ts, &blocks, nr);
	bt_buf_release(&raw);
	bt_buf_release(&plain);
	bt_buf_release(&blocks);
	return err;
}

/* One "name value" line per file of a directory (vm/, thp/). */
static int pa_dir_lines(const char *dir, struct bt_buf *out)
{
	struct dirent **names;
	int n, i, err = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		struct bt_buf v;
		char path[4096];
		size_t len;

		if (names[i]->d_name[0] == '.' || err) {
			free(names[i]);
			continue;
		}
		bt_buf_init(&v);
		if (snprintf(path, sizeof(path), "%s/%s", dir,
			     names[i]->d_name) < (int)sizeof(path) &&
		    !bt_read_file(path, &v)) {
			len = v.len;
			while (len && (v.data[len - 1] == '\n'))
				len--;
			for (size_t k = 0; k < len; k++)
				if (v.data[k] == '\n')
					v.data[k] = ' ';
			err = bt_buf_printf(out, "%s %.*s\n", names[i]->d_name,
					    (int)len, (const char *)v.data);
		}
		bt_buf_release(&v);
		free(names[i]);
	}
	free(names);
	return err;
}

static int pa_one(struct bt_writer *w, const char *dir, const char *name,
		  uint64_t ts, unsigned int *nr)
{
	char path[4096];
	unsigned int kind;
	struct bt_buf b;
	struct stat sb;
	int err;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	if (stat(path, &sb))
		return -errno;
	if (!strcmp(name, "kpageflags") || !strcmp(name, "kpageflags.zst"))
		return pa_kpageflags(w, path, name[10] == '.', ts, nr);
	bt_buf_init(&b);
	if (S_ISDIR(sb.st_mode) && (!strcmp(name, "vm") ||
				    !strcmp(name, "transparent_hugepage"))) {
		kind = name[0] == 'v' ? BT_SNAP_SYSCTL_VM : BT_SNAP_THP;
		err = pa_dir_lines(path, &b);
	} else {
		kind = bt_snapshot_kind_lookup(name);
		if (!kind || !S_ISREG(sb.st_mode) ||
		    kind == BT_SNAP_KPAGEFLAGS || kind == BT_SNAP_FREE_BLOCKS) {
			bt_note("'%s': not a /proc file buddytrace keeps, "
				"ignored", path);
			return 0;
		}
		err = bt_read_file(path, &b);
	}
	if (!err)
		err = pa_add(w, kind, ts, &b, nr);
	bt_buf_release(&b);
	return err;
}

int bt_proc_attach(struct bt_writer *w, const char *dir, uint64_t ts,
		   unsigned int *nr)
{
	struct dirent **names;
	int n, i, err = 0;

	*nr = 0;
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && !err)
			err = pa_one(w, dir, names[i]->d_name, ts, nr);
		free(names[i]);
	}
	free(names);
	return err;
}
