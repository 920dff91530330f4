// SPDX-License-Identifier: GPL-2.0-only
/*
 * index.c - opening a finished .bt file from its trailer and index.
 *
 * The END section (the last 32 bytes) points at the INDEX, which lists
 * every section with per-chunk summaries. The whole index is parsed and
 * checked before any of it is used, so a damaged index falls back to a
 * linear scan cleanly. Whole-file counts come from it without decoding.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reader-internal.h"

struct ix_entry {
	uint32_t type;
	uint64_t off;
	struct bt_chunk_info ci;
};

static int parse_counts(const unsigned char **p, const unsigned char *end,
			struct bt_trace_stats *st)
{
	uint64_t n, t, c;

	if (!bt_varint_get(p, end, &n) || n >= BT_EV_TYPE_COUNT)
		return BT_E_CORRUPT;
	while (n--) {
		if (!bt_varint_get(p, end, &t) || !bt_varint_get(p, end, &c) ||
		    !t || t >= BT_EV_TYPE_COUNT)
			return BT_E_CORRUPT;
		st->per_type[t] += c;
	}
	return 0;
}

static int parse_entry(const unsigned char **p, const unsigned char *end,
		       struct ix_entry *e, struct bt_trace_stats *st)
{
	uint64_t v[7];
	unsigned int i;

	if (!bt_varint_get(p, end, &v[0]) || !bt_varint_get(p, end, &v[1]))
		return BT_E_CORRUPT;
	e->type = (uint32_t)v[0];
	e->off = v[1];
	if (e->type != BT_SEC_EVENTS)
		return v[0] && v[0] < 256 ? 0 : BT_E_CORRUPT;
	for (i = 2; i < 7; i++)
		if (!bt_varint_get(p, end, &v[i]))
			return BT_E_CORRUPT;
	if (v[2] >= BT_MAX_CPUS || !v[3] || v[3] > UINT32_MAX ||
	    v[5] > UINT64_MAX - v[4])
		return BT_E_CORRUPT;
	e->ci.cpu = (uint32_t)v[2];
	e->ci.count = (uint32_t)v[3];
	e->ci.first_ts = v[4];
	e->ci.last_ts = v[4] + v[5];
	e->ci.lost = v[6];
	st->events += v[3];
	st->lost_events += v[6];
	if (!st->chunks++ || e->ci.first_ts < st->first_ts)
		st->first_ts = e->ci.first_ts;
	st->last_ts = BT_MAX(st->last_ts, e->ci.last_ts);
	return parse_counts(p, end, st);
}

/* Parse the whole index before using any of it. */
static int parse_index(struct bt_reader *r, const struct bt_section *s,
		       struct ix_entry **out, uint64_t *nr)
{
	const unsigned char *p, *end;
	unsigned char *owned;
	struct ix_entry *e = NULL;
	size_t len;
	uint64_t i;
	int err;

	err = bt_section_bytes(r, s, &p, &len, &owned);
	if (err)
		return err;
	end = p + len;
	if (!bt_varint_get(&p, end, nr) || *nr > len) {
		err = BT_E_CORRUPT;
		goto out;
	}
	e = calloc(*nr + 1, sizeof(*e));
	if (!e) {
		err = -ENOMEM;
		goto out;
	}
	memset(&r->stats, 0, sizeof(r->stats));
	for (i = 0; i < *nr && !err; i++)
		err = parse_entry(&p, end, &e[i], &r->stats);
	if (!err && p != end)
		err = BT_E_CORRUPT;
out:
	free(owned);
	if (err)
		free(e);
	else
		*out = e;
	return err;
}

static void apply_entry(struct bt_reader *r, const struct ix_entry *e)
{
	struct bt_section s;
	int err;

	err = bt_section_at(r, e->off, &s);
	if (!err && s.type != e->type)
		err = BT_E_CORRUPT;
	if (err) {
		r->damage.bad_chunks++;
		bt_warn("'%s': the index names a %s at offset %llu that is "
			"not there: %s", r->path, bt_section_type_name(e->type),
			(unsigned long long)e->off, bt_strerror(err));
		return;
	}
	if (s.type == BT_SEC_EVENTS) {
		err = s.len < BT_CHUNK_HEADER_LEN ? BT_E_CORRUPT :
			bt_reader_add_chunk(r, &s, &e->ci, false);
	} else {
		err = bt_reader_load_section(r, &s);
	}
	if (err)
		bt_reader_warn_section(r, &s, err);
}

/* Open from the trailer and index: 0, or nonzero to scan linearly. */
int bt_reader_load_index(struct bt_reader *r)
{
	struct bt_section end, ix;
	struct ix_entry *e;
	uint64_t off, nr, i;
	int err;

	off = r->size - BT_SECTION_HEADER_LEN - 8;
	if (r->size < BT_FILE_HEADER_LEN + 2 * BT_SECTION_HEADER_LEN + 8 ||
	    bt_section_at(r, off, &end) || end.type != BT_SEC_END ||
	    end.len != 8 ||
	    bt_crc32c(0, bt_section_payload(r, &end), 8) != end.crc) {
		bt_warn("'%s' has no index (the writer did not finish: crash "
			"or still recording?); reading it by linear scan",
			r->path);
		return BT_E_TRUNCATED;
	}
	off = bt_get_le64(bt_section_payload(r, &end));
	err = bt_section_at(r, off, &ix);
	if (!err && ix.type != BT_SEC_INDEX)
		err = BT_E_CORRUPT;
	if (!err)
		err = parse_index(r, &ix, &e, &nr);
	if (err) {
		bt_warn("'%s': index unreadable (%s); reading it by linear "
			"scan", r->path, bt_strerror(err));
		return err;
	}
	r->have_index = true;
	for (i = 0; i < nr; i++)
		apply_entry(r, &e[i]);
	free(e);
	return 0;
}
