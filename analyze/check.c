// SPDX-License-Identifier: GPL-2.0-only
/*
 * check.c - `buddytrace check`: replay a corpus, compare each trace's
 * summary with a baseline under per-metric tolerances, say what moved.
 *
 * A trace's summary is the flat map "section.key.key" -> integer of every
 * integer leaf under "recorded", "mirror" and "model" of its analysis
 * (lists are left out: they hold first occurrences, not metrics). The
 * baseline file holds, besides the summaries, the tolerances: an entry
 * whose key is a metric path or a prefix of one ("model.", "mirror.
 * fallbacks") gives {"abs": N, "rel": X}; the longest matching key wins,
 * "default" applies otherwise. A metric moved when |current - baseline| >
 * max(abs, rel * |baseline|).
 *
 * A corpus directory is searched three levels deep; a trace goes by its
 * last two path components ("thp/trace.bt"), the baseline's key.
 *
 * Traces are independent: --jobs N analyzes N at a time on threads, and
 * --shard I/N takes every Nth trace of the sorted list so that CI matrices
 * can split a corpus; --summary-out writes a shard's summaries and --merge
 * combines them before comparing.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze-internal.h"

#define BASELINE_SCHEMA 1

struct item {
	char *path;		/* the .bt file */
	const char *name;	/* its base name: the baseline key */
	json_t *summary;	/* flat map, or NULL when it failed */
	int err;
};

struct corpus {
	struct item *it;
	unsigned int nr, cap;
	bool all_dirs;		/* every path was a directory */
};

/* ---- finding traces ---- */

static int add_item(struct corpus *c, const char *path)
{
	if (c->nr == c->cap) {
		unsigned int ncap = c->cap ? c->cap * 2 : 16;
		struct item *n = realloc(c->it, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		c->it = n;
		c->cap = ncap;
	}
	memset(&c->it[c->nr], 0, sizeof(c->it[0]));
	c->it[c->nr].path = strdup(path);
	if (!c->it[c->nr].path)
		return -ENOMEM;
	c->it[c->nr].name = bt_an_trace_name(c->it[c->nr].path);
	c->nr++;
	return 0;
}

static bool is_bt(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && !strcmp(name + n - 3, ".bt");
}

/* Every *.bt under @dir, down to @depth levels of subdirectories. */
static int add_dir(struct corpus *c, const char *dir, unsigned int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	int err = 0;

	if (!d)
		return -errno;
	while (!err && (de = readdir(d))) {
		char p[4096];

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >=
		    sizeof(p) || stat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth)
			err = add_dir(c, p, depth - 1);
		else if (S_ISREG(st.st_mode) && is_bt(de->d_name))
			err = add_item(c, p);
	}
	closedir(d);
	return err;
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->path, y->path);
}

static int collect(struct corpus *c, const char *const *paths,
		   unsigned int nr, const char **bad)
{
	unsigned int i;
	struct stat st;
	int err;

	c->all_dirs = nr > 0;
	for (i = 0; i < nr; i++) {
		*bad = paths[i];
		if (stat(paths[i], &st))
			return -errno;
		c->all_dirs = c->all_dirs && S_ISDIR(st.st_mode);
		err = S_ISDIR(st.st_mode) ? add_dir(c, paths[i], 3) :
		      add_item(c, paths[i]);
		if (err)
			return err;
	}
	qsort(c->it, c->nr, sizeof(c->it[0]), cmp_item);
	return 0;
}

static void corpus_release(struct corpus *c)
{
	unsigned int i;

	for (i = 0; i < c->nr; i++) {
		free(c->it[i].path);
		json_decref(c->it[i].summary);
	}
	free(c->it);
}

/* ---- summaries ---- */

static void flatten(json_t *v, char *path, size_t len, size_t cap,
		    json_t *out)
{
	const char *k;
	json_t *x;

	if (json_is_integer(v)) {
		json_object_set(out, path, v);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, k, x) {
		size_t n = strlen(k);

		if (len + n + 2 > cap)
			continue;
		path[len] = '.';
		memcpy(path + len + 1, k, n + 1);
		flatten(x, path, len + n + 1, cap, out);
		path[len] = '\0';
	}
}

/**
 * summary_of - the flat metric map of one analysis JSON document
 *
 * Returns a new reference.
 */
static json_t *summary_of(json_t *doc)
{
	static const char *const sections[] = { "recorded", "mirror",
						"model" };
	json_t *out = json_object();
	char path[512];
	size_t i;

	for (i = 0; i < BT_ARRAY_SIZE(sections); i++) {
		size_t n = strlen(sections[i]);

		memcpy(path, sections[i], n + 1);
		flatten(json_object_get(doc, sections[i]), path, n,
			sizeof(path), out);
	}
	return out;
}

struct pool {
	struct corpus *c;
	const struct bt_analyze_opts *ao;
	unsigned int next;
	pthread_mutex_t lock;
};

static void analyze_one(struct item *it, const struct bt_analyze_opts *ao)
{
	struct bt_analysis *a;
	json_t *doc;

	it->err = bt_analyze_file(it->path, ao, &a);
	if (it->err)
		return;
	doc = bt_analysis_json(a);
	bt_analysis_free(a);
	if (!doc) {
		it->err = -ENOMEM;
		return;
	}
	it->summary = summary_of(doc);
	json_decref(doc);
}

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		unsigned int i;

		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->c->nr)
			return NULL;
		analyze_one(&p->c->it[i], p->ao);
	}
}

static void analyze_all(struct corpus *c, const struct bt_analyze_opts *ao,
			unsigned int jobs)
{
	struct pool p = { .c = c, .ao = ao };
	pthread_t th[64];
	unsigned int i, n = 0;

	pthread_mutex_init(&p.lock, NULL);
	jobs = BT_MAX(1u, BT_MIN(jobs, 64u));
	for (i = 1; i < jobs && i < c->nr; i++)
		if (!pthread_create(&th[n], NULL, worker, &p))
			n++;
	worker(&p);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.lock);
}

static void shard(struct corpus *c, unsigned int si, unsigned int sn)
{
	unsigned int i, k = 0;

	if (!sn)
		return;
	for (i = 0; i < c->nr; i++) {
		if (i % sn == si - 1) {
			c->it[k++] = c->it[i];
		} else {
			free(c->it[i].path);
		}
	}
	c->nr = k;
}

/* ---- comparing ---- */

static void tolerance(json_t *tols, const char *metric, double *abs_tol,
		      double *rel_tol)
{
	const char *k, *best = NULL;
	json_t *v, *t;

	json_object_foreach(tols, k, v) {
		if (!strncmp(metric, k, strlen(k)) &&
		    (!best || strlen(k) > strlen(best)))
			best = k;
	}
	t = json_object_get(tols, best ? best : "default");
	*abs_tol = json_number_value(json_object_get(t, "abs"));
	*rel_tol = json_number_value(json_object_get(t, "rel"));
}

static void print_move(FILE *f, const char *trace, const char *metric,
		       json_t *base, json_t *cur, const char *why)
{
	char b[32] = "-", c[32] = "-";

	if (base)
		snprintf(b, sizeof(b), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(base));
	if (cur)
		snprintf(c, sizeof(c), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(cur));
	fprintf(f, "  %-18.18s %-42.42s %10s %10s  %s\n", trace, metric, b, c,
		why);
}

static unsigned int compare_trace(FILE *f, const char *name, json_t *base,
				  json_t *cur, json_t *tols,
				  struct bt_check_result *res)
{
	unsigned int moved = 0;
	const char *k;
	json_t *bv, *cv;

	json_object_foreach(base, k, bv) {
		double at, rt, diff, lim;
		char why[64];

		cv = json_object_get(cur, k);
		if (!cv) {
			print_move(f, name, k, bv, NULL, "missing now");
			moved++;
			continue;
		}
		tolerance(tols, k, &at, &rt);
		diff = (double)json_integer_value(cv) -
		       (double)json_integer_value(bv);
		lim = fmax(at, rt * fabs((double)json_integer_value(bv)));
		if (fabs(diff) <= lim)
			continue;
		snprintf(why, sizeof(why), "%+.0f (tol %.0f)", diff, lim);
		print_move(f, name, k, bv, cv, why);
		moved++;
	}
	json_object_foreach(cur, k, cv)
		if (!json_object_get(base, k))
			res->added++;
	return moved;
}

static int load_json(const char *path, json_t **out)
{
	json_error_t je;

	*out = json_load_file(path, 0, &je);
	if (!*out) {
		bt_log(BT_LOG_ERROR, "cannot read '%s': %s (line %d)", path,
		       je.text, je.line);
		return access(path, F_OK) ? -ENOENT : BT_E_PARSE;
	}
	return 0;
}

static json_t *default_tolerances(void)
{
	json_t *t = json_object(), *d = json_object();

	/* Replays are deterministic: by default nothing may move. */
	json_object_set_new(d, "abs", json_integer(0));
	json_object_set_new(d, "rel", json_real(0));
	json_object_set_new(t, "default", d);
	return t;
}

/* Summaries of @c as {"name": {metric: value}} (a new reference). */
static json_t *summaries_of(const struct corpus *c)
{
	json_t *o = json_object();
	unsigned int i;

	for (i = 0; i < c->nr; i++)
		if (c->it[i].summary)
			json_object_set(o, c->it[i].name, c->it[i].summary);
	return o;
}

static int write_json(const char *path, json_t *doc)
{
	char tmp[4096];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	if (json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER))
		return -EIO;
	if (rename(tmp, path))
		return -errno;
	return 0;
}

static int merge_summaries(const struct bt_check_opts *o, json_t *into)
{
	unsigned int i;
	const char *k;
	json_t *doc, *v;
	int err;

	for (i = 0; i < o->nr_merge; i++) {
		err = load_json(o->merge[i], &doc);
		if (err)
			return err;
		json_object_foreach(json_object_get(doc, "summaries"), k, v)
			json_object_set(into, k, v);
		json_decref(doc);
	}
	return 0;
}

static int update_baseline(const struct bt_check_opts *o, json_t *base,
			   json_t *cur, bool whole)
{
	json_t *doc = json_object(), *traces, *tols;
	const char *k;
	json_t *v;
	int err;

	tols = base ? json_object_get(base, "tolerances") : NULL;
	traces = base ? json_deep_copy(json_object_get(base, "traces")) : NULL;
	if (!traces || whole)
		traces = (json_decref(traces), json_object());
	json_object_foreach(cur, k, v)
		json_object_set(traces, k, v);
	json_object_set_new(doc, "schema_version",
			    json_integer(BASELINE_SCHEMA));
	json_object_set_new(doc, "tolerances", tols ? json_incref(tols) :
			    default_tolerances());
	json_object_set_new(doc, "traces", traces);
	err = write_json(o->baseline, doc);
	json_decref(doc);
	return err;
}

static void compare_all(FILE *f, json_t *base, json_t *cur, bool all,
			struct bt_check_result *res)
{
	json_t *tols = json_object_get(base, "tolerances");
	json_t *btr = json_object_get(base, "traces");
	const char *k;
	json_t *v;

	fprintf(f, "  %-18s %-42s %10s %10s  %s\n", "trace", "metric",
		"baseline", "current", "change");
	json_object_foreach(cur, k, v) {
		json_t *b = json_object_get(btr, k);
		unsigned int m;

		res->traces++;
		if (!b) {
			print_move(f, k, "(whole trace)", NULL, NULL,
				   "not in the baseline: run --update");
			res->missing++;
			continue;
		}
		m = compare_trace(f, k, b, v, tols, res);
		res->moved += m;
	}
	if (all)
		json_object_foreach(btr, k, v)
			if (!json_object_get(cur, k)) {
				print_move(f, k, "(whole trace)", NULL, NULL,
					   "in the baseline, not in the corpus");
				res->missing++;
			}
	res->regression = res->moved || res->missing || res->failed;
}

static int run_corpus(const char *const *paths, unsigned int nr,
		      const struct bt_check_opts *o, FILE *f, json_t **cur,
		      bool *whole, struct bt_check_result *res)
{
	struct corpus c = { 0 };
	const char *bad = NULL;
	unsigned int i;
	int err;

	err = collect(&c, paths, nr, &bad);
	if (err) {
		bt_log(BT_LOG_ERROR, "cannot read '%s': %s", bad,
		       bt_strerror(err));
		corpus_release(&c);
		return err;
	}
	*whole = c.all_dirs && !o->shard_n;
	if (!c.nr) {
		bt_log(BT_LOG_ERROR, "no .bt trace in '%s'", paths[0]);
		corpus_release(&c);
		return -ENOENT;
	}
	shard(&c, o->shard_i, o->shard_n);
	analyze_all(&c, &o->analyze, o->jobs);
	for (i = 0; i < c.nr; i++) {
		if (!c.it[i].err)
			continue;
		fprintf(f, "  %-18.18s cannot analyze: %s\n", c.it[i].name,
			bt_strerror(c.it[i].err));
		res->failed++;
	}
	*cur = summaries_of(&c);
	corpus_release(&c);
	return 0;
}

int bt_check_run(const char *const *paths, unsigned int nr,
		 const struct bt_check_opts *o, FILE *report,
		 struct bt_check_result *res)
{
	json_t *base = NULL, *cur = NULL;
	bool whole = o->nr_merge > 0;
	int err;

	memset(res, 0, sizeof(*res));
	if (o->baseline && !(o->update && access(o->baseline, F_OK))) {
		err = load_json(o->baseline, &base);
		if (err)
			return err;
	}
	if (o->nr_merge) {
		cur = json_object();
		err = merge_summaries(o, cur);
	} else {
		err = run_corpus(paths, nr, o, report, &cur, &whole, res);
	}
	if (err)
		goto out;
	if (o->summary_out) {
		json_t *doc = json_object();

		json_object_set_new(doc, "schema_version",
				    json_integer(BASELINE_SCHEMA));
		json_object_set(doc, "summaries", cur);
		err = write_json(o->summary_out, doc);
		json_decref(doc);
		if (err)
			goto out;
	}
	if (o->update) {
		err = update_baseline(o, base, cur, whole);
		res->traces = (unsigned int)json_object_size(cur);
		res->regression = res->failed > 0;
		goto out;
	}
	if (base)
		compare_all(report, base, cur, whole, res);
	res->regression = res->regression || res->failed;
out:
	json_decref(base);
	json_decref(cur);
	return err;
}
