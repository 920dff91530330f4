// SPDX-License-Identifier: GPL-2.0-only
/*
 * gfp.c - gfp masks in buddytrace's own bit layout (BT_GFP_*), whatever
 * kernel printed or stored them.
 *
 * Kernels print gfp masks as '|'-joined names (show_gfp_flags() in
 * include/trace/events/mmflags.h): composites first (GFP_KERNEL, ...), then
 * single __GFP_ bits, then leftover bits in hex. The bit values changed many
 * times between 3.x and 6.x, but the names kept their meaning, so every
 * translation here goes by name:
 *
 * - bt_gfp_from_names() parses printed text. Composite names expand to
 *   their definition in current (6.x) kernels, written in canonical bits;
 *   names of older kernels map onto the bit that took over their meaning
 *   (__GFP_WAIT -> DIRECT_RECLAIM, __GFP_REPEAT -> RETRY_MAYFAIL, ...) or
 *   onto nothing when the flag has no counterpart (__GFP_COLD). A bare hex
 *   value is read in the 6.18 layout.
 * - bt_gfp_map_*() translate raw binary masks: a map learned from the
 *   (value, name) pairs of a kernel's __print_flags table in the event's
 *   format file, as perf kmem does, or the default map of 6.18.
 *
 * Bits that no name explains become BT_GFP_OTHER, so nothing is silently
 * dropped.
 */
#include <string.h>

#include "traces.h"

struct gfp_name {
	const char *name;
	uint64_t set;		/* canonical bits the name stands for */
	uint64_t clear;		/* canonical bits it takes away (3.x NO_KSWAPD) */
};

#define G(n) BT_GFP_##n

/* Current composite definitions (include/linux/gfp_types.h, 6.x). */
#define C_RECLAIM (G(DIRECT_RECLAIM) | G(KSWAPD_RECLAIM))
#define C_KERNEL (C_RECLAIM | G(IO) | G(FS))
#define C_USER (C_KERNEL | G(HARDWALL))
#define C_HIGHUSER (C_USER | G(HIGHMEM))
#define C_HIGHUSER_MOVABLE (C_HIGHUSER | G(MOVABLE))
#define C_TRANSHUGE_LIGHT ((C_HIGHUSER_MOVABLE | G(COMP) | G(NOMEMALLOC) | \
			    G(NOWARN)) & ~C_RECLAIM)

/*
 * Every name a kernel may print. Single-bit names first: bt_gfp_map_learn
 * accepts only names whose entry is flagged single.
 */
static const struct {
	struct gfp_name n;
	bool single;		/* one kernel bit (learnable from a table) */
} names[] = {
	{ { "__GFP_DMA", G(DMA), 0 }, true },
	{ { "__GFP_HIGHMEM", G(HIGHMEM), 0 }, true },
	{ { "__GFP_DMA32", G(DMA32), 0 }, true },
	{ { "__GFP_MOVABLE", G(MOVABLE), 0 }, true },
	{ { "__GFP_RECLAIMABLE", G(RECLAIMABLE), 0 }, true },
	{ { "__GFP_HIGH", G(HIGH), 0 }, true },
	{ { "__GFP_IO", G(IO), 0 }, true },
	{ { "__GFP_FS", G(FS), 0 }, true },
	{ { "__GFP_ZERO", G(ZERO), 0 }, true },
	{ { "__GFP_ATOMIC", G(ATOMIC), 0 }, true },
	{ { "__GFP_DIRECT_RECLAIM", G(DIRECT_RECLAIM), 0 }, true },
	{ { "__GFP_KSWAPD_RECLAIM", G(KSWAPD_RECLAIM), 0 }, true },
	{ { "__GFP_WRITE", G(WRITE), 0 }, true },
	{ { "__GFP_NOWARN", G(NOWARN), 0 }, true },
	{ { "__GFP_RETRY_MAYFAIL", G(RETRY_MAYFAIL), 0 }, true },
	{ { "__GFP_NOFAIL", G(NOFAIL), 0 }, true },
	{ { "__GFP_NORETRY", G(NORETRY), 0 }, true },
	{ { "__GFP_MEMALLOC", G(MEMALLOC), 0 }, true },
	{ { "__GFP_COMP", G(COMP), 0 }, true },
	{ { "__GFP_NOMEMALLOC", G(NOMEMALLOC), 0 }, true },
	{ { "__GFP_HARDWALL", G(HARDWALL), 0 }, true },
	{ { "__GFP_THISNODE", G(THISNODE), 0 }, true },
	{ { "__GFP_ACCOUNT", G(ACCOUNT), 0 }, true },
	{ { "__GFP_ZEROTAGS", G(ZEROTAGS), 0 }, true },
	{ { "__GFP_NO_OBJ_EXT", G(NO_OBJ_EXT), 0 }, true },
	{ { "__GFP_NOTRACK", G(NOTRACK), 0 }, true },
	{ { "__GFP_NOLOCKDEP", G(NOLOCKDEP), 0 }, true },
	{ { "__GFP_OTHER", G(OTHER), 0 }, false },	/* our own output */
	/* older names, mapped onto the bit that took over their meaning */
	{ { "__GFP_WAIT", G(DIRECT_RECLAIM), 0 }, true },	/* <= 4.3 */
	{ { "__GFP_REPEAT", G(RETRY_MAYFAIL), 0 }, true },	/* <= 4.12 */
	{ { "__GFP_KMEMCG", G(ACCOUNT), 0 }, true },		/* 3.x */
	{ { "__GFP_NO_KSWAPD", 0, G(KSWAPD_RECLAIM) }, true },	/* 3.x */
	/* known kernel flags without a canonical counterpart */
	{ { "__GFP_COLD", 0, 0 }, true },
	{ { "__GFP_OTHER_NODE", 0, 0 }, true },
	{ { "__GFP_NOACCOUNT", 0, 0 }, true },
	{ { "__GFP_NOTRACK_FALSE_POSITIVE", G(NOTRACK), 0 }, false },
	{ { "__GFP_SKIP_ZERO", 0, 0 }, true },
	{ { "__GFP_SKIP_KASAN", 0, 0 }, true },
	{ { "__GFP_SKIP_KASAN_POISON", 0, 0 }, true },
	{ { "__GFP_SKIP_KASAN_UNPOISON", 0, 0 }, true },
	/* composites, as current kernels define them */
	{ { "__GFP_RECLAIM", C_RECLAIM, 0 }, false },
	{ { "__GFP_IOFS", G(IO) | G(FS), 0 }, false },		/* 3.x */
	{ { "GFP_IOFS", G(IO) | G(FS), 0 }, false },		/* 3.x */
	{ { "GFP_ATOMIC", G(HIGH) | G(KSWAPD_RECLAIM), 0 }, false },
	{ { "GFP_KERNEL", C_KERNEL, 0 }, false },
	{ { "GFP_KERNEL_ACCOUNT", C_KERNEL | G(ACCOUNT), 0 }, false },
	{ { "GFP_NOWAIT", G(KSWAPD_RECLAIM) | G(NOWARN), 0 }, false },
	{ { "GFP_NOIO", C_RECLAIM, 0 }, false },
	{ { "GFP_NOFS", C_RECLAIM | G(IO), 0 }, false },
	{ { "GFP_USER", C_USER, 0 }, false },
	{ { "GFP_DMA", G(DMA), 0 }, false },
	{ { "GFP_DMA32", G(DMA32), 0 }, false },
	{ { "GFP_HIGHUSER", C_HIGHUSER, 0 }, false },
	{ { "GFP_HIGHUSER_MOVABLE", C_HIGHUSER_MOVABLE, 0 }, false },
	{ { "GFP_TRANSHUGE_LIGHT", C_TRANSHUGE_LIGHT, 0 }, false },
	{ { "GFP_TRANSHUGE", C_TRANSHUGE_LIGHT | G(DIRECT_RECLAIM), 0 },
	  false },
	{ { "GFP_TEMPORARY", C_KERNEL | G(RECLAIMABLE), 0 }, false }, /* 4.x */
	{ { "GFP_THISNODE", G(THISNODE) | G(NOWARN) | G(NORETRY), 0 },
	  false },						/* 3.x */
};

#undef G

static int find_name(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < BT_ARRAY_SIZE(names); i++)
		if (strlen(names[i].n.name) == len &&
		    !memcmp(names[i].n.name, s, len))
			return (int)i;
	return -1;
}

static int hex_value(const char *s, size_t len, uint64_t *out)
{
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return bt_parse_u64(s, (long)len, 16, out);
	return BT_E_PARSE;
}

/*
 * 6.18 as built here (the mm_page_alloc format of this kernel): bits 0-8,
 * then 10 up to 24; 0x200 has been unused since __GFP_ATOMIC went in 6.3.
 */
static const char *const layout_618[] = {
	"__GFP_DMA", "__GFP_HIGHMEM", "__GFP_DMA32", "__GFP_MOVABLE",
	"__GFP_RECLAIMABLE", "__GFP_HIGH", "__GFP_IO", "__GFP_FS",
	"__GFP_ZERO", NULL, "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM",
	"__GFP_WRITE", "__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL",
	"__GFP_NORETRY", "__GFP_MEMALLOC", "__GFP_COMP", "__GFP_NOMEMALLOC",
	"__GFP_HARDWALL", "__GFP_THISNODE", "__GFP_ACCOUNT", "__GFP_ZEROTAGS",
	"__GFP_NO_OBJ_EXT",
};

/* A printed hex value (leftover bits) in the 6.18 layout. */
static uint64_t hex_to_canon(uint64_t raw)
{
	uint64_t out = 0;
	unsigned int b;
	int n;

	for (b = 0; b < 64; b++) {
		if (!(raw & (1ull << b)))
			continue;
		n = b < BT_ARRAY_SIZE(layout_618) && layout_618[b] ?
			find_name(layout_618[b], strlen(layout_618[b])) : -1;
		out |= n >= 0 ? names[n].n.set : BT_GFP_OTHER;
	}
	return out;
}

/* One '|'-separated piece: a name, a hex value or "none". */
static int one_piece(const char *s, size_t len, uint64_t *set,
		     uint64_t *clear)
{
	uint64_t raw;
	int i;

	if (len == 0 || (len == 4 && !memcmp(s, "none", 4)))
		return 0;
	i = find_name(s, len);
	if (i >= 0) {
		*set |= names[i].n.set;
		*clear |= names[i].n.clear;
		return 0;
	}
	if (hex_value(s, len, &raw) == 0) {
		*set |= hex_to_canon(raw);
		return 0;
	}
	*set |= BT_GFP_OTHER;
	return BT_E_PARSE;
}

int bt_gfp_from_names(const char *s, size_t len, uint64_t *out)
{
	uint64_t set = 0, clear = 0;
	size_t start = 0, i;
	int ret = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '|')
			continue;
		if (one_piece(s + start, i - start, &set, &clear))
			ret = BT_E_PARSE;
		start = i + 1;
	}
	*out = set & ~clear;
	return ret;
}

static const char *const canon_names[BT_GFP_BIT_COUNT] = {
#define BT_X_GFPNAME(n) "__GFP_" #n,
	BT_GFP_FLAGS(BT_X_GFPNAME)
#undef BT_X_GFPNAME
};

size_t bt_gfp_format(uint64_t mask, char *buf, size_t size)
{
	size_t n = 0, l;
	unsigned int b;

	if (size)
		buf[0] = '\0';
	if (!mask)
		return bt_strlcpy(buf, "none", size);
	for (b = 0; b < BT_GFP_BIT_COUNT; b++) {
		if (!(mask & (1ull << b)))
			continue;
		l = strlen(canon_names[b]);
		if (n && n + 1 < size)
			buf[n] = '|';
		n += n ? 1 : 0;
		if (n < size)
			bt_strlcpy(buf + n, canon_names[b], size - n);
		n += l;
	}
	if (mask >> BT_GFP_BIT_COUNT) {
		/* bits beyond the layout: print them as the hex they are */
		char tmp[24];

		l = (size_t)snprintf(tmp, sizeof(tmp), "%s0x%llx", n ? "|" : "",
				     (unsigned long long)(mask >>
							  BT_GFP_BIT_COUNT
							  << BT_GFP_BIT_COUNT));
		if (n < size)
			bt_strlcpy(buf + n, tmp, size - n);
		n += l;
	}
	return n;
}

void bt_gfp_map_init(struct bt_gfp_map *m)
{
	memset(m, 0, sizeof(*m));
}

void bt_gfp_map_learn(struct bt_gfp_map *m, uint64_t value, const char *name)
{
	uint64_t canon = BT_GFP_OTHER;
	unsigned int i;
	int n;

	/* composites and zero carry no bit of their own */
	if (value == 0 || (value & (value - 1)))
		return;
	n = find_name(name, strlen(name));
	if (n >= 0 && !names[n].single)
		return;
	if (n >= 0)
		canon = names[n].n.set;
	else if (strncmp(name, "__GFP_", 6))
		return;
	for (i = 0; i < m->nr; i++) {
		if (m->ent[i].kernel_mask == value) {
			m->ent[i].canon = canon;
			return;
		}
	}
	if (m->nr < BT_ARRAY_SIZE(m->ent)) {
		m->ent[m->nr].kernel_mask = value;
		m->ent[m->nr].canon = canon;
		m->nr++;
	}
}

uint64_t bt_gfp_map_apply(const struct bt_gfp_map *m, uint64_t raw)
{
	uint64_t out = 0, known = 0;
	unsigned int i;

	for (i = 0; i < m->nr; i++) {
		if (raw & m->ent[i].kernel_mask) {
			out |= m->ent[i].canon;
			known |= m->ent[i].kernel_mask;
		}
	}
	if (raw & ~known)
		out |= BT_GFP_OTHER;
	return out;
}

void bt_gfp_map_default(struct bt_gfp_map *m)
{
	unsigned int b;

	bt_gfp_map_init(m);
	for (b = 0; b < BT_ARRAY_SIZE(layout_618); b++)
		if (layout_618[b])
			bt_gfp_map_learn(m, 1ull << b, layout_618[b]);
}
