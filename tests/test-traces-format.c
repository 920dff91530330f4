// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-traces-format.c - the .bt writer and reader: a round trip of every
 * event type with every field, metadata, formats, snapshots and stacks;
 * the time order across CPUs; index statistics against a full count;
 * CPUs beyond the open-time hint, interleaved and going back in time.
 * Damaged files have their own test file (test-traces-format-damage.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "traces/traces-internal.h"
#include "tests/test-traces-util.h"

/* A value for field @i of @type that exercises its kind. */
static uint64_t field_value(unsigned int type, unsigned int i,
			    enum bt_field_kind k, unsigned int round)
{
	switch (k) {
	case BT_FK_PFN:
		if (round == 1 && i == 0)
			return BT_PFN_NONE;
		if (round == 2 && i == 0)
			return BT_PFN_UNKNOWN;
		if (round == 3)
			return UINT64_MAX - 5 - i;	/* huge: absolute form */
		return 0x100000 + type * 977 + i * 13 + round;
	case BT_FK_SIGNED:
		return (uint64_t)(int64_t)(round & 1 ? -(int64_t)(type + i)
						     : (int64_t)(type * i));
	case BT_FK_GFP:
		return BT_GFP_KSWAPD_RECLAIM | BT_GFP_IO | (round ? BT_GFP_COMP : 0);
	case BT_FK_BOOL:
		return (type + i + round) & 1;
	case BT_FK_HEX:
		return 0xffffffff81000000ull + type + round;
	default:
		return (uint64_t)type * 1000 + i + round * 100000000000ull;
	}
}

static void make_event(struct bt_event *ev, unsigned int type,
		       unsigned int round, uint64_t ts, char *strbuf,
		       size_t strsize)
{
	const struct bt_event_desc *d = bt_event_desc(type);
	unsigned int i;

	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->ts = ts;
	ev->cpu = (type + round) % 3;
	ev->pid = round == 2 ? -1 : (int32_t)(100 + type % 5 + round);
	ev->comm = type % 7 == 0 ? NULL : (round ? "kworker/0:1" : "stress");
	ev->stack_id = type % 4 == 0 ? type : 0;
	ev->flags = d->fields[0].kind == BT_FK_PFN && round == 2 ?
		    BT_EVF_PFN_UNKNOWN : 0;
	for (i = 0; i < d->nr_fields; i++)
		ev->arg[i] = field_value(type, i, d->fields[i].kind, round);
	if (d->has_str) {
		snprintf(strbuf, strsize, "%s text %u\twith tab", d->name,
			 round);
		ev->str = round == 3 ? "" : strbuf;
		ev->str_len = (uint32_t)strlen(ev->str);
	}
}

static void assert_event_equal(const struct bt_event *a,
			       const struct bt_event *b)
{
	const struct bt_event_desc *d = bt_event_desc(a->type);
	unsigned int i;

	assert_int_equal(a->type, b->type);
	assert_int_equal(a->ts, b->ts);
	assert_int_equal(a->cpu, b->cpu);
	assert_int_equal(a->pid, b->pid);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->stack_id, b->stack_id);
	if (a->comm)
		assert_string_equal(a->comm, b->comm);
	else
		assert_null(b->comm);
	for (i = 0; i < BT_EVENT_MAX_ARGS; i++)
		assert_int_equal(a->arg[i], i < d->nr_fields ? b->arg[i] : 0);
	if (d->has_str) {
		assert_int_equal(a->str_len, b->str_len);
		assert_memory_equal(a->str, b->str, a->str_len);
		assert_int_equal(b->str[b->str_len], '\0');
	}
}

#define ROUNDS 4

/* Every type, every field kind, four rounds of values, then read back. */
static void test_round_trip_all_types(void **state)
{
	static const uint64_t ips[3] = { 0xffffffff81001000ull,
					 0xffffffff81002000ull, 42 };
	struct bt_event want[ROUNDS * BT_EV_TYPE_COUNT], ev;
	char strs[ROUNDS * BT_EV_TYPE_COUNT][64];
	char path[256];
	struct bt_writer *w;
	struct bt_reader *r;
	unsigned int t, round, n = 0, got = 0, snaps = 0;
	const uint64_t *rips;
	const char *syms;
	int err;

	(void)state;
	bt_test_path(path, sizeof(path), "roundtrip.bt");
	w = bt_writer_open(path, 1);	/* hint below the cpus used */
	assert_non_null(w);
	assert_int_equal(bt_writer_set_meta(w, BT_META_KERNEL, "6.18.44-test"), 0);
	assert_int_equal(bt_writer_set_meta(w, BT_META_CPUS, "3"), 0);
	assert_int_equal(bt_writer_add_format(w, "kmem", "mm_page_alloc",
					      "name: mm_page_alloc\nID: 1\n"), 0);
	assert_int_equal(bt_writer_add_stack(w, 4, ips, 3, "a\nb\nc"), 0);
	assert_int_equal(bt_writer_add_snapshot(w, BT_SNAP_BUDDYINFO, 5,
						"Node 0, zone DMA 1 2\n", 21), 0);
	for (round = 0; round < ROUNDS; round++) {
		for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
			if (t == BT_EV_SNAPSHOT)
				continue;
			make_event(&want[n], t, round,
				   1000 + round * 100000 + t * 1000, strs[n],
				   sizeof(strs[n]));
			assert_int_equal(bt_writer_add_event(w, &want[n]), 0);
			n++;
		}
	}
	/* Writers never take synthesized snapshot events. */
	ev = want[0];
	ev.type = BT_EV_SNAPSHOT;
	assert_int_equal(bt_writer_add_event(w, &ev), -EINVAL);
	assert_int_equal(bt_writer_add_snapshot(w, BT_SNAP_ZONEINFO,
						UINT64_MAX / 2, "zi", 2), 0);
	assert_int_equal(bt_writer_close(w), 0);

	r = bt_reader_open(path, &err);
	assert_non_null(r);
	assert_string_equal(bt_reader_meta(r, BT_META_KERNEL), "6.18.44-test");
	assert_string_equal(bt_reader_format(r, "kmem", "mm_page_alloc"),
			    "name: mm_page_alloc\nID: 1\n");
	assert_int_equal(bt_reader_stack(r, 4, &rips, &syms), 3);
	assert_int_equal(rips[0], ips[0]);
	assert_int_equal(rips[2], 42);
	assert_string_equal(syms, "a\nb\nc");
	assert_int_equal(bt_reader_nr_snapshots(r), 2);
	/* Events come back in (ts, cpu) order: here ts is unique. */
	while ((err = bt_reader_next(r, &ev)) == 1) {
		if (ev.type == BT_EV_SNAPSHOT) {
			const struct bt_snapshot *s =
				bt_reader_snapshot(r, (unsigned int)ev.arg[0]);

			assert_int_equal(ev.ts, snaps ? UINT64_MAX / 2 : 5);
			assert_int_equal(ev.arg[1], snaps ? BT_SNAP_ZONEINFO
							  : BT_SNAP_BUDDYINFO);
			assert_int_equal(s->ts, ev.ts);
			assert_int_equal(s->len, snaps ? 2 : 21);
			snaps++;
			continue;
		}
		assert_true(got < n);
		assert_event_equal(&want[got], &ev);
		got++;
	}
	assert_int_equal(err, 0);
	assert_int_equal(got, n);
	assert_int_equal(snaps, 2);
	bt_reader_close(r);
	unlink(path);
}

/* pfn values of test_order_equal_ts() in the expected output order */
static const uint64_t order_out[] = { 3, 0, 2, 4, 6, 1, 5, 8, 7 };

static void check_order(struct bt_reader *r)
{
	struct bt_event ev;
	unsigned int n = 0;

	while (bt_reader_next(r, &ev) == 1) {
		assert_true(n < BT_ARRAY_SIZE(order_out));
		if (order_out[n] == 0) {
			assert_int_equal(ev.type, BT_EV_SNAPSHOT);
			assert_int_equal(ev.ts, 10);
		} else {
			assert_int_equal(ev.arg[0], order_out[n]);
		}
		n++;
	}
	/* cpu 2 went back in time (10 -> 9): its later chunk comes last */
	assert_int_equal(n, BT_ARRAY_SIZE(order_out));
}

/*
 * Equal timestamps: lower CPU first, then file order; snapshots first.
 * A rewind after any number of events starts over, also in the middle
 * of a run of one CPU (pfns 2 and 4 of cpu 0).
 */
static void test_order_equal_ts(void **state)
{
	static const struct {
		unsigned int cpu;
		uint64_t ts;
		uint64_t pfn;
	} in[] = {
		{ 2, 10, 1 }, { 0, 10, 2 }, { 1, 5, 3 }, { 0, 10, 4 },
		{ 2, 10, 5 }, { 1, 10, 6 }, { 0, 11, 7 }, { 2, 9, 8 },
	};
	struct bt_event ev = { .type = BT_EV_PAGE_FREE, .pid = 1 };
	char path[256];
	struct bt_writer *w;
	struct bt_reader *r;
	unsigned int i, k;
	int err;

	(void)state;
	bt_test_path(path, sizeof(path), "order.bt");
	w = bt_writer_open(path, 3);
	assert_non_null(w);
	assert_int_equal(bt_writer_add_snapshot(w, BT_SNAP_VMSTAT, 10, "x", 1),
			 0);
	for (i = 0; i < BT_ARRAY_SIZE(in); i++) {
		ev.cpu = in[i].cpu;
		ev.ts = in[i].ts;
		ev.arg[0] = in[i].pfn;
		assert_int_equal(bt_writer_add_event(w, &ev), 0);
		if (i == 3)	/* split cpu 0 over two chunks */
			assert_int_equal(bt_writer_flush(w), 0);
	}
	assert_int_equal(bt_writer_close(w), 0);
	r = bt_reader_open(path, &err);
	assert_non_null(r);
	check_order(r);
	for (k = 1; k < BT_ARRAY_SIZE(order_out); k++) {
		assert_int_equal(bt_reader_rewind(r), 0);
		for (i = 0; i < k; i++)
			assert_int_equal(bt_reader_next(r, &ev), 1);
		assert_int_equal(bt_reader_rewind(r), 0);
		check_order(r);
	}
	bt_reader_close(r);
	unlink(path);
}

/* Many CPUs interleaved, one far beyond the hint; stats equal a count. */
static void test_stats_many_cpus(void **state)
{
	struct bt_trace_stats st, counted = { 0 };
	struct bt_event ev = { .type = BT_EV_PAGE_ALLOC, .comm = "a" };
	char path[256];
	struct bt_writer *w;
	struct bt_reader *r;
	uint64_t prev = 0;
	unsigned int i;
	int err;

	(void)state;
	bt_test_path(path, sizeof(path), "stats.bt");
	w = bt_writer_open(path, 2);
	assert_non_null(w);
	for (i = 0; i < 200000; i++) {
		ev.cpu = i % 7 == 6 ? 4095 : i % 5;
		ev.type = i % 3 ? BT_EV_PAGE_ALLOC : BT_EV_PAGE_FREE;
		ev.ts = 1000000 + i * 50ull;
		ev.pid = (int32_t)(i / 100);
		ev.arg[0] = 0x200000 + (i * 7919) % 65536;
		ev.arg[1] = i % 11;
		if (i % 1000 == 999) {
			ev.type = BT_EV_LOST;
			ev.arg[0] = i;
		}
		assert_int_equal(bt_writer_add_event(w, &ev), 0);
		if (i % 50000 == 0)
			assert_int_equal(bt_writer_flush(w), 0);
	}
	ev.cpu = 4096;
	assert_int_equal(bt_writer_add_event(w, &ev), -EINVAL);
	assert_int_equal(bt_writer_close(w), 0);

	r = bt_reader_open(path, &err);
	assert_non_null(r);
	assert_int_equal(bt_reader_stats(r, &st), 0);
	while ((err = bt_reader_next(r, &ev)) == 1) {
		assert_true(ev.ts >= prev);
		prev = ev.ts;
		counted.events++;
		counted.per_type[ev.type]++;
		if (ev.type == BT_EV_LOST)
			counted.lost_events += ev.arg[0];
	}
	assert_int_equal(err, 0);
	assert_int_equal(counted.events, 200000);
	assert_int_equal(st.events, counted.events);
	assert_int_equal(st.lost_events, counted.lost_events);
	assert_int_equal(st.lost_markers, 200);
	for (i = 0; i < BT_EV_TYPE_COUNT; i++)
		assert_int_equal(st.per_type[i], counted.per_type[i]);
	assert_int_equal(st.first_ts, 1000000);
	assert_int_equal(st.last_ts, 1000000 + 199999 * 50ull);
	assert_int_equal(st.nr_cpus, 4096);
	/* seek skips whole chunks and lands on the first ts >= target */
	assert_int_equal(bt_reader_seek(r, 1000000 + 150000 * 50ull + 1), 0);
	assert_int_equal(bt_reader_next(r, &ev), 1);
	assert_int_equal(ev.ts, 1000000 + 150001 * 50ull);
	for (i = 1; bt_reader_next(r, &ev) == 1; i++)
		;
	assert_int_equal(i, 200000 - 150001);
	/* a rewind in the middle gives the whole stream again */
	assert_int_equal(bt_reader_seek(r, 1000000 + 100000 * 50ull), 0);
	assert_int_equal(bt_reader_next(r, &ev), 1);
	assert_int_equal(bt_reader_rewind(r), 0);
	for (i = 0; bt_reader_next(r, &ev) == 1; i++)
		assert_int_equal(ev.ts, 1000000 + i * 50ull);
	assert_int_equal(i, 200000);
	/* a second reader of the same bytes keeps its own position: it
	 * starts at the first event while @r stands at event 100,001 */
	assert_int_equal(bt_reader_seek(r, 1000000 + 100000 * 50ull), 0);
	assert_int_equal(bt_reader_next(r, &ev), 1);
	{
		struct bt_reader *d = bt_reader_dup(r, &err);

		assert_non_null(d);
		for (i = 0; bt_reader_next(d, &ev) == 1; i++)
			assert_int_equal(ev.ts, 1000000 + i * 50ull);
		assert_int_equal(i, 200000);
		bt_reader_close(d);
	}
	assert_int_equal(bt_reader_next(r, &ev), 1);
	assert_int_equal(ev.ts, 1000000 + 100001 * 50ull);
	bt_reader_close(r);
	unlink(path);
}

/* The event @r returns next, as a comparable key. */
static uint64_t next_key(struct bt_reader *r, struct bt_event *ev)
{
	if (bt_reader_next(r, ev) != 1)
		return 0;
	return ev->ts << 12 ^ ev->cpu << 8 ^ ev->arg[0] ^ (uint64_t)ev->pid;
}

/*
 * A look-ahead reader moved to another's position reads exactly what the
 * other reads next: ahead across chunk boundaries of every CPU while the
 * leader waits, with comm and pfn history (repeat codes) carried over,
 * then again from further on. A reader of another file is refused.
 */
static void test_follow(void **state)
{
	struct bt_event ev = { .type = BT_EV_PAGE_ALLOC }, a, b;
	static const char *comms[] = { "cc1", "ld", "kswapd0" };
	char path[256], other[256];
	struct bt_writer *w;
	struct bt_reader *r, *d, *o;
	unsigned int i, round;
	uint64_t seen = 0;
	int err;

	(void)state;
	bt_test_path(path, sizeof(path), "follow.bt");
	w = bt_writer_open(path, 3);
	assert_non_null(w);
	for (i = 0; i < 30000; i++) {
		ev.cpu = i % 3;
		ev.ts = 1000 + i * 7ull + (i % 3);
		ev.pid = (int32_t)(100 + i / 40 % 3);
		ev.comm = comms[i / 40 % 3];
		/* pfns come back: repeat codes need the carried history */
		ev.arg[0] = 0x100000 + (i * 31) % 97;
		ev.arg[1] = i % 4;
		assert_int_equal(bt_writer_add_event(w, &ev), 0);
		if (i % 2000 == 1999)
			assert_int_equal(bt_writer_flush(w), 0);
	}
	assert_int_equal(bt_writer_close(w), 0);
	r = bt_reader_open(path, &err);
	assert_non_null(r);
	d = bt_reader_dup(r, &err);
	assert_non_null(d);
	for (round = 0; round < 4; round++) {
		uint64_t keys[5000];
		unsigned int ahead = 1000 + round * 1300;

		for (i = 0; i < 777; i++, seen++)
			assert_int_not_equal(next_key(r, &a), 0);
		assert_int_equal(bt_reader_follow(d, r), 0);
		/* ahead across chunks (2,000 events make one per CPU) */
		for (i = 0; i < ahead; i++) {
			keys[i] = next_key(d, &b);
			assert_int_not_equal(keys[i], 0);
			if (i == ahead - 1)
				assert_string_equal(b.comm,
						    comms[(seen + i) / 40 % 3]);
		}
		for (i = 0; i < ahead; i++, seen++)
			assert_int_equal(next_key(r, &a), keys[i]);
	}
	assert_int_equal(a.ts, 1000 + (seen - 1) * 7 + (seen - 1) % 3);
	/* to the end from the leader's position: the same count */
	assert_int_equal(bt_reader_follow(d, r), 0);
	for (i = 0; next_key(d, &b); i++)
		;
	assert_int_equal(i, 30000 - seen);
	/* a copy made mid-stream starts at the beginning, on its own, and
	 * the original goes on where it stood */
	bt_reader_close(d);
	d = bt_reader_dup(r, &err);
	assert_non_null(d);
	for (i = 0; next_key(d, &b); i++)
		assert_int_equal(b.ts, 1000 + i * 7ull + i % 3);
	assert_int_equal(i, 30000);
	for (; next_key(r, &a); seen++)
		assert_int_equal(a.ts, 1000 + seen * 7 + seen % 3);
	assert_int_equal(seen, 30000);
	bt_test_path(other, sizeof(other), "follow-other.bt");
	w = bt_writer_open(other, 1);
	assert_non_null(w);
	assert_int_equal(bt_writer_add_event(w, &ev), 0);
	assert_int_equal(bt_writer_close(w), 0);
	o = bt_reader_open(other, &err);
	assert_non_null(o);
	assert_int_equal(bt_reader_follow(o, r), -EINVAL);
	bt_reader_close(o);
	bt_reader_close(d);
	bt_reader_close(r);
	unlink(other);
	unlink(path);
}

/* A recorder killed after a flush: what was flushed stays readable. */
static void test_flush_then_killed(void **state)
{
	struct bt_event ev = { .type = BT_EV_PAGE_FREE, .comm = "rec" };
	struct bt_damage d;
	char path[256];
	struct bt_writer *w;
	struct bt_reader *r;
	unsigned int i, n = 0;
	int err;

	(void)state;
	bt_test_path(path, sizeof(path), "killed.bt");
	w = bt_writer_open(path, 4);
	assert_non_null(w);
	assert_int_equal(bt_writer_set_meta(w, BT_META_KERNEL, "6.1"), 0);
	for (i = 0; i < 1000; i++) {
		ev.cpu = i % 4;
		ev.ts = 5000 + i;
		ev.arg[0] = i;
		assert_int_equal(bt_writer_add_event(w, &ev), 0);
		if (i == 599)
			assert_int_equal(bt_writer_flush(w), 0);
	}
	assert_true(bt_writer_bytes(w) > 32);
	bt_writer_abort(w);	/* the 400 events after the flush are lost */
	bt_test_log_clear();
	r = bt_reader_open(path, &err);
	assert_non_null(r);
	assert_string_equal(bt_reader_meta(r, BT_META_KERNEL), "6.1");
	while (bt_reader_next(r, &ev) == 1)
		assert_int_equal(ev.arg[0], n++);
	assert_int_equal(n, 600);
	bt_reader_damage(r, &d);
	assert_true(d.no_index);
	assert_false(d.truncated);
	assert_non_null(strstr(bt_test_log, "no index"));
	bt_reader_close(r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_all_types),
		cmocka_unit_test(test_order_equal_ts),
		cmocka_unit_test(test_stats_many_cpus),
		cmocka_unit_test(test_flush_then_killed),
		cmocka_unit_test(test_follow),
	};

	bt_test_quiet_log();
	return cmocka_run_group_tests_name("traces-format", tests, NULL, NULL);
}
