// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-common-json.c - the streaming JSON emitter: separators in nested
 * documents, pretty and compact forms, string escaping of control bytes,
 * quotes, valid and invalid UTF-8, numbers and null.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/json.h"

static char *out;
static size_t out_len;

static FILE *mem(void)
{
	FILE *f = open_memstream(&out, &out_len);

	assert_non_null(f);
	return f;
}

static void done(FILE *f, const char *want)
{
	assert_int_equal(fclose(f), 0);
	assert_string_equal(out, want);
	free(out);
	out = NULL;
}

static void test_compact_nesting(void **state)
{
	FILE *f = mem();
	struct bt_json j;

	(void)state;
	bt_json_init(&j, f, false);
	bt_json_begin_object(&j);
	bt_json_kv_uint(&j, "a", 1);
	bt_json_key(&j, "b");
	bt_json_begin_array(&j);
	bt_json_int(&j, -2);
	bt_json_null(&j);
	bt_json_begin_object(&j);
	bt_json_end_object(&j);
	bt_json_bool(&j, true);
	bt_json_end_array(&j);
	bt_json_kv_string(&j, "c", NULL);
	bt_json_key(&j, "d");
	bt_json_double(&j, 1.5, 3);
	bt_json_key(&j, "e");
	bt_json_double(&j, NAN, 3);
	bt_json_end_object(&j);
	done(f, "{\"a\":1,\"b\":[-2,null,{},true],\"c\":null,\"d\":1.5,"
		"\"e\":null}");
}

static void test_pretty(void **state)
{
	FILE *f = mem();
	struct bt_json j;

	(void)state;
	bt_json_init(&j, f, true);
	bt_json_begin_object(&j);
	bt_json_kv_uint(&j, "n", 18446744073709551615ull);
	bt_json_key(&j, "o");
	bt_json_begin_object(&j);
	bt_json_kv_int(&j, "x", -9223372036854775807ll - 1);
	bt_json_end_object(&j);
	bt_json_key(&j, "v");
	bt_json_begin_array(&j);
	bt_json_end_array(&j);
	bt_json_end_object(&j);
	done(f, "{\n  \"n\": 18446744073709551615,\n  \"o\": {\n    \"x\": "
		"-9223372036854775808\n  },\n  \"v\": []\n}\n");
}

static void test_escapes(void **state)
{
	static const char in[] = "q\"b\\\n\t\r\x01\x7f"
				 "\xc3\xa9"		/* valid 2-byte */
				 "\xe2\x82\xac"		/* valid 3-byte */
				 "\xf0\x9f\x98\x80"	/* valid 4-byte */
				 "\xc3"			/* cut sequence */
				 "\xed\xa0\x80"		/* surrogate */
				 "\xff";
	FILE *f = mem();
	struct bt_json j;

	(void)state;
	bt_json_init(&j, f, false);
	bt_json_string_len(&j, in, sizeof(in) - 1);
	done(f, "\"q\\\"b\\\\\\n\\t\\r\\u0001\\u007f\xc3\xa9\xe2\x82\xac"
		"\xf0\x9f\x98\x80\\u00c3\\u00ed\\u00a0\\u0080\\u00ff\"");
}

/* Successive top-level documents (JSON Lines) after a re-init. */
static void test_lines(void **state)
{
	FILE *f = mem();
	struct bt_json j;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		bt_json_init(&j, f, false);
		bt_json_begin_object(&j);
		bt_json_kv_int(&j, "i", i);
		bt_json_end_object(&j);
		fputc('\n', f);
	}
	done(f, "{\"i\":0}\n{\"i\":1}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact_nesting),
		cmocka_unit_test(test_pretty),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests_name("common-json", tests, NULL, NULL);
}
