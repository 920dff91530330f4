// SPDX-License-Identifier: GPL-2.0-only
/*
 * sink.c - where the recorder's output goes, behind one lock.
 *
 * Reader threads (one per CPU) and the snapshot thread share one sink. The
 * .bt writer is not thread-safe, so every call takes the sink's mutex; the
 * readers hand over a whole decoded sub-buffer per acquisition (a few
 * hundred events), so the lock is taken a few thousand times a second at
 * most. The in-memory sink keeps copies of everything for unit tests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record-internal.h"

void bt_rec_sink_init(struct bt_rec_sink *s, const struct bt_rec_sink_ops *ops,
		      void *ctx)
{
	pthread_mutexattr_t a;

	s->ops = ops;
	s->ctx = ctx;
	s->bytes = 0;
	/*
	 * Priority inheritance: a normal-priority holder (the snapshot
	 * thread flushing) must not keep real-time readers waiting while a
	 * workload at nice -20 runs.
	 */
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&s->lock, &a);
	pthread_mutexattr_destroy(&a);
}

#define SINK_CALL(s, call)				\
	({						\
		int ret_;				\
		pthread_mutex_lock(&(s)->lock);		\
		ret_ = (s)->ctx ? (call) : -EBADF;	\
		pthread_mutex_unlock(&(s)->lock);	\
		ret_;					\
	})

int bt_rec_sink_meta(struct bt_rec_sink *s, const char *key, const char *value)
{
	return SINK_CALL(s, s->ops->set_meta(s->ctx, key, value));
}

int bt_rec_sink_format(struct bt_rec_sink *s, const char *system,
		       const char *name, const char *text)
{
	return SINK_CALL(s, s->ops->add_format(s->ctx, system, name, text));
}

int bt_rec_sink_snapshot(struct bt_rec_sink *s, unsigned int kind,
			 uint64_t ts, const void *data, size_t len)
{
	return SINK_CALL(s, s->ops->add_snapshot(s->ctx, kind, ts, data, len));
}

int bt_rec_sink_stack(struct bt_rec_sink *s, uint32_t id, const uint64_t *ips,
		      unsigned int nr, const char *symbols)
{
	return SINK_CALL(s, s->ops->add_stack(s->ctx, id, ips, nr, symbols));
}

static int add_events_locked(struct bt_rec_sink *s, const struct bt_event *ev,
			     size_t n)
{
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = s->ops->add_event(s->ctx, &ev[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int bt_rec_sink_events(struct bt_rec_sink *s, const struct bt_event *ev,
		       size_t n)
{
	return SINK_CALL(s, add_events_locked(s, ev, n));
}

int bt_rec_sink_flush(struct bt_rec_sink *s)
{
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = s->ctx ? s->ops->flush(s->ctx) : -EBADF;
	if (s->ctx)
		__atomic_store_n(&s->bytes, s->ops->bytes(s->ctx),
				 __ATOMIC_RELAXED);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

uint64_t bt_rec_sink_bytes(struct bt_rec_sink *s)
{
	/* As of the last flush: progress lines must not take the lock. */
	return __atomic_load_n(&s->bytes, __ATOMIC_RELAXED);
}

int bt_rec_sink_close(struct bt_rec_sink *s)
{
	int ret = 0;

	pthread_mutex_lock(&s->lock);
	if (s->ctx) {
		s->ops->flush(s->ctx);
		__atomic_store_n(&s->bytes, s->ops->bytes(s->ctx),
				 __ATOMIC_RELAXED);
		ret = s->ops->close(s->ctx);
		s->ctx = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

void bt_rec_sink_abort(struct bt_rec_sink *s)
{
	pthread_mutex_lock(&s->lock);
	if (s->ctx) {
		s->ops->abort(s->ctx);
		s->ctx = NULL;
	}
	pthread_mutex_unlock(&s->lock);
}

/* ---- the in-memory sink ---- */

static char *dup_n(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		return NULL;
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static int kv_add(struct bt_rec_mem_kv **v, size_t *nr, const char *a,
		  const char *b, const char *c)
{
	struct bt_rec_mem_kv *n = realloc(*v, (*nr + 1) * sizeof(**v));

	if (!n)
		return -ENOMEM;
	*v = n;
	n[*nr].a = a ? strdup(a) : NULL;
	n[*nr].b = b ? strdup(b) : NULL;
	n[*nr].c = c ? strdup(c) : NULL;
	(*nr)++;
	return 0;
}

static int mem_meta(void *ctx, const char *key, const char *value)
{
	struct bt_rec_mem *m = ctx;

	return kv_add(&m->meta, &m->nr_meta, key, value, NULL);
}

static int mem_format(void *ctx, const char *system, const char *name,
		      const char *text)
{
	struct bt_rec_mem *m = ctx;

	return kv_add(&m->formats, &m->nr_formats, system, name, text);
}

static int mem_snapshot(void *ctx, unsigned int kind, uint64_t ts,
			const void *data, size_t len)
{
	struct bt_rec_mem *m = ctx;
	struct bt_rec_mem_snap *n;

	n = realloc(m->snap, (m->nr_snap + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	m->snap = n;
	n += m->nr_snap;
	n->kind = kind;
	n->ts = ts;
	n->len = len;
	n->data = (unsigned char *)dup_n(data, len);
	if (!n->data)
		return -ENOMEM;
	m->nr_snap++;
	return 0;
}

static int mem_stack(void *ctx, uint32_t id, const uint64_t *ips,
		     unsigned int nr, const char *symbols)
{
	struct bt_rec_mem *m = ctx;
	uint32_t *ids;
	unsigned int *nrs;

	(void)ips;
	ids = realloc(m->stack_ids, (m->nr_stacks + 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	m->stack_ids = ids;
	nrs = realloc(m->stack_nr, (m->nr_stacks + 1) * sizeof(*nrs));
	if (!nrs)
		return -ENOMEM;
	m->stack_nr = nrs;
	ids[m->nr_stacks] = id;
	nrs[m->nr_stacks] = nr;
	return kv_add(&m->stacks, &m->nr_stacks, symbols, NULL, NULL);
}

static int mem_event(void *ctx, const struct bt_event *ev)
{
	struct bt_rec_mem *m = ctx;
	struct bt_event *e;

	if (m->nr_ev == m->cap_ev) {
		size_t cap = m->cap_ev ? m->cap_ev * 2 : 256;

		e = realloc(m->ev, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		m->ev = e;
		m->cap_ev = cap;
	}
	e = &m->ev[m->nr_ev];
	*e = *ev;
	e->comm = ev->comm ? strdup(ev->comm) : NULL;
	e->str = ev->str ? dup_n(ev->str, ev->str_len) : NULL;
	m->nr_ev++;
	return 0;
}

static int mem_flush(void *ctx)
{
	struct bt_rec_mem *m = ctx;

	m->flushes++;
	return 0;
}

static uint64_t mem_bytes(void *ctx)
{
	struct bt_rec_mem *m = ctx;

	return m->nr_ev * sizeof(struct bt_event);
}

static int mem_close(void *ctx)
{
	struct bt_rec_mem *m = ctx;

	m->closed = true;
	return 0;
}

static void mem_abort(void *ctx)
{
	(void)ctx;
}

static const struct bt_rec_sink_ops mem_ops = {
	.set_meta = mem_meta,
	.add_format = mem_format,
	.add_snapshot = mem_snapshot,
	.add_stack = mem_stack,
	.add_event = mem_event,
	.flush = mem_flush,
	.bytes = mem_bytes,
	.close = mem_close,
	.abort = mem_abort,
};

struct bt_rec_mem *bt_rec_sink_open_mem(struct bt_rec_sink *s)
{
	struct bt_rec_mem *m = calloc(1, sizeof(*m));

	if (m)
		bt_rec_sink_init(s, &mem_ops, m);
	return m;
}

static void kv_free(struct bt_rec_mem_kv *v, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		free(v[i].a);
		free(v[i].b);
		free(v[i].c);
	}
	free(v);
}

void bt_rec_mem_free(struct bt_rec_mem *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nr_ev; i++) {
		free((char *)m->ev[i].comm);
		free((char *)m->ev[i].str);
	}
	free(m->ev);
	for (i = 0; i < m->nr_snap; i++)
		free(m->snap[i].data);
	free(m->snap);
	kv_free(m->meta, m->nr_meta);
	kv_free(m->formats, m->nr_formats);
	kv_free(m->stacks, m->nr_stacks);
	free(m->stack_ids);
	free(m->stack_nr);
	free(m);
}
