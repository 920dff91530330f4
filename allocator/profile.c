// SPDX-License-Identifier: GPL-2.0-only
/*
 * profile.c - kernel profiles and configuration defaults of the model.
 *
 * A profile is the rule set of a kernel era: "4.12" (the behaviour the
 * project started from) and "6.x" (6.16..6.19, the spec's v6.19). The
 * release string of a trace picks one; the user may override it. The
 * kernel version is kept too, for the few rules that moved inside 6.x.
 */
#include <errno.h>
#include <string.h>

#include "allocator/buddy.h"
#include "common/common.h"

void bt_buddy_config_init(struct bt_buddy_config *cfg,
			  enum bt_buddy_profile profile)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->profile = profile;
	cfg->kernel_version = 0;
	cfg->max_order = BT_BUDDY_MAX_ORDER;
	cfg->pageblock_order = 9;
	cfg->nr_cpus = 1;
	cfg->min_free_kbytes = 0;
	cfg->watermark_scale_factor = 10;
	/* 4.12 had no watermark boosting (added in 5.0). */
	cfg->watermark_boost_factor = profile == BT_PROFILE_4_12 ? 0 : 15000;
	cfg->extfrag_threshold = 500;
	cfg->compaction_proactiveness = profile == BT_PROFILE_4_12 ? 0 : 20;
	cfg->lowmem_reserve_ratio[BT_ZONE_DMA] = 256;
	cfg->lowmem_reserve_ratio[BT_ZONE_DMA32] = 256;
	cfg->lowmem_reserve_ratio[BT_ZONE_NORMAL] = 32;
	cfg->lowmem_reserve_ratio[BT_ZONE_MOVABLE] = 0;
	cfg->pcp_high = -1;
	cfg->pcp_batch = -1;
	cfg->fallback_policy = BT_FALLBACK_PROFILE;
	cfg->compaction = true;
	cfg->capture = profile != BT_PROFILE_4_12;
}

static int parse_num(const char **s, unsigned int *out)
{
	unsigned int v = 0;
	int n = 0;

	while (**s >= '0' && **s <= '9' && n < 6) {
		v = v * 10 + (unsigned int)(**s - '0');
		(*s)++;
		n++;
	}
	if (!n)
		return BT_E_PARSE;
	*out = v;
	return 0;
}

int bt_buddy_profile_from_release(const char *release,
				  enum bt_buddy_profile *profile,
				  uint32_t *kver)
{
	unsigned int major, minor, patch = 0;
	const char *s = release;

	if (!s || parse_num(&s, &major) || *s++ != '.' || parse_num(&s, &minor))
		return BT_E_PARSE;
	if (*s == '.') {
		s++;
		if (parse_num(&s, &patch))
			patch = 0;
	}
	if (major > 255 || minor > 255)
		return BT_E_PARSE;
	*profile = major < 5 ? BT_PROFILE_4_12 : BT_PROFILE_6X;
	if (kver)
		*kver = BT_KVER(major, minor, patch > 255 ? 255 : patch);
	return 0;
}

int bt_buddy_profile_parse(const char *name, enum bt_buddy_profile *profile)
{
	if (!strcmp(name, "4.12")) {
		*profile = BT_PROFILE_4_12;
		return 0;
	}
	if (!strcmp(name, "6.x") || !strcmp(name, "6")) {
		*profile = BT_PROFILE_6X;
		return 0;
	}
	return BT_E_PARSE;
}

const char *bt_buddy_profile_name(enum bt_buddy_profile profile)
{
	return profile == BT_PROFILE_4_12 ? "4.12" : "6.x";
}
