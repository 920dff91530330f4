// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-bt-reader.c - the .bt reader on hostile files: open, every event
 * (with its stack and borrowed strings), the stats, a seek, a rewind,
 * the snapshots, metadata and formats, and a text, JSON Lines or CSV dump.
 *
 * Every section carries CRCs, so a mutated file almost always stops at
 * a checksum. Each input therefore runs twice: as it is (the damage
 * paths), and, when that changes it, with the file header's and every
 * section's checksums recomputed (fuzz_fix_crcs()), which lets mutations of
 * lengths, counts, varints and raw streams reach the decoders.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/fuzz/fuzz-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void read_events(struct bt_reader *r, FILE *null,
			enum bt_dump_format fmt)
{
	struct bt_dump_filter f = { .any_type = false };
	struct bt_dumper *d;
	struct bt_event ev;
	const uint64_t *ips;
	const char *sym;
	unsigned int n = 0;
	int got;

	d = null ? bt_dumper_new(null, fmt, r, &f) : NULL;
	while ((got = bt_reader_next(r, &ev)) == 1 && n++ < (1u << 20)) {
		touch(ev.comm);
		if (ev.str)
			sink += ev.str_len ? (unsigned char)ev.str[ev.str_len - 1]
					   : 0;
		if (ev.stack_id && bt_reader_stack(r, ev.stack_id, &ips,
						   &sym) > 0) {
			sink += ips[0];
			touch(sym);
		}
		if (d)
			bt_dumper_event(d, &ev);
	}
	bt_dumper_free(d);
	if (null)
		bt_dump_snapshots(null, fmt, r, &f);
}

static void read_tables(struct bt_reader *r)
{
	const struct bt_snapshot *s;
	const char *k, *v;
	unsigned int i;

	for (i = 0; bt_reader_meta_at(r, i, &k, &v); i++) {
		touch(k);
		touch(v);
	}
	touch(bt_reader_meta(r, BT_META_KERNEL));
	touch(bt_reader_format(r, "kmem", "mm_page_alloc"));
	for (i = 0; i < bt_reader_nr_snapshots(r); i++) {
		s = bt_reader_snapshot(r, i);
		if (s && s->len)
			sink += s->data[s->len - 1];
	}
}

static void run_file(const char *path, FILE *null,
		     enum bt_dump_format fmt)
{
	struct bt_trace_stats st;
	struct bt_damage dmg;
	struct bt_reader *r;
	struct bt_event ev;
	unsigned int major, minor;
	int err = 0;

	r = bt_reader_open(path, &err);
	if (!r)
		return;
	bt_reader_damage(r, &dmg);
	bt_reader_version(r, &major, &minor);
	read_tables(r);
	read_events(r, null, fmt);
	if (!bt_reader_stats(r, &st))
		sink += st.events;
	if (!bt_reader_seek(r, st.first_ts + (st.last_ts - st.first_ts) / 2))
		while (bt_reader_next(r, &ev) == 1)
			sink += ev.ts;
	if (!bt_reader_rewind(r) && bt_reader_next(r, &ev) == 1)
		sink += ev.type;
	bt_reader_close(r);
}

static void run_bytes(const uint8_t *data, size_t size, FILE *null,
		      enum bt_dump_format fmt)
{
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	run_file(path, null, fmt);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	unsigned char *fixed;

	if (!null)
		null = fopen("/dev/null", "w");
	run_bytes(data, size, null, (enum bt_dump_format)(size % 3));
	fixed = fuzz_fixed_copy(data, size);
	if (fixed)
		run_bytes(fixed, size, null,
			  (enum bt_dump_format)((size + 1) % 3));
	free(fixed);
	return 0;
}
