#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace import on bad input: a PNG, an empty file, garbage text and a
# .bt each give one line and exit 65; a missing input 66; an unwritable
# output 73; bad options 64; a trace.dat version 6 cut in half imports what
# remains with a warning naming the CPU that lost data; a version 7 one cut
# in half is refused (its index is written after the data); a trace.dat on
# standard input imports like the file. Nothing is left behind on failure.
set -u
C="$BT_TOP/traces/corpus"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect RC NAME ARGS...: exit code RC, exactly one line on stderr
expect() {
	want=$1 name=$2; shift 2
	"$BT" import "$@" 2>"$T/$name.err" >/dev/null
	rc=$?
	[ $rc -eq "$want" ] || fail "$name: exit $rc, want $want: $(cat "$T/$name.err")"
	[ "$(wc -l <"$T/$name.err")" -eq 1 ] ||
		fail "$name: want one line, got: $(cat "$T/$name.err")"
}

printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\6\0\0\0' >"$T/x.png"
expect 65 png "$T/x.png" -o "$T/png.bt"
grep -q "not a trace.dat nor ftrace text" "$T/png.err" || fail "png: $(cat "$T/png.err")"
: >"$T/empty"
expect 65 empty "$T/empty" -o "$T/empty.bt"
grep -q "empty input" "$T/empty.err" || fail "empty: $(cat "$T/empty.err")"
printf 'lorem ipsum dolor\nsit amet: 42\n' >"$T/garbage.txt"
expect 65 garbage "$T/garbage.txt" -o "$T/garbage.bt"
expect 65 bt "$C/markers/trace.bt" -o "$T/bt.bt"
grep -q "already a .bt file" "$T/bt.err" || fail "bt: $(cat "$T/bt.err")"
expect 66 missing "$T/no-such-file.dat" -o "$T/missing.bt"
grep -q "cannot open '$T/no-such-file.dat'" "$T/missing.err" ||
	fail "missing: $(cat "$T/missing.err")"
expect 73 unwritable "$C/markers/trace.dat" -o "$T/no-such-dir/x.bt"
expect 64 noout "$C/markers/trace.dat"
expect 64 badopt "$C/markers/trace.dat" -o "$T/x.bt" --bogus
expect 64 nobuffer "$C/markers/trace.dat" -o "$T/x.bt" --instance nosuch
grep -q "no buffer named 'nosuch'" "$T/nobuffer.err" ||
	fail "nobuffer: $(cat "$T/nobuffer.err")"
expect 66 noproc "$C/markers/trace.dat" -o "$T/x.bt" --proc-before "$T/nodir"
for n in png empty garbage bt missing unwritable nobuffer noproc; do
	[ -e "$T/$n.bt" ] && fail "$n: output left behind"
done
[ -e "$T/x.bt" ] && fail "output left behind"
"$BT" import --help | grep -q "^usage: buddytrace import" || fail "--help"

# version 6 cut in half: CPU 0 of the main buffer is whole, CPU 1 is not
size=$(wc -c <"$C/markers/trace.dat")
head -c $((size / 2)) "$C/markers/trace.dat" >"$T/cut6.dat"
"$BT" import "$T/cut6.dat" -o "$T/cut6.bt" 2>"$T/cut6.err" ||
	fail "cut v6: exit $?: $(cat "$T/cut6.err")"
grep -q "warning: trace.dat cut short, data missing: buffer '[a-z_0-9]*' cpu 1: 184 of 464 KB" \
	"$T/cut6.err" || fail "cut v6 warning: $(cat "$T/cut6.err")"
grep -q "cpu 0:" "$T/cut6.err" && fail "cut v6 blames cpu 0"
# trace-cmd itself reads 4947 events of that buffer from a zero-padded copy
grep -q ": 4947 events," "$T/cut6.err" || fail "cut v6 count: $(cat "$T/cut6.err")"

# version 7 cut in half: nothing usable
size=$(wc -c <"$C/thp/trace.dat")
head -c $((size / 2)) "$C/thp/trace.dat" >"$T/cut7.dat"
expect 65 cut7 "$T/cut7.dat" -o "$T/cut7.bt"
grep -q "cut short or damaged" "$T/cut7.err" || fail "cut v7: $(cat "$T/cut7.err")"
[ -e "$T/cut7.bt" ] && fail "cut v7: output left behind"

# standard input: spooled, then read as a trace.dat
"$BT" import - -o "$T/stdin.bt" <"$C/markers/trace.dat" 2>"$T/stdin.err" ||
	fail "stdin: exit $?"
want=$(awk '{ s += $2 } END { print s }' "$C/markers/counts.txt")
grep -q "^buddytrace import: - -> $T/stdin.bt: $want events," "$T/stdin.err" ||
	fail "stdin: want $want events: $(cat "$T/stdin.err")"
exit 0
