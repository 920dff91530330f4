#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench: runs every bench/<area>.sh in one go. Each prints its figures
# beside their reference (zstd -d, trace-cmd report, trace-cmd record) as
# ratios measured in this same run. Never a pass/fail test.
export BT="${BT:-./buddytrace}"
case "$BT" in /*) ;; *) BT="$(pwd)/$BT" ;; esac
export BT_TOP="$(pwd)"
status=0
for b in bench/[a-z]*.sh; do
	[ "$b" = bench/run.sh ] && continue
	[ "$b" = bench/lib.sh ] && continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || { echo "bench $(basename "$b") failed"; status=1; }
done
exit $status
