/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test-replay-util.h - builds small synthetic .bt traces for the replay
 * tests: the hand-made zoneinfo of tests/data/replay, a free-page map as
 * raw kpageflags (KPF_BUDDY on every free page), buddyinfo snapshots and
 * events, written with the real bt_writer and read back with bt_reader.
 */
#ifndef BT_TEST_REPLAY_UTIL_H
#define BT_TEST_REPLAY_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay/replay.h"
#include "traces/traces.h"

#define TB_PFNS 16384			/* the zones end at pfn 16384 */
#define TB_GFP_KERNEL (BT_GFP_DIRECT_RECLAIM | BT_GFP_KSWAPD_RECLAIM | \
		       BT_GFP_IO | BT_GFP_FS)
#define TB_GFP_MOVABLE (TB_GFP_KERNEL | BT_GFP_MOVABLE | BT_GFP_HIGHMEM)

struct tb {
	struct bt_writer *w;
	char path[256];
	uint64_t kpf[TB_PFNS];
	int32_t pid;
	uint32_t cpu;
};

static inline void tb_open(struct tb *t, const char *name)
{
	const char *dir = getenv("TMPDIR");

	memset(t, 0, sizeof(*t));
	snprintf(t->path, sizeof(t->path), "%s/bt-replay-%ld-%s.bt",
		 dir && *dir ? dir : "/tmp", (long)getpid(), name);
	t->w = bt_writer_open(t->path, 2);
	if (!t->w)
		abort();
	bt_writer_set_meta(t->w, BT_META_KERNEL, "6.18.0-test");
	bt_writer_set_meta(t->w, BT_META_CPUS, "2");
	t->pid = 100;
}

static inline void tb_zoneinfo(struct tb *t, uint64_t ts)
{
	const char *top = getenv("BT_TOP");
	char path[512];
	struct bt_buf b;

	snprintf(path, sizeof(path), "%s/tests/data/replay/zoneinfo",
		 top && *top ? top : ".");
	bt_buf_init(&b);
	if (bt_read_file(path, &b))
		abort();
	bt_writer_add_snapshot(t->w, BT_SNAP_ZONEINFO, ts, b.data, b.len);
	bt_buf_release(&b);
}

/* Mark [pfn, pfn + n) free in the map. */
static inline void tb_free_range(struct tb *t, uint64_t pfn, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		t->kpf[pfn + i] |= 1ull << 10;
}

static inline void tb_kpageflags(struct tb *t, uint64_t ts)
{
	bt_writer_add_snapshot(t->w, BT_SNAP_KPAGEFLAGS, ts, t->kpf,
			       sizeof(t->kpf));
}

static inline void tb_buddyinfo(struct tb *t, uint64_t ts, const char *dma32,
				const char *normal)
{
	char text[512];
	int n = snprintf(text, sizeof(text),
			 "Node 0, zone    DMA32 %s\nNode 0, zone   Normal %s\n",
			 dma32, normal);

	bt_writer_add_snapshot(t->w, BT_SNAP_BUDDYINFO, ts, text, (size_t)n);
}

static inline void tb_ev(struct tb *t, uint64_t ts, unsigned int type,
			 uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			 uint64_t a4, uint64_t a5)
{
	struct bt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.type = type;
	ev.cpu = t->cpu;
	ev.pid = t->pid;
	ev.comm = "tester";
	ev.arg[0] = a0;
	ev.arg[1] = a1;
	ev.arg[2] = a2;
	ev.arg[3] = a3;
	ev.arg[4] = a4;
	ev.arg[5] = a5;
	if (bt_writer_add_event(t->w, &ev))
		abort();
}

static inline void tb_alloc(struct tb *t, uint64_t ts, uint64_t pfn,
			    unsigned int order, uint64_t gfp)
{
	tb_ev(t, ts, BT_EV_PAGE_ALLOC, pfn, order, gfp,
	      gfp & BT_GFP_MOVABLE ? 1 : 0, 0, 0);
}

static inline void tb_free(struct tb *t, uint64_t ts, uint64_t pfn,
			   unsigned int order)
{
	tb_ev(t, ts, BT_EV_PAGE_FREE, pfn, order, 0, 0, 0, 0);
}

static inline void tb_close(struct tb *t)
{
	if (bt_writer_close(t->w))
		abort();
	t->w = NULL;
}

/* Replay the file; returns bt_replay_run's value. */
static inline int tb_replay(struct tb *t, const struct bt_replay_opts *o,
			    struct bt_replay_summary *s)
{
	struct bt_reader *r;
	int err;

	r = bt_reader_open(t->path, &err);
	if (!r)
		return err;
	err = bt_replay_run(r, o, s);
	bt_reader_close(r);
	return err;
}

static inline void tb_remove(struct tb *t)
{
	unlink(t->path);
}

#endif
