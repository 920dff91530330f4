// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-traces-text.c - the ftrace text importer on the samples in
 * tests/data/text/: trace and trace_pipe (irq flags, tgid), trace-cmd
 * report (buffer prefix, -t, -l, dropped-event markers), perf script,
 * 3.x and 4.x kernels, page pointers only, function_graph comments,
 * every other modelled event, patched kernels' extra fields.
 *
 * Counts come from bt_import_text() with no writer; fields from the line
 * parser, collected the same way the importer sees them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "traces/traces-text.h"

#define MAX_EV 256

struct sample {
	unsigned int n;
	struct bt_event ev[MAX_EV];
	char comm[MAX_EV][BT_TEXT_COMM_MAX];
	char str[MAX_EV][64];
	unsigned int unknown, unknown_events, lost;
};

static FILE *open_sample(const char *name)
{
	const char *top = getenv("BT_TOP");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/text/%s", top ? top : ".",
		 name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	return f;
}

static struct bt_import_stats import(const char *name,
				     const struct bt_import_opts *o,
				     int want_ret)
{
	struct bt_import_stats st;
	FILE *f = open_sample(name);

	assert_int_equal(bt_import_text(f, NULL, o, &st), want_ret);
	fclose(f);
	return st;
}

/* Events of a sample as the parser yields them, comm and str copied. */
static struct sample *parse(const char *name, const struct bt_import_opts *o)
{
	struct bt_text_parser *p = bt_text_parser_new(o);
	struct sample *s = calloc(1, sizeof(*s));
	FILE *f = open_sample(name);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct bt_event ev;

	assert_non_null(p);
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		switch (bt_text_parse_line(p, line, (size_t)len, &ev)) {
		case BT_TEXT_EVENT:
			assert_true(s->n < MAX_EV);
			if (ev.comm)
				snprintf(s->comm[s->n], BT_TEXT_COMM_MAX, "%s",
					 ev.comm);
			if (ev.str)
				snprintf(s->str[s->n], 64, "%s", ev.str);
			ev.comm = NULL;
			ev.str = NULL;
			s->ev[s->n++] = ev;
			break;
		case BT_TEXT_LOST:
			s->lost++;
			break;
		case BT_TEXT_UNKNOWN_EVENT:
			s->unknown_events++;
			break;
		case BT_TEXT_UNKNOWN:
			s->unknown++;
			break;
		case BT_TEXT_BLANK:
			break;
		}
	}
	free(line);
	fclose(f);
	bt_text_parser_free(p);
	return s;
}

static uint64_t gfp(const char *s)
{
	uint64_t m;

	assert_int_equal(bt_gfp_from_names(s, strlen(s), &m), 0);
	return m;
}

static void test_trace_pipe(void **state)
{
	struct bt_import_stats st = import("trace-pipe.txt", NULL, 0);
	struct sample *s = parse("trace-pipe.txt", NULL);

	(void)state;
	assert_int_equal(st.lines, 38);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 11);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 4);
	assert_int_equal(st.per_type[BT_EV_PRINT], 2);
	assert_int_equal(st.per_type[BT_EV_LOST], 1);
	assert_int_equal(st.lost_events, 7);
	assert_int_equal(st.events, 18);
	assert_int_equal(st.unknown_events, 7);		/* kmalloc */
	assert_int_equal(st.unknown_lines, 1);
	assert_string_equal(st.first_unknown, "this line is not from ftrace");
	assert_int_equal(st.first_ts, 857122345000ull);
	assert_int_equal(st.last_ts, 857324156000ull);
	assert_int_equal(st.out_of_order, 0);

	assert_int_equal(s->ev[0].type, BT_EV_PRINT);
	assert_string_equal(s->str[0], "window-start");
	assert_int_equal(s->ev[1].type, BT_EV_PAGE_ALLOC);
	assert_int_equal(s->ev[1].cpu, 1);
	assert_int_equal(s->ev[1].pid, 17145);
	assert_string_equal(s->comm[1], "bash");
	assert_int_equal(s->ev[1].ts, 857122388000ull);
	assert_int_equal(s->ev[1].arg[0], 0x10ab50);
	assert_int_equal(s->ev[1].arg[1], 0);
	assert_int_equal(s->ev[1].arg[2],
			 gfp("GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP"));
	assert_int_equal(s->ev[1].arg[3], 0);
	/* page=(nil) pfn=0x0: a failed order-9 allocation */
	assert_int_equal(s->ev[11].arg[0], BT_PFN_NONE);
	assert_int_equal(s->ev[11].arg[1], 9);
	assert_int_equal(s->ev[11].arg[3], 1);
	assert_int_equal(s->ev[12].type, BT_EV_PAGE_FREE);
	assert_int_equal(s->ev[12].arg[0], 0x164183);
	assert_string_equal(s->comm[12], "sleep");
	free(s);
}

static void test_trace_tgid_no_irq(void **state)
{
	struct bt_import_stats st = import("trace-tgid.txt", NULL, 0);
	struct sample *s = parse("trace-tgid.txt", NULL);

	(void)state;
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 2);
	assert_int_equal(st.per_type[BT_EV_PRINT], 1);
	assert_int_equal(st.unknown_events, 7);
	assert_int_equal(st.unknown_lines, 0);
	assert_int_equal(s->ev[1].pid, 17145);
	assert_int_equal(s->ev[1].cpu, 1);
	assert_string_equal(s->comm[1], "bash");
	assert_int_equal(s->ev[1].arg[0], 0x10ab50);
	free(s);
}

static void test_tracecmd_report(void **state)
{
	struct bt_import_stats st = import("tracecmd-report.txt", NULL, 0);
	struct sample *s = parse("tracecmd-report.txt", NULL);
	unsigned int i;

	(void)state;
	/* the counts trace-cmd report itself gives for this file */
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 106);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 73);
	assert_int_equal(st.per_type[BT_EV_PRINT], 1);
	assert_int_equal(st.per_type[BT_EV_COMPACTION_KCOMPACTD_SLEEP], 1);
	assert_int_equal(st.unknown_lines + st.unknown_events, 0);
	assert_int_equal(s->ev[0].pid, 7137);
	assert_string_equal(s->comm[0], "sh");
	assert_int_equal(s->ev[0].ts, 552603648000ull);
	assert_int_equal(s->ev[0].arg[0], 0x11bca6);
	for (i = 0; i < s->n && s->ev[i].type != BT_EV_PRINT; i++)
		;
	assert_true(i < s->n);
	assert_string_equal(s->str[i], "hello-marker");
	assert_int_equal(s->ev[i].cpu, 1);
	free(s);
}

static void test_tracecmd_plain_dropped(void **state)
{
	struct bt_import_stats st = import("tracecmd-plain.txt", NULL, 0);
	struct sample *s = parse("tracecmd-plain.txt", NULL);

	(void)state;
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 29);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 10);
	assert_int_equal(st.lost_markers, 2);
	assert_int_equal(st.lost_events, 312);		/* one count unknown */
	assert_int_equal(st.unknown_lines, 0);
	assert_int_equal(s->lost, 2);
	/* nine fractional digits: nanoseconds */
	assert_int_equal(s->ev[1].ts, 552603657703ull);
	free(s);
}

static void test_tracecmd_latency(void **state)
{
	struct bt_import_stats st = import("tracecmd-latency.txt", NULL, 0);
	struct sample *s = parse("tracecmd-latency.txt", NULL);
	unsigned int i, cpu1 = 0;

	(void)state;
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 14);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 10);
	assert_int_equal(st.unknown_lines, 0);
	for (i = 0; i < s->n; i++)
		cpu1 += s->ev[i].cpu == 1;
	assert_int_equal(cpu1, 19);
	assert_int_equal(s->ev[5].pid, 7137);
	free(s);
}

static void test_perf_script(void **state)
{
	struct bt_import_stats st = import("perf-script.txt", NULL, 0);
	struct sample *s = parse("perf-script.txt", NULL);
	struct sample *t = parse("perf-script-tid.txt", NULL);

	(void)state;
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 20);
	assert_int_equal(st.unknown_lines, 0);
	assert_int_equal(s->ev[2].pid, 7430);
	assert_string_equal(s->comm[2], "perf-exec");
	assert_int_equal(s->ev[2].cpu, 0);
	assert_int_equal(s->ev[2].arg[0], 0x11ee38);
	assert_int_equal(s->ev[2].arg[2],
			 gfp("GFP_NOFS|__GFP_MOVABLE|__GFP_NOFAIL|__GFP_COMP|"
			     "__GFP_HARDWALL"));
	free(s);
	s = parse("perf-script-nocpu.txt", NULL);	/* -F without cpu */
	assert_int_equal(s->n, 4);
	assert_int_equal(s->ev[1].pid, 7477);
	assert_int_equal(s->ev[1].cpu, 0);
	assert_string_equal(s->comm[1], "perf-exec");
	assert_int_equal(s->ev[3].arg[0], 0x108476);
	assert_int_equal(t->n, 12);
	assert_int_equal(t->unknown, 0);
	assert_int_equal(t->ev[1].pid, 7477);
	assert_int_equal(t->ev[1].ts, 571345031105ull);
	free(s);
	free(t);
}

static void test_kernel_3x(void **state)
{
	struct sample *s = parse("kernel-3x.txt", NULL);

	(void)state;
	assert_int_equal(s->n, 6);
	assert_int_equal(s->ev[0].type, BT_EV_PAGE_FREE);
	assert_int_equal(s->ev[0].arg[0], 42215);
	assert_string_equal(s->comm[0], "<idle>");
	assert_int_equal(s->ev[0].pid, 0);
	assert_int_equal(s->ev[1].type, BT_EV_PAGEVEC_FREE);
	assert_int_equal(s->ev[1].arg[0], 42216);
	assert_int_equal(s->ev[1].arg[1], 1);			/* cold */
	assert_int_equal(s->ev[2].arg[2],
			 gfp("GFP_KERNEL|__GFP_RETRY_MAYFAIL"));
	assert_int_equal(s->ev[3].arg[2], gfp("GFP_KERNEL|__GFP_NOTRACK"));
	assert_int_equal(s->ev[4].arg[2],
			 BT_GFP_DIRECT_RECLAIM | BT_GFP_IO);
	assert_int_equal(s->ev[5].type, BT_EV_PAGE_FREE_BATCHED);
	free(s);
}

static void test_kernel_4x(void **state)
{
	struct bt_import_stats st = import("kernel-4x.txt", NULL, 0);
	struct sample *s = parse("kernel-4x.txt", NULL);

	(void)state;
	assert_int_equal(st.events, 16);
	assert_int_equal(st.unknown_lines + st.unknown_events, 0);
	assert_int_equal(s->ev[0].arg[0], 1214174);		/* decimal */
	assert_int_equal(s->ev[0].cpu, 2);
	assert_int_equal(s->ev[1].arg[0], BT_PFN_NONE);		/* (null) */
	assert_int_equal(s->ev[1].arg[1], 9);
	assert_int_equal(s->ev[2].arg[2], gfp("GFP_TEMPORARY"));
	assert_int_equal(s->ev[4].type, BT_EV_PAGE_ALLOC_ZONE_LOCKED);
	assert_int_equal(s->ev[4].arg[3], 1);			/* refill */
	assert_int_equal(s->ev[6].type, BT_EV_PAGE_ALLOC_EXTFRAG);
	assert_int_equal(s->ev[6].arg[0], 1214178);
	assert_int_equal(s->ev[6].arg[2], 3);			/* fallback */
	assert_int_equal(s->ev[6].arg[4], 1);
	assert_int_equal(s->ev[6].arg[5], 0);
	assert_int_equal(s->ev[8].type, BT_EV_VMSCAN_WAKEUP_KSWAPD);
	assert_int_equal(s->ev[8].arg[1], 2);			/* zid */
	assert_int_equal(s->ev[8].arg[2], 3);
	assert_int_equal(s->ev[8].arg[3],
			 gfp("GFP_KERNEL|__GFP_COMP|__GFP_RETRY_MAYFAIL"));
	assert_int_equal(s->ev[9].arg[1], 2);
	assert_int_equal(s->ev[10].arg[1], gfp("GFP_HIGHUSER_MOVABLE"));
	assert_int_equal(s->ev[11].arg[0], 32);
	assert_int_equal(s->ev[12].arg[2], 2);			/* Normal */
	assert_int_equal(s->ev[13].arg[5], 6);		/* partial_skipped */
	assert_int_equal(s->ev[13].arg[4], 0);			/* async */
	assert_int_equal(s->ev[13].arg[3], 0x80000);
	/* 4.4-4.6 "mode=" is the migrate mode: MIGRATE_ASYNC is prio 2 */
	assert_int_equal(s->ev[14].arg[0], 9);
	assert_int_equal(s->ev[14].arg[2], 2);
	assert_int_equal(s->ev[15].arg[2], 0);
	free(s);
}

static void test_pointers_only(void **state)
{
	struct bt_import_opts o = { .have_vmemmap = true,
				    .vmemmap_base = 0xffffea0000000000ull,
				    .struct_page_size = 64 };
	struct bt_import_stats st = import("pointers-only.txt", NULL, 0);
	struct sample *s = parse("pointers-only.txt", &o);
	struct sample *u = parse("pointers-only.txt", NULL);

	(void)state;
	assert_int_equal(st.pfn_unknown, 3);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 3);
	assert_int_equal(s->ev[0].arg[0], 0x12345);
	assert_int_equal(s->ev[0].flags, 0);
	assert_int_equal(s->ev[1].arg[0], 0x12345);
	assert_int_equal(s->ev[2].arg[0], 0x2000);
	assert_int_equal(s->ev[2].arg[1], 2);
	assert_int_equal(s->ev[3].arg[0], BT_PFN_NONE);
	assert_int_equal(u->ev[0].arg[0], BT_PFN_UNKNOWN);
	assert_int_equal(u->ev[0].flags, BT_EVF_PFN_UNKNOWN);
	assert_int_equal(u->ev[3].arg[0], BT_PFN_NONE);
	assert_int_equal(u->ev[3].flags, 0);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 1);
	free(s);
	free(u);
}

static void test_funcgraph(void **state)
{
	struct bt_import_stats st = import("funcgraph.txt", NULL, 0);
	struct sample *s = parse("funcgraph.txt", NULL);

	(void)state;
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 2);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 2);
	assert_int_equal(st.per_type[BT_EV_PRINT], 1);
	assert_int_equal(st.unknown_events, 1);
	assert_int_equal(st.unknown_lines, 5);		/* function lines */
	assert_int_equal(s->ev[0].cpu, 1);
	assert_int_equal(s->ev[0].pid, -1);
	assert_int_equal(s->ev[0].arg[0], 0x10ab50);
	assert_int_equal(s->ev[1].type, BT_EV_PRINT);
	assert_string_equal(s->str[1], "mark-in-graph");
	assert_int_equal(s->ev[1].cpu, 0);
	assert_int_equal(s->ev[3].ts, 900000100000ull);
	assert_int_equal(s->ev[3].pid, 1234);
	assert_string_equal(s->comm[3], "bash");
	assert_int_equal(s->ev[3].arg[1], 1);
	assert_int_equal(s->ev[4].pid, 1235);
	free(s);
}

static void test_events_6x(void **state)
{
	struct bt_import_stats st = import("events-6x.txt", NULL, 0);
	struct sample *s = parse("events-6x.txt", NULL);
	const struct bt_event *e = s->ev;
	unsigned int t;

	(void)state;
	assert_int_equal(st.events, 34);
	assert_int_equal(st.unknown_events, 1);		/* lru_isolate */
	assert_int_equal(st.unknown_lines, 0);
	for (t = BT_EV_COMPACTION_BEGIN; t <= BT_EV_OOM_SCORE_ADJ_UPDATE; t++)
		assert_int_equal(st.per_type[t], 1);
	assert_int_equal(e[0].arg[2], 2);		/* classzone_idx=Normal */
	assert_int_equal(e[1].arg[2], 1);		/* DMA32 */
	assert_int_equal(e[2].arg[3], 0x620000);	/* "zone_end=...," */
	assert_int_equal(e[2].arg[4], 0);		/* async */
	assert_int_equal(e[3].arg[0], 0x100000);	/* range=( ~ ) */
	assert_int_equal(e[3].arg[1], 0x100200);
	assert_int_equal(e[3].arg[2], 512);
	assert_int_equal(e[3].arg[3], 32);
	assert_int_equal(e[5].arg[1], 0x500200);
	assert_int_equal(e[6].arg[0], 30);
	assert_int_equal(e[6].arg[1], 2);
	assert_int_equal(e[7].arg[4], 1);		/* sync */
	assert_int_equal(e[7].arg[5], 6);		/* partial_skipped */
	assert_int_equal(e[9].arg[1], gfp("GFP_TRANSHUGE"));
	assert_int_equal(e[9].arg[2], 1);		/* priority -> prio */
	assert_int_equal(e[10].arg[1], 2);		/* zone=Normal */
	assert_int_equal(e[10].arg[3], 4);		/* continue */
	assert_int_equal(e[11].arg[3], 8);		/* success */
	assert_int_equal(e[12].arg[3], 1);		/* consider */
	assert_int_equal(e[12].arg[4], 2);		/* limit=4 */
	assert_int_equal(e[12].arg[5], 9);
	assert_int_equal(e[13].arg[1], 1);
	assert_int_equal(e[13].arg[4], 3);		/* limit=8 */
	assert_int_equal(e[14].arg[4], 0);		/* limit=1 */
	assert_int_equal(e[15].arg[2], 3);
	assert_int_equal(e[15].arg[3], gfp("GFP_KERNEL|__GFP_COMP"));
	assert_int_equal(e[19].arg[0], 57);
	assert_int_equal(e[22].type, BT_EV_OOM_RECLAIM_RETRY_ZONE);
	assert_int_equal(e[22].arg[1], 2);
	assert_int_equal(e[22].arg[5], 16000);
	assert_int_equal(e[22].arg[6], 1);
	assert_int_equal(e[23].arg[1], 1);		/* SYNC_LIGHT */
	assert_int_equal(e[23].arg[2], 2);		/* withdrawn */
	assert_int_equal(e[23].arg[4], 16);
	assert_int_equal(e[23].arg[5], 1);
	assert_int_equal(e[24].arg[0], 4242);
	assert_int_equal(e[24].arg[1], 2097152);	/* total-vm kB */
	assert_int_equal(e[24].arg[3], 1024);		/* file-rss: */
	assert_int_equal(e[24].arg[6], 4096);
	assert_int_equal((int64_t)e[24].arg[7], 1000);
	assert_string_equal(s->str[24], "hog");
	assert_int_equal(e[28].arg[0], 4243);
	assert_string_equal(s->str[29], "hog");
	assert_int_equal(e[30].arg[3], 1);
	assert_int_equal(e[32].arg[2], 9);
	assert_int_equal(e[32].arg[5], 1);
	assert_int_equal(e[33].arg[0], 0x4000);
	free(s);
}

/* Header hints: a parser fed a whole sample. */
static struct bt_text_parser *hints(const char *name)
{
	struct bt_text_parser *p = bt_text_parser_new(NULL);
	FILE *f = open_sample(name);
	struct bt_event ev;
	char line[1024];

	while (fgets(line, sizeof(line), f))
		bt_text_parse_line(p, line, strcspn(line, "\n"), &ev);
	fclose(f);
	return p;
}

static void test_tracecmd_uname_tsdiff_raw(void **state)
{
	struct bt_import_stats st = import("tracecmd-uname-tsdiff.txt", NULL,
					   0);
	struct sample *s = parse("tracecmd-uname-tsdiff.txt", NULL);
	struct bt_text_parser *p = hints("tracecmd-uname-tsdiff.txt");

	(void)state;
	assert_string_equal(p->kernel, "6.18.44-fc-v657");
	assert_int_equal(p->cpus_hint, 2);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 7);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 1);
	assert_int_equal(st.unknown_lines, 0);
	assert_int_equal(s->ev[1].arg[0], 0x1064c0);		/* "(+10)" */
	assert_int_equal(s->ev[3].ts, 552603659000ull);
	/* -R prints the raw mask: this kernel's layout */
	assert_int_equal(s->ev[4].arg[2],
			 gfp("GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP"));
	assert_int_equal(s->ev[4].arg[3], 1);
	assert_int_equal(s->ev[5].arg[2], gfp("GFP_NOWAIT"));
	bt_text_parser_free(p);
	free(s);
}

static void test_perf_header(void **state)
{
	struct bt_text_parser *p = hints("perf-script-header.txt");
	struct bt_import_stats st = import("perf-script-header.txt", NULL, 0);

	(void)state;
	assert_string_equal(p->kernel, "6.18.44-fc-v657");
	assert_int_equal(p->cpus_hint, 2);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 5);
	assert_int_equal(st.unknown_lines, 0);
	bt_text_parser_free(p);
}

/* Several buffers in one report: all, or the one --instance names. */
static void test_tracecmd_buffers(void **state)
{
	struct bt_import_opts main_buf = {
		.instance = "bt_corpus_markers_15490" };
	struct bt_import_opts aux = {
		.instance = "bt_corpus_markers_15490_aux" };
	struct bt_import_stats st = import("tracecmd-buffers.txt", NULL, 0);
	struct sample *s = parse("tracecmd-buffers.txt", &main_buf);

	(void)state;
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 8);
	assert_int_equal(st.per_type[BT_EV_PRINT], 3);
	assert_int_equal(st.unknown_events, 3);
	st = import("tracecmd-buffers.txt", &main_buf, 0);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 8);
	assert_int_equal(st.per_type[BT_EV_PRINT], 1);
	assert_int_equal(st.unknown_events, 0);
	st = import("tracecmd-buffers.txt", &aux, 0);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 0);
	assert_int_equal(st.per_type[BT_EV_PRINT], 2);
	assert_int_equal(s->n, 9);
	assert_int_equal(s->ev[8].type, BT_EV_PRINT);
	assert_string_equal(s->str[8], "START write");
	assert_int_equal(s->ev[8].arg[0], 0xffffffff81498b1aull);
	assert_int_equal(s->ev[5].pid, 15627);
	assert_string_equal(s->comm[5], "trace-cmd");
	free(s);
}

/* Stack traces after events (stacktrace trigger, perf -g): not unknown. */
static void test_stack_lines(void **state)
{
	struct bt_import_stats st = import("stacks.txt", NULL, 0);

	(void)state;
	assert_int_equal(st.lines, 11);
	assert_int_equal(st.per_type[BT_EV_PAGE_ALLOC], 2);
	assert_int_equal(st.per_type[BT_EV_PAGE_FREE], 1);
	assert_int_equal(st.unknown_lines, 0);
	assert_int_equal(st.unknown_events, 0);
}

static void test_patched_fields(void **state)
{
	struct sample *s = parse("patched.txt", NULL);

	(void)state;
	assert_int_equal(s->n, 2);
	assert_int_equal(s->ev[0].arg[0], 0x1a2b3);
	assert_int_equal(s->ev[0].arg[1], 2);
	assert_int_equal(s->ev[0].arg[2], gfp("GFP_KERNEL"));
	assert_int_equal(s->ev[0].arg[3], 1);
	assert_int_equal(s->ev[0].ts, 1234567890000ull);
	assert_int_equal(s->ev[1].arg[0], 0x1a2b3);
	assert_int_equal(s->ev[1].arg[1], 2);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_pipe),
		cmocka_unit_test(test_trace_tgid_no_irq),
		cmocka_unit_test(test_tracecmd_report),
		cmocka_unit_test(test_tracecmd_plain_dropped),
		cmocka_unit_test(test_tracecmd_latency),
		cmocka_unit_test(test_perf_script),
		cmocka_unit_test(test_kernel_3x),
		cmocka_unit_test(test_kernel_4x),
		cmocka_unit_test(test_pointers_only),
		cmocka_unit_test(test_funcgraph),
		cmocka_unit_test(test_events_6x),
		cmocka_unit_test(test_patched_fields),
		cmocka_unit_test(test_tracecmd_uname_tsdiff_raw),
		cmocka_unit_test(test_perf_header),
		cmocka_unit_test(test_tracecmd_buffers),
		cmocka_unit_test(test_stack_lines),
	};

	return cmocka_run_group_tests_name("traces-text", tests, NULL, NULL);
}
