// SPDX-License-Identifier: GPL-2.0-only
/*
 * freeblocks.c - the free-page map payload (a .bt BT_SNAP_FREE_BLOCKS
 * snapshot): one "pfn order" line per free buddy block, both decimal, in
 * pfn order. The recorder and the importer write it; allocator setup and
 * replay read it. The recorder also says when it read each range of pfns
 * (BT_SNAP_FREE_TIMES: "pfn_lo pfn_hi ns_lo ns_hi" lines), so that replay
 * knows which traced events the map already shows. Text, because snapshots are zstd-compressed in the file
 * (so binary would save little) and a user can read it with `dump
 * --snapshots`. One writer and one strict reader here keep every side in
 * agreement.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common.h"
#include "freeblocks.h"

int bt_free_blocks_put(struct bt_buf *out, uint64_t pfn, unsigned int order)
{
	return bt_buf_printf(out, "%llu %u\n", (unsigned long long)pfn, order);
}

/*
 * Decimal digits from *@q on into @v: false when none, or 2^64 or more.
 * By hand, not bt_parse_u64(): a map has a line for each of tens of
 * thousands of free blocks, and every replay reads it (strtoull and its
 * copy were most of a replay's setup).
 */
static bool dec_run(const char **q, const char *end, uint64_t *v)
{
	const char *s = *q;
	uint64_t x = 0;

	for (; *q < end; (*q)++) {
		unsigned int d = (unsigned int)(unsigned char)**q - '0';

		if (d > 9)
			break;
		if (x >= UINT64_MAX / 10 &&
		    (x > UINT64_MAX / 10 || d > UINT64_MAX % 10))
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return *q > s;
}

/* One decimal field, [@s, @e) wholly digits. */
static bool dec_field(const char *s, const char *e, uint64_t *out)
{
	return dec_run(&s, e, out) && s == e;
}

/* Trailing blanks and a CR are tolerated; nothing else is. */
static size_t trim(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	return n;
}

/* Past the trailing blanks and CRs from @q: at the line's end? */
static bool line_ends(const char **q, const char *end)
{
	while (*q < end && (**q == ' ' || **q == '\r'))
		(*q)++;
	return *q == end || **q == '\n';
}

/*
 * One pass over each line, no copy: "pfn order", the trimmed line 64
 * characters at most, blank lines skipped. On an error *@pos is past
 * the bad line (the caller names its number).
 */
int bt_free_blocks_next(const char **pos, const char *end,
			unsigned int max_order, uint64_t *pfn,
			unsigned int *order)
{
	const char *p = *pos;

	while (p < end) {
		const char *q = p, *e, *nl;
		uint64_t o;

		if (dec_run(&q, end, pfn) && q < end && *q == ' ' &&
		    (q++, dec_run(&q, end, &o))) {
			e = q;
			if (line_ends(&q, end) && e - p <= 64 &&
			    o <= max_order) {
				*pos = q < end ? q + 1 : end;
				*order = (unsigned int)o;
				return 1;
			}
		} else if (q == p && line_ends(&q, end)) {
			p = *pos = q < end ? q + 1 : end;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		*pos = nl ? nl + 1 : end;
		return BT_E_PARSE;
	}
	*pos = end;
	return 0;
}

int bt_free_times_put(struct bt_buf *out, const struct bt_free_time *t)
{
	return bt_buf_printf(out, "%llu %llu %llu %llu\n",
			     (unsigned long long)t->lo,
			     (unsigned long long)t->hi,
			     (unsigned long long)t->t0,
			     (unsigned long long)t->t1);
}

int bt_free_times_next(const char **pos, const char *end,
		       struct bt_free_time *t)
{
	const char *p = *pos;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = trim(p, nl ? (size_t)(nl - p) : (size_t)(end - p));
		uint64_t v[4];
		const char *q = p, *le = p + n;

		*pos = nl ? nl + 1 : end;
		if (!n) {
			p = *pos;
			continue;
		}
		if (n > 96)
			return BT_E_PARSE;
		for (unsigned int i = 0; i < 4; i++) {
			const char *sp = memchr(q, ' ', (size_t)(le - q));
			const char *fe = i < 3 ? sp : le;

			if (!fe || !dec_field(q, fe, &v[i]))
				return BT_E_PARSE;
			q = fe + 1;
		}
		if (v[0] >= v[1] || v[2] > v[3])
			return BT_E_PARSE;
		t->lo = v[0];
		t->hi = v[1];
		t->t0 = v[2];
		t->t1 = v[3];
		return 1;
	}
	*pos = end;
	return 0;
}
