#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Replay speed: `buddytrace replay` in mirror and model mode on the corpus
# .bt with the most events, beside reading the same file without replaying
# it (`buddytrace dump --format none`: open, checksum, zstd, decode, merge
# the CPUs, print nothing). Best of three loops of five runs each (max RSS
# is one run's): events/s of wall time
# and of CPU time (user + system, one core), the replay's own cost per
# event beyond reading, and peak memory (max RSS). Targets (issue 5): 20 M
# events/s mirror, 10 M events/s model, on one core.
set -u
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "skipped: needs /usr/bin/time"; exit 0; }

bt=""
most=0
for f in "$BT_TOP"/traces/corpus/*/trace.bt; do
	[ -f "$f" ] || continue
	n=$("$BT" info --json "$f" 2>/dev/null |
		sed -n 's/^ *"total_events": \([0-9]*\).*/\1/p')
	[ "${n:-0}" -gt "$most" ] && { most=$n; bt=$f; }
done
[ -n "$bt" ] || { echo "skipped: no corpus .bt"; exit 0; }
name=$(basename "$(dirname "$bt")")

# Five runs in a row are timed together (the clock ticks in 10 ms); the
# best of three such loops, per run: prints "wall cpu maxrss_kb".
best() {
	b=""
	for i in 1 2 3; do
		"$TIME" -f "%e %U %S %M" -o "$T/t" sh -c \
			'for i in 1 2 3 4 5; do "$@" >/dev/null 2>&1 || exit 1; done' \
			sh "$@" || { echo "fail"; return; }
		r=$(awk '{ printf "%.4f %.4f %d\n", $1 / 5, ($2 + $3) / 5, $4 }' "$T/t")
		b=$(printf '%s\n%s\n' "$b" "$r" | awk 'NF' | sort -n | head -1)
	done
	echo "$b"
}
read tr cr mr <<EOF2
$(best "$BT" dump "$bt" --format none)
EOF2
read tm cm mm <<EOF2
$(best "$BT" replay "$bt" --mode mirror)
EOF2
read to co mo <<EOF2
$(best "$BT" replay "$bt" --mode model)
EOF2
[ "$tr" = fail ] || [ "$tm" = fail ] || [ "$to" = fail ] &&
	{ echo "a run failed"; exit 1; }

awk -v n="$most" -v name="$name" -v tr="$tr" -v cr="$cr" -v mr="$mr" \
    -v tm="$tm" -v cm="$cm" -v mm="$mm" -v to="$to" -v co="$co" -v mo="$mo" '
function rate(t) { return t > 0 ? n / t / 1e6 : 0 }
function extra(c) { return c > cr ? (c - cr) / n * 1e9 : 0 }
BEGIN {
	printf "replay: %d events (%s)\n", n, name
	h = "  %-28s %7s %9s %7s %9s %9s %8s\n"
	f = "  %-28s %7.3f %9.1f %7.3f %9.1f %9.1f %6d MB\n"
	printf h, "", "wall s", "M ev/s", "cpu s", "M ev/s", "ns/ev+", "max RSS"
	printf f, "read only (dump -f none)", tr, rate(tr), cr, rate(cr), 0, mr / 1024
	printf f, "replay --mode mirror", tm, rate(tm), cm, rate(cm), extra(cm), mm / 1024
	printf f, "replay --mode model", to, rate(to), co, rate(co), extra(co), mo / 1024
	g = "  %s %.2fx the reading time (cpu), %.2f of the %d M events/s target\n"
	printf g, "mirror:", (cr > 0 ? cm / cr : 0), rate(cm) / 20, 20
	printf g, "model: ", (cr > 0 ? co / cr : 0), rate(co) / 10, 10
	printf "  (ns/ev+: cpu time per event beyond reading; times include the setup\n"
	printf "   of the model from the trace snapshots, about a second of trace time)\n"
}'
