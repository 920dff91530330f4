/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli.h - the command layer's shared contract. Each subcommand is one
 * cmd-<name>.c in the folder it belongs to, holding option parsing and
 * glue only; buddytrace.c keeps the table. Only this layer prints and
 * exits.
 */
#ifndef BT_CLI_H
#define BT_CLI_H

#include "common/common.h"

/* A subcommand: argv[0] is the command name. Returns a process exit code. */
typedef int (*bt_cmd_fn)(int argc, char **argv);

#define BT_CMD_LIST(X)							\
	X(record, "record the page allocator of this host into a .bt file") \
	X(import, "convert trace.dat or ftrace text into a .bt file")	\
	X(info, "summarize a .bt file")					\
	X(dump, "print the events of a .bt file")			\
	X(zones, "show zones, watermarks, protection and pcp settings")	\
	X(replay, "run a trace through the reference allocator")	\
	X(analyze, "report recorded versus model behaviour")		\
	X(diff, "compare two replay summaries")				\
	X(export, "export counter tracks for ui.perfetto.dev")		\
	X(check, "check a corpus of traces against a baseline")

#define BT_X_DECL(name, summary) int bt_cmd_##name(int argc, char **argv);
BT_CMD_LIST(BT_X_DECL)
#undef BT_X_DECL

/* Print "buddytrace <cmd>: message" to stderr. */
void bt_cli_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Report a negative library error as one line and return the exit code
 * that suits it: "buddytrace <cmd>: cannot <what> '<subject>': <cause>".
 */
int bt_cli_fail(const char *cmd, int err, const char *what,
		const char *subject);

/*
 * Hold library warnings (damage found while reading) until the command
 * knows its outcome: when nothing is readable, the one-line error says it
 * all; otherwise bt_cli_log_release(true) prints them after the output.
 */
void bt_cli_log_hold(const char *cmd);
void bt_cli_log_release(bool show);

/*
 * Report that an input file could not be opened for reading and return the
 * exit code; an empty file gets its own words instead of "bad magic".
 */
int bt_cli_read_fail(const char *cmd, const char *path, int err);

/* True when stderr is a terminal (progress lines go there only then). */
bool bt_cli_progress_enabled(void);

/* The program's version string. */
extern const char bt_version[];

#endif
