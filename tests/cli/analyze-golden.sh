#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Golden JSON: `buddytrace analyze --format json` of every corpus trace is
# byte for byte tests/data/golden/<trace>.analyze.json, and every row of
# its vmstat cross-check is within the tolerance the man page documents.
# When the model changes on purpose, regenerate the files with
# tests/data/golden/regen.sh and review the diff.
. "$BT_TOP/tests/data/corpus-bt.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "analyze-golden: $*"; exit 1; }
g="$BT_TOP/tests/data/golden"
for n in $BT_CORPUS_NAMES; do
	bt=$(bt_corpus_bt "$n" "$t") || { echo "skipped: corpus trace $n unavailable"; exit 77; }
	"$BT" analyze "$bt" --format json > "$t/$n.json" || fail "$n: analyze failed"
	cmp -s "$t/$n.json" "$g/$n.analyze.json" || {
		diff -u "$g/$n.analyze.json" "$t/$n.json" | head -40
		fail "$n: output differs from the golden file (regen.sh if intended)"
	}
	[ "$n" = thp ] && { "$BT" analyze "$bt" | awk 'length($0) > 100 {
		print "analyze-golden: text wider than 100 columns: " $0; bad = 1 }
		END { exit bad }' || exit 1; }
	rows=$(grep -c '"within": true' "$t/$n.json")
	[ "$rows" -eq 7 ] || fail "$n: $rows of 7 vmstat rows within tolerance"
done
exit 0
