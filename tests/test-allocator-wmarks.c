// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-wmarks.c - bt_buddy_zone_wmarks(), the O(1) read of a
 * zone's watermarks, boost and managed pages that replay uses per event:
 * it must agree with bt_buddy_zone_info() after watermark and boost
 * changes, and refuse zone ids that do not exist.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-allocator.h"

static void test_wmarks(void **state)
{
	struct bt_buddy *b = test_model(BT_PROFILE_6X, 2, 4096, 65536,
					 128, 160, 192);
	struct bt_zone_info zi;
	uint64_t wm[4] = { 0 }, managed = 0;

	(void)state;
	assert_non_null(b);
	assert_int_equal(bt_buddy_zone_wmarks(b, 0, wm, &managed), 0);
	assert_int_equal(wm[0], 128);
	assert_int_equal(wm[1], 160);
	assert_int_equal(wm[2], 192);
	assert_int_equal(wm[3], 0);
	assert_int_equal(managed, 65536);
	assert_int_equal(bt_buddy_zone_set_watermarks(b, 0, 256, 320, 384), 0);
	assert_int_equal(bt_buddy_zone_set_boost(b, 0, 1024), 0);
	assert_int_equal(bt_buddy_zone_wmarks(b, 0, wm, &managed), 0);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	assert_int_equal(wm[0], 256);
	assert_int_equal(wm[2], 384);
	assert_int_equal(wm[3], 1024);
	assert_int_equal(wm[0], zi.wmark_min);
	assert_int_equal(wm[1], zi.wmark_low);
	assert_int_equal(wm[2], zi.wmark_high);
	assert_int_equal(wm[3], zi.wmark_boost);
	assert_int_equal(managed, zi.managed);
	assert_int_equal(bt_buddy_zone_wmarks(b, 1, wm, &managed), -EINVAL);
	assert_int_equal(bt_buddy_zone_wmarks(b, -1, wm, &managed), -EINVAL);
	bt_buddy_free_model(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wmarks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
