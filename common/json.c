// SPDX-License-Identifier: GPL-2.0-only
/*
 * json.c - the streaming JSON emitter (see json.h).
 *
 * Separators are decided from a per-depth "first member" flag, so callers
 * never print commas themselves. Escaping validates UTF-8 as it goes:
 * trace text (comm names, trace_marker writes) is untrusted bytes.
 */
#include <math.h>
#include <string.h>

#include "json.h"

void bt_json_init(struct bt_json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
	j->first[0] = true;
}

static void indent(struct bt_json *j)
{
	unsigned int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator before a value or key at the current depth. */
static void sep(struct bt_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (j->pretty && j->depth)
		indent(j);
}

static void open_(struct bt_json *j, int c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth + 1 < BT_JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_(struct bt_json *j, int c)
{
	bool empty = j->first[j->depth];

	if (j->depth)
		j->depth--;
	if (j->pretty && !empty)
		indent(j);
	fputc(c, j->f);
	if (!j->depth && j->pretty)
		fputc('\n', j->f);
}

void bt_json_begin_object(struct bt_json *j)
{
	open_(j, '{');
}

void bt_json_end_object(struct bt_json *j)
{
	close_(j, '}');
}

void bt_json_begin_array(struct bt_json *j)
{
	open_(j, '[');
}

void bt_json_end_array(struct bt_json *j)
{
	close_(j, ']');
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

void bt_json_write_escaped(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0, l;

	fputc('"', f);
	while (i < n) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			run++;
			continue;
		}
		fwrite(s + i - run, 1, run, f);
		run = 0;
		if (c >= 0x80 && (l = utf8_len(s + i, n - i))) {
			fwrite(s + i, 1, l, f);
			i += l;
			continue;
		}
		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default: fprintf(f, "\\u%04x", c); break;
		}
		i++;
	}
	fwrite(s + i - run, 1, run, f);
	fputc('"', f);
}

void bt_json_key(struct bt_json *j, const char *key)
{
	sep(j);
	bt_json_write_escaped(j->f, key, strlen(key));
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void bt_json_string_len(struct bt_json *j, const char *s, size_t n)
{
	sep(j);
	bt_json_write_escaped(j->f, s, n);
}

void bt_json_string(struct bt_json *j, const char *s)
{
	if (!s) {
		bt_json_null(j);
		return;
	}
	bt_json_string_len(j, s, strlen(s));
}

void bt_json_uint(struct bt_json *j, uint64_t v)
{
	sep(j);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void bt_json_int(struct bt_json *j, int64_t v)
{
	sep(j);
	fprintf(j->f, "%lld", (long long)v);
}

void bt_json_double(struct bt_json *j, double v, int prec)
{
	char buf[64];
	size_t n;

	if (!isfinite(v)) {
		bt_json_null(j);
		return;
	}
	sep(j);
	snprintf(buf, sizeof(buf), "%.*f", prec < 0 ? 0 : prec, v);
	/* trim trailing zeros of the fraction, keep one digit after '.' */
	n = strlen(buf);
	if (strchr(buf, '.')) {
		while (n > 1 && buf[n - 1] == '0' && buf[n - 2] != '.')
			buf[--n] = '\0';
	}
	fputs(buf, j->f);
}

void bt_json_bool(struct bt_json *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->f);
}

void bt_json_null(struct bt_json *j)
{
	sep(j);
	fputs("null", j->f);
}

void bt_json_kv_string(struct bt_json *j, const char *key, const char *s)
{
	bt_json_key(j, key);
	bt_json_string(j, s);
}

void bt_json_kv_uint(struct bt_json *j, const char *key, uint64_t v)
{
	bt_json_key(j, key);
	bt_json_uint(j, v);
}

void bt_json_kv_int(struct bt_json *j, const char *key, int64_t v)
{
	bt_json_key(j, key);
	bt_json_int(j, v);
}

void bt_json_kv_bool(struct bt_json *j, const char *key, bool v)
{
	bt_json_key(j, key);
	bt_json_bool(j, v);
}
