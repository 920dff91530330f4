// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-analyze-feed.c - the feed that shares one decoding between the
 * parts of an analysis: two consumer threads get every event in order,
 * with their comm and str copied (the producer's buffers are scribbled
 * over after each event), across many batches and past the ring's size;
 * a string too long for a batch's arena opens a batch of its own; a
 * consumer that leaves early does not stop the other; the stream's error
 * reaches every consumer at its end.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/analyze-internal.h"

/* more than the ring holds, and not a whole number of batches */
#define NR_EVENTS (BT_FEED_EVENTS * BT_FEED_BATCHES * 3 + 123)
#define LONG_AT 5000u		/* this event carries a 40000-byte str */
#define LONG_LEN 40000u

struct reader {
	struct bt_feed_consumer *c;
	uint64_t stop_after;	/* leave after this many (0: read all) */
	uint64_t n, bad;
	int end;
};

static void expect_comm(uint64_t i, char *buf, size_t size)
{
	snprintf(buf, size, "task-%llu", (unsigned long long)(i / 7));
}

static bool event_ok(const struct bt_event *ev, uint64_t i)
{
	char comm[32];

	expect_comm(i, comm, sizeof(comm));
	if (ev->ts != i * 10 || ev->arg[0] != i || ev->pid != (int32_t)(i / 7))
		return false;
	if (i % 5 == 0)
		return ev->comm == NULL;
	if (!ev->comm || strcmp(ev->comm, comm))
		return false;
	if (i == LONG_AT)
		return ev->str && ev->str_len == LONG_LEN &&
		       ev->str[0] == 'x' && ev->str[LONG_LEN - 1] == 'y' &&
		       ev->str[LONG_LEN] == '\0';
	if (i % 11 == 0)
		return ev->str && ev->str_len == 3 && !strcmp(ev->str, "mk!");
	return ev->str == NULL;
}

static void *consume(void *arg)
{
	struct reader *rd = arg;
	const struct bt_event *ev;
	int ret;

	while ((ret = bt_feed_next(rd->c, &ev)) > 0) {
		if (!event_ok(ev, rd->n))
			rd->bad++;
		rd->n++;
		if (rd->stop_after && rd->n == rd->stop_after) {
			bt_feed_leave(rd->c);
			return NULL;
		}
	}
	rd->end = ret;
	bt_feed_leave(rd->c);
	return NULL;
}

/* Produce NR_EVENTS events whose strings live in a buffer reused at once. */
static void produce(struct bt_feed *f, int end)
{
	static char longstr[LONG_LEN + 1];
	char scratch[32];
	int err;

	memset(longstr, 'x', LONG_LEN);
	longstr[LONG_LEN - 1] = 'y';
	for (uint64_t i = 0; i < NR_EVENTS; i++) {
		struct bt_event *ev = bt_feed_slot(f, &err);

		assert_non_null(ev);
		memset(ev, 0, sizeof(*ev));
		ev->ts = i * 10;
		ev->arg[0] = i;
		ev->pid = (int32_t)(i / 7);
		expect_comm(i, scratch, sizeof(scratch));
		ev->comm = i % 5 ? scratch : NULL;
		if (i == LONG_AT) {
			ev->str = longstr;
			ev->str_len = LONG_LEN;
		} else if (i % 11 == 0) {
			ev->str = "mk!";
			ev->str_len = 3;
		}
		assert_int_equal(bt_feed_commit(f, &ev), 0);
		/* the reader's buffer moves on */
		memset(scratch, '#', sizeof(scratch) - 1);
		scratch[sizeof(scratch) - 1] = '\0';
	}
	bt_feed_end(f, end);
}

static void run(struct reader *rd, unsigned int nr, int end)
{
	struct bt_feed *f = bt_feed_new(nr);
	pthread_t th[BT_FEED_MAX_CONSUMERS];
	unsigned int i;

	assert_non_null(f);
	for (i = 0; i < nr; i++) {
		rd[i].c = bt_feed_consumer(f, i);
		assert_non_null(rd[i].c);
		assert_int_equal(pthread_create(&th[i], NULL, consume, &rd[i]),
				 0);
	}
	assert_null(bt_feed_consumer(f, nr));
	produce(f, end);
	for (i = 0; i < nr; i++)
		pthread_join(th[i], NULL);
	bt_feed_free(f);
}

static void test_all_events_both(void **state)
{
	struct reader rd[2] = { { 0 }, { 0 } };

	(void)state;
	run(rd, 2, 0);
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(rd[i].n, NR_EVENTS);
		assert_int_equal(rd[i].bad, 0);
		assert_int_equal(rd[i].end, 0);
	}
}

static void test_one_leaves_early(void **state)
{
	struct reader rd[2] = { { .stop_after = 100 }, { 0 } };

	(void)state;
	run(rd, 2, 0);
	assert_int_equal(rd[0].n, 100);
	assert_int_equal(rd[0].bad, 0);
	assert_int_equal(rd[1].n, NR_EVENTS);
	assert_int_equal(rd[1].bad, 0);
}

static void test_error_at_end(void **state)
{
	struct reader rd[2] = { { 0 }, { 0 } };

	(void)state;
	run(rd, 2, BT_E_CORRUPT);
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(rd[i].n, NR_EVENTS);
		assert_int_equal(rd[i].end, BT_E_CORRUPT);
	}
}

static void test_no_consumer(void **state)
{
	struct bt_feed *f = bt_feed_new(0);

	(void)state;
	assert_non_null(f);
	produce(f, 0);		/* never waits */
	bt_feed_free(f);
	assert_null(bt_feed_new(BT_FEED_MAX_CONSUMERS + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_events_both),
		cmocka_unit_test(test_one_leaves_early),
		cmocka_unit_test(test_error_at_end),
		cmocka_unit_test(test_no_consumer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
