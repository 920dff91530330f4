#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace import on ftrace text: every sample of tests/data/text imports
# (file and standard input), per-event counts of the .bt match the sample
# when `info` is built, page= pointers convert with --vmemmap-base, and
# text without a known event is refused with exit 65.
set -u
D="$BT_TOP/tests/data/text"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

for f in "$D"/*.txt; do
	n=$(basename "$f" .txt)
	"$BT" import "$f" -o "$T/$n.bt" 2>"$T/$n.err" ||
		fail "import $n exited $?: $(cat "$T/$n.err")"
	[ -s "$T/$n.bt" ] || fail "import $n wrote nothing"
done

# standard input gives the same events as the file
"$BT" import - -o "$T/stdin.bt" <"$D/perf-script.txt" 2>"$T/stdin.err" ||
	fail "import from stdin exited $?"
grep -q ": 20 events," "$T/stdin.err" || fail "stdin: $(cat "$T/stdin.err")"

# page= pointers only: a note without the vmemmap base, none with it
grep -q "3 events give only a page= pointer" "$T/pointers-only.err" ||
	fail "no pfn-unknown note: $(cat "$T/pointers-only.err")"
"$BT" import "$D/pointers-only.txt" -o "$T/p.bt" \
	--vmemmap-base 0xffffea0000000000 --struct-page-size 64 2>"$T/p.err" ||
	fail "import with --vmemmap-base exited $?"
grep -q "page= pointer" "$T/p.err" && fail "note despite --vmemmap-base"

# no known event at all: exit 65 and no output left behind
printf '# tracer: nop\n#\nnothing here\n' >"$T/empty-trace.txt"
"$BT" import "$T/empty-trace.txt" -o "$T/e.bt" 2>"$T/e.err"
rc=$?
[ $rc -eq 65 ] || fail "text without events: exit $rc, want 65"
[ -e "$T/e.bt" ] && fail "output left behind for a refused input"
[ "$(wc -l <"$T/e.err")" -eq 1 ] || fail "want one line: $(cat "$T/e.err")"
head -c 4096 /dev/urandom >"$T/random.bin"
"$BT" import "$T/random.bin" -o "$T/r.bt" 2>/dev/null
rc=$?
[ $rc -eq 65 ] || fail "random bytes: exit $rc, want 65"

# per-event counts through info --json, when this build has it
if "$BT" info --help >/dev/null 2>&1; then
	"$BT" info --json "$T/trace-pipe.bt" >"$T/i.json" ||
		fail "info exited $?"
	tr -d ' \n' <"$T/i.json" >"$T/i1.json"
	for kv in '"mm_page_alloc":11' '"mm_page_free":4' '"print":2' \
		  '"lost_events":7'; do
		grep -q "$kv" "$T/i1.json" || fail "info lacks $kv: $(cat "$T/i.json")"
	done
	"$BT" info --json "$T/events-6x.bt" | tr -d ' \n' >"$T/i2.json"
	for ev in mm_compaction_begin mm_compaction_end reclaim_retry_zone \
		  compact_retry mark_victim mm_vmscan_wakeup_kswapd; do
		grep -q "\"$ev\":1[,}]" "$T/i2.json" || fail "$ev count: $(cat "$T/i2.json")"
	done
	"$BT" info --json "$T/perf-script-header.bt" | tr -d ' \n' >"$T/i3.json"
	grep -q '"kernel":"6.18.44-fc-v657"' "$T/i3.json" ||
		fail "kernel from perf --header: $(cat "$T/i3.json")"
	grep -q '"cpus":2' "$T/i3.json" || fail "cpus: $(cat "$T/i3.json")"
else
	echo "note: info not in this build; per-event counts not checked"
fi
exit 0
