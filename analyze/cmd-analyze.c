// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-analyze.c - `buddytrace analyze FILE`: option parsing and glue; the
 * analysis and the renderers live in analyze/.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "analyze/analyze.h"
#include "analyze/analyze-internal.h"
#include "replay/replay.h"

#define MAX_SETS 64

static const char usage_text[] =
	"usage: buddytrace analyze FILE [--format text|json|html] [-o REPORT]\n"
	"                          [--window A,B] [--mode all|recorded]\n"
	"                          [--set KNOB=VALUE]... [--profile 4.12|6.x]\n"
	"                          [--zoneinfo FILE]\n"
	"\n"
	"Report what the real system did (the recorded view, with a vmstat\n"
	"cross-check) and what the reference allocator says it would have\n"
	"done (mirror and model replays), side by side.\n"
	"\n"
	"  --format F       text (default), json, or html (one self-contained\n"
	"                   file with inline SVG charts; use with -o)\n"
	"  -o REPORT        write the report to REPORT instead of stdout\n"
	"  --window A,B     only the span between the first trace marker\n"
	"                   containing A and the next containing B, or between\n"
	"                   A and B seconds after the trace's first event\n"
	"  --mode M         all (default) or recorded (skip the replays)\n"
	"  --set K=V        replay knob, as for buddytrace replay\n"
	"  --profile P      kernel profile for the replay\n"
	"  --zoneinfo FILE  zoneinfo for traces without a zoneinfo snapshot\n"
	"\n"
	"Exit: 0 ok, 64 usage, 65 bad trace, 66 no such file, 70 the model\n"
	"replay died, 73 cannot create the report. See buddytrace-analyze(1).\n";

enum fmt { FMT_TEXT, FMT_JSON, FMT_HTML };

struct args {
	const char *file, *out, *sets[MAX_SETS];
	enum fmt fmt;
	struct bt_analyze_opts ao;
};

int bt_cli_analyze_opt(const char *cmd, const char *usage, int c,
		       const char *arg, const char *opt,
		       struct bt_analyze_opts *ao)
{
	switch (c) {
	case 'm':
		if (!strcmp(arg, "recorded"))
			ao->no_model = true;
		else if (strcmp(arg, "all"))
			return bt_cli_error(cmd, "unknown mode '%s' (all, "
					    "recorded)", arg), 64;
		return 0;
	case 'z':
		ao->zoneinfo = arg;
		return 0;
	case 'h':
		fputs(usage, stdout);
		return -1;
	default:
		bt_cli_error(cmd, "unknown option '%s'", opt);
		fputs(usage, stderr);
		return 64;
	}
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "window", required_argument, NULL, 'w' },
		{ "mode", required_argument, NULL, 'm' },
		{ "set", required_argument, NULL, 's' },
		{ "profile", required_argument, NULL, 'p' },
		{ "zoneinfo", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err;

	memset(a, 0, sizeof(*a));
	a->ao.sets = a->sets;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				a->fmt = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				a->fmt = FMT_JSON;
			else if (!strcmp(optarg, "html"))
				a->fmt = FMT_HTML;
			else
				return bt_cli_error("analyze", "unknown format "
					"'%s' (text, json, html)", optarg), 64;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'w':
			if (!strchr(optarg, ','))
				return bt_cli_error("analyze", "--window wants "
					"A,B, got '%s'", optarg), 64;
			a->ao.window = optarg;
			break;
		case 's':
			if (a->ao.nr_sets >= MAX_SETS)
				return bt_cli_error("analyze", "too many --set"),
				       64;
			a->sets[a->ao.nr_sets++] = optarg;
			break;
		case 'p':
			if (strcmp(optarg, "4.12") && strcmp(optarg, "6.x"))
				return bt_cli_error("analyze", "unknown profile "
					"'%s' (4.12, 6.x)", optarg), 64;
			a->ao.profile = optarg;
			break;
		default:
			err = bt_cli_analyze_opt("analyze", usage_text, c, optarg,
						 argv[optind - 1], &a->ao);
			if (err)
				return err;
			break;
		}
	}
	if (optind != argc - 1) {
		bt_cli_error("analyze", optind >= argc ? "no trace file given" :
			     "one trace file at a time");
		fputs(usage_text, stderr);
		return 64;
	}
	a->file = argv[optind];
	return 0;
}

struct progress {
	struct timespec t0;
	bool shown;
};

/* "analyze: 1048576 of 4000000 events (26%), 2.1 M events/s" on stderr. */
static void progress(uint64_t done, uint64_t total, void *data)
{
	struct progress *p = data;
	struct timespec now;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &now);
	s = (double)(now.tv_sec - p->t0.tv_sec) +
	    (double)(now.tv_nsec - p->t0.tv_nsec) / 1e9;
	if (s < 0.5)
		return;
	fprintf(stderr, "\ranalyze: %llu of %llu events (%.0f%%), %.1f M "
		"events/s ", (unsigned long long)done,
		(unsigned long long)total,
		total ? 100.0 * (double)done / (double)total : 0.0,
		(double)done / s / 1e6);
	p->shown = true;
}

static int render(const struct args *a, const struct bt_analysis *an,
		  FILE *f)
{
	switch (a->fmt) {
	case FMT_JSON:
		return bt_report_json(an, f);
	case FMT_HTML:
		return bt_report_html(an, f);
	default:
		return bt_report_text(an, f);
	}
}

int bt_cmd_analyze(int argc, char **argv)
{
	struct bt_analysis *an = NULL;
	struct progress pg = { .shown = false };
	struct args a;
	FILE *f = stdout;
	int ret, err;

	ret = parse_args(argc, argv, &a);
	if (ret)
		return ret < 0 ? 0 : ret;
	for (unsigned int i = 0; i < a.ao.nr_sets; i++) {
		struct bt_replay_knobs k;

		memset(&k, 0, sizeof(k));
		err = bt_replay_knob_set(&k, a.sets[i]);
		if (err)
			return bt_cli_error("analyze", "bad --set '%s': %s",
					    a.sets[i], bt_strerror(err)), 64;
	}
	if (bt_cli_progress_enabled()) {
		clock_gettime(CLOCK_MONOTONIC, &pg.t0);
		a.ao.progress = progress;
		a.ao.progress_data = &pg;
	}
	a.ao.model_process = true;
	a.ao.exit_after = true;		/* main() returns after this */
	err = bt_analyze_file(a.file, &a.ao, &an);
	if (pg.shown)
		fputs("\r\033[K", stderr);
	if (err == BT_E_USAGE && a.ao.window) {
		bt_cli_error("analyze", "window '%s': no such marker or span "
			     "in '%s'", a.ao.window, a.file);
		return BT_EXIT_USAGE;
	}
	if (err == BT_E_INTERNAL) {
		bt_cli_error("analyze", "'%s': %s", a.file, bt_strerror(err));
		return bt_exit_code(err);
	}
	if (err == -EISDIR) {
		bt_cli_error("analyze", "cannot read '%s': is a directory",
			     a.file);
		return BT_EXIT_NOINPUT;
	}
	if (err)
		return bt_cli_read_fail("analyze", a.file, err);
	if (a.out && strcmp(a.out, "-")) {
		f = fopen(a.out, "w");
		if (!f) {
			err = -errno;
			bt_analysis_free(an);
			bt_cli_error("analyze", "cannot create '%s': %s", a.out,
				     strerror(-err));
			return BT_EXIT_CANTCREAT;
		}
	}
	err = render(&a, an, f);
	if (f == stdout) {
		if (fflush(stdout) && !err)
			err = -EIO;
	} else if (fclose(f) && !err) {
		err = -EIO;
	}
	bt_analysis_free(an);
	if (err)
		return bt_cli_fail("analyze", err, "write",
				   a.out ? a.out : "stdout");
	return 0;
}
