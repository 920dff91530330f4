/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * traces-text.h - the ftrace text parser inside traces/, one line at a
 * time, for import-text.c and the unit tests.
 *
 * bt_import_text() reads lines and hands each to bt_text_parse_line(),
 * which recognizes the layouts of trace/trace_pipe (with or without the
 * irq-flags and tgid columns), `trace-cmd report` (also -l and buffer-name
 * prefixes), `perf script` and events printed as function_graph comments,
 * and fills one struct bt_event. Payloads are parsed as key=value pairs by
 * name (text-fields.c), so field order and extra fields of patched kernels
 * do not matter. Nothing here allocates per line or uses regular
 * expressions: the importer must run at millions of lines per second.
 */
#ifndef BT_TRACES_TEXT_H
#define BT_TRACES_TEXT_H

#include "traces.h"

#define BT_TEXT_COMM_MAX 64
#define BT_TEXT_STR_MAX 4096
#define BT_TEXT_MAX_CPUS 4096

/* What one line was. */
enum bt_text_kind {
	BT_TEXT_BLANK,		/* empty, header or comment: ignored */
	BT_TEXT_EVENT,		/* an event we model: @ev is filled */
	BT_TEXT_LOST,		/* lost-event marker: @ev is a BT_EV_LOST */
	BT_TEXT_UNKNOWN_EVENT,	/* a tracepoint we do not model */
	BT_TEXT_UNKNOWN,	/* a line not understood */
};

#define BT_TEXT_NAME_CACHE 512
#define BT_TEXT_GFP_CACHE 256
#define BT_TEXT_GFP_KEY 120

struct bt_text_name_ent {
	unsigned char len;	/* 0: empty slot */
	unsigned char marker;	/* trace_pipe "tracing_mark_write:" form */
	short type;		/* enum bt_event_type, BT_EV_NONE: unknown */
	char name[56];
};

struct bt_text_gfp_ent {
	unsigned char len;	/* 0: empty slot */
	uint64_t mask;
	char s[BT_TEXT_GFP_KEY];
};

/*
 * struct bt_text_parser - state kept across lines
 *
 * comm and str of the last event point into this object: valid until the
 * next line is parsed. Hints learned from headers are kept for the writer's
 * metadata.
 */
struct bt_text_parser {
	struct bt_import_opts opts;
	bool no_ts;			/* last line had no timestamp */
	unsigned int cpus_hint;		/* "#P:2", "cpus=2", 0 unknown */
	uint64_t overwritten;		/* "entries-in-buffer/entries-written:
					 * A/B" of a full buffer: B - A */
	char kernel[128];		/* "# os release : ..." or "" */
	unsigned char flen[BT_EV_TYPE_COUNT][BT_EVENT_MAX_ARGS]; /* name lengths */
	char comm[BT_TEXT_COMM_MAX];
	char str[BT_TEXT_STR_MAX];
	struct bt_text_name_ent names[BT_TEXT_NAME_CACHE];
	struct bt_text_gfp_ent gfps[BT_TEXT_GFP_CACHE];
};

/**
 * bt_text_parser_new - a parser for one input
 * @o: import options (vmemmap base for page= pointers); NULL for defaults
 *
 * Returns a parser to free with bt_text_parser_free(), or NULL (ENOMEM).
 */
struct bt_text_parser *bt_text_parser_new(const struct bt_import_opts *o);
void bt_text_parser_free(struct bt_text_parser *p);

/**
 * bt_text_parse_line - parse one line (without its newline)
 * @p: the parser
 * @s: the line; need not be NUL-terminated, may hold any bytes
 * @len: its length
 * @ev: receives the event for BT_TEXT_EVENT and BT_TEXT_LOST
 *
 * A line without a timestamp (function_graph without abstime, lost
 * markers) gets ts 0 and p->no_ts set: the caller places it after the
 * previous event of its CPU. Returns an enum bt_text_kind.
 */
enum bt_text_kind bt_text_parse_line(struct bt_text_parser *p, const char *s,
				     size_t len, struct bt_event *ev);

/*
 * Payload of one event: "key=value key=value ..." into @ev->arg by the
 * descriptor's field names (text-fields.c). @marker: the payload is the
 * bare text of a trace_marker write. Returns 0 or BT_E_PARSE.
 */
int bt_text_parse_fields(struct bt_text_parser *p, struct bt_event *ev,
			 const char *s, const char *e, bool marker);

/* Zone index from a printed zone name ("Normal"), or -1. */
int bt_text_zone_idx(const char *s, size_t len);

/* Canonical gfp mask of printed flags, through the parser's cache. */
uint64_t bt_text_gfp(struct bt_text_parser *p, const char *s, size_t len);

#endif
