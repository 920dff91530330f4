/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reader-internal.h - the reader object shared by reader.c (opening,
 * sections, index, recovery) and stream.c (chunk loading, the k-way merge
 * over CPUs, statistics).
 */
#ifndef BT_READER_INTERNAL_H
#define BT_READER_INTERNAL_H

#include <zstd.h>

#include "traces-internal.h"

struct bt_rchunk {
	uint64_t off;		/* of the section header */
	uint32_t len;		/* payload length */
	uint32_t crc;
	uint32_t seq;
	bool crc_ok;		/* checksum verified */
	bool bad;		/* reported unreadable */
	struct bt_chunk_info ci;
};

/* A chunk being decompressed ahead by the prefetch thread. */
enum bt_job_state { BT_JOB_FREE, BT_JOB_QUEUED, BT_JOB_DONE };

struct bt_job {
	bool outstanding;	/* main thread only: a job is queued or done */
	enum bt_job_state state;	/* under the prefetch lock */
	uint32_t idx;		/* chunk */
	int err;
	unsigned char *buf;	/* the cursor's spare body buffer */
	size_t cap;
	uint32_t lens[BT_ST_COUNT];
	struct bt_chunk_info ci;
};

struct bt_cursor {
	unsigned int cpu;
	uint32_t *chunks;	/* indices into r->chunks, file order */
	uint32_t nr, cap, next;
	struct bt_decoder dec;
	unsigned char *body;	/* decompressed chunk + BT_DECODE_PAD */
	size_t body_cap;
	bool live;		/* an event is peeked: its ts in dec.ts */
	struct bt_job job;	/* owned by the prefetch thread when queued */
};

/* A merge heap entry: the source's key, cached. */
struct bt_hent {
	uint64_t ts;
	uint32_t ord;
	uint32_t src;
};

struct bt_meta_kv {
	char *key, *value;
};

struct bt_rformat {
	char *system, *name, *text;
};

struct bt_rstack {
	uint32_t id;
	uint32_t nr;
	uint64_t *ips;
	char *symbols;
};

struct bt_reader {
	char *path;
	const unsigned char *data;
	size_t size;
	bool mapped;
	bool borrowed;		/* bt_reader_dup(): data is another's */
	unsigned int major, minor;

	struct bt_meta_kv *meta;
	unsigned int nr_meta;
	struct bt_rformat *formats;
	unsigned int nr_formats;
	struct bt_snapshot *snaps;
	unsigned int nr_snaps;
	uint32_t *snap_order;	/* snapshot indices by ts, then file order */
	struct bt_rstack *stacks;
	unsigned int nr_stacks;

	struct bt_rchunk *chunks;
	unsigned int nr_chunks, cap_chunks;
	bool have_index;
	struct bt_trace_stats stats;	/* from the index, or counted */
	bool stats_valid;

	struct bt_cursor *cur;	/* one per CPU with chunks, by cpu */
	unsigned int nr_cur;
	struct bt_hent *heap;	/* sources: cursor i, or nr_cur = snapshots */
	unsigned int heap_len;
	struct bt_cursor *run;	/* the top source while it runs ahead */
	uint64_t run_last;	/* its last ts before another source */
	unsigned int snap_next;
	int pending;		/* source to advance at the next call, or -1 */
	bool started;

	ZSTD_DCtx *dctx;
	struct bt_damage damage;
	struct bt_prefetch *pf;	/* NULL: no prefetch thread */
	bool no_prefetch;	/* bt_reader_set_prefetch(r, false) */
	bool quiet;		/* bt_reader_set_quiet() */
};

/* reader.c */
int bt_reader_add_chunk(struct bt_reader *r, const struct bt_section *s,
			const struct bt_chunk_info *ci, bool crc_ok);
const char *bt_section_type_name(unsigned int type);
/* A damaged section: count it and warn (with its events for a chunk). */
void bt_reader_warn_section(struct bt_reader *r, const struct bt_section *s,
			    int err);

/* sections.c */
/* Header of the section at @off, checked against the file size. */
int bt_section_at(const struct bt_reader *r, uint64_t off,
		  struct bt_section *s);
const unsigned char *bt_section_payload(const struct bt_reader *r,
					const struct bt_section *s);
/* Checksummed, decompressed payload; *@owned is freed by the caller. */
int bt_section_bytes(struct bt_reader *r, const struct bt_section *s,
		     const unsigned char **out, size_t *len,
		     unsigned char **owned);
/* Read a non-event section into the reader's tables. */
int bt_reader_load_section(struct bt_reader *r, const struct bt_section *s);

/* index.c: 0 when opened from the index, nonzero to scan linearly. */
int bt_reader_load_index(struct bt_reader *r);

/* stream.c */
int bt_stream_setup(struct bt_reader *r);
void bt_stream_release(struct bt_reader *r);
/* Load chunk @idx into @c's body and decoder; 0 or a negative code. */
int bt_stream_load(struct bt_reader *r, struct bt_cursor *c, uint32_t idx);
/*
 * CRC check (when @check_crc), decompression of chunk @ch into *@buf
 * (grown as needed) and its stream lengths. Touches nothing of @r, so
 * the prefetch thread can run it.
 */
int bt_chunk_prepare(const struct bt_reader *r, const struct bt_rchunk *ch,
		     ZSTD_DCtx *dctx, bool check_crc, unsigned char **buf,
		     size_t *cap, uint32_t lens[BT_ST_COUNT],
		     struct bt_chunk_info *ci);

/* prefetch.c: one thread decompresses each cursor's next chunk ahead. */
void bt_prefetch_start(struct bt_reader *r);
void bt_prefetch_queue(struct bt_reader *r, struct bt_cursor *c, uint32_t idx);
/* 1 when chunk @idx was prefetched for @c (now loaded; *@err set). */
int bt_prefetch_take(struct bt_reader *r, struct bt_cursor *c, uint32_t idx,
		     int *err);
/* Wait for every queued job and drop the results. */
void bt_prefetch_drain(struct bt_reader *r);
void bt_prefetch_stop(struct bt_reader *r);

/* Report chunk damage once (warning and bt_damage count). */
void bt_stream_warn_chunk(struct bt_reader *r, struct bt_rchunk *ch, int err);

#endif
