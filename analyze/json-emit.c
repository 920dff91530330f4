// SPDX-License-Identifier: GPL-2.0-only
/*
 * json-emit.c - the small emitters the JSON sections share: counts as
 * integers (capped at INT64_MAX, jansson's range), keys set in insertion
 * order with NULL as JSON null, objects of uint64 fields named by a
 * table, and the fallback counts the recorded and the replay columns
 * both print.
 */
#include <string.h>

#include "analyze-internal.h"

json_t *bt_an_uint(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

void bt_an_set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

void bt_an_set_uint(json_t *o, const char *k, uint64_t v)
{
	bt_an_set(o, k, bt_an_uint(v));
}

json_t *bt_an_uint_fields(const void *base, const struct bt_an_field *f,
			    size_t n)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, (const char *)base + f[i].off, sizeof(v));
		bt_an_set_uint(o, f[i].key, v);
	}
	return o;
}

json_t *bt_an_fallbacks(uint64_t total, uint64_t fragmenting,
			  uint64_t severe, uint64_t moderate, uint64_t owner)
{
	json_t *o = json_object();

	bt_an_set_uint(o, "total", total);
	bt_an_set_uint(o, "fragmenting", fragmenting);
	bt_an_set_uint(o, "severe", severe);
	bt_an_set_uint(o, "moderate", moderate);
	bt_an_set_uint(o, "ownership_changed", owner);
	return o;
}
