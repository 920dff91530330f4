#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make-rec-pressure.sh - corpus trace "rec-pressure": the workload of
# make-pressure.sh (anonymous memory pressure on a full page cache until
# allocations reclaim directly), recorded with `buddytrace record` itself,
# which reads the free-page map (/proc/kpageflags) in-file at the start,
# after its ring buffers exist, and again at the end.
#
#  1. reserve untouched hugetlb pages until about RESERVE_LEFT MB (default
#     850) stay free (the lazily initialized Normal zone grows first);
#  2. read a CACHE MB file (default 700) into the page cache;
#  3. recorded: two bounded hogs at nice -10 (oom_score_adj 1000, stopping
#     when MemAvailable would fall under 150 MB) map and touch HOG MB each
#     (default 550): kswapd wakes and allocations reclaim directly.
# nr_hugepages is restored on exit. Needs root.
#
# usage: make-rec-pressure.sh [OUTDIR]  (default: the rec-pressure/ directory)
#        env BT: the buddytrace binary (default: the one at the top)
CORPUS_NAME=rec_pressure
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bt_corpus_need_root
bt=${BT:-$here/../../buddytrace}
out=${1:-$here/rec-pressure}
left=${RESERVE_LEFT:-850}
cache=${CACHE:-700}
hog_mb=${HOG:-550}
nrh=/proc/sys/vm/nr_hugepages
orig=$(cat $nrh)
scratch=$(mktemp -d /var/tmp/bt-corpus-rec-pressure.XXXXXX)
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

mkdir -p "$out"
"$bt" record -o "$out/trace.bt" ${BUFFER_KB:+--buffer-kb $BUFFER_KB} -- sh -c '
	nice -n -10 "$1" "$2" --chunk 4 --floor 150 & a=$!
	nice -n -10 "$1" "$2" --chunk 4 --floor 150 & b=$!
	wait $a; wait $b' sh "$hog" "$hog_mb"
rc=$?
[ $rc -eq 0 ] && "$bt" info "$out/trace.bt" --json |
	sed -n '/"events": {/,/}/p' | sed -n 's/^ *"\([a-z_0-9]*\)": \([0-9]*\),*$/\1 \2/p' |
	LC_ALL=C sort > "$out/counts.txt"
exit $rc
