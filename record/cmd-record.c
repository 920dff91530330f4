// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd-record.c - `buddytrace record`: options, signals, the recorded
 * command, progress and the summary. The recording itself is record/.
 *
 * The command is forked from the main thread after tracing is on, so it
 * inherits neither the readers' real-time priority nor our signal mask.
 * SIGINT, SIGTERM and SIGHUP only set a flag: the main loop then stops
 * the recorder, which finalizes the file and removes the instance.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "record/record.h"

#define CMD "record"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: buddytrace record [-o FILE] [--duration S | -- CMD ARGS...] [options]\n"
"       buddytrace record --cleanup\n\n"
"Record the page allocator of this host into a .bt file (needs root).\n\n"
"  -o, --output FILE      output file (default buddytrace.bt; '-' stdout)\n"
"  -d, --duration S       stop S seconds after the free-page map is read\n"
"                         (default: until the command ends, or Ctrl-C)\n"
"  -e, --event SPEC       add (or with a leading '-', remove) events:\n"
"                         'kmem:mm_page_alloc', 'mm_page_free', 'compaction';\n"
"                         comma-separated lists are fine\n"
"      --filter EXPR      tracefs filter, '[SYSTEM:]EVENT:EXPR' or EXPR for\n"
"                         every event that accepts it\n"
"  -b, --buffer-kb N      ring buffer per CPU in KB (default %d, less\n"
"                         beyond 16 CPUs)\n"
"  -i, --interval S       /proc snapshot period (default 1; 0 = start and\n"
"                         end only)\n"
"      --stacktrace[=F]   kernel stacks of the allocations matching F\n"
"                         (for instance 'order>0'; default all)\n"
"      --vmlinux PATH     add file:line to stacks from this vmlinux\n"
"      --slowpath-probe   probe the allocator slow path where kprobes exist\n"
"      --no-freemap       skip the free-page map from /proc/kpageflags\n"
"      --normal-priority  do not raise the readers' priority\n"
"      --level N          zstd level of the event chunks (default %d)\n"
"      --tracefs DIR      use this tracefs mount (env BUDDYTRACE_TRACEFS)\n"
"      --cleanup          remove instances left by killed recorders\n"
"  -h, --help             this help\n\n"
"Exit status: the command's (128+N if a signal N killed it), else 0;\n"
"69 tracefs or events unavailable, 77 no permission, 73 cannot create\n"
"the output, 74 I/O error. See buddytrace-record(1).\n", 4096,
		BT_REC_ZSTD_LEVEL);
}

enum {
	OPT_FILTER = 256, OPT_STACK, OPT_VMLINUX, OPT_PROBE, OPT_NOFREEMAP,
	OPT_NORMALPRIO, OPT_TRACEFS, OPT_CLEANUP, OPT_PROC, OPT_LEVEL,
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "duration", required_argument, NULL, 'd' },
	{ "event", required_argument, NULL, 'e' },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "buffer-kb", required_argument, NULL, 'b' },
	{ "interval", required_argument, NULL, 'i' },
	{ "stacktrace", optional_argument, NULL, OPT_STACK },
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
	{ "slowpath-probe", no_argument, NULL, OPT_PROBE },
	{ "no-freemap", no_argument, NULL, OPT_NOFREEMAP },
	{ "normal-priority", no_argument, NULL, OPT_NORMALPRIO },
	{ "tracefs", required_argument, NULL, OPT_TRACEFS },
	{ "proc", required_argument, NULL, OPT_PROC },
	{ "cleanup", no_argument, NULL, OPT_CLEANUP },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct bt_record_opts o;
	double duration;
	bool cleanup;
	char **cmd;
};

static int parse_seconds(const char *opt, const char *s, double *out)
{
	if (bt_parse_double(s, out) < 0 || *out < 0 || *out > 1e9) {
		bt_cli_error(CMD, "%s: '%s' is not a number of seconds", opt, s);
		return -1;
	}
	return 0;
}

static int add_spec(const char **v, unsigned int *nr, const char *s)
{
	if (*nr >= BT_REC_MAX_SPECS) {
		bt_cli_error(CMD, "too many -e or --filter options (max %d)",
			     BT_REC_MAX_SPECS);
		return -1;
	}
	v[(*nr)++] = s;
	return 0;
}

static int parse_one(struct args *a, int c, const char *arg)
{
	double iv;
	uint64_t kb;

	switch (c) {
	case 'o': a->o.output = arg; return 0;
	case 'd': return parse_seconds("--duration", arg, &a->duration);
	case 'e': return add_spec(a->o.events, &a->o.nr_events, arg);
	case OPT_FILTER: return add_spec(a->o.filters, &a->o.nr_filters, arg);
	case 'b':
		if (bt_parse_u64(arg, -1, 10, &kb) < 0 || kb < 4 ||
		    kb > (1u << 22)) {
			bt_cli_error(CMD, "--buffer-kb: '%s' is not a size in "
				     "KB between 4 and 4194304", arg);
			return -1;
		}
		a->o.buffer_kb = (unsigned long)kb;
		return 0;
	case 'i':
		if (parse_seconds("--interval", arg, &iv) < 0)
			return -1;
		a->o.interval_ms = (unsigned int)(iv * 1000 + 0.5);
		return 0;
	case OPT_STACK: a->o.stacktrace = true; a->o.stack_filter = arg;
		return 0;
	case OPT_VMLINUX: a->o.vmlinux = arg; return 0;
	case OPT_PROBE: a->o.slowpath_probe = true; return 0;
	case OPT_NOFREEMAP: a->o.no_freemap = true; return 0;
	case OPT_NORMALPRIO: a->o.no_priority = true; return 0;
	case OPT_TRACEFS: a->o.tracefs = arg; return 0;
	case OPT_PROC: a->o.proc = arg; return 0;
	case OPT_CLEANUP: a->cleanup = true; return 0;
	case OPT_LEVEL:
		if (bt_parse_int(arg, -1, 10, &a->o.level) < 0 ||
		    a->o.level < 1 || a->o.level > 19) {
			bt_cli_error(CMD, "--level: '%s' is not a zstd level "
				     "from 1 to 19", arg);
			return -1;
		}
		return 0;
	default: return -1;
	}
}

/* Returns 0 to go on, 1 for --help, -1 for a usage error. */
static int parse_args(struct args *a, int argc, char **argv)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->o.output = "buddytrace.bt";
	a->o.proc = "/proc";
	a->o.interval_ms = 1000;
	a->o.tracefs = getenv("BUDDYTRACE_TRACEFS");
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:d:e:b:i:h", longopts,
				NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == '?' || c == ':') {
			bt_cli_error(CMD, "unknown option or missing value: "
				     "'%s'; see --help", argv[optind - 1]);
			return -1;
		}
		if (parse_one(a, c, optarg) < 0)
			return -1;
	}
	if (optind < argc)
		a->cmd = argv + optind;
	if (a->cmd && a->duration > 0) {
		bt_cli_error(CMD, "--duration and a command exclude each other");
		return -1;
	}
	if (!strcmp(a->o.output, "-") && isatty(STDOUT_FILENO)) {
		bt_cli_error(CMD, "will not write a binary trace to a terminal");
		return -1;
	}
	return 0;
}

static char *join_args(int argc, char **argv)
{
	size_t n = 32;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = bt_xmalloc(n);
	snprintf(s, n, "buddytrace");
	for (i = 0; i < argc; i++) {
		size_t l = strlen(s);

		snprintf(s + l, n - l, " %s", argv[i]);
	}
	return s;
}

static void set_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Past a file size limit, let write() fail (EFBIG) and say so. */
	signal(SIGXFSZ, SIG_IGN);
}

static void block_signals(bool block)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGHUP);
	pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &s, NULL);
}

static pid_t spawn(char **cmd)
{
	pid_t pid = fork();
	sigset_t none;

	if (pid != 0)
		return pid;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(cmd[0], cmd);
	fprintf(stderr, "buddytrace record: cannot run '%s': %s\n", cmd[0],
		strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static double elapsed(const struct bt_record_stats *st)
{
	return st->now_ns > st->start_ns ?
	       (double)(st->now_ns - st->start_ns) / 1e9 : 0;
}

static void progress(struct bt_recorder *r, uint64_t *last_events,
		     double *last_t)
{
	struct bt_record_stats st;
	double t, rate;

	bt_recorder_stats(r, &st);
	t = elapsed(&st);
	rate = t > *last_t ? (double)(st.events - *last_events) / (t - *last_t)
			   : 0;
	*last_events = st.events;
	*last_t = t;
	fprintf(stderr, "\r%7.1f s  %10llu events  %8.0f events/s  %7.2f MB"
		"  lost %llu\033[K", t, (unsigned long long)st.events, rate,
		(double)st.bytes / 1e6, (unsigned long long)st.lost);
}

static void summary(struct bt_recorder *r, const char *out, bool no_priority)
{
	struct bt_record_stats st;
	struct rusage ru;
	unsigned int c;

	bt_recorder_stats(r, &st);
	fprintf(stderr, "buddytrace record: wrote '%s': %llu events in %.1f s, "
		"%llu lost, %llu bytes (%.2f bytes/event)\n", out,
		(unsigned long long)st.events, elapsed(&st),
		(unsigned long long)st.lost, (unsigned long long)st.bytes,
		st.events ? (double)st.bytes / (double)st.events : 0.0);
	fprintf(stderr, "  cpu      events        lost\n");
	for (c = 0; c < st.nr_cpus; c++) {
		fprintf(stderr, "  %3u %11llu %11llu", c,
			(unsigned long long)st.cpu[c].events,
			(unsigned long long)st.cpu[c].lost);
		if (st.cpu[c].lost_unknown)
			fprintf(stderr, " (+%llu pages with an unknown count)",
				(unsigned long long)st.cpu[c].lost_unknown);
		fputc('\n', stderr);
	}
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec
			     + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;

		fprintf(stderr, "  recorder cpu %.2f s (%.3f s per million "
			"events without the free-page map)\n", cpu,
			st.events ? (cpu - st.freemap_cpu) * 1e6 /
				    (double)st.events : 0.0);
	}
	if (st.priority < 2 && !no_priority)
		fprintf(stderr, "  readers ran at %s: no permission for "
			"SCHED_FIFO, so a busy machine may make them lose "
			"events\n", st.priority ? "nice -20" : "normal priority");
	if (st.stacks)
		fprintf(stderr, "  %llu distinct kernel stacks\n",
			(unsigned long long)st.stacks);
	if (st.freemap_seconds > 0)
		fprintf(stderr, "  free-page map: %.2f s reading kpageflags "
			"(%.2f s cpu)\n", st.freemap_seconds, st.freemap_cpu);
}

static int exit_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return BT_EXIT_SOFTWARE;
}

/* Wait for the command, the duration, a signal or a recorder error. */
static int wait_loop(struct bt_recorder *r, const struct args *a, pid_t child,
		     int *child_status)
{
	struct timespec nap = { 0, 100 * 1000000 };
	bool show = bt_cli_progress_enabled();
	double t0 = (double)time(NULL), last_t = 0, next_show = 1;
	uint64_t last_events = 0;
	struct bt_record_stats st;
	int status;

	for (;;) {
		if (got_signal)
			return 0;
		if (bt_recorder_error(r))
			return bt_recorder_error(r);
		if (child > 0 && waitpid(child, &status, WNOHANG) == child) {
			*child_status = status;
			return 0;
		}
		bt_recorder_stats(r, &st);
		/* --duration counts from when the map was in */
		if (a->duration > 0 && st.ready_ns && st.now_ns > st.ready_ns &&
		    (double)(st.now_ns - st.ready_ns) / 1e9 >= a->duration)
			return 0;
		if (show && elapsed(&st) >= next_show) {
			progress(r, &last_events, &last_t);
			next_show = elapsed(&st) + 1;
		}
		nanosleep(&nap, NULL);
		(void)t0;
	}
}

/*
 * The command still runs: we were told to stop (pass the signal on) or
 * the recording failed (the command is the user's: let it finish).
 */
static void finish_child(pid_t child, int *status)
{
	if (child <= 0 || *status >= 0)
		return;
	if (got_signal)
		kill(child, got_signal);
	else
		bt_cli_error(CMD, "recording stopped; waiting for the command "
			     "to finish");
	while (waitpid(child, status, 0) < 0 && errno == EINTR)
		if (got_signal)
			kill(child, got_signal);
}

/* Exit code for a failure before recording started. */
static int setup_exit_code(int err)
{
	if (err == -EACCES || err == -EPERM)
		return BT_EXIT_NOPERM;
	if (err == -ENOMEM)
		return BT_EXIT_SOFTWARE;
	if (err < 0 && err > -4096)
		return BT_EXIT_CANTCREAT;	/* creating the output */
	return bt_exit_code(err);
}

static int run(struct args *a, int argc, char **argv)
{
	struct bt_recorder *r = NULL;
	char msg[512];
	int ret, child_status = -1, rc;
	pid_t child = -1;
	char *cmdline = join_args(argc, argv);

	a->o.cmdline = cmdline;
	set_signals();
	block_signals(true);
	ret = bt_recorder_new(&a->o, &r, msg, sizeof(msg));
	if (ret < 0) {
		block_signals(false);
		if (msg[0])
			bt_cli_error(CMD, "%s", msg);
		else
			bt_cli_fail(CMD, ret, "start recording", NULL);
		free(cmdline);
		return setup_exit_code(ret);
	}
	ret = bt_recorder_start(r);
	block_signals(false);
	if (ret == 0 && a->cmd) {
		child = spawn(a->cmd);
		if (child < 0)
			ret = -errno;
	}
	if (ret == 0)
		ret = wait_loop(r, a, child, &child_status);
	if (bt_cli_progress_enabled())
		fprintf(stderr, "\r\033[K");
	rc = bt_recorder_stop(r);
	if (!ret)
		ret = rc;
	if (ret < 0)
		bt_cli_fail(CMD, ret, "record to", a->o.output);
	else
		summary(r, a->o.output, a->o.no_priority);
	/* The instance goes now, not after a command that may run long. */
	bt_recorder_free(r);
	r = NULL;
	finish_child(child, &child_status);
	if (ret < 0) {
		if (child > 0)
			bt_cli_error(CMD, "the recording failed, so this is "
				     "the recorder's exit code, not the "
				     "command's (%d)", exit_status(child_status));
		rc = bt_exit_code(ret);
		if (ret > -4096)
			rc = BT_EXIT_IOERR;
	} else {
		rc = child > 0 ? exit_status(child_status) : 0;
	}
	free(cmdline);
	return rc;
}

int bt_cmd_record(int argc, char **argv)
{
	struct args a;
	unsigned int removed;
	int ret = parse_args(&a, argc, argv);

	if (ret) {
		if (ret > 0)
			usage(stdout);
		return ret > 0 ? 0 : BT_EXIT_USAGE;
	}
	if (a.cleanup) {
		ret = bt_record_cleanup(a.o.tracefs, &removed);
		if (ret == -EACCES || ret == -EPERM) {
			bt_cli_error(CMD, "no permission to remove tracefs "
				     "instances: run as root");
			return BT_EXIT_NOPERM;
		}
		if (ret < 0)
			return bt_cli_fail(CMD, ret, "clean up instances", NULL);
		fprintf(stderr, "buddytrace record: removed %u stale "
			"instance%s or probe%s\n", removed,
			removed == 1 ? "" : "s", removed == 1 ? "" : "s");
		return 0;
	}
	return run(&a, argc, argv);
}
