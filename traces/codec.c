// SPDX-License-Identifier: GPL-2.0-only
/*
 * codec.c - section headers and the column-oriented event chunk codec.
 *
 * An event chunk holds the events of one CPU, delta-encoded into separate
 * streams (type bytes, timestamp deltas, task changes, pfn deltas, other
 * arguments, strings, rare extras) that are then compressed together with
 * zstd by the writer. Keeping like values together is what lets zstd find
 * the repetition in kmem traces (see docs/buddytrace-trace.5 for the exact
 * rules). The decoder reads straight from the decompressed body into a
 * caller's struct bt_event: no allocation per event, and comm and str point
 * into the body.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "traces-internal.h"

void bt_section_header_put(unsigned char *p, const struct bt_section *s)
{
	bt_put_le32(p, BT_SECTION_SYNC);
	p[4] = (unsigned char)s->type;
	p[5] = (unsigned char)s->flags;
	bt_put_le16(p + 6, 0);
	bt_put_le32(p + 8, s->len);
	bt_put_le32(p + 12, s->seq);
	bt_put_le32(p + 16, s->crc);
	bt_put_le32(p + 20, bt_crc32c(0, p, 20));
}

int bt_section_header_get(const unsigned char *p, struct bt_section *s)
{
	if (bt_get_le32(p) != BT_SECTION_SYNC)
		return BT_E_CORRUPT;
	if (bt_get_le32(p + 20) != bt_crc32c(0, p, 20))
		return BT_E_CHECKSUM;
	s->type = p[4];
	s->flags = p[5];
	s->len = bt_get_le32(p + 8);
	s->seq = bt_get_le32(p + 12);
	s->crc = bt_get_le32(p + 16);
	return 0;
}

void bt_chunk_info_put(unsigned char *p, const struct bt_chunk_info *ci)
{
	bt_put_le32(p, ci->cpu);
	bt_put_le32(p + 4, ci->count);
	bt_put_le64(p + 8, ci->first_ts);
	bt_put_le64(p + 16, ci->last_ts);
	bt_put_le32(p + 24, ci->raw_len);
	p[28] = ci->encoding;
	p[29] = ci->compression;
	bt_put_le16(p + 30, 0);
	bt_put_le64(p + 32, ci->lost);
}

void bt_chunk_info_get(const unsigned char *p, struct bt_chunk_info *ci)
{
	ci->cpu = bt_get_le32(p);
	ci->count = bt_get_le32(p + 4);
	ci->first_ts = bt_get_le64(p + 8);
	ci->last_ts = bt_get_le64(p + 16);
	ci->raw_len = bt_get_le32(p + 24);
	ci->encoding = p[28];
	ci->compression = p[29];
	ci->lost = bt_get_le64(p + 32);
}

int bt_buf_put_varint(struct bt_buf *b, uint64_t v)
{
	if (bt_buf_reserve(b, 10))
		return -ENOMEM;
	b->len += bt_varint_put(b->data + b->len, v);
	return 0;
}

int bt_buf_put_bytes(struct bt_buf *b, const void *p, size_t n)
{
	return bt_buf_append(b, p, n);
}

int bt_buf_put_lstr(struct bt_buf *b, const char *s, size_t n)
{
	if (bt_buf_put_varint(b, n))
		return -ENOMEM;
	return bt_buf_append(b, s, n);
}

int bt_index_put_counts(struct bt_buf *b, const uint32_t *per_type)
{
	unsigned int t, n = 0;
	int err;

	for (t = 1; t < BT_EV_TYPE_COUNT; t++)
		n += per_type[t] != 0;
	err = bt_buf_put_varint(b, n);
	for (t = 1; t < BT_EV_TYPE_COUNT && !err; t++) {
		if (!per_type[t])
			continue;
		err = bt_buf_put_varint(b, t);
		if (!err)
			err = bt_buf_put_varint(b, per_type[t]);
	}
	return err;
}

/* ---- encoder ---- */

void bt_encoder_init(struct bt_encoder *e)
{
	unsigned int i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < BT_ST_COUNT; i++)
		bt_buf_init(&e->st[i]);
}

void bt_encoder_release(struct bt_encoder *e)
{
	unsigned int i;

	for (i = 0; i < BT_ST_COUNT; i++)
		bt_buf_release(&e->st[i]);
	free(e->prev_comm);
	memset(e, 0, sizeof(*e));
}

void bt_encoder_reset(struct bt_encoder *e)
{
	unsigned int i;

	for (i = 0; i < BT_ST_COUNT; i++)
		e->st[i].len = 0;
	e->count = 0;
	e->first_ts = e->last_ts = e->prev_ts = e->lost = 0;
	e->prev_pfn = 0;
	e->pfn_base = e->pfn_seq;
	e->prev_pid = 0;
	e->have_task = false;
	memset(e->per_type, 0, sizeof(e->per_type));
}

/* Room for a varint is reserved by the caller (put_event reserves). */
static inline void put_v(struct bt_buf *b, uint64_t v)
{
	b->len += bt_varint_put(b->data + b->len, v);
}

static bool task_changed(const struct bt_encoder *e, const struct bt_event *ev)
{
	if (!e->have_task || ev->pid != e->prev_pid)
		return true;
	if (!ev->comm || e->prev_comm_null)
		return !ev->comm != e->prev_comm_null;
	return strcmp(ev->comm, e->prev_comm) != 0;
}

static int remember_comm(struct bt_encoder *e, const char *comm, size_t n)
{
	e->prev_comm_null = !comm;
	if (!comm)
		return 0;
	if (n + 1 > e->prev_comm_cap) {
		char *p = realloc(e->prev_comm, n + 1);

		if (!p)
			return -ENOMEM;
		e->prev_comm = p;
		e->prev_comm_cap = n + 1;
	}
	memcpy(e->prev_comm, comm, n);
	e->prev_comm[n] = '\0';
	return 0;
}

static int put_task(struct bt_encoder *e, const struct bt_event *ev)
{
	struct bt_buf *b = &e->st[BT_ST_TASK];
	size_t n = ev->comm ? strlen(ev->comm) : 0;

	if (bt_buf_reserve(b, 22 + n))
		return -ENOMEM;
	put_v(b, bt_zigzag((int64_t)ev->pid - (int64_t)e->prev_pid));
	put_v(b, ev->comm ? n + 1 : 0);
	if (ev->comm) {
		memcpy(b->data + b->len, ev->comm, n);
		b->len += n;
		b->data[b->len++] = '\0';
	}
	e->prev_pid = ev->pid;
	e->have_task = true;
	return remember_comm(e, ev->comm, n);
}

static inline unsigned int pfn_hash(uint64_t pfn)
{
	return (unsigned int)((pfn * 0x9E3779B97F4A7C15ull) >> 54) &
	       (BT_PFN_HASH - 1);
}

static void put_pfn(struct bt_encoder *e, uint64_t v)
{
	struct bt_buf *b = &e->st[BT_ST_PFN], *d = &e->st[BT_ST_PFN_DELTA];
	unsigned int h;
	uint64_t z, last;

	if (v == BT_PFN_NONE || v == BT_PFN_UNKNOWN) {
		put_v(b, v == BT_PFN_NONE ? BT_PC_NONE : BT_PC_UNKNOWN);
		return;
	}
	h = pfn_hash(v);
	last = e->hist[h].seq;
	if (last && e->hist[h].pfn == v && last - 1 >= e->pfn_base &&
	    e->pfn_seq - (last - 1) <= BT_PFN_HISTORY) {
		put_v(b, BT_PC_REPEAT + e->pfn_seq - (last - 1) - 1);
	} else {
		z = bt_zigzag((int64_t)(v - e->prev_pfn));
		if (z > (uint64_t)1 << 62) {
			put_v(b, BT_PC_ABSOLUTE);
			put_v(d, v);
		} else {
			put_v(b, BT_PC_DELTA);
			put_v(d, z);
		}
	}
	e->hist[h].pfn = v;
	e->hist[h].seq = ++e->pfn_seq;
	e->prev_pfn = v;
}

static int put_str(struct bt_encoder *e, const struct bt_event *ev)
{
	struct bt_buf *b = &e->st[BT_ST_STR];
	size_t n = ev->str ? ev->str_len : 0;

	if (bt_buf_reserve(b, 11 + n))
		return -ENOMEM;
	put_v(b, n);
	if (n)
		memcpy(b->data + b->len, ev->str, n);
	b->len += n;
	b->data[b->len++] = '\0';
	return 0;
}

static int put_args(struct bt_encoder *e, const struct bt_event_desc *d,
		    const struct bt_event *ev)
{
	struct bt_buf *a = &e->st[BT_ST_ARGS];
	unsigned int i;

	if (bt_buf_reserve(a, 11 * (BT_EVENT_MAX_ARGS + 1)) ||
	    bt_buf_reserve(&e->st[BT_ST_PFN], 10 * BT_EVENT_MAX_ARGS) ||
	    bt_buf_reserve(&e->st[BT_ST_PFN_DELTA], 10 * BT_EVENT_MAX_ARGS))
		return -ENOMEM;
	if (ev->type >= BT_TB_TYPE_ESCAPE)
		put_v(a, ev->type);
	for (i = 0; i < d->nr_fields; i++) {
		uint64_t v = ev->arg[i];

		switch (d->fields[i].kind) {
		case BT_FK_PFN:
			put_pfn(e, v);
			break;
		case BT_FK_SIGNED:
			put_v(a, bt_zigzag((int64_t)v));
			break;
		default:
			put_v(a, v);
			break;
		}
	}
	return 0;
}

/**
 * bt_encoder_add - append one event to the chunk being built
 *
 * The caller keeps events of this encoder in non-decreasing time order
 * (the writer starts a new chunk otherwise). Returns 0, -EINVAL for an
 * unknown type, or -ENOMEM.
 */
int bt_encoder_add(struct bt_encoder *e, const struct bt_event *ev)
{
	const struct bt_event_desc *d = bt_event_desc(ev->type);
	struct bt_buf *tb = &e->st[BT_ST_TYPE];
	unsigned char t;
	int err;

	if (!d || ev->type == BT_EV_SNAPSHOT)
		return -EINVAL;
	if (!e->count)
		e->first_ts = e->prev_ts = ev->ts;
	BT_BUG_ON(ev->ts < e->prev_ts);
	t = ev->type < BT_TB_TYPE_ESCAPE ? (unsigned char)ev->type
					 : BT_TB_TYPE_ESCAPE;
	if (task_changed(e, ev))
		t |= BT_TB_TASK;
	if (ev->flags || ev->stack_id)
		t |= BT_TB_EXTRA;
	if (bt_buf_reserve(tb, 1) || bt_buf_reserve(&e->st[BT_ST_TS], 1) ||
	    bt_buf_reserve(&e->st[BT_ST_TS_HI], 10) ||
	    bt_buf_reserve(&e->st[BT_ST_EXTRA], 20))
		return -ENOMEM;
	tb->data[tb->len++] = t;
	e->st[BT_ST_TS].data[e->st[BT_ST_TS].len++] =
		(unsigned char)(ev->ts - e->prev_ts);
	put_v(&e->st[BT_ST_TS_HI], (ev->ts - e->prev_ts) >> 8);
	if ((t & BT_TB_TASK) && (err = put_task(e, ev)))
		return err;
	if (t & BT_TB_EXTRA) {
		put_v(&e->st[BT_ST_EXTRA], ev->flags);
		put_v(&e->st[BT_ST_EXTRA], ev->stack_id);
	}
	err = put_args(e, d, ev);
	if (!err && d->has_str)
		err = put_str(e, ev);
	if (err)
		return err;
	if (ev->type == BT_EV_LOST)
		e->lost += ev->arg[0];
	e->prev_ts = e->last_ts = ev->ts;
	e->per_type[ev->type]++;
	e->count++;
	return 0;
}

size_t bt_encoder_raw_size(const struct bt_encoder *e)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < BT_ST_COUNT; i++)
		n += e->st[i].len;
	return n;
}

/* One stream into @scratch: zstd frame, or raw when not smaller. */
static int pack_stream(const struct bt_buf *st, ZSTD_CCtx *cctx, int level,
		       struct bt_buf *scratch, size_t *stored)
{
	size_t bound = ZSTD_compressBound(st->len), r;

	*stored = st->len;
	if (!st->len)
		return 0;
	if (bt_buf_reserve(scratch, bound))
		return -ENOMEM;
	r = ZSTD_compressCCtx(cctx, scratch->data + scratch->len, bound,
			      st->data, st->len, level);
	if (ZSTD_isError(r))
		return BT_E_INTERNAL;
	if (r < st->len) {
		*stored = r;
		scratch->len += r;
		return 0;
	}
	return bt_buf_append(scratch, st->data, st->len);
}

int bt_chunk_pack(const struct bt_encoder *e, ZSTD_CCtx *cctx, int level,
		  struct bt_buf *out, struct bt_buf *scratch)
{
	size_t stored[BT_ST_COUNT];
	unsigned int i;
	int err = 0;

	scratch->len = 0;
	for (i = 0; i < BT_ST_COUNT && !err; i++)
		err = pack_stream(&e->st[i], cctx, level, scratch, &stored[i]);
	if (err || bt_buf_reserve(out, 1 + 20 * BT_ST_COUNT))
		return err ? err : -ENOMEM;
	out->data[out->len++] = BT_ST_COUNT;
	for (i = 0; i < BT_ST_COUNT; i++) {
		put_v(out, e->st[i].len);
		put_v(out, stored[i]);
	}
	return bt_buf_append(out, scratch->data, scratch->len);
}

int bt_chunk_unpack(ZSTD_DCtx *dctx, const unsigned char *p, size_t len,
		    uint32_t raw_len, unsigned char *body,
		    uint32_t lens[BT_ST_COUNT])
{
	const unsigned char *end = p + len;
	uint64_t raw[BT_ST_COUNT], stored[BT_ST_COUNT], total = 0, n;
	unsigned int i;

	if (len < 1 || *p++ != BT_ST_COUNT)
		return BT_E_CORRUPT;
	for (i = 0; i < BT_ST_COUNT; i++) {
		if (!bt_varint_get(&p, end, &raw[i]) ||
		    !bt_varint_get(&p, end, &stored[i]) ||
		    raw[i] > raw_len || stored[i] > len)
			return BT_E_CORRUPT;
		total += raw[i];
		lens[i] = (uint32_t)raw[i];
	}
	if (total != raw_len)
		return BT_E_CORRUPT;
	for (i = 0; i < BT_ST_COUNT; body += raw[i], p += stored[i], i++) {
		if (stored[i] > (uint64_t)(end - p))
			return BT_E_CORRUPT;
		if (stored[i] == raw[i]) {
			memcpy(body, p, raw[i]);
			continue;
		}
		n = ZSTD_decompressDCtx(dctx, body, raw[i], p, stored[i]);
		if (ZSTD_isError(n) || n != raw[i])
			return BT_E_ZSTD;
	}
	if (p != end)
		return BT_E_CORRUPT;
	memset(body, 0, BT_DECODE_PAD);
	return 0;
}

/* ---- decoder ---- */

/* The page events' layout in events.c is the one hard-coded in
 * bt_decoder_page_args() (checked by fixed_check() at start-up). */
static bool fixed_ok;

int bt_decoder_init(struct bt_decoder *d, const unsigned char *body,
		    const uint32_t lens[BT_ST_COUNT],
		    const struct bt_chunk_info *ci)
{
	unsigned int i;

	for (i = 0; i < BT_ST_COUNT; i++) {
		d->p[i] = body;
		body += lens[i];
		d->end[i] = body;
	}
	if (lens[BT_ST_TYPE] != ci->count || lens[BT_ST_TS] != ci->count)
		return BT_E_CORRUPT;
	d->left = ci->count;
	d->check_below = UINT32_MAX;	/* check the first event */
	d->page_types = fixed_ok ? BT_EV_PAGE_PCPU_DRAIN : 0;
	d->cpu = ci->cpu;
	d->ts = ci->first_ts;
	d->pfn = 0;
	d->npfn = 0;
	d->pid = 0;
	d->comm = NULL;
	return 0;
}


static int get_task(struct bt_decoder *d)
{
	const unsigned char **p = &d->p[BT_ST_TASK];
	const unsigned char *end = d->end[BT_ST_TASK];
	uint64_t n;

	d->pid = (int32_t)(uint32_t)((uint64_t)(int64_t)d->pid +
				    (uint64_t)bt_unzigzag(bt_varint_get_fast(p)));
	n = bt_varint_get_fast(p);
	if (*p > end)
		return BT_E_CORRUPT;
	if (!n) {
		d->comm = NULL;
		return 0;
	}
	if (n > (uint64_t)(end - *p) || (*p)[n - 1] != '\0')
		return BT_E_CORRUPT;
	d->comm = (const char *)*p;
	*p += n;
	return 0;
}

static int get_str(struct bt_decoder *d, struct bt_event *ev)
{
	const unsigned char **p = &d->p[BT_ST_STR];
	const unsigned char *end = d->end[BT_ST_STR];
	uint64_t n = bt_varint_get_fast(p);

	if (*p > end || n >= (uint64_t)(end - *p) || (*p)[n] != '\0')
		return BT_E_CORRUPT;
	ev->str = (const char *)*p;
	ev->str_len = (uint32_t)n;
	*p += n + 1;
	return 0;
}

/* Field kinds by type, packed for the decoder's inner loop. */
static struct {
	bool valid;
	uint8_t nr;
	bool has_str;
	uint16_t pfn_mask;	/* bit i: field i is a pfn */
	uint16_t signed_mask;	/* bit i: field i is zigzag-coded */
} kinds[BT_EV_TYPE_COUNT];

static void kinds_init(void) __attribute__((constructor));
static void fixed_check(void);

static void kinds_init(void)
{
	unsigned int t, i;

	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		const struct bt_event_desc *desc = bt_event_desc(t);

		if (!desc || t == BT_EV_SNAPSHOT)
			continue;	/* not valid: rejected in chunks */
		kinds[t].valid = true;
		kinds[t].nr = (uint8_t)desc->nr_fields;
		kinds[t].has_str = desc->has_str;
		for (i = 0; i < desc->nr_fields; i++) {
			if (desc->fields[i].kind == BT_FK_PFN)
				kinds[t].pfn_mask |= (uint16_t)(1u << i);
			if (desc->fields[i].kind == BT_FK_SIGNED)
				kinds[t].signed_mask |= (uint16_t)(1u << i);
		}
	}
	fixed_check();
}

/*
 * The page events, most of every trace, decoded by hand: a pfn, then
 * unsigned or zigzag varints, as the kinds of events.c say; kinds_init()
 * checks the table still says so (else fixed_ok is false and every type
 * takes the loop of get_args()). The masks: bit i for field i.
 */
_Static_assert(BT_EV_PAGE_ALLOC == 1 && BT_EV_PAGE_FREE == 2 &&
	       BT_EV_PAGE_FREE_BATCHED == 3 &&
	       BT_EV_PAGE_ALLOC_ZONE_LOCKED == 4 &&
	       BT_EV_PAGE_PCPU_DRAIN == 5, "get_args() takes types 1-5 by hand");
#define FIXED_TYPES(X)							\
	X(BT_EV_PAGE_ALLOC, 4, 0x1, 0x8)				\
	X(BT_EV_PAGE_FREE, 2, 0x1, 0x0)					\
	X(BT_EV_PAGE_FREE_BATCHED, 1, 0x1, 0x0)				\
	X(BT_EV_PAGE_ALLOC_ZONE_LOCKED, 4, 0x1, 0xc)			\
	X(BT_EV_PAGE_PCPU_DRAIN, 3, 0x1, 0x4)

static void fixed_check(void)
{
	fixed_ok = true;
#define CHECK(type, n, pm, sm)						\
	if (!kinds[type].valid || kinds[type].nr != (n) ||		\
	    kinds[type].pfn_mask != (pm) ||				\
	    kinds[type].signed_mask != (sm) || kinds[type].has_str)	\
		fixed_ok = false;
	FIXED_TYPES(CHECK)
#undef CHECK
}

static int get_args(struct bt_decoder *d, unsigned int t, struct bt_event *ev)
{
	const unsigned char **a = &d->p[BT_ST_ARGS];
	struct bt_pfn_cursor s;
	unsigned int i;

	if (t <= d->page_types)
		return bt_decoder_page_args(d, t, ev) ? 0 : BT_E_CORRUPT;
	bt_pfn_cursor_load(d, &s);
	/* a fixed-size clear compiles to a few stores (no rep stos) */
	memset(ev->arg, 0, sizeof(ev->arg));
	for (i = 0; i < kinds[t].nr; i++) {
		uint64_t v;

		if (kinds[t].pfn_mask >> i & 1) {
			if (!bt_decoder_get_pfn(d, &s, &ev->arg[i]))
				return BT_E_CORRUPT;
			continue;
		}
		v = bt_varint_get_fast(a);
		ev->arg[i] = kinds[t].signed_mask >> i & 1 ?
			     (uint64_t)bt_unzigzag(v) : v;
	}
	bt_pfn_cursor_store(d, &s);
	if (kinds[t].has_str)
		return get_str(d, ev);
	ev->str = NULL;
	ev->str_len = 0;
	return 0;
}

/*
 * Streams read without a bound check of their own, checked after every
 * event that could have reached an end (TYPE and TS hold exactly one
 * byte per event; TASK and STR are checked where they are read). One
 * event moves a pointer at most a few dozen bytes, well inside
 * BT_DECODE_PAD, so nothing is read outside the body before this
 * catches it.
 */
static inline bool overrun(const struct bt_decoder *d)
{
	return (d->p[BT_ST_TS_HI] > d->end[BT_ST_TS_HI]) |
	       (d->p[BT_ST_PFN] > d->end[BT_ST_PFN]) |
	       (d->p[BT_ST_PFN_DELTA] > d->end[BT_ST_PFN_DELTA]) |
	       (d->p[BT_ST_ARGS] > d->end[BT_ST_ARGS]) |
	       (d->p[BT_ST_EXTRA] > d->end[BT_ST_EXTRA]);
}

/*
 * A page event without task or extra entries reads at most one varint
 * of TS_HI, PFN and PFN_DELTA and three of ARGS, and nothing of EXTRA.
 */
#define FIXED_MAX_BYTES (3 * 10)

/*
 * overrun(), then the number of such page events that cannot reach an
 * end from here: they need no check of their own (d->check_below), so
 * the check runs only every few hundred events until a stream nears its
 * end.
 */
int bt_decoder_check(struct bt_decoder *d)
{
	size_t room, skip;

	if (overrun(d))
		return BT_E_CORRUPT;
	room = (size_t)(d->end[BT_ST_TS_HI] - d->p[BT_ST_TS_HI]);
	room = BT_MIN(room, (size_t)(d->end[BT_ST_PFN] - d->p[BT_ST_PFN]));
	room = BT_MIN(room, (size_t)(d->end[BT_ST_PFN_DELTA] -
				     d->p[BT_ST_PFN_DELTA]));
	room = BT_MIN(room, (size_t)(d->end[BT_ST_ARGS] - d->p[BT_ST_ARGS]));
	skip = room / FIXED_MAX_BYTES;
	d->check_below = skip >= d->left ? 0 : d->left - (uint32_t)skip;
	return 1;
}

int bt_decoder_rest_any(struct bt_decoder *d, unsigned int t,
			struct bt_event *ev)
{
	int err;

	if ((t & BT_TB_TASK) && (err = get_task(d)))
		return err;
	ev->flags = 0;
	ev->stack_id = 0;
	if (t & BT_TB_EXTRA) {
		ev->flags = (uint32_t)bt_varint_get_fast(&d->p[BT_ST_EXTRA]);
		ev->stack_id = (uint32_t)bt_varint_get_fast(&d->p[BT_ST_EXTRA]);
	}
	t &= BT_TB_TYPE_MASK;
	if (t == BT_TB_TYPE_ESCAPE) {
		uint64_t v = bt_varint_get_fast(&d->p[BT_ST_ARGS]);

		t = v < BT_EV_TYPE_COUNT ? (unsigned int)v : 0;
	}
	if (t >= BT_EV_TYPE_COUNT || !kinds[t].valid)
		return BT_E_CORRUPT;
	ev->type = t;
	ev->ts = d->ts;
	ev->cpu = d->cpu;
	ev->pid = d->pid;
	ev->comm = d->comm;
	err = get_args(d, t, ev);
	return err ? BT_E_CORRUPT : bt_decoder_check(d);
}

int bt_decoder_rest(struct bt_decoder *d, struct bt_event *ev)
{
	return bt_decoder_rest_inline(d, ev);
}

int bt_decoder_next(struct bt_decoder *d, struct bt_event *ev)
{
	if (!bt_decoder_peek(d))
		return 0;
	return bt_decoder_rest(d, ev);
}
