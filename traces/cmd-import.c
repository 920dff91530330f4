// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-import.c - `buddytrace import IN -o OUT.bt`: a trace.dat or ftrace
 * text (or `-`, standard input) into a .bt file, with optional /proc state
 * directories attached at the trace's first and last event.
 *
 * Glue only: the input kind comes from bt_input_detect(), the work from
 * bt_import_tracedat() / bt_import_text() and bt_proc_attach(). Standard
 * input is spooled to a temporary file first, since libtracecmd needs a
 * seekable file. A failed import removes its half-written output.
 *
 * libtracecmd 1.3 is not hardened against damaged files (it crashes in
 * tracecmd_buffer_instance_handle's error path, for one), so a trace.dat
 * is converted in a child process: a crash there becomes exit 65 with one
 * line, never a dead importer.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "traces/procattach.h"
#include "traces/traces.h"

#define CMD "import"
#define HEAD_BYTES 65536

struct import_args {
	const char *in, *out, *before, *after;
	struct bt_import_opts o;
	char *spool;		/* temporary copy of stdin, unlinked at exit */
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: buddytrace import IN -o OUT.bt [--instance NAME]\n"
"                         [--proc-before DIR] [--proc-after DIR]\n"
"                         [--vmemmap-base ADDR --struct-page-size N]\n\n"
"Convert a trace-cmd trace.dat (version 6 or 7, compressed or not) or\n"
"ftrace text (trace, trace_pipe, trace-cmd report, perf script) into a\n"
".bt file. IN may be '-' for standard input.\n\n"
"  -o, --output FILE       the .bt file to write ('-': standard output)\n"
"  --instance NAME         trace.dat buffer to take (default: the one\n"
"                          holding allocator events; 'top' for the main)\n"
"  --proc-before DIR       /proc state saved before the recording\n"
"  --proc-after DIR        /proc state saved after it (zoneinfo, buddyinfo,\n"
"                          pagetypeinfo, vmstat, meminfo, extfrag_index,\n"
"                          unusable_index, kpageflags[.zst], vm/,\n"
"                          transparent_hugepage/)\n"
"  --vmemmap-base ADDR     turn page= pointers into pfns (with the next)\n"
"  --struct-page-size N    size of struct page in bytes (usually 64)\n"
"  -h, --help              this text\n\n"
"A one-line summary goes to standard error. Exit codes: 0 ok, 64 usage,\n"
"65 unrecognized or unusable input, 66 missing input, 73 cannot create\n"
"the output, 74 I/O error.\n");
}

static int parse_args(int argc, char **argv, struct import_args *a)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "instance", required_argument, NULL, 'I' },
		{ "proc-before", required_argument, NULL, 'B' },
		{ "proc-after", required_argument, NULL, 'A' },
		{ "vmemmap-base", required_argument, NULL, 'V' },
		{ "struct-page-size", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case 'I': a->o.instance = optarg; break;
		case 'B': a->before = optarg; break;
		case 'A': a->after = optarg; break;
		case 'V':
			if (bt_parse_u64(optarg, -1, 0, &v)) {
				bt_cli_error(CMD, "bad --vmemmap-base '%s'",
					     optarg);
				return BT_EXIT_USAGE;
			}
			a->o.vmemmap_base = v;
			a->o.have_vmemmap = true;
			break;
		case 'S':
			if (bt_parse_u64(optarg, -1, 0, &v) || !v ||
			    v > 4096) {
				bt_cli_error(CMD, "bad --struct-page-size '%s'",
					     optarg);
				return BT_EXIT_USAGE;
			}
			a->o.struct_page_size = (unsigned int)v;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			bt_cli_error(CMD, "unknown or incomplete option '%s'",
				     argv[optind - 1]);
			return BT_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || !a->out) {
		bt_cli_error(CMD, optind >= argc ? "no input given" :
			     !a->out ? "no output given (-o OUT.bt)" :
			     "one input only");
		return BT_EXIT_USAGE;
	}
	a->in = argv[optind];
	if (a->o.have_vmemmap != (a->o.struct_page_size != 0)) {
		bt_cli_error(CMD, "--vmemmap-base and --struct-page-size go "
			     "together");
		return BT_EXIT_USAGE;
	}
	return 0;
}

/* Copy standard input to a temporary file; its path replaces a->in. */
static int spool_stdin(struct import_args *a)
{
	const char *dir = getenv("TMPDIR");
	char buf[65536];
	size_t n = strlen(dir && *dir ? dir : "/tmp") + 32;
	ssize_t r;
	int fd, err = 0;

	a->spool = bt_xmalloc(n);
	snprintf(a->spool, n, "%s/buddytrace-import-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(a->spool);
	if (fd < 0) {
		free(a->spool);
		a->spool = NULL;
		return -errno;
	}
	while (!err && (r = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (r < 0)
			err = errno == EINTR ? 0 : -errno;
		else if (write(fd, buf, (size_t)r) != r)
			err = -EIO;
	}
	close(fd);
	a->in = a->spool;
	return err;
}

static int read_head(const char *path, unsigned char *head, size_t *len)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = read(fd, head, HEAD_BYTES);
	close(fd);
	if (r < 0)
		return -errno;
	*len = (size_t)r;
	return 0;
}

static int check_dir(const char *dir)
{
	struct stat sb;

	if (!dir)
		return 0;
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode)) {
		bt_cli_error(CMD, "cannot read '%s': %s", dir,
			     errno && stat(dir, &sb) ? strerror(errno) :
			     "not a directory");
		return BT_EXIT_NOINPUT;
	}
	return 0;
}

static int run_import(struct import_args *a, enum bt_input_kind kind,
		      struct bt_writer *w, struct bt_import_stats *st)
{
	FILE *f;
	int err;

	if (kind == BT_INPUT_TRACEDAT)
		return bt_import_tracedat(a->in, w, &a->o, st);
	f = fopen(a->in, "r");
	if (!f)
		return -errno;
	err = bt_import_text(f, w, &a->o, st);
	fclose(f);
	return err;
}

static int import_error(const struct import_args *a, int err)
{
	const char *in = a->spool ? "-" : a->in;

	if (err == BT_E_USAGE && a->o.instance) {
		bt_cli_error(CMD, "no buffer named '%s' in '%s'",
			     a->o.instance, in);
		return BT_EXIT_USAGE;
	}
	if (err == BT_E_TRUNCATED) {
		bt_cli_error(CMD, "cannot import '%s': trace.dat cut short or "
			     "damaged, no whole part left to read", in);
		return BT_EXIT_DATAERR;
	}
	return bt_cli_fail(CMD, err, "import", in);
}

static int attach(struct import_args *a, struct bt_writer *w,
		  const struct bt_import_stats *st, unsigned int *nr)
{
	unsigned int n = 0;
	int err = 0;

	*nr = 0;
	if (a->before) {
		err = bt_proc_attach(w, a->before, st->first_ts, &n);
		*nr += n;
		if (err)
			return bt_cli_fail(CMD, err, "attach", a->before);
	}
	if (a->after) {
		err = bt_proc_attach(w, a->after, st->last_ts, &n);
		*nr += n;
		if (err)
			return bt_cli_fail(CMD, err, "attach", a->after);
	}
	return 0;
}

static void summary(const struct import_args *a,
		    const struct bt_import_stats *st, unsigned int snaps)
{
	fprintf(stderr, "buddytrace import: %s -> %s: %llu events, "
		"%llu unknown lines, %llu other events, %llu lost events "
		"(%llu markers), %u snapshots\n",
		a->spool ? "-" : a->in, a->out,
		(unsigned long long)(st->events - st->lost_markers),
		(unsigned long long)st->unknown_lines,
		(unsigned long long)st->unknown_events,
		(unsigned long long)st->lost_events,
		(unsigned long long)st->lost_markers, snaps);
	if (st->pfn_unknown && !a->o.have_vmemmap)
		fprintf(stderr, "buddytrace import: note: %llu events give "
			"only a page= pointer, kept with the pfn unknown; "
			"--vmemmap-base and --struct-page-size convert them\n",
			(unsigned long long)st->pfn_unknown);
}

static int convert(struct import_args *a, enum bt_input_kind kind)
{
	struct bt_import_stats st;
	struct bt_writer *w;
	unsigned int snaps = 0;
	int err, rc;

	if (!strcmp(a->out, "-") && isatty(STDOUT_FILENO)) {
		bt_cli_error(CMD, "will not write a binary .bt to a terminal");
		return BT_EXIT_USAGE;
	}
	w = bt_writer_open(a->out, 0);
	if (!w) {
		bt_cli_error(CMD, "cannot create '%s': %s", a->out,
			     strerror(errno));
		return BT_EXIT_CANTCREAT;
	}
	memset(&st, 0, sizeof(st));
	err = run_import(a, kind, w, &st);
	if (err) {
		rc = import_error(a, err);
		goto out_abort;
	}
	rc = attach(a, w, &st, &snaps);
	if (rc)
		goto out_abort;
	err = bt_writer_close(w);
	if (err) {
		rc = bt_cli_fail(CMD, err, "write", a->out);
		goto out_unlink;
	}
	summary(a, &st, snaps);
	return 0;
out_abort:
	bt_writer_abort(w);
out_unlink:
	if (strcmp(a->out, "-"))
		unlink(a->out);
	return rc;
}

/* Run convert() in a child; a crash inside libtracecmd is a damaged file. */
static int convert_isolated(struct import_args *a, enum bt_input_kind kind)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	int status, rc;
	size_t i;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return convert(a, kind);
	if (pid == 0) {
		/* die by the signal, past any sanitizer's handler */
		for (i = 0; i < BT_ARRAY_SIZE(sigs); i++)
			signal(sigs[i], SIG_DFL);
		rc = convert(a, kind);
		fflush(NULL);
		_exit(rc);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return BT_EXIT_SOFTWARE;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	bt_cli_error(CMD, "cannot import '%s': libtracecmd crashed reading it "
		     "(signal %d): damaged trace.dat", a->spool ? "-" : a->in,
		     WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	if (strcmp(a->out, "-"))
		unlink(a->out);
	return BT_EXIT_DATAERR;
}

int bt_cmd_import(int argc, char **argv)
{
	struct import_args a = { 0 };
	unsigned char *head = NULL;
	enum bt_input_kind kind;
	size_t len = 0;
	int rc, err;

	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	rc = check_dir(a.before);
	if (!rc)
		rc = check_dir(a.after);
	if (rc)
		return rc;
	if (!strcmp(a.in, "-")) {
		err = spool_stdin(&a);
		if (err) {
			rc = bt_cli_fail(CMD, err, "read", "-");
			goto out;
		}
	}
	head = bt_xmalloc(HEAD_BYTES);
	err = read_head(a.in, head, &len);
	if (err) {
		bt_cli_error(CMD, "cannot open '%s': %s", a.in,
			     strerror(-err));
		rc = err == -EACCES ? BT_EXIT_NOPERM : BT_EXIT_NOINPUT;
		goto out;
	}
	kind = bt_input_detect(head, len);
	if (kind == BT_INPUT_UNKNOWN || kind == BT_INPUT_BT) {
		bt_cli_error(CMD, "cannot import '%s': %s",
			     a.spool ? "-" : a.in, !len ? "empty input" :
			     kind == BT_INPUT_BT ? "already a .bt file" :
			     "not a trace.dat nor ftrace text");
		rc = BT_EXIT_DATAERR;
		goto out;
	}
	rc = kind == BT_INPUT_TRACEDAT ? convert_isolated(&a, kind) :
					 convert(&a, kind);
out:
	free(head);
	if (a.spool) {
		unlink(a.spool);
		free(a.spool);
	}
	return rc;
}
