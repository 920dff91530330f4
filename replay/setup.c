// SPDX-License-Identifier: GPL-2.0-only
/*
 * setup.c - build the model a replay starts from, out of the trace's own
 * snapshots: the zones, watermarks, protection and pcp settings of the
 * first zoneinfo (or --zoneinfo), knobs applied on top; the free blocks
 * of the earliest free-page map (BT_SNAP_FREE_BLOCKS "pfn order" lines,
 * or raw kpageflags
 * split by the allocator's bt_kpageflags_split()), otherwise of the
 * earliest buddyinfo.
 *
 * Without a free-page map the positions of free blocks are unknown: each
 * order-o block (o < max order) is placed at the low half of an aligned
 * 2^(o+1) chunk whose high half stays in use, so no two placed blocks
 * merge and the counts equal buddyinfo's. Recorded pfns then rarely meet
 * the placed blocks, so mirror mode is only meaningful with a map.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/freeblocks.h"

#include "replay-internal.h"
#include "allocator/buddy.h"
#include "common/procfs.h"

const struct bt_snapshot *bt_replay_first_snap(struct bt_reader *r,
					       unsigned int kind)
{
	unsigned int n = bt_reader_nr_snapshots(r);
	const struct bt_snapshot *best = NULL;

	for (unsigned int i = 0; i < n; i++) {
		const struct bt_snapshot *s = bt_reader_snapshot(r, i);

		if (s && s->kind == kind && (!best || s->ts < best->ts))
			best = s;
	}
	return best;
}

static void apply_sysctls(struct bt_replay_ctx *x, struct bt_buddy_config *c)
{
	const struct bt_snapshot *sn =
		bt_replay_first_snap(x->r, BT_SNAP_SYSCTL_VM);
	struct bt_kvlist l;
	int64_t v;

	if (!sn)
		return;
	bt_kvlist_init(&l);
	if (!bt_sysctl_parse(&l, (const char *)sn->data, sn->len, NULL)) {
		if (bt_kvlist_get(&l, "min_free_kbytes", &v) && v > 0)
			c->min_free_kbytes = (uint64_t)v;
		if (bt_kvlist_get(&l, "watermark_scale_factor", &v) && v > 0)
			c->watermark_scale_factor = (unsigned int)v;
		if (bt_kvlist_get(&l, "watermark_boost_factor", &v) && v >= 0)
			c->watermark_boost_factor = (unsigned int)v;
		if (bt_kvlist_get(&l, "extfrag_threshold", &v))
			c->extfrag_threshold = (int)v;
		if (bt_kvlist_get(&l, "compaction_proactiveness", &v) && v >= 0)
			c->compaction_proactiveness = (unsigned int)v;
	}
	bt_kvlist_release(&l);
}

static void apply_knobs(const struct bt_replay_knobs *k,
			struct bt_buddy_config *c)
{
	const int64_t *v = k->value;

	if (k->set[BT_KNOB_MIN_FREE_KBYTES])
		c->min_free_kbytes = (uint64_t)v[BT_KNOB_MIN_FREE_KBYTES];
	if (k->set[BT_KNOB_WATERMARK_SCALE_FACTOR])
		c->watermark_scale_factor =
			(unsigned int)v[BT_KNOB_WATERMARK_SCALE_FACTOR];
	if (k->set[BT_KNOB_WATERMARK_BOOST_FACTOR])
		c->watermark_boost_factor =
			(unsigned int)v[BT_KNOB_WATERMARK_BOOST_FACTOR];
	if (k->set[BT_KNOB_PCP_HIGH])
		c->pcp_high = (int)v[BT_KNOB_PCP_HIGH];
	if (k->set[BT_KNOB_PCP_BATCH])
		c->pcp_batch = (int)v[BT_KNOB_PCP_BATCH];
	if (k->set[BT_KNOB_PAGEBLOCK_ORDER])
		c->pageblock_order = (unsigned int)v[BT_KNOB_PAGEBLOCK_ORDER];
	if (k->set[BT_KNOB_EXTFRAG_THRESHOLD])
		c->extfrag_threshold = (int)v[BT_KNOB_EXTFRAG_THRESHOLD];
	if (k->set[BT_KNOB_COMPACTION_PROACTIVENESS])
		c->compaction_proactiveness =
			(unsigned int)v[BT_KNOB_COMPACTION_PROACTIVENESS];
	if (k->set[BT_KNOB_FALLBACK_POLICY])
		c->fallback_policy =
			(enum bt_fallback_policy)v[BT_KNOB_FALLBACK_POLICY];
	/* the deliberately broken rule: mobility grouping switched off */
	if (k->set[BT_KNOB_TEST_BREAK_FALLBACK] &&
	    v[BT_KNOB_TEST_BREAK_FALLBACK])
		c->mobility_disabled = true;
}

static enum bt_buddy_profile pick_profile(struct bt_replay_ctx *x,
					  uint32_t *kver)
{
	enum bt_buddy_profile p = BT_PROFILE_6X;

	*kver = 0;
	if (bt_buddy_profile_from_release(
		    bt_reader_meta(x->r, BT_META_KERNEL), &p, kver))
		p = BT_PROFILE_6X;
	if (x->o->profile == BT_REPLAY_PROFILE_4_12)
		p = BT_PROFILE_4_12;
	else if (x->o->profile == BT_REPLAY_PROFILE_6_X)
		p = BT_PROFILE_6X;
	x->s->profile = p == BT_PROFILE_4_12 ? BT_REPLAY_PROFILE_4_12
					     : BT_REPLAY_PROFILE_6_X;
	x->profile_412 = p == BT_PROFILE_4_12;
	return p;
}

static unsigned int nr_cpus(struct bt_replay_ctx *x,
			    const struct bt_zoneinfo *zi)
{
	const char *m = bt_reader_meta(x->r, BT_META_CPUS);
	uint64_t n = 0;

	if (!m || bt_parse_u64(m, -1, 10, &n) || !n)
		n = 0;
	for (unsigned int z = 0; z < zi->nr_zones; z++)
		for (unsigned int i = 0; i < zi->zones[z].nr_pcp; i++)
			n = BT_MAX(n, (uint64_t)zi->zones[z].pcp[i].cpu + 1);
	return (unsigned int)BT_MIN(BT_MAX(n, 1), BT_BUDDY_MAX_CPUS);
}

/*
 * The allocator's zone configuration, with replay's own pcp reading (high
 * and high_min capped at 2^30, high_max only when zoneinfo prints it, batch
 * in 1..2^20) and no reclaimable estimate.
 */
static void zone_config(const struct bt_buddy *b,
			const struct bt_proc_zone *pz, int type,
			struct bt_zone_config *zc)
{
	bt_setup_zone_config(b, pz, type, zc);
	zc->reclaimable = 0;
	if (pz->nr_pcp) {
		const struct bt_proc_pcp *c = &pz->pcp[0];

		zc->pcp_high = (int)BT_MIN(c->high, 1u << 30);
		zc->pcp_high_min = (int)BT_MIN(c->has_high_min ? c->high_min :
					       c->high, 1u << 30);
		zc->pcp_high_max = c->has_high_max ?
			(int)BT_MIN(c->high_max, 1u << 30) : -1;
		zc->pcp_batch = (int)BT_MAX(BT_MIN(c->batch, 1u << 20), 1);
	}
}

struct add_ctx {
	struct bt_replay_ctx *x;
	struct bt_buddy *b;
	/*
	 * pgk BT_PG_FREE_INIT (replay-internal.h): pages from base_pfn up
	 * to here are settled; the gap up to the next block added above
	 * is in use at start
	 */
	uint64_t settled;
	uint64_t top;		/* the end of the highest block added */
};

/* A free block at setup: into the model and into replay's page states. */
static int add_block(uint64_t pfn, unsigned int order, void *data)
{
	struct add_ctx *a = data;
	struct bt_replay_ctx *x = a->x;
	uint64_t n = 1ull << order;
	/* above every block so far (a map in pfn order): no overlap check */
	int err = pfn >= a->top ?
		  bt_buddy_add_free_block_above(a->b, pfn, order, -1) :
		  bt_buddy_add_free_block(a->b, pfn, order, -1);

	if (err == -EEXIST)
		return 0;
	if (!err)
		a->top = BT_MAX(a->top, pfn + n);
	if (err || pfn < x->base_pfn || pfn + n > x->end_pfn)
		return err;
	if (x->pgk && pfn >= a->settled) {
		/* blocks in pfn order: only the gap before this one */
		bt_pg_put(x, a->settled - x->base_pfn, BT_PG_INIT,
			  pfn - a->settled);
		a->settled = pfn + n;
	} else {
		bt_pg_put(x, pfn - x->base_pfn, BT_PG_FREE_INIT, n);
	}
	return 0;
}

/*
 * Does the first buddyinfo snapshot show more than half the span free?
 * Then setup marks the pages in use rather than the free ones (pgk).
 */
static bool mostly_free(const struct bt_replay_ctx *x)
{
	const struct bt_snapshot *bi =
		bt_replay_first_snap(x->r, BT_SNAP_BUDDYINFO);
	struct bt_proc_table t;
	uint64_t free = 0;

	if (!bi)
		return false;
	bt_proc_table_init(&t);
	if (!bt_buddyinfo_parse(&t, (const char *)bi->data, bi->len, NULL))
		for (unsigned int z = 0; z < t.nr_zones; z++)
			for (unsigned int o = 0; o < t.zones[z].nr_orders &&
			     o <= BT_BUDDY_MAX_ORDER; o++)
				if (t.zones[z].v[o] > 0)
					free += (uint64_t)t.zones[z].v[o] << o;
	bt_proc_table_release(&t);
	return free > (x->end_pfn - x->base_pfn) / 2;
}

/* A free-page map in pfn order follows: choose pgk (see above). */
static void settle_begin(struct add_ctx *a)
{
	a->x->pgk = mostly_free(a->x) ? BT_PG_FREE_INIT : 0;
	a->settled = a->x->base_pfn;
}

/* The map added: what lies above the last block is in use. */
static void settle_end(struct add_ctx *a)
{
	struct bt_replay_ctx *x = a->x;

	if (x->pgk && a->settled < x->end_pfn)
		bt_pg_put(x, a->settled - x->base_pfn, BT_PG_INIT,
			  x->end_pfn - a->settled);
}

/* Buddyinfo only: counts right, positions invented (see the top). */
static int free_from_buddyinfo(struct add_ctx *a,
			       const struct bt_proc_orders *row,
			       uint64_t lo, uint64_t hi)
{
	uint64_t pos = lo;

	for (int o = BT_BUDDY_MAX_ORDER; o >= 0; o--) {
		uint64_t size = 1ull << o;
		uint64_t step = o == BT_BUDDY_MAX_ORDER ? size : size * 2;
		int64_t cnt = (unsigned int)o < row->nr_orders ? row->v[o] : 0;

		pos = (pos + step - 1) & ~(step - 1);
		for (int64_t i = 0; i < cnt && pos + size <= hi; i++) {
			int err = add_block(pos, (unsigned int)o, a);

			if (err)
				return err;
			pos += step;
		}
	}
	return 0;
}

static int one_block(struct add_ctx *a, uint64_t pfn, uint64_t order)
{
	int err;

	if (order > BT_BUDDY_MAX_ORDER)
		return BT_E_PARSE;
	err = add_block(pfn, (unsigned int)order, a);
	/* the map covers all of memory: blocks outside the zones are skipped */
	return err == -EINVAL || err == -ENOENT ? 0 : err;
}

/* "pfn order" lines (buddytrace import of a kpageflags copy). */
/* BT_SNAP_FREE_BLOCKS: "pfn order" lines (common/freeblocks.h). */
static int free_from_blocks(struct add_ctx *a, const struct bt_snapshot *sn)
{
	const char *p = (const char *)sn->data, *end = p + sn->len;
	unsigned int order;
	uint64_t pfn;
	int ret;

	while ((ret = bt_free_blocks_next(&p, end, 63, &pfn, &order)) > 0) {
		ret = one_block(a, pfn, order);
		if (ret)
			return ret;
	}
	return ret;
}

static int add_free(struct bt_replay_ctx *x, struct bt_buddy *b)
{
	const struct bt_snapshot *kpf =
		bt_replay_first_snap(x->r, BT_SNAP_KPAGEFLAGS);
	const struct bt_snapshot *bi =
		bt_replay_first_snap(x->r, BT_SNAP_BUDDYINFO);
	const struct bt_snapshot *fb =
		bt_replay_first_snap(x->r, BT_SNAP_FREE_BLOCKS);
	struct add_ctx a = { x, b, 0, 0 };
	struct bt_proc_table t;
	int err = 0;

	if (fb && (!kpf || fb->ts <= kpf->ts)) {
		x->s->free_map = true;
		settle_begin(&a);
		err = free_from_blocks(&a, fb);
		settle_end(&a);
		return err ? err : bt_premap_load(x, fb);
	}
	if (kpf && kpf->len >= 8 && !(kpf->len % 8)) {
		x->s->free_map = true;
		settle_begin(&a);
		for (unsigned int z = 0; z < x->nr_zones && !err; z++)
			err = bt_kpageflags_split(kpf->data, kpf->len, 0,
						  x->zone_lo[z], x->zone_hi[z],
						  BT_BUDDY_MAX_ORDER,
						  add_block, &a);
		settle_end(&a);
		return err;
	}
	if (!bi)
		return 0;	/* no free memory known: every page in use */
	bt_proc_table_init(&t);
	err = bt_buddyinfo_parse(&t, (const char *)bi->data, bi->len, NULL);
	for (unsigned int z = 0; z < x->nr_zones && !err; z++) {
		const struct bt_proc_orders *row =
			bt_proc_table_find(&t, 0, x->s->zone_name[z]);

		if (row)
			err = free_from_buddyinfo(&a, row, x->zone_lo[z],
						  x->zone_hi[z]);
	}
	bt_proc_table_release(&t);
	return err == BT_E_PARSE || err == BT_E_RANGE ? 0 : err;
}

/*
 * Knobs that change the watermarks: recompute them as
 * __setup_per_zone_wmarks() does (4.12 and 6.x alike, except that 6.x
 * leaves MOVABLE out of lowmem): share = pages_min * managed / lowmem;
 * MIN = share (MOVABLE: managed/1024 clamped to 32..128); step =
 * max(share/4, managed * watermark_scale_factor / 10000); LOW = MIN +
 * step; HIGH = MIN + 2 step.
 */
static int recompute_wmarks(struct bt_replay_ctx *x, struct bt_buddy *b,
			    const struct bt_buddy_config *c)
{
	uint64_t pages_min = c->min_free_kbytes / 4, lowmem = 0;
	bool v6 = c->profile != BT_PROFILE_4_12;
	struct bt_zone_info zi[BT_REPLAY_MAX_ZONES];
	int err = 0;

	for (unsigned int z = 0; z < x->nr_zones; z++) {
		bt_buddy_zone_info(b, bt_buddy_zone_of_pfn(b, x->zone_lo[z]),
				   &zi[z]);
		if (!v6 || zi[z].zone_type != BT_ZONE_MOVABLE)
			lowmem += zi[z].managed;
	}
	for (unsigned int z = 0; z < x->nr_zones && !err; z++) {
		uint64_t m = zi[z].managed;
		uint64_t share = lowmem ? pages_min * m / lowmem : 0;
		uint64_t step = BT_MAX(share / 4,
				       m * c->watermark_scale_factor / 10000);
		uint64_t min = share;

		if (zi[z].zone_type == BT_ZONE_MOVABLE)
			min = BT_MIN(BT_MAX(m / 1024, 32u), 128u);
		err = bt_buddy_zone_set_watermarks(
			b, bt_buddy_zone_of_pfn(b, x->zone_lo[z]), min,
			min + step, min + 2 * step);
	}
	return err;
}

/* min_free_kbytes as the zones' MIN watermarks imply (no sysctl snapshot). */
static uint64_t implied_min_free_kbytes(const struct bt_zoneinfo *zi)
{
	uint64_t pages = 0;

	for (unsigned int i = 0; i < zi->nr_zones; i++)
		if (strcmp(zi->zones[i].name, "Movable"))
			pages += zi->zones[i].min -
				 BT_MIN(zi->zones[i].boost, zi->zones[i].min);
	return pages * 4;
}

static int add_zones(struct bt_replay_ctx *x, struct bt_buddy *b,
		     const struct bt_zoneinfo *zi)
{
	struct bt_replay_summary *s = x->s;

	for (unsigned int i = 0; i < zi->nr_zones; i++) {
		const struct bt_proc_zone *pz = &zi->zones[i];
		int type = bt_setup_zone_type(pz->name);
		struct bt_zone_config zc;
		unsigned int z = x->nr_zones;
		int err;

		/* one node, populated zones only (replay.h) */
		if (pz->node != 0 || type < 0 || !pz->spanned ||
		    !pz->has_start_pfn || z >= BT_REPLAY_MAX_ZONES)
			continue;
		zone_config(b, pz, type, &zc);
		err = bt_buddy_add_zone(b, &zc);
		if (err < 0)
			return err == -ENOMEM ? err : BT_E_PARSE;
		bt_strlcpy(s->zone_name[z], pz->name, sizeof(s->zone_name[z]));
		s->zone_start_pfn[z] = pz->start_pfn;
		s->zone_spanned[z] = pz->spanned;
		x->zone_lo[z] = pz->start_pfn;
		x->zone_hi[z] = pz->start_pfn + pz->spanned;
		x->nr_zones = s->nr_zones = z + 1;
	}
	if (!x->nr_zones)
		return BT_E_PARSE;
	x->base_pfn = x->zone_lo[0];
	x->end_pfn = x->zone_hi[0];
	for (unsigned int z = 1; z < x->nr_zones; z++) {
		x->base_pfn = BT_MIN(x->base_pfn, x->zone_lo[z]);
		x->end_pfn = BT_MAX(x->end_pfn, x->zone_hi[z]);
	}
	/*
	 * Model mode's pfn map holds pfn - base_pfn + 1 in 32 bits, and the
	 * per-page state covers the holes between zones too: a span of 2^32
	 * pages (16 TiB of one node) or more cannot be represented, and a
	 * hostile zoneinfo must not make the replay ask for terabytes.
	 */
	if (x->end_pfn - x->base_pfn > BT_REPLAY_MAX_SPAN)
		return BT_E_RANGE;
	return 0;
}

static int zoneinfo_text(struct bt_replay_ctx *x, struct bt_zoneinfo *zi)
{
	const struct bt_snapshot *sn =
		bt_replay_first_snap(x->r, BT_SNAP_ZONEINFO);
	const char *text = x->o->zoneinfo;
	size_t len = x->o->zoneinfo_len;

	if (!text) {
		if (!sn)
			return BT_E_NO_ZONEINFO;
		text = (const char *)sn->data;
		len = sn->len;
	}
	return bt_zoneinfo_parse(zi, text, len, NULL);
}

int bt_replay_setup(struct bt_replay_ctx *x, struct bt_buddy **out)
{
	struct bt_buddy_config cfg;
	struct bt_zoneinfo zi;
	struct bt_buddy *b = NULL;
	uint32_t kver;
	int err;

	bt_zoneinfo_init(&zi);
	err = zoneinfo_text(x, &zi);
	if (err)
		goto out;
	bt_buddy_config_init(&cfg, pick_profile(x, &kver));
	cfg.kernel_version = kver;
	cfg.nr_cpus = nr_cpus(x, &zi);
	cfg.min_free_kbytes = implied_min_free_kbytes(&zi);
	apply_sysctls(x, &cfg);
	apply_knobs(&x->o->knobs, &cfg);
	x->pageblock_order = cfg.pageblock_order;
	b = bt_buddy_new(&cfg);
	if (!b) {
		err = errno == ENOMEM ? -ENOMEM : BT_E_RANGE;
		goto out;
	}
	err = add_zones(x, b, &zi);
	if (!err)
		err = bt_replay_alloc_state(x);
	if (!err && (x->o->knobs.set[BT_KNOB_MIN_FREE_KBYTES] ||
		     x->o->knobs.set[BT_KNOB_WATERMARK_SCALE_FACTOR]))
		err = recompute_wmarks(x, b, &cfg);
	if (!err)
		err = add_free(x, b);
	if (err) {
		bt_buddy_free_model(b);
		b = NULL;
	}
out:
	bt_zoneinfo_release(&zi);
	*out = b;
	return err;
}
