// SPDX-License-Identifier: GPL-2.0-only
/*
 * snapshot.c - /proc and /sys state captured next to the events.
 *
 * Every snapshot is timestamped with CLOCK_MONOTONIC, which is what the
 * "mono" trace clock reads, so snapshots and events share one timeline:
 * the model starts from a zoneinfo whose time it knows exactly. The
 * periodic set is small (zoneinfo, buddyinfo, pagetypeinfo, vmstat: a few
 * tens of KB); the full set adds what changes rarely or costs more.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "record-internal.h"

uint64_t bt_rec_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Read @path and store it; a missing or unreadable file is skipped. */
static int snap_file(struct bt_rec_sink *s, unsigned int kind,
		     const char *dir, const char *name)
{
	char path[512];
	struct bt_buf b;
	uint64_t ts;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	bt_buf_init(&b);
	ts = bt_rec_now();
	ret = bt_read_file(path, &b);
	if (ret == 0)
		ret = bt_rec_sink_snapshot(s, kind, ts, b.data, b.len);
	else if (ret == -ENOENT || ret == -EACCES || ret == -EPERM ||
		 ret == -EINVAL)
		ret = 0;
	bt_buf_release(&b);
	return ret;
}

int bt_rec_snap_periodic(struct bt_rec_sink *s, const char *proc)
{
	static const struct {
		unsigned int kind;
		const char *name;
	} files[] = {
		{ BT_SNAP_ZONEINFO, "zoneinfo" },
		{ BT_SNAP_BUDDYINFO, "buddyinfo" },
		{ BT_SNAP_PAGETYPEINFO, "pagetypeinfo" },
		{ BT_SNAP_VMSTAT, "vmstat" },
	};
	size_t i;
	int ret;

	for (i = 0; i < BT_ARRAY_SIZE(files); i++) {
		ret = snap_file(s, files[i].kind, proc, files[i].name);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Append "name value" with the value's whitespace folded to spaces. */
static int sysctl_line(struct bt_buf *out, const char *name,
		       const struct bt_buf *v)
{
	size_t i, start = out->len;
	int ret = bt_buf_printf(out, "%s ", name);

	if (ret < 0)
		return ret;
	ret = bt_buf_append(out, v->data, v->len);
	if (ret < 0)
		return ret;
	for (i = start; i < out->len; i++)
		if (out->data[i] == '\n' || out->data[i] == '\t')
			out->data[i] = ' ';
	while (out->len > start && out->data[out->len - 1] == ' ')
		out->len--;
	return bt_buf_append(out, "\n", 1);
}

static int dot_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int bt_rec_read_sysctl_dir(const char *dir, struct bt_buf *out)
{
	struct dirent **names;
	char path[512];
	struct bt_buf v;
	int n, i, ret = 0;

	n = scandir(dir, &names, dot_filter, alphasort);
	if (n < 0)
		return -errno;
	bt_buf_init(&v);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		/* Write-only knobs (drop_caches, compact_memory) fail here. */
		if (ret == 0 && bt_read_file(path, &v) == 0)
			ret = sysctl_line(out, names[i]->d_name, &v);
		bt_buf_release(&v);	/* bt_read_file starts a new buffer */
		free(names[i]);
	}
	free(names);
	bt_buf_release(&v);
	return ret;
}

static int snap_sysctl(struct bt_rec_sink *s, const char *proc)
{
	char dir[512];
	struct bt_buf b;
	uint64_t ts = bt_rec_now();
	int ret;

	snprintf(dir, sizeof(dir), "%s/sys/vm", proc);
	bt_buf_init(&b);
	ret = bt_rec_read_sysctl_dir(dir, &b);
	if (ret == 0)
		ret = bt_rec_sink_snapshot(s, BT_SNAP_SYSCTL_VM, ts, b.data,
					   b.len);
	else if (ret == -ENOENT)
		ret = 0;
	bt_buf_release(&b);
	return ret;
}

static int snap_thp(struct bt_rec_sink *s, const char *sys)
{
	static const char *const knobs[] = { "enabled", "defrag" };
	char path[512];
	struct bt_buf b, v;
	uint64_t ts = bt_rec_now();
	size_t i;
	int ret = 0;

	bt_buf_init(&b);
	bt_buf_init(&v);
	for (i = 0; i < BT_ARRAY_SIZE(knobs) && ret == 0; i++) {
		snprintf(path, sizeof(path),
			 "%s/kernel/mm/transparent_hugepage/%s", sys, knobs[i]);
		if (bt_read_file(path, &v) == 0)
			ret = sysctl_line(&b, knobs[i], &v);
		bt_buf_release(&v);
	}
	if (ret == 0 && b.len)
		ret = bt_rec_sink_snapshot(s, BT_SNAP_THP, ts, b.data, b.len);
	bt_buf_release(&v);
	bt_buf_release(&b);
	return ret;
}

int bt_rec_snap_full(struct bt_rec_sink *s, const char *proc, const char *sys,
		     const char *debugfs)
{
	int ret;

	ret = snap_file(s, BT_SNAP_MEMINFO, proc, "meminfo");
	if (!ret)
		ret = snap_sysctl(s, proc);
	if (!ret)
		ret = snap_thp(s, sys);
	if (!ret)
		ret = snap_file(s, BT_SNAP_EXTFRAG_INDEX, debugfs,
				"extfrag/extfrag_index");
	if (!ret)
		ret = snap_file(s, BT_SNAP_UNUSABLE_INDEX, debugfs,
				"extfrag/unusable_index");
	return ret;
}

/*
 * The kernel's migratetype names in its own numbering, from the rows of
 * pagetypeinfo's free-pages table (the first zone lists them all).
 */
static int pagetypes_list(char *text, char *list, size_t size,
			  char *pbo, size_t pbo_size)
{
	char *line, *save = NULL, *p, name[32];
	size_t n;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "Page block order:", 17)) {
			p = line + 17 + strspn(line + 17, " ");
			bt_strlcpy(pbo, p, pbo_size);
		}
		p = strstr(line, ", type ");
		if (!p || strncmp(line, "Node", 4))
			continue;
		p += 7;
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (!n || n >= sizeof(name))
			continue;
		memcpy(name, p, n);
		name[n] = '\0';
		if (strstr(list, name))
			break;	/* the next zone starts over */
		if (strlen(list) + n + 2 >= size)
			break;
		if (list[0])
			strncat(list, ",", size - strlen(list) - 1);
		strncat(list, name, size - strlen(list) - 1);
	}
	return 0;
}

static int meta_pagetypes(struct bt_rec_sink *s, const char *proc)
{
	char path[512], list[256] = "", pbo[32] = "";
	struct bt_buf b;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/pagetypeinfo", proc);
	bt_buf_init(&b);
	if (bt_read_file(path, &b) == 0)
		pagetypes_list((char *)b.data, list, sizeof(list), pbo,
			       sizeof(pbo));
	if (pbo[0])
		ret = bt_rec_sink_meta(s, "pageblock_order", pbo);
	if (!ret && list[0])
		ret = bt_rec_sink_meta(s, "migratetypes", list);
	bt_buf_release(&b);
	return ret;
}

static int meta_num(struct bt_rec_sink *s, const char *key, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	return bt_rec_sink_meta(s, key, buf);
}

int bt_rec_snap_meta(struct bt_rec_sink *s, const char *proc,
		     const char *cmdline, const char *clock)
{
	struct utsname u;
	struct bt_buf b;
	char path[512];
	int ret = 0;

	if (uname(&u) == 0) {
		ret = bt_rec_sink_meta(s, BT_META_KERNEL, u.release);
		if (!ret)
			ret = bt_rec_sink_meta(s, BT_META_HOSTNAME, u.nodename);
		if (!ret)
			ret = bt_rec_sink_meta(s, "machine", u.machine);
	}
	if (!ret)
		ret = meta_num(s, BT_META_CPUS, sysconf(_SC_NPROCESSORS_CONF));
	if (!ret)
		ret = meta_num(s, BT_META_PAGE_SIZE, sysconf(_SC_PAGESIZE));
	if (!ret)
		ret = bt_rec_sink_meta(s, BT_META_CLOCK, clock);
	if (!ret)
		ret = bt_rec_sink_meta(s, BT_META_SOURCE, "record");
	if (!ret && cmdline)
		ret = bt_rec_sink_meta(s, BT_META_CMDLINE, cmdline);
	snprintf(path, sizeof(path), "%s/cmdline", proc);
	bt_buf_init(&b);
	if (!ret && bt_read_file(path, &b) == 0) {
		while (b.len && b.data[b.len - 1] == '\n')
			b.data[--b.len] = '\0';
		ret = bt_rec_sink_meta(s, BT_META_KERNEL_CMDLINE,
				       (char *)b.data);
	}
	bt_buf_release(&b);
	if (!ret)
		ret = meta_pagetypes(s, proc);
	return ret;
}
