/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reader.h - the per-CPU reader threads (reader.c) and what they share.
 */
#ifndef BT_RECORD_READER_H
#define BT_RECORD_READER_H

#include "record-internal.h"

/*
 * A sub-buffer with this much room left is still being written: do not
 * come back for it at once (the biggest record of the default events,
 * mark_victim, is under 100 bytes).
 */
#define BT_REC_PARTIAL_SLACK 128

struct tracefs_cpu;

/* What every reader thread reads and writes. */
struct bt_rec_shared {
	struct bt_rec_decoder *dec;
	struct bt_rec_sink *sink;
	struct tep_handle *tep;
	size_t subbuf_size;
	size_t header_size;	/* sub-buffer header: 16 on 64-bit */
	int poll_ms;
	bool raise_priority;
	int stop;		/* atomic */
	int stop_pipe[2];
	bt_rec_stack_fn stack_fn;	/* NULL: no stacks */
	void *stack_data;
};

struct bt_rec_reader {
	struct bt_rec_shared *sh;
	unsigned int cpu;
	int fd;
	struct tracefs_cpu *tcpu;
	struct kbuffer *kbuf;
	void *page;
	struct bt_rec_batch batch;
	struct bt_record_cpu_stats stats;	/* atomic updates */
	pthread_t thread;
	bool running;
	int priority;		/* 2 SCHED_FIFO, 1 nice -20, 0 normal */
	int error;
};

int bt_rec_reader_open(struct bt_rec_reader *r, struct bt_rec_shared *sh,
		       const char *inst_dir, unsigned int cpu);
void bt_rec_reader_close(struct bt_rec_reader *r);
int bt_rec_reader_drain(struct bt_rec_reader *r, bool final);
int bt_rec_reader_start(struct bt_rec_reader *r);
int bt_rec_reader_join(struct bt_rec_reader *r);

#endif
