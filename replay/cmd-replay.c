// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-replay.c - `buddytrace replay`: option parsing and output glue
 * around bt_replay_run(). The summary goes to stdout as text or JSON;
 * --events streams one JSON line per event instead (the summary then
 * goes to stderr as text, or follows the events as the last line with
 * --json). Progress lines go to stderr on a terminal.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "replay/replay.h"
#include "traces/traces.h"

static const char *const cmd = "replay";

static void usage(FILE *f)
{
	fprintf(f,
"usage: buddytrace replay FILE [--mode mirror|model] [--set KNOB=VALUE ...]\n"
"                         [--profile 4.12|6.x] [--zoneinfo FILE] [--events]\n"
"                         [--json] [--window A,B] [--sample-ms N]\n\n"
"Run a .bt trace through the reference allocator and print a summary.\n\n"
"  --mode mirror     apply the recorded placements, judge each allocation\n"
"                    and compare with every buddyinfo snapshot (default)\n"
"  --mode model      let the model place every allocation\n"
"  --set KNOB=VALUE  min_free_kbytes, watermark_scale_factor,\n"
"                    watermark_boost_factor, pcp_high, pcp_batch,\n"
"                    pageblock_order, extfrag_threshold,\n"
"                    compaction_proactiveness, fallback_policy\n"
"                    (kernel|largest|claim_steal|none), test_break_fallback\n"
"  --profile P       kernel rules: 4.12 or 6.x (default: from the trace)\n"
"  --zoneinfo FILE   /proc/zoneinfo text to use instead of the trace's\n"
"  --events          one JSON line per event on stdout\n"
"  --json            the summary as JSON\n"
"  --window A,B      count only events between A and B: times in seconds\n"
"                    of the trace clock, or trace_marker texts\n"
"  --sample-ms N     a state sample every N ms of trace time\n\n"
"See buddytrace-replay(1).\n");
}

struct out_state {
	struct bt_buf buf;
	int err;
};

static void flush_out(struct out_state *o)
{
	if (o->buf.len && fwrite(o->buf.data, 1, o->buf.len, stdout) !=
	    o->buf.len)
		o->err = -EIO;
	o->buf.len = 0;
}

static void on_decision(const struct bt_replay_decision *d, void *data)
{
	struct out_state *o = data;

	if (bt_replay_decision_json(d, &o->buf) ||
	    bt_buf_append(&o->buf, "\n", 1))
		o->err = -ENOMEM;
	if (o->buf.len > (1u << 16))
		flush_out(o);
}

struct progress {
	struct timespec start;
};

static void on_progress(uint64_t done, uint64_t total, void *data)
{
	struct progress *p = data;
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - p->start.tv_sec) +
	       (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
	fprintf(stderr, "\rreplay: %" PRIu64 " events", done);
	if (total)
		fprintf(stderr, " (%.0f%%)", 100.0 * (double)done /
			(double)total);
	if (secs > 0)
		fprintf(stderr, ", %.1f M events/s", (double)done / secs / 1e6);
	fputs("   ", stderr);
	fflush(stderr);
}

/*
 * A time in seconds to ns: "12345.5" on the trace clock, "+2.5" after
 * the first event (@first); false when not a number.
 */
static bool parse_secs(const char *s, size_t len, uint64_t first,
		       uint64_t *ns)
{
	bool rel = len && s[0] == '+';
	char tmp[64];
	double d;

	if (rel) {
		s++;
		len--;
	}
	if (!len || len >= sizeof(tmp))
		return false;
	memcpy(tmp, s, len);
	tmp[len] = 0;
	if (bt_parse_double(tmp, &d) || d < 0 || d > 1.8e10)
		return false;
	*ns = (uint64_t)(d * 1e9 + 0.5) + (rel ? first : 0);
	return true;
}

/* Time of the first trace_marker write containing text; false if none. */
static bool find_marker(struct bt_reader *r, const char *text, size_t len,
			uint64_t after, uint64_t *ts)
{
	struct bt_event ev;

	if (bt_reader_rewind(r))
		return false;
	while (bt_reader_next(r, &ev) > 0) {
		if (ev.type != BT_EV_PRINT || ev.ts < after || !ev.str)
			continue;
		if (memmem(ev.str, ev.str_len, text, len)) {
			*ts = ev.ts;
			return true;
		}
	}
	return false;
}

static int parse_window(struct bt_reader *r, const char *w,
			struct bt_replay_opts *o)
{
	const char *comma = strchr(w, ',');
	struct bt_trace_stats st;
	uint64_t first = 0;
	const char *b;
	size_t la, lb;

	if (!comma)
		return BT_E_USAGE;
	if (!bt_reader_stats(r, &st))
		first = st.first_ts;
	la = (size_t)(comma - w);
	b = comma + 1;
	lb = strlen(b);
	if (la && !parse_secs(w, la, first, &o->t0) &&
	    !find_marker(r, w, la, 0, &o->t0))
		return BT_E_RANGE;
	if (lb && !parse_secs(b, lb, first, &o->t1) &&
	    !find_marker(r, b, lb, o->t0, &o->t1))
		return BT_E_RANGE;
	if (lb && o->t1 < o->t0)
		return BT_E_RANGE;
	return 0;
}

struct args {
	const char *file;
	const char *zoneinfo;
	const char *window;
	bool events, json;
	struct bt_replay_opts o;
};

enum { OPT_MODE = 256, OPT_SET, OPT_PROFILE, OPT_ZONEINFO, OPT_EVENTS,
       OPT_JSON, OPT_WINDOW, OPT_SAMPLE, OPT_HELP };

static int parse_opt(struct args *a, int c, const char *arg)
{
	int64_t lo, hi;
	uint64_t ms;
	int err;

	switch (c) {
	case OPT_MODE:
		if (!strcmp(arg, "mirror"))
			a->o.mode = BT_REPLAY_MIRROR;
		else if (!strcmp(arg, "model"))
			a->o.mode = BT_REPLAY_MODEL;
		else
			goto bad;
		return 0;
	case OPT_SET:
		err = bt_replay_knob_set(&a->o.knobs, arg);
		if (err == BT_E_RANGE) {
			for (unsigned int k = 0; k < BT_KNOB_COUNT; k++) {
				const char *n = bt_replay_knob_name(k);

				if (strncmp(arg, n, strlen(n)) ||
				    arg[strlen(n)] != '=')
					continue;
				bt_replay_knob_range(k, &lo, &hi);
				bt_cli_error(cmd, "knob '%s' out of range %"
					     PRId64 "..%" PRId64, arg, lo, hi);
			}
			return BT_EXIT_USAGE;
		}
		if (err) {
			bt_cli_error(cmd, "unknown or malformed knob '%s' "
				     "(see --help)", arg);
			return BT_EXIT_USAGE;
		}
		return 0;
	case OPT_PROFILE:
		if (!strcmp(arg, "4.12"))
			a->o.profile = BT_REPLAY_PROFILE_4_12;
		else if (!strcmp(arg, "6.x") || !strcmp(arg, "6"))
			a->o.profile = BT_REPLAY_PROFILE_6_X;
		else
			goto bad;
		return 0;
	case OPT_ZONEINFO:
		a->zoneinfo = arg;
		return 0;
	case OPT_EVENTS:
		a->events = true;
		return 0;
	case OPT_JSON:
		a->json = true;
		return 0;
	case OPT_WINDOW:
		a->window = arg;
		return 0;
	case OPT_SAMPLE:
		if (bt_parse_u64(arg, -1, 10, &ms) || !ms || ms > 86400000)
			goto bad;
		a->o.sample_interval_ns = ms * 1000000;
		return 0;
	default:
		usage(stderr);
		return BT_EXIT_USAGE;
	}
bad:
	bt_cli_error(cmd, "invalid value '%s'", arg);
	return BT_EXIT_USAGE;
}

static int parse_args(struct args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "set", required_argument, NULL, OPT_SET },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "zoneinfo", required_argument, NULL, OPT_ZONEINFO },
		{ "events", no_argument, NULL, OPT_EVENTS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "sample-ms", required_argument, NULL, OPT_SAMPLE },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	memset(a, 0, sizeof(*a));
	bt_replay_opts_init(&a->o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP) {
			usage(stdout);
			return -1;
		}
		if (c == '?') {
			bt_cli_error(cmd, "unknown option '%s'",
				     argv[optind - 1]);
			usage(stderr);
			return BT_EXIT_USAGE;
		}
		ret = parse_opt(a, c, optarg);
		if (ret)
			return ret;
	}
	if (optind != argc - 1) {
		bt_cli_error(cmd, optind >= argc ? "no trace file given" :
			     "only one trace file is replayed at a time");
		usage(stderr);
		return BT_EXIT_USAGE;
	}
	a->file = argv[optind];
	return 0;
}

static int print_summary(const struct args *a,
			 const struct bt_replay_summary *s,
			 struct out_state *out)
{
	struct bt_buf b;
	FILE *f = a->events && !a->json ? stderr : stdout;
	int err;

	bt_buf_init(&b);
	err = a->json ? bt_replay_summary_json(s, &b) :
			bt_replay_summary_text(s, &b);
	flush_out(out);
	if (!err && b.len && fwrite(b.data, 1, b.len, f) != b.len)
		err = -EIO;
	bt_buf_release(&b);
	if (!err && fflush(stdout))
		err = -EIO;
	return err ? err : out->err;
}

static int run(struct args *a, struct bt_reader *r)
{
	struct bt_replay_summary s;
	struct out_state out = { 0 };
	struct progress pr;
	struct bt_buf zi;
	int err;

	bt_buf_init(&zi);
	bt_buf_init(&out.buf);
	if (a->zoneinfo) {
		err = bt_read_file(a->zoneinfo, &zi);
		if (err) {
			bt_buf_release(&zi);
			return bt_cli_fail(cmd, err, "read", a->zoneinfo);
		}
		a->o.zoneinfo = (const char *)zi.data;
		a->o.zoneinfo_len = zi.len;
	}
	if (a->events) {
		a->o.on_decision = on_decision;
		a->o.decision_data = &out;
	}
	if (bt_cli_progress_enabled()) {
		clock_gettime(CLOCK_MONOTONIC, &pr.start);
		a->o.on_progress = on_progress;
		a->o.progress_data = &pr;
	}
	err = bt_replay_run(r, &a->o, &s);
	if (a->o.on_progress)
		fputc('\n', stderr);
	if (err == BT_E_NO_ZONEINFO) {
		bt_cli_error(cmd, "'%s' holds no zoneinfo snapshot: supply one "
			     "with --zoneinfo FILE", a->file);
	} else if (err && !s.events) {
		bt_cli_fail(cmd, err, "replay", a->file);
	} else {
		/* a stream that breaks off still gets the summary of its part */
		int werr = print_summary(a, &s, &out);

		if (err)
			bt_cli_fail(cmd, err, "read all of", a->file);
		else if (werr)
			bt_cli_fail(cmd, werr, "write", "stdout");
		err = err ? err : werr;
	}
	bt_replay_summary_release(&s);
	bt_buf_release(&out.buf);
	bt_buf_release(&zi);
	return err ? bt_exit_code(err) : BT_EXIT_OK;
}

int bt_cmd_replay(int argc, char **argv)
{
	struct bt_reader *r;
	struct args a;
	int err, ret;

	ret = parse_args(&a, argc, argv);
	if (ret)
		return ret < 0 ? BT_EXIT_OK : ret;
	r = bt_reader_open(a.file, &err);
	if (!r)
		return bt_cli_read_fail(cmd, a.file, err);
	if (a.window) {
		err = parse_window(r, a.window, &a.o);
		if (err) {
			bt_cli_error(cmd, "bad window '%s': give A,B as seconds "
				     "(+N from the first event) or marker texts "
				     "found in the trace", a.window);
			bt_reader_close(r);
			return BT_EXIT_USAGE;
		}
	}
	ret = run(&a, r);
	bt_reader_close(r);
	return ret;
}
