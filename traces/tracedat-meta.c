// SPDX-License-Identifier: GPL-2.0-only
/*
 * tracedat-meta.c - what the trace.dat importer learns from an event's
 * format rather than from its records: which tep field feeds which
 * normalized argument (by the kernel's field names, with the older names
 * mapped), the kernel's gfp bit layout (from the __print_flags table of the
 * event's print format, as perf kmem does), the format file text to keep in
 * the .bt, and the host metadata (kernel release, cpus, clock, page size).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tracedat.h"

/* Older kernels' field names for a descriptor field. */
static const struct {
	const char *event, *field, *old;
} field_aliases[] = {
	{ NULL, "gfp_flags", "gfp_mask" },		/* 3.x-4.x */
	{ NULL, "gfp_mask", "gfp_flags" },
	{ NULL, "highest_zoneidx", "classzone_idx" },	/* before 5.9 */
	{ NULL, "zid", "zone_idx" },
};

static struct tep_format_field *find_field(struct tep_event *event,
					   const char *name)
{
	struct tep_format_field *f;

	for (f = event->format.fields; f; f = f->next)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

static struct tep_format_field *find_alias(struct tep_event *event,
					   const char *name)
{
	struct tep_format_field *f = find_field(event, name);
	size_t i;

	for (i = 0; !f && i < BT_ARRAY_SIZE(field_aliases); i++) {
		if (strcmp(field_aliases[i].field, name))
			continue;
		if (field_aliases[i].event &&
		    strcmp(field_aliases[i].event, event->name))
			continue;
		f = find_field(event, field_aliases[i].old);
	}
	return f;
}

/* Walk a print argument tree for the __print_flags of @field. */
static struct tep_print_flag_sym *find_flags(struct tep_print_arg *a,
					     const char *field, int depth)
{
	struct tep_print_flag_sym *s = NULL;
	struct tep_print_arg *f;

	for (; a && !s && depth < 16; a = a->next) {
		switch (a->type) {
		case TEP_PRINT_FLAGS:
			f = a->flags.field;
			while (f && f->type == TEP_PRINT_TYPE)
				f = f->typecast.item;
			if (f && f->type == TEP_PRINT_FIELD &&
			    !strcmp(f->field.name, field))
				return a->flags.flags;
			break;
		case TEP_PRINT_OP:
			s = find_flags(a->op.left, field, depth + 1);
			if (!s)
				s = find_flags(a->op.right, field, depth + 1);
			break;
		case TEP_PRINT_TYPE:
			s = find_flags(a->typecast.item, field, depth + 1);
			break;
		default:
			break;
		}
	}
	return s;
}

static struct bt_gfp_map *learn_gfp(struct tep_event *event,
				    const char *field)
{
	struct bt_gfp_map *m = malloc(sizeof(*m));
	struct tep_print_flag_sym *s;
	uint64_t v;

	if (!m)
		return NULL;
	bt_gfp_map_init(m);
	s = find_flags(event->print_fmt.args, field, 0);
	for (; s; s = s->next)
		if (s->value && s->str &&
		    !bt_parse_u64(s->value, -1, 0, &v))
			bt_gfp_map_learn(m, v, s->str);
	if (!m->nr)
		bt_gfp_map_default(m);
	return m;
}

static void resolve_arg(struct td_event *te, unsigned int i,
			const struct bt_field_desc *fd,
			struct tep_event *event)
{
	struct tep_format_field *f = find_alias(event, fd->name);
	struct td_arg *a = &te->arg[i];

	a->how = TD_ARG_ZERO;
	if (fd->kind == BT_FK_PFN && !f && !strcmp(fd->name, "pfn")) {
		f = find_field(event, "page");
		if (f)
			a->how = TD_ARG_PAGE;
	}
	if (!f || f->size <= 0 || f->size > 8 ||
	    (f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC))) {
		bt_debug("%s:%s has no numeric field '%s': stored as 0",
			 event->system, event->name, fd->name);
		return;
	}
	a->offset = f->offset;
	a->size = f->size;
	a->is_signed = f->flags & TEP_FIELD_IS_SIGNED;
	if (a->how == TD_ARG_PAGE)
		return;
	if (fd->kind == BT_FK_PFN)
		a->how = TD_ARG_PFN;
	else if (fd->kind == BT_FK_GFP)
		a->how = TD_ARG_GFP;
	else
		a->how = TD_ARG_NUM;
	if (a->how == TD_ARG_GFP && !te->gfp)
		te->gfp = learn_gfp(event, f->name);
	if (a->how == TD_ARG_GFP && !te->gfp)
		a->how = TD_ARG_ZERO;
}

void td_event_resolve(struct td_event *te, struct tep_event *event)
{
	const struct bt_event_desc *d;
	enum bt_event_type t;
	unsigned int i;

	memset(te, 0, sizeof(*te));
	te->resolved = true;
	t = bt_event_lookup(event->name);
	d = bt_event_desc(t);
	if (!d || (strcmp(d->system, event->system) &&
		   strcmp(event->system, "ftrace") && strcmp(d->system, "")))
		return;
	if (t == BT_EV_LOST || t == BT_EV_SNAPSHOT || t == BT_EV_SLOWPATH_PROBE)
		return;
	te->type = t;
	te->nr_args = d->nr_fields;
	for (i = 0; i < d->nr_fields; i++)
		resolve_arg(te, i, &d->fields[i], event);
	if (d->has_str)
		te->str = find_field(event, d->str_name);
}

void td_event_release(struct td_event *te)
{
	free(te->gfp);
	te->gfp = NULL;
}

int td_write_formats(struct tep_handle *tep, struct bt_writer *w)
{
	struct tep_event **list = tep_list_events(tep, TEP_EVENT_SORT_ID);
	struct td_event te;
	struct bt_buf b;
	int err = 0;

	if (!list)
		return -ENOMEM;
	bt_buf_init(&b);
	for (; *list && !err; list++) {
		td_event_resolve(&te, *list);
		td_event_release(&te);
		if (te.type == BT_EV_NONE)
			continue;
		b.len = 0;
		err = td_format_text(*list, &b);
		if (!err)
			err = bt_writer_add_format(w, (*list)->system,
						   (*list)->name,
						   (const char *)b.data);
	}
	bt_buf_release(&b);
	return err;
}

/* "[local] global counter" -> "local". */
static void selected_clock(const char *s, char *out, size_t size)
{
	const char *a = s ? strchr(s, '[') : NULL;
	const char *z = a ? strchr(a, ']') : NULL;
	size_t n;

	out[0] = 0;
	if (!s)
		return;
	if (!a || !z) {
		a = s - 1;
		z = s + strcspn(s, " \n");
	}
	n = BT_MIN((size_t)(z - a - 1), size - 1);
	memcpy(out, a + 1, n);
	out[n] = 0;
}

/*
 * trace-cmd keeps "sysname nodename release machine" (3.x) or "sysname
 * release version": the release is the first word after the sysname that
 * starts with a digit.
 */
static void kernel_release(const char *uname, char *out, size_t size)
{
	const char *p = uname ? strchr(uname, ' ') : NULL;
	size_t n;

	out[0] = 0;
	while (p && *p) {
		p += strspn(p, " ");
		n = strcspn(p, " \n");
		if (*p >= '0' && *p <= '9') {
			n = BT_MIN(n, size - 1);
			memcpy(out, p, n);
			out[n] = 0;
			return;
		}
		p += n;
	}
}

static int set_num(struct bt_writer *w, const char *key, long long v)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", v);
	return bt_writer_set_meta(w, key, s);
}

int td_write_meta(struct tracecmd_input *h, struct tracecmd_input *buf,
		  const char *buffer_name, struct bt_writer *w)
{
	const char *uname = tracecmd_get_uname(h);
	char s[256];
	int err;

	err = bt_writer_set_meta(w, BT_META_SOURCE, "import-tracedat");
	kernel_release(uname, s, sizeof(s));
	if (!err && s[0])
		err = bt_writer_set_meta(w, BT_META_KERNEL, s);
	if (!err && uname)
		err = bt_writer_set_meta(w, "uname", uname);
	if (!err)
		err = set_num(w, BT_META_CPUS, tracecmd_cpus(buf));
	if (!err)
		err = set_num(w, BT_META_PAGE_SIZE, tracecmd_page_size(h));
	selected_clock(tracecmd_get_trace_clock(buf), s, sizeof(s));
	if (!err && s[0])
		err = bt_writer_set_meta(w, BT_META_CLOCK, s);
	if (!err)
		err = set_num(w, "tracedat_version",
			      (long long)tracecmd_get_in_file_version(h));
	if (!err && buffer_name)
		err = bt_writer_set_meta(w, "tracedat_buffer", buffer_name);
	return err;
}
