/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * procfs-internal.h - the line walker, tokenizer and error helper that the
 * /proc parsers in procfs.c and procfs-kv.c share. Not for other files.
 */
#ifndef BT_PROCFS_INTERNAL_H
#define BT_PROCFS_INTERNAL_H

#include "procfs.h"

struct bt_proc_tok {
	const char *s;
	size_t n;
};

struct bt_proc_lines {
	const char *p, *end;
	unsigned int no;
};

#define MAX_TOKS (BT_PROC_MAX_ORDERS + 8)

bool bt_procfs_next_line(struct bt_proc_lines *ls, const char **s, size_t *n);
bool bt_procfs_is_space(char c);
/* Split into tokens; returns how many there are (may exceed max). */
size_t bt_procfs_split(const char *s, size_t n, struct bt_proc_tok *t,
		       size_t max);
bool bt_procfs_tok_is(const struct bt_proc_tok *t, const char *word);
/* Fill @err (may be NULL) and return @code. */
int bt_procfs_fail(struct bt_proc_error *err, unsigned int line, int code,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int bt_procfs_tok_u64(const struct bt_proc_tok *t, uint64_t *v);
/* Grow an array of @size-byte elements to hold @need; capped at @cap. */
int bt_procfs_grow(void **arr, unsigned int *cap_now, unsigned int need,
		   size_t size, unsigned int cap);
/* "Node N, zone NAME[,]": tokens 0..3. */
int bt_procfs_parse_node_zone(const struct bt_proc_tok *t, size_t nr, int *node,
			      char *name);

#endif
