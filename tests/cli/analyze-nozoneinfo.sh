#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A trace without a zoneinfo snapshot still gets the recorded view (same
# counts as with one), the mirror and model columns are skipped with a note
# that names --zoneinfo, and --zoneinfo FILE brings them back.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "analyze-nozoneinfo: $*"; exit 1; }
c="$BT_TOP/traces/corpus/markers"
[ -f "$c/trace.dat" ] || { echo "skipped: corpus trace unavailable"; exit 77; }
"$BT" import "$c/trace.dat" -o "$t/nz.bt" 2>/dev/null || fail "import failed"
"$BT" analyze "$t/nz.bt" --format json > "$t/nz.json" 2>"$t/err" ||
	fail "analyze exited $?: $(cat "$t/err")"
grep -q 'supply one with --zoneinfo FILE' "$t/nz.json" || fail "no note"
grep -q '^  "mirror": null,$' "$t/nz.json" || fail "mirror not skipped"
grep -q '^  "model": null,$' "$t/nz.json" || fail "model not skipped"
n=$(grep -m1 '"allocations":' "$t/nz.json" | tr -dc 0-9)
want=$(grep -m1 '"allocations":' "$BT_TOP/tests/data/golden/markers.analyze.json" |
	tr -dc 0-9)
[ "$n" = "$want" ] || fail "recorded allocations $n, want $want"
"$BT" analyze "$t/nz.bt" --format json --zoneinfo "$c/before/zoneinfo" \
	> "$t/z.json" || fail "analyze --zoneinfo failed"
grep -q '^  "model": {$' "$t/z.json" || fail "--zoneinfo gave no model"
m=$(grep -m1 '"allocations":' "$t/z.json" | tr -dc 0-9)
[ "$m" = "$n" ] || fail "recorded allocations changed: $n vs $m"
exit 0
