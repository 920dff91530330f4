#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Regenerate the golden analyze JSON of every corpus trace after an
# intended change of the model or of the report, then review `git diff`:
#   sh tests/data/golden/regen.sh [./buddytrace]
# It also rewrites the corpus baseline (tolerances kept) so that
# `make check` compares with the new behaviour.
top=$(cd "$(dirname "$0")/../../.." && pwd)
BT=${1:-$top/buddytrace}
case "$BT" in /*) ;; *) BT="$(pwd)/$BT" ;; esac
BT_TOP=$top
export BT BT_TOP
. "$top/tests/data/corpus-bt.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
for n in $BT_CORPUS_NAMES; do
	bt=$(bt_corpus_bt "$n" "$t") || { echo "no corpus trace $n" >&2; exit 1; }
	"$BT" analyze "$bt" --format json > "$top/tests/data/golden/$n.analyze.json" ||
		exit 1
	echo "wrote tests/data/golden/$n.analyze.json"
done
dir=$(bt_corpus_dir "$t") || exit 1
"$BT" check "$dir" --baseline "$top/traces/corpus/baseline.json" --update
