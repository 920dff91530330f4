// SPDX-License-Identifier: GPL-2.0-only
/*
 * stats.c - whole-file counts of a .bt reader.
 *
 * With an index the counts come from it, after checking every chunk's
 * checksum (cheap: the compressed bytes only) so that a damaged chunk is
 * reported rather than counted. Without an index, or when a chunk is bad,
 * the good chunks are decoded once, apart from the reader's own stream
 * position. Snapshots count as the BT_EV_SNAPSHOT events the stream
 * synthesizes for them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reader-internal.h"

static void count_event(struct bt_trace_stats *st, const struct bt_event *ev)
{
	if (!st->events++ || ev->ts < st->first_ts)
		st->first_ts = ev->ts;
	st->last_ts = BT_MAX(st->last_ts, ev->ts);
	st->per_type[ev->type]++;
	if (ev->type == BT_EV_LOST)
		st->lost_events += ev->arg[0];
}

/* Decode every good chunk once; bad ones were or will be reported. */
static int count_chunks(struct bt_reader *r, struct bt_trace_stats *st)
{
	struct bt_cursor c = { 0 };
	struct bt_event ev;
	unsigned int i;
	int err = 0, rc;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < r->nr_chunks && err != -ENOMEM; i++) {
		err = bt_stream_load(r, &c, i);
		if (err) {
			bt_stream_warn_chunk(r, &r->chunks[i], err);
			continue;
		}
		st->chunks++;
		while ((rc = bt_decoder_next(&c.dec, &ev)) == 1)
			count_event(st, &ev);
	}
	free(c.body);
	return err == -ENOMEM ? err : 0;
}

/* Verify every chunk's checksum; false when one is bad. */
static bool chunks_intact(struct bt_reader *r)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < r->nr_chunks; i++) {
		struct bt_rchunk *ch = &r->chunks[i];
		const unsigned char *p = r->data + ch->off +
					 BT_SECTION_HEADER_LEN;

		if (ch->crc_ok)
			continue;
		if (bt_crc32c(0, p, ch->len) == ch->crc) {
			ch->crc_ok = true;
			continue;
		}
		bt_stream_warn_chunk(r, ch, BT_E_CHECKSUM);
		ok = false;
	}
	return ok;
}

static void add_snapshots(const struct bt_reader *r, struct bt_trace_stats *st)
{
	unsigned int i;

	for (i = 0; i < r->nr_snaps; i++) {
		struct bt_event ev = { .type = BT_EV_SNAPSHOT,
				       .ts = r->snaps[i].ts };

		count_event(st, &ev);
	}
}

static unsigned int nr_cpus(const struct bt_reader *r)
{
	const char *v = bt_reader_meta(r, BT_META_CPUS);
	unsigned int i, n = 0;
	int m;

	for (i = 0; i < r->nr_chunks; i++)
		n = BT_MAX(n, r->chunks[i].ci.cpu + 1);
	if (v && !bt_parse_int(v, -1, 10, &m) && m > 0 && (unsigned int)m > n)
		n = (unsigned int)m;
	return n;
}

int bt_reader_stats(struct bt_reader *r, struct bt_trace_stats *st)
{
	int err;

	if (!r->stats_valid) {
		if (!r->have_index || !chunks_intact(r)) {
			err = count_chunks(r, &r->stats);
			if (err)
				return err;
		}
		add_snapshots(r, &r->stats);
		r->stats.lost_markers = r->stats.per_type[BT_EV_LOST];
		r->stats.nr_cpus = nr_cpus(r);
		r->stats.file_bytes = r->size;
		r->stats_valid = true;
	}
	*st = r->stats;
	return 0;
}
