#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace import on hostile text: one valid line followed by 10 MB of
# random bytes (refused: binary), or by 10 MB of base64 (kept: one event,
# the rest counted as unknown lines); lines of 1 and 3 MB between valid
# ones (each one unknown line); a line with a NUL byte; a zoneinfo with
# sizes no kernel prints, attached with --proc-before, which `zones`
# refuses with one line and exit 65; a vm/ holding a fifo and a link to
# /dev/zero; a kpageflags.zst that expands to 2 GB. Never a crash nor a
# second line.
set -u
D="$BT_TOP/tests/data"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# run NAME RC PATTERN CMD...: exit RC and one stderr line matching PATTERN
run() {
	name=$1 want=$2 pat=$3; shift 3
	"$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	[ $rc -eq "$want" ] || fail "$name: exit $rc, want $want: $(head -c 600 "$T/$name.err")"
	[ "$(wc -l <"$T/$name.err")" -eq 1 ] || fail "$name: $(head -c 600 "$T/$name.err")"
	grep -q "$pat" "$T/$name.err" || fail "$name: $(cat "$T/$name.err")"
}

grep -m1 mm_page_alloc "$D/text/trace-pipe.txt" >"$T/one.txt"
{ cat "$T/one.txt"; head -c 10000000 /dev/urandom; } >"$T/bin.txt"
run bin 65 "cannot import '$T/bin.txt': not a trace.dat nor ftrace text" \
	"$BT" import "$T/bin.txt" -o "$T/bin.bt"
[ -e "$T/bin.bt" ] && fail "bin: output left behind"

# 10 MB of base64: 76-character lines, 135137 of them
{ cat "$T/one.txt"; head -c 7500000 /dev/urandom | base64; } >"$T/b64.txt"
lines=$(($(wc -l <"$T/b64.txt") - 1))
run b64 0 ": 1 events, $lines unknown lines," \
	"$BT" import "$T/b64.txt" -o "$T/b64.bt"

# 1 MB and 3 MB lines between valid ones
{ cat "$T/one.txt"; head -c 1048576 /dev/zero | tr '\0' A; echo
  cat "$T/one.txt"; head -c 3145728 /dev/zero | tr '\0' B; echo
  cat "$T/one.txt"; } >"$T/long.txt"
run long 0 ": 3 events, 2 unknown lines,.*; first unknown line: 'A\{60\}\.\.\.'$" \
	"$BT" import "$T/long.txt" -o "$T/long.bt"

# a NUL byte inside a line: that line is unknown, the others are events
{ cat "$T/one.txt"; printf 'abc\000def\n'; cat "$T/one.txt"; } >"$T/nul.txt"
run nul 0 ": 2 events, 1 unknown lines,.* snapshots; first unknown line: 'abc?def'$" \
	"$BT" import "$T/nul.txt" -o "$T/nul.bt"

# zoneinfo: managed above present
mkdir "$T/proc"
sed 's/managed  772917/managed  99999999/' "$D/proc/6.18-zoneinfo" \
	>"$T/proc/zoneinfo"
cmp -s "$D/proc/6.18-zoneinfo" "$T/proc/zoneinfo" && fail "sed changed nothing"
run zimport 0 ": 1 events, 0 unknown lines" \
	"$BT" import "$T/one.txt" -o "$T/zi.bt" --proc-before "$T/proc"
run zones 65 "^buddytrace zones: cannot read the zoneinfo of '$T/zi.bt': zone 'DMA32' of node 0 has managed > present or present > spanned pages$" \
	"$BT" zones "$T/zi.bt"

# vm/ holding a fifo and a link to /dev/zero beside a value: both are
# skipped (reading them would block or never end), the value is kept
mkdir -p "$T/vmdir/vm"
echo 67584 >"$T/vmdir/vm/min_free_kbytes"
mkfifo "$T/vmdir/vm/fifo"
ln -s /dev/zero "$T/vmdir/vm/zero"
run vm 0 ": 1 events, 0 unknown lines.*, 1 snapshots$" timeout 60 \
	"$BT" import "$T/one.txt" -o "$T/vm.bt" --proc-before "$T/vmdir"
"$BT" dump "$T/vm.bt" --snapshots >"$T/vm.out" || fail "dump vm: exit $?"
grep -q "sysctl_vm at .*, 22 bytes$" "$T/vm.out" || fail "vm: $(cat "$T/vm.out")"
grep -q "^min_free_kbytes 67584$" "$T/vm.out" || fail "vm: $(cat "$T/vm.out")"

# a kpageflags.zst of 60 KB that expands to 2 GB of zeros (no free page):
# scanned as it is decompressed, never held whole
if command -v zstd >/dev/null 2>&1; then
	mkdir "$T/bomb"
	head -c 2000000000 /dev/zero | zstd -q -3 >"$T/bomb/kpageflags.zst"
	run bomb 0 ": 1 events, 0 unknown lines.*, 1 snapshots$" \
		"$BT" import "$T/one.txt" -o "$T/bomb.bt" --proc-before "$T/bomb"
fi
exit 0
