#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace import on damaged trace.dat files: 64 bytes overwritten at
# spread-out offsets of a version 6 and a version 7 corpus trace. Each run
# must end with exit 0 (damage in event data) or 65 (unreadable), never by
# a signal nor with a sanitizer report: libtracecmd runs in a child process
# whose crash is reported as a damaged file.
set -u
C="$BT_TOP/traces/corpus"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

n=0
for t in markers lost; do
	src="$C/$t/trace.dat"
	size=$(wc -c <"$src")
	for k in 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987; do
		off=$((size * k / 1000))
		for pat in '\377' '\0' '\125'; do
			cp "$src" "$T/d.dat"
			i=0; junk=""
			while [ $i -lt 64 ]; do junk="$junk$pat"; i=$((i + 1)); done
			printf "$junk" | dd of="$T/d.dat" bs=1 seek=$off \
				conv=notrunc 2>/dev/null
			"$BT" import "$T/d.dat" -o "$T/d.bt" >/dev/null 2>"$T/err"
			rc=$?
			[ $rc -eq 0 ] || [ $rc -eq 65 ] ||
				fail "$t at $off ($pat): exit $rc: $(head -5 "$T/err")"
			grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error" "$T/err" &&
				fail "$t at $off ($pat): $(head -5 "$T/err")"
			[ $rc -eq 65 ] && [ -e "$T/d.bt" ] &&
				fail "$t at $off: output left behind"
			rm -f "$T/d.bt"
			n=$((n + 1))
		done
	done
done
[ $n -eq 90 ] || fail "ran $n cases"
exit 0
