// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-traces-tracedat-proc.c - /proc directories attached as snapshots
 * (import --proc-before/--proc-after): the kinds and times stored for a
 * corpus directory, vm/ and transparent_hugepage/ as "name value" lines,
 * unknown entries skipped, and kpageflags turned into free blocks split
 * at their alignment exactly as the buddy allocator holds them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "test-traces-util.h"
#include "traces/procattach.h"
#include "traces/traces.h"

static char corpus_dir[1024];

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static struct bt_reader *attach_and_open(const char *dir, uint64_t ts,
					 unsigned int *nr, const char *out)
{
	struct bt_writer *w = bt_writer_open(out, 1);
	struct bt_event ev = { .ts = ts, .type = BT_EV_PRINT, .str = "x",
			       .str_len = 1 };
	struct bt_reader *r;
	int err = 0;

	assert_non_null(w);
	assert_int_equal(bt_writer_add_event(w, &ev), 0);
	assert_int_equal(bt_proc_attach(w, dir, ts, nr), 0);
	assert_int_equal(bt_writer_close(w), 0);
	r = bt_reader_open(out, &err);
	assert_non_null(r);
	return r;
}

static void test_corpus_dir(void **s)
{
	static const unsigned int kinds[] = { BT_SNAP_ZONEINFO,
		BT_SNAP_BUDDYINFO, BT_SNAP_PAGETYPEINFO, BT_SNAP_VMSTAT,
		BT_SNAP_MEMINFO, BT_SNAP_EXTFRAG_INDEX, BT_SNAP_UNUSABLE_INDEX,
		BT_SNAP_FREE_BLOCKS, BT_SNAP_SYSCTL_VM, BT_SNAP_THP };
	char dir[1200], out[256];
	unsigned int nr, i, k, found;
	struct bt_reader *r;

	(void)s;
	snprintf(dir, sizeof(dir), "%s/markers/before", corpus_dir);
	bt_test_path(out, sizeof(out), "proc.bt");
	r = attach_and_open(dir, 123456789, &nr, out);
	assert_int_equal(nr, BT_ARRAY_SIZE(kinds));
	assert_int_equal(bt_reader_nr_snapshots(r), nr);
	for (k = 0; k < BT_ARRAY_SIZE(kinds); k++) {
		found = 0;
		for (i = 0; i < nr; i++) {
			const struct bt_snapshot *sn = bt_reader_snapshot(r, i);

			assert_int_equal(sn->ts, 123456789);
			if (sn->kind != kinds[k])
				continue;
			found++;
			assert_true(sn->len > 0);
			if (sn->kind == BT_SNAP_ZONEINFO)
				assert_int_equal(memcmp(sn->data, "Node 0, zone", 12), 0);
			if (sn->kind == BT_SNAP_SYSCTL_VM)
				assert_non_null(memmem(sn->data, sn->len,
					"\nmin_free_kbytes 67584\n", 23));
			if (sn->kind == BT_SNAP_THP)
				assert_non_null(memmem(sn->data, sn->len,
					"enabled always [madvise] never\n", 31));
		}
		assert_int_equal(found, 1);
	}
	bt_reader_close(r);
	unlink(out);
}

static void put_flags(uint64_t *kpf, uint64_t from, uint64_t n)
{
	while (n--)
		kpf[from++] = 1ull << 10;	/* KPF_BUDDY */
}

/* Runs split into maximal aligned blocks, at most order 10. */
static void test_free_blocks(void **s)
{
	static uint64_t kpf[4096];
	static const char want[] =
		"3 0\n4 2\n8 1\n"		/* run 3..9 */
		"1024 10\n2048 9\n2560 0\n";	/* run 1024..2560 */
	struct bt_buf b;

	(void)s;
	memset(kpf, 0, sizeof(kpf));
	kpf[100] = 1ull << 5;	/* LRU: not free */
	put_flags(kpf, 3, 7);
	put_flags(kpf, 1024, 1537);
	bt_buf_init(&b);
	assert_int_equal(bt_proc_free_blocks((const unsigned char *)kpf,
					     sizeof(kpf), &b), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data, want, b.len);
	bt_buf_release(&b);
}

/* A kpageflags.zst from the corpus gives as many free pages as it says. */
static void test_kpageflags_zst(void **s)
{
	char dir[256], out[256], src[1200], dst[300];
	unsigned int nr;
	struct bt_reader *r;
	const struct bt_snapshot *sn;
	struct bt_buf b;

	(void)s;
	bt_test_path(dir, sizeof(dir), "procdir");
	mkdir(dir, 0700);
	snprintf(src, sizeof(src), "%s/markers/after/kpageflags.zst",
		 corpus_dir);
	snprintf(dst, sizeof(dst), "%s/kpageflags.zst", dir);
	bt_buf_init(&b);
	assert_int_equal(bt_read_file(src, &b), 0);
	write_file(dst, b.data, b.len);
	snprintf(dst, sizeof(dst), "%s/notes.txt", dir);
	write_file(dst, "hello\n", 6);		/* unknown: skipped */
	bt_test_path(out, sizeof(out), "kpf.bt");
	r = attach_and_open(dir, 5, &nr, out);
	assert_int_equal(nr, 1);
	sn = bt_reader_snapshot(r, 0);
	assert_int_equal(sn->kind, BT_SNAP_FREE_BLOCKS);
	/* every line is "pfn order" with the pfn aligned to its order */
	{
		const char *p = (const char *)sn->data, *end = p + sn->len;
		unsigned long long pfn;
		unsigned int order, lines = 0;

		while (p < end && sscanf(p, "%llu %u", &pfn, &order) == 2) {
			assert_true(order <= 10);
			assert_int_equal(pfn & ((1ull << order) - 1), 0);
			lines++;
			p = memchr(p, '\n', (size_t)(end - p));
			assert_non_null(p);
			p++;
		}
		assert_true(p == end);
		assert_true(lines > 100);
	}
	bt_reader_close(r);
	unlink(out);
	unlink(dst);
	snprintf(dst, sizeof(dst), "%s/kpageflags.zst", dir);
	unlink(dst);
	rmdir(dir);
	bt_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_dir),
		cmocka_unit_test(test_free_blocks),
		cmocka_unit_test(test_kpageflags_zst),
	};
	const char *top = getenv("BT_TOP");

	snprintf(corpus_dir, sizeof(corpus_dir), "%s/traces/corpus",
		 top && *top ? top : ".");
	bt_test_quiet_log();
	return cmocka_run_group_tests_name("traces-tracedat-proc", tests,
					   NULL, NULL);
}
