// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-procfs.c - every /proc parser of common/procfs.h on the same
 * hostile text: zoneinfo, buddyinfo, extfrag/unusable index, pagetypeinfo,
 * vmstat, meminfo and sysctl lists, each followed by its lookups. The
 * input is one file's bytes, whatever file it was: a zoneinfo seed also
 * tests the buddyinfo parser's refusals and so on. A parser that fails
 * must leave its struct empty and say where (line and reason).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void check_error(int ret, unsigned int nr, const struct bt_proc_error *e)
{
	if (!ret)
		return;
	if (nr || !memchr(e->msg, '\0', sizeof(e->msg)))
		abort();
	sink += strlen(e->msg) + e->line;
}

static void zoneinfo(const char *s, size_t n)
{
	struct bt_proc_error e = { 0 };
	struct bt_zoneinfo zi;
	unsigned int i;
	int ret;

	bt_zoneinfo_init(&zi);
	ret = bt_zoneinfo_parse(&zi, s, n, &e);
	check_error(ret, zi.nr_zones, &e);
	for (i = 0; i < zi.nr_zones; i++) {
		const struct bt_proc_zone *z = &zi.zones[i];

		if (bt_zoneinfo_find(&zi, z->node, z->name) == NULL ||
		    !memchr(z->name, '\0', sizeof(z->name)))
			abort();
		if (z->nr_pcp)
			sink += z->pcp[z->nr_pcp - 1].batch;
		sink += z->nr_protection ?
			z->protection[z->nr_protection - 1] : 0;
	}
	bt_zoneinfo_release(&zi);
}

static void table(const char *s, size_t n, bool frag)
{
	struct bt_proc_error e = { 0 };
	struct bt_proc_table t;
	unsigned int i, j;
	int ret;

	bt_proc_table_init(&t);
	ret = frag ? bt_fragindex_parse(&t, s, n, &e)
		   : bt_buddyinfo_parse(&t, s, n, &e);
	check_error(ret, t.nr_zones, &e);
	for (i = 0; i < t.nr_zones; i++) {
		const struct bt_proc_orders *o = &t.zones[i];

		if (o->nr_orders != t.nr_orders ||
		    o->nr_orders > BT_PROC_MAX_ORDERS ||
		    !bt_proc_table_find(&t, o->node, o->name))
			abort();
		/* buddyinfo counts are unsigned; indices are x.yyy in
		 * -1.999..1.999 */
		for (j = 0; j < o->nr_orders; j++)
			if (frag ? o->v[j] < -1999 || o->v[j] > 1999
				 : o->v[j] < 0)
				abort();
	}
	bt_proc_table_release(&t);
}

static void pagetypeinfo(const char *s, size_t n)
{
	struct bt_proc_error e = { 0 };
	struct bt_pagetypeinfo pt;
	unsigned int i;
	int ret;

	bt_pagetypeinfo_init(&pt);
	ret = bt_pagetypeinfo_parse(&pt, s, n, &e);
	check_error(ret, pt.nr_zones, &e);
	if (!ret && (pt.nr_types > BT_PROC_MAX_TYPES ||
		     pt.nr_orders > BT_PROC_MAX_ORDERS))
		abort();
	for (i = 0; i < pt.nr_types; i++)
		if (bt_pagetypeinfo_type(&pt, pt.type_names[i]) < 0)
			abort();
	for (i = 0; i < pt.nr_zones; i++)
		if (!bt_pagetypeinfo_find(&pt, pt.zones[i].node,
					  pt.zones[i].name))
			abort();
	bt_pagetypeinfo_release(&pt);
}

static void kv(const char *s, size_t n, int which)
{
	struct bt_proc_error e = { 0 };
	struct bt_kvlist l;
	unsigned int i;
	int64_t v;
	int ret;

	bt_kvlist_init(&l);
	ret = which == 0 ? bt_vmstat_parse(&l, s, n, &e)
	    : which == 1 ? bt_meminfo_parse(&l, s, n, &e)
			 : bt_sysctl_parse(&l, s, n, &e);
	check_error(ret, l.nr, &e);
	for (i = 0; i < l.nr; i++) {
		if (l.kv[i].nr > BT_PROC_KV_VALUES ||
		    !memchr(l.kv[i].name, '\0', sizeof(l.kv[i].name)) ||
		    !bt_kvlist_find(&l, l.kv[i].name))
			abort();
		if (bt_kvlist_get(&l, l.kv[i].name, &v))
			sink += (size_t)v;
	}
	bt_kvlist_release(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	zoneinfo(s, size);
	table(s, size, false);
	table(s, size, true);
	pagetypeinfo(s, size);
	kv(s, size, 0);
	kv(s, size, 1);
	kv(s, size, 2);
	return 0;
}
