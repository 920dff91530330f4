#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace import on the trace.dat variants: the markers trace (version
# 6, two buffers) converted by trace-cmd to version 7 uncompressed and
# zstd-compressed gives the same per-event counts as trace-cmd report's;
# --instance takes the second buffer; -o - writes the .bt to stdout.
set -u
C="$BT_TOP/traces/corpus"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v trace-cmd >/dev/null 2>&1 ||
	{ echo "skipped: needs trace-cmd to convert trace.dat versions"; exit 77; }
"$BT" info --help >/dev/null 2>&1 ||
	{ echo "skipped: buddytrace info is not part of this build"; exit 77; }

counts() {
	"$BT" info --json "$1" | tr -d ' \n' |
		sed -n 's/.*"events":{\([^}]*\)}.*/\1/p' | tr ',' '\n' |
		sed 's/"\([a-z_0-9]*\)":\([0-9]*\)/\1 \2/' |
		awk '$2 > 0' | LC_ALL=C sort
}

src="$C/markers/trace.dat"
for c in none zstd; do
	trace-cmd convert --file-version 7 --compression $c -i "$src" \
		-o "$T/v7-$c.dat" >/dev/null 2>&1 || fail "trace-cmd convert $c"
	"$BT" import "$T/v7-$c.dat" -o "$T/v7-$c.bt" 2>"$T/err" ||
		fail "v7 $c: exit $?: $(cat "$T/err")"
	counts "$T/v7-$c.bt" >"$T/got"
	cmp -s "$C/markers/counts.txt" "$T/got" ||
		fail "v7 $c: $(diff "$C/markers/counts.txt" "$T/got")"
	"$BT" info --json "$T/v7-$c.bt" | grep -q '"tracedat_version": "7"' ||
		fail "v7 $c: version not kept"
done

# the second buffer: its markers only (sched events are not modelled)
main=$("$BT" info --json "$T/v7-none.bt" | tr -d ' \n' |
	sed -n 's/.*"tracedat_buffer":"\([^"]*\)".*/\1/p')
[ -n "$main" ] || fail "no tracedat_buffer in the metadata"
"$BT" import "$src" -o "$T/aux.bt" --instance "${main}_aux" 2>"$T/aux.err" ||
	fail "--instance: exit $?"
grep -q ": 2 events, 0 unknown lines, 23 other events," "$T/aux.err" ||
	fail "--instance: $(cat "$T/aux.err")"
grep -v '^sched_' "$C/markers/counts-aux.txt" >"$T/want-aux"
counts "$T/aux.bt" >"$T/got-aux"
cmp -s "$T/want-aux" "$T/got-aux" || fail "aux: $(diff "$T/want-aux" "$T/got-aux")"

# --proc-before/--proc-after: ten kinds each, at the first and last event
"$BT" import "$src" -o "$T/p.bt" --proc-before "$C/markers/before" \
	--proc-after "$C/markers/after" 2>"$T/p.err" || fail "proc: exit $?"
grep -q ", 20 snapshots$" "$T/p.err" || fail "proc: $(cat "$T/p.err")"
if "$BT" dump --help >/dev/null 2>&1; then
	"$BT" dump "$T/p.bt" --snapshots | sed -n 's/^# snapshot [0-9]*: \([a-z_]*\) at .*(ts_ns \([0-9]*\)).*/\1 \2/p' \
		>"$T/snaps"
	first=$("$BT" info --json "$T/p.bt" | tr -d ' \n' |
		sed -n 's/.*"first_ts_ns":\([0-9]*\).*/\1/p')
	last=$("$BT" info --json "$T/p.bt" | tr -d ' \n' |
		sed -n 's/.*"last_ts_ns":\([0-9]*\).*/\1/p')
	for when in "$first" "$last"; do
		kinds=$(awk -v w="$when" '$2 == w { print $1 }' "$T/snaps" |
			LC_ALL=C sort | tr '\n' ' ')
		[ "$kinds" = "buddyinfo extfrag_index free_blocks meminfo pagetypeinfo sysctl_vm transparent_hugepage unusable_index vmstat zoneinfo " ] ||
			fail "snapshots at $when: $kinds"
	done
fi
# an entry buddytrace does not keep is skipped with a note
mkdir "$T/proc"
cp "$C/markers/before/zoneinfo" "$T/proc/"
echo hello >"$T/proc/notes.txt"
"$BT" import "$src" -o "$T/q.bt" --proc-after "$T/proc" 2>"$T/q.err" ||
	fail "proc note: exit $?"
grep -q "note: '$T/proc/notes.txt': not a /proc file buddytrace keeps, ignored" \
	"$T/q.err" || fail "no note: $(cat "$T/q.err")"
grep -q ", 1 snapshots$" "$T/q.err" || fail "proc note: $(cat "$T/q.err")"

# -o -: the same file on stdout
"$BT" import "$src" -o - 2>/dev/null >"$T/stdout.bt" || fail "-o -: exit $?"
counts "$T/stdout.bt" >"$T/got"
cmp -s "$C/markers/counts.txt" "$T/got" || fail "-o -: counts differ"
exit 0
