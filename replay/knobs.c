// SPDX-License-Identifier: GPL-2.0-only
/*
 * knobs.c - replay options: defaults, KNOB=VALUE parsing with range
 * checks, and the names of knobs, stages, verdicts and inconsistency
 * kinds that the summary, the JSON output and the command line share.
 *
 * Every name comes from the X-macro tables in replay.h so the enum, the
 * parser and the printed keys can never disagree.
 */
#include <string.h>

#include "replay.h"

struct knob_def {
	const char *name;
	int64_t lo, hi;
};

static const struct knob_def knob_defs[BT_KNOB_COUNT] = {
#define BT_X_KNOB_DEF(id, nm, l, h) [BT_KNOB_##id] = { #nm, l, h },
	BT_REPLAY_KNOBS(BT_X_KNOB_DEF)
#undef BT_X_KNOB_DEF
};

static const char *const stage_names[BT_REPLAY_STAGE_COUNT] = {
#define BT_X_STAGE_NAME(id, nm) [BT_REPLAY_STAGE_##id] = #nm,
	BT_REPLAY_STAGES(BT_X_STAGE_NAME)
#undef BT_X_STAGE_NAME
};

static const char *const incons_names[BT_INC_COUNT] = {
#define BT_X_INC_NAME(id, nm) [BT_INC_##id] = #nm,
	BT_REPLAY_INCONS(BT_X_INC_NAME)
#undef BT_X_INC_NAME
};

static const char *const verdict_names[BT_VERDICT_COUNT] = {
	[BT_VERDICT_FAST] = "fast",
	[BT_VERDICT_SLOW] = "slow",
	[BT_VERDICT_FAILED] = "failed",
	[BT_VERDICT_FREE] = "free",
	[BT_VERDICT_PCP] = "pcp",
	[BT_VERDICT_IGNORED] = "ignored",
	[BT_VERDICT_INCONSISTENT] = "inconsistent",
};

static const char *const policy_names[] = {
	[BT_REPLAY_FALLBACK_KERNEL] = "kernel",
	[BT_REPLAY_FALLBACK_LARGEST] = "largest",
	[BT_REPLAY_FALLBACK_CLAIM_STEAL] = "claim_steal",
	[BT_REPLAY_FALLBACK_NONE] = "none",
};

void bt_replay_opts_init(struct bt_replay_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = BT_REPLAY_MIRROR;
	o->profile = BT_REPLAY_PROFILE_AUTO;
}

const char *bt_replay_knob_name(unsigned int knob)
{
	return knob < BT_KNOB_COUNT ? knob_defs[knob].name : "?";
}

const char *bt_replay_stage_name(unsigned int stage)
{
	return stage < BT_REPLAY_STAGE_COUNT ? stage_names[stage] : "?";
}

const char *bt_replay_verdict_name(unsigned int verdict)
{
	return verdict < BT_VERDICT_COUNT ? verdict_names[verdict] : "?";
}

const char *bt_replay_incons_name(unsigned int kind)
{
	return kind < BT_INC_COUNT ? incons_names[kind] : "?";
}

const char *bt_replay_mode_name(enum bt_replay_mode mode)
{
	return mode == BT_REPLAY_MODEL ? "model" : "mirror";
}

const char *bt_replay_profile_name(enum bt_replay_profile p)
{
	switch (p) {
	case BT_REPLAY_PROFILE_4_12:
		return "4.12";
	case BT_REPLAY_PROFILE_6_X:
		return "6.x";
	default:
		return "auto";
	}
}

static int parse_policy(const char *v, int64_t *out)
{
	for (size_t i = 0; i < BT_ARRAY_SIZE(policy_names); i++) {
		if (!strcmp(v, policy_names[i])) {
			*out = (int64_t)i;
			return 0;
		}
	}
	return bt_parse_i64(v, -1, 0, out);
}

int bt_replay_knob_set(struct bt_replay_knobs *k, const char *kv)
{
	const char *eq = strchr(kv, '=');
	int64_t v;
	int err;

	if (!eq || eq == kv || !eq[1])
		return BT_E_USAGE;
	for (unsigned int i = 0; i < BT_KNOB_COUNT; i++) {
		const struct knob_def *d = &knob_defs[i];

		if (strlen(d->name) != (size_t)(eq - kv) ||
		    memcmp(d->name, kv, (size_t)(eq - kv)))
			continue;
		if (i == BT_KNOB_FALLBACK_POLICY)
			err = parse_policy(eq + 1, &v);
		else
			err = bt_parse_i64(eq + 1, -1, 0, &v);
		if (err)
			return err;
		if (v < d->lo || v > d->hi)
			return BT_E_RANGE;
		k->set[i] = true;
		k->value[i] = v;
		return 0;
	}
	return BT_E_USAGE;
}

void bt_replay_knob_range(unsigned int knob, int64_t *lo, int64_t *hi)
{
	*lo = knob < BT_KNOB_COUNT ? knob_defs[knob].lo : 0;
	*hi = knob < BT_KNOB_COUNT ? knob_defs[knob].hi : 0;
}
