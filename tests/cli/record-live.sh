#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace record on the live kernel: the command's exit status passes
# through, SIGINT and SIGTERM finalize the file and remove the instance,
# SIGKILL leaves a file readable up to its last whole chunk and an
# instance that --cleanup removes. Needs root and tracefs.
set -u
if [ "$(id -u)" != 0 ] || [ ! -w /sys/kernel/tracing/instances ]; then
	echo "record-live: skipped: needs root and tracefs"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stat_bin="$BT_TOP/${BUILD:-build/rel}/tests/test-record-live"
inst=/sys/kernel/tracing/instances
fail() { echo "record-live: $*"; exit 1; }
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" "$2"; }
# Wait (up to 20 s: sanitizer builds start slowly) for a recorder's instance.
wait_instance() {
	n=0
	while [ ! -d "$inst/buddytrace-$1" ] && [ $n -lt 200 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -d "$inst/buddytrace-$1" ] || fail "no instance while recording"
}

# Exit status of the command, and 128+signal.
"$BT" record -o "$tmp/a.bt" --no-freemap -- sh -c 'exit 3' 2>"$tmp/err"
rc=$?
[ $rc -eq 3 ] || fail "'-- sh -c exit 3' exited $rc: $(cat "$tmp/err")"
grep -q "events in" "$tmp/err" || fail "no summary: $(cat "$tmp/err")"
"$stat_bin" --stat "$tmp/a.bt" >"$tmp/st" || fail "a.bt unreadable"
[ "$(field no_index "$tmp/st")" = 0 ] || fail "a.bt has no index: $(cat "$tmp/st")"
"$BT" record -o "$tmp/b.bt" --no-freemap -- sh -c 'kill -KILL $$' 2>/dev/null
rc=$?
[ $rc -eq 137 ] || fail "command killed by SIGKILL: exit $rc, want 137"

# The command keeps normal priority (nice 0, SCHED_OTHER) although the
# readers run SCHED_FIFO.
"$BT" record -o "$tmp/p.bt" --no-freemap -- \
	sh -c 'cut -d" " -f19,41 /proc/$$/stat' >"$tmp/prio" 2>/dev/null
[ "$(cat "$tmp/prio")" = "0 0" ] || fail "command runs at nice/policy $(cat "$tmp/prio")"

# Without CAP_SYS_NICE the readers stay at normal priority, and the
# summary says so.
if command -v setpriv >/dev/null; then
	setpriv --bounding-set -sys_nice --inh-caps -sys_nice "$BT" record \
		-o "$tmp/n.bt" --no-freemap --duration 0.3 2>"$tmp/err" ||
		fail "record without CAP_SYS_NICE: $(cat "$tmp/err")"
	grep -q "readers ran at normal priority" "$tmp/err" ||
		fail "no priority note: $(cat "$tmp/err")"
fi

# The recorder's own failure wins over the command's status.
"$BT" record -o "$tmp/no/such/dir/c.bt" -- sh -c 'exit 3' 2>"$tmp/err"
rc=$?
[ $rc -eq 73 ] || fail "unwritable output exited $rc, want 73"

# A recording that fails midway (file size limit: EFBIG) exits 74 and
# says the command's status is not the one reported; the command finishes.
helper="$BT_TOP/${BUILD:-build/rel}/tests/helpers/alloc-workload"
(ulimit -f 200; exec "$BT" record -o "$tmp/lim.bt" --no-freemap -- \
	sh -c "'$helper' anon=256 >/dev/null; sleep 1; exit 3") 2>"$tmp/err" &
pid=$!
wait $pid
rc=$?
[ $rc -eq 74 ] || fail "recording past the size limit exited $rc, want 74"
grep -q "not the command's (3)" "$tmp/err" || fail "74 message: $(cat "$tmp/err")"
[ -d "$inst/buddytrace-$pid" ] && fail "instance left after a failed recording"

# SIGINT and SIGTERM: clean file, no instance left.
for sig in INT TERM; do
	"$BT" record -o "$tmp/$sig.bt" --no-freemap --duration 60 \
		2>"$tmp/err" &
	pid=$!
	wait_instance $pid
	sleep 0.5
	kill -$sig $pid
	wait $pid
	rc=$?
	[ $rc -eq 0 ] || fail "SIG$sig: exit $rc: $(cat "$tmp/err")"
	[ -d "$inst/buddytrace-$pid" ] && fail "SIG$sig left the instance"
	"$stat_bin" --stat "$tmp/$sig.bt" >"$tmp/st" || fail "$sig.bt unreadable"
	[ "$(field no_index "$tmp/st")" = 0 ] ||
		fail "SIG$sig: file not finalized: $(cat "$tmp/st")"
	[ "$(field snapshots "$tmp/st")" -ge 8 ] ||
		fail "SIG$sig: too few snapshots: $(cat "$tmp/st")"
done

# Ctrl-C while a command runs: passed on, and its status comes back.
"$BT" record -o "$tmp/cmd.bt" --no-freemap -- sleep 30 2>/dev/null &
pid=$!
wait_instance $pid
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "SIGINT with a command: exit $rc, want 130"

# SIGKILL: the file reads up to its last flushed chunk; --cleanup.
"$BT" record -o "$tmp/kill.bt" --no-freemap \
	-- "$helper" churn=3 >/dev/null 2>&1 &
pid=$!
wait_instance $pid
sleep 2
kill -KILL $pid
wait $pid 2>/dev/null
"$stat_bin" --stat "$tmp/kill.bt" >"$tmp/st" || fail "kill.bt unreadable"
[ "$(field no_index "$tmp/st")" = 1 ] || fail "kill.bt: $(cat "$tmp/st")"
[ "$(field events "$tmp/st")" -gt 1000 ] ||
	fail "kill.bt holds too few events: $(cat "$tmp/st")"
[ -d "$inst/buddytrace-$pid" ] || fail "SIGKILL left no instance?"
"$BT" record --cleanup 2>"$tmp/err" || fail "--cleanup: $(cat "$tmp/err")"
[ -d "$inst/buddytrace-$pid" ] && fail "--cleanup left buddytrace-$pid"
grep -q "removed [1-9]" "$tmp/err" || fail "--cleanup said: $(cat "$tmp/err")"
exit 0
