// SPDX-License-Identifier: GPL-2.0-only
/*
 * text-parse.c - the layout of one line of ftrace text: who, where, when
 * and which event, before text-fields.c reads the payload.
 *
 * Layouts understood (the timestamp "SECONDS.FRACTION:" anchors them all;
 * the counter and x86-tsc clocks print a bare integer instead):
 *
 *   trace, trace_pipe   "  bash-1234  [001] d..1.  1234.567890: EVENT: ..."
 *                       irq-flags column optional; "(  1234)" tgid column
 *                       of options/record-tgid optional
 *   trace-cmd report    "  bash-1234  [001]  1234.567890: EVENT:   ..."
 *                       "-l": "  bash-1234    1d..1  1234.567890: ..."
 *                       several buffers: "NAME: " before each line
 *   perf script         "  bash  1234 [001]  1234.567890: kmem:EVENT: ..."
 *                       pid/tid forms and a period column accepted
 *   function_graph      " 1)   bash-1234   |  /" "* EVENT: ... *" "/"
 *                       optional abstime and proc columns; without
 *                       abstime the line has no time of its own
 *
 * Lost-event markers: "CPU:N [LOST N EVENTS]" (trace, trace_pipe) and
 * "CPU:N [N EVENTS DROPPED]" / "CPU:N [EVENTS DROPPED]" (trace-cmd).
 * Headers ("# ...", "version = 6", "cpus=2", "CPU 3 is empty") are skipped,
 * keeping the CPU count and kernel release when they say so.
 *
 * Event names are resolved through a small hash cache, so the descriptor
 * table is searched once per distinct name, not once per line.
 */
#include <stdlib.h>
#include <string.h>

#include "traces-text.h"

struct bt_text_parser *bt_text_parser_new(const struct bt_import_opts *o)
{
	struct bt_text_parser *p = calloc(1, sizeof(*p));
	const struct bt_event_desc *d;
	unsigned int t, i;

	if (!p)
		return NULL;
	if (o)
		p->opts = *o;
	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		d = bt_event_desc(t);
		for (i = 0; d && i < d->nr_fields; i++)
			p->flen[t][i] = (unsigned char)strlen(d->fields[i].name);
	}
	return p;
}

void bt_text_parser_free(struct bt_text_parser *p)
{
	free(p);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_sp(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static const char *trim_end(const char *s, const char *e)
{
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return e;
}

static bool starts(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - s) >= n && !memcmp(s, lit, n);
}

/* Unsigned decimal of all of [s, e), at most 18 digits. */
static bool dec(const char *s, const char *e, uint64_t *out)
{
	uint64_t v = 0;

	if (s >= e || e - s > 18)
		return false;
	for (; s < e; s++) {
		if (!is_digit(*s))
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

/* "SECONDS.FRACTION" of all of [s, e) into ns; fraction 1 to 9 digits. */
static bool parse_ts(const char *s, const char *e, uint64_t *ns)
{
	const char *dot = memchr(s, '.', (size_t)(e - s));
	static const uint64_t scale[10] = { 1, 100000000, 10000000, 1000000,
		100000, 10000, 1000, 100, 10, 1 };
	uint64_t sec, frac;

	if (!dot || dot == s || e - dot - 1 < 1 || e - dot - 1 > 9)
		return false;
	if (!dec(s, dot, &sec) || !dec(dot + 1, e, &frac))
		return false;
	if (sec > UINT64_MAX / 1000000000ull - 1)
		return false;
	*ns = sec * 1000000000ull + frac * scale[e - dot - 1];
	return true;
}

/*
 * The counter and x86-tsc trace clocks print a bare integer: kept as it
 * is, the trace clock's own unit.
 */
static bool parse_counter(const char *s, const char *e, uint64_t *ns)
{
	uint64_t v = 0, d;

	if (s >= e || e - s > 20)
		return false;
	for (; s < e; s++) {
		if (!is_digit(*s))
			return false;
		d = (uint64_t)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ns = v;
	return true;
}

/*
 * The timestamp: the first "NUMBER.NUMBER:" followed by a space or the
 * end, preceded by a blank. Returns the colon, with the token start.
 */
static const char *find_ts(const char *s, const char *e, const char **tok,
			   uint64_t *ns)
{
	const char *c = s, *t;

	while ((c = memchr(c, ':', (size_t)(e - c))) != NULL) {
		if (c + 1 < e && c[1] != ' ' && c[1] != '\t') {
			c++;
			continue;
		}
		t = c;
		while (t > s && (is_digit(t[-1]) || t[-1] == '.'))
			t--;
		if (t < c && (t == s || t[-1] == ' ' || t[-1] == '\t') &&
		    (parse_ts(t, c, ns) || parse_counter(t, c, ns))) {
			*tok = t;
			return c;
		}
		c++;
	}
	return NULL;
}

static void set_comm(struct bt_text_parser *p, struct bt_event *ev,
		     const char *s, const char *e)
{
	size_t n;

	s = skip_sp(s, e);
	e = trim_end(s, e);
	n = BT_MIN((size_t)(e - s), sizeof(p->comm) - 1);
	if (n == 0) {
		ev->comm = NULL;
		return;
	}
	memcpy(p->comm, s, n);
	p->comm[n] = '\0';
	ev->comm = p->comm;
}

/* "comm-pid" ending at e: pid after the last '-'. */
static bool comm_dash_pid(struct bt_text_parser *p, struct bt_event *ev,
			  const char *s, const char *e)
{
	const char *dash = e;
	uint64_t pid;

	while (dash > s && dash[-1] != '-')
		dash--;
	if (dash == s || !dec(dash, e, &pid) || pid > INT32_MAX)
		return false;
	ev->pid = (int32_t)pid;
	set_comm(p, ev, s, dash - 1);
	return true;
}

/* perf's "comm pid" or "comm pid/tid": the last token is numeric. */
static bool comm_space_pid(struct bt_text_parser *p, struct bt_event *ev,
			   const char *s, const char *e)
{
	const char *t = e, *slash;
	uint64_t pid;

	while (t > s && t[-1] != ' ' && t[-1] != '\t')
		t--;
	if (t == s || trim_end(s, t) == s)
		return false;
	slash = memchr(t, '/', (size_t)(e - t));
	if (!dec(slash ? slash + 1 : t, e, &pid) || pid > INT32_MAX)
		return false;
	if (slash && !dec(t, slash, &(uint64_t){ 0 }))
		return false;
	ev->pid = (int32_t)pid;
	set_comm(p, ev, s, t);
	return true;
}

/* Drop a leading "BUFFER: " that trace-cmd puts before each line. */
static const char *skip_buffer_name(const char *s, const char *e)
{
	const char *t = skip_sp(s, e);
	bool number = true;

	while (t < e && *t != ' ' && *t != '\t') {
		number = number && (is_digit(*t) || *t == '.' || *t == ':');
		t++;
	}
	if (t > s && t[-1] == ':' && t < e && !number)
		return t;
	return s;
}

/* Everything before the timestamp: comm, pid, tgid, cpu, flags. */
static bool parse_prefix(struct bt_text_parser *p, struct bt_event *ev,
			 const char *s, const char *e)
{
	const char *b, *t, *end;
	uint64_t cpu;

	e = trim_end(s, e);
	b = e;
	while (b > s && b[-1] != '[')
		b--;
	end = b > s ? memchr(b, ']', (size_t)(e - b)) : NULL;
	if (end && dec(b, end, &cpu)) {
		e = b - 1;
	} else {
		/* trace-cmd report -l: "comm-pid  1d..1" */
		t = e;
		while (t > s && t[-1] != ' ' && t[-1] != '\t')
			t--;
		end = t;
		while (end < e && is_digit(*end))
			end++;
		if (end == t || !dec(t, end, &cpu))
			return false;
		if (end == e)
			cpu = 0;	/* perf -F without cpu: that was the pid */
		else
			e = t;
	}
	if (cpu >= BT_TEXT_MAX_CPUS)
		return false;
	ev->cpu = (uint32_t)cpu;
	e = trim_end(s, e);
	if (e > s && e[-1] == ')') {		/* "(  1234)" tgid column */
		t = e - 1;
		while (t > s && t[-1] != '(')
			t--;
		if (t == s)
			return false;
		e = trim_end(s, t - 1);
	}
	return comm_space_pid(p, ev, s, e) || comm_dash_pid(p, ev, s, e);
}

static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* A kernel tracepoint we model; never one of buddytrace's own types. */
static enum bt_event_type kernel_event(const char *name)
{
	enum bt_event_type t = bt_event_lookup(name);
	const struct bt_event_desc *d = bt_event_desc(t);

	if (!d || !strcmp(d->system, "buddytrace"))
		return BT_EV_NONE;
	return t;
}

/* Event type of a bare name; *marker for trace_pipe's print form. */
static enum bt_event_type resolve(struct bt_text_parser *p, const char *s,
				  size_t len, bool *marker)
{
	struct bt_text_name_ent *n;
	char buf[sizeof(n->name)];

	*marker = false;
	if (len == 0 || len >= sizeof(buf))
		return BT_EV_NONE;
	n = &p->names[hash_name(s, len) % BT_TEXT_NAME_CACHE];
	if (n->len != len || memcmp(n->name, s, len)) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		n->marker = !strcmp(buf, "tracing_mark_write");
		n->type = (short)(n->marker ? BT_EV_PRINT : kernel_event(buf));
		memcpy(n->name, s, len);
		n->len = (unsigned char)len;
	}
	*marker = n->marker;
	return (enum bt_event_type)n->type;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || c == '_' || c == '-' || c == '.';
}

/*
 * "EVENT: payload" or perf's "[PERIOD] SYSTEM:EVENT: payload". Returns the
 * kind and fills the payload.
 */
static enum bt_text_kind parse_event(struct bt_text_parser *p,
				     struct bt_event *ev, const char *s,
				     const char *e)
{
	const char *t, *name;
	enum bt_event_type type;
	bool marker;

	for (;;) {
		s = skip_sp(s, e);
		t = s;
		while (t < e && *t != ' ' && *t != '\t')
			t++;
		/* perf's period column, trace-cmd's --ts-diff "(+10)" */
		if (!dec(s, t, &(uint64_t){ 0 }) &&
		    !(t - s > 3 && s[0] == '(' && s[1] == '+' && t[-1] == ')'))
			break;
		s = t;
	}
	if (t == s || t[-1] != ':')
		return BT_TEXT_UNKNOWN;
	name = t - 1;
	while (name > s && name[-1] != ':')
		name--;
	for (const char *c = s; c < t - 1; c++)
		if (!name_char(*c) && *c != ':')
			return BT_TEXT_UNKNOWN;
	type = resolve(p, name, (size_t)(t - 1 - name), &marker);
	if (type == BT_EV_NONE)
		return BT_TEXT_UNKNOWN_EVENT;
	ev->type = type;
	if (bt_text_parse_fields(p, ev, skip_sp(t, e), e, marker))
		return BT_TEXT_UNKNOWN;
	return BT_TEXT_EVENT;
}

/* "CPU:N [LOST N EVENTS]", "CPU:N [N EVENTS DROPPED]", "[EVENTS DROPPED]" */
static bool parse_lost(const char *s, const char *e, struct bt_event *ev)
{
	const char *t, *b;
	uint64_t cpu, n = 0;

	s = skip_sp(s, e);
	if (!starts(s, e, "CPU:"))
		return false;
	s += 4;
	t = s;
	while (t < e && is_digit(*t))
		t++;
	if (!dec(s, t, &cpu) || cpu >= BT_TEXT_MAX_CPUS)
		return false;
	s = skip_sp(t, e);
	if (starts(s, e, "[LOST "))
		s += 6;
	else if (starts(s, e, "["))
		s += 1;
	else
		return false;
	b = s;
	while (b < e && is_digit(*b))
		b++;
	if (b > s && !dec(s, b, &n))
		return false;
	b = skip_sp(b, e);
	if (!starts(b, e, "EVENTS]") && !starts(b, e, "EVENTS DROPPED]"))
		return false;
	ev->type = BT_EV_LOST;
	ev->cpu = (uint32_t)cpu;
	ev->arg[0] = n;
	return true;
}

/*
 * Stack traces that follow an event: ftrace's "=> func" and
 * "<stack trace>" lines, perf script's "ADDR sym+off (dso)" callchains.
 */
static bool is_stack_line(const char *s, const char *e)
{
	const char *t = s;

	if (starts(s, e, "=> ") || starts(s, e, "<stack trace>") ||
	    starts(s, e, "<user stack trace>"))
		return true;
	while (t < e && (is_digit(*t) || ((*t | 0x20) >= 'a' &&
					  (*t | 0x20) <= 'f')))
		t++;
	return t - s >= 8 && t < e && *t == ' ' && e[-1] == ')';
}

static void set_kernel(struct bt_text_parser *p, const char *s,
		       const char *e)
{
	size_t len = BT_MIN((size_t)(trim_end(s, e) - s),
			    sizeof(p->kernel) - 1);

	memcpy(p->kernel, s, len);
	p->kernel[len] = '\0';
}

/* "# entries-in-buffer/entries-written: 300/1000   #P:2" */
static void overwritten(struct bt_text_parser *p, const char *s,
			const char *e)
{
	static const char key[] = "# entries-in-buffer/entries-written: ";
	const char *a, *slash, *b;
	uint64_t in, written;

	if (!starts(s, e, key))
		return;
	a = s + sizeof(key) - 1;
	slash = memchr(a, '/', (size_t)(e - a));
	if (!slash)
		return;
	b = slash + 1;
	while (b < e && is_digit(*b))
		b++;
	if (dec(a, slash, &in) && dec(slash + 1, b, &written) &&
	    written > in)
		p->overwritten = written - in;
}

/* Header lines; keeps the CPU count and kernel release they give. */
static bool parse_header(struct bt_text_parser *p, const char *s,
			 const char *e)
{
	const char *t;
	uint64_t n;

	if (*s == '#') {
		t = memmem(s, (size_t)(e - s), "#P:", 3);
		if (t && dec(t + 3, trim_end(t + 3, e), &n) && n &&
		    n <= BT_TEXT_MAX_CPUS)
			p->cpus_hint = (unsigned int)n;
		overwritten(p, s, e);
		if (starts(s, e, "# os release : "))
			set_kernel(p, s + 15, e);
		if (starts(s, e, "# nrcpus online : ") &&
		    dec(s + 18, e, &n) && n && n <= BT_TEXT_MAX_CPUS)
			p->cpus_hint = (unsigned int)n;
		return true;
	}
	/* trace-cmd report --uname: "Linux HOST RELEASE ARCH" */
	if (starts(s, e, "Linux ") && !memchr(s, '[', (size_t)(e - s))) {
		t = s;
		for (n = 0; n < 2 && t; n++) {
			t = memchr(t, ' ', (size_t)(e - t));
			t = t ? skip_sp(t, e) : NULL;
		}
		if (t && t < e) {
			const char *w = memchr(t, ' ', (size_t)(e - t));

			set_kernel(p, t, w ? w : e);
		}
		return true;
	}
	if (starts(s, e, "cpus=")) {
		if (dec(s + 5, trim_end(s, e), &n) && n && n <= BT_TEXT_MAX_CPUS)
			p->cpus_hint = (unsigned int)n;
		return true;
	}
	if (starts(s, e, "version = ") || is_stack_line(s, e))
		return true;
	if (starts(s, e, "CPU ") && memmem(s, (size_t)(e - s), " is empty", 9))
		return true;
	return false;
}

/* function_graph: " [TS |] N) [comm-pid |] [dur] |  /" "* EVENT: ... *" "/" */
static enum bt_text_kind parse_funcgraph(struct bt_text_parser *p,
					 struct bt_event *ev, const char *s,
					 const char *open, const char *close)
{
	const char *t = s, *w;
	bool have_cpu = false, have_ts = false;
	enum bt_text_kind k;
	uint64_t v;

	while (t < open) {
		while (t < open && (*t == ' ' || *t == '|' || *t == '\t'))
			t++;
		w = t;
		while (t < open && *t != ' ' && *t != '|' && *t != '\t')
			t++;
		if (w == t)
			break;
		if (!have_cpu && t[-1] == ')' && dec(w, t - 1, &v) &&
		    v < BT_TEXT_MAX_CPUS) {
			ev->cpu = (uint32_t)v;
			have_cpu = true;
		} else if (!have_cpu && !have_ts && parse_ts(w, t, &ev->ts)) {
			have_ts = true;
		} else if (have_cpu && ev->pid < 0) {
			comm_dash_pid(p, ev, w, t);
		}
	}
	if (!have_cpu)
		return BT_TEXT_UNKNOWN;
	p->no_ts = !have_ts;
	open = skip_sp(open + 2, close);
	close = trim_end(open, close);
	k = parse_event(p, ev, open, close);
	if (k != BT_TEXT_UNKNOWN)
		return k;
	/* a trace_marker write shows as its bare text */
	ev->type = BT_EV_PRINT;
	bt_text_parse_fields(p, ev, open, close, true);
	return BT_TEXT_EVENT;
}

/*
 * trace-cmd report prefixes each line with its buffer when the file holds
 * several. Skips the prefix; false for a line of another buffer than the
 * one asked for with opts.instance (unprefixed lines are the top buffer).
 */
static bool other_buffer_ok(struct bt_text_parser *p, const char **s,
			    const char *e)
{
	const char *name = *s, *t = skip_buffer_name(*s, e);
	const char *want = p->opts.instance;
	size_t len = t > name ? (size_t)(t - name - 1) : 0;

	*s = skip_sp(t, e);
	if (!want || !*want)
		return true;
	if (!strcmp(want, "top"))	/* as for trace.dat: the main buffer */
		return len == 0;
	return strlen(want) == len && !memcmp(want, name, len);
}

/* "N) ... |  /" "* ... *" "/": a comment in the function column only */
static bool is_graph_comment(const char *s, const char *e, const char **open)
{
	const char *o, *t;

	if (e - s < 4 || e[-1] != '/' || e[-2] != '*')
		return false;
	o = memmem(s, (size_t)(e - s), "/*", 2);
	if (!o || !memchr(s, ')', (size_t)(o - s)))
		return false;
	t = trim_end(s, o);
	if (t == s || t[-1] != '|')
		return false;		/* "} /" "* func *" "/" tails */
	*open = o;
	return true;
}

enum bt_text_kind bt_text_parse_line(struct bt_text_parser *p, const char *s,
				     size_t len, struct bt_event *ev)
{
	const char *e = s + len, *colon, *tok, *open;
	enum bt_text_kind k;

	memset(ev, 0, sizeof(*ev));
	ev->pid = -1;
	p->no_ts = false;
	e = trim_end(s, e);
	s = skip_sp(s, e);
	if (s == e)
		return BT_TEXT_BLANK;
	if (parse_header(p, s, e))
		return BT_TEXT_BLANK;
	if (is_graph_comment(s, e, &open))
		return parse_funcgraph(p, ev, s, open, e - 2);
	if (!other_buffer_ok(p, &s, e))
		return BT_TEXT_BLANK;
	colon = find_ts(s, e, &tok, &ev->ts);
	if (!colon) {
		if (parse_lost(s, e, ev)) {
			p->no_ts = true;
			return BT_TEXT_LOST;
		}
		return BT_TEXT_UNKNOWN;
	}
	if (!parse_prefix(p, ev, s, tok))
		return BT_TEXT_UNKNOWN;
	if (is_stack_line(skip_sp(colon + 1, e), e))
		return BT_TEXT_BLANK;	/* the stack event's own line */
	k = parse_event(p, ev, colon + 1, e);
	if (k != BT_TEXT_EVENT) {
		ev->comm = NULL;
		ev->pid = -1;
	}
	return k;
}
