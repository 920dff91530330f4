// SPDX-License-Identifier: GPL-2.0-only
/*
 * corpus-memhog.c - the bounded memory hog of the corpus recorders
 * (traces/corpus/make-*.sh). It marks itself the first OOM victim, then maps
 * and touches anonymous memory chunk by chunk, optionally asking for THP
 * (madvise MADV_HUGEPAGE), and stops early when /proc/meminfo's
 * MemAvailable would fall below a floor, so a recording never takes the
 * machine down.
 *
 * usage: corpus-memhog MB [--thp] [--floor MB] [--chunk MB] [--hold MS]
 *                         [--free-every N]
 * --free-every N unmaps every Nth chunk right away (holes that fragment).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static long mem_available_mb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

static void oom_first(void)
{
	FILE *f = fopen("/proc/self/oom_score_adj", "w");

	if (!f || fputs("1000\n", f) < 0 || fclose(f)) {
		perror("corpus-memhog: oom_score_adj");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	long total = 0, floor_mb = 512, chunk = 16, hold_ms = 0, every = 0;
	int thp = 0, i;
	long done = 0, n = 0;
	struct timespec ts;

	oom_first();
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--thp"))
			thp = 1;
		else if (!strcmp(argv[i], "--floor") && i + 1 < argc)
			floor_mb = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--chunk") && i + 1 < argc)
			chunk = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--hold") && i + 1 < argc)
			hold_ms = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--free-every") && i + 1 < argc)
			every = strtol(argv[++i], NULL, 10);
		else
			total = strtol(argv[i], NULL, 10);
	}
	if (total <= 0 || chunk <= 0) {
		fprintf(stderr, "usage: corpus-memhog MB [--thp] [--floor MB] "
			"[--chunk MB] [--hold MS] [--free-every N]\n");
		return 2;
	}
	for (done = 0; done < total; done += chunk, n++) {
		size_t len = (size_t)chunk << 20;
		char *p;

		if (mem_available_mb() - chunk < floor_mb) {
			fprintf(stderr, "corpus-memhog: stopped at %ld MB "
				"(floor %ld MB)\n", done, floor_mb);
			break;
		}
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("corpus-memhog: mmap");
			return 1;
		}
		if (thp)
			madvise(p, len, MADV_HUGEPAGE);
		for (size_t off = 0; off < len; off += 4096)
			p[off] = (char)off;
		if (every && n % every == 0)
			munmap(p, len);
	}
	if (hold_ms > 0) {
		ts.tv_sec = hold_ms / 1000;
		ts.tv_nsec = (hold_ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
	printf("corpus-memhog: touched %ld MB\n", done);
	return 0;
}
