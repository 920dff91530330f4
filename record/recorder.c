// SPDX-License-Identifier: GPL-2.0-only
/*
 * recorder.c - the recorder's lifecycle: set up, start, stop, free.
 *
 * Order matters for the vmstat cross-check: everything slow (the
 * free-page map, the full /proc set) happens before the start snapshot of
 * zoneinfo/buddyinfo/pagetypeinfo/vmstat, which is taken right before
 * tracing goes on; at the end the same set is taken right after tracing
 * goes off, before the buffers are drained. The ring buffers are sized
 * before the first snapshot, so their pages are outside the window.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "recorder.h"

static void recorder_init(struct bt_recorder *r, const struct bt_record_opts *o,
			  char *msg, size_t msg_size)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->msg = msg;
	r->msg_size = msg_size;
	if (msg && msg_size)
		msg[0] = '\0';
	r->sh.stop_pipe[0] = r->sh.stop_pipe[1] = -1;
	pthread_mutex_init(&r->stack_lock, NULL);
	pthread_mutex_init(&r->snap_lock, NULL);
}

static int select_events(struct bt_recorder *r)
{
	char bad[128];
	unsigned int i;

	bt_rec_evsel_default(&r->sel);
	for (i = 0; i < r->o->nr_events; i++)
		if (bt_rec_evsel_apply(&r->sel, r->o->events[i], bad,
				       sizeof(bad)) < 0)
			return bt_rec_fail(r, BT_E_USAGE, "-e '%s': '%s' is not "
					   "an event of the normalized model "
					   "(see buddytrace-record(1))",
					   r->o->events[i], bad);
	if (!bt_rec_evsel_count(&r->sel))
		return bt_rec_fail(r, BT_E_USAGE, "no event left to record");
	return 0;
}

static int find_tracefs(struct bt_recorder *r)
{
	int ret = bt_rec_tracefs_find(r->o->tracefs, r->tracefs,
				      sizeof(r->tracefs));

	if (ret == -EACCES || ret == -EPERM)
		return bt_rec_fail(r, ret, "no permission to use tracefs "
				   "instances: run as root (or with "
				   "CAP_SYS_ADMIN and CAP_PERFMON)");
	if (ret < 0)
		return bt_rec_fail(r, ret, "tracefs is not available%s%s: "
				   "mount it (mount -t tracefs nodev "
				   "/sys/kernel/tracing) on a kernel with "
				   "CONFIG_TRACING", r->o->tracefs ? " at " : "",
				   r->o->tracefs ? r->o->tracefs : "");
	return 0;
}

static int make_instance(struct bt_recorder *r)
{
	char name[64];
	int ret;

	snprintf(name, sizeof(name), BT_REC_INSTANCE_PREFIX "%d", (int)getpid());
	ret = bt_rec_instance_create(&r->in, r->tracefs, name);
	if (ret == -EACCES || ret == -EPERM)
		return bt_rec_fail(r, ret, "no permission to create a tracefs "
				   "instance: run as root");
	if (ret < 0)
		return bt_rec_fail(r, BT_E_NO_TRACEFS, "cannot create tracefs "
				   "instance '%s' (%s): this kernel needs "
				   "tracefs instances (Linux 3.10+)", name,
				   bt_strerror(ret));
	snprintf(r->inst_dir, sizeof(r->inst_dir), "%s/instances/%s",
		 r->tracefs, name);
	/* A new instance traces at once: keep it off until start. */
	ret = bt_rec_instance_write(&r->in, "tracing_on", "0");
	if (ret < 0)
		return bt_rec_fail(r, BT_E_NO_TRACEFS, "'%s' is not a tracefs "
				   "instance (%s)", r->inst_dir,
				   bt_strerror(ret));
	return 0;
}

/*
 * 4 MB per CPU keeps a starved reader's CPU from losing events at two
 * million events a second; on large machines the total stays at 64 MB
 * (1 MB per CPU at least).
 */
static unsigned long default_buffer_kb(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	unsigned long kb = BT_REC_DEFAULT_BUFFER_KB;

	if (cpus > 0 && kb * (unsigned long)cpus > BT_REC_TOTAL_BUFFER_KB)
		kb = BT_MAX(BT_REC_TOTAL_BUFFER_KB / (unsigned long)cpus,
			    BT_REC_MIN_BUFFER_KB);
	return kb;
}

static int configure_buffers(struct bt_recorder *r)
{
	unsigned long kb = r->o->buffer_kb ? r->o->buffer_kb :
			   default_buffer_kb();
	char num[32];
	int ret;

	snprintf(num, sizeof(num), "%lu", kb);
	ret = bt_rec_instance_write(&r->in, "buffer_size_kb", num);
	if (ret < 0)
		return bt_rec_fail(r, ret, "cannot set the ring buffer to %lu "
				   "KB per CPU (%s): try a smaller --buffer-kb",
				   kb, bt_strerror(ret));
	ret = bt_rec_instance_write(&r->in, "trace_clock", BT_REC_CLOCK);
	if (ret < 0)
		return bt_rec_fail(r, BT_E_NO_TRACEFS, "this kernel has no "
				   "'" BT_REC_CLOCK "' trace clock");
	if (bt_rec_instance_has(&r->in, "buffer_percent"))
		bt_rec_instance_write(&r->in, "buffer_percent",
				      BT_REC_BUFFER_PERCENT);
	/* trace_marker writes to the top level reach us too (6.17+). */
	if (bt_rec_instance_has(&r->in, "options/copy_trace_marker"))
		bt_rec_instance_write(&r->in, "options/copy_trace_marker", "1");
	return 0;
}

static int make_decoder(struct bt_recorder *r)
{
	enum bt_event_type missing;
	int ret = bt_rec_load_tep(r);

	if (ret < 0)
		return ret;
	ret = bt_rec_decoder_init(&r->dec, r->tep, &r->sel, &missing);
	if (ret == BT_E_NO_EVENT) {
		const struct bt_event_desc *d = bt_event_desc(missing);

		return bt_rec_fail(r, ret, "this kernel has no %s:%s event; "
				   "leave it out with -e -%s:%s", d->system,
				   d->name, d->system, d->name);
	}
	if (ret < 0)
		return ret;
	if (r->probe_made &&
	    bt_rec_decoder_add(&r->dec, r->tep, r->probe_group,
			       "alloc_slowpath", BT_EV_SLOWPATH_PROBE) < 0) {
		bt_note("--slowpath-probe: the probe has no usable format; "
			"recording without it");
		bt_rec_remove_probe(r);
	}
	if (r->sel.on[BT_EV_PAGE_ALLOC] &&
	    bt_rec_decoder_learn_gfp(&r->dec, r->tep) < 0)
		bt_note("no gfp flag table in the mm_page_alloc format: "
			"assuming the layout of 6.x kernels");
	return 0;
}

static int open_output(struct bt_recorder *r)
{
	int ret;

	r->nr_cpus = (unsigned int)sysconf(_SC_NPROCESSORS_CONF);
	if (r->nr_cpus < 1 || r->nr_cpus > BT_REC_MAX_CPUS)
		return bt_rec_fail(r, BT_E_UNSUPPORTED, "cannot record %u CPUs",
				   r->nr_cpus);
	ret = bt_rec_sink_open_writer(&r->sink, r->o->output, r->nr_cpus,
				      r->o->level);
	if (ret < 0)
		return bt_rec_fail(r, ret, "cannot create '%s': %s",
				   r->o->output, bt_strerror(ret));
	r->sink_open = true;
	return 0;
}

/*
 * The sub-buffer size (Linux 6.8+ can change it with
 * buffer_subbuf_size_kb; 16 and 64 KB measured no better than one page
 * here, so we keep the kernel's) is what every read returns.
 */
static size_t subbuf_size(struct bt_recorder *r)
{
	size_t page = (size_t)getpagesize();
	struct bt_buf b;
	uint64_t kb;

	if (!bt_rec_instance_has(&r->in, "buffer_subbuf_size_kb") ||
	    bt_rec_instance_read(&r->in, "buffer_subbuf_size_kb", &b) < 0)
		return page;
	b.data[strcspn((char *)b.data, " \n")] = '\0';
	if (bt_parse_u64((char *)b.data, -1, 10, &kb) < 0 || kb * 1024 < page)
		kb = page / 1024;
	bt_buf_release(&b);
	return (size_t)kb * 1024;
}

static int open_readers(struct bt_recorder *r)
{
	unsigned int c;
	int ret;

	r->sh.dec = &r->dec;
	r->sh.sink = &r->sink;
	r->sh.tep = r->tep;
	r->sh.subbuf_size = subbuf_size(r);
	r->sh.header_size = 8 + (size_t)r->dec.long_size;
	r->sh.poll_ms = 250;
	r->sh.raise_priority = !r->o->no_priority;
	if (pipe2(r->sh.stop_pipe, O_CLOEXEC) < 0)
		return -errno;
	r->readers = calloc(r->nr_cpus, sizeof(*r->readers));
	if (!r->readers)
		return -ENOMEM;
	for (c = 0; c < r->nr_cpus; c++)
		r->readers[c].fd = -1;
	for (c = 0; c < r->nr_cpus; c++) {
		ret = bt_rec_reader_open(&r->readers[c], &r->sh, r->inst_dir, c);
		/* A CPU that is not online has no buffer to read. */
		if (ret == -ENOENT)
			continue;
		if (ret < 0)
			return bt_rec_fail(r, ret, "cannot open the ring buffer "
					   "of cpu %u: %s", c, bt_strerror(ret));
	}
	return 0;
}

static int initial_state(struct bt_recorder *r)
{
	char sys[16] = "/sys", dbg[32] = "/sys/kernel/debug";
	int ret;

	ret = bt_rec_snap_meta(&r->sink, r->o->proc, r->o->cmdline,
			       BT_REC_CLOCK);
	if (!ret)
		ret = bt_rec_write_formats(r);
	if (!ret)
		ret = bt_rec_snap_full(&r->sink, r->o->proc, sys, dbg);
	return ret;
}

int bt_recorder_new(const struct bt_record_opts *o, struct bt_recorder **out,
		    char *msg, size_t msg_size)
{
	struct bt_recorder *r = malloc(sizeof(*r));
	int ret;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	recorder_init(r, o, msg, msg_size);
	ret = select_events(r);
	if (!ret)
		ret = find_tracefs(r);
	if (!ret)
		ret = bt_rec_setup_probe(r);
	if (!ret)
		ret = make_decoder(r);
	if (!ret)
		ret = make_instance(r);
	if (!ret)
		ret = configure_buffers(r);
	if (!ret)
		ret = bt_rec_setup_events(r);
	if (!ret)
		ret = bt_rec_setup_filters(r);
	if (!ret)
		ret = bt_rec_setup_stacktrace(r);
	if (!ret)
		ret = open_output(r);
	if (!ret)
		ret = open_readers(r);
	if (!ret)
		ret = initial_state(r);
	if (ret < 0) {
		bt_recorder_free(r);
		return ret;
	}
	*out = r;
	return 0;
}

static void *snap_main(void *arg)
{
	struct bt_recorder *r = arg;
	uint64_t next_snap, next_flush, now;
	uint64_t ival = (uint64_t)r->o->interval_ms * 1000000ull;
	struct timespec nap = { 0, 50 * 1000000 };
	int ret = 0;

	next_snap = bt_rec_now() + ival;
	next_flush = bt_rec_now() + 500000000ull;
	while (!__atomic_load_n(&r->sh.stop, __ATOMIC_ACQUIRE) && !ret) {
		nanosleep(&nap, NULL);
		now = bt_rec_now();
		if (ival && now >= next_snap) {
			pthread_mutex_lock(&r->snap_lock);
			if (!r->stopping) {
				ret = bt_rec_snap_periodic(&r->sink, r->o->proc);
				__atomic_add_fetch(&r->nr_snapshots, 4,
						   __ATOMIC_RELAXED);
			}
			pthread_mutex_unlock(&r->snap_lock);
			next_snap += ival;
			if (next_snap < now)
				next_snap = now + ival;
		}
		/* A killed recorder leaves at most this much unflushed. */
		if (!ret && now >= next_flush) {
			ret = bt_rec_sink_flush(&r->sink);
			next_flush = now + 500000000ull;
		}
	}
	r->snap_error = ret;
	return NULL;
}

/*
 * Tracing goes on before the free-page map is read (a second or more on a
 * large machine), and the map says when each range of it was read: replay
 * then knows which traced events the map already shows, and nothing that
 * happens during the read is lost. The first periodic snapshot follows the
 * map, so it can be compared with it; the command starts after both.
 */
int bt_recorder_start(struct bt_recorder *r)
{
	unsigned int c;
	int ret;

	for (c = 0; c < r->nr_cpus; c++) {
		if (r->readers[c].fd < 0 || !r->readers[c].tcpu)
			continue;
		ret = bt_rec_reader_start(&r->readers[c]);
		if (ret < 0)
			return ret;
	}
	r->start_ns = bt_rec_now();
	ret = bt_rec_instance_write(&r->in, "tracing_on", "1");
	if (ret < 0)
		return ret;
	r->started = true;
	ret = bt_rec_freemap_snapshot(r, true);
	if (!ret)
		ret = bt_rec_snap_periodic(&r->sink, r->o->proc);
	if (ret < 0)
		return ret;
	r->nr_snapshots += 4;
	if (pthread_create(&r->snap_thread, NULL, snap_main, r) == 0)
		r->snap_running = true;
	r->ready_ns = bt_rec_now();
	return 0;
}

int bt_recorder_error(const struct bt_recorder *r)
{
	unsigned int c;

	if (r->snap_error)
		return r->snap_error;
	for (c = 0; c < r->nr_cpus; c++)
		if (r->readers[c].error)
			return r->readers[c].error;
	return 0;
}

void bt_recorder_stats(struct bt_recorder *r, struct bt_record_stats *st)
{
	unsigned int c;

	memset(st, 0, sizeof(*st));
	st->nr_cpus = r->nr_cpus;
	st->priority = 2;
	for (c = 0; c < r->nr_cpus && c < BT_REC_MAX_CPUS; c++) {
		struct bt_record_cpu_stats *s = &r->readers[c].stats;

		st->cpu[c].events = __atomic_load_n(&s->events, __ATOMIC_RELAXED);
		st->cpu[c].lost = __atomic_load_n(&s->lost, __ATOMIC_RELAXED) +
				  r->final_lost[c];
		st->cpu[c].lost_unknown = __atomic_load_n(&s->lost_unknown,
							  __ATOMIC_RELAXED);
		st->cpu[c].pages = __atomic_load_n(&s->pages, __ATOMIC_RELAXED);
		if (r->readers[c].fd >= 0)
			st->priority = BT_MIN(st->priority,
					      __atomic_load_n(&r->readers[c].priority,
							      __ATOMIC_RELAXED));
		st->events += st->cpu[c].events;
		st->lost += st->cpu[c].lost;
	}
	st->bytes = r->sink_open ? bt_rec_sink_bytes(&r->sink) : r->sink.bytes;
	st->snapshots = __atomic_load_n(&r->nr_snapshots, __ATOMIC_RELAXED);
	st->stacks = r->stacks ? bt_rec_stacks_count(r->stacks) : 0;
	st->start_ns = r->start_ns;
	st->ready_ns = r->ready_ns;
	st->now_ns = r->stop_ns ? r->stop_ns : bt_rec_now();
	st->freemap_seconds = r->freemap_seconds;
	st->freemap_cpu = r->freemap_cpu;
}

static void stop_threads(struct bt_recorder *r)
{
	unsigned int c;
	int ret;

	__atomic_store_n(&r->sh.stop, 1, __ATOMIC_RELEASE);
	if (r->sh.stop_pipe[1] >= 0 && write(r->sh.stop_pipe[1], "x", 1) < 0)
		bt_debug("cannot wake the readers: %s", strerror(errno));
	if (r->snap_running) {
		pthread_join(r->snap_thread, NULL);
		r->snap_running = false;
	}
	for (c = 0; r->readers && c < r->nr_cpus; c++) {
		ret = bt_rec_reader_join(&r->readers[c]);
		if (ret < 0 && !r->readers[c].error)
			r->readers[c].error = ret;
	}
}

/*
 * What the kernel counted as lost beyond what the sub-buffers flagged:
 * one marker per CPU at the end, so no loss is ever silent.
 */
static int account_lost(struct bt_recorder *r)
{
	uint64_t overrun, dropped, entries, flagged, total;
	struct bt_event ev;
	struct bt_buf b;
	char file[64];
	unsigned int c;
	int ret = 0;

	bt_buf_init(&b);
	for (c = 0; c < r->nr_cpus && !ret; c++) {
		if (r->readers[c].fd < 0)
			continue;
		snprintf(file, sizeof(file), "per_cpu/cpu%u/stats", c);
		ret = bt_rec_instance_read(&r->in, file, &b);
		if (ret == 0)
			ret = bt_rec_parse_cpu_stats((char *)b.data, &overrun,
						     &dropped, &entries);
		bt_buf_release(&b);	/* bt_read_file starts a new one */
		if (ret < 0) {
			ret = 0;
			continue;
		}
		flagged = r->readers[c].stats.lost;
		/* Tracing is off and drained: what is left was not read. */
		total = overrun + dropped + entries;
		if (total <= flagged)
			continue;
		r->final_lost[c] = total - flagged;
		memset(&ev, 0, sizeof(ev));
		ev.type = BT_EV_LOST;
		ev.cpu = c;
		ev.pid = -1;
		ev.ts = BT_MAX(r->stop_ns, r->readers[c].batch.last_ts);
		ev.arg[0] = total - flagged;
		ret = bt_rec_sink_events(&r->sink, &ev, 1);
	}
	bt_buf_release(&b);
	return ret;
}

static int final_state(struct bt_recorder *r)
{
	struct bt_buf cmds;
	char path[600];
	struct bt_rec_ksyms *k;
	struct bt_record_stats st;
	char num[32];
	int ret;

	ret = bt_rec_snap_full(&r->sink, r->o->proc, "/sys",
			       "/sys/kernel/debug");
	if (!ret)
		ret = bt_rec_freemap_snapshot(r, false);
	if (!ret && r->stacks && bt_rec_stacks_count(r->stacks)) {
		k = bt_rec_ksyms_load("/proc/kallsyms");
		if (!k)
			bt_note("cannot read /proc/kallsyms: stacks keep bare "
				"addresses");
		ret = bt_rec_stacks_emit(r->stacks, &r->sink, k, r->o->vmlinux);
		bt_rec_ksyms_free(k);
	}
	/* "pid comm" lines the kernel kept: names for the events' pids. */
	snprintf(path, sizeof(path), "%s/saved_cmdlines", r->tracefs);
	if (!ret && bt_read_file(path, &cmds) == 0) {
		ret = bt_rec_sink_meta(&r->sink, "saved_cmdlines",
				       (char *)cmds.data);
		bt_buf_release(&cmds);
	}
	bt_recorder_stats(r, &st);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)st.lost);
	if (!ret)
		ret = bt_rec_sink_meta(&r->sink, "lost_events", num);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)r->start_ns);
	if (!ret)
		ret = bt_rec_sink_meta(&r->sink, "record_start_ns", num);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)r->stop_ns);
	if (!ret)
		ret = bt_rec_sink_meta(&r->sink, "record_end_ns", num);
	return ret;
}

int bt_recorder_stop(struct bt_recorder *r)
{
	int ret = 0, err;

	if (r->stopped)
		return 0;
	r->stopped = true;
	if (r->started) {
		bt_rec_instance_write(&r->in, "tracing_on", "0");
		r->stop_ns = bt_rec_now();
		pthread_mutex_lock(&r->snap_lock);
		r->stopping = true;
		ret = bt_rec_snap_periodic(&r->sink, r->o->proc);
		pthread_mutex_unlock(&r->snap_lock);
		__atomic_add_fetch(&r->nr_snapshots, 4, __ATOMIC_RELAXED);
	}
	stop_threads(r);
	err = bt_recorder_error(r);
	if (!ret)
		ret = err;
	if (r->started && !ret)
		ret = account_lost(r);
	if (!ret)
		ret = final_state(r);
	if (r->sink_open) {
		err = bt_rec_sink_close(&r->sink);
		r->sink_open = false;
		if (!ret)
			ret = err;
	}
	return ret;
}

void bt_recorder_free(struct bt_recorder *r)
{
	unsigned int c;

	if (!r)
		return;
	stop_threads(r);
	if (r->sink_open)
		bt_rec_sink_abort(&r->sink);
	/* Open trace_pipe_raw files keep the instance busy. */
	for (c = 0; r->readers && c < r->nr_cpus; c++)
		bt_rec_reader_close(&r->readers[c]);
	bt_rec_instance_destroy(&r->in);
	bt_rec_remove_probe(r);
	free(r->readers);
	bt_rec_decoder_release(&r->dec);
	if (r->tep)
		tep_free(r->tep);
	bt_rec_stacks_free(r->stacks);
	if (r->sh.stop_pipe[0] >= 0)
		close(r->sh.stop_pipe[0]);
	if (r->sh.stop_pipe[1] >= 0)
		close(r->sh.stop_pipe[1]);
	pthread_mutex_destroy(&r->stack_lock);
	pthread_mutex_destroy(&r->snap_lock);
	free(r);
}

int bt_record_cleanup(const char *tracefs, unsigned int *removed)
{
	char dir[512];
	int ret = bt_rec_tracefs_find(tracefs, dir, sizeof(dir)), err;

	*removed = 0;
	if (ret < 0)
		return ret;
	ret = bt_rec_instance_cleanup(dir, removed);
	/* Probes go after their instances, which may still enable them. */
	err = bt_rec_probe_cleanup(dir, removed);
	return ret ? ret : err;
}
