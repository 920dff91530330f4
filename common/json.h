/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json.h - a small streaming JSON emitter for the command layer and the
 * dumpers (info --json, dump --format jsonl, analyze reports).
 *
 * It writes straight to a FILE in document order and keeps only a stack
 * of "first member" flags, so any size of output costs no memory. Keys
 * come out in the order the caller emits them, which keeps output stable
 * for baselines. Strings are escaped per RFC 8259; bytes that are not
 * valid UTF-8 are written as \u00XX so the output is always valid JSON.
 */
#ifndef BT_JSON_H
#define BT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BT_JSON_MAX_DEPTH 32

struct bt_json {
	FILE *f;
	bool pretty;		/* newlines and two-space indents */
	unsigned int depth;
	bool first[BT_JSON_MAX_DEPTH];
	bool after_key;
};

void bt_json_init(struct bt_json *j, FILE *f, bool pretty);
void bt_json_begin_object(struct bt_json *j);
void bt_json_end_object(struct bt_json *j);
void bt_json_begin_array(struct bt_json *j);
void bt_json_end_array(struct bt_json *j);
/* Member key inside an object; the next value belongs to it. */
void bt_json_key(struct bt_json *j, const char *key);
void bt_json_string(struct bt_json *j, const char *s);
void bt_json_string_len(struct bt_json *j, const char *s, size_t n);
void bt_json_uint(struct bt_json *j, uint64_t v);
void bt_json_int(struct bt_json *j, int64_t v);
/* Finite numbers with up to @prec decimals; NaN and inf become null. */
void bt_json_double(struct bt_json *j, double v, int prec);
void bt_json_bool(struct bt_json *j, bool v);
void bt_json_null(struct bt_json *j);

/* key + value shorthands */
void bt_json_kv_string(struct bt_json *j, const char *key, const char *s);
void bt_json_kv_uint(struct bt_json *j, const char *key, uint64_t v);
void bt_json_kv_int(struct bt_json *j, const char *key, int64_t v);
void bt_json_kv_bool(struct bt_json *j, const char *key, bool v);

/* Write @s[0..n) escaped, with the surrounding quotes, to @f. */
void bt_json_write_escaped(FILE *f, const char *s, size_t n);

#endif
