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

/**
 * bt_procfs_next_line - the next line of @ls, without its newline
 * @ls: the walker; ls->no counts lines from 1
 * @s: receives the line (not NUL-terminated; may hold NUL bytes)
 * @n: receives its length
 *
 * Returns false at the end of the buffer.
 */
bool bt_procfs_next_line(struct bt_proc_lines *ls, const char **s, size_t *n);

/* bt_procfs_is_space - blank, tab, CR, VT or FF (not newline) */
bool bt_procfs_is_space(char c);

/**
 * bt_procfs_split - split @n bytes at @s into whitespace-separated tokens
 * @s: the line
 * @n: its length
 * @t: receives up to @max tokens, pointing into @s
 * @max: room in @t
 *
 * Returns how many tokens there are, which may exceed @max.
 */
size_t bt_procfs_split(const char *s, size_t n, struct bt_proc_tok *t,
		       size_t max);

/* bt_procfs_tok_is - whether token @t is exactly @word */
bool bt_procfs_tok_is(const struct bt_proc_tok *t, const char *word);

/**
 * bt_procfs_fail - record why a parse failed
 * @err: receives @line and the formatted reason; may be NULL
 * @line: 1-based line, 0 when not tied to one
 * @code: the error to return
 * @fmt: printf format of the reason
 *
 * Returns @code.
 */
int bt_procfs_fail(struct bt_proc_error *err, unsigned int line, int code,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * bt_procfs_tok_u64 - a decimal token as an unsigned number
 * @t: the token (at most 64 bytes, no NUL inside)
 * @v: receives the value
 *
 * Returns 0 or BT_E_PARSE.
 */
int bt_procfs_tok_u64(const struct bt_proc_tok *t, uint64_t *v);

/**
 * bt_procfs_grow - grow an array of @size-byte elements to hold @need
 * @arr: the array (realloc'ed; new elements zeroed)
 * @cap_now: its capacity, updated
 * @need: elements wanted
 * @size: bytes per element
 * @cap: the most elements a hostile file may make us allocate
 *
 * Returns 0, BT_E_RANGE (beyond @cap) or -ENOMEM.
 */
int bt_procfs_grow(void **arr, unsigned int *cap_now, unsigned int need,
		   size_t size, unsigned int cap);

/**
 * bt_procfs_parse_node_zone - "Node N, zone NAME[,]" from tokens 0..3
 * @t: the tokens
 * @nr: their number
 * @node: receives N
 * @name: receives NAME, BT_PROC_NAME_LEN bytes
 *
 * Returns 0 or BT_E_PARSE.
 */
int bt_procfs_parse_node_zone(const struct bt_proc_tok *t, size_t nr, int *node,
			      char *name);

#endif
