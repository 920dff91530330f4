// SPDX-License-Identifier: GPL-2.0-only
/*
 * prefetch.c - parallel decompression of event chunks while the reader
 * merges.
 *
 * Chunks are independent (their own checksum, zstd frames and decoding
 * state), so while the main thread decodes and merges the current chunk
 * of each CPU, one worker thread verifies and decompresses that CPU's
 * next chunk into the cursor's spare buffer. A cursor has at most one job
 * outstanding; the main thread waits for it only when it needs the chunk,
 * then swaps buffers. The worker reads the mapped file and the chunk table
 * (never written while a job is queued) and writes only its job; damage is
 * reported by the main thread. When no cursor has a second chunk, or the
 * thread cannot be created, or BUDDYTRACE_PREFETCH=0 is set in the
 * environment (to compare), everything is loaded in the main thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "reader-internal.h"

struct bt_prefetch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	bool stop;
	struct bt_cursor **queue;	/* ring of cursors with a queued job */
	unsigned int head, len, cap;
	ZSTD_DCtx *dctx;
	const struct bt_reader *r;
};

static void run_job(struct bt_prefetch *pf, struct bt_cursor *c)
{
	struct bt_job *j = &c->job;

	j->err = bt_chunk_prepare(pf->r, &pf->r->chunks[j->idx], pf->dctx,
				  true, &j->buf, &j->cap, j->lens, &j->ci);
}

static void *worker(void *arg)
{
	struct bt_prefetch *pf = arg;
	struct bt_cursor *c;

	pthread_mutex_lock(&pf->lock);
	for (;;) {
		while (!pf->stop && !pf->len)
			pthread_cond_wait(&pf->work, &pf->lock);
		if (pf->stop)
			break;
		c = pf->queue[pf->head];
		pf->head = (pf->head + 1) % pf->cap;
		pf->len--;
		pthread_mutex_unlock(&pf->lock);
		run_job(pf, c);
		pthread_mutex_lock(&pf->lock);
		c->job.state = BT_JOB_DONE;
		pthread_cond_broadcast(&pf->done);
	}
	pthread_mutex_unlock(&pf->lock);
	return NULL;
}

/* Worth a thread only when some CPU has more than one chunk. */
static bool useful(const struct bt_reader *r)
{
	return r->nr_chunks > r->nr_cur;
}

void bt_prefetch_start(struct bt_reader *r)
{
	const char *env = getenv("BUDDYTRACE_PREFETCH");
	struct bt_prefetch *pf;

	if (r->pf || r->no_prefetch || !useful(r) ||
	    (env && !strcmp(env, "0")))
		return;
	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return;
	pf->r = r;
	pf->cap = r->nr_cur;
	pf->queue = calloc(pf->cap, sizeof(*pf->queue));
	pf->dctx = ZSTD_createDCtx();
	if (!pf->queue || !pf->dctx)
		goto out_free;
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->work, NULL);
	pthread_cond_init(&pf->done, NULL);
	if (pthread_create(&pf->thread, NULL, worker, pf))
		goto out_sync;
	r->pf = pf;
	return;
out_sync:
	pthread_cond_destroy(&pf->done);
	pthread_cond_destroy(&pf->work);
	pthread_mutex_destroy(&pf->lock);
out_free:
	ZSTD_freeDCtx(pf->dctx);
	free(pf->queue);
	free(pf);
}

void bt_prefetch_queue(struct bt_reader *r, struct bt_cursor *c, uint32_t idx)
{
	struct bt_prefetch *pf = r->pf;

	if (!pf || c->job.outstanding || r->chunks[idx].bad)
		return;
	c->job.outstanding = true;
	pthread_mutex_lock(&pf->lock);
	c->job.idx = idx;
	c->job.state = BT_JOB_QUEUED;	/* under the lock */
	pf->queue[(pf->head + pf->len) % pf->cap] = c;
	pf->len++;
	pthread_cond_signal(&pf->work);
	pthread_mutex_unlock(&pf->lock);
}

/* Wait for @c's job; the worker writes state under the lock. */
static void wait_done(struct bt_prefetch *pf, struct bt_cursor *c)
{
	pthread_mutex_lock(&pf->lock);
	while (c->job.state == BT_JOB_QUEUED)
		pthread_cond_wait(&pf->done, &pf->lock);
	c->job.state = BT_JOB_FREE;
	pthread_mutex_unlock(&pf->lock);
}

int bt_prefetch_take(struct bt_reader *r, struct bt_cursor *c, uint32_t idx,
		     int *err)
{
	struct bt_job *j = &c->job;
	unsigned char *b;
	size_t cap;

	if (!r->pf || !j->outstanding)
		return 0;
	wait_done(r->pf, c);
	j->outstanding = false;
	if (j->idx != idx)
		return 0;
	b = c->body;
	cap = c->body_cap;
	c->body = j->buf;
	c->body_cap = j->cap;
	j->buf = b;
	j->cap = cap;
	*err = j->err;
	if (!*err) {
		r->chunks[idx].crc_ok = true;
		*err = bt_decoder_init(&c->dec, c->body, j->lens, &j->ci);
	}
	return 1;
}

void bt_prefetch_drain(struct bt_reader *r)
{
	unsigned int i;

	if (!r->pf)
		return;
	for (i = 0; i < r->nr_cur; i++) {
		if (!r->cur[i].job.outstanding)
			continue;
		wait_done(r->pf, &r->cur[i]);
		r->cur[i].job.outstanding = false;
	}
}

void bt_prefetch_stop(struct bt_reader *r)
{
	struct bt_prefetch *pf = r->pf;

	if (!pf)
		return;
	bt_prefetch_drain(r);
	pthread_mutex_lock(&pf->lock);
	pf->stop = true;
	pthread_cond_signal(&pf->work);
	pthread_mutex_unlock(&pf->lock);
	pthread_join(pf->thread, NULL);
	pthread_cond_destroy(&pf->done);
	pthread_cond_destroy(&pf->work);
	pthread_mutex_destroy(&pf->lock);
	ZSTD_freeDCtx(pf->dctx);
	free(pf->queue);
	free(pf);
	r->pf = NULL;
}
