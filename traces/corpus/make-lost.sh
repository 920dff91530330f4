#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make-lost.sh - corpus trace "lost": a ring buffer of one page per CPU
# (-b 4) under a 64 MB anonymous hog, so the kernel drops events and the
# trace.dat carries lost-event counts in its page headers. Needs root.
#
# usage: make-lost.sh [OUTDIR]   (default: the lost/ directory here)
CORPUS_NAME=lost
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bt_corpus_need_root
out=${1:-$here/lost}
hog=$(bt_corpus_memhog) || exit 1

bt_corpus_undo()
{
	rm -rf "$(dirname "$hog")"
}

bt_corpus_snap "$out/before"
bt_corpus_record "$out/trace.dat" -b 4 -- "$hog" 64 --chunk 4 --floor 1000
rc=$?
bt_corpus_snap "$out/after"
exit $rc
