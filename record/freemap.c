// SPDX-License-Identifier: GPL-2.0-only
/*
 * freemap.c - the free-page map from /proc/kpageflags.
 *
 * On current kernels every page of a free buddy block carries KPF_BUDDY,
 * not only its head, so the free blocks themselves cannot be read, only
 * runs of free pages. The buddy allocator merges every free block with its
 * free buddy, so within a zone a run splits into the maximal naturally
 * aligned blocks, greedily from its start: that reproduces the kernel's
 * free lists (and /proc/buddyinfo of a quiet zone) exactly.
 *
 * kpageflags holds 8 bytes per pfn: 48 MB for a 24 GB machine. Only the
 * populated zones' spans are read, in large chunks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/freeblocks.h"
#include "record-internal.h"

#define KPF_BUDDY 10
#define KPF_NOPAGE 20
#define CHUNK_PAGES (64 * 1024)
/*
 * With read times, one read per aligned 8192 pages (about 1.5 ms each,
 * 32 KB of flags): a page's read time is then known to a millisecond or
 * so, no free block straddles two ranges, and the times of a 24 GB
 * machine take 768 lines (about 8 KB compressed).
 */
#define TIMED_PAGES 8192

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "Node 0, zone   Normal" -> node and name. */
static int zone_header(const char *line, struct bt_rec_zone_span *z)
{
	const char *p = line + 4;
	const char *comma = strchr(p, ',');
	size_t n;

	if (!comma || bt_parse_int(skip_ws(p), comma - skip_ws(p), 10,
				   &z->node) < 0)
		return BT_E_PARSE;
	p = strstr(comma, "zone");
	if (!p)
		return BT_E_PARSE;
	p = skip_ws(p + 4);
	n = strcspn(p, " \n");
	if (!n || n >= sizeof(z->name))
		return BT_E_PARSE;
	memcpy(z->name, p, n);
	z->name[n] = '\0';
	return 0;
}

static int line_value(const char *line, const char *key, uint64_t *v)
{
	const char *p = skip_ws(line);
	size_t k = strlen(key);

	if (strncmp(p, key, k))
		return 1;
	p = skip_ws(p + k);
	return bt_parse_u64(p, (long)strcspn(p, " \n"), 10, v);
}

int bt_rec_zone_spans(const char *zoneinfo, struct bt_rec_zone_span *z,
		      unsigned int max)
{
	struct bt_rec_zone_span cur;
	const char *line = zoneinfo;
	uint64_t spanned = 0, v;
	unsigned int nr = 0;
	bool in_zone = false;

	memset(&cur, 0, sizeof(cur));
	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (!strncmp(line, "Node", 4)) {
			if (zone_header(line, &cur) < 0)
				return BT_E_PARSE;
			in_zone = true;
			spanned = 0;
		} else if (in_zone && line_value(line, "spanned", &v) == 0) {
			spanned = v;
		} else if (in_zone && line_value(line, "start_pfn:", &v) == 0) {
			in_zone = false;
			if (!spanned || nr >= max)
				continue;
			if (v + spanned < v)
				return BT_E_RANGE;
			cur.start_pfn = v;
			cur.end_pfn = v + spanned;
			z[nr++] = cur;
		}
	}
	return (int)nr;
}

void bt_rec_split_run(uint64_t start, uint64_t end, unsigned int max_order,
		      void (*fn)(void *data, uint64_t pfn, unsigned int order),
		      void *data)
{
	while (start < end) {
		unsigned int o = 0;

		while (o < max_order && !(start & ((2ull << o) - 1)) &&
		       start + (2ull << o) <= end)
			o++;
		fn(data, start, o);
		start += 1ull << o;
	}
}


struct split_ctx {
	struct bt_buf *out;
	struct bt_buf *times;
	struct bt_rec_freecount *count;
	int err;
};

static void split_cb(void *data, uint64_t pfn, unsigned int order)
{
	struct split_ctx *c = data;

	if (c->count && order < BT_REC_MAX_ORDER)
		c->count->n[order]++;
	if (!c->err && c->out)
		c->err = bt_free_blocks_put(c->out, pfn, order);
}

/* Scan one zone's span, splitting each run of buddy pages. */
static int scan_zone(int fd, const struct bt_rec_zone_span *z,
		     unsigned int max_order, uint64_t *flags,
		     struct split_ctx *c)
{
	uint64_t pfn = z->start_pfn, run = UINT64_MAX, i;
	ssize_t got;

	while (pfn < z->end_pfn) {
		size_t n = (size_t)BT_MIN(z->end_pfn - pfn, CHUNK_PAGES);
		struct bt_free_time t;

		if (c->times)
			n = (size_t)BT_MIN(z->end_pfn - pfn,
					   TIMED_PAGES - pfn % TIMED_PAGES);
		t.t0 = c->times ? bt_rec_now() : 0;
		got = pread(fd, flags, n * 8, (off_t)(pfn * 8));
		if (got < 0)
			return -errno;
		if (got < 8)
			break;
		n = (size_t)got / 8;
		if (c->times) {
			t.t1 = bt_rec_now();
			t.lo = pfn;
			t.hi = pfn + n;
			if (!c->err)
				c->err = bt_free_times_put(c->times, &t);
		}
		for (i = 0; i < n; i++) {
			bool free_page = (flags[i] >> KPF_BUDDY) & 1 &&
					 !((flags[i] >> KPF_NOPAGE) & 1);

			if (free_page && run == UINT64_MAX)
				run = pfn + i;
			else if (!free_page && run != UINT64_MAX) {
				bt_rec_split_run(run, pfn + i, max_order,
						 split_cb, c);
				run = UINT64_MAX;
			}
		}
		pfn += n;
	}
	if (run != UINT64_MAX)
		bt_rec_split_run(run, pfn, max_order, split_cb, c);
	return c->err;
}

int bt_rec_freemap_read(const char *kpageflags,
			const struct bt_rec_zone_span *z, unsigned int nr,
			unsigned int max_order, struct bt_buf *out,
			struct bt_buf *times, struct bt_rec_freecount *counts)
{
	struct split_ctx c = { out, times, NULL, 0 };
	uint64_t *flags;
	unsigned int i;
	int fd, ret = 0;

	fd = open(kpageflags, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	flags = malloc(CHUNK_PAGES * sizeof(*flags));
	if (!flags) {
		close(fd);
		return -ENOMEM;
	}
	for (i = 0; i < nr && !ret; i++) {
		c.count = counts ? &counts[i] : NULL;
		if (c.count)
			memset(c.count, 0, sizeof(*c.count));
		ret = scan_zone(fd, &z[i], max_order, flags, &c);
	}
	free(flags);
	close(fd);
	return ret;
}

int bt_rec_freemap_decode(const unsigned char *p, size_t len,
			  struct bt_rec_block **out, size_t *nr)
{
	const char *pos = (const char *)p, *end = pos + len;
	struct bt_rec_block *b = NULL, *n;
	size_t cap = 0, cnt = 0;
	unsigned int order;
	uint64_t pfn;
	int ret;

	while ((ret = bt_free_blocks_next(&pos, end, 63, &pfn, &order)) > 0) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			n = realloc(b, cap * sizeof(*b));
			if (!n) {
				free(b);
				return -ENOMEM;
			}
			b = n;
		}
		b[cnt].pfn = pfn;
		b[cnt++].order = order;
	}
	if (ret < 0) {
		free(b);
		return BT_E_CORRUPT;
	}
	*out = b;
	*nr = cnt;
	return 0;
}
