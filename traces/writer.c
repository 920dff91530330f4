// SPDX-License-Identifier: GPL-2.0-only
/*
 * writer.c - append-only writer of .bt files.
 *
 * The writer never seeks: it writes the file header, then sections one
 * after another, each self-checking, and at close an index of every
 * section and a trailer that points at it. A process killed at any moment
 * therefore leaves a file whose whole sections are all readable (by a
 * linear scan, as there is no index yet). Events are buffered per CPU in
 * an encoder (codec.c) and written as one zstd-compressed chunk when the
 * chunk is full, when a CPU's events go back in time, or on
 * bt_writer_flush(). Metadata, formats and stacks are gathered and written
 * as one section before the next chunk or on flush; snapshots are written
 * at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "traces-internal.h"

#define BT_DEFAULT_LEVEL 6
#define BT_COMPRESS_MIN 128	/* smaller sections are stored as they are */

struct bt_writer {
	int fd;
	bool is_stdout;
	int err;		/* first error; every later call returns it */
	uint64_t off;		/* bytes written */
	uint32_t seq;		/* next section sequence number */
	int level;
	ZSTD_CCtx *cctx;
	struct bt_encoder **enc;	/* by cpu, allocated on first event */
	unsigned int nr_enc;
	struct bt_buf meta, formats, stacks;	/* pending sections */
	struct bt_buf body, comp;		/* scratch */
	struct bt_buf index;
	uint64_t nr_index;
};

static int write_all(struct bt_writer *w, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n) {
		ssize_t r = write(w->fd, s, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		s += r;
		n -= (size_t)r;
		w->off += (uint64_t)r;
	}
	return 0;
}

static int set_err(struct bt_writer *w, int err)
{
	if (err && !w->err)
		w->err = err;
	return w->err ? w->err : err;
}

/*
 * Sections other than event chunks (snapshots, metadata, formats, stacks)
 * are written once or once a second and are small, so they get zstd's
 * strongest level: a free-page map shrinks by a quarter against level 3
 * for about 0.1 s. Past this size the chunk level applies, so an import
 * attaching something large does not stall.
 */
#define BT_SECTION_LEVEL 19
#define BT_SECTION_STRONG_MAX (4u << 20)

/* Compress @src into w->comp; returns 0 or BT_E_INTERNAL. */
static int compress(struct bt_writer *w, const void *src, size_t n)
{
	size_t bound = ZSTD_compressBound(n), r;
	int level = n <= BT_SECTION_STRONG_MAX ?
		    BT_MAX(w->level, BT_SECTION_LEVEL) : w->level;

	w->comp.len = 0;
	if (bt_buf_reserve(&w->comp, bound))
		return -ENOMEM;
	r = ZSTD_compressCCtx(w->cctx, w->comp.data, bound, src, n, level);
	if (ZSTD_isError(r))
		return BT_E_INTERNAL;
	w->comp.len = r;
	return 0;
}

static int index_add(struct bt_writer *w, const struct bt_section *s,
		     const struct bt_chunk_info *ci, const uint32_t *per_type)
{
	struct bt_buf *b = &w->index;
	int err;

	err = bt_buf_put_varint(b, s->type);
	if (!err)
		err = bt_buf_put_varint(b, s->offset);
	if (!err && ci) {
		err = bt_buf_put_varint(b, ci->cpu) ||
		      bt_buf_put_varint(b, ci->count) ||
		      bt_buf_put_varint(b, ci->first_ts) ||
		      bt_buf_put_varint(b, ci->last_ts - ci->first_ts) ||
		      bt_buf_put_varint(b, ci->lost) ? -ENOMEM : 0;
		if (!err)
			err = bt_index_put_counts(b, per_type);
	}
	w->nr_index++;
	return err;
}

/* Write one section: header, optional fixed prefix, payload. */
static int write_section(struct bt_writer *w, unsigned int type,
			 unsigned int flags, const void *prefix, size_t plen,
			 const void *payload, size_t len,
			 const struct bt_chunk_info *ci, const uint32_t *per_type)
{
	unsigned char hdr[BT_SECTION_HEADER_LEN];
	struct bt_section s = { 0 };
	int err;

	if (plen + len > BT_SECTION_MAX_PAYLOAD)
		return -EFBIG;
	s.offset = w->off;
	s.type = type;
	s.flags = flags;
	s.len = (uint32_t)(plen + len);
	s.seq = w->seq++;
	s.crc = bt_crc32c(bt_crc32c(0, prefix, plen), payload, len);
	bt_section_header_put(hdr, &s);
	err = write_all(w, hdr, sizeof(hdr));
	if (!err && plen)
		err = write_all(w, prefix, plen);
	if (!err && len)
		err = write_all(w, payload, len);
	if (!err && type != BT_SEC_INDEX && type != BT_SEC_END)
		err = index_add(w, &s, ci, per_type);
	return err;
}

/* A non-event section, compressed when that makes it smaller. */
static int write_plain(struct bt_writer *w, unsigned int type,
		       const void *payload, size_t len)
{
	int err;

	if (len >= BT_COMPRESS_MIN) {
		err = compress(w, payload, len);
		if (err)
			return err;
		if (w->comp.len < len)
			return write_section(w, type, BT_SECF_ZSTD, NULL, 0,
					     w->comp.data, w->comp.len, NULL,
					     NULL);
	}
	return write_section(w, type, 0, NULL, 0, payload, len, NULL, NULL);
}

static int write_pending(struct bt_writer *w)
{
	struct {
		struct bt_buf *b;
		unsigned int type;
	} p[] = { { &w->meta, BT_SEC_META }, { &w->formats, BT_SEC_FORMAT },
		  { &w->stacks, BT_SEC_STACKS } };
	size_t i;
	int err;

	for (i = 0; i < BT_ARRAY_SIZE(p); i++) {
		if (!p[i].b->len)
			continue;
		err = write_plain(w, p[i].type, p[i].b->data, p[i].b->len);
		if (err)
			return err;
		p[i].b->len = 0;
	}
	return 0;
}

static int finish_chunk(struct bt_writer *w, struct bt_encoder *e,
			unsigned int cpu)
{
	unsigned char prefix[BT_CHUNK_HEADER_LEN];
	struct bt_chunk_info ci;
	int err;

	if (!e->count)
		return 0;
	err = write_pending(w);
	w->body.len = 0;
	if (!err)
		err = bt_chunk_pack(e, w->cctx, w->level, &w->body, &w->comp);
	if (err)
		return err;
	ci.cpu = cpu;
	ci.count = e->count;
	ci.first_ts = e->first_ts;
	ci.last_ts = e->last_ts;
	ci.raw_len = (uint32_t)bt_encoder_raw_size(e);
	ci.encoding = BT_CHUNK_ENC_COLUMNS;
	ci.compression = 1;
	ci.lost = e->lost;
	bt_chunk_info_put(prefix, &ci);
	err = write_section(w, BT_SEC_EVENTS, 0, prefix,
			    sizeof(prefix), w->body.data, w->body.len, &ci,
			    e->per_type);
	bt_encoder_reset(e);
	return err;
}

struct bt_writer *bt_writer_open(const char *path, unsigned int nr_cpus)
{
	unsigned char hdr[BT_FILE_HEADER_LEN] = { 0 };
	struct bt_writer *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return NULL;
	w->level = BT_DEFAULT_LEVEL;
	w->nr_enc = nr_cpus ? BT_MIN(nr_cpus, BT_MAX_CPUS) : 1;
	w->enc = calloc(w->nr_enc, sizeof(*w->enc));
	w->cctx = ZSTD_createCCtx();
	if (!w->enc || !w->cctx) {
		err = -ENOMEM;
		goto out_free;
	}
	w->is_stdout = !strcmp(path, "-");
	w->fd = w->is_stdout ? STDOUT_FILENO
			     : open(path, O_WRONLY | O_CREAT | O_TRUNC |
						  O_CLOEXEC, 0644);
	if (w->fd < 0) {
		err = -errno;
		goto out_free;
	}
	memcpy(hdr, BT_FILE_MAGIC, BT_FILE_MAGIC_LEN);
	bt_put_le16(hdr + 8, BT_FORMAT_MAJOR);
	bt_put_le16(hdr + 10, BT_FORMAT_MINOR);
	bt_put_le32(hdr + 12, 0);
	bt_put_le32(hdr + 16, BT_FILE_HEADER_LEN);
	bt_put_le32(hdr + 28, bt_crc32c(0, hdr, 28));
	err = write_all(w, hdr, sizeof(hdr));
	if (!err)
		return w;
	if (!w->is_stdout)
		close(w->fd);
out_free:
	w->fd = -1;
	bt_writer_abort(w);
	errno = -err;
	return NULL;
}

/** bt_writer_set_level - zstd level of later chunks (1..19, default 6) */
int bt_writer_set_level(struct bt_writer *w, int level)
{
	if (level < 1 || level > ZSTD_maxCLevel())
		return -EINVAL;
	w->level = level;
	return 0;
}

int bt_writer_set_meta(struct bt_writer *w, const char *key, const char *value)
{
	int err = bt_buf_put_lstr(&w->meta, key, strlen(key));

	if (!err)
		err = bt_buf_put_lstr(&w->meta, value, strlen(value));
	return set_err(w, err);
}

int bt_writer_add_format(struct bt_writer *w, const char *system,
			 const char *name, const char *format_text)
{
	struct bt_buf *b = &w->formats;
	int err;

	err = bt_buf_put_lstr(b, system, strlen(system));
	if (!err)
		err = bt_buf_put_lstr(b, name, strlen(name));
	if (!err)
		err = bt_buf_put_lstr(b, format_text, strlen(format_text));
	return set_err(w, err);
}

int bt_writer_add_snapshot(struct bt_writer *w, unsigned int kind, uint64_t ts,
			   const void *data, size_t len)
{
	struct bt_buf b;
	int err;

	if (w->err)
		return w->err;
	if (kind == 0 || kind >= 256 || len > BT_SECTION_MAX_PAYLOAD - 32)
		return -EINVAL;
	bt_buf_init(&b);
	err = bt_buf_put_varint(&b, kind);
	if (!err)
		err = bt_buf_put_varint(&b, ts);
	if (!err)
		err = bt_buf_append(&b, data, len);
	if (!err)
		err = write_pending(w);
	if (!err)
		err = write_plain(w, BT_SEC_SNAPSHOT, b.data, b.len);
	bt_buf_release(&b);
	return set_err(w, err);
}

int bt_writer_add_stack(struct bt_writer *w, uint32_t id,
			const uint64_t *ips, unsigned int nr,
			const char *symbols)
{
	struct bt_buf *b = &w->stacks;
	unsigned int i;
	int err;

	if (!id)
		return -EINVAL;
	err = bt_buf_put_varint(b, id);
	if (!err)
		err = bt_buf_put_varint(b, nr);
	for (i = 0; i < nr && !err; i++)
		err = bt_buf_put_varint(b, ips[i]);
	if (!err)
		err = bt_buf_put_lstr(b, symbols ? symbols : "",
				      symbols ? strlen(symbols) : 0);
	return set_err(w, err);
}

static struct bt_encoder *get_encoder(struct bt_writer *w, unsigned int cpu)
{
	if (cpu >= w->nr_enc) {
		unsigned int n = BT_MIN(BT_MAX(cpu + 1, w->nr_enc * 2),
					BT_MAX_CPUS);
		struct bt_encoder **p = realloc(w->enc, n * sizeof(*p));

		if (!p)
			return NULL;
		memset(p + w->nr_enc, 0, (n - w->nr_enc) * sizeof(*p));
		w->enc = p;
		w->nr_enc = n;
	}
	if (!w->enc[cpu]) {
		w->enc[cpu] = malloc(sizeof(struct bt_encoder));
		if (w->enc[cpu])
			bt_encoder_init(w->enc[cpu]);
	}
	return w->enc[cpu];
}

int bt_writer_add_event(struct bt_writer *w, const struct bt_event *ev)
{
	struct bt_encoder *e;
	int err;

	if (w->err)
		return w->err;
	if (ev->cpu >= BT_MAX_CPUS || !bt_event_desc(ev->type) ||
	    ev->type == BT_EV_SNAPSHOT)
		return -EINVAL;
	e = get_encoder(w, ev->cpu);
	if (!e)
		return set_err(w, -ENOMEM);
	/* A CPU going back in time starts a new chunk: chunks stay sorted. */
	if (e->count && ev->ts < e->last_ts) {
		err = finish_chunk(w, e, ev->cpu);
		if (err)
			return set_err(w, err);
	}
	err = bt_encoder_add(e, ev);
	if (err == -EINVAL)
		return err;
	if (!err && (e->count >= BT_CHUNK_MAX_EVENTS ||
		     bt_encoder_raw_size(e) >= BT_CHUNK_MAX_RAW))
		err = finish_chunk(w, e, ev->cpu);
	return set_err(w, err);
}

int bt_writer_flush(struct bt_writer *w)
{
	unsigned int c;
	int err = w->err;

	for (c = 0; c < w->nr_enc && !err; c++)
		if (w->enc[c])
			err = finish_chunk(w, w->enc[c], c);
	if (!err)
		err = write_pending(w);
	return set_err(w, err);
}

uint64_t bt_writer_bytes(const struct bt_writer *w)
{
	return w->off;
}

static int write_index(struct bt_writer *w)
{
	unsigned char end[8];
	struct bt_buf b;
	uint64_t index_off = w->off;
	int err;

	bt_buf_init(&b);
	err = bt_buf_put_varint(&b, w->nr_index);
	if (!err)
		err = bt_buf_append(&b, w->index.data, w->index.len);
	if (!err)
		err = write_plain(w, BT_SEC_INDEX, b.data, b.len);
	bt_buf_release(&b);
	bt_put_le64(end, index_off);
	if (!err)
		err = write_section(w, BT_SEC_END, 0, NULL, 0, end,
				    sizeof(end), NULL, NULL);
	return err;
}

int bt_writer_close(struct bt_writer *w)
{
	int err = bt_writer_flush(w);

	if (!err)
		err = set_err(w, write_index(w));
	if (!w->is_stdout && close(w->fd) && !err)
		err = -errno;
	w->fd = -1;
	bt_writer_abort(w);
	return err;
}

void bt_writer_abort(struct bt_writer *w)
{
	unsigned int c;

	if (!w)
		return;
	if (w->fd >= 0 && !w->is_stdout)
		close(w->fd);
	for (c = 0; c < w->nr_enc && w->enc; c++) {
		if (!w->enc[c])
			continue;
		bt_encoder_release(w->enc[c]);
		free(w->enc[c]);
	}
	free(w->enc);
	ZSTD_freeCCtx(w->cctx);
	bt_buf_release(&w->meta);
	bt_buf_release(&w->formats);
	bt_buf_release(&w->stacks);
	bt_buf_release(&w->body);
	bt_buf_release(&w->comp);
	bt_buf_release(&w->index);
	free(w);
}
