#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# regen.sh - rebuild every corpus trace's trace.bt from its trace.dat and
# its before/ and after/ /proc directories (run it after a change of the
# .bt format), and, when trace-cmd is installed, its counts.txt from
# `trace-cmd report` (counts-aux.txt for the markers trace's second buffer).
#
# usage: regen.sh [BUDDYTRACE]   (default: ../../buddytrace)
here=$(cd "$(dirname "$0")" && pwd)
bt=${1:-$here/../../buddytrace}
. "$here/lib.sh"
trap - EXIT
status=0
for d in "$here"/*/; do
	t=$(basename "$d")
	[ -f "$d/trace.dat" ] || continue
	"$bt" import "$d/trace.dat" -o "$d/trace.bt" \
		--proc-before "$d/before" --proc-after "$d/after" || status=1
	if command -v trace-cmd >/dev/null; then
		bt_corpus_counts "$d/trace.dat" main > "$d/counts.txt"
		[ "$t" = markers ] &&
			bt_corpus_counts "$d/trace.dat" aux > "$d/counts-aux.txt"
	fi
done
exit $status
