#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every corpus trace imports with per-event counts exactly equal to
# trace-cmd report's: counted from `trace-cmd report` here when trace-cmd is
# installed, else from the committed counts.txt. The report TEXT of a trace
# imports to the same counts (the text importer), and --proc-before/after
# attach the snapshots of both directories. Needs `buddytrace info --json`.
set -u
C="$BT_TOP/traces/corpus"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

if ! "$BT" info --help >/dev/null 2>&1; then
	echo "skipped: buddytrace info is not part of this build"
	exit 77
fi
have_tc=0
command -v trace-cmd >/dev/null 2>&1 && have_tc=1
if [ $have_tc = 1 ]; then
	. "$C/lib.sh"
	trap 'rm -rf "$T"' EXIT
fi

# "event count" lines of the .bt's info --json, sorted (lost markers apart)
bt_counts() {
	"$BT" info --json "$1" | tr -d ' \n' |
		sed -n 's/.*"events":{\([^}]*\)}.*/\1/p' | tr ',' '\n' |
		sed 's/"\([a-z_0-9]*\)":\([0-9]*\)/\1 \2/' |
		awk '$2 > 0 && $1 != "lost_events"' | LC_ALL=C sort
}

for d in "$C"/*/; do
	t=$(basename "$d")
	[ -f "$d/trace.dat" ] || continue
	if [ $have_tc = 1 ]; then
		bt_corpus_counts "$d/trace.dat" main >"$T/$t.want"
	else
		cp "$d/counts.txt" "$T/$t.want"
	fi
	# only modelled events are kept: drop the others from the expectation
	grep -v '^sched_' "$T/$t.want" >"$T/$t.want2"
	"$BT" import "$d/trace.dat" -o "$T/$t.bt" --proc-before "$d/before" \
		--proc-after "$d/after" 2>"$T/$t.err" ||
		fail "$t: import exited $?: $(cat "$T/$t.err")"
	bt_counts "$T/$t.bt" >"$T/$t.got"
	cmp -s "$T/$t.want2" "$T/$t.got" ||
		fail "$t: counts differ: $(diff "$T/$t.want2" "$T/$t.got")"
	snaps=$("$BT" info --json "$T/$t.bt" | tr -d ' \n' |
		sed -n 's/.*"snapshots":\([0-9]*\).*/\1/p')
	[ "$snaps" = 20 ] || fail "$t: $snaps snapshots, want 20 (10 kinds x 2)"
done

# the report text of a trace gives the same counts through the text importer
if [ $have_tc = 1 ]; then
	trace-cmd report "$C/thp/trace.dat" >"$T/thp.txt" 2>/dev/null
	"$BT" import "$T/thp.txt" -o "$T/thp-text.bt" 2>"$T/thp-text.err" ||
		fail "report text: import exited $?: $(cat "$T/thp-text.err")"
	bt_counts "$T/thp-text.bt" >"$T/thp-text.got"
	cmp -s "$T/thp.want2" "$T/thp-text.got" ||
		fail "report text: counts differ: $(diff "$T/thp.want2" "$T/thp-text.got")"
fi
exit 0
