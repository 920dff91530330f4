// SPDX-License-Identifier: GPL-2.0-only
/*
 * evsel.c - which tracepoints a recording enables.
 *
 * Only events of the normalized model (traces/events.c) can be recorded:
 * the recorder stores normalized events, never raw ones, so -e accepts
 * names from that table, by event, by "system:event" or by whole system,
 * and refuses anything else with the offending name.
 */
#include <string.h>

#include "record-internal.h"

/* The vmscan events the default set takes (the others are LRU detail). */
static const char *const default_vmscan[] = {
	"mm_vmscan_wakeup_kswapd", "mm_vmscan_kswapd_wake",
	"mm_vmscan_kswapd_sleep", "mm_vmscan_direct_reclaim_begin",
	"mm_vmscan_direct_reclaim_end", "mm_vmscan_memcg_reclaim_begin",
	"mm_vmscan_memcg_reclaim_end",
};

bool bt_rec_evsel_is_tracepoint(unsigned int type)
{
	const struct bt_event_desc *d = bt_event_desc(type);

	return d && d->system && d->system[0] &&
	       strcmp(d->system, "buddytrace") != 0;
}

void bt_rec_evsel_default(struct bt_rec_evsel *s)
{
	unsigned int t;
	size_t i;

	memset(s, 0, sizeof(*s));
	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		const struct bt_event_desc *d = bt_event_desc(t);

		if (!bt_rec_evsel_is_tracepoint(t))
			continue;
		if (!strcmp(d->system, "kmem") || !strcmp(d->system, "compaction")
		    || !strcmp(d->system, "oom") || !strcmp(d->system, "ftrace"))
			s->on[t] = true;
		for (i = 0; i < BT_ARRAY_SIZE(default_vmscan); i++)
			if (!strcmp(d->name, default_vmscan[i]))
				s->on[t] = true;
	}
	/* 3.x only: not a tracepoint of any kernel we record on. */
	s->on[BT_EV_PAGEVEC_FREE] = false;
}

unsigned int bt_rec_evsel_count(const struct bt_rec_evsel *s)
{
	unsigned int t, n = 0;

	for (t = 1; t < BT_EV_TYPE_COUNT; t++)
		n += s->on[t];
	return n;
}

/* Set every type matching @sys (may be NULL) and @name (may be NULL). */
static unsigned int evsel_set(struct bt_rec_evsel *s, const char *sys,
			      const char *name, bool on)
{
	unsigned int t, hits = 0;

	for (t = 1; t < BT_EV_TYPE_COUNT; t++) {
		const struct bt_event_desc *d = bt_event_desc(t);

		if (!bt_rec_evsel_is_tracepoint(t) || t == BT_EV_PAGEVEC_FREE)
			continue;
		if (sys && strcmp(d->system, sys))
			continue;
		if (name && strcmp(d->name, name))
			continue;
		s->on[t] = on;
		hits++;
	}
	return hits;
}

static int evsel_word(struct bt_rec_evsel *s, char *w)
{
	bool on = true;
	char *colon;

	if (*w == '-' || *w == '+') {
		on = *w == '+';
		w++;
	}
	if (!*w)
		return BT_E_USAGE;
	colon = strchr(w, ':');
	if (colon) {
		*colon = '\0';
		if (!strcmp(colon + 1, "*") || !colon[1])
			return evsel_set(s, w, NULL, on) ? 0 : BT_E_USAGE;
		return evsel_set(s, w, colon + 1, on) ? 0 : BT_E_USAGE;
	}
	/* A bare word: a whole system first, then an event name. */
	if (evsel_set(s, w, NULL, on))
		return 0;
	return evsel_set(s, NULL, w, on) ? 0 : BT_E_USAGE;
}

int bt_rec_evsel_apply(struct bt_rec_evsel *s, const char *spec, char *bad,
		       size_t bad_size)
{
	char copy[256], word[256], *save = NULL, *w;

	if (bt_strlcpy(copy, spec, sizeof(copy)) >= sizeof(copy)) {
		bt_strlcpy(bad, spec, bad_size);
		return BT_E_USAGE;
	}
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		bt_strlcpy(word, w, sizeof(word));
		if (evsel_word(s, w) < 0) {
			bt_strlcpy(bad, word, bad_size);
			return BT_E_USAGE;
		}
	}
	return 0;
}
