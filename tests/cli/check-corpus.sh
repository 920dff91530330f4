#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make check's regression gate: `buddytrace check` over the corpus against
# the committed baseline passes, traces in parallel.
. "$BT_TOP/tests/data/corpus-bt.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "check-corpus: $*"; cat "$t/out"; exit 1; }
dir=$(bt_corpus_dir "$t") || { echo "skipped: corpus traces unavailable"; exit 77; }
n=$(ls "$dir"/*/trace.bt | wc -l)
"$BT" check "$dir" --baseline "$BT_TOP/traces/corpus/baseline.json" \
	--jobs 2 > "$t/out" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "check exited $rc"
grep -q "^check: $n traces, 0 metrics moved, 0 traces missing, 0 failed" \
	"$t/out" || fail "unexpected summary"
exit 0
