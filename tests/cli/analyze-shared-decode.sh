#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A whole analysis feeds the recorded view from the mirror replay's reads
# (one decoding for both). Its recorded view and vmstat cross-check must
# be those of --mode recorded (the recorded pass alone): on corpus traces,
# and on a trace without zoneinfo, where the mirror stops at its setup and
# the recorded view reads the rest of the file by itself.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "analyze-shared-decode: $*"; exit 1; }
# the top-level "vmstat_check" and "recorded" members of a json report
part() {
	sed -n '/^  "vmstat_check": /,/^  "mirror": /p' "$1" | sed '$d'
}
check() {	# trace.bt name
	"$BT" analyze "$1" --format json > "$t/all.json" 2>"$t/err" ||
		fail "$2: analyze exited $?: $(cat "$t/err")"
	"$BT" analyze "$1" --mode recorded --format json > "$t/rec.json" \
		2>"$t/err" || fail "$2: --mode recorded exited $?"
	part "$t/all.json" > "$t/a"
	part "$t/rec.json" > "$t/r"
	[ "$(wc -l < "$t/a")" -gt 100 ] || fail "$2: no recorded view"
	cmp -s "$t/a" "$t/r" || fail "$2: recorded view differs: $(diff "$t/a" "$t/r" | head -5)"
	grep -q "$3" "$t/all.json" || fail "$2: expected '$3' in the report"
}
n=0
for name in thp lost; do
	f="$BT_TOP/traces/corpus/$name/trace.bt"
	[ -f "$f" ] || continue
	check "$f" "$name" '^  "mirror": {$'
	n=$((n + 1))
done
c="$BT_TOP/traces/corpus/markers"
if [ -f "$c/trace.dat" ]; then
	"$BT" import "$c/trace.dat" -o "$t/nz.bt" 2>/dev/null ||
		fail "import failed"
	check "$t/nz.bt" "no zoneinfo" '^  "mirror": null,$'
	n=$((n + 1))
fi
[ "$n" -gt 0 ] || { echo "skipped: corpus traces unavailable"; exit 77; }
exit 0
