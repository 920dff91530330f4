// SPDX-License-Identifier: GPL-2.0-only
/*
 * buddytrace.c - main and the table of subcommands.
 *
 * Subcommands are data: one row each in BT_CMD_LIST (cli.h). Every command
 * is weakly referenced so that a build without one (a folder still being
 * written) reports it clearly instead of failing to link.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const char bt_version[] = "0.1.0";

#define BT_X_WEAK(name, summary) \
	extern int bt_cmd_##name(int argc, char **argv) __attribute__((weak));
BT_CMD_LIST(BT_X_WEAK)
#undef BT_X_WEAK

struct bt_cmd {
	const char *name;
	bt_cmd_fn fn;
	const char *summary;
};

static const struct bt_cmd commands[] = {
#define BT_X_ROW(name, summary) { #name, bt_cmd_##name, summary },
	BT_CMD_LIST(BT_X_ROW)
#undef BT_X_ROW
};

static const char *const log_prefix[] = {
	[BT_LOG_ERROR] = "error: ",
	[BT_LOG_WARN] = "warning: ",
	[BT_LOG_NOTE] = "note: ",
	[BT_LOG_DEBUG] = "debug: ",
};

static int verbosity;

static void log_sink(enum bt_log_level level, const char *msg, void *data)
{
	(void)data;
	if (level == BT_LOG_DEBUG && verbosity < 1)
		return;
	fprintf(stderr, "buddytrace: %s%s\n", log_prefix[level], msg);
}

void bt_cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "buddytrace %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int bt_cli_fail(const char *cmd, int err, const char *what,
		const char *subject)
{
	if (subject)
		bt_cli_error(cmd, "cannot %s '%s': %s", what, subject,
			     bt_strerror(err));
	else
		bt_cli_error(cmd, "cannot %s: %s", what, bt_strerror(err));
	return bt_exit_code(err);
}


static struct bt_buf held;
static const char *held_cmd;

static void hold_sink(enum bt_log_level level, const char *msg, void *data)
{
	(void)data;
	if (level == BT_LOG_DEBUG || held.len > (1u << 16))
		return;
	bt_buf_printf(&held, "buddytrace %s: %s%s\n", held_cmd,
		      log_prefix[level], msg);
}

void bt_cli_log_hold(const char *cmd)
{
	held_cmd = cmd;
	bt_log_set(hold_sink, NULL);
}

void bt_cli_log_release(bool show)
{
	if (show && held.len)
		fwrite(held.data, 1, held.len, stderr);
	bt_buf_release(&held);
}

int bt_cli_read_fail(const char *cmd, const char *path, int err)
{
	struct stat st;

	if (err == BT_E_BAD_MAGIC && !stat(path, &st) && st.st_size == 0) {
		bt_cli_error(cmd, "cannot read '%s': empty file", path);
		return BT_EXIT_DATAERR;
	}
	return bt_cli_fail(cmd, err, "read", path);
}

bool bt_cli_progress_enabled(void)
{
	const char *e = getenv("BUDDYTRACE_PROGRESS");

	if (e)
		return strcmp(e, "0") != 0;
	return isatty(STDERR_FILENO);
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: buddytrace [-v] [--version] <command> [<args>]\n\n"
		   "Record, replay and analyze the Linux page allocator.\n\n"
		   "commands:\n");
	for (i = 0; i < BT_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n'buddytrace <command> --help' describes a command; "
		   "see also buddytrace(1).\n"
		   "exit codes: 0 ok, 1 answer is no, 64 usage, 65 bad input, "
		   "66 no input,\n69 tracefs unavailable, 70 internal, "
		   "73 cannot create, 74 I/O, 77 permission\n");
}

int main(int argc, char **argv)
{
	int i = 1;
	size_t c;

	bt_log_set(log_sink, NULL);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("buddytrace %s\n", bt_version);
			return 0;
		}
		if (!strcmp(argv[i], "-v")) {
			verbosity++;
			continue;
		}
		fprintf(stderr, "buddytrace: unknown option '%s'\n", argv[i]);
		usage(stderr);
		return BT_EXIT_USAGE;
	}
	if (i >= argc) {
		usage(stderr);
		return BT_EXIT_USAGE;
	}
	for (c = 0; c < BT_ARRAY_SIZE(commands); c++) {
		if (strcmp(commands[c].name, argv[i]))
			continue;
		if (!commands[c].fn) {
			fprintf(stderr, "buddytrace: command '%s' is not part "
				"of this build\n", argv[i]);
			return BT_EXIT_SOFTWARE;
		}
		return commands[c].fn(argc - i, argv + i);
	}
	fprintf(stderr, "buddytrace: '%s' is not a command; see "
		"'buddytrace --help'\n", argv[i]);
	return BT_EXIT_USAGE;
}
