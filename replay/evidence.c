// SPDX-License-Identifier: GPL-2.0-only
/*
 * evidence.c - per-task slow-path evidence and first-occurrence lists.
 *
 * Most slow-path entries leave no tracepoint, but some do: a task that
 * wakes kswapd with its request's order, enters direct compaction or
 * direct reclaim, checks a zone for reclaim retry, retries compaction or
 * marks an OOM victim is in the slow path of the allocation it is about
 * to complete. The collector keeps one byte of evidence bits per pid
 * (a dense array over pid_max, untouched pages cost nothing), sets bits
 * as those events arrive and hands them to the task's next mm_page_alloc,
 * which clears them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay-internal.h"

int bt_evidence_init(struct bt_evidence *e)
{
	e->bits = calloc(BT_EVID_PIDS, 1);
	return e->bits ? 0 : -ENOMEM;
}

void bt_evidence_release(struct bt_evidence *e)
{
	free(e->bits);
	e->bits = NULL;
}

static bool pid_ok(int32_t pid)
{
	return pid > 0 && (uint32_t)pid < BT_EVID_PIDS;
}

bool bt_evidence_note(struct bt_evidence *e, const struct bt_event *ev)
{
	unsigned int bit;

	switch (ev->type) {
	case BT_EV_VMSCAN_WAKEUP_KSWAPD:
		/*
		 * The boosted-watermark wake from rmqueue() carries order 0
		 * and no gfp: it is not slow-path evidence (ALLOCATOR-SPEC
		 * 11.4).
		 */
		if (ev->arg[2] == 0 && ev->arg[3] == 0)
			return false;
		bit = BT_EVID_KSWAPD;
		break;
	case BT_EV_COMPACTION_TRY_TO_COMPACT_PAGES:
		bit = BT_EVID_COMPACT;
		break;
	case BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN:
		bit = BT_EVID_RECLAIM | BT_EVID_IN_RECLAIM;
		break;
	case BT_EV_VMSCAN_DIRECT_RECLAIM_END:
		if (pid_ok(ev->pid))
			e->bits[ev->pid] &= (uint8_t)~BT_EVID_IN_RECLAIM;
		bit = BT_EVID_RECLAIM;
		break;
	case BT_EV_OOM_RECLAIM_RETRY_ZONE:
		bit = BT_EVID_RETRY_ZONE;
		break;
	case BT_EV_OOM_COMPACT_RETRY:
		bit = BT_EVID_COMPACT_RETRY;
		break;
	case BT_EV_OOM_MARK_VICTIM:
		bit = BT_EVID_OOM;
		break;
	default:
		return false;
	}
	if (pid_ok(ev->pid))
		e->bits[ev->pid] |= (uint8_t)bit;
	return true;
}

unsigned int bt_evidence_take(struct bt_evidence *e, int32_t pid)
{
	unsigned int b;

	if (!pid_ok(pid))
		return 0;
	b = e->bits[pid] & (unsigned int)~BT_EVID_IN_RECLAIM;
	e->bits[pid] &= BT_EVID_IN_RECLAIM;
	return b;
}

bool bt_evidence_in_reclaim(const struct bt_evidence *e, int32_t pid)
{
	return pid_ok(pid) && (e->bits[pid] & BT_EVID_IN_RECLAIM);
}

void bt_replay_occur_add(struct bt_replay_occur_list *l,
			 const struct bt_event *ev, uint64_t pfn,
			 unsigned int order, uint64_t detail)
{
	struct bt_replay_occur *o;

	l->count++;
	if (l->nr >= BT_REPLAY_MAX_OCCUR)
		return;
	o = &l->first[l->nr++];
	memset(o, 0, sizeof(*o));
	o->ts = ev->ts;
	o->event = ev->type;
	o->cpu = ev->cpu;
	o->pid = ev->pid;
	o->order = order;
	o->pfn = pfn;
	o->detail = detail;
	if (ev->comm)
		bt_strlcpy(o->comm, ev->comm, sizeof(o->comm));
}

uint32_t bt_replay_ppm(uint64_t num, uint64_t den)
{
	if (!den)
		return num ? 1000000 : 0;
	if (num >= den)
		return 1000000;
	return (uint32_t)((num * 1000000 + den / 2) / den);
}

/*
 * __fragmentation_index() of mm/vmstat.c, all integer arithmetic:
 * -1000 when a block of the order is free, else 1000 - (1000 +
 * free_pages*1000/2^order) / free_blocks_total; 0 with no free block.
 */
int32_t bt_replay_frag_index(const uint64_t *nr_free, unsigned int order)
{
	uint64_t total = 0, pages = 0, suitable = 0;

	for (unsigned int o = 0; o < BT_REPLAY_NR_ORDERS; o++) {
		total += nr_free[o];
		pages += nr_free[o] << o;
		if (o >= order)
			suitable += nr_free[o] << (o - order);
	}
	if (!total)
		return 0;
	if (suitable)
		return -1000;
	return (int32_t)(1000 - (int64_t)((1000 + (pages * 1000 >> order)) /
					  total));
}
