// SPDX-License-Identifier: GPL-2.0-only
/*
 * export.c - the analysis as Chrome JSON trace events, which
 * ui.perfetto.dev (and chrome://tracing) open as counter tracks and
 * slices.
 *
 * Counter tracks ("ph":"C", one "value" argument each, ts in microseconds
 * from the trace's first event): free pages per zone and order (mirror
 * samples when the replay ran, else /proc snapshots), and per time bucket
 * of the recorded view: allocations, allocations/s, fallbacks, fragmenting
 * fallbacks and allocations with slow-path evidence. Summing a per-bucket
 * track gives the recorded view's count exactly. Slices ("ph":"X"): direct
 * reclaim and direct compaction per task, background compaction, kswapd
 * awake time.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analyze-internal.h"

#define PID 1

static double us(const struct bt_analysis *a, uint64_t ts)
{
	return (double)(ts - BT_MIN(ts, a->trace_first_ts)) / 1e3;
}

static void counter(json_t *ev, const char *name, double ts, json_t *v)
{
	json_t *o = json_object(), *args = json_object();

	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "ph", json_string("C"));
	json_object_set_new(o, "ts", json_real(ts));
	json_object_set_new(o, "pid", json_integer(PID));
	json_object_set_new(args, "value", v);
	json_object_set_new(o, "args", args);
	json_array_append_new(ev, o);
}

static void free_pages(const struct bt_analysis *a, json_t *ev)
{
	const struct bt_replay_summary *m = &a->mirror;
	unsigned int i, z, o;
	char name[80];

	if (a->have_mirror && m->nr_samples) {
		for (z = 0; z < m->nr_zones && z < BT_REPLAY_MAX_ZONES; z++)
			for (o = 0; o < BT_AN_ORDERS; o++) {
				snprintf(name, sizeof(name), "free pages %s "
					 "order %u", m->zone_name[z], o);
				for (i = 0; i < m->nr_samples; i++)
					counter(ev, name,
						us(a, m->samples[i].ts),
						json_integer((json_int_t)
						(m->samples[i].free[z][o] <<
						 o)));
			}
		return;
	}
	for (i = 0; i < a->nr_buddy; i++)
		for (z = 0; z < a->buddy[i].nr; z++)
			for (o = 0; o < BT_AN_ORDERS; o++) {
				snprintf(name, sizeof(name), "free pages %s "
					 "order %u", a->buddy[i].z[z].name, o);
				counter(ev, name, us(a, a->buddy[i].ts),
					json_integer((json_int_t)
					(a->buddy[i].z[z].nr_free[o] << o)));
			}
}

static void buckets(const struct bt_analysis *a, json_t *ev)
{
	const struct bt_recorded *r = &a->rec;
	double sec = bt_an_sec(r->bucket_ns);
	unsigned int i;

	for (i = 0; i < BT_AN_BUCKETS; i++) {
		const struct bt_rec_bucket *b = &r->buckets[i];
		double t = us(a, r->bucket_t0 + i * r->bucket_ns);

		counter(ev, "allocations", t,
			json_integer((json_int_t)b->allocs));
		counter(ev, "allocations/s", t,
			json_real(sec > 0 ? (double)b->allocs / sec : 0));
		counter(ev, "fallbacks", t,
			json_integer((json_int_t)b->fallbacks));
		counter(ev, "fragmenting fallbacks", t,
			json_integer((json_int_t)b->fragmenting));
		counter(ev, "slow-path evidence", t,
			json_integer((json_int_t)b->evidence));
	}
}

static void slices(const struct bt_analysis *a, json_t *ev)
{
	static const char *const names[] = {
		"direct reclaim", "direct compaction", "background compaction",
		"kswapd awake",
	};
	const struct bt_recorded *r = &a->rec;
	unsigned int i;

	for (i = 0; i < r->nr_slices; i++) {
		const struct bt_rec_slice *s = &r->slices[i];
		json_t *o = json_object(), *args = json_object();

		json_object_set_new(o, "name", json_string(names[s->kind & 3]));
		json_object_set_new(o, "ph", json_string("X"));
		json_object_set_new(o, "ts", json_real(us(a, s->ts)));
		json_object_set_new(o, "dur", json_real(s->dur / 1e3));
		json_object_set_new(o, "pid", json_integer(PID));
		json_object_set_new(o, "tid", json_integer(s->pid));
		json_object_set_new(args, s->kind == 0 ? "nr_reclaimed" :
				    s->kind == 3 ? "nid" : "status",
				    json_integer((json_int_t)s->value));
		json_object_set_new(o, "args", args);
		json_array_append_new(ev, o);
	}
}

int bt_export_perfetto(const struct bt_analysis *a, FILE *f)
{
	json_t *doc = json_object(), *ev = json_array();
	json_t *meta = json_object(), *margs = json_object();
	char title[300];
	int ret;

	if (!doc || !ev || !meta || !margs)
		return -ENOMEM;
	snprintf(title, sizeof(title), "buddytrace %s", a->path);
	json_object_set_new(meta, "name", json_string("process_name"));
	json_object_set_new(meta, "ph", json_string("M"));
	json_object_set_new(meta, "pid", json_integer(PID));
	json_object_set_new(margs, "name", json_string(title));
	json_object_set_new(meta, "args", margs);
	json_array_append_new(ev, meta);
	free_pages(a, ev);
	buckets(a, ev);
	slices(a, ev);
	json_object_set_new(doc, "traceEvents", ev);
	json_object_set_new(doc, "displayTimeUnit", json_string("ms"));
	ret = json_dumpf(doc, f, JSON_COMPACT | JSON_PRESERVE_ORDER |
			 JSON_REAL_PRECISION(12));
	json_decref(doc);
	if (ret || fputc('\n', f) == EOF)
		return -EIO;
	return 0;
}
