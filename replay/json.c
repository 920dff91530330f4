// SPDX-License-Identifier: GPL-2.0-only
/*
 * json.c - the JSON writer replay's summaries and decision lines use.
 *
 * Keys come out in the order the caller writes them and numbers as
 * integers (fractions as fixed six-digit decimals), so the same summary
 * always gives the same bytes: baselines and `diff` rely on that. Errors
 * (only -ENOMEM) are sticky and read once at the end.
 */
#include <errno.h>
#include <inttypes.h>

#include "replay-internal.h"

void bt_jw_init(struct bt_jw *w, struct bt_buf *out)
{
	w->out = out;
	w->err = 0;
	w->depth = 0;
	w->need_comma[0] = false;
}

static void put(struct bt_jw *w, const char *s, size_t n)
{
	if (!w->err && bt_buf_append(w->out, s, n))
		w->err = -ENOMEM;
}

static void put_str(struct bt_jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	put(w, "\"", 1);
	for (; *p; p++) {
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };

		if (*p == '"' || *p == '\\') {
			esc[1] = (char)*p;
			put(w, esc, 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			put(w, esc, 6);
		} else {
			put(w, (const char *)p, 1);
		}
	}
	put(w, "\"", 1);
}

static void key(struct bt_jw *w, const char *k)
{
	if (w->need_comma[w->depth])
		put(w, ",", 1);
	w->need_comma[w->depth] = true;
	if (k) {
		put_str(w, k);
		put(w, ":", 1);
	}
}

static void open_(struct bt_jw *w, const char *k, const char *c)
{
	key(w, k);
	put(w, c, 1);
	BT_BUG_ON(w->depth + 1 >= BT_ARRAY_SIZE(w->need_comma));
	w->need_comma[++w->depth] = false;
}

void bt_jw_obj_open(struct bt_jw *w, const char *k)
{
	open_(w, k, "{");
}

void bt_jw_arr_open(struct bt_jw *w, const char *k)
{
	open_(w, k, "[");
}

void bt_jw_obj_close(struct bt_jw *w)
{
	BT_BUG_ON(!w->depth);
	w->depth--;
	put(w, "}", 1);
}

void bt_jw_arr_close(struct bt_jw *w)
{
	BT_BUG_ON(!w->depth);
	w->depth--;
	put(w, "]", 1);
}

static void putf(struct bt_jw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(struct bt_jw *w, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(w, tmp, (size_t)BT_MIN(n, (int)sizeof(tmp) - 1));
}

void bt_jw_u64(struct bt_jw *w, const char *k, uint64_t v)
{
	key(w, k);
	putf(w, "%" PRIu64, v);
}

void bt_jw_i64(struct bt_jw *w, const char *k, int64_t v)
{
	key(w, k);
	putf(w, "%" PRId64, v);
}

void bt_jw_str(struct bt_jw *w, const char *k, const char *v)
{
	key(w, k);
	put_str(w, v ? v : "");
}

void bt_jw_bool(struct bt_jw *w, const char *k, bool v)
{
	key(w, k);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void bt_jw_ppm(struct bt_jw *w, const char *k, uint64_t ppm)
{
	key(w, k);
	putf(w, "%" PRIu64 ".%06" PRIu64, ppm / 1000000, ppm % 1000000);
}

void bt_jw_pfn(struct bt_jw *w, const char *k, uint64_t pfn)
{
	key(w, k);
	if (pfn == BT_PFN_NONE || pfn == BT_PFN_UNKNOWN)
		put(w, "null", 4);
	else
		putf(w, "%" PRIu64, pfn);
}
