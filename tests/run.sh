#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs the unit test binaries, then the CLI test scripts, and closes with
# one "N passed, N failed, N skipped" line. A CLI script exits 0 (pass),
# 77 (skipped: it prints why) or anything else (fail).
# usage: run.sh UNIT_BIN... -- CLI_SCRIPT...
pass=0 fail=0 skip=0 failed=""
export BT="${BT:-./buddytrace}"
case "$BT" in /*) ;; *) BT="$(pwd)/$BT" ;; esac
export BT_TOP="$(pwd)"
mode=unit
for t in "$@"; do
	if [ "$t" = "--" ]; then mode=cli; continue; fi
	name=$(basename "$t")
	if [ $mode = unit ]; then
		"$t"
	else
		sh "$t"
	fi
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1)); echo "SKIPPED: $name"
	else
		fail=$((fail + 1)); failed="$failed $name"
		echo "FAILED: $name (exit $rc)"
	fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "tests: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
