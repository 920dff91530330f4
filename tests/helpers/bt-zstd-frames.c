// SPDX-License-Identifier: GPL-2.0-only
/*
 * bt-zstd-frames.c - copy the zstd frames of every event chunk of a .bt
 * file into one file (a concatenation of frames is a valid zstd stream),
 * so that bench/traces.sh can time `zstd -d` on exactly the compressed
 * bytes a reader decompresses. Streams stored raw are skipped. Standalone
 * on purpose (test helpers link no library): it walks the layout of
 * buddytrace-trace(5) itself. Prints "frames N raw_bytes N events N".
 * usage: bt-zstd-frames IN.bt OUT.zst
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int varint(const unsigned char **p, const unsigned char *end,
		  uint64_t *v)
{
	unsigned int shift = 0;

	*v = 0;
	while (*p < end && shift < 64) {
		unsigned char b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
		shift += 7;
	}
	return -1;
}

/* The chunk body of one EVENTS payload: write its zstd frames. */
static int chunk(const unsigned char *p, const unsigned char *end, FILE *out,
		 unsigned long *frames, unsigned long long *raw)
{
	uint64_t r[16], s[16];
	unsigned int n, i;

	if (end - p < 1)
		return -1;
	n = *p++;
	if (n > 16)
		return -1;
	for (i = 0; i < n; i++)
		if (varint(&p, end, &r[i]) || varint(&p, end, &s[i]))
			return -1;
	for (i = 0; i < n; i++) {
		if (s[i] > (uint64_t)(end - p))
			return -1;
		if (s[i] != r[i]) {
			fwrite(p, 1, s[i], out);
			(*frames)++;
			*raw += r[i];
		}
		p += s[i];
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long raw = 0, events = 0;
	unsigned long frames = 0;
	unsigned char *buf;
	size_t size, off = 32;
	FILE *in, *out;
	long len;

	if (argc != 3)
		return 64;
	in = fopen(argv[1], "rb");
	out = fopen(argv[2], "wb");
	if (!in || !out || fseek(in, 0, SEEK_END) || (len = ftell(in)) < 32)
		return 66;
	size = (size_t)len;
	buf = malloc(size);
	rewind(in);
	if (!buf || fread(buf, 1, size, in) != size)
		return 74;
	while (off + 24 <= size) {
		uint32_t plen = le32(buf + off + 8);
		const unsigned char *p = buf + off + 24;

		if (plen > size - off - 24)
			break;
		if (buf[off + 4] == 5 && plen >= 40) {
			events += le32(p + 4);
			if (chunk(p + 40, p + plen, out, &frames, &raw))
				return 65;
		}
		off += 24 + (size_t)plen;
	}
	printf("frames %lu raw_bytes %llu events %llu\n", frames, raw, events);
	free(buf);
	return fclose(out) ? 74 : 0;
}
