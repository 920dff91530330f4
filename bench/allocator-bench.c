// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocator-bench.c - throughput and memory of the reference allocator
 * model, for bench/allocator.sh (built there against the static
 * libraries; never part of make check).
 *
 * The simulated machine mirrors the project's: zones DMA, DMA32 and Normal
 * spanning about 23.5 GiB (6.1 million pages), two CPUs. Three figures:
 * fast-path allocations plus frees per second (order 0 and small orders
 * from a steady pool of live blocks, mostly pcp hits), the same with
 * migratetype fallbacks (unmovable and movable requests mixed in
 * MOVABLE-labelled memory), and bytes of model state per simulated page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "allocator/buddy.h"

#define LIVE 4096

static double now(void)
{
	struct timespec ts;

	/* CPU time of this thread: other load on the host does not count */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int add_zone(struct bt_buddy *b, int type, uint64_t start,
		    uint64_t pages, uint64_t min)
{
	struct bt_zone_config zc = {0};
	uint64_t pfn;

	zc.zone_type = type;
	zc.start_pfn = start;
	zc.spanned = zc.present = zc.managed = pages;
	zc.wmark_min = min;
	zc.wmark_low = min * 5 / 4;
	zc.wmark_high = min * 3 / 2;
	zc.pcp_high = -1;
	zc.pcp_high_min = 1000;
	zc.pcp_high_max = 4000;
	zc.pcp_batch = 63;
	if (bt_buddy_add_zone(b, &zc) < 0)
		return -1;
	for (pfn = start; pfn < start + pages;) {
		unsigned int o = 10;

		while (o && ((pfn & ((1ull << o) - 1)) ||
			     pfn + (1ull << o) > start + pages))
			o--;
		if (bt_buddy_add_free_block(b, pfn, o, -1))
			return -1;
		pfn += 1ull << o;
	}
	return 0;
}

/*
 * A 256 MiB zone where every MOVABLE pageblock has 288 pages in use by
 * movable allocations: an unmovable order-4 request cannot claim a
 * pageblock (224 free < 256) and steals a block instead, every time.
 */
static struct bt_buddy *fallback_machine(void)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;
	uint64_t pfn;

	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.nr_cpus = 2;
	b = bt_buddy_new(&cfg);
	if (!b || add_zone(b, BT_ZONE_NORMAL, 1048576, 65536, 256)) {
		fprintf(stderr, "allocator-bench: cannot build the model\n");
		exit(70);
	}
	for (pfn = 1048576; pfn < 1048576 + 65536; pfn += 512) {
		bt_buddy_mark_allocated(b, pfn, 8, BT_MT_MOVABLE);
		bt_buddy_mark_allocated(b, pfn + 256, 5, BT_MT_MOVABLE);
	}
	return b;
}

static struct bt_buddy *machine(void)
{
	struct bt_buddy_config cfg;
	struct bt_buddy *b;

	bt_buddy_config_init(&cfg, BT_PROFILE_6X);
	cfg.nr_cpus = 2;
	b = bt_buddy_new(&cfg);
	if (!b || add_zone(b, BT_ZONE_DMA, 1, 4095, 8) ||
	    add_zone(b, BT_ZONE_DMA32, 4096, 1044480, 2900) ||
	    add_zone(b, BT_ZONE_NORMAL, 1048576, 5111808, 13900)) {
		fprintf(stderr, "allocator-bench: cannot build the model\n");
		exit(70);
	}
	return b;
}

static uint64_t rnd_state = 42;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rnd_state >> 33);
}

struct live {
	uint64_t pfn;
	unsigned int order;
};

/* Steady state: allocate one, free the oldest; returns ops per second. */
static double run(struct bt_buddy *b, long n, int nlive, bool mixed,
		  uint64_t *fallbacks)
{
	static struct live live[LIVE];
	struct bt_alloc_request rq;
	struct bt_alloc_result res;
	struct bt_buddy_stats st0, st1;
	long i, ops = 0;
	double t0;

	bt_buddy_get_stats(b, &st0);
	bt_alloc_request_init(&rq, 0, BT_BUDDY_GFP_HIGHUSER_MOVABLE);
	for (i = 0; i < nlive; i++)
		live[i].pfn = BT_BUDDY_PFN_NONE;
	t0 = now();
	for (i = 0; i < n; i++) {
		struct live *l = &live[i % nlive];

		if (l->pfn != BT_BUDDY_PFN_NONE) {
			bt_buddy_free(b, l->pfn, l->order, rq.cpu, 0);
			ops++;
		}
		if (mixed) {
			uint32_t r = rnd();

			/* a quarter unmovable order 4: each one falls back */
			bool unmov = (r & 3) == 0;

			rq.order = unmov ? 4 : 0;
			rq.gfp = unmov ? BT_BUDDY_GFP_KERNEL
				       : BT_BUDDY_GFP_HIGHUSER_MOVABLE;
			rq.cpu = (r >> 8) & 1;
		}
		bt_buddy_alloc(b, &rq, &res);
		ops++;
		l->pfn = res.pfn;
		l->order = rq.order;
	}
	t0 = now() - t0;
	bt_buddy_get_stats(b, &st1);
	*fallbacks = st1.extfrag - st0.extfrag;
	for (i = 0; i < nlive; i++)
		if (live[i].pfn != BT_BUDDY_PFN_NONE)
			bt_buddy_free(b, live[i].pfn, live[i].order, 0, 0);
	return (double)ops / t0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000000;
	struct bt_buddy *b = machine(), *sb;
	uint64_t pages = 4095 + 1044480 + 5111808, fb;
	double fast, mixed;
	char err[256];

	fast = run(b, n, LIVE, false, &fb);
	printf("fast path: %.1f M alloc+free/s (target 20 M/s: %.2fx)\n",
	       fast / 1e6, fast / 20e6);
	sb = fallback_machine();
	mixed = run(sb, n / 2, LIVE, true, &fb);
	printf("with fallbacks: %.1f M alloc+free/s, %.2f%% of allocations "
	       "fell back (target 20 M/s: %.2fx)\n",
	       mixed / 1e6, 100.0 * (double)fb / (double)(n / 2), mixed / 20e6);
	if (bt_buddy_check(sb, err, sizeof(err))) {
		fprintf(stderr, "allocator-bench: %s\n", err);
		return 70;
	}
	bt_buddy_free_model(sb);
	printf("model state: %.2f bytes per simulated page, %.1f MiB for %llu "
	       "pages (target 16: %.2fx)\n",
	       (double)bt_buddy_state_bytes(b) / (double)pages,
	       (double)bt_buddy_state_bytes(b) / 1048576.0,
	       (unsigned long long)pages,
	       (double)bt_buddy_state_bytes(b) / (double)pages / 16.0);
	if (bt_buddy_check(b, err, sizeof(err))) {
		fprintf(stderr, "allocator-bench: %s\n", err);
		return 70;
	}
	bt_buddy_free_model(b);
	return 0;
}
