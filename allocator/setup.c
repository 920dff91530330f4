// SPDX-License-Identifier: GPL-2.0-only
/*
 * setup.c - the model's initial state from what a trace holds: zones,
 * watermarks, protection and pcp sizes from a zoneinfo snapshot, and free
 * blocks either from a free-page map (/proc/kpageflags) or, without one,
 * from buddyinfo and pagetypeinfo counts.
 *
 * The free-page map is split here, as a pure function over the raw bytes,
 * so that the recorder, the tests and the model agree on one splitter.
 */
#include <string.h>

#include "buddy.h"

static bool kpf_buddy(const unsigned char *flags, uint64_t i)
{
	/* bit 10 of a little-endian u64: bit 2 of its second byte */
	return flags[i * 8 + 1] & (1u << (BT_KPF_BUDDY - 8));
}

/* Split [p, e) into maximal aligned blocks of at most @max_order. */
static int split_run(uint64_t p, uint64_t e, unsigned int max_order,
		     bt_free_block_fn fn, void *data)
{
	while (p < e) {
		unsigned int o = p ? (unsigned int)__builtin_ctzll(p) : 63;
		int ret;

		if (o > max_order)
			o = max_order;
		while (o && p + (1ull << o) > e)
			o--;
		ret = fn(p, o, data);
		if (ret)
			return ret;
		p += 1ull << o;
	}
	return 0;
}

int bt_kpageflags_split(const unsigned char *flags, size_t len,
			uint64_t first_pfn, uint64_t start_pfn,
			uint64_t end_pfn, unsigned int max_order,
			bt_free_block_fn fn, void *data)
{
	uint64_t n = len / 8, lo, hi, i;

	if (len % 8)
		return BT_E_CORRUPT;
	if (max_order > 62)
		max_order = 62;
	lo = BT_MAX(start_pfn, first_pfn);
	hi = first_pfn + n < first_pfn ? UINT64_MAX : first_pfn + n;
	hi = BT_MIN(hi, end_pfn);
	for (i = lo; i < hi;) {
		uint64_t e = i;
		int ret;

		while (e < hi && kpf_buddy(flags, e - first_pfn))
			e++;
		if (e == i) {
			i++;
			continue;
		}
		ret = split_run(i, e, max_order, fn, data);
		if (ret)
			return ret;
		i = e;
	}
	return 0;
}

struct count_ctx {
	uint64_t *nr_free;
	unsigned int nr_orders;
};

static int count_block(uint64_t pfn, unsigned int order, void *data)
{
	struct count_ctx *c = data;

	(void)pfn;
	c->nr_free[order]++;
	return 0;
}

int bt_kpageflags_count(const unsigned char *flags, size_t len,
			uint64_t first_pfn, uint64_t start_pfn,
			uint64_t end_pfn, uint64_t *nr_free,
			unsigned int nr_orders)
{
	struct count_ctx c = { nr_free, nr_orders };

	if (!nr_orders)
		return BT_E_RANGE;
	memset(nr_free, 0, nr_orders * sizeof(*nr_free));
	return bt_kpageflags_split(flags, len, first_pfn, start_pfn, end_pfn,
				   nr_orders - 1, count_block, &c);
}
