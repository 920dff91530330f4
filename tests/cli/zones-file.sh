#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace zones on .bt traces: the corpus traces (6.18) and traces
# made here with a /proc directory attached: the committed 6.18 zoneinfo
# without its sysctls (min_free_kbytes must then be computed, and the
# square-root rule plus khugepaged's minimum give back 67584 and the
# recorded watermarks), and the hand-made 4.12 zoneinfo (4.12 rules).
# A trace without a zoneinfo snapshot exits 65 with one line.
set -u
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
P="$BT_TOP/tests/data/proc"
C="$BT_TOP/traces/corpus/compile"

if [ -f "$C/trace.bt" ]; then
	"$BT" zones "$C/trace.bt" >"$T/out" || fail "corpus: exit $?"
	tail -n 1 "$T/out" | grep -q '^all 5 zones: computed equals recorded' ||
		fail "corpus: $(tail -n 3 "$T/out")"
	head -n 1 "$T/out" | grep -q 'kernel 6\.18\..*rules 6\.x' ||
		fail "corpus: $(head -n 1 "$T/out")"
	"$BT" zones --json "$C/trace.bt" >"$T/json" || fail "corpus json"
	mf=$(cat "$C/before/vm/min_free_kbytes")
	grep -q "\"used\": $mf," "$T/json" || fail "corpus: min_free $mf"
	grep -q '"recorded": true,' "$T/json" || fail "corpus: not recorded"
	# DMA32's min of the trace's zoneinfo, boost removed
	want=$(awk '/^Node .*zone +DMA32$/ { z = 1; next } /^Node/ { z = 0 }
		z && $1 == "boost" { b = $2 } z && $1 == "min" { m = $2 }
		END { print m - b }' "$C/before/zoneinfo")
	got=$(awk '/zone +DMA32 / { z = 1; next } /^Node/ { z = 0 }
		z && $1 == "min" { print $3 }' "$T/out")
	[ "$got" = "$want" ] || fail "corpus DMA32 min $got, want $want"
fi

"$BT" import --help >/dev/null 2>&1 ||
	{ echo "skipped: needs the import command"; exit 77; }
TXT="$BT_TOP/tests/data/text/trace-pipe.txt"

# 6.18 zoneinfo without sysctls: min_free_kbytes computed
mkdir -p "$T/p618"
cp "$P/6.18-zoneinfo" "$T/p618/zoneinfo"
"$BT" import "$TXT" -o "$T/a.bt" --proc-before "$T/p618" 2>/dev/null ||
	fail "import 6.18"
"$BT" zones "$T/a.bt" --json >"$T/json" || fail "zones 6.18: exit $?"
grep -q '"used": 67584,' "$T/json" || fail "6.18: computed min_free"
grep -q '"recorded": false,' "$T/json" || fail "6.18: said recorded"
grep -q '"khugepaged": 67584,' "$T/json" || fail "6.18: khugepaged"
grep -q '"match": false' "$T/json" && fail "6.18: $(cat "$T/json")"
[ "$(grep -c '"zone":' "$T/json")" -eq 5 ] || fail "6.18: not 5 zones"

# hand-made 4.12 zoneinfo with its sysctls
mkdir -p "$T/p412/vm"
cp "$P/4.12-zoneinfo" "$T/p412/zoneinfo"
echo 67584 >"$T/p412/vm/min_free_kbytes"
echo 10 >"$T/p412/vm/watermark_scale_factor"
printf '256\t256\t32\n' >"$T/p412/vm/lowmem_reserve_ratio"
"$BT" import "$TXT" -o "$T/b.bt" --proc-before "$T/p412" 2>/dev/null ||
	fail "import 4.12"
"$BT" zones "$T/b.bt" >"$T/out" || fail "zones 4.12: exit $?"
grep -q 'rules 4.12' "$T/out" || fail "4.12: $(head -n 1 "$T/out")"
tail -n 1 "$T/out" | grep -q '^all 3 zones: computed equals recorded' ||
	fail "4.12: $(cat "$T/out")"
grep -q '^  pcp high  *186  *186$' "$T/out" || fail "4.12: pcp high"

# no zoneinfo snapshot
"$BT" import "$TXT" -o "$T/c.bt" 2>/dev/null || fail "import bare"
"$BT" zones "$T/c.bt" 2>"$T/err"; rc=$?
[ $rc -eq 65 ] || fail "no zoneinfo: exit $rc, want 65"
grep -q 'holds no zoneinfo snapshot' "$T/err" || fail "$(cat "$T/err")"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "want one line: $(cat "$T/err")"
exit 0
