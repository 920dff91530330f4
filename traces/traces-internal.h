/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * traces-internal.h - the .bt byte layout and the event chunk codec, shared
 * by the writer, the reader and their tests, never by other folders.
 *
 * A .bt file is a 32-byte file header followed by sections. Every section
 * has a 24-byte header (sync word, type, flags, payload length, sequence
 * number, payload CRC32C, header CRC32C) so that any prefix of a file can
 * be read up to its last whole section and a damaged section is detected
 * by itself. docs/buddytrace-trace.5 is the normative description; the
 * constants here must match it.
 */
#ifndef BT_TRACES_INTERNAL_H
#define BT_TRACES_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include <zstd.h>

#include "traces.h"

/* ---- file header ---- */
#define BT_FILE_MAGIC "\x89" "BTRACE" "\x1a"	/* 8 bytes */
#define BT_FILE_MAGIC_LEN 8
#define BT_FILE_HEADER_LEN 32
#define BT_FORMAT_MAJOR 1
#define BT_FORMAT_MINOR 0

/* ---- sections ---- */
#define BT_SECTION_SYNC 0x53544225u	/* "%BTS" little-endian */
#define BT_SECTION_HEADER_LEN 24
#define BT_SECTION_MAX_PAYLOAD (1u << 30)

enum bt_section_type {
	BT_SEC_META = 1,	/* key/value strings */
	BT_SEC_FORMAT = 2,	/* raw tracepoint format texts */
	BT_SEC_SNAPSHOT = 3,	/* one /proc file at a time */
	BT_SEC_STACKS = 4,	/* stack table entries */
	BT_SEC_EVENTS = 5,	/* one compressed event chunk of one CPU */
	BT_SEC_INDEX = 6,	/* list of every section, chunk summaries */
	BT_SEC_END = 7,		/* trailer: offset of the index */
	BT_SEC_TYPE_COUNT
};

/* Section flags. */
#define BT_SECF_ZSTD 0x1	/* payload (after any fixed prefix) is zstd */

/* Fixed, uncompressed prefix of an EVENTS payload. */
#define BT_CHUNK_HEADER_LEN 40
#define BT_CHUNK_ENC_COLUMNS 1
#define BT_CHUNK_MAX_EVENTS 65536u
#define BT_CHUNK_MAX_RAW (4u << 20)
#define BT_MAX_CPUS 4096u

/* Streams (columns) of a chunk, in stored order. */
enum bt_stream {
	BT_ST_TYPE,	/* 1 byte per event: type | TASK | EXTRA bits */
	BT_ST_TS,	/* 1 byte per event: low 8 bits of the ts delta */
	BT_ST_TS_HI,	/* varint per event: the ts delta >> 8 */
	BT_ST_TASK,	/* zigzag pid delta, varint comm length+1, comm, NUL */
	BT_ST_PFN,	/* varint code per pfn field (BT_PC_*) */
	BT_ST_PFN_DELTA, /* zigzag pfn delta, or absolute pfn */
	BT_ST_ARGS,	/* other args by field kind; escaped types */
	BT_ST_STR,	/* varint length, bytes, NUL */
	BT_ST_EXTRA,	/* varint flags, varint stack_id */
	BT_ST_COUNT
};

#define BT_TB_TASK 0x80		/* pid or comm changed: BT_ST_TASK entry */
#define BT_TB_EXTRA 0x40	/* flags or stack_id nonzero */
#define BT_TB_TYPE_MASK 0x3f
#define BT_TB_TYPE_ESCAPE 0x3f	/* type >= 63: varint type in BT_ST_ARGS */

/* pfn codes: a pfn is often one seen a few events earlier (a page freed
 * soon after its allocation, pcp lists handing back recent frees). */
enum {
	BT_PC_NONE = 0,		/* BT_PFN_NONE */
	BT_PC_UNKNOWN = 1,	/* BT_PFN_UNKNOWN */
	BT_PC_ABSOLUTE = 2,	/* varint pfn in BT_ST_PFN_DELTA */
	BT_PC_DELTA = 3,	/* zigzag delta vs the previous pfn follows */
	BT_PC_REPEAT = 4,	/* 4 + d - 1: the pfn d pfns back, d 1..256 */
};
#define BT_PFN_HISTORY 256	/* pfns a repeat code can reach back */
#define BT_PFN_HASH 1024	/* encoder's pfn -> position table */

/* Bytes of zeros after a decoded body so varint reads need no per-byte
 * bound check: one event reads at most this far past a stream end. */
#define BT_DECODE_PAD 256

/* ---- little-endian helpers ---- */
static inline void bt_put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void bt_put_le32(unsigned char *p, uint32_t v)
{
	bt_put_le16(p, (uint16_t)v);
	bt_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void bt_put_le64(unsigned char *p, uint64_t v)
{
	bt_put_le32(p, (uint32_t)v);
	bt_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t bt_get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t bt_get_le32(const unsigned char *p)
{
	return (uint32_t)bt_get_le16(p) | (uint32_t)bt_get_le16(p + 2) << 16;
}

static inline uint64_t bt_get_le64(const unsigned char *p)
{
	return (uint64_t)bt_get_le32(p) | (uint64_t)bt_get_le32(p + 4) << 32;
}

/*
 * Bounded varint read: at most 10 bytes, never past @end. Returns false on
 * overrun or an over-long encoding.
 */
static inline bool bt_varint_get(const unsigned char **pp,
				 const unsigned char *end, uint64_t *v)
{
	const unsigned char *p = *pp;
	uint64_t r = 0;
	unsigned int shift = 0;

	while (p < end && shift < 64) {
		unsigned char b = *p++;

		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*pp = p;
			*v = r;
			return true;
		}
		shift += 7;
	}
	return false;
}

/* Parsed section header. */
struct bt_section {
	uint64_t offset;	/* of the section header in the file */
	uint32_t type;
	uint32_t flags;
	uint32_t len;		/* payload bytes */
	uint32_t seq;
	uint32_t crc;		/* payload CRC32C */
};

/* Encode a section header into 24 bytes (computes the header CRC). */
void bt_section_header_put(unsigned char *p, const struct bt_section *s);
/* Decode and check sync and header CRC: 0 or BT_E_CORRUPT. */
int bt_section_header_get(const unsigned char *p, struct bt_section *s);

/* Chunk summary: the EVENTS prefix, also kept in the index. */
struct bt_chunk_info {
	uint32_t cpu;
	uint32_t count;
	uint64_t first_ts, last_ts;
	uint32_t raw_len;	/* decompressed body bytes */
	uint8_t encoding, compression;
	uint64_t lost;		/* sum of BT_EV_LOST counts */
};
void bt_chunk_info_put(unsigned char *p, const struct bt_chunk_info *ci);
void bt_chunk_info_get(const unsigned char *p, struct bt_chunk_info *ci);

/* ---- encoder: one per CPU in the writer ---- */
struct bt_encoder {
	struct bt_buf st[BT_ST_COUNT];
	uint32_t count;
	uint64_t first_ts, last_ts, lost;
	uint64_t prev_ts, prev_pfn;
	uint64_t pfn_seq, pfn_base;	/* pfns seen: all time, at chunk start */
	struct {
		uint64_t pfn;
		uint64_t seq;		/* pfn_seq + 1 when last seen; 0 none */
	} hist[BT_PFN_HASH];
	int32_t prev_pid;
	bool have_task;
	char *prev_comm;	/* NULL: unknown comm */
	size_t prev_comm_cap;
	bool prev_comm_null;
	uint32_t per_type[BT_EV_TYPE_COUNT];
};

void bt_encoder_init(struct bt_encoder *e);
void bt_encoder_release(struct bt_encoder *e);
/* Start a fresh chunk (state that makes chunks independent is reset). */
void bt_encoder_reset(struct bt_encoder *e);
int bt_encoder_add(struct bt_encoder *e, const struct bt_event *ev);
/* Raw size of the chunk body if finished now. */
size_t bt_encoder_raw_size(const struct bt_encoder *e);
/*
 * Serialize the chunk body into @out: the stream count, each stream's raw
 * and stored length, then each stream as its own zstd frame (or raw when
 * that is not smaller). @scratch is a work buffer.
 */
int bt_chunk_pack(const struct bt_encoder *e, ZSTD_CCtx *cctx, int level,
		  struct bt_buf *out, struct bt_buf *scratch);
/*
 * Inverse of bt_chunk_pack: streams into @body (room for @raw_len +
 * BT_DECODE_PAD bytes; the pad is zeroed), their lengths into @lens.
 * Returns 0, BT_E_CORRUPT or BT_E_ZSTD.
 */
int bt_chunk_unpack(ZSTD_DCtx *dctx, const unsigned char *p, size_t len,
		    uint32_t raw_len, unsigned char *body,
		    uint32_t lens[BT_ST_COUNT]);

/* ---- decoder: a cursor over one decompressed chunk body ---- */
struct bt_decoder {
	const unsigned char *p[BT_ST_COUNT];
	const unsigned char *end[BT_ST_COUNT];
	uint32_t left;		/* events still to decode */
	uint32_t check_below;	/* page events need an overrun check
				 * only once left is below this */
	uint32_t page_types;	/* types 1 to this take the page path */
	uint32_t cpu;
	uint64_t ts, pfn;
	uint32_t npfn;		/* pfns decoded in this chunk */
	int32_t pid;
	const char *comm;
	uint64_t ring[BT_PFN_HISTORY];
};

/*
 * Set up @d over streams of @lens bytes laid out one after another in
 * @body and followed by BT_DECODE_PAD zero bytes. Returns 0 or
 * BT_E_CORRUPT.
 */
int bt_decoder_init(struct bt_decoder *d, const unsigned char *body,
		    const uint32_t lens[BT_ST_COUNT],
		    const struct bt_chunk_info *ci);
/*
 * Unchecked varint read: a decoded chunk body is followed by
 * BT_DECODE_PAD zero bytes and every stream pointer is checked against its
 * end once per event, so no per-byte bound check is needed.
 */
static inline uint64_t bt_varint_get_fast(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint64_t w, stops, r;
	unsigned int len, i;

	if (__builtin_expect(!(*p & 0x80), 1)) {
		*pp = p + 1;
		return *p;
	}
	if (!(p[1] & 0x80)) {	/* gfp flags, near pfns: often two */
		*pp = p + 2;
		return (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
	}
	memcpy(&w, p, 8);
	w = __builtin_bswap64(__builtin_bswap64(w));	/* little-endian */
	stops = ~w & 0x8080808080808080ull;
	if (__builtin_expect(!stops, 0)) {
		/* 9 or 10 bytes: rare, byte by byte */
		r = 0;
		for (i = 0; i < 10; i++) {
			r |= (uint64_t)(p[i] & 0x7f) << (7 * i);
			if (!(p[i] & 0x80))
				break;
		}
		*pp = p + (i < 10 ? i + 1 : 10);
		return r;
	}
	len = (unsigned int)__builtin_ctzll(stops) / 8 + 1;
	w &= ~0ull >> (64 - 8 * len);
	r = (w & 0x7f) | (w & 0x7f00) >> 1 | (w & 0x7f0000) >> 2 |
	    (w & 0x7f000000) >> 3 | (w & 0x7f00000000ull) >> 4 |
	    (w & 0x7f0000000000ull) >> 5 | (w & 0x7f000000000000ull) >> 6 |
	    (w & 0x7f00000000000000ull) >> 7;
	*pp = p + len;
	return r;
}

/*
 * Step to the next event and read only its timestamp (into d->ts): the
 * merge orders CPUs by it before anything else is decoded. False at the
 * end of the chunk.
 */
static inline bool bt_decoder_peek(struct bt_decoder *d)
{
	if (!d->left)
		return false;
	d->left--;
	d->ts += *d->p[BT_ST_TS]++ |
		 bt_varint_get_fast(&d->p[BT_ST_TS_HI]) << 8;
	return true;
}

/* Decode the rest of the peeked event: 1, or BT_E_CORRUPT. */
int bt_decoder_rest(struct bt_decoder *d, struct bt_event *ev);
/* The same for any event; @t is its type byte, already read. */
int bt_decoder_rest_any(struct bt_decoder *d, unsigned int t,
			struct bt_event *ev);
/*
 * After an event: BT_E_CORRUPT if a stream pointer ran past its end,
 * else 1, with d->check_below set past the page events that cannot
 * reach an end.
 */
int bt_decoder_check(struct bt_decoder *d);

/*
 * The cursors of the pfn streams, copied out of the decoder for one
 * event so that they stay in registers: the stores into the event's
 * arguments (uint64_t, like d->pfn and the ring) would otherwise make
 * the compiler reload them after each one.
 */
struct bt_pfn_cursor {
	const unsigned char *code, *delta;
	uint64_t pfn;
	uint32_t n;		/* d->npfn */
};

static inline void bt_pfn_cursor_load(const struct bt_decoder *d,
				      struct bt_pfn_cursor *s)
{
	s->code = d->p[BT_ST_PFN];
	s->delta = d->p[BT_ST_PFN_DELTA];
	s->pfn = d->pfn;
	s->n = d->npfn;
}

static inline void bt_pfn_cursor_store(struct bt_decoder *d,
				       const struct bt_pfn_cursor *s)
{
	d->p[BT_ST_PFN] = s->code;
	d->p[BT_ST_PFN_DELTA] = s->delta;
	d->pfn = s->pfn;
	d->npfn = s->n;
}

/* A pfn into *@pfn; false for an impossible repeat distance (the event
 * fails, so nothing else of it needs decoding). */
static inline __attribute__((always_inline)) bool
bt_decoder_get_pfn(struct bt_decoder *d, struct bt_pfn_cursor *s,
		   uint64_t *pfn)
{
	uint64_t c = bt_varint_get_fast(&s->code);

	switch (c) {
	case BT_PC_NONE:
		*pfn = BT_PFN_NONE;
		return true;
	case BT_PC_UNKNOWN:
		*pfn = BT_PFN_UNKNOWN;
		return true;
	case BT_PC_ABSOLUTE:
		s->pfn = bt_varint_get_fast(&s->delta);
		break;
	case BT_PC_DELTA:
		s->pfn += (uint64_t)bt_unzigzag(bt_varint_get_fast(&s->delta));
		break;
	default:
		c -= BT_PC_REPEAT - 1;
		if (c > s->n || c > BT_PFN_HISTORY)
			return false;
		s->pfn = d->ring[(s->n - c) % BT_PFN_HISTORY];
		break;
	}
	d->ring[s->n++ % BT_PFN_HISTORY] = s->pfn;
	*pfn = s->pfn;
	return true;
}

/*
 * Arguments of a page event (types 1 to d->page_types): the pfn, then 0
 * to 3 unsigned or zigzag varints by type, as FIXED_TYPES in codec.c
 * says. False for a bad pfn. The pfn is read last, from its own streams:
 * the type and the ARGS pointer are then dead, which leaves registers
 * for the pfn streams.
 */
static inline __attribute__((always_inline)) bool
bt_decoder_page_args(struct bt_decoder *d, unsigned int t,
		     struct bt_event *ev)
{
	const unsigned char *a = d->p[BT_ST_ARGS];
	struct bt_pfn_cursor s;

	memset(&ev->arg[1], 0, sizeof(ev->arg) - sizeof(ev->arg[0]));
	ev->str = NULL;
	ev->str_len = 0;
	switch (t) {
	case BT_EV_PAGE_ALLOC:
		ev->arg[1] = bt_varint_get_fast(&a);
		ev->arg[2] = bt_varint_get_fast(&a);
		ev->arg[3] = (uint64_t)bt_unzigzag(bt_varint_get_fast(&a));
		break;
	case BT_EV_PAGE_FREE:
		ev->arg[1] = bt_varint_get_fast(&a);
		break;
	case BT_EV_PAGE_ALLOC_ZONE_LOCKED:
		ev->arg[1] = bt_varint_get_fast(&a);
		ev->arg[2] = (uint64_t)bt_unzigzag(bt_varint_get_fast(&a));
		ev->arg[3] = (uint64_t)bt_unzigzag(bt_varint_get_fast(&a));
		break;
	case BT_EV_PAGE_PCPU_DRAIN:
		ev->arg[1] = bt_varint_get_fast(&a);
		ev->arg[2] = (uint64_t)bt_unzigzag(bt_varint_get_fast(&a));
		break;
	default:	/* BT_EV_PAGE_FREE_BATCHED: the pfn only */
		break;
	}
	d->p[BT_ST_ARGS] = a;
	bt_pfn_cursor_load(d, &s);
	if (!bt_decoder_get_pfn(d, &s, &ev->arg[0]))
		return false;
	bt_pfn_cursor_store(d, &s);
	return true;
}

/*
 * bt_decoder_rest(), inline for the merge's hot loop: the common case, a
 * page event of the task of the previous event, here; the rest out of
 * line so that it costs this path no registers.
 */
static inline __attribute__((always_inline)) int
bt_decoder_rest_inline(struct bt_decoder *d, struct bt_event *ev)
{
	unsigned int t = *d->p[BT_ST_TYPE]++;

	if (__builtin_expect(t - 1 >= d->page_types, 0))
		return bt_decoder_rest_any(d, t, ev);
	ev->type = t;
	ev->ts = d->ts;
	ev->cpu = d->cpu;
	ev->pid = d->pid;
	ev->comm = d->comm;
	ev->flags = 0;
	ev->stack_id = 0;
	if (!bt_decoder_page_args(d, t, ev))
		return BT_E_CORRUPT;
	if (__builtin_expect(d->left >= d->check_below, 1))
		return 1;
	return bt_decoder_check(d);
}

/* peek + rest: 1 with @ev filled, 0 at the end, BT_E_CORRUPT. */
int bt_decoder_next(struct bt_decoder *d, struct bt_event *ev);

/* Sparse per-type counts in the index: helpers shared by writer/reader. */
int bt_index_put_counts(struct bt_buf *b, const uint32_t *per_type);

/* Buffer append helpers that keep going on ENOMEM (checked at the end). */
int bt_buf_put_varint(struct bt_buf *b, uint64_t v);
int bt_buf_put_bytes(struct bt_buf *b, const void *p, size_t n);
/* varint length then bytes */
int bt_buf_put_lstr(struct bt_buf *b, const char *s, size_t n);

#endif
