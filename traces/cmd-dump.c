// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-dump.c - `buddytrace dump FILE`: print the events of a .bt file as
 * text close to `trace-cmd report`, JSON Lines or CSV, filtered by event,
 * pid, CPU and time range; or its /proc snapshots with --snapshots.
 * Output into a closed pipe (`| head`) ends the command quietly.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "traces/traces.h"

static const char usage_text[] =
	"usage: buddytrace dump FILE [--format text|jsonl|csv|none]\n"
	"                       [--event NAME[,NAME...]]... [--pid PID]\n"
	"                       [--cpu CPU] [--from T] [--to T] [--snapshots]\n\n"
	"Print the events of a .bt trace in time order.\n\n"
	"  -f, --format F     text (like trace-cmd report), jsonl, csv, or\n"
	"                     none (read and filter only, for timing)\n"
	"  -e, --event NAMES  only these events: tracepoint names, system:name\n"
	"                     or whole systems (kmem, compaction, vmscan, oom,\n"
	"                     ftrace, buddytrace); repeatable; --filter is the\n"
	"                     same option\n"
	"  --pid PID          only events of this task\n"
	"  --cpu CPU          only events of this CPU\n"
	"  --from T, --to T   time range, inclusive: seconds with a decimal\n"
	"                     point or an s suffix (993.5, 993s), else ns;\n"
	"                     ms, us and ns suffixes work too\n"
	"  --snapshots        print the /proc snapshots instead of events\n"
	"  -h, --help         this help\n";

struct dump_opts {
	const char *path;
	enum bt_dump_format fmt;
	struct bt_dump_filter filter;
	bool snapshots;
};

static int parse_format(const char *s, enum bt_dump_format *fmt)
{
	static const struct {
		const char *name;
		enum bt_dump_format fmt;
	} names[] = { { "text", BT_DUMP_TEXT }, { "jsonl", BT_DUMP_JSONL },
		      { "csv", BT_DUMP_CSV }, { "none", BT_DUMP_NONE } };
	size_t i;

	for (i = 0; i < BT_ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i].name)) {
			*fmt = names[i].fmt;
			return 0;
		}
	}
	return BT_E_USAGE;
}

/* "993.038", "993s", "5ms", "12us", "993038000000ns" or plain ns. */
static int parse_time(const char *s, uint64_t *out)
{
	static const struct {
		const char *suffix;
		uint64_t mult;
		int digits;
	} units[] = { { "ns", 1, 0 }, { "us", 1000, 3 }, { "ms", 1000000, 6 },
		      { "s", 1000000000, 9 } };
	size_t len = strlen(s), i, n;
	const char *dot = strchr(s, '.');
	uint64_t whole, frac = 0, mult = 1;
	int digits = 0;

	for (i = 0; i < BT_ARRAY_SIZE(units); i++) {
		n = strlen(units[i].suffix);
		if (len > n && !strcmp(s + len - n, units[i].suffix)) {
			len -= n;
			mult = units[i].mult;
			digits = units[i].digits;
			break;
		}
	}
	if (dot && i == BT_ARRAY_SIZE(units)) {
		mult = 1000000000;	/* a decimal point means seconds */
		digits = 9;
	}
	n = dot ? (size_t)(dot - s) : len;
	if (bt_parse_u64(s, (long)n, 10, &whole))
		return BT_E_USAGE;
	if (dot) {
		size_t fl = len - n - 1;
		char buf[16] = "000000000";

		if (!fl || fl > (size_t)digits)
			return BT_E_USAGE;
		memcpy(buf, dot + 1, fl);
		buf[digits] = '\0';
		if (bt_parse_u64(buf, -1, 10, &frac))
			return BT_E_USAGE;
	}
	if (whole > UINT64_MAX / mult)
		return BT_E_USAGE;
	*out = whole * mult + frac;
	return 0;
}

static int usage_error(const char *fmt, const char *arg)
{
	bt_cli_error("dump", fmt, arg);
	fputs(usage_text, stderr);
	return BT_EXIT_USAGE;
}

static int parse_opt(int c, const char *arg, struct dump_opts *o)
{
	struct bt_dump_filter *f = &o->filter;
	char bad[96];
	uint64_t v;

	switch (c) {
	case 'f':
		return parse_format(arg, &o->fmt) ?
		       usage_error("unknown format '%s'", arg) : 0;
	case 'e':
		return bt_dump_filter_types(f, arg, bad, sizeof(bad)) ?
		       usage_error("unknown event '%s'", bad) : 0;
	case 'p':
		f->have_pid = true;
		return bt_parse_int(arg, -1, 10, &f->pid) ?
		       usage_error("bad pid '%s'", arg) : 0;
	case 'c':
		f->have_cpu = true;
		if (bt_parse_u64(arg, -1, 10, &v) || v > UINT32_MAX)
			return usage_error("bad cpu '%s'", arg);
		f->cpu = (uint32_t)v;
		return 0;
	case 'F':
		return parse_time(arg, &f->from) ?
		       usage_error("bad time '%s'", arg) : 0;
	case 'T':
		return parse_time(arg, &f->to) ?
		       usage_error("bad time '%s'", arg) : 0;
	case 's':
		o->snapshots = true;
		return 0;
	default:
		return usage_error("unknown option '%s'", arg);
	}
}

static int parse_args(int argc, char **argv, struct dump_opts *o)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "event", required_argument, NULL, 'e' },
		{ "filter", required_argument, NULL, 'e' },
		{ "pid", required_argument, NULL, 'p' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "snapshots", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:e:h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return -1;
		}
		rc = parse_opt(c == '?' ? 0 : c,
			       c == '?' ? argv[optind - 1] : optarg, o);
		if (rc)
			return rc;
	}
	if (optind + 1 != argc) {
		fputs(usage_text, stderr);
		return BT_EXIT_USAGE;
	}
	o->path = argv[optind];
	if (o->filter.to && o->filter.to < o->filter.from)
		return usage_error("empty time range%s", "");
	return 0;
}

/* A write error: a closed pipe ends the command quietly. */
static int output_error(int err)
{
	if (err == -EPIPE)
		return BT_EXIT_OK;
	bt_cli_error("dump", "cannot write output: %s", bt_strerror(err));
	return BT_EXIT_IOERR;
}

static int dump_events(struct bt_reader *r, const struct dump_opts *o,
		       uint64_t *nr)
{
	struct bt_dumper *d = bt_dumper_new(stdout, o->fmt, r, &o->filter);
	struct bt_event ev;
	int rc, err = 0;

	if (!d)
		return -errno;
	if (o->filter.from)
		bt_reader_seek(r, o->filter.from);
	while ((rc = bt_reader_next(r, &ev)) == 1) {
		(*nr)++;
		if (o->filter.to && ev.ts > o->filter.to) {
			rc = 0;
			break;
		}
		if (!bt_dump_match(&o->filter, &ev))
			continue;
		err = bt_dumper_event(d, &ev);
		if (err)
			break;
	}
	bt_dumper_free(d);
	return err ? err : rc;
}

int bt_cmd_dump(int argc, char **argv)
{
	static char obuf[1 << 16];
	struct dump_opts o = { .fmt = BT_DUMP_TEXT };
	struct bt_damage d;
	struct bt_reader *r;
	uint64_t nr = 0;
	int rc, err;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? BT_EXIT_OK : rc;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	bt_cli_log_hold("dump");
	r = bt_reader_open(o.path, &err);
	if (!r) {
		bt_cli_log_release(false);
		return bt_cli_read_fail("dump", o.path, err);
	}
	if (o.snapshots)
		err = bt_dump_snapshots(stdout, o.fmt, r, &o.filter);
	else
		err = dump_events(r, &o, &nr);
	bt_reader_damage(r, &d);
	bt_reader_close(r);
	if (!err && fflush(stdout))
		err = -errno;
	if (!err && !o.snapshots && !nr && (d.bad_chunks || d.truncated)) {
		bt_cli_log_release(false);
		bt_cli_error("dump", "cannot read '%s': no whole event chunk "
			     "left (%s)", o.path, d.bad_chunks ?
			     "checksum mismatch" : "file truncated");
		return BT_EXIT_DATAERR;
	}
	bt_cli_log_release(err != -EPIPE);
	if (err && err > -4096)
		return output_error(err);
	if (err)
		return bt_cli_read_fail("dump", o.path, err);
	return BT_EXIT_OK;
}
