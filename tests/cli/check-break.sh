#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `check` catches a regression: with one model rule broken on purpose (the
# test-only knob test_break_fallback reverses the fallback order) it exits
# 1 and names a model metric that moved; a baseline value edited by hand
# is reported as moved with both values; a trace missing from the
# baseline fails too.
. "$BT_TOP/tests/data/corpus-bt.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "check-break: $*"; cat "$t/out" 2>/dev/null; exit 1; }
base="$BT_TOP/traces/corpus/baseline.json"
bt=$(bt_corpus_bt thp "$t") || { echo "skipped: corpus trace unavailable"; exit 77; }
"$BT" check "$bt" --baseline "$base" > "$t/out" 2>&1 || fail "clean run failed"
"$BT" check "$bt" --baseline "$base" --set test_break_fallback=1 \
	> "$t/out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "broken rule: exit $rc, want 1"
grep -Eq '^  thp/trace\.bt +model\.' "$t/out" || fail "no model metric named"
grep -q 'REGRESSION' "$t/out" || fail "no verdict"
# A tolerance keyed by a path prefix absorbs the same moves: the longest
# matching key wins over "default".
sed 's/"default": {/"model.fallbacks": { "abs": 1000000, "rel": 0 },\n    "model.": { "abs": 0, "rel": 0.5 },\n    "default": {/' \
	"$base" > "$t/tol.json"
"$BT" check "$bt" --baseline "$t/tol.json" --set test_break_fallback=1 \
	> "$t/out" 2>&1
rc=$?
grep -q 'model\.fallbacks' "$t/out" && fail "tolerated fallback moves listed"
[ $rc -eq 0 ] || grep -Eq '^  thp/trace\.bt +model\.' "$t/out" ||
	fail "exit $rc without a moved metric"
# Four times min_free_kbytes on the memory-pressure trace must raise the
# model's slow-path entries, and check must say so.
pr=$(bt_corpus_bt pressure "$t") || { echo "skipped: corpus trace unavailable"; exit 77; }
"$BT" check "$pr" --baseline "$base" --set min_free_kbytes=270336 \
	> "$t/out" 2>&1
[ $? -eq 1 ] || fail "min_free_kbytes x4 passed"
line=$(grep -E '^  pressure/trace\.bt +model\.slowpath\.total ' "$t/out") ||
	fail "model.slowpath.total did not move"
set -- $line
[ "$4" -gt "$3" ] || fail "slow-path entries did not rise: $3 -> $4"
# Edit one recorded count in a copy of the baseline.
want=$(grep -A400 '"thp/trace.bt"' "$base" | grep -m1 '"recorded.allocations"' |
	tr -dc 0-9)
sed "/\"thp\/trace.bt\"/,/}/ s/\"recorded.allocations\": $want/\"recorded.allocations\": 7/" \
	"$base" > "$t/edited.json"
"$BT" check "$bt" --baseline "$t/edited.json" > "$t/out" 2>&1
[ $? -eq 1 ] || fail "edited baseline passed"
grep -Eq "recorded\.allocations +7 +$want" "$t/out" || fail "edit not shown"
# A trace the baseline does not know.
cp "$bt" "$t/unknown.bt"
"$BT" check "$t/unknown.bt" --baseline "$base" > "$t/out" 2>&1
[ $? -eq 1 ] || fail "unknown trace passed"
grep -q 'not in the baseline' "$t/out" || fail "unknown trace not named"
exit 0
