// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-export.c - `buddytrace export FILE --perfetto OUT.json`: option
 * parsing and glue around bt_export_perfetto().
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "analyze/analyze.h"
#include "analyze/analyze-internal.h"

static const char usage_text[] =
	"usage: buddytrace export FILE --perfetto OUT.json [--mode all|recorded]\n"
	"                         [--window A,B] [--zoneinfo FILE]\n"
	"\n"
	"Write Chrome JSON trace events that ui.perfetto.dev opens: counter\n"
	"tracks of free pages per zone and order, allocations, allocations/s,\n"
	"fallbacks and slow-path evidence, and slices of direct reclaim,\n"
	"compaction and kswapd activity. OUT.json '-' is stdout.\n"
	"\n"
	"  --mode recorded  skip the replay (free pages come from snapshots)\n"
	"\n"
	"Exit: 0 ok, 64 usage, 65 bad trace, 66 no such file, 70 the model\n"
	"replay died, 73 cannot create the output. See buddytrace-export(1).\n";

static int parse(int argc, char **argv, const char **file, const char **out,
		 struct bt_analyze_opts *ao)
{
	static const struct option longopts[] = {
		{ "perfetto", required_argument, NULL, 'P' },
		{ "mode", required_argument, NULL, 'm' },
		{ "window", required_argument, NULL, 'w' },
		{ "zoneinfo", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'P':
			*out = optarg;
			break;
		case 'w':
			ao->window = optarg;
			break;
		default:
			err = bt_cli_analyze_opt("export", usage_text, c, optarg,
						 argv[optind - 1], ao);
			if (err)
				return err;
			break;
		}
	}
	if (optind != argc - 1 || !*out) {
		bt_cli_error("export", optind != argc - 1 ?
			     "one trace file wanted" : "--perfetto OUT.json "
			     "wanted");
		fputs(usage_text, stderr);
		return 64;
	}
	*file = argv[optind];
	return 0;
}

int bt_cmd_export(int argc, char **argv)
{
	struct bt_analyze_opts ao;
	struct bt_analysis *an;
	const char *file = NULL, *out = NULL;
	FILE *f = stdout;
	int err;

	memset(&ao, 0, sizeof(ao));
	err = parse(argc, argv, &file, &out, &ao);
	if (err)
		return err < 0 ? 0 : err;
	ao.model_process = true;
	ao.exit_after = true;		/* main() returns after this */
	err = bt_analyze_file(file, &ao, &an);
	if (err == BT_E_USAGE && ao.window) {
		bt_cli_error("export", "window '%s': no such marker or span "
			     "in '%s'", ao.window, file);
		return BT_EXIT_USAGE;
	}
	if (err == BT_E_INTERNAL) {
		bt_cli_error("export", "'%s': %s", file, bt_strerror(err));
		return bt_exit_code(err);
	}
	if (err)
		return bt_cli_read_fail("export", file, err);
	if (strcmp(out, "-") && !(f = fopen(out, "w"))) {
		bt_cli_error("export", "cannot create '%s': %s", out,
			     strerror(errno));
		bt_analysis_free(an);
		return BT_EXIT_CANTCREAT;
	}
	err = bt_export_perfetto(an, f);
	if (f == stdout) {
		if (fflush(stdout) && !err)
			err = -EIO;
	} else if (fclose(f) && !err) {
		err = -EIO;
	}
	bt_analysis_free(an);
	if (err)
		return bt_cli_fail("export", err, "write", out);
	return 0;
}
