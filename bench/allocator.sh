#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench: the reference allocator model's speed and size. Builds
# bench/allocator-bench.c against the static libraries of this build and
# prints, beside the targets (20 M fast-path allocations plus frees per
# second on one core; under 16 bytes of model state per simulated page):
# fast-path alloc+free per second, the same with migratetype fallbacks,
# and bytes of state per page of a 23.5 GiB machine. Times are the CPU
# time of the benchmark thread, so other load on the host does not count.
set -e
top="${BT_TOP:-$(pwd)}"
build="${BUILD:-build/rel}"
out="$top/$build/bench"
mkdir -p "$out"
${CC:-cc} -std=gnu11 -O2 -D_GNU_SOURCE -I"$top" -o "$out/allocator-bench" \
	"$top/bench/allocator-bench.c" "$top/$build/liballocator.a" \
	"$top/$build/libcommon.a" -lm
"$out/allocator-bench" "${BT_BENCH_ALLOC_OPS:-20000000}"
