# SPDX-License-Identifier: GPL-2.0-only
# Shell helpers sourced by the traces-info-dump and traces-bad-bt CLI tests
# (kept outside tests/cli/ so the runner does not take it for a test).
# make_trace FILE N: ftrace text with N allocations on two CPUs, every
# tenth a free, every 50th a failed allocation, one trace_marker write and
# one lost-events marker; prints nothing.
make_trace() {
	awk -v n="$2" 'BEGIN {
		print "# tracer: nop"
		ts = 100000000
		for (i = 0; i < n; i++) {
			cpu = i % 2
			ts += 1000 + (i % 7) * 10
			pid = 1000 + int(i / 100)
			t = sprintf("%d.%06d", int(ts / 1000000), ts % 1000000)
			if (i % 50 == 49)
				printf "%16s-%-5d [%03d] .....  %s: mm_page_alloc: page=(nil) pfn=0x0 order=%d migratetype=0 gfp_flags=GFP_KERNEL\n", "stress", pid, cpu, t, i % 4
			else
				printf "%16s-%-5d [%03d] .....  %s: mm_page_alloc: page=0x%x pfn=0x%x order=%d migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP\n", "stress", pid, cpu, t, 4096 + i * 3, 4096 + i * 3, i % 4
			if (i % 10 == 9)
				printf "%16s-%-5d [%03d] .....  %s: mm_page_free: page=0x%x pfn=0x%x order=0\n", "stress", pid, cpu, t, 4096 + i * 3, 4096 + i * 3
			if (i == 100) {
				printf "%16s-%-5d [%03d] .....  %s: print: tracing_mark_write: window begin\n", "sh", 77, cpu, t
				print "CPU:1 [LOST 7 EVENTS]"
			}
		}
	}' > "$1"
}

# sections FILE: "offset type length count" per section (count: events
# of an event chunk, else 0), from the 24-byte section headers.
le32() { od --endian=little -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
le8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
sections() {
	size=$(wc -c <"$1")
	off=32
	while [ "$off" -lt "$size" ]; do
		type=$(le8 "$1" $((off + 4)))
		len=$(le32 "$1" $((off + 8)))
		count=0
		[ "$type" -eq 5 ] && count=$(le32 "$1" $((off + 28)))
		echo "$off $type $len $count"
		off=$((off + 24 + len))
	done
}
