#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make-compile.sh - corpus trace "compile": page-cache and anonymous-memory
# churn of a compiler. Builds a copy of buddytrace's own sources with
# `make -j2`, ROUNDS times (default 3), with `make clean` in between, while
# trace-cmd records the page allocator. Needs root, tracefs and trace-cmd.
#
# usage: make-compile.sh [OUTDIR]   (default: the compile/ directory here)
CORPUS_NAME=compile
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bt_corpus_need_root
out=${1:-$here/compile}
rounds=${ROUNDS:-3}
top=$(cd "$here/../.." && pwd)
src=$(mktemp -d)
mkdir -p "$out"
tar -C "$top" -cf - Makefile buddytrace.c cli.h common traces allocator \
	replay analyze record 2>/dev/null | tar -C "$src" -xf -
# Warm the tools so the trace shows the build, not the first exec of cc.
make -C "$src" -j2 >/dev/null 2>&1; make -C "$src" clean >/dev/null 2>&1

bt_corpus_snap "$out/before"
bt_corpus_record "$out/trace.dat" -b 20000 -- sh -c '
	for i in $(seq '"$rounds"'); do
		echo "round $i" > "$TRACEFS/instances/$BT_CORPUS_INSTANCE/trace_marker"
		make -C "$1" -j2 >/dev/null 2>&1
		make -C "$1" clean >/dev/null 2>&1
	done' sh "$src"
rc=$?
bt_corpus_snap "$out/after"
rm -rf "$src"
exit $rc
