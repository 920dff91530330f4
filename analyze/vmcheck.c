// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmcheck.c - the vmstat cross-check: every count that /proc/vmstat also
 * keeps, derived from the events between the first and the last vmstat
 * snapshot, beside the vmstat delta between those snapshots, with the
 * difference and what explains it.
 *
 * The kernel's counters are not pure counts of the events (see the man
 * page buddytrace-analyze(1), VMSTAT CROSS-CHECK): the bulk allocator and
 * the recorder's own ring-buffer pages raise pgalloc without mm_page_alloc;
 * pages handed over by compaction capture emit mm_page_alloc without
 * raising pgalloc; allocstall counts every do_try_to_free_pages() pass.
 * Each row therefore carries a documented tolerance, and `within` says
 * whether the difference stays inside it.
 */
#include <inttypes.h>
#include <string.h>

#include "analyze-internal.h"

struct row_def {
	const char *name;
	const char *counter;	/* vmstat name, or prefix when sum */
	bool sum;
	unsigned int rel_pm;	/* tolerance, per mille of the vmstat delta */
	uint64_t slack;		/* and absolute */
	uint64_t gap_slack;	/* more when snapshots lie outside the trace */
	const char *if_low;	/* why the trace may count fewer */
	const char *if_high;	/* why the trace may count more */
};

static const struct row_def rows[BT_VM_ROWS] = {
	[BT_VM_PGALLOC] = { "pgalloc", "pgalloc_", true, 100, 4096, 81920,
		"bulk allocations (alloc_pages_bulk) and ring-buffer pages "
		"raise pgalloc without mm_page_alloc",
		"compaction capture emits mm_page_alloc without raising "
		"pgalloc" },
	[BT_VM_PGFREE] = { "pgfree", "pgfree", false, 100, 4096, 81920,
		"frees that vmstat counted and the trace does not show (lost "
		"events, frees outside the traced span)",
		"freed pages that vmstat had not yet folded in" },
	[BT_VM_ALLOCSTALL] = { "allocstall", "allocstall_", true, 500, 4, 4,
		"allocstall counts every do_try_to_free_pages() pass, more "
		"than the traced direct reclaims",
		"direct reclaims traced outside the snapshot span" },
	[BT_VM_COMPACT_STALL] = { "compact_stall", "compact_stall", false, 0,
		2, 2, "compaction started near a snapshot",
		"compaction started near a snapshot" },
	[BT_VM_COMPACT_SUCCESS] = { "compact_success", "compact_success",
		false, 100, 2, 2,
		"an allocation after compaction judged failed by event order",
		"success inferred from the task's next allocation" },
	[BT_VM_COMPACT_FAIL] = { "compact_fail", "compact_fail", false, 100, 2,
		2,
		"success inferred from the task's next allocation",
		"an allocation after compaction judged failed by event order" },
	[BT_VM_OOM_KILL] = { "oom_kill", "oom_kill", false, 0, 0, 0,
		"an OOM kill without mark_victim", "" },
};

static int vm_value(const struct row_def *d, const char *s, size_t len,
		    uint64_t *v)
{
	if (d->sum)
		return bt_snap_vmstat_sum(s, len, d->counter, v);
	return bt_snap_vmstat_get(s, len, d->counter, v);
}

static void explain(const struct bt_recorded *rv, const struct row_def *d,
		    bool gap, struct bt_vm_check_row *r)
{
	struct bt_buf b;
	const char *why;

	bt_buf_init(&b);
	if (r->diff == 0) {
		bt_buf_printf(&b, "equal");
	} else {
		why = r->diff < 0 ? d->if_low : d->if_high;
		bt_buf_printf(&b, "%s", why && *why ? why : "unexplained");
	}
	if (gap && r->diff < 0 && d->gap_slack > d->slack)
		bt_buf_printf(&b, "; the vmstat snapshots lie outside the "
			      "traced span, so the recorder's own start and "
			      "stop and the /proc copies count in vmstat only");
	if (rv->lost_events && r->diff < 0)
		bt_buf_printf(&b, "; %" PRIu64 " events lost",
			      rv->lost_events);
	if (!r->within)
		bt_buf_printf(&b, "; outside the documented tolerance");
	bt_strlcpy(r->explanation, b.data ? (const char *)b.data : "",
		   sizeof(r->explanation));
	bt_buf_release(&b);
}

static void check_row(const struct bt_recorded *rv, unsigned int i,
		      bool gap, const char *vm0, size_t len0, const char *vm1,
		      size_t len1, struct bt_vm_check_row *r)
{
	const struct row_def *d = &rows[i];
	uint64_t a, b, tol, mag;

	memset(r, 0, sizeof(*r));
	r->name = d->name;
	r->trace = rv->vm_trace[i];
	r->abs_tol_frac = d->rel_pm / 1000.0;
	if (vm_value(d, vm0, len0, &a) || vm_value(d, vm1, len1, &b) || b < a) {
		r->have_vmstat = false;
		r->within = true;
		bt_strlcpy(r->explanation, "counter not in both snapshots",
			   sizeof(r->explanation));
		return;
	}
	r->have_vmstat = true;
	r->vmstat = b - a;
	r->diff = (int64_t)(r->trace - r->vmstat);
	mag = r->diff < 0 ? (uint64_t)-r->diff : (uint64_t)r->diff;
	tol = r->vmstat / 1000 * d->rel_pm + rv->lost_events +
	      (gap && r->diff < 0 ? d->gap_slack : d->slack);
	/* Capture can trace up to the pages of every direct compaction. */
	if (i == BT_VM_PGALLOC && r->diff > 0)
		tol += r->vmstat;
	r->abs_tol = tol;
	r->within = mag <= tol;
	explain(rv, d, gap, r);
}

void bt_vm_check_compute(const struct bt_recorded *rv, const char *vm0,
			 size_t len0, const char *vm1, size_t len1,
			 struct bt_vm_check *out)
{
	bool gap = rv->vm_outside;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (!vm0 || !vm1) {
		bt_strlcpy(out->note, "skipped: the trace holds fewer than two "
			   "vmstat snapshots", sizeof(out->note));
		return;
	}
	out->done = true;
	for (i = 0; i < BT_VM_ROWS; i++)
		check_row(rv, i, gap, vm0, len0, vm1, len1, &out->rows[i]);
}
