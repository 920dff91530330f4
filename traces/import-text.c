// SPDX-License-Identifier: GPL-2.0-only
/*
 * import-text.c - ftrace text (trace, trace_pipe, trace-cmd report, perf
 * script) into a .bt writer.
 *
 * The input is read in large blocks and cut into lines with memchr; each
 * line goes to bt_text_parse_line() (text-parse.c). This file keeps what
 * spans lines:
 *
 * - per-CPU time: the writer takes each CPU's events in time order. Text
 *   can break that (a hand-merged file, a clock jump); such an event is kept,
 *   placed at its CPU's previous time, and counted in st->out_of_order.
 *   Lines without a time of their own (function_graph without abstime)
 *   are placed the same way.
 * - lost-event markers become BT_EV_LOST events at the time of the last
 *   event of their CPU, or, when the CPU has none yet, at its next one.
 *   A `trace` file whose header says more entries were written than the
 *   buffer holds lost the difference to overwriting: one BT_EV_LOST at
 *   the first event says so.
 * - lines not understood are counted (the first is kept for the message),
 *   never fatal; but an input without a single known event is
 *   BT_E_NO_EVENTS, so a binary or a wrong file is refused.
 * - metadata: source, CPU count (header or highest CPU seen) and kernel
 *   release when a header gives it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "traces-text.h"

#define BLOCK (1u << 20)
#define MAX_LINE (1u << 20)

struct cpu_state {
	uint64_t last_ts;
	bool seen;
	uint64_t pending_lost;		/* markers before the first event */
	unsigned int pending_markers;
};

struct import {
	struct bt_text_parser *p;
	struct bt_writer *w;
	struct bt_import_stats *st;
	struct cpu_state *cpus;
	unsigned int nr_cpus;		/* highest CPU seen + 1 */
	unsigned int cap;
	uint64_t known;			/* lines that were events or markers */
};

static int cpu_get(struct import *im, uint32_t cpu, struct cpu_state **out)
{
	struct cpu_state *n;
	unsigned int cap;

	if (cpu >= im->cap) {
		cap = BT_MAX(cpu + 1, im->cap * 2);
		n = realloc(im->cpus, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + im->cap, 0, (cap - im->cap) * sizeof(*n));
		im->cpus = n;
		im->cap = cap;
	}
	if (cpu >= im->nr_cpus)
		im->nr_cpus = cpu + 1;
	*out = &im->cpus[cpu];
	return 0;
}

static int emit(struct import *im, const struct bt_event *ev)
{
	struct bt_import_stats *st = im->st;
	int ret = 0;

	if (im->w)
		ret = bt_writer_add_event(im->w, ev);
	if (ret)
		return ret;
	st->events++;
	st->per_type[ev->type]++;
	if (ev->type == BT_EV_LOST) {
		st->lost_markers++;
		st->lost_events += ev->arg[0];
	}
	if (ev->flags & BT_EVF_PFN_UNKNOWN)
		st->pfn_unknown++;
	if (st->events == 1 || ev->ts < st->first_ts)
		st->first_ts = ev->ts;
	if (ev->ts > st->last_ts)
		st->last_ts = ev->ts;
	return 0;
}

static int emit_lost(struct import *im, uint32_t cpu, uint64_t ts,
		     uint64_t count)
{
	struct bt_event lost;

	memset(&lost, 0, sizeof(lost));
	lost.type = BT_EV_LOST;
	lost.cpu = cpu;
	lost.pid = -1;
	lost.ts = ts;
	lost.arg[0] = count;
	return emit(im, &lost);
}

static int on_event(struct import *im, struct bt_event *ev)
{
	struct cpu_state *c;
	int ret;

	ret = cpu_get(im, ev->cpu, &c);
	if (ret)
		return ret;
	if (im->p->no_ts) {
		ev->ts = c->last_ts;
	} else if (c->seen && ev->ts < c->last_ts) {
		im->st->out_of_order++;
		ev->ts = c->last_ts;
	}
	if (im->p->overwritten && !im->st->events) {
		/* a full buffer dropped its oldest events before this one */
		ret = emit_lost(im, ev->cpu, ev->ts, im->p->overwritten);
		if (ret)
			return ret;
	}
	if (c->pending_markers) {
		ret = emit_lost(im, ev->cpu, ev->ts, c->pending_lost);
		if (ret)
			return ret;
		c->pending_markers = 0;
		c->pending_lost = 0;
	}
	c->seen = true;
	c->last_ts = ev->ts;
	return emit(im, ev);
}

static int on_lost(struct import *im, const struct bt_event *ev)
{
	struct cpu_state *c;
	int ret;

	ret = cpu_get(im, ev->cpu, &c);
	if (ret)
		return ret;
	if (c->seen)
		return emit_lost(im, ev->cpu, c->last_ts, ev->arg[0]);
	c->pending_lost += ev->arg[0];
	c->pending_markers++;
	return 0;
}

static void keep_unknown(struct bt_import_stats *st, const char *s,
			 size_t len)
{
	size_t i, n;

	st->unknown_lines++;
	if (st->unknown_lines > 1)
		return;
	n = BT_MIN(len, sizeof(st->first_unknown) - 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		st->first_unknown[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	st->first_unknown[n] = '\0';
}

static int on_line(struct import *im, const char *s, size_t len)
{
	struct bt_event ev;

	im->st->lines++;
	switch (bt_text_parse_line(im->p, s, len, &ev)) {
	case BT_TEXT_BLANK:
		return 0;
	case BT_TEXT_EVENT:
		im->known++;
		return on_event(im, &ev);
	case BT_TEXT_LOST:
		im->known++;
		return on_lost(im, &ev);
	case BT_TEXT_UNKNOWN_EVENT:
		im->st->unknown_events++;
		return 0;
	case BT_TEXT_UNKNOWN:
		keep_unknown(im->st, s, len);
		return 0;
	}
	return 0;
}

/* Lines of the input; a line longer than MAX_LINE is one unknown line. */
static int read_lines(struct import *im, FILE *in)
{
	char *buf = malloc(BLOCK + MAX_LINE);
	size_t have = 0, got, off;
	bool skipping = false;
	char *nl;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		got = fread(buf + have, 1, BLOCK + MAX_LINE - have, in);
		if (got == 0 && ferror(in)) {
			ret = -EIO;
			break;
		}
		have += got;
		off = 0;
		while (!ret && (nl = memchr(buf + off, '\n', have - off))) {
			if (!skipping)
				ret = on_line(im, buf + off,
					      (size_t)(nl - buf) - off);
			skipping = false;
			off = (size_t)(nl - buf) + 1;
		}
		if (ret)
			break;
		if (got == 0) {		/* end: the last line has no '\n' */
			if (have > off && !skipping)
				ret = on_line(im, buf + off, have - off);
			break;
		}
		if (have - off >= MAX_LINE) {
			if (!skipping)
				keep_unknown(im->st, buf + off, have - off);
			if (!skipping)
				im->st->lines++;
			skipping = true;
			off = have;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	free(buf);
	return ret;
}

static int flush_pending(struct import *im)
{
	unsigned int c;
	uint64_t ts = im->st->last_ts;
	int ret;

	for (c = 0; c < im->nr_cpus; c++) {
		if (!im->cpus[c].pending_markers)
			continue;
		ret = emit_lost(im, c, ts, im->cpus[c].pending_lost);
		if (ret)
			return ret;
	}
	return 0;
}

static int set_meta(struct import *im)
{
	unsigned int cpus = BT_MAX(im->nr_cpus, im->p->cpus_hint);
	char num[16];
	int ret;

	if (!im->w)
		return 0;
	snprintf(num, sizeof(num), "%u", cpus ? cpus : 1);
	ret = bt_writer_set_meta(im->w, BT_META_CPUS, num);
	if (!ret && im->p->kernel[0])
		ret = bt_writer_set_meta(im->w, BT_META_KERNEL, im->p->kernel);
	return ret;
}

int bt_import_text(FILE *in, struct bt_writer *w,
		   const struct bt_import_opts *o, struct bt_import_stats *st)
{
	struct import im = { .w = w, .st = st };
	int ret;

	memset(st, 0, sizeof(*st));
	im.p = bt_text_parser_new(o);
	if (!im.p)
		return -ENOMEM;
	ret = w ? bt_writer_set_meta(w, BT_META_SOURCE, "import-text") : 0;
	if (!ret)
		ret = read_lines(&im, in);
	if (!ret)
		ret = flush_pending(&im);
	if (!ret && im.known == 0)
		ret = BT_E_NO_EVENTS;
	if (!ret)
		ret = set_meta(&im);
	if (!ret && st->out_of_order)
		bt_warn("%llu events went back in time on their CPU; kept at "
			"the CPU's previous time",
			(unsigned long long)st->out_of_order);
	bt_text_parser_free(im.p);
	free(im.cpus);
	return ret;
}
