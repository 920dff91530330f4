// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-record-units.c - the recorder's pieces that need no kernel: event
 * selection, the slow-path probe definition, per_cpu stats parsing, stale
 * instance names, the sysctl dump, kallsyms lookup, the stack table, and
 * the in-memory sink.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "record/record-internal.h"

static void test_evsel_default(void **state)
{
	struct bt_rec_evsel s;

	(void)state;
	bt_rec_evsel_default(&s);
	/* 6 kmem + 15 compaction + 7 vmscan + 8 oom + print */
	assert_int_equal(bt_rec_evsel_count(&s), 37);
	assert_true(s.on[BT_EV_PAGE_ALLOC]);
	assert_true(s.on[BT_EV_PAGE_FREE_BATCHED]);
	assert_true(s.on[BT_EV_VMSCAN_MEMCG_RECLAIM_END]);
	assert_true(s.on[BT_EV_OOM_MARK_VICTIM]);
	assert_true(s.on[BT_EV_PRINT]);
	assert_false(s.on[BT_EV_PAGEVEC_FREE]);
	assert_false(s.on[BT_EV_LOST]);
	assert_false(s.on[BT_EV_SLOWPATH_PROBE]);
}

static void test_evsel_apply(void **state)
{
	struct bt_rec_evsel s;
	char bad[64] = "";

	(void)state;
	bt_rec_evsel_default(&s);
	assert_int_equal(bt_rec_evsel_apply(&s, "-kmem:mm_page_free_batched",
					    bad, sizeof(bad)), 0);
	assert_false(s.on[BT_EV_PAGE_FREE_BATCHED]);
	assert_int_equal(bt_rec_evsel_apply(&s, "-compaction,-oom", bad,
					    sizeof(bad)), 0);
	assert_int_equal(bt_rec_evsel_count(&s), 37 - 1 - 15 - 8);
	assert_int_equal(bt_rec_evsel_apply(&s, "mm_compaction_begin", bad,
					    sizeof(bad)), 0);
	assert_true(s.on[BT_EV_COMPACTION_BEGIN]);
	assert_int_equal(bt_rec_evsel_apply(&s, "compaction:*", bad,
					    sizeof(bad)), 0);
	assert_int_equal(bt_rec_evsel_count(&s), 37 - 1 - 8);
	assert_int_equal(bt_rec_evsel_apply(&s, "-vmscan", bad, sizeof(bad)),
			 0);
	assert_false(s.on[BT_EV_VMSCAN_WAKEUP_KSWAPD]);
	assert_int_equal(bt_rec_evsel_apply(&s, "mm_page_free,kmem:kmalloc",
					    bad, sizeof(bad)), BT_E_USAGE);
	assert_string_equal(bad, "kmem:kmalloc");
	assert_int_equal(bt_rec_evsel_apply(&s, "-", bad, sizeof(bad)),
			 BT_E_USAGE);
	assert_int_equal(bt_rec_evsel_apply(&s, "kmem:mm_pagevec_free", bad,
					    sizeof(bad)), BT_E_USAGE);
}

static void test_probe_define(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(bt_rec_probe_define(buf, sizeof(buf), "buddytrace_42",
					     "__alloc_pages_slowpath.constprop.0",
					     "x86_64"), 97);
	assert_string_equal(buf, "p:buddytrace_42/alloc_slowpath "
			    "__alloc_pages_slowpath.constprop.0 "
			    "gfp_flags=%di:x32 order=%si:u32");
	assert_true(bt_rec_probe_define(buf, sizeof(buf), "g",
					"__alloc_pages_slowpath", "aarch64") > 0);
	assert_string_equal(buf, "p:g/alloc_slowpath __alloc_pages_slowpath "
			    "gfp_flags=%x0:x32 order=%x1:u32");
	assert_int_equal(bt_rec_probe_define(buf, sizeof(buf), "g", "f",
					     "m68k"), BT_E_UNSUPPORTED);
}

static pid_t reaped_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

static void test_probe_stale(void **state)
{
	char line[128], group[64] = "";

	(void)state;
	snprintf(line, sizeof(line), "p:buddytrace_%d/alloc_slowpath "
		 "__alloc_pages_slowpath.constprop.0 gfp_flags=%%di:x32",
		 (int)reaped_pid());
	assert_true(bt_rec_probe_is_stale(line, group, sizeof(group)));
	assert_int_equal(strncmp(group, "buddytrace_", 11), 0);
	snprintf(line, sizeof(line), "p:buddytrace_%d/alloc_slowpath f",
		 (int)getpid());
	assert_false(bt_rec_probe_is_stale(line, group, sizeof(group)));
	assert_false(bt_rec_probe_is_stale("p:kprobes/foo bar", group,
					   sizeof(group)));
	assert_false(bt_rec_probe_is_stale("p:buddytrace_x/a f", group,
					   sizeof(group)));
	assert_false(bt_rec_probe_is_stale("# comment", group, sizeof(group)));
}

static void test_cpu_stats(void **state)
{
	const char text[] = "entries: 12\noverrun: 345\ncommit overrun: 7\n"
			    "bytes: 4096\noldest event ts:  12.5\n"
			    "now ts:  13.0\ndropped events: 6\n"
			    "read events: 100\n";
	uint64_t o, d, e;

	(void)state;
	assert_int_equal(bt_rec_parse_cpu_stats(text, &o, &d, &e), 0);
	assert_int_equal(o, 345);
	assert_int_equal(d, 6 + 7);	/* dropped and commit overrun */
	assert_int_equal(e, 12);
	assert_int_equal(bt_rec_parse_cpu_stats("overrun: x1\n", &o, &d, &e),
			 BT_E_PARSE);
}

static void test_stale_names(void **state)
{
	char name[64];

	(void)state;
	assert_false(bt_rec_instance_is_stale("foo"));
	assert_false(bt_rec_instance_is_stale("buddytrace-"));
	assert_false(bt_rec_instance_is_stale("buddytrace-12x"));
	assert_false(bt_rec_instance_is_stale("buddytrace-0"));
	/* live processes, whatever their name, keep their instance */
	snprintf(name, sizeof(name), "buddytrace-%d", (int)getpid());
	assert_false(bt_rec_instance_is_stale(name));
	assert_false(bt_rec_instance_is_stale("buddytrace-1"));
	/* a child that has exited and been reaped is gone */
	snprintf(name, sizeof(name), "buddytrace-%d", (int)reaped_pid());
	assert_true(bt_rec_instance_is_stale(name));
	assert_false(bt_rec_instance_is_stale("buddytrace-99999999"));
}

static void put_file(const char *dir, const char *name, const char *text,
		     mode_t mode)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void rm_files(const char *dir, const char **names)
{
	char path[256];

	for (; *names; names++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *names);
		unlink(path);
	}
	rmdir(dir);
}

static void test_sysctl_dir(void **state)
{
	char dir[] = "/tmp/bt-sysctl-XXXXXX";
	struct bt_buf b;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put_file(dir, "swappiness", "60\n", 0644);
	put_file(dir, "lowmem_reserve_ratio", "256\t256\t32\t0\n", 0644);
	put_file(dir, "min_free_kbytes", "67584\n", 0644);
	bt_buf_init(&b);
	assert_int_equal(bt_rec_read_sysctl_dir(dir, &b), 0);
	assert_string_equal((char *)b.data, "lowmem_reserve_ratio 256 256 32 0\n"
			    "min_free_kbytes 67584\nswappiness 60\n");
	bt_buf_release(&b);
	rm_files(dir, (const char *[]){ "swappiness", "lowmem_reserve_ratio",
					"min_free_kbytes", NULL });
}

static void test_ksyms(void **state)
{
	char path[] = "/tmp/bt-ksyms-XXXXXX", buf[128];
	struct bt_rec_ksyms *k;
	int fd = mkstemp(path);
	const char text[] =
		"ffffffff81000000 T _stext\n"
		"ffffffff8161e710 t __pfx___alloc_pages_slowpath.constprop.0\n"
		"ffffffff8161e720 t __alloc_pages_slowpath.constprop.0\n"
		"ffffffff81620000 T __alloc_pages_noprof\n"
		"0000000000000000 A fixed_percpu_data\n"
		"garbage line\n"
		"ffffffffc0000000 t foo_init [foo]\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1),
			 (ssize_t)sizeof(text) - 1);
	close(fd);
	k = bt_rec_ksyms_load(path);
	unlink(path);
	assert_non_null(k);
	assert_true(bt_rec_ksyms_lookup(k, 0xffffffff8161e7a5ull, buf,
					sizeof(buf)));
	assert_string_equal(buf, "__alloc_pages_slowpath.constprop.0+0x85");
	assert_true(bt_rec_ksyms_lookup(k, 0xffffffffc0000010ull, buf,
					sizeof(buf)));
	assert_string_equal(buf, "foo_init+0x10");
	assert_false(bt_rec_ksyms_lookup(k, 0x1000, buf, sizeof(buf)));
	assert_string_equal(bt_rec_ksyms_find_prefix(k,
						     "__alloc_pages_slowpath"),
			    "__alloc_pages_slowpath.constprop.0");
	/* a prefix must end at a '.' suffix, never inside a longer name */
	assert_null(bt_rec_ksyms_find_prefix(k, "__alloc_pages"));
	assert_string_equal(bt_rec_ksyms_find_prefix(k, "__alloc_pages_noprof"),
			    "__alloc_pages_noprof");
	assert_null(bt_rec_ksyms_find_prefix(k, "kmalloc"));
	assert_int_equal(bt_rec_ksyms_addr(k, "_stext"), 0xffffffff81000000ull);
	bt_rec_ksyms_free(k);
}

static void test_stacks(void **state)
{
	struct bt_rec_stacks *t = bt_rec_stacks_new();
	struct bt_rec_sink s;
	struct bt_rec_mem *m;
	uint64_t a[3] = { 0xffffffff81000010ull, 0xffffffff81000020ull, 3 };
	uint64_t ips[4];
	unsigned int i;

	(void)state;
	assert_non_null(t);
	assert_int_equal(bt_rec_stacks_intern(t, a, 3), 1);
	assert_int_equal(bt_rec_stacks_intern(t, a, 2), 2);
	assert_int_equal(bt_rec_stacks_intern(t, a, 3), 1);
	/* enough distinct stacks to grow the table several times */
	for (i = 0; i < 5000; i++) {
		ips[0] = i;
		ips[1] = i * 7;
		assert_int_equal(bt_rec_stacks_intern(t, ips, 2), 3 + i);
	}
	ips[0] = 17;
	ips[1] = 119;
	assert_int_equal(bt_rec_stacks_intern(t, ips, 2), 20);
	assert_int_equal(bt_rec_stacks_count(t), 5002);
	m = bt_rec_sink_open_mem(&s);
	assert_int_equal(bt_rec_stacks_emit(t, &s, NULL, NULL), 0);
	assert_int_equal(m->nr_stacks, 5002);
	assert_int_equal(m->stack_ids[0], 1);
	assert_int_equal(m->stack_nr[0], 3);
	assert_string_equal(m->stacks[0].a,
			    "0xffffffff81000010\n0xffffffff81000020\n0x3\n");
	assert_int_equal(m->stack_ids[5001], 5002);
	bt_rec_sink_close(&s);
	bt_rec_mem_free(m);
	bt_rec_stacks_free(t);
}

/*
 * A stand-in for the kernel's _stext, so this very binary (built with -g)
 * can play the vmlinux: a frame at "_stext" + 5 must map to this file.
 */
void _stext(void);
__attribute__((noinline, used)) void _stext(void)
{
	__asm__ volatile("nop; nop; nop; nop; nop; nop; nop; nop");
}

static void test_stacks_dwarf(void **state)
{
	char ks[] = "/tmp/bt-ks-XXXXXX", exe[512];
	const char text[] = "ffffffff81000000 T _stext\n";
	uint64_t ip = 0xffffffff81000005ull;
	struct bt_rec_stacks *t = bt_rec_stacks_new();
	struct bt_rec_ksyms *k;
	struct bt_rec_sink s;
	struct bt_rec_mem *m;
	ssize_t n;
	int fd;

	(void)state;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	fd = mkstemp(ks);
	assert_int_equal(write(fd, text, sizeof(text) - 1),
			 (ssize_t)sizeof(text) - 1);
	close(fd);
	k = bt_rec_ksyms_load(ks);
	unlink(ks);
	assert_non_null(k);
	assert_int_equal(bt_rec_stacks_intern(t, &ip, 1), 1);
	m = bt_rec_sink_open_mem(&s);
	assert_int_equal(bt_rec_stacks_emit(t, &s, k, exe), 0);
	assert_int_equal(m->nr_stacks, 1);
	print_message("frame: %s", m->stacks[0].a);
	assert_true(!strncmp(m->stacks[0].a, "_stext+0x5 ", 11));
	assert_non_null(strstr(m->stacks[0].a, "test-record-units.c:"));
	bt_rec_sink_close(&s);
	bt_rec_mem_free(m);
	bt_rec_ksyms_free(k);
	bt_rec_stacks_free(t);
}

static void test_mem_sink(void **state)
{
	struct bt_rec_sink s;
	struct bt_rec_mem *m = bt_rec_sink_open_mem(&s);
	struct bt_event ev[2];

	(void)state;
	memset(ev, 0, sizeof(ev));
	ev[0].type = BT_EV_PRINT;
	ev[0].str = "hello world";
	ev[0].str_len = 5;
	ev[1].type = BT_EV_PAGE_FREE;
	ev[1].arg[0] = 77;
	assert_int_equal(bt_rec_sink_events(&s, ev, 2), 0);
	assert_int_equal(bt_rec_sink_snapshot(&s, BT_SNAP_VMSTAT, 5, "a 1\n",
					      4), 0);
	assert_int_equal(bt_rec_sink_meta(&s, "k", "v"), 0);
	assert_int_equal(bt_rec_sink_flush(&s), 0);
	assert_int_equal(bt_rec_sink_bytes(&s), 2 * sizeof(struct bt_event));
	assert_int_equal(bt_rec_sink_close(&s), 0);
	assert_int_equal(bt_rec_sink_meta(&s, "late", "x"), -EBADF);
	assert_int_equal(m->nr_ev, 2);
	assert_string_equal(m->ev[0].str, "hello");
	assert_int_equal(m->ev[1].arg[0], 77);
	assert_int_equal(m->snap[0].kind, BT_SNAP_VMSTAT);
	assert_int_equal(m->flushes, 2);	/* ours, and close's */
	assert_true(m->closed);
	bt_rec_mem_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evsel_default),
		cmocka_unit_test(test_evsel_apply),
		cmocka_unit_test(test_probe_define),
		cmocka_unit_test(test_probe_stale),
		cmocka_unit_test(test_cpu_stats),
		cmocka_unit_test(test_stale_names),
		cmocka_unit_test(test_sysctl_dir),
		cmocka_unit_test(test_ksyms),
		cmocka_unit_test(test_stacks),
		cmocka_unit_test(test_stacks_dwarf),
		cmocka_unit_test(test_mem_sink),
	};

	return cmocka_run_group_tests_name("record-units", tests, NULL, NULL);
}
