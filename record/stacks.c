// SPDX-License-Identifier: GPL-2.0-only
/*
 * stacks.c - kernel stacks of selected allocations: dedup and symbols.
 *
 * A stacktrace trigger on mm_page_alloc makes the kernel write a
 * kernel_stack event after each matching allocation. Most of those stacks
 * repeat, so the readers intern them into a table (hash of the frames ->
 * id) and the event carries only the id; the table goes to the file once,
 * at the end, symbolized from /proc/kallsyms ("sym+0xoff") and, given a
 * vmlinux with debug info, with file:line from libdwfl.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <elfutils/libdwfl.h>

#include "record-internal.h"

struct ksym {
	uint64_t addr;
	char *name;
};

struct bt_rec_ksyms {
	struct ksym *s;
	size_t nr;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int ksym_line(struct bt_rec_ksyms *k, size_t *cap, char *line)
{
	char *save = NULL, *a = strtok_r(line, " \t\n", &save);
	char *t = strtok_r(NULL, " \t\n", &save);
	char *name = strtok_r(NULL, " \t\n", &save);
	uint64_t addr;
	struct ksym *n;

	if (!a || !t || !name || bt_parse_u64(a, -1, 16, &addr) < 0 || !addr)
		return 0;
	if (k->nr == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		n = realloc(k->s, *cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		k->s = n;
	}
	k->s[k->nr].addr = addr;
	k->s[k->nr].name = strdup(name);
	if (!k->s[k->nr].name)
		return -ENOMEM;
	k->nr++;
	return 0;
}

struct bt_rec_ksyms *bt_rec_ksyms_load(const char *path)
{
	struct bt_rec_ksyms *k = calloc(1, sizeof(*k));
	char *line = NULL;
	size_t lcap = 0, cap = 0;
	FILE *f;
	int ret = 0;

	if (!k)
		return NULL;
	f = fopen(path, "re");
	if (!f) {
		free(k);
		return NULL;
	}
	while (ret == 0 && getline(&line, &lcap, f) > 0)
		ret = ksym_line(k, &cap, line);
	free(line);
	fclose(f);
	if (ret < 0) {
		bt_rec_ksyms_free(k);
		errno = -ret;
		return NULL;
	}
	qsort(k->s, k->nr, sizeof(*k->s), ksym_cmp);
	return k;
}

void bt_rec_ksyms_free(struct bt_rec_ksyms *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->nr; i++)
		free(k->s[i].name);
	free(k->s);
	free(k);
}

bool bt_rec_ksyms_lookup(const struct bt_rec_ksyms *k, uint64_t addr,
			 char *buf, size_t size)
{
	size_t lo = 0, hi = k ? k->nr : 0;

	if (!hi || addr < k->s[0].addr)
		return false;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->s[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	snprintf(buf, size, "%s+0x%llx", k->s[lo].name,
		 (unsigned long long)(addr - k->s[lo].addr));
	return true;
}

uint64_t bt_rec_ksyms_addr(const struct bt_rec_ksyms *k, const char *name)
{
	size_t i;

	for (i = 0; k && i < k->nr; i++)
		if (!strcmp(k->s[i].name, name))
			return k->s[i].addr;
	return 0;
}

const char *bt_rec_ksyms_find_prefix(const struct bt_rec_ksyms *k,
				     const char *prefix)
{
	size_t i, n = strlen(prefix);
	const char *best = NULL;

	for (i = 0; k && i < k->nr; i++) {
		if (strncmp(k->s[i].name, prefix, n))
			continue;
		if (!k->s[i].name[n])
			return k->s[i].name;
		/* "name.constprop.0" or "name.isra.0", never "namefoo" */
		if (k->s[i].name[n] == '.' && !best)
			best = k->s[i].name;
	}
	return best;
}

/* ---- the stack table ---- */

struct stack_ent {
	uint64_t hash;
	uint32_t id;		/* 0: empty slot */
	unsigned int nr;
	uint64_t *ips;
};

struct bt_rec_stacks {
	struct stack_ent *slot;
	size_t cap, nr;
	struct stack_ent **by_id;	/* id - 1 -> entry copy */
};

struct bt_rec_stacks *bt_rec_stacks_new(void)
{
	struct bt_rec_stacks *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = 1024;
	t->slot = calloc(t->cap, sizeof(*t->slot));
	if (!t->slot) {
		free(t);
		return NULL;
	}
	return t;
}

void bt_rec_stacks_free(struct bt_rec_stacks *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->cap; i++)
		free(t->slot[i].ips);
	free(t->slot);
	free(t->by_id);
	free(t);
}

static uint64_t hash_ips(const uint64_t *ips, unsigned int nr)
{
	uint64_t h = 1469598103934665603ull ^ nr;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		h ^= ips[i];
		h *= 1099511628211ull;
		h ^= h >> 29;
	}
	return h;
}

static struct stack_ent *find_slot(struct stack_ent *slot, size_t cap,
				   uint64_t h, const uint64_t *ips,
				   unsigned int nr)
{
	size_t i = h & (cap - 1);

	for (;; i = (i + 1) & (cap - 1)) {
		struct stack_ent *e = &slot[i];

		if (!e->id)
			return e;
		if (e->hash == h && e->nr == nr &&
		    !memcmp(e->ips, ips, nr * sizeof(*ips)))
			return e;
	}
}

static int grow(struct bt_rec_stacks *t)
{
	size_t cap = t->cap * 2, i;
	struct stack_ent *n = calloc(cap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < t->cap; i++)
		if (t->slot[i].id)
			*find_slot(n, cap, t->slot[i].hash, t->slot[i].ips,
				   t->slot[i].nr) = t->slot[i];
	free(t->slot);
	t->slot = n;
	t->cap = cap;
	return 0;
}

uint32_t bt_rec_stacks_intern(struct bt_rec_stacks *t, const uint64_t *ips,
			      unsigned int nr)
{
	uint64_t h = hash_ips(ips, nr);
	struct stack_ent *e;

	if ((t->nr + 1) * 2 > t->cap && grow(t) < 0)
		return 0;
	e = find_slot(t->slot, t->cap, h, ips, nr);
	if (e->id)
		return e->id;
	e->ips = malloc((nr ? nr : 1) * sizeof(*ips));
	if (!e->ips)
		return 0;
	memcpy(e->ips, ips, nr * sizeof(*ips));
	e->hash = h;
	e->nr = nr;
	e->id = (uint32_t)++t->nr;
	return e->id;
}

unsigned int bt_rec_stacks_count(const struct bt_rec_stacks *t)
{
	return (unsigned int)t->nr;
}

/* ---- file:line from a vmlinux ---- */

struct dwarf_ctx {
	Dwfl *dwfl;
	Dwfl_Module *mod;
	int64_t bias;		/* runtime address - vmlinux address */
};

static const Dwfl_Callbacks dwfl_cb = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static uint64_t module_sym(Dwfl_Module *m, const char *name)
{
	int i, n = dwfl_module_getsymtab(m);

	for (i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *s = dwfl_module_getsym(m, i, &sym, NULL);

		if (s && !strcmp(s, name))
			return sym.st_value;
	}
	return 0;
}

static int dwarf_open(struct dwarf_ctx *d, const char *vmlinux,
		      const struct bt_rec_ksyms *k)
{
	uint64_t st;

	memset(d, 0, sizeof(*d));
	d->dwfl = dwfl_begin(&dwfl_cb);
	if (!d->dwfl)
		return -ENOMEM;
	d->mod = dwfl_report_offline(d->dwfl, "vmlinux", vmlinux, -1);
	dwfl_report_end(d->dwfl, NULL, NULL);
	if (!d->mod)
		goto fail;
	st = module_sym(d->mod, "_stext");
	if (st && bt_rec_ksyms_addr(k, "_stext"))
		d->bias = (int64_t)(bt_rec_ksyms_addr(k, "_stext") - st);
	return 0;
fail:
	dwfl_end(d->dwfl);
	d->dwfl = NULL;
	return BT_E_FORMAT;
}

static void dwarf_line(struct dwarf_ctx *d, uint64_t ip, struct bt_buf *out)
{
	Dwfl_Line *l;
	const char *file;
	int line = 0;

	if (!d->dwfl)
		return;
	/* A return address: the call is the byte before it. */
	l = dwfl_module_getsrc(d->mod, (Dwarf_Addr)(ip - 1 - (uint64_t)d->bias));
	if (!l)
		return;
	file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
	if (file)
		bt_buf_printf(out, " %s:%d", file, line);
}

static int emit_one(struct stack_ent *e, struct bt_rec_sink *s,
		    const struct bt_rec_ksyms *k, struct dwarf_ctx *d,
		    struct bt_buf *txt)
{
	char sym[256];
	unsigned int i;
	int ret;

	txt->len = 0;
	for (i = 0; i < e->nr; i++) {
		if (!bt_rec_ksyms_lookup(k, e->ips[i], sym, sizeof(sym)))
			snprintf(sym, sizeof(sym), "0x%llx",
				 (unsigned long long)e->ips[i]);
		ret = bt_buf_printf(txt, "%s", sym);
		if (ret < 0)
			return ret;
		dwarf_line(d, e->ips[i], txt);
		ret = bt_buf_append(txt, "\n", 1);
		if (ret < 0)
			return ret;
	}
	ret = bt_buf_append(txt, "", 1);
	if (ret < 0)
		return ret;
	return bt_rec_sink_stack(s, e->id, e->ips, e->nr, (char *)txt->data);
}

int bt_rec_stacks_emit(struct bt_rec_stacks *t, struct bt_rec_sink *s,
		       const struct bt_rec_ksyms *k, const char *vmlinux)
{
	struct dwarf_ctx d = { 0 };
	struct bt_buf txt;
	size_t i;
	int ret = 0;

	if (vmlinux) {
		ret = dwarf_open(&d, vmlinux, k);
		if (ret < 0)
			bt_warn("cannot read debug info of '%s': no file:line "
				"in stacks", vmlinux);
		ret = 0;
	}
	bt_buf_init(&txt);
	free(t->by_id);
	t->by_id = calloc(t->nr + 1, sizeof(*t->by_id));
	if (!t->by_id)
		ret = -ENOMEM;
	for (i = 0; i < t->cap && !ret; i++)
		if (t->slot[i].id)
			t->by_id[t->slot[i].id - 1] = &t->slot[i];
	/* In id order, so the file is deterministic. */
	for (i = 0; i < t->nr && !ret; i++)
		ret = emit_one(t->by_id[i], s, k, &d, &txt);
	bt_buf_release(&txt);
	if (d.dwfl)
		dwfl_end(d.dwfl);
	return ret;
}
