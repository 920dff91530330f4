// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-check.c - `buddytrace check CORPUS... --baseline B.json`: option
 * parsing and glue around bt_check_run().
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "analyze/analyze.h"
#include "replay/replay.h"

#define MAX_LIST 256

static const char usage_text[] =
	"usage: buddytrace check CORPUS... --baseline B.json [--jobs N]\n"
	"                        [--shard I/N] [--update] [--summary-out F]\n"
	"                        [--set KNOB=VALUE]... [--profile 4.12|6.x]\n"
	"       buddytrace check --merge F... --baseline B.json\n"
	"\n"
	"Analyze every trace (a .bt file, or each *.bt of a directory),\n"
	"compare its summary with the baseline under the tolerances the\n"
	"baseline holds, print what moved, exit 1 on a regression.\n"
	"\n"
	"  --baseline B     the baseline JSON file\n"
	"  --update         rewrite the baseline from this run (tolerances kept)\n"
	"  --jobs N         analyze N traces at a time\n"
	"  --shard I/N      only traces I, I+N, ... (1-based) of the sorted list\n"
	"  --summary-out F  write this run's summaries to F (for --merge)\n"
	"  --merge F...     compare summaries written by shards instead\n"
	"  --set K=V        replay knob for every trace\n"
	"\n"
	"Exit: 0 nothing moved, 1 regression, 64 usage, 65 bad baseline,\n"
	"66 no such file. See buddytrace-check(1).\n";

struct args {
	const char *paths[MAX_LIST], *merge[MAX_LIST], *sets[MAX_LIST];
	unsigned int nr_paths;
	struct bt_check_opts o;
};

static int parse_shard(const char *s, unsigned int *i, unsigned int *n)
{
	const char *slash = strchr(s, '/');
	int a, b;

	if (!slash || bt_parse_int(s, slash - s, 10, &a) ||
	    bt_parse_int(slash + 1, -1, 10, &b) || b < 1 || a < 1 || a > b)
		return -1;
	*i = (unsigned int)a;
	*n = (unsigned int)b;
	return 0;
}

static int bad(const char *fmt, const char *arg)
{
	bt_cli_error("check", fmt, arg);
	return BT_EXIT_USAGE;
}

static int take(const char **list, unsigned int *nr, const char *v)
{
	if (*nr >= MAX_LIST)
		return bad("too many arguments (%s)", v);
	list[(*nr)++] = v;
	return 0;
}

static int parse_opt(int c, struct args *a)
{
	struct bt_replay_knobs k;
	int v;

	switch (c) {
	case 'b':
		a->o.baseline = optarg;
		return 0;
	case 'u':
		a->o.update = true;
		return 0;
	case 'j':
		if (bt_parse_int(optarg, -1, 10, &v) || v < 1 || v > 64)
			return bad("--jobs wants 1..64, got '%s'", optarg);
		a->o.jobs = (unsigned int)v;
		return 0;
	case 'S':
		if (parse_shard(optarg, &a->o.shard_i, &a->o.shard_n))
			return bad("--shard wants I/N with 1 <= I <= N, got "
				   "'%s'", optarg);
		return 0;
	case 'O':
		a->o.summary_out = optarg;
		return 0;
	case 'M':
		return take(a->merge, &a->o.nr_merge, optarg);
	case 's':
		memset(&k, 0, sizeof(k));
		if (bt_replay_knob_set(&k, optarg))
			return bad("bad --set '%s'", optarg);
		return take(a->sets, &a->o.analyze.nr_sets, optarg);
	case 'p':
		a->o.analyze.profile = optarg;
		return 0;
	default:
		return bad("unknown option '%s'", optarg ? optarg : "?");
	}
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "baseline", required_argument, NULL, 'b' },
		{ "update", no_argument, NULL, 'u' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, 'S' },
		{ "summary-out", required_argument, NULL, 'O' },
		{ "merge", required_argument, NULL, 'M' },
		{ "set", required_argument, NULL, 's' },
		{ "profile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "-hj:", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return -1;
		}
		if (c == 1) {	/* a positional argument */
			if (a->o.nr_merge && !a->nr_paths)
				err = take(a->merge, &a->o.nr_merge, optarg);
			else
				err = take(a->paths, &a->nr_paths, optarg);
		} else if (c == '?') {
			err = bad("unknown option '%s'", argv[optind - 1]);
		} else {
			err = parse_opt(c, a);
		}
		if (err)
			return err;
	}
	if (!a->o.baseline && !a->o.summary_out)
		return bad("%s", "--baseline B.json (or --summary-out F) wanted");
	if (!a->nr_paths && !a->o.nr_merge)
		return bad("%s", "no corpus given");
	if (a->nr_paths && a->o.nr_merge)
		return bad("%s", "give a corpus or --merge, not both");
	return 0;
}

int bt_cmd_check(int argc, char **argv)
{
	struct bt_check_result res;
	struct args a;
	int err;

	memset(&a, 0, sizeof(a));
	a.o.jobs = 1;
	a.o.merge = a.merge;
	a.o.analyze.sets = a.sets;
	err = parse_args(argc, argv, &a);
	if (err) {
		if (err > 0)
			fputs(usage_text, stderr);
		return err < 0 ? 0 : err;
	}
	err = bt_check_run(a.paths, a.nr_paths, &a.o, stdout, &res);
	if (err)
		return bt_cli_fail("check", err, "check",
				   a.o.baseline ? a.o.baseline : NULL);
	if (a.o.update) {
		printf("check: baseline '%s' updated from %u traces\n",
		       a.o.baseline, res.traces);
		return res.failed ? BT_EXIT_NO : 0;
	}
	printf("check: %u traces, %u metrics moved, %u traces missing, "
	       "%u failed, %u new metrics: %s\n", res.traces, res.moved,
	       res.missing, res.failed, res.added,
	       res.regression ? "REGRESSION" : "ok");
	return res.regression ? BT_EXIT_NO : 0;
}
