// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-detect.c - bt_input_detect() on any first bytes: a kind in range,
 * the same answer twice, and never a read past @len (the input is copied
 * to an exact-size buffer by libFuzzer and by the regression driver).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "traces/traces.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum bt_input_kind k = bt_input_detect(data, size);
	unsigned char *head;
	size_t cut;

	if (k != BT_INPUT_UNKNOWN && k != BT_INPUT_BT &&
	    k != BT_INPUT_TRACEDAT && k != BT_INPUT_TEXT)
		abort();
	if (bt_input_detect(data, size) != k)
		abort();
	/* a prefix too, exact-size: callers detect on what read() gave */
	cut = size / 2;
	head = malloc(cut ? cut : 1);
	if (!head)
		return 0;
	memcpy(head, data, cut);
	(void)bt_input_detect(head, cut);
	free(head);
	return 0;
}
