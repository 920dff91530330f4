#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The mirror's accuracy on the corpus traces recorded by `buddytrace record`
# (free-page map in-file, read with tracing on, with its read times):
# rec-thp, rec-pressure and rec-fallback. Issue targets, per trace:
#   buddyinfo: |mirror - /proc/buddyinfo| <= 1% of the zone's free pages at
#              every order of every snapshot and zone;
#   slowpath_evidence_agreed >= 95% of slowpath_evidence;
#   fallbacks_confirmed >= 90% of the recorded fallbacks.
# Each figure is printed with its exact counts. A target the mirror does not
# reach yet on a trace is listed in KNOWN_GAPS below (trace:metric) with the
# reason in buddytrace-replay(1), ACCURACY; for those the test only
# asserts that the figure does not fall below its floor (a regression
# guard), and prints "gap". Anything else must meet its target. Fallbacks
# include those confirmed in retrospect (buddytrace-replay(1), handling
# rules), printed apart.
set -u
# trace:metric:floor (fractions)  -- see buddytrace-replay(1), ACCURACY
KNOWN_GAPS=""
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
fail=0
floor_of()
{
	for g in $KNOWN_GAPS; do
		case "$g" in "$1:$2:"*) echo "${g##*:}"; return 0 ;; esac
	done
	return 1
}

# verdict TRACE METRIC VALUE TARGET CMP(le|ge) TEXT
verdict()
{
	if awk -v v="$3" -v t="$4" -v c="$5" \
		'BEGIN { exit !(c == "le" ? v <= t : v >= t) }'; then
		echo "replay-accuracy: $1 $2 ok: $6"
		return
	fi
	if f=$(floor_of "$1" "$2"); then
		# a known gap: only a regression beyond its floor fails
		if awk -v v="$3" -v f="$f" -v c="$5" \
			'BEGIN { exit !(c == "le" ? v <= f : v >= f) }'; then
			echo "replay-accuracy: $1 $2 gap (floor $f): $6"
			return
		fi
	fi
	echo "replay-accuracy: $1 $2 FAILED: $6" >&2
	fail=1
}

for t in rec-thp rec-pressure rec-fallback; do
	bt=$BT_TOP/traces/corpus/$t/trace.bt
	[ -f "$bt" ] || { echo "replay-accuracy: no $bt" >&2; exit 1; }
	"$BT" replay "$bt" --json > "$d/$t.json" 2> "$d/err" ||
		{ echo "replay-accuracy: replay $t: $(cat "$d/err")" >&2; exit 1; }
	grep -q '"free_map":true' "$d/$t.json" ||
		{ echo "replay-accuracy: $t has no free-page map" >&2; exit 1; }
	"$BT" info "$bt" | grep -q '^  free_blocks_times ' ||
		{ echo "replay-accuracy: $t has no map read times" >&2; exit 1; }
	# worst fraction over every snapshot and zone, with where it is
	w=$(grep -o '"snapshot":[0-9]*,"zone":"[A-Za-z0-9]*","order":[0-9]*,"pages":-*[0-9]*,"fraction":[0-9.]*' \
		"$d/$t.json" | awk -F'[:,]' '{ if ($10 + 0 >= m) { m = $10 + 0;
		w = "snapshot " $2 " zone " $4 " order " $6 " " $8 " pages" } }
		END { printf "%s %s\n", m + 0, w }')
	n=$(grep -o '"snapshot":[0-9]*,"zone"' "$d/$t.json" | wc -l)
	[ "$n" -ge 2 ] || { echo "replay-accuracy: $t: $n zone snapshots" >&2; exit 1; }
	verdict "$t" buddyinfo "${w%% *}" 0.01 le \
		"worst error fraction ${w%% *} ($n zone snapshots; ${w#* })"
	# every snapshot and zone over 1%, as the replay lists them
	grep -o '"snapshot":[0-9]*,"zone":"[A-Za-z0-9]*","order":[0-9]*,"pages":-*[0-9]*,"fraction":[0-9.]*' \
		"$d/$t.json" | awk -F'[:,]' -v t="$t" '$10 + 0 > 0.01 {
		printf "replay-accuracy:   %s snapshot %s zone %s order %s %s pages (%s)\n",
			t, $2, $4, $6, $8, $10 }'
	# the first evidenced allocations and fallbacks the mirror misses
	tr '{' '\n' < "$d/$t.json" | sed -n '/"slowpath_disagreed":\[/,/\]/p;/"fallbacks_unconfirmed":\[/,/\]/p' |
		sed -n 's/^"ts":\([0-9]*\),"event":"\([a-z_]*\)","pfn":\([0-9]*\),"order":\([0-9]*\).*/replay-accuracy:   '"$t"' miss: ts \1 \2 pfn \3 order \4/p' | uniq | head -16
	ev=$(sed -n 's/.*"slowpath_evidence":\([0-9]*\),"slowpath_evidence_agreed":\([0-9]*\).*/\1 \2/p' "$d/$t.json")
	set -- $ev
	[ "$1" -gt 0 ] || { echo "replay-accuracy: $t: no evidenced allocation" >&2; exit 1; }
	verdict "$t" evidence "$(awk -v a="$2" -v b="$1" 'BEGIN { print a / b }')" \
		0.95 ge "slowpath_evidence_agreed $2 of $1"
	fb=$(sed -n 's/.*"fallbacks_checked":\([0-9]*\),"fallbacks_confirmed":\([0-9]*\),"fallbacks_confirmed_retro":\([0-9]*\).*/\1 \2 \3/p' "$d/$t.json")
	set -- $fb
	[ $# -eq 3 ] || { echo "replay-accuracy: $t: no fallback counts" >&2; exit 1; }
	if [ "$1" -gt 0 ]; then
		verdict "$t" fallbacks "$(awk -v a="$2" -v b="$1" 'BEGIN { print a / b }')" \
			0.90 ge "fallbacks_confirmed $2 of $1 ($3 in retrospect)"
	else
		echo "replay-accuracy: $t fallbacks: none recorded"
	fi
done
exit $fail
