// SPDX-License-Identifier: GPL-2.0-only
/*
 * reader.c - opening a .bt file: mapping it, the file header, the linear
 * scan of a file without an index (index.c reads the index, sections.c
 * the non-event sections), and the reader's accessors.
 *
 * The file is mapped (or, for a pipe, read into memory) and every offset
 * and length taken from it is checked against its size before use. A
 * file with a valid trailer and index is opened from the index without
 * touching event chunks; otherwise sections are walked from the start,
 * each verified by its own checksums. Damage never stops the walk: a bad
 * section is skipped (resynchronizing on the next section sync word when
 * its header is unreadable), a cut tail is measured, and both are reported
 * through bt_warn() and bt_reader_damage().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader-internal.h"

const char *bt_section_type_name(unsigned int type)
{
	static const char *const names[BT_SEC_TYPE_COUNT] = {
		[BT_SEC_META] = "metadata", [BT_SEC_FORMAT] = "formats",
		[BT_SEC_SNAPSHOT] = "snapshot", [BT_SEC_STACKS] = "stacks",
		[BT_SEC_EVENTS] = "event chunk", [BT_SEC_INDEX] = "index",
		[BT_SEC_END] = "trailer",
	};

	return type < BT_SEC_TYPE_COUNT && names[type] ? names[type]
						       : "unknown section";
}

static int read_fd(struct bt_reader *r, int fd)
{
	struct bt_buf b;
	ssize_t n;

	bt_buf_init(&b);
	for (;;) {
		if (bt_buf_reserve(&b, 1 << 16)) {
			bt_buf_release(&b);
			return -ENOMEM;
		}
		n = read(fd, b.data + b.len, b.cap - b.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			bt_buf_release(&b);
			return (int)n;
		}
		if (!n)
			break;
		b.len += (size_t)n;
	}
	r->data = b.data;
	r->size = b.len;
	return 0;
}

static int map_file(struct bt_reader *r, const char *path)
{
	struct stat st;
	int fd, err = 0;
	void *p;

	if (!strcmp(path, "-"))
		return read_fd(r, STDIN_FILENO);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
	} else if (S_ISDIR(st.st_mode)) {
		err = -EISDIR;
	} else if (!S_ISREG(st.st_mode)) {
		err = read_fd(r, fd);
	} else if (st.st_size > 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
			 0);
		if (p == MAP_FAILED) {
			err = -errno;
		} else {
			r->data = p;
			r->size = (size_t)st.st_size;
			r->mapped = true;
		}
	}
	close(fd);
	return err;
}

static int check_header(struct bt_reader *r)
{
	const unsigned char *p = r->data;

	if (r->size < BT_FILE_MAGIC_LEN ||
	    memcmp(p, BT_FILE_MAGIC, BT_FILE_MAGIC_LEN))
		return BT_E_BAD_MAGIC;
	if (r->size < 12)
		return BT_E_TRUNCATED;
	r->major = bt_get_le16(p + 8);
	r->minor = bt_get_le16(p + 10);
	if (r->major > BT_FORMAT_MAJOR)
		return BT_E_VERSION;
	if (r->major < 1)
		return BT_E_CORRUPT;
	if (r->size < BT_FILE_HEADER_LEN)
		return BT_E_TRUNCATED;
	if (bt_get_le32(p + 28) != bt_crc32c(0, p, 28))
		return BT_E_CHECKSUM;
	if (bt_get_le32(p + 16) != BT_FILE_HEADER_LEN)
		return BT_E_CORRUPT;
	return 0;
}

int bt_reader_add_chunk(struct bt_reader *r, const struct bt_section *s,
			const struct bt_chunk_info *ci, bool crc_ok)
{
	struct bt_rchunk *c;

	if (ci->cpu >= BT_MAX_CPUS || !ci->count)
		return BT_E_CORRUPT;
	if (r->nr_chunks == r->cap_chunks) {
		unsigned int n = r->cap_chunks ? r->cap_chunks * 2 : 64;

		c = realloc(r->chunks, n * sizeof(*c));
		if (!c)
			return -ENOMEM;
		r->chunks = c;
		r->cap_chunks = n;
	}
	c = &r->chunks[r->nr_chunks++];
	c->off = s->offset;
	c->len = s->len;
	c->crc = s->crc;
	c->seq = s->seq;
	c->crc_ok = crc_ok;
	c->bad = false;
	c->ci = *ci;
	return 0;
}

void bt_reader_warn_section(struct bt_reader *r, const struct bt_section *s,
			    int err)
{
	char what[96] = "";

	r->damage.bad_chunks++;
	if (s->type == BT_SEC_EVENTS && s->len >= BT_CHUNK_HEADER_LEN) {
		struct bt_chunk_info ci;

		bt_chunk_info_get(bt_section_payload(r, s), &ci);
		snprintf(what, sizeof(what), " (cpu %u, about %u events lost)",
			 ci.cpu, ci.count);
	}
	bt_warn("'%s': section %u (%s) at offset %llu: %s%s", r->path,
		s->seq, bt_section_type_name(s->type),
		(unsigned long long)s->offset, bt_strerror(err), what);
}

static void scan_section(struct bt_reader *r, const struct bt_section *s)
{
	struct bt_chunk_info ci;
	int err = 0;

	if (s->type == BT_SEC_INDEX || s->type == BT_SEC_END)
		return;
	if (s->type != BT_SEC_EVENTS) {
		err = bt_reader_load_section(r, s);
	} else if (s->len < BT_CHUNK_HEADER_LEN) {
		err = BT_E_CORRUPT;
	} else if (bt_crc32c(0, bt_section_payload(r, s), s->len) != s->crc) {
		err = BT_E_CHECKSUM;
	} else {
		bt_chunk_info_get(bt_section_payload(r, s), &ci);
		err = bt_reader_add_chunk(r, s, &ci, true);
	}
	if (err)
		bt_reader_warn_section(r, s, err);
}

/* Next offset after @off holding a section header with a valid CRC. */
static uint64_t resync(const struct bt_reader *r, uint64_t off)
{
	struct bt_section s;
	const unsigned char *p;

	for (off++; off + BT_SECTION_HEADER_LEN <= r->size; off++) {
		p = memchr(r->data + off, 0x25, r->size - off);
		if (!p)
			break;
		off = (uint64_t)(p - r->data);
		if (off + BT_SECTION_HEADER_LEN > r->size)
			break;
		if (!bt_section_header_get(p, &s))
			return off;
	}
	return r->size;
}

static void note_truncation(struct bt_reader *r, uint64_t off)
{
	char what[96] = "";
	struct bt_section s;

	r->damage.truncated = true;
	r->damage.bytes_lost += r->size - off;
	if (r->size - off >= BT_SECTION_HEADER_LEN + BT_CHUNK_HEADER_LEN &&
	    !bt_section_header_get(r->data + off, &s) &&
	    s.type == BT_SEC_EVENTS) {
		struct bt_chunk_info ci;

		bt_chunk_info_get(r->data + off + BT_SECTION_HEADER_LEN, &ci);
		snprintf(what, sizeof(what),
			 ": a partial chunk of cpu %u with %u events", ci.cpu,
			 ci.count);
	}
	bt_warn("'%s' is cut short: the last %llu bytes are not a whole "
		"section%s", r->path, (unsigned long long)(r->size - off),
		what);
}

static void scan_linear(struct bt_reader *r)
{
	uint64_t off = BT_FILE_HEADER_LEN, next;
	struct bt_section s;
	int err;

	r->damage.no_index = true;
	while (off < r->size) {
		err = bt_section_at(r, off, &s);
		if (err == BT_E_TRUNCATED) {
			note_truncation(r, off);
			return;
		}
		if (err) {
			next = resync(r, off);
			r->damage.bad_chunks++;
			r->damage.bytes_lost += next - off;
			bt_warn("'%s': unreadable section header at offset "
				"%llu: skipped %llu bytes", r->path,
				(unsigned long long)off,
				(unsigned long long)(next - off));
			off = next;
			continue;
		}
		scan_section(r, &s);
		off += BT_SECTION_HEADER_LEN + (uint64_t)s.len;
	}
}


static int check_usable(struct bt_reader *r)
{
	if (r->nr_chunks || r->nr_meta || r->nr_snaps || r->nr_formats)
		return 0;
	if (r->damage.bad_chunks)
		return BT_E_CHECKSUM;
	if (r->damage.truncated)
		return BT_E_TRUNCATED;
	return 0;
}

struct bt_reader *bt_reader_open(const char *path, int *err)
{
	struct bt_reader *r = calloc(1, sizeof(*r));
	int e;

	if (!r) {
		*err = -ENOMEM;
		return NULL;
	}
	r->pending = -1;
	r->path = strdup(path);
	r->dctx = ZSTD_createDCtx();
	e = !r->path || !r->dctx ? -ENOMEM : map_file(r, path);
	if (!e)
		e = check_header(r);
	if (!e && bt_reader_load_index(r))
		scan_linear(r);
	if (!e)
		e = check_usable(r);
	if (!e)
		e = bt_stream_setup(r);
	if (!e)
		return r;
	bt_reader_close(r);
	*err = e;
	return NULL;
}

/*
 * What the original parsed at open (metadata, formats, snapshots, stacks,
 * the bytes) is shared, read-only; the chunk table, which reading marks
 * (checksums verified, damage), and the stream state are the copy's own.
 */
struct bt_reader *bt_reader_dup(const struct bt_reader *o, int *err)
{
	struct bt_reader *r = malloc(sizeof(*r));
	int e = 0;

	if (!r) {
		*err = -ENOMEM;
		return NULL;
	}
	*r = *o;
	r->borrowed = true;
	r->cur = NULL;
	r->nr_cur = 0;
	r->heap = NULL;
	r->heap_len = 0;
	r->snap_order = NULL;
	r->pf = NULL;
	r->pending = -1;
	r->run = NULL;
	r->started = false;
	r->path = strdup(o->path);
	r->dctx = ZSTD_createDCtx();
	r->chunks = malloc((o->nr_chunks + 1) * sizeof(*r->chunks));
	if (!r->path || !r->dctx || !r->chunks)
		e = -ENOMEM;
	else if (o->nr_chunks)
		memcpy(r->chunks, o->chunks, o->nr_chunks * sizeof(*r->chunks));
	r->cap_chunks = o->nr_chunks + 1;
	if (!e)
		e = bt_stream_setup(r);
	if (!e)
		return r;
	bt_reader_close(r);
	*err = e;
	return NULL;
}

void bt_reader_close(struct bt_reader *r)
{
	unsigned int i;

	if (!r)
		return;
	bt_stream_release(r);
	free(r->snap_order);
	free(r->chunks);
	ZSTD_freeDCtx(r->dctx);
	free(r->path);
	if (r->borrowed) {	/* bt_reader_dup(): the rest is another's */
		free(r);
		return;
	}
	for (i = 0; i < r->nr_meta; i++) {
		free(r->meta[i].key);
		free(r->meta[i].value);
	}
	for (i = 0; i < r->nr_formats; i++) {
		free(r->formats[i].system);
		free(r->formats[i].name);
		free(r->formats[i].text);
	}
	for (i = 0; i < r->nr_snaps; i++)
		free((void *)r->snaps[i].data);
	for (i = 0; i < r->nr_stacks; i++) {
		free(r->stacks[i].ips);
		free(r->stacks[i].symbols);
	}
	free(r->meta);
	free(r->formats);
	free(r->snaps);
	free(r->stacks);
	if (r->mapped)
		munmap((void *)r->data, r->size);
	else
		free((void *)r->data);
	free(r);
}

const char *bt_reader_meta(const struct bt_reader *r, const char *key)
{
	unsigned int i;

	for (i = 0; i < r->nr_meta; i++)
		if (!strcmp(r->meta[i].key, key))
			return r->meta[i].value;
	return NULL;
}

bool bt_reader_meta_at(const struct bt_reader *r, unsigned int i,
		       const char **key, const char **value)
{
	if (i >= r->nr_meta)
		return false;
	*key = r->meta[i].key;
	*value = r->meta[i].value;
	return true;
}

const char *bt_reader_format(const struct bt_reader *r, const char *system,
			     const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nr_formats; i++)
		if (!strcmp(r->formats[i].system, system) &&
		    !strcmp(r->formats[i].name, name))
			return r->formats[i].text;
	return NULL;
}

unsigned int bt_reader_nr_snapshots(const struct bt_reader *r)
{
	return r->nr_snaps;
}

const struct bt_snapshot *bt_reader_snapshot(const struct bt_reader *r,
					     unsigned int i)
{
	return i < r->nr_snaps ? &r->snaps[i] : NULL;
}

int bt_reader_stack(const struct bt_reader *r, uint32_t id,
		    const uint64_t **ips, const char **symbols)
{
	unsigned int i;

	for (i = r->nr_stacks; i-- > 0;) {
		if (r->stacks[i].id != id)
			continue;
		*ips = r->stacks[i].ips;
		*symbols = r->stacks[i].symbols;
		return (int)r->stacks[i].nr;
	}
	return -ENOENT;
}

void bt_reader_damage(const struct bt_reader *r, struct bt_damage *d)
{
	*d = r->damage;
}

void bt_reader_version(const struct bt_reader *r, unsigned int *major,
		       unsigned int *minor)
{
	*major = r->major;
	*minor = r->minor;
}
