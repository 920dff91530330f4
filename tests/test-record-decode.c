// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-record-decode.c - ring-buffer sub-buffers built by hand, decoded
 * with formats parsed from text: field offsets, pfn -1, signed fields,
 * gfp translation through the learned (not the default) flag table, the
 * print string, missed-event markers and stack attachment.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <event-parse.h>
#include <kbuffer.h>

#include "record/record-internal.h"

#define HDR \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

/*
 * A kernel whose __GFP_MOVABLE is bit 5 and __GFP_IO bit 9: only a map
 * learned from this table gets the canonical bits right.
 */
static const char fmt_alloc[] =
	"name: mm_page_alloc\nID: 653\nformat:\n" HDR
	"\tfield:unsigned long pfn;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int order;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long gfp_flags;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:int migratetype;\toffset:32;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"pfn=0x%lx order=%d migratetype=%d gfp_flags=%s\", "
	"REC->pfn, REC->order, REC->migratetype, (REC->gfp_flags) ? "
	"__print_flags(REC->gfp_flags, \"|\", "
	"{( unsigned long)(( gfp_t)((((1UL))) << (5))|(( gfp_t)((((1UL))) << (9)))), \"GFP_WEIRD\"}, "
	"{( unsigned long)(( gfp_t)((((1UL))) << (5))), \"__GFP_MOVABLE\"}, "
	"{( unsigned long)(( gfp_t)((((1UL))) << (9))), \"__GFP_IO\"}, "
	"{( unsigned long)(( gfp_t)((((1UL))) << (18))), \"__GFP_COMP\"}"
	") : \"none\"\n";

static const char fmt_free[] =
	"name: mm_page_free\nID: 654\nformat:\n" HDR
	"\tfield:unsigned long pfn;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int order;\toffset:16;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"pfn=0x%lx order=%d\", REC->pfn, REC->order\n";

static const char fmt_print[] =
	"name: print\nID: 5\nformat:\n" HDR
	"\tfield:unsigned long ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:char buf[];\toffset:16;\tsize:0;\tsigned:0;\n\n"
	"print fmt: \"%ps: %s\", (void *)REC->ip, REC->buf\n";

static const char fmt_stack[] =
	"name: kernel_stack\nID: 4\nformat:\n" HDR
	"\tfield:int size;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned long caller[8];\toffset:16;\tsize:64;\tsigned:0;\n\n"
	"print fmt: \"%p\", (void *)REC->caller[0]\n";

static const char fmt_kswapd[] =
	"name: mm_vmscan_kswapd_sleep\nID: 700\nformat:\n" HDR
	"\tfield:int nid;\toffset:8;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"nid=%d\", REC->nid\n";

/* The kprobe --slowpath-probe defines, as tracefs describes it. */
static const char fmt_probe[] =
	"name: alloc_slowpath\nID: 2000\nformat:\n" HDR
	"\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u32 gfp_flags;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 order;\toffset:20;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"(%lx) gfp_flags=0x%x order=%u\", REC->__probe_ip, "
	"REC->gfp_flags, REC->order\n";

struct fixture {
	struct tep_handle *tep;
	struct bt_rec_decoder dec;
	struct kbuffer *kbuf;
	unsigned char page[4096];
	size_t len;		/* bytes of event data so far */
	uint64_t last_ts;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct bt_rec_evsel sel;
	enum bt_event_type missing;

	assert_non_null(f);
	f->tep = tep_alloc();
	tep_set_long_size(f->tep, 8);
	tep_set_page_size(f->tep, 4096);
	assert_int_equal(tep_parse_event(f->tep, fmt_alloc,
					  strlen(fmt_alloc), "kmem"), 0);
	assert_int_equal(tep_parse_event(f->tep, fmt_free,
					  strlen(fmt_free), "kmem"), 0);
	assert_int_equal(tep_parse_event(f->tep, fmt_print,
					  strlen(fmt_print), "ftrace"), 0);
	assert_int_equal(tep_parse_event(f->tep, fmt_stack,
					  strlen(fmt_stack), "ftrace"), 0);
	assert_int_equal(tep_parse_event(f->tep, fmt_kswapd,
					  strlen(fmt_kswapd), "vmscan"), 0);
	assert_int_equal(tep_parse_event(f->tep, fmt_probe, strlen(fmt_probe),
					 "buddytrace_42"), 0);
	memset(&sel, 0, sizeof(sel));
	sel.on[BT_EV_PAGE_ALLOC] = sel.on[BT_EV_PAGE_FREE] = true;
	sel.on[BT_EV_PRINT] = true;
	assert_int_equal(bt_rec_decoder_init(&f->dec, f->tep, &sel, &missing),
			 0);
	assert_int_equal(bt_rec_decoder_learn_gfp(&f->dec, f->tep), 0);
	assert_int_equal(bt_rec_decoder_add(&f->dec, f->tep, "buddytrace_42",
					    "alloc_slowpath",
					    BT_EV_SLOWPATH_PROBE), 0);
	f->kbuf = kbuffer_alloc(KBUFFER_LSIZE_8, KBUFFER_ENDIAN_LITTLE);
	assert_non_null(f->kbuf);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	bt_rec_decoder_release(&f->dec);
	kbuffer_free(f->kbuf);
	tep_free(f->tep);
	free(f);
	return 0;
}

/* Start a sub-buffer at @ts; @missed: 0, -1 (flag only) or a count. */
static void page_begin(struct fixture *f, uint64_t ts)
{
	memset(f->page, 0, sizeof(f->page));
	memcpy(f->page, &ts, 8);
	f->len = 0;
	f->last_ts = ts;
}

static void page_add(struct fixture *f, uint64_t ts, const void *rec,
		     size_t size)
{
	uint32_t hdr, delta = (uint32_t)(ts - f->last_ts);
	size_t padded = (size + 3) & ~(size_t)3;

	assert_true(padded <= 112);
	hdr = (uint32_t)(padded / 4) | (delta << 5);
	memcpy(f->page + 16 + f->len, &hdr, 4);
	memcpy(f->page + 16 + f->len + 4, rec, size);
	f->len += 4 + padded;
	f->last_ts = ts;
}

static void page_end(struct fixture *f, int missed)
{
	uint64_t commit = f->len;

	if (missed) {
		commit |= 1ull << 31;
		if (missed > 0) {
			uint64_t n = (uint64_t)missed;

			commit |= 1ull << 30;
			memcpy(f->page + 16 + f->len, &n, 8);
		}
	}
	memcpy(f->page + 8, &commit, 8);
}

struct rec_alloc {
	uint16_t type;
	uint8_t flags, preempt;
	int32_t pid;
	uint64_t pfn;
	uint32_t order, pad;
	uint64_t gfp;
	int32_t mt, pad2;
};

static void add_alloc(struct fixture *f, uint64_t ts, int pid, uint64_t pfn,
		      unsigned int order, uint64_t gfp, int mt)
{
	struct rec_alloc r = { 653, 0, 0, pid, pfn, order, 0, gfp, mt, 0 };

	page_add(f, ts, &r, 36);
}

static uint32_t stack_cb(void *data, const uint64_t *ips, unsigned int nr)
{
	uint64_t *seen = data;

	seen[0] = nr;
	seen[1] = ips[0];
	seen[2] = ips[nr - 1];
	return 7;
}

static void test_alloc_fields(void **state)
{
	struct fixture *f = *state;
	struct bt_rec_batch b = { 0 };

	page_begin(f, 1000);
	add_alloc(f, 1010, 42, 0x123456, 3, (1u << 5) | (1u << 9) | (1u << 18),
		  1);
	add_alloc(f, 1020, 43, UINT64_MAX, 9, 1u << 5, -1);
	page_end(f, 0);
	assert_int_equal(bt_rec_decode_subbuf(&f->dec, f->kbuf, f->page, 1, &b,
					      NULL, NULL), 0);
	assert_int_equal(b.nr, 2);
	assert_int_equal(b.data_bytes, 2 * 40);
	assert_int_equal(b.ev[0].type, BT_EV_PAGE_ALLOC);
	assert_int_equal(b.ev[0].ts, 1010);
	assert_int_equal(b.ev[0].cpu, 1);
	assert_int_equal(b.ev[0].pid, 42);
	assert_int_equal(b.ev[0].arg[0], 0x123456);
	assert_int_equal(b.ev[0].arg[1], 3);
	assert_int_equal(b.ev[0].arg[2],
			 BT_GFP_MOVABLE | BT_GFP_IO | BT_GFP_COMP);
	assert_int_equal(b.ev[0].arg[3], 1);
	/* failed allocation, and a signed field sign-extended */
	assert_true(b.ev[1].arg[0] == BT_PFN_NONE);
	assert_int_equal(b.ev[1].arg[2], BT_GFP_MOVABLE);
	assert_int_equal((int64_t)b.ev[1].arg[3], -1);
	assert_int_equal(b.ev[1].ts, 1020);
	assert_int_equal(b.missed, 0);
	bt_rec_batch_release(&b);
}

static void test_print_and_unknown(void **state)
{
	struct fixture *f = *state;
	struct bt_rec_batch b = { 0 };
	unsigned char rec[40] = { 0 };
	uint16_t id = 5, kid = 700;
	int32_t pid = 9;

	page_begin(f, 5000);
	memcpy(rec, &id, 2);
	memcpy(rec + 4, &pid, 4);
	memcpy(rec + 16, "alloc-workload begin\n", 22);
	page_add(f, 5001, rec, 38);
	/* an event the decoder was not asked for: counted, skipped */
	memset(rec, 0, sizeof(rec));
	memcpy(rec, &kid, 2);
	page_add(f, 5002, rec, 12);
	page_end(f, 0);
	assert_int_equal(bt_rec_decode_subbuf(&f->dec, f->kbuf, f->page, 0, &b,
					      NULL, NULL), 0);
	assert_int_equal(b.nr, 1);
	assert_int_equal(b.skipped, 1);
	assert_int_equal(b.ev[0].type, BT_EV_PRINT);
	assert_int_equal(b.ev[0].str_len, 20);
	assert_memory_equal(b.ev[0].str, "alloc-workload begin", 20);
	bt_rec_batch_release(&b);
}

static void test_missed(void **state)
{
	struct fixture *f = *state;
	struct bt_rec_batch b = { 0 };

	page_begin(f, 9000);
	add_alloc(f, 9005, 1, 100, 0, 0, 0);
	page_end(f, 321);
	assert_int_equal(bt_rec_decode_subbuf(&f->dec, f->kbuf, f->page, 1, &b,
					      NULL, NULL), 0);
	assert_int_equal(b.nr, 2);
	assert_int_equal(b.ev[0].type, BT_EV_LOST);
	assert_int_equal(b.ev[0].arg[0], 321);
	assert_int_equal(b.ev[0].cpu, 1);
	assert_int_equal(b.ev[0].ts, 9005);
	assert_int_equal(b.missed, 321);
	assert_int_equal(b.ev[1].type, BT_EV_PAGE_ALLOC);

	/* flagged without a count */
	b.nr = 0;
	page_begin(f, 9100);
	add_alloc(f, 9105, 1, 100, 0, 0, 0);
	page_end(f, -1);
	assert_int_equal(bt_rec_decode_subbuf(&f->dec, f->kbuf, f->page, 1, &b,
					      NULL, NULL), 0);
	assert_int_equal(b.ev[0].type, BT_EV_LOST);
	assert_int_equal(b.ev[0].arg[0], 0);
	assert_true(b.missed_unknown);
	assert_int_equal(b.missed, 0);
	bt_rec_batch_release(&b);
}

static void test_stack_attach(void **state)
{
	struct fixture *f = *state;
	struct bt_rec_batch b = { 0 };
	unsigned char rec[48] = { 0 };
	uint16_t sid = 4;
	int32_t n = 3;
	uint64_t ips[3] = { 0xffffffff81000010ull, 0xffffffff81000020ull,
			    0xffffffff81000030ull }, seen[3] = { 0 };

	page_begin(f, 100);
	add_alloc(f, 110, 5, 200, 1, 0, 0);
	memcpy(rec, &sid, 2);
	memcpy(rec + 8, &n, 4);
	memcpy(rec + 16, ips, sizeof(ips));
	page_add(f, 110, rec, 40);
	add_alloc(f, 120, 5, 300, 0, 0, 0);
	page_end(f, 0);
	assert_int_equal(bt_rec_decode_subbuf(&f->dec, f->kbuf, f->page, 0, &b,
					      stack_cb, seen), 0);
	assert_int_equal(b.nr, 2);
	assert_int_equal(b.ev[0].stack_id, 7);
	assert_int_equal(b.ev[1].stack_id, 0);
	assert_int_equal(seen[0], 3);
	assert_int_equal(seen[1], ips[0]);
	assert_int_equal(seen[2], ips[2]);
	bt_rec_batch_release(&b);
}

static void test_time_order(void **state)
{
	struct fixture *f = *state;
	struct bt_rec_batch b = { 0 };

	/* A later page whose stamp is behind the last event seen. */
	b.last_ts = 50000;
	page_begin(f, 40000);
	add_alloc(f, 40001, 1, 1, 0, 0, 0);
	page_end(f, 0);
	assert_int_equal(bt_rec_decode_subbuf(&f->dec, f->kbuf, f->page, 0, &b,
					      NULL, NULL), 0);
	assert_int_equal(b.ev[0].ts, 50000);
	bt_rec_batch_release(&b);
}

static void test_probe_event(void **state)
{
	struct fixture *f = *state;
	struct bt_rec_batch b = { 0 };
	unsigned char rec[24] = { 0 };
	uint16_t id = 2000;
	int32_t pid = 77;
	uint32_t gfp = (1u << 5) | (1u << 18), order = 9;

	page_begin(f, 100);
	memcpy(rec, &id, 2);
	memcpy(rec + 4, &pid, 4);
	memcpy(rec + 16, &gfp, 4);
	memcpy(rec + 20, &order, 4);
	page_add(f, 105, rec, 24);
	page_end(f, 0);
	assert_int_equal(bt_rec_decode_subbuf(&f->dec, f->kbuf, f->page, 0, &b,
					      NULL, NULL), 0);
	assert_int_equal(b.nr, 1);
	assert_int_equal(b.ev[0].type, BT_EV_SLOWPATH_PROBE);
	assert_int_equal(b.ev[0].pid, 77);
	assert_int_equal(b.ev[0].arg[0], 9);	/* order */
	assert_int_equal(b.ev[0].arg[1], BT_GFP_MOVABLE | BT_GFP_COMP);
	assert_int_equal(bt_rec_decoder_add(&f->dec, f->tep, "nope",
					    "alloc_slowpath",
					    BT_EV_SLOWPATH_PROBE),
			 BT_E_NO_EVENT);
	bt_rec_batch_release(&b);
}

static void test_missing_event(void **state)
{
	struct fixture *f = *state;
	struct bt_rec_decoder d;
	struct bt_rec_evsel sel;
	enum bt_event_type missing;

	memset(&sel, 0, sizeof(sel));
	sel.on[BT_EV_COMPACTION_BEGIN] = true;
	assert_int_equal(bt_rec_decoder_init(&d, f->tep, &sel, &missing),
			 BT_E_NO_EVENT);
	assert_int_equal(missing, BT_EV_COMPACTION_BEGIN);
	bt_rec_decoder_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_fields),
		cmocka_unit_test(test_print_and_unknown),
		cmocka_unit_test(test_missed),
		cmocka_unit_test(test_stack_attach),
		cmocka_unit_test(test_time_order),
		cmocka_unit_test(test_probe_event),
		cmocka_unit_test(test_missing_event),
	};

	return cmocka_run_group_tests_name("record-decode", tests, setup,
					   teardown);
}
