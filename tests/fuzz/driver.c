// SPDX-License-Identifier: GPL-2.0-only
/*
 * driver.c - runs a fuzz target over files, without libFuzzer, so that
 * every corpus is also an ordinary regression test built by the normal
 * compiler (the way zstd's tests/fuzz regression driver works).
 *
 * usage: fuzz-<target> [FILE|DIR]...
 * With no argument, the target's own corpus is read:
 * $BT_TOP/tests/fuzz/corpus/<target>/ (BT_TOP defaults to "."). Each
 * file is read whole and handed to LLVMFuzzerTestOneInput() once. A
 * crash or a sanitizer report is the failure; the driver itself only
 * fails when it cannot read its inputs or finds none.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned int nr_inputs;

static int run_file(const char *path)
{
	struct bt_buf b;
	unsigned char *copy;
	size_t len;
	int err;

	bt_buf_init(&b);
	err = bt_read_file(path, &b);
	if (err) {
		fprintf(stderr, "fuzz driver: cannot read '%s': %s\n", path,
			bt_strerror(err));
		return err;
	}
	/* An exact-size copy so that ASan sees reads past the input. */
	copy = malloc(b.len ? b.len : 1);
	if (!copy) {
		bt_buf_release(&b);
		return -ENOMEM;
	}
	len = b.len;
	if (len)
		memcpy(copy, b.data, len);
	bt_buf_release(&b);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	nr_inputs++;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of @dir, in name order (reproducible runs). */
static int run_dir(const char *dir)
{
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t nr = 0, i;
	int err = 0;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "fuzz driver: cannot open '%s': %s\n", dir,
			strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = bt_xrealloc(names, (nr + 1) * sizeof(*names));
		names[nr++] = bt_xstrdup(de->d_name);
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), name_cmp);
	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!err)
			err = run_file(path);
		free(names[i]);
	}
	free(names);
	return err;
}

static int run_path(const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		fprintf(stderr, "fuzz driver: cannot open '%s': %s\n", path,
			strerror(errno));
		return -errno;
	}
	return S_ISDIR(st.st_mode) ? run_dir(path) : run_file(path);
}

/* $BT_TOP/tests/fuzz/corpus/<target> for a binary named fuzz-<target>. */
static void default_dir(const char *argv0, char *out, size_t size)
{
	const char *base = strrchr(argv0, '/');
	const char *top = getenv("BT_TOP");

	base = base ? base + 1 : argv0;
	if (!strncmp(base, "fuzz-", 5))
		base += 5;
	snprintf(out, size, "%s/tests/fuzz/corpus/%s", top ? top : ".", base);
}

int main(int argc, char **argv)
{
	char dir[4096];
	int i, err = 0;

	if (argc < 2) {
		default_dir(argv[0], dir, sizeof(dir));
		err = run_path(dir);
	}
	for (i = 1; i < argc && !err; i++)
		err = run_path(argv[i]);
	if (err)
		return 1;
	if (!nr_inputs) {
		fprintf(stderr, "fuzz driver: no inputs\n");
		return 1;
	}
	printf("%s: %u inputs\n", argv[0], nr_inputs);
	return 0;
}
