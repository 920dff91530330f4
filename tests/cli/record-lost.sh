#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Lost events are never silent: a recorder stopped (SIGSTOP) for a second
# with a 16 KB buffer per CPU under a page-churning load must report
# losses, and the file must hold exactly the lost count the summary gives.
# Needs root and tracefs.
set -u
if [ "$(id -u)" != 0 ] || [ ! -w /sys/kernel/tracing/instances ]; then
	echo "record-lost: skipped: needs root and tracefs"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stat_bin="$BT_TOP/${BUILD:-build/rel}/tests/test-record-live"
helper="$BT_TOP/${BUILD:-build/rel}/tests/helpers/alloc-workload"
inst=/sys/kernel/tracing/instances
fail() { echo "record-lost: $*"; exit 1; }

"$BT" record -o "$tmp/l.bt" --no-freemap --buffer-kb 16 --duration 4 \
	2>"$tmp/err" &
pid=$!
n=0
while [ "$(cat "$inst/buddytrace-$pid/tracing_on" 2>/dev/null)" != 1 ] &&
      [ $n -lt 200 ]; do
	sleep 0.1
	n=$((n + 1))
done
"$helper" churn=2 >/dev/null &
load=$!
sleep 0.3
kill -STOP $pid
sleep 1
kill -CONT $pid
wait $load
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "recorder exited $rc: $(cat "$tmp/err")"
lost=$(sed -n "s/.* s, \([0-9]*\) lost.*/\1/p" "$tmp/err")
[ -n "$lost" ] && [ "$lost" -gt 0 ] || fail "no loss reported: $(cat "$tmp/err")"
"$stat_bin" --stat "$tmp/l.bt" >"$tmp/st" || fail "file unreadable"
flost=$(sed -n "s/.* lost=\([0-9]*\).*/\1/p" "$tmp/st")
[ "$flost" = "$lost" ] || fail "summary says $lost lost, the file $flost"
# Pages flagged without a count: as many markers as the summary says.
unk=$(sed -n "s/.*(+\([0-9]*\) pages with an unknown count).*/\1/p" "$tmp/err" |
	awk '{ s += $1 } END { print s + 0 }')
funk=$(sed -n "s/.*lost_unknown=\([0-9]*\).*/\1/p" "$tmp/st")
[ "$funk" = "$unk" ] || fail "summary says $unk pages of unknown loss, the file $funk"
exit 0
