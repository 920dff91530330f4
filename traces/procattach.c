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
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zstd.h>

#include "procattach.h"

#define PA_KPF_BUDDY (1ull << 10)
#define PA_MAX_ORDER 10
#define PA_MAX_KPAGEFLAGS (1ull << 33)	/* 8 GB: 4 TB of memory */
#define PA_BLOCK (1u << 20)

/*
 * The free-block scan over kpageflags bytes fed in pieces of any size, so
 * that neither a raw copy nor a decompressed one (a few KB of zstd may
 * promise gigabytes) is ever held whole.
 */
struct pa_scan {
	struct bt_buf *out;
	uint64_t pfn, start;		/* next pfn; start of the run */
	bool in_run;
	unsigned char part[8];		/* a pfn's flags split across pieces */
	unsigned int part_len;
};

static int pa_add(struct bt_writer *w, unsigned int kind, uint64_t ts,
		  const struct bt_buf *b, unsigned int *nr)
{
	int err = bt_writer_add_snapshot(w, kind, ts, b->data, b->len);

	if (!err)
		(*nr)++;
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

static int pa_scan_flags(struct pa_scan *sc, uint64_t flags)
{
	bool buddy = flags & PA_KPF_BUDDY;
	int err = 0;

	if (buddy && !sc->in_run)
		sc->start = sc->pfn;
	if (!buddy && sc->in_run)
		err = pa_emit_run(sc->out, sc->start, sc->pfn);
	sc->in_run = buddy;
	sc->pfn++;
	return err;
}

static int pa_scan_feed(struct pa_scan *sc, const unsigned char *p,
			size_t len)
{
	uint64_t flags;
	int err = 0;

	while (sc->part_len && len && sc->part_len < 8) {
		sc->part[sc->part_len++] = *p++;
		len--;
	}
	if (sc->part_len == 8) {
		memcpy(&flags, sc->part, 8);
		sc->part_len = 0;
		err = pa_scan_flags(sc, flags);
	}
	for (; !err && len >= 8; p += 8, len -= 8) {
		memcpy(&flags, p, 8);
		err = pa_scan_flags(sc, flags);
	}
	if (!err && len) {
		memcpy(sc->part + sc->part_len, p, len);
		sc->part_len += (unsigned int)len;
	}
	return err;
}

/* The run open at the end; a partial last pfn is dropped. */
static int pa_scan_end(struct pa_scan *sc)
{
	return sc->in_run ? pa_emit_run(sc->out, sc->start, sc->pfn) : 0;
}

int bt_proc_free_blocks(const unsigned char *kpf, size_t len,
			struct bt_buf *out)
{
	struct pa_scan sc = { .out = out };
	int err = pa_scan_feed(&sc, kpf, len);

	return err ? err : pa_scan_end(&sc);
}

/* Decompress one piece of a .zst into the scan; *done at the frame end. */
static int pa_unzstd_feed(ZSTD_DStream *z, const unsigned char *p,
			  size_t len, unsigned char *tmp, struct pa_scan *sc,
			  bool *done)
{
	ZSTD_inBuffer ib = { p, len, 0 };
	int err = 0;

	while (!err && ib.pos < ib.size && !*done) {
		ZSTD_outBuffer ob = { tmp, PA_BLOCK, 0 };
		size_t r = ZSTD_decompressStream(z, &ob, &ib);

		if (ZSTD_isError(r))
			return BT_E_ZSTD;
		*done = r == 0;
		err = pa_scan_feed(sc, tmp, ob.pos);
		if (!err && sc->pfn > PA_MAX_KPAGEFLAGS / 8)
			err = BT_E_RANGE;
	}
	return err;
}

/* Read @f to its end, through zstd when @z is given, into the scan. */
static int pa_kpageflags_read(FILE *f, ZSTD_DStream *z, struct pa_scan *sc)
{
	unsigned char *in = malloc(PA_BLOCK), *tmp = malloc(PA_BLOCK);
	bool done = false;
	size_t n;
	int err = in && tmp ? 0 : -ENOMEM;

	while (!err && (n = fread(in, 1, PA_BLOCK, f)) > 0) {
		if (z)
			err = pa_unzstd_feed(z, in, n, tmp, sc, &done);
		else
			err = pa_scan_feed(sc, in, n);
		if (!err && !z && sc->pfn > PA_MAX_KPAGEFLAGS / 8)
			err = BT_E_RANGE;
	}
	if (!err && ferror(f))
		err = -EIO;
	if (!err && z && !done)
		err = BT_E_ZSTD;	/* frame cut short */
	free(in);
	free(tmp);
	return err;
}

static int pa_kpageflags(struct bt_writer *w, const char *path, bool zst,
			 uint64_t ts, unsigned int *nr)
{
	struct bt_buf blocks;
	struct pa_scan sc = { .out = &blocks };
	ZSTD_DStream *z = NULL;
	FILE *f;
	int err;

	f = fopen(path, "rb");
	if (!f)
		return -errno;
	bt_buf_init(&blocks);
	if (zst && !(z = ZSTD_createDStream())) {
		err = -ENOMEM;
		goto out_close;
	}
	err = pa_kpageflags_read(f, z, &sc);
	if (!err)
		err = pa_scan_end(&sc);
	if (!err)
		err = pa_add(w, BT_SNAP_FREE_BLOCKS, ts, &blocks, nr);
	ZSTD_freeDStream(z);
out_close:
	fclose(f);
	bt_buf_release(&blocks);
	return err;
}

#define PA_MAX_VALUE 65536	/* a /proc/sys/vm value file, at most */

/* @fn on every entry of @dir but dot files, in name order, until one fails */
static int pa_each(const char *dir,
		   int (*fn)(const char *dir, const char *name, void *ctx),
		   void *ctx)
{
	struct dirent **names;
	int n, i, err = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && !err)
			err = fn(dir, names[i]->d_name, ctx);
		free(names[i]);
	}
	free(names);
	return err;
}

/*
 * "name value" for one file of vm/ or transparent_hugepage/, newlines
 * folded; anything but a small regular file (a fifo, a link to a device)
 * is skipped rather than read.
 */
static int pa_line(const char *dir, const char *name, void *ctx)
{
	struct bt_buf *out = ctx, v;
	char path[4096];
	struct stat sb;
	size_t len, k;
	int err = 0;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path) || stat(path, &sb) || !S_ISREG(sb.st_mode) ||
	    sb.st_size > PA_MAX_VALUE)
		return 0;
	bt_buf_init(&v);
	if (!bt_read_file(path, &v)) {
		len = v.len;
		while (len && (v.data[len - 1] == '\n'))
			len--;
		for (k = 0; k < len; k++)
			if (v.data[k] == '\n')
				v.data[k] = ' ';
		err = bt_buf_printf(out, "%s %.*s\n", name, (int)len,
				    (const char *)v.data);
	}
	bt_buf_release(&v);
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
		err = pa_each(path, pa_line, &b);
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

struct pa_attach {
	struct bt_writer *w;
	uint64_t ts;
	unsigned int *nr;
};

static int pa_entry(const char *dir, const char *name, void *ctx)
{
	struct pa_attach *a = ctx;

	return pa_one(a->w, dir, name, a->ts, a->nr);
}

int bt_proc_attach(struct bt_writer *w, const char *dir, uint64_t ts,
		   unsigned int *nr)
{
	struct pa_attach a = { w, ts, nr };

	*nr = 0;
	return pa_each(dir, pa_entry, &a);
}
