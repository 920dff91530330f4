// SPDX-License-Identifier: GPL-2.0-only
/*
 * feed.c - one decoding of a trace shared by the parts of an analysis.
 *
 * Decoding the stream (varints and the merge over CPUs) is a large part
 * of what the recorded view, the mirror and the model each cost. The
 * analysis decodes it once: the thread that runs the recorded view reads
 * every event straight into a ring of batches, and the replays take their
 * events from the ring, by pointer, instead of from readers of their own.
 * A batch keeps copies of the strings its events borrow (comm, str) in an
 * arena that never moves while the batch is filled, so its events stay
 * valid after the reader has moved on; the batch is reused when every
 * consumer has moved past it. The ring is bounded: a producer that gets
 * BT_FEED_BATCHES ahead of its slowest consumer waits, so the memory of
 * an analysis does not grow with the trace. A consumer that stops early
 * leaves the feed and the others go on. Locking is per batch.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analyze-internal.h"

/*
 * Threads wake each other by BT_FEED_WAKE batches, not at every batch: a
 * wake-up costs about as much as decoding a few hundred events.
 */
#define BT_FEED_WAKE 8u
#define BT_FEED_ARENA 16384u	/* string bytes per batch (grows if one
				 * string alone needs more) */

struct bt_feed_batch {
	struct bt_event ev[BT_FEED_EVENTS];
	unsigned int n;
	char *arena;
	size_t arena_len, arena_cap;
};

struct bt_feed_consumer {
	struct bt_feed *f;
	uint64_t pos;		/* batch being read */
	unsigned int idx;	/* next event in it */
	bool holding;		/* pos is held (its events handed out) */
	bool gone;
};

struct bt_feed {
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	struct bt_feed_batch *b[BT_FEED_BATCHES];
	uint64_t produced;	/* batches published */
	bool prod_waiting;	/* the producer waits for room */
	unsigned int cons_waiting;	/* consumers waiting for batches */
	bool ended;
	int err;		/* the stream's error at its end */
	unsigned int nr_cons;
	struct bt_feed_consumer cons[BT_FEED_MAX_CONSUMERS];
	struct bt_feed_batch *fill;	/* producer: batch being filled */
	const char *last_comm;		/* producer: in fill's arena */
};

struct bt_feed *bt_feed_new(unsigned int nr_consumers)
{
	struct bt_feed *f;
	unsigned int i;

	if (nr_consumers > BT_FEED_MAX_CONSUMERS) {
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->more, NULL);
	pthread_cond_init(&f->room, NULL);
	f->nr_cons = nr_consumers;
	for (i = 0; i < nr_consumers; i++)
		f->cons[i].f = f;
	return f;
}

void bt_feed_free(struct bt_feed *f)
{
	if (!f)
		return;
	for (unsigned int i = 0; i < BT_FEED_BATCHES; i++) {
		if (f->b[i])
			free(f->b[i]->arena);
		free(f->b[i]);
	}
	pthread_cond_destroy(&f->room);
	pthread_cond_destroy(&f->more);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

struct bt_feed_consumer *bt_feed_consumer(struct bt_feed *f, unsigned int i)
{
	return f && i < f->nr_cons ? &f->cons[i] : NULL;
}

/* The oldest batch some consumer still needs; under the lock. */
static uint64_t oldest_needed(const struct bt_feed *f)
{
	uint64_t m = f->produced;

	for (unsigned int i = 0; i < f->nr_cons; i++)
		if (!f->cons[i].gone)
			m = BT_MIN(m, f->cons[i].pos);
	return m;
}

/* A batch to fill: waits until every consumer is done with its slot. */
static int take_slot(struct bt_feed *f)
{
	struct bt_feed_batch **slot;

	pthread_mutex_lock(&f->lock);
	while (f->produced - oldest_needed(f) >= BT_FEED_BATCHES) {
		if (f->cons_waiting)
			pthread_cond_broadcast(&f->more);
		f->prod_waiting = true;
		pthread_cond_wait(&f->room, &f->lock);
		f->prod_waiting = false;
	}
	pthread_mutex_unlock(&f->lock);
	slot = &f->b[f->produced % BT_FEED_BATCHES];
	if (!*slot) {
		*slot = malloc(sizeof(**slot));
		if (!*slot)
			return -ENOMEM;
		(*slot)->arena = malloc(BT_FEED_ARENA);
		(*slot)->arena_cap = (*slot)->arena ? BT_FEED_ARENA : 0;
	}
	f->fill = *slot;
	f->fill->n = 0;
	f->fill->arena_len = 0;
	f->last_comm = NULL;
	return 0;
}

static void publish(struct bt_feed *f)
{
	pthread_mutex_lock(&f->lock);
	f->produced++;
	if (f->cons_waiting && !(f->produced % BT_FEED_WAKE))
		pthread_cond_broadcast(&f->more);
	pthread_mutex_unlock(&f->lock);
	f->fill = NULL;
}

struct bt_event *bt_feed_slot(struct bt_feed *f, int *err)
{
	*err = 0;
	if (!f->fill && (*err = take_slot(f)))
		return NULL;
	return &f->fill->ev[f->fill->n];
}

/* Room for @need more bytes; only an empty batch's arena grows. */
static bool arena_room(struct bt_feed_batch *b, size_t need)
{
	char *p;

	if (b->arena_cap - b->arena_len >= need)
		return true;
	if (b->n || b->arena_len)
		return false;
	p = realloc(b->arena, BT_MAX(need, (size_t)BT_FEED_ARENA));
	if (!p)
		return false;
	b->arena = p;
	b->arena_cap = BT_MAX(need, (size_t)BT_FEED_ARENA);
	return true;
}

static const char *arena_put(struct bt_feed_batch *b, const char *s,
			     size_t n)
{
	char *p = b->arena + b->arena_len;

	memcpy(p, s, n);
	b->arena_len += n;
	return p;
}

/*
 * The slot's borrowed strings copied into the batch's arena (consecutive
 * events of one task share a comm), or false, untouched, when the arena
 * is full.
 */
static bool own_strings(struct bt_feed *f, struct bt_event *ev)
{
	struct bt_feed_batch *b = f->fill;
	bool same = ev->comm && f->last_comm && !strcmp(f->last_comm, ev->comm);
	size_t nc = ev->comm && !same ? strlen(ev->comm) + 1 : 0;
	size_t ns = ev->str ? ev->str_len + (size_t)1 : 0;

	if (!arena_room(b, nc + ns))
		return false;
	if (same)
		ev->comm = f->last_comm;
	else if (nc)
		ev->comm = f->last_comm = arena_put(b, ev->comm, nc);
	if (ns)
		ev->str = arena_put(b, ev->str, ns);
	return true;
}

int bt_feed_commit(struct bt_feed *f, struct bt_event **ev)
{
	struct bt_event *e = *ev;
	int err;

	if (!own_strings(f, e)) {
		/* the arena is full: this event opens the next batch */
		struct bt_event copy = *e;

		publish(f);
		e = bt_feed_slot(f, &err);
		if (!e)
			return err;
		*e = copy;
		if (!own_strings(f, e))
			return -ENOMEM;
		*ev = e;
	}
	if (++f->fill->n == BT_FEED_EVENTS)
		publish(f);
	return 0;
}

void bt_feed_end(struct bt_feed *f, int err)
{
	if (f->fill && f->fill->n)
		publish(f);
	f->fill = NULL;
	pthread_mutex_lock(&f->lock);
	f->ended = true;
	f->err = err < 0 ? err : 0;
	pthread_cond_broadcast(&f->more);
	pthread_mutex_unlock(&f->lock);
}

/* Done with batch c->pos: move to the next and let the producer know. */
static void release(struct bt_feed_consumer *c)
{
	struct bt_feed *f = c->f;

	pthread_mutex_lock(&f->lock);
	c->pos++;
	c->idx = 0;
	c->holding = false;
	if (f->prod_waiting &&
	    f->produced - oldest_needed(f) <= BT_FEED_BATCHES - BT_FEED_WAKE)
		pthread_cond_signal(&f->room);
	pthread_mutex_unlock(&f->lock);
}

int bt_feed_next(void *data, const struct bt_event **ev)
{
	struct bt_feed_consumer *c = data;
	struct bt_feed *f = c->f;
	struct bt_feed_batch *b;

	for (;;) {
		if (c->holding) {
			b = f->b[c->pos % BT_FEED_BATCHES];
			if (c->idx < b->n) {
				*ev = &b->ev[c->idx++];
				return 1;
			}
			/* the last event handed out is used no more */
			release(c);
		}
		pthread_mutex_lock(&f->lock);
		while (c->pos >= f->produced && !f->ended) {
			f->cons_waiting++;
			pthread_cond_wait(&f->more, &f->lock);
			f->cons_waiting--;
		}
		if (c->pos >= f->produced) {
			pthread_mutex_unlock(&f->lock);
			return f->err;
		}
		pthread_mutex_unlock(&f->lock);
		c->holding = true;
	}
}

void bt_feed_leave(struct bt_feed_consumer *c)
{
	struct bt_feed *f;

	if (!c)
		return;
	f = c->f;
	pthread_mutex_lock(&f->lock);
	c->gone = true;
	pthread_cond_signal(&f->room);
	pthread_mutex_unlock(&f->lock);
}
