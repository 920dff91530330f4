// SPDX-License-Identifier: GPL-2.0-only
/*
 * alloc-workload - allocate and free known amounts of memory, so that a
 * recording of it can be checked against what it must contain.
 *
 * usage: alloc-workload [-m MARKER_FILE] STEP...
 *   anon=MB            mmap MB of anonymous memory, touch every page, unmap
 *   pagecache=MB:FILE  write MB to FILE, fsync, drop its cache, read it
 *                      back, unlink it
 *   thp=N              N 2 MB regions with MADV_HUGEPAGE, touched; reports
 *                      how many became huge pages
 *   churn=SECONDS      map, touch and unmap 1 MB in a loop (high event rate)
 *   nice=N             setpriority to N (e.g. -20) before the next steps
 * With -m, writes "alloc-workload begin|end" to MARKER_FILE (trace_marker).
 * Prints one line: pid=... anon_pages=... pagecache_pages=... thp_ok=...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define HPAGE (2UL << 20)

static unsigned long anon_pages, pc_pages, thp_ok, thp_tried, churn_loops;

static void die(const char *what)
{
	fprintf(stderr, "alloc-workload: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void touch(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += PAGE)
		p[i] = 1;
}

static void anon(unsigned long mb)
{
	size_t len = mb << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	/* Small pages only: the test counts order-0 allocations. */
	madvise(p, len, MADV_NOHUGEPAGE);
	touch(p, len);
	anon_pages += len / PAGE;
	munmap(p, len);
}

static void pagecache(unsigned long mb, const char *path)
{
	static char buf[1 << 16];
	size_t len = mb << 20, done;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		die(path);
	memset(buf, 'x', sizeof(buf));
	for (done = 0; done < len; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			die("write");
	if (fsync(fd) < 0)
		die("fsync");
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	lseek(fd, 0, SEEK_SET);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pc_pages += 2 * (len / PAGE);	/* written, then read back */
	close(fd);
	unlink(path);
}

/* Whether the region became one huge page (AnonHugePages in smaps). */
static int is_huge(char *p)
{
	char line[256];
	unsigned long start, end, kb;
	int in = 0, huge = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 &&
		    strchr(line, ' ') && strchr(line, '-') < strchr(line, ' '))
			in = (unsigned long)p >= start && (unsigned long)p < end;
		else if (in && sscanf(line, "AnonHugePages: %lu", &kb) == 1)
			huge = kb >= 2048;
	}
	fclose(f);
	return huge;
}

static void thp(unsigned long n)
{
	size_t len = HPAGE * (n + 1);
	char *raw = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;
	unsigned long i;

	if (raw == MAP_FAILED)
		die("mmap");
	p = (char *)(((unsigned long)raw + HPAGE - 1) & ~(HPAGE - 1));
	madvise(p, HPAGE * n, MADV_HUGEPAGE);
	for (i = 0; i < n; i++) {
		p[i * HPAGE] = 1;
		thp_tried++;
		thp_ok += is_huge(p + i * HPAGE);
	}
	touch(p, HPAGE * n);
	munmap(raw, len);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void churn(double secs)
{
	double end = now() + secs;
	size_t len = 1 << 20;

	while (now() < end) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int i;

		if (p == MAP_FAILED)
			die("mmap");
		madvise(p, len, MADV_NOHUGEPAGE);
		for (i = 0; i < 16; i++) {
			touch(p, len);
			madvise(p, len, MADV_DONTNEED);
			churn_loops++;
		}
		munmap(p, len);
	}
}

static void marker(const char *file, const char *what)
{
	char msg[64];
	int fd, n;

	if (!file)
		return;
	fd = open(file, O_WRONLY);
	if (fd < 0)
		return;
	n = snprintf(msg, sizeof(msg), "alloc-workload %s", what);
	if (write(fd, msg, (size_t)n) < 0)
		perror("alloc-workload: marker");
	close(fd);
}

static void step(const char *s)
{
	char *colon;

	if (!strncmp(s, "anon=", 5))
		anon(strtoul(s + 5, NULL, 10));
	else if (!strncmp(s, "pagecache=", 10) && (colon = strchr(s, ':')))
		pagecache(strtoul(s + 10, NULL, 10), colon + 1);
	else if (!strncmp(s, "thp=", 4))
		thp(strtoul(s + 4, NULL, 10));
	else if (!strncmp(s, "churn=", 6))
		churn(strtod(s + 6, NULL));
	else if (!strncmp(s, "nice=", 5))
		setpriority(PRIO_PROCESS, 0, (int)strtol(s + 5, NULL, 10));
	else {
		fprintf(stderr, "alloc-workload: unknown step '%s'\n", s);
		exit(64);
	}
}

int main(int argc, char **argv)
{
	const char *mark = NULL;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-m")) {
		mark = argv[2];
		i = 3;
	}
	marker(mark, "begin");
	for (; i < argc; i++)
		step(argv[i]);
	marker(mark, "end");
	printf("pid=%d anon_pages=%lu pagecache_pages=%lu thp_tried=%lu "
	       "thp_ok=%lu churn_loops=%lu\n", (int)getpid(), anon_pages,
	       pc_pages, thp_tried, thp_ok, churn_loops);
	return 0;
}
