// SPDX-License-Identifier: GPL-2.0-only
/*
 * decode.c - ring-buffer sub-buffers to struct bt_event.
 *
 * libtraceevent's generic field lookup by name costs a string search per
 * field per event; at a million events a second that is the recorder's
 * whole CPU budget. So the event formats are read once: for every selected
 * tracepoint id, the offset, size and signedness of each field the
 * normalized model keeps (traces/events.c names them) go into a table
 * indexed by id, and decoding a record is a handful of bounded loads.
 * Raw kernel values are normalized here: pfn -1 becomes BT_PFN_NONE, gfp
 * masks are translated to buddytrace's layout with the map learned from
 * the kernel's own __print_flags table of mm_page_alloc.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <kbuffer.h>

#include "record-internal.h"

static void field_from_tep(struct bt_rec_field *f,
			   const struct tep_format_field *tf)
{
	memset(f, 0, sizeof(*f));
	if (!tf)
		return;
	f->offset = tf->offset;
	f->size = tf->size;
	f->is_signed = tf->flags & TEP_FIELD_IS_SIGNED;
	f->dynamic = tf->flags & TEP_FIELD_IS_DYNAMIC;
	if (f->dynamic)
		f->size = 4;
}

static int evfmt_build(struct bt_rec_decoder *d, struct tep_event *e,
		       enum bt_event_type type)
{
	const struct bt_event_desc *desc = bt_event_desc(type);
	struct bt_rec_evfmt *f;
	unsigned int i;

	if (e->id < 0 || (unsigned int)e->id >= d->nr_ids)
		return BT_E_INTERNAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->type = type;
	f->desc = desc;
	for (i = 0; i < desc->nr_fields; i++)
		field_from_tep(&f->f[i], tep_find_field(e, desc->fields[i].name));
	if (desc->has_str)
		field_from_tep(&f->str, tep_find_field(e, desc->str_name));
	free(d->by_id[e->id]);
	d->by_id[e->id] = f;
	return 0;
}

static int max_event_id(struct tep_handle *tep)
{
	int i, n = tep_get_events_count(tep), max = 0;

	for (i = 0; i < n; i++) {
		struct tep_event *e = tep_get_event(tep, i);

		if (e && e->id > max)
			max = e->id;
	}
	return max;
}

static void stack_fields(struct bt_rec_decoder *d, struct tep_handle *tep)
{
	struct tep_event *e = tep_find_event_by_name(tep, "ftrace",
						     "kernel_stack");

	d->stack_id = -1;
	if (!e)
		return;
	d->stack_id = e->id;
	field_from_tep(&d->stack_size, tep_find_field(e, "size"));
	field_from_tep(&d->stack_caller, tep_find_field(e, "caller"));
	d->stack_caller.size = 8;
}

int bt_rec_decoder_init(struct bt_rec_decoder *d, struct tep_handle *tep,
			const struct bt_rec_evsel *sel,
			enum bt_event_type *missing)
{
	unsigned int t;
	int ret;

	memset(d, 0, sizeof(*d));
	*missing = BT_EV_NONE;
	d->long_size = tep_get_long_size(tep) ? tep_get_long_size(tep) : 8;
	d->nr_ids = (unsigned int)max_event_id(tep) + 1;
	d->by_id = calloc(d->nr_ids, sizeof(*d->by_id));
	if (!d->by_id)
		return -ENOMEM;
	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		const struct bt_event_desc *desc = bt_event_desc(t);
		struct tep_event *e;

		if (!sel->on[t])
			continue;
		e = tep_find_event_by_name(tep, desc->system, desc->name);
		if (!e) {
			*missing = (enum bt_event_type)t;
			return BT_E_NO_EVENT;
		}
		ret = evfmt_build(d, e, (enum bt_event_type)t);
		if (ret < 0)
			return ret;
	}
	stack_fields(d, tep);
	bt_gfp_map_default(&d->gfp);
	return 0;
}

int bt_rec_decoder_add(struct bt_rec_decoder *d, struct tep_handle *tep,
		       const char *system, const char *name,
		       enum bt_event_type type)
{
	struct tep_event *e = tep_find_event_by_name(tep, system, name);

	if (!e || !bt_event_desc(type))
		return BT_E_NO_EVENT;
	return evfmt_build(d, e, type);
}

void bt_rec_decoder_release(struct bt_rec_decoder *d)
{
	unsigned int i;

	for (i = 0; d->by_id && i < d->nr_ids; i++)
		free(d->by_id[i]);
	free(d->by_id);
	memset(d, 0, sizeof(*d));
}

/* Find the __print_flags table printing @field anywhere in @a. */
static struct tep_print_flag_sym *find_flags(struct tep_print_arg *a,
					     const char *field)
{
	struct tep_print_flag_sym *s = NULL;

	for (; a && !s; a = a->next) {
		switch (a->type) {
		case TEP_PRINT_FLAGS:
			if (a->flags.field &&
			    a->flags.field->type == TEP_PRINT_FIELD &&
			    !strcmp(a->flags.field->field.name, field))
				return a->flags.flags;
			break;
		case TEP_PRINT_OP:
			s = find_flags(a->op.left, field);
			if (!s)
				s = find_flags(a->op.right, field);
			break;
		case TEP_PRINT_TYPE:
			s = find_flags(a->typecast.item, field);
			break;
		default:
			break;
		}
	}
	return s;
}

int bt_rec_decoder_learn_gfp(struct bt_rec_decoder *d, struct tep_handle *tep)
{
	struct tep_event *e = tep_find_event_by_name(tep, "kmem",
						     "mm_page_alloc");
	struct tep_print_flag_sym *s;
	struct bt_gfp_map m;
	unsigned int n = 0;
	uint64_t v;

	if (!e)
		return BT_E_NO_EVENT;
	s = find_flags(e->print_fmt.args, "gfp_flags");
	bt_gfp_map_init(&m);
	for (; s; s = s->next) {
		if (!s->value || !s->str)
			continue;
		if (bt_parse_u64(s->value, -1, 0, &v) < 0)
			continue;
		bt_gfp_map_learn(&m, v, s->str);
		n++;
	}
	if (!n)
		return BT_E_PARSE;	/* keep the 6.x default */
	d->gfp = m;
	d->gfp_learned = true;
	return 0;
}

static uint64_t load_field(const struct bt_rec_field *f, const uint8_t *rec,
			   unsigned int size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64 = 0;

	if (!f->size || (unsigned int)f->offset + (unsigned int)f->size > size)
		return 0;
	switch (f->size) {
	case 1:
		memcpy(&u8, rec + f->offset, 1);
		return f->is_signed ? (uint64_t)(int64_t)(int8_t)u8 : u8;
	case 2:
		memcpy(&u16, rec + f->offset, 2);
		return f->is_signed ? (uint64_t)(int64_t)(int16_t)u16 : u16;
	case 4:
		memcpy(&u32, rec + f->offset, 4);
		return f->is_signed ? (uint64_t)(int64_t)(int32_t)u32 : u32;
	case 8:
		memcpy(&u64, rec + f->offset, 8);
		return u64;
	default:
		return 0;
	}
}

static uint64_t norm_arg(const struct bt_rec_decoder *d,
			 const struct bt_rec_field *f, enum bt_field_kind kind,
			 uint64_t v)
{
	switch (kind) {
	case BT_FK_PFN:
		if (f->size && f->size < 8 && !f->is_signed &&
		    v == (1ull << (8 * f->size)) - 1)
			return BT_PFN_NONE;
		return v == UINT64_MAX ? BT_PFN_NONE : v;
	case BT_FK_GFP:
		return bt_gfp_map_apply(&d->gfp, v);
	case BT_FK_BOOL:
		return v != 0;
	default:
		return v;
	}
}

/* The event's string: a __data_loc or a trailing char[]. */
static void load_str(const struct bt_rec_field *f, const uint8_t *rec,
		     unsigned int size, struct bt_event *ev)
{
	const char *s = NULL;
	size_t max = 0, len;

	if (!f->size && !f->offset)
		return;
	if (f->dynamic) {
		uint32_t loc = (uint32_t)load_field(f, rec, size);
		unsigned int off = loc & 0xffff, l = loc >> 16;

		if (off + l <= size) {
			s = (const char *)rec + off;
			max = l;
		}
	} else if ((unsigned int)f->offset <= size) {
		s = (const char *)rec + f->offset;
		max = f->size ? (size_t)f->size : size - (unsigned int)f->offset;
		if (f->offset + max > size)
			max = size - (unsigned int)f->offset;
	}
	if (!s)
		return;
	len = strnlen(s, max);
	if (len && s[len - 1] == '\n')
		len--;
	ev->str = s;
	ev->str_len = (uint32_t)len;
}

static int batch_grow(struct bt_rec_batch *b)
{
	struct bt_event *n;
	size_t cap;

	if (b->nr < b->cap)
		return 0;
	cap = b->cap ? b->cap * 2 : 512;
	n = realloc(b->ev, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	b->ev = n;
	b->cap = cap;
	return 0;
}

static void decode_stack(struct bt_rec_decoder *d, const uint8_t *rec,
			 unsigned int size, struct bt_rec_batch *b,
			 bt_rec_stack_fn fn, void *data)
{
	uint64_t ips[64];
	int64_t n = (int64_t)load_field(&d->stack_size, rec, size);
	unsigned int i, nr = 0;
	struct bt_event *prev;
	struct bt_rec_field f = d->stack_caller;

	if (!fn || !b->nr || n <= 0)
		return;
	for (i = 0; i < (unsigned int)n && i < BT_ARRAY_SIZE(ips); i++) {
		f.offset = d->stack_caller.offset + 8 * (int)i;
		if ((unsigned int)f.offset + 8 > size)
			break;
		ips[nr++] = load_field(&f, rec, size);
	}
	prev = &b->ev[b->nr - 1];
	if (prev->type == BT_EV_PAGE_ALLOC && !prev->stack_id)
		prev->stack_id = fn(data, ips, nr);
}

static int decode_one(struct bt_rec_decoder *d, const uint8_t *rec,
		      unsigned int size, uint64_t ts, unsigned int cpu,
		      struct bt_rec_batch *b)
{
	const struct bt_rec_evfmt *f;
	struct bt_event *ev;
	uint16_t id;
	int32_t pid;
	unsigned int i;

	memcpy(&id, rec, 2);
	f = id < d->nr_ids ? d->by_id[id] : NULL;
	if (!f) {
		b->skipped++;
		return 0;
	}
	if (batch_grow(b) < 0)
		return -ENOMEM;
	ev = &b->ev[b->nr++];
	memset(ev, 0, sizeof(*ev));
	memcpy(&pid, rec + 4, 4);
	ev->ts = ts;
	ev->type = f->type;
	ev->cpu = cpu;
	ev->pid = pid;
	for (i = 0; i < f->desc->nr_fields; i++)
		ev->arg[i] = norm_arg(d, &f->f[i], f->desc->fields[i].kind,
				      load_field(&f->f[i], rec, size));
	if (f->desc->has_str)
		load_str(&f->str, rec, size, ev);
	return 0;
}

static int add_lost(struct bt_rec_batch *b, int missed, uint64_t ts,
		    unsigned int cpu)
{
	struct bt_event *ev;

	if (batch_grow(b) < 0)
		return -ENOMEM;
	ev = &b->ev[b->nr++];
	memset(ev, 0, sizeof(*ev));
	ev->type = BT_EV_LOST;
	ev->ts = ts;
	ev->cpu = cpu;
	ev->pid = -1;
	ev->arg[0] = missed > 0 ? (uint64_t)missed : 0;
	if (missed > 0)
		b->missed += (uint64_t)missed;
	else
		b->missed_unknown = true;
	return 0;
}

int bt_rec_decode_subbuf(struct bt_rec_decoder *d, struct kbuffer *kbuf,
			 void *page, unsigned int cpu, struct bt_rec_batch *b,
			 bt_rec_stack_fn stack_fn, void *stack_data)
{
	unsigned long long ts;
	const uint8_t *rec;
	int missed, ret;

	b->missed = 0;
	b->missed_unknown = false;
	if (kbuffer_load_subbuffer(kbuf, page) < 0)
		return BT_E_CORRUPT;
	b->data_bytes = (uint64_t)kbuffer_subbuffer_size(kbuf);
	missed = kbuffer_missed_events(kbuf);
	rec = kbuffer_read_event(kbuf, &ts);
	if (missed) {
		uint64_t lts = rec ? ts : kbuffer_timestamp(kbuf);

		ret = add_lost(b, missed, BT_MAX(lts, b->last_ts), cpu);
		if (ret < 0)
			return ret;
	}
	for (; rec; rec = kbuffer_next_event(kbuf, &ts)) {
		unsigned int size = (unsigned int)kbuffer_event_size(kbuf);
		uint16_t id;

		if (size < 8)
			continue;
		/* Time order per CPU is the writer's contract. */
		if (ts < b->last_ts)
			ts = b->last_ts;
		b->last_ts = ts;
		if (!b->first_ts)
			b->first_ts = ts;
		memcpy(&id, rec, 2);
		if ((int)id == d->stack_id) {
			decode_stack(d, rec, size, b, stack_fn, stack_data);
			continue;
		}
		ret = decode_one(d, rec, size, ts, cpu, b);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void bt_rec_batch_release(struct bt_rec_batch *b)
{
	free(b->ev);
	memset(b, 0, sizeof(*b));
}
