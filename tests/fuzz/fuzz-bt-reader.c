// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-bt-reader.c - the .bt reader on hostile files: open, every event
 * (with its stack and borrowed strings), the stats, a seek, a rewind,
 * the snapshots, metadata and formats, and a text, JSON Lines or CSV dump.
 *
 * Every section carries CRCs, so a mutated file almost always stops at
 * a checksum. Each input therefore runs twice: as it is (the damage
 * paths), and, when that changes it, with the file header's and every
 * section's checksums recomputed (fix_crcs()), which lets mutations of
 * lengths, counts, varints and raw streams reach the decoders.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "traces/traces-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

/* Recompute the file header CRC and each section's two CRCs in place. */
static void fix_crcs(unsigned char *p, size_t size)
{
	size_t off = BT_FILE_HEADER_LEN;
	uint32_t len;

	if (size < BT_FILE_HEADER_LEN)
		return;
	bt_put_le32(p + 28, bt_crc32c(0, p, 28));
	while (off + BT_SECTION_HEADER_LEN <= size) {
		unsigned char *h = p + off;

		if (bt_get_le32(h) != BT_SECTION_SYNC) {
			unsigned char *n = memmem(h + 1, size - off - 1, "%BTS",
						  4);

			if (!n)
				return;
			off = (size_t)(n - p);
			continue;
		}
		len = bt_get_le32(h + 8);
		if (len > size - off - BT_SECTION_HEADER_LEN)
			len = (uint32_t)(size - off - BT_SECTION_HEADER_LEN);
		bt_put_le32(h + 16,
			    bt_crc32c(0, h + BT_SECTION_HEADER_LEN, len));
		bt_put_le32(h + 20, bt_crc32c(0, h, 20));
		off += BT_SECTION_HEADER_LEN + (size_t)len;
	}
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
	int fd = memfd_create("fuzz-bt", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
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
	fixed = malloc(size ? size : 1);
	if (!fixed)
		return 0;
	if (size)
		memcpy(fixed, data, size);
	fix_crcs(fixed, size);
	if (size && memcmp(fixed, data, size))
		run_bytes(fixed, size, null,
			  (enum bt_dump_format)((size + 1) % 3));
	free(fixed);
	return 0;
}
