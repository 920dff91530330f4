// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-traces-gfp.c - gfp names and raw masks into buddytrace's canonical
 * layout, and back to names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "traces/traces.h"

#define KERNEL (BT_GFP_DIRECT_RECLAIM | BT_GFP_KSWAPD_RECLAIM | BT_GFP_IO | \
		BT_GFP_FS)
#define HIGHUSER_MOVABLE (KERNEL | BT_GFP_HARDWALL | BT_GFP_HIGHMEM | \
			  BT_GFP_MOVABLE)
#define TH_LIGHT ((HIGHUSER_MOVABLE | BT_GFP_COMP | BT_GFP_NOMEMALLOC | \
		   BT_GFP_NOWARN) & ~BT_GFP_RECLAIM)

static uint64_t names(const char *s, int want_ret)
{
	uint64_t m = 0xdead;

	assert_int_equal(bt_gfp_from_names(s, strlen(s), &m), want_ret);
	return m;
}

static void test_composites(void **state)
{
	(void)state;
	assert_int_equal(names("GFP_KERNEL", 0), KERNEL);
	assert_int_equal(names("GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP", 0),
			 KERNEL | BT_GFP_ACCOUNT | BT_GFP_ZERO | BT_GFP_COMP);
	assert_int_equal(names("GFP_ATOMIC", 0),
			 BT_GFP_HIGH | BT_GFP_KSWAPD_RECLAIM);
	assert_int_equal(names("GFP_NOWAIT", 0),
			 BT_GFP_KSWAPD_RECLAIM | BT_GFP_NOWARN);
	assert_int_equal(names("GFP_NOIO", 0), BT_GFP_RECLAIM);
	assert_int_equal(names("GFP_NOFS", 0), BT_GFP_RECLAIM | BT_GFP_IO);
	assert_int_equal(names("GFP_USER", 0), KERNEL | BT_GFP_HARDWALL);
	assert_int_equal(names("GFP_HIGHUSER_MOVABLE", 0), HIGHUSER_MOVABLE);
	assert_int_equal(names("GFP_TRANSHUGE_LIGHT", 0), TH_LIGHT);
	assert_int_equal(names("GFP_TRANSHUGE", 0),
			 TH_LIGHT | BT_GFP_DIRECT_RECLAIM);
	assert_int_equal(names("GFP_DMA|GFP_DMA32", 0),
			 BT_GFP_DMA | BT_GFP_DMA32);
	assert_int_equal(names("__GFP_RECLAIM", 0), BT_GFP_RECLAIM);
	assert_int_equal(names("none", 0), 0);
	assert_int_equal(names("", 0), 0);
}

static void test_old_names(void **state)
{
	(void)state;
	/* 3.x: WAIT is direct reclaim, NO_KSWAPD takes kswapd away */
	assert_int_equal(names("__GFP_WAIT|__GFP_IO|__GFP_NO_KSWAPD", 0),
			 BT_GFP_DIRECT_RECLAIM | BT_GFP_IO);
	assert_int_equal(names("GFP_KERNEL|__GFP_NO_KSWAPD", 0),
			 BT_GFP_DIRECT_RECLAIM | BT_GFP_IO | BT_GFP_FS);
	assert_int_equal(names("GFP_KERNEL|__GFP_REPEAT", 0),
			 KERNEL | BT_GFP_RETRY_MAYFAIL);
	assert_int_equal(names("GFP_TEMPORARY", 0), KERNEL | BT_GFP_RECLAIMABLE);
	assert_int_equal(names("GFP_IOFS|__GFP_COLD|__GFP_OTHER_NODE", 0),
			 BT_GFP_IO | BT_GFP_FS);
	assert_int_equal(names("__GFP_ATOMIC|__GFP_NOTRACK|__GFP_NOACCOUNT", 0),
			 BT_GFP_ATOMIC | BT_GFP_NOTRACK);
	assert_int_equal(names("__GFP_KSWAPD_RECLAIM|__GFP_WRITE", 0),
			 BT_GFP_KSWAPD_RECLAIM | BT_GFP_WRITE);
}

static void test_hex_and_unknown(void **state)
{
	(void)state;
	assert_int_equal(names("0xcc0", 0), KERNEL);
	/* 0x200 is unused since 6.3: no name explains it */
	assert_int_equal(names("GFP_KERNEL|0x200", 0), KERNEL | BT_GFP_OTHER);
	assert_int_equal(names("GFP_KERNEL|__GFP_BOGUS", BT_E_PARSE),
			 KERNEL | BT_GFP_OTHER);
	assert_int_equal(names("0xzz", BT_E_PARSE), BT_GFP_OTHER);
}

static void test_format_round_trip(void **state)
{
	char buf[512];
	uint64_t m, back;
	unsigned int b;
	size_t n;

	(void)state;
	assert_int_equal(bt_gfp_format(0, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "none");
	n = bt_gfp_format(KERNEL | BT_GFP_COMP, buf, sizeof(buf));
	assert_string_equal(buf, "__GFP_IO|__GFP_FS|__GFP_DIRECT_RECLAIM|"
			    "__GFP_KSWAPD_RECLAIM|__GFP_COMP");
	assert_int_equal(n, strlen(buf));
	for (b = 0; b < BT_GFP_BIT_COUNT; b++) {
		m = 1ull << b;
		n = bt_gfp_format(m, buf, sizeof(buf));
		assert_int_equal(bt_gfp_from_names(buf, n, &back), 0);
		assert_int_equal(back, m);
	}
	m = (1ull << BT_GFP_BIT_COUNT) - 1;
	n = bt_gfp_format(m, buf, sizeof(buf));
	assert_int_equal(bt_gfp_from_names(buf, n, &back), 0);
	assert_int_equal(back, m);
	/* snprintf-like: a short buffer is terminated, the length is whole */
	assert_int_equal(bt_gfp_format(m, buf, 8), n);
	assert_int_equal(strlen(buf), 7);
}

/* 4.12's layout (include/linux/gfp.h of 4.12), learned from its table. */
static void test_map_learn_412(void **state)
{
	struct bt_gfp_map m;

	(void)state;
	bt_gfp_map_init(&m);
	bt_gfp_map_learn(&m, 0x14000c0, "GFP_KERNEL");	/* composite: ignored */
	bt_gfp_map_learn(&m, 0x40, "__GFP_IO");
	bt_gfp_map_learn(&m, 0x80, "__GFP_FS");
	bt_gfp_map_learn(&m, 0x100, "__GFP_COLD");
	bt_gfp_map_learn(&m, 0x400, "__GFP_REPEAT");
	bt_gfp_map_learn(&m, 0x4000, "__GFP_COMP");
	bt_gfp_map_learn(&m, 0x400000, "__GFP_DIRECT_RECLAIM");
	bt_gfp_map_learn(&m, 0x1000000, "__GFP_KSWAPD_RECLAIM");
	bt_gfp_map_learn(&m, 0x1400000, "__GFP_RECLAIM");	/* composite */
	assert_int_equal(m.nr, 7);
	assert_int_equal(bt_gfp_map_apply(&m, 0x14000c0), KERNEL);
	assert_int_equal(bt_gfp_map_apply(&m, 0x14044c0),
			 KERNEL | BT_GFP_RETRY_MAYFAIL | BT_GFP_COMP);
	assert_int_equal(bt_gfp_map_apply(&m, 0x100), 0);
	assert_int_equal(bt_gfp_map_apply(&m, 0x8000040),
			 BT_GFP_IO | BT_GFP_OTHER);
	assert_int_equal(bt_gfp_map_apply(&m, 0), 0);
}

/* Typical values of 6.x (the print fmt of this kernel) against names. */
static void test_map_default(void **state)
{
	static const struct {
		uint64_t raw;
		const char *name;
	} v[] = {
		{ 0xcc0, "GFP_KERNEL" }, { 0x820, "GFP_ATOMIC" },
		{ 0x2800, "GFP_NOWAIT" }, { 0xc40, "GFP_NOFS" },
		{ 0xc00, "GFP_NOIO" }, { 0x100cca, "GFP_HIGHUSER_MOVABLE" },
		{ 0x1c20ca, "GFP_TRANSHUGE_LIGHT" },
		{ 0x1c24ca, "GFP_TRANSHUGE" }, { 0x400cc0, "GFP_KERNEL_ACCOUNT" },
		{ 0x1000000, "__GFP_NO_OBJ_EXT" },
	};
	struct bt_gfp_map m;
	size_t i;

	(void)state;
	bt_gfp_map_default(&m);
	assert_int_equal(m.nr, 24);
	for (i = 0; i < BT_ARRAY_SIZE(v); i++)
		assert_int_equal(bt_gfp_map_apply(&m, v[i].raw),
				 names(v[i].name, 0));
	assert_int_equal(bt_gfp_map_apply(&m, 0x200), BT_GFP_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_composites),
		cmocka_unit_test(test_old_names),
		cmocka_unit_test(test_hex_and_unknown),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_map_learn_412),
		cmocka_unit_test(test_map_default),
	};

	return cmocka_run_group_tests_name("traces-gfp", tests, NULL, NULL);
}
