#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Text import speed: `trace-cmd report` of the largest corpus trace writes
# ftrace text; `buddytrace import` reads that text back into a .bt. Both
# are timed in this run, and `wc -l` on the same text gives the floor of
# merely reading the bytes.
set -u
command -v trace-cmd >/dev/null 2>&1 || { echo "skipped: needs trace-cmd"; exit 0; }
dat=$(ls -S "$BT_TOP"/traces/corpus/*/trace.dat 2>/dev/null | head -1)
[ -n "$dat" ] || { echo "skipped: no corpus trace.dat"; exit 0; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

now() { date +%s.%N; }
t0=$(now)
trace-cmd report -i "$dat" >"$T/report.txt" 2>/dev/null
t1=$(now)
wc -l <"$T/report.txt" >"$T/lines"
t2=$(now)
"$BT" import "$T/report.txt" -o "$T/out.bt" 2>/dev/null || {
	echo "import failed"; exit 1; }
t3=$(now)
lines=$(cat "$T/lines")
awk -v l="$lines" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" \
    -v txt="$(wc -c <"$T/report.txt")" -v bt="$(wc -c <"$T/out.bt")" 'BEGIN {
	rep = t1 - t0; wc = t2 - t1; imp = t3 - t2
	printf "text import: %d lines (%s)\n", l, "'"$(basename "$(dirname "$dat")")"'"
	printf "  trace-cmd report (writes it) %8.3f s  %6.2f M lines/s\n", rep, l / rep / 1e6
	printf "  wc -l (reads it)             %8.3f s  %6.2f M lines/s\n", wc, l / wc / 1e6
	printf "  buddytrace import            %8.3f s  %6.2f M lines/s\n", imp, l / imp / 1e6
	printf "  import vs trace-cmd report: %.1fx faster; text %d bytes -> .bt %d bytes (%.1fx smaller)\n", rep / imp, txt, bt, txt / bt
}'
