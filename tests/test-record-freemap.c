// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-record-freemap.c - the free-page map: splitting runs into aligned
 * blocks, zone spans from zoneinfo, the BT_SNAP_FREE_BLOCKS encoding, a
 * synthetic kpageflags file, and (as root) the live check that the map
 * reproduces /proc/buddyinfo of a quiet zone exactly.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/freeblocks.h"
#include "record/record-internal.h"

struct blocks {
	struct bt_rec_block b[64];
	unsigned int nr;
};

static void collect(void *data, uint64_t pfn, unsigned int order)
{
	struct blocks *bl = data;

	assert_true(bl->nr < 64);
	bl->b[bl->nr].pfn = pfn;
	bl->b[bl->nr++].order = order;
}

static void test_split(void **state)
{
	struct blocks bl = { .nr = 0 };

	(void)state;
	bt_rec_split_run(0, 1024, 10, collect, &bl);
	assert_int_equal(bl.nr, 1);
	assert_int_equal(bl.b[0].order, 10);
	bl.nr = 0;
	bt_rec_split_run(0, 2048, 10, collect, &bl);
	assert_int_equal(bl.nr, 2);
	assert_int_equal(bl.b[1].pfn, 1024);
	bl.nr = 0;
	/* [3,16): 3/0, 4/2, 8/3 */
	bt_rec_split_run(3, 16, 10, collect, &bl);
	assert_int_equal(bl.nr, 3);
	assert_int_equal(bl.b[0].pfn, 3);
	assert_int_equal(bl.b[0].order, 0);
	assert_int_equal(bl.b[1].pfn, 4);
	assert_int_equal(bl.b[1].order, 2);
	assert_int_equal(bl.b[2].pfn, 8);
	assert_int_equal(bl.b[2].order, 3);
	bl.nr = 0;
	/* [1,3): two order-0 pages, not buddies of each other */
	bt_rec_split_run(1, 3, 10, collect, &bl);
	assert_int_equal(bl.nr, 2);
	assert_int_equal(bl.b[1].pfn, 2);
	assert_int_equal(bl.b[1].order, 0);
	bl.nr = 0;
	/* max order caps the block: [512,1024) at max 8 -> two of 256 */
	bt_rec_split_run(512, 1024, 8, collect, &bl);
	assert_int_equal(bl.nr, 2);
	assert_int_equal(bl.b[1].pfn, 768);
	assert_int_equal(bl.b[1].order, 8);
}

static const char zoneinfo[] =
	"Node 0, zone      DMA\n"
	"  per-node stats\n"
	"      nr_inactive_anon 1\n"
	"  pages free     3840\n"
	"        min      8\n"
	"        spanned  4095\n"
	"        present  3998\n"
	"  start_pfn:           1\n"
	"Node 0, zone    DMA32\n"
	"  pages free     1000\n"
	"        spanned  1044480\n"
	"  start_pfn:           4096\n"
	"Node 0, zone  Movable\n"
	"  pages free     0\n"
	"        spanned  0\n"
	"        present  0\n"
	"  start_pfn:           0\n";

static void test_zone_spans(void **state)
{
	struct bt_rec_zone_span z[4];

	(void)state;
	assert_int_equal(bt_rec_zone_spans(zoneinfo, z, 4), 2);
	assert_string_equal(z[0].name, "DMA");
	assert_int_equal(z[0].start_pfn, 1);
	assert_int_equal(z[0].end_pfn, 4096);
	assert_string_equal(z[1].name, "DMA32");
	assert_int_equal(z[1].start_pfn, 4096);
	assert_int_equal(z[1].end_pfn, 4096 + 1044480);
	assert_int_equal(bt_rec_zone_spans(zoneinfo, z, 1), 1);
	assert_int_equal(bt_rec_zone_spans("Node x, zone DMA\n", z, 4),
			 BT_E_PARSE);
}

static void test_encoding(void **state)
{
	struct bt_buf b;
	struct bt_rec_block *out;
	size_t nr;

	(void)state;
	bt_buf_init(&b);
	assert_int_equal(bt_free_blocks_put(&b, 5, 0), 0);
	assert_int_equal(bt_free_blocks_put(&b, 1024, 10), 0);
	assert_int_equal(bt_free_blocks_put(&b, 6000000, 9), 0);
	/* "5 0\n" "1024 10\n" "6000000 9\n" */
	assert_int_equal(b.len, 4 + 8 + 10);
	assert_memory_equal(b.data + 4, "1024 10\n", 8);
	assert_int_equal(bt_rec_freemap_decode(b.data, b.len, &out, &nr), 0);
	assert_int_equal(nr, 3);
	assert_int_equal(out[1].pfn, 1024);
	assert_int_equal(out[1].order, 10);
	assert_int_equal(out[2].pfn, 6000000);
	free(out);
	/* a line cut before its order, and an order that makes no sense */
	assert_int_equal(bt_rec_freemap_decode(b.data, 6, &out, &nr),
			 BT_E_CORRUPT);
	assert_int_equal(bt_rec_freemap_decode((const unsigned char *)"1 99\n",
					       5, &out, &nr), BT_E_CORRUPT);
	assert_int_equal(bt_rec_freemap_decode(NULL, 0, &out, &nr), 0);
	assert_int_equal(nr, 0);
	free(out);
	bt_buf_release(&b);
}

/*
 * A read with times gives the same blocks, and one time line per aligned
 * 8192 pages of each zone: A [1, 4096) and B [4096, 8192).
 */
static void timed_read_agrees(const char *path,
			      const struct bt_rec_zone_span *z,
			      const struct bt_buf *untimed)
{
	static const uint64_t lo[2] = { 1, 4096 }, hi[2] = { 4096, 8192 };
	struct bt_buf b, t;
	struct bt_free_time ft;
	const char *pos, *end;
	uint64_t prev_t1 = 0;
	unsigned int n = 0;

	bt_buf_init(&b);
	bt_buf_init(&t);
	assert_int_equal(bt_rec_freemap_read(path, z, 2, 10, &b, &t, NULL), 0);
	assert_int_equal(b.len, untimed->len);
	assert_memory_equal(b.data, untimed->data, b.len);
	pos = (const char *)t.data;
	end = pos + t.len;
	while (bt_free_times_next(&pos, end, &ft) == 1) {
		assert_true(n < 2);
		assert_int_equal(ft.lo, lo[n]);
		assert_int_equal(ft.hi, hi[n]);
		assert_true(ft.t0 <= ft.t1 && ft.t0 >= prev_t1);
		prev_t1 = ft.t1;
		n++;
	}
	assert_int_equal(n, 2);
	bt_buf_release(&b);
	bt_buf_release(&t);
}

static void test_times_codec(void **state)
{
	static const char bad[][40] = {
		"1 2 3\n", "5 5 1 2\n", "1 2 9 8\n", "1 2 3 4 5\n",
		"1 x 3 4\n", " 1 2 3 4\n", "1  2 3 4\n", "1 2 3 \t4\n",
		"1 2 3 18446744073709551616\n",
	};
	struct bt_free_time t = { 1024, 2048, 4838876338000ull,
				  4838876538000ull };
	const char *pos, *end;
	struct bt_buf b;

	(void)state;
	bt_buf_init(&b);
	assert_int_equal(bt_free_times_put(&b, &t), 0);
	assert_string_equal((const char *)b.data,
			    "1024 2048 4838876338000 4838876538000\n");
	memset(&t, 0, sizeof(t));
	pos = (const char *)b.data;
	end = pos + b.len;
	assert_int_equal(bt_free_times_next(&pos, end, &t), 1);
	assert_int_equal(t.hi, 2048);
	assert_int_equal(t.t1, 4838876538000ull);
	assert_int_equal(bt_free_times_next(&pos, end, &t), 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pos = bad[i];
		end = pos + strlen(bad[i]);
		assert_int_equal(bt_free_times_next(&pos, end, &t),
				 BT_E_PARSE);
	}
	bt_buf_release(&b);
}

/*
 * The free-block lines every replay reads: decimal "pfn order", blanks
 * and a CR at the end tolerated, empty lines skipped, anything else (a
 * sign, a tab, hex, a second space, an order past the maximum, a pfn of
 * 2^64) refused.
 */
static void test_blocks_codec(void **state)
{
	static const char bad[][40] = {
		"5\n", " 5 1\n", "5  1\n", "5 1 2\n", "-5 1\n", "+5 1\n",
		"\t5 1\n", "5 \t1\n", "0x10 1\n", "5 11\n", "5 \n", " 1\n",
		"18446744073709551616 0\n", "5\r 1\n", "5 1\r5\n", "5\r\n",
		"5\0 1\n",
	};
	static const char good[] =
	    "0 10\n\n4096 3 \r\n18446744073709551615 0\n007 1";
	const char *pos = good, *end = good + sizeof(good) - 1;
	uint64_t pfn = 0;
	unsigned int order = 0;

	(void)state;
	assert_int_equal(bt_free_blocks_next(&pos, end, 10, &pfn, &order), 1);
	assert_int_equal(pfn, 0);
	assert_int_equal(order, 10);
	assert_int_equal(bt_free_blocks_next(&pos, end, 10, &pfn, &order), 1);
	assert_int_equal(pfn, 4096);
	assert_int_equal(order, 3);
	assert_int_equal(bt_free_blocks_next(&pos, end, 10, &pfn, &order), 1);
	assert_int_equal(pfn, UINT64_MAX);
	assert_int_equal(bt_free_blocks_next(&pos, end, 10, &pfn, &order), 1);
	assert_int_equal(pfn, 7);
	assert_int_equal(order, 1);
	assert_int_equal(bt_free_blocks_next(&pos, end, 10, &pfn, &order), 0);
	{
		/* 64 characters (leading zeros) pass, 65 do not; blank
		 * lines of spaces and CRs are skipped; after a bad line,
		 * the position is past it */
		char line[200];
		const char *l;

		snprintf(line, sizeof(line), "%062d 3\n \r \n%063d 3\n9 1\n",
			 7, 7);
		l = line;
		assert_int_equal(bt_free_blocks_next(&l, line + strlen(line),
						     10, &pfn, &order), 1);
		assert_int_equal(pfn, 7);
		assert_int_equal(order, 3);
		assert_int_equal(bt_free_blocks_next(&l, line + strlen(line),
						     10, &pfn, &order),
				 BT_E_PARSE);
		assert_string_equal(l, "9 1\n");
	}
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* sizeof, not strlen: one line holds a NUL */
		pos = bad[i];
		end = pos + (i == sizeof(bad) / sizeof(bad[0]) - 1 ? 5
								   : strlen(pos));
		assert_int_equal(bt_free_blocks_next(&pos, end, 10, &pfn,
						     &order), BT_E_PARSE);
	}
}

#define KPF_BUDDY (1ull << 10)
#define KPF_NOPAGE (1ull << 20)

static void test_synthetic_kpageflags(void **state)
{
	char path[] = "/tmp/bt-kpf-XXXXXX";
	static uint64_t flags[8192];
	struct bt_rec_zone_span z[2] = {
		{ 0, "A", 1, 4096 }, { 0, "B", 4096, 8192 },
	};
	struct bt_rec_freecount cnt[2];
	struct bt_rec_block *out;
	struct bt_buf b;
	size_t nr;
	int fd, i;

	(void)state;
	memset(flags, 0, sizeof(flags));
	for (i = 3; i < 16; i++)	/* 3/0 4/2 8/3 */
		flags[i] = KPF_BUDDY;
	for (i = 2048; i < 4096 + 1024; i++)	/* crosses into zone B */
		flags[i] = KPF_BUDDY | (1ull << 5);
	flags[6000] = KPF_BUDDY | KPF_NOPAGE;	/* a hole is not free */
	flags[8191] = KPF_BUDDY;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, flags, sizeof(flags)), (ssize_t)sizeof(flags));
	close(fd);
	bt_buf_init(&b);
	assert_int_equal(bt_rec_freemap_read(path, z, 2, 10, &b, NULL, cnt), 0);
	timed_read_agrees(path, z, &b);
	unlink(path);
	assert_int_equal(cnt[0].n[0], 1);
	assert_int_equal(cnt[0].n[2], 1);
	assert_int_equal(cnt[0].n[3], 1);
	assert_int_equal(cnt[0].n[10], 2);	/* 2048, 3072 */
	assert_int_equal(cnt[1].n[10], 1);	/* 4096: the zone cut the run */
	assert_int_equal(cnt[1].n[0], 1);	/* 8191 */
	assert_int_equal(cnt[1].n[1], 0);
	assert_int_equal(bt_rec_freemap_decode(b.data, b.len, &out, &nr), 0);
	assert_int_equal(nr, 7);
	assert_int_equal(out[4].pfn, 3072);
	assert_int_equal(out[5].pfn, 4096);
	assert_int_equal(out[5].order, 10);
	assert_int_equal(out[6].pfn, 8191);
	free(out);
	bt_buf_release(&b);
}

/* Counts of one zone's line of /proc/buddyinfo. */
static int buddyinfo_zone(const char *name, uint64_t *n)
{
	struct bt_buf b;
	char *line, *save = NULL, *tok, *s2 = NULL;
	int found = 0, o;

	bt_buf_init(&b);
	if (bt_read_file("/proc/buddyinfo", &b) < 0)
		return -1;
	for (line = strtok_r((char *)b.data, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		tok = strstr(line, "zone");
		if (!tok)
			continue;
		tok = strtok_r(tok + 4, " ", &s2);
		if (!tok || strcmp(tok, name))
			continue;
		for (o = 0; o < BT_REC_MAX_ORDER; o++) {
			tok = strtok_r(NULL, " ", &s2);
			n[o] = tok ? strtoull(tok, NULL, 10) : 0;
		}
		found = 1;
	}
	bt_buf_release(&b);
	return found ? 0 : -1;
}

static void test_live_buddyinfo(void **state)
{
	struct bt_rec_zone_span z[16];
	struct bt_rec_freecount cnt[16];
	uint64_t before[BT_REC_MAX_ORDER], after[BT_REC_MAX_ORDER];
	struct bt_buf zi;
	int n, tries, matched = 0, o;

	(void)state;
	if (access("/proc/kpageflags", R_OK) < 0) {
		print_message("skipped: /proc/kpageflags is not readable "
			      "(needs root)\n");
		skip();
	}
	bt_buf_init(&zi);
	assert_int_equal(bt_read_file("/proc/zoneinfo", &zi), 0);
	n = bt_rec_zone_spans((char *)zi.data, z, 16);
	bt_buf_release(&zi);
	assert_true(n > 0);
	/* The first zone (DMA on x86) is quiet: the map must match it. */
	for (tries = 0; tries < 10 && !matched; tries++) {
		assert_int_equal(buddyinfo_zone(z[0].name, before), 0);
		assert_int_equal(bt_rec_freemap_read("/proc/kpageflags", z, 1,
						     10, NULL, NULL, cnt), 0);
		assert_int_equal(buddyinfo_zone(z[0].name, after), 0);
		if (memcmp(before, after, sizeof(before)))
			continue;	/* it moved while we read */
		for (o = 0; o < BT_REC_MAX_ORDER; o++)
			assert_int_equal(cnt[0].n[o], before[o]);
		matched = 1;
	}
	assert_true(matched);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_zone_spans),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_times_codec),
		cmocka_unit_test(test_blocks_codec),
		cmocka_unit_test(test_synthetic_kpageflags),
		cmocka_unit_test(test_live_buddyinfo),
	};

	return cmocka_run_group_tests_name("record-freemap", tests, NULL, NULL);
}
