// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-record-live.c - record the live kernel (root and tracefs needed,
 * skipped otherwise) while tests/helpers/alloc-workload allocates known
 * amounts, and check what the .bt file must hold: the helper's order-0
 * movable allocations and frees, its order-9 THP allocation when THP
 * worked, its trace_marker lines, allocated pages against the vmstat
 * pgalloc delta, snapshots on the events' timeline, the free-page map
 * against buddyinfo, kernel stacks, and no instance left behind.
 *
 * With "--stat FILE" it prints one line of counts for the CLI tests.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/freeblocks.h"
#include "record/record-internal.h"

struct counts {
	uint64_t events, lost, lost_unknown, by_pid_alloc0_movable;
	uint64_t by_pid_order9;
	uint64_t by_pid_movable_pages;
	uint64_t by_pid_free_pages, alloc_pages, markers_begin, markers_end;
	uint64_t first_ts, last_ts, order_gt0, order_gt0_stack, pid_first_ts;
	/* pages allocated between the first and last vmstat snapshots */
	uint64_t win_lo, win_hi, win_alloc_pages;
	uint64_t order0_stack, order0_allocs, frees;
};

static char out_path[256];

static bool live_ok(void)
{
	return geteuid() == 0 &&
	       access("/sys/kernel/tracing/instances", W_OK) == 0;
}

static const char *helper_path(void)
{
	static char p[512];
	const char *b = getenv("BUILD");

	snprintf(p, sizeof(p), "%s/tests/helpers/alloc-workload",
		 b ? b : "build/rel");
	return p;
}

static void opts_init(struct bt_record_opts *o, const char *name)
{
	memset(o, 0, sizeof(*o));
	snprintf(out_path, sizeof(out_path), "/tmp/bt-live-%d-%s.bt",
		 (int)getpid(), name);
	o->output = out_path;
	unlink(out_path);
	o->proc = "/proc";
	o->interval_ms = 200;
	o->no_freemap = true;
	o->cmdline = "test-record-live";
}

/* Run the helper with @steps; returns its pid and fills @thp_ok. */
static pid_t run_helper(const char *const *steps, unsigned long *thp_ok)
{
	char *argv[16], line[256] = "", marker[128];
	int p[2], st, n = 0, i;
	pid_t pid;
	FILE *f;
	char *s;

	/*
	 * Our instance's own trace_marker: the top-level one refuses writes
	 * (EBADF) whenever someone turned top-level tracing off.
	 */
	snprintf(marker, sizeof(marker), "/sys/kernel/tracing/instances/"
		 BT_REC_INSTANCE_PREFIX "%d/trace_marker", (int)getpid());
	argv[n++] = (char *)helper_path();
	argv[n++] = (char *)"-m";
	argv[n++] = marker;
	for (i = 0; steps[i] && n < 15; i++)
		argv[n++] = (char *)steps[i];
	argv[n] = NULL;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	s = strstr(line, "thp_ok=");
	*thp_ok = s ? strtoul(s + 7, NULL, 10) : 0;
	return pid;
}

static void count_event(struct counts *c, const struct bt_event *ev, pid_t pid)
{
	if (ev->type == BT_EV_LOST) {
		c->lost += ev->arg[0];
		c->lost_unknown += !ev->arg[0];
		return;
	}
	if (ev->type == BT_EV_SNAPSHOT)
		return;
	c->events++;
	if (!c->first_ts)
		c->first_ts = ev->ts;
	c->last_ts = ev->ts;
	if (pid && ev->pid == pid && !c->pid_first_ts)
		c->pid_first_ts = ev->ts;
	if (ev->type == BT_EV_PAGE_ALLOC && ev->arg[0] != BT_PFN_NONE) {
		c->alloc_pages += 1ull << ev->arg[1];
		if (ev->ts >= c->win_lo && ev->ts <= c->win_hi)
			c->win_alloc_pages += 1ull << ev->arg[1];
		if (ev->arg[1] > 0) {
			c->order_gt0++;
			c->order_gt0_stack += ev->stack_id != 0;
		} else {
			c->order0_stack += ev->stack_id != 0;
			c->order0_allocs++;
		}
		if (ev->pid == pid && ev->arg[1] == 0 && ev->arg[3] == 1)
			c->by_pid_alloc0_movable++;
		if (ev->pid == pid && ev->arg[3] == 1)
			c->by_pid_movable_pages += 1ull << ev->arg[1];
		if (ev->pid == pid && ev->arg[1] == 9)
			c->by_pid_order9++;
	}
	if (ev->type == BT_EV_PAGE_FREE)
		c->frees++;
	if (ev->type == BT_EV_PAGE_FREE && ev->pid == pid)
		c->by_pid_free_pages += 1ull << ev->arg[1];
	/* Only the helper's: copy_trace_marker brings in everyone's. */
	if (ev->type == BT_EV_PRINT && ev->str && ev->pid == pid) {
		c->markers_begin += ev->str_len >= 20 &&
				    !memcmp(ev->str, "alloc-workload begin", 20);
		c->markers_end += ev->str_len >= 18 &&
				  !memcmp(ev->str, "alloc-workload end", 18);
	}
}

static void count_file(const char *path, pid_t pid, struct counts *c,
		       struct bt_reader **keep)
{
	struct bt_event ev;
	int err = 0, ret;
	struct bt_reader *r = bt_reader_open(path, &err);

	assert_non_null(r);
	memset(c, 0, sizeof(*c));
	/* tracing starts before the first vmstat snapshot (after the map) */
	for (unsigned int i = 0; i < bt_reader_nr_snapshots(r); i++) {
		const struct bt_snapshot *s = bt_reader_snapshot(r, i);

		if (s->kind != BT_SNAP_VMSTAT)
			continue;
		if (!c->win_lo || s->ts < c->win_lo)
			c->win_lo = s->ts;
		c->win_hi = BT_MAX(c->win_hi, s->ts);
	}
	while ((ret = bt_reader_next(r, &ev)) > 0)
		count_event(c, &ev, pid);
	assert_int_equal(ret, 0);
	*keep = r;
}

/* Sum of pgalloc_* in a vmstat snapshot. */
static uint64_t pgalloc(const struct bt_snapshot *s)
{
	char *text = strndup((const char *)s->data, s->len), *line, *save;
	uint64_t sum = 0;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "pgalloc_", 8))
			sum += strtoull(strchr(line, ' ') + 1, NULL, 10);
	free(text);
	return sum;
}

static const struct bt_snapshot *snap(struct bt_reader *r, unsigned int kind,
				      bool last)
{
	const struct bt_snapshot *found = NULL;
	unsigned int i;

	for (i = 0; i < bt_reader_nr_snapshots(r); i++) {
		const struct bt_snapshot *s = bt_reader_snapshot(r, i);

		if (s->kind != kind)
			continue;
		if (!found || last)
			found = s;
	}
	return found;
}

static bool instance_left(void)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/tracing/instances/"
		 BT_REC_INSTANCE_PREFIX "%d", (int)getpid());
	return access(path, F_OK) == 0;
}

static struct bt_recorder *start(struct bt_record_opts *o)
{
	struct bt_recorder *r = NULL;
	char msg[256];
	int ret = bt_recorder_new(o, &r, msg, sizeof(msg));

	if (ret < 0)
		print_message("recorder: %s (%s)\n", msg, bt_strerror(ret));
	assert_int_equal(ret, 0);
	assert_int_equal(bt_recorder_start(r), 0);
	return r;
}

static void finish(struct bt_recorder *r)
{
	assert_int_equal(bt_recorder_stop(r), 0);
	bt_recorder_free(r);
	assert_false(instance_left());
}

/*
 * Pages the trace shows allocated vs the pgalloc delta of the vmstat
 * snapshots around it, in percent of the delta. Known gaps: the bulk
 * allocator (vmalloc, so every fork's kernel stack) raises pgalloc
 * without any event; compaction capture traces pages that pgalloc does
 * not count. Other processes on the host add the former.
 */
struct gap {
	double pct;		/* untraced in percent of the delta */
	double untraced;	/* pgalloc delta - traced pages */
	double secs;		/* between the two vmstat snapshots */
	uint64_t delta;
};

static struct gap pgalloc_gap(struct bt_reader *r, const struct counts *c)
{
	const struct bt_snapshot *a = snap(r, BT_SNAP_VMSTAT, false);
	const struct bt_snapshot *b = snap(r, BT_SNAP_VMSTAT, true);
	struct gap g;

	g.delta = pgalloc(b) - pgalloc(a);
	g.untraced = (double)g.delta - (double)c->win_alloc_pages;
	g.pct = 100.0 * g.untraced / (double)g.delta;
	g.secs = (double)(b->ts - a->ts) / 1e9;
	print_message("traced %llu pages, pgalloc delta %llu (%+.3f%%) in "
		      "%.2f s\n", (unsigned long long)c->win_alloc_pages,
		      (unsigned long long)g.delta, g.pct, g.secs);
	return g;
}

/*
 * The untraced pages a window of @secs gets from other processes alone:
 * a recording without the helper, scaled.
 */
static double background_untraced(double secs)
{
	struct timespec nap = { (time_t)secs,
				(long)((secs - (double)(time_t)secs) * 1e9) };
	struct bt_record_opts o;
	struct bt_reader *r;
	struct counts c;
	struct gap g;

	opts_init(&o, "control");
	{
		struct bt_recorder *rec = start(&o);

		nanosleep(&nap, NULL);
		finish(rec);
	}
	count_file(out_path, 0, &c, &r);
	g = pgalloc_gap(r, &c);
	bt_reader_close(r);
	unlink(out_path);
	return g.secs > 0 ? g.untraced * secs / g.secs : 0;
}

static void check_workload(struct bt_reader *r, const struct counts *c,
			   pid_t pid, unsigned long thp_ok)
{
	print_message("helper %d: %llu order-0 movable allocations, %llu "
		      "pages freed, %llu order-9, thp_ok %lu\n", (int)pid,
		      (unsigned long long)c->by_pid_alloc0_movable,
		      (unsigned long long)c->by_pid_free_pages,
		      (unsigned long long)c->by_pid_order9, thp_ok);
	assert_int_equal(c->lost, 0);
	assert_int_equal(c->lost_unknown, 0);
	/*
	 * 256 MB of anonymous small pages, then 16 MB of page cache written
	 * (in large folios on current ext4, so counted in pages)
	 */
	assert_true(c->by_pid_alloc0_movable >= 65536);
	assert_true(c->by_pid_movable_pages >= 65536 + 4096 + 4 * 512);
	assert_true(c->by_pid_free_pages >= 65536);
	if (thp_ok)
		assert_true(c->by_pid_order9 >= thp_ok);
	assert_int_equal(c->markers_begin, 1);
	assert_int_equal(c->markers_end, 1);
	/*
	 * One timeline: tracing starts before the start snapshot, which comes
	 * before the command's first event; the end snapshot after all.
	 */
	assert_true(snap(r, BT_SNAP_VMSTAT, false)->ts <= c->pid_first_ts);
	assert_true(snap(r, BT_SNAP_VMSTAT, true)->ts >= c->last_ts);
	assert_string_equal(bt_reader_meta(r, BT_META_CLOCK), "mono");
	assert_non_null(snap(r, BT_SNAP_SYSCTL_VM, true));
	assert_non_null(snap(r, BT_SNAP_MEMINFO, true));
	assert_non_null(bt_reader_format(r, "kmem", "mm_page_alloc"));
}

static void test_workload(void **state)
{
	char pc[64];
	const char *const steps[] = { "anon=256", pc, "thp=4", NULL };
	struct bt_record_opts o;
	struct bt_recorder *rec;
	struct bt_reader *r;
	struct counts c;
	unsigned long thp_ok;
	struct gap best = { .pct = 100 }, g;
	double bg;
	pid_t pid;
	int tries;

	(void)state;
	if (!live_ok())
		skip();
	/* Other test runs may share the host: a file of our own. */
	snprintf(pc, sizeof(pc), "pagecache=16:/tmp/bt-live-%d.dat",
		 (int)getpid());
	/*
	 * Other processes' bulk allocations (vmalloc'd kernel stacks of
	 * every fork, network page pools) blur a window in bursts: an idle
	 * recording showed a 3% gap while compilers ran on the host. A
	 * recorder that missed allocations would miss them in every window,
	 * so the bound applies to the best of up to five, less what a window
	 * without the helper shows other processes leave untraced.
	 */
	for (tries = 0; tries < 5 && best.pct > 1.0; tries++) {
		opts_init(&o, "workload");
		rec = start(&o);
		pid = run_helper(steps, &thp_ok);
		finish(rec);
		count_file(out_path, pid, &c, &r);
		check_workload(r, &c, pid, thp_ok);
		g = pgalloc_gap(r, &c);
		if (fabs(g.pct) < fabs(best.pct))
			best = g;
		bt_reader_close(r);
		unlink(out_path);
	}
	if (fabs(best.pct) <= 1.0)
		return;
	/* A busy host: take out what other processes leave untraced. */
	bg = background_untraced(best.secs);
	print_message("a window without the helper leaves %.0f pages "
		      "untraced: %.3f%% remain\n", bg,
		      100.0 * (best.untraced - bg) / (double)best.delta);
	/*
	 * One-sided: background can only add untraced pages, and a busier
	 * control window than the workload's is noise, not loss. Traced
	 * pages above pgalloc (compaction capture, or counting an event
	 * twice) have no such excuse here: no compaction in this workload.
	 */
	assert_true(best.untraced - bg <= 0.01 * (double)best.delta);
	assert_true(best.pct >= -1.0);
}

static void zone_counts(const char *buddyinfo, const char *zone, uint64_t *n)
{
	char pat[64];
	const char *p;
	unsigned int o;

	snprintf(pat, sizeof(pat), "zone %8s", zone);
	p = strstr(buddyinfo, pat);
	assert_non_null(p);
	p += strlen(pat);
	for (o = 0; o < BT_REC_MAX_ORDER; o++)
		n[o] = strtoull(p, (char **)&p, 10);
}

/*
 * The start map comes with its read times (same ts), read with tracing
 * on: in pfn order, from the first zone's start, each range within one
 * aligned 8192 pages, times not going back, before the first buddyinfo.
 * The end map, read with tracing off, has none.
 */
static void check_read_times(struct bt_reader *r,
			     const struct bt_snapshot *fb, uint64_t first_pfn)
{
	const struct bt_snapshot *t = snap(r, BT_SNAP_FREE_TIMES, false);
	const char *pos, *end;
	struct bt_free_time ft;
	uint64_t prev_hi = 0, prev_t1 = 0, n = 0;

	assert_non_null(t);
	assert_true(t == snap(r, BT_SNAP_FREE_TIMES, true));
	assert_int_equal(t->ts, fb->ts);
	pos = (const char *)t->data;
	end = pos + t->len;
	while (bt_free_times_next(&pos, end, &ft) == 1) {
		if (!n++)
			assert_int_equal(ft.lo, first_pfn);
		assert_true(ft.lo >= prev_hi);
		assert_int_equal((ft.hi - 1) >> 13, ft.lo >> 13);
		assert_true(ft.t0 >= prev_t1 && ft.t0 >= fb->ts);
		prev_hi = ft.hi;
		prev_t1 = ft.t1;
	}
	assert_true(n > 0);
	assert_true(prev_t1 <= snap(r, BT_SNAP_BUDDYINFO, false)->ts);
}

static void test_freemap_in_file(void **state)
{
	struct bt_record_opts o;
	struct bt_reader *r;
	const struct bt_snapshot *fb, *bi, *zi;
	struct bt_rec_zone_span z[8];
	struct bt_rec_block *blocks;
	uint64_t want[BT_REC_MAX_ORDER], got[BT_REC_MAX_ORDER] = { 0 };
	struct counts c;
	size_t nr, i;
	char *text;

	(void)state;
	if (!live_ok() || access("/proc/kpageflags", R_OK) < 0)
		skip();
	opts_init(&o, "freemap");
	o.no_freemap = false;
	finish(start(&o));
	count_file(out_path, 0, &c, &r);
	fb = snap(r, BT_SNAP_FREE_BLOCKS, false);
	bi = snap(r, BT_SNAP_BUDDYINFO, false);
	zi = snap(r, BT_SNAP_ZONEINFO, false);
	assert_non_null(fb);
	assert_true(fb != snap(r, BT_SNAP_FREE_BLOCKS, true));
	assert_int_equal(bt_rec_freemap_decode(fb->data, fb->len, &blocks,
					       &nr), 0);
	text = strndup((const char *)zi->data, zi->len);
	assert_true(bt_rec_zone_spans(text, z, 8) > 0);
	free(text);
	/* The first zone is quiet: the stored map gives its buddyinfo. */
	text = strndup((const char *)bi->data, bi->len);
	zone_counts(text, z[0].name, want);
	free(text);
	for (i = 0; i < nr; i++)
		if (blocks[i].pfn >= z[0].start_pfn &&
		    blocks[i].pfn < z[0].end_pfn)
			got[blocks[i].order]++;
	assert_memory_equal(got, want, sizeof(got));
	free(blocks);
	check_read_times(r, fb, z[0].start_pfn);
	bt_reader_close(r);
	unlink(out_path);
}

static void test_stacktrace(void **state)
{
	static const char *const steps[] = { "thp=4", "anon=4", NULL };
	struct bt_record_opts o;
	struct bt_reader *r;
	struct counts c;
	const uint64_t *ips;
	const char *sym;
	unsigned long thp_ok;
	struct bt_recorder *rec;
	pid_t pid;
	int nr;

	(void)state;
	if (!live_ok())
		skip();
	opts_init(&o, "stack");
	o.stacktrace = true;
	o.stack_filter = "order>0";
	rec = start(&o);
	pid = run_helper(steps, &thp_ok);
	finish(rec);
	count_file(out_path, pid, &c, &r);
	assert_int_equal(c.order0_stack, 0);
	assert_true(c.order_gt0 > 0);
	/* an interrupt between an event and its stack may rarely split them */
	assert_true(c.order_gt0_stack * 100 >= c.order_gt0 * 95);
	nr = bt_reader_stack(r, 1, &ips, &sym);
	assert_true(nr > 0);
	assert_non_null(strstr(sym, "+0x"));
	bt_reader_close(r);
	unlink(out_path);
}

static void test_filter(void **state)
{
	static const char *const steps[] = { "thp=2", "anon=8", NULL };
	struct bt_record_opts o;
	struct bt_recorder *rec;
	struct bt_reader *r;
	struct counts c;
	unsigned long thp_ok;
	char msg[256];
	pid_t pid;

	(void)state;
	if (!live_ok())
		skip();
	/* One event's filter; the others record everything. */
	opts_init(&o, "filter");
	o.filters[o.nr_filters++] = "kmem:mm_page_alloc:order>0";
	rec = start(&o);
	pid = run_helper(steps, &thp_ok);
	finish(rec);
	count_file(out_path, pid, &c, &r);
	assert_int_equal(c.order0_allocs, 0);
	assert_true(c.order_gt0 > 0);
	assert_true(c.frees > 0);
	bt_reader_close(r);
	unlink(out_path);
	/* An expression no event accepts: a usage error, nothing left. */
	opts_init(&o, "filter");
	o.filters[o.nr_filters++] = "no_such_field > 1";
	rec = NULL;
	assert_int_equal(bt_recorder_new(&o, &rec, msg, sizeof(msg)),
			 BT_E_USAGE);
	assert_null(rec);
	assert_non_null(strstr(msg, "no recorded event accepts"));
	assert_false(instance_left());
	unlink(out_path);
}

static char logged[512];

static void log_capture(enum bt_log_level level, const char *msg, void *data)
{
	(void)data;
	if (level == BT_LOG_NOTE && strstr(msg, "slowpath"))
		bt_strlcpy(logged, msg, sizeof(logged));
}

static void test_slowpath_probe(void **state)
{
	struct bt_record_opts o;
	struct bt_reader *r;
	struct counts c;

	(void)state;
	if (!live_ok())
		skip();
	opts_init(&o, "probe");
	o.slowpath_probe = true;
	logged[0] = '\0';
	bt_log_set(log_capture, NULL);
	finish(start(&o));
	bt_log_set(NULL, NULL);
	if (access("/sys/kernel/tracing/kprobe_events", W_OK) < 0)
		assert_non_null(strstr(logged, "no kprobe events"));
	count_file(out_path, 0, &c, &r);
	assert_non_null(snap(r, BT_SNAP_ZONEINFO, true));
	bt_reader_close(r);
	unlink(out_path);
}

/* A failed assertion skips the unlink: do it here. */
static int remove_output(void **state)
{
	(void)state;
	if (out_path[0])
		unlink(out_path);
	return 0;
}

static int stat_main(const char *path)
{
	struct bt_reader *r;
	struct bt_damage d;
	struct counts c;
	int err = 0;

	r = bt_reader_open(path, &err);
	if (!r) {
		printf("error=%d\n", err);
		return 1;
	}
	bt_reader_close(r);
	count_file(path, 0, &c, &r);
	bt_reader_damage(r, &d);
	printf("events=%llu lost=%llu lost_unknown=%llu snapshots=%u "
	       "no_index=%d truncated=%d bad_chunks=%u\n",
	       (unsigned long long)c.events, (unsigned long long)c.lost,
	       (unsigned long long)c.lost_unknown, bt_reader_nr_snapshots(r),
	       d.no_index, d.truncated, d.bad_chunks);
	bt_reader_close(r);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_workload, remove_output),
		cmocka_unit_test_teardown(test_freemap_in_file, remove_output),
		cmocka_unit_test_teardown(test_stacktrace, remove_output),
		cmocka_unit_test_teardown(test_filter, remove_output),
		cmocka_unit_test_teardown(test_slowpath_probe, remove_output),
	};

	if (argc == 3 && !strcmp(argv[1], "--stat"))
		return stat_main(argv[2]);
	if (!live_ok())
		print_message("skipped: record-live needs root and tracefs\n");
	return cmocka_run_group_tests_name("record-live", tests, NULL, NULL);
}
