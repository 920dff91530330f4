// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-traces-format-damage.c - damaged and foreign .bt input: a file cut
 * at every section boundary and in the middle of every section (events of
 * whole chunks are read, a warning says what was lost), flipped bytes in
 * chunks, headers and the index (checksum error for that chunk, the rest
 * read), an empty file, a PNG, a newer major version, garbage text, and
 * random mutations that must never crash (run under ASan/UBSan by
 * `make SANITIZE=address,undefined check`).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "traces/traces-internal.h"
#include "tests/test-traces-util.h"

struct sec {
	uint64_t off;
	uint32_t type, len, count;
};

static struct {
	unsigned char *data;
	size_t size;
	struct sec secs[256];
	unsigned int nr;
	uint64_t total;		/* events + snapshots */
} F;

#define NR_EVENTS 3000

static void build_file(void)
{
	struct bt_event ev = { .type = BT_EV_PAGE_ALLOC, .comm = "cc1" };
	char path[256];
	struct bt_writer *w;
	struct bt_buf b;
	unsigned int i;

	bt_test_path(path, sizeof(path), "damage-src.bt");
	w = bt_writer_open(path, 3);
	assert_non_null(w);
	assert_int_equal(bt_writer_set_meta(w, BT_META_KERNEL, "6.18"), 0);
	assert_int_equal(bt_writer_add_snapshot(w, BT_SNAP_VMSTAT, 1,
						"nr_free_pages 10\n", 17), 0);
	for (i = 0; i < NR_EVENTS; i++) {
		ev.cpu = i % 3;
		ev.ts = 100 + i * 10ull;
		ev.pid = (int32_t)(i / 7);
		ev.arg[0] = 0x1000 + i * 3;
		ev.arg[1] = i % 4;
		assert_int_equal(bt_writer_add_event(w, &ev), 0);
		if (i % 500 == 499)
			assert_int_equal(bt_writer_flush(w), 0);
	}
	assert_int_equal(bt_writer_add_snapshot(w, BT_SNAP_VMSTAT, 1000000,
						"nr_free_pages 9\n", 16), 0);
	assert_int_equal(bt_writer_close(w), 0);
	bt_buf_init(&b);
	assert_int_equal(bt_read_file(path, &b), 0);
	unlink(path);
	F.data = b.data;
	F.size = b.len;
	F.total = NR_EVENTS + 2;
}

/* Walk the sections of the pristine file to know what each cut keeps. */
static void list_sections(void)
{
	uint64_t off = BT_FILE_HEADER_LEN;
	struct bt_section s;

	F.nr = 0;
	while (off < F.size) {
		assert_int_equal(bt_section_header_get(F.data + off, &s), 0);
		assert_true(F.nr < BT_ARRAY_SIZE(F.secs));
		F.secs[F.nr].off = off;
		F.secs[F.nr].type = s.type;
		F.secs[F.nr].len = s.len;
		F.secs[F.nr].count = 0;
		if (s.type == BT_SEC_EVENTS)
			F.secs[F.nr].count = bt_get_le32(F.data + off +
				BT_SECTION_HEADER_LEN + 4);
		if (s.type == BT_SEC_SNAPSHOT)
			F.secs[F.nr].count = 1;
		F.nr++;
		off += BT_SECTION_HEADER_LEN + s.len;
	}
	assert_int_equal(off, F.size);
}

static int setup(void **state)
{
	(void)state;
	build_file();
	list_sections();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(F.data);
	return 0;
}

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Events read from @p[0..n); -1 when the open fails (code in *err). */
static long read_count(const void *p, size_t n, int *err,
		       struct bt_damage *dmg)
{
	char path[256];
	struct bt_reader *r;
	struct bt_event ev;
	long count = 0;
	int rc;

	bt_test_path(path, sizeof(path), "damaged.bt");
	write_bytes(path, p, n);
	bt_test_log_clear();
	r = bt_reader_open(path, err);
	unlink(path);
	if (!r)
		return -1;
	while ((rc = bt_reader_next(r, &ev)) == 1)
		count++;
	assert_int_equal(rc, 0);
	bt_reader_damage(r, dmg);
	bt_reader_close(r);
	return count;
}

/* Events + snapshots in sections that end at or before @cut. */
static uint64_t kept_before(uint64_t cut)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < F.nr; i++)
		if (F.secs[i].off + BT_SECTION_HEADER_LEN + F.secs[i].len <= cut)
			n += F.secs[i].count;
	return n;
}

/* Offset of the section that @cut falls inside. */
static uint64_t partial_start(uint64_t cut)
{
	unsigned int i;

	for (i = F.nr; i-- > 0;)
		if (F.secs[i].off < cut)
			return F.secs[i].off;
	fail();
	return 0;
}

static void check_cut(uint64_t cut, bool boundary)
{
	struct bt_damage d = { 0 };
	int err = 0;
	long n = read_count(F.data, cut, &err, &d);
	uint64_t want = kept_before(cut);

	if (n < 0) {
		/* nothing whole remains: a one-line error for the caller */
		assert_int_equal(want, 0);
		assert_int_equal(err, BT_E_TRUNCATED);
		assert_false(boundary);
		return;
	}
	assert_int_equal((uint64_t)n, want);
	if (cut == F.size) {
		assert_false(d.truncated || d.no_index);
		assert_int_equal(bt_test_warnings, 0);
		return;
	}
	assert_true(d.no_index);
	assert_int_equal(d.truncated, !boundary);
	assert_int_equal(d.bytes_lost, boundary ? 0 : cut - partial_start(cut));
	assert_non_null(strstr(bt_test_log, boundary ? "no index"
						     : "cut short"));
}

static void test_cut_everywhere(void **state)
{
	unsigned int i;

	(void)state;
	assert_true(F.nr > 12);	/* several chunks per cpu */
	for (i = 0; i < F.nr; i++) {
		uint64_t off = F.secs[i].off;

		check_cut(off, true);
		check_cut(off + 7, false);	/* inside the header */
		check_cut(off + BT_SECTION_HEADER_LEN + F.secs[i].len / 2,
			  false);
		check_cut(off + BT_SECTION_HEADER_LEN + F.secs[i].len - 1,
			  false);
	}
	check_cut(F.size, true);
}

static unsigned int first_of_type(unsigned int type, unsigned int nth)
{
	unsigned int i;

	for (i = 0; i < F.nr; i++)
		if (F.secs[i].type == type && !nth--)
			return i;
	fail();
	return 0;
}

static long flip_and_read(uint64_t off, struct bt_damage *d, int *err)
{
	unsigned char *copy = malloc(F.size);
	long n;

	assert_non_null(copy);
	memcpy(copy, F.data, F.size);
	copy[off] ^= 0x5a;
	n = read_count(copy, F.size, err, d);
	free(copy);
	return n;
}

static void test_flipped_chunk(void **state)
{
	unsigned int c = first_of_type(BT_SEC_EVENTS, 3);
	struct sec *s = &F.secs[c];
	struct bt_damage d;
	int err;
	long n;

	(void)state;
	/* payload byte: the chunk's checksum fails, the others are read */
	n = flip_and_read(s->off + BT_SECTION_HEADER_LEN + s->len / 2, &d,
			  &err);
	assert_int_equal(n, (long)(F.total - s->count));
	assert_int_equal(d.bad_chunks, 1);
	assert_false(d.no_index);
	assert_non_null(strstr(bt_test_log, "checksum mismatch"));
	/* header byte: the section cannot be trusted at all */
	n = flip_and_read(s->off + 9, &d, &err);
	assert_int_equal(n, (long)(F.total - s->count));
	assert_int_equal(d.bad_chunks, 1);
}

static void test_flipped_chunk_no_index(void **state)
{
	unsigned int c = first_of_type(BT_SEC_EVENTS, 5);
	unsigned int ix = first_of_type(BT_SEC_INDEX, 0);
	unsigned char *copy = malloc(F.size);
	struct bt_damage d;
	int err;
	long n;

	(void)state;
	assert_non_null(copy);
	memcpy(copy, F.data, F.size);
	copy[F.secs[c].off + BT_SECTION_HEADER_LEN + 3] ^= 1;
	/* cut before the index: a crashed writer's file */
	n = read_count(copy, F.secs[ix].off, &err, &d);
	assert_int_equal(n, (long)(F.total - F.secs[c].count));
	assert_int_equal(d.bad_chunks, 1);
	assert_true(d.no_index);
	assert_non_null(strstr(bt_test_log, "checksum mismatch"));
	/* a damaged header in a linear scan: skip to the next sync word */
	memcpy(copy, F.data, F.size);
	copy[F.secs[c].off + 2] ^= 0xff;
	n = read_count(copy, F.secs[ix].off, &err, &d);
	assert_int_equal(n, (long)(F.total - F.secs[c].count));
	assert_int_equal(d.bad_chunks, 1);
	assert_int_equal(d.bytes_lost, BT_SECTION_HEADER_LEN + F.secs[c].len);
	free(copy);
}

static void test_flipped_index(void **state)
{
	unsigned int ix = first_of_type(BT_SEC_INDEX, 0);
	struct bt_damage d;
	int err;
	long n;

	(void)state;
	n = flip_and_read(F.secs[ix].off + BT_SECTION_HEADER_LEN + 2, &d,
			  &err);
	assert_int_equal(n, (long)F.total);
	assert_true(d.no_index);
	assert_int_equal(d.bad_chunks, 0);
	assert_non_null(strstr(bt_test_log, "index unreadable"));
}

static void test_all_chunks_bad(void **state)
{
	unsigned char *copy = malloc(F.size);
	struct bt_damage d;
	unsigned int i, chunks = 0;
	int err;
	long n;

	(void)state;
	assert_non_null(copy);
	memcpy(copy, F.data, F.size);
	for (i = 0; i < F.nr; i++) {
		if (F.secs[i].type != BT_SEC_EVENTS)
			continue;
		copy[F.secs[i].off + BT_SECTION_HEADER_LEN + 50] ^= 0x80;
		chunks++;
	}
	n = read_count(copy, F.size, &err, &d);
	assert_int_equal(n, 2);	/* the two snapshots survive */
	assert_int_equal(d.bad_chunks, chunks);
	free(copy);
}

static void test_foreign_inputs(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
					     0x1a, '\n', 0, 0, 0, 13, 'I',
					     'H', 'D', 'R' };
	static const char text[] = "this is not a trace\nat all\n";
	unsigned char hdr[BT_FILE_HEADER_LEN];
	struct bt_damage d;
	int err = 0;

	(void)state;
	assert_int_equal(read_count("", 0, &err, &d), -1);
	assert_int_equal(err, BT_E_BAD_MAGIC);
	assert_int_equal(read_count(png, sizeof(png), &err, &d), -1);
	assert_int_equal(err, BT_E_BAD_MAGIC);
	assert_int_equal(read_count(text, sizeof(text) - 1, &err, &d), -1);
	assert_int_equal(err, BT_E_BAD_MAGIC);
	assert_int_equal(read_count(F.data, 10, &err, &d), -1);
	assert_int_equal(err, BT_E_TRUNCATED);
	/* a newer major is refused before anything else is trusted */
	memcpy(hdr, F.data, sizeof(hdr));
	bt_put_le16(hdr + 8, BT_FORMAT_MAJOR + 1);
	assert_int_equal(read_count(hdr, sizeof(hdr), &err, &d), -1);
	assert_int_equal(err, BT_E_VERSION);
	/* a newer minor of the same major is read */
	memcpy(hdr, F.data, sizeof(hdr));
	bt_put_le16(hdr + 10, BT_FORMAT_MINOR + 3);
	bt_put_le32(hdr + 28, bt_crc32c(0, hdr, 28));
	assert_int_equal(read_count(hdr, sizeof(hdr), &err, &d), 0);
	/* a damaged file header */
	memcpy(hdr, F.data, sizeof(hdr));
	hdr[20] ^= 1;
	assert_int_equal(read_count(hdr, sizeof(hdr), &err, &d), -1);
	assert_int_equal(err, BT_E_CHECKSUM);
	{
		struct bt_reader *r = bt_reader_open("/nonexistent/x.bt", &err);

		assert_null(r);
		assert_int_equal(err, -ENOENT);
	}
}

/* Random flips and cuts: never a crash, never more events than written. */
static void test_random_mutations(void **state)
{
	unsigned char *copy = malloc(F.size);
	unsigned int i, j, seed = 12345;
	struct bt_damage d;
	int err;
	long n;

	(void)state;
	assert_non_null(copy);
	for (i = 0; i < 300; i++) {
		size_t len = F.size;

		memcpy(copy, F.data, F.size);
		for (j = 0; j < 1 + i % 4; j++) {
			seed = seed * 1103515245 + 12345;
			copy[(seed >> 8) % F.size] ^= (unsigned char)(seed >> 3 | 1);
		}
		if (i % 3 == 0)
			len = (seed >> 4) % F.size;
		n = read_count(copy, len, &err, &d);
		assert_true(n <= (long)F.total);
	}
	free(copy);
}

/* A file of one EVENTS section around @e's streams, checksums valid. */
static size_t forge_file(struct bt_encoder *e, unsigned int count,
			 unsigned char *out, size_t cap)
{
	struct bt_chunk_info ci = { .cpu = 1, .count = count, .first_ts = 7,
				    .last_ts = 9, .encoding = 1,
				    .compression = 1 };
	struct bt_section s = { .type = BT_SEC_EVENTS };
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	struct bt_buf body, scratch;
	size_t n;

	bt_buf_init(&body);
	bt_buf_init(&scratch);
	assert_int_equal(bt_chunk_pack(e, cctx, 1, &body, &scratch), 0);
	ci.raw_len = (uint32_t)bt_encoder_raw_size(e);
	memcpy(out, F.data, BT_FILE_HEADER_LEN);
	n = BT_FILE_HEADER_LEN;
	assert_true(n + 24 + 40 + body.len <= cap);
	bt_chunk_info_put(out + n + 24, &ci);
	memcpy(out + n + 24 + 40, body.data, body.len);
	s.len = (uint32_t)(40 + body.len);
	s.crc = bt_crc32c(0, out + n + 24, s.len);
	bt_section_header_put(out + n, &s);
	bt_buf_release(&body);
	bt_buf_release(&scratch);
	ZSTD_freeCCtx(cctx);
	return n + 24 + s.len;
}

static unsigned int rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

/* @count valid events of a few shapes (pfns, strings, tasks, extras). */
static void fill_valid(struct bt_encoder *e, unsigned int count,
		       unsigned int *seed)
{
	static const unsigned int types[] = { BT_EV_PAGE_ALLOC,
		BT_EV_PAGE_FREE, BT_EV_PRINT, BT_EV_OOM_MARK_VICTIM,
		BT_EV_COMPACTION_END, BT_EV_LOST };
	struct bt_event ev = { .ts = 7 };
	unsigned int i, j;

	for (i = 0; i < count; i++) {
		ev.type = types[rnd(seed) % BT_ARRAY_SIZE(types)];
		ev.ts += rnd(seed) % 3000;
		ev.pid = (int32_t)(rnd(seed) % 4);
		ev.comm = ev.pid ? "task" : NULL;
		ev.flags = rnd(seed) % 5 == 0;
		ev.stack_id = ev.flags ? 3 : 0;
		for (j = 0; j < BT_EVENT_MAX_ARGS; j++)
			ev.arg[j] = rnd(seed) % 7 ? 0x4000 + rnd(seed) % 300
						  : BT_PFN_NONE;
		ev.str = "marker text";
		ev.str_len = 11;
		assert_int_equal(bt_encoder_add(e, &ev), 0);
	}
}

/*
 * Hostile but checksummed chunks: valid events whose streams are then
 * altered (bytes changed, streams cut or lengthened) behind valid
 * checksums. The decoder must stop at the first inconsistency without
 * reading outside its buffers (run under ASan) and never yield more
 * events than the chunk claims.
 */
static void test_forged_streams(void **state)
{
	static unsigned char file[1 << 16];
	unsigned int i, j, seed = 99, whole = 0, cut = 0;
	struct bt_encoder e;
	struct bt_damage d;
	int err;
	long n;

	(void)state;
	bt_encoder_init(&e);
	for (i = 0; i < 600; i++) {
		unsigned int count = 1 + i % 60, k = rnd(&seed) % BT_ST_COUNT;
		struct bt_buf *b = &e.st[k];

		bt_encoder_reset(&e);
		fill_valid(&e, count, &seed);
		for (j = 0; j < 1 + i % 3 && b->len; j++)
			b->data[rnd(&seed) % b->len] ^= (unsigned char)(1 +
							rnd(&seed) % 255);
		if (k != BT_ST_TYPE && k != BT_ST_TS && i % 4 == 1)
			b->len -= b->len ? 1 + rnd(&seed) % b->len : 0;
		if (k != BT_ST_TYPE && k != BT_ST_TS && i % 4 == 2) {
			assert_int_equal(bt_buf_append(b, "\xff\x81\x00", 3), 0);
		}
		n = read_count(file, forge_file(&e, count, file, sizeof(file)),
			       &err, &d);
		assert_true(n >= 0 && n <= (long)count);
		assert_true(n == (long)count || d.bad_chunks == 1);
		whole += n == (long)count;
		cut += n < (long)count;
	}
	bt_encoder_release(&e);
	/* both outcomes occur: the decoder really ran on the damage */
	assert_true(whole > 50);
	assert_true(cut > 50);
}

/*
 * A checksummed chunk whose last event names a pfn further back than the
 * history reaches: the reader gives the nine before it and counts the
 * chunk bad, with one warning; a second, quiet reader of the same bytes
 * (the model's reclaim pass) counts it too but says nothing.
 */
static void test_bad_event_quiet(void **state)
{
	static unsigned char file[1 << 12];
	struct bt_event ev = { .type = BT_EV_PAGE_FREE, .ts = 7 };
	struct bt_reader *r, *d;
	struct bt_encoder e;
	struct bt_damage dr, dd;
	struct bt_buf *pfns;
	char path[256];
	long n = 0, m = 0;
	int err;

	(void)state;
	bt_encoder_init(&e);
	for (unsigned int i = 0; i < 10; i++, ev.ts++) {
		ev.arg[0] = 0x4000 + 16 * i;
		assert_int_equal(bt_encoder_add(&e, &ev), 0);
	}
	/* the last pfn code: a repeat 16,383 pfns back */
	pfns = &e.st[BT_ST_PFN];
	pfns->len--;
	assert_int_equal(bt_buf_append(pfns, "\xff\x7f", 2), 0);
	bt_test_path(path, sizeof(path), "bad-event.bt");
	write_bytes(path, file, forge_file(&e, 10, file, sizeof(file)));
	bt_encoder_release(&e);
	r = bt_reader_open(path, &err);
	assert_non_null(r);
	d = bt_reader_dup(r, &err);
	assert_non_null(d);
	bt_reader_set_quiet(d, true);
	bt_test_log_clear();
	while (bt_reader_next(r, &ev) == 1)
		n++;
	assert_int_equal(n, 9);
	assert_int_equal(bt_test_warnings, 1);
	assert_non_null(strstr(bt_test_log, "the rest of the chunk (1 events)"));
	while (bt_reader_next(d, &ev) == 1)
		m++;
	assert_int_equal(m, 9);
	assert_int_equal(bt_test_warnings, 1);
	bt_reader_damage(r, &dr);
	bt_reader_damage(d, &dd);
	assert_int_equal(dr.bad_chunks, 1);
	assert_int_equal(dd.bad_chunks, 1);
	bt_reader_close(d);
	bt_reader_close(r);
	unlink(path);
}

/*
 * A chunk of page events with one stream a byte short: only its last
 * event reads past that stream's end. The decoder skips the bound check
 * for events that cannot reach an end (d->check_below): it must still
 * fail exactly that event, after all 1,999 before it are delivered.
 */
static void test_short_stream(void **state)
{
	static const unsigned int streams[] = { BT_ST_TS_HI, BT_ST_PFN,
		BT_ST_PFN_DELTA, BT_ST_ARGS };
	static unsigned char file[1 << 16];
	struct bt_event ev = { .type = BT_EV_PAGE_ALLOC };
	struct bt_encoder e;
	struct bt_damage d;
	unsigned int i, k;
	int err;

	(void)state;
	for (k = 0; k < BT_ARRAY_SIZE(streams); k++) {
		bt_encoder_init(&e);
		for (i = 0, ev.ts = 7; i < 2000; i++) {
			ev.ts += 300;		/* TS_HI: one byte */
			ev.arg[0] = 0x4000 + 1000 * i;	/* delta: two */
			ev.arg[1] = i % 4;
			ev.arg[2] = 0x1234 + i;	/* gfp: two */
			ev.arg[3] = (uint64_t)-1;
			assert_int_equal(bt_encoder_add(&e, &ev), 0);
		}
		e.st[streams[k]].len--;
		assert_int_equal(read_count(file, forge_file(&e, 2000, file,
							     sizeof(file)),
					    &err, &d), 1999);
		assert_int_equal(d.bad_chunks, 1);
		/* no index (a forged file), and the lost rest */
		assert_int_equal(bt_test_warnings, 2);
		assert_non_null(strstr(bt_test_log,
				       "the rest of the chunk (1 events)"));
		bt_encoder_release(&e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_everywhere),
		cmocka_unit_test(test_flipped_chunk),
		cmocka_unit_test(test_flipped_chunk_no_index),
		cmocka_unit_test(test_flipped_index),
		cmocka_unit_test(test_all_chunks_bad),
		cmocka_unit_test(test_foreign_inputs),
		cmocka_unit_test(test_random_mutations),
		cmocka_unit_test(test_forged_streams),
		cmocka_unit_test(test_bad_event_quiet),
		cmocka_unit_test(test_short_stream),
	};

	bt_test_quiet_log();
	return cmocka_run_group_tests_name("traces-format-damage", tests,
					   setup, teardown);
}
