/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test-traces-util.h - small helpers shared by the traces format tests:
 * scratch file paths under $TMPDIR and a log sink that keeps the
 * warnings the library emits, so tests can assert on them.
 */
#ifndef BT_TEST_TRACES_UTIL_H
#define BT_TEST_TRACES_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"

static char bt_test_log[8192];
static unsigned int bt_test_warnings;

static void bt_test_sink(enum bt_log_level level, const char *msg, void *data)
{
	size_t n = strlen(bt_test_log);

	(void)data;
	if (level > BT_LOG_WARN)
		return;
	bt_test_warnings++;
	snprintf(bt_test_log + n, sizeof(bt_test_log) - n, "%s\n", msg);
}

static inline void bt_test_quiet_log(void)
{
	bt_log_set(bt_test_sink, NULL);
}

static inline void bt_test_log_clear(void)
{
	bt_test_log[0] = '\0';
	bt_test_warnings = 0;
}

static inline void bt_test_path(char *buf, size_t size, const char *name)
{
	const char *dir = getenv("TMPDIR");

	snprintf(buf, size, "%s/bt-test-%ld-%s", dir && *dir ? dir : "/tmp",
		 (long)getpid(), name);
}

#endif
