#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make-markers.sh - corpus trace "markers": a short mixed workload whose
# phases are marked with trace_marker writes (START name / STOP name), so
# analysis windows can be tested. Written as trace.dat version 6 (no
# compression) with two buffers: the allocator events in the main
# instance, and a second instance "<main>_aux" holding only
# sched_process_exec/exit events and its own markers ("aux ...").
#
# Phases: "write" (dd 8 MB to a file, page cache), "anon" (a 16 MB hog),
# "idle" (sleep 0.2 s), "read" (read the file back after dropping its
# cached pages).
# Needs root.
#
# usage: make-markers.sh [OUTDIR]   (default: the markers/ directory here)
CORPUS_NAME=markers
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bt_corpus_need_root
out=${1:-$here/markers}
scratch=$(mktemp -d /var/tmp/bt-corpus-markers.XXXXXX)
hog=$(bt_corpus_memhog) || exit 1

bt_corpus_undo()
{
	rm -rf "$scratch" "$(dirname "$hog")"
}

BT_CORPUS_EXTRA="-B ${BT_CORPUS_INSTANCE}_aux -e sched:sched_process_exec
 -e sched:sched_process_exit"
bt_corpus_snap "$out/before"
bt_corpus_record "$out/trace.dat" --file-version 6 -b 8000 -- sh -c '
	m="$TRACEFS/instances/$BT_CORPUS_INSTANCE/trace_marker"
	aux="$TRACEFS/instances/${BT_CORPUS_INSTANCE}_aux/trace_marker"
	echo "aux begin" > "$aux"
	echo "START write" > "$m"
	dd if=/dev/zero of="$2/f" bs=1M count=8 conv=fsync 2>/dev/null
	echo "STOP write" > "$m"
	echo "START anon" > "$m"
	"$1" 16 --chunk 4 --floor 1000 > /dev/null
	echo "STOP anon" > "$m"
	echo "START idle" > "$m"
	sleep 0.2
	echo "STOP idle" > "$m"
	dd if="$2/f" iflag=nocache count=0 2>/dev/null
	echo "START read" > "$m"
	cat "$2/f" > /dev/null
	echo "STOP read" > "$m"
	echo "aux end" > "$aux"' sh "$hog" "$scratch"
rc=$?
bt_corpus_snap "$out/after"
exit $rc
