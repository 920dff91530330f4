// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-analyze-export.c - a whole analysis of a small .bt file written
 * here (events and /proc snapshots), checked through its JSON document,
 * and its Perfetto export parsed back with jansson: the counter tracks'
 * names, monotonic timestamps, and values that sum to the recorded counts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyze/analyze-internal.h"

#define NS 1000000000ull

static const char zoneinfo[] =
	"Node 0, zone    DMA32\n"
	"  pages free     1000\n"
	"        boost    0\n"
	"        min      10\n"
	"        low      20\n"
	"        high     30\n"
	"        spanned  1044480\n"
	"        present  1044480\n"
	"        managed  1000000\n"
	"        protection: (0, 0, 0, 0)\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count: 0\n"
	"              high:  100\n"
	"              batch: 10\n"
	"  start_pfn:           4096\n";
static const char buddy0[] =
	"Node 0, zone    DMA32    100     50     20     10      5      2      1"
	"      0      0      1      0\n";
static const char buddy1[] =
	"Node 0, zone    DMA32     90     50     20     10      5      2      1"
	"      0      0      0      0\n";
static const char vm0[] = "pgalloc_dma32 1000\npgfree 900\nallocstall_movable 0\n"
	"compact_stall 0\ncompact_success 0\ncompact_fail 0\noom_kill 0\n";
static const char vm1[] = "pgalloc_dma32 1520\npgfree 905\nallocstall_movable 1\n"
	"compact_stall 0\ncompact_success 0\ncompact_fail 0\noom_kill 0\n";

static uint32_t next_stack;	/* stack id of the next event added */

static void add(struct bt_writer *w, uint64_t ts, unsigned int type,
		int pid, unsigned int n, ...)
{
	struct bt_event e;
	va_list ap;
	unsigned int i;

	memset(&e, 0, sizeof(e));
	e.stack_id = next_stack;
	next_stack = 0;
	e.ts = ts;
	e.type = type;
	e.pid = pid;
	e.comm = "worker";
	va_start(ap, n);
	for (i = 0; i < n; i++)
		e.arg[i] = va_arg(ap, uint64_t);
	va_end(ap);
	assert_int_equal(bt_writer_add_event(w, &e), 0);
}

#define U(x) ((uint64_t)(x))

/* 10 s of trace: 6 allocations (one order 9), 1 failure, 2 fallbacks. */
static void write_trace(const char *path)
{
	struct bt_writer *w = bt_writer_open(path, 1);
	unsigned int i;

	assert_non_null(w);
	bt_writer_set_meta(w, BT_META_KERNEL, "6.18.0-test");
	bt_writer_add_snapshot(w, BT_SNAP_ZONEINFO, 1 * NS, zoneinfo,
			       strlen(zoneinfo));
	bt_writer_add_snapshot(w, BT_SNAP_BUDDYINFO, 1 * NS, buddy0,
			       strlen(buddy0));
	bt_writer_add_snapshot(w, BT_SNAP_VMSTAT, 1 * NS, vm0, strlen(vm0));
	for (i = 0; i < 5; i++)
		add(w, 1 * NS + i * NS / 10, BT_EV_PAGE_ALLOC, 10, 4,
		    U(5000 + i), U(0), U(BT_GFP_IO), U(1));
	add(w, 3 * NS, BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN, 11, 2, U(9),
	    U(BT_GFP_IO));
	add(w, 3 * NS + 5000, BT_EV_VMSCAN_DIRECT_RECLAIM_END, 11, 1, U(3));
	static const uint64_t ips[2] = { 0xffffffff81000010ull,
					 0xffffffff81000020ull };

	bt_writer_add_stack(w, 7, ips, 2, "alloc_pages\nthp_fault\n");
	next_stack = 7;
	add(w, 4 * NS, BT_EV_PAGE_ALLOC, 11, 4, U(8192), U(9), U(BT_GFP_IO),
	    U(1));
	next_stack = 7;
	add(w, 5 * NS, BT_EV_PAGE_ALLOC, 11, 4, BT_PFN_NONE, U(9),
	    U(BT_GFP_IO), U(1));
	add(w, 6 * NS, BT_EV_PAGE_ALLOC_EXTFRAG, 10, 6, U(7000), U(0), U(2),
	    U(0), U(1), U(0));
	add(w, 8 * NS, BT_EV_PAGE_ALLOC_EXTFRAG, 10, 6, U(7100), U(0), U(10),
	    U(0), U(1), U(1));
	add(w, 9 * NS, BT_EV_PAGE_FREE, 10, 2, U(5000), U(0));
	add(w, 10 * NS, BT_EV_PAGE_FREE, 10, 2, U(9000), U(2));
	bt_writer_add_snapshot(w, BT_SNAP_BUDDYINFO, 11 * NS, buddy1,
			       strlen(buddy1));
	bt_writer_add_snapshot(w, BT_SNAP_VMSTAT, 11 * NS, vm1, strlen(vm1));
	assert_int_equal(bt_writer_close(w), 0);
}

static json_int_t jget(json_t *o, const char *path)
{
	char buf[128], *save = NULL, *k;

	bt_strlcpy(buf, path, sizeof(buf));
	for (k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
		o = json_object_get(o, k);
	if (!json_is_integer(o))
		fail_msg("%s is not an integer", path);
	return json_integer_value(o);
}

static struct bt_analysis *analyze(const char *path)
{
	struct bt_analyze_opts o;
	struct bt_analysis *a = NULL;

	memset(&o, 0, sizeof(o));
	o.no_model = true;
	assert_int_equal(bt_analyze_file(path, &o, &a), 0);
	return a;
}

static void test_json(void **state)
{
	const char *path = *state;
	struct bt_analysis *a = analyze(path);
	json_t *d = bt_analysis_json(a), *vm;

	assert_int_equal(jget(d, "schema_version"), 1);
	assert_int_equal(jget(d, "recorded.allocations"), 7);
	assert_int_equal(jget(d, "recorded.pages"), 5 + 512);
	assert_int_equal(jget(d, "recorded.failed"), 1);
	assert_int_equal(jget(d, "recorded.frees"), 2);
	assert_int_equal(jget(d, "recorded.frees_untraced_alloc"), 1);
	assert_int_equal(jget(d, "recorded.fallbacks.total"), 2);
	assert_int_equal(jget(d, "recorded.fallbacks.fragmenting"), 1);
	assert_int_equal(jget(d, "recorded.fallbacks.severe"), 1);
	assert_int_equal(jget(d, "recorded.fallbacks.ownership_changed"), 1);
	assert_int_equal(jget(d, "recorded.slowpath_evidence"), 1);
	assert_int_equal(jget(d, "recorded.direct_reclaims"), 1);
	assert_int_equal(jget(d, "recorded.reclaim.direct_stall_ns"), 5000);
	vm = json_array_get(json_object_get(d, "vmstat_check"), 0);
	assert_string_equal(json_string_value(json_object_get(vm, "name")),
			    "pgalloc");
	assert_int_equal(jget(vm, "trace"), 517);
	assert_int_equal(jget(vm, "vmstat"), 520);
	assert_int_equal(jget(vm, "diff"), -3);
	assert_true(json_is_true(json_object_get(vm, "within")));
	vm = json_array_get(json_object_get(d, "vmstat_check"), 2);
	assert_int_equal(jget(vm, "trace"), 1);
	assert_int_equal(jget(vm, "vmstat"), 1);
	assert_true(json_is_null(json_object_get(d, "model")));
	/* both order-9 allocations came from stack 7, one failed */
	json_t *st = json_array_get(json_object_get(json_object_get(
		json_object_get(d, "recorded"), "stacks"), "failed"), 0);

	assert_int_equal(jget(st, "stack_id"), 7);
	assert_int_equal(jget(st, "failed"), 1);
	assert_int_equal(jget(st, "high_order"), 2);
	assert_string_equal(json_string_value(json_object_get(st, "symbols")),
			    "alloc_pages thp_fault ");
	/* fragmentation at both snapshots, kernel formulas */
	json_t *f = json_array_get(json_object_get(json_object_get(d,
			"recorded"), "fragmentation"), 1);
	json_t *z = json_array_get(json_object_get(f, "zones"), 0);

	assert_int_equal(jget(z, "free_pages"),
			 90 + 100 + 80 + 80 + 80 + 64 + 64);
	json_decref(d);
	bt_analysis_free(a);
}

/* Per-track: counts, monotonic ts and the sum of the values. */
static void track(json_t *ev, const char *name, unsigned int *n,
		  double *sum)
{
	double last = -1;
	size_t i;
	json_t *e;

	*n = 0;
	*sum = 0;
	json_array_foreach(ev, i, e) {
		const char *nm = json_string_value(json_object_get(e, "name"));
		double ts;

		if (!nm || strcmp(nm, name))
			continue;
		assert_string_equal(json_string_value(json_object_get(e, "ph")),
				    "C");
		ts = json_number_value(json_object_get(e, "ts"));
		assert_true(ts >= last);
		last = ts;
		*sum += json_number_value(json_object_get(
			json_object_get(e, "args"), "value"));
		(*n)++;
	}
}

static void test_perfetto(void **state)
{
	const char *path = *state;
	struct bt_analysis *a = analyze(path);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	json_error_t je;
	json_t *d, *ev;
	unsigned int n, slices = 0;
	double sum;
	size_t i;
	json_t *e;

	assert_int_equal(bt_export_perfetto(a, m), 0);
	fclose(m);
	d = json_loadb(buf, len, 0, &je);
	assert_non_null(d);
	ev = json_object_get(d, "traceEvents");
	assert_true(json_is_array(ev));
	track(ev, "allocations", &n, &sum);
	assert_int_equal(n, BT_AN_BUCKETS);
	assert_int_equal((int)sum, 7);
	track(ev, "fallbacks", &n, &sum);
	assert_int_equal((int)sum, 2);
	track(ev, "fragmenting fallbacks", &n, &sum);
	assert_int_equal((int)sum, 1);
	track(ev, "slow-path evidence", &n, &sum);
	assert_int_equal((int)sum, 1);
	track(ev, "allocations/s", &n, &sum);
	assert_int_equal(n, BT_AN_BUCKETS);
	/* free pages of order 9 at the two snapshots: 512, then 0 */
	track(ev, "free pages DMA32 order 9", &n, &sum);
	assert_int_equal(n, 2);
	assert_int_equal((int)sum, 512);
	track(ev, "free pages DMA32 order 0", &n, &sum);
	assert_int_equal((int)sum, 190);
	json_array_foreach(ev, i, e) {
		const char *ph = json_string_value(json_object_get(e, "ph"));

		if (ph && !strcmp(ph, "X")) {
			slices++;
			assert_int_equal(jget(e, "tid"), 11);
			assert_true(json_number_value(json_object_get(e, "dur"))
				    == 5.0);
		}
	}
	assert_int_equal(slices, 1);
	json_decref(d);
	free(buf);
	bt_analysis_free(a);
}

/* On a real corpus trace the per-interval tracks add up to the counts. */
static void test_perfetto_corpus(void **state)
{
	static const char path[] = "traces/corpus/thp/trace.bt";
	struct bt_analysis *a;
	json_t *doc, *d, *ev;
	char *buf = NULL;
	size_t len = 0;
	unsigned int n;
	double sum;
	FILE *m;

	(void)state;
	if (access(path, R_OK))
		skip();
	a = analyze(path);
	doc = bt_analysis_json(a);
	m = open_memstream(&buf, &len);
	assert_int_equal(bt_export_perfetto(a, m), 0);
	fclose(m);
	d = json_loadb(buf, len, 0, NULL);
	assert_non_null(d);
	ev = json_object_get(d, "traceEvents");
	track(ev, "allocations", &n, &sum);
	assert_int_equal((json_int_t)sum, jget(doc, "recorded.allocations"));
	track(ev, "fallbacks", &n, &sum);
	assert_int_equal((json_int_t)sum, jget(doc,
					       "recorded.fallbacks.total"));
	track(ev, "fragmenting fallbacks", &n, &sum);
	assert_int_equal((json_int_t)sum,
			 jget(doc, "recorded.fallbacks.fragmenting"));
	track(ev, "slow-path evidence", &n, &sum);
	assert_int_equal((json_int_t)sum,
			 jget(doc, "recorded.slowpath_evidence"));
	track(ev, "free pages Normal order 9", &n, &sum);
	assert_int_equal(n, json_array_size(json_object_get(json_object_get(
		doc, "recorded"), "fragmentation")));
	json_decref(d);
	json_decref(doc);
	free(buf);
	bt_analysis_free(a);
}

static int setup(void **state)
{
	static char path[] = "/tmp/bt-test-export-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	close(fd);
	write_trace(path);
	*state = path;
	return 0;
}

static int teardown(void **state)
{
	unlink(*state);
	return 0;
}

/*
 * The model in a child process (the analyze and export commands' way)
 * gives the columns it gives on a thread. bt_analysis_free() reaps the
 * child, unless the caller exits right after (exit_after): the child is
 * then left to end on its own, with status 0.
 */
static void test_model_process(void **state)
{
	static const char path[] = "traces/corpus/thp/trace.bt";
	const struct bt_replay_paths *a, *b;
	struct bt_analyze_opts o;
	struct bt_analysis *t, *p;
	pid_t child;
	int st;

	(void)state;
	if (access(path, R_OK))
		skip();
	memset(&o, 0, sizeof(o));
	assert_int_equal(bt_analyze_file(path, &o, &t), 0);
	o.model_process = true;
	assert_int_equal(bt_analyze_file(path, &o, &p), 0);
	assert_true(t->have_model && p->have_model && p->have_mirror);
	a = &t->model.run;
	b = &p->model.run;
	assert_int_equal(a->allocations, 34016);
	assert_int_equal(b->allocations, a->allocations);
	assert_int_equal(b->pages, a->pages);
	assert_int_equal(b->fast, a->fast);
	assert_int_equal(b->slowpath, a->slowpath);
	assert_int_equal(b->failed, a->failed);
	assert_int_equal(b->fallbacks.total, a->fallbacks.total);
	assert_memory_equal(b->stage, a->stage, sizeof(a->stage));
	assert_int_equal(p->model.nr_samples, t->model.nr_samples);
	assert_int_equal(p->mirror.nr_snapcmp, t->mirror.nr_snapcmp);
	child = p->child;
	assert_true(child > 0);
	bt_analysis_free(p);
	errno = 0;
	assert_int_equal(waitpid(child, &st, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);

	o.exit_after = true;
	assert_int_equal(bt_analyze_file(path, &o, &p), 0);
	child = p->child;
	assert_true(child > 0);
	assert_int_equal(p->model.run.slowpath, a->slowpath);
	bt_analysis_free(p);
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	bt_analysis_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_perfetto),
		cmocka_unit_test(test_perfetto_corpus),
		cmocka_unit_test(test_model_process),
	};

	return cmocka_run_group_tests_name("analyze-export", tests, setup,
					   teardown);
}
