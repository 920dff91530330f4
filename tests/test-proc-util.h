/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test-proc-util.h - the one helper the /proc parser, setup and metrics
 * tests share: reading a sample of tests/data/proc. Include after
 * <cmocka.h> (it fails the test when a sample is missing).
 */
#ifndef BT_TEST_PROC_UTIL_H
#define BT_TEST_PROC_UTIL_H

#include <stdio.h>
#include <stdlib.h>

#include "common/common.h"

/* Read tests/data/proc/@name (below $BT_TOP) into @b; release it after. */
static inline void load(const char *name, struct bt_buf *b)
{
	const char *top = getenv("BT_TOP");
	char path[512];

	snprintf(path, sizeof(path), "%s/tests/data/proc/%s", top ? top : ".",
		 name);
	bt_buf_init(b);
	if (bt_read_file(path, b))
		fail_msg("cannot read %s", path);
}

#endif
