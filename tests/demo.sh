#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo: analyze a bundled real trace (the corpus' "thp" trace: hugetlb
# and THP requests on fragmented memory, with direct compaction, fallbacks
# and direct reclaim) and print the text report.
# usage: tests/demo.sh BINARY
bt=${1:-./buddytrace}
case "$bt" in /*) ;; *) bt="$(pwd)/$bt" ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
corpus="$top/traces/corpus"
trace="$corpus/thp/trace.bt"
if [ ! -f "$trace" ]; then
	# The corpus keeps trace-cmd's trace.dat and the /proc copies taken
	# around it; turn them into a .bt file first.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	trace="$tmp/thp.bt"
	echo "\$ buddytrace import traces/corpus/thp/trace.dat -o thp.bt" \
		"--proc-before traces/corpus/thp/before" \
		"--proc-after traces/corpus/thp/after"
	"$bt" import "$corpus/thp/trace.dat" -o "$trace" \
		--proc-before "$corpus/thp/before" \
		--proc-after "$corpus/thp/after" || exit $?
	echo
fi
case "$trace" in
"$top"/*) rel=${trace#"$top"/}; dir=$top ;;
*) rel=$(basename "$trace"); dir=$(dirname "$trace") ;;
esac
echo "\$ buddytrace analyze $rel"
(cd "$dir" && "$bt" analyze "$rel") || exit $?
echo
echo "For the same report as one self-contained HTML file with charts:"
echo "  buddytrace analyze $rel --format html -o report.html"
echo "JSON for scripts: --format json; Perfetto tracks:"
echo "  buddytrace export $rel --perfetto thp.json" \
	"(open it in ui.perfetto.dev)"
