#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench, record: events lost, recorder CPU time and bytes per event
# of `buddytrace record` and `trace-cmd record -d --no-filter` with the
# same per-CPU buffer size, one after the other in this run, under a load
# of over a million events a second (one page-churning process per CPU),
# at normal priority and starved (the load at nice -20). Targets (issue
# 4): no loss in the starved case, at most 0.15 CPU-s per million events,
# at most 2 bytes per event. Needs root and tracefs; otherwise it says so.
set -u
if [ "$(id -u)" != 0 ] || [ ! -w /sys/kernel/tracing/instances ]; then
	echo "record: skipped: needs root and tracefs"
	exit 0
fi
secs=${BENCH_RECORD_SECONDS:-5}
kb=${BENCH_RECORD_BUFFER_KB:-4096}
tmp=$(mktemp -d)
tcinst="btbench-$$"
inst=/sys/kernel/tracing/instances
cleanup() {
	# trace-cmd 3.1.6 exits 1 here and leaves its instance behind.
	if [ -d "$inst/$tcinst" ]; then
		echo 0 >"$inst/$tcinst/tracing_on"
		echo 0 >"$inst/$tcinst/events/enable"
		rmdir "$inst/$tcinst"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
cc -O2 -o "$tmp/aw" "$BT_TOP/tests/helpers/alloc-workload.c" || exit 1
ncpu=$(getconf _NPROCESSORS_ONLN)

# The default event set of buddytrace record, for trace-cmd.
tc_events="-e kmem:mm_page_alloc -e kmem:mm_page_free
 -e kmem:mm_page_free_batched -e kmem:mm_page_alloc_zone_locked
 -e kmem:mm_page_pcpu_drain -e kmem:mm_page_alloc_extfrag -e compaction
 -e vmscan:mm_vmscan_wakeup_kswapd -e vmscan:mm_vmscan_kswapd_wake
 -e vmscan:mm_vmscan_kswapd_sleep -e vmscan:mm_vmscan_direct_reclaim_begin
 -e vmscan:mm_vmscan_direct_reclaim_end
 -e vmscan:mm_vmscan_memcg_reclaim_begin
 -e vmscan:mm_vmscan_memcg_reclaim_end -e oom"

load() {
	i=0
	while [ $i -lt "$ncpu" ]; do
		"$tmp/aw" nice="$1" churn="$secs" >/dev/null &
		i=$((i + 1))
	done
	wait
}

# Until the recorder turned tracing on (after its start snapshots).
wait_on() {
	n=0
	while [ "$(cat "$1" 2>/dev/null)" != 1 ] && [ $n -lt 300 ]; do
		sleep 0.05
		n=$((n + 1))
	done
}

wait_dir() {
	n=0
	while [ ! -d "$1" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
}

# Prints "events lost cpu_seconds bytes".
run_bt() {
	# Default options (the free-page map included, its time taken out).
	"$BT" record -o "$tmp/bt.bt" -b "$kb" --duration $((secs + 1)) \
		2>"$tmp/bt.err" &
	pid=$!
	wait_on "$inst/buddytrace-$pid/tracing_on"
	load "$1"
	wait $pid
	ev=$(sed -n "s/.*: \([0-9]*\) events in.*/\1/p" "$tmp/bt.err")
	lost=$(sed -n "s/.* s, \([0-9]*\) lost.*/\1/p" "$tmp/bt.err")
	cpu=$(sed -n "s/.*recorder cpu \([0-9.]*\) s.*/\1/p" "$tmp/bt.err")
	fm=$(sed -n "s/.*free-page map: .*(\([0-9.]*\) s cpu).*/\1/p" "$tmp/bt.err")
	cpu=$(awk -v c="${cpu:-0}" -v f="${fm:-0}" 'BEGIN { printf "%.2f", c - f }')
	echo "${ev:-0} ${lost:-0} ${cpu:-0} $(stat -c %s "$tmp/bt.bt") ${fm:-0}"
}

run_tc() {
	rm -f "$tmp/tc.dat"
	# shellcheck disable=SC2086
	/usr/bin/time -f "%U %S" -o "$tmp/tc.time" trace-cmd record -d \
		--no-filter -B "$tcinst" -b "$kb" $tc_events \
		-o "$tmp/tc.dat" sleep $((secs + 1)) >"$tmp/tc.out" 2>&1 &
	pid=$!
	wait_dir "$inst/$tcinst"
	sleep 0.5
	load "$1"
	wait $pid
	trace-cmd report --stat -i "$tmp/tc.dat" >"$tmp/tc.stat" 2>/dev/null
	awk -v size="$(stat -c %s "$tmp/tc.dat" 2>/dev/null || echo 0)" \
	    -v t="$(cat "$tmp/tc.time" | tail -1)" '
		/^read events:/ { ev += $3 }
		/^overrun:/ { lost += $2 }
		/^dropped events:/ { lost += $3 }
		/^entries:/ { left += $2 }
		END { split(t, c, " "); printf "%d %d %.2f %d %d\n", ev,
		      lost + left, c[1] + c[2], size, left }' "$tmp/tc.stat"
	cleanup_tc
}

cleanup_tc() {
	if [ -d "$inst/$tcinst" ]; then
		echo 0 >"$inst/$tcinst/tracing_on"
		rmdir "$inst/$tcinst" 2>/dev/null
	fi
}

line() {
	# name events lost cpu bytes
	awk -v n="$1" -v ev="$2" -v lost="$3" -v cpu="$4" -v b="$5" \
	    -v s="$secs" 'BEGIN {
		tot = ev + lost; if (tot < 1) tot = 1; if (ev < 1) ev = 1
		printf "  %-10s %6.2f M events (%.2f M/s), lost %d (%.1f%%), " \
		       "cpu %.2f s = %.3f s per M events, %.2f bytes/event\n",
		       n, ev / 1e6, ev / 1e6 / s, lost, 100 * lost / tot, cpu,
		       cpu * 1e6 / ev, b / ev }'
}

ratio() {
	awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" -v e="$5" -v f="$6" 'BEGIN {
		printf "  buddytrace/trace-cmd: cpu per event %.2fx, bytes per " \
		       "event %.2fx\n", (c / (a > 0 ? a : 1)) /
		       (f / (d > 0 ? d : 1) > 0 ? f / (d > 0 ? d : 1) : 1),
		       (e > 0 ? (b / (a > 0 ? a : 1)) / (e / (d > 0 ? d : 1)) : 0) }'
}

for nice in 0 -20; do
	if [ "$nice" = 0 ]; then what="normal priority"; else what="starved: load at nice -20"; fi
	echo "record: $ncpu page-churning processes, $secs s, $kb KB per CPU, $what"
	set -- $(run_bt "$nice")
	bt_ev=$1 bt_lost=$2 bt_cpu=$3 bt_bytes=$4 bt_fm=$5
	set -- $(run_tc "$nice")
	tc_ev=$1 tc_lost=$2 tc_cpu=$3 tc_bytes=$4 tc_left=$5
	line buddytrace "$bt_ev" "$bt_lost" "$bt_cpu" "$bt_bytes"
	line trace-cmd "$tc_ev" "$tc_lost" "$tc_cpu" "$tc_bytes"
	echo "  (buddytrace's cpu excludes the $bt_fm cpu-s of reading /proc/kpageflags for the free-page maps)"
	[ "$tc_left" -gt 0 ] && echo "  (trace-cmd left $tc_left events unread in the kernel buffer: counted as lost)"
	awk -v a="$bt_ev" -v c="$bt_cpu" -v b="$bt_bytes" -v d="$tc_ev" \
	    -v f="$tc_cpu" -v e="$tc_bytes" 'BEGIN {
		if (a < 1 || d < 1 || f <= 0 || e <= 0) exit
		printf "  buddytrace/trace-cmd: cpu per event %.2fx, " \
		       "bytes per event %.2fx, file per M events %.2f MB vs %.2f MB\n",
		       (c / a) / (f / d), (b / a) / (e / d), b / a, e / d }'
done
echo "  targets: no loss when starved, <= 0.150 s per M events, <= 2 bytes/event"
