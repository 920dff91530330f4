#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make-pressure.sh - corpus trace "pressure": anonymous memory pressure on a
# full page cache until allocations enter direct reclaim.
#
#  1. reserve untouched hugetlb pages until about RESERVE_LEFT MB (default
#     850) stay free (the lazily initialized Normal zone grows first);
#  2. read a CACHE MB file (default 700) into the page cache;
#  3. recorded: two bounded hogs at nice -10, ahead of kswapd (oom_score_adj
#     1000, stopping when
#     MemAvailable would fall under 150 MB) map and touch HOG MB each
#     (default 400): free memory falls below the watermarks, kswapd wakes
#     and allocations reclaim the page cache directly.
# nr_hugepages is restored on exit. Needs root.
#
# usage: make-pressure.sh [OUTDIR]   (default: the pressure/ directory here)
CORPUS_NAME=pressure
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bt_corpus_need_root
out=${1:-$here/pressure}
left=${RESERVE_LEFT:-850}
cache=${CACHE:-700}
hog_mb=${HOG:-400}
nrh=/proc/sys/vm/nr_hugepages
orig=$(cat $nrh)
scratch=$(mktemp -d /var/tmp/bt-corpus-pressure.XXXXXX)
hog=$(bt_corpus_memhog) || exit 1

bt_corpus_undo()
{
	echo "$orig" > $nrh
	rm -rf "$scratch" "$(dirname "$hog")"
}

head -c "${cache}M" /dev/zero > "$scratch/cache"
sync; echo 1 > /proc/sys/vm/drop_caches
bt_corpus_shrink "$left"
cat "$scratch/cache" > /dev/null
echo "$0: $(cat $nrh) hugetlb pages reserved; $(grep MemFree /proc/meminfo)" >&2

bt_corpus_snap "$out/before"
bt_corpus_record "$out/trace.dat" -b 20000 -- sh -c '
	m="$TRACEFS/instances/$BT_CORPUS_INSTANCE/trace_marker"
	echo "hogs $2 MB each" > "$m"
	nice -n -10 "$1" "$2" --chunk 4 --floor 150 & a=$!
	nice -n -10 "$1" "$2" --chunk 4 --floor 150 & b=$!
	wait $a; wait $b
	echo "hogs done" > "$m"' sh "$hog" "$hog_mb"
rc=$?
bt_corpus_snap "$out/after"
exit $rc
