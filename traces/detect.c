// SPDX-License-Identifier: GPL-2.0-only
/*
 * detect.c - what an input is, from its first bytes: a .bt file, a
 * trace-cmd trace.dat (any version: the magic is the same), or ftrace text
 * (trace/trace_pipe, trace-cmd report, perf script). Text must be mostly
 * printable and hold something event-like (a "name:" after a timestamp, a
 * lost-events marker, or a known tracepoint name), so a random text file
 * or a binary is reported as unknown rather than imported as nothing.
 */
#include <string.h>

#include "traces-internal.h"

static const unsigned char tracedat_magic[] = { 0x17, 0x08, 0x44, 't', 'r',
						'a', 'c', 'i', 'n', 'g' };

static bool looks_textual(const unsigned char *p, size_t len)
{
	size_t i, bad = 0;

	for (i = 0; i < len; i++) {
		unsigned char ch = p[i];

		if (ch == 0)
			return false;
		if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r')
			bad++;
	}
	return bad * 100 <= len;	/* a stray escape is tolerated */
}

/* "12345.678901: " followed by a word and a colon: an ftrace line. */
static bool has_timestamped_event(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while ((p = memchr(p, ':', (size_t)(end - p))) != NULL) {
		const char *d = p;
		bool frac = false, digits = false;

		while (d > s && ((d[-1] >= '0' && d[-1] <= '9') ||
				 d[-1] == '.')) {
			frac |= d[-1] == '.';
			digits |= d[-1] != '.';
			d--;
		}
		p++;
		if (!frac || !digits)
			continue;
		while (p < end && *p == ' ')
			p++;
		while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '_' ||
				   (*p >= '0' && *p <= '9')))
			p++;
		if (p < end && *p == ':')
			return true;
	}
	return false;
}

static bool has_marker(const char *s, size_t len)
{
	static const char *const words[] = { "mm_page_", "mm_compaction_",
		"mm_vmscan_", "EVENTS DROPPED]", "[LOST ", "mm_pagevec_free",
		"tracing_mark_write" };
	size_t i;

	for (i = 0; i < BT_ARRAY_SIZE(words); i++)
		if (memmem(s, len, words[i], strlen(words[i])))
			return true;
	return false;
}

enum bt_input_kind bt_input_detect(const unsigned char *head, size_t len)
{
	if (len >= BT_FILE_MAGIC_LEN &&
	    !memcmp(head, BT_FILE_MAGIC, BT_FILE_MAGIC_LEN))
		return BT_INPUT_BT;
	if (len >= sizeof(tracedat_magic) &&
	    !memcmp(head, tracedat_magic, sizeof(tracedat_magic)))
		return BT_INPUT_TRACEDAT;
	if (!len || !looks_textual(head, len))
		return BT_INPUT_UNKNOWN;
	if (has_timestamped_event((const char *)head, len) ||
	    has_marker((const char *)head, len))
		return BT_INPUT_TEXT;
	return BT_INPUT_UNKNOWN;
}
