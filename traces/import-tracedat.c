// SPDX-License-Identifier: GPL-2.0-only
/*
 * import-tracedat.c - trace-cmd trace.dat files (versions 6 and 7,
 * compressed or not, one or several buffers) into a .bt writer, through
 * libtracecmd.
 *
 * Speed comes from never printing: each tracepoint id is resolved once
 * (tracedat-meta.c) into fixed field offsets, and every record is decoded
 * by loading those fields from its raw data. CPUs are read one after the
 * other, each in its own time order, which is all the writer asks; the
 * reader merges them later. Pages that lost events carry the count in the
 * record that follows them, which becomes a BT_EV_LOST marker.
 *
 * Buffers: a file may hold the top buffer and instances (trace-cmd record
 * -B). The one named by the options is taken, else the first one whose
 * records include allocator events.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracedat.h"

#define TD_MAX_ID 65536		/* tracepoint ids are 16-bit */
#define TD_PEEK_RECORDS 20000	/* records looked at to choose a buffer */
#define TD_COMM_CACHE 1024

struct td_ctx {
	struct tep_handle *tep;
	struct bt_writer *w;
	const struct bt_import_opts *o;
	struct bt_import_stats *st;
	struct td_event *ev;		/* by tracepoint id */
	unsigned int nr_ev;
	bool swap;			/* file endianness differs from ours */
	struct {
		int pid;
		bool valid;
		const char *comm;	/* NULL: the file does not know it */
	} comm[TD_COMM_CACHE];
	struct {
		uint64_t raw, canon;
		const struct bt_gfp_map *map;
	} gfp[256];
};

static struct td_event *td_lookup(struct td_ctx *c, int id)
{
	struct td_event *te;

	if (id < 0 || id >= TD_MAX_ID)
		return NULL;
	if ((unsigned int)id >= c->nr_ev) {
		unsigned int n = BT_MAX((unsigned int)id + 1, c->nr_ev * 2);
		struct td_event *p = realloc(c->ev, n * sizeof(*p));

		if (!p)
			return NULL;
		memset(p + c->nr_ev, 0, (n - c->nr_ev) * sizeof(*p));
		c->ev = p;
		c->nr_ev = n;
	}
	te = &c->ev[id];
	if (!te->resolved) {
		struct tep_event *e = tep_find_event(c->tep, id);

		if (e) {
			td_event_resolve(te, e);
		} else {
			memset(te, 0, sizeof(*te));
			te->resolved = true;
		}
	}
	return te;
}

static uint64_t td_load(const struct td_ctx *c, const struct td_arg *a,
			const unsigned char *data)
{
	uint64_t v = 0;

	switch (a->size) {
	case 1: {
		uint8_t x = data[a->offset];

		v = a->is_signed ? (uint64_t)(int64_t)(int8_t)x : x;
		break;
	}
	case 2: {
		uint16_t x;

		memcpy(&x, data + a->offset, 2);
		if (c->swap)
			x = __builtin_bswap16(x);
		v = a->is_signed ? (uint64_t)(int64_t)(int16_t)x : x;
		break;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, data + a->offset, 4);
		if (c->swap)
			x = __builtin_bswap32(x);
		v = a->is_signed ? (uint64_t)(int64_t)(int32_t)x : x;
		break;
	}
	case 8:
		memcpy(&v, data + a->offset, 8);
		if (c->swap)
			v = __builtin_bswap64(v);
		break;
	default:
		break;
	}
	return v;
}

static uint64_t td_gfp(struct td_ctx *c, const struct bt_gfp_map *m,
		       uint64_t raw)
{
	unsigned int h = (unsigned int)((raw * 0x9e3779b97f4a7c15ull) >> 56);

	if (c->gfp[h].map != m || c->gfp[h].raw != raw) {
		c->gfp[h].map = m;
		c->gfp[h].raw = raw;
		c->gfp[h].canon = bt_gfp_map_apply(m, raw);
	}
	return c->gfp[h].canon;
}

static uint64_t td_page_to_pfn(struct td_ctx *c, uint64_t page,
			       struct bt_event *ev)
{
	const struct bt_import_opts *o = c->o;

	if (page == 0)
		return BT_PFN_NONE;
	if (o && o->have_vmemmap && o->struct_page_size &&
	    page >= o->vmemmap_base)
		return (page - o->vmemmap_base) / o->struct_page_size;
	ev->flags |= BT_EVF_PFN_UNKNOWN;
	c->st->pfn_unknown++;
	return BT_PFN_UNKNOWN;
}

static void td_args(struct td_ctx *c, const struct td_event *te,
		    const unsigned char *data, int size, struct bt_event *ev)
{
	unsigned int i;

	for (i = 0; i < te->nr_args; i++) {
		const struct td_arg *a = &te->arg[i];
		uint64_t v;

		if (a->how == TD_ARG_ZERO || a->offset + a->size > size) {
			ev->arg[i] = 0;
			continue;
		}
		v = td_load(c, a, data);
		switch (a->how) {
		case TD_ARG_PFN:
			if (v == UINT64_MAX ||
			    (a->size == 4 && v == UINT32_MAX))
				v = BT_PFN_NONE;
			break;
		case TD_ARG_PAGE:
			v = td_page_to_pfn(c, v, ev);
			break;
		case TD_ARG_GFP:
			v = td_gfp(c, te->gfp, v);
			break;
		default:
			break;
		}
		ev->arg[i] = v;
	}
}

/* A char[] or __data_loc string field, bounded by the record. */
static void td_str(struct td_ctx *c, const struct tep_format_field *f,
		   const unsigned char *data, int size, struct bt_event *ev)
{
	int off = f->offset, len = f->size;

	if (f->flags & TEP_FIELD_IS_DYNAMIC) {
		struct td_arg a = { TD_ARG_NUM, f->offset, 4, false };
		uint32_t loc;

		if (f->offset + 4 > size)
			return;
		loc = (uint32_t)td_load(c, &a, data);
		off = (int)(loc & 0xffff);
		len = (int)(loc >> 16);
		if (f->flags & TEP_FIELD_IS_RELATIVE)
			off += f->offset + f->size;
	} else if (len == 0) {
		len = size - off;	/* char buf[]: to the end */
	}
	if (off < 0 || len <= 0 || off >= size)
		return;
	len = (int)strnlen((const char *)data + off, (size_t)BT_MIN(len, size - off));
	while (len > 0 && data[off + len - 1] == '\n')
		len--;
	ev->str = (const char *)data + off;
	ev->str_len = (uint32_t)len;
}

static const char *td_comm(struct td_ctx *c, int pid)
{
	unsigned int h = (unsigned int)pid % TD_COMM_CACHE;
	const char *s;

	if (c->comm[h].valid && c->comm[h].pid == pid)
		return c->comm[h].comm;
	s = tep_data_comm_from_pid(c->tep, pid);
	if (s && !strcmp(s, "<...>"))
		s = NULL;
	c->comm[h].pid = pid;
	c->comm[h].valid = true;
	c->comm[h].comm = s;
	return s;
}

static void td_count(struct bt_import_stats *st, const struct bt_event *ev)
{
	st->events++;
	st->per_type[ev->type]++;
	if (st->events == 1 || ev->ts < st->first_ts)
		st->first_ts = ev->ts;
	if (ev->ts > st->last_ts)
		st->last_ts = ev->ts;
}

static int td_lost(struct td_ctx *c, struct tep_record *r, int cpu)
{
	struct bt_event ev = { 0 };

	ev.ts = r->ts;
	ev.type = BT_EV_LOST;
	ev.cpu = (uint32_t)cpu;
	ev.pid = -1;
	ev.arg[0] = r->missed_events > 0 ? (uint64_t)r->missed_events : 0;
	c->st->lost_markers++;
	c->st->lost_events += ev.arg[0];
	td_count(c->st, &ev);
	return bt_writer_add_event(c->w, &ev);
}

static int td_record(struct td_ctx *c, struct tep_record *r, int cpu)
{
	struct td_event *te;
	struct bt_event ev;
	int err;

	if (r->missed_events) {
		err = td_lost(c, r, cpu);
		if (err)
			return err;
	}
	te = td_lookup(c, tep_data_type(c->tep, r));
	if (!te)
		return -ENOMEM;
	if (te->type == BT_EV_NONE) {
		c->st->unknown_events++;
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.ts = r->ts;
	ev.type = te->type;
	ev.cpu = (uint32_t)cpu;
	ev.pid = tep_data_pid(c->tep, r);
	ev.comm = td_comm(c, ev.pid);
	td_args(c, te, r->data, r->size, &ev);
	if (te->str)
		td_str(c, te->str, r->data, r->size, &ev);
	td_count(c->st, &ev);
	return bt_writer_add_event(c->w, &ev);
}

static int td_read_cpus(struct td_ctx *c, struct tracecmd_input *h)
{
	int cpus = tracecmd_cpus(h), cpu, err = 0;
	struct tep_record *r;

	for (cpu = 0; cpu < cpus && !err; cpu++) {
		r = tracecmd_read_cpu_first(h, cpu);
		while (r && !err) {
			err = td_record(c, r, cpu);
			tracecmd_free_record(r);
			r = err ? NULL : tracecmd_read_data(h, cpu);
		}
		if (r)
			tracecmd_free_record(r);
	}
	return err;
}

/* Does this buffer's data start with allocator events within a peek? */
static bool td_has_kmem(struct tracecmd_input *h)
{
	struct tep_handle *tep = tracecmd_get_tep(h);
	int cpus = tracecmd_cpus(h), cpu, n;
	bool found = false;

	for (cpu = 0; cpu < cpus && !found; cpu++) {
		struct tep_record *r = tracecmd_read_cpu_first(h, cpu);

		for (n = 0; r && n < TD_PEEK_RECORDS && !found; n++) {
			struct tep_event *e = tep_find_event_by_record(tep, r);

			found = e && (!strcmp(e->system, "kmem") ||
				      !strcmp(e->system, "compaction") ||
				      !strcmp(e->system, "vmscan"));
			tracecmd_free_record(r);
			r = found ? NULL : tracecmd_read_data(h, cpu);
		}
		if (r)
			tracecmd_free_record(r);
	}
	return found;
}

/*
 * Pick the buffer: returns the top handle or an instance handle (which the
 * caller closes), with its name in *name ("" for the top buffer).
 */
static int td_choose(struct tracecmd_input *top, const char *want,
		     struct tracecmd_input **out, const char **name)
{
	int n = tracecmd_buffer_instances(top), i;
	struct tracecmd_input *b;

	*out = NULL;
	if (want && (!*want || !strcmp(want, "top"))) {
		*out = top;
		*name = "";
		return 0;
	}
	if (!want && tracecmd_cpus(top) > 0 && td_has_kmem(top)) {
		*out = top;
		*name = "";
		return 0;
	}
	for (i = 0; i < n; i++) {
		const char *bn = tracecmd_buffer_instance_name(top, i);

		if (want && (!bn || strcmp(bn, want)))
			continue;
		b = tracecmd_buffer_instance_handle(top, i);
		if (!b)
			continue;
		if (want || td_has_kmem(b)) {
			*out = b;
			*name = bn ? bn : "";
			return 0;
		}
		tracecmd_close(b);
	}
	if (want)
		return -ENOENT;
	*out = top;		/* nothing allocator-like: take the top */
	*name = "";
	return 0;
}

static int td_import(struct tracecmd_input *top, struct bt_writer *w,
		     const struct bt_import_opts *o,
		     struct bt_import_stats *st)
{
	struct tracecmd_input *buf;
	const char *name = "";
	struct td_ctx *c;
	unsigned int i;
	int err;

	err = td_choose(top, o ? o->instance : NULL, &buf, &name);
	if (err)
		return BT_E_USAGE;	/* no buffer of that name */
	c = calloc(1, sizeof(*c));
	if (!c) {
		err = -ENOMEM;
		goto out_close;
	}
	c->tep = tracecmd_get_tep(buf);
	c->w = w;
	c->o = o;
	c->st = st;
	c->swap = tep_is_file_bigendian(c->tep) !=
		  tep_is_local_bigendian(c->tep);
	err = td_write_meta(top, buf, name, w);
	if (!err)
		err = td_write_formats(c->tep, w);
	if (!err)
		err = td_read_cpus(c, buf);
	for (i = 0; i < c->nr_ev; i++)
		td_event_release(&c->ev[i]);
	free(c->ev);
	free(c);
out_close:
	if (buf != top)
		tracecmd_close(buf);
	return err;
}

/*
 * Sanitizer builds: libtracecmd 1.3.1 and libtraceevent 1.7.1 leak on
 * their own paths (the clock name tracecmd_parse_trace_clock reads with
 * sscanf("%ms"), error paths on damaged files), and ask malloc for sizes
 * read from a damaged file, expecting NULL back. Neither is ours to fix:
 * these hooks (consulted only by the sanitizer runtimes) keep such reports
 * out, quietly, since a report would break the one-line error contract.
 * libtracecmd has no frame pointers, so the fast unwinder's stack may end
 * in libc's scanf; buddytrace itself never uses %ms.
 */
const char *__lsan_default_suppressions(void) __attribute__((weak));
const char *__lsan_default_suppressions(void)
{
	return "leak:libtracecmd.so\nleak:libtraceevent.so\n"
	       "leak:tracecmd_parse_trace_clock\nleak:__vfscanf_internal\n";
}

const char *__lsan_default_options(void) __attribute__((weak));
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

const char *__asan_default_options(void) __attribute__((weak));
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/*
 * libtracecmd prints its warnings itself, whatever log level is set, but
 * lets the program replace these weak functions: libraries never print,
 * so they go to bt_log as debug notes.
 */
static void td_vlog(const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	bt_debug("libtracecmd: %s", msg);
}

#define TD_LOG_HOOK(fn)						\
	void fn(const char *fmt, ...);					\
	void fn(const char *fmt, ...)					\
	{								\
		va_list ap;						\
									\
		va_start(ap, fmt);					\
		td_vlog(fmt, ap);					\
		va_end(ap);						\
	}
TD_LOG_HOOK(tracecmd_warning)
TD_LOG_HOOK(tracecmd_critical)
TD_LOG_HOOK(tracecmd_info)
TD_LOG_HOOK(tracecmd_debug)
#undef TD_LOG_HOOK

static void td_quiet(void)
{
	static bool done;

	if (!done) {
		tracecmd_set_loglevel(TEP_LOG_NONE);
		tep_set_loglevel(TEP_LOG_NONE);
	}
	done = true;
}

int bt_import_tracedat(const char *path, struct bt_writer *w,
		       const struct bt_import_opts *o,
		       struct bt_import_stats *st)
{
	struct tracecmd_input *h;
	struct bt_buf missing;
	char *tmp = NULL;
	bool cut;
	int err;

	td_quiet();
	memset(st, 0, sizeof(*st));
	bt_buf_init(&missing);
	h = td_recover_open(path, &tmp, &missing, &cut);
	if (!h && !cut)
		h = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS |
					TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS);
	if (!h) {
		/* cut short or damaged: a version 7 file cut short has lost
		 * the section index it writes after the data */
		err = BT_E_TRUNCATED;
		goto out;
	}
	err = td_import(h, w, o, st);
	tracecmd_close(h);
	if (!err && !st->events)
		err = missing.len ? BT_E_TRUNCATED : BT_E_NO_EVENTS;
	if (!err && missing.len)
		bt_warn("trace.dat cut short, data missing: %s",
			(const char *)missing.data);
out:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	bt_buf_release(&missing);
	return err;
}
