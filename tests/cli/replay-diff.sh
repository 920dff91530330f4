#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace diff: equal summaries exit 0, different ones exit 1 with one
# row per differing metric (path, A, B, delta); bad or missing input and
# bad usage get their exit codes.
set -u
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
fail() { echo "replay-diff: $*" >&2; exit 1; }

cat > "$d/a.json" <<'J'
{"schema_version":1,"mode":"model","model":{"slowpath":10,"stages":{"oom":0}},"list":[1,2]}
J
cat > "$d/b.json" <<'J'
{"schema_version":1,"mode":"model","model":{"slowpath":25,"stages":{"oom":0}},"list":[1,3],"extra":true}
J

"$BT" diff "$d/a.json" "$d/a.json" > "$d/out" || fail "equal files: exit $?"
grep -q '^0 metrics differ' "$d/out" || fail "equal files: $(cat "$d/out")"

"$BT" diff "$d/a.json" "$d/b.json" > "$d/out"
rc=$?
[ $rc -eq 1 ] || fail "different files: exit $rc"
grep -Eq '^model\.slowpath +10 +25 +\+15$' "$d/out" || fail "no slowpath row: $(cat "$d/out")"
grep -Eq '^list\[1\] +2 +3 +\+1$' "$d/out" || fail "no list row"
grep -Eq '^extra +- +true' "$d/out" || fail "no extra row"
grep -q '^3 metrics differ$' "$d/out" || fail "count: $(tail -1 "$d/out")"
grep -q 'oom' "$d/out" && fail "equal metric printed"

echo '{"mode":1' > "$d/bad.json"
"$BT" diff "$d/a.json" "$d/bad.json" 2> "$d/err"
rc=$?
[ $rc -eq 65 ] || fail "bad json: exit $rc"
grep -q "buddytrace diff: cannot read '$d/bad.json'" "$d/err" || fail "message: $(cat "$d/err")"
echo '{"mode":1}' > "$d/nov.json"
"$BT" diff "$d/a.json" "$d/nov.json" 2>/dev/null
[ $? -eq 65 ] || fail "no schema_version accepted"
"$BT" diff "$d/a.json" "$d/none.json" 2>/dev/null
[ $? -eq 66 ] || fail "missing file: not 66"
"$BT" diff "$d/a.json" 2>/dev/null
[ $? -eq 64 ] || fail "one file: not 64"
"$BT" diff --bogus "$d/a.json" "$d/b.json" 2>/dev/null
[ $? -eq 64 ] || fail "bad option: not 64"
"$BT" diff --help | grep -q '^usage: buddytrace diff' || fail "--help"
exit 0
