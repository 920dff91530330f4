// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-replay.c - the replay (replay/ driving allocator/) on hostile .bt
 * traces: each input runs in mirror mode, in model mode with default
 * options, and in model mode once more with min_free_kbytes four times
 * the one the trace's zoneinfo implies (so that the model's reclaim and
 * compaction run) and a state sample every millisecond. The summaries
 * are printed as JSON and text, and the first decisions as JSON, to a
 * buffer. Return codes do not matter: a crash, a sanitizer report, a
 * leak or a timeout is the finding.
 *
 * The reader's damage paths have their own target (fuzz-bt-reader), so
 * the input always runs with its checksums recomputed (fuzz-util.h):
 * mutations then reach the snapshots and events the replay consumes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/procfs.h"
#include "replay/replay.h"
#include "tests/fuzz/fuzz-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_DECISIONS 64	/* decisions printed per run */

static volatile size_t sink;

struct decisions {
	unsigned int nr;
	struct bt_buf out;
};

static void on_decision(const struct bt_replay_decision *d, void *data)
{
	struct decisions *ds = data;

	if (ds->nr++ >= FUZZ_DECISIONS)
		return;
	ds->out.len = 0;
	if (!bt_replay_decision_json(d, &ds->out))
		sink += ds->out.len;
}

/* min_free_kbytes of the trace's zoneinfo: the zones' min, in KB. */
static uint64_t implied_min_free_kbytes(struct bt_reader *r)
{
	const struct bt_snapshot *s = NULL;
	struct bt_zoneinfo zi;
	uint64_t kb = 0;
	unsigned int i;

	for (i = 0; i < bt_reader_nr_snapshots(r) && !s; i++) {
		s = bt_reader_snapshot(r, i);
		if (s && s->kind != BT_SNAP_ZONEINFO)
			s = NULL;
	}
	if (!s)
		return 0;
	bt_zoneinfo_init(&zi);
	if (!bt_zoneinfo_parse(&zi, (const char *)s->data, s->len, NULL))
		for (i = 0; i < zi.nr_zones; i++)
			kb += zi.zones[i].min * 4;
	bt_zoneinfo_release(&zi);
	return kb;
}

static void replay_once(struct bt_reader *r, const struct bt_replay_opts *o)
{
	struct bt_replay_summary s;
	struct decisions ds = { 0 };
	struct bt_replay_opts opts = *o;
	struct bt_buf out;

	bt_buf_init(&ds.out);
	bt_buf_init(&out);
	opts.on_decision = on_decision;
	opts.decision_data = &ds;
	if (!bt_replay_run(r, &opts, &s) || s.events) {
		if (!bt_replay_summary_json(&s, &out))
			sink += out.len;
		out.len = 0;
		if (!bt_replay_summary_text(&s, &out))
			sink += out.len;
	}
	bt_replay_summary_release(&s);
	bt_buf_release(&out);
	bt_buf_release(&ds.out);
}

static void run_file(const char *path)
{
	struct bt_replay_opts o;
	struct bt_reader *r;
	char kv[64];
	uint64_t kb;
	int err = 0;

	r = bt_reader_open(path, &err);
	if (!r)
		return;
	bt_replay_opts_init(&o);
	o.mode = BT_REPLAY_MIRROR;
	replay_once(r, &o);
	o.mode = BT_REPLAY_MODEL;
	replay_once(r, &o);
	kb = implied_min_free_kbytes(r) * 4;
	snprintf(kv, sizeof(kv), "min_free_kbytes=%llu",
		 (unsigned long long)BT_MIN(BT_MAX(kb, 128), 67108864));
	if (bt_replay_knob_set(&o.knobs, kv))
		abort();
	o.sample_interval_ns = 1000000;
	replay_once(r, &o);
	bt_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *fixed = fuzz_fixed_copy(data, size);
	char path[64];
	int fd;

	fd = fuzz_memfd(fixed ? fixed : data, size, path, sizeof(path));
	run_file(path);
	close(fd);
	free(fixed);
	return 0;
}
