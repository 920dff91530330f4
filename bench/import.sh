#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# trace.dat import: `buddytrace import` of the largest corpus trace.dat
# beside `trace-cmd report > /dev/null` on the same file (best of three
# runs each), as events/s and their ratio; then the size of the .bt beside
# the same trace.dat compressed by trace-cmd with zstd (`trace-cmd convert
# --compression zstd`; the corpus' version 7 files already are), in bytes
# per event. The .bt is written without /proc snapshots, so both hold the
# same events and formats.
set -u
command -v trace-cmd >/dev/null 2>&1 || { echo "skipped: needs trace-cmd"; exit 0; }
dat=$(ls -S "$BT_TOP"/traces/corpus/*/trace.dat 2>/dev/null | head -1)
[ -n "$dat" ] || { echo "skipped: no corpus trace.dat"; exit 0; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
name=$(basename "$(dirname "$dat")")

now() { date +%s.%N; }
# best TIME of three runs of a command
best() {
	b=""
	for i in 1 2 3; do
		t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
		b=$(awk -v a="$t0" -v z="$t1" -v b="$b" \
			'BEGIN { d = z - a; print (b == "" || d < b) ? d : b }')
	done
	echo "$b"
}
rep=$(best trace-cmd report -i "$dat")
imp=$(best "$BT" import "$dat" -o "$T/out.bt")
"$BT" import "$dat" -o "$T/out.bt" 2>"$T/err" || { cat "$T/err"; exit 1; }
events=$(sed -n 's/.*: \([0-9]*\) events,.*/\1/p' "$T/err")
trace-cmd convert --compression zstd -i "$dat" -o "$T/z.dat" >/dev/null 2>&1 ||
	cp "$dat" "$T/z.dat"
awk -v n="$events" -v rep="$rep" -v imp="$imp" -v name="$name" \
    -v bt="$(wc -c <"$T/out.bt")" -v z="$(wc -c <"$T/z.dat")" 'BEGIN {
	printf "trace.dat import: %d events (%s)\n", n, name
	printf "  trace-cmd report > /dev/null %7.3f s  %6.2f M events/s\n", rep, n / rep / 1e6
	printf "  buddytrace import            %7.3f s  %6.2f M events/s\n", imp, n / imp / 1e6
	printf "  import vs trace-cmd report: %.1fx faster (target 5x)\n", rep / imp
	printf "  size: trace.dat zstd %d bytes (%.2f B/event), .bt %d bytes (%.2f B/event): .bt is %.2f of it (target <= 0.5)\n", z, z / n, bt, bt / n, bt / z
}'
