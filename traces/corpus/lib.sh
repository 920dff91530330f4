#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lib.sh - shared by the make-*.sh corpus recorders: /proc snapshots and a
# trace-cmd recording into the recorder's own tracefs instance, which is
# removed afterwards even when the workload fails (trace-cmd 3.1.6 leaves
# its instance behind and exits 1 after writing a complete file).
#
# Source it with CORPUS_NAME set; it defines:
#   bt_corpus_snap DIR      copy /proc state into DIR (+ kpageflags.zst)
#   bt_corpus_record OUT [trace-cmd record options] -- CMD...
#   bt_corpus_marker TEXT   write TEXT to the instance's trace_marker
#   bt_corpus_memhog        build tests/helpers/corpus-memhog.c, print its path
#   BT_CORPUS_INSTANCE      the tracefs instance name
#   BT_CORPUS_EXTRA         more trace-cmd options after the events (a
#                           second buffer: -B ${BT_CORPUS_INSTANCE}_aux ...)

TRACEFS=${TRACEFS:-/sys/kernel/tracing}
BT_CORPUS_INSTANCE="bt_corpus_${CORPUS_NAME:-x}_$$"
export BT_CORPUS_INSTANCE TRACEFS

BT_CORPUS_EVENTS="-e kmem:mm_page_alloc -e kmem:mm_page_free
 -e kmem:mm_page_free_batched -e kmem:mm_page_alloc_zone_locked
 -e kmem:mm_page_pcpu_drain -e kmem:mm_page_alloc_extfrag -e compaction
 -e vmscan:mm_vmscan_wakeup_kswapd -e vmscan:mm_vmscan_kswapd_wake
 -e vmscan:mm_vmscan_kswapd_sleep -e vmscan:mm_vmscan_direct_reclaim_begin
 -e vmscan:mm_vmscan_direct_reclaim_end
 -e vmscan:mm_vmscan_memcg_reclaim_begin
 -e vmscan:mm_vmscan_memcg_reclaim_end -e oom"
# ftrace:print has no enable switch: trace_marker writes are always kept.

# Runs on every exit: removes the instance, then the script's own undo hook
# (define bt_corpus_undo to restore what the workload changed).
bt_corpus_atexit()
{
	bt_corpus_cleanup
	command -v bt_corpus_undo >/dev/null && bt_corpus_undo
}
trap bt_corpus_atexit EXIT
trap 'exit 130' INT TERM

bt_corpus_need_root()
{
	if [ "$(id -u)" != 0 ] || [ ! -d "$TRACEFS/instances" ]; then
		echo "$0: needs root and tracefs at $TRACEFS" >&2
		exit 77
	fi
	command -v trace-cmd >/dev/null || { echo "$0: needs trace-cmd" >&2; exit 69; }
}

bt_corpus_snap()
{
	local d=$1 f thp
	mkdir -p "$d/vm"
	for f in zoneinfo buddyinfo pagetypeinfo vmstat meminfo; do
		cat /proc/$f > "$d/$f"
	done
	for f in extfrag_index unusable_index; do
		[ -r /sys/kernel/debug/extfrag/$f ] &&
			cat /sys/kernel/debug/extfrag/$f > "$d/$f" 2>/dev/null
	done
	for f in /proc/sys/vm/*; do
		[ -f "$f" ] && [ -r "$f" ] || continue
		cat "$f" > "$d/vm/$(basename "$f")" 2>/dev/null ||
			rm -f "$d/vm/$(basename "$f")"
	done
	thp=/sys/kernel/mm/transparent_hugepage
	if [ -r $thp/enabled ]; then
		mkdir -p "$d/transparent_hugepage"
		cat $thp/enabled > "$d/transparent_hugepage/enabled"
		cat $thp/defrag > "$d/transparent_hugepage/defrag"
	fi
	# The free-page map: kept only while it compresses small.
	if [ -r /proc/kpageflags ] && command -v zstd >/dev/null; then
		zstd -q -19 -T2 -c < /proc/kpageflags > "$d/kpageflags.zst"
		if [ "$(wc -c < "$d/kpageflags.zst")" -gt 1048576 ]; then
			echo "$0: kpageflags.zst over 1 MB, dropped" >&2
			rm -f "$d/kpageflags.zst"
		fi
	fi
}

bt_corpus_cleanup()
{
	local i
	for i in "$TRACEFS/instances/$BT_CORPUS_INSTANCE" \
		 "$TRACEFS/instances/${BT_CORPUS_INSTANCE}_aux"; do
		[ -d "$i" ] || continue
		echo 0 > "$i/tracing_on" 2>/dev/null
		echo 0 > "$i/events/enable" 2>/dev/null
		rmdir "$i" 2>/dev/null || echo "$0: could not remove $i" >&2
	done
}

bt_corpus_marker()
{
	echo "$1" > "$TRACEFS/instances/$BT_CORPUS_INSTANCE/trace_marker"
}

# bt_corpus_record OUT [trace-cmd options] -- CMD...
bt_corpus_record()
{
	local out=$1 opts="" rc
	shift
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts="$opts $1"; shift
	done
	[ "$1" = "--" ] && shift
	# shellcheck disable=SC2086
	# /proc/kallsyms is hidden behind an empty file in a private mount
	# namespace: the allocator events need no kernel symbols, and the
	# symbol table alone would add 1 MB (5 MB uncompressed) per trace.
	unshare -m sh -c 'mount --bind /dev/null /proc/kallsyms && exec "$@"' \
		sh trace-cmd record -d --no-filter -B "$BT_CORPUS_INSTANCE" \
		$opts $BT_CORPUS_EVENTS $BT_CORPUS_EXTRA -o "$out" -- "$@" \
		> /dev/null
	rc=$?
	bt_corpus_cleanup
	# 3.1.6 exits 1 after writing a complete file; anything worse fails.
	[ $rc -le 1 ] && [ -s "$out" ] || { echo "$0: trace-cmd failed ($rc)" >&2; return 1; }
	return 0
}

# bt_corpus_counts TRACE.dat [main|aux]: "event count" lines, sorted, as
# trace-cmd report prints them, for the main buffers or the *_aux ones
# (report prefixes each line with its buffer when there are several; a
# line after "[EVENTS DROPPED]" has no prefix and belongs to the one before).
bt_corpus_counts()
{
	trace-cmd report "$1" 2>/dev/null | awk -v want="${2:-main}" '
		$1 ~ /^[A-Za-z_][A-Za-z0-9_.-]*:$/ && $2 !~ /^\[/ {
			aux = ($1 ~ /_aux:$/) }
		{ if ((want == "aux") != aux) next
		  for (i = 2; i <= NF; i++)
			if ($i ~ /^[a-z_0-9]+:$/ && $(i-1) ~ /^[0-9]+\.[0-9]+:$/) {
				n = $i; sub(/:$/, "", n); c[n]++; break } }
		END { for (n in c) print n, c[n] }' | LC_ALL=C sort
}

# Build the bounded hog into a scratch directory; prints its path.
bt_corpus_memhog()
{
	local top d
	top=$(cd "$(dirname "$0")/../.." && pwd)
	d=$(mktemp -d)
	cc -O2 -o "$d/corpus-memhog" "$top/tests/helpers/corpus-memhog.c" || return 1
	echo "$d/corpus-memhog"
}

# bt_corpus_shrink LEFT_MB: reserve untouched hugetlb pages until about
# LEFT_MB stay free. Reserving makes the lazily initialized Normal zone grow,
# so MemFree moves by more than the pages taken: measure again and repeat.
bt_corpus_shrink()
{
	local left=$1 free_mb n i
	for i in 1 2 3 4 5 6; do
		free_mb=$(awk '/^MemFree:/ { print int($2 / 1024) }' /proc/meminfo)
		n=$(( (free_mb - left) / 2 ))
		[ $n -gt 16 ] || return 0
		echo $(($(cat /proc/sys/vm/nr_hugepages) + n)) > /proc/sys/vm/nr_hugepages
	done
}
