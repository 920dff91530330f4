// SPDX-License-Identifier: GPL-2.0-only
/*
 * tracedat-check.c - a walk over the header of a trace.dat before
 * libtracecmd sees it.
 *
 * libtracecmd 1.3 trusts the sizes and counts of a file's header: a
 * version 7 file cut inside its compression strings makes
 * tracecmd_open_fd free the same string twice, a page size of 1 or a CPU
 * count larger than the flyrecord table makes it read out of bounds, and a
 * page size that is merely absurd silently drops most events. So the
 * fixed part of the header is checked here, with every length and count
 * bounded by the bytes that remain: version 6 up to its first flyrecord
 * table (header pages, format files, kallsyms, printk, command lines, CPU
 * count, options),
 * version 7 up to the offset of its first section. A file cut inside
 * that part is BT_E_TRUNCATED; one whose values no kernel writes is
 * BT_E_CORRUPT. Either way the reason is one line for the user.
 *
 * The walk follows trace-cmd.dat.v6(5) and trace-cmd.dat.v7(5).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces-internal.h"
#include "tracedat.h"

#define TD_MIN_PAGE 4096u
#define TD_MAX_PAGE (16u << 20)	/* ring-buffer sub-buffers stay far below */

struct td_cur {
	const unsigned char *d;
	size_t len, pos;
	bool big;		/* the file is big-endian */
	char *why;
	size_t why_len;
};

static int td_bad(struct td_cur *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int td_bad(struct td_cur *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, c->why_len, fmt, ap);
	va_end(ap);
	return err;
}

static int td_cut(struct td_cur *c, const char *what)
{
	return td_bad(c, BT_E_TRUNCATED, "trace.dat cut short or damaged: "
		      "its %s runs past the end (byte %zu of %zu)", what,
		      c->pos, c->len);
}

static bool td_take(struct td_cur *c, uint64_t n)
{
	if (n > c->len - c->pos)
		return false;
	c->pos += (size_t)n;
	return true;
}

static bool td_num(struct td_cur *c, unsigned int size, uint64_t *v)
{
	unsigned int i;

	if (size > c->len - c->pos)
		return false;
	*v = 0;
	for (i = 0; i < size; i++) {
		unsigned int k = c->big ? i : size - 1 - i;

		*v = (*v << 8) | c->d[c->pos + k];
	}
	c->pos += size;
	return true;
}

/* A NUL-terminated string; @tag, when given, must be its text. */
static bool td_str(struct td_cur *c, const char *tag)
{
	const unsigned char *nul = memchr(c->d + c->pos, '\0', c->len - c->pos);

	if (!nul)
		return false;
	if (tag && strcmp((const char *)c->d + c->pos, tag))
		return false;
	c->pos = (size_t)(nul - c->d) + 1;
	return true;
}

/* "name\0", an 8-byte size, then that many bytes. */
static int td_sized(struct td_cur *c, const char *tag)
{
	uint64_t n;

	if (!td_str(c, tag))
		return c->pos + strlen(tag) + 1 > c->len ? td_cut(c, tag) :
		       td_bad(c, BT_E_CORRUPT, "trace.dat has no '%s' where "
			      "its header needs one", tag);
	if (!td_num(c, 8, &n) || !td_take(c, n))
		return td_cut(c, tag);
	return 0;
}

/* @count files of @width-byte size and data (format files, kallsyms). */
static int td_files(struct td_cur *c, uint64_t count, unsigned int width,
		    const char *what)
{
	uint64_t i, n;

	for (i = 0; i < count; i++)
		if (!td_num(c, width, &n) || !td_take(c, n))
			return td_cut(c, what);
	return 0;
}

static int td_formats(struct td_cur *c)
{
	uint64_t n, systems, i;
	int err;

	if (!td_num(c, 4, &n))
		return td_cut(c, "ftrace formats");
	err = td_files(c, n, 8, "ftrace formats");
	if (err)
		return err;
	if (!td_num(c, 4, &systems))
		return td_cut(c, "event formats");
	for (i = 0; i < systems && !err; i++) {
		if (!td_str(c, NULL) || !td_num(c, 4, &n))
			return td_cut(c, "event formats");
		err = td_files(c, n, 8, "event formats");
	}
	if (!err)
		err = td_files(c, 2, 4, "kallsyms and printk formats");
	if (!err)
		err = td_files(c, 1, 8, "saved command lines");
	return err;
}

/* Options (id 2 bytes, size 4) up to id 0, as often as they come. */
static int td_options(struct td_cur *c)
{
	uint64_t id, n;

	while (td_str(c, "options  ")) {
		do {
			if (!td_num(c, 2, &id))
				return td_cut(c, "options");
			if (id && (!td_num(c, 4, &n) || !td_take(c, n)))
				return td_cut(c, "options");
		} while (id);
	}
	return 0;
}

/* The first buffer's table: one page-aligned (offset, size) per CPU. */
static int td_flyrecord(struct td_cur *c, uint64_t cpus)
{
	uint64_t i, off, size;
	size_t end;

	if (td_str(c, "latency  "))
		return 0;
	if (!td_str(c, "flyrecord"))
		return c->len - c->pos < sizeof("flyrecord") ?
		       td_cut(c, "options") :
		       td_bad(c, BT_E_CORRUPT, "trace.dat has neither "
			      "flyrecord nor latency data after its header");
	if (cpus > (c->len - c->pos) / 16)
		return td_cut(c, "flyrecord table");
	end = c->pos + (size_t)cpus * 16;
	for (i = 0; i < cpus; i++) {
		if (!td_num(c, 8, &off) || !td_num(c, 8, &size))
			return td_cut(c, "flyrecord table");
		if (off % TD_MIN_PAGE || off < end)
			return td_bad(c, BT_E_CORRUPT, "trace.dat says the data "
				      "of cpu %llu starts at byte %llu, inside "
				      "its header (%llu cpus claimed)",
				      (unsigned long long)i,
				      (unsigned long long)off,
				      (unsigned long long)cpus);
	}
	return 0;
}

static int td_check_v6(struct td_cur *c)
{
	uint64_t cpus;
	int err;

	err = td_sized(c, "header_page");
	if (!err)
		err = td_sized(c, "header_event");
	if (!err)
		err = td_formats(c);
	if (err)
		return err;
	if (!td_num(c, 4, &cpus))
		return td_cut(c, "cpu count");
	if (!cpus)
		return td_bad(c, BT_E_CORRUPT, "trace.dat header claims 0 cpus");
	if (cpus > BT_MAX_CPUS)
		return td_bad(c, BT_E_UNSUPPORTED, "trace.dat header claims "
			      "%llu cpus (a .bt holds at most %u)",
			      (unsigned long long)cpus, BT_MAX_CPUS);
	err = td_options(c);
	return err ? err : td_flyrecord(c, cpus);
}

static int td_check_v7(struct td_cur *c)
{
	uint64_t off;

	if (!td_str(c, NULL) || !td_str(c, NULL))
		return td_cut(c, "compression header");
	if (!td_num(c, 8, &off))
		return td_cut(c, "section offset");
	if (off < c->pos || off >= c->len)
		return td_bad(c, BT_E_TRUNCATED, "trace.dat's first section "
			      "at byte %llu lies beyond its %zu bytes",
			      (unsigned long long)off, c->len);
	return 0;
}

/* Magic, version, endianness, long size and page size, then by version. */
static int td_check_buf(struct td_cur *c)
{
	static const unsigned char magic[] = "\027\010\104tracing";
	uint64_t page, big = 0, lsize = 0;
	uint64_t version;
	const char *v;

	if (c->len < sizeof(magic) - 1 ||
	    memcmp(c->d, magic, sizeof(magic) - 1))
		return td_bad(c, BT_E_FORMAT, "not a trace.dat file");
	c->pos = sizeof(magic) - 1;
	v = (const char *)c->d + c->pos;
	if (!td_str(c, NULL))
		return td_cut(c, "version");
	if (bt_parse_u64(v, (long)strlen(v), 10, &version) ||
	    (version != 6 && version != 7))
		return td_bad(c, BT_E_UNSUPPORTED, "trace.dat version '%.8s' "
			      "(versions 6 and 7 are read)", v);
	if (!td_num(c, 1, &big) || !td_num(c, 1, &lsize))
		return td_cut(c, "header");
	if (big > 1 || (lsize != 4 && lsize != 8))
		return td_bad(c, BT_E_CORRUPT, "trace.dat header claims "
			      "byte order %llu and %llu-byte longs",
			      (unsigned long long)big,
			      (unsigned long long)lsize);
	c->big = big != 0;
	if (!td_num(c, 4, &page))
		return td_cut(c, "header");
	if (page < TD_MIN_PAGE || page > TD_MAX_PAGE || (page & (page - 1)))
		return td_bad(c, BT_E_CORRUPT, "trace.dat header claims a "
			      "page size of %llu bytes",
			      (unsigned long long)page);
	return version == 6 ? td_check_v6(c) : td_check_v7(c);
}

int bt_tracedat_check(const char *path, char *why, size_t why_len)
{
	struct td_cur c = { .why = why, .why_len = why_len };
	struct stat sb;
	void *d;
	int fd, err;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) || !sb.st_size) {
		close(fd);
		return td_bad(&c, BT_E_TRUNCATED, "trace.dat is empty");
	}
	c.len = (size_t)sb.st_size;
	d = mmap(NULL, c.len, PROT_READ, MAP_PRIVATE, fd, 0);
	err = d == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return err;
	c.d = d;
	err = td_check_buf(&c);
	munmap(d, c.len);
	return err;
}
