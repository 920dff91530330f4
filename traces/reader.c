// SPDX-License-Identifier: GPL-2.0-only
/*
 * reader.c - opening a .bt file: the file header, the index (or a linear
 * scan when there is none), metadata, formats, snapshots and stacks.
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

#define BT_MAX_SECTION_RAW (1u << 30)

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

/* Header of the section at @off, checked against the file size. */
static int section_at(const struct bt_reader *r, uint64_t off,
		      struct bt_section *s)
{
	int err;

	if (off > r->size || r->size - off < BT_SECTION_HEADER_LEN)
		return BT_E_TRUNCATED;
	err = bt_section_header_get(r->data + off, s);
	if (err)
		return err;
	s->offset = off;
	if (s->type == 0)
		return BT_E_CORRUPT;	/* later minors may add types: skipped */
	if (r->size - off - BT_SECTION_HEADER_LEN < s->len)
		return BT_E_TRUNCATED;
	return 0;
}

static const unsigned char *payload(const struct bt_reader *r,
				    const struct bt_section *s)
{
	return r->data + s->offset + BT_SECTION_HEADER_LEN;
}

/*
 * The payload of a non-event section, decompressed when flagged. *@owned
 * is set to a malloc'd buffer the caller frees (NULL when borrowed).
 */
static int section_bytes(struct bt_reader *r, const struct bt_section *s,
			 const unsigned char **out, size_t *len,
			 unsigned char **owned)
{
	const unsigned char *p = payload(r, s);
	unsigned long long n;
	size_t got;

	*owned = NULL;
	if (bt_crc32c(0, p, s->len) != s->crc)
		return BT_E_CHECKSUM;
	if (!(s->flags & BT_SECF_ZSTD)) {
		*out = p;
		*len = s->len;
		return 0;
	}
	n = ZSTD_getFrameContentSize(p, s->len);
	if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN ||
	    n > BT_MAX_SECTION_RAW)
		return BT_E_ZSTD;
	*owned = malloc(n + 1);
	if (!*owned)
		return -ENOMEM;
	got = ZSTD_decompressDCtx(r->dctx, *owned, n + 1, p, s->len);
	if (ZSTD_isError(got) || got != n) {
		free(*owned);
		*owned = NULL;
		return BT_E_ZSTD;
	}
	*out = *owned;
	*len = got;
	return 0;
}

/* A length-prefixed string copied to a NUL-terminated heap string. */
static char *get_lstr(const unsigned char **p, const unsigned char *end,
		      size_t *len)
{
	uint64_t n;
	char *s;

	if (!bt_varint_get(p, end, &n) || n > (uint64_t)(end - *p))
		return NULL;
	s = malloc(n + 1);
	if (!s)
		return NULL;
	memcpy(s, *p, n);
	s[n] = '\0';
	*p += n;
	if (len)
		*len = n;
	return s;
}

static int set_meta(struct bt_reader *r, char *key, char *value)
{
	struct bt_meta_kv *m;
	unsigned int i;

	for (i = 0; i < r->nr_meta; i++) {
		if (!strcmp(r->meta[i].key, key)) {
			free(key);
			free(r->meta[i].value);
			r->meta[i].value = value;
			return 0;
		}
	}
	m = realloc(r->meta, (r->nr_meta + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	r->meta = m;
	m[r->nr_meta].key = key;
	m[r->nr_meta++].value = value;
	return 0;
}

static int parse_meta(struct bt_reader *r, const unsigned char *p,
		      const unsigned char *end)
{
	while (p < end) {
		char *k = get_lstr(&p, end, NULL);
		char *v = k ? get_lstr(&p, end, NULL) : NULL;

		if (!v || set_meta(r, k, v)) {
			free(k);
			free(v);
			return BT_E_CORRUPT;
		}
	}
	return 0;
}

static int parse_formats(struct bt_reader *r, const unsigned char *p,
			 const unsigned char *end)
{
	while (p < end) {
		struct bt_rformat f = { 0 }, *nf;

		f.system = get_lstr(&p, end, NULL);
		f.name = f.system ? get_lstr(&p, end, NULL) : NULL;
		f.text = f.name ? get_lstr(&p, end, NULL) : NULL;
		nf = f.text ? realloc(r->formats, (r->nr_formats + 1) *
						  sizeof(*nf)) : NULL;
		if (!nf) {
			free(f.system);
			free(f.name);
			free(f.text);
			return BT_E_CORRUPT;
		}
		r->formats = nf;
		nf[r->nr_formats++] = f;
	}
	return 0;
}

static int parse_snapshot(struct bt_reader *r, const unsigned char *p,
			  const unsigned char *end)
{
	struct bt_snapshot *ns;
	uint64_t kind, ts;
	unsigned char *data;
	size_t n;

	if (!bt_varint_get(&p, end, &kind) || !bt_varint_get(&p, end, &ts) ||
	    kind == 0 || kind > 255)
		return BT_E_CORRUPT;
	n = (size_t)(end - p);
	data = malloc(n + 1);
	ns = data ? realloc(r->snaps, (r->nr_snaps + 1) * sizeof(*ns)) : NULL;
	if (!ns) {
		free(data);
		return -ENOMEM;
	}
	memcpy(data, p, n);
	data[n] = '\0';
	r->snaps = ns;
	ns[r->nr_snaps].kind = (unsigned int)kind;
	ns[r->nr_snaps].ts = ts;
	ns[r->nr_snaps].data = data;
	ns[r->nr_snaps++].len = n;
	return 0;
}

static int parse_one_stack(struct bt_reader *r, const unsigned char **p,
			   const unsigned char *end)
{
	struct bt_rstack st = { 0 }, *ns;
	uint64_t id, nr, i;

	if (!bt_varint_get(p, end, &id) || !bt_varint_get(p, end, &nr) ||
	    !id || id > UINT32_MAX || nr > (uint64_t)(end - *p))
		return BT_E_CORRUPT;
	st.id = (uint32_t)id;
	st.nr = (uint32_t)nr;
	st.ips = calloc(nr + 1, sizeof(*st.ips));
	for (i = 0; st.ips && i < nr; i++)
		if (!bt_varint_get(p, end, &st.ips[i]))
			goto out_bad;
	st.symbols = st.ips ? get_lstr(p, end, NULL) : NULL;
	ns = st.symbols ? realloc(r->stacks, (r->nr_stacks + 1) * sizeof(*ns))
			: NULL;
	if (!ns)
		goto out_bad;
	r->stacks = ns;
	ns[r->nr_stacks++] = st;
	return 0;
out_bad:
	free(st.ips);
	free(st.symbols);
	return BT_E_CORRUPT;
}

static int parse_stacks(struct bt_reader *r, const unsigned char *p,
			const unsigned char *end)
{
	int err = 0;

	while (p < end && !err)
		err = parse_one_stack(r, &p, end);
	return err;
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

/* Read a non-event section into the reader's tables. */
static int load_section(struct bt_reader *r, const struct bt_section *s)
{
	const unsigned char *p;
	unsigned char *owned;
	size_t len;
	int err;

	err = section_bytes(r, s, &p, &len, &owned);
	if (err)
		return err;
	switch (s->type) {
	case BT_SEC_META:
		err = parse_meta(r, p, p + len);
		break;
	case BT_SEC_FORMAT:
		err = parse_formats(r, p, p + len);
		break;
	case BT_SEC_SNAPSHOT:
		err = parse_snapshot(r, p, p + len);
		break;
	case BT_SEC_STACKS:
		err = parse_stacks(r, p, p + len);
		break;
	default:
		break;
	}
	free(owned);
	return err;
}

static void warn_bad(struct bt_reader *r, const struct bt_section *s, int err)
{
	char what[96] = "";

	r->damage.bad_chunks++;
	if (s->type == BT_SEC_EVENTS && s->len >= BT_CHUNK_HEADER_LEN) {
		struct bt_chunk_info ci;

		bt_chunk_info_get(payload(r, s), &ci);
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
		err = load_section(r, s);
	} else if (s->len < BT_CHUNK_HEADER_LEN) {
		err = BT_E_CORRUPT;
	} else if (bt_crc32c(0, payload(r, s), s->len) != s->crc) {
		err = BT_E_CHECKSUM;
	} else {
		bt_chunk_info_get(payload(r, s), &ci);
		err = bt_reader_add_chunk(r, s, &ci, true);
	}
	if (err)
		warn_bad(r, s, err);
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
		err = section_at(r, off, &s);
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

	err = section_bytes(r, s, &p, &len, &owned);
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

	err = section_at(r, e->off, &s);
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
		err = load_section(r, &s);
	}
	if (err)
		warn_bad(r, &s, err);
}

/* Open from the trailer and index: 0, or nonzero to scan linearly. */
static int load_index(struct bt_reader *r)
{
	struct bt_section end, ix;
	struct ix_entry *e;
	uint64_t off, nr, i;
	int err;

	off = r->size - BT_SECTION_HEADER_LEN - 8;
	if (r->size < BT_FILE_HEADER_LEN + 2 * BT_SECTION_HEADER_LEN + 8 ||
	    section_at(r, off, &end) || end.type != BT_SEC_END ||
	    end.len != 8 || bt_crc32c(0, payload(r, &end), 8) != end.crc) {
		bt_warn("'%s' has no index (the writer did not finish: crash "
			"or still recording?); reading it by linear scan",
			r->path);
		return BT_E_TRUNCATED;
	}
	off = bt_get_le64(payload(r, &end));
	err = section_at(r, off, &ix);
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
	if (!e && load_index(r))
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

void bt_reader_close(struct bt_reader *r)
{
	unsigned int i;

	if (!r)
		return;
	bt_stream_release(r);
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
	free(r->snap_order);
	free(r->stacks);
	free(r->chunks);
	if (r->mapped)
		munmap((void *)r->data, r->size);
	else
		free((void *)r->data);
	ZSTD_freeDCtx(r->dctx);
	free(r->path);
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
