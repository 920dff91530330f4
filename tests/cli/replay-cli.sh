#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace replay from the command line: --help, usage errors, exit 65
# with the option to use when the trace has no zoneinfo snapshot,
# --zoneinfo, --events lines, byte-identical JSON across runs, and diff of
# two knob settings.
set -u
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
fail() { echo "replay-cli: $*" >&2; exit 1; }
zi="$BT_TOP/tests/data/replay/zoneinfo"

# Three events in the Normal zone of the test zoneinfo (pfn 8192 on).
cat > "$d/t.txt" <<'T'
            bash-1234    [000] .....  1000.000001: mm_page_alloc: page=0xffffea0000200000 pfn=0x2400 order=0 migratetype=0 gfp_flags=GFP_KERNEL
            bash-1234    [000] .....  1000.000002: mm_page_free: page=0xffffea0000200000 pfn=0x2400 order=0
            bash-1234    [001] .....  1000.000003: mm_page_alloc: page=0xffffea0000200080 pfn=0x2402 order=1 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE
T
"$BT" import "$d/t.txt" -o "$d/t.bt" 2>/dev/null || fail "import failed"

"$BT" replay --help | grep -q '^usage: buddytrace replay FILE' || fail "--help"
"$BT" replay 2>/dev/null; [ $? -eq 64 ] || fail "no file: not 64"
"$BT" replay "$d/t.bt" --mode bogus 2>/dev/null; [ $? -eq 64 ] || fail "bad mode"
"$BT" replay "$d/t.bt" --set nosuch=1 2>/dev/null; [ $? -eq 64 ] || fail "bad knob"
"$BT" replay "$d/t.bt" --set pageblock_order=12 2> "$d/err"
[ $? -eq 64 ] || fail "knob range: not 64"
grep -q "out of range 1..10" "$d/err" || fail "range message: $(cat "$d/err")"
"$BT" replay "$d/none.bt" 2>/dev/null; [ $? -eq 66 ] || fail "missing file: not 66"

"$BT" replay "$d/t.bt" > "$d/out" 2> "$d/err"
rc=$?
[ $rc -eq 65 ] || fail "no zoneinfo: exit $rc"
grep -q "holds no zoneinfo snapshot: supply one with --zoneinfo FILE" "$d/err" ||
	fail "no zoneinfo message: $(cat "$d/err")"
[ -s "$d/out" ] && fail "output without zoneinfo"

"$BT" replay "$d/t.bt" --zoneinfo "$zi" --json > "$d/a.json" || fail "--zoneinfo"
grep -q '"schema_version":1,"mode":"mirror"' "$d/a.json" || fail "json head"
grep -q '"recorded":{"allocations":2,"pages":3,' "$d/a.json" || fail "recorded counts"
"$BT" replay "$d/t.bt" --zoneinfo "$zi" --json > "$d/b.json"
cmp -s "$d/a.json" "$d/b.json" || fail "two runs differ"

"$BT" replay "$d/t.bt" --zoneinfo "$zi" --events > "$d/ev" 2> "$d/sum" ||
	fail "--events"
[ "$(wc -l < "$d/ev")" -eq 3 ] || fail "event lines: $(wc -l < "$d/ev")"
head -1 "$d/ev" | grep -q '^{"ts":1000000001000,"event":"mm_page_alloc","cpu":0,"pid":1234,"pfn":9216,"order":0,' ||
	fail "first event line: $(head -1 "$d/ev")"
sed -n 2p "$d/ev" | grep -q '"verdict":"pcp"' || fail "free onto pcp"
grep -q '^replay (mirror' "$d/sum" || fail "summary not on stderr"

"$BT" replay "$d/t.bt" --zoneinfo "$zi" --mode model --json > "$d/m1.json" ||
	fail "model"
"$BT" replay "$d/t.bt" --zoneinfo "$zi" --mode model --json \
	--set min_free_kbytes=65536 > "$d/m2.json" || fail "model knob"
"$BT" diff "$d/m1.json" "$d/m1.json" > /dev/null || fail "diff equal"
"$BT" diff "$d/m1.json" "$d/m2.json" > "$d/diff"
[ $? -eq 1 ] || fail "diff of two knob settings: not 1"
grep -q '^knobs.min_free_kbytes' "$d/diff" || fail "knob row: $(cat "$d/diff")"
exit 0
