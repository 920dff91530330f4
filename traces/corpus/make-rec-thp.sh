#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make-rec-thp.sh - corpus trace "rec-thp": the workload of make-thp.sh
# (hugepage and THP requests on memory the page cache has fragmented),
# recorded with `buddytrace record` itself, which reads the free-page map
# (/proc/kpageflags) in-file at the start, after its ring buffers exist,
# and again at the end, with a /proc snapshot every second in between.
#
#  1. reserve untouched hugetlb pages until about RESERVE_LEFT MB (default
#     1200) stay free (the lazily initialized Normal zone grows first);
#  2. fill the page cache with 8 KB files (FILL MB, default 1000), delete
#     every other one: free memory becomes scattered order-1 holes;
#  3. recorded: HUGE more hugetlb pages (default 120), then a bounded hog
#     (oom_score_adj 1000) maps THP_MB (default 128) with MADV_HUGEPAGE,
#     then the hugetlb pages are given back.
# nr_hugepages is restored on exit, whatever happens. Needs root.
#
# usage: make-rec-thp.sh [OUTDIR]   (default: the rec-thp/ directory here)
#        env BT: the buddytrace binary (default: the one at the top)
CORPUS_NAME=rec_thp
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bt_corpus_need_root
bt=${BT:-$here/../../buddytrace}
out=${1:-$here/rec-thp}
left=${RESERVE_LEFT:-1200}
fill=${FILL:-1000}
huge=${HUGE:-120}
thp_mb=${THP_MB:-128}
nrh=/proc/sys/vm/nr_hugepages
orig=$(cat $nrh)
scratch=$(mktemp -d /var/tmp/bt-corpus-rec-thp.XXXXXX)
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

mkdir -p "$out"
base=$(cat $nrh)
"$bt" record -o "$out/trace.bt" ${BUFFER_KB:+--buffer-kb $BUFFER_KB} -- sh -c '
	echo $(($1 + $2)) > /proc/sys/vm/nr_hugepages
	"$4" "$3" --thp --chunk 8 --floor 600
	echo "$1" > /proc/sys/vm/nr_hugepages' sh "$base" "$huge" "$thp_mb" "$hog"
rc=$?
[ $rc -eq 0 ] && "$bt" info "$out/trace.bt" --json |
	sed -n '/"events": {/,/}/p' | sed -n 's/^ *"\([a-z_0-9]*\)": \([0-9]*\),*$/\1 \2/p' |
	LC_ALL=C sort > "$out/counts.txt"
exit $rc
