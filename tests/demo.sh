#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo: analyze a bundled real trace (the corpus' "rec-thp" trace,
# recorded by `buddytrace record` with its free-page map: hugetlb and THP
# requests on fragmented memory, with direct compaction, direct reclaim
# and failed order-9 allocations) and print the text report.
# usage: tests/demo.sh BINARY
bt=${1:-./buddytrace}
case "$bt" in /*) ;; *) bt="$(pwd)/$bt" ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
rel=traces/corpus/rec-thp/trace.bt
[ -f "$top/$rel" ] || { echo "demo: $rel is missing" >&2; exit 66; }
echo "\$ buddytrace analyze $rel"
(cd "$top" && "$bt" analyze "$rel") || exit $?
echo
echo "For the same report as one self-contained HTML file with charts:"
echo "  buddytrace analyze $rel --format html -o report.html"
echo "JSON for scripts: --format json; Perfetto tracks:"
echo "  buddytrace export $rel --perfetto rec-thp.json" \
	"(open it in ui.perfetto.dev)"
