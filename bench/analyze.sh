#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A whole `buddytrace analyze` (recorded view, mirror and model replays)
# of corpus traces, beside `trace-cmd report > /dev/null` of the
# same trace.dat and, when its source is at hand, the kernel's
# Documentation/trace/postprocess/trace-pagealloc-postprocess.pl on that
# report's text (Debian's linux-doc-<version> package ships it; or set
# BT_PAGEALLOC_PL to its path).
# Prints times, events/s, the ratios, and peak memory (max RSS).
BT=${BT:-./buddytrace}
top=${BT_TOP:-$(pwd)}
# Without BT_BENCH_TRACE: every corpus trace that has its trace.dat (the
# comparison needs it), largest first; small traces weigh the fixed costs
# (setup of the per-page state, process start) more.
if [ -z "${BT_BENCH_TRACE:-}" ]; then
	st=0
	for n in pressure thp compile; do
		[ -f "$top/traces/corpus/$n/trace.dat" ] || continue
		BT_BENCH_TRACE=$n sh "$0" || st=1
	done
	exit $st
fi
name=$BT_BENCH_TRACE
dat="$top/traces/corpus/$name/trace.dat"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
# Traces recorded by buddytrace itself (rec-*) have no trace.dat: they get
# the analyze figures without the trace-cmd comparison.
[ -f "$dat" ] || [ -f "$top/traces/corpus/$name/trace.bt" ] ||
	{ echo "analyze: no corpus trace for $name"; exit 1; }
[ ! -f "$dat" ] || command -v trace-cmd >/dev/null ||
	{ echo "analyze: needs trace-cmd"; exit 1; }
if [ -f "$top/traces/corpus/$name/trace.bt" ]; then
	bt="$top/traces/corpus/$name/trace.bt"
else
	bt="$t/$name.bt"
	"$BT" import "$dat" -o "$bt" --proc-before "$top/traces/corpus/$name/before" \
		--proc-after "$top/traces/corpus/$name/after" 2>/dev/null || exit 1
fi
# "secs rss_kb" of "$@": the wall time of $RUNS runs in a row (default
# five) divided by their number (date has nanoseconds; GNU time only
# 10 ms), and the peak memory (max RSS) of one more run under GNU time
# when it is there.
run() {
	n=${RUNS:-5}
	s=$(date +%s%N)
	i=0
	while [ $i -lt "$n" ]; do "$@" > /dev/null 2>&1; i=$((i + 1)); done
	e=$(date +%s%N)
	kb=0
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$t/time" "$@" > /dev/null 2>&1
		kb=$(cat "$t/time")
	fi
	echo "$(awk -v a="$s" -v b="$e" -v n="$n" 'BEGIN { printf "%.4f", (b - a) / n / 1e9 }') $kb"
}
best() {	# best of 3: "secs rss"
	for i in 1 2 3; do run "$@"; done | sort -n | head -1
}
events=$("$BT" analyze "$bt" --mode recorded --format json |
	grep -m1 '"events":' | tr -dc 0-9)
set -- $(best "$BT" analyze "$bt")
a_s=$1 a_kb=$2
set -- $(best "$BT" analyze "$bt" --mode recorded)
r_s=$1 r_kb=$2
# analyze runs the model in a child process: max RSS is its largest
# process. Each replay alone bounds what the two hold together.
set -- $(RUNS=1 run "$BT" replay "$bt" --mode mirror)
mi_kb=$2
set -- $(RUNS=1 run "$BT" replay "$bt" --mode model)
mo_kb=$2
if [ -f "$dat" ]; then
	set -- $(RUNS=2 run trace-cmd report -i "$dat")
	tc_s=$1 tc_kb=$2
else
	tc_s= tc_kb=
fi
printf 'trace %s: %s events\n' "$name" "$events"
awk -v e="$events" -v a="$a_s" -v r="$r_s" -v tc="$tc_s" -v akb="$a_kb" \
    -v rkb="$r_kb" -v tkb="$tc_kb" -v mi="$mi_kb" -v mo="$mo_kb" 'BEGIN {
	if (a <= 0) a = 0.005; if (r <= 0) r = 0.005
	printf "  analyze (recorded+mirror+model) %8.3f s %10.0f events/s  peak %6.1f MB\n", a, e / a, akb / 1024
	printf "    (largest process; both at most %.1f MB: replay alone %.1f mirror + %.1f model)\n", (mi + mo) / 1024, mi / 1024, mo / 1024
	printf "  analyze --mode recorded         %8.3f s %10.0f events/s  peak %6.1f MB\n", r, e / r, rkb / 1024
	if (tc == "") {
		print "  trace-cmd report: no trace.dat for this trace (recorded by buddytrace)"
		exit
	}
	printf "  trace-cmd report > /dev/null    %8.3f s %10.0f events/s  peak %6.1f MB\n", tc, e / tc, tkb / 1024
	printf "  ratio: analyze is %.1fx faster than trace-cmd report (target 10x)\n", tc / a
}'
pl=${BT_PAGEALLOC_PL:-}
if [ -z "$pl" ]; then
	# Debian's linux-doc-<version> package ships it compressed
	for gz in /usr/share/doc/linux-doc-*/Documentation/trace/postprocess/trace-pagealloc-postprocess.pl.gz; do
		[ -f "$gz" ] || continue
		gzip -dc "$gz" > "$t/trace-pagealloc-postprocess.pl" &&
			pl="$t/trace-pagealloc-postprocess.pl"
		break
	done
fi
if [ -n "$pl" ] && [ -f "$pl" ] && [ -f "$dat" ] && command -v perl >/dev/null; then
	trace-cmd report -i "$dat" > "$t/report.txt" 2>/dev/null
	set -- $(RUNS=1 run sh -c 'perl "$1" < "$2"' sh "$pl" "$t/report.txt")
	awk -v e="$events" -v a="$a_s" -v p="$1" -v pkb="$2" 'BEGIN {
	if (a <= 0) a = 0.005
	printf "  trace-pagealloc-postprocess.pl  %8.3f s %10.0f events/s  peak %6.1f MB\n", p, e / p, pkb / 1024
	printf "  ratio: analyze is %.1fx faster than trace-pagealloc-postprocess.pl (target 40x)\n", p / a
}'
else
	echo "  trace-pagealloc-postprocess.pl: unavailable (install Debian's" \
		"linux-doc-6.1, or set BT_PAGEALLOC_PL to the kernel's" \
		"Documentation/trace/postprocess script)"
fi
