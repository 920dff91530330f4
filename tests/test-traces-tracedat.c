// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-traces-tracedat.c - the trace.dat importer on the real corpus
 * (traces/corpus/): per-event counts equal to trace-cmd report's (kept in
 * each trace's counts.txt), the buffer choice and --instance, lost-event
 * markers, field values against trace-cmd's own printing of the same
 * records (report-head.txt), and files cut short.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <trace-cmd/trace-cmd.h>

#include "test-traces-util.h"
#include "traces/traces.h"

static char corpus_dir[1024];

static void corpus_path(char *buf, size_t size, const char *t,
			const char *file)
{
	snprintf(buf, size, "%s/%s/%s", corpus_dir, t, file);
}

/* Import @t's trace.dat (or @path) into a scratch .bt; returns its stats. */
static int import_file(const char *path, const char *instance,
		       const char *out, struct bt_import_stats *st)
{
	struct bt_import_opts o = { .instance = instance };
	struct bt_writer *w = bt_writer_open(out, 0);
	int err;

	assert_non_null(w);
	err = bt_import_tracedat(path, w, &o, st);
	if (err) {
		bt_writer_abort(w);
		unlink(out);
		return err;
	}
	assert_int_equal(bt_writer_close(w), 0);
	return 0;
}

static void read_stats(const char *bt, struct bt_trace_stats *ts)
{
	int err = 0;
	struct bt_reader *r = bt_reader_open(bt, &err);

	assert_non_null(r);
	assert_int_equal(bt_reader_stats(r, ts), 0);
	bt_reader_close(r);
}

/* Compare every type's count with an "event count" file. */
static void check_counts(const struct bt_trace_stats *ts, const char *file)
{
	uint64_t want[BT_EV_TYPE_COUNT] = { 0 };
	char name[128];
	unsigned long long n;
	unsigned int t, lines = 0;
	FILE *f = fopen(file, "r");

	assert_non_null(f);
	while (fscanf(f, "%127s %llu", name, &n) == 2) {
		t = bt_event_lookup(name);
		lines++;
		if (t == BT_EV_NONE)
			continue;	/* not modelled: counted elsewhere */
		want[t] = n;
	}
	fclose(f);
	assert_true(lines > 0);
	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		if (t == BT_EV_LOST || t == BT_EV_SNAPSHOT)
			continue;
		if (ts->per_type[t] != want[t])
			fail_msg("%s: %s: %llu in the .bt, %llu in trace-cmd "
				 "report", file, bt_event_desc(t)->name,
				 (unsigned long long)ts->per_type[t],
				 (unsigned long long)want[t]);
	}
}

static void corpus_one(const char *t)
{
	char in[1200], counts[1200], out[256];
	struct bt_import_stats st;
	struct bt_trace_stats ts;

	corpus_path(in, sizeof(in), t, "trace.dat");
	corpus_path(counts, sizeof(counts), t, "counts.txt");
	bt_test_path(out, sizeof(out), "tracedat.bt");
	assert_int_equal(import_file(in, NULL, out, &st), 0);
	assert_int_equal(st.unknown_events, 0);
	read_stats(out, &ts);
	check_counts(&ts, counts);
	assert_int_equal(ts.events, st.events);
	unlink(out);
}

static void test_corpus_compile(void **s) { (void)s; corpus_one("compile"); }
static void test_corpus_thp(void **s) { (void)s; corpus_one("thp"); }
static void test_corpus_pressure(void **s) { (void)s; corpus_one("pressure"); }
static void test_corpus_markers(void **s) { (void)s; corpus_one("markers"); }

/* The lost trace: one "[EVENTS DROPPED]" page without a count. */
static void test_lost_markers(void **s)
{
	char in[1200], counts[1200], out[256];
	struct bt_import_stats st;
	struct bt_trace_stats ts;

	(void)s;
	corpus_one("lost");
	corpus_path(in, sizeof(in), "lost", "trace.dat");
	corpus_path(counts, sizeof(counts), "lost", "counts.txt");
	bt_test_path(out, sizeof(out), "lost.bt");
	assert_int_equal(import_file(in, NULL, out, &st), 0);
	assert_int_equal(st.lost_markers, 1);
	assert_int_equal(st.lost_events, 0);	/* count unknown */
	read_stats(out, &ts);
	assert_int_equal(ts.per_type[BT_EV_LOST], 1);
	assert_int_equal(ts.lost_markers, 1);
	unlink(out);
}

/* Two buffers: the default takes the allocator one; --instance the aux. */
static void test_instance(void **s)
{
	char in[1200], counts[1200], out[256], name[128];
	struct bt_import_stats st;
	struct bt_trace_stats ts;
	const char *aux;
	int err = 0;
	struct bt_reader *r;

	(void)s;
	corpus_path(in, sizeof(in), "markers", "trace.dat");
	corpus_path(counts, sizeof(counts), "markers", "counts-aux.txt");
	bt_test_path(out, sizeof(out), "aux.bt");
	assert_int_equal(import_file(in, NULL, out, &st), 0);
	r = bt_reader_open(out, &err);
	assert_non_null(r);
	aux = bt_reader_meta(r, "tracedat_buffer");
	assert_non_null(aux);
	assert_true(strlen(aux) > 0 && strlen(aux) < 100);
	snprintf(name, sizeof(name), "%s_aux", aux);
	/* host metadata, as the corpus README gives it */
	assert_string_equal(bt_reader_meta(r, BT_META_KERNEL),
			    "6.18.44-fc-v657");
	assert_string_equal(bt_reader_meta(r, BT_META_CPUS), "2");
	assert_string_equal(bt_reader_meta(r, BT_META_PAGE_SIZE), "4096");
	assert_string_equal(bt_reader_meta(r, BT_META_CLOCK), "local");
	assert_string_equal(bt_reader_meta(r, "tracedat_version"), "6");
	assert_non_null(bt_reader_format(r, "kmem", "mm_page_alloc"));
	assert_non_null(strstr(bt_reader_format(r, "kmem", "mm_page_alloc"),
			       "field:unsigned long pfn;"));
	bt_reader_close(r);
	unlink(out);

	assert_int_equal(import_file(in, name, out, &st), 0);
	read_stats(out, &ts);
	check_counts(&ts, counts);
	/* sched_process_exec 11 + exit 12: kept out, counted */
	assert_int_equal(st.unknown_events, 23);
	unlink(out);
	assert_int_equal(import_file(in, "no-such-buffer", out, &st),
			 BT_E_USAGE);
}

struct report_ev {
	unsigned int cpu;
	uint64_t ts_us, pfn;
	unsigned int order;
	int mt;
	uint64_t gfp;
};

/* The mm_page_alloc lines trace-cmd printed, in per-CPU order. */
static unsigned int read_report(struct report_ev *ev, unsigned int max)
{
	char path[1200], line[1024];
	unsigned int n = 0;
	FILE *f;

	corpus_path(path, sizeof(path), "markers", "report-head.txt");
	f = fopen(path, "r");
	assert_non_null(f);
	while (n < max && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "] "), gfp[512];
		unsigned long long sec, usec, pfn;
		unsigned int cpu, order;
		int mt;

		if (!strstr(line, " mm_page_alloc: ") || !p)
			continue;
		if (sscanf(p - 4, "[%u] %llu.%llu: mm_page_alloc: page=%*s "
			   "pfn=%llx order=%u migratetype=%d gfp_flags=%511s",
			   &cpu, &sec, &usec, &pfn, &order, &mt, gfp) != 7)
			continue;
		ev[n] = (struct report_ev){ cpu, sec * 1000000 + usec, pfn,
					    order, mt, 0 };
		bt_gfp_from_names(gfp, strlen(gfp), &ev[n].gfp);
		n++;
	}
	fclose(f);
	return n;
}

static void test_fields(void **s)
{
	static struct report_ev want[400];
	char in[1200], out[256];
	unsigned int n, seen[2] = { 0 }, i, matched = 0;
	struct bt_import_stats st;
	struct bt_reader *r;
	struct bt_event ev;
	int err = 0;

	(void)s;
	n = read_report(want, 400);
	assert_true(n > 300);
	corpus_path(in, sizeof(in), "markers", "trace.dat");
	bt_test_path(out, sizeof(out), "fields.bt");
	assert_int_equal(import_file(in, NULL, out, &st), 0);
	/* Walk both per-CPU sequences side by side. */
	r = bt_reader_open(out, &err);
	assert_non_null(r);
	seen[0] = seen[1] = 0;
	while (bt_reader_next(r, &ev) == 1) {
		unsigned int k = 0, c = ev.cpu;

		if (ev.type != BT_EV_PAGE_ALLOC || c > 1)
			continue;
		for (i = 0; i < n; i++) {
			if (want[i].cpu != c)
				continue;
			if (k++ == seen[c])
				break;
		}
		seen[c]++;
		if (i == n)
			continue;	/* past the report excerpt */
		assert_int_equal((ev.ts + 500) / 1000, want[i].ts_us);
		assert_int_equal(ev.arg[0], want[i].pfn);
		assert_int_equal(ev.arg[1], want[i].order);
		assert_int_equal((int64_t)ev.arg[3], want[i].mt);
		assert_int_equal(ev.arg[2], want[i].gfp);
		matched++;
	}
	bt_reader_close(r);
	assert_int_equal(matched, n);
	unlink(out);
}

/* Version 6, cut in half: CPU 0's data survives whole, CPU 1 loses some. */
static void test_cut_v6(void **s)
{
	char in[1200], cut[256], out[256];
	struct bt_import_stats st, full;
	struct bt_buf b;

	(void)s;
	corpus_path(in, sizeof(in), "markers", "trace.dat");
	bt_test_path(cut, sizeof(cut), "cut6.dat");
	bt_test_path(out, sizeof(out), "cut6.bt");
	assert_int_equal(import_file(in, NULL, out, &full), 0);
	bt_buf_init(&b);
	assert_int_equal(bt_read_file(in, &b), 0);
	FILE *f = fopen(cut, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, b.len / 2, f), b.len / 2);
	fclose(f);
	bt_test_log_clear();
	assert_int_equal(import_file(cut, NULL, out, &st), 0);
	assert_true(st.events > 0 && st.events < full.events);
	assert_non_null(strstr(bt_test_log, "cut short"));
	assert_non_null(strstr(bt_test_log, "cpu 1:"));
	assert_null(strstr(bt_test_log, "cpu 0:"));
	/* cut inside the headers: nothing usable */
	f = fopen(cut, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, 3000, f), 3000);
	fclose(f);
	assert_int_equal(import_file(cut, NULL, out, &st), BT_E_TRUNCATED);
	bt_buf_release(&b);
	unlink(cut);
}

/* Version 7 keeps its section index after the data: a cut file is lost. */
static void test_cut_v7(void **s)
{
	char in[1200], cut[256], out[256];
	struct bt_import_stats st;
	struct bt_buf b;
	FILE *f;

	(void)s;
	corpus_path(in, sizeof(in), "thp", "trace.dat");
	bt_test_path(cut, sizeof(cut), "cut7.dat");
	bt_test_path(out, sizeof(out), "cut7.bt");
	bt_buf_init(&b);
	assert_int_equal(bt_read_file(in, &b), 0);
	f = fopen(cut, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, b.len / 2, f), b.len / 2);
	fclose(f);
	assert_int_equal(import_file(cut, NULL, out, &st), BT_E_TRUNCATED);
	bt_buf_release(&b);
	unlink(cut);
}

static void test_detect(void **s)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
					     0x1a, '\n', 0, 0, 0, 13 };
	static const char td[] = "\027\010\104tracing6";
	static const char text[] = "  sh-1 [000] ...1 12.345678: "
				   "mm_page_free: page=0x1 pfn=0x1 order=0\n";
	static const char prose[] = "hello world\nthis is not a trace\n";

	(void)s;
	assert_int_equal(bt_input_detect(png, sizeof(png)), BT_INPUT_UNKNOWN);
	assert_int_equal(bt_input_detect((const unsigned char *)td,
					 sizeof(td) - 1), BT_INPUT_TRACEDAT);
	assert_int_equal(bt_input_detect((const unsigned char *)text,
					 sizeof(text) - 1), BT_INPUT_TEXT);
	assert_int_equal(bt_input_detect((const unsigned char *)prose,
					 sizeof(prose) - 1), BT_INPUT_UNKNOWN);
	assert_int_equal(bt_input_detect(png, 0), BT_INPUT_UNKNOWN);
}

static unsigned int count_flag_syms(struct tep_print_arg *a)
{
	unsigned int n = 0, m;
	struct tep_print_flag_sym *s;

	for (; a; a = a->next) {
		if (a->type == TEP_PRINT_FLAGS) {
			for (s = a->flags.flags; s; s = s->next)
				n++;
		} else if (a->type == TEP_PRINT_OP) {
			m = count_flag_syms(a->op.left);
			n += m + count_flag_syms(a->op.right);
		} else if (a->type == TEP_PRINT_TYPE) {
			n += count_flag_syms(a->typecast.item);
		}
	}
	return n;
}

/*
 * The stored format of every event parses back with libtraceevent to the
 * same fields and the same __print_flags tables as the trace.dat's own.
 */
static void test_formats_reparse(void **s)
{
	char in[1200], out[256];
	struct bt_import_stats st;
	struct tracecmd_input *h;
	struct tep_handle *tep, *mine;
	struct tep_event **ev, *e2;
	struct bt_reader *r;
	unsigned int checked = 0;
	int err = 0;

	(void)s;
	corpus_path(in, sizeof(in), "thp", "trace.dat");
	bt_test_path(out, sizeof(out), "formats.bt");
	assert_int_equal(import_file(in, NULL, out, &st), 0);
	r = bt_reader_open(out, &err);
	assert_non_null(r);
	h = tracecmd_open(in, TRACECMD_FL_LOAD_NO_PLUGINS);
	assert_non_null(h);
	tep = tracecmd_get_tep(h);
	mine = tep_alloc();
	assert_non_null(mine);
	tep_set_long_size(mine, 8);
	for (ev = tep_list_events(tep, TEP_EVENT_SORT_ID); *ev; ev++) {
		const char *txt = bt_reader_format(r, (*ev)->system,
						   (*ev)->name);

		if (bt_event_lookup((*ev)->name) == BT_EV_NONE)
			continue;
		assert_non_null(txt);
		e2 = NULL;
		assert_int_equal(tep_parse_format(mine, &e2, txt, strlen(txt),
						  (*ev)->system), 0);
		assert_non_null(e2);
		assert_int_equal(e2->format.nr_fields, (*ev)->format.nr_fields);
		assert_int_equal(e2->format.nr_common,
				 (*ev)->format.nr_common);
		assert_int_equal(count_flag_syms(e2->print_fmt.args),
				 count_flag_syms((*ev)->print_fmt.args));
		if (!strcmp((*ev)->name, "mm_page_alloc"))	/* gfp table */
			assert_true(count_flag_syms(e2->print_fmt.args) > 20);
		checked++;
	}
	/* kmem 6, compaction 15, vmscan 7, oom 8, ftrace print */
	assert_true(checked >= 30);
	tep_free(mine);
	tracecmd_close(h);
	bt_reader_close(r);
	unlink(out);
}

/* Sum of pfn arguments (as a checksum) and count of unknown ones. */
static void pfn_sums(const char *bt, uint64_t *sum, uint64_t *unknown)
{
	struct bt_reader *r;
	struct bt_event ev;
	int err = 0;

	*sum = *unknown = 0;
	r = bt_reader_open(bt, &err);
	assert_non_null(r);
	while (bt_reader_next(r, &ev) == 1) {
		const struct bt_event_desc *d = bt_event_desc(ev.type);

		if (!d || !d->nr_fields || d->fields[0].kind != BT_FK_PFN ||
		    ev.type >= BT_EV_COMPACTION_BEGIN)
			continue;
		if (ev.arg[0] == BT_PFN_UNKNOWN) {
			assert_true(ev.flags & BT_EVF_PFN_UNKNOWN);
			(*unknown)++;
		} else {
			*sum += ev.arg[0] * 31 + ev.ts;
		}
	}
	bt_reader_close(r);
}

/*
 * Kernels whose kmem events carry a struct page pointer instead of a pfn:
 * the markers trace with its "pfn" fields renamed "page" (the values stay
 * pfns, so --vmemmap-base 0 --struct-page-size 1 gives them back).
 */
static void test_page_pointers(void **s)
{
	static const char from[] = "field:unsigned long pfn;\toffset:8;";
	static const char to[] = "field:unsigned long page;offset:8;";
	char in[1200], dat[256], out[256];
	struct bt_import_opts o = { 0 };
	struct bt_import_stats st;
	uint64_t want, sum, unknown, want_unknown;
	unsigned int patched = 0;
	struct bt_writer *w;
	struct bt_buf b;
	unsigned char *p;
	FILE *f;

	(void)s;
	corpus_path(in, sizeof(in), "markers", "trace.dat");
	bt_test_path(dat, sizeof(dat), "page.dat");
	bt_test_path(out, sizeof(out), "page.bt");
	assert_int_equal(import_file(in, NULL, out, &st), 0);
	pfn_sums(out, &want, &want_unknown);
	assert_int_equal(want_unknown, 0);
	bt_buf_init(&b);
	assert_int_equal(bt_read_file(in, &b), 0);
	for (p = b.data; (p = memmem(p, b.len - (size_t)(p - b.data), from,
				    sizeof(from) - 1)) != NULL; patched++)
		memcpy(p, to, sizeof(to) - 1);
	assert_int_equal(patched, 6);	/* the six kmem events */
	f = fopen(dat, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
	fclose(f);
	bt_buf_release(&b);

	assert_int_equal(import_file(dat, NULL, out, &st), 0);
	/* alloc 5410 + free 5073 + batched 4745 + zone_locked 198 */
	assert_int_equal(st.pfn_unknown, 15426);
	pfn_sums(out, &sum, &unknown);
	assert_int_equal(unknown, 15426);

	o.have_vmemmap = true;
	o.vmemmap_base = 0;
	o.struct_page_size = 1;
	w = bt_writer_open(out, 0);
	assert_non_null(w);
	assert_int_equal(bt_import_tracedat(dat, w, &o, &st), 0);
	assert_int_equal(bt_writer_close(w), 0);
	assert_int_equal(st.pfn_unknown, 0);
	pfn_sums(out, &sum, &unknown);
	assert_int_equal(unknown, 0);
	assert_int_equal(sum, want);
	unlink(dat);
	unlink(out);
}

/* Failed allocations (raw pfn -1, printed page=(nil)) become BT_PFN_NONE. */
static void test_failed_allocs(void **s)
{
	char in[1200], out[256], cmd[3000];
	unsigned long long want = 0, got = 0;
	struct bt_import_stats st;
	struct bt_reader *r;
	struct bt_event ev;
	int err = 0;
	FILE *p;

	(void)s;
	if (system("command -v trace-cmd >/dev/null 2>&1"))
		skip();
	corpus_path(in, sizeof(in), "thp", "trace.dat");
	snprintf(cmd, sizeof(cmd), "trace-cmd report '%s' 2>/dev/null | "
		 "grep -c 'mm_page_alloc: *page=(nil)'", in);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%llu", &want), 1);
	pclose(p);
	assert_true(want > 0);
	bt_test_path(out, sizeof(out), "failed.bt");
	assert_int_equal(import_file(in, NULL, out, &st), 0);
	r = bt_reader_open(out, &err);
	assert_non_null(r);
	while (bt_reader_next(r, &ev) == 1)
		got += ev.type == BT_EV_PAGE_ALLOC && ev.arg[0] == BT_PFN_NONE;
	bt_reader_close(r);
	assert_int_equal(got, want);
	unlink(out);
}

/* trace-cmd report's text of the same file: the text importer agrees. */
static uint64_t report_text_one(const char *t)
{
	char in[1200], counts[1200], txt[256], out[256], cmd[3000];
	struct bt_import_opts o = { 0 };
	struct bt_import_stats st;
	struct bt_trace_stats ts;
	struct bt_writer *w;
	FILE *f;

	if (system("command -v trace-cmd >/dev/null 2>&1")) {
		skip();
		return 0;
	}
	corpus_path(in, sizeof(in), t, "trace.dat");
	corpus_path(counts, sizeof(counts), t, "counts.txt");
	bt_test_path(txt, sizeof(txt), "report.txt");
	bt_test_path(out, sizeof(out), "report.bt");
	snprintf(cmd, sizeof(cmd), "trace-cmd report '%s' > '%s' 2>/dev/null",
		 in, txt);
	assert_int_equal(system(cmd), 0);
	f = fopen(txt, "r");
	assert_non_null(f);
	w = bt_writer_open(out, 0);
	assert_non_null(w);
	memset(&st, 0, sizeof(st));
	assert_int_equal(bt_import_text(f, w, &o, &st), 0);
	fclose(f);
	assert_int_equal(bt_writer_close(w), 0);
	read_stats(out, &ts);
	check_counts(&ts, counts);
	unlink(txt);
	unlink(out);
	return ts.per_type[BT_EV_LOST];
}

static void test_report_text_thp(void **s)
{
	(void)s;
	assert_int_equal(report_text_one("thp"), 0);
}

/* "CPU:0 [EVENTS DROPPED]" in the text: the same one marker */
static void test_report_text_lost(void **s)
{
	(void)s;
	assert_int_equal(report_text_one("lost"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_corpus_compile),
		cmocka_unit_test(test_corpus_thp),
		cmocka_unit_test(test_corpus_pressure),
		cmocka_unit_test(test_corpus_markers),
		cmocka_unit_test(test_lost_markers),
		cmocka_unit_test(test_instance),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_cut_v6),
		cmocka_unit_test(test_cut_v7),
		cmocka_unit_test(test_failed_allocs),
		cmocka_unit_test(test_page_pointers),
		cmocka_unit_test(test_formats_reparse),
		cmocka_unit_test(test_report_text_thp),
		cmocka_unit_test(test_report_text_lost),
	};
	const char *top = getenv("BT_TOP");

	snprintf(corpus_dir, sizeof(corpus_dir), "%s/traces/corpus",
		 top && *top ? top : ".");
	bt_test_quiet_log();
	return cmocka_run_group_tests_name("traces-tracedat", tests, NULL,
					   NULL);
}
