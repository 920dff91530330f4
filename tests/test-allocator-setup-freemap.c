// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-setup-freemap.c - the free-page map splitter: runs of
 * KPF_BUDDY pages into maximal aligned blocks. A synthetic kpageflags
 * buffer with a known answer, the committed DMA map of a 6.18 machine
 * against its buddyinfo, and this machine live (root): the DMA and DMA32
 * spans of /proc/kpageflags against /proc/buddyinfo read around them.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/common.h"
#include "common/procfs.h"
#include "allocator/buddy.h"

static void load(const char *name, struct bt_buf *b)
{
	const char *top = getenv("BT_TOP");
	char path[512];

	snprintf(path, sizeof(path), "%s/tests/data/proc/%s", top ? top : ".",
		 name);
	bt_buf_init(b);
	if (bt_read_file(path, b))
		fail_msg("cannot read %s", path);
}

static void set_buddy(unsigned char *flags, uint64_t from, uint64_t to)
{
	for (; from < to; from++)
		flags[from * 8 + 1] |= 1u << (BT_KPF_BUDDY - 8);
}

struct rec {
	uint64_t pfn[32];
	unsigned int order[32];
	unsigned int n;
};

static int record(uint64_t pfn, unsigned int order, void *data)
{
	struct rec *r = data;

	if (r->n >= 32)
		return -1;
	r->pfn[r->n] = pfn;
	r->order[r->n++] = order;
	return 0;
}

/*
 * pfns 0..2047; buddy runs [3, 20) and [512, 2048), plus other flag bits
 * (locked, lru: bits 0 and 5) that must be ignored on pfn 30.
 * [3, 20) -> 3 (order 0), 4 (2), 8 (3), 16 (2);
 * [512, 2048) -> 512 (9), 1024 (10).
 */
static void test_synthetic(void **state)
{
	unsigned char *flags = bt_xcalloc(2048, 8);
	uint64_t nr[11];
	struct rec r = { .n = 0 };

	(void)state;
	set_buddy(flags, 3, 20);
	set_buddy(flags, 512, 2048);
	flags[30 * 8] = 0x21;
	assert_int_equal(bt_kpageflags_split(flags, 2048 * 8, 0, 0, 2048, 10,
					     record, &r), 0);
	assert_int_equal(r.n, 6);
	assert_int_equal(r.pfn[0], 3);
	assert_int_equal(r.order[0], 0);
	assert_int_equal(r.pfn[1], 4);
	assert_int_equal(r.order[1], 2);
	assert_int_equal(r.pfn[2], 8);
	assert_int_equal(r.order[2], 3);
	assert_int_equal(r.pfn[3], 16);
	assert_int_equal(r.order[3], 2);
	assert_int_equal(r.pfn[4], 512);
	assert_int_equal(r.order[4], 9);
	assert_int_equal(r.pfn[5], 1024);
	assert_int_equal(r.order[5], 10);
	/* a zone [4, 1000): the first run is clipped, the second cut short:
	 * [512, 1000) -> 512 (8), 768 (7), 896 (6), 960 (5), 992 (3) */
	r.n = 0;
	assert_int_equal(bt_kpageflags_split(flags, 2048 * 8, 0, 4, 1000, 10,
					     record, &r), 0);
	assert_int_equal(r.n, 8);
	assert_int_equal(r.pfn[0], 4);
	assert_int_equal(r.order[3], 8);
	assert_int_equal(r.pfn[7], 992);
	assert_int_equal(r.order[7], 3);
	/* largest order 8: [1024, 2048) becomes four order-8 blocks */
	assert_int_equal(bt_kpageflags_count(flags, 2048 * 8, 0, 0, 2048, nr,
					     9), 0);
	assert_int_equal(nr[8], 2 + 4);
	/* the buffer starting at pfn 1024: only the second half is seen */
	assert_int_equal(bt_kpageflags_count(flags + 1024 * 8, 1024 * 8, 1024,
					     0, 4096, nr, 11), 0);
	assert_int_equal(nr[10], 1);
	assert_int_equal(nr[9] + nr[0] + nr[2] + nr[3], 0);
	/* a torn entry */
	assert_int_equal(bt_kpageflags_split(flags, 2047 * 8 + 3, 0, 0, 2048,
					     10, record, &r), BT_E_CORRUPT);
	free(flags);
}

static void test_committed_dma(void **state)
{
	const struct bt_proc_orders *row;
	struct bt_proc_table bi;
	struct bt_buf kpf, b;
	uint64_t nr[11];
	unsigned int o;

	(void)state;
	load("6.18-kpageflags-dma", &kpf);
	load("6.18-kpageflags-dma-buddyinfo", &b);
	bt_proc_table_init(&bi);
	assert_int_equal(bt_buddyinfo_parse(&bi, (char *)b.data, b.len, NULL),
			 0);
	row = bt_proc_table_find(&bi, 0, "DMA");
	assert_non_null(row);
	/* DMA: start_pfn 1, spanned 4095 */
	assert_int_equal(bt_kpageflags_count(kpf.data, kpf.len, 0, 1, 4096, nr,
					     11), 0);
	for (o = 0; o < 11; o++)
		assert_int_equal(nr[o], row->v[o]);
	/* 3840 free pages in all, as zoneinfo's "pages free" said */
	assert_int_equal(nr[8] * 256 + nr[9] * 512 + nr[10] * 1024, 3840);
	bt_proc_table_release(&bi);
	bt_buf_release(&kpf);
	bt_buf_release(&b);
}

static int read_kpageflags(uint64_t start, uint64_t n, unsigned char *out)
{
	int fd = open("/proc/kpageflags", O_RDONLY);
	size_t done = 0, want = n * 8;

	if (fd < 0)
		return -errno;
	while (done < want) {
		ssize_t r = pread(fd, out + done, want - done,
				  (off_t)(start * 8 + done));

		if (r <= 0) {
			close(fd);
			return r < 0 ? -errno : -EIO;
		}
		done += (size_t)r;
	}
	close(fd);
	return 0;
}

/* One zone live: 1 when the split matched buddyinfo read around it. */
static int live_zone(const struct bt_proc_zone *z)
{
	unsigned char *flags = bt_xmalloc(z->spanned * 8 + 8);
	struct bt_proc_table before, after;
	const struct bt_proc_orders *rb, *ra;
	struct bt_buf b1, b2;
	uint64_t nr[11];
	int same = 0, o;

	bt_buf_init(&b1);
	bt_buf_init(&b2);
	bt_proc_table_init(&before);
	bt_proc_table_init(&after);
	assert_int_equal(bt_read_file("/proc/buddyinfo", &b1), 0);
	assert_int_equal(read_kpageflags(z->start_pfn, z->spanned, flags), 0);
	assert_int_equal(bt_read_file("/proc/buddyinfo", &b2), 0);
	assert_int_equal(bt_buddyinfo_parse(&before, (char *)b1.data, b1.len,
					    NULL), 0);
	assert_int_equal(bt_buddyinfo_parse(&after, (char *)b2.data, b2.len,
					    NULL), 0);
	rb = bt_proc_table_find(&before, z->node, z->name);
	ra = bt_proc_table_find(&after, z->node, z->name);
	assert_non_null(rb);
	assert_non_null(ra);
	assert_int_equal(bt_kpageflags_count(flags, z->spanned * 8,
					     z->start_pfn, z->start_pfn,
					     z->start_pfn + z->spanned, nr,
					     11), 0);
	same = !memcmp(rb->v, ra->v, sizeof(rb->v));
	for (o = 0; same && o < 11; o++)
		same = (int64_t)nr[o] == rb->v[o];
	bt_proc_table_release(&before);
	bt_proc_table_release(&after);
	bt_buf_release(&b1);
	bt_buf_release(&b2);
	free(flags);
	return same;
}

static void test_live(void **state)
{
	static const char *const quiet[] = { "DMA", "DMA32" };
	struct bt_zoneinfo zi;
	struct bt_buf b;
	unsigned int i, tried = 0;

	(void)state;
	if (access("/proc/kpageflags", R_OK)) {
		print_message("skipped: needs root for /proc/kpageflags\n");
		skip();
	}
	bt_buf_init(&b);
	assert_int_equal(bt_read_file("/proc/zoneinfo", &b), 0);
	bt_zoneinfo_init(&zi);
	assert_int_equal(bt_zoneinfo_parse(&zi, (char *)b.data, b.len, NULL),
			 0);
	for (i = 0; i < BT_ARRAY_SIZE(quiet); i++) {
		const struct bt_proc_zone *z = bt_zoneinfo_find(&zi, 0,
								quiet[i]);
		int attempt, ok = 0;

		if (!z || !z->present || !z->has_start_pfn)
			continue;
		tried++;
		for (attempt = 0; attempt < 20 && !ok; attempt++)
			ok = live_zone(z);
		if (!ok)
			fail_msg("zone %s: kpageflags split never matched "
				 "buddyinfo", quiet[i]);
	}
	bt_zoneinfo_release(&zi);
	bt_buf_release(&b);
	if (!tried)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_committed_dma),
		cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests_name("allocator-setup-freemap", tests,
					   NULL, NULL);
}
