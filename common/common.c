// SPDX-License-Identifier: GPL-2.0-only
/*
 * common.c - errors, logging, checked parsing, buffers and small file
 * helpers. Kept dependency-free so every folder, the allocator included,
 * can link it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

static const struct {
	int code;
	int exit;
	const char *msg;
} bt_error_table[] = {
#define BT_X_TABLE(name, ex, m) { name, ex, m },
	BT_ERRORS(BT_X_TABLE)
#undef BT_X_TABLE
};

const char *bt_strerror(int err)
{
	size_t i;

	for (i = 0; i < BT_ARRAY_SIZE(bt_error_table); i++)
		if (bt_error_table[i].code == err)
			return bt_error_table[i].msg;
	if (err < 0 && err > -4096)
		return strerror(-err);
	return "unknown error";
}

int bt_exit_code(int err)
{
	size_t i;

	for (i = 0; i < BT_ARRAY_SIZE(bt_error_table); i++)
		if (bt_error_table[i].code == err)
			return bt_error_table[i].exit;
	switch (-err) {
	case ENOENT:
		return BT_EXIT_NOINPUT;
	case EACCES:
	case EPERM:
		return BT_EXIT_NOPERM;
	case ENOSPC:
	case EIO:
		return BT_EXIT_IOERR;
	case EINVAL:
		return BT_EXIT_DATAERR;
	default:
		return BT_EXIT_SOFTWARE;
	}
}

static bt_log_fn log_fn;
static void *log_data;

void bt_log_set(bt_log_fn fn, void *data)
{
	log_fn = fn;
	log_data = data;
}

void bt_log(enum bt_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!log_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_fn(level, msg, log_data);
}

void bt_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "buddytrace: BUG at %s:%d: %s\n", file, line, cond);
	abort();
}

/* Shared front half of the integer parsers: bounds and a terminated copy. */
static int copy_number(const char *s, long len, char *tmp, size_t size)
{
	size_t n;

	/* Only -1 means "up to the NUL": any other negative length is a
	 * caller's subtraction gone wrong and must not become a strlen. */
	if (len < -1)
		return BT_E_PARSE;
	n = len == -1 ? strlen(s) : (size_t)len;
	if (n == 0 || n >= size)
		return BT_E_PARSE;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return 0;
}

int bt_parse_u64(const char *s, long len, int base, uint64_t *out)
{
	char tmp[72], *end;
	unsigned long long v;
	int ret = copy_number(s, len, tmp, sizeof(tmp));

	if (ret)
		return ret;
	if (tmp[0] == '-' || tmp[0] == '+' || tmp[0] == ' ')
		return BT_E_PARSE;
	errno = 0;
	v = strtoull(tmp, &end, base);
	if (end == tmp || *end)
		return BT_E_PARSE;
	if (errno == ERANGE)
		return BT_E_RANGE;
	*out = v;
	return 0;
}

int bt_parse_i64(const char *s, long len, int base, int64_t *out)
{
	char tmp[72], *end;
	long long v;
	int ret = copy_number(s, len, tmp, sizeof(tmp));

	if (ret)
		return ret;
	if (tmp[0] == ' ' || tmp[0] == '+')
		return BT_E_PARSE;
	errno = 0;
	v = strtoll(tmp, &end, base);
	if (end == tmp || *end)
		return BT_E_PARSE;
	if (errno == ERANGE)
		return BT_E_RANGE;
	*out = v;
	return 0;
}

int bt_parse_int(const char *s, long len, int base, int *out)
{
	int64_t v;
	int ret = bt_parse_i64(s, len, base, &v);

	if (ret)
		return ret;
	if (v < INT_MIN || v > INT_MAX)
		return BT_E_RANGE;
	*out = (int)v;
	return 0;
}

int bt_parse_double(const char *s, double *out)
{
	char *end;

	if (!*s)
		return BT_E_PARSE;
	errno = 0;
	*out = strtod(s, &end);
	if (end == s || *end)
		return BT_E_PARSE;
	return errno == ERANGE ? BT_E_RANGE : 0;
}

size_t bt_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

static void oom_die(size_t n)
{
	fprintf(stderr, "buddytrace: out of memory (%zu bytes)\n", n);
	exit(BT_EXIT_SOFTWARE);
}

void *bt_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom_die(n);
	return p;
}

void *bt_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom_die(n * size);
	return p;
}

void *bt_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom_die(n);
	return q;
}

char *bt_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom_die(strlen(s));
	return p;
}

void bt_buf_init(struct bt_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void bt_buf_release(struct bt_buf *b)
{
	free(b->data);
	bt_buf_init(b);
}

int bt_buf_reserve(struct bt_buf *b, size_t extra)
{
	size_t want, cap;
	unsigned char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return -ENOMEM;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int bt_buf_append(struct bt_buf *b, const void *p, size_t n)
{
	int ret = bt_buf_reserve(b, n);

	if (ret)
		return ret;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int bt_buf_printf(struct bt_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, ret;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	ret = bt_buf_reserve(b, (size_t)n);
	if (ret)
		return ret;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int bt_read_file(const char *path, struct bt_buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret = 0;

	bt_buf_init(out);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		ret = bt_buf_reserve(out, 65536);
		if (ret)
			break;
		n = read(fd, out->data + out->len, 65536);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	close(fd);
	if (ret) {
		bt_buf_release(out);
		return ret;
	}
	if (!out->data && bt_buf_reserve(out, 0))
		return -ENOMEM;
	out->data[out->len] = '\0';
	return 0;
}

/* Table-driven CRC32C, reflected polynomial 0x82F63B78. */
static uint32_t crc_table[256];

static void crc_init(void) __attribute__((constructor));

static void crc_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (0x82F63B78u & -(c & 1));
		crc_table[i] = c;
	}
}

static uint32_t crc32c_table(uint32_t crc, const unsigned char *s, size_t n)
{
	while (n--)
		crc = crc_table[(crc ^ *s++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__)
/* SSE4.2 has a CRC32C instruction: 8 bytes a step instead of one. */
__attribute__((target("sse4.2")))
static uint32_t crc32c_hw(uint32_t crc, const unsigned char *s, size_t n)
{
	uint64_t c = crc, v;

	for (; n >= 8; n -= 8, s += 8) {
		memcpy(&v, s, 8);
		c = __builtin_ia32_crc32di(c, v);
	}
	crc = (uint32_t)c;
	while (n--)
		crc = __builtin_ia32_crc32qi(crc, *s++);
	return crc;
}
#endif

uint32_t bt_crc32c(uint32_t crc, const void *p, size_t n)
{
#if defined(__x86_64__)
	static int hw = -1;

	if (hw < 0)
		hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	if (hw)
		return ~crc32c_hw(~crc, p, n);
#endif
	return ~crc32c_table(~crc, p, n);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* Linux 5.14 */
#endif

void bt_populate(void *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)4095;

	if (e > a)
		madvise((void *)a, e - a, MADV_POPULATE_WRITE);
}

int bt_avoid_cpu(pid_t pid, int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return 1;
	if (sched_getaffinity(pid, sizeof(set), &set))
		return -errno;
	if (!CPU_ISSET(cpu, &set))
		return 1;
	CPU_CLR(cpu, &set);
	if (!CPU_COUNT(&set))
		return 1;
	return sched_setaffinity(pid, sizeof(set), &set) ? -errno : 0;
}
