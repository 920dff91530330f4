// SPDX-License-Identifier: GPL-2.0-only
/*
 * tmpfile.c - a named temporary file in $TMPDIR (else /tmp), for the
 * places that must hand a seekable path to a library: standard input
 * spooled for libtracecmd, a cut trace.dat padded back to its size.
 * A name, not an unlinked descriptor, because libtracecmd opens by path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int bt_tmpfile_open(const char *prefix, char **path)
{
	const char *dir = getenv("TMPDIR");
	size_t n;
	char *p;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	n = strlen(dir) + strlen(prefix) + sizeof("/-XXXXXX");
	p = malloc(n);
	if (!p)
		return -ENOMEM;
	snprintf(p, n, "%s/%s-XXXXXX", dir, prefix);
	fd = mkstemp(p);
	if (fd < 0) {
		fd = -errno;
		free(p);
		return fd;
	}
	*path = p;
	return fd;
}
