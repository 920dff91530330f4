#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# analyze and export exit codes: a missing trace 66, a corrupt one 65, bad
# options and a window whose markers are not in the trace 64, an output
# that cannot be created 73; --help 0 on stdout.
. "$BT_TOP/tests/data/corpus-bt.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "analyze-exit: $*"; exit 1; }
expect() {
	want=$1; shift
	"$BT" "$@" >"$t/out" 2>"$t/err"
	rc=$?
	[ $rc -eq "$want" ] || fail "'$*' exited $rc, want $want: $(cat "$t/err")"
}
expect 66 analyze "$t/nonexistent.bt"
grep -q "cannot read '$t/nonexistent.bt'" "$t/err" || fail "no message: $(cat "$t/err")"
expect 66 analyze "$t"
printf 'this is not a trace file at all\n' > "$t/garbage.bt"
expect 65 analyze "$t/garbage.bt"
expect 66 export "$t/nonexistent.bt" --perfetto "$t/o.json"
expect 64 analyze
expect 64 analyze --bogus x.bt
expect 64 analyze x.bt --format xml
expect 64 analyze x.bt --window nocomma
expect 64 analyze x.bt --mode sideways
expect 64 export x.bt
expect 0 analyze --help
grep -q 'usage: buddytrace analyze' "$t/out" || fail "--help not on stdout"
bt=$(bt_corpus_bt markers "$t") || { echo "skipped: corpus trace unavailable"; exit 77; }
# A real trace cut in half is still read up to its last whole chunk, or
# refused as corrupt: never a crash.
size=$(wc -c < "$bt")
head -c $((size / 2)) "$bt" > "$t/cut.bt"
"$BT" analyze "$t/cut.bt" --mode recorded > /dev/null 2>&1
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "cut trace exited $rc"
# Damaged copies (bytes overwritten at spread offsets): read, replayed
# and reported, or refused as corrupt; never a crash.
for off in 100 1000 5000 20000 40000 60000; do
	[ "$off" -lt "$size" ] || continue
	cp "$bt" "$t/flip.bt"
	printf '\377\377\377\377\377\377\377\377' |
		dd of="$t/flip.bt" bs=1 seek="$off" conv=notrunc 2>/dev/null
	"$BT" analyze "$t/flip.bt" --format json > /dev/null 2>&1
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "damage at $off: exit $rc"
done
expect 64 analyze "$bt" --mode recorded --window 'NO SUCH MARKER,STOP'
grep -q "no such marker" "$t/err" || fail "window message: $(cat "$t/err")"
expect 73 analyze "$bt" --mode recorded -o "$t/no/such/dir/r.txt"
expect 0 analyze "$bt" --mode recorded -o "$t/r.txt"
grep -q '^RECORDED' "$t/r.txt" || fail "no report written"
exit 0
