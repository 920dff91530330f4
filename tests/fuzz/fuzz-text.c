// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-text.c - the ftrace text importer on hostile text: each line
 * through bt_text_parse_line() (with page= pointer conversion on), then
 * the whole input through bt_import_text() twice, with a NULL writer
 * (parse and count only) and with a writer into a memory file that is
 * then read back, so that what the parser lets through must also be
 * something the writer and the reader accept.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "traces/traces-text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void parse_lines(const char *s, size_t size)
{
	struct bt_import_opts o = {
		.have_vmemmap = true,
		.vmemmap_base = 0xffffea0000000000ull,
		.struct_page_size = 64,
	};
	struct bt_text_parser *p = bt_text_parser_new(&o);
	const char *end = s + size, *nl;
	struct bt_event ev;

	if (!p)
		abort();
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		memset(&ev, 0, sizeof(ev));
		switch (bt_text_parse_line(p, s, (size_t)(nl - s), &ev)) {
		case BT_TEXT_EVENT:
		case BT_TEXT_LOST:
			if (ev.comm)
				sink += strlen(ev.comm);
			if (ev.str && ev.str_len)
				sink += (unsigned char)ev.str[ev.str_len - 1];
			break;
		default:
			break;
		}
		s = nl + 1;
	}
	bt_text_parser_free(p);
}

static void import_null(const uint8_t *data, size_t size)
{
	struct bt_import_stats st;
	FILE *in = fmemopen((void *)data, size, "r");

	if (!in)
		return;		/* glibc refuses a zero-size buffer */
	bt_import_text(in, NULL, NULL, &st);
	fclose(in);
}

/* Import into a .bt in a memory file, then read every event back. */
static void import_roundtrip(const uint8_t *data, size_t size)
{
	struct bt_import_stats st;
	struct bt_writer *w;
	struct bt_reader *r;
	struct bt_event ev;
	uint64_t n = 0;
	char path[64];
	int fd, err, ret;
	FILE *in;

	in = fmemopen((void *)data, size, "r");
	if (!in)
		return;
	fd = memfd_create("fuzz-text", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	w = bt_writer_open(path, 0);
	if (!w)
		abort();
	ret = bt_import_text(in, w, NULL, &st);
	fclose(in);
	if (ret) {
		bt_writer_abort(w);
		close(fd);
		return;
	}
	if (bt_writer_close(w))
		abort();
	r = bt_reader_open(path, &err);
	/* The writer's own output must read back whole. */
	if (!r)
		abort();
	while ((ret = bt_reader_next(r, &ev)) == 1)
		n++;
	if (ret || n != st.events)
		abort();
	bt_reader_close(r);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_lines((const char *)data, size);
	import_null(data, size);
	import_roundtrip(data, size);
	return 0;
}
