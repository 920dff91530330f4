#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --window between two trace markers restricts the counts: the allocations
# and pages between "START anon" and "STOP anon" of the markers corpus
# trace equal what trace-cmd report shows between the same markers; a time
# window restricts the event count.
. "$BT_TOP/tests/data/corpus-bt.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "analyze-window: $*"; exit 1; }
command -v trace-cmd >/dev/null || { echo "skipped: needs trace-cmd"; exit 77; }
bt=$(bt_corpus_bt markers "$t") || { echo "skipped: corpus trace unavailable"; exit 77; }
dat="$BT_TOP/traces/corpus/markers/trace.dat"
trace-cmd report -i "$dat" 2>/dev/null | awk '
	/print: .*START anon/ { on = 1; next }
	/print: .*STOP anon/ { on = 0 }
	on && / mm_page_alloc: / {
		n++
		for (i = 1; i <= NF; i++)
			if ($i ~ /^order=/) { split($i, a, "="); o = a[2] }
		if ($0 !~ /page=\(nil\)/) p += 2 ^ o
	}
	END { print n + 0, p + 0 }' > "$t/want"
read want_n want_p < "$t/want"
[ "$want_n" -gt 0 ] || fail "reference found no allocation in the window"
"$BT" analyze "$bt" --mode recorded --format json \
	--window 'START anon,STOP anon' > "$t/w.json" || fail "analyze failed"
"$BT" analyze "$bt" --mode recorded --format json > "$t/all.json" ||
	fail "analyze failed"
# The first "allocations" and "pages" keys belong to "recorded".
got_n=$(grep -m1 '"allocations":' "$t/w.json" | tr -dc 0-9)
got_p=$(grep -m1 '"pages":' "$t/w.json" | tr -dc 0-9)
all_n=$(grep -m1 '"allocations":' "$t/all.json" | tr -dc 0-9)
[ "$got_n" = "$want_n" ] || fail "window allocations $got_n, want $want_n"
[ "$got_p" = "$want_p" ] || fail "window pages $got_p, want $want_p"
[ "$all_n" -gt "$got_n" ] || fail "whole trace $all_n not above window $got_n"
grep -q '"spec": "START anon,STOP anon"' "$t/w.json" || fail "window not recorded"
# A time window: the first 0.0 seconds hold no allocation.
"$BT" analyze "$bt" --mode recorded --format json --window 0,0 > "$t/z.json" ||
	fail "time window failed"
z=$(grep -m1 '"allocations":' "$t/z.json" | tr -dc 0-9)
[ "$z" -le 1 ] || fail "empty time window counted $z allocations"
exit 0
