// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-setup.c - the reference allocator set up from hostile /proc text:
 * zones from a zoneinfo, free blocks from a free-blocks payload ("pfn
 * order" lines, parsed by common/freeblocks.c and by bt_setup_free_list())
 * and from the same blocks as a kpageflags map, with pageblock
 * types from a pagetypeinfo, and free blocks placed from buddyinfo
 * counts. Whatever a setup accepts, bt_buddy_check() must find
 * the model sound.
 *
 * Input: up to four parts separated by NUL bytes: zoneinfo, free list,
 * pagetypeinfo, buddyinfo (missing parts are empty). Zones spanning more
 * than FUZZ_MAX_PAGES in all are skipped: the model is dense arrays
 * indexed by pfn, sized by the machine it describes, and a fuzzer's
 * input may describe a machine of any size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/freeblocks.h"
#include "common/procfs.h"
#include "allocator/buddy.h"

#define FUZZ_MAX_PAGES (1u << 22)
#define FUZZ_MAP_PAGES (1u << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

struct parts {
	const char *s[4];
	size_t n[4];
};

static void split(const char *s, size_t size, struct parts *p)
{
	const char *end = s + size, *z;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		z = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;
		p->s[i] = s < end ? s : "";
		p->n[i] = s < end ? (size_t)((z ? z : end) - s) : 0;
		s = z ? z + 1 : end;
	}
}

/* The same text as the map's read times (BT_SNAP_FREE_TIMES lines). */
static void free_times(const char *s, size_t n)
{
	const char *pos = s, *end = s + n;
	struct bt_free_time t;
	unsigned int lines = 0;
	int ret;

	while ((ret = bt_free_times_next(&pos, end, &t)) != 0) {
		if (pos < s || pos > end)
			abort();
		if (ret == 1 && (t.lo >= t.hi || t.t0 > t.t1))
			abort();
		lines += ret == 1;
	}
	if (pos != end)
		abort();
	sink += lines;
}

static void free_blocks(const char *s, size_t n)
{
	const char *pos = s, *end = s + n;
	unsigned int order, blocks = 0;
	uint64_t pfn;
	int ret;

	while ((ret = bt_free_blocks_next(&pos, end, 10, &pfn, &order)) != 0) {
		if (pos < s || pos > end)
			abort();
		if (ret == 1 && order > 10)
			abort();
		if (ret == 1)
			blocks++;
	}
	if (pos != end)
		abort();
	sink += blocks;
}

static bool small_enough(const struct bt_zoneinfo *zi)
{
	uint64_t pages = 0;
	unsigned int i;

	for (i = 0; i < zi->nr_zones; i++) {
		if (zi->zones[i].spanned > FUZZ_MAX_PAGES)
			return false;
		pages += zi->zones[i].spanned;
	}
	return pages <= FUZZ_MAX_PAGES;
}

static struct bt_buddy *model(const struct bt_zoneinfo *zi, bool p412)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;

	bt_buddy_config_init(&cfg, p412 ? BT_PROFILE_4_12 : BT_PROFILE_6X);
	cfg.nr_cpus = 2;
	b = bt_buddy_new(&cfg);
	if (!b)
		abort();
	if (bt_setup_zones(b, zi) < 0) {
		bt_buddy_free_model(b);
		return NULL;
	}
	return b;
}

static void check(const struct bt_buddy *b)
{
	char err[256] = "";

	if (bt_buddy_check(b, err, sizeof(err))) {
		fprintf(stderr, "bt_buddy_check: %s\n", err);
		abort();
	}
}

/*
 * The blocks of the free list below FUZZ_MAP_PAGES as a kpageflags map
 * (KPF_BUDDY on each of their pages), set up through the map splitter.
 */
static void free_map(const struct bt_zoneinfo *zi, const struct parts *p,
		     const struct bt_pagetypeinfo *pt)
{
	const char *pos = p->s[1], *end = p->s[1] + p->n[1];
	unsigned char *flags = calloc(FUZZ_MAP_PAGES, 8);
	struct bt_setup_stats st;
	unsigned int order;
	uint64_t pfn, i, top = 0;
	struct bt_buddy *b;
	int ret;

	if (!flags)
		abort();
	while ((ret = bt_free_blocks_next(&pos, end, 10, &pfn, &order)))
		for (i = pfn; ret == 1 && i < pfn + (1u << order) &&
			      i < FUZZ_MAP_PAGES; i++) {
			flags[i * 8 + 1] |= 1u << (BT_KPF_BUDDY - 8);
			top = BT_MAX(top, i + 1);
		}
	b = model(zi, false);
	if (b && !bt_setup_free_map(b, flags, top * 8, 0, pt, &st))
		check(b);
	bt_buddy_free_model(b);
	free(flags);
}

static void setups(const struct bt_zoneinfo *zi, const struct parts *p,
		   const struct bt_pagetypeinfo *pt,
		   const struct bt_proc_table *bi)
{
	struct bt_proc_error e;
	struct bt_setup_stats st;
	struct bt_buddy *b;

	b = model(zi, p->n[1] & 1);
	if (!b)
		return;
	check(b);
	if (!bt_setup_free_list(b, p->s[1], p->n[1], pt, &st, &e))
		check(b);
	bt_buddy_free_model(b);
	free_map(zi, p, pt);
	if (!bi)
		return;
	b = model(zi, false);
	if (b && !bt_setup_free_counts(b, bi, pt, &st))
		check(b);
	bt_buddy_free_model(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bt_pagetypeinfo pt;
	struct bt_proc_table bi;
	struct bt_zoneinfo zi;
	struct parts p;
	bool have_pt, have_bi;

	split((const char *)data, size, &p);
	free_blocks(p.s[1], p.n[1]);
	free_times(p.s[1], p.n[1]);
	bt_zoneinfo_init(&zi);
	bt_pagetypeinfo_init(&pt);
	bt_proc_table_init(&bi);
	have_pt = !bt_pagetypeinfo_parse(&pt, p.s[2], p.n[2], NULL);
	have_bi = !bt_buddyinfo_parse(&bi, p.s[3], p.n[3], NULL);
	if (!bt_zoneinfo_parse(&zi, p.s[0], p.n[0], NULL) && small_enough(&zi))
		setups(&zi, &p, have_pt ? &pt : NULL, have_bi ? &bi : NULL);
	bt_proc_table_release(&bi);
	bt_pagetypeinfo_release(&pt);
	bt_zoneinfo_release(&zi);
	return 0;
}
