#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Sharding and merging: two shards take disjoint halves of the sorted
# corpus, their summaries merge into a run that passes against the
# baseline; a merge missing a shard reports the traces it lacks; --update
# rewrites a baseline keeping its tolerances; bad options exit 64.
. "$BT_TOP/tests/data/corpus-bt.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "check-shard: $*"; cat "$t/out" 2>/dev/null; exit 1; }
base="$BT_TOP/traces/corpus/baseline.json"
dir=$(bt_corpus_dir "$t") || { echo "skipped: corpus traces unavailable"; exit 77; }
n=$(ls "$dir"/*/trace.bt | wc -l)
"$BT" check "$dir" --baseline "$base" --shard 1/2 --summary-out "$t/s1.json" \
	> "$t/out" 2>&1 || fail "shard 1 failed"
"$BT" check "$dir" --baseline "$base" --shard 2/2 --summary-out "$t/s2.json" \
	> "$t/out" 2>&1 || fail "shard 2 failed"
# Shard 1 takes traces 1, 3, ... of the sorted names.
first=$(cd "$dir" && ls */trace.bt | sort | head -1)
second=$(cd "$dir" && ls */trace.bt | sort | sed -n 2p)
grep -q "\"$first\"" "$t/s1.json" || fail "$first not in shard 1"
grep -q "\"$second\"" "$t/s1.json" && fail "$second in shard 1"
grep -q "\"$second\"" "$t/s2.json" || fail "$second not in shard 2"
"$BT" check --merge "$t/s1.json" "$t/s2.json" --baseline "$base" \
	> "$t/out" 2>&1 || fail "merge failed"
grep -q "^check: $n traces, 0 metrics moved" "$t/out" || fail "merge summary"
"$BT" check --merge "$t/s1.json" --baseline "$base" > "$t/out" 2>&1
[ $? -eq 1 ] || fail "half a merge passed"
grep -q "$second.*in the baseline, not in the corpus" "$t/out" ||
	fail "missing trace not named"
# --update keeps the tolerances of the old baseline.
sed 's/"default": {/"model.": { "abs": 3, "rel": 0.5 },\n    "default": {/' \
	"$base" > "$t/b.json"
"$BT" check --merge "$t/s1.json" "$t/s2.json" --baseline "$t/b.json" \
	--update > "$t/out" 2>&1 || fail "update failed"
grep -q '"model.": {' "$t/b.json" || fail "tolerance lost"
"$BT" check --merge "$t/s2.json" "$t/s1.json" --baseline "$t/b.json" \
	> "$t/out" 2>&1 || fail "updated baseline does not pass"
for bad in "--shard 3/2" "--shard 0/2" "--shard x" "--jobs 0" "--bogus"; do
	"$BT" check "$dir" --baseline "$base" $bad > "$t/out" 2>&1
	[ $? -eq 64 ] || fail "'$bad' did not exit 64"
done
"$BT" check "$t/none" --baseline "$base" > "$t/out" 2>&1
[ $? -eq 66 ] || fail "missing corpus did not exit 66"
exit 0
