// SPDX-License-Identifier: GPL-2.0-only
/*
 * stream.c - the event stream of a .bt reader: chunk loading, the k-way
 * merge over CPUs, seeking and whole-file statistics.
 *
 * Each CPU with events has a cursor that walks its chunks in file order
 * and keeps one decoded "head" event. A binary heap of cursors, keyed by
 * (timestamp, cpu), yields the next event; /proc snapshots join the merge
 * as a source of synthesized BT_EV_SNAPSHOT events that sort before
 * events of the same timestamp. A cursor is advanced only at the next
 * call, so the comm and str pointers of the event just returned stay
 * valid until then. A chunk that fails its checksum or decodes badly is
 * reported and skipped; the other CPUs' streams go on.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "reader-internal.h"

#define BT_MAX_RAW_LOAD (64u << 20)

void bt_stream_warn_chunk(struct bt_reader *r, struct bt_rchunk *ch, int err)
{
	if (ch->bad)
		return;
	ch->bad = true;
	r->damage.bad_chunks++;
	if (r->quiet)
		return;
	bt_warn("'%s': chunk %u (cpu %u) at offset %llu: %s: %u events lost",
		r->path, ch->seq, ch->ci.cpu, (unsigned long long)ch->off,
		bt_strerror(err), ch->ci.count);
}

int bt_chunk_prepare(const struct bt_reader *r, const struct bt_rchunk *ch,
		     ZSTD_DCtx *dctx, bool check_crc, unsigned char **buf,
		     size_t *cap, uint32_t lens[BT_ST_COUNT],
		     struct bt_chunk_info *ci)
{
	const unsigned char *p = r->data + ch->off + BT_SECTION_HEADER_LEN;
	const unsigned char *z = p + BT_CHUNK_HEADER_LEN;
	size_t zlen = ch->len - BT_CHUNK_HEADER_LEN;

	if (check_crc && bt_crc32c(0, p, ch->len) != ch->crc)
		return BT_E_CHECKSUM;
	bt_chunk_info_get(p, ci);
	if (ci->cpu != ch->ci.cpu || ci->count != ch->ci.count)
		return BT_E_CORRUPT;
	if (ci->encoding != BT_CHUNK_ENC_COLUMNS || ci->compression != 1)
		return BT_E_UNSUPPORTED;
	if (ci->raw_len > BT_MAX_RAW_LOAD)
		return BT_E_CORRUPT;
	if (ci->raw_len + BT_DECODE_PAD > *cap) {
		unsigned char *n = realloc(*buf, ci->raw_len + BT_DECODE_PAD);

		if (!n)
			return -ENOMEM;
		*buf = n;
		*cap = ci->raw_len + BT_DECODE_PAD;
		bt_populate(n, *cap);
	}
	return bt_chunk_unpack(dctx, z, zlen, ci->raw_len, *buf, lens);
}

int bt_stream_load(struct bt_reader *r, struct bt_cursor *c, uint32_t idx)
{
	struct bt_rchunk *ch = &r->chunks[idx];
	uint32_t lens[BT_ST_COUNT];
	struct bt_chunk_info ci;
	int err;

	if (ch->bad)
		return BT_E_CHECKSUM;
	err = bt_chunk_prepare(r, ch, r->dctx, !ch->crc_ok, &c->body,
			       &c->body_cap, lens, &ci);
	if (err)
		return err;
	ch->crc_ok = true;
	return bt_decoder_init(&c->dec, c->body, lens, &ci);
}

/* The next chunk of @c: from the prefetch thread when it has it. */
static int cursor_load(struct bt_reader *r, struct bt_cursor *c, uint32_t idx)
{
	int err;

	if (!bt_prefetch_take(r, c, idx, &err))
		err = bt_stream_load(r, c, idx);
	if (c->next + 1 < c->nr)
		bt_prefetch_queue(r, c, c->chunks[c->next + 1]);
	return err;
}

/* Peek the cursor's next event (its ts in c->dec.ts); false at its end. */
static bool cursor_advance_slow(struct bt_reader *r, struct bt_cursor *c)
{
	int err;

	for (;;) {
		if (bt_decoder_peek(&c->dec))
			return c->live = true;
		if (c->next >= c->nr)
			return c->live = false;
		err = cursor_load(r, c, c->chunks[c->next]);
		if (err) {
			bt_stream_warn_chunk(r, &r->chunks[c->chunks[c->next]],
					     err);
			c->dec.left = 0;
		}
		c->next++;
	}
}

static inline bool cursor_advance(struct bt_reader *r, struct bt_cursor *c)
{
	if (__builtin_expect(bt_decoder_peek(&c->dec), 1))
		return true;
	return cursor_advance_slow(r, c);
}

/* A peeked event failed to decode: the rest of its chunk is dropped. */
static void cursor_bad(struct bt_reader *r, struct bt_cursor *c, int err)
{
	r->damage.bad_chunks++;
	if (!r->quiet)
		bt_warn("'%s': chunk of cpu %u: %s: the rest of the chunk "
			"(%u events) is lost", r->path, c->cpu,
			bt_strerror(err), c->dec.left + 1);
	c->dec.left = 0;
}

/* ---- the merge ---- */

/* The key of source @s: (ts, 0) for snapshots, (ts, cpu + 1) for CPUs,
 * so snapshots sort before every CPU at equal ts. */
static inline void src_key(const struct bt_reader *r, unsigned int s,
			   struct bt_hent *h)
{
	h->src = s;
	if (s == r->nr_cur) {
		h->ts = r->snaps[r->snap_order[r->snap_next]].ts;
		h->ord = 0;
	} else {
		h->ts = r->cur[s].dec.ts;
		h->ord = r->cur[s].cpu + 1;
	}
}

static inline bool hent_less(const struct bt_hent *a, const struct bt_hent *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->ord < b->ord);
}

static inline void sift_down(struct bt_reader *r, unsigned int i)
{
	struct bt_hent *h = r->heap, s = h[i];
	unsigned int n = r->heap_len;

	for (;;) {
		unsigned int c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && hent_less(&h[c + 1], &h[c]))
			c++;
		if (!hent_less(&h[c], &s))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = s;
}

static void heap_pop_top(struct bt_reader *r)
{
	r->heap[0] = r->heap[--r->heap_len];
	if (r->heap_len)
		sift_down(r, 0);
}

static void advance_source(struct bt_reader *r, unsigned int s)
{
	bool live;

	if (s == r->nr_cur)
		live = ++r->snap_next < r->nr_snaps;
	else
		live = cursor_advance(r, &r->cur[s]);
	if (live) {
		src_key(r, s, &r->heap[0]);
		sift_down(r, 0);
	} else {
		heap_pop_top(r);
	}
}

/* Position every source at its first event at or after @ts. */
static void start_at(struct bt_reader *r, uint64_t ts)
{
	unsigned int i;

	bt_prefetch_drain(r);
	bt_prefetch_start(r);
	r->heap_len = 0;
	r->pending = -1;
	r->run = NULL;
	r->started = true;
	for (i = 0; i < r->nr_cur; i++) {
		struct bt_cursor *c = &r->cur[i];

		c->next = 0;
		c->dec.left = 0;
		while (c->next < c->nr &&
		       r->chunks[c->chunks[c->next]].ci.last_ts < ts)
			c->next++;
		while (cursor_advance(r, c) && c->dec.ts < ts) {
			struct bt_event skip;
			int rc = bt_decoder_rest(&c->dec, &skip);

			if (rc < 0)
				cursor_bad(r, c, rc);
		}
		if (c->live)
			src_key(r, i, &r->heap[r->heap_len++]);
	}
	r->snap_next = 0;
	while (r->snap_next < r->nr_snaps &&
	       r->snaps[r->snap_order[r->snap_next]].ts < ts)
		r->snap_next++;
	if (r->snap_next < r->nr_snaps)
		src_key(r, r->nr_cur, &r->heap[r->heap_len++]);
	for (i = r->heap_len / 2; i-- > 0;)
		sift_down(r, i);
}

static void snapshot_event(const struct bt_reader *r, struct bt_event *ev)
{
	uint32_t i = r->snap_order[r->snap_next];

	memset(ev, 0, sizeof(*ev));
	ev->type = BT_EV_SNAPSHOT;
	ev->ts = r->snaps[i].ts;
	ev->arg[0] = i;
	ev->arg[1] = r->snaps[i].kind;
}

/*
 * Source @s is at the top of the heap and its event was just returned.
 * Its next events are taken without touching the heap while they stay
 * ahead of every other source (bursts of one CPU are the common case):
 * up to r->run_last, the last timestamp that sorts before the best key
 * among the other sources (those at equal ts sort by cpu). The heap's
 * stale key for @s is fixed when the run ends.
 */
static void start_run(struct bt_reader *r, unsigned int s)
{
	const struct bt_hent *h = r->heap, *next;
	struct bt_cursor *c = &r->cur[s];

	if (r->heap_len < 2) {
		r->run = c;
		r->run_last = UINT64_MAX;
		return;
	}
	next = r->heap_len == 2 || hent_less(&h[1], &h[2]) ? &h[1] : &h[2];
	r->run = c;
	if (c->cpu + 1 < next->ord)
		r->run_last = next->ts;
	else if (next->ts)
		r->run_last = next->ts - 1;
	else
		r->run = NULL;	/* nothing sorts before (0, next->ord) */
}

/* bt_reader_next() to next_slow(): the run's next event is peeked and
 * sorts after another source. */
#define RUN_PEEKED 2

/*
 * The run ended (or there was none): @rc is RUN_PEEKED, a decoding error
 * of the run's cursor, or 0. Fix the heap's stale key of a peeked event,
 * drop a bad chunk's rest, then step the pending source and take the
 * heap's top.
 */
static __attribute__((noinline)) int next_slow(struct bt_reader *r,
					       struct bt_event *ev, int rc)
{
	struct bt_cursor *c = r->run;
	unsigned int s;

	r->run = NULL;
	if (rc == RUN_PEEKED) {
		r->heap[0].ts = c->dec.ts;
		sift_down(r, 0);
		r->pending = -1;
	} else if (rc < 0) {
		cursor_bad(r, c, rc);
	}
	for (;;) {
		if (!r->started)
			start_at(r, 0);
		else if (r->pending >= 0)
			advance_source(r, (unsigned int)r->pending);
		r->pending = -1;
		if (!r->heap_len)
			return 0;
		s = r->heap[0].src;
		r->pending = (int)s;
		if (s == r->nr_cur) {
			snapshot_event(r, ev);
			return 1;
		}
		rc = bt_decoder_rest_inline(&r->cur[s].dec, ev);
		if (rc == 1) {
			start_run(r, s);
			return 1;
		}
		cursor_bad(r, &r->cur[s], rc);
	}
}

int bt_reader_next(struct bt_reader *r, struct bt_event *ev)
{
	struct bt_cursor *c = r->run;
	int rc = 0;

	if (__builtin_expect(c && bt_decoder_peek(&c->dec), 1)) {
		rc = RUN_PEEKED;
		if (__builtin_expect(c->dec.ts <= r->run_last, 1)) {
			rc = bt_decoder_rest_inline(&c->dec, ev);
			if (__builtin_expect(rc == 1, 1))
				return 1;
		}
	}
	return next_slow(r, ev, rc);
}

int bt_reader_follow(struct bt_reader *r, const struct bt_reader *src)
{
	unsigned int i;

	if (r->nr_cur != src->nr_cur || r->nr_chunks != src->nr_chunks ||
	    r->data != src->data)
		return -EINVAL;
	bt_prefetch_stop(r);	/* its jobs were for the old position */
	for (i = 0; i < r->nr_cur; i++) {
		struct bt_cursor *c = &r->cur[i];
		const struct bt_cursor *o = &src->cur[i];
		uint32_t used = BT_MIN(o->dec.npfn, BT_PFN_HISTORY);

		c->next = o->next;
		c->live = o->live;
		/* the ring: only the slots a repeat code can reach */
		memcpy(&c->dec, &o->dec, offsetof(struct bt_decoder, ring));
		memcpy(c->dec.ring, o->dec.ring, used * sizeof(c->dec.ring[0]));
	}
	memcpy(r->heap, src->heap, src->heap_len * sizeof(*r->heap));
	r->heap_len = src->heap_len;
	r->run = src->run ? r->cur + (src->run - src->cur) : NULL;
	r->run_last = src->run_last;
	r->snap_next = src->snap_next;
	r->pending = src->pending;
	r->started = src->started;
	return 0;
}

void bt_reader_set_prefetch(struct bt_reader *r, bool on)
{
	r->no_prefetch = !on;
}

void bt_reader_set_quiet(struct bt_reader *r, bool quiet)
{
	r->quiet = quiet;
}

int bt_reader_rewind(struct bt_reader *r)
{
	r->started = false;
	r->pending = -1;
	r->run = NULL;
	return 0;
}

/** bt_reader_seek - restart the stream at the first event at or after @ts */
int bt_reader_seek(struct bt_reader *r, uint64_t ts)
{
	start_at(r, ts);
	return 0;
}

/* ---- setup ---- */

static int cmp_snap(const void *a, const void *b, void *ctx)
{
	const struct bt_reader *r = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t tx = r->snaps[x].ts, ty = r->snaps[y].ts;

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int setup_cursors(struct bt_reader *r)
{
	unsigned int *slot = calloc(BT_MAX_CPUS, sizeof(*slot));
	unsigned int i, cpu;

	if (!slot)
		return -ENOMEM;
	for (i = 0; i < r->nr_chunks; i++)
		if (!slot[r->chunks[i].ci.cpu]++)
			r->nr_cur++;
	r->cur = calloc(r->nr_cur + 1, sizeof(*r->cur));
	r->heap = calloc(r->nr_cur + 1, sizeof(*r->heap));
	if (!r->cur || !r->heap) {
		free(slot);
		return -ENOMEM;
	}
	for (cpu = 0, i = 0; cpu < BT_MAX_CPUS; cpu++) {
		if (!slot[cpu])
			continue;
		r->cur[i].cpu = cpu;
		r->cur[i].chunks = calloc(slot[cpu], sizeof(uint32_t));
		if (!r->cur[i].chunks) {
			free(slot);
			return -ENOMEM;
		}
		slot[cpu] = i++ + 1;
	}
	for (i = 0; i < r->nr_chunks; i++) {
		struct bt_cursor *c = &r->cur[slot[r->chunks[i].ci.cpu] - 1];

		c->chunks[c->nr++] = i;
	}
	free(slot);
	return 0;
}

int bt_stream_setup(struct bt_reader *r)
{
	unsigned int i;

	r->snap_order = calloc(r->nr_snaps + 1, sizeof(*r->snap_order));
	if (!r->snap_order)
		return -ENOMEM;
	for (i = 0; i < r->nr_snaps; i++)
		r->snap_order[i] = i;
	qsort_r(r->snap_order, r->nr_snaps, sizeof(*r->snap_order), cmp_snap,
		r);
	return setup_cursors(r);
}

void bt_stream_release(struct bt_reader *r)
{
	unsigned int i;

	bt_prefetch_stop(r);
	for (i = 0; i < r->nr_cur && r->cur; i++) {
		free(r->cur[i].chunks);
		free(r->cur[i].body);
		free(r->cur[i].job.buf);
	}
	free(r->cur);
	free(r->heap);
}
