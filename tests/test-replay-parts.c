// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-replay-parts.c - the parts of replay/ that need no trace: knob
 * parsing and ranges, the JSON writer, the fragmentation index, the
 * per-pid slow-path evidence collector and first-occurrence lists.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "replay/replay-internal.h"

static void test_knobs(void **state)
{
	struct bt_replay_knobs k;
	int64_t lo, hi;

	(void)state;
	memset(&k, 0, sizeof(k));
	assert_int_equal(bt_replay_knob_set(&k, "min_free_kbytes=270336"), 0);
	assert_true(k.set[BT_KNOB_MIN_FREE_KBYTES]);
	assert_int_equal(k.value[BT_KNOB_MIN_FREE_KBYTES], 270336);
	assert_int_equal(bt_replay_knob_set(&k, "fallback_policy=none"), 0);
	assert_int_equal(k.value[BT_KNOB_FALLBACK_POLICY],
			 BT_REPLAY_FALLBACK_NONE);
	assert_int_equal(bt_replay_knob_set(&k, "fallback_policy=largest"), 0);
	assert_int_equal(k.value[BT_KNOB_FALLBACK_POLICY],
			 BT_REPLAY_FALLBACK_LARGEST);
	assert_int_equal(bt_replay_knob_set(&k, "pageblock_order=11"),
			 BT_E_RANGE);
	assert_int_equal(bt_replay_knob_set(&k, "min_free_kbytes=12"),
			 BT_E_RANGE);
	assert_int_equal(bt_replay_knob_set(&k, "min_free_kbytes"), BT_E_USAGE);
	assert_int_equal(bt_replay_knob_set(&k, "=3"), BT_E_USAGE);
	assert_int_equal(bt_replay_knob_set(&k, "min_free_kbyte=300"),
			 BT_E_USAGE);
	assert_int_equal(bt_replay_knob_set(&k, "pcp_batch=x"), BT_E_PARSE);
	assert_false(k.set[BT_KNOB_PCP_BATCH]);
	assert_int_equal(bt_replay_knob_set(&k, "test_break_fallback=1"), 0);
	bt_replay_knob_range(BT_KNOB_PAGEBLOCK_ORDER, &lo, &hi);
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 10);
	assert_string_equal(bt_replay_knob_name(BT_KNOB_PCP_HIGH), "pcp_high");
	assert_string_equal(bt_replay_stage_name(BT_REPLAY_STAGE_MIN_WMARK),
			    "min_wmark_retry");
	assert_string_equal(bt_replay_incons_name(BT_INC_FREE_OF_FREE),
			    "free_of_free");
}

static void test_json_writer(void **state)
{
	struct bt_buf b;
	struct bt_jw w;

	(void)state;
	bt_buf_init(&b);
	bt_jw_init(&w, &b);
	bt_jw_obj_open(&w, NULL);
	bt_jw_u64(&w, "a", 18446744073709551615ull);
	bt_jw_str(&w, "s", "q\"\\\n\x01");
	bt_jw_arr_open(&w, "l");
	bt_jw_i64(&w, NULL, -5);
	bt_jw_pfn(&w, NULL, BT_PFN_NONE);
	bt_jw_ppm(&w, NULL, 12345);
	bt_jw_ppm(&w, NULL, 1000000);
	bt_jw_arr_close(&w);
	bt_jw_obj_open(&w, "o");
	bt_jw_bool(&w, "t", true);
	bt_jw_obj_close(&w);
	bt_jw_obj_close(&w);
	assert_int_equal(w.err, 0);
	assert_int_equal(bt_buf_append(&b, "", 1), 0);
	assert_string_equal((const char *)b.data,
		"{\"a\":18446744073709551615,\"s\":\"q\\\"\\\\\\u000a\\u0001\","
		"\"l\":[-5,null,0.012345,1.000000],\"o\":{\"t\":true}}");
	bt_buf_release(&b);
}

static void test_frag_index(void **state)
{
	uint64_t nr[BT_REPLAY_NR_ORDERS] = { 0 };

	(void)state;
	assert_int_equal(bt_replay_frag_index(nr, 3), 0);
	/* 100 free order-0 pages: order 3 fails for fragmentation */
	nr[0] = 100;
	/* 1000 - (1000 + 100*1000/8) / 100 = 1000 - 135 = 865 */
	assert_int_equal(bt_replay_frag_index(nr, 3), 865);
	assert_int_equal(bt_replay_frag_index(nr, 0), -1000);
	nr[5] = 1;
	assert_int_equal(bt_replay_frag_index(nr, 3), -1000);
	assert_int_equal(bt_replay_ppm(1, 3), 333333);
	assert_int_equal(bt_replay_ppm(5, 0), 1000000);
	assert_int_equal(bt_replay_ppm(0, 0), 0);
}

static void test_evidence(void **state)
{
	struct bt_evidence e;
	struct bt_event ev;

	(void)state;
	assert_int_equal(bt_evidence_init(&e), 0);
	memset(&ev, 0, sizeof(ev));
	ev.pid = 42;
	/* boosted-watermark wake: order 0, no gfp: not evidence */
	ev.type = BT_EV_VMSCAN_WAKEUP_KSWAPD;
	assert_false(bt_evidence_note(&e, &ev));
	assert_int_equal(bt_evidence_take(&e, 42), 0);
	ev.arg[2] = 2;
	ev.arg[3] = BT_GFP_KSWAPD_RECLAIM;
	assert_true(bt_evidence_note(&e, &ev));
	ev.type = BT_EV_VMSCAN_DIRECT_RECLAIM_BEGIN;
	assert_true(bt_evidence_note(&e, &ev));
	assert_true(bt_evidence_in_reclaim(&e, 42));
	assert_false(bt_evidence_in_reclaim(&e, 43));
	assert_int_equal(bt_evidence_take(&e, 42),
			 BT_EVID_KSWAPD | BT_EVID_RECLAIM);
	/* taken once; the reclaim window stays open until _end */
	assert_int_equal(bt_evidence_take(&e, 42), 0);
	assert_true(bt_evidence_in_reclaim(&e, 42));
	ev.type = BT_EV_VMSCAN_DIRECT_RECLAIM_END;
	bt_evidence_note(&e, &ev);
	assert_false(bt_evidence_in_reclaim(&e, 42));
	assert_int_equal(bt_evidence_take(&e, 42), BT_EVID_RECLAIM);
	/* hostile pids are ignored, not indexed */
	ev.pid = -7;
	ev.type = BT_EV_OOM_COMPACT_RETRY;
	assert_true(bt_evidence_note(&e, &ev));
	assert_int_equal(bt_evidence_take(&e, -7), 0);
	ev.pid = (int32_t)BT_EVID_PIDS;
	bt_evidence_note(&e, &ev);
	assert_int_equal(bt_evidence_take(&e, (int32_t)BT_EVID_PIDS), 0);
	bt_evidence_release(&e);
}

static void test_occur_list(void **state)
{
	struct bt_replay_occur_list l;
	struct bt_event ev;

	(void)state;
	memset(&l, 0, sizeof(l));
	memset(&ev, 0, sizeof(ev));
	ev.type = BT_EV_PAGE_FREE;
	ev.comm = "a-very-long-command-name";
	for (unsigned int i = 0; i < 20; i++) {
		ev.ts = 1000 + i;
		bt_replay_occur_add(&l, &ev, 4096 + i, 1, 0);
	}
	assert_int_equal(l.count, 20);
	assert_int_equal(l.nr, BT_REPLAY_MAX_OCCUR);
	assert_int_equal(l.first[0].ts, 1000);
	assert_int_equal(l.first[BT_REPLAY_MAX_OCCUR - 1].pfn,
			 4096 + BT_REPLAY_MAX_OCCUR - 1);
	assert_string_equal(l.first[0].comm, "a-very-long-com");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_knobs),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_frag_index),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_occur_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
