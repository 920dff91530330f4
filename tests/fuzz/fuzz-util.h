/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz-util.h - helpers shared by the fuzz targets that read whole .bt
 * files: the input as a file the reader can open (a memfd, no disk),
 * and the trick that gets mutations past the checksums.
 *
 * Every section of a .bt carries CRCs, so a mutated file almost always
 * stops at a checksum. fuzz_fix_crcs() recomputes the file header's and
 * every section's CRCs in place, which lets mutations of lengths,
 * counts, varints and raw streams reach the decoders; a target runs an
 * input as it is (the damage paths) and, when that changes it, fixed.
 */
#ifndef BT_FUZZ_UTIL_H
#define BT_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "traces/traces-internal.h"

/* Recompute the file header CRC and each section's two CRCs in place. */
static inline void fuzz_fix_crcs(unsigned char *p, size_t size)
{
	size_t off = BT_FILE_HEADER_LEN;
	uint32_t len;

	if (size < BT_FILE_HEADER_LEN)
		return;
	bt_put_le32(p + 28, bt_crc32c(0, p, 28));
	while (off + BT_SECTION_HEADER_LEN <= size) {
		unsigned char *h = p + off;

		if (bt_get_le32(h) != BT_SECTION_SYNC) {
			unsigned char *n = memmem(h + 1, size - off - 1, "%BTS",
						  4);

			if (!n)
				return;
			off = (size_t)(n - p);
			continue;
		}
		len = bt_get_le32(h + 8);
		if (len > size - off - BT_SECTION_HEADER_LEN)
			len = (uint32_t)(size - off - BT_SECTION_HEADER_LEN);
		bt_put_le32(h + 16,
			    bt_crc32c(0, h + BT_SECTION_HEADER_LEN, len));
		bt_put_le32(h + 20, bt_crc32c(0, h, 20));
		off += BT_SECTION_HEADER_LEN + (size_t)len;
	}
}

/*
 * A copy of @data with its CRCs fixed, or NULL when fixing changes
 * nothing (or memory is short). Free it with free().
 */
static inline unsigned char *fuzz_fixed_copy(const uint8_t *data,
					     size_t size)
{
	unsigned char *fixed;

	if (!size)
		return NULL;
	fixed = malloc(size);
	if (!fixed)
		return NULL;
	memcpy(fixed, data, size);
	fuzz_fix_crcs(fixed, size);
	if (!memcmp(fixed, data, size)) {
		free(fixed);
		return NULL;
	}
	return fixed;
}

/*
 * Write @data to a new memfd and put its /proc/self/fd path in @path.
 * Returns the fd (close it when done); aborts when it cannot: the
 * harness itself failing is not a finding.
 */
static inline int fuzz_memfd(const uint8_t *data, size_t size, char *path,
			     size_t path_size)
{
	int fd = memfd_create("fuzz-bt", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
