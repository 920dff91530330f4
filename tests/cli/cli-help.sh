#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every command that 'buddytrace --help' lists answers --help on stdout with
# exit 0, refuses an unknown option with exit 64, and has a man page that
# renders. The top level refuses unknown commands with 64.
fail=0
cmds=$("$BT" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1}')
n=$(echo "$cmds" | wc -w)
if [ "$n" -ne 10 ]; then
	echo "cli-help: expected 10 commands in --help, got $n: $cmds"; exit 1
fi
for c in $cmds; do
	out=$("$BT" "$c" --help 2>/dev/null); rc=$?
	if [ $rc -ne 0 ]; then echo "cli-help: '$c --help' exited $rc"; fail=1; fi
	echo "$out" | grep -qi "usage" ||
		{ echo "cli-help: '$c --help' prints no usage line"; fail=1; }
	"$BT" "$c" --no-such-option >/dev/null 2>&1; rc=$?
	if [ $rc -ne 64 ]; then
		echo "cli-help: '$c --no-such-option' exited $rc, want 64"; fail=1
	fi
	page="$BT_TOP/docs/buddytrace-$c.1"
	if [ ! -f "$page" ]; then
		echo "cli-help: no man page for '$c'"; fail=1; continue
	fi
	if command -v groff >/dev/null 2>&1; then
		w=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
		[ -z "$w" ] || { echo "cli-help: $page: $w" | head -3; fail=1; }
	fi
	grep -q "^\.SH NAME" "$page" || { echo "cli-help: $page has no NAME"; fail=1; }
done
"$BT" no-such-command >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] || { echo "cli-help: unknown command exited $rc, want 64"; fail=1; }
"$BT" --version | grep -q '^buddytrace [0-9]' || { echo "cli-help: --version"; fail=1; }
exit $fail
