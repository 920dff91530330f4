// SPDX-License-Identifier: GPL-2.0-only
/*
 * snap.c - the few facts analyze/ takes from a trace's /proc snapshots:
 * zone spans and watermarks from zoneinfo, nr_free per order from
 * buddyinfo, counters from vmstat, the pageblock order from pagetypeinfo.
 *
 * The parsing itself is common/procfs.c's (checked, hostile-input safe);
 * this file only copies what the reports need into analyze/'s small fixed
 * tables, so that renderers never hold pointers into a parser's storage.
 */
#include <errno.h>
#include <string.h>

#include "analyze-internal.h"
#include "common/procfs.h"

int bt_snap_parse_zoneinfo(const char *s, size_t len, struct bt_snap_zones *out)
{
	struct bt_zoneinfo zi;
	unsigned int i;
	int err;

	memset(out, 0, sizeof(*out));
	bt_zoneinfo_init(&zi);
	err = bt_zoneinfo_parse(&zi, s, len, NULL);
	for (i = 0; !err && i < zi.nr_zones && out->nr < BT_ARRAY_SIZE(out->z);
	     i++) {
		const struct bt_proc_zone *pz = &zi.zones[i];
		struct bt_snap_zone *z = &out->z[out->nr++];

		bt_strlcpy(z->name, pz->name, sizeof(z->name));
		z->node = pz->node;
		z->start_pfn = pz->has_start_pfn ? pz->start_pfn : 0;
		z->spanned = pz->has_start_pfn ? pz->spanned : 0;
		z->present = pz->present;
		z->managed = pz->managed;
		z->free = pz->free;
		z->min = pz->min;
		z->low = pz->low;
		z->high = pz->high;
	}
	bt_zoneinfo_release(&zi);
	if (err)
		return err;
	return out->nr ? 0 : BT_E_PARSE;
}

int bt_snap_parse_buddyinfo(const char *s, size_t len,
			    struct bt_snap_buddy *out)
{
	struct bt_proc_table t;
	unsigned int i, o;
	int err;

	out->nr = 0;
	bt_proc_table_init(&t);
	err = bt_buddyinfo_parse(&t, s, len, NULL);
	for (i = 0; !err && i < t.nr_zones && out->nr < BT_ARRAY_SIZE(out->z);
	     i++) {
		const struct bt_proc_orders *row = &t.zones[i];

		memset(&out->z[out->nr], 0, sizeof(out->z[0]));
		out->z[out->nr].node = row->node;
		bt_strlcpy(out->z[out->nr].name, row->name,
			   sizeof(out->z[0].name));
		for (o = 0; o < BT_AN_ORDERS && o < t.nr_orders; o++)
			out->z[out->nr].nr_free[o] = row->v[o] < 0 ? 0 :
						     (uint64_t)row->v[o];
		out->nr++;
	}
	bt_proc_table_release(&t);
	if (err)
		return err;
	return out->nr ? 0 : BT_E_PARSE;
}

static int vmstat_scan(const char *s, size_t len, const char *name,
		       bool prefix, uint64_t *out)
{
	struct bt_kvlist l;
	size_t n = strlen(name);
	bool found = false;
	unsigned int i;

	*out = 0;
	bt_kvlist_init(&l);
	if (bt_vmstat_parse(&l, s, len, NULL)) {
		bt_kvlist_release(&l);
		return -ENOENT;
	}
	for (i = 0; i < l.nr; i++) {
		const struct bt_proc_kv *kv = &l.kv[i];

		if (kv->nr != 1 || kv->v[0] < 0 || strncmp(kv->name, name, n) ||
		    (!prefix && kv->name[n]))
			continue;
		*out += (uint64_t)kv->v[0];
		found = true;
	}
	bt_kvlist_release(&l);
	return found ? 0 : -ENOENT;
}

int bt_snap_vmstat_get(const char *s, size_t len, const char *name,
		       uint64_t *out)
{
	return vmstat_scan(s, len, name, false, out);
}

int bt_snap_vmstat_sum(const char *s, size_t len, const char *prefix,
		       uint64_t *out)
{
	return vmstat_scan(s, len, prefix, true, out);
}

int bt_snap_pageblock_order(const char *s, size_t len, unsigned int *out)
{
	struct bt_pagetypeinfo pt;
	int err;

	bt_pagetypeinfo_init(&pt);
	err = bt_pagetypeinfo_parse(&pt, s, len, NULL);
	if (!err && pt.pageblock_order > 0 && pt.pageblock_order < 20)
		*out = pt.pageblock_order;
	else
		err = -ENOENT;
	bt_pagetypeinfo_release(&pt);
	return err;
}

unsigned int bt_snap_zone_of(const struct bt_snap_zones *zs, uint64_t pfn)
{
	unsigned int i;

	if (!zs)
		return BT_AN_ZONE_UNKNOWN;
	for (i = 0; i < zs->nr; i++) {
		const struct bt_snap_zone *z = &zs->z[i];

		if (z->spanned && pfn >= z->start_pfn &&
		    pfn - z->start_pfn < z->spanned)
			return i;
	}
	return BT_AN_ZONE_UNKNOWN;
}
