// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe.c - the optional kprobe on the allocator's slow-path entry.
 *
 * Most slow-path entries leave no tracepoint, so the recorded view can
 * only give a lower bound on them. Where the kernel offers kprobe events,
 * a probe on __alloc_pages_slowpath (whatever suffix the compiler gave
 * it: ".constprop.0" is common) makes them exact. Its arguments are read
 * from the calling-convention registers of the first two parameters
 * (gfp_t gfp_mask, unsigned int order), which is why the definition
 * depends on the architecture.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record-internal.h"

static const struct {
	const char *arch;
	const char *gfp;	/* first argument register */
	const char *order;	/* second */
} regs[] = {
	{ "x86_64", "%di", "%si" },
	{ "aarch64", "%x0", "%x1" },
	{ "arm64", "%x0", "%x1" },
	{ "riscv64", "%a0", "%a1" },
	{ "ppc64le", "%r3", "%r4" },
	{ "ppc64", "%r3", "%r4" },
	{ "s390x", "%r2", "%r3" },
};

int bt_rec_probe_define(char *buf, size_t size, const char *group,
			const char *symbol, const char *arch)
{
	size_t i;

	for (i = 0; i < BT_ARRAY_SIZE(regs); i++) {
		if (strcmp(regs[i].arch, arch))
			continue;
		return snprintf(buf, size,
				"p:%s/alloc_slowpath %s gfp_flags=%s:x32 "
				"order=%s:u32",
				group, symbol, regs[i].gfp, regs[i].order);
	}
	return BT_E_UNSUPPORTED;
}

bool bt_rec_probe_is_stale(const char *line, char *group, size_t size)
{
	const char *p = line, *slash;
	size_t plen = strlen(BT_REC_PROBE_PREFIX), n;
	uint64_t pid;

	if (p[0] != 'p' && p[0] != 'r')
		return false;
	p = strchr(p, ':');
	if (!p || strncmp(++p, BT_REC_PROBE_PREFIX, plen))
		return false;
	slash = strchr(p, '/');
	if (!slash || bt_parse_u64(p + plen, slash - p - (long)plen, 10,
				   &pid) < 0 || !pid || pid > 4194304)
		return false;
	n = (size_t)(slash - p);
	if (n >= size)
		return false;
	memcpy(group, p, n);
	group[n] = '\0';
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

int bt_rec_probe_cleanup(const char *tracefs, unsigned int *removed)
{
	char path[600], group[64], *line, *save = NULL;
	struct bt_buf b;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", tracefs);
	if (bt_read_file(path, &b) < 0)
		return 0;	/* no kprobes here: nothing of ours either */
	for (line = strtok_r((char *)b.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!bt_rec_probe_is_stale(line, group, sizeof(group)))
			continue;
		f = fopen(path, "ae");
		if (!f || fprintf(f, "-:%s/alloc_slowpath\n", group) < 0 ||
		    fclose(f) != 0)
			ret = -EBUSY;
		else
			(*removed)++;
	}
	bt_buf_release(&b);
	return ret;
}
