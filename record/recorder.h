/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * recorder.h - the recorder object, shared by recorder.c (lifecycle and
 * threads) and setup.c (what is written into the instance).
 */
#ifndef BT_RECORD_RECORDER_H
#define BT_RECORD_RECORDER_H

#include "reader.h"

#define BT_REC_DEFAULT_BUFFER_KB 4096UL
#define BT_REC_TOTAL_BUFFER_KB 65536UL
#define BT_REC_MIN_BUFFER_KB 1024UL
#define BT_REC_BUFFER_PERCENT "25"
#define BT_REC_CLOCK "mono"

struct bt_recorder {
	const struct bt_record_opts *o;
	char *msg;			/* caller's message buffer */
	size_t msg_size;
	char tracefs[512];
	char inst_dir[600];
	struct bt_rec_instance in;
	struct bt_rec_evsel sel;
	struct tep_handle *tep;
	struct bt_rec_decoder dec;
	struct bt_rec_sink sink;
	bool sink_open;
	struct bt_rec_shared sh;
	struct bt_rec_reader *readers;
	unsigned int nr_cpus;
	/* stacks */
	struct bt_rec_stacks *stacks;
	pthread_mutex_t stack_lock;
	bool trigger_set;
	/* slow-path probe */
	char probe_group[64];
	bool probe_made;
	/* snapshot thread */
	pthread_t snap_thread;
	pthread_mutex_t snap_lock;	/* one snapshot set at a time */
	bool snap_running;
	bool stopping;			/* under snap_lock */
	int snap_error;
	/* state */
	bool started, stopped;
	uint64_t start_ns, stop_ns, ready_ns;
	uint64_t final_lost[BT_REC_MAX_CPUS];	/* from per_cpu stats */
	double freemap_seconds, freemap_cpu;
	uint64_t free_blocks;
	unsigned int nr_snapshots;	/* atomic */
};

/* setup.c */
int bt_rec_setup_events(struct bt_recorder *r);
int bt_rec_setup_filters(struct bt_recorder *r);
int bt_rec_setup_stacktrace(struct bt_recorder *r);
int bt_rec_setup_probe(struct bt_recorder *r);
void bt_rec_remove_probe(struct bt_recorder *r);
int bt_rec_write_formats(struct bt_recorder *r);
int bt_rec_load_tep(struct bt_recorder *r);
int bt_rec_freemap_snapshot(struct bt_recorder *r, bool timed);

/* Set the caller's message ("what to do") and return @err. */
int bt_rec_fail(struct bt_recorder *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
