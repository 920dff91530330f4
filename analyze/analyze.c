// SPDX-License-Identifier: GPL-2.0-only
/*
 * analyze.c - one analysis of one trace: the snapshots, the recorded view,
 * the vmstat cross-check, and the replay in mirror and model modes.
 *
 * The mirror and the model replay the file on two threads, each with its
 * own reader (readers are not shared between threads), so a whole
 * analysis keeps both cores of a small machine busy. The recorded view
 * takes its events from the mirror's reader, on the mirror's thread: one
 * decoding serves both, and the two threads stay independent (handing
 * events from one thread to others through a bounded queue was measured
 * slower: it ties every thread to the slowest, and the model must read
 * the whole file once before its replay starts). A window between two
 * trace markers is only known after the recorded pass has seen the
 * markers; in that case the recorded pass runs first on the calling
 * thread and the replays after it, with the window resolved to times.
 *
 * When the analysis has its process to itself (bt_analyze_opts.
 * model_process: the analyze and export commands), the model runs in a
 * child process instead of a thread and the mirror on the calling thread,
 * both readers without their decompression helper. Two threads of one
 * process share its page tables: every copy-on-write fault and every
 * unmap then flushes the TLB of both CPUs with an interrupt, and the
 * faults of one replay wait on those of the other. Median of 25 runs,
 * the thp and compile corpus traces (about 400,000 events each): 52.5
 * and 37.0 ms on two threads, 47.2 and 33.7 ms in two processes. The
 * child writes its summary to an unnamed memory file that the parent
 * reads back once the mirror is done; when fork or the file is refused,
 * the model takes a thread as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze-internal.h"

#define DEFAULT_PAGEBLOCK_ORDER 9	/* x86-64 and most 4 KiB kernels */
#define COMPACT_SUCCESS_6X 8		/* enum compact_result, 5.x-6.x */

void bt_analysis_note(struct bt_analysis *a, const char *fmt, ...)
{
	va_list ap;

	if (a->nr_notes >= BT_ARRAY_SIZE(a->notes))
		return;
	va_start(ap, fmt);
	vsnprintf(a->notes[a->nr_notes++], sizeof(a->notes[0]), fmt, ap);
	va_end(ap);
}

const char *bt_an_trace_name(const char *path)
{
	const char *p = path + strlen(path), *last = NULL;

	while (p > path) {
		p--;
		if (*p != '/' || !p[1])
			continue;
		if (last)
			return p + 1;
		last = p;
	}
	return path;
}

uint64_t bt_an_stage_evidence(const struct bt_recorded *r,
			      unsigned int stage)
{
	const uint64_t *e = r->evidence_by_kind;

	switch (stage) {
	case BT_REPLAY_STAGE_KSWAPD_WAKE:
		return e[BT_EVK_KSWAPD];
	case BT_REPLAY_STAGE_DIRECT_RECLAIM:
		return e[BT_EVK_RECLAIM];
	case BT_REPLAY_STAGE_DIRECT_COMPACT:
		return e[BT_EVK_COMPACT];
	case BT_REPLAY_STAGE_RETRY:
		return e[BT_EVK_RECLAIM_RETRY] + e[BT_EVK_COMPACT_RETRY];
	case BT_REPLAY_STAGE_OOM:
		return e[BT_EVK_OOM];
	default:
		return 0;
	}
}

double bt_an_sec(uint64_t ns)
{
	return (double)ns / 1e9;
}

/* mm_compaction_end's status value printed as "success", from its format. */
static int success_status(struct bt_reader *r)
{
	const char *f = bt_reader_format(r, "compaction", "mm_compaction_end");
	const char *p, *b;
	int v;

	if (!f || !(p = strstr(f, "\"success\"")))
		return COMPACT_SUCCESS_6X;
	for (b = p; b > f && *b != '{'; b--)
		;
	if (*b != '{')
		return COMPACT_SUCCESS_6X;
	b++;
	while (*b == ' ')
		b++;
	const char *e = b;

	while (e < p && *e != ',')
		e++;
	if (bt_parse_int(b, e - b, 0, &v))
		return COMPACT_SUCCESS_6X;
	return v;
}

struct snaps {
	const struct bt_snapshot *vm0, *vm1, *zoneinfo;
};

static void read_snapshots(struct bt_analysis *a, struct bt_reader *r,
			   struct snaps *s)
{
	unsigned int i, n = bt_reader_nr_snapshots(r);

	memset(s, 0, sizeof(*s));
	a->buddy = calloc(BT_MIN(n, BT_AN_MAX_SNAPS) + 1, sizeof(*a->buddy));
	for (i = 0; i < n; i++) {
		const struct bt_snapshot *sn = bt_reader_snapshot(r, i);
		const char *d = (const char *)sn->data;

		switch (sn->kind) {
		case BT_SNAP_ZONEINFO:
			if (!s->zoneinfo && !bt_snap_parse_zoneinfo(d, sn->len,
								  &a->zones)) {
				s->zoneinfo = sn;
				a->have_zones = true;
			}
			break;
		case BT_SNAP_VMSTAT:	/* the earliest and the latest */
			if (!s->vm0 || sn->ts < s->vm0->ts)
				s->vm0 = sn;
			if (!s->vm1 || sn->ts >= s->vm1->ts)
				s->vm1 = sn;
			break;
		case BT_SNAP_PAGETYPEINFO:
			bt_snap_pageblock_order(d, sn->len,
						&a->pageblock_order);
			break;
		case BT_SNAP_BUDDYINFO:
			if (!a->buddy || a->nr_buddy >= BT_AN_MAX_SNAPS)
				break;
			if (!bt_snap_parse_buddyinfo(d, sn->len,
						     &a->buddy[a->nr_buddy])) {
				a->buddy[a->nr_buddy].ts = sn->ts;
				a->nr_buddy++;
			}
			break;
		default:
			break;
		}
	}
	if (s->vm0 == s->vm1)
		s->vm1 = NULL;
}

/* "A,B": two numbers are seconds from the trace's start, else markers. */
static int parse_window(const char *w, struct bt_rec_setup *st, char *a,
			char *b, size_t size)
{
	const char *comma = w ? strchr(w, ',') : NULL;
	double x, y;

	if (!w)
		return 0;
	if (!comma || comma == w || (size_t)(comma - w) >= size ||
	    strlen(comma + 1) >= size)
		return BT_E_USAGE;
	memcpy(a, w, (size_t)(comma - w));
	a[comma - w] = '\0';
	bt_strlcpy(b, comma + 1, size);
	if (!bt_parse_double(a, &x) && (!*b || !bt_parse_double(b, &y))) {
		if (x < 0 || (*b && y < x) || x > 1e9 || (*b && y > 1e9))
			return BT_E_USAGE;
		st->win_start = st->first_ts + (uint64_t)(x * 1e9);
		st->win_end = *b ? st->first_ts + (uint64_t)(y * 1e9) :
			      UINT64_MAX;
		return 0;
	}
	st->mark_a = a;
	st->mark_b = *b ? b : NULL;
	return 0;
}

struct replay_job {
	const char *path;
	const struct bt_analyze_opts *o;
	struct bt_buf *zoneinfo;
	enum bt_replay_mode mode;
	uint64_t t0, t1, interval;
	struct bt_replay_summary *sum;
	/* the recorded view fed from this replay's reads, or NULL */
	struct bt_rec *rec;
	struct bt_reader *r;		/* the job's reader while it runs */
	struct bt_event ev;		/* the event read last */
	int rec_ret;			/* how the stream ended for rec */
	bool rec_started, rec_done;
	int err;
	bool no_prefetch;		/* read on this thread only */
	bool exit_after;		/* in a child that exits after it */
	bool progress;			/* reports bt_analyze_opts.progress */
	/* the analysis's reader, to read through bt_reader_dup(), or NULL
	 * (readers are not shared between threads: open by path) */
	struct bt_reader *src;
	pthread_t th;
	bool started;
	pid_t child;			/* the model's process, or 0 */
	bool lost;			/* ... which died without its summary */
	int child_fd;			/* where it writes its summary */
	int done_fd;			/* reads EOF once it has */
};

/* The event source of a replay that also feeds the recorded view. */
static int rec_next(void *data, const struct bt_event **ev)
{
	struct replay_job *j = data;
	int ret;

	if (!j->rec_started) {
		j->rec_started = true;
		bt_reader_rewind(j->r);
	}
	*ev = &j->ev;
	ret = bt_reader_next(j->r, &j->ev);
	if (ret > 0) {
		bt_rec_event(j->rec, &j->ev);
	} else {
		j->rec_ret = ret;
		j->rec_done = true;
	}
	return ret;
}

/* The rest of the stream to the recorded view if the replay stopped. */
static void rec_drain(struct replay_job *j)
{
	const struct bt_event *ev;

	while (!j->rec_done && rec_next(j, &ev) > 0)
		;
}

static void *replay_thread(void *arg)
{
	struct replay_job *j = arg;
	struct bt_replay_opts ro;
	struct bt_reader *r;
	unsigned int i;
	int err = 0, oerr = 0;

	bt_replay_opts_init(&ro);
	ro.mode = j->mode;
	ro.t0 = j->t0;
	ro.t1 = j->t1;
	ro.sample_interval_ns = j->interval;
	ro.exit_after = j->exit_after;
	if (j->progress && j->o->progress) {
		ro.on_progress = j->o->progress;
		ro.progress_data = j->o->progress_data;
	}
	if (j->zoneinfo->len) {
		ro.zoneinfo = (const char *)j->zoneinfo->data;
		ro.zoneinfo_len = j->zoneinfo->len;
	}
	if (j->o->profile && !strcmp(j->o->profile, "4.12"))
		ro.profile = BT_REPLAY_PROFILE_4_12;
	else if (j->o->profile && !strcmp(j->o->profile, "6.x"))
		ro.profile = BT_REPLAY_PROFILE_6_X;
	if (j->rec) {
		ro.next_event = rec_next;
		ro.next_data = j;
	}
	for (i = 0; i < j->o->nr_sets && !err; i++)
		err = bt_replay_knob_set(&ro.knobs, j->o->sets[i]);
	memset(j->sum, 0, sizeof(*j->sum));
	r = j->src ? bt_reader_dup(j->src, &oerr) :
		     bt_reader_open(j->path, &oerr);
	if (r && j->no_prefetch)
		bt_reader_set_prefetch(r, false);
	if (err)
		j->err = err;
	else if (!r)
		j->err = oerr ? oerr : BT_E_INTERNAL;
	j->r = r;
	if (r && !err)
		j->err = bt_replay_run(r, &ro, j->sum);
	if (r && j->rec)
		rec_drain(j);
	j->r = NULL;
	bt_reader_close(r);
	return NULL;
}

/* The head of a model child's output; the summary and its arrays follow. */
#define CHILD_DONE 0x62746d64u	/* "btmd": the head is written last */

struct child_head {
	uint32_t done;		/* CHILD_DONE once everything is written */
	int32_t err;
	uint32_t nr_snapcmp;
	uint32_t nr_samples;
	uint32_t sum_size;	/* sizeof(struct bt_replay_summary) */
};

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * In the child: replay, write the summary to @fd, close @done (the
 * parent's read of its other end returns then, before this process's
 * memory is torn down), and leave.
 */
static void __attribute__((noreturn)) model_child(struct replay_job *j,
						  int fd, int done)
{
	const struct bt_replay_summary *s = j->sum;
	struct child_head h;

	replay_thread(j);
	memset(&h, 0, sizeof(h));
	/* _exit: the parent's stdio buffers are the parent's to flush */
	if (write_all(fd, &h, sizeof(h)) || write_all(fd, s, sizeof(*s)) ||
	    write_all(fd, s->snapcmp, s->nr_snapcmp * sizeof(*s->snapcmp)) ||
	    write_all(fd, s->samples, s->nr_samples * sizeof(*s->samples)))
		_exit(1);
	h.done = CHILD_DONE;
	h.err = j->err;
	h.nr_snapcmp = s->nr_snapcmp;
	h.nr_samples = s->nr_samples;
	h.sum_size = sizeof(*s);
	if (pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		_exit(1);
	/*
	 * The standard streams too: a caller reading the parent's output
	 * to its end would otherwise wait for this teardown, which the
	 * parent does not (bt_analyze_opts.exit_after).
	 */
	close(STDIN_FILENO);
	close(STDOUT_FILENO);
	close(STDERR_FILENO);
	close(done);
	_exit(0);
}

/* Start @j in a child process; false when the system refuses. */
static bool child_start(struct replay_job *j)
{
	int fd = memfd_create("buddytrace-model", MFD_CLOEXEC);
	int done[2], cpu;
	pid_t pid;

	if (fd < 0)
		return false;
	if (pipe2(done, O_CLOEXEC)) {
		close(fd);
		return false;
	}
	j->no_prefetch = true;
	j->exit_after = true;
	/*
	 * The model process keeps off the CPU the parent runs on. Forked
	 * beside its parent, a child either waits behind it or makes it
	 * wait until load balancing moves one of them, up to a scheduler
	 * tick later (4 ms at HZ=250) while another CPU sits idle: on two
	 * CPUs this happened in about a third of the runs. So the parent
	 * narrows the child's affinity right after the fork (a queued child
	 * moves at once), and the child narrows its own when it runs first.
	 * A single CPU, or a refusal, leaves things as they were.
	 */
	cpu = sched_getcpu();
	pid = fork();
	if (pid == 0) {
		if (sched_getcpu() == cpu)
			bt_avoid_cpu(0, cpu);
		/* no orphan: the replay dies with the analysis */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(done[0]);
		model_child(j, fd, done[1]);
	}
	close(done[1]);
	if (pid > 0)
		bt_avoid_cpu(pid, cpu);
	if (pid < 0) {
		close(fd);
		close(done[0]);
		j->no_prefetch = false;
		j->exit_after = false;
		return false;
	}
	j->child = pid;
	j->child_fd = fd;
	j->done_fd = done[0];
	j->lost = true;		/* until child_join() reads the summary */
	return true;
}

static int read_at(int fd, void *p, size_t n, off_t *off)
{
	ssize_t got = n ? pread(fd, p, n, *off) : 0;

	if (got != (ssize_t)n)
		return -1;
	*off += (off_t)n;
	return 0;
}

/* Wait for @pid to end; its status, or -1 when there is none. */
static int reap(pid_t pid)
{
	int status;
	pid_t w;

	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return w == pid ? status : -1;
}

/*
 * Wait for the child of @j and take its summary; BT_E_INTERNAL if lost.
 * The child closes its end of the pipe once the summary is written,
 * before its memory is torn down: the teardown runs beside the rest of
 * the analysis, and the child is reaped by bt_analysis_free() (left to
 * init when the caller exits right after: exit_after). The head,
 * written last, says the summary is whole; only then is the child's end
 * not waited for here.
 */
static int child_join(struct bt_analysis *a, struct replay_job *j)
{
	struct bt_replay_summary *s = j->sum;
	struct child_head h;
	off_t off = 0;
	int status, ret = BT_E_INTERNAL;
	char c;

	while (read(j->done_fd, &c, 1) < 0 && errno == EINTR)
		;
	close(j->done_fd);
	memset(s, 0, sizeof(*s));
	if (read_at(j->child_fd, &h, sizeof(h), &off) ||
	    h.done != CHILD_DONE || h.sum_size != sizeof(*s) ||
	    read_at(j->child_fd, s, sizeof(*s), &off)) {
		status = reap(j->child);
		if (status >= 0 && WIFSIGNALED(status))
			bt_log(BT_LOG_ERROR, "the model replay's process was "
			       "killed by signal %d", WTERMSIG(status));
		else
			bt_log(BT_LOG_ERROR, "the model replay's process "
			       "ended without its summary");
		j->child = 0;
		goto out;
	}
	s->snapcmp = NULL;
	s->samples = NULL;
	s->nr_snapcmp = s->nr_samples = 0;
	if (h.nr_snapcmp) {
		s->snapcmp = calloc(h.nr_snapcmp, sizeof(*s->snapcmp));
		if (!s->snapcmp || read_at(j->child_fd, s->snapcmp,
					   h.nr_snapcmp * sizeof(*s->snapcmp),
					   &off))
			goto out;
		s->nr_snapcmp = h.nr_snapcmp;
	}
	if (h.nr_samples) {
		s->samples = calloc(h.nr_samples, sizeof(*s->samples));
		if (!s->samples || read_at(j->child_fd, s->samples,
					   h.nr_samples * sizeof(*s->samples),
					   &off))
			goto out;
		s->nr_samples = h.nr_samples;
	}
	ret = h.err;
	j->lost = false;
out:
	close(j->child_fd);
	if (j->child > 0)
		a->child = j->child;	/* bt_analysis_free() reaps it,
					 * unless exit_after */
	j->child = 0;
	return ret;
}

static void replays_start(struct replay_job *jobs, bool model_process,
			  struct bt_reader *r)
{
	unsigned int i;

	const char *env = getenv("BUDDYTRACE_FORK");

	if (env && !strcmp(env, "0"))
		model_process = false;	/* to compare: threads, as check */
	/* the child has its own copy of @r; the mirror runs on this thread */
	jobs[0].src = jobs[1].src = model_process ? r : NULL;
	/* progress from this process, where the caller's state is */
	jobs[0].progress = model_process;
	if (model_process && child_start(&jobs[1])) {
		jobs[0].no_prefetch = true;
		replay_thread(&jobs[0]);
		return;
	}
	jobs[0].src = jobs[1].src = NULL;
	jobs[0].progress = false;
	jobs[1].progress = true;
	for (i = 0; i < 2; i++) {
		jobs[i].started = !pthread_create(&jobs[i].th, NULL,
						  replay_thread, &jobs[i]);
		if (!jobs[i].started)
			replay_thread(&jobs[i]);
	}
}

/*
 * Wait for both replays. BT_E_INTERNAL when the model's process died
 * without its summary (a crash there is a crash of the analysis, as on a
 * thread), else 0; replay errors become notes.
 */
static int replays_join(struct bt_analysis *a, struct replay_job *jobs)
{
	unsigned int i;
	int lost = 0;

	for (i = 0; i < 2; i++) {
		if (jobs[i].started)
			pthread_join(jobs[i].th, NULL);
		jobs[i].started = false;
		if (jobs[i].child > 0) {
			jobs[i].err = child_join(a, &jobs[i]);
			if (jobs[i].lost)
				lost = BT_E_INTERNAL;
		}
	}
	a->have_mirror = !jobs[0].err;
	a->have_model = !jobs[1].err;
	if (jobs[0].err == BT_E_NO_ZONEINFO || jobs[1].err == BT_E_NO_ZONEINFO)
		bt_analysis_note(a, "no zoneinfo snapshot in the trace: the "
				 "mirror and model columns are skipped; "
				 "supply one with --zoneinfo FILE");
	else if (jobs[0].err || jobs[1].err)
		bt_analysis_note(a, "replay failed (%s): the mirror and model "
				 "columns are skipped",
				 bt_strerror(jobs[0].err ? jobs[0].err :
					     jobs[1].err));
	return lost;
}

/* The recorded view's end: counts from @rec, which it frees. */
static int recorded_finish(struct bt_analysis *a, struct bt_rec *rec, int ret)
{
	if (ret < 0)
		bt_analysis_note(a, "the trace ends early: %s; counts cover "
				 "the events before it", bt_strerror(ret));
	ret = bt_rec_finish(rec, &a->rec);
	bt_rec_free(rec);
	return ret;
}

/*
 * The recorded view on this thread, from the start of @r or, with @j,
 * from where the mirror's thread left it (it could not open its reader).
 */
static int recorded_pass(struct bt_analysis *a, struct bt_reader *r,
			 const struct bt_rec_setup *st, struct replay_job *j)
{
	struct bt_rec *rec = j ? j->rec : bt_rec_new(st);
	struct bt_event ev;
	int ret;

	if (j && j->rec_done)
		return recorded_finish(a, rec, j->rec_ret);
	if (!rec)
		return -ENOMEM;
	while ((ret = bt_reader_next(r, &ev)) > 0)
		bt_rec_event(rec, &ev);
	return recorded_finish(a, rec, ret);
}

static void stack_symbols(struct bt_analysis *a, struct bt_reader *r)
{
	struct bt_rec_top *lists[2] = { a->rec.fail_stacks,
					a->rec.high_stacks };
	unsigned int nr[2] = { a->rec.nr_fail_stacks, a->rec.nr_high_stacks };
	unsigned int l, i;

	for (l = 0; l < 2; l++) {
		for (i = 0; i < nr[l]; i++) {
			const uint64_t *ips;
			const char *sym = NULL;
			int n = bt_reader_stack(r, (uint32_t)lists[l][i].key,
						&ips, &sym);
			char *p;

			if (n <= 0 || !sym)
				continue;
			bt_strlcpy(lists[l][i].sym, sym,
				   sizeof(lists[l][i].sym));
			for (p = lists[l][i].sym; *p; p++)
				if (*p == '\n')
					*p = ' ';
		}
	}
}

static int setup(struct bt_analysis *a, struct bt_reader *r,
		 const struct bt_analyze_opts *o, struct bt_buf *zi,
		 struct bt_rec_setup *st, struct snaps *sn)
{
	struct bt_trace_stats ts;
	int err;

	err = bt_reader_stats(r, &ts);
	if (err)
		return err;
	a->trace_first_ts = ts.first_ts;
	a->trace_last_ts = ts.last_ts;
	a->pageblock_order = 0;
	read_snapshots(a, r, sn);
	if (o->zoneinfo) {
		err = bt_read_file(o->zoneinfo, zi);
		if (err)
			return err;
		if (!a->have_zones &&
		    !bt_snap_parse_zoneinfo((const char *)zi->data, zi->len,
					    &a->zones))
			a->have_zones = true;
	}
	if (!a->pageblock_order)
		a->pageblock_order = DEFAULT_PAGEBLOCK_ORDER;
	memset(st, 0, sizeof(*st));
	st->zones = a->have_zones ? &a->zones : NULL;
	st->pageblock_order = a->pageblock_order;
	st->compact_success_status = success_status(r);
	st->first_ts = ts.first_ts;
	st->last_ts = ts.last_ts;
	st->win_end = UINT64_MAX;
	if (sn->vm0 && sn->vm1) {
		st->have_vm = true;
		st->vm_start = sn->vm0->ts;
		st->vm_end = sn->vm1->ts;
	}
	return 0;
}

/*
 * Were the vmstat snapshots taken outside the traced span? Snapshots
 * attached at import (--proc-before/--proc-after) always were, whatever
 * time they were stored under.
 */
static bool vm_outside(const struct bt_analysis *a, struct bt_reader *r,
		       const struct snaps *sn)
{
	const char *src = bt_reader_meta(r, BT_META_SOURCE);

	if (src && !strncmp(src, "import", 6))
		return true;
	return sn->vm0->ts < a->rec.ev_first_ts ||
	       sn->vm1->ts > a->rec.ev_last_ts;
}

/* What the recorded view and the snapshots give once the passes are done. */
static int finish(struct bt_analysis *a, struct bt_reader *r,
		  const struct snaps *sn, int err)
{
	if (err)
		return err;
	stack_symbols(a, r);
	if (sn->vm0 && sn->vm1)
		a->rec.vm_outside = vm_outside(a, r, sn);
	bt_vm_check_compute(&a->rec,
			    sn->vm0 ? (const char *)sn->vm0->data : NULL,
			    sn->vm0 ? sn->vm0->len : 0,
			    sn->vm1 ? (const char *)sn->vm1->data : NULL,
			    sn->vm1 ? sn->vm1->len : 0, &a->vm);
	if (a->vm.done) {
		a->vm.t0 = sn->vm0->ts;
		a->vm.t1 = sn->vm1->ts;
	}
	return 0;
}

static int run(struct bt_analysis *a, struct bt_reader *r,
	       const struct bt_analyze_opts *o, struct bt_buf *zi)
{
	char ma[128], mb[128];
	struct bt_rec_setup st;
	struct replay_job jobs[2];
	struct bt_replay_summary *sums[2] = { &a->mirror, &a->model };
	struct snaps sn;
	bool markers;
	unsigned int i;
	int err;

	err = setup(a, r, o, zi, &st, &sn);
	if (err)
		return err;
	if (parse_window(o->window, &st, ma, mb, sizeof(ma)))
		return BT_E_USAGE;
	if (o->window)
		bt_strlcpy(a->window, o->window, sizeof(a->window));
	markers = st.mark_a != NULL;
	memset(&jobs, 0, sizeof(jobs));
	for (i = 0; i < 2; i++) {
		jobs[i] = (struct replay_job){ .path = a->path, .o = o,
			.zoneinfo = zi, .mode = i ? BT_REPLAY_MODEL :
			BT_REPLAY_MIRROR, .sum = sums[i],
			.t0 = st.win_start, .interval =
			(st.last_ts - st.first_ts) / BT_AN_BUCKETS + 1,
			.t1 = st.win_end == UINT64_MAX ? 0 : st.win_end };
	}
	if (!o->no_model && !markers) {
		/* the mirror's thread also runs the recorded view */
		jobs[0].rec = bt_rec_new(&st);
		if (!jobs[0].rec)
			return -ENOMEM;
		replays_start(jobs, o->model_process, r);
			err = replays_join(a, jobs);
			if (err) {
			bt_rec_free(jobs[0].rec);
			return err;
		}
		return finish(a, r, &sn, recorded_pass(a, r, &st, &jobs[0]));
	}
	err = recorded_pass(a, r, &st, NULL);
	if (!err && markers && !a->rec.win_t0)
		err = BT_E_USAGE;
	if (!err && !o->no_model) {
		for (i = 0; i < 2; i++) {
			jobs[i].t0 = a->rec.win_t0;
			jobs[i].t1 = a->rec.win_t1;
		}
		replays_start(jobs, o->model_process, r);
		err = replays_join(a, jobs);
	}
	return finish(a, r, &sn, err);
}

int bt_analyze_file(const char *path, const struct bt_analyze_opts *o,
		    struct bt_analysis **out)
{
	static const struct bt_analyze_opts none;
	struct bt_analyze_opts stdin_opts;
	struct bt_analysis *a;
	struct bt_reader *r;
	struct bt_buf zi;
	const char *k;
	int err = 0;

	*out = NULL;
	if (!o)
		o = &none;
	if (!strcmp(path, "-") && !o->no_model) {
		/* The replays read the file again on their own threads. */
		stdin_opts = *o;
		stdin_opts.no_model = true;
		o = &stdin_opts;
	}
	r = bt_reader_open(path, &err);
	if (!r)
		return err ? err : BT_E_INTERNAL;
	a = calloc(1, sizeof(*a));
	if (!a || !(a->path = strdup(path))) {
		err = -ENOMEM;
		goto out_close;
	}
	k = bt_reader_meta(r, BT_META_KERNEL);
	a->kernel = strdup(k ? k : "unknown");
	a->exit_after = o->exit_after;
	bt_buf_init(&zi);
	err = run(a, r, o, &zi);
	bt_buf_release(&zi);
	if (o == &stdin_opts)
		bt_analysis_note(a, "a trace read from standard input is read "
				 "once: the mirror and model columns are "
				 "skipped; give the file's name to get them");
	if (!a->have_zones)
		bt_analysis_note(a, "no zoneinfo snapshot: allocations are not "
				 "split by zone; supply one with --zoneinfo "
				 "FILE");
out_close:
	bt_reader_close(r);
	if (err) {
		bt_analysis_free(a);
		return err;
	}
	*out = a;
	return 0;
}

void bt_analysis_free(struct bt_analysis *a)
{
	if (!a)
		return;
	if (a->child > 0 && !a->exit_after)
		reap(a->child);
	bt_replay_summary_release(&a->mirror);
	bt_replay_summary_release(&a->model);
	bt_recorded_release(&a->rec);
	free(a->buddy);
	free(a->kernel);
	free(a->path);
	free(a);
}
