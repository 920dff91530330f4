// SPDX-License-Identifier: GPL-2.0-only
/*
 * text-fields.c - the payload of one ftrace text event ("page=... pfn=0x1a2b3
 * order=0 ...") into the arguments of a struct bt_event.
 *
 * Pairs are matched by name against the descriptor table (events.c), so
 * the order of fields and extra fields of patched kernels do not matter.
 * Older or printed labels that differ from the 6.x field names go through
 * an alias table (node= for nid, classzone_idx= for highest_zoneidx,
 * limit= for 1 << defer_shift, ...). Values are decimal or 0x hex, an
 * optional "kB" suffix is dropped, and symbols that kernels print instead
 * of numbers are read back through one table:
 *
 *   zones (x86_64 order): DMA 0, DMA32 1, Normal 2, Movable 3, Device 4;
 *     HighMem 2 (32-bit kernels have no DMA32: DMA 0, Normal 1, HighMem 2)
 *   compaction results (enum compact_result, 4.x to 6.x): not_suitable_zone 0,
 *     skipped 1, deferred 2, no_suitable_page 3, continue 4, complete 5,
 *     partial_skipped 6, contended 7, success 8 (4.6 and older: partial)
 *   compaction priorities: COMPACT_PRIO_SYNC_FULL 0, _SYNC_LIGHT 1, _ASYNC 2
 *   compact_retry feedback: failed 1, withdrawn 2, progress 3
 *   mode=: async 0, sync 1
 *
 * gfp masks: names through bt_gfp_from_names(); a mask printed as hex
 * (trace-cmd report -R, 4.x compaction's "gfp_mask=0x%x") is read in the
 * 6.x layout, since text carries no bit table: right for current kernels,
 * not for 4.x ones.
 *
 * Page pointers: pfn= wins whenever printed. Only without it is page= used:
 * converted with the vmemmap base and struct page size when the user gave
 * them, otherwise the pfn is BT_PFN_UNKNOWN and the event flagged. A
 * failed allocation (raw pfn -1) prints page=(nil) pfn=0x0, or on older
 * kernels "page= (null) pfn=0": both become BT_PFN_NONE.
 */
#include <string.h>

#include "traces-text.h"

struct sym {
	const char *name;
	int64_t value;
};

static const struct sym syms[] = {
	{ "DMA", 0 }, { "DMA32", 1 }, { "Normal", 2 }, { "Movable", 3 },
	{ "Device", 4 }, { "HighMem", 2 },
	{ "not_suitable_zone", 0 }, { "skipped", 1 }, { "deferred", 2 },
	{ "inactive", 2 }, { "no_suitable_page", 3 }, { "continue", 4 },
	{ "complete", 5 }, { "partial_skipped", 6 }, { "contended", 7 },
	{ "success", 8 }, { "partial", 8 },	/* COMPACT_PARTIAL, renamed in 4.7 */
	{ "COMPACT_PRIO_SYNC_FULL", 0 }, { "COMPACT_PRIO_SYNC_LIGHT", 1 },
	{ "COMPACT_PRIO_ASYNC", 2 },
	{ "failed", 1 }, { "withdrawn", 2 }, { "progress", 3 },
	{ "async", 0 }, { "sync", 1 },
};

/* Printed labels that differ from the descriptor's field names. */
static const struct {
	const char *label;
	const char *field;
} aliases[] = {
	{ "node", "nid" }, { "nid", "node" },
	{ "zone", "idx" }, { "zone", "zone_idx" }, { "zid", "idx" },
	{ "classzone_idx", "highest_zoneidx" },
	{ "consider", "considered" }, { "limit", "defer_shift" },
	{ "mode", "sync" }, { "mode", "prio" }, { "priority", "prio" },
	{ "compaction_result", "result" }, { "should_retry", "ret" },
	{ "total-vm", "total_vm" }, { "anon-rss", "anon_rss" },
	{ "file-rss", "file_rss" }, { "shmem-rss", "shmem_rss" },
	{ "gfp_mask", "gfp_flags" }, { "gfp_flags", "gfp_mask" },
};

static bool eq(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(s, name, len);
}

int bt_text_zone_idx(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < 6; i++)
		if (eq(s, len, syms[i].name))
			return (int)syms[i].value;
	return -1;
}

static bool lookup_sym(const char *s, size_t len, int64_t *out)
{
	size_t i;

	for (i = 0; i < BT_ARRAY_SIZE(syms); i++) {
		if (eq(s, len, syms[i].name)) {
			*out = syms[i].value;
			return true;
		}
	}
	return false;
}

/* Decimal, -decimal or 0x hex; the whole of [s, e) with "kB" dropped. */
static bool parse_num(const char *s, const char *e, uint64_t *out)
{
	bool neg = false, hex = false;
	uint64_t v = 0, d;

	if (e - s > 2 && e[-2] == 'k' && e[-1] == 'B')
		e -= 2;
	if (s < e && *s == '-') {
		neg = true;
		s++;
	}
	if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		hex = true;
		s += 2;
	}
	if (s >= e)
		return false;
	for (; s < e; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return false;
		if (hex ? v >> 60 : v > (UINT64_MAX - d) / 10)
			return false;
		v = hex ? v << 4 | d : v * 10 + d;
	}
	*out = neg ? (uint64_t)-(int64_t)v : v;
	return true;
}

/* A page pointer: hex with or without 0x; NULL forms give 0. */
static bool parse_ptr(const char *s, const char *e, uint64_t *out)
{
	uint64_t v = 0;
	unsigned char c;

	if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (s >= e || e - s > 16)
		return false;
	for (; s < e; s++) {
		c = (unsigned char)*s;
		if (c >= '0' && c <= '9')
			v = v << 4 | (uint64_t)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v << 4 | (uint64_t)((c | 0x20) - 'a' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

uint64_t bt_text_gfp(struct bt_text_parser *p, const char *s, size_t len)
{
	struct bt_text_gfp_ent *g;
	uint64_t mask;

	if (len == 0 || len >= BT_TEXT_GFP_KEY) {
		bt_gfp_from_names(s, len, &mask);
		return mask;
	}
	g = &p->gfps[hash_bytes(s, len) % BT_TEXT_GFP_CACHE];
	if (g->len == len && !memcmp(g->s, s, len))
		return g->mask;
	bt_gfp_from_names(s, len, &mask);
	memcpy(g->s, s, len);
	g->len = (unsigned char)len;
	g->mask = mask;
	return mask;
}

static int field_index(const struct bt_text_parser *p,
		       const struct bt_event_desc *d, const char *k,
		       size_t klen)
{
	const unsigned char *flen = p->flen[d->type];
	unsigned int i;
	size_t a;
	int idx;

	for (i = 0; i < d->nr_fields; i++)
		if (flen[i] == klen && !memcmp(k, d->fields[i].name, klen))
			return (int)i;
	for (a = 0; a < BT_ARRAY_SIZE(aliases); a++) {
		if (!eq(k, klen, aliases[a].label))
			continue;
		idx = bt_event_field_index(d, aliases[a].field);
		if (idx >= 0)
			return idx;
	}
	return -1;
}

/* Where the pfn of a kmem event came from. */
struct pfn_src {
	bool have_pfn, have_page, page_null;
	uint64_t pfn, page;
};

static void set_value(struct bt_text_parser *p, struct bt_event *ev,
		      const struct bt_event_desc *d, int idx, const char *v,
		      const char *ve)
{
	const struct bt_field_desc *f = &d->fields[idx];
	uint64_t n;
	int64_t sv;

	if (f->kind == BT_FK_GFP) {
		ev->arg[idx] = bt_text_gfp(p, v, (size_t)(ve - v));
		return;
	}
	if (parse_num(v, ve, &n)) {
		if (n && f->name[0] == 'd' && !strcmp(f->name, "defer_shift"))
			n = (uint64_t)__builtin_ctzll(n);	/* limit=1<<shift */
		ev->arg[idx] = n;
	} else if (lookup_sym(v, (size_t)(ve - v), &sv)) {
		ev->arg[idx] = (uint64_t)sv;
	}
}

static bool is_null_ptr(const char *v, const char *ve)
{
	return eq(v, (size_t)(ve - v), "(nil)") ||
	       eq(v, (size_t)(ve - v), "(null)");
}

/*
 * 4.4 to 4.6 printed the migrate mode where 4.7 put the priority:
 * MIGRATE_ASYNC 0, SYNC_LIGHT 1, SYNC 2 are priorities ASYNC 2,
 * SYNC_LIGHT 1, SYNC_FULL 0.
 */
static void set_migrate_mode(struct bt_event *ev, int idx, const char *v,
			     const char *ve)
{
	uint64_t n;

	if (parse_num(v, ve, &n) && n <= 2)
		ev->arg[idx] = 2 - n;
}

/* 4.x pads a NULL %p to 16 columns: "page=          (null)" */
static bool null_after(const char **s, const char *e)
{
	const char *t = *s;

	while (t < e && *t == ' ')
		t++;
	if (e - t < 6 || memcmp(t, "(null)", 6))
		return false;
	*s = t + 6;
	return true;
}

/* page=VALUE (or "page=    (null)"); returns where parsing goes on. */
static const char *page_value(struct pfn_src *ps, const char *v,
			      const char *ve, const char *s, const char *e)
{
	ps->have_page = true;
	if (v == ve && null_after(&s, e))
		ps->page_null = true;
	else if (is_null_ptr(v, ve))
		ps->page_null = true;
	else if (!parse_ptr(v, ve, &ps->page))
		ps->have_page = false;
	else if (ps->page == 0)
		ps->page_null = true;
	return s;
}

/* "range=(0x1 ~ 0x2)": start_pfn and end_pfn; returns the end of it. */
static const char *parse_range(struct bt_event *ev,
			       const struct bt_event_desc *d, const char *v,
			       const char *e)
{
	const char *close = memchr(v, ')', (size_t)(e - v));
	const char *a, *ae, *b;
	int i0 = bt_event_field_index(d, "start_pfn");
	int i1 = bt_event_field_index(d, "end_pfn");
	uint64_t n;

	if (!close || i0 < 0 || i1 < 0)
		return close ? close + 1 : e;
	a = v + (*v == '(');
	ae = memchr(a, ' ', (size_t)(close - a));
	if (!ae)
		return close + 1;
	if (parse_num(a, ae, &n))
		ev->arg[i0] = n;
	b = ae;
	while (b < close && (*b == ' ' || *b == '~'))
		b++;
	if (parse_num(b, close, &n))
		ev->arg[i1] = n;
	return close + 1;
}

static void finish_pfn(struct bt_text_parser *p, struct bt_event *ev,
		       const struct pfn_src *ps)
{
	const struct bt_import_opts *o = &p->opts;
	bool alloc = ev->type == BT_EV_PAGE_ALLOC ||
		     ev->type == BT_EV_PAGE_ALLOC_ZONE_LOCKED;

	if (ps->have_pfn) {
		ev->arg[BT_ARG_PFN] = ps->pfn;
		/* a failed allocation prints pfn 0 (raw -1 elsewhere) */
		if (ps->pfn == UINT64_MAX || (alloc && ps->pfn == 0) ||
		    (ps->have_page && ps->page_null))
			ev->arg[BT_ARG_PFN] = BT_PFN_NONE;
		return;
	}
	if (ps->have_page && ps->page_null) {
		ev->arg[BT_ARG_PFN] = BT_PFN_NONE;
	} else if (ps->have_page && o->have_vmemmap && o->struct_page_size &&
		   ps->page >= o->vmemmap_base) {
		ev->arg[BT_ARG_PFN] = (ps->page - o->vmemmap_base) /
				      o->struct_page_size;
	} else {
		ev->arg[BT_ARG_PFN] = BT_PFN_UNKNOWN;
		ev->flags |= BT_EVF_PFN_UNKNOWN;
	}
}

static void set_str(struct bt_text_parser *p, struct bt_event *ev,
		    const char *s, const char *e)
{
	size_t n;

	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	n = BT_MIN((size_t)(e - s), sizeof(p->str) - 1);
	memcpy(p->str, s, n);
	p->str[n] = '\0';
	ev->str = p->str;
	ev->str_len = (uint32_t)n;
}

/* ftrace print: "tracing_mark_write: text" or "0xffff...: text". */
static void parse_print(struct bt_text_parser *p, struct bt_event *ev,
			const char *s, const char *e, bool marker)
{
	const char *t;

	if (!marker) {
		t = s;
		while (t < e && *t != ' ' && *t != ':')
			t++;
		if (t + 1 < e && t[0] == ':' && t[1] == ' ') {
			/* "%ps" of the writer: a symbol, or hex unresolved */
			parse_num(s, t, &ev->arg[0]);
			s = t + 2;
		}
	}
	set_str(p, ev, s, e);
}

/* One token: [*k, *ke) = [*v, *ve); returns the end of the token. */
static const char *next_pair(const char *s, const char *e, const char **k,
			     const char **ke, const char **v, const char **ve)
{
	const char *t = s, *sep = NULL;

	while (t < e && *t != ' ' && *t != '\t') {
		if (!sep && *t == '=')
			sep = t;
		t++;
	}
	if (!sep) {
		/* "file-rss:12kB" */
		sep = memchr(s, ':', (size_t)(t - s));
		if (sep && sep + 1 == t)
			sep = NULL;
	}
	*k = s;
	*ke = sep ? sep : s;
	*v = sep ? sep + 1 : t;
	*ve = t;
	if (*ve > *v && (*ve)[-1] == ',')
		(*ve)--;
	return t;
}

int bt_text_parse_fields(struct bt_text_parser *p, struct bt_event *ev,
			 const char *s, const char *e, bool marker)
{
	const struct bt_event_desc *d = bt_event_desc(ev->type);
	/* kmem events: pfn first, from pfn= or page= */
	bool kmem = d && d->nr_fields && d->fields[0].kind == BT_FK_PFN &&
		    p->flen[d->type][0] == 3 && d->fields[0].name[0] == 'p';
	struct pfn_src ps = { 0 };
	const char *k, *ke, *v, *ve;
	int idx;

	if (!d)
		return BT_E_PARSE;
	if (ev->type == BT_EV_PRINT) {
		parse_print(p, ev, s, e, marker);
		return 0;
	}
	while (s < e) {
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= e)
			break;
		s = next_pair(s, e, &k, &ke, &v, &ve);
		if (ke == k)
			continue;
		if (kmem && eq(k, (size_t)(ke - k), "page")) {
			s = page_value(&ps, v, ve, s, e);
			continue;
		}
		if (eq(k, (size_t)(ke - k), "range")) {
			s = parse_range(ev, d, v, e);
			continue;
		}
		if (d->has_str && eq(k, (size_t)(ke - k), d->str_name)) {
			set_str(p, ev, v, ve);
			continue;
		}
		idx = field_index(p, d, k, (size_t)(ke - k));
		if (idx < 0)
			continue;	/* a field we do not keep */
		if (ev->type == BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES &&
		    eq(k, (size_t)(ke - k), "mode")) {
			set_migrate_mode(ev, idx, v, ve);
			continue;
		}
		if (kmem && idx == BT_ARG_PFN) {
			ps.have_pfn = parse_num(v, ve, &ps.pfn);
			continue;
		}
		set_value(p, ev, d, idx, v, ve);
	}
	if (kmem)
		finish_pfn(p, ev, &ps);
	return 0;
}
