#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# info and dump on bad .bt input: an empty file, a PNG, garbage text and a
# newer major version each give one line and exit 65; a file cut inside
# its last event chunk prints the events of the whole chunks, warns about
# the cut and exits 0; a flipped byte in one chunk loses that chunk with a
# checksum warning (exit 0); when every chunk is bad, one line and exit 65.
set -u
. "$BT_TOP/tests/traces-bt-lib.sh"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# one line on stderr, the given exit code, for both commands
refused() {
	for cmd in "info" "dump"; do
		"$BT" $cmd "$1" >"$T/out" 2>"$T/err"
		rc=$?
		[ $rc -eq "$2" ] || fail "$cmd $(basename "$1"): exit $rc, want $2"
		[ "$(wc -l <"$T/err")" -eq 1 ] ||
			fail "$cmd $(basename "$1"): stderr $(cat "$T/err")"
		grep -q "$3" "$T/err" || fail "$cmd: $(cat "$T/err") lacks '$3'"
		[ -s "$T/out" ] && fail "$cmd $(basename "$1") printed output"
	done
	return 0
}

: >"$T/empty.bt"
refused "$T/empty.bt" 65 "empty file"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001' >"$T/x.png"
refused "$T/x.png" 65 "not a buddytrace file"
printf 'this is not a trace\n' >"$T/garbage.bt"
refused "$T/garbage.bt" 65 "not a buddytrace file"
refused "$T/nonexistent.bt" 66 "No such file"

"$BT" import --help >/dev/null 2>&1 ||
	{ echo "skipped: import is not in this build"; exit 77; }
make_trace "$T/t.txt" 1000
"$BT" import "$T/t.txt" -o "$T/t.bt" 2>/dev/null || fail "import exited $?"
total=$("$BT" dump "$T/t.bt" | wc -l)

# a newer major version (bytes 8-9) is refused before anything else
cp "$T/t.bt" "$T/major.bt"
printf '\002\000' | dd of="$T/major.bt" bs=1 seek=8 conv=notrunc 2>/dev/null
refused "$T/major.bt" 65 "newer major version"

# the last event chunk in the file, and the events of all chunks
sections "$T/t.bt" >"$T/secs"
last=$(awk '$2 == 5 { l = $0 } END { print l }' "$T/secs")
set -- $last
off=$1 len=$3 cnt=$4
[ "$cnt" -gt 0 ] || fail "no event chunk found"
nchunks=$(awk '$2 == 5' "$T/secs" | wc -l)
[ "$nchunks" -ge 2 ] || fail "want two chunks (one per cpu), have $nchunks"

# cut inside the last chunk: the other chunks' events, a warning, exit 0
head -c $((off + 24 + len / 2)) "$T/t.bt" >"$T/cut.bt"
"$BT" dump "$T/cut.bt" >"$T/cut.txt" 2>"$T/cut.err" ||
	fail "cut: exit $?: $(cat "$T/cut.err")"
[ "$(wc -l <"$T/cut.txt")" -eq $((total - cnt)) ] ||
	fail "cut: $(wc -l <"$T/cut.txt") events, want $((total - cnt))"
grep -q "cut short: the last $((24 + len / 2)) bytes" "$T/cut.err" ||
	fail "cut: $(cat "$T/cut.err")"
grep -q "with $cnt events" "$T/cut.err" || fail "cut: lost count not named"
"$BT" info --json "$T/cut.bt" >"$T/cut.json" 2>/dev/null || fail "info cut"
grep -q '"truncated": true' "$T/cut.json" || fail "info: no truncation"

# cut before any chunk is whole: nothing readable, one line, exit 65
first=$(awk '$2 == 5 { print $1; exit }' "$T/secs")
head -c $((first + 30)) "$T/t.bt" >"$T/cut0.bt"
"$BT" dump "$T/cut0.bt" >/dev/null 2>"$T/cut0.err"; rc=$?
[ $rc -eq 65 ] || fail "cut before the first chunk: exit $rc"
[ "$(wc -l <"$T/cut0.err")" -eq 1 ] || fail "cut0: $(cat "$T/cut0.err")"

# a flipped byte in the last chunk: checksum warning, others read, exit 0
cp "$T/t.bt" "$T/flip.bt"
printf '\377' | dd of="$T/flip.bt" bs=1 seek=$((off + 24 + 50)) \
	conv=notrunc 2>/dev/null
"$BT" dump "$T/flip.bt" >"$T/flip.txt" 2>"$T/flip.err" ||
	fail "flip: exit $?"
[ "$(wc -l <"$T/flip.txt")" -eq $((total - cnt)) ] || fail "flip: count"
grep -q "checksum mismatch: $cnt events lost" "$T/flip.err" ||
	fail "flip: $(cat "$T/flip.err")"

# every chunk flipped: nothing readable, one line, exit 65
cp "$T/t.bt" "$T/all.bt"
awk '$2 == 5 { print $1 }' "$T/secs" | while read -r o; do
	printf '\377' | dd of="$T/all.bt" bs=1 seek=$((o + 24 + 50)) \
		conv=notrunc 2>/dev/null
done
for cmd in info dump; do
	"$BT" $cmd "$T/all.bt" >/dev/null 2>"$T/all.err"; rc=$?
	[ $rc -eq 65 ] || fail "$cmd all chunks bad: exit $rc"
	[ "$(wc -l <"$T/all.err")" -eq 1 ] || fail "all: $(cat "$T/all.err")"
done
exit 0
