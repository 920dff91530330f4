// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-allocator-scan.c - the lookups that replace page-by-page walks:
 * bt_buddy_next_free_head() (free block heads in a pfn range, across
 * gaps between zones), bt_buddy_zone_nr_free() (the same counters as
 * bt_buddy_zone_info()), and the owner CPU recorded on pcp blocks.
 * Expected pfns follow from expand() (ALLOCATOR-SPEC.md 3.4): an order-4
 * allocation from one free order-10 block at S leaves order-o blocks at
 * S + 2^o for o = 4..9.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test-allocator.h"
#include "allocator/allocator-internal.h"

#define S 0x10000ull
#define MOV BT_BUDDY_GFP_HIGHUSER_MOVABLE

static void check_ok(struct bt_buddy *b)
{
	char err[256];

	if (bt_buddy_check(b, err, sizeof(err)))
		fail_msg("%s", err);
}

static struct bt_buddy *split_model(void)
{
	struct bt_buddy *b = test_empty(BT_PROFILE_6X, 1024, 0, 0, 0);
	struct bt_alloc_result res;

	assert_non_null(b);
	assert_int_equal(bt_buddy_add_free_block(b, S, 10, -1), 0);
	assert_int_equal(test_alloc(b, 4, MOV, 0, &res), 0);
	assert_int_equal(res.pfn, S);
	return b;
}

static void test_next_free_head(void **state)
{
	struct bt_buddy *b = split_model();
	unsigned int o = 99, n = 0;
	uint64_t pfn;

	(void)state;
	/* the allocated order-4 block at S is passed over */
	assert_int_equal(bt_buddy_next_free_head(b, S, S + 1024, &o), S + 16);
	assert_int_equal(o, 4);
	/* from inside a free block: the next head, not the block's own */
	assert_int_equal(bt_buddy_next_free_head(b, S + 17, S + 1024, &o),
			 S + 32);
	assert_int_equal(o, 5);
	assert_int_equal(bt_buddy_next_free_head(b, S + 300, S + 1024, &o),
			 S + 512);
	assert_int_equal(o, 9);
	/* none in range: the end comes back and @order is untouched */
	o = 99;
	assert_int_equal(bt_buddy_next_free_head(b, S, S + 16, &o), S + 16);
	assert_int_equal(bt_buddy_next_free_head(b, S + 513, S + 1024, &o),
			 S + 1024);
	assert_int_equal(o, 99);
	/* pfns below and above the zone are skipped, not an error */
	assert_int_equal(bt_buddy_next_free_head(b, 0, S + 1024, &o), S + 16);
	assert_int_equal(bt_buddy_next_free_head(b, S + 1024, S + 4096, &o),
			 S + 4096);
	/* walking head to head visits the six free blocks, orders 4..9 */
	for (pfn = bt_buddy_next_free_head(b, 0, S + 2048, &o);
	     pfn < S + 2048;
	     pfn = bt_buddy_next_free_head(b, pfn + 1, S + 2048, &o)) {
		assert_int_equal(pfn, S + (1ull << o));
		n++;
	}
	assert_int_equal(n, 6);
	bt_buddy_free_model(b);
}

static void test_zone_nr_free(void **state)
{
	struct bt_buddy *b = split_model();
	uint64_t nr[BT_BUDDY_NR_ORDERS];
	struct bt_zone_info zi;
	unsigned int o;

	(void)state;
	assert_int_equal(bt_buddy_zone_nr_free(b, 0, nr), 0);
	assert_int_equal(bt_buddy_zone_info(b, 0, &zi), 0);
	for (o = 0; o < BT_BUDDY_NR_ORDERS; o++) {
		assert_int_equal(nr[o], o >= 4 && o <= 9 ? 1 : 0);
		assert_int_equal(nr[o], zi.nr_free[o]);
	}
	assert_int_equal(bt_buddy_zone_nr_free(b, 1, nr), -EINVAL);
	assert_int_equal(bt_buddy_zone_nr_free(b, -1, nr), -EINVAL);
	bt_buddy_free_model(b);
}

static int count_pcp(const struct bt_block *blk, void *data)
{
	unsigned int *n = data;

	n[0]++;
	n[1] += (unsigned int)blk->pfn == (unsigned int)n[2];
	return 0;
}

/*
 * A refill puts a batch on CPU 2's list; a free from CPU 3 puts its block
 * on CPU 3's. Each pcp block knows its CPU (bt_buddy_check compares the
 * recorded owner with the list holding the block) and a forced
 * allocation of a pcp block reports whether it was the requester's.
 */
static void test_pcp_owner(void **state)
{
	struct bt_buddy *b = test_model(BT_PROFILE_6X, 4, S, 1024, 0, 0, 0);
	struct bt_alloc_result res, r2;
	struct bt_alloc_request rq;
	unsigned int n[3] = {0, 0, 0};
	struct bt_zone *z;
	uint32_t idx;
	uint64_t freed;

	(void)state;
	assert_non_null(b);
	assert_int_equal(test_alloc(b, 0, MOV, 2, &res), 0);
	assert_true(res.from_pcp);
	freed = res.pfn;
	assert_int_equal(bt_buddy_free(b, freed, 0, 3, 0), 0);
	check_ok(b);
	z = bt_zone_of(b, freed, &idx);
	assert_non_null(z);
	assert_int_equal(ST_AT(z, idx), ST(PS_PCP, 0));
	assert_int_equal(bt_pcp_cpu_of(b, z, idx), 3);
	assert_int_equal(z->pcp[3].count, 1);
	/* every other pcp page is CPU 2's: its count is the rest */
	n[2] = (unsigned int)freed;
	assert_int_equal(bt_buddy_for_each_block(b, 0, 1u << BT_BLOCK_PCP,
						 count_pcp, n),
			 0);
	assert_int_equal(n[1], 1);
	assert_int_equal(n[0], (unsigned int)z->pcp[2].count + 1);
	assert_true(z->pcp[2].count > 0);
	/* forced (mirror) allocation of that block from CPU 3: its own list */
	bt_alloc_request_init(&rq, 0, MOV);
	rq.cpu = 3;
	rq.forced_pfn = freed;
	assert_int_equal(bt_buddy_alloc(b, &rq, &r2), 0);
	assert_int_equal(r2.forced_found, 1);
	assert_int_equal(z->pcp[3].count, 0);
	check_ok(b);
	bt_buddy_free_model(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_next_free_head),
	    cmocka_unit_test(test_zone_nr_free),
	    cmocka_unit_test(test_pcp_owner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
