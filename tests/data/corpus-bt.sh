# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the analyze and check CLI tests: bt_corpus_bt NAME DIR prints
# the path of the corpus trace NAME as a .bt file: traces/corpus/NAME/trace.bt
# when the tree has it, else DIR/NAME/trace.bt imported from the corpus'
# trace.dat and /proc copies (the same command the corpus was made with).
# bt_corpus_dir DIR: a directory holding every corpus trace as
# NAME/trace.bt.
BT_CORPUS_NAMES="compile lost markers pressure rec-fallback rec-pressure rec-thp thp"

bt_corpus_bt()
{
	c="$BT_TOP/traces/corpus"
	if [ -f "$c/$1/trace.bt" ]; then
		echo "$c/$1/trace.bt"
		return 0
	fi
	[ -f "$c/$1/trace.dat" ] || return 1
	mkdir -p "$2/$1"
	[ -f "$2/$1/trace.bt" ] || "$BT" import "$c/$1/trace.dat" \
		-o "$2/$1/trace.bt" --proc-before "$c/$1/before" \
		--proc-after "$c/$1/after" 2>/dev/null || return 1
	echo "$2/$1/trace.bt"
}

bt_corpus_dir()
{
	c="$BT_TOP/traces/corpus"
	if ls "$c"/*/trace.bt >/dev/null 2>&1; then
		echo "$c"
		return 0
	fi
	for n in $BT_CORPUS_NAMES; do
		bt_corpus_bt "$n" "$1" >/dev/null || return 1
	done
	echo "$1"
}
