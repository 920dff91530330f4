// SPDX-License-Identifier: GPL-2.0-only
/*
 * tracedat-recover.c - reading what remains of a trace.dat cut short.
 *
 * A version 6 file keeps, before the data, one "flyrecord" table per buffer:
 * the offset and size of every CPU's data, page aligned. Padding a copy of
 * the file with zeros up to the largest end those tables promise lets
 * libtracecmd open it; a zero page is an empty ring-buffer page, so every
 * whole page that survived is read and the rest reads as nothing. The
 * tables also say exactly which CPUs of which buffer lost how much.
 *
 * libtracecmd 1.3 opens such a file with a warning and then crashes on
 * its buffer instances, so every version 6 file is checked before it is
 * opened. Version 7 files write their section index after the data, so a
 * cut one has nothing to go on; libtracecmd refuses those (exit 65).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracedat.h"

#define TD_MAX_TABLES 64
#define TD_MAX_CPUS 1024
#define TD_ALIGN 4096
/* Zero pages read fast (about 1 us each), but a damaged table may promise
 * anything: beyond this the file is called damaged, not cut. */
#define TD_MAX_END (64ull << 30)

struct td_cpu_span {
	unsigned int table, cpu;
	uint64_t offset, size;
};

struct td_layout {
	struct td_cpu_span *span;
	unsigned int nr, tables;
	uint64_t end;		/* largest offset + size */
};

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Parse the (offset, size) pairs that follow one "flyrecord\0". */
static int parse_table(const unsigned char *d, size_t len, size_t pos,
		       struct td_layout *l)
{
	unsigned int cpu;
	struct td_cpu_span *s;

	for (cpu = 0; cpu < TD_MAX_CPUS && pos + 16 <= len; cpu++, pos += 16) {
		uint64_t off = get_le64(d + pos), size = get_le64(d + pos + 8);

		if (off % TD_ALIGN || size % TD_ALIGN || off <= pos ||
		    off > TD_MAX_END || size > TD_MAX_END - off)
			break;
		s = realloc(l->span, (l->nr + 1) * sizeof(*s));
		if (!s)
			return -ENOMEM;
		l->span = s;
		s[l->nr] = (struct td_cpu_span){ l->tables, cpu, off, size };
		l->nr++;
		l->end = BT_MAX(l->end, off + size);
	}
	if (cpu)
		l->tables++;
	return 0;
}

static int find_layout(const unsigned char *d, size_t len, struct td_layout *l)
{
	static const char tag[] = "flyrecord";	/* with its NUL */
	const unsigned char *p = d;
	int err = 0;

	/* Instances' tables sit between the buffers' data: scan it all. */
	while (!err && l->tables < TD_MAX_TABLES) {
		p = memmem(p, len - (size_t)(p - d), tag, sizeof(tag));
		if (!p)
			break;
		p += sizeof(tag);
		err = parse_table(d, len, (size_t)(p - d), l);
	}
	return err;
}

static int copy_padded(const unsigned char *d, size_t len, uint64_t end,
		       char **tmp)
{
	char tpl[] = "/tmp/buddytrace-tracedat-XXXXXX";
	const char *dir = getenv("TMPDIR");
	char *path;
	size_t off = 0;
	int fd, err = 0;

	if (dir && *dir) {
		size_t n = strlen(dir) + sizeof("/buddytrace-tracedat-XXXXXX");

		path = malloc(n);
		if (path)
			snprintf(path, n, "%s/buddytrace-tracedat-XXXXXX", dir);
	} else {
		path = strdup(tpl);
	}
	if (!path)
		return -ENOMEM;
	fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return -errno;
	}
	while (off < len && !err) {
		ssize_t n = write(fd, d + off, len - off);

		if (n < 0)
			err = errno == EINTR ? 0 : -errno;
		else
			off += (size_t)n;
	}
	if (!err && ftruncate(fd, (off_t)end) < 0)
		err = -errno;
	close(fd);
	if (err) {
		unlink(path);
		free(path);
		return err;
	}
	*tmp = path;
	return 0;
}

static void describe(struct tracecmd_input *h, const struct td_layout *l,
		     uint64_t have, struct bt_buf *missing)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++) {
		const struct td_cpu_span *s = &l->span[i];
		const char *name = NULL;
		uint64_t kept;

		if (s->offset + s->size <= have || !s->size)
			continue;
		kept = have > s->offset ? have - s->offset : 0;
		if (s->table > 0)
			name = tracecmd_buffer_instance_name(h,
							     (int)s->table - 1);
		bt_buf_printf(missing, "%sbuffer '%s' cpu %u: %llu of %llu KB",
			      missing->len ? "; " : "", name ? name : "",
			      s->cpu, (unsigned long long)kept / 1024,
			      (unsigned long long)s->size / 1024);
	}
}

struct tracecmd_input *td_recover_open(const char *path, char **tmp,
				       struct bt_buf *missing, bool *cut)
{
	struct td_layout l = { 0 };
	struct tracecmd_input *h = NULL;
	const unsigned char *d = MAP_FAILED;
	struct stat sb;
	size_t len = 0;
	int fd;

	*tmp = NULL;
	*cut = false;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	if (!fstat(fd, &sb) && sb.st_size >= 16) {
		len = (size_t)sb.st_size;
		d = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	close(fd);
	if (d == MAP_FAILED)
		return NULL;
	if (memcmp(d, "\027\010\104tracing6", 11) ||
	    find_layout(d, len, &l) || !l.nr || l.end <= len)
		goto out;
	*cut = true;
	if (copy_padded(d, len, l.end, tmp))
		goto out;
	h = tracecmd_open(*tmp, TRACECMD_FL_LOAD_NO_PLUGINS |
				TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS);
	if (h)
		describe(h, &l, len, missing);
out:
	if (!h && *tmp) {
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	free(l.span);
	munmap((void *)d, len);
	return h;
}
