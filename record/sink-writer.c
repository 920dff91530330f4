// SPDX-License-Identifier: GPL-2.0-only
/*
 * sink-writer.c - the .bt writer (traces/) as the recorder's sink.
 *
 * Kept apart from sink.c so that the unit tests of the pipeline link
 * without the writer: they use the in-memory sink.
 */
#include <errno.h>

#include "record-internal.h"

static int w_meta(void *ctx, const char *key, const char *value)
{
	return bt_writer_set_meta(ctx, key, value);
}

static int w_format(void *ctx, const char *system, const char *name,
		    const char *text)
{
	return bt_writer_add_format(ctx, system, name, text);
}

static int w_snapshot(void *ctx, unsigned int kind, uint64_t ts,
		      const void *data, size_t len)
{
	return bt_writer_add_snapshot(ctx, kind, ts, data, len);
}

static int w_stack(void *ctx, uint32_t id, const uint64_t *ips,
		   unsigned int nr, const char *symbols)
{
	return bt_writer_add_stack(ctx, id, ips, nr, symbols);
}

static int w_event(void *ctx, const struct bt_event *ev)
{
	return bt_writer_add_event(ctx, ev);
}

static int w_flush(void *ctx)
{
	return bt_writer_flush(ctx);
}

static uint64_t w_bytes(void *ctx)
{
	return bt_writer_bytes(ctx);
}

static int w_close(void *ctx)
{
	return bt_writer_close(ctx);
}

static void w_abort(void *ctx)
{
	bt_writer_abort(ctx);
}

static const struct bt_rec_sink_ops writer_ops = {
	.set_meta = w_meta,
	.add_format = w_format,
	.add_snapshot = w_snapshot,
	.add_stack = w_stack,
	.add_event = w_event,
	.flush = w_flush,
	.bytes = w_bytes,
	.close = w_close,
	.abort = w_abort,
};

int bt_rec_sink_open_writer(struct bt_rec_sink *s, const char *path,
			    unsigned int nr_cpus, int level)
{
	struct bt_writer *w = bt_writer_open(path, nr_cpus);
	int ret;

	if (!w)
		return errno ? -errno : -EIO;
	ret = bt_writer_set_level(w, level ? level : BT_REC_ZSTD_LEVEL);
	if (ret < 0) {
		bt_writer_abort(w);
		return ret;
	}
	bt_rec_sink_init(s, &writer_ops, w);
	return 0;
}
