#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# analyze replays the model in a child process and reads its summary back
# (analyze/analyze.c). The model's figures in the report must be those of
# `replay --mode model` (allocations, fast-path hits, pages reclaimed as
# the thp trace makes the model reclaim); the whole report, JSON and
# HTML (whose charts draw the model's samples, read back as an array),
# must be that of the two replays on threads (BUDDYTRACE_FORK=0, as check
# runs them), and must not change when the caller ignores SIGCHLD, which
# leaves no exit status to wait for.
. "$BT_TOP/tests/data/corpus-bt.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "analyze-model-child: $*"; exit 1; }
# the first "KEY": N inside the top-level "model" member of a report
model_num() {
	sed -n '/^  "model": {$/,/^  }/p' "$1" |
		sed -n "s/^    \"$2\": \([0-9]*\),*$/\1/p" | head -1
}
# the same inside "model" of a replay --json summary (one line)
replay_num() {
	sed -n "s/.*\"model\":{[^}]*\"$2\":\([0-9]*\).*/\1/p" "$1"
}
bt=$(bt_corpus_bt thp "$t") || { echo "skipped: corpus trace unavailable"; exit 77; }
"$BT" analyze "$bt" --format json > "$t/a.json" 2>"$t/err" ||
	fail "analyze exited $?: $(cat "$t/err")"
"$BT" replay "$bt" --mode model --json > "$t/r.json" 2>"$t/err" ||
	fail "replay exited $?: $(cat "$t/err")"
for k in allocations fast; do
	a=$(model_num "$t/a.json" "$k")
	r=$(replay_num "$t/r.json" "$k")
	[ -n "$a" ] && [ "$a" -gt 0 ] || fail "no model $k in the report"
	[ "$a" = "$r" ] || fail "model $k: report $a, replay $r"
done
rp=$(sed -n 's/.*"reclaimed_pages":\([0-9]*\).*/\1/p' "$t/r.json")
[ "${rp:-0}" -gt 0 ] || fail "the model did not reclaim on thp"
for name in thp rec-thp; do
	b=$(bt_corpus_bt "$name" "$t") || continue
	"$BT" analyze "$b" --format json > "$t/f.json" 2>"$t/err" ||
		fail "$name: analyze exited $?"
	BUDDYTRACE_FORK=0 "$BT" analyze "$b" --format json > "$t/th.json" \
		2>"$t/err" || fail "$name: analyze on threads exited $?"
	cmp -s "$t/f.json" "$t/th.json" ||
		fail "$name: child and thread reports differ: $(diff "$t/f.json" "$t/th.json" | head -4)"
	# the HTML charts draw the model's samples over time
	"$BT" analyze "$b" --format html -o "$t/f.html" 2>"$t/err" ||
		fail "$name: html exited $?"
	BUDDYTRACE_FORK=0 "$BT" analyze "$b" --format html -o "$t/th.html" \
		2>"$t/err" || fail "$name: html on threads exited $?"
	grep -q '<svg' "$t/f.html" || fail "$name: no charts"
	cmp -s "$t/f.html" "$t/th.html" ||
		fail "$name: child and thread charts differ"
done
(trap '' CHLD; exec "$BT" analyze "$bt" --format json) > "$t/i.json" \
	2>"$t/err" || fail "analyze with SIGCHLD ignored exited $?"
cmp -s "$t/a.json" "$t/i.json" ||
	fail "SIGCHLD ignored changes the report: $(diff "$t/a.json" "$t/i.json" | head -4)"
