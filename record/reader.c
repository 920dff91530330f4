// SPDX-License-Identifier: GPL-2.0-only
/*
 * reader.c - one thread per CPU streaming trace_pipe_raw into the sink.
 *
 * A reader sleeps in poll() until the kernel says its ring buffer is
 * buffer_percent full (or a timeout passes, so that a quiet CPU's events
 * still reach the file within a second), then reads whole sub-buffers
 * until the buffer is empty or it gets a partly filled one. That partly
 * filled sub-buffer is the one the kernel is still writing: reading it
 * again at once would return a few events per system call and burn the
 * CPU the workload needs, so the reader goes back to poll instead.
 *
 * Readers may run SCHED_FIFO so that a workload at nice -20 cannot starve
 * them into losing events. They set SCHED_RESET_ON_FORK, and the command
 * being recorded is forked from the main thread anyway, so it never
 * inherits that priority.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <event-parse.h>
#include <kbuffer.h>
#include <tracefs.h>

#include "reader.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

/* Raise this thread's priority; returns what it got (for the summary). */
static int raise_priority(void)
{
	struct sched_param sp = { .sched_priority = 10 };

	if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) == 0)
		return 2;
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), -20) == 0)
		return 1;
	return 0;
}

int bt_rec_reader_open(struct bt_rec_reader *r, struct bt_rec_shared *sh,
		       const char *tracefs_inst_dir, unsigned int cpu)
{
	char path[700];

	memset(r, 0, sizeof(*r));
	r->sh = sh;
	r->cpu = cpu;
	snprintf(path, sizeof(path), "%s/per_cpu/cpu%u/trace_pipe_raw",
		 tracefs_inst_dir, cpu);
	r->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	r->tcpu = tracefs_cpu_alloc_fd(r->fd, (int)sh->subbuf_size, true);
	if (!r->tcpu)
		goto out_close;
	r->kbuf = tep_kbuffer(sh->tep);
	if (!r->kbuf)
		goto out_tcpu;
	r->page = malloc(sh->subbuf_size);
	if (!r->page)
		goto out_kbuf;
	return 0;

out_kbuf:
	kbuffer_free(r->kbuf);
	r->kbuf = NULL;
out_tcpu:
	tracefs_cpu_free_fd(r->tcpu);
	r->tcpu = NULL;
out_close:
	close(r->fd);
	r->fd = -1;
	return -ENOMEM;
}

void bt_rec_reader_close(struct bt_rec_reader *r)
{
	if (r->tcpu)
		tracefs_cpu_free_fd(r->tcpu);
	if (r->kbuf)
		kbuffer_free(r->kbuf);
	if (r->fd >= 0)
		close(r->fd);
	free(r->page);
	bt_rec_batch_release(&r->batch);
	r->tcpu = NULL;
	r->kbuf = NULL;
	r->page = NULL;
	r->fd = -1;
}

static uint32_t stack_cb(void *data, const uint64_t *ips, unsigned int nr)
{
	struct bt_rec_shared *sh = data;

	return sh->stack_fn ? sh->stack_fn(sh->stack_data, ips, nr) : 0;
}

/*
 * Hand the batch to the sink. With stacks on, an mm_page_alloc at the
 * end of a sub-buffer waits for the next one, where its kernel_stack
 * event may be.
 */
static int submit(struct bt_rec_reader *r, bool final)
{
	struct bt_rec_batch *b = &r->batch;
	size_t n = b->nr, events = 0, i;
	int ret;

	if (!final && r->sh->stack_fn && n &&
	    b->ev[n - 1].type == BT_EV_PAGE_ALLOC && !b->ev[n - 1].stack_id)
		n--;
	if (!n)
		return 0;
	ret = bt_rec_sink_events(r->sh->sink, b->ev, n);
	if (ret < 0)
		return ret;
	for (i = 0; i < n; i++)
		events += b->ev[i].type != BT_EV_LOST;
	__atomic_add_fetch(&r->stats.events, events, __ATOMIC_RELAXED);
	if (n < b->nr)
		b->ev[0] = b->ev[n];
	b->nr -= n;
	return 0;
}

static void count_lost(struct bt_rec_reader *r)
{
	if (r->batch.missed)
		__atomic_add_fetch(&r->stats.lost, r->batch.missed,
				   __ATOMIC_RELAXED);
	if (r->batch.missed_unknown)
		__atomic_add_fetch(&r->stats.lost_unknown, 1,
				   __ATOMIC_RELAXED);
}

/*
 * Read sub-buffers until the ring buffer is empty or a partly filled one
 * came. Returns 1 when it stopped on empty, 0 on a partial one, < 0 on
 * error.
 */
int bt_rec_reader_drain(struct bt_rec_reader *r, bool final)
{
	size_t full = r->sh->subbuf_size - r->sh->header_size;
	int n, ret;

	for (;;) {
		n = tracefs_cpu_read(r->tcpu, r->page, true);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (n <= 0)
			return 1;
		ret = bt_rec_decode_subbuf(r->sh->dec, r->kbuf, r->page,
					   r->cpu, &r->batch, stack_cb, r->sh);
		if (ret < 0)
			return ret;
		__atomic_add_fetch(&r->stats.pages, 1, __ATOMIC_RELAXED);
		count_lost(r);
		ret = submit(r, false);
		if (ret < 0)
			return ret;
		if (!final && r->batch.data_bytes + BT_REC_PARTIAL_SLACK < full)
			return 0;
	}
}

static void *reader_main(void *arg)
{
	struct bt_rec_reader *r = arg;
	struct pollfd pfd[2];
	int ret = 0;

	if (r->sh->raise_priority)
		__atomic_store_n(&r->priority, raise_priority(),
				 __ATOMIC_RELAXED);
	pfd[0].fd = r->fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = r->sh->stop_pipe[0];
	pfd[1].events = POLLIN;
	while (!__atomic_load_n(&r->sh->stop, __ATOMIC_ACQUIRE)) {
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, 2, r->sh->poll_ms) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		if (pfd[1].revents)
			break;
		ret = bt_rec_reader_drain(r, false);
		if (ret < 0)
			break;
		ret = 0;
	}
	/* Tracing is off by now: take everything that is left. */
	if (ret >= 0)
		ret = bt_rec_reader_drain(r, true);
	if (ret >= 0)
		ret = submit(r, true);
	r->error = ret < 0 ? ret : 0;
	return NULL;
}

int bt_rec_reader_start(struct bt_rec_reader *r)
{
	int ret = pthread_create(&r->thread, NULL, reader_main, r);

	if (ret)
		return -ret;
	r->running = true;
	return 0;
}

int bt_rec_reader_join(struct bt_rec_reader *r)
{
	if (!r->running)
		return 0;
	pthread_join(r->thread, NULL);
	r->running = false;
	return r->error;
}
