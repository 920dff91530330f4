// SPDX-License-Identifier: GPL-2.0-only
/*
 * setup.c - what the recorder writes into its instance and the file
 * before tracing starts: event formats, enabled events, filters, the
 * stacktrace trigger, the optional slow-path probe, and the free-page map.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "recorder.h"

int bt_rec_fail(struct bt_recorder *r, int err, const char *fmt, ...)
{
	va_list ap;

	if (r->msg && r->msg_size && !r->msg[0]) {
		va_start(ap, fmt);
		vsnprintf(r->msg, r->msg_size, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* Parse one format file into @tep; a missing file is not an error. */
static int tep_add_format(struct bt_recorder *r, const char *sys,
			  const char *name)
{
	char path[800];
	struct bt_buf b;
	int ret;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", r->tracefs, sys,
		 name);
	ret = bt_read_file(path, &b);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return ret;
	if (tep_parse_event(r->tep, (char *)b.data, b.len, sys) != 0)
		bt_warn("cannot parse the format of %s:%s", sys, name);
	bt_buf_release(&b);
	return 0;
}

static int tep_header(struct bt_recorder *r)
{
	enum tep_endian e = tep_is_bigendian() ? TEP_BIG_ENDIAN :
						  TEP_LITTLE_ENDIAN;
	char path[600];
	struct bt_buf b;
	int ret;

	tep_set_file_bigendian(r->tep, e);
	tep_set_local_bigendian(r->tep, e);
	tep_set_long_size(r->tep, (int)sizeof(long));
	tep_set_page_size(r->tep, getpagesize());
	snprintf(path, sizeof(path), "%s/events/header_page", r->tracefs);
	ret = bt_read_file(path, &b);
	if (ret < 0)
		return ret;
	ret = tep_parse_header_page(r->tep, (char *)b.data, b.len,
				    (int)sizeof(long));
	bt_buf_release(&b);
	return ret ? BT_E_PARSE : 0;
}

/*
 * Only the formats we decode: libtracefs' loader would parse every event
 * of the systems and all of /proc/kallsyms, a tenth of a CPU-second.
 */
int bt_rec_load_tep(struct bt_recorder *r)
{
	unsigned int t;
	int ret;

	r->tep = tep_alloc();
	if (!r->tep)
		return -ENOMEM;
	ret = tep_header(r);
	if (ret < 0)
		return bt_rec_fail(r, BT_E_NO_EVENT,
				   "cannot read the event formats under '%s/events'"
				   ": is this kernel built with CONFIG_TRACING?",
				   r->tracefs);
	for (t = 1; t < BT_EV_TYPE_COUNT && !ret; t++)
		if (r->sel.on[t])
			ret = tep_add_format(r, bt_event_desc(t)->system,
					     bt_event_desc(t)->name);
	if (!ret && r->o->stacktrace)
		ret = tep_add_format(r, "ftrace", "kernel_stack");
	if (!ret && r->probe_made)
		ret = tep_add_format(r, r->probe_group, "alloc_slowpath");
	return ret;
}

static const char *instance_event_file(const struct bt_event_desc *d,
				       const char *file, char *buf,
				       size_t size)
{
	snprintf(buf, size, "events/%s/%s/%s", d->system, d->name, file);
	return buf;
}

int bt_rec_setup_events(struct bt_recorder *r)
{
	char file[256];
	unsigned int t;
	int ret;

	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		const struct bt_event_desc *d = bt_event_desc(t);

		if (!r->sel.on[t] || !strcmp(d->system, "ftrace"))
			continue;	/* print needs no enabling */
		ret = bt_rec_instance_write(&r->in,
					    instance_event_file(d, "enable", file,
								sizeof(file)),
					    "1");
		if (ret == -EACCES || ret == -EPERM)
			return bt_rec_fail(r, ret, "cannot enable %s:%s: "
					   "permission denied; run as root",
					   d->system, d->name);
		if (ret < 0)
			return bt_rec_fail(r, BT_E_NO_EVENT,
					   "cannot enable %s:%s (%s); leave it out "
					   "with -e -%s:%s", d->system, d->name,
					   strerror(-ret), d->system, d->name);
	}
	if (r->probe_made) {
		snprintf(file, sizeof(file), "events/%s/alloc_slowpath/enable",
			 r->probe_group);
		if (bt_rec_instance_write(&r->in, file, "1") < 0) {
			bt_note("--slowpath-probe: cannot enable the probe; "
				"recording without it");
			bt_rec_remove_probe(r);
		}
	}
	return 0;
}

/* "sys:name:EXPR", "name:EXPR" or "EXPR" (every selected event). */
static unsigned int filter_target(const char *spec, const char **expr)
{
	char a[128], b[128];
	size_t n1 = strcspn(spec, ":"), n2;
	unsigned int t;

	*expr = spec;
	if (!spec[n1] || n1 >= sizeof(a))
		return 0;
	memcpy(a, spec, n1);
	a[n1] = '\0';
	t = bt_event_lookup(a);
	if (t) {
		*expr = spec + n1 + 1;
		return t;
	}
	n2 = strcspn(spec + n1 + 1, ":");
	if (!spec[n1 + 1 + n2] || n2 >= sizeof(b))
		return 0;
	memcpy(b, spec + n1 + 1, n2);
	b[n2] = '\0';
	t = bt_event_lookup(b);
	if (!t || strcmp(bt_event_desc(t)->system, a))
		return 0;
	*expr = spec + n1 + 1 + n2 + 1;
	return t;
}

static int write_filter(struct bt_recorder *r, unsigned int t,
			const char *expr)
{
	char file[256];

	return bt_rec_instance_write(&r->in,
				     instance_event_file(bt_event_desc(t),
							 "filter", file,
							 sizeof(file)),
				     expr);
}

static int apply_filter(struct bt_recorder *r, const char *spec)
{
	const char *expr;
	unsigned int t = filter_target(spec, &expr), hits = 0;

	if (t) {
		if (!r->sel.on[t])
			return bt_rec_fail(r, BT_E_USAGE, "--filter '%s': event "
					   "'%s' is not recorded", spec,
					   bt_event_desc(t)->name);
		if (write_filter(r, t, expr) < 0)
			return bt_rec_fail(r, BT_E_USAGE, "--filter '%s': the "
					   "kernel refused the expression", spec);
		return 0;
	}
	/* For all: events without the fields refuse it; that is fine. */
	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		if (!r->sel.on[t] || t == BT_EV_PRINT)
			continue;
		if (write_filter(r, t, expr) == 0)
			hits++;
	}
	if (!hits)
		return bt_rec_fail(r, BT_E_USAGE, "--filter '%s': no recorded "
				   "event accepts the expression", spec);
	return 0;
}

int bt_rec_setup_filters(struct bt_recorder *r)
{
	unsigned int i;
	int ret;

	for (i = 0; i < r->o->nr_filters; i++) {
		ret = apply_filter(r, r->o->filters[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static uint32_t stack_intern(void *data, const uint64_t *ips, unsigned int nr)
{
	struct bt_recorder *r = data;
	uint32_t id;

	pthread_mutex_lock(&r->stack_lock);
	id = bt_rec_stacks_intern(r->stacks, ips, nr);
	pthread_mutex_unlock(&r->stack_lock);
	return id;
}

int bt_rec_setup_stacktrace(struct bt_recorder *r)
{
	char trig[512];
	int ret;

	if (!r->o->stacktrace)
		return 0;
	if (!r->sel.on[BT_EV_PAGE_ALLOC])
		return bt_rec_fail(r, BT_E_USAGE, "--stacktrace needs "
				   "kmem:mm_page_alloc, which -e removed");
	if (r->dec.stack_id < 0)
		return bt_rec_fail(r, BT_E_NO_EVENT, "--stacktrace: this kernel "
				   "has no ftrace:kernel_stack event");
	r->stacks = bt_rec_stacks_new();
	if (!r->stacks)
		return -ENOMEM;
	if (r->o->stack_filter && r->o->stack_filter[0])
		snprintf(trig, sizeof(trig), "stacktrace if %s",
			 r->o->stack_filter);
	else
		snprintf(trig, sizeof(trig), "stacktrace");
	ret = bt_rec_instance_write(&r->in, "events/kmem/mm_page_alloc/trigger",
				    trig);
	if (ret < 0)
		return bt_rec_fail(r, BT_E_USAGE, "--stacktrace: the kernel "
				   "refused the trigger '%s'", trig);
	r->trigger_set = true;
	r->sh.stack_fn = stack_intern;
	r->sh.stack_data = r;
	return 0;
}

/* Where kprobe events exist, define the slow-path probe; else a note. */
int bt_rec_setup_probe(struct bt_recorder *r)
{
	char path[600], def[512];
	struct bt_rec_ksyms *k;
	const char *sym;
	struct utsname u;
	FILE *f;
	int ret;

	if (!r->o->slowpath_probe)
		return 0;
	snprintf(path, sizeof(path), "%s/kprobe_events", r->tracefs);
	if (access(path, W_OK) < 0) {
		bt_note("--slowpath-probe: this kernel offers no kprobe events "
			"('%s' %s); recording without the probe: slow-path "
			"entries stay a lower bound", path,
			errno == ENOENT ? "is missing" : "is not writable");
		return 0;
	}
	k = bt_rec_ksyms_load("/proc/kallsyms");
	sym = bt_rec_ksyms_find_prefix(k, "__alloc_pages_slowpath");
	snprintf(r->probe_group, sizeof(r->probe_group),
		 BT_REC_PROBE_PREFIX "%d", (int)getpid());
	ret = uname(&u) < 0 || !sym ? BT_E_UNSUPPORTED :
	      bt_rec_probe_define(def, sizeof(def), r->probe_group, sym,
				  u.machine);
	bt_rec_ksyms_free(k);
	if (ret < 0) {
		bt_note("--slowpath-probe: no slow-path symbol or unknown "
			"architecture; recording without the probe");
		return 0;
	}
	f = fopen(path, "ae");
	if (!f || fprintf(f, "%s\n", def) < 0 || fclose(f) != 0) {
		bt_note("--slowpath-probe: the kernel refused '%s'; recording "
			"without the probe", def);
		return 0;
	}
	r->probe_made = true;
	return 0;
}

void bt_rec_remove_probe(struct bt_recorder *r)
{
	char path[600];
	FILE *f;

	if (!r->probe_made)
		return;
	snprintf(path, sizeof(path), "%s/kprobe_events", r->tracefs);
	f = fopen(path, "ae");
	if (f) {
		fprintf(f, "-:%s/alloc_slowpath\n", r->probe_group);
		fclose(f);
	}
	r->probe_made = false;
}

static int add_format(struct bt_recorder *r, const char *sys,
		      const char *name)
{
	char path[800];
	struct bt_buf b;
	int ret;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", r->tracefs, sys,
		 name);
	bt_buf_init(&b);
	ret = bt_read_file(path, &b);
	if (ret == 0)
		ret = bt_rec_sink_format(&r->sink, sys, name, (char *)b.data);
	bt_buf_release(&b);
	return ret;
}

int bt_rec_write_formats(struct bt_recorder *r)
{
	unsigned int t;
	int ret = 0;

	for (t = 1; t < BT_EV_TYPE_COUNT && !ret; t++) {
		const struct bt_event_desc *d = bt_event_desc(t);

		if (r->sel.on[t])
			ret = add_format(r, d->system, d->name);
	}
	if (!ret && r->stacks)
		ret = add_format(r, "ftrace", "kernel_stack");
	if (!ret && r->probe_made)
		ret = add_format(r, r->probe_group, "alloc_slowpath");
	return ret;
}

static unsigned int max_order_of(const char *buddyinfo)
{
	const char *line = buddyinfo, *p;
	unsigned int cols = 0;

	/* "Node 0, zone   DMA  n0 n1 ... n10": orders = numbers - 1 */
	p = strstr(line, "zone");
	if (!p)
		return 10;
	p += 4;
	p += strspn(p, " ");
	p += strcspn(p, " ");
	while (*p && *p != '\n') {
		p += strspn(p, " ");
		if (*p && *p != '\n')
			cols++;
		p += strcspn(p, " \n");
	}
	return cols ? BT_MIN(cols - 1, BT_REC_MAX_ORDER - 1) : 10;
}

int bt_rec_freemap_snapshot(struct bt_recorder *r, bool timed)
{
	struct bt_rec_zone_span z[64];
	struct bt_buf zi, bi, out, times;
	char path[512];
	struct timespec a, b, ca, cb;
	uint64_t ts;
	int n, ret;

	if (r->o->no_freemap)
		return 0;
	bt_buf_init(&zi);
	bt_buf_init(&bi);
	bt_buf_init(&out);
	bt_buf_init(&times);
	snprintf(path, sizeof(path), "%s/zoneinfo", r->o->proc);
	ret = bt_read_file(path, &zi);
	snprintf(path, sizeof(path), "%s/buddyinfo", r->o->proc);
	if (!ret)
		ret = bt_read_file(path, &bi);
	n = ret ? ret : bt_rec_zone_spans((char *)zi.data, z, 64);
	snprintf(path, sizeof(path), "%s/kpageflags", r->o->proc);
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ca);
	ts = bt_rec_now();
	ret = n < 0 ? n : bt_rec_freemap_read(path, z, (unsigned int)n,
					      max_order_of((char *)bi.data),
					      &out, timed ? &times : NULL,
					      NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cb);
	r->freemap_seconds += (double)(b.tv_sec - a.tv_sec) +
			      (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	r->freemap_cpu += (double)(cb.tv_sec - ca.tv_sec) +
			  (double)(cb.tv_nsec - ca.tv_nsec) / 1e9;
	if (ret < 0) {
		bt_note("no free-page map: cannot read '%s' (%s)", path,
			bt_strerror(ret));
		ret = 0;
	} else {
		ret = bt_rec_sink_snapshot(&r->sink, BT_SNAP_FREE_BLOCKS, ts,
					   out.data, out.len);
		if (ret == 0 && timed)
			ret = bt_rec_sink_snapshot(&r->sink,
						   BT_SNAP_FREE_TIMES, ts,
						   times.data, times.len);
	}
	bt_buf_release(&zi);
	bt_buf_release(&bi);
	bt_buf_release(&out);
	bt_buf_release(&times);
	return ret;
}
