#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make-thp.sh - corpus trace "thp": hugepage and THP requests after the page
# cache has fragmented free memory, so they need compaction and fallbacks.
#
#  1. reserve untouched hugetlb pages until about RESERVE_LEFT MB (default
#     1200) stay free: this makes the lazily initialized Normal zone grow
#     and leaves a small allocator to fragment (see MACHINE-NOTES in DESIGN);
#  2. fill the page cache with 8 KB files (FILL MB, default 1000), then
#     delete every other one: free memory becomes scattered order-1 holes;
#  3. recorded: ask for HUGE more hugetlb pages (default 250), then map
#     THP_MB (default 256) of anonymous memory with MADV_HUGEPAGE (THP
#     defrag=madvise compacts directly), then give the hugetlb pages back.
# nr_hugepages is restored on exit, whatever happens. Needs root.
#
# usage: make-thp.sh [OUTDIR]   (default: the thp/ directory here)
CORPUS_NAME=thp
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bt_corpus_need_root
out=${1:-$here/thp}
left=${RESERVE_LEFT:-1200}
fill=${FILL:-1000}
huge=${HUGE:-250}
thp_mb=${THP_MB:-256}
nrh=/proc/sys/vm/nr_hugepages
orig=$(cat $nrh)
scratch=$(mktemp -d /var/tmp/bt-corpus-thp.XXXXXX)
hog=$(bt_corpus_memhog) || exit 1

bt_corpus_undo()
{
	echo "$orig" > $nrh
	rm -rf "$scratch" "$(dirname "$hog")"
}

bt_corpus_shrink "$left"
sync; echo 1 > /proc/sys/vm/drop_caches
head -c "${fill}M" /dev/zero | (cd "$scratch" && split -a 6 -b 8k)
sync
(cd "$scratch" && ls | awk 'NR % 2 == 0' | xargs rm -f)
sync

bt_corpus_snap "$out/before"
base=$(cat $nrh)
bt_corpus_record "$out/trace.dat" -b 20000 -- sh -c '
	m="$TRACEFS/instances/$BT_CORPUS_INSTANCE/trace_marker"
	echo "hugetlb +$2" > "$m"
	echo $(($1 + $2)) > /proc/sys/vm/nr_hugepages
	echo "hugetlb got $(($(cat /proc/sys/vm/nr_hugepages) - $1))" > "$m"
	echo "thp $3 MB" > "$m"
	"$4" "$3" --thp --chunk 8 --floor 600
	echo "hugetlb back to $1" > "$m"
	echo "$1" > /proc/sys/vm/nr_hugepages' sh "$base" "$huge" "$thp_mb" "$hog"
rc=$?
bt_corpus_snap "$out/after"
exit $rc
