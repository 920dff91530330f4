// SPDX-License-Identifier: GPL-2.0-only
/*
 * procfs.c - checked parsers of /proc/zoneinfo, /proc/buddyinfo and the
 * debugfs fragmentation indices, plus the helpers all parsers share
 * (pagetypeinfo and name-value files are in procfs-kv.c).
 *
 * All parsers share one shape: walk the buffer a line at a time (never
 * past len, NUL bytes included), split a line into at most a fixed number
 * of whitespace-separated tokens, and parse every number through
 * bt_parse_*(). Growing arrays are capped (BT_PROC_MAX_*) so a hostile
 * file cannot make us allocate without bound. On error the output struct
 * is released back to empty, so callers never see half a parse.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "procfs-internal.h"

bool bt_procfs_next_line(struct bt_proc_lines *ls, const char **s, size_t *n)
{
	const char *nl;

	if (ls->p >= ls->end)
		return false;
	nl = memchr(ls->p, '\n', (size_t)(ls->end - ls->p));
	*s = ls->p;
	*n = nl ? (size_t)(nl - ls->p) : (size_t)(ls->end - ls->p);
	ls->p = nl ? nl + 1 : ls->end;
	ls->no++;
	return true;
}

bool bt_procfs_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Split into tokens; returns how many there are (may exceed max). */
size_t bt_procfs_split(const char *s, size_t n, struct bt_proc_tok *t,
		       size_t max)
{
	size_t i = 0, nr = 0;

	while (i < n) {
		size_t b;

		while (i < n && bt_procfs_is_space(s[i]))
			i++;
		if (i >= n)
			break;
		b = i;
		while (i < n && !bt_procfs_is_space(s[i]))
			i++;
		if (nr < max) {
			t[nr].s = s + b;
			t[nr].n = i - b;
		}
		nr++;
	}
	return nr;
}

bool bt_procfs_tok_is(const struct bt_proc_tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->n == n && !memcmp(t->s, word, n);
}

int bt_procfs_fail(struct bt_proc_error *err, unsigned int line, int code,
		   const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->line = line;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

int bt_procfs_tok_u64(const struct bt_proc_tok *t, uint64_t *v)
{
	/* bt_parse_u64() would stop at a NUL inside the token */
	if (t->n > 64 || memchr(t->s, '\0', t->n))
		return BT_E_PARSE;
	return bt_parse_u64(t->s, (long)t->n, 10, v);
}

/* Grow an array of @size-byte elements to hold @need; capped at @cap. */
int bt_procfs_grow(void **arr, unsigned int *cap_now, unsigned int need,
		   size_t size, unsigned int cap)
{
	unsigned int n;
	void *p;

	if (need <= *cap_now)
		return 0;
	if (need > cap)
		return BT_E_RANGE;
	n = *cap_now ? *cap_now * 2 : 8;
	if (n < need)
		n = need;
	if (n > cap)
		n = cap;
	p = realloc(*arr, (size_t)n * size);
	if (!p)
		return -ENOMEM;
	memset((char *)p + (size_t)*cap_now * size, 0,
	       (size_t)(n - *cap_now) * size);
	*arr = p;
	*cap_now = n;
	return 0;
}

/*
 * "Node N, zone NAME" (buddyinfo, zoneinfo, debugfs) or
 * "Node N, zone NAME, type T" (pagetypeinfo): tokens 0..3.
 */
int bt_procfs_parse_node_zone(const struct bt_proc_tok *t, size_t nr, int *node,
			      char *name)
{
	struct bt_proc_tok nm;
	int v;

	if (nr < 4 || !bt_procfs_tok_is(&t[0], "Node") ||
	    !bt_procfs_tok_is(&t[2], "zone"))
		return BT_E_PARSE;
	nm = t[3];
	if (t[1].n < 2 || t[1].s[t[1].n - 1] != ',')
		return BT_E_PARSE;
	if (bt_parse_int(t[1].s, (long)t[1].n - 1, 10, &v) || v < 0)
		return BT_E_PARSE;
	if (nm.n && nm.s[nm.n - 1] == ',')
		nm.n--;
	if (nm.n == 0 || nm.n >= BT_PROC_NAME_LEN)
		return BT_E_PARSE;
	memcpy(name, nm.s, nm.n);
	name[nm.n] = '\0';
	*node = v;
	return 0;
}

/* ---- zoneinfo ---- */

void bt_zoneinfo_init(struct bt_zoneinfo *zi)
{
	memset(zi, 0, sizeof(*zi));
}

void bt_zoneinfo_release(struct bt_zoneinfo *zi)
{
	unsigned int i;

	for (i = 0; i < zi->nr_zones; i++)
		free(zi->zones[i].pcp);
	free(zi->zones);
	bt_zoneinfo_init(zi);
}

const struct bt_proc_zone *bt_zoneinfo_find(const struct bt_zoneinfo *zi,
					    int node, const char *name)
{
	unsigned int i;

	for (i = 0; i < zi->nr_zones; i++)
		if (zi->zones[i].node == node &&
		    !strcmp(zi->zones[i].name, name))
			return &zi->zones[i];
	return NULL;
}

struct zi_state {
	struct bt_zoneinfo *zi;
	unsigned int cap;
	unsigned int pcp_cap;
	struct bt_proc_zone *z;	 /* current zone */
	struct bt_proc_pcp *pcp; /* current pageset */
	unsigned int seen;	 /* SEEN_* of the current zone */
	struct bt_proc_error *err;
	unsigned int line;
};

enum {
	SEEN_MIN = 1,
	SEEN_LOW = 2,
	SEEN_HIGH = 4,
	SEEN_SPANNED = 8,
	SEEN_PRESENT = 16,
	SEEN_MANAGED = 32,
	SEEN_REQUIRED = 63,
};

static int zi_check_zone(struct zi_state *st)
{
	static const char *const names[] = {
	    "min", "low", "high", "spanned", "present", "managed",
	};
	unsigned int i;

	if (!st->z)
		return 0;
	for (i = 0; i < BT_ARRAY_SIZE(names); i++)
		if (!(st->seen & (1u << i)))
			return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
					      "zone '%s' of node %d lacks '%s'",
					      st->z->name, st->z->node,
					      names[i]);
	return 0;
}

static int zi_new_zone(struct zi_state *st, const struct bt_proc_tok *t,
		       size_t nr)
{
	struct bt_proc_zone *z;
	char name[BT_PROC_NAME_LEN];
	int node, ret;

	if (nr != 4 || bt_procfs_parse_node_zone(t, nr, &node, name))
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "malformed zone header");
	ret = zi_check_zone(st);
	if (ret)
		return ret;
	if (bt_zoneinfo_find(st->zi, node, name))
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "zone '%s' of node %d appears twice",
				      name, node);
	ret = bt_procfs_grow((void **)&st->zi->zones, &st->cap,
			     st->zi->nr_zones + 1, sizeof(*z),
			     BT_PROC_MAX_ZONES);
	if (ret)
		return bt_procfs_fail(st->err, st->line, ret, "too many zones");
	z = &st->zi->zones[st->zi->nr_zones++];
	memset(z, 0, sizeof(*z));
	z->node = node;
	memcpy(z->name, name, sizeof(name));
	z->node_unreclaimable = -1;
	st->z = z;
	st->pcp = NULL;
	st->pcp_cap = 0;
	st->seen = 0;
	return 0;
}

static int zi_protection(struct zi_state *st, const char *s, size_t n)
{
	const char *open = memchr(s, '(', n), *close = memchr(s, ')', n);
	const char *p, *end;
	struct bt_proc_zone *z = st->z;

	if (!open || !close || close < open)
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "malformed protection array");
	z->nr_protection = 0;
	for (p = open + 1; p < close; p = end + 1) {
		const char *a = p, *b;
		uint64_t v;

		end = memchr(p, ',', (size_t)(close - p));
		if (!end)
			end = close;
		while (a < end && bt_procfs_is_space(*a))
			a++;
		for (b = end; b > a && bt_procfs_is_space(b[-1]); b--)
			;
		if (z->nr_protection >= BT_PROC_MAX_NR_ZONES)
			return bt_procfs_fail(st->err, st->line, BT_E_RANGE,
					      "protection array too long");
		if (bt_parse_u64(a, (long)(b - a), 10, &v))
			return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
					      "bad protection value");
		z->protection[z->nr_protection++] = v;
	}
	return 0;
}

struct zi_field {
	const char *key; /* first token(s), colon included */
	size_t off;	 /* offset in struct bt_proc_zone */
	unsigned int seen;
	size_t has_off; /* offset of a bool, or 0 */
};

#define ZF(k, f, s, h)                                                         \
	{                                                                      \
		k, offsetof(struct bt_proc_zone, f), s, h                      \
	}
#define HAS(f) offsetof(struct bt_proc_zone, f)
static const struct zi_field zi_fields[] = {
    ZF("boost", boost, 0, HAS(has_boost)),
    ZF("min", min, SEEN_MIN, 0),
    ZF("low", low, SEEN_LOW, 0),
    ZF("high", high, SEEN_HIGH, 0),
    ZF("promo", promo, 0, HAS(has_promo)),
    ZF("spanned", spanned, SEEN_SPANNED, 0),
    ZF("present", present, SEEN_PRESENT, 0),
    ZF("managed", managed, SEEN_MANAGED, 0),
    ZF("cma", cma, 0, HAS(has_cma)),
    ZF("nr_free_pages", nr_free_pages, 0, HAS(has_nr_free_pages)),
    ZF("nr_zone_inactive_anon", lru_inactive_anon, 0, 0),
    ZF("nr_zone_active_anon", lru_active_anon, 0, 0),
    ZF("nr_zone_inactive_file", lru_inactive_file, 0, 0),
    ZF("nr_zone_active_file", lru_active_file, 0, 0),
    ZF("start_pfn:", start_pfn, 0, HAS(has_start_pfn)),
    ZF("reserved_highatomic:", reserved_highatomic, 0, HAS(has_highatomic)),
    ZF("free_highatomic:", free_highatomic, 0, 0),
};

/* A "key value" line of the zone itself; 1 when it was one. */
static int zi_zone_field(struct zi_state *st, const struct bt_proc_tok *t,
			 size_t nr)
{
	unsigned int i;
	uint64_t v;

	for (i = 0; i < BT_ARRAY_SIZE(zi_fields); i++) {
		const struct zi_field *f = &zi_fields[i];

		if (!bt_procfs_tok_is(&t[0], f->key))
			continue;
		if (nr != 2 || bt_procfs_tok_u64(&t[1], &v))
			return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
					      "bad value of '%s'", f->key);
		*(uint64_t *)((char *)st->z + f->off) = v;
		if (f->has_off)
			*(bool *)((char *)st->z + f->has_off) = true;
		st->seen |= f->seen;
		return 1;
	}
	return 0;
}

static int zi_new_pcp(struct zi_state *st, const struct bt_proc_tok *t,
		      size_t nr)
{
	struct bt_proc_zone *z = st->z;
	uint64_t cpu;
	int ret;

	if (nr != 2 || bt_procfs_tok_u64(&t[1], &cpu) || cpu > UINT32_MAX)
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "bad 'cpu:' line");
	ret = bt_procfs_grow((void **)&z->pcp, &st->pcp_cap, z->nr_pcp + 1,
			     sizeof(*z->pcp), BT_PROC_MAX_CPUS);
	if (ret)
		return bt_procfs_fail(st->err, st->line, ret,
				      "too many pagesets");
	st->pcp = &z->pcp[z->nr_pcp++];
	memset(st->pcp, 0, sizeof(*st->pcp));
	st->pcp->cpu = (unsigned int)cpu;
	return 0;
}

/* "count:", "high:", "batch:", "high_min:", "high_max:"; 1 if one. */
static int zi_pcp_field(struct zi_state *st, const struct bt_proc_tok *t,
			size_t nr)
{
	static const char *const keys[] = {
	    "count:", "high:", "batch:", "high_min:", "high_max:",
	};
	struct bt_proc_pcp *p = st->pcp;
	unsigned int i;
	uint64_t v;

	for (i = 0; i < BT_ARRAY_SIZE(keys); i++)
		if (bt_procfs_tok_is(&t[0], keys[i]))
			break;
	if (i == BT_ARRAY_SIZE(keys))
		return 0;
	if (!p)
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "'%s' outside a pageset", keys[i]);
	if (nr != 2 || bt_procfs_tok_u64(&t[1], &v))
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "bad value of '%s'", keys[i]);
	switch (i) {
	case 0:
		p->count = v;
		break;
	case 1:
		p->high = v;
		break;
	case 2:
		p->batch = v;
		break;
	case 3:
		p->high_min = v;
		p->has_high_min = true;
		break;
	default:
		p->high_max = v;
		p->has_high_max = true;
		break;
	}
	return 1;
}

static int zi_line(struct zi_state *st, const char *s, size_t n)
{
	struct bt_proc_tok t[8];
	size_t nr = bt_procfs_split(s, n, t, BT_ARRAY_SIZE(t));
	int ret;
	uint64_t v;

	if (nr == 0)
		return 0;
	if (bt_procfs_tok_is(&t[0], "Node"))
		return zi_new_zone(st, t, nr);
	if (!st->z)
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "text before the first zone header");
	if (nr >= 2 && bt_procfs_tok_is(&t[0], "pages") &&
	    bt_procfs_tok_is(&t[1], "free")) {
		if (nr != 3 || bt_procfs_tok_u64(&t[2], &v))
			return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
					      "bad 'pages free' line");
		st->z->free = v;
		return 0;
	}
	if (bt_procfs_tok_is(&t[0], "protection:"))
		return zi_protection(st, s, n);
	if (bt_procfs_tok_is(&t[0], "cpu:"))
		return zi_new_pcp(st, t, nr);
	if (bt_procfs_tok_is(&t[0], "node_unreclaimable:")) {
		if (nr != 2 || bt_procfs_tok_u64(&t[1], &v) || v > 1)
			return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
					      "bad 'node_unreclaimable:' line");
		st->z->node_unreclaimable = (int)v;
		return 0;
	}
	ret = zi_pcp_field(st, t, nr);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = zi_zone_field(st, t, nr);
	/* Counters and per-node stats we do not model are skipped. */
	return ret < 0 ? ret : 0;
}

int bt_zoneinfo_parse(struct bt_zoneinfo *zi, const char *text, size_t len,
		      struct bt_proc_error *err)
{
	struct zi_state st = {.zi = zi, .err = err};
	struct bt_proc_lines ls = {text, text + len, 0};
	const char *s;
	size_t n;
	int ret = 0;

	bt_zoneinfo_release(zi);
	while (!ret && bt_procfs_next_line(&ls, &s, &n)) {
		st.line = ls.no;
		ret = zi_line(&st, s, n);
	}
	if (!ret && !zi->nr_zones)
		ret = bt_procfs_fail(err, 0, BT_E_PARSE, "no zone found");
	if (!ret)
		ret = zi_check_zone(&st);
	if (ret)
		bt_zoneinfo_release(zi);
	return ret;
}

/* ---- buddyinfo and the debugfs index files ---- */

void bt_proc_table_init(struct bt_proc_table *t)
{
	memset(t, 0, sizeof(*t));
}

void bt_proc_table_release(struct bt_proc_table *t)
{
	free(t->zones);
	bt_proc_table_init(t);
}

const struct bt_proc_orders *bt_proc_table_find(const struct bt_proc_table *t,
						int node, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->nr_zones; i++)
		if (t->zones[i].node == node && !strcmp(t->zones[i].name, name))
			return &t->zones[i];
	return NULL;
}

/* "a.bbb" as printed by "%d.%03d" of (x / 1000, x % 1000). */
static int parse_milli(const struct bt_proc_tok *t, int64_t *out)
{
	const char *dot = memchr(t->s, '.', t->n);
	int a, b;
	size_t fn;

	if (!dot || dot == t->s || memchr(t->s, '\0', t->n))
		return BT_E_PARSE;
	fn = t->n - (size_t)(dot + 1 - t->s);
	if (fn < 3 || fn > 4)
		return BT_E_PARSE;
	if (bt_parse_int(t->s, (long)(dot - t->s), 10, &a) ||
	    bt_parse_int(dot + 1, (long)fn, 10, &b))
		return BT_E_PARSE;
	if (a < -1 || a > 1 || b <= -1000 || b >= 1000)
		return BT_E_RANGE;
	*out = (int64_t)a * 1000 + b;
	return 0;
}

static int table_row(struct bt_proc_table *t, unsigned int *cap,
		     const struct bt_proc_tok *tk, size_t nr, bool milli,
		     unsigned int line, struct bt_proc_error *err)
{
	struct bt_proc_orders row;
	unsigned int i;
	int ret;

	memset(&row, 0, sizeof(row));
	if (nr < 5 || bt_procfs_parse_node_zone(tk, nr, &row.node, row.name))
		return bt_procfs_fail(err, line, BT_E_PARSE,
				      "malformed zone row");
	if (nr - 4 > BT_PROC_MAX_ORDERS)
		return bt_procfs_fail(err, line, BT_E_RANGE,
				      "too many orders in a row");
	row.nr_orders = (unsigned int)(nr - 4);
	if (t->nr_zones && row.nr_orders != t->nr_orders)
		return bt_procfs_fail(err, line, BT_E_PARSE,
				      "row has %u orders, the first had %u",
				      row.nr_orders, t->nr_orders);
	for (i = 0; i < row.nr_orders; i++) {
		uint64_t v;

		if (milli)
			ret = parse_milli(&tk[4 + i], &row.v[i]);
		else if (!(ret = bt_procfs_tok_u64(&tk[4 + i], &v)))
			row.v[i] = v > INT64_MAX ? INT64_MAX : (int64_t)v;
		if (ret)
			return bt_procfs_fail(err, line, ret,
					      "bad value for order %u", i);
	}
	if (bt_proc_table_find(t, row.node, row.name))
		return bt_procfs_fail(err, line, BT_E_PARSE,
				      "zone '%s' of node %d appears twice",
				      row.name, row.node);
	ret = bt_procfs_grow((void **)&t->zones, cap, t->nr_zones + 1,
			     sizeof(row), BT_PROC_MAX_ZONES);
	if (ret)
		return bt_procfs_fail(err, line, ret, "too many zones");
	t->zones[t->nr_zones++] = row;
	t->nr_orders = row.nr_orders;
	return 0;
}

static int table_parse(struct bt_proc_table *t, const char *text, size_t len,
		       bool milli, struct bt_proc_error *err)
{
	struct bt_proc_lines ls = {text, text + len, 0};
	struct bt_proc_tok tk[MAX_TOKS];
	unsigned int cap = 0;
	const char *s;
	size_t n, nr;
	int ret = 0;

	bt_proc_table_release(t);
	while (!ret && bt_procfs_next_line(&ls, &s, &n)) {
		nr = bt_procfs_split(s, n, tk, MAX_TOKS);
		if (nr == 0)
			continue;
		if (nr > MAX_TOKS)
			ret = bt_procfs_fail(err, ls.no, BT_E_RANGE,
					     "line too long");
		else
			ret = table_row(t, &cap, tk, nr, milli, ls.no, err);
	}
	if (!ret && !t->nr_zones)
		ret = bt_procfs_fail(err, 0, BT_E_PARSE, "no zone found");
	if (ret)
		bt_proc_table_release(t);
	return ret;
}

int bt_buddyinfo_parse(struct bt_proc_table *t, const char *text, size_t len,
		       struct bt_proc_error *err)
{
	return table_parse(t, text, len, false, err);
}

int bt_fragindex_parse(struct bt_proc_table *t, const char *text, size_t len,
		       struct bt_proc_error *err)
{
	/*
	 * "%2d.%03d" may print " 0.-999": the space splits nothing since
	 * the token is "0.-999"; a leading '-' belongs to the integer part.
	 */
	return table_parse(t, text, len, true, err);
}
