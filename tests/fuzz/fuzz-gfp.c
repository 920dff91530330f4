// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-gfp.c - gfp flag names as kernels print them ("GFP_KERNEL|__GFP_COMP",
 * "none", "0x..."), from hostile text: bt_gfp_from_names() and the text
 * parser's cached bt_text_gfp(), which must agree, then bt_gfp_format()
 * into a buffer too small and one large enough. A learned gfp map is fed
 * (value, name) pairs cut from the input as well.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "traces/traces-text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void learn(const uint8_t *data, size_t size)
{
	struct bt_gfp_map m;
	char name[64];
	uint64_t v = 0;
	size_t n = BT_MIN(size, sizeof(name) - 1);

	bt_gfp_map_init(&m);
	memcpy(name, data, n);
	name[n] = '\0';
	memcpy(&v, data, BT_MIN(size, sizeof(v)));
	bt_gfp_map_learn(&m, v, name);
	bt_gfp_map_learn(&m, v >> 7, name);
	sink += bt_gfp_map_apply(&m, v | 0x400);
	bt_gfp_map_default(&m);
	sink += bt_gfp_map_apply(&m, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bt_text_parser *p;
	char small[8], big[2048];
	uint64_t mask = 0, cached;
	size_t n;

	bt_gfp_from_names((const char *)data, size, &mask);
	p = bt_text_parser_new(NULL);
	if (!p)
		abort();
	cached = bt_text_gfp(p, (const char *)data, size);
	/* a second call is served from the cache */
	if (cached != mask ||
	    bt_text_gfp(p, (const char *)data, size) != cached)
		abort();
	bt_text_parser_free(p);
	n = bt_gfp_format(mask, small, sizeof(small));
	if (n >= sizeof(big) || bt_gfp_format(mask, big, sizeof(big)) != n ||
	    strlen(big) != n || strncmp(small, big, sizeof(small) - 1))
		abort();
	learn(data, size);
	return 0;
}
