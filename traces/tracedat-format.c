// SPDX-License-Identifier: GPL-2.0-only
/*
 * tracedat-format.c - the tracepoint format file of an event, written back
 * from what libtraceevent parsed out of a trace.dat.
 *
 * libtraceevent keeps no copy of the format text it parsed, and the
 * trace.dat keeps it in sections that are compressed in version 7. The
 * parsed form holds everything that matters, though: the fields with
 * their offsets, sizes and signedness, the print format string and the
 * tree of print arguments. Printing that tree back gives a format file
 * that libtraceevent parses to the same event (same fields, same
 * __print_flags and __print_symbolic tables), which is what a .bt keeps:
 * enough to decode and to relearn a kernel's gfp layout later.
 */
#include <errno.h>
#include <string.h>

#include "tracedat.h"

#define TD_ARG_DEPTH 64

static int put_arg(struct bt_buf *b, const struct tep_print_arg *a, int depth);

static int put_syms(struct bt_buf *b, const struct tep_print_flag_sym *s)
{
	int err = 0;

	for (; s && !err; s = s->next)
		err = bt_buf_printf(b, ", { %s, \"%s\" }",
				    s->value ? s->value : "0",
				    s->str ? s->str : "");
	return err;
}

static int put_call(struct bt_buf *b, const char *name,
		    const struct tep_print_arg *x, const struct tep_print_arg *y,
		    const struct tep_print_arg *z, int depth)
{
	int err = bt_buf_printf(b, "%s(", name);

	if (!err)
		err = put_arg(b, x, depth + 1);
	if (!err && y)
		err = bt_buf_printf(b, ", ");
	if (!err && y)
		err = put_arg(b, y, depth + 1);
	if (!err && z)
		err = bt_buf_printf(b, ", ");
	if (!err && z)
		err = put_arg(b, z, depth + 1);
	if (!err)
		err = bt_buf_printf(b, ")");
	return err;
}

static int put_op(struct bt_buf *b, const struct tep_print_arg *a, int depth)
{
	/* "c ? x : y" is a "?" whose right side is the ":" */
	bool colon = a->op.op && !strcmp(a->op.op, ":");
	int err = colon ? 0 : bt_buf_printf(b, "(");

	if (!err && a->op.left)
		err = put_arg(b, a->op.left, depth + 1);
	if (!err)
		err = bt_buf_printf(b, a->op.left ? " %s " : "%s",
				    a->op.op ? a->op.op : "");
	if (!err && a->op.right)
		err = put_arg(b, a->op.right, depth + 1);
	if (!err && a->op.op && !strcmp(a->op.op, "["))
		err = bt_buf_printf(b, "]");
	if (!err && !colon)
		err = bt_buf_printf(b, ")");
	return err;
}

static int put_flags(struct bt_buf *b, const struct tep_print_arg *a,
		     int depth, bool symbolic)
{
	int err = bt_buf_printf(b, symbolic ? "__print_symbolic(" :
				"__print_flags(");
	const struct tep_print_flag_sym *s;

	if (!err)
		err = put_arg(b, symbolic ? a->symbol.field : a->flags.field,
			      depth + 1);
	if (!err && !symbolic)
		err = bt_buf_printf(b, ", \"%s\"",
				    a->flags.delim ? a->flags.delim : "");
	s = symbolic ? a->symbol.symbols : a->flags.flags;
	if (!err)
		err = put_syms(b, s);
	if (!err)
		err = bt_buf_printf(b, ")");
	return err;
}

static int put_arg(struct bt_buf *b, const struct tep_print_arg *a, int depth)
{
	if (!a || depth > TD_ARG_DEPTH)
		return 0;
	switch (a->type) {
	case TEP_PRINT_ATOM:
		return bt_buf_printf(b, "%s", a->atom.atom ? a->atom.atom : "");
	case TEP_PRINT_FIELD:
		return bt_buf_printf(b, "REC->%s",
				     a->field.name ? a->field.name : "");
	case TEP_PRINT_FLAGS:
		return put_flags(b, a, depth, false);
	case TEP_PRINT_SYMBOL:
		return put_flags(b, a, depth, true);
	case TEP_PRINT_TYPE:
		if (bt_buf_printf(b, "(%s)", a->typecast.type ?
				  a->typecast.type : "long"))
			return -ENOMEM;
		return put_arg(b, a->typecast.item, depth + 1);
	case TEP_PRINT_STRING:
		return bt_buf_printf(b, "__get_str(%s)", a->string.string ?
				     a->string.string : "");
	case TEP_PRINT_BSTRING:
		return bt_buf_printf(b, "\"%s\"", a->string.string ?
				     a->string.string : "");
	case TEP_PRINT_BITMASK:
	case TEP_PRINT_CPUMASK:
		return bt_buf_printf(b, "__get_bitmask(%s)",
				     a->bitmask.bitmask ?
				     a->bitmask.bitmask : "");
	case TEP_PRINT_DYNAMIC_ARRAY:
	case TEP_PRINT_DYNAMIC_ARRAY_LEN:
		return bt_buf_printf(b, a->type == TEP_PRINT_DYNAMIC_ARRAY ?
				     "__get_dynamic_array(%s)" :
				     "__get_dynamic_array_len(%s)",
				     a->dynarray.field ?
				     a->dynarray.field->name : "");
	case TEP_PRINT_HEX:
	case TEP_PRINT_HEX_STR:
		return put_call(b, a->type == TEP_PRINT_HEX ? "__print_hex" :
				"__print_hex_str", a->hex.field, a->hex.size,
				NULL, depth);
	case TEP_PRINT_INT_ARRAY:
		return put_call(b, "__print_array", a->int_array.field,
				a->int_array.count, a->int_array.el_size, depth);
	case TEP_PRINT_OP:
		return put_op(b, a, depth);
	default:	/* TEP_PRINT_NULL, FUNC: helpers we cannot name */
		return bt_buf_printf(b, "0");
	}
}

/* The print format string with its C escapes restored. */
static int put_fmt(struct bt_buf *b, const char *s)
{
	int err = bt_buf_printf(b, "\"");

	for (; s && *s && !err; s++) {
		if (*s == '"' || *s == '\\')
			err = bt_buf_printf(b, "\\%c", *s);
		else if (*s == '\n')
			err = bt_buf_printf(b, "\\n");
		else if (*s == '\t')
			err = bt_buf_printf(b, "\\t");
		else
			err = bt_buf_append(b, s, 1);
	}
	if (!err)
		err = bt_buf_printf(b, "\"");
	return err;
}

static int put_fields(struct bt_buf *b, const struct tep_format_field *f)
{
	int err = 0;

	for (; f && !err; f = f->next) {
		/* libtraceevent keeps "char[16]" as the type: the file says
		 * "char comm[16]" */
		const char *br = strchr(f->type, '[');
		int tlen = br ? (int)(br - f->type) : (int)strlen(f->type);

		err = bt_buf_printf(b, "\tfield:%.*s %s%s", tlen, f->type,
				    f->name, br ? br : "");
		if (!err)
			err = bt_buf_printf(b, ";\toffset:%d;\tsize:%d;"
					    "\tsigned:%d;\n", f->offset,
					    f->size,
					    !!(f->flags & TEP_FIELD_IS_SIGNED));
	}
	return err;
}

int td_format_text(struct tep_event *event, struct bt_buf *out)
{
	const struct tep_print_arg *a;
	int err;

	err = bt_buf_printf(out, "name: %s\nID: %d\nformat:\n", event->name,
			    event->id);
	if (!err)
		err = put_fields(out, event->format.common_fields);
	if (!err)
		err = bt_buf_printf(out, "\n");
	if (!err)
		err = put_fields(out, event->format.fields);
	if (!err)
		err = bt_buf_printf(out, "\nprint fmt: ");
	if (!err)
		err = put_fmt(out, event->print_fmt.format);
	for (a = event->print_fmt.args; a && !err; a = a->next) {
		err = bt_buf_printf(out, ", ");
		if (!err)
			err = put_arg(out, a, 0);
	}
	if (!err)
		err = bt_buf_printf(out, "\n");
	return err;
}
