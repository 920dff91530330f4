// SPDX-License-Identifier: GPL-2.0-only
/*
 * instance.c - the recorder's own tracefs instance.
 *
 * Everything the recorder changes lives in one instance named
 * "buddytrace-<pid>", so other tracers (and other recorders) are never
 * disturbed and removing the instance undoes every change at once. A run
 * killed before it could remove its instance leaves one behind; the name
 * carries the pid so that --cleanup can tell ours whose process is gone
 * from those of live recorders.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tracefs.h>

#include "record-internal.h"

static int dir_usable(const char *dir)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/instances", dir);
	if (stat(path, &st) < 0) {
		if (errno == EACCES || errno == EPERM)
			return -errno;
		return BT_E_NO_TRACEFS;
	}
	if (!S_ISDIR(st.st_mode))
		return BT_E_NO_TRACEFS;
	if (access(path, W_OK) < 0)
		return errno == EROFS ? BT_E_NO_TRACEFS : -EACCES;
	return 0;
}

int bt_rec_tracefs_find(const char *dir_override, char *out, size_t size)
{
	const char *path = NULL;
	int ret;

	if (dir_override) {
		ret = dir_usable(dir_override);
		if (ret < 0)
			return ret;
		if (tracefs_set_tracing_dir((char *)dir_override) < 0)
			return BT_E_NO_TRACEFS;
		bt_strlcpy(out, dir_override, size);
		return 0;
	}
	/*
	 * Mount tracefs only when it is not mounted yet (needs privilege):
	 * tracefs_tracing_dir_is_mounted() leaks a string in libtracefs
	 * 1.6, tracefs_tracing_dir() caches its answer.
	 */
	path = tracefs_tracing_dir();
	if (!path && tracefs_tracing_dir_is_mounted(true, NULL) >= 0)
		path = tracefs_tracing_dir();
	if (!path) {
		if (geteuid() != 0)
			return -EPERM;
		return BT_E_NO_TRACEFS;
	}
	ret = dir_usable(path);
	if (ret < 0)
		return ret;
	bt_strlcpy(out, path, size);
	return 0;
}

int bt_rec_instance_create(struct bt_rec_instance *in, const char *tracefs,
			   const char *name)
{
	memset(in, 0, sizeof(*in));
	bt_strlcpy(in->dir, tracefs, sizeof(in->dir));
	bt_strlcpy(in->name, name, sizeof(in->name));
	if (tracefs_instance_exists(name)) {
		/* A stale one of a process with our pid: not ours to keep. */
		struct tracefs_instance *old = tracefs_instance_alloc(NULL, name);

		if (old) {
			tracefs_instance_destroy(old);
			tracefs_instance_free(old);
		}
	}
	errno = 0;
	in->inst = tracefs_instance_create(name);
	if (!in->inst) {
		if (errno == EACCES || errno == EPERM)
			return -errno;
		return errno ? -errno : BT_E_NO_TRACEFS;
	}
	in->created = true;
	return 0;
}

static void instance_remove(struct tracefs_instance *inst)
{
	int tries;

	tracefs_instance_file_write(inst, "tracing_on", "0");
	tracefs_instance_file_write(inst, "events/enable", "0");
	/* Triggers hold the event files: drop ours before rmdir. */
	tracefs_instance_file_write(inst, "events/kmem/mm_page_alloc/trigger",
				    "!stacktrace");
	for (tries = 0; tries < 50; tries++) {
		if (tracefs_instance_destroy(inst) == 0 || errno != EBUSY)
			break;
		usleep(20000);
	}
}

void bt_rec_instance_destroy(struct bt_rec_instance *in)
{
	if (!in->inst)
		return;
	if (in->created)
		instance_remove(in->inst);
	tracefs_instance_free(in->inst);
	in->inst = NULL;
	in->created = false;
}

int bt_rec_instance_write(struct bt_rec_instance *in, const char *file,
			  const char *text)
{
	int ret;

	errno = 0;
	ret = tracefs_instance_file_write(in->inst, file, text);
	if (ret < 0)
		return errno ? -errno : -EIO;
	return 0;
}

int bt_rec_instance_read(struct bt_rec_instance *in, const char *file,
			 struct bt_buf *out)
{
	char *path = tracefs_instance_get_file(in->inst, file);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = bt_read_file(path, out);
	tracefs_put_tracing_file(path);
	return ret;
}

bool bt_rec_instance_has(struct bt_rec_instance *in, const char *file)
{
	return tracefs_file_exists(in->inst, file);
}

bool bt_rec_instance_is_stale(const char *name)
{
	size_t plen = strlen(BT_REC_INSTANCE_PREFIX);
	uint64_t pid;

	if (strncmp(name, BT_REC_INSTANCE_PREFIX, plen))
		return false;
	if (bt_parse_u64(name + plen, -1, 10, &pid) < 0 || pid == 0 ||
	    pid > 4194304)
		return false;
	/*
	 * Only a pid that is gone: a live process of any name may be a
	 * recorder (or a test linking the recorder) still using it. A
	 * reused pid keeps an instance until its new owner exits.
	 */
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

struct cleanup_ctx {
	char **names;
	unsigned int nr;
};

static int cleanup_cb(const char *name, void *data)
{
	struct cleanup_ctx *c = data;
	char **n;

	if (!bt_rec_instance_is_stale(name))
		return 0;
	n = realloc(c->names, (c->nr + 1) * sizeof(*n));
	if (!n)
		return -1;
	c->names = n;
	n[c->nr] = strdup(name);
	if (n[c->nr])
		c->nr++;
	return 0;
}

int bt_rec_instance_cleanup(const char *tracefs, unsigned int *removed)
{
	struct cleanup_ctx c = { NULL, 0 };
	unsigned int i;
	int ret = 0;

	(void)tracefs;
	*removed = 0;
	if (tracefs_instances_walk(cleanup_cb, &c) < 0 && !c.nr)
		ret = errno ? -errno : BT_E_NO_TRACEFS;
	for (i = 0; i < c.nr; i++) {
		struct tracefs_instance *inst;

		inst = tracefs_instance_alloc(NULL, c.names[i]);
		if (inst) {
			instance_remove(inst);
			if (!tracefs_instance_exists(c.names[i]))
				(*removed)++;
			else if (!ret)
				ret = -EBUSY;
			tracefs_instance_free(inst);
		}
		free(c.names[i]);
	}
	free(c.names);
	return ret;
}

static int stat_value(const char *text, const char *key, uint64_t *out)
{
	const char *p = strstr(text, key);
	const char *end;

	*out = 0;
	if (!p)
		return 0;
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	end = p;
	while (*end >= '0' && *end <= '9')
		end++;
	return bt_parse_u64(p, end - p, 10, out);
}

int bt_rec_parse_cpu_stats(const char *text, uint64_t *overrun,
			   uint64_t *dropped, uint64_t *entries)
{
	uint64_t commit = 0;
	int ret;

	/* "commit overrun:" also contains "overrun:": match at line start. */
	ret = stat_value(text, "\noverrun:", overrun);
	if (!ret && !strncmp(text, "overrun:", 8))
		ret = stat_value(text, "overrun:", overrun);
	if (!ret)
		ret = stat_value(text, "dropped events:", dropped);
	/* Events lost to a wrapped commit page are flagged nowhere else. */
	if (!ret)
		ret = stat_value(text, "commit overrun:", &commit);
	*dropped += commit;
	if (!ret)
		ret = stat_value(text, "entries:", entries);
	return ret;
}
