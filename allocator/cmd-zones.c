// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-zones.c - `buddytrace zones [FILE] [--json]`: per zone, the
 * watermarks, protection and pcp sizes the kernel recorded next to those
 * the model computes from the sysctls (bt_wmark_report_build()). Without
 * FILE it reads this machine's /proc; with a .bt trace, its first zoneinfo
 * snapshot and its recorded /proc/sys/vm values. Option parsing and
 * printing only.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli.h"
#include "allocator/buddy.h"
#include "traces/traces.h"

static const char *const zones_usage =
	"usage: buddytrace zones [FILE] [--json]\n\n"
	"Show, per zone, the watermarks, protection (lowmem reserve) and\n"
	"per-CPU pageset sizes the kernel recorded next to those computed\n"
	"from min_free_kbytes, watermark_scale_factor, lowmem_reserve_ratio\n"
	"and percpu_pagelist_high_fraction. FILE is a .bt trace (its first\n"
	"zoneinfo snapshot); without it, this machine's /proc.\n\n"
	"  --json      print JSON instead of a table\n"
	"  -h, --help  this text\n";

/* What the report is built from; texts are owned by the buffers. */
struct zones_input {
	struct bt_buf zoneinfo;
	struct bt_buf sysctl;
	bool have_sysctl;
	bool thp;
	unsigned int nr_nodes;
	unsigned int node_cpus[BT_WMARK_MAX_NODES];
	char kernel[128];
	const char *source;
};

static void input_init(struct zones_input *in)
{
	memset(in, 0, sizeof(*in));
	bt_buf_init(&in->zoneinfo);
	bt_buf_init(&in->sysctl);
	in->thp = true;
}

static void input_release(struct zones_input *in)
{
	bt_buf_release(&in->zoneinfo);
	bt_buf_release(&in->sysctl);
}

/*
 * THP is enabled unless "enabled" says [never]: @text is either the sysfs
 * file itself or a trace's "enabled ...\ndefrag ..." lines, whose defrag
 * line may say [never] too.
 */
static bool thp_enabled(const char *text, size_t len)
{
	const char *line = memmem(text, len, "enabled ", 8), *nl;

	if (line) {
		len -= (size_t)(line - text);
		text = line;
		nl = memchr(text, '\n', len);
		if (nl)
			len = (size_t)(nl - text);
	}
	return !memmem(text, len, "[never]", 7);
}

/* CPUs in a cpulist such as "0-3,8,10-11"; 0 when malformed. */
static unsigned int cpulist_count(const char *s)
{
	unsigned int n = 0;

	while (*s && *s != '\n') {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return 0;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || b < a)
				return 0;
		}
		n += (unsigned int)BT_MIN(b - a + 1, 65536ul);
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

/* The CPUs of each node from sysfs; left unknown when it is missing. */
static void read_node_cpus(struct zones_input *in)
{
	unsigned int node;

	for (node = 0; node < BT_WMARK_MAX_NODES; node++) {
		char path[96];
		struct bt_buf v;

		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%u/cpulist", node);
		bt_buf_init(&v);
		if (bt_read_file(path, &v)) {
			bt_buf_release(&v);
			break;
		}
		in->node_cpus[node] = cpulist_count((const char *)v.data);
		in->nr_nodes = node + 1;
		bt_buf_release(&v);
	}
}

static int read_live(struct zones_input *in)
{
	static const char *const names[] = {
		"min_free_kbytes", "watermark_scale_factor",
		"lowmem_reserve_ratio", "percpu_pagelist_high_fraction",
		"percpu_pagelist_fraction",
	};
	struct utsname u;
	struct bt_buf v;
	unsigned int i;
	int err = bt_read_file("/proc/zoneinfo", &in->zoneinfo);

	if (err)
		return bt_cli_fail("zones", err, "read", "/proc/zoneinfo");
	for (i = 0; i < BT_ARRAY_SIZE(names); i++) {
		char path[96];

		snprintf(path, sizeof(path), "/proc/sys/vm/%s", names[i]);
		bt_buf_init(&v);
		if (!bt_read_file(path, &v)) {
			bt_buf_printf(&in->sysctl, "%s %.*s\n", names[i],
				      (int)v.len, (const char *)v.data);
			in->have_sysctl = true;
		}
		bt_buf_release(&v);
	}
	bt_buf_init(&v);
	if (!bt_read_file("/sys/kernel/mm/transparent_hugepage/enabled", &v))
		in->thp = thp_enabled((const char *)v.data, v.len);
	bt_buf_release(&v);
	if (!uname(&u))
		bt_strlcpy(in->kernel, u.release, sizeof(in->kernel));
	read_node_cpus(in);
	in->source = "live";
	return 0;
}

static const struct bt_snapshot *first_snap(struct bt_reader *r,
					    unsigned int kind)
{
	unsigned int i, n = bt_reader_nr_snapshots(r);

	for (i = 0; i < n; i++) {
		const struct bt_snapshot *s = bt_reader_snapshot(r, i);

		if (s && s->kind == kind)
			return s;
	}
	return NULL;
}

/* "6.18.44-..." rather than a host name. */
static bool release_like(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && strchr(s, '.');
}

/* The release from "Linux host 6.18.44-x x86_64" (uname -a order). */
static void release_of_uname(const char *u, char *out, size_t size)
{
	char copy[256], *save = NULL, *tok;
	int i;

	if (!u)
		return;
	bt_strlcpy(copy, u, sizeof(copy));
	tok = strtok_r(copy, " ", &save);
	for (i = 0; tok && i < 2; i++)
		tok = strtok_r(NULL, " ", &save);
	if (tok && release_like(tok))
		bt_strlcpy(out, tok, size);
}

static int read_trace(struct zones_input *in, const char *path)
{
	const struct bt_snapshot *zs, *ss, *ts;
	struct bt_reader *r;
	const char *rel;
	int err = 0;

	r = bt_reader_open(path, &err);
	if (!r)
		return bt_cli_fail("zones", err, "read", path);
	zs = first_snap(r, BT_SNAP_ZONEINFO);
	if (!zs) {
		bt_reader_close(r);
		bt_cli_error("zones", "'%s' holds no zoneinfo snapshot "
			     "(record it with 'buddytrace record', or attach "
			     "one with 'buddytrace import --proc-before DIR')",
			     path);
		return BT_EXIT_DATAERR;
	}
	ss = first_snap(r, BT_SNAP_SYSCTL_VM);
	ts = first_snap(r, BT_SNAP_THP);
	err = bt_buf_append(&in->zoneinfo, zs->data, zs->len);
	if (!err && ss) {
		err = bt_buf_append(&in->sysctl, ss->data, ss->len);
		in->have_sysctl = true;
	}
	if (ts)
		in->thp = thp_enabled((const char *)ts->data, ts->len);
	rel = bt_reader_meta(r, BT_META_KERNEL);
	if (rel)
		bt_strlcpy(in->kernel, rel, sizeof(in->kernel));
	if (!rel || !release_like(rel))
		release_of_uname(bt_reader_meta(r, "uname"), in->kernel,
				 sizeof(in->kernel));
	bt_reader_close(r);
	in->source = "trace";
	if (err)
		return bt_cli_fail("zones", err, "read", path);
	return 0;
}

/*
 * 4.12 rules for kernels before 5.0, 6.x rules after (-1: unknown, from
 * the zoneinfo format), and the version that refines them.
 */
static int rules_of_release(const char *rel, uint32_t *kver)
{
	enum bt_buddy_profile prof;

	*kver = 0;
	if (!rel[0] || bt_buddy_profile_from_release(rel, &prof, kver))
		return -1;
	return prof == BT_PROFILE_4_12 ? BT_WMARK_RULES_4_12 :
					 BT_WMARK_RULES_6X;
}

static void print_row(const char *what, uint64_t rec, uint64_t comp)
{
	printf("  %-14s %12llu %12llu%s\n", what, (unsigned long long)rec,
	       (unsigned long long)comp, rec == comp ? "" : "  <-");
}

static void print_prot(const char *what, const uint64_t *v, unsigned int n)
{
	unsigned int k;

	printf("  %-14s", what);
	for (k = 0; k < n; k++)
		printf(" %llu", (unsigned long long)v[k]);
	printf("\n");
}

static void print_zone(const struct bt_proc_zone *r,
		       const struct bt_wmark_zone *c, bool match)
{
	printf("Node %d, zone %8s  managed %llu, present %llu, spanned %llu"
	       "%s\n", r->node, r->name, (unsigned long long)r->managed,
	       (unsigned long long)r->present, (unsigned long long)r->spanned,
	       match ? "" : "  (differs)");
	printf("  %-14s %12s %12s\n", "", "recorded", "computed");
	print_row("min", r->min - r->boost, c->min);
	print_row("low", r->low - r->boost, c->low);
	print_row("high", r->high - r->boost, c->high);
	if (r->has_promo)
		print_row("promo", r->promo - r->boost, c->promo);
	if (r->has_boost)
		printf("  %-14s %12llu\n", "boost",
		       (unsigned long long)r->boost);
	print_prot("protection rec", r->protection, r->nr_protection);
	print_prot("protection cmp", c->protection, c->nr_protection);
	if (!r->nr_pcp)
		return;
	print_row("pcp batch", r->pcp[0].batch, c->pcp_batch);
	if (r->pcp[0].has_high_min) {
		print_row("pcp high_min", r->pcp[0].high_min, c->pcp_high_min);
		print_row("pcp high_max", r->pcp[0].high_max, c->pcp_high_max);
	} else {
		print_row("pcp high", r->pcp[0].high, c->pcp_high_min);
	}
}

static void print_text(const struct bt_wmark_report *rep,
		       const struct zones_input *in)
{
	const struct bt_wmark_params *p = &rep->params;
	unsigned int i;

	printf("source %s%s%s, rules %s, %u CPUs\n", in->source,
	       in->kernel[0] ? ", kernel " : "", in->kernel,
	       p->rules == BT_WMARK_RULES_4_12 ? "4.12" : "6.x",
	       p->nr_online_cpus);
	printf("min_free_kbytes %llu (%s; square-root rule %llu, khugepaged "
	       "%llu%s)\n", (unsigned long long)p->min_free_kbytes,
	       rep->min_free_recorded ? "recorded" : "computed",
	       (unsigned long long)rep->min_free_sqrt,
	       (unsigned long long)rep->min_free_thp,
	       rep->thp ? "" : ", THP off");
	printf("watermark_scale_factor %u, lowmem_reserve_ratio",
	       p->watermark_scale_factor);
	for (i = 0; i < p->nr_ratio; i++)
		printf(" %u", p->lowmem_reserve_ratio[i]);
	printf("\nwatermarks are _watermark[] (zoneinfo's value minus "
	       "boost)\n\n");
	for (i = 0; i < rep->zi->nr_zones; i++) {
		print_zone(&rep->zi->zones[i], &rep->z[i], rep->match[i]);
		printf("\n");
	}
	if (rep->nr_mismatch)
		printf("%u of %u zones differ from the computed values\n",
		       rep->nr_mismatch, rep->zi->nr_zones);
	else
		printf("all %u zones: computed equals recorded\n",
		       rep->zi->nr_zones);
}

static json_t *json_u64_array(const uint64_t *v, unsigned int n)
{
	json_t *a = json_array();
	unsigned int k;

	for (k = 0; k < n; k++)
		json_array_append_new(a, json_integer((json_int_t)v[k]));
	return a;
}

static json_t *json_marks(uint64_t min, uint64_t low, uint64_t high)
{
	json_t *o = json_object();

	json_object_set_new(o, "min", json_integer((json_int_t)min));
	json_object_set_new(o, "low", json_integer((json_int_t)low));
	json_object_set_new(o, "high", json_integer((json_int_t)high));
	return o;
}

static json_t *json_pcp(const struct bt_proc_zone *r,
			const struct bt_wmark_zone *c)
{
	json_t *o = json_object(), *rec, *cmp = json_object();
	const struct bt_proc_pcp *p = r->nr_pcp ? &r->pcp[0] : NULL;

	if (!p) {
		rec = json_null();
	} else {
		rec = json_object();
		json_object_set_new(rec, "cpus", json_integer(r->nr_pcp));
		json_object_set_new(rec, "batch", json_integer(p->batch));
		if (p->has_high_min) {
			json_object_set_new(rec, "high_min",
					    json_integer(p->high_min));
			json_object_set_new(rec, "high_max",
					    json_integer(p->high_max));
		}
		json_object_set_new(rec, "high", json_integer(p->high));
	}
	json_object_set_new(cmp, "batch", json_integer(c->pcp_batch));
	json_object_set_new(cmp, "high_min", json_integer(c->pcp_high_min));
	json_object_set_new(cmp, "high_max", json_integer(c->pcp_high_max));
	json_object_set_new(o, "recorded", rec);
	json_object_set_new(o, "computed", cmp);
	return o;
}

static json_t *json_zone(const struct bt_proc_zone *r,
			 const struct bt_wmark_zone *c, bool match)
{
	json_t *z = json_object(), *w = json_object(), *rec, *cmp;
	json_t *prot = json_object();

	json_object_set_new(z, "node", json_integer(r->node));
	json_object_set_new(z, "zone", json_string(r->name));
	json_object_set_new(z, "managed", json_integer((json_int_t)r->managed));
	json_object_set_new(z, "present", json_integer((json_int_t)r->present));
	json_object_set_new(z, "spanned", json_integer((json_int_t)r->spanned));
	rec = json_marks(r->min, r->low, r->high);
	json_object_set_new(rec, "boost", json_integer((json_int_t)r->boost));
	if (r->has_promo)
		json_object_set_new(rec, "promo",
				    json_integer((json_int_t)r->promo));
	cmp = json_marks(c->min, c->low, c->high);
	if (c->promo)
		json_object_set_new(cmp, "promo",
				    json_integer((json_int_t)c->promo));
	json_object_set_new(w, "recorded", rec);
	json_object_set_new(w, "computed", cmp);
	json_object_set_new(z, "watermarks", w);
	json_object_set_new(prot, "recorded",
			    json_u64_array(r->protection, r->nr_protection));
	json_object_set_new(prot, "computed",
			    json_u64_array(c->protection, c->nr_protection));
	json_object_set_new(z, "protection", prot);
	json_object_set_new(z, "pcp", json_pcp(r, c));
	json_object_set_new(z, "match", json_boolean(match));
	return z;
}

static int print_json(const struct bt_wmark_report *rep,
		      const struct zones_input *in)
{
	const struct bt_wmark_params *p = &rep->params;
	json_t *root = json_object(), *zones = json_array(), *mf, *ratio;
	unsigned int i;
	int ret;

	json_object_set_new(root, "source", json_string(in->source));
	json_object_set_new(root, "kernel", in->kernel[0] ?
			    json_string(in->kernel) : json_null());
	json_object_set_new(root, "rules", json_string(
		p->rules == BT_WMARK_RULES_4_12 ? "4.12" : "6.x"));
	json_object_set_new(root, "cpus", json_integer(p->nr_online_cpus));
	mf = json_object();
	json_object_set_new(mf, "used", json_integer(
		(json_int_t)p->min_free_kbytes));
	json_object_set_new(mf, "recorded", json_boolean(
		rep->min_free_recorded));
	json_object_set_new(mf, "sqrt_rule", json_integer(
		(json_int_t)rep->min_free_sqrt));
	json_object_set_new(mf, "khugepaged", json_integer(
		(json_int_t)rep->min_free_thp));
	json_object_set_new(mf, "thp", json_boolean(rep->thp));
	json_object_set_new(root, "min_free_kbytes", mf);
	json_object_set_new(root, "watermark_scale_factor",
			    json_integer(p->watermark_scale_factor));
	ratio = json_array();
	for (i = 0; i < p->nr_ratio; i++)
		json_array_append_new(ratio,
				      json_integer(p->lowmem_reserve_ratio[i]));
	json_object_set_new(root, "lowmem_reserve_ratio", ratio);
	for (i = 0; i < rep->zi->nr_zones; i++)
		json_array_append_new(zones, json_zone(&rep->zi->zones[i],
						       &rep->z[i],
						       rep->match[i]));
	json_object_set_new(root, "zones", zones);
	json_object_set_new(root, "match", json_boolean(!rep->nr_mismatch));
	ret = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
	return ret ? BT_EXIT_IOERR : 0;
}

static int parse_args(int argc, char **argv, bool *json, const char **file)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			*json = true;
			break;
		case 'h':
			fputs(zones_usage, stdout);
			return -1;
		default:
			bt_cli_error("zones", "unknown option '%s'",
				     argv[optind - 1]);
			fputs(zones_usage, stderr);
			return BT_EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		bt_cli_error("zones", "too many arguments");
		return BT_EXIT_USAGE;
	}
	*file = optind < argc ? argv[optind] : NULL;
	return 0;
}

int bt_cmd_zones(int argc, char **argv)
{
	struct bt_proc_error perr = { 0, "" };
	struct bt_wmark_report rep;
	struct bt_wmark_input wi;
	struct zones_input in;
	const char *file = NULL;
	bool json = false;
	int ret = parse_args(argc, argv, &json, &file);

	if (ret)
		return ret < 0 ? 0 : ret;
	input_init(&in);
	ret = file ? read_trace(&in, file) : read_live(&in);
	if (ret)
		goto out;
	memset(&wi, 0, sizeof(wi));
	wi.zoneinfo = (const char *)in.zoneinfo.data;
	wi.zoneinfo_len = in.zoneinfo.len;
	wi.sysctl = in.have_sysctl ? (const char *)in.sysctl.data : NULL;
	wi.sysctl_len = in.sysctl.len;
	wi.rules = rules_of_release(in.kernel, &wi.kver);
	wi.thp = in.thp;
	wi.nr_nodes = in.nr_nodes;
	wi.node_cpus = in.node_cpus;
	ret = bt_wmark_report_build(&rep, &wi, &perr);
	if (ret) {
		bt_cli_error("zones", "cannot use the zoneinfo of '%s': %s%s"
			     "%s", file ? file : "/proc/zoneinfo",
			     bt_strerror(ret), perr.msg[0] ? ": " : "",
			     perr.msg);
		ret = bt_exit_code(ret);
	} else {
		if (json)
			ret = print_json(&rep, &in);
		else
			print_text(&rep, &in);
	}
	bt_wmark_report_release(&rep);
out:
	input_release(&in);
	return ret;
}
