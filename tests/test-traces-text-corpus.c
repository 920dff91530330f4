// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-traces-text-corpus.c - `trace-cmd report` of every corpus trace,
 * imported as text: per-event counts must equal the expected counts kept
 * beside each trace (counts.txt, plus counts-aux.txt for a second buffer,
 * since report prints every buffer). Skipped without trace-cmd.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "traces/traces.h"

static const char *top(void)
{
	const char *t = getenv("BT_TOP");

	return t ? t : ".";
}

/* Adds "name count" lines of a counts file; false if it does not exist. */
static bool add_counts(const char *path, uint64_t *want)
{
	char name[128];
	unsigned long long n;
	FILE *f = fopen(path, "r");
	enum bt_event_type t;

	if (!f)
		return false;
	while (fscanf(f, "%127s %llu", name, &n) == 2) {
		t = bt_event_lookup(name);
		if (t != BT_EV_NONE)
			want[t] += n;
	}
	fclose(f);
	return true;
}

static unsigned int check_one(const char *dir)
{
	uint64_t want[BT_EV_TYPE_COUNT] = { 0 };
	struct bt_import_stats st;
	char path[600], cmd[700];
	unsigned int t;
	FILE *f;

	/* traces recorded by buddytrace record have no trace.dat */
	snprintf(path, sizeof(path), "%s/traces/corpus/%s/trace.dat", top(),
		 dir);
	if (access(path, R_OK))
		return 0;
	snprintf(path, sizeof(path), "%s/traces/corpus/%s/counts.txt", top(),
		 dir);
	if (!add_counts(path, want))
		return 0;
	snprintf(path, sizeof(path), "%s/traces/corpus/%s/counts-aux.txt",
		 top(), dir);
	add_counts(path, want);
	snprintf(cmd, sizeof(cmd),
		 "trace-cmd report -i '%s/traces/corpus/%s/trace.dat' "
		 "2>/dev/null", top(), dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_int_equal(bt_import_text(f, NULL, NULL, &st), 0);
	pclose(f);
	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		if (t == BT_EV_LOST)
			continue;
		if (st.per_type[t] != want[t])
			fail_msg("%s: %s: imported %llu, expected %llu", dir,
				 bt_event_desc(t)->name,
				 (unsigned long long)st.per_type[t],
				 (unsigned long long)want[t]);
	}
	assert_int_equal(st.unknown_lines, 0);
	return 1;
}

static void test_corpus_counts(void **state)
{
	char path[600];
	struct dirent *de;
	unsigned int n = 0;
	DIR *d;

	(void)state;
	if (system("command -v trace-cmd >/dev/null 2>&1")) {
		printf("skipped: needs trace-cmd\n");
		skip();
	}
	snprintf(path, sizeof(path), "%s/traces/corpus", top());
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n += check_one(de->d_name);
	closedir(d);
	assert_true(n >= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_counts),
	};

	return cmocka_run_group_tests_name("traces-text-corpus", tests, NULL,
					   NULL);
}
