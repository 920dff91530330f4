// SPDX-License-Identifier: GPL-2.0-only
/*
 * snap.c - the few facts analyze/ takes from a trace's /proc snapshots:
 * zone spans and watermarks from zoneinfo, nr_free per order from
 * buddyinfo, counters from vmstat, the pageblock order from pagetypeinfo.
 *
 * Snapshot bytes are hostile input: lines are tokenized within their
 * length, numbers go through bt_parse_u64(), and a line that does not parse
 * is skipped rather than trusted. The parsers keep no state between calls.
 */
#include <errno.h>
#include <string.h>

#include "analyze-internal.h"

#define MAX_TOK 16

struct line {
	const char *tok[MAX_TOK];
	int len[MAX_TOK];
	unsigned int nr;
};

/* Split [s, e) on blanks and commas; returns the end of the line. */
static const char *split_line(const char *s, const char *end, struct line *l)
{
	const char *e = memchr(s, '\n', (size_t)(end - s));

	if (!e)
		e = end;
	l->nr = 0;
	while (s < e) {
		while (s < e && (*s == ' ' || *s == '\t' || *s == ','))
			s++;
		if (s >= e)
			break;
		const char *t = s;

		while (s < e && *s != ' ' && *s != '\t' && *s != ',')
			s++;
		if (l->nr < MAX_TOK) {
			l->tok[l->nr] = t;
			l->len[l->nr] = (int)(s - t);
			l->nr++;
		}
	}
	return e < end ? e + 1 : end;
}

static bool tok_is(const struct line *l, unsigned int i, const char *w)
{
	size_t n = strlen(w);

	return i < l->nr && (size_t)l->len[i] == n && !memcmp(l->tok[i], w, n);
}

static int tok_u64(const struct line *l, unsigned int i, uint64_t *v)
{
	if (i >= l->nr)
		return BT_E_PARSE;
	return bt_parse_u64(l->tok[i], l->len[i], 10, v);
}

static void tok_copy(const struct line *l, unsigned int i, char *dst,
		     size_t size)
{
	size_t n = i < l->nr ? (size_t)l->len[i] : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, l->tok[i], n);
	dst[n] = '\0';
}

/* "Node N, zone NAME": fills node and name, returns true on a match. */
static bool zone_header(const struct line *l, int *node, char *name,
			size_t size)
{
	uint64_t n;

	if (!tok_is(l, 0, "Node") || !tok_is(l, 2, "zone") || l->nr < 4)
		return false;
	if (tok_u64(l, 1, &n) || n > 1024)
		return false;
	*node = (int)n;
	tok_copy(l, 3, name, size);
	return true;
}

static void zoneinfo_field(const struct line *l, struct bt_snap_zone *z)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "min", offsetof(struct bt_snap_zone, min) },
		{ "low", offsetof(struct bt_snap_zone, low) },
		{ "high", offsetof(struct bt_snap_zone, high) },
		{ "spanned", offsetof(struct bt_snap_zone, spanned) },
		{ "present", offsetof(struct bt_snap_zone, present) },
		{ "managed", offsetof(struct bt_snap_zone, managed) },
		{ "start_pfn:", offsetof(struct bt_snap_zone, start_pfn) },
	};
	uint64_t v;
	size_t i;

	if (l->nr == 3 && tok_is(l, 0, "pages") && tok_is(l, 1, "free")) {
		if (!tok_u64(l, 2, &v))
			z->free = v;
		return;
	}
	if (l->nr != 2)
		return;
	for (i = 0; i < BT_ARRAY_SIZE(keys); i++) {
		if (tok_is(l, 0, keys[i].key) && !tok_u64(l, 1, &v)) {
			*(uint64_t *)((char *)z + keys[i].off) = v;
			return;
		}
	}
}

int bt_snap_parse_zoneinfo(const char *s, size_t len, struct bt_snap_zones *out)
{
	const char *end = s + len;
	struct bt_snap_zone *cur = NULL;
	struct line l;

	memset(out, 0, sizeof(*out));
	while (s < end) {
		s = split_line(s, end, &l);
		int node;
		char name[16];

		if (zone_header(&l, &node, name, sizeof(name))) {
			cur = NULL;
			if (out->nr >= BT_ARRAY_SIZE(out->z))
				continue;
			cur = &out->z[out->nr++];
			cur->node = node;
			bt_strlcpy(cur->name, name, sizeof(cur->name));
			continue;
		}
		if (cur)
			zoneinfo_field(&l, cur);
	}
	return out->nr ? 0 : BT_E_PARSE;
}

int bt_snap_parse_buddyinfo(const char *s, size_t len,
			    struct bt_snap_buddy *out)
{
	const char *end = s + len;
	struct line l;
	unsigned int o;

	out->nr = 0;
	while (s < end) {
		s = split_line(s, end, &l);
		int node;
		char name[16];

		if (!zone_header(&l, &node, name, sizeof(name)))
			continue;
		if (out->nr >= BT_ARRAY_SIZE(out->z))
			continue;
		memset(&out->z[out->nr], 0, sizeof(out->z[0]));
		for (o = 0; o < BT_AN_ORDERS && 4 + o < l.nr; o++)
			if (tok_u64(&l, 4 + o, &out->z[out->nr].nr_free[o]))
				break;
		if (o == 0)
			continue;
		out->z[out->nr].node = node;
		bt_strlcpy(out->z[out->nr].name, name, sizeof(name));
		out->nr++;
	}
	return out->nr ? 0 : BT_E_PARSE;
}

static int vmstat_scan(const char *s, size_t len, const char *name,
		       bool prefix, uint64_t *out)
{
	const char *end = s + len;
	size_t n = strlen(name);
	bool found = false;
	struct line l;
	uint64_t v;

	*out = 0;
	while (s < end) {
		s = split_line(s, end, &l);
		if (l.nr != 2 || (size_t)l.len[0] < n ||
		    memcmp(l.tok[0], name, n))
			continue;
		if (!prefix && (size_t)l.len[0] != n)
			continue;
		if (tok_u64(&l, 1, &v))
			continue;
		*out += v;
		found = true;
		if (!prefix)
			break;
	}
	return found ? 0 : -ENOENT;
}

int bt_snap_vmstat_get(const char *s, size_t len, const char *name,
		       uint64_t *out)
{
	return vmstat_scan(s, len, name, false, out);
}

int bt_snap_vmstat_sum(const char *s, size_t len, const char *prefix,
		       uint64_t *out)
{
	return vmstat_scan(s, len, prefix, true, out);
}

int bt_snap_pageblock_order(const char *s, size_t len, unsigned int *out)
{
	const char *end = s + len;
	struct line l;
	uint64_t v;

	while (s < end) {
		s = split_line(s, end, &l);
		if (l.nr == 4 && tok_is(&l, 0, "Page") && tok_is(&l, 1, "block")
		    && tok_is(&l, 2, "order:") && !tok_u64(&l, 3, &v) &&
		    v > 0 && v < 20) {
			*out = (unsigned int)v;
			return 0;
		}
	}
	return -ENOENT;
}

unsigned int bt_snap_zone_of(const struct bt_snap_zones *zs, uint64_t pfn)
{
	unsigned int i;

	if (!zs)
		return BT_AN_ZONE_UNKNOWN;
	for (i = 0; i < zs->nr; i++) {
		const struct bt_snap_zone *z = &zs->z[i];

		if (z->spanned && pfn >= z->start_pfn &&
		    pfn - z->start_pfn < z->spanned)
			return i;
	}
	return BT_AN_ZONE_UNKNOWN;
}
