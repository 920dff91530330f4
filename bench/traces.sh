#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Reading a .bt: `buddytrace dump --format none` (open, checksum, zstd,
# decode every event, merge the CPUs in time order, apply the filter,
# print nothing) on the corpus .bt with the most events, beside `zstd -d` of exactly
# the compressed bytes that reading decompresses: the zstd frames of all
# the event chunks, copied into one stream by tests/helpers/bt-zstd-frames.
# Best of five runs each, in events/s and as a ratio. Without a corpus, a
# synthetic trace is generated and imported first.
set -u
command -v zstd >/dev/null 2>&1 || { echo "skipped: needs zstd"; exit 0; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
BUILD=${BUILD:-build/rel}
frames="$BT_TOP/$BUILD/tests/helpers/bt-zstd-frames"
if [ ! -x "$frames" ]; then
	make -s -C "$BT_TOP" "$BUILD/tests/helpers/bt-zstd-frames" >/dev/null ||
		{ echo "cannot build bt-zstd-frames"; exit 1; }
fi

# the corpus .bt with the most events
bt=""
most=0
for f in "$BT_TOP"/traces/corpus/*/trace.bt; do
	[ -f "$f" ] || continue
	n=$("$BT" info --json "$f" 2>/dev/null |
		sed -n 's/^ *"total_events": \([0-9]*\).*/\1/p')
	[ "${n:-0}" -gt "$most" ] && { most=$n; bt=$f; }
done
if [ -z "$bt" ]; then
	. "$BT_TOP/tests/traces-bt-lib.sh"
	make_trace "$T/synth.txt" 1000000
	"$BT" import "$T/synth.txt" -o "$T/synth.bt" 2>/dev/null ||
		{ echo "import of the synthetic trace failed"; exit 1; }
	bt="$T/synth.bt"
	name="synthetic"
else
	name=$(basename "$(dirname "$bt")")
fi
set -- $("$frames" "$bt" "$T/frames.zst") || { echo "bt-zstd-frames failed"; exit 1; }
nframes=$2 raw=$4 events=$6

now() { date +%s.%N; }
# best TIME of five runs of a command
best() {
	b=""
	for i in 1 2 3 4 5; do
		t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
		b=$(awk -v a="$t0" -v z="$t1" -v b="$b" \
			'BEGIN { d = z - a; print (b == "" || d < b) ? d : b }')
	done
	echo "$b"
}
tz=$(best zstd -d -q -c "$T/frames.zst")
tb=$(best "$BT" dump "$bt" --format none)
awk -v n="$events" -v tz="$tz" -v tb="$tb" -v raw="$raw" -v f="$nframes" \
    -v name="$name" -v size="$(wc -c <"$bt")" 'BEGIN {
	printf "reading a .bt: %d events (%s, %d bytes, %.2f bytes/event)\n", n, name, size, size / n
	printf "  zstd -d of its %d chunk frames  %8.3f s  %6.1f M events/s  (%.0f MB/s out)\n", f, tz, n / tz / 1e6, raw / tz / 1e6
	printf "  buddytrace dump --format none  %8.3f s  %6.1f M events/s\n", tb, n / tb / 1e6
	printf "  reading vs zstd -d: %.2fx the time\n", tb / tz
}'
