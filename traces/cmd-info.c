// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-info.c - `buddytrace info FILE [--json]`: what a .bt file holds,
 * from its index when it has one (no event is decoded), as text or as
 * the JSON object scripts rely on (schema_version 1, see
 * buddytrace-info(1)).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "common/json.h"
#include "traces/traces.h"

static const char usage_text[] =
	"usage: buddytrace info FILE [--json]\n\n"
	"Summarize a .bt trace: kernel, CPUs, duration, events per type,\n"
	"lost events, snapshots, size. Damage (a cut or corrupt file) is\n"
	"reported on stderr.\n\n"
	"  --json      one JSON object (schema_version 1)\n"
	"  -h, --help  this help\n";

/* Real tracepoint events: our lost markers and snapshots are not. */
static bool is_tracepoint(unsigned int t)
{
	return t != BT_EV_LOST && t != BT_EV_SNAPSHOT;
}

static uint64_t tracepoint_events(const struct bt_trace_stats *st)
{
	uint64_t n = 0;
	unsigned int t;

	for (t = 1; t < BT_EV_TYPE_COUNT; t++)
		if (is_tracepoint(t))
			n += st->per_type[t];
	return n;
}

static void print_json(struct bt_reader *r, const struct bt_trace_stats *st,
		       const struct bt_damage *d)
{
	uint64_t events = tracepoint_events(st);
	unsigned int t, i, major, minor;
	const char *k, *v;
	struct bt_json j;

	bt_reader_version(r, &major, &minor);
	bt_json_init(&j, stdout, true);
	bt_json_begin_object(&j);
	bt_json_kv_uint(&j, "schema_version", 1);
	bt_json_kv_string(&j, "kernel", bt_reader_meta(r, BT_META_KERNEL));
	bt_json_kv_uint(&j, "cpus", st->nr_cpus);
	bt_json_kv_uint(&j, "duration_ns", st->last_ts - st->first_ts);
	bt_json_kv_uint(&j, "first_ts_ns", st->first_ts);
	bt_json_kv_uint(&j, "last_ts_ns", st->last_ts);
	bt_json_key(&j, "events");
	bt_json_begin_object(&j);
	for (t = 1; t < BT_EV_TYPE_COUNT; t++)
		if (is_tracepoint(t) && st->per_type[t])
			bt_json_kv_uint(&j, bt_event_desc(t)->name,
					st->per_type[t]);
	bt_json_end_object(&j);
	bt_json_kv_uint(&j, "total_events", events);
	bt_json_kv_uint(&j, "lost_events", st->lost_events);
	bt_json_kv_uint(&j, "lost_markers", st->lost_markers);
	bt_json_kv_uint(&j, "snapshots", bt_reader_nr_snapshots(r));
	bt_json_kv_uint(&j, "chunks", st->chunks);
	bt_json_kv_uint(&j, "bytes", st->file_bytes);
	bt_json_key(&j, "bytes_per_event");
	bt_json_double(&j, events ? (double)st->file_bytes / events : 0, 3);
	bt_json_key(&j, "format_version");
	bt_json_begin_array(&j);
	bt_json_uint(&j, major);
	bt_json_uint(&j, minor);
	bt_json_end_array(&j);
	bt_json_key(&j, "metadata");
	bt_json_begin_object(&j);
	for (i = 0; bt_reader_meta_at(r, i, &k, &v); i++)
		bt_json_kv_string(&j, k, v);
	bt_json_end_object(&j);
	bt_json_key(&j, "damage");
	bt_json_begin_object(&j);
	bt_json_kv_bool(&j, "truncated", d->truncated);
	bt_json_kv_bool(&j, "no_index", d->no_index);
	bt_json_kv_uint(&j, "bytes_lost", d->bytes_lost);
	bt_json_kv_uint(&j, "bad_chunks", d->bad_chunks);
	bt_json_end_object(&j);
	bt_json_end_object(&j);
}

static void print_ts(uint64_t ts)
{
	printf("%llu.%06llu", (unsigned long long)(ts / 1000000000),
	       (unsigned long long)(ts % 1000000000 / 1000));
}

static void print_snapshots(const struct bt_reader *r)
{
	unsigned int i, n = bt_reader_nr_snapshots(r);

	printf("snapshots     %u\n", n);
	for (i = 0; i < n; i++) {
		const struct bt_snapshot *s = bt_reader_snapshot(r, i);

		printf("  %-22s at ", bt_snapshot_kind_name(s->kind));
		print_ts(s->ts);
		printf(", %zu bytes\n", s->len);
	}
}

static void print_text(struct bt_reader *r, const char *path,
		       const struct bt_trace_stats *st,
		       const struct bt_damage *d)
{
	uint64_t events = tracepoint_events(st);
	unsigned int t, i, major, minor;
	const char *k, *v;

	bt_reader_version(r, &major, &minor);
	printf("file          %s (format %u.%u)\n", path, major, minor);
	v = bt_reader_meta(r, BT_META_KERNEL);
	printf("kernel        %s\n", v ? v : "unknown");
	printf("cpus          %u\n", st->nr_cpus);
	printf("duration      %.6f s (", (st->last_ts - st->first_ts) / 1e9);
	print_ts(st->first_ts);
	printf(" to ");
	print_ts(st->last_ts);
	printf(")\n");
	printf("events        %llu in %u chunks\n", (unsigned long long)events,
	       st->chunks);
	printf("size          %llu bytes (%.2f bytes/event)\n",
	       (unsigned long long)st->file_bytes,
	       events ? (double)st->file_bytes / events : 0.0);
	printf("lost events   %llu (%llu markers)\n",
	       (unsigned long long)st->lost_events,
	       (unsigned long long)st->lost_markers);
	for (t = 1; t < BT_EV_TYPE_COUNT; t++)
		if (is_tracepoint(t) && st->per_type[t])
			printf("  %-36s %12llu\n", bt_event_desc(t)->name,
			       (unsigned long long)st->per_type[t]);
	print_snapshots(r);
	printf("metadata\n");
	for (i = 0; bt_reader_meta_at(r, i, &k, &v); i++)
		printf("  %-22s %.200s\n", k, v);
	if (d->truncated || d->bad_chunks || d->no_index)
		printf("damage        %s%s%u bad chunks, %llu bytes lost\n",
		       d->truncated ? "truncated, " : "",
		       d->no_index ? "no index, " : "", d->bad_chunks,
		       (unsigned long long)d->bytes_lost);
}

int bt_cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bt_trace_stats st;
	struct bt_damage d;
	struct bt_reader *r;
	bool json = false;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'j') {
			json = true;
		} else if (c == 'h') {
			fputs(usage_text, stdout);
			return BT_EXIT_OK;
		} else {
			bt_cli_error("info", "unknown option '%s'",
				     argv[optind - 1]);
			fputs(usage_text, stderr);
			return BT_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fputs(usage_text, stderr);
		return BT_EXIT_USAGE;
	}
	bt_cli_log_hold("info");
	r = bt_reader_open(argv[optind], &err);
	if (!r) {
		bt_cli_log_release(false);
		return bt_cli_read_fail("info", argv[optind], err);
	}
	err = bt_reader_stats(r, &st);
	bt_reader_damage(r, &d);
	if (!err && !st.events && (d.bad_chunks || d.truncated))
		err = d.bad_chunks ? BT_E_CHECKSUM : BT_E_TRUNCATED;
	if (err) {
		bt_reader_close(r);
		bt_cli_log_release(false);
		return bt_cli_fail("info", err, "read", argv[optind]);
	}
	if (json)
		print_json(r, &st, &d);
	else
		print_text(r, argv[optind], &st, &d);
	bt_reader_close(r);
	fflush(stdout);
	bt_cli_log_release(true);
	if (ferror(stdout))
		return BT_EXIT_IOERR;
	return BT_EXIT_OK;
}
