#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace info and dump on a .bt imported from generated ftrace text:
# per-event counts, lost events, bytes and duration in `info --json`;
# text, jsonl (failed allocations as "pfn": null) and csv output; event,
# pid, cpu and time filters; a closed pipe; usage errors.
set -u
. "$BT_TOP/tests/traces-bt-lib.sh"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$BT" import --help >/dev/null 2>&1 ||
	{ echo "skipped: import is not in this build"; exit 77; }
make_trace "$T/t.txt" 1000
"$BT" import "$T/t.txt" -o "$T/t.bt" 2>"$T/imp.err" ||
	fail "import exited $?: $(cat "$T/imp.err")"

# expected values, derived from the text itself
allocs=$(grep -c ': mm_page_alloc:' "$T/t.txt")
failed=$(grep -c 'page=(nil)' "$T/t.txt")
frees=$(grep -c ': mm_page_free:' "$T/t.txt")
cpu1=$(grep -c '\[001\] .*mm_page_' "$T/t.txt")
pid1003=$(grep -c 'stress-1003 ' "$T/t.txt")
bytes=$(wc -c <"$T/t.bt" | tr -d ' ')
[ "$allocs" -eq 1000 ] && [ "$failed" -eq 20 ] && [ "$frees" -eq 100 ] ||
	fail "generator changed: $allocs $failed $frees"

"$BT" info --json "$T/t.bt" >"$T/info.json" 2>"$T/info.err" ||
	fail "info --json exited $?"
[ -s "$T/info.err" ] && fail "info warned: $(cat "$T/info.err")"
j() { grep -E "^ *\"$1\": " "$T/info.json" | head -1 | sed 's/.*: //; s/,$//'; }
[ "$(j schema_version)" = 1 ] || fail "schema_version $(j schema_version)"
[ "$(j mm_page_alloc)" = "$allocs" ] || fail "mm_page_alloc $(j mm_page_alloc)"
[ "$(j mm_page_free)" = "$frees" ] || fail "mm_page_free $(j mm_page_free)"
[ "$(j print)" = 1 ] || fail "print $(j print)"
[ "$(j lost_events)" = 7 ] || fail "lost_events $(j lost_events)"
[ "$(j cpus)" = 2 ] || fail "cpus $(j cpus)"
[ "$(j bytes)" = "$bytes" ] || fail "bytes $(j bytes) vs $bytes"
[ "$(j total_events)" = $((allocs + frees + 1)) ] || fail "total_events"
first=$(j first_ts_ns)
last=$(j last_ts_ns)
[ "$(j duration_ns)" = $((last - first)) ] || fail "duration_ns"
[ "$first" = 100001000000 ] || fail "first_ts_ns $first"
"$BT" info "$T/t.bt" | grep -q "^  mm_page_alloc  *$allocs\$" ||
	fail "text info lacks the alloc count"

# text: one line per event, lost marker included, pfn in hex
"$BT" dump "$T/t.bt" >"$T/d.txt" || fail "dump exited $?"
[ "$(wc -l <"$T/d.txt")" -eq $((allocs + frees + 2)) ] ||
	fail "text lines $(wc -l <"$T/d.txt")"
head -1 "$T/d.txt" | grep -Eq '^ +stress-1000 +\[000\] +100\.001000: mm_page_alloc: +pfn=0x1000 order=0 ' ||
	fail "first text line: $(head -1 "$T/d.txt")"
grep -q 'lost_events: *count=7' "$T/d.txt" || fail "no lost marker line"
grep -q 'buf=window begin$' "$T/d.txt" || fail "no marker text"

# jsonl: failed allocations have "pfn": null
"$BT" dump "$T/t.bt" --format jsonl >"$T/d.jsonl" || fail "jsonl exited $?"
[ "$(grep -c '"event":"mm_page_alloc".*"pfn":null' "$T/d.jsonl")" -eq "$failed" ] ||
	fail "null pfns"
head -1 "$T/d.jsonl" | grep -q '^{"event":"mm_page_alloc","ts_ns":100001000000,"cpu":0,"pid":1000,"comm":"stress","pfn":4096,"order":0,' ||
	fail "first jsonl: $(head -1 "$T/d.jsonl")"

# csv: a header, then one row per event
"$BT" dump "$T/t.bt" --format csv -e kmem >"$T/d.csv" || fail "csv exited $?"
[ "$(head -1 "$T/d.csv")" = "ts_ns,cpu,pid,comm,event,pfn,order,gfp_flags,migratetype" ] ||
	fail "csv header: $(head -1 "$T/d.csv")"
[ "$(wc -l <"$T/d.csv")" -eq $((allocs + frees + 1)) ] || fail "csv rows"

# filters
n=$("$BT" dump "$T/t.bt" --event mm_page_free | wc -l)
[ "$n" -eq "$frees" ] || fail "--event mm_page_free: $n"
n=$("$BT" dump "$T/t.bt" --filter mm_page_free,print | wc -l)
[ "$n" -eq $((frees + 1)) ] || fail "--filter list: $n"
n=$("$BT" dump "$T/t.bt" -e kmem --cpu 1 | wc -l)
[ "$n" -eq "$cpu1" ] || fail "--cpu 1: $n, want $cpu1"
n=$("$BT" dump "$T/t.bt" -e kmem --pid 1003 | wc -l)
[ "$n" -eq "$pid1003" ] || fail "--pid: $n, want $pid1003"
# the first 100 allocations end at ts 100001000000 + sum of the gaps
n=$("$BT" dump "$T/t.bt" -e mm_page_alloc --from 100.001 --to 100001100000ns | wc -l)
want=$(awk 'BEGIN { ts = 100000000; n = 0
	for (i = 0; i < 1000; i++) { ts += 1000 + (i % 7) * 10
		if (ts >= 100001 && ts <= 100001100) n++ } print n }')
[ "$n" -eq "$want" ] || fail "--from/--to: $n, want $want"

# standard input reads the same
n=$("$BT" dump - <"$T/t.bt" | wc -l)
[ "$n" -eq $((allocs + frees + 2)) ] || fail "dump -: $n lines"

# a closed pipe ends quietly
"$BT" dump "$T/t.bt" 2>"$T/pipe.err" | head -1 >/dev/null
[ -s "$T/pipe.err" ] && fail "closed pipe: $(cat "$T/pipe.err")"

# /proc snapshots: in info, in the event stream, and with --snapshots
mkdir "$T/before" "$T/after"
printf 'Node 0, zone      DMA      1      1      0\n' >"$T/before/buddyinfo"
printf 'nr_free_pages 100\n' >"$T/before/vmstat"
printf 'Node 0, zone      DMA      0      1      0\n' >"$T/after/buddyinfo"
"$BT" import "$T/t.txt" -o "$T/s.bt" --proc-before "$T/before" \
	--proc-after "$T/after" 2>/dev/null || fail "import with snapshots"
"$BT" info --json "$T/s.bt" | grep -q '"snapshots": 3,' || fail "info snapshots"
[ "$("$BT" dump "$T/s.bt" -e snapshot | wc -l)" -eq 3 ] || fail "snapshot events"
"$BT" dump "$T/s.bt" --snapshots >"$T/snap.txt" || fail "--snapshots exited $?"
[ "$(grep -c '^# snapshot [0-9]: ' "$T/snap.txt")" -eq 3 ] || fail "snapshot headers"
sed -n 2p "$T/snap.txt" | grep -q '^Node 0, zone      DMA      1      1      0$' ||
	fail "snapshot text: $(sed -n 2p "$T/snap.txt")"
"$BT" dump "$T/s.bt" --snapshots --format jsonl | sed -n 2p |
	grep -q '^{"snapshot":1,"kind":"vmstat","ts_ns":100001000000,"bytes":18,"text":"nr_free_pages 100\\n"}$' ||
	fail "snapshot jsonl"

# usage
"$BT" dump "$T/t.bt" --format xml 2>/dev/null; [ $? -eq 64 ] || fail "bad format"
"$BT" dump "$T/t.bt" -e nosuchevent 2>/dev/null; [ $? -eq 64 ] || fail "bad event"
"$BT" dump "$T/t.bt" --from 1x 2>/dev/null; [ $? -eq 64 ] || fail "bad time"
"$BT" info 2>/dev/null; [ $? -eq 64 ] || fail "info without file"
"$BT" info --help | grep -q '^usage: buddytrace info' || fail "info --help"
"$BT" dump --help | grep -q '^usage: buddytrace dump' || fail "dump --help"
"$BT" dump "$T/missing.bt" 2>"$T/m.err"; rc=$?
[ $rc -eq 66 ] || fail "missing file: exit $rc"
[ "$(wc -l <"$T/m.err")" -eq 1 ] || fail "missing file: $(cat "$T/m.err")"
exit 0
