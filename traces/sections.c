// SPDX-License-Identifier: GPL-2.0-only
/*
 * sections.c - reading the sections of a .bt file other than event
 * chunks: header and bounds checks, payload checksum and decompression,
 * and the metadata, format, snapshot and stack tables they fill.
 *
 * Every length read from the file is checked against what remains before
 * use; a section that does not parse is reported by the caller and
 * skipped, never trusted in part beyond the entries already complete.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reader-internal.h"

#define BT_MAX_SECTION_RAW (1u << 30)

/* Header of the section at @off, checked against the file size. */
int bt_section_at(const struct bt_reader *r, uint64_t off,
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

const unsigned char *bt_section_payload(const struct bt_reader *r,
					const struct bt_section *s)
{
	return r->data + s->offset + BT_SECTION_HEADER_LEN;
}

/*
 * The payload of a non-event section, decompressed when flagged. *@owned
 * is set to a malloc'd buffer the caller frees (NULL when borrowed).
 */
int bt_section_bytes(struct bt_reader *r, const struct bt_section *s,
		     const unsigned char **out, size_t *len,
		     unsigned char **owned)
{
	const unsigned char *p = bt_section_payload(r, s);
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
	if (n >= 65536)		/* fresh pages, written in full */
		bt_populate(*owned, n + 1);
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

/*
 * A snapshot's text. @owned, when the section was compressed, is the
 * decompressed section holding it: the text is moved to its start and
 * the buffer kept (*owned is then NULL), not copied again.
 */
static int parse_snapshot(struct bt_reader *r, const unsigned char *p,
			  const unsigned char *end, unsigned char **owned)
{
	struct bt_snapshot *ns;
	uint64_t kind, ts;
	unsigned char *data;
	size_t n;

	if (!bt_varint_get(&p, end, &kind) || !bt_varint_get(&p, end, &ts) ||
	    kind == 0 || kind > 255)
		return BT_E_CORRUPT;
	n = (size_t)(end - p);
	ns = realloc(r->snaps, (r->nr_snaps + 1) * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	r->snaps = ns;
	if (*owned) {
		/* bt_section_bytes() left a byte for the NUL */
		data = *owned;
		*owned = NULL;
		memmove(data, p, n);
	} else {
		data = malloc(n + 1);
		if (!data)
			return -ENOMEM;
		bt_populate(data, n + 1);	/* a free-page map: 100s of KB */
		memcpy(data, p, n);
	}
	data[n] = '\0';
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

/* Read a non-event section into the reader's tables. */
int bt_reader_load_section(struct bt_reader *r, const struct bt_section *s)
{
	const unsigned char *p;
	unsigned char *owned;
	size_t len;
	int err;

	err = bt_section_bytes(r, s, &p, &len, &owned);
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
		err = parse_snapshot(r, p, p + len, &owned);
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
