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
#include <stdio.h>
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
