// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-diff.c - `buddytrace diff RUN_A RUN_B`: compare two replay JSON
 * summaries (`replay --json` outputs) leaf by leaf and print a table of
 * what differs: metric (a JSON path), A, B and, for numbers, B - A.
 * Exit 0 when they are equal, 1 when they differ.
 *
 * Both documents are flattened into (path, value) pairs in their own key
 * order (jansson with JSON_PRESERVE_ORDER), so the table follows the
 * summary's layout and is the same on every run.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const cmd = "diff";

struct leaf {
	char *path;
	json_t *v;		/* borrowed from the document */
};

struct leaves {
	struct leaf *l;
	size_t nr, cap;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: buddytrace diff [--all] RUN_A RUN_B\n\n"
"Compare two replay summaries (buddytrace replay --json) and print what\n"
"differs: metric, A, B, delta. Exit 0 when equal, 1 when they differ.\n\n"
"  --all   print every differing metric (default: the first 100)\n\n"
"See buddytrace-diff(1).\n");
}

static void add_leaf(struct leaves *ls, const char *path, json_t *v)
{
	if (ls->nr == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 256;
		ls->l = bt_xrealloc(ls->l, ls->cap * sizeof(*ls->l));
	}
	ls->l[ls->nr].path = bt_xstrdup(path);
	ls->l[ls->nr].v = v;
	ls->nr++;
}

static void flatten(struct leaves *ls, struct bt_buf *path, json_t *v)
{
	size_t keep = path->len;
	const char *k;
	json_t *c;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, c) {
			bt_buf_printf(path, "%s%s", keep ? "." : "", k);
			flatten(ls, path, c);
			path->len = keep;
			path->data[keep] = 0;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, c) {
			bt_buf_printf(path, "[%zu]", i);
			flatten(ls, path, c);
			path->len = keep;
			path->data[keep] = 0;
		}
	} else {
		add_leaf(ls, path->len ? (const char *)path->data : "", v);
	}
}

static int load(const char *file, json_t **doc, struct leaves *ls)
{
	json_error_t je;
	struct bt_buf path;

	*doc = json_load_file(file, JSON_PRESERVE_ORDER, &je);
	if (!*doc) {
		FILE *f = fopen(file, "r");

		if (!f) {
			bt_cli_fail(cmd, -errno, "read", file);
			return errno == ENOENT ? BT_EXIT_NOINPUT
					       : BT_EXIT_NOPERM;
		}
		fclose(f);
		bt_cli_error(cmd, "cannot read '%s': line %d: %s", file,
			     je.line, je.text);
		return BT_EXIT_DATAERR;
	}
	if (!json_is_object(*doc) || !json_object_get(*doc, "schema_version")) {
		bt_cli_error(cmd, "cannot read '%s': not a replay summary "
			     "(no schema_version)", file);
		return BT_EXIT_DATAERR;
	}
	bt_buf_init(&path);
	bt_buf_reserve(&path, 64);
	path.data[0] = 0;
	flatten(ls, &path, *doc);
	bt_buf_release(&path);
	return 0;
}

static const struct leaf *find(const struct leaves *ls, const char *path,
			       size_t hint)
{
	if (hint < ls->nr && !strcmp(ls->l[hint].path, path))
		return &ls->l[hint];
	for (size_t i = 0; i < ls->nr; i++)
		if (!strcmp(ls->l[i].path, path))
			return &ls->l[i];
	return NULL;
}

static void fmt_value(char *buf, size_t n, json_t *v)
{
	if (!v)
		snprintf(buf, n, "-");
	else if (json_is_integer(v))
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, n, "%.6f", json_real_value(v));
	else if (json_is_string(v))
		snprintf(buf, n, "%s", json_string_value(v));
	else if (json_is_true(v))
		snprintf(buf, n, "true");
	else if (json_is_false(v))
		snprintf(buf, n, "false");
	else
		snprintf(buf, n, "null");
}

static void print_row(const char *path, json_t *a, json_t *b)
{
	char sa[64], sb[64], sd[64] = "";

	fmt_value(sa, sizeof(sa), a);
	fmt_value(sb, sizeof(sb), b);
	if (a && b && json_is_integer(a) && json_is_integer(b))
		snprintf(sd, sizeof(sd), "%+" JSON_INTEGER_FORMAT,
			 json_integer_value(b) - json_integer_value(a));
	else if (a && b && json_is_number(a) && json_is_number(b))
		snprintf(sd, sizeof(sd), "%+.6f",
			 json_number_value(b) - json_number_value(a));
	printf("%-44.44s %17.17s %17.17s %17.17s\n", path, sa, sb, sd);
}

/* Rows that differ, A's order then B's extra paths; returns the count. */
static size_t compare(const struct leaves *la, const struct leaves *lb,
		      size_t limit)
{
	size_t nd = 0;

	for (size_t i = 0; i < la->nr; i++) {
		const struct leaf *b = find(lb, la->l[i].path, i);

		if (b && json_equal(la->l[i].v, b->v))
			continue;
		if (nd++ < limit)
			print_row(la->l[i].path, la->l[i].v, b ? b->v : NULL);
	}
	for (size_t i = 0; i < lb->nr; i++) {
		if (find(la, lb->l[i].path, i))
			continue;
		if (nd++ < limit)
			print_row(lb->l[i].path, NULL, lb->l[i].v);
	}
	return nd;
}

static void free_leaves(struct leaves *ls)
{
	for (size_t i = 0; i < ls->nr; i++)
		free(ls->l[i].path);
	free(ls->l);
}

int bt_cmd_diff(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct leaves la = { 0 }, lb = { 0 };
	json_t *da = NULL, *db = NULL;
	size_t limit = 100, nd;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return BT_EXIT_OK;
		}
		if (c == 'a') {
			limit = SIZE_MAX;
			continue;
		}
		bt_cli_error(cmd, "unknown option '%s'", argv[optind - 1]);
		usage(stderr);
		return BT_EXIT_USAGE;
	}
	if (argc - optind != 2) {
		bt_cli_error(cmd, "give two replay summaries");
		usage(stderr);
		return BT_EXIT_USAGE;
	}
	ret = load(argv[optind], &da, &la);
	if (!ret)
		ret = load(argv[optind + 1], &db, &lb);
	if (ret)
		goto out;
	printf("%-44s %17s %17s %17s\n", "metric", "A", "B", "delta");
	nd = compare(&la, &lb, limit);
	if (nd > limit)
		printf("... and %zu more (--all prints every one)\n",
		       nd - limit);
	printf("%zu metric%s differ%s\n", nd, nd == 1 ? "" : "s",
	       nd == 1 ? "s" : "");
	ret = nd ? BT_EXIT_NO : BT_EXIT_OK;
out:
	free_leaves(&la);
	free_leaves(&lb);
	json_decref(da);
	json_decref(db);
	return ret;
}
