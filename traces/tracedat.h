/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tracedat.h - internals of the trace-cmd trace.dat importer, shared by
 * import-tracedat.c (the event loop), tracedat-meta.c (field lookup, gfp
 * tables, metadata), tracedat-format.c (format files written back) and
 * tracedat-recover.c (files cut short). Nothing outside these files uses
 * it.
 *
 * The importer resolves each tracepoint id once into a struct td_event:
 * the normalized type, the tep fields in the descriptor's argument order
 * and the gfp layout learned from that event's print format, so the per
 * record work is a table lookup and a few fixed-offset loads.
 */
#ifndef BT_TRACEDAT_H
#define BT_TRACEDAT_H

#include <trace-cmd/trace-cmd.h>

#include "traces.h"

/*
 * Exported by libtracecmd 1.3 but declared only in trace-cmd-private.h,
 * which distributions do not install. Signatures as in trace-cmd 3.1.
 */
const char *tracecmd_get_uname(struct tracecmd_input *handle);
const char *tracecmd_get_trace_clock(struct tracecmd_input *handle);
int tracecmd_cpus(struct tracecmd_input *handle);
int tracecmd_page_size(struct tracecmd_input *handle);
unsigned long tracecmd_get_in_file_version(struct tracecmd_input *handle);
off64_t tracecmd_get_cpu_file_size(struct tracecmd_input *handle, int cpu);

/* How an argument is read from a record. */
enum td_arg_how {
	TD_ARG_ZERO = 0,	/* the kernel has no such field */
	TD_ARG_NUM,		/* plain number */
	TD_ARG_PFN,		/* pfn: all-ones is BT_PFN_NONE */
	TD_ARG_PAGE,		/* struct page pointer, converted to a pfn */
	TD_ARG_GFP,		/* kernel gfp bits, translated by @gfp */
};

struct td_arg {
	enum td_arg_how how;
	int offset, size;
	bool is_signed;
};

/* One tracepoint id, resolved on first sight. */
struct td_event {
	bool resolved;
	uint32_t type;			/* BT_EV_*, or BT_EV_NONE: not modelled */
	unsigned int nr_args;
	struct td_arg arg[BT_EVENT_MAX_ARGS];
	struct tep_format_field *str;	/* print buf, comm: or NULL */
	struct bt_gfp_map *gfp;		/* owned; NULL without gfp args */
};

/**
 * td_event_resolve - fill @te for @event: descriptor fields looked up by
 * the kernel's names (with the aliases of older kernels), gfp table learned
 * from the print format
 */
void td_event_resolve(struct td_event *te, struct tep_event *event);
void td_event_release(struct td_event *te);

/**
 * td_format_text - the tracepoint format file of @event, rebuilt from what
 * libtraceevent parsed (fields with offsets and sizes, the print fmt string
 * and its arguments), so that libtraceevent parses it back to the same
 * event
 *
 * Returns 0 or -ENOMEM; the caller releases @out.
 */
int td_format_text(struct tep_event *event, struct bt_buf *out);

/* Copy kernel release, cpus, clock, page size, file version into @w. */
int td_write_meta(struct tracecmd_input *h, struct tracecmd_input *buf,
		  const char *buffer_name, struct bt_writer *w);

/* Copy the format of every event the model knows into @w. */
int td_write_formats(struct tep_handle *tep, struct bt_writer *w);

/**
 * td_recover_open - open a version 6 trace.dat cut short: its section
 * index sits at the start, so a copy padded with zeros up to the size the
 * index promises reads every whole page that remains (zero pages read as
 * empty).
 * @path: the file
 * @tmp: receives the path of the padded copy (caller unlinks and frees)
 * @missing: receives what is lost ("buffer 'x' cpu 1: 41 of 80 KB")
 * @cut: set when the file is a version 6 file cut short
 *
 * Returns a handle, or NULL: then *cut says whether the file is whole (open
 * it normally) or cut and unreadable.
 */
struct tracecmd_input *td_recover_open(const char *path, char **tmp,
				       struct bt_buf *missing, bool *cut);

#endif
