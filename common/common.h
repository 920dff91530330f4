/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * common.h - the small helpers every folder of buddytrace shares.
 *
 * Errors: functions return 0 or a negative code, either -errno or one of our
 * own codes below -4095 (BT_ERRORS yields the enum and the messages from one
 * table, as libtraceevent's TEP_ERRORS does). Libraries never print: they
 * report through bt_log(), whose sink the command layer installs.
 *
 * Parsing: everything read from a trace or /proc is hostile, so numbers are
 * parsed through bt_parse_*() which reject overflow, empty input and trailing
 * garbage, and strings are copied only with explicit bounds.
 */
#ifndef BT_COMMON_H
#define BT_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* Process exit codes (sysexits.h values, as DESIGN.md lists them). */
enum bt_exit {
	BT_EXIT_OK = 0,
	BT_EXIT_NO = 1,		/* the answer is "no": regression, difference */
	BT_EXIT_USAGE = 64,
	BT_EXIT_DATAERR = 65,	/* bad or corrupt input */
	BT_EXIT_NOINPUT = 66,	/* input missing */
	BT_EXIT_UNAVAILABLE = 69, /* tracefs or events unavailable */
	BT_EXIT_SOFTWARE = 70,	/* internal error */
	BT_EXIT_CANTCREAT = 73,
	BT_EXIT_IOERR = 74,
	BT_EXIT_NOPERM = 77,
};

/*
 * Our own error codes: name, exit code, message. Keep them far below -4095
 * so they never collide with -errno.
 */
#define BT_ERRORS(X)							\
	X(BT_E_CORRUPT, 65, "corrupt data")				\
	X(BT_E_CHECKSUM, 65, "checksum mismatch")			\
	X(BT_E_TRUNCATED, 65, "file truncated")				\
	X(BT_E_BAD_MAGIC, 65, "not a buddytrace file")			\
	X(BT_E_VERSION, 65, "file written by a newer major version")	\
	X(BT_E_FORMAT, 65, "unrecognized input format")			\
	X(BT_E_NO_EVENTS, 65, "no known event found in input")		\
	X(BT_E_PARSE, 65, "cannot parse")				\
	X(BT_E_RANGE, 65, "value out of range")				\
	X(BT_E_ZSTD, 65, "zstd decompression failed")			\
	X(BT_E_NO_ZONEINFO, 65, "trace holds no zoneinfo snapshot")	\
	X(BT_E_UNSUPPORTED, 65, "unsupported feature")			\
	X(BT_E_NO_TRACEFS, 69, "tracefs unavailable")			\
	X(BT_E_NO_EVENT, 69, "tracepoint unavailable")			\
	X(BT_E_INTERNAL, 70, "internal error")				\
	X(BT_E_USAGE, 64, "invalid usage")

#define BT_E_BASE (-10000)
enum bt_error {
	BT_E_FIRST_ = BT_E_BASE,
#define BT_X_ENUM(name, code, msg) name,
	BT_ERRORS(BT_X_ENUM)
#undef BT_X_ENUM
	BT_E_LAST_
};

/**
 * bt_strerror - message for a negative error code
 * @err: -errno or a BT_E_* code
 *
 * Returns a static string; never NULL.
 */
const char *bt_strerror(int err);

/**
 * bt_exit_code - the process exit code that suits a negative error code
 * @err: -errno or a BT_E_* code
 */
int bt_exit_code(int err);

/* Logging: libraries report through this; the command layer sets the sink. */
enum bt_log_level { BT_LOG_ERROR, BT_LOG_WARN, BT_LOG_NOTE, BT_LOG_DEBUG };
typedef void (*bt_log_fn)(enum bt_log_level level, const char *msg, void *data);
void bt_log_set(bt_log_fn fn, void *data);
void bt_log(enum bt_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define bt_warn(...) bt_log(BT_LOG_WARN, __VA_ARGS__)
#define bt_note(...) bt_log(BT_LOG_NOTE, __VA_ARGS__)
#define bt_debug(...) bt_log(BT_LOG_DEBUG, __VA_ARGS__)

/* An impossible state: report where and abort. Never a silent recovery. */
void bt_bug(const char *file, int line, const char *cond)
	__attribute__((noreturn));
#define BT_BUG_ON(cond)							\
	do {								\
		if (__builtin_expect(!!(cond), 0))			\
			bt_bug(__FILE__, __LINE__, #cond);		\
	} while (0)

#define BT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define BT_MAX(a, b) ((a) > (b) ? (a) : (b))

/*
 * Checked number parsing. The whole of [s, s+len) must be the number
 * (len -1: up to NUL). base 0 accepts 0x... hex and decimal. Return 0 or
 * BT_E_PARSE / BT_E_RANGE.
 */
int bt_parse_u64(const char *s, long len, int base, uint64_t *out);
int bt_parse_i64(const char *s, long len, int base, int64_t *out);
int bt_parse_int(const char *s, long len, int base, int *out);
int bt_parse_double(const char *s, double *out);

/* Copy at most size-1 bytes and NUL-terminate; returns strlen(src). */
size_t bt_strlcpy(char *dst, const char *src, size_t size);

/* Allocation that dies on exhaustion: only for the command layer and tests. */
void *bt_xmalloc(size_t n);
void *bt_xcalloc(size_t n, size_t size);
void *bt_xrealloc(void *p, size_t n);
char *bt_xstrdup(const char *s);

/* A growable byte buffer. Embedded: _init/_release. */
struct bt_buf {
	unsigned char *data;
	size_t len;
	size_t cap;
};
void bt_buf_init(struct bt_buf *b);
void bt_buf_release(struct bt_buf *b);
/* Return 0 or -ENOMEM. */
int bt_buf_reserve(struct bt_buf *b, size_t extra);
int bt_buf_append(struct bt_buf *b, const void *p, size_t n);
int bt_buf_printf(struct bt_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * bt_read_file - read a whole (small) file such as a /proc snapshot
 * @path: file to read
 * @out: receives the bytes, NUL-terminated (not counted in len)
 *
 * Returns 0 or -errno. The caller releases @out.
 */
int bt_read_file(const char *path, struct bt_buf *out);

/**
 * bt_tmpfile_open - create a temporary file "$TMPDIR/PREFIX-XXXXXX"
 * (/tmp without TMPDIR), open for reading and writing
 * @prefix: the start of its name ("buddytrace-import")
 * @path: receives its path; the caller unlinks it and frees it with free()
 *
 * Returns the descriptor, or -errno (then *@path is untouched).
 */
int bt_tmpfile_open(const char *prefix, char **path);

/* LEB128 varints and zigzag, shared by the .bt codec and its tests. */
static inline size_t bt_varint_put(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

static inline uint64_t bt_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t bt_unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* CRC32C (Castagnoli) of a byte range, continuing from crc (start with 0). */
uint32_t bt_crc32c(uint32_t crc, const void *p, size_t n);

/*
 * Map the whole pages of [@p, @p + @n) now, for memory about to be
 * written in full: one call instead of a page fault per page (each
 * costs microseconds on a VM). A hint: kernels before 5.14 refuse it.
 */
void bt_populate(void *p, size_t n);

/*
 * Take @cpu out of the CPUs that @pid (0: the caller) may run on; the
 * kernel moves a task off it before the call returns. 0 when narrowed,
 * 1 when there was nothing to do (@cpu negative or not in the set, or
 * the only CPU left), else -errno.
 */
int bt_avoid_cpu(pid_t pid, int cpu);

#include "banned.h"

#endif
