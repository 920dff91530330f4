// SPDX-License-Identifier: GPL-2.0-only
/*
 * procfs-kv.c - checked parsers of /proc/pagetypeinfo and of the
 * name-value files (vmstat, meminfo, /proc/sys/vm lists). Same shape as
 * procfs.c, whose line walker and tokenizer they share.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "procfs-internal.h"

/* ---- pagetypeinfo ---- */

void bt_pagetypeinfo_init(struct bt_pagetypeinfo *pt)
{
	memset(pt, 0, sizeof(*pt));
}

void bt_pagetypeinfo_release(struct bt_pagetypeinfo *pt)
{
	free(pt->zones);
	bt_pagetypeinfo_init(pt);
}

const struct bt_proc_ptzone *
bt_pagetypeinfo_find(const struct bt_pagetypeinfo *pt, int node,
		     const char *name)
{
	unsigned int i;

	for (i = 0; i < pt->nr_zones; i++)
		if (pt->zones[i].node == node &&
		    !strcmp(pt->zones[i].name, name))
			return &pt->zones[i];
	return NULL;
}

int bt_pagetypeinfo_type(const struct bt_pagetypeinfo *pt, const char *name)
{
	unsigned int i;

	for (i = 0; i < pt->nr_types; i++)
		if (!strcmp(pt->type_names[i], name))
			return (int)i;
	return -1;
}

enum pt_section { PT_NONE, PT_FREE, PT_BLOCKS, PT_OTHER };

struct pt_state {
	struct bt_pagetypeinfo *pt;
	unsigned int cap;
	enum pt_section sec;
	int cols[BT_PROC_MAX_TYPES]; /* blocks header column -> type */
	unsigned int nr_cols;
	struct bt_proc_error *err;
	unsigned int line;
};

static int pt_type_index(struct pt_state *st, const struct bt_proc_tok *t)
{
	struct bt_pagetypeinfo *pt = st->pt;
	char name[BT_PROC_NAME_LEN];
	int i;

	if (t->n == 0 || t->n >= BT_PROC_NAME_LEN)
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "bad migratetype name");
	memcpy(name, t->s, t->n);
	name[t->n] = '\0';
	i = bt_pagetypeinfo_type(pt, name);
	if (i >= 0)
		return i;
	if (pt->nr_types >= BT_PROC_MAX_TYPES)
		return bt_procfs_fail(st->err, st->line, BT_E_RANGE,
				      "too many migratetypes");
	memcpy(pt->type_names[pt->nr_types], name, sizeof(name));
	return (int)pt->nr_types++;
}

static int pt_zone(struct pt_state *st, const struct bt_proc_tok *t, size_t nr,
		   struct bt_proc_ptzone **out)
{
	struct bt_pagetypeinfo *pt = st->pt;
	struct bt_proc_ptzone *z;
	char name[BT_PROC_NAME_LEN];
	int node, ret;

	if (bt_procfs_parse_node_zone(t, nr, &node, name))
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "malformed zone row");
	z = (struct bt_proc_ptzone *)bt_pagetypeinfo_find(pt, node, name);
	if (!z) {
		ret = bt_procfs_grow((void **)&pt->zones, &st->cap,
				     pt->nr_zones + 1, sizeof(*z),
				     BT_PROC_MAX_ZONES);
		if (ret)
			return bt_procfs_fail(st->err, st->line, ret,
					      "too many zones");
		z = &pt->zones[pt->nr_zones++];
		memset(z, 0, sizeof(*z));
		z->node = node;
		memcpy(z->name, name, sizeof(name));
	}
	*out = z;
	return 0;
}

/* "Node 0, zone DMA, type Movable 0 1 ..." */
static int pt_free_row(struct pt_state *st, const struct bt_proc_tok *t,
		       size_t nr)
{
	struct bt_proc_ptzone *z;
	unsigned int i;
	int mt, ret;

	if (nr != 6 + (size_t)st->pt->nr_orders ||
	    !bt_procfs_tok_is(&t[4], "type"))
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "malformed free-count row");
	ret = pt_zone(st, t, nr, &z);
	if (ret)
		return ret;
	mt = pt_type_index(st, &t[5]);
	if (mt < 0)
		return mt;
	if (z->has_free[mt])
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "migratetype row appears twice");
	z->has_free[mt] = true;
	for (i = 0; i < st->pt->nr_orders; i++) {
		struct bt_proc_tok v = t[6 + i];

		if (v.n > 1 && v.s[0] == '>') {
			v.s++;
			v.n--;
			z->capped[mt] = true;
		}
		if (bt_procfs_tok_u64(&v, &z->free[mt][i]))
			return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
					      "bad count for order %u", i);
	}
	return 0;
}

static int pt_blocks_row(struct pt_state *st, const struct bt_proc_tok *t,
			 size_t nr)
{
	struct bt_proc_ptzone *z;
	unsigned int i;
	int ret;

	if (nr != 4 + (size_t)st->nr_cols)
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "malformed block-count row");
	ret = pt_zone(st, t, nr, &z);
	if (ret)
		return ret;
	if (z->has_blocks)
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "block counts of a zone appear twice");
	for (i = 0; i < st->nr_cols; i++)
		if (bt_procfs_tok_u64(&t[4 + i], &z->blocks[st->cols[i]]))
			return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
					      "bad block count");
	z->has_blocks = true;
	return 0;
}

static int pt_header_u32(struct pt_state *st, const struct bt_proc_tok *t,
			 unsigned int *out)
{
	uint64_t v;

	if (bt_procfs_tok_u64(t, &v) || v > 64 * 1024 * 1024)
		return bt_procfs_fail(st->err, st->line, BT_E_PARSE,
				      "bad header value");
	*out = (unsigned int)v;
	return 0;
}

static int pt_headers(struct pt_state *st, const struct bt_proc_tok *t,
		      size_t nr)
{
	struct bt_pagetypeinfo *pt = st->pt;
	unsigned int i;
	int mt;

	if (nr == 4 && bt_procfs_tok_is(&t[0], "Page") &&
	    bt_procfs_tok_is(&t[2], "order:"))
		return pt_header_u32(st, &t[3], &pt->pageblock_order);
	if (nr == 4 && bt_procfs_tok_is(&t[0], "Pages") &&
	    bt_procfs_tok_is(&t[2], "block:"))
		return pt_header_u32(st, &t[3], &pt->pages_per_block);
	if (nr >= 8 && bt_procfs_tok_is(&t[0], "Free") &&
	    bt_procfs_tok_is(&t[7], "order")) {
		if (nr - 8 > BT_PROC_MAX_ORDERS || nr < 9)
			return bt_procfs_fail(st->err, st->line, BT_E_RANGE,
					      "bad number of orders");
		pt->nr_orders = (unsigned int)(nr - 8);
		st->sec = PT_FREE;
		return 0;
	}
	if (nr >= 4 && bt_procfs_tok_is(&t[0], "Number") &&
	    bt_procfs_tok_is(&t[2], "blocks") &&
	    bt_procfs_tok_is(&t[3], "type")) {
		if (nr - 4 > BT_PROC_MAX_TYPES)
			return bt_procfs_fail(st->err, st->line, BT_E_RANGE,
					      "too many migratetypes");
		st->nr_cols = (unsigned int)(nr - 4);
		for (i = 0; i < st->nr_cols; i++) {
			mt = pt_type_index(st, &t[4 + i]);
			if (mt < 0)
				return mt;
			st->cols[i] = mt;
		}
		st->sec = PT_BLOCKS;
		return 0;
	}
	/* "Number of mixed blocks ..." (page_owner) and anything new. */
	st->sec = PT_OTHER;
	return 0;
}

int bt_pagetypeinfo_parse(struct bt_pagetypeinfo *pt, const char *text,
			  size_t len, struct bt_proc_error *err)
{
	struct pt_state st = {.pt = pt, .err = err};
	struct bt_proc_lines ls = {text, text + len, 0};
	struct bt_proc_tok t[MAX_TOKS];
	const char *s;
	size_t n, nr;
	int ret = 0;

	bt_pagetypeinfo_release(pt);
	while (!ret && bt_procfs_next_line(&ls, &s, &n)) {
		st.line = ls.no;
		nr = bt_procfs_split(s, n, t, MAX_TOKS);
		if (nr == 0)
			continue;
		if (nr > MAX_TOKS)
			ret = bt_procfs_fail(err, ls.no, BT_E_RANGE,
					     "line too long");
		else if (!bt_procfs_tok_is(&t[0], "Node"))
			ret = pt_headers(&st, t, nr);
		else if (st.sec == PT_FREE)
			ret = pt_free_row(&st, t, nr);
		else if (st.sec == PT_BLOCKS)
			ret = pt_blocks_row(&st, t, nr);
		else if (st.sec == PT_NONE)
			ret = bt_procfs_fail(err, ls.no, BT_E_PARSE,
					     "zone row before a table header");
	}
	if (!ret && (!pt->nr_zones || !pt->pageblock_order))
		ret = bt_procfs_fail(err, 0, BT_E_PARSE,
				     "no page block order or no zone found");
	if (ret)
		bt_pagetypeinfo_release(pt);
	return ret;
}

/* ---- name-value files ---- */

void bt_kvlist_init(struct bt_kvlist *l)
{
	memset(l, 0, sizeof(*l));
}

void bt_kvlist_release(struct bt_kvlist *l)
{
	free(l->kv);
	bt_kvlist_init(l);
}

const struct bt_proc_kv *bt_kvlist_find(const struct bt_kvlist *l,
					const char *name)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->kv[i].name, name))
			return &l->kv[i];
	return NULL;
}

bool bt_kvlist_get(const struct bt_kvlist *l, const char *name, int64_t *out)
{
	const struct bt_proc_kv *kv = bt_kvlist_find(l, name);

	if (!kv || !kv->nr)
		return false;
	*out = kv->v[0];
	return true;
}

enum kv_kind { KV_VMSTAT, KV_MEMINFO, KV_SYSCTL };

static int kv_name(struct bt_proc_kv *kv, struct bt_proc_tok name,
		   enum kv_kind kind)
{
	if (kind == KV_MEMINFO) {
		if (name.n < 2 || name.s[name.n - 1] != ':')
			return BT_E_PARSE;
		name.n--;
	}
	if (kind == KV_SYSCTL && name.n > 3 && !memcmp(name.s, "vm.", 3)) {
		name.s += 3;
		name.n -= 3;
	}
	if (name.n == 0 || name.n >= BT_PROC_KV_NAME)
		return BT_E_PARSE;
	memcpy(kv->name, name.s, name.n);
	kv->name[name.n] = '\0';
	return 0;
}

static int kv_values(struct bt_proc_kv *kv, const struct bt_proc_tok *t,
		     size_t nr, enum kv_kind kind)
{
	size_t i;

	if (kind == KV_SYSCTL && nr >= 1 && bt_procfs_tok_is(&t[0], "=")) {
		t++;
		nr--;
	}
	if (kind == KV_MEMINFO && nr == 2 && bt_procfs_tok_is(&t[1], "kB"))
		nr = 1;
	if (kind != KV_SYSCTL && nr != 1)
		return BT_E_PARSE;
	if (nr > BT_PROC_KV_VALUES)
		return kind == KV_SYSCTL ? 0 : BT_E_RANGE;
	for (i = 0; i < nr; i++) {
		uint64_t u;
		int64_t v;

		if (kind != KV_SYSCTL) {
			if (bt_procfs_tok_u64(&t[i], &u) || u > INT64_MAX)
				return BT_E_PARSE;
			v = (int64_t)u;
		} else if (t[i].n > 64 || memchr(t[i].s, '\0', t[i].n) ||
			   bt_parse_i64(t[i].s, (long)t[i].n, 10, &v)) {
			kv->nr = 0; /* a text value */
			return 0;
		}
		kv->v[kv->nr++] = v;
	}
	return 0;
}

static int kv_parse(struct bt_kvlist *l, const char *text, size_t len,
		    enum kv_kind kind, struct bt_proc_error *err)
{
	struct bt_proc_lines ls = {text, text + len, 0};
	struct bt_proc_tok t[BT_PROC_KV_VALUES + 3];
	unsigned int cap = 0;
	const char *s;
	size_t n, nr;
	int ret = 0;

	bt_kvlist_release(l);
	while (!ret && bt_procfs_next_line(&ls, &s, &n)) {
		struct bt_proc_kv kv;

		nr = bt_procfs_split(s, n, t, BT_ARRAY_SIZE(t));
		if (nr == 0)
			continue;
		memset(&kv, 0, sizeof(kv));
		if (kv_name(&kv, t[0], kind) ||
		    kv_values(&kv, t + 1, BT_MIN(nr, BT_ARRAY_SIZE(t)) - 1,
			      kind) ||
		    (kind != KV_SYSCTL && nr > BT_ARRAY_SIZE(t))) {
			ret = bt_procfs_fail(err, ls.no, BT_E_PARSE,
					     "expected a name and a number");
			break;
		}
		if (kind == KV_SYSCTL && nr > BT_ARRAY_SIZE(t))
			kv.nr = 0;
		ret = bt_procfs_grow((void **)&l->kv, &cap, l->nr + 1,
				     sizeof(kv), BT_PROC_MAX_KV);
		if (ret) {
			ret = bt_procfs_fail(err, ls.no, ret, "too many lines");
			break;
		}
		l->kv[l->nr++] = kv;
	}
	if (ret)
		bt_kvlist_release(l);
	return ret;
}

int bt_vmstat_parse(struct bt_kvlist *l, const char *text, size_t len,
		    struct bt_proc_error *err)
{
	return kv_parse(l, text, len, KV_VMSTAT, err);
}

int bt_meminfo_parse(struct bt_kvlist *l, const char *text, size_t len,
		     struct bt_proc_error *err)
{
	return kv_parse(l, text, len, KV_MEMINFO, err);
}

int bt_sysctl_parse(struct bt_kvlist *l, const char *text, size_t len,
		    struct bt_proc_error *err)
{
	return kv_parse(l, text, len, KV_SYSCTL, err);
}
