// SPDX-License-Identifier: GPL-2.0-only
/*
 * dump.c - printing events and snapshots of a .bt file: text close to
 * `trace-cmd report`, JSON Lines and CSV, plus the event filter.
 *
 * Field names and kinds come from the descriptor table, so every event
 * type prints without code of its own. Machine formats keep integers
 * exact (pfns in decimal, a failed allocation's pfn as null in JSON) and
 * name gfp masks with bt_gfp_format(). Event fields whose kernel name
 * collides with the common keys (pid and comm of the oom events) are
 * printed as field_pid and field_comm in JSON and CSV.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/json.h"
#include "traces-internal.h"

#define BT_CSV_MAX_COLS 128

struct bt_dumper {
	FILE *out;
	enum bt_dump_format fmt;
	const struct bt_reader *r;
	struct bt_json json;
	unsigned int nr_cols;
	const char *cols[BT_CSV_MAX_COLS];
	/* field index of each column per type, -1 none, BT_EVENT_MAX_ARGS str */
	int8_t col_field[BT_EV_TYPE_COUNT][BT_CSV_MAX_COLS];
};

static bool type_in_system(const struct bt_event_desc *d, const char *s,
			   size_t n)
{
	return strlen(d->system) == n && !strncmp(d->system, s, n);
}

/* Select one name of the list: "name", "system:name" or "system". */
static bool select_name(struct bt_dump_filter *f, const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	char name[96];
	unsigned int t;
	bool any = false;

	if (colon) {
		n -= (size_t)(colon + 1 - s);
		s = colon + 1;
	}
	if (!n || n >= sizeof(name))
		return false;
	memcpy(name, s, n);
	name[n] = '\0';
	t = bt_event_lookup(name);
	if (t != BT_EV_NONE) {
		f->types[t] = true;
		return true;
	}
	for (t = 1; t < BT_EV_TYPE_COUNT && !colon; t++) {
		const struct bt_event_desc *d = bt_event_desc(t);

		if (d && type_in_system(d, name, n)) {
			f->types[t] = true;
			any = true;
		}
	}
	return any;
}

int bt_dump_filter_types(struct bt_dump_filter *f, const char *list,
			 char *bad_buf, size_t bad_size)
{
	const char *p = list;

	f->any_type = true;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n && !select_name(f, p, n)) {
			snprintf(bad_buf, bad_size, "%.*s", (int)n, p);
			return BT_E_USAGE;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

bool bt_dump_match(const struct bt_dump_filter *f, const struct bt_event *ev)
{
	if (f->any_type && (ev->type >= BT_EV_TYPE_COUNT || !f->types[ev->type]))
		return false;
	if (f->have_pid && ev->pid != f->pid)
		return false;
	if (f->have_cpu && ev->cpu != f->cpu)
		return false;
	if (ev->ts < f->from || (f->to && ev->ts > f->to))
		return false;
	return true;
}

/* JSON/CSV name of a field: collisions with common keys get a prefix. */
static const char *field_key(const char *name, char *buf, size_t size)
{
	static const char *const common[] = { "event", "ts_ns", "cpu", "pid",
					      "comm" };
	size_t i;

	for (i = 0; i < BT_ARRAY_SIZE(common); i++) {
		if (!strcmp(name, common[i])) {
			snprintf(buf, size, "field_%s", name);
			return buf;
		}
	}
	return name;
}

static int add_col(struct bt_dumper *d, const char *name)
{
	unsigned int i;

	for (i = 0; i < d->nr_cols; i++)
		if (!strcmp(d->cols[i], name))
			return (int)i;
	if (d->nr_cols == BT_CSV_MAX_COLS)
		return -1;
	d->cols[d->nr_cols] = name;
	return (int)d->nr_cols++;
}

/* Columns: the fields of every type the file holds and the filter keeps. */
static void csv_columns(struct bt_dumper *d, struct bt_reader *r,
			const struct bt_dump_filter *f)
{
	static const char *const fixed[] = { "ts_ns", "cpu", "pid", "comm",
					     "event" };
	static char keys[BT_EV_TYPE_COUNT][BT_EVENT_MAX_ARGS + 1][40];
	struct bt_trace_stats st;
	unsigned int t, i;
	int c;

	memset(d->col_field, -1, sizeof(d->col_field));
	for (i = 0; i < BT_ARRAY_SIZE(fixed); i++)
		add_col(d, fixed[i]);
	if (bt_reader_stats(r, &st))
		memset(&st, 0, sizeof(st));
	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		const struct bt_event_desc *desc = bt_event_desc(t);

		if (!desc || !st.per_type[t] || (f->any_type && !f->types[t]))
			continue;
		for (i = 0; i <= desc->nr_fields; i++) {
			const char *name = i < desc->nr_fields ?
				desc->fields[i].name :
				desc->has_str ? desc->str_name : NULL;

			if (!name)
				continue;
			c = add_col(d, field_key(name, keys[t][i],
						 sizeof(keys[t][i])));
			if (c >= 0)
				d->col_field[t][c] = (int8_t)i;
		}
	}
}

static void csv_header(struct bt_dumper *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_cols; i++)
		fprintf(d->out, "%s%s", i ? "," : "", d->cols[i]);
	fputc('\n', d->out);
}

struct bt_dumper *bt_dumper_new(FILE *out, enum bt_dump_format fmt,
				struct bt_reader *r,
				const struct bt_dump_filter *f)
{
	struct bt_dumper *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->out = out;
	d->fmt = fmt;
	d->r = r;
	if (fmt == BT_DUMP_CSV) {
		csv_columns(d, r, f);
		csv_header(d);
	}
	return d;
}

void bt_dumper_free(struct bt_dumper *d)
{
	free(d);
}

/* Value of field @i as text for text and CSV output. */
static void field_text(const struct bt_dumper *d, const struct bt_event *ev,
		       const struct bt_field_desc *fd, unsigned int i,
		       char *buf, size_t size)
{
	uint64_t v = ev->arg[i];

	if (ev->type == BT_EV_SNAPSHOT && i == 1) {
		bt_strlcpy(buf, bt_snapshot_kind_name((unsigned int)v), size);
		return;
	}
	switch (fd->kind) {
	case BT_FK_PFN:
		if (v == BT_PFN_NONE)
			bt_strlcpy(buf, "-1", size);
		else if (v == BT_PFN_UNKNOWN)
			bt_strlcpy(buf, d->fmt == BT_DUMP_CSV ? "" : "?", size);
		else
			snprintf(buf, size, d->fmt == BT_DUMP_CSV ? "%llu"
				 : "0x%llx", (unsigned long long)v);
		break;
	case BT_FK_SIGNED:
		snprintf(buf, size, "%lld", (long long)(int64_t)v);
		break;
	case BT_FK_GFP:
		bt_gfp_format(v, buf, size);
		break;
	case BT_FK_HEX:
		snprintf(buf, size, "0x%llx", (unsigned long long)v);
		break;
	default:
		snprintf(buf, size, "%llu", (unsigned long long)v);
		break;
	}
}

/* Text-mode string: printable bytes as they are, others escaped. */
static void put_text_str(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' && i + 1 == n)
			break;	/* trace_marker writes end in a newline */
		if (c >= 0x20 && c != 0x7f && c != '\\')
			fputc(c, out);
		else if (c == '\n')
			fputs("\\n", out);
		else
			fprintf(out, "\\x%02x", c);
	}
}

static void dump_text(struct bt_dumper *d, const struct bt_event *ev,
		      const struct bt_event_desc *desc)
{
	char val[512];
	unsigned int i;
	int pad = 22 - (int)strlen(desc->name);

	fprintf(d->out, "%16s-%-7d [%03u] %6llu.%06llu: %s:%*s",
		ev->comm ? ev->comm : "<...>", ev->pid, ev->cpu,
		(unsigned long long)(ev->ts / 1000000000),
		(unsigned long long)(ev->ts % 1000000000 / 1000), desc->name,
		pad > 0 ? pad : 1, "");
	for (i = 0; i < desc->nr_fields; i++) {
		field_text(d, ev, &desc->fields[i], i, val, sizeof(val));
		fprintf(d->out, "%s%s=%s", i ? " " : "", desc->fields[i].name,
			val);
	}
	if (desc->has_str) {
		fprintf(d->out, " %s=", desc->str_name);
		put_text_str(d->out, ev->str ? ev->str : "", ev->str_len);
	}
	if (ev->stack_id)
		fprintf(d->out, " stack=%u", ev->stack_id);
	fputc('\n', d->out);
}

static void json_field(struct bt_dumper *d, const struct bt_event *ev,
		       const struct bt_field_desc *fd, unsigned int i)
{
	struct bt_json *j = &d->json;
	char key[40], val[512];
	uint64_t v = ev->arg[i];

	bt_json_key(j, field_key(fd->name, key, sizeof(key)));
	if (ev->type == BT_EV_SNAPSHOT && i == 1) {
		bt_json_string(j, bt_snapshot_kind_name((unsigned int)v));
		return;
	}
	switch (fd->kind) {
	case BT_FK_PFN:
		if (v == BT_PFN_NONE || v == BT_PFN_UNKNOWN)
			bt_json_null(j);
		else
			bt_json_uint(j, v);
		break;
	case BT_FK_SIGNED:
		bt_json_int(j, (int64_t)v);
		break;
	case BT_FK_GFP:
		bt_gfp_format(v, val, sizeof(val));
		bt_json_string(j, val);
		break;
	case BT_FK_BOOL:
		bt_json_bool(j, v != 0);
		break;
	default:
		bt_json_uint(j, v);
		break;
	}
}

static void dump_jsonl(struct bt_dumper *d, const struct bt_event *ev,
		       const struct bt_event_desc *desc)
{
	struct bt_json *j = &d->json;
	char key[40];
	unsigned int i;

	bt_json_init(j, d->out, false);
	bt_json_begin_object(j);
	bt_json_kv_string(j, "event", desc->name);
	bt_json_kv_uint(j, "ts_ns", ev->ts);
	bt_json_kv_uint(j, "cpu", ev->cpu);
	bt_json_kv_int(j, "pid", ev->pid);
	bt_json_kv_string(j, "comm", ev->comm);
	for (i = 0; i < desc->nr_fields; i++)
		json_field(d, ev, &desc->fields[i], i);
	if (desc->has_str) {
		bt_json_key(j, field_key(desc->str_name, key, sizeof(key)));
		bt_json_string_len(j, ev->str ? ev->str : "", ev->str_len);
	}
	if (ev->flags & BT_EVF_PFN_UNKNOWN)
		bt_json_kv_bool(j, "pfn_unknown", true);
	if (ev->stack_id)
		bt_json_kv_uint(j, "stack_id", ev->stack_id);
	bt_json_end_object(j);
	fputc('\n', d->out);
}

static void csv_cell(FILE *out, const char *s, size_t n)
{
	size_t i;

	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) &&
	    !memchr(s, '\r', n)) {
		fwrite(s, 1, n, out);
		return;
	}
	fputc('"', out);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i], out);
	}
	fputc('"', out);
}

static void dump_csv(struct bt_dumper *d, const struct bt_event *ev,
		     const struct bt_event_desc *desc)
{
	char val[512];
	unsigned int c;

	fprintf(d->out, "%llu,%u,%d,", (unsigned long long)ev->ts, ev->cpu,
		ev->pid);
	if (ev->comm)
		csv_cell(d->out, ev->comm, strlen(ev->comm));
	fprintf(d->out, ",%s", desc->name);
	for (c = 5; c < d->nr_cols; c++) {
		int i = d->col_field[ev->type][c];

		fputc(',', d->out);
		if (i < 0)
			continue;
		if ((unsigned int)i == desc->nr_fields) {
			csv_cell(d->out, ev->str ? ev->str : "", ev->str_len);
			continue;
		}
		field_text(d, ev, &desc->fields[i], (unsigned int)i, val,
			   sizeof(val));
		csv_cell(d->out, val, strlen(val));
	}
	fputc('\n', d->out);
}

int bt_dumper_event(struct bt_dumper *d, const struct bt_event *ev)
{
	const struct bt_event_desc *desc = bt_event_desc(ev->type);

	if (!desc)
		return -EINVAL;
	switch (d->fmt) {
	case BT_DUMP_TEXT:
		dump_text(d, ev, desc);
		break;
	case BT_DUMP_JSONL:
		dump_jsonl(d, ev, desc);
		break;
	case BT_DUMP_CSV:
		dump_csv(d, ev, desc);
		break;
	case BT_DUMP_NONE:
		return 0;
	}
	return ferror(d->out) ? -(errno ? errno : EIO) : 0;
}

static bool snapshot_is_binary(const struct bt_snapshot *s)
{
	return s->kind == BT_SNAP_KPAGEFLAGS || memchr(s->data, '\0', s->len);
}

static void snapshot_one(FILE *out, enum bt_dump_format fmt,
			 const struct bt_snapshot *s, unsigned int i)
{
	const char *kind = bt_snapshot_kind_name(s->kind);
	bool bin = snapshot_is_binary(s);
	struct bt_json j;

	switch (fmt) {
	case BT_DUMP_TEXT:
		fprintf(out, "# snapshot %u: %s at %llu.%06llu (ts_ns %llu), "
			"%zu bytes%s\n", i, kind,
			(unsigned long long)(s->ts / 1000000000),
			(unsigned long long)(s->ts % 1000000000 / 1000),
			(unsigned long long)s->ts, s->len,
			bin ? " (binary, not shown)" : "");
		if (!bin) {
			fwrite(s->data, 1, s->len, out);
			if (s->len && s->data[s->len - 1] != '\n')
				fputc('\n', out);
		}
		break;
	case BT_DUMP_JSONL:
		bt_json_init(&j, out, false);
		bt_json_begin_object(&j);
		bt_json_kv_uint(&j, "snapshot", i);
		bt_json_kv_string(&j, "kind", kind);
		bt_json_kv_uint(&j, "ts_ns", s->ts);
		bt_json_kv_uint(&j, "bytes", s->len);
		bt_json_key(&j, "text");
		if (bin)
			bt_json_null(&j);
		else
			bt_json_string_len(&j, (const char *)s->data, s->len);
		bt_json_end_object(&j);
		fputc('\n', out);
		break;
	case BT_DUMP_CSV:
		fprintf(out, "%u,%s,%llu,%zu\n", i, kind,
			(unsigned long long)s->ts, s->len);
		break;
	case BT_DUMP_NONE:
		break;
	}
}

int bt_dump_snapshots(FILE *out, enum bt_dump_format fmt,
		      const struct bt_reader *r,
		      const struct bt_dump_filter *f)
{
	unsigned int n = bt_reader_nr_snapshots(r), i, k, best;
	uint64_t done_ts = 0;
	bool *done = calloc(n + 1, sizeof(*done));

	if (!done)
		return -ENOMEM;
	if (fmt == BT_DUMP_CSV)
		fputs("snapshot,kind,ts_ns,bytes\n", out);
	/* time order, file order among equal ts (n is small) */
	for (k = 0; k < n; k++) {
		best = n;
		for (i = 0; i < n; i++) {
			if (done[i])
				continue;
			if (best == n || bt_reader_snapshot(r, i)->ts <
					 bt_reader_snapshot(r, best)->ts)
				best = i;
		}
		done[best] = true;
		done_ts = bt_reader_snapshot(r, best)->ts;
		if (done_ts < f->from || (f->to && done_ts > f->to))
			continue;
		snapshot_one(out, fmt, bt_reader_snapshot(r, best), best);
	}
	free(done);
	return ferror(out) ? -(errno ? errno : EIO) : 0;
}
