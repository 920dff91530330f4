#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace zones on this machine's /proc: every zone of /proc/zoneinfo
# is shown, the computed watermarks, protection and pcp sizes equal the
# recorded ones, and DMA32's min equals zoneinfo's min minus boost as this
# script reads it. Usage errors exit 64, a missing file 66, a file that
# is not a trace 65.
set -u
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$BT" zones --help >"$T/help" || fail "--help exited $?"
grep -q '^usage: buddytrace zones' "$T/help" || fail "--help: $(cat "$T/help")"
"$BT" zones --bogus 2>"$T/err" >/dev/null
rc=$?; [ $rc -eq 64 ] || fail "--bogus: exit $rc, want 64"
grep -q "unknown option '--bogus'" "$T/err" || fail "--bogus: $(cat "$T/err")"
"$BT" zones a.bt b.bt 2>/dev/null; rc=$?
[ $rc -eq 64 ] || fail "two files: exit $rc, want 64"
"$BT" zones "$T/missing.bt" 2>"$T/err"; rc=$?
[ $rc -eq 66 ] || fail "missing file: exit $rc, want 66"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "want one line: $(cat "$T/err")"
printf 'Node 0, zone DMA 1 2 3\n' >"$T/text.bt"
"$BT" zones "$T/text.bt" 2>/dev/null; rc=$?
[ $rc -eq 65 ] || fail "not a trace: exit $rc, want 65"

[ -r /proc/zoneinfo ] || { echo "skipped: needs /proc/zoneinfo"; exit 77; }
nzones=$(grep -c '^Node .*, zone' /proc/zoneinfo)
# managed pages may grow (lazy deferred init) between two reads: retry
ok=0
for attempt in 1 2 3 4 5; do
	zi=$(awk '/^Node .*zone +DMA32$/ { z = 1; next } /^Node/ { z = 0 }
		z && $1 == "boost" { b = $2 } z && $1 == "min" { m = $2 }
		END { print m - b }' /proc/zoneinfo)
	"$BT" zones >"$T/out" || fail "zones exited $?"
	"$BT" zones --json >"$T/json" || fail "zones --json exited $?"
	tail -n 1 "$T/out" | grep -q "^all $nzones zones: computed equals recorded" ||
		continue
	grep -q '"match": false' "$T/json" && continue
	out=$(awk '/zone +DMA32 / { z = 1; next } /^Node/ { z = 0 }
		z && $1 == "min" { print $2, $3 }' "$T/out")
	[ "$out" = "$zi $zi" ] || continue
	ok=1
	break
done
[ $ok -eq 1 ] || fail "computed differs from recorded: $(cat "$T/out")"
[ "$(grep -c '"zone":' "$T/json")" -eq "$nzones" ] ||
	fail "json has not $nzones zones"
grep -q '"zone": "DMA32"' "$T/json" || fail "no DMA32 in json"
grep -q '"source": "live"' "$T/json" || fail "source is not live"
mf=$(cat /proc/sys/vm/min_free_kbytes)
grep -q "\"used\": $mf," "$T/json" || fail "min_free_kbytes $mf not used"
exit 0
