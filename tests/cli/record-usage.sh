#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace record: --help, bad options (64), a tracefs that is missing
# or lacks events (69), and no permission (77, run as an unprivileged
# user where setpriv is there). Needs no tracing.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "record-usage: $*"; exit 1; }

"$BT" record --help >"$tmp/help" || fail "--help exited $?"
grep -q -- "--stacktrace" "$tmp/help" || fail "--help lacks --stacktrace"

"$BT" record --bogus 2>"$tmp/err"; rc=$?
[ $rc -eq 64 ] || fail "bad option exited $rc, want 64"

"$BT" record --tracefs "$tmp/none" -e kmem:kmalloc -o "$tmp/x.bt" \
	--duration 1 2>"$tmp/err"; rc=$?
[ $rc -eq 64 ] || fail "-e kmem:kmalloc exited $rc, want 64"
grep -q "'kmem:kmalloc' is not an event" "$tmp/err" || fail "-e message: $(cat "$tmp/err")"

"$BT" record --duration 1 -- true 2>"$tmp/err"; rc=$?
[ $rc -eq 64 ] || fail "--duration with a command exited $rc, want 64"

"$BT" record --buffer-kb 1x 2>"$tmp/err"; rc=$?
[ $rc -eq 64 ] || fail "--buffer-kb 1x exited $rc, want 64"

# No tracefs at all there: 69, and the message says what to do.
BUDDYTRACE_TRACEFS="$tmp/none" "$BT" record -o "$tmp/x.bt" --duration 1 \
	2>"$tmp/err"; rc=$?
[ $rc -eq 69 ] || fail "missing tracefs exited $rc, want 69"
grep -q "mount -t tracefs" "$tmp/err" || fail "69 message: $(cat "$tmp/err")"
[ -e "$tmp/x.bt" ] && fail "output created although tracefs is missing"

# A tracefs without the events: 69.
mkdir -p "$tmp/fake/instances" "$tmp/fake/events"
"$BT" record --tracefs "$tmp/fake" -o "$tmp/x.bt" --duration 1 \
	2>"$tmp/err"; rc=$?
[ $rc -eq 69 ] || fail "tracefs without events exited $rc, want 69"
[ -z "$(ls "$tmp/fake/instances")" ] || fail "instance made in fake tracefs"

# Not root: 77 (when we can drop privileges and the binary is reachable).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=65534 --regid=65534 --clear-groups "$BT" --version \
	>/dev/null 2>&1; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BT" record -o /dev/null --duration 1 2>"$tmp/err"; rc=$?
	[ $rc -eq 77 ] || fail "unprivileged record exited $rc, want 77"
	grep -q "run as root" "$tmp/err" || fail "77 message: $(cat "$tmp/err")"
fi
exit 0
